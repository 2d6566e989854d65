//! Stage 3: the certificates of one input, as served → chain analysis.
//!
//! Links (name match + signature), the leaf, its path, order / duplicate / extra
//! findings, the IAM thumbprint and its alternatives, `--expect-thumbprint`
//! classification, `--host` and `--trust`. Never reads the clock, never parses:
//! it sees only [`CertInfo`] values and a signature verifier.
//!
//! The work is split in four steps, one submodule each:
//!
//! - [`graph`]: which served certificate verifies as the issuer of which
//!   (RFC 5280 §7.1 name match, then one signature check per distinct pair, under a
//!   [`Limits`] budget so a hostile 10,000-certificate "chain" stays cheap);
//! - [`path`]: the leaf (contract "Precise meanings") and its path upward;
//! - [`order`]: RFC 5246 §7.4.2 order, duplicates, extras, bad signatures, the top
//!   of the path (root omitted / included / incomplete / `--trust`), and the
//!   [`fix_plan`] for `certaudit fix`;
//! - [`expect`]: the thumbprint, its alternatives and `--expect-thumbprint`.
//!
//! Decisions where the contract leaves room:
//!
//! - Duplicates (same SHA-256) are analysed once, as their first occurrence: links,
//!   the path and leaf candidates use first occurrences only; the copies are
//!   `chain.duplicate` and carry no links of their own.
//! - A certificate's path length (for choosing between several leaf candidates) is the
//!   length of the path the tie-break rule would actually report, so the chosen leaf's
//!   reported path is the longest among candidates.
//! - With no leaf (a loop of cross-certificates) one whole-input
//!   `chain.extra_certificate` error explains it: no served certificate can be placed.
//! - A `--expect-thumbprint` value equal to one of `alternative_thumbprints` (the same
//!   CA, same subject and key, in another served certificate) is classified `top`, with
//!   the index of that certificate, and is no `thumbprint.mismatch`: the contract calls
//!   those values ones IAM "may also need to accept".
//! - `signature.weak` is reported for every served certificate (first occurrences)
//!   that is not self-signed, on the path or not.

mod expect;
mod graph;
pub mod host;
mod order;
mod path;
#[cfg(test)]
mod tests;
pub mod thumbprint;

use crate::chain::thumbprint::Thumbprint;
use crate::findings::{self, Code, Finding};
use crate::verify::{self, Verdict};
use crate::x509::CertInfo;

pub use order::{FixPlan, FixStep, fix_plan};

/// What the user asked chain analysis to check besides the chain itself.
#[derive(Debug, Clone, Default)]
pub struct ChainOptions<'a> {
    /// `--expect-thumbprint` values, normalised.
    pub expect: Vec<Thumbprint>,
    /// `--host`.
    pub host: Option<String>,
    /// `--trust` roots, already parsed.
    pub trust: Option<&'a [CertInfo]>,
    /// `--trust`'s path, as given (`chain.trust.store` is `file:PATH`).
    pub trust_path: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Ok,
    Broken,
}

impl Order {
    pub const fn as_str(self) -> &'static str {
        match self {
            Order::Ok => "ok",
            Order::Broken => "broken",
        }
    }
}

/// How an `--expect-thumbprint` value relates to what was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The thumbprint (the top of the leaf's path), or an alternative thumbprint
    /// (another served certificate of the same CA: same subject and key).
    Top,
    /// The leaf's SHA-1: breaks at the next renewal.
    Leaf,
    /// A certificate on the path, neither the leaf nor the top.
    Intermediate,
    /// A served certificate off the leaf's path.
    Other,
    /// Nothing served has it.
    None,
}

impl Match {
    pub const fn as_str(self) -> &'static str {
        match self {
            Match::Top => "top",
            Match::Leaf => "leaf",
            Match::Intermediate => "intermediate",
            Match::Other => "other",
            Match::None => "none",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub value: Thumbprint,
    pub matches: Match,
    pub index: Option<usize>,
}

/// A served certificate `issuer` whose subject equals `child`'s issuer name, and
/// whether `issuer`'s key verifies `child`'s signature. Both are first occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub child: usize,
    pub issuer: usize,
    pub signature: Verdict,
}

