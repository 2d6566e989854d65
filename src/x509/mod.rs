//! Stage 2: a block's DER → the facts of one certificate.
//!
//! Knows only a block's bytes and line. Names, serial, validity window, digests,
//! public key, signature algorithm, SANs and key identifiers, read the way
//! `openssl x509` reads them (tolerating common non-DER quirks, reported as
//! notes). Never reads the clock: validity status is `validity.rs`'s job.
//!
//! Why a hand-written reader (`tlv`) rather than `x509-cert`: even its `Raw`
//! profile only relaxes the serial length and time encodings; it still refuses
//! BER lengths, non-minimal INTEGERs, BOOLEAN TRUE as `0x01`, explicit DEFAULT
//! values and other things OpenSSL reads. A second, lenient reader was needed
//! for those anyway, and since it must produce every field it is the only one:
//! one code path, each deviation seen (and noted) where it is read, the signed
//! `tbsCertificate` sliced from the input exactly as encoded, and no tree of
//! decoded values allocated for the 100k-certificate bundles.
//!
//! Layout: `tlv` (tag/length/value reader), `oids` (OpenSSL's names),
//! `name` (RFC 4514 display, attributes, RFC 5280 §7.1 key), `time`
//! (UTCTime/GeneralizedTime), `header` (s_client header check).

mod header;
mod name;
pub mod validity;

use crate::der::hex::{hex_lower, hex_upper};
use crate::der::oid as oids;
use crate::der::{time, tlv};
use crate::findings::{Notes, Quirk};

use chrono::{DateTime, Utc};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use std::sync::Arc;
use tlv::{Integer, Reader, Tlv, TlvError, split_tlv, strip_zeros, tag};

/// A name, kept in the two shapes certaudit needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name {
    /// RFC 4514 string, most specific attribute first: `CN=x,O=y,C=US`.
    pub display: String,
    /// Attributes in DER order (most general first), OpenSSL short names
    /// (`C`, `O`, `CN`, `emailAddress`, …) or the dotted OID; values as text.
    pub attrs: Vec<(String, String)>,
    /// RFC 5280 §7.1 comparison key: each RDN's type and value with case folded and
    /// internal whitespace collapsed. Two names are the same issuer iff keys are equal.
    pub key: String,
}

/// Everything `check` reports about one certificate, plus what chain analysis needs.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// Position as served, from 0 (counts only certificates that were read).
    pub index: usize,
    /// 1-based line of the block's BEGIN line; `None` for DER/PKCS#7.
    pub line: Option<usize>,
    /// Where inside a container it was found (`input::Block::origin`).
    pub origin: Option<String>,
    pub der: Vec<u8>,
    pub subject: Name,
    /// Shared: certificates of one CA hold the same one (see `name::parse_issuer`).
    pub issuer: Arc<Name>,
    /// Lower-case hex, no colons, no leading zero bytes ("00" for zero, as
    /// `openssl x509 -serial` prints it; a negative serial, which RFC 5280
    /// forbids, is `-` and its magnitude, as OpenSSL prints it).
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// basicConstraints cA is true.
    pub ca: bool,
    /// Subject and issuer names are equal (RFC 5280 §7.1).
    pub self_issued: bool,
    /// Self-issued and its own key verifies its signature (set by `signature`).
    pub self_signed: bool,
    /// Self-issued, but its own signature was not checked: the input's budget of
    /// self-signature checks was spent (`check::SelfChecks`). Not `self_signed`, and
    /// not judged either way.
    pub self_signature_skipped: bool,
    pub sha1: [u8; 20],
    pub sha256: [u8; 32],
    /// `RSA 2048`, `EC P-256`, `Ed25519`, … (contract "public_key").
    pub public_key: String,
    /// DER of the SubjectPublicKeyInfo (for verifying what this certificate issued,
    /// and for "same key" comparisons of cross-signed CAs).
    pub spki_der: Vec<u8>,
    /// OpenSSL's name (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `rsassaPss`,
    /// `ED25519`), else the dotted OID.
    pub signature_algorithm: String,
    /// DER of the outer signatureAlgorithm AlgorithmIdentifier (OID + parameters).
    pub signature_algorithm_der: Vec<u8>,
    /// The signed bytes: DER of tbsCertificate exactly as encoded in the input.
    pub tbs_der: Vec<u8>,
    /// The signatureValue BIT STRING's bytes.
    pub signature: Vec<u8>,
    /// Signed with SHA-1 or MD5 (or MD2/MD4).
    pub weak_signature: bool,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    /// The caIssuers URIs of the Authority Information Access extension: where the
    /// issuer's certificate can be downloaded (at most [`MAX_CA_ISSUERS`], each cut at
    /// [`MAX_URI`] bytes; raw text, escaped when shown).
    pub ca_issuers: Vec<String>,
    /// Non-conformities tolerated while reading (e.g. "serial is 21 octets").
    pub notes: Vec<crate::findings::Quirk>,
}

