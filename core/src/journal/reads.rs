//! Reading entries: one entry, its history, the list (whole entries or only
//! what a list screen shows), search, attachments, chain verification and
//! the evidence bundle. Everything goes through the session's catalog, which
//! was checked against the sealed head at unlock: a removed or rolled-back
//! record makes these calls fail instead of showing an older state.

use super::catalog::VersionRef;
use super::chain::{self, ChainReport};
use super::entry::{parse_id, AttachmentInfo, Entry, EntrySummary};
use super::index::{self, SearchIndex};
use super::parallel;
use super::rows;
use super::vault::{record_hash, VaultKeys};
use super::{bundle, Journal, Session};
use crate::error::{Error, Result};
use rusqlite::Connection;
use rustc_hash::FxHashMap;
use zeroize::Zeroizing;

/// Opens the detail of a record.
pub fn open_detail(
    conn: &Connection,
    keys: &VaultKeys,
    record_id: &[u8; 16],
) -> Result<super::record::Detail> {
    let (_, d, _) = rows::fetch_record(conn, record_id)?
        .ok_or_else(|| Error::Crypto("an entry version is missing; run verify".into()))?;
    keys.open_detail(record_id, &d, &mut Zeroizing::new(Vec::new()))
}

/// Opens one version as a whole entry.
fn open_version(conn: &Connection, keys: &VaultKeys, v: &VersionRef) -> Result<Entry> {
    let (s, d, _) = rows::fetch_record(conn, &v.record_id)?
        .ok_or_else(|| Error::Crypto("an entry version is missing; run verify".into()))?;
    let mut buf = Zeroizing::new(Vec::new());
    let summary = keys
        .open_summary(&v.record_id, &s, &mut buf)?
        .ok_or_else(|| {
            Error::Crypto("the entry failed authentication (damaged or altered)".into())
        })?;
    let detail = keys.open_detail(&v.record_id, &d, &mut buf)?;
    Ok(summary.to_entry(&detail, &record_hash(&s, &d)))
}

/// Reads and checks an attachment's bytes.
pub fn read_attachment(
    conn: &Connection,
    keys: &VaultKeys,
    info: &AttachmentInfo,
) -> Result<Zeroizing<Vec<u8>>> {
    let att_id = parse_id(&info.id)?;
    let mut out = Zeroizing::new(Vec::with_capacity(info.size.min(64 << 20) as usize));
    for index in 0..info.chunks {
        let sealed = rows::fetch_chunk(conn, &keys.chunk_id(&att_id, index))?
            .ok_or_else(|| Error::Crypto(format!("attachment chunk {index} is missing")))?;
        let plain = keys.open_chunk(&att_id, index, info.chunks, &sealed)?;
        out.extend_from_slice(&plain);
    }
    if out.len() as u64 != info.size || hex::encode(super::vault::sha256(&out)) != info.sha256 {
        return Err(Error::Crypto(
            "attachment does not match its recorded hash".into(),
        ));
    }
    Ok(out)
}

impl Journal {
    /// The newest version of an entry.
    pub fn get(&self, id: &str) -> Result<Entry> {
        let entry_id = parse_id(id)?;
        self.with_session(|s| {
            let v = newest(s, &entry_id)?;
            self.profile.store().with(|c| open_version(c, &s.keys, &v))
        })
    }

