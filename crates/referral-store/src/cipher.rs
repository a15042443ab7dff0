//! The worklist file encrypted with SQLCipher: a 256-bit random key applied as raw hex right
//! after the file is opened, what kind of file is on disk, and the errors that say plainly when
//! the data cannot be read. The key itself is kept by the caller (the OS keyring or the opt-in
//! key file, beside the app's signing key); this crate never stores it.
//!
//! A connection that is given no key is plain SQLite (SQLCipher without `PRAGMA key`), which is
//! how the sandbox organisations' own test database and the in-memory stores stay unencrypted.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

/// Length of the worklist key: 256 bits.
pub const KEY_LEN: usize = 32;

/// The first 16 bytes of every plaintext SQLite file; an encrypted file starts with random salt.
const PLAIN_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// The worklist's database key. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct WorklistKey([u8; KEY_LEN]);

impl WorklistKey {
    /// The key from its 32 bytes; any other length is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CipherError> {
        <[u8; KEY_LEN]>::try_from(bytes)
            .map(Self)
            .map_err(|_| CipherError::KeyLength { len: bytes.len() })
    }

    /// The SQL string literal whose text is `x'<hex>'`: SQLCipher's raw-key form, used as is
    /// (no passphrase derivation: the key is already random, and skipping PBKDF2 keeps opening
    /// the worklist instant).
    fn sql_literal(&self) -> String {
        let hex: String = self.0.iter().map(|b| format!("{b:02X}")).collect();
        format!("'x''{hex}'''")
    }
}

impl fmt::Debug for WorklistKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WorklistKey(..)")
    }
}

/// What is on disk at the worklist path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// No file, or an empty one: a new worklist.
    Missing,
    /// A plaintext SQLite file (an older version's worklist): to be encrypted in place.
    Plain,
    /// Anything else: an encrypted worklist (or a damaged file, which the key check reveals).
    Encrypted,
}

/// Looks at the first bytes of `path`.
pub fn file_kind(path: &Path) -> Result<FileKind, CipherError> {
    let io = |source| CipherError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = match std::fs::File::open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        other => other.map_err(io)?,
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io)? {
            0 => break,
            n => read += n,
        }
    }
    Ok(match read {
        0 => FileKind::Missing,
        16 if &header == PLAIN_HEADER => FileKind::Plain,
        _ => FileKind::Encrypted,
    })
}

/// Why the encrypted worklist cannot be opened or created.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CipherError {
    /// The file is encrypted and no key is stored for it.
    #[error("the worklist is encrypted and its key is missing: it cannot be read ({path})")]
    KeyMissing { path: PathBuf },
    /// The stored key does not open the file (another machine's key, or a damaged file).
    #[error("the worklist key does not open the worklist at {path}: it cannot be read")]
    KeyRejected { path: PathBuf },
    /// A stored key of the wrong length.
    #[error("the stored worklist key is {len} bytes long; a worklist key is 32 bytes")]
    KeyLength { len: usize },
    /// Encrypting an older plaintext worklist failed; the plaintext file was left as it was.
    #[error("the worklist at {path} could not be encrypted (it was left as it was): {reason}")]
    Migration { path: PathBuf, reason: String },
    /// Reading or writing the file failed.
    #[error("the worklist file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl CipherError {
    /// Whether the data cannot be read without a key the desk does not have.
    pub fn is_unreadable(&self) -> bool {
        matches!(self, Self::KeyMissing { .. } | Self::KeyRejected { .. })
    }
}

/// Applies `key` to a freshly opened connection and proves it opens the file: SQLCipher
/// accepts any key silently and only fails at the first read.
pub(crate) fn apply_key(
    conn: &Connection,
    key: &WorklistKey,
    path: &Path,
) -> Result<(), CipherError> {
    let rejected = || CipherError::KeyRejected {
        path: path.to_owned(),
    };
    conn.execute_batch(&format!("PRAGMA key = {};", key.sql_literal()))
        .map_err(|_| rejected())?;
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    })
    .map_err(|_| rejected())?;
    Ok(())
}

/// `ATTACH DATABASE '<path>' AS <schema> KEY x'…'`: an encrypted database beside an open one.
pub(crate) fn attach_encrypted(
    conn: &Connection,
    path: &Path,
    schema: &str,
    key: &WorklistKey,
) -> rusqlite::Result<()> {
    let file = path.to_string_lossy().replace('\'', "''");
    conn.execute_batch(&format!(
        "ATTACH DATABASE '{file}' AS {schema} KEY {};",
        key.sql_literal()
    ))
}
