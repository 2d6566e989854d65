//! Does one certificate's key verify another's signature?
//!
//! RSA PKCS#1 v1.5 (SHA-1/224/256/384/512), RSASSA-PSS (SHA-1/224/256/384/512
//! with MGF1 of the same hash), ECDSA on P-256/P-384/P-521 with any of those
//! hashes, and Ed25519, through RustCrypto. Other algorithms (MD5, DSA, Ed448,
//! GOST, SM2, other curves) are `Unsupported`; a key of the wrong family for
//! the algorithm, or malformed key or signature bytes, is `Invalid`. Never panics.
//!
//! Cost: one hash of the tbsCertificate and one public-key operation. Keys are
//! read straight from the SubjectPublicKeyInfo bytes, without building the
//! certificate again.

use crate::der::alg::{Hash, PssParams, oid_and_params};
use crate::der::oid as oids;
use crate::der::tlv::{Reader, split_tlv, tag};
use crate::x509::CertInfo;
use ecdsa::signature::hazmat::PrehashVerifier;
use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey, pss::Pss};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid,
    Unsupported,
}

impl Verdict {
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Unsupported => "unsupported",
        }
    }
}

/// ECDSA with a DER signature over an already computed hash; any hash length
/// works (RustCrypto truncates or left-pads it to the curve order, as SEC 1 says).
macro_rules! ecdsa_ok {
    ($curve:ident, $point:expr, $prehash:expr, $sig:expr) => {
        match (
            $curve::ecdsa::VerifyingKey::from_sec1_bytes($point),
            $curve::ecdsa::Signature::from_der($sig),
        ) {
            (Ok(key), Ok(sig)) => key.verify_prehash($prehash, &sig).is_ok(),
            _ => false,
        }
    };
}

/// Verifies `child`'s signature with `issuer`'s public key (names are not checked here).
pub fn verify(child: &CertInfo, issuer: &CertInfo) -> Verdict {
    verify_signed(
        &issuer.spki_der,
        &child.signature_algorithm_der,
        &child.tbs_der,
        &child.signature,
    )
}

