//! The exit code of a failed command, derived from its `ApiErrorCode` (docs/cli.md); success is 0.

use referral_api::ApiErrorCode;

/// The exit code for an error code.
// replaced by ApiErrorCode::exit_code at merge
pub fn code(c: ApiErrorCode) -> u8 {
    match c {
        ApiErrorCode::InvalidInput => 2,
        ApiErrorCode::NotFound
        | ApiErrorCode::Unsupported
        | ApiErrorCode::SlotUnavailable
        | ApiErrorCode::HoldExpired
        | ApiErrorCode::Unauthorized
        | ApiErrorCode::Conflict => 1,
        ApiErrorCode::Unreachable => 3,
        ApiErrorCode::NeedsAttention => 4,
        ApiErrorCode::Internal => 5,
    }
}
