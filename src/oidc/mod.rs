//! `certaudit oidc`: from a saved `/.well-known/openid-configuration` document to
//! the host(s) whose TLS chain gives the AWS IAM thumbprint, and the exact command
//! that captures that chain.
//!
//! Knows JSON, `https://` URLs and which hosts AWS trusts by itself; knows nothing
//! of certificates (the captured chain goes to `certaudit thumbprint` / `check`)
//! and never opens a connection.
//!
//! URLs are parsed by hand (RFC 3986 §3, only what an OIDC provider URL may hold):
//! the `url` crate would bring IDNA tables and WHATWG leniency we do not want, and
//! this module must reject rather than repair (userinfo, `http://`, no host).

use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

pub mod url;

pub use crate::aws::{Eks, trusted_by_aws};
use crate::check::{Probe, s_client_command};
pub use url::*;

// ---------------------------------------------------------------------------
// Errors and warnings
// ---------------------------------------------------------------------------

/// Which URL of the discovery document a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Issuer,
    JwksUri,
}

impl Field {
    /// The member name in the discovery document.
    pub const fn as_str(self) -> &'static str {
        match self {
            Field::Issuer => "issuer",
            Field::JwksUri => "jwks_uri",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a discovery document cannot be used (the CLI exits 2). Every message says
/// what to do next.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The input holds nothing but whitespace.
    Empty,
    /// A UTF-16 byte-order mark, but the rest is not UTF-16 (a half-copied file).
    BadEncoding,
    /// Not JSON. `line`/`column` are serde_json's (1-based line, column of the
    /// offending character); `hint` guesses what the file really is.
    Malformed {
        line: usize,
        column: usize,
        message: String,
        hint: Option<String>,
    },
    /// Valid JSON, but not an object (`found`: `array`, `string`, …).
    NotAnObject { found: &'static str },
    /// No `jwks_uri` member (or `null`). `looks_like_jwks`: the document has a
    /// `keys` array, i.e. it is the key set itself, not the discovery document.
    /// `issuer`: the document's issuer when it is a usable `https://` URL, so the
    /// message can give the exact command that saves the right document.
    MissingJwksUri {
        looks_like_jwks: bool,
        issuer: Option<String>,
    },
    /// `issuer` or `jwks_uri` is present but not a JSON string.
    NotAString { field: Field, found: &'static str },
    /// `issuer` or `jwks_uri` is not a usable `https://` URL. `url` never contains
    /// userinfo (it is replaced by `…@`), so a password is never echoed.
    BadUrl {
        field: Field,
        url: String,
        problem: UrlError,
    },
}

const SAVE_HOWTO: &str = "save the document the provider serves at ISSUER/.well-known/openid-configuration \
     (e.g. curl -fsS https://ISSUER/.well-known/openid-configuration -o openid-configuration.json) \
     and run certaudit oidc on that file";

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Empty => write!(
                f,
                "the OpenID Connect discovery document is empty: {SAVE_HOWTO}"
            ),
            Error::BadEncoding => write!(
                f,
                "the document starts with a UTF-16 byte-order mark but is not valid UTF-16: \
                 save it again as UTF-8 (e.g. with curl -o, not PowerShell's `>`)"
            ),
            Error::Malformed {
                line,
                column,
                message,
                hint,
            } => {
                write!(
                    f,
                    "the document is not valid JSON: {message} at line {line}, column {column}"
                )?;
                match hint {
                    Some(hint) => write!(f, "; {hint}"),
                    None => write!(
                        f,
                        "; fix the document there, or save it again from the provider \
                         (curl -fsS https://ISSUER/.well-known/openid-configuration -o openid-configuration.json)"
                    ),
                }
            }
            Error::NotAnObject { found } => write!(
                f,
                "the document is a JSON {found}, not an object: an OpenID Connect discovery document \
                 is one JSON object with \"issuer\" and \"jwks_uri\" (OpenID Connect Discovery 1.0 §3); \
                 {SAVE_HOWTO}"
            ),
            Error::MissingJwksUri {
                looks_like_jwks,
                issuer,
            } => {
                if *looks_like_jwks {
                    f.write_str(
                        "the document has no \"jwks_uri\" but a \"keys\" array: it is the JSON Web Key \
                         Set itself, not the discovery document. Either capture the chain of the host you \
                         fetched it from (that host is the jwks_uri host), or ",
                    )?;
                } else {
                    f.write_str(
                        "the document has no \"jwks_uri\": it is the URL of the provider's signing keys, \
                         and its host is the one whose certificate chain gives the IAM thumbprint. Check \
                         that this is the provider's OpenID Connect discovery document (not an OAuth 2.0 \
                         /.well-known/oauth-authorization-server document, nor a truncated copy): ",
                    )?;
                }
                match issuer {
                    Some(issuer) => write!(
                        f,
                        "save the provider's discovery document with {} and run certaudit oidc on that file",
                        fetch_command(issuer)
                    ),
                    None => f.write_str(SAVE_HOWTO),
                }
            }
            Error::NotAString { field, found } => write!(
                f,
                "\"{field}\" is a JSON {found}, not a string: it must be an https:// URL \
                 (OpenID Connect Discovery 1.0 §3); check the document is the provider's own, unedited"
            ),
            Error::BadUrl {
                field,
                url,
                problem,
            } => write!(f, "\"{field}\" {url:?} {problem}"),
        }
    }
}

/// Errors are leaves: the `BadUrl` message already includes its `UrlError`, so
/// `source()` stays `None` to avoid printing it twice through `{:#}` chains.
impl std::error::Error for Error {}

