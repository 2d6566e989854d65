//! `openssl s_client` captures: the ` N s:… i:…` header lines above each PEM block,
//! split into attributes, and which blocks count.
//!
//! Header styles, as each OpenSSL prints them:
//!
//! ```text
//! 1.0.x   0 s:/C=US/O=Starfield Technologies, Inc./CN=x      (X509_NAME_oneline)
//!           i:/C=US/O=Amazon/CN=Amazon Root CA 1
//! 1.1.x   0 s:C = US, O = "Starfield Technologies, Inc.", CN = x
//!           i:C = US, O = Amazon, CN = Amazon Root CA 1
//! 3.x     0 s:C = US, O = "Acme, Inc.", CN = \C3\9Cn + OU = q\"uo\\te
//!           i:…
//!           a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256
//!           v:NotBefore: Nov 23 14:33:16 2026 GMT; NotAfter: Nov 24 14:33:16 2026 GMT
//! ```
//!
//! 1.1 and 3.x quote values holding `,` `+` `;` `<` `>` and backslash-escape `"` and
//! `\`, print bytes above 0x7f as `\XX`, and join a multi-valued RDN's attributes with
//! ` + `. 1.0 escapes nothing but non-printables (`\xXX`) and joins them with `+`.
//! Where values are not escaped, a separator counts only when an attribute type and
//! `=` follow it, so `O=Starfield Technologies, Inc.` stays one value.
//!
//! Which blocks count: the `Certificate chain` section's blocks, in order, each with
//! the header above it. The `Server certificate` section repeats the leaf: without
//! `-showcerts` it is the only block (it is kept, with the depth-0 header); after a
//! chain that was printed (OpenSSL 1.x prints it again), a block equal to one already
//! read is dropped, so the leaf counts once. When the chain's depth-0 block could not
//! be read (a redacted paste) but the server certificate can, it takes that block's
//! place at the head of the chain.

use super::pem::Sink;
use super::{Block, HeaderName, SClientHeader, detect, repair};

/// The longest ` N s:…` or `i:…` header line whose text is kept, parsed and
/// compared with the certificate below it: 64 KiB. OpenSSL prints a name of a few
/// hundred bytes; a longer line was not printed by `s_client` for a real certificate,
/// and keeping it (its text, its attributes, the copy for the `Server certificate`
/// block, a message quoting it) would multiply the input. Over it, the header still
/// counts (its depth, its place above a block) but its text is dropped, and the
/// certificate below gets `input.header_mismatch` saying it was not compared.
pub const MAX_HEADER_LINE: usize = 64 * 1024;

/// ` N s:SUBJECT` (indentation removed): the depth and the subject text.
pub(crate) fn header_start(line: &str) -> Option<(usize, &str)> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 4 {
        return None;
    }
    let depth = line.get(..digits)?.parse().ok()?;
    let rest = line.get(digits..)?;
    let after_spaces = rest.trim_start_matches(' ');
    if after_spaces.len() == rest.len() {
        return None;
    }
    let subject = after_spaces.strip_prefix("s:")?;
    Some((depth, subject.trim()))
}

/// Splits a header's name into attributes, in printed order; `None` when the text
/// does not read as a name. An empty name is `Some(vec![])`.
pub fn parse_name(raw: &str) -> Option<HeaderName> {
    let raw = raw.trim_start();
    // Trim the end, but keep a space that a backslash escapes (RFC 2253 style).
    let trimmed = raw.trim_end();
    let raw = if trimmed.ends_with('\\') && trimmed.len() < raw.len() {
        raw.get(..trimmed.len() + 1).unwrap_or(trimmed)
    } else {
        trimmed
    };
    if raw.is_empty() {
        return Some(Vec::new());
    }
    match raw.strip_prefix('/') {
        Some(rest) => parse_slashed(rest.as_bytes()),
        None => parse_commas(raw.as_bytes()),
    }
}

/// Length of an attribute type (`CN`, `emailAddress`, `2.5.4.97`) at the start.
fn type_len(s: &[u8]) -> usize {
    match s.first() {
        Some(b) if b.is_ascii_alphanumeric() => s
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count(),
        _ => 0,
    }
}

