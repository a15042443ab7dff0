//! Keys: generation, JWKS shape and thumbprint kid, PEM round trip, redaction, and key stores.
#![allow(clippy::unwrap_used, reason = "tests")]

use smart_auth::{
    AuthError, FileKeyStore, KeyStore, KeyringStore, MemoryKeyStore, RsaBits, SigningAlg,
    SigningKey, thumbprint_ec, thumbprint_rsa,
};

#[test]
fn es384_is_the_default_and_exports_a_p384_jwk_with_thumbprint_kid() {
    let key = SigningKey::generate(SigningAlg::default()).unwrap();
    assert_eq!(key.alg(), SigningAlg::Es384);
    let jwks = serde_json::to_value(key.jwks()).unwrap();
    let jwk = &jwks["keys"][0];
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    assert_eq!(jwk["kty"], "EC");
    assert_eq!(jwk["crv"], "P-384");
    assert_eq!(jwk["alg"], "ES384");
    assert_eq!(jwk["use"], "sig");
    assert_eq!(jwk["key_ops"], serde_json::json!(["verify"]));
    // 48-byte coordinates are 64 base64url characters.
    assert_eq!(jwk["x"].as_str().unwrap().len(), 64);
    assert_eq!(jwk["y"].as_str().unwrap().len(), 64);
    assert!(
        jwk.get("d").is_none(),
        "the JWKS must not contain the private part"
    );
    let kid = thumbprint_ec(
        "P-384",
        jwk["x"].as_str().unwrap(),
        jwk["y"].as_str().unwrap(),
    );
    assert_eq!(jwk["kid"], kid.as_str());
    assert_eq!(key.kid(), kid);
}

#[test]
fn rs384_keys_are_3072_bit_by_default_and_export_n_and_e() {
    let key = SigningKey::generate(SigningAlg::Rs384).unwrap();
    let jwk = key.public_jwk();
    assert_eq!((jwk.kty.as_str(), jwk.alg.as_str()), ("RSA", "RS384"));
    let n = jwk.n.as_deref().unwrap();
    // 384 bytes of modulus = 512 base64url characters.
    assert_eq!(n.len(), 512, "3072-bit modulus expected");
    assert_eq!(jwk.e.as_deref(), Some("AQAB"));
    assert!(jwk.crv.is_none() && jwk.x.is_none());
    assert_eq!(key.kid(), thumbprint_rsa(n, "AQAB"));

    let small = SigningKey::generate_rsa(RsaBits::B2048).unwrap();
    assert_eq!(
        small.public_jwk().n.as_deref().unwrap().len(),
        342,
        "2048-bit modulus"
    );
}

#[test]
fn pkcs8_pem_round_trips_and_keeps_the_kid() {
    for alg in [SigningAlg::Es384, SigningAlg::Rs384] {
        let key = SigningKey::generate(alg).unwrap();
        let pem = key.to_pkcs8_pem();
        assert!(pem.expose().starts_with("-----BEGIN PRIVATE KEY-----\n"));
        let again = SigningKey::from_pkcs8_pem(pem.expose()).unwrap();
        assert_eq!(again.alg(), alg);
        assert_eq!(again.kid(), key.kid());
        assert_eq!(again.public_jwk(), key.public_jwk());
    }
}

#[test]
fn garbage_and_foreign_pem_are_refused_with_a_key_error() {
    let err = SigningKey::from_pkcs8_pem(
        "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
    )
    .unwrap_err();
    assert!(matches!(err, AuthError::InvalidKey { .. }), "{err}");
    let err =
        SigningKey::from_pkcs8_pem("-----BEGIN PRIVATE KEY-----\n!!!\n-----END PRIVATE KEY-----")
            .unwrap_err();
    assert!(matches!(err, AuthError::InvalidKey { .. }), "{err}");
    let err = SigningKey::from_pkcs8_der(b"not a key").unwrap_err();
    assert!(matches!(err, AuthError::InvalidKey { .. }), "{err}");
}

