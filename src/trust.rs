//! `chain.trust`: RFC 5280 path validation for TLS server authentication, done by
//! rustls-webpki (an independently tested validator), over the served certificates
//! in any order, to Mozilla's root store (`webpki-root-certs`, embedded as data,
//! never fetched) or to the roots of `--trust FILE`.
//!
//! webpki takes its signature algorithms as a trait; [`Alg`] is the glue that hands
//! each check to the RustCrypto verifiers `verify` already uses (no ring, no aws-lc).

use crate::verify::{self, Verdict};
use rustls_pki_types::alg_id::{self, AlgorithmIdentifier};
use rustls_pki_types::{
    CertificateDer, InvalidSignature, ServerName, SignatureVerificationAlgorithm, UnixTime,
};
use std::time::Duration;

/// The embedded store's snapshot: the `webpki-root-certs` release (pinned in
/// Cargo.toml), which tracks Mozilla's root program.
/// `cli::args`'s `--version` text names the same (a test checks they agree).
pub const STORE_VERSION: &str = "1.0.11";

/// Where the roots come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    Mozilla,
    File(String),
}

impl Store {
    /// `mozilla:VERSION` or `file:PATH`.
    pub fn name(&self) -> String {
        match self {
            Store::Mozilla => format!("mozilla:{STORE_VERSION}"),
            Store::File(p) => format!("file:{p}"),
        }
    }
}

/// The root a trusted path ends at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    pub subject: String,
    pub sha1: [u8; 20],
    pub sha256: [u8; 32],
}

/// The verdict, as the contract's `chain.trust` object holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trust {
    pub store: String,
    pub trusted: bool,
    pub anchor: Option<Anchor>,
    pub reason: Option<&'static str>,
    pub detail: Option<String>,
}

/// One signature algorithm for webpki, checked by `verify::verify_signed`.
#[derive(Debug)]
struct Alg {
    public_key: AlgorithmIdentifier,
    signature: AlgorithmIdentifier,
}

/// The RSA modulus sizes path validation accepts, as webpki's providers do.
pub const WEBPKI_RSA_BITS: std::ops::RangeInclusive<usize> = 2048..=8192;

/// A DER header: `tag`, then the length of `len` bytes.
fn header(tag: u8, len: usize, out: &mut Vec<u8>) {
    out.push(tag);
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|&&b| b == 0).count();
        let used = bytes.get(skip..).unwrap_or_default();
        out.push(0x80 | used.len() as u8);
        out.extend_from_slice(used);
    }
}

fn sequence(contents: &[&[u8]]) -> Vec<u8> {
    let len = contents.iter().map(|c| c.len()).sum();
    let mut out = Vec::with_capacity(len + 6);
    header(0x30, len, &mut out);
    for c in contents {
        out.extend_from_slice(c);
    }
    out
}

impl SignatureVerificationAlgorithm for Alg {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // webpki hands over the subjectPublicKey bits; `verify` reads a whole SPKI.
        let mut bits = Vec::with_capacity(public_key.len() + 6);
        header(0x03, public_key.len() + 1, &mut bits);
        bits.push(0);
        bits.extend_from_slice(public_key);
        let algorithm = sequence(&[self.public_key.as_ref()]);
        let spki = sequence(&[&algorithm, &bits]);
        let sig_alg = sequence(&[self.signature.as_ref()]);
        // webpki's own providers (ring, aws-lc-rs) take RSA keys of 2048 to 8192
        // bits only (`RSA_PKCS1_2048_8192_SHA256`, …); `verify` also checks the
        // smaller legacy keys that the chain analysis reports.
        if verify::rsa_modulus_bits(&spki).is_some_and(|bits| !WEBPKI_RSA_BITS.contains(&bits)) {
            return Err(InvalidSignature);
        }
        match verify::verify_signed(&spki, &sig_alg, message, signature) {
            Verdict::Valid => Ok(()),
            _ => Err(InvalidSignature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        self.public_key
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        self.signature
    }
}

macro_rules! alg {
    ($name:ident, $pk:ident, $sig:ident) => {
        static $name: Alg = Alg {
            public_key: alg_id::$pk,
            signature: alg_id::$sig,
        };
    };
}
alg!(RSA_PKCS1_SHA256, RSA_ENCRYPTION, RSA_PKCS1_SHA256);
alg!(RSA_PKCS1_SHA384, RSA_ENCRYPTION, RSA_PKCS1_SHA384);
alg!(RSA_PKCS1_SHA512, RSA_ENCRYPTION, RSA_PKCS1_SHA512);
alg!(RSA_PSS_SHA256, RSA_ENCRYPTION, RSA_PSS_SHA256);
alg!(RSA_PSS_SHA384, RSA_ENCRYPTION, RSA_PSS_SHA384);
alg!(RSA_PSS_SHA512, RSA_ENCRYPTION, RSA_PSS_SHA512);
alg!(P256_SHA256, ECDSA_P256, ECDSA_SHA256);
alg!(P256_SHA384, ECDSA_P256, ECDSA_SHA384);
alg!(P384_SHA256, ECDSA_P384, ECDSA_SHA256);
alg!(P384_SHA384, ECDSA_P384, ECDSA_SHA384);
alg!(P521_SHA512, ECDSA_P521, ECDSA_SHA512);
alg!(ED25519, ED25519, ED25519);

static ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    &RSA_PKCS1_SHA256,
    &RSA_PKCS1_SHA384,
    &RSA_PKCS1_SHA512,
    &RSA_PSS_SHA256,
    &RSA_PSS_SHA384,
    &RSA_PSS_SHA512,
    &P256_SHA256,
    &P256_SHA384,
    &P384_SHA256,
    &P384_SHA384,
    &P521_SHA512,
    &ED25519,
];

