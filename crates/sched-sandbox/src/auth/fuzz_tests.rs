//! Property tests of the authorization server's request readers: the token request form, the
//! client assertion (a compact JWS whose header and claims are damaged JSON), the requested
//! scopes, and the client's registered JWK Set with the signature check. Any input gives a
//! value or a `TokenError`, never a panic or a hang.
#![allow(clippy::unwrap_used, reason = "tests")]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use fuzz_support::{bounded, bytes, config, json, mutated, templates};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::assertion::parse;
use super::jwks::{Alg, key_list, select_key, verify};
use super::scope::ScopeSet;
use super::token::form_fields;

const TOKEN_URL: &str = "http://127.0.0.1:1/auth/token";

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(2_000_000_000, 0).unwrap()
}

/// Everything the token endpoint does with an assertion before and after fetching the JWKS.
fn authenticate(jwt: &str, jwks: &Value) {
    let Ok(assertion) = parse(jwt) else {
        return;
    };
    let _ = assertion.client_id();
    let _ = assertion.check_claims(TOKEN_URL, now());
    if let Ok(keys) = key_list(jwks)
        && let Ok(key) = select_key(&keys, &assertion.kid, assertion.alg)
    {
        let _ = verify(
            key,
            assertion.alg,
            assertion.signing_input.as_bytes(),
            &assertion.signature,
        );
    }
}

fn header() -> Value {
    json!({"alg": "ES384", "kid": "k1", "typ": "JWT", "jku": "http://127.0.0.1:1/jwks"})
}

fn claims() -> Value {
    json!({"iss": "c", "sub": "c", "aud": TOKEN_URL, "exp": 2_000_000_100i64,
        "iat": 2_000_000_000i64, "nbf": 1_999_999_000i64, "jti": "j1"})
}

fn b64(v: &Value) -> String {
    URL_SAFE_NO_PAD.encode(v.to_string())
}

/// A compact JWS of damaged header and claims with an arbitrary signature, or plain junk.
fn jwt() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            mutated(header()),
            mutated(claims()),
            prop::collection::vec(any::<u8>(), 0..120)
        )
            .prop_map(|(h, c, sig)| format!(
                "{}.{}.{}",
                b64(&h),
                b64(&c),
                URL_SAFE_NO_PAD.encode(sig)
            )),
        (json(), json()).prop_map(|(h, c)| format!("{}.{}.c2ln", b64(&h), b64(&c))),
        "[A-Za-z0-9_.=+/-]{0,120}",
        ".{0,80}",
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_client_assertion_and_jwks_is_verified_or_refused(
        token in jwt(),
        jwks in prop_oneof![mutated(templates::jwks()), json()],
    ) {
        bounded(|| authenticate(&token, &jwks))?;
    }

    #[test]
    fn any_registered_key_is_used_or_refused(
        key in mutated(json!({"kty": "EC", "crv": "P-384", "kid": "k1",
            "x": URL_SAFE_NO_PAD.encode([7u8; 48]), "y": URL_SAFE_NO_PAD.encode([9u8; 48])})),
        rsa in mutated(templates::jwks()),
        sig in prop::collection::vec(any::<u8>(), 0..600),
    ) {
        bounded(|| {
            let _ = verify(&key, Alg::Es384, b"a.b", &sig);
            for k in key_list(&rsa).unwrap_or_default() {
                let _ = verify(&k, Alg::Rs384, b"a.b", &sig);
                let _ = verify(&k, Alg::Es384, b"a.b", &sig);
            }
        })?;
    }

    #[test]
    fn any_token_request_form_and_scope_is_read_or_refused(
        form in prop_oneof![
            bytes(json!("grant_type=client_credentials&scope=system%2F*.read&client_assertion=a.b.c")),
            "[a-z_=&%0-9A-F.*/ +]{0,120}".prop_map(String::into_bytes),
        ],
        scope in prop_oneof![".{0,60}", "(system|user|patient)/[A-Za-z*]{0,12}\\.[a-z*?=]{0,8}( [ -~]{0,20})?"],
    ) {
        bounded(|| {
            if let Ok(fields) = form_fields(&form)
                && let Some(s) = fields.get("scope")
            {
                let _ = ScopeSet::parse(s);
            }
            if let Ok(set) = ScopeSet::parse(&scope) {
                let _ = set.uncovered(&set).len();
                for s in set.iter() {
                    let _ = s.v2_letters();
                }
            }
        })?;
    }
}
