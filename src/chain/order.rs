//! The served list against the leaf's path (RFC 5246 §7.4.2): order, duplicates,
//! extras and bad signatures; the top of the path (root omitted or included,
//! incomplete, `--trust`); and the plan `certaudit fix` follows.

use super::graph::{Budget, Graph};
use super::{ChainAnalysis, Role, Verifier, quoted, who};
use crate::der::hex::hex_upper;
use crate::findings::{Code, Finding};
use crate::verify::Verdict;
use crate::x509::CertInfo;
use std::collections::HashMap;
use std::fmt;

/// At most this many served positions are spelled out in an order message.
const LIST_MAX: usize = 12;

pub(super) struct OrderResult {
    /// The served list is exactly the path.
    pub(super) served_is_path: bool,
    pub(super) roles: Vec<Role>,
    pub(super) findings: Vec<Finding>,
}

/// Roles, `chain.out_of_order`, `chain.duplicate` and `chain.extra_certificate`.
pub(super) fn analyse(certs: &[CertInfo], g: &Graph, path: &[usize]) -> OrderResult {
    let served_is_path = path.len() == certs.len() && path.iter().enumerate().all(|(k, &i)| k == i);
    let pos: HashMap<usize, usize> = path.iter().enumerate().map(|(k, &i)| (i, k)).collect();
    // (subject key, key) → the path certificate that is that CA.
    let mut same_ca: HashMap<(&str, &[u8]), usize> = HashMap::new();
    for &p in path {
        if let Some(c) = certs.get(p) {
            same_ca
                .entry((c.subject.key.as_str(), c.spki_der.as_slice()))
                .or_insert(p);
        }
    }
    let ctx = Ctx {
        certs,
        g,
        path,
        pos: &pos,
        same_ca: &same_ca,
    };

    let mut roles = Vec::with_capacity(certs.len());
    let mut findings = Vec::new();
    for (i, c) in certs.iter().enumerate() {
        let role = if let Some(&k) = pos.get(&i) {
            if k == 0 {
                Role::Leaf
            } else if k.saturating_add(1) == path.len() {
                Role::Top
            } else {
                Role::Intermediate
            }
        } else if let Some(&of) = g.canon.get(i).filter(|&&of| of != i) {
            findings.push(
                Finding::new(
                    Code::ChainDuplicate,
                    format!(
                        "{} is a duplicate of served #{of} (same SHA-256): RFC 5246 lists each certificate once",
                        who(c, i)
                    ),
                )
                .cert(i),
            );
            Role::Duplicate { of }
        } else if path.is_empty() {
            Role::Extra {
                why: "no leaf can be identified: every served certificate is named as the issuer of another"
                    .to_string(),
            }
        } else {
            let why = ctx.describe_extra(i, c);
            findings.push(
                Finding::new(
                    Code::ChainExtraCertificate,
                    format!("{} is not on the leaf's path: {why}", who(c, i)),
                )
                .cert(i),
            );
            Role::Extra { why }
        };
        roles.push(role);
    }
    if path.is_empty() && !certs.is_empty() {
        let distinct = (0..certs.len()).filter(|&i| g.is_first(i)).count();
        findings.push(Finding::new(
            Code::ChainExtraCertificate,
            format!(
                "no leaf can be identified: each of the {distinct} distinct served certificates is named as the issuer of another (a loop of cross-certificates, or several self-issued certificates with one name), so none can be placed on a path and there is no thumbprint"
            ),
        ));
    }
    findings.extend(out_of_order(certs, path, &roles));
    OrderResult {
        served_is_path,
        roles,
        findings,
    }
}

fn role_word(certs: &[CertInfo], i: usize, role: Option<&Role>) -> String {
    match role {
        Some(Role::Leaf) => "leaf".to_string(),
        Some(Role::Intermediate) => "intermediate".to_string(),
        Some(Role::Top) if certs.get(i).is_some_and(|c| c.self_signed) => "root".to_string(),
        Some(Role::Top) => "intermediate".to_string(),
        Some(Role::Duplicate { of }) => format!("duplicate of #{of}"),
        Some(Role::Extra { .. }) | None => "extra".to_string(),
    }
}