/// Something in a usable document that will likely trouble IAM. Not an error:
/// the capture command is still right.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Warning {
    /// No `issuer` (or `null`). OpenID Connect Discovery 1.0 §3 requires it, and
    /// IAM's provider URL must equal the `iss` claim of the tokens. Decided as a
    /// warning, not an error: the thumbprint only needs `jwks_uri`'s host, and the
    /// user can still take the issuer from a token.
    MissingIssuer,
    /// The issuer names a port; AWS says an IAM provider URL "should not contain a
    /// port number" (CreateOpenIDConnectProvider `Url`).
    IssuerHasPort { port: u16 },
    /// The issuer has a query or fragment: Discovery §3 forbids both, IAM rejects queries.
    IssuerHasQueryOrFragment,
}

impl Warning {
    /// A stable identifier for `--format json`.
    pub const fn code(&self) -> &'static str {
        match self {
            Warning::MissingIssuer => "oidc.missing_issuer",
            Warning::IssuerHasPort { .. } => "oidc.issuer_port",
            Warning::IssuerHasQueryOrFragment => "oidc.issuer_query",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::MissingIssuer => f.write_str(
                "the document has no \"issuer\", which OpenID Connect Discovery 1.0 §3 requires: \
                 check that you saved the whole document. IAM's provider URL must equal the \"iss\" \
                 claim of your tokens: take it from a token or from the provider's documentation",
            ),
            Warning::IssuerHasPort { port } => write!(
                f,
                "the issuer names a port (:{port}); AWS asks for an IAM provider URL without one. \
                 If IAM or STS rejects it, serve the issuer on the default HTTPS port"
            ),
            Warning::IssuerHasQueryOrFragment => f.write_str(
                "the issuer has a query or fragment, which OpenID Connect Discovery 1.0 §3 forbids \
                 and IAM does not accept in a provider URL",
            ),
        }
    }
}

// ---------------------------------------------------------------------------
// The discovery document
// ---------------------------------------------------------------------------

/// What `certaudit oidc` needs from an OpenID Connect discovery document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    /// `issuer` exactly as written; `None` when absent (see [`Warning::MissingIssuer`]).
    pub issuer: Option<String>,
    /// `jwks_uri` exactly as written.
    pub jwks_uri: String,
    /// The issuer's host, normalised (lower case, no trailing dot, IPv6 without brackets).
    pub issuer_host: Option<String>,
    /// The `jwks_uri` host, normalised likewise: the host IAM takes the thumbprint from.
    pub jwks_host: String,
    pub issuer_url: Option<HttpsUrl>,
    pub jwks_url: HttpsUrl,
    /// Set when the issuer (or, without one, the `jwks_uri`) is an EKS cluster's.
    pub eks: Option<Eks>,
    pub warnings: Vec<Warning>,
}

/// What a host to capture is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Issuer,
    JwksUri,
    /// The issuer and `jwks_uri` share host and port: one capture is enough.
    Both,
}

impl Role {
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Issuer => "issuer",
            Role::JwksUri => "jwks_uri",
            Role::Both => "both",
        }
    }
}

/// One host whose chain the user should capture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureHost {
    pub host: Host,
    pub port: u16,
    pub role: Role,
    /// [`trusted_by_aws`] of this host.
    pub aws_trusted_provider: Option<&'static str>,
}

impl CaptureHost {
    /// `openssl s_client -servername HOST -showcerts -connect HOST:PORT </dev/null`,
    /// from `check`'s one builder of such commands (no `-servername` for an IP
    /// address, an IPv6 `[…]:PORT` quoted).
    pub fn capture_command(&self) -> String {
        s_client_command(&self.host.to_string(), self.port, Probe::Chain)
    }

    /// `openssl s_client -tls1_2 -servername HOST -connect HOST:PORT </dev/null`:
    /// whether the host still accepts TLS 1.2. AWS uses the thumbprint list instead
    /// of its CA library when a host requires TLS 1.3.
    pub fn tls12_command(&self) -> String {
        s_client_command(&self.host.to_string(), self.port, Probe::Tls12)
    }

    /// The capture piped into `certaudit thumbprint`.
    pub fn thumbprint_command(&self) -> String {
        format!(
            "{} 2>/dev/null | certaudit thumbprint",
            self.capture_command()
        )
    }

    /// The capture piped into `certaudit check --host HOST`.
    pub fn check_command(&self) -> String {
        format!(
            "{} 2>/dev/null | certaudit check --host {}",
            self.capture_command(),
            self.host
        )
    }
}

impl Discovery {
    /// The hosts to capture, the `jwks_uri` host first (the one IAM uses today),
    /// then the issuer's when it differs (host or port).
    pub fn hosts(&self) -> Vec<CaptureHost> {
        let jwks = CaptureHost {
            host: self.jwks_url.host.clone(),
            port: self.jwks_url.port,
            role: Role::JwksUri,
            aws_trusted_provider: trusted_by_aws(&self.jwks_host),
        };
        match &self.issuer_url {
            Some(iss) if iss.host == jwks.host && iss.port == jwks.port => vec![CaptureHost {
                role: Role::Both,
                ..jwks
            }],
            Some(iss) => {
                let issuer = CaptureHost {
                    host: iss.host.clone(),
                    port: iss.port,
                    role: Role::Issuer,
                    aws_trusted_provider: trusted_by_aws(&iss.host.to_string()),
                };
                vec![jwks, issuer]
            }
            None => vec![jwks],
        }
    }
}

