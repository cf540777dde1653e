//! Server-held timers: an alert the Matrix homeserver sends by itself at a
//! given time unless the phone cancels or restarts it first (MSC4140 delayed
//! events). They make a check-in or a hold-to-alert work when the phone is
//! taken, smashed or switched off.
//!
//! One row per Matrix contact and owner (a check-in, a hold), in
//! `alert_timers`: the state and when the next step is due in plaintext,
//! everything else (contact, room, text, delay id) sealed. The phone records
//! what it wants (armed for an instant, or cancelled) in the same transaction
//! as the change that causes it, and [`sync`] brings the server there, with
//! the outbox's backoff, whenever the network allows:
//!
//! ```text
//! arming ──(PUT …/send/{txn}?delay=…)──► armed ──(due time passes)──► fired
//!    │                                     │
//!    └──(never reached the server)──►  cancelling ──(cancel)──► cancelled
//! ```
//!
//! * The transaction id is fixed per row, so a retried arm returns the same
//!   delayed event: never two.
//! * MSC4140 delays are relative: an arm computes the delay from the row's
//!   absolute `fires_at` at the moment it is sent. Moving a deadline (extend)
//!   arms a new row first and cancels the old one after, so a phone that dies
//!   in between alerts early rather than never.
//! * A deadline further away than the server's `max_delay_ms` stays
//!   `arming` until it is within reach (the state says so).
//! * When the phone's own timer fires too, its Matrix delivery asks the server
//!   to send the held event now ([`send_now`]): contacts get one alert, whichever
//!   side was first.

use super::matrix::client::{Client, DelayAction, Sent};
use super::matrix::session::Account;
use super::matrix::{rooms, Ctx, MatrixError};
use super::outbox::RetryPolicy;
use super::sealed::{check_id, from_ms, new_id, open_row, seal_row, to_ms};
use crate::crypto::SecretKey;
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

const TABLE: &str = "alert_timers";

/// Where a server-held timer stands, as a shell shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerTimerState {
    /// Not (yet) confirmed by the homeserver: offline, not signed in, or the
    /// deadline is further than the server holds timers. The phone's own
    /// timer still works while the phone does.
    Pending,
    /// The homeserver holds it and sends it at `fires_at` unless told otherwise.
    Armed,
    /// Cancelled on the phone, not yet confirmed by the homeserver: it may
    /// still go out if the phone stays offline past `fires_at`.
    Cancelling,
    /// Cancelled: nothing will be sent.
    Cancelled,
    /// Sent (by the homeserver at its time, or on the phone's request).
    Fired,
}

impl ServerTimerState {
    /// The stable name ("pending", "armed", "cancelling", "cancelled", "fired").
    pub fn as_str(self) -> &'static str {
        match self {
            ServerTimerState::Pending => "pending",
            ServerTimerState::Armed => "armed",
            ServerTimerState::Cancelling => "cancelling",
            ServerTimerState::Cancelled => "cancelled",
            ServerTimerState::Fired => "fired",
        }
    }
}

/// The server-held timers of a check-in or hold, summed up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerTimer {
    /// The least advanced state of its rows (one per Matrix contact).
    pub state: ServerTimerState,
    /// When the homeserver sends it (the latest of its armed rows).
    pub fires_at: Option<DateTime<Utc>>,
    /// How many Matrix contacts it covers.
    pub contacts: u32,
    /// Why the last step with the homeserver failed, if it did (no contact data).
    pub last_error: Option<String>,
}

/// Row states (plaintext column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Row {
    Arming,
    Armed,
    Cancelling,
    Cancelled,
    Fired,
    /// Never reached the server and no longer wanted (the phone's timer took over).
    Abandoned,
}

impl Row {
    fn code(self) -> i64 {
        match self {
            Row::Arming => 0,
            Row::Armed => 1,
            Row::Cancelling => 2,
            Row::Cancelled => 3,
            Row::Fired => 4,
            Row::Abandoned => 5,
        }
    }

