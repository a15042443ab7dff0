//! Property tests of every reader of what an authorization server sends: the
//! smart-configuration document, the CapabilityStatement's oauth-uris, the token response
//! (success and OAuth error) and a JWK Set. Any bytes, any JSON, or a real document with nodes
//! replaced by the wrong type must give a value or an error, never a panic or a hang.

use std::time::{Duration, SystemTime};

use fuzz_support::{bounded, bytes, config, json, mutated, templates};
use proptest::prelude::*;
use serde_json::Value;
use url::Url;

use crate::discovery::{base_dir, from_capability_statement, from_well_known};
use crate::jwks::{JwkSet, thumbprint_ec, thumbprint_rsa};
use crate::key::SigningAlg;
use crate::token::{parse_failure, parse_success};

const URL: &str = "https://auth.example.org/token";

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(2_000_000_000)
}

/// Discovery's two readers on one parsed document.
fn discover(doc: Value) {
    let Ok(base) = Url::parse("https://fhir.example.org/r/fhir") else {
        return;
    };
    let dir = base_dir(&base);
    if let Ok(config) = from_well_known(&base, &dir, doc.clone()) {
        let _ = (config.supports_private_key_jwt(), config.usable_algs());
        for alg in [SigningAlg::Es384, SigningAlg::Rs384] {
            let _ = (config.supports_alg(alg), config.ensure_usable(alg));
        }
    }
    let _ = from_capability_statement(&base, &dir, &doc);
}

/// Every reader of an authorization server's body, on one body.
fn read_everything(body: &[u8]) {
    if let Ok(token) = parse_success(URL, body, now()) {
        let _ = (token.secret().len(), format!("{token:?}"));
    }
    let _ = parse_failure(URL, 400, body).to_string();
    if let Ok(set) = serde_json::from_slice::<JwkSet>(body) {
        for k in &set.keys {
            let _ = set.find(&k.kid);
            if let (Some(crv), Some(x), Some(y)) = (&k.crv, &k.x, &k.y) {
                let _ = thumbprint_ec(crv, x, y);
            }
            if let (Some(n), Some(e)) = (&k.n, &k.e) {
                let _ = thumbprint_rsa(n, e);
            }
        }
        let _ = set.to_json_pretty();
    }
    if let Ok(doc) = serde_json::from_slice::<Value>(body) {
        discover(doc);
    }
}

fn damaged() -> impl Strategy<Value = Value> {
    prop_oneof![
        mutated(templates::smart_configuration()),
        mutated(templates::capability_statement()),
        mutated(templates::token_response()),
        mutated(templates::oauth_error()),
        mutated(templates::jwks()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_read_or_refused(body in prop_oneof![
        bytes(templates::token_response()),
        bytes(templates::smart_configuration()),
        bytes(templates::jwks()),
    ]) {
        bounded(|| read_everything(&body))?;
    }

    #[test]
    fn any_json_is_read_or_refused(value in json()) {
        bounded(|| read_everything(value.to_string().as_bytes()))?;
    }

    #[test]
    fn documents_with_wrong_fields_are_read_or_refused(value in damaged()) {
        bounded(|| read_everything(value.to_string().as_bytes()))?;
    }
}
