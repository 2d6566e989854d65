//! Stage 1: bytes → certificate blocks.
//!
//! Detects the kind of an input from its content (never its name), scans PEM and
//! `openssl s_client` text tolerantly (repairing pastes), decodes DER and PKCS#7.
//! It knows nothing of X.509 fields: a block is DER bytes plus where it came from.
//! A private key's content never leaves this module, not even in part.

use crate::findings::Finding;

pub mod bare;
pub mod containers;
pub mod der;
pub mod detect;
pub mod jks;
pub mod jserial;
pub mod json;
pub mod kubernetes;
pub mod pem;
pub mod pkcs12;
pub mod pkcs7;
pub mod repair;
pub mod s_client;
pub mod tree;

pub use containers::Options;

/// The kind of an input, as named in the contract (`format` in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    SClient,
    Pem,
    Der,
    Pkcs7,
    Json,
    Kubernetes,
    Pkcs12,
    Jks,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::SClient => "s_client",
            Format::Pem => "pem",
            Format::Der => "der",
            Format::Pkcs7 => "pkcs7",
            Format::Json => "json",
            Format::Kubernetes => "kubernetes",
            Format::Pkcs12 => "pkcs12",
            Format::Jks => "jks",
        }
    }
}

/// One attribute of a name as `openssl s_client` prints it in a ` N s:… i:…` header,
/// e.g. `("CN", "example.com")`, in printed order (OpenSSL prints the most general
/// attribute first, `C` … `CN`, the DER order).
pub type HeaderName = Vec<(String, String)>;

/// A ` N s:… i:…` header line of `s_client -showcerts`, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SClientHeader {
    /// The `N` of the header (depth in the served list).
    pub depth: usize,
    /// 1-based line of the ` N s:` line.
    pub line: usize,
    /// Subject as printed (after `s:`), trimmed.
    pub subject_raw: String,
    /// Issuer as printed (after `i:`), trimmed; empty when the line was missing.
    pub issuer_raw: String,
    /// The parsed attributes; `None` when the text could not be split into attributes.
    pub subject: Option<HeaderName>,
    pub issuer: Option<HeaderName>,
    /// The length in bytes of its ` N s:` or `i:` line when one is longer than
    /// [`s_client::MAX_HEADER_LINE`]: that line's text was not kept (empty above),
    /// and the header is not compared with its certificate.
    pub too_long: Option<usize>,
}

/// One certificate's bytes, as found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The DER encoding (exactly the certificate, trailing bytes removed).
    pub der: Vec<u8>,
    /// 1-based line of the block's `BEGIN` line; `None` for DER and PKCS#7.
    pub line: Option<usize>,
    /// The s_client header printed just above this block, if any.
    pub header: Option<SClientHeader>,
    /// Where inside a container it was found (JSON Pointer, `Secret/ns/name:key`,
    /// keystore alias, PKCS#12 friendlyName or `bag N`); `None` for the other kinds.
    pub origin: Option<String>,
}

/// What an input decoded to.
#[derive(Debug, Clone)]
pub struct Decoded {
    pub format: Format,
    pub blocks: Vec<Block>,
    /// `input.*` findings (certificate: None, line set where known).
    pub findings: Vec<Finding>,
    /// What an `s_client` capture says about itself; `None` for other kinds.
    pub capture: Option<Capture>,
}

/// What an `openssl s_client` capture says about the connection, beside its blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Capture {
    /// Certificates its `Certificate chain` header lists (what the server sent);
    /// `None` without such a header.
    pub served_count: Option<usize>,
    /// Certificate blocks present in the capture (chain section, else the
    /// `Server certificate` section), readable or not.
    pub blocks_present: usize,
    /// The protocol it negotiated (`TLSv1.3`), from `Protocol  :` or `New, TLSv1.x,`.
    pub tls_version: Option<String>,
}

impl Capture {
    /// Made without `-showcerts`: the header lists more than the capture holds.
    pub fn incomplete(&self) -> bool {
        self.served_count.is_some_and(|n| n > self.blocks_present)
    }
}

