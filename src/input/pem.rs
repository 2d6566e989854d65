//! A tolerant PEM scanner: one pass over the text, 1-based line numbers of the input
//! as given, BEGIN/END markers recognised anywhere on a line (prose included), pasted
//! damage looked past (see `repair.rs`).
//!
//! It is not RFC 7468's strict parser, on purpose: people paste certificates into
//! e-mails, tickets, Markdown and web forms. What it keeps strict is base64 itself
//! (the `base64` crate's strict engine, base64ct's padding rules): a body that was redacted or edited is
//! reported, never guessed at.
//!
//! Labels `CERTIFICATE`, `X509 CERTIFICATE` and `TRUSTED CERTIFICATE` hold certificates;
//! `PKCS7` (also `PKCS #7 SIGNED DATA`, `CMS`) holds a bundle; any `… PRIVATE KEY` is
//! skipped without its body ever being kept (not even for a message); any other label
//! is skipped with a finding. Text outside blocks goes to the [`Sink`] line by line
//! (that is where `s_client` headers live).

use super::repair::{self, Repair, Repairs};
use super::{der, detect, pkcs7};
use crate::findings::{Code, Finding};

/// Receives what the scanner reads, in input order.
pub(crate) trait Sink {
    /// A line outside every block (CR removed), as written.
    fn text(&mut self, line: usize, text: &str);
    /// A certificate: from the block at `line`, or (`None`) out of a PKCS#7 bundle.
    fn certificate(&mut self, line: Option<usize>, der: Vec<u8>);
    /// A certificate block at `line` that could not be read (its finding is made).
    fn unreadable(&mut self, line: usize);
}

/// What a PEM label holds, as far as certaudit is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Label {
    /// `CERTIFICATE`, `X509 CERTIFICATE`.
    Certificate,
    /// `TRUSTED CERTIFICATE`: OpenSSL's certificate plus trust settings.
    TrustedCertificate,
    /// `PKCS7`, `PKCS #7 SIGNED DATA`, `CMS`.
    Pkcs7,
    /// Any label containing `PRIVATE KEY`.
    PrivateKey,
    /// Anything else (CSR, CRL, public key, parameters, …).
    Other,
}

pub(crate) fn classify(label: &str) -> Label {
    let is = |s: &str| label.eq_ignore_ascii_case(s);
    if is("CERTIFICATE") || is("X509 CERTIFICATE") {
        Label::Certificate
    } else if is("TRUSTED CERTIFICATE") {
        Label::TrustedCertificate
    } else if is("PKCS7") || is("PKCS #7 SIGNED DATA") || is("CMS") {
        Label::Pkcs7
    } else if label
        .as_bytes()
        .windows(11)
        .any(|w| w.eq_ignore_ascii_case(b"PRIVATE KEY"))
    {
        Label::PrivateKey
    } else {
        Label::Other
    }
}

/// A `-----BEGIN LABEL-----` or `-----END LABEL-----` marker within a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Marker<'t> {
    pub begin: bool,
    /// Byte offset of the first dash.
    pub start: usize,
    /// Byte offset just past the closing dashes.
    pub end: usize,
    /// The label, trimmed.
    pub label: &'t str,
}

fn valid_label(label: &[u8]) -> bool {
    (1..=64).contains(&label.len())
        && label.iter().any(u8::is_ascii_alphanumeric)
        && label.iter().all(|&b| {
            b.is_ascii_alphanumeric() || matches!(b, b' ' | b'#' | b'_' | b'.' | b'/' | b'+')
        })
}

/// The first marker in `line` at or after byte `from`.
pub(crate) fn next_marker(line: &str, from: usize) -> Option<Marker<'_>> {
    let bytes = line.as_bytes();
    let mut i = from;
    loop {
        let at = find_dashes(bytes, i)?;
        i = at + 1;
        let after = bytes.get(at + 5..)?;
        let (begin, keyword) = if after.starts_with(b"BEGIN ") {
            (true, 6)
        } else if after.starts_with(b"END ") {
            (false, 4)
        } else {
            continue;
        };
        let label_start = at + 5 + keyword;
        let tail = bytes.get(label_start..)?;
        let Some(n) = tail.iter().position(|&b| b == b'-') else {
            continue;
        };
        let label = tail.get(..n).unwrap_or_default();
        let run = tail.get(n..).unwrap_or_default();
        let dashes = run.iter().take_while(|&&b| b == b'-').count();
        if dashes < 5 || !valid_label(label) {
            continue;
        }
        // A run longer than five dashes may be this marker's end glued to the next
        // marker's start (`-----END X----------BEGIN X-----`): leave the next its five.
        let next = run.get(dashes..).unwrap_or_default();
        let consumed = if dashes >= 10 && (next.starts_with(b"BEGIN ") || next.starts_with(b"END "))
        {
            dashes - 5
        } else {
            dashes
        };
        let label = line.get(label_start..label_start + n)?.trim_matches(' ');
        return Some(Marker {
            begin,
            start: at,
            end: label_start + n + consumed,
            label,
        });
    }
}

