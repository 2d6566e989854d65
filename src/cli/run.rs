//! One function per subcommand: the only module that sees every stage.

use crate::chain::ChainOptions;
use crate::check::{self, InputAudit, Settings};
use crate::cli::{self, Cli, ColorChoice, Command};
use crate::drive;
use crate::exit::Exit;
use crate::findings::Severity;
use crate::report::{Summary, escape, json::JsonWriter, text};
use crate::source::{self, Source};
use crate::x509::CertInfo;
use chrono::{DateTime, Utc};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::config;
pub use super::config::Io;

/// Runs a parsed command line. Errors of the writers (other than a closed pipe,
/// which the caller treats as success) are reported as usage-level failures.
pub fn run(cli: Cli, io: &mut Io<'_>) -> io::Result<Exit> {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io.env.stdout_is_terminal && !io.env.no_color,
    };
    match cli.command {
        Command::Check(args) => check(args, color, io),
        Command::Thumbprint(args) => thumbprint(args, io),
        Command::Fix(args) => fix(args, io),
        Command::Oidc(args) => oidc(args, io),
        Command::Inventory(args) => super::inventory::run(args, color, io),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "certaudit", &mut io.stdout);
            Ok(Exit::Clean)
        }
        Command::Man { dir } => match dir {
            Some(dir) => match super::man::write_pages(&dir) {
                Ok(files) => {
                    for f in files {
                        writeln!(io.stderr, "wrote {}", f.display())?;
                    }
                    Ok(Exit::Clean)
                }
                Err(e) => usage(io, &format!("man --dir {}: {e}", dir.display())),
            },
            None => {
                super::man::render_all(&mut io.stdout)?;
                Ok(Exit::Clean)
            }
        },
    }
}

fn usage(io: &mut Io<'_>, message: &str) -> io::Result<Exit> {
    // Usage messages quote paths and file names: escaped line by line (NO_INPUT
    // has deliberate line breaks).
    for line in message.lines() {
        writeln!(io.stderr, "certaudit: {}", escape::message(line))?;
    }
    Ok(Exit::Usage)
}

const NO_INPUT: &str = "no input: give a file, a folder or `-`, or pipe captured output, e.g.\n  \
openssl s_client -servername HOST -showcerts -connect HOST:443 </dev/null 2>&1 | certaudit check\n\
Run `certaudit check --help` for more.";

/// Loads `--trust`: a file that cannot be read or holds no certificate is a usage error.
fn load_trust(path: &Path) -> Result<Vec<CertInfo>, String> {
    let name = escape::path_name(path);
    // As an input is read: only a regular file or a FIFO, at most the input cap.
    let src = source::expand(std::slice::from_ref(&path.to_path_buf()));
    let bytes = match src.as_slice() {
        [one] if matches!(one.origin, source::Origin::File(_)) => {
            source::read(one, &mut io::empty())
                .map_err(|e| format!("--trust {name}: cannot be read: {e}"))?
        }
        [one] => {
            let why = match &one.origin {
                source::Origin::Unreadable(why) => why.as_str(),
                _ => "not a file",
            };
            return Err(format!("--trust {name}: cannot be read: {why}"));
        }
        _ => {
            return Err(format!(
                "--trust {name}: a folder; give one bundle file of roots"
            ));
        }
    };
    let (_, certs, _) = check::certificates(&name, &bytes);
    if certs.is_empty() {
        return Err(format!(
            "--trust {name}: holds no certificate; give a PEM bundle of roots such as /etc/ssl/certs/ca-certificates.crt"
        ));
    }
    Ok(certs)
}

fn audit_source(src: &Source, stdin: &mut dyn Read, settings: &Settings<'_>) -> InputAudit {
    match source::read(src, stdin) {
        Ok(bytes) => check::audit(&src.name, &bytes, settings),
        Err(why) => InputAudit::unreadable(&src.name, &why),
    }
}

/// `--provider`: its thumbprints join `--expect-thumbprint` (after them), its ARN
/// fills `--provider-arn` when that is absent. A usage error when it cannot be read.
fn apply_provider(eval: &mut cli::EvalArgs) -> Result<Option<crate::provider::Provider>, String> {
    let Some(path) = &eval.provider else {
        return Ok(None);
    };
    let p = crate::provider::load(path)?;
    eval.expect_thumbprint.extend(p.thumbprints.iter().cloned());
    if eval.provider_arn.is_none() {
        eval.provider_arn.clone_from(&p.arn);
    }
    Ok(Some(p))
}

