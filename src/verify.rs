//! Does one certificate's key verify another's signature?
//!
//! RSA PKCS#1 v1.5 (SHA-1/224/256/384/512), RSASSA-PSS (SHA-1/224/256/384/512
//! with MGF1 of the same hash), ECDSA on P-256/P-384/P-521 with any of those
//! hashes, DSA (FIPS 186-4 sizes 1024/160, 2048/224, 2048/256, 3072/256) with any of
//! them, Ed25519 and Ed448, through RustCrypto. Other algorithms (MD5, GOST, SM2,
//! other curves, DSA of other sizes or with inherited parameters) are `Unsupported`;
//! a key of the wrong family for the algorithm, or malformed key or signature bytes,
//! is `Invalid`. Never panics.
//!
//! Cost: one hash of the tbsCertificate and one public-key operation. Keys are
//! read straight from the SubjectPublicKeyInfo bytes, without building the
//! certificate again.

use crate::der::alg::{Hash, PssParams, oid_and_params};
use crate::der::oid as oids;
use crate::der::tlv::{Reader, split_tlv, tag};
use crate::x509::CertInfo;
use ecdsa::signature::hazmat::PrehashVerifier;
use rsa::{BoxedUint, Pkcs1v15Sign, PublicKey, pss::Pss};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Valid,
    Invalid,
    Unsupported,
}

impl Verdict {
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Valid => "valid",
            Verdict::Invalid => "invalid",
            Verdict::Unsupported => "unsupported",
        }
    }
}

/// ECDSA with a DER signature over an already computed hash; any hash length
/// works (RustCrypto truncates or left-pads it to the curve order, as SEC 1 says).
macro_rules! ecdsa_ok {
    ($curve:ident, $point:expr, $prehash:expr, $sig:expr) => {
        match (
            $curve::ecdsa::VerifyingKey::from_sec1_bytes($point),
            $curve::ecdsa::Signature::from_der($sig),
        ) {
            (Ok(key), Ok(sig)) => key.verify_prehash($prehash, &sig).is_ok(),
            _ => false,
        }
    };
}

/// Verifies `child`'s signature with `issuer`'s public key (names are not checked here).
pub fn verify(child: &CertInfo, issuer: &CertInfo) -> Verdict {
    verify_signed(
        &issuer.spki_der,
        &child.signature_algorithm_der,
        &child.tbs_der,
        &child.signature,
    )
}

/// How many verdicts [`verify_remembered`] keeps per thread before it forgets them
/// all: 8,192 entries of 65 bytes (about 1 MiB with the map's overhead).
const MEMO_ENTRIES: usize = 8_192;

/// (SHA-256 of the signed certificate, SHA-256 of its issuer) → verdict.
type Memo = std::collections::HashMap<([u8; 32], [u8; 32]), Verdict>;

std::thread_local! {
    /// Verdicts by (SHA-256 of the signed certificate, SHA-256 of its issuer): both
    /// digests cover every byte the verdict depends on (tbsCertificate, algorithm,
    /// signature; the issuer's SubjectPublicKeyInfo).
    static MEMO: std::cell::RefCell<Memo> = std::cell::RefCell::new(Memo::new());
}

/// [`verify`], remembering its verdicts on this thread: the same certificate signed
/// by the same issuer is checked once, however many inputs carry both (a fleet's
/// files that all end in one intermediate and root, a bundle of repeated roots).
/// A pure function's memo: the verdict is the one [`verify`] gives. Callers that
/// budget checks still charge each call (results never depend on what is remembered).
pub fn verify_remembered(child: &CertInfo, issuer: &CertInfo) -> Verdict {
    let key = (child.sha256, issuer.sha256);
    if let Some(v) = MEMO.with(|m| m.borrow().get(&key).copied()) {
        return v;
    }
    let verdict = verify(child, issuer);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MEMO_ENTRIES {
            m.clear();
        }
        m.insert(key, verdict);
    });
    verdict
}

