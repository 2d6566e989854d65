//! The text report, verdict first (the shape of `cargo`'s and ripgrep's output):
//!
//! 1. a header line: the input, its kind, how many certificates;
//! 2. the verdict: what is wrong, one headline per error or warning; the positive
//!    confirmations (`--host` covered, `--trust` reached, `--expect-thumbprint`
//!    matched); the IAM thumbprint and what the server's last certificate would
//!    give instead; how AWS uses the thumbprint for this host (once the trust
//!    verdict exists);
//! 3. the chain, one line per certificate: index, short name, validity, days left,
//!    full SHA-1 (two lines when the terminal is too narrow for one: the SHA-1 then
//!    has a line of its own); the path and its signatures in one line;
//! 4. the notes: each `info` finding, one headline each;
//! 5. what to do next, once.
//!
//! `--verbose` adds per certificate its SHA-256, serial, key, signature algorithm,
//! subject, issuer and SANs, the validity timeline, and every finding's full text;
//! `--quiet` prints only the findings' full text.
//!
//! Rules: a finding is stated once (its headline; its full text only with
//! `--verbose`/`--quiet`); a fingerprint or a command is never broken across lines
//! (wrapping is at spaces only, never inside a word, and command lines are never
//! wrapped); prose is wrapped with `textwrap` to `Style::width`. Every string that
//! comes from the input (names, SANs, messages quoting them) goes through
//! [`untrusted`] before it is printed.
//!
//! Text is for people and may change freely; JSON is the stable interface.

use crate::chain::{ChainAnalysis, Match, Role};
use crate::check::{CertAudit, InputAudit};
use crate::der::hex::hex_upper;
use crate::findings::{Code, Finding, Severity};
use crate::verify::Verdict;
use crate::x509::validity::Status;
use std::borrow::Cow;
use std::io::{self, Write};

/// How much to print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Findings only, full text.
    Quiet,
    #[default]
    Normal,
    /// Everything: per-certificate details, timeline, full finding text.
    Verbose,
}

/// How to draw: colour or not, the width to fit, how much to say.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub width: u16,
    pub detail: Detail,
}

impl Style {
    /// Plain, at `width`, normal detail.
    pub fn plain(width: u16) -> Style {
        Style {
            color: false,
            width,
            detail: Detail::Normal,
        }
    }
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
    fn width(&self) -> usize {
        usize::from(self.width).max(40)
    }
}

/// A string from the input, made safe to print on a terminal: control characters
/// (escape sequences, carriage returns, NULs) are shown as `\u{…}` escapes.
pub fn untrusted(s: &str) -> Cow<'_, str> {
    // The one escaping function (issue 15): C0/DEL, C1, bidi and zero-width
    // characters shown visibly, long strings cut with a marker.
    crate::escape::message(s)
}

/// `text` wrapped at spaces to `width`: the first line starts with `first`, the
/// others with `rest`. A word longer than the width (a fingerprint, a path) is
/// never broken; it overflows its line instead.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let opts = textwrap::Options::new(width)
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    // A command quoted in backticks is one word: never broken across lines; nor
    // are "RFC 5246", "line 12", "#2 → #1 → #0" and "--server nginx".
    const KEEP: char = '\u{a0}';
    let glued = glue(text, KEEP);
    let had_keep = text.contains(KEEP);
    textwrap::wrap(&glued, opts)
        .into_iter()
        .map(|l| {
            if had_keep {
                l.into_owned()
            } else {
                l.replace(KEEP, " ")
            }
        })
        .collect()
}

/// `text` with the spaces that must not break a line replaced by `keep`: inside
/// backquotes, after `RFC`, `line`, `lines` and `§` before a digit, around `→`, and
/// between an option (`--x`) and its value.
fn glue(text: &str, keep: char) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    // The word before the current position (since the last space), and the char.
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    let mut prev = None;
    while let Some(ch) = chars.next() {
        if ch == '`' {
            quoted = !quoted;
        }
        if ch != ' ' {
            out.push(ch);
            word.push(ch);
            prev = Some(ch);
            continue;
        }
        let next = chars.peek().copied();
        let before = word.trim_start_matches('(');
        let glue_it = quoted
            || next == Some('→')
            || prev == Some('→')
            || (next.is_some_and(|c| c.is_ascii_digit())
                && matches!(before, "RFC" | "line" | "lines" | "§"))
            || (before.len() > 2
                && before.starts_with("--")
                && !before.ends_with([')', ',', ':', ';', '.'])
                && next.is_some_and(|c| c.is_ascii_lowercase()));
        out.push(if glue_it { keep } else { ch });
        word.clear();
        prev = Some(ch);
    }
    out
}

/// Writes `text` wrapped, the first line's `label` (the start of `first`) painted.
fn para(
    out: &mut (impl Write + ?Sized),
    style: &Style,
    text: &str,
    first: &str,
    rest: &str,
    paint: impl Fn(&str) -> String,
) -> io::Result<()> {
    for (n, line) in wrap(text, style.width(), first, rest).iter().enumerate() {
        match line.strip_prefix(first).filter(|_| n == 0) {
            Some(tail) => writeln!(out, "{}{tail}", paint(first))?,
            None => writeln!(out, "{line}")?,
        }
    }
    Ok(())
}

