//! `chain.trust` against an independent oracle: every real server chain of
//! fixtures/real/limbo-online/ (x509-limbo's online cases), at its validation time and
//! for its host, validates to the same Mozilla root that Python `cryptography`'s own
//! verifier (`cryptography.x509.verification` over `certifi`'s bundle) finds
//! (tests/oracle/limbo_online_anchor.py).

use crate::util::*;
use std::process::Command;

fn oracle_available() -> bool {
    Command::new("python3")
        .args(["-c", "import cryptography.x509.verification, certifi"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn real_chains_validate_to_the_anchor_python_cryptography_finds() {
    if !require(
        oracle_available(),
        "python3 with cryptography and certifi is missing",
    ) {
        return;
    }
    let dir = fixtures().join("real/limbo-online");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".limbo.json"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 14, "{}", cases.len());
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/oracle/limbo_online_anchor.py"
    );
    let out = Command::new("python3")
        .arg("-W")
        .arg("ignore")
        .arg(script)
        .args(&cases)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let oracle = String::from_utf8(out.stdout).unwrap();
    let tmp = std::env::temp_dir().join(format!("certaudit-trust-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let mut compared = 0;
    for line in oracle.lines() {
        let (path, anchor) = line.split_once('\t').unwrap();
        assert!(
            !anchor.starts_with("ERROR"),
            "the oracle rejects {path}: {anchor}"
        );
        let case: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut pem = case["peer_certificate"].as_str().unwrap().to_string();
        for p in case["untrusted_intermediates"].as_array().unwrap() {
            pem.push_str(p.as_str().unwrap());
        }
        let name = std::path::Path::new(path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let served = tmp.join(format!("{name}.pem"));
        std::fs::write(&served, pem).unwrap();
        let at = case["validation_time"].as_str().unwrap();
        let host = case["expected_peer_name"]["value"].as_str().unwrap();
        let out = certaudit()
            .args(["check", "--format", "json", "--at", at, "--host", host])
            .arg(&served)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let trust = &v["inputs"][0]["chain"]["trust"];
        assert_eq!(trust["status"], "trusted", "{name}: {trust}");
        assert_eq!(trust["anchor"]["sha256"], anchor, "{name}: {trust}");
        assert!(trust["store"].as_str().unwrap().starts_with("mozilla:"));
        compared += 1;
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert_eq!(compared, cases.len());
}
