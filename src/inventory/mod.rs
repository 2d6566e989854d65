//! `inventory`: every certificate of every input once, with every place it was
//! found. No chain analysis: the stages are source → input → certificate facts →
//! validity, as for `check --bundle`, and the certificates of all inputs are
//! gathered into one set keyed by SHA-256.
//!
//! Memory grows with the number of *distinct* certificates, as one compact
//! [`Record`] each (fixed fields, the strings in one shared arena, issuer, key and
//! algorithm names interned), plus 16 bytes per further place a certificate was
//! found (a duplicate costs a place, never a second record). Inputs are read as a
//! stream: a large PEM bundle in pieces (`pieces.rs`, the cutting rules of
//! `check --bundle`), each certificate dropped as soon as its facts are recorded;
//! nothing of an input's bytes outlives its piece. With [`Options::keep_places`]
//! off (OpenMetrics needs only the first place), further places are only counted.
//!
//! This module knows nothing of output formats: renderers read [`Inventory::view`].

use crate::check as audit;
use crate::findings::{Code, Finding};
use crate::input;
use crate::x509::validity::{self, Status};
use crate::x509::{self as cert, CertInfo};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// `input.*` findings kept, at most; the others are counted (`findings_omitted`).
pub const MAX_FINDINGS: usize = 100_000;

/// What the inventory is taken with.
#[derive(Debug, Clone)]
pub struct Options {
    pub at: DateTime<Utc>,
    pub warn_days: i64,
    /// `--expiring-within DAYS`: list only certificates with `days_left` < DAYS.
    pub expiring_within: Option<i64>,
    /// Keep every place a certificate was found (else only the first, and a count).
    pub keep_places: bool,
    /// Inputs larger than this are read in pieces of about this size.
    pub piece: usize,
    /// What containers need (the password of pkcs12 and jks inputs).
    pub input: input::Options,
}

impl Options {
    pub fn new(at: DateTime<Utc>, warn_days: i64) -> Options {
        Options {
            at,
            warn_days,
            expiring_within: None,
            keep_places: true,
            // `drive::PIECE`, the piece size of `check --bundle` (drive is a
            // higher stage; `cli::inventory` may set another).
            piece: 128 * 1024,
            input: input::Options::default(),
        }
    }
}

/// No line / no origin.
pub(crate) const NONE: u32 = u32::MAX;

/// One place a certificate was found.
#[derive(Debug, Clone, Copy)]
struct Occ {
    source: u32,
    /// 1-based line, 0 for none (a line past `u32::MAX - 1` is kept as that).
    line: u32,
    /// Interned origin, [`NONE`] for none.
    origin: u32,
}

/// One distinct certificate: 128 bytes, its strings in [`Inventory::arena`].
#[derive(Debug, Clone)]
struct Record {
    sha256: [u8; 32],
    sha1: [u8; 20],
    not_before: i64,
    not_after: i64,
    /// Where its strings start in the arena: subject, CN, serial, DNS names and IP
    /// addresses (each list `\n`-joined), one after the other.
    start: usize,
    lens: [u32; 5],
    issuer: u32,
    public_key: u16,
    signature_algorithm: u16,
    flags: u8,
    first: Occ,
    /// The last further place, an index into `extra` ([`NONE`]: none).
    more: u32,
    /// Places, the first included.
    places: u32,
}

const SELF_SIGNED: u8 = 1;
const CA: u8 = 2;
const WEAK: u8 = 4;

/// Strings seen again and again (issuers, key types, origins), stored once.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn id(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).unwrap_or(NONE - 1);
        if id < NONE - 1 {
            self.names.push(s.into());
            self.ids.insert(s.into(), id);
        }
        id
    }

    fn get(&self, id: u32) -> &str {
        self.names.get(id as usize).map_or("", |s| s)
    }
}

/// One place, as renderers see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub source: &'a str,
    pub line: Option<usize>,
    pub origin: Option<&'a str>,
}

/// One distinct certificate, as renderers see it.
#[derive(Debug, Clone)]
pub struct CertView<'a> {
    pub sha256: &'a [u8; 32],
    pub sha1: &'a [u8; 20],
    pub subject: &'a str,
    /// The subject's CN (empty when it has none).
    pub cn: &'a str,
    pub issuer: &'a str,
    pub serial: &'a str,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub days_left: i64,
    pub status: Status,
    pub self_signed: bool,
    pub ca: bool,
    /// Signed with SHA-1 or MD5 (or MD2/MD4).
    pub weak_signature: bool,
    pub public_key: &'a str,
    pub signature_algorithm: &'a str,
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<String>,
    /// Every place, in the order found (only the first without `keep_places`).
    pub found: Vec<Place<'a>>,
    /// How many places in all.
    pub places: usize,
}

