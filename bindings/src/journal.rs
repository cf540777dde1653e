//! The encrypted journal over the FFI: the `Journal` object (from
//! `Parasol.journal()`), its records and enums. Translation only: every rule
//! lives in `parasol_core::journal`.
//!
//! Passphrases cross as bytes (Kotlin `ByteArray`, Swift `Data`) so the shell
//! can wipe its copy; the core normalises them (NFC) and wipes its own. Records
//! holding journal text have no `Debug`, so they cannot end up in a log.

use crate::error::FfiResult;
use parasol_core::journal as core;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Note or incident report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EntryKind {
    /// A free note.
    Note,
    /// An incident report with structured fields.
    Incident,
}

impl From<EntryKind> for core::EntryKind {
    fn from(k: EntryKind) -> Self {
        match k {
            EntryKind::Note => core::EntryKind::Note,
            EntryKind::Incident => core::EntryKind::Incident,
        }
    }
}

impl From<core::EntryKind> for EntryKind {
    fn from(k: core::EntryKind) -> Self {
        match k {
            core::EntryKind::Note => EntryKind::Note,
            core::EntryKind::Incident => EntryKind::Incident,
        }
    }
}

/// The structured fields of an incident report (all optional).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct IncidentDetails {
    /// When it happened (free text).
    pub when: Option<String>,
    /// Where it happened.
    pub location: Option<String>,
    /// Who: a description of the person.
    pub person: Option<String>,
    /// Their vehicle.
    pub vehicle: Option<String>,
    /// Their phone number or online handle.
    pub contact: Option<String>,
    /// What happened.
    pub what_happened: Option<String>,
    /// Injuries.
    pub injuries: Option<String>,
    /// Money or documents taken.
    pub taken: Option<String>,
    /// Witnesses.
    pub witnesses: Option<String>,
    /// Reported to the police (null: not said).
    pub reported_to_police: Option<bool>,
    /// Follow-up.
    pub follow_up: Option<String>,
}

impl From<IncidentDetails> for core::Incident {
    fn from(i: IncidentDetails) -> Self {
        core::Incident {
            when: i.when,
            location: i.location,
            person: i.person,
            vehicle: i.vehicle,
            contact: i.contact,
            what_happened: i.what_happened,
            injuries: i.injuries,
            taken: i.taken,
            witnesses: i.witnesses,
            reported_to_police: i.reported_to_police,
            follow_up: i.follow_up,
        }
    }
}

impl From<&core::Incident> for IncidentDetails {
    fn from(i: &core::Incident) -> Self {
        IncidentDetails {
            when: i.when.clone(),
            location: i.location.clone(),
            person: i.person.clone(),
            vehicle: i.vehicle.clone(),
            contact: i.contact.clone(),
            what_happened: i.what_happened.clone(),
            injuries: i.injuries.clone(),
            taken: i.taken.clone(),
            witnesses: i.witnesses.clone(),
            reported_to_police: i.reported_to_police,
            follow_up: i.follow_up.clone(),
        }
    }
}

/// A new attachment (photo, audio...), at most 32 MiB.
#[derive(Clone, uniffi::Record)]
pub struct NewAttachment {
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// The bytes.
    pub data: Vec<u8>,
}

/// What to write (for `add`, and `update` where attachments are added).
#[derive(Clone, uniffi::Record)]
pub struct EntryDraft {
    /// Note or incident.
    pub kind: EntryKind,
    /// Title (required).
    pub title: String,
    /// Free text.
    pub body: String,
    /// Structured fields.
    pub incident: Option<IncidentDetails>,
    /// Tags.
    pub tags: Vec<String>,
    /// New attachments.
    pub attachments: Vec<NewAttachment>,
}

impl From<EntryDraft> for core::EntryDraft {
    fn from(d: EntryDraft) -> Self {
        core::EntryDraft {
            kind: d.kind.into(),
            title: d.title,
            body: d.body,
            incident: d.incident.map(Into::into),
            tags: d.tags,
            attachments: d
                .attachments
                .into_iter()
                .map(|a| core::NewAttachment {
                    name: a.name,
                    mime: a.mime,
                    data: a.data,
                })
                .collect(),
        }
    }
}

/// An attachment of an entry (read its bytes with `Journal.attachment`).
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct AttachmentInfo {
    /// Id (32 hex digits).
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the bytes (hex).
    pub sha256: String,
}

/// One version of an entry.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct JournalEntry {
    /// Id (32 hex digits), stable across versions.
    pub id: String,
    /// Version, from 1.
    pub version: u32,
    /// Note or incident.
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Free text.
    pub body: String,
    /// Structured fields.
    pub incident: Option<IncidentDetails>,
    /// Tags.
    pub tags: Vec<String>,
    /// Attachments.
    pub attachments: Vec<AttachmentInfo>,
    /// When the entry was first written (Unix time, milliseconds).
    pub created_at_ms: i64,
    /// When this version was written (Unix time, milliseconds).
    pub updated_at_ms: i64,
    /// SHA-256 of this version's sealed record (hex): its chain link.
    pub record_hash: String,
    /// The hash of the record before it in the chain (hex).
    pub prev_hash: String,
}

