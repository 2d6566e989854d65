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
    /// Extension: a container's key derivation asks for more work than certaudit
    /// allows (a hostile iteration count); it was not attempted.
    InputWorkLimited,
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
    /// Extension: a signature that could not be checked (`unsupported`) decides the
    /// IAM thumbprint: the path stops at it, or would take another issuer if it verified.
    ChainUnverifiedLink,
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
        Code::InputWorkLimited,
        Code::ChainUnverifiedLink,
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
            Code::InputWorkLimited => "input.work_limited",
            Code::InputNonconforming => "input.nonconforming",
            Code::ChainOutOfOrder => "chain.out_of_order",
            Code::ChainDuplicate => "chain.duplicate",
            Code::ChainExtraCertificate => "chain.extra_certificate",
            Code::ChainBadSignature => "chain.bad_signature",
            Code::ChainRootOmitted => "chain.root_omitted",
            Code::ChainRootIncluded => "chain.root_included",
            Code::ChainIncomplete => "chain.incomplete",
            Code::ChainSearchLimited => "chain.search_limited",
            Code::ChainUnverifiedLink => "chain.unverified_link",
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
            | Code::InputWorkLimited
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
            | Code::ChainUnverifiedLink
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
/// nowhere else; `exit::Exit::of` turns them into the exit code.
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

/// A non-conformity the lenient reader tolerated, with its data (webpki's typed
/// errors, not x509-parser's strings); [`fmt::Display`] is its one wording.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Quirk {
    /// More quirks than [`Notes::MAX`]: how many were not kept.
    NotListed {
        count: usize,
    },
    TrailingBytes {
        count: usize,
    },
    ExtraFieldsAfterSignature,
    SignatureUnusedBits {
        unused: u8,
    },
    EmptySignature,
    ExplicitDefaultVersion,
    UnknownVersion {
        hex: String,
    },
    InnerSignatureAlgorithmDiffers,
    UniqueIdsInV1,
    ExtensionsBeforeV3 {
        version: u32,
    },
    UnexpectedTbsField {
        tag: u8,
    },
    SerialLeadingBytes,
    SerialTooLong {
        octets: usize,
    },
    SerialNegative,
    EmptyExtensions,
    ExplicitNonCritical {
        extension: String,
    },
    RepeatedExtension {
        extension: String,
    },
    Precertificate,
    UnknownCriticalExtension {
        extension: String,
    },
    UnreadableExtension {
        extension: String,
        why: String,
    },
    BooleanNotFf {
        what: String,
        byte: u8,
    },
    LongBoolean {
        what: String,
        len: usize,
    },
    ExplicitCaFalse,
    EmptySubjectAltName,
    NonAsciiDnsName {
        byte: u8,
    },
    IpAddressLength {
        len: usize,
    },
    BerLength,
    EmptyRdn {
        which: String,
    },
    AttributeExtraFields {
        which: String,
    },
    InvalidUtf8 {
        which: String,
        attr: String,
    },
    PrintableStringChar {
        which: String,
        attr: String,
        byte: String,
    },
    NonAsciiIa5 {
        which: String,
        attr: String,
        byte: u8,
    },
    OddBmpString {
        which: String,
        attr: String,
        len: usize,
    },
    UniversalStringLength {
        which: String,
        attr: String,
        len: usize,
    },
    TimeWithoutSeconds {
        which: String,
        kind: String,
    },
    FractionalSeconds {
        which: String,
    },
    NoTimeZone {
        which: String,
    },
    TimeZoneOffset {
        which: String,
        offset: String,
    },
}