    fn from_code(c: i64) -> Row {
        match c {
            0 => Row::Arming,
            1 => Row::Armed,
            2 => Row::Cancelling,
            3 => Row::Cancelled,
            4 => Row::Fired,
            _ => Row::Abandoned,
        }
    }
}

/// The sealed part of a timer row.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct TimerRow {
    pub contact_id: String,
    /// The contact's Matrix ID.
    pub mxid: String,
    /// Fixed transaction id: a retried arm returns the same delayed event.
    pub txn_id: String,
    /// The server's id of the delayed event, once armed.
    pub delay_id: Option<String>,
    /// When it should go out (ms).
    pub fires_at: i64,
    /// The delay it was armed with (a restart starts this again from now).
    pub delay_ms: i64,
    /// The message, composed when planned.
    pub text: String,
    pub attempts: u32,
    pub last_error: Option<String>,
}

/// One timer to plan: for which contact, and what it says.
pub(crate) struct Target {
    pub contact_id: String,
    pub mxid: String,
    pub text: String,
}

type Stored = (String, Row, Option<i64>, TimerRow);

fn write(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
    owner: &str,
    state: Row,
    due: Option<i64>,
    row: &TimerRow,
) -> Result<()> {
    let sealed = seal_row(key, TABLE, id, row)?;
    conn.execute(
        "INSERT INTO alert_timers(id, owner, state, due_at, sealed) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(id) DO UPDATE SET state = excluded.state, due_at = excluded.due_at,
                                       sealed = excluded.sealed",
        params![id, owner, state.code(), due, sealed],
    )?;
    Ok(())
}

/// Plans one timer per target, due to be armed now, firing at `fires_at`.
pub(crate) fn plan(
    conn: &Connection,
    key: &SecretKey,
    owner: &str,
    targets: &[Target],
    fires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    for t in targets {
        let row = TimerRow {
            contact_id: t.contact_id.clone(),
            mxid: t.mxid.clone(),
            txn_id: new_id(16),
            delay_id: None,
            fires_at: to_ms(fires_at),
            delay_ms: (to_ms(fires_at) - to_ms(now)).max(0),
            text: t.text.clone(),
            attempts: 0,
            last_error: None,
        };
        write(
            conn,
            key,
            &new_id(16),
            owner,
            Row::Arming,
            Some(to_ms(now)),
            &row,
        )?;
    }
    Ok(())
}

/// Every timer of `owner` (rows that no longer open are skipped).
pub(crate) fn for_owner(conn: &Connection, key: &SecretKey, owner: &str) -> Result<Vec<Stored>> {
    let mut stmt =
        conn.prepare("SELECT id, state, due_at, sealed FROM alert_timers WHERE owner = ?1")?;
    let rows = stmt
        .query_map([owner], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, Vec<u8>>(3)?,
            ))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, state, due, sealed)| {
            open_row::<TimerRow>(key, TABLE, &id, &sealed)
                .ok()
                .map(|row| (id, Row::from_code(state), due, row))
        })
        .collect())
}

fn get(conn: &Connection, key: &SecretKey, id: &str) -> Result<Option<(String, Stored)>> {
    check_id(id, "timer")?;
    let row: Option<(String, i64, Option<i64>, Vec<u8>)> = conn
        .query_row(
            "SELECT owner, state, due_at, sealed FROM alert_timers WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    let Some((owner, state, due, sealed)) = row else {
        return Ok(None);
    };
    let row = open_row(key, TABLE, id, &sealed)?;
    Ok(Some((
        owner,
        (id.to_owned(), Row::from_code(state), due, row),
    )))
}

