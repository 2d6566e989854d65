//! Hex, the one encoder: fingerprints upper-case, serials and key bytes lower-case.

/// Lower-case hex without separators (serials, keys in messages).
pub fn hex_lower(bytes: &[u8]) -> String {
    hex(bytes, b"0123456789abcdef")
}

/// Upper-case hex without separators (fingerprints, thumbprints).
pub fn hex_upper(bytes: &[u8]) -> String {
    hex(bytes, b"0123456789ABCDEF")
}

fn hex(bytes: &[u8], digits: &[u8; 16]) -> String {
    let mut s = String::with_capacity(bytes.len() * 2);
    push_hex(bytes, digits, &mut s);
    s
}

/// Appends the hex of `bytes` written with `digits` to `out`.
pub fn push_hex(bytes: &[u8], digits: &[u8; 16], out: &mut String) {
    let digit = |nibble: u8| char::from(digits.get(usize::from(nibble)).copied().unwrap_or(b'?'));
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(digit(b >> 4));
        out.push(digit(b & 0x0f));
    }
}

/// The upper-case hex of `bytes` in `buf` (twice as long), without allocating
/// (serializers write a million fingerprints); `None` when `buf` is too short.
pub fn upper_into<'b>(bytes: &[u8], buf: &'b mut [u8]) -> Option<&'b str> {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let text = buf.get_mut(..bytes.len().checked_mul(2)?)?;
    for (pair, &byte) in text.chunks_exact_mut(2).zip(bytes) {
        if let [hi, lo] = pair {
            *hi = DIGITS.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
            *lo = DIGITS
                .get(usize::from(byte & 0x0f))
                .copied()
                .unwrap_or(b'0');
        }
    }
    std::str::from_utf8(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_into_matches_hex_upper() {
        let bytes: Vec<u8> = (0..=255).collect();
        let mut buf = [0u8; 512];
        assert_eq!(
            upper_into(&bytes, &mut buf),
            Some(hex_upper(&bytes).as_str())
        );
        assert_eq!(upper_into(&bytes, &mut [0u8; 10]), None);
        assert_eq!(hex_lower(&[0xab, 0x01]), "ab01");
    }
}