impl CertView<'_> {
    /// A short label: the CN, else the whole subject.
    pub fn name(&self) -> &str {
        if self.cn.is_empty() {
            self.subject
        } else {
            self.cn
        }
    }
}

/// The `summary` object (contract fields, then extensions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub files_without_certificates: usize,
    pub certificates: usize,
    pub occurrences: usize,
    pub expired: usize,
    pub not_yet_valid: usize,
    pub expiring_soon: usize,
    /// Extension: inputs that could not be read (or not to their end).
    pub read_errors: usize,
    /// Extension: listed certificates signed with SHA-1 or MD5, self-signed ones
    /// (roots, whose own signature nobody checks) left out.
    pub weak_signatures: usize,
    /// Extension: `input.*` findings beyond [`MAX_FINDINGS`], counted only.
    pub findings_omitted: usize,
}

/// Every distinct certificate of the inputs read so far.
#[derive(Debug)]
pub struct Inventory {
    pub options: Options,
    records: Vec<Record>,
    /// The first 8 bytes of a SHA-256 → its record; a different certificate with
    /// the same 8 bytes (possible on purpose, never by chance) goes to `collided`.
    by_prefix: HashMap<u64, u32>,
    collided: HashMap<[u8; 32], u32>,
    arena: String,
    /// Further places: the place and the one before it ([`NONE`]: none).
    extra: Vec<(Occ, u32)>,
    sources: Vec<Box<str>>,
    names: Interner,
    origins: Interner,
    /// `input.*` findings, with the source they are about.
    findings: Vec<(u32, Finding)>,
    pub(crate) inputs: usize,
    pub(crate) without_certificates: usize,
    pub(crate) read_errors: usize,
    findings_omitted: usize,
    /// Places of certificates beyond `u32::MAX` places in all (not kept).
    places_dropped: usize,
}

/// What one input gave, while it is read.
pub(crate) struct Current {
    pub(crate) source: u32,
    pub(crate) certs: usize,
    pub(crate) failed: bool,
}

impl Inventory {
    pub fn new(options: Options) -> Inventory {
        Inventory {
            options,
            records: Vec::new(),
            by_prefix: HashMap::new(),
            collided: HashMap::new(),
            arena: String::new(),
            extra: Vec::new(),
            sources: Vec::new(),
            names: Interner::default(),
            origins: Interner::default(),
            findings: Vec::new(),
            inputs: 0,
            without_certificates: 0,
            read_errors: 0,
            findings_omitted: 0,
            places_dropped: 0,
        }
    }

    pub(crate) fn unreadable(&mut self, name: &str, why: &str) {
        self.read_errors += 1;
        let mut cur = Current {
            source: NONE,
            certs: 0,
            failed: true,
        };
        let f = Finding::new(
            Code::InputUnreadable,
            format!("{name}: cannot be read: {why}"),
        );
        self.finding(name, &mut cur, f);
    }

    pub(crate) fn source_id(&mut self, name: &str, cur: &mut Current) -> u32 {
        if cur.source == NONE {
            cur.source = u32::try_from(self.sources.len()).unwrap_or(NONE - 1);
            self.sources.push(name.into());
        }
        cur.source
    }

    pub(crate) fn finding(&mut self, name: &str, cur: &mut Current, f: Finding) {
        if self.findings.len() >= MAX_FINDINGS {
            self.findings_omitted += 1;
            return;
        }
        let id = self.source_id(name, cur);
        self.findings.push((id, f));
    }

    /// Stage 2 and the record of each certificate of a decoded input or (`piece`)
    /// one piece of it.
    pub(crate) fn decoded(
        &mut self,
        name: &str,
        cur: &mut Current,
        decoded: input::Decoded,
        piece: bool,
    ) {
        let mut found = decoded.findings;
        let mut checks = if piece {
            audit::SelfChecks::piece()
        } else {
            audit::SelfChecks::input()
        };
        for block in decoded.blocks {
            let line = block.line;
            let origin = block.origin.clone();
            if let Some(info) = audit::parse_block(
                name,
                block,
                cur.certs,
                cert::Keep::Facts,
                &mut checks,
                &mut found,
            ) {
                cur.certs += 1;
                let id = self.source_id(name, cur);
                self.add(&info, id, line, origin.as_deref());
            }
        }
        found.extend(checks.finding(name));
        for f in found {
            self.finding(name, cur, f);
        }
    }

