//! Chain analysis on synthetic certificates: names, keys and a fake verifier
//! (a signature is valid iff the child records the issuer's key as its signer).

use super::*;
use crate::x509::Name;
use proptest::prelude::*;
use sha1::{Digest, Sha1};
use sha2::Sha256;

/// A synthetic certificate: `cn` issued by `issuer`, key `key:<cn>`, signed with
/// `key:<issuer>` unless told otherwise.
#[derive(Debug, Clone)]
struct B {
    cn: String,
    issuer: String,
    key: String,
    signer: String,
    ca: bool,
    serial: u32,
    weak: bool,
    unsupported: bool,
    dns: Vec<String>,
}

fn cert(cn: &str, issuer: &str) -> B {
    B {
        cn: cn.into(),
        issuer: issuer.into(),
        key: format!("key:{cn}"),
        signer: format!("key:{issuer}"),
        ca: false,
        serial: 1,
        weak: false,
        unsupported: false,
        dns: Vec::new(),
    }
}

fn ca(cn: &str, issuer: &str) -> B {
    cert(cn, issuer).ca()
}

impl B {
    fn ca(mut self) -> Self {
        self.ca = true;
        self
    }
    fn key(mut self, key: &str) -> Self {
        self.key = key.into();
        self
    }
    fn signed_with(mut self, key: &str) -> Self {
        self.signer = key.into();
        self
    }
    fn serial(mut self, serial: u32) -> Self {
        self.serial = serial;
        self
    }
    fn weak(mut self) -> Self {
        self.weak = true;
        self
    }
    fn unsupported(mut self) -> Self {
        self.unsupported = true;
        self
    }
    fn dns(mut self, names: &[&str]) -> Self {
        self.dns = names.iter().map(|s| s.to_string()).collect();
        self
    }

    fn build(&self, index: usize) -> CertInfo {
        let name = |cn: &str| Name {
            display: format!("CN={cn}"),
            attrs: vec![("CN".into(), cn.into())],
            key: format!("cn={}", cn.to_lowercase()),
        };
        let der = format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            self.cn,
            self.issuer,
            self.key,
            self.signer,
            self.ca,
            self.serial,
            self.weak,
            self.unsupported
        )
        .into_bytes();
        let self_issued = self.cn.to_lowercase() == self.issuer.to_lowercase();
        let at = chrono::DateTime::from_timestamp(0, 0).unwrap();
        CertInfo {
            index,
            line: None,
            origin: None,
            sha1: Sha1::digest(&der).into(),
            sha256: Sha256::digest(&der).into(),
            der,
            subject: name(&self.cn),
            issuer: name(&self.issuer).into(),
            serial: format!("{:x}", self.serial),
            not_before: at,
            not_after: at,
            ca: self.ca,
            self_issued,
            self_signed: self_issued && !self.unsupported && self.signer == self.key,
            self_signature_skipped: false,
            ca_issuers: Vec::new(),
            public_key: "RSA 2048".into(),
            spki_der: self.key.clone().into_bytes(),
            signature_algorithm: if self.unsupported {
                "1.2.3.4".into()
            } else if self.weak {
                "sha1WithRSAEncryption".into()
            } else {
                "sha256WithRSAEncryption".into()
            },
            signature_algorithm_der: Vec::new(),
            tbs_der: Vec::new(),
            signature: self.signer.clone().into_bytes(),
            weak_signature: self.weak,
            dns_names: self.dns.clone(),
            ip_addresses: Vec::new(),
            subject_key_id: None,
            authority_key_id: None,
            notes: Vec::new(),
        }
    }
}

