//! Links between served certificates: who names whom as issuer (RFC 5280 §7.1 name
//! keys), and whose key verifies whose signature.
//!
//! Link discovery is near-linear: a map from subject key to certificates gives each
//! certificate its issuer candidates, and each distinct (child, issuer) pair of first
//! occurrences is verified once. Signature checks are counted against a [`Budget`]
//! (webpki's `Budget::consume_signature`); once spent, no more pairs are looked at.

use super::{Limits, Link, Verifier};
use crate::verify::Verdict;
use crate::x509::CertInfo;
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// What is left of the work budget, and what was skipped for want of it.
#[derive(Debug)]
pub(super) struct Budget {
    limits: Limits,
    checks_used: usize,
    steps_used: usize,
    /// Issuer candidates (or `--trust` checks) never verified.
    pub(super) skipped_checks: usize,
    /// Checks refused outright: the issuer's RSA key is over `signature::RSA_BITS`
    /// or its exponent over `signature::RSA_MAX_EXPONENT`.
    pub(super) refused_checks: usize,
    pub(super) steps_exhausted: bool,
}

impl Budget {
    pub(super) fn new(limits: Limits) -> Self {
        Budget {
            limits,
            checks_used: 0,
            steps_used: 0,
            skipped_checks: 0,
            refused_checks: 0,
            steps_exhausted: false,
        }
    }

    fn checks_left(&self) -> usize {
        self.limits
            .signature_checks
            .saturating_sub(self.checks_used)
    }

    /// One signature check, or `None` (counted as skipped) when the budget is spent.
    /// A check is charged by its cost (`signature::check_cost`: an RSA-8192 check
    /// costs 16 RSA-2048 ones); a key over the RSA limits is refused (`Unsupported`,
    /// counted, reported in `chain.search_limited`) without any work.
    pub(super) fn verify(
        &mut self,
        verify: Verifier<'_>,
        child: &CertInfo,
        issuer: &CertInfo,
    ) -> Option<Verdict> {
        if self.checks_left() == 0 {
            self.skipped_checks = self.skipped_checks.saturating_add(1);
            return None;
        }
        let Some(cost) = crate::verify::check_cost(&issuer.spki_der) else {
            self.refused_checks = self.refused_checks.saturating_add(1);
            return Some(Verdict::Unsupported);
        };
        let cost = usize::try_from(cost).unwrap_or(usize::MAX);
        self.checks_used = self.checks_used.saturating_add(cost);
        Some(verify(child, issuer))
    }

    /// One step of path walking; `false` once the step budget is spent.
    pub(super) fn step(&mut self) -> bool {
        if self.steps_used >= self.limits.path_steps {
            self.steps_exhausted = true;
            return false;
        }
        self.steps_used = self.steps_used.saturating_add(1);
        true
    }

    pub(super) fn limited(&self) -> bool {
        self.skipped_checks > 0 || self.steps_exhausted || self.refused_checks > 0
    }

    /// The `chain.search_limited` message.
    pub(super) fn describe(&self, served: usize, g: &Graph) -> String {
        let distinct = g.canon.iter().enumerate().filter(|&(i, &c)| i == c).count();
        let mut parts = Vec::new();
        if self.refused_checks > 0 && self.skipped_checks == 0 && !self.steps_exhausted {
            return format!(
                "{} signature check{} refused: the issuer's RSA key is over {} bits or its public exponent over 2^32, which no CA issues and which would make the check slow; those links are reported as not checked",
                self.refused_checks,
                if self.refused_checks == 1 {
                    " was"
                } else {
                    "s were"
                },
                crate::verify::RSA_BITS.end()
            );
        }
        if self.refused_checks > 0 {
            parts.push(format!(
                "refused {} checks with RSA keys over {} bits or exponents over 2^32",
                self.refused_checks,
                crate::verify::RSA_BITS.end()
            ));
        }
        if self.skipped_checks > 0 {
            parts.push(format!(
                "stopped after {} units of signature work (one unit: an RSA-2048 check), leaving {} issuer candidates unchecked",
                self.checks_used, self.skipped_checks
            ));
        }
        if self.steps_exhausted {
            parts.push(format!(
                "stopped path search after {} steps",
                self.steps_used
            ));
        }
        format!(
            "{} among {served} served certificates ({distinct} distinct): far more certificates share issuer names than any real chain needs, so links, the path and the findings may be incomplete",
            parts.join(" and ")
        )
    }
}