fn next_begin(line: &str, from: usize) -> Option<Marker<'_>> {
    let mut from = from;
    loop {
        let m = next_marker(line, from)?;
        if m.begin {
            return Some(m);
        }
        from = m.end;
    }
}

/// What the scan found besides the certificates it handed to the sink.
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub findings: Vec<Finding>,
    /// Repairs of the blocks that were read.
    pub repairs: Repairs,
    /// Blocks labelled as certificates (that did not turn out to hold PKCS#7).
    pub certificate_blocks: usize,
    /// PKCS#7 blocks, or certificate-labelled blocks holding a SignedData.
    pub pkcs7_blocks: usize,
}

/// Scans `text`, handing lines and certificates to `sink`. `name` is for messages.
#[cfg(test)]
pub(crate) fn scan<S: Sink>(name: &str, text: &str, sink: &mut S) -> Summary {
    scan_at(name, text, sink, 1)
}

/// [`scan`] of text whose first line is line `first_line` of the input (a piece of
/// a streamed bundle): line numbers and messages refer to the whole input.
pub(crate) fn scan_at<S: Sink>(name: &str, text: &str, sink: &mut S, first_line: usize) -> Summary {
    let mut scanner = Scanner {
        name,
        sink,
        out: Summary::default(),
        b64: Vec::new(),
        open: None,
        fence_before: None,
    };
    let mut n = first_line.saturating_sub(1);
    let mut start = 0usize;
    // Lines end at '\n' (memchr: faster than `str::split` on large inputs).
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    for end in ends {
        let raw = text.get(start..end).unwrap_or_default();
        start = end + 1;
        n += 1;
        match raw.strip_suffix('\r') {
            Some(line) => scanner.line(n, line, true),
            None => scanner.line(n, raw, false),
        }
    }
    if let Some(open) = scanner.open.take() {
        scanner.truncated(open, None);
    }
    scanner.out
}

/// A block whose END has not been seen yet.
struct Open<'t> {
    line: usize,
    label: &'t str,
    kind: Label,
    repairs: Repairs,
    /// Body text is collected: certificates and PKCS#7 only, never keys.
    collect: bool,
    /// The first body line with a character that is not base64.
    bad: Option<(usize, &'t str)>,
    first: Option<&'t str>,
    last: Option<&'t str>,
    /// Body lines (or pieces of lines) seen.
    pieces: usize,
    /// A line where body text shared the line with a marker.
    beside_marker: Option<usize>,
    /// The END line names a private key (`-----END PRIVATE KEY-----` under a
    /// `CERTIFICATE` BEGIN): no byte of the body is ever quoted.
    end_key: bool,
}

struct Scanner<'t, 'a, S: Sink> {
    name: &'a str,
    sink: &'a mut S,
    out: Summary,
    /// Base64 of the open block, whitespace removed; reused across blocks.
    b64: Vec<u8>,
    open: Option<Open<'t>>,
    /// The line of a Markdown fence that is the last non-blank text line so far.
    fence_before: Option<usize>,
}

/// The base64 alphabet and `=`, as a table (the scanner's innermost test).
// Indexing is evaluated at compile time, where out of bounds is a build error.
#[allow(clippy::indexing_slicing)]
static B64: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
        i += 1;
    }
    table
};

fn is_b64(b: u8) -> bool {
    B64.get(usize::from(b)).copied().unwrap_or(false)
}

/// Every byte of `s` is in the base64 alphabet or `=` ([`is_b64`] of each), tested
/// without a branch or a table per byte so that the compiler vectorises it (the test
/// runs on every line of a bundle).
fn all_b64(s: &[u8]) -> bool {
    let bad = s.iter().fold(0u8, |acc, &b| {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        let digit = b.wrapping_sub(b'0') < 10;
        let sign = b == b'+' || b == b'/' || b == b'=';
        acc | u8::from(!(letter | digit | sign))
    });
    bad == 0
}