/// Verifies `signature` over `message` with the key in `spki_der` (a DER
/// SubjectPublicKeyInfo), for the AlgorithmIdentifier `algorithm_der`.
pub fn verify_signed(
    spki_der: &[u8],
    algorithm_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    let Some((sig_family, scheme)) = read_algorithm(algorithm_der) else {
        return Verdict::Invalid;
    };
    let Some(key) = read_key(spki_der) else {
        return Verdict::Invalid;
    };
    if sig_family != Family::Unknown
        && key.family() != Family::Unknown
        && sig_family != key.family()
    {
        return Verdict::Invalid;
    }
    let Some(scheme) = scheme else {
        return Verdict::Unsupported;
    };
    match (scheme, key) {
        (Scheme::RsaPkcs1(_), Key::Rsa { pss_only: true, .. }) => Verdict::Invalid,
        (Scheme::RsaPkcs1(hash), Key::Rsa { n, e, .. }) => {
            verify_rsa(n, e, signature, |key, sig| {
                key.verify(hash.pkcs1v15(), &hash.digest(message), sig)
            })
        }
        (Scheme::RsaPss { hash, salt }, Key::Rsa { n, e, .. }) => {
            verify_rsa(n, e, signature, |key, sig| {
                let hashed = hash.digest(message);
                match hash {
                    Hash::Sha1 => key.verify(Pss::<Sha1>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha224 => key.verify(Pss::<Sha224>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha256 => key.verify(Pss::<Sha256>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha384 => key.verify(Pss::<Sha384>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha512 => key.verify(Pss::<Sha512>::new_with_salt(salt), &hashed, sig),
                }
            })
        }
        (Scheme::Ecdsa(hash), Key::Ec { curve, point }) => {
            let prehash = hash.digest(message);
            let ok = match curve {
                Curve::P256 => ecdsa_ok!(p256, point, &prehash, signature),
                Curve::P384 => ecdsa_ok!(p384, point, &prehash, signature),
                Curve::P521 => ecdsa_ok!(p521, point, &prehash, signature),
                Curve::Other => return Verdict::Unsupported,
            };
            valid_if(ok)
        }
        (Scheme::Ed25519, Key::Ed25519(point)) => {
            use ed25519_dalek::Verifier;
            let Ok(point) = <&[u8; 32]>::try_from(point) else {
                return Verdict::Invalid;
            };
            let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(point) else {
                return Verdict::Invalid;
            };
            let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                return Verdict::Invalid;
            };
            valid_if(key.verify(message, &sig).is_ok())
        }
        // A family the verifier knows but whose key it cannot use.
        _ => Verdict::Unsupported,
    }
}

fn valid_if(ok: bool) -> Verdict {
    if ok { Verdict::Valid } else { Verdict::Invalid }
}

/// RSA moduli outside this range are not verified (`Unsupported`): below, keys
/// are broken anyway; above, nobody issues them, and one check of a hostile
/// 16384-bit key with a large exponent costs tens of milliseconds. 512-bit legacy
/// keys verify.
pub const RSA_BITS: std::ops::RangeInclusive<usize> = 512..=8192;

/// RSA public exponents above this are not verified (`Unsupported`): the check's
/// cost grows with the exponent's length (rsa itself refuses above 2^33).
pub const RSA_MAX_EXPONENT: u64 = 1 << 32;

/// What checking a signature with the key in `spki_der` costs, in units of one
/// RSA-2048 check with e = 65537: (modulus bits / 2048)² × (exponent bits / 17),
/// rounded up, at least 1; `None` when the key is refused ([`RSA_BITS`],
/// [`RSA_MAX_EXPONENT`]). Other algorithms cost 1.
pub fn check_cost(spki_der: &[u8]) -> Option<u64> {
    let Some(Key::Rsa { n, e, .. }) = read_key(spki_der) else {
        return Some(1);
    };
    let (nbits, ebits) = (bit_len(n) as u64, bit_len(e) as u64);
    if !rsa_key_allowed(n, e) {
        return None;
    }
    let size = nbits.div_ceil(2048).max(1);
    Some((size * size * ebits.div_ceil(17).max(1)).max(1))
}

/// The modulus length in bits of the RSA key in `spki_der` (rsaEncryption or
/// id-RSASSA-PSS); `None` for another key or a malformed one.
pub fn rsa_modulus_bits(spki_der: &[u8]) -> Option<usize> {
    match read_key(spki_der)? {
        Key::Rsa { n, .. } => Some(bit_len(n)),
        _ => None,
    }
}

/// The length in bits of a big-endian magnitude (leading zero bytes allowed).
fn bit_len(b: &[u8]) -> usize {
    let b = crate::der::tlv::strip_zeros(b);
    match b.first() {
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Whether an RSA key is within [`RSA_BITS`] and [`RSA_MAX_EXPONENT`] (magnitudes
/// big-endian, leading zeros allowed).
fn rsa_key_allowed(n: &[u8], e: &[u8]) -> bool {
    let e = crate::der::tlv::strip_zeros(e);
    if bit_len(n) > *RSA_BITS.end() || e.len() > 8 {
        return false;
    }
    let value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    value <= RSA_MAX_EXPONENT
}

/// The RSA key with modulus `n` and exponent `e`, from a small cache: making one
/// computes its Montgomery parameters (R² mod n, a long division), and a chain's
/// top CA key checks both its own signature and the certificate below it.
fn rsa_public_key(n: &[u8], e: &[u8]) -> rsa::Result<std::sync::Arc<PublicKey>> {
    use std::sync::{Arc, Mutex, PoisonError};
    type Cache = Vec<(Vec<u8>, Vec<u8>, Arc<PublicKey>)>;
    static RECENT: Mutex<Cache> = Mutex::new(Vec::new());
    let hit = RECENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(kn, ke, _)| kn == n && ke == e)
        .map(|(_, _, k)| Arc::clone(k));
    if let Some(key) = hit {
        return Ok(key);
    }
    let key = Arc::new(PublicKey::new_with_size_limits(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
        RSA_BITS,
    )?);
    let mut cache = RECENT.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= 8 {
        cache.remove(0);
    }
    cache.push((n.to_vec(), e.to_vec(), Arc::clone(&key)));
    Ok(key)
}

fn verify_rsa(
    n: &[u8],
    e: &[u8],
    signature: &[u8],
    check: impl FnOnce(&PublicKey, &[u8]) -> rsa::Result<()>,
) -> Verdict {
    if n.is_empty() || e.is_empty() {
        return Verdict::Invalid;
    }
    if !rsa_key_allowed(n, e) {
        return Verdict::Unsupported;
    }
    let key = match rsa_public_key(n, e) {
        Ok(key) => key,
        // Legal but refused by the crate (tiny or huge moduli, exponents above
        // 2^33 that ring and RustCrypto refuse as a denial-of-service guard).
        Err(
            rsa::Error::ModulusTooSmall
            | rsa::Error::ModulusTooLarge
            | rsa::Error::PublicExponentTooLarge,
        ) => {
            return Verdict::Unsupported;
        }
        Err(_) => return Verdict::Invalid,
    };
    // OpenSSL accepts a signature with its leading zero bytes left out;
    // RFC 8017 wants exactly the modulus' length.
    let ok = if signature.len() < n.len() {
        let mut padded = vec![0u8; n.len() - signature.len()];
        padded.extend_from_slice(signature);
        check(&key, &padded).is_ok()
    } else {
        check(&key, signature).is_ok()
    };
    valid_if(ok)
}

impl Hash {
    fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(msg).to_vec(),
            Hash::Sha224 => Sha224::digest(msg).to_vec(),
            Hash::Sha256 => Sha256::digest(msg).to_vec(),
            Hash::Sha384 => Sha384::digest(msg).to_vec(),
            Hash::Sha512 => Sha512::digest(msg).to_vec(),
        }
    }

    /// PKCS#1 v1.5 with this hash: the rsa crate builds the `DigestInfo` prefix
    /// (RFC 8017 §9.2 note 1) from the digest's OID.
    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            Hash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            Hash::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }
}

/// Key families, to tell "wrong kind of key" (`Invalid`) from "cannot check".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Rsa,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    RsaPkcs1(Hash),
    RsaPss { hash: Hash, salt: usize },
    Ecdsa(Hash),
    Ed25519,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
    Other,
}

#[derive(Debug, Clone, Copy)]
enum Key<'a> {
    /// Modulus and exponent magnitudes; `pss_only` for an id-RSASSA-PSS key.
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
        pss_only: bool,
    },
    Ec {
        curve: Curve,
        point: &'a [u8],
    },
    Ed25519(&'a [u8]),
    Other(Family),
}

