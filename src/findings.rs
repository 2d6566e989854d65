//! The shared vocabulary of every stage: finding codes, severities and findings.
//!
//! Codes are defined once here, each with its stable string (the contract's
//! "Finding codes" table). Every stage returns its findings beside its value;
//! malformed input is data, never an `Err`.

use serde::Serialize;
use std::fmt;

/// How much a finding matters. Ordered so that `Error` is the greatest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every finding certaudit can report. The string of each is part of the
/// contract: extend, never rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    /// The file cannot be read at all (exit 2).
    InputUnreadable,
    /// No certificate found in the input.
    InputEmpty,
    /// A PEM block's body is not base64 (e.g. `CERTIFICATE Redacted`).
    InputBadBase64,
    /// The bytes are not a DER X.509 certificate (truncated, corrupted).
    InputBadCertificate,
    /// A `BEGIN` line without its `END`.
    InputTruncated,
    /// A private key block was skipped; its content is never shown.
    InputPrivateKey,
    /// Another PEM block (CSR, CRL, public key, parameters) was skipped.
    InputSkippedBlock,
    /// Pasted PEM had to be repaired to be read.
    InputReflowed,
    /// An `s_client` ` N s:… i:…` header disagrees with the certificate under it.
    InputHeaderMismatch,
    /// An `s_client` capture lists more certificates in its `Certificate chain`
    /// header than it holds (made without `-showcerts`).
    InputCaptureIncomplete,
    /// A `pkcs12` file's certificates are encrypted and no (or a wrong) password was
    /// given, or a MAC / JKS integrity check fails with the password given.
    InputPasswordRequired,
    /// Extension: a certificate is readable but not strict DER / RFC 5280
    /// (e.g. a serial longer than 20 octets); read the way OpenSSL reads it.
    InputNonconforming,
    /// The path's certificates are not served in path order.
    ChainOutOfOrder,
    /// The same certificate (same SHA-256) is served more than once.
    ChainDuplicate,
    /// A served certificate is not on the leaf's path.
    ChainExtraCertificate,
    /// A certificate names an issuer present in the chain whose key does not verify it.
    ChainBadSignature,
    /// The top of the path is a CA that is not self-signed; the root was not served.
    ChainRootOmitted,
    /// The top of the path is a served self-signed root ("contains anchor").
    ChainRootIncluded,
    /// The path does not reach a CA (or, with `--trust`, a trusted root).
    ChainIncomplete,
    /// Extension: path building hit its work budget on hostile input and stopped early.
    ChainSearchLimited,
    /// Without `--trust`: the chain does not validate to a root of the embedded
    /// public store (the thumbprint is then what AWS checks).
    TrustUntrusted,
    /// evaluated_at > not_after.
    ValidityExpired,
    /// evaluated_at < not_before.
    ValidityNotYetValid,
    /// days_left < warn-days.
    ValidityExpiringSoon,
    /// No `--expect-thumbprint` value equals the chain's thumbprint.
    ThumbprintMismatch,
    /// `--host` is not covered by the leaf.
    HostMismatch,
    /// A certificate other than a self-signed root is signed with SHA-1 or MD5.
    SignatureWeak,
}

