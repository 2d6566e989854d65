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

use serde_json::{Value, json};
use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};
use std::net::{Ipv4Addr, Ipv6Addr};

/// The port an `https://` URL uses when it names none.
pub const HTTPS_PORT: u16 = 443;

/// How many thumbprints IAM keeps for one OIDC provider.
pub const IAM_MAX_THUMBPRINTS: usize = 5;

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

/// Why a string is not a usable `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlError {
    /// The empty string.
    Empty,
    /// Whitespace or a control character anywhere in it.
    Whitespace,
    /// No `scheme://` at all (`idp.example.com/keys`, `https:idp`).
    NotAbsolute,
    /// A scheme other than `https` (compared case-insensitively, RFC 3986 §3.1).
    NotHttps { scheme: String },
    /// Userinfo (`user:pass@`) before the host.
    UserInfo,
    /// Nothing between `https://` and the path (or only a port).
    NoHost,
    /// The port is not a number from 1 to 65535.
    BadPort { port: String },
    /// The host is not a DNS name, an IPv4 address or a bracketed IPv6 address.
    BadHost { host: String, reason: &'static str },
}

impl fmt::Display for UrlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlError::Empty => f.write_str("is empty: it must be an https:// URL"),
            UrlError::Whitespace => f.write_str(
                "contains whitespace or a control character, which no URL has: \
                 look for a stray space or line break in the document",
            ),
            UrlError::NotAbsolute => f.write_str(
                "is not an absolute URL: IAM needs https://HOST[/PATH]; \
                 the document must give full URLs",
            ),
            UrlError::NotHttps { scheme } => write!(
                f,
                "uses {scheme}://, not https://: IAM only accepts OIDC providers served over HTTPS, \
                 and the thumbprint is that of the HTTPS server's certificate chain. Serve the \
                 provider (its discovery document and keys) over https:// and save the document \
                 again from that address"
            ),
            UrlError::UserInfo => f.write_str(
                "contains user information (user:password@) before the host: IAM does not accept \
                 credentials in a provider URL. Remove them, and if a password was in it, treat \
                 that password as leaked",
            ),
            UrlError::NoHost => f.write_str("has no host: it must be https://HOST[/PATH]"),
            UrlError::BadPort { port } => {
                write!(
                    f,
                    "has an invalid port {port:?}: a port is a number from 1 to 65535"
                )
            }
            UrlError::BadHost { host, reason } => {
                write!(f, "has an invalid host {host:?}: {reason}")
            }
        }
    }
}

impl std::error::Error for UrlError {}

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
// URLs
// ---------------------------------------------------------------------------

/// The host of an `https://` URL, normalised: DNS names in lower case without a
/// trailing dot; IP addresses parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    Dns(String),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

impl Host {
    pub fn is_ip(&self) -> bool {
        !matches!(self, Host::Dns(_))
    }

    /// `HOST:PORT` as `openssl s_client -connect` takes it (IPv6 in brackets).
    pub fn with_port(&self, port: u16) -> String {
        match self {
            Host::Ipv6(addr) => format!("[{addr}]:{port}"),
            other => format!("{other}:{port}"),
        }
    }
}

/// DNS name or address, without brackets.
impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Dns(name) => f.write_str(name),
            Host::Ipv4(addr) => write!(f, "{addr}"),
            Host::Ipv6(addr) => write!(f, "{addr}"),
        }
    }
}

/// A parsed `https://` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpsUrl {
    pub host: Host,
    /// The port to connect to: the written one, else 443.
    pub port: u16,
    /// The URL writes a port (even `:443`).
    pub port_given: bool,
    /// The path as written (may be empty), without query or fragment.
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

