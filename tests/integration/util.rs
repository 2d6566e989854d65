//! Helpers shared by the integration tests.

use assert_cmd::Command;
use std::path::PathBuf;

/// The instant every test evaluates at, so fixtures never rot.
pub const AT: &str = "2026-01-01T00:00:00Z";

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// The binary, run from `fixtures/`, without colour, at a fixed width.
pub fn certaudit() -> Command {
    let mut cmd = Command::cargo_bin("certaudit").unwrap();
    cmd.current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .env_remove("CLICOLOR_FORCE");
    cmd
}

/// `certaudit check --at AT <args>`.
pub fn check(args: &[&str]) -> Command {
    let mut cmd = certaudit();
    cmd.arg("check").arg("--at").arg(AT).args(args);
    cmd
}

/// `certaudit check --at AT --format json <args>`, parsed; also returns the exit code.
pub fn check_json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = check(&["--format", "json"]).args(args).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    (v, out.status.code().unwrap_or(-1))
}

/// The finding codes of input `n` of a JSON report.
pub fn codes(v: &serde_json::Value, n: usize) -> Vec<String> {
    v["inputs"][n]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap().to_string())
        .collect()
}

pub fn has_openssl() -> bool {
    std::process::Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Whether CI is running these tests (`CI=true`, as `.ci/run` sets and every CI
/// service does).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Gate for a test that needs something of the machine (a tool, a file, a kernel
/// feature): `true` when `available`; otherwise, under CI, a failure (a test that
/// did not run must not pass there), and elsewhere a skip said on stderr.
pub fn require(available: bool, what: &str) -> bool {
    if available {
        return true;
    }
    assert!(
        !in_ci(),
        "CI=true and {what}: this test cannot run here, and under CI that is a failure \
         (.ci/run installs what the tests need)"
    );
    eprintln!("SKIPPED (not under CI): {what}");
    false
}