/// Reads one input's bytes. `name` is only used in messages. Never panics.
///
/// The kind is detected from the content ([`detect`]): binary DER or PKCS#7 is split
/// into certificates; text is scanned once for PEM blocks (repairing pastes), and
/// `openssl s_client` header lines are attached to the blocks below them. Findings
/// name the input and, for blocks, the line of the block's BEGIN line.
///
/// An input without any certificate gets no `input.empty` here: whether a block's
/// bytes are a certificate is only known after the `cert` stage parses them, so the
/// caller (`check::certificates`) adds `input.empty` then.
pub fn read(name: &str, bytes: &[u8]) -> Decoded {
    read_with(name, bytes, &Options::default())
}

/// [`read`] with the options containers need (the password of `pkcs12` and `jks`).
/// JSON, Kubernetes manifests, PKCS#12 and Java keystores are recognised from their
/// content first ([`containers`]); everything else is read as before.
pub fn read_with(name: &str, bytes: &[u8], options: &Options) -> Decoded {
    containers::read(name, bytes, options).unwrap_or_else(|| read_plain(name, bytes))
}

/// A file's or a container value's bytes as PEM, DER, PKCS#7 or `s_client` text
/// (never a container), with bare base64 DER as a last resort.
pub fn read_plain(name: &str, bytes: &[u8]) -> Decoded {
    let decoded = read_at(name, bytes, 1);
    if decoded.blocks.is_empty()
        && decoded.findings.is_empty()
        && let Some(bare) = bare::read(name, bytes)
    {
        return bare;
    }
    decoded
}

/// [`read`] of bytes whose first line is line `first_line` of the input: line
/// numbers (of blocks and findings, messages included) refer to the whole input.
pub fn read_at(name: &str, bytes: &[u8], first_line: usize) -> Decoded {
    match detect::binary_format(bytes) {
        Some(Format::Pkcs7) => return pkcs7::read(name, bytes),
        Some(_) => return der::read(name, bytes),
        None => {}
    }
    let (mut decoded, evidence) = read_piece(name, bytes, first_line);
    decoded.findings.extend(evidence.reflowed(name));
    decoded
}

/// A piece of a text input that starts at line `first_line` (`check --bundle` reads
/// a large bundle in pieces cut after END lines; the caller has decided the input is
/// text). Its findings leave out `input.reflowed`: the pieces' [`Evidence`], merged,
/// makes that one finding for the whole input, and tells its format.
pub fn read_piece(name: &str, bytes: &[u8], first_line: usize) -> (Decoded, Evidence) {
    let (text, utf16) = detect::decode_text(bytes);
    let mut collector = s_client::Collector::default();
    let mut summary = pem::scan_at(name, &text, &mut collector, first_line);
    if utf16 && !collector.blocks.is_empty() {
        summary.repairs.note(repair::Repair::Utf16, 1);
    }
    let evidence = Evidence {
        s_client: collector.s_client,
        certificate_blocks: summary.certificate_blocks,
        pkcs7_blocks: summary.pkcs7_blocks,
        repairs: summary.repairs,
    };
    let capture = collector.capture();
    let format = evidence.format();
    let decoded = Decoded {
        format,
        blocks: collector.blocks,
        findings: summary.findings,
        capture: (format == Format::SClient).then_some(capture),
    };
    (decoded, evidence)
}

/// What the scan of a text input saw that decides its [`Format`] and its
/// `input.reflowed` finding; the pieces of one input merge theirs.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    s_client: bool,
    certificate_blocks: usize,
    pkcs7_blocks: usize,
    repairs: repair::Repairs,
}

impl Evidence {
    /// Adds a later piece's evidence.
    pub fn merge(&mut self, other: &Evidence) {
        self.s_client |= other.s_client;
        self.certificate_blocks += other.certificate_blocks;
        self.pkcs7_blocks += other.pkcs7_blocks;
        self.repairs.merge(&other.repairs);
    }

    pub fn format(&self) -> Format {
        detect::text_format(self.s_client, self.certificate_blocks, self.pkcs7_blocks)
    }

