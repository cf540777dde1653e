//! The FFI entry point: the `Parasol` object, opened on a data directory.

use crate::alerts::Alerts;
use crate::error::FfiResult;
use crate::keystore::{ForeignKeyStore, PlatformKeyStore};
use parasol_core::config::Config;
use parasol_core::keystore::{KeyStore, SoftwareKeyStore};
use parasol_core::profile::Profile;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

/// The file of the software key store used when the shell provides none
/// (the journal's wipe deletes it too).
pub const SOFTWARE_KEY_FILE: &str = parasol_core::journal::wipe::SOFTWARE_KEY_FILE;

/// How to open a profile.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ParasolConfig {
    /// The app-private folder holding the profile (created if missing).
    pub data_dir: String,
    /// Network timeout for one request, in seconds (0 = default of 20 s).
    pub timeout_seconds: u32,
    /// An extra CA certificate (PEM) to trust, for a self-hosted relay.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Allow plain http to 127.0.0.1/localhost only. For tests; never in an app.
    pub allow_insecure_loopback: bool,
    /// Ed25519 public keys (32 bytes each) trusted for content updates besides
    /// the embedded ones: an NGO's own pack server, or tests. Usually empty.
    pub extra_trusted_pack_keys: Vec<Vec<u8>>,
}

/// What a shell may show about a profile.
#[derive(Debug, Clone, uniffi::Record)]
pub struct ProfileInfo {
    /// The core's version.
    pub core_version: String,
    /// The database schema version.
    pub schema_version: i64,
    /// The chosen country (ISO 3166-1 alpha-2), if any.
    pub country: Option<String>,
    /// Preferred languages, most preferred first.
    pub languages: Vec<String>,
}

impl From<parasol_core::profile::ProfileInfo> for ProfileInfo {
    fn from(i: parasol_core::profile::ProfileInfo) -> Self {
        ProfileInfo {
            core_version: i.core_version,
            schema_version: i.schema_version,
            country: i.country,
            languages: i.languages,
        }
    }
}

/// An open profile: the app's handle on everything the core does.
/// `Send + Sync`; all methods are blocking (call them off the UI thread).
#[derive(Debug, uniffi::Object)]
pub struct Parasol {
    pub(crate) profile: Arc<Profile>,
    journal: OnceLock<Arc<crate::journal::Journal>>,
    pub(crate) alerts: OnceLock<Arc<Alerts>>,
}

#[uniffi::export]
impl Parasol {
    /// Opens (creating if needed) the profile in `config.data_dir`. With no
    /// `key_store`, a software key store in the data directory is used
    /// (desktop and tests; a phone app must pass its platform key store).
    #[uniffi::constructor]
    pub fn open(
        config: ParasolConfig,
        key_store: Option<Arc<dyn PlatformKeyStore>>,
    ) -> FfiResult<Arc<Self>> {
        let mut core_config = Config::new(&config.data_dir);
        if config.timeout_seconds > 0 {
            core_config.http.timeout = Duration::from_secs(config.timeout_seconds.into());
        }
        core_config.http.extra_ca_pem = config.extra_ca_pem;
        core_config.http.allow_insecure_loopback = config.allow_insecure_loopback;
        core_config.extra_pack_keys = config
            .extra_trusted_pack_keys
            .iter()
            .map(|k| {
                <[u8; 32]>::try_from(k.as_slice()).map_err(|_| {
                    parasol_core::Error::invalid("a trusted pack key must be 32 bytes")
                })
            })
            .collect::<Result<_, _>>()?;
        let keys: Arc<dyn KeyStore> = match key_store {
            // `Profile::open` finishes an interrupted wipe, platform keys included.
            Some(k) => Arc::new(ForeignKeyStore(k)),
            None => {
                // Finish an interrupted wipe before reading the key file.
                parasol_core::journal::wipe::complete_pending_wipe(std::path::Path::new(
                    &config.data_dir,
                ))?;
                std::fs::create_dir_all(&config.data_dir).map_err(parasol_core::Error::from)?;
                Arc::new(SoftwareKeyStore::open(
                    &std::path::Path::new(&config.data_dir).join(SOFTWARE_KEY_FILE),
                )?)
            }
        };
        Ok(Arc::new(Parasol {
            profile: Arc::new(Profile::open(core_config, keys)?),
            journal: OnceLock::new(),
            alerts: OnceLock::new(),
        }))
    }

    /// Version, schema and settings of the profile.
    pub fn info(&self) -> FfiResult<ProfileInfo> {
        Ok(self.profile.info()?.into())
    }

    /// Chooses the country the user is in (ISO 3166-1 alpha-2, e.g. "NL").
    pub fn set_country(&self, code: String) -> FfiResult<()> {
        Ok(self.profile.set_country(&code)?)
    }

    /// Sets the preferred languages (BCP-47 tags), most preferred first.
    pub fn set_languages(&self, languages: Vec<String>) -> FfiResult<()> {
        Ok(self.profile.set_languages(&languages)?)
    }

    /// The profile's encrypted journal (the same object on every call).
    #[uniffi::method(name = "notebook")]
    pub fn journal(&self) -> Arc<crate::journal::Journal> {
        self.journal
            .get_or_init(|| {
                let journal = crate::journal::journal_for(self.profile.clone());
                // A duress passphrase that asks for an alert raises it through
                // the alert engine; without one (it failed to open) the
                // journal still works and the duress alert is skipped.
                if let Ok(alerts) = self.alerts() {
                    parasol_core::alerts::duress::connect(&journal.inner, alerts.inner.clone());
                }
                journal
            })
            .clone()
    }

    /// The alert engine (the same object on every call). Opening it puts
    /// deliveries interrupted by a crash back in the queue and fires
    /// countdowns and check-ins that came due while the app was not running.
    #[uniffi::method(name = "relay")]
    pub fn alerts(&self) -> FfiResult<Arc<Alerts>> {
        if let Some(a) = self.alerts.get() {
            return Ok(a.clone());
        }
        let engine = parasol_core::alerts::Alerts::open(self.profile.clone())?;
        Ok(self
            .alerts
            .get_or_init(|| {
                Arc::new(Alerts {
                    inner: Arc::new(engine),
                })
            })
            .clone())
    }
}
