//! SARIF 2.1.0: the findings of every input as one static-analysis log, for code
//! scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers).
//!
//! One run; one rule per finding code (all of [`Code::ALL`], so `ruleIndex` is the
//! code's position there and stays stable between runs); one result per finding,
//! located in its input file, at the finding's line or else at the line where the
//! certificate it is about begins.
//!
//! Decisions:
//!
//! - The artifact URI is the source path as given, percent-encoded (RFC 3986
//!   unreserved characters and `/` kept, every other byte as `%XX`), a leading `./`
//!   dropped; `\` is a separator only on Windows (on Unix it is part of the name and
//!   becomes `%5C`); an absolute path becomes a `file://` URI. Standard input is
//!   `stdin`.
//! - `partialFingerprints["certaudit/v1"]` identifies a result across runs: the
//!   code, the source and the certificate's SHA-256 (or the line for whole-input
//!   findings). Messages are left out because they mention days left.
//! - `invocations[0].executionSuccessful` is false when an input could not be read
//!   at all (exit 2); each such input is also a `toolExecutionNotifications` entry.

use crate::check::InputAudit;
use crate::der::hex::hex_upper;
use crate::findings::{Code, Finding, Severity};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The `$schema` of the document.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The SARIF version written.
pub const VERSION: &str = "2.1.0";
/// The key of our entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "certaudit/v1";

/// The SARIF 2.1.0 log of `audits`, in input order.
pub fn document(audits: &[InputAudit]) -> Value {
    let mut artifacts: Vec<String> = Vec::new();
    // uri -> index in `artifacts`: a map, not a scan (100,000 inputs).
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for audit in audits {
        let uri = artifact_uri(&audit.source);
        let artifact_index = *index.entry(uri.clone()).or_insert_with(|| {
            artifacts.push(uri.clone());
            artifacts.len() - 1
        });
        for f in &audit.findings {
            if f.code == Code::InputUnreadable {
                notifications.push(json!({
                    "level": "error",
                    "message": { "text": f.message },
                    "locations": [ { "physicalLocation": { "artifactLocation": { "uri": uri } } } ],
                }));
            }
            results.push(result(audit, f, &uri, artifact_index));
        }
    }
    let artifacts: Vec<Value> = artifacts
        .into_iter()
        .map(|uri| json!({ "location": { "uri": uri }, "roles": ["analysisTarget"] }))
        .collect();
    let mut invocation = json!({ "executionSuccessful": notifications.is_empty() });
    if !notifications.is_empty() {
        if let Some(obj) = invocation.as_object_mut() {
            obj.insert(
                "toolExecutionNotifications".into(),
                Value::Array(notifications),
            );
        }
    }
    json!({
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": { "driver": driver() },
                "invocations": [ invocation ],
                "artifacts": artifacts,
                "results": results,
            }
        ]
    })
}

/// `tool.driver`: name, version, the project's address (when Cargo.toml has one)
/// and one rule per finding code.
fn driver() -> Value {
    let mut d = Map::new();
    d.insert("name".into(), json!("certaudit"));
    d.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    d.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    if let Some(uri) = information_uri() {
        d.insert("informationUri".into(), json!(uri));
    }
    d.insert(
        "rules".into(),
        Value::Array(Code::ALL.iter().map(|&c| rule(c)).collect()),
    );
    Value::Object(d)
}

/// The repository, else the homepage, from Cargo.toml; `None` when neither is set
/// (SARIF makes `informationUri` optional, and it must be an absolute URI).
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_REPOSITORY"), env!("CARGO_PKG_HOMEPAGE")]
        .into_iter()
        .find(|u| u.starts_with("https://") || u.starts_with("http://"))
}

fn rule(code: Code) -> Value {
    let (short, full) = describe(code);
    let area = code.as_str().split('.').next().unwrap_or_default();
    json!({
        "id": code.as_str(),
        "name": rule_name(code),
        "shortDescription": { "text": short },
        "fullDescription": { "text": full },
        "defaultConfiguration": { "level": level(code.severity()) },
        "properties": { "tags": [area] },
    })
}

