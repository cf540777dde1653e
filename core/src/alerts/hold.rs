//! Hold-to-alert (a dead-man panic button): while the user holds the button,
//! or keeps a "walking home" mode on, the app calls
//! [`Alerts::hold_keep_alive`] every [`HoldStatus::keep_alive_every`]; each
//! call restarts a short alert the Matrix homeserver holds (MSC4140
//! `restart`) and moves the phone's own deadline. Letting go is
//! [`Alerts::hold_release`]; only [`Alerts::hold_confirm`] with the hold PIN
//! ends it without an alert. If the keep-alives stop (phone taken, smashed,
//! out of battery) the homeserver sends the alert to the Matrix contacts
//! within the delay; if the phone still runs but nobody confirms, the phone's
//! own deadline fires an ordinary button alert to every contact (Matrix
//! contacts get the held message sent now: one alert).
//!
//! The hold is one sealed row in `alert_meta` (`hold.current`); the PIN is an
//! Argon2id hash (19 MiB, 2 passes), sealed too (`hold.pin`). A wrong PIN
//! changes nothing: the alert still goes at the deadline.
//!
//! The trade-off: a phone that is alive but offline cannot restart the
//! server's timer, so the Matrix contacts get the alert after the delay.
//! Choose the delay for the way the user moves (30 s while a finger is on the
//! button; minutes for walking through places without signal).

use super::checkin_engine::{fire_owned, timer_targets};
use super::contacts;
use super::model::{AlertReason, Location};
use super::sealed::{from_ms, get_meta, new_id, put_meta, to_ms};
use super::timers::{self, ServerTimer, ServerTimerState};
use super::{alert, sender_name, validate, AlertEvent, Alerts};
use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use std::time::Duration;
use zeroize::Zeroizing;

/// The delay of a hold unless the shell chooses another.
pub const DEFAULT_HOLD_DELAY: Duration = Duration::from_secs(30);
/// The shortest hold delay (a keep-alive every few seconds is the floor).
pub const MIN_HOLD_DELAY: Duration = Duration::from_secs(10);
/// The longest hold delay.
pub const MAX_HOLD_DELAY: Duration = Duration::from_secs(3600);
/// The shortest and longest PIN, in bytes.
pub const PIN_BYTES: std::ops::RangeInclusive<usize> = 4..=128;

const HOLD_KEY: &str = "hold.current";
const PIN_KEY: &str = "hold.pin";

/// How often the app must call [`Alerts::hold_keep_alive`] for `delay`: a
/// third of it, so two missed wake-ups in a row still do not fire it.
pub fn keep_alive_interval(delay: Duration) -> Duration {
    delay / 3
}

/// How to start a hold.
#[derive(Clone, PartialEq)]
pub struct HoldRequest {
    /// How long after the last keep-alive the alert goes ([`DEFAULT_HOLD_DELAY`]).
    pub delay: Duration,
    /// The last known place.
    pub location: Option<Location>,
    /// A note for the contacts ("walking home from the station").
    pub note: Option<String>,
}

impl std::fmt::Debug for HoldRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HoldRequest")
            .field("delay", &self.delay)
            .finish_non_exhaustive()
    }
}

impl Default for HoldRequest {
    fn default() -> Self {
        HoldRequest {
            delay: DEFAULT_HOLD_DELAY,
            location: None,
            note: None,
        }
    }
}

/// Where a hold stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldState {
    /// Held: the app keeps it alive.
    Holding,
    /// Let go, not confirmed: the alert goes at the deadline unless the PIN comes first.
    Released,
    /// Confirmed with the PIN: nothing was sent.
    Done,
    /// The alert went.
    Fired,
}

impl HoldState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            HoldState::Holding => "holding",
            HoldState::Released => "released",
            HoldState::Done => "done",
            HoldState::Fired => "fired",
        }
    }
}

#[derive(Clone, Serialize, Deserialize)]
struct HoldRow {
    id: String,
    state: HoldState,
    delay_ms: i64,
    started_at: i64,
    deadline: i64,
    note: Option<String>,
    location: Option<Location>,
    alert_id: Option<String>,
    closed_at: Option<i64>,
}

