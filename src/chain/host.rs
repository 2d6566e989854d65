//! `--host`: does the leaf cover a DNS name or IP address (RFC 6125 §6.4)?
//!
//! Knows only a [`CertInfo`]'s subjectAltName (and CN, to explain a mismatch). The
//! rules, strictest common practice where RFC 6125 leaves room:
//!
//! - DNS names compare as ASCII, case-insensitively, ignoring one trailing dot
//!   (§6.4.1). Internationalised names are compared in their `xn--` A-label form;
//!   no IDNA conversion is done, so give `--host` as an A-label.
//! - A wildcard is a whole left-most `*` label only (`*.example.com`), matching
//!   exactly one non-empty label: not `a.b.example.com`, not `example.com`.
//!   Partial-label wildcards (`f*.example.com`, `*x.example.com`), which §6.4.3
//!   allows but the CA/Browser Forum Baseline Requirements forbid and browsers
//!   reject, never match; nor does a `*` anywhere else.
//! - A wildcard needs at least two labels after it: `*.com` never matches. Without
//!   a public suffix list (certaudit is offline) `*.co.uk` is not refused.
//! - An IP literal host (IPv4, IPv6, `[v6]`) matches iPAddress entries only, never
//!   a dNSName (§6.2.1 keeps IP-IDs apart).
//! - No fallback to the subject CN, even when the certificate has no
//!   subjectAltName: RFC 6125 §6.4.4 permits it only as a legacy, and Go (1.15+),
//!   Chrome (58+) and the CA/B Forum ignore the CN. The mismatch message says when
//!   the CN alone would have matched.

use crate::findings::{Code, Finding};
use crate::x509::CertInfo;
use std::net::IpAddr;

/// At most this many names are listed in a `host.mismatch` message.
const NAMES_MAX: usize = 20;

/// Whether `cert`'s subjectAltName covers `host` (see the module rules).
pub fn covers(cert: &CertInfo, host: &str) -> bool {
    match parse_ip(host) {
        Some(ip) => cert.ip_addresses.contains(&ip),
        None => cert
            .dns_names
            .iter()
            .any(|pattern| dns_matches(pattern, host)),
    }
}

/// `host.mismatch` when `leaf` does not cover `host`, naming what it covers.
pub fn check(leaf: &CertInfo, host: &str) -> Option<Finding> {
    if covers(leaf, host) {
        return None;
    }
    let shown = host.trim();
    let names: Vec<String> = leaf
        .dns_names
        .iter()
        .cloned()
        .chain(leaf.ip_addresses.iter().map(ToString::to_string))
        .collect();
    let mut message = format!(
        "the leaf '{}' does not cover '{shown}': ",
        leaf.subject.display
    );
    if names.is_empty() {
        message.push_str("it has no subjectAltName, and clients no longer read the subject CN (RFC 6125 §6.4.4, CA/Browser Forum)");
        let cn_matches = common_names(leaf).any(|cn| dns_matches(cn, host));
        if cn_matches {
            message.push_str("; its CN would match under that legacy fallback only");
        }
    } else {
        let listed: Vec<&str> = names.iter().take(NAMES_MAX).map(String::as_str).collect();
        let more = names.len().saturating_sub(NAMES_MAX);
        message.push_str("it covers ");
        message.push_str(&listed.join(", "));
        if more > 0 {
            message.push_str(&format!(" and {more} more"));
        }
        if parse_ip(host).is_some() && !leaf.dns_names.is_empty() && leaf.ip_addresses.is_empty() {
            message.push_str(" (an IP address matches only iPAddress entries, never a DNS name)");
        } else if names.iter().any(|n| n.contains('*')) {
            message.push_str(" (a wildcard covers exactly one left-most label)");
        }
    }
    if !shown.is_ascii() {
        message.push_str("; give an internationalised name in its xn-- (A-label) form");
    }
    Some(Finding::new(Code::HostMismatch, message).cert(leaf.index))
}

fn common_names(cert: &CertInfo) -> impl Iterator<Item = &str> {
    cert.subject
        .attrs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("CN") || k == "2.5.4.3")
        .map(|(_, v)| v.as_str())
}

/// An IP literal: `192.0.2.1`, `2001:db8::1` or `[2001:db8::1]`.
fn parse_ip(host: &str) -> Option<IpAddr> {
    let h = host.trim();
    let h = h
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(h);
    h.parse().ok()
}

/// A DNS name, lower-cased, without its trailing dot; `None` if it has an empty
/// label or is empty.
fn normalise(name: &str) -> Option<String> {
    let name = name.trim();
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.split('.').any(str::is_empty) {
        return None;
    }
    Some(name.to_ascii_lowercase())
}

