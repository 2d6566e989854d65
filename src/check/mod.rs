//! One input through every stage: blocks → certificates → validity → chain.
//!
//! This is the pipeline the commands, tests, benchmarks and fuzz targets share; it
//! does no I/O and never reads the clock.

pub mod withhold;

use crate::chain::{self, ChainAnalysis, ChainOptions};
use crate::findings::{self, Code, Finding};
use crate::input::{self, Format};
use crate::x509::validity::{self, Status};
use crate::x509::{self, CertInfo};
use chrono::{DateTime, Utc};
use std::net::IpAddr;

/// What the analysis of every input needs to know.
#[derive(Debug, Clone)]
pub struct Settings<'a> {
    pub at: DateTime<Utc>,
    pub warn_days: i64,
    /// `--bundle`: an unordered set, no chain analysis.
    pub bundle: bool,
    pub chain: ChainOptions<'a>,
    /// What reading the inputs needs (the password of `pkcs12` and `jks` inputs).
    pub input: input::Options,
}

/// One certificate with its validity against the evaluation time.
#[derive(Debug, Clone)]
pub struct CertAudit {
    pub info: CertInfo,
    pub status: Status,
    pub days_left: i64,
}

/// Everything known about one input.
#[derive(Debug, Clone)]
pub struct InputAudit {
    /// The path as given, or `-` for stdin.
    pub source: String,
    /// `None` when the input could not be read at all.
    pub format: Option<Format>,
    pub certs: Vec<CertAudit>,
    /// `None` with `--bundle` or when the input holds no certificate.
    pub chain: Option<ChainAnalysis>,
    /// Every finding about the input, sorted (`findings::sort`).
    pub findings: Vec<Finding>,
    /// What an `s_client` capture says about itself (`served_count`, `tls_version`).
    pub capture: Option<input::Capture>,
    /// `chain.trust`: path validation to the root store; `None` without a chain.
    pub trust: Option<crate::trust::Trust>,
    /// The same validation to the embedded public store whatever `--trust` says: the
    /// stand-in for AWS's CA library that the advice keys off ("How AWS uses the
    /// thumbprint"). Equal to `trust` without `--trust`; `None` without a chain.
    pub public_trust: Option<crate::trust::Trust>,
}

impl InputAudit {
    /// This input's totals (`findings::Summary` counts them).
    pub fn summary(&self) -> findings::Summary {
        let mut s = findings::Summary::default();
        s.input(self.certs.len(), &self.findings);
        s
    }

    /// An input whose bytes could not be read (exit 2).
    pub fn unreadable(source: &str, why: &str) -> InputAudit {
        InputAudit {
            source: source.to_string(),
            format: None,
            certs: Vec::new(),
            chain: None,
            findings: vec![Finding::new(
                Code::InputUnreadable,
                format!("{source}: cannot be read: {why}"),
            )],
            capture: None,
            trust: None,
            public_trust: None,
        }
    }
}

/// Stages 1 and 2: the certificates an input holds, with the `input.*` findings.
/// Blocks that fail to decode use no index.
pub fn certificates(source: &str, bytes: &[u8]) -> (Format, Vec<CertInfo>, Vec<Finding>) {
    let (format, certs, findings, _) =
        certificates_keeping(source, bytes, x509::Keep::All, &input::Options::default());
    (format, certs, findings)
}

/// [`certificates`], keeping `keep` of each certificate's bytes.
fn certificates_keeping(
    source: &str,
    bytes: &[u8],
    keep: x509::Keep,
    options: &input::Options,
) -> (Format, Vec<CertInfo>, Vec<Finding>, Option<input::Capture>) {
    let decoded = input::read_with(source, bytes, options);
    let capture = decoded.capture;
    let mut findings = decoded.findings;

    let certs = parse_blocks(source, decoded.blocks, 0, keep, &mut findings);
    if certs.is_empty() {
        let errors = findings
            .iter()
            .any(|f| f.code.severity() == findings::Severity::Error);
        findings.push(match decoded.format {
            Format::Json | Format::Kubernetes | Format::Pkcs12 | Format::Jks if !errors => {
                Finding::new(
                    Code::InputEmpty,
                    format!(
                        "{source}: no certificate found in this {} document",
                        decoded.format.as_str()
                    ),
                )
            }
            _ => no_certificate(source, errors),
        });
    }
    (decoded.format, certs, findings, capture)
}

