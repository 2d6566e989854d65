//! Robustness: every input the fuzzers ever crashed on (`fixtures/regress/`), the
//! limits of the README's "Guarantees" (5 MB lines, DER lengths claiming
//! gigabytes, a 10,000-certificate "chain", 100,000 files, a 1 GiB `--bundle`), and
//! the exit code 2 paths (missing, unreadable file, unreadable folder).
//!
//! The costly limits are `#[ignore]`d; run them with
//! `cargo test --release --test integration robust:: -- --ignored --nocapture`.
//! Every binary run here has a timeout, so a hang fails the test instead of the build.

use crate::util::*;
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Generous: a debug build on a loaded 2-core machine.
pub(crate) const TIMEOUT: Duration = Duration::from_secs(60);

/// Address space the DER-length tests allow the process (KiB): a claimed length of
/// gigabytes cannot be allocated under it.
const VM_LIMIT_KIB: u64 = 1024 * 1024;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_certaudit")
}

/// What one run of the binary did.
pub(crate) struct Run {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
    pub(crate) elapsed: Duration,
    /// Peak resident set size (KiB), when `/usr/bin/time` measured it.
    pub(crate) rss_kib: Option<u64>,
}

impl Run {
    /// Exit 0 or 1 (a report, with or without error findings), no panic.
    pub(crate) fn assert_reported(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked"),
            "{what}: panicked:\n{}",
            self.stderr
        );
        assert!(
            matches!(self.code, Some(0 | 1)),
            "{what}: exit {:?} (0 or 1 expected)\nstderr:\n{}",
            self.code,
            self.stderr
        );
    }

    /// "1.23s, peak RSS 4567 KiB" for the figures the tests print.
    pub(crate) fn figures(&self) -> String {
        format!(
            "{:.2?}, peak RSS {}",
            self.elapsed,
            self.rss_kib
                .map_or("unknown (no /usr/bin/time)".into(), |k| format!("{k} KiB"))
        )
    }

    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout).unwrap_or_else(|e| {
            panic!("not JSON ({e}):\n{}", String::from_utf8_lossy(&self.stdout))
        })
    }
}

/// What `/usr/bin/time -f` appends to stderr: the peak RSS, taken off again by `run`.
const RSS_TAG: &str = "certaudit-robust-peak-rss-kib=";

/// Runs `certaudit ARGS` from `fixtures/` with `stdin`, killing it after `timeout`;
/// with `vm_limit_kib`, under `ulimit -v` (address space) so that an allocation of
/// the size an input claims aborts the process instead of succeeding. Under
/// `/usr/bin/time` when present, for the peak RSS (of certaudit itself: the shell
/// that sets the limit `exec`s it).
pub(crate) fn run(
    args: &[&str],
    stdin: &[u8],
    timeout: Duration,
    vm_limit_kib: Option<u64>,
) -> Run {
    let time = Path::new("/usr/bin/time").exists();
    let mut cmd = if time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-q").arg("-f").arg(format!("\n{RSS_TAG}%M"));
        c
    } else {
        Command::new("env")
    };
    match vm_limit_kib {
        Some(kib) => {
            cmd.arg("sh")
                .arg("-c")
                .arg(r#"ulimit -v "$0" && exec "$@""#)
                .arg(kib.to_string())
                .arg(bin());
        }
        None => {
            cmd.arg(bin());
        }
    }
    cmd.args(args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .env("COLUMNS", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // Its own process group, so a timeout kills certaudit and not only `time`.
        .process_group(0);
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn certaudit");
    let mut input = child.stdin.take().expect("stdin");
    let data = stdin.to_vec();
    // A writer thread, so a process that stops reading cannot block the test.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = wait_with_timeout(child, timeout);
    let elapsed = start.elapsed();
    let _ = writer.join();
    let out = out.unwrap_or_else(|| panic!("certaudit {args:?} did not finish in {timeout:?}"));
    let mut stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut rss_kib = None;
    if time && let Some(at) = stderr.rfind(RSS_TAG) {
        rss_kib = stderr[at + RSS_TAG.len()..].trim().parse().ok();
        stderr.truncate(at.saturating_sub(1));
    }
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr,
        elapsed,
        rss_kib,
    }
}

/// `wait_with_output`, or `None` (the child's process group killed) after `timeout`.
fn wait_with_timeout(child: std::process::Child, timeout: Duration) -> Option<Output> {
    let id = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(timeout) {
        Ok(out) => Some(out.expect("wait for certaudit")),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-9", "--", &format!("-{id}")])
                .status();
            None
        }
    }
}