    /// Every version of an entry, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<Entry>> {
        let entry_id = parse_id(id)?;
        self.with_session(|s| {
            let versions = s.catalog()?.entry(&entry_id)?.versions.clone();
            self.profile.store().with(|c| {
                versions
                    .iter()
                    .map(|v| open_version(c, &s.keys, v))
                    .collect()
            })
        })
    }

    /// What the list screen shows of every entry (newest versions; no body,
    /// no incident fields), oldest first by creation time. Decrypts nothing:
    /// it reads the catalog built at unlock.
    pub fn list_titles(&self) -> Result<Vec<EntrySummary>> {
        self.with_session(|s| Ok(s.catalog()?.summaries()))
    }

    /// Every entry (newest version of each), oldest first by creation time.
    /// Fails if any of them does not authenticate: a damaged journal is
    /// reported, not silently shown without the damaged part.
    pub fn list(&self) -> Result<Vec<Entry>> {
        self.with_session(|s| self.all_entries(s))
    }

    /// The newest version of every entry, whole. The summaries come from
    /// the catalog; only the details are read and decrypted (in place, on
    /// every core).
    fn all_entries(&self, s: &Session) -> Result<Vec<Entry>> {
        let cat = s.catalog()?;
        let (mut details, latest) = self.latest_details(s)?;
        // Put the rows in list order first (small keys), so that the large
        // entries are built in place and never moved by a sort.
        let mut keyed: Vec<_> = std::mem::take(&mut details.rows)
            .into_iter()
            .map(|row| {
                let (id, _) = latest[&row.0];
                (cat.entries[&id].summary.created_at, id, row)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        details.rows = keyed.into_iter().map(|(_, _, row)| row).collect();
        let keys = &s.keys;
        let bytes = Zeroizing::new(std::mem::take(&mut details.bytes));
        let mut arena = bytes;
        let work = split_rows(&mut arena, &details.rows);
        let opened = parallel::map_vec(
            work,
            self.options.threads,
            |(rid, sealed, hash)| -> Result<Entry> {
                let mut detail = keys.open_detail_in_place(rid, sealed)?;
                let (id, v) = latest[rid];
                let e = cat.entry(&id)?;
                Ok(Entry {
                    id: e.summary.id.clone(),
                    version: v.version,
                    kind: e.summary.kind,
                    title: e.summary.title.clone(),
                    body: std::mem::take(&mut detail.body),
                    incident: detail.incident.take(),
                    tags: e.summary.tags.clone(),
                    attachments: std::mem::take(&mut detail.attachments),
                    created_at: e.summary.created_at,
                    updated_at: e.summary.updated_at,
                    record_hash: hex::encode(hash),
                    prev_hash: std::mem::take(&mut detail.prev),
                })
            },
        );
        opened.into_iter().collect()
    }

    /// The sealed details of every entry's newest version (and, by row id,
    /// the entry and version each belongs to).
    #[allow(clippy::type_complexity)]
    fn latest_details(
        &self,
        s: &Session,
    ) -> Result<(rows::Details, FxHashMap<[u8; 16], ([u8; 16], VersionRef)>)> {
        let cat = s.catalog()?;
        let mut latest: FxHashMap<[u8; 16], ([u8; 16], VersionRef)> =
            FxHashMap::with_capacity_and_hasher(cat.entries.len(), Default::default());
        for (id, e) in &cat.entries {
            if let Some(v) = e.versions.last() {
                latest.insert(v.record_id, (*id, *v));
            }
        }
        let capacity: usize = latest.values().map(|(_, v)| v.detail_len as usize).sum();
        let details = self
            .profile
            .store()
            .with(|c| rows::scan_details(c, capacity, |id| latest.contains_key(id)))?;
        if details.rows.len() != latest.len() {
            return Err(Error::Crypto(
                "an entry's newest version is missing; run verify".into(),
            ));
        }
        Ok((details, latest))
    }

    /// Builds the search index: every newest version's detail is decrypted
    /// and folded on every core, without building whole entries.
    fn ensure_index(&self, s: &mut Session) -> Result<()> {
        if s.index.is_some() {
            return Ok(());
        }
        let built = {
            let cat = s.catalog()?;
            let (mut details, latest) = self.latest_details(s)?;
            let keys = &s.keys;
            let mut arena = Zeroizing::new(std::mem::take(&mut details.bytes));
            let work = split_rows(&mut arena, &details.rows);
            let texts = parallel::map_vec(
                work,
                self.options.threads,
                |(rid, sealed, _)| -> Result<([u8; 16], Zeroizing<String>)> {
                    let detail = keys.open_detail_in_place(rid, sealed)?;
                    let (id, _) = latest[rid];
                    let e = cat.entry(&id)?;
                    Ok((id, index::text(&e.summary.title, &e.summary.tags, &detail)))
                },
            );
            SearchIndex::from_texts(texts.into_iter().collect::<Result<Vec<_>>>()?)
        };
        s.index = Some(built);
        Ok(())
    }

    fn search_ids(&self, s: &mut Session, query: &str) -> Result<Vec<[u8; 16]>> {
        let terms = index::query_terms(query);
        if terms.is_empty() {
            return Err(Error::invalid("the search text is empty"));
        }
        self.ensure_index(s)?;
        let ids = s
            .index
            .as_ref()
            .map(|i| i.search(&terms))
            .unwrap_or_default();
        Ok(ids)
    }

    /// Entries whose text, tags, incident fields or attachment names contain
    /// every word of `query`, ignoring case and diacritics ("politie" finds
    /// "Poliție"), oldest first. The first search after unlocking builds an
    /// in-memory index (about one full list); later ones use it.
    pub fn search(&self, query: &str) -> Result<Vec<Entry>> {
        self.with_session(|s| {
            let ids = self.search_ids(s, query)?;
            let cat = s.catalog()?;
            let versions: Vec<VersionRef> = ids
                .iter()
                .filter_map(|id| cat.entries.get(id).and_then(|e| e.versions.last().copied()))
                .collect();
            let mut out = self.profile.store().with(|c| {
                versions
                    .iter()
                    .map(|v| open_version(c, &s.keys, v))
                    .collect::<Result<Vec<_>>>()
            })?;
            out.sort_by(|a, b| {
                a.created_at
                    .cmp(&b.created_at)
                    .then_with(|| a.id.cmp(&b.id))
            });
            Ok(out)
        })
    }

    /// Like [`Journal::search`], but returns what the list screen shows
    /// (decrypts nothing once the index is built).
    pub fn search_titles(&self, query: &str) -> Result<Vec<EntrySummary>> {
        self.with_session(|s| {
            let ids = self.search_ids(s, query)?;
            let cat = s.catalog()?;
            let mut out: Vec<EntrySummary> = ids
                .iter()
                .filter_map(|id| cat.entries.get(id).map(|e| e.summary.clone()))
                .collect();
            out.sort_by(|a, b| {
                a.created_at
                    .cmp(&b.created_at)
                    .then_with(|| a.id.cmp(&b.id))
            });
            Ok(out)
        })
    }

    /// The bytes of an attachment of an entry (any version).
    pub fn attachment(&self, entry_id: &str, attachment_id: &str) -> Result<Zeroizing<Vec<u8>>> {
        let eid = parse_id(entry_id)?;
        parse_id(attachment_id)?;
        self.with_session(|s| {
            let v = newest(s, &eid)?;
            self.profile.store().with(|c| {
                let detail = open_detail(c, &s.keys, &v.record_id)?;
                let info = detail
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
        self.with_session(|s| Ok(self.verify_session(s)?.0))
    }

    pub(super) fn verify_session(&self, s: &Session) -> Result<(ChainReport, Vec<chain::Link>)> {
        self.profile.store().with(|c| {
            let head = match super::writes::current_head(c, &s.keys, s.slot) {
                Ok(h) => h,
                Err(e) if e.kind() == crate::ErrorKind::Crypto => {
                    return Ok((
                        ChainReport {
                            ok: false,
                            records: 0,
                            head_hash: String::new(),
                            first_broken: Some(chain::BrokenLink {
                                position: 0,
                                reason: "the chain head failed authentication".into(),
                            }),
                        },
                        Vec::new(),
                    ))
                }
                Err(e) => return Err(e),
            };
            let scanned = rows::scan_records(c, true)?;
            chain::verify(&s.keys, &scanned, &head, self.options.threads)
        })
    }

    /// A readable evidence bundle (HTML) of the chosen entries, with their
    /// timestamps, hashes and the chain, for a lawyer or an NGO.
    pub fn evidence_bundle(&self, ids: &[String]) -> Result<Zeroizing<String>> {
        if ids.is_empty() {
            return Err(Error::invalid("choose at least one entry for the bundle"));
        }
        let parsed: Vec<[u8; 16]> = ids.iter().map(|i| parse_id(i)).collect::<Result<_>>()?;
        let now = self.profile.clock().now();
        self.with_session(|s| {
            let (report, links) = self.verify_session(s)?;
            let mut entries = Vec::with_capacity(parsed.len());
            let mut positions = Vec::with_capacity(parsed.len());
            for id in &parsed {
                let v = newest(s, id)?;
                entries.push(
                    self.profile
                        .store()
                        .with(|c| open_version(c, &s.keys, &v))?,
                );
                positions.push(v.n);
            }
            Ok(bundle::render(
                &s.keys.vault_id,
                &entries,
                &positions,
                &links,
                &report,
                now,
            ))
        })
    }
}

/// Splits the arena of sealed details into one mutable slice per row, so
/// that each can be decrypted in place on any thread.
#[allow(clippy::type_complexity)]
fn split_rows<'a>(
    arena: &'a mut [u8],
    rows: &'a [([u8; 16], std::ops::Range<usize>, [u8; 32])],
) -> Vec<(&'a [u8; 16], &'a mut [u8], &'a [u8; 32])> {
    // Slices are handed out in arena order; the rows may be in any order.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by_key(|&i| rows[i].1.start);
    let mut slices: Vec<Option<&'a mut [u8]>> = (0..rows.len()).map(|_| None).collect();
    let mut rest = arena;
    let mut at = 0;
    for i in order {
        let range = &rows[i].1;
        let tail = std::mem::take(&mut rest);
        let (_, tail) = tail.split_at_mut(range.start - at);
        let (mine, tail) = tail.split_at_mut(range.len());
        slices[i] = Some(mine);
        rest = tail;
        at = range.end;
    }
    rows.iter()
        .zip(slices)
        .map(|((id, _, hash), s)| (id, s.unwrap_or_default(), hash))
        .collect()
}

fn newest(s: &Session, id: &[u8; 16]) -> Result<VersionRef> {
    s.catalog()?
        .entry(id)?
        .versions
        .last()
        .copied()
        .ok_or_else(|| Error::Internal("entry without versions".into()))
}

#[cfg(test)]
impl Journal {
    /// The search index's liveness handle (None: no index built).
    pub(super) fn index_liveness(&self) -> Option<std::sync::Weak<()>> {
        self.with_session(|s| Ok(s.index.as_ref().map(|i| i.liveness())))
            .ok()
            .flatten()
    }
}
