//! "Open now": opening hours evaluated in the service's own time zone.
//!
//! Schedules are local wall-clock times, so an instant is first converted to
//! the service's local time with chrono-tz (which knows every daylight-saving
//! change), then compared with the spans of that weekday, and with spans of the
//! previous day that run past midnight.

use super::model::{Hours, WeeklySpan};
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Minutes since local midnight of "HH:MM" ("24:00" = 1440).
pub fn parse_hhmm(s: &str) -> Result<u32> {
    let bad = || Error::Content(format!("bad time {s:?}: use HH:MM"));
    let (h, m) = s.split_once(':').ok_or_else(bad)?;
    if h.len() != 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(bad());
    }
    Ok(h * 60 + m)
}

/// Parses an IANA time zone name.
pub fn parse_tz(name: &str) -> Result<Tz> {
    name.parse::<Tz>()
        .map_err(|_| Error::Content(format!("unknown time zone {name:?}")))
}

/// Checks that a span is well formed (days given, valid times, not empty).
pub fn validate_span(span: &WeeklySpan) -> Result<()> {
    if span.days.is_empty() {
        return Err(Error::Content("an opening-hours span has no days".into()));
    }
    let open = parse_hhmm(&span.open)?;
    let close = parse_hhmm(&span.close)?;
    if open == close || open == 1440 {
        return Err(Error::Content(format!(
            "empty opening-hours span {}-{}",
            span.open, span.close
        )));
    }
    Ok(())
}