impl Code {
    pub const ALL: &'static [Code] = &[
        Code::InputUnreadable,
        Code::InputEmpty,
        Code::InputBadBase64,
        Code::InputBadCertificate,
        Code::InputTruncated,
        Code::InputPrivateKey,
        Code::InputSkippedBlock,
        Code::InputReflowed,
        Code::InputHeaderMismatch,
        Code::InputNonconforming,
        Code::ChainOutOfOrder,
        Code::ChainDuplicate,
        Code::ChainExtraCertificate,
        Code::ChainBadSignature,
        Code::ChainRootOmitted,
        Code::ChainRootIncluded,
        Code::ChainIncomplete,
        Code::ChainSearchLimited,
        Code::ValidityExpired,
        Code::ValidityNotYetValid,
        Code::ValidityExpiringSoon,
        Code::ThumbprintMismatch,
        Code::HostMismatch,
        Code::SignatureWeak,
        // Added later: appended so that SARIF rule indices of older codes stay put.
        Code::InputCaptureIncomplete,
        Code::InputPasswordRequired,
        Code::TrustUntrusted,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Code::InputUnreadable => "input.unreadable",
            Code::InputEmpty => "input.empty",
            Code::InputBadBase64 => "input.bad_base64",
            Code::InputBadCertificate => "input.bad_certificate",
            Code::InputTruncated => "input.truncated",
            Code::InputPrivateKey => "input.private_key",
            Code::InputSkippedBlock => "input.skipped_block",
            Code::InputReflowed => "input.reflowed",
            Code::InputHeaderMismatch => "input.header_mismatch",
            Code::InputCaptureIncomplete => "input.capture_incomplete",
            Code::InputPasswordRequired => "input.password_required",
            Code::InputNonconforming => "input.nonconforming",
            Code::ChainOutOfOrder => "chain.out_of_order",
            Code::ChainDuplicate => "chain.duplicate",
            Code::ChainExtraCertificate => "chain.extra_certificate",
            Code::ChainBadSignature => "chain.bad_signature",
            Code::ChainRootOmitted => "chain.root_omitted",
            Code::ChainRootIncluded => "chain.root_included",
            Code::ChainIncomplete => "chain.incomplete",
            Code::ChainSearchLimited => "chain.search_limited",
            Code::TrustUntrusted => "trust.untrusted",
            Code::ValidityExpired => "validity.expired",
            Code::ValidityNotYetValid => "validity.not_yet_valid",
            Code::ValidityExpiringSoon => "validity.expiring_soon",
            Code::ThumbprintMismatch => "thumbprint.mismatch",
            Code::HostMismatch => "host.mismatch",
            Code::SignatureWeak => "signature.weak",
        }
    }

    pub const fn severity(self) -> Severity {
        match self {
            Code::InputUnreadable
            | Code::InputEmpty
            | Code::InputBadBase64
            | Code::InputBadCertificate
            | Code::InputTruncated
            | Code::InputCaptureIncomplete
            | Code::InputPasswordRequired
            | Code::ChainOutOfOrder
            | Code::ChainDuplicate
            | Code::ChainExtraCertificate
            | Code::ChainBadSignature
            | Code::ValidityExpired
            | Code::ValidityNotYetValid
            | Code::ThumbprintMismatch
            | Code::HostMismatch => Severity::Error,
            Code::InputPrivateKey
            | Code::InputHeaderMismatch
            | Code::InputNonconforming
            | Code::ChainIncomplete
            | Code::ChainSearchLimited
            | Code::ValidityExpiringSoon
            | Code::SignatureWeak => Severity::Warning,
            Code::InputSkippedBlock
            | Code::InputReflowed
            | Code::ChainRootOmitted
            | Code::ChainRootIncluded
            | Code::TrustUntrusted => Severity::Info,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Totals over inputs (the `summary` object of the JSON report), counted here and
/// nowhere else; [`crate::exit::Exit::of`] turns them into the exit code.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub certificates: usize,
    pub errors: usize,
    pub warnings: usize,
    /// Inputs that could not be read at all (`input.unreadable`): exit 2.
    #[serde(skip)]
    pub unreadable: usize,
}

impl Summary {
    /// One finding.
    pub fn count(&mut self, f: &Finding) {
        match f.severity() {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => {}
        }
        if f.code == Code::InputUnreadable {
            self.unreadable += 1;
        }
    }

    /// One whole input: its certificates and findings.
    pub fn input<'a>(
        &mut self,
        certificates: usize,
        findings: impl IntoIterator<Item = &'a Finding>,
    ) {
        self.inputs += 1;
        self.certificates += certificates;
        for f in findings {
            self.count(f);
        }
    }

    /// Adds the totals of other inputs.
    pub fn merge(&mut self, other: &Summary) {
        self.inputs += other.inputs;
        self.certificates += other.certificates;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.unreadable += other.unreadable;
    }
}

/// Notes about tolerated non-conformities of one certificate, each distinct text once.
///
/// Input multiplies them (a certificate may carry 80,000 extensions), so distinct
/// texts are found through a hash set and at most [`Notes::MAX`] are kept; the rest
/// are counted in [`Notes::dropped`].
#[derive(Debug, Default)]
pub struct Notes {
    kept: Vec<String>,
    seen: std::collections::HashSet<String>,
    dropped: usize,
}

impl Notes {
    /// Distinct notes kept per certificate.
    pub const MAX: usize = 32;

    pub fn add(&mut self, note: String) {
        if self.seen.contains(&note) {
            return;
        }
        if self.kept.len() >= Self::MAX {
            self.dropped = self.dropped.saturating_add(1);
            return;
        }
        self.seen.insert(note.clone());
        self.kept.push(note);
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty() && self.dropped == 0
    }

