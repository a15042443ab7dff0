//! Referral Desk application core: workflows, recovery, reconciliation.