/// No longer wanted: what never reached the server is dropped, the rest is
/// cancelled on the server by the next [`sync`].
pub(crate) fn cancel_owner(
    conn: &Connection,
    key: &SecretKey,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    for (id, state, _, row) in for_owner(conn, key, owner)? {
        let next = match state {
            Row::Arming if row.attempts == 0 => Row::Cancelled,
            Row::Arming | Row::Armed => Row::Cancelling,
            _ => continue,
        };
        let due = (next == Row::Cancelling).then_some(to_ms(now));
        write(conn, key, &id, owner, next, due, &row)?;
    }
    Ok(())
}

/// Removes every timer of `owner` (retention).
pub(crate) fn remove_owner(conn: &Connection, owner: &str) -> Result<()> {
    conn.execute("DELETE FROM alert_timers WHERE owner = ?1", [owner])?;
    Ok(())
}

/// Removes finished timers (cancelled, sent, given up) of owners other than
/// `keep` (retention: their check-in or hold is over). Returns how many went.
pub(crate) fn remove_finished_except(conn: &Connection, keep: &[&str]) -> Result<u32> {
    let mut n = 0;
    let owners: Vec<String> = {
        let mut stmt =
            conn.prepare("SELECT DISTINCT owner FROM alert_timers WHERE state IN (?1, ?2, ?3)")?;
        let rows = stmt.query_map(
            params![
                Row::Cancelled.code(),
                Row::Fired.code(),
                Row::Abandoned.code()
            ],
            |r| r.get(0),
        )?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    for owner in owners.iter().filter(|o| !keep.contains(&o.as_str())) {
        n += conn.execute(
            "DELETE FROM alert_timers WHERE owner = ?1 AND state IN (?2, ?3, ?4)",
            params![
                owner,
                Row::Cancelled.code(),
                Row::Fired.code(),
                Row::Abandoned.code()
            ],
        )? as u32;
    }
    Ok(n)
}

/// Whether `owner` still has timers the server may act on.
pub(crate) fn owner_busy(conn: &Connection, owner: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM alert_timers WHERE owner = ?1 AND state IN (?2, ?3, ?4)",
        params![
            owner,
            Row::Arming.code(),
            Row::Armed.code(),
            Row::Cancelling.code()
        ],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// When the next step of any timer is due.
pub(crate) fn next_due(conn: &Connection) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT MIN(due_at) FROM alert_timers WHERE state IN (?1, ?2)",
        params![Row::Arming.code(), Row::Cancelling.code()],
        |r| r.get(0),
    )?)
}

/// The phone's own timer of `owner` fired: returns, per contact, the timer
/// the server may hold (its delivery will ask the server to send it now), and
/// gives up those that never reached the server.
pub(crate) fn take_over(
    conn: &Connection,
    key: &SecretKey,
    owner: &str,
) -> Result<std::collections::HashMap<String, String>> {
    let mut held = std::collections::HashMap::new();
    for (id, state, _, row) in for_owner(conn, key, owner)? {
        match state {
            Row::Armed => {
                held.insert(row.contact_id.clone(), id);
            }
            Row::Arming if row.attempts > 0 => {
                held.insert(row.contact_id.clone(), id);
            }
            Row::Arming => write(conn, key, &id, owner, Row::Abandoned, None, &row)?,
            _ => {}
        }
    }
    Ok(held)
}

