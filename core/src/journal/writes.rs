//! Writing entries: add, update (a new version; older ones are kept),
//! delete (every version and attachment removed, a tombstone appended).
//! Each is one durable transaction that also advances the chain head and
//! adjusts the vault's cover rows.

use super::cover::{self, SizeSamples, Totals};
use super::entry::{parse_id, AttachmentInfo, EntryDraft, NewAttachment, MAX_ATTACHMENTS};
use super::index::SearchIndex;
use super::record::{Detail, RecordType, Removed, Summary, TOMBSTONE_VERSION};
use super::rows;
use super::vault::{record_hash, sha256, Head, StoredHead, VaultKeys};
use super::{Journal, Session, CHUNK_PLAINTEXT};
use crate::crypto::random_bytes;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::Connection;

/// The format-2 head of the vault in `slot`.
pub fn current_head(conn: &Connection, keys: &VaultKeys, slot: usize) -> Result<Head> {
    match keys.open_head(&rows::read_head_cell(conn, slot)?)? {
        StoredHead::Current(h) => Ok(h),
        StoredHead::Legacy { .. } => Err(Error::Corrupt(
            "this journal has not been upgraded yet: lock and unlock it again".into(),
        )),
    }
}

/// What an append gives back: row id, record hash, sealed sizes.
pub type Appended = ([u8; 16], [u8; 32], (u32, u32));

/// A write in progress (inside the caller's transaction): appends to the
/// chain, removes rows, and on [`Writer::finish`] adjusts the cover and
/// stores the head.
pub struct Writer<'a> {
    conn: &'a Connection,
    keys: &'a VaultKeys,
    slot: usize,
    /// The head as it will be stored.
    pub head: Head,
    /// Row counts of the tables.
    pub totals: Totals,
}

impl<'a> Writer<'a> {
    /// Starts a write on the vault in `slot` (`totals`: known row counts, if any).
    pub fn begin(
        conn: &'a Connection,
        keys: &'a VaultKeys,
        slot: usize,
        totals: Option<Totals>,
    ) -> Result<Self> {
        let head = current_head(conn, keys, slot)?;
        let totals = match totals {
            Some(t) => t,
            None => Totals::count(conn)?,
        };
        Ok(Writer {
            conn,
            keys,
            slot,
            head,
            totals,
        })
    }

    /// A writer over a head that is not stored yet (a re-encryption).
    pub fn over(
        conn: &'a Connection,
        keys: &'a VaultKeys,
        slot: usize,
        head: Head,
        totals: Totals,
    ) -> Self {
        Writer {
            conn,
            keys,
            slot,
            head,
            totals,
        }
    }

    /// The keys of the vault being written.
    pub fn keys(&self) -> &'a VaultKeys {
        self.keys
    }

    /// Appends a record to the chain: fills in its position and link, seals
    /// and stores it. Returns its row id, hash and sealed sizes.
    pub fn append(&mut self, summary: &mut Summary, detail: &mut Detail) -> Result<Appended> {
        summary.n = self.head.count + 1;
        detail.prev = hex::encode(self.head.last_hash);
        let record_id = self
            .keys
            .record_id(&summary.entry_id_bytes()?, summary.version);
        let (s, d, hash) = self.keys.seal_record(&record_id, summary, detail)?;
        rows::insert_record(self.conn, &record_id, &s, &d, &hash)?;
        self.head.count += 1;
        self.head.last_hash = hash;
        self.head.last_record_id = record_id;
        self.totals.records += 1;
        Ok((record_id, hash, (s.len() as u32, d.len() as u32)))
    }

    /// Removes a record row.
    pub fn remove_record(&mut self, record_id: &[u8; 16]) -> Result<()> {
        if rows::delete_record(self.conn, record_id)? {
            self.totals.records -= 1;
        }
        Ok(())
    }

    /// Removes a chunk.
    pub fn remove_chunk(&mut self, chunk_id: &[u8; 16]) -> Result<()> {
        if rows::delete_chunk(self.conn, chunk_id)? {
            self.totals.chunks -= 1;
        }
        Ok(())
    }

    /// Stores a sealed chunk.
    pub fn put_chunk(&mut self, chunk_id: &[u8; 16], sealed: &[u8]) -> Result<()> {
        rows::insert_chunk(self.conn, chunk_id, sealed)?;
        self.totals.chunks += 1;
        Ok(())
    }

    /// Seals and stores new attachments.
    pub fn store_attachments(&mut self, new: &[NewAttachment]) -> Result<Vec<AttachmentInfo>> {
        let mut infos = Vec::with_capacity(new.len());
        for a in new {
            let mut att_id = [0u8; 16];
            att_id.copy_from_slice(&random_bytes(16));
            let count = a.data.len().div_ceil(CHUNK_PLAINTEXT).max(1) as u32;
            for index in 0..count {
                let start = index as usize * CHUNK_PLAINTEXT;
                let end = (start + CHUNK_PLAINTEXT).min(a.data.len());
                let (chunk_id, sealed) =
                    self.keys
                        .seal_chunk(&att_id, index, count, &a.data[start..end])?;
                self.put_chunk(&chunk_id, &sealed)?;
            }
            infos.push(AttachmentInfo {
                id: hex::encode(att_id),
                name: a.name.clone(),
                mime: a.mime.clone(),
                size: a.data.len() as u64,
                chunks: count,
                sha256: hex::encode(sha256(&a.data)),
            });
        }
        Ok(infos)
    }

    /// Adjusts the cover (imitating `samples`) and stores the head.
    pub fn finish(mut self, samples: &SizeSamples) -> Result<(Head, Totals)> {
        cover::normalize(
            self.conn,
            self.keys,
            &mut self.head,
            &mut self.totals,
            samples,
        )?;
        rows::write_head_cell(self.conn, self.slot, &self.keys.seal_head(&self.head)?)?;
        Ok((self.head, self.totals))
    }
}

