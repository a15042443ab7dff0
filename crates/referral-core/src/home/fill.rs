//! From a stored order to the input of a new referral: the mapping, then the clerk's values
//! for what the order lacks, then which receiving organisations to ask.

use fhir_model::terminology::SPECIALTIES;
use referral_model::{Coded, DateWindow, OrderFill, Referrer};
use sched_client::home::Order;

use super::mapping::{MappedOrder, Missing, map_order};
use super::queue::problem_sentence;
use super::summary::missing_field;
use crate::app::App;
use crate::error::{CoreError, CoreResult};
use crate::referrals::{CoverageInfo, ReferralInput};

impl App {
    /// The referral input for `order` with `fill`; what is still missing is
    /// [`CoreError::OrderIncomplete`].
    pub(crate) async fn order_input(
        &self,
        order: &Order,
        fill: OrderFill,
    ) -> CoreResult<ReferralInput> {
        let mut mapped = map_order(order, self.today()).map_err(|e| CoreError::Conflict {
            what: problem_sentence(&e),
        })?;
        let default_phone = self
            .desk_settings()
            .await?
            .referrer
            .map(|r| r.phone)
            .filter(|p| !p.trim().is_empty());
        apply_fill(&mut mapped, &fill, default_phone)?;
        let organisations = self.organisations_for(&mapped, &fill).await?;
        mapped
            .to_input(organisations)
            .map_err(|missing| CoreError::OrderIncomplete {
                missing: missing.into_iter().map(missing_field).collect(),
            })
    }

    /// The organisations to ask: the clerk's choice, else the one the order names when it is
    /// in the directory, else every enabled one.
    async fn organisations_for(
        &self,
        mapped: &MappedOrder,
        fill: &OrderFill,
    ) -> CoreResult<Vec<String>> {
        if !fill.organisation_ids.is_empty() {
            return Ok(fill.organisation_ids.clone());
        }
        let all = self.organisations(false).await?;
        if let Some((reference, display)) = &mapped.performer {
            let named = all.iter().find(|o| {
                let by_ref = reference
                    .as_deref()
                    .is_some_and(|r| r.rsplit('/').next() == Some(o.id.as_str()));
                let by_name = display
                    .as_deref()
                    .is_some_and(|d| d.eq_ignore_ascii_case(&o.display_name));
                by_ref || by_name
            });
            if let Some(o) = named {
                return Ok(vec![o.id.to_string()]);
            }
        }
        if all.is_empty() {
            return Err(CoreError::invalid(
                "organisations",
                "no receiving organisation is enabled",
            ));
        }
        Ok(all.into_iter().map(|o| o.id.to_string()).collect())
    }
}

/// Fills what the order lacks from `fill` (each value used only when it is missing) and the
/// referrer's phone from the desk's default referrer when the clerk gives none.
fn apply_fill(
    m: &mut MappedOrder,
    fill: &OrderFill,
    default_phone: Option<String>,
) -> CoreResult<()> {
    let missing = std::mem::take(&mut m.missing);
    for field in missing {
        if !fill_one(m, fill, default_phone.as_deref(), field)? {
            m.missing.push(field);
        }
    }
    Ok(())
}

/// Fills one missing field; `false` when there is nothing to fill it with.
fn fill_one(
    m: &mut MappedOrder,
    fill: &OrderFill,
    default_phone: Option<&str>,
    field: Missing,
) -> CoreResult<bool> {
    let p = &mut m.patient;
    Ok(match field {
        Missing::PatientName => match text(&fill.family) {
            Some(family) => {
                p.family = Some(family.to_owned());
                if let Some(given) = text(&fill.given) {
                    p.given = given.split_whitespace().map(str::to_owned).collect();
                }
                true
            }
            None => false,
        },
        Missing::BirthDate => fill.birth_date.map(|d| p.birth_date = Some(d)).is_some(),
        Missing::Gender => fill.gender.map(|g| p.gender = Some(g)).is_some(),
        Missing::Mrn => text(&fill.mrn)
            .map(|v| p.mrn = Some(v.to_owned()))
            .is_some(),
        Missing::Specialty => match text(&fill.specialty) {
            Some(code) => {
                let known = SPECIALTIES.find(code).ok_or_else(|| {
                    CoreError::invalid("specialty", "choose a specialty from the list")
                })?;
                m.specialty = Some(Coded {
                    system: SPECIALTIES.system.to_owned(),
                    code: known.code.to_owned(),
                    display: Some(known.display.to_owned()),
                });
                true
            }
            None => false,
        },
        Missing::Window => match fill.window {
            Some(w) if w.from <= w.to => {
                m.window = Some(DateWindow {
                    start: w.from,
                    end: w.to,
                });
                m.content.due_by = Some(w.to);
                true
            }
            Some(_) => return Err(CoreError::invalid("window", "the start is after the end")),
            None => false,
        },
        Missing::ReferrerPhone => match text(&fill.referrer_phone).or(default_phone) {
            Some(phone) => {
                let r = m.content.referrer.get_or_insert_with(Referrer::default);
                r.phone = phone.to_owned();
                true
            }
            None => false,
        },
        Missing::CoveragePayor => text(&fill.coverage_payor)
            .map(|v| coverage(m).payor = v.to_owned())
            .is_some(),
        Missing::CoverageSubscriberId => text(&fill.coverage_subscriber_id)
            .map(|v| coverage(m).subscriber_id = v.to_owned())
            .is_some(),
    })
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn coverage(m: &mut MappedOrder) -> &mut CoverageInfo {
    m.coverage.get_or_insert_with(|| CoverageInfo {
        payor: String::new(),
        subscriber_id: String::new(),
        plan_name: None,
        relationship: "self".to_owned(),
    })
}