/// The EKS cluster an issuer (or its `/keys`) URL belongs to, if it is one.
pub fn eks_of(url: &HttpsUrl) -> Option<Eks> {
    match &url.host {
        Host::Dns(name) => crate::aws::eks_issuer(name, &url.path),
        _ => None,
    }
}

/// Parses a saved discovery document. Accepts UTF-8 (with or without a BOM) and
/// UTF-16 with a BOM (what Windows PowerShell's `>` writes).
pub fn parse(bytes: &[u8]) -> Result<Discovery, Error> {
    let text = decode(bytes)?;
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty);
    }
    let value: Value = serde_json::from_slice(&text).map_err(|e| malformed(&e, &text))?;
    let map = match value {
        Value::Object(map) => map,
        other => {
            return Err(Error::NotAnObject {
                found: json_type(&other),
            });
        }
    };

    let jwks_uri = match map.get("jwks_uri") {
        None | Some(Value::Null) => {
            // Only an issuer that parses goes into the advice: never echo userinfo.
            let issuer = match map.get("issuer") {
                Some(Value::String(s)) if parse_https_url(s).is_ok() => Some(s.clone()),
                _ => None,
            };
            return Err(Error::MissingJwksUri {
                looks_like_jwks: map.get("keys").is_some_and(Value::is_array),
                issuer,
            });
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(Error::NotAString {
                field: Field::JwksUri,
                found: json_type(other),
            });
        }
    };
    let jwks_url = parse_field_url(Field::JwksUri, &jwks_uri)?;

    let mut warnings = Vec::new();
    let issuer = match map.get("issuer") {
        None | Some(Value::Null) => {
            warnings.push(Warning::MissingIssuer);
            None
        }
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(Error::NotAString {
                field: Field::Issuer,
                found: json_type(other),
            });
        }
    };
    let issuer_url = match &issuer {
        Some(s) => Some(parse_field_url(Field::Issuer, s)?),
        None => None,
    };
    if let Some(url) = &issuer_url {
        if url.port_given {
            warnings.push(Warning::IssuerHasPort { port: url.port });
        }
        if url.query.is_some() || url.fragment.is_some() {
            warnings.push(Warning::IssuerHasQueryOrFragment);
        }
    }

    let eks = issuer_url
        .as_ref()
        .and_then(eks_of)
        .or_else(|| eks_of(&jwks_url));
    Ok(Discovery {
        issuer_host: issuer_url.as_ref().map(|u| u.host.to_string()),
        jwks_host: jwks_url.host.to_string(),
        issuer,
        jwks_uri,
        issuer_url,
        jwks_url,
        eks,
        warnings,
    })
}

fn parse_field_url(field: Field, s: &str) -> Result<HttpsUrl, Error> {
    parse_https_url(s).map_err(|problem| Error::BadUrl {
        field,
        url: redact_userinfo(s),
        problem,
    })
}

fn decode(bytes: &[u8]) -> Result<Cow<'_, [u8]>, Error> {
    let utf16 = |big_endian: bool, body: &[u8]| -> Result<Cow<'_, [u8]>, Error> {
        let pairs = body.chunks_exact(2);
        if !pairs.remainder().is_empty() {
            return Err(Error::BadEncoding);
        }
        let units: Vec<u16> = pairs
            .map(|pair| match *pair {
                [a, b] if big_endian => u16::from_be_bytes([a, b]),
                [a, b] => u16::from_le_bytes([a, b]),
                _ => 0,
            })
            .collect();
        String::from_utf16(&units)
            .map(|s| Cow::Owned(s.into_bytes()))
            .map_err(|_| Error::BadEncoding)
    };
    if let Some(body) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Ok(Cow::Borrowed(body))
    } else if let Some(body) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        utf16(false, body)
    } else if let Some(body) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        utf16(true, body)
    } else {
        Ok(Cow::Borrowed(bytes))
    }
}

