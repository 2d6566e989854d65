//! One integration-test binary (as ripgrep does): every module runs the real
//! `certaudit` binary on committed fixtures, pinned to a fixed evaluation time.

mod cli;
mod commands;
mod expected;
mod oracle;
mod real;
mod util;