impl Name {
    /// A short label for a name: its (last) CN, else the whole name.
    pub fn short(&self) -> &str {
        self.attrs
            .iter()
            .rev()
            .find(|(k, _)| k == "CN")
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
            .unwrap_or(&self.display)
    }
}

impl CertInfo {
    /// A short label for a certificate: its CN, else its whole subject.
    pub fn short_name(&self) -> &str {
        self.subject.short()
    }
}

/// Why a block is not a certificate (becomes `input.bad_certificate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCertificate(pub String);

/// Reads one certificate. Never panics, whatever the bytes.
///
/// `der` should hold exactly one certificate; bytes after it are ignored with a
/// note. Everything that strict DER / RFC 5280 would refuse but OpenSSL reads
/// is read too, and reported in [`CertInfo::notes`].
pub fn parse(der: &[u8], index: usize, line: Option<usize>) -> Result<CertInfo, BadCertificate> {
    parse_owned(der.to_vec(), index, line, Keep::All)
}

/// What [`parse_owned`] keeps of a certificate's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Every field of [`CertInfo`] (chain analysis verifies signatures with them).
    All,
    /// What a report of facts needs (`check --bundle` streaming): `tbs_der`,
    /// `spki_der`, `signature` and `signature_algorithm_der` stay empty, except for
    /// a self-issued certificate, whose own signature decides `self_signed`
    /// (`verify::settle_self_signed`).
    Facts,
}

/// [`parse`] taking the block's bytes: they become [`CertInfo::der`] without a copy.
pub fn parse_owned(
    mut der: Vec<u8>,
    index: usize,
    line: Option<usize>,
    keep: Keep,
) -> Result<CertInfo, BadCertificate> {
    let mut notes = Notes::default();
    let Fields {
        der: cert_der,
        tbs,
        signature_algorithm_der,
        signature,
        spki,
        serial,
        subject,
        issuer,
        not_before,
        not_after,
        ca,
        public_key,
        signature_algorithm,
        weak_signature,
        dns_names,
        ip_addresses,
        subject_key_id,
        authority_key_id,
        ca_issuers,
    } = read_certificate(&der, &mut notes).map_err(BadCertificate)?;
    let self_issued = subject.key == issuer.key;
    let bytes = |b: &[u8]| {
        if keep == Keep::All || self_issued {
            b.to_vec()
        } else {
            Vec::new()
        }
    };
    let sha1 = Sha1::digest(cert_der).into();
    let sha256 = Sha256::digest(cert_der).into();
    let spki_der = bytes(spki);
    let signature_algorithm_der = bytes(signature_algorithm_der);
    let tbs_der = bytes(tbs);
    let signature = bytes(signature);
    // The certificate is the first element of the block: drop what follows it.
    let len = cert_der.len();
    der.truncate(len);
    let mut info = CertInfo {
        index,
        line,
        origin: None,
        der,
        serial,
        not_before,
        not_after,
        ca,
        self_issued,
        // Decided by `verify::settle_self_signed`: parsing never verifies.
        self_signed: false,
        self_signature_skipped: false,
        sha1,
        sha256,
        public_key,
        spki_der,
        signature_algorithm,
        signature_algorithm_der,
        tbs_der,
        signature,
        weak_signature,
        dns_names,
        ip_addresses,
        subject_key_id,
        authority_key_id,
        ca_issuers,
        subject,
        issuer,
        notes: Vec::new(),
    };
    info.notes = notes.into_vec();
    Ok(info)
}

