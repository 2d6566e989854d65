//! Arbitrary bytes → each container reader directly (JSON, Kubernetes YAML/JSON,
//! PKCS#12 with and without a password, JKS/JCEKS with and without one, the Java
//! serialization walker, bare base64),
//! then the same bytes through `input::read_with`. The first byte picks the password
//! case. Must never panic, hang or allocate without bound; the PKCS#12 key
//! derivations stay within `pkcs12::WORK_BUDGET`. Seed with `fixtures/containers/`.
#![no_main]

use certaudit::input::{self, Options, bare, jks, jserial, json, kubernetes, pkcs12, tree};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (password, bytes) = match data.split_first() {
        Some((b, rest)) if b & 1 == 1 => (Some("fixture-pass"), rest),
        Some((_, rest)) => (None, rest),
        None => (None, data),
    };
    let _ = pkcs12::read("fuzz", bytes, password);
    let _ = jks::read("fuzz", bytes, password);
    let _ = bare::read("fuzz", bytes);
    if let Some(end) = jserial::skip(bytes, 0) {
        assert!(end <= bytes.len());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        if let Ok(node) = tree::from_json(text) {
            let _ = json::read("fuzz", &node);
            let _ = kubernetes::read("fuzz", std::slice::from_ref(&node));
        }
        if let Ok(docs) = tree::from_yaml(text) {
            let _ = kubernetes::read("fuzz", &docs);
        }
    }
    let options = Options {
        password: password.map(str::to_string),
    };
    let decoded = input::read_with("fuzz", bytes, &options);
    for b in &decoded.blocks {
        let _ = b.origin.as_deref();
    }
});
