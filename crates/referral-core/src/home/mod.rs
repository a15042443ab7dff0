//! The home organisation's referral queue, on the core's side: today the pure mapping of an
//! open order to what a new referral asks for; the claims store and workflow build on it.

pub mod mapping;
mod parts;
