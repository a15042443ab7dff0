//! `Authorizer`: where the client gets bearer tokens. The application implements it with
//! smart-auth's token cache; this crate stays independent of how tokens are made.

use std::error::Error as StdError;
use std::fmt;

use futures::future::BoxFuture;
use thiserror::Error;

/// Any error an authorizer wraps.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// A source of bearer tokens for one organisation.
pub trait Authorizer: Send + Sync + fmt::Debug {
    /// The value for `Authorization: Bearer ...`. The client passes `force_refresh = true`
    /// once, after the FHIR server answered 401 to the previous token.
    fn bearer(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>>;
}

/// Why no token could be had.
#[derive(Debug, Error)]
pub enum AuthorizerError {
    /// The authorization server refused the app (OAuth `error` such as `invalid_client`).
    #[error("token request refused: {error}")]
    Rejected {
        error: String,
        description: Option<String>,
    },
    /// The authorization server could not be reached or failed temporarily; worth retrying.
    #[error("the authorization server is unavailable")]
    Unavailable(#[source] BoxError),
    /// Anything else (no key, bad configuration).
    #[error("no token could be obtained")]
    Failed(#[source] BoxError),
}

impl AuthorizerError {
    /// Whether asking again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, Self::Unavailable(_))
    }
}

/// A fixed token (tests, or servers configured with a static bearer). `Debug` hides it.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl Authorizer for StaticToken {
    fn bearer(&self, _force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}
