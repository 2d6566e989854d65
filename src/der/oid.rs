//! Object identifiers certaudit recognises, and the names OpenSSL gives them.
//!
//! Names follow OpenSSL's `obj_mac.h` (3.0): attribute types by their short name
//! (what `openssl x509 -subject` and `s_client` print), signature algorithms by
//! their long name (what `openssl x509 -text` prints as "Signature Algorithm").
//! OIDs are compared as encoded bytes, so no lookup allocates.

use der::oid::ObjectIdentifier as Oid;

const fn oid(s: &str) -> Oid {
    Oid::new_unwrap(s)
}

// Public key algorithms (SubjectPublicKeyInfo).
pub(crate) const RSA_ENCRYPTION: Oid = oid("1.2.840.113549.1.1.1");
pub(crate) const RSASSA_PSS: Oid = oid("1.2.840.113549.1.1.10");
pub(crate) const EC_PUBLIC_KEY: Oid = oid("1.2.840.10045.2.1");
pub(crate) const ED25519: Oid = oid("1.3.101.112");
pub(crate) const ED448: Oid = oid("1.3.101.113");
pub(crate) const X25519: Oid = oid("1.3.101.110");
pub(crate) const X448: Oid = oid("1.3.101.111");
pub(crate) const DSA: Oid = oid("1.2.840.10040.4.1");
pub(crate) const SM2_CURVE: Oid = oid("1.2.156.10197.1.301");
pub(crate) const GOST2001: Oid = oid("1.2.643.2.2.19");
pub(crate) const GOST2012_256: Oid = oid("1.2.643.7.1.1.1.1");
pub(crate) const GOST2012_512: Oid = oid("1.2.643.7.1.1.1.2");

// Named curves the signature module verifies.
pub(crate) const P256: Oid = oid("1.2.840.10045.3.1.7");
pub(crate) const P384: Oid = oid("1.3.132.0.34");
pub(crate) const P521: Oid = oid("1.3.132.0.35");

// Hash functions and MGF1 (inside RSASSA-PSS-params).
pub(crate) const SHA1: Oid = oid("1.3.14.3.2.26");
pub(crate) const SHA224: Oid = oid("2.16.840.1.101.3.4.2.4");
pub(crate) const SHA256: Oid = oid("2.16.840.1.101.3.4.2.1");
pub(crate) const SHA384: Oid = oid("2.16.840.1.101.3.4.2.2");
pub(crate) const SHA512: Oid = oid("2.16.840.1.101.3.4.2.3");
pub(crate) const MGF1: Oid = oid("1.2.840.113549.1.1.8");

// Signature algorithms the signature module verifies.
pub(crate) const SHA1_WITH_RSA: Oid = oid("1.2.840.113549.1.1.5");
pub(crate) const SHA1_WITH_RSA_OIW: Oid = oid("1.3.14.3.2.29");
pub(crate) const SHA224_WITH_RSA: Oid = oid("1.2.840.113549.1.1.14");
pub(crate) const SHA256_WITH_RSA: Oid = oid("1.2.840.113549.1.1.11");
pub(crate) const SHA384_WITH_RSA: Oid = oid("1.2.840.113549.1.1.12");
pub(crate) const SHA512_WITH_RSA: Oid = oid("1.2.840.113549.1.1.13");
pub(crate) const ECDSA_SHA1: Oid = oid("1.2.840.10045.4.1");
pub(crate) const ECDSA_SHA224: Oid = oid("1.2.840.10045.4.3.1");
pub(crate) const ECDSA_SHA256: Oid = oid("1.2.840.10045.4.3.2");
pub(crate) const ECDSA_SHA384: Oid = oid("1.2.840.10045.4.3.3");
pub(crate) const ECDSA_SHA512: Oid = oid("1.2.840.10045.4.3.4");
pub(crate) const DSA_SHA1: Oid = oid("1.2.840.10040.4.3");
pub(crate) const DSA_SHA1_OIW: Oid = oid("1.3.14.3.2.27");
pub(crate) const DSA_SHA224: Oid = oid("2.16.840.1.101.3.4.3.1");
pub(crate) const DSA_SHA256: Oid = oid("2.16.840.1.101.3.4.3.2");
pub(crate) const DSA_SHA384: Oid = oid("2.16.840.1.101.3.4.3.3");
pub(crate) const DSA_SHA512: Oid = oid("2.16.840.1.101.3.4.3.4");

