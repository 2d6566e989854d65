//! The findings of a streamed input, spooled until its certificates are written.

use super::{Ctx, SPOOL_MEMORY};
use crate::findings::Finding;
use crate::report::{json, text};
use std::fs::File;
use std::io::{self, Read, Seek, Write};

/// Rendered findings of a streamed input, in order: in memory up to
/// [`SPOOL_MEMORY`], then in an unlinked temporary file.
#[derive(Default)]
pub(super) struct Spool {
    buf: Vec<u8>,
    file: Option<File>,
    pub(super) count: usize,
}

impl Spool {
    /// JSON: `,\n        {finding}`; text: the finding's line.
    pub(super) fn add(&mut self, f: &Finding, ctx: &Ctx<'_>) -> io::Result<()> {
        if ctx.json() {
            self.buf.extend_from_slice(b",\n        ");
            json::write_finding(&mut self.buf, f)?;
        } else {
            text::finding(&mut self.buf, f, &ctx.style)?;
        }
        self.count += 1;
        self.spill()
    }

    /// Bytes rendered elsewhere (SARIF notifications, `,`-led, any number of them;
    /// `count` then counts the calls that added some).
    pub(super) fn add_rendered(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.buf.extend_from_slice(bytes);
        self.count += 1;
        self.spill()
    }

    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= SPOOL_MEMORY {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(temp_file()?),
            };
            file.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Writes everything spooled; `skip_comma`: it opens a JSON array.
    pub(super) fn copy_to(&mut self, w: &mut dyn Write, skip_comma: bool) -> io::Result<()> {
        let mut skip = usize::from(skip_comma && self.count > 0);
        if let Some(file) = &mut self.file {
            file.flush()?;
            file.rewind()?;
            let mut chunk = vec![0u8; 64 * 1024];
            loop {
                let n = file.read(&mut chunk)?;
                if n == 0 {
                    break;
                }
                w.write_all(chunk.get(skip.min(n)..n).unwrap_or_default())?;
                skip = 0;
            }
        }
        w.write_all(self.buf.get(skip.min(self.buf.len())..).unwrap_or_default())
    }
}

/// A temporary file that is gone from the folder as soon as it is open (Unix).
fn temp_file() -> io::Result<File> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir();
    loop {
        let n = N.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("certaudit-{}-{n}.findings", std::process::id()));
        match std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => {
                let _ = std::fs::remove_file(&path);
                return Ok(f);
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}
