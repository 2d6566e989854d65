//! Stage 3: the certificates of one input, as served → chain analysis.
//!
//! Links (name match + signature), the leaf, its path, order / duplicate / extra
//! findings, the IAM thumbprint and its alternatives, `--expect-thumbprint`
//! classification, `--host` and `--trust`. Never reads the clock.

use crate::cert::CertInfo;
use crate::findings::Finding;
use crate::signature::Verdict;
use crate::thumbprint::Thumbprint;

/// What the user asked chain analysis to check besides the chain itself.
#[derive(Debug, Clone, Default)]
pub struct ChainOptions<'a> {
    /// `--expect-thumbprint` values, normalised.
    pub expect: Vec<Thumbprint>,
    /// `--host`.
    pub host: Option<String>,
    /// `--trust` roots, already parsed.
    pub trust: Option<&'a [CertInfo]>,
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
    Top,
    Leaf,
    Intermediate,
    Other,
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

/// A served certificate `issuer` whose subject equals `child`'s issuer name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub child: usize,
    pub issuer: usize,
    pub signature: Verdict,
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
    /// `chain.*`, `thumbprint.*`, `host.*`, `signature.*` findings.
    pub findings: Vec<Finding>,
}

/// Analyses the certificates of one input in served order (`certs[i].index == i`).
pub fn analyse(certs: &[CertInfo], opts: &ChainOptions<'_>) -> ChainAnalysis {
    let _ = opts;
    ChainAnalysis {
        leaf: None,
        path: Vec::new(),
        order: Order::Ok,
        thumbprint: None,
        thumbprint_index: None,
        served_last: certs.len().checked_sub(1),
        served_last_thumbprint: certs.last().map(|c| Thumbprint(c.sha1)),
        alternative_thumbprints: Vec::new(),
        expected: Vec::new(),
        links: Vec::new(),
        findings: Vec::new(),
    }
}
