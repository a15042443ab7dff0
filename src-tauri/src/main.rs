//! Referral Desk desktop app (placeholder until the Tauri shell lands).
fn main() {}
