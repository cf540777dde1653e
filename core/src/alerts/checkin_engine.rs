//! The engine's check-in calls: start, extend, move the last known place,
//! check in, cancel, and the missed check-in firing. When a contact has a
//! Matrix ID, every change also plans the server-held timer
//! ([`super::timers`]) in the same transaction and then tries to bring the
//! homeserver there at once (the flush retries what the network refused).

use super::alert::{self, AlertRow};
use super::checkin::{self, CheckinRequest, CheckinRow, CheckinState, CheckinStatus};
use super::contacts::{self, Contact};
use super::message::{self, MessageContext};
use super::model::{AlertMode, AlertReason, AlertState, Channel, Location, MessageKind};
use super::sealed::{from_ms, new_id, to_ms};
use super::timers::{self, Target};
use super::{delivery_events, fired_event, outbox, sender_name, AlertEvent, Alerts};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// The Matrix contacts that take alerts for `reason`, each with the text the
/// server is to hold for them.
pub(crate) fn timer_targets(
    contacts: &[Contact],
    reason: AlertReason,
    sender: Option<&str>,
    at: DateTime<Utc>,
    location: Option<&Location>,
    note: Option<&str>,
) -> Vec<Target> {
    contacts
        .iter()
        .filter(|c| c.triggers.accepts(reason))
        .filter_map(|c| {
            let mxid = c.matrix_id.clone()?;
            let text = message::compose(
                &c.language,
                &MessageContext {
                    kind: MessageKind::Alert,
                    reason: Some(reason),
                    silent: false,
                    sender_name: sender,
                    at,
                    location,
                    note,
                },
            )
            .full;
            Some(Target {
                contact_id: c.id.clone(),
                mxid,
                text,
            })
        })
        .collect()
}

/// Fires a local alert for a timer `owner` (a missed check-in, a hold not
/// released in time): the alert and its deliveries in the caller's
/// transaction; the Matrix deliveries of contacts whose timer the server may
/// hold ask the server to send that one now (one alert, not two).
#[allow(clippy::too_many_arguments)]
pub(crate) fn fire_owned(
    tx: &Connection,
    key: &SecretKey,
    owner: &str,
    reason: AlertReason,
    note: Option<String>,
    location: Option<Location>,
    due: i64,
    now: DateTime<Utc>,
) -> Result<(String, Vec<AlertEvent>)> {
    let aid = new_id(16);
    let mut row = AlertRow {
        mode: AlertMode::Immediate,
        reason,
        state: AlertState::Countdown,
        created_at: to_ms(now),
        fires_at: Some(due),
        fired_at: None,
        closed_at: None,
        note,
        location,
        location_sent_at: None,
        location_pending: false,
    };
    alert::insert(tx, key, &aid, &row)?;
    let (contacts, _) = contacts::list(tx, key)?;
    let name = sender_name(tx, key)?;
    let held = timers::take_over(tx, key, owner)?;
    let mut queued = alert::fire(tx, key, &aid, &mut row, &contacts, name.as_deref(), now)?;
    for d in queued.iter_mut().filter(|d| d.channel == Channel::Matrix) {
        if let Some(timer) = held.get(&d.contact_id) {
            outbox::set_timer(tx, key, &d.id, timer)?;
        }
    }
    let mut events = vec![fired_event(&aid, &row)];
    events.extend(delivery_events(&queued));
    Ok((aid, events))
}

fn active_checkin(conn: &Connection, key: &SecretKey) -> Result<(String, CheckinRow)> {
    match checkin::current(conn, key)? {
        Some((id, row)) if row.state == CheckinState::Active => Ok((id, row)),
        _ => Err(Error::NotFound("no check-in is running".into())),
    }
}

/// Plans the server-held timer of check-in `id` as `row` says (replacing any
/// earlier plan: armed first, cancelled after).
fn plan_timer(
    tx: &Connection,
    key: &SecretKey,
    id: &str,
    row: &CheckinRow,
    contacts: &[Contact],
    now: DateTime<Utc>,
) -> Result<()> {
    timers::cancel_owner(tx, key, id, now)?;
    let name = sender_name(tx, key)?;
    let fires_at = from_ms(row.fires_at());
    let targets = timer_targets(
        contacts,
        AlertReason::MissedCheckIn,
        name.as_deref(),
        fires_at,
        row.location.as_ref(),
        row.note.as_deref(),
    );
    timers::plan(tx, key, id, &targets, fires_at, now)
}

impl Alerts {
    /// A check-in as callers see it, with its server-held timer.
    fn checkin_status(
        &self,
        conn: &Connection,
        id: &str,
        row: &CheckinRow,
    ) -> Result<CheckinStatus> {
        let mut s = checkin::status(id, row);
        s.server_timer = timers::summary(conn, self.key(), id, self.now())?;
        Ok(s)
    }

    /// Changes the running check-in with `change`, replans its server-held
    /// timer, and tries to reach the homeserver.
    fn change_checkin(
        &self,
        change: impl FnOnce(&mut CheckinRow, DateTime<Utc>) -> Result<()>,
    ) -> Result<CheckinStatus> {
        let key = self.key();
        let now = self.now();
        let id = self.profile.store().transaction(|tx| {
            let (id, mut row) = active_checkin(tx, key)?;
            change(&mut row, now)?;
            checkin::put(tx, key, &id, &row)?;
            let (contacts, _) = contacts::list(tx, key)?;
            plan_timer(tx, key, &id, &row, &contacts, now)?;
            Ok(id)
        })?;
        self.finish_checkin_change(&id)
    }

