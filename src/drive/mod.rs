//! The one driver of `check`, in every mode and format: every input through
//! `check` (the analysis stages) on a pool of worker threads, rendered by `report`,
//! written in input order, counted once in a [`Summary`].
//!
//! Whole inputs (a file, stdin, a folder's files in batches of [`BATCH`]) are
//! audited and rendered on the workers; the main thread reads, hands out jobs and
//! writes results in input order, so the output is the same whatever the number of
//! threads.
//!
//! With `--bundle` (an unordered set of certificates, so nothing about one
//! certificate depends on another), text inputs larger than [`PIECE`] are also read
//! as a stream, in bounded memory: cut just after a line whose last PEM marker is
//! an `END` marker (`cut`), so a block is never split; each piece goes through the
//! same stages as a whole input (`input::read_piece` with the piece's first line,
//! `check::parse_block` with its first index, `check::assess`) on a worker, and its
//! certificates are serialized there (`report::json::write_cert`, the one
//! serializer `JsonWriter::input` uses too; text: a table per piece). Findings about
//! certificates arrive in order and are spooled (`spool`, to a temporary file past
//! [`SPOOL_MEMORY`]), because the contract puts an input's `findings` after its
//! `certificates`; the summary comes last (key order is not significant).
//!
//! Indices stay global: a piece's first index is predicted from the certificate
//! blocks of the pieces before it (`-----BEGIN CERTIFICATE-----` lines); the writer
//! checks the prediction against the certificates actually read, and a piece
//! predicted wrong (a block that failed to decode) is done again, on the main thread,
//! with the right index. Findings and messages that name an index are thus exactly
//! those of the non-streaming path.
//!
//! Read whole (memory grows with their size): every input without `--bundle`, and
//! with it inputs up to [`PIECE`], binary DER and PKCS#7, UTF-16 text and
//! `openssl s_client` captures (their header lines tie a block to the text above it).
//!
//! SARIF is written as it comes too (`report::sarif::Writer`): its artifacts are
//! known from the sources' names before any is read, each input's results are
//! rendered on the worker (a streamed piece's results about its certificates on its
//! worker as well, with no spool: SARIF has no certificate list to come first), and
//! the notifications about unreadable inputs, which `invocations` holds after the
//! results, are spooled as findings are.

pub(crate) mod cut;
pub mod inventory;
pub mod pieces;
mod spool;
#[cfg(test)]
mod tests;

use crate::chain;
use crate::check::{self, InputAudit, Settings};
use crate::findings::{self, Code, Finding, Severity, Summary};
use crate::input;
use crate::report::json::{self, JsonWriter};
use crate::report::sarif::{self, Artifacts};
use crate::report::text;
use crate::source::{self, Origin, Source};
use crate::x509::{self, CertInfo};
pub use cut::cut_point;
use cut::{fallback_cut, fill, predicted_certificates, streamable};
use spool::Spool;
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Write};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};

/// Text inputs larger than this are streamed (`--bundle`), in pieces of about this size.
pub const PIECE: usize = 128 * 1024;
/// A piece without any END line grows up to this before it is cut elsewhere.
pub const MAX_PIECE: usize = 4 * 1024 * 1024;
/// Findings of a streamed input kept in memory before they go to a temporary file.
pub const SPOOL_MEMORY: usize = 256 * 1024;
/// Small files handed to a worker as one job (fewer hand-overs and wake-ups).
pub const BATCH: usize = 32;

/// The report's format, as the driver needs to know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// What the driver is asked to do: a plain configuration, built once by `cli`.
pub struct Plan<'a> {
    pub settings: &'a Settings<'a>,
    pub format: Format,
    pub style: text::Style,
    pub extras: &'a text::Extras,
    /// A progress line on this writer (a terminal's stderr) for many inputs.
    pub progress: bool,
}

/// The streams the driver reads and writes.
pub struct Streams<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
}

