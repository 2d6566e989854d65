//! Containers (`json`, `kubernetes`, `pkcs12`, `jks`, bare base64) read from the
//! committed fixtures of `fixtures/containers.sh`, each compared with an independent
//! reader: `openssl pkcs12 -info -nokeys`, `keytool -list -rfc`, and Python's json
//! and PyYAML followed by `openssl x509`. Every command (`check`, `thumbprint`,
//! `fix`, `--bundle`), files, folders and stdin; passwords; the hostile iteration
//! count; `--provider`.

use crate::util::*;
use std::process::Command as Std;
use std::time::Instant;

const PASSWORD_FILE: &str = "containers/password.txt";

/// A tool the test needs: present, or the test fails under CI (never a silent pass).
fn require(tool: &str, probe: &[&str]) -> bool {
    let ok = Std::new(tool)
        .args(probe)
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{tool} is needed by this test (.ci/run installs it)"
        );
        eprintln!("{tool} missing: this test did not run");
    }
    ok
}

fn c(name: &str) -> String {
    format!("containers/{name}")
}

/// `(sha1, sha256)` of every certificate in a PEM text, by `openssl x509`.
fn openssl_fingerprints(pem_text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for chunk in pem_text.split("-----END CERTIFICATE-----") {
        let Some(at) = chunk.find("-----BEGIN CERTIFICATE-----") else {
            continue;
        };
        let block = format!("{}-----END CERTIFICATE-----\n", &chunk[at..]);
        let fp = |alg: &str| {
            let mut child = Std::new("openssl")
                .args(["x509", "-noout", "-fingerprint", alg])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child
                .stdin
                .take()
                .unwrap()
                .write_all(block.as_bytes())
                .unwrap();
            let o = child.wait_with_output().unwrap();
            assert!(o.status.success(), "openssl x509 {alg}");
            let s = String::from_utf8(o.stdout).unwrap();
            s.trim().split_once('=').unwrap().1.replace(':', "")
        };
        out.push((fp("-sha1"), fp("-sha256")));
    }
    out
}

