//! The panic button: trusted contacts, alerts (immediate, countdown, silent),
//! a durable outbox over SMS, webhooks and ntfy-compatible push, "I'm safe"
//! and location follow-ups, and a check-in timer.
//!
//! The promise: once [`Alerts::trigger`] returns, every delivery of the alert
//! is on disk (one transaction, `synchronous=FULL`), and every delivery ends
//! delivered, sent, waiting for the user, or reported failed, never silently
//! lost. Shells call [`Alerts::flush_outbox`] (or [`Alerts::tick`]) from their
//! background worker and when the network comes back, and schedule the next
//! call at [`Alerts::next_wakeup`].
//!
//! Everything personal is sealed with the profile's device key, which needs
//! no passphrase, so alerts can always leave. See docs/alerts.md.

mod alert;
pub mod checkin;
mod checkin_engine;
pub mod contacts;
pub mod duress;
pub mod events;
pub mod handover;
pub mod hold;
pub mod i18n;
pub mod matrix;
mod message;
pub mod model;
pub mod notices;
pub mod outbox;
mod push;
#[cfg(any(test, feature = "loopback-receiver"))]
pub mod receiver;
pub mod retention;
pub mod schema;
mod sealed;
pub mod segments;
pub mod sms;
pub mod timers;
pub mod validate;
pub mod webhook;

pub use alert::AlertStatus;
pub use checkin::{CheckinDeadline, CheckinRequest, CheckinState, CheckinStatus};
pub use contacts::{Contact, ContactInput, Triggers};
pub use events::{AlertEvent, AlertObserver};
pub use hold::{HoldRequest, HoldState, HoldStatus};
pub use matrix::MatrixError;
pub use model::{
    AlertMode, AlertReason, AlertState, Channel, DeliveryState, Location, MessageKind,
};
pub use notices::{setup_notice, SetupNotice};
pub use outbox::{DeliveryStatus, RetryPolicy};
pub use retention::PruneReport;
pub use sms::{SmsOutcome, SmsReport, SmsRequest, SmsSender};
pub use timers::{ServerTimer, ServerTimerState};

use crate::error::{Error, Result};
use crate::profile::Profile;
use alert::{AlertRow, Spec};
use chrono::{DateTime, Utc};
use outbox::Outcome;
use rusqlite::Connection;
use sealed::{from_ms, new_id, to_ms};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// How to trigger an alert.
#[derive(Clone, PartialEq)]
pub struct TriggerRequest {
    /// Immediate, countdown or silent.
    pub mode: AlertMode,
    /// Why.
    pub reason: AlertReason,
    /// The last known location, if any (never wait for a fix).
    pub location: Option<Location>,
    /// A note for the contacts.
    pub note: Option<String>,
}

impl std::fmt::Debug for TriggerRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TriggerRequest")
            .field("mode", &self.mode)
            .field("reason", &self.reason)
            .field("has_location", &self.location.is_some())
            .field("has_note", &self.note.is_some())
            .finish()
    }
}

impl TriggerRequest {
    /// The panic button, firing at once.
    pub fn button() -> Self {
        TriggerRequest {
            mode: AlertMode::Immediate,
            reason: AlertReason::Button,
            location: None,
            note: None,
        }
    }
}

/// Tunables of the engine (not persisted; shells set them at start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlertSettings {
    /// Retries of failed deliveries.
    pub retry: RetryPolicy,
    /// Least time between two location follow-ups of one alert.
    pub location_interval: Duration,
    /// A flush stops claiming new deliveries after this long.
    pub flush_budget: Duration,
    /// A flush attempts at most this many deliveries.
    pub flush_limit: usize,
    /// Deliveries sent in parallel.
    pub parallelism: usize,
    /// How long idle alerts stay on the device ([`retention`]).
    pub retention: Duration,
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            retry: RetryPolicy::default(),
            location_interval: Duration::from_secs(60),
            flush_budget: Duration::from_secs(60),
            flush_limit: 1000,
            parallelism: 8,
            retention: retention::DEFAULT_RETENTION,
        }
    }
}

impl AlertSettings {
    fn validate(&self) -> Result<()> {
        self.retry.validate()?;
        if self.location_interval > Duration::from_secs(3600) {
            return Err(Error::invalid("location interval must be at most 1 hour"));
        }
        if self.flush_limit == 0 || self.flush_limit > 100_000 {
            return Err(Error::invalid("flush limit must be 1 to 100000"));
        }
        if self.parallelism == 0 || self.parallelism > 32 {
            return Err(Error::invalid("parallelism must be 1 to 32"));
        }
        retention::validate(self.retention)
    }
}

