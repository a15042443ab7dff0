//! SQLite worklist for Referral Desk: organisations, referrals, events, journal.
