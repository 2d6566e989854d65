//! `certaudit oidc`'s report: the hosts to capture and the commands, as text or JSON.

use crate::aws::{IAM_MAX_THUMBPRINTS, THUMBPRINT_RULE};
use crate::oidc::url::HTTPS_PORT;
use crate::oidc::*;
use serde_json::{Value, json};
use std::io::{self, Write};

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
        super::escape::message(d.issuer.as_deref().unwrap_or("(missing)"))
    )?;
    writeln!(out, "jwks_uri: {}", super::escape::message(&d.jwks_uri))?;
    writeln!(out)?;
    writeln!(
        out,
        "How AWS uses the thumbprint: {THUMBPRINT_RULE}. The check command below tells \
         which applies: a chain that validates to a public root makes the list a fallback \
         (a thumbprint mismatch alone then does not explain an InvalidIdentityToken error, \
         but keep the right value in the list); any other chain (a private CA, a \
         self-signed certificate, a missing intermediate) is checked against the thumbprint \
         you register."
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
        writeln!(out, "  TLS 1.2:    {}", h.tls12_command())?;
        if let Some(provider) = h.aws_trusted_provider {
            writeln!(
                out,
                "  AWS-trusted: {provider}. AWS names this host as validated through its own \
                 library of trusted root CAs: a thumbprint for it is only a fallback, used when \
                 AWS cannot retrieve the certificate or the host requires TLS 1.3 (the TLS 1.2 \
                 command above fails to connect then)."
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
/// `check_command`, `tls12_command`, `aws_trusted_provider`), `eks` (`region`,
/// `cluster_id`, or null), `warnings` (`code`, `message`) and `aws_rule` (today's
/// AWS rule for the thumbprint, as a sentence).
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
                "tls12_command": h.tls12_command(),
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
        "aws_rule": THUMBPRINT_RULE,
        "issuer": d.issuer,
        "jwks_uri": d.jwks_uri,
        "hosts": hosts,
        "eks": d.eks.as_ref().map(|e| json!({ "region": e.region, "cluster_id": e.cluster_id })),
        "warnings": warnings,
    })
}
