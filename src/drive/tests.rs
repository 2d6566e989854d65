//! The driver's tests: streamed pieces against whole inputs, cuts, the spool.

use super::cut::last_marker_is_end;
use super::*;
use crate::chain::ChainOptions;
use crate::input::detect;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn settings() -> Settings<'static> {
    Settings {
        at: crate::cli::parse_time("2026-01-01T00:00:00Z").unwrap(),
        warn_days: 30,
        bundle: true,
        chain: ChainOptions::default(),
        input: Default::default(),
    }
}

/// The streaming report of `files` with pieces of about `piece` bytes.
fn streamed(files: &[PathBuf], piece: usize, workers: usize, json: bool) -> (Vec<u8>, Summary) {
    let format = if json { Format::Json } else { Format::Text };
    streamed_as(files, piece, workers, format)
}

fn streamed_as(
    files: &[PathBuf],
    piece: usize,
    workers: usize,
    format: Format,
) -> (Vec<u8>, Summary) {
    let settings = settings();
    let extras = text::Extras::default();
    let sources = source::expand(files);
    let ctx = Ctx {
        settings: &settings,
        format,
        style: text::Style::plain(100),
        extras: &extras,
        piece,
        stream: true,
        artifacts: if format == Format::Sarif {
            Artifacts::new(sources.iter().map(|s| s.name.as_str()))
        } else {
            Artifacts::default()
        },
    };
    let (mut stdin, mut out, mut err) = (io::empty(), Vec::new(), Vec::new());
    let mut streams = Streams {
        stdin: &mut stdin,
        stdout: &mut out,
        stderr: &mut err,
    };
    let summary = run_with(&ctx, &sources, workers, &mut streams, None).unwrap();
    (out, summary)
}

fn streamed_json(files: &[PathBuf], piece: usize, workers: usize) -> Value {
    let (out, _) = streamed(files, piece, workers, true);
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

/// The non-streaming report of one file: `check::audit`, as without `--bundle`
/// streaming.
fn whole(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap();
    json::input_value(&check::audit(
        &path.display().to_string(),
        &bytes,
        &settings(),
    ))
}

/// Asserts the streamed input equals the whole one, field by field.
fn assert_same(streamed: &Value, whole: &Value) {
    let name = &whole["source"];
    assert_eq!(streamed["source"], *name);
    assert_eq!(streamed["format"], whole["format"], "{name}");
    assert_eq!(streamed["chain"], Value::Null);
    let (a, b) = (
        streamed["certificates"].as_array().unwrap(),
        whole["certificates"].as_array().unwrap(),
    );
    assert_eq!(a.len(), b.len(), "{name}");
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x, y, "{name}");
    }
    assert_eq!(streamed["findings"], whole["findings"], "{name}");
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("certaudit-stream-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn fixture_files(dirs: &[&str]) -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|d| source::expand(&[root.join(d)]))
        .filter_map(|s| match s.origin {
            Origin::File(p) => Some(p),
            _ => None,
        })
        .collect();
    files.sort();
    files
}

/// Every PEM text of `fixtures/chains` and `fixtures/real`, twice, junk between.
fn big_text() -> Vec<u8> {
    let mut text = b"A bundle made for the tests.\n\n".to_vec();
    for _ in 0..2 {
        for f in fixture_files(&["chains", "real"]) {
            let bytes = std::fs::read(&f).unwrap();
            if detect::binary_format(&bytes).is_none() {
                text.extend_from_slice(&bytes);
                text.extend_from_slice(b"\n# between files\n");
            }
        }
    }
    text
}

