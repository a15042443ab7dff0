//! Identifiers of stored things, as newtypes so an organisation id is never passed as a referral id.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{ModelError, invalid};

/// An organisation's id in the directory: a short slug the admin chooses (`sandbox-north`), so it
/// can be typed on the command line. 1–64 characters of `a-z 0-9 . _ -`, starting with a letter
/// or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationId(pub(crate) String);

impl OrganisationId {
    /// Checks and wraps a slug.
    pub fn new(id: impl Into<String>) -> Result<Self, ModelError> {
        let id = id.into();
        let first_ok = id
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if id.is_empty() || id.len() > 64 {
            return Err(invalid("organisation id", "must be 1 to 64 characters"));
        }
        if !first_ok || !rest_ok {
            return Err(invalid(
                "organisation id",
                "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit",
            ));
        }
        Ok(Self(id))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrganisationId {
    type Error = ModelError;
    fn try_from(s: String) -> Result<Self, ModelError> {
        Self::new(s)
    }
}

impl From<OrganisationId> for String {
    fn from(id: OrganisationId) -> Self {
        id.0
    }
}

impl fmt::Display for OrganisationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A referral's id: a random UUID, unique across installations so exports never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReferralId(pub Uuid);

impl ReferralId {
    /// A fresh random id.
    pub fn random() -> Self {
        Self(Uuid::new_v4())
    }
}

impl fmt::Display for ReferralId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::str::FromStr for ReferralId {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, ModelError> {
        Uuid::parse_str(s)
            .map(Self)
            .map_err(|_| invalid("referral id", "is not a UUID"))
    }
}

macro_rules! integer_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

integer_id!(
    /// A journal entry's id (SQLite rowid: increasing, so it also orders entries).
    JournalId
);
integer_id!(
    /// An audit event's id (SQLite rowid: increasing, so it orders the trail).
    EventId
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn organisation_ids_are_slugs() {
        assert_eq!(
            OrganisationId::new("sandbox-north").unwrap().as_str(),
            "sandbox-north"
        );
        for bad in ["", "North", "-north", "a b", &"x".repeat(65)] {
            assert!(OrganisationId::new(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn referral_ids_parse_from_uuids_only() {
        let id = ReferralId::random();
        assert_eq!(id.to_string().parse::<ReferralId>().unwrap(), id);
        assert!(matches!(
            "not-a-uuid".parse::<ReferralId>(),
            Err(ModelError::InvalidInput {
                field: "referral id",
                ..
            })
        ));
    }
}
