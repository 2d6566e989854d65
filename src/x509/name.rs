//! Distinguished names: RFC 4514 display, OpenSSL-style attributes, and the
//! RFC 5280 §7.1 comparison key.
//!
//! String values are decoded the way OpenSSL decodes them (TeletexString and
//! the other one-byte types as Latin-1, BMPString as UTF-16, UniversalString as
//! UCS-4); values that are not strings are shown as `#` and the hex of their DER.

use super::Name;
use crate::der::oid as oids;
use crate::der::tlv::{Reader, Tlv, oid_to_string, tag};
use crate::findings::{Notes, Quirk};
use std::fmt::Write;
use std::sync::Arc;

/// A decoded attribute value.
struct Value {
    /// The text, or `#HEX` of the DER for a value that is not a string.
    text: String,
    /// It is a string type at all (else `text` is the `#HEX` dump).
    is_string: bool,
    /// A string type that RFC 5280 §7.1 (and OpenSSL's `X509_NAME_cmp`) compares
    /// case-insensitively with whitespace collapsed; other values compare by DER.
    canonical: bool,
}

/// Reads a Name (`SEQUENCE OF RelativeDistinguishedName`). `which` is "subject"
/// or "issuer", for messages.
pub(crate) fn parse(tlv: &Tlv<'_>, which: &str, notes: &mut Notes) -> Result<Name, String> {
    parse_uncached(tlv, which, notes)
}

/// Reads an issuer name, shared: a bundle holds thousands of certificates from a
/// few CAs, so a name read without any note is remembered (per thread) and handed
/// out again without being read or copied.
pub(crate) fn parse_issuer(tlv: &Tlv<'_>, notes: &mut Notes) -> Result<Arc<Name>, String> {
    if let Some(name) = RECENT.with(|r| r.borrow().get(tlv.raw)) {
        return Ok(name);
    }
    let mut own = Notes::default();
    let result = parse_uncached(tlv, "issuer", &mut own).map(Arc::new);
    if own.is_empty()
        && let Ok(name) = &result
    {
        RECENT.with(|r| r.borrow_mut().put(tlv.raw, name));
    }
    for note in own.into_vec() {
        notes.add(note);
    }
    result
}

thread_local! {
    static RECENT: std::cell::RefCell<Recent> = const {
        std::cell::RefCell::new(Recent { entries: Vec::new(), next: 0 })
    };
}

/// The last few issuer names read without notes, by their DER.
struct Recent {
    entries: Vec<(Vec<u8>, Arc<Name>)>,
    next: usize,
}

impl Recent {
    const SIZE: usize = 16;

    fn get(&self, der: &[u8]) -> Option<Arc<Name>> {
        self.entries
            .iter()
            .find(|(d, _)| d.as_slice() == der)
            .map(|(_, n)| Arc::clone(n))
    }

    fn put(&mut self, der: &[u8], name: &Arc<Name>) {
        let entry = (der.to_vec(), Arc::clone(name));
        if self.entries.len() < Self::SIZE {
            self.entries.push(entry);
        } else if let Some(slot) = self.entries.get_mut(self.next) {
            *slot = entry;
        }
        self.next = (self.next + 1) % Self::SIZE;
    }
}

