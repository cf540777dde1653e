//! Format 1, read only: the records, heads and chunks that journals written
//! before format 2 hold, so that [`super::upgrade`] can convert them and old
//! backups still import. Nothing here writes.
//!
//! Format 1 in short: one JSON record per row (an internally tagged entry or
//! tombstone), sealed with context "journal-record" || 0x01 || vault id ||
//! row id; rows ordered by `seq`, recognised by an owner tag; deleted rows kept
//! with a NULL ciphertext; a 40-byte head (count, last hash).

use super::entry::{AttachmentInfo, EntryKind, Incident};
use super::record::{Detail, PlainRecord, RecordType, Summary};
use super::vault::{sha256, VaultKeys};
use crate::crypto;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

const FORMAT: u8 = 1;

/// The plaintext of a format-1 record.
// Short-lived (one per record being read): boxing would only complicate zeroizing.
#[allow(clippy::large_enum_variant)]
#[derive(Deserialize, Zeroize, ZeroizeOnDrop)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum LegacyBody {
    /// One version of an entry.
    Entry {
        /// Entry id (hex).
        entry_id: String,
        /// Entry version.
        version: u32,
        /// Hash of the previous record (hex).
        prev: String,
        /// First written.
        #[zeroize(skip)]
        created_at: DateTime<Utc>,
        /// This version written.
        #[zeroize(skip)]
        at: DateTime<Utc>,
        /// Note or incident.
        #[zeroize(skip)]
        kind: EntryKind,
        /// Title.
        title: String,
        /// Body.
        body: String,
        /// Incident fields.
        incident: Option<Incident>,
        /// Tags.
        tags: Vec<String>,
        /// Attachments.
        attachments: Vec<AttachmentInfo>,
    },
    /// A deletion.
    Tombstone {
        /// Entry id (hex).
        entry_id: String,
        /// Always `u32::MAX`.
        version: u32,
        /// Hash of the previous record (hex).
        prev: String,
        /// When.
        #[zeroize(skip)]
        at: DateTime<Utc>,
        /// Row ids (hex) emptied.
        shredded: Vec<String>,
    },
}

impl LegacyBody {
    fn ids(&self) -> (&str, u32, &str) {
        match self {
            LegacyBody::Entry {
                entry_id,
                version,
                prev,
                ..
            }
            | LegacyBody::Tombstone {
                entry_id,
                version,
                prev,
                ..
            } => (entry_id, *version, prev),
        }
    }

    /// An entry version as a format-2 summary and detail (chain fields left
    /// for the new chain to fill in); `None` for a tombstone.
    pub fn to_current(&self) -> Option<(Summary, Detail)> {
        match self {
            LegacyBody::Entry {
                entry_id,
                version,
                created_at,
                at,
                kind,
                title,
                body,
                incident,
                tags,
                attachments,
                ..
            } => Some((
                Summary {
                    record_type: RecordType::Entry,
                    n: 0,
                    entry_id: entry_id.clone(),
                    version: *version,
                    created_at: *created_at,
                    at: *at,
                    kind: Some(*kind),
                    title: title.clone(),
                    tags: tags.clone(),
                    attachments: attachments.len() as u32,
                    removed: Vec::new(),
                },
                Detail {
                    prev: String::new(),
                    body: body.clone(),
                    incident: incident.clone(),
                    attachments: attachments.clone(),
                },
            )),
            LegacyBody::Tombstone { .. } => None,
        }
    }
}

fn context(keys: &VaultKeys, label: &[u8], id: &[u8]) -> Vec<u8> {
    let mut ctx = label.to_vec();
    ctx.push(FORMAT);
    ctx.extend_from_slice(&keys.vault_id);
    ctx.extend_from_slice(id);
    ctx
}

/// Opens a format-1 record and checks its binding to the row id.
pub fn open_record(keys: &VaultKeys, record_id: &[u8; 16], sealed: &[u8]) -> Result<LegacyBody> {
    let json = crypto::open(
        &keys.dek,
        &context(keys, b"journal-record", record_id),
        sealed,
    )?;
    let body: LegacyBody = serde_json::from_slice(&json)
        .map_err(|_| Error::Crypto("journal record has a bad encoding".into()))?;
    let (entry_id, version, _) = body.ids();
    let entry_id = super::entry::parse_id(entry_id)
        .map_err(|_| Error::Crypto("journal record has a bad entry id".into()))?;
    if &keys.record_id(&entry_id, version) != record_id {
        return Err(Error::Crypto(
            "journal record is not the one its row claims to hold".into(),
        ));
    }
    Ok(body)
}

/// Opens a format-1 head: (count, last hash).
pub fn open_head(keys: &VaultKeys, sealed: &[u8]) -> Result<(u64, [u8; 32])> {
    let plain = crypto::open(&keys.dek, &context(keys, b"journal-head", &[]), sealed)?;
    if plain.len() != 40 {
        return Err(Error::Crypto("journal chain head has a bad size".into()));
    }
    let mut count = [0u8; 8];
    count.copy_from_slice(&plain[..8]);
    let mut last = [0u8; 32];
    last.copy_from_slice(&plain[8..40]);
    Ok((u64::from_le_bytes(count), last))
}