// Extensions certaudit reads.
pub(crate) const BASIC_CONSTRAINTS: Oid = oid("2.5.29.19");
pub(crate) const SUBJECT_ALT_NAME: Oid = oid("2.5.29.17");
pub(crate) const SUBJECT_KEY_ID: Oid = oid("2.5.29.14");
pub(crate) const AUTHORITY_KEY_ID: Oid = oid("2.5.29.35");
pub(crate) const AUTHORITY_INFO_ACCESS: Oid = oid("1.3.6.1.5.5.7.1.1");
/// AccessDescription's accessMethod for the issuer's certificate (RFC 5280 §4.2.2.1).
pub(crate) const CA_ISSUERS: Oid = oid("1.3.6.1.5.5.7.48.2");
pub(crate) const CT_POISON: Oid = oid("1.3.6.1.4.1.11129.2.4.3");

/// Does the encoded OID `raw` equal `o`?
pub(crate) fn is(raw: &[u8], o: &Oid) -> bool {
    raw == o.as_bytes()
}

fn lookup<T: Copy>(table: &[(Oid, T)], raw: &[u8]) -> Option<T> {
    table
        .iter()
        .find(|(o, _)| o.as_bytes() == raw)
        .map(|&(_, v)| v)
}

/// Attribute types of names: OpenSSL's short name (its long name where it has
/// none), most frequent first.
static ATTRIBUTES: &[(Oid, &str)] = &[
    (oid("2.5.4.3"), "CN"),
    (oid("2.5.4.10"), "O"),
    (oid("2.5.4.6"), "C"),
    (oid("2.5.4.11"), "OU"),
    (oid("2.5.4.8"), "ST"),
    (oid("2.5.4.7"), "L"),
    (oid("1.2.840.113549.1.9.1"), "emailAddress"),
    (oid("2.5.4.5"), "serialNumber"),
    (oid("0.9.2342.19200300.100.1.25"), "DC"),
    (oid("2.5.4.97"), "organizationIdentifier"),
    (oid("2.5.4.15"), "businessCategory"),
    (oid("1.3.6.1.4.1.311.60.2.1.3"), "jurisdictionC"),
    (oid("1.3.6.1.4.1.311.60.2.1.2"), "jurisdictionST"),
    (oid("1.3.6.1.4.1.311.60.2.1.1"), "jurisdictionL"),
    (oid("2.5.4.9"), "street"),
    (oid("2.5.4.17"), "postalCode"),
    (oid("0.9.2342.19200300.100.1.1"), "UID"),
    (oid("2.5.4.4"), "SN"),
    (oid("2.5.4.42"), "GN"),
    (oid("2.5.4.12"), "title"),
    (oid("2.5.4.13"), "description"),
    (oid("2.5.4.46"), "dnQualifier"),
    (oid("2.5.4.65"), "pseudonym"),
    (oid("2.5.4.43"), "initials"),
    (oid("2.5.4.44"), "generationQualifier"),
    (oid("2.5.4.41"), "name"),
    (oid("2.5.4.16"), "postalAddress"),
    (oid("2.5.4.18"), "postOfficeBox"),
    (oid("2.5.4.19"), "physicalDeliveryOfficeName"),
    (oid("2.5.4.20"), "telephoneNumber"),
    (oid("2.5.4.23"), "facsimileTelephoneNumber"),
    (oid("2.5.4.45"), "x500UniqueIdentifier"),
    (oid("2.5.4.51"), "houseIdentifier"),
    (oid("2.5.4.54"), "dmdName"),
    (oid("2.5.4.72"), "role"),
    (oid("2.5.4.100"), "dnsName"),
    (oid("2.5.4.98"), "c3"),
    (oid("2.5.4.99"), "n3"),
    (oid("1.2.840.113549.1.9.2"), "unstructuredName"),
    (oid("1.2.840.113549.1.9.8"), "unstructuredAddress"),
    (oid("0.9.2342.19200300.100.1.3"), "mail"),
    (oid("0.9.2342.19200300.100.1.44"), "uid"),
    (oid("1.2.643.3.131.1.1"), "INN"),
    (oid("1.2.643.100.1"), "OGRN"),
    (oid("1.2.643.100.3"), "SNILS"),
    (oid("1.2.643.100.5"), "OGRNIP"),
];

