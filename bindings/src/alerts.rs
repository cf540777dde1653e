//! The panic button over the FFI: the `Alerts` object, its records and enums,
//! and the foreign traits the shells implement (`SmsSender`, `AlertObserver`).
//! Translation only; the behaviour is in `parasol_core::alerts`.
//!
//! Times cross the FFI as milliseconds since the Unix epoch (UTC).

use crate::error::{FfiResult, ParasolError};
use chrono::{DateTime, TimeZone, Utc};
use parasol_core::alerts as core;
use std::sync::Arc;
use std::time::Duration;

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn instant(ms: i64) -> FfiResult<DateTime<Utc>> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .ok_or_else(|| ParasolError::InvalidInput {
            reason: "time is out of range".into(),
        })
}

/// Which alerts reach a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ContactTriggers {
    /// The panic button.
    pub button: bool,
    /// A missed check-in.
    pub missed_check_in: bool,
    /// The journal's duress passphrase.
    pub duress: bool,
}

impl From<core::Triggers> for ContactTriggers {
    fn from(t: core::Triggers) -> Self {
        ContactTriggers {
            button: t.button,
            missed_check_in: t.missed_check_in,
            duress: t.duress,
        }
    }
}

impl From<ContactTriggers> for core::Triggers {
    fn from(t: ContactTriggers) -> Self {
        core::Triggers {
            button: t.button,
            missed_check_in: t.missed_check_in,
            duress: t.duress,
        }
    }
}

/// What the user enters for a trusted contact.
#[derive(Clone, uniffi::Record)]
pub struct TrustedContactInput {
    /// Display name.
    pub name: String,
    /// Language of the messages (BCP-47; empty = English).
    pub language: String,
    /// Phone number for SMS (E.164, e.g. "+31612345678").
    pub phone: Option<String>,
    /// HTTPS webhook URL.
    pub webhook_url: Option<String>,
    /// ntfy-compatible topic URL.
    pub push_url: Option<String>,
    /// Push access token. On update, `None` with the same push URL keeps the old one.
    pub push_token: Option<String>,
    /// Which alerts reach the contact.
    pub triggers: ContactTriggers,
    /// The agreed, ordinary-looking text of a quiet SMS to this contact
    /// (needs a phone number).
    #[uniffi(default)]
    pub sms_code_phrase: Option<String>,
    /// Matrix ID (`@name:server`).
    #[uniffi(default)]
    pub matrix_id: Option<String>,
}

impl std::fmt::Debug for TrustedContactInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TrustedContactInput(<redacted>)")
    }
}

impl From<TrustedContactInput> for core::ContactInput {
    fn from(c: TrustedContactInput) -> Self {
        core::ContactInput {
            name: c.name,
            language: c.language,
            phone: c.phone,
            webhook_url: c.webhook_url,
            push_url: c.push_url,
            push_token: c.push_token,
            sms_code_phrase: c.sms_code_phrase,
            matrix_id: c.matrix_id,
            triggers: c.triggers.into(),
        }
    }
}

/// A trusted contact (the push token is never handed back).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedContact {
    /// Random id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Language of the messages.
    pub language: String,
    /// Phone number (E.164).
    pub phone: Option<String>,
    /// Webhook URL.
    pub webhook_url: Option<String>,
    /// Push topic URL.
    pub push_url: Option<String>,
    /// Whether a push access token is stored.
    pub has_push_token: bool,
    /// Which alerts reach the contact.
    pub triggers: ContactTriggers,
    /// When it was added.
    pub created_at_ms: i64,
    /// The text of a quiet SMS to this contact, if agreed.
    pub sms_code_phrase: Option<String>,
    /// Matrix ID.
    pub matrix_id: Option<String>,
}

impl std::fmt::Debug for TrustedContact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustedContact")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl From<core::Contact> for TrustedContact {
    fn from(c: core::Contact) -> Self {
        TrustedContact {
            id: c.id,
            name: c.name,
            language: c.language,
            phone: c.phone,
            webhook_url: c.webhook_url,
            push_url: c.push_url,
            has_push_token: c.push_token.is_some(),
            triggers: c.triggers.into(),
            created_at_ms: ms(c.created_at),
            sms_code_phrase: c.sms_code_phrase,
            matrix_id: c.matrix_id,
        }
    }
}

