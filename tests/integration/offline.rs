//! certaudit never opens a network connection: no networking crate may enter its
//! dependency tree, and the binary behaves the same inside a network namespace
//! that has no network at all (`unshare -rn`).

use crate::util::*;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

/// Crates whose purpose is network I/O (sockets, DNS, HTTP, TLS, async runtimes
/// built on them). A name matches exactly or as `name-…` / `name_…`.
const NETWORKING: &[&str] = &[
    "tokio",
    "mio",
    "socket2",
    "hyper",
    "h2",
    "h3",
    "http-body",
    "reqwest",
    "ureq",
    "curl",
    "curl-sys",
    "isahc",
    "surf",
    "attohttpc",
    "minreq",
    "rustls",
    "native-tls",
    "tokio-rustls",
    "tokio-native-tls",
    "openssl",
    "openssl-sys",
    "quinn",
    "async-std",
    "async-io",
    "async-net",
    "smol",
    "trust-dns-resolver",
    "trust-dns-proto",
    "hickory-resolver",
    "hickory-proto",
    "tungstenite",
    "websocket",
    "libssh2-sys",
    "ssh2",
    "tiny_http",
    "actix-web",
    "axum",
    "warp",
    "tonic",
    "zmq",
    "nng",
    "libp2p",
];

/// Crates whose names start like a networking crate's but that do no I/O: the
/// rustls project's path validator and its types, and Mozilla's root store as data.
/// A certificate validator takes bytes and a time and returns a verdict; it opens
/// nothing (issue 12 brings them in for `chain.trust`). `rustls` itself, the TLS
/// protocol, stays on the list.
const NOT_NETWORKING: &[&str] = &[
    "rustls-webpki",
    "rustls-pki-types",
    "webpki-root-certs",
    "webpki-roots",
];

fn is_networking(name: &str) -> bool {
    if NOT_NETWORKING.contains(&name) {
        return false;
    }
    NETWORKING.iter().any(|n| {
        name == *n
            || name
                .strip_prefix(n)
                .is_some_and(|rest| rest.starts_with('-') || rest.starts_with('_'))
    })
}

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_networking_list_matches_what_it_should() {
    for yes in [
        "tokio",
        "tokio-util",
        "hyper-util",
        "rustls",
        "rustls-platform-verifier",
        "mio",
        "hickory-proto",
    ] {
        assert!(is_networking(yes), "{yes}");
    }
    for no in [
        "tls_codec",
        "tls_codec_derive",
        "miow2",
        "hypertext",
        "h2o2",
        "der",
        "curve25519-dalek",
        "rustls-webpki",
        "rustls-pki-types",
        "webpki-root-certs",
    ] {
        assert!(!is_networking(no), "{no}");
    }
}

