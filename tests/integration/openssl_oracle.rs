//! `openssl x509 -inform DER` as the oracle for the lenient reader's tolerated
//! paths (issue 11): certaudit reads what OpenSSL reads, so on every certificate
//! of `fixtures/malformed/`, every fixture certificate of `chains/`, and a set of
//! quirky variants of a fixture leaf built here (one per tolerated path: BER
//! lengths, padded/negative/long serials, explicit defaults, times without
//! seconds, duplicate extensions, trailing bytes…), the two must agree on the
//! serial, notBefore/notAfter, subject and issuer, the public key and the
//! signature algorithm, as `certaudit check --bundle --format json` prints them.
//!
//! Where OpenSSL refuses a certificate that certaudit reads, certaudit must say it
//! is not conforming (`input.nonconforming`); those cases are listed explicitly in
//! `OPENSSL_REFUSES` and the list must be exact. Where certaudit refuses what
//! OpenSSL reads, the test fails. Where both refuse (a truncated DER), that is
//! agreement.
//!
//! Accepted differences of presentation, normalised before comparing:
//! - names: `-nameopt RFC2253` escapes every byte above 0x7f as `\XX`
//!   (`ESC_MSB`); certaudit prints RFC 4514 with UTF-8 as is. The `\XX` runs are
//!   decoded back to UTF-8 before comparing; every other escape must be identical.
//! - serial: OpenSSL prints upper-case hex, certaudit lower-case.
//! - dates: OpenSSL's `Jun  1 00:00:00 2025 GMT` against RFC 3339.
//! - public key: OpenSSL's `-text` (`Public Key Algorithm: rsaEncryption`,
//!   `Public-Key: (2048 bit)`, `NIST CURVE: P-256`) mapped to the contract's
//!   `RSA 2048`, `EC P-256`, `Ed25519`, `DSA 2048`; a curve without a NIST name by
//!   its `ASN1 OID` (OpenSSL's name, as the contract says).
//! - dates with fractional seconds: certaudit ignores the fraction (and says so
//!   in its `input.nonconforming` note); OpenSSL prints `00:00:00.5`. The fraction
//!   is dropped before comparing.
//! - signature algorithm: the last `Signature Algorithm:` of `-text`, the outer
//!   one beside the signature value (what certaudit reports, and what a verifier
//!   uses); the first, inside tbsCertificate, is the same unless a variant makes
//!   them differ, which certaudit reports as nonconforming.
//! - SHA-256: OpenSSL's `-fingerprint` hashes its re-encoding of the certificate,
//!   certaudit the bytes as served (what was signed and what IAM hashes). Where
//!   `openssl x509 -outform DER` gives back other bytes than the input (BER
//!   lengths, a BIT STRING with unused bits), certaudit's SHA-256 is compared
//!   with `openssl dgst -sha256` of the certificate's TLV as given instead.

