//! Binary DER input: one certificate, or several concatenated, split by their outer
//! SEQUENCE lengths. Also the small BER-tolerant TLV reader the PKCS#7 walker and the
//! sniffer share.
//!
//! This module only splits: whether the bytes of a SEQUENCE really are an X.509
//! certificate is decided by the `cert` stage. It intercepts only what is clearly
//! something else (a private key, a PKCS#12 file, a bare public key), so that a key's
//! bytes never travel further and the user learns what the file actually is.

use super::{Block, Decoded, Format};
use crate::findings::{Code, Finding};
use std::fmt;

/// Nesting limit for indefinite-length (BER) walks: hostile input must not recurse
/// without bound. Real PKCS#7 files nest a handful of levels.
const MAX_DEPTH: usize = 32;

/// One tag-length-value element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tlv<'a> {
    /// The first identifier octet (class, constructed bit and low tag number).
    pub tag: u8,
    /// The contents octets (for an indefinite length: the children, without the
    /// end-of-contents marker).
    pub content: &'a [u8],
    /// The whole element as encoded, header and end-of-contents included.
    pub raw: &'a [u8],
    /// The length was BER's indefinite form (0x80).
    pub indefinite: bool,
}

/// Why bytes are not a TLV element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TlvError {
    /// The data ends inside the header.
    Truncated,
    /// The length says `need` bytes but only `have` are there.
    TooShort { need: usize, have: usize },
    /// A length of more than 4 octets, or one that overflows.
    BadLength,
    /// An indefinite length on a primitive element, or one without its end marker.
    BadIndefinite,
    /// Indefinite lengths nested deeper than anything real.
    TooDeep,
}

impl fmt::Display for TlvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlvError::Truncated => f.write_str("the data ends inside an element's header"),
            TlvError::TooShort { need, have } => write!(
                f,
                "an element's length says {need} bytes but only {have} are there (the data is cut short)"
            ),
            TlvError::BadLength => f.write_str("an element has an impossible length"),
            TlvError::BadIndefinite => {
                f.write_str("an indefinite-length element is malformed or lacks its end marker")
            }
            TlvError::TooDeep => f.write_str("indefinite-length elements are nested too deeply"),
        }
    }
}

/// Reads the element at the start of `input` (DER, or BER with indefinite lengths).
pub(crate) fn read_tlv(input: &[u8]) -> Result<Tlv<'_>, TlvError> {
    read_at_depth(input, 0)
}

fn read_at_depth(input: &[u8], depth: usize) -> Result<Tlv<'_>, TlvError> {
    let (&tag, mut rest) = input.split_first().ok_or(TlvError::Truncated)?;
    let mut header = 1usize;
    if tag & 0x1f == 0x1f {
        // High tag number form: base-128 octets, the last without bit 8.
        loop {
            let (&b, r) = rest.split_first().ok_or(TlvError::Truncated)?;
            rest = r;
            header += 1;
            if b & 0x80 == 0 {
                break;
            }
            if header > 6 {
                return Err(TlvError::BadLength);
            }
        }
    }
    let (&first, r) = rest.split_first().ok_or(TlvError::Truncated)?;
    rest = r;
    header += 1;
    if first == 0x80 {
        if tag & 0x20 == 0 {
            return Err(TlvError::BadIndefinite);
        }
        if depth >= MAX_DEPTH {
            return Err(TlvError::TooDeep);
        }
        // Walk the children until the end-of-contents octets 00 00. Definite children
        // are skipped by their length, so the walk is linear in the input.
        let mut pos = 0usize;
        loop {
            let tail = rest.get(pos..).ok_or(TlvError::BadIndefinite)?;
            if tail.starts_with(&[0, 0]) {
                let content = rest.get(..pos).ok_or(TlvError::BadIndefinite)?;
                let total = header
                    .checked_add(pos)
                    .and_then(|n| n.checked_add(2))
                    .ok_or(TlvError::BadLength)?;
                let raw = input.get(..total).ok_or(TlvError::BadIndefinite)?;
                return Ok(Tlv {
                    tag,
                    content,
                    raw,
                    indefinite: true,
                });
            }
            if tail.is_empty() {
                return Err(TlvError::BadIndefinite);
            }
            let child = read_at_depth(tail, depth + 1).map_err(|e| match e {
                TlvError::TooDeep => TlvError::TooDeep,
                _ => TlvError::BadIndefinite,
            })?;
            pos = pos
                .checked_add(child.raw.len())
                .ok_or(TlvError::BadLength)?;
        }
    }
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n > 4 {
            return Err(TlvError::BadLength);
        }
        let octets = rest.get(..n).ok_or(TlvError::Truncated)?;
        rest = rest.get(n..).ok_or(TlvError::Truncated)?;
        header += n;
        octets
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    let total = header.checked_add(len).ok_or(TlvError::BadLength)?;
    let content = rest.get(..len).ok_or(TlvError::TooShort {
        need: total,
        have: input.len(),
    })?;
    let raw = input.get(..total).ok_or(TlvError::BadLength)?;
    Ok(Tlv {
        tag,
        content,
        raw,
        indefinite: false,
    })
}