pub use header::check_header;

/// The fields of a certificate, borrowing from the input.
struct Fields<'a> {
    der: &'a [u8],
    tbs: &'a [u8],
    signature_algorithm_der: &'a [u8],
    signature: &'a [u8],
    spki: &'a [u8],
    serial: String,
    subject: Name,
    issuer: Arc<Name>,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    ca: bool,
    public_key: String,
    signature_algorithm: String,
    weak_signature: bool,
    dns_names: Vec<String>,
    ip_addresses: Vec<IpAddr>,
    subject_key_id: Option<Vec<u8>>,
    authority_key_id: Option<Vec<u8>>,
    ca_issuers: Vec<String>,
}

/// Reads the next element of `r`, naming it `what` in errors.
fn next<'a>(r: &mut Reader<'a>, what: &str, notes: &mut Notes) -> Result<Tlv<'a>, String> {
    next_with(r, || what.to_owned(), notes)
}

/// [`next`] with the name made only for an error (no allocation on the way).
fn next_with<'a>(
    r: &mut Reader<'a>,
    what: impl Fn() -> String,
    notes: &mut Notes,
) -> Result<Tlv<'a>, String> {
    let tlv = r
        .read()
        .map_err(|e| format!("{}: the certificate is corrupted", e.describe(&what())))?;
    notes.check_length(&tlv);
    Ok(tlv)
}

/// Like [`next`], and checks the element's tag.
fn expect<'a>(
    r: &mut Reader<'a>,
    tag_: u8,
    what: &str,
    notes: &mut Notes,
) -> Result<Tlv<'a>, String> {
    expect_with(r, tag_, || what.to_owned(), notes)
}

/// [`expect`] with the name made only for an error.
fn expect_with<'a>(
    r: &mut Reader<'a>,
    tag_: u8,
    what: impl Fn() -> String,
    notes: &mut Notes,
) -> Result<Tlv<'a>, String> {
    let tlv = next_with(r, &what, notes)?;
    if tlv.tag != tag_ {
        let what = what();
        return Err(format!(
            "{what} has tag 0x{:02x} where 0x{tag_:02x} belongs: the certificate is corrupted",
            tlv.tag
        ));
    }
    Ok(tlv)
}

/// Splits the outer `Certificate` SEQUENCE off the input with errors a person
/// can act on ("truncated" rather than "unexpected end of input").
fn outer(der: &[u8]) -> Result<(Tlv<'_>, &[u8]), String> {
    match der.first() {
        None => return Err("the block is empty".to_owned()),
        Some(&tag::SEQUENCE) => {}
        Some(&b) => {
            return Err(format!(
                "it does not begin with a DER SEQUENCE (first byte 0x{b:02x})"
            ));
        }
    }
    split_tlv(der).map_err(|e| match e {
        TlvError::Empty => "the block is empty".to_owned(),
        TlvError::HeaderTruncated { have } => format!(
            "DER ends after {have} bytes, inside the certificate's length: the certificate is truncated"
        ),
        TlvError::Truncated { need, have } => {
            format!("DER ends after {have} of {need} bytes: the certificate is truncated")
        }
        TlvError::Indefinite => {
            "it uses a BER indefinite length; certificates are DER".to_owned()
        }
        TlvError::TooLong => "its length field is impossible".to_owned(),
    })
}

