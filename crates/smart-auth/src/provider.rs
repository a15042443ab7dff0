//! "Give me a bearer token for organisation X": the small interface the layers above use.

use std::sync::Arc;

use futures::future::BoxFuture;
use url::Url;

use crate::client::AuthClient;
use crate::discovery::SmartConfiguration;
use crate::error::AuthError;
use crate::key::SigningKey;
use crate::token::{AccessToken, Registration};

/// A source of bearer tokens for one organisation. Object-safe, so callers can hold
/// `Arc<dyn TokenProvider>`.
pub trait TokenProvider: Send + Sync + std::fmt::Debug {
    /// A bearer token (the value for `Authorization: Bearer ...`). Pass `force_refresh = true`
    /// once after the FHIR server answered 401 to the previous token.
    fn bearer(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthError>>;
}

/// Tokens for one organisation registration, through a shared [`AuthClient`] cache.
#[derive(Debug, Clone)]
pub struct BackendTokens {
    client: AuthClient,
    registration: Registration,
}

impl BackendTokens {
    pub fn new(client: AuthClient, registration: Registration) -> Self {
        Self {
            client,
            registration,
        }
    }

    /// Discovers the organisation's token endpoint from its FHIR base, checks that the server
    /// does not rule out private_key_jwt or the key's algorithm, and binds the registration.
    pub async fn discover<S: Into<String>>(
        client: AuthClient,
        fhir_base: &Url,
        client_id: impl Into<String>,
        scopes: impl IntoIterator<Item = S>,
        key: Arc<SigningKey>,
    ) -> Result<(Self, SmartConfiguration), AuthError> {
        let config = client.discover(fhir_base).await?;
        config.ensure_usable(key.alg())?;
        let registration =
            Registration::new(config.token_endpoint.clone(), client_id, scopes, key)?;
        Ok((Self::new(client, registration), config))
    }

    pub fn registration(&self) -> &Registration {
        &self.registration
    }

    /// The cached token, or a new one (see [`AuthClient::token`]).
    pub async fn token(&self, force_refresh: bool) -> Result<AccessToken, AuthError> {
        self.client.token(&self.registration, force_refresh).await
    }

    /// Drops the cached token so the next call authenticates again.
    pub fn invalidate(&self) {
        self.client.invalidate(&self.registration);
    }
}

impl TokenProvider for BackendTokens {
    fn bearer(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthError>> {
        Box::pin(async move { Ok(self.token(force_refresh).await?.secret().to_owned()) })
    }
}
