//! The IAM thumbprint's neighbours: alternative thumbprints (the same CA served in
//! another certificate), `--expect-thumbprint` classification and
//! `thumbprint.mismatch`, and the note explaining a served-last certificate that is
//! not the top of the leaf's path.

use super::graph::Graph;
use super::{Expected, Match, who};
use crate::chain::thumbprint::Thumbprint;
use crate::findings::{Code, Finding};
use crate::x509::CertInfo;
use std::collections::HashMap;

/// Other served certificates that are the same CA as `top` (same subject key and
/// same public key, another certificate: e.g. a root served both self-signed and
/// cross-signed), as (first served index, SHA-1), distinct, in served order.
pub(super) fn alternatives(certs: &[CertInfo], g: &Graph, top: usize) -> Vec<(usize, Thumbprint)> {
    let Some(tc) = certs.get(top) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, Thumbprint)> = Vec::new();
    for (i, c) in certs.iter().enumerate() {
        if i == top
            || !g.is_first(i)
            || c.sha1 == tc.sha1
            || c.subject.key != tc.subject.key
            || c.spki_der != tc.spki_der
            || out.iter().any(|(_, t)| t.0 == c.sha1)
        {
            continue;
        }
        out.push((i, Thumbprint(c.sha1)));
    }
    out
}

/// One [`Expected`] per `--expect-thumbprint` value.
pub(super) fn classify_all(
    certs: &[CertInfo],
    g: &Graph,
    path: &[usize],
    alternatives: &[(usize, Thumbprint)],
    values: &[Thumbprint],
) -> Vec<Expected> {
    if values.is_empty() {
        return Vec::new();
    }
    let mut by_sha1: HashMap<[u8; 20], usize> = HashMap::new();
    for (i, c) in certs.iter().enumerate() {
        by_sha1.entry(c.sha1).or_insert(i);
    }
    let top = path.last().copied();
    values
        .iter()
        .map(|&value| {
            let (matches, index) =
                if let Some(t) = top.filter(|&t| certs.get(t).is_some_and(|c| c.sha1 == value.0)) {
                    (Match::Top, Some(t))
                } else if let Some(&(i, _)) = alternatives.iter().find(|(_, t)| *t == value) {
                    (Match::Top, Some(i))
                } else {
                    match by_sha1
                        .get(&value.0)
                        .map(|&i| g.canon.get(i).copied().unwrap_or(i))
                    {
                        None => (Match::None, None),
                        Some(i) if path.first() == Some(&i) => (Match::Leaf, Some(i)),
                        Some(i) if path.contains(&i) => (Match::Intermediate, Some(i)),
                        Some(i) => (Match::Other, Some(i)),
                    }
                };
            Expected {
                value,
                matches,
                index,
            }
        })
        .collect()
}

/// `thumbprint.mismatch`: values were given and none is the thumbprint (or an
/// alternative thumbprint). Says what each value is and what to configure.
pub(super) fn mismatch(
    certs: &[CertInfo],
    path: &[usize],
    alternatives: &[(usize, Thumbprint)],
    expected: &[Expected],
) -> Option<Finding> {
    if expected.is_empty() || expected.iter().any(|e| e.matches == Match::Top) {
        return None;
    }
    let name = |i: usize| certs.get(i).map(|c| who(c, i)).unwrap_or_default();
    let top = path
        .last()
        .copied()
        .and_then(|t| certs.get(t).map(|c| (t, Thumbprint(c.sha1))));
    let head = match top {
        Some((t, tp)) => format!(
            "no --expect-thumbprint value equals the chain's thumbprint {tp} ({}, the top of the leaf's path)",
            name(t)
        ),
        None => "no --expect-thumbprint value can match: no leaf could be identified, so the chain has no thumbprint".to_string(),
    };
    let each: Vec<String> = expected
        .iter()
        .map(|e| {
            let at = e.index.map(name).unwrap_or_default();
            match e.matches {
                Match::Leaf => format!("{} is the SHA-1 of the leaf {at}, which changes at every renewal", e.value),
                Match::Intermediate => format!("{} is the SHA-1 of {at}, an intermediate below the top of the path", e.value),
                Match::Other => format!("{} is the SHA-1 of {at}, which is served but not on the leaf's path", e.value),
                Match::None => format!(
                    "{} matches no served certificate (usually computed behind a TLS-intercepting proxy, or from a private CA the server does not send)",
                    e.value
                ),
                Match::Top => format!("{} is the SHA-1 of the top {at}", e.value),
            }
        })
        .collect();
    let configure = match top {
        Some((_, tp)) => {
            let alts: Vec<String> = alternatives.iter().map(|(_, t)| t.to_string()).collect();
            if alts.is_empty() {
                format!(". Configure {tp} instead")
            } else {
                format!(
                    ". Configure {tp} instead (and {}, the same CA in another served certificate)",
                    alts.join(", ")
                )
            }
        }
        None => String::new(),
    };
    Some(Finding::new(
        Code::ThumbprintMismatch,
        format!("{head}: {}{configure}", each.join("; ")),
    ))
}

/// Why the served-last certificate's SHA-1 is not the thumbprint, when it is not.
pub(super) fn note(
    certs: &[CertInfo],
    top: Option<usize>,
    served_last: Option<usize>,
) -> Option<String> {
    let last = served_last?;
    let lc = certs.get(last)?;
    let last_tp = Thumbprint(lc.sha1);
    match top.and_then(|t| certs.get(t).map(|c| (t, c))) {
        Some((_, tc)) if tc.sha1 == lc.sha1 => None,
        Some((t, tc)) => Some(format!(
            "The server sends {} last, which is not the top of the leaf's path ({}): tools that hash the last certificate (eksctl, Terraform tls_certificate, the IAM console) would register {last_tp} instead of {}",
            who(lc, last),
            who(tc, t),
            Thumbprint(tc.sha1)
        )),
        None => Some(format!(
            "No leaf could be identified, so there is no thumbprint; tools that hash the last certificate (eksctl, Terraform tls_certificate, the IAM console) would still register {last_tp}, the SHA-1 of {}",
            who(lc, last)
        )),
    }
}
