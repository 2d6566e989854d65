//! RustCrypto's `x509-cert` (strict DER) as an independent oracle for
//! certaudit's lenient reader (`x509::parse`).
//!
//! Every certificate of the system CA bundle and of the PEM fixtures is decoded
//! by both. Where `x509-cert` accepts it, the two must agree on the serial, the
//! validity window, the signed tbsCertificate bytes, the signature, the
//! SubjectPublicKeyInfo, the subjectAltName dNSNames, the authorityInfoAccess
//! caIssuers URIs, basicConstraints cA and
//! the number of subject/issuer attributes. What `x509-cert` refuses (it is
//! strict DER; certaudit reads what OpenSSL reads) is listed, not failed, but at
//! least 95% of the certificates must be compared.

use certaudit::x509;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use x509_cert::der::{self, Decode, Encode, Header, Reader, SliceReader};
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, BasicConstraints, SubjectAltName};
use x509_cert::{Certificate, TbsCertificate};

const BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// One certificate block: where it came from, and its DER.
struct Block {
    origin: String,
    der: Vec<u8>,
}

/// The CERTIFICATE blocks of one PEM file (other labels, e.g. keys, skipped).
fn certificate_blocks(path: &Path, out: &mut Vec<Block>) {
    let text = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let pems = pem::parse_many(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for (n, p) in pems.iter().filter(|p| p.tag() == "CERTIFICATE").enumerate() {
        out.push(Block {
            origin: format!("{} #{n}", path.display()),
            der: p.contents().to_vec(),
        });
    }
}

/// `*.pem` directly in `dir`, sorted.
fn pem_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "pem"))
        .collect();
    files.sort();
    files
}

/// `*.pem` anywhere under `dir`, sorted.
fn pem_files_recursive(dir: &Path) -> Vec<PathBuf> {
    let mut files = pem_files(dir);
    let mut subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    subdirs.sort();
    for d in subdirs {
        files.extend(pem_files_recursive(&d));
    }
    files
}

