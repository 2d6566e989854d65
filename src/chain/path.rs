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
use super::who;
use crate::der::hex::hex_upper;
use crate::findings::{Code, Finding};
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

/// `chain.unverified_link` (warning): the places where a signature that could not be
/// checked (`unsupported`: an algorithm or key size `verify` does not take, or a key
/// refused by the budget) decides the IAM thumbprint, which would otherwise change
/// without a word. Two places, one finding each:
///
/// - the path stops at a certificate that is not self-signed because every served
///   issuer of it is `unsupported`: the thumbprint is that certificate's, and would
///   be its issuer's (or a certificate's above it) if the signature is good;
/// - a certificate of the path has an `unsupported` link to a served certificate that
///   the path rule would have taken if it verified (the one served right after it,
///   else an earlier served one than the issuer taken): the path, and so the
///   thumbprint, may differ.
///
/// Leaf candidates that lose to the chosen leaf only for want of a checked signature
/// are not reported (README, "Where the contract was unclear").
pub(super) fn unverified_links(certs: &[CertInfo], g: &Graph, path: &[usize]) -> Vec<Finding> {
    let on_path: HashSet<usize> = path.iter().copied().collect();
    let mut out = Vec::new();
    for (k, &p) in path.iter().enumerate() {
        let Some(c) = certs.get(p) else { continue };
        let next = path.get(k.saturating_add(1)).copied();
        let preferred = g.next_served.get(p).copied().flatten();
        let would_take = |j: usize| match next {
            // The top: the path stopped here (a self-signed top stops anyway).
            None => !c.self_signed,
            Some(taken) => {
                taken != preferred.unwrap_or(usize::MAX) && (Some(j) == preferred || j < taken)
            }
        };
        let unverified: Vec<usize> = g
            .links_from(p)
            .filter(|l| l.signature == Verdict::Unsupported && !on_path.contains(&l.issuer))
            .map(|l| l.issuer)
            .filter(|&j| would_take(j))
            .collect();
        let Some(&j) = unverified.first() else {
            continue;
        };
        let Some(ic) = certs.get(j) else { continue };
        let why = if crate::verify::check_cost(&ic.spki_der).is_none() {
            format!(
                "the issuer's RSA key is over {} bits or its exponent over 2^32, which certaudit refuses to check",
                crate::verify::RSA_BITS.end()
            )
        } else {
            format!(
                "{} with a key of {} is not an algorithm certaudit checks",
                c.signature_algorithm, ic.public_key
            )
        };
        let others = match unverified.len() {
            1 => String::new(),
            n => format!(" (and {} more served certificates with that name)", n - 1),
        };
        let message = match next {
            None => format!(
                "the signature of {} by {}{others}, the served certificate its issuer name names, could not be checked: {why}. The path stops at #{p}, so the IAM thumbprint is #{p}'s SHA-1 ({}); if that signature is good, the top of the path, and the thumbprint, is #{j} or a certificate above it. Check that signature with another tool (openssl verify) before registering the thumbprint",
                who(c, p),
                who(ic, j),
                hex_upper(&c.sha1)
            ),
            Some(taken) => format!(
                "the signature of {} by {}{others} could not be checked: {why}. The path goes on through #{taken} instead, which it would not take if that signature were good, so the IAM thumbprint may be another. Check that signature with another tool (openssl verify) before registering the thumbprint",
                who(c, p),
                who(ic, j)
            ),
        };
        out.push(Finding::new(Code::ChainUnverifiedLink, message).cert(p));
    }
    out
}
