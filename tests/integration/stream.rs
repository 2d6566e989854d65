//! `check --bundle` reads large inputs as a stream, in pieces, over every core: the
//! certificates (and findings) it reports are those of the whole-input pipeline.

use crate::util::*;
use certaudit::chain::ChainOptions;
use certaudit::check::{self, Settings};
use certaudit::report::json::input_value;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn bundle_settings() -> Settings<'static> {
    Settings {
        at: certaudit::cli::parse_time(AT).unwrap(),
        warn_days: 30,
        bundle: true,
        chain: ChainOptions::default(),
        input: Default::default(),
    }
}

/// The input as the non-streaming pipeline reports it.
fn whole(name: &str, bytes: &[u8]) -> Value {
    input_value(&check::audit(name, bytes, &bundle_settings()))
}

/// A PEM bundle larger than a streaming piece: every served chain and PEM chain
/// fixture, repeated, with text between them.
fn big_bundle(dir: &Path) -> PathBuf {
    let mut text = Vec::new();
    let mut files: Vec<PathBuf> = ["chains", "real/served", "trust"]
        .iter()
        .flat_map(|d| std::fs::read_dir(fixtures().join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pem"))
        .collect();
    files.sort();
    // At least three rounds: every certificate repeated, over 300 in all.
    let mut rounds = 0;
    while rounds < 3 || text.len() < 3 * certaudit::drive::PIECE {
        for f in &files {
            text.extend(std::fs::read(f).unwrap());
            text.extend_from_slice(b"\nsome text between the files\n");
        }
        rounds += 1;
    }
    let path = dir.join("bundle.pem");
    std::fs::write(&path, text).unwrap();
    path
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("certaudit-it-stream-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_same_input(streamed: &Value, whole: &Value) {
    assert_eq!(streamed["format"], whole["format"]);
    assert_eq!(streamed["chain"], Value::Null);
    let a = streamed["certificates"].as_array().unwrap();
    let b = whole["certificates"].as_array().unwrap();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(b) {
        assert_eq!(x, y);
    }
    assert_eq!(streamed["findings"], whole["findings"]);
}

#[test]
fn a_streamed_bundle_has_the_certificates_of_the_whole_input() {
    let dir = temp_dir("file");
    let path = big_bundle(&dir);
    let name = path.display().to_string();
    let (v, code) = check_json(&["--bundle", &name]);
    let expected = whole(&name, &std::fs::read(&path).unwrap());
    assert_eq!(v["inputs"][0]["source"], name.as_str());
    assert_same_input(&v["inputs"][0], &expected);
    let n = expected["certificates"].as_array().unwrap().len();
    assert!(n > 300, "{n}");
    assert_eq!(v["summary"]["certificates"], n);
    assert_eq!(code, 1, "the fixtures hold expired certificates");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn standard_input_is_streamed_too() {
    let dir = temp_dir("stdin");
    let path = big_bundle(&dir);
    let bytes = std::fs::read(&path).unwrap();
    let out = check(&["--bundle", "--format", "json", "-"])
        .write_stdin(bytes.clone())
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["inputs"][0]["source"], "-");
    assert_same_input(&v["inputs"][0], &whole("-", &bytes));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bundle_certificates_equal_those_without_bundle_on_fixtures() {
    for f in [
        "chains/rsa-ordered.pem",
        "chains/two-int-root-included.pem",
        "chains/rsa-sha1-intermediate.pem",
        "formats/rsa-ordered-der.p7b",
        "formats/rsa-ordered-concat.der",
        "s_client/openssl3-cross-signed.txt",
        "real/served/google.com.pem",
    ] {
        let (bundle, _) = check_json(&["--bundle", f]);
        let (plain, _) = check_json(&[f]);
        assert_eq!(
            bundle["inputs"][0]["certificates"], plain["inputs"][0]["certificates"],
            "{f}"
        );
        assert_eq!(bundle["inputs"][0]["chain"], Value::Null);
    }
}

#[test]
fn a_folder_in_bundle_mode_keeps_input_order() {
    let (v, _) = check_json(&["--bundle", "chains"]);
    let names: Vec<&str> = v["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["source"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.len() > 20);
}