/// `input.capture_incomplete`: the capture's `Certificate chain` header lists more
/// certificates than it holds (made without `-showcerts`).
pub fn capture_incomplete(
    source: &str,
    capture: &input::Capture,
    host: Option<&str>,
) -> Option<Finding> {
    let served = capture.served_count.filter(|_| capture.incomplete())?;
    let present = capture.blocks_present;
    let noun = |n: usize| {
        if n == 1 {
            "certificate"
        } else {
            "certificates"
        }
    };
    let command = capture_command(host.unwrap_or("HOST"));
    Some(Finding::new(
        Code::InputCaptureIncomplete,
        format!(
            "{source}: the server sent {served} {} (the capture's Certificate chain header \
             lists them) but the capture holds {present}: it was made without -showcerts, so \
             the chain is judged only as far as it was captured; capture again with -showcerts \
             (`{command}`)",
            noun(served),
        ),
    ))
}

/// What an `openssl s_client` command is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// Capture every certificate the server sends (`-showcerts`).
    Chain,
    /// Check that the server still accepts TLS 1.2 (`-tls1_2`): AWS falls back to
    /// the thumbprint list when a host requires TLS 1.3.
    Tls12,
}

/// The command that captures every certificate `host` sends on port 443 (the one
/// form, used by findings and advice alike):
/// `openssl s_client -servername H -showcerts -connect H:443 </dev/null`.
pub fn capture_command(host: &str) -> String {
    s_client_command(host, 443, Probe::Chain)
}

/// `openssl s_client -tls1_2 -servername H -connect H:443 </dev/null`: does `host`
/// still accept TLS 1.2?
pub fn tls12_command(host: &str) -> String {
    s_client_command(host, 443, Probe::Tls12)
}

/// The one builder of `openssl s_client` commands: `probe` for `host` on `port`.
/// No `-servername` for an IP address (RFC 6066 §3 forbids IP literals in SNI); an
/// IPv6 `[…]:PORT` is quoted, since `[` is a shell glob; a name with characters the
/// shell would read is quoted too.
pub fn s_client_command(host: &str, port: u16, probe: Probe) -> String {
    let flag = match probe {
        Probe::Chain => None,
        Probe::Tls12 => Some("-tls1_2"),
    };
    let showcerts = match probe {
        Probe::Chain => " -showcerts",
        Probe::Tls12 => "",
    };
    let lead = flag.map_or_else(
        || "openssl s_client".to_string(),
        |f| format!("openssl s_client {f}"),
    );
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(IpAddr::V6(ip)) => format!("{lead}{showcerts} -connect '[{ip}]:{port}' </dev/null"),
        Ok(IpAddr::V4(ip)) => format!("{lead}{showcerts} -connect {ip}:{port} </dev/null"),
        Err(_) => {
            let h = shell_quote(host);
            format!("{lead} -servername {h}{showcerts} -connect {h}:{port} </dev/null")
        }
    }
}