/// Whether a service with `hours` in `tz` is open at `at`: `None` when its
/// hours are unknown (or unreadable), never a guess.
pub fn is_open_at(hours: &Hours, tz: &str, at: DateTime<Utc>) -> Option<bool> {
    match hours {
        Hours::Always => Some(true),
        Hours::Unknown => None,
        Hours::Weekly(spans) => {
            let tz = parse_tz(tz).ok()?;
            let local = tz.from_utc_datetime(&at.naive_utc());
            let today = local.weekday();
            let yesterday = today.pred();
            let now = local.hour() * 60 + local.minute();
            let mut open = false;
            for span in spans {
                let (Ok(o), Ok(c)) = (parse_hhmm(&span.open), parse_hhmm(&span.close)) else {
                    return None;
                };
                let starts_today = span.days.iter().any(|d| d.weekday() == today);
                let started_yesterday = span.days.iter().any(|d| d.weekday() == yesterday);
                if o < c {
                    open |= starts_today && now >= o && now < c;
                } else {
                    // Runs past midnight: today's evening part, or the
                    // morning part of a span that began yesterday.
                    open |= (starts_today && now >= o) || (started_yesterday && now < c);
                }
            }
            Some(open)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build keeps only European zones (`CHRONO_TZ_TIMEZONE_FILTER` in
    /// `.cargo/config.toml`, for the library's size): every EU/EEA zone,
    /// including the islands, must still be there.
    #[test]
    fn the_time_zone_filter_keeps_every_eu_eea_zone() {
        for zone in [
            "Europe/Amsterdam",
            "Europe/Stockholm",
            "Europe/Warsaw",
            "Europe/Zagreb",
            "Europe/Lisbon",
            "Atlantic/Azores",
            "Atlantic/Madeira",
            "Atlantic/Canary",
            "Africa/Ceuta",
            "Asia/Nicosia",
            "Asia/Famagusta",
            "Atlantic/Reykjavik",
            "Europe/Oslo",
            "Arctic/Longyearbyen",
            "Europe/Vaduz",
            "Europe/London",
            "Europe/Zurich",
            "UTC",
        ] {
            assert!(parse_tz(zone).is_ok(), "{zone} is missing from the build");
        }
        assert!(
            parse_tz("America/New_York").is_err(),
            "the filter is not applied"
        );
    }
    use crate::helplines::model::Day;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn weekly(days: &[Day], open: &str, close: &str) -> Hours {
        Hours::Weekly(vec![WeeklySpan {
            days: days.to_vec(),
            open: open.into(),
            close: close.into(),
        }])
    }

    const WEEKDAYS: [Day; 5] = [Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri];

    #[test]
    fn office_hours_in_local_time_across_both_dst_changes() {
        let h = weekly(&WEEKDAYS, "09:00", "17:00");
        let tz = "Europe/Amsterdam";
        // Winter (UTC+1): 08:30 UTC is 09:30 local.
        assert_eq!(is_open_at(&h, tz, utc("2026-01-13T08:30:00Z")), Some(true));
        assert_eq!(is_open_at(&h, tz, utc("2026-01-13T07:59:00Z")), Some(false));
        assert_eq!(
            is_open_at(&h, tz, utc("2026-01-13T16:30:00Z")),
            Some(false),
            "17:30 local"
        );
        // Spring forward: Sunday 29 March 2026. Monday 30 March is UTC+2.
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-30T07:30:00Z")),
            Some(true),
            "09:30 CEST"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-30T06:30:00Z")),
            Some(false),
            "08:30 CEST"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-30T14:59:00Z")),
            Some(true),
            "16:59 CEST"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-30T15:00:00Z")),
            Some(false),
            "17:00 CEST"
        );
        // Fall back: Sunday 25 October 2026. Monday 26 October is UTC+1 again.
        assert_eq!(
            is_open_at(&h, tz, utc("2026-10-26T07:30:00Z")),
            Some(false),
            "08:30 CET"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-10-26T08:00:00Z")),
            Some(true),
            "09:00 CET"
        );
        // Friday before the change (UTC+2) and the Sunday of the change: closed.
        assert_eq!(
            is_open_at(&h, tz, utc("2026-10-23T15:30:00Z")),
            Some(false),
            "17:30 CEST"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-10-25T10:00:00Z")),
            Some(false),
            "Sunday"
        );
    }

    #[test]
    fn night_on_the_dst_change_itself() {
        // 22:00-06:00 every day, Warsaw. Night of 28/29 March 2026: clocks jump 02:00->03:00.
        let all = [
            Day::Mon,
            Day::Tue,
            Day::Wed,
            Day::Thu,
            Day::Fri,
            Day::Sat,
            Day::Sun,
        ];
        let h = weekly(&all, "22:00", "06:00");
        let tz = "Europe/Warsaw";
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-28T21:30:00Z")),
            Some(true),
            "22:30 CET"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-29T01:30:00Z")),
            Some(true),
            "03:30 CEST"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-29T03:59:00Z")),
            Some(true),
            "05:59 CEST"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-03-29T04:00:00Z")),
            Some(false),
            "06:00 CEST"
        );
        // 25 October 2026: 03:00 CEST -> 02:00 CET; 05:30 CET = 04:30 UTC.
        assert_eq!(is_open_at(&h, tz, utc("2026-10-25T04:30:00Z")), Some(true));
        assert_eq!(
            is_open_at(&h, tz, utc("2026-10-25T05:00:00Z")),
            Some(false),
            "06:00 CET"
        );
    }

    #[test]
    fn overnight_span_belongs_to_the_day_it_starts() {
        // Friday 20:00 to Saturday 02:00 only, Stockholm (winter, UTC+1).
        let h = weekly(&[Day::Fri], "20:00", "02:00");
        let tz = "Europe/Stockholm";
        assert_eq!(
            is_open_at(&h, tz, utc("2026-01-16T19:30:00Z")),
            Some(true),
            "Fri 20:30"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-01-17T00:30:00Z")),
            Some(true),
            "Sat 01:30"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-01-17T01:00:00Z")),
            Some(false),
            "Sat 02:00"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-01-15T23:30:00Z")),
            Some(false),
            "Fri 00:30"
        );
        assert_eq!(
            is_open_at(&h, tz, utc("2026-01-17T19:30:00Z")),
            Some(false),
            "Sat 20:30"
        );
    }

    #[test]
    fn always_unknown_and_end_of_day() {
        let t = utc("2026-07-01T03:00:00Z");
        assert_eq!(is_open_at(&Hours::Always, "Europe/Zagreb", t), Some(true));
        assert_eq!(is_open_at(&Hours::Unknown, "Europe/Zagreb", t), None);
        let h = weekly(&[Day::Wed], "18:00", "24:00");
        // 1 July 2026 is a Wednesday; Zagreb is UTC+2 in summer.
        assert_eq!(
            is_open_at(&h, "Europe/Zagreb", utc("2026-07-01T21:59:00Z")),
            Some(true)
        );
        assert_eq!(
            is_open_at(&h, "Europe/Zagreb", utc("2026-07-01T22:00:00Z")),
            Some(false)
        );
        assert_eq!(
            is_open_at(&h, "Not/AZone", t),
            None,
            "unreadable zone is unknown"
        );
    }

    #[test]
    fn bad_times_are_refused() {
        for bad in ["9:00", "25:00", "24:01", "12:60", "ab:cd", "", "1200"] {
            assert!(parse_hhmm(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_hhmm("24:00").unwrap(), 1440);
        let empty = WeeklySpan {
            days: vec![Day::Mon],
            open: "10:00".into(),
            close: "10:00".into(),
        };
        assert!(validate_span(&empty).is_err());
        let no_days = WeeklySpan {
            days: vec![],
            open: "10:00".into(),
            close: "11:00".into(),
        };
        assert!(validate_span(&no_days).is_err());
    }
}