/// What a flush did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Alerts that fired during this flush (countdowns, missed check-ins).
    pub fired: u32,
    /// Delivery attempts made.
    pub attempted: u32,
    /// Deliveries now delivered.
    pub delivered: u32,
    /// SMS handed to the phone.
    pub sent: u32,
    /// SMS waiting for the user.
    pub needs_user_action: u32,
    /// Attempts that failed and will be retried.
    pub retrying: u32,
    /// Deliveries given up.
    pub failed: u32,
    /// Deliveries still waiting afterwards.
    pub pending: u64,
    /// When to call again (`None`: nothing scheduled).
    pub next_wakeup: Option<DateTime<Utc>>,
}

/// The result of a location update.
#[derive(Debug, Clone, PartialEq)]
pub struct LocationUpdate {
    /// Follow-ups queued now.
    pub queued: Vec<DeliveryStatus>,
    /// When a rate-limited update will be sent (by a later flush).
    pub deferred_until: Option<DateTime<Utc>>,
}

/// The alert engine of a profile. `Send + Sync`; every method may block.
pub struct Alerts {
    profile: Arc<Profile>,
    sms: RwLock<Option<Arc<dyn SmsSender>>>,
    events: events::Dispatcher,
    settings: RwLock<AlertSettings>,
    /// When the retention sweep last ran (it runs at most hourly in flushes).
    last_sweep: std::sync::Mutex<Option<DateTime<Utc>>>,
}

impl std::fmt::Debug for Alerts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Alerts").finish_non_exhaustive()
    }
}

/// Shortens an error text for a delivery's `last_error`: the part before the
/// first colon (reqwest's details can contain the URL), at most 120 characters.
pub(crate) fn short_reason(text: &str) -> String {
    let mut head = text.trim();
    while let Some(rest) = ["network: ", "platform: ", "invalid input: ", "internal: "]
        .iter()
        .find_map(|p| head.strip_prefix(p))
    {
        head = rest;
    }
    let head = head.split(": ").next().unwrap_or(head);
    head.chars().take(120).collect()
}

const META_SENDER_NAME: &str = "sender_name";

impl Alerts {
    /// Opens the engine on `profile`: rows left `sending` by a crash go back
    /// to the queue, and countdowns and check-ins that came due while the app
    /// was not running fire now (queued durably; sending waits for a flush).
    pub fn open(profile: Arc<Profile>) -> Result<Self> {
        let alerts = Alerts {
            profile,
            sms: RwLock::new(None),
            events: events::Dispatcher::default(),
            settings: RwLock::new(AlertSettings::default()),
            last_sweep: std::sync::Mutex::new(None),
        };
        let now = alerts.now();
        alerts
            .profile
            .store()
            .with(|c| outbox::recover(c, now).map(|_| ()))?;
        alerts.run_due(now)?;
        Ok(alerts)
    }

    fn now(&self) -> DateTime<Utc> {
        self.profile.clock().now()
    }

    fn key(&self) -> &crate::crypto::SecretKey {
        self.profile.device_key()
    }

    fn allow_loopback(&self) -> bool {
        self.profile.http().config().allow_insecure_loopback
    }