pub(crate) fn check_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut v = vec!["check", "--at", AT];
    v.extend_from_slice(extra);
    v
}

/// A scratch folder under the system temp dir, removed on drop.
pub(crate) struct Scratch(pub(crate) PathBuf);

impl Scratch {
    pub(crate) fn new(tag: &str) -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("certaudit-robust-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    pub(crate) fn str(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        restore_permissions(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn restore_permissions(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) {
                restore_permissions(&p);
            }
        }
    }
}

fn read_fixture(rel: &str) -> Vec<u8> {
    std::fs::read(fixtures().join(rel)).unwrap()
}

/// The DER of every certificate block of a PEM fixture.
pub(crate) fn pem_ders(rel: &str) -> Vec<Vec<u8>> {
    let text = String::from_utf8(read_fixture(rel)).unwrap();
    pem::parse_many(text)
        .unwrap()
        .into_iter()
        .filter(|p| p.tag() == "CERTIFICATE")
        .map(|p| p.into_contents())
        .collect()
}

fn pem_of(ders: &[Vec<u8>]) -> String {
    ders.iter()
        .map(|d| pem::encode(&pem::Pem::new("CERTIFICATE", d.clone())))
        .collect()
}

// ---------------------------------------------------------------------------
// Crash regressions: every file in fixtures/regress/ through every command.

fn regress_files() -> Vec<PathBuf> {
    let dir = fixtures().join("regress");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"));
    files.sort();
    files
}

#[test]
fn every_regression_input_is_reported_by_every_command_without_panic() {
    for file in regress_files() {
        let name = file.display().to_string();
        for args in [
            check_args(&["--format", "json", &name]),
            check_args(&["--host", "www.example.com", &name]),
            check_args(&["--bundle", &name]),
            vec!["thumbprint", "--at", AT, &name],
            vec!["fix", &name],
        ] {
            let r = run(&args, b"", TIMEOUT, Some(VM_LIMIT_KIB));
            r.assert_reported(&format!("{args:?}"));
            if args.contains(&"json") {
                assert_eq!(r.json()["summary"]["inputs"], 1, "{name}");
            }
        }
        // The same bytes on stdin.
        let bytes = std::fs::read(&file).unwrap();
        run(&check_args(&["-"]), &bytes, TIMEOUT, Some(VM_LIMIT_KIB))
            .assert_reported(&format!("{name} on stdin"));
    }
}

// ---------------------------------------------------------------------------
// Limits.

/// A line of 5 MB: as a one-line PEM body, as prose, and after a real chain.
#[test]
fn five_megabyte_lines_are_read_in_bounded_time() {
    const MB5: usize = 5 * 1024 * 1024;
    let chain = String::from_utf8(read_fixture("chains/rsa-ordered.pem")).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "one-line PEM block with a 5 MB body",
            format!(
                "-----BEGIN CERTIFICATE----- {} -----END CERTIFICATE-----\n",
                "QUFB".repeat(MB5 / 4)
            )
            .into_bytes(),
        ),
        (
            "5 MB base64 line between BEGIN and END",
            format!(
                "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
                "MIIB".repeat(MB5 / 4)
            )
            .into_bytes(),
        ),
        ("5 MB of prose without a newline", b"word ".repeat(MB5 / 5)),
        (
            "a chain, then a 5 MB line",
            format!("{chain}{}\n", "x".repeat(MB5)).into_bytes(),
        ),
        (
            "5 MB of BEGIN lines on one line",
            "-----BEGIN CERTIFICATE-----".repeat(MB5 / 27).into_bytes(),
        ),
        (
            "5 MB line of one-line blocks",
            one_line_blocks(&chain, MB5).into_bytes(),
        ),
    ];
    for (what, bytes) in cases {
        let r = run(
            &check_args(&["--format", "json", "-"]),
            &bytes,
            TIMEOUT,
            None,
        );
        r.assert_reported(what);
        let v = r.json();
        println!(
            "{what}: {} bytes, {} certificates: {}",
            bytes.len(),
            v["summary"]["certificates"],
            r.figures()
        );
        if what.starts_with("a chain") {
            assert_eq!(v["summary"]["certificates"], 2, "{what}");
        }
    }
}

