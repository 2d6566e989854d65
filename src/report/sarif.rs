//! SARIF 2.1.0: the findings of every input as one static-analysis log, for code
//! scanning dashboards (GitHub code scanning, Azure DevOps, IDE viewers).
//!
//! One run; one rule per finding code (all of [`Code::ALL`], so `ruleIndex` is the
//! code's position there and stays stable between runs); one result per finding,
//! located in its input file, at the finding's line or else at the line where the
//! certificate it is about begins.
//!
//! Written as a stream, in bounded memory whatever the inputs: [`Writer`] writes the
//! head of the log (the tool and its rules, then `artifacts`, known from the inputs'
//! names before any is read), each input's results as they come ([`input`] renders
//! them on a worker, [`finding`] one at a time for `--bundle` pieces), and
//! `invocations` last (it says whether every input could be read). Key order is not
//! significant in JSON; each object is written pretty-printed, as
//! `serde_json::to_writer_pretty` would indent it in place.
//!
//! Decisions:
//!
//! - The artifact URI is the source path as given, its raw bytes percent-encoded
//!   (RFC 3986 unreserved characters and `/` kept, every other byte as `%XX`: a
//!   byte that is not UTF-8 too, so `\xff` in a name is `%FF`), a leading `./`
//!   dropped; `\` is a separator only on Windows (on Unix it is part of the name and
//!   becomes `%5C`); an absolute path becomes a `file://` URI. Standard input is
//!   `stdin`.
//! - `partialFingerprints["certaudit/v1"]` identifies a result across runs: the
//!   code, the source and the certificate's SHA-256 (or the line for whole-input
//!   findings). Messages are left out because they mention days left.
//! - Results stay small: a message is cut to [`escape::MESSAGE_MAX`] characters and
//!   the subject (in `logicalLocations` and `properties`) to [`escape::NAME_MAX`],
//!   with `…(N more characters)`, exact otherwise (JSON keeps them whole). No real
//!   certificate comes near; a hostile 2 MB name is not repeated in every result.
//! - `invocations[0].executionSuccessful` is false when an input could not be read
//!   at all (exit 2); each such input is also a `toolExecutionNotifications` entry.

use crate::chain::thumbprint::Thumbprint;
use crate::check::InputAudit;
use crate::der::hex::hex_upper;
use crate::escape;
use crate::findings::{Code, Finding, Severity};
use crate::x509::CertInfo;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{self, Write};

/// The `$schema` of the document.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The SARIF version written.
pub const VERSION: &str = "2.1.0";
/// The key of our entry in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "certaudit/v1";

/// Indentation (pretty-printed depth) of a result and of a notification.
const RESULT_DEPTH: usize = 4;
const NOTIFICATION_DEPTH: usize = 6;

/// `runs[0].artifacts`: each input's URI once, in input order, and its index there
/// (a map, not a scan: a folder of 100,000 files).
#[derive(Debug, Default)]
pub struct Artifacts {
    index: HashMap<String, usize>,
}

impl Artifacts {
    /// The artifacts of inputs named `sources` (the `source` of each input, in order).
    pub fn new<'a>(sources: impl IntoIterator<Item = &'a str>) -> Artifacts {
        let mut index = HashMap::new();
        for source in sources {
            let next = index.len();
            index.entry(artifact_uri(source)).or_insert(next);
        }
        Artifacts { index }
    }

    /// The index of `uri`, when it is one of the artifacts.
    pub fn index(&self, uri: &str) -> Option<usize> {
        self.index.get(uri).copied()
    }

    fn in_order(&self) -> Vec<&str> {
        let mut all: Vec<(&str, usize)> =
            self.index.iter().map(|(u, &i)| (u.as_str(), i)).collect();
        all.sort_unstable_by_key(|&(_, i)| i);
        all.into_iter().map(|(u, _)| u).collect()
    }
}

/// Rendered results and notifications, to be written in input order: each result
/// as `,\n        {…}`, each notification as `,\n            {…}` (the writer drops
/// the comma before the first).
#[derive(Debug, Default)]
pub struct Part {
    pub results: Vec<u8>,
    pub notifications: Vec<u8>,
}

impl Part {
    /// Appends `other` (the next inputs' part).
    pub fn append(&mut self, other: &Part) {
        self.results.extend_from_slice(&other.results);
        self.notifications.extend_from_slice(&other.notifications);
    }
}