fn read_certificate<'a>(der: &'a [u8], notes: &mut Notes) -> Result<Fields<'a>, String> {
    let (cert, trailing) = outer(der)?;
    notes.check_length(&cert);
    if !trailing.is_empty() {
        notes.add(Quirk::TrailingBytes {
            count: trailing.len(),
        });
    }

    // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
    let mut top = Reader::new(cert.value);
    let tbs = expect(&mut top, tag::SEQUENCE, "the tbsCertificate", notes)?;
    let sig_alg = expect(&mut top, tag::SEQUENCE, "the signatureAlgorithm", notes)?;
    let sig_value = expect(&mut top, tag::BIT_STRING, "the signature value", notes)?;
    if !top.is_empty() {
        // Not a certificate (RFC 5280 §4.1 has exactly three fields), and what follows
        // could be anything, a private key included: `fix` would write it out whole.
        return Err(
            "the certificate SEQUENCE has fields after its signature (RFC 5280 allows exactly three); none of them is shown"
                .to_owned(),
        );
    }
    let signature = match sig_value.value.split_first() {
        Some((0, bits)) => bits,
        Some((unused, bits)) => {
            notes.add(Quirk::SignatureUnusedBits { unused: *unused });
            bits
        }
        None => {
            notes.add(Quirk::EmptySignature);
            &[]
        }
    };
    let (sig_oid, sig_params) = algorithm_identifier(&sig_alg, "the signatureAlgorithm", notes)?;
    // A bare hash OID as the algorithm (old certificates have `md5`) is named as
    // OpenSSL names it, and is weak when the hash is.
    let known = oids::signature_algorithm(sig_oid).or_else(|| oids::hash(sig_oid));
    let (signature_algorithm, mut weak_signature) = match known {
        Some((name, weak)) => (name.to_owned(), weak),
        None => (dotted(sig_oid), false),
    };
    if oids::is(sig_oid, &oids::RSASSA_PSS) {
        weak_signature = crate::der::alg::pss_uses_sha1(sig_params);
    }

    // TBSCertificate (RFC 5280 §4.1).
    let mut t = Reader::new(tbs.value);
    let version = match t.read_if(tag::explicit(0)) {
        Ok(Some(v)) => {
            notes.check_length(&v);
            let mut vr = Reader::new(v.value);
            let int = expect(&mut vr, tag::INTEGER, "the version", notes)?;
            let parsed = Integer::parse(int.value)
                .filter(|i| !i.negative && i.magnitude.len() <= 1)
                .map(|i| i.magnitude.first().copied().unwrap_or(0));
            match parsed {
                Some(0) => {
                    notes.add(Quirk::ExplicitDefaultVersion);
                    0
                }
                Some(v @ (1 | 2)) => v,
                _ => {
                    notes.add(Quirk::UnknownVersion {
                        hex: hex_lower(int.value),
                    });
                    2
                }
            }
        }
        Ok(None) => 0,
        Err(e) => {
            return Err(format!(
                "{}: the certificate is corrupted",
                e.describe("the version")
            ));
        }
    };

    let serial_tlv = expect(&mut t, tag::INTEGER, "the serial number", notes)?;
    let serial = read_serial(serial_tlv.value, notes)?;

    let inner_alg = expect(
        &mut t,
        tag::SEQUENCE,
        "the tbsCertificate signature algorithm",
        notes,
    )?;
    if inner_alg.raw != sig_alg.raw {
        notes.add(Quirk::InnerSignatureAlgorithmDiffers);
    }

    let issuer_tlv = next(&mut t, "the issuer name", notes)?;
    let issuer = name::parse_issuer(&issuer_tlv, notes)?;

    let validity = expect(&mut t, tag::SEQUENCE, "the validity", notes)?;
    let mut vr = Reader::new(validity.value);
    let nb = next(&mut vr, "notBefore", notes)?;
    let na = next(&mut vr, "notAfter", notes)?;
    let not_before = time::parse(&nb, "notBefore", notes)?;
    let not_after = time::parse(&na, "notAfter", notes)?;

    let subject_tlv = next(&mut t, "the subject name", notes)?;
    let subject = name::parse(&subject_tlv, "subject", notes)?;

    let spki = expect(&mut t, tag::SEQUENCE, "the subjectPublicKeyInfo", notes)?;
    let public_key = describe_public_key(&spki, notes)?;

    let mut fields = Fields {
        der: cert.raw,
        tbs: tbs.raw,
        signature_algorithm_der: sig_alg.raw,
        signature,
        spki: spki.raw,
        serial,
        subject,
        issuer,
        not_before,
        not_after,
        ca: false,
        public_key,
        signature_algorithm,
        weak_signature,
        dns_names: Vec::new(),
        ip_addresses: Vec::new(),
        subject_key_id: None,
        authority_key_id: None,
        ca_issuers: Vec::new(),
    };

    // issuerUniqueID [1], subjectUniqueID [2] (IMPLICIT BIT STRING), extensions [3].
    while let Some(tag_) = t.peek_tag() {
        let item = next(&mut t, "a field after the public key", notes)?;
        match tag_ {
            0x81 | 0xa1 | 0x82 | 0xa2 => {
                if version == 0 {
                    notes.add(Quirk::UniqueIdsInV1);
                }
            }
            0xa3 => {
                if version != 2 {
                    notes.add(Quirk::ExtensionsBeforeV3 {
                        version: u32::from(version) + 1,
                    });
                }
                read_extensions(&item, &mut fields, notes)?;
            }
            other => notes.add(Quirk::UnexpectedTbsField { tag: other }),
        }
    }
    Ok(fields)
}

