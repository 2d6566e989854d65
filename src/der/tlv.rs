//! A small, lenient tag-length-value reader for DER (and the BER quirks that
//! real certificates carry).
//!
//! It knows nothing of X.509. It hands out slices of the input, never copies,
//! so the caller can keep the exact bytes that were signed (`tbsCertificate`).
//! Non-minimal length encodings are accepted, as OpenSSL accepts them, and
//! reported through [`Tlv::non_der_length`]; indefinite lengths are refused.

/// Universal and context tags used by the certificate reader (first identifier octet).
pub(crate) mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const NUMERIC_STRING: u8 = 0x12;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const TELETEX_STRING: u8 = 0x14;
    pub const VIDEOTEX_STRING: u8 = 0x15;
    pub const IA5_STRING: u8 = 0x16;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const GRAPHIC_STRING: u8 = 0x19;
    pub const VISIBLE_STRING: u8 = 0x1a;
    pub const GENERAL_STRING: u8 = 0x1b;
    pub const UNIVERSAL_STRING: u8 = 0x1c;
    pub const BMP_STRING: u8 = 0x1e;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;
    /// `[n]` EXPLICIT (constructed, context-specific).
    pub const fn explicit(n: u8) -> u8 {
        0xa0 | n
    }
    /// `[n]` IMPLICIT of a primitive type (context-specific).
    pub const fn implicit(n: u8) -> u8 {
        0x80 | n
    }
}

/// One element: its identifier octet, its contents and its whole encoding.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tlv<'a> {
    /// The first identifier octet (class, constructed bit, tag number < 31;
    /// high tag numbers keep `0x1f` in the low bits and never equal a `tag::*`).
    pub tag: u8,
    /// The contents octets.
    pub value: &'a [u8],
    /// The whole element: identifier, length and contents, as in the input.
    pub raw: &'a [u8],
    /// The length was not in its minimal (DER) form.
    pub non_der_length: bool,
}

/// Why an element could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TlvError {
    /// Nothing left to read.
    Empty,
    /// The input ends inside the identifier or length octets.
    HeaderTruncated { have: usize },
    /// The contents run past the end of the input: `need` bytes from the element's
    /// start, `have` available.
    Truncated { need: usize, have: usize },
    /// BER indefinite length (`0x80`).
    Indefinite,
    /// A length that does not fit in memory (more than 4 length octets).
    TooLong,
}

impl TlvError {
    /// Wording for a user, `what` naming the element ("the issuer name").
    pub fn describe(&self, what: &str) -> String {
        match self {
            TlvError::Empty => format!("{what} is missing"),
            TlvError::HeaderTruncated { .. } => {
                format!("{what} is cut off inside its tag or length")
            }
            TlvError::Truncated { need, have } => format!(
                "{what} claims {need} bytes but only {have} remain in the enclosing structure"
            ),
            TlvError::Indefinite => {
                format!("{what} uses a BER indefinite length, which certificates never use")
            }
            TlvError::TooLong => format!("{what} has an impossible length"),
        }
    }
}

/// Reads consecutive elements from a slice.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { rest: data }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The identifier octet of the next element, if any.
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element.
    pub fn read(&mut self) -> Result<Tlv<'a>, TlvError> {
        let (tlv, rest) = split_tlv(self.rest)?;
        self.rest = rest;
        Ok(tlv)
    }

    /// Reads the next element if its identifier octet is `tag`.
    pub fn read_if(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, TlvError> {
        if self.peek_tag() == Some(tag) {
            self.read().map(Some)
        } else {
            Ok(None)
        }
    }
}

/// Splits the first element off `data`.
pub(crate) fn split_tlv(data: &[u8]) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    let (&first, mut after) = data.split_first().ok_or(TlvError::Empty)?;
    let have = data.len();
    if first & 0x1f == 0x1f {
        // High tag number: base-128 octets, the last without bit 8.
        loop {
            let (&b, rest) = after
                .split_first()
                .ok_or(TlvError::HeaderTruncated { have })?;
            after = rest;
            if b & 0x80 == 0 {
                break;
            }
        }
    }
    let (&len0, rest) = after
        .split_first()
        .ok_or(TlvError::HeaderTruncated { have })?;
    after = rest;
    let mut non_der_length = false;
    let len = if len0 < 0x80 {
        usize::from(len0)
    } else if len0 == 0x80 {
        return Err(TlvError::Indefinite);
    } else {
        let n = usize::from(len0 & 0x7f);
        if n > 4 {
            return Err(TlvError::TooLong);
        }
        let octets = after.get(..n).ok_or(TlvError::HeaderTruncated { have })?;
        after = after.get(n..).unwrap_or_default();
        let mut len = 0usize;
        for &b in octets {
            len = (len << 8) | usize::from(b);
        }
        // DER: the long form only from 128 on, without leading zero octets.
        if len < 0x80 || octets.first() == Some(&0) {
            non_der_length = true;
        }
        len
    };
    let header_len = have - after.len();
    let need = header_len.checked_add(len).ok_or(TlvError::TooLong)?;
    if need > have {
        return Err(TlvError::Truncated { need, have });
    }
    let (raw, rest) = data
        .split_at_checked(need)
        .ok_or(TlvError::Truncated { need, have })?;
    let value = raw.get(header_len..).unwrap_or_default();
    Ok((
        Tlv {
            tag: first,
            value,
            raw,
            non_der_length,
        },
        rest,
    ))
}

