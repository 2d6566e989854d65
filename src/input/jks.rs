//! `jks`: a Java KeyStore (magic `FEEDFEED`) or JCEKS (`CECECECE`) file: its
//! trusted-certificate entries and the certificate chains of its key entries, in
//! stored order, each with its alias as `origin`. The certificates are stored in the
//! clear, so they are read without the password; with one, the store's integrity
//! check (SHA-1 over the password as UTF-16BE, the text "Mighty Aphrodite" and the
//! store, as `sun.security.provider.JavaKeyStore` computes it) is verified and a
//! mismatch is `input.password_required` (the certificates are still listed).
//!
//! The format is a few length-prefixed big-endian fields (no codec crate reads it
//! safely: the `jks` crate allocates whatever length a file claims and reads no
//! JCEKS), read here over a byte slice with every length checked against what is
//! left. A key entry's protected key is skipped unread. A JCEKS secret-key entry is a
//! Java serialized object with no length prefix: [`jserial`](super::jserial) walks it
//! to its end; when it cannot, reading stops there with a finding and the entries
//! after it are not listed.

use super::containers::decoded;
use super::{Block, Decoded, Format};
use crate::findings::{Code, Finding};
use sha1::{Digest, Sha1};

const JKS: u32 = 0xFEED_FEED;
const JCEKS: u32 = 0xCECE_CECE;

