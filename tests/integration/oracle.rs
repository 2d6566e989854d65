//! The differential test the foundation issue asks for: every certificate of the
//! system CA bundle gets the same SHA-1, SHA-256, serial and dates from
//! `certaudit check --bundle --format json` as from `openssl x509`.

use crate::util::*;
use chrono::{DateTime, NaiveDateTime, Utc};
use std::io::Write;
use std::process::{Command, Stdio};

const BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

fn openssl_facts(pem: &str) -> (String, String, String, String, String) {
    // OpenSSL 3.0 prints one fingerprint per run (the last digest named wins).
    let f = openssl(
        pem,
        &["-fingerprint", "-sha1", "-serial", "-startdate", "-enddate"],
    );
    let sha256 = openssl(pem, &["-fingerprint", "-sha256"]).1;
    (f.0, sha256, f.2, f.3, f.4)
}

fn openssl(pem: &str, args: &[&str]) -> (String, String, String, String, String) {
    let mut child = Command::new("openssl")
        .args(["x509", "-noout"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(pem.as_bytes())
        .unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    let mut sha1 = String::new();
    let mut sha256 = String::new();
    let mut serial = String::new();
    let mut nb = String::new();
    let mut na = String::new();
    for line in out.lines() {
        let (k, v) = line.split_once('=').unwrap();
        match k {
            "SHA1 Fingerprint" | "sha1 Fingerprint" => sha1 = v.replace(':', ""),
            "SHA256 Fingerprint" | "sha256 Fingerprint" => sha256 = v.replace(':', ""),
            "serial" => serial = v.to_string(),
            "notBefore" => nb = openssl_time(v),
            "notAfter" => na = openssl_time(v),
            _ => {}
        }
    }
    (sha1, sha256, serial, nb, na)
}

/// `Jan  1 00:00:00 2030 GMT` → RFC 3339.
fn openssl_time(s: &str) -> String {
    let t = NaiveDateTime::parse_from_str(s.trim_end_matches(" GMT"), "%b %e %H:%M:%S %Y").unwrap();
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// openssl prints the serial as upper-case hex whole bytes, no leading zero byte:
/// the contract's form, lower-cased.
fn normalise_serial(s: &str) -> String {
    s.to_ascii_lowercase()
}

#[test]
fn system_ca_bundle_agrees_with_openssl() {
    if !require(has_openssl(), "openssl is missing")
        || !require(
            std::path::Path::new(BUNDLE).exists(),
            &format!("{BUNDLE} is missing"),
        )
    {
        return;
    }
    let text = std::fs::read_to_string(BUNDLE).unwrap();
    let blocks: Vec<String> = text
        .split("-----END CERTIFICATE-----")
        .filter_map(|chunk| {
            chunk
                .find("-----BEGIN CERTIFICATE-----")
                .map(|i| format!("{}-----END CERTIFICATE-----\n", &chunk[i..]))
        })
        .collect();
    let (v, _) = check_json(&["--bundle", BUNDLE]);
    let certs = v["inputs"][0]["certificates"].as_array().unwrap();
    assert_eq!(
        certs.len(),
        blocks.len(),
        "every certificate of the bundle is read"
    );
    for (block, c) in blocks.iter().zip(certs) {
        let (sha1, sha256, serial, nb, na) = openssl_facts(block);
        let who = c["subject"].as_str().unwrap();
        assert_eq!(c["sha1"], sha1, "{who}");
        assert_eq!(c["sha256"], sha256, "{who}");
        assert_eq!(c["serial"], normalise_serial(&serial), "{who}");
        assert_eq!(c["not_before"], nb, "{who}");
        assert_eq!(c["not_after"], na, "{who}");
    }
}