fn list<T: fmt::Display>(items: impl Iterator<Item = T>, sep: &str) -> String {
    let mut v: Vec<String> = items
        .take(LIST_MAX.saturating_add(1))
        .map(|t| t.to_string())
        .collect();
    if v.len() > LIST_MAX {
        v.truncate(LIST_MAX);
        v.push("…".to_string());
    }
    v.join(sep)
}

/// `chain.out_of_order`: the path's certificates, judged on their relative served
/// order, are not in path order; or the leaf is not served first.
fn out_of_order(certs: &[CertInfo], path: &[usize], roles: &[Role]) -> Option<Finding> {
    let &leaf = path.first()?;
    let relative_ok = path.iter().zip(path.iter().skip(1)).all(|(a, b)| a < b);
    let leaf_first = leaf == 0;
    if relative_ok && leaf_first {
        return None;
    }
    let name = |i: usize| certs.get(i).map(|c| who(c, i)).unwrap_or_default();
    let mut problems = Vec::new();
    if !leaf_first {
        problems.push(format!(
            "the server's own certificate {} must come first",
            name(leaf)
        ));
    }
    if !relative_ok {
        let mut sorted = path.to_vec();
        sorted.sort_unstable();
        let succ: HashMap<usize, usize> = sorted
            .iter()
            .zip(sorted.iter().skip(1))
            .map(|(&a, &b)| (a, b))
            .collect();
        if let Some((&a, &b)) = path
            .iter()
            .zip(path.iter().skip(1))
            .find(|&(a, b)| succ.get(a) != Some(b))
        {
            problems.push(format!("{} must come right after {}", name(b), name(a)));
        }
    }
    let served = list(0..certs.len(), ",");
    let words = list(
        (0..certs.len()).map(|i| role_word(certs, i, roles.get(i))),
        ", ",
    );
    let needed = list(
        path.iter().map(|&i| role_word(certs, i, roles.get(i))),
        ", ",
    );
    Some(Finding::new(
        Code::ChainOutOfOrder,
        format!(
            "served order {served} = {words}; RFC 5246 needs {needed}: {}",
            problems.join(", and ")
        ),
    ))
}

struct Ctx<'a> {
    certs: &'a [CertInfo],
    g: &'a Graph,
    path: &'a [usize],
    pos: &'a HashMap<usize, usize>,
    same_ca: &'a HashMap<(&'a str, &'a [u8]), usize>,
}

impl Ctx<'_> {
    fn name(&self, i: usize) -> String {
        self.certs.get(i).map(|c| who(c, i)).unwrap_or_default()
    }

    /// What an extra (first-occurrence, off-path) certificate is, for its finding
    /// and `certaudit fix`'s drop line.
    fn describe_extra(&self, i: usize, c: &CertInfo) -> String {
        let top = self.path.last().copied();
        let form = || {
            if c.self_signed {
                "the self-signed form".to_string()
            } else {
                format!("a cross-sign (issued by {})", quoted(&c.issuer.display))
            }
        };
        if let Some(&p) = self
            .same_ca
            .get(&(c.subject.key.as_str(), c.spki_der.as_slice()))
        {
            return if Some(p) == top {
                format!(
                    "{} of the top CA {} (same name and key, another certificate): its SHA-1 is an alternative thumbprint",
                    form(),
                    self.name(p)
                )
            } else {
                format!(
                    "{} of {}, which is on the path (same name and key, another certificate)",
                    form(),
                    self.name(p)
                )
            };
        }
        // Named as the issuer of a certificate on the path.
        if let Some(l) = self.g.links_to(i).find(|l| self.pos.contains_key(&l.child)) {
            let child = self.name(l.child);
            return match l.signature {
                Verdict::Valid => {
                    let taken = self
                        .pos
                        .get(&l.child)
                        .and_then(|&k| self.path.get(k.saturating_add(1)))
                        .map(|&t| {
                            format!(
                                "the path takes {} (served right after it, else first served)",
                                self.name(t)
                            )
                        })
                        .unwrap_or_else(|| "the path stops there".to_string());
                    format!("another certificate whose key verifies {child}, but {taken}")
                }
                Verdict::Invalid if c.self_signed => format!(
                    "a root named as the issuer of {child} whose key does not verify that certificate's signature (a root for another key, or an impostor)"
                ),
                Verdict::Invalid => format!(
                    "a certificate named as the issuer of {child} whose key does not verify that certificate's signature (an impostor, or the CA's certificate for another key)"
                ),
                Verdict::Unsupported => format!(
                    "a certificate named as the issuer of {child}, but that signature could not be checked (unsupported algorithm), so it is not on the verified path"
                ),
            };
        }
        // Issued by a certificate on the path.
        if let Some(l) = self
            .g
            .links_from(i)
            .find(|l| l.signature == Verdict::Valid && self.pos.contains_key(&l.issuer))
        {
            return if c.ca {
                format!(
                    "a CA certificate issued by {} that is not on the leaf's path (a sibling intermediate)",
                    self.name(l.issuer)
                )
            } else {
                format!("a second leaf, issued by {}", self.name(l.issuer))
            };
        }
        let issued_other = self.g.issued_other.get(i).copied().unwrap_or(false);
        if issued_other {
            let children: Vec<String> = self
                .g
                .links_to(i)
                .map(|l| self.name(l.child))
                .take(3)
                .collect();
            let named = if children.is_empty() {
                String::new()
            } else {
                format!(": {}", children.join(", "))
            };
            return format!(
                "a CA certificate that issued only certificates off the leaf's path (part of another chain){named}"
            );
        }
        if c.self_signed {
            let what = if c.ca { "root" } else { "certificate" };
            return format!("a self-signed {what} that issued nothing on the leaf's path");
        }
        if c.ca {
            return format!(
                "a CA certificate (issued by {}) that issued no served certificate",
                quoted(&c.issuer.display)
            );
        }
        format!(
            "an unrelated certificate: issued by {}, it neither issued nor was issued by any certificate on the leaf's path",
            quoted(&c.issuer.display)
        )
    }
}

