//! Getting in and out: create, unlock, lock, the idle timeout, passphrase
//! re-entry for sensitive changes, the failure limit and wipe.
//!
//! Every passphrase attempt, an unlock or a re-entry, is counted before the
//! key derivation runs and counts toward the wipe limit. What can be checked
//! without the passphrase (the header's parameters and MAC, the platform
//! secret) is checked first: a damaged journal answers "damaged" and the
//! attempt is not counted.

use super::catalog::{self, Catalog};
use super::cover::{self, Totals};
use super::family;
use super::lockout::{self, Lockout};
use super::meta::{self, Meta};
use super::passphrase::Passphrase;
use super::rows;
use super::slots::{self, Header, SlotContent, PRIMARY_SLOT};
use super::upgrade;
use super::vault::{StoredHead, VaultKeys};
use super::{no_journal, wiped, Inner, Journal, Session, State};
use crate::crypto::{random_bytes, SecretKey};
use crate::error::{Error, Result};
use crate::keystore::JOURNAL_KEY;
use chrono::Duration;
use rusqlite::Connection;
use zeroize::Zeroizing;

/// What a successful re-entry of the session's passphrase gives.
pub(super) struct Reauth {
    /// The header's bytes.
    pub header_bytes: Vec<u8>,
    /// The platform secret.
    pub platform: Zeroizing<Vec<u8>>,
    /// The session slot's flags.
    pub flags: u8,
}

impl Journal {
    /// Whether a journal has been created in this profile.
    pub fn exists(&self) -> Result<bool> {
        if matches!(self.lock_inner().state, State::Wiped) {
            return Ok(false);
        }
        self.profile.store().with(meta::exists)
    }

    /// Whether the journal is unlocked (and not idle for too long; an idle
    /// session is locked, and its keys, catalog and index dropped, here).
    pub fn is_unlocked(&self) -> bool {
        let mut inner = self.lock_inner();
        let timeout = inner.idle_timeout;
        let now = self.profile.clock().now();
        match &inner.state {
            State::Unlocked(s) if now - s.last_used > timeout => {
                inner.state = State::Locked;
                false
            }
            State::Unlocked(_) => true,
            _ => false,
        }
    }

    /// Locks: forgets the keys, the catalog and the search index (all wiped
    /// from memory).
    pub fn lock(&self) {
        let mut inner = self.lock_inner();
        if matches!(inner.state, State::Unlocked(_)) {
            inner.state = State::Locked;
        }
    }

    /// Sets the idle time after which the journal locks itself (at least 1 s).
    pub fn set_idle_timeout(&self, seconds: u32) -> Result<()> {
        if seconds == 0 {
            return Err(Error::invalid(
                "the auto-lock timeout must be at least one second",
            ));
        }
        self.lock_inner().idle_timeout = Duration::seconds(seconds.into());
        Ok(())
    }

    pub(super) fn unwrap_platform(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Ok(Zeroizing::new(
            self.profile.keystore().unwrap(JOURNAL_KEY, wrapped)?,
        ))
    }

    pub(super) fn derive(
        &self,
        header_bytes: &[u8],
        pass: &Passphrase,
        platform: &[u8],
    ) -> Result<SecretKey> {
        let header = Header::decode(header_bytes)?;
        slots::derive_kek(&header, pass.bytes(), platform, self.options.allow_weak_kdf)
    }

    fn data_dir(&self) -> &std::path::Path {
        &self.profile.config().data_dir
    }

    /// Reads the meta row and checks what can be checked without the
    /// passphrase: the parameters, the platform secret, the header MAC.
    fn checked_meta(&self) -> Result<(Meta, Zeroizing<Vec<u8>>)> {
        let meta = self
            .profile
            .store()
            .with(meta::read)?
            .ok_or_else(no_journal)?;
        meta.header.kdf.check(self.options.allow_weak_kdf)?;
        let platform = self.unwrap_platform(&meta.wrapped_platform)?;
        meta::check_header(&meta, &platform)?;
        Ok((meta, platform))
    }

