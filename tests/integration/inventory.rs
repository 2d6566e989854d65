//! Tests for `certaudit inventory` (issue 16): distinct certificates with every
//! place, against Python `cryptography`; the CSV, JSON, JSONL and OpenMetrics
//! formats; `promtool`, the README's alert rules and DuckDB query.

use crate::util::{AT, certaudit, fixtures};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// A tool the test needs: present, or (under CI=true) a failure.
fn have(tool: &str, args: &[&str]) -> bool {
    let ok = Command::new(tool)
        .args(args)
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(ok || !ci(), "{tool} is missing (`.ci/run` installs it)");
    if !ok {
        eprintln!("{tool} missing: not run (CI=true makes this a failure)");
    }
    ok
}

fn temp(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certaudit-inv-it-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A folder mixing every kind, with duplicates across them.
fn mixed_folder() -> PathBuf {
    let dir = temp("mixed");
    let f = fixtures();
    let copy = |from: &str, to: &str| {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f.join(from), to).unwrap();
    };
    copy("formats/rsa-leaf.der", "a/leaf.der");
    copy("formats/rsa-int.der", "a/int.der");
    copy("formats/rsa-ordered-concat.der", "a/concat.der");
    copy("formats/ecdsa-p256-root-included-pem.p7b", "b/chain.p7b");
    copy("formats/mixed-blocks.pem", "b/mixed.pem");
    copy("chains/rsa-ordered.pem", "b/rsa-ordered.pem");
    copy("chains/rsa-ordered.pem", "b/again/rsa-ordered-copy.pem");
    copy("containers/kubeconfig.yaml", "k8s/kubeconfig.yaml");
    copy("containers/secret-tls.yaml", "k8s/secret-tls.yaml");
    copy("containers/p12-default.p12", "stores/p12-default.p12");
    copy("containers/store.jks", "stores/store.jks");
    std::fs::write(dir.join("README.txt"), "not a certificate\n").unwrap();
    dir
}

fn inventory_json(args: &[&str]) -> (serde_json::Value, i32) {
    let out = certaudit()
        .args(["inventory", "--at", AT, "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"));
    (v, out.status.code().unwrap_or(-1))
}

fn password() -> String {
    fixtures()
        .join("containers/password.txt")
        .display()
        .to_string()
}

