//! One token request (client_credentials with a signed assertion) and its answer.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Deserialize;
use url::Url;

use crate::assertion::{CLIENT_ASSERTION_TYPE, client_assertion};
use crate::error::AuthError;
use crate::key::SigningKey;
use crate::net::{excerpt, parse_secure_url, require_secure};

/// Lifetime assumed when a server omits `expires_in` (the spec recommends 300 s).
const DEFAULT_EXPIRES_IN: u64 = 300;
/// The longest lifetime believed (one day): a token is refreshed at least that often, and a
/// hostile `expires_in` (e.g. 2^64 - 1) cannot overflow the clock arithmetic. Found by the
/// property tests.
const MAX_EXPIRES_IN: u64 = 24 * 60 * 60;

/// What the organisation registered for this app: where to get tokens, as whom, with which key.
/// Cheap to clone.
#[derive(Debug, Clone)]
pub struct Registration {
    token_endpoint: Url,
    client_id: String,
    scopes: BTreeSet<String>,
    key: Arc<SigningKey>,
    jku: Option<Url>,
}

impl Registration {
    /// A registration; the token endpoint must be https (or http on loopback).
    pub fn new<S: Into<String>>(
        token_endpoint: Url,
        client_id: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
        key: Arc<SigningKey>,
    ) -> Result<Self, AuthError> {
        require_secure(&token_endpoint)?;
        let scopes = scopes
            .into_iter()
            .flat_map(|s| {
                s.into()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .collect();
        Ok(Self {
            token_endpoint,
            client_id: client_id.into(),
            scopes,
            key,
            jku: None,
        })
    }

    /// Adds the `jku` header: the URL the JWKS was registered at (must be https or loopback).
    pub fn with_jku(mut self, jku: &str) -> Result<Self, AuthError> {
        self.jku = Some(parse_secure_url(jku)?);
        Ok(self)
    }

    pub fn token_endpoint(&self) -> &Url {
        &self.token_endpoint
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The requested scopes, sorted and without duplicates.
    pub fn scopes(&self) -> &BTreeSet<String> {
        &self.scopes
    }

    /// The `scope` parameter: the sorted scopes separated by spaces.
    pub fn scope_param(&self) -> String {
        self.scopes
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn key(&self) -> &SigningKey {
        &self.key
    }

    pub fn jku(&self) -> Option<&Url> {
        self.jku.as_ref()
    }
}

/// An access token. `Debug` never shows the token itself.
#[derive(Clone)]
pub struct AccessToken {
    secret: String,
    /// When the server says the token stops working (issue time + `expires_in`).
    pub expires_at: SystemTime,
    /// `expires_in` as the server sent it, capped at a day (or the 300 s default when it sent
    /// none).
    pub expires_in: Duration,
    /// The granted scopes, when the server says (they may differ from those requested).
    pub scope: Option<String>,
}

impl AccessToken {
    /// The token value, for the `Authorization: Bearer` header and nothing else.
    pub fn secret(&self) -> &str {
        &self.secret
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("secret", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
    scope: Option<String>,
}

#[derive(Deserialize)]
struct OAuthError {
    error: String,
    error_description: Option<String>,
}

/// POST [token_endpoint] with a fresh assertion: grant_type=client_credentials, scope,
/// client_assertion_type, client_assertion. No cache: every call is one request.
/// See <https://hl7.org/fhir/smart-app-launch/backend-services.html#obtain-access-token>.
pub(crate) async fn request_token(
    http: &reqwest::Client,
    reg: &Registration,
    now: SystemTime,
) -> Result<AccessToken, AuthError> {
    let url = reg.token_endpoint.as_str();
    let assertion = client_assertion(
        &reg.key,
        &reg.client_id,
        &reg.token_endpoint,
        reg.jku(),
        now,
    )?;
    let scope = reg.scope_param();
    let form = [
        ("grant_type", "client_credentials"),
        ("scope", scope.as_str()),
        ("client_assertion_type", CLIENT_ASSERTION_TYPE),
        ("client_assertion", assertion.as_str()),
    ];
    let unreachable = |source| AuthError::Unreachable {
        url: url.to_owned(),
        source: Arc::new(source),
    };
    let response = http
        .post(reg.token_endpoint.clone())
        .header("Accept", "application/json")
        .form(&form)
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status().as_u16();
    let body = response.bytes().await.map_err(unreachable)?;
    if (200..300).contains(&status) {
        parse_success(url, &body, now)
    } else {
        Err(parse_failure(url, status, &body))
    }
}

pub(crate) fn parse_success(
    url: &str,
    body: &[u8],
    now: SystemTime,
) -> Result<AccessToken, AuthError> {
    let malformed = |reason: &str| AuthError::MalformedResponse {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    // Never echo the body: it holds the token.
    let parsed: TokenResponse = serde_json::from_slice(body)
        .map_err(|_| malformed("token response is not a JSON object"))?;
    let secret = parsed
        .access_token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| malformed("no access_token"))?;
    let token_type = parsed
        .token_type
        .ok_or_else(|| malformed("no token_type"))?;
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(AuthError::UnsupportedTokenType { token_type });
    }
    let seconds = match parsed.expires_in {
        None | Some(serde_json::Value::Null) => DEFAULT_EXPIRES_IN,
        Some(serde_json::Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| malformed("expires_in is not a whole number"))?,
        // Some servers send the number as a string; accept it when it is one.
        Some(serde_json::Value::String(s)) => s
            .trim()
            .parse()
            .map_err(|_| malformed("expires_in is not a number"))?,
        Some(_) => return Err(malformed("expires_in is not a number")),
    };
    let expires_in = Duration::from_secs(seconds.min(MAX_EXPIRES_IN));
    Ok(AccessToken {
        secret,
        expires_at: now + expires_in,
        expires_in,
        scope: parsed.scope,
    })
}

pub(crate) fn parse_failure(url: &str, status: u16, body: &[u8]) -> AuthError {
    match serde_json::from_slice::<OAuthError>(body) {
        Ok(e) => AuthError::TokenRejected {
            status,
            error: e.error,
            description: e.error_description,
        },
        Err(_) => AuthError::UnexpectedStatus {
            url: url.to_owned(),
            status,
            excerpt: excerpt(&String::from_utf8_lossy(body)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000)
    }

    /// Regression (property test `documents_with_wrong_fields_are_read_or_refused`): a huge
    /// `expires_in` overflowed `SystemTime + Duration` and panicked the client.
    #[test]
    fn a_huge_expires_in_is_capped_at_a_day_not_a_panic() {
        let body =
            br#"{"access_token":"t","token_type":"bearer","expires_in":18446744073709551615}"#;
        let token = parse_success("https://a/token", body, at()).unwrap();
        assert_eq!(token.expires_in, Duration::from_secs(86_400));
        assert_eq!(token.expires_at, at() + Duration::from_secs(86_400));
    }

    #[test]
    fn token_type_is_case_insensitive_and_expiry_is_relative_to_now() {
        let body = br#"{"access_token":"t","token_type":"Bearer","expires_in":300,"scope":"system/Slot.rs"}"#;
        let token = parse_success("u", body, at()).unwrap();
        assert_eq!(token.expires_at, at() + Duration::from_secs(300));
        assert_eq!(token.scope.as_deref(), Some("system/Slot.rs"));
        let body = br#"{"access_token":"t","token_type":"mac","expires_in":"60"}"#;
        assert!(matches!(
            parse_success("u", body, at()),
            Err(AuthError::UnsupportedTokenType { .. })
        ));
    }

    #[test]
    fn missing_token_is_malformed_and_does_not_echo_the_body() {
        let err =
            parse_success("u", br#"{"token_type":"bearer","secret":"s3cr3t"}"#, at()).unwrap_err();
        assert!(matches!(err, AuthError::MalformedResponse { .. }));
        assert!(!err.to_string().contains("s3cr3t"));
    }

    #[test]
    fn oauth_error_body_becomes_token_rejected() {
        let err = parse_failure(
            "u",
            401,
            br#"{"error":"invalid_client","error_description":"unknown kid"}"#,
        );
        assert!(err.is_invalid_client() && err.is_token_rejected() && !err.is_retryable());
        assert!(err.to_string().contains("unknown kid"));
        let err = parse_failure("u", 502, b"<html>bad gateway</html>");
        assert!(
            matches!(err, AuthError::UnexpectedStatus { status: 502, .. }) && err.is_retryable()
        );
    }
}
