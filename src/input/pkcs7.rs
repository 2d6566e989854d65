//! PKCS#7 / CMS certs-only bundles (`.p7b`, `.p7c`): the certificates of a SignedData,
//! in DER or BER (indefinite lengths, as Windows tools and `openssl cms -stream` write).
//!
//! Why not `cms::content_info::ContentInfo` → `cms::signed_data::SignedData`: in
//! cms 0.3.0-rc.0 `CertificateSet` is a `SetOfVec`, which on decode re-sorts the
//! certificates into DER `SET OF` order (der 0.8 `set_of.rs`, `der_sort`), re-encoding
//! each one per comparison; the order a bundle lists its chain in is lost, and one
//! certificate that x509-cert's strict profile rejects fails the whole bundle. So this
//! module walks ContentInfo → SignedData → certificates itself with the TLV reader of
//! `der.rs` and slices each certificate's original bytes, in stored order, leaving
//! certificate parsing to the `cert` stage. The tests check the result against the
//! `cms` crate on a bundle both can read.

use super::der::{Tlv, TlvError, children, read_tlv};
use super::{Block, Decoded, Format};
use crate::findings::{Code, Finding};
use std::fmt;

/// Contents octets of OID 1.2.840.113549.1.7 (pkcs-7); the next octet names the type.
const PKCS7_ARC: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];
/// 1.2.840.113549.1.7.2, id-signedData.
const SIGNED_DATA: u8 = 0x02;

/// What a SignedData holds, in stored order.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Certificates<'a> {
    /// Each X.509 certificate's bytes exactly as stored.
    pub certs: Vec<&'a [u8]>,
    /// Other `CertificateChoices` (attribute, extended or other certificates).
    pub other_choices: usize,
    /// Certificates with BER indefinite lengths (not DER, so not usable).
    pub ber_certificates: usize,
}

/// Why bytes are not a readable PKCS#7 bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pkcs7Error {
    /// Not a ContentInfo at all.
    NotContentInfo,
    /// A ContentInfo of another type (`data`, `envelopedData`, …).
    NotSignedData(&'static str),
    /// The SignedData's structure is not as RFC 5652 §5.1 says.
    Malformed(&'static str),
    Tlv(TlvError),
}

impl fmt::Display for Pkcs7Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pkcs7Error::NotContentInfo => f.write_str("it is not a PKCS#7 ContentInfo"),
            Pkcs7Error::NotSignedData(what) => {
                write!(
                    f,
                    "it holds {what}, not SignedData, so it carries no certificates"
                )
            }
            Pkcs7Error::Malformed(what) => write!(f, "its SignedData is malformed ({what})"),
            Pkcs7Error::Tlv(e) => write!(f, "{e}"),
        }
    }
}

impl From<TlvError> for Pkcs7Error {
    fn from(e: TlvError) -> Self {
        Pkcs7Error::Tlv(e)
    }
}

/// Is this a ContentInfo whose content type is in the pkcs-7 arc? Returns the type's
/// last arc (2 for signedData). Used by the sniffer.
pub(crate) fn content_type(bytes: &[u8]) -> Option<u8> {
    let ci = read_tlv(bytes).ok()?;
    if ci.tag != 0x30 {
        return None;
    }
    let oid = children(ci.content).next()?.ok()?;
    if oid.tag != 0x06 {
        return None;
    }
    match oid.content.strip_prefix(PKCS7_ARC)? {
        [last] => Some(*last),
        _ => None,
    }
}

fn type_name(last: Option<u8>) -> &'static str {
    match last {
        Some(1) => "PKCS#7 data",
        Some(3) => "envelopedData",
        Some(4) => "signedAndEnvelopedData",
        Some(5) => "digestedData",
        Some(6) => "encryptedData",
        _ => "another content type",
    }
}

