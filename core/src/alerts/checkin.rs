//! The check-in timer (dead-man switch): "if I have not checked in by T, alert
//! my contacts". At most one check-in runs at a time; it is one sealed row.
//!
//! Deadlines are instants in UTC, so a timer set for "two hours" lasts two
//! hours across a daylight-saving change. A deadline given as a local wall
//! time ([`local_deadline`]) is converted once, with the rules of
//! `java.time`: a time that does not exist (spring forward) moves forward by
//! the gap, and an ambiguous time (fall back) takes the earlier instant.

use super::model::Location;
use super::sealed::{check_id, from_ms, new_id, open_row, seal_row, to_ms};
use super::timers::ServerTimer;
use super::validate;
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

const TABLE: &str = "alert_checkin";
/// The longest a check-in may run.
pub const MAX_CHECKIN: Duration = Duration::days(7);
/// The shortest a check-in may run.
pub const MIN_CHECKIN: Duration = Duration::minutes(1);
/// Grace after the deadline before the alert fires, unless told otherwise.
pub const DEFAULT_GRACE: Duration = Duration::minutes(5);
/// The longest grace period.
pub const MAX_GRACE: Duration = Duration::hours(1);

/// Where a check-in stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckinState {
    /// Running.
    Active,
    /// The user checked in.
    Done,
    /// The user cancelled it.
    Cancelled,
    /// The deadline and grace passed: an alert fired.
    Missed,
}

impl CheckinState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckinState::Active => "active",
            CheckinState::Done => "done",
            CheckinState::Cancelled => "cancelled",
            CheckinState::Missed => "missed",
        }
    }
}

/// When a check-in is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinDeadline {
    /// At this instant.
    At(DateTime<Utc>),
    /// This long from now.
    In(Duration),
}

/// How to start a check-in.
#[derive(Clone, PartialEq)]
pub struct CheckinRequest {
    /// The deadline.
    pub deadline: CheckinDeadline,
    /// Grace after the deadline ([`DEFAULT_GRACE`] when `None`).
    pub grace: Option<Duration>,
    /// A note included in the alert ("meeting a new client at ...").
    pub note: Option<String>,
    /// The last known place, carried by a missed check-in alert.
    pub location: Option<Location>,
}

impl std::fmt::Debug for CheckinRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckinRequest")
            .field("deadline", &self.deadline)
            .field("grace", &self.grace)
            .field("has_note", &self.note.is_some())
            .field("has_location", &self.location.is_some())
            .finish()
    }
}

#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct CheckinRow {
    pub started_at: i64,
    pub deadline: i64,
    pub grace_ms: i64,
    pub note: Option<String>,
    pub state: CheckinState,
    pub alert_id: Option<String>,
    pub closed_at: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl CheckinRow {
    /// When the alert fires if nobody checks in.
    pub fn fires_at(&self) -> i64 {
        self.deadline.saturating_add(self.grace_ms)
    }
}

/// A check-in as callers see it.
#[derive(Clone, PartialEq, Eq)]
pub struct CheckinStatus {
    /// Random id.
    pub id: String,
    /// Where it stands.
    pub state: CheckinState,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// The deadline.
    pub deadline: DateTime<Utc>,
    /// When the alert fires without a check-in (deadline + grace).
    pub fires_at: DateTime<Utc>,
    /// The note.
    pub note: Option<String>,
    /// The alert it fired, if it was missed.
    pub alert_id: Option<String>,
    /// The timer the Matrix homeserver holds for it (`None`: no Matrix contact).
    pub server_timer: Option<ServerTimer>,
}

impl std::fmt::Debug for CheckinStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckinStatus")
            .field("id", &self.id)
            .field("state", &self.state)
            .field("deadline", &self.deadline)
            .field("fires_at", &self.fires_at)
            .field("alert_id", &self.alert_id)
            .field("server_timer", &self.server_timer)
            .finish_non_exhaustive()
    }
}

pub(crate) fn status(id: &str, row: &CheckinRow) -> CheckinStatus {
    CheckinStatus {
        id: id.to_owned(),
        state: row.state,
        started_at: from_ms(row.started_at),
        deadline: from_ms(row.deadline),
        fires_at: from_ms(row.fires_at()),
        note: row.note.clone(),
        alert_id: row.alert_id.clone(),
        server_timer: None,
    }
}

/// Converts a local wall-clock time in `tz` to an instant (DST rules above).
pub fn local_deadline(local: NaiveDateTime, tz: chrono_tz::Tz) -> Result<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.with_timezone(&Utc)),
        LocalResult::None => {
            // In a gap: interpret with the offset in force before the gap,
            // which moves the wall time forward by the gap's length.
            let before = local - Duration::hours(3);
            let offset = match tz.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.offset().fix(),
                LocalResult::None => return Err(Error::invalid("that local time does not exist")),
            };
            offset
                .from_local_datetime(&local)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(|| Error::invalid("that local time does not exist"))
        }
    }
}

