//! The app's signing key: in-process generation (ES384, RS384), PKCS#8 PEM import/export, JWK.

use std::fmt;

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::KeySize;
use aws_lc_rs::signature::{
    ECDSA_P384_SHA384_FIXED_SIGNING, EcdsaKeyPair, KeyPair as _, RsaKeyPair,
};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{Algorithm, EncodingKey};

use crate::error::AuthError;
use crate::jwks::{Jwk, JwkSet};

/// The JWS algorithms SMART Backend Services requires clients to support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SigningAlg {
    /// ECDSA on P-384 with SHA-384: small keys and signatures, fast to generate. The default.
    #[default]
    Es384,
    /// RSASSA-PKCS1-v1_5 with SHA-384, for servers that accept only RSA.
    Rs384,
}

impl SigningAlg {
    /// The JOSE name (`ES384`, `RS384`), as used in `alg` and in discovery documents.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Es384 => "ES384",
            Self::Rs384 => "RS384",
        }
    }

    /// Reads the JOSE name (`ES384`, `RS384`, any case); anything else is `None`.
    pub fn parse(name: &str) -> Option<Self> {
        match name.to_ascii_uppercase().as_str() {
            "ES384" => Some(Self::Es384),
            "RS384" => Some(Self::Rs384),
            _ => None,
        }
    }

    pub(crate) fn jwt_algorithm(self) -> Algorithm {
        match self {
            Self::Es384 => Algorithm::ES384,
            Self::Rs384 => Algorithm::RS384,
        }
    }
}

impl fmt::Display for SigningAlg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// RSA modulus sizes offered for RS384 keys.
///
/// 3072 bits is the default: it gives ~128-bit security (NIST SP 800-57), matching SHA-384 and
/// P-384, and stays acceptable past 2030, when 2048-bit keys (~112-bit) are due to be retired.
/// 2048 is offered only for servers that cannot handle larger keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RsaBits {
    B2048,
    #[default]
    B3072,
}

/// A private signing key with its public JWK. Never printed: `Debug` shows only alg and kid.
#[derive(Clone)]
pub struct SigningKey {
    alg: SigningAlg,
    pkcs8_der: Vec<u8>,
    encoding: EncodingKey,
    jwk: Jwk,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("alg", &self.alg)
            .field("kid", &self.jwk.kid)
            .field("private_key", &"<redacted>")
            .finish()
    }
}

/// PKCS#8 PEM text of a private key. `Debug` is redacted; read it only to store it.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyPem(String);

impl PrivateKeyPem {
    /// Wraps PEM text read from a store.
    pub fn new(pem: String) -> Self {
        Self(pem)
    }

    /// The PEM text itself, for writing into a key store.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PrivateKeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PrivateKeyPem(<redacted>)")
    }
}

const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

impl SigningKey {
    /// Generates a fresh key pair in-process (RS384 keys are 3072-bit; see [`RsaBits`]).
    pub fn generate(alg: SigningAlg) -> Result<Self, AuthError> {
        match alg {
            SigningAlg::Es384 => {
                let pair = EcdsaKeyPair::generate(&ECDSA_P384_SHA384_FIXED_SIGNING)
                    .map_err(|_| invalid("P-384 key generation failed"))?;
                let doc = pair
                    .to_pkcs8v1()
                    .map_err(|_| invalid("PKCS#8 export failed"))?;
                Self::from_pkcs8_der(doc.as_ref())
            }
            SigningAlg::Rs384 => Self::generate_rsa(RsaBits::default()),
        }
    }

    /// Generates an RS384 key pair with the given modulus size.
    pub fn generate_rsa(bits: RsaBits) -> Result<Self, AuthError> {
        let size = match bits {
            RsaBits::B2048 => KeySize::Rsa2048,
            RsaBits::B3072 => KeySize::Rsa3072,
        };
        let pair = RsaKeyPair::generate(size).map_err(|_| invalid("RSA key generation failed"))?;
        let der = pair.as_der().map_err(|_| invalid("PKCS#8 export failed"))?;
        Self::from_pkcs8_der(der.as_ref())
    }