/// Runs `sources` through every stage and writes the report: the only loop over
/// inputs. Returns the totals; `exit::Exit::of` makes the exit code of them.
pub fn run(plan: &Plan<'_>, sources: &[Source], streams: &mut Streams<'_>) -> io::Result<Summary> {
    let ctx = Ctx {
        settings: plan.settings,
        format: plan.format,
        style: plan.style,
        extras: plan.extras,
        piece: PIECE,
        stream: plan.settings.bundle,
        artifacts: if plan.format == Format::Sarif {
            Artifacts::new(sources.iter().map(|s| s.name.as_str()))
        } else {
            Artifacts::default()
        },
    };
    let progress = (plan.progress && sources.len() >= 50).then_some(Progress {
        total: sources.len(),
        done: 0,
    });
    run_with(&ctx, sources, workers(sources), streams, progress)
}

/// The report of `sources` with `workers` threads (0: all on this one).
fn run_with(
    ctx: &Ctx<'_>,
    sources: &[Source],
    workers: usize,
    streams: &mut Streams<'_>,
    progress: Option<Progress>,
) -> io::Result<Summary> {
    let stdin: &mut dyn Read = &mut *streams.stdin;
    let out = match ctx.format {
        Format::Json => Output::Json(JsonWriter::begin(&mut *streams.stdout, ctx.settings.at)?),
        Format::Text => Output::Text(&mut *streams.stdout),
        Format::Sarif => Output::Sarif {
            w: sarif::Writer::begin(&mut *streams.stdout, &ctx.artifacts)?,
            notes: Spool::default(),
        },
    };
    let (job_tx, job_rx) = mpsc::channel::<(usize, Job<'_>)>();
    let (done_tx, done_rx) = mpsc::channel::<(usize, Done)>();
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let job_rx = &job_rx;
            scope.spawn(move || work(ctx, job_rx, &done_tx));
        }
        drop(done_tx);
        let mut engine = Engine {
            ctx,
            out,
            jobs: (workers > 0).then_some(job_tx),
            results: done_rx,
            in_flight: 0,
            limit: 3 * workers + 1,
            next_seq: 0,
            next_write: 0,
            pending: BTreeMap::new(),
            current: None,
            dispatching: Dispatching::default(),
            spare: Vec::new(),
            summary: Summary::default(),
            progress,
            stderr: &mut *streams.stderr,
        };
        let done = engine.run(sources, stdin);
        // Closing the job channel (also on an error) stops the workers.
        engine.jobs = None;
        done?;
        let summary = engine.summary;
        if engine.progress.is_some() {
            writeln!(engine.stderr)?;
        }
        match engine.out {
            Output::Json(w) => {
                w.end(&summary)?;
            }
            Output::Text(mut w) => text::summary(&mut w, &summary, &ctx.style)?,
            Output::Sarif { w, mut notes } => {
                if notes.count == 0 {
                    w.finish(None)?;
                } else {
                    w.finish(Some(&mut |out: &mut dyn Write| notes.copy_to(out, true)))?;
                }
            }
        }
        Ok(summary)
    })
}

/// A progress line on stderr (a terminal) for runs over many inputs.
struct Progress {
    total: usize,
    done: usize,
}

impl Progress {
    fn advance(&mut self, err: &mut dyn Write, inputs: usize) -> io::Result<()> {
        let before = self.done;
        self.done = self.done.saturating_add(inputs).min(self.total);
        if self.done / 16 != before / 16 || self.done == self.total {
            let width = 30usize;
            let filled = self.done.saturating_mul(width) / self.total.max(1);
            write!(
                err,
                "\r[{}{}] {}/{} inputs",
                "#".repeat(filled),
                " ".repeat(width.saturating_sub(filled)),
                self.done,
                self.total
            )?;
            err.flush()?;
        }
        Ok(())
    }
}

/// Worker threads: none for one small file (no start-up cost), else one per core.
fn workers(sources: &[Source]) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let small_single = match sources {
        [one] => match &one.origin {
            Origin::File(p) => std::fs::metadata(p).is_ok_and(|m| m.len() <= PIECE as u64),
            Origin::Unreadable(_) => true,
            Origin::Stdin => false,
        },
        _ => false,
    };
    if small_single || cores < 2 { 0 } else { cores }
}