/// Verifies `signature` over `message` with the key in `spki_der` (a DER
/// SubjectPublicKeyInfo), for the AlgorithmIdentifier `algorithm_der`.
pub fn verify_signed(
    spki_der: &[u8],
    algorithm_der: &[u8],
    message: &[u8],
    signature: &[u8],
) -> Verdict {
    let Some((sig_family, scheme)) = read_algorithm(algorithm_der) else {
        return Verdict::Invalid;
    };
    let Some(key) = read_key(spki_der) else {
        return Verdict::Invalid;
    };
    if sig_family != Family::Unknown
        && key.family() != Family::Unknown
        && sig_family != key.family()
    {
        return Verdict::Invalid;
    }
    let Some(scheme) = scheme else {
        return Verdict::Unsupported;
    };
    match (scheme, key) {
        (Scheme::RsaPkcs1(_), Key::Rsa { pss_only: true, .. }) => Verdict::Invalid,
        (Scheme::RsaPkcs1(hash), Key::Rsa { n, e, .. }) => {
            verify_rsa(n, e, signature, |key, sig| {
                key.verify(hash.pkcs1v15(), &hash.digest(message), sig)
            })
        }
        (Scheme::RsaPss { hash, salt }, Key::Rsa { n, e, .. }) => {
            verify_rsa(n, e, signature, |key, sig| {
                let hashed = hash.digest(message);
                match hash {
                    Hash::Sha1 => key.verify(Pss::<Sha1>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha224 => key.verify(Pss::<Sha224>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha256 => key.verify(Pss::<Sha256>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha384 => key.verify(Pss::<Sha384>::new_with_salt(salt), &hashed, sig),
                    Hash::Sha512 => key.verify(Pss::<Sha512>::new_with_salt(salt), &hashed, sig),
                }
            })
        }
        (Scheme::Ecdsa(hash), Key::Ec { curve, point }) => {
            let prehash = hash.digest(message);
            let ok = match curve {
                Curve::P256 => ecdsa_ok!(p256, point, &prehash, signature),
                Curve::P384 => ecdsa_ok!(p384, point, &prehash, signature),
                Curve::P521 => ecdsa_ok!(p521, point, &prehash, signature),
                Curve::Other => return Verdict::Unsupported,
            };
            valid_if(ok)
        }
        (Scheme::Dsa(hash), Key::Dsa { p, q, g, y }) => {
            verify_dsa(p, q, g, y, &hash.digest(message), signature)
        }
        (Scheme::Ed448, Key::Ed448(point)) => {
            let Ok(point) = <&[u8; 57]>::try_from(point) else {
                return Verdict::Invalid;
            };
            let Ok(key) = ed448_goldilocks::VerifyingKey::from_bytes(point) else {
                return Verdict::Invalid;
            };
            let Ok(sig) = ed448_goldilocks::Signature::from_slice(signature) else {
                return Verdict::Invalid;
            };
            // RFC 8410 §3: certificates use pure Ed448 with an empty context.
            valid_if(key.verify_raw(&sig, message).is_ok())
        }
        (Scheme::Ed25519, Key::Ed25519(point)) => {
            use ed25519_dalek::Verifier;
            let Ok(point) = <&[u8; 32]>::try_from(point) else {
                return Verdict::Invalid;
            };
            let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(point) else {
                return Verdict::Invalid;
            };
            let Ok(sig) = ed25519_dalek::Signature::from_slice(signature) else {
                return Verdict::Invalid;
            };
            valid_if(key.verify(message, &sig).is_ok())
        }
        // A family the verifier knows but whose key it cannot use.
        _ => Verdict::Unsupported,
    }
}

fn valid_if(ok: bool) -> Verdict {
    if ok { Verdict::Valid } else { Verdict::Invalid }
}

/// The DSA domain sizes (bits of p, bits of q) of FIPS 186-4 §4.2, the ones the
/// `dsa` crate verifies; other sizes are `Unsupported` before any arithmetic.
const DSA_SIZES: [(usize, usize); 4] = [(1024, 160), (2048, 224), (2048, 256), (3072, 256)];

/// DSA (FIPS 186-4 §4.7) over an already computed hash; the signature is the DER
/// `Dss-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279 §2.2.2).
fn verify_dsa(p: &[u8], q: &[u8], g: &[u8], y: &[u8], prehash: &[u8], signature: &[u8]) -> Verdict {
    use dsa::signature::hazmat::PrehashVerifier as _;
    if !DSA_SIZES.contains(&(bit_len(p), bit_len(q))) {
        return Verdict::Unsupported;
    }
    // g and y are taken modulo p: crypto-bigint asserts (panics) when their
    // precision differs from p's, so all three are read at p's width, and a g or y
    // wider than p is invalid (found by fuzzing cert_parse:
    // fixtures/regress/cert_parse-dsa-wide-g.der).
    let strip = |m: &'_ [u8]| -> Vec<u8> { m.iter().copied().skip_while(|b| *b == 0).collect() };
    let p = strip(p);
    let at_p_width = |m: &[u8]| -> Option<Vec<u8>> {
        let m = strip(m);
        let pad = p.len().checked_sub(m.len())?;
        let mut out = vec![0; pad];
        out.extend_from_slice(&m);
        Some(out)
    };
    let (Some(g), Some(y)) = (at_p_width(g), at_p_width(y)) else {
        return Verdict::Invalid;
    };
    let int = |m: &[u8]| BoxedUint::from_be_slice_vartime(m);
    let Ok(components) = dsa::Components::from_components(int(&p), int(&strip(q)), int(&g)) else {
        return Verdict::Invalid;
    };
    let Ok(key) = dsa::VerifyingKey::from_components(components, int(&y)) else {
        return Verdict::Invalid;
    };
    let Ok(sig) = dsa::Signature::try_from(signature) else {
        return Verdict::Invalid;
    };
    valid_if(key.verify_prehash(prehash, &sig).is_ok())
}

/// RSA moduli outside this range are not verified (`Unsupported`): below, keys
/// are broken anyway; above, nobody issues them, and one check of a hostile
/// 16384-bit key with a large exponent costs tens of milliseconds. 512-bit legacy
/// keys verify.
pub const RSA_BITS: std::ops::RangeInclusive<usize> = 512..=8192;

/// RSA public exponents above this are not verified (`Unsupported`): the check's
/// cost grows with the exponent's length (rsa itself refuses above 2^33).
pub const RSA_MAX_EXPONENT: u64 = 1 << 32;

/// What checking a signature with the key in `spki_der` costs, in units of one
/// RSA-2048 check with e = 65537: (modulus bits / 2048)² × (exponent bits / 17),
/// rounded up, at least 1; `None` when the key is refused ([`RSA_BITS`],
/// [`RSA_MAX_EXPONENT`]). DSA, ECDSA and Ed448 cost what they were measured to cost
/// (about 150 units for DSA-2048, 18 for Ed448, 4 for P-256, 10 for P-384 and
/// P-521); the other algorithms (Ed25519, keys no verifier takes) cost 1.
pub fn check_cost(spki_der: &[u8]) -> Option<u64> {
    let (n, e) = match read_key(spki_der) {
        Some(Key::Rsa { n, e, .. }) => (n, e),
        Some(Key::Dsa { p, q, .. }) if DSA_SIZES.contains(&(bit_len(p), bit_len(q))) => {
            // Measured (`signature_check_costs`, release build): DSA-1024 2.7 ms,
            // DSA-2048 20 ms against RSA-2048's 0.135 ms: about 150 units at 2048
            // bits, growing with the cube of p's size (the `dsa` crate's
            // exponentiations run over p's whole width).
            let p_bits = bit_len(p) as u64;
            return Some((150 * p_bits * p_bits * p_bits).div_ceil(2048 * 2048 * 2048));
        }
        // Measured 2.4 ms, against Ed25519's 0.07 ms.
        Some(Key::Ed448(_)) => return Some(18),
        // Measured (`signature_check_costs`, release, 2026-12-02): P-256 0.21 ms and
        // P-384 0.49 ms against RSA-2048's 0.05 ms in the same run; P-521 as P-384
        // (400 distinct self-signed roots each, `check --bundle`: 0.32 vs 0.35 ms).
        Some(Key::Ec { curve, .. }) => {
            return Some(match curve {
                Curve::P256 => 4,
                Curve::P384 | Curve::P521 => 10,
                Curve::Other => 1,
            });
        }
        _ => return Some(1),
    };
    let (nbits, ebits) = (bit_len(n) as u64, bit_len(e) as u64);
    if !rsa_key_allowed(n, e) {
        return None;
    }
    let size = nbits.div_ceil(2048).max(1);
    Some((size * size * ebits.div_ceil(17).max(1)).max(1))
}

/// The modulus length in bits of the RSA key in `spki_der` (rsaEncryption or
/// id-RSASSA-PSS); `None` for another key or a malformed one.
pub fn rsa_modulus_bits(spki_der: &[u8]) -> Option<usize> {
    match read_key(spki_der)? {
        Key::Rsa { n, .. } => Some(bit_len(n)),
        _ => None,
    }
}

/// The length in bits of a big-endian magnitude (leading zero bytes allowed).
fn bit_len(b: &[u8]) -> usize {
    let b = crate::der::tlv::strip_zeros(b);
    match b.first() {
        Some(&top) => (b.len() - 1) * 8 + (8 - top.leading_zeros() as usize),
        None => 0,
    }
}

/// Whether an RSA key is within [`RSA_BITS`] and [`RSA_MAX_EXPONENT`] (magnitudes
/// big-endian, leading zeros allowed).
fn rsa_key_allowed(n: &[u8], e: &[u8]) -> bool {
    let e = crate::der::tlv::strip_zeros(e);
    if bit_len(n) > *RSA_BITS.end() || e.len() > 8 {
        return false;
    }
    let value = e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    value <= RSA_MAX_EXPONENT
}

/// The RSA key with modulus `n` and exponent `e`, from a small cache: making one
/// computes its Montgomery parameters (R² mod n, a long division), and a chain's
/// top CA key checks both its own signature and the certificate below it.
fn rsa_public_key(n: &[u8], e: &[u8]) -> rsa::Result<std::sync::Arc<PublicKey>> {
    use std::sync::{Arc, Mutex, PoisonError};
    type Cache = Vec<(Vec<u8>, Vec<u8>, Arc<PublicKey>)>;
    static RECENT: Mutex<Cache> = Mutex::new(Vec::new());
    let hit = RECENT
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
        .find(|(kn, ke, _)| kn == n && ke == e)
        .map(|(_, _, k)| Arc::clone(k));
    if let Some(key) = hit {
        return Ok(key);
    }
    let key = Arc::new(PublicKey::new_with_size_limits(
        BoxedUint::from_be_slice_vartime(n),
        BoxedUint::from_be_slice_vartime(e),
        RSA_BITS,
    )?);
    let mut cache = RECENT.lock().unwrap_or_else(PoisonError::into_inner);
    if cache.len() >= 8 {
        cache.remove(0);
    }
    cache.push((n.to_vec(), e.to_vec(), Arc::clone(&key)));
    Ok(key)
}

fn verify_rsa(
    n: &[u8],
    e: &[u8],
    signature: &[u8],
    check: impl FnOnce(&PublicKey, &[u8]) -> rsa::Result<()>,
) -> Verdict {
    if n.is_empty() || e.is_empty() {
        return Verdict::Invalid;
    }
    if !rsa_key_allowed(n, e) {
        return Verdict::Unsupported;
    }
    let key = match rsa_public_key(n, e) {
        Ok(key) => key,
        // Legal but refused by the crate (tiny or huge moduli, exponents above
        // 2^33 that ring and RustCrypto refuse as a denial-of-service guard).
        Err(
            rsa::Error::ModulusTooSmall
            | rsa::Error::ModulusTooLarge
            | rsa::Error::PublicExponentTooLarge,
        ) => {
            return Verdict::Unsupported;
        }
        Err(_) => return Verdict::Invalid,
    };
    // OpenSSL accepts a signature with its leading zero bytes left out;
    // RFC 8017 wants exactly the modulus' length.
    let ok = if signature.len() < n.len() {
        let mut padded = vec![0u8; n.len() - signature.len()];
        padded.extend_from_slice(signature);
        check(&key, &padded).is_ok()
    } else {
        check(&key, signature).is_ok()
    };
    valid_if(ok)
}

impl Hash {
    fn digest(self, msg: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha1 => Sha1::digest(msg).to_vec(),
            Hash::Sha224 => Sha224::digest(msg).to_vec(),
            Hash::Sha256 => Sha256::digest(msg).to_vec(),
            Hash::Sha384 => Sha384::digest(msg).to_vec(),
            Hash::Sha512 => Sha512::digest(msg).to_vec(),
        }
    }

    /// PKCS#1 v1.5 with this hash: the rsa crate builds the `DigestInfo` prefix
    /// (RFC 8017 §9.2 note 1) from the digest's OID.
    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            Hash::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            Hash::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }
}

/// Key families, to tell "wrong kind of key" (`Invalid`) from "cannot check".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Rsa,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scheme {
    RsaPkcs1(Hash),
    RsaPss { hash: Hash, salt: usize },
    Ecdsa(Hash),
    Dsa(Hash),
    Ed25519,
    Ed448,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Curve {
    P256,
    P384,
    P521,
    Other,
}

#[derive(Debug, Clone, Copy)]
enum Key<'a> {
    /// Modulus and exponent magnitudes; `pss_only` for an id-RSASSA-PSS key.
    Rsa {
        n: &'a [u8],
        e: &'a [u8],
        pss_only: bool,
    },
    Ec {
        curve: Curve,
        point: &'a [u8],
    },
    Ed25519(&'a [u8]),
    Ed448(&'a [u8]),
    /// Domain parameters and public value, magnitudes (RFC 3279 §2.3.2).
    Dsa {
        p: &'a [u8],
        q: &'a [u8],
        g: &'a [u8],
        y: &'a [u8],
    },
    Other(Family),
}

impl Key<'_> {
    fn family(&self) -> Family {
        match self {
            Key::Rsa { .. } => Family::Rsa,
            Key::Ec { .. } => Family::Ec,
            Key::Ed25519(_) => Family::Ed25519,
            Key::Ed448(_) => Family::Ed448,
            Key::Dsa { .. } => Family::Dsa,
            Key::Other(f) => *f,
        }
    }
}

/// The signature algorithm's family and, when supported, its scheme.
/// `None` when the AlgorithmIdentifier is not even DER-shaped.
fn read_algorithm(der: &[u8]) -> Option<(Family, Option<Scheme>)> {
    let (alg, _) = split_tlv(der).ok()?;
    let (oid, params) = oid_and_params(&alg)?;
    let rsa = |h| Some((Family::Rsa, Some(Scheme::RsaPkcs1(h))));
    let ec = |h| Some((Family::Ec, Some(Scheme::Ecdsa(h))));
    if oids::is(oid, &oids::SHA256_WITH_RSA) {
        rsa(Hash::Sha256)
    } else if oids::is(oid, &oids::SHA384_WITH_RSA) {
        rsa(Hash::Sha384)
    } else if oids::is(oid, &oids::SHA512_WITH_RSA) {
        rsa(Hash::Sha512)
    } else if oids::is(oid, &oids::SHA1_WITH_RSA) || oids::is(oid, &oids::SHA1_WITH_RSA_OIW) {
        rsa(Hash::Sha1)
    } else if oids::is(oid, &oids::SHA224_WITH_RSA) {
        rsa(Hash::Sha224)
    } else if oids::is(oid, &oids::ECDSA_SHA256) {
        ec(Hash::Sha256)
    } else if oids::is(oid, &oids::ECDSA_SHA384) {
        ec(Hash::Sha384)
    } else if oids::is(oid, &oids::ECDSA_SHA512) {
        ec(Hash::Sha512)
    } else if oids::is(oid, &oids::ECDSA_SHA224) {
        ec(Hash::Sha224)
    } else if oids::is(oid, &oids::ECDSA_SHA1) {
        ec(Hash::Sha1)
    } else if oids::is(oid, &oids::RSASSA_PSS) {
        let scheme = PssParams::read(params).and_then(PssParams::scheme);
        Some((Family::Rsa, scheme))
    } else if oids::is(oid, &oids::ED25519) {
        Some((Family::Ed25519, Some(Scheme::Ed25519)))
    } else if oids::is(oid, &oids::ED448) {
        Some((Family::Ed448, Some(Scheme::Ed448)))
    } else if let Some(hash) = dsa_hash(oid) {
        Some((Family::Dsa, Some(Scheme::Dsa(hash))))
    } else {
        let family = match oids::signature_algorithm(oid).map(|(name, _)| name) {
            Some(n) if n.contains("RSA") => Family::Rsa,
            Some(n) if n.starts_with("ecdsa") => Family::Ec,
            Some(n) if n.starts_with("dsa") => Family::Dsa,
            _ => Family::Unknown,
        };
        Some((family, None))
    }
}

/// The hash of a DSA signature algorithm certaudit verifies.
fn dsa_hash(oid: &[u8]) -> Option<Hash> {
    [
        (&oids::DSA_SHA256, Hash::Sha256),
        (&oids::DSA_SHA1, Hash::Sha1),
        (&oids::DSA_SHA1_OIW, Hash::Sha1),
        (&oids::DSA_SHA224, Hash::Sha224),
        (&oids::DSA_SHA384, Hash::Sha384),
        (&oids::DSA_SHA512, Hash::Sha512),
    ]
    .into_iter()
    .find(|(o, _)| oids::is(oid, o))
    .map(|(_, h)| h)
}

/// Reads the key of a SubjectPublicKeyInfo; `None` when malformed.
fn read_key(spki_der: &[u8]) -> Option<Key<'_>> {
    let (spki, _) = split_tlv(spki_der).ok()?;
    let mut r = Reader::new(spki.value);
    let alg = r.read().ok()?;
    let bits = r.read().ok().filter(|b| b.tag == tag::BIT_STRING)?;
    let key = match bits.value.split_first() {
        Some((0, key)) => key,
        _ => return None,
    };
    let (oid, params) = oid_and_params(&alg)?;
    let rsa_encryption = oids::is(oid, &oids::RSA_ENCRYPTION);
    if rsa_encryption || oids::is(oid, &oids::RSASSA_PSS) {
        // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
        let (seq, _) = split_tlv(key).ok()?;
        let mut kr = Reader::new(seq.value);
        let n = kr.read().ok().filter(|t| t.tag == tag::INTEGER)?;
        let e = kr.read().ok().filter(|t| t.tag == tag::INTEGER)?;
        let (n, e) = (unsigned(n.value)?, unsigned(e.value)?);
        Some(Key::Rsa {
            n,
            e,
            pss_only: !rsa_encryption,
        })
    } else if oids::is(oid, &oids::EC_PUBLIC_KEY) {
        let curve = match params {
            Some(p) if p.tag == tag::OID && oids::is(p.value, &oids::P256) => Curve::P256,
            Some(p) if p.tag == tag::OID && oids::is(p.value, &oids::P384) => Curve::P384,
            Some(p) if p.tag == tag::OID && oids::is(p.value, &oids::P521) => Curve::P521,
            _ => Curve::Other,
        };
        Some(Key::Ec { curve, point: key })
    } else if oids::is(oid, &oids::ED25519) {
        Some(Key::Ed25519(key))
    } else if oids::is(oid, &oids::ED448) {
        Some(Key::Ed448(key))
    } else if oids::is(oid, &oids::DSA) {
        // Dss-Parms ::= SEQUENCE { p, q, g }; absent, they are the issuer's
        // (RFC 3279 §2.3.2), which this check does not have: `Unsupported`.
        let Some(params) = params.filter(|p| p.tag == tag::SEQUENCE) else {
            return Some(Key::Other(Family::Dsa));
        };
        let mut pr = Reader::new(params.value);
        let mut int = || {
            pr.read()
                .ok()
                .filter(|t| t.tag == tag::INTEGER)
                .and_then(|t| unsigned(t.value))
        };
        let (p, q, g) = (int()?, int()?, int()?);
        // DSAPublicKey ::= INTEGER
        let (y, _) = split_tlv(key).ok()?;
        if y.tag != tag::INTEGER {
            return None;
        }
        Some(Key::Dsa {
            p,
            q,
            g,
            y: unsigned(y.value)?,
        })
    } else {
        Some(Key::Other(Family::Unknown))
    }
}

