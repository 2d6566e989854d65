//! The layering is checked, not described: every `src/**/*.rs` lists the modules it
//! names through `crate::…` (`use crate::x::…`, `use crate::{x, y::z}`, a path
//! `crate::x::f()` in code) and through `super::` paths that climb to the crate
//! root, and each stage may name only stages of lower rank plus the shared
//! modules. The ranks are read from the README's "Layout" table.
//!
//! Decided here (the issue says "a direction, not a prescription"):
//! - `der` and `findings` are the shared vocabulary: every stage may use them. `der`
//!   may use `findings` (its readers record `Notes`) and nothing else; `findings`
//!   may use `der` and nothing else.
//! - Test code (`tests.rs` files and what follows a file's first `#[cfg(test)]`)
//!   is not part of the library's dependency graph: its upward references (a
//!   parser test settling `self_signed` through `verify`, say) are printed, not
//!   failed.
//! - Comment lines (`//`, `///`, `//!`) are not references: a doc link to a
//!   higher stage is documentation.
//! - `super::` is resolved from the file's path (inline modules other than tests
//!   are not tracked), so it can only over-report.

use std::path::{Path, PathBuf};

/// Rank of every top-level module of `src/`, read from the README's "Layout" table
/// (`| rank | module | what it holds |`); rank 0 is the shared vocabulary (`None`).
fn ranks() -> &'static [(String, Option<u32>)] {
    static RANKS: std::sync::OnceLock<Vec<(String, Option<u32>)>> = std::sync::OnceLock::new();
    RANKS.get_or_init(|| {
        let readme =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
                .unwrap();
        layout_table(&readme)
    })
}

/// The rows of the README's "Layout" table.
fn layout_table(readme: &str) -> Vec<(String, Option<u32>)> {
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Layout"))
        .expect("the README has a Layout section");
    section
        .lines()
        .filter_map(|line| {
            let mut cells = line.trim().strip_prefix('|')?.split('|').map(str::trim);
            let rank: u32 = cells.next()?.parse().ok()?;
            let module = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
            let module = module.trim_end_matches('/').to_owned();
            Some((module, (rank > 0).then_some(rank)))
        })
        .collect()
}

/// What each shared module may use.
const SHARED_MAY_USE: &[(&str, &[&str])] = &[("der", &["findings"]), ("findings", &["der"])];

fn rank(module: &str) -> Option<Option<u32>> {
    ranks().iter().find(|(m, _)| m == module).map(|(_, r)| *r)
}

/// Whether `from` may name `to`.
fn allowed(from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    match (rank(from), rank(to)) {
        (Some(None), _) => SHARED_MAY_USE
            .iter()
            .any(|(m, ok)| *m == from && ok.contains(&to)),
        (_, Some(None)) => true,
        (Some(Some(a)), Some(Some(b))) => b < a,
        _ => false,
    }
}

/// One reference of a file to a top-level module.
#[derive(Debug)]
struct Reference {
    line: usize,
    module: String,
    text: String,
    test: bool,
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first segment of every path of a `{…}` group (top-level commas only).
fn group_heads(group: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && depth == 0 && !c.is_whitespace() => {
                start = false;
                let id = ident(&group[i..]);
                if !id.is_empty() && id != "self" {
                    heads.push(id.to_owned());
                }
            }
            _ => {}
        }
    }
    heads
}

/// The text of the `{…}` group that starts at `code[open]` (`{`), possibly over
/// several lines.
fn brace_group(code: &[&str], line: usize, col: usize) -> String {
    let mut depth = 0;
    let mut group = String::new();
    for (n, l) in code.iter().enumerate().skip(line) {
        let from = if n == line { col } else { 0 };
        for c in l[from..].chars() {
            match c {
                '{' => {
                    depth += 1;
                    if depth == 1 {
                        continue;
                    }
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return group;
                    }
                }
                _ => {}
            }
            group.push(c);
        }
        group.push('\n');
    }
    group
}

/// The module path of a file under `src/`: `src/x509/header.rs` → `[x509, header]`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts
}

