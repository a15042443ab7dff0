//! The app's key set: several signing keys side by side so a key can be rotated without
//! stopping any organisation. One key is active (new registrations use it); the public JWK Set
//! lists every key not retired; retiring deletes the private part from the key store.
//!
//! The index (kid, algorithm, created, retired, store name) is kept as a secret in the same
//! key store as the keys. A store from before key sets, holding only the app key under its
//! legacy name, reads as a set of one with that key active.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::AuthError;
use crate::jwks::JwkSet;
use crate::key::{SigningAlg, SigningKey};
use crate::keystore::{KeyStore, Secret};

/// Secret name of the key set's index in the key store.
pub const KEYSET_INDEX_NAME: &str = "referral-desk-keyset";

/// What is known about one key of the set; never the private key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyInfo {
    /// RFC 7638 thumbprint of the public key.
    pub kid: String,
    /// `ES384` or `RS384`.
    pub alg: String,
    /// When the key was made; unknown for a key from before key sets.
    pub created: Option<DateTime<Utc>>,
    /// When the key was retired (its private part deleted), if it was.
    pub retired: Option<DateTime<Utc>>,
    /// Name of the private key in the key store.
    pub store_name: String,
}

impl KeyInfo {
    pub fn is_retired(&self) -> bool {
        self.retired.is_some()
    }
}

/// The stored index: every key ever in the set, and which one is active.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Index {
    active: Option<String>,
    keys: Vec<KeyInfo>,
}

/// The key set over a key store. Cheap to build; every call reads the store afresh.
#[derive(Debug, Clone)]
pub struct KeySet {
    store: Arc<dyn KeyStore>,
    legacy_name: String,
}

impl KeySet {
    /// A key set in `store`; `legacy_name` is where the single app key lived before key sets.
    pub fn new(store: Arc<dyn KeyStore>, legacy_name: impl Into<String>) -> Self {
        Self {
            store,
            legacy_name: legacy_name.into(),
        }
    }

    /// Every key, active first then by creation, retired ones included.
    pub fn list(&self) -> Result<Vec<KeyInfo>, AuthError> {
        let index = self.index()?;
        let mut keys = index.keys.clone();
        keys.sort_by_key(|k| (Some(&k.kid) != index.active.as_ref(), k.created));
        Ok(keys)
    }

    /// The active key's id, if the set has any key.
    pub fn active_kid(&self) -> Result<Option<String>, AuthError> {
        Ok(self.index()?.active)
    }

    /// The active key, generating one with `alg` when the set is empty.
    pub fn active_or_generate(
        &self,
        alg: SigningAlg,
        now: DateTime<Utc>,
    ) -> Result<SigningKey, AuthError> {
        match self.index()?.active {
            Some(kid) => self.key(&kid),
            None => {
                let info = self.add(alg, now)?;
                self.key(&info.kid)
            }
        }
    }

    /// The active key if there is one (never generates).
    pub fn active(&self) -> Result<Option<SigningKey>, AuthError> {
        self.index()?.active.map(|kid| self.key(&kid)).transpose()
    }

    /// Generates a key with `alg`, stores it and makes it the active key. Organisations already
    /// registered keep signing with their own key.
    pub fn add(&self, alg: SigningAlg, now: DateTime<Utc>) -> Result<KeyInfo, AuthError> {
        let key = SigningKey::generate(alg)?;
        let mut index = self.index()?;
        let store_name = format!("referral-desk-key-{}", key.kid());
        self.store.save(&store_name, &key)?;
        let info = KeyInfo {
            kid: key.kid().to_owned(),
            alg: alg.as_str().to_owned(),
            created: Some(now),
            retired: None,
            store_name,
        };
        index.keys.retain(|k| k.kid != info.kid);
        index.keys.push(info.clone());
        index.active = Some(info.kid.clone());
        self.save_index(&index)?;
        Ok(info)
    }

    /// The signing key with this id; a retired or unknown id is refused.
    pub fn key(&self, kid: &str) -> Result<SigningKey, AuthError> {
        let info = self.info(kid)?;
        if info.is_retired() {
            return Err(AuthError::KeyRetired {
                kid: kid.to_owned(),
            });
        }
        self.store.load(&info.store_name)
    }

    /// The index entry of this id, retired or not.
    pub fn info(&self, kid: &str) -> Result<KeyInfo, AuthError> {
        self.index()?
            .keys
            .into_iter()
            .find(|k| k.kid == kid)
            .ok_or_else(|| AuthError::UnknownKid {
                kid: kid.to_owned(),
            })
    }

    /// Retires a key: it leaves the JWK Set and its private part is deleted from the store. The
    /// active key passes to the newest key left; the last key cannot be retired.
    pub fn retire(&self, kid: &str, now: DateTime<Utc>) -> Result<KeyInfo, AuthError> {
        let mut index = self.index()?;
        let remaining: Vec<&KeyInfo> = index
            .keys
            .iter()
            .filter(|k| !k.is_retired() && k.kid != kid)
            .collect();
        let successor = remaining
            .iter()
            .max_by_key(|k| k.created)
            .map(|k| k.kid.clone());
        let Some(entry) = index.keys.iter_mut().find(|k| k.kid == kid) else {
            return Err(AuthError::UnknownKid {
                kid: kid.to_owned(),
            });
        };
        if entry.is_retired() {
            return Ok(entry.clone());
        }
        let Some(successor) = successor else {
            return Err(AuthError::LastKey {
                kid: kid.to_owned(),
            });
        };
        self.store.delete(&entry.store_name)?;
        entry.retired = Some(now);
        let retired = entry.clone();
        if index.active.as_deref() == Some(kid) {
            index.active = Some(successor);
        }
        self.save_index(&index)?;
        Ok(retired)
    }

    /// The public JWK Set: every key not retired.
    pub fn jwks(&self) -> Result<JwkSet, AuthError> {
        let mut keys = Vec::new();
        for info in self.list()?.iter().filter(|k| !k.is_retired()) {
            keys.push(self.store.load(&info.store_name)?.public_jwk().clone());
        }
        Ok(JwkSet { keys })
    }

    /// The stored index; without one, the legacy app key (if any) as a set of one.
    fn index(&self) -> Result<Index, AuthError> {
        match self.store.load_secret(KEYSET_INDEX_NAME) {
            Ok(secret) => {
                serde_json::from_slice(secret.expose()).map_err(|e| AuthError::SecretStore {
                    reason: format!("the key set index is damaged ({e})"),
                })
            }
            Err(e) if e.is_key_not_found() => self.legacy_index(),
            Err(e) => Err(e),
        }
    }

    fn legacy_index(&self) -> Result<Index, AuthError> {
        match self.store.load(&self.legacy_name) {
            Ok(key) => Ok(Index {
                active: Some(key.kid().to_owned()),
                keys: vec![KeyInfo {
                    kid: key.kid().to_owned(),
                    alg: key.alg().as_str().to_owned(),
                    created: None,
                    retired: None,
                    store_name: self.legacy_name.clone(),
                }],
            }),
            Err(e) if e.is_key_not_found() => Ok(Index::default()),
            Err(e) => Err(e),
        }
    }

    fn save_index(&self, index: &Index) -> Result<(), AuthError> {
        let json = serde_json::to_vec(index).map_err(|e| AuthError::SecretStore {
            reason: format!("cannot write the key set index ({e})"),
        })?;
        self.store
            .save_secret(KEYSET_INDEX_NAME, &Secret::new(json))
    }
}
