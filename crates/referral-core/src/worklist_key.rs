//! The worklist's database key: 256 random bits generated on first start and kept where the
//! app's signing key is kept (the OS keyring, or the opt-in 0600 key file). A worklist whose key
//! is gone is reported as unreadable, never replaced by an empty one.

use std::path::Path;
use std::sync::Arc;

use referral_store::cipher::{self, CipherError, FileKind, KEY_LEN, WorklistKey};
use referral_store::{Clock, Store, StoreError};
use smart_auth::{KeyStore, Secret};

use crate::error::{CoreError, CoreResult};

/// Name of the worklist key in the key store (beside [`crate::APP_KEY_NAME`]).
pub const WORKLIST_KEY_NAME: &str = "referral-desk-worklist";

/// Opens the encrypted worklist at `path` with the key from `keys`, generating and storing a
/// key when there is none and no encrypted file needs one.
pub(crate) fn open_worklist(
    path: &Path,
    clock: Arc<dyn Clock>,
    keys: &dyn KeyStore,
) -> CoreResult<Store> {
    let kind = cipher::file_kind(path).map_err(StoreError::from)?;
    let key = match keys.load_secret(WORKLIST_KEY_NAME) {
        Ok(secret) => WorklistKey::from_bytes(secret.expose()).map_err(StoreError::from)?,
        Err(e) if e.is_key_not_found() && kind == FileKind::Encrypted => {
            return Err(StoreError::from(CipherError::KeyMissing {
                path: path.to_owned(),
            })
            .into());
        }
        Err(e) if e.is_key_not_found() => {
            let secret = Secret::random(KEY_LEN).map_err(CoreError::Key)?;
            keys.save_secret(WORKLIST_KEY_NAME, &secret)
                .map_err(CoreError::Key)?;
            WorklistKey::from_bytes(secret.expose()).map_err(StoreError::from)?
        }
        Err(e) => return Err(CoreError::Key(e)),
    };
    Ok(Store::open_encrypted(path, clock, &key)?)
}