impl Key<'_> {
    fn family(&self) -> Family {
        match self {
            Key::Rsa { .. } => Family::Rsa,
            Key::Ec { .. } => Family::Ec,
            Key::Ed25519(_) => Family::Ed25519,
            Key::Other(f) => *f,
        }
    }
}

/// The signature algorithm's family and, when supported, its scheme.
/// `None` when the AlgorithmIdentifier is not even DER-shaped.
fn read_algorithm(der: &[u8]) -> Option<(Family, Option<Scheme>)> {
    let (alg, _) = split_tlv(der).ok()?;
    let (oid, params) = oid_and_params(&alg)?;
    let rsa = |h| Some((Family::Rsa, Some(Scheme::RsaPkcs1(h))));
    let ec = |h| Some((Family::Ec, Some(Scheme::Ecdsa(h))));
    if oids::is(oid, &oids::SHA256_WITH_RSA) {
        rsa(Hash::Sha256)
    } else if oids::is(oid, &oids::SHA384_WITH_RSA) {
        rsa(Hash::Sha384)
    } else if oids::is(oid, &oids::SHA512_WITH_RSA) {
        rsa(Hash::Sha512)
    } else if oids::is(oid, &oids::SHA1_WITH_RSA) || oids::is(oid, &oids::SHA1_WITH_RSA_OIW) {
        rsa(Hash::Sha1)
    } else if oids::is(oid, &oids::SHA224_WITH_RSA) {
        rsa(Hash::Sha224)
    } else if oids::is(oid, &oids::ECDSA_SHA256) {
        ec(Hash::Sha256)
    } else if oids::is(oid, &oids::ECDSA_SHA384) {
        ec(Hash::Sha384)
    } else if oids::is(oid, &oids::ECDSA_SHA512) {
        ec(Hash::Sha512)
    } else if oids::is(oid, &oids::ECDSA_SHA224) {
        ec(Hash::Sha224)
    } else if oids::is(oid, &oids::ECDSA_SHA1) {
        ec(Hash::Sha1)
    } else if oids::is(oid, &oids::RSASSA_PSS) {
        let scheme = PssParams::read(params).and_then(PssParams::scheme);
        Some((Family::Rsa, scheme))
    } else if oids::is(oid, &oids::ED25519) {
        Some((Family::Ed25519, Some(Scheme::Ed25519)))
    } else if oids::is(oid, &oids::ED448) {
        Some((Family::Ed448, None))
    } else {
        let family = match oids::signature_algorithm(oid).map(|(name, _)| name) {
            Some(n) if n.contains("RSA") => Family::Rsa,
            Some(n) if n.starts_with("ecdsa") => Family::Ec,
            Some(n) if n.starts_with("dsa") => Family::Dsa,
            _ => Family::Unknown,
        };
        Some((family, None))
    }
}

