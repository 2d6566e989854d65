//! Command-line syntax (clap derive). Only syntax lives here: meaning is given in
//! `config.rs`, work is done in `run.rs`.

use crate::chain::thumbprint::Thumbprint;
use chrono::{DateTime, NaiveDate, Utc};
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  # Capture a chain once where there is a network, then analyse it anywhere:
  openssl s_client -servername HOST -showcerts -connect HOST:443 \\
    </dev/null >capture.txt 2>&1
  certaudit check capture.txt

  # Only the IAM thumbprint (40 hex digits):
  certaudit thumbprint capture.txt

  # A folder of .crt/.pem/.der/.p7b files, at a fixed instant, as JSON for CI:
  certaudit check --at 2026-01-01 --format json certs/

  # Why does STS say the thumbprint does not match?
  certaudit check capture.txt \\
    --expect-thumbprint 9e99a48a9960b14926bb7f3b02e22da2b0ab7280

  # Put a misordered chain back in RFC 5246 order:
  certaudit fix chain.pem > fixed.pem";

/// `--version`: the release and the embedded root store's snapshot.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (root store: mozilla:1.0.11, Mozilla's TLS server roots from webpki-root-certs 1.0.11)"
);

/// Offline analyser for X.509 certificates and TLS chains: order, signatures,
/// validity windows, fingerprints and the AWS IAM OIDC thumbprint.
///
/// certaudit never opens a network connection. Give it captured `openssl s_client`
/// output, `.crt`/`.pem`/`.der`/`.p7b` files or folders; it detects each input's kind
/// from its content.
#[derive(Debug, Parser)]
#[command(
    name = "certaudit",
    version = VERSION,
    about = "Offline analyser for X.509 certificates and TLS chains (order, signatures, validity, AWS IAM OIDC thumbprint)",
    long_about,
    after_help = EXAMPLES,
    max_term_width = 98
)]
pub struct Cli {
    /// When to use colour: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, global = true, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse certificates and chains: validity, fingerprints, order, signatures, thumbprint.
    ///
    /// Each INPUT is analysed as a chain as served (RFC 5246 §7.4.2: the sender's
    /// certificate first, each following certificate directly certifying the one
    /// before it; a self-signed root may be left out). Exit code 0 when there is no
    /// error finding, 1 when there is (with --strict, also on warnings), 2 on a usage
    /// error or an input that could not be read.
    #[command(after_help = "\
Examples:
  openssl s_client -servername HOST -showcerts -connect HOST:443 \\
    </dev/null 2>&1 | certaudit check
  certaudit check chain.pem intermediate.der bundle.p7b
  certaudit check --at 2026-01-01 --format json --strict fixtures/
  certaudit check --bundle /etc/ssl/certs/ca-certificates.crt
  certaudit check --host oidc.example.com capture.txt \\
    --expect-thumbprint 9E99A48A9960B14926BB7F3B02E22DA2B0AB7280
  certaudit check --server nginx chain.pem")]
    Check(CheckArgs),

    /// Print the IAM thumbprint of one chain: 40 upper-case hex digits, nothing else.
    ///
    /// The SHA-1 fingerprint of the top certificate of the leaf's path: the last
    /// certificate once the chain is in RFC 5246 order. If the served chain is not in
    /// that order, the right thumbprint is still printed, stderr says what is wrong and
    /// which certificate the server sends last, and the exit code is 1.
    #[command(after_help = "\
Examples:
  openssl s_client -servername HOST -showcerts -connect HOST:443 \\
    </dev/null 2>/dev/null | certaudit thumbprint
  certaudit thumbprint capture.txt \\
    --expect-thumbprint 9E99A48A9960B14926BB7F3B02E22DA2B0AB7280")]
    Thumbprint(ThumbprintArgs),

    /// Write the leaf's path in RFC 5246 order as PEM on stdout; moves and drops on stderr.
    ///
    /// The leaf first, each next certificate the issuer of the one before it;
    /// duplicates and unrelated certificates are left out. Exit 1 when no leaf can be
    /// identified.
    #[command(after_help = "\
Examples:
  certaudit fix served-chain.pem > fullchain.pem
  openssl s_client -servername HOST -showcerts -connect HOST:443 \\
    </dev/null 2>/dev/null | certaudit fix")]
    Fix(FixArgs),

    /// Read a saved /.well-known/openid-configuration and say which host(s) to capture.
    ///
    /// Prints the issuer, the jwks_uri, the host(s) whose chain IAM needs a thumbprint
    /// for, and the exact openssl command to capture each chain.
    #[command(after_help = "\
Examples:
  # ISSUER: the provider's URL without https://, e.g. token.actions.githubusercontent.com
  curl -s -o oidc.json https://ISSUER/.well-known/openid-configuration
  certaudit oidc oidc.json
  certaudit oidc --format json < oidc.json")]
    Oidc(OidcArgs),