/// The summary of an entry version.
pub fn entry_summary(
    entry_id: &[u8; 16],
    version: u32,
    created_at: DateTime<Utc>,
    at: DateTime<Utc>,
    draft: &EntryDraft,
    attachments: u32,
) -> Summary {
    Summary {
        record_type: RecordType::Entry,
        n: 0,
        entry_id: hex::encode(entry_id),
        version,
        created_at,
        at,
        kind: Some(draft.kind),
        title: draft.title.clone(),
        tags: draft.tags.clone(),
        attachments,
        removed: Vec::new(),
    }
}

/// What a write returns to update the session.
struct Written {
    record_id: [u8; 16],
    hash: [u8; 32],
    sizes: (u32, u32),
    summary: Summary,
    detail: Detail,
    totals: Totals,
}

impl Journal {
    /// The time written into records: now, to the millisecond (what every
    /// reader shows; finer digits would only make summaries longer).
    fn now(&self) -> DateTime<Utc> {
        use chrono::SubsecRound;
        self.profile.clock().now().trunc_subsecs(3)
    }

    /// Runs a write transaction on the session's vault and brings the
    /// session's catalog, index and row counts up to date.
    fn write(
        &self,
        s: &mut Session,
        f: impl FnOnce(&mut Writer<'_>) -> Result<(Summary, Detail)>,
    ) -> Result<Written> {
        let samples = s.catalog()?.sizes.clone();
        let (keys, slot, totals) = (&s.keys, s.slot, s.totals);
        let result = self.profile.store().transaction(|tx| {
            let mut w = Writer::begin(tx, keys, slot, totals)?;
            let (mut summary, mut detail) = f(&mut w)?;
            let (record_id, hash, sizes) = w.append(&mut summary, &mut detail)?;
            let (_, totals) = w.finish(&samples)?;
            Ok(Written {
                record_id,
                hash,
                sizes,
                summary,
                detail,
                totals,
            })
        });
        match result {
            Ok(w) => {
                s.totals = Some(w.totals);
                s.catalog_mut()?.apply(w.record_id, &w.summary, w.sizes)?;
                update_index(&mut s.index, &w.summary, &w.detail, &w.hash);
                Ok(w)
            }
            Err(e) => {
                s.totals = None;
                Err(e)
            }
        }
    }

    /// Adds an entry; returns its id.
    pub fn add(&self, mut draft: EntryDraft) -> Result<String> {
        draft.validate()?;
        self.with_session(|s| {
            let mut id = [0u8; 16];
            id.copy_from_slice(&random_bytes(16));
            let now = self.now();
            self.write(s, |w| {
                let attachments = w.store_attachments(&draft.attachments)?;
                let summary = entry_summary(&id, 1, now, now, &draft, attachments.len() as u32);
                Ok((
                    summary,
                    Detail {
                        prev: String::new(),
                        body: draft.body.clone(),
                        incident: draft.incident.clone(),
                        attachments,
                    },
                ))
            })?;
            Ok(hex::encode(id))
        })
    }

    /// Writes a new version of an entry (older versions are kept). The
    /// draft's attachments are added to the existing ones. Returns the new version.
    pub fn update(&self, id: &str, mut draft: EntryDraft) -> Result<u32> {
        let entry_id = parse_id(id)?;
        draft.validate()?;
        self.with_session(|s| {
            let now = self.now();
            let (latest, created_at) = {
                let e = s.catalog()?.entry(&entry_id)?;
                let latest = *e
                    .versions
                    .last()
                    .ok_or_else(|| Error::Internal("no version".into()))?;
                (latest, e.summary.created_at)
            };
            if latest.version + 1 == TOMBSTONE_VERSION {
                return Err(Error::invalid("this entry has too many versions"));
            }
            let keys = &s.keys;
            let old = self
                .profile
                .store()
                .with(|c| super::reads::open_detail(c, keys, &latest.record_id))?;
            let w = self.write(s, |w| {
                let mut attachments = old.attachments.clone();
                if attachments.len() + draft.attachments.len() > MAX_ATTACHMENTS {
                    return Err(Error::invalid(format!(
                        "more than {MAX_ATTACHMENTS} attachments"
                    )));
                }
                attachments.extend(w.store_attachments(&draft.attachments)?);
                let summary = entry_summary(
                    &entry_id,
                    latest.version + 1,
                    created_at,
                    now,
                    &draft,
                    attachments.len() as u32,
                );
                Ok((
                    summary,
                    Detail {
                        prev: String::new(),
                        body: draft.body.clone(),
                        incident: draft.incident.clone(),
                        attachments,
                    },
                ))
            })?;
            Ok(w.summary.version)
        })
    }

    /// Deletes an entry: every version's record and its attachments are
    /// removed (secure delete, then a WAL checkpoint), and a tombstone listing
    /// them is appended to the chain so the gap is accounted for.
    pub fn delete(&self, id: &str) -> Result<()> {
        let entry_id = parse_id(id)?;
        self.with_session(|s| {
            let versions = s.catalog()?.entry(&entry_id)?.versions.clone();
            let now = self.now();
            let keys = &s.keys;
            // What the deletion removes: every version, every chunk they name.
            let (removed, chunks) = self.profile.store().with(|c| {
                let mut removed = Vec::with_capacity(versions.len());
                let mut chunks = Vec::new();
                for v in &versions {
                    let (sum, det, _) = rows::fetch_record(c, &v.record_id)?.ok_or_else(|| {
                        Error::Crypto("an entry version is missing; run verify".into())
                    })?;
                    let detail = keys.open_detail(
                        &v.record_id,
                        &det,
                        &mut zeroize::Zeroizing::new(Vec::new()),
                    )?;
                    for a in &detail.attachments {
                        let att = parse_id(&a.id)?;
                        for index in 0..a.chunks {
                            let cid = keys.chunk_id(&att, index);
                            if !chunks.contains(&cid) {
                                chunks.push(cid);
                            }
                        }
                    }
                    removed.push(Removed {
                        n: v.n,
                        record_id: hex::encode(v.record_id),
                        hash: hex::encode(record_hash(&sum, &det)),
                    });
                }
                Ok((removed, chunks))
            })?;
            self.write(s, |w| {
                for v in &versions {
                    w.remove_record(&v.record_id)?;
                }
                for c in &chunks {
                    w.remove_chunk(c)?;
                }
                Ok((
                    Summary {
                        record_type: RecordType::Tombstone,
                        n: 0,
                        entry_id: hex::encode(entry_id),
                        version: TOMBSTONE_VERSION,
                        created_at: now,
                        at: now,
                        kind: None,
                        title: String::new(),
                        tags: Vec::new(),
                        attachments: 0,
                        removed,
                    },
                    Detail::default(),
                ))
            })?;
            Ok(())
        })?;
        self.profile.store().checkpoint()
    }
}

/// Brings the search index (if built) up to date with a write.
fn update_index(
    index: &mut Option<SearchIndex>,
    summary: &Summary,
    detail: &Detail,
    hash: &[u8; 32],
) {
    let Some(index) = index else { return };
    match summary.record_type {
        RecordType::Entry => index.upsert(&summary.to_entry(detail, hash)),
        RecordType::Tombstone => {
            if let Ok(id) = summary.entry_id_bytes() {
                index.remove(&id);
            }
        }
    }
}
