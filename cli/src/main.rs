//! `parasol`: the desktop face of Parasol's core, and the scripting interface
//! that tests and content maintainers use.
//!
//! Secrets never come from the command line: passphrases are read from the
//! environment (`PARASOL_PASSPHRASE`, `PARASOL_NEW_PASSPHRASE`) or from stdin
//! with `--passphrase-stdin`. With `--json`, results go to stdout as JSON and
//! errors to stderr as a JSON object; the exit code is 0 only on success.

mod alerts;
mod content;
mod context;
mod demo;
mod demo_matrix;
mod helplines;
mod journal;
mod matrix;
mod output;
mod rights;

use clap::{Parser, Subcommand};
use context::Ctx;
use output::{fail, Out};
use std::path::PathBuf;
use std::sync::Arc;

/// Parasol core, on the desktop.
#[derive(Debug, Parser)]
#[command(name = "parasol", version, about)]
pub struct Cli {
    /// Profile folder (default: the platform's data directory).
    #[arg(long, global = true, env = "PARASOL_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Machine-readable output on stdout; errors as JSON on stderr.
    #[arg(long, global = true)]
    json: bool,
    /// Preferred language for this command (BCP-47, e.g. "ro").
    #[arg(long, global = true)]
    lang: Option<String>,
    /// Let webhooks, push and Matrix homeservers be plain http://127.0.0.1
    /// (tests and demos only).
    #[arg(long, global = true)]
    allow_insecure_loopback: bool,
    /// Where the desktop SMS channel writes messages (labelled NOT SENT).
    #[arg(long, global = true, env = "PARASOL_SMS_OUT")]
    sms_out: Option<PathBuf>,
    /// Pretend it is this instant (RFC 3339) for this run. For tests and
    /// demos only: time-dependent commands (check-in, countdowns, tick) use it.
    #[arg(long, global = true, value_name = "RFC3339")]
    now: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A guided tour of the core on a temporary profile (no set-up needed).
    Demo,
    /// Show the profile's version, schema and settings.
    Info,
    /// Change settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Read the rights booklets.
    #[command(subcommand)]
    Rights(rights::RightsCommand),
    /// The private trafficking-indicators self-check (answers are not stored).
    Selfcheck(rights::SelfcheckArgs),
    /// The helpline directory.
    #[command(subcommand)]
    Helplines(helplines::HelplinesCommand),
    /// Content maintainers' tools: keys, packs, checks, updates.
    #[command(subcommand)]
    Content(content::ContentCommand),
    /// The encrypted journal.
    Journal(Box<journal::JournalArgs>),
    /// Trusted contacts for alerts.
    #[command(subcommand)]
    Contacts(alerts::ContactsCommand),
    /// The panic button.
    #[command(subcommand)]
    Panic(alerts::PanicCommand),
    /// The alert outbox.
    #[command(subcommand)]
    Outbox(alerts::OutboxCommand),
    /// The check-in timer.
    #[command(subcommand)]
    Checkin(alerts::CheckinCommand),
    /// Run due work (countdowns, check-ins, retries), then list the effects
    /// the app asks the phone for (wake-ups, reminders) with their times.
    Tick,
    /// The Matrix account that carries alerts to Matrix contacts.
    #[command(subcommand)]
    Matrix(matrix::MatrixCommand),
}

#[derive(Debug, Subcommand)]
enum SettingsCommand {
    /// Choose the country you are in (ISO code, e.g. NL).
    Country {
        /// Two-letter country code.
        code: String,
    },
    /// Choose preferred languages, most preferred first (e.g. ro en).
    Languages {
        /// BCP-47 language tags.
        #[arg(required = true)]
        tags: Vec<String>,
    },
}

fn run(cli: Cli, ctx: &Ctx) -> parasol_core::Result<()> {
    let out = &ctx.out;
    match cli.command {
        Command::Demo => demo::run(out),
        Command::Rights(cmd) => rights::run(ctx, cmd),
        Command::Selfcheck(args) => rights::selfcheck(ctx, args),
        Command::Helplines(cmd) => helplines::run(ctx, cmd),
        Command::Content(cmd) => content::run(ctx, cmd),
        Command::Info => {
            let info = ctx.open()?.info()?;
            out.value(
                &serde_json::json!({
                    "core_version": info.core_version,
                    "schema_version": info.schema_version,
                    "country": info.country,
                    "languages": info.languages,
                }),
                || {
                    format!(
                        "Parasol core {}\nschema {}\ncountry {}\nlanguages {}",
                        info.core_version,
                        info.schema_version,
                        info.country.as_deref().unwrap_or("(not set)"),
                        info.languages.join(", ")
                    )
                },
            )
        }
        Command::Settings(SettingsCommand::Country { code }) => {
            let profile = ctx.open()?;
            profile.set_country(&code)?;
            let country = profile.country()?;
            out.value(&serde_json::json!({ "country": country }), || {
                format!("country set to {}", country.as_deref().unwrap_or(""))
            })
        }
        Command::Journal(args) => {
            let profile = Arc::new(alert_profile(ctx)?);
            // The duress passphrase may raise a silent alert: the journal
            // shares the profile with the alert engine.
            let alerts = alerts::engine(profile.clone(), ctx.sms_out.clone(), ctx.out.json).ok();
            journal::run(profile, alerts, &args, out)
        }
        Command::Contacts(cmd) => {
            alerts::contacts(&alert_engine(ctx)?, &cmd, ctx.lang.as_deref(), out)
        }
        Command::Panic(cmd) => alerts::panic(&alert_engine(ctx)?, &cmd, out),
        Command::Outbox(alerts::OutboxCommand::Flush) => alerts::flush(&alert_engine(ctx)?, out),
        Command::Tick => alerts::tick(Arc::new(alert_profile(ctx)?), ctx, out),
        Command::Checkin(cmd) => alerts::checkin(&alert_engine(ctx)?, &cmd, out),
        Command::Matrix(cmd) => matrix::run(&alert_engine(ctx)?, &cmd, out),
        Command::Settings(SettingsCommand::Languages { tags }) => {
            let profile = ctx.open()?;
            profile.set_languages(&tags)?;
            let languages = profile.languages()?;
            out.value(&serde_json::json!({ "languages": languages }), || {
                format!("languages set to {}", languages.join(", "))
            })
        }
    }
}

/// The alert engine of the profile named by the command line.
fn alert_engine(ctx: &Ctx) -> parasol_core::Result<parasol_core::alerts::Alerts> {
    alerts::engine(
        Arc::new(alert_profile(ctx)?),
        ctx.sms_out.clone(),
        ctx.out.json,
    )
}

/// The profile, with loopback HTTP allowed when `--allow-insecure-loopback` is given.
fn alert_profile(ctx: &Ctx) -> parasol_core::Result<parasol_core::profile::Profile> {
    ctx.open_with(|c| c.http.allow_insecure_loopback = ctx.allow_insecure_loopback)
}

fn main() {
    let cli = Cli::parse();
    let now = match cli.now.as_deref().map(context::parse_now).transpose() {
        Ok(t) => t,
        Err(e) => fail(&Out { json: cli.json }, &e),
    };
    let ctx = Ctx {
        now,
        out: Out { json: cli.json },
        data_dir: cli.data_dir.clone(),
        lang: cli.lang.clone(),
        allow_insecure_loopback: cli.allow_insecure_loopback,
        sms_out: cli.sms_out.clone(),
    };
    if let Err(e) = run(cli, &ctx) {
        fail(&ctx.out, &e);
    }
}