    /// The input's `input.reflowed` finding, if anything was repaired.
    pub fn reflowed(&self, name: &str) -> Option<Finding> {
        self.repairs.finding(name)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! Shared test material. Every certificate and key here is a throwaway made for
    //! these tests with OpenSSL 3.0.19; none protects anything.

    use super::*;
    use crate::findings::Code;

    /// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=t -days 1 -keyout /dev/null`
    pub const T_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBbjCCAROgAwIBAgIUaOaWAhWi27EeKUJm/45eb2BCC1IwCgYIKoZIzj0EAwIw
DDEKMAgGA1UEAwwBdDAeFw0yNjExMjMxNTE5MjRaFw0yNjExMjQxNTE5MjRaMAwx
CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASOVKaRIERo4ubw
TvoqzTL1mc6iTPXNVSi4Ps/SlCwaYYvWqdXDINMoT/FMvQgxy7edh0e3br5PWgGB
WH8nUosco1MwUTAdBgNVHQ4EFgQUol8vbiMNqtGHOj4USlkO3brfFPYwHwYDVR0j
BBgwFoAUol8vbiMNqtGHOj4USlkO3brfFPYwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNJADBGAiEAoWrmlbzFxkbesZxq7UQ2kST2qqWyc58b/JAlecMLonUC
IQDxCk7tHbMYbWY1K3wozeAjVZunX+FdcyRni8a4j5rosw==
-----END CERTIFICATE-----
";

    /// `T_PEM` after `openssl x509 -trustout -addtrust serverAuth`.
    pub const TRUSTED_PEM: &str = r"-----BEGIN TRUSTED CERTIFICATE-----
MIIBbjCCAROgAwIBAgIUaOaWAhWi27EeKUJm/45eb2BCC1IwCgYIKoZIzj0EAwIw
DDEKMAgGA1UEAwwBdDAeFw0yNjExMjMxNTE5MjRaFw0yNjExMjQxNTE5MjRaMAwx
CjAIBgNVBAMMAXQwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASOVKaRIERo4ubw
TvoqzTL1mc6iTPXNVSi4Ps/SlCwaYYvWqdXDINMoT/FMvQgxy7edh0e3br5PWgGB
WH8nUosco1MwUTAdBgNVHQ4EFgQUol8vbiMNqtGHOj4USlkO3brfFPYwHwYDVR0j
BBgwFoAUol8vbiMNqtGHOj4USlkO3brfFPYwDwYDVR0TAQH/BAUwAwEB/zAKBggq
hkjOPQQDAgNJADBGAiEAoWrmlbzFxkbesZxq7UQ2kST2qqWyc58b/JAlecMLonUC
IQDxCk7tHbMYbWY1K3wozeAjVZunX+FdcyRni8a4j5roszAMMAoGCCsGAQUFBwMB
-----END TRUSTED CERTIFICATE-----
";

    /// A leaf `CN=localhost` issued by `CA_PEM` (`openssl x509 -req -CA ca.pem`).
    pub const LEAF_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIBYjCCAQgCFAb2ae79mrtqSeFtVngiXKfH9QKkMAoGCCqGSM49BAMCMFMxCzAJ
BgNVBAYTAlVTMRMwEQYDVQQKDApBY21lLCBJbmMuMR4wDAYDVQQDDAXDnG7DrzAO
BgNVBAsMB3EidW9cdGUxDzANBgNVBAMMBlJvb3Q7eDAeFw0yNjExMjMxNDMzMTZa
Fw0yNjExMjQxNDMzMTZaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49
AgEGCCqGSM49AwEHA0IABFAVAN/Pm0XjVIypSBvHNYwCtT2vC+lQhFqEmTwuhGbC
ldH0q77Y1iE8BK3g/lToAndKqgT5hxum8zQeUzAzaT4wCgYIKoZIzj0EAwIDSAAw
RQIgEidDFaGXfzaz/VORzba9yJY5xRuGI6pyPwi6pm6IeCICIQDOxpS9RSpPz2zH
d2UI7C8qs307fg+6GZ49yYJtLsfkSg==
-----END CERTIFICATE-----
";

    /// A self-signed root with a multi-valued RDN and UTF-8:
    /// `openssl req -x509 -utf8 -multivalue-rdn -subj '/C=US/O=Acme, Inc./OU=q"uo\\te+CN=Ünï/CN=Root;x'`
    pub const CA_PEM: &str = r"-----BEGIN CERTIFICATE-----
MIIB/DCCAaGgAwIBAgIUQ7Oeu4vn7X/xFfv2SZggwgPbha4wCgYIKoZIzj0EAwIw
UzELMAkGA1UEBhMCVVMxEzARBgNVBAoMCkFjbWUsIEluYy4xHjAMBgNVBAMMBcOc
bsOvMA4GA1UECwwHcSJ1b1x0ZTEPMA0GA1UEAwwGUm9vdDt4MB4XDTI2MTEyMzE0
MzMxNloXDTI2MTEyNTE0MzMxNlowUzELMAkGA1UEBhMCVVMxEzARBgNVBAoMCkFj
bWUsIEluYy4xHjAMBgNVBAMMBcOcbsOvMA4GA1UECwwHcSJ1b1x0ZTEPMA0GA1UE
AwwGUm9vdDt4MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkMQOXgRcZ+p/XXxN
2Tx0H/Rc2X6QwxEXeJIKbceNO5FXZcegJdTMZWkz6xgpeWBYZdYsw83R7/P5DD9M
RTKpkKNTMFEwHQYDVR0OBBYEFEscC+3eFtxr/4ubftpkail5/MH0MB8GA1UdIwQY
MBaAFEscC+3eFtxr/4ubftpkail5/MH0MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZI
zj0EAwIDSQAwRgIhAMZCyYGU+qhOZb3eyqDwcRl8ghWql89mJD0FrglPMJtKAiEA
opGpuiRrxc2gGmkKw8aih09AHOgUK+JEk1G/PxonW+8=
-----END CERTIFICATE-----
";

    /// `openssl crl2pkcs7 -nocrl -certfile chain.pem` (LEAF_PEM then CA_PEM).
    pub const P7B_PEM: &str = r"-----BEGIN PKCS7-----
MIIDkQYJKoZIhvcNAQcCoIIDgjCCA34CAQExADALBgkqhkiG9w0BBwGgggNmMIIB
YjCCAQgCFAb2ae79mrtqSeFtVngiXKfH9QKkMAoGCCqGSM49BAMCMFMxCzAJBgNV
BAYTAlVTMRMwEQYDVQQKDApBY21lLCBJbmMuMR4wDAYDVQQDDAXDnG7DrzAOBgNV
BAsMB3EidW9cdGUxDzANBgNVBAMMBlJvb3Q7eDAeFw0yNjExMjMxNDMzMTZaFw0y
NjExMjQxNDMzMTZaMBQxEjAQBgNVBAMMCWxvY2FsaG9zdDBZMBMGByqGSM49AgEG
CCqGSM49AwEHA0IABFAVAN/Pm0XjVIypSBvHNYwCtT2vC+lQhFqEmTwuhGbCldH0
q77Y1iE8BK3g/lToAndKqgT5hxum8zQeUzAzaT4wCgYIKoZIzj0EAwIDSAAwRQIg
EidDFaGXfzaz/VORzba9yJY5xRuGI6pyPwi6pm6IeCICIQDOxpS9RSpPz2zHd2UI
7C8qs307fg+6GZ49yYJtLsfkSjCCAfwwggGhoAMCAQICFEOznruL5+1/8RX79kmY
IMID24WuMAoGCCqGSM49BAMCMFMxCzAJBgNVBAYTAlVTMRMwEQYDVQQKDApBY21l
LCBJbmMuMR4wDAYDVQQDDAXDnG7DrzAOBgNVBAsMB3EidW9cdGUxDzANBgNVBAMM
BlJvb3Q7eDAeFw0yNjExMjMxNDMzMTZaFw0yNjExMjUxNDMzMTZaMFMxCzAJBgNV
BAYTAlVTMRMwEQYDVQQKDApBY21lLCBJbmMuMR4wDAYDVQQDDAXDnG7DrzAOBgNV
BAsMB3EidW9cdGUxDzANBgNVBAMMBlJvb3Q7eDBZMBMGByqGSM49AgEGCCqGSM49
AwEHA0IABJDEDl4EXGfqf118Tdk8dB/0XNl+kMMRF3iSCm3HjTuRV2XHoCXUzGVp
M+sYKXlgWGXWLMPN0e/z+Qw/TEUyqZCjUzBRMB0GA1UdDgQWBBRLHAvt3hbca/+L
m37aZGopefzB9DAfBgNVHSMEGDAWgBRLHAvt3hbca/+Lm37aZGopefzB9DAPBgNV
HRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDGQsmBlPqoTmW93sqg8HEZ
fIIVqpfPZiQ9Ba4JTzCbSgIhAKKRqboka8XNoBppCsPGoodPQBzoFCviRJNRvz8a
J1vvMQA=
-----END PKCS7-----
";

    /// `openssl cms -sign -in msg.txt -signer leaf.pem -inkey leaf.key -certfile ca.pem
    /// -outform DER -stream` | base64: BER with indefinite lengths.
    pub const BER_SIGNED_B64: &str = r"MIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgEwgAYJKoZIhvcNAQcB
oIAkgAQEaGkNCgAAAAAAAKCCA2YwggFiMIIBCAIUBvZp7v2au2pJ4W1WeCJcp8f1
AqQwCgYIKoZIzj0EAwIwUzELMAkGA1UEBhMCVVMxEzARBgNVBAoMCkFjbWUsIElu
Yy4xHjAMBgNVBAMMBcOcbsOvMA4GA1UECwwHcSJ1b1x0ZTEPMA0GA1UEAwwGUm9v
dDt4MB4XDTI2MTEyMzE0MzMxNloXDTI2MTEyNDE0MzMxNlowFDESMBAGA1UEAwwJ
bG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEUBUA38+bReNUjKlI
G8c1jAK1Pa8L6VCEWoSZPC6EZsKV0fSrvtjWITwEreD+VOgCd0qqBPmHG6bzNB5T
MDNpPjAKBggqhkjOPQQDAgNIADBFAiASJ0MVoZd/NrP9U5HNtr3IljnFG4YjqnI/
CLqmboh4IgIhAM7GlL1FKk/PbMd3ZQjsLyqzfTt+D7oZnj3Jgm0ux+RKMIIB/DCC
AaGgAwIBAgIUQ7Oeu4vn7X/xFfv2SZggwgPbha4wCgYIKoZIzj0EAwIwUzELMAkG
A1UEBhMCVVMxEzARBgNVBAoMCkFjbWUsIEluYy4xHjAMBgNVBAMMBcOcbsOvMA4G
A1UECwwHcSJ1b1x0ZTEPMA0GA1UEAwwGUm9vdDt4MB4XDTI2MTEyMzE0MzMxNloX
DTI2MTEyNTE0MzMxNlowUzELMAkGA1UEBhMCVVMxEzARBgNVBAoMCkFjbWUsIElu
Yy4xHjAMBgNVBAMMBcOcbsOvMA4GA1UECwwHcSJ1b1x0ZTEPMA0GA1UEAwwGUm9v
dDt4MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEkMQOXgRcZ+p/XXxN2Tx0H/Rc
2X6QwxEXeJIKbceNO5FXZcegJdTMZWkz6xgpeWBYZdYsw83R7/P5DD9MRTKpkKNT
MFEwHQYDVR0OBBYEFEscC+3eFtxr/4ubftpkail5/MH0MB8GA1UdIwQYMBaAFEsc
C+3eFtxr/4ubftpkail5/MH0MA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
SQAwRgIhAMZCyYGU+qhOZb3eyqDwcRl8ghWql89mJD0FrglPMJtKAiEAopGpuiRr
xc2gGmkKw8aih09AHOgUK+JEk1G/PxonW+8xggG8MIIBuAIBATBrMFMxCzAJBgNV
BAYTAlVTMRMwEQYDVQQKDApBY21lLCBJbmMuMR4wDAYDVQQDDAXDnG7DrzAOBgNV
BAsMB3EidW9cdGUxDzANBgNVBAMMBlJvb3Q7eAIUBvZp7v2au2pJ4W1WeCJcp8f1
AqQwCwYJYIZIAWUDBAIBoIHkMBgGCSqGSIb3DQEJAzELBgkqhkiG9w0BBwEwHAYJ
KoZIhvcNAQkFMQ8XDTI2MTEyMzE1MTkyNlowLwYJKoZIhvcNAQkEMSIEIERyPdTQ
4NRqPH+orKJUthwntrV4n5YXfoLIBwBAnxU1MHkGCSqGSIb3DQEJDzFsMGowCwYJ
YIZIAWUDBAEqMAsGCWCGSAFlAwQBFjALBglghkgBZQMEAQIwCgYIKoZIhvcNAwcw
DgYIKoZIhvcNAwICAgCAMA0GCCqGSIb3DQMCAgFAMAcGBSsOAwIHMA0GCCqGSIb3
DQMCAgEoMAoGCCqGSM49BAMCBEYwRAIgF+8NV8/0dOujUjsgev2f1uEKwI7SHAqw
OqNhCg4//AQCIGy+DsitFD8I2QNg+dyMI4tbnLx9sKKqCdekruheTUsQAAAAAAAA
";

    /// `openssl genpkey -algorithm ec -pkeyopt ec_paramgen_curve:P-256` (test-only).
    pub const KEY_PEM: &str = r"-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgBdE9V0+1wRkjj6Uv
3HKpnZfekpSRejKVlNETCt/n1xihRANCAASOw+1zNNaJmzuood+cAXEQ7Fbn9mld
zfuJJcgQ4aMKh1hI9HkaICNmRmUGtCfvPJF7ZNYkOkfd/tvu0+spf1y/
-----END PRIVATE KEY-----
";

    /// The bytes of the base64 lines of a PEM text (marker lines left out).
    pub fn b64(pem_text: &str) -> Vec<u8> {
        let body: String = pem_text
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        let mut decoder = ::der::pem::Base64Decoder::new(body.as_bytes()).unwrap();
        let mut out = Vec::new();
        decoder.decode_to_end(&mut out).unwrap();
        out
    }

    pub fn t_der() -> Vec<u8> {
        b64(T_PEM)
    }

    pub fn leaf_der() -> Vec<u8> {
        b64(LEAF_PEM)
    }

    pub fn ca_der() -> Vec<u8> {
        b64(CA_PEM)
    }

    fn codes(d: &Decoded) -> Vec<&'static str> {
        d.findings.iter().map(|f| f.code.as_str()).collect()
    }