/// A non-negative INTEGER's contents without leading zero bytes; `None` if negative.
fn unsigned(value: &[u8]) -> Option<&[u8]> {
    let (&first, _) = value.split_first()?;
    if first & 0x80 != 0 {
        return None;
    }
    Some(crate::der::tlv::strip_zeros(value))
}

impl PssParams {
    fn scheme(self) -> Option<Scheme> {
        match (self.hash, self.mgf1_hash) {
            (Some(hash), Some(mgf)) if hash == mgf && self.trailer_ok => Some(Scheme::RsaPss {
                hash,
                salt: self.salt,
            }),
            _ => None,
        }
    }
}

/// Decides [`CertInfo::self_signed`]: a self-issued certificate whose own key
/// verifies its signature. Parsing (`x509`) never verifies; the stage after it does.
pub fn settle_self_signed(info: &mut CertInfo) {
    info.self_signed = info.self_issued && verify_remembered(info, info) == Verdict::Valid;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dsa_key_whose_g_is_wider_than_p_is_invalid_not_a_panic() {
        // Found by fuzzing cert_parse at b448ddd: crypto-bigint asserted
        // (panicked) on a g of another precision than p.
        let der = include_bytes!("../fixtures/regress/cert_parse-dsa-wide-g.der");
        if let Ok(info) = crate::x509::parse(der, 0, None) {
            let _ = verify(&info, &info);
        }
        assert_eq!(
            verify_dsa(
                &[0xff; 128],
                &[0xff; 20],
                &[1; 136],
                &[1; 128],
                &[0; 20],
                &[]
            ),
            Verdict::Invalid
        );
    }

    #[test]
    fn bit_lengths_ignore_leading_zero_bytes() {
        assert_eq!(bit_len(&[]), 0);
        assert_eq!(bit_len(&[0, 0]), 0);
        assert_eq!(bit_len(&[0, 1]), 1);
        assert_eq!(bit_len(&[0x80, 0]), 16);
        assert_eq!(bit_len(&[0, 0x0f, 0xff]), 12);
        assert_eq!(rsa_modulus_bits(&[0x30, 0x00]), None);
    }

    #[test]
    fn pss_parameters_default_to_sha1() {
        let p = PssParams::read(None).unwrap();
        assert_eq!(
            p.scheme(),
            Some(Scheme::RsaPss {
                hash: Hash::Sha1,
                salt: 20
            })
        );
        // SHA-256, MGF1-SHA-256, salt 32 (as `openssl req -sigopt rsa_padding_mode:pss` writes).
        let der = [
            0x30, 0x34, 0xa0, 0x0f, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03,
            0x04, 0x02, 0x01, 0x05, 0x00, 0xa1, 0x1c, 0x30, 0x1a, 0x06, 0x09, 0x2a, 0x86, 0x48,
            0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
            0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0xa2, 0x03, 0x02, 0x01, 0x20,
        ];
        let (tlv, _) = split_tlv(&der).unwrap();
        let p = PssParams::read(Some(tlv)).unwrap();
        assert_eq!(
            p.scheme(),
            Some(Scheme::RsaPss {
                hash: Hash::Sha256,
                salt: 32
            })
        );
        assert!(!crate::der::alg::pss_uses_sha1(Some(tlv)));
    }

    #[test]
    fn garbage_never_panics() {
        for bytes in [
            &[][..],
            &[0x30],
            &[0x30, 0x00],
            &[0x30, 0x03, 0x06, 0x01, 0x00],
        ] {
            assert_ne!(verify_signed(bytes, bytes, b"", bytes), Verdict::Valid);
        }
    }
}