    /// The current settings.
    pub fn settings(&self) -> AlertSettings {
        *self.settings.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes the settings.
    pub fn set_settings(&self, settings: AlertSettings) -> Result<()> {
        settings.validate()?;
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = settings;
        Ok(())
    }

    /// Registers the shell's SMS sender (`None` removes it).
    pub fn set_sms_sender(&self, sender: Option<Arc<dyn SmsSender>>) {
        *self.sms.write().unwrap_or_else(|p| p.into_inner()) = sender;
    }

    /// Registers the shell's observer (`None` removes it). Events raised
    /// while none was registered are delivered to it first.
    pub fn set_observer(&self, observer: Option<Arc<dyn AlertObserver>>) {
        self.events.set(observer);
    }

    // ----- the user's name -----

    /// Sets the name contacts see ("ALERT: <name> needs help"); `None` clears it.
    pub fn set_sender_name(&self, name: Option<&str>) -> Result<()> {
        let key = self.key();
        match name.map(|n| validate::name(n, "your name")).transpose()? {
            Some(n) => {
                let sealed = sealed::seal_row(key, "alert_meta", META_SENDER_NAME, &n)?;
                self.profile.store().with(|c| {
                    c.execute(
                        "INSERT INTO alert_meta(key, sealed) VALUES (?1, ?2)
                         ON CONFLICT(key) DO UPDATE SET sealed = excluded.sealed",
                        rusqlite::params![META_SENDER_NAME, sealed],
                    )?;
                    Ok(())
                })
            }
            None => self.profile.store().with(|c| {
                c.execute("DELETE FROM alert_meta WHERE key = ?1", [META_SENDER_NAME])?;
                Ok(())
            }),
        }
    }

    /// The name contacts see, if set.
    pub fn sender_name(&self) -> Result<Option<String>> {
        self.profile.store().with(|c| sender_name(c, self.key()))
    }

    // ----- contacts -----

    /// Adds a trusted contact.
    pub fn add_contact(&self, input: &ContactInput) -> Result<Contact> {
        let now = self.now();
        let allow = self.allow_loopback();
        self.profile
            .store()
            .transaction(|tx| contacts::add(tx, self.key(), input, now, allow))
    }

    /// Replaces a contact's details.
    pub fn update_contact(&self, id: &str, input: &ContactInput) -> Result<Contact> {
        let allow = self.allow_loopback();
        self.profile
            .store()
            .transaction(|tx| contacts::update(tx, self.key(), id, input, allow))
    }

    /// One contact.
    pub fn contact(&self, id: &str) -> Result<Contact> {
        self.profile
            .store()
            .with(|c| contacts::get(c, self.key(), id))
    }

    /// Every contact, in the order added (rows that no longer open are skipped).
    pub fn contacts(&self) -> Result<Vec<Contact>> {
        Ok(self
            .profile
            .store()
            .with(|c| contacts::list(c, self.key()))?
            .0)
    }

    /// Removes a contact (deliveries already queued for it still go out).
    pub fn remove_contact(&self, id: &str) -> Result<()> {
        self.profile.store().with(|c| contacts::remove(c, id))
    }

    /// Queues a test message to every channel of a contact.
    pub fn test_contact(&self, id: &str) -> Result<Vec<DeliveryStatus>> {
        let now = self.now();
        let key = self.key();
        let queued = self.profile.store().transaction(|tx| {
            let contact = contacts::get(tx, key, id)?;
            let name = sender_name(tx, key)?;
            alert::enqueue_for(
                tx,
                key,
                &alert::recipients(std::slice::from_ref(&contact), None),
                &Spec {
                    kind: MessageKind::Test,
                    alert_id: None,
                    reason: None,
                    silent: false,
                    sender_name: name.as_deref(),
                    triggered_at: None,
                    location: None,
                    note: None,
                },
                now,
            )
        })?;
        self.emit_deliveries(&queued);
        Ok(queued)
    }

    // ----- alerts -----

    /// Triggers an alert. Immediate and silent alerts have every delivery
    /// queued durably before this returns; a countdown is stored durably and
    /// fires at `fires_at` (in a later flush, tick or open) unless cancelled.
    /// Never waits for a location: pass the last known one, or none.
    pub fn trigger(&self, request: &TriggerRequest) -> Result<AlertStatus> {
        let mode = request.mode.validate()?;
        let note = validate::note(request.note.as_deref())?;
        let location = request.location.map(Location::validate).transpose()?;
        let now = self.now();
        let key = self.key();
        let id = new_id(16);
        let mut row = AlertRow {
            mode,
            reason: request.reason,
            state: AlertState::Countdown,
            created_at: to_ms(now),
            fires_at: None,
            fired_at: None,
            closed_at: None,
            note,
            location,
            location_sent_at: None,
            location_pending: false,
        };
        let (status, events) = self.profile.store().transaction(|tx| {
            let (contacts, _) = contacts::list(tx, key)?;
            if alert::recipients(&contacts, Some(request.reason)).is_empty() {
                return Err(Error::NotFound(
                    "no trusted contact receives this kind of alert: add one first".into(),
                ));
            }
            let mut events = Vec::new();
            let deliveries = match mode {
                AlertMode::Countdown { seconds } => {
                    let fires_at = now + chrono::Duration::seconds(seconds.into());
                    row.fires_at = Some(to_ms(fires_at));
                    alert::insert(tx, key, &id, &row)?;
                    events.push(AlertEvent::CountdownStarted {
                        alert_id: id.clone(),
                        fires_at,
                    });
                    Vec::new()
                }
                AlertMode::Immediate | AlertMode::Silent => {
                    alert::insert(tx, key, &id, &row)?;
                    let name = sender_name(tx, key)?;
                    let queued =
                        alert::fire(tx, key, &id, &mut row, &contacts, name.as_deref(), now)?;
                    events.push(fired_event(&id, &row));
                    events.extend(delivery_events(&queued));
                    queued
                }
            };
            Ok((alert::status(&id, &row, deliveries), events))
        })?;
        self.events.emit(events);
        Ok(status)
    }

    /// A silent alert with reason duress: the journal's duress hook calls this.
    pub fn trigger_duress(&self) -> Result<AlertStatus> {
        self.trigger(&TriggerRequest {
            mode: AlertMode::Silent,
            reason: AlertReason::Duress,
            location: None,
            note: None,
        })
    }

    /// Cancels a countdown: nothing is sent. Cancelling an alert that has
    /// already fired is refused (resolve it with [`Alerts::resolve`]).
    pub fn cancel(&self, id: &str) -> Result<AlertStatus> {
        let key = self.key();
        let now = self.now();
        let (status, events) = self.profile.store().transaction(|tx| {
            let mut row = alert::get(tx, key, id)?;
            let mut events = Vec::new();
            match row.state {
                AlertState::Countdown => {
                    events.push(cancel_countdown(tx, key, id, &mut row, now)?);
                }
                AlertState::Cancelled => {}
                AlertState::Fired | AlertState::Resolved => {
                    return Err(Error::invalid(
                        "the alert has already gone out: resolve it with \"I'm safe\"",
                    ))
                }
            }
            let deliveries = outbox::statuses_for_alert(tx, key, id)?;
            Ok((alert::status(id, &row, deliveries), events))
        })?;
        self.events.emit(events);
        Ok(status)
    }

    /// "I'm safe": resolves an alert. A countdown is cancelled (nothing is
    /// sent). For a fired alert, deliveries not yet attempted are cancelled,
    /// and every contact and channel that got (or may have got) the alert
    /// receives an "I'm safe" follow-up. Resolving twice changes nothing.
    pub fn resolve(&self, id: &str) -> Result<AlertStatus> {
        let key = self.key();
        let now = self.now();
        let (status, events) = self.profile.store().transaction(|tx| {
            let mut row = alert::get(tx, key, id)?;
            let mut events = Vec::new();
            match row.state {
                AlertState::Countdown => {
                    events.push(cancel_countdown(tx, key, id, &mut row, now)?);
                }
                AlertState::Fired => {
                    let all = outbox::for_alert(tx, key, id)?;
                    let reached = alert::alert_destinations(&all, alert::may_have_received);
                    for (did, state, _, body) in &all {
                        let cancel =
                            matches!(body.kind, MessageKind::Alert | MessageKind::Location)
                                && matches!(
                                    state,
                                    DeliveryState::Queued | DeliveryState::NeedsUserAction
                                );
                        if cancel {
                            if let Some(s) = cancel_delivery(tx, key, did, *state, now)? {
                                events.push(AlertEvent::Delivery { delivery: s });
                            }
                        }
                    }
                    let name = sender_name(tx, key)?;
                    let queued = alert::enqueue_for(
                        tx,
                        key,
                        &reached,
                        &Spec {
                            kind: MessageKind::Safe,
                            alert_id: Some(id),
                            reason: Some(row.reason),
                            silent: false,
                            sender_name: name.as_deref(),
                            triggered_at: Some(row.raised_at()),
                            location: None,
                            note: None,
                        },
                        now,
                    )?;
                    events.extend(delivery_events(&queued));
                    row.state = AlertState::Resolved;
                    row.closed_at = Some(to_ms(now));
                    row.location_pending = false;
                    alert::update(tx, key, id, &row)?;
                    events.push(AlertEvent::Resolved {
                        alert_id: id.to_owned(),
                    });
                }
                AlertState::Cancelled | AlertState::Resolved => {}
            }
            let deliveries = outbox::statuses_for_alert(tx, key, id)?;
            Ok((alert::status(id, &row, deliveries), events))
        })?;
        self.events.emit(events);
        Ok(status)
    }

    /// A new location for an open alert. During a countdown it is used when
    /// the alert fires. After firing, contacts get a follow-up at once,
    /// unless one went out less than the location interval ago; then the
    /// newest location is sent by the first flush after the interval.
    pub fn update_location(&self, id: &str, location: Location) -> Result<LocationUpdate> {
        let location = location.validate()?;
        let key = self.key();
        let now = self.now();
        let interval = self.settings().location_interval;
        let (update, events) = self.profile.store().transaction(|tx| {
            let mut row = alert::get(tx, key, id)?;
            match row.state {
                AlertState::Countdown => {
                    row.location = Some(location);
                    alert::update(tx, key, id, &row)?;
                    Ok((
                        LocationUpdate {
                            queued: Vec::new(),
                            deferred_until: None,
                        },
                        Vec::new(),
                    ))
                }
                AlertState::Fired => {
                    row.location = Some(location);
                    let allowed_at = row
                        .location_sent_at
                        .map(|t| t + interval.as_millis() as i64)
                        .unwrap_or(i64::MIN);
                    if to_ms(now) >= allowed_at {
                        let events = send_location(tx, key, id, &mut row, now)?;
                        let queued = events
                            .iter()
                            .filter_map(|e| match e {
                                AlertEvent::Delivery { delivery }
                                    if delivery.state == DeliveryState::Queued =>
                                {
                                    Some(delivery.clone())
                                }
                                _ => None,
                            })
                            .collect();
                        Ok((
                            LocationUpdate {
                                queued,
                                deferred_until: None,
                            },
                            events,
                        ))
                    } else {
                        row.location_pending = true;
                        alert::update(tx, key, id, &row)?;
                        Ok((
                            LocationUpdate {
                                queued: Vec::new(),
                                deferred_until: Some(from_ms(allowed_at)),
                            },
                            Vec::new(),
                        ))
                    }
                }
                AlertState::Cancelled | AlertState::Resolved => {
                    Err(Error::invalid("the alert is no longer active"))
                }
            }
        })?;
        self.events.emit(events);
        Ok(update)
    }

    /// The status of one alert.
    pub fn status(&self, id: &str) -> Result<AlertStatus> {
        let key = self.key();
        self.profile.store().with(|c| {
            let row = alert::get(c, key, id)?;
            Ok(alert::status(
                id,
                &row,
                outbox::statuses_for_alert(c, key, id)?,
            ))
        })
    }

    /// Open alerts (counting down or fired, not yet resolved), oldest first.
    pub fn active_alerts(&self) -> Result<Vec<AlertStatus>> {
        let ids = self.profile.store().with(alert::open_ids)?;
        ids.iter().map(|id| self.status(id)).collect()
    }

    /// The most recent alerts, newest first.
    pub fn recent_alerts(&self, limit: u32) -> Result<Vec<AlertStatus>> {
        let ids = self
            .profile
            .store()
            .with(|c| alert::recent_ids(c, limit.min(1000) as usize))?;
        ids.iter().map(|id| self.status(id)).collect()
    }

    /// The status of one delivery.
    pub fn delivery(&self, id: &str) -> Result<DeliveryStatus> {
        self.profile
            .store()
            .with(|c| outbox::status_of(c, self.key(), id))
    }

    /// The message of an SMS delivery that waits for the user (to show in a
    /// composer they send from). Refused for any other delivery.
    pub fn sms_request(&self, delivery_id: &str) -> Result<SmsRequest> {
        let (state, _, body) = self
            .profile
            .store()
            .with(|c| outbox::get(c, self.key(), delivery_id))?;
        if body.channel != Channel::Sms || state != DeliveryState::NeedsUserAction {
            return Err(Error::invalid("that message is not waiting to be sent"));
        }
        Ok(SmsRequest {
            delivery_id: delivery_id.to_owned(),
            phone: body.target.clone(),
            text: body.text.clone(),
            silent: body.silent,
        })
    }

    /// A report from the shell about an SMS (Android sent/delivered intents,
    /// iOS composer result). A failure is retried with backoff.
    pub fn report_sms(&self, delivery_id: &str, report: &SmsReport) -> Result<DeliveryStatus> {
        let key = self.key();
        let now = self.now();
        let policy = self.settings().retry;
        use DeliveryState as S;
        let (status, changed) = self.profile.store().transaction(|tx| {
            let (_, _, body) = outbox::get(tx, key, delivery_id)?;
            if body.channel != Channel::Sms {
                return Err(Error::invalid("that delivery is not an SMS"));
            }
            let (from, outcome): (&[S], Outcome) = match report {
                SmsReport::Sent => (&[S::Queued, S::Sending, S::NeedsUserAction], Outcome::Sent),
                SmsReport::Delivered => (
                    &[
                        S::Queued,
                        S::Sending,
                        S::Sent,
                        S::NeedsUserAction,
                        S::Failed,
                    ],
                    Outcome::Delivered,
                ),
                SmsReport::Failed { reason } => (
                    &[S::Sending, S::Sent, S::NeedsUserAction],
                    Outcome::Retry(short_reason(reason)),
                ),
            };
            let mut outcome = outcome;
            if let (Outcome::Retry(_), Some(aid)) = (&outcome, &body.alert_id) {
                if matches!(body.kind, MessageKind::Alert | MessageKind::Location)
                    && !alert::is_open(tx, aid)?
                {
                    outcome = Outcome::Cancelled;
                }
            }
            let change = outbox::Transition {
                from,
                outcome,
                attempt: false,
            };
            match outbox::apply(tx, key, delivery_id, change, now, &policy)? {
                Some(s) => Ok((s, true)),
                None => Ok((outbox::status_of(tx, key, delivery_id)?, false)),
            }
        })?;
        if changed {
            self.emit_deliveries(std::slice::from_ref(&status));
        }
        Ok(status)
    }

    // ----- doing the work -----

    /// Runs everything that is due: fires countdowns and missed check-ins,
    /// queues rate-limited location follow-ups, then sends every due delivery
    /// (bounded by the flush limit and budget). Safe to call from several
    /// threads or processes at once: rows are claimed before sending.
    pub fn flush_outbox(&self) -> Result<FlushReport> {
        let settings = self.settings();
        let start = self.now();
        // A duress alert handed over before a wipe goes first (silently).
        self.send_handover(false)?;
        let mut report = FlushReport {
            fired: self.run_due(start)? as u32,
            ..FlushReport::default()
        };
        // Server-held timers: arm what is due, cancel what is no longer wanted.
        self.sync_timers()?;
        let started = Instant::now();
        let key = self.key();
        let sms = self.sms.read().unwrap_or_else(|p| p.into_inner()).clone();
        while (report.attempted as usize) < settings.flush_limit
            && started.elapsed() < settings.flush_budget
        {
            let room = (settings.flush_limit - report.attempted as usize).min(settings.parallelism);
            let now = self.now();
            let (claimed, unreadable) = self
                .profile
                .store()
                .transaction(|tx| outbox::claim(tx, key, start, now, settings.retry.lease, room))?;
            report.failed += unreadable.len() as u32;
            if claimed.is_empty() {
                if unreadable.is_empty() {
                    break;
                }
                continue;
            }
            let outcomes = self.send_batch(&claimed, sms.as_deref());
            let mut events = Vec::with_capacity(outcomes.len());
            for (c, outcome) in claimed.iter().zip(outcomes) {
                let attempted = outcome != Outcome::Cancelled;
                let now = self.now();
                let applied = self.profile.store().transaction(|tx| {
                    let change = outbox::Transition {
                        from: &[DeliveryState::Sending, DeliveryState::Queued],
                        outcome,
                        attempt: attempted,
                    };
                    outbox::apply(tx, key, &c.id, change, now, &settings.retry)
                })?;
                report.attempted += 1;
                if let Some(s) = applied {
                    match s.state {
                        DeliveryState::Delivered => report.delivered += 1,
                        DeliveryState::Sent => report.sent += 1,
                        DeliveryState::NeedsUserAction => report.needs_user_action += 1,
                        DeliveryState::Queued => report.retrying += 1,
                        DeliveryState::Failed => report.failed += 1,
                        _ => {}
                    }
                    events.push(AlertEvent::Delivery { delivery: s });
                }
            }
            self.events.emit(events);
        }
        report.pending = self.profile.store().with(outbox::pending_count)?;
        report.next_wakeup = self.next_wakeup()?;
        self.sweep_if_due()?;
        // Move the WAL into the database here, so that a trigger (which the
        // app follows with a flush) never has to run a checkpoint itself.
        self.profile.store().checkpoint_passive()?;
        Ok(report)
    }

    /// Removes alerts idle for longer than the retention period now (see
    /// [`retention`]). Flushes do this by themselves at most once an hour.
    pub fn prune(&self) -> Result<PruneReport> {
        let now = self.now();
        let report = retention::sweep(
            self.profile.store(),
            self.key(),
            now,
            self.settings().retention,
        )?;
        *self.last_sweep.lock().unwrap_or_else(|p| p.into_inner()) = Some(now);
        Ok(report)
    }

    fn sweep_if_due(&self) -> Result<()> {
        let last = *self.last_sweep.lock().unwrap_or_else(|p| p.into_inner());
        if last.is_none_or(|t| self.now() - t >= chrono::Duration::hours(1)) {
            self.prune()?;
        }
        Ok(())
    }

    /// Same as [`Alerts::flush_outbox`]: the shell's alarm and background
    /// worker call this at [`Alerts::next_wakeup`].
    pub fn tick(&self) -> Result<FlushReport> {
        self.flush_outbox()
    }

    /// When the shell should next call [`Alerts::tick`]: the earliest of the
    /// next due delivery, countdown, rate-limited location follow-up and
    /// check-in (deadline + grace). `None` when nothing is scheduled; a time
    /// in the past means "now".
    pub fn next_wakeup(&self) -> Result<Option<DateTime<Utc>>> {
        let key = self.key();
        let interval = self.settings().location_interval.as_millis() as i64;
        self.profile.store().with(|c| {
            let mut next: Option<i64> = outbox::next_due(c)?.map(to_ms);
            let mut consider = |t: i64| next = Some(next.map_or(t, |n| n.min(t)));
            for id in alert::due_work_ids(c)? {
                let Ok(row) = alert::get(c, key, &id) else {
                    continue;
                };
                match row.state {
                    AlertState::Countdown => {
                        if let Some(t) = row.fires_at {
                            consider(t);
                        }
                    }
                    AlertState::Fired if row.location_pending => {
                        consider(row.location_sent_at.map_or(0, |t| t + interval));
                    }
                    _ => {}
                }
            }
            if let Some((_, row)) = checkin::current(c, key).ok().flatten() {
                if row.state == CheckinState::Active {
                    consider(row.fires_at());
                }
            }
            let dir = &self.profile.config().data_dir;
            if let Some(t) = handover::next_due(dir, self.profile.keystore().as_ref()) {
                consider(to_ms(t));
            }
            if let Some(t) = timers::next_due(c)? {
                consider(t);
            }
            if let Some(t) = self.hold_deadline(c) {
                consider(t);
            }
            Ok(next.map(from_ms))
        })
    }

    /// Deletes every contact, alert, delivery and check-in (the journal's
    /// wipe calls this), then checkpoints so nothing lingers in the WAL.
    pub fn wipe(&self) -> Result<()> {
        self.profile.store().transaction(|tx| {
            for table in schema::TABLES {
                tx.execute(&format!("DELETE FROM {table}"), [])?;
            }
            Ok(())
        })?;
        self.profile.store().checkpoint()
    }

    /// Copies every waiting delivery of alert `id` into the hand-over file,
    /// which survives a wipe (see [`handover`]). The duress hook calls this
    /// before the wipe; sending happens in [`Alerts::send_handover`].
    pub fn hand_over(&self, id: &str) -> Result<()> {
        let key = self.key();
        let now = self.now();
        let items: Vec<handover::Item> = self.profile.store().with(|c| {
            Ok(outbox::for_alert(c, key, id)?
                .into_iter()
                .filter(|(_, state, _, _)| state.is_pending())
                .map(|(did, _, due, body)| handover::Item {
                    id: did,
                    due_at: due.unwrap_or(to_ms(now)),
                    body,
                })
                .collect())
        })?;
        if items.is_empty() {
            return Ok(());
        }
        let max_age = self.settings().retry.max_age.as_millis() as i64;
        let dir = &self.profile.config().data_dir;
        let mut package = match handover::read(dir, self.profile.keystore().as_ref()) {
            Ok(Some(p)) => p,
            _ => handover::Package {
                expires_at: 0,
                items: Vec::new(),
            },
        };
        package.expires_at = package.expires_at.max(to_ms(now) + max_age);
        package.items.extend(items);
        handover::write(dir, self.profile.keystore().as_ref(), &package)
    }

    /// Sends what is due of a pending hand-over (one round). With `wait`,
    /// waits for another thread that is sending it; otherwise leaves it to
    /// that thread. Returns how many deliveries remain in it.
    pub fn send_handover(&self, wait: bool) -> Result<usize> {
        let dir = &self.profile.config().data_dir;
        if !handover::pending(dir) {
            return Ok(0);
        }
        let sms = self.sms.read().unwrap_or_else(|p| p.into_inner()).clone();
        handover::send_due(
            dir,
            self.profile.keystore().as_ref(),
            || self.now(),
            &self.settings().retry,
            wait,
            |item| self.deliver(&item.id, &item.body, sms.as_deref()),
        )
    }

    /// Sends one delivery over its channel (no state change).
    fn deliver(
        &self,
        id: &str,
        body: &outbox::DeliveryBody,
        sms: Option<&dyn SmsSender>,
    ) -> Outcome {
        let http = self.profile.http();
        match body.channel {
            Channel::Sms => sms::send(sms, id, body),
            Channel::Webhook => webhook::send(http, body),
            Channel::Push => push::send(http, body),
            Channel::Matrix => matrix::deliver::send(&self.matrix(), body, self.now()),
        }
    }

    fn send_batch(&self, claimed: &[outbox::Claimed], sms: Option<&dyn SmsSender>) -> Vec<Outcome> {
        let store = self.profile.store();
        let send_one = |c: &outbox::Claimed| -> Outcome {
            if let (Some(aid), MessageKind::Alert | MessageKind::Location) =
                (&c.body.alert_id, c.body.kind)
            {
                if let Ok(false) = store.with(|conn| alert::is_open(conn, aid)) {
                    return Outcome::Cancelled;
                }
            }
            self.deliver(&c.id, &c.body, sms)
        };
        if claimed.len() == 1 {
            return vec![send_one(&claimed[0])];
        }
        std::thread::scope(|s| {
            let handles: Vec<_> = claimed
                .iter()
                .map(|c| s.spawn(move || send_one(c)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Outcome::Retry("sending crashed".into()))
                })
                .collect()
        })
    }

