//! Referral Desk UI contract: DTOs, ApiError, command list.
