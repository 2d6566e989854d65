//! What to do next: each problem an audit found, turned into the steps that fix it,
//! with the exact commands (`aws iam update-open-id-connect-provider-thumbprint`,
//! `certaudit fix`, server directives) and where to click in the IAM console.
//!
//! Plain text, no colour: every item is a short paragraph, possibly several lines
//! (commands on lines of their own, indented), in the order a person should act:
//! inputs that could not be read, whether AWS uses the thumbprint at all for this
//! host, the thumbprint itself, the served chain, signatures, validity, the host
//! name, weak signatures, and finally what to keep in mind about a served root.
//!
//! Decisions:
//!
//! - The thumbprint list of the update command is the chain's thumbprint and its
//!   alternative thumbprints (the same CA in another served certificate), at most
//!   [`IAM_MAX_THUMBPRINTS`]. The command replaces the whole list, so the advice
//!   says to keep values other hosts of the provider still need: certaudit cannot
//!   tell them from wrong values.
//! - Without `provider_arn` the ARN is a placeholder,
//!   `arn:aws:iam::ACCOUNT_ID:oidc-provider/HOST` (with `/id/CLUSTER_ID` for an
//!   EKS issuer host), HOST being `opts.host`, else the leaf's first DNS name
//!   without a wildcard, else the word `HOST`.
//! - Validity advice is about certificates on the leaf's path; a certificate off
//!   the path is dropped by `certaudit fix`, which the chain advice covers.

use crate::aws::{IAM_MAX_THUMBPRINTS, trusted_by_aws};
use crate::chain::thumbprint::Thumbprint;
use crate::chain::{ChainAnalysis, Match};
use crate::check::{self, capture_command, shell_quote};
use crate::check::{CertAudit, InputAudit};
use crate::der::hex::hex_upper;
use crate::findings::{Code, Finding};
use crate::verify::Verdict;
use crate::x509::validity::Status;
use std::fmt::Write as _;

/// What the user told us about the provider, to make commands ready to paste.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemedyOptions {
    /// The IAM OIDC provider's ARN (`arn:aws:iam::111122223333:oidc-provider/…`).
    pub provider_arn: Option<String>,
    /// The host the chain was captured from (`--host`).
    pub host: Option<String>,
    /// The server software whose directive the chain advice gives (`--server`);
    /// without it, and without `all_servers`, one line names the option.
    pub server: Option<Server>,
    /// Every server's directive (`--verbose`).
    pub all_servers: bool,
    /// The provider's `Url`, from `--provider` (`aws iam get-open-id-connect-provider`).
    pub provider_url: Option<String>,
}

/// The servers whose directive for "serve this chain file" the advice knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Nginx,
    Apache,
    Haproxy,
    K8s,
    Acm,
}

impl Server {
    pub const ALL: [Server; 5] = [
        Server::Nginx,
        Server::Apache,
        Server::Haproxy,
        Server::K8s,
        Server::Acm,
    ];

    /// How to make this server send `fullchain.pem` (lines, indented by two).
    fn recipe(self) -> &'static str {
        match self {
            Server::Nginx => "  nginx:          ssl_certificate /path/to/fullchain.pem;",
            Server::Apache => {
                "  Apache httpd:   SSLCertificateFile /path/to/fullchain.pem  (2.4.8 or later; drop SSLCertificateChainFile)"
            }
            Server::Haproxy => {
                "  HAProxy:        crt /path/to/fullchain-and-key.pem  (fullchain.pem followed by the private key)"
            }
            Server::K8s => {
                "  Kubernetes:     the tls.crt of the ingress's TLS secret holds fullchain.pem"
            }
            Server::Acm => {
                "  AWS ALB, NLB, CloudFront (ACM): re-import the certificate with the chain in order:\n    aws acm import-certificate --certificate-arn CERTIFICATE_ARN --certificate fileb://leaf.pem --certificate-chain fileb://chain.pem --private-key fileb://key.pem\n    (leaf.pem: the first block of fullchain.pem; chain.pem: the others, in the same order)"
            }
        }
    }
}

/// The steps that fix what `audit` found, most urgent first; empty when there is
/// nothing to do.
pub fn advice(audit: &InputAudit, opts: &RemedyOptions) -> Vec<String> {
    let cx = Cx::new(audit, opts);
    let mut out = Vec::new();
    out.extend(cx.unreadable());
    out.extend(cx.private_key());
    out.extend(cx.capture_incomplete());
    out.extend(cx.unverified_links());
    let aws = aws_check(audit, opts.host.as_deref());
    out.extend(aws.as_ref().and_then(|a| cx.aws_rule(a)));
    out.extend(aws.as_ref().and_then(|a| cx.tls13_fallback(a)));
    out.extend(cx.thumbprint_mismatch(aws.as_ref()));
    // A signature that does not verify comes first: until the chain is captured
    // unedited or the right intermediate is served, `certaudit fix` would write the
    // leaf alone and "serve the intermediate" / "self-signed" would repeat or
    // contradict it (review of the text snapshots, issue 14).
    let forged = cx.has(Code::ChainBadSignature);
    if !forged {
        out.extend(cx.served_chain());
    }
    out.extend(cx.bad_signatures());
    if !forged {
        out.extend(cx.incomplete());
    }
    out.extend(cx.validity());
    out.extend(cx.host_mismatch());
    out.extend(cx.weak_signatures());
    out.extend(cx.root_included());
    out
}

/// How AWS most likely checks the host this chain comes from (the contract's "How
/// AWS uses the thumbprint"): from the verdict against the embedded public store
/// (the stand-in for AWS's unpublished CA library, whatever `--trust` says), and
/// from the hosts AWS names as validated through that library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsCheck {
    /// Through AWS's library of trusted root CAs: the thumbprint list is only a
    /// fallback. `verified`: the chain validates to a public root (`store` names
    /// the snapshot); else only the host's name says so (no verdict). `named`: the
    /// host and the provider AWS names it for.
    CaLibrary {
        verified: Option<String>,
        named: Option<(String, &'static str)>,
    },
    /// AWS names the host as validated through its CA library, but this chain does
    /// not validate to a public root (`reason`): it is not what AWS sees there.
    NamedButUntrusted {
        host: String,
        provider: &'static str,
        reason: &'static str,
    },
    /// By the thumbprint list: the chain does not validate to a public root.
    Thumbprint { reason: &'static str },
}

/// [`AwsCheck`] for `audit`, `host` being `--host`; `None` when nothing can be said:
/// no chain, a capture made without `-showcerts` (it holds too little), or no
/// server certificate at all (the leaf is a CA: a file of CA certificates).
pub fn aws_check(audit: &InputAudit, host: Option<&str>) -> Option<AwsCheck> {
    if audit.capture.as_ref().is_some_and(|c| c.incomplete()) {
        return None;
    }
    let leaf_is_ca = audit
        .chain
        .as_ref()
        .and_then(|c| c.leaf)
        .and_then(|l| audit.certs.get(l))
        .is_some_and(|c| c.info.ca);
    if leaf_is_ca {
        return None;
    }
    let named = named_host(audit, host);
    match (&audit.public_trust, named) {
        (Some(t), named) if t.trusted => Some(AwsCheck::CaLibrary {
            verified: Some(t.store.clone()),
            named,
        }),
        (Some(t), Some((host, provider))) => Some(AwsCheck::NamedButUntrusted {
            host,
            provider,
            reason: t.reason.unwrap_or("other"),
        }),
        (Some(t), None) => Some(AwsCheck::Thumbprint {
            reason: t.reason.unwrap_or("other"),
        }),
        (None, Some(named)) => Some(AwsCheck::CaLibrary {
            verified: None,
            named: Some(named),
        }),
        (None, None) => None,
    }
}

/// The host AWS names as validated through its CA library, if `host` (`--host`) or
/// a DNS name of the leaf is one, with the provider's name.
fn named_host(audit: &InputAudit, host: Option<&str>) -> Option<(String, &'static str)> {
    if let Some(h) = host
        && let Some(p) = trusted_by_aws(h)
    {
        return Some((h.trim().to_string(), p));
    }
    let leaf = audit.chain.as_ref()?.leaf?;
    audit
        .certs
        .get(leaf)?
        .info
        .dns_names
        .iter()
        .find_map(|n| trusted_by_aws(n).map(|p| (printable(n), p)))
}

/// Why this chain does not validate to a public root, in words, from
/// `chain.trust`'s `reason` ([`AwsCheck::Thumbprint`], [`AwsCheck::NamedButUntrusted`]):
/// the one mapping of those codes to words (the text report's AWS line says it).
pub fn thumbprint_list_reason(audit: &InputAudit, reason: &str) -> String {
    let chain = audit.chain.as_ref();
    let cert = |i: usize| audit.certs.get(i);
    // Certificates by number only: the report's table names them.
    let on_path = |status: Status| {
        chain
            .and_then(|c| {
                c.path
                    .iter()
                    .find(|&&i| cert(i).is_some_and(|c| c.status == status))
            })
            .map_or_else(
                || "a certificate on the leaf's path".to_string(),
                |i| format!("#{i}"),
            )
    };
    let top = chain
        .and_then(|c| c.thumbprint_index)
        .and_then(|i| cert(i).map(|c| (i, c)));
    match (reason, top) {
        ("unknown_issuer", Some((_, t))) if t.info.self_signed && !t.info.ca => {
            "the server's certificate is self-signed: no CA signed it".to_string()
        }
        ("unknown_issuer", Some((i, t))) if t.info.self_signed => {
            format!("the root #{i} is not one of the public CAs in AWS's library (a private CA)")
        }
        ("unknown_issuer", Some((i, t))) if t.info.self_issued => {
            format!("no CA in AWS's library issued #{i}")
        }
        ("unknown_issuer", Some((i, t))) => format!(
            "the issuer of #{i}, '{}', is not one of the public CAs in AWS's library (a private CA, or a public CA's intermediate that the server does not send)",
            printable(t.info.issuer.short())
        ),
        ("unknown_issuer", None) => {
            "the chain does not lead to a public CA in AWS's library (a private CA, or a self-signed certificate)".to_string()
        }
        ("expired", _) => format!("the chain does not validate: {} has expired", on_path(Status::Expired)),
        ("not_yet_valid", _) => format!(
            "the chain does not validate: {} is not valid yet",
            on_path(Status::NotYetValid)
        ),
        ("bad_signature", _) => "the chain does not validate: a signature on the leaf's path does not verify with an algorithm TLS clients accept (SHA-1, MD5 and DSA signatures are refused)".to_string(),
        ("name_mismatch", _) => "the chain does not validate for this host name: the leaf does not cover it".to_string(),
        ("not_a_ca", _) => "the chain does not validate: a certificate on the leaf's path acts as a CA without being one, or a path length limit is broken".to_string(),
        ("usage", _) => "the chain does not validate: a certificate's key usage or extended key usage does not allow TLS server authentication".to_string(),
        _ => match audit.public_trust.as_ref().and_then(|t| t.detail.as_deref()) {
            Some(d) if d.contains("UnsupportedCertVersion") => {
                "the chain does not validate: a certificate on it is not X.509 version 3".to_string()
            }
            Some(d) => format!("path validation failed ({})", printable(d)),
            None => "path validation failed".to_string(),
        },
    }
}

/// The audit, the options and what every piece of advice needs from them.
struct Cx<'a> {
    audit: &'a InputAudit,
    opts: &'a RemedyOptions,
    chain: Option<&'a ChainAnalysis>,
}

