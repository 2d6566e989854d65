//! The command line's meaning, read once: the process's streams and environment
//! (the only place that reads the clock and environment variables), and the
//! analysis settings that `check`, `thumbprint` and `fix` give the stages.

use crate::chain::ChainOptions;
use crate::check::Settings;
use crate::cli::EvalArgs;
use crate::x509::CertInfo;
use chrono::{DateTime, Utc};
use std::io::{IsTerminal, Read, Write};

/// The process's streams and what is known about them, injected so tests can run
/// every command in-process.
pub struct Io<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
    pub env: Environment,
}

/// What the process's environment says, read once at start-up.
#[derive(Clone)]
pub struct Environment {
    pub stdin_is_terminal: bool,
    pub stdout_is_terminal: bool,
    pub stderr_is_terminal: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// The width to fit text to, when known: the terminal's when stdout is one,
    /// else `COLUMNS` (the caller falls back to 80).
    pub columns: Option<u16>,
    /// The current time, for when `--at` is absent: the only clock reading.
    pub now: DateTime<Utc>,
    /// `CERTAUDIT_PASSWORD` (never printed: no `Debug`).
    pub password_env: Option<String>,
}

impl Environment {
    /// Reads the terminals, `NO_COLOR`, `COLUMNS` and the clock: nowhere else does.
    pub fn read() -> Environment {
        let stdout_is_terminal = std::io::stdout().is_terminal();
        let from_env = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|&c| c > 0);
        let terminal = stdout_is_terminal
            .then(|| terminal_size::terminal_size_of(std::io::stdout()))
            .flatten()
            .map(|(w, _)| w.0)
            .filter(|&c| c > 0);
        Environment {
            stdin_is_terminal: std::io::stdin().is_terminal(),
            stdout_is_terminal,
            stderr_is_terminal: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            columns: columns(terminal, from_env),
            now: Utc::now(),
            password_env: std::env::var("CERTAUDIT_PASSWORD").ok(),
        }
    }
}

/// The width rule: the terminal's width, else `COLUMNS`, else (in the caller) 80.
pub fn columns(terminal: Option<u16>, from_env: Option<u16>) -> Option<u16> {
    terminal.or(from_env)
}

/// When neither the terminal nor `COLUMNS` gives a width.
pub const DEFAULT_COLUMNS: u16 = 80;

impl<'a> Io<'a> {
    /// The streams with what `env` says of them.
    pub fn new(
        env: Environment,
        stdin: &'a mut dyn Read,
        stdout: &'a mut dyn Write,
        stderr: &'a mut dyn Write,
    ) -> Io<'a> {
        Io {
            stdin,
            stdout,
            stderr,
            env,
        }
    }
}

/// The analysis settings of `--at`, `--warn-days`, `--expect-thumbprint`, `--host`
/// and `--trust` (`--bundle` leaves out what only a chain has).
pub fn settings<'a>(
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
            trust_path: eval.trust.as_deref().map(crate::escape::path_name),
        },
        input: crate::input::Options::default(),
    }
}

/// The reading options: the password from `--password-file` (its first line,
/// without LF or CRLF), else `CERTAUDIT_PASSWORD`. An unreadable file is a usage error.
pub fn input_options(
    args: &crate::cli::PasswordArgs,
    env: Option<&str>,
) -> Result<crate::input::Options, String> {
    let password = match &args.password_file {
        Some(path) => {
            let bytes = crate::source::read_path(path).map_err(|e| {
                let name = crate::escape::path_name(path);
                format!("--password-file {name}: cannot be read: {e}")
            })?;
            let text = String::from_utf8_lossy(&bytes);
            let line = text.split('\n').next().unwrap_or_default();
            Some(line.strip_suffix('\r').unwrap_or(line).to_string())
        }
        None => env.map(str::to_string),
    };
    Ok(crate::input::Options { password })
}
