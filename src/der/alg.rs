//! AlgorithmIdentifier parameters (RFC 5280 §4.1.1.2): the hash functions certaudit
//! knows, RSASSA-PSS-params (RFC 4055 §3.1). Read here, for `x509` (weak-signature
//! facts) and `verify` (the scheme to check) alike.

use crate::der::oid as oids;
use crate::der::tlv::{Integer, Reader, Tlv, split_tlv, tag};

/// Hash functions the verifier supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Hash {
    pub fn from_oid(raw: &[u8]) -> Option<Hash> {
        [
            (&oids::SHA256, Hash::Sha256),
            (&oids::SHA384, Hash::Sha384),
            (&oids::SHA512, Hash::Sha512),
            (&oids::SHA1, Hash::Sha1),
            (&oids::SHA224, Hash::Sha224),
        ]
        .into_iter()
        .find(|(o, _)| oids::is(raw, o))
        .map(|(_, h)| h)
    }
}

/// RSASSA-PSS-params (RFC 4055 §3.1), with its defaults: SHA-1, MGF1 with
/// SHA-1, salt 20, trailer 1. `None` for a hash certaudit does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PssParams {
    pub hash: Option<Hash>,
    pub mgf1_hash: Option<Hash>,
    pub salt: usize,
    pub trailer_ok: bool,
}

impl PssParams {
    /// `None` when the parameters are malformed.
    pub(crate) fn read(params: Option<Tlv<'_>>) -> Option<PssParams> {
        let mut out = PssParams {
            hash: Some(Hash::Sha1),
            mgf1_hash: Some(Hash::Sha1),
            salt: 20,
            trailer_ok: true,
        };
        let Some(params) = params else {
            return Some(out);
        };
        if params.tag == tag::NULL {
            return Some(out);
        }
        if params.tag != tag::SEQUENCE {
            return None;
        }
        let mut r = Reader::new(params.value);
        if let Some(h) = r.read_if(tag::explicit(0)).ok()? {
            let (alg, _) = split_tlv(h.value).ok()?;
            let (oid, _) = oid_and_params(&alg)?;
            out.hash = Hash::from_oid(oid);
        }
        if let Some(m) = r.read_if(tag::explicit(1)).ok()? {
            let (alg, _) = split_tlv(m.value).ok()?;
            let (oid, inner) = oid_and_params(&alg)?;
            out.mgf1_hash = if oids::is(oid, &oids::MGF1) {
                let (h, _) = oid_and_params(&inner?)?;
                Hash::from_oid(h)
            } else {
                None
            };
        }
        if let Some(s) = r.read_if(tag::explicit(2)).ok()? {
            let (int, _) = split_tlv(s.value).ok()?;
            let i = Integer::parse(int.value).filter(|i| !i.negative)?;
            out.salt = i.magnitude.iter().try_fold(0usize, |acc, &b| {
                acc.checked_mul(256)?.checked_add(usize::from(b))
            })?;
        }
        if let Some(t) = r.read_if(tag::explicit(3)).ok()? {
            let (int, _) = split_tlv(t.value).ok()?;
            out.trailer_ok = int.value == [1];
        }
        Some(out)
    }
}

pub(crate) fn oid_and_params<'a>(alg: &Tlv<'a>) -> Option<(&'a [u8], Option<Tlv<'a>>)> {
    if alg.tag != tag::SEQUENCE {
        return None;
    }
    let mut r = Reader::new(alg.value);
    let oid = r.read().ok().filter(|t| t.tag == tag::OID)?;
    let params = if r.is_empty() {
        None
    } else {
        Some(r.read().ok()?)
    };
    Some((oid.value, params))
}

/// Whether an RSASSA-PSS AlgorithmIdentifier's parameters (`params`, the
/// element after the OID) select SHA-1, the default, as the message hash.
pub(crate) fn pss_uses_sha1(params: Option<Tlv<'_>>) -> bool {
    PssParams::read(params).is_some_and(|p| p.hash == Some(Hash::Sha1))
}