#[test]
fn cuts_never_split_a_block() {
    let text = big_text();
    let begins: Vec<usize> = memchr::memmem::find_iter(&text, b"-----BEGIN ").collect();
    let ends: Vec<usize> = memchr::memmem::find_iter(&text, b"-----END ").collect();
    let mut cuts = 0;
    for end in (0..text.len()).step_by(11) {
        let prefix = &text[..end];
        let Some(cut) = cut_point(prefix) else {
            continue;
        };
        cuts += 1;
        let head = &text[..cut];
        assert_eq!(head.last(), Some(&b'\n'));
        assert_eq!(
            begins.partition_point(|&p| p < cut),
            ends.partition_point(|&p| p < cut),
            "cut at {cut} inside a block"
        );
        // The last line before the cut is an END line, and no END line that
        // is complete in the prefix comes after it.
        let last_line_start = memchr::memrchr(b'\n', &head[..cut - 1]).map_or(0, |p| p + 1);
        assert!(last_marker_is_end(&head[last_line_start..]));
        let tail = &prefix[cut..];
        let complete = &tail[..memchr::memrchr(b'\n', tail).map_or(0, |p| p + 1)];
        assert!(memchr::memmem::find(complete, b"-----END ").is_none());
    }
    assert!(cuts > 1000);
    assert_eq!(cut_point(b"-----BEGIN CERTIFICATE-----\nAAAA\n"), None);
    assert_eq!(
        cut_point(b"x\n-----END CERTIFICATE-----"),
        None,
        "END line not complete"
    );
    let glued = b"-----END CERTIFICATE----------BEGIN CERTIFICATE-----\nAAAA\n";
    assert_eq!(cut_point(glued), None, "a BEGIN after the END on its line");
}

#[test]
fn fallback_cuts_before_a_begin_line() {
    assert_eq!(fallback_cut(b"aaa\nbbb\n-----BEGIN X-----\nccc"), 8);
    assert_eq!(fallback_cut(b"aaa\nbbb\nccc"), 8);
    assert_eq!(fallback_cut(b"aaaa"), 4);
}