    /// List every certificate of every input once, soonest expiry first, with where it was found.
    ///
    /// For audits of folders, keystores and CA bundles: no chain analysis; each
    /// distinct certificate (by SHA-256) once, with every place it was found. Files
    /// without certificates are counted, not reported. Exit 1 when a listed
    /// certificate is expired or not yet valid (with --strict, also expiring soon)
    /// or an input holds a broken block, 2 when an input could not be read.
    #[command(after_help = "\
Examples:
  certaudit inventory /etc/ssl/certs/
  certaudit inventory --expiring-within 30 --format csv /srv/tls > expiring.csv
  certaudit inventory --format openmetrics /etc/ssl /srv/tls > certaudit.prom.tmp
  certaudit inventory --format jsonl /srv/tls > certs.jsonl")]
    Inventory(InventoryArgs),

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "\
Examples:
  certaudit completions bash > /etc/bash_completion.d/certaudit
  certaudit completions zsh > \"${fpath[1]}/_certaudit\"
  certaudit completions fish > ~/.config/fish/completions/certaudit.fish")]
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Print the manual page (roff), or write one page per command into a folder.
    ///
    /// Without --dir, one page on stdout holds every command with its options, the
    /// examples and the exit codes. With --dir, certaudit.1 and one page per command
    /// (certaudit-check.1, certaudit-thumbprint.1, ...) are written into DIR.
    #[command(after_help = "\
Examples:
  certaudit man > certaudit.1 && man ./certaudit.1
  sudo certaudit man --dir /usr/local/share/man/man1")]
    Man {
        /// Write certaudit.1 and certaudit-COMMAND.1 pages into this folder.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// Options shared by the commands that analyse a chain.
#[derive(Debug, Clone, Args)]
pub struct EvalArgs {
    /// The instant to evaluate validity at: RFC 3339 or a date (midnight UTC); default now.
    ///
    /// For reproducible runs in CI: `--at 2026-01-01T00:00:00Z` or `--at 2026-01-01`.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<DateTime<Utc>>,

    /// A certificate that expires in fewer than N days is expiring_soon.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub warn_days: i64,

    /// A configured IAM thumbprint to compare with (repeatable; IAM keeps up to 5).
    ///
    /// Any case, with or without colons, or as openssl prints it (`SHA1 Fingerprint=…`).
    /// Several values may also be given at once, separated by commas.
    #[arg(long = "expect-thumbprint", value_name = "HEX", value_delimiter = ',')]
    pub expect_thumbprint: Vec<Thumbprint>,

    /// The DNS name (or IP address) the leaf must cover (subjectAltName, RFC 6125).
    ///
    /// A URL (`https://host:port/path`) is accepted: its host is used.
    #[arg(long, value_name = "NAME", value_parser = parse_host)]
    pub host: Option<String>,

    /// A PEM bundle of trusted roots; the top of the path must be, or be issued by, one.
    #[arg(long, value_name = "FILE")]
    pub trust: Option<PathBuf>,

    /// Warnings also make the exit code 1.
    #[arg(long)]
    pub strict: bool,

    /// The IAM OIDC provider's ARN, to fill in the `aws iam` commands of the advice.
    #[arg(long, value_name = "ARN")]
    pub provider_arn: Option<String>,

    /// `aws iam get-open-id-connect-provider` output (JSON): its ThumbprintList is
    /// compared as --expect-thumbprint values, its Url named in the advice.
    #[arg(long, value_name = "FILE")]
    pub provider: Option<PathBuf>,

    #[command(flatten)]
    pub password: PasswordArgs,
}

/// Where the password of PKCS#12 and Java keystore inputs comes from.
#[derive(Debug, Clone, Default, Args)]
pub struct PasswordArgs {
    /// The password for PKCS#12 and JKS inputs: the first line of FILE.
    ///
    /// Wins over the CERTAUDIT_PASSWORD environment variable. Never on the command
    /// line. Without either, PKCS#12 files are tried with the empty password and a
    /// keystore's integrity is not checked.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards (check only).
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OidcFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Treat each input as an unordered set of certificates (a CA bundle): no chain analysis.
    #[arg(long)]
    pub bundle: bool,

    /// Leave out the validity timeline of the text report.
    #[arg(long)]
    pub no_timeline: bool,

    /// Leave out the "What to do next" advice of the text report.
    #[arg(long)]
    pub no_advice: bool,

    /// The server software, to give its directive in the advice (all with --verbose).
    #[arg(long, value_enum, value_name = "SERVER")]
    pub server: Option<ServerKind>,

    /// Also SHA-256, serial, key, signature algorithm and SANs per certificate, the
    /// timeline, every finding's full text and every server's directive.
    #[arg(short, long, conflicts_with = "quiet")]
    pub verbose: bool,

    /// Print the findings only, one per paragraph.
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub eval: EvalArgs,

    /// Files, folders (every file below, sorted) or `-` for stdin; stdin when none.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// One table, soonest expiry first, then a summary.
    Text,
    /// One document: summary, certificates, findings.
    Json,
    /// RFC 4180, a header row, one row per certificate.
    Csv,
    /// One JSON object per certificate per line (DuckDB, Spark, BigQuery).
    Jsonl,
    /// The OpenMetrics text format, for node_exporter's textfile collector.
    Openmetrics,
}

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Text)]
    pub format: InventoryFormat,

    /// The instant to evaluate validity at: RFC 3339 or a date (midnight UTC); default now.
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub at: Option<DateTime<Utc>>,

    /// A certificate that expires in fewer than N days is expiring_soon.
    #[arg(long, value_name = "N", default_value_t = 30)]
    pub warn_days: i64,

    /// List only certificates with fewer than DAYS days left (expired ones included).
    #[arg(long, value_name = "DAYS")]
    pub expiring_within: Option<i64>,

    /// Certificates expiring soon also make the exit code 1.
    #[arg(long)]
    pub strict: bool,

    #[command(flatten)]
    pub password: PasswordArgs,

    /// Text: list every certificate, not only the 20 soonest of a long list.
    #[arg(long)]
    pub all: bool,

    /// Text: leave out the validity timeline.
    #[arg(long)]
    pub no_timeline: bool,

    /// Files, folders (every file below, sorted) or `-` for stdin; stdin when none.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
}

