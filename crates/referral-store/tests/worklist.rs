//! The worklist query over `referrals`: each filter selects exactly the referrals it promises,
//! alone and combined, and paging neither skips nor repeats a row.
#![allow(clippy::unwrap_used, reason = "tests")]

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{Steps, new_org, new_referral, org_id, patient, store_with_org};
use referral_model::LocalDays;
use referral_store::{
    AppointmentRef, BookingRecord, DateFilter, DateWindow, MatchMode, ReferralId, ReferralStatus,
    Store, TextFilter, WorklistOrder, WorklistQuery,
};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 5, d).unwrap()
}

struct Desk {
    store: Store,
    smith: ReferralId,
    angstrom: ReferralId,
    okafor: ReferralId,
    booked_south: ReferralId,
}

/// Four referrals: two drafts at north (windows from May 4 and May 11), one searching at north,
/// and one booked at south for 2026-05-06 10:00Z.
fn desk() -> Desk {
    let (store, clock) = store_with_org();
    store.add_organisation(&new_org("south")).unwrap();
    let make = |org: &str, p, start: u32| {
        let mut new = new_referral(org, p);
        new.requested_window = Some(DateWindow {
            start: day(start),
            end: day(start + 5),
        });
        clock.advance(Duration::minutes(1));
        store.create_referral(&new).unwrap()
    };
    let smith = make(
        "north",
        patient("Anna Smith", "Smith", "Anna", "MRN-0042"),
        4,
    );
    let angstrom = make(
        "north",
        patient("Åsa Ängström", "Ängström", "Åsa", "mrn-1001"),
        11,
    );
    let okafor = make(
        "north",
        patient("Chidi Okafor", "Okafor", "Chidi", "X-77"),
        4,
    );
    let booked = make(
        "south",
        patient("Anna Berg", "Berg", "Anna", "MRN-0099"),
        18,
    );
    let okafor = store
        .set_status(okafor.id, 1, ReferralStatus::Searching, None)
        .unwrap();
    let b = store
        .set_status(booked.id, 1, ReferralStatus::Searching, None)
        .unwrap();
    let booking = BookingRecord {
        appointment: AppointmentRef {
            id: "a-1".into(),
            version: None,
        },
        start: Utc.with_ymd_and_hms(2026, 5, 6, 10, 0, 0).unwrap(),
        end: None,
        practitioner_display: None,
        location_display: None,
        comment: None,
    };
    store.record_booking(b.id, b.version, &booking).unwrap();
    Desk {
        store,
        smith: smith.id,
        angstrom: angstrom.id,
        okafor: okafor.id,
        booked_south: b.id,
    }
}

fn ids(store: &Store, q: WorklistQuery) -> Vec<ReferralId> {
    let mut found: Vec<_> = store
        .worklist(&q)
        .unwrap()
        .referrals
        .into_iter()
        .map(|r| r.id)
        .collect();
    found.sort();
    found
}

fn sorted(mut v: Vec<ReferralId>) -> Vec<ReferralId> {
    v.sort();
    v
}

fn name(text: &str, mode: MatchMode) -> Option<TextFilter> {
    Some(TextFilter {
        text: text.into(),
        mode,
    })
}

#[test]
fn a_status_set_selects_referrals_in_any_of_those_statuses() {
    let d = desk();
    let q = |s: Vec<ReferralStatus>| WorklistQuery {
        statuses: s,
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q(vec![ReferralStatus::Draft])),
        sorted(vec![d.smith, d.angstrom])
    );
    let open = vec![ReferralStatus::Searching, ReferralStatus::Booked];
    assert_eq!(
        ids(&d.store, q(open)),
        sorted(vec![d.okafor, d.booked_south])
    );
    assert_eq!(
        ids(&d.store, q(vec![])).len(),
        4,
        "an empty set means any status"
    );
}

#[test]
fn the_organisation_filter_selects_that_organisation_only() {
    let d = desk();
    let q = WorklistQuery {
        organisation: Some(org_id("south")),
        ..Default::default()
    };
    assert_eq!(ids(&d.store, q), vec![d.booked_south]);
}

#[test]
fn the_requested_range_includes_both_end_days_of_the_window_start() {
    let d = desk();
    let q = |from, to| WorklistQuery {
        date: Some(DateFilter::Requested { from, to }),
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q(day(4), day(4))),
        sorted(vec![d.smith, d.okafor]),
        "same-day range"
    );
    assert_eq!(
        ids(&d.store, q(day(5), day(11))),
        vec![d.angstrom],
        "window starting on `to` counts"
    );
    assert!(
        ids(&d.store, q(day(12), day(17))).is_empty(),
        "filters on start, not overlap"
    );
}

