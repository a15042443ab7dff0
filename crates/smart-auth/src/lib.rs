//! SMART Backend Services client: key pairs, JWKS, discovery, client assertions, token cache.
//!
//! Layer 1: knows OAuth 2.0 and SMART, nothing about FHIR resources. The layers above hold an
//! `Arc<dyn TokenProvider>` per organisation and ask it for a bearer token.
#![cfg_attr(test, allow(clippy::unwrap_used, reason = "tests"))]

mod assertion;
mod client;
mod discovery;
mod error;
#[cfg(test)]
mod fuzz_tests;
mod jwks;
mod key;
mod keyset;
mod keystore;
mod net;
mod provider;
mod token;

pub use assertion::{
    ASSERTION_LIFETIME, AssertionClaims, CLIENT_ASSERTION_TYPE, client_assertion, sign_assertion,
};
pub use client::{AuthClient, AuthClientBuilder, DEFAULT_TIMEOUT, REFRESH_MARGIN};
pub use discovery::{Advertised, DiscoverySource, OAUTH_URIS_EXTENSION, SmartConfiguration};
pub use error::AuthError;
pub use jwks::{Jwk, JwkSet, thumbprint_ec, thumbprint_rsa};
pub use key::{PrivateKeyPem, RsaBits, SigningAlg, SigningKey};
pub use keyset::{KEYSET_INDEX_NAME, KeyInfo, KeySet};
pub use keystore::{
    DEFAULT_KEYRING_SERVICE, FileKeyStore, KeyStore, KeyringStore, MemoryKeyStore, Secret,
};
pub use net::{parse_secure_url, require_secure};
pub use provider::{BackendTokens, TokenProvider};
pub use token::{AccessToken, Registration};

/// The one clock of Referral Desk (`referral-model`): tokens expire and assertions carry
/// `exp`/`iat` by whichever clock the caller injects.
pub use referral_model::{Clock, ManualClock, SystemClock};
