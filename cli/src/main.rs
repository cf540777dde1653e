//! `parasol`: the desktop face of Parasol's core, and the scripting interface
//! that tests and content maintainers use.
//!
//! Secrets never come from the command line: passphrases are read from the
//! environment (`PARASOL_PASSPHRASE`, `PARASOL_NEW_PASSPHRASE`) or from stdin
//! with `--passphrase-stdin`. With `--json`, results go to stdout as JSON and
//! errors to stderr as a JSON object; the exit code is 0 only on success.

mod alerts;
mod demo;
mod output;

use clap::{Parser, Subcommand};
use output::{fail, Out};
use parasol_core::config::Config;
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
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
    /// Let webhooks and push reach http://127.0.0.1 (tests and demos only).
    #[arg(long, global = true)]
    allow_insecure_loopback: bool,
    /// Where the desktop SMS channel writes messages (labelled NOT SENT).
    #[arg(long, global = true, env = "PARASOL_SMS_OUT")]
    sms_out: Option<PathBuf>,
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
    /// Run due work: countdowns, check-ins, retries.
    Tick,
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

/// The profile folder: `--data-dir`, or the platform's data directory.
fn data_dir(cli: &Cli) -> parasol_core::Result<PathBuf> {
    if let Some(d) = &cli.data_dir {
        return Ok(d.clone());
    }
    directories::ProjectDirs::from("org", "parasol", "parasol")
        .map(|p| p.data_dir().to_path_buf())
        .ok_or_else(|| parasol_core::Error::invalid("no home directory: pass --data-dir"))
}

/// Opens the profile named by the command line.
pub fn open_profile(dir: PathBuf) -> parasol_core::Result<Profile> {
    open_profile_with(dir, false)
}

/// Opens a profile, optionally letting HTTP reach loopback receivers.
pub fn open_profile_with(
    dir: PathBuf,
    allow_insecure_loopback: bool,
) -> parasol_core::Result<Profile> {
    std::fs::create_dir_all(&dir)?;
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin"))?;
    let mut config = Config::new(dir);
    config.http.allow_insecure_loopback = allow_insecure_loopback;
    Profile::open(config, Arc::new(keys))
}

fn alert_engine(cli: &Cli) -> parasol_core::Result<parasol_core::alerts::Alerts> {
    let profile = open_profile_with(data_dir(cli)?, cli.allow_insecure_loopback)?;
    alerts::engine(profile, cli.sms_out.clone(), cli.json)
}

fn run(cli: &Cli, out: &Out) -> parasol_core::Result<()> {
    match &cli.command {
        Command::Demo => demo::run(out),
        Command::Info => {
            let profile = open_profile(data_dir(cli)?)?;
            let info = profile.info()?;
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
            let profile = open_profile(data_dir(cli)?)?;
            profile.set_country(code)?;
            let country = profile.country()?;
            out.value(&serde_json::json!({ "country": country }), || {
                format!("country set to {}", country.as_deref().unwrap_or(""))
            })
        }
        Command::Contacts(cmd) => {
            alerts::contacts(&alert_engine(cli)?, cmd, cli.lang.as_deref(), out)
        }
        Command::Panic(cmd) => alerts::panic(&alert_engine(cli)?, cmd, out),
        Command::Outbox(alerts::OutboxCommand::Flush) | Command::Tick => {
            alerts::flush(&alert_engine(cli)?, out)
        }
        Command::Checkin(cmd) => alerts::checkin(&alert_engine(cli)?, cmd, out),
        Command::Settings(SettingsCommand::Languages { tags }) => {
            let profile = open_profile(data_dir(cli)?)?;
            profile.set_languages(tags)?;
            let languages = profile.languages()?;
            out.value(&serde_json::json!({ "languages": languages }), || {
                format!("languages set to {}", languages.join(", "))
            })
        }
    }
}

fn main() {
    let cli = Cli::parse();
    let out = Out { json: cli.json };
    if let Err(e) = run(&cli, &out) {
        fail(&out, &e);
    }
}
