//! Limits that input can multiply (issue 11), measured the way `robust.rs`
//! measures: each case prints its time and, where `/usr/bin/time` exists, its peak
//! RSS. Performance is measured, not asserted; the only timed assertions are
//! sanity bounds generous enough for a debug build on a loaded 2-core machine,
//! far below what the quadratic paths they guard took (140 s at 80k extensions).
//!
//! - A certificate with 10k, 40k and 80k unknown critical extensions (1.7 MB at
//!   80k), built here from a fixture's DER (its signature no longer verifies; the
//!   reader must not care).
//! - 5 MB of nothing but `-----BEGIN CERTIFICATE-----` lines: about 187k
//!   truncated blocks, whose findings per code are capped ("and N more"), so the
//!   report stays small.

use crate::robust::{Run, Scratch, TIMEOUT, check_args, pem_ders, run};
use std::time::Duration;

// ---------------------------------------------------------------------------
// A tiny DER writer and reader, enough to add extensions to a certificate.

pub(crate) fn der_len(n: usize) -> Vec<u8> {
    if n < 0x80 {
        return vec![n as u8];
    }
    let bytes: Vec<u8> = n
        .to_be_bytes()
        .into_iter()
        .skip_while(|&b| b == 0)
        .collect();
    let mut out = vec![0x80 | bytes.len() as u8];
    out.extend(bytes);
    out
}

pub(crate) fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    out.extend(der_len(content.len()));
    out.extend_from_slice(content);
    out
}

/// `(tag, header length, total length)` of the TLV at the start of `b` (DER: a
/// one-byte tag, definite length).
pub(crate) fn read_tlv(b: &[u8]) -> (u8, usize, usize) {
    let tag = b[0];
    let first = b[1] as usize;
    if first < 0x80 {
        return (tag, 2, 2 + first);
    }
    let n = first & 0x7f;
    let len = b[2..2 + n]
        .iter()
        .fold(0usize, |a, &x| (a << 8) | x as usize);
    (tag, 2 + n, 2 + n + len)
}

/// The TLVs one after the other in `b`.
pub(crate) fn children(mut b: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let (_, _, total) = read_tlv(b);
        out.push(&b[..total]);
        b = &b[total..];
    }
    out
}

pub(crate) fn content(t: &[u8]) -> &[u8] {
    let (_, header, total) = read_tlv(t);
    &t[header..total]
}

/// The OID 1.3.6.1.4.1.55555.7.`n` (a private arc no one defines), DER-encoded.
pub(crate) fn private_oid(n: u32) -> Vec<u8> {
    let mut body = vec![0x2b, 6, 1, 4, 1];
    for arc in [55555u32, 7, n] {
        let mut groups = vec![(arc & 0x7f) as u8];
        let mut rest = arc >> 7;
        while rest > 0 {
            groups.push(0x80 | (rest & 0x7f) as u8);
            rest >>= 7;
        }
        body.extend(groups.into_iter().rev());
    }
    tlv(0x06, &body)
}

/// `cert` with `n` more extensions, each unknown and critical, with distinct OIDs.
fn with_unknown_critical_extensions(cert: &[u8], n: u32) -> Vec<u8> {
    let outer = content(cert);
    let (_, _, tbs_len) = read_tlv(outer);
    let (tbs, after_tbs) = outer.split_at(tbs_len);
    let mut added = Vec::new();
    for i in 0..n {
        let mut ext = private_oid(i);
        ext.extend([0x01, 0x01, 0xff]); // critical BOOLEAN TRUE
        ext.extend(tlv(0x04, &[0x05, 0x00])); // extnValue: an OCTET STRING holding NULL
        added.extend(tlv(0x30, &ext));
    }
    let mut fields: Vec<Vec<u8>> = children(content(tbs))
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    match fields.iter_mut().find(|f| f[0] == 0xa3) {
        Some(exts) => {
            let mut all = content(content(exts)).to_vec();
            all.extend(added);
            *exts = tlv(0xa3, &tlv(0x30, &all));
        }
        None => fields.push(tlv(0xa3, &tlv(0x30, &added))),
    }
    let mut body = tlv(0x30, &fields.concat());
    body.extend_from_slice(after_tbs);
    tlv(0x30, &body)
}

#[test]
fn the_tiny_der_writer_round_trips() {
    assert_eq!(der_len(0x7f), [0x7f]);
    assert_eq!(der_len(0x80), [0x81, 0x80]);
    assert_eq!(der_len(0x1_0000), [0x83, 1, 0, 0]);
    // 1.3.6.1.4.1.55555.7.200: 55555 = 3·128² + 50·128 + 3, 200 = 1·128 + 72.
    assert_eq!(
        private_oid(200),
        [6, 11, 0x2b, 6, 1, 4, 1, 0x83, 0xb2, 0x03, 7, 0x81, 0x48]
    );
    let leaf = &pem_ders("chains/rsa-ordered.pem")[0];
    let bigger = with_unknown_critical_extensions(leaf, 3);
    let (_, _, total) = read_tlv(&bigger);
    assert_eq!(total, bigger.len());
    assert_eq!(
        children(content(&bigger)).len(),
        3,
        "tbs, algorithm, signature"
    );
}