fn fake_verify(child: &CertInfo, issuer: &CertInfo) -> Verdict {
    if child.signature_algorithm == "1.2.3.4" {
        Verdict::Unsupported
    } else if child.signature == issuer.spki_der {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

fn served(bs: &[B]) -> Vec<CertInfo> {
    bs.iter().enumerate().map(|(i, b)| b.build(i)).collect()
}

fn run(certs: &[CertInfo]) -> ChainAnalysis {
    analyse_with(certs, &ChainOptions::default(), &fake_verify)
}

fn run_with(certs: &[CertInfo], opts: &ChainOptions<'_>) -> ChainAnalysis {
    analyse_with(certs, opts, &fake_verify)
}

fn codes(a: &ChainAnalysis) -> Vec<&'static str> {
    a.findings.iter().map(|f| f.code.as_str()).collect()
}

fn finding(a: &ChainAnalysis, code: Code) -> &Finding {
    a.findings
        .iter()
        .find(|f| f.code == code)
        .unwrap_or_else(|| panic!("no {code} in {:#?}", a.findings))
}

fn tp(c: &CertInfo) -> Thumbprint {
    Thumbprint(c.sha1)
}

fn leaf() -> B {
    cert("leaf", "Int").dns(&["example.com"])
}
fn int() -> B {
    ca("Int", "Root")
}
fn root() -> B {
    ca("Root", "Root")
}

#[test]
fn in_order_chain_without_root_is_ok() {
    let certs = served(&[leaf(), int()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(0));
    assert_eq!(a.path, vec![0, 1]);
    assert_eq!(a.order, Order::Ok);
    assert_eq!(codes(&a), vec!["chain.root_omitted"]);
    assert_eq!(a.thumbprint, Some(tp(&certs[1])));
    assert_eq!(a.thumbprint_index, Some(1));
    assert_eq!(a.served_last, Some(1));
    assert_eq!(a.served_last_thumbprint, a.thumbprint);
    assert_eq!(a.thumbprint_note, None);
    assert_eq!(
        a.links,
        vec![Link {
            child: 0,
            issuer: 1,
            signature: Verdict::Valid
        }]
    );
    assert_eq!(a.roles, vec![Role::Leaf, Role::Top]);
    let f = finding(&a, Code::ChainRootOmitted);
    assert!(f.message.contains("'CN=Root'"), "{}", f.message);
    assert!(!a.search_limited);
}

#[test]
fn root_included_is_reported_and_thumbprint_is_the_roots() {
    let certs = served(&[leaf(), int(), root()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 1, 2]);
    assert_eq!(a.order, Order::Ok);
    assert_eq!(codes(&a), vec!["chain.root_included"]);
    assert_eq!(a.thumbprint_index, Some(2));
    let f = finding(&a, Code::ChainRootIncluded);
    assert!(
        f.message.contains("thumbprint is then the root's"),
        "{}",
        f.message
    );
    assert!(f.message.contains(&tp(&certs[2]).to_string()));
}

#[test]
fn reversed_chain_is_out_of_order_and_the_thumbprint_is_still_the_top() {
    let certs = served(&[root(), int(), leaf()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(2));
    assert_eq!(a.path, vec![2, 1, 0]);
    assert_eq!(a.order, Order::Broken);
    assert_eq!(a.thumbprint, Some(tp(&certs[0])));
    let f = finding(&a, Code::ChainOutOfOrder);
    assert!(
        f.message.starts_with("served order 0,1,2 = root, intermediate, leaf; RFC 5246 needs leaf, intermediate, root: the server's own certificate 'CN=leaf' (served #2) must come first"),
        "{}",
        f.message
    );
    // The server sends the leaf last: tools hashing the last certificate get it wrong.
    let note = a.thumbprint_note.as_deref().unwrap();
    assert!(note.contains("'CN=leaf' (served #2) last"), "{note}");
    assert!(note.contains(&tp(&certs[2]).to_string()), "{note}");
    assert!(
        f.message.contains(note),
        "the note rides on the order finding"
    );
}

#[test]
fn root_served_before_its_intermediate_names_the_move() {
    let certs = served(&[leaf(), root(), int()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 2, 1]);
    let f = finding(&a, Code::ChainOutOfOrder);
    assert!(
        f.message.starts_with(
            "served order 0,1,2 = leaf, root, intermediate; RFC 5246 needs leaf, intermediate, root: 'CN=Int' (served #2) must come right after 'CN=leaf' (served #0)"
        ),
        "{}",
        f.message
    );
    let plan = fix_plan(&certs, &a);
    assert_eq!(plan.path, vec![0, 2, 1]);
    assert_eq!(
        plan.notes,
        vec![
            "moved 'CN=Int' from served #2 to #1",
            "moved 'CN=Root' from served #1 to #2"
        ]
    );
}

#[test]
fn swapped_intermediates_are_out_of_order() {
    let certs = served(&[cert("leaf", "Int1"), ca("Int2", "Root"), ca("Int1", "Int2")]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 2, 1]);
    assert_eq!(a.thumbprint_index, Some(1));
    let f = finding(&a, Code::ChainOutOfOrder);
    assert!(
        f.message
            .contains("'CN=Int1' (served #2) must come right after 'CN=leaf' (served #0)"),
        "{}",
        f.message
    );
    assert!(codes(&a).contains(&"chain.root_omitted"));
    assert!(a.thumbprint_note.is_some());
}

#[test]
fn duplicate_is_reported_once_and_is_not_disorder() {
    let certs = served(&[leaf(), int(), int()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 1]);
    assert_eq!(a.order, Order::Broken);
    let mut c = codes(&a);
    c.sort();
    assert_eq!(c, vec!["chain.duplicate", "chain.root_omitted"]);
    let f = finding(&a, Code::ChainDuplicate);
    assert_eq!(f.certificate, Some(2));
    assert!(
        f.message.contains("duplicate of served #1"),
        "{}",
        f.message
    );
    assert_eq!(a.roles[2], Role::Duplicate { of: 1 });
    // Same SHA-1 last: no note.
    assert_eq!(a.thumbprint_note, None);
    let plan = fix_plan(&certs, &a);
    assert_eq!(plan.notes, vec!["dropped duplicate of #1 (served #2)"]);
}

#[test]
fn duplicate_leaf_first_is_not_disorder() {
    let certs = served(&[leaf(), leaf(), int()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(0));
    assert_eq!(a.path, vec![0, 2]);
    assert!(!codes(&a).contains(&"chain.out_of_order"));
    assert!(codes(&a).contains(&"chain.duplicate"));
}

#[test]
fn extra_certificate_in_the_middle_is_extra_not_disorder() {
    let certs = served(&[leaf(), cert("Other", "OtherCA"), int()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 2]);
    let mut c = codes(&a);
    c.sort();
    assert_eq!(c, vec!["chain.extra_certificate", "chain.root_omitted"]);
    let f = finding(&a, Code::ChainExtraCertificate);
    assert_eq!(f.certificate, Some(1));
    assert!(
        f.message.contains("an unrelated certificate"),
        "{}",
        f.message
    );
    let plan = fix_plan(&certs, &a);
    assert_eq!(plan.path, vec![0, 2]);
    assert_eq!(
        plan.steps.len(),
        1,
        "a drop alone moves nothing: {:?}",
        plan.notes
    );
    assert!(plan.notes[0].starts_with("dropped 'CN=Other' (served #1): not on the leaf's path"));
}

#[test]
fn extra_served_last_carries_the_thumbprint_note() {
    let certs = served(&[leaf(), int(), cert("Other", "OtherCA")]);
    let a = run(&certs);
    let f = finding(&a, Code::ChainExtraCertificate);
    assert_eq!(f.certificate, Some(2));
    let note = a.thumbprint_note.as_deref().unwrap();
    assert!(
        note.contains("eksctl, Terraform tls_certificate, the IAM console"),
        "{note}"
    );
    assert!(note.contains(&tp(&certs[2]).to_string()), "{note}");
    assert!(f.message.ends_with(note), "{}", f.message);
}

#[test]
fn extra_before_the_leaf_puts_the_leaf_out_of_place() {
    let certs = served(&[cert("Other", "OtherCA"), leaf(), int()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(1));
    let f = finding(&a, Code::ChainOutOfOrder);
    assert!(
        f.message.contains("= extra, leaf, intermediate"),
        "{}",
        f.message
    );
    assert!(f.message.contains("must come first"), "{}", f.message);
}

#[test]
fn leaf_only_is_incomplete() {
    let certs = served(&[leaf()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0]);
    assert_eq!(a.order, Order::Ok);
    assert_eq!(codes(&a), vec!["chain.incomplete"]);
    assert_eq!(a.thumbprint, Some(tp(&certs[0])));
    let f = finding(&a, Code::ChainIncomplete);
    assert!(
        f.message.contains("'CN=Int' was not served"),
        "{}",
        f.message
    );
}

#[test]
fn missing_intermediate_with_root_served() {
    // leaf ← (Int missing) ← Root: the root issued nothing served.
    let certs = served(&[leaf(), root()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(0));
    assert_eq!(a.path, vec![0]);
    let mut c = codes(&a);
    c.sort();
    assert_eq!(c, vec!["chain.extra_certificate", "chain.incomplete"]);
    let f = finding(&a, Code::ChainExtraCertificate);
    assert!(
        f.message.contains("self-signed root that issued nothing"),
        "{}",
        f.message
    );
}

#[test]
fn cross_signed_root_served_last_gives_an_alternative_thumbprint() {
    let amazon_self = ca("Amazon Root CA 1", "Amazon Root CA 1");
    let amazon_cross = ca("Amazon Root CA 1", "Starfield").key("key:Amazon Root CA 1");
    let certs = served(&[
        cert("leaf", "Amazon RSA 2048 M01"),
        ca("Amazon RSA 2048 M01", "Amazon Root CA 1"),
        amazon_self,
        amazon_cross,
    ]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 1, 2]);
    assert_eq!(a.thumbprint, Some(tp(&certs[2])));
    assert_eq!(a.alternative_thumbprints, vec![tp(&certs[3])]);
    let f = finding(&a, Code::ChainExtraCertificate);
    assert_eq!(f.certificate, Some(3));
    assert!(
        f.message
            .contains("a cross-sign (issued by 'CN=Starfield') of the top CA"),
        "{}",
        f.message
    );
    assert!(codes(&a).contains(&"chain.root_included"));
    let note = a.thumbprint_note.as_deref().unwrap();
    assert!(note.contains(&tp(&certs[3]).to_string()), "{note}");

    // Served the other way round: the cross-sign is right after the intermediate.
    let certs = served(&[
        cert("leaf", "Amazon RSA 2048 M01"),
        ca("Amazon RSA 2048 M01", "Amazon Root CA 1"),
        ca("Amazon Root CA 1", "Starfield").key("key:Amazon Root CA 1"),
        ca("Amazon Root CA 1", "Amazon Root CA 1"),
    ]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 1, 2]);
    assert!(codes(&a).contains(&"chain.root_omitted"));
    assert_eq!(a.alternative_thumbprints, vec![tp(&certs[3])]);
    let f = finding(&a, Code::ChainExtraCertificate);
    assert!(
        f.message.contains("the self-signed form of the top CA"),
        "{}",
        f.message
    );
}

#[test]
fn forged_issuer_is_a_bad_signature_and_off_the_path() {
    let forged = int().key("key:evil");
    let certs = served(&[leaf(), forged]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(0));
    assert_eq!(a.path, vec![0]);
    assert_eq!(a.links[0].signature, Verdict::Invalid);
    let bad = finding(&a, Code::ChainBadSignature);
    assert_eq!(bad.certificate, Some(0));
    assert!(
        bad.message
            .contains("served #1 has that name, but its key does not verify"),
        "{}",
        bad.message
    );
    let extra = finding(&a, Code::ChainExtraCertificate);
    assert!(
        extra.message.contains("does not verify"),
        "{}",
        extra.message
    );
    assert!(codes(&a).contains(&"chain.incomplete"));

    // Served first, the impostor still never becomes the leaf.
    let certs = served(&[int().key("key:evil"), leaf()]);
    assert_eq!(run(&certs).leaf, Some(1));
}

#[test]
fn edited_self_issued_certificate_is_a_bad_signature() {
    let certs = served(&[leaf(), int(), root().signed_with("key:someone")]);
    let a = run(&certs);
    assert!(!certs[2].self_signed);
    let bad = finding(&a, Code::ChainBadSignature);
    assert_eq!(bad.certificate, Some(2));
    assert!(
        bad.message
            .contains("subject equals issuer but its own key does not verify its signature"),
        "{}",
        bad.message
    );
}

#[test]
fn unsupported_signature_is_not_bad_but_said() {
    let certs = served(&[leaf().unsupported(), int()]);
    let a = run(&certs);
    assert_eq!(a.links[0].signature, Verdict::Unsupported);
    assert!(!codes(&a).contains(&"chain.bad_signature"));
    assert_eq!(a.path, vec![0]);
    assert!(
        finding(&a, Code::ChainIncomplete)
            .message
            .contains("unsupported")
    );
    assert!(
        finding(&a, Code::ChainExtraCertificate)
            .message
            .contains("unsupported")
    );
}

#[test]
fn a_path_stopped_by_an_unsupported_link_says_the_thumbprint_may_be_another() {
    // Leaf → Int verified, Int → Root unsupported: the path stops at Int, which gives
    // the thumbprint, and the warning says the root would, if its signature holds.
    let certs = served(&[leaf(), int().unsupported(), root()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 1]);
    assert_eq!(a.thumbprint, Some(tp(&certs[1])));
    let f = finding(&a, Code::ChainUnverifiedLink);
    assert_eq!(f.certificate, Some(1));
    assert_eq!(f.severity(), crate::findings::Severity::Warning);
    assert!(
        f.message.contains("the IAM thumbprint is #1's SHA-1"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("is #2 or a certificate above it"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("1.2.3.4 with a key of RSA 2048"),
        "{}",
        f.message
    );
    // Its issuer was served: not "the root was not served".
    assert!(
        !codes(&a).contains(&"chain.root_omitted"),
        "{:?}",
        codes(&a)
    );
    // The leaf alone, its only issuer unsupported: the same warning, on the leaf.
    let certs = served(&[leaf().unsupported(), int()]);
    let a = run(&certs);
    assert_eq!(finding(&a, Code::ChainUnverifiedLink).certificate, Some(0));
}

#[test]
fn an_unsupported_link_the_path_would_have_taken_is_said() {
    // Two served CAs named Int: #1 (key A, served right after the leaf, the one the
    // path prefers) cannot be checked, #2 (key B) verifies. The path goes through #2;
    // had #1 verified, it would have gone through #1.
    let certs = served(&[
        leaf().signed_with("key:B"),
        int().key("key:A"),
        int().key("key:B"),
    ]);
    let verify = |child: &CertInfo, issuer: &CertInfo| {
        if issuer.spki_der == b"key:A" {
            Verdict::Unsupported
        } else {
            fake_verify(child, issuer)
        }
    };
    let a = analyse_with(&certs, &ChainOptions::default(), &verify);
    assert_eq!(a.path, vec![0, 2]);
    let f = finding(&a, Code::ChainUnverifiedLink);
    assert_eq!(f.certificate, Some(0));
    assert!(
        f.message.contains("goes on through #2 instead"),
        "{}",
        f.message
    );
    // #1 served after #2: the path takes #2 anyway (it is served right after the
    // leaf), so the unsupported #1 changes nothing and is not reported.
    let certs = served(&[
        leaf().signed_with("key:B"),
        int().key("key:B"),
        int().key("key:A"),
    ]);
    let a = analyse_with(&certs, &ChainOptions::default(), &verify);
    assert_eq!(a.path, vec![0, 1]);
    assert!(
        !codes(&a).contains(&"chain.unverified_link"),
        "{:?}",
        codes(&a)
    );
}

#[test]
fn unsupported_links_off_the_path_rule_change_nothing_and_say_nothing() {
    // A self-signed root on top: the path stops there whatever else is served.
    let certs = served(&[leaf(), int(), root()]);
    let a = run(&certs);
    assert!(!codes(&a).contains(&"chain.unverified_link"));
    // An unrelated unsupported certificate served beside a good chain.
    let certs = served(&[leaf(), int(), ca("Other", "Elsewhere").unsupported()]);
    let a = run(&certs);
    assert!(
        !codes(&a).contains(&"chain.unverified_link"),
        "{:?}",
        codes(&a)
    );
}

#[test]
fn loop_of_cross_certificates_has_no_leaf() {
    let certs = served(&[ca("A", "B"), ca("B", "A")]);
    let a = run(&certs);
    assert_eq!(a.leaf, None);
    assert!(a.path.is_empty());
    assert_eq!(a.thumbprint, None);
    assert_eq!(a.thumbprint_index, None);
    assert_eq!(a.order, Order::Broken);
    let f = finding(&a, Code::ChainExtraCertificate);
    assert_eq!(f.certificate, None);
    assert!(
        f.message.contains("no leaf can be identified"),
        "{}",
        f.message
    );
    assert!(a.thumbprint_note.is_some());
    assert_eq!(fix_plan(&certs, &a), FixPlan::default());
}

#[test]
fn no_certificate_is_an_empty_ok_analysis() {
    let a = run(&[]);
    assert_eq!(a.leaf, None);
    assert_eq!(a.order, Order::Ok);
    assert!(a.findings.is_empty());
    assert_eq!(a.served_last, None);
}

#[test]
fn ten_thousand_certificates_with_one_name_stop_quickly() {
    let n = 10_000;
    let bs: Vec<B> = (0..n)
        .map(|i| {
            ca("Same", "Same")
                .key(&format!("k{i}"))
                .signed_with(&format!("k{}", (i + 1) % n))
                .serial(i as u32)
        })
        .collect();
    let certs = served(&bs);
    let start = std::time::Instant::now();
    let a = run(&certs);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(a.search_limited);
    assert!(codes(&a).contains(&"chain.search_limited"));
    assert_eq!(a.leaf, None);
    assert!(a.links.len() <= Limits::default().signature_checks);

    // One leaf under 10,000 namesakes: found, with the budget said to run out.
    let mut bs: Vec<B> = vec![leaf()];
    bs.extend((0..n).map(|i| int().key(&format!("k{i}")).serial(i as u32)));
    bs.push(int());
    let certs = served(&bs);
    let start = std::time::Instant::now();
    let a = run(&certs);
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(a.leaf, Some(0));
    assert!(a.search_limited);
    let f = finding(&a, Code::ChainSearchLimited);
    assert!(f.message.contains("signature work"), "{}", f.message);
}

#[test]
fn small_budget_is_reported() {
    let certs = served(&[leaf(), int(), root()]);
    let limits = Limits {
        signature_checks: 1,
        path_steps: 100,
    };
    let a = analyse_limited(&certs, &ChainOptions::default(), &fake_verify, limits);
    assert!(a.search_limited);
    assert_eq!(a.path, vec![0, 1]);
    assert!(!codes(&a).contains(&"chain.bad_signature"));
}

#[test]
fn leaf_with_the_longest_path_wins() {
    let certs = served(&[cert("stray", "Nowhere"), leaf(), int()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(1));
    assert_eq!(a.path, vec![1, 2]);
}

#[test]
fn non_ca_leaf_beats_a_ca_with_an_equal_path() {
    let certs = served(&[ca("Lone CA", "Nowhere"), cert("leaf", "Nowhere2")]);
    assert_eq!(run(&certs).leaf, Some(1));
}

#[test]
fn first_served_leaf_breaks_remaining_ties() {
    let certs = served(&[cert("a", "Nowhere"), cert("b", "Nowhere2")]);
    assert_eq!(run(&certs).leaf, Some(0));
    // Two leaves under one intermediate.
    let certs = served(&[cert("a", "Int"), cert("b", "Int"), int()]);
    let a = run(&certs);
    assert_eq!(a.leaf, Some(0));
    assert!(
        finding(&a, Code::ChainExtraCertificate)
            .message
            .contains("a second leaf, issued by 'CN=Int' (served #2)")
    );
}

#[test]
fn among_verifying_issuers_the_path_takes_the_next_served_else_the_first() {
    let int_a = int().serial(1);
    let int_b = int().serial(2);
    let certs = served(&[leaf(), int_b.clone(), int_a.clone()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![0, 1]);
    assert_eq!(a.alternative_thumbprints, vec![tp(&certs[2])]);

    let certs = served(&[int_a, leaf(), cert("Other", "X"), int_b]);
    let a = run(&certs);
    assert_eq!(a.path, vec![1, 0]);
    assert_eq!(a.alternative_thumbprints, vec![tp(&certs[3])]);
}

#[test]
fn expected_values_are_classified_in_five_kinds() {
    let certs = served(&[
        cert("leaf", "Int1"),
        ca("Int1", "Int2"),
        ca("Int2", "Root"),
        cert("Other", "X"),
    ]);
    let nowhere = Thumbprint([0xAB; 20]);
    let opts = ChainOptions {
        expect: vec![
            tp(&certs[2]),
            tp(&certs[0]),
            tp(&certs[1]),
            tp(&certs[3]),
            nowhere,
        ],
        ..Default::default()
    };
    let a = run_with(&certs, &opts);
    let got: Vec<(Match, Option<usize>)> =
        a.expected.iter().map(|e| (e.matches, e.index)).collect();
    assert_eq!(
        got,
        vec![
            (Match::Top, Some(2)),
            (Match::Leaf, Some(0)),
            (Match::Intermediate, Some(1)),
            (Match::Other, Some(3)),
            (Match::None, None),
        ]
    );
    assert!(!codes(&a).contains(&"thumbprint.mismatch"));

    // Without the top's value: a mismatch that says what each one is.
    let opts = ChainOptions {
        expect: vec![tp(&certs[0]), tp(&certs[1]), tp(&certs[3]), nowhere],
        ..Default::default()
    };
    let a = run_with(&certs, &opts);
    let f = finding(&a, Code::ThumbprintMismatch);
    for needle in [
        "is the SHA-1 of the leaf 'CN=leaf' (served #0), which changes at every renewal",
        "is the SHA-1 of 'CN=Int1' (served #1), an intermediate",
        "is the SHA-1 of 'CN=Other' (served #3), which is served but not on the leaf's path",
        "matches no served certificate",
        "TLS-intercepting proxy",
    ] {
        assert!(
            f.message.contains(needle),
            "{needle:?} not in {}",
            f.message
        );
    }
    assert!(
        f.message
            .ends_with(&format!("Configure {} instead", tp(&certs[2]))),
        "{}",
        f.message
    );
}

#[test]
fn expected_alternative_thumbprint_counts_as_top() {
    let certs = served(&[leaf(), int().serial(1), int().serial(2)]);
    let opts = ChainOptions {
        expect: vec![tp(&certs[2])],
        ..Default::default()
    };
    let a = run_with(&certs, &opts);
    assert_eq!(a.expected[0].matches, Match::Top);
    assert_eq!(a.expected[0].index, Some(2));
    assert!(!codes(&a).contains(&"thumbprint.mismatch"));
}

#[test]
fn expected_without_a_leaf_is_a_mismatch() {
    let certs = served(&[ca("A", "B"), ca("B", "A")]);
    let opts = ChainOptions {
        expect: vec![tp(&certs[0])],
        ..Default::default()
    };
    let a = run_with(&certs, &opts);
    assert_eq!(a.expected[0].matches, Match::Other);
    assert!(
        finding(&a, Code::ThumbprintMismatch)
            .message
            .contains("no leaf")
    );
}

#[test]
fn trust_roots_decide_completeness() {
    let certs = served(&[leaf(), int()]);
    let trusted = served(&[root()]);
    let opts = ChainOptions {
        trust: Some(&trusted),
        ..Default::default()
    };
    assert!(!codes(&run_with(&certs, &opts)).contains(&"chain.incomplete"));

    let elsewhere = served(&[ca("Other Root", "Other Root")]);
    let opts = ChainOptions {
        trust: Some(&elsewhere),
        ..Default::default()
    };
    let a = run_with(&certs, &opts);
    let f = finding(&a, Code::ChainIncomplete);
    assert!(
        f.message
            .contains("neither one of the 1 --trust roots nor issued by one"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("no trusted root is named 'CN=Root'"),
        "{}",
        f.message
    );

    let rekeyed = served(&[root().key("key:new").signed_with("key:new")]);
    let opts = ChainOptions {
        trust: Some(&rekeyed),
        ..Default::default()
    };
    let f = run_with(&certs, &opts);
    assert!(
        finding(&f, Code::ChainIncomplete)
            .message
            .contains("another key")
    );

    // A served root that is itself trusted.
    let certs = served(&[leaf(), int(), root()]);
    let opts = ChainOptions {
        trust: Some(&trusted),
        ..Default::default()
    };
    assert!(!codes(&run_with(&certs, &opts)).contains(&"chain.incomplete"));
}

#[test]
fn weak_signatures_are_reported_except_on_self_signed_roots() {
    let certs = served(&[leaf(), int().weak(), root().weak()]);
    let a = run(&certs);
    let weak: Vec<Option<usize>> = a
        .findings
        .iter()
        .filter(|f| f.code == Code::SignatureWeak)
        .map(|f| f.certificate)
        .collect();
    assert_eq!(weak, vec![Some(1)]);
    assert_eq!(weak_signature_findings(&certs).len(), 1);
}

#[test]
fn host_is_checked_against_the_leaf() {
    let certs = served(&[leaf(), int()]);
    let opts = ChainOptions {
        host: Some("www.example.com".into()),
        ..Default::default()
    };
    let a = run_with(&certs, &opts);
    let f = finding(&a, Code::HostMismatch);
    assert_eq!(f.certificate, Some(0));
    assert!(f.message.contains("it covers example.com"), "{}", f.message);
    let opts = ChainOptions {
        host: Some("Example.com.".into()),
        ..Default::default()
    };
    assert!(!codes(&run_with(&certs, &opts)).contains(&"host.mismatch"));
}

#[test]
fn fix_plan_lists_moves_and_drops() {
    let certs = served(&[int(), leaf(), int(), cert("Other", "X"), root()]);
    let a = run(&certs);
    assert_eq!(a.path, vec![1, 0, 4]);
    let plan = fix_plan(&certs, &a);
    assert_eq!(plan.path, vec![1, 0, 4]);
    assert_eq!(
        plan.notes,
        vec![
            "moved 'CN=leaf' from served #1 to #0",
            "moved 'CN=Int' from served #0 to #1",
            "dropped duplicate of #0 (served #2)",
            "dropped 'CN=Other' (served #3): not on the leaf's path: an unrelated certificate: issued by 'CN=X', it neither issued nor was issued by any certificate on the leaf's path",
        ]
    );
}

fn chain_strategy() -> impl Strategy<Value = (Vec<B>, Vec<B>)> {
    (
        1usize..5,
        any::<bool>(),
        0usize..4,
        proptest::collection::vec(0usize..8, 0..4),
    )
        .prop_map(|(ints, with_root, foreign, dups)| {
            let mut chain = vec![cert("leaf", "I0")];
            for k in 0..ints {
                let issuer = if k + 1 == ints {
                    "Root".to_string()
                } else {
                    format!("I{}", k + 1)
                };
                chain.push(ca(&format!("I{k}"), &issuer));
            }
            if with_root {
                chain.push(root());
            }
            let mut extra: Vec<B> = (0..foreign)
                .map(|f| {
                    if f % 2 == 0 {
                        cert(&format!("Foreign{f}"), &format!("Elsewhere{f}"))
                    } else {
                        ca(&format!("Foreign{f}"), &format!("Foreign{f}"))
                    }
                })
                .collect();
            extra.extend(dups.iter().map(|&d| chain[d % chain.len()].clone()));
            (chain, extra)
        })
}

proptest! {
    #[test]
    fn any_permutation_with_duplicates_and_foreigners_fixes_to_the_chain(
        (chain, extra) in chain_strategy(),
        seed in any::<u64>(),
    ) {
        let mut all: Vec<B> = chain.iter().cloned().chain(extra).collect();
        // A deterministic shuffle from the seed (Fisher–Yates with an LCG).
        let mut s = seed;
        for i in (1..all.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (s >> 33) as usize % (i + 1);
            all.swap(i, j);
        }
        let certs = served(&all);
        let a = run(&certs);
        let plan = fix_plan(&certs, &a);
        let got: Vec<[u8; 32]> = plan.path.iter().map(|&i| certs[i].sha256).collect();
        let want: Vec<[u8; 32]> = chain.iter().map(|b| b.build(0).sha256).collect();
        prop_assert_eq!(got, want);
        prop_assert_eq!(a.thumbprint, Some(Thumbprint(chain.last().unwrap().build(0).sha1)));
        let in_order = certs.len() == chain.len() && a.path == (0..chain.len()).collect::<Vec<_>>();
        prop_assert_eq!(a.order == Order::Ok, in_order);
    }
}