/// The elements inside a constructed element's contents, in order.
pub(crate) fn children(content: &[u8]) -> Children<'_> {
    Children {
        rest: content,
        failed: false,
    }
}

/// Iterator of [`children`]; stops after the first error.
pub(crate) struct Children<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Iterator for Children<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        match read_tlv(self.rest) {
            Ok(t) => {
                self.rest = self.rest.get(t.raw.len()..).unwrap_or_default();
                Some(Ok(t))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// The length of the definite-length SEQUENCE at the start of `der`, when it fits:
/// how a certificate is cut from trailing bytes (a `TRUSTED CERTIFICATE`'s trust
/// settings, padding).
pub(crate) fn certificate_len(der: &[u8]) -> Option<usize> {
    match read_tlv(der) {
        Ok(t) if t.tag == 0x30 && !t.indefinite => Some(t.raw.len()),
        _ => None,
    }
}

/// What a top-level SEQUENCE looks like, judged by its first elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Starts with a SEQUENCE: a certificate, or something the `cert` stage rejects.
    CertificateLike,
    /// SEQUENCE { SEQUENCE, BIT STRING }: a SubjectPublicKeyInfo.
    PublicKey,
    /// Starts with INTEGER 0 or 1: PKCS#8, PKCS#1, SEC1 or DSA private key.
    PrivateKey,
    /// Starts with INTEGER 3 then a SEQUENCE: PKCS#12.
    Pkcs12,
    Other,
}

fn shape(seq: &Tlv<'_>) -> Shape {
    let mut kids = children(seq.content);
    let first = match kids.next() {
        Some(Ok(t)) => t,
        _ => return Shape::Other,
    };
    match first.tag {
        0x30 => {
            let rest: Vec<u8> = kids
                .by_ref()
                .take(3)
                .map_while(Result::ok)
                .map(|t| t.tag)
                .collect();
            if rest == [0x03] {
                Shape::PublicKey
            } else {
                Shape::CertificateLike
            }
        }
        0x02 => match first.content {
            [0] | [1] => Shape::PrivateKey,
            [3] => Shape::Pkcs12,
            _ => Shape::Other,
        },
        _ => Shape::Other,
    }
}

/// Only whitespace or NUL padding is left (tools pad files; that is not data).
fn is_padding(rest: &[u8]) -> bool {
    rest.iter()
        .all(|b| matches!(b, 0 | b'\r' | b'\n' | b' ' | b'\t'))
}

/// Reads a binary DER input: every top-level SEQUENCE in turn, as format `der`.
pub(crate) fn read(name: &str, bytes: &[u8]) -> Decoded {
    let mut blocks = Vec::new();
    let mut findings = Vec::new();
    let mut offset = 0usize;
    let mut rest = bytes;
    while !rest.is_empty() && !is_padding(rest) {
        let at = if offset == 0 {
            name.to_string()
        } else {
            format!("{name} (byte {offset})")
        };
        let first = rest.first().copied().unwrap_or(0);
        if first != 0x30 {
            let what = if offset == 0 {
                "not a certificate: binary data that is neither DER nor PEM text"
            } else {
                "not a DER certificate"
            };
            findings.push(Finding::new(
                Code::InputBadCertificate,
                format!("{at}: {what} (it starts with byte 0x{first:02x}, not a SEQUENCE)"),
            ));
            break;
        }
        let tlv = match read_tlv(rest) {
            Ok(t) => t,
            Err(e) => {
                findings.push(Finding::new(
                    Code::InputBadCertificate,
                    format!("{at}: not a DER certificate: {e}"),
                ));
                break;
            }
        };
        if tlv.indefinite {
            findings.push(Finding::new(
                Code::InputBadCertificate,
                format!(
                    "{at}: not a DER certificate: it uses BER's indefinite length, which no certificate has"
                ),
            ));
            break;
        }
        match shape(&tlv) {
            Shape::CertificateLike | Shape::Other => blocks.push(Block {
                der: tlv.raw.to_vec(),
                line: None,
                header: None,
                origin: None,
            }),
            Shape::PrivateKey => findings.push(Finding::new(
                Code::InputPrivateKey,
                format!(
                    "{at}: a DER private key was skipped; certaudit never reads or shows private keys"
                ),
            )),
            Shape::Pkcs12 => findings.push(Finding::new(
                Code::InputBadCertificate,
                format!(
                    "{at}: this is a PKCS#12 (.p12/.pfx) file, which certaudit does not read; \
                     extract its certificates with `openssl pkcs12 -in FILE -nokeys -out certs.pem`"
                ),
            )),
            Shape::PublicKey => findings.push(Finding::new(
                Code::InputBadCertificate,
                format!("{at}: this is a bare public key (SubjectPublicKeyInfo), not a certificate"),
            )),
        }
        offset += tlv.raw.len();
        rest = rest.get(tlv.raw.len()..).unwrap_or_default();
    }
    Decoded {
        format: Format::Der,
        blocks,
        findings,
        capture: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::{ca_der, leaf_der, t_der};

    #[test]
    fn a_single_certificate_is_one_block() {
        let der = t_der();
        let d = read("t.der", &der);
        assert_eq!(d.format, Format::Der);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].der, der);
        assert_eq!(d.blocks[0].line, None);
        assert!(d.findings.is_empty());
    }