/// `(origin, sha1, sha256)` of input `n` of a JSON report.
fn read(v: &serde_json::Value, n: usize) -> Vec<(String, String, String)> {
    v["inputs"][n]["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["origin"].as_str().unwrap_or("").to_string(),
                c["sha1"].as_str().unwrap().to_string(),
                c["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn fps(v: &serde_json::Value, n: usize) -> Vec<(String, String)> {
    read(v, n).into_iter().map(|(_, a, b)| (a, b)).collect()
}

#[test]
fn pkcs12_agrees_with_openssl_pkcs12_info() {
    if !require("openssl", &["version"]) {
        return;
    }
    // (file, -legacy needed by OpenSSL 3 to read it, password)
    for (file, legacy, password) in [
        ("p12-default.p12", false, true),
        ("p12-legacy.p12", true, true),
        ("p12-3des.p12", false, true),
        ("p12-certs-unencrypted.p12", false, true),
        ("p12-empty-password.p12", false, false),
        ("p12-certs-only.p12", false, false),
    ] {
        let path = c(file);
        let mut cmd = Std::new("openssl");
        cmd.current_dir(fixtures())
            .args(["pkcs12", "-info", "-nokeys", "-in", &path]);
        if password {
            cmd.args(["-passin", &format!("file:{PASSWORD_FILE}")]);
        } else {
            cmd.args(["-passin", "pass:"]);
        }
        if legacy {
            cmd.arg("-legacy");
        }
        let o = cmd.output().unwrap();
        assert!(o.status.success(), "openssl pkcs12 {file}: {o:?}");
        let expected = openssl_fingerprints(&String::from_utf8_lossy(&o.stdout));
        assert!(!expected.is_empty(), "{file}");
        let mut args = vec![];
        if password {
            args.extend(["--password-file", PASSWORD_FILE]);
        }
        args.push(&path);
        let (v, _) = check_json(&args);
        assert_eq!(v["inputs"][0]["format"], "pkcs12", "{file}");
        assert_eq!(fps(&v, 0), expected, "{file}");
        assert!(
            !codes(&v, 0).iter().any(|c| c.starts_with("input.")),
            "{file}: {:?}",
            codes(&v, 0)
        );
    }
    // origins: friendlyName, else `bag N` counting certificate bags from 1
    let (v, _) = check_json(&["--password-file", PASSWORD_FILE, &c("p12-default.p12")]);
    let origins: Vec<_> = read(&v, 0).into_iter().map(|r| r.0).collect();
    assert_eq!(origins, ["web", "bag 2", "bag 3"]);
    let (v, _) = check_json(&[&c("p12-certs-only.p12")]);
    let origins: Vec<_> = read(&v, 0).into_iter().map(|r| r.0).collect();
    assert_eq!(origins, ["bag 1", "bag 2"]);
}

#[test]
fn keystores_agree_with_keytool_list_rfc() {
    if !require("keytool", &["-help"]) || !require("openssl", &["version"]) {
        return;
    }
    for (file, pw) in [
        ("store.jks", "fixture-pass"),
        ("store.jceks", "fixture-pass"),
        ("truststore.jks", "changeit"),
        ("secret.jceks", "fixture-pass"),
    ] {
        let o = Std::new("keytool")
            .current_dir(fixtures())
            .args(["-list", "-rfc", "-keystore", &c(file), "-storepass", pw])
            .output()
            .unwrap();
        assert!(o.status.success(), "keytool {file}: {o:?}");
        let text = String::from_utf8_lossy(&o.stdout);
        // Each entry: "Alias name: A" then its certificate(s).
        let mut expected: Vec<(String, String, String)> = Vec::new();
        for entry in text.split("Alias name: ").skip(1) {
            let alias = entry.lines().next().unwrap().trim().to_string();
            for (sha1, sha256) in openssl_fingerprints(entry) {
                expected.push((alias.clone(), sha1, sha256));
            }
        }
        assert!(!expected.is_empty(), "{file}");
        // Read without the password, and with it (integrity checked).
        for args in [
            vec![c(file)],
            vec!["--password-file".into(), PASSWORD_FILE.into(), c(file)],
        ] {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = check(&["--format", "json"])
                .args(&args)
                .env_remove("CERTAUDIT_PASSWORD")
                .output()
                .unwrap();
            let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(v["inputs"][0]["format"], "jks");
            let mut got = read(&v, 0);
            got.sort();
            let mut want = expected.clone();
            want.sort();
            assert_eq!(got, want, "{file} {args:?}");
            let wrong_pw = pw != "fixture-pass" && args.len() == 3;
            assert_eq!(
                codes(&v, 0).contains(&"input.password_required".to_string()),
                wrong_pw,
                "{file} {args:?}: {:?}",
                codes(&v, 0)
            );
        }
    }
}

#[test]
fn json_and_yaml_agree_with_python_and_openssl() {
    if !require("openssl", &["version"]) || !require("python3", &["-c", "import yaml"]) {
        return;
    }
    let oracle = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/integration/containers_oracle.py");
    for (file, format) in [
        ("acm-get-certificate.json", "json"),
        ("iam-get-server-certificate.json", "json"),
        ("secretsmanager-get-secret-value.json", "json"),
        ("terraform-show.json", "json"),
        ("secret-tls.json", "kubernetes"),
        ("secret-tls.yaml", "kubernetes"),
        ("configmap.yaml", "kubernetes"),
        ("manifests.yaml", "kubernetes"),
        ("list.yaml", "kubernetes"),
        ("kubeconfig.yaml", "kubernetes"),
    ] {
        let o = Std::new("python3")
            .current_dir(fixtures())
            .arg(&oracle)
            .arg(c(file))
            .output()
            .unwrap();
        assert!(o.status.success(), "oracle {file}: {o:?}");
        let mut expected = Vec::new();
        for line in String::from_utf8(o.stdout).unwrap().lines() {
            let (origin, pem) = line.split_once('\t').unwrap();
            let found = openssl_fingerprints(&pem.replace("\\n", "\n"));
            assert_eq!(found.len(), 1, "{file}: one certificate per line");
            let (sha1, sha256) = found.into_iter().next().unwrap();
            expected.push((origin.to_string(), sha1, sha256));
        }
        assert!(!expected.is_empty(), "{file}");
        let (v, _) = check_json(&[&c(file)]);
        assert_eq!(v["inputs"][0]["format"], format, "{file}");
        assert_eq!(read(&v, 0), expected, "{file}");
        for cert in v["inputs"][0]["certificates"].as_array().unwrap() {
            assert!(
                cert["line"].is_null(),
                "{file}: line is null inside containers"
            );
        }
    }
}

/// Every container fixture through stdin gives what the file gives.
#[test]
fn every_kind_reads_the_same_from_stdin_and_in_a_folder() {
    let files = [
        "acm-get-certificate.json",
        "secretsmanager-get-secret-value.json",
        "secret-tls.yaml",
        "kubeconfig.yaml",
        "p12-default.p12",
        "p12-legacy.p12",
        "store.jks",
        "store.jceks",
        "console-paste.txt",
    ];
    let (folder, _) = check_json(&["--password-file", PASSWORD_FILE, "containers"]);
    for file in files {
        let (from_file, code) = check_json(&["--password-file", PASSWORD_FILE, &c(file)]);
        let bytes = std::fs::read(fixtures().join(c(file))).unwrap();
        let out = check(&["--format", "json", "--password-file", PASSWORD_FILE, "-"])
            .write_stdin(bytes)
            .output()
            .unwrap();
        let from_stdin: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(from_stdin["inputs"][0]["source"], "-");
        assert_eq!(
            from_stdin["inputs"][0]["format"], from_file["inputs"][0]["format"],
            "{file}"
        );
        assert_eq!(read(&from_stdin, 0), read(&from_file, 0), "{file}");
        assert_eq!(out.status.code(), Some(code), "{file}");
        assert!(!read(&from_file, 0).is_empty(), "{file}");
        let inputs = folder["inputs"].as_array().unwrap();
        let n = inputs
            .iter()
            .position(|i| i["source"].as_str().unwrap().ends_with(file))
            .unwrap();
        assert_eq!(
            read(&folder, n),
            read(&from_file, 0),
            "{file} in the folder"
        );
    }
}

/// `--bundle` reads containers whole (the streaming path would cut a JSON document
/// at an END line): the same certificates as without it.
#[test]
fn bundle_reads_containers_whole() {
    for file in [
        "acm-get-certificate.json",
        "terraform-show.json",
        "manifests.yaml",
        "p12-default.p12",
        "truststore.jks",
        "console-paste.txt",
    ] {
        let (plain, _) = check_json(&["--password-file", PASSWORD_FILE, &c(file)]);
        let (bundle, _) = check_json(&["--bundle", "--password-file", PASSWORD_FILE, &c(file)]);
        assert_eq!(read(&bundle, 0), read(&plain, 0), "{file}");
        assert_eq!(bundle["inputs"][0]["format"], plain["inputs"][0]["format"]);
        let text = check(&["--bundle", "--password-file", PASSWORD_FILE, &c(file)])
            .output()
            .unwrap();
        let text = String::from_utf8(text.stdout).unwrap();
        for (_, sha1, _) in read(&plain, 0) {
            // (at 100 columns the table shows the SHA-1 in two halves)
            assert!(
                text.contains(&sha1[..20]),
                "{file}: {sha1} in the text report"
            );
        }
    }
}

#[test]
fn thumbprint_and_fix_read_containers() {
    for (file, thumbprint) in [
        (
            "acm-get-certificate.json",
            "7C36F797575B4F9959650331CB55B5F070952E23",
        ),
        (
            "p12-default.p12",
            "7C36F797575B4F9959650331CB55B5F070952E23",
        ),
        (
            "iam-get-server-certificate.json",
            "E9F04E99825AE3BF47D23CB01176440E53A8D6A4",
        ),
    ] {
        let out = certaudit()
            .args([
                "thumbprint",
                "--at",
                AT,
                "--password-file",
                PASSWORD_FILE,
                &c(file),
            ])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("{thumbprint}\n"),
            "{file}"
        );
        assert_eq!(out.status.code(), Some(0), "{file}: {out:?}");
        let out = certaudit()
            .args(["fix", "--password-file", PASSWORD_FILE, &c(file)])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{file}");
        let pem = String::from_utf8(out.stdout).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----\n"), "{file}");
        assert!(!pem.contains("PRIVATE"), "{file}");
    }
    // A Secret's tls.crt holds leaf and intermediate, ca.crt the root: fix puts the
    // root last.
    let out = certaudit()
        .args(["fix", &c("secret-tls.yaml")])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout)
            .matches("BEGIN CERTIFICATE")
            .count(),
        3
    );
}