fn date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// What the text report adds beside the facts.
#[derive(Debug, Clone, Default)]
pub struct Extras {
    /// Draw the validity timeline (with `--verbose`), against this instant.
    pub timeline_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Print "What to do next", with these options.
    pub advice: Option<crate::advice::RemedyOptions>,
    /// `--host` as given, for its confirmation.
    pub host: Option<String>,
    /// `--trust FILE` as given, for its confirmation.
    pub trust: Option<String>,
}

/// Renders one input.
pub fn input(
    out: &mut (impl Write + ?Sized),
    audit: &InputAudit,
    style: &Style,
    extras: &Extras,
) -> io::Result<()> {
    if style.detail == Detail::Quiet {
        return quiet(out, audit, style);
    }
    let kind = audit.format.map(|f| f.as_str()).unwrap_or("unreadable");
    let n = audit.certs.len();
    writeln!(
        out,
        "{}: {n} certificate{} ({kind})",
        style.bold(&untrusted(&audit.source)),
        plural(n)
    )?;
    let r = Report {
        audit,
        style,
        host: extras.host.as_deref(),
    };
    r.verdict(out, extras)?;
    if !audit.certs.is_empty() {
        writeln!(out)?;
        let title = match audit.capture.as_ref().filter(|c| c.incomplete()) {
            Some(c) => format!(
                "Chain, as captured ({} of {} served):",
                c.blocks_present,
                c.served_count.unwrap_or_default()
            ),
            None => "Chain, as served:".to_string(),
        };
        writeln!(out, "{}", style.bold(&title))?;
        out.write_all(cert_lines(audit, style).as_bytes())?;
        if let Some(chain) = &audit.chain {
            r.path_line(out, chain)?;
        }
        if style.detail == Detail::Verbose
            && let Some(at) = extras.timeline_at
        {
            writeln!(out)?;
            super::timeline::render(out, audit, at, style)?;
        }
    }
    let notes: Vec<&Finding> = audit
        .findings
        .iter()
        .filter(|f| f.severity() == Severity::Info)
        .filter(|f| !(f.code == Code::TrustUntrusted && audit.public_trust.is_some()))
        .collect();
    if !notes.is_empty() {
        writeln!(out)?;
        for f in notes {
            para(out, style, &r.headline(f), "note: ", "      ", |s| {
                style.dim(s)
            })?;
        }
    }
    if style.detail == Detail::Verbose && !audit.findings.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", style.bold("Findings in full:"))?;
        for f in &audit.findings {
            finding(out, f, style)?;
        }
    }
    if let Some(opts) = &extras.advice {
        let advice = crate::advice::advice(audit, opts);
        if !advice.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("What to do next:"))?;
            for item in &advice {
                advice_item(out, item, style)?;
            }
        }
    }
    writeln!(out)
}

/// One advice item: its prose lines wrapped under a bullet, its command lines
/// (those indented by two spaces or more) never wrapped.
pub fn advice_item(out: &mut (impl Write + ?Sized), item: &str, style: &Style) -> io::Result<()> {
    for (n, line) in item.lines().enumerate() {
        let line = untrusted(line);
        if line.starts_with("  ") {
            let cmd = line.trim_start();
            let indent = line.get(..line.len() - cmd.len()).unwrap_or("");
            let room = style.width().saturating_sub(4 + indent.len());
            for part in command_lines(cmd, room) {
                writeln!(out, "    {indent}{part}")?;
            }
        } else {
            let first = if n == 0 { "  - " } else { "    " };
            para(out, style, &line, first, "    ", str::to_string)?;
        }
    }
    Ok(())
}