impl<'a> Cx<'a> {
    fn new(audit: &'a InputAudit, opts: &'a RemedyOptions) -> Self {
        Cx {
            audit,
            opts,
            chain: audit.chain.as_ref(),
        }
    }

    fn has(&self, code: Code) -> bool {
        self.audit.findings.iter().any(|f| f.code == code)
    }

    fn findings(&self, code: Code) -> impl Iterator<Item = &'a Finding> + use<'a> {
        self.audit.findings.iter().filter(move |f| f.code == code)
    }

    fn cert(&self, i: usize) -> Option<&'a CertAudit> {
        self.audit.certs.get(i)
    }

    /// `#2 'Example Root CA'`
    fn name(&self, i: usize) -> String {
        match self.cert(i) {
            Some(c) => format!("#{i} '{}'", printable(c.info.short_name())),
            None => format!("#{i}"),
        }
    }

    fn leaf(&self) -> Option<&'a CertAudit> {
        self.chain.and_then(|c| c.leaf).and_then(|i| self.cert(i))
    }

    /// The host for commands: the one given, else the leaf's first exact DNS name.
    fn host(&self) -> Option<String> {
        if let Some(h) = self.opts.host.as_deref().filter(|h| !h.trim().is_empty()) {
            return Some(h.trim().to_string());
        }
        self.leaf()?
            .info
            .dns_names
            .iter()
            .find(|n| !n.contains('*') && !n.is_empty())
            .map(|n| printable(n))
    }

    fn host_or_placeholder(&self) -> String {
        self.host().unwrap_or_else(|| "HOST".to_string())
    }

    /// `openssl s_client -servername H -showcerts -connect H:443 </dev/null`
    fn capture_command(&self) -> String {
        capture_command(&self.host_or_placeholder())
    }

    fn provider_arn(&self) -> String {
        if let Some(arn) = self
            .opts
            .provider_arn
            .as_deref()
            .filter(|a| !a.trim().is_empty())
        {
            return arn.trim().to_string();
        }
        let host = self.host_or_placeholder();
        if host.to_ascii_lowercase().starts_with("oidc.eks.") {
            format!("arn:aws:iam::ACCOUNT_ID:oidc-provider/{host}/id/CLUSTER_ID")
        } else {
            format!("arn:aws:iam::ACCOUNT_ID:oidc-provider/{host}")
        }
    }

    /// The update command for `values` (thumbprints, or `NEW_THUMBPRINT` for one
    /// not known yet), and where to find the ARN when it is a placeholder.
    fn update_command(&self, values: &[String]) -> String {
        let mut s = format!(
            "  aws iam update-open-id-connect-provider-thumbprint \\\n      --open-id-connect-provider-arn {} \\\n      --thumbprint-list {}",
            shell_quote(&self.provider_arn()),
            values.join(" ")
        );
        if let Some(url) = &self.opts.provider_url {
            let _ = write!(
                s,
                "\n(This is the IAM OIDC provider for {url}, whose thumbprint list --provider gave.)"
            );
        }
        if self.opts.provider_arn.is_none() {
            s.push_str("\n(`aws iam list-open-id-connect-providers` lists the providers' ARNs.)");
        }
        s
    }

    /// Where certificate `i`'s issuer can be downloaded: the caIssuers address of its
    /// Authority Information Access, or the CA's download page when it names none.
    fn issuer_download(&self, i: usize) -> String {
        match self.cert(i).map(|c| c.info.ca_issuers.as_slice()) {
            Some([]) | None => {
                "from the CA's download page (the certificate names no download address)"
                    .to_string()
            }
            Some(uris) => {
                let list: Vec<String> = uris.iter().map(|u| printable(u)).collect();
                format!(
                    "at the address the certificate names for it (Authority Information Access), {} (often DER: `openssl x509 -inform DER -in FILE -out intermediate.pem` makes it PEM)",
                    list.join(" or ")
                )
            }
        }
    }

    /// `certaudit fix INPUT > fullchain.pem`
    fn fix_command(&self) -> String {
        if self.audit.source == "-" {
            "  certaudit fix INPUT > fullchain.pem\n(INPUT being the file whose content you piped in.)"
                .to_string()
        } else {
            format!(
                "  certaudit fix {} > fullchain.pem",
                shell_quote(&printable(&self.audit.source))
            )
        }
    }

    /// The server directives for `fullchain.pem`: the one of `--server`, all of them
    /// with `all_servers`, else a line naming the option.
    fn recipes(&self) -> String {
        let chosen: Vec<Server> = if self.opts.all_servers {
            Server::ALL.to_vec()
        } else {
            self.opts.server.into_iter().collect()
        };
        if chosen.is_empty() {
            return " (--server nginx|apache|haproxy|k8s|acm gives its directive), then capture the chain again and check it.".to_string();
        }
        let mut s = ":".to_string();
        for server in chosen {
            s.push('\n');
            s.push_str(server.recipe());
        }
        s.push_str("\nThen capture the chain again and check it.");
        s
    }

    // --- advice, one function per problem -----------------------------------

    fn unreadable(&self) -> Option<String> {
        if self.has(Code::InputUnreadable) {
            return Some(format!(
                "{} could not be read: check the path and its permissions, then run certaudit again.",
                printable(&self.audit.source)
            ));
        }
        if !self.has(Code::InputEmpty) {
            return None;
        }
        let mut s = format!(
            "No certificate could be read from {}. ",
            printable(&self.audit.source)
        );
        if self.has(Code::InputBadBase64) {
            s.push_str("A PEM block holds something other than base64, such as the 'CERTIFICATE Redacted' placeholder of a documentation example: analyse your own capture, not a copied example. ");
        }
        if self.has(Code::InputTruncated) || self.has(Code::InputBadCertificate) {
            s.push_str("A block is cut short or damaged, as happens when a paste is truncated: copy the whole output again. ");
        }
        let _ = write!(
            s,
            "Capture the chain the server sends into a file and check that file:\n  {} > chain.txt\n  certaudit check chain.txt",
            self.capture_command()
        );
        Some(s)
    }

    fn private_key(&self) -> Option<String> {
        self.has(Code::InputPrivateKey).then(|| {
            format!(
                "{} contains a private key. certaudit never prints it, but if this file has been shared (a ticket, a chat, a repository), treat the key as exposed: generate a new key, have the certificate reissued for it, and keep keys out of the files you share.",
                printable(&self.audit.source)
            )
        })
    }

    fn thumbprint_mismatch(&self, aws: Option<&AwsCheck>) -> Option<String> {
        if !self.has(Code::ThumbprintMismatch)
            || matches!(aws, Some(AwsCheck::NamedButUntrusted { .. }))
        {
            // Not the chain AWS sees: the advice says not to register its value.
            return None;
        }
        let chain = self.chain?;
        let configured: Vec<String> = chain.expected.iter().map(|e| e.value.to_string()).collect();
        let (Some(tp), Some(top)) = (chain.thumbprint, chain.thumbprint_index) else {
            return Some(format!(
                "The configured thumbprint ({}) cannot be checked: no leaf could be identified, so this chain has no thumbprint. Fix the served chain first (below), capture it again and run `certaudit thumbprint` on it.",
                configured.join(", ")
            ));
        };
        if !self.cert(top).is_some_and(|c| c.info.ca) {
            return Some(format!(
                "Thumbprint mismatch: the provider is configured with {}, but this chain stops at {}, which is not a CA: its thumbprint would be the server certificate's own SHA-1 ({tp}), which changes at every renewal. Do not register it: first make the server send the intermediate that issued its certificate (below), capture the chain again, and register the thumbprint `certaudit thumbprint` then prints, with\n{}",
                configured.join(", "),
                self.name(top),
                self.update_command(&["NEW_THUMBPRINT".to_string()])
            ));
        }
        let mut list = vec![tp];
        for alt in &chain.alternative_thumbprints {
            if !list.contains(alt) {
                list.push(*alt);
            }
        }
        list.truncate(IAM_MAX_THUMBPRINTS);

        let mut s = format!(
            "Thumbprint mismatch: the provider is configured with {}, but this chain's IAM thumbprint is {tp}, the SHA-1 of {}, the top of the leaf's path",
            configured.join(", "),
            self.name(top)
        );
        if list.len() > 1 {
            let alts: Vec<String> = list.iter().skip(1).map(Thumbprint::to_string).collect();
            let _ = write!(
                s,
                " (and {}: the same CA in another served certificate, which IAM should accept too)",
                alts.join(", ")
            );
        }
        match aws {
            Some(AwsCheck::CaLibrary { .. }) => s.push_str(
                ". For this host the list is only AWS's fallback (see above), but keep it right",
            ),
            Some(AwsCheck::Thumbprint { .. }) => s.push_str(". AWS checks this list for this host"),
            _ => {}
        }
        let _ = write!(
            s,
            ". Replace the provider's thumbprint list:\n{}\nThe command replaces every value the provider has (IAM keeps at most {IAM_MAX_THUMBPRINTS}): add to the list any value another host of this provider still needs, such as the thumbprint of a jwks_uri served from another host. In the IAM console: Identity providers → the provider → Thumbprints → Manage: add {tp}, remove the wrong value, Save changes.",
            self.update_command(&list.iter().map(Thumbprint::to_string).collect::<Vec<_>>())
        );
        for e in &chain.expected {
            let at = e.index.map(|i| self.name(i)).unwrap_or_default();
            let why = match e.matches {
                Match::Top => continue,
                Match::Leaf => format!(
                    "{} is the SHA-1 of the leaf {at} itself: it breaks at the next renewal of the server certificate, and at every one after it. IAM wants the top CA's, which stays the same across renewals.",
                    e.value
                ),
                Match::Intermediate => format!(
                    "{} is the SHA-1 of {at}, an intermediate below the top of the path: IAM wants the top certificate's.",
                    e.value
                ),
                Match::Other => {
                    let last = e.index.is_some() && e.index == chain.served_last;
                    format!(
                        "{} is the SHA-1 of {at}, which the server sends but which is not on the leaf's path{}",
                        e.value,
                        if last {
                            ": it is the last certificate served, the one eksctl, Terraform's tls_certificate and the IAM console hash. Fix the served chain (below) so that the last certificate is the top of the path."
                        } else {
                            "."
                        }
                    )
                }
                Match::None => format!(
                    "{} matches no certificate the server sent. Usual causes: it was computed behind a TLS-intercepting proxy (a corporate firewall or security gateway whose own CA replaces the real chain): capture the chain from a network without interception, such as AWS CloudShell or an EC2 instance; or the server's chain comes from a private CA it does not send: the value is then that CA certificate's SHA-1 (`openssl x509 -in ca.pem -noout -fingerprint -sha1`), and serving the CA certificate makes it visible; or the provider's CA changed since the value was taken. If it is the thumbprint of another host of the same provider, keep it in the list.",
                    e.value
                ),
            };
            s.push('\n');
            s.push_str(&why);
        }
        Some(s)
    }

    fn served_chain(&self) -> Option<String> {
        let chain = self.chain?;
        let disorder = self.has(Code::ChainOutOfOrder);
        let dups: Vec<String> = self
            .findings(Code::ChainDuplicate)
            .filter_map(|f| f.certificate.map(|i| self.name(i)))
            .collect();
        let extras: Vec<String> = self
            .findings(Code::ChainExtraCertificate)
            .filter_map(|f| f.certificate)
            .map(|i| {
                let same_ca = self.cert(i).is_some_and(|c| {
                    chain
                        .alternative_thumbprints
                        .contains(&Thumbprint(c.info.sha1))
                });
                if same_ca {
                    format!(
                        "{} (the same CA as the top of the path, in another certificate)",
                        self.name(i)
                    )
                } else {
                    self.name(i)
                }
            })
            .collect();
        let no_leaf = chain.leaf.is_none();
        if !disorder && dups.is_empty() && extras.is_empty() && !no_leaf {
            return None;
        }
        if no_leaf {
            return Some("No leaf can be identified: every served certificate is named as the issuer of another (a loop of cross-certificates). Serve the server's own certificate first, then each CA certificate that issued the one before it, and nothing else; capture the chain again and check it.".to_string());
        }
        // A capture is what the server sends; any other input is a file that holds a
        // chain (a PKCS#7 bundle, a fullchain.pem, a Secret), perhaps not yet served.
        let (whose, verb) = match (self.audit.format, self.audit.source.as_str()) {
            (Some(crate::input::Format::SClient), _) => {
                ("the chain the server sends".to_string(), "sends")
            }
            (_, "-") => ("the chain piped in".to_string(), "holds"),
            (_, source) => (format!("the chain in {}", printable(source)), "holds"),
        };
        let mut what = Vec::new();
        if disorder {
            what.push("its certificates are not in order".to_string());
        }
        if !dups.is_empty() {
            what.push(format!("it {verb} {} more than once", dups.join(", ")));
        }
        if !extras.is_empty() {
            what.push(format!(
                "it {verb} {}, which {} not on the leaf's path",
                extras.join(", "),
                if extras.len() == 1 { "is" } else { "are" }
            ));
        }
        let mut s = format!(
            "Fix {whose}: {}. Write the leaf's path, leaf first, with\n{}\nand configure the server to send that file{}",
            what.join("; "),
            self.fix_command(),
            self.recipes()
        );
        // A path that ends at a certificate which is no CA (the leaf alone) has no
        // thumbprint worth registering: the intermediate advice below says so.
        let top_is_ca = chain
            .thumbprint_index
            .and_then(|t| self.cert(t))
            .is_some_and(|c| c.info.ca);
        match (
            chain.thumbprint,
            chain.served_last,
            chain.served_last_thumbprint,
        ) {
            (Some(_), Some(last), Some(last_tp)) if !top_is_ca => {
                let _ = write!(
                    s,
                    "\neksctl, Terraform's tls_certificate and the IAM console hash the last certificate the server sends: today that is {} (SHA-1 {last_tp}), which is not a CA of the leaf's path. Register neither that value nor the leaf's: once the server sends the intermediate that issued the leaf (see below), the thumbprint is the SHA-1 of the top of the new chain.",
                    self.name(last)
                );
            }
            (Some(tp), Some(last), Some(last_tp))
                if last_tp != tp && chain.alternative_thumbprints.contains(&last_tp) =>
            {
                let _ = write!(
                    s,
                    "\neksctl, Terraform's tls_certificate and the IAM console hash the last certificate the server sends: today that is {} (SHA-1 {last_tp}), the same CA as the top of the leaf's path ({tp}) in another certificate. Once the chain is fixed they register {tp}; keep both values in the provider's list.",
                    self.name(last)
                );
            }
            (Some(tp), Some(last), Some(last_tp)) if last_tp != tp => {
                let _ = write!(
                    s,
                    "\nA provider created with {last_tp} (the SHA-1 of {}, served last) needs updating to the IAM thumbprint, {tp}.",
                    self.name(last)
                );
            }
            (Some(tp), _, _) => {
                let _ = write!(
                    s,
                    "\nThe IAM thumbprint stays {tp}: the server already sends the top of the leaf's path last."
                );
            }
            _ => {}
        }
        Some(s)
    }

    fn bad_signatures(&self) -> Vec<String> {
        let mut out = Vec::new();
        for f in self.findings(Code::ChainBadSignature) {
            let Some(i) = f.certificate else { continue };
            let Some(c) = self.cert(i) else { continue };
            if c.info.self_issued {
                out.push(format!(
                    "{} names itself as its issuer, but its own key does not verify its signature: its bytes were changed, as in a hand-edited or damaged paste. Capture the chain again and analyse it unedited.",
                    self.name(i)
                ));
                continue;
            }
            let issuer = self.chain.and_then(|ch| {
                ch.links
                    .iter()
                    .find(|l| l.child == i && l.signature == Verdict::Invalid)
                    .map(|l| l.issuer)
            });
            let by = issuer
                .map(|j| {
                    format!(
                        "the key of {}, the served certificate with the issuer name it names",
                        self.name(j)
                    )
                })
                .unwrap_or_else(|| {
                    "the key of the served certificate with the issuer name it names".to_string()
                });
            let aki = c
                .info
                .authority_key_id
                .as_deref()
                .map(|k| {
                    format!(
                        " whose Subject Key Identifier is {} (the Authority Key Identifier of {})",
                        colon_hex(k),
                        self.name(i)
                    )
                })
                .unwrap_or_default();
            out.push(format!(
                "The signature of {} does not verify with {by}. Either the chain was edited (a certificate changed or cut in a paste: capture it again), or the server sends the wrong intermediate under the right name, such as an older or re-keyed CA certificate. Get the CA certificate that really issued it{aki} from the CA and serve that one.",
                self.name(i)
            ));
        }
        out
    }

    /// `chain.unverified_link`: how to check the signature certaudit could not, and
    /// what the thumbprint is if it holds.
    fn unverified_links(&self) -> Vec<String> {
        let Some(chain) = self.chain else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for f in self.findings(Code::ChainUnverifiedLink) {
            let Some(i) = f.certificate else { continue };
            let Some(j) = chain
                .links
                .iter()
                .find(|l| l.child == i && l.signature == Verdict::Unsupported)
                .map(|l| l.issuer)
            else {
                continue;
            };
            let then = match (chain.thumbprint_index == Some(i), self.cert(j)) {
                (true, Some(c)) => format!(
                    "If it says OK, the path goes on to #{j} (and above it, if its issuer is served), and the IAM thumbprint is the new top's SHA-1 ({} for #{j}), not {}.",
                    Thumbprint(c.info.sha1),
                    chain.thumbprint.map(|t| t.to_string()).unwrap_or_default()
                ),
                _ => "If it says OK, the path takes that issuer and the IAM thumbprint may change."
                    .to_string(),
            };
            let how = match (self.cert(i), self.cert(j)) {
                (Some(c), Some(ic)) => format!(
                    " ({} with a key of {})",
                    c.info.signature_algorithm, ic.info.public_key
                ),
                _ => String::new(),
            };
            out.push(format!(
                "certaudit could not check the signature of {} by {}{how}. Check it with OpenSSL, which verifies more algorithms: save #{i} as cert.pem and #{j} as issuer.pem, then\n  openssl verify -partial_chain -CAfile issuer.pem cert.pem\n{then}",
                self.name(i),
                self.name(j),
            ));
        }
        out
    }

    /// What AWS's way of checking this host means for the user (contract, "How AWS
    /// uses the thumbprint"). The report's verdict already says which way it is;
    /// this says what follows from it.
    fn aws_rule(&self, aws: &AwsCheck) -> Option<String> {
        let chain = self.chain;
        let mismatch = self.has(Code::ThumbprintMismatch);
        let top = chain.and_then(|c| c.thumbprint_index);
        let tp = chain.and_then(|c| c.thumbprint);
        match aws {
            AwsCheck::CaLibrary { verified, named } => {
                let mut s = match named {
                    Some((host, provider)) if verified.is_none() => format!(
                        "{host} is {provider}'s, one of the hosts AWS names as validated through its own library of trusted root CAs, not through the thumbprint list. "
                    ),
                    _ => String::new(),
                };
                s.push_str("A thumbprint mismatch alone does not explain an \"InvalidIdentityToken: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint\" error for this host: AWS turns to the thumbprint list only when it cannot retrieve the certificate or the host requires TLS 1.3. Look at those first, and at the host of the provider's jwks_uri if it is another one (`certaudit oidc` on the saved /.well-known/openid-configuration names it).");
                if let (Some(tp), Some(top), false) = (tp, top, mismatch)
                    && self.cert(top).is_some_and(|c| c.info.ca)
                {
                    let _ = write!(
                        s,
                        " Keep {tp}, the SHA-1 of {}, the top of the leaf's path, in the list anyway, for when AWS falls back to it.",
                        self.name(top)
                    );
                }
                Some(s)
            }
            AwsCheck::NamedButUntrusted { host, .. } => Some(format!(
                "Do not register this chain's thumbprint: it is not the chain {host} serves to AWS. It was most likely captured through a TLS-intercepting proxy (a corporate firewall or security gateway whose own CA replaces the real chain), or from another host. Capture it again from a network without interception, such as AWS CloudShell or an EC2 instance:\n  {}",
                self.capture_command()
            )),
            AwsCheck::Thumbprint { .. } => {
                let registered =
                    chain.is_some_and(|c| c.expected.iter().any(|e| e.matches == Match::Top));
                if mismatch || registered {
                    // The mismatch advice names the value and the command; a value
                    // that matches is confirmed by the report.
                    return None;
                }
                let (tp, top) = (tp?, top?);
                if self
                    .cert(top)
                    .is_some_and(|c| c.info.self_signed && !c.info.ca)
                {
                    // The self-signed advice (below) says it, once.
                    return None;
                }
                if !self.top_worth_registering() {
                    return None;
                }
                // Which certificate it is, the report's thumbprint line says; why AWS
                // checks the list, its AWS line (`thumbprint_list_reason`).
                Some(format!(
                    "Register the IAM thumbprint {tp} in the provider's thumbprint list, which AWS checks for this host."
                ))
            }
        }
    }

    /// Whether the top of the path is worth registering: a CA, or a self-signed
    /// server certificate (whose advice says it, once). A leaf at the top (no CA
    /// served) is the incompleteness advice's.
    fn top_worth_registering(&self) -> bool {
        self.chain
            .and_then(|c| c.thumbprint_index)
            .and_then(|i| self.cert(i))
            .is_some_and(|top| top.info.ca || top.info.self_signed)
    }

    /// AWS falls back to the thumbprint list when the host requires TLS 1.3: a
    /// capture that negotiated TLS 1.3 from a host AWS validates by CA says to check
    /// that TLS 1.2 is still accepted.
    fn tls13_fallback(&self, aws: &AwsCheck) -> Option<String> {
        let version = self.audit.capture.as_ref()?.tls_version.as_deref()?;
        if version != "TLSv1.3" || matches!(aws, AwsCheck::Thumbprint { .. }) {
            return None;
        }
        let host = self.host_or_placeholder();
        let keep = match self.chain.and_then(|c| c.thumbprint) {
            Some(tp) => format!(": it must then hold {tp}"),
            None => String::new(),
        };
        Some(format!(
            "This capture negotiated TLS 1.3. AWS uses the thumbprint list instead of its CA library when the host requires TLS 1.3, so check that the host still accepts TLS 1.2:\n  {}\nIf it does not, the thumbprint list is what AWS checks for this host{keep}.",
            check::tls12_command(&host)
        ))
    }

    /// A capture made without `-showcerts`: capture again; never register what it holds.
    fn capture_incomplete(&self) -> Option<String> {
        let c = self.audit.capture.as_ref().filter(|c| c.incomplete())?;
        let served = c.served_count?;
        Some(format!(
            "Capture the chain again with -showcerts: this capture lists {served} certificates sent by the server but holds only {} (openssl s_client prints only the server's own certificate without -showcerts), so nothing here says whether the server's chain is complete, and the thumbprint of what was captured is not the one IAM needs. Run:\n  {}",
            c.blocks_present,
            self.capture_command()
        ))
    }

    fn incomplete(&self) -> Option<String> {
        let f = self.findings(Code::ChainIncomplete).next()?;
        let chain = self.chain?;
        let top_i = f.certificate.or(chain.thumbprint_index)?;
        let top = self.cert(top_i)?;
        if top.info.ca {
            return Some(format!(
                "The top of the leaf's path, {}, is neither a root in the --trust bundle nor issued by one. Either its root is missing from that bundle (a private CA: add the root to the bundle you check against, and make sure every client has it), or the server sends an intermediate that chains to another root than the one clients trust: serve the intermediate issued under a trusted root.",
                self.name(top_i)
            ));
        }
        let tp = Thumbprint(top.info.sha1);
        if top.info.self_signed || top.info.self_issued {
            // An edited paste (self-issued, its signature broken) is not a value to register.
            let until = if top.info.self_signed
                && matches!(
                    aws_check(self.audit, self.opts.host.as_deref()),
                    Some(AwsCheck::Thumbprint { .. })
                ) {
                format!(
                    " Until then AWS checks the provider's thumbprint list for this host (no CA signed the certificate): register {tp}, and the new value at every replacement."
                )
            } else {
                String::new()
            };
            return Some(format!(
                "The server's certificate {} is self-signed, not issued by a CA: clients cannot verify it, and the thumbprint computed from it ({tp}) is its own SHA-1, which changes whenever it is replaced. Use a certificate issued by a public CA (AWS Certificate Manager, Let's Encrypt, …) and serve it with its intermediate.{until}",
                self.name(top_i)
            ));
        }
        Some(format!(
            "Serve the intermediate: the server sends {} without the CA certificate that issued it ('{}'). Get that intermediate {}, put it after the leaf in the server's certificate file (leaf first, then each issuer), reload the server, then capture the chain again:\n  {}\nUntil then the thumbprint computed from this chain is the leaf's own SHA-1, {tp}, which breaks at the next renewal: do not register it.",
            self.name(top_i),
            printable(&top.info.issuer.display),
            self.issuer_download(top_i),
            self.capture_command()
        ))
    }

    fn validity(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Some(chain) = self.chain else {
            // A bundle: no path, so each certificate for itself.
            for (i, c) in self.audit.certs.iter().enumerate() {
                let when = match c.status {
                    Status::Expired => format!("expired on {}", date(c.info.not_after)),
                    Status::ExpiringSoon => format!(
                        "expires on {} ({})",
                        date(c.info.not_after),
                        days(c.days_left)
                    ),
                    Status::NotYetValid => {
                        format!("is valid only from {}", date(c.info.not_before))
                    }
                    Status::Valid => continue,
                };
                out.push(format!(
                    "{} {when}: replace it in the bundle with its current version.",
                    self.name(i)
                ));
            }
            return out;
        };
        let top = chain.thumbprint_index;
        for &i in &chain.path {
            let Some(c) = self.cert(i) else { continue };
            if c.status == Status::Valid {
                continue;
            }
            let is_leaf = chain.leaf == Some(i);
            let text = if is_leaf {
                self.leaf_validity(i, c, top)
            } else {
                self.ca_validity(i, c, top)
            };
            out.push(text);
        }
        out
    }

    fn leaf_validity(&self, i: usize, c: &CertAudit, top: Option<usize>) -> String {
        let name = self.name(i);
        let same_tp = match (top, self.chain.and_then(|ch| ch.thumbprint)) {
            (Some(t), Some(_)) if t != i => " The IAM thumbprint does not change if the new certificate is issued by the same CA; if it comes from another CA, capture the new chain and update the thumbprint.".to_string(),
            (Some(_), Some(tp)) => format!(
                " The IAM thumbprint computed from this chain ({tp}) is this certificate's own SHA-1, so it changes with the renewal: serve the intermediate too (see above)."
            ),
            _ => String::new(),
        };
        match c.status {
            Status::Expired => format!(
                "Renew the server certificate {name}: it expired on {}, and clients, STS included, refuse the connection until it is replaced.{same_tp}",
                date(c.info.not_after)
            ),
            Status::ExpiringSoon => format!(
                "Renew the server certificate {name} before {} ({}).{same_tp}",
                date(c.info.not_after),
                days(c.days_left)
            ),
            Status::NotYetValid => format!(
                "The server certificate {name} is valid only from {}: it was deployed too early (serve the current certificate until then), or a clock is wrong (the server's, or the evaluation time: see --at).",
                date(c.info.not_before)
            ),
            Status::Valid => String::new(),
        }
    }

    fn ca_validity(&self, i: usize, c: &CertAudit, top: Option<usize>) -> String {
        let name = self.name(i);
        let when = match c.status {
            Status::Expired => format!("expired on {}", date(c.info.not_after)),
            Status::ExpiringSoon => format!(
                "expires on {} ({})",
                date(c.info.not_after),
                days(c.days_left)
            ),
            Status::NotYetValid => {
                return format!(
                    "The CA certificate {name} on the leaf's path is valid only from {}: the server sends a CA certificate that is not valid yet. Serve the CA certificate that is valid now until then (or check the clocks and --at).",
                    date(c.info.not_before)
                );
            }
            Status::Valid => return String::new(),
        };
        let mut s = format!(
            "The CA certificate {name} on the leaf's path {when}. It must be renewed: get its current version, or a chain under its successor, from the CA and serve it; the server certificate often has to be reissued under the new CA as well."
        );
        let tp = self.chain.and_then(|ch| ch.thumbprint);
        match (top, tp) {
            (Some(t), Some(tp)) if t == i => {
                let _ = write!(
                    s,
                    " The IAM thumbprint is this CA's SHA-1 ({tp}): afterwards it is the new top CA's SHA-1. Capture the new chain, get the new value with `certaudit thumbprint`, and add it to the provider before the switch, keeping {tp} until the switch is done (IAM keeps up to {IAM_MAX_THUMBPRINTS} values):\n{}\nthen remove {tp} once the server sends the new chain.",
                    self.update_command(&[tp.to_string(), "NEW_THUMBPRINT".to_string()])
                );
            }
            (Some(t), Some(tp)) => {
                let _ = write!(
                    s,
                    " The IAM thumbprint is the top's ({tp}, {}); it stays the same if the renewed certificate chains to the same top CA. Check the new chain with `certaudit thumbprint` after the switch, and update the provider if the value changed.",
                    self.name(t)
                );
            }
            _ => {}
        }
        s
    }

    fn host_mismatch(&self) -> Option<String> {
        if !self.has(Code::HostMismatch) {
            return None;
        }
        let host = self.opts.host.clone().unwrap_or_else(|| "HOST".to_string());
        let leaf = self.leaf()?;
        let names: Vec<String> = leaf.info.dns_names.iter().map(|n| printable(n)).collect();
        let covers = if names.is_empty() {
            "has no DNS name in its subjectAltName".to_string()
        } else {
            format!("covers {}", names.join(", "))
        };
        let leaf_i = self.chain.and_then(|c| c.leaf).unwrap_or(0);
        Some(format!(
            "The leaf {} {covers}, not {host}. If the chain was captured without -servername {host}, the server may have sent its default certificate: capture it again with\n  {}\nOtherwise the server needs a certificate whose subjectAltName includes {host} (a wildcard *.example.com covers exactly one label: not example.com, not a.b.example.com).",
            self.name(leaf_i),
            capture_command(&host)
        ))
    }

    fn weak_signatures(&self) -> Vec<String> {
        self.findings(Code::SignatureWeak)
            .filter_map(|f| f.certificate)
            .filter_map(|i| {
                let c = self.cert(i)?;
                let top = self.chain.and_then(|ch| ch.thumbprint_index) == Some(i);
                Some(format!(
                    "{} is signed with {}, which clients reject on anything but a trust anchor. Ask the CA for a version signed with SHA-256 and serve it{}.",
                    self.name(i),
                    c.info.signature_algorithm,
                    if top {
                        "; it is the top of the leaf's path, so the IAM thumbprint changes with it"
                    } else {
                        ""
                    }
                ))
            })
            .collect()
    }

    fn root_included(&self) -> Option<String> {
        if !self.has(Code::ChainRootIncluded) {
            return None;
        }
        let chain = self.chain?;
        let (tp, top) = (chain.thumbprint?, chain.thumbprint_index?);
        let below = chain.path.iter().rev().nth(1).copied();
        let below_name = below
            .map(|i| format!(", {}", self.name(i)))
            .unwrap_or_default();
        let below_sha1 = below
            .and_then(|i| self.cert(i))
            .map(|c| format!(" ({})", hex_upper(&c.info.sha1)))
            .unwrap_or_default();
        if chain.path.len() < 2 {
            return None;
        }
        Some(format!(
            "The IAM thumbprint {tp} is the SHA-1 of the served root {}. If the server stops sending the root, the top of the path becomes the CA below it{below_name}, and so does the thumbprint: register that CA's SHA-1{below_sha1} too before changing the server.",
            self.name(top)
        ))
    }
}

