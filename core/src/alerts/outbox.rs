//! The durable outbox: one sealed row per delivery (one message to one
//! contact over one channel).
//!
//! A delivery is written in the same transaction as the state change that
//! caused it, with a random idempotency key created once and sent on every
//! retry. Sending claims rows (state `sending` with a lease), so two flushes
//! never send the same row at once; a failure schedules a retry with
//! exponential backoff and full jitter until the maximum age, after which the
//! delivery is reported failed. Rows found `sending` when the engine starts
//! (a crash mid-send) go back to `queued`.
//!
//! In plaintext: the row id, the alert id, the state and when the row is next
//! due. Everything else (target, token, texts, attempts, errors) is sealed.

use super::model::{Channel, DeliveryState, MessageKind};
use super::sealed::{check_id, from_ms, new_id, open_row, seal_row, to_ms};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rand::Rng;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::time::Duration;

const TABLE: &str = "alert_outbox";

/// When and how often failed deliveries are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Backoff before the first retry, doubled for each further attempt.
    pub base: Duration,
    /// Longest backoff.
    pub cap: Duration,
    /// After this long since it was queued, a failing delivery is given up.
    pub max_age: Duration,
    /// How long a claimed ("sending") row stays claimed before another flush may take it.
    pub lease: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_secs(5),
            cap: Duration::from_secs(300),
            max_age: Duration::from_secs(24 * 3600),
            lease: Duration::from_secs(120),
        }
    }
}

impl RetryPolicy {
    /// Checks the policy is usable.
    pub fn validate(&self) -> Result<()> {
        if self.base.is_zero() || self.cap < self.base {
            return Err(Error::invalid(
                "retry base must be positive and at most the cap",
            ));
        }
        if self.max_age < self.base || self.max_age > Duration::from_secs(30 * 24 * 3600) {
            return Err(Error::invalid(
                "maximum age must be at least the base and at most 30 days",
            ));
        }
        if self.lease < Duration::from_secs(1) || self.lease > Duration::from_secs(3600) {
            return Err(Error::invalid("lease must be 1 s to 1 h"));
        }
        Ok(())
    }

    /// Full jitter: a uniform delay in `[0, min(cap, base * 2^(attempts-1))]` (at least 1 ms).
    pub fn backoff(&self, attempts: u32) -> Duration {
        let shift = attempts.saturating_sub(1).min(30);
        let ceiling = self
            .base
            .saturating_mul(1u32 << shift)
            .min(self.cap)
            .as_millis()
            .max(1) as u64;
        Duration::from_millis(rand::thread_rng().gen_range(1..=ceiling))
    }
}

/// The sealed part of a delivery.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct DeliveryBody {
    pub alert_id: Option<String>,
    pub contact_id: String,
    pub channel: Channel,
    pub kind: MessageKind,
    pub language: String,
    /// Phone number (SMS) or URL (webhook, push).
    pub target: String,
    /// Push access token.
    pub token: Option<String>,
    /// SMS text, or push body.
    pub text: String,
    /// Webhook JSON body, exactly as sent on every attempt.
    pub payload: Option<String>,
    pub silent: bool,
    pub idempotency_key: String,
    pub attempts: u32,
    pub created_at: i64,
    pub updated_at: i64,
    pub last_error: Option<String>,
    /// The server-held timer this delivery stands for (a Matrix message the
    /// homeserver already holds: sending it means "send that one now").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timer: Option<String>,
    /// An SMS whose text is the contact's code phrase (no SMS follow-ups).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub coded: bool,
}

/// A delivery as callers see it (no message text, no target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryStatus {
    /// Random id of the delivery.
    pub id: String,
    /// The alert it belongs to (`None` for a test message).
    pub alert_id: Option<String>,
    /// The contact it goes to.
    pub contact_id: String,
    /// The channel.
    pub channel: Channel,
    /// What it says.
    pub kind: MessageKind,
    /// Where it stands.
    pub state: DeliveryState,
    /// Sent as `Idempotency-Key` on every attempt.
    pub idempotency_key: String,
    /// Attempts made so far.
    pub attempts: u32,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// When the next attempt is due, while queued.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// Why the last attempt failed (never contains the target or the text).
    pub last_error: Option<String>,
}