fn parse_uncached(tlv: &Tlv<'_>, which: &str, notes: &mut Notes) -> Result<Name, String> {
    if tlv.tag != tag::SEQUENCE {
        return Err(format!(
            "the {which} name is not a SEQUENCE (tag 0x{:02x})",
            tlv.tag
        ));
    }
    // Every attribute's display is written once into `shown`; `items` says where each
    // is and which RDN it belongs to, so the display (attributes in reverse, `+`
    // within an RDN, `,` between RDNs, as OpenSSL's RFC 2253 output) is assembled
    // without a string per attribute. An empty RDN is an item with an empty range.
    let mut shown = String::with_capacity(tlv.value.len() + 16);
    let mut items: Vec<(usize, std::ops::Range<usize>)> = Vec::with_capacity(8);
    let mut attrs: Vec<(String, String)> = Vec::with_capacity(8);
    let mut key = String::with_capacity(tlv.value.len() + 16);
    let mut reader = Reader::new(tlv.value);
    let mut rdn = 0usize;
    while !reader.is_empty() {
        let set = reader
            .read()
            .map_err(|e| e.describe(&format!("an RDN of the {which} name")))?;
        if set.tag != tag::SET {
            return Err(format!(
                "an RDN of the {which} name is not a SET (tag 0x{:02x})",
                set.tag
            ));
        }
        if rdn > 0 {
            key.push(',');
        }
        let key_start = key.len();
        // Where each of this RDN's key parts ends (they are sorted when several).
        let mut key_parts = 0usize;
        let mut atvs = Reader::new(set.value);
        if atvs.is_empty() {
            notes.add(Quirk::EmptyRdn {
                which: which.to_string(),
            });
            items.push((rdn, shown.len()..shown.len()));
        }
        while !atvs.is_empty() {
            let atv = atvs
                .read()
                .map_err(|e| e.describe(&format!("an attribute of the {which} name")))?;
            let mut fields = Reader::new(atv.value);
            let (typ, value) = match (atv.tag, fields.read(), fields.read()) {
                (tag::SEQUENCE, Ok(t), Ok(v)) if t.tag == tag::OID => (t, v),
                _ => {
                    return Err(format!(
                        "an attribute of the {which} name is not a type and value"
                    ));
                }
            };
            if !fields.is_empty() {
                notes.add(Quirk::AttributeExtraFields {
                    which: which.to_string(),
                });
            }
            let dotted =
                || oid_to_string(typ.value).unwrap_or_else(|| "(malformed OID)".to_owned());
            let short = oids::attribute_short_name(typ.value);
            let attr_label = short.map_or_else(dotted, str::to_owned);
            let decoded = decode_value(&value, which, &attr_label, notes);

            let start = shown.len();
            match oids::attribute_display_name(typ.value) {
                Some(name) => {
                    shown.push_str(name);
                    shown.push('=');
                    if decoded.is_string {
                        escape_rfc4514(&decoded.text, &mut shown);
                    } else {
                        shown.push_str(&decoded.text);
                    }
                }
                None => {
                    // RFC 4514 §2.4: a dotted type takes `#` and the value's BER in hex.
                    shown.push_str(&attr_label);
                    shown.push_str("=#");
                    crate::der::hex::push_hex(value.raw, b"0123456789ABCDEF", &mut shown);
                }
            }
            items.push((rdn, start..shown.len()));

            if key_parts > 0 {
                key.push('+');
            }
            key_parts += 1;
            key.push_str(&attr_label);
            key.push('=');
            if decoded.canonical {
                // Written in place; escaped afterwards in the rare case it needs it.
                let at = key.len();
                canonical_into(&decoded.text, &mut key);
                let canon = key.get(at..).unwrap_or_default();
                if canon.starts_with('#') || canon.contains([',', '+', '\\']) {
                    let canon = key.split_off(at);
                    if canon.starts_with('#') {
                        key.push('\\');
                    }
                    escape_key(&canon, &mut key);
                }
            } else {
                key.push('#');
                crate::der::hex::push_hex(value.raw, b"0123456789abcdef", &mut key);
            }
            attrs.push((attr_label, decoded.text));
        }
        if key_parts > 1 {
            // The RDN is a SET: its order carries no meaning (OpenSSL compares the
            // DER re-encoding, which sorts it). Rare: multi-valued RDNs.
            let joined = key.split_off(key_start);
            let mut parts = split_key_parts(&joined);
            parts.sort_unstable();
            key.push_str(&parts.join("+"));
        }
        rdn += 1;
    }
    let mut display = String::with_capacity(shown.len() + items.len());
    let mut previous: Option<usize> = None;
    for (rdn, range) in items.iter().rev() {
        if let Some(p) = previous {
            display.push(if p == *rdn { '+' } else { ',' });
        }
        previous = Some(*rdn);
        display.push_str(shown.get(range.clone()).unwrap_or_default());
    }
    Ok(Name {
        display,
        attrs,
        key,
    })
}

