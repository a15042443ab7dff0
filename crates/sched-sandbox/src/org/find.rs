//! `Appointment/$find`: open appointment options matching every OperationDefinition parameter.
//! Different actor types combine with AND; repeated values of one type are alternatives in
//! preference order (OR), and a better-preferred match ranks first. Options come back as
//! proposed Appointments (not stored) in an avail-bundle.

use chrono::{DateTime, Duration, Utc};
use fhir_model::{
    Appointment, Bundle, BundleEntry, BundleSearch, CodeableConcept, FindParams, OperationOutcome,
    OutcomeIssue, Period, Reference, Token, parse_date_range, urls,
};

use fhir_model::referral_reasons::referral_reason;

use super::Organisation;
use super::directory::{ScheduleInfo, local_text, visit_minutes};
use super::proposal::Draft;
use crate::error::FhirError;
use crate::store::{FreeSlot, free_slots_of, get_resource};

/// Options returned when the client gives no `_count`.
pub const DEFAULT_COUNT: u32 = 20;
/// The most options one search returns.
pub const MAX_COUNT: u32 = 100;
/// The widest window a search may cover.
const MAX_WINDOW_DAYS: i64 = 93;

/// A schedule that passed every filter, with how well it matched.
struct Candidate<'a> {
    schedule: &'a ScheduleInfo,
    rank: usize,
    visit: Option<CodeableConcept>,
    specialty: Option<CodeableConcept>,
}

/// Index of the first alternative that matches; `Some(0)` when there are no alternatives.
fn preference<T>(alternatives: &[T], matches: impl Fn(&T) -> bool) -> Option<usize> {
    if alternatives.is_empty() {
        return Some(0);
    }
    alternatives.iter().position(matches)
}

fn token_concept<'a>(
    tokens: &[Token],
    concepts: &'a [CodeableConcept],
    rank: usize,
) -> Option<&'a CodeableConcept> {
    tokens
        .get(rank)
        .and_then(|t| concepts.iter().find(|c| t.matches(c)))
}

fn ref_is(wanted: &str, actual: Option<&String>) -> bool {
    local_text(wanted).is_some_and(|w| actual == Some(&w))
}

/// The search window: start and end as given (a date covers its whole day); when absent the
/// server defaults them (now, and two weeks after start) and says so.
pub fn window(
    start: Option<&str>,
    end: Option<&str>,
    now: DateTime<Utc>,
    notes: &mut Vec<String>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), FhirError> {
    let bound = |v: &str, is_end: bool| -> Result<DateTime<Utc>, FhirError> {
        let r = parse_date_range(v).map_err(|e| FhirError::bad_request(e.to_string()))?;
        Ok(if is_end && !v.contains('T') {
            r.end
        } else {
            r.start
        })
    };
    let from = match start {
        Some(s) => bound(s, false)?,
        None => {
            notes.push("no start given: the search starts now".to_owned());
            now
        }
    };
    let to = match end {
        Some(e) => bound(e, true)?,
        None => {
            notes.push("no end given: the search covers two weeks".to_owned());
            from + Duration::days(14)
        }
    };
    if to <= from {
        return Err(FhirError::bad_request("end must be after start"));
    }
    if to - from > Duration::days(MAX_WINDOW_DAYS) {
        return Err(FhirError::bad_request(format!(
            "the search window may cover at most {MAX_WINDOW_DAYS} days"
        )));
    }
    Ok((from, to))
}

