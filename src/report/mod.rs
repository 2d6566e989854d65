//! Stage 4: analyses → what people and programs read.
//!
//! Renderers write to any `impl Write` so tests check output in-process; whether to
//! use colour is decided by the caller. Nothing here parses or reads the clock.

pub mod csv;
pub mod escape;
pub mod inventory_text;
pub mod json;
pub mod jsonl;
pub mod oidc;
pub mod openmetrics;
pub mod sarif;
pub mod text;
pub mod timeline;

pub use crate::findings::Summary;