#[test]
fn passwords_from_file_env_crlf_and_wrong_ones() {
    let p12 = c("p12-default.p12");
    // Without a password: the encrypted certificates are input.password_required,
    // and the other input is still reported.
    let (v, code) = check_json(&[&p12, "chains/rsa-ordered.pem"]);
    assert_eq!(code, 1);
    assert!(codes(&v, 0).contains(&"input.password_required".into()));
    assert_eq!(v["inputs"][1]["certificates"].as_array().unwrap().len(), 2);
    // A wrong password: the same.
    let (v, code) = check_json(&["--password-file", "containers/wrong-password.txt", &p12]);
    assert_eq!(code, 1);
    assert!(codes(&v, 0).contains(&"input.password_required".into()));
    // CRLF password file.
    let (v, _) = check_json(&["--password-file", "containers/password-crlf.txt", &p12]);
    assert_eq!(read(&v, 0).len(), 3);
    // The environment.
    let out = check(&["--format", "json", &p12])
        .env("CERTAUDIT_PASSWORD", "fixture-pass")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read(&v, 0).len(), 3);
    // The file wins over the environment.
    let out = check(&["--format", "json", "--password-file", PASSWORD_FILE, &p12])
        .env("CERTAUDIT_PASSWORD", "wrong")
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(read(&v, 0).len(), 3);
    // An unreadable password file is a usage error.
    check(&["--password-file", "containers/none.txt", &p12])
        .assert()
        .code(2);
    // Unencrypted certificate bags read without the password; with a wrong one the
    // MAC fails (password_required) but they are still listed.
    let (v, _) = check_json(&[&c("p12-certs-unencrypted.p12")]);
    assert_eq!(read(&v, 0).len(), 3);
    let (v, _) = check_json(&[
        "--password-file",
        "containers/wrong-password.txt",
        &c("p12-certs-unencrypted.p12"),
    ]);
    assert_eq!(read(&v, 0).len(), 3);
    assert!(codes(&v, 0).contains(&"input.password_required".into()));
}

