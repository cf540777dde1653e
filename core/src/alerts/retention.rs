//! Retention: old alerts leave the device, so that neither the cost of an
//! alert nor what an examiner of the phone can read grows with history.
//!
//! An alert is removed, with every one of its deliveries (texts, targets,
//! locations, notes), once it has been idle for the retention period
//! ([`DEFAULT_RETENTION`], 7 days unless the shell sets another) and nothing
//! of it is still waiting to be sent or for the user:
//! * a cancelled or resolved alert: counted from when it was closed;
//! * a fired alert never resolved: counted from its last activity (firing,
//!   the last location follow-up, the last delivery that finished);
//! * a countdown, or an alert with a location follow-up waiting: never.
//!
//! Test messages go the same way, counted from when they finished, and a
//! finished check-in or hold (with its note and place) from when it closed,
//! with its server-held timers once the homeserver has settled them.
//!
//! Each alert is removed in its own transaction, so a crash in the middle of
//! a sweep leaves every alert either whole or gone; the next sweep goes on.
//! Deletion is crypto-shredding as for journal deletes: `secure_delete` zeroes
//! the freed pages and a WAL checkpoint (TRUNCATE) follows, so nothing remains
//! in the database file or its WAL. A copy of the data directory taken
//! earlier still holds them (the device key is the same): see docs/security.md.
//!
//! What the sweep reads in plaintext is `idle_since`, the last activity
//! rounded up to the hour (so a row may stay up to an hour longer than the
//! period); rows from before the column existed are filled in (by opening
//! them) on the first sweeps.

use super::checkin::{self, CheckinState};
use super::outbox::DeliveryBody;
use super::sealed::{open_row, to_ms};
use super::{alert, hold, model::DeliveryState, timers};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::{DateTime, Utc};
use rusqlite::params;
use std::time::Duration;

/// How long an idle alert stays on the device unless the shell chooses
/// otherwise: long enough to check what was sent, short enough that old
/// locations do not linger.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(7 * 24 * 3600);
/// The shortest retention the engine accepts (longer than the outbox's
/// longest retry period, so nothing is removed while it may still be sent).
pub const MIN_RETENTION: Duration = Duration::from_secs(24 * 3600);
/// The longest retention the engine accepts.
pub const MAX_RETENTION: Duration = Duration::from_secs(365 * 24 * 3600);
/// The most alerts one sweep removes (bounds the work of one flush).
pub const SWEEP_LIMIT: usize = 500;

const HOUR_MS: i64 = 3_600_000;

/// `ms` rounded up to the next full hour (unchanged when already on one).
pub(crate) fn round_up_to_hour(ms: i64) -> i64 {
    ms.saturating_add(HOUR_MS - 1).div_euclid(HOUR_MS) * HOUR_MS
}

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PruneReport {
    /// Alerts removed.
    pub alerts: u32,
    /// Deliveries removed (of those alerts, and test messages).
    pub deliveries: u32,
    /// Finished check-ins removed.
    pub checkins: u32,
}

impl PruneReport {
    fn is_empty(&self) -> bool {
        *self == PruneReport::default()
    }
}

/// Delivery states that are still waiting for the network or the user.
const WAITING: [DeliveryState; 3] = [
    DeliveryState::Queued,
    DeliveryState::Sending,
    DeliveryState::NeedsUserAction,
];

/// Removes everything idle for longer than `retention` (at most
/// [`SWEEP_LIMIT`] alerts), then checkpoints the WAL if anything went.
pub(crate) fn sweep(
    store: &Store,
    key: &SecretKey,
    now: DateTime<Utc>,
    retention: Duration,
) -> Result<PruneReport> {
    backfill(store, key, now)?;
    let cutoff = to_ms(now).saturating_sub(retention.as_millis() as i64);
    let mut report = PruneReport::default();
    let ids: Vec<String> = store.with(|c| {
        let mut stmt = c.prepare(
            "SELECT id FROM alert_alerts a
             WHERE idle_since IS NOT NULL AND idle_since <= ?1 AND open < 2
               AND NOT EXISTS (SELECT 1 FROM alert_outbox o
                               WHERE o.alert_id = a.id
                                 AND (o.state IN (?2, ?3, ?4) OR o.idle_since > ?1))
             ORDER BY idle_since LIMIT ?5",
        )?;
        let rows = stmt.query_map(
            params![
                cutoff,
                WAITING[0].code(),
                WAITING[1].code(),
                WAITING[2].code(),
                SWEEP_LIMIT as i64
            ],
            |r| r.get(0),
        )?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    })?;
    for id in ids {
        let deliveries = store.transaction(|tx| remove_alert(tx, &id))?;
        report.alerts += 1;
        report.deliveries += deliveries;
    }
    report.deliveries += store.with(|c| {
        Ok(c.execute(
            "DELETE FROM alert_outbox WHERE id IN (
                 SELECT id FROM alert_outbox
                 WHERE alert_id IS NULL AND idle_since IS NOT NULL AND idle_since <= ?1
                 LIMIT ?2)",
            params![cutoff, SWEEP_LIMIT as i64],
        )? as u32)
    })?;
    report.checkins = store.transaction(|tx| {
        let current = checkin::current(tx, key).ok().flatten();
        let mut removed = 0;
        let mut keep = Vec::new();
        if let Some((id, row)) = &current {
            let closed = row.state != CheckinState::Active
                && row.closed_at.is_some_and(|t| round_up_to_hour(t) <= cutoff)
                && !timers::owner_busy(tx, id)?;
            if closed {
                tx.execute("DELETE FROM alert_checkin WHERE id = ?1", [id])?;
                timers::remove_owner(tx, id)?;
                removed = 1;
            } else {
                keep.push(id.clone());
            }
        }
        let hold = hold::prune(tx, key, cutoff)?;
        keep.extend(hold);
        let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
        timers::remove_finished_except(tx, &keep)?;
        Ok(removed)
    })?;
    if !report.is_empty() {
        store.checkpoint()?;
    }
    Ok(report)
}

