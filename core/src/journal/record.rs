//! The plaintext of a record (format 2): a *summary* (what a list screen
//! shows, plus the chain position) and a *detail* (the chain link, body,
//! incident fields, attachments), sealed separately so that listing titles never decrypts a
//! body. Both are JSON objects whose keys are always all present; they decode
//! straight into these structs (no intermediate buffer).

use super::entry::{parse_id, AttachmentInfo, Entry, EntryKind, EntrySummary, Incident};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// The version of a tombstone (an entry's deletion).
pub const TOMBSTONE_VERSION: u32 = u32::MAX;

/// What a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordType {
    /// One version of an entry.
    Entry,
    /// The deletion of an entry.
    Tombstone,
}

/// A record removed from the chain by a deletion, as its tombstone lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
#[serde(deny_unknown_fields)]
pub struct Removed {
    /// Its chain position.
    pub n: u64,
    /// Its row id (hex).
    pub record_id: String,
    /// Its record hash (hex).
    pub hash: String,
}

/// The sealed summary of a record.
#[derive(Clone, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// Entry version or tombstone.
    #[serde(rename = "type")]
    #[zeroize(skip)]
    pub record_type: RecordType,
    /// Position in the vault's chain, from 1.
    pub n: u64,
    /// The entry (hex).
    pub entry_id: String,
    /// Entry version (`u32::MAX` for a tombstone).
    pub version: u32,
    /// When the entry was first written (a tombstone: when it was deleted).
    #[zeroize(skip)]
    pub created_at: DateTime<Utc>,
    /// When this record was written.
    #[zeroize(skip)]
    pub at: DateTime<Utc>,
    /// Note or incident (null for a tombstone).
    #[zeroize(skip)]
    pub kind: Option<EntryKind>,
    /// Title (empty for a tombstone).
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Number of attachments.
    pub attachments: u32,
    /// Records removed by this deletion (empty for an entry version).
    pub removed: Vec<Removed>,
}

impl std::fmt::Debug for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Summary")
            .field("type", &self.record_type)
            .field("n", &self.n)
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

/// The sealed detail of a record.
#[derive(Default, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(deny_unknown_fields)]
pub struct Detail {
    /// Hash of the record at position `n - 1` (hex; the genesis value at 1).
    pub prev: String,
    /// Free text.
    pub body: String,
    /// Incident fields (null for a note).
    pub incident: Option<Incident>,
    /// Attachments.
    pub attachments: Vec<AttachmentInfo>,
}

impl Summary {
    /// The entry id as bytes, checked.
    pub fn entry_id_bytes(&self) -> Result<[u8; 16]> {
        parse_id(&self.entry_id)
            .map_err(|_| Error::Crypto("journal record has a bad entry id".into()))
    }

    /// The list-screen view of an entry version.
    pub fn to_entry_summary(&self) -> EntrySummary {
        EntrySummary {
            id: self.entry_id.clone(),
            version: self.version,
            kind: self.kind.unwrap_or(EntryKind::Note),
            title: self.title.clone(),
            tags: self.tags.clone(),
            attachments: self.attachments,
            created_at: self.created_at,
            updated_at: self.at,
        }
    }

    /// The whole entry, given its detail and record hash.
    pub fn to_entry(&self, detail: &Detail, record_hash: &[u8; 32]) -> Entry {
        Entry {
            id: self.entry_id.clone(),
            version: self.version,
            kind: self.kind.unwrap_or(EntryKind::Note),
            title: self.title.clone(),
            body: detail.body.clone(),
            incident: detail.incident.clone(),
            tags: self.tags.clone(),
            attachments: detail.attachments.clone(),
            created_at: self.created_at,
            updated_at: self.at,
            record_hash: hex::encode(record_hash),
            prev_hash: detail.prev.clone(),
        }
    }
}

/// An entry version in the clear: what re-encryption, upgrade and import
/// carry from one chain to the next.
pub type PlainRecord = (Summary, Detail);

/// Parses a 64-hex-digit hash.
pub fn parse_hash(s: &str) -> Result<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out)
        .map_err(|_| Error::Crypto("journal record has a bad hash".into()))?;
    Ok(out)
}