    #[test]
    fn concatenated_certificates_are_split_in_order() {
        let mut bytes = leaf_der();
        bytes.extend(ca_der());
        bytes.extend(b"\r\n\0\0");
        let d = read("chain.der", &bytes);
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.blocks[0].der, leaf_der());
        assert_eq!(d.blocks[1].der, ca_der());
        assert!(d.findings.is_empty(), "{:?}", d.findings);
    }

    #[test]
    fn a_truncated_certificate_is_a_bad_certificate() {
        let der = t_der();
        let cut = &der[..der.len() - 10];
        let d = read("cut.der", cut);
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings.len(), 1);
        assert_eq!(d.findings[0].code, Code::InputBadCertificate);
        assert!(d.findings[0].message.starts_with("cut.der: "));
        assert!(d.findings[0].message.contains("cut short"));
    }

    #[test]
    fn garbage_after_a_certificate_is_reported_with_its_offset() {
        let mut bytes = t_der();
        let n = bytes.len();
        bytes.extend(b"garbage");
        let d = read("x.der", &bytes);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.findings.len(), 1);
        assert!(d.findings[0].message.contains(&format!("byte {n}")));
    }

    #[test]
    fn an_indefinite_length_at_top_level_is_not_a_certificate() {
        let d = read("ber.der", &[0x30, 0x80, 0x02, 0x01, 0x00, 0x00, 0x00]);
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings[0].code, Code::InputBadCertificate);
        assert!(d.findings[0].message.contains("indefinite"));
    }

    #[test]
    fn a_der_private_key_is_skipped_without_its_content() {
        // PKCS#8 shape: SEQUENCE { INTEGER 0, SEQUENCE { OID }, OCTET STRING { secret } }
        let key = [
            0x30, 0x12, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x06,
            0x53, 0x45, 0x43, 0x52, 0x45, 0x54,
        ];
        let d = read("key.der", &key);
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings.len(), 1);
        assert_eq!(d.findings[0].code, Code::InputPrivateKey);
        assert!(!format!("{d:?}").contains("SECRET"));
        assert!(!format!("{d:?}").contains("83, 69, 67"));
    }

    #[test]
    fn tlv_reader_walks_nested_indefinite_lengths() {
        let ber = [
            0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0xff,
        ];
        let t = read_tlv(&ber).unwrap();
        assert!(t.indefinite);
        assert_eq!(t.raw.len(), 11);
        assert_eq!(t.content, &ber[2..9]);
    }

    #[test]
    fn tlv_reader_refuses_hostile_nesting() {
        let mut deep = Vec::new();
        for _ in 0..100 {
            deep.extend([0x30, 0x80]);
        }
        assert_eq!(read_tlv(&deep), Err(TlvError::TooDeep));
        assert!(read_tlv(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(read_tlv(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_err());
        assert!(read_tlv(&[0x04, 0x80, 0x00, 0x00]).is_err());
        assert!(read_tlv(&[0x1f]).is_err());
    }
}