#[cfg(test)]
mod costs {
    use super::*;

    /// The served certificates of a committed chain fixture.
    fn chain(file: &str) -> Vec<CertInfo> {
        let path = format!("{}/fixtures/chains/{file}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(path).unwrap();
        let (_, certs, _) = crate::check::certificates(file, &bytes);
        certs
    }

    #[test]
    fn dsa_and_ed448_chains_verify_and_a_changed_byte_does_not() {
        for file in [
            "dsa-ordered.pem",
            "dsa-root-included.pem",
            "dsa-sha1-leaf.pem",
            "ed448.pem",
        ] {
            let c = chain(file);
            for pair in c.windows(2) {
                assert_eq!(verify(&pair[0], &pair[1]), Verdict::Valid, "{file}");
            }
            let mut forged = c[0].clone();
            let last = forged.tbs_der.len() - 1;
            forged.tbs_der[last] ^= 1;
            assert_eq!(verify(&forged, &c[1]), Verdict::Invalid, "{file}");
            let mut sig = c[0].clone();
            sig.signature.truncate(sig.signature.len() / 2);
            assert_eq!(verify(&sig, &c[1]), Verdict::Invalid, "{file}");
        }
        // The served DSA root verifies its own signature: a self-signed root.
        let root = &chain("dsa-root-included.pem")[2];
        assert!(root.self_signed);
        assert_eq!(verify(root, root), Verdict::Valid);
        // A DSA key under an Ed448 signature, and the other way: the wrong family.
        let (d, e) = (chain("dsa-ordered.pem"), chain("ed448.pem"));
        assert_eq!(verify(&d[0], &e[1]), Verdict::Invalid);
        assert_eq!(verify(&e[0], &d[1]), Verdict::Invalid);
    }

    #[test]
    fn remembered_verdicts_are_the_verifiers_own() {
        let c = chain("ed448.pem");
        for _ in 0..2 {
            assert_eq!(verify_remembered(&c[0], &c[1]), Verdict::Valid);
            assert_eq!(verify_remembered(&c[1], &c[0]), Verdict::Invalid);
        }
        // Another certificate (one signature byte changed) is its own entry.
        let mut der = c[0].der.clone();
        if let Some(last) = der.last_mut() {
            *last ^= 1;
        }
        let forged = crate::x509::parse(&der, 0, None).unwrap();
        assert_ne!(forged.sha256, c[0].sha256);
        assert_eq!(verify_remembered(&forged, &c[1]), Verdict::Invalid);
        assert_eq!(verify_remembered(&c[0], &c[1]), Verdict::Valid);
        // Past the cap the memo starts again: verdicts stay right.
        for i in 0..MEMO_ENTRIES + 2 {
            let mut k = c[1].clone();
            k.signature_algorithm_der.clear(); // invalid without any work
            k.sha256[..8].copy_from_slice(&(i as u64).to_le_bytes());
            assert_eq!(verify_remembered(&k, &c[0]), Verdict::Invalid);
        }
        assert_eq!(verify_remembered(&c[0], &c[1]), Verdict::Valid);
    }

    #[test]
    fn dsa_of_an_unlisted_size_is_unsupported_without_work() {
        // p of 1536 bits, q of 160: no FIPS 186-4 size.
        let p = [0xffu8; 192];
        let q = [0x7fu8; 20];
        let g = [2u8];
        assert_eq!(
            verify_dsa(&p, &q, &g, &[3], &[0; 20], &[0x30, 0x00]),
            Verdict::Unsupported
        );
    }

    #[test]
    fn dsa_ecdsa_and_ed448_are_charged_what_they_cost() {
        let cost = |file: &str, i: usize| check_cost(&chain(file)[i].spki_der).unwrap();
        assert_eq!(cost("dsa-ordered.pem", 1), 150); // DSA-2048
        assert_eq!(cost("dsa-sha1-leaf.pem", 1), 19); // DSA-1024
        assert_eq!(cost("ed448.pem", 1), 18);
        assert_eq!(cost("ecdsa-p256.pem", 1), 4);
        assert_eq!(cost("ecdsa-p384.pem", 1), 10);
        assert_eq!(cost("ed25519.pem", 1), 1);
        assert_eq!(cost("rsa-ordered.pem", 1), 1);
    }

    /// What one check of each algorithm costs here, for `check_cost`:
    /// `cargo test --release --lib verify::costs -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn signature_check_costs() {
        for file in [
            "rsa-ordered.pem",
            "dsa-ordered.pem",
            "dsa-sha1-leaf.pem",
            "ed448.pem",
            "ed25519.pem",
            "ecdsa-p256.pem",
            "ecdsa-p384.pem",
            "ecdsa-p521-leaf.pem",
        ] {
            let c = chain(file);
            let t = std::time::Instant::now();
            for _ in 0..20 {
                assert_eq!(verify(&c[0], &c[1]), Verdict::Valid);
            }
            eprintln!("{file}: {:?} per check", t.elapsed() / 20);
        }
    }
}
