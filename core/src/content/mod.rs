//! The rights library: per-country booklets, helplines and the self-check,
//! shipped as content packs.
//!
//! Packs are compiled from the TOML sources under `content/` ([`source`]).
//! The bundled packs are embedded in the library and work offline on first
//! start. Newer packs can be fetched over HTTPS; they must carry a valid
//! Ed25519 signature by a trusted key, be for the right pack id, be newer than
//! the pack in use but not numbered in the future, carry an expiry and not be
//! expired ([`pack`]), and pass the same checks as `parasol content check`
//! ([`validate`]). An update is stored and swapped in atomically; a failed or
//! tampered update leaves the last good pack in use. An installed pack that
//! has expired since keeps serving, flagged as out of date
//! ([`library::Loaded::is_stale`]).

pub mod fold;
pub mod library;
pub mod model;
pub mod pack;
pub mod search;
pub mod source;
pub mod validate;

use crate::error::{Error, Result};
use crate::http::HttpClient;
use crate::store::Store;
use chrono::{DateTime, Utc};
use ed25519_dalek::VerifyingKey;
use library::{Library, Loaded, Origin};
use std::sync::{Arc, RwLock};

/// The content of a profile: the library in use and how to update it.
pub struct Content {
    trusted: Vec<VerifyingKey>,
    library: RwLock<Option<Arc<Library>>>,
}

impl std::fmt::Debug for Content {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Content")
            .field("trusted_keys", &self.trusted.len())
            .finish_non_exhaustive()
    }
}

/// What an installed update changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The pack id.
    pub pack_id: String,
    /// The version that was in use.
    pub previous_version: u64,
    /// The version now in use.
    pub version: u64,
}

/// The bundled packs, compiled from the embedded sources.
pub fn bundled_packs() -> Result<Vec<model::PackPayload>> {
    let epoch =
        DateTime::<Utc>::from_timestamp(0, 0).ok_or_else(|| Error::Internal("epoch".into()))?;
    source::compile(&source::embedded(), epoch, None)
}

impl Content {
    /// Content that accepts updates signed by the embedded keys plus `extra` keys.
    pub fn new(extra: &[[u8; 32]]) -> Result<Self> {
        let mut trusted = pack::trusted_keys();
        for k in extra {
            trusted.push(
                VerifyingKey::from_bytes(k)
                    .map_err(|_| Error::invalid("a trusted pack key is not an Ed25519 key"))?,
            );
        }
        Ok(Content {
            trusted,
            library: RwLock::new(None),
        })
    }

    /// The library in use, loaded on first call (at `now`): bundled packs,
    /// replaced by installed updates that still verify and are newer.
    pub fn library(&self, store: &Store, now: DateTime<Utc>) -> Result<Arc<Library>> {
        if let Some(lib) = self
            .library
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            return Ok(lib.clone());
        }
        let mut slot = self.library.write().unwrap_or_else(|p| p.into_inner());
        if let Some(lib) = slot.as_ref() {
            return Ok(lib.clone());
        }
        let lib = Arc::new(self.load(store, now)?);
        *slot = Some(lib.clone());
        Ok(lib)
    }

    fn load(&self, store: &Store, now: DateTime<Utc>) -> Result<Library> {
        let mut packs: std::collections::BTreeMap<String, Loaded> = bundled_packs()?
            .into_iter()
            .map(|p| {
                (
                    p.pack_id.clone(),
                    Loaded {
                        pack: p,
                        origin: Origin::Bundled,
                    },
                )
            })
            .collect();
        let rows: Vec<(String, Vec<u8>)> = store.with(|c| {
            let mut stmt = c.prepare("SELECT pack_id, signed_pack FROM content_packs")?;
            let rows = stmt
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<std::result::Result<Vec<_>, _>>()?;
            Ok(rows)
        })?;
        for (id, signed) in rows {
            let bundled = packs.get(&id).map(|l| l.pack.pack_version).unwrap_or(0);
            // Re-verify what is on disk; a pack that no longer verifies, that
            // a newer app version has overtaken, or whose version lies in the
            // future (a frozen pack from before the bound) is ignored (not
            // deleted). An installed pack that has expired since still beats
            // nothing when offline: it is kept and flagged as out of date.
            let expect = pack::Expect {
                pack_id: &id,
                newer_than: bundled,
                now,
                installed: true,
            };
            if let Ok(p) = pack::open(&signed, &self.trusted, &expect) {
                packs.insert(
                    id,
                    Loaded {
                        pack: p,
                        origin: Origin::Installed,
                    },
                );
            }
        }
        Ok(Library::new(packs.into_values()))
    }

    /// Verifies and installs a signed pack for `pack_id`. On any failure the
    /// pack in use stays in use and nothing is written.
    pub fn install(
        &self,
        store: &Store,
        pack_id: &str,
        signed: &[u8],
        now: DateTime<Utc>,
    ) -> Result<Installed> {
        // Hold the write lock for the whole install, so two concurrent
        // updates cannot both pass the version check against the same pack.
        let mut slot = self.library.write().unwrap_or_else(|p| p.into_inner());
        let current = match slot.as_ref() {
            Some(lib) => lib.clone(),
            None => Arc::new(self.load(store, now)?),
        };
        let previous_version = current.version_of(pack_id);
        let expect = pack::Expect {
            pack_id,
            newer_than: previous_version,
            now,
            installed: false,
        };
        let new_pack = pack::open(signed, &self.trusted, &expect)?;
        let version = i64::try_from(new_pack.pack_version)
            .map_err(|_| Error::Content("pack version does not fit the store".into()))?;
        store.transaction(|tx| {
            tx.execute(
                "INSERT INTO content_packs(pack_id, pack_version, signed_pack, installed_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(pack_id) DO UPDATE SET pack_version = excluded.pack_version,
                   signed_pack = excluded.signed_pack, installed_at = excluded.installed_at",
                rusqlite::params![pack_id, version, signed, now.to_rfc3339()],
            )?;
            Ok(())
        })?;
        let version = new_pack.pack_version;
        let packs = current
            .packs()
            .iter()
            .filter(|(id, _)| id.as_str() != pack_id)
            .map(|(_, l)| Loaded {
                pack: l.pack.clone(),
                origin: l.origin,
            })
            .chain(std::iter::once(Loaded {
                pack: new_pack,
                origin: Origin::Installed,
            }));
        *slot = Some(Arc::new(Library::new(packs)));
        Ok(Installed {
            pack_id: pack_id.to_owned(),
            previous_version,
            version,
        })
    }

    /// Downloads `url` (HTTPS) and installs it as pack `pack_id`.
    pub fn update_from(
        &self,
        store: &Store,
        http: &HttpClient,
        pack_id: &str,
        url: &str,
        now: DateTime<Utc>,
    ) -> Result<Installed> {
        let response = http.get(url, pack::MAX_PACK_BYTES as u64)?;
        if response.status != 200 {
            return Err(Error::Network(format!(
                "the pack server answered {}",
                response.status
            )));
        }
        self.install(store, pack_id, &response.body, now)
    }
}
