//! `pkcs12`: a PKCS#12 / PFX file (RFC 7292): its certificate bags, in file order.
//!
//! Built on the RustCrypto `pkcs12` (structures and the RFC 7292 key derivation),
//! `cms` (EncryptedData), `pkcs5` (PBES2 with PBKDF2 and AES or 3DES), `des`, `rc2`,
//! `cbc` and `hmac` crates. Why not `p12-keystore` (also RustCrypto): it always
//! checks the MAC (so unencrypted certificate bags cannot be read without the
//! password), decrypts every key bag (a key bag it cannot decrypt fails the whole
//! file), and parses each certificate with another X.509 parser (one odd certificate
//! fails the file). certaudit needs the certificate bags only, each on its own.
//!
//! Private keys: key bags and shrouded key bags are never decoded or decrypted; their
//! bytes are not even looked at.
//!
//! Passwords: the one given; without one, the empty password (both of its encodings
//! in RFC 7292's key derivation: two zero bytes, as OpenSSL writes it, and none).
//! The MAC is checked only when a password is given. Every key derivation is
//! costed before it runs (iterations × derivations) against [`WORK_BUDGET`]: a
//! hostile iteration count gets `input.work_limited` instead of hours of SHA work.

use super::containers::decoded;
use super::{Block, Decoded, Format};
use crate::findings::{Code, Finding};
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit, block_padding::Pkcs7};
use cms::cert::x509::spki::AlgorithmIdentifierOwned;
use cms::content_info::ContentInfo;
use cms::encrypted_data::EncryptedData;
use der::asn1::{BmpString, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use hmac::Mac;
use pkcs12::kdf::{self, Pkcs12KeyType};
use pkcs12::{AuthenticatedSafe, CertBag, MacData, pfx::Pfx, safe_bag::SafeBag};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

/// Key-derivation iterations one file may cost, all attempts together. OpenSSL
/// writes 2048 per derivation, Java 10 000, Windows 2000: a file needs a handful.
pub const WORK_BUDGET: u64 = 4_000_000;

const DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const FRIENDLY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.20");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBE_SHA_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const PBE_SHA_2DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.4");
const PBE_SHA_RC2_128: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.5");
const PBE_SHA_RC2_40: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// How deep SafeContents bags may nest.
const MAX_NESTING: usize = 4;

/// A PFX: an outer SEQUENCE whose first element is `INTEGER 3` (a certificate's
/// first element is a SEQUENCE, a PKCS#7 ContentInfo's an OID).
pub fn is_pfx(bytes: &[u8]) -> bool {
    let rest = match bytes {
        [0x30, 0x80, rest @ ..] => rest,
        [0x30, n @ 0x81..=0x84, rest @ ..] => rest.get(usize::from(n - 0x80)..).unwrap_or_default(),
        _ => return false,
    };
    rest.starts_with(&[0x02, 0x01, 0x03])
}

/// What one file's reading found out, for its findings.
struct Reader<'a> {
    name: &'a str,
    password: Option<&'a str>,
    budget: u64,
    out: Decoded,
    cert_bags: usize,
    /// Encrypted safes that no password tried decrypts.
    locked: usize,
    limited: Option<String>,
}

pub fn read(name: &str, bytes: &[u8], password: Option<&str>) -> Decoded {
    let mut r = Reader {
        name,
        password,
        budget: WORK_BUDGET,
        out: decoded(Format::Pkcs12),
        cert_bags: 0,
        locked: 0,
        limited: None,
    };
    let pfx = match Pfx::from_der(bytes) {
        Ok(p) => p,
        Err(e) => {
            r.bad(format!(
                "not a PKCS#12 file that can be read: {e}{}",
                if bytes.get(1) == Some(&0x80) {
                    " (BER with indefinite lengths; re-export it with `openssl pkcs12`)"
                } else {
                    ""
                }
            ));
            return r.out;
        }
    };
    let auth = match octets(&pfx.auth_safe) {
        Some(a) if pfx.auth_safe.content_type == DATA => a,
        _ => {
            r.bad(
                "its authSafe is not PKCS#7 data (public-key integrity mode is not supported)"
                    .into(),
            );
            return r.out;
        }
    };
    let mac_failed = match (&pfx.mac_data, password) {
        (Some(mac), Some(pw)) => !r.mac_matches(mac, pw, &auth),
        _ => false,
    };
    match AuthenticatedSafe::from_der(&auth) {
        Ok(safes) => {
            for safe in &safes {
                r.safe(safe);
            }
        }
        Err(e) => r.bad(format!("its AuthenticatedSafe cannot be decoded: {e}")),
    }
    r.finish(mac_failed)
}