/// OpenSSL's short name of an attribute type (`CN`, `emailAddress`, …).
pub(crate) fn attribute_short_name(raw: &[u8]) -> Option<&'static str> {
    lookup(ATTRIBUTES, raw)
}

/// The name RFC 4514 §3 gives an attribute type, else OpenSSL's short name.
/// RFC 4514 spells streetAddress `STREET` where OpenSSL says `street`.
pub(crate) fn attribute_display_name(raw: &[u8]) -> Option<&'static str> {
    match attribute_short_name(raw) {
        Some("street") => Some("STREET"),
        other => other,
    }
}

/// A signature algorithm: OpenSSL's long name, and whether its hash is broken
/// (MD2, MD4, MD5, SHA-1). RSASSA-PSS is weak only with a SHA-1 hash, which
/// depends on its parameters.
static SIGNATURE_ALGORITHMS: &[(Oid, (&str, bool))] = &[
    (SHA256_WITH_RSA, ("sha256WithRSAEncryption", false)),
    (ECDSA_SHA256, ("ecdsa-with-SHA256", false)),
    (ECDSA_SHA384, ("ecdsa-with-SHA384", false)),
    (SHA384_WITH_RSA, ("sha384WithRSAEncryption", false)),
    (SHA512_WITH_RSA, ("sha512WithRSAEncryption", false)),
    (SHA1_WITH_RSA, ("sha1WithRSAEncryption", true)),
    (RSASSA_PSS, ("rsassaPss", false)),
    (ED25519, ("ED25519", false)),
    (ECDSA_SHA512, ("ecdsa-with-SHA512", false)),
    (SHA224_WITH_RSA, ("sha224WithRSAEncryption", false)),
    (ECDSA_SHA224, ("ecdsa-with-SHA224", false)),
    (ECDSA_SHA1, ("ecdsa-with-SHA1", true)),
    (oid("1.2.840.113549.1.1.4"), ("md5WithRSAEncryption", true)),
    (oid("1.2.840.113549.1.1.2"), ("md2WithRSAEncryption", true)),
    (oid("1.2.840.113549.1.1.3"), ("md4WithRSAEncryption", true)),
    (
        oid("1.2.840.113549.1.1.15"),
        ("sha512-224WithRSAEncryption", false),
    ),
    (
        oid("1.2.840.113549.1.1.16"),
        ("sha512-256WithRSAEncryption", false),
    ),
    (SHA1_WITH_RSA_OIW, ("sha1WithRSA", true)),
    (oid("1.3.14.3.2.3"), ("md5WithRSA", true)),
    (oid("1.3.14.3.2.15"), ("shaWithRSAEncryption", true)),
    (oid("1.3.14.3.2.13"), ("dsaWithSHA", true)),
    (DSA_SHA1_OIW, ("dsaWithSHA1-old", true)),
    (ED448, ("ED448", false)),
    (DSA_SHA1, ("dsaWithSHA1", true)),
    (DSA_SHA224, ("dsa_with_SHA224", false)),
    (DSA_SHA256, ("dsa_with_SHA256", false)),
    (DSA_SHA384, ("dsa_with_SHA384", false)),
    (DSA_SHA512, ("dsa_with_SHA512", false)),
    (oid("2.16.840.1.101.3.4.3.5"), ("dsa_with_SHA3-224", false)),
    (oid("2.16.840.1.101.3.4.3.6"), ("dsa_with_SHA3-256", false)),
    (oid("2.16.840.1.101.3.4.3.7"), ("dsa_with_SHA3-384", false)),
    (oid("2.16.840.1.101.3.4.3.8"), ("dsa_with_SHA3-512", false)),
    (
        oid("2.16.840.1.101.3.4.3.9"),
        ("ecdsa_with_SHA3-224", false),
    ),
    (
        oid("2.16.840.1.101.3.4.3.10"),
        ("ecdsa_with_SHA3-256", false),
    ),
    (
        oid("2.16.840.1.101.3.4.3.11"),
        ("ecdsa_with_SHA3-384", false),
    ),
    (
        oid("2.16.840.1.101.3.4.3.12"),
        ("ecdsa_with_SHA3-512", false),
    ),
    (oid("2.16.840.1.101.3.4.3.13"), ("RSA-SHA3-224", false)),
    (oid("2.16.840.1.101.3.4.3.14"), ("RSA-SHA3-256", false)),
    (oid("2.16.840.1.101.3.4.3.15"), ("RSA-SHA3-384", false)),
    (oid("2.16.840.1.101.3.4.3.16"), ("RSA-SHA3-512", false)),
    (oid("1.2.156.10197.1.501"), ("SM2-with-SM3", false)),
    (
        oid("1.2.643.2.2.3"),
        ("GOST R 34.11-94 with GOST R 34.10-2001", false),
    ),
    (
        oid("1.2.643.2.2.4"),
        ("GOST R 34.11-94 with GOST R 34.10-94", false),
    ),
    (
        oid("1.2.643.7.1.1.3.2"),
        ("GOST R 34.10-2012 with GOST R 34.11-2012 (256 bit)", false),
    ),
    (
        oid("1.2.643.7.1.1.3.3"),
        ("GOST R 34.10-2012 with GOST R 34.11-2012 (512 bit)", false),
    ),
];

