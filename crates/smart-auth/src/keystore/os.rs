//! The OS secret store through `keyring`: Secret Service, Keychain or Credential Manager.

use super::{KeyStore, Secret, check_name};
use crate::error::AuthError;
use crate::key::{PrivateKeyPem, SigningKey};

/// Default keyring service name for Referral Desk keys.
pub const DEFAULT_KEYRING_SERVICE: &str = "referral-desk";

/// Entry used only to find out whether the secret store answers at all.
const PROBE_ENTRY: &str = "availability-probe";

/// Keys kept as PKCS#8 PEM secrets in the OS keyring, one entry per key name.
#[derive(Debug, Clone)]
pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    /// Opens the OS secret store, checking at run time that it can be reached. On a headless
    /// Linux box without a Secret Service this fails with
    /// [`AuthError::SecretStoreUnavailable`], whose message offers the opt-in key file.
    pub fn open(service: &str) -> Result<Self, AuthError> {
        let store = Self {
            service: service.to_owned(),
        };
        match store.entry(PROBE_ENTRY)?.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(store),
            Err(e) => Err(classify(e)),
        }
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, AuthError> {
        keyring::Entry::new(&self.service, name).map_err(classify)
    }
}

/// Errors that mean "there is no usable store here" become `SecretStoreUnavailable`.
fn classify(e: keyring::Error) -> AuthError {
    match e {
        keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) => {
            AuthError::SecretStoreUnavailable {
                reason: inner.to_string(),
            }
        }
        other => AuthError::SecretStore {
            reason: other.to_string(),
        },
    }
}

impl KeyStore for KeyringStore {
    fn load(&self, name: &str) -> Result<SigningKey, AuthError> {
        check_name(name)?;
        match self.entry(name)?.get_password() {
            Ok(pem) => SigningKey::from_pkcs8_pem(PrivateKeyPem::new(pem).expose()),
            Err(keyring::Error::NoEntry) => Err(AuthError::KeyNotFound {
                name: name.to_owned(),
            }),
            Err(e) => Err(classify(e)),
        }
    }

    fn save(&self, name: &str, key: &SigningKey) -> Result<(), AuthError> {
        check_name(name)?;
        self.entry(name)?
            .set_password(key.to_pkcs8_pem().expose())
            .map_err(classify)
    }

    fn delete(&self, name: &str) -> Result<(), AuthError> {
        check_name(name)?;
        match self.entry(name)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(classify(e)),
        }
    }

    fn load_secret(&self, name: &str) -> Result<Secret, AuthError> {
        check_name(name)?;
        match self.entry(&secret_entry(name))?.get_password() {
            Ok(hex) => Secret::from_hex(&hex),
            Err(keyring::Error::NoEntry) => Err(AuthError::KeyNotFound {
                name: name.to_owned(),
            }),
            Err(e) => Err(classify(e)),
        }
    }

    fn save_secret(&self, name: &str, secret: &Secret) -> Result<(), AuthError> {
        check_name(name)?;
        self.entry(&secret_entry(name))?
            .set_password(&secret.to_hex())
            .map_err(classify)
    }
}

/// The keyring entry of a secret: its own name space beside the signing keys.
fn secret_entry(name: &str) -> String {
    format!("secret.{name}")
}
