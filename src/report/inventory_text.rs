//! `inventory`'s text report: one table, soonest expiry first, then a short summary
//! and (up to [`TIMELINE_MAX`] rows) the validity timeline.
//!
//! Each certificate takes up to three lines, so that the table fits 80 columns and
//! a fingerprint is never split:
//!
//! ```text
//!  #  Not after   Days  Status         Subject
//!     SHA-1                                     Kind, key
//!     Found in
//!  1  2026-01-15    14  expiring soon  CN=www.example.com,O=Example
//!     0A1B2C3D4E5F60718293A4B5C6D7E8F901234567  leaf, EC P-256
//!     www.pem:1, bundle.pem:88 (+2 more)
//! ```
//!
//! The subject is cut with `…` to the width; the places are listed while they fit,
//! then counted; paths below the one folder every place shares are shown relative
//! to it (named above the table). What does not fit is in `--format json`/`csv`.
//!
//! A large store (the 140-odd roots of `/etc/ssl/certs/`) would not fit on a
//! screen: above [`TIMELINE_MAX`] listed certificates and without `--all`, the
//! table shows the [`SHOWN`] soonest to expire and says how many more there are and
//! until when they run; the summary still counts every one.

use crate::der::hex::hex_upper;
use crate::inventory::{CertView, Inventory, Place};
use crate::report::text::Style;
use crate::report::timeline::{self, Row};
use crate::x509::validity::Status;
use std::io::{self, Write};

/// Up to this many listed certificates, every one is shown with the timeline.
pub const TIMELINE_MAX: usize = 30;
/// Rows shown of a longer list (without `--all`).
pub const SHOWN: usize = 20;
/// ` 1  2026-01-15     14  expiring soon  `
const LEFT: usize = 38;
const INDENT: &str = "    ";

fn paint(style: &Style, code: &str, text: &str) -> String {
    if style.color && !text.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

const fn status_label(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Expired => ("EXPIRED", "31"),
        Status::NotYetValid => ("not yet valid", "31"),
        Status::ExpiringSoon => ("expiring soon", "33"),
        Status::Valid => ("valid", "32"),
    }
}