/// `s` as one shell word: as is when it is made of safe characters, else in
/// single quotes.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b))
    {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Units of self-signature work one input may spend (one unit: an RSA-2048 check,
/// [`crate::verify::check_cost`]): about half a second. The chain search has its own
/// budget of the same size.
pub const SELF_CHECK_UNITS: u64 = 10_000;

/// The same for one `--bundle` piece (128 KiB): a piece of 2,048 distinct
/// self-signed RSA-4096 roots would need 8,192 units; Mozilla's whole root store
/// costs about 600.
pub const PIECE_SELF_CHECK_UNITS: u64 = 4_096;

/// The budget of self-signature checks of one input or one `--bundle` piece: the
/// stage after parsing decides `self_signed` with it (parsing never verifies). Each
/// check is charged its cost, a certificate already checked in this scope nothing;
/// once the budget is spent, a self-issued certificate is left `self_signature_skipped`
/// (not self-signed, not judged) and [`SelfChecks::finding`] says how many.
/// Deterministic: what is charged depends only on the scope's certificates.
#[derive(Debug)]
pub struct SelfChecks {
    units: u64,
    /// What the budget is for, in the finding: "input" or "128 KiB piece".
    scope: &'static str,
    left: u64,
    checked: std::collections::HashSet<[u8; 32]>,
    skipped: usize,
}

impl SelfChecks {
    /// The budget of one whole input ([`SELF_CHECK_UNITS`]).
    pub fn input() -> Self {
        Self::new(SELF_CHECK_UNITS, "input")
    }

    /// The budget of one `--bundle` piece ([`PIECE_SELF_CHECK_UNITS`]).
    pub fn piece() -> Self {
        Self::new(PIECE_SELF_CHECK_UNITS, "128 KiB piece")
    }

    fn new(units: u64, scope: &'static str) -> Self {
        SelfChecks {
            units,
            scope,
            left: units,
            checked: std::collections::HashSet::new(),
            skipped: 0,
        }
    }

    /// Decides `info.self_signed`, within the budget.
    pub fn settle(&mut self, info: &mut CertInfo) {
        if !info.self_issued {
            return;
        }
        if !self.checked.contains(&info.sha256) {
            // A refused key (RSA over the limits) is refused without work.
            let cost = crate::verify::check_cost(&info.spki_der).unwrap_or(0);
            if cost > self.left {
                self.skipped = self.skipped.saturating_add(1);
                info.self_signature_skipped = true;
                return;
            }
            self.left -= cost;
            // At most one entry per unit spent: bounded by the budget.
            self.checked.insert(info.sha256);
        }
        crate::verify::settle_self_signed(info);
    }

    /// `chain.search_limited` when checks were skipped, for `source`.
    pub fn finding(&self, source: &str) -> Option<Finding> {
        let scope = self.scope;
        (self.skipped > 0).then(|| {
            Finding::new(
                Code::ChainSearchLimited,
                format!(
                    "{source}: {} self-issued certificate{} not checked for a self-signature: the budget of {} units of signature work per {scope} (one unit: an RSA-2048 check) was spent; {} not reported as self-signed",
                    self.skipped,
                    if self.skipped == 1 { " was" } else { "s were" },
                    self.units,
                    if self.skipped == 1 { "it is" } else { "they are" }
                ),
            )
        })
    }
}

/// Stage 2 for a run of blocks whose first certificate gets index `first_index`
/// (0 for a whole input; the count so far for a piece of a streamed one): the
/// certificates, keeping `keep` of their bytes, with their notes, header mismatches
/// and unreadable blocks added to `findings`.
pub fn parse_blocks(
    source: &str,
    blocks: Vec<input::Block>,
    first_index: usize,
    keep: x509::Keep,
    findings: &mut Vec<Finding>,
) -> Vec<CertInfo> {
    let mut certs: Vec<CertInfo> = Vec::with_capacity(blocks.len());
    let mut checks = SelfChecks::input();
    for block in blocks {
        let index = first_index + certs.len();
        certs.extend(parse_block(
            source,
            block,
            index,
            keep,
            &mut checks,
            findings,
        ));
    }
    findings.extend(checks.finding(source));
    certs
}

/// Stage 2 for one block whose certificate, if it is one, gets index `index`, its
/// self-signature checked within `checks`.
pub fn parse_block(
    source: &str,
    block: input::Block,
    index: usize,
    keep: x509::Keep,
    checks: &mut SelfChecks,
    findings: &mut Vec<Finding>,
) -> Option<CertInfo> {
    match x509::parse_owned(block.der, index, block.line, keep) {
        Ok(mut info) => {
            checks.settle(&mut info);
            info.origin = block.origin;
            for note in &info.notes {
                let mut f = Finding::new(
                    Code::InputNonconforming,
                    format!(
                        "{}: certificate #{index}{}: {note}",
                        source,
                        at_line(block.line)
                    ),
                )
                .cert(index);
                f.line = block.line;
                findings.push(f);
            }
            if let Some(header) = &block.header
                && let Some(f) = x509::check_header(&info, header)
            {
                findings.push(f);
            }
            Some(info)
        }
        Err(x509::BadCertificate(why)) => {
            let where_ = match (block.line, &block.origin) {
                (Some(line), _) => format!("{source} line {line}"),
                (None, Some(origin)) => format!("{source} {origin}"),
                (None, None) => format!("{source} (block {})", index + 1),
            };
            let mut f = Finding::new(
                Code::InputBadCertificate,
                format!("{where_}: not a DER X.509 certificate: {why}"),
            );
            f.line = block.line;
            findings.push(f);
            None
        }
    }
}

/// `input.empty`; `errors`: an error finding already explains why.
pub fn no_certificate(source: &str, errors: bool) -> Finding {
    Finding::new(
        Code::InputEmpty,
        format!("{source}: no certificate found{}", empty_hint(errors)),
    )
}

/// One certificate's validity at the evaluation time, and its `validity.*` finding.
pub fn assess(info: CertInfo, settings: &Settings<'_>) -> (CertAudit, Option<Finding>) {
    let status = validity::status(&info, settings.at, settings.warn_days);
    let days_left = validity::days_left(info.not_after, settings.at);
    let finding = validity::finding(&info, settings.at, settings.warn_days);
    let audit = CertAudit {
        info,
        status,
        days_left,
    };
    (audit, finding)
}

/// A finding about a certificate found inside a container names where: the JSON
/// Pointer, Secret key, alias or bag (`origin`).
pub fn name_origins(findings: &mut [Finding], certs: &[CertAudit]) {
    for f in findings {
        let origin = f
            .certificate
            .and_then(|i| certs.get(i))
            .and_then(|c| c.info.origin.as_deref());
        if let Some(origin) = origin
            && !f.message.contains(origin)
        {
            f.message.push_str(&format!(" [{origin}]"));
        }
    }
}

fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l})")).unwrap_or_default()
}

