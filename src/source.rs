//! INPUT arguments → the list of inputs, and reading each one's bytes.
//!
//! A directory means every regular file below it, in sorted path order, each its own
//! input. Symbolic links to regular files are followed; links to directories are not,
//! so a link loop cannot make the walk endless; a dangling or looping link, or one to
//! anything but a regular file (a device, a FIFO, `/proc/self/pagemap`), is skipped
//! and counted, never read. The pseudo-filesystems `/proc`, `/sys` and `/dev` are
//! never descended into, and a folder argument that is, or links to, `/` is refused
//! (`input.unreadable`: a walk of a whole filesystem is never what was meant).
//!
//! Only regular files, `-` and FIFOs named as arguments are read (a device such as
//! `/dev/zero`, `/dev/urandom` or `/dev/tty` is `input.unreadable`, and the other
//! inputs are still reported), and at most [`MAX_INPUT_BYTES`] of each: a longer
//! input is `input.unreadable` with a message that says so.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Where an input's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    Stdin,
    File(PathBuf),
    /// The path could not be opened or listed; the message says why.
    Unreadable(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The path as given (or found below a given folder), or `-` for stdin, named
    /// losslessly (`escape::name_of_bytes`: a byte that is not UTF-8 as `\xNN`, a
    /// backslash doubled), as every report shows it.
    pub name: String,
    pub origin: Origin,
}

/// The most bytes read from one input (file, FIFO or stdin) outside `--bundle`:
/// 8 MiB, some thirty times the largest public CA bundle and far above any chain,
/// capture or keystore, so that a whole input held in memory, with everything made
/// of it, stays under 64 MiB (measured: an 8 MiB PEM input peaks at 48-55 MiB in
/// text and JSON). `--bundle` streams and has no such limit.
pub const MAX_INPUT_BYTES: u64 = 8 << 20;

/// Reads at most `MAX_INPUT_BYTES + 1` bytes of `r` into `buf`, its room reserved
/// once (untouched pages cost no memory), so it never doubles past the cap.
fn read_capped(r: impl Read, buf: &mut Vec<u8>) -> std::io::Result<()> {
    buf.reserve(
        usize::try_from(MAX_INPUT_BYTES + 1)
            .unwrap_or(usize::MAX)
            .min(1 << 24),
    );
    r.take(MAX_INPUT_BYTES + 1).read_to_end(buf).map(|_| ())
}

/// A regular file longer than the cap is refused before it is read.
fn open_capped(path: &Path) -> Result<fs::File, String> {
    let f = fs::File::open(path).map_err(|e| describe(&e))?;
    if let Ok(meta) = f.metadata()
        && meta.is_file()
        && meta.len() > MAX_INPUT_BYTES
    {
        return Err(too_big());
    }
    Ok(f)
}

/// Folders never walked: pseudo-filesystems whose files are endless, block or
/// change as they are read.
const PSEUDO: &[&str] = &["/proc", "/sys", "/dev"];

fn is_pseudo(dir: &Path) -> bool {
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    PSEUDO.iter().any(|p| canonical.starts_with(p))
}

/// Why a path that is not a regular file, a folder or a FIFO is not read.
fn special(path: &Path, meta: &fs::Metadata) -> Source {
    use std::os::unix::fs::FileTypeExt as _;
    let t = meta.file_type();
    let what = if t.is_char_device() {
        "a character device (such as /dev/zero or /dev/tty)"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    };
    Source {
        name: crate::escape::path_name(path),
        origin: Origin::Unreadable(format!(
            "{what}: only regular files, folders, FIFOs and `-` are read; for a terminal's input use `-` with a pipe"
        )),
    }
}

/// Expands INPUT arguments. An empty list means stdin.
pub fn expand(args: &[PathBuf]) -> Vec<Source> {
    let mut out = Vec::new();
    if args.is_empty() {
        out.push(stdin());
    }
    for arg in args {
        if arg.as_os_str() == "-" {
            out.push(stdin());
            continue;
        }
        match fs::metadata(arg) {
            Ok(meta) if meta.is_dir() => {
                if fs::canonicalize(arg).is_ok_and(|c| c == Path::new("/")) {
                    out.push(Source {
                        name: crate::escape::path_name(arg),
                        origin: Origin::Unreadable(
                            "the root of the filesystem (or a link to it): not walked; name the folder that holds the certificates".into(),
                        ),
                    });
                } else if is_pseudo(arg) {
                    out.push(Source {
                        name: crate::escape::path_name(arg),
                        origin: Origin::Unreadable(
                            "a pseudo-filesystem folder (/proc, /sys, /dev): not read".into(),
                        ),
                    });
                } else {
                    walk(arg, &mut out);
                }
            }
            Ok(meta) if meta.is_file() || is_fifo(&meta) => out.push(file(arg)),
            Ok(meta) => out.push(special(arg, &meta)),
            Err(e) => out.push(unreadable(arg, &e)),
        }
    }
    out
}

fn is_fifo(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt as _;
    meta.file_type().is_fifo()
}

fn stdin() -> Source {
    Source {
        name: "-".into(),
        origin: Origin::Stdin,
    }
}

fn file(path: &Path) -> Source {
    Source {
        name: crate::escape::path_name(path),
        origin: Origin::File(path.to_path_buf()),
    }
}

fn unreadable(path: &Path, e: &std::io::Error) -> Source {
    Source {
        name: crate::escape::path_name(path),
        origin: Origin::Unreadable(describe(e)),
    }
}