impl Reader<'_> {
    fn bad(&mut self, why: String) {
        self.out.findings.push(Finding::new(
            Code::InputBadCertificate,
            format!("{}: {why}", self.name),
        ));
    }

    fn finish(mut self, mac_failed: bool) -> Decoded {
        if let Some(why) = self.limited.take() {
            self.out.findings.push(Finding::new(
                Code::InputWorkLimited,
                format!(
                    "{}: {why}, over certaudit's limit of {WORK_BUDGET} per file: not attempted (a hostile or corrupted file)",
                    self.name
                ),
            ));
        }
        let message = match (self.password.is_some(), mac_failed, self.locked) {
            (_, _, 0) if !mac_failed => None,
            (true, true, _) => Some(
                "the password given is wrong: the file's MAC does not match it (or the file was altered)"
                    .to_string(),
            ),
            (true, false, n) => Some(format!(
                "the password given does not decrypt {n} encrypted part(s) holding certificates"
            )),
            (false, _, n) => Some(format!(
                "{n} part(s) of it are encrypted with a password (the empty password was tried): give it with --password-file FILE or the CERTAUDIT_PASSWORD environment variable"
            )),
        };
        if let Some(m) = message {
            self.out.findings.push(Finding::new(
                Code::InputPasswordRequired,
                format!("{}: {m}", self.name),
            ));
        }
        self.out
    }

    /// Charges `cost` iterations; `false` (and the reason kept) when over budget.
    fn charge(&mut self, cost: u64, what: &str) -> bool {
        if cost > self.budget {
            self.limited
                .get_or_insert_with(|| format!("{what} asks for {cost} key-derivation iterations"));
            return false;
        }
        self.budget -= cost;
        true
    }

    fn mac_matches(&mut self, mac: &MacData, password: &str, data: &[u8]) -> bool {
        let iterations = u64::try_from(mac.iterations).unwrap_or(u64::MAX);
        if !self.charge(iterations, "its MAC") {
            return true; // not checked, and said so
        }
        let salt = mac.mac_salt.as_bytes();
        let expected = mac.mac.digest.as_bytes();
        let pass = bmp(password);
        macro_rules! check {
            ($d:ty) => {{
                let key = kdf::derive_key::<$d>(
                    &pass,
                    salt,
                    Pkcs12KeyType::Mac,
                    mac.iterations,
                    <$d as sha2::digest::OutputSizeUser>::output_size(),
                );
                match <hmac::Hmac<$d> as hmac::KeyInit>::new_from_slice(&key) {
                    Ok(mut m) => {
                        m.update(data);
                        m.verify_slice(expected).is_ok()
                    }
                    Err(_) => false,
                }
            }};
        }
        match mac.mac.algorithm.oid {
            SHA1 => check!(Sha1),
            SHA224 => check!(Sha224),
            SHA256 => check!(Sha256),
            SHA384 => check!(Sha384),
            SHA512 => check!(Sha512),
            other => {
                self.out.findings.push(Finding::new(
                    Code::InputSkippedBlock,
                    format!("{}: its MAC uses {other}, which certaudit cannot check; the file's integrity was not checked", self.name),
                ));
                true
            }
        }
    }

    fn safe(&mut self, safe: &ContentInfo) {
        if safe.content_type == DATA {
            match octets(safe) {
                Some(data) => self.bags(&data, 0),
                None => self.bad("a data part is not an OCTET STRING".into()),
            }
        } else if safe.content_type == ENCRYPTED_DATA {
            let enc = safe
                .content
                .to_der()
                .ok()
                .and_then(|d| EncryptedData::from_der(&d).ok());
            let Some(enc) = enc else {
                return self.bad("an encrypted part cannot be decoded".into());
            };
            let Some(data) = enc.enc_content_info.encrypted_content.as_ref() else {
                return;
            };
            if let Some(plain) =
                self.decrypt(&enc.enc_content_info.content_enc_alg, data.as_bytes())
            {
                self.bags(&plain, 0);
            }
        } else {
            self.bad(format!(
                "a part of content type {} is not supported (public-key privacy mode)",
                safe.content_type
            ));
        }
    }

    /// The plaintext of an encrypted part, trying each password; `None` with the
    /// reason recorded.
    fn decrypt(&mut self, alg: &AlgorithmIdentifierOwned, data: &[u8]) -> Option<Vec<u8>> {
        let params = alg.parameters.as_ref().and_then(|p| p.to_der().ok())?;
        let passwords: Vec<&str> = match self.password {
            Some(p) => vec![p],
            None => vec![""],
        };
        if alg.oid == PBES2 {
            // The cost is read before the crate sees the parameters (pkcs5 refuses
            // some counts with a decoding error that would hide the cause).
            if let Some(n) = pbkdf2_iterations(&params)
                && !self.charge(
                    n.saturating_mul(passwords.len() as u64),
                    "an encrypted part (PBES2)",
                )
            {
                return None;
            }
            let Ok(p) = pkcs5::pbes2::Parameters::from_der(&params) else {
                self.bad("an encrypted part has PBES2 parameters that cannot be decoded".into());
                return None;
            };
            let cost = match &p.kdf {
                pkcs5::pbes2::Kdf::Pbkdf2(k) => u64::from(k.iteration_count),
                pkcs5::pbes2::Kdf::Scrypt(s) => s
                    .cost_parameter
                    .saturating_mul(u64::from(s.block_size))
                    .saturating_mul(u64::from(s.parallelization)),
                _ => u64::MAX,
            };
            if pbkdf2_iterations(&params).is_none()
                && !self.charge(
                    cost.saturating_mul(passwords.len() as u64),
                    "an encrypted part (PBES2)",
                )
            {
                return None;
            }
            for pw in passwords {
                if let Ok(plain) = p.decrypt(pw.as_bytes(), data) {
                    return Some(plain);
                }
            }
            self.locked += 1;
            return None;
        }
        let (key_len, cipher): (usize, Decrypt) = match alg.oid {
            PBE_SHA_3DES => (24, cbc_decrypt::<des::TdesEde3>),
            PBE_SHA_2DES => (16, cbc_decrypt::<des::TdesEde2>),
            PBE_SHA_RC2_128 => (16, cbc_decrypt::<rc2::Rc2>),
            PBE_SHA_RC2_40 => (5, cbc_decrypt::<rc2::Rc2>),
            other => {
                self.bad(format!(
                    "an encrypted part uses {other}, which certaudit cannot decrypt (RC4 and other algorithms are not supported)"
                ));
                return None;
            }
        };
        let Ok(pbe) = pkcs12::pbe_params::Pkcs12PbeParams::from_der(&params) else {
            self.bad("an encrypted part has PBE parameters that cannot be decoded".into());
            return None;
        };
        let iterations = u64::try_from(pbe.iterations).unwrap_or(u64::MAX);
        let salt = pbe.salt.as_bytes();
        // The empty password has two encodings (two zero bytes, or none).
        let mut encodings: Vec<Vec<u8>> = passwords.iter().map(|p| bmp(p)).collect();
        if self.password.is_none() {
            encodings.push(Vec::new());
        }
        for pass in encodings {
            // Key and IV: two derivations.
            if !self.charge(
                iterations.saturating_mul(2),
                "an encrypted part (PKCS#12 PBE)",
            ) {
                return None;
            }
            let key = kdf::derive_key::<Sha1>(
                &pass,
                salt,
                Pkcs12KeyType::EncryptionKey,
                pbe.iterations,
                key_len,
            );
            let iv = kdf::derive_key::<Sha1>(&pass, salt, Pkcs12KeyType::Iv, pbe.iterations, 8);
            if let Some(plain) = cipher(&key, &iv, data) {
                // A wrong key passes the padding check 1 time in 256: the result
                // must also decode as SafeContents.
                if Vec::<SafeBag>::from_der(&plain).is_ok() {
                    return Some(plain);
                }
            }
        }
        self.locked += 1;
        None
    }

    fn bags(&mut self, data: &[u8], depth: usize) {
        let bags = match Vec::<SafeBag>::from_der(data) {
            Ok(b) => b,
            Err(e) => return self.bad(format!("a SafeContents cannot be decoded: {e}")),
        };
        for bag in bags {
            if bag.bag_id == pkcs12::PKCS_12_CERT_BAG_OID {
                self.cert_bags += 1;
                let origin =
                    friendly_name(&bag).unwrap_or_else(|| format!("bag {}", self.cert_bags));
                match der::asn1::ContextSpecific::<CertBag>::from_der(&bag.bag_value) {
                    Ok(cs) if cs.value.cert_id == pkcs12::PKCS_12_X509_CERT_OID => {
                        self.out.blocks.push(Block {
                            der: cs.value.cert_value.into_bytes().into_vec(),
                            line: None,
                            header: None,
                            origin: Some(origin),
                        });
                    }
                    Ok(_) => self.out.findings.push(Finding::new(
                        Code::InputSkippedBlock,
                        format!(
                            "{} {origin}: a certificate bag that is not X.509 was skipped",
                            self.name
                        ),
                    )),
                    Err(e) => self.bad(format!(
                        "{origin}: the certificate bag cannot be decoded: {e}"
                    )),
                }
            } else if bag.bag_id == pkcs12::PKCS_12_SAFE_CONTENTS_BAG_OID
                && depth < MAX_NESTING
                && let Ok(inner) = der::asn1::ContextSpecific::<der::Any>::from_der(&bag.bag_value)
            {
                self.bags(&inner.value.to_der().unwrap_or_default(), depth + 1);
            }
            // Key, shrouded key, CRL and secret bags: never decoded.
        }
    }
}