/// The link graph over first occurrences.
#[derive(Debug, Default)]
pub(super) struct Graph {
    /// `canon[i]`: the first served position with the same SHA-256 as `i`.
    pub(super) canon: Vec<usize>,
    /// Every checked link, sorted by (child, issuer).
    pub(super) links: Vec<Link>,
    /// Per certificate: positions in `links` where it is the child (issuer ascending).
    pub(super) from_child: Vec<Vec<usize>>,
    /// Per certificate: positions in `links` where it is the issuer.
    pub(super) to_issuer: Vec<Vec<usize>>,
    /// Per certificate: issuer candidates left unchecked for want of budget.
    pub(super) unchecked: Vec<usize>,
    /// Per self-issued, not self-signed certificate: does its own key verify it?
    pub(super) self_verdict: Vec<Option<Verdict>>,
    /// Per first occurrence: it issued another served certificate, by name alone
    /// (the contract's leaf rule: "whatever the signature").
    pub(super) issued_other: Vec<bool>,
    /// Per first occurrence: the first occurrence served right after it (skipping
    /// copies of itself): the preferred issuer when several verify.
    pub(super) next_served: Vec<Option<usize>>,
}

impl Graph {
    pub(super) fn is_first(&self, i: usize) -> bool {
        self.canon.get(i) == Some(&i)
    }

    pub(super) fn links_from(&self, child: usize) -> impl Iterator<Item = Link> + '_ {
        self.from_child
            .get(child)
            .into_iter()
            .flatten()
            .filter_map(|&l| self.links.get(l).copied())
    }

    pub(super) fn links_to(&self, issuer: usize) -> impl Iterator<Item = Link> + '_ {
        self.to_issuer
            .get(issuer)
            .into_iter()
            .flatten()
            .filter_map(|&l| self.links.get(l).copied())
    }

    pub(super) fn unchecked(&self, i: usize) -> usize {
        self.unchecked.get(i).copied().unwrap_or(0)
    }
}

/// `canon[i]`: the first served position holding the same certificate (SHA-256).
pub(super) fn first_occurrences(certs: &[CertInfo]) -> Vec<usize> {
    let mut first: HashMap<[u8; 32], usize> = HashMap::with_capacity(certs.len());
    certs
        .iter()
        .enumerate()
        .map(|(i, c)| *first.entry(c.sha256).or_insert(i))
        .collect()
}

/// Who the certificates naming one issuer are, as far as the leaf rule cares.
enum Children {
    /// Exactly one distinct certificate names this issuer.
    One([u8; 32]),
    /// Two or more distinct certificates do.
    Many,
}