use crate::limits::{children, content, private_oid, read_tlv, tlv};
use crate::util::*;
use chrono::{DateTime, NaiveDateTime, Utc};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Variants OpenSSL refuses to read and certaudit reads (and must report as
/// `input.nonconforming`).
const OPENSSL_REFUSES: &[&str] = &[
    // OpenSSL 3.0: a non-minimal INTEGER.
    "serial with a redundant leading zero byte",
];

/// Variants whose notBefore OpenSSL reads but cannot interpret (`-startdate`
/// prints `Bad time value`) and certaudit reads (as UTC), reporting
/// `input.nonconforming`.
const OPENSSL_BAD_TIME: &[&str] = &["UTCTime without a time zone"];

struct Candidate {
    origin: String,
    der: Vec<u8>,
}

/// What one reader made of a certificate.
#[derive(Debug, PartialEq)]
struct Facts {
    serial: String,
    not_before: String,
    not_after: String,
    subject: String,
    issuer: String,
    public_key: String,
    signature_algorithm: String,
    sha256: String,
}

// ---------------------------------------------------------------------------
// Candidates.

/// CERTIFICATE blocks of a text file, read leniently: a BEGIN line, the base64
/// up to the next END line (a block whose END comes after another BEGIN, or never,
/// is truncated and left out; so is a body that is not base64).
fn lenient_blocks(origin: &str, text: &str, out: &mut Vec<Candidate>) {
    use base64::Engine as _;
    let mut body: Option<String> = None;
    let mut n = 0;
    for line in text.lines() {
        let line = line.trim();
        if line == "-----BEGIN CERTIFICATE-----" {
            body = Some(String::new());
        } else if line == "-----END CERTIFICATE-----" {
            if let Some(b) = body.take()
                && let Ok(der) = base64::engine::general_purpose::STANDARD.decode(b)
            {
                out.push(Candidate {
                    origin: format!("{origin} #{n}"),
                    der,
                });
                n += 1;
            }
        } else if let Some(b) = body.as_mut() {
            b.push_str(line);
        }
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    v.sort();
    v
}

fn fixture_candidates() -> Vec<Candidate> {
    let mut out = Vec::new();
    for dir in ["malformed", "chains"] {
        for f in files(&fixtures().join(dir)) {
            let origin = format!("{dir}/{}", f.file_name().unwrap().to_string_lossy());
            let bytes = std::fs::read(&f).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            if text.contains("-----BEGIN") {
                lenient_blocks(&origin, &text, &mut out);
            } else if f.extension().is_some_and(|e| e == "der" || e == "bin") {
                // A DER file (or binary garbage): one candidate.
                out.push(Candidate { origin, der: bytes });
            }
        }
    }
    out
}

/// Replaces the `i`-th field of tbsCertificate by what `f` makes of it.
fn edit_tbs(cert: &[u8], edit: impl FnOnce(&mut Vec<Vec<u8>>)) -> Vec<u8> {
    let parts: Vec<&[u8]> = children(content(cert));
    let mut fields: Vec<Vec<u8>> = children(content(parts[0]))
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    edit(&mut fields);
    let mut body = tlv(0x30, &fields.concat());
    for p in &parts[1..] {
        body.extend_from_slice(p);
    }
    tlv(0x30, &body)
}

/// Index of the first tbsCertificate field after the optional `[0]` version.
fn serial_index(fields: &[Vec<u8>]) -> usize {
    usize::from(fields[0][0] == 0xa0)
}

/// Appends `ext` to the `[3]` extensions of `fields`.
fn push_extension(fields: &mut [Vec<u8>], ext: Vec<u8>) {
    if let Some(exts) = fields.iter_mut().find(|f| f[0] == 0xa3) {
        let mut all = content(content(exts)).to_vec();
        all.extend(ext);
        *exts = tlv(0xa3, &tlv(0x30, &all));
    }
}

/// Replaces the notBefore of `fields` by a time of tag `tag` and text `text`.
fn set_not_before(fields: &mut [Vec<u8>], tag: u8, text: &str) {
    let v = serial_index(fields) + 3;
    let times: Vec<Vec<u8>> = children(content(&fields[v]))
        .into_iter()
        .map(<[u8]>::to_vec)
        .collect();
    let mut body = tlv(tag, text.as_bytes());
    body.extend_from_slice(&times[1]);
    fields[v] = tlv(0x30, &body);
}

/// Re-encodes the outer SEQUENCE's length in a longer form than needed (BER).
fn ber_outer_length(cert: &[u8]) -> Vec<u8> {
    let (_, header, total) = read_tlv(cert);
    let len = total - header;
    let mut out = vec![0x30, 0x84];
    out.extend((len as u32).to_be_bytes());
    out.extend_from_slice(&cert[header..]);
    out
}

fn quirky_variants() -> Vec<Candidate> {
    let leaf = std::fs::read_to_string(fixtures().join("chains/rsa-ordered.pem")).unwrap();
    let mut base = Vec::new();
    lenient_blocks("leaf", &leaf, &mut base);
    let leaf = base.swap_remove(0).der;
    let serial_with = |bytes: &[u8]| {
        let bytes = bytes.to_vec();
        edit_tbs(&leaf, move |f| {
            let i = serial_index(f);
            f[i] = tlv(0x02, &bytes);
        })
    };
    let ext = |critical: &[u8]| {
        let mut e = private_oid(1);
        e.extend_from_slice(critical);
        e.extend(tlv(0x04, &[0x05, 0x00]));
        tlv(0x30, &e)
    };
    let mut v: Vec<(&str, Vec<u8>)> = vec![
        ("BER length of the outer SEQUENCE", ber_outer_length(&leaf)),
        ("trailing bytes after the certificate", {
            let mut d = leaf.clone();
            d.extend([0, 0]);
            d
        }),
        ("extra field after the signature", {
            let parts = children(content(&leaf));
            let mut body = parts.concat();
            body.extend([0x05, 0x00]);
            tlv(0x30, &body)
        }),
        (
            "serial with a redundant leading zero byte",
            serial_with(&[0x00, 0x10, 0x03]),
        ),
        ("negative serial", serial_with(&[0xff, 0x10])),
        ("serial of 25 octets", serial_with(&[0x11; 25])),
        ("zero serial", serial_with(&[0x00])),
        (
            "explicit version v1 with extensions",
            edit_tbs(&leaf, |f| f[0] = tlv(0xa0, &tlv(0x02, &[0x00]))),
        ),
        (
            "UTCTime without seconds",
            edit_tbs(&leaf, |f| set_not_before(f, 0x17, "2506010000Z")),
        ),
        (
            "GeneralizedTime before 2050",
            edit_tbs(&leaf, |f| set_not_before(f, 0x18, "20250601000000Z")),
        ),
        (
            "GeneralizedTime with fractional seconds",
            edit_tbs(&leaf, |f| set_not_before(f, 0x18, "20250601000000.5Z")),
        ),
        (
            "UTCTime with a time-zone offset",
            edit_tbs(&leaf, |f| set_not_before(f, 0x17, "250601000000+0100")),
        ),
        (
            "UTCTime without a time zone",
            edit_tbs(&leaf, |f| set_not_before(f, 0x17, "250601000000")),
        ),
        (
            "extension with critical=FALSE explicit",
            edit_tbs(&leaf, |f| push_extension(f, ext(&[0x01, 0x01, 0x00]))),
        ),
        (
            "unknown critical extension, TRUE encoded as 0x01",
            edit_tbs(&leaf, |f| push_extension(f, ext(&[0x01, 0x01, 0x01]))),
        ),
        ("duplicate extension", {
            edit_tbs(&leaf, |f| {
                let first = f
                    .iter()
                    .find(|x| x[0] == 0xa3)
                    .map(|e| children(content(content(e)))[0].to_vec())
                    .unwrap();
                push_extension(f, first);
            })
        }),
        ("signature BIT STRING with unused bits", {
            let parts = children(content(&leaf));
            let sig = content(parts[2]);
            let mut bits = sig.to_vec();
            bits[0] = 3;
            let mut body = [parts[0], parts[1]].concat();
            body.extend(tlv(0x03, &bits));
            tlv(0x30, &body)
        }),
        ("outer signature algorithm differs from the inner one", {
            let parts = children(content(&leaf));
            // sha384WithRSAEncryption, NULL parameters.
            let alg = tlv(
                0x30,
                &[
                    tlv(
                        0x06,
                        &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c],
                    ),
                    vec![0x05, 0x00],
                ]
                .concat(),
            );
            let mut body = parts[0].to_vec();
            body.extend(alg);
            body.extend_from_slice(parts[2]);
            tlv(0x30, &body)
        }),
    ];
    // A bare hash OID as both signature algorithms (old certificates carry `md5`):
    // OpenSSL names it by the hash (issue 12: md5's OID was shown dotted).
    let hashed = |oid: &[u8]| {
        let alg = tlv(0x30, &[tlv(0x06, oid), vec![0x05, 0x00]].concat());
        let inner = alg.clone();
        let tbs_edited = edit_tbs(&leaf, move |f| {
            let i = serial_index(f) + 1;
            f[i] = inner;
        });
        let parts = children(content(&tbs_edited));
        let mut body = parts[0].to_vec();
        body.extend(alg);
        body.extend_from_slice(parts[2]);
        tlv(0x30, &body)
    };
    for (what, oid) in [
        ("md5", &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x05][..]),
        ("md2", &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x02][..]),
        ("md4", &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x02, 0x04][..]),
        ("sha1", &[0x2b, 0x0e, 0x03, 0x02, 0x1a][..]),
        (
            "sha224",
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x04][..],
        ),
        (
            "sha512-224",
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x05][..],
        ),
        (
            "sha512-256",
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x06][..],
        ),
        (
            "sha3-256",
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x08][..],
        ),
        (
            "sha3-512",
            &[0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x0a][..],
        ),
    ] {
        v.push((what, hashed(oid)));
    }
    v.drain(..)
        .map(|(what, der)| Candidate {
            origin: format!("variant: {what}"),
            der,
        })
        .collect()
}