/// What the results of one input share: its name, artifact and IAM thumbprint.
pub struct About<'a> {
    source: &'a str,
    uri: String,
    index: Option<usize>,
    thumbprint: Option<String>,
}

impl<'a> About<'a> {
    pub fn new(source: &'a str, artifacts: &Artifacts, thumbprint: Option<Thumbprint>) -> Self {
        let uri = artifact_uri(source);
        About {
            source,
            index: artifacts.index(&uri),
            uri,
            thumbprint: thumbprint.map(|t| t.to_string()),
        }
    }
}

/// The results of a whole input (and its notification when it could not be read),
/// appended to `part`.
pub fn input(audit: &InputAudit, artifacts: &Artifacts, part: &mut Part) -> io::Result<()> {
    let thumbprint = audit.chain.as_ref().and_then(|c| c.thumbprint);
    let about = About::new(&audit.source, artifacts, thumbprint);
    for f in &audit.findings {
        let cert = f
            .certificate
            .and_then(|i| audit.certs.get(i))
            .map(|c| &c.info);
        finding(part, &about, f, cert)?;
    }
    Ok(())
}

/// One finding as a result, appended to `part`; `cert`: the certificate it is about.
/// `input.unreadable` is also a notification.
pub fn finding(
    part: &mut Part,
    about: &About<'_>,
    f: &Finding,
    cert: Option<&CertInfo>,
) -> io::Result<()> {
    if f.code == Code::InputUnreadable {
        let n = json!({
            "level": "error",
            "message": { "text": escape::cut(&f.message, escape::MESSAGE_MAX) },
            "locations": [ { "physicalLocation": { "artifactLocation": { "uri": about.uri } } } ],
        });
        part.notifications.push(b',');
        pretty(&mut part.notifications, &n, NOTIFICATION_DEPTH)?;
    }
    part.results.push(b',');
    pretty(&mut part.results, &result(about, f, cert), RESULT_DEPTH)
}

/// `value` pretty-printed as it would be at `depth` in the document, after a newline
/// and its indentation (JSON strings hold no raw newline, so every newline is
/// between tokens).
fn pretty(out: &mut Vec<u8>, value: &Value, depth: usize) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    let indent = |out: &mut Vec<u8>| {
        out.push(b'\n');
        out.extend(std::iter::repeat_n(b' ', 2 * depth));
    };
    indent(out);
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        if n > 0 {
            indent(out);
        }
        out.extend_from_slice(line);
    }
    Ok(())
}

/// What writes the notifications into `invocations` (see [`Writer::finish`]).
pub type WriteNotifications<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// Writes one SARIF log as its parts come, in bounded memory.
pub struct Writer<W: Write> {
    w: W,
    results: usize,
}

impl<W: Write> Writer<W> {
    /// Writes the head of the log: the tool, its rules, every artifact, and opens
    /// `results`.
    pub fn begin(mut w: W, artifacts: &Artifacts) -> io::Result<Writer<W>> {
        let mut head = Vec::with_capacity(64 * 1024);
        head.extend_from_slice(b"{\n  \"$schema\": ");
        serde_json::to_writer(&mut head, SCHEMA).map_err(io::Error::other)?;
        head.extend_from_slice(b",\n  \"version\": ");
        serde_json::to_writer(&mut head, VERSION).map_err(io::Error::other)?;
        head.extend_from_slice(b",\n  \"runs\": [\n    {\n      \"tool\": ");
        let tool = pretty_inline(&json!({ "driver": driver() }), 3)?;
        head.extend_from_slice(&tool);
        head.extend_from_slice(b",\n      \"artifacts\": [");
        w.write_all(&head)?;
        let uris = artifacts.in_order();
        let mut one = Vec::new();
        for (n, uri) in uris.iter().enumerate() {
            one.clear();
            if n > 0 {
                one.push(b',');
            }
            let a = json!({ "location": { "uri": uri }, "roles": ["analysisTarget"] });
            pretty(&mut one, &a, RESULT_DEPTH)?;
            w.write_all(&one)?;
        }
        w.write_all(if uris.is_empty() {
            b"],\n      \"results\": ["
        } else {
            b"\n      ],\n      \"results\": ["
        })?;
        Ok(Writer { w, results: 0 })
    }

    /// Writes the results of `part` (its `results` bytes).
    pub fn results(&mut self, results: &[u8]) -> io::Result<()> {
        if results.is_empty() {
            return Ok(());
        }
        let skip = usize::from(self.results == 0);
        self.w.write_all(results.get(skip..).unwrap_or_default())?;
        self.results += 1;
        Ok(())
    }