/// Does an attribute (`TYPE=` or `TYPE = `) start here?
fn attribute_starts(s: &[u8], spaced: bool) -> bool {
    let n = type_len(s);
    if n == 0 {
        return false;
    }
    let mut rest = s.get(n..).unwrap_or_default();
    if spaced {
        while let Some((b' ', r)) = rest.split_first() {
            rest = r;
        }
    }
    rest.first() == Some(&b'=')
}

fn hex(b: u8) -> Option<u8> {
    char::from(b)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Reads one backslash escape at `s` (just past the backslash), appending the bytes
/// it stands for; returns how many input bytes it used.
fn unescape(s: &[u8], out: &mut Vec<u8>) -> usize {
    let hex_pair = |i: usize| Some(hex(*s.get(i)?)? << 4 | hex(*s.get(i + 1)?)?);
    let hex_run = |n: usize| -> Option<u32> {
        let digits = s.get(1..=n)?;
        digits
            .iter()
            .try_fold(0u32, |acc, b| Some(acc << 4 | u32::from(hex(*b)?)))
    };
    match s.first() {
        None => {
            out.push(b'\\');
            0
        }
        // 1.0's \xHH
        Some(b'x') if hex_pair(1).is_some() => {
            out.extend(hex_pair(1));
            3
        }
        // \UXXXX, \WXXXXXXXX: BMP and universal characters printed without UTF-8.
        Some(&c @ (b'U' | b'W')) if hex_run(if c == b'U' { 4 } else { 8 }).is_some() => {
            let n = if c == b'U' { 4 } else { 8 };
            let code = hex_run(n).and_then(char::from_u32).unwrap_or('\u{fffd}');
            let mut buf = [0u8; 4];
            out.extend_from_slice(code.encode_utf8(&mut buf).as_bytes());
            n + 1
        }
        // \XX: one byte (how 1.1 and 3.x print UTF-8, byte by byte).
        Some(_) if hex_pair(0).is_some() => {
            out.extend(hex_pair(0));
            2
        }
        Some(&c) => {
            out.push(c);
            1
        }
    }
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// `/C=US/O=Org/CN=x` (1.0), with `+` between a multi-valued RDN's attributes.
fn parse_slashed(s: &[u8]) -> Option<HeaderName> {
    let mut attrs = Vec::new();
    let mut rest = s;
    loop {
        let n = type_len(rest);
        if n == 0 {
            return None;
        }
        let ty = std::str::from_utf8(rest.get(..n)?).ok()?.to_string();
        rest = rest.get(n..)?.strip_prefix(b"=")?;
        let mut value = Vec::new();
        let mut i = 0;
        let mut next = None;
        while let Some(&b) = rest.get(i) {
            match b {
                b'\\' => i += 1 + unescape(rest.get(i + 1..).unwrap_or_default(), &mut value),
                b'/' | b'+' if attribute_starts(rest.get(i + 1..).unwrap_or_default(), false) => {
                    next = Some(i + 1);
                    break;
                }
                _ => {
                    value.push(b);
                    i += 1;
                }
            }
        }
        attrs.push((ty, text(value)));
        match next {
            Some(j) => rest = rest.get(j..)?,
            None => return Some(attrs),
        }
    }
}

/// Where a separator (`, ` or ` + `, or `,`/`+` with no spaces) ends, if one starts at
/// `i` and an attribute follows it.
fn separator(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    if !matches!(s.get(j), Some(b',' | b'+')) {
        return None;
    }
    j += 1;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    attribute_starts(s.get(j..).unwrap_or_default(), true).then_some(j)
}

/// `C = US, O = "Acme, Inc.", CN = x + OU = y` (1.1, 3.x) or RFC 2253-like `CN=x,O=y`.
fn parse_commas(s: &[u8]) -> Option<HeaderName> {
    let mut attrs = Vec::new();
    let mut i = 0;
    loop {
        let n = type_len(s.get(i..)?);
        if n == 0 {
            return None;
        }
        let ty = std::str::from_utf8(s.get(i..i + n)?).ok()?.to_string();
        i += n;
        while s.get(i) == Some(&b' ') {
            i += 1;
        }
        if s.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        while s.get(i) == Some(&b' ') {
            i += 1;
        }
        let mut value = Vec::new();
        let mut next = None;
        if s.get(i) == Some(&b'"') {
            i += 1;
            loop {
                match s.get(i) {
                    None => return None,
                    Some(b'"') => {
                        i += 1;
                        break;
                    }
                    Some(b'\\') => {
                        i += 1 + unescape(s.get(i + 1..).unwrap_or_default(), &mut value)
                    }
                    Some(&b) => {
                        value.push(b);
                        i += 1;
                    }
                }
            }
            while s.get(i) == Some(&b' ') {
                i += 1;
            }
            if i < s.len() {
                next = Some(separator(s, i)?);
            }
        } else {
            // Unquoted: up to a separator followed by an attribute. Trailing spaces are
            // the separator's, unless escaped.
            let mut keep = 0;
            while let Some(&b) = s.get(i) {
                if let Some(j) = separator(s, i) {
                    next = Some(j);
                    break;
                }
                if b == b'\\' {
                    i += 1 + unescape(s.get(i + 1..).unwrap_or_default(), &mut value);
                    keep = value.len();
                } else if b == b' ' {
                    // No separator starts anywhere in this run of spaces (it would
                    // start at its first): taken whole, so a long run is not
                    // scanned again from each of its spaces.
                    let run = s
                        .get(i..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|&&c| c == b' ')
                        .count();
                    value.extend(std::iter::repeat_n(b' ', run));
                    i += run;
                } else {
                    value.push(b);
                    i += 1;
                    if b != b' ' {
                        keep = value.len();
                    }
                }
            }
            value.truncate(keep);
        }
        attrs.push((ty, text(value)));
        match next {
            Some(j) => i = j,
            None => return Some(attrs),
        }
    }
}

enum Version {
    Protocol(String),
    New(String),
}

/// `Protocol  : TLSv1.3` (SSL-Session) or `New, TLSv1.3, Cipher is …`; `TLSv1/SSLv3`
/// (OpenSSL 1.0's name for "1.0 or later") names no version.
fn tls_version(line: &str) -> Option<Version> {
    let line = line.trim_start();
    let named = |v: &str| {
        let v = v.trim();
        let known = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"];
        known.contains(&v).then(|| v.to_string())
    };
    if let Some(rest) = line.strip_prefix("Protocol") {
        let v = rest.trim_start().strip_prefix(':')?;
        return named(v).map(Version::Protocol);
    }
    let rest = line.strip_prefix("New, ")?;
    let (v, _) = rest.split_once(',')?;
    named(v).map(Version::New)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Section {
    #[default]
    None,
    Chain,
    Server,
}

/// Collects the blocks of a text input, attaching `s_client` headers. For plain PEM
/// (no headers, no sections) it simply keeps every certificate in order.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pub blocks: Vec<Block>,
    /// A line only `s_client` prints was seen.
    pub s_client: bool,
    section: Section,
    /// The header waiting for the block below it.
    pending: Option<SClientHeader>,
    /// The previous text line was a ` N s:` line (so an `i:` line belongs to it).
    expect_issuer: bool,
    /// The chain's depth-0 header (for a `Server certificate` block).
    depth0: Option<SClientHeader>,
    /// Index in `blocks` where the current chain section starts.
    chain_start: usize,
    /// Certificate blocks met in the chain section, read or not.
    chain_blocks: usize,
    /// The chain section's first block could not be read.
    chain_head_unreadable: bool,
    /// The `Server certificate` section's block was handled.
    server_done: bool,
    /// ` N s:` header lines met in the chain section.
    chain_headers: usize,
    /// Certificate blocks met in the `Server certificate` section, read or not.
    server_blocks: usize,
    /// From the SSL-Session `Protocol  :` line (wins) and a `New, TLSv1.x,` line.
    protocol: Option<String>,
    new_line_version: Option<String>,
}

impl Collector {
    /// What the capture says about itself (meaningful for `s_client` input only).
    pub fn capture(&self) -> super::Capture {
        super::Capture {
            served_count: (self.chain_headers > 0).then_some(self.chain_headers),
            blocks_present: if self.chain_blocks > 0 {
                self.chain_blocks
            } else {
                self.server_blocks
            },
            tls_version: self
                .protocol
                .clone()
                .or_else(|| self.new_line_version.clone()),
        }
    }

    fn push(&mut self, line: Option<usize>, der: Vec<u8>, header: Option<SClientHeader>) {
        self.blocks.push(Block {
            der,
            line,
            header,
            origin: None,
        });
    }
}

impl Sink for Collector {
    fn text(&mut self, line: usize, raw: &str) {
        let clean = repair::strip_leading(raw).text.trim_end();
        if !self.s_client && detect::is_s_client_line(clean) {
            self.s_client = true;
        }
        if let Some(v) = tls_version(clean) {
            match v {
                Version::Protocol(v) => self.protocol = Some(v),
                Version::New(v) => self.new_line_version = Some(v),
            }
            return;
        }
        if let Some((depth, subject)) = header_start(clean) {
            if self.section == Section::Chain {
                self.chain_headers += 1;
            }
            let long = clean.len() > MAX_HEADER_LINE;
            let header = SClientHeader {
                depth,
                line,
                subject_raw: if long {
                    String::new()
                } else {
                    subject.to_string()
                },
                issuer_raw: String::new(),
                subject: if long { None } else { parse_name(subject) },
                issuer: None,
                too_long: long.then_some(clean.len()),
            };
            if depth == 0 {
                self.depth0 = Some(header.clone());
            }
            self.pending = Some(header);
            self.expect_issuer = true;
            return;
        }
        if self.expect_issuer {
            if let Some(issuer) = clean.strip_prefix("i:") {
                let issuer = issuer.trim();
                if let Some(h) = self.pending.as_mut() {
                    if clean.len() > MAX_HEADER_LINE {
                        h.too_long = h.too_long.max(Some(clean.len()));
                    } else {
                        h.issuer_raw = issuer.to_string();
                        h.issuer = parse_name(issuer);
                    }
                    if h.depth == 0 {
                        self.depth0 = Some(h.clone());
                    }
                }
                return;
            }
            // OpenSSL 3's a: and v: lines belong to the header too.
            if clean.starts_with("a:") || clean.starts_with("v:") {
                return;
            }
            self.expect_issuer = false;
        }
        match clean {
            "Certificate chain" => {
                self.section = Section::Chain;
                self.chain_start = self.blocks.len();
                self.chain_blocks = 0;
                self.chain_head_unreadable = false;
                self.depth0 = None;
                self.pending = None;
                self.server_done = false;
                self.chain_headers = 0;
                self.server_blocks = 0;
            }
            "Server certificate" => {
                self.section = Section::Server;
                self.pending = None;
            }
            "---" => {
                self.section = Section::None;
                self.pending = None;
            }
            _ => {}
        }
    }

    fn certificate(&mut self, line: Option<usize>, der: Vec<u8>) {
        self.expect_issuer = false;
        if self.section == Section::Server {
            self.server_blocks += 1;
        }
        if self.section == Section::Server && !self.server_done {
            self.server_done = true;
            let header = self.depth0.clone();
            if self.chain_blocks == 0 {
                // No -showcerts: this is the only copy of the leaf.
                self.push(line, der, header);
                return;
            }
            let chain = self.blocks.get(self.chain_start..).unwrap_or_default();
            if chain.iter().any(|b| b.der == der) {
                return;
            }
            if self.chain_head_unreadable {
                let at = self.chain_start.min(self.blocks.len());
                self.blocks.insert(
                    at,
                    Block {
                        der,
                        line,
                        header,
                        origin: None,
                    },
                );
                return;
            }
            self.push(line, der, None);
            return;
        }
        let header = self.pending.take();
        if self.section == Section::Chain {
            self.chain_blocks += 1;
        }
        self.push(line, der, header);
    }

    fn unreadable(&mut self, _line: usize) {
        self.expect_issuer = false;
        self.pending = None;
        if self.section == Section::Server {
            self.server_blocks += 1;
        }
        if self.section == Section::Chain {
            if self.chain_blocks == 0 {
                self.chain_head_unreadable = true;
            }
            self.chain_blocks += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::{CA_PEM, LEAF_PEM, ca_der, leaf_der};
    use crate::input::{Format, read};

    fn attrs(pairs: &[(&str, &str)]) -> Option<HeaderName> {
        Some(
            pairs
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
        )
    }

    #[test]
    fn openssl_1_0_slash_names_are_split() {
        assert_eq!(
            parse_name(
                "/C=US/ST=Arizona/L=Scottsdale/O=Starfield Technologies, Inc./CN=Starfield Services Root Certificate Authority - G2"
            ),
            attrs(&[
                ("C", "US"),
                ("ST", "Arizona"),
                ("L", "Scottsdale"),
                ("O", "Starfield Technologies, Inc."),
                ("CN", "Starfield Services Root Certificate Authority - G2"),
            ])
        );
        assert_eq!(
            parse_name("/CN=*.execute-api.us-east-2.amazonaws.com"),
            attrs(&[("CN", "*.execute-api.us-east-2.amazonaws.com")])
        );
        assert_eq!(
            parse_name("/O=A/B Corp/CN=x\\/y+emailAddress=a@b/OU=\\xC3\\x9Cn"),
            attrs(&[
                ("O", "A/B Corp"),
                ("CN", "x/y"),
                ("emailAddress", "a@b"),
                ("OU", "Ün")
            ])
        );
    }

    #[test]
    fn openssl_1_1_and_3_names_are_split_with_quotes_and_escapes() {
        assert_eq!(
            parse_name(
                "C = US, O = \"Starfield Technologies, Inc.\", OU = Starfield Class 2 Certification Authority"
            ),
            attrs(&[
                ("C", "US"),
                ("O", "Starfield Technologies, Inc."),
                ("OU", "Starfield Class 2 Certification Authority"),
            ])
        );
        // Printed by OpenSSL 3.0.19 for a multi-valued RDN with UTF-8 and escapes.
        assert_eq!(
            parse_name(
                r#"C = US, O = "Acme, Inc.", CN = \C3\9Cn\C3\AF + OU = q\"uo\\te, CN = "Root;x""#
            ),
            attrs(&[
                ("C", "US"),
                ("O", "Acme, Inc."),
                ("CN", "Ünï"),
                ("OU", "q\"uo\\te"),
                ("CN", "Root;x")
            ])
        );
        assert_eq!(parse_name("CN = localhost"), attrs(&[("CN", "localhost")]));
        assert_eq!(
            parse_name("CN=a\\, b,O=c"),
            attrs(&[("CN", "a, b"), ("O", "c")])
        );
        assert_eq!(
            parse_name("O = Acme, Inc, CN = x"),
            attrs(&[("O", "Acme, Inc"), ("CN", "x")])
        );
        assert_eq!(parse_name("CN = \\ x\\ "), attrs(&[("CN", " x ")]));
        assert_eq!(parse_name(""), Some(vec![]));
        assert_eq!(parse_name("not a name"), None);
        assert_eq!(parse_name("CN = \"open"), None);
    }

    #[test]
    fn header_lines_are_recognised() {
        assert_eq!(header_start("0 s:/CN=x"), Some((0, "/CN=x")));
        assert_eq!(header_start("12 s:CN = x "), Some((12, "CN = x")));
        assert_eq!(header_start("0s:/CN=x"), None);
        assert_eq!(header_start("s:/CN=x"), None);
    }

    /// Captured from OpenSSL 3.0.19 (`s_server` on localhost; test-only chain).
    fn capture_3(showcerts: bool) -> String {
        let chain = if showcerts {
            format!(
                " 0 s:CN = localhost\n   i:C = US, O = \"Acme, Inc.\", CN = \\C3\\9Cn\\C3\\AF + OU = q\\\"uo\\\\te, CN = \"Root;x\"\n   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256\n   v:NotBefore: Nov 23 14:33:16 2026 GMT; NotAfter: Nov 24 14:33:16 2026 GMT\n{LEAF_PEM} 1 s:C = US, O = \"Acme, Inc.\", CN = \\C3\\9Cn\\C3\\AF + OU = q\\\"uo\\\\te, CN = \"Root;x\"\n   i:C = US, O = \"Acme, Inc.\", CN = \\C3\\9Cn\\C3\\AF + OU = q\\\"uo\\\\te, CN = \"Root;x\"\n   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256\n   v:NotBefore: Nov 23 14:33:16 2026 GMT; NotAfter: Nov 25 14:33:16 2026 GMT\n{CA_PEM}---\nServer certificate\nsubject=CN = localhost\n"
            )
        } else {
            format!(
                " 0 s:CN = localhost\n   i:C = US, O = \"Acme, Inc.\", CN = \\C3\\9Cn\\C3\\AF + OU = q\\\"uo\\\\te, CN = \"Root;x\"\n   a:PKEY: id-ecPublicKey, 256 (bit); sigalg: ecdsa-with-SHA256\n   v:NotBefore: Nov 23 14:33:16 2026 GMT; NotAfter: Nov 24 14:33:16 2026 GMT\n 1 s:C = US, O = \"Acme, Inc.\", CN = \\C3\\9Cn\\C3\\AF + OU = q\\\"uo\\\\te, CN = \"Root;x\"\n   i:C = US, O = \"Acme, Inc.\", CN = \\C3\\9Cn\\C3\\AF + OU = q\\\"uo\\\\te, CN = \"Root;x\"\n---\nServer certificate\n{LEAF_PEM}subject=CN = localhost\n"
            )
        };
        format!(
            "depth=1 C = US, O = \"Acme, Inc.\"\nverify return:1\nCONNECTED(00000003)\n---\nCertificate chain\n{chain}issuer=C = US\n---\nNo client certificate CA names sent\n---\nVerify return code: 19 (self-signed certificate in certificate chain)\n---\nDONE\n"
        )
    }

    #[test]
    fn openssl_3_showcerts_attaches_each_header_to_its_block() {
        let d = read("sc.txt", capture_3(true).as_bytes());
        assert_eq!(d.format, Format::SClient);
        assert!(d.findings.is_empty(), "{:?}", d.findings);
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.blocks[0].der, leaf_der());
        assert_eq!(d.blocks[0].line, Some(10));
        let h0 = d.blocks[0].header.as_ref().unwrap();
        assert_eq!((h0.depth, h0.line), (0, 6));
        assert_eq!(h0.subject, attrs(&[("CN", "localhost")]));
        assert_eq!(h0.issuer.as_ref().unwrap().len(), 5);
        let h1 = d.blocks[1].header.as_ref().unwrap();
        assert_eq!(h1.depth, 1);
        assert_eq!(h1.subject_raw, h1.issuer_raw);
        assert_eq!(d.blocks[1].der, ca_der());
    }

    #[test]
    fn without_showcerts_the_server_certificate_is_the_leaf_once() {
        let d = read("sc.txt", capture_3(false).as_bytes());
        assert_eq!(d.format, Format::SClient);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].der, leaf_der());
        assert_eq!(d.blocks[0].header.as_ref().map(|h| h.depth), Some(0));
    }

    #[test]
    fn openssl_1_0_server_certificate_repeating_the_leaf_counts_once() {
        let text = format!(
            "CONNECTED(00000003)\n---\nCertificate chain\n 0 s:/CN=localhost\n   i:/C=US/O=Acme, Inc./CN=Root\n{LEAF_PEM} 1 s:/C=US/O=Acme, Inc./CN=Root\n   i:/C=US/O=Acme, Inc./CN=Root\n{CA_PEM}---\nServer certificate\n{LEAF_PEM}subject=/CN=localhost\nissuer=/C=US/O=Acme, Inc./CN=Root\n---\n"
        );
        let d = read("old.txt", text.as_bytes());
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.blocks[0].der, leaf_der());
        assert_eq!(d.blocks[1].der, ca_der());
        let h1 = d.blocks[1].header.as_ref().unwrap();
        assert_eq!(
            h1.issuer,
            attrs(&[("C", "US"), ("O", "Acme, Inc."), ("CN", "Root")])
        );
    }

    #[test]
    fn a_server_certificate_replaces_an_unreadable_depth_0_block() {
        let text = format!(
            "Certificate chain\n 0 s:/CN=localhost\n   i:/CN=Root\n-----BEGIN CERTIFICATE-----\nCERTIFICATE Redacted\n-----END CERTIFICATE-----\n 1 s:/CN=Root\n   i:/CN=Root\n{CA_PEM}---\nServer certificate\n{LEAF_PEM}---\n"
        );
        let d = read("x.txt", text.as_bytes());
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.blocks[0].der, leaf_der());
        assert_eq!(d.blocks[0].header.as_ref().map(|h| h.depth), Some(0));
        assert_eq!(d.blocks[1].header.as_ref().map(|h| h.depth), Some(1));
        assert_eq!(d.findings.len(), 1);
    }

    #[test]
    fn openssl_1_1_style_headers_without_a_and_v_lines() {
        let text = format!(
            "CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = localhost\n   i:C = US, O = \"Acme, Inc.\", CN = Root\n{LEAF_PEM}---\n"
        );
        let d = read("x.txt", text.as_bytes());
        let h = d.blocks[0].header.as_ref().unwrap();
        assert_eq!(
            h.issuer,
            attrs(&[("C", "US"), ("O", "Acme, Inc."), ("CN", "Root")])
        );
        assert_eq!(h.issuer_raw, "C = US, O = \"Acme, Inc.\", CN = Root");
    }

    #[test]
    fn header_lines_over_the_cap_are_counted_but_not_kept() {
        let long = "a".repeat(MAX_HEADER_LINE + 1);
        let text = format!(
            "CONNECTED(00000003)\n---\nCertificate chain\n 0 s:CN = {long}\n   i:CN = {long}\n{LEAF_PEM} 1 s:CN = x\n   i:CN = {long}\n{CA_PEM}---\nServer certificate\n{LEAF_PEM}---\n"
        );
        let d = read("long.txt", text.as_bytes());
        assert_eq!(d.format, Format::SClient);
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.capture.as_ref().and_then(|c| c.served_count), Some(2));
        let h0 = d.blocks[0].header.as_ref().unwrap();
        assert_eq!((h0.depth, h0.line), (0, 4));
        // `0 s:CN = ` and the name: the longer of its two lines.
        assert_eq!(h0.too_long, Some(MAX_HEADER_LINE + 1 + 9));
        assert!(h0.subject_raw.is_empty() && h0.issuer_raw.is_empty());
        assert!(h0.subject.is_none() && h0.issuer.is_none());
        let h1 = d.blocks[1].header.as_ref().unwrap();
        assert_eq!(h1.subject_raw, "CN = x");
        assert_eq!(h1.too_long, Some(MAX_HEADER_LINE + 1 + 7));
        // At the cap, a line is kept.
        let at = format!("CN = {}", "b".repeat(MAX_HEADER_LINE - 9));
        let text = format!("Certificate chain\n 0 s:{at}\n{LEAF_PEM}");
        let d = read("at.txt", text.as_bytes());
        let h = d.blocks[0].header.as_ref().unwrap();
        assert_eq!(h.too_long, None);
        assert_eq!(h.subject_raw, at);
    }

    #[test]
    fn long_runs_of_spaces_in_a_name_are_read_once() {
        // Each space used to rescan the run after it: quadratic in the run.
        let name = format!("CN = a{}b, O = c", " ".repeat(60_000));
        let start = std::time::Instant::now();
        let parsed = parse_name(&name).unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].1.len(), 60_002);
        assert_eq!(parsed[1], ("O".to_string(), "c".to_string()));
        assert!(start.elapsed() < std::time::Duration::from_secs(2));
        assert_eq!(
            parse_name("CN = a  , O = b   "),
            attrs(&[("CN", "a"), ("O", "b")])
        );
    }
}
