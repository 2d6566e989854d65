//! Snapshot tests of the text report (people read it; a diff shows what changed),
//! of `--help`, and of `oidc` output. Review changes with `cargo insta review`.

use crate::util::*;

fn text_report(args: &[&str], columns: &str) -> String {
    let out = certaudit()
        .env("COLUMNS", columns)
        .arg("check")
        .args(["--at", AT])
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