/// Reads the key of a SubjectPublicKeyInfo; `None` when malformed.
fn read_key(spki_der: &[u8]) -> Option<Key<'_>> {
    let (spki, _) = split_tlv(spki_der).ok()?;
    let mut r = Reader::new(spki.value);
    let alg = r.read().ok()?;
    let bits = r.read().ok().filter(|b| b.tag == tag::BIT_STRING)?;
    let key = match bits.value.split_first() {
        Some((0, key)) => key,
        _ => return None,
    };
    let (oid, params) = oid_and_params(&alg)?;
    let rsa_encryption = oids::is(oid, &oids::RSA_ENCRYPTION);
    if rsa_encryption || oids::is(oid, &oids::RSASSA_PSS) {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        let (seq, _) = split_tlv(key).ok()?;
        let mut kr = Reader::new(seq.value);
        let n = kr.read().ok().filter(|t| t.tag == tag::INTEGER)?;
        let e = kr.read().ok().filter(|t| t.tag == tag::INTEGER)?;
        let (n, e) = (unsigned(n.value)?, unsigned(e.value)?);
        Some(Key::Rsa {
            n,
            e,
            pss_only: !rsa_encryption,
        })
    } else if oids::is(oid, &oids::EC_PUBLIC_KEY) {
        let curve = match params {
            Some(p) if p.tag == tag::OID && oids::is(p.value, &oids::P256) => Curve::P256,
            Some(p) if p.tag == tag::OID && oids::is(p.value, &oids::P384) => Curve::P384,
            Some(p) if p.tag == tag::OID && oids::is(p.value, &oids::P521) => Curve::P521,
            _ => Curve::Other,
        };
        Some(Key::Ec { curve, point: key })
    } else if oids::is(oid, &oids::ED25519) {
        Some(Key::Ed25519(key))
    } else if oids::is(oid, &oids::ED448) {
        Some(Key::Other(Family::Ed448))
    } else if oids::is(oid, &oids::DSA) {
        Some(Key::Other(Family::Dsa))
    } else {
        Some(Key::Other(Family::Unknown))
    }
}

/// A non-negative INTEGER's contents without leading zero bytes; `None` if negative.
fn unsigned(value: &[u8]) -> Option<&[u8]> {
    let (&first, _) = value.split_first()?;
    if first & 0x80 != 0 {
        return None;
    }
    Some(crate::der::tlv::strip_zeros(value))
}

impl PssParams {
    fn scheme(self) -> Option<Scheme> {
        match (self.hash, self.mgf1_hash) {
            (Some(hash), Some(mgf)) if hash == mgf && self.trailer_ok => Some(Scheme::RsaPss {
                hash,
                salt: self.salt,
            }),
            _ => None,
        }
    }
}

/// Decides [`CertInfo::self_signed`]: a self-issued certificate whose own key
/// verifies its signature. Parsing (`x509`) never verifies; the stage after it does.
pub fn settle_self_signed(info: &mut CertInfo) {
    info.self_signed = info.self_issued && verify(info, info) == Verdict::Valid;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_lengths_ignore_leading_zero_bytes() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert_eq!(bit_len(&[0, 1]), 1);
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&[0, 0x0f, 0xff]), 12);
        assert_eq!(rsa_modulus_bits(&[0x30, 0x00]), None);
    }

    #[test]
    fn pss_parameters_default_to_sha1() {
        let p = PssParams::read(None).unwrap();
        assert_eq!(
            p.scheme(),
            Some(Scheme::RsaPss {
                hash: Hash::Sha1,
                salt: 20
            })
        );
        // SHA-256, MGF1-SHA-256, salt 32 (as `openssl req -sigopt rsa_padding_mode:pss` writes).
        let der = [
            0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
            0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48,
            0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
            0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
        ];
        let (tlv, _) = split_tlv(&der).unwrap();
        let p = PssParams::read(Some(tlv)).unwrap();
        assert_eq!(
            p.scheme(),
            Some(Scheme::RsaPss {
                hash: Hash::Sha256,
                salt: 32
            })
        );
        assert!(!crate::der::alg::pss_uses_sha1(Some(tlv)));
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [
            &[][..],
            &[0x30],
            &[0x30, 0x00],
            &[0x30, 0x03, 0x06, 0x01, 0x00],
        ] {
            assert_ne!(verify_signed(bytes, bytes, b"", bytes), Verdict::Valid);
        }
    }
}
