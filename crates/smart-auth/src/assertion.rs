//! The client assertion: a JWT signed with the app's key, exactly as SMART Backend Services says.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::Header;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::AuthError;
use crate::key::SigningKey;

/// How long an assertion is valid. The spec allows at most 5 minutes; 4 leaves room for clock
/// skew between this machine and the authorization server.
pub const ASSERTION_LIFETIME: Duration = Duration::from_secs(240);

/// Seconds since the Unix epoch, as JWT `NumericDate` wants them (0 for times before 1970).
fn unix_seconds(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// `client_assertion_type` for a JWT bearer client assertion (RFC 7523).
pub const CLIENT_ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// The claims of a client assertion. `iss` and `sub` are both the client_id; `aud` is the exact
/// token endpoint URL the assertion is posted to; `jti` is a fresh UUIDv4 every time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssertionClaims {
    pub iss: String,
    pub sub: String,
    pub aud: String,
    pub exp: u64,
    pub iat: u64,
    pub jti: String,
}

impl AssertionClaims {
    /// The claims for one token request made at `now`.
    pub fn new(client_id: &str, token_endpoint: &Url, now: SystemTime) -> Self {
        let iat = unix_seconds(now);
        Self {
            iss: client_id.to_owned(),
            sub: client_id.to_owned(),
            aud: token_endpoint.as_str().to_owned(),
            exp: iat + ASSERTION_LIFETIME.as_secs(),
            iat,
            jti: uuid::Uuid::new_v4().to_string(),
        }
    }
}

/// Signs a client assertion: header `alg` (ES384/RS384 from the key), `kid` (the key's RFC 7638
/// thumbprint), `typ` = `JWT`, and `jku` when the client registered its JWKS by URL.
pub fn sign_assertion(
    key: &SigningKey,
    claims: &AssertionClaims,
    jku: Option<&Url>,
) -> Result<String, AuthError> {
    let mut header = Header::new(key.alg().jwt_algorithm());
    header.typ = Some("JWT".to_owned());
    header.kid = Some(key.kid().to_owned());
    header.jku = jku.map(|u| u.as_str().to_owned());
    jsonwebtoken::encode(&header, claims, key.encoding_key()).map_err(|e| AuthError::Signing {
        reason: e.to_string(),
    })
}

/// Builds and signs a fresh assertion for one token request.
pub fn client_assertion(
    key: &SigningKey,
    client_id: &str,
    token_endpoint: &Url,
    jku: Option<&Url>,
    now: SystemTime,
) -> Result<String, AuthError> {
    sign_assertion(
        key,
        &AssertionClaims::new(client_id, token_endpoint, now),
        jku,
    )
}
