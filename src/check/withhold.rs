//! `certaudit thumbprint`: whether the thumbprint a chain yields is one a script may
//! register, or one it must not (contract, `thumbprint`): a capture made without
//! `-showcerts` and a top of the path that is neither a CA nor self-signed print
//! nothing; a self-signed server certificate is printed with a warning.

use super::{InputAudit, capture_command};

/// What `thumbprint` does with a chain's thumbprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Print it; `warning` goes to stderr.
    Print { warning: Option<String> },
    /// Print nothing, exit 1; `why` goes to stderr (with the SHA-1, for information).
    Withhold { why: String },
}

/// The decision for `audit`'s chain, `None` when it has no thumbprint at all.
pub fn decide(audit: &InputAudit, host: Option<&str>) -> Option<Decision> {
    let chain = audit.chain.as_ref()?;
    let tp = chain.thumbprint?;
    let top = audit.certs.get(chain.thumbprint_index?)?;
    let name = top.info.short_name();
    let index = top.info.index;
    let host = host.unwrap_or("HOST");
    if let Some(c) = audit.capture.as_ref().filter(|c| c.incomplete()) {
        let served = c.served_count.unwrap_or_default();
        return Some(Decision::Withhold {
            why: format!(
                "no thumbprint printed: {} was captured without -showcerts: the server sent {served} certificates but the capture holds {}, so the top of the chain is missing. For information only, the SHA-1 of the top certificate captured, #{index} '{name}', is {tp}; registering it would break at its next renewal. Capture again with: {}",
                audit.source,
                c.blocks_present,
                capture_command(host)
            ),
        });
    }
    if top.info.self_signed && chain.path.len() <= 1 && !top.info.ca {
        return Some(Decision::Print {
            warning: Some(format!(
                "#{index} '{name}' is a self-signed server certificate: this thumbprint changes whenever the certificate is replaced, so update the IAM provider's thumbprint list at every replacement (or serve a certificate issued by a CA)"
            )),
        });
    }
    if !top.info.ca && !top.info.self_signed {
        return Some(Decision::Withhold {
            why: format!(
                "no thumbprint printed: the top of the path, #{index} '{name}', is neither a CA nor self-signed: the server sends only its own certificate, whose SHA-1 ({tp}, for information only) changes at every renewal. Server fix: serve the issuing CA's certificate after the server's (a full-chain file, e.g. nginx ssl_certificate fullchain.pem), then capture again with: {}",
                capture_command(host)
            ),
        });
    }
    Some(Decision::Print { warning: None })
}