/// An INTEGER's contents read leniently: sign, magnitude without leading zero
/// octets (two's complement undone for negatives), and whether the encoding
/// was minimal as DER requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Integer<'a> {
    pub negative: bool,
    /// Big-endian magnitude, no leading zero octets; empty for zero. Borrowed from
    /// the input unless the integer is negative.
    pub magnitude: std::borrow::Cow<'a, [u8]>,
    /// DER allows no redundant leading 0x00/0xFF octet.
    pub minimal: bool,
}

impl<'a> Integer<'a> {
    /// `None` for an empty encoding (zero content octets), which BER forbids too.
    pub fn parse(value: &'a [u8]) -> Option<Integer<'a>> {
        let (&first, rest) = value.split_first()?;
        let minimal = match rest.first() {
            Some(&second) => {
                !((first == 0x00 && second & 0x80 == 0) || (first == 0xff && second & 0x80 != 0))
            }
            None => true,
        };
        let negative = first & 0x80 != 0;
        let magnitude = if negative {
            // Two's complement: invert and add one.
            let mut m: Vec<u8> = value.iter().map(|b| !b).collect();
            for b in m.iter_mut().rev() {
                let (v, carry) = b.overflowing_add(1);
                *b = v;
                if !carry {
                    break;
                }
            }
            std::borrow::Cow::Owned(strip_zeros(&m).to_vec())
        } else {
            std::borrow::Cow::Borrowed(strip_zeros(value))
        };
        Some(Integer {
            negative,
            magnitude,
            minimal,
        })
    }
}

/// `bytes` without its leading zero octets.
pub(crate) fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// Dotted-decimal text of an OBJECT IDENTIFIER's contents; `None` when malformed
/// (empty, or a final arc left unterminated). Arcs beyond 64 bits are kept exact
/// by falling back to hex, which never happens in practice.
pub(crate) fn oid_to_string(value: &[u8]) -> Option<String> {
    use std::fmt::Write;
    if value.is_empty() || value.last().is_some_and(|b| b & 0x80 != 0) {
        return None;
    }
    let mut out = String::with_capacity(value.len() * 3);
    let mut arc: u64 = 0;
    let mut first = true;
    let mut overflow = false;
    for &b in value {
        if arc > (u64::MAX >> 7) {
            overflow = true;
        }
        arc = (arc << 7) | u64::from(b & 0x7f);
        if b & 0x80 != 0 {
            continue;
        }
        if overflow {
            return Some(format!("OID#{}", crate::der::hex::hex_lower(value)));
        }
        if first {
            let (a, b) = match arc {
                0..=39 => (0, arc),
                40..=79 => (1, arc - 40),
                _ => (2, arc - 80),
            };
            let _ = write!(out, "{a}.{b}");
            first = false;
        } else {
            let _ = write!(out, ".{arc}");
        }
        arc = 0;
    }
    Some(out)
}

impl crate::findings::Notes {
    /// Notes a BER length encoding in `tlv`.
    pub(crate) fn check_length(&mut self, tlv: &Tlv<'_>) {
        if tlv.non_der_length {
            self.add(crate::findings::Quirk::BerLength);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lengths_are_read() {
        let (t, rest) = split_tlv(&[0x04, 0x02, 0xaa, 0xbb, 0xcc]).unwrap();
        assert_eq!(t.value, &[0xaa, 0xbb]);
        assert_eq!(rest, &[0xcc]);
        assert!(!t.non_der_length);
        let (t, _) = split_tlv(&[0x04, 0x81, 0x01, 0xaa]).unwrap();
        assert_eq!(t.value, &[0xaa]);
        assert!(t.non_der_length, "long form for a length below 128 is BER");
    }

    #[test]
    fn truncation_and_indefinite_length_are_errors() {
        assert_eq!(
            split_tlv(&[0x30, 0x82, 0x05, 0x0a, 0x00]).unwrap_err(),
            TlvError::Truncated {
                need: 1294,
                have: 5
            }
        );
        assert_eq!(
            split_tlv(&[0x30, 0x82, 0x05]).unwrap_err(),
            TlvError::HeaderTruncated { have: 3 }
        );
        assert_eq!(
            split_tlv(&[0x30, 0x80, 0x00, 0x00]).unwrap_err(),
            TlvError::Indefinite
        );
        assert_eq!(split_tlv(&[]).unwrap_err(), TlvError::Empty);
    }

    #[test]
    fn integers_report_sign_and_minimality() {
        let i = Integer::parse(&[0x00, 0x80]).unwrap();
        assert_eq!(
            (i.negative, &*i.magnitude, i.minimal),
            (false, &[0x80][..], true)
        );
        let i = Integer::parse(&[0x00, 0x01]).unwrap();
        assert!(!i.minimal);
        let i = Integer::parse(&[0xff, 0x01]).unwrap();
        assert_eq!((i.negative, &*i.magnitude), (true, &[0xff][..]));
        let i = Integer::parse(&[0x00]).unwrap();
        assert!(i.magnitude.is_empty());
        assert!(Integer::parse(&[]).is_none());
    }

    #[test]
    fn oids_print_dotted() {
        assert_eq!(oid_to_string(&[0x55, 0x04, 0x03]).unwrap(), "2.5.4.3");
        assert_eq!(
            oid_to_string(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]).unwrap(),
            "1.2.840.113549.1.1.11"
        );
        assert!(oid_to_string(&[0x2a, 0x86]).is_none());
    }
}
