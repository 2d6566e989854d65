//! Stage 2: a block's DER → the facts of one certificate.
//!
//! Knows only a block's bytes and line. Names, serial, validity window, digests,
//! public key, signature algorithm, SANs and key identifiers, read the way
//! `openssl x509` reads them (tolerating common non-DER quirks, reported as
//! notes). Never reads the clock: validity status is `validity.rs`'s job.

use chrono::{DateTime, Utc};
use std::net::IpAddr;

/// A name, kept in the two shapes certaudit needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Name {
    /// RFC 4514 string, most specific attribute first: `CN=x,O=y,C=US`.
    pub display: String,
    /// Attributes in DER order (most general first), OpenSSL short names
    /// (`C`, `O`, `CN`, `emailAddress`, …) or the dotted OID; values as text.
    pub attrs: Vec<(String, String)>,
    /// RFC 5280 §7.1 comparison key: each RDN's type and value with case folded and
    /// internal whitespace collapsed. Two names are the same issuer iff keys are equal.
    pub key: String,
}

/// Everything `check` reports about one certificate, plus what chain analysis needs.
#[derive(Debug, Clone)]
pub struct CertInfo {
    /// Position as served, from 0 (counts only certificates that were read).
    pub index: usize,
    /// 1-based line of the block's BEGIN line; `None` for DER/PKCS#7.
    pub line: Option<usize>,
    pub der: Vec<u8>,
    pub subject: Name,
    pub issuer: Name,
    /// Lower-case hex, no colons, no leading zero bytes ("00" for zero).
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// basicConstraints cA is true.
    pub ca: bool,
    /// Subject and issuer names are equal (RFC 5280 §7.1).
    pub self_issued: bool,
    /// Self-issued and its own key verifies its signature (set by `signature`).
    pub self_signed: bool,
    pub sha1: [u8; 20],
    pub sha256: [u8; 32],
    /// `RSA 2048`, `EC P-256`, `Ed25519`, … (contract "public_key").
    pub public_key: String,
    /// DER of the SubjectPublicKeyInfo (for verifying what this certificate issued,
    /// and for "same key" comparisons of cross-signed CAs).
    pub spki_der: Vec<u8>,
    /// OpenSSL's name (`sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `rsassaPss`,
    /// `ED25519`), else the dotted OID.
    pub signature_algorithm: String,
    /// DER of the outer signatureAlgorithm AlgorithmIdentifier (OID + parameters).
    pub signature_algorithm_der: Vec<u8>,
    /// The signed bytes: DER of tbsCertificate exactly as encoded in the input.
    pub tbs_der: Vec<u8>,
    /// The signatureValue BIT STRING's bytes.
    pub signature: Vec<u8>,
    /// Signed with SHA-1 or MD5 (or MD2/MD4).
    pub weak_signature: bool,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
    pub subject_key_id: Option<Vec<u8>>,
    pub authority_key_id: Option<Vec<u8>>,
    /// Non-conformities tolerated while reading (e.g. "serial is 21 octets").
    pub notes: Vec<String>,
}

/// Why a block is not a certificate (becomes `input.bad_certificate`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadCertificate(pub String);

/// Reads one certificate. Never panics, whatever the bytes.
pub fn parse(der: &[u8], index: usize, line: Option<usize>) -> Result<CertInfo, BadCertificate> {
    let _ = (der, index, line);
    Err(BadCertificate("not implemented".into()))
}

/// Upper-case hex without separators (fingerprints, thumbprints).
pub fn hex_upper(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}