#[test]
fn the_booked_range_is_half_open_and_skips_unbooked_referrals() {
    let d = desk();
    let at = |h| Utc.with_ymd_and_hms(2026, 5, 6, h, 0, 0).unwrap();
    let q = |from, to| WorklistQuery {
        date: Some(DateFilter::Booked { from, to }),
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q(at(10), at(11))),
        vec![d.booked_south],
        "from is inclusive"
    );
    assert!(
        ids(&d.store, q(at(9), at(10))).is_empty(),
        "to is exclusive"
    );
}

#[test]
fn name_search_ignores_case_and_works_for_non_ascii_names() {
    let d = desk();
    let q = |t: &str, m| WorklistQuery {
        patient_name: name(t, m),
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q("smi", MatchMode::Prefix)),
        vec![d.smith],
        "family prefix"
    );
    assert_eq!(
        ids(&d.store, q("ANNA", MatchMode::Prefix)),
        sorted(vec![d.smith, d.booked_south]),
        "given"
    );
    assert_eq!(
        ids(&d.store, q("anna  sm", MatchMode::Prefix)),
        vec![d.smith],
        "display, spaces collapsed"
    );
    assert_eq!(
        ids(&d.store, q("äNG", MatchMode::Prefix)),
        vec![d.angstrom],
        "Unicode lower-casing"
    );
    assert!(
        ids(&d.store, q("mith", MatchMode::Prefix)).is_empty(),
        "prefix does not match inside"
    );
    assert_eq!(
        ids(&d.store, q("mith", MatchMode::Contains)),
        vec![d.smith],
        "contains does"
    );
}

#[test]
fn mrn_search_ignores_case() {
    let d = desk();
    let q = |t: &str, m| WorklistQuery {
        mrn: name(t, m),
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q("mrn-00", MatchMode::Prefix)),
        sorted(vec![d.smith, d.booked_south])
    );
    assert_eq!(
        ids(&d.store, q("MRN-1001", MatchMode::Prefix)),
        vec![d.angstrom],
        "stored lower-case, asked upper"
    );
    assert_eq!(ids(&d.store, q("77", MatchMode::Contains)), vec![d.okafor]);
}

#[test]
fn filters_combine_with_and() {
    let d = desk();
    let q = WorklistQuery {
        statuses: vec![ReferralStatus::Draft, ReferralStatus::Booked],
        organisation: Some(org_id("north")),
        date: Some(DateFilter::Requested {
            from: day(1),
            to: day(31),
        }),
        patient_name: name("anna", MatchMode::Prefix),
        mrn: name("mrn", MatchMode::Prefix),
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q),
        vec![d.smith],
        "Anna Berg is booked but at south"
    );
}

#[test]
fn paging_walks_every_row_once_in_the_chosen_order() {
    let d = desk();
    let page = |offset| WorklistQuery {
        limit: 3,
        offset,
        ..Default::default()
    };
    let first = d.store.worklist(&page(0)).unwrap();
    let second = d.store.worklist(&page(3)).unwrap();
    assert!(first.has_more && !second.has_more);
    let order: Vec<_> = first
        .referrals
        .iter()
        .chain(&second.referrals)
        .map(|r| r.id)
        .collect();
    assert_eq!(
        order,
        vec![d.booked_south, d.okafor, d.angstrom, d.smith],
        "most recently changed first"
    );

    let by_name = WorklistQuery {
        order: WorklistOrder::PatientName,
        ..Default::default()
    };
    let names: Vec<_> = d
        .store
        .worklist(&by_name)
        .unwrap()
        .referrals
        .into_iter()
        .map(|r| r.patient.display_name)
        .collect();
    assert_eq!(
        names,
        ["Anna Berg", "Anna Smith", "Chidi Okafor", "Åsa Ängström"]
    );

    let by_booked = WorklistQuery {
        order: WorklistOrder::BookedStartAsc,
        limit: 1,
        ..Default::default()
    };
    assert_eq!(
        d.store.worklist(&by_booked).unwrap().referrals[0].id,
        d.booked_south,
        "unbooked last"
    );
}

#[test]
fn a_query_that_cannot_be_answered_is_refused_with_a_typed_error() {
    let d = desk();
    for q in [
        WorklistQuery {
            limit: 0,
            ..Default::default()
        },
        WorklistQuery {
            limit: 501,
            ..Default::default()
        },
        WorklistQuery {
            patient_name: name("   ", MatchMode::Prefix),
            ..Default::default()
        },
    ] {
        assert!(
            d.store.worklist(&q).unwrap_err().is_invalid_input(),
            "{q:?}"
        );
    }
}