/// Parses an absolute `https://` URL (scheme case-insensitive), refusing userinfo,
/// a missing host, a bad port and hosts that are neither DNS names nor IP literals.
pub fn parse_https_url(s: &str) -> Result<HttpsUrl, UrlError> {
    if s.is_empty() {
        return Err(UrlError::Empty);
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(UrlError::Whitespace);
    }
    let (scheme, rest) = s.split_once("://").ok_or(UrlError::NotAbsolute)?;
    if !is_scheme(scheme) {
        return Err(UrlError::NotAbsolute);
    }
    if !scheme.eq_ignore_ascii_case("https") {
        return Err(UrlError::NotHttps {
            scheme: scheme.to_ascii_lowercase(),
        });
    }
    // RFC 3986 §3.2: the authority ends at the first "/", "?" or "#".
    let (authority, tail) = match rest.find(['/', '?', '#']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(UrlError::UserInfo);
    }
    let (host_text, port_text) = split_host_port(authority)?;
    let host = parse_host(host_text)?;
    let (port, port_given) = match port_text {
        // RFC 3986 §3.2.3: an empty port is the scheme's default.
        None | Some("") => (HTTPS_PORT, false),
        Some(p) => (parse_port(p)?, true),
    };
    let (before_fragment, fragment) = match tail.split_once('#') {
        Some((b, frag)) => (b, Some(frag.to_owned())),
        None => (tail, None),
    };
    let (path, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q.to_owned())),
        None => (before_fragment, None),
    };
    Ok(HttpsUrl {
        host,
        port,
        port_given,
        path: path.to_owned(),
        query,
        fragment,
    })
}

/// RFC 3986 §3.1: `ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), UrlError> {
    if authority.starts_with('[') {
        let Some((bracketed, after)) = authority.split_once(']') else {
            return Err(UrlError::BadHost {
                host: authority.to_owned(),
                reason: "an IPv6 address opened with '[' must be closed with ']'",
            });
        };
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => {
                return Err(UrlError::BadHost {
                    host: authority.to_owned(),
                    reason: "only \":PORT\" may follow a bracketed IPv6 address",
                });
            }
        };
        // Keep the opening bracket: parse_host recognises IPv6 by it.
        return Ok((bracketed, port));
    }
    match authority.split_once(':') {
        Some((_, port)) if port.contains(':') => Err(UrlError::BadHost {
            host: authority.to_owned(),
            reason: "an IPv6 address must be written in brackets: https://[ADDRESS]:PORT/",
        }),
        Some((host, port)) => Ok((host, Some(port))),
        None => Ok((authority, None)),
    }
}

fn parse_port(p: &str) -> Result<u16, UrlError> {
    let bad = || UrlError::BadPort { port: p.to_owned() };
    if !p.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match p.parse::<u16>() {
        Ok(0) | Err(_) => Err(bad()),
        Ok(port) => Ok(port),
    }
}

fn parse_host(text: &str) -> Result<Host, UrlError> {
    let bad = |reason| UrlError::BadHost {
        host: text.to_owned(),
        reason,
    };
    if let Some(inner) = text.strip_prefix('[') {
        if inner.contains('%') {
            return Err(bad(
                "an IPv6 zone identifier (%…) is local to one machine; IAM cannot use it",
            ));
        }
        return inner
            .parse::<Ipv6Addr>()
            .map(Host::Ipv6)
            .map_err(|_| bad("the text in brackets is not an IPv6 address"));
    }
    if text.is_empty() {
        return Err(UrlError::NoHost);
    }
    if !text.is_ascii() {
        return Err(bad(
            "a non-ASCII (internationalised) name: write its ASCII \"xn--\" form, as DNS and TLS use it",
        ));
    }
    if text.contains('%') {
        return Err(bad("percent-encoded: write the host name as it is"));
    }
    let lower = text.to_ascii_lowercase();
    // A fully qualified name may end in one dot; TLS SNI (RFC 6066 §3) and
    // certificate names never carry it.
    let name = lower.strip_suffix('.').unwrap_or(&lower);
    if name.is_empty() {
        return Err(UrlError::NoHost);
    }
    if let Ok(addr) = name.parse::<Ipv4Addr>() {
        return Ok(Host::Ipv4(addr));
    }
    if name.len() > 253 {
        return Err(bad("longer than 253 characters, the limit of a DNS name"));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err(bad("an empty label (two dots in a row, or a leading dot)"));
        }
        if label.len() > 63 {
            return Err(bad("a label longer than 63 characters"));
        }
        // '_' is not valid in host names but occurs in internal DNS; accept it.
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(bad(
                "only letters, digits, '-' and '.' may appear in a host name",
            ));
        }
    }
    // A name whose last label is all digits is a mistyped IPv4 address
    // (`1.2.3`, `256.1.1.1`, `01.2.3.4`), not a DNS name.
    if name
        .rsplit('.')
        .next()
        .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad(
            "not a valid IPv4 address (four numbers from 0 to 255, no leading zeros)",
        ));
    }
    Ok(Host::Dns(name.to_owned()))
}