/// A hold as callers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldStatus {
    /// Random id.
    pub id: String,
    /// Where it stands.
    pub state: HoldState,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// When the phone fires it unless kept alive or confirmed.
    pub deadline: DateTime<Utc>,
    /// Call [`Alerts::hold_keep_alive`] at least this often while holding.
    pub keep_alive_every: Duration,
    /// The alert it fired, if it did.
    pub alert_id: Option<String>,
    /// The timer the Matrix homeserver holds (`None`: no Matrix contact).
    pub server_timer: Option<ServerTimer>,
}

#[derive(Serialize, Deserialize)]
struct PinHash {
    salt: String,
    hash: String,
}

const PIN_PARAMS: (u32, u32, u32) = (19 * 1024, 2, 1);

fn pin_hash(pin: &[u8], salt: &[u8]) -> Result<Zeroizing<[u8; 32]>> {
    let params = argon2::Params::new(PIN_PARAMS.0, PIN_PARAMS.1, PIN_PARAMS.2, Some(32))
        .map_err(|e| Error::Internal(format!("PIN parameters: {e}")))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut out = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(pin, salt, out.as_mut())
        .map_err(|e| Error::Internal(format!("PIN hash: {e}")))?;
    Ok(out)
}

fn check_pin(pin: &[u8]) -> Result<()> {
    if !PIN_BYTES.contains(&pin.len()) {
        return Err(Error::invalid("the hold PIN must be 4 to 128 characters"));
    }
    Ok(())
}

fn current(conn: &Connection, key: &SecretKey) -> Result<Option<HoldRow>> {
    get_meta(conn, key, HOLD_KEY)
}

fn running(conn: &Connection, key: &SecretKey) -> Result<HoldRow> {
    match current(conn, key)? {
        Some(h) if matches!(h.state, HoldState::Holding | HoldState::Released) => Ok(h),
        _ => Err(Error::NotFound("no hold is running".into())),
    }
}

/// Retention: removes a finished hold closed at or before `cutoff` (ms,
/// rounded up to the hour like every `idle_since`). Returns the id of a hold
/// that stays (its timers stay too).
pub(crate) fn prune(conn: &Connection, key: &SecretKey, cutoff: i64) -> Result<Option<String>> {
    let Some(h) = current(conn, key).ok().flatten() else {
        return Ok(None);
    };
    let over = matches!(h.state, HoldState::Done | HoldState::Fired)
        && h.closed_at
            .is_some_and(|t| super::retention::round_up_to_hour(t) <= cutoff)
        && !timers::owner_busy(conn, &h.id)?;
    if over {
        conn.execute("DELETE FROM alert_meta WHERE key = ?1", [HOLD_KEY])?;
        timers::remove_owner(conn, &h.id)?;
        Ok(None)
    } else {
        Ok(Some(h.id))
    }
}

impl Alerts {
    /// Sets the PIN that ends a hold without an alert (`None` removes it;
    /// refused while a hold runs).
    pub fn set_hold_pin(&self, pin: Option<&[u8]>) -> Result<()> {
        let key = self.key();
        let stored = match pin {
            Some(p) => {
                check_pin(p)?;
                let salt = crypto::random_bytes(16);
                let hash = pin_hash(p, &salt)?;
                Some(PinHash {
                    salt: hex::encode(salt),
                    hash: hex::encode(hash.as_ref()),
                })
            }
            None => None,
        };
        self.profile.store().transaction(|tx| {
            if running(tx, key).is_ok() {
                return Err(Error::invalid("a hold is running: end it first"));
            }
            match &stored {
                Some(h) => put_meta(tx, key, PIN_KEY, h),
                None => {
                    tx.execute("DELETE FROM alert_meta WHERE key = ?1", [PIN_KEY])?;
                    Ok(())
                }
            }
        })
    }

    /// Whether a hold PIN is set.
    pub fn has_hold_pin(&self) -> Result<bool> {
        let key = self.key();
        Ok(self
            .profile
            .store()
            .with(|c| get_meta::<PinHash>(c, key, PIN_KEY))?
            .is_some())
    }

