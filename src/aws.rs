//! What certaudit knows of AWS IAM and EKS: the thumbprint limit, the OIDC hosts AWS
//! validates through its library of trusted root CAs, EKS issuer URLs. Facts only:
//! no parsing of documents or certificates, no rendering.

/// How many thumbprints IAM keeps for one OIDC provider.
pub const IAM_MAX_THUMBPRINTS: usize = 5;

/// How AWS uses an OIDC provider's thumbprint list today (IAM API reference,
/// CreateOpenIDConnectProvider and UpdateOpenIDConnectProviderThumbprint; IAM User
/// Guide, "Obtain the thumbprint for an OpenID Connect identity provider").
pub const THUMBPRINT_RULE: &str = "AWS IAM verifies the certificate of the provider's jwks_uri host with its own library of trusted root CAs, and uses the provider's thumbprint list only when that certificate is not signed by one of those CAs, when AWS cannot retrieve it, or when the host requires TLS 1.3";

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
pub(crate) fn is_region(s: &str) -> bool {
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
///
/// `dns_host` is the URL's host when it is a DNS name, `path` its path.
pub fn eks_issuer(dns_host: &str, path: &str) -> Option<Eks> {
    let region = dns_host
        .strip_prefix("oidc.eks.")
        .and_then(|r| {
            r.strip_suffix(".amazonaws.com")
                .or_else(|| r.strip_suffix(".amazonaws.com.cn"))
        })
        .filter(|r| is_region(r))?;
    let id = path.strip_prefix("/id/")?.split('/').next()?;
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some(Eks {
        region: region.to_owned(),
        cluster_id: id.to_owned(),
    })
}