    /// Reads the failure state (recovering from tampering) and counts one
    /// attempt, durably. `Ok(None)`: the limit was already reached, the
    /// profile must be wiped.
    fn count_attempt(&self) -> Result<Option<Lockout>> {
        let dk = self.profile.device_key();
        let dir = self.data_dir().to_path_buf();
        self.profile.store().transaction(|tx| {
            let mut lo = lockout::read(tx, dk, &dir, true)?;
            if lo.must_wipe() {
                return Ok(None);
            }
            lockout::count_attempt(tx, dk, &dir, &mut lo)?;
            Ok(Some(lo))
        })
    }

    fn count_success(&self, lo: &mut Lockout) -> Result<()> {
        let dk = self.profile.device_key();
        self.profile
            .store()
            .with(|c| lockout::count_success(c, dk, lo))
    }

    /// Creates the journal with `passphrase` and leaves it unlocked.
    pub fn create(&self, passphrase: &[u8]) -> Result<()> {
        let pass = Passphrase::new_choice(passphrase)?;
        let mut inner = self.lock_inner();
        if matches!(inner.state, State::Wiped) {
            return Err(wiped());
        }
        let store = self.profile.store();
        if store.with(meta::exists)? {
            return Err(Error::invalid("a journal already exists in this profile"));
        }
        self.options.kdf.check(self.options.allow_weak_kdf)?;
        let header = Header::generate(self.options.kdf);
        let header_bytes = header.encode();
        let platform = Zeroizing::new(random_bytes(32));
        let wrapped_platform = self.profile.keystore().wrap(JOURNAL_KEY, &platform)?;
        let kek = self.derive(&header_bytes, &pass, &platform)?;
        let keys = VaultKeys::new(SecretKey::generate(), header.vault_id)?;
        let wrapped = slots::wrap(
            &kek,
            &header_bytes,
            PRIMARY_SLOT,
            &SlotContent {
                dek: keys.dek.clone(),
                flags: 0,
            },
        )?;
        let mac = meta::header_mac(&platform, &header_bytes)?;
        let dk = self.profile.device_key();
        let dir = self.data_dir().to_path_buf();
        let totals = store.transaction(|tx| {
            tx.execute("DELETE FROM journal_records", [])?;
            tx.execute("DELETE FROM journal_chunks", [])?;
            tx.execute("DELETE FROM journal_slots", [])?;
            meta::write(tx, &header_bytes, &wrapped_platform, &mac)?;
            let mut head = keys.empty_head([0; 32]);
            let mut totals = Totals {
                records: 0,
                chunks: 0,
            };
            cover::normalize(tx, &keys, &mut head, &mut totals, &[])?;
            rows::write_slot(tx, PRIMARY_SLOT, &wrapped, &keys.seal_head(&head)?)?;
            for slot in 1..slots::SLOT_COUNT {
                rows::write_slot(tx, slot, &slots::filler(), &slots::filler())?;
            }
            let old = lockout::read(tx, dk, &dir, false)?;
            let lo = Lockout {
                failed: 0,
                wipe_after: old.wipe_after,
                total: old.total,
                tampered: false,
                marked: true,
            };
            lockout::write(tx, dk, &dir, &lo)?;
            Ok(totals)
        })?;
        inner.state = State::Unlocked(Box::new(Session {
            slot: PRIMARY_SLOT,
            flags: 0,
            keys,
            last_used: self.profile.clock().now(),
            catalog: Ok(Catalog::build(Vec::new())?),
            index: None,
            totals: Some(totals),
        }));
        Ok(())
    }

