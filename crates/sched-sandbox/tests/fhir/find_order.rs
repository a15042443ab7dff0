//! `$find` stops reading slots early; it must still return exactly the best options: a small
//! `_count` gives the head of a large one, for plain and preference-ranked searches.

use std::sync::Arc;

use chrono::{Duration, Utc};
use fhir_model::terminology::SPECIALTIES;
use fhir_model::{FindParams, Resource};
use sched_sandbox::org::Organisation;
use sched_sandbox::store::Store;
use sched_sandbox::{Clock, SandboxConfig};

fn ids(org: &Organisation, p: &FindParams) -> Vec<String> {
    let bundle = org.find(p).unwrap();
    bundle
        .entry
        .iter()
        .filter_map(|e| e.resource.as_ref())
        .filter_map(Resource::as_appointment)
        .filter_map(|a| a.id.clone())
        .collect()
}

#[test]
fn a_small_count_is_the_head_of_a_large_one() {
    let config = SandboxConfig::default();
    let org = Organisation::open(
        &config.organisations[0],
        Arc::new(Store::open(None).unwrap()),
        "http://127.0.0.1:9",
        Clock::system(),
    )
    .unwrap();
    let now = Utc::now();
    let base = FindParams {
        start: Some(now.to_rfc3339()),
        end: Some((now + Duration::days(14)).to_rfc3339()),
        ..FindParams::default()
    };
    let searches = [
        FindParams {
            specialty: vec![SPECIALTIES.token("394582007")],
            ..base.clone()
        },
        FindParams {
            practitioner: vec![
                "Practitioner/pract-4".to_owned(),
                "Practitioner/pract-1".to_owned(),
                "Practitioner/pract-3".to_owned(),
            ],
            ..base.clone()
        },
        FindParams {
            location_string: vec![
                "nowhere".to_owned(),
                org.directory.schedules[2].address[0].clone(),
            ],
            ..base.clone()
        },
    ];
    for search in searches {
        let all = ids(
            &org,
            &FindParams {
                count: Some(100),
                ..search.clone()
            },
        );
        assert!(
            all.len() >= 20,
            "enough availability to compare: {}",
            all.len()
        );
        for n in [1, 3, 7, 20] {
            assert_eq!(
                ids(
                    &org,
                    &FindParams {
                        count: Some(n),
                        ..search.clone()
                    }
                ),
                all[..n as usize],
                "count {n} for {search:?}"
            );
        }
    }
}
