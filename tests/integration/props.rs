//! Property tests (proptest), in-process through the library for speed:
//!
//! - any valid chain from `fixtures/`, re-formatted the ways people paste it (line
//!   widths, CRLF, indentation, `> ` quote marks, one-line blocks, surrounding prose,
//!   Markdown fences), yields the same SHA-1 and SHA-256 fingerprints in the same
//!   order;
//! - a private key block mixed into arbitrary text, itself pasted any of those ways,
//!   never has a line of its body, nor any 16-character piece of its base64, reach
//!   stdout or stderr of `check` (text and JSON), `thumbprint` or `fix`.
//!
//! A few binary runs confirm the second property end to end.

use crate::util::*;
use certaudit::check;
use certaudit::cli::Cli;
use certaudit::cli::config::Environment;
use certaudit::cli::run::{self, Io};
use clap::Parser;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use std::collections::HashSet;

/// Every chain fixture that holds only certificate blocks.
fn chain_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["chains", "real/served"] {
        let mut names: Vec<String> = std::fs::read_dir(fixtures().join(dir))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".pem"))
            .map(|n| format!("{dir}/{n}"))
            .collect();
        names.sort();
        files.extend(names);
    }
    files
}

/// (SHA-1, SHA-256) of each certificate the library reads from `bytes`, in order.
fn fingerprints(bytes: &[u8]) -> Vec<([u8; 20], [u8; 32])> {
    let (_, certs, _) = check::certificates("prop", bytes);
    certs.iter().map(|c| (c.sha1, c.sha256)).collect()
}

/// One PEM block: its label and its base64 body on one string.
#[derive(Debug, Clone)]
struct Block {
    label: String,
    /// Lines between BEGIN and END that are headers (`Proc-Type: …`), kept as is.
    headers: Vec<String>,
    b64: String,
}

/// The PEM blocks of a text, in order (well-formed fixtures only).
fn blocks_of(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in text.lines() {
        let line = line.trim_end();
        if let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|l| l.strip_suffix("-----"))
        {
            current = Some(Block {
                label: label.to_string(),
                headers: Vec::new(),
                b64: String::new(),
            });
        } else if line.starts_with("-----END ") {
            out.extend(current.take());
        } else if let Some(b) = current.as_mut() {
            if line.contains(':') {
                b.headers.push(line.to_string());
            } else if !line.is_empty() {
                b.b64.push_str(line.trim());
            }
        }
    }
    out
}

/// How one paste mangles the PEM it carries.
#[derive(Debug, Clone)]
struct Paste {
    /// Characters per base64 line.
    width: usize,
    crlf: bool,
    /// Put before every line of a block (spaces or tabs).
    indent: String,
    /// `> ` marks before every line of the document (e-mail replies), 0 to 3 deep.
    quote: usize,
    /// Quote marks without the space after them (`>>`).
    tight_quote: bool,
    /// Each block on one line, base64 chunks separated by spaces.
    one_line: bool,
    /// Each block inside a Markdown code fence.
    fence: Option<&'static str>,
    /// Prose lines before, between and after the blocks.
    prose: Vec<String>,
}

fn paste_strategy() -> impl Strategy<Value = Paste> {
    (
        prop_oneof![Just(64usize), Just(76usize), 1usize..200],
        any::<bool>(),
        prop_oneof![Just(String::new()), "[ ]{1,8}", "[\t]{1,3}", "[ \t]{1,6}"],
        0usize..4,
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop_oneof![
            Just(None),
            Just(Some("```")),
            Just(Some("```pem")),
            Just(Some("~~~"))
        ],
        prop::collection::vec(prose_line(), 0..8),
    )
        .prop_map(
            |(width, crlf, indent, quote, tight_quote, one_line, fence, prose)| Paste {
                width,
                crlf,
                indent,
                quote,
                tight_quote,
                one_line,
                fence,
                prose,
            },
        )
}

/// A line of prose as people write around a paste (no PEM markers, no lines that
/// look like `s_client` headers).
fn prose_line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z ,.;:!?()'\"]{0,70}",
        Just(String::new()),
        Just("Here is the chain the server sends:".to_string()),
        Just("Thanks, see below.".to_string()),
        Just("openssl s_client -connect example.com:443 -showcerts".to_string()),
    ]
}

