//! `check --bundle`: every input as a stream, in bounded memory, over every core.
//!
//! A bundle is an unordered set of certificates, so nothing about one certificate
//! depends on another and an input can be cut into pieces. Text inputs larger than
//! [`PIECE`] are read through a buffer and cut just after a line whose last PEM marker
//! is an `END` marker, so a block is never split; each piece goes through the same
//! stages as a whole input (`input::read_piece` with the piece's first line,
//! `audit::parse_blocks` with its first index, `audit::assess`) on a worker thread,
//! and its certificates are serialized there (`report::json::write_cert`, the one
//! serializer `JsonWriter::input` uses too; text: a table per piece). The main
//! thread reads, hands out pieces and writes results in input order, so the output
//! is the same whatever the number of threads. Findings about certificates arrive in
//! order and are spooled (to a temporary file past [`SPOOL_MEMORY`]), because the
//! contract puts an input's `findings` after its `certificates`; the summary comes
//! last (key order is not significant).
//!
//! Indices stay global: a piece's first index is predicted from the certificate
//! blocks of the pieces before it (`-----BEGIN CERTIFICATE-----` lines); the writer
//! checks the prediction against the certificates actually read, and a piece
//! predicted wrong (a block that failed to decode) is done again, on the main thread,
//! with the right index. Findings and messages that name an index are thus exactly
//! those of the non-streaming path.
//!
//! Read whole, as without `--bundle` (memory grows with their size): inputs up to
//! [`PIECE`], binary DER and PKCS#7, UTF-16 text and `openssl s_client` captures
//! (their header lines tie a block to the text above it). Small inputs (a folder of
//! thousands of files) are audited whole, in parallel, and written in order.

use crate::audit::{self, InputAudit, Settings};
use crate::cert::{self, CertInfo};
use crate::chain;
use crate::cli::{self, CheckArgs};
use crate::exit::Exit;
use crate::findings::{self, Code, Finding, Severity};
use crate::input::{self, Format, detect};
use crate::report::json::{self, JsonWriter};
use crate::report::{Summary, text};
use crate::run::Io;
use crate::source::{self, Origin, Source};
use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, Sender};

/// Text inputs larger than this are streamed, in pieces of about this size.
pub const PIECE: usize = 128 * 1024;
/// A piece without any END line grows up to this before it is cut elsewhere.
pub const MAX_PIECE: usize = 4 * 1024 * 1024;
/// Findings of a streamed input kept in memory before they go to a temporary file.
pub const SPOOL_MEMORY: usize = 256 * 1024;
/// Small files handed to a worker as one job (fewer hand-overs and wake-ups).
pub const BATCH: usize = 32;

/// `check --bundle` with `--format json` or `text`: the hook `run::check` calls.
pub fn check_bundle(
    args: &CheckArgs,
    settings: &Settings<'_>,
    sources: &[Source],
    style: &text::Style,
    extras: &text::Extras,
    io: &mut Io<'_>,
) -> io::Result<Exit> {
    let ctx = Ctx {
        settings,
        json: args.format == cli::Format::Json,
        style: *style,
        extras,
        strict: args.eval.strict,
        piece: PIECE,
    };
    run_bundle(&ctx, sources, workers(sources), io)
}