/// The URL with any userinfo replaced by `…@`, for messages.
fn redact_userinfo(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = match rest.find(['/', '?', '#']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((_, hostport)) => format!("{scheme}://…@{hostport}{tail}"),
        None => url.to_owned(),
    }
}

// ---------------------------------------------------------------------------
// Hosts AWS trusts by itself
// ---------------------------------------------------------------------------

/// The provider name when AWS validates `host` through its own library of trusted
/// root CAs, so that an IAM thumbprint for it is kept only as a fallback: Auth0,
/// GitHub, GitLab, Google and JWKS hosted in Amazon S3 (IAM User Guide, "Obtain the
/// thumbprint for an OpenID Connect identity provider").
///
/// Case-insensitive, a trailing dot ignored. A certificate's wildcard name
/// (`*.s3.amazonaws.com`) matches when every name it covers would: `*` is never
/// an exact label, so only the "any subdomain" patterns accept it.
pub fn trusted_by_aws(host: &str) -> Option<&'static str> {
    let lower = host.trim().to_ascii_lowercase();
    let h = lower.strip_suffix('.').unwrap_or(&lower);
    // Exact names.
    let exact = match h {
        "token.actions.githubusercontent.com" => Some("GitHub"),
        "gitlab.com" => Some("GitLab"),
        "accounts.google.com" => Some("Google"),
        "s3.amazonaws.com" => Some("Amazon S3"),
        _ => None,
    };
    if exact.is_some() {
        return exact;
    }
    // Any subdomain, at any depth: Auth0 tenants are `T.auth0.com` and regional
    // `T.eu.auth0.com`; S3 bucket names may contain dots.
    if has_subdomain_of(h, "auth0.com") {
        return Some("Auth0");
    }
    if has_subdomain_of(h, "googleapis.com") {
        return Some("Google");
    }
    if has_subdomain_of(h, "s3.amazonaws.com") {
        return Some("Amazon S3");
    }
    let rest = h.strip_suffix(".amazonaws.com")?;
    let (before, last) = match rest.rsplit_once('.') {
        Some((b, l)) => (Some(b), l),
        None => (None, rest),
    };
    // Legacy dash form: `s3-REGION.amazonaws.com`, `BUCKET.s3-REGION.amazonaws.com`
    // (and `s3-external-1`, the old us-east-1 name).
    if last
        .strip_prefix("s3-")
        .is_some_and(|r| is_region(r) || r == "external-1")
    {
        return Some("Amazon S3");
    }
    // `s3.REGION.amazonaws.com`, `BUCKET.s3.REGION.amazonaws.com`.
    if is_region(last) && before.is_some_and(|b| b == "s3" || b.ends_with(".s3")) {
        return Some("Amazon S3");
    }
    None
}

/// `host` is a strict subdomain of `domain` (`x.domain`, `y.x.domain`).
fn has_subdomain_of(host: &str, domain: &str) -> bool {
    host.strip_suffix(domain)
        .and_then(|p| p.strip_suffix('.'))
        .is_some_and(|p| !p.is_empty())
}

/// An AWS region name: `us-east-1`, `eu-central-1`, `us-gov-west-1`, `ap-southeast-2`.
/// Rejects `website-us-east-1` (S3 website endpoints are http-only anyway).
fn is_region(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let Some((first, rest)) = parts.split_first() else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return false;
    };
    first.len() == 2
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && !middle.is_empty()
        && middle
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && !last.is_empty()
        && last.bytes().all(|b| b.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// Amazon EKS
// ---------------------------------------------------------------------------

/// An Amazon EKS cluster's issuer: `https://oidc.eks.REGION.amazonaws.com/id/ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eks {
    pub region: String,
    pub cluster_id: String,
}