impl Paste {
    fn block_lines(&self, b: &Block, with_end: bool) -> Vec<String> {
        let begin = format!("-----BEGIN {}-----", b.label);
        let end = format!("-----END {}-----", b.label);
        let chunks: Vec<String> = b
            .b64
            .as_bytes()
            .chunks(self.width.max(1))
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        let mut lines = Vec::new();
        if self.one_line && b.headers.is_empty() {
            let mut l = format!("{begin} {}", chunks.join(" "));
            if with_end {
                l.push(' ');
                l.push_str(&end);
            }
            lines.push(format!("{}{l}", self.indent));
        } else {
            lines.push(format!("{}{begin}", self.indent));
            for h in &b.headers {
                lines.push(format!("{}{h}", self.indent));
            }
            if !b.headers.is_empty() {
                lines.push(String::new());
            }
            for c in chunks {
                lines.push(format!("{}{c}", self.indent));
            }
            if with_end {
                lines.push(format!("{}{end}", self.indent));
            }
        }
        if let Some(fence) = self.fence {
            lines.insert(0, fence.to_string());
            lines.push(fence.trim_end_matches("pem").to_string());
        }
        lines
    }

    /// The document: prose, then each block followed by a prose line, then the rest.
    fn render(&self, blocks: &[(Block, bool)]) -> String {
        let mut lines: Vec<String> = Vec::new();
        let mut prose = self.prose.iter();
        lines.extend(prose.next().cloned());
        for (b, with_end) in blocks {
            // A blank line keeps prose from running into a block.
            lines.push(String::new());
            lines.extend(self.block_lines(b, *with_end));
            lines.push(String::new());
            lines.extend(prose.next().cloned());
        }
        lines.extend(prose.cloned());
        let mark = if self.tight_quote { ">" } else { "> " };
        let quote = mark.repeat(self.quote);
        let eol = if self.crlf { "\r\n" } else { "\n" };
        lines.iter().map(|l| format!("{quote}{l}{eol}")).collect()
    }
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// A chain fixture: its name, its PEM blocks, and each certificate's (SHA-1, SHA-256).
type Original = (String, Vec<Block>, Vec<([u8; 20], [u8; 32])>);

#[test]
fn pasted_chains_keep_their_fingerprints_in_order() {
    let files = chain_files();
    assert!(files.len() >= 40, "chain fixtures: {files:?}");
    let originals: Vec<Original> = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(fixtures().join(f)).unwrap();
            let text = String::from_utf8(bytes.clone()).unwrap();
            let fps = fingerprints(&bytes);
            assert!(!fps.is_empty(), "{f}: no certificate");
            let blocks = blocks_of(&text);
            assert_eq!(blocks.len(), fps.len(), "{f}");
            (f.clone(), blocks, fps)
        })
        .collect();
    let n = originals.len();
    proptest!(config(512), |(which in 0..n, paste in paste_strategy())| {
        let (name, blocks, want) = &originals[which];
        let with_end: Vec<(Block, bool)> = blocks.iter().map(|b| (b.clone(), true)).collect();
        let text = paste.render(&with_end);
        let got = fingerprints(text.as_bytes());
        prop_assert!(
            &got == want,
            "{}: {} certificates read, {} expected, with {:?}\n{}",
            name,
            got.len(),
            want.len(),
            paste,
            excerpt(&text)
        );
    });
}

fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(1500).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

// ---------------------------------------------------------------------------
// Private keys never leak.

/// Every private key block of `fixtures/formats/*key*`.
fn key_blocks() -> Vec<Block> {
    let mut keys = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(fixtures().join("formats"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains("key"))
        })
        .collect();
    names.sort();
    for p in names {
        let text = std::fs::read_to_string(&p).unwrap();
        keys.extend(
            blocks_of(&text)
                .into_iter()
                .filter(|b| b.label.contains("PRIVATE KEY")),
        );
    }
    keys
}

/// Everything of a key that must never be shown: each header and base64 line of
/// the body as the input carried it (trimmed), and every 16-character window of
/// the base64, except windows that also occur elsewhere in the input (an EC key
/// carries its public point, which the certificate beside it carries too).
struct Secret {
    lines: Vec<String>,
    windows: HashSet<Vec<u8>>,
}