/// Untrusted text (names from hostile certificates, paths) as `report::escape` shows
/// it: controls, bidi and zero-width characters escaped, cut to a display name's length.
fn printable(s: &str) -> String {
    crate::escape::name(s).into_owned()
}

fn colon_hex(bytes: &[u8]) -> String {
    let hex = hex_upper(bytes);
    let pairs: Vec<&str> = (0..hex.len())
        .step_by(2)
        .filter_map(|i| hex.get(i..i + 2))
        .collect();
    pairs.join(":")
}

fn date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d").to_string()
}

fn days(n: i64) -> String {
    if n == 1 {
        "in 1 day".to_string()
    } else {
        format!("in {n} days")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ChainOptions;
    use crate::check::{self, Settings};
    use chrono::{DateTime, TimeZone, Utc};

    const RSA_LEAF_SHA1: &str = "80F097469EE5734D8F28D179316D544767E4ADA1";
    const RSA_INT_SHA1: &str = "E9F04E99825AE3BF47D23CB01176440E53A8D6A4";
    const UNKNOWN: &str = "9E99A48A9960B14926BB7F3B02E22DA2B0AB7280";

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
    }

    fn audit_with(name: &str, bytes: &[u8], expect: &[&str], host: Option<&str>) -> InputAudit {
        let settings = Settings {
            at: at(),
            warn_days: 30,
            bundle: false,
            chain: ChainOptions {
                expect: expect.iter().map(|e| e.parse().unwrap()).collect(),
                host: host.map(str::to_string),
                trust: None,
                trust_path: None,
            },
            input: Default::default(),
        };
        check::audit(name, bytes, &settings)
    }

    macro_rules! chain {
        ($file:literal) => {
            chain!($file, &[], None)
        };
        ($file:literal, $expect:expr, $host:expr) => {
            audit_with(
                concat!("fixtures/chains/", $file),
                include_bytes!(concat!("../fixtures/chains/", $file)),
                $expect,
                $host,
            )
        };
    }

    fn text(items: &[String]) -> String {
        items.join("\n\n")
    }

    fn plain(items: &[String]) {
        for item in items {
            assert!(!item.contains('\x1b'), "{item}");
            assert!(!item.trim().is_empty());
        }
    }

    fn none() -> RemedyOptions {
        RemedyOptions::default()
    }

    #[test]
    fn a_good_private_chain_needs_only_its_thumbprint_registered() {
        // Untrusted (a private CA): AWS checks the thumbprint list, so the advice
        // names the value and why AWS uses it.
        let items = advice(&chain!("rsa-ordered.pem"), &none());
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(items[0].starts_with(&format!(
            "Register the IAM thumbprint {RSA_INT_SHA1} in the provider's thumbprint list"
        )));
        assert!(items[0].ends_with("which AWS checks for this host."));
        // Why, the one mapping says (the text report's AWS line).
        assert!(
            thumbprint_list_reason(&chain!("rsa-ordered.pem"), "unknown_issuer")
                .contains("is not one of the public CAs in AWS's library (a private CA")
        );
        // Registered already (--expect-thumbprint matches): nothing to do.
        assert!(advice(&chain!("rsa-ordered.pem", &[RSA_INT_SHA1], None), &none()).is_empty());
    }

    /// A real chain of a public CA, at a time it was valid, for its host.
    #[test]
    fn a_missing_intermediate_is_fetched_from_the_address_the_leaf_names() {
        let pem = include_str!("../fixtures/real/served/amazon.com.pem");
        let end = pem.find("-----END CERTIFICATE-----").unwrap() + 26;
        let a = audit_with("leaf.pem", &pem.as_bytes()[..end], &[], None);
        let all = text(&advice(&a, &none()));
        assert!(
            all.contains("Get that intermediate at the address the certificate names for it (Authority Information Access), http://cacerts.digicert.com/DigiCertGlobalCAG2.crt"),
            "{all}"
        );
        // A leaf that names none: the CA's download page, and no command that
        // would print nothing.
        let b = chain!("rsa-leaf-only.pem");
        let all = text(&advice(&b, &none()));
        assert!(
            all.contains("from the CA's download page (the certificate names no download address)"),
            "{all}"
        );
        assert!(!all.contains("authorityInfoAccess"), "{all}");
    }

    fn public_chain(expect: &[&str], tls13: bool) -> InputAudit {
        let pem = include_str!("../fixtures/real/served/amazon.com.pem");
        let bytes = if tls13 {
            // The lines of an `s_client` capture that matter here: its start, the
            // certificates, and the protocol it negotiated.
            format!(
                "CONNECTED(00000003)\n---\n{pem}---\nNew, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256\n"
            )
        } else {
            pem.to_string()
        };
        let settings = Settings {
            at: Utc.with_ymd_and_hms(2026, 2, 2, 0, 0, 1).unwrap(),
            warn_days: 30,
            bundle: false,
            chain: ChainOptions {
                expect: expect.iter().map(|e| e.parse().unwrap()).collect(),
                host: Some("amazon.com".into()),
                trust: None,
                trust_path: None,
            },
            input: Default::default(),
        };
        check::audit("amazon.com.pem", bytes.as_bytes(), &settings)
    }

    fn host(h: &str) -> RemedyOptions {
        RemedyOptions {
            host: Some(h.into()),
            ..none()
        }
    }

    #[test]
    fn a_trusted_chain_says_a_mismatch_alone_does_not_explain_the_sts_error() {
        let a = public_chain(&[], false);
        assert!(a.public_trust.as_ref().unwrap().trusted);
        let tp = a.chain.as_ref().unwrap().thumbprint.unwrap().to_string();
        let items = advice(&a, &host("amazon.com"));
        plain(&items);
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(items[0].contains("A thumbprint mismatch alone does not explain an \"InvalidIdentityToken: OpenIDConnect provider's HTTPS certificate doesn't match configured thumbprint\" error"));
        assert!(items[0].contains(&format!("Keep {tp}")), "{}", items[0]);
        // No TLS 1.3 capture, no TLS 1.2 check.
        assert!(!items[0].contains("-tls1_2"));
        insta::assert_snapshot!("trusted_chain", text(&items));

        // A wrong value: the mismatch advice names the right one (once), and says
        // the list is only the fallback.
        let b = public_chain(&[UNKNOWN], false);
        let items = advice(&b, &host("amazon.com"));
        let all = text(&items);
        assert!(!items[0].contains("Keep "), "{all}");
        assert!(
            items[1].contains("only AWS's fallback (see above)"),
            "{all}"
        );
        assert!(
            items[1].contains(&format!("--thumbprint-list {tp}")),
            "{all}"
        );
        assert!(!all.contains("AWS checks this list"), "{all}");
    }

    #[test]
    fn a_trusted_tls13_capture_says_to_check_tls12_with_the_one_command_form() {
        let a = public_chain(&[], true);
        assert_eq!(
            a.capture.as_ref().unwrap().tls_version.as_deref(),
            Some("TLSv1.3")
        );
        let tp = a.chain.as_ref().unwrap().thumbprint.unwrap().to_string();
        let items = advice(&a, &host("amazon.com"));
        plain(&items);
        let all = text(&items);
        let tls = items
            .iter()
            .find(|i| i.starts_with("This capture negotiated TLS 1.3"))
            .expect(&all);
        assert!(tls.contains(&format!("\n  {}\n", check::tls12_command("amazon.com"))));
        assert!(tls.contains(
            "openssl s_client -tls1_2 -servername amazon.com -connect amazon.com:443 </dev/null"
        ));
        assert!(tls.contains(&format!("it must then hold {tp}")), "{tls}");
        insta::assert_snapshot!("trusted_tls13_capture", all);
    }

    #[test]
    fn with_trust_a_private_root_still_means_aws_checks_the_thumbprint() {
        let root = crate::x509::parse(include_bytes!("../fixtures/formats/rsa-root.der"), 0, None)
            .unwrap();
        let roots = [root];
        let settings = Settings {
            at: at(),
            warn_days: 30,
            bundle: false,
            chain: ChainOptions {
                trust: Some(&roots),
                trust_path: Some("root.pem".into()),
                ..Default::default()
            },
            input: Default::default(),
        };
        let a = check::audit(
            "rsa-ordered.pem",
            include_bytes!("../fixtures/chains/rsa-ordered.pem"),
            &settings,
        );
        // chain.trust: the --trust root; the AWS view: the public store.
        assert!(a.trust.as_ref().unwrap().trusted);
        assert!(!a.public_trust.as_ref().unwrap().trusted);
        assert!(matches!(
            aws_check(&a, None),
            Some(AwsCheck::Thumbprint { .. })
        ));
        let items = advice(&a, &none());
        assert!(
            items[0].starts_with(&format!("Register the IAM thumbprint {RSA_INT_SHA1}")),
            "{items:?}"
        );
    }

    #[test]
    fn an_unverified_link_gets_the_command_that_checks_it_and_the_other_value() {
        let a = chain!("brainpool-root-unverified.pem");
        let items = advice(&a, &none());
        plain(&items);
        let root = a.certs[2].info.sha1;
        assert!(
            items[0].starts_with("certaudit could not check the signature of #1"),
            "{items:?}"
        );
        assert!(
            items[0].contains("\n  openssl verify -partial_chain -CAfile issuer.pem cert.pem\n")
        );
        assert!(
            items[0].contains(&format!("({} for #2)", hex_upper(&root))),
            "{}",
            items[0]
        );
    }

    #[test]
    fn untrusted_reasons_in_words() {
        let a = chain!("rsa-expired-leaf.pem");
        assert_eq!(
            thumbprint_list_reason(&a, "expired"),
            "the chain does not validate: #0 has expired"
        );
        let b = chain!("rsa-root-included.pem");
        assert_eq!(
            thumbprint_list_reason(&b, "unknown_issuer"),
            "the root #2 is not one of the public CAs in AWS's library (a private CA)"
        );
        assert_eq!(
            thumbprint_list_reason(&b, "other"),
            "path validation failed (UnknownIssuer)"
        );
        // A self-signed server certificate: said once, in its own advice.
        let c = chain!("selfsigned-leaf.pem");
        let items = advice(&c, &none());
        assert!(
            !items.iter().any(|i| i.starts_with("Register")),
            "{items:?}"
        );
        assert!(text(&items).contains("Until then AWS checks the provider's thumbprint list"));
        // The server's certificate alone: no value worth registering.
        let d = chain!("rsa-leaf-only.pem");
        assert!(!text(&advice(&d, &none())).contains("Register "));
    }

    #[test]
    fn a_capture_without_showcerts_says_nothing_of_how_aws_checks_it() {
        let a = audit_with(
            "s_client/openssl3-no-showcerts-3.txt",
            include_bytes!("../fixtures/s_client/openssl3-no-showcerts-3.txt"),
            &[],
            None,
        );
        assert_eq!(aws_check(&a, None), None);
        let items = advice(&a, &none());
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(items[0].starts_with("Capture the chain again with -showcerts"));
    }

    #[test]
    fn reversed_chain() {
        let a = chain!("rsa-reversed.pem");
        // Without --server the recipes are one line naming the option.
        let short = text(&advice(&a, &none()));
        assert!(short.contains("--server nginx|apache|haproxy|k8s|acm"));
        assert!(!short.contains("ssl_certificate"));
        let nginx = RemedyOptions {
            server: Some(Server::Nginx),
            ..none()
        };
        let one = text(&advice(&a, &nginx));
        assert!(one.contains("ssl_certificate /path/to/fullchain.pem;"));
        assert!(!one.contains("SSLCertificateFile") && !one.contains("--server"));
        let every = RemedyOptions {
            all_servers: true,
            ..none()
        };
        let items = advice(&a, &every);
        plain(&items);
        let all = text(&items);
        // "register that CA's SHA-1 too" names that SHA-1 (the intermediate's).
        assert!(all.contains(&format!("register that CA's SHA-1 ({RSA_INT_SHA1}) too")));
        assert!(all.contains("certaudit fix fixtures/chains/rsa-reversed.pem > fullchain.pem"));
        assert!(all.contains("ssl_certificate /path/to/fullchain.pem;"));
        assert!(all.contains("SSLCertificateFile"));
        assert!(all.contains("aws acm import-certificate"));
        assert!(all.contains("served last) needs updating"));
        insta::assert_snapshot!("reversed", all);
    }

    #[test]
    fn duplicates() {
        let a = chain!("rsa-duplicate-intermediate.pem");
        let items = advice(&a, &none());
        plain(&items);
        assert!(text(&items).contains("more than once"));
        insta::assert_snapshot!("duplicate_intermediate", text(&items));
        let b = chain!("rsa-duplicate-leaf.pem");
        insta::assert_snapshot!("duplicate_leaf", text(&advice(&b, &none())));
    }

    #[test]
    fn extra_certificates() {
        let a = chain!("rsa-extra-unrelated.pem");
        let items = advice(&a, &none());
        plain(&items);
        assert!(text(&items).contains("not on the leaf's path"));
        insta::assert_snapshot!("extra_unrelated", text(&items));
        let b = chain!("rsa-extra-in-middle.pem");
        insta::assert_snapshot!("extra_in_middle", text(&advice(&b, &none())));
    }

    #[test]
    fn stdin_fix_command() {
        let a = audit_with(
            "-",
            include_bytes!("../fixtures/chains/rsa-duplicate-intermediate.pem"),
            &[],
            None,
        );
        let all = text(&advice(&a, &none()));
        assert!(all.contains("certaudit fix INPUT > fullchain.pem"), "{all}");
        assert!(all.contains("The IAM thumbprint stays"), "{all}");
    }

    #[test]
    fn expired_leaf() {
        let a = chain!("rsa-expired-leaf.pem");
        let items = advice(&a, &none());
        plain(&items);
        assert_eq!(items.len(), 2);
        assert!(items[0].starts_with("Register "));
        assert!(items[1].starts_with("Renew the server certificate #0"));
        assert!(
            items[1].contains("does not change if the new certificate is issued by the same CA")
        );
        insta::assert_snapshot!("expired_leaf", text(&items));
    }

    #[test]
    fn expiring_leaf_and_not_yet_valid_leaf() {
        let a = chain!("rsa-expiring-soon-leaf.pem");
        insta::assert_snapshot!("expiring_leaf", text(&advice(&a, &none())));
        let b = chain!("rsa-not-yet-valid-leaf.pem");
        insta::assert_snapshot!("not_yet_valid_leaf", text(&advice(&b, &none())));
    }

    #[test]
    fn expiring_top_ca_changes_the_thumbprint() {
        let a = chain!("rsa-expiring-soon-intermediate.pem");
        let items = advice(&a, &none());
        plain(&items);
        let all = text(&items);
        assert!(all.contains("must be renewed"));
        assert!(all.contains("new top CA's SHA-1"));
        assert!(all.contains("NEW_THUMBPRINT"));
        insta::assert_snapshot!("expiring_top_ca", all);
    }

    #[test]
    fn expired_intermediate_below_the_top() {
        // The two-intermediate chain with its root, at a time when only the
        // intermediates (2024–2030) have expired.
        let mut a = chain!("two-int-root-included.pem");
        let later = Utc.with_ymd_and_hms(2031, 1, 1, 0, 0, 0).unwrap();
        for c in &mut a.certs {
            c.status = crate::x509::validity::status(&c.info, later, 30);
            c.days_left = crate::x509::validity::days_left(c.info.not_after, later);
        }
        let items = advice(&a, &none());
        let all = text(&items);
        assert!(
            all.contains("stays the same if the renewed certificate chains to the same top CA"),
            "{all}"
        );
        insta::assert_snapshot!("expired_intermediates_below_root", all);
    }

    #[test]
    fn leaf_only_is_incomplete() {
        let a = chain!("rsa-leaf-only.pem", &[], Some("www.example.test"));
        let items = advice(&a, &none());
        plain(&items);
        let all = text(&items);
        assert!(all.contains("Serve the intermediate"));
        assert!(all.contains(&format!("leaf's own SHA-1, {RSA_LEAF_SHA1}")));
        assert!(all.contains("-servername www.example.test"));
        insta::assert_snapshot!("leaf_only", all);
    }

    #[test]
    fn mismatch_on_a_chain_without_its_intermediate() {
        let a = chain!("rsa-leaf-only.pem", &[UNKNOWN], None);
        let items = advice(&a, &none());
        let all = text(&items);
        assert!(all.contains("--thumbprint-list NEW_THUMBPRINT"), "{all}");
        assert!(
            !all.contains(&format!("--thumbprint-list {RSA_LEAF_SHA1}")),
            "{all}"
        );
        insta::assert_snapshot!("mismatch_leaf_only", all);
    }

    #[test]
    fn self_signed_leaf() {
        let a = chain!("selfsigned-leaf.pem");
        insta::assert_snapshot!("selfsigned_leaf", text(&advice(&a, &none())));
    }

    #[test]
    fn bad_signatures() {
        let a = chain!("forged-issuer.pem");
        let items = advice(&a, &none());
        plain(&items);
        let all = text(&items);
        assert!(all.contains("does not verify with the key of #1"), "{all}");
        // Not "write the leaf's path with certaudit fix": that path is the leaf
        // alone; nor a second "serve the intermediate" item.
        assert!(!all.contains("certaudit fix"), "{all}");
        assert!(!all.contains("Serve the intermediate"), "{all}");
        insta::assert_snapshot!("forged_issuer", all);
        let b = chain!("selfsigned-bad-signature.pem");
        let all = text(&advice(&b, &none()));
        assert!(all.contains("hand-edited"), "{all}");
        // Its signature does not verify: it is not called self-signed.
        assert!(!all.contains("is self-signed"), "{all}");
        insta::assert_snapshot!("selfsigned_bad_signature", all);
    }

    #[test]
    fn mismatch_with_the_leaf_thumbprint() {
        let a = chain!("rsa-ordered.pem", &[RSA_LEAF_SHA1], None);
        let opts = RemedyOptions {
            provider_arn: Some("arn:aws:iam::111122223333:oidc-provider/www.example.test".into()),
            host: None,
            ..none()
        };
        let items = advice(&a, &opts);
        plain(&items);
        assert_eq!(items.len(), 1);
        let item = &items[0];
        assert!(item.contains(
            "--open-id-connect-provider-arn arn:aws:iam::111122223333:oidc-provider/www.example.test"
        ));
        assert!(item.contains(&format!("--thumbprint-list {RSA_INT_SHA1}\n")));
        assert!(item.contains("breaks at the next renewal"));
        assert!(item.contains("Identity providers → the provider → Thumbprints → Manage"));
        assert!(!item.contains("list-open-id-connect-providers"));
        insta::assert_snapshot!("mismatch_leaf", item);
    }

    #[test]
    fn mismatch_with_an_unknown_thumbprint() {
        let a = chain!("rsa-ordered.pem", &[UNKNOWN], None);
        let opts = RemedyOptions {
            provider_arn: None,
            host: Some("idp.example.test".into()),
            ..none()
        };
        let items = advice(&a, &opts);
        plain(&items);
        let all = text(&items);
        assert!(all.contains("TLS-intercepting proxy"));
        assert!(all.contains("private CA"));
        assert!(all.contains("arn:aws:iam::ACCOUNT_ID:oidc-provider/idp.example.test"));
        assert!(all.contains("list-open-id-connect-providers"));
        insta::assert_snapshot!("mismatch_none", all);
    }

    #[test]
    fn mismatch_with_the_last_served_certificate() {
        // The server sends an unrelated certificate last: what eksctl would register.
        let a = chain!("rsa-extra-unrelated.pem");
        let last = a
            .chain
            .as_ref()
            .unwrap()
            .served_last_thumbprint
            .unwrap()
            .to_string();
        let b = audit_with(
            "extra.pem",
            include_bytes!("../fixtures/chains/rsa-extra-unrelated.pem"),
            &[&last],
            None,
        );
        let items = advice(&b, &none());
        let all = text(&items);
        if b.chain.as_ref().unwrap().expected[0].matches == Match::Other {
            assert!(all.contains("the last certificate served"), "{all}");
        }
        insta::assert_snapshot!("mismatch_served_last", all);
    }

    #[test]
    fn mismatch_lists_alternative_thumbprints() {
        let a = chain!(
            "cross-signed-and-self-signed.pem",
            &[UNKNOWN],
            Some("cross.example.test")
        );
        let chain = a.chain.as_ref().unwrap();
        assert!(!chain.alternative_thumbprints.is_empty());
        let all = text(&advice(&a, &none()));
        let list = format!(
            "--thumbprint-list {} {}",
            chain.thumbprint.unwrap(),
            chain.alternative_thumbprints[0]
        );
        assert!(all.contains(&list), "{all}");
        insta::assert_snapshot!("mismatch_cross_signed", all);
    }

    #[test]
    fn eks_placeholder_arn() {
        let a = chain!("rsa-ordered.pem", &[UNKNOWN], None);
        let opts = RemedyOptions {
            provider_arn: None,
            host: Some("oidc.eks.us-east-1.amazonaws.com".into()),
            ..none()
        };
        let all = text(&advice(&a, &opts));
        assert!(all.contains(
            "arn:aws:iam::ACCOUNT_ID:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/CLUSTER_ID"
        ));
    }

    #[test]
    fn host_mismatch() {
        let a = chain!("rsa-ordered.pem", &[], Some("api.example.test"));
        let opts = RemedyOptions {
            provider_arn: None,
            host: Some("api.example.test".into()),
            ..none()
        };
        let items = advice(&a, &opts);
        plain(&items);
        assert_eq!(items.len(), 2);
        assert!(items[0].starts_with("Register "));
        assert!(items[1].contains("covers www.example.test, example.test, not api.example.test"));
        insta::assert_snapshot!("host_mismatch", text(&items));
    }

    #[test]
    fn aws_trusted_provider() {
        let a = chain!("rsa-ordered.pem", &[RSA_LEAF_SHA1], None);
        let opts = RemedyOptions {
            provider_arn: None,
            host: Some("token.actions.githubusercontent.com".into()),
            ..none()
        };
        let items = advice(&a, &opts);
        plain(&items);
        // A host AWS validates by CA, but a private chain: not what AWS sees there.
        assert!(items[0].starts_with("Do not register this chain's thumbprint: it is not the chain token.actions.githubusercontent.com serves to AWS."));
        assert!(!items[0].contains("unknown_issuer"));
        assert!(items[0].contains("-servername token.actions.githubusercontent.com"));
        assert!(!text(&items).contains("AWS checks this list"));
        // Nor the mismatch's "replace the list" with this chain's value.
        assert!(!text(&items).contains("Replace the provider's thumbprint list"));
        insta::assert_snapshot!("aws_trusted", text(&items));
        // No host given, no trusted name on the leaf: no such note.
        assert!(!text(&advice(&a, &none())).contains("Do not register"));
    }

    #[test]
    fn aws_trusted_by_leaf_name() {
        let mut a = chain!("rsa-ordered.pem");
        a.certs[0].info.dns_names = vec!["*.s3.amazonaws.com".into()];
        let items = advice(&a, &none());
        assert_eq!(items.len(), 1);
        assert!(
            items[0].contains("it is not the chain *.s3.amazonaws.com serves to AWS"),
            "{}",
            items[0]
        );
        assert!(matches!(
            aws_check(&a, None),
            Some(AwsCheck::NamedButUntrusted {
                provider: "Amazon S3",
                ..
            })
        ));
    }

    #[test]
    fn weak_signature_and_root_included() {
        let a = chain!("rsa-sha1-intermediate.pem");
        insta::assert_snapshot!("sha1_intermediate", text(&advice(&a, &none())));
        let b = chain!("rsa-root-included.pem");
        let all = text(&advice(&b, &none()));
        assert!(all.contains("is the SHA-1 of the served root"), "{all}");
        insta::assert_snapshot!("root_included", all);
    }

    #[test]
    fn unreadable_and_empty_inputs() {
        let a = InputAudit::unreadable("missing.pem", "No such file or directory");
        let items = advice(&a, &none());
        assert_eq!(items.len(), 1);
        assert!(items[0].contains("check the path"));

        let b = audit_with(
            "seeds/eks-thumbprint-troubleshooting.txt",
            include_bytes!("../fixtures/seeds/eks-thumbprint-troubleshooting.txt"),
            &[],
            Some("oidc.eks.us-east-2.amazonaws.com"),
        );
        let opts = RemedyOptions {
            provider_arn: None,
            host: Some("oidc.eks.us-east-2.amazonaws.com".into()),
            ..none()
        };
        let all = text(&advice(&b, &opts));
        insta::assert_snapshot!("redacted_seed", all);
    }

    #[test]
    fn private_key_in_input() {
        let a = audit_with(
            "key-before-cert.pem",
            include_bytes!("../fixtures/formats/key-before-cert.pem"),
            &[],
            None,
        );
        let items = advice(&a, &none());
        assert!(items[0].contains("treat the key as exposed"), "{items:?}");
        assert!(items.iter().skip(1).all(|i| !i.contains("private key")));
    }

    #[test]
    fn helpers() {
        assert_eq!(shell_quote("a/b-c.pem"), "a/b-c.pem");
        assert_eq!(shell_quote("my chain.pem"), "'my chain.pem'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        assert_eq!(
            capture_command("::1"),
            "openssl s_client -showcerts -connect '[::1]:443' </dev/null"
        );
        assert_eq!(
            capture_command("10.0.0.1"),
            "openssl s_client -showcerts -connect 10.0.0.1:443 </dev/null"
        );
        assert_eq!(colon_hex(&[0xab, 0x01]), "AB:01");
        assert_eq!(printable("a\x1bb\nc"), "a\\x1bb\\x0ac");
    }
}