fn status(id: &str, state: DeliveryState, due: Option<i64>, b: &DeliveryBody) -> DeliveryStatus {
    DeliveryStatus {
        id: id.to_owned(),
        alert_id: b.alert_id.clone(),
        contact_id: b.contact_id.clone(),
        channel: b.channel,
        kind: b.kind,
        state,
        idempotency_key: b.idempotency_key.clone(),
        attempts: b.attempts,
        created_at: from_ms(b.created_at),
        updated_at: from_ms(b.updated_at),
        next_attempt_at: if state == DeliveryState::Queued {
            due.map(from_ms)
        } else {
            None
        },
        last_error: b.last_error.clone(),
    }
}

/// A delivery id: `seq` (64 bits, big-endian) then 64 random bits, in hex.
/// New ids sort after older ones, so the id index grows at its right edge
/// instead of touching a random page per insert (the cost of an alert then
/// stays flat with history). It tells no more than the plaintext `seq`
/// column, and delivery ids leave the phone only towards the shell (the
/// receivers see the random idempotency key and the random alert id).
fn sequential_id(seq: i64) -> String {
    format!("{:016x}{}", seq as u64, new_id(8))
}

/// A fresh idempotency key (128 random bits, hex).
pub(crate) fn new_idempotency_key() -> String {
    new_id(16)
}

/// Writes a new queued delivery, due now. Call inside the transaction of the
/// state change that causes it.
pub(crate) fn enqueue(
    conn: &Connection,
    key: &SecretKey,
    body: &DeliveryBody,
    now: DateTime<Utc>,
) -> Result<DeliveryStatus> {
    let seq: i64 = conn.query_row(
        "SELECT IFNULL(MAX(seq), 0) + 1 FROM alert_outbox",
        [],
        |r| r.get(0),
    )?;
    let id = sequential_id(seq);
    let sealed = seal_row(key, TABLE, &id, body)?;
    conn.execute(
        "INSERT INTO alert_outbox(id, alert_id, seq, state, due_at, sealed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            body.alert_id,
            seq,
            DeliveryState::Queued.code(),
            to_ms(now),
            sealed
        ],
    )?;
    Ok(status(&id, DeliveryState::Queued, Some(to_ms(now)), body))
}

/// Puts rows left `sending` (by a process that died mid-send) back in the queue, due now.
pub(crate) fn recover(conn: &Connection, now: DateTime<Utc>) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE alert_outbox SET state = ?1, due_at = ?2 WHERE state = ?3",
        params![
            DeliveryState::Queued.code(),
            to_ms(now),
            DeliveryState::Sending.code()
        ],
    )?)
}

/// A claimed row, ready to send.
pub(crate) struct Claimed {
    pub id: String,
    pub body: DeliveryBody,
}

/// Claims up to `limit` rows due at or before `cutoff` (queued, or sending
/// with an expired lease), marking them `sending` until `now + lease`. Rows
/// that no longer open are marked failed and returned in the second list.
pub(crate) fn claim(
    conn: &Connection,
    key: &SecretKey,
    cutoff: DateTime<Utc>,
    now: DateTime<Utc>,
    lease: Duration,
    limit: usize,
) -> Result<(Vec<Claimed>, Vec<String>)> {
    let rows = {
        let mut stmt = conn.prepare(
            "SELECT id, sealed FROM alert_outbox
             WHERE state IN (?1, ?2) AND due_at <= ?3
             ORDER BY due_at, seq LIMIT ?4",
        )?;
        let rows = stmt
            .query_map(
                params![
                    DeliveryState::Queued.code(),
                    DeliveryState::Sending.code(),
                    to_ms(cutoff),
                    limit as i64
                ],
                |r| Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?)),
            )?
            .collect::<std::result::Result<Vec<_>, _>>()?;
        rows
    };
    let lease_until = to_ms(now) + lease.as_millis() as i64;
    let mut claimed = Vec::with_capacity(rows.len());
    let mut unreadable = Vec::new();
    for (id, sealed) in rows {
        match open_row::<DeliveryBody>(key, TABLE, &id, &sealed) {
            Ok(body) => {
                conn.execute(
                    "UPDATE alert_outbox SET state = ?2, due_at = ?3 WHERE id = ?1",
                    params![id, DeliveryState::Sending.code(), lease_until],
                )?;
                claimed.push(Claimed { id, body });
            }
            Err(_) => {
                conn.execute(
                    "UPDATE alert_outbox SET state = ?2, due_at = NULL, idle_since = ?3
                     WHERE id = ?1",
                    params![
                        id,
                        DeliveryState::Failed.code(),
                        super::retention::round_up_to_hour(to_ms(now))
                    ],
                )?;
                unreadable.push(id);
            }
        }
    }
    Ok((claimed, unreadable))
}