impl Secret {
    /// `width`: the base64 line width the input carried the key with.
    fn new(key: &Block, width: usize, rest_of_input: &str) -> Secret {
        // The rest of the input also without line breaks, quote marks and indentation:
        // a certificate beside an EC key can be re-wrapped by `fix` at another width.
        let unwrapped: Vec<u8> = rest_of_input
            .bytes()
            .filter(|b| !b.is_ascii_whitespace() && *b != b'>')
            .collect();
        let unwrapped_text = String::from_utf8_lossy(&unwrapped);
        let rest_windows: HashSet<&[u8]> = rest_of_input
            .as_bytes()
            .windows(16)
            .chain(unwrapped.windows(16))
            .collect();
        let windows = key
            .b64
            .as_bytes()
            .windows(16)
            .filter(|w| !rest_windows.contains(w))
            .map(<[u8]>::to_vec)
            .collect();
        let chunks = key
            .b64
            .as_bytes()
            .chunks(width.max(1))
            .map(|c| String::from_utf8_lossy(c).into_owned());
        let lines = key
            .headers
            .iter()
            .cloned()
            .chain(chunks)
            // An EC key carries its public point, which the certificate beside it also
            // carries: a line of it found in the rest of the input (as pasted or
            // unwrapped, as `fix` re-wraps it) is public, not the key's secret.
            .filter(|l| {
                l.len() >= 16
                    && !rest_of_input.contains(l.as_str())
                    && !unwrapped_text.contains(l.as_str())
            })
            .collect();
        Secret { lines, windows }
    }

    fn check(&self, what: &str, output: &[u8]) -> Result<(), String> {
        let text = String::from_utf8_lossy(output);
        for l in &self.lines {
            if text.contains(l.as_str()) {
                return Err(format!(
                    "{what}: a line of the key reached the output: {l}\n{text}"
                ));
            }
        }
        if let Some(w) = output.windows(16).find(|w| self.windows.contains(*w)) {
            return Err(format!(
                "{what}: 16 characters of the key's base64 reached the output: {}\n{text}",
                String::from_utf8_lossy(w)
            ));
        }
        Ok(())
    }
}

/// Runs a command line in-process with `stdin`: (exit code, stdout, stderr).
fn run_in_process(args: &[&str], stdin: &[u8]) -> (u8, Vec<u8>, Vec<u8>) {
    run_with_env(args, stdin, None)
}

const COMMANDS: &[&[&str]] = &[
    &["certaudit", "check", "--at", AT, "-"],
    &["certaudit", "check", "--at", AT, "--format", "json", "-"],
    &["certaudit", "check", "--at", AT, "--bundle", "-"],
    &["certaudit", "thumbprint", "--at", AT, "-"],
    &["certaudit", "fix", "-"],
];

#[test]
fn private_key_content_never_reaches_any_output() {
    let keys = key_blocks();
    assert!(keys.len() >= 3, "key fixtures: {}", keys.len());
    let chain = blocks_of(
        &String::from_utf8(std::fs::read(fixtures().join("chains/ecdsa-p256.pem")).unwrap())
            .unwrap(),
    );
    let nk = keys.len();
    proptest!(config(192), |(
        which in 0..nk,
        key_paste in paste_strategy(),
        doc in paste_strategy(),
        key_has_end in prop::bool::weighted(0.8),
        with_chain in any::<bool>(),
        key_first in any::<bool>(),
        noise in "[ -~\n]{0,200}",
    )| {
        let key = &keys[which];
        let key_paste = Paste { prose: Vec::new(), ..key_paste };
        let key_text = key_paste.render(&[(key.clone(), key_has_end)]);
        let mut parts: Vec<String> = vec![noise.clone()];
        let chain_text = if with_chain {
            doc.render(&chain.iter().map(|b| (b.clone(), true)).collect::<Vec<_>>())
        } else {
            doc.render(&[])
        };
        if key_first {
            parts.push(key_text.clone());
            parts.push(chain_text.clone());
        } else {
            parts.push(chain_text.clone());
            parts.push(key_text.clone());
        }
        let input = parts.concat();
        let rest = format!("{noise}{chain_text}");
        let secret = Secret::new(key, key_paste.width, &rest);
        for args in COMMANDS {
            let (code, out, err) = run_in_process(args, input.as_bytes());
            prop_assert!(code <= 1, "{:?}: exit {}", args, code);
            secret.check(&format!("{args:?} stdout"), &out).map_err(TestCaseError::fail)?;
            secret.check(&format!("{args:?} stderr"), &err).map_err(TestCaseError::fail)?;
        }
    });
}

