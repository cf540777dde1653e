//! `parasol contacts | panic | outbox | checkin | tick`: the alert engine on
//! the desktop.
//!
//! The desktop cannot send SMS: its SMS channel writes each message, clearly
//! labelled NOT SENT, to the file named by `--sms-out` (or `PARASOL_SMS_OUT`),
//! else to stdout (stderr with `--json`, so stdout stays machine-readable),
//! and reports the delivery as "needs user action"; the file is created
//! 0600. A push access token is read from `PARASOL_PUSH_TOKEN`, never from
//! the command line. Command-line arguments are visible to other local users
//! (`ps`, /proc): phone numbers and notes can come from a file or stdin
//! instead (`--phone-file`, `--note-file`, `-` for stdin).

use crate::context::Ctx;
use crate::output::Out;
use clap::{Args, Subcommand};
use parasol_core::alerts::{
    setup_notice, AlertMode, AlertReason, AlertStatus, Alerts, CheckinDeadline, CheckinRequest,
    CheckinStatus, Contact, ContactInput, DeliveryStatus, FlushReport, Location, SetupNotice,
    SmsOutcome, SmsRequest, SmsSender, TriggerRequest, Triggers,
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
        /// Phone number for SMS, with country code (+31...). Arguments are
        /// visible to other local users: prefer --phone-file.
        #[arg(long, conflicts_with = "phone_file")]
        phone: Option<String>,
        /// Read the phone number from this file ("-": stdin) instead of argv.
        #[arg(long, value_name = "FILE")]
        phone_file: Option<PathBuf>,
        /// HTTPS webhook URL.
        #[arg(long)]
        webhook: Option<String>,
        /// ntfy-compatible topic URL.
        #[arg(long)]
        push: Option<String>,
        /// Matrix ID (@friend:example.org): alerts go to a room shared with
        /// them (not end-to-end encrypted: see `parasol matrix status`).
        #[arg(long)]
        matrix: Option<String>,
        /// The agreed, innocuous text of a silent SMS alert to this contact
        /// (an SMS sent by this app stays in the phone's "Sent" folder).
        #[arg(long)]
        code_phrase: Option<String>,
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
    pub fn location(&self) -> Result<Option<Location>> {
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
        /// A note for your contacts. Arguments are visible to other local
        /// users: prefer --note-file.
        #[arg(long, conflicts_with = "note_file")]
        note: Option<String>,
        /// Read the note from this file ("-": stdin) instead of argv.
        #[arg(long, value_name = "FILE")]
        note_file: Option<PathBuf>,
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
    /// Hold-to-alert: the Matrix homeserver sends the alert unless the phone
    /// keeps it back (keep-alives) or it is ended with the PIN.
    #[command(subcommand)]
    Hold(crate::matrix::HoldCommand),
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
        /// Deadline: RFC 3339 ("2026-03-29T03:30:15+02:00") or local
        /// "2026-03-29 03:30[:15]" in --tz (seconds allowed).
        #[arg(long)]
        at: Option<String>,
        /// Time zone for a local --at (IANA name, default UTC).
        #[arg(long)]
        tz: Option<String>,
        /// Grace after the deadline, in minutes (default 5; 0 for none).
        #[arg(long)]
        grace: Option<u32>,
        /// A note for your contacts. Arguments are visible to other local
        /// users: prefer --note-file.
        #[arg(long, conflicts_with = "note_file")]
        note: Option<String>,
        /// Read the note from this file ("-": stdin) instead of argv.
        #[arg(long, value_name = "FILE")]
        note_file: Option<PathBuf>,
    },
    /// Check in: end the timer without an alert.
    Done,
    /// Move the deadline later.
    Extend {
        /// Minutes to add.
        #[arg(long, conflicts_with = "at", required_unless_present = "at")]
        minutes: Option<u32>,
        /// The new deadline: RFC 3339 or local "YYYY-MM-DD HH:MM[:SS]" in --tz.
        #[arg(long)]
        at: Option<String>,
        /// Time zone for a local --at (IANA name, default UTC).
        #[arg(long)]
        tz: Option<String>,
    },
    /// Cancel the timer.
    Cancel,
    /// Show the timer.
    Status,
}

/// Largest note or number read from a file or stdin.
const MAX_TEXT_INPUT: u64 = 64 * 1024;