/// The summary of `owner`'s timers (`None`: it has none).
pub(crate) fn summary(
    conn: &Connection,
    key: &SecretKey,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<Option<ServerTimer>> {
    let rows = for_owner(conn, key, owner)?;
    // The newest plan per contact is what counts (an extend leaves older rows
    // cancelling behind it).
    let mut latest: std::collections::HashMap<&str, &Stored> = std::collections::HashMap::new();
    for r in &rows {
        if r.1 == Row::Abandoned {
            continue;
        }
        let e = latest.entry(r.3.contact_id.as_str()).or_insert(r);
        if r.3.fires_at > e.3.fires_at || (r.3.fires_at == e.3.fires_at && r.1 == Row::Fired) {
            *e = r;
        }
    }
    if latest.is_empty() {
        return Ok(None);
    }
    let shown = |(_, state, _, row): &Stored| match state {
        Row::Arming => ServerTimerState::Pending,
        Row::Armed if row.fires_at <= to_ms(now) => ServerTimerState::Fired,
        Row::Armed => ServerTimerState::Armed,
        Row::Cancelling => ServerTimerState::Cancelling,
        Row::Cancelled | Row::Abandoned => ServerTimerState::Cancelled,
        Row::Fired => ServerTimerState::Fired,
    };
    let rank = |s: ServerTimerState| match s {
        ServerTimerState::Pending => 0,
        ServerTimerState::Cancelling => 1,
        ServerTimerState::Armed => 2,
        ServerTimerState::Fired => 3,
        ServerTimerState::Cancelled => 4,
    };
    let state = latest
        .values()
        .map(|r| shown(r))
        .min_by_key(|s| rank(*s))
        .unwrap_or(ServerTimerState::Cancelled);
    let fires_at = latest
        .values()
        .filter(|r| matches!(r.1, Row::Armed | Row::Fired | Row::Arming | Row::Cancelling))
        .map(|r| r.3.fires_at)
        .max()
        .map(from_ms);
    let last_error = latest
        .values()
        .filter(|r| matches!(r.1, Row::Arming | Row::Armed | Row::Cancelling))
        .find_map(|r| r.3.last_error.clone());
    Ok(Some(ServerTimer {
        state,
        fires_at,
        contacts: latest.len() as u32,
        last_error,
    }))
}

/// Brings the server where the phone wants it: arms what is due to be
/// armed (all of them first), then cancels what is due to be cancelled. Each
/// step is written in its own short transaction; failures are retried with
/// backoff. Returns how many steps succeeded.
pub(crate) fn sync(
    ctx: &Ctx<'_>,
    now: impl Fn() -> DateTime<Utc>,
    policy: &RetryPolicy,
) -> Result<usize> {
    let due: Vec<(String, String, Row)> = ctx.store.with(|c| {
        let mut stmt = c.prepare(
            "SELECT id, owner, state FROM alert_timers
             WHERE state IN (?1, ?2) AND due_at <= ?3
             ORDER BY state, due_at LIMIT 200",
        )?;
        let rows = stmt.query_map(
            params![Row::Arming.code(), Row::Cancelling.code(), to_ms(now())],
            |r| Ok((r.get(0)?, r.get(1)?, Row::from_code(r.get(2)?))),
        )?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    })?;
    if due.is_empty() {
        return Ok(0);
    }
    let account = match ctx.account() {
        Ok(a) => Some(a),
        Err(MatrixError::NotSignedIn) => None,
        Err(e) => return Err(e.into()),
    };
    let mut done = 0;
    for (id, owner, _) in due {
        let Some((_, (id, state, _, mut row))) = ctx.store.with(|c| get(c, ctx.key, &id))? else {
            continue;
        };
        let t = now();
        let result = match (&account, state) {
            (None, Row::Cancelling) if row.delay_id.is_none() && row.attempts == 0 => {
                Ok((Row::Cancelled, None))
            }
            (None, _) => Err(MatrixError::NotSignedIn),
            (Some(a), Row::Arming) => arm(ctx, a, &mut row, t),
            (Some(a), Row::Cancelling) => cancel(ctx, a, &mut row, t),
            _ => continue,
        };
        let (next, due) = match result {
            Ok(step) => {
                done += 1;
                if step.0 != Row::Arming {
                    row.last_error = None;
                }
                step
            }
            Err(e) => {
                row.attempts = row.attempts.saturating_add(1);
                row.last_error = Some(super::short_reason(&e.to_string()));
                let wait = match &e {
                    MatrixError::RateLimited { retry_after_ms } => {
                        std::time::Duration::from_millis(*retry_after_ms)
                    }
                    _ => policy.backoff(row.attempts),
                };
                (state, Some(to_ms(t) + wait.as_millis() as i64))
            }
        };
        ctx.store.transaction(|tx| {
            // Only if nobody changed it meanwhile (a check-in closed during the arm).
            let now_state: Option<i64> = tx
                .query_row("SELECT state FROM alert_timers WHERE id = ?1", [&id], |r| {
                    r.get(0)
                })
                .optional()?;
            match now_state.map(Row::from_code) {
                Some(s) if s == state => write(tx, ctx.key, &id, &owner, next, due, &row),
                Some(Row::Cancelling) | Some(Row::Cancelled) if next == Row::Armed => {
                    // Cancelled while we armed it: cancel what we just armed.
                    write(
                        tx,
                        ctx.key,
                        &id,
                        &owner,
                        Row::Cancelling,
                        Some(to_ms(t)),
                        &row,
                    )
                }
                _ => Ok(()),
            }
        })?;
    }
    Ok(done)
}

/// The delayed message of `row`, held for `delay_ms`.
fn message(row: &TimerRow, delay_ms: u64) -> rooms::Message<'_> {
    rooms::Message {
        contact_id: &row.contact_id,
        mxid: &row.mxid,
        txn: &row.txn_id,
        text: &row.text,
        delay_ms: Some(delay_ms),
    }
}