// ---------------------------------------------------------------------------
// Limits.

/// Sanity bound for one run: generous for a debug build under load.
fn sanity_bound() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(30)
    } else {
        Duration::from_secs(5)
    }
}

#[test]
fn a_certificate_with_80k_unknown_critical_extensions_reads_in_linear_time() {
    let leaf = &pem_ders("chains/rsa-ordered.pem")[0];
    let scratch = Scratch::new("limits-ext");
    let mut best = Vec::new();
    for n in [10_000u32, 40_000, 80_000] {
        let der = with_unknown_critical_extensions(leaf, n);
        let file = scratch.str(&format!("ext-{n}.der"));
        std::fs::write(&file, &der).unwrap();
        // The best of three runs: the machine is shared, and the figure is the
        // reader's, not the scheduler's.
        let runs: Vec<Run> = (0..3)
            .map(|_| {
                run(
                    &check_args(&["--format", "json", &file]),
                    b"",
                    TIMEOUT,
                    None,
                )
            })
            .collect();
        let r = runs.iter().min_by_key(|r| r.elapsed).unwrap();
        r.assert_reported(&format!("{n} extensions"));
        let v = r.json();
        assert_eq!(v["summary"]["certificates"], 1, "{n} extensions: {v}");
        let findings = v["inputs"][0]["findings"].as_array().unwrap();
        let mut codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
        codes.dedup();
        println!(
            "{n} unknown critical extensions ({} bytes of DER): best of 3 {}; \
             {} bytes of JSON, {} findings {codes:?}",
            der.len(),
            r.figures(),
            r.stdout.len(),
            findings.len()
        );
        assert!(
            r.stdout.len() < 1024 * 1024,
            "{n} extensions: the report is {} bytes",
            r.stdout.len()
        );
        best.push(r.elapsed);
    }
    let (t10, t80) = (best[0], best[2]);
    assert!(
        t80 < sanity_bound(),
        "80k extensions took {t80:?} (sanity bound {:?})",
        sanity_bound()
    );
    // Linear: 8 times the extensions may take 8 times as long, and then four
    // times that again for noise and start-up; quadratic would be 64 times. The
    // floor keeps a fast 10k run from making the bound meaningless.
    let floor = t10.max(Duration::from_millis(50));
    assert!(
        t80 <= floor * 32,
        "10k extensions took {t10:?}, 80k took {t80:?}: more than linear"
    );
}

#[test]
fn five_megabytes_of_begin_lines_give_a_bounded_report() {
    const MB5: usize = 5 * 1024 * 1024;
    const LINE: &str = "-----BEGIN CERTIFICATE-----\n";
    let bytes = LINE.repeat(MB5 / LINE.len()).into_bytes();
    let lines = MB5 / LINE.len();
    let scratch = Scratch::new("limits-begin");
    let file = scratch.str("begin-lines.pem");
    std::fs::write(&file, &bytes).unwrap();
    let cases: [(&str, Vec<&str>); 4] = [
        ("check (text)", check_args(&[&file])),
        (
            "check --format json",
            check_args(&["--format", "json", &file]),
        ),
        ("check --bundle (text)", check_args(&["--bundle", &file])),
        (
            "check --bundle --format json",
            check_args(&["--bundle", "--format", "json", &file]),
        ),
    ];
    for (what, args) in cases {
        let r = run(&args, b"", TIMEOUT, None);
        r.assert_reported(what);
        println!(
            "5 MB of BEGIN lines ({lines} lines), {what}: {}; {} bytes of output",
            r.figures(),
            r.stdout.len()
        );
        assert!(
            r.elapsed < sanity_bound(),
            "{what}: {:?} (sanity bound {:?})",
            r.elapsed,
            sanity_bound()
        );
        assert!(
            r.stdout.len() < 1024 * 1024,
            "{what}: the report is {} bytes, for {lines} identical truncated blocks",
            r.stdout.len()
        );
        assert_eq!(r.code, Some(1), "{what}: truncated blocks are errors");
        if args.contains(&"json") {
            let v = r.json();
            let findings: Vec<&serde_json::Value> = v["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|i| i["findings"].as_array().unwrap())
                .collect();
            assert!(findings.len() < 1000, "{what}: {} findings", findings.len());
            // The cap says what it left out.
            let summary = findings
                .iter()
                .filter_map(|f| f["message"].as_str())
                .find(|m| m.contains("more"));
            assert!(
                summary.is_some(),
                "{what}: no finding says how many more were left out: {findings:?}"
            );
        }
    }
}