/// `s` with control characters shown as `?`, cut to `w` characters (`…` last).
fn fit(s: &str, w: usize) -> String {
    let clean: String = s
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if clean.chars().count() <= w {
        return clean;
    }
    let mut cut: String = clean.chars().take(w.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The folder (ending in `/`) that every place's source is below, if any.
fn common_folder<'a>(places: impl Iterator<Item = &'a str>) -> Option<String> {
    let mut common: Option<&str> = None;
    for s in places {
        let folder = match s.rfind('/') {
            Some(at) => s.get(..=at).unwrap_or_default(),
            None => return None,
        };
        common = Some(match common {
            None => folder,
            Some(c) => {
                let mut end = c
                    .bytes()
                    .zip(folder.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                // Back to a `/`, so that the prefix is a folder.
                while end > 0 && c.as_bytes().get(end - 1) != Some(&b'/') {
                    end -= 1;
                }
                c.get(..end).unwrap_or_default()
            }
        });
    }
    common
        .filter(|c| !c.is_empty() && *c != "/" && *c != "./")
        .map(str::to_string)
}

fn place_text(p: &Place<'_>, strip: &str) -> String {
    let mut p = *p;
    p.source = p.source.strip_prefix(strip).unwrap_or(p.source);
    super::csv::place(&p)
}

/// The places that fit in `w` characters, then `(+N more)`.
fn places_line(v: &CertView<'_>, strip: &str, w: usize) -> String {
    let total = v.places.max(v.found.len());
    let more = |n: usize| {
        if n > 0 {
            format!(" (+{n} more)")
        } else {
            String::new()
        }
    };
    let mut line = String::new();
    let mut used = 0;
    for (n, p) in v.found.iter().enumerate() {
        let tail = more(total - n - 1).chars().count();
        let sep = if n == 0 { 0 } else { 2 };
        let mut text = place_text(p, strip);
        if n == 0 {
            text = fit(&text, w.saturating_sub(tail).max(10));
        } else {
            text = fit(&text, w);
        }
        let len = text.chars().count();
        if n > 0 && used + sep + len + tail > w {
            line.push_str(&more(total - n));
            return line;
        }
        if n > 0 {
            line.push_str(", ");
        }
        line.push_str(&text);
        used += sep + len;
    }
    line.push_str(&more(total - v.found.len()));
    line
}

fn kind(v: &CertView<'_>) -> &'static str {
    match (v.self_signed, v.ca) {
        (true, true) => "root",
        (true, false) => "self-signed",
        (false, true) => "CA",
        (false, false) => "leaf",
    }
}

/// The text report. `all`: every listed certificate, however many.
pub fn render(
    out: &mut (impl Write + ?Sized),
    inv: &Inventory,
    ids: &[u32],
    style: &Style,
    all: bool,
    timeline_on: bool,
) -> io::Result<()> {
    let width = usize::from(style.width).max(60);
    let s = inv.summary();
    let at = inv.options.at;
    writeln!(
        out,
        "{}",
        paint(
            style,
            "1",
            &format!(
                "Inventory at {}: {} certificate{} ({} place{}) in {} input{}",
                at.format("%Y-%m-%d %H:%M UTC"),
                s.certificates,
                plural(s.certificates),
                s.occurrences,
                plural(s.occurrences),
                s.inputs,
                plural(s.inputs)
            )
        )
    )?;
    let shown = if all || ids.len() <= TIMELINE_MAX {
        ids.len()
    } else {
        SHOWN
    };
    let views: Vec<CertView<'_>> = ids
        .iter()
        .take(shown)
        .filter_map(|&i| inv.view(i))
        .collect();
    let folder = common_folder(views.iter().flat_map(|v| v.found.iter().map(|p| p.source)));
    let strip = folder.as_deref().unwrap_or("");
    if views.is_empty() {
        writeln!(out, "No certificate to list.")?;
    } else {
        if let Some(f) = &folder {
            writeln!(out, "Places are relative to {f}")?;
        }
        writeln!(out)?;
        let head = format!(
            "{:>2}  {:<10}  {:>5}  {:<13}  Subject\n{INDENT}{:<40}  Kind, key\n{INDENT}Found in",
            "#", "Not after", "Days", "Status", "SHA-1"
        );
        writeln!(out, "{}", paint(style, "1", &head))?;
        for (n, v) in views.iter().enumerate() {
            let (label, color) = status_label(v.status);
            let left = format!(
                "{:>2}  {}  {:>5}  ",
                n + 1,
                v.not_after.format("%Y-%m-%d"),
                v.days_left
            );
            writeln!(
                out,
                "{left}{}  {}",
                paint(style, color, &format!("{label:<13}")),
                fit(v.subject, width.saturating_sub(LEFT).max(10))
            )?;
            let mut facts = format!("{}, {}", kind(v), fit(v.public_key, 20));
            if v.weak_signature && !v.self_signed {
                facts.push_str(&format!(", weak {}", fit(v.signature_algorithm, 30)));
            }
            let facts = fit(&facts, width.saturating_sub(INDENT.len() + 42).max(10));
            writeln!(out, "{INDENT}{}  {facts}", hex_upper(v.sha1))?;
            writeln!(
                out,
                "{INDENT}{}",
                places_line(v, strip, width.saturating_sub(INDENT.len()).max(20))
            )?;
        }
        if ids.len() > views.len() {
            let rest = ids.len() - views.len();
            let last = ids.last().and_then(|&i| inv.view(i));
            if let Some(last) = last {
                writeln!(
                    out,
                    "... and {rest} more, expiring to {} (--all or --format csv lists them)",
                    last.not_after.format("%Y-%m-%d")
                )?;
            }
        }
        if timeline_on && views.len() <= TIMELINE_MAX {
            writeln!(out)?;
            let rows: Vec<Row<'_>> = views
                .iter()
                .enumerate()
                .map(|(n, v)| Row {
                    index: n + 1,
                    name: v.name(),
                    not_before: v.not_before,
                    not_after: v.not_after,
                    status: v.status,
                })
                .collect();
            timeline::render_rows(out, &rows, at, style)?;
        }
    }
    writeln!(out)?;
    summary(out, inv, ids, style)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn summary(
    out: &mut (impl Write + ?Sized),
    inv: &Inventory,
    ids: &[u32],
    style: &Style,
) -> io::Result<()> {
    let s = inv.summary();
    let warn = inv.options.warn_days;
    let line = format!(
        "{} expired, {} expiring in < {warn} days, {} not yet valid, {} SHA-1/MD5 signature{}",
        s.expired,
        s.expiring_soon,
        s.not_yet_valid,
        s.weak_signatures,
        plural(s.weak_signatures)
    );
    let color = if s.expired + s.not_yet_valid > 0 {
        "31"
    } else if s.expiring_soon > 0 {
        "33"
    } else {
        "32"
    };
    writeln!(out, "{}", paint(style, color, &line))?;
    // The soonest expiry still ahead (else the latest one past).
    let soonest = ids
        .iter()
        .filter_map(|&i| inv.view(i))
        .find(|v| v.status != Status::Expired)
        .or_else(|| ids.last().and_then(|&i| inv.view(i)));
    if let Some(v) = soonest {
        let verb = if v.status == Status::Expired {
            "Expired last"
        } else {
            "Soonest expiry"
        };
        let room = usize::from(style.width).saturating_sub(5).max(20);
        let place = v
            .found
            .first()
            .map(|p| fit(&super::csv::place(p), room))
            .unwrap_or_default();
        writeln!(
            out,
            "{verb}: {} on {} ({} days),\n  in {place}",
            fit(v.name(), 40),
            v.not_after.format("%Y-%m-%d"),
            v.days_left
        )?;
    }
    let mut tail = vec![format!(
        "{} input{} without certificates",
        s.files_without_certificates,
        plural(s.files_without_certificates)
    )];
    if s.read_errors > 0 {
        tail.push(format!("{} could not be read", s.read_errors));
    }
    let findings = inv.findings().count();
    if findings > 0 {
        tail.push(format!(
            "{findings} input finding{} (--format json lists them)",
            plural(findings)
        ));
    }
    writeln!(out, "{}.", tail.join(", "))?;
    for (_, f) in inv
        .findings()
        .filter(|(_, f)| f.severity() == crate::findings::Severity::Error)
        .take(10)
    {
        super::text::finding(out, f, style)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_common_folder_is_a_folder() {
        let got = common_folder(["/etc/ssl/certs/a.pem", "/etc/ssl/certs/ab/b.pem"].into_iter());
        assert_eq!(got.as_deref(), Some("/etc/ssl/certs/"));
        let got = common_folder(["/etc/ssl/certsA/a.pem", "/etc/ssl/certsB/b.pem"].into_iter());
        assert_eq!(got.as_deref(), Some("/etc/ssl/"));
        assert_eq!(common_folder(["-", "/x/a"].into_iter()), None);
    }
}
