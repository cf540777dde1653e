//! One vault (the journal or its decoy) once its data key is known: the keys
//! derived from it, sealing and opening records, the chain head, and reading
//! the vault's own rows out of tables that may also hold the other vault's.
//!
//! Rows carry no plaintext metadata. Each has an `owner` tag, a keyed PRF of
//! its id, so a vault recognises its rows while nobody without a key can tell
//! which vault a row belongs to.

use super::entry::RecordBody;
use super::kdf;
use super::slots::FORMAT_VERSION;
use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The keys of one unlocked vault. Dropping it wipes them.
pub struct VaultKeys {
    /// The data key: seals records, chunks and the head.
    pub dek: SecretKey,
    /// Derives record and chunk ids.
    k_id: SecretKey,
    /// Derives owner tags.
    k_owner: SecretKey,
    /// The vault id from the header.
    pub vault_id: [u8; 16],
}

impl std::fmt::Debug for VaultKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKeys(<redacted>)")
    }
}

/// A vault's row in `journal_records`.
#[derive(Debug, Clone)]
pub struct Row {
    /// Global order of appends (all vaults).
    pub seq: i64,
    /// Record id (PRF of entry id and version).
    pub record_id: [u8; 16],
    /// SHA-256 of the sealed record (kept after the ciphertext is destroyed).
    pub hash: [u8; 32],
    /// The sealed record; `None` once deleted.
    pub sealed: Option<Vec<u8>>,
}

/// The chain head of a vault: how many records, and the newest one's hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Records appended so far.
    pub count: u64,
    /// Hash of the newest record (the genesis value when empty).
    pub last_hash: [u8; 32],
}

impl VaultKeys {
    /// Derives the subkeys from a data key.
    pub fn new(dek: SecretKey, vault_id: [u8; 16]) -> Result<Self> {
        let k_id = kdf::hkdf(&vault_id, dek.expose(), &[b"parasol-journal-id-v1"])?;
        let k_owner = kdf::hkdf(&vault_id, dek.expose(), &[b"parasol-journal-owner-v1"])?;
        Ok(VaultKeys {
            dek,
            k_id,
            k_owner,
            vault_id,
        })
    }

    /// The record id of `version` of `entry_id` (`u32::MAX`: its tombstone).
    pub fn record_id(&self, entry_id: &[u8; 16], version: u32) -> [u8; 16] {
        kdf::prf(&self.k_id, &[b"record", entry_id, &version.to_le_bytes()])
    }

    /// The id of chunk `index` of an attachment.
    pub fn chunk_id(&self, attachment_id: &[u8; 16], index: u32) -> [u8; 16] {
        kdf::prf(&self.k_id, &[b"chunk", attachment_id, &index.to_le_bytes()])
    }

    /// The owner tag of a row id.
    pub fn owner(&self, row_id: &[u8; 16]) -> [u8; 16] {
        kdf::prf(&self.k_owner, &[b"owner", row_id])
    }

    /// The first `prev` of the chain.
    pub fn genesis(&self) -> [u8; 32] {
        Sha256::new()
            .chain_update(b"parasol-journal-chain-v1")
            .chain_update(self.vault_id)
            .finalize()
            .into()
    }

    fn record_context(&self, record_id: &[u8; 16]) -> Vec<u8> {
        let mut ctx = b"journal-record".to_vec();
        ctx.push(FORMAT_VERSION);
        ctx.extend_from_slice(&self.vault_id);
        ctx.extend_from_slice(record_id);
        ctx
    }

    /// Seals a record body; returns (record id, sealed bytes, hash).
    pub fn seal_record(&self, body: &RecordBody) -> Result<([u8; 16], Vec<u8>, [u8; 32])> {
        let entry_id = super::entry::parse_id(body.entry_id())?;
        let record_id = self.record_id(&entry_id, body.version());
        let json = Zeroizing::new(serde_json::to_vec(body)?);
        let sealed = crypto::seal(&self.dek, &self.record_context(&record_id), &json)?;
        let hash = sha256(&sealed);
        Ok((record_id, sealed, hash))
    }

    /// Opens a sealed record and checks that its entry id and version are the
    /// ones its row id was derived from.
    pub fn open_record(&self, record_id: &[u8; 16], sealed: &[u8]) -> Result<RecordBody> {
        let json = crypto::open(&self.dek, &self.record_context(record_id), sealed)?;
        let body: RecordBody = serde_json::from_slice(&json)
            .map_err(|_| Error::Crypto("journal record has a bad encoding".into()))?;
        let entry_id = super::entry::parse_id(body.entry_id())
            .map_err(|_| Error::Crypto("journal record has a bad entry id".into()))?;
        if &self.record_id(&entry_id, body.version()) != record_id {
            return Err(Error::Crypto(
                "journal record is not the one its row claims to hold".into(),
            ));
        }
        Ok(body)
    }

    fn head_context(&self) -> Vec<u8> {
        let mut ctx = b"journal-head".to_vec();
        ctx.push(FORMAT_VERSION);
        ctx.extend_from_slice(&self.vault_id);
        ctx
    }

    /// Seals a head.
    pub fn seal_head(&self, head: &Head) -> Result<Vec<u8>> {
        let mut plain = Vec::with_capacity(40);
        plain.extend_from_slice(&head.count.to_le_bytes());
        plain.extend_from_slice(&head.last_hash);
        crypto::seal(&self.dek, &self.head_context(), &plain)
    }

