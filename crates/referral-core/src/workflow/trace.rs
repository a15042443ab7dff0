//! The trace of every option offered to a referral (start, end, practitioner), kept so that a
//! hold or booking whose answer was lost can be found again when the server re-keyed it.

use chrono::{DateTime, Utc};
use referral_store::ReferralId;

use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::workflow::find::SlotOption;

/// What the desk remembers of an offered option, so a hold whose answer was lost (the server
/// gives held appointments new ids) can be found again by practitioner and time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OptionTrace {
    /// Start.
    pub start: DateTime<Utc>,
    /// End.
    pub end: DateTime<Utc>,
    /// `Practitioner/<id>`.
    pub practitioner: Option<String>,
}

fn options_key(id: ReferralId) -> String {
    format!("core.options/{id}")
}

impl App {
    pub(crate) async fn remember_options(
        &self,
        id: ReferralId,
        options: &[SlotOption],
        keep_previous: bool,
    ) -> CoreResult<()> {
        let mut map: std::collections::BTreeMap<String, OptionTrace> = if keep_previous {
            // "More times" adds to what is shown; the earlier times can still be held.
            let key = options_key(id);
            let text = self.db(move |s| s.setting(&key)).await?;
            text.and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default()
        } else {
            Default::default()
        };
        map.extend(options.iter().map(|o| {
            let trace = OptionTrace {
                start: o.start,
                end: o.end,
                practitioner: o.practitioner_ref.clone(),
            };
            (o.option_id.clone(), trace)
        }));
        let text = serde_json::to_string(&map).map_err(|e| CoreError::Task {
            reason: e.to_string(),
        })?;
        let key = options_key(id);
        self.db(move |s| s.set_setting(&key, &text)).await
    }

    /// The trace of an option offered to the referral by its last search.
    pub(crate) async fn option_trace(
        &self,
        id: ReferralId,
        option_id: &str,
    ) -> Option<OptionTrace> {
        let key = options_key(id);
        let text = self.db(move |s| s.setting(&key)).await.ok()??;
        let mut map: std::collections::BTreeMap<String, OptionTrace> =
            serde_json::from_str(&text).ok()?;
        map.remove(option_id)
    }
}