/// `chain.bad_signature`: a certificate names an issuer present in the chain (itself,
/// when self-issued) and no such issuer's key verifies it. `Unsupported` is not bad,
/// and a certificate whose candidates were not all checked is not judged.
pub(super) fn bad_signatures(certs: &[CertInfo], g: &Graph) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, c) in certs.iter().enumerate() {
        if !g.is_first(i) || c.self_signed || g.unchecked(i) > 0 {
            continue;
        }
        let own = if c.self_issued {
            match g.self_verdict.get(i).copied().flatten() {
                Some(v) => Some(v),
                None => continue, // not checked
            }
        } else {
            None
        };
        let others: Vec<usize> = g.links_from(i).map(|l| l.issuer).collect();
        if others.is_empty() && own.is_none() {
            continue;
        }
        let all_invalid = g.links_from(i).all(|l| l.signature == Verdict::Invalid)
            && own.is_none_or(|v| v == Verdict::Invalid);
        if !all_invalid {
            continue;
        }
        let served = list(others.iter().map(|k| format!("#{k}")), ", ");
        let message = if c.self_issued {
            let also = if others.is_empty() {
                String::new()
            } else {
                format!(", nor does that of served {served} with the same name")
            };
            format!(
                "{}: subject equals issuer but its own key does not verify its signature{also} (an edited or corrupted certificate)",
                who(c, i)
            )
        } else {
            let (have, verb) = if others.len() == 1 {
                ("has", "its key does not")
            } else {
                ("have", "none of their keys does")
            };
            format!(
                "{} names {} as its issuer; served {served} {have} that name, but {verb} verify its signature (an impostor issuer, or the CA's certificate for another key)",
                who(c, i),
                quoted(&c.issuer.display)
            )
        };
        out.push(Finding::new(Code::ChainBadSignature, message).cert(i));
    }
    out
}

/// Why the path stops at `top` although `top` names an issuer.
fn why_stops(g: &Graph, top: usize) -> String {
    if let Some(Some(v)) = g.self_verdict.get(top) {
        // Self-issued but not self-signed: the name is its own.
        return match v {
            Verdict::Unsupported => {
                "is itself, but its own signature could not be checked (unsupported algorithm)"
                    .to_string()
            }
            _ => "is itself, but its own key does not verify its signature".to_string(),
        };
    }
    let mut invalid = None;
    let mut unsupported = None;
    for l in g.links_from(top) {
        match l.signature {
            Verdict::Invalid => invalid = invalid.or(Some(l.issuer)),
            Verdict::Unsupported => unsupported = unsupported.or(Some(l.issuer)),
            Verdict::Valid => {}
        }
    }
    if let Some(u) = unsupported {
        format!("is served (#{u}), but that signature could not be checked (unsupported algorithm)")
    } else if let Some(k) = invalid {
        format!("is served (#{k}), but with a key that does not verify it")
    } else if g.unchecked(top) > 0 {
        "was not checked (search limited)".to_string()
    } else {
        "was not served".to_string()
    }
}

