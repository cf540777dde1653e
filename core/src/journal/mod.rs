//! The encrypted journal: incident notes and evidence that nobody without the
//! passphrase can read, that survive a crash, and that stay under the user's
//! control under coercion. The on-disk format is in `docs/journal-format.md`.
//!
//! Key hierarchy: passphrase -> (NFC) -> Argon2id -> HKDF with the platform
//! secret -> key-encryption key -> opens one of [`slots::SLOT_COUNT`] key slots
//! -> data key of a vault (the journal, or the duress decoy). Records are
//! sealed with the data key (XChaCha20-Poly1305, padded), bound to the vault
//! and their row, and hash-chained. Nothing of the plaintext reaches disk.
//!
//! A [`Journal`] is `Send + Sync`; each call is blocking (unlocking runs the
//! key derivation, about half a second with the defaults).

pub mod backup;
pub mod bundle;
pub mod chain;
pub mod duress;
pub mod entry;
pub mod kdf;
pub mod lockout;
pub mod passphrase;
pub mod slots;
pub mod vault;
pub mod wipe;

#[cfg(test)]
mod tests;

pub use chain::{BrokenLink, ChainReport};
pub use duress::{DuressActions, DuressHook};
pub use entry::{AttachmentInfo, Entry, EntryDraft, EntryKind, Incident, NewAttachment};
pub use kdf::KdfParams;
pub use passphrase::Passphrase;

use crate::crypto::{random_bytes, SecretKey};
use crate::error::{Error, Result};
use crate::keystore::JOURNAL_KEY;
use crate::profile::Profile;
use chrono::{DateTime, Duration, Utc};
use entry::{parse_id, RecordBody};
use rusqlite::{Connection, OptionalExtension};
use slots::{Header, SlotContent, PRIMARY_SLOT};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use vault::{Row, VaultKeys};
use zeroize::Zeroizing;

/// Plaintext bytes per attachment chunk (so that each pads to exactly 64 KiB).
pub const CHUNK_PLAINTEXT: usize = 64 * 1024 - 4;
/// The default idle time after which the journal locks itself.
pub const DEFAULT_IDLE_TIMEOUT_SECS: i64 = 5 * 60;

/// How a journal derives keys and when it locks itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalOptions {
    /// Argon2id parameters for new journals and backups.
    pub kdf: KdfParams,
    /// Accept parameters below the OWASP floor. Only for tests and the demo.
    pub allow_weak_kdf: bool,
    /// Lock after this long without a call.
    pub idle_timeout: Duration,
}

impl Default for JournalOptions {
    fn default() -> Self {
        JournalOptions {
            kdf: KdfParams::DEFAULT,
            allow_weak_kdf: false,
            idle_timeout: Duration::seconds(DEFAULT_IDLE_TIMEOUT_SECS),
        }
    }
}

impl JournalOptions {
    /// INSECURE: Argon2id with 64 KiB and one pass, so that tests and
    /// `parasol demo` run in milliseconds. A journal made with these options
    /// can be brute-forced; never use them for a real journal.
    pub fn insecure_fast_kdf_for_tests_and_demo() -> Self {
        JournalOptions {
            kdf: KdfParams::INSECURE_FAST,
            allow_weak_kdf: true,
            ..JournalOptions::default()
        }
    }
}

struct Session {
    slot: usize,
    keys: VaultKeys,
    last_used: DateTime<Utc>,
}

enum State {
    Locked,
    Unlocked(Session),
    Wiped,
}

struct Inner {
    state: State,
    idle_timeout: Duration,
}

/// The journal of a profile.
pub struct Journal {
    profile: Arc<Profile>,
    options: JournalOptions,
    inner: Mutex<Inner>,
    hook: Mutex<Option<Arc<dyn DuressHook>>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("unlocked", &self.is_unlocked())
            .finish_non_exhaustive()
    }
}

fn wiped() -> Error {
    Error::NotFound("the profile was wiped; open it again to start afresh".into())
}

fn no_journal() -> Error {
    Error::NotFound("there is no journal yet: create one first".into())
}

/// The header, its bytes and the wrapped platform secret, if a journal exists.
type Meta = (Vec<u8>, Header, Vec<u8>);

fn read_meta(conn: &Connection) -> Result<Option<Meta>> {
    let row: Option<(Vec<u8>, Vec<u8>)> = conn
        .query_row(
            "SELECT header, platform_secret FROM journal_meta WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((bytes, platform)) => {
            let header = Header::decode(&bytes)?;
            Ok(Some((bytes, header, platform)))
        }
    }
}