/// Builds a new running check-in.
pub(crate) fn new_row(req: &CheckinRequest, now: DateTime<Utc>) -> Result<(String, CheckinRow)> {
    let deadline = match req.deadline {
        CheckinDeadline::At(t) => t,
        CheckinDeadline::In(d) => {
            if d < MIN_CHECKIN {
                return Err(Error::invalid("a check-in must last at least one minute"));
            }
            now.checked_add_signed(d)
                .ok_or_else(|| Error::invalid("check-in is too long"))?
        }
    };
    if deadline <= now {
        return Err(Error::invalid("the check-in deadline is in the past"));
    }
    if deadline - now > MAX_CHECKIN {
        return Err(Error::invalid("a check-in may last at most 7 days"));
    }
    let grace = req.grace.unwrap_or(DEFAULT_GRACE);
    if grace < Duration::zero() || grace > MAX_GRACE {
        return Err(Error::invalid("grace must be 0 to 60 minutes"));
    }
    let note = validate::note(req.note.as_deref())?;
    let location = req.location.map(Location::validate).transpose()?;
    Ok((
        new_id(16),
        CheckinRow {
            started_at: to_ms(now),
            deadline: to_ms(deadline),
            grace_ms: grace.num_milliseconds(),
            note,
            state: CheckinState::Active,
            alert_id: None,
            closed_at: None,
            location,
        },
    ))
}

/// The current (latest) check-in, if any.
pub(crate) fn current(conn: &Connection, key: &SecretKey) -> Result<Option<(String, CheckinRow)>> {
    use rusqlite::OptionalExtension;
    let row: Option<(String, Vec<u8>)> = conn
        .query_row("SELECT id, sealed FROM alert_checkin LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    match row {
        None => Ok(None),
        Some((id, sealed)) => {
            check_id(&id, "check-in")?;
            Ok(Some((id.clone(), open_row(key, TABLE, &id, &sealed)?)))
        }
    }
}

/// Replaces the stored check-in with `row`.
pub(crate) fn put(conn: &Connection, key: &SecretKey, id: &str, row: &CheckinRow) -> Result<()> {
    let sealed = seal_row(key, TABLE, id, row)?;
    conn.execute("DELETE FROM alert_checkin WHERE id <> ?1", [id])?;
    conn.execute(
        "INSERT INTO alert_checkin(id, sealed) VALUES (?1, ?2)
         ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
        rusqlite::params![id, sealed],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use chrono_tz::Europe::Amsterdam;

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    #[test]
    fn local_deadlines_across_europes_dst_changes() {
        // Ordinary winter and summer times.
        assert_eq!(
            local_deadline(local(2026, 1, 10, 22, 0), Amsterdam).unwrap(),
            utc(2026, 1, 10, 21, 0)
        );
        assert_eq!(
            local_deadline(local(2026, 7, 10, 22, 0), Amsterdam).unwrap(),
            utc(2026, 7, 10, 20, 0)
        );
        // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist
        // and means 03:30 CEST (01:30 UTC), as java.time does.
        assert_eq!(
            local_deadline(local(2026, 3, 29, 2, 30), Amsterdam).unwrap(),
            utc(2026, 3, 29, 1, 30)
        );
        assert_eq!(
            local_deadline(local(2026, 3, 29, 3, 0), Amsterdam).unwrap(),
            utc(2026, 3, 29, 1, 0)
        );
        // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens
        // twice and the earlier one (CEST, 00:30 UTC) is chosen.
        assert_eq!(
            local_deadline(local(2026, 10, 25, 2, 30), Amsterdam).unwrap(),
            utc(2026, 10, 25, 0, 30)
        );
    }

    #[test]
    fn durations_are_exact_across_dst() {
        let now = utc(2026, 3, 29, 0, 30); // 01:30 CET, before the jump
        let (_, row) = new_row(
            &CheckinRequest {
                deadline: CheckinDeadline::In(Duration::hours(2)),
                grace: Some(Duration::zero()),
                note: None,
                location: None,
            },
            now,
        )
        .unwrap();
        // Two real hours later, although the wall clock moved three.
        assert_eq!(from_ms(row.deadline), utc(2026, 3, 29, 2, 30));
    }

    #[test]
    fn bad_requests() {
        let now = utc(2026, 5, 1, 12, 0);
        let req = |deadline, grace| CheckinRequest {
            deadline,
            grace,
            note: None,
            location: None,
        };
        for r in [
            req(CheckinDeadline::In(Duration::seconds(10)), None),
            req(CheckinDeadline::In(Duration::days(8)), None),
            req(CheckinDeadline::At(now - Duration::minutes(1)), None),
            req(CheckinDeadline::At(now), None),
            req(
                CheckinDeadline::In(Duration::hours(1)),
                Some(Duration::hours(2)),
            ),
            req(
                CheckinDeadline::In(Duration::hours(1)),
                Some(Duration::minutes(-1)),
            ),
        ] {
            assert!(
                matches!(new_row(&r, now), Err(Error::InvalidInput(_))),
                "{r:?}"
            );
        }
        let mut r = req(CheckinDeadline::In(Duration::hours(1)), None);
        r.note = Some("x".repeat(5000));
        assert!(new_row(&r, now).is_err());
    }
}