fn next<'a>(
    it: &mut impl Iterator<Item = Result<Tlv<'a>, TlvError>>,
    tag: u8,
    what: &'static str,
) -> Result<Tlv<'a>, Pkcs7Error> {
    match it.next() {
        Some(Ok(t)) if t.tag == tag => Ok(t),
        Some(Err(e)) => Err(e.into()),
        _ => Err(Pkcs7Error::Malformed(what)),
    }
}

/// The certificates of a PKCS#7 SignedData (RFC 5652 §5.1), DER or BER.
///
/// ```text
/// ContentInfo ::= SEQUENCE { contentType OID, content [0] EXPLICIT ANY }
/// SignedData ::= SEQUENCE { version, digestAlgorithms SET, encapContentInfo SEQUENCE,
///     certificates [0] IMPLICIT CertificateSet OPTIONAL, crls [1] OPTIONAL, signerInfos SET }
/// ```
/// Bytes after the ContentInfo are ignored.
pub(crate) fn certificates(bytes: &[u8]) -> Result<Certificates<'_>, Pkcs7Error> {
    let ci = read_tlv(bytes)?;
    if ci.tag != 0x30 {
        return Err(Pkcs7Error::NotContentInfo);
    }
    let mut fields = children(ci.content);
    let oid = next(&mut fields, 0x06, "no content type").map_err(|_| Pkcs7Error::NotContentInfo)?;
    match oid.content.strip_prefix(PKCS7_ARC) {
        Some([SIGNED_DATA]) => {}
        Some([last]) => return Err(Pkcs7Error::NotSignedData(type_name(Some(*last)))),
        _ => return Err(Pkcs7Error::NotSignedData(type_name(None))),
    }
    let explicit = next(&mut fields, 0xa0, "no [0] content")?;
    let signed_data = next(
        &mut children(explicit.content),
        0x30,
        "content is not a SEQUENCE",
    )?;
    let mut sd = children(signed_data.content);
    next(&mut sd, 0x02, "no version")?;
    next(&mut sd, 0x31, "no digestAlgorithms")?;
    next(&mut sd, 0x30, "no encapContentInfo")?;
    let mut out = Certificates::default();
    let set = match sd.next() {
        Some(Ok(t)) if t.tag == 0xa0 => t,
        Some(Err(e)) => return Err(e.into()),
        // No certificates field: a valid bundle with nothing in it.
        _ => return Ok(out),
    };
    for choice in children(set.content) {
        let choice = choice?;
        match (choice.tag, choice.indefinite) {
            (0x30, false) => out.certs.push(choice.raw),
            (0x30, true) => out.ber_certificates += 1,
            _ => out.other_choices += 1,
        }
    }
    Ok(out)
}

/// Findings about what a bundle held besides usable certificates. `at` names the
/// input (and line) in messages.
pub(crate) fn notes(
    at: &str,
    found: &Certificates<'_>,
    line: Option<usize>,
    findings: &mut Vec<Finding>,
) {
    if found.other_choices > 0 {
        let mut f = Finding::new(
            Code::InputSkippedBlock,
            format!(
                "{at}: skipped {} attribute or non-X.509 certificate(s) in the PKCS#7 bundle",
                found.other_choices
            ),
        );
        f.line = line;
        findings.push(f);
    }
    if found.ber_certificates > 0 {
        let mut f = Finding::new(
            Code::InputBadCertificate,
            format!(
                "{at}: {} certificate(s) in the PKCS#7 bundle use BER indefinite lengths, which no DER certificate has",
                found.ber_certificates
            ),
        );
        f.line = line;
        findings.push(f);
    }
}

