//! Timeline (being written).