/// The top is not self-signed and a served issuer of it is `unsupported`.
fn stopped_unverified(g: &Graph, top: usize) -> bool {
    g.links_from(top)
        .any(|l| l.signature == Verdict::Unsupported && l.issuer != top)
}

/// `chain.root_included`, `chain.root_omitted`, `chain.incomplete` (also `--trust`).
pub(super) fn top_findings(
    certs: &[CertInfo],
    g: &Graph,
    path: &[usize],
    trust: Option<&[CertInfo]>,
    verify: Verifier<'_>,
    budget: &mut Budget,
) -> Vec<Finding> {
    let (Some(&leaf), Some(&top)) = (path.first(), path.last()) else {
        return Vec::new();
    };
    let Some(tc) = certs.get(top) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // A v1 root has no basicConstraints, but verifying what it issued makes it a CA.
    let top_is_ca = tc.ca || (tc.self_signed && path.len() > 1);
    let tp = hex_upper(&tc.sha1);
    let mut incomplete = None;
    if tc.self_signed && top_is_ca {
        out.push(
            Finding::new(
                Code::ChainRootIncluded,
                format!(
                    "{}, the top of the leaf's path, is a self-signed root: RFC 5246 allows sending it, but the IAM thumbprint is then the root's, {tp}",
                    who(tc, top)
                ),
            )
            .cert(top),
        );
    } else if top_is_ca && stopped_unverified(g, top) {
        // Its issuer is served, but the signature could not be checked: not "the
        // root was not served"; chain.unverified_link says what it means.
    } else if top_is_ca {
        out.push(
            Finding::new(
                Code::ChainRootOmitted,
                format!(
                    "{}, the top of the leaf's path, is a CA whose issuer {} {}: RFC 5246 allows leaving the root out; the IAM thumbprint is this CA's, {tp}",
                    who(tc, top),
                    quoted(&tc.issuer.display),
                    why_stops(g, top)
                ),
            )
            .cert(top),
        );
    } else if tc.self_signed {
        incomplete = Some(format!(
            "{} is a self-signed certificate that is not a CA: no CA vouches for it, so clients must trust it directly",
            who(tc, top)
        ));
    } else if top == leaf {
        incomplete = Some(format!(
            "only the server's own certificate {} is on the path: its issuer {} {}; clients that do not already hold that CA cannot build a chain, and the thumbprint is the leaf's, which changes at every renewal",
            who(tc, top),
            quoted(&tc.issuer.display),
            why_stops(g, top)
        ));
    } else {
        incomplete = Some(format!(
            "the top of the leaf's path, {}, is not a CA certificate: its issuer {} {}",
            who(tc, top),
            quoted(&tc.issuer.display),
            why_stops(g, top)
        ));
    }
    if let Some(roots) = trust
        && let Some(msg) = untrusted(tc, top, roots, verify, budget)
    {
        incomplete = Some(match incomplete {
            Some(m) => format!("{m}; also, {msg}"),
            None => msg,
        });
    }
    if let Some(m) = incomplete {
        out.push(Finding::new(Code::ChainIncomplete, m).cert(top));
    }
    out
}

