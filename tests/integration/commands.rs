//! `thumbprint` and `fix` on the committed fixtures, and `check` on captures of
//! every OpenSSL generation.

use crate::util::*;
use predicates::prelude::*;

fn expected_rows() -> Vec<(String, String)> {
    std::fs::read_to_string(fixtures().join("EXPECTED.tsv"))
        .unwrap()
        .lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let tp = cols.get(3)?.trim();
            (tp.len() == 40).then(|| (cols[0].to_string(), tp.to_string()))
        })
        .collect()
}

/// Prints the 40 digits and exits as `check` does, except where the value a script
/// would register is wrong (contract, `thumbprint`): a capture without -showcerts and
/// a top of the path that is neither a CA nor self-signed print nothing, exit 1.
#[test]
fn thumbprint_prints_only_the_40_digits_and_exits_as_check_does() {
    let mut withheld = 0;
    for (file, tp) in expected_rows() {
        let (v, check_code) = check_json(&[&file]);
        let input = &v["inputs"][0];
        let top =
            &input["certificates"][input["chain"]["thumbprint_index"].as_u64().unwrap() as usize];
        let withhold = codes(&v, 0).iter().any(|c| c == "input.capture_incomplete")
            || (top["ca"] == false && top["self_signed"] == false);
        let out = certaudit()
            .args(["thumbprint", "--at", AT, &file])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        if withhold {
            withheld += 1;
            assert_eq!(String::from_utf8(out.stdout).unwrap(), "", "{file}");
            assert_eq!(out.status.code(), Some(1), "{file}");
            assert!(
                stderr.contains(&tp),
                "{file}: the SHA-1 for information: {stderr}"
            );
            assert!(stderr.contains("-showcerts"), "{file}: {stderr}");
        } else {
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                format!("{tp}\n"),
                "{file}"
            );
            assert_eq!(out.status.code(), Some(check_code), "{file}");
        }
    }
    assert!(withheld >= 8, "{withheld}");
}

#[test]
fn captures_without_showcerts_say_how_many_certificates_the_server_sent() {
    for (file, served) in [
        ("s_client/openssl3-no-showcerts.txt", 2),
        ("s_client/openssl3-no-showcerts-3.txt", 3),
        ("s_client/openssl3-no-showcerts-4.txt", 4),
        ("s_client/openssl111-no-showcerts.txt", 2),
        ("s_client/openssl111-no-showcerts-3.txt", 3),
        ("s_client/openssl111-no-showcerts-4.txt", 4),
    ] {
        let (v, code) = check_json(&[file]);
        let input = &v["inputs"][0];
        assert_eq!(input["served_count"], served, "{file}");
        assert_eq!(input["tls_version"], "TLSv1.3", "{file}");
        assert_eq!(codes(&v, 0), vec!["input.capture_incomplete"], "{file}");
        assert_eq!(code, 1, "{file}");
        certaudit()
            .args(["thumbprint", "--at", AT, file])
            .assert()
            .code(1)
            .stdout("")
            .stderr(predicate::str::contains("without -showcerts"));
    }
    // With -showcerts: the count, and no finding about the capture.
    let (v, _) = check_json(&["s_client/openssl3-ordered-tls12-untrusted.txt"]);
    assert_eq!(v["inputs"][0]["served_count"], 2);
    assert_eq!(v["inputs"][0]["tls_version"], "TLSv1.2");
    let (v, _) = check_json(&["s_client/openssl102-ordered.txt"]);
    assert_eq!(
        v["inputs"][0]["tls_version"], "TLSv1.2",
        "from the SSL-Session Protocol line"
    );
    let (v, _) = check_json(&["chains/rsa-ordered.pem"]);
    assert_eq!(v["inputs"][0]["served_count"], serde_json::Value::Null);
    assert_eq!(v["inputs"][0]["tls_version"], serde_json::Value::Null);
}

#[test]
fn thumbprint_of_a_self_signed_server_certificate_is_printed_with_a_warning() {
    certaudit()
        .args(["thumbprint", "--at", AT, "chains/selfsigned-leaf.pem"])
        .assert()
        .code(0)
        .stdout(predicate::str::is_match("^[0-9A-F]{40}\n$").unwrap())
        .stderr(predicate::str::contains(
            "changes whenever the certificate is replaced",
        ));
}

