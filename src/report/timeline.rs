//! The validity timeline: each certificate's window drawn as a bar on one shared
//! time axis, with the evaluation time marked, for people who would rather look
//! than read.
//!
//! ```text
//!                        at 2026-01-01 ▼
//! #0 expired.example.test     [████▌   │                ]  2024-01-01 → 2025-01-01
//! #1 Example RSA Intermedia…  [████████│████████████████]  2024-01-01 → 2030-01-01
//!                             └────────┴────────────────┘
//!                              2024    2026         2030
//! ```
//!
//! Decisions:
//!
//! - The axis is linear from min(not_before, at) to max(not_after, at), each cell
//!   split in two halves (`▌`, `▐`, `█`) for twice the resolution. Every bar is at
//!   least one whole cell wide, so a one-year leaf stays visible beside a 25-year
//!   root.
//! - The axis never reaches further than 30 years either side of the evaluation
//!   time (a root "valid until 9999" would squash everything else); a bar cut at an
//!   end of the axis ends in `◀` or `▶`, and its dates column still gives the
//!   real dates.
//! - The evaluation time is a `▼` above the rows and a `│` in every row: dimmed
//!   where no bar covers it, in the bar's colour inside a bar (except in a bar's
//!   half-filled end cells and in bars of two cells or less, which keep their
//!   fill so they stay visible).
//! - Colours (only with `style.color`) follow the certificate's status as audited:
//!   red for expired and not yet valid, yellow for expiring soon, green for valid.
//! - Rows are `#index name` in served order, the name cut with `…` to leave the bar
//!   at least 20 cells; below that (narrow terminals, `style.width` is at least
//!   40) each certificate takes two lines: name and dates, then its bar.
//! - Year labels on the axis, or `YYYY-MM` when it spans under two years; inner
//!   ticks only where their labels fit.

use crate::check::InputAudit;
use crate::report::text::Style;
use crate::x509::validity::Status;
use chrono::{DateTime, Datelike, Months, TimeDelta, TimeZone, Timelike, Utc};
use std::io::{self, Write};

/// The narrowest width drawn; a smaller `style.width` is taken as this.
pub const MIN_WIDTH: usize = 40;
/// The narrowest bar of the one-line layout.
const MIN_BAR: usize = 20;
/// The shortest name column of the one-line layout (`#0 www.…`).
const MIN_LABEL: usize = 8;
/// How far from the evaluation time the axis may reach.
const HORIZON_MONTHS: u32 = 30 * 12;
/// `2025-06-01 → 2026-06-01`
const DATES_WIDTH: usize = 23;

/// Draws the validity timeline of one input's certificates at `at` (normally the
/// evaluation time the audit was made at: colours follow the audited status).
pub fn render(
    out: &mut (impl Write + ?Sized),
    audit: &InputAudit,
    at: DateTime<Utc>,
    style: &Style,
) -> io::Result<()> {
    let rows: Vec<Row<'_>> = audit
        .certs
        .iter()
        .map(|c| Row {
            index: c.info.index,
            name: c.info.short_name(),
            not_before: c.info.not_before,
            not_after: c.info.not_after,
            status: c.status,
        })
        .collect();
    render_rows(out, &rows, at, style)
}

/// One bar of the timeline: what [`render_rows`] needs of a certificate.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The number shown before the name (`#index`).
    pub index: usize,
    pub name: &'a str,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// The audited status (the bar's colour).
    pub status: Status,
}