#[test]
fn debug_output_never_contains_key_material() {
    let key = SigningKey::generate(SigningAlg::Es384).unwrap();
    let pem = key.to_pkcs8_pem();
    let body_line = pem.expose().lines().nth(1).unwrap().to_owned();
    for shown in [
        format!("{key:?}"),
        format!("{pem:?}"),
        format!("{:?}", MemoryKeyStore::new()),
    ] {
        assert!(
            !shown.contains(&body_line),
            "private key leaked into Debug: {shown}"
        );
        assert!(!shown.contains("BEGIN"), "PEM leaked into Debug: {shown}");
    }
    assert!(
        format!("{key:?}").contains(key.kid()),
        "Debug should still identify the key"
    );
}

#[test]
fn memory_store_saves_loads_deletes_and_generates_once() {
    let store = MemoryKeyStore::new();
    assert!(store.load("org-a").unwrap_err().is_key_not_found());
    let first = store.load_or_generate("org-a", SigningAlg::Es384).unwrap();
    let second = store.load_or_generate("org-a", SigningAlg::Es384).unwrap();
    assert_eq!(
        first.kid(),
        second.kid(),
        "an existing key is reused, not replaced"
    );
    store.delete("org-a").unwrap();
    assert!(store.load("org-a").unwrap_err().is_key_not_found());
    assert!(matches!(
        store.load("../etc/passwd"),
        Err(AuthError::InvalidKeyName { .. })
    ));
}

#[cfg(unix)]
mod file_store {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn key_file_is_created_0600_in_a_0700_directory_and_loads_back() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("keys");
        let store = FileKeyStore::new(&dir);
        let key = SigningKey::generate(SigningAlg::Es384).unwrap();
        store.save("app", &key).unwrap();
        let path = store.path_of("app").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(store.load("app").unwrap().kid(), key.kid());
        // Replacing keeps the mode and leaves no temporary file behind.
        let other = SigningKey::generate(SigningAlg::Rs384).unwrap();
        store.save("app", &other).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(store.load("app").unwrap().kid(), other.kid());
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[test]
    fn a_0644_key_file_is_refused_with_the_fix_in_the_message() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileKeyStore::new(tmp.path());
        store
            .save("app", &SigningKey::generate(SigningAlg::Es384).unwrap())
            .unwrap();
        let path = store.path_of("app").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = store.load("app").unwrap_err();
        assert!(
            matches!(err, AuthError::InsecureKeyFile { mode: 0o644, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("chmod 600"), "{err}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert!(matches!(
            store.load("app"),
            Err(AuthError::InsecureKeyFile { .. })
        ));
    }

    #[test]
    fn missing_file_is_key_not_found_and_delete_is_idempotent() {
        let tmp = tempfile::tempdir().unwrap();
        let store = FileKeyStore::new(tmp.path());
        assert!(store.load("nope").unwrap_err().is_key_not_found());
        store.delete("nope").unwrap();
        assert!(matches!(
            store.path_of("a/b"),
            Err(AuthError::InvalidKeyName { .. })
        ));
    }
}

/// This box (and CI) is headless: no D-Bus session bus, so no Secret Service. Opening the
/// keyring must say so, as a typed error that offers the key file, instead of panicking or
/// silently keeping keys in memory. Where a Secret Service does answer, the store must work.
#[test]
fn keyring_reports_a_missing_secret_service_or_round_trips_a_key() {
    match KeyringStore::open("referral-desk-test") {
        Err(err) => {
            assert!(
                err.is_secret_store_unavailable(),
                "unexpected error kind: {err:?}"
            );
            let text = err.to_string();
            assert!(text.contains("no OS secret store is reachable"), "{text}");
            assert!(
                text.contains("FileKeyStore") && text.contains("0600"),
                "{text}"
            );
            eprintln!("keyring unavailable as expected on a headless box: {text}");
        }
        Ok(store) => {
            eprintln!("a secret store answered: testing a real round trip");
            let key = SigningKey::generate(SigningAlg::Es384).unwrap();
            store.save("smart-auth-test", &key).unwrap();
            assert_eq!(store.load("smart-auth-test").unwrap().kid(), key.kid());
            store.delete("smart-auth-test").unwrap();
            assert!(
                store
                    .load("smart-auth-test")
                    .unwrap_err()
                    .is_key_not_found()
            );
        }
    }
}