/// A value given inline or read from `file` ("-": stdin), without the
/// trailing line break. Reading from a file keeps it out of argv, which other
/// local users can see.
pub fn inline_or_file(inline: &Option<String>, file: &Option<PathBuf>) -> Result<Option<String>> {
    use std::io::Read;
    let Some(path) = file else {
        return Ok(inline.clone());
    };
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_TEXT_INPUT + 1)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(path)?
            .take(MAX_TEXT_INPUT + 1)
            .read_to_string(&mut text)
    };
    read.map_err(|e| Error::invalid(format!("cannot read {}: {e}", path.display())))?;
    if text.len() as u64 > MAX_TEXT_INPUT {
        return Err(Error::invalid("the input is too long"));
    }
    let trimmed = text.trim_end_matches(['\n', '\r']);
    Ok((!trimmed.is_empty()).then(|| trimmed.to_owned()))
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
                // The text holds a phone number and maybe a location: 0600,
                // also when the file already existed with wider permissions.
                let mut options = std::fs::OpenOptions::new();
                options.create(true).append(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    options.mode(0o600);
                }
                let mut f = options.open(path)?;
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
                }
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
        "matrix": c.matrix_id,
        "code_phrase": c.sms_code_phrase,
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
        "server_timer": crate::matrix::server_timer_json(&c.server_timer),
    })
}

fn checkin_text(c: &CheckinStatus) -> String {
    format!(
        "check-in {}: deadline {}, alert at {}{}{}",
        c.state.as_str(),
        c.deadline.to_rfc3339(),
        c.fires_at.to_rfc3339(),
        c.alert_id
            .as_deref()
            .map(|a| format!(", alert {a}"))
            .unwrap_or_default(),
        crate::matrix::server_timer_text(&c.server_timer)
    )
}

/// Runs a `contacts` command.
pub fn contacts(a: &Alerts, cmd: &ContactsCommand, lang: Option<&str>, out: &Out) -> Result<()> {
    match cmd {
        ContactsCommand::Add {
            name,
            phone,
            phone_file,
            webhook,
            push,
            matrix,
            code_phrase,
            no_button,
            no_checkin,
            no_duress,
        } => {
            let c = a.add_contact(&ContactInput {
                name: name.clone(),
                language: lang.unwrap_or("en").to_owned(),
                phone: inline_or_file(phone, phone_file)?,
                webhook_url: webhook.clone(),
                push_url: push.clone(),
                push_token: std::env::var("PARASOL_PUSH_TOKEN").ok(),
                sms_code_phrase: code_phrase.clone(),
                matrix_id: matrix.clone(),
                triggers: Triggers {
                    button: !no_button,
                    missed_check_in: !no_checkin,
                    duress: !no_duress,
                },
            })?;
            let mut notices = Vec::new();
            if c.matrix_id.is_some() {
                notices.push(setup_notice(SetupNotice::Matrix, lang.unwrap_or("en")));
            }
            if c.phone.is_some() && (c.triggers.duress || c.sms_code_phrase.is_some()) {
                notices.push(setup_notice(SetupNotice::SilentSms, lang.unwrap_or("en")));
            }
            let mut v = contact_json(&c);
            v["notices"] = serde_json::json!(notices);
            out.value(&v, || {
                let mut t = format!("added contact {}", c.id);
                for n in &notices {
                    t.push_str(&format!("\n\nPlease note: {n}"));
                }
                t
            })
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
            note_file,
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
                note: inline_or_file(note, note_file)?,
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
        PanicCommand::Hold(cmd) => crate::matrix::hold(a, cmd, out),
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
            note_file,
        } => {
            let deadline = match (minutes, at) {
                (Some(m), _) => CheckinDeadline::In(chrono::Duration::minutes((*m).into())),
                (None, Some(at)) => CheckinDeadline::At(parse_at(at, tz.as_deref())?),
                (None, None) => return Err(Error::invalid("give --minutes or --at")),
            };
            a.start_checkin(&CheckinRequest {
                deadline,
                grace: grace.map(|g| chrono::Duration::minutes(g.into())),
                note: inline_or_file(note, note_file)?,
                location: None,
            })?
        }
        CheckinCommand::Done => a.check_in()?,
        CheckinCommand::Extend { minutes, at, tz } => match (minutes, at) {
            (Some(m), _) => a.extend_checkin(chrono::Duration::minutes((*m).into()))?,
            (None, Some(at)) => a.extend_checkin_to(parse_at(at, tz.as_deref())?)?,
            (None, None) => return Err(Error::invalid("give --minutes or --at")),
        },
        CheckinCommand::Cancel => a.cancel_checkin()?,
        CheckinCommand::Status => match a.checkin()? {
            Some(s) => s,
            None => return Err(Error::NotFound("no check-in".into())),
        },
    };
    out.value(&checkin_json(&status), || checkin_text(&status))
}