/// Draws the timeline of `rows` (of any source: `check`'s input, `inventory`'s list).
pub fn render_rows(
    out: &mut (impl Write + ?Sized),
    rows: &[Row<'_>],
    at: DateTime<Utc>,
    style: &Style,
) -> io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "(no certificate to draw)");
    }
    let width = usize::from(style.width).max(MIN_WIDTH);
    let axis = Axis::new(rows, at);
    let labels = labels(rows);
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);

    // One line per certificate: label, 2 spaces, [bar], 2 spaces, dates.
    let label_room = width.saturating_sub(DATES_WIDTH + 6 + MIN_BAR);
    let label_w = longest.min(label_room).min(width / 3);
    let wide = label_w >= MIN_LABEL.min(longest);
    let (bar_start, bar_w) = if wide {
        (label_w + 3, width - label_w - DATES_WIDTH - 6)
    } else {
        (3, width - 4)
    };

    marker_line(out, &axis, at, bar_start, bar_w, width)?;
    for (c, label) in rows.iter().zip(&labels) {
        let bar = bar(&axis, c, bar_w, style);
        let dates = format!(
            "{} → {}",
            c.not_before.format("%Y-%m-%d"),
            c.not_after.format("%Y-%m-%d")
        );
        if wide {
            let name = fit(label, label_w);
            let pad = label_w - name.chars().count();
            writeln!(out, "{name}{:pad$}  [{bar}]  {dates}", "")?;
        } else {
            let name = fit(label, width.saturating_sub(DATES_WIDTH + 2).max(1));
            writeln!(out, "{name}  {dates}")?;
            writeln!(out, "  [{bar}]")?;
        }
    }
    axis_lines(out, &axis, bar_start, bar_w)
}