/// A location fix.
#[derive(Clone, Copy, PartialEq, uniffi::Record)]
pub struct AlertLocation {
    /// Degrees north.
    pub latitude: f64,
    /// Degrees east.
    pub longitude: f64,
    /// Accuracy radius in metres.
    pub accuracy_m: Option<f64>,
    /// When the fix was taken.
    pub fixed_at_ms: Option<i64>,
}

impl std::fmt::Debug for AlertLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AlertLocation(<redacted>)")
    }
}

impl AlertLocation {
    pub(crate) fn to_core(self) -> FfiResult<core::Location> {
        Ok(core::Location {
            latitude: self.latitude,
            longitude: self.longitude,
            accuracy_m: self.accuracy_m,
            fixed_at: self.fixed_at_ms.map(instant).transpose()?,
        })
    }
}

mirror_enum!(
    /// How a message reaches a contact.
    DeliveryChannel = core::Channel {
        /// SMS, sent by the shell.
        Sms,
        /// HTTPS JSON POST.
        Webhook,
        /// ntfy-compatible push.
        Push,
        /// A Matrix room.
        Matrix,
    }
);

mirror_enum!(
    /// What a delivery says.
    MessageKind = core::MessageKind {
        /// The alert.
        Alert,
        /// A location follow-up.
        Location,
        /// "I'm safe".
        Safe,
        /// A test message.
        Test,
    }
);

mirror_enum!(
    /// Why an alert was raised.
    AlertReason = core::AlertReason {
        /// The panic button.
        Button,
        /// A missed check-in.
        MissedCheckIn,
        /// The duress passphrase.
        Duress,
    }
);

mirror_enum!(
    /// Where an alert stands.
    AlertState = core::AlertState {
        /// Counting down: cancelling sends nothing.
        Countdown,
        /// Fired: deliveries queued.
        Fired,
        /// Cancelled during the countdown.
        Cancelled,
        /// Resolved with "I'm safe".
        Resolved,
    }
);

mirror_enum!(
    /// Where a delivery stands.
    DeliveryState = core::DeliveryState {
        /// Waiting (first try or retry).
        Queued,
        /// Being sent.
        Sending,
        /// Handed to the SMS system.
        Sent,
        /// Accepted by the receiver / delivery report.
        Delivered,
        /// The user must finish sending (iOS composer).
        NeedsUserAction,
        /// Given up.
        Failed,
        /// Never sent: the alert was resolved first.
        Cancelled,
    }
);

mirror_enum!(
    /// Where a check-in stands.
    CheckinState = core::CheckinState {
        /// Running.
        Active,
        /// Checked in.
        Done,
        /// Cancelled.
        Cancelled,
        /// Missed: an alert fired.
        Missed,
    }
);

mirror_enum!(
    /// What the shell did with an SMS.
    SmsOutcome = core::SmsOutcome {
        /// Handed to the SMS system (Android).
        Sent,
        /// The composer must be shown to the user (iOS).
        NeedsUserAction,
        /// Handed over; the result follows with `report_sms` (sent again if
        /// no report comes within the outbox lease).
        AwaitingReport,
        /// This phone cannot send this message: given up, other channels carry it.
        CannotSend,
    }
);

/// How an alert goes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AlertMode {
    /// At once.
    Immediate,
    /// After `seconds` (1 to 600) unless cancelled.
    Countdown {
        /// Seconds before firing.
        seconds: u32,
    },
    /// At once, showing nothing.
    Silent,
}

impl From<core::AlertMode> for AlertMode {
    fn from(m: core::AlertMode) -> Self {
        match m {
            core::AlertMode::Immediate => AlertMode::Immediate,
            core::AlertMode::Countdown { seconds } => AlertMode::Countdown { seconds },
            core::AlertMode::Silent => AlertMode::Silent,
        }
    }
}

impl From<AlertMode> for core::AlertMode {
    fn from(m: AlertMode) -> Self {
        match m {
            AlertMode::Immediate => core::AlertMode::Immediate,
            AlertMode::Countdown { seconds } => core::AlertMode::Countdown { seconds },
            AlertMode::Silent => core::AlertMode::Silent,
        }
    }
}

/// A later report from the shell about an SMS.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SmsReport {
    /// It left the phone.
    Sent,
    /// The network confirmed delivery.
    Delivered,
    /// It did not go: retry later.
    Failed {
        /// Why (no number, no text).
        reason: String,
    },
}

