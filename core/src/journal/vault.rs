//! One vault (the journal or a duress decoy) once its data key is known: the
//! keys derived from it, sealing and opening records (format 2), the chain
//! head, and attachment chunks.
//!
//! Rows carry no plaintext metadata. A vault recognises its records because
//! their summaries open under its key (bound to the row id); nobody without a
//! key can tell which vault a row belongs to, or whether it is a cover row.

use super::kdf;
use super::padding::{value_padded_len, CHUNK_PADDED};
use super::record::{Detail, Summary};
use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The record format this build writes (the byte in every context).
pub const RECORD_FORMAT: u8 = 2;

/// The keys of one unlocked vault. Dropping it wipes them.
pub struct VaultKeys {
    /// The data key: seals records, chunks and the head.
    pub dek: SecretKey,
    /// Derives record, chunk and cover ids.
    k_id: SecretKey,
    /// Derives the owner tags of format-1 rows (read only by the upgrade).
    k_owner: SecretKey,
    /// The vault id from the header.
    pub vault_id: [u8; 16],
}

impl std::fmt::Debug for VaultKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VaultKeys(<redacted>)")
    }
}

/// The chain head and the vault's own bookkeeping, sealed in its slot row.
#[derive(Clone)]
pub struct Head {
    /// Records appended to the chain so far.
    pub count: u64,
    /// Hash of the record at position `count` (the genesis value when empty).
    pub last_hash: [u8; 32],
    /// Row id of the record at position `count` (zeros when empty).
    pub last_record_id: [u8; 16],
    /// What the chain continues from: zeros for a new journal, the previous
    /// chain's last hash after a re-encryption, an upgrade or an import.
    pub base: [u8; 32],
    /// Cover rows this vault owns in `journal_records` (ids 0..n).
    pub cover_rows: u32,
    /// Cover chunks this vault owns in `journal_chunks` (ids 0..n).
    pub cover_chunks: u32,
    /// The data key of the duress vault this vault created, if any.
    pub child: Option<SecretKey>,
}

impl std::fmt::Debug for Head {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Head")
            .field("count", &self.count)
            .field("cover_rows", &self.cover_rows)
            .field("cover_chunks", &self.cover_chunks)
            .finish_non_exhaustive()
    }
}

/// Length of a format-2 head's plaintext.
pub const HEAD_LEN: usize = 1 + 8 + 32 + 16 + 32 + 4 + 4 + 1 + 32;

/// A head as stored: format 2, or a format-1 head awaiting the upgrade.
#[derive(Debug)]
pub enum StoredHead {
    /// Format 2.
    Current(Head),
    /// Format 1: count and last hash only.
    Legacy {
        /// Records appended.
        count: u64,
        /// Newest hash.
        last_hash: [u8; 32],
    },
}