/// `#0 name`, indices padded so names line up; control characters shown as `?`.
fn labels(certs: &[Row<'_>]) -> Vec<String> {
    let digits = certs
        .iter()
        .map(|c| c.index)
        .max()
        .unwrap_or(0)
        .to_string()
        .len();
    certs
        .iter()
        .map(|c| {
            let name = crate::escape::name(c.name);
            format!("#{:<digits$} {name}", c.index)
        })
        .collect()
}

/// `s` cut to `w` characters, the last one `…` when cut.
fn fit(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    let mut cut: String = s.chars().take(w.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

fn paint(style: &Style, code: &str, text: &str) -> String {
    if style.color && !text.is_empty() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

const fn status_color(s: Status) -> &'static str {
    match s {
        Status::Expired | Status::NotYetValid => "31",
        Status::ExpiringSoon => "33",
        Status::Valid => "32",
    }
}

/// The shared time axis.
struct Axis {
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    at: DateTime<Utc>,
}

impl Axis {
    fn new(certs: &[Row<'_>], at: DateTime<Utc>) -> Axis {
        let lo = certs.iter().map(|c| c.not_before).fold(at, |a, b| a.min(b));
        let hi = certs.iter().map(|c| c.not_after).fold(at, |a, b| a.max(b));
        let horizon = Months::new(HORIZON_MONTHS);
        let lo = at.checked_sub_months(horizon).map_or(lo, |h| lo.max(h));
        let hi = at.checked_add_months(horizon).map_or(hi, |h| hi.min(h));
        let hi = if hi > lo {
            hi
        } else {
            lo.checked_add_signed(TimeDelta::days(1)).unwrap_or(hi)
        };
        Axis {
            start: lo,
            end: hi,
            at,
        }
    }

    /// Where `t` falls, from 0.0 (start) to 1.0 (end), clamped.
    fn fraction(&self, t: DateTime<Utc>) -> f64 {
        let span = (self.end - self.start).num_seconds().max(1) as f64;
        ((t - self.start).num_seconds() as f64 / span).clamp(0.0, 1.0)
    }

    /// The cell (of `cells`) holding `t`.
    fn cell(&self, t: DateTime<Utc>, cells: usize) -> usize {
        let c = (self.fraction(t) * cells as f64).floor() as usize;
        c.min(cells.saturating_sub(1))
    }

    fn years(&self) -> f64 {
        (self.end - self.start).num_seconds() as f64 / (365.25 * 86_400.0)
    }
}

/// One certificate's bar, `bar_w` cells, painted.
fn bar(axis: &Axis, c: &Row<'_>, bar_w: usize, style: &Style) -> String {
    let halves = 2 * bar_w;
    let pos = |t: DateTime<Utc>| axis.fraction(t) * halves as f64;
    let mut h0 = (pos(c.not_before).floor() as usize).min(halves);
    let mut h1 = (pos(c.not_after).ceil() as usize).min(halves);
    if h1 < h0 + 2 {
        // Under one cell: one whole cell, where the window starts.
        let cell = (h0 / 2).min(bar_w.saturating_sub(1));
        h0 = 2 * cell;
        h1 = 2 * cell + 2;
    }
    let cut_left = c.not_before < axis.start;
    let cut_right = c.not_after > axis.end;
    let marker = axis.cell(axis.at, bar_w);
    let color = status_color(c.status);

    let mut out = String::new();
    let mut run = String::new();
    let mut run_is_bar = false;
    for i in 0..bar_w {
        let left = (h0..h1).contains(&(2 * i));
        let right = (h0..h1).contains(&(2 * i + 1));
        let (glyph, is_bar) = match (left, right) {
            (true, _) if i == 0 && cut_left => ('◀', true),
            (_, true) if i + 1 == bar_w && cut_right => ('▶', true),
            (true, true) if i == marker && h1 - h0 > 4 => ('│', true),
            (true, true) => ('█', true),
            (true, false) => ('▌', true),
            (false, true) => ('▐', true),
            (false, false) if i == marker => ('│', false),
            (false, false) => (' ', false),
        };
        if is_bar != run_is_bar {
            flush(&mut out, &mut run, run_is_bar, color, style);
            run_is_bar = is_bar;
        }
        run.push(glyph);
    }
    flush(&mut out, &mut run, run_is_bar, color, style);
    out
}

/// Appends a run of bar cells (painted in the status colour) or of background
/// cells (the evaluation-time line dimmed).
fn flush(out: &mut String, run: &mut String, is_bar: bool, color: &str, style: &Style) {
    if is_bar {
        out.push_str(&paint(style, color, run));
    } else if style.color && run.contains('│') {
        for ch in run.chars() {
            if ch == '│' {
                out.push_str(&paint(style, "2", "│"));
            } else {
                out.push(ch);
            }
        }
    } else {
        out.push_str(run);
    }
    run.clear();
}

/// `at 2026-01-01 ▼` above the evaluation time's cell.
fn marker_line(
    out: &mut (impl Write + ?Sized),
    axis: &Axis,
    at: DateTime<Utc>,
    bar_start: usize,
    bar_w: usize,
    width: usize,
) -> io::Result<()> {
    let when = if at.hour() == 0 && at.minute() == 0 && at.second() == 0 {
        at.format("at %Y-%m-%d").to_string()
    } else {
        at.format("at %Y-%m-%d %H:%M UTC").to_string()
    };
    let col = bar_start + axis.cell(at, bar_w);
    let len = when.chars().count();
    if col > len {
        writeln!(out, "{:pad$}{when} ▼", "", pad = col - len - 1)
    } else if col + 2 + len <= width {
        writeln!(out, "{:col$}▼ {when}", "")
    } else {
        writeln!(out, "{:col$}▼", "")
    }
}

/// The axis: a rule under the bars with ticks, and the dates under it.
fn axis_lines(
    out: &mut (impl Write + ?Sized),
    axis: &Axis,
    bar_start: usize,
    bar_w: usize,
) -> io::Result<()> {
    let by_year = axis.years() >= 2.0;
    let label_of = |t: DateTime<Utc>| {
        if by_year {
            t.format("%Y").to_string()
        } else {
            t.format("%Y-%m").to_string()
        }
    };
    let first = label_of(axis.start);
    let last = label_of(axis.end);
    let first_end = first.chars().count();
    let last_start = bar_w.saturating_sub(last.chars().count());

    // Inner ticks whose labels fit between the end labels, at least 2 apart.
    let mut ticks: Vec<(usize, String)> = Vec::new();
    let mut free_from = first_end + 2;
    for t in tick_times(axis, bar_w, by_year) {
        let col = axis.cell(t, bar_w);
        let label = label_of(t);
        let end = col + label.chars().count();
        if col >= free_from && end + 2 <= last_start {
            free_from = end + 2;
            ticks.push((col, label));
        }
    }

    let mut rule = String::with_capacity(bar_w + 2);
    rule.push('└');
    for i in 0..bar_w {
        rule.push(if ticks.iter().any(|&(c, _)| c == i) {
            '┴'
        } else {
            '─'
        });
    }
    rule.push('┘');
    writeln!(out, "{:pad$}{rule}", "", pad = bar_start - 1)?;

    let mut text = first;
    for (col, label) in ticks {
        let pad = col.saturating_sub(text.chars().count());
        text.push_str(&" ".repeat(pad));
        text.push_str(&label);
    }
    if last_start > text.chars().count() {
        let pad = last_start - text.chars().count();
        text.push_str(&" ".repeat(pad));
        text.push_str(&last);
    }
    writeln!(out, "{:bar_start$}{text}", "")
}

/// Candidate tick instants strictly inside the axis: 1 January of every `step`-th
/// year, or the first of every `step`-th month, `step` chosen so labels fit.
fn tick_times(axis: &Axis, bar_w: usize, by_year: bool) -> Vec<DateTime<Utc>> {
    let cells_per_year = bar_w as f64 / axis.years().max(1e-9);
    let mut out = Vec::new();
    if by_year {
        let step = [1, 2, 5, 10, 20, 50, 100]
            .into_iter()
            .find(|&s| f64::from(s) * cells_per_year >= 6.0)
            .unwrap_or(100);
        for y in axis.start.year()..=axis.end.year() {
            if y.rem_euclid(step) != 0 {
                continue;
            }
            if let Some(t) = Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).single()
                && t > axis.start
                && t < axis.end
            {
                out.push(t);
            }
        }
    } else {
        let cells_per_month = cells_per_year / 12.0;
        let step = [1u32, 2, 3, 6, 12]
            .into_iter()
            .find(|&s| f64::from(s) * cells_per_month >= 9.0)
            .unwrap_or(12);
        let mut y = axis.start.year();
        let mut m = axis.start.month();
        while let Some(t) = Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single() {
            if t >= axis.end {
                break;
            }
            if t > axis.start && (m - 1).is_multiple_of(step) {
                out.push(t);
            }
            if m == 12 {
                y += 1;
                m = 1;
            } else {
                m += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ChainOptions;
    use crate::check::{self, Settings};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    fn audit_of(name: &str, bytes: &[u8]) -> InputAudit {
        let settings = Settings {
            at: at(),
            warn_days: 30,
            bundle: false,
            chain: ChainOptions::default(),
            input: Default::default(),
        };
        check::audit(name, bytes, &settings)
    }

    fn draw(a: &InputAudit, width: u16, color: bool) -> String {
        let mut out = Vec::new();
        render(
            &mut out,
            a,
            at(),
            &Style {
                color,
                ..Style::plain(width)
            },
        )
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn widest_line(s: &str) -> usize {
        s.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    macro_rules! fixture {
        ($name:literal) => {
            audit_of(
                $name,
                include_bytes!(concat!("../../fixtures/chains/", $name)),
            )
        };
    }

    #[test]
    fn root_included() {
        let a = fixture!("rsa-root-included.pem");
        let s = draw(&a, 100, false);
        assert!(widest_line(&s) <= 100, "{s}");
        insta::assert_snapshot!("root_included_100", s);
    }

    #[test]
    fn expired_leaf() {
        let a = fixture!("rsa-expired-leaf.pem");
        insta::assert_snapshot!("expired_leaf_80", draw(&a, 80, false));
    }

    #[test]
    fn expiring_intermediate() {
        let a = fixture!("rsa-expiring-soon-intermediate.pem");
        insta::assert_snapshot!("expiring_intermediate_80", draw(&a, 80, false));
    }

    #[test]
    fn not_yet_valid_leaf() {
        let a = fixture!("rsa-not-yet-valid-leaf.pem");
        insta::assert_snapshot!("not_yet_valid_leaf_80", draw(&a, 80, false));
    }

    #[test]
    fn leaf_only_uses_months() {
        let a = fixture!("rsa-leaf-only.pem");
        insta::assert_snapshot!("leaf_only_80", draw(&a, 80, false));
    }

    #[test]
    fn two_intermediates_and_root() {
        let a = fixture!("two-int-root-included.pem");
        insta::assert_snapshot!("two_int_root_included_120", draw(&a, 120, false));
    }

    #[test]
    fn narrow_width_takes_two_lines_per_certificate() {
        let a = fixture!("rsa-root-included.pem");
        for w in [0, 20, 40, 45] {
            let s = draw(&a, w, false);
            assert!(widest_line(&s) <= 40.max(usize::from(w)), "{w}:\n{s}");
        }
        insta::assert_snapshot!("root_included_40", draw(&a, 40, false));
    }

    #[test]
    fn colours_follow_status() {
        let a = fixture!("rsa-expired-leaf.pem");
        let s = draw(&a, 80, true);
        // The expired leaf is red, the valid intermediate green, the line dim.
        assert!(s.contains("\x1b[31m"), "{s}");
        assert!(s.contains("\x1b[32m"), "{s}");
        assert!(s.contains("\x1b[2m│\x1b[0m"), "{s}");
        let plain = draw(&a, 80, false);
        assert!(!plain.contains('\x1b'));
        // Colour changes nothing but the escapes.
        let stripped = strip_ansi(&s);
        assert_eq!(stripped, plain);
        insta::assert_snapshot!("expired_leaf_color", s);

        let soon = fixture!("rsa-expiring-soon-leaf.pem");
        assert!(draw(&soon, 80, true).contains("\x1b[33m"));
    }

    fn strip_ansi(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn every_bar_is_at_least_one_cell_and_fits() {
        // A 25-year root beside a leaf: every row shows a bar.
        for name in [
            "rsa-root-included.pem",
            "rsa-expired-leaf.pem",
            "rsa-expiring-soon-leaf.pem",
            "two-int-root-included.pem",
        ] {
            let path = format!("{}/fixtures/chains/{name}", env!("CARGO_MANIFEST_DIR"));
            let a = audit_of(name, &std::fs::read(path).unwrap());
            for w in [40u16, 60, 80, 132, 200] {
                let s = draw(&a, w, false);
                assert!(widest_line(&s) <= usize::from(w), "{name} {w}:\n{s}");
                let bars = s.lines().filter(|l| l.contains('[')).count();
                assert_eq!(bars, a.certs.len(), "{name} {w}:\n{s}");
                for l in s.lines().filter(|l| l.contains('[')) {
                    assert!(
                        l.contains(['█', '▌', '▐', '◀', '▶']),
                        "{name} {w}: empty bar in\n{s}"
                    );
                }
            }
        }
    }

    #[test]
    fn far_future_end_is_cut_at_the_horizon() {
        let mut a = fixture!("rsa-root-included.pem");
        let far = Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap();
        let root = a.certs.iter_mut().find(|c| c.info.self_signed).unwrap();
        root.info.not_after = far;
        let s = draw(&a, 80, false);
        assert!(s.contains('▶'), "{s}");
        assert!(s.contains("→ 9999-12-31"), "{s}");
        assert!(s.contains("2056"), "{s}");
        insta::assert_snapshot!("root_until_9999", s);
    }

    #[test]
    fn hostile_names_are_sanitised_and_cut() {
        let mut a = fixture!("rsa-leaf-only.pem");
        let leaf = &mut a.certs[0].info;
        leaf.subject.attrs = vec![(
            "CN".into(),
            "evil\x1b[31m\nname-that-is-very-very-long-indeed-and-goes-on".into(),
        )];
        let s = draw(&a, 80, false);
        assert!(!s.contains('\x1b'), "{s}");
        assert_eq!(s.lines().count(), 4, "{s}");
        assert!(s.contains('…'));
    }

    #[test]
    fn no_certificate() {
        let a = InputAudit::unreadable("x.pem", "gone");
        assert_eq!(draw(&a, 80, false), "(no certificate to draw)\n");
    }

    #[test]
    fn evaluation_time_outside_every_window() {
        let a = fixture!("rsa-leaf-only.pem");
        let mut out = Vec::new();
        let late = Utc.with_ymd_and_hms(2027, 3, 15, 12, 30, 0).unwrap();
        render(&mut out, &a, late, &Style::plain(80)).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(s.contains("at 2027-03-15 12:30 UTC ▼"), "{s}");
        insta::assert_snapshot!("leaf_only_late", s);
    }
}