/// `--server`: whose directive the advice gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ServerKind {
    Nginx,
    Apache,
    Haproxy,
    /// A Kubernetes ingress's TLS secret.
    K8s,
    /// AWS Certificate Manager (ALB, NLB, CloudFront).
    Acm,
}

#[derive(Debug, Args)]
pub struct ThumbprintArgs {
    #[command(flatten)]
    pub eval: EvalArgs,

    /// Say on stderr only what is wrong, not what to do about it.
    #[arg(long)]
    pub no_advice: bool,

    /// Every finding and the whole advice on stderr (else at most 6 lines).
    #[arg(short, long)]
    pub verbose: bool,

    /// One file or `-`; stdin when none.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub password: PasswordArgs,

    /// One file or `-`; stdin when none.
    #[arg(value_name = "INPUT")]
    pub input: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct OidcArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = OidcFormat::Text)]
    pub format: OidcFormat,

    /// The saved openid-configuration document; stdin when none or `-`.
    #[arg(value_name = "CONFIG")]
    pub config: Option<PathBuf>,
}

/// `--at`: RFC 3339 (any offset, converted to UTC) or a bare date meaning midnight UTC.
pub fn parse_time(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d")
        && let Some(t) = d.and_hms_opt(0, 0, 0)
    {
        return Ok(t.and_utc());
    }
    Err(format!(
        "{s:?} is not a time: use RFC 3339 (2026-01-01T00:00:00Z) or a date (2026-01-01)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn at_accepts_rfc3339_and_dates() {
        assert_eq!(
            parse_time("2026-01-01").unwrap().to_rfc3339(),
            "2026-01-01T00:00:00+00:00"
        );
        assert_eq!(
            parse_time("2026-01-01T02:00:00+02:00")
                .unwrap()
                .to_rfc3339(),
            "2026-01-01T00:00:00+00:00"
        );
        assert!(parse_time("yesterday").is_err());
    }
}

/// `--host`: a name, or a URL whose host is used (`https://h:8443/p` → `h`,
/// `https://[::1]/` → `::1`).
fn parse_host(s: &str) -> Result<String, String> {
    let t = s.trim();
    let Some((_, rest)) = t.split_once("://") else {
        return Ok(t.to_string());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']').map(|(h, _)| h).unwrap_or(v6),
        None => host_port.split(':').next().unwrap_or_default(),
    };
    if host.is_empty() {
        return Err(format!("{s:?} is a URL without a host"));
    }
    Ok(host.to_string())
}

#[cfg(test)]
mod host_tests {
    use super::parse_host;

    #[test]
    fn a_url_gives_its_host() {
        for (given, host) in [
            ("oidc.example.com", "oidc.example.com"),
            ("https://oidc.example.com", "oidc.example.com"),
            (
                "https://oidc.example.com:8443/id/ABC?x=1",
                "oidc.example.com",
            ),
            ("https://user@h.example/", "h.example"),
            ("https://[2001:db8::1]:443/", "2001:db8::1"),
            ("192.0.2.1", "192.0.2.1"),
        ] {
            assert_eq!(parse_host(given).unwrap(), host, "{given}");
        }
        assert!(parse_host("https:///path").is_err());
    }
}