/// The report of `sources` with `workers` threads (0: all on this one).
fn run_bundle(
    ctx: &Ctx<'_>,
    sources: &[Source],
    workers: usize,
    io: &mut Io<'_>,
) -> io::Result<Exit> {
    let stdin: &mut dyn Read = &mut *io.stdin;
    let out = if ctx.json {
        Output::Json(JsonWriter::begin(&mut *io.stdout, ctx.settings.at)?)
    } else {
        Output::Text(&mut *io.stdout)
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
            exit: Exit::Clean,
        };
        let exit = engine.run(sources, stdin);
        // Closing the job channel (also on an error) stops the workers.
        engine.jobs = None;
        let exit = exit?;
        match engine.out {
            Output::Json(w) => {
                w.end(&engine.summary)?;
            }
            Output::Text(mut w) => text::summary(&mut w, &engine.summary, &ctx.style)?,
        }
        Ok(exit)
    })
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
    json: bool,
    style: text::Style,
    extras: &'a text::Extras,
    strict: bool,
    /// Inputs larger than this are streamed in pieces of about this size.
    piece: usize,
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
        rendered: io::Result<Vec<u8>>,
        summary: Summary,
        exit: Exit,
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
        Some(b) => audit::audit(&src.name, &b, ctx.settings),
        None => match source::read(src, &mut io::empty()) {
            Ok(b) => audit::audit(&src.name, &b, ctx.settings),
            Err(why) => InputAudit::unreadable(&src.name, &why),
        },
    };
    render(ctx, &a)
}

/// A whole input's report, summary and exit.
fn render(ctx: &Ctx<'_>, a: &InputAudit) -> Done {
    let rendered = if ctx.json {
        json::input_text(a)
    } else {
        let mut v = Vec::new();
        text::input(&mut v, a, &ctx.style, ctx.extras).map(|()| v)
    };
    let mut summary = Summary::default();
    summary.add(a);
    let exit = a
        .findings
        .iter()
        .fold(Exit::Clean, |e, f| e.merge(exit_of(f, ctx.strict)));
    Done::Whole {
        rendered,
        summary,
        exit,
    }
}

/// Several whole inputs, as one result: their reports one after the other (JSON:
/// separated as `JsonWriter` separates inputs), their summaries and exits merged.
fn files(ctx: &Ctx<'_>, sources: &[&Source]) -> Done {
    let mut all = Vec::new();
    let mut total = Summary::default();
    let mut worst = Exit::Clean;
    let mut bytes = Vec::with_capacity(16 * 1024);
    for (n, src) in sources.iter().enumerate() {
        let a = match source::read_into(src, &mut bytes) {
            Ok(()) => audit::audit(&src.name, &bytes, ctx.settings),
            Err(why) => InputAudit::unreadable(&src.name, &why),
        };
        let Done::Whole {
            rendered,
            summary,
            exit,
        } = render(ctx, &a)
        else {
            return Done::Failed;
        };
        let text = match rendered {
            Ok(t) => t,
            Err(e) => {
                return Done::Whole {
                    rendered: Err(e),
                    summary: total,
                    exit: worst,
                };
            }
        };
        if ctx.json && n > 0 {
            all.extend_from_slice(b",\n");
        }
        all.extend_from_slice(&text);
        add(&mut total, &summary);
        worst = worst.merge(exit);
    }
    Done::Whole {
        rendered: Ok(all),
        summary: total,
        exit: worst,
    }
}