/// What every worker needs (shared, read-only).
struct Ctx<'a> {
    settings: &'a Settings<'a>,
    format: Format,
    style: text::Style,
    extras: &'a text::Extras,
    /// Inputs larger than this are streamed in pieces of about this size.
    piece: usize,
    /// Large text inputs may be cut into pieces (`--bundle`).
    stream: bool,
    /// SARIF: every input's artifact and its index (empty in the other formats).
    artifacts: Artifacts,
}

impl Ctx<'_> {
    fn json(&self) -> bool {
        self.format == Format::Json
    }
}

enum Job<'s> {
    /// A whole input; `bytes` when already read (stdin), else the worker reads it.
    Whole {
        src: &'s Source,
        bytes: Option<Vec<u8>>,
    },
    /// Consecutive small files (a folder of thousands), read and audited whole, one
    /// after the other, by one worker: one job, one result, for [`BATCH`] of them.
    Files(Vec<&'s Source>),
    Piece {
        name: &'s str,
        piece: Piece,
    },
}

/// A piece of a streamed input and where it sits in it.
struct Piece {
    bytes: Vec<u8>,
    /// 1-based line of the piece's first line in the input.
    first_line: usize,
    /// The index its first certificate gets (predicted when handed out).
    first_index: usize,
    /// Certificate blocks counted in it (the prediction's part for the next piece).
    predicted: usize,
    /// An empty buffer for its rendering (buffers go round, so that memory stays
    /// flat however long the input).
    out: Vec<u8>,
}

enum Done {
    Whole {
        /// SARIF: its results (`sarif::Part::results`).
        rendered: io::Result<Vec<u8>>,
        summary: Summary,
        /// SARIF: its notifications (`sarif::Part::notifications`), for the end.
        notes: Vec<u8>,
    },
    Piece(Box<PieceOut>),
    /// A streamed input starts (queued by the main thread, never by a worker).
    Begin(String),
    /// Reading a streamed input failed part way.
    ReadError(String),
    /// A streamed input ends.
    End,
    /// A worker's job panicked (a bug): reported as an I/O error.
    Failed,
}

/// A piece, processed.
struct PieceOut {
    piece: Piece,
    certs: usize,
    /// JSON: `,\n        {certificate}` for each; text: a table.
    rendered: io::Result<Vec<u8>>,
    /// `input.*` findings about blocks (certificate: None).
    input_findings: Vec<Finding>,
    /// Findings about its certificates, sorted.
    cert_findings: Vec<Finding>,
    /// Certificates that may get `signature.weak` (decided in order, by the writer).
    weak: Vec<CertInfo>,
    evidence: input::Evidence,
}

fn work(ctx: &Ctx<'_>, jobs: &Mutex<Receiver<(usize, Job<'_>)>>, done: &Sender<(usize, Done)>) {
    loop {
        let job = {
            let rx = jobs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            rx.recv()
        };
        let Ok((seq, job)) = job else { return };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run_job(ctx, job)));
        if done.send((seq, result.unwrap_or(Done::Failed))).is_err() {
            return;
        }
    }
}

fn run_job(ctx: &Ctx<'_>, job: Job<'_>) -> Done {
    match job {
        Job::Whole { src, bytes } => whole(ctx, src, bytes),
        Job::Files(sources) => files(ctx, &sources),
        Job::Piece { name, piece } => Done::Piece(Box::new(process_piece(ctx, name, piece))),
    }
}

/// A whole input, as the non-streaming path reports it.
fn whole(ctx: &Ctx<'_>, src: &Source, bytes: Option<Vec<u8>>) -> Done {
    let a = match bytes {
        Some(b) => check::audit(&src.name, &b, ctx.settings),
        None => match source::read(src, &mut io::empty()) {
            Ok(b) => check::audit(&src.name, &b, ctx.settings),
            Err(why) => InputAudit::unreadable(&src.name, &why),
        },
    };
    render(ctx, a)
}

/// A whole input's report and summary.
fn render(ctx: &Ctx<'_>, a: InputAudit) -> Done {
    let summary = a.summary();
    let (rendered, notes) = match ctx.format {
        Format::Json => (json::input_text(&a), Vec::new()),
        Format::Text => {
            let mut v = Vec::new();
            (
                text::input(&mut v, &a, &ctx.style, ctx.extras).map(|()| v),
                Vec::new(),
            )
        }
        Format::Sarif => {
            let mut part = sarif::Part::default();
            match sarif::input(&a, &ctx.artifacts, &mut part) {
                Ok(()) => (Ok(part.results), part.notifications),
                Err(e) => (Err(e), Vec::new()),
            }
        }
    };
    Done::Whole {
        rendered,
        summary,
        notes,
    }
}

