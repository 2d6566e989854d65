//! The 14 real server chains of x509-limbo (`fixtures/real/served/`): served in
//! order, every link verifies, the thumbprint is the SHA-1 of the last served
//! certificate (per `openssl x509`), `--host` passes at the validation time; and
//! reversed, or with a duplicate and a foreign certificate, they are reported as
//! such and `fix` restores them.

use crate::util::*;
use std::io::Write;

struct Served {
    host: String,
    at: String,
    peer_name: String,
    pems: Vec<String>,
}

fn served() -> Vec<Served> {
    let dir = fixtures().join("real/served");
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    index
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let text = std::fs::read_to_string(dir.join(format!("{}.pem", cols[0]))).unwrap();
            Served {
                host: cols[0].to_string(),
                at: cols[1].to_string(),
                peer_name: cols[2].to_string(),
                pems: split_pem(&text),
            }
        })
        .collect()
}

pub fn split_pem(text: &str) -> Vec<String> {
    text.split_inclusive("-----END CERTIFICATE-----")
        .filter_map(|c| c.find("-----BEGIN").map(|i| format!("{}\n", &c[i..])))
        .collect()
}

fn openssl_sha1(pem: &str) -> String {
    let mut child = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha1"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(pem.as_bytes())
        .unwrap();
    let out = String::from_utf8(child.wait_with_output().unwrap().stdout).unwrap();
    out.trim().split_once('=').unwrap().1.replace(':', "")
}

fn run_json(at: &str, extra: &[&str], stdin: String) -> serde_json::Value {
    let out = certaudit()
        .args(["check", "--format", "json", "--at", at])
        .args(extra)
        .arg("-")
        .write_stdin(stdin)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn real_chains_are_served_in_order_and_verify() {
    let all = served();
    assert_eq!(all.len(), 14);
    for s in &all {
        let v = run_json(&s.at, &["--host", &s.peer_name], s.pems.concat());
        let input = &v["inputs"][0];
        let chain = &input["chain"];
        let n = s.pems.len();
        assert_eq!(chain["order"], "ok", "{}", s.host);
        let path: Vec<u64> = chain["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        assert_eq!(
            path,
            (0..n as u64).collect::<Vec<_>>(),
            "{}: path covers every certificate",
            s.host
        );
        for link in chain["links"].as_array().unwrap() {
            assert_eq!(link["signature"], "valid", "{}: {link}", s.host);
        }
        assert_eq!(
            v["summary"]["errors"], 0,
            "{}: {}",
            s.host, input["findings"]
        );
        if require(has_openssl(), "openssl is missing: no thumbprint oracle") {
            let last = openssl_sha1(s.pems.last().unwrap());
            assert_eq!(chain["thumbprint"], last.as_str(), "{}", s.host);
            assert_eq!(chain["served_last_thumbprint"], last.as_str(), "{}", s.host);
        }
    }
}

#[test]
fn real_chains_reversed_are_out_of_order() {
    for s in served().iter().filter(|s| s.pems.len() >= 2) {
        let reversed: Vec<String> = s.pems.iter().rev().cloned().collect();
        let v = run_json(&s.at, &[], reversed.concat());
        let c = codes(&v, 0);
        assert!(
            c.contains(&"chain.out_of_order".to_string()),
            "{}: {c:?}",
            s.host
        );
        assert_eq!(v["inputs"][0]["chain"]["order"], "broken");
    }
}

#[test]
fn real_chains_with_duplicate_and_foreign_certificate_are_reported_and_fixed() {
    let all = served();
    for (n, s) in all.iter().enumerate() {
        let foreign = &all[(n + 1) % all.len()].pems[0];
        let mut mangled = s.pems.clone();
        mangled.insert(1, foreign.clone());
        mangled.push(s.pems[0].clone());
        let v = run_json(&s.at, &[], mangled.concat());
        let c = codes(&v, 0);
        assert!(
            c.contains(&"chain.duplicate".to_string()),
            "{}: {c:?}",
            s.host
        );
        assert!(
            c.contains(&"chain.extra_certificate".to_string()),
            "{}: {c:?}",
            s.host
        );
        let out = certaudit()
            .args(["fix", "-"])
            .write_stdin(mangled.concat())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", s.host);
        let fixed = split_pem(&String::from_utf8(out.stdout).unwrap());
        let norm = |v: &[String]| {
            v.iter()
                .map(|p| p.split_whitespace().collect::<String>())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            norm(&fixed),
            norm(&s.pems),
            "{}: fix restores the served chain",
            s.host
        );
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("dropped"), "{}: {stderr}", s.host);
    }
}