impl fmt::Display for Quirk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Quirk::NotListed { count } => {
                write!(f, "and {count} more non-conformities, not listed")
            }
            Quirk::TrailingBytes { count } => write!(f, "{count} bytes after the end of the certificate were ignored"),
            Quirk::ExtraFieldsAfterSignature => f.write_str("the certificate has extra fields after its signature (ignored)"),
            Quirk::SignatureUnusedBits { unused } => write!(f, "the signature BIT STRING declares {unused} unused bits (it must be a whole number of bytes)"),
            Quirk::EmptySignature => f.write_str("the signature value is empty"),
            Quirk::ExplicitDefaultVersion => f.write_str("the version field is present with its default value v1 (DER omits default values)"),
            Quirk::UnknownVersion { hex } => write!(f, "the version is {hex} (RFC 5280 §4.1.2.1 knows v1, v2 and v3; read as v3)"),
            Quirk::InnerSignatureAlgorithmDiffers => f.write_str("the signature algorithm inside tbsCertificate differs from the outer one (RFC 5280 §4.1.1.2 requires them to match)"),
            Quirk::UniqueIdsInV1 => f.write_str("a version 1 certificate carries unique identifiers (RFC 5280 §4.1.2.8 requires v2 or v3)"),
            Quirk::ExtensionsBeforeV3 { version } => write!(f, "a version {version} certificate carries extensions (RFC 5280 §4.1.2.9 requires v3)"),
            Quirk::UnexpectedTbsField { tag } => write!(f, "tbsCertificate has an unexpected field with tag 0x{tag:02x} (ignored)"),
            Quirk::SerialLeadingBytes => f.write_str("the serial number has redundant leading bytes (DER requires the shortest form)"),
            Quirk::SerialTooLong { octets } => write!(f, "serial number is {octets} octets (RFC 5280 §4.1.2.2 allows 20)"),
            Quirk::SerialNegative => f.write_str("serial number is negative (RFC 5280 §4.1.2.2 requires a positive integer)"),
            Quirk::EmptyExtensions => f.write_str("the extensions field is present but empty (RFC 5280 §4.1 requires at least one)"),
            Quirk::ExplicitNonCritical { extension } => write!(f, "extension {extension} encodes critical=FALSE explicitly (DER omits default values)"),
            Quirk::RepeatedExtension { extension } => write!(f, "extension {extension} appears more than once (RFC 5280 §4.2 forbids it; the first is used)"),
            Quirk::Precertificate => f.write_str("it is a Certificate Transparency precertificate (RFC 6962 §3.1 poison extension): TLS clients reject it"),
            Quirk::UnknownCriticalExtension { extension } => write!(f, "critical extension {extension} is not one certaudit knows (a validator that does not know it must reject the certificate)"),
            Quirk::UnreadableExtension { extension, why } => write!(f, "extension {extension} could not be read ({why}); ignored"),
            Quirk::BooleanNotFf { what, byte } => write!(f, "{what} encodes TRUE as 0x{byte:02x} (DER requires 0xff)"),
            Quirk::LongBoolean { what, len } => write!(f, "{what} is a BOOLEAN of {len} bytes (read as TRUE if any is set)"),
            Quirk::ExplicitCaFalse => f.write_str("basicConstraints encodes cA=FALSE explicitly (DER omits default values)"),
            Quirk::EmptySubjectAltName => f.write_str("subjectAltName is empty (RFC 5280 §4.2.1.6 requires at least one name)"),
            Quirk::NonAsciiDnsName { byte } => write!(f, "a subjectAltName dNSName contains byte 0x{byte:02x}, which is not ASCII"),
            Quirk::IpAddressLength { len } => write!(f, "a subjectAltName iPAddress is {len} bytes (RFC 5280 §4.2.1.6 allows 4 or 16; ignored)"),
            Quirk::BerLength => f.write_str("uses non-minimal (BER) length encodings where DER requires the shortest form"),
            Quirk::EmptyRdn { which } => write!(f, "the {which} name has an empty RDN (RFC 5280 §4.1.2.4 requires at least one attribute)"),
            Quirk::AttributeExtraFields { which } => write!(f, "an attribute of the {which} name has extra fields after its value (ignored)"),
            Quirk::InvalidUtf8 { which, attr } => write!(f, "the {which} {attr} is a UTF8String that is not valid UTF-8 (shown with replacement characters)"),
            Quirk::PrintableStringChar { which, attr, byte } => write!(f, "the {which} {attr} is a PrintableString containing {byte}, which PrintableString does not allow"),
            Quirk::NonAsciiIa5 { which, attr, byte } => write!(f, "the {which} {attr} is an IA5String containing byte 0x{byte:02x}, which is not ASCII (read as Latin-1)"),
            Quirk::OddBmpString { which, attr, len } => write!(f, "the {which} {attr} is a BMPString of odd length {len}"),
            Quirk::UniversalStringLength { which, attr, len } => write!(f, "the {which} {attr} is a UniversalString whose length {len} is not a multiple of 4"),
            Quirk::TimeWithoutSeconds { which, kind } => write!(f, "{which} is a {kind} without seconds (RFC 5280 §4.1.2.5 requires them)"),
            Quirk::FractionalSeconds { which } => write!(f, "{which} has fractional seconds (RFC 5280 §4.1.2.5.2 forbids them; ignored)"),
            Quirk::NoTimeZone { which } => write!(f, "{which} has no time zone (RFC 5280 §4.1.2.5 requires Z; read as UTC)"),
            Quirk::TimeZoneOffset { which, offset } => write!(f, "{which} has a time-zone offset {offset} (RFC 5280 §4.1.2.5 requires Z)"),
        }
    }
}