/// Several whole inputs, as one result: their reports one after the other (JSON:
/// separated as `JsonWriter` separates inputs), their summaries merged.
fn files(ctx: &Ctx<'_>, sources: &[&Source]) -> Done {
    let mut all = Vec::new();
    let mut total = Summary::default();
    let mut kept = Vec::new();
    let mut bytes = Vec::with_capacity(16 * 1024);
    for (n, src) in sources.iter().enumerate() {
        let a = match source::read_into(src, &mut bytes) {
            Ok(()) => check::audit(&src.name, &bytes, ctx.settings),
            Err(why) => InputAudit::unreadable(&src.name, &why),
        };
        let Done::Whole {
            rendered,
            summary,
            notes,
        } = render(ctx, a)
        else {
            return Done::Failed;
        };
        let text = match rendered {
            Ok(t) => t,
            Err(e) => {
                return Done::Whole {
                    rendered: Err(e),
                    summary: total,
                    notes: kept,
                };
            }
        };
        if ctx.json() && n > 0 {
            all.extend_from_slice(b",\n");
        }
        all.extend_from_slice(&text);
        total.merge(&summary);
        kept.extend_from_slice(&notes);
    }
    Done::Whole {
        rendered: Ok(all),
        summary: total,
        notes: kept,
    }
}

/// Stages 1 and 2, validity and serialization for one piece.
fn process_piece(ctx: &Ctx<'_>, name: &str, mut piece: Piece) -> PieceOut {
    let (decoded, evidence) = input::read_piece(name, &piece.bytes, piece.first_line);
    let mut found = decoded.findings;
    let mut weak: Vec<CertInfo> = Vec::new();
    let mut certs = 0;
    let mut out = std::mem::take(&mut piece.out);
    out.clear();
    let mut audits = Vec::new();
    let mut rendered = Ok(());
    let mut checks = check::SelfChecks::piece();
    // One certificate at a time, from its block to its JSON: what it allocated is
    // freed before the next one allocates the same again (warm caches, no heap
    // growth), rather than a piece's worth of certificates alive at once.
    for block in decoded.blocks {
        let index = piece.first_index + certs;
        let Some(info) = check::parse_block(
            name,
            block,
            index,
            x509::Keep::Facts,
            &mut checks,
            &mut found,
        ) else {
            continue;
        };
        certs += 1;
        if info.weak_signature && !info.self_signed {
            weak.push(info.clone());
        }
        let (a, f) = check::assess(info, ctx.settings);
        found.extend(f);
        if ctx.format == Format::Sarif {
            audits.push(a);
        } else if ctx.json() {
            out.extend_from_slice(b",\n        ");
            if let Err(e) = json::write_cert(&mut out, &a) {
                rendered = Err(e);
            }
        } else {
            audits.push(a);
        }
    }
    found.extend(checks.finding(name));
    let (mut cert_findings, input_findings): (Vec<Finding>, Vec<Finding>) =
        found.into_iter().partition(|f| f.certificate.is_some());
    findings::sort(&mut cert_findings);
    if ctx.format == Format::Sarif {
        // Its results about its certificates, here where they are known.
        let about = sarif::About::new(name, &ctx.artifacts, None);
        let mut part = sarif::Part {
            results: out,
            notifications: Vec::new(),
        };
        for f in &cert_findings {
            let cert = f
                .certificate
                .and_then(|i| i.checked_sub(piece.first_index))
                .and_then(|i| audits.get(i))
                .map(|c| &c.info);
            if let Err(e) = sarif::finding(&mut part, &about, f, cert) {
                rendered = Err(e);
            }
        }
        out = part.results;
    } else if !audits.is_empty() {
        let part = InputAudit {
            source: name.to_string(),
            format: None,
            certs: audits,
            chain: None,
            findings: Vec::new(),
            capture: None,
            trust: None,
            public_trust: None,
        };
        rendered = out.write_all(text::cert_lines(&part, &ctx.style).as_bytes());
    }
    PieceOut {
        piece,
        certs,
        rendered: rendered.map(|()| out),
        input_findings,
        cert_findings,
        weak,
        evidence,
    }
}