    /// After a change: reach the homeserver (failures stay on the timers and
    /// are retried by the flush), then read the status back.
    fn finish_checkin_change(&self, id: &str) -> Result<CheckinStatus> {
        let _ = self.sync_timers();
        let key = self.key();
        self.profile.store().with(|c| {
            let (cid, row) = checkin::current(c, key)?
                .filter(|(cid, _)| cid == id)
                .ok_or_else(|| Error::NotFound("no check-in".into()))?;
            self.checkin_status(c, &cid, &row)
        })
    }

    /// Starts a check-in timer. Refused while another one runs, and when no
    /// contact receives missed check-in alerts. With Matrix contacts, the
    /// homeserver is also asked to hold the alert until deadline + grace; if
    /// it cannot be reached, the check-in still starts (its `server_timer`
    /// says `pending`) and the arming is retried.
    pub fn start_checkin(&self, request: &CheckinRequest) -> Result<CheckinStatus> {
        let key = self.key();
        let now = self.now();
        let (id, row) = checkin::new_row(request, now)?;
        self.profile.store().transaction(|tx| {
            if let Some((_, cur)) = checkin::current(tx, key)? {
                if cur.state == CheckinState::Active {
                    return Err(Error::invalid(
                        "a check-in is already running: extend it or check in first",
                    ));
                }
            }
            let (contacts, _) = contacts::list(tx, key)?;
            if alert::recipients(&contacts, Some(AlertReason::MissedCheckIn)).is_empty() {
                return Err(Error::NotFound(
                    "no trusted contact receives missed check-in alerts: add one first".into(),
                ));
            }
            checkin::put(tx, key, &id, &row)?;
            plan_timer(tx, key, &id, &row, &contacts, now)
        })?;
        self.finish_checkin_change(&id)
    }

    /// Moves the running check-in's deadline `by` later (from now, if the
    /// deadline has passed).
    pub fn extend_checkin(&self, by: chrono::Duration) -> Result<CheckinStatus> {
        if by < checkin::MIN_CHECKIN {
            return Err(Error::invalid("extend by at least one minute"));
        }
        self.change_checkin(|row, now| {
            let base = row.deadline.max(to_ms(now));
            set_deadline(row, base.saturating_add(by.num_milliseconds()), now)
        })
    }

    /// Moves the running check-in's deadline to `deadline` (later than the
    /// current one).
    pub fn extend_checkin_to(&self, deadline: DateTime<Utc>) -> Result<CheckinStatus> {
        self.change_checkin(|row, now| {
            if to_ms(deadline) <= row.deadline.max(to_ms(now)) {
                return Err(Error::invalid(
                    "the new deadline must be later than the current one and in the future",
                ));
            }
            set_deadline(row, to_ms(deadline), now)
        })
    }

    /// The last known place for the running check-in: a missed check-in
    /// alert carries it (the server-held one too: it is re-armed).
    pub fn update_checkin_location(&self, location: Location) -> Result<CheckinStatus> {
        let location = location.validate()?;
        self.change_checkin(|row, _| {
            row.location = Some(location);
            Ok(())
        })
    }

    /// Checks in: the running check-in ends without an alert (the server-held
    /// timer is cancelled; until the homeserver confirms, `server_timer`
    /// says `cancelling`).
    pub fn check_in(&self) -> Result<CheckinStatus> {
        self.close_checkin(CheckinState::Done)
    }

    /// Cancels the running check-in (and its server-held timer).
    pub fn cancel_checkin(&self) -> Result<CheckinStatus> {
        self.close_checkin(CheckinState::Cancelled)
    }

    fn close_checkin(&self, state: CheckinState) -> Result<CheckinStatus> {
        let key = self.key();
        let now = self.now();
        // A check-in whose time is up fires before anything else.
        self.run_due(now)?;
        let id = self.profile.store().transaction(|tx| {
            let (id, mut row) = active_checkin(tx, key)?;
            row.state = state;
            row.closed_at = Some(to_ms(now));
            checkin::put(tx, key, &id, &row)?;
            timers::cancel_owner(tx, key, &id, now)?;
            Ok(id)
        })?;
        self.finish_checkin_change(&id)
    }

    /// The current (or last) check-in, with its server-held timer.
    pub fn checkin(&self) -> Result<Option<CheckinStatus>> {
        let key = self.key();
        self.profile.store().with(|c| {
            checkin::current(c, key)?
                .map(|(id, row)| self.checkin_status(c, &id, &row))
                .transpose()
        })
    }

    /// Fires the running check-in if deadline + grace has passed. Returns how
    /// many alerts fired (0 or 1).
    pub(crate) fn fire_missed_checkin(&self, now: DateTime<Utc>) -> Result<usize> {
        let key = self.key();
        let events = self.profile.store().transaction(|tx| {
            let Some((cid, mut c)) = checkin::current(tx, key).ok().flatten() else {
                return Ok(Vec::new());
            };
            if c.state != CheckinState::Active || c.fires_at() > to_ms(now) {
                return Ok(Vec::new());
            }
            let (aid, events) = fire_owned(
                tx,
                key,
                &cid,
                AlertReason::MissedCheckIn,
                c.note.clone(),
                c.location,
                c.fires_at(),
                now,
            )?;
            c.state = CheckinState::Missed;
            c.alert_id = Some(aid);
            c.closed_at = Some(to_ms(now));
            checkin::put(tx, key, &cid, &c)?;
            Ok(events)
        })?;
        Ok(self.emit_counting_fired(events))
    }
}

fn set_deadline(row: &mut CheckinRow, deadline: i64, now: DateTime<Utc>) -> Result<()> {
    if deadline - to_ms(now) > checkin::MAX_CHECKIN.num_milliseconds() {
        return Err(Error::invalid("a check-in may last at most 7 days"));
    }
    row.deadline = deadline;
    Ok(())
}