#[test]
fn lines_and_indices_after_the_first_piece_are_right() {
    let dir = temp_dir("lines");
    let path = dir.join("bundle.pem");
    let text = big_text();
    std::fs::write(&path, &text).unwrap();
    let whole = whole(&path);
    for (piece, workers) in [(700, 0), (700, 2), (4096, 2), (1 << 20, 1)] {
        let v = streamed_json(std::slice::from_ref(&path), piece, workers);
        assert_same(&v["inputs"][0], &whole);
    }
    // The lines are those of the BEGIN lines in the file.
    let begins: Vec<usize> = text
        .split(|&b| b == b'\n')
        .enumerate()
        .filter(|(_, l)| l.starts_with(b"-----BEGIN CERTIFICATE-----"))
        .map(|(n, _)| n + 1)
        .collect();
    let v = streamed_json(std::slice::from_ref(&path), 700, 2);
    let lines: Vec<usize> = v["inputs"][0]["certificates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["line"].as_u64().unwrap() as usize)
        .collect();
    assert!(lines.len() > 100);
    assert!(lines.iter().all(|l| begins.contains(l)), "{lines:?}");
    assert!(lines.windows(2).all(|w| w[0] < w[1]));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn same_json_as_the_whole_input_on_every_fixture() {
    let files = fixture_files(&["real", "chains"]);
    assert!(files.len() > 40);
    for (piece, workers) in [(512, 0), (512, 2), (PIECE, 2)] {
        let v = streamed_json(&files, piece, workers);
        let inputs = v["inputs"].as_array().unwrap();
        assert_eq!(inputs.len(), files.len());
        for (input, file) in inputs.iter().zip(&files) {
            assert_same(input, &whole(file));
        }
        let certs: usize = inputs
            .iter()
            .map(|i| i["certificates"].as_array().unwrap().len())
            .sum();
        assert_eq!(v["summary"]["certificates"], certs);
        assert_eq!(v["summary"]["inputs"], files.len());
    }
}

#[test]
fn blocks_that_fail_and_repairs_across_pieces() {
    let dir = temp_dir("bad");
    let good = big_text();
    let third = good.len() / 3;
    let cut = third + memchr::memmem::find(&good[third..], b"-----BEGIN CERTIFICATE").unwrap();
    let mut text = good[..cut].to_vec();
    // A redacted block, a truncated certificate and a private key: they use no
    // index, so every later piece was predicted wrong and is done again.
    text.extend_from_slice(
        b"-----BEGIN CERTIFICATE-----\nCERTIFICATE Redacted\n-----END CERTIFICATE-----\n",
    );
    text.extend_from_slice(b"-----BEGIN CERTIFICATE-----\nMIIBbjCCAROgAwIBAgIUaOaWAhWi27EeKUJm\n-----END CERTIFICATE-----\n");
    text.extend_from_slice(crate::input::tests::KEY_PEM.as_bytes());
    text.extend_from_slice(&good[cut..]);
    let crlf: Vec<u8> = text
        .split(|&b| b == b'\n')
        .collect::<Vec<_>>()
        .join(&b"\r\n"[..]);
    for (name, bytes) in [("bad.pem", &text), ("crlf.pem", &crlf)] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let whole = whole(&path);
        let codes: Vec<&str> = whole["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap())
            .collect();
        assert!(codes.contains(&"input.bad_base64") && codes.contains(&"input.private_key"));
        for (piece, workers) in [(600, 0), (600, 2), (5000, 2)] {
            let v = streamed_json(std::slice::from_ref(&path), piece, workers);
            assert_same(&v["inputs"][0], &whole);
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn many_findings_go_through_the_spool_file() {
    let dir = temp_dir("spool");
    let path = dir.join("expired.pem");
    let one = std::fs::read(
        fixture_files(&["chains"])
            .into_iter()
            .find(|p| p.ends_with("rsa-expired-leaf.pem"))
            .unwrap(),
    )
    .unwrap();
    let mut text = Vec::new();
    while text.len() < 3 * SPOOL_MEMORY {
        text.extend_from_slice(&one);
    }
    std::fs::write(&path, &text).unwrap();
    let v = streamed_json(std::slice::from_ref(&path), 8192, 2);
    assert_same(&v["inputs"][0], &whole(&path));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn text_output_streams_a_table_per_piece_and_the_summary() {
    let dir = temp_dir("text");
    let path = dir.join("bundle.pem");
    std::fs::write(&path, big_text()).unwrap();
    let (out, exit) = streamed(std::slice::from_ref(&path), 4096, 2, true);
    let v: Value = serde_json::from_slice(&out).unwrap();
    let (text, text_exit) = streamed(std::slice::from_ref(&path), 4096, 2, false);
    let text = String::from_utf8(text).unwrap();
    assert_eq!(exit, text_exit);
    let n = v["summary"]["certificates"].as_u64().unwrap();
    assert!(
        text.contains(&format!(": {n} certificates (pem)")),
        "{text}"
    );
    assert!(text.trim_end().ends_with(&format!(
        "1 input, {n} certificates: {} errors, {} warnings",
        v["summary"]["errors"], v["summary"]["warnings"]
    )));
    assert!(text.matches("SHA-1").count() > 2, "a table per piece");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A SARIF log's results, each as its JSON text, sorted (a streamed input's results
/// come piece by piece, those of a whole input in findings order).
fn sorted_results(log: &Value) -> Vec<String> {
    let mut all: Vec<String> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(Value::to_string)
        .collect();
    all.sort();
    all
}

#[test]
fn sarif_streamed_in_pieces_has_the_results_of_the_whole_inputs() {
    let dir = temp_dir("sarif");
    let big = dir.join("bundle.pem");
    let mut text = big_text();
    text.extend_from_slice(
        b"-----BEGIN CERTIFICATE-----\nCERTIFICATE Redacted\n-----END CERTIFICATE-----\n",
    );
    text.extend_from_slice(&big_text());
    std::fs::write(&big, &text).unwrap();
    let mut files = fixture_files(&["chains"]);
    files.push(big);
    let audits: Vec<InputAudit> = files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).unwrap();
            check::audit(&crate::escape::path_name(f), &bytes, &settings())
        })
        .collect();
    let want = sarif::document(&audits);
    let codes = want["runs"][0]["results"].to_string();
    for code in ["signature.weak", "input.bad_base64", "validity.expired"] {
        assert!(codes.contains(code), "{code}");
    }
    for (piece, workers) in [(600, 0), (4096, 2), (PIECE, 2)] {
        let (out, summary) = streamed_as(&files, piece, workers, Format::Sarif);
        let got: Value = serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)));
        assert_eq!(sorted_results(&got), sorted_results(&want), "piece {piece}");
        for key in ["tool", "artifacts", "invocations"] {
            assert_eq!(got["runs"][0][key], want["runs"][0][key], "{key}");
        }
        assert_eq!(summary.inputs, files.len());
    }
    let _ = std::fs::remove_dir_all(&dir);
}