enum Output<W: Write> {
    Json(JsonWriter<W>),
    Text(W),
    /// The log's writer and the notifications for its end (`invocations`).
    Sarif {
        w: sarif::Writer<W>,
        notes: Spool,
    },
}

/// The streamed input the writer is in.
struct Current {
    name: String,
    certs: usize,
    evidence: input::Evidence,
    input_findings: Vec<Finding>,
    /// The budget on findings about blocks (`findings::Cap`), as for whole inputs.
    cap: findings::Cap,
    spool: Spool,
    seen_weak: HashSet<[u8; 32]>,
    summary: Summary,
}

/// The streamed input being handed out, for predicting first indices.
#[derive(Default)]
struct Dispatching {
    /// Certificates the writer has written for it.
    written: usize,
    /// Predicted certificates of its pieces handed out and not yet written.
    in_flight: usize,
}

struct Engine<'c, 's, 'e, W: Write> {
    ctx: &'c Ctx<'c>,
    out: Output<W>,
    /// `None`: no worker, jobs run on the main thread as they are handed out.
    jobs: Option<Sender<(usize, Job<'s>)>>,
    results: Receiver<(usize, Done)>,
    in_flight: usize,
    /// Jobs handed out and not yet written, at most (memory stays flat).
    limit: usize,
    next_seq: usize,
    next_write: usize,
    pending: BTreeMap<usize, Done>,
    current: Option<Current>,
    dispatching: Dispatching,
    /// Buffers of pieces written, for the next pieces.
    spare: Vec<Vec<u8>>,
    summary: Summary,
    progress: Option<Progress>,
    stderr: &'e mut dyn Write,
}

impl<'s, W: Write> Engine<'_, 's, '_, W> {
    fn run(&mut self, sources: &'s [Source], stdin: &mut dyn Read) -> io::Result<()> {
        // Small files (and unreadable ones) wait here to go out as one job.
        let mut batch: Vec<&'s Source> = Vec::new();
        for src in sources {
            if !self.ctx.stream && src.origin == Origin::Stdin {
                // Read whole here (workers cannot read stdin), as every input
                // without --bundle is.
                if !batch.is_empty() {
                    self.dispatch(Job::Files(std::mem::take(&mut batch)))?;
                }
                match source::read(src, stdin) {
                    Ok(bytes) => self.dispatch(Job::Whole {
                        src,
                        bytes: Some(bytes),
                    })?,
                    Err(why) => {
                        let done = render(self.ctx, InputAudit::unreadable(&src.name, &why));
                        self.local(done)?;
                    }
                }
                continue;
            }
            let large = self.ctx.stream
                && match &src.origin {
                    Origin::Stdin => true,
                    Origin::File(path) => {
                        std::fs::metadata(path).is_ok_and(|m| m.len() > self.ctx.piece as u64)
                    }
                    Origin::Unreadable(_) => false,
                };
            if !large {
                batch.push(src);
                if batch.len() >= BATCH {
                    self.dispatch(Job::Files(std::mem::take(&mut batch)))?;
                }
                continue;
            }
            if !batch.is_empty() {
                self.dispatch(Job::Files(std::mem::take(&mut batch)))?;
            }
            match &src.origin {
                Origin::Stdin => self.stream(src, stdin, false)?,
                Origin::File(path) => match File::open(path) {
                    Ok(mut f) => self.stream(src, &mut f, true)?,
                    // The worker opens it again and says why it cannot.
                    Err(_) => self.dispatch(Job::Whole { src, bytes: None })?,
                },
                Origin::Unreadable(_) => self.dispatch(Job::Whole { src, bytes: None })?,
            }
        }
        if !batch.is_empty() {
            self.dispatch(Job::Files(batch))?;
        }
        self.jobs = None;
        while self.in_flight > 0 {
            self.receive()?;
        }
        self.drain()
    }