/// Opens a format-1 attachment chunk.
pub fn open_chunk(
    keys: &VaultKeys,
    attachment_id: &[u8; 16],
    index: u32,
    count: u32,
    sealed: &[u8],
) -> Result<Zeroizing<Vec<u8>>> {
    let chunk_id = keys.chunk_id(attachment_id, index);
    let mut id = chunk_id.to_vec();
    id.extend_from_slice(attachment_id);
    id.extend_from_slice(&index.to_le_bytes());
    id.extend_from_slice(&count.to_le_bytes());
    crypto::open(&keys.dek, &context(keys, b"journal-chunk", &id), sealed)
        .map_err(|_| Error::Crypto(format!("attachment chunk {index} failed authentication")))
}

/// A format-1 row.
#[derive(Debug, Clone)]
pub struct LegacyRow {
    /// Append order.
    pub seq: i64,
    /// Row id.
    pub record_id: [u8; 16],
    /// SHA-256 of the sealed record.
    pub hash: [u8; 32],
    /// The sealed record; `None` once deleted.
    pub sealed: Option<Vec<u8>>,
    /// Owner tag.
    pub owner: [u8; 16],
}

fn array<const N: usize>(v: Vec<u8>) -> Result<[u8; N]> {
    v.try_into()
        .map_err(|_| Error::Corrupt("journal row has a bad size".into()))
}

/// Every format-1 row of `journal_records` (those without a summary), by `seq`.
pub fn all_rows(conn: &Connection) -> Result<Vec<LegacyRow>> {
    let mut stmt = conn.prepare(
        "SELECT seq, record_id, hash, sealed, owner FROM journal_records
         WHERE summary IS NULL ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, Vec<u8>>(1)?,
            r.get::<_, Vec<u8>>(2)?,
            r.get::<_, Option<Vec<u8>>>(3)?,
            r.get::<_, Vec<u8>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, id, hash, sealed, owner) = row?;
        out.push(LegacyRow {
            seq,
            record_id: array(id)?,
            hash: array(hash)?,
            sealed,
            owner: array(owner)?,
        });
    }
    Ok(out)
}

/// The format-1 rows that belong to `keys`' vault, by `seq`.
pub fn own_rows(conn: &Connection, keys: &VaultKeys) -> Result<Vec<LegacyRow>> {
    Ok(all_rows(conn)?
        .into_iter()
        .filter(|r| keys.owner(&r.record_id) == r.owner)
        .collect())
}

/// Checks a format-1 chain (the rules of format 1: links, emptied rows
/// listed by a tombstone, head count and hash). Returns the reason it breaks.
pub fn verify(keys: &VaultKeys, rows: &[LegacyRow], count: u64, last: &[u8; 32]) -> Result<()> {
    let broken = |why: String| {
        Err(Error::Crypto(format!(
            "the format-1 chain is broken: {why}"
        )))
    };
    let mut expected: [u8; 32] = Sha256::new()
        .chain_update(b"parasol-journal-chain-v1")
        .chain_update(keys.vault_id)
        .finalize()
        .into();
    let mut emptied = Vec::new();
    let mut listed: HashSet<String> = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let position = i + 1;
        match &row.sealed {
            Some(sealed) => {
                if sha256(sealed) != row.hash {
                    return broken(format!("record {position} was altered"));
                }
                let body = open_record(keys, &row.record_id, sealed).map_err(|_| {
                    Error::Crypto(format!("format-1 record {position} failed authentication"))
                })?;
                if body.ids().2 != hex::encode(expected) {
                    return broken(format!("record {position} does not link to the one before"));
                }
                if let LegacyBody::Tombstone { shredded, .. } = &body {
                    listed.extend(shredded.iter().cloned());
                }
            }
            None => emptied.push((position, hex::encode(row.record_id))),
        }
        expected = row.hash;
    }
    for (position, id) in emptied {
        if !listed.contains(&id) {
            return broken(format!(
                "record {position} was emptied without a deletion record"
            ));
        }
    }
    if count != rows.len() as u64 {
        return broken(format!(
            "the head counts {count} records but {} are present",
            rows.len()
        ));
    }
    if &expected != last {
        return broken("the newest record is not the one the head names".into());
    }
    Ok(())
}

/// The entry versions of verified format-1 rows, in chain order.
pub fn entry_versions(keys: &VaultKeys, rows: &[LegacyRow]) -> Result<Vec<PlainRecord>> {
    let mut out = Vec::new();
    for row in rows {
        if let Some(sealed) = &row.sealed {
            if let Some(v) = open_record(keys, &row.record_id, sealed)?.to_current() {
                out.push(v);
            }
        }
    }
    Ok(out)
}
