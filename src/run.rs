//! One function per subcommand: the only module that sees every stage.

use crate::audit::{self, InputAudit, Settings};
use crate::cert::CertInfo;
use crate::chain::ChainOptions;
use crate::cli::{self, Cli, ColorChoice, Command, EvalArgs};
use crate::exit::Exit;
use crate::findings::{Code, Severity};
use crate::report::{Summary, escape, json::JsonWriter, text};
use crate::source::{self, Source};
use chrono::{DateTime, Utc};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// The process's streams and what is known about them, injected so tests can run
/// every command in-process.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// The terminal's width, when known (`COLUMNS` or the terminal itself).
    pub columns: Option<u16>,
    /// The current time, for when `--at` is absent: the only clock reading.
    pub now: DateTime<Utc>,
}

/// Runs a parsed command line. Errors of the writers (other than a closed pipe,
/// which the caller treats as success) are reported as usage-level failures.
pub fn run(cli: Cli, io: &mut Io<'_>) -> io::Result<Exit> {
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io.stdout_is_terminal && !io.no_color,
    };
    match cli.command {
        Command::Check(args) => check(args, color, io),
        Command::Thumbprint(args) => thumbprint(args, io),
        Command::Fix(args) => fix(args, io),
        Command::Oidc(args) => oidc(args, io),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "certaudit", &mut io.stdout);
            Ok(Exit::Clean)
        }
        Command::Man => {
            let cmd = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut io.stdout)?;
            Ok(Exit::Clean)
        }
    }
}

fn usage(io: &mut Io<'_>, message: &str) -> io::Result<Exit> {
    // Usage messages quote paths and --trust file names: escaped line by line (the
    // NO_INPUT text has deliberate line breaks).
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
    let name = path.display().to_string();
    // As an input is read: only a regular file or a FIFO, at most 32 MiB.
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
    let (_, certs, _) = audit::certificates(&name, &bytes);
    if certs.is_empty() {
        return Err(format!(
            "--trust {name}: holds no certificate; give a PEM bundle of roots such as /etc/ssl/certs/ca-certificates.crt"
        ));
    }
    Ok(certs)
}

fn settings<'a>(
    eval: &EvalArgs,
    trust: Option<&'a [CertInfo]>,
    bundle: bool,
    now: DateTime<Utc>,
) -> Settings<'a> {
    Settings {
        at: eval.at.unwrap_or(now),
        warn_days: eval.warn_days,
        bundle,
        chain: ChainOptions {
            expect: if bundle {
                Vec::new()
            } else {
                eval.expect_thumbprint.clone()
            },
            host: if bundle { None } else { eval.host.clone() },
            trust,
        },
    }
}

fn exit_for(audit: &InputAudit, strict: bool) -> Exit {
    audit.findings.iter().fold(Exit::Clean, |acc, f| {
        let e = if f.code == Code::InputUnreadable {
            Exit::Usage
        } else {
            Exit::for_severity(f.severity(), strict)
        };
        acc.merge(e)
    })
}

fn audit_source(src: &Source, stdin: &mut dyn Read, settings: &Settings<'_>) -> InputAudit {
    match source::read(src, stdin) {
        Ok(bytes) => audit::audit(&src.name, &bytes, settings),
        Err(why) => InputAudit::unreadable(&src.name, &why),
    }
}

fn check(args: cli::CheckArgs, color: bool, io: &mut Io<'_>) -> io::Result<Exit> {
    if args.format == cli::Format::Text {
        return check_to(args, color, io);
    }
    // JSON and SARIF: exact values, but no raw bidi, zero-width or C1 character in
    // the document (`escape::JsonHazards`).
    let mut out = escape::JsonHazards::new(&mut *io.stdout);
    let mut json_io = Io {
        stdin: &mut *io.stdin,
        stdout: &mut out,
        stderr: &mut *io.stderr,
        stdin_is_terminal: io.stdin_is_terminal,
        stdout_is_terminal: io.stdout_is_terminal,
        stderr_is_terminal: io.stderr_is_terminal,
        no_color: io.no_color,
        columns: io.columns,
        now: io.now,
    };
    let exit = check_to(args, color, &mut json_io)?;
    out.finish()?;
    Ok(exit)
}