// ---------------------------------------------------------------------------
// The two readers.

fn openssl(file: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("openssl")
        .args(["x509", "-inform", "DER", "-noout", "-in"])
        .arg(file)
        .args(args)
        .output()
        .unwrap();
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// `Jun  1 00:00:00 2025 GMT` → RFC 3339 (a fraction of a second dropped);
/// anything else as is (a difference).
fn openssl_time(s: &str) -> String {
    let s = s.trim_end_matches(" GMT");
    let without_fraction = match (s.find('.'), s.rfind(' ')) {
        (Some(dot), Some(space)) if dot < space => format!("{}{}", &s[..dot], &s[space..]),
        _ => s.to_owned(),
    };
    NaiveDateTime::parse_from_str(&without_fraction, "%b %e %H:%M:%S %Y")
        .map(|t| {
            DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        })
        .unwrap_or_else(|_| format!("openssl: {s}"))
}

/// Decodes the `\XX` byte escapes of OpenSSL's RFC 2253 output (`ESC_MSB`) back
/// to UTF-8; other escapes stay.
fn unescape_msb(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let byte = u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap();
            if byte >= 0x80 {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn openssl_public_key(text: &str) -> String {
    let field = |name: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_default()
            .to_owned()
    };
    let bits = field("Public-Key: (").trim_end_matches(" bit)").to_owned();
    match field("Public Key Algorithm:").as_str() {
        "rsaEncryption" | "rsassaPss" => format!("RSA {bits}"),
        "dsaEncryption" => format!("DSA {bits}"),
        "ED25519" => "Ed25519".to_owned(),
        "ED448" => "Ed448".to_owned(),
        "id-ecPublicKey" => {
            let nist = field("NIST CURVE:");
            if nist.is_empty() {
                format!("EC {}", field("ASN1 OID:"))
            } else {
                format!("EC {nist}")
            }
        }
        other => format!("openssl: {other}"),
    }
}

/// `openssl dgst -sha256` of `bytes`, upper-case hex.
fn openssl_sha256(bytes: &[u8]) -> String {
    use std::io::Write as _;
    let mut child = Command::new("openssl")
        .args(["dgst", "-sha256", "-r"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_ascii_uppercase()
}

fn openssl_facts(file: &Path) -> Option<Facts> {
    let fields = openssl(
        file,
        &[
            "-serial",
            "-startdate",
            "-enddate",
            "-subject",
            "-issuer",
            "-nameopt",
            "RFC2253",
            "-fingerprint",
            "-sha256",
        ],
    )?;
    let text = openssl(file, &["-text"])?;
    let reencoded = Command::new("openssl")
        .args(["x509", "-inform", "DER", "-outform", "DER", "-in"])
        .arg(file)
        .output()
        .unwrap()
        .stdout;
    let input = std::fs::read(file).unwrap();
    let (_, _, cert_len) = read_tlv(&input);
    let as_given = &input[..cert_len];
    let mut f = Facts {
        serial: String::new(),
        not_before: String::new(),
        not_after: String::new(),
        subject: String::new(),
        issuer: String::new(),
        public_key: openssl_public_key(&text),
        signature_algorithm: text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Signature Algorithm:"))
            .next_back()
            .unwrap_or_default()
            .trim()
            .to_owned(),
        sha256: String::new(),
    };
    for line in fields.lines() {
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        match k {
            "serial" => f.serial = v.to_ascii_lowercase(),
            "notBefore" => f.not_before = openssl_time(v),
            "notAfter" => f.not_after = openssl_time(v),
            "subject" => f.subject = unescape_msb(v.trim()),
            "issuer" => f.issuer = unescape_msb(v.trim()),
            "sha256 Fingerprint" | "SHA256 Fingerprint" => f.sha256 = v.replace(':', ""),
            _ => {}
        }
    }
    if reencoded != as_given {
        f.sha256 = openssl_sha256(as_given);
    }
    Some(f)
}

/// certaudit's reading: the certificate (if it read one) and whether it reported
/// `input.nonconforming` for it.
fn certaudit_facts(file: &Path) -> (Option<Facts>, bool, Vec<String>) {
    let out = certaudit()
        .args(["check", "--bundle", "--format", "json", "--at", AT])
        .arg(file)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{}: not JSON ({e}): {}",
            file.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let input = &v["inputs"][0];
    let findings: Vec<String> = input["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}: {}", f["code"], f["message"]))
        .collect();
    let nonconforming = input["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == "input.nonconforming");
    let s = |c: &serde_json::Value, k: &str| c[k].as_str().unwrap_or_default().to_owned();
    let facts = input["certificates"]
        .as_array()
        .unwrap()
        .first()
        .map(|c| Facts {
            serial: s(c, "serial"),
            not_before: s(c, "not_before"),
            not_after: s(c, "not_after"),
            subject: s(c, "subject"),
            issuer: s(c, "issuer"),
            public_key: s(c, "public_key"),
            signature_algorithm: s(c, "signature_algorithm"),
            sha256: s(c, "sha256"),
        });
    (facts, nonconforming, findings)
}

#[test]
fn openssl_reads_the_tolerated_paths_as_certaudit_does() {
    if !require(
        has_openssl(),
        "openssl is missing: no oracle for the lenient reader",
    ) {
        return;
    }
    let mut candidates = fixture_candidates();
    let fixture_count = candidates.len();
    candidates.extend(quirky_variants());
    let scratch = crate::robust::Scratch::new("openssl-oracle");
    let mut mismatches = Vec::new();
    let mut refused_by_openssl = Vec::new();
    let mut both_refuse = Vec::new();
    let mut bad_time_in_openssl = Vec::new();
    let mut compared = 0;
    let mut quirky = 0;
    for (n, c) in candidates.iter().enumerate() {
        let file = scratch.path(&format!("{n}.der"));
        std::fs::write(&file, &c.der).unwrap();
        let theirs = openssl_facts(&file);
        let (ours, nonconforming, findings) = certaudit_facts(&file);
        quirky += usize::from(nonconforming);
        match (theirs, ours) {
            (Some(mut theirs), Some(ours)) => {
                compared += 1;
                let bad_time = theirs.not_before == "openssl: Bad time value";
                if bad_time {
                    bad_time_in_openssl.push(c.origin.clone());
                    if !nonconforming {
                        mismatches.push(format!(
                            "{}: openssl cannot interpret its notBefore, certaudit reads it \
                             without input.nonconforming: {findings:?}",
                            c.origin
                        ));
                    }
                    theirs.not_before.clone_from(&ours.not_before);
                }
                if theirs != ours {
                    mismatches.push(format!(
                        "{}:\n  openssl   {theirs:?}\n  certaudit {ours:?}",
                        c.origin
                    ));
                }
            }
            (None, Some(_)) => {
                if !nonconforming {
                    mismatches.push(format!(
                        "{}: openssl refuses it, certaudit reads it without \
                         input.nonconforming: {findings:?}",
                        c.origin
                    ));
                }
                refused_by_openssl.push(c.origin.clone());
            }
            (Some(_), None) => mismatches.push(format!(
                "{}: openssl reads it, certaudit does not: {findings:?}",
                c.origin
            )),
            (None, None) => both_refuse.push(c.origin.clone()),
        }
    }
    eprintln!(
        "openssl_oracle: {} candidates ({fixture_count} from fixtures, {} variants), \
         {compared} compared, {quirky} reported input.nonconforming, \
         refused by both: {both_refuse:?}, refused by openssl only: {refused_by_openssl:?}, \
         a time openssl cannot interpret: {bad_time_in_openssl:?}",
        candidates.len(),
        candidates.len() - fixture_count
    );
    assert!(
        mismatches.is_empty(),
        "openssl and certaudit disagree:\n{}",
        mismatches.join("\n")
    );
    let listed: Vec<String> = OPENSSL_REFUSES
        .iter()
        .map(|s| format!("variant: {s}"))
        .collect();
    assert_eq!(
        refused_by_openssl, listed,
        "the certificates openssl refuses and certaudit reads (OPENSSL_REFUSES)"
    );
    let listed: Vec<String> = OPENSSL_BAD_TIME
        .iter()
        .map(|s| format!("variant: {s}"))
        .collect();
    assert_eq!(
        bad_time_in_openssl, listed,
        "the certificates whose time openssl cannot interpret (OPENSSL_BAD_TIME)"
    );
    assert!(compared >= 60, "only {compared} certificates compared");
}