    /// Opens a head.
    pub fn open_head(&self, sealed: &[u8]) -> Result<Head> {
        let plain = crypto::open(&self.dek, &self.head_context(), sealed)
            .map_err(|_| Error::Crypto("journal chain head failed authentication".into()))?;
        if plain.len() != 40 {
            return Err(Error::Crypto("journal chain head has a bad size".into()));
        }
        let mut count = [0u8; 8];
        count.copy_from_slice(&plain[..8]);
        let mut last_hash = [0u8; 32];
        last_hash.copy_from_slice(&plain[8..40]);
        Ok(Head {
            count: u64::from_le_bytes(count),
            last_hash,
        })
    }

    /// An empty head.
    pub fn empty_head(&self) -> Head {
        Head {
            count: 0,
            last_hash: self.genesis(),
        }
    }

    /// Seals one attachment chunk.
    pub fn seal_chunk(
        &self,
        attachment_id: &[u8; 16],
        index: u32,
        count: u32,
        data: &[u8],
    ) -> Result<([u8; 16], Vec<u8>)> {
        let chunk_id = self.chunk_id(attachment_id, index);
        let ctx = self.chunk_context(&chunk_id, attachment_id, index, count);
        Ok((chunk_id, crypto::seal(&self.dek, &ctx, data)?))
    }

    /// Opens one attachment chunk.
    pub fn open_chunk(
        &self,
        attachment_id: &[u8; 16],
        index: u32,
        count: u32,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>> {
        let chunk_id = self.chunk_id(attachment_id, index);
        let ctx = self.chunk_context(&chunk_id, attachment_id, index, count);
        crypto::open(&self.dek, &ctx, sealed)
            .map_err(|_| Error::Crypto(format!("attachment chunk {index} failed authentication")))
    }

    fn chunk_context(
        &self,
        chunk_id: &[u8; 16],
        att: &[u8; 16],
        index: u32,
        count: u32,
    ) -> Vec<u8> {
        let mut ctx = b"journal-chunk".to_vec();
        ctx.push(FORMAT_VERSION);
        ctx.extend_from_slice(&self.vault_id);
        ctx.extend_from_slice(chunk_id);
        ctx.extend_from_slice(att);
        ctx.extend_from_slice(&index.to_le_bytes());
        ctx.extend_from_slice(&count.to_le_bytes());
        ctx
    }
}

/// SHA-256.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn array<const N: usize>(v: Vec<u8>, what: &str) -> Result<[u8; N]> {
    v.try_into()
        .map_err(|_| Error::Corrupt(format!("journal {what} has a bad size")))
}

/// Every row of the table, in append order (used by backup and tests).
pub fn all_rows(conn: &Connection) -> Result<Vec<(Row, [u8; 16])>> {
    let mut stmt = conn
        .prepare("SELECT seq, record_id, hash, sealed, owner FROM journal_records ORDER BY seq")?;
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
        out.push((
            Row {
                seq,
                record_id: array(id, "record id")?,
                hash: array(hash, "record hash")?,
                sealed,
            },
            array(owner, "owner tag")?,
        ));
    }
    Ok(out)
}

/// The vault's own rows, in append order.
pub fn own_rows(conn: &Connection, keys: &VaultKeys) -> Result<Vec<Row>> {
    Ok(all_rows(conn)?
        .into_iter()
        .filter(|(row, owner)| keys.owner(&row.record_id) == *owner)
        .map(|(row, _)| row)
        .collect())
}

/// The row with `record_id`, if it exists and belongs to the vault.
pub fn row_by_id(conn: &Connection, keys: &VaultKeys, record_id: &[u8; 16]) -> Result<Option<Row>> {
    let found = conn
        .query_row(
            "SELECT seq, hash, sealed, owner FROM journal_records WHERE record_id = ?1",
            [&record_id[..]],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, Option<Vec<u8>>>(2)?,
                    r.get::<_, Vec<u8>>(3)?,
                ))
            },
        )
        .optional()?;
    match found {
        Some((seq, hash, sealed, owner)) if owner == keys.owner(record_id) => Ok(Some(Row {
            seq,
            record_id: *record_id,
            hash: array(hash, "record hash")?,
            sealed,
        })),
        _ => Ok(None),
    }
}

/// Reads and opens the head in `slot`.
pub fn read_head(conn: &Connection, keys: &VaultKeys, slot: usize) -> Result<Head> {
    let sealed: Vec<u8> = conn
        .query_row(
            "SELECT head FROM journal_slots WHERE slot = ?1",
            [slot as i64],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| Error::Corrupt("journal key slot is missing".into()))?;
    keys.open_head(&sealed)
}

/// Appends a record to the vault's chain (inside the caller's transaction):
/// links it to the head, inserts it, advances the head. Returns its hash.
pub fn append(
    conn: &Connection,
    keys: &VaultKeys,
    slot: usize,
    body: &mut RecordBody,
) -> Result<[u8; 32]> {
    let head = read_head(conn, keys, slot)?;
    let prev = hex::encode(head.last_hash);
    match body {
        RecordBody::Entry { prev: p, .. } | RecordBody::Tombstone { prev: p, .. } => *p = prev,
    }
    let (record_id, sealed, hash) = keys.seal_record(body)?;
    let seq: i64 = conn.query_row(
        "SELECT IFNULL(MAX(seq), 0) + 1 FROM journal_records",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO journal_records(seq, record_id, owner, hash, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![seq, &record_id[..], &keys.owner(&record_id)[..], &hash[..], sealed],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Error::Corrupt("journal record already exists".into())
        }
        other => other.into(),
    })?;
    let new_head = Head {
        count: head.count + 1,
        last_hash: hash,
    };
    conn.execute(
        "UPDATE journal_slots SET head = ?1 WHERE slot = ?2",
        rusqlite::params![keys.seal_head(&new_head)?, slot as i64],
    )?;
    Ok(hash)
}
