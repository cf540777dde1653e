//! `parasol`: the desktop face of Parasol's core, and the scripting interface
//! that tests and content maintainers use.
//!
//! Secrets never come from the command line: passphrases are read from the
//! environment (`PARASOL_PASSPHRASE`, `PARASOL_NEW_PASSPHRASE`) or from stdin
//! with `--passphrase-stdin`. With `--json`, results go to stdout as JSON and
//! errors to stderr as a JSON object; the exit code is 0 only on success.

mod content;
mod context;
mod demo;
mod helplines;
mod journal;
mod output;
mod rights;

use clap::{Parser, Subcommand};
use context::Ctx;
use output::{fail, Out};
use std::path::PathBuf;

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
        Command::Journal(args) => journal::run(ctx.open()?, &args, out),
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

fn main() {
    let cli = Cli::parse();
    let ctx = Ctx {
        out: Out { json: cli.json },
        data_dir: cli.data_dir.clone(),
        lang: cli.lang.clone(),
    };
    if let Err(e) = run(cli, &ctx) {
        fail(&ctx.out, &e);
    }
}