    /// Records one occurrence of a certificate.
    fn add(&mut self, info: &CertInfo, source: u32, line: Option<usize>, origin: Option<&str>) {
        let occ = Occ {
            source,
            line: line.map_or(0, |l| u32::try_from(l).unwrap_or(NONE - 1)),
            origin: origin.map_or(NONE, |o| self.origins.id(o)),
        };
        if let Some(id) = self.find(&info.sha256) {
            let keep = self.options.keep_places;
            let next = u32::try_from(self.extra.len()).ok().filter(|&n| n < NONE);
            let Some(r) = self.records.get_mut(id as usize) else {
                return;
            };
            match (r.places.checked_add(1), next) {
                (Some(places), Some(next)) => {
                    r.places = places;
                    if keep {
                        self.extra.push((occ, r.more));
                        r.more = next;
                    }
                }
                _ => self.places_dropped += 1,
            }
            return;
        }
        let Ok(id) = u32::try_from(self.records.len()) else {
            self.places_dropped += 1;
            return;
        };
        let start = self.arena.len();
        let mut lens = [0u32; 5];
        let cn = info
            .subject
            .attrs
            .iter()
            .rev()
            .find(|(k, _)| k == "CN")
            .map_or("", |(_, v)| v.as_str());
        let ips: Vec<String> = info.ip_addresses.iter().map(|ip| ip.to_string()).collect();
        let parts: [&str; 3] = [&info.subject.display, cn, &info.serial];
        for (len, part) in lens.iter_mut().zip(parts) {
            self.arena.push_str(part);
            *len = u32::try_from(part.len()).unwrap_or(0);
        }
        for (slot, list) in [(3, &info.dns_names), (4, &ips)] {
            let before = self.arena.len();
            for (n, s) in list.iter().enumerate() {
                if n > 0 {
                    self.arena.push('\n');
                }
                self.arena.push_str(s);
            }
            if let Some(len) = lens.get_mut(slot) {
                *len = u32::try_from(self.arena.len() - before).unwrap_or(0);
            }
        }
        let flags = (u8::from(info.self_signed) * SELF_SIGNED)
            | (u8::from(info.ca) * CA)
            | (u8::from(info.weak_signature) * WEAK);
        let record = Record {
            sha256: info.sha256,
            sha1: info.sha1,
            not_before: info.not_before.timestamp(),
            not_after: info.not_after.timestamp(),
            start,
            lens,
            issuer: self.names.id(&info.issuer.display),
            public_key: u16::try_from(self.names.id(&info.public_key)).unwrap_or(u16::MAX),
            signature_algorithm: u16::try_from(self.names.id(&info.signature_algorithm))
                .unwrap_or(u16::MAX),
            flags,
            first: occ,
            more: NONE,
            places: 1,
        };
        // Key and algorithm names beyond u16 (hostile input) are named by their
        // text in the issuer table instead: see `name_of`.
        self.records.push(record);
        let prefix = prefix(&info.sha256);
        match self.by_prefix.entry(prefix) {
            Entry::Vacant(v) => {
                v.insert(id);
            }
            Entry::Occupied(_) => {
                self.collided.insert(info.sha256, id);
            }
        }
    }

    fn find(&self, sha256: &[u8; 32]) -> Option<u32> {
        let id = *self.by_prefix.get(&prefix(sha256))?;
        match self.records.get(id as usize) {
            Some(r) if r.sha256 == *sha256 => Some(id),
            _ => self.collided.get(sha256).copied(),
        }
    }

    fn name_of(&self, id: u16) -> &str {
        if id == u16::MAX {
            "?"
        } else {
            self.names.get(u32::from(id))
        }
    }