    /// Fires due countdowns and check-ins and queues due location follow-ups.
    /// Returns how many alerts fired.
    fn run_due(&self, now: DateTime<Utc>) -> Result<usize> {
        let key = self.key();
        let interval = self.settings().location_interval.as_millis() as i64;
        let mut fired = 0;
        let ids = self.profile.store().with(alert::due_work_ids)?;
        for id in ids {
            let events = self.profile.store().transaction(|tx| {
                // A row that no longer opens must not stop every other alert.
                let Ok(mut row) = alert::get(tx, key, &id) else {
                    return Ok(Vec::new());
                };
                match row.state {
                    AlertState::Countdown if row.fires_at.is_some_and(|t| t <= to_ms(now)) => {
                        let (contacts, _) = contacts::list(tx, key)?;
                        let name = sender_name(tx, key)?;
                        let queued =
                            alert::fire(tx, key, &id, &mut row, &contacts, name.as_deref(), now)?;
                        let mut events = vec![fired_event(&id, &row)];
                        events.extend(delivery_events(&queued));
                        Ok(events)
                    }
                    AlertState::Fired
                        if row.location_pending
                            && row.location_sent_at.map_or(0, |t| t + interval) <= to_ms(now) =>
                    {
                        send_location(tx, key, &id, &mut row, now)
                    }
                    _ => Ok(Vec::new()),
                }
            })?;
            fired += events
                .iter()
                .filter(|e| matches!(e, AlertEvent::Fired { .. }))
                .count();
            self.events.emit(events);
        }
        fired += self.fire_missed_checkin(now)?;
        fired += self.fire_released_hold(now)?;
        Ok(fired)
    }