/// What a served certificate is in the analysed chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    /// The first certificate of the path (also when it is the only one).
    Leaf,
    /// On the path, neither first nor last.
    Intermediate,
    /// The last certificate of a path longer than one: the thumbprint's certificate
    /// (a self-signed root or an intermediate CA).
    Top,
    /// The same certificate (same SHA-256) as the served certificate `of`.
    Duplicate { of: usize },
    /// Not on the leaf's path; `why` says what it is.
    Extra { why: String },
}

#[derive(Debug, Clone)]
pub struct ChainAnalysis {
    pub leaf: Option<usize>,
    pub path: Vec<usize>,
    pub order: Order,
    pub thumbprint: Option<Thumbprint>,
    pub thumbprint_index: Option<usize>,
    pub served_last: Option<usize>,
    pub served_last_thumbprint: Option<Thumbprint>,
    pub alternative_thumbprints: Vec<Thumbprint>,
    pub expected: Vec<Expected>,
    pub links: Vec<Link>,
    /// `chain.*`, `thumbprint.*`, `host.*`, `signature.*` findings, sorted.
    pub findings: Vec<Finding>,
    /// One role per served certificate, in served order.
    pub roles: Vec<Role>,
    /// Why `served_last_thumbprint` differs from `thumbprint`, when it does (also
    /// appended to the finding about the served-last certificate or the order).
    pub thumbprint_note: Option<String>,
    /// The work budget ran out (see `chain.search_limited`): links, path and findings
    /// may be incomplete.
    pub search_limited: bool,
}

/// The work budget of one analysis (webpki's `Budget`): hostile input may name the
/// same issuer thousands of times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Signature work (links, self-issued checks, `--trust` checks), in units of one
    /// RSA-2048 check (`signature::check_cost`).
    pub signature_checks: usize,
    /// Steps of path walking (candidate issuers looked at), over all leaf candidates.
    pub path_steps: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            signature_checks: 10_000,
            path_steps: 1_000_000,
        }
    }
}

/// The verifier chain analysis uses: `verify::verify_remembered` in production, a
/// fake in tests.
pub type Verifier<'v> = &'v dyn Fn(&CertInfo, &CertInfo) -> Verdict;

/// Analyses the certificates of one input in served order (`certs[i].index == i`).
pub fn analyse(certs: &[CertInfo], opts: &ChainOptions<'_>) -> ChainAnalysis {
    analyse_with(certs, opts, &verify::verify_remembered)
}

/// [`analyse`] with another signature verifier.
pub fn analyse_with(
    certs: &[CertInfo],
    opts: &ChainOptions<'_>,
    verify: Verifier<'_>,
) -> ChainAnalysis {
    analyse_limited(certs, opts, verify, Limits::default())
}

