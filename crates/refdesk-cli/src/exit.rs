//! The documented exit codes (docs/cli.md) and which error maps to which.

use referral_core::CoreError;
use referral_core::remote::RemoteErrorKind;

/// Success.
pub const OK: u8 = 0;
/// Refused by an organisation, not found, or conflicting with the referral's state.
pub const REFUSED: u8 = 1;
/// Bad arguments (clap uses 2 for its own parse errors too).
pub const BAD_ARGS: u8 = 2;
/// An organisation could not be reached.
pub const UNREACHABLE: u8 = 3;
/// The outcome is uncertain; the referral was flagged for a person.
pub const NEEDS_ATTENTION: u8 = 4;
/// A local failure: database, key store, sandbox start.
pub const LOCAL: u8 = 5;

/// The exit code for an error.
pub fn code_of(e: &CoreError) -> u8 {
    match e {
        CoreError::InvalidInput { .. } => BAD_ARGS,
        CoreError::Store(s) if s.is_invalid_input() => BAD_ARGS,
        CoreError::NeedsAttention { .. } => NEEDS_ATTENTION,
        CoreError::Remote { source, .. } => match source.kind {
            RemoteErrorKind::Unreachable | RemoteErrorKind::Timeout => UNREACHABLE,
            _ => REFUSED,
        },
        CoreError::NotFound { .. } | CoreError::Conflict { .. } | CoreError::Unsupported { .. } => {
            REFUSED
        }
        CoreError::Store(s) if s.is_not_found() || s.is_conflict() => REFUSED,
        _ => LOCAL,
    }
}
