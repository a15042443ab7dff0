//! Identifiers of stored things, as newtypes so an organisation id is never passed as a referral id.

use std::fmt;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::{Result, invalid};

/// An organisation's id in the directory: a short slug the admin chooses (`sandbox-north`), so it
/// can be typed on the command line. 1–64 characters of `a-z 0-9 . _ -`, starting with a letter
/// or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationId(String);

impl OrganisationId {
    /// Checks and wraps a slug.
    pub fn new(id: impl Into<String>) -> Result<Self> {
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
    type Error = crate::StoreError;
    fn try_from(s: String) -> Result<Self> {
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

impl ToSql for OrganisationId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.as_str()))
    }
}

impl FromSql for OrganisationId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        // Rows were validated on the way in; re-validating here would turn a schema-level
        // guarantee into a run-time cost on every worklist row.
        String::column_result(value).map(Self)
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
    type Err = crate::StoreError;
    fn from_str(s: &str) -> Result<Self> {
        Uuid::parse_str(s)
            .map(Self)
            .map_err(|_| invalid("referral id", "is not a UUID"))
    }
}

impl ToSql for ReferralId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        // Hyphenated lower-case text: readable with the sqlite3 shell, and one spelling only.
        Ok(ToSqlOutput::from(self.0.hyphenated().to_string()))
    }
}

impl FromSql for ReferralId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Uuid::parse_str(text)
            .map(Self)
            .map_err(|e| FromSqlError::Other(Box::new(e)))
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

        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }

        impl FromSql for $name {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(value).map(Self)
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