    /// Unlocks with `passphrase`. A wrong passphrase is
    /// [`Error::WrongPassphrase`]; so is a duress passphrase whose actions do
    /// not include opening the decoy. The attempt is counted before the key
    /// derivation runs; a damaged journal is reported without counting.
    pub fn unlock(&self, passphrase: &[u8]) -> Result<()> {
        let pass = Passphrase::new(passphrase)?;
        let mut inner = self.lock_inner();
        if matches!(inner.state, State::Wiped) {
            return Err(wiped());
        }
        inner.state = State::Locked;
        let (meta, platform) = self.checked_meta()?;
        let Some(mut lo) = self.count_attempt()? else {
            return self.wipe_then_refuse(&mut inner);
        };
        let kek = self.derive(&meta.header_bytes, &pass, &platform)?;
        let store = self.profile.store();
        let all = store.with(meta::read_slots)?;
        let opened = slots::open_all(&kek, &meta.header_bytes, &all);
        let choice = store.with(|c| family::choose(c, &meta.header, opened))?;
        let Some((slot, content)) = choice else {
            if lo.must_wipe() {
                return self.wipe_then_refuse(&mut inner);
            }
            return Err(Error::WrongPassphrase);
        };
        let actions = super::DuressActions::from_flags(content.flags);
        if slot != PRIMARY_SLOT && actions.alert {
            let hook = self.hook.lock().unwrap_or_else(|p| p.into_inner()).clone();
            if let Some(hook) = hook {
                // Silent by design: whatever happens, the person holding the
                // phone sees the same thing.
                let _ = hook.on_duress(actions.wipe);
            }
        }
        if slot != PRIMARY_SLOT && actions.wipe {
            return self.wipe_then_refuse(&mut inner);
        }
        if slot != PRIMARY_SLOT && !actions.open_decoy {
            return Err(Error::WrongPassphrase);
        }
        self.count_success(&mut lo)?;
        let session = self.open_session(&meta, &platform, slot, content)?;
        inner.state = State::Unlocked(Box::new(session));
        Ok(())
    }

    /// Opens the session of the vault in `slot`: upgrades a format-1 vault,
    /// gives a format-1 header its MAC, builds and checks the catalog.
    fn open_session(
        &self,
        meta: &Meta,
        platform: &[u8],
        slot: usize,
        content: SlotContent,
    ) -> Result<Session> {
        let flags = content.flags;
        let keys = VaultKeys::new(content.dek, meta.header.vault_id)?;
        let store = self.profile.store();
        if meta.header_mac.is_none() {
            let mac = meta::header_mac(platform, &meta.header_bytes)?;
            store.transaction(|tx| {
                meta::set_mac(tx, &mac)?;
                meta::ensure_slots(tx)
            })?;
        }
        let stored = store.with(|c| keys.open_head(&rows::read_head_cell(c, slot)?));
        if let Ok(StoredHead::Legacy { count, last_hash }) = stored {
            store.transaction(|tx| upgrade::upgrade_vault(tx, &keys, slot, count, &last_hash))?;
            store.checkpoint()?;
        }
        // An altered journal still unlocks (so that verify can say where);
        // everything that reads entries answers with the damage.
        let catalog = match store.with(|c| self.build_catalog(c, &keys, slot)) {
            Ok(c) => Ok(c),
            Err(Error::Crypto(why)) => Err(why),
            Err(e) => return Err(e),
        };
        Ok(Session {
            slot,
            flags,
            keys,
            last_used: self.profile.clock().now(),
            catalog,
            index: None,
            totals: None,
        })
    }

    /// Opens every summary once and checks them against the head.
    pub(super) fn build_catalog(
        &self,
        conn: &Connection,
        keys: &VaultKeys,
        slot: usize,
    ) -> Result<Catalog> {
        let head = super::writes::current_head(conn, keys, slot)?;
        let scanned = rows::scan_records(conn, false)?;
        let found = catalog::own_records(keys, &scanned, self.options.threads)?;
        catalog::check_positions(conn, &head, &found)?;
        Catalog::build(found)
    }

    /// Checks `pass` against the session's own slot (re-entry for sensitive
    /// changes), counted like an unlock: a wrong one counts toward the wipe
    /// limit, and reaching it wipes. Never looks at another slot.
    pub(super) fn reauth(&self, inner: &mut Inner, pass: &Passphrase) -> Result<Reauth> {
        let (slot, dek) = match &inner.state {
            State::Unlocked(s) => (s.slot, s.keys.dek.clone()),
            State::Locked => return Err(Error::Locked),
            State::Wiped => return Err(wiped()),
        };
        let (meta, platform) = self.checked_meta()?;
        let Some(mut lo) = self.count_attempt()? else {
            return self.wipe_then_refuse(inner);
        };
        let kek = self.derive(&meta.header_bytes, pass, &platform)?;
        let all = self.profile.store().with(meta::read_slots)?;
        match slots::open_one(&kek, &meta.header_bytes, slot, &all[slot]) {
            Some(c) if c.dek.expose() == dek.expose() => {
                self.count_success(&mut lo)?;
                Ok(Reauth {
                    header_bytes: meta.header_bytes,
                    platform,
                    flags: c.flags,
                })
            }
            _ => {
                if lo.must_wipe() {
                    return self.wipe_then_refuse(inner);
                }
                Err(Error::WrongPassphrase)
            }
        }
    }