pub(super) fn build(certs: &[CertInfo], verify: Verifier<'_>, budget: &mut Budget) -> Graph {
    let n = certs.len();
    let canon = first_occurrences(certs);
    let is_first = |i: usize| canon.get(i) == Some(&i);

    // Subject key → first occurrences with that subject, in served order.
    let mut by_subject: HashMap<&str, Vec<usize>> = HashMap::new();
    // Issuer key → who names it (for "issued another", by name only).
    let mut children: HashMap<&str, Children> = HashMap::new();
    for (i, c) in certs.iter().enumerate().filter(|&(i, _)| is_first(i)) {
        by_subject
            .entry(c.subject.key.as_str())
            .or_default()
            .push(i);
        match children.entry(c.issuer.key.as_str()) {
            Entry::Vacant(v) => {
                v.insert(Children::One(c.sha256));
            }
            Entry::Occupied(mut o) => {
                // First occurrences are distinct certificates.
                o.insert(Children::Many);
            }
        }
    }
    let issued_other: Vec<bool> = certs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            is_first(i)
                && match children.get(c.subject.key.as_str()) {
                    None => false,
                    Some(Children::Many) => true,
                    // The only certificate naming it is itself (self-issued): not "another".
                    Some(Children::One(sha)) => *sha != c.sha256,
                }
        })
        .collect();

    let next_served: Vec<Option<usize>> = (0..n)
        .map(|i| {
            if !is_first(i) {
                return None;
            }
            canon
                .iter()
                .skip(i.saturating_add(1))
                .find(|&&c| c != i)
                .copied()
        })
        .collect();

    let mut links = Vec::new();
    let mut unchecked = vec![0usize; n];
    let mut self_verdict = vec![None; n];
    for (i, child) in certs.iter().enumerate().filter(|&(i, _)| is_first(i)) {
        let Some(named) = by_subject.get(child.issuer.key.as_str()) else {
            continue;
        };
        // A self-issued certificate is among its own candidates; it links to itself
        // only through `self_signed`, never as a link.
        let count = named.len().saturating_sub(usize::from(named.contains(&i)));
        if count == 0 {
            continue;
        }
        if budget.checks_left() == 0 {
            budget.skipped_checks = budget.skipped_checks.saturating_add(count);
            if let Some(u) = unchecked.get_mut(i) {
                *u = count;
            }
            continue;
        }
        // Likeliest first, so a budget cut keeps the useful links: the certificate
        // served right after, then those whose SKI matches the child's AKI. AKI/SKI
        // only order the candidates; the signature decides.
        let preferred = next_served.get(i).copied().flatten();
        let mut candidates: Vec<usize> = named.iter().copied().filter(|&j| j != i).collect();
        candidates.sort_by_key(|&j| {
            let key_ids_differ = match (
                &child.authority_key_id,
                certs.get(j).and_then(|c| c.subject_key_id.as_ref()),
            ) {
                (Some(aki), Some(ski)) => aki != ski,
                _ => false,
            };
            (Some(j) != preferred, key_ids_differ, j)
        });
        for (done, &j) in candidates.iter().enumerate() {
            let Some(issuer) = certs.get(j) else { continue };
            match budget.verify(verify, child, issuer) {
                Some(signature) => links.push(Link {
                    child: i,
                    issuer: j,
                    signature,
                }),
                None => {
                    let left = candidates.len().saturating_sub(done);
                    // `verify` counted this one already.
                    budget.skipped_checks =
                        budget.skipped_checks.saturating_add(left.saturating_sub(1));
                    if let Some(u) = unchecked.get_mut(i) {
                        *u = left;
                    }
                    break;
                }
            }
        }
    }
    // A self-issued certificate that is not self-signed: an edited paste, or a key
    // rollover certificate signed by another key. Its own verdict tells which.
    for (i, c) in certs.iter().enumerate().filter(|&(i, _)| is_first(i)) {
        if c.self_issued
            && !c.self_signed
            && !c.self_signature_skipped
            && let Some(slot) = self_verdict.get_mut(i)
        {
            *slot = budget.verify(verify, c, c);
        }
    }

    links.sort_by_key(|l| (l.child, l.issuer));
    let mut from_child = vec![Vec::new(); n];
    let mut to_issuer = vec![Vec::new(); n];
    for (k, l) in links.iter().enumerate() {
        if let Some(v) = from_child.get_mut(l.child) {
            v.push(k);
        }
        if let Some(v) = to_issuer.get_mut(l.issuer) {
            v.push(k);
        }
    }
    Graph {
        canon,
        links,
        from_child,
        to_issuer,
        unchecked,
        self_verdict,
        issued_other,
        next_served,
    }
}