/// Removes one alert and everything of it, in the caller's transaction.
/// Returns how many deliveries went.
fn remove_alert(tx: &rusqlite::Transaction<'_>, id: &str) -> Result<u32> {
    let n = tx.execute("DELETE FROM alert_outbox WHERE alert_id = ?1", [id])?;
    #[cfg(test)]
    fail_point::hit()?;
    tx.execute("DELETE FROM alert_alerts WHERE id = ?1", [id])?;
    Ok(n as u32)
}

/// Fills in `idle_since` of rows written before the column existed (opening
/// them; a row that does not open counts as idle from now).
fn backfill(store: &Store, key: &SecretKey, now: DateTime<Utc>) -> Result<()> {
    let now_h = round_up_to_hour(to_ms(now));
    store.transaction(|tx| {
        let rows: Vec<(String, Vec<u8>)> = {
            let mut stmt = tx.prepare(
                "SELECT id, sealed FROM alert_alerts
                 WHERE idle_since IS NULL AND open < 2 LIMIT ?1",
            )?;
            let rows = stmt.query_map([SWEEP_LIMIT as i64], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for (id, sealed) in rows {
            let idle = open_row::<alert::AlertRow>(key, "alert_alerts", &id, &sealed)
                .ok()
                .and_then(|row| alert::idle_since(&row))
                .unwrap_or(now_h);
            tx.execute(
                "UPDATE alert_alerts SET idle_since = ?2 WHERE id = ?1",
                params![id, idle],
            )?;
        }
        let rows: Vec<(String, Vec<u8>)> = {
            let mut stmt = tx.prepare(
                "SELECT id, sealed FROM alert_outbox
                 WHERE idle_since IS NULL AND alert_id IS NULL
                   AND state NOT IN (?1, ?2, ?3) LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                params![
                    WAITING[0].code(),
                    WAITING[1].code(),
                    WAITING[2].code(),
                    SWEEP_LIMIT as i64
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for (id, sealed) in rows {
            let idle = open_row::<DeliveryBody>(key, "alert_outbox", &id, &sealed)
                .map(|b| round_up_to_hour(b.updated_at))
                .unwrap_or(now_h);
            tx.execute(
                "UPDATE alert_outbox SET idle_since = ?2 WHERE id = ?1",
                params![id, idle],
            )?;
        }
        Ok(())
    })
}

/// Checks a retention period.
pub(crate) fn validate(retention: Duration) -> Result<()> {
    if !(MIN_RETENTION..=MAX_RETENTION).contains(&retention) {
        return Err(Error::invalid("keep alerts for 1 to 365 days"));
    }
    Ok(())
}

/// A test-only failure injected in the middle of removing an alert (after its
/// deliveries are deleted, before the alert row is), to prove the
/// transaction leaves it whole.
#[cfg(test)]
pub(crate) mod fail_point {
    use std::cell::Cell;

    thread_local! {
        static AFTER: Cell<Option<usize>> = const { Cell::new(None) };
    }

    /// Fail the removal of the `n`-th next alert (0: the next one) on this thread.
    pub(crate) fn arm(n: usize) {
        AFTER.with(|a| a.set(Some(n)));
    }

    pub(super) fn hit() -> crate::error::Result<()> {
        AFTER.with(|a| match a.get() {
            Some(0) => {
                a.set(None);
                Err(crate::error::Error::Internal("injected crash".into()))
            }
            Some(n) => {
                a.set(Some(n - 1));
                Ok(())
            }
            None => Ok(()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_the_hour() {
        assert_eq!(round_up_to_hour(0), 0);
        assert_eq!(round_up_to_hour(1), HOUR_MS);
        assert_eq!(round_up_to_hour(HOUR_MS), HOUR_MS);
        assert_eq!(round_up_to_hour(HOUR_MS + 1), 2 * HOUR_MS);
        assert_eq!(round_up_to_hour(i64::MAX) % HOUR_MS, 0);
    }

    #[test]
    fn retention_bounds() {
        assert!(validate(DEFAULT_RETENTION).is_ok());
        assert!(validate(Duration::from_secs(3600)).is_err());
        assert!(validate(Duration::from_secs(400 * 24 * 3600)).is_err());
    }
}
