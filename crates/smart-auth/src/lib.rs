//! SMART Backend Services client: key pairs, JWKS, discovery, client assertions, token cache.