/// `chain.out_of_order` → `ChainOutOfOrder` (SARIF `name`: an opaque identifier).
fn rule_name(code: Code) -> String {
    code.as_str()
        .split(['.', '_'])
        .map(|word| {
            let mut chars = word.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// SARIF `level` of a severity.
pub const fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Short and full description of each rule (the contract's "Finding codes" table).
fn describe(code: Code) -> (&'static str, &'static str) {
    match code {
        Code::InputUnreadable => (
            "Input cannot be read",
            "The file cannot be read at all (missing, permission denied); the other inputs are still reported.",
        ),
        Code::InputEmpty => (
            "No certificate in the input",
            "The input holds no certificate that could be read.",
        ),
        Code::InputBadBase64 => (
            "PEM body is not base64",
            "A PEM block's body is not base64, for example a redacted 'CERTIFICATE Redacted' placeholder.",
        ),
        Code::InputBadCertificate => (
            "Not a DER X.509 certificate",
            "The bytes of a block are not a DER X.509 certificate: truncated or corrupted.",
        ),
        Code::InputTruncated => (
            "PEM block without END line",
            "A BEGIN line has no matching END line before the next BEGIN or the end of the input.",
        ),
        Code::InputPrivateKey => (
            "Private key in the input",
            "A private key block was skipped; its content is never shown. Treat a key that was shared as exposed.",
        ),
        Code::InputSkippedBlock => (
            "Non-certificate PEM block skipped",
            "Another PEM block (CSR, CRL, public key, parameters) was skipped.",
        ),
        Code::InputReflowed => (
            "Pasted PEM repaired",
            "Pasted PEM had to be repaired to be read (joined lines, CRLF, indentation, quote marks, code fences).",
        ),
        Code::InputHeaderMismatch => (
            "s_client header disagrees with certificate",
            "An openssl s_client ' N s:... i:...' header line disagrees with the certificate under it.",
        ),
        Code::InputCaptureIncomplete => (
            "Capture made without -showcerts",
            "An openssl s_client capture lists more certificates in its 'Certificate chain' header than it holds: it was made without -showcerts. Capture again with -showcerts; the chain is judged only as far as it was captured.",
        ),
        Code::InputPasswordRequired => (
            "Password needed for a keystore",
            "A PKCS#12 file's certificates are encrypted and no password, or a wrong one, was given (or a MAC or JKS integrity check failed with the password given). Give it with --password-file or CERTAUDIT_PASSWORD.",
        ),
        Code::InputNonconforming => (
            "Certificate is not strict DER / RFC 5280",
            "A certificate is readable but not strict DER or RFC 5280 (for example a serial longer than 20 octets); it was read the way OpenSSL reads it.",
        ),
        Code::InputWorkLimited => (
            "Key derivation cost over the limit",
            "A container asks for more key-derivation iterations than certaudit allows (a hostile or corrupted file); it was not decrypted.",
        ),
        Code::ChainOutOfOrder => (
            "Chain served out of order",
            "The certificates of the leaf's path are not served in path order (RFC 5246 section 7.4.2): each certificate must directly certify the one before it.",
        ),
        Code::ChainDuplicate => (
            "Certificate served twice",
            "The same certificate (same SHA-256) is served more than once.",
        ),
        Code::ChainExtraCertificate => (
            "Certificate not on the leaf's path",
            "A served certificate is not on the leaf's path to its top CA.",
        ),
        Code::ChainBadSignature => (
            "Issuer's key does not verify the signature",
            "A certificate names an issuer present in the chain, but that issuer's key does not verify its signature: an edited chain or a wrong intermediate.",
        ),
        Code::ChainRootOmitted => (
            "Root left out (allowed)",
            "The top of the path is a CA that is not self-signed; its issuer, the root, was not served, as RFC 5246 allows. The IAM thumbprint is this CA's.",
        ),
        Code::ChainRootIncluded => (
            "Root served (allowed)",
            "The top of the path is a served self-signed root: allowed, but the IAM thumbprint is then the root's.",
        ),
        Code::ChainIncomplete => (
            "Chain does not reach a CA",
            "The top of the path is not a CA certificate (the issuing CA was not served), or, with --trust, it is neither a trusted root nor issued by one.",
        ),
        Code::ChainSearchLimited => (
            "Path search stopped early",
            "Path building hit its work budget on a very large or hostile input; links, path and findings may be incomplete.",
        ),
        Code::ChainUnverifiedLink => (
            "A signature that could not be checked decides the thumbprint",
            "The path stops at, or turns away from, a link whose signature certaudit cannot check (an algorithm or key size it does not verify): the IAM thumbprint may be another certificate's.",
        ),
        Code::TrustUntrusted => (
            "Chain not trusted by the public root store",
            "The chain does not validate to a root of the embedded public (Mozilla) store: AWS then checks the OIDC provider's thumbprint list.",
        ),
        Code::ValidityExpired => (
            "Certificate expired",
            "The evaluation time is after the certificate's notAfter.",
        ),
        Code::ValidityNotYetValid => (
            "Certificate not yet valid",
            "The evaluation time is before the certificate's notBefore.",
        ),
        Code::ValidityExpiringSoon => (
            "Certificate expires soon",
            "The certificate expires in fewer days than the warning threshold (--warn-days).",
        ),
        Code::ThumbprintMismatch => (
            "IAM thumbprint does not match",
            "No --expect-thumbprint value equals the chain's IAM thumbprint (the SHA-1 of the top certificate of the leaf's path).",
        ),
        Code::HostMismatch => (
            "Leaf does not cover the host",
            "The --host name is not covered by the leaf certificate's subjectAltName DNS names (RFC 6125).",
        ),
        Code::SignatureWeak => (
            "Weak signature algorithm",
            "A certificate other than a self-signed root is signed with SHA-1 or MD5, which are no longer collision-resistant.",
        ),
    }
}

fn result(audit: &InputAudit, f: &Finding, uri: &str, artifact_index: usize) -> Value {
    let rule_index = Code::ALL.iter().position(|&c| c == f.code);
    let cert = f.certificate.and_then(|i| audit.certs.get(i));
    let line = f
        .line
        .or_else(|| cert.and_then(|c| c.info.line))
        .filter(|&l| l >= 1);

    let mut physical = Map::new();
    physical.insert(
        "artifactLocation".into(),
        json!({ "uri": uri, "index": artifact_index }),
    );
    if let Some(line) = line {
        physical.insert("region".into(), json!({ "startLine": line }));
    }
    let mut location = Map::new();
    location.insert("physicalLocation".into(), Value::Object(physical));
    if let (Some(i), Some(c)) = (f.certificate, cert) {
        location.insert(
            "logicalLocations".into(),
            json!([{
                "name": format!("#{i}"),
                "fullyQualifiedName": format!("certificate #{i}: {}", c.info.subject.display),
                "kind": "object",
            }]),
        );
    }

    let mut r = Map::new();
    r.insert("ruleId".into(), json!(f.code.as_str()));
    if let Some(i) = rule_index {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(f.severity())));
    r.insert("message".into(), json!({ "text": f.message }));
    r.insert("locations".into(), json!([Value::Object(location)]));
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint(audit, f) }),
    );
    let mut props = Map::new();
    if let (Some(i), Some(c)) = (f.certificate, cert) {
        props.insert("certificate".into(), json!(i));
        props.insert("subject".into(), json!(c.info.subject.display));
        props.insert("sha1".into(), json!(hex_upper(&c.info.sha1)));
    }
    if let Some(tp) = audit.chain.as_ref().and_then(|c| c.thumbprint) {
        props.insert("thumbprint".into(), json!(tp.to_string()));
    }
    if !props.is_empty() {
        r.insert("properties".into(), Value::Object(props));
    }
    Value::Object(r)
}