/// PBES2-params with a PBKDF2 key derivation, as far as its iteration count.
#[derive(der::Sequence)]
struct Pbes2Head {
    kdf: AlgorithmIdentifierOwned,
    encryption: der::Any,
}

/// The iteration count of PBES2 parameters using PBKDF2 (`None` for another KDF or
/// parameters that do not decode); a count too large for `u64` is `u64::MAX`.
fn pbkdf2_iterations(params: &[u8]) -> Option<u64> {
    let head = Pbes2Head::from_der(params).ok()?;
    let _ = &head.encryption;
    if head.kdf.oid != ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.12") {
        return None;
    }
    let kdf = head.kdf.parameters?.to_der().ok()?;
    let mut reader = der::SliceReader::new(&kdf).ok()?;
    let count = der::Reader::sequence(&mut reader, |r| {
        der::AnyRef::decode(r)?; // salt
        let n = der::asn1::UintRef::decode(r)?;
        while !der::Reader::is_finished(r) {
            der::AnyRef::decode(r)?; // keyLength, prf
        }
        let bytes = n.as_bytes();
        Ok::<_, der::Error>(if bytes.len() > 8 {
            u64::MAX
        } else {
            bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
        })
    })
    .ok()?;
    Some(count)
}

fn octets(ci: &ContentInfo) -> Option<Vec<u8>> {
    let der = ci.content.to_der().ok()?;
    OctetString::from_der(&der)
        .ok()
        .map(|o| o.into_bytes().into_vec())
}

