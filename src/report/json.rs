//! `check --format json`: schema_version 1 of the contract, written as a stream so a
//! folder of thousands of inputs never has to be held in memory (the summary comes
//! last; key order is not significant).

use super::Summary;
use crate::chain::ChainAnalysis;
use crate::check::{CertAudit, InputAudit};
use crate::der::hex::hex_upper;
use crate::findings::Finding;
use crate::x509::validity::rfc3339;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::io::{self, Write};

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct WireInput<'a> {
    source: &'a str,
    format: Option<&'static str>,
    certificates: Vec<WireCert<'a>>,
    chain: Option<WireChain<'a>>,
    findings: Vec<WireFinding<'a>>,
}

#[derive(Serialize)]
struct WireCert<'a> {
    index: usize,
    line: Option<usize>,
    subject: &'a str,
    issuer: &'a str,
    serial: &'a str,
    not_before: Time,
    not_after: Time,
    days_left: i64,
    status: &'static str,
    self_signed: bool,
    ca: bool,
    sha1: Hex<'a>,
    sha256: Hex<'a>,
    public_key: &'a str,
    signature_algorithm: &'a str,
    dns_names: &'a [String],
    /// Extension: iPAddress subjectAltNames.
    ip_addresses: Vec<String>,
}

/// A time as `validity::rfc3339` writes it, formatted without allocating (a
/// certificate's is serialized for every one of a million).
struct Time(DateTime<Utc>);

impl Serialize for Time {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match time_bytes(self.0) {
            Some(b) => s.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
            None => s.serialize_str(&rfc3339(self.0)),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a year of four digits (else `None`).
fn time_bytes(t: DateTime<Utc>) -> Option<[u8; 20]> {
    use chrono::{Datelike, Timelike};
    let year = t.year();
    if !(0..=9999).contains(&year) {
        return None;
    }
    let mut b = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, width: usize, mut v: u32| {
        for i in (at..at + width).rev() {
            if let Some(d) = b.get_mut(i) {
                *d = b'0' + (v % 10) as u8;
            }
            v /= 10;
        }
    };
    put(0, 4, year.unsigned_abs());
    put(5, 2, t.month());
    put(8, 2, t.day());
    put(11, 2, t.hour());
    put(14, 2, t.minute());
    put(17, 2, t.second());
    Some(b)
}

/// Upper-case hex of a fingerprint (as `x509::hex_upper`), without allocating.
struct Hex<'a>(&'a [u8]);

impl Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        let mut buf = [0u8; 64];
        if self.0.len() * 2 > buf.len() {
            return s.serialize_str(&hex_upper(self.0));
        }
        for (pair, &byte) in buf.chunks_exact_mut(2).zip(self.0) {
            if let [hi, lo] = pair {
                *hi = DIGITS.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
                *lo = DIGITS
                    .get(usize::from(byte & 0x0f))
                    .copied()
                    .unwrap_or(b'0');
            }
        }
        let text = buf.get(..self.0.len() * 2).unwrap_or_default();
        s.serialize_str(std::str::from_utf8(text).unwrap_or_default())
    }
}

#[derive(Serialize)]
struct WireChain<'a> {
    leaf: Option<usize>,
    path: &'a [usize],
    order: &'static str,
    thumbprint: Option<String>,
    thumbprint_index: Option<usize>,
    served_last: Option<usize>,
    served_last_thumbprint: Option<String>,
    alternative_thumbprints: Vec<String>,
    expected: Vec<WireExpected>,
    links: Vec<WireLink>,
}

#[derive(Serialize)]
struct WireExpected {
    value: String,
    matches: &'static str,
    index: Option<usize>,
}

#[derive(Serialize)]
struct WireLink {
    child: usize,
    issuer: usize,
    signature: &'static str,
}

#[derive(Serialize)]
struct WireFinding<'a> {
    code: &'static str,
    severity: &'static str,
    certificate: Option<usize>,
    message: &'a str,
    /// Extension: the input line the finding points at, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
}

fn cert(c: &CertAudit) -> WireCert<'_> {
    let i = &c.info;
    WireCert {
        index: i.index,
        line: i.line,
        subject: &i.subject.display,
        issuer: &i.issuer.display,
        serial: &i.serial,
        not_before: Time(i.not_before),
        not_after: Time(i.not_after),
        days_left: c.days_left,
        status: c.status.as_str(),
        self_signed: i.self_signed,
        ca: i.ca,
        sha1: Hex(&i.sha1),
        sha256: Hex(&i.sha256),
        public_key: &i.public_key,
        signature_algorithm: &i.signature_algorithm,
        dns_names: &i.dns_names,
        ip_addresses: i.ip_addresses.iter().map(|ip| ip.to_string()).collect(),
    }
}