    /// Emits `events`; returns how many alerts fired among them.
    fn emit_counting_fired(&self, events: Vec<AlertEvent>) -> usize {
        let fired = events
            .iter()
            .filter(|e| matches!(e, AlertEvent::Fired { .. }))
            .count();
        self.events.emit(events);
        fired
    }

    fn emit_deliveries(&self, deliveries: &[DeliveryStatus]) {
        self.events.emit(delivery_events(deliveries));
    }
}

fn sender_name(conn: &Connection, key: &crate::crypto::SecretKey) -> Result<Option<String>> {
    use rusqlite::OptionalExtension;
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT sealed FROM alert_meta WHERE key = ?1",
            [META_SENDER_NAME],
            |r| r.get(0),
        )
        .optional()?;
    match sealed {
        None => Ok(None),
        // An unreadable name must not stop an alert: fall back to no name.
        Some(s) => Ok(sealed::open_row(key, "alert_meta", META_SENDER_NAME, &s).ok()),
    }
}

fn cancel_delivery(
    conn: &Connection,
    key: &crate::crypto::SecretKey,
    id: &str,
    state: DeliveryState,
    now: DateTime<Utc>,
) -> Result<Option<DeliveryStatus>> {
    match state {
        DeliveryState::Queued => outbox::cancel(conn, key, id, now),
        DeliveryState::NeedsUserAction => outbox::apply(
            conn,
            key,
            id,
            outbox::Transition {
                from: &[DeliveryState::NeedsUserAction],
                outcome: Outcome::Cancelled,
                attempt: false,
            },
            now,
            &RetryPolicy::default(),
        ),
        _ => Ok(None),
    }
}