/// The same through the binary, for each key fixture as it is and pasted badly.
#[test]
fn private_key_content_never_reaches_the_binarys_output() {
    let chain = std::fs::read_to_string(fixtures().join("chains/rsa-ordered.pem")).unwrap();
    for key in key_blocks() {
        for (style, paste) in [
            (
                "plain",
                Paste {
                    width: 64,
                    crlf: false,
                    indent: String::new(),
                    quote: 0,
                    tight_quote: false,
                    one_line: false,
                    fence: None,
                    prose: vec![],
                },
            ),
            (
                "one line, quoted",
                Paste {
                    width: 64,
                    crlf: true,
                    indent: "  ".into(),
                    quote: 1,
                    tight_quote: false,
                    one_line: true,
                    fence: None,
                    prose: vec!["see:".into()],
                },
            ),
            (
                "width 13, fenced",
                Paste {
                    width: 13,
                    crlf: false,
                    indent: "\t".into(),
                    quote: 0,
                    tight_quote: false,
                    one_line: false,
                    fence: Some("```"),
                    prose: vec![],
                },
            ),
        ] {
            for with_end in [true, false] {
                let key_text = paste.render(&[(key.clone(), with_end)]);
                let input = format!("Note\n{chain}{key_text}");
                let secret = Secret::new(&key, paste.width, &format!("Note\n{chain}"));
                for args in COMMANDS {
                    let out = certaudit()
                        .args(&args[1..])
                        .write_stdin(input.clone())
                        .timeout(std::time::Duration::from_secs(60))
                        .output()
                        .unwrap();
                    let what = format!("{} {style} end={with_end} {args:?}", key.label);
                    assert!(
                        matches!(out.status.code(), Some(0 | 1)),
                        "{what}: {:?}",
                        out.status
                    );
                    secret
                        .check(&format!("{what} stdout"), &out.stdout)
                        .unwrap();
                    secret
                        .check(&format!("{what} stderr"), &out.stderr)
                        .unwrap();
                }
            }
        }
    }
}

/// Arbitrary bytes never make the input stage or the pipeline panic (the fuzzers
/// do this at scale; this keeps a cheap version in every `cargo test`).
#[test]
fn arbitrary_bytes_never_panic_the_pipeline() {
    proptest!(config(256), |(bytes in prop::collection::vec(any::<u8>(), 0..2048))| {
        let _ = certaudit::input::read("prop", &bytes);
        let (code, _, err) = run_in_process(&["certaudit", "check", "--at", AT, "-"], &bytes);
        prop_assert!(code <= 1, "exit {}: {}", code, String::from_utf8_lossy(&err));
    });
}

// ---------------------------------------------------------------------------
// Private keys inside containers never leak either: PKCS#12 key bags, JKS/JCEKS key
// entries, a Secret's tls.key, a kubeconfig's client-key-data, JSON strings holding
// PEM keys (Secrets Manager, Terraform), whether the password is given or not, with
// the container intact or corrupted.

/// Every container fixture that carries a private key.
const KEYED_CONTAINERS: &[&str] = &[
    "p12-default.p12",
    "p12-legacy.p12",
    "p12-3des.p12",
    "p12-certs-unencrypted.p12",
    "p12-empty-password.p12",
    "store.jks",
    "store.jceks",
    "secret-tls.yaml",
    "secret-tls.json",
    "manifests.yaml",
    "list.yaml",
    "kubeconfig.yaml",
    "secretsmanager-get-secret-value.json",
    "terraform-show.json",
];

/// 16-character windows of the containers' keys in every form they carry them (the
/// PEM base64, the base64 of the whole PEM as a Secret or kubeconfig holds it, the
/// DER in hex), less the windows the public certificates also have.
fn container_key_windows() -> HashSet<Vec<u8>> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let read = |p: &str| std::fs::read_to_string(fixtures().join(p)).unwrap();
    // The base64 between BEGIN and END (the key files start with a comment line).
    let body = |pem: &str| -> String {
        pem.lines()
            .skip_while(|l| !l.starts_with("-----BEGIN"))
            .filter(|l| !l.starts_with("-----"))
            .collect::<String>()
    };
    let windows =
        |s: &str| -> Vec<Vec<u8>> { s.as_bytes().windows(16).map(<[u8]>::to_vec).collect() };
    let mut public: HashSet<Vec<u8>> = HashSet::new();
    for cert in [
        "rsa/leaf",
        "rsa/int",
        "rsa/root",
        "ecdsa-p256/leaf",
        "ecdsa-p256/int",
        "ecdsa-p256/root",
    ] {
        let pem = read(&format!("gen/{cert}.pem"));
        public.extend(windows(&body(&pem)));
        public.extend(windows(&b64.encode(&pem)));
    }
    let mut secret = HashSet::new();
    for key in ["gen/rsa/leaf.key", "gen/ecdsa-p256/leaf.key"] {
        let pem = read(key);
        let der = b64.decode(body(&pem)).unwrap();
        let hex: String = der.iter().map(|b| format!("{b:02X}")).collect();
        for form in [
            body(&pem),
            b64.encode(&pem),
            hex.clone(),
            hex.to_lowercase(),
        ] {
            secret.extend(windows(&form).into_iter().filter(|w| !public.contains(w)));
        }
    }
    secret
}

