//! The model's own errors: a value that is not acceptable, or a step the life cycle forbids.

use crate::status::ReferralStatus;

/// Why a value or a step was refused by the model's rules (nothing was stored).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// A field is not acceptable.
    #[error("invalid {field}: {problem}")]
    InvalidInput {
        /// The field, named as in the API.
        field: &'static str,
        /// What is wrong with it.
        problem: &'static str,
    },
    /// The referral's life cycle does not allow this step.
    #[error("a referral cannot go from {from} to {to}")]
    IllegalTransition {
        /// Status the referral is in.
        from: ReferralStatus,
        /// Status that was asked for.
        to: ReferralStatus,
    },
}

impl ModelError {
    /// A field was not acceptable.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Self::InvalidInput { .. })
    }

    /// The life cycle forbids the step.
    pub fn is_illegal_transition(&self) -> bool {
        matches!(self, Self::IllegalTransition { .. })
    }
}

/// Shorthand used by the validating constructors.
pub(crate) fn invalid(field: &'static str, problem: &'static str) -> ModelError {
    ModelError::InvalidInput { field, problem }
}