impl Organisation {
    /// Runs `$find` and returns the avail-bundle.
    pub fn find(&self, p: &FindParams) -> Result<Bundle, FhirError> {
        let mut notes = Vec::new();
        let (from, to) = window(p.start.as_deref(), p.end.as_deref(), self.now(), &mut notes)?;
        let patients = self.find_patients(p)?;
        let count = p.count.unwrap_or(DEFAULT_COUNT).min(MAX_COUNT) as usize;
        let candidates: Vec<Candidate<'_>> = self
            .directory
            .schedules
            .iter()
            .filter_map(|s| candidate(s, p))
            .collect();
        let search_from = from.max(self.now());
        self.expire_holds()?;
        let mut candidates = candidates;
        candidates.sort_by_key(|c| c.rank);
        let mut options: Vec<(usize, i64, Vec<FreeSlot>, &Candidate<'_>)> = Vec::new();
        for cand in &candidates {
            // Once `count` options exist, a schedule can only contribute visits that beat the
            // current worst kept one: same rank and an earlier start. Reading stops there.
            let cutoff = nth_best(&options, count);
            let until = match cutoff {
                Some((rank, _)) if cand.rank > rank => break,
                Some((_, start)) => start + 1,
                None => to.timestamp(),
            };
            let code = cand
                .visit
                .as_ref()
                .and_then(|v| v.coding.first())
                .and_then(|c| c.code.as_deref());
            let minutes = visit_minutes(code);
            let window = (search_from.timestamp(), until.min(to.timestamp()));
            let runs = self.earliest_visits(&cand.schedule.id, window, minutes, count)?;
            options.extend(
                runs.into_iter()
                    .map(|run| (cand.rank, run[0].start, run, cand)),
            );
        }
        options.sort_by(|a, b| (a.0, a.1, &a.3.schedule.id).cmp(&(b.0, b.1, &b.3.schedule.id)));
        options.truncate(count);
        let window_period = Period::new(
            p.start.as_deref().unwrap_or(&from.to_rfc3339()),
            p.end.as_deref().unwrap_or(&to.to_rfc3339()),
        );
        let proposals: Vec<Appointment> = options
            .iter()
            .filter_map(|(_, _, run, cand)| {
                let draft = Draft {
                    schedule: cand.schedule,
                    slots: run,
                    visit: cand.visit.as_ref(),
                    specialty: cand.specialty.as_ref(),
                    window: Some(window_period.clone()),
                    patients: &patients,
                };
                self.build_proposal(&draft)
            })
            .collect();
        proposals.iter().for_each(|a| self.remember_proposal(a));
        notes.extend(ignored_inputs(p));
        Ok(self.avail_bundle(proposals, &notes))
    }

    /// Up to `count` earliest visits of one schedule. Reads free slots in growing batches, so a
    /// search touches only the slots near the start of the window (the cost of `$find` does not
    /// grow with the window or the horizon).
    fn earliest_visits(
        &self,
        schedule: &str,
        (from, to): (i64, i64),
        minutes: i64,
        count: usize,
    ) -> Result<Vec<Vec<FreeSlot>>, FhirError> {
        let per_visit = usize::try_from((minutes + 14) / 15).unwrap_or(1).max(1);
        let mut limit = count * per_visit + 8;
        loop {
            let slots = self
                .store
                .read(|c| free_slots_of(c, &self.name, schedule, from, to, limit))?;
            let runs = visits(&slots, minutes, count);
            if runs.len() >= count || slots.len() < limit {
                return Ok(runs);
            }
            limit *= 4;
        }
    }

    /// Schedules passing the actor filters of `p` (used by `$prefetch` too).
    pub fn schedules_for(&self, p: &FindParams) -> Vec<&ScheduleInfo> {
        self.directory
            .schedules
            .iter()
            .filter(|s| candidate(s, p).is_some())
            .collect()
    }

    /// Patients named by `patient-reference` (must exist here) or given inline.
    fn find_patients(&self, p: &FindParams) -> Result<Vec<Reference>, FhirError> {
        let mut out = Vec::new();
        for r in &p.patient_reference {
            let local = local_text(r)
                .filter(|l| l.starts_with("Patient/"))
                .ok_or_else(|| {
                    FhirError::bad_request(format!(
                        "patient-reference '{r}' is not a Patient reference"
                    ))
                })?;
            let id = local.trim_start_matches("Patient/");
            let known = self
                .store
                .read(|c| get_resource(c, &self.name, "Patient", id))?
                .is_some();
            if !known {
                return Err(FhirError::unprocessable(format!(
                    "patient-reference {local} is not a patient of this organisation"
                )));
            }
            out.push(Reference::to(&local));
        }
        for pat in &p.patient_resource {
            out.push(Reference {
                display: Some(pat.display_name()),
                ..Reference::default()
            });
        }
        Ok(out)
    }

    /// An avail-bundle: the appointments (search.mode match) and one informational outcome.
    pub fn avail_bundle(&self, appointments: Vec<Appointment>, notes: &[String]) -> Bundle {
        let mut bundle = Bundle::searchset(appointments.len() as u64);
        bundle.meta = Some(fhir_model::Meta::profile(urls::PROFILE_AVAIL_BUNDLE));
        let summary = if appointments.is_empty() {
            "no availability matches the request".to_owned()
        } else {
            format!("{} appointment option(s)", appointments.len())
        };
        for a in appointments {
            let id = a.id.clone().unwrap_or_default();
            bundle.entry.push(BundleEntry {
                full_url: Some(self.full_url("Appointment", &id)),
                resource: Some(a.into()),
                search: Some(mode("match")),
                ..BundleEntry::default()
            });
        }
        let mut oo = OperationOutcome::information(&summary);
        oo.issue.extend(notes.iter().map(|n| OutcomeIssue {
            severity: "information".to_owned(),
            code: "informational".to_owned(),
            details: Some(CodeableConcept::text(n)),
            ..OutcomeIssue::default()
        }));
        bundle.entry.push(BundleEntry {
            resource: Some(oo.into()),
            search: Some(mode("outcome")),
            ..BundleEntry::default()
        });
        bundle
    }
}

/// The `n`-th best (rank, start) among the options, once there are `n`.
fn nth_best<T>(options: &[(usize, i64, T, &Candidate<'_>)], n: usize) -> Option<(usize, i64)> {
    if n == 0 || options.len() < n {
        return None;
    }
    let mut keys: Vec<(usize, i64)> = options.iter().map(|o| (o.0, o.1)).collect();
    let (_, nth, _) = keys.select_nth_unstable(n - 1);
    Some(*nth)
}

/// `search.mode`.
pub fn mode(m: &str) -> BundleSearch {
    BundleSearch {
        mode: Some(m.to_owned()),
        ..BundleSearch::default()
    }
}

/// Whether a schedule passes every given filter, and its preference rank.
fn candidate<'a>(s: &'a ScheduleInfo, p: &FindParams) -> Option<Candidate<'a>> {
    let sp = preference(&p.specialty, |t| s.specialty.iter().any(|c| t.matches(c)))?;
    let vt = preference(&p.visit_type, |t| {
        s.service_type.iter().any(|c| t.matches(c))
    })?;
    let pr = preference(&p.practitioner, |r| ref_is(r, s.practitioner.as_ref()))?;
    let org = preference(&p.organization, |r| ref_is(r, s.organization.as_ref()))?;
    let loc = preference(&p.location_reference, |r| ref_is(r, s.location.as_ref()))?;
    let ls = preference(&p.location_string, |q| {
        let q = q.to_lowercase();
        s.address.iter().any(|a| a.contains(&q))
    })?;
    Some(Candidate {
        schedule: s,
        rank: sp + vt + pr + org + loc + ls + reason_rank(s, p),
        visit: token_concept(&p.visit_type, &s.service_type, vt)
            .or(s.service_type.first())
            .cloned(),
        specialty: token_concept(&p.specialty, &s.specialty, sp).cloned(),
    })
}

/// `reason` ranks, it does not narrow: a schedule whose specialty usually sees the first reason
/// this organisation knows (fhir-model's referral-reason table) ranks before the others, so a
/// "psoriasis" referral to a mixed practice sees the dermatologists' times first. An unknown
/// reason leaves the order alone.
fn reason_rank(s: &ScheduleInfo, p: &FindParams) -> usize {
    let fits = p
        .reason
        .iter()
        .find_map(|t| referral_reason(t.system.as_deref()?, &t.code))
        .map(|r| Token::new(urls::SNOMED, r.specialty));
    match fits {
        Some(want) if !s.specialty.iter().any(|c| want.matches(c)) => 1,
        _ => 0,
    }
}

/// Non-overlapping runs of consecutive free slots long enough for a visit, earliest first.
fn visits(slots: &[FreeSlot], minutes: i64, limit: usize) -> Vec<Vec<FreeSlot>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < slots.len() && out.len() < limit {
        let mut j = i;
        while slots[j].end - slots[i].start < minutes * 60
            && j + 1 < slots.len()
            && slots[j + 1].start == slots[j].end
        {
            j += 1;
        }
        if slots[j].end - slots[i].start >= minutes * 60 {
            out.push(slots[i..=j].to_vec());
            i = j + 1;
        } else {
            i += 1;
        }
    }
    out
}