impl From<SmsReport> for core::SmsReport {
    fn from(r: SmsReport) -> Self {
        match r {
            SmsReport::Sent => core::SmsReport::Sent,
            SmsReport::Delivered => core::SmsReport::Delivered,
            SmsReport::Failed { reason } => core::SmsReport::Failed { reason },
        }
    }
}

/// How to trigger an alert.
#[derive(Clone, uniffi::Record)]
pub struct TriggerRequest {
    /// Immediate, countdown or silent.
    pub mode: AlertMode,
    /// Why.
    pub reason: AlertReason,
    /// The last known location (never wait for a fix).
    pub location: Option<AlertLocation>,
    /// A note for the contacts.
    pub note: Option<String>,
}

impl std::fmt::Debug for TriggerRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TriggerRequest")
            .field("mode", &self.mode)
            .field("reason", &self.reason)
            .finish_non_exhaustive()
    }
}

/// One delivery: a message to one contact over one channel.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DeliveryStatus {
    /// Random id (pass it to `report_sms`).
    pub id: String,
    /// The alert (none for test messages).
    pub alert_id: Option<String>,
    /// The contact.
    pub contact_id: String,
    /// The channel.
    pub channel: DeliveryChannel,
    /// What it says.
    pub kind: MessageKind,
    /// Where it stands.
    pub state: DeliveryState,
    /// Sent as `Idempotency-Key` on every attempt.
    pub idempotency_key: String,
    /// Attempts so far.
    pub attempts: u32,
    /// When queued.
    pub created_at_ms: i64,
    /// When last changed.
    pub updated_at_ms: i64,
    /// When the next attempt is due, while queued.
    pub next_attempt_at_ms: Option<i64>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
}

impl From<core::DeliveryStatus> for DeliveryStatus {
    fn from(d: core::DeliveryStatus) -> Self {
        DeliveryStatus {
            id: d.id,
            alert_id: d.alert_id,
            contact_id: d.contact_id,
            channel: d.channel.into(),
            kind: d.kind.into(),
            state: d.state.into(),
            idempotency_key: d.idempotency_key,
            attempts: d.attempts,
            created_at_ms: ms(d.created_at),
            updated_at_ms: ms(d.updated_at),
            next_attempt_at_ms: d.next_attempt_at.map(ms),
            last_error: d.last_error,
        }
    }
}

fn deliveries(v: Vec<core::DeliveryStatus>) -> Vec<DeliveryStatus> {
    v.into_iter().map(Into::into).collect()
}

/// An alert and its deliveries.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct AlertStatus {
    /// Random id.
    pub id: String,
    /// Where it stands.
    pub state: AlertState,
    /// How it was triggered.
    pub mode: AlertMode,
    /// Why.
    pub reason: AlertReason,
    /// When triggered.
    pub created_at_ms: i64,
    /// When a countdown fires (or fired).
    pub fires_at_ms: Option<i64>,
    /// When its deliveries were queued.
    pub fired_at_ms: Option<i64>,
    /// When cancelled or resolved.
    pub closed_at_ms: Option<i64>,
    /// Whether a location is known.
    pub has_location: bool,
    /// Every delivery, in the order queued.
    pub deliveries: Vec<DeliveryStatus>,
}

impl From<core::AlertStatus> for AlertStatus {
    fn from(a: core::AlertStatus) -> Self {
        AlertStatus {
            id: a.id,
            state: a.state.into(),
            mode: a.mode.into(),
            reason: a.reason.into(),
            created_at_ms: ms(a.created_at),
            fires_at_ms: a.fires_at.map(ms),
            fired_at_ms: a.fired_at.map(ms),
            closed_at_ms: a.closed_at.map(ms),
            has_location: a.has_location,
            deliveries: deliveries(a.deliveries),
        }
    }
}

/// What a flush did.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct FlushReport {
    /// Alerts that fired (countdowns, missed check-ins).
    pub fired: u32,
    /// Attempts made.
    pub attempted: u32,
    /// Now delivered.
    pub delivered: u32,
    /// SMS handed to the phone.
    pub sent: u32,
    /// SMS waiting for the user.
    pub needs_user_action: u32,
    /// Failed attempts that will be retried.
    pub retrying: u32,
    /// Given up.
    pub failed: u32,
    /// Still waiting afterwards.
    pub pending: u64,
    /// When to call `tick` again (none: nothing scheduled).
    pub next_wakeup_ms: Option<i64>,
}