/// Byte offset of the next `-----` at or after `from` (memchr for the first dash; a
/// `str::find` would build a two-way searcher on every call).
fn find_dashes(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        let at = i + bytes.get(i..)?.iter().position(|&b| b == b'-')?;
        match bytes.get(at..at + 5) {
            Some(b"-----") => return Some(at),
            Some(_) => i = at + 1,
            None => return None,
        }
    }
}

impl<'t, S: Sink> Scanner<'t, '_, S> {
    fn line(&mut self, n: usize, line: &'t str, cr: bool) {
        // Hottest path: a clean base64 line inside a certificate block (one pass).
        if let Some(open) = self.open.as_mut()
            && open.collect
            && !line.is_empty()
            && all_b64(line.as_bytes())
        {
            if cr {
                open.repairs.note(Repair::Crlf, n);
            }
            Self::feed(open, &mut self.b64, n, line, true);
            return;
        }
        // Hot path: a line without a dash holds no marker.
        if !line.as_bytes().contains(&b'-') {
            if self.open.is_some() {
                self.body(n, line, true, true, cr);
            } else {
                self.outside(n, line);
            }
            return;
        }
        let mut pos = 0usize;
        let mut at_start = true;
        loop {
            if self.open.is_none() {
                let Some(m) = next_begin(line, pos) else {
                    if at_start {
                        self.outside(n, line);
                    }
                    return;
                };
                let prefix = line.get(pos..m.start).unwrap_or_default();
                self.open_block(n, m.label, prefix, at_start, cr);
                pos = m.end;
                at_start = false;
                continue;
            }
            let m = next_marker(line, pos);
            if m.is_some_and(|m| m.begin) {
                // A BEGIN before this block's END: the block was cut off. The new
                // block starts here; what preceded it on the line is its prefix.
                if let Some(open) = self.open.take() {
                    self.truncated(open, Some(n));
                }
                continue;
            }
            let seg_end = m.map_or(line.len(), |m| m.start);
            let seg = line.get(pos..seg_end).unwrap_or_default();
            self.body(n, seg, at_start, m.is_none(), cr);
            let Some(end) = m else { return };
            // What follows END on its line, up to a next BEGIN.
            let suffix_end = next_begin(line, end.end).map_or(line.len(), |b| b.start);
            let suffix = line.get(end.end..suffix_end).unwrap_or_default();
            if let Some(open) = self.open.as_mut() {
                let t = repair::trim_ws(suffix);
                if repair::is_fence(t) {
                    open.repairs.note(Repair::Fence, n);
                } else if !t.is_empty() {
                    open.repairs.note(Repair::Beside, n);
                }
                if cr {
                    open.repairs.note(Repair::Crlf, n);
                }
            }
            if let Some(mut open) = self.open.take() {
                open.end_key = classify(end.label) == Label::PrivateKey;
                self.finish(open, n);
            }
            pos = end.end;
            at_start = false;
        }
    }

    fn outside(&mut self, n: usize, line: &str) {
        self.sink.text(n, line);
        let t = repair::trim_ws(repair::strip_leading(line).text);
        if repair::is_fence(t) {
            self.fence_before = Some(n);
        } else if !t.is_empty() {
            self.fence_before = None;
        }
    }

    fn open_block(&mut self, n: usize, label: &'t str, prefix: &str, at_start: bool, cr: bool) {
        let kind = classify(label);
        let mut repairs = Repairs::default();
        if at_start {
            let s = repair::strip_leading(prefix);
            if s.indent {
                repairs.note(Repair::Indent, n);
            }
            if s.quote {
                repairs.note(Repair::Quote, n);
            }
            let rest = repair::trim_ws(s.text);
            if repair::is_fence(rest) {
                repairs.note(Repair::Fence, n);
            } else if !rest.is_empty() {
                repairs.note(Repair::Beside, n);
            }
            if let Some(fence) = self.fence_before.take() {
                repairs.note(Repair::Fence, fence);
            }
        } else if !repair::trim_ws(prefix).is_empty() {
            repairs.note(Repair::Beside, n);
        }
        if cr {
            repairs.note(Repair::Crlf, n);
        }
        match kind {
            Label::Certificate | Label::TrustedCertificate => self.out.certificate_blocks += 1,
            Label::Pkcs7 => self.out.pkcs7_blocks += 1,
            Label::PrivateKey | Label::Other => {}
        }
        self.b64.clear();
        self.open = Some(Open {
            line: n,
            label,
            kind,
            repairs,
            collect: matches!(
                kind,
                Label::Certificate | Label::TrustedCertificate | Label::Pkcs7
            ),
            bad: None,
            first: None,
            last: None,
            pieces: 0,
            beside_marker: None,
            end_key: false,
        });
    }

    /// A piece of body: `start` when it begins its line, `end` when it ends it.
    fn body(&mut self, n: usize, seg: &'t str, start: bool, end: bool, cr: bool) {
        let Some(open) = self.open.as_mut() else {
            return;
        };
        if !open.collect {
            // Keys and skipped blocks: nothing of the body is looked at or kept.
            return;
        }
        if cr && end {
            open.repairs.note(Repair::Crlf, n);
        }
        let whole = start && end;
        if whole && !seg.is_empty() && all_b64(seg.as_bytes()) {
            // The common case: a clean base64 line.
            Self::feed(open, &mut self.b64, n, seg, true);
            return;
        }
        let mut text = seg;
        if start {
            let s = repair::strip_leading(seg);
            if s.indent {
                open.repairs.note(Repair::Indent, n);
            }
            if s.quote {
                open.repairs.note(Repair::Quote, n);
            }
            text = s.text;
        }
        let t = repair::trim_ws(text);
        if t.is_empty() {
            if whole {
                open.repairs.note(Repair::Blank, n);
            }
            return;
        }
        if whole && repair::is_fence(t) {
            open.repairs.note(Repair::Fence, n);
            return;
        }
        if !whole {
            open.beside_marker.get_or_insert(n);
        }
        Self::feed(open, &mut self.b64, n, t, false);
    }

    /// `clean`: `t` is already known to be all base64.
    fn feed(open: &mut Open<'t>, b64: &mut Vec<u8>, n: usize, t: &'t str, clean: bool) {
        open.first.get_or_insert(t);
        open.last = Some(t);
        open.pieces += 1;
        if open.bad.is_some() {
            return;
        }
        if clean || all_b64(t.as_bytes()) {
            b64.extend_from_slice(t.as_bytes());
            return;
        }
        let mut spaced = false;
        for c in t.chars() {
            match u8::try_from(c) {
                Ok(b) if is_b64(b) => b64.push(b),
                _ if repair::is_space(c) => spaced = true,
                _ => {
                    open.bad = Some((n, t));
                    return;
                }
            }
        }
        if spaced {
            open.repairs.note(Repair::Spaces, n);
        }
    }

    fn at(&self, line: usize) -> String {
        format!("{} line {line}", self.name)
    }

    fn push(&mut self, code: Code, line: usize, message: String) {
        self.out
            .findings
            .push(Finding::new(code, message).at_line(line));
    }

    fn truncated(&mut self, open: Open<'t>, next_begin_line: Option<usize>) {
        let until = match next_begin_line {
            Some(l) => format!("the next BEGIN line (line {l})"),
            None => "the end of the input".to_string(),
        };
        let message = format!(
            "{}: the {} block has no END line before {until}: it was cut off; paste the whole block",
            self.at(open.line),
            open.label
        );
        self.push(Code::InputTruncated, open.line, message);
        match open.kind {
            Label::PrivateKey => self.private_key(&open),
            Label::Certificate | Label::TrustedCertificate | Label::Pkcs7 => {
                self.sink.unreadable(open.line)
            }
            Label::Other => {}
        }
    }

    fn private_key(&mut self, open: &Open<'t>) {
        let message = format!(
            "{}: a private key ({} block) was skipped; certaudit never reads or shows private keys. \
             Leave keys out of what you share",
            self.at(open.line),
            open.label
        );
        self.push(Code::InputPrivateKey, open.line, message);
    }

    fn finish(&mut self, mut open: Open<'t>, end_line: usize) {
        if open.first.is_some() {
            if end_line == open.line {
                open.repairs.note(Repair::OneLine, open.line);
            } else if let Some(line) = open.beside_marker {
                open.repairs.note(Repair::Beside, line);
            }
        }
        match open.kind {
            Label::PrivateKey => self.private_key(&open),
            Label::Other => {
                let label = open.label;
                let what = if label.contains("CERTIFICATE REQUEST") {
                    "a certificate signing request, not a certificate"
                } else if label.contains("CRL") {
                    "a certificate revocation list, not a certificate"
                } else if label.ends_with("PUBLIC KEY") {
                    "a bare public key, not a certificate"
                } else if label.ends_with("PARAMETERS") {
                    "key parameters, not a certificate"
                } else {
                    "certaudit reads CERTIFICATE, X509 CERTIFICATE, TRUSTED CERTIFICATE and PKCS7 blocks"
                };
                let message = format!(
                    "{}: skipped a block labelled {label}: {what}",
                    self.at(open.line)
                );
                self.push(Code::InputSkippedBlock, open.line, message);
            }
            Label::Certificate | Label::TrustedCertificate | Label::Pkcs7 => {
                self.decode(open, end_line)
            }
        }
    }

    fn decode(&mut self, open: Open<'t>, end_line: usize) {
        let der = match open.bad {
            Some(_) => None,
            None => decode_base64(&self.b64),
        };
        if der.as_deref().is_some_and(has_key_shape) {
            // A key's body under a certificate label: a key, whatever the label says.
            self.out.certificate_blocks = self.out.certificate_blocks.saturating_sub(1);
            self.private_key(&open);
            return;
        }
        let Some(mut der) = der else {
            let message = if open.end_key || self.body_has_key_shape() {
                format!(
                    "{}: the body of this {} block is not base64, and it may hold a private key \
                     (its END line or its first bytes say so): none of it is shown; \
                     leave keys out of what you share",
                    self.at(open.line),
                    open.label
                )
            } else {
                self.bad_base64_message(&open, end_line)
            };
            self.push(Code::InputBadBase64, open.line, message);
            self.sink.unreadable(open.line);
            return;
        };
        let bundle = open.kind == Label::Pkcs7 || detect::is_signed_data(&der);
        if !bundle {
            // A TRUSTED CERTIFICATE carries trust settings after the certificate; any
            // block may carry padding: keep exactly the certificate's SEQUENCE. When
            // the length does not fit, the bytes go on as they are and the `cert`
            // stage says what is wrong with them.
            if let Some(len) = der::certificate_len(&der) {
                der.truncate(len);
            }
            self.out.repairs.merge(&open.repairs);
            self.sink.certificate(Some(open.line), der);
            return;
        }
        if open.kind != Label::Pkcs7 {
            self.out.certificate_blocks = self.out.certificate_blocks.saturating_sub(1);
            self.out.pkcs7_blocks += 1;
        }
        let at = self.at(open.line);
        match pkcs7::certificates(&der) {
            Ok(found) => {
                self.out.repairs.merge(&open.repairs);
                pkcs7::notes(&at, &found, Some(open.line), &mut self.out.findings);
                for cert in found.certs {
                    self.sink.certificate(None, cert.to_vec());
                }
            }
            Err(e) => {
                let message = format!(
                    "{at}: the {} block is not a readable PKCS#7 certificate bundle: {e}",
                    open.label
                );
                self.push(Code::InputBadCertificate, open.line, message);
                self.sink.unreadable(open.line);
            }
        }
    }

    /// Whether the valid base64 at the start of the body decodes to the start of a
    /// private key (see [`has_key_shape`]).
    fn body_has_key_shape(&self) -> bool {
        use base64::Engine as _;
        let valid = self
            .b64
            .iter()
            .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
            .count()
            .min(64)
            / 4
            * 4;
        let prefix = self.b64.get(..valid).unwrap_or_default();
        base64::engine::general_purpose::STANDARD
            .decode(prefix)
            .is_ok_and(|der| has_key_shape(&der))
    }

    fn bad_base64_message(&self, open: &Open<'t>, end_line: usize) -> String {
        let at = self.at(open.line);
        let label = open.label;
        let chars = self.b64.len();
        if let Some((line, text)) = open.bad {
            let whose = if open.pieces <= 1 {
                "it".to_string()
            } else {
                format!("line {line}")
            };
            if end_line == open.line {
                return prose_message(&at, label, text);
            }
            return format!(
                "{at}: the body of this {label} block is not base64 ({whose} reads {}): \
                 the certificate was redacted or damaged; paste it again from the source",
                quoted(text)
            );
        }
        let (first, last) = match (open.first, open.last) {
            (Some(f), Some(l)) => (f, l),
            _ => {
                return format!(
                    "{at}: this {label} block is empty: paste the certificate again from the source"
                );
            }
        };
        if chars <= 40 {
            if end_line == open.line {
                return prose_message(&at, label, first);
            }
            let more = if open.pieces > 1 { " …" } else { "" };
            return format!(
                "{at}: the body of this {label} block is not base64 (it reads {}{more}): \
                 the certificate was redacted or damaged; paste it again from the source",
                quoted(first)
            );
        }
        let why = if !chars.is_multiple_of(4) {
            format!("{chars} base64 characters, not a multiple of 4")
        } else {
            "its '=' padding is misplaced".to_string()
        };
        format!(
            "{at}: the body of this {label} block is not valid base64 ({why}; it ends {}): \
             the certificate was cut or edited; paste it again from the source",
            quoted_tail(last)
        )
    }
}

