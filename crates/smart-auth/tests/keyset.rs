//! The key set: several keys, one active, the JWKS of every key not retired, retirement that
//! deletes the private part, and a store from before key sets read as a set of one.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use smart_auth::{FileKeyStore, KeySet, KeyStore, MemoryKeyStore, SigningAlg, SigningKey};

const LEGACY: &str = "referral-desk-app";

fn at(minute: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 12, minute, 0).unwrap()
}

#[test]
fn a_store_with_only_the_old_app_key_loads_as_a_set_of_one() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn KeyStore> = Arc::new(FileKeyStore::new(dir.path()));
    let old = store.load_or_generate(LEGACY, SigningAlg::Es384).unwrap();

    let set = KeySet::new(store.clone(), LEGACY);
    let keys = set.list().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].kid, old.kid());
    assert_eq!(keys[0].alg, "ES384");
    assert_eq!(keys[0].store_name, LEGACY);
    assert_eq!(set.active_kid().unwrap().as_deref(), Some(old.kid()));
    assert_eq!(set.jwks().unwrap(), old.jwks());
    assert_eq!(set.key(old.kid()).unwrap().kid(), old.kid());
}

#[test]
fn an_added_key_joins_the_jwks_beside_the_old_and_becomes_active() {
    let store: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::new());
    let old = store.load_or_generate(LEGACY, SigningAlg::Es384).unwrap();
    let set = KeySet::new(store.clone(), LEGACY);

    let new = set.add(SigningAlg::Rs384, at(1)).unwrap();
    assert_eq!(new.alg, "RS384");
    assert_eq!(set.active_kid().unwrap(), Some(new.kid.clone()));
    let jwks = set.jwks().unwrap();
    assert_eq!(jwks.keys.len(), 2);
    assert!(jwks.find(old.kid()).is_some());
    assert_eq!(jwks.find(&new.kid).unwrap().kty, "RSA");
    // The old key still signs for whoever is registered with it.
    assert_eq!(set.key(old.kid()).unwrap().alg(), SigningAlg::Es384);
}

#[test]
fn a_retired_key_leaves_the_jwks_and_its_private_part_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let store: Arc<dyn KeyStore> = Arc::new(FileKeyStore::new(dir.path()));
    let set = KeySet::new(store.clone(), LEGACY);
    let a = set.add(SigningAlg::Es384, at(1)).unwrap();
    let b = set.add(SigningAlg::Es384, at(2)).unwrap();

    let retired = set.retire(&a.kid, at(3)).unwrap();
    assert_eq!(retired.retired, Some(at(3)));
    assert!(set.jwks().unwrap().find(&a.kid).is_none());
    assert!(set.jwks().unwrap().find(&b.kid).is_some());
    assert!(set.key(&a.kid).unwrap_err().is_key_retired());
    assert!(store.load(&a.store_name).unwrap_err().is_key_not_found());
    assert!(!dir.path().join(format!("{}.pem", a.store_name)).exists());
    // Still listed, marked retired.
    assert!(
        set.list()
            .unwrap()
            .iter()
            .any(|k| k.kid == a.kid && k.is_retired())
    );
}

#[test]
fn retiring_the_active_key_passes_activity_on_and_the_last_key_stays() {
    let store: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::new());
    let set = KeySet::new(store, LEGACY);
    let a = set.add(SigningAlg::Es384, at(1)).unwrap();
    let b = set.add(SigningAlg::Es384, at(2)).unwrap();
    set.retire(&b.kid, at(3)).unwrap();
    assert_eq!(set.active_kid().unwrap(), Some(a.kid.clone()));
    let err = set.retire(&a.kid, at(4)).unwrap_err();
    assert!(
        matches!(err, smart_auth::AuthError::LastKey { .. }),
        "{err}"
    );
    assert!(set.key(&a.kid).is_ok());
    assert!(set.key("no-such-kid").unwrap_err().is_unknown_kid());
}

#[test]
fn an_empty_set_generates_its_first_key_on_demand() {
    let store: Arc<dyn KeyStore> = Arc::new(MemoryKeyStore::new());
    let set = KeySet::new(store, LEGACY);
    assert!(set.active().unwrap().is_none());
    let key: SigningKey = set.active_or_generate(SigningAlg::Es384, at(1)).unwrap();
    let again = set.active_or_generate(SigningAlg::Rs384, at(2)).unwrap();
    assert_eq!(key.kid(), again.kid());
    assert_eq!(set.list().unwrap().len(), 1);
}