/// A PKCS#12 whose MAC and PBKDF2 ask for 10^9 iterations: bounded time, the cap
/// reported as a finding. The time is printed, not asserted.
#[test]
fn hostile_iteration_count_is_capped() {
    for args in [
        vec![c("p12-hostile-iterations.p12")],
        vec![
            "--password-file".into(),
            PASSWORD_FILE.into(),
            c("p12-hostile-iterations.p12"),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let t = Instant::now();
        let (v, code) = check_json(&args);
        eprintln!("hostile PKCS#12 {args:?}: {:?}", t.elapsed());
        assert_eq!(code, 1);
        assert!(
            codes(&v, 0).contains(&"input.work_limited".into()),
            "{:?}",
            codes(&v, 0)
        );
        let msg = v["inputs"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "input.work_limited")
            .unwrap()["message"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            msg.contains("1000000000") && msg.contains("4000000"),
            "{msg}"
        );
    }
}

/// A JCEKS secret-key entry (a Java serialized object) is walked over, never read:
/// the certificate stored after it is listed and the integrity check still holds.
#[test]
fn secret_keys_in_jceks_are_skipped_and_what_follows_is_read() {
    let (v, _) = check_json(&["--password-file", PASSWORD_FILE, &c("secret.jceks")]);
    assert_eq!(v["inputs"][0]["format"], "jks");
    let origins: Vec<_> = read(&v, 0).into_iter().map(|r| r.0).collect();
    assert_eq!(origins, ["ec-root"]);
    assert!(
        !codes(&v, 0).iter().any(|c| c.starts_with("input.")),
        "{:?}",
        codes(&v, 0)
    );
}

#[test]
fn findings_name_the_origin() {
    let (v, _) = check_json(&[&c("kubeconfig.yaml")]);
    let findings = v["inputs"][0]["findings"].as_array().unwrap();
    let extra = findings
        .iter()
        .find(|f| f["code"] == "chain.extra_certificate")
        .unwrap();
    assert!(
        extra["message"]
            .as_str()
            .unwrap()
            .contains("clusters/prod:certificate-authority-data"),
        "{extra}"
    );
    let text = check(&["--no-timeline", &c("kubeconfig.yaml")])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("in users/admin:client-"));
}