/// RFC 6125 §6.4.3 with a whole left-most `*` label only.
fn dns_matches(pattern: &str, host: &str) -> bool {
    let (Some(pattern), Some(host)) = (normalise(pattern), normalise(host)) else {
        return false;
    };
    if host.contains('*') {
        return false;
    }
    match pattern.strip_prefix("*.") {
        Some(rest) => {
            if rest.contains('*') || rest.split('.').count() < 2 {
                return false;
            }
            match host.split_once('.') {
                Some((first, host_rest)) => !first.is_empty() && host_rest == rest,
                None => false,
            }
        }
        None => !pattern.contains('*') && pattern == host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(dns: &[&str], ips: &[&str], cn: &str) -> CertInfo {
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap();
        CertInfo {
            index: 0,
            line: None,
            origin: None,
            der: Vec::new(),
            subject: crate::x509::Name {
                display: format!("CN={cn}"),
                attrs: vec![("CN".into(), cn.into())],
                key: format!("cn={cn}"),
            },
            issuer: crate::x509::Name::default().into(),
            serial: "01".into(),
            not_before: at,
            not_after: at,
            ca: false,
            self_issued: false,
            self_signed: false,
            self_signature_skipped: false,
            ca_issuers: Vec::new(),
            sha1: [0; 20],
            sha256: [0; 32],
            public_key: String::new(),
            spki_der: Vec::new(),
            signature_algorithm: String::new(),
            signature_algorithm_der: Vec::new(),
            tbs_der: Vec::new(),
            signature: Vec::new(),
            weak_signature: false,
            dns_names: dns.iter().map(|s| s.to_string()).collect(),
            ip_addresses: ips.iter().map(|s| s.parse().unwrap()).collect(),
            subject_key_id: None,
            authority_key_id: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn dns_name_rules_follow_rfc_6125_strictly() {
        // (pattern, host, matches)
        let table = [
            ("example.com", "example.com", true),
            ("example.com", "EXAMPLE.com", true),
            ("Example.COM", "example.com", true),
            ("example.com.", "example.com", true),
            ("example.com", "example.com.", true),
            ("example.com", "www.example.com", false),
            ("*.example.com", "a.example.com", true),
            ("*.example.com", "A.Example.Com.", true),
            ("*.example.com", "a.b.example.com", false),
            ("*.example.com", "example.com", false),
            ("*.example.com", ".example.com", false),
            ("*.example.com", "aexample.com", false),
            ("*.com", "example.com", false),
            ("*", "example", false),
            ("f*.example.com", "foo.example.com", false),
            ("*o.example.com", "foo.example.com", false),
            ("www.*.example.com", "www.a.example.com", false),
            ("*.*.example.com", "a.b.example.com", false),
            ("*.example.com", "*.example.com", false),
            ("example.com", "", false),
            ("", "", false),
            ("xn--bcher-kva.example", "XN--BCHER-KVA.example", true),
            (
                "*.xn--bcher-kva.example",
                "shop.xn--bcher-kva.example",
                true,
            ),
            ("xn--bcher-kva.example", "bücher.example", false),
            ("a..example.com", "a..example.com", false),
        ];
        for (pattern, host, want) in table {
            assert_eq!(dns_matches(pattern, host), want, "{pattern:?} vs {host:?}");
        }
    }

    #[test]
    fn ip_hosts_match_ip_entries_only() {
        let cert = leaf(
            &["192.0.2.1", "example.com"],
            &["192.0.2.7", "2001:db8::1"],
            "x",
        );
        assert!(covers(&cert, "192.0.2.7"));
        assert!(covers(&cert, "2001:db8::1"));
        assert!(covers(&cert, "[2001:DB8:0::1]"));
        assert!(
            !covers(&cert, "192.0.2.1"),
            "a dNSName never covers an IP literal"
        );
        assert!(!covers(&cert, "192.0.2.8"));
        assert!(covers(&cert, "example.com"));
    }

    #[test]
    fn common_name_is_not_a_fallback() {
        let cert = leaf(&[], &[], "example.com");
        assert!(!covers(&cert, "example.com"));
        let f = check(&cert, "example.com").unwrap();
        assert_eq!(f.code, Code::HostMismatch);
        assert!(f.message.contains("no subjectAltName"), "{}", f.message);
        assert!(f.message.contains("legacy fallback"), "{}", f.message);
    }

    #[test]
    fn mismatch_lists_what_the_leaf_covers() {
        let cert = leaf(
            &["example.com", "*.example.com"],
            &["192.0.2.7"],
            "example.com",
        );
        assert!(check(&cert, "www.example.com").is_none());
        let f = check(&cert, "a.b.example.com").unwrap();
        assert_eq!(f.certificate, Some(0));
        assert!(
            f.message.contains("example.com, *.example.com, 192.0.2.7"),
            "{}",
            f.message
        );
        assert!(f.message.contains("one left-most label"), "{}", f.message);
    }
}
