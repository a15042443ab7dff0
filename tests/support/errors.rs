//! The one gate every `ApiError` a test provokes passes through: it asserts the message is a
//! plain sentence (no URL, no transport text, no Rust type name) and returns the error.

use referral_api::ApiError;
use referral_core::CoreError;

/// Text that must never reach a user-facing sentence.
pub const FORBIDDEN: [&str; 8] = [
    "http://",
    "https://",
    "error sending request",
    "::",
    "Error {",
    "reqwest",
    "hyper",
    "{:?}",
];

/// Asserts `message` is fit for a clinician.
pub fn assert_plain(message: &str) {
    for bad in FORBIDDEN {
        assert!(
            !message.contains(bad),
            "a user-facing message contains {bad:?}: {message}"
        );
    }
    assert!(!message.trim().is_empty(), "an empty message");
    assert!(
        message.ends_with(['.', '”', '?', '!']),
        "not a sentence: {message}"
    );
}

/// `e` after checking its message; use it on every error a test provokes.
pub fn provoked(e: ApiError) -> ApiError {
    assert_plain(&e.message);
    e
}

/// A core error as the front ends receive it, checked.
pub fn api(e: &CoreError) -> ApiError {
    provoked(referral_api::handlers::api_error(e))
}