/// Inputs that are accepted but do not narrow the search, said in the outcome.
fn ignored_inputs(p: &FindParams) -> Vec<String> {
    let mut notes = Vec::new();
    let known = p.reason.iter().any(|t| {
        t.system
            .as_deref()
            .and_then(|s| referral_reason(s, &t.code))
            .is_some()
    });
    if known {
        notes.push(
            "reason ranks first the options whose specialty usually sees it; it does not narrow them"
                .to_owned(),
        );
    } else if !p.reason.is_empty() {
        notes.push(
            "reason is not one this organisation recognises; it does not change the order"
                .to_owned(),
        );
    }
    if !p.coverage.is_empty() {
        notes.push("coverage was accepted; every option here takes the plans offered".to_owned());
    }
    if !p.patient_resource.is_empty() {
        notes.push(
            "patient-resource was used for the options only; register the patient before booking"
                .to_owned(),
        );
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(id: &str, start: i64) -> FreeSlot {
        FreeSlot {
            id: id.to_owned(),
            schedule: "s".to_owned(),
            start,
            end: start + 900,
            free: true,
        }
    }

    #[test]
    fn visits_need_consecutive_slots_and_do_not_overlap() {
        let slots = [
            slot("a", 0),
            slot("b", 900),
            slot("c", 1800),
            slot("d", 3600),
            slot("e", 4500),
        ];
        let runs = visits(&slots, 30, 10);
        let ids: Vec<Vec<&str>> = runs
            .iter()
            .map(|r| r.iter().map(|s| s.id.as_str()).collect())
            .collect();
        assert_eq!(
            ids,
            vec![vec!["a", "b"], vec!["d", "e"]],
            "c alone is too short; gap before d"
        );
        assert_eq!(visits(&slots, 15, 2).len(), 2, "limit respected");
    }

    #[test]
    fn preference_ranks_the_first_matching_alternative() {
        assert_eq!(preference(&[] as &[u8], |_| false), Some(0));
        assert_eq!(preference(&[1, 2, 3], |x| *x >= 2), Some(1));
        assert_eq!(preference(&[1, 2], |x| *x > 5), None);
    }
}
