//! A shared leaf (rank 0; re-exported as `report::escape`): the one escaping
//! function for every untrusted string that reaches text output (the text report,
//! stderr, the timeline, the advice): certificate names, SAN dNSNames, `s_client`
//! header text, file paths, finding messages built from them.
//!
//! Certificates, pastes and folders come from people and servers the user does not
//! control. A terminal acts on what they carry: ESC and CSI start control sequences
//! (window title, OSC 8 links, screen clear), CR and LF start a line that looks like
//! ours (a forged `IAM thumbprint:` line), bidi controls reorder what is shown, and
//! zero-width characters hide what is there. So, at render time, every such string
//! goes through [`escape`] (or [`escape_cut`], which also bounds its length before any
//! layout), which shows these characters visibly instead:
//!
//! - U+0000–U+007F controls (C0 and DEL) as `\xNN` (`\x1b`, `\x0a`, `\x7f`);
//! - every other hazard as `\u{N}` in lower-case hex (`\u{9b}` for the C1 CSI,
//!   `\u{202e}`, `\u{200b}`);
//! - in a file name, a byte that is not part of valid UTF-8 as `\xNN` with NN ≥ 80,
//!   and a backslash doubled ([`name_of_bytes`], applied once when the name is made,
//!   so the text report, JSON and SARIF name a file the same lossless way): `\x80`–`\xff`
//!   only ever stands for a raw byte, never for a character.
//!
//! The hazards ([`is_hazard`]): general category Cc (C0, DEL, C1), every Cf format
//! character (bidi embeddings, overrides and isolates U+202A–U+202E, U+2066–U+2069,
//! marks U+200E, U+200F, U+061C; zero-width U+200B–U+200D, U+2060, U+FEFF; soft
//! hyphen, invisible operators, tags, …), the line and paragraph separators U+2028 and
//! U+2029, and the invisible Hangul fillers (U+115F, U+1160, U+3164, U+FFA0).
//!
//! JSON and SARIF keep the exact value (serde escapes what JSON requires); [`cut`]
//! bounds a value's length there without escaping it.

use std::borrow::Cow;

/// Display names are cut to this many characters (after escaping) before any layout:
/// the table and the wrapper are not linear in a cell's length, and no real
/// certificate's name comes close.
pub const NAME_MAX: usize = 256;

/// Messages (which may quote names, header text and paths) are cut to this many
/// characters.
pub const MESSAGE_MAX: usize = 2048;

/// Whether `c` must not reach a terminal as it is.
pub const fn is_hazard(c: char) -> bool {
    matches!(c as u32,
        // Cc: C0, DEL, C1.
        0x00..=0x1f | 0x7f..=0x9f
        // Cf (Unicode 16), then the separators and the invisible fillers.
        | 0xad
        | 0x600..=0x605
        | 0x61c
        | 0x6dd
        | 0x70f
        | 0x890..=0x891
        | 0x8e2
        | 0x115f..=0x1160
        | 0x180e
        | 0x200b..=0x200f
        | 0x2028..=0x202e
        | 0x2060..=0x2064
        | 0x2066..=0x206f
        | 0x3164
        | 0xfeff
        | 0xffa0
        | 0xfff9..=0xfffb
        | 0x110bd
        | 0x110cd
        | 0x13430..=0x1343f
        | 0x1bca0..=0x1bca3
        | 0x1d173..=0x1d17a
        | 0xe0001
        | 0xe0020..=0xe007f)
}

fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let n = c as u32;
    if n < 0x80 {
        let _ = write!(out, "\\x{n:02x}");
    } else {
        let _ = write!(out, "\\u{{{n:x}}}");
    }
}

/// `s` with every hazard shown visibly; borrowed when there is none.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_hazard(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`], cut to at most `max` characters of output (an escape is never split):
/// what is cut is replaced by `…(N more characters)`, N counting characters of `s`.
pub fn escape_cut(s: &str, max: usize) -> Cow<'_, str> {
    // Fast path: short and clean (the usual case) is returned as it is.
    if s.len() <= max && !s.chars().any(is_hazard) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len().min(max.saturating_mul(4)) + 32);
    let mut shown = 0usize;
    let mut chars = s.chars();
    let mut buf = String::new();
    while let Some(c) = chars.next() {
        buf.clear();
        if is_hazard(c) {
            push_escaped(&mut buf, c);
        } else {
            buf.push(c);
        }
        let width = buf.chars().count();
        if shown + width > max {
            let rest = 1 + chars.count();
            use std::fmt::Write as _;
            let _ = write!(out, "…({rest} more characters)");
            return Cow::Owned(out);
        }
        shown += width;
        out.push_str(&buf);
    }
    Cow::Owned(out)
}

