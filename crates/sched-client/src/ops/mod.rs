//! One module per family of interactions; each public function is one FHIR interaction.

pub mod avail;
pub mod cancel;
pub mod directory;
pub mod find;
pub mod hold_book;
pub mod patient;
pub mod read;
mod readback;
pub mod referral;
pub mod write;