impl From<core::FlushReport> for FlushReport {
    fn from(r: core::FlushReport) -> Self {
        FlushReport {
            fired: r.fired,
            attempted: r.attempted,
            delivered: r.delivered,
            sent: r.sent,
            needs_user_action: r.needs_user_action,
            retrying: r.retrying,
            failed: r.failed,
            pending: r.pending,
            next_wakeup_ms: r.next_wakeup.map(ms),
        }
    }
}

/// What a clean-up of old alerts removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PruneReport {
    /// Alerts removed.
    pub alerts: u32,
    /// Deliveries removed.
    pub deliveries: u32,
    /// Finished check-ins removed.
    pub checkins: u32,
}

/// The result of a location update.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LocationFollowUp {
    /// Follow-ups queued now.
    pub queued: Vec<DeliveryStatus>,
    /// When a rate-limited update will go out.
    pub deferred_until_ms: Option<i64>,
}

/// When a check-in is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CheckinDeadline {
    /// At this instant.
    At {
        /// Milliseconds since the epoch (UTC).
        at_ms: i64,
    },
    /// This many minutes from now.
    InMinutes {
        /// Minutes.
        minutes: u32,
    },
}

/// How to start a check-in.
#[derive(Clone, uniffi::Record)]
pub struct CheckinRequest {
    /// The deadline.
    pub deadline: CheckinDeadline,
    /// Grace after the deadline in minutes (none: 5).
    pub grace_minutes: Option<u32>,
    /// A note included in the alert.
    pub note: Option<String>,
    /// The last known place.
    #[uniffi(default)]
    pub location: Option<AlertLocation>,
}

impl std::fmt::Debug for CheckinRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckinRequest")
            .field("deadline", &self.deadline)
            .finish_non_exhaustive()
    }
}

/// A check-in.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct CheckinStatus {
    /// Random id.
    pub id: String,
    /// Where it stands.
    pub state: CheckinState,
    /// When started.
    pub started_at_ms: i64,
    /// The deadline.
    pub deadline_ms: i64,
    /// When the alert fires without a check-in.
    pub fires_at_ms: i64,
    /// The note.
    pub note: Option<String>,
    /// The alert it fired, if missed.
    pub alert_id: Option<String>,
    /// The timer the Matrix server holds for it (none: no Matrix contact).
    pub server_timer: Option<crate::matrix::ServerTimer>,
}

impl std::fmt::Debug for CheckinStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckinStatus")
            .field("id", &self.id)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl From<core::CheckinStatus> for CheckinStatus {
    fn from(c: core::CheckinStatus) -> Self {
        CheckinStatus {
            id: c.id,
            state: c.state.into(),
            started_at_ms: ms(c.started_at),
            deadline_ms: ms(c.deadline),
            fires_at_ms: ms(c.fires_at),
            note: c.note,
            alert_id: c.alert_id,
            server_timer: c.server_timer.map(Into::into),
        }
    }
}

/// Engine tunables (defaults suit phones; tests shorten them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct AlertSettings {
    /// Backoff before the first retry (ms), doubled per attempt.
    pub retry_base_ms: u64,
    /// Longest backoff (ms).
    pub retry_cap_ms: u64,
    /// Give up after this long (s).
    pub max_age_seconds: u64,
    /// A claimed delivery is re-tried by another flush after this long (s).
    pub lease_seconds: u64,
    /// Least time between location follow-ups (s).
    pub location_interval_seconds: u64,
    /// A flush stops starting new sends after this long (s).
    pub flush_budget_seconds: u64,
    /// A flush attempts at most this many deliveries.
    pub flush_limit: u32,
    /// Deliveries sent in parallel.
    pub parallelism: u32,
    /// Idle alerts (closed, or fired and finished) leave the device after
    /// this many days (1 to 365).
    #[uniffi(default = 7)]
    pub retention_days: u32,
}

impl From<core::AlertSettings> for AlertSettings {
    fn from(s: core::AlertSettings) -> Self {
        AlertSettings {
            retry_base_ms: s.retry.base.as_millis() as u64,
            retry_cap_ms: s.retry.cap.as_millis() as u64,
            max_age_seconds: s.retry.max_age.as_secs(),
            lease_seconds: s.retry.lease.as_secs(),
            location_interval_seconds: s.location_interval.as_secs(),
            flush_budget_seconds: s.flush_budget.as_secs(),
            flush_limit: s.flush_limit as u32,
            parallelism: s.parallelism as u32,
            retention_days: (s.retention.as_secs() / 86_400) as u32,
        }
    }
}