#[test]
fn substring_search_uses_whole_text_and_treats_quotes_as_text() {
    let d = desk();
    let q = |t: &str| WorklistQuery {
        patient_name: name(t, MatchMode::Contains),
        ..Default::default()
    };
    assert_eq!(
        ids(&d.store, q("NGSTR")),
        vec![d.angstrom],
        "trigram lookup, case-insensitive"
    );
    assert_eq!(
        ids(&d.store, q("a s")),
        vec![d.smith],
        "spans the space between names"
    );
    assert!(
        ids(&d.store, q("smith x")).is_empty(),
        "all of the text must occur, not any trigram"
    );
    assert!(
        ids(&d.store, q("a\"b OR c")).is_empty(),
        "search syntax in the text is not interpreted"
    );
}

fn search(text: &str) -> Option<TextFilter> {
    Some(TextFilter {
        text: text.into(),
        mode: MatchMode::Contains,
    })
}

#[test]
fn name_or_mrn_search_is_combined_with_the_status_filter_in_one_query() {
    let d = desk();
    // "anna" is in Smith's and Berg's names; "mrn-0" in their MRNs; "x-77" only in Okafor's MRN.
    let anna = |statuses| WorklistQuery {
        statuses,
        search: search("anna"),
        ..WorklistQuery::default()
    };
    assert_eq!(
        ids(&d.store, anna(vec![])),
        sorted(vec![d.smith, d.booked_south])
    );
    assert_eq!(
        ids(&d.store, anna(vec![ReferralStatus::Booked])),
        vec![d.booked_south]
    );
    let by_mrn = WorklistQuery {
        statuses: vec![ReferralStatus::Searching],
        search: search("x-77"),
        ..WorklistQuery::default()
    };
    assert_eq!(
        ids(&d.store, by_mrn),
        vec![d.okafor],
        "an MRN match, filtered by status"
    );
    let short = WorklistQuery {
        statuses: vec![ReferralStatus::Draft],
        search: search("77"),
        ..WorklistQuery::default()
    };
    assert!(
        ids(&d.store, short).is_empty(),
        "Okafor matches 77 but is not a draft"
    );
}

#[test]
fn total_counts_every_match_when_the_page_is_smaller() {
    let d = desk();
    let q = |offset| WorklistQuery {
        search: search("mrn"),
        limit: 1,
        offset,
        ..WorklistQuery::default()
    };
    let first = d.store.worklist(&q(0)).unwrap();
    assert_eq!(first.referrals.len(), 1);
    assert!(first.has_more);
    assert_eq!(
        first.total, 3,
        "Smith, Ängström and Berg have MRN-… numbers"
    );
    let last = d.store.worklist(&q(2)).unwrap();
    assert_eq!(
        (last.referrals.len(), last.has_more, last.total),
        (1, false, 3)
    );
    let all = d.store.worklist(&WorklistQuery::default()).unwrap();
    assert_eq!(all.total, 4);
}

/// A store holding one referral booked at `start`.
fn booked_at(start: chrono::DateTime<Utc>) -> Store {
    let (store, _) = store_with_org();
    let r = store.create_referral(&common::smith()).unwrap();
    let r = store
        .set_status(r.id, r.version, ReferralStatus::Searching, None)
        .unwrap();
    let booking = BookingRecord {
        appointment: AppointmentRef {
            id: "late".into(),
            version: None,
        },
        start,
        end: None,
        practitioner_display: None,
        location_display: None,
        comment: None,
    };
    store.record_booking(r.id, r.version, &booking).unwrap();
    store
}

/// How many referrals are booked on May `d` as a user at `offset_minutes` sees the calendar.
fn booked_on(store: &Store, offset_minutes: i32, d: u32) -> u64 {
    let days = LocalDays {
        from: Some(day(d)),
        to: Some(day(d)),
        utc_offset_minutes: offset_minutes,
    };
    let q = WorklistQuery {
        date: days.booked_filter().unwrap(),
        ..WorklistQuery::default()
    };
    store.worklist(&q).unwrap().total
}

#[test]
fn a_booking_at_half_past_eleven_at_night_is_on_that_local_day() {
    // 23:30 on May 6 at UTC+2 is 21:30Z on May 6.
    let east = booked_at(Utc.with_ymd_and_hms(2026, 5, 6, 21, 30, 0).unwrap());
    assert_eq!(booked_on(&east, 120, 6), 1, "May 6 for the UTC+2 user");
    assert_eq!(booked_on(&east, 120, 7), 0);

    // 23:30 on May 6 at UTC-5 is 04:30Z on May 7: May 6 for that user, not May 7.
    let west = booked_at(Utc.with_ymd_and_hms(2026, 5, 7, 4, 30, 0).unwrap());
    assert_eq!(booked_on(&west, -300, 6), 1, "May 6 for the UTC-5 user");
    assert_eq!(booked_on(&west, -300, 7), 0);
    assert_eq!(
        booked_on(&west, 0, 7),
        1,
        "May 7 in UTC: why the offset matters"
    );
}