/// The `+`-separated parts of one RDN's key (a `+` escaped by `\` is no separator).
fn split_key_parts(joined: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in joined.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '+' => {
                parts.push(joined.get(start..i).unwrap_or_default());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(joined.get(start..).unwrap_or_default());
    parts
}

/// Decodes an attribute value as OpenSSL would print it.
fn decode_value(value: &Tlv<'_>, which: &str, attr: &str, notes: &mut Notes) -> Value {
    let bytes = value.value;
    let (text, canonical) = match value.tag {
        tag::UTF8_STRING => match std::str::from_utf8(bytes) {
            Ok(s) => (s.to_owned(), true),
            Err(_) => {
                notes.add(Quirk::InvalidUtf8 {
                    which: which.to_string(),
                    attr: attr.to_string(),
                });
                (String::from_utf8_lossy(bytes).into_owned(), true)
            }
        },
        tag::PRINTABLE_STRING => {
            if let Some(bad) = bytes.iter().find(|&&b| !is_printable_string_char(b)) {
                notes.add(Quirk::PrintableStringChar {
                    which: which.to_string(),
                    attr: attr.to_string(),
                    byte: describe_byte(*bad),
                });
            }
            (latin1(bytes), true)
        }
        tag::IA5_STRING => {
            if let Some(bad) = bytes.iter().find(|&&b| b > 0x7f) {
                notes.add(Quirk::NonAsciiIa5 {
                    which: which.to_string(),
                    attr: attr.to_string(),
                    byte: *bad,
                });
            }
            (latin1(bytes), true)
        }
        // OpenSSL reads T61String as Latin-1, and so do most other tools.
        tag::TELETEX_STRING | tag::VISIBLE_STRING => (latin1(bytes), true),
        tag::NUMERIC_STRING
        | tag::VIDEOTEX_STRING
        | tag::GRAPHIC_STRING
        | tag::GENERAL_STRING
        | tag::UTC_TIME
        | tag::GENERALIZED_TIME => (latin1(bytes), false),
        tag::BMP_STRING => {
            if !bytes.len().is_multiple_of(2) {
                notes.add(Quirk::OddBmpString {
                    which: which.to_string(),
                    attr: attr.to_string(),
                    len: bytes.len(),
                });
            }
            let units = bytes.chunks_exact(2).map(|c| {
                u16::from_be_bytes([
                    c.first().copied().unwrap_or(0),
                    c.get(1).copied().unwrap_or(0),
                ])
            });
            (
                char::decode_utf16(units)
                    .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
                    .collect(),
                true,
            )
        }
        tag::UNIVERSAL_STRING => {
            if !bytes.len().is_multiple_of(4) {
                notes.add(Quirk::UniversalStringLength {
                    which: which.to_string(),
                    attr: attr.to_string(),
                    len: bytes.len(),
                });
            }
            let text = bytes
                .chunks_exact(4)
                .map(|c| {
                    let mut b = [0u8; 4];
                    b.copy_from_slice(c);
                    char::from_u32(u32::from_be_bytes(b)).unwrap_or(char::REPLACEMENT_CHARACTER)
                })
                .collect();
            (text, true)
        }
        _ => {
            return Value {
                text: format!("#{}", super::hex_upper(value.raw)),
                is_string: false,
                canonical: false,
            };
        }
    };
    Value {
        text,
        is_string: true,
        canonical,
    }
}

/// X.680 PrintableString: letters, digits, space and `'()+,-./:=?`.
fn is_printable_string_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b" '()+,-./:=?".contains(&b)
}

fn describe_byte(b: u8) -> String {
    if b.is_ascii_graphic() {
        format!("'{}'", char::from(b))
    } else {
        format!("byte 0x{b:02x}")
    }
}

