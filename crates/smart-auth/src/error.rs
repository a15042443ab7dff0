//! The one error type of smart-auth: what went wrong, named for the caller, with predicates.

use std::path::PathBuf;
use std::sync::Arc;

/// Everything that can fail while managing keys or obtaining a SMART Backend Services token.
///
/// No variant ever carries a private key, an assertion or an access token, so an error can be
/// logged or shown as it is. It is `Clone` (sources are shared) so that one failed token
/// request can be reported to every caller that was waiting for it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The URL is not `https` and its host is not a loopback address.
    #[error("refusing {url}: SMART Backend Services requires https (plain http only on loopback)")]
    InsecureUrl { url: String },

    /// The text is not a usable absolute URL.
    #[error("invalid URL {url:?}: {reason}")]
    InvalidUrl { url: String, reason: String },

    /// The HTTP client could not be built (TLS backend initialisation failed).
    #[error("cannot set up the HTTP client: {reason}")]
    HttpClientSetup { reason: String },

    /// The server could not be reached, or it did not answer in time.
    #[error("cannot reach {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: Arc<reqwest::Error>,
    },

    /// The server answered with a status this protocol step does not expect.
    #[error("{url} answered HTTP {status}: {excerpt}")]
    UnexpectedStatus {
        url: String,
        status: u16,
        excerpt: String,
    },

    /// The server answered, but not with what the protocol says it must contain.
    #[error("malformed answer from {url}: {reason}")]
    MalformedResponse { url: String, reason: String },

    /// Neither `.well-known/smart-configuration` nor the CapabilityStatement names a token endpoint.
    #[error("no SMART token endpoint found for {base}: {reason}")]
    DiscoveryFailed { base: String, reason: String },

    /// The server says it cannot accept what this client sends (auth method or algorithm).
    #[error("the authorization server of {base} does not support {what}")]
    IncompatibleServer { base: String, what: String },

    /// The token endpoint refused the request with an OAuth 2.0 error (RFC 6749 §5.2).
    #[error("token request refused ({error}){}", fmt_description(.description))]
    TokenRejected {
        status: u16,
        error: String,
        description: Option<String>,
    },

    /// The token endpoint issued a token of a type other than `bearer`.
    #[error("token endpoint issued a {token_type:?} token; only bearer tokens are supported")]
    UnsupportedTokenType { token_type: String },

    /// Key generation, parsing or signing failed.
    #[error("key error: {reason}")]
    InvalidKey { reason: String },

    /// Signing the client assertion failed.
    #[error("cannot sign the client assertion: {reason}")]
    Signing { reason: String },

    /// No OS secret store (Secret Service, Keychain, Credential Manager) can be reached.
    #[error(
        "no OS secret store is reachable ({reason}); keys cannot be kept in the keyring on this \
         machine. Opt in explicitly to a key file readable only by you (FileKeyStore, mode 0600) \
         if that is acceptable here"
    )]
    SecretStoreUnavailable { reason: String },

    /// The secret store answered with an error other than "unreachable".
    #[error("secret store error: {reason}")]
    SecretStore { reason: String },

    /// No key is stored under this name.
    #[error("no key stored under {name:?}")]
    KeyNotFound { name: String },

    /// The key name cannot be used as a store entry (empty, path separators, ...).
    #[error("invalid key name {name:?}: use letters, digits, '.', '-' or '_'")]
    InvalidKeyName { name: String },

    /// The key file can be read by other users, so it is not trusted.
    #[error(
        "refusing key file {path:?}: mode {mode:o} lets other users read it; run `chmod 600` on it"
    )]
    InsecureKeyFile { path: PathBuf, mode: u32 },

    /// Reading or writing a key file failed.
    #[error("key file {path:?}: {source}")]
    KeyFile {
        path: PathBuf,
        #[source]
        source: Arc<std::io::Error>,
    },

    /// No key in the key set has this id.
    #[error("there is no key {kid} in the key set")]
    UnknownKid { kid: String },

    /// The key was retired: its private part is gone and it signs nothing any more.
    #[error("key {kid} is retired and can no longer sign")]
    KeyRetired { kid: String },

    /// Retiring this key would leave the app with no key to sign with.
    #[error("key {kid} is the only key left; add another key before retiring it")]
    LastKey { kid: String },
}

fn fmt_description(description: &Option<String>) -> String {
    description
        .as_ref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

impl AuthError {
    /// The token endpoint refused the request (any OAuth error code).
    pub fn is_token_rejected(&self) -> bool {
        matches!(self, Self::TokenRejected { .. })
    }

    /// The OAuth `error` code when the token endpoint refused the request.
    pub fn oauth_error(&self) -> Option<&str> {
        match self {
            Self::TokenRejected { error, .. } => Some(error),
            _ => None,
        }
    }

    /// The server does not accept this client's credentials (unknown client, bad key or
    /// signature): re-registering the JWKS is the fix, retrying is not.
    pub fn is_invalid_client(&self) -> bool {
        self.oauth_error() == Some("invalid_client")
    }

    /// The requested scopes are not granted to this client.
    pub fn is_invalid_scope(&self) -> bool {
        self.oauth_error() == Some("invalid_scope")
    }

    /// Trying again later may succeed (network trouble, 5xx, 429); key or protocol errors will not.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Unreachable { .. } => true,
            Self::UnexpectedStatus { status, .. } => *status >= 500 || *status == 429,
            Self::TokenRejected { status, error, .. } => {
                *status >= 500 || error == "temporarily_unavailable"
            }
            _ => false,
        }
    }

    /// The URL was refused because it is neither https nor loopback.
    pub fn is_insecure_url(&self) -> bool {
        matches!(self, Self::InsecureUrl { .. })
    }

    /// No OS secret store can be reached: offer the opt-in key file.
    pub fn is_secret_store_unavailable(&self) -> bool {
        matches!(self, Self::SecretStoreUnavailable { .. })
    }

    /// No key is stored under the requested name.
    pub fn is_key_not_found(&self) -> bool {
        matches!(self, Self::KeyNotFound { .. })
    }

    /// The key id names no key in the key set.
    pub fn is_unknown_kid(&self) -> bool {
        matches!(self, Self::UnknownKid { .. })
    }

    /// The key was retired.
    pub fn is_key_retired(&self) -> bool {
        matches!(self, Self::KeyRetired { .. })
    }
}