/// More served certificates than this are not validated (`reason: other`).
pub const MAX_SERVED: usize = 32;

/// The verdict for an input with more than [`MAX_SERVED`] certificates.
pub fn not_validated(file: bool, path: Option<&str>, served: usize) -> Trust {
    let store = if file {
        Store::File(path.unwrap_or_default().to_string())
    } else {
        Store::Mozilla
    };
    Trust {
        store: store.name(),
        trusted: false,
        anchor: None,
        reason: Some("other"),
        detail: Some(format!(
            "not validated: {served} certificates served, more than the {MAX_SERVED} path validation takes"
        )),
    }
}

/// The embedded store's certificates.
pub fn mozilla_roots() -> &'static [CertificateDer<'static>] {
    webpki_root_certs::TLS_SERVER_ROOT_CERTS
}

/// Validates `leaf` with the other `served` certificates as intermediates (any
/// order), to `roots` (DER), at `at_unix` seconds, for `host` when given.
pub fn validate(
    leaf: &[u8],
    served: &[&[u8]],
    roots: &[&[u8]],
    store: &Store,
    at_unix: i64,
    host: Option<&str>,
) -> Trust {
    let untrusted = |reason: &'static str, detail: String| Trust {
        store: store.name(),
        trusted: false,
        anchor: None,
        reason: Some(reason),
        detail: Some(detail),
    };
    let root_ders: Vec<CertificateDer<'_>> =
        roots.iter().map(|r| CertificateDer::from(*r)).collect();
    let mut anchors = Vec::with_capacity(root_ders.len());
    let mut anchor_roots = Vec::with_capacity(root_ders.len());
    for (i, der) in root_ders.iter().enumerate() {
        if let Ok(a) = webpki::anchor_from_trusted_cert(der) {
            anchors.push(a);
            anchor_roots.push(i);
        }
    }
    let leaf_der = CertificateDer::from(leaf);
    let ee = match webpki::EndEntityCert::try_from(&leaf_der) {
        Ok(ee) => ee,
        Err(e) => return untrusted("other", format!("{e:?}")),
    };
    let intermediates: Vec<CertificateDer<'_>> =
        served.iter().map(|c| CertificateDer::from(*c)).collect();
    let time = UnixTime::since_unix_epoch(Duration::from_secs(at_unix.max(0).unsigned_abs()));
    let path = match ee.verify_for_usage(
        ALGORITHMS,
        &anchors,
        &intermediates,
        time,
        webpki::KeyUsage::server_auth(),
        None,
        None,
    ) {
        Ok(p) => p,
        Err(e) => return untrusted(reason(&e), format!("{e:?}")),
    };
    if let Some(h) = host {
        let name = match ServerName::try_from(h) {
            Ok(n) => n,
            Err(e) => return untrusted("name_mismatch", format!("{h}: {e}")),
        };
        if let Err(e) = ee.verify_is_valid_for_subject_name(&name) {
            return untrusted(reason(&e), format!("{e:?}"));
        }
    }
    let found = anchors
        .iter()
        .position(|a| std::ptr::eq(a, path.anchor()))
        .and_then(|i| anchor_roots.get(i))
        .and_then(|&i| roots.get(i));
    let anchor = found.and_then(|der| {
        let info = crate::x509::parse(der, 0, None).ok()?;
        Some(Anchor {
            subject: info.subject.display.clone(),
            sha1: info.sha1,
            sha256: info.sha256,
        })
    });
    Trust {
        store: store.name(),
        trusted: true,
        anchor,
        reason: None,
        detail: None,
    }
}

/// webpki's error → the contract's `reason`.
fn reason(e: &webpki::Error) -> &'static str {
    use webpki::Error as E;
    match e {
        E::UnknownIssuer => "unknown_issuer",
        E::CertExpired { .. } => "expired",
        E::CertNotValidYet { .. } => "not_yet_valid",
        E::InvalidSignatureForPublicKey
        | E::UnsupportedSignatureAlgorithmContext(_)
        | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => "bad_signature",
        E::CertNotValidForName(_) => "name_mismatch",
        E::CaUsedAsEndEntity | E::EndEntityUsedAsCa | E::PathLenConstraintViolated => "not_a_ca",
        E::RequiredEkuNotFoundContext(_) => "usage",
        _ => "other",
    }
}
