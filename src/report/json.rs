//! `check --format json`: schema_version 1 of the contract, written as a stream so a
//! folder of thousands of inputs never has to be held in memory (the summary comes
//! last; key order is not significant).

use super::Summary;
use crate::chain::ChainAnalysis;
use crate::check::{CertAudit, InputAudit};
use crate::der::hex;
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
    served_count: Option<usize>,
    tls_version: Option<&'a str>,
    certificates: Vec<WireCert<'a>>,
    chain: Option<WireChain<'a>>,
    findings: Vec<WireFinding<'a>>,
}

/// `chain.trust` (put inside `chain` by [`wire`]).
#[derive(Serialize)]
struct WireTrust<'a> {
    store: &'a str,
    status: &'static str,
    anchor: Option<WireAnchor<'a>>,
    reason: Option<&'static str>,
    detail: Option<&'a str>,
}

#[derive(Serialize)]
struct WireAnchor<'a> {
    subject: &'a str,
    sha1: Hex<'a>,
    sha256: Hex<'a>,
}

#[derive(Serialize)]
struct WireCert<'a> {
    index: usize,
    line: Option<usize>,
    origin: Option<&'a str>,
    #[serde(flatten)]
    facts: WireFacts<'a>,
}

/// A certificate's facts at the evaluation time: the fields `check` and `inventory`
/// share (`inventory` adds `found`, `check` its `index` and `line`).
#[derive(Serialize)]
pub(crate) struct WireFacts<'a> {
    pub(crate) subject: &'a str,
    pub(crate) issuer: &'a str,
    pub(crate) serial: &'a str,
    pub(crate) not_before: Time,
    pub(crate) not_after: Time,
    pub(crate) days_left: i64,
    pub(crate) status: &'static str,
    pub(crate) self_signed: bool,
    pub(crate) ca: bool,
    pub(crate) sha1: Hex<'a>,
    pub(crate) sha256: Hex<'a>,
    pub(crate) public_key: &'a str,
    pub(crate) signature_algorithm: &'a str,
    pub(crate) dns_names: &'a [String],
    /// Extension: iPAddress subjectAltNames.
    pub(crate) ip_addresses: Vec<String>,
}

/// A time as `validity::rfc3339` writes it, formatted without allocating (a
/// certificate's is serialized for every one of a million).
pub(crate) struct Time(pub(crate) DateTime<Utc>);

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

/// Upper-case hex of a fingerprint, without allocating.
pub(crate) struct Hex<'a>(pub(crate) &'a [u8]);

impl Serialize for Hex<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 64];
        match hex::upper_into(self.0, &mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&hex::hex_upper(self.0)),
        }
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
    trust: Option<WireTrust<'a>>,
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
pub(crate) struct WireFinding<'a> {
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
        origin: i.origin.as_deref(),
        facts: WireFacts {
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
        },
    }
}

fn chain<'a>(c: &'a ChainAnalysis, t: Option<&'a crate::trust::Trust>) -> WireChain<'a> {
    WireChain {
        trust: t.map(|t| WireTrust {
            store: &t.store,
            status: if t.trusted { "trusted" } else { "untrusted" },
            anchor: t.anchor.as_ref().map(|a| WireAnchor {
                subject: &a.subject,
                sha1: Hex(&a.sha1),
                sha256: Hex(&a.sha256),
            }),
            reason: t.reason,
            detail: t.detail.as_deref(),
        }),
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

pub(crate) fn finding(f: &Finding) -> WireFinding<'_> {
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
        served_count: audit.capture.as_ref().and_then(|c| c.served_count),
        tls_version: audit
            .capture
            .as_ref()
            .and_then(|c| c.tls_version.as_deref()),
        certificates: audit.certs.iter().map(cert).collect(),
        chain: audit.chain.as_ref().map(|c| chain(c, audit.trust.as_ref())),
        findings: audit.findings.iter().map(finding).collect(),
    }
}

/// One input as [`JsonWriter::input`] writes it: the pretty object, indented to sit
/// inside the `inputs` array.
pub fn input_text(audit: &InputAudit) -> io::Result<Vec<u8>> {
    // Indented as it is written: one buffer, not the pretty text and an indented
    // copy of it (a certificate with a 2 MB name made that 40 MB more).
    let mut out = Indented(b"    ".to_vec());
    serde_json::to_writer_pretty(&mut out, &wire(audit)).map_err(io::Error::other)?;
    Ok(out.0)
}

/// A buffer that writes 4 spaces after every newline written to it (pretty JSON
/// has no `\r`, and no newline inside a string: JSON escapes it).
struct Indented(Vec<u8>);

impl io::Write for Indented {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', buf) {
            self.0
                .extend_from_slice(buf.get(start..=nl).unwrap_or_default());
            self.0.extend_from_slice(b"    ");
            start = nl + 1;
        }
        self.0
            .extend_from_slice(buf.get(start..).unwrap_or_default());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One certificate object, compact, for writers that stream an input's
/// certificates (`check --bundle`: a million of them): the same `WireCert` that
/// [`JsonWriter::input`] serializes, so the wire schema exists once.
pub fn write_cert(out: &mut Vec<u8>, c: &CertAudit) -> io::Result<()> {
    serde_json::to_writer(out, &cert(c)).map_err(io::Error::other)
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
