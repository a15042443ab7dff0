//! Proposals built from Slots (plain R4 and Oracle have no `$find`): consecutive free Slots of
//! one Schedule covering the visit become one proposed STU3 Appointment whose id is synthetic
//! and names the slots (`slots_<a>` or `slots_<a>_<b>`; `_` is not a FHIR id character, so it
//! never collides with a real appointment id).

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset};
use fhir_model::{Appointment, AppointmentParticipant, Reference, r4};

use crate::error::ClientError;

const PREFIX: &str = "slots_";

/// The synthetic id of a proposal over these slots.
pub(crate) fn synthetic_id<S: AsRef<str>>(slots: &[S]) -> String {
    let ids: Vec<&str> = slots.iter().map(AsRef::as_ref).collect();
    format!("{PREFIX}{}", ids.join("_"))
}

/// Whether `id` is a proposal or hold the desk built from Slots (plain R4, Oracle), not an
/// Appointment id at the organisation: it is read from its slots, never searched by `_id`.
pub fn is_slot_proposal_id(id: &str) -> bool {
    slot_ids(id).is_some()
}

/// The slot ids a synthetic id names (`None`: a real appointment id).
pub(crate) fn slot_ids(id: &str) -> Option<Vec<String>> {
    let id = id.rsplit('/').next().unwrap_or(id);
    let rest = id.strip_prefix(PREFIX)?;
    let ids: Vec<String> = rest.split('_').map(str::to_owned).collect();
    (!ids.iter().any(String::is_empty)).then_some(ids)
}

/// A slot as the proposals need it, checked.
#[derive(Debug, Clone)]
pub(crate) struct SlotInfo {
    pub id: String,
    pub schedule: String,
    pub status: String,
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
    pub slot: r4::Slot,
}

fn bad(reason: String) -> ClientError {
    ClientError::malformed("slot search", reason)
}

/// Checks one R4 Slot the server sent: id, schedule, a known status, a start and an end.
pub(crate) fn slot_info(slot: r4::Slot) -> Result<SlotInfo, ClientError> {
    let id = slot
        .id
        .clone()
        .ok_or_else(|| bad("a Slot has no id".to_owned()))?;
    if !r4::SLOT_STATUSES.contains(&slot.status.as_str()) {
        return Err(bad(format!(
            "Slot/{id} has an unknown status '{}'",
            slot.status
        )));
    }
    let when = |t: &str, name: &str| {
        DateTime::parse_from_rfc3339(t)
            .map_err(|_| bad(format!("Slot/{id} has no valid {name} ('{t}')")))
    };
    let schedule = slot
        .schedule
        .local()
        .filter(|(t, _)| *t == "Schedule")
        .map(|(_, s)| s.to_owned())
        .ok_or_else(|| bad(format!("Slot/{id} names no Schedule")))?;
    Ok(SlotInfo {
        start: when(&slot.start, "start")?,
        end: when(&slot.end, "end")?,
        id,
        schedule,
        status: slot.status.clone(),
        slot,
    })
}

/// One STU3 Appointment over `slots` (consecutive, one schedule) with the schedule's actors.
pub(crate) fn appointment(slots: &[SlotInfo], actors: &[Reference], status: &str) -> Appointment {
    let (first, last) = (&slots[0], &slots[slots.len() - 1]);
    let stu3 = first.slot.to_stu3().ok();
    let participation = if status == "booked" {
        "accepted"
    } else {
        "needs-action"
    };
    Appointment {
        id: Some(synthetic_id(
            &slots.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        )),
        status: status.to_owned(),
        service_type: first.slot.service_type.clone(),
        specialty: first.slot.specialty.clone(),
        appointment_type: stu3.and_then(|s| s.appointment_type),
        start: Some(first.start.to_rfc3339()),
        end: Some(last.end.to_rfc3339()),
        minutes_duration: u32::try_from((last.end - first.start).num_minutes()).ok(),
        slot: slots
            .iter()
            .map(|s| Reference::to(&format!("Slot/{}", s.id)))
            .collect(),
        participant: actors
            .iter()
            .map(|a| AppointmentParticipant::new(a.clone(), participation))
            .collect(),
        ..Appointment::default()
    }
}

