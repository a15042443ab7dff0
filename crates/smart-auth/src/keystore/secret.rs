//! Raw secrets kept beside the signing keys (the worklist's 256-bit database key): a value that
//! never prints, and its text form for the stores (lower-case hex).

use std::fmt;

use crate::error::AuthError;

/// Secret bytes. `Debug` shows only the length, so a secret never reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// `len` random bytes from the operating system's generator.
    pub fn random(len: usize) -> Result<Self, AuthError> {
        let mut bytes = vec![0u8; len];
        aws_lc_rs::rand::fill(&mut bytes).map_err(|_| AuthError::SecretStore {
            reason: "the system random generator failed".to_owned(),
        })?;
        Ok(Self(bytes))
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Lower-case hex, the form the stores keep.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads the stored hex form; anything else is a damaged entry.
    pub fn from_hex(text: &str) -> Result<Self, AuthError> {
        let text = text.trim();
        let damaged = || AuthError::SecretStore {
            reason: "a stored secret is damaged (not hexadecimal)".to_owned(),
        };
        if !text.len().is_multiple_of(2) || !text.is_ascii() {
            return Err(damaged());
        }
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).map_err(|_| damaged()))
            .collect::<Result<Vec<u8>, AuthError>>()
            .map(Self)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({} bytes)", self.0.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_damage_is_refused() {
        let s = Secret::random(32).unwrap();
        assert_eq!(Secret::from_hex(&s.to_hex()).unwrap(), s);
        assert_eq!(s.to_hex().len(), 64);
        assert!(Secret::from_hex("abc").is_err());
        assert!(Secret::from_hex("zz").is_err());
        assert!(Secret::from_hex("éé").is_err());
        assert_eq!(format!("{s:?}"), "Secret(32 bytes)");
    }
}