/// Arms one row: the room, then the delayed message. Returns the next state.
fn arm(
    ctx: &Ctx<'_>,
    account: &Account,
    row: &mut TimerRow,
    now: DateTime<Utc>,
) -> Result<(Row, Option<i64>), MatrixError> {
    let remaining = row.fires_at - to_ms(now);
    if remaining < 1000 {
        // Too late for the server: the phone's own timer sends it.
        return Ok((Row::Abandoned, None));
    }
    let client = ctx.client(account)?;
    let limits = match account.limits {
        Some(l) => l,
        None => client.delay_limits()?.ok_or(MatrixError::Refused {
            status: 501,
            errcode: "the homeserver does not hold delayed messages".into(),
        })?,
    };
    if remaining as u64 > limits.max_delay_ms {
        // Armed once the deadline is within the server's reach.
        let at = row.fires_at - limits.max_delay_ms as i64 + 60_000;
        row.last_error = Some(format!(
            "the homeserver holds timers for at most {} h: armed from {}",
            limits.max_delay_ms / 3_600_000,
            from_ms(at).format("%Y-%m-%d %H:%M UTC")
        ));
        return Ok((Row::Arming, Some(at)));
    }
    let placed = rooms::send(ctx, &client, account, &message(row, remaining as u64))?;
    match placed.sent {
        Sent::Delayed(id) => {
            row.delay_id = Some(id);
            row.delay_ms = remaining;
            Ok((Row::Armed, None))
        }
        Sent::Event => Err(MatrixError::Refused {
            status: 200,
            errcode: "the homeserver sent the message at once".into(),
        }),
    }
}

/// Cancels one row on the server.
fn cancel(
    ctx: &Ctx<'_>,
    account: &Account,
    row: &mut TimerRow,
    now: DateTime<Utc>,
) -> Result<(Row, Option<i64>), MatrixError> {
    let client = ctx.client(account)?;
    let Some(delay_id) = held_id(ctx, &client, account, row, now)? else {
        return Ok((Row::Cancelled, None));
    };
    if client.delayed(&delay_id, DelayAction::Cancel)? {
        Ok((Row::Cancelled, None))
    } else if row.fires_at <= to_ms(now) {
        // Gone because it was sent at its time.
        Ok((Row::Fired, None))
    } else {
        Ok((Row::Cancelled, None))
    }
}

