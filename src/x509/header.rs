//! Does an `openssl s_client` ` N s:… i:…` header describe the certificate under it?
//!
//! OpenSSL prints names differently across versions (`/C=US/O=x/CN=y` in 1.0,
//! `C = US, O = x, CN = y` in 1.1 and 3.x), escapes or quotes special and
//! non-ASCII characters differently, and always in DER order. So values are
//! compared after undoing escapes and quotes, folding case and collapsing
//! whitespace; when that fails, or the header could not be split into
//! attributes, letters and digits alone are compared. Only a real difference in
//! them is reported: a header pasted from another capture, or an edited PEM.

use super::name::canonical_text;
use super::{CertInfo, Name};
use crate::findings::{Code, Finding};
use crate::input::{HeaderName, SClientHeader};

/// `input.header_mismatch` when the header's subject or issuer is not the
/// certificate's; `None` when they agree (or the header says nothing).
pub fn check_header(cert: &CertInfo, header: &SClientHeader) -> Option<Finding> {
    if let Some(len) = header.too_long {
        return Some(
            Finding::new(
                Code::InputHeaderMismatch,
                format!(
                    "the s_client header at line {} was not compared with certificate #{} under it: a line of it is {len} bytes long, over the {} KiB certaudit keeps of a header line (openssl s_client prints a few hundred bytes)",
                    header.line,
                    cert.index,
                    crate::input::s_client::MAX_HEADER_LINE / 1024
                ),
            )
            .cert(cert.index)
            .at_line(header.line),
        );
    }
    let mut problems: Vec<String> = Vec::new();
    for (which, raw, parsed, name) in [
        (
            "subject",
            &header.subject_raw,
            header.subject.as_ref(),
            &cert.subject,
        ),
        (
            "issuer",
            &header.issuer_raw,
            header.issuer.as_ref(),
            &cert.issuer,
        ),
    ] {
        if raw.trim().is_empty() && parsed.is_none_or(Vec::is_empty) {
            continue;
        }
        if !same_name(raw, parsed, name) {
            problems.push(format!(
                "the header says {which} \"{}\" but the certificate's {which} is \"{}\"",
                raw.trim(),
                der_order_text(name)
            ));
        }
    }
    if problems.is_empty() {
        return None;
    }
    Some(
        Finding::new(
            Code::InputHeaderMismatch,
            format!(
                "the s_client header at line {} does not describe certificate #{} under it: {}",
                header.line,
                cert.index,
                problems.join("; ")
            ),
        )
        .cert(cert.index)
        .at_line(header.line),
    )
}

fn same_name(raw: &str, parsed: Option<&HeaderName>, name: &Name) -> bool {
    if let Some(attrs) = parsed
        && attrs.len() == name.attrs.len()
        && attrs.iter().zip(&name.attrs).all(|((ht, hv), (ct, cv))| {
            type_key(ht) == type_key(ct) && canonical_text(&unescape(hv)) == canonical_text(cv)
        })
    {
        return true;
    }
    // Letters and digits only, types included, in either order (a capture made
    // with `-nameopt RFC2253` prints the most specific attribute first).
    let header = alnum(&unescape(raw));
    let forward = name
        .attrs
        .iter()
        .flat_map(|(t, v)| [t.as_str(), v.as_str()])
        .collect::<Vec<_>>();
    let backward = name
        .attrs
        .iter()
        .rev()
        .flat_map(|(t, v)| [t.as_str(), v.as_str()])
        .collect::<Vec<_>>();
    header == alnum(&forward.concat()) || header == alnum(&backward.concat())
}

/// The certificate's name as the header prints it: DER order, `T=v` pairs.
fn der_order_text(name: &Name) -> String {
    name.attrs
        .iter()
        .map(|(t, v)| format!("{t}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Attribute type names compared case-insensitively, with the aliases old
/// OpenSSL versions and other tools print.
fn type_key(t: &str) -> String {
    let t = t.trim().to_ascii_lowercase();
    match t.as_str() {
        "email" | "e" => "emailaddress".to_owned(),
        "streetaddress" => "street".to_owned(),
        "s" => "st".to_owned(),
        _ => t,
    }
}

fn alnum(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Undoes OpenSSL's escapes: `\C3\A9` (RFC 2253 hex), `\xC3` (1.0 oneline),
/// `\,` (escaped character), and quotes around a whole value.
fn unescape(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .unwrap_or(s);
    let b = s.as_bytes();
    let hex = |i: usize| -> Option<u8> {
        let hi = char::from(*b.get(i)?).to_digit(16)?;
        let lo = char::from(*b.get(i + 1)?).to_digit(16)?;
        u8::try_from(hi * 16 + lo).ok()
    };
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c != b'\\' {
            out.push(c);
            i += 1;
        } else if let Some(v) = hex(i + 1) {
            out.push(v);
            i += 3;
        } else if b.get(i + 1) == Some(&b'x') {
            match hex(i + 2) {
                Some(v) => {
                    out.push(v);
                    i += 4;
                }
                None => {
                    out.push(b'x');
                    i += 2;
                }
            }
        } else if let Some(&next) = b.get(i + 1) {
            out.push(next);
            i += 2;
        } else {
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(attrs: &[(&str, &str)]) -> Name {
        Name {
            display: String::new(),
            attrs: attrs
                .iter()
                .map(|(t, v)| ((*t).to_owned(), (*v).to_owned()))
                .collect(),
            key: String::new(),
        }
    }

    fn parsed(attrs: &[(&str, &str)]) -> HeaderName {
        attrs
            .iter()
            .map(|(t, v)| ((*t).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn escapes_quotes_and_case_are_not_differences() {
        let n = name(&[("C", "FR"), ("O", "Café, Inc."), ("CN", "Example  CA")]);
        let h = parsed(&[
            ("C", "FR"),
            ("O", "\"Caf\\C3\\A9, Inc.\""),
            ("CN", "example ca"),
        ]);
        assert!(same_name("", Some(&h), &n));
        let h = parsed(&[
            ("c", "FR"),
            ("o", "Caf\\xC3\\xA9\\, Inc."),
            ("cn", "Example CA"),
        ]);
        assert!(same_name("", Some(&h), &n));
    }

    #[test]
    fn unparsed_headers_are_compared_on_letters_and_digits() {
        let n = name(&[("C", "US"), ("O", "Let's Encrypt"), ("CN", "R3")]);
        assert!(same_name("/C=US/O=Let's Encrypt/CN=R3", None, &n));
        assert!(same_name("C = US, O = Let's Encrypt, CN = R3", None, &n));
        assert!(same_name("CN=R3,O=Let's Encrypt,C=US", None, &n));
        assert!(!same_name("C = US, O = Let's Encrypt, CN = R10", None, &n));
    }

    #[test]
    fn a_different_value_is_a_difference() {
        let n = name(&[("CN", "a.example.com")]);
        assert!(!same_name(
            "CN = b.example.com",
            Some(&parsed(&[("CN", "b.example.com")])),
            &n
        ));
    }
}