#[test]
fn thumbprint_of_a_misordered_chain_names_the_last_served_certificate() {
    certaudit()
        .args(["thumbprint", "--at", AT, "chains/rsa-reversed.pem"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("last"))
        .stderr(predicate::str::contains("chain.out_of_order"));
}

#[test]
fn thumbprint_with_nothing_readable_prints_nothing_and_exits_1() {
    certaudit()
        .args(["thumbprint", "--at", AT, "malformed/redacted.pem"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn thumbprint_mismatch_says_which_certificate_the_value_belongs_to() {
    // The leaf's SHA-1 configured instead of the top of the path.
    let (v, _) = check_json(&["chains/rsa-ordered.pem"]);
    let leaf = v["inputs"][0]["certificates"][0]["sha1"]
        .as_str()
        .unwrap()
        .to_string();
    let (v, code) = check_json(&[
        "--expect-thumbprint",
        &leaf.to_lowercase(),
        "chains/rsa-ordered.pem",
    ]);
    assert_eq!(code, 1);
    assert_eq!(v["inputs"][0]["chain"]["expected"][0]["matches"], "leaf");
    assert_eq!(v["inputs"][0]["chain"]["expected"][0]["index"], 0);
    assert!(codes(&v, 0).contains(&"thumbprint.mismatch".to_string()));
    let top = v["inputs"][0]["chain"]["thumbprint"]
        .as_str()
        .unwrap()
        .to_string();
    let (v, code) = check_json(&["--expect-thumbprint", &top, "chains/rsa-ordered.pem"]);
    assert_eq!(code, 0, "{}", v["inputs"][0]["findings"]);
    assert_eq!(v["inputs"][0]["chain"]["expected"][0]["matches"], "top");
    let (v, _) = check_json(&[
        "--expect-thumbprint",
        "0000000000000000000000000000000000000000",
        "chains/rsa-ordered.pem",
    ]);
    assert_eq!(v["inputs"][0]["chain"]["expected"][0]["matches"], "none");
}

#[test]
fn fix_writes_the_path_in_order_and_lists_moves() {
    let out = certaudit()
        .args(["fix", "chains/rsa-reversed.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let fixed = String::from_utf8(out.stdout).unwrap();
    let (v, code) = {
        let o = certaudit()
            .args(["check", "--format", "json", "--at", AT, "-"])
            .write_stdin(fixed.clone())
            .output()
            .unwrap();
        (
            serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap(),
            o.status.code(),
        )
    };
    assert_eq!(code, Some(0), "{}", v["inputs"][0]["findings"]);
    assert_eq!(v["inputs"][0]["chain"]["order"], "ok");
    assert!(fixed.lines().all(|l| l.len() <= 64));
    assert!(String::from_utf8(out.stderr).unwrap().contains("moved"));
}

#[test]
fn check_reads_captures_of_every_openssl_generation() {
    for file in [
        "s_client/openssl102-ordered.txt",
        "s_client/openssl111-ordered.txt",
        "s_client/openssl3-ordered.txt",
    ] {
        let (v, code) = check_json(&[file]);
        assert_eq!(code, 0, "{file}: {}", v["inputs"][0]["findings"]);
        assert_eq!(v["inputs"][0]["format"], "s_client", "{file}");
        assert_eq!(v["inputs"][0]["chain"]["order"], "ok", "{file}");
        assert!(v["inputs"][0]["certificates"][0]["line"].is_u64(), "{file}");
    }
}

#[test]
fn stdin_paste_is_read_like_a_file() {
    let text = std::fs::read_to_string(fixtures().join("s_client/openssl3-ordered.txt")).unwrap();
    let out = check(&["--format", "json"])
        .write_stdin(text)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["source"], "-");
    assert_eq!(v["inputs"][0]["format"], "s_client");
}

#[test]
fn completions_and_man_page_are_generated() {
    for shell in ["bash", "zsh", "fish"] {
        certaudit()
            .args(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("certaudit"));
    }
    certaudit()
        .arg("man")
        .assert()
        .success()
        .stdout(predicate::str::contains(".TH certaudit"));
}

#[test]
fn host_accepts_a_url_and_expect_thumbprint_a_comma_separated_list() {
    let (v, _) = check_json(&[
        "--host",
        "https://www.example.test:8443/id/ABC",
        "--expect-thumbprint",
        "E9F04E99825AE3BF47D23CB01176440E53A8D6A4,80F097469EE5734D8F28D179316D544767E4ADA1",
        "chains/rsa-ordered.pem",
    ]);
    assert!(
        !codes(&v, 0).iter().any(|c| c == "host.mismatch"),
        "{:?}",
        codes(&v, 0)
    );
    let expected = v["inputs"][0]["chain"]["expected"].as_array().unwrap();
    assert_eq!(expected.len(), 2);
    assert_eq!(expected[1]["matches"], "leaf");
    let (v, _) = check_json(&[
        "--host",
        "https://other.example.test/",
        "chains/rsa-ordered.pem",
    ]);
    assert!(codes(&v, 0).iter().any(|c| c == "host.mismatch"));
}

#[test]
fn fix_on_a_chain_already_in_order_says_so() {
    certaudit()
        .args(["fix", "chains/rsa-ordered.pem"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("already in order"));
}

#[test]
fn a_tls13_capture_of_a_host_aws_validates_by_ca_says_to_check_tls12() {
    let host = "token.actions.githubusercontent.com";
    let out = check(&["--host", host, "s_client/openssl3-ordered.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("openssl s_client -tls1_2 -servername {host}")),
        "{text}"
    );
    let out = check(&[
        "--host",
        host,
        "s_client/openssl3-ordered-tls12-untrusted.txt",
    ])
    .output()
    .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains("-tls1_2"));
}

#[test]
fn version_names_the_embedded_root_store_as_chain_trust_does() {
    let out = certaudit().arg("--version").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let (v, _) = check_json(&["chains/rsa-ordered.pem"]);
    let store = v["inputs"][0]["chain"]["trust"]["store"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(store.starts_with("mozilla:"), "{store}");
    assert!(text.contains(&store), "{text} / {store}");
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let version = store.trim_start_matches("mozilla:");
    assert!(
        lock.contains(&format!(
            "name = \"webpki-root-certs\"\nversion = \"{version}\""
        )),
        "the store's version follows Cargo.lock"
    );
}

/// chain.trust on the fixtures' private PKI: untrusted by the embedded store, trusted
/// with its root as --trust; an expired leaf and a wrong --host say why.
#[test]
fn chain_trust_reasons_on_the_private_pki() {
    let trust = |args: &[&str]| {
        let (v, _) = check_json(args);
        v["inputs"][0]["chain"]["trust"].clone()
    };
    let t = trust(&["chains/rsa-ordered.pem"]);
    assert_eq!(
        (t["status"].as_str(), t["reason"].as_str()),
        (Some("untrusted"), Some("unknown_issuer"))
    );
    assert!(t["anchor"].is_null());
    let t = trust(&["--trust", "gen/rsa/root.pem", "chains/rsa-reversed.pem"]);
    assert_eq!(t["status"], "trusted", "served in any order");
    assert_eq!(t["store"], "file:gen/rsa/root.pem");
    assert_eq!(
        t["anchor"]["subject"],
        "CN=Example RSA Root CA,O=Example,C=US"
    );
    let t = trust(&["--trust", "gen/rsa/root.pem", "chains/rsa-expired-leaf.pem"]);
    assert_eq!(t["reason"], "expired");
    let t = trust(&[
        "--trust",
        "gen/rsa/root.pem",
        "--host",
        "wrong.example",
        "chains/rsa-ordered.pem",
    ]);
    assert_eq!(t["reason"], "name_mismatch");
}

#[test]
fn trust_untrusted_is_reported_without_trust_and_only_then() {
    let has = |args: &[&str]| {
        let (v, _) = check_json(args);
        codes(&v, 0).iter().any(|c| c == "trust.untrusted")
    };
    // The fixtures' private PKI is not in the embedded (Mozilla) store.
    assert!(has(&["chains/rsa-ordered.pem"]));
    // With --trust the store is the user's: chain.incomplete speaks for it instead.
    assert!(!has(&[
        "--trust",
        "formats/rsa-root.der",
        "chains/rsa-ordered.pem"
    ]));
    // A capture without -showcerts holds too little to judge.
    assert!(!has(&["s_client/openssl3-no-showcerts.txt"]));
}

/// Contract, "How AWS uses the thumbprint": a chain that validates to a public root
/// makes the list a fallback; the advice says what follows, once, and still names
/// the value to keep.
#[test]
fn a_public_chain_says_a_mismatch_alone_does_not_explain_the_sts_error() {
    let out = certaudit()
        .args([
            "check",
            "--at",
            "2026-02-02T00:00:01Z",
            "--host",
            "amazon.com",
            "real/served/amazon.com.pem",
        ])
        .output()
        .unwrap();
    let raw = String::from_utf8(out.stdout).unwrap();
    // Prose is wrapped to the width: compare it as words.
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("AWS most likely validates this host by its CA library"),
        "{text}"
    );
    assert!(
        text.contains("A thumbprint mismatch alone does not explain"),
        "{text}"
    );
    assert!(
        text.contains("Keep D6AEE31631F7ABC56B9DE8ABECCC4108A626B104"),
        "{text}"
    );
    // Said once: the fallback sentence is the verdict's, not the advice's too.
    assert_eq!(text.matches("fallback").count(), 1, "{text}");
    assert!(!text.contains("Register the IAM thumbprint"), "{text}");
}

/// The same private chain, without and with `--trust` of its own root: AWS's view
/// follows the public store either way (AWS does not have the private root).
#[test]
fn a_private_chain_names_the_value_to_register_and_why_with_or_without_trust() {
    for extra in [&[][..], &["--trust", "formats/rsa-root.der"][..]] {
        let mut args = extra.to_vec();
        args.push("chains/rsa-ordered.pem");
        let out = check(&args).output().unwrap();
        let raw = String::from_utf8(out.stdout).unwrap();
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("AWS validates this host by the thumbprint list"),
            "{extra:?}: {text}"
        );
        assert!(
            text.contains("Register the IAM thumbprint E9F04E99825AE3BF47D23CB01176440E53A8D6A4"),
            "{extra:?}: {text}"
        );
        assert!(
            text.contains("in the provider's thumbprint list, which AWS checks for this host."),
            "{extra:?}: {text}"
        );
        // Why, once: in the AWS line.
        assert_eq!(text.matches("private CA").count(), 1, "{extra:?}: {text}");
    }
    // chain.trust itself follows --trust.
    let (v, _) = check_json(&["--trust", "formats/rsa-root.der", "chains/rsa-ordered.pem"]);
    assert_eq!(v["inputs"][0]["chain"]["trust"]["status"], "trusted");
}

/// `thumbprint` says nothing on stderr when nothing is wrong: the advice's "register
/// this value" is what its stdout already is.
#[test]
fn thumbprint_is_silent_on_stderr_for_a_good_chain() {
    let out = certaudit()
        .args(["thumbprint", "--at", AT, "chains/rsa-ordered.pem"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "E9F04E99825AE3BF47D23CB01176440E53A8D6A4\n"
    );
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "");
}

/// `oidc` states today's AWS rule and, for every host, the TLS 1.2 check, in text
/// and JSON, with the same command form as `check`'s advice.
#[test]
fn oidc_states_the_aws_rule_and_the_tls12_check() {
    let out = certaudit()
        .args(["oidc", "oidc/github-actions.json"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("How AWS uses the thumbprint: AWS IAM verifies"),
        "{text}"
    );
    assert!(text.contains("or when the host requires TLS 1.3"), "{text}");
    let host = "token.actions.githubusercontent.com";
    let tls12 =
        format!("openssl s_client -tls1_2 -servername {host} -connect {host}:443 </dev/null");
    assert!(text.contains(&format!("  TLS 1.2:    {tls12}")), "{text}");
    assert!(text.contains("AWS-trusted: GitHub"), "{text}");
    let out = certaudit()
        .args(["oidc", "--format", "json", "oidc/github-actions.json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["aws_rule"].as_str().unwrap().contains("TLS 1.3"));
    assert_eq!(v["hosts"][0]["tls12_command"], tls12.as_str());
    assert_eq!(v["hosts"][0]["aws_trusted_provider"], "GitHub");
}

/// Issue 12: a DSA-signed chain (root DSA → intermediate → leaf) and an Ed448 one are
/// verified, so the thumbprint is the top CA's, never the leaf's (while DSA was
/// `unsupported` the path stopped at the leaf and the leaf's SHA-1 was printed).
#[test]
fn dsa_and_ed448_chains_give_the_top_ca_as_thumbprint() {
    let rows = expected_rows();
    for (file, top) in [
        ("chains/dsa-ordered.pem", 1),
        ("chains/dsa-root-included.pem", 2),
        ("chains/dsa-sha1-leaf.pem", 1),
        ("chains/ed448.pem", 1),
    ] {
        let (v, _) = check_json(&[file]);
        let input = &v["inputs"][0];
        let chain = &input["chain"];
        assert_eq!(chain["thumbprint_index"], top, "{file}");
        let leaf_sha1 = input["certificates"][0]["sha1"].as_str().unwrap();
        assert_ne!(chain["thumbprint"], leaf_sha1, "{file}");
        for link in chain["links"].as_array().unwrap() {
            assert_eq!(link["signature"], "valid", "{file}: {link}");
        }
        let expected = &rows.iter().find(|(f, _)| f == file).unwrap().1;
        assert_eq!(chain["thumbprint"], expected.as_str(), "{file}");
        let out = certaudit()
            .args(["thumbprint", "--at", AT, file])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("{expected}\n")
        );
        assert!(
            !codes(&v, 0).iter().any(|c| c == "chain.unverified_link"),
            "{file}"
        );
    }
    let (v, _) = check_json(&["chains/dsa-ordered.pem"]);
    let c = &v["inputs"][0]["certificates"];
    assert_eq!(c[0]["signature_algorithm"], "dsa_with_SHA224");
    assert_eq!(c[1]["signature_algorithm"], "dsa_with_SHA256");
    assert_eq!(c[1]["public_key"], "DSA 2048");
}

/// chain.trust and DSA/Ed448 (README "Where the contract was unclear"): webpki takes
/// no DSA, so a DSA chain validates to no root: `unknown_issuer` against the public
/// store (its private root is not there), `bad_signature` against a --trust bundle
/// holding that root. Ed448 is handed to webpki and validates to its root.
#[test]
fn chain_trust_of_dsa_and_ed448_chains() {
    let trust = |args: &[&str]| {
        let (v, _) = check_json(args);
        v["inputs"][0]["chain"]["trust"].clone()
    };
    let t = trust(&["chains/dsa-ordered.pem"]);
    assert_eq!(
        (t["status"].as_str(), t["reason"].as_str()),
        (Some("untrusted"), Some("unknown_issuer"))
    );
    let t = trust(&["--trust", "gen/dsa/root.pem", "chains/dsa-ordered.pem"]);
    assert_eq!(
        (t["status"].as_str(), t["reason"].as_str()),
        (Some("untrusted"), Some("bad_signature"))
    );
    let t = trust(&["--trust", "gen/ed448/root.pem", "chains/ed448.pem"]);
    assert_eq!(t["status"], "trusted", "{t}");
    assert_eq!(
        t["anchor"]["subject"],
        "CN=Example Ed448 Root CA,O=Example,C=US"
    );
}

/// Issue 12: a link whose signature cannot be checked never changes the thumbprint
/// silently: `chain.unverified_link` (warning) in `check`, its headline on
/// `thumbprint`'s stderr, and the advice gives the OpenSSL command that checks it.
#[test]
fn an_unverified_link_that_stops_the_path_is_said_by_check_and_thumbprint() {
    let file = "chains/brainpool-root-unverified.pem";
    let (v, _) = check_json(&[file]);
    let input = &v["inputs"][0];
    assert_eq!(input["chain"]["thumbprint_index"], 1);
    let f = input["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "chain.unverified_link")
        .expect("chain.unverified_link");
    assert_eq!(f["severity"], "warning");
    assert_eq!(f["certificate"], 1);
    assert!(!codes(&v, 0).iter().any(|c| c == "chain.root_omitted"));
    let out = certaudit()
        .args(["thumbprint", "--at", AT, file])
        .output()
        .unwrap();
    let top = input["certificates"][1]["sha1"].as_str().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), format!("{top}\n"));
    let err = String::from_utf8(out.stderr).unwrap();
    let flat = err.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.starts_with(
            "warning[chain.unverified_link]: the IAM thumbprint is #1's because its signature by #2 could not be checked (unsupported); it may be #2's or above"
        ),
        "{err}"
    );
    let out = check(&[file]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("      openssl verify -partial_chain -CAfile issuer.pem cert.pem\n"),
        "{text}"
    );
}
