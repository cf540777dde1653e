//! `parasol matrix login | status | logout` and `parasol panic hold ...`:
//! the Matrix channel and the hold-to-alert mode on the desktop.
//!
//! The Matrix password comes from `PARASOL_MATRIX_PASSWORD` or the first
//! line of stdin (`--password-stdin`), the hold PIN from `PARASOL_HOLD_PIN` or
//! stdin (`--pin-stdin`): never from argv, which other local users can see.

use crate::alerts::{inline_or_file, Position};
use crate::output::Out;
use clap::{Args, Subcommand};
use parasol_core::alerts::matrix::MatrixStatus;
use parasol_core::alerts::{
    setup_notice, Alerts, HoldRequest, HoldStatus, MatrixError, ServerTimer, SetupNotice,
};
use parasol_core::{Error, Result};
use std::io::BufRead;
use std::path::PathBuf;
use std::time::Duration;
use zeroize::Zeroizing;

/// The Matrix account that carries alerts to Matrix contacts.
#[derive(Debug, Subcommand)]
pub enum MatrixCommand {
    /// Sign in (password from PARASOL_MATRIX_PASSWORD or --password-stdin).
    Login {
        /// The homeserver's URL, e.g. https://matrix.example.org.
        #[arg(long)]
        homeserver: String,
        /// Your Matrix ID (@name:example.org) or user name.
        #[arg(long)]
        user: String,
        /// Read the password from the first line of stdin.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Show the account and where each Matrix contact stands.
    Status {
        /// Do not ask the homeserver (offline).
        #[arg(long)]
        offline: bool,
    },
    /// Sign out on the server (when reachable) and forget the session here.
    Logout,
}

/// Hold-to-alert: an alert the homeserver sends unless kept back.
#[derive(Debug, Subcommand)]
pub enum HoldCommand {
    /// Set the PIN that ends a hold without an alert (PARASOL_HOLD_PIN or --pin-stdin).
    Pin {
        /// Read the PIN from the first line of stdin.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Start holding: the alert goes `--delay` seconds after the last keep-alive.
    Start(HoldStartArgs),
    /// Keep the hold alive (a phone does this every third of the delay).
    KeepAlive,
    /// Let go and, with the PIN (PARASOL_HOLD_PIN or --pin-stdin), end it
    /// without an alert. Without a PIN the alert goes at the deadline.
    Release {
        /// Read the PIN from the first line of stdin.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// Show the hold.
    Status,
}

/// `panic hold start`.
#[derive(Debug, Args)]
pub struct HoldStartArgs {
    /// Seconds after the last keep-alive before the alert goes (10 to 3600).
    #[arg(long, default_value_t = 30)]
    delay: u64,
    #[command(flatten)]
    position: Position,
    /// A note for your contacts. Arguments are visible to other local users:
    /// prefer --note-file.
    #[arg(long, conflicts_with = "note_file")]
    note: Option<String>,
    /// Read the note from this file ("-": stdin) instead of argv.
    #[arg(long, value_name = "FILE")]
    note_file: Option<PathBuf>,
}

/// A secret from `var` or the first line of stdin.
fn secret(var: &str, from_stdin: bool, what: &str) -> Result<Zeroizing<String>> {
    if from_stdin {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Error::invalid(format!("cannot read the {what} from stdin: {e}")))?;
        let trimmed = Zeroizing::new(line.trim_end_matches(['\n', '\r']).to_owned());
        return Ok(trimmed);
    }
    std::env::var(var)
        .map(Zeroizing::new)
        .map_err(|_| Error::invalid(format!("no {what}: set {var} or read it from stdin")))
}

fn matrix_error(e: MatrixError) -> Error {
    e.into()
}

/// The `--json` object of a server-held timer.
pub fn server_timer_json(t: &Option<ServerTimer>) -> serde_json::Value {
    match t {
        None => serde_json::Value::Null,
        Some(t) => serde_json::json!({
            "state": t.state.as_str(),
            "fires_at": t.fires_at.map(|f| f.to_rfc3339()),
            "contacts": t.contacts,
            "last_error": t.last_error,
        }),
    }
}

/// A text rendering of a server-held timer.
pub fn server_timer_text(t: &Option<ServerTimer>) -> String {
    match t {
        None => String::new(),
        Some(t) => format!(
            "\nserver timer: {}{}{}",
            t.state.as_str(),
            t.fires_at
                .map(|f| format!(", fires at {}", f.to_rfc3339()))
                .unwrap_or_default(),
            t.last_error
                .as_deref()
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        ),
    }
}

fn status_json(s: &MatrixStatus) -> serde_json::Value {
    serde_json::json!({
        "homeserver": s.homeserver,
        "user_id": s.user_id,
        "device_id": s.device_id,
        "max_delay_ms": s.limits.map(|l| l.max_delay_ms),
        "max_scheduled": s.limits.map(|l| l.max_scheduled),
        "contacts": s.rooms.iter().map(|r| serde_json::json!({
            "contact_id": r.contact_id,
            "matrix_id": r.matrix_id,
            "state": r.state.as_str(),
        })).collect::<Vec<_>>(),
        "notice": setup_notice(SetupNotice::Matrix, "en"),
    })
}

fn status_text(s: &MatrixStatus) -> String {
    let mut out = match (&s.user_id, &s.homeserver) {
        (Some(u), Some(h)) => format!("signed in as {u} on {h}"),
        _ => "not signed in to Matrix".to_owned(),
    };
    if let Some(l) = s.limits {
        out.push_str(&format!(
            "\nthe server holds timers for up to {} h ({} at a time)",
            l.max_delay_ms / 3_600_000,
            l.max_scheduled
        ));
    }
    for r in &s.rooms {
        out.push_str(&format!(
            "\n  {} {}: {}",
            r.contact_id,
            r.matrix_id,
            r.state.as_str()
        ));
    }
    out.push_str(&format!("\n{}", setup_notice(SetupNotice::Matrix, "en")));
    out
}

/// Runs a `matrix` command.
pub fn run(a: &Alerts, cmd: &MatrixCommand, out: &Out) -> Result<()> {
    match cmd {
        MatrixCommand::Login {
            homeserver,
            user,
            password_stdin,
        } => {
            let password = secret(
                "PARASOL_MATRIX_PASSWORD",
                *password_stdin,
                "Matrix password",
            )?;
            let s = a
                .matrix_login(homeserver, user, &password)
                .map_err(matrix_error)?;
            out.value(&status_json(&s), || status_text(&s))
        }
        MatrixCommand::Status { offline } => {
            let s = a.matrix_status(!offline).map_err(matrix_error)?;
            out.value(&status_json(&s), || status_text(&s))
        }
        MatrixCommand::Logout => {
            let r = a.matrix_logout().map_err(matrix_error)?;
            out.value(&serde_json::json!({ "server_side": r.server_side }), || {
                if r.server_side {
                    "signed out".into()
                } else {
                    "forgotten here; the server could not be reached, so the session \
                     stays valid there until it expires"
                        .into()
                }
            })
        }
    }
}

fn hold_json(h: &HoldStatus) -> serde_json::Value {
    serde_json::json!({
        "id": h.id,
        "state": h.state.as_str(),
        "deadline": h.deadline.to_rfc3339(),
        "keep_alive_every_ms": h.keep_alive_every.as_millis() as u64,
        "alert_id": h.alert_id,
        "server_timer": server_timer_json(&h.server_timer),
    })
}

fn hold_text(h: &HoldStatus) -> String {
    format!(
        "hold {}: alert at {} unless kept alive (every {:.1} s) or confirmed{}{}",
        h.state.as_str(),
        h.deadline.to_rfc3339(),
        h.keep_alive_every.as_secs_f64(),
        h.alert_id
            .as_deref()
            .map(|a| format!(", alert {a}"))
            .unwrap_or_default(),
        server_timer_text(&h.server_timer)
    )
}

/// Runs a `panic hold` command.
pub fn hold(a: &Alerts, cmd: &HoldCommand, out: &Out) -> Result<()> {
    let status = match cmd {
        HoldCommand::Pin { pin_stdin } => {
            let pin = secret("PARASOL_HOLD_PIN", *pin_stdin, "hold PIN")?;
            a.set_hold_pin(Some(pin.as_bytes()))?;
            return out.value(&serde_json::json!({ "hold_pin": true }), || {
                "hold PIN set".into()
            });
        }
        HoldCommand::Start(args) => a.hold_start(&HoldRequest {
            delay: Duration::from_secs(args.delay),
            location: args.position.location()?,
            note: inline_or_file(&args.note, &args.note_file)?,
        })?,
        HoldCommand::KeepAlive => a.hold_keep_alive()?,
        HoldCommand::Release { pin_stdin } => {
            let released = a.hold_release()?;
            match secret("PARASOL_HOLD_PIN", *pin_stdin, "hold PIN") {
                Ok(pin) => a.hold_confirm(pin.as_bytes())?,
                Err(_) => released,
            }
        }
        HoldCommand::Status => a.hold()?.ok_or_else(|| Error::NotFound("no hold".into()))?,
    };
    // Whatever fired goes out now.
    a.flush_outbox()?;
    let status = a.hold()?.unwrap_or(status);
    out.value(&hold_json(&status), || hold_text(&status))
}