/// Queues location follow-ups for a fired alert to every destination of the
/// alert itself; older follow-ups still waiting are superseded.
fn send_location(
    conn: &Connection,
    key: &crate::crypto::SecretKey,
    id: &str,
    row: &mut AlertRow,
    now: DateTime<Utc>,
) -> Result<Vec<AlertEvent>> {
    let all = outbox::for_alert(conn, key, id)?;
    let mut events = Vec::new();
    for (did, state, _, body) in &all {
        if body.kind == MessageKind::Location
            && *state == DeliveryState::Queued
            && body.attempts == 0
        {
            if let Some(s) = outbox::cancel(conn, key, did, now)? {
                events.push(AlertEvent::Delivery { delivery: s });
            }
        }
    }
    let destinations =
        alert::alert_destinations(&all, |state, _| state != DeliveryState::Cancelled);
    let name = sender_name(conn, key)?;
    let queued = alert::enqueue_for(
        conn,
        key,
        &destinations,
        &Spec {
            kind: MessageKind::Location,
            alert_id: Some(id),
            reason: Some(row.reason),
            silent: row.mode.is_silent() || row.reason == AlertReason::Duress,
            sender_name: name.as_deref(),
            triggered_at: Some(row.raised_at()),
            location: row.location.as_ref(),
            note: None,
        },
        now,
    )?;
    events.extend(delivery_events(&queued));
    row.location_sent_at = Some(to_ms(now));
    row.location_pending = false;
    alert::update(conn, key, id, row)?;
    Ok(events)
}

