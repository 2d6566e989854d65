//! Stage 4: analyses → what people and programs read.
//!
//! Renderers write to any `impl Write` so tests check output in-process; whether to
//! use colour is decided by the caller. Nothing here parses or reads the clock.

pub mod escape;
pub mod json;
pub mod sarif;
pub mod text;
pub mod timeline;

/// Totals over every input (the `summary` object).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub inputs: usize,
    pub certificates: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn add(&mut self, audit: &crate::audit::InputAudit) {
        use crate::findings::Severity;
        self.inputs += 1;
        self.certificates += audit.certs.len();
        for f in &audit.findings {
            match f.severity() {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => {}
            }
        }
    }
}