impl From<&core::Entry> for JournalEntry {
    fn from(e: &core::Entry) -> Self {
        JournalEntry {
            id: e.id.clone(),
            version: e.version,
            kind: e.kind.into(),
            title: e.title.clone(),
            body: e.body.clone(),
            incident: e.incident.as_ref().map(Into::into),
            tags: e.tags.clone(),
            attachments: e
                .attachments
                .iter()
                .map(|a| AttachmentInfo {
                    id: a.id.clone(),
                    name: a.name.clone(),
                    mime: a.mime.clone(),
                    size: a.size,
                    sha256: a.sha256.clone(),
                })
                .collect(),
            created_at_ms: e.created_at.timestamp_millis(),
            updated_at_ms: e.updated_at.timestamp_millis(),
            record_hash: e.record_hash.clone(),
            prev_hash: e.prev_hash.clone(),
        }
    }
}

fn entries(list: Vec<core::Entry>) -> Vec<JournalEntry> {
    list.iter().map(Into::into).collect()
}

/// Where the hash chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BrokenLink {
    /// Position in the chain, from 1 (0: the chain head).
    pub position: u64,
    /// What is wrong.
    pub reason: String,
}

/// The result of `Journal.verify`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChainReport {
    /// True when every link holds.
    pub ok: bool,
    /// Records in the chain.
    pub records: u64,
    /// The newest record's hash (hex).
    pub head_hash: String,
    /// The first broken link, if any.
    pub first_broken: Option<BrokenLink>,
}

impl From<core::ChainReport> for ChainReport {
    fn from(r: core::ChainReport) -> Self {
        ChainReport {
            ok: r.ok,
            records: r.records,
            head_hash: r.head_hash,
            first_broken: r.first_broken.map(|b| BrokenLink {
                position: b.position,
                reason: b.reason,
            }),
        }
    }
}

/// What the duress passphrase does (choose at least one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DuressActions {
    /// Open a decoy journal that looks normal.
    pub open_decoy: bool,
    /// Silently trigger the panic alert.
    pub alert: bool,
    /// Wipe the profile (after the alert has been handed over).
    pub wipe: bool,
}

impl From<DuressActions> for core::DuressActions {
    fn from(a: DuressActions) -> Self {
        core::DuressActions {
            open_decoy: a.open_decoy,
            alert: a.alert,
            wipe: a.wipe,
        }
    }
}

/// Failed unlocks and the optional wipe limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct LockoutInfo {
    /// Failed unlock attempts since the last success.
    pub failed_attempts: u32,
    /// Wipe after this many failures (null: never).
    pub wipe_after: Option<u32>,
}

/// The encrypted journal of a profile. Get it with `Parasol.journal()`.
/// Every method blocks (unlocking runs a deliberately slow key derivation):
/// call from a background thread.
#[derive(uniffi::Object)]
#[uniffi(name = "Notebook")]
pub struct Journal {
    pub(crate) inner: Arc<core::Journal>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.inner.fmt(f)
    }
}

fn secret(bytes: Vec<u8>) -> Zeroizing<Vec<u8>> {
    Zeroizing::new(bytes)
}

#[uniffi::export(name = "Notebook")]
impl Journal {
    /// Whether a journal exists in this profile.
    pub fn exists(&self) -> FfiResult<bool> {
        Ok(self.inner.exists()?)
    }

    /// Creates the journal (leaves it unlocked). InvalidInput if one exists.
    pub fn create(&self, passphrase: Vec<u8>) -> FfiResult<()> {
        Ok(self.inner.create(&secret(passphrase))?)
    }

    /// Unlocks. WrongPassphrase on failure (counted before the key derivation).
    pub fn unlock(&self, passphrase: Vec<u8>) -> FfiResult<()> {
        Ok(self.inner.unlock(&secret(passphrase))?)
    }

    /// Locks now (keys are wiped from memory). Call when the app goes to the background.
    pub fn lock(&self) {
        self.inner.lock()
    }

    /// Whether the journal is unlocked (false once the idle timeout passed).
    pub fn is_unlocked(&self) -> bool {
        self.inner.is_unlocked()
    }

    /// Locks automatically after this many seconds without a call (default 300).
    pub fn set_auto_lock_seconds(&self, seconds: u32) -> FfiResult<()> {
        Ok(self.inner.set_idle_timeout(seconds)?)
    }

    /// Adds an entry; returns its id.
    pub fn add(&self, draft: EntryDraft) -> FfiResult<String> {
        Ok(self.inner.add(draft.into())?)
    }

    /// The newest version of an entry.
    pub fn get(&self, id: String) -> FfiResult<JournalEntry> {
        Ok((&self.inner.get(&id)?).into())
    }