/// Recognises an EKS cluster issuer (or its `/keys` URL).
pub fn eks_issuer(url: &HttpsUrl) -> Option<Eks> {
    let Host::Dns(name) = &url.host else {
        return None;
    };
    let region = name
        .strip_prefix("oidc.eks.")
        .and_then(|r| {
            r.strip_suffix(".amazonaws.com")
                .or_else(|| r.strip_suffix(".amazonaws.com.cn"))
        })
        .filter(|r| is_region(r))?;
    let id = url.path.strip_prefix("/id/")?.split('/').next()?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Eks {
        region: region.to_owned(),
        cluster_id: id.to_owned(),
    })
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
    /// `openssl s_client -servername HOST -showcerts -connect HOST:PORT </dev/null`.
    /// For an IP address there is no `-servername`: RFC 6066 §3 forbids IP
    /// literals in SNI. An IPv6 `[…]:PORT` is quoted, since `[` is a shell glob.
    pub fn capture_command(&self) -> String {
        let target = self.host.with_port(self.port);
        let target = if matches!(self.host, Host::Ipv6(_)) {
            format!("'{target}'")
        } else {
            target
        };
        if self.host.is_ip() {
            format!("openssl s_client -showcerts -connect {target} </dev/null")
        } else {
            format!(
                "openssl s_client -servername {} -showcerts -connect {target} </dev/null",
                self.host
            )
        }
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
        .and_then(eks_issuer)
        .or_else(|| eks_issuer(&jwks_url));
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

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// The text report: issuer, jwks_uri, the host(s) to capture with their commands,
/// notes (EKS, AWS-trusted hosts), the next steps and any warnings.
pub fn render_text(d: &Discovery, out: &mut impl Write) -> io::Result<()> {
    let hosts = d.hosts();
    writeln!(
        out,
        "issuer:   {}",
        crate::report::escape::message(d.issuer.as_deref().unwrap_or("(missing)"))
    )?;
    writeln!(
        out,
        "jwks_uri: {}",
        crate::report::escape::message(&d.jwks_uri)
    )?;
    writeln!(out)?;

    if hosts.len() > 1 {
        writeln!(
            out,
            "The issuer and the jwks_uri are on different hosts. IAM takes the thumbprint from \
             the jwks_uri host's chain; older AWS documentation and tools took the issuer's. \
             Capture both and put the thumbprint of each in the provider's thumbprint list \
             (IAM keeps up to {IAM_MAX_THUMBPRINTS})."
        )?;
        writeln!(out)?;
    }

    for h in &hosts {
        let role = match h.role {
            Role::Both => "issuer and jwks_uri",
            Role::JwksUri => "jwks_uri",
            Role::Issuer => "issuer",
        };
        let port = if h.port == HTTPS_PORT {
            String::new()
        } else {
            format!(", port {}", h.port)
        };
        writeln!(out, "Host to capture ({role}): {}{port}", h.host)?;
        writeln!(out, "  capture:    {}", h.capture_command())?;
        writeln!(out, "  thumbprint: {}", h.thumbprint_command())?;
        writeln!(out, "  check:      {}", h.check_command())?;
        if let Some(provider) = h.aws_trusted_provider {
            writeln!(
                out,
                "  AWS-trusted: {provider}. AWS validates this host through its own library of \
                 trusted root CAs; a thumbprint for it is kept only as a fallback."
            )?;
        }
        writeln!(out)?;
    }

    if let Some(eks) = &d.eks {
        writeln!(
            out,
            "Amazon EKS: this is the issuer of EKS cluster {} in {}. The thumbprint is that of \
             EKS's OIDC host oidc.eks.{}.amazonaws.com, shared by every cluster in the region, not \
             specific to yours. `eksctl utils associate-iam-oidc-provider --cluster NAME --approve` \
             registers the provider for you.",
            eks.cluster_id, eks.region, eks.region
        )?;
        writeln!(out)?;
    }

    if d.issuer_host.as_deref() == Some("accounts.google.com") {
        writeln!(
            out,
            "Google: AWS has accounts.google.com built in for web identity federation; \
             you may not need an IAM OIDC provider for it at all."
        )?;
        writeln!(out)?;
    }

    let commands = if hosts.len() > 1 {
        "thumbprint commands above: each prints"
    } else {
        "thumbprint command above: it prints"
    };
    writeln!(
        out,
        "Next: run the {commands} the 40-hex-digit SHA-1 of the top certificate of the \
         served chain, which is what IAM wants. If it reports a problem, run the check \
         command to see the whole chain."
    )?;
    let placeholders = match hosts.as_slice() {
        [_] => "THUMBPRINT".to_owned(),
        _ => hosts
            .iter()
            .map(|h| match h.role {
                Role::Issuer => "THUMBPRINT_ISSUER",
                _ => "THUMBPRINT_JWKS",
            })
            .collect::<Vec<_>>()
            .join(" "),
    };
    let url = d
        .issuer
        .as_deref()
        .map_or_else(|| "ISSUER".to_owned(), shell_quote);
    writeln!(out, "Then register the provider, its URL being the issuer:")?;
    writeln!(
        out,
        "  aws iam create-open-id-connect-provider --url {url} --client-id-list AUDIENCE --thumbprint-list {placeholders}"
    )?;
    writeln!(out, "or replace the thumbprints of an existing provider:")?;
    writeln!(
        out,
        "  aws iam update-open-id-connect-provider-thumbprint --open-id-connect-provider-arn ARN --thumbprint-list {placeholders}"
    )?;
    if hosts.iter().any(|h| h.aws_trusted_provider.is_some()) {
        writeln!(
            out,
            "For an AWS-trusted host you may leave --thumbprint-list out of \
             create-open-id-connect-provider: IAM then fetches a thumbprint itself, and does not \
             rely on it while it trusts the host's CA."
        )?;
    }

    if !d.warnings.is_empty() {
        writeln!(out)?;
        for w in &d.warnings {
            writeln!(out, "warning: {w}")?;
        }
    }
    Ok(())
}

/// The `--format json` view. Stable keys: `issuer` (string or null), `jwks_uri`,
/// `hosts` (`host`, `port`, `role`, `capture_command`, `thumbprint_command`,
/// `check_command`, `aws_trusted_provider`), `eks` (`region`, `cluster_id`, or
/// null) and `warnings` (`code`, `message`).
pub fn to_json(d: &Discovery) -> Value {
    let hosts: Vec<Value> = d
        .hosts()
        .iter()
        .map(|h| {
            json!({
                "host": h.host.to_string(),
                "port": h.port,
                "role": h.role.as_str(),
                "capture_command": h.capture_command(),
                "thumbprint_command": h.thumbprint_command(),
                "check_command": h.check_command(),
                "aws_trusted_provider": h.aws_trusted_provider,
            })
        })
        .collect();
    let warnings: Vec<Value> = d
        .warnings
        .iter()
        .map(|w| json!({ "code": w.code(), "message": w.to_string() }))
        .collect();
    json!({
        "issuer": d.issuer,
        "jwks_uri": d.jwks_uri,
        "hosts": hosts,
        "eks": d.eks.as_ref().map(|e| json!({ "region": e.region, "cluster_id": e.cluster_id })),
        "warnings": warnings,
    })
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const EKS: &str = include_str!("../fixtures/oidc/eks.json");
    const GOOGLE: &str = include_str!("../fixtures/oidc/google.json");
    const GITHUB: &str = include_str!("../fixtures/oidc/github-actions.json");
    const S3: &str = include_str!("../fixtures/oidc/s3-jwks.json");
    const HTTP: &str = include_str!("../fixtures/oidc/http-issuer.json");
    const MISSING_JWKS: &str = include_str!("../fixtures/oidc/missing-jwks-uri.json");
    const MISSING_ISSUER: &str = include_str!("../fixtures/oidc/missing-issuer.json");
    const JWKS_ITSELF: &str = include_str!("../fixtures/oidc/jwks-not-discovery.json");
    const MALFORMED: &str = include_str!("../fixtures/oidc/malformed.json");
    const ARRAY: &str = include_str!("../fixtures/oidc/array.json");
    const PORT: &str = include_str!("../fixtures/oidc/port-8443.json");

    fn text(d: &Discovery) -> String {
        let mut out = Vec::new();
        render_text(d, &mut out).unwrap();
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
        let e = eks_issuer(&url("https://oidc.eks.eu-west-1.amazonaws.com/id/ABC123/")).unwrap();
        assert_eq!(
            (e.region.as_str(), e.cluster_id.as_str()),
            ("eu-west-1", "ABC123")
        );
        assert!(eks_issuer(&url("https://oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC")).is_some());
        assert!(eks_issuer(&url("https://oidc.eks.us-east-1.amazonaws.com/")).is_none());
        assert!(eks_issuer(&url("https://oidc.eks.us-east-1.amazonaws.com/id/")).is_none());
        assert!(eks_issuer(&url("https://oidc.eks.example.com/id/ABC")).is_none());
        assert!(eks_issuer(&url("https://oidc.example.com/id/ABC")).is_none());
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