/// The OID's contents and the parameters' whole element (if any).
fn algorithm_identifier<'a>(
    alg: &Tlv<'a>,
    what: &str,
    notes: &mut Notes,
) -> Result<(&'a [u8], Option<Tlv<'a>>), String> {
    let mut r = Reader::new(alg.value);
    let oid = expect_with(
        &mut r,
        tag::OID,
        || format!("the algorithm of {what}"),
        notes,
    )?;
    let params = if r.is_empty() {
        None
    } else {
        Some(next_with(
            &mut r,
            || format!("the parameters of {what}"),
            notes,
        )?)
    };
    Ok((oid.value, params))
}

/// An OID as shown: its name when certaudit knows one (`oid::name`: signature
/// algorithms, hashes, curves), else dotted.
fn dotted(oid: &[u8]) -> String {
    if let Some(name) = oids::name(oid) {
        return name.to_owned();
    }
    tlv::oid_to_string(oid).unwrap_or_else(|| format!("(malformed OID {})", hex_lower(oid)))
}

/// The serial in lower-case hex, noting what RFC 5280 §4.1.2.2 forbids.
fn read_serial(value: &[u8], notes: &mut Notes) -> Result<String, String> {
    let int = Integer::parse(value)
        .ok_or_else(|| "the serial number is empty: the certificate is corrupted".to_owned())?;
    if !int.minimal {
        notes.add(Quirk::SerialLeadingBytes);
    }
    if int.magnitude.len() > 20 {
        notes.add(Quirk::SerialTooLong {
            octets: int.magnitude.len(),
        });
    }
    // A zero serial breaks RFC 5280 §4.1.2.2 too, but several trusted roots
    // have one and validators accept it: no note. Negative ones are refused by
    // some (webpki), so they are noted.
    if int.negative {
        notes.add(Quirk::SerialNegative);
    }
    Ok(format_serial(&int))
}

/// Lower-case hex without leading zero bytes, `00` for zero, `-` before a
/// negative serial's magnitude (as `openssl x509 -serial` prints it).
fn format_serial(int: &Integer) -> String {
    if int.magnitude.is_empty() {
        return "00".to_owned();
    }
    let hex = hex_lower(&int.magnitude);
    if int.negative { format!("-{hex}") } else { hex }
}