fn read_slots(conn: &Connection) -> Result<Vec<Vec<u8>>> {
    let mut stmt = conn.prepare("SELECT slot, wrapped FROM journal_slots ORDER BY slot")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let (slot, wrapped) = row?;
        if slot != i as i64 {
            return Err(Error::Corrupt("journal key slots are damaged".into()));
        }
        out.push(wrapped);
    }
    if out.len() != slots::SLOT_COUNT {
        return Err(Error::Corrupt("journal key slots are missing".into()));
    }
    Ok(out)
}

/// Writes a fresh journal's meta, slots and lockout (inside a transaction),
/// replacing anything there.
fn write_new_journal(
    conn: &Connection,
    header: &Header,
    wrapped_platform: &[u8],
    primary_wrapped: &[u8],
    primary_head: &[u8],
) -> Result<()> {
    conn.execute("DELETE FROM journal_slots", [])?;
    conn.execute("DELETE FROM journal_meta", [])?;
    conn.execute(
        "INSERT INTO journal_meta(id, header, platform_secret) VALUES (1, ?1, ?2)",
        rusqlite::params![header.encode(), wrapped_platform],
    )?;
    for slot in 0..slots::SLOT_COUNT {
        let (w, h) = if slot == PRIMARY_SLOT {
            (primary_wrapped.to_vec(), primary_head.to_vec())
        } else {
            (slots::filler(), slots::filler())
        };
        conn.execute(
            "INSERT INTO journal_slots(slot, wrapped, head) VALUES (?1, ?2, ?3)",
            rusqlite::params![slot as i64, w, h],
        )?;
    }
    Ok(())
}

