//! `check --format json`: schema_version 1 of the contract, written as a stream so a
//! folder of thousands of inputs never has to be held in memory (the summary comes
//! last; key order is not significant).

use super::Summary;
use crate::audit::{CertAudit, InputAudit};
use crate::cert::hex_upper;
use crate::chain::ChainAnalysis;
use crate::findings::Finding;
use crate::validity::rfc3339;
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
    not_before: String,
    not_after: String,
    days_left: i64,
    status: &'static str,
    self_signed: bool,
    ca: bool,
    sha1: String,
    sha256: String,
    public_key: &'a str,
    signature_algorithm: &'a str,
    dns_names: &'a [String],
    /// Extension: iPAddress subjectAltNames.
    ip_addresses: Vec<String>,
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
        not_before: rfc3339(i.not_before),
        not_after: rfc3339(i.not_after),
        days_left: c.days_left,
        status: c.status.as_str(),
        self_signed: i.self_signed,
        ca: i.ca,
        sha1: hex_upper(&i.sha1),
        sha256: hex_upper(&i.sha256),
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
        self.out
            .write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        let text = serde_json::to_string_pretty(&wire(audit)).map_err(io::Error::other)?;
        // Indent the pretty object to sit inside the "inputs" array.
        for (n, line) in text.lines().enumerate() {
            if n > 0 {
                self.out.write_all(b"\n")?;
            }
            self.out.write_all(b"    ")?;
            self.out.write_all(line.as_bytes())?;
        }
        Ok(())
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