fn empty_hint(errors: bool) -> &'static str {
    if errors {
        " that could be read (this input's other errors say why)"
    } else {
        ": expected PEM blocks (-----BEGIN CERTIFICATE-----), DER, PKCS#7 or openssl s_client output"
    }
}

/// The whole pipeline for one input's bytes.
pub fn audit(source: &str, bytes: &[u8], settings: &Settings<'_>) -> InputAudit {
    // A bundle verifies no link: only the facts are kept (`x509::Keep::Facts`).
    let keep = if settings.bundle {
        x509::Keep::Facts
    } else {
        x509::Keep::All
    };
    let (format, infos, found, capture) =
        certificates_keeping(source, bytes, keep, &settings.input);
    let mut cap = findings::Cap::default();
    let mut findings = cap.filter(found);
    findings.extend(
        capture
            .as_ref()
            .and_then(|c| capture_incomplete(source, c, settings.chain.host.as_deref())),
    );
    findings.extend(cap.overflow(source));
    let mut chain = if settings.bundle || infos.is_empty() {
        None
    } else {
        Some(chain::analyse(&infos, &settings.chain))
    };
    if let (Some(analysis), true) = (
        chain.as_mut(),
        capture.as_ref().is_some_and(input::Capture::incomplete),
    ) {
        // What the capture left out is not the server's fault.
        analysis
            .findings
            .retain(|f| f.code != Code::ChainIncomplete);
    }
    if chain.is_none() {
        // Chain analysis reports weak signatures itself; a bundle still gets them.
        findings.extend(chain::weak_signature_findings(&infos));
    }
    let mut certs = Vec::with_capacity(infos.len());
    for info in infos {
        let (audit, finding) = assess(info, settings);
        findings.extend(finding);
        certs.push(audit);
    }
    if let Some(analysis) = &chain {
        findings.extend(analysis.findings.iter().cloned());
    }
    let leaf = chain.as_ref().and_then(|c| c.leaf);
    let trust = leaf.and_then(|leaf| validate_trust(&certs, leaf, settings.chain.trust, settings));
    let public_trust = match settings.chain.trust {
        None => trust.clone(),
        Some(_) => leaf.and_then(|leaf| validate_trust(&certs, leaf, None, settings)),
    };
    if let Some(t) = trust.as_ref().filter(|t| !t.trusted) {
        // A capture without -showcerts holds too little to say (its own finding says so).
        let captured = !findings
            .iter()
            .any(|f| f.code == Code::InputCaptureIncomplete);
        if settings.chain.trust.is_none() && captured {
            findings.push(untrusted_finding(t));
        }
    }
    name_origins(&mut findings, &certs);
    findings::sort(&mut findings);
    InputAudit {
        source: source.to_string(),
        format: Some(format),
        certs,
        chain,
        findings,
        capture,
        trust,
        public_trust,
    }
}