fn references(rel: &Path, text: &str) -> Vec<Reference> {
    let lines: Vec<&str> = text.lines().collect();
    let whole_file_is_test =
        rel.file_name().is_some_and(|f| f == "tests.rs") || rel.iter().any(|c| c == "tests");
    let depth = module_path(rel).len();
    let mut refs = Vec::new();
    let mut test = whole_file_is_test;
    for (n, raw) in lines.iter().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            test = true;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        let mut push = |module: String| {
            refs.push(Reference {
                line: n + 1,
                module,
                text: trimmed.to_owned(),
                test,
            })
        };
        // `crate::x` and `crate::{x, y}`, not `my_crate::x`.
        let mut at = 0;
        while let Some(i) = raw[at..].find("crate::") {
            let start = at + i;
            at = start + "crate::".len();
            let before = raw[..start].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = &raw[at..];
            if rest.starts_with('{') {
                for m in group_heads(&brace_group(&lines, n, at)) {
                    push(m);
                }
            } else {
                let id = ident(rest);
                if !id.is_empty() {
                    push(id.to_owned());
                }
            }
        }
        // `super::super::x` that climbs to the crate root.
        let mut at = 0;
        while let Some(i) = raw[at..].find("super::") {
            let start = at + i;
            let before = raw[..start].chars().next_back();
            let mut climbs = 0;
            let mut rest = &raw[start..];
            while let Some(r) = rest.strip_prefix("super::") {
                climbs += 1;
                rest = r;
            }
            at = raw.len() - rest.len();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            if climbs >= depth {
                let id = ident(rest);
                if rank(id).is_some() {
                    push(id.to_owned());
                }
            }
        }
    }
    refs
}

#[test]
fn each_stage_names_only_lower_stages_and_the_shared_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut unranked = Vec::new();
    let mut violations = Vec::new();
    let mut test_only = Vec::new();
    let mut edges = std::collections::BTreeSet::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let path = module_path(rel);
        let top = path.first().cloned().unwrap_or_default();
        // The crate root and the binary see every module.
        if top == "lib" || top == "main" {
            continue;
        }
        if rank(&top).is_none() {
            unranked.push(format!("src/{} (module `{top}`)", rel.display()));
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        for r in references(rel, &text) {
            if rank(&r.module).is_none() {
                unranked.push(format!(
                    "src/{}:{}: `{}` names a module without a rank: {}",
                    rel.display(),
                    r.line,
                    r.module,
                    r.text
                ));
                continue;
            }
            if allowed(&top, &r.module) {
                if top != r.module && !r.test {
                    edges.insert(format!("{top} -> {}", r.module));
                }
                continue;
            }
            let line = format!(
                "src/{}:{}: {top} ({}) names {} ({}): {}",
                rel.display(),
                r.line,
                describe(&top),
                r.module,
                describe(&r.module),
                r.text
            );
            if r.test {
                test_only.push(line);
            } else {
                violations.push(line);
            }
        }
    }
    eprintln!(
        "layering: {} files, library edges: {}",
        files.len(),
        edges.into_iter().collect::<Vec<_>>().join(", ")
    );
    for t in &test_only {
        eprintln!("  test code only (not failed): {t}");
    }
    assert!(
        unranked.is_empty(),
        "modules missing from the README's Layout table (add them with their rank):\n{}",
        unranked.join("\n")
    );
    assert!(
        violations.is_empty(),
        "a stage names a stage above it (or a shared module names a stage):\n{}",
        violations.join("\n")
    );
}

#[test]
fn the_readme_layout_lists_exactly_the_modules_of_src() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut on_disk: Vec<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "rs"))
        .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
        .filter(|m| !["lib", "main", "snapshots"].contains(&m.as_str()))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = ranks().iter().map(|(m, _)| m.clone()).collect();
    listed.sort();
    assert_eq!(listed, on_disk, "README Layout table vs src/");
}

fn describe(module: &str) -> String {
    match rank(module) {
        Some(Some(r)) => format!("rank {r}"),
        Some(None) => "shared".to_owned(),
        None => "unranked".to_owned(),
    }
}

#[test]
fn the_reference_scanner_reads_groups_paths_and_super_and_skips_comments() {
    let text = "\
use crate::{der::tlv, findings::{Code, Finding},\n    x509::CertInfo};\n\
use crate::verify;\n\
/// [`crate::report`] is a doc link\n\
fn f() { let _ = crate::chain::path(); let _ = my_crate::report::x; }\n\
use super::super::aws::Facts;\n\
#[cfg(test)]\n\
mod tests { use crate::cli; }\n";
    let refs = references(Path::new("x509/header.rs"), text);
    let got: Vec<(usize, &str, bool)> = refs
        .iter()
        .map(|r| (r.line, r.module.as_str(), r.test))
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "der", false),
            (1, "findings", false),
            (1, "x509", false),
            (3, "verify", false),
            (5, "chain", false),
            (6, "aws", false),
            (8, "cli", true),
        ]
    );
    assert!(allowed("verify", "x509"));
    assert!(!allowed("x509", "verify"));
    assert!(allowed("cli", "der"));
    assert!(allowed("der", "findings"));
    assert!(!allowed("der", "x509"));
    assert!(!allowed("findings", "exit"));
    assert!(!allowed("check", "aws"), "same rank is not lower");
}