    /// Reads a PKCS#8 DER private key; the algorithm (P-384 or RSA) is taken from the key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, AuthError> {
        if let Ok(pair) = EcdsaKeyPair::from_pkcs8(&ECDSA_P384_SHA384_FIXED_SIGNING, der) {
            // An uncompressed SEC1 point: 0x04 || X || Y, 48 bytes each for P-384.
            let point = pair.public_key().as_ref();
            let (x, y) = match point {
                [0x04, rest @ ..] if rest.len() == 96 => rest.split_at(48),
                _ => return Err(invalid("unexpected P-384 public key encoding")),
            };
            return Ok(Self {
                alg: SigningAlg::Es384,
                pkcs8_der: der.to_vec(),
                encoding: EncodingKey::from_ec_der(der),
                jwk: Jwk::ec_p384(x, y),
            });
        }
        let pair = RsaKeyPair::from_pkcs8(der)
            .map_err(|e| invalid(&format!("not a PKCS#8 P-384 or RSA private key ({e})")))?;
        if pair.public_modulus_len() < 256 {
            return Err(invalid("RSA keys shorter than 2048 bits are refused"));
        }
        let public = pair.public_key();
        let jwk = Jwk::rsa(
            public.modulus().big_endian_without_leading_zero(),
            public.exponent().big_endian_without_leading_zero(),
        );
        // jsonwebtoken's aws-lc backend signs RSA from PKCS#1; its PEM reader unwraps PKCS#8.
        let encoding = EncodingKey::from_rsa_pem(pem_encode(der).as_bytes())
            .map_err(|e| invalid(&format!("RSA key not usable for signing ({e})")))?;
        Ok(Self {
            alg: SigningAlg::Rs384,
            pkcs8_der: der.to_vec(),
            encoding,
            jwk,
        })
    }

    /// Reads a `-----BEGIN PRIVATE KEY-----` (unencrypted PKCS#8) PEM document.
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, AuthError> {
        let body = pem
            .trim()
            .strip_prefix(PEM_BEGIN)
            .and_then(|rest| rest.strip_suffix(PEM_END))
            .ok_or_else(|| {
                invalid("expected an unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)")
            })?;
        let compact: String = body.chars().filter(|c| !c.is_ascii_whitespace()).collect();
        let der = STANDARD
            .decode(compact)
            .map_err(|_| invalid("PEM body is not base64"))?;
        Self::from_pkcs8_der(&der)
    }

    /// The private key as PKCS#8 PEM, for a key store.
    pub fn to_pkcs8_pem(&self) -> PrivateKeyPem {
        PrivateKeyPem(pem_encode(&self.pkcs8_der))
    }

    /// The signing algorithm this key is for.
    pub fn alg(&self) -> SigningAlg {
        self.alg
    }

    /// The key id: the RFC 7638 SHA-256 thumbprint of the public key, base64url.
    pub fn kid(&self) -> &str {
        &self.jwk.kid
    }

    /// The public key as a JWK (kty, crv/x/y or n/e, kid, alg, use "sig", key_ops ["verify"]).
    pub fn public_jwk(&self) -> &Jwk {
        &self.jwk
    }

    /// The public JWK Set holding this key only, for the organisation's admin to register.
    pub fn jwks(&self) -> JwkSet {
        JwkSet {
            keys: vec![self.jwk.clone()],
        }
    }

    pub(crate) fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }
}

fn pem_encode(der: &[u8]) -> String {
    let b64 = STANDARD.encode(der);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 64);
    out.push_str(PEM_BEGIN);
    out.push('\n');
    for line in b64.as_bytes().chunks(64) {
        // base64 output is ASCII, so every chunk is valid UTF-8.
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(PEM_END);
    out.push('\n');
    out
}

fn invalid(reason: &str) -> AuthError {
    AuthError::InvalidKey {
        reason: reason.to_owned(),
    }
}