fn latin1(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(ascii) if bytes.is_ascii() => ascii.to_owned(),
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// RFC 5280 §7.1 / RFC 4518 in the spirit of OpenSSL's `x509_name_canon`:
/// case folded, leading and trailing whitespace removed, inner runs collapsed.
pub(crate) fn canonical_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    canonical_into(s, &mut out);
    out
}

/// [`canonical_text`] appended to `out` (which the caller keeps for the next value).
fn canonical_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        return canonical_ascii(s, out);
    }
    let start = out.len();
    for word in s.split_whitespace() {
        if out.len() > start {
            out.push(' ');
        }
        for c in word.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// [`canonical_into`] of ASCII text (Unicode's ASCII white space is U+0009–U+000D
/// and U+0020).
fn canonical_ascii(s: &str, out: &mut String) {
    let start = out.len();
    let mut space = false;
    for &b in s.as_bytes() {
        if matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ') {
            space = out.len() > start;
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(char::from(b.to_ascii_lowercase()));
    }
}

/// Escapes what would make the key ambiguous: the separators `,` `+` and `\`.
fn escape_key(s: &str, out: &mut String) {
    for c in s.chars() {
        if matches!(c, ',' | '+' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

/// RFC 4514 §2.4 escaping of an attribute value, as OpenSSL's `ESC_2253`
/// (without escaping non-ASCII: the display is UTF-8).
pub(crate) fn escape_rfc4514(s: &str, out: &mut String) {
    let b = s.as_bytes();
    let plain = b.iter().all(|&c| {
        (0x20..0x7f).contains(&c) && !matches!(c, b',' | b'+' | b'"' | b'\\' | b'<' | b'>' | b';')
    }) && !matches!(b.first(), Some(b'#' | b' '))
        && b.last() != Some(&b' ');
    if plain {
        out.push_str(s);
        return;
    }
    let last = s.chars().count().saturating_sub(1);
    for (i, c) in s.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    let _ = write!(out, "\\{b:02X}");
                }
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4514_escaping_matches_openssl() {
        let mut s = String::new();
        escape_rfc4514(" #a,b+c\"d\\e<f>g;h=i ", &mut s);
        assert_eq!(s, "\\ #a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h=i\\ ");
        let mut s = String::new();
        escape_rfc4514("#x\u{1}", &mut s);
        assert_eq!(s, "\\#x\\01");
    }

    #[test]
    fn ascii_fast_paths_agree_with_the_general_code() {
        let samples = [
            "",
            " ",
            "a",
            "  Example \t  CA  Ltd ",
            "x\u{b}y\u{c}z\r\n",
            "#a",
            "a ",
            " a",
            "a,b",
            "A+B",
            "q\"uo\\te",
            "<>;",
            "ctl\u{1}\u{7f}",
            "Plain Name 123-._",
        ];
        for s in samples {
            let mut slow = String::new();
            for word in s.split_whitespace() {
                if !slow.is_empty() {
                    slow.push(' ');
                }
                slow.extend(word.chars().flat_map(char::to_lowercase));
            }
            let mut fast = String::new();
            canonical_ascii(s, &mut fast);
            assert_eq!(fast, slow, "{s:?}");
            let mut general = String::new();
            escape_rfc4514(&format!("{s}\u{e9}"), &mut general);
            let mut fast = String::new();
            escape_rfc4514(s, &mut fast);
            fast.push('\u{e9}');
            if !s.ends_with(' ') {
                assert_eq!(fast, general, "{s:?}");
            }
        }
        assert_eq!(latin1(b"abc"), "abc");
        assert_eq!(latin1(b"\xe9"), "\u{e9}");
    }

    #[test]
    fn canonical_text_folds_case_and_whitespace() {
        assert_eq!(canonical_text("  Example \t  CA  Ltd "), "example ca ltd");
        assert_eq!(canonical_text("ÉCOLE"), "école");
    }
}