/// The magic and a version of 1 or 2.
pub fn is_keystore(bytes: &[u8]) -> bool {
    match bytes {
        [a, b, c, d, 0, 0, 0, 1 | 2, ..] => {
            matches!(u32::from_be_bytes([*a, *b, *c, *d]), JKS | JCEKS)
        }
        _ => false,
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let out = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(out)
    }
    fn u16(&mut self) -> Option<u16> {
        self.take(2)?.try_into().ok().map(u16::from_be_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.take(4)?.try_into().ok().map(u32::from_be_bytes)
    }
    fn utf(&mut self) -> Option<String> {
        let n = self.u16()?;
        Some(String::from_utf8_lossy(self.take(usize::from(n))?).into_owned())
    }
    /// A certificate: (version 2) its type, then its u32-prefixed encoding.
    fn certificate(&mut self, version: u32) -> Option<(String, &'a [u8])> {
        let kind = if version == 2 {
            self.utf()?
        } else {
            "X.509".to_string()
        };
        let n = usize::try_from(self.u32()?).ok()?;
        Some((kind, self.take(n)?))
    }
}

pub fn read(name: &str, bytes: &[u8], password: Option<&str>) -> Decoded {
    let mut out = decoded(Format::Jks);
    let mut c = Cursor { bytes, at: 0 };
    let (Some(magic), Some(version), Some(count)) = (c.u32(), c.u32(), c.u32()) else {
        out.findings
            .push(bad(name, "the keystore header is truncated"));
        return out;
    };
    let mut complete = true;
    for n in 0..count {
        match entry(name, &mut c, version, magic, &mut out) {
            Ok(()) => {}
            Err(Stop::Truncated) => {
                out.findings.push(bad(
                    name,
                    &format!(
                        "the keystore is truncated or corrupted in entry {} of {count}",
                        n + 1
                    ),
                ));
                complete = false;
                break;
            }
            Err(Stop::Opaque(alias)) => {
                out.findings.push(Finding::new(
                    Code::InputSkippedBlock,
                    format!(
                        "{name}: entry {alias:?} is a secret key (a Java serialized object); reading stopped there, so the entries after it ({} of {count}) are not listed",
                        count - n - 1
                    ),
                ));
                complete = false;
                break;
            }
        }
    }
    if let (Some(pw), true) = (password, complete) {
        let body = bytes.get(..c.at).unwrap_or_default();
        let stored = c.take(20);
        let mut h = Sha1::new();
        for unit in pw.encode_utf16() {
            h.update(unit.to_be_bytes());
        }
        h.update(b"Mighty Aphrodite");
        h.update(body);
        if stored != Some(h.finalize().as_slice()) {
            out.findings.push(Finding::new(
                Code::InputPasswordRequired,
                format!(
                    "{name}: the keystore's integrity check fails with the password given (wrong password, or the file was altered); its certificates are listed anyway"
                ),
            ));
        }
    }
    out
}

enum Stop {
    Truncated,
    Opaque(String),
}

fn entry(
    name: &str,
    c: &mut Cursor<'_>,
    version: u32,
    magic: u32,
    out: &mut Decoded,
) -> Result<(), Stop> {
    let tag = c.u32().ok_or(Stop::Truncated)?;
    let alias = c.utf().ok_or(Stop::Truncated)?;
    c.take(8).ok_or(Stop::Truncated)?; // creation time
    match tag {
        1 => {
            // The protected private key: skipped, never looked at.
            let n = c
                .u32()
                .and_then(|n| usize::try_from(n).ok())
                .ok_or(Stop::Truncated)?;
            c.take(n).ok_or(Stop::Truncated)?;
            let chain = c.u32().ok_or(Stop::Truncated)?;
            for _ in 0..chain {
                let (kind, der) = c.certificate(version).ok_or(Stop::Truncated)?;
                push(name, &alias, &kind, der, out);
            }
            Ok(())
        }
        2 => {
            let (kind, der) = c.certificate(version).ok_or(Stop::Truncated)?;
            push(name, &alias, &kind, der, out);
            Ok(())
        }
        // A JCEKS secret key: a Java serialized object, walked to its end, never read.
        3 if magic == JCEKS => match super::jserial::skip(c.bytes, c.at) {
            Some(end) => {
                c.at = end;
                Ok(())
            }
            None => Err(Stop::Opaque(alias)),
        },
        _ => Err(Stop::Truncated),
    }
}

fn push(name: &str, alias: &str, kind: &str, der: &[u8], out: &mut Decoded) {
    if kind == "X.509" {
        out.blocks.push(Block {
            der: der.to_vec(),
            line: None,
            header: None,
            origin: Some(alias.to_string()),
        });
    } else {
        out.findings.push(Finding::new(
            Code::InputSkippedBlock,
            format!("{name} {alias}: a {kind:?} certificate was skipped (not X.509)"),
        ));
    }
}

fn bad(name: &str, why: &str) -> Finding {
    Finding::new(Code::InputBadCertificate, format!("{name}: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JKS with one trusted entry `a` holding `der`, its digest made with `pw`.
    fn store(der: &[u8], pw: &str) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(JKS.to_be_bytes());
        b.extend(2u32.to_be_bytes());
        b.extend(1u32.to_be_bytes());
        b.extend(2u32.to_be_bytes());
        b.extend(1u16.to_be_bytes());
        b.push(b'a');
        b.extend([0u8; 8]);
        b.extend(5u16.to_be_bytes());
        b.extend(b"X.509");
        b.extend((der.len() as u32).to_be_bytes());
        b.extend(der);
        let mut h = Sha1::new();
        for u in pw.encode_utf16() {
            h.update(u.to_be_bytes());
        }
        h.update(b"Mighty Aphrodite");
        h.update(&b);
        b.extend(h.finalize());
        b
    }

    #[test]
    fn reads_without_password_and_checks_with_one() {
        let s = store(b"\x30\x03\x02\x01\x01", "changeit");
        assert!(is_keystore(&s));
        for pw in [None, Some("changeit")] {
            let d = read("k", &s, pw);
            assert_eq!(d.blocks.len(), 1);
            assert_eq!(d.blocks[0].origin.as_deref(), Some("a"));
            assert!(d.findings.is_empty(), "{:?}", d.findings);
        }
        let d = read("k", &s, Some("wrong"));
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.findings[0].code, Code::InputPasswordRequired);
    }

    #[test]
    fn truncation_and_huge_lengths_are_findings() {
        let s = store(b"\x30\x03\x02\x01\x01", "x");
        for cut in 0..s.len() {
            let d = read("k", &s[..cut], None);
            assert!(d.blocks.len() <= 1);
        }
        let mut huge = s[..12].to_vec();
        huge.extend(u32::MAX.to_be_bytes());
        let d = read("k", &huge, None);
        assert_eq!(d.findings[0].code, Code::InputBadCertificate);
    }
}
