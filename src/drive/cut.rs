//! Where a streamed input is cut into pieces: never inside a PEM block.

use crate::input::{self, Format, detect};
use std::io::{self, Read};

/// Reads until `buf` holds `target` bytes or the input ends (`true`).
pub(super) fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    while buf.len() < target {
        let want = (target - buf.len()) as u64;
        match reader.take(want).read_to_end(buf) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Whether an input that begins with `head` may be cut into pieces: PEM text, not
/// binary, not UTF-16, not an `openssl s_client` capture, not a container (JSON,
/// Kubernetes YAML, PKCS#12, JKS: read whole), with a BEGIN line (bare base64 is
/// read whole too).
pub(super) fn streamable(head: &[u8]) -> bool {
    crate::input::containers::sniff(head).is_none()
        && memchr::memmem::find(head, b"-----BEGIN").is_some()
        && detect::binary_format(head).is_none()
        && !detect::decode_text(head).1
        && detect::detect(head) != Format::SClient
}

/// Where a piece of `buf` may end (the input goes on after it): just after the last
/// complete line whose last PEM marker is an END marker, so no block is split.
pub fn cut_point(buf: &[u8]) -> Option<usize> {
    let finder = memchr::memmem::FinderRev::new(b"-----END ");
    let mut hay = buf;
    while let Some(at) = finder.rfind(hay) {
        let after = buf.get(at..).unwrap_or_default();
        if let Some(nl) = memchr::memchr(b'\n', after) {
            let end = at + nl + 1;
            let start =
                memchr::memrchr(b'\n', hay.get(..at).unwrap_or_default()).map_or(0, |p| p + 1);
            if last_marker_is_end(buf.get(start..end).unwrap_or_default()) {
                return Some(end);
            }
        }
        hay = buf.get(..at).unwrap_or_default();
    }
    None
}

pub(super) fn last_marker_is_end(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let mut last = None;
    let mut from = 0;
    while let Some(m) = input::pem::next_marker(text, from) {
        from = m.end;
        last = Some(m.begin);
    }
    last == Some(false)
}

/// Where to cut a piece that grew to [`MAX_PIECE`] without an END line: before the
/// last line with a BEGIN marker (a block open there is cut off by it anyway), else
/// after the last line, else anywhere.
pub(super) fn fallback_cut(buf: &[u8]) -> usize {
    if let Some(at) = memchr::memmem::rfind(buf, b"-----BEGIN ") {
        let start = memchr::memrchr(b'\n', buf.get(..at).unwrap_or_default()).map_or(0, |p| p + 1);
        if start > 0 {
            return start;
        }
    }
    match memchr::memrchr(b'\n', buf) {
        Some(p) if p + 1 < buf.len() => p + 1,
        _ => buf.len(),
    }
}

/// Certificate blocks in a piece: its BEGIN lines with a certificate label.
pub(super) fn predicted_certificates(piece: &[u8]) -> usize {
    memchr::memmem::find_iter(piece, b"-----BEGIN ")
        .filter(|&at| {
            let label = piece.get(at + 11..).unwrap_or_default();
            label.starts_with(b"CERTIFICATE-----")
                || label.starts_with(b"X509 CERTIFICATE-----")
                || label.starts_with(b"TRUSTED CERTIFICATE-----")
        })
        .count()
}