/// The chain's blocks, each on one line, repeated on one line up to `len` bytes.
fn one_line_blocks(chain: &str, len: usize) -> String {
    let one: String = chain.lines().collect::<Vec<_>>().join(" ");
    let mut s = String::with_capacity(len + one.len());
    while s.len() < len {
        s.push_str(&one);
        s.push(' ');
    }
    s
}

/// Length fields that claim up to 4 GiB, in every container the input stage reads:
/// nothing is allocated from a claimed length (the process runs under a 1 GiB
/// address-space limit, so such an allocation would abort it).
#[test]
fn der_lengths_claiming_gigabytes_are_not_allocated() {
    let leaf = pem_ders("gen/rsa/leaf.pem").remove(0);
    let mut cases: Vec<(String, Vec<u8>)> = Vec::new();
    for claim in [
        [0x84, 0xff, 0xff, 0xff, 0xff],
        [0x84, 0x7f, 0xff, 0xff, 0xff],
        [0x84, 0x40, 0x00, 0x00, 0x00],
        [0x83, 0xff, 0xff, 0xff, 0x00],
    ] {
        let claim = &claim[..usize::from(claim[0] & 0x7f) + 1];
        // Outer SEQUENCE.
        let mut outer = vec![0x30];
        outer.extend_from_slice(claim);
        outer.extend_from_slice(leaf.get(4..).unwrap());
        cases.push((format!("certificate claiming {claim:02x?}"), outer.clone()));
        // tbsCertificate inside a well-formed outer header.
        let mut inner = leaf.clone();
        inner.splice(4..8, [0x30].into_iter().chain(claim.iter().copied()));
        cases.push((format!("tbsCertificate claiming {claim:02x?}"), inner));
        // PKCS#7 SignedData claiming it.
        let mut p7 = vec![0x30];
        p7.extend_from_slice(claim);
        p7.extend_from_slice(&[
            0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0,
        ]);
        p7.extend_from_slice(claim);
        p7.extend_from_slice(&[0x30]);
        p7.extend_from_slice(claim);
        p7.extend_from_slice(&[0x02, 0x01, 0x01, 0x31, 0x00, 0xa0]);
        p7.extend_from_slice(claim);
        p7.extend_from_slice(&leaf);
        cases.push((format!("PKCS#7 claiming {claim:02x?}"), p7.clone()));
        // The same in PEM.
        cases.push((
            format!("PEM certificate claiming {claim:02x?}"),
            pem::encode(&pem::Pem::new("CERTIFICATE", outer)).into_bytes(),
        ));
        cases.push((
            format!("PEM PKCS7 claiming {claim:02x?}"),
            pem::encode(&pem::Pem::new("PKCS7", p7)).into_bytes(),
        ));
    }
    // BER indefinite lengths nested deeper than any real bundle.
    let mut deep = Vec::new();
    for _ in 0..100_000 {
        deep.extend_from_slice(&[0x30, 0x80]);
    }
    cases.push(("100,000 nested indefinite lengths".into(), deep));
    let mut deep_p7 = vec![
        0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02, 0xa0, 0x80,
    ];
    for _ in 0..100_000 {
        deep_p7.extend_from_slice(&[0x30, 0x80]);
    }
    cases.push((
        "PKCS#7 with 100,000 nested indefinite lengths".into(),
        deep_p7,
    ));
    // A high tag number that never ends.
    let mut high_tag = vec![0x1f];
    high_tag.extend(std::iter::repeat_n(0xff, 1 << 20));
    cases.push(("a 1 MiB high tag number".into(), high_tag));

    for (what, bytes) in &cases {
        let r = run(
            &check_args(&["--format", "json", "-"]),
            bytes,
            TIMEOUT,
            Some(VM_LIMIT_KIB),
        );
        r.assert_reported(what);
        let v = r.json();
        assert_eq!(
            v["inputs"][0]["certificates"].as_array().map(Vec::len),
            Some(0),
            "{what}"
        );
        println!("{what}: {} bytes: {}", bytes.len(), r.figures());
    }
}

