//! `parasol contacts | panic | outbox | checkin | tick`: the alert engine on
//! the desktop.
//!
//! The desktop cannot send SMS: its SMS channel writes each message, clearly
//! labelled NOT SENT, to the file named by `--sms-out` (or `PARASOL_SMS_OUT`),
//! else to stdout (stderr with `--json`, so stdout stays machine-readable),
//! and reports the delivery as "needs user action". A push access token is
//! read from `PARASOL_PUSH_TOKEN`, never from the command line.

use crate::context::Ctx;
use crate::output::Out;
use clap::{Args, Subcommand};
use parasol_core::alerts::{
    AlertMode, AlertReason, AlertStatus, Alerts, CheckinDeadline, CheckinRequest, CheckinStatus,
    Contact, ContactInput, DeliveryStatus, FlushReport, Location, SmsOutcome, SmsRequest,
    SmsSender, TriggerRequest, Triggers,
};
use parasol_core::app::policies::CheckinTimes;
use parasol_core::app::{App, Capabilities, Event};
use parasol_core::journal::Journal;
use parasol_core::{Error, Result};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// Trusted contacts.
#[derive(Debug, Subcommand)]
pub enum ContactsCommand {
    /// Add a contact (the global --lang sets the language of their messages;
    /// a push token is read from PARASOL_PUSH_TOKEN).
    Add {
        /// Display name.
        #[arg(long)]
        name: String,
        /// Phone number for SMS, with country code (+31...).
        #[arg(long)]
        phone: Option<String>,
        /// HTTPS webhook URL.
        #[arg(long)]
        webhook: Option<String>,
        /// ntfy-compatible topic URL.
        #[arg(long)]
        push: Option<String>,
        /// Do not send button alerts to this contact.
        #[arg(long)]
        no_button: bool,
        /// Do not send missed check-in alerts to this contact.
        #[arg(long)]
        no_checkin: bool,
        /// Do not send duress alerts to this contact.
        #[arg(long)]
        no_duress: bool,
    },
    /// List contacts.
    List,
    /// Remove a contact.
    Remove {
        /// Contact id.
        id: String,
    },
    /// Send a test message to a contact.
    Test {
        /// Contact id.
        id: String,
    },
}

/// Where the alert is.
#[derive(Debug, Args)]
pub struct Position {
    /// Latitude in degrees.
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<f64>,
    /// Longitude in degrees.
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<f64>,
    /// Accuracy in metres.
    #[arg(long)]
    accuracy: Option<f64>,
}

impl Position {
    fn location(&self) -> Result<Option<Location>> {
        match (self.lat, self.lon) {
            (Some(lat), Some(lon)) => Ok(Some(Location {
                accuracy_m: self.accuracy,
                ..Location::new(lat, lon)
            })),
            (None, None) if self.accuracy.is_none() => Ok(None),
            _ => Err(Error::invalid("give both --lat and --lon")),
        }
    }
}

/// The panic button.
#[derive(Debug, Subcommand)]
pub enum PanicCommand {
    /// Trigger an alert (queued durably, then sent).
    Trigger {
        /// Fire after this many seconds unless cancelled.
        #[arg(long, conflicts_with = "silent")]
        countdown: Option<u32>,
        /// A silent alert.
        #[arg(long)]
        silent: bool,
        #[command(flatten)]
        position: Position,
        /// A note for your contacts.
        #[arg(long)]
        note: Option<String>,
    },
    /// Show an alert and its deliveries.
    Status {
        /// Alert id.
        id: String,
    },
    /// Cancel a countdown (nothing is sent).
    Cancel {
        /// Alert id.
        id: String,
    },
    /// "I'm safe": resolve an alert and tell the contacts who got it.
    Safe {
        /// Alert id.
        id: String,
    },
    /// Send a new location for an alert.
    Locate {
        /// Alert id.
        id: String,
        #[command(flatten)]
        position: Position,
    },
}

/// The outbox.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Send everything that is due.
    Flush,
}

/// The check-in timer.
#[derive(Debug, Subcommand)]
pub enum CheckinCommand {
    /// Start a check-in: alert contacts unless you check in in time.
    Start {
        /// Minutes from now.
        #[arg(long, conflicts_with = "at", required_unless_present = "at")]
        minutes: Option<u32>,
        /// Deadline: RFC 3339 ("2026-03-29T03:30:00+02:00") or local "2026-03-29 03:30" in --tz.
        #[arg(long)]
        at: Option<String>,
        /// Time zone for a local --at (IANA name, default UTC).
        #[arg(long)]
        tz: Option<String>,
        /// Grace after the deadline, in minutes (default 5).
        #[arg(long)]
        grace: Option<u32>,
        /// A note for your contacts.
        #[arg(long)]
        note: Option<String>,
    },
    /// Check in: end the timer without an alert.
    Done,
    /// Move the deadline later.
    Extend {
        /// Minutes to add.
        #[arg(long)]
        minutes: u32,
    },
    /// Cancel the timer.
    Cancel,
    /// Show the timer.
    Status,
}

