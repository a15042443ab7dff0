//! smart-auth's token cache as sched-client's `Authorizer`, bound to the organisation by SMART
//! discovery on first use.

use std::sync::Arc;

use futures::FutureExt;
use futures::future::BoxFuture;
use sched_client::{Authorizer, AuthorizerError};
use smart_auth::{AuthClient, AuthError, BackendTokens, Registration, SigningKey};
use tokio::sync::OnceCell;
use url::Url;

/// Tokens bound to an organisation on first use (discovery needs the network, `connect` not).
#[derive(Debug)]
pub(super) struct LazyTokens {
    pub(super) auth: AuthClient,
    pub(super) base: Url,
    /// The token endpoint when the directory names one (discovery is skipped then).
    pub(super) token_endpoint: Option<String>,
    pub(super) client_id: String,
    pub(super) scopes: Vec<String>,
    pub(super) key: Arc<SigningKey>,
    pub(super) bound: OnceCell<BackendTokens>,
}

impl LazyTokens {
    pub(super) async fn tokens(&self) -> Result<&BackendTokens, AuthError> {
        self.bound
            .get_or_try_init(|| async {
                if let Some(url) = self.configured_endpoint() {
                    let registration = Registration::new(
                        url,
                        self.client_id.clone(),
                        self.scopes.clone(),
                        self.key.clone(),
                    )?;
                    return Ok(BackendTokens::new(self.auth.clone(), registration));
                }
                let (tokens, _) = BackendTokens::discover(
                    self.auth.clone(),
                    &self.base,
                    self.client_id.clone(),
                    self.scopes.clone(),
                    self.key.clone(),
                )
                .await?;
                Ok(tokens)
            })
            .await
    }
}

impl LazyTokens {
    /// The configured token endpoint, if it parses (an unusable one falls back to discovery).
    fn configured_endpoint(&self) -> Option<Url> {
        self.token_endpoint
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
    }
}

impl Authorizer for LazyTokens {
    fn bearer(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, AuthorizerError>> {
        async move {
            let tokens = self.tokens().await.map_err(auth_error)?;
            let token = tokens.token(force_refresh).await.map_err(auth_error)?;
            Ok(token.secret().to_owned())
        }
        .boxed()
    }
}

fn auth_error(e: AuthError) -> AuthorizerError {
    match e {
        AuthError::TokenRejected {
            error, description, ..
        } => AuthorizerError::Rejected { error, description },
        e if e.is_retryable() => AuthorizerError::Unavailable(Box::new(e)),
        e => AuthorizerError::Failed(Box::new(e)),
    }
}