fn fired_event(id: &str, row: &AlertRow) -> AlertEvent {
    AlertEvent::Fired {
        alert_id: id.to_owned(),
        reason: row.reason,
        silent: row.mode.is_silent() || row.reason == AlertReason::Duress,
    }
}

fn delivery_events(deliveries: &[DeliveryStatus]) -> Vec<AlertEvent> {
    deliveries
        .iter()
        .map(|d| AlertEvent::Delivery {
            delivery: d.clone(),
        })
        .collect()
}

/// Cancels a pending countdown in `tx` (nothing was queued for it, so nothing
/// will be sent) and returns the event to report.
fn cancel_countdown(
    tx: &rusqlite::Transaction<'_>,
    key: &crate::crypto::SecretKey,
    id: &str,
    row: &mut alert::AlertRow,
    now: DateTime<Utc>,
) -> Result<AlertEvent> {
    row.state = AlertState::Cancelled;
    row.closed_at = Some(to_ms(now));
    alert::update(tx, key, id, row)?;
    Ok(AlertEvent::CountdownCancelled {
        alert_id: id.to_owned(),
    })
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod reason_tests {
    #[test]
    fn short_reasons_drop_prefixes_and_urls() {
        assert_eq!(
            super::short_reason("platform: platform: no service"),
            "no service"
        );
        assert_eq!(
            super::short_reason("network: timed out: error sending request for url (http://x/)"),
            "timed out"
        );
        assert_eq!(super::short_reason(&"x".repeat(500)).len(), 120);
    }
}