    /// Notes that were not kept because [`Notes::MAX`] were.
    pub fn dropped(&self) -> usize {
        self.dropped
    }

    /// The notes kept, in the order first seen, plus one that counts the rest.
    pub fn into_vec(mut self) -> Vec<String> {
        if self.dropped > 0 {
            self.kept.push(format!(
                "and {} more non-conformities, not listed",
                self.dropped
            ));
        }
        self.kept
    }
}

/// One thing worth telling the user about an input or one of its certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: Code,
    /// Index (as served) of the certificate it is about; `None` for the input.
    pub certificate: Option<usize>,
    /// 1-based line in the input the finding points at, when known (for SARIF
    /// and editors). Messages about blocks also name the line in words.
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            certificate: None,
            line: None,
            message: message.into(),
        }
    }

    pub fn cert(mut self, index: usize) -> Self {
        self.certificate = Some(index);
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// Deterministic order: whole-input findings first, in line order with the ones
/// about no particular line (such as `input.empty`) after them; then by
/// certificate; within each, most severe first, then by code.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        a.certificate
            .cmp(&b.certificate)
            .then(a.line.is_none().cmp(&b.line.is_none()))
            .then(a.line.cmp(&b.line))
            .then(b.severity().cmp(&a.severity()))
            .then(a.code.cmp(&b.code))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn code_strings_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            let (area, name) = s.split_once('.').expect("area.name");
            assert!(!area.is_empty() && area.chars().all(|c| c.is_ascii_lowercase()));
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            );
        }
    }

    /// The contract's "Finding codes" table, read from `../shared/spec/contract.md`
    /// when that exists (and then the vendored `spec/contract.md` must equal it),
    /// else from the vendored copy (a clean clone in CI has no `../shared`).
    fn contract_text() -> String {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let vendored = std::fs::read_to_string(root.join("spec/contract.md"))
            .expect("spec/contract.md is committed");
        match std::fs::read_to_string(root.join("../shared/spec/contract.md")) {
            Ok(shared) => {
                assert!(
                    shared == vendored,
                    "spec/contract.md differs from ../shared/spec/contract.md: \
                     copy the shared contract into spec/"
                );
                shared
            }
            Err(_) => vendored,
        }
    }

    /// `(code, severity)` of every row `| `code` | severity | when |` of the
    /// section `## Finding codes`.
    fn contract_codes(contract: &str) -> Vec<(String, String)> {
        let section = contract
            .split("\n## ")
            .find(|s| s.starts_with("Finding codes"))
            .expect("the contract has a Finding codes section");
        section
            .lines()
            .filter_map(|line| {
                let mut cells = line.trim().strip_prefix('|')?.split('|').map(str::trim);
                let code = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
                let severity = cells.next()?;
                Some((code.to_owned(), severity.to_owned()))
            })
            .collect()
    }

    #[test]
    fn every_contract_code_is_defined_with_its_severity() {
        let contract = contract_codes(&contract_text());
        assert!(
            contract.len() >= 25,
            "only {} codes read from the contract's table: {contract:?}",
            contract.len()
        );
        let mut missing = Vec::new();
        for (s, sev) in &contract {
            match Code::ALL.iter().find(|c| c.as_str() == s) {
                Some(code) if code.severity().as_str() == sev => {}
                Some(code) => missing.push(format!(
                    "{s}: the contract says {sev}, Code::{code:?} is {}",
                    code.severity()
                )),
                None => missing.push(format!("{s} ({sev}): not in Code::ALL")),
            }
        }
        assert!(missing.is_empty(), "{}", missing.join("\n"));
        // Codes beyond the contract are extensions (documented as such in their
        // doc comment); listed, not failed.
        let extensions: Vec<&str> = Code::ALL
            .iter()
            .map(|c| c.as_str())
            .filter(|s| !contract.iter().any(|(c, _)| c == s))
            .collect();
        eprintln!("codes beyond the contract (extensions): {extensions:?}");
    }

    #[test]
    fn the_contract_table_parser_reads_rows_and_nothing_else() {
        let text = "# T\n\n## Finding codes\n\n| code | severity | when |\n| --- | --- | --- |\n\
                    | `a.b` | error | x \\| y |\n| `c.d` | info | z |\n\n## Next\n| `e.f` | warning | w |\n";
        assert_eq!(
            contract_codes(text),
            vec![
                ("a.b".to_owned(), "error".to_owned()),
                ("c.d".to_owned(), "info".to_owned())
            ]
        );
    }
}