/// Notes about tolerated non-conformities of one certificate, each distinct text once.
///
/// Input multiplies them (a certificate may carry 80,000 extensions), so distinct
/// texts are found through a hash set and at most [`Notes::MAX`] are kept; the rest
/// are counted in [`Notes::dropped`].
#[derive(Debug, Default)]
pub struct Notes {
    kept: Vec<Quirk>,
    seen: std::collections::HashSet<Quirk>,
    dropped: usize,
}

impl Notes {
    /// Distinct notes kept per certificate.
    pub const MAX: usize = 32;

    pub fn add(&mut self, note: Quirk) {
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
    pub fn into_vec(mut self) -> Vec<Quirk> {
        if self.dropped > 0 {
            self.kept.push(Quirk::NotListed {
                count: self.dropped,
            });
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

/// The budget on findings that input can multiply: findings about blocks
/// (`certificate: None`, e.g. one `input.truncated` per BEGIN line of a hostile
/// paste) are kept up to [`Cap::PER_CODE`] per code per input, the rest counted in
/// one "and N more" finding of the same code (so the exit code is unchanged).
/// Findings about certificates are not capped: at most one per code per
/// certificate, they grow only with the certificates read.
#[derive(Debug, Default)]
pub struct Cap {
    kept: std::collections::HashMap<Code, usize>,
    dropped: std::collections::BTreeMap<Code, usize>,
}

impl Cap {
    pub const PER_CODE: usize = 100;

    /// Whether `f` is kept; a finding over the budget is counted instead.
    pub fn admit(&mut self, f: &Finding) -> bool {
        if f.certificate.is_some() {
            return true;
        }
        let kept = self.kept.entry(f.code).or_insert(0);
        if *kept < Self::PER_CODE {
            *kept += 1;
            true
        } else {
            *self.dropped.entry(f.code).or_insert(0) += 1;
            false
        }
    }

    /// Keeps what the budget admits of `findings`.
    pub fn filter(&mut self, findings: impl IntoIterator<Item = Finding>) -> Vec<Finding> {
        findings.into_iter().filter(|f| self.admit(f)).collect()
    }

    /// One finding per code that went over the budget, saying how many more there were.
    pub fn overflow(&self, source: &str) -> Vec<Finding> {
        self.dropped
            .iter()
            .map(|(&code, &n)| {
                Finding::new(
                    code,
                    format!(
                        "{source}: and {n} more {code} finding{} not listed (at most {} per input)",
                        if n == 1 { "" } else { "s" },
                        Self::PER_CODE
                    ),
                )
            })
            .collect()
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

    #[test]
    fn block_findings_are_capped_per_code_and_counted() {
        let mut cap = Cap::default();
        let many = (0..250).map(|n| Finding::new(Code::InputTruncated, format!("line {n}")));
        let cert = (0..250).map(|n| Finding::new(Code::ValidityExpired, "x").cert(n));
        let kept = cap.filter(many.chain(cert));
        assert_eq!(kept.len(), Cap::PER_CODE + 250);
        let more = cap.overflow("big.pem");
        assert_eq!(more.len(), 1);
        assert_eq!(more[0].code, Code::InputTruncated);
        assert!(
            more[0]
                .message
                .contains("and 150 more input.truncated findings")
        );
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