    fn hold_status(&self, conn: &Connection, h: &HoldRow) -> Result<HoldStatus> {
        Ok(HoldStatus {
            id: h.id.clone(),
            state: h.state,
            started_at: from_ms(h.started_at),
            deadline: from_ms(h.deadline),
            keep_alive_every: keep_alive_interval(Duration::from_millis(h.delay_ms as u64)),
            alert_id: h.alert_id.clone(),
            server_timer: timers::summary(conn, self.key(), &h.id, self.now())?,
        })
    }

    fn read_hold(&self) -> Result<Option<HoldStatus>> {
        let key = self.key();
        self.profile.store().with(|c| {
            current(c, key)?
                .map(|h| self.hold_status(c, &h))
                .transpose()
        })
    }

    /// The current (or last) hold.
    pub fn hold(&self) -> Result<Option<HoldStatus>> {
        self.read_hold()
    }

    /// Starts holding: the homeserver is asked to hold an alert for every
    /// Matrix contact that takes button alerts, sent `delay` after the last
    /// keep-alive. Needs a hold PIN and a contact for button alerts.
    pub fn hold_start(&self, request: &HoldRequest) -> Result<HoldStatus> {
        if !(MIN_HOLD_DELAY..=MAX_HOLD_DELAY).contains(&request.delay) {
            return Err(Error::invalid("the hold delay must be 10 s to 1 h"));
        }
        let note = validate::note(request.note.as_deref())?;
        let location = request.location.map(Location::validate).transpose()?;
        let key = self.key();
        let now = self.now();
        let delay_ms = request.delay.as_millis() as i64;
        self.profile.store().transaction(|tx| {
            if running(tx, key).is_ok() {
                return Err(Error::invalid("a hold is already running"));
            }
            if get_meta::<PinHash>(tx, key, PIN_KEY)?.is_none() {
                return Err(Error::invalid(
                    "set a hold PIN first: only the PIN ends a hold without an alert",
                ));
            }
            let (contacts, _) = contacts::list(tx, key)?;
            if alert::recipients(&contacts, Some(AlertReason::Button)).is_empty() {
                return Err(Error::NotFound(
                    "no trusted contact receives button alerts: add one first".into(),
                ));
            }
            let h = HoldRow {
                id: new_id(16),
                state: HoldState::Holding,
                delay_ms,
                started_at: to_ms(now),
                deadline: to_ms(now) + delay_ms,
                note,
                location,
                alert_id: None,
                closed_at: None,
            };
            let name = sender_name(tx, key)?;
            let fires_at = from_ms(h.deadline);
            let targets = timer_targets(
                &contacts,
                AlertReason::Button,
                name.as_deref(),
                fires_at,
                h.location.as_ref(),
                h.note.as_deref(),
            );
            timers::plan(tx, key, &h.id, &targets, fires_at, now)?;
            put_meta(tx, key, HOLD_KEY, &h)
        })?;
        let _ = self.sync_timers();
        self.read_hold()?
            .ok_or_else(|| Error::Internal("the hold was not stored".into()))
    }

    /// Keeps the hold alive (call every `keep_alive_every` while holding):
    /// restarts the server-held alert and moves the phone's deadline. If the
    /// homeserver already sent it (the phone was offline too long), the alert
    /// is recorded here as fired, so "I'm safe" can follow.
    pub fn hold_keep_alive(&self) -> Result<HoldStatus> {
        let key = self.key();
        let now = self.now();
        let h = self.profile.store().transaction(|tx| {
            let mut h = running(tx, key)?;
            if h.state != HoldState::Holding {
                return Err(Error::invalid(
                    "the hold was let go: confirm it with the PIN",
                ));
            }
            if h.deadline <= to_ms(now) {
                // Too late: it fires (the flush would do the same).
                return Ok(h);
            }
            h.deadline = to_ms(now) + h.delay_ms;
            put_meta(tx, key, HOLD_KEY, &h)?;
            Ok(h)
        })?;
        let ctx = self.matrix();
        let restarted = timers::restart_owner(&ctx, &h.id, || self.now());
        let _ = self.sync_timers();
        self.run_due(self.now())?;
        let status = self
            .read_hold()?
            .ok_or_else(|| Error::NotFound("no hold".into()))?;
        if status.state == HoldState::Holding
            && status
                .server_timer
                .as_ref()
                .is_some_and(|t| t.state == ServerTimerState::Fired)
        {
            self.fire_hold(now, true)?;
            return self
                .read_hold()?
                .ok_or_else(|| Error::NotFound("no hold".into()));
        }
        // Offline: the phone's deadline moved, the server's did not (its
        // `last_error` says why); only a storage failure is an error here.
        match restarted {
            Err(e) if e.kind() == crate::ErrorKind::Storage => Err(e),
            _ => Ok(status),
        }
    }