/// With `--trust`: why the top is neither a trusted root (same certificate, or same
/// name and key) nor issued by one (name match and a valid signature); `None` if it is.
fn untrusted(
    tc: &CertInfo,
    top: usize,
    roots: &[CertInfo],
    verify: Verifier<'_>,
    budget: &mut Budget,
) -> Option<String> {
    let same = |t: &CertInfo| {
        t.sha256 == tc.sha256 || (t.subject.key == tc.subject.key && t.spki_der == tc.spki_der)
    };
    if roots.iter().any(same) {
        return None;
    }
    let (mut named, mut unsupported, mut unchecked) = (0usize, false, false);
    if !tc.self_signed {
        for t in roots.iter().filter(|t| t.subject.key == tc.issuer.key) {
            named = named.saturating_add(1);
            match budget.verify(verify, tc, t) {
                Some(Verdict::Valid) => return None,
                Some(Verdict::Unsupported) => unsupported = true,
                Some(Verdict::Invalid) => {}
                None => unchecked = true,
            }
        }
    }
    let detail = if unchecked {
        " (not all checked: search limited)".to_string()
    } else if unsupported {
        format!(
            ": the signature by the trusted {} could not be checked (unsupported algorithm)",
            quoted(&tc.issuer.display)
        )
    } else if named > 0 {
        format!(
            ": the trusted {} has another key (a re-keyed root, or another CA with the same name)",
            quoted(&tc.issuer.display)
        )
    } else if tc.self_signed {
        ": it is a self-signed root missing from the trust bundle".to_string()
    } else {
        format!(": no trusted root is named {}", quoted(&tc.issuer.display))
    };
    Some(format!(
        "the top of the leaf's path, {}, is neither one of the {} --trust roots nor issued by one of them{detail}",
        who(tc, top),
        roots.len()
    ))
}

/// What `certaudit fix` writes (the leaf's path in RFC 5246 order) and says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FixPlan {
    /// Served indices to write, leaf first; empty when there is no leaf.
    pub path: Vec<usize>,
    /// Every move and drop, moves first (in path order), then drops (in served order).
    pub steps: Vec<FixStep>,
    /// `steps` as the lines `fix` prints on stderr.
    pub notes: Vec<String>,
}

/// One change between the served list and the fixed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FixStep {
    /// The certificate served at `index` goes to position `to`; reported only when
    /// its place among the path's certificates changes (a drop alone moves nothing).
    Moved {
        index: usize,
        subject: String,
        to: usize,
    },
    /// A copy of the certificate served at `of`.
    DroppedDuplicate { index: usize, of: usize },
    /// A certificate off the leaf's path.
    DroppedExtra {
        index: usize,
        subject: String,
        why: String,
    },
}

impl fmt::Display for FixStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FixStep::Moved { index, subject, to } => {
                write!(f, "moved {} from served #{index} to #{to}", quoted(subject))
            }
            FixStep::DroppedDuplicate { index, of } => {
                write!(f, "dropped duplicate of #{of} (served #{index})")
            }
            FixStep::DroppedExtra {
                index,
                subject,
                why,
            } => {
                write!(
                    f,
                    "dropped {} (served #{index}): not on the leaf's path: {why}",
                    quoted(subject)
                )
            }
        }
    }
}

/// The plan for `certaudit fix`. With no leaf the path is empty (the CLI exits 1).
pub fn fix_plan(certs: &[CertInfo], analysis: &ChainAnalysis) -> FixPlan {
    let path = analysis.path.clone();
    if path.is_empty() {
        return FixPlan::default();
    }
    let subject = |i: usize| {
        certs
            .get(i)
            .map(|c| c.subject.display.clone())
            .unwrap_or_default()
    };
    let mut steps = Vec::new();
    let mut sorted = path.clone();
    sorted.sort_unstable();
    for (k, &i) in path.iter().enumerate() {
        if sorted.get(k) != Some(&i) {
            steps.push(FixStep::Moved {
                index: i,
                subject: subject(i),
                to: k,
            });
        }
    }
    let on_path: std::collections::HashSet<usize> = path.iter().copied().collect();
    let canon = super::graph::first_occurrences(certs);
    for i in (0..certs.len()).filter(|i| !on_path.contains(i)) {
        let step = match analysis.roles.get(i) {
            Some(Role::Duplicate { of }) => FixStep::DroppedDuplicate { index: i, of: *of },
            Some(Role::Extra { why }) => FixStep::DroppedExtra {
                index: i,
                subject: subject(i),
                why: why.clone(),
            },
            // Roles missing (an analysis built elsewhere): fall back on SHA-256.
            _ => match canon.get(i).filter(|&&of| of != i) {
                Some(&of) => FixStep::DroppedDuplicate { index: i, of },
                None => FixStep::DroppedExtra {
                    index: i,
                    subject: subject(i),
                    why: "not on the leaf's path".to_string(),
                },
            },
        };
        steps.push(step);
    }
    let notes = steps.iter().map(ToString::to_string).collect();
    FixPlan { path, steps, notes }
}