/// The advice's options: `--provider-arn`, `--host` (else the provider's host).
fn remedy_options(
    eval: &cli::EvalArgs,
    provider: Option<&crate::provider::Provider>,
) -> crate::advice::RemedyOptions {
    crate::advice::RemedyOptions {
        server: None,
        all_servers: false,
        provider_arn: eval.provider_arn.clone(),
        host: eval
            .host
            .clone()
            .or_else(|| provider.and_then(crate::provider::Provider::host)),
        provider_url: provider.map(|p| p.url.clone()),
    }
}

fn check(mut args: cli::CheckArgs, color: bool, io: &mut Io<'_>) -> io::Result<Exit> {
    let provider = match apply_provider(&mut args.eval) {
        Ok(p) => p,
        Err(msg) => return usage(io, &msg),
    };
    if args.eval.expect_thumbprint.len() > 5 {
        writeln!(
            io.stderr,
            "certaudit: note: IAM keeps at most 5 thumbprints per provider; {} were given",
            args.eval.expect_thumbprint.len()
        )?;
    }
    let trust = match args.eval.trust.as_deref().map(load_trust).transpose() {
        Ok(t) => t,
        Err(msg) => return usage(io, &msg),
    };
    if args.inputs.is_empty() && io.env.stdin_is_terminal {
        return usage(io, NO_INPUT);
    }
    if args.bundle && (args.eval.host.is_some() || !args.eval.expect_thumbprint.is_empty()) {
        writeln!(
            io.stderr,
            "certaudit: note: --bundle has no chain, so --host and --expect-thumbprint are ignored"
        )?;
    }
    let mut settings = config::settings(&args.eval, trust.as_deref(), args.bundle, io.env.now);
    settings.input =
        match config::input_options(&args.eval.password, io.env.password_env.as_deref()) {
            Ok(o) => o,
            Err(msg) => return usage(io, &msg),
        };
    let sources = source::expand(&args.inputs);
    let detail = if args.quiet {
        text::Detail::Quiet
    } else if args.verbose {
        text::Detail::Verbose
    } else {
        text::Detail::Normal
    };
    let extras = text::Extras {
        timeline_at: (!args.no_timeline).then_some(settings.at),
        advice: (!args.no_advice).then(|| crate::advice::RemedyOptions {
            server: args.server.map(server),
            all_servers: args.verbose,
            ..remedy_options(&args.eval, provider.as_ref())
        }),
        host: settings.chain.host.clone(),
        trust: args.eval.trust.as_deref().map(escape::path_name),
    };
    let plan = drive::Plan {
        settings: &settings,
        format: match args.format {
            cli::Format::Text => drive::Format::Text,
            cli::Format::Json => drive::Format::Json,
            cli::Format::Sarif => drive::Format::Sarif,
        },
        style: text::Style {
            color,
            width: width(io),
            detail,
        },
        extras: &extras,
        progress: io.env.stderr_is_terminal,
    };
    // JSON and SARIF: exact values, but no raw bidi, zero-width or C1 character in
    // the document (`escape::JsonHazards`); text is escaped as it is rendered.
    let mut json_out = escape::JsonHazards::new(&mut *io.stdout);
    let mut streams = drive::Streams {
        stdin: &mut *io.stdin,
        stdout: &mut json_out,
        stderr: &mut *io.stderr,
    };
    let summary = drive::run(&plan, &sources, &mut streams)?;
    json_out.finish()?;
    Ok(Exit::of(&summary, args.eval.strict))
}

/// The width to fit text to: the terminal's, else `COLUMNS`, else 80.
fn width(io: &Io<'_>) -> u16 {
    io.env.columns.unwrap_or(config::DEFAULT_COLUMNS).max(40)
}

fn server(kind: cli::ServerKind) -> crate::advice::Server {
    use crate::advice::Server;
    match kind {
        cli::ServerKind::Nginx => Server::Nginx,
        cli::ServerKind::Apache => Server::Apache,
        cli::ServerKind::Haproxy => Server::Haproxy,
        cli::ServerKind::K8s => Server::K8s,
        cli::ServerKind::Acm => Server::Acm,
    }
}