    /// Runs `f` with the session after re-entry of its passphrase.
    pub(super) fn with_reauth<T>(
        &self,
        current: &Passphrase,
        f: impl FnOnce(&mut Session, Reauth) -> Result<T>,
    ) -> Result<T> {
        let mut inner = self.lock_inner();
        let timeout = inner.idle_timeout;
        let now = self.profile.clock().now();
        if let State::Unlocked(s) = &inner.state {
            if now - s.last_used > timeout {
                inner.state = State::Locked;
            }
        }
        let reauth = self.reauth(&mut inner, current)?;
        match &mut inner.state {
            State::Unlocked(s) => {
                s.last_used = now.max(s.last_used);
                f(s, reauth)
            }
            State::Locked => Err(Error::Locked),
            State::Wiped => Err(wiped()),
        }
    }

    /// Wipe the profile after `limit` failed attempts in a row (None: never,
    /// the default). Needs the current passphrase. Also clears the
    /// [`Lockout::tampered`] warning.
    pub fn set_wipe_after_failures(&self, current: &[u8], limit: Option<u32>) -> Result<()> {
        let current = Passphrase::new(current)?;
        if limit == Some(0) {
            return Err(Error::invalid("the failure limit must be at least 1"));
        }
        let dk = self.profile.device_key();
        let dir = self.data_dir().to_path_buf();
        self.with_reauth(&current, |_, _| {
            self.profile.store().transaction(|tx| {
                let mut lo = lockout::read(tx, dk, &dir, true)?;
                lo.wipe_after = limit;
                lo.failed = 0;
                lo.tampered = false;
                lockout::write(tx, dk, &dir, &lo)
            })
        })
    }

    /// Failed attempts since the last success, the wipe limit, and whether
    /// the stored state was found tampered with.
    pub fn lockout(&self) -> Result<Lockout> {
        if matches!(self.lock_inner().state, State::Wiped) {
            return Err(wiped());
        }
        let dir = self.data_dir().to_path_buf();
        let dk = self.profile.device_key();
        self.profile.store().transaction(|tx| {
            let exists = meta::exists(tx)?;
            lockout::read(tx, dk, &dir, exists)
        })
    }

    /// Wipes the profile: journal, contacts, alerts, settings, keys. The
    /// journal answers "wiped" until the profile is opened again.
    pub fn wipe(&self) -> Result<()> {
        let mut inner = self.lock_inner();
        self.wipe_inner(&mut inner)
    }

    /// Wipes on the way to answering "wrong passphrase" (the failure limit
    /// reached, or the duress passphrase set to erase). The answer is the
    /// one a wrong guess gets, whatever the wipe met: a platform that
    /// refuses to delete its keys (the rest of the wipe has run; the key
    /// may survive, see docs/security.md) or a failing disk (the wipe
    /// marker stays and the wipe completes when the profile next opens).
    /// Anything else would tell the person holding the phone that this
    /// passphrase was not just wrong.
    fn wipe_then_refuse<T>(&self, inner: &mut Inner) -> Result<T> {
        let _ = self.wipe_inner(inner);
        Err(Error::WrongPassphrase)
    }

    pub(super) fn wipe_inner(&self, inner: &mut Inner) -> Result<()> {
        inner.state = State::Wiped;
        let dir = self.data_dir();
        let keys = self.profile.keystore().as_ref();
        self.profile
            .store()
            .with(|c| super::wipe::wipe(dir, c, keys))
    }
}