/// What happened to one attempt (or what the shell reported later).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The receiver has it.
    Delivered,
    /// The receiver has it, with something the user should know (a Matrix
    /// contact who has not joined the room yet), kept in `last_error`.
    DeliveredWithNote(String),
    /// Handed to the SMS system.
    Sent,
    /// The user must finish sending.
    NeedsUserAction,
    /// Handed to the shell; its report comes later. Stays claimed for one lease.
    AwaitingReport,
    /// Failed; try again later (unless too old).
    Retry(String),
    /// Failed; the server asked to wait at least this long (rate limit).
    RetryAfter(String, Duration),
    /// Failed for good.
    Permanent(String),
    /// Not sent, and never will be: its alert is over.
    Cancelled,
}

/// Reads one delivery.
pub(crate) fn get(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
) -> Result<(DeliveryState, Option<i64>, DeliveryBody)> {
    check_id(id, "delivery")?;
    let row: Option<(i64, Option<i64>, Vec<u8>)> = conn
        .query_row(
            "SELECT state, due_at, sealed FROM alert_outbox WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (state, due, sealed) =
        row.ok_or_else(|| Error::NotFound("no delivery with that id".into()))?;
    Ok((
        DeliveryState::from_code(state)?,
        due,
        open_row(key, TABLE, id, &sealed)?,
    ))
}

fn write(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
    state: DeliveryState,
    due: Option<i64>,
    body: &DeliveryBody,
) -> Result<()> {
    let sealed = seal_row(key, TABLE, id, body)?;
    // Finished rows get the retention sweep's `idle_since` (rounded up to
    // the hour); the sweep reads it only for test messages (no alert).
    let idle = (!state.is_pending() && state != DeliveryState::NeedsUserAction)
        .then(|| super::retention::round_up_to_hour(body.updated_at));
    conn.execute(
        "UPDATE alert_outbox SET state = ?2, due_at = ?3, idle_since = ?4, sealed = ?5
         WHERE id = ?1",
        params![id, state.code(), due, idle, sealed],
    )?;
    Ok(())
}

/// A change to apply to a delivery.
pub(crate) struct Transition<'a> {
    /// Apply only if the delivery is in one of these states.
    pub from: &'a [DeliveryState],
    /// What happened.
    pub outcome: Outcome,
    /// Count it as one more attempt.
    pub attempt: bool,
}

/// Applies a transition to delivery `id`. Returns the new status, or `None`
/// when the row was in another state (nothing changed).
pub(crate) fn apply(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
    change: Transition<'_>,
    now: DateTime<Utc>,
    policy: &RetryPolicy,
) -> Result<Option<DeliveryStatus>> {
    let Transition {
        from,
        outcome,
        attempt,
    } = change;
    let (state, _, mut body) = get(conn, key, id)?;
    if !from.contains(&state) {
        return Ok(None);
    }
    if attempt {
        body.attempts = body.attempts.saturating_add(1);
    }
    body.updated_at = to_ms(now);
    if matches!(
        outcome,
        Outcome::Delivered | Outcome::Sent | Outcome::NeedsUserAction | Outcome::AwaitingReport
    ) {
        body.last_error = None;
    }
    let (new_state, due) = match outcome {
        Outcome::Delivered => (DeliveryState::Delivered, None),
        Outcome::DeliveredWithNote(note) => {
            body.last_error = Some(note);
            (DeliveryState::Delivered, None)
        }
        Outcome::Sent => (DeliveryState::Sent, None),
        Outcome::NeedsUserAction => (DeliveryState::NeedsUserAction, None),
        Outcome::AwaitingReport => (
            DeliveryState::Sending,
            Some(to_ms(now) + policy.lease.as_millis() as i64),
        ),
        Outcome::Cancelled => (DeliveryState::Cancelled, None),
        Outcome::Permanent(reason) => {
            body.last_error = Some(reason);
            (DeliveryState::Failed, None)
        }
        Outcome::Retry(reason) => {
            let wait = policy.backoff(body.attempts.max(1));
            retry(&mut body, reason, wait, now, policy)
        }
        Outcome::RetryAfter(reason, after) => retry(&mut body, reason, after, now, policy),
    };
    write(conn, key, id, new_state, due, &body)?;
    Ok(Some(status(id, new_state, due, &body)))
}

/// The state and due time of a delivery to try again after `wait` (never
/// past its maximum age: then it has failed).
fn retry(
    body: &mut DeliveryBody,
    reason: String,
    wait: Duration,
    now: DateTime<Utc>,
    policy: &RetryPolicy,
) -> (DeliveryState, Option<i64>) {
    let give_up_at = body.created_at + policy.max_age.as_millis() as i64;
    if to_ms(now) >= give_up_at {
        body.last_error = Some(format!(
            "gave up after {} attempts: {reason}",
            body.attempts
        ));
        (DeliveryState::Failed, None)
    } else {
        body.last_error = Some(reason);
        let next = to_ms(now).saturating_add(wait.as_millis() as i64);
        (DeliveryState::Queued, Some(next.min(give_up_at)))
    }
}