fn check_to(args: cli::CheckArgs, color: bool, io: &mut Io<'_>) -> io::Result<Exit> {
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
    if args.inputs.is_empty() && io.stdin_is_terminal {
        return usage(io, NO_INPUT);
    }
    let settings = settings(&args.eval, trust.as_deref(), args.bundle, io.now);
    let sources = source::expand(&args.inputs);
    let style = text::Style {
        color,
        width: io.columns.unwrap_or(100).max(40),
    };
    let extras = text::Extras {
        timeline_at: (!args.no_timeline).then_some(settings.at),
        advice: (!args.no_advice).then(|| crate::remedy::RemedyOptions {
            provider_arn: args.eval.provider_arn.clone(),
            host: args.eval.host.clone(),
        }),
    };
    if args.bundle && args.format != cli::Format::Sarif {
        return crate::stream::check_bundle(&args, &settings, &sources, &style, &extras, io);
    }
    let progress = io.stderr_is_terminal && sources.len() >= 50;
    let mut summary = Summary::default();
    let mut exit = Exit::Clean;
    let total = sources.len();
    match args.format {
        cli::Format::Json => {
            let mut w = JsonWriter::begin(&mut *io.stdout, settings.at)?;
            for (n, src) in sources.iter().enumerate() {
                let a = audit_source(src, io.stdin, &settings);
                w.input(&a)?;
                summary.add(&a);
                exit = exit.merge(exit_for(&a, args.eval.strict));
                if progress {
                    progress_line(io.stderr, n + 1, total)?;
                }
            }
            w.end(&summary)?;
        }
        cli::Format::Text => {
            for (n, src) in sources.iter().enumerate() {
                let a = audit_source(src, io.stdin, &settings);
                text::input(&mut *io.stdout, &a, &style, &extras)?;
                summary.add(&a);
                exit = exit.merge(exit_for(&a, args.eval.strict));
                if progress {
                    progress_line(io.stderr, n + 1, total)?;
                }
            }
            text::summary(&mut *io.stdout, &summary, &style)?;
        }
        cli::Format::Sarif => {
            let mut audits = Vec::with_capacity(sources.len());
            for src in &sources {
                let a = audit_source(src, io.stdin, &settings);
                exit = exit.merge(exit_for(&a, args.eval.strict));
                audits.push(a);
            }
            let doc = crate::report::sarif::document(&audits);
            serde_json::to_writer_pretty(&mut *io.stdout, &doc).map_err(io::Error::other)?;
            writeln!(io.stdout)?;
        }
    }
    if progress {
        writeln!(io.stderr)?;
    }
    Ok(exit)
}

fn progress_line(err: &mut dyn Write, done: usize, total: usize) -> io::Result<()> {
    if done % 16 == 0 || done == total {
        let width = 30usize;
        let filled = done.saturating_mul(width) / total.max(1);
        write!(
            err,
            "\r[{}{}] {done}/{total} inputs",
            "#".repeat(filled),
            " ".repeat(width.saturating_sub(filled))
        )?;
        err.flush()?;
    }
    Ok(())
}

/// The single input of `thumbprint` and `fix`.
fn single_source(input: Option<&PathBuf>, io: &mut Io<'_>) -> Result<Source, String> {
    let args: Vec<PathBuf> = input.cloned().into_iter().collect();
    if args.is_empty() && io.stdin_is_terminal {
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

fn thumbprint(args: cli::ThumbprintArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let trust = match args.eval.trust.as_deref().map(load_trust).transpose() {
        Ok(t) => t,
        Err(msg) => return usage(io, &msg),
    };
    let src = match single_source(args.input.as_ref(), io) {
        Ok(s) => s,
        Err(msg) => return usage(io, &msg),
    };
    let settings = settings(&args.eval, trust.as_deref(), false, io.now);
    let a = audit_source(&src, io.stdin, &settings);
    let exit = exit_for(&a, args.eval.strict);
    for f in a
        .findings
        .iter()
        .filter(|f| f.severity() >= Severity::Warning)
    {
        writeln!(
            io.stderr,
            "{}: {}: {}",
            f.severity(),
            f.code,
            escape::message(&f.message)
        )?;
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
    writeln!(io.stdout, "{tp}")?;
    if let Some(note) = &chain.thumbprint_note {
        writeln!(io.stderr, "note: {}", escape::message(note))?;
    }
    let opts = crate::remedy::RemedyOptions {
        provider_arn: args.eval.provider_arn.clone(),
        host: args.eval.host.clone(),
    };
    for item in crate::remedy::advice(&a, &opts) {
        for (n, line) in item.lines().enumerate() {
            let lead = if n == 0 { "next: " } else { "      " };
            writeln!(io.stderr, "{lead}{}", escape::message(line))?;
        }
    }
    Ok(exit)
}

fn fix(args: cli::FixArgs, io: &mut Io<'_>) -> io::Result<Exit> {
    let src = match single_source(args.input.as_ref(), io) {
        Ok(s) => s,
        Err(msg) => return usage(io, &msg),
    };
    let eval = EvalArgs {
        at: None,
        warn_days: 30,
        expect_thumbprint: Vec::new(),
        host: None,
        trust: None,
        strict: false,
        provider_arn: None,
    };
    let settings = settings(&eval, None, false, io.now);
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
        writeln!(io.stderr, "{}", escape::message(note))?;
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
        Some(p) => match std::fs::read(p) {
            Ok(b) => (p.display().to_string(), b),
            Err(e) => return usage(io, &format!("{}: cannot be read: {e}", p.display())),
        },
        None => {
            if io.stdin_is_terminal {
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
        cli::OidcFormat::Text => crate::oidc::render_text(&discovery, &mut io.stdout)?,
        cli::OidcFormat::Json => {
            let v = crate::oidc::to_json(&discovery);
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
        summary.add(a);
    }
    w.end(&summary)
}