/// Reads a binary PKCS#7 input (format `pkcs7`).
pub(crate) fn read(name: &str, bytes: &[u8]) -> Decoded {
    let mut blocks = Vec::new();
    let mut findings = Vec::new();
    match certificates(bytes) {
        Ok(found) => {
            notes(name, &found, None, &mut findings);
            blocks.extend(found.certs.into_iter().map(|der| Block {
                der: der.to_vec(),
                line: None,
                header: None,
                origin: None,
            }));
        }
        Err(e) => findings.push(Finding::new(
            Code::InputBadCertificate,
            format!("{name}: not a readable PKCS#7 certificate bundle: {e}"),
        )),
    }
    Decoded {
        format: Format::Pkcs7,
        blocks,
        findings,
        capture: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::{BER_SIGNED_B64, P7B_PEM, b64, ca_der, leaf_der};

    fn p7b_der() -> Vec<u8> {
        b64(P7B_PEM)
    }

    #[test]
    fn der_bundle_yields_its_certificates_in_stored_order() {
        let d = read("chain.p7b", &p7b_der());
        assert_eq!(d.format, Format::Pkcs7);
        assert!(d.findings.is_empty(), "{:?}", d.findings);
        let ders: Vec<_> = d.blocks.iter().map(|b| b.der.clone()).collect();
        assert_eq!(ders, vec![leaf_der(), ca_der()]);
        assert!(d.blocks.iter().all(|b| b.line.is_none()));
    }

    #[test]
    fn the_walker_agrees_with_the_cms_crate_on_the_set_of_certificates() {
        use cms::content_info::ContentInfo;
        use cms::signed_data::SignedData;
        use der::{Decode, Encode};
        let bytes = p7b_der();
        let ci = ContentInfo::from_der(&bytes).unwrap();
        let sd: SignedData = ci.content.decode_as().unwrap();
        let mut theirs: Vec<Vec<u8>> = sd
            .certificates
            .unwrap()
            .0
            .iter()
            .map(|c| match c {
                cms::cert::CertificateChoices::Certificate(c) => c.to_der().unwrap(),
                _ => panic!("unexpected choice"),
            })
            .collect();
        let mut ours: Vec<Vec<u8>> = certificates(&bytes)
            .unwrap()
            .certs
            .iter()
            .map(|c| c.to_vec())
            .collect();
        theirs.sort();
        ours.sort();
        assert_eq!(ours, theirs);
    }

    #[test]
    fn ber_signed_data_with_indefinite_lengths_is_read() {
        // `openssl cms -sign -stream -outform DER`: indefinite lengths throughout.
        let ber = b64(BER_SIGNED_B64);
        assert_eq!(&ber[..2], &[0x30, 0x80]);
        let found = certificates(&ber).unwrap();
        assert_eq!(
            found.certs,
            vec![leaf_der().as_slice(), ca_der().as_slice()]
        );
    }

    #[test]
    fn enveloped_data_is_not_a_certificate_bundle() {
        // ContentInfo { envelopedData, [0] { SEQUENCE {} } }
        let env = [
            0x30, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03, 0xa0,
            0x02, 0x30, 0x00,
        ];
        let d = read("x.p7m", &env);
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings[0].code, Code::InputBadCertificate);
        assert!(
            d.findings[0].message.contains("envelopedData"),
            "{}",
            d.findings[0].message
        );
    }

    #[test]
    fn a_signed_data_without_certificates_is_empty_not_an_error() {
        // SignedData { 1, {}, { data } , signerInfos {} }
        let sd = [
            0x30, 0x23, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
            0x16, 0x30, 0x14, 0x02, 0x01, 0x01, 0x31, 0x00, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86,
            0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0x31, 0x00,
        ];
        let d = read("empty.p7b", &sd);
        assert!(d.blocks.is_empty());
        assert!(d.findings.is_empty());
    }

    #[test]
    fn a_truncated_bundle_is_reported() {
        let der = p7b_der();
        let d = read("cut.p7b", &der[..der.len() / 2]);
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings.len(), 1);
        assert!(d.findings[0].message.starts_with("cut.p7b: "));
    }

    #[test]
    fn content_type_names_signed_data() {
        assert_eq!(content_type(&p7b_der()), Some(2));
        assert_eq!(content_type(&leaf_der()), None);
    }
}