impl From<AlertSettings> for core::AlertSettings {
    fn from(s: AlertSettings) -> Self {
        core::AlertSettings {
            retry: core::RetryPolicy {
                base: Duration::from_millis(s.retry_base_ms),
                cap: Duration::from_millis(s.retry_cap_ms),
                max_age: Duration::from_secs(s.max_age_seconds),
                lease: Duration::from_secs(s.lease_seconds),
            },
            location_interval: Duration::from_secs(s.location_interval_seconds),
            flush_budget: Duration::from_secs(s.flush_budget_seconds),
            flush_limit: s.flush_limit as usize,
            parallelism: s.parallelism as usize,
            retention: Duration::from_secs(u64::from(s.retention_days) * 86_400),
        }
    }
}

/// One SMS for the shell to send.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct SmsRequest {
    /// Pass to `report_sms` with the result.
    pub delivery_id: String,
    /// Recipient (E.164).
    pub phone: String,
    /// Text (at most two segments).
    pub text: String,
    /// A silent alert: show nothing if at all possible.
    pub silent: bool,
}

impl std::fmt::Debug for SmsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsRequest")
            .field("delivery_id", &self.delivery_id)
            .finish_non_exhaustive()
    }
}

/// A state change.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AlertEvent {
    /// A countdown started.
    CountdownStarted {
        /// The alert.
        alert_id: String,
        /// When it fires.
        fires_at_ms: i64,
    },
    /// A countdown was cancelled: nothing is sent.
    CountdownCancelled {
        /// The alert.
        alert_id: String,
    },
    /// An alert fired: deliveries queued.
    Fired {
        /// The alert.
        alert_id: String,
        /// Why.
        reason: AlertReason,
        /// Show nothing.
        silent: bool,
    },
    /// A delivery changed (queued, sent, delivered, failed, retrying, needs user action, cancelled).
    Delivery {
        /// Its new status.
        delivery: DeliveryStatus,
    },
    /// "I'm safe".
    Resolved {
        /// The alert.
        alert_id: String,
    },
}

impl From<core::AlertEvent> for AlertEvent {
    fn from(e: core::AlertEvent) -> Self {
        match e {
            core::AlertEvent::CountdownStarted { alert_id, fires_at } => {
                AlertEvent::CountdownStarted {
                    alert_id,
                    fires_at_ms: ms(fires_at),
                }
            }
            core::AlertEvent::CountdownCancelled { alert_id } => {
                AlertEvent::CountdownCancelled { alert_id }
            }
            core::AlertEvent::Fired {
                alert_id,
                reason,
                silent,
            } => AlertEvent::Fired {
                alert_id,
                reason: reason.into(),
                silent,
            },
            core::AlertEvent::Delivery { delivery } => AlertEvent::Delivery {
                delivery: delivery.into(),
            },
            core::AlertEvent::Resolved { alert_id } => AlertEvent::Resolved { alert_id },
        }
    }
}

/// Sends SMS: implemented by the shell. Android sends and returns `Sent`,
/// then calls `report_sms` from its sent/delivered intents; iOS returns
/// `NeedsUserAction`, shows the composer, and reports the result. Throwing
/// means "try again later".
#[uniffi::export(with_foreign)]
pub trait SmsSender: Send + Sync {
    /// Sends (or prepares) one SMS.
    fn send_sms(&self, request: SmsRequest) -> Result<SmsOutcome, ParasolError>;
}

/// Receives state changes: implemented by the shell. Called on the thread
/// that caused the change; keep it quick. Errors are ignored.
#[uniffi::export(with_foreign)]
pub trait AlertObserver: Send + Sync {
    /// One state change.
    fn on_event(&self, event: AlertEvent) -> Result<(), ParasolError>;
}

struct ForeignSms(Arc<dyn SmsSender>);

impl core::SmsSender for ForeignSms {
    fn send(&self, r: &core::SmsRequest) -> parasol_core::Result<core::SmsOutcome> {
        let outcome = self.0.send_sms(SmsRequest {
            delivery_id: r.delivery_id.clone(),
            phone: r.phone.clone(),
            text: r.text.clone(),
            silent: r.silent,
        })?;
        Ok(outcome.into())
    }
}

struct ForeignObserver(Arc<dyn AlertObserver>);

