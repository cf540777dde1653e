//! A profile: one data directory holding the SQLite store, the wrapped device
//! key and (on desktop) the software key file. Everything the app does goes
//! through a [`Profile`].

use crate::clock::{Clock, SystemClock};
use crate::config::{self, Config};
use crate::content::library::Library;
use crate::content::{Content, Installed};
use crate::crypto::SecretKey;
use crate::error::Result;
use crate::helplines::{self, Listed, Query};
use crate::http::HttpClient;
use crate::keystore::{self, KeyStore};
use crate::store::Store;
use chrono::{DateTime, Utc};
use std::sync::Arc;

/// The database file name inside the data directory.
pub const DB_FILE: &str = "parasol.db";

/// An open profile.
pub struct Profile {
    config: Config,
    store: Store,
    http: HttpClient,
    clock: Arc<dyn Clock>,
    keystore: Arc<dyn KeyStore>,
    device_key: SecretKey,
    content: Content,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profile")
            .field("data_dir", &self.config.data_dir)
            .finish_non_exhaustive()
    }
}

/// What a shell may want to show about a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInfo {
    /// The core's version.
    pub core_version: String,
    /// The database schema version.
    pub schema_version: i64,
    /// The chosen country, if any (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Preferred languages, most preferred first (BCP-47).
    pub languages: Vec<String>,
}

impl Profile {
    /// Opens the profile in `config.data_dir` with the system clock.
    pub fn open(config: Config, keystore: Arc<dyn KeyStore>) -> Result<Self> {
        Self::open_with_clock(config, keystore, Arc::new(SystemClock))
    }

    /// Opens the profile with an explicit clock (tests, demo).
    pub fn open_with_clock(
        config: Config,
        keystore: Arc<dyn KeyStore>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self> {
        std::fs::create_dir_all(&config.data_dir)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&config.data_dir, std::fs::Permissions::from_mode(0o700))?;
        }
        // A wipe interrupted by a crash finishes before anything is read.
        crate::journal::wipe::complete_pending_wipe_with_keys(&config.data_dir, keystore.as_ref())?;
        let store = Store::open(&config.data_dir.join(DB_FILE))?;
        let http = HttpClient::new(config.http.clone())?;
        let device_key = keystore::load_or_create_device_key(&config.data_dir, keystore.as_ref())?;
        let content = Content::new(&config.extra_pack_keys)?;
        Ok(Profile {
            content,
            device_key,
            config,
            store,
            http,
            clock,
            keystore,
        })
    }

    /// The configuration the profile was opened with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The profile's database.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The profile's HTTP client.
    pub fn http(&self) -> &HttpClient {
        &self.http
    }

    /// The profile's clock.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The platform key store.
    pub fn keystore(&self) -> &Arc<dyn KeyStore> {
        &self.keystore
    }

    /// The device key: seals contacts, alerts and the outbox at rest without a passphrase.
    pub fn device_key(&self) -> &SecretKey {
        &self.device_key
    }

    /// Chooses the country the user is in (ISO 3166-1 alpha-2).
    pub fn set_country(&self, code: &str) -> Result<()> {
        self.store
            .set_setting("country", &config::country_code(code)?)
    }

    /// The chosen country, if any.
    pub fn country(&self) -> Result<Option<String>> {
        self.store.setting("country")
    }

    /// Sets the preferred languages, most preferred first. Empty means English.
    pub fn set_languages(&self, tags: &[String]) -> Result<()> {
        let mut clean = Vec::with_capacity(tags.len());
        for tag in tags {
            let t = config::language_tag(tag)?;
            if !clean.contains(&t) {
                clean.push(t);
            }
        }
        self.store.set_setting("languages", &clean.join(","))
    }

    /// The preferred languages, most preferred first (never empty: English last resort).
    pub fn languages(&self) -> Result<Vec<String>> {
        let stored = self.store.setting("languages")?.unwrap_or_default();
        let mut langs: Vec<String> = stored
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        if langs.is_empty() {
            langs.push("en".into());
        }
        Ok(langs)
    }

    /// The content in use (loaded on first call).
    pub fn library(&self) -> Result<Arc<Library>> {
        self.content.library(&self.store, self.clock.now())
    }

    /// Verifies and installs a signed content pack (see [`crate::content`]).
    pub fn install_pack(&self, pack_id: &str, signed: &[u8]) -> Result<Installed> {
        self.content
            .install(&self.store, pack_id, signed, self.clock.now())
    }

    /// Downloads a signed content pack over HTTPS and installs it.
    pub fn update_pack(&self, pack_id: &str, url: &str) -> Result<Installed> {
        self.content
            .update_from(&self.store, &self.http, pack_id, url, self.clock.now())
    }

    /// A search filter: `country` if given; `language` if given, else the
    /// user's languages and English; `limit` 0 means 20.
    pub fn search_filter(
        &self,
        country: Option<&str>,
        language: Option<&str>,
        limit: usize,
    ) -> Result<crate::content::search::Filter> {
        let languages = match language {
            Some(l) => vec![config::language_tag(l)?],
            None => {
                let mut l = self.languages()?;
                if !l.iter().any(|x| x == "en") {
                    l.push("en".into());
                }
                l
            }
        };
        Ok(crate::content::search::Filter {
            country: country.map(config::country_code).transpose()?,
            languages,
            limit,
        })
    }

    /// Helplines of `country` matching `query`, ordered for someone under
    /// stress, with their state at `at` (default: now).
    pub fn helplines(
        &self,
        country: &str,
        query: &Query,
        at: Option<DateTime<Utc>>,
    ) -> Result<Vec<Listed>> {
        let library = self.library()?;
        let lines = library.helplines(country)?;
        let at = at.unwrap_or_else(|| self.clock.now());
        Ok(helplines::list(lines, query, at, &self.languages()?))
    }

    /// A summary for display.
    pub fn info(&self) -> Result<ProfileInfo> {
        Ok(ProfileInfo {
            core_version: crate::VERSION.to_owned(),
            schema_version: self.store.schema_version()?,
            country: self.country()?,
            languages: self.languages()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::SoftwareKeyStore;

    fn open(dir: &std::path::Path) -> Profile {
        let keys = SoftwareKeyStore::open(&dir.join("keys.bin")).unwrap();
        Profile::open(Config::new(dir), Arc::new(keys)).unwrap()
    }

    #[test]
    fn settings_persist_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let p = open(dir.path());
            assert_eq!(p.languages().unwrap(), vec!["en".to_string()]);
            assert_eq!(p.country().unwrap(), None);
            p.set_country("nl").unwrap();
            p.set_languages(&["RO".into(), "en".into(), "ro".into()])
                .unwrap();
        }
        let p = open(dir.path());
        let info = p.info().unwrap();
        assert_eq!(info.country.as_deref(), Some("NL"));
        assert_eq!(info.languages, vec!["ro", "en"]);
        assert_eq!(info.schema_version, crate::store::current_schema_version());
    }

    #[test]
    fn bad_settings_are_refused_and_change_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = open(dir.path());
        p.set_country("SE").unwrap();
        assert!(p.set_country("Sweden").is_err());
        assert!(p.set_languages(&["en".into(), "x y".into()]).is_err());
        assert_eq!(p.country().unwrap().as_deref(), Some("SE"));
        assert_eq!(p.languages().unwrap(), vec!["en"]);
    }
}