/// Deletes the records and chunks that `keys` does not own.
fn delete_foreign_rows(conn: &Connection, keys: &VaultKeys) -> Result<()> {
    for (row, owner) in vault::all_rows(conn)? {
        if keys.owner(&row.record_id) != owner {
            conn.execute(
                "DELETE FROM journal_records WHERE record_id = ?1",
                [&row.record_id[..]],
            )?;
        }
    }
    let chunks: Vec<(Vec<u8>, Vec<u8>)> = {
        let mut stmt = conn.prepare("SELECT chunk_id, owner FROM journal_chunks")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    for (id, owner) in chunks {
        let mine = <[u8; 16]>::try_from(id.as_slice())
            .map(|a| keys.owner(&a).as_slice() == owner.as_slice())
            .unwrap_or(false);
        if !mine {
            conn.execute("DELETE FROM journal_chunks WHERE chunk_id = ?1", [&id])?;
        }
    }
    Ok(())
}

/// Every version row of `entry_id` (in version order) and its tombstone row.
fn version_rows(
    conn: &Connection,
    keys: &VaultKeys,
    entry_id: &[u8; 16],
) -> Result<(Vec<Row>, Option<Row>)> {
    let mut versions = Vec::new();
    let mut v = 1u32;
    while let Some(row) = vault::row_by_id(conn, keys, &keys.record_id(entry_id, v))? {
        versions.push(row);
        v += 1;
    }
    let tomb = vault::row_by_id(conn, keys, &keys.record_id(entry_id, u32::MAX))?;
    Ok((versions, tomb))
}

fn open_row(keys: &VaultKeys, row: &Row) -> Result<Entry> {
    let sealed = row.sealed.as_ref().ok_or_else(|| {
        Error::Crypto("an entry version was emptied without a deletion record".into())
    })?;
    let body = keys.open_record(&row.record_id, sealed).map_err(|_| {
        Error::Crypto("the entry failed authentication (damaged or altered)".into())
    })?;
    body.to_entry(&row.hash)
        .ok_or_else(|| Error::Crypto("journal record is not an entry".into()))
}

/// The newest version of an entry.
fn latest(conn: &Connection, keys: &VaultKeys, entry_id: &[u8; 16]) -> Result<(Entry, Vec<Row>)> {
    let (versions, tomb) = version_rows(conn, keys, entry_id)?;
    if tomb.is_some() {
        return Err(Error::NotFound("this entry was deleted".into()));
    }
    let last = versions
        .last()
        .ok_or_else(|| Error::NotFound("no entry with this id".into()))?;
    let entry = open_row(keys, last)?;
    Ok((entry, versions))
}

/// Seals and stores attachments (inside a transaction).
fn store_attachments(
    conn: &Connection,
    keys: &VaultKeys,
    new: &[NewAttachment],
) -> Result<Vec<AttachmentInfo>> {
    let mut infos = Vec::with_capacity(new.len());
    for a in new {
        let mut att_id = [0u8; 16];
        att_id.copy_from_slice(&random_bytes(16));
        let count = a.data.len().div_ceil(CHUNK_PLAINTEXT).max(1) as u32;
        for index in 0..count {
            let start = index as usize * CHUNK_PLAINTEXT;
            let end = (start + CHUNK_PLAINTEXT).min(a.data.len());
            let (chunk_id, sealed) = keys.seal_chunk(&att_id, index, count, &a.data[start..end])?;
            conn.execute(
                "INSERT INTO journal_chunks(chunk_id, owner, sealed) VALUES (?1, ?2, ?3)",
                rusqlite::params![&chunk_id[..], &keys.owner(&chunk_id)[..], sealed],
            )?;
        }
        infos.push(AttachmentInfo {
            id: hex::encode(att_id),
            name: a.name.clone(),
            mime: a.mime.clone(),
            size: a.data.len() as u64,
            chunks: count,
            sha256: hex::encode(vault::sha256(&a.data)),
        });
    }
    Ok(infos)
}

/// Reads and checks an attachment's bytes.
fn read_attachment(
    conn: &Connection,
    keys: &VaultKeys,
    info: &AttachmentInfo,
) -> Result<Zeroizing<Vec<u8>>> {
    let att_id = parse_id(&info.id)?;
    let mut out = Zeroizing::new(Vec::with_capacity(info.size.min(64 << 20) as usize));
    for index in 0..info.chunks {
        let chunk_id = keys.chunk_id(&att_id, index);
        let sealed: Vec<u8> = conn
            .query_row(
                "SELECT sealed FROM journal_chunks WHERE chunk_id = ?1",
                [&chunk_id[..]],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::Crypto(format!("attachment chunk {index} is missing")))?;
        let plain = keys.open_chunk(&att_id, index, info.chunks, &sealed)?;
        out.extend_from_slice(&plain);
    }
    if out.len() as u64 != info.size || hex::encode(vault::sha256(&out)) != info.sha256 {
        return Err(Error::Crypto(
            "attachment does not match its recorded hash".into(),
        ));
    }
    Ok(out)
}

/// All live entries (newest version of each) of a vault. Fails if any of the
/// vault's records does not authenticate: a damaged journal is reported, not
/// silently shown without the damaged part.
fn all_entries(conn: &Connection, keys: &VaultKeys) -> Result<Vec<Entry>> {
    let rows = vault::own_rows(conn, keys)?;
    let mut latest: HashMap<String, Entry> = HashMap::new();
    let mut deleted: Vec<String> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let Some(sealed) = &row.sealed else { continue };
        let body = keys.open_record(&row.record_id, sealed).map_err(|_| {
            Error::Crypto(format!(
                "journal record {} failed authentication (damaged or altered); run verify",
                i + 1
            ))
        })?;
        match &body {
            RecordBody::Tombstone { entry_id, .. } => deleted.push(entry_id.clone()),
            RecordBody::Entry { .. } => {
                if let Some(e) = body.to_entry(&row.hash) {
                    let newer = latest
                        .get(&e.id)
                        .map(|old| e.version > old.version)
                        .unwrap_or(true);
                    if newer {
                        latest.insert(e.id.clone(), e);
                    }
                }
            }
        }
    }
    for id in deleted {
        latest.remove(&id);
    }
    let mut out: Vec<Entry> = latest.into_values().collect();
    out.sort_by(|a, b| {
        a.created_at
            .cmp(&b.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(out)
}

impl Journal {
    /// The journal of `profile`, with the real key-derivation parameters.
    pub fn new(profile: Arc<Profile>) -> Self {
        Journal::with_options(profile, JournalOptions::default())
    }

    /// The journal with explicit options (tests and the demo use
    /// [`JournalOptions::insecure_fast_kdf_for_tests_and_demo`]).
    pub fn with_options(profile: Arc<Profile>, options: JournalOptions) -> Self {
        Journal {
            profile,
            inner: Mutex::new(Inner {
                state: State::Locked,
                idle_timeout: options.idle_timeout,
            }),
            options,
            hook: Mutex::new(None),
        }
    }

    /// The options in use.
    pub fn options(&self) -> JournalOptions {
        self.options
    }

    fn lock_inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets (or removes) the hook called when a duress passphrase asks for an alert.
    pub fn set_duress_hook(&self, hook: Option<Arc<dyn DuressHook>>) {
        *self.hook.lock().unwrap_or_else(|p| p.into_inner()) = hook;
    }

    /// Whether a journal has been created in this profile.
    pub fn exists(&self) -> Result<bool> {
        if matches!(self.lock_inner().state, State::Wiped) {
            return Ok(false);
        }
        self.profile.store().with(|c| Ok(read_meta(c)?.is_some()))
    }

    /// Whether the journal is unlocked (and not idle for too long).
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

    /// Locks: forgets the keys (they are wiped from memory).
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

    fn unwrap_platform(&self, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
        Ok(Zeroizing::new(
            self.profile.keystore().unwrap(JOURNAL_KEY, wrapped)?,
        ))
    }

    fn derive(&self, header_bytes: &[u8], pass: &Passphrase, platform: &[u8]) -> Result<SecretKey> {
        let header = Header::decode(header_bytes)?;
        slots::derive_kek(&header, pass.bytes(), platform, self.options.allow_weak_kdf)
    }

    /// Creates the journal with `passphrase` and leaves it unlocked.
    pub fn create(&self, passphrase: &[u8]) -> Result<()> {
        let pass = Passphrase::new(passphrase)?;
        let mut inner = self.lock_inner();
        if matches!(inner.state, State::Wiped) {
            return Err(wiped());
        }
        let store = self.profile.store();
        if store.with(|c| Ok(read_meta(c)?.is_some()))? {
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
        let head = keys.seal_head(&keys.empty_head())?;
        let device_key = self.profile.device_key();
        store.transaction(|tx| {
            tx.execute("DELETE FROM journal_records", [])?;
            tx.execute("DELETE FROM journal_chunks", [])?;
            write_new_journal(tx, &header, &wrapped_platform, &wrapped, &head)?;
            let mut lo = lockout::read(tx, device_key).unwrap_or_default();
            lo.failed = 0;
            lockout::write(tx, device_key, &lo)
        })?;
        inner.state = State::Unlocked(Session {
            slot: PRIMARY_SLOT,
            keys,
            last_used: self.profile.clock().now(),
        });
        Ok(())
    }

    /// Unlocks with `passphrase`. A wrong passphrase is
    /// [`Error::WrongPassphrase`]; so is a duress passphrase whose actions do
    /// not include opening the decoy. The failure is counted before the key
    /// derivation runs.
    pub fn unlock(&self, passphrase: &[u8]) -> Result<()> {
        let pass = Passphrase::new(passphrase)?;
        let mut inner = self.lock_inner();
        if matches!(inner.state, State::Wiped) {
            return Err(wiped());
        }
        inner.state = State::Locked;
        let store = self.profile.store();
        let (header_bytes, header, wrapped_platform) =
            store.with(read_meta)?.ok_or_else(no_journal)?;
        header.kdf.check(self.options.allow_weak_kdf)?;
        let device_key = self.profile.device_key();
        let (lo, wipe_now) = store.transaction(|tx| {
            let mut lo = lockout::read(tx, device_key)?;
            if lo.must_wipe() {
                return Ok((lo, true));
            }
            lo.failed = lo.failed.saturating_add(1);
            lockout::write(tx, device_key, &lo)?;
            Ok((lo, false))
        })?;
        if wipe_now {
            self.wipe_inner(&mut inner)?;
            return Err(Error::WrongPassphrase);
        }
        let platform = self.unwrap_platform(&wrapped_platform)?;
        let kek = self.derive(&header_bytes, &pass, &platform)?;
        let all = store.with(read_slots)?;
        let found = slots::try_all(&kek, &header_bytes, &all);
        let reset = |lo: lockout::Lockout| {
            store.with(|c| {
                lockout::write(
                    c,
                    device_key,
                    &lockout::Lockout {
                        failed: 0,
                        wipe_after: lo.wipe_after,
                    },
                )
            })
        };
        let now = self.profile.clock().now();
        match found {
            Some((PRIMARY_SLOT, content)) => {
                reset(lo)?;
                inner.state = State::Unlocked(Session {
                    slot: PRIMARY_SLOT,
                    keys: VaultKeys::new(content.dek, header.vault_id)?,
                    last_used: now,
                });
                Ok(())
            }
            Some((slot, content)) => {
                let actions = DuressActions::from_flags(content.flags);
                if actions.alert {
                    let hook = self.hook.lock().unwrap_or_else(|p| p.into_inner()).clone();
                    if let Some(hook) = hook {
                        // Silent by design: whatever happens, the person
                        // holding the phone sees the same thing.
                        let _ = hook.on_duress(actions.wipe);
                    }
                }
                if actions.wipe {
                    self.wipe_inner(&mut inner)?;
                    return Err(Error::WrongPassphrase);
                }
                if actions.open_decoy {
                    reset(lo)?;
                    inner.state = State::Unlocked(Session {
                        slot,
                        keys: VaultKeys::new(content.dek, header.vault_id)?,
                        last_used: now,
                    });
                    return Ok(());
                }
                Err(Error::WrongPassphrase)
            }
            None => {
                if lo.must_wipe() {
                    self.wipe_inner(&mut inner)?;
                }
                Err(Error::WrongPassphrase)
            }
        }
    }

    /// Runs `f` with the unlocked session, enforcing the idle timeout.
    fn with_session<T>(&self, f: impl FnOnce(&Session) -> Result<T>) -> Result<T> {
        let mut inner = self.lock_inner();
        let timeout = inner.idle_timeout;
        let now = self.profile.clock().now();
        match &mut inner.state {
            State::Unlocked(s) => {
                if now - s.last_used > timeout {
                    inner.state = State::Locked;
                    return Err(Error::Locked);
                }
                if now > s.last_used {
                    s.last_used = now;
                }
                f(s)
            }
            State::Locked => Err(Error::Locked),
            State::Wiped => Err(wiped()),
        }
    }

    /// Checks `passphrase` against the open session's slot (re-authentication
    /// for sensitive changes). Returns the slot's flags.
    fn reauth(&self, s: &Session, pass: &Passphrase) -> Result<(Vec<u8>, Zeroizing<Vec<u8>>, u8)> {
        let store = self.profile.store();
        let (header_bytes, _, wrapped_platform) = store.with(read_meta)?.ok_or_else(no_journal)?;
        let platform = self.unwrap_platform(&wrapped_platform)?;
        let kek = self.derive(&header_bytes, pass, &platform)?;
        let all = store.with(read_slots)?;
        match slots::try_all(&kek, &header_bytes, &all) {
            Some((slot, content)) if slot == s.slot => Ok((header_bytes, platform, content.flags)),
            _ => Err(Error::WrongPassphrase),
        }
    }

    /// Adds an entry; returns its id.
    pub fn add(&self, mut draft: EntryDraft) -> Result<String> {
        draft.validate()?;
        self.with_session(|s| {
            let mut id = [0u8; 16];
            id.copy_from_slice(&random_bytes(16));
            let now = self.profile.clock().now();
            self.profile.store().transaction(|tx| {
                let attachments = store_attachments(tx, &s.keys, &draft.attachments)?;
                let mut body = RecordBody::Entry {
                    entry_id: hex::encode(id),
                    version: 1,
                    prev: String::new(),
                    created_at: now,
                    at: now,
                    kind: draft.kind,
                    title: draft.title.clone(),
                    body: draft.body.clone(),
                    incident: draft.incident.clone(),
                    tags: draft.tags.clone(),
                    attachments,
                };
                vault::append(tx, &s.keys, s.slot, &mut body)?;
                Ok(())
            })?;
            Ok(hex::encode(id))
        })
    }

    /// The newest version of an entry.
    pub fn get(&self, id: &str) -> Result<Entry> {
        let entry_id = parse_id(id)?;
        self.with_session(|s| {
            self.profile
                .store()
                .with(|c| Ok(latest(c, &s.keys, &entry_id)?.0))
        })
    }

    /// Every version of an entry, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<Entry>> {
        let entry_id = parse_id(id)?;
        self.with_session(|s| {
            self.profile.store().with(|c| {
                let (versions, tomb) = version_rows(c, &s.keys, &entry_id)?;
                if tomb.is_some() {
                    return Err(Error::NotFound("this entry was deleted".into()));
                }
                if versions.is_empty() {
                    return Err(Error::NotFound("no entry with this id".into()));
                }
                versions.iter().map(|r| open_row(&s.keys, r)).collect()
            })
        })
    }

    /// Every entry (newest version of each), oldest first by creation time.
    pub fn list(&self) -> Result<Vec<Entry>> {
        self.with_session(|s| self.profile.store().with(|c| all_entries(c, &s.keys)))
    }

    /// Entries whose text, tags, incident fields or attachment names contain
    /// `query` (case-insensitive). Decrypts in memory; nothing is indexed on disk.
    pub fn search(&self, query: &str) -> Result<Vec<Entry>> {
        use unicode_normalization::UnicodeNormalization;
        let needle: Zeroizing<String> =
            Zeroizing::new(query.trim().nfc().collect::<String>().to_lowercase());
        if needle.is_empty() {
            return Err(Error::invalid("the search text is empty"));
        }
        Ok(self
            .list()?
            .into_iter()
            .filter(|e| e.matches(&needle))
            .collect())
    }

    /// Writes a new version of an entry (older versions are kept). The
    /// draft's attachments are added to the existing ones. Returns the new version.
    pub fn update(&self, id: &str, mut draft: EntryDraft) -> Result<u32> {
        let entry_id = parse_id(id)?;
        draft.validate()?;
        self.with_session(|s| {
            let now = self.profile.clock().now();
            self.profile.store().transaction(|tx| {
                let (old, _) = latest(tx, &s.keys, &entry_id)?;
                let mut attachments = old.attachments.clone();
                attachments.extend(store_attachments(tx, &s.keys, &draft.attachments)?);
                if attachments.len() > entry::MAX_ATTACHMENTS {
                    return Err(Error::invalid(format!(
                        "more than {} attachments",
                        entry::MAX_ATTACHMENTS
                    )));
                }
                let version = old.version + 1;
                if version == u32::MAX {
                    return Err(Error::invalid("this entry has too many versions"));
                }
                let mut body = RecordBody::Entry {
                    entry_id: old.id.clone(),
                    version,
                    prev: String::new(),
                    created_at: old.created_at,
                    at: now,
                    kind: draft.kind,
                    title: draft.title.clone(),
                    body: draft.body.clone(),
                    incident: draft.incident.clone(),
                    tags: draft.tags.clone(),
                    attachments,
                };
                vault::append(tx, &s.keys, s.slot, &mut body)?;
                Ok(version)
            })
        })
    }

    /// Deletes an entry: every version's ciphertext and its attachments are
    /// destroyed (secure delete, then a WAL checkpoint), and a deletion record
    /// is appended to the chain so the gap is accounted for.
    pub fn delete(&self, id: &str) -> Result<()> {
        let entry_id = parse_id(id)?;
        self.with_session(|s| {
            let now = self.profile.clock().now();
            self.profile.store().transaction(|tx| {
                let (_, versions) = latest(tx, &s.keys, &entry_id)?;
                let mut shredded = Vec::with_capacity(versions.len());
                for row in &versions {
                    if let Some(sealed) = &row.sealed {
                        if let Ok(RecordBody::Entry { attachments, .. }) =
                            s.keys.open_record(&row.record_id, sealed).as_ref()
                        {
                            for a in attachments {
                                let att = parse_id(&a.id)?;
                                for index in 0..a.chunks {
                                    tx.execute(
                                        "DELETE FROM journal_chunks WHERE chunk_id = ?1",
                                        [&s.keys.chunk_id(&att, index)[..]],
                                    )?;
                                }
                            }
                        }
                    }
                    tx.execute(
                        "UPDATE journal_records SET sealed = NULL WHERE record_id = ?1",
                        [&row.record_id[..]],
                    )?;
                    shredded.push(hex::encode(row.record_id));
                }
                let mut body = RecordBody::Tombstone {
                    entry_id: hex::encode(entry_id),
                    version: u32::MAX,
                    prev: String::new(),
                    at: now,
                    shredded,
                };
                vault::append(tx, &s.keys, s.slot, &mut body)?;
                Ok(())
            })
        })?;
        self.profile.store().checkpoint()
    }

    /// The bytes of an attachment of an entry (any version).
    pub fn attachment(&self, entry_id: &str, attachment_id: &str) -> Result<Zeroizing<Vec<u8>>> {
        let eid = parse_id(entry_id)?;
        parse_id(attachment_id)?;
        self.with_session(|s| {
            self.profile.store().with(|c| {
                let (entry, _) = latest(c, &s.keys, &eid)?;
                let info = entry
                    .attachments
                    .iter()
                    .find(|a| a.id == attachment_id)
                    .ok_or_else(|| Error::NotFound("no attachment with this id".into()))?;
                read_attachment(c, &s.keys, info)
            })
        })
    }

    /// Walks the hash chain and reports the first broken link.
    pub fn verify(&self) -> Result<ChainReport> {
        self.with_session(|s| {
            self.profile.store().with(|c| {
                let rows = vault::own_rows(c, &s.keys)?;
                let head = match vault::read_head(c, &s.keys, s.slot) {
                    Ok(h) => h,
                    Err(e) if e.kind() == crate::ErrorKind::Crypto => {
                        return Ok(ChainReport {
                            ok: false,
                            records: rows.len() as u64,
                            head_hash: String::new(),
                            first_broken: Some(BrokenLink {
                                position: 0,
                                reason: "the chain head failed authentication".into(),
                            }),
                        })
                    }
                    Err(e) => return Err(e),
                };
                Ok(chain::verify(&s.keys, &rows, &head))
            })
        })
    }

    /// Changes the passphrase: only the data key's slot is re-wrapped; every
    /// record stays byte-identical.
    pub fn change_passphrase(&self, current: &[u8], new: &[u8]) -> Result<()> {
        let current = Passphrase::new(current)?;
        let new = Passphrase::new(new)?;
        self.with_session(|s| {
            let (header_bytes, platform, flags) = self.reauth(s, &current)?;
            let kek = self.derive(&header_bytes, &new, &platform)?;
            let store = self.profile.store();
            let all = store.with(read_slots)?;
            if let Some((other, _)) = slots::try_all(&kek, &header_bytes, &all) {
                if other != s.slot {
                    return Err(Error::invalid("choose a different passphrase"));
                }
            }
            let wrapped = slots::wrap(
                &kek,
                &header_bytes,
                s.slot,
                &SlotContent {
                    dek: s.keys.dek.clone(),
                    flags,
                },
            )?;
            store.with(|c| {
                c.execute(
                    "UPDATE journal_slots SET wrapped = ?1 WHERE slot = ?2",
                    rusqlite::params![wrapped, s.slot as i64],
                )?;
                Ok(())
            })
        })
    }

    /// Sets the duress passphrase and what it does. Replaces any earlier one
    /// (and its decoy entries). Needs the current passphrase. In a decoy
    /// session this does nothing and reports success.
    pub fn set_duress(&self, current: &[u8], duress: &[u8], actions: DuressActions) -> Result<()> {
        let current = Passphrase::new(current)?;
        let duress = Passphrase::new(duress)?;
        let flags = actions.to_flags()?;
        self.with_session(|s| {
            let (header_bytes, platform, _) = self.reauth(s, &current)?;
            if s.slot != PRIMARY_SLOT {
                return Ok(());
            }
            let kek = self.derive(&header_bytes, &duress, &platform)?;
            let store = self.profile.store();
            let all = store.with(read_slots)?;
            if let Some((PRIMARY_SLOT, _)) = slots::try_all(&kek, &header_bytes, &all) {
                return Err(Error::invalid(
                    "the duress passphrase must differ from the journal passphrase",
                ));
            }
            let decoy = VaultKeys::new(SecretKey::generate(), s.keys.vault_id)?;
            let wrapped = slots::wrap(
                &kek,
                &header_bytes,
                slots::DURESS_SLOT,
                &SlotContent {
                    dek: decoy.dek.clone(),
                    flags,
                },
            )?;
            let head = decoy.seal_head(&decoy.empty_head())?;
            store.transaction(|tx| {
                delete_foreign_rows(tx, &s.keys)?;
                tx.execute(
                    "UPDATE journal_slots SET wrapped = ?1, head = ?2 WHERE slot = ?3",
                    rusqlite::params![wrapped, head, slots::DURESS_SLOT as i64],
                )?;
                Ok(())
            })?;
            store.checkpoint()
        })
    }

    /// Removes the duress passphrase and its decoy entries (the slot becomes
    /// random bytes again). Needs the current passphrase. No-op in a decoy session.
    pub fn clear_duress(&self, current: &[u8]) -> Result<()> {
        let current = Passphrase::new(current)?;
        self.with_session(|s| {
            self.reauth(s, &current)?;
            if s.slot != PRIMARY_SLOT {
                return Ok(());
            }
            let store = self.profile.store();
            store.transaction(|tx| {
                delete_foreign_rows(tx, &s.keys)?;
                tx.execute(
                    "UPDATE journal_slots SET wrapped = ?1, head = ?2 WHERE slot = ?3",
                    rusqlite::params![slots::filler(), slots::filler(), slots::DURESS_SLOT as i64],
                )?;
                Ok(())
            })?;
            store.checkpoint()
        })
    }

    /// Wipe the profile after `limit` failed unlocks in a row (None: never,
    /// the default). Needs the current passphrase.
    pub fn set_wipe_after_failures(&self, current: &[u8], limit: Option<u32>) -> Result<()> {
        let current = Passphrase::new(current)?;
        if limit == Some(0) {
            return Err(Error::invalid("the failure limit must be at least 1"));
        }
        self.with_session(|s| {
            self.reauth(s, &current)?;
            let dk = self.profile.device_key();
            self.profile.store().transaction(|tx| {
                let mut lo = lockout::read(tx, dk)?;
                lo.wipe_after = limit;
                lo.failed = 0;
                lockout::write(tx, dk, &lo)
            })
        })
    }

    /// Failed unlock attempts since the last success, and the wipe limit.
    pub fn lockout(&self) -> Result<lockout::Lockout> {
        if matches!(self.lock_inner().state, State::Wiped) {
            return Err(wiped());
        }
        self.profile
            .store()
            .with(|c| lockout::read(c, self.profile.device_key()))
    }

    /// Writes an encrypted backup of the open vault to `path`, under
    /// `backup_passphrase` (or the journal's own passphrase when None).
    /// Needs the current passphrase; refuses a journal whose chain is broken.
    pub fn export_backup(
        &self,
        current: &[u8],
        backup_passphrase: Option<&[u8]>,
        path: &std::path::Path,
    ) -> Result<()> {
        let current = Passphrase::new(current)?;
        let backup_pass = match backup_passphrase {
            Some(b) => Passphrase::new(b)?,
            None => Passphrase::new(current.bytes())?,
        };
        self.with_session(|s| {
            self.reauth(s, &current)?;
            backup::export(
                self.profile.store(),
                &s.keys,
                s.slot,
                &backup_pass,
                self.options.kdf,
                path,
            )
        })
    }

    /// Replaces the journal with the backup in `path`. Everything is checked
    /// in a staging database first; on any failure the journal is untouched.
    /// Afterwards `journal_passphrase` unlocks it (any duress passphrase is
    /// gone) and the journal is locked. If a journal exists it must be unlocked.
    pub fn import_backup(
        &self,
        path: &std::path::Path,
        backup_passphrase: &[u8],
        journal_passphrase: &[u8],
    ) -> Result<()> {
        let backup_pass = Passphrase::new(backup_passphrase)?;
        let journal_pass = Passphrase::new(journal_passphrase)?;
        let mut inner = self.lock_inner();
        match &inner.state {
            State::Wiped => return Err(wiped()),
            State::Locked if self.profile.store().with(|c| Ok(read_meta(c)?.is_some()))? => {
                return Err(Error::Locked)
            }
            _ => {}
        }
        let staged = backup::stage(
            &self.profile,
            path,
            &backup_pass,
            self.options.allow_weak_kdf,
        )?;
        let existing_platform = self.profile.store().with(read_meta)?.map(|m| m.2);
        let (wrapped_platform, platform) = match existing_platform {
            Some(w) => {
                let p = self.unwrap_platform(&w)?;
                (w, p)
            }
            None => {
                let p = Zeroizing::new(random_bytes(32));
                (self.profile.keystore().wrap(JOURNAL_KEY, &p)?, p)
            }
        };
        let header = Header::with_vault_id(staged.keys.vault_id, self.options.kdf);
        let header_bytes = header.encode();
        let kek = self.derive(&header_bytes, &journal_pass, &platform)?;
        let wrapped = slots::wrap(
            &kek,
            &header_bytes,
            PRIMARY_SLOT,
            &SlotContent {
                dek: staged.keys.dek.clone(),
                flags: 0,
            },
        )?;
        inner.state = State::Locked;
        backup::swap_in(&self.profile, staged, |tx, head| {
            write_new_journal(tx, &header, &wrapped_platform, &wrapped, head)?;
            let dk = self.profile.device_key();
            let mut lo = lockout::read(tx, dk).unwrap_or_default();
            lo.failed = 0;
            lockout::write(tx, dk, &lo)
        })
    }

    /// A readable evidence bundle (HTML) of the chosen entries, with their
    /// timestamps, hashes and the chain, for a lawyer or an NGO.
    pub fn evidence_bundle(&self, ids: &[String]) -> Result<Zeroizing<String>> {
        if ids.is_empty() {
            return Err(Error::invalid("choose at least one entry for the bundle"));
        }
        let parsed: Vec<[u8; 16]> = ids.iter().map(|i| parse_id(i)).collect::<Result<_>>()?;
        let report = self.verify()?;
        let now = self.profile.clock().now();
        self.with_session(|s| {
            self.profile.store().with(|c| {
                let mut entries = Vec::with_capacity(parsed.len());
                for id in &parsed {
                    entries.push(latest(c, &s.keys, id)?.0);
                }
                let rows = vault::own_rows(c, &s.keys)?;
                Ok(bundle::render(
                    &s.keys.vault_id,
                    &entries,
                    &rows,
                    &report,
                    now,
                ))
            })
        })
    }

    /// Wipes the profile: journal, contacts, alerts, settings, keys. The
    /// journal answers "wiped" until the profile is opened again.
    pub fn wipe(&self) -> Result<()> {
        let mut inner = self.lock_inner();
        self.wipe_inner(&mut inner)
    }

    fn wipe_inner(&self, inner: &mut Inner) -> Result<()> {
        inner.state = State::Wiped;
        let dir = &self.profile.config().data_dir;
        let keys = self.profile.keystore().as_ref();
        self.profile.store().with(|c| wipe::wipe(dir, c, keys))
    }
}