#[test]
fn every_kind_with_duplicates_gives_the_sha256s_python_cryptography_finds() {
    if !have("python3", &["-c", "import cryptography, yaml"]) || !have("keytool", &["-help"]) {
        return;
    }
    let dir = mixed_folder();
    let d = dir.display().to_string();
    let (v, _) = inventory_json(&["--password-file", &password(), &d]);
    let mut ours: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in v["certificates"].as_array().unwrap() {
        let places: Vec<String> = c["found"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                Path::new(p["source"].as_str().unwrap())
                    .strip_prefix(&dir)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        let mut sorted = places.clone();
        sorted.sort();
        ours.insert(c["sha256"].as_str().unwrap().to_string(), sorted);
    }
    let oracle = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/inventory_oracle.py"))
        .arg(&dir)
        .arg("fixture-pass")
        .output()
        .unwrap();
    assert!(
        oracle.status.success(),
        "{}",
        String::from_utf8_lossy(&oracle.stderr)
    );
    let theirs: BTreeMap<String, Vec<String>> = serde_json::from_slice(&oracle.stdout).unwrap();
    assert_eq!(ours, theirs);
    // Duplicates across kinds really are there: some certificate in 3+ kinds of file.
    assert!(ours.values().any(|p| p.len() >= 3), "{ours:#?}");
    let kinds: std::collections::BTreeSet<&str> = ours
        .values()
        .flatten()
        .map(|p| p.rsplit('.').next().unwrap())
        .collect();
    for k in ["der", "p7b", "pem", "yaml", "p12", "jks"] {
        assert!(kinds.contains(k), "no certificate from a .{k}: {kinds:?}");
    }
    let s = &v["summary"];
    assert_eq!(s["files_without_certificates"], 1, "{s}");
    assert_eq!(s["certificates"].as_u64().unwrap() as usize, ours.len());
    let occurrences: usize = ours.values().map(Vec::len).sum();
    assert_eq!(s["occurrences"].as_u64().unwrap() as usize, occurrences);
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(!codes.contains(&"input.empty"), "{codes:?}");
    // Sorted by not_after, then SHA-256.
    let keys: Vec<(String, String)> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["not_after"].as_str().unwrap().into(),
                c["sha256"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    // Origins of the containers are named.
    let origins: Vec<&str> = v["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["found"].as_array().unwrap())
        .filter_map(|p| p["origin"].as_str())
        .collect();
    assert!(
        origins.iter().any(|o| o.starts_with("clusters/")),
        "{origins:?}"
    );
    assert!(
        origins.iter().any(|o| o.starts_with("Secret/")),
        "{origins:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn exit_codes_follow_listed_certificates_and_unreadable_inputs() {
    // fixtures/chains at AT holds expired certificates.
    let (_, code) = inventory_json(&["chains"]);
    assert_eq!(code, 1);
    // fixtures/real at AT: none expired, some not yet valid (exit 1); listing only
    // what has expired lists nothing (exit 0).
    let (v, code) = inventory_json(&["real"]);
    assert_eq!(v["summary"]["expired"], 0, "{}", v["summary"]);
    assert!(v["summary"]["not_yet_valid"].as_u64().unwrap() > 0);
    assert_eq!(code, 1);
    let (v, code) = inventory_json(&["--expiring-within", "0", "real"]);
    assert_eq!(v["summary"]["certificates"], 0, "{}", v["summary"]);
    assert_eq!(code, 0);
    let (alone, _) = inventory_json(&["real"]);
    let (v, code) = inventory_json(&["real", "does-not-exist.pem"]);
    assert_eq!(code, 2);
    assert_eq!(v["summary"]["read_errors"], 1);
    assert_eq!(
        v["summary"]["files_without_certificates"],
        alone["summary"]["files_without_certificates"]
    );
    assert_eq!(
        v["summary"]["inputs"].as_u64().unwrap(),
        alone["summary"]["inputs"].as_u64().unwrap() + 1
    );
    let (v, _) = inventory_json(&["--expiring-within", "0", "chains"]);
    for c in v["certificates"].as_array().unwrap() {
        assert!(c["days_left"].as_i64().unwrap() < 0);
    }
    assert_eq!(
        v["summary"]["certificates"].as_u64(),
        v["summary"]["expired"].as_u64()
    );
}

#[test]
fn csv_is_rfc_4180_with_the_contract_header_and_crlf() {
    let out = certaudit()
        .args([
            "inventory",
            "--at",
            AT,
            "--format",
            "csv",
            "chains",
            "malformed",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.ends_with("\r\n"));
    assert_eq!(
        text.lines().next().unwrap(),
        "sha256,sha1,subject,issuer,serial,not_before,not_after,days_left,status,self_signed,ca,public_key,signature_algorithm,dns_names,found"
    );
    let (json, _) = inventory_json(&["chains", "malformed"]);
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    let certs = json["certificates"].as_array().unwrap();
    assert_eq!(rows.len(), certs.len() + 1);
    // Subjects hold commas: quoted.
    assert!(rows[1].contains(",\"CN="), "{}", rows[1]);
    let first = &certs[0];
    let found: Vec<String> = first["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| match p["line"].as_u64() {
            Some(l) => format!("{}:{l}", p["source"].as_str().unwrap()),
            None => p["source"].as_str().unwrap().to_string(),
        })
        .collect();
    assert!(rows[1].ends_with(&found.join("; ")), "{}", rows[1]);
}

#[test]
fn jsonl_objects_are_the_json_documents_certificates() {
    let out = certaudit()
        .args([
            "inventory",
            "--at",
            AT,
            "--format",
            "jsonl",
            "chains",
            "real",
        ])
        .output()
        .unwrap();
    let mut lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (v, _) = inventory_json(&["chains", "real"]);
    let mut certs = v["certificates"].as_array().unwrap().clone();
    let key = |c: &serde_json::Value| c["sha256"].as_str().unwrap().to_string();
    lines.sort_by_key(key);
    certs.sort_by_key(key);
    assert_eq!(lines, certs);
}

fn openmetrics(args: &[&str]) -> String {
    let out = certaudit()
        .args(["inventory", "--at", AT, "--format", "openmetrics"])
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn openmetrics_passes_promtool_and_escapes_labels() {
    let text = openmetrics(&["chains", "real", "malformed", "paste"]);
    assert!(text.ends_with("# EOF\n"));
    for name in [
        "certaudit_certificate_not_after_seconds",
        "certaudit_certificate_not_before_seconds",
        "certaudit_certificate_expired",
        "certaudit_read_errors",
        "certaudit_evaluated_at_seconds",
    ] {
        assert!(text.contains(&format!("# TYPE {name} gauge\n")), "{name}");
    }
    assert!(text.contains("certaudit_evaluated_at_seconds 1767225600\n"));
    // A subject with a backslash-escaped comma: the backslash is doubled.
    assert!(
        text.contains("\\\\,"),
        "no escaped label in the fixtures' output"
    );
    if !have("promtool", &["--version"]) {
        return;
    }
    let dir = temp("prom");
    let file = dir.join("certaudit.prom");
    std::fs::write(&file, &text).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("promtool check metrics < '{}'", file.display()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The README's fenced block that follows `marker`.
fn readme_block(marker: &str) -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let at = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README lacks {marker}"));
    let rest = &readme[at..];
    let start = rest.find("```").unwrap();
    let body = &rest[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("```").unwrap()].to_string()
}

#[test]
fn readme_alert_rules_are_the_committed_file_and_pass_promtool() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file =
        std::fs::read_to_string(root.join("contrib/prometheus/certaudit-alerts.yml")).unwrap();
    assert_eq!(
        readme_block("<!-- alert rules: contrib/prometheus/certaudit-alerts.yml -->"),
        file
    );
    if !have("promtool", &["--version"]) {
        return;
    }
    let out = Command::new("promtool")
        .args(["check", "rules"])
        .arg(root.join("contrib/prometheus/certaudit-alerts.yml"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn readme_duckdb_query_runs_over_jsonl() {
    let block = readme_block("<!-- duckdb one-liner -->");
    let line = block
        .lines()
        .find(|l| l.starts_with("duckdb "))
        .expect("a duckdb command line");
    let sql = line
        .split_once(" -c \"")
        .map(|(_, q)| q.trim_end().trim_end_matches('"'))
        .expect("duckdb -c \"…\"");
    if !have("python3", &["-c", "import duckdb"]) {
        return;
    }
    let dir = temp("duckdb");
    let out = certaudit()
        .args([
            "inventory",
            "--at",
            AT,
            "--format",
            "jsonl",
            "chains",
            "real",
        ])
        .output()
        .unwrap();
    std::fs::write(dir.join("certs.jsonl"), &out.stdout).unwrap();
    let py = Command::new("python3")
        .current_dir(&dir)
        .arg("-c")
        .arg("import duckdb, sys; rows = duckdb.sql(sys.argv[1]).fetchall(); print(len(rows)); print(rows[:3])")
        .arg(sql)
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{}",
        String::from_utf8_lossy(&py.stderr)
    );
    let stdout = String::from_utf8(py.stdout).unwrap();
    let n: usize = stdout.lines().next().unwrap().parse().unwrap();
    assert!(n > 0, "{stdout}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_fits_80_columns_with_whole_fingerprints() {
    let out = certaudit()
        .env("COLUMNS", "80")
        .args(["inventory", "--at", AT, "chains", "real", "formats"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line}");
    }
    let (v, _) = inventory_json(&["chains", "real", "formats"]);
    let shown = text
        .lines()
        .filter(|l| l.starts_with("    ") && l.len() > 44)
        .count();
    assert!(shown >= 20);
    for c in v["certificates"].as_array().unwrap().iter().take(20) {
        assert!(text.contains(c["sha1"].as_str().unwrap()), "{text}");
    }
    assert!(text.contains("more, expiring to"), "{text}");
    assert!(text.contains("Soonest expiry") || text.contains("Expired last"));
}
