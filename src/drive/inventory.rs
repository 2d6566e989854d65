//! `inventory`'s reading: every input through the pieces reader (`pieces.rs`: a
//! large PEM bundle in pieces, anything else whole) into an [`Inventory`], with a
//! progress line on a terminal's stderr.

use crate::drive::pieces::{Event, PieceReader, Start};
use crate::findings::{Code, Finding};
use crate::input;
use crate::inventory::Inventory;
use crate::source::{self, Origin, Source};
use std::io::{self, Read, Write};

/// Reads every input, in order. `progress` (a terminal's stderr) gets a line
/// now and then, overwritten in place, and is cleared at the end.
pub fn read_all(
    inv: &mut Inventory,
    sources: &[Source],
    stdin: &mut dyn Read,
    mut progress: Option<&mut dyn Write>,
) -> io::Result<()> {
    let mut last = std::time::Instant::now();
    let mut buf = Vec::new();
    for (n, src) in sources.iter().enumerate() {
        buf = read_source(inv, src, stdin, buf, &mut |inv: &Inventory| {
            if let Some(p) = progress.as_deref_mut()
                && last.elapsed().as_millis() >= 200
            {
                last = std::time::Instant::now();
                let _ = progress_line(inv, p, n, sources.len());
            }
        });
    }
    if let Some(p) = progress {
        write!(p, "\r\x1b[K")?;
        p.flush()?;
    }
    Ok(())
}

fn progress_line(inv: &Inventory, w: &mut dyn Write, n: usize, total: usize) -> io::Result<()> {
    write!(
        w,
        "\r\x1b[Kinventory: input {}/{total}, {} certificates ({} distinct)",
        n + 1,
        inv.summary().occurrences,
        inv.len()
    )?;
    w.flush()
}

/// Reads one input; `buf` is a buffer to reuse (handed back).
pub fn read_source(
    inv: &mut Inventory,
    src: &Source,
    stdin: &mut dyn Read,
    buf: Vec<u8>,
    tick: &mut dyn FnMut(&Inventory),
) -> Vec<u8> {
    inv.inputs += 1;
    let mut file;
    let reader: &mut dyn Read = match &src.origin {
        Origin::Stdin => stdin,
        Origin::Unreadable(why) => {
            inv.unreadable(&src.name, why);
            return buf;
        }
        Origin::File(path) => match std::fs::File::open(path) {
            Ok(f) => {
                file = f;
                &mut file
            }
            Err(_) => {
                // `source::read` opens it again and says why it cannot.
                let why = source::read(src, &mut io::empty())
                    .err()
                    .unwrap_or_else(|| "cannot be opened".into());
                inv.unreadable(&src.name, &why);
                return buf;
            }
        },
    };
    let mut cur = crate::inventory::Current {
        source: crate::inventory::NONE,
        certs: 0,
        failed: false,
    };
    let (mut pieces, start) = PieceReader::start(reader, inv.options.piece, buf);
    let mut spare = Vec::new();
    match start {
        Start::Failed(e) => {
            inv.unreadable(&src.name, &e.to_string());
            return spare;
        }
        Start::Whole(bytes) => {
            let decoded = input::read_with(&src.name, &bytes, &inv.options.input);
            inv.decoded(&src.name, &mut cur, decoded, false);
            spare = bytes;
        }
        Start::Pieces => {
            let mut evidence = input::Evidence::default();
            let mut recycled: Option<Vec<u8>> = None;
            while let Some(event) = pieces.next(&mut || recycled.take().unwrap_or_default()) {
                match event {
                    Event::Piece { bytes, first_line } => {
                        let (decoded, ev) = input::read_piece(&src.name, &bytes, first_line);
                        evidence.merge(&ev);
                        inv.decoded(&src.name, &mut cur, decoded, true);
                        recycled = Some(bytes);
                        tick(inv);
                    }
                    Event::ReadError(e) => {
                        cur.failed = true;
                        inv.read_errors += 1;
                        let f = Finding::new(
                            Code::InputUnreadable,
                            format!("{}: cannot be read to its end: {e}", src.name),
                        );
                        inv.finding(&src.name, &mut cur, f);
                    }
                }
            }
            if let Some(f) = evidence.reflowed(&src.name) {
                inv.finding(&src.name, &mut cur, f);
            }
            spare = recycled.unwrap_or_default();
        }
    }
    if cur.certs == 0 && !cur.failed {
        inv.without_certificates += 1;
    }
    tick(inv);
    spare
}