fn chain(c: &ChainAnalysis) -> WireChain<'_> {
    WireChain {
        leaf: c.leaf,
        path: &c.path,
        order: c.order.as_str(),
        thumbprint: c.thumbprint.map(|t| t.to_string()),
        thumbprint_index: c.thumbprint_index,
        served_last: c.served_last,
        served_last_thumbprint: c.served_last_thumbprint.map(|t| t.to_string()),
        alternative_thumbprints: c
            .alternative_thumbprints
            .iter()
            .map(|t| t.to_string())
            .collect(),
        expected: c
            .expected
            .iter()
            .map(|e| WireExpected {
                value: e.value.to_string(),
                matches: e.matches.as_str(),
                index: e.index,
            })
            .collect(),
        links: c
            .links
            .iter()
            .map(|l| WireLink {
                child: l.child,
                issuer: l.issuer,
                signature: l.signature.as_str(),
            })
            .collect(),
    }
}

fn finding(f: &Finding) -> WireFinding<'_> {
    WireFinding {
        code: f.code.as_str(),
        severity: f.severity().as_str(),
        certificate: f.certificate,
        message: &f.message,
        line: f.line,
    }
}

/// The JSON value of one input (for tests and other front ends).
pub fn input_value(audit: &InputAudit) -> serde_json::Value {
    serde_json::to_value(wire(audit)).unwrap_or(serde_json::Value::Null)
}

fn wire(audit: &InputAudit) -> WireInput<'_> {
    WireInput {
        source: &audit.source,
        format: audit.format.map(|f| f.as_str()),
        certificates: audit.certs.iter().map(cert).collect(),
        chain: audit.chain.as_ref().map(chain),
        findings: audit.findings.iter().map(finding).collect(),
    }
}

/// One input as [`JsonWriter::input`] writes it: the pretty object, indented to sit
/// inside the `inputs` array.
pub fn input_text(audit: &InputAudit) -> io::Result<Vec<u8>> {
    let text = serde_json::to_vec_pretty(&wire(audit)).map_err(io::Error::other)?;
    // Every line indented by 4 (pretty JSON has no `\r` and no final newline).
    let mut out = Vec::with_capacity(text.len() + text.len() / 4);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', &text).chain(std::iter::once(text.len())) {
        if start > 0 {
            out.push(b'\n');
        }
        out.extend_from_slice(b"    ");
        out.extend_from_slice(text.get(start..end).unwrap_or_default());
        start = end + 1;
    }
    Ok(out)
}

/// One certificate object, compact, for writers that stream an input's
/// certificates (`check --bundle`: a million of them). Written by hand, byte for byte
/// what `serde_json::to_writer` makes of the `WireCert` that [`JsonWriter::input`]
/// serializes (same keys, same order, same escapes; a unit test holds them equal),
/// at a fraction of the cost: a string with nothing to escape is copied as it is.
pub fn write_cert(out: &mut Vec<u8>, c: &CertAudit) -> io::Result<()> {
    let i = &c.info;
    out.reserve(512);
    out.extend_from_slice(b"{\"index\":");
    push_int(out, i.index as u64, false);
    out.extend_from_slice(b",\"line\":");
    match i.line {
        Some(l) => push_int(out, l as u64, false),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"subject\":");
    push_str(out, &i.subject.display)?;
    out.extend_from_slice(b",\"issuer\":");
    push_str(out, &i.issuer.display)?;
    out.extend_from_slice(b",\"serial\":");
    push_str(out, &i.serial)?;
    out.extend_from_slice(b",\"not_before\":");
    push_time(out, i.not_before)?;
    out.extend_from_slice(b",\"not_after\":");
    push_time(out, i.not_after)?;
    out.extend_from_slice(b",\"days_left\":");
    push_int(out, c.days_left.unsigned_abs(), c.days_left < 0);
    out.extend_from_slice(b",\"status\":\"");
    out.extend_from_slice(c.status.as_str().as_bytes());
    out.extend_from_slice(b"\",\"self_signed\":");
    out.extend_from_slice(if i.self_signed { b"true" } else { b"false" });
    out.extend_from_slice(b",\"ca\":");
    out.extend_from_slice(if i.ca { b"true" } else { b"false" });
    out.extend_from_slice(b",\"sha1\":\"");
    push_hex_upper(out, &i.sha1);
    out.extend_from_slice(b"\",\"sha256\":\"");
    push_hex_upper(out, &i.sha256);
    out.extend_from_slice(b"\",\"public_key\":");
    push_str(out, &i.public_key)?;
    out.extend_from_slice(b",\"signature_algorithm\":");
    push_str(out, &i.signature_algorithm)?;
    out.extend_from_slice(b",\"dns_names\":[");
    for (n, name) in i.dns_names.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        push_str(out, name)?;
    }
    out.extend_from_slice(b"],\"ip_addresses\":[");
    for (n, ip) in i.ip_addresses.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        push_str(out, &ip.to_string())?;
    }
    out.extend_from_slice(b"]}");
    Ok(())
}

/// A JSON string: copied between quotes when nothing in it needs an escape, else
/// serde_json's escaping.
fn push_str(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    // A fold without an early exit, so that the compiler vectorises it.
    let plain = s
        .bytes()
        .fold(true, |ok, b| ok & (b >= 0x20) & (b != b'"') & (b != b'\\'));
    if plain {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(out, s).map_err(io::Error::other)
    }
}