/// A display name (CN, subject, issuer, dNSName, header text): escaped and cut to
/// [`NAME_MAX`].
pub fn name(s: &str) -> Cow<'_, str> {
    escape_cut(s, NAME_MAX)
}

/// A finding message, note or other sentence that may quote untrusted text: escaped
/// and cut to [`MESSAGE_MAX`].
pub fn message(s: &str) -> Cow<'_, str> {
    escape_cut(s, MESSAGE_MAX)
}

/// `s` cut to at most `max` characters, unescaped (for JSON and SARIF, which keep
/// exact values): what is cut is replaced by `…(N more characters)`, as
/// [`escape_cut`] does; borrowed when it is short enough.
pub fn cut(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        return Cow::Borrowed(s);
    }
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((at, _)) => {
            let head = s.get(..at).unwrap_or_default();
            let rest = s.get(at..).unwrap_or_default().chars().count();
            Cow::Owned(format!("{head}…({rest} more characters)"))
        }
    }
}

/// A file name (raw bytes on Unix) as every report names it: lossless, so that two
/// distinct names never read the same. Valid UTF-8 is kept as it is, except that a
/// backslash is doubled (`\\`); a byte that is not part of valid UTF-8 is `\xNN`
/// (two lower-case hex digits, NN ≥ 80). So in a name, `\\` always stands for a
/// backslash and `\xNN` for a raw byte, and [`name_bytes`] gives the bytes back.
/// A name without a backslash that is valid UTF-8 (nearly every one) is unchanged.
/// Hazards (controls, bidi) are kept: text escapes them when it shows the name, as it
/// escapes any text; JSON keeps them exact.
pub fn name_of_bytes(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() + 8);
    for chunk in b.utf8_chunks() {
        let valid = chunk.valid();
        if valid.contains('\\') {
            out.push_str(&valid.replace('\\', "\\\\"));
        } else {
            out.push_str(valid);
        }
        for byte in chunk.invalid() {
            use std::fmt::Write as _;
            let _ = write!(out, "\\x{byte:02x}");
        }
    }
    out
}

/// A path's name, as [`name_of_bytes`] makes it of its raw bytes (on Unix).
pub fn path_name(p: &std::path::Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt as _;
        name_of_bytes(p.as_os_str().as_bytes())
    }
    #[cfg(not(unix))]
    {
        p.display().to_string()
    }
}

