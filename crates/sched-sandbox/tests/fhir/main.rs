//! The sandbox's FHIR API over real HTTP on 127.0.0.1:0, with tokens from its own SMART token
//! endpoint: every step of the provider scheduling use case, the booking race, hostile input,
//! restart persistence and the fault knobs.
#![allow(clippy::unwrap_used, reason = "tests")]

mod bad_input;
mod binary;
mod faults;
mod find_order;
mod persistence;
mod plain_r4;
mod r4_edge;
mod race;
mod reason;
mod support;
mod use_cases;
