//! Content sniffing: which of the contract's four kinds an input is, from its bytes
//! (never its file name), and turning text bytes into `str` without failing.
//!
//! Binary ASN.1 is recognised by its first two octets: a SEQUENCE (0x30) with a
//! long-form or indefinite length (0x80–0x84). Every certificate is longer than 127
//! bytes, so its length is always long-form, and the octet after an ASCII `0` in text
//! is never 0x80–0x84 (those are UTF-8 continuation bytes). Everything else is text.
//!
//! For text, [`read`](super::read) classifies during its single scan with the line
//! predicates here; [`detect`] applies the same predicates on its own pass.

use super::{Format, pem, pkcs7, repair};
use std::borrow::Cow;

/// The kind of an input, as [`read`](super::read) would report it.
pub fn detect(bytes: &[u8]) -> Format {
    if let Some(format) = binary_format(bytes) {
        return format;
    }
    let (text, _) = decode_text(bytes);
    let (mut certificates, mut pkcs7s) = (0usize, 0usize);
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if is_s_client_line(repair::strip_leading(line).text.trim_end()) {
            return Format::SClient;
        }
        let mut from = 0;
        while let Some(m) = pem::next_marker(line, from) {
            from = m.end;
            if m.begin {
                match pem::classify(m.label) {
                    pem::Label::Pkcs7 => pkcs7s += 1,
                    pem::Label::Certificate | pem::Label::TrustedCertificate => certificates += 1,
                    _ => {}
                }
            }
        }
    }
    text_format(false, certificates, pkcs7s)
}

/// The format of a text input from what its scan saw.
pub(crate) fn text_format(
    s_client: bool,
    certificate_blocks: usize,
    pkcs7_blocks: usize,
) -> Format {
    if s_client {
        Format::SClient
    } else if pkcs7_blocks > 0 && certificate_blocks == 0 {
        Format::Pkcs7
    } else {
        Format::Pem
    }
}

/// `Some(Der | Pkcs7)` for binary input, `None` for text. Binary data that is not
/// ASN.1 is a failed DER attempt (`der`), so the user hears that it is not a
/// certificate rather than only that none was found.
pub(crate) fn binary_format(bytes: &[u8]) -> Option<Format> {
    match bytes {
        [0x30, 0x80..=0x84, ..] => Some(if pkcs7::content_type(bytes).is_some() {
            Format::Pkcs7
        } else {
            Format::Der
        }),
        _ if looks_binary(bytes) => Some(Format::Der),
        _ => None,
    }
}

/// Not text: a NUL byte, or more than a quarter of control characters and invalid
/// UTF-8, in the first 8 KiB (git's and grep's test, made tolerant of Latin-1 text).
/// UTF-16 text is text.
fn looks_binary(bytes: &[u8]) -> bool {
    if utf16_order(bytes).is_some() {
        return false;
    }
    let window = bytes.get(..8192).unwrap_or(bytes);
    if window.contains(&0) {
        return true;
    }
    let mut odd = 0usize;
    for chunk in window.utf8_chunks() {
        odd += chunk.invalid().len();
        odd += chunk
            .valid()
            .chars()
            .filter(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c' | '\x1b'))
            .count();
    }
    odd * 4 > window.len()
}

type Unit = fn([u8; 2]) -> u16;

/// UTF-16: the bytes after any BOM and how to read a code unit.
fn utf16_order(bytes: &[u8]) -> Option<(&[u8], Unit)> {
    match bytes {
        [0xff, 0xfe, rest @ ..] => Some((rest, u16::from_le_bytes)),
        [0xfe, 0xff, rest @ ..] => Some((rest, u16::from_be_bytes)),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some((bytes, u16::from_le_bytes)),
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some((bytes, u16::from_be_bytes)),
        _ => None,
    }
}

/// Is this DER a PKCS#7 SignedData? (Some Windows exports put a `.p7b` under a
/// `CERTIFICATE` label.)
pub(crate) fn is_signed_data(der: &[u8]) -> bool {
    pkcs7::content_type(der) == Some(2)
}

/// Text bytes as `str`: UTF-8 (invalid sequences replaced, a BOM dropped), or UTF-16
/// with a BOM or the unmistakable zero high bytes of ASCII (PowerShell 5's `>` writes
/// UTF-16LE). The flag says the text was UTF-16. Line breaks are kept one for one, so
/// line numbers still refer to the input. Borrows when the input is valid UTF-8.
pub(crate) fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    if let Some((rest, unit)) = utf16_order(bytes) {
        return (utf16(rest, unit).into(), true);
    }
    match bytes {
        [0xef, 0xbb, 0xbf, rest @ ..] => (utf8_lossy(rest), false),
        _ => (utf8_lossy(bytes), false),
    }
}

