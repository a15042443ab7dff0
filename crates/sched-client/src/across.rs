//! Asking many organisations at once: `$find` everywhere concurrently, each answer delivered as
//! it arrives, one slow or failing organisation never holding back the others; then one ranked
//! list.

use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use fhir_model::{FindParams, Token, split_reference};
use futures::Stream;
use futures::stream::FuturesUnordered;

use crate::error::ClientError;
use crate::ops::avail::{Availability, Code, Proposal};
use crate::org::OrgClient;

/// One organisation's `$find` answer (or failure), as it arrives.
#[derive(Debug)]
pub struct OrgFindEvent {
    /// Position of the organisation in the list given to [`find_across`].
    pub org_index: usize,
    /// The organisation's name.
    pub org: String,
    pub result: Result<Availability, ClientError>,
    /// How long it took.
    pub elapsed: Duration,
}

/// Runs `$find` on every organisation concurrently, each bounded by `per_org_timeout` (a late
/// organisation is reported as `ClientError::Timeout`). Items arrive in completion order; the
/// stream ends when every organisation has answered or timed out. Dropping the stream cancels
/// the requests still running.
pub fn find_across(
    orgs: &[OrgClient],
    params: &FindParams,
    per_org_timeout: Duration,
) -> impl Stream<Item = OrgFindEvent> + Send + 'static {
    orgs.iter()
        .cloned()
        .enumerate()
        .map(|(org_index, org)| {
            let params = params.clone();
            async move {
                let started = Instant::now();
                let result = tokio::time::timeout(per_org_timeout, org.find_appointments(&params))
                    .await
                    .unwrap_or(Err(ClientError::Timeout(per_org_timeout)));
                OrgFindEvent {
                    org_index,
                    org: org.name().to_owned(),
                    result,
                    elapsed: started.elapsed(),
                }
            }
        })
        .collect::<FuturesUnordered<_>>()
}

/// A proposal in the merged list, borrowed from the answers it was ranked from (clone what
/// you keep).
#[derive(Debug, Clone, Copy)]
pub struct RankedOption<'a> {
    pub org_index: usize,
    pub org: &'a str,
    pub proposal: &'a Proposal,
}

/// Sort key: earliest start; then the preference order of the query's practitioners,
/// specialties and visit types (the first listed is preferred); then organisation order; then
/// the server's own order.
type Key = (
    bool,
    Option<DateTime<Utc>>,
    usize,
    usize,
    usize,
    usize,
    usize,
);

/// Merges the organisations' answers into one ranked list (failed organisations contribute
/// nothing; their errors stay in their events).
pub fn merge_ranked<'a>(events: &'a [OrgFindEvent], params: &FindParams) -> Vec<RankedOption<'a>> {
    let answers = events.iter().filter_map(|e| {
        e.result
            .as_ref()
            .ok()
            .map(|a| (e.org_index, e.org.as_str(), a))
    });
    rank(answers, params)
}

/// Ranks proposals from `(org_index, org name, availability)` triples; see [`merge_ranked`].
pub fn rank<'a>(
    answers: impl IntoIterator<Item = (usize, &'a str, &'a Availability)>,
    params: &FindParams,
) -> Vec<RankedOption<'a>> {
    let wanted: Vec<(&str, &str)> = params
        .practitioner
        .iter()
        .filter_map(|p| split_reference(p))
        .collect();
    let mut keyed: Vec<(Key, RankedOption<'a>)> = Vec::new();
    for (org_index, org, availability) in answers {
        for (pos, proposal) in availability.proposals.iter().enumerate() {
            let practitioner = proposal
                .actors_of_type("Practitioner")
                .filter_map(split_reference)
                .filter_map(|local| wanted.iter().position(|w| *w == local))
                .min()
                .unwrap_or(usize::MAX);
            let key = (
                proposal.start.is_none(),
                proposal.start,
                practitioner,
                preference(&params.specialty, &proposal.specialty),
                preference(&params.visit_type, &proposal.visit_type),
                org_index,
                pos,
            );
            keyed.push((
                key,
                RankedOption {
                    org_index,
                    org,
                    proposal,
                },
            ));
        }
    }
    keyed.sort_by_key(|(key, _)| *key);
    keyed.into_iter().map(|(_, option)| option).collect()
}

/// Index of the first wanted token that any coding carries (`usize::MAX` when none does).
fn preference(wanted: &[Token], codes: &[Code]) -> usize {
    wanted
        .iter()
        .position(|t| codes.iter().any(|c| c.matches(t)))
        .unwrap_or(usize::MAX)
}
