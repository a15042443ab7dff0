//! How values are spelt in SQLite: times as fixed-width UTC text, enums as kebab-case codes.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use rusqlite::Row;
use rusqlite::types::{FromSqlError, Type};

/// Fixed width, UTC, microseconds: text order is time order, so indexes and `<` work on it.
const TS_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";
const DATE_FORMAT: &str = "%Y-%m-%d";

/// An instant as stored. Precision is one microsecond; finer digits are dropped.
pub(crate) fn ts(at: DateTime<Utc>) -> String {
    at.format(TS_FORMAT).to_string()
}

/// A calendar date as stored.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format(DATE_FORMAT).to_string()
}

fn conversion_error(
    idx: usize,
    e: impl std::error::Error + Send + Sync + 'static,
) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
}

/// Reads an optional instant column.
pub(crate) fn get_opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let Some(text) = row.get::<_, Option<String>>(idx)? else {
        return Ok(None);
    };
    NaiveDateTime::parse_from_str(&text, TS_FORMAT)
        .map(|naive| Some(naive.and_utc()))
        .map_err(|e| conversion_error(idx, e))
}

/// Reads a required instant column.
pub(crate) fn get_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<DateTime<Utc>> {
    get_opt_ts(row, idx)?.ok_or(rusqlite::Error::InvalidColumnType(
        idx,
        "timestamp".into(),
        Type::Null,
    ))
}

/// Reads an optional date column.
pub(crate) fn get_opt_date(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<NaiveDate>> {
    let Some(text) = row.get::<_, Option<String>>(idx)? else {
        return Ok(None);
    };
    NaiveDate::parse_from_str(&text, DATE_FORMAT)
        .map(Some)
        .map_err(|e| conversion_error(idx, e))
}

/// Reads an optional JSON text column.
pub(crate) fn get_opt_json(
    row: &Row<'_>,
    idx: usize,
) -> rusqlite::Result<Option<serde_json::Value>> {
    let Some(text) = row.get::<_, Option<String>>(idx)? else {
        return Ok(None);
    };
    serde_json::from_str(&text)
        .map(Some)
        .map_err(|e| conversion_error(idx, e))
}

/// The error a text enum raises for a code it does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown code `{0}`")]
pub(crate) struct UnknownCode(pub(crate) String);

pub(crate) fn unknown_code(code: &str) -> FromSqlError {
    FromSqlError::Other(Box::new(UnknownCode(code.to_owned())))
}

/// Declares a closed set of codes stored as text: `as_str`, `FromStr`, `Display`, serde as the
/// same kebab-case codes, and rusqlite conversions.
macro_rules! text_enum {
    ($(#[$doc:meta])* pub enum $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The code stored in the database and used on the wire.
            pub const fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }

            /// The value for a code, if the code is known.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl rusqlite::types::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(rusqlite::types::ToSqlOutput::from(self.as_str()))
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(
                value: rusqlite::types::ValueRef<'_>,
            ) -> rusqlite::types::FromSqlResult<Self> {
                let code = value.as_str()?;
                Self::from_code(code).ok_or_else(|| $crate::codec::unknown_code(code))
            }
        }
    };
}
pub(crate) use text_enum;
