//! The certaudit binary: parse the command line, run, map the outcome to an exit code.

use certaudit::cli::{Cli, run};
use clap::Parser;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdin = io::stdin();
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = stderr.lock();
    let mut input = stdin.lock();
    let mut io = run::Io {
        stdin_is_terminal: io::stdin().is_terminal(),
        stdout_is_terminal: io::stdout().is_terminal(),
        stderr_is_terminal: io::stderr().is_terminal(),
        no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        columns: std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
            // comfy-table asks the terminal when stdout is one.
            .or_else(|| comfy_table::Table::new().width()),
        now: chrono::Utc::now(),
        stdin: &mut input,
        stdout: &mut out,
        stderr: &mut err,
    };
    let result = run::run(cli, &mut io).and_then(|exit| out.flush().map(|()| exit));
    match result {
        Ok(exit) => ExitCode::from(exit.code()),
        // A closed pipe (`certaudit check | head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(err, "certaudit: {e}");
            ExitCode::from(2)
        }
    }
}
