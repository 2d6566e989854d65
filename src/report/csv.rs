//! `inventory --format csv`: RFC 4180 through the `csv` crate (quoting, CRLF), one
//! header row of the contract's certificate fields in its order, one row per
//! certificate. Lists are joined: `dns_names` by spaces, `found` as
//! `source[:line][#origin]` entries joined by `; `; booleans are `true`/`false`.

use crate::der::hex::hex_upper;
use crate::inventory::{Inventory, Place};
use crate::x509::validity::rfc3339;
use std::io::{self, Write};

pub const HEADER: [&str; 15] = [
    "sha256",
    "sha1",
    "subject",
    "issuer",
    "serial",
    "not_before",
    "not_after",
    "days_left",
    "status",
    "self_signed",
    "ca",
    "public_key",
    "signature_algorithm",
    "dns_names",
    "found",
];

/// `source[:line][#origin]`.
pub fn place(p: &Place<'_>) -> String {
    let mut s = p.source.to_string();
    if let Some(line) = p.line {
        s.push(':');
        s.push_str(&line.to_string());
    }
    if let Some(origin) = p.origin {
        s.push('#');
        s.push_str(origin);
    }
    s
}

pub fn csv(out: &mut dyn Write, inv: &Inventory, ids: &[u32]) -> io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(HEADER).map_err(io::Error::other)?;
    for v in ids.iter().filter_map(|&i| inv.view(i)) {
        let found: Vec<String> = v.found.iter().map(place).collect();
        let bool_ = |b: bool| if b { "true" } else { "false" };
        w.write_record([
            hex_upper(v.sha256).as_str(),
            &hex_upper(v.sha1),
            v.subject,
            v.issuer,
            v.serial,
            &rfc3339(v.not_before),
            &rfc3339(v.not_after),
            &v.days_left.to_string(),
            v.status.as_str(),
            bool_(v.self_signed),
            bool_(v.ca),
            v.public_key,
            v.signature_algorithm,
            &v.dns_names.join(" "),
            &found.join("; "),
        ])
        .map_err(io::Error::other)?;
    }
    w.flush()
}
