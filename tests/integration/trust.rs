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

/// Path validation takes RSA keys of 2048 to 8192 bits only, as webpki's own providers
/// (ring, aws-lc-rs) do: a chain whose root signs with RSA-1024 is `bad_signature`,
/// the same chain under an RSA-2048 root is trusted (x509-limbo's
/// `webpki::forbidden-weak-rsa-key-in-root`, which certaudit trusted before). The
/// chain analysis still checks the 1024-bit signature (`links[].signature` valid).
#[test]
fn path_validation_refuses_rsa_keys_below_2048_bits() {
    if !require(has_openssl(), "openssl is missing") {
        return;
    }
    let tmp = std::env::temp_dir().join(format!("certaudit-rsa-bits-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .current_dir(&tmp)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "openssl {args:?}: {out:?}");
    };
    std::fs::write(
        tmp.join("leaf.ext"),
        "subjectAltName=DNS:leaf.example\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    for (bits, status, reason) in [
        ("1024", "untrusted", Some("bad_signature")),
        ("2048", "trusted", None),
    ] {
        let (key, root, leaf) = (
            format!("root{bits}.key"),
            format!("root{bits}.pem"),
            format!("leaf{bits}.pem"),
        );
        openssl(&[
            "req",
            "-x509",
            "-newkey",
            &format!("rsa:{bits}"),
            "-nodes",
            "-keyout",
            &key,
            "-subj",
            &format!("/CN=RSA {bits} Root"),
            "-days",
            "3650",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
            "-out",
            &root,
        ]);
        openssl(&[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-subj",
            "/CN=leaf.example",
            "-out",
            "leaf.csr",
        ]);
        openssl(&[
            "x509", "-req", "-in", "leaf.csr", "-CA", &root, "-CAkey", &key, "-days", "365",
            "-sha256", "-extfile", "leaf.ext", "-out", &leaf,
        ]);
        // The server sends its leaf and the root: one input, one link to check.
        let served = format!("served{bits}.pem");
        let pems = [&leaf, &root].map(|p| std::fs::read_to_string(tmp.join(p)).unwrap());
        std::fs::write(tmp.join(&served), pems.concat()).unwrap();
        let out = certaudit()
            .current_dir(&tmp)
            .args([
                "check",
                "--format",
                "json",
                "--host",
                "leaf.example",
                "--trust",
            ])
            .args([&root, &served])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let input = &v["inputs"][0];
        let trust = &input["chain"]["trust"];
        assert_eq!(trust["status"], status, "RSA-{bits}: {trust}");
        assert_eq!(trust["reason"].as_str(), reason, "RSA-{bits}: {trust}");
        assert_eq!(
            input["chain"]["links"][0]["signature"], "valid",
            "RSA-{bits}: {}",
            input["chain"]
        );
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