/// `String::from_utf8_lossy`, with `str::from_utf8`'s fast validation first (the
/// lossy path checks byte by byte: a tenth of a large bundle's time).
fn utf8_lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

fn utf16(bytes: &[u8], unit: Unit) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| match *c {
            [a, b] => unit([a, b]),
            _ => 0xfffd,
        })
        .collect();
    String::from_utf16_lossy(&units)
}

/// A line only `openssl s_client` prints (indentation and quote marks removed).
pub(crate) fn is_s_client_line(line: &str) -> bool {
    line.starts_with("CONNECTED(")
        || line == "Certificate chain"
        || line == "Server certificate"
        || line.starts_with("Verify return code:")
        || line.starts_with("SSL-Session:")
        || line
            .strip_prefix("depth=")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        || super::s_client::header_start(line).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::{BER_SIGNED_B64, P7B_PEM, T_PEM, b64, t_der};

    #[test]
    fn binary_certificate_is_der() {
        assert_eq!(detect(&t_der()), Format::Der);
    }

    #[test]
    fn binary_signed_data_is_pkcs7_in_der_and_ber() {
        assert_eq!(detect(&b64(P7B_PEM)), Format::Pkcs7);
        assert_eq!(detect(&b64(BER_SIGNED_B64)), Format::Pkcs7);
    }

    #[test]
    fn pem_text_is_pem_and_pkcs7_pem_is_pkcs7() {
        assert_eq!(detect(T_PEM.as_bytes()), Format::Pem);
        assert_eq!(detect(P7B_PEM.as_bytes()), Format::Pkcs7);
        assert_eq!(detect(format!("{T_PEM}{P7B_PEM}").as_bytes()), Format::Pem);
    }

    #[test]
    fn s_client_markers_make_it_s_client() {
        for text in [
            "CONNECTED(00000003)\n",
            "depth=0 CN = x\n",
            "---\nCertificate chain\n",
            " 0 s:/CN=x\n   i:/CN=y\n",
            "> Verify return code: 0 (ok)\n",
        ] {
            assert_eq!(detect(text.as_bytes()), Format::SClient, "{text:?}");
        }
        assert_eq!(detect(b"depth=x is prose\n"), Format::Pem);
    }

    #[test]
    fn binary_garbage_is_a_failed_der_attempt_but_latin1_text_is_text() {
        assert_eq!(detect(b"\x00\xffGARBAGE\x00\x04Y"), Format::Der);
        assert_eq!(
            detect(&[0x8f, 0x01, 0x02, 0x93, 0x05, 0x06, 0x07, 0x9f]),
            Format::Der
        );
        assert_eq!(detect(b"Gr\xfc\xdfe aus M\xfcnchen\n"), Format::Pem);
        assert_eq!(detect(b"\x1b[1mbold\x1b[0m\n"), Format::Pem);
    }

    #[test]
    fn text_starting_with_zero_is_not_der() {
        assert_eq!(detect(b"0 s:/CN=x\n"), Format::SClient);
        assert_eq!(detect(b"0123"), Format::Pem);
        assert_eq!(detect(b""), Format::Pem);
        assert_eq!(detect(&[0x30]), Format::Pem);
    }

    #[test]
    fn utf16_text_is_decoded_with_its_lines() {
        let mut bytes = vec![0xff, 0xfe];
        for u in "a\r\nb\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let (text, utf16) = decode_text(&bytes);
        assert!(utf16);
        assert_eq!(text, "a\r\nb\n");
        let (text, _) = decode_text(b"\xef\xbb\xbfhi \xff");
        assert_eq!(text, "hi \u{fffd}");
    }
}