/// OpenSSL's name of a signature algorithm and whether its hash is broken.
pub(crate) fn signature_algorithm(raw: &[u8]) -> Option<(&'static str, bool)> {
    lookup(SIGNATURE_ALGORITHMS, raw)
}

/// Hash functions: OpenSSL's long name (`openssl x509 -text` names a hash OID so,
/// e.g. as the algorithm of a certificate signed with a bare `md5` OID) and whether
/// it is broken (MD2, MD4, MD5, SHA-1).
static HASHES: &[(Oid, (&str, bool))] = &[
    (SHA256, ("sha256", false)),
    (SHA1, ("sha1", true)),
    (SHA384, ("sha384", false)),
    (SHA512, ("sha512", false)),
    (SHA224, ("sha224", false)),
    (oid("1.2.840.113549.2.5"), ("md5", true)),
    (oid("1.2.840.113549.2.2"), ("md2", true)),
    (oid("1.2.840.113549.2.4"), ("md4", true)),
    (oid("2.16.840.1.101.3.4.2.5"), ("sha512-224", false)),
    (oid("2.16.840.1.101.3.4.2.6"), ("sha512-256", false)),
    (oid("2.16.840.1.101.3.4.2.7"), ("sha3-224", false)),
    (oid("2.16.840.1.101.3.4.2.8"), ("sha3-256", false)),
    (oid("2.16.840.1.101.3.4.2.9"), ("sha3-384", false)),
    (oid("2.16.840.1.101.3.4.2.10"), ("sha3-512", false)),
    (oid("2.16.840.1.101.3.4.2.11"), ("shake128", false)),
    (oid("2.16.840.1.101.3.4.2.12"), ("shake256", false)),
    (oid("1.3.36.3.2.1"), ("ripemd160", false)),
    (oid("1.2.156.10197.1.401"), ("sm3", false)),
];

/// OpenSSL's name of a hash function and whether it is broken.
pub(crate) fn hash(raw: &[u8]) -> Option<(&'static str, bool)> {
    lookup(HASHES, raw)
}

/// The name certaudit gives any OID it knows of a signature algorithm, a hash or a
/// curve (the other tables are for attribute types and extensions, named where they
/// are read); `None` for the rest, shown dotted.
pub(crate) fn name(raw: &[u8]) -> Option<&'static str> {
    signature_algorithm(raw)
        .or_else(|| hash(raw))
        .map(|(name, _)| name)
        .or_else(|| curve_name(raw))
}