impl core::AlertObserver for ForeignObserver {
    fn on_event(&self, event: &core::AlertEvent) {
        let _ = self.0.on_event(event.clone().into());
    }
}

/// The alert engine of a profile: contacts, alerts, the outbox and the
/// check-in timer. Get it with `Parasol.alerts()`.
#[derive(Debug, uniffi::Object)]
#[uniffi(name = "Relay")]
pub struct Alerts {
    pub(crate) inner: Arc<core::Alerts>,
}

#[uniffi::export(name = "Relay")]
impl Alerts {
    /// Registers the shell's SMS sender (none: SMS deliveries wait and retry).
    pub fn set_sms_sender(&self, sender: Option<Arc<dyn SmsSender>>) {
        self.inner
            .set_sms_sender(sender.map(|s| Arc::new(ForeignSms(s)) as Arc<dyn core::SmsSender>));
    }

    /// Registers the shell's observer. Events raised before (e.g. a check-in
    /// that fired at start) are delivered to it first.
    pub fn set_observer(&self, observer: Option<Arc<dyn AlertObserver>>) {
        self.inner.set_observer(
            observer.map(|o| Arc::new(ForeignObserver(o)) as Arc<dyn core::AlertObserver>),
        );
    }

    /// The engine's settings.
    pub fn settings(&self) -> AlertSettings {
        self.inner.settings().into()
    }

    /// Changes the engine's settings.
    pub fn set_settings(&self, settings: AlertSettings) -> FfiResult<()> {
        Ok(self.inner.set_settings(settings.into())?)
    }

    /// Sets the name contacts see (none clears it).
    pub fn set_sender_name(&self, name: Option<String>) -> FfiResult<()> {
        Ok(self.inner.set_sender_name(name.as_deref())?)
    }

    /// The name contacts see.
    pub fn sender_name(&self) -> FfiResult<Option<String>> {
        Ok(self.inner.sender_name()?)
    }

    /// Adds a trusted contact.
    pub fn add_contact(&self, input: TrustedContactInput) -> FfiResult<TrustedContact> {
        Ok(self.inner.add_contact(&input.into())?.into())
    }

    /// Replaces a contact's details.
    pub fn update_contact(
        &self,
        id: String,
        input: TrustedContactInput,
    ) -> FfiResult<TrustedContact> {
        Ok(self.inner.update_contact(&id, &input.into())?.into())
    }

    /// One contact.
    pub fn contact(&self, id: String) -> FfiResult<TrustedContact> {
        Ok(self.inner.contact(&id)?.into())
    }

    /// Every contact.
    pub fn contacts(&self) -> FfiResult<Vec<TrustedContact>> {
        Ok(self.inner.contacts()?.into_iter().map(Into::into).collect())
    }

    /// Removes a contact.
    pub fn remove_contact(&self, id: String) -> FfiResult<()> {
        Ok(self.inner.remove_contact(&id)?)
    }

    /// Queues a test message to every channel of a contact.
    pub fn test_contact(&self, id: String) -> FfiResult<Vec<DeliveryStatus>> {
        Ok(deliveries(self.inner.test_contact(&id)?))
    }

    /// Triggers an alert; every delivery is on disk when this returns. Then
    /// call `flush_outbox` (off the UI thread).
    pub fn trigger(&self, request: TriggerRequest) -> FfiResult<AlertStatus> {
        let req = core::TriggerRequest {
            mode: request.mode.into(),
            reason: request.reason.into(),
            location: request.location.map(AlertLocation::to_core).transpose()?,
            note: request.note,
        };
        Ok(self.inner.trigger(&req)?.into())
    }

    /// A silent alert with reason duress.
    #[uniffi::method(name = "trigger_silent")]
    pub fn trigger_duress(&self) -> FfiResult<AlertStatus> {
        Ok(self.inner.trigger_duress()?.into())
    }

    /// Cancels a countdown (nothing is sent).
    pub fn cancel(&self, alert_id: String) -> FfiResult<AlertStatus> {
        Ok(self.inner.cancel(&alert_id)?.into())
    }

    /// "I'm safe".
    pub fn resolve(&self, alert_id: String) -> FfiResult<AlertStatus> {
        Ok(self.inner.resolve(&alert_id)?.into())
    }

