//! The referral life cycle: its statuses and which steps between them are allowed.

use crate::code::text_enum;
use crate::error::ModelError;

text_enum! {
    /// Where a referral is in its life cycle.
    ///
    /// ```text
    /// draft → searching → held → booked → cancelled
    ///             │  ↑      │       └───→ rescheduled ⟲ → cancelled
    ///             │  └──────┘ (hold released / expired)
    ///             ├→ booked   (organisation without $hold)
    ///             └→ failed → searching
    /// any open state → needs-attention → the state reconciliation found
    /// held / booked / rescheduled → cancelled-by-organisation (seen by a sync)
    /// ```
    pub enum ReferralStatus {
        /// Being written; nothing sent yet.
        Draft = "draft",
        /// Looking for slots at one or more organisations.
        Searching = "searching",
        /// A slot is held at the organisation until the hold expires.
        Held = "held",
        /// Booked; the appointment exists at the organisation.
        Booked = "booked",
        /// Cancelled (by us or by the organisation), or abandoned before booking.
        Cancelled = "cancelled",
        /// Booked into a replacement appointment; the previous one was cancelled.
        Rescheduled = "rescheduled",
        /// The attempt failed with nothing left at the organisation; may be tried again.
        Failed = "failed",
        /// The truth at the organisation is uncertain or inconsistent; a person must look
        /// (the status note says what happened).
        NeedsAttention = "needs-attention",
        /// The organisation cancelled the appointment on its side (found by a sync); final.
        CancelledByOrganisation = "cancelled-by-organisation",
    }
}

impl ReferralStatus {
    /// Whether the life cycle allows going from `self` to `to`.
    ///
    /// Why each edge exists:
    /// - `searching → booked`: organisations that do not support `$hold` are booked directly.
    /// - `held → searching`: the hold was released or expired and the desk looks again.
    /// - `booked → needs-attention`, `rescheduled → needs-attention`: a reschedule or a
    ///   reconciliation found something unexpected.
    /// - `needs-attention → *`: after reconciling, the referral takes whatever state is true at
    ///   the organisation; `needs-attention → needs-attention` refines the note.
    /// - `rescheduled → rescheduled`: a referral may be rescheduled more than once.
    /// - `cancelled` is final: a new attempt is a new referral, so the audit trail stays simple.
    /// - `held / booked / rescheduled / needs-attention → cancelled-by-organisation`: a sync
    ///   read the appointment back as cancelled at the organisation; final like `cancelled`,
    ///   kept apart so the worklist says who cancelled.
    pub fn can_become(self, to: ReferralStatus) -> bool {
        use ReferralStatus::{
            Booked, Cancelled, CancelledByOrganisation, Draft, Failed, Held, NeedsAttention,
            Rescheduled, Searching,
        };
        match self {
            Draft => matches!(to, Searching | Cancelled),
            Searching => matches!(
                to,
                Draft | Held | Booked | Failed | NeedsAttention | Cancelled
            ),
            Held => matches!(
                to,
                Searching | Booked | Failed | NeedsAttention | Cancelled | CancelledByOrganisation
            ),
            Booked | Rescheduled => matches!(
                to,
                Cancelled | Rescheduled | NeedsAttention | CancelledByOrganisation
            ),
            Failed => matches!(to, Searching | Cancelled),
            NeedsAttention => !matches!(to, Draft),
            Cancelled | CancelledByOrganisation => false,
        }
    }

    /// `Ok` when the step is allowed, else the typed `IllegalTransition` error.
    pub fn check_transition(self, to: ReferralStatus) -> Result<(), ModelError> {
        if self.can_become(to) {
            Ok(())
        } else {
            Err(ModelError::IllegalTransition { from: self, to })
        }
    }

    /// No further step is possible.
    pub fn is_final(self) -> bool {
        Self::ALL.iter().all(|to| !self.can_become(*to))
    }

    /// An appointment may exist at the organisation in this state (held or booked, or unknown).
    pub fn may_hold_remote_appointment(self) -> bool {
        matches!(
            self,
            ReferralStatus::Held
                | ReferralStatus::Booked
                | ReferralStatus::Rescheduled
                | ReferralStatus::NeedsAttention
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::ReferralStatus::{self, *};

    #[test]
    fn cancelled_is_final_and_draft_is_only_reached_from_searching() {
        assert!(Cancelled.is_final());
        assert!(CancelledByOrganisation.is_final());
        assert!(
            ReferralStatus::ALL
                .iter()
                .all(|s| !s.is_final() || matches!(*s, Cancelled | CancelledByOrganisation))
        );
        let to_draft: Vec<_> = ReferralStatus::ALL
            .iter()
            .filter(|s| s.can_become(Draft))
            .collect();
        assert_eq!(to_draft, [&Searching]);
    }

    #[test]
    fn a_forbidden_step_is_a_typed_error() {
        assert!(Booked.check_transition(Cancelled).is_ok());
        let err = Cancelled.check_transition(Searching).unwrap_err();
        assert_eq!(
            err,
            crate::ModelError::IllegalTransition {
                from: Cancelled,
                to: Searching
            }
        );
    }
}