    fn indent(text: &str, prefix: &str) -> String {
        text.lines().map(|l| format!("{prefix}{l}\n")).collect()
    }

    #[test]
    fn plain_pem_is_read_without_findings() {
        let d = read("t.pem", T_PEM.as_bytes());
        assert_eq!(d.format, Format::Pem);
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].der, t_der());
        assert_eq!(d.blocks[0].line, Some(1));
        assert!(d.findings.is_empty());
    }

    #[test]
    fn text_without_blocks_gives_nothing_and_no_empty_finding() {
        let d = read("notes.txt", b"just words\n");
        assert_eq!(d.format, Format::Pem);
        assert!(d.blocks.is_empty());
        assert!(d.findings.is_empty());
    }

    #[test]
    fn one_line_pem_is_reflowed() {
        // As iam-oidc-thumbprint.txt pastes it: indented, base64 chunks separated by spaces.
        let body: Vec<&str> = T_PEM.lines().collect();
        let one_line = format!("To obtain it:\n\n    {}\n\nThen save it.\n", body.join(" "));
        let d = read("iam.txt", one_line.as_bytes());
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].der, t_der());
        assert_eq!(d.blocks[0].line, Some(3));
        assert_eq!(codes(&d), vec!["input.reflowed"]);
        assert_eq!(d.findings[0].line, Some(3));
        assert_eq!(
            d.findings[0].message,
            "iam.txt: pasted PEM was repaired to be read: a whole block on one line (line 3), indentation (line 3)"
        );
    }

    #[test]
    fn crlf_line_ends_are_reflowed() {
        let d = read("w.pem", T_PEM.replace('\n', "\r\n").as_bytes());
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(codes(&d), vec!["input.reflowed"]);
        assert!(d.findings[0].message.contains("CRLF line ends (line 1)"));
    }

    #[test]
    fn email_quote_marks_are_reflowed() {
        let text = format!("> On Monday you wrote:\n{}", indent(T_PEM, "> > "));
        let d = read("mail.txt", text.as_bytes());
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].line, Some(2));
        assert_eq!(codes(&d), vec!["input.reflowed"]);
        assert!(
            d.findings[0]
                .message
                .contains("e-mail quote marks (>) (line 2)")
        );
        assert!(!d.findings[0].message.contains("indentation"));
    }

    #[test]
    fn markdown_fences_are_reflowed() {
        let text = format!("Here it is:\n\n```pem\n{T_PEM}```\n");
        let d = read("issue.md", text.as_bytes());
        assert_eq!(d.blocks.len(), 1);
        assert_eq!(d.blocks[0].line, Some(4));
        assert!(
            d.findings[0]
                .message
                .contains("Markdown code fences (line 3)"),
            "{}",
            d.findings[0].message
        );
    }

    #[test]
    fn indentation_and_blank_lines_are_reflowed_but_trailing_spaces_are_not() {
        let mut text = indent(T_PEM, "\t");
        text = text.replacen("\n", "   \n", 2);
        text = text.replacen("\n\t", "\n\n\t", 3);
        let d = read("x.pem", text.as_bytes());
        assert_eq!(d.blocks.len(), 1, "{:?}", d.findings);
        let m = &d.findings[0].message;
        assert!(m.contains("indentation (line 1)"), "{m}");
        assert!(!m.contains("trailing"), "{m}");
        assert!(m.contains("blank lines inside a block (line 2)"), "{m}");
    }

    #[test]
    fn lines_of_another_width_are_lax_pem_and_not_a_repair() {
        let b: String = T_PEM.lines().filter(|l| !l.starts_with("-----")).collect();
        let lines: Vec<String> = b
            .as_bytes()
            .chunks(76)
            .map(|c| String::from_utf8(c.to_vec()).unwrap())
            .collect();
        let text = format!(
            "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
            lines.join("\n")
        );
        let d = read("mime.pem", text.as_bytes());
        assert_eq!(d.blocks.len(), 1);
        assert!(d.findings.is_empty(), "{:?}", d.findings);
        let d = read("trail.pem", T_PEM.replace('\n', "  \n").as_bytes());
        assert_eq!(d.blocks.len(), 1);
        assert!(d.findings.is_empty(), "{:?}", d.findings);
    }

    #[test]
    fn a_failed_block_claims_no_repair() {
        let text = "  -----BEGIN CERTIFICATE-----\r\n  CERTIFICATE Redacted\r\n  -----END CERTIFICATE-----\r\n";
        let d = read("x.txt", text.as_bytes());
        assert_eq!(codes(&d), vec!["input.bad_base64"]);
    }

    #[test]
    fn utf16_text_is_read_and_reported() {
        let mut bytes = vec![0xff, 0xfe];
        for u in T_PEM.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let d = read("ps.txt", &bytes);
        assert_eq!(d.blocks.len(), 1);
        assert!(d.findings[0].message.contains("UTF-16 text"));
    }

    #[test]
    fn the_eks_page_yields_no_certificate_and_says_why_for_each_block() {
        // The s_client part of eks-thumbprint-troubleshooting.txt, abridged: three
        // redacted blocks and a fourth whose last line was edited to end in EXAMPLE=.
        let text = "[root@ip-172-31-1-202 ~]# openssl s_client -connect oidc.eks.us-east-2.amazonaws.com:443 -showcerts
CONNECTED(00000003)
depth=0 CN = *.execute-api.us-east-2.amazonaws.com
verify return:1
---
Certificate chain
 0 s:/CN=*.execute-api.us-east-2.amazonaws.com
   i:/C=US/O=Amazon/OU=Server CA 1B/CN=Amazon
-----BEGIN CERTIFICATE-----
CERTIFICATE Redacted
-----END CERTIFICATE-----
 1 s:/C=US/O=Amazon/OU=Server CA 1B/CN=Amazon
   i:/C=US/O=Amazon/CN=Amazon Root CA 1
-----BEGIN CERTIFICATE-----
CERTIFICATE Redacted
-----END CERTIFICATE-----
 2 s:/C=US/O=Amazon/CN=Amazon Root CA 1
   i:/C=US/ST=Arizona/L=Scottsdale/O=Starfield Technologies, Inc./CN=Starfield Services Root Certificate Authority - G2
-----BEGIN CERTIFICATE-----
CERTIFICATE Redacted
-----END CERTIFICATE-----
 3 s:/C=US/ST=Arizona/L=Scottsdale/O=Starfield Technologies, Inc./CN=Starfield Services Root Certificate Authority - G2
   i:/C=US/O=Starfield Technologies, Inc./OU=Starfield Class 2 Certification Authority
-----BEGIN CERTIFICATE-----
MIIEdTCCA12gAwIBAgIJAKcOSkw0grd/MA0GCSqGSIb3DQEBCwUAMGgxCzAJBgNV
BAYTAlVTMSUwIwYDVQQKExxTdGFyZmllbGQgVGVjaG5vbG9naWVzLCBJbmMuMTIw
VsyuLAOQ1xk4meTKCRlb/weWsKh/NEnfVqn3sF/tM+2MR7cEXAMPLE=
-----END CERTIFICATE-----
---
Server certificate
subject=/CN=*.execute-api.us-east-2.amazonaws.com
issuer=/C=US/O=Amazon/OU=Server CA 1B/CN=Amazon
---

If you see more than one certificate in the output, then look for the last certificate.
";
        let d = read("eks.txt", text.as_bytes());
        assert_eq!(d.format, Format::SClient);
        assert!(d.blocks.is_empty());
        assert_eq!(codes(&d), vec!["input.bad_base64"; 4]);
        let lines: Vec<_> = d.findings.iter().map(|f| f.line.unwrap()).collect();
        assert_eq!(lines, vec![9, 14, 19, 24]);
        assert!(d.findings[0].message.starts_with("eks.txt line 9: "));
        assert!(d.findings[0].message.contains("\"CERTIFICATE Redacted\""));
        assert!(
            d.findings[3].message.contains("EXAMPLE=\""),
            "{}",
            d.findings[3].message
        );
        assert!(d.findings.iter().all(|f| f.code == Code::InputBadBase64));
    }

    #[test]
    fn a_private_key_never_appears_in_findings_or_debug_output() {
        for text in [
            format!("{KEY_PEM}{T_PEM}"),
            format!(
                "{T_PEM}{}",
                KEY_PEM.replace("PRIVATE KEY", "RSA PRIVATE KEY")
            ),
            KEY_PEM.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"),
            KEY_PEM.lines().take(2).collect::<Vec<_>>().join("\n"),
            KEY_PEM.split_whitespace().collect::<Vec<_>>().join(" "),
        ] {
            let d = read("k.pem", text.as_bytes());
            assert!(
                d.findings.iter().any(|f| f.code == Code::InputPrivateKey),
                "{text}"
            );
            let debug = format!("{d:?}");
            for line in KEY_PEM.lines().filter(|l| !l.starts_with("-----")) {
                for piece in line.as_bytes().chunks(8) {
                    let piece = std::str::from_utf8(piece).unwrap();
                    assert!(!debug.contains(piece), "key text {piece:?} leaked: {debug}");
                }
            }
        }
    }

    #[test]
    fn pkcs7_pem_and_der_have_format_pkcs7_and_no_lines() {
        let d = read("chain.p7b", P7B_PEM.as_bytes());
        assert_eq!(d.format, Format::Pkcs7);
        assert_eq!(
            d.blocks.iter().map(|b| b.der.clone()).collect::<Vec<_>>(),
            vec![leaf_der(), ca_der()]
        );
        assert!(d.blocks.iter().all(|b| b.line.is_none()));
        let d = read("chain.p7b", &b64(P7B_PEM));
        assert_eq!(d.format, Format::Pkcs7);
        assert_eq!(d.blocks.len(), 2);
        let d = read("signed.p7m", &b64(BER_SIGNED_B64));
        assert_eq!(d.format, Format::Pkcs7);
        assert_eq!(d.blocks.len(), 2);
    }

    #[test]
    fn concatenated_der_is_format_der() {
        let mut bytes = leaf_der();
        bytes.extend(ca_der());
        let d = read("chain.der", &bytes);
        assert_eq!(d.format, Format::Der);
        assert_eq!(d.blocks.len(), 2);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let samples: Vec<Vec<u8>> = (0..2000)
            .map(|i| {
                let len = (i * 7) % 300;
                (0..len)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (seed >> 24) as u8
                    })
                    .collect()
            })
            .collect();
        for mut s in samples {
            let _ = read("fuzz", &s);
            if let Some(first) = s.first_mut() {
                *first = 0x30;
            }
            if let Some(second) = s.get_mut(1) {
                *second = 0x80;
            }
            let _ = read("fuzz", &s);
        }
        let pem = T_PEM.as_bytes();
        for cut in 0..pem.len() {
            let _ = read("cut", &pem[..cut]);
        }
    }

    #[test]
    fn a_large_bundle_scans_in_linear_time() {
        let bundle = T_PEM.repeat(20_000);
        let start = std::time::Instant::now();
        let d = read("bundle.pem", bundle.as_bytes());
        assert_eq!(d.blocks.len(), 20_000);
        assert!(start.elapsed().as_secs() < 10);
    }
}