fn malformed(e: &serde_json::Error, text: &[u8]) -> Error {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&position).unwrap_or(&full).to_owned();
    let start = text.trim_ascii_start();
    let starts_with = |prefix: &[u8]| {
        start
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    let hint = if starts_with(b"<") {
        Some(
            "this looks like HTML (a login, error or browser page), not the JSON document: \
             save the raw document with curl -fsS https://ISSUER/.well-known/openid-configuration -o openid-configuration.json"
                .to_owned(),
        )
    } else if starts_with(b"HTTP/") {
        Some(
            "the file begins with HTTP response headers: save the body only \
             (curl -fsS URL -o FILE, without -i or -v)"
                .to_owned(),
        )
    } else if starts_with(b"https://") || starts_with(b"http://") {
        let url = String::from_utf8_lossy(start);
        let url = url.lines().next().unwrap_or_default().trim();
        Some(format!(
            "this is a URL, not the document (certaudit never connects): fetch it with {}",
            fetch_command(url)
        ))
    } else if e.classify() == serde_json::error::Category::Eof {
        Some("the document ends early: was the save or the copy cut off? Save it again".to_owned())
    } else {
        None
    };
    Error::Malformed {
        line: e.line(),
        column: e.column(),
        message,
        hint,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The `curl` command that saves the discovery document of `url` (an issuer, or
/// already the `…/.well-known/openid-configuration` address), shell-quoted.
pub fn fetch_command(url: &str) -> String {
    const WELL_KNOWN: &str = "/.well-known/openid-configuration";
    let base = url.trim();
    let full = if base.ends_with(WELL_KNOWN) {
        base.to_owned()
    } else {
        format!("{}{WELL_KNOWN}", base.trim_end_matches('/'))
    };
    format!(
        "curl -fsS {} -o openid-configuration.json",
        shell_quote(&full)
    )
}

pub(crate) fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::is_region;
    use crate::report::oidc::to_json;
    use serde_json::json;
    use std::net::Ipv4Addr;

    const EKS: &str = include_str!("../../fixtures/oidc/eks.json");
    const GOOGLE: &str = include_str!("../../fixtures/oidc/google.json");
    const GITHUB: &str = include_str!("../../fixtures/oidc/github-actions.json");
    const S3: &str = include_str!("../../fixtures/oidc/s3-jwks.json");
    const HTTP: &str = include_str!("../../fixtures/oidc/http-issuer.json");
    const MISSING_JWKS: &str = include_str!("../../fixtures/oidc/missing-jwks-uri.json");
    const MISSING_ISSUER: &str = include_str!("../../fixtures/oidc/missing-issuer.json");
    const JWKS_ITSELF: &str = include_str!("../../fixtures/oidc/jwks-not-discovery.json");
    const MALFORMED: &str = include_str!("../../fixtures/oidc/malformed.json");
    const ARRAY: &str = include_str!("../../fixtures/oidc/array.json");
    const PORT: &str = include_str!("../../fixtures/oidc/port-8443.json");

    fn text(d: &Discovery) -> String {
        let mut out = Vec::new();
        crate::report::oidc::render_text(d, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn url(s: &str) -> HttpsUrl {
        parse_https_url(s).unwrap()
    }

    fn dns(s: &str) -> Host {
        Host::Dns(s.to_owned())
    }

    // --- fixtures -------------------------------------------------------

    #[test]
    fn eks_document_gives_one_host_and_the_exact_capture_command() {
        let d = parse(EKS.as_bytes()).unwrap();
        assert_eq!(
            d.issuer.as_deref(),
            Some("https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE")
        );
        assert_eq!(d.jwks_host, "oidc.eks.us-west-2.amazonaws.com");
        assert_eq!(
            d.issuer_host.as_deref(),
            Some("oidc.eks.us-west-2.amazonaws.com")
        );
        assert!(d.warnings.is_empty());
        assert_eq!(
            d.eks,
            Some(Eks {
                region: "us-west-2".into(),
                cluster_id: "EXAMPLED539D4633E53DE1B71EXAMPLE".into()
            })
        );
        let hosts = d.hosts();
        assert_eq!(hosts.len(), 1);
        let h = &hosts[0];
        assert_eq!(h.role, Role::Both);
        assert_eq!(h.aws_trusted_provider, None);
        assert_eq!(
            h.capture_command(),
            "openssl s_client -servername oidc.eks.us-west-2.amazonaws.com -showcerts \
             -connect oidc.eks.us-west-2.amazonaws.com:443 </dev/null"
        );
        assert_eq!(
            h.thumbprint_command(),
            format!("{} 2>/dev/null | certaudit thumbprint", h.capture_command())
        );
        let t = text(&d);
        assert!(
            t.contains("Host to capture (issuer and jwks_uri): oidc.eks.us-west-2.amazonaws.com\n")
        );
        assert!(t.contains("Amazon EKS: this is the issuer of EKS cluster EXAMPLED539D4633E53DE1B71EXAMPLE in us-west-2"));
        assert!(t.contains("| certaudit thumbprint"));
        assert!(t.contains("| certaudit check --host oidc.eks.us-west-2.amazonaws.com"));
        assert!(!t.contains("AWS-trusted"));
        assert!(!t.contains("different hosts"));
        assert!(!t.contains("warning:"));
    }

    #[test]
    fn google_document_has_two_hosts_both_aws_trusted() {
        let d = parse(GOOGLE.as_bytes()).unwrap();
        assert_eq!(d.issuer_host.as_deref(), Some("accounts.google.com"));
        assert_eq!(d.jwks_host, "www.googleapis.com");
        assert_eq!(d.eks, None);
        let hosts = d.hosts();
        assert_eq!(hosts.len(), 2);
        assert_eq!(
            (hosts[0].role, hosts[0].host.clone()),
            (Role::JwksUri, dns("www.googleapis.com"))
        );
        assert_eq!(
            (hosts[1].role, hosts[1].host.clone()),
            (Role::Issuer, dns("accounts.google.com"))
        );
        assert!(
            hosts
                .iter()
                .all(|h| h.aws_trusted_provider == Some("Google"))
        );
        let t = text(&d);
        assert!(t.contains("different hosts"));
        assert!(t.contains("up to 5"));
        assert!(t.contains("-connect www.googleapis.com:443"));
        assert!(t.contains("-connect accounts.google.com:443"));
        assert!(t.contains("AWS-trusted: Google"));
        assert!(t.contains("--thumbprint-list THUMBPRINT_JWKS THUMBPRINT_ISSUER"));
        assert!(t.contains("built in for web identity federation"));
    }

    #[test]
    fn github_actions_is_aws_trusted_on_one_host() {
        let d = parse(GITHUB.as_bytes()).unwrap();
        let hosts = d.hosts();
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].role, Role::Both);
        assert_eq!(hosts[0].aws_trusted_provider, Some("GitHub"));
        let t = text(&d);
        assert!(t.contains("AWS-trusted: GitHub"));
        assert!(t.contains("may leave --thumbprint-list out of"));
    }

    #[test]
    fn s3_hosted_jwks_is_aws_trusted() {
        let d = parse(S3.as_bytes()).unwrap();
        assert_eq!(
            d.jwks_host,
            "example-irsa-bucket.s3.eu-central-1.amazonaws.com"
        );
        assert_eq!(d.hosts()[0].aws_trusted_provider, Some("Amazon S3"));
        assert_eq!(d.eks, None);
    }

    #[test]
    fn http_document_is_refused_naming_the_field_and_scheme() {
        let e = parse(HTTP.as_bytes()).unwrap_err();
        assert_eq!(
            e,
            Error::BadUrl {
                field: Field::JwksUri,
                url: "http://localhost:8080/realms/dev/protocol/openid-connect/certs".into(),
                problem: UrlError::NotHttps {
                    scheme: "http".into()
                },
            }
        );
        let msg = e.to_string();
        assert!(msg.starts_with("\"jwks_uri\" \"http://localhost:8080/"));
        assert!(msg.contains("uses http://, not https://"));
    }

    #[test]
    fn http_issuer_with_https_jwks_is_refused_too() {
        let e =
            parse(br#"{"issuer":"http://idp.example.com","jwks_uri":"https://idp.example.com/k"}"#)
                .unwrap_err();
        assert!(matches!(
            e,
            Error::BadUrl {
                field: Field::Issuer,
                problem: UrlError::NotHttps { .. },
                ..
            }
        ));
    }

    #[test]
    fn missing_jwks_uri_is_an_error_that_says_what_to_save() {
        let e = parse(MISSING_JWKS.as_bytes()).unwrap_err();
        assert_eq!(
            e,
            Error::MissingJwksUri {
                looks_like_jwks: false,
                issuer: Some("https://idp.example.com".into())
            }
        );
        assert!(e.to_string().contains(
            "curl -fsS 'https://idp.example.com/.well-known/openid-configuration' -o openid-configuration.json"
        ));
    }

    #[test]
    fn a_key_set_instead_of_the_discovery_document_is_recognised() {
        let e = parse(JWKS_ITSELF.as_bytes()).unwrap_err();
        assert_eq!(
            e,
            Error::MissingJwksUri {
                looks_like_jwks: true,
                issuer: None
            }
        );
        assert!(e.to_string().contains("JSON Web Key Set itself"));
        assert!(
            e.to_string()
                .contains("ISSUER/.well-known/openid-configuration")
        );
    }

    #[test]
    fn malformed_json_reports_line_and_column() {
        let e = parse(MALFORMED.as_bytes()).unwrap_err();
        let Error::Malformed {
            line,
            column,
            message,
            hint,
        } = &e
        else {
            panic!("{e:?}");
        };
        assert_eq!((*line, *column), (4, 3));
        assert_eq!(message, "expected `,` or `}`");
        assert_eq!(hint, &None);
        assert!(e.to_string().contains("at line 4, column 3"));
    }

    #[test]
    fn a_json_array_is_not_an_object() {
        let e = parse(ARRAY.as_bytes()).unwrap_err();
        assert_eq!(e, Error::NotAnObject { found: "array" });
        assert!(e.to_string().contains("a JSON array, not an object"));
    }

    #[test]
    fn a_non_443_port_goes_into_the_capture_command() {
        let d = parse(PORT.as_bytes()).unwrap();
        let hosts = d.hosts();
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].port, 8443);
        assert_eq!(
            hosts[0].capture_command(),
            "openssl s_client -servername idp.example.com -showcerts -connect idp.example.com:8443 </dev/null"
        );
        assert_eq!(d.warnings, vec![Warning::IssuerHasPort { port: 8443 }]);
        let t = text(&d);
        assert!(t.contains("Host to capture (issuer and jwks_uri): idp.example.com, port 8443"));
        assert!(t.contains("warning: the issuer names a port (:8443)"));
    }

    #[test]
    fn missing_issuer_is_a_warning_and_the_jwks_host_is_still_given() {
        let d = parse(MISSING_ISSUER.as_bytes()).unwrap();
        assert_eq!(d.issuer, None);
        assert_eq!(d.issuer_host, None);
        assert_eq!(d.warnings, vec![Warning::MissingIssuer]);
        let hosts = d.hosts();
        assert_eq!(hosts.len(), 1);
        assert_eq!(hosts[0].role, Role::JwksUri);
        let t = text(&d);
        assert!(t.contains("issuer:   (missing)"));
        assert!(t.contains("--url ISSUER --client-id-list"));
        assert!(t.contains("warning: the document has no \"issuer\""));
        let j = to_json(&d);
        assert_eq!(j["issuer"], Value::Null);
        assert_eq!(j["warnings"][0]["code"], "oidc.missing_issuer");
    }

    #[test]
    fn json_view_has_the_stable_keys() {
        let j = to_json(&parse(GOOGLE.as_bytes()).unwrap());
        assert_eq!(j["issuer"], "https://accounts.google.com");
        assert_eq!(j["jwks_uri"], "https://www.googleapis.com/oauth2/v3/certs");
        assert_eq!(j["eks"], Value::Null);
        assert_eq!(j["warnings"], json!([]));
        let hosts = j["hosts"].as_array().unwrap();
        assert_eq!(hosts.len(), 2);
        assert_eq!(hosts[0]["host"], "www.googleapis.com");
        assert_eq!(hosts[0]["port"], 443);
        assert_eq!(hosts[0]["role"], "jwks_uri");
        assert_eq!(hosts[0]["aws_trusted_provider"], "Google");
        assert_eq!(
            hosts[0]["capture_command"],
            "openssl s_client -servername www.googleapis.com -showcerts -connect www.googleapis.com:443 </dev/null"
        );
        assert_eq!(hosts[1]["role"], "issuer");

        let j = to_json(&parse(EKS.as_bytes()).unwrap());
        assert_eq!(j["hosts"][0]["role"], "both");
        assert_eq!(j["hosts"][0]["aws_trusted_provider"], Value::Null);
        assert_eq!(j["eks"]["region"], "us-west-2");
        assert_eq!(j["eks"]["cluster_id"], "EXAMPLED539D4633E53DE1B71EXAMPLE");
    }

    // --- document-level edge cases --------------------------------------

    #[test]
    fn empty_and_blank_input_are_empty() {
        assert_eq!(parse(b""), Err(Error::Empty));
        assert_eq!(parse(b" \n\t\r\n"), Err(Error::Empty));
    }

    #[test]
    fn bom_and_utf16_are_read() {
        let mut utf8 = vec![0xEF, 0xBB, 0xBF];
        utf8.extend_from_slice(GITHUB.as_bytes());
        assert_eq!(
            parse(&utf8).unwrap().jwks_host,
            "token.actions.githubusercontent.com"
        );

        let mut le = vec![0xFF, 0xFE];
        le.extend(GITHUB.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            parse(&le).unwrap().jwks_host,
            "token.actions.githubusercontent.com"
        );

        let mut be = vec![0xFE, 0xFF];
        be.extend(GITHUB.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(
            parse(&be).unwrap().jwks_host,
            "token.actions.githubusercontent.com"
        );

        assert_eq!(parse(&[0xFF, 0xFE, b'{']), Err(Error::BadEncoding));
    }

    #[test]
    fn html_headers_and_urls_get_a_hint() {
        let hint = |input: &[u8]| match parse(input) {
            Err(Error::Malformed { hint, .. }) => hint.unwrap(),
            other => panic!("{other:?}"),
        };
        assert!(hint(b"<!DOCTYPE html><html>").contains("looks like HTML"));
        assert!(
            hint(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{}")
                .contains("HTTP response headers")
        );
        let h = hint(b"https://idp.example.com\n");
        assert!(h.contains("curl -fsS 'https://idp.example.com/.well-known/openid-configuration' -o openid-configuration.json"));
        assert!(hint(br#"{"issuer": "https://x"#).contains("ends early"));
    }

    #[test]
    fn wrong_json_types_are_named() {
        assert_eq!(
            parse(br#"{"jwks_uri": 42}"#),
            Err(Error::NotAString {
                field: Field::JwksUri,
                found: "number"
            })
        );
        assert_eq!(
            parse(br#"{"jwks_uri": "https://k.example.com/", "issuer": ["x"]}"#),
            Err(Error::NotAString {
                field: Field::Issuer,
                found: "array"
            })
        );
        assert_eq!(
            parse(br#"{"jwks_uri": null}"#),
            Err(Error::MissingJwksUri {
                looks_like_jwks: false,
                issuer: None
            })
        );
        assert_eq!(
            parse(b"\"text\""),
            Err(Error::NotAnObject { found: "string" })
        );
        assert_eq!(parse(b"null"), Err(Error::NotAnObject { found: "null" }));
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_panic() {
        let deep = "[".repeat(100_000);
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(Error::Malformed { .. })
        ));
    }

    #[test]
    fn userinfo_is_refused_and_never_echoed() {
        let e = parse(br#"{"issuer":"https://i.example.com","jwks_uri":"https://admin:hunter2@k.example.com/keys"}"#)
            .unwrap_err();
        assert_eq!(
            e,
            Error::BadUrl {
                field: Field::JwksUri,
                url: "https://…@k.example.com/keys".into(),
                problem: UrlError::UserInfo
            }
        );
        assert!(!e.to_string().contains("hunter2"));
        assert!(!format!("{e:?}").contains("hunter2"));
    }

    #[test]
    fn issuer_query_or_fragment_is_a_warning() {
        let d = parse(br#"{"issuer":"https://i.example.com/?tenant=a","jwks_uri":"https://i.example.com/keys"}"#).unwrap();
        assert_eq!(d.warnings, vec![Warning::IssuerHasQueryOrFragment]);
    }

    #[test]
    fn same_host_on_different_ports_needs_two_captures() {
        let d = parse(br#"{"issuer":"https://idp.example.com","jwks_uri":"https://idp.example.com:9443/keys"}"#).unwrap();
        let hosts = d.hosts();
        assert_eq!(hosts.len(), 2);
        assert_eq!((hosts[0].role, hosts[0].port), (Role::JwksUri, 9443));
        assert_eq!((hosts[1].role, hosts[1].port), (Role::Issuer, 443));
    }

    #[test]
    fn trailing_dot_and_case_do_not_make_hosts_differ() {
        let d = parse(
            br#"{"issuer":"https://IDP.Example.com.","jwks_uri":"https://idp.example.com/keys"}"#,
        )
        .unwrap();
        assert_eq!(d.hosts().len(), 1);
        assert_eq!(d.issuer_host.as_deref(), Some("idp.example.com"));
        // The issuer is kept exactly as written: IAM compares it with `iss`.
        assert_eq!(d.issuer.as_deref(), Some("https://IDP.Example.com."));
    }

    // --- URLs -----------------------------------------------------------

    #[test]
    fn url_basic_parts() {
        let u = url("https://idp.example.com/realms/a?x=1#frag");
        assert_eq!(u.host, dns("idp.example.com"));
        assert_eq!((u.port, u.port_given), (443, false));
        assert_eq!(u.path, "/realms/a");
        assert_eq!(u.query.as_deref(), Some("x=1"));
        assert_eq!(u.fragment.as_deref(), Some("frag"));

        let u = url("https://idp.example.com");
        assert_eq!(u.path, "");
        let u = url("https://idp.example.com?q");
        assert_eq!((u.path.as_str(), u.query.as_deref()), ("", Some("q")));
        // '@' after the authority is just path.
        assert_eq!(
            url("https://idp.example.com/a@b").host,
            dns("idp.example.com")
        );
    }

    #[test]
    fn url_uppercase_scheme_and_host_are_normalised() {
        let u = url("HTTPS://IDP.Example.COM/Keys");
        assert_eq!(u.host, dns("idp.example.com"));
        assert_eq!(u.path, "/Keys");
        assert_eq!(url("HtTpS://a.example").host, dns("a.example"));
    }

    #[test]
    fn url_trailing_dot_is_dropped_but_empty_labels_are_refused() {
        assert_eq!(
            url("https://idp.example.com./k").host,
            dns("idp.example.com")
        );
        assert!(matches!(
            parse_https_url("https://idp.example.com../k"),
            Err(UrlError::BadHost { .. })
        ));
        assert!(matches!(
            parse_https_url("https://.example.com/"),
            Err(UrlError::BadHost { .. })
        ));
        assert_eq!(parse_https_url("https://./"), Err(UrlError::NoHost));
    }

    #[test]
    fn url_ports() {
        let u = url("https://idp.example.com:8443/x");
        assert_eq!((u.port, u.port_given), (8443, true));
        let u = url("https://idp.example.com:443");
        assert_eq!((u.port, u.port_given), (443, true));
        // RFC 3986 §3.2.3: an empty port means the default.
        let u = url("https://idp.example.com:/x");
        assert_eq!((u.port, u.port_given), (443, false));
        assert_eq!(url("https://idp.example.com:00443").port, 443);
        for bad in [
            "0",
            "65536",
            "99999999999999999999",
            "+443",
            "-1",
            "44 3",
            "https",
            "0x1bb",
        ] {
            let s = format!("https://idp.example.com:{bad}/");
            match parse_https_url(&s) {
                Err(UrlError::BadPort { port }) => assert_eq!(port, bad),
                Err(UrlError::Whitespace) => assert!(bad.contains(' ')),
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn url_ipv6() {
        let u = url("https://[2001:db8::1]:8443/keys");
        assert_eq!(u.host, Host::Ipv6("2001:db8::1".parse().unwrap()));
        assert_eq!(u.port, 8443);
        assert_eq!(u.path, "/keys");
        let u = url("https://[2001:DB8::1]");
        assert_eq!(u.host.to_string(), "2001:db8::1");
        assert_eq!(u.port, 443);

        let h = CaptureHost {
            host: u.host.clone(),
            port: 8443,
            role: Role::JwksUri,
            aws_trusted_provider: None,
        };
        assert_eq!(
            h.capture_command(),
            "openssl s_client -showcerts -connect '[2001:db8::1]:8443' </dev/null"
        );

        for bad in [
            "https://[2001:db8::1/keys",
            "https://[not-v6]/",
            "https://[fe80::1%25eth0]/",
            "https://[v1.fe]/",
            "https://[::1]x/",
            "https://2001:db8::1/",
        ] {
            assert!(
                matches!(parse_https_url(bad), Err(UrlError::BadHost { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn url_ipv4_has_no_servername() {
        let d = parse(br#"{"issuer":"https://192.0.2.10","jwks_uri":"https://192.0.2.10/keys"}"#)
            .unwrap();
        let h = &d.hosts()[0];
        assert_eq!(h.host, Host::Ipv4(Ipv4Addr::new(192, 0, 2, 10)));
        assert_eq!(
            h.capture_command(),
            "openssl s_client -showcerts -connect 192.0.2.10:443 </dev/null"
        );
        for bad in ["https://1.2.3/", "https://256.1.1.1/", "https://01.2.3.4/"] {
            assert!(
                matches!(parse_https_url(bad), Err(UrlError::BadHost { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn url_userinfo_is_refused() {
        for bad in [
            "https://user@idp.example.com/",
            "https://user:pw@idp.example.com/",
            "https://@idp.example.com/",
            "https://a@b@idp.example.com:8443/",
        ] {
            assert_eq!(parse_https_url(bad), Err(UrlError::UserInfo), "{bad}");
        }
        assert_eq!(
            redact_userinfo("https://a:b@h.example/p@q"),
            "https://…@h.example/p@q"
        );
        assert_eq!(
            redact_userinfo("https://h.example/p@q"),
            "https://h.example/p@q"
        );
    }

    #[test]
    fn url_scheme_problems() {
        assert_eq!(parse_https_url(""), Err(UrlError::Empty));
        assert_eq!(
            parse_https_url("idp.example.com/keys"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(
            parse_https_url("idp.example.com:443/keys"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(
            parse_https_url("//idp.example.com/keys"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(
            parse_https_url("https:idp.example.com"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(
            parse_https_url("https:/idp.example.com"),
            Err(UrlError::NotAbsolute)
        );
        assert_eq!(
            parse_https_url("HTTP://idp.example.com"),
            Err(UrlError::NotHttps {
                scheme: "http".into()
            })
        );
        assert_eq!(
            parse_https_url("ftp://idp.example.com"),
            Err(UrlError::NotHttps {
                scheme: "ftp".into()
            })
        );
        assert_eq!(parse_https_url("https://"), Err(UrlError::NoHost));
        assert_eq!(parse_https_url("https:///keys"), Err(UrlError::NoHost));
        assert_eq!(parse_https_url("https://:8443/keys"), Err(UrlError::NoHost));
        assert_eq!(
            parse_https_url(" https://idp.example.com"),
            Err(UrlError::Whitespace)
        );
        assert_eq!(
            parse_https_url("https://idp.example.com/\n"),
            Err(UrlError::Whitespace)
        );
    }

    #[test]
    fn url_host_characters() {
        assert_eq!(
            url("https://my_host.corp.example/").host,
            dns("my_host.corp.example")
        );
        for bad in [
            "https://bücher.example/",
            "https://idp%2eexample.com/",
            "https://idp!.example.com/",
            &format!("https://{}.example/", "a".repeat(64)),
            &format!("https://{}example", "a.".repeat(130)),
        ] {
            assert!(
                matches!(parse_https_url(bad), Err(UrlError::BadHost { .. })),
                "{bad}"
            );
        }
        assert!(parse_https_url(&format!("https://{}.example/", "a".repeat(63))).is_ok());
    }

    // --- trusted_by_aws -------------------------------------------------

    #[test]
    fn trusted_hosts() {
        for (host, want) in [
            ("dev-abc123.us.auth0.com", "Auth0"),
            ("tenant.auth0.com", "Auth0"),
            ("*.auth0.com", "Auth0"),
            ("token.actions.githubusercontent.com", "GitHub"),
            ("TOKEN.actions.GitHubUserContent.com.", "GitHub"),
            ("gitlab.com", "GitLab"),
            ("accounts.google.com", "Google"),
            ("www.googleapis.com", "Google"),
            ("*.googleapis.com", "Google"),
            ("s3.amazonaws.com", "Amazon S3"),
            ("my-bucket.s3.amazonaws.com", "Amazon S3"),
            ("my.dotted.bucket.s3.amazonaws.com", "Amazon S3"),
            ("*.s3.amazonaws.com", "Amazon S3"),
            ("my-bucket.s3.eu-central-1.amazonaws.com", "Amazon S3"),
            ("*.s3.us-gov-west-1.amazonaws.com", "Amazon S3"),
            ("s3.ap-southeast-2.amazonaws.com", "Amazon S3"),
            ("s3-us-west-2.amazonaws.com", "Amazon S3"),
            ("my-bucket.s3-us-west-2.amazonaws.com", "Amazon S3"),
            ("s3-external-1.amazonaws.com", "Amazon S3"),
        ] {
            assert_eq!(trusted_by_aws(host), Some(want), "{host}");
        }
    }

    #[test]
    fn untrusted_hosts() {
        for host in [
            "",
            "auth0.com",
            "evilauth0.com",
            "auth0.com.evil.example",
            "login.example.com",
            "www.gitlab.com",
            "gitlab.example.com",
            "*.gitlab.com",
            "githubusercontent.com",
            "*.actions.githubusercontent.com",
            "mail.google.com",
            "*.google.com",
            "googleapis.com",
            "amazonaws.com",
            "*.amazonaws.com",
            "oidc.eks.us-west-2.amazonaws.com",
            "s3.amazonaws.com.evil.example",
            "nots3.amazonaws.com",
            "bucket.s3-website-us-east-1.amazonaws.com",
            "bucket.s3-website.us-east-1.amazonaws.com",
            "s3.nowhere.amazonaws.com",
            "192.0.2.1",
        ] {
            assert_eq!(trusted_by_aws(host), None, "{host}");
        }
    }

    #[test]
    fn regions() {
        for r in [
            "us-east-1",
            "eu-central-1",
            "us-gov-west-1",
            "ap-southeast-2",
            "il-central-1",
        ] {
            assert!(is_region(r), "{r}");
        }
        for r in [
            "",
            "us",
            "us-east",
            "east-1",
            "website-us-east-1",
            "us--1",
            "us-east-x",
            "US-EAST-1",
        ] {
            assert!(!is_region(r), "{r}");
        }
    }

    // --- EKS --------------------------------------------------------------

    #[test]
    fn eks_issuers() {
        let e = eks_of(&url("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123/")).unwrap();
        assert_eq!(
            (e.region.as_str(), e.cluster_id.as_str()),
            ("eu-west-1", "ABC123")
        );
        assert!(eks_of(&url("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC")).is_some());
        assert!(eks_of(&url("https://oidc.eks.us-east-1.amazonaws.com/")).is_none());
        assert!(eks_of(&url("https://oidc.eks.us-east-1.amazonaws.com/id/")).is_none());
        assert!(eks_of(&url("https://oidc.eks.example.com/id/ABC")).is_none());
        assert!(eks_of(&url("https://oidc.example.com/id/ABC")).is_none());
    }

    #[test]
    fn fetch_command_appends_the_well_known_path_once() {
        assert_eq!(
            fetch_command("https://idp.example.com/"),
            "curl -fsS 'https://idp.example.com/.well-known/openid-configuration' -o openid-configuration.json"
        );
        assert_eq!(
            fetch_command("https://idp.example.com/.well-known/openid-configuration"),
            "curl -fsS 'https://idp.example.com/.well-known/openid-configuration' -o openid-configuration.json"
        );
        assert_eq!(shell_quote("a'b"), r"'a'\''b'");
    }
}