    /// Closes `results` and writes `invocations`: successful when `notifications`
    /// is `None`, else unsuccessful with the notifications it writes (the `,`-led
    /// bytes of [`Part::notifications`], the first comma left out: [`skip_first`]).
    pub fn finish(mut self, notifications: Option<WriteNotifications<'_>>) -> io::Result<W> {
        let w = &mut self.w;
        w.write_all(if self.results > 0 {
            b"\n      ],\n      \"invocations\": [\n        {\n          \"executionSuccessful\": "
        } else {
            b"],\n      \"invocations\": [\n        {\n          \"executionSuccessful\": "
        })?;
        match notifications {
            None => w.write_all(b"true")?,
            Some(write) => {
                w.write_all(b"false,\n          \"toolExecutionNotifications\": [")?;
                write(&mut *w)?;
                w.write_all(b"\n          ]")?;
            }
        }
        w.write_all(b"\n        }\n      ]\n    }\n  ]\n}\n")?;
        Ok(self.w)
    }
}

/// Writes `bytes` but its first byte (the comma before the first notification).
pub fn skip_first(w: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    w.write_all(bytes.get(1..).unwrap_or_default())
}

/// `value` pretty-printed at `depth`, without the leading newline (a value after its key).
fn pretty_inline(value: &Value, depth: usize) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    pretty(&mut out, value, depth)?;
    Ok(out.split_off((1 + 2 * depth).min(out.len())))
}