/// [`run_in_process`] with `CERTAUDIT_PASSWORD`.
fn run_with_env(args: &[&str], stdin: &[u8], password_env: Option<&str>) -> (u8, Vec<u8>, Vec<u8>) {
    let cli = Cli::try_parse_from(args).unwrap();
    let mut input: &[u8] = stdin;
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let mut io = Io {
        stdin: &mut input,
        stdout: &mut stdout,
        stderr: &mut stderr,
        env: Environment {
            stdin_is_terminal: false,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            no_color: true,
            columns: Some(100),
            now: AT.parse().unwrap(),
            password_env: password_env.map(str::to_string),
        },
    };
    let exit = run::run(cli, &mut io).unwrap();
    (exit.code(), stdout, stderr)
}

#[test]
fn private_keys_inside_containers_never_reach_any_output() {
    let secret = container_key_windows();
    assert!(secret.len() > 1000, "key windows: {}", secret.len());
    // The check can fail: the key file itself and a Secret's data hold key windows.
    for f in ["gen/rsa/leaf.key", "containers/secret-tls.yaml"] {
        let bytes = std::fs::read(fixtures().join(f)).unwrap();
        assert!(bytes.windows(16).any(|w| secret.contains(w)), "{f}");
    }
    let files: Vec<Vec<u8>> = KEYED_CONTAINERS
        .iter()
        .map(|f| std::fs::read(fixtures().join("containers").join(f)).unwrap())
        .collect();
    let password_file = fixtures().join("containers/password.txt");
    let password_file = password_file.to_str().unwrap().to_string();
    let n = files.len();
    proptest!(config(160), |(
        which in 0..n,
        command in 0..COMMANDS.len(),
        password in 0..3u8,
        corrupt in prop::option::of((any::<prop::sample::Index>(), any::<u8>())),
    )| {
        let mut bytes = files[which].clone();
        if let Some((at, b)) = corrupt {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        let mut args: Vec<&str> = COMMANDS[command].to_vec();
        let stdin_arg = args.pop().unwrap();
        if password == 1 {
            args.extend(["--password-file", &password_file]);
        }
        args.push(stdin_arg);
        let env = (password == 2).then_some("fixture-pass");
        let (code, out, err) = run_with_env(&args, &bytes, env);
        let what = format!("{} {args:?} env={env:?}", KEYED_CONTAINERS[which]);
        prop_assert!(code <= 1, "{what}: exit {code}");
        for (stream, output) in [("stdout", &out), ("stderr", &err)] {
            if let Some(w) = output.windows(16).find(|w| secret.contains(*w)) {
                return Err(TestCaseError::fail(format!(
                    "{what} {stream}: 16 characters of a key reached the output: {}",
                    String::from_utf8_lossy(w)
                )));
            }
        }
    });
}

/// Every container fixture, every command, through the binary: no key leaks.
#[test]
fn private_keys_inside_containers_never_reach_the_binarys_output() {
    let secret = container_key_windows();
    for file in KEYED_CONTAINERS {
        let path = format!("containers/{file}");
        for args in COMMANDS {
            let mut a: Vec<&str> = args[1..args.len() - 1].to_vec();
            a.extend(["--password-file", "containers/password.txt", &path]);
            let out = certaudit().args(&a).output().unwrap();
            assert!(
                matches!(out.status.code(), Some(0 | 1)),
                "{file} {a:?}: {out:?}"
            );
            for output in [&out.stdout, &out.stderr] {
                assert!(
                    !output.windows(16).any(|w| secret.contains(w)),
                    "{file} {a:?}: a key reached the output"
                );
            }
        }
    }
}
