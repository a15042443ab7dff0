//! What can go wrong importing a seed bundle; every variant names the file part at fault.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("malformed XML {0}")]
    Xml(String),
    #[error("malformed JSON: {0}")]
    Json(String),
    #[error("expected a Bundle, found {0}")]
    NotABundle(String),
    /// An entry that cannot be loaded (missing resource, id disagreeing with its request URL...).
    #[error("entry {index}: {message}")]
    Entry { index: usize, message: String },
    /// A resource type the seed has no place for (only directory, schedule, slot, patient and
    /// coverage resources are seed data).
    #[error("entry {index}: {resource_type} cannot be imported as seed data")]
    Unsupported { index: usize, resource_type: String },
}

impl ImportError {
    /// Whether the file could not be read at all (as opposed to being read and found wrong).
    pub fn is_io(&self) -> bool {
        matches!(self, Self::Read { .. })
    }
}
