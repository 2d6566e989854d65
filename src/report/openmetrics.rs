//! `inventory --format openmetrics`: the OpenMetrics text format (the Prometheus
//! text format's successor, which node_exporter's textfile collector reads), for
//! `certaudit inventory --format openmetrics … > …/certaudit.prom`.
//!
//! Per distinct certificate, three gauges labelled `sha256`, `subject`, `issuer`,
//! `serial` and `source` (the first place it was found); then
//! `certaudit_read_errors` and `certaudit_evaluated_at_seconds`. Each family's
//! samples are together under its `# HELP` and `# TYPE` lines, as the format
//! requires; the output ends in `# EOF`. Label values are escaped as the format
//! says: `\` as `\\`, `"` as `\"`, a line feed as `\n`. Certificates come in the
//! order given (`run.rs`: the order they were first found; no sort).

use crate::der::hex::hex_upper;
use crate::inventory::{CertView, Inventory};
use crate::x509::validity::Status;
use std::io::{self, Write};

/// A label value, escaped.
pub fn escape(value: &str, out: &mut String) {
    for ch in value.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            _ => out.push(ch),
        }
    }
}

fn labels(v: &CertView<'_>) -> String {
    let mut s = String::with_capacity(256);
    s.push_str("{sha256=\"");
    s.push_str(&hex_upper(v.sha256));
    for (name, value) in [
        ("subject", v.subject),
        ("issuer", v.issuer),
        ("serial", v.serial),
        ("source", v.found.first().map_or("", |p| p.source)),
    ] {
        s.push_str("\",");
        s.push_str(name);
        s.push_str("=\"");
        escape(value, &mut s);
    }
    s.push_str("\"}");
    s
}

pub fn openmetrics(
    out: &mut (impl Write + ?Sized),
    inv: &Inventory,
    ids: &[u32],
) -> io::Result<()> {
    type Value = fn(&CertView<'_>) -> i64;
    let families: [(&str, &str, Value); 3] = [
        (
            "certaudit_certificate_not_after_seconds",
            "The certificate's notAfter, in seconds since the Unix epoch.",
            |v| v.not_after.timestamp(),
        ),
        (
            "certaudit_certificate_not_before_seconds",
            "The certificate's notBefore, in seconds since the Unix epoch.",
            |v| v.not_before.timestamp(),
        ),
        (
            "certaudit_certificate_expired",
            "1 if the certificate had expired at the evaluation time, else 0.",
            |v| i64::from(v.status == Status::Expired),
        ),
    ];
    for (name, help, value) in families {
        writeln!(out, "# HELP {name} {help}")?;
        writeln!(out, "# TYPE {name} gauge")?;
        for v in ids.iter().filter_map(|&i| inv.view(i)) {
            writeln!(out, "{name}{} {}", labels(&v), value(&v))?;
        }
    }
    let s = inv.summary();
    writeln!(
        out,
        "# HELP certaudit_read_errors Inputs that could not be read (or not to their end).\n# TYPE certaudit_read_errors gauge\ncertaudit_read_errors {}",
        s.read_errors
    )?;
    writeln!(
        out,
        "# HELP certaudit_evaluated_at_seconds When the inventory was taken (its evaluation time), in seconds since the Unix epoch.\n# TYPE certaudit_evaluated_at_seconds gauge\ncertaudit_evaluated_at_seconds {}",
        inv.options.at.timestamp()
    )?;
    writeln!(out, "# EOF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped() {
        let mut s = String::new();
        escape("CN=a\\b,O=\"q\"\nx", &mut s);
        assert_eq!(s, "CN=a\\\\b,O=\\\"q\\\"\\nx");
    }
}
