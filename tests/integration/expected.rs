//! Every fixture of `fixtures/EXPECTED.tsv` (written by `fixtures/generate.sh`, with
//! thumbprints from `openssl x509 -fingerprint -sha1`) gets the leaf, order,
//! thumbprint and finding codes a reader of the contract expects.

use crate::util::*;
use std::collections::BTreeSet;

struct Row {
    file: String,
    leaf_subject: String,
    order: String,
    thumbprint: String,
    findings: BTreeSet<String>,
}

fn rows() -> Vec<Row> {
    let text = std::fs::read_to_string(fixtures().join("EXPECTED.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let col = |n: usize| cols.get(n).copied().unwrap_or("").to_string();
            Row {
                file: col(0),
                leaf_subject: col(1),
                order: col(2),
                thumbprint: col(3),
                findings: col(4).split_whitespace().map(String::from).collect(),
            }
        })
        .collect()
}

fn dash(s: &str) -> Option<&str> {
    if s.is_empty() || s == "-" {
        None
    } else {
        Some(s)
    }
}

#[test]
fn every_fixture_matches_expected_tsv() {
    let mut failures = Vec::new();
    let rows = rows();
    assert!(rows.len() > 50, "EXPECTED.tsv lists the fixtures");
    for row in rows {
        let (v, _) = check_json(&[&row.file]);
        let input = &v["inputs"][0];
        let got: BTreeSet<String> = codes(&v, 0).into_iter().collect();
        if got != row.findings {
            failures.push(format!(
                "{}: findings {:?}, expected {:?}",
                row.file, got, row.findings
            ));
        }
        let chain = &input["chain"];
        if let Some(tp) = dash(&row.thumbprint)
            && chain["thumbprint"] != tp
        {
            failures.push(format!(
                "{}: thumbprint {} expected {tp}",
                row.file, chain["thumbprint"]
            ));
        }
        if let Some(order) = dash(&row.order)
            && chain["order"] != order
        {
            failures.push(format!(
                "{}: order {} expected {order}",
                row.file, chain["order"]
            ));
        }
        if let Some(subject) = dash(&row.leaf_subject) {
            let leaf = chain["leaf"]
                .as_u64()
                .map(|i| &input["certificates"][i as usize]["subject"]);
            if leaf.and_then(|s| s.as_str()) != Some(subject) {
                failures.push(format!("{}: leaf {:?} expected {subject}", row.file, leaf));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
