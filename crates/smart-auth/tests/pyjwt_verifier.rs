//! Independent verifier: PyJWT (a different JOSE implementation) checks our JWKS and assertions.
//!
//! Needs `<workspace>/.venv/bin/python` (or `$REFDESK_PYTHON`) with `pyjwt[crypto]`; skips with
//! a notice when it is missing, and fails then under `CI`, where this check must not vanish.
#![allow(clippy::unwrap_used, reason = "tests")]

#[path = "../../../tests/support/peer.rs"]
mod peer;

use std::path::PathBuf;
use std::process::Command;
use std::time::SystemTime;

use smart_auth::{SigningAlg, SigningKey, client_assertion};
use url::Url;

const SETUP: &str = "python3 -m venv .venv && .venv/bin/pip install 'pyjwt[crypto]'";

/// Verifies with PyJWT: picks the JWK by the header kid, checks the signature with the header
/// alg, aud, iss, exp; then typ, sub == iss, exp - iat <= 300, jti, and recomputes the RFC 7638
/// thumbprint of the JWK with hashlib to compare it with kid.
const VERIFY_PY: &str = r#"
import base64, hashlib, json, sys, time
import jwt
jwks_text, token, aud, client_id = sys.argv[1:5]
jwks = json.loads(jwks_text)
header = jwt.get_unverified_header(token)
matches = [k for k in jwks["keys"] if k["kid"] == header["kid"]]
assert len(matches) == 1, "exactly one key must match kid"
jwk = matches[0]
key = jwt.PyJWK.from_dict(jwk).key
claims = jwt.decode(token, key, algorithms=[header["alg"]], audience=aud, issuer=client_id,
                    options={"require": ["exp", "iss", "sub", "aud", "jti"]})
assert header["typ"] == "JWT", header
assert header["alg"] == jwk["alg"], (header, jwk)
assert claims["sub"] == claims["iss"] == client_id
assert 0 < claims["exp"] - int(time.time()) <= 300
assert claims["exp"] - claims["iat"] <= 300
members = {"EC": ("crv", "kty", "x", "y"), "RSA": ("e", "kty", "n")}[jwk["kty"]]
canonical = json.dumps({m: jwk[m] for m in members}, separators=(",", ":"), sort_keys=True)
thumb = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
assert thumb == jwk["kid"] == header["kid"], (thumb, jwk["kid"])
print(json.dumps({"alg": header["alg"], "kid": header["kid"], "jti": claims["jti"]}))
"#;

/// The interpreter with PyJWT, or `None` after the skip notice.
fn python() -> Option<PathBuf> {
    let candidate = std::env::var_os("REFDESK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
        });
    let has_pyjwt = Command::new(&candidate)
        .args(["-c", "import jwt, cryptography"])
        .output()
        .is_ok_and(|out| out.status.success());
    peer::or_skip(
        has_pyjwt.then_some(candidate),
        "a Python with pyjwt[crypto]",
        &format!("at the workspace root run: {SETUP}; or set REFDESK_PYTHON"),
    )
}

fn verify_with_pyjwt(alg: SigningAlg) {
    let Some(python) = python() else {
        return;
    };
    let key = SigningKey::generate(alg).unwrap();
    let token_url = Url::parse("https://ehr.example.org/oauth2/token").unwrap();
    let jwt = client_assertion(&key, "referral-desk", &token_url, None, SystemTime::now()).unwrap();
    let out = Command::new(&python)
        .args([
            "-c",
            VERIFY_PY,
            &key.jwks().to_json_pretty(),
            &jwt,
            token_url.as_str(),
        ])
        .arg("referral-desk")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "PyJWT rejected the {alg} assertion:\n{stderr}"
    );
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["alg"], alg.as_str());
    assert_eq!(result["kid"], key.kid());
}

#[test]
fn pyjwt_verifies_an_es384_assertion_against_the_exported_jwks() {
    verify_with_pyjwt(SigningAlg::Es384);
}

#[test]
fn pyjwt_verifies_an_rs384_assertion_against_the_exported_jwks() {
    verify_with_pyjwt(SigningAlg::Rs384);
}