    /// A new location for an open alert (follow-ups are rate-limited).
    pub fn update_location(
        &self,
        alert_id: String,
        location: AlertLocation,
    ) -> FfiResult<LocationFollowUp> {
        let u = self.inner.update_location(&alert_id, location.to_core()?)?;
        Ok(LocationFollowUp {
            queued: deliveries(u.queued),
            deferred_until_ms: u.deferred_until.map(ms),
        })
    }

    /// One alert.
    #[uniffi::method(name = "status")]
    pub fn alert_status(&self, alert_id: String) -> FfiResult<AlertStatus> {
        Ok(self.inner.status(&alert_id)?.into())
    }

    /// Open alerts, oldest first.
    #[uniffi::method(name = "active")]
    pub fn active_alerts(&self) -> FfiResult<Vec<AlertStatus>> {
        Ok(self
            .inner
            .active_alerts()?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// The most recent alerts, newest first.
    #[uniffi::method(name = "recent")]
    pub fn recent_alerts(&self, limit: u32) -> FfiResult<Vec<AlertStatus>> {
        Ok(self
            .inner
            .recent_alerts(limit)?
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// One delivery.
    pub fn delivery(&self, delivery_id: String) -> FfiResult<DeliveryStatus> {
        Ok(self.inner.delivery(&delivery_id)?.into())
    }

    /// Reports what became of an SMS.
    pub fn report_sms(&self, delivery_id: String, report: SmsReport) -> FfiResult<DeliveryStatus> {
        Ok(self.inner.report_sms(&delivery_id, &report.into())?.into())
    }

    /// Sends everything due (background worker, "network is back").
    pub fn flush_outbox(&self) -> FfiResult<FlushReport> {
        Ok(self.inner.flush_outbox()?.into())
    }

    /// Runs due work: countdowns, check-ins, retries (the OS alarm calls this).
    pub fn tick(&self) -> FfiResult<FlushReport> {
        Ok(self.inner.tick()?.into())
    }

    /// When to call `tick` next (none: nothing scheduled; past: now).
    pub fn next_wakeup_ms(&self) -> FfiResult<Option<i64>> {
        Ok(self.inner.next_wakeup()?.map(ms))
    }

    /// Starts a check-in timer.
    pub fn start_checkin(&self, request: CheckinRequest) -> FfiResult<CheckinStatus> {
        let deadline = match request.deadline {
            CheckinDeadline::At { at_ms } => core::CheckinDeadline::At(instant(at_ms)?),
            CheckinDeadline::InMinutes { minutes } => {
                core::CheckinDeadline::In(chrono::Duration::minutes(minutes.into()))
            }
        };
        let req = core::CheckinRequest {
            deadline,
            grace: request
                .grace_minutes
                .map(|m| chrono::Duration::minutes(m.into())),
            note: request.note,
            location: request.location.map(AlertLocation::to_core).transpose()?,
        };
        Ok(self.inner.start_checkin(&req)?.into())
    }

    /// Moves the check-in deadline later.
    pub fn extend_checkin(&self, minutes: u32) -> FfiResult<CheckinStatus> {
        Ok(self
            .inner
            .extend_checkin(chrono::Duration::minutes(minutes.into()))?
            .into())
    }

    /// Moves the check-in deadline to `at_ms` (later than the current one).
    pub fn extend_checkin_to(&self, at_ms: i64) -> FfiResult<CheckinStatus> {
        Ok(self.inner.extend_checkin_to(instant(at_ms)?)?.into())
    }

    /// The last known place for the running check-in.
    pub fn update_checkin_location(&self, location: AlertLocation) -> FfiResult<CheckinStatus> {
        Ok(self
            .inner
            .update_checkin_location(location.to_core()?)?
            .into())
    }

    /// Removes old finished alerts now (flushes do this hourly).
    pub fn prune(&self) -> FfiResult<PruneReport> {
        let r = self.inner.prune()?;
        Ok(PruneReport {
            alerts: r.alerts,
            deliveries: r.deliveries,
            checkins: r.checkins,
        })
    }

    /// Checks in.
    pub fn check_in(&self) -> FfiResult<CheckinStatus> {
        Ok(self.inner.check_in()?.into())
    }

    /// Cancels the check-in.
    pub fn cancel_checkin(&self) -> FfiResult<CheckinStatus> {
        Ok(self.inner.cancel_checkin()?.into())
    }

    /// The current (or last) check-in.
    pub fn checkin(&self) -> FfiResult<Option<CheckinStatus>> {
        Ok(self.inner.checkin()?.map(Into::into))
    }
}
