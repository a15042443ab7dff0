//! `refdesk`: Referral Desk from the command line.
fn main() {}
