//! One input read as a stream of pieces, each cut just after a line whose last PEM
//! marker is an `END` marker, so that no block is split (the reading half of
//! `drive`, apart from its CLI-side engine, for `inventory`).
//!
//! The cutting rules are `drive`'s own ([`crate::drive::cut_point`],
//! `fallback_cut`, `fill`, `streamable`): a piece of about `piece` bytes grows, up to
//! [`crate::drive::MAX_PIECE`], until it holds an END line, else it is cut before
//! its last BEGIN line. A piece knows the input line it starts at, so line numbers
//! stay those of the whole input.
//!
//! What is not PEM text (binary DER or PKCS#7, UTF-16, `openssl s_client`
//! captures) and what is no longer than one piece is handed back whole
//! ([`Start::Whole`]): memory then follows that input's size, as in `check --bundle`.

use super::MAX_PIECE;
use super::cut::{cut_point, fallback_cut, fill, streamable};
use std::io::{self, Read};

/// How an input begins.
pub enum Start {
    /// Read whole (short, or not PEM text): every byte of the input.
    Whole(Vec<u8>),
    /// PEM text longer than a piece: call [`PieceReader::next`] until `None`.
    Pieces,
    /// The input could not be read at all.
    Failed(io::Error),
}

/// What [`PieceReader::next`] hands out.
pub enum Event {
    /// The next piece and the 1-based input line of its first line.
    Piece { bytes: Vec<u8>, first_line: usize },
    /// Reading failed part way: what was read before is still reported.
    ReadError(io::Error),
}

/// Reads one input in pieces.
pub struct PieceReader<'r> {
    reader: &'r mut dyn Read,
    buf: Vec<u8>,
    piece: usize,
    eof: bool,
    /// The piece handed out last was followed by no refill yet.
    refill: bool,
    done: bool,
    line: usize,
}

impl<'r> PieceReader<'r> {
    /// Reads the first piece's worth of `reader` into `buf` (cleared first) and
    /// decides whether the input streams.
    pub fn start(reader: &'r mut dyn Read, piece: usize, mut buf: Vec<u8>) -> (Self, Start) {
        buf.clear();
        let piece = piece.max(1);
        let mut this = PieceReader {
            reader,
            buf: Vec::new(),
            piece,
            eof: false,
            refill: false,
            done: false,
            line: 1,
        };
        let eof = match fill(this.reader, &mut buf, piece) {
            Ok(eof) => eof,
            Err(e) => {
                this.done = true;
                return (this, Start::Failed(e));
            }
        };
        if eof || !streamable(&buf) {
            this.done = true;
            if !eof && let Err(e) = this.reader.read_to_end(&mut buf) {
                return (this, Start::Failed(e));
            }
            return (this, Start::Whole(buf));
        }
        this.buf = buf;
        (this, Start::Pieces)
    }

    /// The next piece, or a read error (after which the pieces read so far have
    /// all been handed out and `None` follows). `spare` gives an empty buffer for
    /// what follows the cut (the caller may recycle the buffers of pieces done).
    pub fn next(&mut self, spare: &mut dyn FnMut() -> Vec<u8>) -> Option<Event> {
        loop {
            if self.done {
                return None;
            }
            if self.refill {
                self.refill = false;
                let target = self.buf.len() + self.piece;
                match fill(self.reader, &mut self.buf, target) {
                    Ok(e) => self.eof = e,
                    Err(e) => {
                        self.eof = true;
                        return Some(Event::ReadError(e));
                    }
                }
            }
            let max = MAX_PIECE.max(self.piece);
            let cut = if self.eof {
                self.buf.len()
            } else {
                match cut_point(&self.buf) {
                    Some(cut) => cut,
                    None if self.buf.len() < max => {
                        let target = self.buf.len().saturating_mul(2).min(max);
                        match fill(self.reader, &mut self.buf, target) {
                            Ok(e) => self.eof = e,
                            Err(e) => {
                                self.eof = true;
                                return Some(Event::ReadError(e));
                            }
                        }
                        continue;
                    }
                    None => fallback_cut(&self.buf),
                }
            };
            let mut next = spare();
            next.clear();
            next.extend_from_slice(self.buf.get(cut..).unwrap_or_default());
            self.buf.truncate(cut);
            let bytes = std::mem::replace(&mut self.buf, next);
            let first_line = self.line;
            self.line += memchr::memchr_iter(b'\n', &bytes).count();
            if self.eof && self.buf.is_empty() {
                self.done = true;
            } else if !self.eof {
                self.refill = true;
            }
            if !bytes.is_empty() {
                return Some(Event::Piece { bytes, first_line });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pem_text(n: usize) -> Vec<u8> {
        let mut text = b"A bundle.\n".to_vec();
        for _ in 0..n {
            text.extend_from_slice(crate::input::tests::T_PEM.as_bytes());
            text.extend_from_slice(b"# between\n");
        }
        text
    }

    fn pieces(text: &[u8], piece: usize) -> (Start, Vec<(Vec<u8>, usize)>) {
        let mut r: &[u8] = text;
        let (mut reader, start) = PieceReader::start(&mut r, piece, Vec::new());
        let mut out = Vec::new();
        while let Some(ev) = reader.next(&mut Vec::new) {
            match ev {
                Event::Piece { bytes, first_line } => out.push((bytes, first_line)),
                Event::ReadError(e) => panic!("{e}"),
            }
        }
        (start, out)
    }

    #[test]
    fn pieces_join_to_the_input_and_start_at_their_lines() {
        let text = pem_text(50);
        let (start, got) = pieces(&text, 700);
        assert!(matches!(start, Start::Pieces));
        assert!(got.len() > 5);
        let joined: Vec<u8> = got.iter().flat_map(|(b, _)| b.clone()).collect();
        assert_eq!(joined, text);
        let mut line = 1;
        for (bytes, first) in &got {
            assert_eq!(*first, line);
            line += bytes.iter().filter(|&&b| b == b'\n').count();
            let begins = memchr::memmem::find_iter(bytes, b"-----BEGIN").count();
            let ends = memchr::memmem::find_iter(bytes, b"-----END").count();
            assert_eq!(begins, ends, "a piece splits a block");
        }
    }

    #[test]
    fn short_and_binary_inputs_are_whole() {
        let text = pem_text(1);
        let (start, got) = pieces(&text, 1 << 20);
        assert!(matches!(start, Start::Whole(ref b) if *b == text));
        assert!(got.is_empty());
        let der = crate::input::tests::t_der().repeat(20);
        let (start, got) = pieces(&der, 64);
        assert!(matches!(start, Start::Whole(ref b) if *b == der));
        assert!(got.is_empty());
    }
}