/// A stable identity for a result: what it is and what it is about, not its wording.
fn fingerprint(audit: &InputAudit, f: &Finding) -> String {
    let mut h = Sha256::new();
    h.update(f.code.as_str().as_bytes());
    h.update([0]);
    h.update(audit.source.as_bytes());
    h.update([0]);
    match f.certificate.and_then(|i| audit.certs.get(i)) {
        Some(c) => h.update(c.info.sha256),
        None => h.update(f.line.unwrap_or(0).to_string().as_bytes()),
    }
    let digest = h.finalize();
    hex_upper(digest.get(..16).unwrap_or_default()).to_ascii_lowercase()
}

/// The artifact URI of a source path (see the module's "Decisions").
pub fn artifact_uri(source: &str) -> String {
    if source == "-" {
        return "stdin".to_string();
    }
    // A backslash is a separator only on Windows; on Unix it is part of a file name
    // and is percent-encoded as any other byte.
    let path = if cfg!(windows) {
        source.replace('\\', "/")
    } else {
        source.to_string()
    };
    // `C:/dir/x.pem` (a Windows absolute path).
    let bytes = path.as_bytes();
    if let (Some(d), Some(b':'), Some(b'/')) = (bytes.first(), bytes.get(1), bytes.get(2)) {
        if d.is_ascii_alphabetic() {
            let rest = path.get(2..).unwrap_or_default();
            return format!("file:///{}:{}", char::from(*d), escape(rest));
        }
    }
    if path.starts_with('/') {
        // `//server/share` too: the authority is left empty, the path kept whole.
        return format!("file://{}", escape(&path));
    }
    let mut rel = path.as_str();
    while let Some(r) = rel.strip_prefix("./") {
        rel = r.trim_start_matches('/');
    }
    if rel.is_empty() {
        rel = ".";
    }
    escape(rel)
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ChainOptions;
    use crate::check::{self, Settings};
    use chrono::{DateTime, TimeZone, Utc};

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    fn run(source: &str, bytes: &[u8]) -> InputAudit {
        let settings = Settings {
            at: at(),
            warn_days: 30,
            bundle: false,
            chain: ChainOptions::default(),
            input: Default::default(),
        };
        check::audit(source, bytes, &settings)
    }

    fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
        v.get(key)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{key} is not a string in {v}"))
    }

    /// The properties SARIF 2.1.0 requires (and the ones GitHub code scanning
    /// relies on), checked by hand: version, runs, tool.driver.name, each result's
    /// message.text, ruleId known to the driver, ruleIndex pointing at it, a valid
    /// level, locations with a URI, startLine ≥ 1.
    fn check_structure(doc: &Value) {
        assert_eq!(str_of(doc, "version"), "2.1.0");
        assert_eq!(str_of(doc, "$schema"), SCHEMA);
        let runs = doc["runs"].as_array().expect("runs is an array");
        assert!(!runs.is_empty(), "at least one run");
        for run in runs {
            let driver = &run["tool"]["driver"];
            assert!(!str_of(driver, "name").is_empty());
            assert!(!str_of(driver, "version").is_empty());
            if let Some(u) = driver.get("informationUri") {
                assert!(u.as_str().is_some_and(|u| u.contains("://")), "{u}");
            }
            let rules = driver["rules"].as_array().expect("rules is an array");
            let mut ids = std::collections::HashSet::new();
            for rule in rules {
                let id = str_of(rule, "id");
                assert!(ids.insert(id.to_string()), "duplicate rule {id}");
                assert!(!str_of(&rule["shortDescription"], "text").is_empty());
                assert!(!str_of(&rule["fullDescription"], "text").is_empty());
                let lvl = str_of(&rule["defaultConfiguration"], "level");
                assert!(["none", "note", "warning", "error"].contains(&lvl), "{lvl}");
            }
            let invocations = run["invocations"].as_array().expect("invocations");
            for inv in invocations {
                assert!(inv["executionSuccessful"].is_boolean());
            }
            let artifacts = run["artifacts"].as_array().expect("artifacts");
            for a in artifacts {
                assert!(!str_of(&a["location"], "uri").is_empty());
            }
            let results = run["results"].as_array().expect("results is an array");
            for r in results {
                assert!(!str_of(&r["message"], "text").is_empty());
                let rule_id = str_of(r, "ruleId");
                assert!(ids.contains(rule_id), "unknown rule {rule_id}");
                if let Some(i) = r.get("ruleIndex") {
                    let i = i.as_u64().expect("ruleIndex is an integer") as usize;
                    assert_eq!(str_of(&rules[i], "id"), rule_id);
                }
                let lvl = str_of(r, "level");
                assert!(["none", "note", "warning", "error"].contains(&lvl), "{lvl}");
                for loc in r["locations"].as_array().expect("locations") {
                    let phys = &loc["physicalLocation"];
                    let al = &phys["artifactLocation"];
                    let uri = str_of(al, "uri");
                    assert!(!uri.is_empty());
                    assert!(!uri.contains(' ') && !uri.contains('\\'), "{uri}");
                    if let Some(i) = al.get("index") {
                        let i = i.as_u64().expect("index") as usize;
                        assert_eq!(str_of(&artifacts[i]["location"], "uri"), uri);
                    }
                    if let Some(region) = phys.get("region") {
                        let line = region["startLine"].as_u64().expect("startLine");
                        assert!(line >= 1);
                    }
                }
                if let Some(fp) = r.get("partialFingerprints") {
                    for v in fp.as_object().expect("object").values() {
                        assert!(v.is_string());
                    }
                }
            }
        }
    }

    #[test]
    fn one_rule_per_code_with_its_level() {
        let doc = document(&[]);
        check_structure(&doc);
        let rules = doc["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap();
        assert_eq!(rules.len(), Code::ALL.len());
        for (rule, code) in rules.iter().zip(Code::ALL) {
            assert_eq!(rule["id"], code.as_str());
            assert_eq!(
                rule["defaultConfiguration"]["level"],
                level(code.severity())
            );
        }
        assert_eq!(rules[10]["name"], "ChainOutOfOrder");
        assert_eq!(
            doc["runs"][0]["tool"]["driver"]["version"],
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(
            doc["runs"][0]["invocations"][0]["executionSuccessful"],
            true
        );
        assert_eq!(doc["runs"][0]["results"], json!([]));
    }

    #[test]
    fn results_are_located_at_the_certificate_line() {
        let a = run(
            "fixtures/chains/rsa-reversed.pem",
            include_bytes!("../../fixtures/chains/rsa-reversed.pem"),
        );
        let doc = document(std::slice::from_ref(&a));
        check_structure(&doc);
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), a.findings.len());
        for (r, f) in results.iter().zip(&a.findings) {
            assert_eq!(r["ruleId"], f.code.as_str());
            assert_eq!(r["message"]["text"], f.message.as_str());
            assert_eq!(
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                "fixtures/chains/rsa-reversed.pem"
            );
            let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64();
            match f.certificate {
                Some(i) => {
                    assert_eq!(line, a.certs[i].info.line.map(|l| l as u64));
                    assert_eq!(r["properties"]["certificate"], i);
                }
                None => assert_eq!(line, f.line.map(|l| l as u64)),
            }
        }
        let out_of_order = results
            .iter()
            .find(|r| r["ruleId"] == "chain.out_of_order")
            .expect("out of order result");
        assert_eq!(out_of_order["level"], "error");
        assert_eq!(
            out_of_order["ruleIndex"],
            Code::ALL
                .iter()
                .position(|&c| c == Code::ChainOutOfOrder)
                .unwrap()
        );
        let root = results
            .iter()
            .find(|r| r["ruleId"] == "chain.root_included")
            .expect("root included result");
        assert_eq!(root["level"], "note");
        // The root is served first: its block begins on line 1.
        assert_eq!(
            root["locations"][0]["physicalLocation"]["region"]["startLine"],
            1
        );
        assert_eq!(
            root["locations"][0]["logicalLocations"][0]["name"],
            format!(
                "#{}",
                a.findings
                    .iter()
                    .find(|f| f.code == Code::ChainRootIncluded)
                    .unwrap()
                    .certificate
                    .unwrap()
            )
        );
    }

    #[test]
    fn warnings_and_stdin() {
        let a = run(
            "-",
            include_bytes!("../../fixtures/chains/rsa-expiring-soon-leaf.pem"),
        );
        let doc = document(&[a]);
        check_structure(&doc);
        let results = doc["runs"][0]["results"].as_array().unwrap();
        let soon = results
            .iter()
            .find(|r| r["ruleId"] == "validity.expiring_soon")
            .expect("expiring soon");
        assert_eq!(soon["level"], "warning");
        assert_eq!(
            soon["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "stdin"
        );
        assert_eq!(doc["runs"][0]["artifacts"][0]["location"]["uri"], "stdin");
    }

    #[test]
    fn unreadable_inputs_fail_the_invocation_and_have_no_region() {
        let ok = run(
            "chains/rsa-ordered.pem",
            include_bytes!("../../fixtures/chains/rsa-ordered.pem"),
        );
        let bad = InputAudit::unreadable("missing dir/x.pem", "No such file or directory");
        let doc = document(&[ok, bad.clone(), bad]);
        check_structure(&doc);
        let run0 = &doc["runs"][0];
        assert_eq!(run0["invocations"][0]["executionSuccessful"], false);
        assert_eq!(
            run0["invocations"][0]["toolExecutionNotifications"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        // The same source twice is one artifact.
        assert_eq!(run0["artifacts"].as_array().unwrap().len(), 2);
        let r = run0["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ruleId"] == "input.unreadable")
            .unwrap();
        let phys = &r["locations"][0]["physicalLocation"];
        assert_eq!(phys["artifactLocation"]["uri"], "missing%20dir/x.pem");
        assert_eq!(phys["artifactLocation"]["index"], 1);
        assert!(phys.get("region").is_none());
        assert_eq!(r["level"], "error");
    }

    #[test]
    fn findings_about_blocks_use_their_line() {
        let a = run(
            "seeds/iam-oidc-thumbprint.txt",
            include_bytes!("../../fixtures/seeds/iam-oidc-thumbprint.txt"),
        );
        let doc = document(std::slice::from_ref(&a));
        check_structure(&doc);
        for (r, f) in doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&a.findings)
        {
            if let Some(line) = f.line {
                assert_eq!(
                    r["locations"][0]["physicalLocation"]["region"]["startLine"],
                    line
                );
            }
        }
    }

    #[test]
    fn fingerprints_ignore_wording_but_not_identity() {
        let bytes = include_bytes!("../../fixtures/chains/rsa-expired-leaf.pem");
        let a = run("x.pem", bytes);
        let mut b = a.clone();
        for f in &mut b.findings {
            f.message.push_str(" (reworded)");
        }
        let fp = |a: &InputAudit| {
            document(std::slice::from_ref(a))["runs"][0]["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["partialFingerprints"][FINGERPRINT_KEY].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(fp(&a), fp(&b));
        let c = run("y.pem", bytes);
        assert_ne!(fp(&a), fp(&c));
        let all = fp(&a);
        let distinct: std::collections::HashSet<String> =
            all.iter().map(|v| v.to_string()).collect();
        assert_eq!(distinct.len(), all.len());
    }

    #[test]
    fn uris_are_escaped() {
        assert_eq!(artifact_uri("-"), "stdin");
        assert_eq!(artifact_uri("chain.pem"), "chain.pem");
        assert_eq!(artifact_uri("./certs/a b.pem"), "certs/a%20b.pem");
        // A backslash is part of a Unix file name (issue 15): kept, percent-encoded.
        assert_eq!(artifact_uri("certs\\x#1.pem"), "certs%5Cx%231.pem");
        assert_eq!(artifact_uri("a:b.pem"), "a%3Ab.pem");
        assert_eq!(artifact_uri("/etc/ssl/ca.pem"), "file:///etc/ssl/ca.pem");
        assert_eq!(artifact_uri("C:/certs/ca.pem"), "file:///C:/certs/ca.pem");
        assert_eq!(artifact_uri("./"), ".");
        assert_eq!(artifact_uri("é.pem"), "%C3%A9.pem");
        assert_eq!(artifact_uri("100%.pem"), "100%25.pem");
    }
}
