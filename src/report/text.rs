//! The text report: per input, a table of certificates (comfy-table), the chain as
//! served and as it should be, the IAM thumbprint on a line of its own, findings.
//!
//! Text is for people and may change freely; JSON is the stable interface.

use super::escape;
use crate::chain::{ChainAnalysis, Match, Order};
use crate::check::{CertAudit, InputAudit};
use crate::der::hex::hex_upper;
use crate::findings::{Finding, Severity};
use crate::verify::Verdict;
use crate::x509::validity::Status;
use comfy_table::{Cell, ColumnConstraint, ContentArrangement, Table, presets};
use std::io::{self, Write};

/// How to draw: colour or not, and the width to fit.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: u16,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn bold(&self, t: &str) -> String {
        self.paint("1", t)
    }
    fn red(&self, t: &str) -> String {
        self.paint("31", t)
    }
    fn yellow(&self, t: &str) -> String {
        self.paint("33", t)
    }
    fn green(&self, t: &str) -> String {
        self.paint("32", t)
    }
    fn dim(&self, t: &str) -> String {
        self.paint("2", t)
    }
    fn severity(&self, s: Severity) -> String {
        let label = format!("{:<7}", s.as_str());
        match s {
            Severity::Error => self.red(&label),
            Severity::Warning => self.yellow(&label),
            Severity::Info => self.dim(&label),
        }
    }
}

fn status_label(c: &CertAudit) -> String {
    match c.status {
        Status::Valid => "valid".into(),
        Status::ExpiringSoon => "expiring soon".into(),
        Status::Expired => "EXPIRED".into(),
        Status::NotYetValid => "not yet valid".into(),
    }
}

fn date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

/// Renders one input.
/// What the text report adds beside the facts.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Draw the validity timeline, against this instant (the evaluation time).
    pub timeline_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Print "What to do next", with these options.
    pub advice: Option<crate::advice::RemedyOptions>,
}

pub fn input(
    out: &mut (impl Write + ?Sized),
    audit: &InputAudit,
    style: &Style,
    extras: &Extras,
) -> io::Result<()> {
    let kind = audit.format.map(|f| f.as_str()).unwrap_or("unreadable");
    let n = audit.certs.len();
    writeln!(
        out,
        "{}  ({kind}, {n} certificate{})",
        style.bold(&escape::message(&audit.source)),
        if n == 1 { "" } else { "s" }
    )?;
    if !audit.certs.is_empty() {
        writeln!(out, "{}", table(audit, style))?;
        if let Some(at) = extras.timeline_at {
            super::timeline::render(out, audit, at, style)?;
        }
    }
    if let Some(chain) = &audit.chain {
        chain_section(out, audit, chain, style)?;
    }
    findings(out, &audit.findings, style)?;
    if let Some(opts) = &extras.advice {
        let advice = crate::advice::advice(audit, opts);
        if !advice.is_empty() {
            writeln!(out, "{}", style.bold("What to do next:"))?;
            for item in advice {
                for (n, line) in item.lines().enumerate() {
                    let bullet = if n == 0 { "  - " } else { "    " };
                    writeln!(out, "{bullet}{}", escape::message(line))?;
                }
            }
        }
    }
    writeln!(out)
}

/// Below this width the table merges columns and breaks the SHA-1 in two halves.
const WIDE: u16 = 150;

pub(crate) fn table(audit: &InputAudit, style: &Style) -> Table {
    let wide = style.width >= WIDE;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(style.width);
    if wide {
        t.set_header(vec![
            "#",
            "Subject",
            "Issuer",
            "Valid (UTC)",
            "Days",
            "Status",
            "SHA-1",
        ]);
    } else {
        t.set_header(vec![
            "#",
            "Subject",
            "Issuer",
            "Valid (UTC)",
            "Days",
            "SHA-1",
        ]);
    }
    for c in &audit.certs {
        let i = &c.info;
        let mut status = status_label(c);
        if i.self_signed {
            status.push_str("\nself-signed");
        } else if i.ca {
            status.push_str("\nCA");
        }
        let valid = format!("{}\n{}", date(i.not_before), date(i.not_after));
        let hex = hex_upper(&i.sha1);
        let mut row = vec![
            Cell::new(i.index),
            Cell::new(match &i.origin {
                Some(origin) => format!(
                    "{}\nin {}",
                    spaced_name(&escape::name(&i.subject.display)),
                    escape::name(origin)
                ),
                None => spaced_name(&escape::name(&i.subject.display)),
            }),
            Cell::new(spaced_name(&escape::name(&i.issuer.display))),
            Cell::new(valid),
        ];
        if wide {
            row.push(Cell::new(c.days_left));
            row.push(Cell::new(status));
            row.push(Cell::new(hex));
        } else {
            row.push(Cell::new(format!("{}\n{status}", c.days_left)));
            let (a, b) = hex.split_at(hex.len() / 2);
            row.push(Cell::new(format!("{a}\n{b}")));
        }
        t.add_row(row);
    }
    // Dates and fingerprints are never wrapped; names take what is left.
    let fixed: &[usize] = if wide {
        &[0, 3, 4, 5, 6]
    } else {
        &[0, 3, 4, 5]
    };
    for &n in fixed {
        if let Some(col) = t.column_mut(n) {
            col.set_constraint(ColumnConstraint::ContentWidth);
        }
    }
    t
}

