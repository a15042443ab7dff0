//! Signed access tokens for an external resource server: when an organisation names a
//! `resource_server`, its token endpoint issues ES384 JWTs (RFC 9068 shape: `iss`, `aud`,
//! `sub`, `scope`, `iat`, `exp`, `jti`) that a server such as helios-hfs verifies against
//! `GET [org]/auth/jwks` (RFC 7517). The key pair is generated when the organisation starts and
//! never leaves the process; only its public half is published.

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::AuthState;

/// The JOSE algorithm of issued tokens (helios-hfs accepts RS256, RS384, ES256 and ES384).
pub const TOKEN_ALG: &str = "ES384";
/// Length in bytes of one P-384 coordinate.
const COORD: usize = 48;

/// The organisation's token-signing key: a P-384 key pair and its RFC 7638 thumbprint as `kid`.
pub(crate) struct Signer {
    pair: EcdsaKeyPair,
    kid: String,
    x: String,
    y: String,
}

impl std::fmt::Debug for Signer {
    /// Shows the key id only: the private key never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer").field("kid", &self.kid).finish()
    }
}

/// What one access token says.
pub(crate) struct AccessClaims<'a> {
    pub issuer: &'a str,
    pub audience: &'a str,
    pub client_id: &'a str,
    pub scope: &'a str,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Signer {
    /// A fresh key pair; `None` only if the system's random source fails.
    pub(crate) fn generate() -> Option<Self> {
        let pair = EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING).ok()?;
        // The public key is the uncompressed point 0x04 || x || y.
        let point = pair.public_key().as_ref();
        if point.len() != 1 + 2 * COORD || point.first() != Some(&4) {
            return None;
        }
        let x = URL_SAFE_NO_PAD.encode(&point[1..=COORD]);
        let y = URL_SAFE_NO_PAD.encode(&point[1 + COORD..]);
        // RFC 7638: the required members in lexicographic order, no whitespace.
        let canonical = format!(r#"{{"crv":"P-384","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid = URL_SAFE_NO_PAD.encode(digest(&SHA256, canonical.as_bytes()));
        Some(Self { pair, kid, x, y })
    }

    /// The key id carried in every token header and in the JWKS.
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// The public key as a JWK Set.
    pub(crate) fn jwks(&self) -> Value {
        json!({"keys": [{
            "kty": "EC", "crv": "P-384", "x": self.x, "y": self.y,
            "kid": self.kid, "alg": TOKEN_ALG, "use": "sig", "key_ops": ["verify"],
        }]})
    }

    /// A compact JWS of `claims` plus a fresh `jti`; `None` if signing fails.
    pub(crate) fn sign(&self, claims: &AccessClaims<'_>) -> Option<String> {
        let header = json!({"alg": TOKEN_ALG, "typ": "at+jwt", "kid": self.kid});
        let body = json!({
            "iss": claims.issuer,
            "aud": claims.audience,
            "sub": claims.client_id,
            "client_id": claims.client_id,
            "scope": claims.scope,
            "iat": claims.issued_at.timestamp(),
            "exp": claims.expires_at.timestamp(),
            "jti": uuid::Uuid::new_v4().to_string(),
        });
        let input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(body.to_string())
        );
        let signature = self
            .pair
            .sign(&SystemRandom::new(), input.as_bytes())
            .ok()?;
        Some(format!(
            "{input}.{}",
            URL_SAFE_NO_PAD.encode(signature.as_ref())
        ))
    }
}

/// `GET [org]/auth/jwks`: the public signing key (an empty set if none could be made).
pub(crate) async fn jwks(State(state): State<AuthState>) -> Response {
    let body = state
        .inner
        .signer
        .as_ref()
        .map_or_else(|| json!({"keys": []}), Signer::jwks);
    let mut response = Json(body).into_response();
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/jwk-set+json"),
    );
    response
}
