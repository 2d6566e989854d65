//! `https://` URLs of a discovery document, parsed by hand (RFC 3986 §3, only what
//! an OIDC provider URL may hold): the `url` crate would bring IDNA tables and
//! WHATWG leniency we do not want, and this module must reject rather than repair
//! (userinfo, `http://`, no host).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

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

/// The port an `https://` URL uses when it names none.
pub const HTTPS_PORT: u16 = 443;

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
pub(crate) fn redact_userinfo(url: &str) -> String {
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