/// Depth-first, entries of each folder in sorted order, so the overall order is the
/// sorted order of full paths.
fn walk(dir: &Path, out: &mut Vec<Source>) {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            out.push(unreadable(dir, &e));
            return;
        }
    };
    // The type comes with the entry (no system call per file, which a folder of
    // thousands of small files would feel), else from `symlink_metadata`.
    let mut paths: Vec<(PathBuf, Option<fs::FileType>)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => paths.push((entry.path(), entry.file_type().ok())),
            Err(e) => out.push(unreadable(dir, &e)),
        }
    }
    paths.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (path, file_type) in paths {
        let Some(link_meta) =
            file_type.or_else(|| fs::symlink_metadata(&path).ok().map(|m| m.file_type()))
        else {
            continue;
        };
        if link_meta.is_dir() {
            if !is_pseudo(&path) {
                walk(&path, out);
            }
        } else if link_meta.is_symlink() {
            // Only to a regular file outside the pseudo-filesystems; a dangling or
            // looping link (ELOOP) is skipped, as a folder means its regular files.
            match fs::metadata(&path) {
                Ok(m) if m.is_file() && !is_pseudo(&path) => out.push(file(&path)),
                _ => {}
            }
        } else if link_meta.is_file() {
            out.push(file(&path));
        }
    }
}

/// Reads a file named by an option (`--trust`, `--provider`, `--password-file`, the
/// `oidc` document) as an input is read: only a regular file or a FIFO, at most
/// [`MAX_INPUT_BYTES`]; a folder, a device or a pseudo-filesystem path is refused.
pub fn read_path(path: &Path) -> Result<Vec<u8>, String> {
    match expand(std::slice::from_ref(&path.to_path_buf())).as_slice() {
        [one] if matches!(one.origin, Origin::File(_)) => read(one, &mut std::io::empty()),
        [one] => match &one.origin {
            Origin::Unreadable(why) => Err(why.clone()),
            _ => Err("not a file".into()),
        },
        _ => Err("a folder: give one file".into()),
    }
}

/// Reads an input's bytes, or says why it cannot.
pub fn read(source: &Source, stdin: &mut dyn Read) -> Result<Vec<u8>, String> {
    match &source.origin {
        Origin::Stdin => {
            let mut buf = Vec::new();
            read_capped(stdin, &mut buf)
                .map_err(|e| format!("cannot read standard input: {}", describe(&e)))?;
            capped(buf)
        }
        Origin::File(path) => {
            let f = open_capped(path)?;
            let mut buf = Vec::new();
            if f.metadata().is_ok_and(|m| m.is_file()) {
                f.take(MAX_INPUT_BYTES + 1).read_to_end(&mut buf)
            } else {
                read_capped(f, &mut buf).map(|()| 0)
            }
            .map_err(|e| describe(&e))?;
            capped(buf)
        }
        Origin::Unreadable(msg) => Err(msg.clone()),
    }
}

/// [`read`] of a file into `buf` (cleared first, its capacity kept): open and read,
/// without the `stat` and `lseek` that `fs::read` makes to size its buffer. For the thousands of
/// small files of a folder read one after the other into the same buffer.
pub fn read_into(source: &Source, buf: &mut Vec<u8>) -> Result<(), String> {
    buf.clear();
    match &source.origin {
        // Through `take`: `File::read_to_end` would `stat` and `lseek` to size `buf`.
        Origin::File(path) => {
            open_capped(path)?
                .take(MAX_INPUT_BYTES + 1)
                .read_to_end(buf)
                .map_err(|e| describe(&e))?;
            if buf.len() as u64 > MAX_INPUT_BYTES {
                buf.clear();
                return Err(too_big());
            }
            Ok(())
        }
        _ => {
            *buf = read(source, &mut std::io::empty())?;
            Ok(())
        }
    }
}

fn too_big() -> String {
    format!(
        "longer than {} MiB, the most read from one input (use --bundle for larger CA bundles: it streams)",
        MAX_INPUT_BYTES >> 20
    )
}

fn capped(buf: Vec<u8>) -> Result<Vec<u8>, String> {
    if buf.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_big());
    }
    Ok(buf)
}

fn describe(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or folder: check the path".into(),
        ErrorKind::PermissionDenied => {
            "permission denied: run as a user who may read it, or copy it somewhere readable".into()
        }
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_argument_means_stdin() {
        assert_eq!(expand(&[]), vec![stdin()]);
        assert_eq!(expand(&[PathBuf::from("-")]), vec![stdin()]);
    }

    #[test]
    fn missing_path_is_unreadable_not_dropped() {
        let got = expand(&[PathBuf::from("/definitely/not/here.pem")]);
        assert_eq!(got.len(), 1);
        assert!(matches!(got[0].origin, Origin::Unreadable(_)));
    }

    #[test]
    fn folders_are_walked_in_sorted_order() {
        let dir = std::env::temp_dir().join(format!("certaudit-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("b")).unwrap();
        fs::write(dir.join("c.pem"), "x").unwrap();
        fs::write(dir.join("a.pem"), "x").unwrap();
        fs::write(dir.join("b/z.pem"), "x").unwrap();
        let names: Vec<String> = expand(std::slice::from_ref(&dir))
            .into_iter()
            .map(|s| {
                s.name
                    .trim_start_matches(&dir.display().to_string())
                    .to_string()
            })
            .collect();
        assert_eq!(names, vec!["/a.pem", "/b/z.pem", "/c.pem"]);
        let _ = fs::remove_dir_all(&dir);
    }
}