/// The single input of `thumbprint` and `fix`.
fn single_source(input: Option<&PathBuf>, io: &mut Io<'_>) -> Result<Source, String> {
    let args: Vec<PathBuf> = input.cloned().into_iter().collect();
    if args.is_empty() && io.env.stdin_is_terminal {
        return Err(NO_INPUT.replace("certaudit check", "certaudit thumbprint"));
    }
    let mut sources = source::expand(&args);
    match (sources.pop(), sources.is_empty()) {
        (Some(s), true) => Ok(s),
        _ => Err(
            "expected exactly one input file (a folder holds several: use `certaudit check`)"
                .into(),
        ),
    }
}

/// Without `--verbose`, `thumbprint` says at most this much on stderr: the summary
/// of `text::thumbprint_stderr` in all but one, and at most one line of its own
/// (why no thumbprint is printed).
pub const THUMBPRINT_STDERR_LINES: usize = 6;

fn thumbprint(mut args: cli::ThumbprintArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let provider = match apply_provider(&mut args.eval) {
        Ok(p) => p,
        Err(msg) => return usage(io, &msg),
    };
    let trust = match args.eval.trust.as_deref().map(load_trust).transpose() {
        Ok(t) => t,
        Err(msg) => return usage(io, &msg),
    };
    let src = match single_source(args.input.as_ref(), io) {
        Ok(s) => s,
        Err(msg) => return usage(io, &msg),
    };
    let mut settings = config::settings(&args.eval, trust.as_deref(), false, io.env.now);
    settings.input =
        match config::input_options(&args.eval.password, io.env.password_env.as_deref()) {
            Ok(o) => o,
            Err(msg) => return usage(io, &msg),
        };
    let a = audit_source(&src, io.stdin, &settings);
    let exit = Exit::of(&a.summary(), args.eval.strict);
    let style = text::Style::plain(width(io));
    let opts = crate::advice::RemedyOptions {
        all_servers: args.verbose,
        ..remedy_options(&args.eval, provider.as_ref())
    };
    let advice = if args.no_advice {
        Vec::new()
    } else {
        crate::advice::advice(&a, &opts)
    };
    if args.verbose {
        for f in a
            .findings
            .iter()
            .filter(|f| f.severity() >= Severity::Warning)
        {
            text::finding(&mut *io.stderr, f, &style)?;
        }
    } else {
        for line in text::thumbprint_stderr(&a, &advice, &style, THUMBPRINT_STDERR_LINES - 1) {
            writeln!(io.stderr, "{line}")?;
        }
    }
    let Some(chain) = &a.chain else {
        if exit != Exit::Usage {
            writeln!(
                io.stderr,
                "certaudit: no certificate could be read from {}",
                escape::message(&a.source)
            )?;
            return Ok(Exit::Findings);
        }
        return Ok(exit);
    };
    let Some(tp) = chain.thumbprint else {
        writeln!(
            io.stderr,
            "certaudit: no leaf could be identified in {}: every certificate issued another",
            escape::message(&a.source)
        )?;
        return Ok(Exit::Findings);
    };
    match check::withhold::decide(&a, settings.chain.host.as_deref()) {
        Some(check::withhold::Decision::Withhold { why }) => {
            writeln!(io.stderr, "certaudit: {why}")?;
            return Ok(Exit::Findings);
        }
        Some(check::withhold::Decision::Print { warning: Some(w) }) => {
            writeln!(io.stderr, "warning: {w}")?;
        }
        _ => {}
    }
    writeln!(io.stdout, "{tp}")?;
    if args.verbose {
        if let Some(note) = &chain.thumbprint_note {
            writeln!(io.stderr, "note: {}", text::untrusted(note))?;
        }
        for item in &advice {
            text::advice_item(&mut *io.stderr, item, &style)?;
        }
    }
    Ok(exit)
}