/// The delay id of a row whose arm may have reached the server without the
/// answer reaching us: asking again with the same transaction id returns it.
fn held_id(
    ctx: &Ctx<'_>,
    client: &Client<'_>,
    account: &Account,
    row: &mut TimerRow,
    now: DateTime<Utc>,
) -> Result<Option<String>, MatrixError> {
    if let Some(id) = &row.delay_id {
        return Ok(Some(id.clone()));
    }
    if row.attempts == 0 {
        // Never tried, or every try failed before the server: nothing held.
        return Ok(None);
    }
    let delay = (row.fires_at - to_ms(now)).max(1000) as u64;
    match rooms::send(ctx, client, account, &message(row, delay))?.sent {
        Sent::Delayed(id) => {
            row.delay_id = Some(id.clone());
            Ok(Some(id))
        }
        Sent::Event => Ok(None),
    }
}

/// Restarts every armed timer of `owner` (hold-to-alert keep-alive): each
/// fires its own delay from now again. A timer the server no longer holds
/// has fired. Returns the new instant the server fires at (the earliest), if
/// any is armed.
pub(crate) fn restart_owner(
    ctx: &Ctx<'_>,
    owner: &str,
    now: impl Fn() -> DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let rows = ctx.store.with(|c| for_owner(c, ctx.key, owner))?;
    let armed: Vec<Stored> = rows.into_iter().filter(|r| r.1 == Row::Armed).collect();
    if armed.is_empty() {
        return Ok(None);
    }
    let account = ctx.account()?;
    let client = ctx.client(&account)?;
    let mut earliest: Option<i64> = None;
    for (id, _, _, mut row) in armed {
        let Some(delay_id) = row.delay_id.clone() else {
            continue;
        };
        let t = to_ms(now());
        let (state, result) = match client.delayed(&delay_id, DelayAction::Restart) {
            Ok(true) => {
                row.fires_at = t + row.delay_ms;
                row.last_error = None;
                earliest = Some(earliest.map_or(row.fires_at, |e| e.min(row.fires_at)));
                (Row::Armed, Ok(()))
            }
            Ok(false) => (Row::Fired, Ok(())),
            Err(e) => {
                row.last_error = Some(super::short_reason(&e.to_string()));
                (Row::Armed, Err(e))
            }
        };
        ctx.store.transaction(|tx| {
            let still: Option<i64> = tx
                .query_row("SELECT state FROM alert_timers WHERE id = ?1", [&id], |r| {
                    r.get(0)
                })
                .optional()?;
            if still == Some(Row::Armed.code()) {
                write(tx, ctx.key, &id, owner, state, None, &row)?;
            }
            Ok(())
        })?;
        result?;
    }
    Ok(earliest.map(from_ms))
}

/// The phone's own timer fired: asks the server to send the held message now
/// (one alert, whichever side is first). `Ok(true)`: it went (now, or earlier
/// at its time); `Ok(false)`: the server never held it, send a message.
pub(crate) fn send_now(
    ctx: &Ctx<'_>,
    client: &Client<'_>,
    account: &Account,
    timer_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, MatrixError> {
    let Some((owner, (id, state, _, mut row))) = ctx.store.with(|c| get(c, ctx.key, timer_id))?
    else {
        return Ok(false);
    };
    let went = match state {
        Row::Fired => true,
        Row::Armed | Row::Arming => match held_id(ctx, client, account, &mut row, now)? {
            Some(delay_id) => {
                client.delayed(&delay_id, DelayAction::Send)?;
                true
            }
            None => false,
        },
        Row::Cancelling | Row::Cancelled | Row::Abandoned => false,
    };
    let next = if went { Row::Fired } else { Row::Abandoned };
    ctx.store
        .transaction(|tx| write(tx, ctx.key, &id, &owner, next, None, &row))?;
    Ok(went)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_round_trip() {
        for s in [
            Row::Arming,
            Row::Armed,
            Row::Cancelling,
            Row::Cancelled,
            Row::Fired,
            Row::Abandoned,
        ] {
            assert_eq!(Row::from_code(s.code()), s);
        }
    }
}
