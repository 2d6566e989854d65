//! Snapshot tests of the text report (people read it; a diff shows what changed),
//! of `--help`, and of `oidc` output. Review changes with `cargo insta review`.

use crate::util::*;

fn text_report(args: &[&str], columns: &str) -> String {
    let out = certaudit()
        .env("COLUMNS", columns)
        .arg("check")
        .args(if args.contains(&"--at") {
            &[][..]
        } else {
            &["--at", AT][..]
        })
        .args(args)
        .output()
        .unwrap();
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn relative(path: &std::path::Path) -> String {
    path.strip_prefix(fixtures()).unwrap().display().to_string()
}

fn every_fixture_at(columns: &str) {
    insta::glob!(
        "../../fixtures",
        "{chains,s_client,paste,malformed,seeds,formats}/*",
        |path| {
            if path.extension().is_some_and(|e| e == "key") {
                return;
            }
            insta::assert_snapshot!(
                format!("text_at_{columns}"),
                text_report(&[&relative(path)], columns)
            );
        }
    );
}

#[test]
fn text_report_of_every_fixture_at_80_columns() {
    every_fixture_at("80");
}

#[test]
fn text_report_of_every_fixture_at_160_columns() {
    every_fixture_at("160");
}

#[test]
fn text_report_on_a_narrow_and_a_wide_terminal() {
    for columns in ["80", "160"] {
        insta::assert_snapshot!(
            format!("reversed_at_{columns}_columns"),
            text_report(&["s_client/openssl3-reversed.txt"], columns)
        );
    }
}

#[test]
fn text_report_with_a_wrong_thumbprint_and_host() {
    insta::assert_snapshot!(text_report(
        &[
            "--expect-thumbprint",
            "0000000000000000000000000000000000000000",
            "--host",
            "other.example.test",
            "--provider-arn",
            "arn:aws:iam::123456789012:oidc-provider/www.example.test",
            "chains/rsa-ordered.pem",
        ],
        "100"
    ));
}

/// The positive confirmations: `--host` covered, `--trust` reached, an expected
/// thumbprint that matches.
#[test]
fn text_report_with_every_confirmation() {
    insta::assert_snapshot!(text_report(
        &[
            "--host",
            "www.example.test",
            "--trust",
            "trust/test-roots.pem",
            "--expect-thumbprint",
            "E9F04E99825AE3BF47D23CB01176440E53A8D6A4",
            "chains/rsa-ordered.pem",
        ],
        "80"
    ));
}

/// A publicly trusted chain (amazon.com as served, at the validation time of its
/// x509-limbo case): AWS validates it by its CA library.
#[test]
fn text_report_of_a_publicly_trusted_chain() {
    insta::assert_snapshot!(text_report(
        &[
            "--at",
            "2026-02-02T00:00:01Z",
            "--host",
            "amazon.com",
            "real/served/amazon.com.pem",
        ],
        "80"
    ));
}

/// Every committed snapshot belongs to a test here: a snapshot no test produces any
/// more (renamed or removed test) would be read as current output.
#[test]
fn no_snapshot_is_orphaned() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/snapshots");
    let known = [
        "text_at_80@",
        "text_at_160@",
        "reversed_at_80_columns.snap",
        "reversed_at_160_columns.snap",
        "text_report_with_a_wrong_thumbprint_and_host.snap",
        "text_report_with_every_confirmation.snap",
        "text_report_of_a_publicly_trusted_chain.snap",
        "help_",
        "oidc_",
    ];
    let mut orphans = Vec::new();
    for e in std::fs::read_dir(&dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix("integration__snapshots__") else {
            orphans.push(name);
            continue;
        };
        if !known.iter().any(|k| rest.starts_with(k)) {
            orphans.push(name);
        }
    }
    assert!(orphans.is_empty(), "snapshots no test makes: {orphans:?}");
}

#[test]
fn help_of_every_command() {
    for cmd in [
        None,
        Some("check"),
        Some("thumbprint"),
        Some("fix"),
        Some("oidc"),
        Some("inventory"),
    ] {
        let mut c = certaudit();
        if let Some(cmd) = cmd {
            c.arg(cmd);
        }
        let out = c.arg("--help").output().unwrap();
        insta::assert_snapshot!(
            format!("help_{}", cmd.unwrap_or("main")),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn oidc_output_for_the_eks_and_google_documents() {
    for doc in ["oidc/eks.json", "oidc/google.json"] {
        let out = certaudit().args(["oidc", doc]).output().unwrap();
        assert_eq!(out.status.code(), Some(0));
        insta::assert_snapshot!(
            format!(
                "oidc_{}",
                doc.trim_start_matches("oidc/").trim_end_matches(".json")
            ),
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn readme_shows_the_current_help() {
    let out = certaudit().arg("-h").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let readme = std::fs::read_to_string(fixtures().join("../README.md")).unwrap();
    assert!(
        readme.contains(help.trim_end()),
        "README.md's `certaudit -h` section is stale; paste the current output"
    );
}