/// Markers in a sentence of prose: a block like any other, whose body is words.
fn prose_message(at: &str, label: &str, body: &str) -> String {
    format!(
        "{at}: the body of this {label} block is not base64 (it reads {}): \
         BEGIN and END markers in a sentence of prose, not a certificate",
        quoted(body)
    )
}

/// Whether DER bytes (possibly only their start) have a private key's shape: a
/// SEQUENCE whose first element is an INTEGER (PKCS#8 `version`, PKCS#1
/// `RSAPrivateKey` version 0, SEC1 `ECPrivateKey` version 1, OneAsymmetricKey), where
/// a certificate's first element is the tbsCertificate SEQUENCE and a PKCS#7
/// ContentInfo's an OID.
pub(crate) fn has_key_shape(der: &[u8]) -> bool {
    let Some((&0x30, rest)) = der.split_first() else {
        return false;
    };
    let skip = match rest.first() {
        Some(&l) if l < 0x80 => 1,
        Some(&l) => 1 + usize::from(l & 0x7f),
        None => return false,
    };
    matches!(rest.get(skip..skip + 3), Some([0x02, 0x01, 0x00..=0x01]))
}

/// Text of a certificate block for a message: control characters replaced, at most 40
/// characters. Never used for keys.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len().min(48) + 2);
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if i == 40 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() { '\u{fffd}' } else { c });
    }
    out.push('"');
    out
}

