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