/// [`analyse_with`] with another work budget.
pub fn analyse_limited(
    certs: &[CertInfo],
    opts: &ChainOptions<'_>,
    verify: Verifier<'_>,
    limits: Limits,
) -> ChainAnalysis {
    let mut budget = graph::Budget::new(limits);
    let g = graph::build(certs, verify, &mut budget);
    let found = path::choose_leaf(certs, &g, &mut budget);
    let (leaf, path) = match found {
        Some((leaf, path)) => (Some(leaf), path),
        None => (None, Vec::new()),
    };

    let mut out = Vec::new();
    let ord = order::analyse(certs, &g, &path);
    out.extend(ord.findings);
    out.extend(order::bad_signatures(certs, &g));
    out.extend(path::unverified_links(certs, &g, &path));
    out.extend(order::top_findings(
        certs,
        &g,
        &path,
        opts.trust,
        verify,
        &mut budget,
    ));
    out.extend(weak_signature_findings_among(certs, &g.canon));
    if let (Some(host), Some(leaf_cert)) = (opts.host.as_deref(), leaf.and_then(|l| certs.get(l))) {
        out.extend(crate::chain::host::check(leaf_cert, host));
    }

    let top = path.last().copied();
    let thumbprint = top.and_then(|t| certs.get(t)).map(|c| Thumbprint(c.sha1));
    let served_last = certs.len().checked_sub(1);
    let served_last_thumbprint = certs.last().map(|c| Thumbprint(c.sha1));
    let alternatives = top
        .map(|t| expect::alternatives(certs, &g, t))
        .unwrap_or_default();
    let expected = expect::classify_all(certs, &g, &path, &alternatives, &opts.expect);
    if let Some(f) = expect::mismatch(certs, &path, &alternatives, &expected) {
        out.push(f);
    }

    let thumbprint_note = expect::note(certs, top, served_last);
    if let (Some(note), Some(last)) = (&thumbprint_note, served_last) {
        attach_note(&mut out, last, note);
    }

    let search_limited = budget.limited();
    if search_limited {
        out.push(Finding::new(
            Code::ChainSearchLimited,
            budget.describe(certs.len(), &g),
        ));
    }
    findings::sort(&mut out);

    ChainAnalysis {
        leaf,
        order: if ord.served_is_path {
            Order::Ok
        } else {
            Order::Broken
        },
        thumbprint,
        thumbprint_index: top,
        served_last,
        served_last_thumbprint,
        alternative_thumbprints: alternatives.iter().map(|&(_, t)| t).collect(),
        expected,
        links: g.links.clone(),
        findings: out,
        roles: ord.roles,
        thumbprint_note,
        search_limited,
        path,
    }
}

/// `signature.weak` for every served certificate but self-signed ones (a trust
/// anchor's own signature is never checked by clients). Reports each distinct
/// certificate once. Bundle mode may call this directly.
pub fn weak_signature_findings(certs: &[CertInfo]) -> Vec<Finding> {
    let canon = graph::first_occurrences(certs);
    weak_signature_findings_among(certs, &canon)
}

fn weak_signature_findings_among(certs: &[CertInfo], canon: &[usize]) -> Vec<Finding> {
    certs
        .iter()
        .enumerate()
        .filter(|&(i, c)| canon.get(i) == Some(&i) && c.weak_signature && !c.self_signed)
        .map(|(_, c)| {
            Finding::new(
                Code::SignatureWeak,
                format!(
                    "{} is signed with {}: SHA-1 and MD5 are no longer collision-resistant, and clients reject such signatures on any certificate but a trust anchor",
                    who(c, c.index),
                    c.signature_algorithm
                ),
            )
            .cert(c.index)
        })
        .collect()
}

/// Appends the thumbprint note to the finding that explains it: the one about the
/// served-last certificate (a duplicate or an extra), else `chain.out_of_order`.
fn attach_note(out: &mut [Finding], served_last: usize, note: &str) {
    let about_last = out.iter().position(|f| {
        f.certificate == Some(served_last)
            && matches!(f.code, Code::ChainDuplicate | Code::ChainExtraCertificate)
    });
    let target = about_last
        .or_else(|| out.iter().position(|f| f.code == Code::ChainOutOfOrder))
        .or_else(|| {
            out.iter()
                .position(|f| f.code == Code::ChainExtraCertificate && f.certificate.is_none())
        });
    if let Some(f) = target.and_then(|t| out.get_mut(t)) {
        f.message.push_str(". ");
        f.message.push_str(note);
    }
}

/// `'CN=x' (served #3)`: how messages name a served certificate.
pub(crate) fn who(c: &CertInfo, i: usize) -> String {
    format!("{} (served #{i})", quoted(&c.subject.display))
}

/// A name in quotes, or a placeholder for an empty one.
pub(crate) fn quoted(name: &str) -> String {
    if name.is_empty() {
        "(empty name)".to_string()
    } else {
        format!("'{name}'")
    }
}