/// The last 20 characters of a line, for "it ends …".
fn quoted_tail(s: &str) -> String {
    let count = s.chars().count();
    if count <= 20 {
        return quoted(s);
    }
    let tail: String = s
        .chars()
        .skip(count - 20)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect();
    format!("\"…{tail}\"")
}

/// Strict base64 with base64ct's rules (as `der`'s PEM support applies them): the
/// standard alphabet, a length that is a multiple of 4, `=` only as the padding of
/// the last quantum, and the padded quantum's unused bits zero. The `base64` crate's
/// standard engine (canonical padding, no trailing bits) applies exactly these rules,
/// without base64ct's constant-time cost, which certificates do not need.
fn decode_base64(b64: &[u8]) -> Option<Vec<u8>> {
    use base64::Engine as _;
    if b64.is_empty() || !b64.len().is_multiple_of(4) {
        return None;
    }
    base64::engine::general_purpose::STANDARD.decode(b64).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::{T_PEM, TRUSTED_PEM, t_der};

    /// base64ct, which `decode_base64` replaces (for the comparison).
    fn base64ct(b64: &[u8]) -> Option<Vec<u8>> {
        let mut decoder = ::der::pem::Base64Decoder::new(b64).ok()?;
        let mut out = Vec::with_capacity(decoder.remaining_len());
        decoder.decode_to_end(&mut out).ok()?;
        Some(out)
    }

    #[test]
    fn the_vectorised_line_test_is_the_table() {
        for b in 0..=255u8 {
            assert_eq!(all_b64(&[b]), is_b64(b), "byte {b:#04x}");
            assert_eq!(all_b64(&[b'A', b, b'z']), is_b64(b), "byte {b:#04x}");
        }
        assert!(all_b64(b""));
    }

    #[test]
    fn base64_decoder_agrees_with_base64ct() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        // Every short input over a few telling characters (the scanner hands over
        // only the alphabet and `=`).
        for (chars, max) in [(&b"AQgz+/="[..], 6u32), (&b"Ag="[..], 8)] {
            for len in 0..=max {
                for mut code in 0..(chars.len() as u32).pow(len) {
                    let mut s = Vec::new();
                    for _ in 0..len {
                        s.push(chars[(code % chars.len() as u32) as usize]);
                        code /= chars.len() as u32;
                    }
                    assert_eq!(
                        decode_base64(&s),
                        base64ct(&s),
                        "{:?}",
                        String::from_utf8_lossy(&s)
                    );
                }
            }
        }
        // Real bodies, and every one-byte corruption of one.
        let body: String = T_PEM.lines().filter(|l| !l.starts_with("-----")).collect();
        assert_eq!(decode_base64(body.as_bytes()), Some(t_der()));
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for i in 0..body.len() {
            for b in [b'=', b'A', b'/', b'*', alphabet[i % 64]] {
                let mut s = body.clone().into_bytes();
                s[i] = b;
                assert_eq!(decode_base64(&s), base64ct(&s), "position {i} byte {b}");
            }
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let cut = &body.as_bytes()[..(seed as usize % body.len())];
            assert_eq!(decode_base64(cut), base64ct(cut));
        }
    }

    /// Records what the scanner hands over.
    #[derive(Default)]
    struct Record {
        text: Vec<(usize, String)>,
        certs: Vec<(Option<usize>, Vec<u8>)>,
        unreadable: Vec<usize>,
    }

    impl Sink for Record {
        fn text(&mut self, line: usize, text: &str) {
            self.text.push((line, text.to_string()));
        }
        fn certificate(&mut self, line: Option<usize>, der: Vec<u8>) {
            self.certs.push((line, der));
        }
        fn unreadable(&mut self, line: usize) {
            self.unreadable.push(line);
        }
    }

    fn run(text: &str) -> (Record, Summary) {
        let mut r = Record::default();
        let s = scan("in.pem", text, &mut r);
        (r, s)
    }

    fn codes(s: &Summary) -> Vec<&'static str> {
        s.findings.iter().map(|f| f.code.as_str()).collect()
    }

    #[test]
    fn a_clean_block_is_read_with_its_begin_line_and_no_repairs() {
        let (r, s) = run(&format!("hello\n{T_PEM}bye\n"));
        assert_eq!(r.certs, vec![(Some(2), t_der())]);
        assert!(s.findings.is_empty());
        assert!(s.repairs.is_empty());
        assert_eq!(r.text[0], (1, "hello".to_string()));
        assert_eq!(s.certificate_blocks, 1);
    }

    #[test]
    fn markers_are_found_anywhere_on_a_line() {
        let m = next_marker("text -----BEGIN X509 CRL----- more", 0).unwrap();
        assert!(m.begin);
        assert_eq!(m.label, "X509 CRL");
        assert_eq!(m.start, 5);
        assert_eq!(m.end, 29);
        assert!(next_marker("----- BEGIN x", 0).is_none());
        assert!(next_marker("-----BEGIN CERTIFICATE----", 0).is_none());
        assert!(next_marker("-----BEGIN -----", 0).is_none());
        let glued = "-----END A----------BEGIN B-----";
        let end = next_marker(glued, 0).unwrap();
        assert_eq!(next_marker(glued, end.end).unwrap().label, "B");
    }

    #[test]
    fn labels_are_classified() {
        assert_eq!(classify("CERTIFICATE"), Label::Certificate);
        assert_eq!(classify("X509 CERTIFICATE"), Label::Certificate);
        assert_eq!(classify("TRUSTED CERTIFICATE"), Label::TrustedCertificate);
        assert_eq!(classify("PKCS7"), Label::Pkcs7);
        for key in [
            "PRIVATE KEY",
            "RSA PRIVATE KEY",
            "EC PRIVATE KEY",
            "ENCRYPTED PRIVATE KEY",
            "OPENSSH PRIVATE KEY",
            "DSA PRIVATE KEY",
        ] {
            assert_eq!(classify(key), Label::PrivateKey, "{key}");
        }
        assert_eq!(classify("CERTIFICATE REQUEST"), Label::Other);
        assert_eq!(classify("PUBLIC KEY"), Label::Other);
    }

    #[test]
    fn trusted_certificate_keeps_only_the_certificate() {
        let (r, s) = run(TRUSTED_PEM);
        assert!(s.findings.is_empty(), "{:?}", s.findings);
        assert_eq!(r.certs, vec![(Some(1), t_der())]);
    }

    #[test]
    fn a_begin_without_end_is_truncated_at_the_next_begin() {
        let text = format!("-----BEGIN CERTIFICATE-----\nMIIB\n{T_PEM}");
        let (r, s) = run(&text);
        assert_eq!(codes(&s), vec!["input.truncated"]);
        assert_eq!(s.findings[0].line, Some(1));
        assert!(s.findings[0].message.starts_with("in.pem line 1: "));
        assert!(s.findings[0].message.contains("line 3"));
        assert_eq!(r.certs, vec![(Some(3), t_der())]);
        assert_eq!(r.unreadable, vec![1]);
    }

    #[test]
    fn a_begin_without_end_at_the_end_of_input_is_truncated() {
        let cut: String = T_PEM.lines().take(4).map(|l| format!("{l}\n")).collect();
        let (r, s) = run(&cut);
        assert_eq!(codes(&s), vec!["input.truncated"]);
        assert!(s.findings[0].message.contains("the end of the input"));
        assert!(r.certs.is_empty());
    }

    #[test]
    fn redacted_bodies_are_bad_base64_and_show_what_they_read() {
        let text = "Certificate chain\n-----BEGIN CERTIFICATE-----\nCERTIFICATE Redacted\n-----END CERTIFICATE-----\n";
        let (r, s) = run(text);
        assert_eq!(codes(&s), vec!["input.bad_base64"]);
        assert_eq!(
            s.findings[0].message,
            "in.pem line 2: the body of this CERTIFICATE block is not base64 (it reads \"CERTIFICATE Redacted\"): \
             the certificate was redacted or damaged; paste it again from the source"
        );
        assert_eq!(r.unreadable, vec![2]);
        assert!(s.repairs.is_empty());
    }

    #[test]
    fn an_edited_last_line_is_bad_base64_naming_its_length() {
        // From the EKS troubleshooting page: the body's last line edited to end in EXAMPLE=.
        let body: Vec<&str> = T_PEM.lines().collect();
        let mut lines: Vec<String> = body.iter().map(|l| l.to_string()).collect();
        let n = lines.len();
        lines[n - 2] = "IQDxCk7tHbMYbWY1K3wozeAjVZunX+FdcyRni8a4j5EXAMPLE=".into();
        let (r, s) = run(&(lines.join("\n") + "\n"));
        assert_eq!(codes(&s), vec!["input.bad_base64"]);
        let m = &s.findings[0].message;
        assert!(m.contains("not a multiple of 4"), "{m}");
        assert!(m.contains("EXAMPLE=\""), "{m}");
        assert!(r.certs.is_empty());
    }

    #[test]
    fn markers_inside_a_sentence_form_a_block_whose_body_is_prose() {
        let text = "    Copy the certificate (including the -----BEGIN CERTIFICATE----- and -----END CERTIFICATE----- lines) and paste it.\n";
        let (r, s) = run(text);
        assert_eq!(codes(&s), vec!["input.bad_base64"]);
        assert!(
            s.findings[0].message.contains("(it reads \"and\")"),
            "{}",
            s.findings[0].message
        );
        assert!(s.findings[0].message.contains("prose"));
        assert!(r.certs.is_empty());
        assert!(s.repairs.is_empty());
        assert!(r.text.iter().all(|(line, _)| *line != 1));
    }

    #[test]
    fn a_private_key_is_skipped_and_never_shown() {
        let key = crate::input::tests::KEY_PEM;
        let (r, s) = run(&format!("> {key}\n{T_PEM}"));
        assert_eq!(codes(&s), vec!["input.private_key"]);
        let body_line = key.lines().nth(1).unwrap();
        for f in &s.findings {
            assert!(!f.message.contains(&body_line[..10]));
            assert!(f.message.contains("PRIVATE KEY block"));
        }
        assert_eq!(r.certs.len(), 1);
    }

    #[test]
    fn a_truncated_private_key_is_both_truncated_and_a_key() {
        let (r, s) = run("-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretsecret\n");
        assert_eq!(codes(&s), vec!["input.truncated", "input.private_key"]);
        assert!(s.findings.iter().all(|f| !f.message.contains("secret")));
        assert!(r.unreadable.is_empty());
    }

    #[test]
    fn other_labels_are_skipped_with_a_reason() {
        let text = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n\
                    -----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n\
                    -----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";
        let (_, s) = run(text);
        assert_eq!(codes(&s), vec!["input.skipped_block"; 3]);
        assert!(s.findings[0].message.contains("signing request"));
        assert_eq!(s.findings[1].line, Some(4));
        assert!(s.findings[2].message.contains("parameters"));
    }

    #[test]
    fn a_certificate_label_holding_pkcs7_is_read_as_a_bundle() {
        let p7 = crate::input::tests::P7B_PEM.replace("PKCS7", "CERTIFICATE");
        let (r, s) = run(&p7);
        assert!(s.findings.is_empty(), "{:?}", s.findings);
        assert_eq!(r.certs.len(), 2);
        assert!(r.certs.iter().all(|(line, _)| line.is_none()));
        assert_eq!((s.certificate_blocks, s.pkcs7_blocks), (0, 1));
    }

    #[test]
    fn non_utf8_and_control_characters_do_not_leak_into_messages() {
        let (_, s) =
            run("-----BEGIN CERTIFICATE-----\n\u{1b}[31m\u{fffd}bad\n-----END CERTIFICATE-----\n");
        assert_eq!(codes(&s), vec!["input.bad_base64"]);
        assert!(!s.findings[0].message.contains('\u{1b}'));
    }

    #[test]
    fn an_empty_block_is_reported() {
        let (_, s) = run("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        assert_eq!(codes(&s), vec!["input.bad_base64"]);
        assert!(s.findings[0].message.contains("empty"));
    }
}
