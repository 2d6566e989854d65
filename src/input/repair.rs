//! Repairs of pasted PEM, and the one `input.reflowed` finding that reports them.
//!
//! Nothing is rewritten: the PEM scanner reads the original text line by line and
//! uses these helpers to look past the damage (quote marks, indentation, spaces,
//! fences), so every line number still refers to the input as given. Each block
//! notes what it needed in its own [`Repairs`]; only blocks whose body decoded are
//! merged into the input's, so a block that could not be read anyway (a sentence of
//! prose between two markers) never produces a "repaired" claim.
//!
//! What counts as a repair (reported once per input, each kind with its first line):
//! a whole block on one line; base64 broken by spaces; e-mail quote marks (`>`);
//! Markdown code fences (an opening fence right before a BEGIN line, or fence lines
//! inside a block); indentation; CRLF line ends (the contract lists them, though RFC
//! 7468 allows them; the finding is only `info`); blank lines inside a block (OpenSSL
//! stops reading there); text beside a BEGIN/END marker on its line; UTF-16 text.
//!
//! Not repairs, because RFC 7468 §3's lax parsing reads them as they are: base64 lines
//! of another width than 64 (76-column MIME wrapping) and trailing whitespace. Nor is
//! text around the blocks on lines of its own: the `pem` kind is "PEM blocks, possibly
//! surrounded by other text", and every `s_client` capture has it.

use crate::findings::{Code, Finding};

/// One kind of repair, in the order the message lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repair {
    /// BEGIN, base64 and END on a single line.
    OneLine,
    /// Base64 separated by spaces within a line.
    Spaces,
    /// E-mail quote marks (`> `, `>> `).
    Quote,
    /// Markdown code fences.
    Fence,
    /// Leading whitespace.
    Indent,
    /// CRLF line ends.
    Crlf,
    /// Blank lines between base64 lines.
    Blank,
    /// Text (or base64) on a BEGIN/END marker's line.
    Beside,
    /// The text was UTF-16.
    Utf16,
}

const KINDS: usize = 9;

impl Repair {
    const fn index(self) -> usize {
        self as usize
    }

    fn describe(self) -> &'static str {
        match self {
            Repair::OneLine => "a whole block on one line",
            Repair::Spaces => "base64 broken up by spaces",
            Repair::Quote => "e-mail quote marks (>)",
            Repair::Fence => "Markdown code fences",
            Repair::Indent => "indentation",
            Repair::Crlf => "CRLF line ends",
            Repair::Blank => "blank lines inside a block",
            Repair::Beside => "text beside a BEGIN or END line",
            Repair::Utf16 => "UTF-16 text",
        }
    }
}

/// The repairs one block (or one input) needed, each with the first line it was
/// needed on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Repairs {
    first: [Option<usize>; KINDS],
}

impl Repairs {
    pub fn note(&mut self, repair: Repair, line: usize) {
        if let Some(slot) = self.first.get_mut(repair.index())
            && slot.is_none()
        {
            *slot = Some(line);
        }
    }

    pub fn has(&self, repair: Repair) -> bool {
        self.first.get(repair.index()).copied().flatten().is_some()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.first.iter().all(Option::is_none)
    }

    /// Adds another block's repairs (keeping the earliest line of each).
    pub fn merge(&mut self, other: &Repairs) {
        for (mine, theirs) in self.first.iter_mut().zip(other.first) {
            *mine = match (*mine, theirs) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }

    /// The input's `input.reflowed` finding, if anything was repaired.
    pub fn finding(&self, name: &str) -> Option<Finding> {
        const ALL: [Repair; KINDS] = [
            Repair::OneLine,
            Repair::Spaces,
            Repair::Quote,
            Repair::Fence,
            Repair::Indent,
            Repair::Crlf,
            Repair::Blank,
            Repair::Beside,
            Repair::Utf16,
        ];
        let mut parts = Vec::new();
        for repair in ALL {
            // One line implies spaces between the base64 chunks: say it once.
            if repair == Repair::Spaces && self.has(Repair::OneLine) {
                continue;
            }
            if let Some(line) = self.first.get(repair.index()).copied().flatten() {
                let what = repair.describe();
                parts.push(if repair == Repair::Utf16 {
                    what.to_string()
                } else {
                    format!("{what} (line {line})")
                });
            }
        }
        if parts.is_empty() {
            return None;
        }
        let line = self.first.iter().flatten().min().copied();
        let mut f = Finding::new(
            Code::InputReflowed,
            format!(
                "{name}: pasted PEM was repaired to be read: {}",
                parts.join(", ")
            ),
        );
        f.line = line;
        Some(f)
    }
}

/// A line with its leading indentation and e-mail quote marks removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stripped<'a> {
    pub text: &'a str,
    /// Leading whitespace (not counting what follows quote marks).
    pub indent: bool,
    /// One or more `>` quote marks.
    pub quote: bool,
}

/// Removes leading whitespace and `>`/`> >`/`>>` quote marks.
pub(crate) fn strip_leading(line: &str) -> Stripped<'_> {
    let text = trim_start_ws(line);
    let indent = text.len() < line.len();
    let mut rest = text;
    let mut quote = false;
    while let Some(r) = rest.strip_prefix('>') {
        quote = true;
        rest = trim_start_ws(r);
    }
    Stripped {
        text: rest,
        indent: indent && !quote,
        quote,
    }
}

/// Whitespace as pasted text has it: Unicode whitespace (NBSP from web pages included),
/// zero-width spaces and byte-order marks.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}'
}

pub(crate) fn trim_start_ws(s: &str) -> &str {
    s.trim_start_matches(is_space)
}

pub(crate) fn trim_ws(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// A Markdown code fence line (```` ``` ````, ```` ```pem ````, `~~~`).
pub(crate) fn is_fence(text: &str) -> bool {
    text.starts_with("```") || text.starts_with("~~~")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_marks_and_indentation_are_stripped() {
        let s = strip_leading(">> > MIIB");
        assert_eq!((s.text, s.quote, s.indent), ("MIIB", true, false));
        let s = strip_leading("\u{a0}  MIIB");
        assert_eq!((s.text, s.quote, s.indent), ("MIIB", false, true));
        let s = strip_leading("MIIB");
        assert_eq!((s.text, s.quote, s.indent), ("MIIB", false, false));
    }

    #[test]
    fn nothing_repaired_means_no_finding() {
        assert_eq!(Repairs::default().finding("x"), None);
    }

    #[test]
    fn the_message_lists_each_repair_once_with_its_first_line() {
        let mut a = Repairs::default();
        a.note(Repair::Crlf, 7);
        a.note(Repair::Crlf, 9);
        a.note(Repair::Blank, 8);
        let mut b = Repairs::default();
        b.note(Repair::Crlf, 3);
        b.note(Repair::Quote, 4);
        a.merge(&b);
        let f = a.finding("in.pem").unwrap();
        assert_eq!(f.code, Code::InputReflowed);
        assert_eq!(f.line, Some(3));
        assert_eq!(
            f.message,
            "in.pem: pasted PEM was repaired to be read: e-mail quote marks (>) (line 4), \
             CRLF line ends (line 3), blank lines inside a block (line 8)"
        );
    }

    #[test]
    fn one_line_absorbs_spaces() {
        let mut r = Repairs::default();
        r.note(Repair::OneLine, 2);
        r.note(Repair::Spaces, 2);
        let m = r.finding("x").unwrap().message;
        assert!(m.contains("a whole block on one line (line 2)"));
        assert!(!m.contains("spaces"));
    }
}
