//! Optional test peers: the IG files in `../shared` (`REFDESK_SHARED`) and the Python venv with
//! PyJWT and sekmet-fhir (`REFDESK_PYTHON`). A test that needs one and does not find it prints a
//! skip notice and passes on a developer's machine, but fails when `CI` is set, so a green CI run
//! means those tests ran.
//!
//! The crates below the cross-crate tests (fhir-model, sched-client, smart-auth, sched-sandbox)
//! cannot depend on this test crate, so their tests include this file with
//! `#[path = "<...>/tests/support/peer.rs"] mod peer;`. It holds one function and no imports,
//! so it compiles cleanly wherever it is included.

/// `found` when the peer is there. When it is absent (`None`): under `CI` a panic naming `what`
/// is missing and `setup`, how to provide it; elsewhere a skip notice on stderr and `None`, and
/// the caller returns without asserting.
pub fn or_skip<T>(found: Option<T>, what: &str, setup: &str) -> Option<T> {
    if found.is_some() {
        return found;
    }
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{what} is missing and CI is set, so this test may not skip: {setup}"
    );
    eprintln!("SKIPPED: {what} is missing ({setup})");
    None
}