    /// Distinct certificates, listed or not.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    fn days_left(&self, r: &Record) -> i64 {
        validity::days_left(time(r.not_after), self.options.at)
    }

    fn status(&self, r: &Record) -> Status {
        let at = self.options.at;
        if at < time(r.not_before) {
            Status::NotYetValid
        } else if at > time(r.not_after) {
            Status::Expired
        } else if self.days_left(r) < self.options.warn_days {
            Status::ExpiringSoon
        } else {
            Status::Valid
        }
    }

    fn listed(&self, r: &Record) -> bool {
        self.options
            .expiring_within
            .is_none_or(|days| self.days_left(r) < days)
    }

    /// The listed certificates in the order they were first found.
    pub fn first_seen(&self) -> Vec<u32> {
        (0..self.records.len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter(|&i| self.records.get(i as usize).is_some_and(|r| self.listed(r)))
            .collect()
    }

    /// The listed certificates, `not_after` first, then SHA-256.
    pub fn sorted(&self) -> Vec<u32> {
        let mut ids = self.first_seen();
        ids.sort_unstable_by_key(|&i| {
            self.records
                .get(i as usize)
                .map(|r| (r.not_after, r.sha256))
        });
        ids
    }

    /// One certificate, as renderers see it.
    pub fn view(&self, id: u32) -> Option<CertView<'_>> {
        let r = self.records.get(id as usize)?;
        let mut at = r.start;
        let mut part = |n: usize| {
            let len = r.lens.get(n).copied().unwrap_or(0) as usize;
            let s = self.arena.get(at..at + len).unwrap_or_default();
            at += len;
            s
        };
        let (subject, cn, serial, dns, ips) = (part(0), part(1), part(2), part(3), part(4));
        let list = |s: &str| -> Vec<String> {
            if s.is_empty() {
                Vec::new()
            } else {
                s.split('\n').map(str::to_string).collect()
            }
        };
        let mut found = vec![self.place(&r.first)];
        let mut next = r.more;
        let mut later = Vec::new();
        // Bounded by the list's length: every link points to an earlier entry.
        while let Some((occ, before)) = self.extra.get(next as usize) {
            later.push(self.place(occ));
            if *before >= next {
                break;
            }
            next = *before;
        }
        later.reverse();
        found.extend(later);
        Some(CertView {
            sha256: &r.sha256,
            sha1: &r.sha1,
            subject,
            cn,
            issuer: self.names.get(r.issuer),
            serial,
            not_before: time(r.not_before),
            not_after: time(r.not_after),
            days_left: self.days_left(r),
            status: self.status(r),
            self_signed: r.flags & SELF_SIGNED != 0,
            ca: r.flags & CA != 0,
            weak_signature: r.flags & WEAK != 0,
            public_key: self.name_of(r.public_key),
            signature_algorithm: self.name_of(r.signature_algorithm),
            dns_names: list(dns),
            ip_addresses: list(ips),
            found,
            places: r.places as usize,
        })
    }

    fn place(&self, occ: &Occ) -> Place<'_> {
        Place {
            source: self.sources.get(occ.source as usize).map_or("", |s| s),
            line: (occ.line != 0).then_some(occ.line as usize),
            origin: (occ.origin != NONE).then(|| self.origins.get(occ.origin)),
        }
    }

    /// The `input.*` findings with their source, in input order.
    pub fn findings(&self) -> impl Iterator<Item = (&str, &Finding)> {
        self.findings
            .iter()
            .map(|(s, f)| (self.sources.get(*s as usize).map_or("", |s| &**s), f))
    }

    /// Totals over what is listed (all of it without `--expiring-within`).
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            inputs: self.inputs,
            files_without_certificates: self.without_certificates,
            read_errors: self.read_errors,
            findings_omitted: self.findings_omitted,
            ..Summary::default()
        };
        for r in self.records.iter().filter(|r| self.listed(r)) {
            s.certificates += 1;
            s.occurrences += r.places as usize;
            match self.status(r) {
                Status::Expired => s.expired += 1,
                Status::NotYetValid => s.not_yet_valid += 1,
                Status::ExpiringSoon => s.expiring_soon += 1,
                Status::Valid => {}
            }
            if r.flags & WEAK != 0 && r.flags & SELF_SIGNED == 0 {
                s.weak_signatures += 1;
            }
        }
        if self.options.expiring_within.is_none() {
            s.occurrences += self.places_dropped;
        }
        s
    }

    /// Bytes held for the records, the arena, the places and the index, as
    /// allocated (a measure for BENCHMARKS.md; the allocator adds its own).
    pub fn held_bytes(&self) -> usize {
        use std::mem::size_of;
        self.records.capacity() * size_of::<Record>()
            + self.arena.capacity()
            + self.extra.capacity() * size_of::<(Occ, u32)>()
            + self.by_prefix.capacity() * (size_of::<(u64, u32)>() + 1)
    }
}

fn prefix(sha256: &[u8; 32]) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(sha256.get(..8).unwrap_or(&[0; 8]));
    u64::from_le_bytes(b)
}

