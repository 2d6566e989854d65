//! The text escaping of untrusted strings lives in the shared leaf [`crate::escape`]
//! (the advice, below `report`, needs it too); re-exported here, where renderers
//! look for it.

pub use crate::escape::*;