/// The raw bytes of a name made by [`name_of_bytes`] (`\\` → `\`, `\xNN` → the
/// byte); any other backslash is kept as it is. Borrowed when there is no backslash.
pub fn name_bytes(name: &str) -> Cow<'_, [u8]> {
    if !name.contains('\\') {
        return Cow::Borrowed(name.as_bytes());
    }
    let b = name.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'\\' {
            match b.get(i + 1) {
                Some(b'\\') => {
                    out.push(b'\\');
                    i += 2;
                    continue;
                }
                Some(b'x') => {
                    let hex = b
                        .get(i + 2..i + 4)
                        .and_then(|h| std::str::from_utf8(h).ok());
                    if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                        out.push(v);
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    Cow::Owned(out)
}

/// A writer for JSON (and SARIF) output that writes every hazard at or above U+0080
/// (C1, bidi, zero-width, …) as a JSON `\uXXXX` escape (a surrogate pair above
/// U+FFFF): the value a JSON reader decodes is exactly the certificate's, but the
/// document shown by `cat` or `less` carries none of them raw. serde_json already
/// escapes C0; DEL, valid raw in JSON, is escaped too. Raw non-ASCII and DEL only
/// ever occur inside JSON strings, so the rewrite is always valid JSON. Sequences split across `write` calls are held until complete;
/// [`JsonHazards::finish`] (or `flush`) writes what is left.
pub struct JsonHazards<W: std::io::Write> {
    inner: W,
    pending: [u8; 4],
    pending_len: usize,
}

impl<W: std::io::Write> JsonHazards<W> {
    pub fn new(inner: W) -> Self {
        JsonHazards {
            inner,
            pending: [0; 4],
            pending_len: 0,
        }
    }

    /// Writes the bytes held back (an incomplete sequence: never in valid UTF-8).
    pub fn finish(&mut self) -> std::io::Result<()> {
        let held = self.pending.get(..self.pending_len).unwrap_or_default();
        self.inner.write_all(held)?;
        self.pending_len = 0;
        self.inner.flush()
    }

    fn escape_char(&mut self, c: char) -> std::io::Result<()> {
        let mut units = [0u16; 2];
        for u in c.encode_utf16(&mut units) {
            write!(self.inner, "\\u{u:04x}")?;
        }
        Ok(())
    }

    /// Writes `buf`, which starts at a character boundary; returns how many trailing
    /// bytes form an incomplete sequence (not written).
    fn write_from_boundary(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut start = 0; // first byte not yet written
        let mut i = 0;
        while let Some(&b) = buf.get(i) {
            if b < 0x7f {
                // Skip the ASCII run 32 bytes at a time: a fold without an early
                // exit vectorises, and a report is almost all ASCII.
                let skip: usize = buf
                    .get(i..)
                    .unwrap_or_default()
                    .chunks(32)
                    .take_while(|c| c.iter().fold(true, |ok, &b| ok & (b < 0x7f)))
                    .map(<[u8]>::len)
                    .sum();
                i += skip.max(1);
                continue;
            }
            let len = match b {
                0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                0xf0..=0xf7 => 4,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let Some(seq) = buf.get(i..i + len) else {
                self.inner
                    .write_all(buf.get(start..i).unwrap_or_default())?;
                return Ok(buf.len() - i);
            };
            let c = std::str::from_utf8(seq).ok().and_then(|s| s.chars().next());
            match c {
                Some(c) if is_hazard(c) => {
                    self.inner
                        .write_all(buf.get(start..i).unwrap_or_default())?;
                    self.escape_char(c)?;
                    i += len;
                    start = i;
                }
                Some(_) => i += len,
                None => i += 1,
            }
        }
        self.inner.write_all(buf.get(start..).unwrap_or_default())?;
        Ok(0)
    }
}

impl<W: std::io::Write> std::io::Write for JsonHazards<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        if self.pending_len > 0 {
            // Complete the held sequence with the first bytes of `buf`.
            let mut joined = [0u8; 8];
            let held = self.pending_len;
            let take = rest.len().min(4);
            if let (Some(dst), Some(src)) = (joined.get_mut(..held), self.pending.get(..held)) {
                dst.copy_from_slice(src);
            }
            if let (Some(dst), Some(src)) = (joined.get_mut(held..held + take), rest.get(..take)) {
                dst.copy_from_slice(src);
            }
            let lead = self.pending.first().copied().unwrap_or(0);
            let need = match lead {
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            };
            if held + take < need {
                if let (Some(dst), Some(src)) =
                    (self.pending.get_mut(held..held + take), rest.get(..take))
                {
                    dst.copy_from_slice(src);
                }
                self.pending_len = held + take;
                return Ok(buf.len());
            }
            self.pending_len = 0;
            let used = need - held;
            let left = self.write_from_boundary(joined.get(..need).unwrap_or_default())?;
            debug_assert_eq!(left, 0);
            rest = rest.get(used..).unwrap_or_default();
        }
        let left = self.write_from_boundary(rest)?;
        if left > 0 {
            let tail = rest.get(rest.len() - left..).unwrap_or_default();
            if let Some(dst) = self.pending.get_mut(..left) {
                dst.copy_from_slice(tail);
            }
            self.pending_len = left;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_bidi_and_zero_width_are_shown_visibly() {
        assert_eq!(escape("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(
            escape("x\r\nIAM thumbprint: 00"),
            "x\\x0d\\x0aIAM thumbprint: 00"
        );
        assert_eq!(escape("\u{7f}\u{9b}\u{85}"), "\\x7f\\u{9b}\\u{85}");
        assert_eq!(escape("evil\u{202e}gpj.exe"), "evil\\u{202e}gpj.exe");
        for c in [
            '\u{202a}',
            '\u{202b}',
            '\u{202c}',
            '\u{202d}',
            '\u{202e}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200e}',
            '\u{200f}',
            '\u{61c}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{feff}',
            '\u{2028}',
            '\u{2029}',
            '\u{e0041}',
        ] {
            let s = c.to_string();
            let e = escape(&s);
            assert!(!e.contains(c), "{c:?}");
            assert_eq!(e, format!("\\u{{{:x}}}", c as u32));
        }
    }

    #[test]
    fn clean_text_is_borrowed_and_unchanged() {
        for s in ["", "example.com", "Ünïcödé 証明書 CA", "a\\b", "CN=x\\,y"] {
            assert!(matches!(escape(s), Cow::Borrowed(_)), "{s}");
            assert!(matches!(name(s), Cow::Borrowed(_)), "{s}");
        }
    }

    #[test]
    fn long_names_are_cut_with_a_marker_never_inside_an_escape() {
        let long = "a".repeat(1000);
        let cut = name(&long);
        assert!(cut.starts_with(&"a".repeat(NAME_MAX)));
        assert!(cut.ends_with("…(744 more characters)"), "{cut}");
        let esc = "\x1b".repeat(100);
        let cut = escape_cut(&esc, 10);
        assert_eq!(cut, "\\x1b\\x1b…(98 more characters)");
        assert_eq!(escape_cut("abc", 3), "abc");
    }

    #[test]
    fn names_are_lossless_and_unambiguous() {
        assert_eq!(name_of_bytes(b"a\xffb"), "a\\xffb");
        assert_eq!(name_of_bytes(b"a\\b"), "a\\\\b");
        assert_eq!(name_of_bytes("é c%.pem".as_bytes()), "é c%.pem");
        assert_eq!(name_of_bytes(b"\x1b"), "\x1b");
        // A literal `\xff` in a valid name and the byte 0xff never read the same.
        assert_ne!(name_of_bytes(b"\\xff"), name_of_bytes(b"\xff"));
        // Two names that lossy conversion makes one (U+FFFD for each).
        assert_ne!(name_of_bytes(b"\xfe.pem"), name_of_bytes(b"\xff.pem"));
        assert_eq!(
            String::from_utf8_lossy(b"\xfe.pem"),
            String::from_utf8_lossy(b"\xff.pem")
        );
        for raw in [
            &b"plain.pem"[..],
            b"a\xffb",
            b"\\xff",
            b"\\\\x",
            b"x\\",
            b"\xc3",
            b"\xc3\xa9\xe2\x80",
            b"\\x4",
            "évil\u{202e}".as_bytes(),
        ] {
            let name = name_of_bytes(raw);
            assert_eq!(name_bytes(&name), raw, "{name}");
        }
        assert!(matches!(name_bytes("plain.pem"), Cow::Borrowed(_)));
    }

    #[test]
    fn cut_keeps_exact_text_and_bounds_it() {
        assert_eq!(cut("abc", 3), "abc");
        assert!(matches!(cut("ééé", 3), Cow::Borrowed(_)));
        assert_eq!(cut("ééééé", 3), "ééé…(2 more characters)");
        assert_eq!(cut("a\u{202e}bc", 2), "a\u{202e}…(2 more characters)");
    }

    #[test]
    fn no_hazard_survives_any_input() {
        // Every code point up to U+10FFFF, in chunks.
        let all: Vec<char> = (0..=0x10ffffu32).filter_map(char::from_u32).collect();
        for chunk in all.chunks(4096) {
            let s: String = chunk.iter().collect();
            let e = escape(&s);
            assert!(!e.chars().any(is_hazard));
            let e = escape_cut(&s, 100);
            assert!(!e.chars().any(is_hazard));
        }
    }

    #[test]
    fn every_cf_and_cc_character_is_a_hazard() {
        // Cross-check against the standard library: Cc is `char::is_control`.
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            if c.is_control() {
                assert!(is_hazard(c), "{c:?}");
            }
        }
    }
    fn through_json_hazards(chunks: &[&[u8]]) -> Vec<u8> {
        use std::io::Write as _;
        let mut w = JsonHazards::new(Vec::new());
        for c in chunks {
            w.write_all(c).unwrap();
        }
        w.finish().unwrap();
        w.inner
    }

    #[test]
    fn json_output_keeps_values_and_escapes_hazards() {
        let v = serde_json::json!({ "subject": "a\u{202e}b\u{9b}c\u{200b}é\u{e0041}\u{7f}\n" });
        let text = serde_json::to_vec_pretty(&v).unwrap();
        // Whole, and split at every byte boundary.
        let whole = through_json_hazards(&[&text]);
        for at in 0..text.len() {
            let (a, b) = text.split_at(at);
            assert_eq!(through_json_hazards(&[a, b]), whole, "split at {at}");
        }
        let s = String::from_utf8(whole.clone()).unwrap();
        assert!(!s.chars().any(|c| is_hazard(c) && c != '\n'), "{s}");
        assert!(
            s.contains("\\u202e") && s.contains("\\udb40\\udc41") && s.contains('é'),
            "{s}"
        );
        let back: serde_json::Value = serde_json::from_slice(&whole).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn json_hazards_after_long_ascii_runs_are_escaped_whatever_the_write_sizes() {
        use std::io::Write;
        let text = format!(
            "{}\u{202e}{}\u{7f}é{}",
            "a".repeat(100),
            "b".repeat(45),
            "c".repeat(33)
        );
        let want = format!(
            "{}\\u202e{}\\u007fé{}",
            "a".repeat(100),
            "b".repeat(45),
            "c".repeat(33)
        );
        for piece in [1, 7, 32, 4096] {
            let mut w = JsonHazards::new(Vec::new());
            for chunk in text.as_bytes().chunks(piece) {
                w.write_all(chunk).unwrap();
            }
            w.finish().unwrap();
            assert_eq!(
                String::from_utf8(w.inner).unwrap(),
                want,
                "pieces of {piece}"
            );
        }
    }
}