    /// The finger left the button: no more keep-alives. The alert goes at
    /// the deadline unless [`Alerts::hold_confirm`] comes first.
    pub fn hold_release(&self) -> Result<HoldStatus> {
        let key = self.key();
        self.profile.store().transaction(|tx| {
            let mut h = running(tx, key)?;
            h.state = HoldState::Released;
            put_meta(tx, key, HOLD_KEY, &h)
        })?;
        self.read_hold()?
            .ok_or_else(|| Error::NotFound("no hold".into()))
    }

    /// Ends the hold without an alert, if `pin` is the hold PIN (else
    /// [`Error::WrongPassphrase`], and nothing changes: the alert still goes
    /// at the deadline). The server-held alert is cancelled.
    pub fn hold_confirm(&self, pin: &[u8]) -> Result<HoldStatus> {
        let key = self.key();
        let now = self.now();
        // Past the deadline, it has fired already.
        self.run_due(now)?;
        let stored = self
            .profile
            .store()
            .with(|c| get_meta::<PinHash>(c, key, PIN_KEY))?
            .ok_or_else(|| Error::NotFound("no hold PIN is set".into()))?;
        let salt = hex::decode(&stored.salt).map_err(|_| Error::Corrupt("PIN salt".into()))?;
        let want = Zeroizing::new(
            hex::decode(&stored.hash).map_err(|_| Error::Corrupt("PIN hash".into()))?,
        );
        let got = pin_hash(pin, &salt)?;
        let same = want.len() == got.len()
            && want
                .iter()
                .zip(got.iter())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err(Error::WrongPassphrase);
        }
        self.profile.store().transaction(|tx| {
            let mut h = running(tx, key)?;
            h.state = HoldState::Done;
            h.closed_at = Some(to_ms(now));
            put_meta(tx, key, HOLD_KEY, &h)?;
            timers::cancel_owner(tx, key, &h.id, now)
        })?;
        let _ = self.sync_timers();
        self.read_hold()?
            .ok_or_else(|| Error::NotFound("no hold".into()))
    }

    /// Fires a hold past its deadline (or, with `server_fired`, one the
    /// homeserver has already sent). Returns how many alerts fired.
    fn fire_hold(&self, now: DateTime<Utc>, server_fired: bool) -> Result<usize> {
        let key = self.key();
        let events: Vec<AlertEvent> = self.profile.store().transaction(|tx| {
            let Ok(mut h) = running(tx, key) else {
                return Ok(Vec::new());
            };
            if !server_fired && h.deadline > to_ms(now) {
                return Ok(Vec::new());
            }
            let (aid, events) = fire_owned(
                tx,
                key,
                &h.id,
                AlertReason::Button,
                h.note.clone(),
                h.location,
                h.deadline.min(to_ms(now)),
                now,
            )?;
            h.state = HoldState::Fired;
            h.alert_id = Some(aid);
            h.closed_at = Some(to_ms(now));
            put_meta(tx, key, HOLD_KEY, &h)?;
            Ok(events)
        })?;
        Ok(self.emit_counting_fired(events))
    }

    /// The flush's part: a hold past its deadline fires.
    pub(crate) fn fire_released_hold(&self, now: DateTime<Utc>) -> Result<usize> {
        self.fire_hold(now, false)
    }

    /// When the running hold's deadline is (for `next_wakeup`).
    pub(crate) fn hold_deadline(&self, conn: &Connection) -> Option<i64> {
        running(conn, self.key()).ok().map(|h| h.deadline)
    }
}