/// Every crate the binary links (normal and build dependencies), as `cargo tree`
/// resolves them from Cargo.lock, offline: for every target platform when the
/// registry cache holds every platform's crates, else for this host (a fresh
/// checkout built here has only those). `None` when neither resolves.
fn runtime_crates() -> Option<BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut failures = String::new();
    for target in [&["--target", "all"][..], &[]] {
        let out = Command::new(&cargo)
            .args(["tree", "--offline", "--locked", "-e", "normal,build"])
            .args(target)
            .args(["--prefix", "none", "--format", "{p}"])
            .current_dir(manifest_dir())
            .output()
            .ok()?;
        if !out.status.success() {
            failures.push_str(&format!(
                "cargo tree {target:?} failed ({}):\n{}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            ));
            continue;
        }
        if !failures.is_empty() {
            println!("{failures}fell back to this host's dependency tree");
        }
        let crates: BTreeSet<String> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        return Some(crates);
    }
    println!("{failures}falling back to Cargo.lock only");
    None
}

/// Every package Cargo.lock names (dev-dependencies included).
fn locked_crates() -> BTreeSet<String> {
    let lock = std::fs::read_to_string(manifest_dir().join("Cargo.lock")).unwrap();
    lock.lines()
        .filter_map(|l| l.strip_prefix("name = \""))
        .filter_map(|l| l.strip_suffix('"'))
        .map(str::to_string)
        .collect()
}

#[test]
fn no_networking_crate_in_the_dependency_tree() {
    let locked = locked_crates();
    assert!(locked.contains("certaudit"), "Cargo.lock not read");
    let mut offenders: Vec<String> = locked
        .iter()
        .filter(|c| is_networking(c))
        .map(|c| format!("{c} (in Cargo.lock)"))
        .collect();
    if let Some(tree) = runtime_crates() {
        assert!(tree.contains("certaudit"), "cargo tree printed: {tree:?}");
        assert!(tree.contains("der"), "cargo tree printed: {tree:?}");
        println!("cargo tree: {} crates linked into the binary", tree.len());
        offenders.extend(
            tree.iter()
                .filter(|c| is_networking(c))
                .map(|c| format!("{c} (linked into the binary)")),
        );
    }
    assert!(
        offenders.is_empty(),
        "networking crates in the dependency tree: {offenders:?}; certaudit must stay offline \
         (see `cargo tree -e normal,build -i CRATE` for who pulls them in)"
    );
}

/// Does `unshare -rn` work here (user + network namespace without privileges)?
fn unshare_works() -> bool {
    Command::new("unshare")
        .args(["-rn", "true"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `certaudit ARGS` from `fixtures/`, directly or inside `unshare -rn`.
fn run(isolated: bool, args: &[&str], stdin: &[u8]) -> (Option<i32>, Vec<u8>, Vec<u8>) {
    let bin = env!("CARGO_BIN_EXE_certaudit");
    let mut cmd = if isolated {
        let mut c = assert_cmd::Command::new("unshare");
        c.args(["-rn", bin]);
        c
    } else {
        assert_cmd::Command::new(bin)
    };
    let out = cmd
        .args(args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .write_stdin(stdin.to_vec())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    (out.status.code(), out.stdout, out.stderr)
}

#[test]
fn works_identically_without_any_network() {
    if !require(
        unshare_works(),
        "`unshare -rn` does not work here (util-linux missing, or no unprivileged user \
         namespaces), so the binary cannot be run without a network",
    ) {
        return;
    }
    // The namespace really has no network: only a loopback that is down.
    let probe = Command::new("unshare")
        .args(["-rn", "cat", "/proc/net/dev"])
        .output()
        .unwrap();
    let devices = String::from_utf8_lossy(&probe.stdout);
    assert!(
        devices
            .lines()
            .skip(2)
            .all(|l| l.trim_start().starts_with("lo:")),
        "{devices}"
    );

    let s_client = std::fs::read("s_client/openssl102-cross-signed.txt")
        .or_else(|_| std::fs::read(fixtures().join("s_client/openssl102-cross-signed.txt")))
        .unwrap();
    let cases: Vec<(Vec<&str>, &[u8])> = vec![
        (vec!["check", "--at", AT, "chains/rsa-ordered.pem"], b""),
        (
            vec![
                "check",
                "--at",
                AT,
                "--format",
                "json",
                "chains",
                "real/served",
            ],
            b"",
        ),
        (
            vec!["check", "--at", AT, "--host", "www.example.test", "-"],
            &s_client,
        ),
        (
            vec!["thumbprint", "--at", AT, "real/served/amazon.com.pem"],
            b"",
        ),
        (vec!["fix", "chains/rsa-reversed.pem"], b""),
        (
            vec![
                "check",
                "--at",
                AT,
                "--trust",
                "real/roots/amazon-root-ca-1.pem",
                "real/served",
            ],
            b"",
        ),
    ];
    for (args, stdin) in cases {
        let open = run(false, &args, stdin);
        let closed = run(true, &args, stdin);
        assert!(matches!(open.0, Some(0 | 1)), "{args:?}: exit {:?}", open.0);
        assert_eq!(open.0, closed.0, "{args:?}: exit codes differ");
        assert_eq!(
            String::from_utf8_lossy(&open.1),
            String::from_utf8_lossy(&closed.1),
            "{args:?}: stdout differs without a network"
        );
        assert_eq!(
            String::from_utf8_lossy(&open.2),
            String::from_utf8_lossy(&closed.2),
            "{args:?}: stderr differs without a network"
        );
    }
}