/// A shell command fitted to `width` without breaking it: when it is longer, it is
/// continued with ` \` before an option (`-x`, `--x`) or a redirection, the
/// following lines indented by four spaces; a word is never split, and nothing
/// inside quotes is.
pub fn command_lines(cmd: &str, width: usize) -> Vec<String> {
    if cmd.chars().count() <= width {
        return vec![cmd.to_string()];
    }
    // Words outside quotes.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for ch in cmd.chars() {
        match quote {
            Some(q) if ch == q => quote = None,
            None if ch == '\'' || ch == '"' => quote = Some(ch),
            None if ch == ' ' => {
                if !cur.is_empty() {
                    words.push(std::mem::take(&mut cur));
                }
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let breakable = |w: &str| {
        w.starts_with('-') || w.starts_with('<') || w.starts_with('>') || w.starts_with('|')
    };
    // An option and its value (the words up to the next option) stay together.
    let mut groups: Vec<String> = Vec::new();
    for w in words {
        match groups.last_mut() {
            Some(g) if !breakable(&w) => {
                g.push(' ');
                g.push_str(&w);
            }
            _ => groups.push(w),
        }
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for g in groups {
        let fits = line.chars().count() + 1 + g.chars().count() + 2 <= width;
        if !line.is_empty() && !fits {
            lines.push(format!("{line} \\"));
            line = format!("    {g}");
            continue;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&g);
    }
    lines.push(line);
    // The continuation lines carry their indent in `line` already.
    lines
}

/// `--quiet`: each finding's full text, nothing else.
fn quiet(out: &mut (impl Write + ?Sized), audit: &InputAudit, style: &Style) -> io::Result<()> {
    for f in &audit.findings {
        let lead = format!("{}: {}: ", untrusted(&audit.source), f.severity());
        let text = format!("{lead}{} ({})", untrusted(&f.message), f.code);
        para(out, style, &text, "", "    ", str::to_string)?;
    }
    Ok(())
}

/// The full text of one finding (`--verbose`, and `--bundle`'s findings list).
pub(crate) fn finding(
    out: &mut (impl Write + ?Sized),
    f: &Finding,
    style: &Style,
) -> io::Result<()> {
    let sev = f.severity();
    let first = format!("  {}: ", sev.as_str());
    // `para` writes `first` before the first line (painted), the text after it.
    let text = format!("{} ({})", untrusted(&f.message), f.code);
    para(out, style, &text, &first, "    ", |s| match sev {
        Severity::Error => style.red(s),
        Severity::Warning => style.yellow(s),
        Severity::Info => style.dim(s),
    })
}

/// The chain, one line per certificate (two when the width is too small), and with
/// `--verbose` its details under each.
pub(crate) fn cert_lines(audit: &InputAudit, style: &Style) -> String {
    let width = style.width();
    let roles = audit.chain.as_ref().map(|c| c.roles.as_slice());
    let rows: Vec<(String, String, String, &str)> = audit
        .certs
        .iter()
        .map(|c| {
            let role = roles.and_then(|r| r.get(c.info.index));
            (
                format!("#{} {}", c.info.index, untrusted(c.info.short_name())),
                format!("{} → {}", date(c.info.not_before), date(c.info.not_after)),
                days(c),
                role_word(c, role),
            )
        })
        .collect();
    let longest =
        |f: fn(&(String, String, String, &str)) -> usize| rows.iter().map(f).max().unwrap_or(0);
    let days_w = longest(|r| r.2.chars().count());
    let role_w = longest(|r| r.3.chars().count());
    // Names are cut (with …) to at most 40 columns, and on one line with the rest.
    let name_w = longest(|r| r.0.chars().count()).min(40);
    // indent, name, dates, days, role, SHA-1, with two spaces between.
    let one_line = 2 + name_w + 2 + 23 + 2 + days_w + 2 + role_w + 2 + 40 <= width;
    let name_w = if one_line {
        name_w
    } else {
        name_w.min(width.saturating_sub(2 + 2 + 23 + 2 + days_w).max(12))
    };
    let mut s = String::new();
    for (c, (name, valid, days, role)) in audit.certs.iter().zip(&rows) {
        let sha1 = hex_upper(&c.info.sha1);
        let name = cut(name, name_w);
        let pad = name_w.saturating_sub(name.chars().count());
        let dpad = days_w.saturating_sub(days.chars().count());
        let rpad = role_w.saturating_sub(role.chars().count());
        let days = paint_status(style, c.status, days);
        if one_line {
            s.push_str(&format!(
                "  {name}{:pad$}  {valid}  {days}{:dpad$}  {role}{:rpad$}  {sha1}\n",
                "", "", ""
            ));
        } else {
            s.push_str(&format!("  {name}{:pad$}  {valid}  {days}\n", ""));
            s.push_str(format!("     SHA-1 {sha1}  {role}").trim_end());
            s.push('\n');
        }
        if let Some(origin) = &c.info.origin {
            for l in wrap(
                &format!("in {}", untrusted(origin)),
                width,
                "     ",
                "       ",
            ) {
                s.push_str(&l);
                s.push('\n');
            }
        }
        if style.detail == Detail::Verbose {
            verbose_cert(&mut s, c, width);
        }
    }
    s
}

/// `s` cut to `w` characters, the last one `…` when cut.
fn cut(s: &str, w: usize) -> String {
    if s.chars().count() <= w {
        return s.to_string();
    }
    let mut out: String = s.chars().take(w.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Days left as the contract counts them (floor), with the status.
fn days(c: &CertAudit) -> String {
    let d = c.days_left;
    match c.status {
        Status::Valid => format!("{d} days"),
        Status::ExpiringSoon => format!("{d} days, expiring"),
        Status::Expired => format!("{d} days, EXPIRED"),
        Status::NotYetValid => "not yet valid".to_string(),
    }
}

/// What the certificate is in the chain.
fn role_word(c: &CertAudit, role: Option<&Role>) -> &'static str {
    match role {
        Some(Role::Leaf) if c.info.ca => "CA",
        Some(Role::Leaf) => "leaf",
        Some(Role::Top) if c.info.self_signed => "root",
        Some(Role::Top) => "top CA",
        Some(Role::Intermediate) => "intermediate",
        Some(Role::Duplicate { .. }) => "duplicate",
        Some(Role::Extra { .. }) => "off the path",
        None if c.info.self_signed => "self-signed",
        None if c.info.ca => "CA",
        None => "",
    }
}

fn paint_status(style: &Style, status: Status, text: &str) -> String {
    match status {
        Status::Valid => text.to_string(),
        Status::ExpiringSoon => style.yellow(text),
        Status::Expired | Status::NotYetValid => style.red(text),
    }
}

fn verbose_cert(s: &mut String, c: &CertAudit, width: usize) {
    let i = &c.info;
    let mut line = |label: &str, value: &str| {
        for l in wrap(
            value,
            width,
            &format!("     {label:<9} "),
            "               ",
        ) {
            s.push_str(&l);
            s.push('\n');
        }
    };
    line("SHA-256", &hex_upper(&i.sha256));
    line("serial", &untrusted(&i.serial));
    line(
        "key",
        &format!(
            "{}, signed with {}",
            untrusted(&i.public_key),
            untrusted(&i.signature_algorithm)
        ),
    );
    line("subject", &untrusted(&i.subject.display));
    line("issuer", &untrusted(&i.issuer.display));
    let mut names: Vec<String> = i
        .dns_names
        .iter()
        .map(|n| untrusted(n).into_owned())
        .collect();
    names.extend(i.ip_addresses.iter().map(|ip| ip.to_string()));
    if !names.is_empty() {
        line("SANs", &names.join(", "));
    }
    line(
        "valid",
        &format!(
            "{} → {}",
            crate::x509::validity::rfc3339(i.not_before),
            crate::x509::validity::rfc3339(i.not_after)
        ),
    );
}

struct Report<'a> {
    audit: &'a InputAudit,
    style: &'a Style,
    /// `--host` as given.
    host: Option<&'a str>,
}

/// A name's last CN, `None` when it has none.
fn name_short(n: &crate::x509::Name) -> Option<&str> {
    n.attrs
        .iter()
        .rev()
        .find(|(k, v)| k == "CN" && !v.is_empty())
        .map(|(_, v)| v.as_str())
}

impl Report<'_> {
    fn cert(&self, i: usize) -> Option<&CertAudit> {
        self.audit.certs.get(i)
    }

    /// `#i name`.
    fn name(&self, i: usize) -> String {
        match self.cert(i) {
            Some(c) => format!("#{i} {}", cut(&untrusted(c.info.short_name()), 40)),
            None => format!("#{i}"),
        }
    }

    /// `text` with each served certificate named as chain analysis names it in
    /// messages (`'CN=…,O=…' (served #2)`) named the short way (`#2 name`), which
    /// the chain below lists in full. Only for chains of up to 64 certificates (the
    /// cost is certificates × message length).
    fn shorten(&self, text: &str) -> String {
        let mut s = text.to_string();
        if self.audit.certs.len() > 64 {
            return s;
        }
        for c in &self.audit.certs {
            let long = untrusted(&crate::chain::who(&c.info, c.info.index)).into_owned();
            if s.contains(&long) {
                s = s.replace(&long, &self.name(c.info.index));
            }
        }
        s
    }

    fn has(&self, code: Code) -> bool {
        self.audit.findings.iter().any(|f| f.code == code)
    }

    /// What is wrong, the confirmations, the thumbprint.
    fn verdict(&self, out: &mut (impl Write + ?Sized), extras: &Extras) -> io::Result<()> {
        let style = self.style;
        // Errors first, then warnings; "no certificate found" after its causes.
        let mut problems: Vec<&Finding> = self
            .audit
            .findings
            .iter()
            .filter(|f| f.severity() >= Severity::Warning)
            .collect();
        problems.sort_by_key(|f| (f.severity() != Severity::Error, f.code == Code::InputEmpty));
        for f in &problems {
            let (label, paint): (&str, fn(&Style, &str) -> String) = match f.severity() {
                Severity::Error => ("error: ", Style::red),
                _ => ("warning: ", Style::yellow),
            };
            para(out, style, &self.headline(f), label, "  ", |s| {
                paint(style, s)
            })?;
        }
        let Some(chain) = &self.audit.chain else {
            return Ok(());
        };
        if problems.is_empty() && !self.audit.certs.is_empty() {
            let n = self.audit.certs.len();
            let what = match n {
                1 if self.audit.certs.first().is_some_and(|c| c.info.ca) => {
                    "the certificate is valid; it is a CA certificate on its own, not a chain as a server sends it".to_string()
                }
                1 => "the certificate is valid".to_string(),
                2 => "chain in order, both certificates valid".to_string(),
                _ => format!("chain in order, all {n} certificates valid"),
            };
            writeln!(out, "{} {what}", style.green("ok:"))?;
        }
        self.confirmations(out, chain, extras)?;
        self.thumbprint(out, chain)?;
        // With --trust too: the AWS view is the public store's (`public_trust`).
        self.aws(out, extras)
    }

    /// How AWS uses the thumbprint for this host (the contract's "How AWS uses the
    /// thumbprint"), from the trust verdict; the `trust.untrusted` note is then not
    /// repeated.
    fn aws(&self, out: &mut (impl Write + ?Sized), extras: &Extras) -> io::Result<()> {
        use crate::advice::AwsCheck;
        let host = extras
            .host
            .as_deref()
            .or_else(|| extras.advice.as_ref().and_then(|a| a.host.as_deref()));
        let text = match crate::advice::aws_check(self.audit, host) {
            Some(AwsCheck::CaLibrary {
                verified: Some(store),
                ..
            }) => format!(
                "AWS most likely validates this host by its CA library ({}); the thumbprint list is only a fallback",
                untrusted(&store)
            ),
            Some(AwsCheck::NamedButUntrusted {
                host,
                provider,
                reason,
            }) => format!(
                "AWS validates {} ({provider}) by its CA library, but this chain does not reach a public root ({}): not what AWS sees",
                untrusted(&host),
                crate::advice::thumbprint_list_reason(self.audit, reason)
            ),
            Some(AwsCheck::Thumbprint { reason }) => format!(
                "AWS validates this host by the thumbprint list: {}",
                crate::advice::thumbprint_list_reason(self.audit, reason)
            ),
            _ => return Ok(()),
        };
        para(out, self.style, &text, "", "  ", str::to_string)
    }

    fn confirmations(
        &self,
        out: &mut (impl Write + ?Sized),
        chain: &ChainAnalysis,
        extras: &Extras,
    ) -> io::Result<()> {
        let mut oks = Vec::new();
        if let (Some(host), Some(leaf)) = (&extras.host, chain.leaf)
            && !self.has(Code::HostMismatch)
        {
            oks.push(format!(
                "--host {} is covered by the leaf, {}",
                untrusted(host),
                self.name(leaf)
            ));
        }
        if let (Some(trust), Some(&top)) = (&extras.trust, chain.path.last())
            && !self.has(Code::ChainIncomplete)
        {
            oks.push(format!(
                "the path reaches a root of --trust {} (top: {})",
                untrusted(trust),
                self.name(top)
            ));
        }
        for e in chain.expected.iter().filter(|e| e.matches == Match::Top) {
            oks.push(format!(
                "--expect-thumbprint {} matches the IAM thumbprint",
                e.value
            ));
        }
        let style = self.style;
        for text in oks {
            para(out, style, &text, "ok: ", "  ", |s| style.green(s))?;
        }
        Ok(())
    }

    fn thumbprint(&self, out: &mut (impl Write + ?Sized), chain: &ChainAnalysis) -> io::Result<()> {
        // (`withheld` below: the same rule as `certaudit thumbprint`.)
        let style = self.style;
        if let Some(line) = capture_incomplete_thumbprint(self.audit) {
            return para(out, style, &line, "", "  ", str::to_string);
        }
        let (Some(tp), Some(idx)) = (chain.thumbprint, chain.thumbprint_index) else {
            return Ok(());
        };
        // The value `certaudit thumbprint` withholds is not shown as the answer.
        let withheld = matches!(
            crate::check::withhold::decide(self.audit, self.host),
            Some(crate::check::withhold::Decision::Withhold { .. })
        );
        // The top's name only when it fits: its index finds it in the chain below.
        let top = if 16 + 40 + 3 + self.name(idx).chars().count() > style.width() {
            format!("#{idx}")
        } else {
            self.name(idx)
        };
        let text = if withheld {
            format!(
                "IAM thumbprint: none to register: the top of the path is {} itself, whose SHA-1 changes at every renewal",
                self.name(idx)
            )
        } else {
            format!("IAM thumbprint: {} ({top})", style.bold(&tp.to_string()))
        };
        para(out, style, &text, "", "  ", str::to_string)?;
        if let Some(note) = &chain.thumbprint_note
            && !self.has(Code::ChainOutOfOrder)
            && !self.has(Code::ChainExtraCertificate)
        {
            para(out, style, &untrusted(note), "  ", "  ", str::to_string)?;
        }
        if let (Some(last), Some(last_tp)) = (chain.served_last, chain.served_last_thumbprint)
            && Some(last_tp) != chain.thumbprint
        {
            let text = format!(
                "{} is served last: eksctl, Terraform and the IAM console would register {last_tp}",
                self.name(last)
            );
            para(out, style, &text, "  ", "  ", str::to_string)?;
        }
        for alt in &chain.alternative_thumbprints {
            if Some(*alt) == chain.served_last_thumbprint {
                // Just said: the served-last line names it.
                continue;
            }
            let form = self
                .audit
                .certs
                .iter()
                .find(|c| c.info.sha1 == alt.0)
                .map(|c| {
                    let kind = if c.info.self_signed {
                        "self-signed"
                    } else {
                        "cross-signed"
                    };
                    format!("#{}, {kind}", c.info.index)
                })
                .unwrap_or_else(|| "another certificate".to_string());
            para(
                out,
                style,
                &format!(
                    "the same CA in another served certificate ({form}): {alt} (IAM may need it too)"
                ),
                "  ",
                "  ",
                str::to_string,
            )?;
        }
        for e in chain.expected.iter().filter(|e| e.matches != Match::Top) {
            let what = match e.matches {
                Match::Top => "matches",
                Match::Leaf => "is the leaf's: it changes at the next renewal",
                Match::Intermediate => "is an intermediate's, not the top of the path",
                Match::Other => "is a served certificate off the leaf's path",
                Match::None => {
                    "matches nothing served (a TLS-intercepting proxy, or a private CA the server does not send?)"
                }
            };
            let at = e
                .index
                .map(|i| format!(" ({})", self.name(i)))
                .unwrap_or_default();
            para(
                out,
                style,
                &format!("expected {}{at} {what}", e.value),
                "  ",
                "  ",
                |s| style.red(s),
            )?;
        }
        Ok(())
    }

    /// The path in one line, with what its signatures say.
    fn path_line(&self, out: &mut (impl Write + ?Sized), chain: &ChainAnalysis) -> io::Result<()> {
        if chain.leaf.is_none() {
            return Ok(());
        }
        let path: Vec<String> = chain.path.iter().map(|i| format!("#{i}")).collect();
        let bad = chain
            .links
            .iter()
            .filter(|l| l.signature == Verdict::Invalid)
            .count();
        let unchecked: Vec<String> = chain
            .links
            .iter()
            .filter(|l| l.signature == Verdict::Unsupported)
            .map(|l| format!("#{}", l.child))
            .collect();
        let sigs = if chain.links.is_empty() {
            String::new()
        } else if bad > 0 {
            format!(
                "; {bad} signature{} do{} not verify",
                plural(bad),
                if bad == 1 { "es" } else { "" }
            )
        } else if unchecked.is_empty() {
            "; every signature verified".to_string()
        } else {
            format!(
                "; not checked (unsupported algorithm): {}",
                unchecked.join(", ")
            )
        };
        let text = format!("  path: {}{sigs}", path.join(" → "));
        para(out, self.style, &text, "", "        ", str::to_string)
    }

    /// One line saying what a finding is about (its full text: `--verbose`).
    fn headline(&self, f: &Finding) -> String {
        let chain = self.audit.chain.as_ref();
        let cert = f.certificate;
        let who = cert.map(|i| self.name(i)).unwrap_or_default();
        let c = cert.and_then(|i| self.cert(i));
        // The issuer whose link to this finding's certificate has `verdict`.
        let issuer_by = |verdict: Verdict| {
            chain.and_then(|ch| {
                ch.links
                    .iter()
                    .find(|l| Some(l.child) == cert && l.signature == verdict)
                    .map(|l| l.issuer)
            })
        };
        // The header line names the input: a message that starts with it says so
        // once.
        // once: "in.pem: x", "in.pem line 3: x" and "in.pem (block 2): x" become
        // "x", "line 3: x" and "block 2: x".
        let full = || {
            let m = f.message.as_str();
            let rest = m.strip_prefix(self.audit.source.as_str());
            let m = if let Some(t) = rest.and_then(|r| r.strip_prefix(": ")) {
                t.to_string()
            } else if let Some(t) = rest
                .and_then(|r| r.strip_prefix(' '))
                .filter(|t| t.starts_with("line "))
            {
                t.to_string()
            } else if let Some((n, t)) = rest
                .and_then(|r| r.strip_prefix(" (block "))
                .and_then(|r| r.split_once("): "))
            {
                format!("block {n}: {t}")
            } else {
                m.to_string()
            };
            self.shorten(&untrusted(&m))
        };
        match f.code {
            Code::ChainOutOfOrder => match chain {
                Some(ch) => {
                    let served: Vec<&str> = ch
                        .roles
                        .iter()
                        .zip(&self.audit.certs)
                        .filter_map(|(r, c)| match r {
                            Role::Leaf => Some("leaf"),
                            Role::Intermediate => Some("intermediate"),
                            Role::Top if c.info.self_signed => Some("root"),
                            Role::Top => Some("top CA"),
                            _ => None,
                        })
                        .collect();
                    let path: Vec<String> = ch.path.iter().map(|i| format!("#{i}")).collect();
                    format!(
                        "chain out of order: served {}; should be {}",
                        served.join(", "),
                        path.join(" → ")
                    )
                }
                None => full(),
            },
            Code::ChainDuplicate => match chain.and_then(|ch| cert.and_then(|i| ch.roles.get(i))) {
                Some(Role::Duplicate { of }) => {
                    format!("{who} is served twice: the same certificate as #{of}")
                }
                _ => format!("{who} is served more than once"),
            },
            Code::ChainExtraCertificate => {
                match chain.and_then(|ch| cert.and_then(|i| ch.roles.get(i))) {
                    Some(Role::Extra { why }) => {
                        format!(
                            "{who} is not on the leaf's path: {}",
                            self.shorten(&untrusted(why))
                        )
                    }
                    _ => format!("{who} is not on the leaf's path"),
                }
            }
            Code::ChainBadSignature => match (issuer_by(Verdict::Invalid), c) {
                (Some(j), _) => format!(
                    "the signature of {who} does not verify with the key of {}, its issuer by name",
                    self.name(j)
                ),
                (None, Some(c)) if c.info.self_issued => format!(
                    "{who} names itself as issuer, but its own key does not verify its signature"
                ),
                _ => full(),
            },
            Code::ChainUnverifiedLink => {
                let issuer = issuer_by(Verdict::Unsupported);
                let top = chain.and_then(|ch| ch.thumbprint_index) == cert;
                let i = cert.unwrap_or_default();
                match (issuer, top) {
                    (Some(j), true) => format!(
                        "the IAM thumbprint is #{i}'s because its signature by #{j} could not be checked (unsupported); it may be #{j}'s or above"
                    ),
                    (Some(j), false) => format!(
                        "the signature of #{i} by #{j} could not be checked (unsupported): the path turns elsewhere, so the IAM thumbprint may be another"
                    ),
                    _ => full(),
                }
            }
            Code::InputCaptureIncomplete => match &self.audit.capture {
                Some(cap) if cap.incomplete() => format!(
                    "the capture holds {} of the {} certificates the server sent: it was made without -showcerts",
                    cap.blocks_present,
                    cap.served_count.unwrap_or_default()
                ),
                _ => full(),
            },
            // After its causes (`verdict` sorts it last): they are the lines above.
            Code::InputEmpty
                if self
                    .audit
                    .findings
                    .iter()
                    .any(|o| o.code != Code::InputEmpty && o.severity() == Severity::Error) =>
            {
                "no certificate could be read: the errors above say why".to_string()
            }
            Code::ChainRootIncluded => {
                format!("{who} is a self-signed root, served (allowed)")
            }
            Code::ChainRootOmitted => match c.and_then(|c| name_short(&c.info.issuer)) {
                Some(issuer) => format!(
                    "{who} is issued by {}, which is not served (as RFC 5246 allows)",
                    cut(&untrusted(issuer), 40)
                ),
                None => format!("the root that issued {who} is not served (as RFC 5246 allows)"),
            },
            Code::ChainIncomplete => match c {
                Some(c) if c.info.self_signed && !c.info.ca => format!(
                    "{who} is self-signed and not a CA: its thumbprint changes whenever it is replaced"
                ),
                Some(c) if !c.info.ca => {
                    if issuer_by(Verdict::Invalid).is_some() {
                        format!(
                            "the CA certificate that issued {who} is not served: the one named as its issuer has another key"
                        )
                    } else {
                        format!("the server sends {who} without the CA certificate that issued it")
                    }
                }
                Some(_) => format!(
                    "{who}, the top of the path, is neither a trusted root nor issued by one"
                ),
                None => full(),
            },
            Code::ValidityExpired => match c {
                Some(c) => format!(
                    "{who} expired on {}, {} days ago",
                    date(c.info.not_after),
                    c.days_left.saturating_neg()
                ),
                None => full(),
            },
            Code::ValidityNotYetValid => match c {
                Some(c) => format!("{who} is not valid until {}", date(c.info.not_before)),
                None => full(),
            },
            Code::ValidityExpiringSoon => match c {
                Some(c) => format!(
                    "{who} expires on {}, in {} day{}",
                    date(c.info.not_after),
                    c.days_left,
                    if c.days_left == 1 { "" } else { "s" }
                ),
                None => full(),
            },
            Code::ThumbprintMismatch => {
                "no expected thumbprint is the IAM thumbprint (what each one is: below)".to_string()
            }
            Code::HostMismatch => match (&c, chain.and_then(|ch| ch.leaf)) {
                (_, Some(leaf)) => {
                    let names = self
                        .cert(leaf)
                        .map(|c| {
                            let mut n: Vec<String> = c
                                .info
                                .dns_names
                                .iter()
                                .map(|d| untrusted(d).into_owned())
                                .collect();
                            n.extend(c.info.ip_addresses.iter().map(|i| i.to_string()));
                            n
                        })
                        .unwrap_or_default();
                    let shown: Vec<&str> = names.iter().take(5).map(String::as_str).collect();
                    let more = names.len().saturating_sub(shown.len());
                    let list = if names.is_empty() {
                        "no DNS name or IP address".to_string()
                    } else if more > 0 {
                        format!("{} and {more} more", shown.join(", "))
                    } else {
                        shown.join(", ")
                    };
                    let host = self
                        .host
                        .map(|h| format!("--host {}", untrusted(h)))
                        .unwrap_or_else(|| "the host".to_string());
                    format!(
                        "{host} is not covered by the leaf, {} (it covers {list})",
                        self.name(leaf)
                    )
                }
                _ => full(),
            },
            Code::SignatureWeak => match c {
                Some(c) => format!(
                    "{who} is signed with a weak digest ({})",
                    untrusted(&c.info.signature_algorithm)
                ),
                None => full(),
            },
            _ => full(),
        }
    }
}

/// What `thumbprint` says on stderr without `--verbose`, in at most `max` lines:
/// a headline per error or warning, what the server's last certificate would give,
/// and the first command of the advice; the rest is left to `certaudit check`.
/// Nothing when there is nothing to say but the advice.
pub fn thumbprint_stderr(
    audit: &InputAudit,
    advice: &[String],
    style: &Style,
    max: usize,
) -> Vec<String> {
    let r = Report {
        audit,
        style,
        host: None,
    };
    let width = style.width();
    let mut lines = Vec::new();
    for f in audit
        .findings
        .iter()
        .filter(|f| f.severity() >= Severity::Warning)
    {
        let label = format!("{}[{}]: ", f.severity(), f.code);
        lines.extend(wrap(&r.headline(f), width, &label, "  "));
    }
    if let Some(ch) = &audit.chain
        && let (Some(last), Some(last_tp)) = (ch.served_last, ch.served_last_thumbprint)
        && ch.thumbprint.is_some()
        && Some(last_tp) != ch.thumbprint
    {
        let text = format!(
            "the server sends {} last; tools that hash it would register {last_tp}",
            r.name(last)
        );
        lines.extend(wrap(&text, width, "note: ", "  "));
    }
    let command = advice
        .iter()
        .flat_map(|item| item.lines())
        .find(|l| l.starts_with("  ") && !l.trim_start().starts_with('('))
        .map(|l| format!("next: {}", untrusted(l.trim())));
    let more = format!(
        "(the whole report: certaudit check {})",
        untrusted(&audit.source)
    );
    let tail: Vec<String> = command.into_iter().collect();
    let room = max.saturating_sub(tail.len());
    if lines.is_empty() {
        // Nothing wrong: the thumbprint on stdout is the whole answer (what the
        // advice adds, such as the value to register, is that thumbprint).
        return lines;
    }
    if lines.len() > room {
        lines.truncate(room.saturating_sub(1));
        lines.extend(tail);
        lines.push(more);
    } else if !advice.is_empty() && lines.len() + tail.len() < max {
        lines.extend(tail);
        lines.push(more);
    } else {
        lines.extend(tail);
    }
    lines
}

/// The thumbprint line of a capture made without `-showcerts` (issue 12): the value
/// is not known, none is shown as the IAM thumbprint.
fn capture_incomplete_thumbprint(audit: &InputAudit) -> Option<String> {
    audit.capture.as_ref().filter(|c| c.incomplete())?;
    Some(
        "IAM thumbprint, and whether AWS uses it: unknown until the chain is captured with -showcerts"
            .to_string(),
    )
}

/// The closing line over every input.
pub fn summary(
    out: &mut (impl Write + ?Sized),
    s: &super::Summary,
    style: &Style,
) -> io::Result<()> {
    if style.detail == Detail::Quiet {
        return Ok(());
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_findings_list_entry_names_its_severity_once() {
        let f = Finding::new(
            Code::ChainSearchLimited,
            "in.pem: a message long enough to be wrapped onto a second line at forty columns",
        );
        let mut out = Vec::new();
        finding(&mut out, &f, &Style::plain(40)).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("  warning: in.pem: a message"), "{text}");
        assert_eq!(text.matches("warning:").count(), 1, "{text}");
        assert!(
            text.lines().skip(1).all(|l| l.starts_with("    ")),
            "{text}"
        );
    }

    #[test]
    fn wrap_never_breaks_a_fingerprint() {
        let fp = "7C36F797575B4F9959650331CB55B5F070952E23";
        let text = format!("the IAM thumbprint is {fp}, the SHA-1 of the root");
        for width in [10, 20, 40, 45, 80] {
            let lines = wrap(&text, width, "  ", "  ");
            assert!(lines.iter().any(|l| l.contains(fp)), "{width}: {lines:?}");
        }
    }

    #[test]
    fn wrap_never_breaks_a_quoted_command() {
        let cmd = "`openssl s_client -servername HOST -showcerts -connect HOST:443 </dev/null`";
        let text = format!("capture again with -showcerts ({cmd}) and check it");
        let lines = wrap(&text, 40, "", "  ");
        assert!(lines.iter().any(|l| l.contains(cmd)), "{lines:?}");
    }

    #[test]
    fn long_commands_continue_at_options_and_paste_back_whole() {
        let cmd = "openssl s_client -servername www.example.test -showcerts -connect www.example.test:443 </dev/null > chain.txt";
        let lines = command_lines(cmd, 76);
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= 76), "{lines:?}");
        let back: Vec<&str> = lines
            .iter()
            .map(|l| l.trim().trim_end_matches('\\').trim())
            .collect();
        assert_eq!(back.join(" "), cmd);
        assert_eq!(command_lines("short one", 76), vec!["short one"]);
        // Nothing inside quotes is split.
        let q = "aws iam x --thumbprint-list 'A B C D E F G H I J K L M N O P Q R S T U V W X Y Z'";
        assert!(command_lines(q, 30).iter().any(|l| l.contains("'A B C D")));
    }

    #[test]
    fn wrap_keeps_rfc_numbers_lines_paths_and_options_together() {
        let text = "the root is not served (as RFC 5246 allows); order #2 → #1 → #0 at line 12 with --server nginx|apache";
        for width in [20, 30, 40] {
            let lines = wrap(text, width, "", "");
            let all = lines.join("\n");
            for unit in [
                "RFC 5246",
                "#2 → #1 → #0",
                "line 12",
                "--server nginx|apache",
            ] {
                assert!(
                    lines.iter().any(|l| l.contains(unit)),
                    "{width}: {unit}: {all}"
                );
            }
        }
    }

    #[test]
    fn untrusted_strings_lose_their_control_characters() {
        assert_eq!(untrusted("a\x1b[31mb\r"), "a\\x1b[31mb\\x0d");
        assert!(matches!(untrusted("plain"), Cow::Borrowed(_)));
    }
}
