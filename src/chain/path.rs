//! The leaf and its path (contract "Precise meanings").
//!
//! Leaf candidates are the first occurrences that issued no other served certificate,
//! by name alone, so an impostor intermediate (right name, wrong key) never becomes
//! the leaf. From a candidate, the path climbs only links whose signature is valid;
//! among several verifying issuers it takes the one served right after the current
//! certificate, else the first served. It never revisits a certificate (first
//! occurrences are distinct by SHA-256 too; RFC 4158 §5.2 loop prevention) and
//! stops at a self-signed certificate.

use super::graph::{Budget, Graph};
use crate::verify::Verdict;
use crate::x509::CertInfo;
use std::collections::HashSet;

/// The leaf and its path, or `None` when every served certificate issued another
/// (a loop of cross-certificates, or no certificate at all).
///
/// Among several candidates: the longest path, then a non-CA before a CA, then the
/// first served.
pub(super) fn choose_leaf(
    certs: &[CertInfo],
    g: &Graph,
    budget: &mut Budget,
) -> Option<(usize, Vec<usize>)> {
    let mut best: Option<(usize, Vec<usize>)> = None;
    for (i, c) in certs.iter().enumerate() {
        if !g.is_first(i) || g.issued_other.get(i).copied().unwrap_or(true) {
            continue;
        }
        let path = walk(certs, g, i, budget);
        let better = match &best {
            None => true,
            Some((b, bpath)) => {
                let b_ca = certs.get(*b).is_some_and(|bc| bc.ca);
                path.len() > bpath.len() || (path.len() == bpath.len() && b_ca && !c.ca)
            }
        };
        if better {
            best = Some((i, path));
        }
    }
    best
}

/// The path from `start` upward.
pub(super) fn walk(certs: &[CertInfo], g: &Graph, start: usize, budget: &mut Budget) -> Vec<usize> {
    let mut path = vec![start];
    let mut seen: HashSet<usize> = HashSet::from([start]);
    let mut current = start;
    loop {
        if certs.get(current).is_none_or(|c| c.self_signed) {
            break;
        }
        let Some(next) = next_issuer(g, current, &seen, budget) else {
            break;
        };
        seen.insert(next);
        path.push(next);
        current = next;
    }
    path
}

/// The verifying issuer the path takes after `current`: the one served right after
/// it, else the first served, skipping any already on the path.
fn next_issuer(
    g: &Graph,
    current: usize,
    seen: &HashSet<usize>,
    budget: &mut Budget,
) -> Option<usize> {
    let preferred = g.next_served.get(current).copied().flatten();
    let mut first = None;
    for link in g.links_from(current) {
        if let Some(f) = first {
            // Sorted by issuer: the preferred one can no longer come.
            if preferred.is_none_or(|p| p < link.issuer) {
                return Some(f);
            }
        }
        if !budget.step() {
            return None;
        }
        if link.signature != Verdict::Valid || seen.contains(&link.issuer) {
            continue;
        }
        if Some(link.issuer) == preferred {
            return Some(link.issuer);
        }
        // Links are sorted by issuer, so the first one kept is the first served.
        if first.is_none() {
            first = Some(link.issuer);
        }
    }
    first
}