/// A time as the `Time` serializer writes it.
fn push_time(out: &mut Vec<u8>, t: DateTime<Utc>) -> io::Result<()> {
    match time_bytes(t) {
        Some(b) => {
            out.push(b'"');
            out.extend_from_slice(&b);
            out.push(b'"');
            Ok(())
        }
        None => serde_json::to_writer(out, &Time(t)).map_err(io::Error::other),
    }
}

/// A decimal integer, `-` first when `negative`.
fn push_int(out: &mut Vec<u8>, mut v: u64, negative: bool) {
    let mut buf = [0u8; 20];
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (v % 10) as u8;
        }
        v /= 10;
        if v == 0 || at == 0 {
            break;
        }
    }
    if negative {
        out.push(b'-');
    }
    out.extend_from_slice(buf.get(at..).unwrap_or_default());
}

fn push_hex_upper<const N: usize>(out: &mut Vec<u8>, bytes: &[u8; N]) {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut buf = [0u8; 64];
    for (pair, &byte) in buf.chunks_exact_mut(2).zip(bytes) {
        if let [hi, lo] = pair {
            *hi = DIGITS.get(usize::from(byte >> 4)).copied().unwrap_or(b'0');
            *lo = DIGITS
                .get(usize::from(byte & 0x0f))
                .copied()
                .unwrap_or(b'0');
        }
    }
    out.extend_from_slice(buf.get(..2 * N).unwrap_or_default());
}

/// One finding object, compact (the `WireFinding` serializer).
pub fn write_finding(out: &mut (impl Write + ?Sized), f: &Finding) -> io::Result<()> {
    serde_json::to_writer(out, &finding(f)).map_err(io::Error::other)
}

/// Writes the report incrementally: `begin`, one `input` per input, then `end`.
pub struct JsonWriter<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonWriter<W> {
    pub fn begin(mut out: W, evaluated_at: DateTime<Utc>) -> io::Result<Self> {
        write!(
            out,
            "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"evaluated_at\": \"{}\",\n  \"inputs\": [",
            rfc3339(evaluated_at)
        )?;
        Ok(JsonWriter { out, first: true })
    }

    pub fn input(&mut self, audit: &InputAudit) -> io::Result<()> {
        let text = input_text(audit)?;
        self.rendered_input(&text)
    }

    /// Writes an input object rendered by [`input_text`] (e.g. on another thread).
    pub fn rendered_input(&mut self, text: &[u8]) -> io::Result<()> {
        self.next_input()?.write_all(text)
    }

    /// The underlying writer (for an input object being streamed).
    pub fn raw(&mut self) -> &mut W {
        &mut self.out
    }

    /// Starts the next element of `inputs` and hands out the writer for an input
    /// object the caller writes itself (`--bundle` streaming), indented by 4.
    pub fn next_input(&mut self) -> io::Result<&mut W> {
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        Ok(&mut self.out)
    }

    pub fn end(mut self, summary: &Summary) -> io::Result<W> {
        let s = serde_json::to_string(summary).map_err(io::Error::other)?;
        if !self.first {
            self.out.write_all(b"\n  ")?;
        }
        write!(self.out, "],\n  \"summary\": {s}\n}}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ChainOptions;
    use crate::check::{Settings, audit};
    use std::path::PathBuf;

    /// Every certificate of the fixtures (odd names, escapes, IP SANs, old dates):
    /// the hand-written writer makes exactly serde_json's bytes.
    #[test]
    fn write_cert_is_byte_for_byte_serde_json() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let settings = Settings {
            at: crate::cli::parse_time("2026-01-01T00:00:00Z").unwrap(),
            warn_days: 30,
            bundle: true,
            chain: ChainOptions::default(),
        };
        let mut inputs: Vec<Vec<u8>> = crate::source::expand(&[root])
            .into_iter()
            .filter_map(|s| match s.origin {
                crate::source::Origin::File(p) => std::fs::read(p).ok(),
                _ => None,
            })
            .collect();
        for pem in [
            crate::input::tests::T_PEM,
            crate::input::tests::LEAF_PEM,
            crate::input::tests::TRUSTED_PEM,
        ] {
            inputs.push(pem.as_bytes().to_vec());
        }
        let mut certs = 0;
        let mut escaped = 0;
        for bytes in &inputs {
            let a = audit("x", bytes, &settings);
            for c in &a.certs {
                let mut mine = Vec::new();
                write_cert(&mut mine, c).unwrap();
                let theirs = serde_json::to_vec(&cert(c)).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&mine),
                    String::from_utf8_lossy(&theirs)
                );
                certs += 1;
                escaped += usize::from(theirs.windows(2).any(|w| w[0] == b'\\'));
            }
        }
        assert!(certs > 200, "{certs}");
        assert!(escaped > 0, "no certificate with a string to escape");
        let mut v = Vec::new();
        for (n, neg) in [
            (0u64, false),
            (7, true),
            (1234567890, false),
            (u64::MAX, false),
        ] {
            v.clear();
            push_int(&mut v, n, neg);
            let want = if neg { format!("-{n}") } else { n.to_string() };
            assert_eq!(v, want.as_bytes());
        }
    }
}
