//! The text report's layout promises (issue 14): the answer first, nothing split.

use crate::util::*;
use std::path::{Path, PathBuf};

/// Every fixture file and real capture under `fixtures/` (not keys, not docs).
fn every_fixture() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if !matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("key" | "md" | "sh" | "tsv" | "srl" | "cnf" | "csr" | "ext" | "bin")
            ) && !p.ends_with("LICENSE")
            {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&fixtures(), &mut out);
    out
}

fn text_at(columns: &str, args: &[&str]) -> (String, String) {
    let out = check(args).env("COLUMNS", columns).output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Each certificate's SHA-1, from the JSON report.
fn sha1s(path: &str, bundle: bool) -> Vec<String> {
    let mut args = vec![path];
    if bundle {
        args.insert(0, "--bundle");
    }
    let (v, _) = check_json(&args);
    let mut out = Vec::new();
    for input in v["inputs"].as_array().into_iter().flatten() {
        for c in input["certificates"].as_array().into_iter().flatten() {
            if let Some(s) = c["sha1"].as_str() {
                out.push(s.to_string());
            }
        }
    }
    out
}

#[test]
fn every_sha1_is_whole_on_one_line_at_80_columns_piped() {
    let mut checked = 0;
    for path in every_fixture() {
        let rel = path.strip_prefix(fixtures()).unwrap().display().to_string();
        for bundle in [false, true] {
            let mut args = vec![rel.as_str()];
            if bundle {
                args.insert(0, "--bundle");
            }
            let (text, _) = text_at("80", &args);
            for sha1 in sha1s(&rel, bundle) {
                assert!(
                    text.lines().any(|l| l.contains(&sha1)),
                    "{rel} (bundle: {bundle}): SHA-1 {sha1} is not whole on one line:\n{text}"
                );
                checked += 1;
            }
        }
    }
    println!("{checked} SHA-1 values found whole");
    assert!(checked > 200, "only {checked} certificates checked");
}

#[test]
fn no_line_is_wider_than_80_columns_except_for_an_unbreakable_word() {
    for rel in [
        "s_client/openssl3-reversed.txt",
        "chains/two-int-root-included.pem",
    ] {
        let (text, _) = text_at("80", &[rel]);
        for line in text.lines() {
            if line.chars().count() > 80 {
                let longest = line
                    .split(' ')
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(0);
                assert!(
                    longest > 40,
                    "{rel}: a wrappable line is too wide: {line:?}"
                );
            }
        }
    }
}

#[test]
fn the_reversed_chain_answers_in_10_lines_and_fits_in_40() {
    for rel in ["s_client/openssl3-reversed.txt", "chains/rsa-reversed.pem"] {
        let (text, _) = text_at("80", &[rel]);
        let lines: Vec<&str> = text.lines().collect();
        let first: Vec<&str> = lines.iter().take(10).copied().collect();
        assert!(
            first
                .iter()
                .any(|l| l.starts_with("error: chain out of order")),
            "{rel}: no verdict in the first 10 lines:\n{text}"
        );
        assert!(
            first
                .iter()
                .any(|l| l.starts_with("IAM thumbprint: 7C36F797575B4F9959650331CB55B5F070952E23")),
            "{rel}: no thumbprint in the first 10 lines:\n{text}"
        );
        assert!(lines.len() <= 40, "{rel}: {} lines:\n{text}", lines.len());
        // Said once: the thumbprint's sentence, the recipes only on request.
        assert!(!text.contains("ssl_certificate"), "{text}");
    }
}

#[test]
fn thumbprint_on_a_broken_chain_says_at_most_6_lines() {
    for rel in [
        "s_client/openssl3-reversed.txt",
        "chains/rsa-reversed.pem",
        "chains/rsa-extra-in-middle.pem",
        "chains/forged-issuer.pem",
        "chains/rsa-expired-leaf.pem",
        "chains/rsa-leaf-only.pem",
        "chains/two-int-swapped.pem",
    ] {
        let out = certaudit()
            .env("COLUMNS", "80")
            .args(["thumbprint", "--at", AT, rel])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.lines().count() <= 6,
            "{rel}: {} lines:\n{err}",
            err.lines().count()
        );
        assert!(!err.is_empty(), "{rel}: nothing on stderr");
        let quiet = certaudit()
            .args(["thumbprint", "--no-advice", "--at", AT, rel])
            .output()
            .unwrap();
        let q = String::from_utf8_lossy(&quiet.stderr);
        assert!(
            !q.contains("next:"),
            "{rel}: --no-advice still advises:\n{q}"
        );
        assert_eq!(out.stdout, quiet.stdout);
    }
}

#[test]
fn success_is_said() {
    let (text, _) = text_at(
        "160",
        &[
            "--host",
            "www.example.test",
            "--trust",
            "trust/test-roots.pem",
            "--expect-thumbprint",
            "E9F04E99825AE3BF47D23CB01176440E53A8D6A4",
            "chains/rsa-ordered.pem",
        ],
    );
    assert!(
        text.contains("ok: --host www.example.test is covered by the leaf"),
        "{text}"
    );
    assert!(
        text.contains("ok: the path reaches a root of --trust trust/test-roots.pem"),
        "{text}"
    );
    assert!(
        text.contains(
            "ok: --expect-thumbprint E9F04E99825AE3BF47D23CB01176440E53A8D6A4 matches the IAM thumbprint"
        ),
        "{text}"
    );
}

