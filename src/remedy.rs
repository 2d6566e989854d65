//! What to do next (being written).
