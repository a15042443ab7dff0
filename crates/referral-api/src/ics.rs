//! Renders a booked appointment as an RFC 5545 iCalendar file (the confirmation's `.ics`
//! export). Pure text formatting of a DTO, so the shell's `export_ics` stays a one-liner.

use chrono::{DateTime, Utc};

use crate::booking::BookingConfirmation;

/// RFC 5545 §3.1: content lines are folded at 75 octets.
const MAX_LINE_OCTETS: usize = 75;

/// The `.ics` text for one booking: one VEVENT, UTC times, CRLF line ends, folded lines.
pub fn render(booking: &BookingConfirmation) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Referral Desk//Referral Desk//EN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!(
            "UID:{}",
            escape(&format!("{}@referral-desk", booking.appointment_id))
        ),
        format!("DTSTAMP:{}", utc_stamp(booking.booked_at)),
        format!("DTSTART:{}", utc_stamp(booking.start)),
        format!("DTEND:{}", utc_stamp(booking.end)),
        format!(
            "SUMMARY:{}",
            escape(&format!(
                "{} — {}",
                booking.service, booking.organisation_name
            ))
        ),
    ];
    if let Some(location) = &booking.location {
        lines.push(format!("LOCATION:{}", escape(location)));
    }
    lines.push(format!("DESCRIPTION:{}", escape(&description(booking))));
    lines.push("STATUS:CONFIRMED".to_owned());
    lines.extend(["END:VEVENT".to_owned(), "END:VCALENDAR".to_owned()]);
    lines.iter().map(|l| fold(l) + "\r\n").collect()
}

/// Suggested file name for a booking's export.
pub fn file_name(booking: &BookingConfirmation) -> String {
    let safe: String = booking
        .referral_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("referral-{safe}.ics")
}

fn description(b: &BookingConfirmation) -> String {
    let mut text = format!(
        "Patient: {}\nOrganisation: {}",
        b.patient_name, b.organisation_name
    );
    if let Some(p) = &b.practitioner {
        text.push_str(&format!("\nWith: {p}"));
    }
    if let Some(c) = &b.comment {
        text.push_str(&format!("\nComment: {c}"));
    }
    text.push_str(&format!("\nAppointment id: {}", b.appointment_id));
    text
}

fn utc_stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// RFC 5545 §3.3.11 TEXT escaping.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a line into pieces of at most 75 octets, never splitting a UTF-8 character;
/// continuation lines start with one space (which counts toward their 75).
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn booking() -> BookingConfirmation {
        BookingConfirmation {
            referral_id: "r/1".into(),
            appointment_id: "appt-42".into(),
            organisation_name: "Napa Valley Clinic".into(),
            patient_name: "Peter Chalmers".into(),
            start: "2026-12-01T09:30:00Z".parse().unwrap(),
            end: "2026-12-01T10:00:00Z".parse().unwrap(),
            practitioner: Some("Dr. Ruth Schmidt".into()),
            location: Some("Building 2, Room 3; east wing".into()),
            service: "Dermatology".into(),
            comment: Some("Bring previous scans, please".into()),
            booked_at: "2026-11-22T10:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn renders_one_event_with_utc_times_and_crlf() {
        let ics = render(&booking());
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(ics.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(ics.contains("\r\nDTSTART:20261201T093000Z\r\n"));
        assert!(ics.contains("\r\nDTEND:20261201T100000Z\r\n"));
        assert!(ics.contains("\r\nUID:appt-42@referral-desk\r\n"));
        assert!(!ics.replace("\r\n", "").contains('\n'), "bare LF in output");
    }

    #[test]
    fn text_values_are_escaped() {
        let ics = render(&booking());
        assert!(ics.contains("LOCATION:Building 2\\, Room 3\\; east wing"));
        assert!(ics.contains("Patient: Peter Chalmers\\nOrganisation"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let mut b = booking();
        b.comment = Some("é".repeat(120));
        let ics = render(&b);
        for line in ics.split("\r\n") {
            assert!(
                line.len() <= MAX_LINE_OCTETS,
                "{} octets: {line}",
                line.len()
            );
        }
        let unfolded = ics.replace("\r\n ", "");
        assert!(unfolded.contains(&"é".repeat(120)));
    }

    #[test]
    fn file_name_is_safe_for_any_referral_id() {
        assert_eq!(file_name(&booking()), "referral-r_1.ics");
    }
}