/// Proposals from free slots: the shortest runs of consecutive free slots of one schedule that
/// cover a visit of `minutes`, earliest first, at most `limit`.
pub(crate) fn proposals(
    slots: &[SlotInfo],
    actors: &HashMap<String, Vec<Reference>>,
    minutes: i64,
    limit: usize,
) -> Vec<Appointment> {
    let mut by_schedule: HashMap<&str, Vec<&SlotInfo>> = HashMap::new();
    for s in slots.iter().filter(|s| s.status == "free") {
        by_schedule.entry(s.schedule.as_str()).or_default().push(s);
    }
    let mut out = Vec::new();
    for (schedule, mut list) in by_schedule {
        list.sort_by_key(|s| s.start);
        let who = actors.get(schedule).map(Vec::as_slice).unwrap_or_default();
        for i in 0..list.len() {
            if let Some(run) = covering_run(&list[i..], minutes) {
                let owned: Vec<SlotInfo> = run.iter().map(|s| (*s).clone()).collect();
                out.push(appointment(&owned, who, "proposed"));
            }
        }
    }
    out.sort_by(|a, b| a.start.cmp(&b.start));
    out.truncate(limit);
    out
}

/// The shortest prefix of `list` (sorted, one schedule) whose slots follow each other without a
/// gap and together last at least `minutes`.
fn covering_run<'a>(list: &'a [&'a SlotInfo], minutes: i64) -> Option<&'a [&'a SlotInfo]> {
    let first = list.first()?;
    for (n, pair) in std::iter::once(None)
        .chain(list.windows(2).map(Some))
        .enumerate()
    {
        if let Some(w) = pair
            && w[0].end != w[1].start
        {
            return None;
        }
        if (list[n].end - first.start).num_minutes() >= minutes {
            return Some(&list[..=n]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn slot(id: &str, start: &str, end: &str, status: &str) -> r4::Slot {
        r4::Slot {
            id: Some(id.to_owned()),
            schedule: Reference::to("Schedule/a"),
            status: status.to_owned(),
            start: start.to_owned(),
            end: end.to_owned(),
            ..r4::Slot::default()
        }
    }

    #[test]
    fn synthetic_ids_round_trip_and_real_ids_are_not_synthetic() {
        assert_eq!(synthetic_id(&["s1", "s2"]), "slots_s1_s2");
        assert_eq!(slot_ids("slots_s1_s2").unwrap(), vec!["s1", "s2"]);
        assert_eq!(slot_ids("Appointment/slots_s9").unwrap(), vec!["s9"]);
        assert!(slot_ids("appt-1").is_none());
        assert!(slot_ids("slots_").is_none());
    }

    #[test]
    fn a_visit_of_two_slots_needs_two_consecutive_free_ones() {
        let s = [
            slot("a", "2030-01-01T09:00:00Z", "2030-01-01T09:15:00Z", "free"),
            slot("b", "2030-01-01T09:15:00Z", "2030-01-01T09:30:00Z", "free"),
            slot("c", "2030-01-01T10:00:00Z", "2030-01-01T10:15:00Z", "free"),
        ];
        let infos: Vec<SlotInfo> = s.into_iter().map(|x| slot_info(x).unwrap()).collect();
        let p = proposals(&infos, &HashMap::new(), 30, 10);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].id.as_deref(), Some("slots_a_b"));
        assert_eq!(p[0].minutes_duration, Some(30));
        // A 15-minute visit fits each free slot; an hour fits nowhere here.
        assert_eq!(proposals(&infos, &HashMap::new(), 15, 10).len(), 3);
        assert!(proposals(&infos, &HashMap::new(), 60, 10).is_empty());
    }

    #[test]
    fn bad_slots_are_refused_plainly() {
        assert!(slot_info(slot("a", "", "2030-01-01T09:15:00Z", "free")).is_err());
        assert!(
            slot_info(slot(
                "a",
                "2030-01-01T09:00:00Z",
                "2030-01-01T09:15:00Z",
                "maybe"
            ))
            .is_err()
        );
    }
}
