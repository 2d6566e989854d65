//! The certaudit binary: parse the command line, run, map the outcome to an exit code.

use certaudit::cli::{Cli, config, run};
use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdin = io::stdin();
    let stdout = io::stdout();
    let stderr = io::stderr();
    let mut out = io::BufWriter::with_capacity(64 * 1024, stdout.lock());
    let mut err = stderr.lock();
    let mut input = stdin.lock();
    let env = config::Environment::read();
    let mut io = run::Io::new(env, &mut input, &mut out, &mut err);
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
