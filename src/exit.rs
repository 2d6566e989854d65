//! The exit policy as a type (after fd's `exit_codes.rs`).

use crate::findings::{Severity, Summary};

/// 0: no error finding (and with --strict no warning); 1: findings; 2: usage error or
/// an input that could not be read at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    Clean,
    Findings,
    Usage,
}

impl Exit {
    pub const fn code(self) -> u8 {
        match self {
            Exit::Clean => 0,
            Exit::Findings => 1,
            Exit::Usage => 2,
        }
    }

    /// The exit policy, in one place: 2 when an input could not be read, else 1 when
    /// there is an error finding (or, with `strict`, a warning), else 0.
    pub fn of(summary: &Summary, strict: bool) -> Exit {
        if summary.unreadable > 0 {
            Exit::Usage
        } else if summary.errors > 0 || (strict && summary.warnings > 0) {
            Exit::Findings
        } else {
            Exit::Clean
        }
    }

    /// The exit for one finding of `severity`.
    pub fn for_severity(severity: Severity, strict: bool) -> Exit {
        match severity {
            Severity::Error => Exit::Findings,
            Severity::Warning if strict => Exit::Findings,
            _ => Exit::Clean,
        }
    }

    /// The more serious of two outcomes.
    pub fn merge(self, other: Exit) -> Exit {
        self.max(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_beats_findings_beats_clean() {
        assert_eq!(Exit::Clean.merge(Exit::Findings), Exit::Findings);
        assert_eq!(Exit::Usage.merge(Exit::Findings), Exit::Usage);
        assert_eq!(Exit::Clean.merge(Exit::Clean).code(), 0);
    }

    #[test]
    fn unreadable_beats_errors_beats_warnings() {
        let mut s = Summary::default();
        assert_eq!(Exit::of(&s, true), Exit::Clean);
        s.warnings = 1;
        assert_eq!(Exit::of(&s, false), Exit::Clean);
        assert_eq!(Exit::of(&s, true), Exit::Findings);
        s.errors = 1;
        assert_eq!(Exit::of(&s, false), Exit::Findings);
        s.unreadable = 1;
        assert_eq!(Exit::of(&s, false), Exit::Usage);
    }

    #[test]
    fn warnings_count_only_when_strict() {
        assert_eq!(Exit::for_severity(Severity::Warning, false), Exit::Clean);
        assert_eq!(Exit::for_severity(Severity::Warning, true), Exit::Findings);
        assert_eq!(Exit::for_severity(Severity::Info, true), Exit::Clean);
        assert_eq!(Exit::for_severity(Severity::Error, false), Exit::Findings);
    }
}