/// 10,000 certificates whose names all link: 5,000 leaves naming the RSA test
/// intermediate as issuer, 5,000 distinct copies of that intermediate (signature
/// bits changed). Every leaf has 5,000 issuer candidates: 25 million pairs, of
/// which chain analysis checks at most `Limits::signature_checks` and says so.
#[test]
fn five_thousand_certificate_chain_is_cut_short_and_reported() {
    // 5,000 (6.5 MB): inputs outside --bundle are capped at 8 MiB (issue 15), and
    // 12.5 million candidate pairs still exhaust the 10,000-check budget.
    let bytes = same_name_chain(5_000);
    let r = run(
        &check_args(&["--format", "json", "-"]),
        &bytes,
        TIMEOUT,
        None,
    );
    r.assert_reported("5,000-certificate chain");
    let v = r.json();
    println!(
        "5,000-certificate chain ({} bytes): {}",
        bytes.len(),
        r.figures()
    );
    assert_eq!(v["summary"]["certificates"], 5_000);
    let input = &v["inputs"][0];
    assert!(
        codes(&v, 0).iter().any(|c| c == "chain.search_limited"),
        "no chain.search_limited: {:?}",
        codes(&v, 0)
    );
    let links = input["chain"]["links"].as_array().unwrap().len();
    assert!(links <= 10_000, "{links} links checked");
    // `fix` (the fix plan walks the same graph) finishes too.
    let r = run(&["fix", "-"], &bytes, TIMEOUT, None);
    r.assert_reported("fix");
    println!("fix on the same 5,000 certificates: {}", r.figures());
}

/// `n` distinct certificates: half variants of the RSA test leaf, half variants of
/// its intermediate, interleaved, all linking by name.
fn same_name_chain(n: usize) -> Vec<u8> {
    let leaf = pem_ders("gen/rsa/leaf.pem").remove(0);
    let int = pem_ders("gen/rsa/int.pem").remove(0);
    let mut out = Vec::new();
    for i in 0..n {
        let mut der = if i % 2 == 0 {
            leaf.clone()
        } else {
            int.clone()
        };
        // The last bytes are the RSA signature value: change them to make the
        // certificate distinct without touching its names or key.
        let len = der.len();
        let k = u16::try_from(i / 2).unwrap().to_be_bytes();
        der[len - 2] ^= k[0];
        der[len - 1] ^= k[1] ^ 0x5a;
        out.push(der);
    }
    pem_of(&out).into_bytes()
}

/// 100,000 files in one folder. `--ignored`: it writes 100,000 files.
#[test]
#[ignore = "writes 100,000 files; run with --ignored"]
fn hundred_thousand_files_in_a_folder() {
    let scratch = Scratch::new("100k");
    let dir = scratch.path("many");
    std::fs::create_dir_all(&dir).unwrap();
    let cert = pem_of(&pem_ders("gen/rsa/leaf.pem"));
    for i in 0..100_000 {
        std::fs::write(dir.join(format!("{i:06}.pem")), &cert).unwrap();
    }
    let dir_name = dir.display().to_string();
    let (r, rss) = timed(&check_args(&["--format", "json", &dir_name]), b"");
    r.assert_reported("100,000 files");
    let v = r.json();
    assert_eq!(v["summary"]["inputs"], 100_000);
    assert_eq!(v["summary"]["certificates"], 100_000);
    println!(
        "100,000 files: {:.2?}, peak RSS {}",
        r.elapsed,
        rss.map_or("unknown (no /usr/bin/time)".into(), |k| format!("{k} KiB"))
    );
}