fn hex_lower(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The serial as certaudit prints it, from the INTEGER's two's-complement bytes:
/// lower-case hex without leading zero bytes, "00" for zero, `-` and the
/// magnitude for a negative serial.
fn serial_text(twos: &[u8]) -> String {
    let negative = twos.first().is_some_and(|b| b & 0x80 != 0);
    let mut magnitude = twos.to_vec();
    if negative {
        // Negate: invert every byte, then add one.
        for b in &mut magnitude {
            *b = !*b;
        }
        for b in magnitude.iter_mut().rev() {
            let (sum, carry) = b.overflowing_add(1);
            *b = sum;
            if !carry {
                break;
            }
        }
    }
    let first = magnitude.iter().position(|&b| b != 0);
    match first {
        None => "00".to_owned(),
        Some(i) if negative => format!("-{}", hex_lower(&magnitude[i..])),
        Some(i) => hex_lower(&magnitude[i..]),
    }
}

/// The tbsCertificate TLV exactly as encoded in `der`, sliced by `der`'s reader.
fn tbs_as_encoded(der: &[u8]) -> der::Result<Vec<u8>> {
    let mut r = SliceReader::new(der)?;
    // Certificate ::= SEQUENCE { tbsCertificate, … }: past the outer header,
    // the next TLV is tbsCertificate.
    Header::decode(&mut r)?
        .tag()
        .assert_eq(der::Tag::Sequence)?;
    r.tlv_bytes().map(<[u8]>::to_vec)
}

/// Differences between `x509-cert`'s reading `x` of `der` and certaudit's
/// `info`; `normalised` gets what x509-cert re-encodes differently from the
/// input (its RFC 5280 normalisation, not a difference of reading).
fn differences(
    der: &[u8],
    x: &Certificate,
    info: &x509::CertInfo,
    normalised: &mut Vec<&'static str>,
) -> Vec<String> {
    let mut diffs = Vec::new();
    let mut check = |what: &str, ours: String, theirs: String| {
        if ours != theirs {
            diffs.push(format!("{what}: certaudit {ours}, x509-cert {theirs}"));
        }
    };
    let tbs = x.tbs_certificate();

    check(
        "serial",
        info.serial.clone(),
        serial_text(tbs.serial_number().as_bytes()),
    );
    let validity = tbs.validity();
    check(
        "notBefore",
        info.not_before.timestamp().to_string(),
        validity.not_before.to_unix_duration().as_secs().to_string(),
    );
    check(
        "notAfter",
        info.not_after.timestamp().to_string(),
        validity.not_after.to_unix_duration().as_secs().to_string(),
    );
    // The signed bytes. x509-cert's re-encoding of tbsCertificate is the input
    // only where the input is already in its RFC 5280 form: it re-encodes a
    // GeneralizedTime before 2050 as UTCTime. Where it does, certaudit must still
    // hold the bytes as encoded (they are what was signed): compare with the
    // tbsCertificate TLV sliced from the input by x509-cert's DER reader, and
    // with x509-cert's decoded tbsCertificate.
    let signed = tbs_as_encoded(der);
    match (tbs.to_der(), signed) {
        (Ok(re), Ok(signed)) if re == signed => {
            check(
                "tbsCertificate DER",
                hex_lower(&info.tbs_der),
                hex_lower(&re),
            );
        }
        (Ok(_), Ok(signed)) => {
            normalised.push("x509-cert re-encodes tbsCertificate differently from the input");
            check(
                "tbsCertificate DER",
                hex_lower(&info.tbs_der),
                hex_lower(&signed),
            );
            match TbsCertificate::from_der(&info.tbs_der) {
                Ok(t) if t == *tbs => {}
                Ok(_) => check(
                    "tbsCertificate",
                    "certaudit's bytes".to_owned(),
                    "decodes them to a different value".to_owned(),
                ),
                Err(e) => check(
                    "tbsCertificate",
                    "certaudit's bytes".to_owned(),
                    format!("refuses them: {e}"),
                ),
            }
        }
        (Err(e), _) | (_, Err(e)) => check(
            "tbsCertificate DER",
            "bytes".to_owned(),
            format!("error {e}"),
        ),
    }
    check(
        "signature",
        hex_lower(&info.signature),
        hex_lower(x.signature().raw_bytes()),
    );
    match tbs.subject_public_key_info().to_der() {
        Ok(der) => check("SPKI DER", hex_lower(&info.spki_der), hex_lower(&der)),
        Err(e) => check("SPKI DER", "bytes".to_owned(), format!("error {e}")),
    }

    // certaudit reads the first of duplicated extensions; so does this.
    let dns_names = match tbs.filter_extensions::<SubjectAltName>().next() {
        None => Ok(Vec::new()),
        Some(Ok((_, san))) => Ok(san
            .0
            .iter()
            .filter_map(|gn| match gn {
                GeneralName::DnsName(name) => Some(name.as_str().to_owned()),
                _ => None,
            })
            .collect::<Vec<_>>()),
        Some(Err(e)) => Err(e),
    };
    match dns_names {
        Ok(names) => check(
            "subjectAltName dNSNames",
            format!("{:?}", info.dns_names),
            format!("{names:?}"),
        ),
        Err(e) => check(
            "subjectAltName",
            format!("{:?}", info.dns_names),
            format!("refused the extension: {e}"),
        ),
    }
    // caIssuers URIs of the Authority Information Access (the advice names them).
    match tbs.filter_extensions::<AuthorityInfoAccessSyntax>().next() {
        None => check(
            "authorityInfoAccess caIssuers",
            format!("{:?}", info.ca_issuers),
            "[]".to_owned(),
        ),
        Some(Ok((_, aia))) => {
            let ca_issuers = der::asn1::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");
            let uris: Vec<String> = aia
                .0
                .iter()
                .filter(|d| d.access_method == ca_issuers)
                .filter_map(|d| match &d.access_location {
                    GeneralName::UniformResourceIdentifier(u) => Some(u.as_str().to_owned()),
                    _ => None,
                })
                .collect();
            check(
                "authorityInfoAccess caIssuers",
                format!("{:?}", info.ca_issuers),
                format!("{uris:?}"),
            )
        }
        Some(Err(e)) => check(
            "authorityInfoAccess",
            format!("{:?}", info.ca_issuers),
            format!("refused the extension: {e}"),
        ),
    }
    match tbs.filter_extensions::<BasicConstraints>().next() {
        None => check(
            "basicConstraints cA",
            info.ca.to_string(),
            false.to_string(),
        ),
        Some(Ok((_, bc))) => check(
            "basicConstraints cA",
            info.ca.to_string(),
            bc.ca.to_string(),
        ),
        Some(Err(e)) => check(
            "basicConstraints",
            info.ca.to_string(),
            format!("refused the extension: {e}"),
        ),
    }

    check(
        "subject attributes",
        info.subject.attrs.len().to_string(),
        tbs.subject().iter().count().to_string(),
    );
    check(
        "issuer attributes",
        info.issuer.attrs.len().to_string(),
        tbs.issuer().iter().count().to_string(),
    );
    diffs
}

#[test]
fn x509_cert_agrees_with_certaudit_on_every_certificate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let fixtures = root.join("fixtures");
    let mut blocks = Vec::new();
    let bundle = Path::new(BUNDLE);
    if crate::util::require(
        bundle.is_file(),
        &format!("{BUNDLE} is missing; comparing the fixtures only"),
    ) {
        certificate_blocks(bundle, &mut blocks);
    }
    let mut files = pem_files(&fixtures.join("real/served"));
    files.extend(pem_files(&fixtures.join("chains")));
    files.extend(pem_files_recursive(&fixtures.join("gen")));
    for f in &files {
        certificate_blocks(f, &mut blocks);
    }
    assert!(!blocks.is_empty(), "no certificates found");

    let mut compared = 0usize;
    let mut refused = Vec::new();
    let mut mismatches = Vec::new();
    let mut normalised = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let x = match Certificate::from_der(&block.der) {
            Ok(x) => x,
            Err(e) => {
                refused.push(format!("{}: {e}", block.origin));
                continue;
            }
        };
        compared += 1;
        match x509::parse(&block.der, index, None) {
            Ok(info) => {
                let mut notes = Vec::new();
                for d in differences(&block.der, &x, &info, &mut notes) {
                    mismatches.push(format!("{}: {d}", block.origin));
                }
                for n in notes {
                    normalised.push(format!("{}: {n}", block.origin));
                }
            }
            Err(e) => mismatches.push(format!(
                "{}: x509-cert reads it but certaudit refuses it: {}",
                block.origin, e.0
            )),
        }
    }

    let total = blocks.len();
    eprintln!(
        "x509_oracle: {total} certificates, {compared} compared, {} refused by x509-cert, \
         {} re-encoded differently by x509-cert, {} mismatches",
        refused.len(),
        normalised.len(),
        mismatches.len()
    );
    for r in &refused {
        eprintln!("  x509-cert refused {r}");
    }
    for n in &normalised {
        eprintln!("  {n} (its RFC 5280 time normalisation; compared with the input's bytes)");
    }
    assert!(
        mismatches.is_empty(),
        "certaudit and x509-cert disagree:\n{}",
        mismatches.join("\n")
    );
    assert!(
        compared * 100 >= total * 95,
        "only {compared} of {total} certificates were compared (x509-cert refused {})",
        refused.len()
    );
}