/// The desktop's SMS channel: writes the message, labelled NOT SENT.
struct DesktopSms {
    file: Option<PathBuf>,
    json: bool,
}

impl SmsSender for DesktopSms {
    fn send(&self, r: &SmsRequest) -> Result<SmsOutcome> {
        let text = format!(
            "----- SMS NOT SENT (desktop cannot send SMS; send it yourself) -----\n\
             to: {}\ndelivery: {}\n{}\n----- end of SMS NOT SENT -----\n",
            r.phone, r.delivery_id, r.text
        );
        match &self.file {
            Some(path) => {
                let mut f = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)?;
                f.write_all(text.as_bytes())?;
            }
            None if self.json => eprint!("{text}"),
            None => print!("{text}"),
        }
        Ok(SmsOutcome::NeedsUserAction)
    }
}

/// Opens the alert engine with the desktop SMS channel.
pub fn engine(
    profile: Arc<parasol_core::profile::Profile>,
    sms_out: Option<PathBuf>,
    json: bool,
) -> Result<Alerts> {
    let alerts = Alerts::open(profile)?;
    alerts.set_sms_sender(Some(Arc::new(DesktopSms {
        file: sms_out,
        json,
    })));
    Ok(alerts)
}

fn delivery_json(d: &DeliveryStatus) -> serde_json::Value {
    serde_json::json!({
        "contact_id": d.contact_id,
        "channel": d.channel.as_str(),
        "state": d.state.as_str(),
        "idempotency_key": d.idempotency_key,
        "delivery_id": d.id,
        "kind": d.kind.as_str(),
        "attempts": d.attempts,
        "last_error": d.last_error,
    })
}

/// The `--json` object of `panic trigger` and `panic status`.
pub fn alert_json(a: &AlertStatus) -> serde_json::Value {
    serde_json::json!({
        "alert_id": a.id,
        "state": a.state.as_str(),
        "mode": a.mode.as_str(),
        "reason": a.reason.as_str(),
        "fires_at": a.fires_at.map(|t| t.to_rfc3339()),
        "deliveries": a.deliveries.iter().map(delivery_json).collect::<Vec<_>>(),
    })
}

/// A text rendering of an alert.
pub fn alert_text(a: &AlertStatus) -> String {
    let mut s = format!(
        "alert {} ({}, {})",
        a.id,
        a.state.as_str(),
        a.reason.as_str()
    );
    if let Some(t) = a.fires_at {
        if a.state == parasol_core::alerts::AlertState::Countdown {
            s.push_str(&format!(", fires at {}", t.to_rfc3339()));
        }
    }
    for d in &a.deliveries {
        s.push_str(&format!(
            "\n  {:<8} {:<8} to {}  {}{}",
            d.kind.as_str(),
            d.channel.as_str(),
            d.contact_id,
            d.state.as_str(),
            d.last_error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ));
    }
    s
}

fn contact_json(c: &Contact) -> serde_json::Value {
    serde_json::json!({
        "id": c.id,
        "name": c.name,
        "language": c.language,
        "phone": c.phone,
        "webhook": c.webhook_url,
        "push": c.push_url,
        "has_push_token": c.push_token.is_some(),
        "triggers": {
            "button": c.triggers.button,
            "missed_check_in": c.triggers.missed_check_in,
            "duress": c.triggers.duress,
        },
    })
}

/// The `--json` object of `outbox flush` and `tick`.
pub fn flush_json(r: &FlushReport) -> serde_json::Value {
    serde_json::json!({
        "fired": r.fired,
        "attempted": r.attempted,
        "delivered": r.delivered,
        "sent": r.sent,
        "needs_user_action": r.needs_user_action,
        "retrying": r.retrying,
        "failed": r.failed,
        "pending": r.pending,
        "next_wakeup": r.next_wakeup.map(|t| t.to_rfc3339()),
    })
}

fn flush_text(r: &FlushReport) -> String {
    format!(
        "fired {}, attempted {}, delivered {}, sms written (not sent) {}, retrying {}, failed {}, pending {}{}",
        r.fired,
        r.attempted,
        r.delivered,
        r.needs_user_action + r.sent,
        r.retrying,
        r.failed,
        r.pending,
        r.next_wakeup
            .map(|t| format!(", next wake-up {}", t.to_rfc3339()))
            .unwrap_or_default()
    )
}