/// SHA-256.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The hash of a format-2 record: SHA-256 of u32 summary length, summary, detail.
pub fn record_hash(summary: &[u8], detail: &[u8]) -> [u8; 32] {
    Sha256::new()
        .chain_update((summary.len() as u32).to_le_bytes())
        .chain_update(summary)
        .chain_update(detail)
        .finalize()
        .into()
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

    /// The id of this vault's cover row number `k`.
    pub fn cover_record_id(&self, k: u64) -> [u8; 16] {
        kdf::prf(&self.k_id, &[b"cover", &k.to_le_bytes()])
    }

    /// The id of this vault's cover chunk number `k`.
    pub fn cover_chunk_id(&self, k: u64) -> [u8; 16] {
        kdf::prf(&self.k_id, &[b"cover-chunk", &k.to_le_bytes()])
    }

    /// The format-1 owner tag of a row id.
    pub fn owner(&self, row_id: &[u8; 16]) -> [u8; 16] {
        kdf::prf(&self.k_owner, &[b"owner", row_id])
    }

    /// The first `prev` of the chain that continues from `base`.
    pub fn genesis(&self, base: &[u8; 32]) -> [u8; 32] {
        Sha256::new()
            .chain_update(b"parasol-journal-chain-v2")
            .chain_update(self.vault_id)
            .chain_update(base)
            .finalize()
            .into()
    }

    fn context(&self, label: &[u8], id: &[u8]) -> Vec<u8> {
        let mut ctx = Vec::with_capacity(label.len() + 1 + 16 + id.len());
        ctx.extend_from_slice(label);
        ctx.push(RECORD_FORMAT);
        ctx.extend_from_slice(&self.vault_id);
        ctx.extend_from_slice(id);
        ctx
    }

    fn seal_json<T: serde::Serialize>(
        &self,
        label: &[u8],
        id: &[u8],
        value: &T,
    ) -> Result<Vec<u8>> {
        let json = Zeroizing::new(serde_json::to_vec(value)?);
        crypto::seal_padded(
            &self.dek,
            &self.context(label, id),
            &json,
            value_padded_len(json.len()),
        )
    }

    /// Seals a record: (summary, detail, hash).
    pub fn seal_record(
        &self,
        record_id: &[u8; 16],
        summary: &Summary,
        detail: &Detail,
    ) -> Result<(Vec<u8>, Vec<u8>, [u8; 32])> {
        let s = self.seal_json(b"journal-summary", record_id, summary)?;
        let d = self.seal_json(b"journal-detail", record_id, detail)?;
        let hash = record_hash(&s, &d);
        Ok((s, d, hash))
    }

    /// Opens a summary and checks that its entry id and version are the ones
    /// its row id was derived from. `Ok(None)`: the row is not this vault's
    /// (another vault's, cover, or damaged beyond recognition); an error: it
    /// opens but is not what its row claims. `buf` is a reusable scratch buffer.
    pub fn open_summary(
        &self,
        record_id: &[u8; 16],
        sealed: &[u8],
        buf: &mut Zeroizing<Vec<u8>>,
    ) -> Result<Option<Summary>> {
        let Ok(range) = crypto::open_into(
            &self.dek,
            &self.context(b"journal-summary", record_id),
            sealed,
            buf,
        ) else {
            return Ok(None);
        };
        let summary: Summary = serde_json::from_slice(&buf[range])
            .map_err(|_| Error::Crypto("journal record has a bad encoding".into()))?;
        if &self.record_id(&summary.entry_id_bytes()?, summary.version) != record_id {
            return Err(Error::Crypto(
                "journal record is not the one its row claims to hold".into(),
            ));
        }
        Ok(Some(summary))
    }

    /// [`VaultKeys::open_detail`], decrypting inside `sealed` itself (the
    /// caller wipes it).
    pub fn open_detail_in_place(&self, record_id: &[u8; 16], sealed: &mut [u8]) -> Result<Detail> {
        let range = crypto::open_in_place(
            &self.dek,
            &self.context(b"journal-detail", record_id),
            sealed,
        )
        .map_err(|_| Error::Crypto("an entry failed authentication (damaged or altered)".into()))?;
        serde_json::from_slice(&sealed[range])
            .map_err(|_| Error::Crypto("journal record has a bad encoding".into()))
    }

    /// Opens a detail. `buf` is a reusable scratch buffer.
    pub fn open_detail(
        &self,
        record_id: &[u8; 16],
        sealed: &[u8],
        buf: &mut Zeroizing<Vec<u8>>,
    ) -> Result<Detail> {
        let range = crypto::open_into(
            &self.dek,
            &self.context(b"journal-detail", record_id),
            sealed,
            buf,
        )
        .map_err(|_| Error::Crypto("an entry failed authentication (damaged or altered)".into()))?;
        serde_json::from_slice(&buf[range])
            .map_err(|_| Error::Crypto("journal record has a bad encoding".into()))
    }

    /// Seals a head (format 2).
    pub fn seal_head(&self, head: &Head) -> Result<Vec<u8>> {
        let mut plain = Zeroizing::new(Vec::with_capacity(HEAD_LEN));
        plain.push(RECORD_FORMAT);
        plain.extend_from_slice(&head.count.to_le_bytes());
        plain.extend_from_slice(&head.last_hash);
        plain.extend_from_slice(&head.last_record_id);
        plain.extend_from_slice(&head.base);
        plain.extend_from_slice(&head.cover_rows.to_le_bytes());
        plain.extend_from_slice(&head.cover_chunks.to_le_bytes());
        match &head.child {
            Some(k) => {
                plain.push(1);
                plain.extend_from_slice(k.expose());
            }
            None => {
                plain.push(0);
                plain.extend_from_slice(&[0u8; 32]);
            }
        }
        crypto::seal(&self.dek, &self.context(b"journal-head", &[]), &plain)
    }

    /// Opens a head of either format.
    pub fn open_head(&self, sealed: &[u8]) -> Result<StoredHead> {
        let bad = || Error::Crypto("journal chain head failed authentication".into());
        if let Ok(plain) = crypto::open(&self.dek, &self.context(b"journal-head", &[]), sealed) {
            if plain.len() != HEAD_LEN || plain[0] != RECORD_FORMAT || plain[97] > 1 {
                return Err(Error::Crypto("journal chain head has a bad size".into()));
            }
            let u64_at = |i: usize| {
                let mut b = [0u8; 8];
                b.copy_from_slice(&plain[i..i + 8]);
                u64::from_le_bytes(b)
            };
            let u32_at = |i: usize| {
                let mut b = [0u8; 4];
                b.copy_from_slice(&plain[i..i + 4]);
                u32::from_le_bytes(b)
            };
            let mut head = Head {
                count: u64_at(1),
                last_hash: [0; 32],
                last_record_id: [0; 16],
                base: [0; 32],
                cover_rows: u32_at(89),
                cover_chunks: u32_at(93),
                child: None,
            };
            head.last_hash.copy_from_slice(&plain[9..41]);
            head.last_record_id.copy_from_slice(&plain[41..57]);
            head.base.copy_from_slice(&plain[57..89]);
            if plain[97] == 1 {
                head.child = SecretKey::from_slice(&plain[98..130]);
            }
            return Ok(StoredHead::Current(head));
        }
        let legacy = super::legacy::open_head(self, sealed).map_err(|_| bad())?;
        Ok(StoredHead::Legacy {
            count: legacy.0,
            last_hash: legacy.1,
        })
    }

    /// A new, empty head continuing from `base`.
    pub fn empty_head(&self, base: [u8; 32]) -> Head {
        Head {
            count: 0,
            last_hash: self.genesis(&base),
            last_record_id: [0; 16],
            base,
            cover_rows: 0,
            cover_chunks: 0,
            child: None,
        }
    }

    fn chunk_context(
        &self,
        chunk_id: &[u8; 16],
        att: &[u8; 16],
        index: u32,
        count: u32,
    ) -> Vec<u8> {
        let mut id = Vec::with_capacity(40);
        id.extend_from_slice(chunk_id);
        id.extend_from_slice(att);
        id.extend_from_slice(&index.to_le_bytes());
        id.extend_from_slice(&count.to_le_bytes());
        self.context(b"journal-chunk", &id)
    }

    /// Seals one attachment chunk, padded to exactly 64 KiB.
    pub fn seal_chunk(
        &self,
        attachment_id: &[u8; 16],
        index: u32,
        count: u32,
        data: &[u8],
    ) -> Result<([u8; 16], Vec<u8>)> {
        let chunk_id = self.chunk_id(attachment_id, index);
        let ctx = self.chunk_context(&chunk_id, attachment_id, index, count);
        Ok((
            chunk_id,
            crypto::seal_padded(&self.dek, &ctx, data, CHUNK_PADDED)?,
        ))
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
}