    /// Reads one input: whole when small or not PEM text, else piece by piece.
    fn stream(&mut self, src: &'s Source, reader: &mut dyn Read, is_file: bool) -> io::Result<()> {
        let piece_size = self.ctx.piece;
        let mut buf: Vec<u8> = self.buffer();
        let mut eof = match fill(reader, &mut buf, piece_size) {
            Ok(eof) => eof,
            Err(e) => return self.read_failed(src, is_file, &e),
        };
        if eof {
            return self.dispatch(Job::Whole {
                src,
                bytes: Some(buf),
            });
        }
        if !streamable(&buf) {
            if is_file {
                return self.dispatch(Job::Whole { src, bytes: None });
            }
            if let Err(e) = reader.read_to_end(&mut buf) {
                return self.read_failed(src, is_file, &e);
            }
            return self.dispatch(Job::Whole {
                src,
                bytes: Some(buf),
            });
        }
        self.local(Done::Begin(src.name.clone()))?;
        self.dispatching = Dispatching::default();
        let mut line = 1usize;
        loop {
            let cut = if eof {
                buf.len()
            } else {
                match cut_point(&buf) {
                    Some(cut) => cut,
                    None if buf.len() < MAX_PIECE.max(piece_size) => {
                        let target = buf.len().saturating_mul(2).min(MAX_PIECE.max(piece_size));
                        match fill(reader, &mut buf, target) {
                            Ok(e) => eof = e,
                            Err(e) => {
                                self.local(Done::ReadError(describe(&src.name, &e)))?;
                                eof = true;
                            }
                        }
                        continue;
                    }
                    None => fallback_cut(&buf),
                }
            };
            let mut next = self.buffer();
            next.extend_from_slice(buf.get(cut..).unwrap_or_default());
            buf.truncate(cut);
            let bytes = std::mem::replace(&mut buf, next);
            if !bytes.is_empty() {
                let lines = memchr::memchr_iter(b'\n', &bytes).count();
                let predicted = predicted_certificates(&bytes);
                let first_index = self.dispatching.written + self.dispatching.in_flight;
                self.dispatching.in_flight += predicted;
                let piece = Piece {
                    bytes,
                    first_line: line,
                    first_index,
                    predicted,
                    out: self.buffer(),
                };
                self.dispatch(Job::Piece {
                    name: &src.name,
                    piece,
                })?;
                line += lines;
            }
            if eof && buf.is_empty() {
                break;
            }
            if !eof {
                let target = buf.len() + piece_size;
                match fill(reader, &mut buf, target) {
                    Ok(e) => eof = e,
                    Err(e) => {
                        self.local(Done::ReadError(describe(&src.name, &e)))?;
                        eof = true;
                    }
                }
            }
        }
        self.local(Done::End)
    }