fn fix(args: cli::FixArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let src = match single_source(args.input.as_ref(), io) {
        Ok(s) => s,
        Err(msg) => return usage(io, &msg),
    };
    // `fix` evaluates nothing at an instant of the user's: the chain alone decides.
    let input = match config::input_options(&args.password, io.env.password_env.as_deref()) {
        Ok(o) => o,
        Err(msg) => return usage(io, &msg),
    };
    let settings = Settings {
        at: io.env.now,
        warn_days: 30,
        bundle: false,
        chain: ChainOptions::default(),
        input,
    };
    let a = audit_source(&src, io.stdin, &settings);
    if a.format.is_none() {
        for f in &a.findings {
            writeln!(io.stderr, "certaudit: {}", escape::message(&f.message))?;
        }
        return Ok(Exit::Usage);
    }
    let Some(chain) = a.chain.as_ref().filter(|c| c.leaf.is_some()) else {
        writeln!(
            io.stderr,
            "certaudit: no leaf could be identified in {}; nothing written",
            escape::message(&a.source)
        )?;
        return Ok(Exit::Findings);
    };
    let infos: Vec<CertInfo> = a.certs.iter().map(|c| c.info.clone()).collect();
    let plan = crate::chain::fix_plan(&infos, chain);
    for note in &plan.notes {
        writeln!(io.stderr, "{}", text::untrusted(note))?;
    }
    if plan.notes.is_empty() {
        let leaf_only = plan.path.len() == 1
            && plan
                .path
                .first()
                .and_then(|&i| a.certs.get(i))
                .is_some_and(|c| !c.info.self_signed);
        if leaf_only {
            writeln!(
                io.stderr,
                "certaudit: only the leaf was found, without the CA certificate that issued it: written as is; add that intermediate after it (`certaudit check` says which)"
            )?;
        } else {
            writeln!(
                io.stderr,
                "certaudit: the chain is already in RFC 5246 order: written unchanged"
            )?;
        }
    }
    if plan.notes.is_empty() && plan.path.len() == a.certs.len() {
        writeln!(
            io.stderr,
            "certaudit: {} is already in order (the leaf first, each next certificate the issuer of the one before): written unchanged",
            a.source
        )?;
    }
    for &i in &plan.path {
        if let Some(c) = a.certs.get(i) {
            let block = pem::Pem::new("CERTIFICATE", c.info.der.clone());
            let text = pem::encode_config(
                &block,
                pem::EncodeConfig::new().set_line_ending(pem::LineEnding::LF),
            );
            io.stdout.write_all(text.as_bytes())?;
        }
    }
    Ok(Exit::Clean)
}

fn oidc(args: cli::OidcArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let path = args.config.filter(|p| p.as_os_str() != "-");
    if let Some(p) = &path {
        let text = p.display().to_string();
        if text.starts_with("https://") || text.starts_with("http://") {
            return usage(
                io,
                &format!(
                    "oidc reads a saved document and never connects; save it first:\n  {}\nthen run `certaudit oidc openid-configuration.json`",
                    crate::oidc::fetch_command(&text)
                ),
            );
        }
    }
    let (name, bytes) = match &path {
        Some(p) => match source::read_path(p) {
            Ok(b) => (escape::path_name(p), b),
            Err(e) => {
                let name = escape::path_name(p);
                return usage(io, &format!("{name}: cannot be read: {e}"));
            }
        },
        None => {
            if io.env.stdin_is_terminal {
                return usage(
                    io,
                    "no input: give the saved openid-configuration file, or pipe it on stdin",
                );
            }
            let mut b = Vec::new();
            io.stdin.read_to_end(&mut b)?;
            ("-".to_string(), b)
        }
    };
    let discovery = match crate::oidc::parse(&bytes) {
        Ok(d) => d,
        Err(e) => return usage(io, &format!("{name}: {e}")),
    };
    match args.format {
        cli::OidcFormat::Text => crate::report::oidc::render_text(&discovery, &mut io.stdout)?,
        cli::OidcFormat::Json => {
            let v = crate::report::oidc::to_json(&discovery);
            serde_json::to_writer_pretty(&mut *io.stdout, &v).map_err(io::Error::other)?;
            writeln!(io.stdout)?;
        }
    }
    Ok(Exit::Clean)
}

/// Used by `report` consumers that want the whole JSON document in memory.
pub fn json_document(audits: &[InputAudit], at: DateTime<Utc>) -> io::Result<Vec<u8>> {
    let mut summary = Summary::default();
    let mut w = JsonWriter::begin(Vec::new(), at)?;
    for a in audits {
        w.input(a)?;
        summary.merge(&a.summary());
    }
    w.end(&summary)
}