fn exit_of(f: &Finding, strict: bool) -> Exit {
    if f.code == Code::InputUnreadable {
        Exit::Usage
    } else {
        Exit::for_severity(f.severity(), strict)
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
    // One certificate at a time, from its block to its JSON: what it allocated is
    // freed before the next one allocates the same again (warm caches, no heap
    // growth), rather than a piece's worth of certificates alive at once.
    for block in decoded.blocks {
        let index = piece.first_index + certs;
        let Some(info) = audit::parse_block(name, block, index, cert::Keep::Facts, &mut found)
        else {
            continue;
        };
        certs += 1;
        if info.weak_signature && !info.self_signed {
            weak.push(info.clone());
        }
        let (a, f) = audit::assess(info, ctx.settings);
        found.extend(f);
        if ctx.json {
            out.extend_from_slice(b",\n        ");
            if let Err(e) = json::write_cert(&mut out, &a) {
                rendered = Err(e);
            }
        } else {
            audits.push(a);
        }
    }
    if !audits.is_empty() {
        let part = InputAudit {
            source: name.to_string(),
            format: None,
            certs: audits,
            chain: None,
            findings: Vec::new(),
        };
        rendered = writeln!(out, "{}", text::table(&part, &ctx.style));
    }
    let (mut cert_findings, input_findings): (Vec<Finding>, Vec<Finding>) =
        found.into_iter().partition(|f| f.certificate.is_some());
    findings::sort(&mut cert_findings);
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
}

impl<W: Write> Output<W> {
    fn raw(&mut self) -> &mut W {
        match self {
            Output::Json(w) => w.raw(),
            Output::Text(w) => w,
        }
    }
}

/// The streamed input the writer is in.
struct Current {
    name: String,
    certs: usize,
    evidence: input::Evidence,
    input_findings: Vec<Finding>,
    spool: Spool,
    seen_weak: HashSet<[u8; 32]>,
    errors: usize,
    warnings: usize,
    exit: Exit,
}

/// The streamed input being handed out, for predicting first indices.
#[derive(Default)]
struct Dispatching {
    /// Certificates the writer has written for it.
    written: usize,
    /// Predicted certificates of its pieces handed out and not yet written.
    in_flight: usize,
}

struct Engine<'c, 's, W: Write> {
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
    exit: Exit,
}

impl<'s, W: Write> Engine<'_, 's, W> {
    fn run(&mut self, sources: &'s [Source], stdin: &mut dyn Read) -> io::Result<Exit> {
        // Small files (and unreadable ones) wait here to go out as one job.
        let mut batch: Vec<&'s Source> = Vec::new();
        for src in sources {
            let large = match &src.origin {
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
        self.drain()?;
        Ok(self.exit)
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
        let a = InputAudit::unreadable(&src.name, &e.to_string());
        let done = Done::Whole {
            rendered: if self.ctx.json {
                json::input_text(&a)
            } else {
                let mut v = Vec::new();
                text::input(&mut v, &a, &self.ctx.style, self.ctx.extras).map(|()| v)
            },
            summary: {
                let mut s = Summary::default();
                s.add(&a);
                s
            },
            exit: Exit::Usage,
        };
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
                exit,
            } => {
                let text = rendered?;
                match &mut self.out {
                    Output::Json(w) => w.rendered_input(&text)?,
                    Output::Text(w) => w.write_all(&text)?,
                }
                add(&mut self.summary, &summary);
                self.exit = self.exit.merge(exit);
                Ok(())
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
        }
        self.current = Some(Current {
            name,
            certs: 0,
            evidence: input::Evidence::default(),
            input_findings: Vec::new(),
            spool: Spool::default(),
            seen_weak: HashSet::new(),
            errors: 0,
            warnings: 0,
            exit: Exit::Clean,
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
        let w = self.out.raw();
        if self.ctx.json && cur.certs == 0 {
            // The first certificate of the input: no comma before it.
            w.write_all(rendered.get(1..).unwrap_or_default())?;
        } else {
            w.write_all(&rendered)?;
        }
        let bytes = std::mem::take(&mut out.piece.bytes);
        cur.certs += out.certs;
        self.dispatching.written = cur.certs;
        cur.evidence.merge(&out.evidence);
        cur.input_findings.extend(out.input_findings);
        let fresh: Vec<CertInfo> = out
            .weak
            .into_iter()
            .filter(|c| cur.seen_weak.insert(c.sha256))
            .collect();
        let mut list = out.cert_findings;
        if !fresh.is_empty() {
            list.extend(chain::weak_signature_findings(&fresh));
            findings::sort(&mut list);
        }
        for f in &list {
            cur.count(f, self.ctx.strict);
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
        head.extend(cur.evidence.reflowed(&cur.name));
        if cur.certs == 0 {
            let errors = head.iter().any(|f| f.severity() == Severity::Error);
            head.push(audit::no_certificate(&cur.name, errors));
        }
        findings::sort(&mut head);
        for f in &head {
            cur.count(f, self.ctx.strict);
        }
        let ctx = self.ctx;
        let w = self.out.raw();
        if ctx.json {
            write!(
                w,
                "\n      ],\n      \"format\": \"{}\",\n      \"chain\": null,\n      \"findings\": [",
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
        self.summary.inputs += 1;
        self.summary.certificates += cur.certs;
        self.summary.errors += cur.errors;
        self.summary.warnings += cur.warnings;
        self.exit = self.exit.merge(cur.exit);
        Ok(())
    }
}

impl Current {
    fn count(&mut self, f: &Finding, strict: bool) {
        match f.severity() {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => {}
        }
        self.exit = self.exit.merge(exit_of(f, strict));
    }
}

fn add(total: &mut Summary, one: &Summary) {
    total.inputs += one.inputs;
    total.certificates += one.certificates;
    total.errors += one.errors;
    total.warnings += one.warnings;
}

fn describe(name: &str, e: &io::Error) -> String {
    format!("{name}: cannot be read: {e}")
}

/// Rendered findings of a streamed input, in order: in memory up to
/// [`SPOOL_MEMORY`], then in an unlinked temporary file.
#[derive(Default)]
struct Spool {
    buf: Vec<u8>,
    file: Option<File>,
    count: usize,
}

impl Spool {
    /// JSON: `,\n        {finding}`; text: the finding's line.
    fn add(&mut self, f: &Finding, ctx: &Ctx<'_>) -> io::Result<()> {
        if ctx.json {
            self.buf.extend_from_slice(b",\n        ");
            json::write_finding(&mut self.buf, f)?;
        } else {
            text::finding(&mut self.buf, f, &ctx.style)?;
        }
        self.count += 1;
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
    fn copy_to(&mut self, w: &mut dyn Write, skip_comma: bool) -> io::Result<()> {
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

/// Reads until `buf` holds `target` bytes or the input ends (`true`).
fn fill(reader: &mut dyn Read, buf: &mut Vec<u8>, target: usize) -> io::Result<bool> {
    while buf.len() < target {
        let want = (target - buf.len()) as u64;
        match reader.take(want).read_to_end(buf) {
            Ok(0) => return Ok(true),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(false)
}

/// Whether an input that begins with `head` may be cut into pieces: PEM text, not
/// binary, not UTF-16, not an `openssl s_client` capture.
fn streamable(head: &[u8]) -> bool {
    detect::binary_format(head).is_none()
        && !detect::decode_text(head).1
        && detect::detect(head) != Format::SClient
}

/// Where a piece of `buf` may end (the input goes on after it): just after the last
/// complete line whose last PEM marker is an END marker, so no block is split.
pub fn cut_point(buf: &[u8]) -> Option<usize> {
    let finder = memchr::memmem::FinderRev::new(b"-----END ");
    let mut hay = buf;
    while let Some(at) = finder.rfind(hay) {
        let after = buf.get(at..).unwrap_or_default();
        if let Some(nl) = memchr::memchr(b'\n', after) {
            let end = at + nl + 1;
            let start =
                memchr::memrchr(b'\n', hay.get(..at).unwrap_or_default()).map_or(0, |p| p + 1);
            if last_marker_is_end(buf.get(start..end).unwrap_or_default()) {
                return Some(end);
            }
        }
        hay = buf.get(..at).unwrap_or_default();
    }
    None
}

fn last_marker_is_end(line: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(line) else {
        return false;
    };
    let mut last = None;
    let mut from = 0;
    while let Some(m) = input::pem::next_marker(text, from) {
        from = m.end;
        last = Some(m.begin);
    }
    last == Some(false)
}

/// Where to cut a piece that grew to [`MAX_PIECE`] without an END line: before the
/// last line with a BEGIN marker (a block open there is cut off by it anyway), else
/// after the last line, else anywhere.
fn fallback_cut(buf: &[u8]) -> usize {
    if let Some(at) = memchr::memmem::rfind(buf, b"-----BEGIN ") {
        let start = memchr::memrchr(b'\n', buf.get(..at).unwrap_or_default()).map_or(0, |p| p + 1);
        if start > 0 {
            return start;
        }
    }
    match memchr::memrchr(b'\n', buf) {
        Some(p) if p + 1 < buf.len() => p + 1,
        _ => buf.len(),
    }
}

/// Certificate blocks in a piece: its BEGIN lines with a certificate label.
fn predicted_certificates(piece: &[u8]) -> usize {
    memchr::memmem::find_iter(piece, b"-----BEGIN ")
        .filter(|&at| {
            let label = piece.get(at + 11..).unwrap_or_default();
            label.starts_with(b"CERTIFICATE-----")
                || label.starts_with(b"X509 CERTIFICATE-----")
                || label.starts_with(b"TRUSTED CERTIFICATE-----")
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::ChainOptions;
    use serde_json::Value;
    use std::path::{Path, PathBuf};

    fn settings() -> Settings<'static> {
        Settings {
            at: crate::cli::parse_time("2026-01-01T00:00:00Z").unwrap(),
            warn_days: 30,
            bundle: true,
            chain: ChainOptions::default(),
        }
    }

    /// The streaming report of `files` with pieces of about `piece` bytes.
    fn streamed(files: &[PathBuf], piece: usize, workers: usize, json: bool) -> (Vec<u8>, Exit) {
        let settings = settings();
        let extras = text::Extras::default();
        let ctx = Ctx {
            settings: &settings,
            json,
            style: text::Style {
                color: false,
                width: 100,
            },
            extras: &extras,
            strict: false,
            piece,
        };
        let sources = source::expand(files);
        let (mut stdin, mut out, mut err) = (io::empty(), Vec::new(), Vec::new());
        let mut io = Io {
            stdin: &mut stdin,
            stdout: &mut out,
            stderr: &mut err,
            stdin_is_terminal: false,
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            no_color: true,
            columns: None,
            now: settings.at,
        };
        let exit = run_bundle(&ctx, &sources, workers, &mut io).unwrap();
        (out, exit)
    }

    fn streamed_json(files: &[PathBuf], piece: usize, workers: usize) -> Value {
        let (out, _) = streamed(files, piece, workers, true);
        serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
    }

    /// The non-streaming report of one file: `audit::audit`, as without `--bundle`
    /// streaming.
    fn whole(path: &Path) -> Value {
        let bytes = std::fs::read(path).unwrap();
        json::input_value(&audit::audit(
            &path.display().to_string(),
            &bytes,
            &settings(),
        ))
    }

    /// Asserts the streamed input equals the whole one, field by field.
    fn assert_same(streamed: &Value, whole: &Value) {
        let name = &whole["source"];
        assert_eq!(streamed["source"], *name);
        assert_eq!(streamed["format"], whole["format"], "{name}");
        assert_eq!(streamed["chain"], Value::Null);
        let (a, b) = (
            streamed["certificates"].as_array().unwrap(),
            whole["certificates"].as_array().unwrap(),
        );
        assert_eq!(a.len(), b.len(), "{name}");
        for (x, y) in a.iter().zip(b) {
            assert_eq!(x, y, "{name}");
        }
        assert_eq!(streamed["findings"], whole["findings"], "{name}");
    }

    fn temp_dir(tag: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("certaudit-stream-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn fixture_files(dirs: &[&str]) -> Vec<PathBuf> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut files: Vec<PathBuf> = dirs
            .iter()
            .flat_map(|d| source::expand(&[root.join(d)]))
            .filter_map(|s| match s.origin {
                Origin::File(p) => Some(p),
                _ => None,
            })
            .collect();
        files.sort();
        files
    }

    /// Every PEM text of `fixtures/chains` and `fixtures/real`, twice, junk between.
    fn big_text() -> Vec<u8> {
        let mut text = b"A bundle made for the tests.\n\n".to_vec();
        for _ in 0..2 {
            for f in fixture_files(&["chains", "real"]) {
                let bytes = std::fs::read(&f).unwrap();
                if detect::binary_format(&bytes).is_none() {
                    text.extend_from_slice(&bytes);
                    text.extend_from_slice(b"\n# between files\n");
                }
            }
        }
        text
    }

    #[test]
    fn cuts_never_split_a_block() {
        let text = big_text();
        let begins: Vec<usize> = memchr::memmem::find_iter(&text, b"-----BEGIN ").collect();
        let ends: Vec<usize> = memchr::memmem::find_iter(&text, b"-----END ").collect();
        let mut cuts = 0;
        for end in (0..text.len()).step_by(11) {
            let prefix = &text[..end];
            let Some(cut) = cut_point(prefix) else {
                continue;
            };
            cuts += 1;
            let head = &text[..cut];
            assert_eq!(head.last(), Some(&b'\n'));
            assert_eq!(
                begins.partition_point(|&p| p < cut),
                ends.partition_point(|&p| p < cut),
                "cut at {cut} inside a block"
            );
            // The last line before the cut is an END line, and no END line that
            // is complete in the prefix comes after it.
            let last_line_start = memchr::memrchr(b'\n', &head[..cut - 1]).map_or(0, |p| p + 1);
            assert!(last_marker_is_end(&head[last_line_start..]));
            let tail = &prefix[cut..];
            let complete = &tail[..memchr::memrchr(b'\n', tail).map_or(0, |p| p + 1)];
            assert!(memchr::memmem::find(complete, b"-----END ").is_none());
        }
        assert!(cuts > 1000);
        assert_eq!(cut_point(b"-----BEGIN CERTIFICATE-----\nAAAA\n"), None);
        assert_eq!(
            cut_point(b"x\n-----END CERTIFICATE-----"),
            None,
            "END line not complete"
        );
        let glued = b"-----END CERTIFICATE----------BEGIN CERTIFICATE-----\nAAAA\n";
        assert_eq!(cut_point(glued), None, "a BEGIN after the END on its line");
    }

    #[test]
    fn fallback_cuts_before_a_begin_line() {
        assert_eq!(fallback_cut(b"aaa\nbbb\n-----BEGIN X-----\nccc"), 8);
        assert_eq!(fallback_cut(b"aaa\nbbb\nccc"), 8);
        assert_eq!(fallback_cut(b"aaaa"), 4);
    }

    #[test]
    fn lines_and_indices_after_the_first_piece_are_right() {
        let dir = temp_dir("lines");
        let path = dir.join("bundle.pem");
        let text = big_text();
        std::fs::write(&path, &text).unwrap();
        let whole = whole(&path);
        for (piece, workers) in [(700, 0), (700, 2), (4096, 2), (1 << 20, 1)] {
            let v = streamed_json(std::slice::from_ref(&path), piece, workers);
            assert_same(&v["inputs"][0], &whole);
        }
        // The lines are those of the BEGIN lines in the file.
        let begins: Vec<usize> = text
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, l)| l.starts_with(b"-----BEGIN CERTIFICATE-----"))
            .map(|(n, _)| n + 1)
            .collect();
        let v = streamed_json(std::slice::from_ref(&path), 700, 2);
        let lines: Vec<usize> = v["inputs"][0]["certificates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["line"].as_u64().unwrap() as usize)
            .collect();
        assert!(lines.len() > 100);
        assert!(lines.iter().all(|l| begins.contains(l)), "{lines:?}");
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn same_json_as_the_whole_input_on_every_fixture() {
        let files = fixture_files(&["real", "chains"]);
        assert!(files.len() > 40);
        for (piece, workers) in [(512, 0), (512, 2), (PIECE, 2)] {
            let v = streamed_json(&files, piece, workers);
            let inputs = v["inputs"].as_array().unwrap();
            assert_eq!(inputs.len(), files.len());
            for (input, file) in inputs.iter().zip(&files) {
                assert_same(input, &whole(file));
            }
            let certs: usize = inputs
                .iter()
                .map(|i| i["certificates"].as_array().unwrap().len())
                .sum();
            assert_eq!(v["summary"]["certificates"], certs);
            assert_eq!(v["summary"]["inputs"], files.len());
        }
    }

    #[test]
    fn blocks_that_fail_and_repairs_across_pieces() {
        let dir = temp_dir("bad");
        let good = big_text();
        let third = good.len() / 3;
        let cut = third + memchr::memmem::find(&good[third..], b"-----BEGIN CERTIFICATE").unwrap();
        let mut text = good[..cut].to_vec();
        // A redacted block, a truncated certificate and a private key: they use no
        // index, so every later piece was predicted wrong and is done again.
        text.extend_from_slice(
            b"-----BEGIN CERTIFICATE-----\nCERTIFICATE Redacted\n-----END CERTIFICATE-----\n",
        );
        text.extend_from_slice(b"-----BEGIN CERTIFICATE-----\nMIIBbjCCAROgAwIBAgIUaOaWAhWi27EeKUJm\n-----END CERTIFICATE-----\n");
        text.extend_from_slice(crate::input::tests::KEY_PEM.as_bytes());
        text.extend_from_slice(&good[cut..]);
        let crlf: Vec<u8> = text
            .split(|&b| b == b'\n')
            .collect::<Vec<_>>()
            .join(&b"\r\n"[..]);
        for (name, bytes) in [("bad.pem", &text), ("crlf.pem", &crlf)] {
            let path = dir.join(name);
            std::fs::write(&path, bytes).unwrap();
            let whole = whole(&path);
            let codes: Vec<&str> = whole["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f["code"].as_str().unwrap())
                .collect();
            assert!(codes.contains(&"input.bad_base64") && codes.contains(&"input.private_key"));
            for (piece, workers) in [(600, 0), (600, 2), (5000, 2)] {
                let v = streamed_json(std::slice::from_ref(&path), piece, workers);
                assert_same(&v["inputs"][0], &whole);
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn many_findings_go_through_the_spool_file() {
        let dir = temp_dir("spool");
        let path = dir.join("expired.pem");
        let one = std::fs::read(
            fixture_files(&["chains"])
                .into_iter()
                .find(|p| p.ends_with("rsa-expired-leaf.pem"))
                .unwrap(),
        )
        .unwrap();
        let mut text = Vec::new();
        while text.len() < 3 * SPOOL_MEMORY {
            text.extend_from_slice(&one);
        }
        std::fs::write(&path, &text).unwrap();
        let v = streamed_json(std::slice::from_ref(&path), 8192, 2);
        assert_same(&v["inputs"][0], &whole(&path));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn text_output_streams_a_table_per_piece_and_the_summary() {
        let dir = temp_dir("text");
        let path = dir.join("bundle.pem");
        std::fs::write(&path, big_text()).unwrap();
        let (out, exit) = streamed(std::slice::from_ref(&path), 4096, 2, true);
        let v: Value = serde_json::from_slice(&out).unwrap();
        let (text, text_exit) = streamed(std::slice::from_ref(&path), 4096, 2, false);
        let text = String::from_utf8(text).unwrap();
        assert_eq!(exit, text_exit);
        let n = v["summary"]["certificates"].as_u64().unwrap();
        assert!(
            text.contains(&format!(": {n} certificates (pem)")),
            "{text}"
        );
        assert!(text.trim_end().ends_with(&format!(
            "1 input, {n} certificates: {} errors, {} warnings",
            v["summary"]["errors"], v["summary"]["warnings"]
        )));
        assert!(text.matches("SHA-1").count() > 2, "a table per piece");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