/// A stored delivery: id, state, next due time (ms), sealed body opened.
pub(crate) type StoredDelivery = (String, DeliveryState, Option<i64>, DeliveryBody);

/// Every delivery of an alert, in the order they were queued, with bodies.
pub(crate) fn for_alert(
    conn: &Connection,
    key: &SecretKey,
    alert_id: &str,
) -> Result<Vec<StoredDelivery>> {
    let mut stmt = conn.prepare(
        "SELECT id, state, due_at, sealed FROM alert_outbox WHERE alert_id = ?1 ORDER BY seq",
    )?;
    let rows = stmt
        .query_map([alert_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, state, due, sealed) in rows {
        // A row that no longer opens is skipped (a flush marks it failed).
        if let Ok(body) = open_row::<DeliveryBody>(key, TABLE, &id, &sealed) {
            out.push((id, DeliveryState::from_code(state)?, due, body));
        }
    }
    Ok(out)
}

/// The statuses of an alert's deliveries.
pub(crate) fn statuses_for_alert(
    conn: &Connection,
    key: &SecretKey,
    alert_id: &str,
) -> Result<Vec<DeliveryStatus>> {
    Ok(for_alert(conn, key, alert_id)?
        .iter()
        .map(|(id, state, due, body)| status(id, *state, *due, body))
        .collect())
}

/// The status of one delivery.
pub(crate) fn status_of(conn: &Connection, key: &SecretKey, id: &str) -> Result<DeliveryStatus> {
    let (state, due, body) = get(conn, key, id)?;
    Ok(status(id, state, due, &body))
}

/// Cancels a queued delivery that has never been attempted or that is being
/// superseded (the alert was resolved). Returns the new status.
pub(crate) fn cancel(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Option<DeliveryStatus>> {
    let (state, _, mut body) = get(conn, key, id)?;
    if state != DeliveryState::Queued {
        return Ok(None);
    }
    body.updated_at = to_ms(now);
    write(conn, key, id, DeliveryState::Cancelled, None, &body)?;
    Ok(Some(status(id, DeliveryState::Cancelled, None, &body)))
}

/// Links a queued delivery to the server-held timer it stands for.
pub(crate) fn set_timer(conn: &Connection, key: &SecretKey, id: &str, timer: &str) -> Result<()> {
    let (state, due, mut body) = get(conn, key, id)?;
    body.timer = Some(timer.to_owned());
    write(conn, key, id, state, due, &body)
}

/// When the next queued (or claimed) delivery is due.
pub(crate) fn next_due(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let ms: Option<i64> = conn.query_row(
        "SELECT MIN(due_at) FROM alert_outbox WHERE state IN (?1, ?2)",
        params![DeliveryState::Queued.code(), DeliveryState::Sending.code()],
        |r| r.get(0),
    )?;
    Ok(ms.map(from_ms))
}

/// How many deliveries are waiting (queued or being sent).
pub(crate) fn pending_count(conn: &Connection) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM alert_outbox WHERE state IN (?1, ?2)",
        params![DeliveryState::Queued.code(), DeliveryState::Sending.code()],
        |r| r.get(0),
    )?;
    Ok(n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_full_jitter_under_the_cap() {
        let p = RetryPolicy::default();
        for attempts in 1..40 {
            let ceiling = (p.base.as_millis() << (attempts - 1).min(30)).min(p.cap.as_millis());
            for _ in 0..50 {
                let d = p.backoff(attempts).as_millis();
                assert!(d >= 1 && d <= ceiling, "{attempts}: {d} > {ceiling}");
            }
        }
        // Jitter: not all the same.
        let samples: std::collections::HashSet<u128> =
            (0..20).map(|_| p.backoff(5).as_millis()).collect();
        assert!(samples.len() > 5);
    }

    #[test]
    fn policy_validation() {
        assert!(RetryPolicy::default().validate().is_ok());
        let bad = RetryPolicy {
            base: Duration::ZERO,
            ..RetryPolicy::default()
        };
        assert!(bad.validate().is_err());
        let bad = RetryPolicy {
            cap: Duration::from_millis(1),
            ..RetryPolicy::default()
        };
        assert!(bad.validate().is_err());
    }
}