/// Named elliptic curves: the NIST name where there is one (as the contract's
/// `EC P-256`), else OpenSSL's short name.
static CURVES: &[(Oid, &str)] = &[
    (P256, "P-256"),
    (P384, "P-384"),
    (P521, "P-521"),
    (oid("1.3.132.0.33"), "P-224"),
    (oid("1.2.840.10045.3.1.1"), "P-192"),
    (oid("1.3.132.0.10"), "secp256k1"),
    (oid("1.3.36.3.3.2.8.1.1.7"), "brainpoolP256r1"),
    (oid("1.3.36.3.3.2.8.1.1.11"), "brainpoolP384r1"),
    (oid("1.3.36.3.3.2.8.1.1.13"), "brainpoolP512r1"),
    (oid("1.3.36.3.3.2.8.1.1.5"), "brainpoolP224r1"),
    (oid("1.3.36.3.3.2.8.1.1.9"), "brainpoolP320r1"),
    (oid("1.3.36.3.3.2.8.1.1.3"), "brainpoolP192r1"),
    (oid("1.3.36.3.3.2.8.1.1.8"), "brainpoolP256t1"),
    (oid("1.3.36.3.3.2.8.1.1.12"), "brainpoolP384t1"),
    (oid("1.3.36.3.3.2.8.1.1.14"), "brainpoolP512t1"),
    (oid("1.2.840.10045.3.1.2"), "prime192v2"),
    (oid("1.2.840.10045.3.1.3"), "prime192v3"),
    (oid("1.2.840.10045.3.1.4"), "prime239v1"),
    (oid("1.2.840.10045.3.1.5"), "prime239v2"),
    (oid("1.2.840.10045.3.1.6"), "prime239v3"),
    (oid("1.3.132.0.31"), "secp192k1"),
    (oid("1.3.132.0.32"), "secp224k1"),
    (oid("1.3.132.0.8"), "secp160r1"),
    (oid("1.3.132.0.9"), "secp160k1"),
    (oid("1.3.132.0.30"), "secp160r2"),
    (oid("1.3.132.0.1"), "sect163k1"),
    (oid("1.3.132.0.15"), "sect163r2"),
    (oid("1.3.132.0.26"), "sect233k1"),
    (oid("1.3.132.0.27"), "sect233r1"),
    (oid("1.3.132.0.16"), "sect283k1"),
    (oid("1.3.132.0.17"), "sect283r1"),
    (oid("1.3.132.0.36"), "sect409k1"),
    (oid("1.3.132.0.37"), "sect409r1"),
    (oid("1.3.132.0.38"), "sect571k1"),
    (oid("1.3.132.0.39"), "sect571r1"),
    (SM2_CURVE, "SM2"),
];

/// The name of a named curve (`P-256`, `secp256k1`, `brainpoolP256r1`).
pub(crate) fn curve_name(raw: &[u8]) -> Option<&'static str> {
    lookup(CURVES, raw)
}

/// Extensions a certificate validator is expected to understand: RFC 5280 §4.2
/// and the few others that TLS certificates carry. A critical extension outside
/// this list makes strict validators reject the certificate.
static KNOWN_EXTENSIONS: &[(Oid, ())] = &[
    (oid("2.5.29.14"), ()),
    (oid("2.5.29.15"), ()),
    (oid("2.5.29.17"), ()),
    (oid("2.5.29.18"), ()),
    (oid("2.5.29.19"), ()),
    (oid("2.5.29.30"), ()),
    (oid("2.5.29.31"), ()),
    (oid("2.5.29.32"), ()),
    (oid("2.5.29.33"), ()),
    (oid("2.5.29.35"), ()),
    (oid("2.5.29.36"), ()),
    (oid("2.5.29.37"), ()),
    (oid("2.5.29.46"), ()),
    (oid("2.5.29.54"), ()),
    (oid("2.5.29.9"), ()),
    (oid("1.3.6.1.5.5.7.1.1"), ()),
    (oid("1.3.6.1.5.5.7.1.11"), ()),
    (oid("1.3.6.1.5.5.7.1.3"), ()),
    (oid("1.3.6.1.5.5.7.1.24"), ()),
    (oid("1.3.6.1.5.5.7.1.7"), ()),
    (oid("1.3.6.1.5.5.7.1.8"), ()),
    (oid("1.3.6.1.5.5.7.1.14"), ()),
    (oid("1.3.6.1.4.1.11129.2.4.2"), ()),
    (oid("2.16.840.1.113730.1.1"), ()),
];

pub(crate) fn is_known_extension(raw: &[u8]) -> bool {
    lookup(KNOWN_EXTENSIONS, raw).is_some()
}