/// `trust.untrusted` (info): the chain does not validate to a root of the embedded
/// public store, so the provider's thumbprint list is what AWS checks.
fn untrusted_finding(t: &crate::trust::Trust) -> Finding {
    Finding::new(
        Code::TrustUntrusted,
        format!(
            "the chain does not validate to a root of the embedded public store ({}): {}{}; \
             AWS then checks the OIDC provider's thumbprint list, so the IAM thumbprint \
             must be registered",
            t.store,
            t.reason.unwrap_or("other"),
            t.detail
                .as_deref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default()
        ),
    )
}

/// `chain.trust` for the chain whose leaf is `leaf`: the other served certificates
/// are the intermediates, in any order; the roots are `roots` (`--trust`'s), else
/// Mozilla's.
fn validate_trust(
    certs: &[CertAudit],
    leaf: usize,
    roots: Option<&[CertInfo]>,
    settings: &Settings<'_>,
) -> Option<crate::trust::Trust> {
    use crate::trust::{self, Store};
    let leaf_der = certs.get(leaf)?.info.der.as_slice();
    if certs.len() > trust::MAX_SERVED {
        // The validator's path search multiplies with the served certificates; no
        // real server sends this many (budget, as for the chain analysis).
        return Some(trust::not_validated(
            roots.is_some(),
            settings.chain.trust_path.as_deref(),
            certs.len(),
        ));
    }
    let served: Vec<&[u8]> = certs
        .iter()
        .filter(|c| c.info.index != leaf)
        .map(|c| c.info.der.as_slice())
        .collect();
    let (store, roots): (Store, Vec<&[u8]>) = match roots {
        Some(roots) => (
            Store::File(settings.chain.trust_path.clone().unwrap_or_default()),
            roots.iter().map(|r| r.der.as_slice()).collect(),
        ),
        None => (
            Store::Mozilla,
            trust::mozilla_roots().iter().map(|r| r.as_ref()).collect(),
        ),
    };
    Some(trust::validate(
        leaf_der,
        &served,
        &roots,
        &store,
        settings.at.timestamp(),
        settings.chain.host.as_deref(),
    ))
}

#[cfg(test)]
mod self_check_tests {
    use super::*;

    fn roots() -> Vec<CertInfo> {
        let pem = include_bytes!("../../fixtures/hostile/dsa3072-self-signed.pem");
        let (_, certs, _) = certificates("dsa3072-self-signed.pem", pem);
        certs
    }

    #[test]
    fn self_signatures_are_checked_within_the_budget_and_the_rest_said() {
        let certs = roots();
        assert_eq!(certs.len(), 40);
        // DSA-3072: 507 units a check; 10,000 units check 19 of the 40.
        let checked = certs.iter().filter(|c| c.self_signed).count();
        let skipped = certs.iter().filter(|c| c.self_signature_skipped).count();
        assert_eq!((checked, skipped), (19, 21));
        // The first ones, in served order: deterministic.
        assert!(certs.iter().take(19).all(|c| c.self_signed));
        let pem = include_bytes!("../../fixtures/hostile/dsa3072-self-signed.pem");
        let (_, _, findings) = certificates("in.pem", pem);
        let f = findings
            .iter()
            .find(|f| f.message.contains("not checked for a self-signature"))
            .unwrap();
        assert_eq!(f.code, Code::ChainSearchLimited);
        assert!(
            f.message
                .starts_with("in.pem: 21 self-issued certificates were not checked")
        );
        // A certificate already checked in the scope costs nothing again.
        let cost = crate::verify::check_cost(&certs[0].spki_der).unwrap();
        assert_eq!(cost, 507);
        let mut checks = SelfChecks::new(cost, "input");
        for _ in 0..3 {
            let mut c = certs[0].clone();
            c.self_signed = false;
            checks.settle(&mut c);
            assert!(c.self_signed && !c.self_signature_skipped);
        }
        let mut other = certs[1].clone();
        other.self_signed = false;
        checks.settle(&mut other);
        assert!(!other.self_signed && other.self_signature_skipped);
        assert!(checks.finding("x").is_some());
        assert!(SelfChecks::piece().finding("x").is_none());
    }
}
