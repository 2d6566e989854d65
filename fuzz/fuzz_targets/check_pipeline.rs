//! Arbitrary bytes → `check::audit`, the whole `check` pipeline for one input:
//! blocks, certificates, validity, chain analysis with `--expect-thumbprint` and
//! `--host`, then every report renderer (text with the validity timeline and the
//! advice, JSON, SARIF).
#![no_main]

use certaudit::check::{self, Settings};
use certaudit::chain::ChainOptions;
use certaudit::advice::RemedyOptions;
use certaudit::report::{json::JsonWriter, sarif, text};
use certaudit::chain::thumbprint::Thumbprint;
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(at) = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single() else {
        return;
    };
    let expect: Vec<Thumbprint> = ["06B25927C42A721631C1EFD9431E648FA62E1E39"]
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let settings = Settings {
        at,
        warn_days: 30,
        bundle: false,
        chain: ChainOptions {
            expect,
            host: Some("www.example.com".to_string()),
            trust: None,
            trust_path: None,
        },
        input: certaudit::input::Options {
            password: Some("fixture-pass".to_string()),
        },
    };
    let a = check::audit("fuzz", data, &settings);
    if let Some(chain) = &a.chain {
        for &i in &chain.path {
            assert!(i < a.certs.len(), "path index {i} out of {}", a.certs.len());
        }
    }
    let summary = a.summary();
    // Verbose: every part of the report (per-certificate details, the timeline,
    // every finding in full) is rendered.
    let style = text::Style {
        color: false,
        width: 100,
        detail: text::Detail::Verbose,
    };
    let mut out = Vec::new();
    let extras = text::Extras {
        timeline_at: Some(at),
        advice: Some(RemedyOptions {
            provider_arn: None,
            host: Some("www.example.com".to_string()),
            provider_url: Some("oidc.example.test".to_string()),
            ..Default::default()
        }),
        host: Some("www.example.com".to_string()),
        trust: None,
    };
    let _ = text::input(&mut out, &a, &style, &extras);
    let _ = text::summary(&mut out, &summary, &style);
    if let Ok(mut w) = JsonWriter::begin(Vec::new(), at) {
        let _ = w.input(&a);
        let _ = w.end(&summary);
    }
    let _ = sarif::document(std::slice::from_ref(&a));
});