/// `--bundle` on a 1 GiB input (the fixture roots over and over), in JSON and SARIF.
/// `--ignored`: it writes 1 GiB. Prints the peak RSS; fails above 256 MiB.
#[test]
#[ignore = "writes a 1 GiB file; run with --ignored"]
fn bundle_of_one_gibibyte_runs_in_bounded_memory() {
    let scratch = Scratch::new("1g");
    let path = scratch.path("bundle.pem");
    let mut roots = Vec::new();
    for f in [
        "real/roots/amazon-root-ca-1.pem",
        "real/roots/starfield-root-ca-g2.pem",
    ] {
        roots.extend(pem_ders(f));
    }
    let unit = pem_of(&roots);
    let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut written = 0usize;
    while written < 1 << 30 {
        file.write_all(unit.as_bytes()).unwrap();
        written += unit.len();
    }
    file.flush().unwrap();
    drop(file);
    let name = scratch.str("bundle.pem");
    // SARIF streams with --bundle too (its results as the pieces come).
    for format in ["json", "sarif"] {
        let (r, rss) = timed_to_null(&check_args(&["--bundle", "--format", format, &name]));
        println!(
            "--bundle --format {format} on {written} bytes: exit {:?} in {:.2?}, peak RSS {}",
            r.code,
            r.elapsed,
            rss.map_or("unknown (no /usr/bin/time)".into(), |k| format!("{k} KiB"))
        );
        r.assert_reported("1 GiB bundle");
        if let Some(kib) = rss {
            assert!(kib < 256 * 1024, "peak RSS {kib} KiB on a 1 GiB bundle");
        }
    }
}

/// Runs the binary under `/usr/bin/time -v` when present: the run and the peak RSS (KiB).
fn timed(args: &[&str], stdin: &[u8]) -> (Run, Option<u64>) {
    if !Path::new("/usr/bin/time").exists() {
        return (run(args, stdin, Duration::from_secs(1800), None), None);
    }
    let mut full = vec!["-v", bin()];
    full.extend_from_slice(args);
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(&full)
        .current_dir(fixtures())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let rss = peak_rss(&stderr);
    (
        Run {
            code: out.status.code(),
            stdout: out.stdout,
            stderr,
            elapsed: start.elapsed(),
            rss_kib: rss,
        },
        rss,
    )
}

/// [`timed`] with stdout sent to /dev/null (reports of gigabytes).
fn timed_to_null(args: &[&str]) -> (Run, Option<u64>) {
    let start = Instant::now();
    let (mut cmd, has_time) = if Path::new("/usr/bin/time").exists() {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(bin());
        (c, true)
    } else {
        (Command::new(bin()), false)
    };
    let out = cmd
        .args(args)
        .current_dir(fixtures())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let rss = if has_time { peak_rss(&stderr) } else { None };
    (
        Run {
            code: out.status.code(),
            stdout: Vec::new(),
            stderr,
            elapsed: start.elapsed(),
            rss_kib: rss,
        },
        rss,
    )
}

fn peak_rss(time_v: &str) -> Option<u64> {
    time_v
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok())
}

// ---------------------------------------------------------------------------
// Exit code 2: inputs that cannot be read; the others are still reported.

#[test]
fn missing_file_is_exit_2_and_counted_with_the_others() {
    let r = run(
        &check_args(&[
            "--format",
            "json",
            "chains/rsa-ordered.pem",
            "no/such/file.pem",
        ]),
        b"",
        TIMEOUT,
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    let v = r.json();
    assert_eq!(v["summary"]["inputs"], 2);
    assert_eq!(v["summary"]["certificates"], 2);
    assert_eq!(codes(&v, 1), vec!["input.unreadable"]);
    assert_eq!(v["inputs"][1]["source"], "no/such/file.pem");
}

/// A file the kernel refuses to read even for root: `/proc/self/mem` at offset 0
/// (unmapped) fails with EIO.
#[test]
fn file_that_fails_to_read_is_exit_2_and_the_others_are_still_reported() {
    let r = run(
        &check_args(&[
            "--format",
            "json",
            "/proc/self/mem",
            "chains/rsa-ordered.pem",
        ]),
        b"",
        TIMEOUT,
        None,
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["summary"]["inputs"], 2);
    assert_eq!(codes(&v, 0), vec!["input.unreadable"]);
    assert_eq!(v["inputs"][1]["certificates"].as_array().unwrap().len(), 2);
}

/// How to run as a user that file permissions apply to: directly when not root,
/// through `setpriv` to `nobody` when root; `None` (skip) when neither works.
fn unprivileged() -> Option<Vec<String>> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(Vec::new());
    }
    let probe = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status();
    if probe.is_ok_and(|s| s.success()) {
        Some(
            [
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
            ]
            .map(String::from)
            .to_vec(),
        )
    } else {
        None
    }
}