/// `RSA 2048`, `EC P-256`, `Ed25519`, … for a SubjectPublicKeyInfo.
fn describe_public_key(spki: &Tlv<'_>, notes: &mut Notes) -> Result<String, String> {
    let mut r = Reader::new(spki.value);
    let alg = expect(&mut r, tag::SEQUENCE, "the public key algorithm", notes)?;
    let key = expect(&mut r, tag::BIT_STRING, "the public key", notes)?;
    let (oid, params) = algorithm_identifier(&alg, "the public key", notes)?;
    let key_bytes = key.value.get(1..).unwrap_or_default();
    let rsa_bits = || {
        let mut kr = Reader::new(key_bytes);
        match kr.read() {
            Ok(seq) if seq.tag == tag::SEQUENCE => match Reader::new(seq.value).read() {
                Ok(n) if n.tag == tag::INTEGER => Some(bit_length(n.value)),
                _ => None,
            },
            _ => None,
        }
    };
    let text = if oids::is(oid, &oids::RSA_ENCRYPTION) {
        rsa_bits().map_or_else(|| "RSA (malformed key)".to_owned(), |b| format!("RSA {b}"))
    } else if oids::is(oid, &oids::RSASSA_PSS) {
        rsa_bits().map_or_else(
            || "RSA-PSS (malformed key)".to_owned(),
            |b| format!("RSA-PSS {b}"),
        )
    } else if oids::is(oid, &oids::EC_PUBLIC_KEY) {
        match params {
            Some(p) if p.tag == tag::OID => match oids::curve_name(p.value) {
                Some(name) => format!("EC {name}"),
                None => format!("EC {}", dotted(p.value)),
            },
            Some(p) if p.tag == tag::SEQUENCE => "EC (explicit parameters)".to_owned(),
            _ => "EC".to_owned(),
        }
    } else if oids::is(oid, &oids::ED25519) {
        "Ed25519".to_owned()
    } else if oids::is(oid, &oids::ED448) {
        "Ed448".to_owned()
    } else if oids::is(oid, &oids::X25519) {
        "X25519".to_owned()
    } else if oids::is(oid, &oids::X448) {
        "X448".to_owned()
    } else if oids::is(oid, &oids::DSA) {
        // Dss-Parms ::= SEQUENCE { p, q, g }: the size is p's.
        let p_bits = params.filter(|p| p.tag == tag::SEQUENCE).and_then(|p| {
            match Reader::new(p.value).read() {
                Ok(int) if int.tag == tag::INTEGER => Some(bit_length(int.value)),
                _ => None,
            }
        });
        p_bits.map_or_else(|| "DSA".to_owned(), |b| format!("DSA {b}"))
    } else if oids::is(oid, &oids::GOST2001) {
        "GOST R 34.10-2001".to_owned()
    } else if oids::is(oid, &oids::GOST2012_256) {
        "GOST R 34.10-2012 256".to_owned()
    } else if oids::is(oid, &oids::GOST2012_512) {
        "GOST R 34.10-2012 512".to_owned()
    } else {
        dotted(oid)
    };
    Ok(text)
}

/// Bits in an unsigned big-endian INTEGER's contents.
fn bit_length(value: &[u8]) -> usize {
    let m = strip_zeros(value);
    match m.first() {
        Some(&b) => (m.len() - 1) * 8 + (8 - b.leading_zeros() as usize),
        None => 0,
    }
}

