//! `certaudit man`: manual pages generated from the clap definitions (clap_mangen),
//! with the examples as no-fill blocks (`.nf`, so roff never justifies a command
//! into `certaudit      check`) and the exit codes.

use crate::cli::Cli;
use clap::CommandFactory;
use roff::{Roff, bold, roman};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

const EXIT_STATUS: &[(&str, &str)] = &[
    ("0", "no error finding (and, with --strict, no warning)"),
    (
        "1",
        "at least one error finding (or, with --strict, a warning); for thumbprint also a wrong --expect-thumbprint or nothing to print; for fix, no leaf",
    ),
    (
        "2",
        "a usage error, or an input that could not be read at all (the other inputs are still reported)",
    ),
];

fn command() -> clap::Command {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    cmd
}

/// One page: `cmd`'s own sections, then (for the top page) every subcommand with
/// its options, the examples and the exit codes.
fn page(cmd: &clap::Command, w: &mut dyn Write, all: bool, top: bool) -> io::Result<()> {
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    if cmd.has_subcommands() {
        man.render_subcommands_section(w)?;
    }
    if all {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let mut roff = Roff::new();
            roff.control(
                "SH",
                [format!("CERTAUDIT {}", sub.get_name().to_uppercase()).as_str()],
            );
            let sub_man = clap_mangen::Man::new(sub.clone());
            roff.to_writer(w)?;
            // The subcommand's synopsis, description and options, without its title.
            let mut buf = Vec::new();
            sub_man.render_synopsis_section(&mut buf)?;
            sub_man.render_description_section(&mut buf)?;
            sub_man.render_options_section(&mut buf)?;
            w.write_all(&demote(&buf))?;
            examples(sub, w, ".SS")?;
        }
    }
    examples(cmd, w, ".SH")?;
    exit_status(w)?;
    if top {
        man.render_version_section(w)?;
    }
    Ok(())
}

/// `.SH X` → `.SS X`: a subcommand's sections become subsections of the one page.
fn demote(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        match line.strip_prefix(".SH ") {
            Some(rest) => {
                out.push_str(".SS ");
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out.into_bytes()
}

/// The `after_help` examples, one literal line each, in no-fill mode.
fn examples(cmd: &clap::Command, w: &mut dyn Write, heading: &str) -> io::Result<()> {
    let Some(text) = cmd.get_after_help().map(|t| t.to_string()) else {
        return Ok(());
    };
    let body: Vec<&str> = text
        .lines()
        .skip_while(|l| l.trim_end() == "Examples:")
        .collect();
    let mut roff = Roff::new();
    roff.control(heading.trim_start_matches('.'), ["EXAMPLES"]);
    roff.control("nf", [] as [&str; 0]);
    roff.control("RS", ["2"]);
    for line in body {
        roff.text([roman(line.strip_prefix("  ").unwrap_or(line))]);
    }
    roff.control("RE", [] as [&str; 0]);
    roff.control("fi", [] as [&str; 0]);
    roff.to_writer(w)
}

fn exit_status(w: &mut dyn Write) -> io::Result<()> {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        roff.control("TP", [] as [&str; 0]);
        roff.text([bold(*code)]);
        roff.text([roman(*meaning)]);
    }
    roff.to_writer(w)
}

/// `certaudit man`: one page holding every command.
pub fn render_all(w: &mut dyn Write) -> io::Result<()> {
    page(&command(), w, true, true)
}

/// `certaudit man --dir DIR`: `certaudit.1` and `certaudit-COMMAND.1` for each
/// command; returns the files written.
pub fn write_pages(dir: &Path) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let cmd = command();
    let mut written = Vec::new();
    let mut write = |c: &clap::Command, name: &str, top: bool| -> io::Result<()> {
        let path = dir.join(format!("{name}.1"));
        let mut buf = Vec::new();
        page(c, &mut buf, false, top)?;
        std::fs::write(&path, buf)?;
        written.push(path);
        Ok(())
    };
    write(&cmd, "certaudit", true)?;
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("certaudit-{}", sub.get_name());
        // After `build`, a subcommand's display name is `certaudit-NAME`: the page's
        // title and NAME section use it.
        write(sub, &name, false)?;
    }
    Ok(written)
}