/// Runs `certaudit ARGS` through the `unprivileged()` prefix.
fn run_unprivileged(prefix: &[String], args: &[&str]) -> Run {
    let start = Instant::now();
    let mut cmd = match prefix.split_first() {
        Some((first, rest)) => {
            let mut c = Command::new(first);
            c.args(rest).arg(bin());
            c
        }
        None => Command::new(bin()),
    };
    let out = cmd
        .args(args)
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        elapsed: start.elapsed(),
        rss_kib: None,
    }
}

#[test]
fn unreadable_file_and_folder_are_exit_2_and_the_others_are_still_reported() {
    use std::os::unix::fs::PermissionsExt;
    let prefix = unprivileged();
    if !require(
        prefix.is_some(),
        "running as root without a working setpriv, so permissions cannot deny a read",
    ) {
        return;
    }
    let prefix = prefix.unwrap_or_default();
    let scratch = Scratch::new("perm");
    std::fs::set_permissions(&scratch.0, std::fs::Permissions::from_mode(0o755)).unwrap();
    let good = read_fixture("chains/rsa-ordered.pem");
    // A folder with a readable file, an unreadable file and an unreadable sub-folder.
    let dir = scratch.path("dir");
    std::fs::create_dir_all(dir.join("locked")).unwrap();
    std::fs::write(dir.join("a-good.pem"), &good).unwrap();
    std::fs::write(dir.join("b-secret.pem"), &good).unwrap();
    std::fs::write(dir.join("locked/c.pem"), &good).unwrap();
    std::fs::write(scratch.path("top-secret.pem"), &good).unwrap();
    std::fs::write(scratch.path("top-good.pem"), &good).unwrap();
    for p in [dir.join("b-secret.pem"), scratch.path("top-secret.pem")] {
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
    }
    std::fs::set_permissions(dir.join("locked"), std::fs::Permissions::from_mode(0o000)).unwrap();
    for p in [&scratch.0, &dir] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    let top_secret = scratch.str("top-secret.pem");
    let top_good = scratch.str("top-good.pem");
    let dir_name = dir.display().to_string();
    let r = run_unprivileged(
        &prefix,
        &check_args(&["--format", "json", &top_secret, &dir_name, &top_good]),
    );
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"));
    let v = r.json();
    let inputs = v["inputs"].as_array().unwrap();
    let by_source = |s: &str| {
        inputs
            .iter()
            .find(|i| i["source"].as_str().is_some_and(|x| x.ends_with(s)))
            .unwrap_or_else(|| panic!("{s} not reported: {v}"))
    };
    let first_code = |i: &serde_json::Value| i["findings"][0]["code"].clone();
    assert_eq!(first_code(by_source("top-secret.pem")), "input.unreadable");
    assert_eq!(first_code(by_source("b-secret.pem")), "input.unreadable");
    assert_eq!(first_code(by_source("locked")), "input.unreadable");
    assert_eq!(
        by_source("a-good.pem")["certificates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        by_source("top-good.pem")["certificates"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(v["summary"]["inputs"], 5, "{v}");
    assert_eq!(v["summary"]["certificates"], 4);

    // Text format: exit 2 too, each unreadable input named.
    let r = run_unprivileged(&prefix, &check_args(&[&top_secret, &dir_name, &top_good]));
    assert_eq!(r.code, Some(2));
    let out = String::from_utf8_lossy(&r.stdout);
    for name in ["top-secret.pem", "b-secret.pem", "locked"] {
        assert!(out.contains(name), "{name} missing from:\n{out}");
    }
    println!(
        "unreadable inputs checked as {}",
        if prefix.is_empty() {
            "this user"
        } else {
            "nobody (setpriv)"
        }
    );
}