/// The password as RFC 7292 B.1 wants it: BMPString bytes and two zero bytes.
fn bmp(password: &str) -> Vec<u8> {
    let mut out: Vec<u8> = password.encode_utf16().flat_map(u16::to_be_bytes).collect();
    out.extend([0, 0]);
    out
}

fn friendly_name(bag: &SafeBag) -> Option<String> {
    let attrs = bag.bag_attributes.as_ref()?;
    let attr = attrs.iter().find(|a| a.oid == FRIENDLY_NAME)?;
    let value = attr.values.iter().next()?;
    let der = value.to_der().ok()?;
    BmpString::from_der(&der).ok().map(|s| s.to_string())
}

/// A CBC decryption with PKCS#7 padding: key, IV, ciphertext → plaintext.
type Decrypt = fn(&[u8], &[u8], &[u8]) -> Option<Vec<u8>>;

fn cbc_decrypt<C: KeyInit + BlockCipherDecrypt>(
    key: &[u8],
    iv: &[u8],
    data: &[u8],
) -> Option<Vec<u8>> {
    let cipher = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    cipher.decrypt_padded_vec::<Pkcs7>(data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pfx_is_recognised_by_its_version() {
        assert!(is_pfx(&[0x30, 0x82, 0x01, 0x00, 0x02, 0x01, 0x03, 0x30]));
        assert!(!is_pfx(&[0x30, 0x82, 0x01, 0x00, 0x30, 0x82]));
        assert!(!is_pfx(&[0x30, 0x82]));
    }

    #[test]
    fn garbage_is_a_finding() {
        let d = read(
            "x.p12",
            &[0x30, 0x82, 0x00, 0x05, 0x02, 0x01, 0x03, 0x30, 0x00],
            None,
        );
        assert!(d.blocks.is_empty());
        assert_eq!(d.findings[0].code, Code::InputBadCertificate);
    }

    #[test]
    fn bmp_encoding_of_passwords() {
        assert_eq!(bmp(""), [0, 0]);
        assert_eq!(bmp("ab"), [0, b'a', 0, b'b', 0, 0]);
    }
}
