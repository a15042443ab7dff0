//! Column conversions for the store (feature `rusqlite`): ids and codes as SQLite values.
//!
//! They live beside the types because Rust lets only the crate owning a type or a trait join
//! the two; keeping them here avoids wrapping every value the store binds or reads.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use uuid::Uuid;

use crate::ids::{EventId, JournalId, OrganisationId, ReferralId};

/// The error a text enum raises for a code it does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown code `{0}`")]
pub(crate) struct UnknownCode(String);

pub(crate) fn unknown_code(code: &str) -> FromSqlError {
    FromSqlError::Other(Box::new(UnknownCode(code.to_owned())))
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

macro_rules! integer_column {
    ($($name:ident),+) => {$(
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
    )+};
}

integer_column!(JournalId, EventId);