/// Reads the `[3]` extensions, filling what certaudit reports.
fn read_extensions(
    item: &Tlv<'_>,
    fields: &mut Fields<'_>,
    notes: &mut Notes,
) -> Result<(), String> {
    let mut r = Reader::new(item.value);
    let list = expect(&mut r, tag::SEQUENCE, "the extensions", notes)?;
    let mut exts = Reader::new(list.value);
    if exts.is_empty() {
        notes.add(Quirk::EmptyExtensions);
    }
    // Identifiers seen so far: on the stack for the usual handful, then in a Vec.
    let mut seen: [&[u8]; 24] = [&[]; 24];
    let mut seen_count = 0usize;
    // Past the stack's 24, a hash set: a certificate may carry 80,000 extensions.
    let mut seen_more: std::collections::HashSet<&[u8]> = std::collections::HashSet::new();
    while !exts.is_empty() {
        let ext = expect(&mut exts, tag::SEQUENCE, "an extension", notes)?;
        let mut er = Reader::new(ext.value);
        let oid = expect(&mut er, tag::OID, "an extension's identifier", notes)?.value;
        let name = || oids::extension_name(oid);
        let mut critical = false;
        if let Some(b) = er
            .read_if(tag::BOOLEAN)
            .map_err(|e| e.describe("an extension's critical flag"))?
        {
            critical = read_boolean(
                b.value,
                || format!("the critical flag of {}", name()),
                notes,
            );
            if !critical {
                notes.add(Quirk::ExplicitNonCritical { extension: name() });
            }
        }
        let value = expect(&mut er, tag::OCTET_STRING, "an extension's value", notes)?.value;
        let seen_before =
            seen.get(..seen_count).unwrap_or_default().contains(&oid) || seen_more.contains(&oid);
        if seen_before {
            notes.add(Quirk::RepeatedExtension { extension: name() });
            continue;
        }
        match seen.get_mut(seen_count) {
            Some(slot) => {
                *slot = oid;
                seen_count += 1;
            }
            None => {
                seen_more.insert(oid);
            }
        }
        if oids::is(oid, &oids::CT_POISON) {
            notes.add(Quirk::Precertificate);
        } else if critical && !oids::is_known_extension(oid) {
            notes.add(Quirk::UnknownCriticalExtension { extension: name() });
        }
        let result = if oids::is(oid, &oids::BASIC_CONSTRAINTS) {
            read_basic_constraints(value, notes).map(|ca| fields.ca = ca)
        } else if oids::is(oid, &oids::SUBJECT_ALT_NAME) {
            read_subject_alt_name(value, fields, notes)
        } else if oids::is(oid, &oids::SUBJECT_KEY_ID) {
            read_octets(value).map(|id| fields.subject_key_id = Some(id))
        } else if oids::is(oid, &oids::AUTHORITY_KEY_ID) {
            read_authority_key_id(value).map(|id| fields.authority_key_id = id)
        } else if oids::is(oid, &oids::AUTHORITY_INFO_ACCESS) {
            read_ca_issuers(value).map(|uris| fields.ca_issuers = uris)
        } else {
            Ok(())
        };
        if let Err(why) = result {
            notes.add(Quirk::UnreadableExtension {
                extension: name(),
                why: why.to_string(),
            });
        }
    }
    Ok(())
}

/// A BOOLEAN's value as OpenSSL reads it (any non-zero octet is TRUE).
fn read_boolean(value: &[u8], what: impl Fn() -> String, notes: &mut Notes) -> bool {
    match value {
        [0x00] => false,
        [0xff] => true,
        [b] => {
            notes.add(Quirk::BooleanNotFf {
                what: what(),
                byte: *b,
            });
            true
        }
        _ => {
            notes.add(Quirk::LongBoolean {
                what: what().to_string(),
                len: value.len(),
            });
            value.iter().any(|&b| b != 0)
        }
    }
}

/// BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER OPTIONAL }
fn read_basic_constraints(value: &[u8], notes: &mut Notes) -> Result<bool, String> {
    let (seq, _) = split_tlv(value).map_err(|e| e.describe("the value"))?;
    if seq.tag != tag::SEQUENCE {
        return Err("not a SEQUENCE".to_owned());
    }
    let mut r = Reader::new(seq.value);
    match r.read_if(tag::BOOLEAN).map_err(|e| e.describe("cA"))? {
        Some(b) => {
            let ca = read_boolean(b.value, || "basicConstraints cA".to_owned(), notes);
            if !ca {
                notes.add(Quirk::ExplicitCaFalse);
            }
            Ok(ca)
        }
        None => Ok(false),
    }
}

/// GeneralNames: dNSName `[2]` and iPAddress `[7]`; other forms are skipped.
fn read_subject_alt_name(
    value: &[u8],
    fields: &mut Fields<'_>,
    notes: &mut Notes,
) -> Result<(), String> {
    let (seq, _) = split_tlv(value).map_err(|e| e.describe("the value"))?;
    if seq.tag != tag::SEQUENCE {
        return Err("not a SEQUENCE".to_owned());
    }
    let mut r = Reader::new(seq.value);
    if r.is_empty() {
        notes.add(Quirk::EmptySubjectAltName);
    }
    while !r.is_empty() {
        let gn = r.read().map_err(|e| e.describe("a name"))?;
        match gn.tag {
            0x82 => {
                let (name, bad) = dns_name_text(gn.value);
                if let Some(byte) = bad {
                    notes.add(Quirk::NonAsciiDnsName { byte });
                }
                fields.dns_names.push(name);
            }
            0x87 => match gn.value.len() {
                4 => {
                    let mut a = [0u8; 4];
                    a.copy_from_slice(gn.value);
                    fields.ip_addresses.push(IpAddr::from(a));
                }
                16 => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(gn.value);
                    fields.ip_addresses.push(IpAddr::from(a));
                }
                n => notes.add(Quirk::IpAddressLength { len: n }),
            },
            _ => {}
        }
    }
    Ok(())
}

