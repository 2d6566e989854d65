//! The command line itself: help, version, usage errors and exit codes.

use crate::util::*;
use predicates::prelude::*;

#[test]
fn version_prints_name_and_version() {
    certaudit()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("certaudit "));
}

#[test]
fn help_has_examples_for_every_command() {
    for cmd in ["check", "thumbprint", "fix", "oidc"] {
        certaudit()
            .args([cmd, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Examples:"));
    }
}

#[test]
fn bad_at_is_a_usage_error() {
    certaudit()
        .args(["check", "--at", "yesterday", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("RFC 3339"));
}

#[test]
fn bad_expected_thumbprint_is_a_usage_error() {
    certaudit()
        .args(["check", "--expect-thumbprint", "abc", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("40 hex digits"));
}

#[test]
fn missing_file_is_exit_2_and_the_others_are_still_reported() {
    let (v, code) = check_json(&["/no/such/file.pem", "seeds/iam-oidc-thumbprint.txt"]);
    assert_eq!(code, 2);
    assert_eq!(v["summary"]["inputs"], 2);
    assert_eq!(codes(&v, 0), vec!["input.unreadable"]);
    assert_eq!(v["inputs"][1]["certificates"].as_array().unwrap().len(), 1);
}

#[test]
fn trust_file_that_cannot_be_read_is_a_usage_error() {
    check(&["--trust", "/no/such/roots.pem", "-"])
        .write_stdin("")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--trust"));
}

#[test]
fn empty_stdin_is_input_empty() {
    let out = check(&["--format", "json"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["source"], "-");
    assert_eq!(codes(&v, 0), vec!["input.empty"]);
}
