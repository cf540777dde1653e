//! The catalog: what a session knows about its vault after opening every
//! summary once (titles, versions, positions), checked against the sealed
//! head so that a removed, rolled-back or replaced record is noticed before
//! anything is shown. Built once per unlock, kept up to date by the
//! session's own writes, dropped (and wiped) on lock.

use super::entry::EntrySummary;
use super::parallel;
use super::record::{RecordType, Summary};
use super::rows::{self, ScannedRow};
use super::vault::{record_hash, Head, VaultKeys};
use crate::error::{Error, Result};
use rusqlite::Connection;
use rustc_hash::{FxHashMap, FxHashSet};

/// One version of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionRef {
    /// Version, from 1.
    pub version: u32,
    /// Its row id.
    pub record_id: [u8; 16],
    /// Its chain position.
    pub n: u64,
    /// Length of its sealed detail.
    pub detail_len: u32,
}

/// A live entry.
pub struct CatEntry {
    /// Every version, oldest first.
    pub versions: Vec<VersionRef>,
    /// The newest version's summary.
    pub summary: EntrySummary,
}

/// The catalog of the session's vault.
pub struct Catalog {
    /// Live entries by id.
    pub entries: FxHashMap<[u8; 16], CatEntry>,
    /// Deleted entry ids.
    pub deleted: FxHashSet<[u8; 16]>,
    /// Sealed sizes (summary, detail) of the vault's records, for cover rows.
    pub sizes: Vec<(u32, u32)>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("entries", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// An own record found in the table.
pub struct Found {
    /// Row id.
    pub record_id: [u8; 16],
    /// Its summary.
    pub summary: Summary,
    /// Sealed sizes.
    pub sizes: (u32, u32),
}

fn altered(what: impl std::fmt::Display) -> Error {
    Error::Crypto(format!(
        "the journal was altered ({what}); run verify to see where"
    ))
}

/// Opens every summary of `rows` that belongs to `keys`, in parallel.
pub fn own_records(keys: &VaultKeys, rows: &[ScannedRow], threads: usize) -> Result<Vec<Found>> {
    let opened = parallel::map(rows, threads, |row, buf| {
        keys.open_summary(&row.record_id, &row.summary, buf)
            .map(|s| s.map(|s| (s, row.summary.len() as u32, row.detail_len)))
    });
    let mut out = Vec::new();
    for (row, result) in rows.iter().zip(opened) {
        if let Some((summary, s, d)) = result? {
            out.push(Found {
                record_id: row.record_id,
                summary,
                sizes: (s, d),
            });
        }
    }
    Ok(out)
}

/// Checks that the records found account for every chain position the head
/// names, and that the newest is the one the head names (rollback, removal).
pub fn check_positions(conn: &Connection, head: &Head, found: &[Found]) -> Result<()> {
    let count = head.count;
    let mut seen = vec![false; count as usize + 1];
    let mut mark = |n: u64, what: &str| -> Result<()> {
        if n == 0 || n > count {
            return Err(altered(format!(
                "{what} at position {n}, but the head names {count} records"
            )));
        }
        if std::mem::replace(&mut seen[n as usize], true) {
            return Err(altered(format!("two records at position {n}")));
        }
        Ok(())
    };
    for f in found {
        mark(f.summary.n, "a record")?;
        for r in &f.summary.removed {
            mark(r.n, "a removed record")?;
        }
    }
    if let Some(n) = seen.iter().skip(1).position(|s| !s) {
        return Err(altered(format!("record {} is missing", n + 1)));
    }
    if count > 0 {
        let newest = found
            .iter()
            .find(|f| f.summary.n == count)
            .ok_or_else(|| altered("the newest record is missing"))?;
        if newest.record_id != head.last_record_id {
            return Err(altered("the newest record is not the one the head names"));
        }
        let (s, d, _) = rows::fetch_record(conn, &newest.record_id)?
            .ok_or_else(|| altered("the newest record is missing"))?;
        if record_hash(&s, &d) != head.last_hash {
            return Err(altered("the newest record was replaced"));
        }
    }
    Ok(())
}

impl Catalog {
    /// Builds the catalog from the records found (checked with [`check_positions`]).
    pub fn build(found: Vec<Found>) -> Result<Catalog> {
        let mut cat = Catalog {
            entries: FxHashMap::default(),
            deleted: FxHashSet::default(),
            sizes: Vec::with_capacity(found.len()),
        };
        let mut versions: FxHashMap<[u8; 16], Vec<(VersionRef, Summary)>> = FxHashMap::default();
        for f in found {
            cat.sizes.push(f.sizes);
            let id = f.summary.entry_id_bytes()?;
            match f.summary.record_type {
                RecordType::Tombstone => {
                    cat.deleted.insert(id);
                }
                RecordType::Entry => versions.entry(id).or_default().push((
                    VersionRef {
                        version: f.summary.version,
                        record_id: f.record_id,
                        n: f.summary.n,
                        detail_len: f.sizes.1,
                    },
                    f.summary,
                )),
            }
        }
        for (id, mut vs) in versions {
            if cat.deleted.contains(&id) {
                return Err(altered("a deleted entry still has a version"));
            }
            vs.sort_by_key(|(v, _)| v.version);
            for (i, (v, _)) in vs.iter().enumerate() {
                if v.version != i as u32 + 1 {
                    return Err(altered("an entry version is missing"));
                }
            }
            let summary = vs
                .last()
                .map(|(_, s)| s.to_entry_summary())
                .ok_or_else(|| Error::Internal("empty version list".into()))?;
            cat.entries.insert(
                id,
                CatEntry {
                    versions: vs.into_iter().map(|(v, _)| v).collect(),
                    summary,
                },
            );
        }
        Ok(cat)
    }

    /// Records a new entry version or deletion written by the session.
    pub fn apply(
        &mut self,
        record_id: [u8; 16],
        summary: &Summary,
        sizes: (u32, u32),
    ) -> Result<()> {
        self.sizes.push(sizes);
        let id = summary.entry_id_bytes()?;
        match summary.record_type {
            RecordType::Tombstone => {
                self.entries.remove(&id);
                self.deleted.insert(id);
            }
            RecordType::Entry => {
                let v = VersionRef {
                    version: summary.version,
                    record_id,
                    n: summary.n,
                    detail_len: sizes.1,
                };
                let e = self.entries.entry(id).or_insert_with(|| CatEntry {
                    versions: Vec::new(),
                    summary: summary.to_entry_summary(),
                });
                e.versions.push(v);
                e.summary = summary.to_entry_summary();
            }
        }
        Ok(())
    }

    /// The entry, or NotFound (deleted or unknown).
    pub fn entry(&self, id: &[u8; 16]) -> Result<&CatEntry> {
        self.entries.get(id).ok_or_else(|| {
            if self.deleted.contains(id) {
                Error::NotFound("this entry was deleted".into())
            } else {
                Error::NotFound("no entry with this id".into())
            }
        })
    }

    /// Summaries of every live entry, oldest first (creation time, then id).
    pub fn summaries(&self) -> Vec<EntrySummary> {
        let mut out: Vec<EntrySummary> = self.entries.values().map(|e| e.summary.clone()).collect();
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        out
    }
}
