//! Where the private key lives: the OS secret store, an opt-in 0600 file, or memory (tests).

mod file;
mod os;
mod secret;

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::Mutex;

pub use file::FileKeyStore;
pub use os::{DEFAULT_KEYRING_SERVICE, KeyringStore};
pub use secret::Secret;

use crate::error::AuthError;
use crate::key::SigningKey;

/// A place to keep signing keys by name (e.g. one per organisation, or one for the app).
/// Implementations never log or print key material.
pub trait KeyStore: Send + Sync + Debug {
    /// The key stored under `name`, or [`AuthError::KeyNotFound`].
    fn load(&self, name: &str) -> Result<SigningKey, AuthError>;
    /// Stores `key` under `name`, replacing any key already there.
    fn save(&self, name: &str, key: &SigningKey) -> Result<(), AuthError>;
    /// Removes the key stored under `name`; removing a missing key is not an error.
    fn delete(&self, name: &str) -> Result<(), AuthError>;

    /// The raw secret stored under `name` (such as the worklist's database key), or
    /// [`AuthError::KeyNotFound`]. Secrets and signing keys have separate name spaces.
    fn load_secret(&self, name: &str) -> Result<Secret, AuthError>;
    /// Stores `secret` under `name`, replacing any secret already there.
    fn save_secret(&self, name: &str, secret: &Secret) -> Result<(), AuthError>;

    /// The key under `name`, generating and storing one with `alg` when there is none yet.
    fn load_or_generate(
        &self,
        name: &str,
        alg: crate::key::SigningAlg,
    ) -> Result<SigningKey, AuthError> {
        match self.load(name) {
            Err(e) if e.is_key_not_found() => {
                let key = SigningKey::generate(alg)?;
                self.save(name, &key)?;
                Ok(key)
            }
            other => other,
        }
    }
}

/// Key names become file names and keyring entries: keep them to a safe alphabet.
pub(crate) fn check_name(name: &str) -> Result<(), AuthError> {
    let ok = !name.is_empty()
        && name.len() <= 128
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(AuthError::InvalidKeyName {
            name: name.to_owned(),
        })
    }
}

/// Keys held in memory only, for tests and throwaway sandboxes.
#[derive(Default)]
pub struct MemoryKeyStore {
    keys: Mutex<HashMap<String, SigningKey>>,
    secrets: Mutex<HashMap<String, Secret>>,
}

impl Debug for MemoryKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.lock().len();
        f.debug_struct("MemoryKeyStore")
            .field("keys", &count)
            .finish()
    }
}

impl MemoryKeyStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, SigningKey>> {
        self.keys
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl KeyStore for MemoryKeyStore {
    fn load(&self, name: &str) -> Result<SigningKey, AuthError> {
        check_name(name)?;
        self.lock()
            .get(name)
            .cloned()
            .ok_or_else(|| AuthError::KeyNotFound {
                name: name.to_owned(),
            })
    }

    fn save(&self, name: &str, key: &SigningKey) -> Result<(), AuthError> {
        check_name(name)?;
        self.lock().insert(name.to_owned(), key.clone());
        Ok(())
    }

    fn delete(&self, name: &str) -> Result<(), AuthError> {
        check_name(name)?;
        self.lock().remove(name);
        Ok(())
    }

    fn load_secret(&self, name: &str) -> Result<Secret, AuthError> {
        check_name(name)?;
        let secrets = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
        secrets
            .get(name)
            .cloned()
            .ok_or_else(|| AuthError::KeyNotFound {
                name: name.to_owned(),
            })
    }

    fn save_secret(&self, name: &str, secret: &Secret) -> Result<(), AuthError> {
        check_name(name)?;
        let mut secrets = self.secrets.lock().unwrap_or_else(|p| p.into_inner());
        secrets.insert(name.to_owned(), secret.clone());
        Ok(())
    }
}