fn checkin_json(c: &CheckinStatus) -> serde_json::Value {
    let times = CheckinTimes::of(c);
    // The same RFC 3339 form as the effects of `tick` ("...Z").
    let t = |t: chrono::DateTime<chrono::Utc>| serde_json::to_value(t).unwrap_or_default();
    serde_json::json!({
        "id": c.id,
        "state": c.state.as_str(),
        "deadline": t(times.deadline),
        "grace_starts": t(times.grace_starts),
        "grace_ends": t(times.grace_ends),
        "fires_at": t(c.fires_at),
        "alert_id": c.alert_id,
    })
}

fn checkin_text(c: &CheckinStatus) -> String {
    format!(
        "check-in {}: deadline {}, alert at {}{}",
        c.state.as_str(),
        c.deadline.to_rfc3339(),
        c.fires_at.to_rfc3339(),
        c.alert_id
            .as_deref()
            .map(|a| format!(", alert {a}"))
            .unwrap_or_default()
    )
}

/// Runs a `contacts` command.
pub fn contacts(a: &Alerts, cmd: &ContactsCommand, lang: Option<&str>, out: &Out) -> Result<()> {
    match cmd {
        ContactsCommand::Add {
            name,
            phone,
            webhook,
            push,
            no_button,
            no_checkin,
            no_duress,
        } => {
            let c = a.add_contact(&ContactInput {
                name: name.clone(),
                language: lang.unwrap_or("en").to_owned(),
                phone: phone.clone(),
                webhook_url: webhook.clone(),
                push_url: push.clone(),
                push_token: std::env::var("PARASOL_PUSH_TOKEN").ok(),
                triggers: Triggers {
                    button: !no_button,
                    missed_check_in: !no_checkin,
                    duress: !no_duress,
                },
            })?;
            out.value(&contact_json(&c), || format!("added contact {}", c.id))
        }
        ContactsCommand::List => {
            let list = a.contacts()?;
            out.value(&list.iter().map(contact_json).collect::<Vec<_>>(), || {
                if list.is_empty() {
                    return "no trusted contacts".into();
                }
                list.iter()
                    .map(|c| {
                        let ch: Vec<&str> = c.channels().iter().map(|x| x.as_str()).collect();
                        format!("{}  {} [{}] {}", c.id, c.name, c.language, ch.join(", "))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ContactsCommand::Remove { id } => {
            a.remove_contact(id)?;
            out.value(&serde_json::json!({ "removed": id }), || {
                format!("removed contact {id}")
            })
        }
        ContactsCommand::Test { id } => {
            let queued = a.test_contact(id)?;
            a.flush_outbox()?;
            let now: Vec<DeliveryStatus> = queued
                .iter()
                .map(|d| a.delivery(&d.id))
                .collect::<Result<_>>()?;
            out.value(
                &serde_json::json!({
                    "contact_id": id,
                    "deliveries": now.iter().map(delivery_json).collect::<Vec<_>>(),
                }),
                || {
                    now.iter()
                        .map(|d| format!("test {} {}", d.channel.as_str(), d.state.as_str()))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            )
        }
    }
}

/// Runs a `panic` command.
pub fn panic(a: &Alerts, cmd: &PanicCommand, out: &Out) -> Result<()> {
    let show = |s: &AlertStatus| out.value(&alert_json(s), || alert_text(s));
    match cmd {
        PanicCommand::Trigger {
            countdown,
            silent,
            position,
            note,
        } => {
            let mode = match (countdown, silent) {
                (Some(seconds), _) => AlertMode::Countdown { seconds: *seconds },
                (None, true) => AlertMode::Silent,
                (None, false) => AlertMode::Immediate,
            };
            let status = a.trigger(&TriggerRequest {
                mode,
                reason: AlertReason::Button,
                location: position.location()?,
                note: note.clone(),
            })?;
            // Durably queued now; try to send at once.
            if !status.deliveries.is_empty() {
                a.flush_outbox()?;
            }
            show(&a.status(&status.id)?)
        }
        PanicCommand::Status { id } => show(&a.status(id)?),
        PanicCommand::Cancel { id } => show(&a.cancel(id)?),
        PanicCommand::Safe { id } => {
            a.resolve(id)?;
            a.flush_outbox()?;
            show(&a.status(id)?)
        }
        PanicCommand::Locate { id, position } => {
            let loc = position
                .location()?
                .ok_or_else(|| Error::invalid("give --lat and --lon"))?;
            let u = a.update_location(id, loc)?;
            a.flush_outbox()?;
            let status = a.status(id)?;
            let mut v = alert_json(&status);
            v["location_deferred_until"] =
                serde_json::json!(u.deferred_until.map(|t| t.to_rfc3339()));
            out.value(&v, || alert_text(&status))
        }
    }
}

/// Runs `outbox flush`.
pub fn flush(a: &Alerts, out: &Out) -> Result<()> {
    let r = a.flush_outbox()?;
    out.value(&flush_json(&r), || flush_text(&r))
}

/// Counts the alerts that fire during one run.
#[derive(Default)]
struct FiredCounter(std::sync::atomic::AtomicU32);

impl parasol_core::alerts::AlertObserver for FiredCounter {
    fn on_event(&self, event: &parasol_core::alerts::AlertEvent) {
        if matches!(event, parasol_core::alerts::AlertEvent::Fired { .. }) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// The desktop as a phone would be: no SMS of its own, wake-ups on time.
const DESKTOP: Capabilities = Capabilities {
    silent_sms: false,
    sms_composer: false,
    exact_wakeups: true,
    launcher_disguise: false,
};

/// Runs `tick`: the app's background wake-up. Due work runs, then the app,
/// not on screen, plans what the OS must hold; the effects are listed.
pub fn tick(profile: Arc<parasol_core::profile::Profile>, ctx: &Ctx, out: &Out) -> Result<()> {
    let alerts = Arc::new(engine(profile.clone(), ctx.sms_out.clone(), out.json)?);
    // Opening the engine fires what came due; its events wait for an observer.
    let fired = Arc::new(FiredCounter::default());
    alerts.set_observer(Some(fired.clone()));
    let mut r = alerts.tick()?;
    alerts.set_observer(None);
    r.fired = fired.0.load(std::sync::atomic::Ordering::SeqCst);
    let journal = Arc::new(Journal::new(profile.clone()));
    let app = App::new(profile, alerts, journal, DESKTOP)?;
    let effects = app.update(Event::Backgrounded);
    let mut v = flush_json(&r);
    v["effects"] = serde_json::to_value(&effects)?;
    out.value(&v, || {
        let mut text = flush_text(&r);
        for e in &effects {
            let j = serde_json::to_value(e).unwrap_or_default();
            text.push_str(&format!(
                "\n  {} {}",
                j["kind"].as_str().unwrap_or(""),
                j["at"].as_str().or(j["reason"].as_str()).unwrap_or("")
            ));
        }
        text
    })
}

fn parse_at(at: &str, tz: Option<&str>) -> Result<chrono::DateTime<chrono::Utc>> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(at) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    let naive = [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
    ]
    .iter()
    .find_map(|f| chrono::NaiveDateTime::parse_from_str(at, f).ok())
    .ok_or_else(|| Error::invalid("--at must be RFC 3339 or \"YYYY-MM-DD HH:MM\""))?;
    let zone: chrono_tz::Tz = tz
        .unwrap_or("UTC")
        .parse()
        .map_err(|_| Error::invalid("--tz must be an IANA time zone such as Europe/Amsterdam"))?;
    parasol_core::alerts::checkin::local_deadline(naive, zone)
}

/// Runs a `checkin` command.
pub fn checkin(a: &Alerts, cmd: &CheckinCommand, out: &Out) -> Result<()> {
    let status = match cmd {
        CheckinCommand::Start {
            minutes,
            at,
            tz,
            grace,
            note,
        } => {
            let deadline = match (minutes, at) {
                (Some(m), _) => CheckinDeadline::In(chrono::Duration::minutes((*m).into())),
                (None, Some(at)) => CheckinDeadline::At(parse_at(at, tz.as_deref())?),
                (None, None) => return Err(Error::invalid("give --minutes or --at")),
            };
            a.start_checkin(&CheckinRequest {
                deadline,
                grace: grace.map(|g| chrono::Duration::minutes(g.into())),
                note: note.clone(),
            })?
        }
        CheckinCommand::Done => a.check_in()?,
        CheckinCommand::Extend { minutes } => {
            a.extend_checkin(chrono::Duration::minutes((*minutes).into()))?
        }
        CheckinCommand::Cancel => a.cancel_checkin()?,
        CheckinCommand::Status => match a.checkin()? {
            Some(s) => s,
            None => return Err(Error::NotFound("no check-in".into())),
        },
    };
    out.value(&checkin_json(&status), || checkin_text(&status))
}
