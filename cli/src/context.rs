//! What every command needs: where the profile is, the output mode, and the
//! language asked for on the command line.

use crate::output::Out;
use chrono::{DateTime, Utc};
use parasol_core::clock::FakeClock;
use parasol_core::config::{self, Config};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::path::PathBuf;
use std::sync::Arc;

/// The command's context.
#[derive(Debug)]
pub struct Ctx {
    /// How to print.
    pub out: Out,
    /// `--data-dir`, if given.
    pub data_dir: Option<PathBuf>,
    /// `--lang`, if given.
    pub lang: Option<String>,
    /// `--allow-insecure-loopback`: plain http to 127.0.0.1 (tests, demo).
    pub allow_insecure_loopback: bool,
    /// `--sms-out`: where the desktop writes SMS it cannot send.
    pub sms_out: Option<PathBuf>,
    /// `--now`: the instant this run pretends it is (tests and demos only).
    pub now: Option<DateTime<Utc>>,
}

/// The file of the desktop software key store inside a profile folder.
pub const SOFTWARE_KEY_FILE: &str = parasol_core::journal::wipe::SOFTWARE_KEY_FILE;

impl Ctx {
    /// The profile folder: `--data-dir`, or the platform's data directory.
    pub fn data_dir(&self) -> parasol_core::Result<PathBuf> {
        if let Some(d) = &self.data_dir {
            return Ok(d.clone());
        }
        directories::ProjectDirs::from("org", "parasol", "parasol")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or_else(|| parasol_core::Error::invalid("no home directory: pass --data-dir"))
    }

    /// Opens the profile with default settings.
    pub fn open(&self) -> parasol_core::Result<Profile> {
        self.open_with(|_| {})
    }

    /// Opens the profile after `adjust` has changed the configuration.
    pub fn open_with(&self, adjust: impl FnOnce(&mut Config)) -> parasol_core::Result<Profile> {
        open_profile_at(self.data_dir()?, adjust, self.now)
    }

    /// The languages to show: `--lang` first, then the profile's preferences.
    pub fn languages(&self, profile: &Profile) -> parasol_core::Result<Vec<String>> {
        let mut langs = profile.languages()?;
        if let Some(l) = &self.lang {
            let l = config::language_tag(l)?;
            langs.retain(|x| *x != l);
            langs.insert(0, l);
        }
        Ok(langs)
    }
}

/// Opens (creating) a desktop profile in `dir` with its software key store.
pub fn open_profile(
    dir: PathBuf,
    adjust: impl FnOnce(&mut Config),
) -> parasol_core::Result<Profile> {
    open_profile_at(dir, adjust, None)
}

/// Parses `--now` (RFC 3339).
pub fn parse_now(s: &str) -> parasol_core::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            parasol_core::Error::invalid("--now must be RFC 3339, e.g. 2026-05-12T20:00:00Z")
        })
}

/// As [`open_profile`], with the clock standing at `now` when given.
pub fn open_profile_at(
    dir: PathBuf,
    adjust: impl FnOnce(&mut Config),
    now: Option<DateTime<Utc>>,
) -> parasol_core::Result<Profile> {
    std::fs::create_dir_all(&dir)?;
    // Finish a wipe interrupted by a crash before reading the key file.
    parasol_core::journal::wipe::complete_pending_wipe(&dir)?;
    let keys = SoftwareKeyStore::open(&dir.join(SOFTWARE_KEY_FILE))?;
    let mut config = Config::new(dir);
    adjust(&mut config);
    match now {
        Some(t) => Profile::open_with_clock(config, Arc::new(keys), Arc::new(FakeClock::new(t))),
        None => Profile::open(config, Arc::new(keys)),
    }
}
