//! The command line: syntax (`args`), its meaning read once (`config`), and one
//! function per subcommand (`run`). CLI types stop here: nothing below `cli` imports it.

pub mod args;
pub mod config;
pub mod run;

pub use args::*;