fn time(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::tests::{CA_PEM, LEAF_PEM, P7B_PEM, T_PEM, ca_der};

    fn at() -> DateTime<Utc> {
        crate::cli::parse_time("2026-11-24T00:00:00Z").unwrap()
    }

    fn dir_with(files: &[(&str, &[u8])]) -> std::path::PathBuf {
        // One folder per call: tests run in parallel, and two of them writing the
        // same folder (it was named by the file count) made each other fail.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!(
            "certaudit-inv-{}-{n}-{}",
            std::process::id(),
            files.len()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (name, bytes) in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
        dir
    }

    use crate::cli::inventory::exit;
    use crate::exit::Exit;
    use crate::source;

    fn inventory_of(dir: &std::path::Path, options: Options) -> Inventory {
        let mut inv = Inventory::new(options);
        let sources = source::expand(&[dir.to_path_buf()]);
        crate::drive::inventory::read_all(&mut inv, &sources, &mut std::io::empty(), None).unwrap();
        inv
    }

    #[test]
    fn duplicates_across_kinds_are_one_certificate_with_every_place() {
        let both = format!("{LEAF_PEM}{CA_PEM}");
        let dir = dir_with(&[
            ("a.pem", both.as_bytes()),
            ("b.der", &ca_der()),
            ("c.p7b", P7B_PEM.as_bytes()),
            ("d.txt", b"no certificate here\n"),
            ("e.pem", T_PEM.as_bytes()),
        ]);
        let inv = inventory_of(&dir, Options::new(at(), 30));
        let s = inv.summary();
        assert_eq!(s.inputs, 5);
        assert_eq!(s.files_without_certificates, 1);
        assert_eq!(s.certificates, 3);
        assert_eq!(s.occurrences, 6);
        let ca = inv
            .first_seen()
            .into_iter()
            .map(|i| inv.view(i).unwrap())
            .find(|v| v.ca && v.issuer.contains("Root"))
            .unwrap();
        let places: Vec<(String, Option<usize>)> = ca
            .found
            .iter()
            .map(|p| (p.source.rsplit('/').next().unwrap().to_string(), p.line))
            .collect();
        assert_eq!(
            places,
            vec![
                ("a.pem".to_string(), Some(11)),
                ("b.der".to_string(), None),
                ("c.p7b".to_string(), None)
            ]
        );
        assert!(inv.findings().next().is_none(), "no input.empty");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn sorted_by_not_after_then_sha256_and_filtered() {
        let both = format!("{T_PEM}{LEAF_PEM}{CA_PEM}");
        let dir = dir_with(&[("a.pem", both.as_bytes())]);
        let inv = inventory_of(&dir, Options::new(at(), 30));
        let order: Vec<DateTime<Utc>> = inv
            .sorted()
            .into_iter()
            .map(|i| inv.view(i).unwrap().not_after)
            .collect();
        assert!(order.windows(2).all(|w| w[0] <= w[1]));
        let mut opts = Options::new(at(), 30);
        opts.expiring_within = Some(1);
        let inv = inventory_of(&dir, opts);
        // T and LEAF expire on 2026-11-24 (days_left 0), CA a day later (1).
        assert_eq!(inv.summary().certificates, 2);
        assert_eq!(exit(&inv, false), Exit::Clean);
        assert_eq!(exit(&inv, true), Exit::Findings);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn large_bundles_are_read_in_pieces_with_their_lines() {
        let mut text = String::new();
        for _ in 0..40 {
            text.push_str(LEAF_PEM);
            text.push_str("junk line\n");
        }
        let dir = dir_with(&[("big.pem", text.as_bytes())]);
        let mut opts = Options::new(at(), 30);
        opts.piece = 600;
        let inv = inventory_of(&dir, opts);
        assert_eq!(inv.len(), 1);
        let v = inv.view(0).unwrap();
        assert_eq!(v.places, 40);
        let lines: Vec<usize> = v.found.iter().map(|p| p.line.unwrap()).collect();
        let want: Vec<usize> = (0..40).map(|n| 1 + n * 11).collect();
        assert_eq!(lines, want);
        let mut opts = Options::new(at(), 30);
        opts.keep_places = false;
        let inv = inventory_of(&dir, opts);
        let v = inv.view(0).unwrap();
        assert_eq!((v.places, v.found.len()), (40, 1));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn unreadable_inputs_exit_2_and_are_not_files_without_certificates() {
        let mut inv = Inventory::new(Options::new(at(), 30));
        let sources = source::expand(&[std::path::PathBuf::from("/nonexistent/x.pem")]);
        crate::drive::inventory::read_all(&mut inv, &sources, &mut std::io::empty(), None).unwrap();
        let s = inv.summary();
        assert_eq!(
            (s.inputs, s.files_without_certificates, s.read_errors),
            (1, 0, 1)
        );
        assert_eq!(exit(&inv, false), Exit::Usage);
        let (src, f) = inv.findings().next().unwrap();
        assert_eq!(src, "/nonexistent/x.pem");
        assert_eq!(f.code, Code::InputUnreadable);
    }

    #[test]
    fn a_record_is_compact() {
        assert!(std::mem::size_of::<Record>() <= 128);
    }
}