    /// An empty buffer, from a written piece when there is one.
    fn buffer(&mut self) -> Vec<u8> {
        self.spare
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(self.ctx.piece + self.ctx.piece / 2))
    }

    fn recycle(&mut self, mut buf: Vec<u8>) {
        if self.spare.len() < 4 && buf.capacity() <= 2 * self.ctx.piece {
            buf.clear();
            self.spare.push(buf);
        }
    }

    fn read_failed(&mut self, src: &'s Source, is_file: bool, e: &io::Error) -> io::Result<()> {
        if is_file {
            // The worker reads it again and reports why it cannot, as without --bundle.
            return self.dispatch(Job::Whole { src, bytes: None });
        }
        let done = render(self.ctx, InputAudit::unreadable(&src.name, &e.to_string()));
        self.local(done)
    }

    /// Queues a result made on the main thread, in order.
    fn local(&mut self, done: Done) -> io::Result<()> {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.pending.insert(seq, done);
        self.drain()
    }

    fn dispatch(&mut self, job: Job<'s>) -> io::Result<()> {
        let seq = self.next_seq;
        self.next_seq += 1;
        let Some(tx) = &self.jobs else {
            let done = run_job(self.ctx, job);
            self.pending.insert(seq, done);
            return self.drain();
        };
        if tx.send((seq, job)).is_err() {
            return Err(io::Error::other("certaudit: a worker thread stopped"));
        }
        self.in_flight += 1;
        // Bound what is handed out and not yet written, not only what is being
        // worked on: a worker that stalls (another process took its core) must not
        // let the others' results pile up in `pending` while they wait for its piece.
        // Whenever something is unwritten, the oldest unwritten job is in flight
        // (results are written as soon as they are next), so this never waits on
        // nothing.
        while self.in_flight > 0 && self.next_seq - self.next_write >= self.limit {
            self.receive()?;
        }
        Ok(())
    }

    fn receive(&mut self) -> io::Result<()> {
        let (seq, done) = self
            .results
            .recv()
            .map_err(|_| io::Error::other("certaudit: the worker threads stopped"))?;
        self.in_flight -= 1;
        self.pending.insert(seq, done);
        self.drain()
    }

    /// Writes every result that is next in order.
    fn drain(&mut self) -> io::Result<()> {
        while let Some(done) = self.pending.remove(&self.next_write) {
            self.next_write += 1;
            self.write(done)?;
        }
        Ok(())
    }

    fn write(&mut self, done: Done) -> io::Result<()> {
        match done {
            Done::Whole {
                rendered,
                summary,
                notes,
            } => {
                let text = rendered?;
                match &mut self.out {
                    Output::Json(w) => w.rendered_input(&text)?,
                    Output::Text(w) => w.write_all(&text)?,
                    Output::Sarif { w, notes: spool } => {
                        w.results(&text)?;
                        spool.add_rendered(&notes)?;
                    }
                }
                self.summary.merge(&summary);
                self.advance(summary.inputs)
            }
            Done::Begin(name) => self.begin(name),
            Done::Piece(out) => self.piece(*out),
            Done::ReadError(message) => {
                if let Some(cur) = &mut self.current {
                    cur.input_findings
                        .push(Finding::new(Code::InputUnreadable, message));
                }
                Ok(())
            }
            Done::End => self.end(),
            Done::Failed => Err(io::Error::other(
                "certaudit: internal error while reading a piece of a bundle",
            )),
        }
    }

    fn begin(&mut self, name: String) -> io::Result<()> {
        match &mut self.out {
            Output::Json(w) => {
                let w = w.next_input()?;
                w.write_all(b"    {\n      \"source\": ")?;
                serde_json::to_writer(&mut *w, &name).map_err(io::Error::other)?;
                w.write_all(b",\n      \"certificates\": [")?;
            }
            Output::Text(w) => writeln!(
                w,
                "{}  (a bundle, read as a stream)",
                crate::report::escape::message(&name)
            )?,
            // Its results come with its pieces and at its end.
            Output::Sarif { .. } => {}
        }
        self.current = Some(Current {
            name,
            certs: 0,
            evidence: input::Evidence::default(),
            input_findings: Vec::new(),
            cap: findings::Cap::default(),
            spool: Spool::default(),
            seen_weak: HashSet::new(),
            summary: Summary::default(),
        });
        Ok(())
    }

    fn piece(&mut self, mut out: PieceOut) -> io::Result<()> {
        let Some(cur) = &mut self.current else {
            return Err(io::Error::other("certaudit: a piece outside its input"));
        };
        self.dispatching.in_flight = self
            .dispatching
            .in_flight
            .saturating_sub(out.piece.predicted);
        if out.piece.first_index != cur.certs {
            // Predicted wrong (a block before it did not decode): do it again.
            let mut piece = out.piece;
            piece.first_index = cur.certs;
            out = process_piece(self.ctx, &cur.name, piece);
        }
        let rendered = out.rendered?;
        match &mut self.out {
            Output::Json(w) if cur.certs == 0 => {
                // The first certificate of the input: no comma before it.
                w.raw().write_all(rendered.get(1..).unwrap_or_default())?;
            }
            Output::Json(w) => w.raw().write_all(&rendered)?,
            Output::Text(w) => w.write_all(&rendered)?,
            Output::Sarif { w, .. } => w.results(&rendered)?,
        }
        let bytes = std::mem::take(&mut out.piece.bytes);
        cur.certs += out.certs;
        self.dispatching.written = cur.certs;
        cur.evidence.merge(&out.evidence);
        let kept = cur.cap.filter(out.input_findings);
        cur.input_findings.extend(kept);
        let fresh: Vec<CertInfo> = out
            .weak
            .into_iter()
            .filter(|c| cur.seen_weak.insert(c.sha256))
            .collect();
        let mut list = out.cert_findings;
        if let Output::Sarif { w, .. } = &mut self.out {
            // Its results are written (above); those about weak signatures, decided
            // here, follow.
            let weak = chain::weak_signature_findings(&fresh);
            let about = sarif::About::new(&cur.name, &self.ctx.artifacts, None);
            let mut part = sarif::Part::default();
            for f in &weak {
                let cert = fresh.iter().find(|c| Some(c.index) == f.certificate);
                sarif::finding(&mut part, &about, f, cert)?;
            }
            w.results(&part.results)?;
            for f in list.iter().chain(&weak) {
                cur.summary.count(f);
            }
            self.recycle(std::mem::take(&mut out.piece.bytes));
            self.recycle(rendered);
            return Ok(());
        }
        if !fresh.is_empty() {
            list.extend(chain::weak_signature_findings(&fresh));
            findings::sort(&mut list);
        }
        for f in &list {
            cur.summary.count(f);
            cur.spool.add(f, self.ctx)?;
        }
        self.recycle(bytes);
        self.recycle(rendered);
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        let Some(mut cur) = self.current.take() else {
            return Err(io::Error::other(
                "certaudit: the end of an input never begun",
            ));
        };
        let format = cur.evidence.format();
        let mut head = std::mem::take(&mut cur.input_findings);
        head.extend(cur.cap.overflow(&cur.name));
        head.extend(cur.evidence.reflowed(&cur.name));
        if cur.certs == 0 {
            let errors = head.iter().any(|f| f.severity() == Severity::Error);
            head.push(check::no_certificate(&cur.name, errors));
        }
        findings::sort(&mut head);
        for f in &head {
            cur.summary.count(f);
        }
        let ctx = self.ctx;
        let w = match &mut self.out {
            Output::Json(w) => w.raw(),
            Output::Text(w) => w,
            Output::Sarif { w, notes } => {
                let about = sarif::About::new(&cur.name, &ctx.artifacts, None);
                let mut part = sarif::Part::default();
                for f in &head {
                    sarif::finding(&mut part, &about, f, None)?;
                }
                w.results(&part.results)?;
                notes.add_rendered(&part.notifications)?;
                cur.summary.input(cur.certs, []);
                self.summary.merge(&cur.summary);
                return self.advance(1);
            }
        };
        if ctx.json() {
            write!(
                w,
                "\n      ],\n      \"format\": \"{}\",\n      \"served_count\": null,\n      \"tls_version\": null,\n      \"chain\": null,\n      \"findings\": [",
                format.as_str()
            )?;
            let mut first = true;
            for f in &head {
                w.write_all(if first { b"\n        " } else { b",\n        " })?;
                first = false;
                json::write_finding(&mut *w, f)?;
            }
            let any = !first || cur.spool.count > 0;
            cur.spool.copy_to(w, first)?;
            w.write_all(if any {
                b"\n      ]\n    }"
            } else {
                b"]\n    }"
            })?;
        } else {
            let n = cur.certs;
            writeln!(
                w,
                "{}: {n} certificate{} ({})",
                crate::report::escape::message(&cur.name),
                if n == 1 { "" } else { "s" },
                format.as_str()
            )?;
            if head.is_empty() && cur.spool.count == 0 {
                writeln!(w, "No findings.")?;
            } else {
                writeln!(w, "Findings:")?;
                for f in &head {
                    text::finding(&mut *w, f, &ctx.style)?;
                }
                cur.spool.copy_to(w, false)?;
            }
            writeln!(w)?;
        }
        cur.summary.input(cur.certs, []);
        self.summary.merge(&cur.summary);
        self.advance(1)
    }

    fn advance(&mut self, inputs: usize) -> io::Result<()> {
        match &mut self.progress {
            Some(p) => p.advance(&mut *self.stderr, inputs),
            None => Ok(()),
        }
    }
}

fn describe(name: &str, e: &io::Error) -> String {
    format!("{name}: cannot be read: {e}")
}
