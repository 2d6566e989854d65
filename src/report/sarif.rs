//! SARIF (being written).
