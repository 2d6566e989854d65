//! `certaudit inventory`: options → the inventory of every input → one renderer.
//!
//! Order: `text`, `json` and `csv` list certificates sorted (`not_after`, then
//! SHA-256); `jsonl` and `openmetrics` in the order they were first found (no
//! sort, as the contract allows). Every format is written once every input has
//! been read, because `found` must name every place; `openmetrics` needs only the
//! first place, so it keeps no others (`Options::keep_places`).

use crate::cli::config::{self, Io};
use crate::cli::{InventoryArgs, InventoryFormat};
use crate::exit::Exit;
use crate::findings::{Code, Severity};
use crate::inventory::{Inventory, Options};
use crate::report::{csv, inventory_text, jsonl, openmetrics, text};
use crate::source;
use std::io::{self, Write};

pub fn run(args: InventoryArgs, color: bool, io: &mut Io<'_>) -> io::Result<Exit> {
    if args.inputs.is_empty() && io.env.stdin_is_terminal {
        writeln!(
            io.stderr,
            "certaudit: no input: give files or folders, e.g. `certaudit inventory /etc/ssl/certs/`, or pipe a bundle on stdin\nRun `certaudit inventory --help` for more."
        )?;
        return Ok(Exit::Usage);
    }
    let mut options = Options::new(args.at.unwrap_or(io.env.now), args.warn_days);
    options.expiring_within = args.expiring_within;
    options.piece = crate::drive::PIECE;
    options.keep_places = args.format != InventoryFormat::Openmetrics;
    // `--password-file` and CERTAUDIT_PASSWORD, read as `check` reads them.
    match config::input_options(&args.password, io.env.password_env.as_deref()) {
        Ok(o) => options.input = o,
        Err(msg) => {
            writeln!(io.stderr, "certaudit: {msg}")?;
            return Ok(Exit::Usage);
        }
    }
    let sources = source::expand(&args.inputs);
    let mut inv = Inventory::new(options);
    let progress: Option<&mut dyn Write> = if io.env.stderr_is_terminal {
        Some(&mut *io.stderr)
    } else {
        None
    };
    crate::drive::inventory::read_all(&mut inv, &sources, &mut *io.stdin, progress)?;
    let out = &mut *io.stdout;
    match args.format {
        InventoryFormat::Text => {
            let style = text::Style {
                color,
                width: io.env.columns.unwrap_or(80).max(40),
                detail: text::Detail::Normal,
            };
            inventory_text::render(
                out,
                &inv,
                &inv.sorted(),
                &style,
                args.all,
                !args.no_timeline,
            )?
        }
        InventoryFormat::Json => jsonl::json(out, &inv, &inv.sorted())?,
        InventoryFormat::Csv => csv::csv(out, &inv, &inv.sorted())?,
        InventoryFormat::Jsonl => jsonl::jsonl(out, &inv, &inv.first_seen())?,
        InventoryFormat::Openmetrics => openmetrics::openmetrics(out, &inv, &inv.first_seen())?,
    }
    if std::env::var_os("CERTAUDIT_INVENTORY_STATS").is_some() {
        // For BENCHMARKS.md: what the records hold, beside the process's peak RSS.
        writeln!(
            io.stderr,
            "certaudit: inventory holds {} distinct certificates in {} bytes ({} per certificate)",
            inv.len(),
            inv.held_bytes(),
            inv.held_bytes() / inv.len().max(1)
        )?;
    }
    Ok(exit(&inv, args.strict))
}

/// The exit code (contract, "inventory"): 2 when an input could not be read; 1
/// for a listed certificate that is expired or not yet valid, an `input.*` error
/// finding (`input.empty` is never made here), or, with `strict`, a listed
/// certificate expiring soon.
pub fn exit(inv: &Inventory, strict: bool) -> Exit {
    if inv.read_errors > 0 {
        return Exit::Usage;
    }
    let s = inv.summary();
    let errors = inv
        .findings()
        .any(|(_, f)| f.severity() == Severity::Error && f.code != Code::InputEmpty);
    if errors || s.expired > 0 || s.not_yet_valid > 0 || (strict && s.expiring_soon > 0) {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
