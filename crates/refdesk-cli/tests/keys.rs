//! `refdesk keys list | add | retire | use` through the binary: a new key joins beside the old,
//! organisations keep theirs until moved, retiring a key in use is refused naming them, and
//! nothing printed ever holds a private key.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use common::{json, run, stderr};

#[test]
fn keys_are_listed_added_moved_and_retired_and_a_key_in_use_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old = json(d, &["keys", "init"])["keyId"]
        .as_str()
        .unwrap()
        .to_owned();
    json(
        d,
        &[
            "org",
            "add",
            "--id",
            "north",
            "--name",
            "North Clinic",
            "--base",
            "http://127.0.0.1:9/fhir",
            "--client-id",
            "desk",
        ],
    );
    let listed = json(d, &["keys", "list"]);
    assert_eq!(listed["keys"].as_array().unwrap().len(), 1);
    assert_eq!(listed["keys"][0]["organisations"][0]["id"], "north");

    let added = json(d, &["keys", "add", "--alg", "RS384"]);
    let keys = added["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let new = keys.iter().find(|k| k["active"] == true).unwrap();
    assert_eq!(new["algorithm"], "RS384");
    let new_kid = new["keyId"].as_str().unwrap().to_owned();
    let old_row = keys.iter().find(|k| k["keyId"] == old.as_str()).unwrap();
    assert_eq!(
        old_row["organisations"][0]["id"], "north",
        "north keeps its key"
    );

    let refused = run(d, &["keys", "retire", &old]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("North Clinic"),
        "{}",
        stderr(&refused)
    );

    json(d, &["keys", "use", "north", &new_kid]);
    let after = json(d, &["keys", "retire", &old]);
    let retired = after["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["keyId"] == old.as_str())
        .unwrap()
        .clone();
    assert!(retired["retired"].is_string(), "{after}");
    let jwks = json(d, &["keys", "show-jwks"]);
    let text = jwks["jwksJson"].as_str().unwrap();
    assert!(!text.contains(&old) && text.contains(&new_kid), "{text}");

    let plain = run(d, &["keys", "list"]);
    let out = String::from_utf8_lossy(&plain.stdout);
    assert!(out.contains(&new_kid) && out.contains("retired"), "{out}");
    assert!(!out.contains("PRIVATE KEY"));
}