/// The SARIF 2.1.0 log of `audits`, in input order, as a value (tests, the fuzzer):
/// the document [`Writer`] writes, read back.
pub fn document(audits: &[InputAudit]) -> Value {
    let artifacts = Artifacts::new(audits.iter().map(|a| a.source.as_str()));
    let mut part = Part::default();
    for a in audits {
        if let Err(e) = input(a, &artifacts, &mut part) {
            return json!({ "error": e.to_string() });
        }
    }
    let written = Writer::begin(Vec::new(), &artifacts).and_then(|mut w| {
        w.results(&part.results)?;
        let notes = part.notifications;
        if notes.is_empty() {
            w.finish(None)
        } else {
            w.finish(Some(&mut |out: &mut dyn Write| skip_first(out, &notes)))
        }
    });
    match written.map(|bytes| serde_json::from_slice(&bytes)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => json!({ "error": e.to_string() }),
        Err(e) => json!({ "error": e.to_string() }),
    }
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
            "An openssl s_client ' N s:... i:...' header line disagrees with the certificate under it, or is too long (over 64 KiB) to have been printed by s_client and was not compared.",
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

fn result(about: &About<'_>, f: &Finding, cert: Option<&CertInfo>) -> Value {
    let rule_index = Code::ALL.iter().position(|&c| c == f.code);
    let line = f
        .line
        .or_else(|| cert.and_then(|c| c.line))
        .filter(|&l| l >= 1);

    let mut artifact = Map::new();
    artifact.insert("uri".into(), json!(about.uri));
    if let Some(i) = about.index {
        artifact.insert("index".into(), json!(i));
    }
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), Value::Object(artifact));
    if let Some(line) = line {
        physical.insert("region".into(), json!({ "startLine": line }));
    }
    let mut location = Map::new();
    location.insert("physicalLocation".into(), Value::Object(physical));
    let subject = cert.map(|c| escape::cut(&c.subject.display, escape::NAME_MAX));
    if let (Some(i), Some(subject)) = (f.certificate, &subject) {
        location.insert(
            "logicalLocations".into(),
            json!([{
                "name": format!("#{i}"),
                "fullyQualifiedName": format!("certificate #{i}: {subject}"),
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
    r.insert(
        "message".into(),
        json!({ "text": escape::cut(&f.message, escape::MESSAGE_MAX) }),
    );
    r.insert("locations".into(), json!([Value::Object(location)]));
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint(about.source, f, cert) }),
    );
    let mut props = Map::new();
    if let (Some(i), Some(c), Some(subject)) = (f.certificate, cert, &subject) {
        props.insert("certificate".into(), json!(i));
        props.insert("subject".into(), json!(subject));
        props.insert("sha1".into(), json!(hex_upper(&c.sha1)));
    }
    if let Some(tp) = &about.thumbprint {
        props.insert("thumbprint".into(), json!(tp));
    }
    if !props.is_empty() {
        r.insert("properties".into(), Value::Object(props));
    }
    Value::Object(r)
}

/// A stable identity for a result: what it is and what it is about, not its wording.
fn fingerprint(source: &str, f: &Finding, cert: Option<&CertInfo>) -> String {
    let mut h = Sha256::new();
    h.update(f.code.as_str().as_bytes());
    h.update([0]);
    h.update(source.as_bytes());
    h.update([0]);
    match cert {
        Some(c) => h.update(c.sha256),
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
    // and is percent-encoded as any other byte, as is every raw byte of the name
    // (the source names it losslessly: `escape::name_bytes` gives the bytes back).
    let path: Vec<u8> = if cfg!(windows) {
        source.replace('\\', "/").into_bytes()
    } else {
        escape::name_bytes(source).into_owned()
    };
    // `C:/dir/x.pem` (a Windows absolute path).
    if let (Some(d), Some(b':'), Some(b'/')) = (path.first(), path.get(1), path.get(2))
        && d.is_ascii_alphabetic()
    {
        let rest = path.get(2..).unwrap_or_default();
        return format!("file:///{}:{}", char::from(*d), percent(rest));
    }
    if path.starts_with(b"/") {
        // `//server/share` too: the authority is left empty, the path kept whole.
        return format!("file://{}", percent(&path));
    }
    let mut rel = path.as_slice();
    while let Some(r) = rel.strip_prefix(b"./") {
        let slashes = r.iter().take_while(|&&b| b == b'/').count();
        rel = r.get(slashes..).unwrap_or_default();
    }
    if rel.is_empty() {
        rel = b".";
    }
    percent(rel)
}

/// Percent-encodes every byte but RFC 3986 unreserved characters and `/`.
fn percent(path: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(path.len());
    for &b in path {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
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
    fn results_stay_small_whatever_the_names() {
        let mut a = run(
            "x.pem",
            include_bytes!("../../fixtures/chains/rsa-expired-leaf.pem"),
        );
        for c in &mut a.certs {
            c.info.subject.display = "\u{202e}a".repeat(1_000_000);
        }
        for f in &mut a.findings {
            f.message.push_str(&"b".repeat(1_000_000));
        }
        let doc = document(std::slice::from_ref(&a));
        check_structure(&doc);
        let results = doc["runs"][0]["results"].as_array().unwrap();
        assert_eq!(results.len(), a.findings.len());
        for r in results {
            assert!(r.to_string().len() < 12 * 1024, "{}", r.to_string().len());
            let text = str_of(&r["message"], "text");
            assert!(text.ends_with(" more characters)"), "{text}");
            if let Some(s) = r["properties"]["subject"].as_str() {
                // Exact (the RLO kept), cut after 256 characters.
                assert!(s.starts_with("\u{202e}a\u{202e}a"));
                assert!(s.ends_with("…(1999744 more characters)"), "{s}");
            }
        }
    }

    #[test]
    fn uris_are_escaped() {
        assert_eq!(artifact_uri("-"), "stdin");
        assert_eq!(artifact_uri("chain.pem"), "chain.pem");
        assert_eq!(artifact_uri("./certs/a b.pem"), "certs/a%20b.pem");
        // A backslash is part of a Unix file name (issue 15): kept, percent-encoded
        // (the source doubles it: `escape::name_of_bytes`).
        assert_eq!(artifact_uri("certs\\\\x#1.pem"), "certs%5Cx%231.pem");
        // A byte that is not UTF-8 (`\xff` in the source) is that byte.
        assert_eq!(artifact_uri("certs/\\xff.pem"), "certs/%FF.pem");
        assert_eq!(artifact_uri("\\xfe\\\\xff"), "%FE%5Cxff");
        assert_eq!(artifact_uri("/tmp/\\xc3\\xa9"), "file:///tmp/%C3%A9");
        assert_eq!(artifact_uri("a:b.pem"), "a%3Ab.pem");
        assert_eq!(artifact_uri("/etc/ssl/ca.pem"), "file:///etc/ssl/ca.pem");
        assert_eq!(artifact_uri("C:/certs/ca.pem"), "file:///C:/certs/ca.pem");
        assert_eq!(artifact_uri("./"), ".");
        assert_eq!(artifact_uri("é.pem"), "%C3%A9.pem");
        assert_eq!(artifact_uri("100%.pem"), "100%25.pem");
    }
}