#[test]
fn verbose_adds_the_details_and_quiet_keeps_the_findings() {
    let (text, _) = text_at("80", &["-v", "chains/rsa-ordered.pem"]);
    for want in [
        "SHA-256",
        "serial",
        "sha256WithRSAEncryption",
        "RSA 2048",
        "SANs",
        "www.example.test",
    ] {
        assert!(text.contains(want), "--verbose lacks {want}:\n{text}");
    }
    let (text, _) = text_at("80", &["-q", "chains/rsa-reversed.pem"]);
    assert!(text.contains("chain.out_of_order"), "{text}");
    assert!(
        !text.contains("IAM thumbprint:") && !text.contains("What to do next"),
        "{text}"
    );
}

#[test]
fn server_picks_its_recipe() {
    let (text, _) = text_at("80", &["--server", "nginx", "chains/rsa-reversed.pem"]);
    assert!(
        text.contains("ssl_certificate /path/to/fullchain.pem;"),
        "{text}"
    );
    assert!(!text.contains("SSLCertificateFile"), "{text}");
    let (text, _) = text_at("80", &["--verbose", "chains/rsa-reversed.pem"]);
    assert!(text.contains("SSLCertificateFile") && text.contains("aws acm import-certificate"));
}

#[test]
fn days_left_is_one_number() {
    // The table and the finding agree: -N days in the chain, N days in the message.
    let at = "2025-02-14T12:00:00Z";
    let run = |extra: &[&str]| {
        let out = certaudit()
            .args(["check", "--at", at])
            .args(extra)
            .arg("chains/rsa-expired-leaf.pem")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let text = run(&["-v"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let v: serde_json::Value = serde_json::from_str(&run(&["--format", "json"])).unwrap();
    let days = v["inputs"][0]["certificates"][0]["days_left"]
        .as_i64()
        .unwrap();
    assert!(text.contains(&format!("{days} days, EXPIRED")), "{text}");
    assert!(text.contains(&format!("({} days before", -days)), "{text}");
    // "Findings in full" names each severity once.
    assert!(text.contains("Findings in full: info: the chain"), "{text}");
    assert!(!text.contains("error: error:"), "{text}");
}

#[test]
fn a_pure_duplicate_is_not_called_disorder() {
    for rel in [
        "chains/rsa-duplicate-leaf.pem",
        "chains/rsa-duplicate-intermediate.pem",
    ] {
        let (text, _) = text_at("80", &[rel]);
        assert!(text.contains("is served twice"), "{text}");
        assert!(
            !text.contains("out of order") && !text.contains("order broken"),
            "{text}"
        );
    }
}

#[test]
fn fix_on_a_leaf_alone_says_so_and_exits_0() {
    let out = certaudit()
        .args(["fix", "chains/rsa-leaf-only.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("only the leaf"), "{err}");
}

#[test]
fn bundle_says_once_that_host_and_expect_are_ignored() {
    let out = check(&[
        "--bundle",
        "--host",
        "x.example",
        "--expect-thumbprint",
        "E9F04E99825AE3BF47D23CB01176440E53A8D6A4",
        "chains/rsa-ordered.pem",
        "chains/rsa-reversed.pem",
    ])
    .output()
    .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("are ignored").count(), 1, "{err}");
}

#[test]
fn help_examples_are_never_wrapped_at_80_columns() {
    for cmd in [
        None,
        Some("check"),
        Some("thumbprint"),
        Some("fix"),
        Some("oidc"),
        Some("man"),
    ] {
        let mut c = certaudit();
        c.env("COLUMNS", "80");
        if let Some(cmd) = cmd {
            c.arg(cmd);
        }
        let out = c.arg("-h").output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        for line in help.lines() {
            assert!(
                !line.trim_start().starts_with(">capture.txt"),
                "{cmd:?}: {line}"
            );
            assert!(!line.trim_start().starts_with("2>&1"), "{cmd:?}: {line}");
        }
        let examples = help.split("Examples:").nth(1).unwrap_or("");
        for line in examples.lines() {
            assert!(
                line.chars().count() <= 80,
                "{cmd:?}: example too wide: {line}"
            );
        }
    }
}

#[test]
fn man_writes_a_page_per_command() {
    let dir = std::env::temp_dir().join(format!("certaudit-man-{}", std::process::id()));
    let out = certaudit()
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for page in [
        "certaudit",
        "certaudit-check",
        "certaudit-thumbprint",
        "certaudit-fix",
        "certaudit-oidc",
    ] {
        let text = std::fs::read_to_string(dir.join(format!("{page}.1"))).unwrap();
        assert!(text.contains("EXIT STATUS"), "{page}");
        assert!(text.contains(".nf"), "{page}: examples not in no-fill mode");
        if page == "certaudit-check" {
            assert!(text.contains("expect\\-thumbprint"), "{page}: no options");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    let one = certaudit().arg("man").output().unwrap();
    let page = String::from_utf8_lossy(&one.stdout);
    for want in [
        "EXIT STATUS",
        "CERTAUDIT CHECK",
        "CERTAUDIT THUMBPRINT",
        "warn\\-days",
    ] {
        assert!(page.contains(want), "the one page lacks {want}");
    }
}

#[test]
fn rust_version_covers_every_locked_dependency() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--locked", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let parse = |s: &str| -> Vec<u64> { s.split('.').map(|p| p.parse().unwrap_or(0)).collect() };
    let mut ours = None;
    let mut highest: Option<(Vec<u64>, String)> = None;
    for p in v["packages"].as_array().unwrap() {
        let Some(rv) = p["rust_version"].as_str() else {
            continue;
        };
        if p["name"] == "certaudit" {
            ours = Some(parse(rv));
        } else if highest.as_ref().is_none_or(|(h, _)| parse(rv) > *h) {
            highest = Some((parse(rv), format!("{} {}", p["name"], p["version"])));
        }
    }
    let ours = ours.expect("Cargo.toml sets rust-version");
    let (h, who) = highest.unwrap();
    assert!(ours >= h, "rust-version {ours:?} is below {who}'s {h:?}");
}
