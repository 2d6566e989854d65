//! `inventory --format json` and `--format jsonl`: the certificate objects share
//! `check`'s wire facts (`json::WireFacts`) and add `found`.
//!
//! `json` is one document: `schema_version`, `evaluated_at`, `summary`,
//! `certificates` (sorted: `not_after`, then SHA-256), `findings` (the `input.*`
//! findings, each with its `source`). Each certificate is written on one line of
//! its own inside the array, so a million of them never exist as one value.
//! `jsonl` is the certificate objects alone, one a line, in the order given
//! (`run.rs` gives the order certificates were first found: no sort).

use super::json::{Hex, SCHEMA_VERSION, Time, WireFacts, WireFinding, finding};
use crate::inventory::{CertView, Inventory};
use crate::x509::validity::rfc3339;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct WireCert<'a> {
    #[serde(flatten)]
    facts: WireFacts<'a>,
    found: Vec<WirePlace<'a>>,
}

#[derive(Serialize)]
struct WirePlace<'a> {
    source: &'a str,
    line: Option<usize>,
    origin: Option<&'a str>,
}

#[derive(Serialize)]
struct WireSourced<'a> {
    source: &'a str,
    #[serde(flatten)]
    finding: WireFinding<'a>,
}

/// One certificate object, compact, without a line end.
pub fn write_cert(out: &mut (impl Write + ?Sized), v: &CertView<'_>) -> io::Result<()> {
    let wire = WireCert {
        facts: WireFacts {
            subject: v.subject,
            issuer: v.issuer,
            serial: v.serial,
            not_before: Time(v.not_before),
            not_after: Time(v.not_after),
            days_left: v.days_left,
            status: v.status.as_str(),
            self_signed: v.self_signed,
            ca: v.ca,
            sha1: Hex(v.sha1),
            sha256: Hex(v.sha256),
            public_key: v.public_key,
            signature_algorithm: v.signature_algorithm,
            dns_names: &v.dns_names,
            ip_addresses: v.ip_addresses.clone(),
        },
        found: v
            .found
            .iter()
            .map(|p| WirePlace {
                source: p.source,
                line: p.line,
                origin: p.origin,
            })
            .collect(),
    };
    serde_json::to_writer(out, &wire).map_err(io::Error::other)
}

/// `--format jsonl`: the certificates of `ids`, one object a line.
pub fn jsonl(out: &mut (impl Write + ?Sized), inv: &Inventory, ids: &[u32]) -> io::Result<()> {
    for v in ids.iter().filter_map(|&i| inv.view(i)) {
        write_cert(&mut *out, &v)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `--format json`: the whole document.
pub fn json(out: &mut (impl Write + ?Sized), inv: &Inventory, ids: &[u32]) -> io::Result<()> {
    let summary = serde_json::to_string(&inv.summary()).map_err(io::Error::other)?;
    write!(
        out,
        "{{\n  \"schema_version\": {SCHEMA_VERSION},\n  \"evaluated_at\": \"{}\",\n  \"summary\": {summary},\n  \"certificates\": [",
        rfc3339(inv.options.at)
    )?;
    let mut first = true;
    for v in ids.iter().filter_map(|&i| inv.view(i)) {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        first = false;
        write_cert(&mut *out, &v)?;
    }
    out.write_all(if first {
        b"],\n  \"findings\": ["
    } else {
        b"\n  ],\n  \"findings\": ["
    })?;
    let mut first = true;
    for (source, f) in inv.findings() {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        first = false;
        let wire = WireSourced {
            source,
            finding: finding(f),
        };
        serde_json::to_writer(&mut *out, &wire).map_err(io::Error::other)?;
    }
    out.write_all(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })
}