    /// Every version of an entry, oldest first.
    pub fn history(&self, id: String) -> FfiResult<Vec<JournalEntry>> {
        Ok(entries(self.inner.history(&id)?))
    }

    /// Every entry (newest version), oldest first.
    pub fn list(&self) -> FfiResult<Vec<JournalEntry>> {
        Ok(entries(self.inner.list()?))
    }

    /// Entries containing `query` (case-insensitive), decrypted in memory.
    pub fn search(&self, query: String) -> FfiResult<Vec<JournalEntry>> {
        Ok(entries(self.inner.search(&query)?))
    }

    /// Writes a new version (older ones are kept); returns the new version number.
    pub fn update(&self, id: String, draft: EntryDraft) -> FfiResult<u32> {
        Ok(self.inner.update(&id, draft.into())?)
    }

    /// Deletes an entry (its ciphertexts are destroyed; the chain records the deletion).
    pub fn delete(&self, id: String) -> FfiResult<()> {
        Ok(self.inner.delete(&id)?)
    }

    /// The bytes of an attachment.
    pub fn attachment(&self, entry_id: String, attachment_id: String) -> FfiResult<Vec<u8>> {
        Ok(self.inner.attachment(&entry_id, &attachment_id)?.to_vec())
    }

    /// Checks the hash chain.
    pub fn verify(&self) -> FfiResult<ChainReport> {
        Ok(self.inner.verify()?.into())
    }

    /// Changes the passphrase (only the key slot is re-wrapped).
    pub fn change_passphrase(&self, current: Vec<u8>, new_passphrase: Vec<u8>) -> FfiResult<()> {
        Ok(self
            .inner
            .change_passphrase(&secret(current), &secret(new_passphrase))?)
    }

    /// Sets the duress passphrase and what it does (replaces any earlier one).
    #[uniffi::method(name = "set_second_key")]
    pub fn set_duress(
        &self,
        current: Vec<u8>,
        duress_passphrase: Vec<u8>,
        actions: DuressActions,
    ) -> FfiResult<()> {
        Ok(self
            .inner
            .set_duress(&secret(current), &secret(duress_passphrase), actions.into())?)
    }

    /// Removes the duress passphrase and its decoy entries.
    #[uniffi::method(name = "clear_second_key")]
    pub fn clear_duress(&self, current: Vec<u8>) -> FfiResult<()> {
        Ok(self.inner.clear_duress(&secret(current))?)
    }

    /// Wipe the profile after `limit` failed unlocks in a row (null: never, the default).
    #[uniffi::method(name = "set_reset_after_failures")]
    pub fn set_wipe_after_failures(&self, current: Vec<u8>, limit: Option<u32>) -> FfiResult<()> {
        Ok(self
            .inner
            .set_wipe_after_failures(&secret(current), limit)?)
    }

    /// Failed unlocks so far and the wipe limit.
    pub fn lockout(&self) -> FfiResult<LockoutInfo> {
        let l = self.inner.lockout()?;
        Ok(LockoutInfo {
            failed_attempts: l.failed,
            wipe_after: l.wipe_after,
        })
    }

    /// Writes an encrypted backup to `path` under `backup_passphrase` (null:
    /// the journal's own passphrase).
    pub fn export_backup(
        &self,
        current: Vec<u8>,
        backup_passphrase: Option<Vec<u8>>,
        path: String,
    ) -> FfiResult<()> {
        let backup = backup_passphrase.map(secret);
        Ok(self.inner.export_backup(
            &secret(current),
            backup.as_ref().map(|b| b.as_slice()),
            std::path::Path::new(&path),
        )?)
    }

    /// Replaces the journal with a backup (checked completely first; on any
    /// error the journal is untouched). Afterwards it is locked and opens with
    /// `journal_passphrase`.
    pub fn import_backup(
        &self,
        path: String,
        backup_passphrase: Vec<u8>,
        journal_passphrase: Vec<u8>,
    ) -> FfiResult<()> {
        Ok(self.inner.import_backup(
            std::path::Path::new(&path),
            &secret(backup_passphrase),
            &secret(journal_passphrase),
        )?)
    }

    /// An HTML evidence bundle of the chosen entries (plaintext: the user
    /// decides where it goes).
    #[uniffi::method(name = "export_html")]
    pub fn evidence_bundle(&self, ids: Vec<String>) -> FfiResult<String> {
        Ok(self.inner.evidence_bundle(&ids)?.to_string())
    }

    /// Wipes the whole profile (journal, contacts, alerts, settings, keys).
    /// Open the profile again afterwards.
    #[uniffi::method(name = "reset")]
    pub fn wipe(&self) -> FfiResult<()> {
        Ok(self.inner.wipe()?)
    }
}

/// Makes the journal of a profile.
pub(crate) fn journal_for(profile: Arc<parasol_core::profile::Profile>) -> Arc<Journal> {
    Arc::new(Journal {
        inner: Arc::new(core::Journal::new(profile)),
    })
}