/// Human name of an extension for notes: OpenSSL's short name, else dotted.
pub(crate) fn extension_name(raw: &[u8]) -> String {
    static NAMES: &[(Oid, &str)] = &[
        (oid("2.5.29.14"), "subjectKeyIdentifier"),
        (oid("2.5.29.15"), "keyUsage"),
        (oid("2.5.29.17"), "subjectAltName"),
        (oid("2.5.29.18"), "issuerAltName"),
        (oid("2.5.29.19"), "basicConstraints"),
        (oid("2.5.29.30"), "nameConstraints"),
        (oid("2.5.29.31"), "crlDistributionPoints"),
        (oid("2.5.29.32"), "certificatePolicies"),
        (oid("2.5.29.33"), "policyMappings"),
        (oid("2.5.29.35"), "authorityKeyIdentifier"),
        (oid("2.5.29.36"), "policyConstraints"),
        (oid("2.5.29.37"), "extendedKeyUsage"),
        (oid("2.5.29.46"), "freshestCRL"),
        (oid("2.5.29.54"), "inhibitAnyPolicy"),
        (oid("1.3.6.1.5.5.7.1.1"), "authorityInfoAccess"),
        (oid("1.3.6.1.4.1.11129.2.4.2"), "ct_precert_scts"),
        (oid("1.3.6.1.4.1.11129.2.4.3"), "ct_precert_poison"),
    ];
    match lookup(NAMES, raw) {
        Some(name) => name.to_owned(),
        None => super::tlv::oid_to_string(raw).unwrap_or_else(|| "(malformed OID)".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn attribute_names_and_oids_are_unique() {
        let mut names = HashSet::new();
        let mut oids = HashSet::new();
        for (o, n) in ATTRIBUTES {
            assert!(names.insert(*n), "duplicate name {n}");
            assert!(oids.insert(o.as_bytes()), "duplicate oid for {n}");
        }
    }

    #[test]
    fn hash_oids_are_named_as_openssl_names_them() {
        let named = |dotted: &str| name(Oid::new_unwrap(dotted).as_bytes());
        // md5WithRSAEncryption's inner hash, as `openssl x509 -text` prints it.
        assert_eq!(named("1.2.840.113549.2.5"), Some("md5"));
        assert_eq!(
            hash(oid("1.2.840.113549.2.5").as_bytes()),
            Some(("md5", true))
        );
        for (dotted, want, weak) in [
            ("1.2.840.113549.2.2", "md2", true),
            ("1.2.840.113549.2.4", "md4", true),
            ("1.3.14.3.2.26", "sha1", true),
            ("2.16.840.1.101.3.4.2.4", "sha224", false),
            ("2.16.840.1.101.3.4.2.1", "sha256", false),
            ("2.16.840.1.101.3.4.2.5", "sha512-224", false),
            ("2.16.840.1.101.3.4.2.6", "sha512-256", false),
            ("2.16.840.1.101.3.4.2.7", "sha3-224", false),
            ("2.16.840.1.101.3.4.2.8", "sha3-256", false),
            ("2.16.840.1.101.3.4.2.9", "sha3-384", false),
            ("2.16.840.1.101.3.4.2.10", "sha3-512", false),
            ("2.16.840.1.101.3.4.2.11", "shake128", false),
            ("2.16.840.1.101.3.4.2.12", "shake256", false),
        ] {
            assert_eq!(
                hash(Oid::new_unwrap(dotted).as_bytes()),
                Some((want, weak)),
                "{dotted}"
            );
        }
        // Signature algorithms and curves keep their own names.
        assert_eq!(named("1.2.840.113549.1.1.4"), Some("md5WithRSAEncryption"));
        assert_eq!(named("1.3.36.3.3.2.8.1.1.7"), Some("brainpoolP256r1"));
        assert_eq!(named("1.2.3.4"), None);
    }

    #[test]
    fn names_and_oids_of_every_table_are_unique() {
        for table in [SIGNATURE_ALGORITHMS, HASHES] {
            let mut names = HashSet::new();
            let mut oids = HashSet::new();
            for (o, (n, _)) in table {
                assert!(names.insert(*n), "duplicate name {n}");
                assert!(oids.insert(o.as_bytes()), "duplicate oid for {n}");
            }
        }
    }

    #[test]
    fn lookups_compare_encoded_bytes() {
        assert_eq!(attribute_short_name(&[0x55, 0x04, 0x03]), Some("CN"));
        assert_eq!(attribute_display_name(&[0x55, 0x04, 0x09]), Some("STREET"));
        assert_eq!(
            signature_algorithm(SHA256_WITH_RSA.as_bytes()),
            Some(("sha256WithRSAEncryption", false))
        );
        assert_eq!(curve_name(P384.as_bytes()), Some("P-384"));
    }
}