#[test]
fn bare_base64_reads_as_pem_with_reflowed() {
    let (v, _) = check_json(&[&c("console-paste.txt")]);
    assert_eq!(v["inputs"][0]["format"], "pem");
    assert_eq!(read(&v, 0).len(), 1);
    assert!(codes(&v, 0).contains(&"input.reflowed".into()));
}

#[test]
fn provider_thumbprints_follow_expect_thumbprint_and_its_arn_fills_the_advice() {
    let provider = c("arn:aws:iam::123456789012:oidc-provider_oidc.example.test.json");
    let (v, code) = check_json(&[
        "--expect-thumbprint",
        "1111111111111111111111111111111111111111",
        "--provider",
        &provider,
        "chains/rsa-ordered.pem",
    ]);
    assert_eq!(code, 0);
    let values: Vec<_> = v["inputs"][0]["chain"]["expected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["value"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        values,
        [
            "1111111111111111111111111111111111111111",
            "E9F04E99825AE3BF47D23CB01176440E53A8D6A4",
            "0000000000000000000000000000000000000000"
        ]
    );
    let out = check(&[
        "--no-timeline",
        "--provider",
        &provider,
        "chains/ecdsa-p256.pem",
    ])
    .output()
    .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "--open-id-connect-provider-arn arn:aws:iam::123456789012:oidc-provider/oidc.example.test "
        ),
        "{text}"
    );
    assert!(text.contains("provider for oidc.example.test"), "{text}");
    let out = check(&[
        "--no-timeline",
        "--provider",
        &provider,
        "--provider-arn",
        "arn:aws:iam::999999999999:oidc-provider/other.test",
        "chains/ecdsa-p256.pem",
    ])
    .output()
    .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("999999999999:oidc-provider/other.test"));
    check(&[
        "--provider",
        "chains/rsa-ordered.pem",
        "chains/rsa-ordered.pem",
    ])
    .assert()
    .code(2);
}

/// A JSON document of 100 MB (an array of 140 000 ACM-like objects): read whole, every
/// certificate found. Slow in a debug build: run with `--ignored`; the time is printed.
#[test]
#[ignore]
fn limits_a_100_mb_json_document() {
    let acm = std::fs::read_to_string(fixtures().join(c("acm-get-certificate.json"))).unwrap();
    let acm = acm.trim();
    let mut doc = String::with_capacity(101 << 20);
    doc.push('[');
    let mut n = 0;
    while doc.len() < 100 << 20 {
        if n > 0 {
            doc.push(',');
        }
        doc.push_str(acm);
        n += 1;
    }
    doc.push(']');
    let dir = std::env::temp_dir().join(format!("certaudit-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.json");
    std::fs::write(&path, &doc).unwrap();
    let t = Instant::now();
    let out = check(&["--bundle", "--format", "json", path.to_str().unwrap()])
        .timeout(std::time::Duration::from_secs(600))
        .output()
        .unwrap();
    eprintln!(
        "100 MB JSON ({} bytes, {n} documents, {} certificates): {:?}",
        doc.len(),
        3 * n,
        t.elapsed()
    );
    let _ = std::fs::remove_dir_all(&dir);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["format"], "json");
    assert_eq!(
        v["inputs"][0]["certificates"].as_array().unwrap().len(),
        3 * n
    );
}