/// `CN=a,O=b` → `CN=a, O=b`, so a narrow column wraps between attributes. Only for
/// display: escaped commas (`\,`) stay as they are.
fn spaced_name(dn: &str) -> String {
    let mut out = String::with_capacity(dn.len() + 8);
    let mut escaped = false;
    for ch in dn.chars() {
        out.push(ch);
        if ch == ',' && !escaped {
            out.push(' ');
        }
        escaped = ch == '\\' && !escaped;
    }
    out
}

fn label(audit: &InputAudit, index: usize) -> String {
    match audit.certs.get(index) {
        Some(c) => format!("#{index} {}", escape::name(c.info.short_name())),
        None => format!("#{index}"),
    }
}

fn chain_section(
    out: &mut (impl Write + ?Sized),
    audit: &InputAudit,
    chain: &ChainAnalysis,
    style: &Style,
) -> io::Result<()> {
    let served: Vec<String> = (0..audit.certs.len()).map(|i| label(audit, i)).collect();
    writeln!(out, "Served:    {}", served.join(" → "))?;
    let path: Vec<String> = chain.path.iter().map(|&i| label(audit, i)).collect();
    match (chain.leaf, chain.order) {
        (None, _) => writeln!(
            out,
            "Path:      {}",
            style.red("no leaf: every certificate issued another (a loop of cross-certificates?)")
        )?,
        (Some(_), Order::Ok) => writeln!(
            out,
            "Path:      {}  {}",
            path.join(" → "),
            style.green("(order ok)")
        )?,
        (Some(_), Order::Broken) => writeln!(
            out,
            "Should be: {}  {}",
            path.join(" → "),
            style.red("(order broken: `certaudit fix` writes this order)")
        )?,
    }
    for link in &chain.links {
        let verdict = match link.signature {
            Verdict::Valid => style.green("signature valid"),
            Verdict::Invalid => style.red("signature INVALID"),
            Verdict::Unsupported => style.yellow("signature not checked (unsupported algorithm)"),
        };
        writeln!(
            out,
            "  {} ← issued by {}: {verdict}",
            label(audit, link.child),
            label(audit, link.issuer)
        )?;
    }
    if let Some(line) = capture_incomplete_thumbprint(audit) {
        writeln!(out, "{line}")?;
    } else if let (Some(tp), Some(idx)) = (chain.thumbprint, chain.thumbprint_index) {
        writeln!(
            out,
            "IAM thumbprint: {}  ({})",
            style.bold(&tp.to_string()),
            label(audit, idx)
        )?;
    }
    if let (Some(last), Some(last_tp)) = (chain.served_last, chain.served_last_thumbprint) {
        if Some(last_tp) != chain.thumbprint {
            writeln!(
                out,
                "  {} the server sends {} last (SHA-1 {last_tp}); tools that hash the last certificate served (eksctl, Terraform tls_certificate, the IAM console) would register that value instead.",
                style.yellow("note:"),
                label(audit, last)
            )?;
        }
    }
    for alt in &chain.alternative_thumbprints {
        writeln!(
            out,
            "  also the same CA (cross-signed): {alt}  (IAM may need it too)"
        )?;
    }
    for e in &chain.expected {
        let what = match e.matches {
            Match::Top => style.green("matches the top of the path"),
            Match::Leaf => style.red("is the leaf's: it breaks at the next certificate renewal"),
            Match::Intermediate => style.red("is an intermediate's, not the top of the path"),
            Match::Other => style.red("is a served certificate off the leaf's path"),
            Match::None => style.red(
                "matches nothing served (a TLS-intercepting proxy, or a private CA the server does not send?)",
            ),
        };
        let at = e
            .index
            .map(|i| format!(" ({})", label(audit, i)))
            .unwrap_or_default();
        writeln!(out, "  expected {}{at}: {what}", e.value)?;
    }
    Ok(())
}

fn findings(out: &mut (impl Write + ?Sized), list: &[Finding], style: &Style) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "{}", style.green("No findings."));
    }
    writeln!(out, "Findings:")?;
    for f in list {
        finding(out, f, style)?;
    }
    Ok(())
}

/// One line of the findings list (also written by `--bundle` streaming).
pub(crate) fn finding(
    out: &mut (impl Write + ?Sized),
    f: &Finding,
    style: &Style,
) -> io::Result<()> {
    writeln!(
        out,
        "  {} {:<24} {}",
        style.severity(f.severity()),
        f.code.as_str(),
        escape::message(&f.message)
    )
}

/// The closing line over every input.
pub fn summary(
    out: &mut (impl Write + ?Sized),
    s: &super::Summary,
    style: &Style,
) -> io::Result<()> {
    let line = format!(
        "{} input{}, {} certificate{}: {} error{}, {} warning{}",
        s.inputs,
        plural(s.inputs),
        s.certificates,
        plural(s.certificates),
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings)
    );
    let painted = if s.errors > 0 {
        style.red(&line)
    } else if s.warnings > 0 {
        style.yellow(&line)
    } else {
        style.green(&line)
    };
    writeln!(out, "{painted}")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The thumbprint line of a capture made without `-showcerts` (issue 12, kept apart
/// so the report's layout can move it): the value is not known, none is shown as
/// the IAM thumbprint.
fn capture_incomplete_thumbprint(audit: &InputAudit) -> Option<String> {
    let c = audit.capture.as_ref().filter(|c| c.incomplete())?;
    Some(format!(
        "IAM thumbprint: unknown: the capture holds {} of the {} certificates the server sent (made without -showcerts)",
        c.blocks_present,
        c.served_count.unwrap_or_default()
    ))
}