/// SubjectKeyIdentifier ::= OCTET STRING
fn read_octets(value: &[u8]) -> Result<Vec<u8>, String> {
    match split_tlv(value) {
        Ok((o, _)) if o.tag == tag::OCTET_STRING => Ok(o.value.to_vec()),
        Ok(_) => Err("not an OCTET STRING".to_owned()),
        Err(e) => Err(e.describe("the value")),
    }
}

/// AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING OPTIONAL, … }
fn read_authority_key_id(value: &[u8]) -> Result<Option<Vec<u8>>, String> {
    let (seq, _) = split_tlv(value).map_err(|e| e.describe("the value"))?;
    if seq.tag != tag::SEQUENCE {
        return Err("not a SEQUENCE".to_owned());
    }
    let mut r = Reader::new(seq.value);
    Ok(r.read_if(tag::implicit(0))
        .map_err(|e| e.describe("keyIdentifier"))?
        .map(|k| k.value.to_vec()))
}

/// How many caIssuers URIs a certificate keeps (CAs write one or two).
pub const MAX_CA_ISSUERS: usize = 4;
/// How many bytes of one URI are kept.
pub const MAX_URI: usize = 2048;

/// AuthorityInfoAccessSyntax ::= SEQUENCE OF AccessDescription { accessMethod OID,
/// accessLocation GeneralName }: the uniformResourceIdentifier `[6]` locations of
/// the caIssuers method.
fn read_ca_issuers(value: &[u8]) -> Result<Vec<String>, String> {
    let (seq, _) = split_tlv(value).map_err(|e| e.describe("the value"))?;
    if seq.tag != tag::SEQUENCE {
        return Err("not a SEQUENCE".to_owned());
    }
    let mut uris = Vec::new();
    let mut r = Reader::new(seq.value);
    while !r.is_empty() && uris.len() < MAX_CA_ISSUERS {
        let desc = r.read().map_err(|e| e.describe("an access description"))?;
        if desc.tag != tag::SEQUENCE {
            return Err("an access description is not a SEQUENCE".to_owned());
        }
        let mut d = Reader::new(desc.value);
        let method = d.read().map_err(|e| e.describe("an access method"))?;
        let location = d.read().map_err(|e| e.describe("an access location"))?;
        if method.tag == tag::OID
            && oids::is(method.value, &oids::CA_ISSUERS)
            && location.tag == 0x86
        {
            let uri = location.value.get(..MAX_URI).unwrap_or(location.value);
            uris.push(String::from_utf8_lossy(uri).into_owned());
        }
    }
    Ok(uris)
}

#[cfg(test)]
mod tests;

/// A dNSName's text and its first byte above 0x7f, if any. RFC 5280 wants ASCII
/// (A-labels); one that is not is shown as the UTF-8 its issuer meant when it is
/// valid UTF-8 (`biztosítás.hu`, not `biztosÃ­tás.hu`), else byte by byte.
fn dns_name_text(bytes: &[u8]) -> (String, Option<u8>) {
    let bad = bytes.iter().copied().find(|&b| b > 0x7f);
    let text = match std::str::from_utf8(bytes) {
        Ok(utf8) => utf8.to_owned(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    (text, bad)
}

#[cfg(test)]
mod dns_name_tests {
    use super::dns_name_text;

    #[test]
    fn utf8_dns_names_are_not_shown_as_latin1() {
        assert_eq!(
            dns_name_text(b"example.com"),
            ("example.com".to_owned(), None)
        );
        assert_eq!(
            dns_name_text("biztosítás.hu".as_bytes()),
            ("biztosítás.hu".to_owned(), Some(0xc3))
        );
        assert_eq!(
            dns_name_text(b"caf\xe9.de"),
            ("café.de".to_owned(), Some(0xe9))
        );
    }
}
