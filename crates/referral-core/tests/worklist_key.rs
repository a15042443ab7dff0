//! The worklist's database key: generated on first start beside the app key, the same file
//! opened again with it, an older plaintext worklist encrypted on first start, and a lost key
//! reported as unreadable data rather than replaced by an empty worklist.
#![allow(clippy::unwrap_used, reason = "tests")]

use std::path::Path;

use referral_core::app::DB_FILE;
use referral_core::worklist_key::WORKLIST_KEY_NAME;
use referral_core::{App, AppBuilder, CoreError, KeyStorage};
use referral_store::cipher::{FileKind, file_kind};
use referral_store::{NewOrganisation, OrganisationId, Store};

fn open(dir: &Path) -> Result<App, CoreError> {
    AppBuilder::open(dir, None)?
        .key_storage(&KeyStorage::File(dir.join("keys")))?
        .build()
}

fn org(slug: &str) -> NewOrganisation {
    NewOrganisation {
        id: OrganisationId::new(slug).unwrap(),
        display_name: format!("{slug} clinic"),
        fhir_base_url: format!("https://{slug}.example.org/fhir"),
        client_id: "desk".into(),
        key_ref: "k".into(),
        scopes: vec![],
        token_endpoint: None,
        enabled: true,
        is_sandbox: false,
    }
}

#[test]
fn first_start_encrypts_the_worklist_with_a_key_kept_beside_the_app_key() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).unwrap();
    app.store().add_organisation(&org("north")).unwrap();
    drop(app);
    assert_eq!(
        file_kind(&dir.path().join(DB_FILE)).unwrap(),
        FileKind::Encrypted
    );
    let key_file = dir
        .path()
        .join("keys")
        .join(format!("{WORKLIST_KEY_NAME}.secret"));
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap().trim().len(),
        64,
        "256 bits, hex"
    );

    let again = open(dir.path()).unwrap();
    assert_eq!(
        again.store().organisations().unwrap().len(),
        1,
        "same key, same data"
    );
}

#[test]
fn a_plaintext_worklist_from_an_older_version_is_encrypted_on_first_start() {
    let dir = tempfile::tempdir().unwrap();
    let plain = Store::open(dir.path().join(DB_FILE)).unwrap();
    plain.add_organisation(&org("north")).unwrap();
    drop(plain);

    let app = open(dir.path()).unwrap();
    assert_eq!(app.store().organisations().unwrap().len(), 1);
    assert_eq!(
        file_kind(&dir.path().join(DB_FILE)).unwrap(),
        FileKind::Encrypted
    );
}

#[test]
fn a_lost_key_is_reported_and_the_worklist_is_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).unwrap();
    app.store().add_organisation(&org("north")).unwrap();
    drop(app);
    let db = dir.path().join(DB_FILE);
    let size = std::fs::metadata(&db).unwrap().len();
    std::fs::remove_file(
        dir.path()
            .join("keys")
            .join(format!("{WORKLIST_KEY_NAME}.secret")),
    )
    .unwrap();

    let err = open(dir.path()).unwrap_err();
    assert!(
        err.to_string()
            .contains("the worklist is encrypted and its key is missing: it cannot be read"),
        "{err}"
    );
    assert_eq!(std::fs::metadata(&db).unwrap().len(), size, "not replaced");
    assert!(
        !dir.path()
            .join("keys")
            .join(format!("{WORKLIST_KEY_NAME}.secret"))
            .exists(),
        "no new key was made for the old file"
    );
}
