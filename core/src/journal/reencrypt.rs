//! Re-sealing a vault's contents into a new chain: under a new data key
//! (passphrase change with re-encryption), from format 1 (upgrade), or from a
//! verified backup (import). Always inside one transaction: a crash leaves
//! either the old state or the new one, never a mix. The new chain continues
//! from the old one's last hash (its `base`), so the old head hash given to a
//! lawyer stays verifiable as the new chain's starting point.
//!
//! The new chain holds every entry version, in the old order; deletions are
//! not carried over (what they removed is gone either way).

use super::catalog;
use super::chain;
use super::cover::Totals;
use super::entry::parse_id;
use super::legacy;
use super::record::{PlainRecord, RecordType};
use super::rows;
use super::vault::{Head, VaultKeys};
use super::writes::{current_head, Writer};
use crate::error::{Error, Result};
use rusqlite::Connection;
use std::collections::HashSet;
use zeroize::Zeroizing;

/// Where the source's attachment chunks are and how they are sealed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkSource {
    /// Sealed by format 1.
    pub legacy: bool,
    /// In the same database as the target: removed as they are copied.
    pub consume: bool,
}

/// Re-seals `versions` (entry versions in chain order, from the vault
/// `src_keys` whose chunks are in `src`) into `w`'s vault: chunks first, then
/// the records. Returns the sealed sizes of the new records.
pub fn install(
    w: &mut Writer<'_>,
    src: &Connection,
    src_keys: &VaultKeys,
    chunks: ChunkSource,
    versions: &mut [PlainRecord],
) -> Result<Vec<(u32, u32)>> {
    let mut done: HashSet<[u8; 16]> = HashSet::new();
    let mut sizes = Vec::with_capacity(versions.len());
    for (summary, detail) in versions.iter_mut() {
        for a in &detail.attachments {
            let att = parse_id(&a.id)?;
            if !done.insert(att) {
                continue;
            }
            for index in 0..a.chunks {
                let old_id = src_keys.chunk_id(&att, index);
                let sealed = rows::fetch_chunk(src, &old_id)?
                    .ok_or_else(|| Error::Crypto(format!("attachment chunk {index} is missing")))?;
                let plain = if chunks.legacy {
                    legacy::open_chunk(src_keys, &att, index, a.chunks, &sealed)?
                } else {
                    src_keys.open_chunk(&att, index, a.chunks, &sealed)?
                };
                if chunks.consume {
                    w.remove_chunk(&old_id)?;
                }
                let (id, new) = w.keys().seal_chunk(&att, index, a.chunks, &plain)?;
                w.put_chunk(&id, &new)?;
            }
        }
        let (_, _, s) = w.append(summary, detail)?;
        sizes.push(s);
    }
    Ok(sizes)
}

/// The entry versions of a format-2 vault, in chain order, after checking
/// the whole chain (a broken chain is refused: re-sealing it would hide the
/// damage). Also returns every row id and chunk id the vault owns.
pub fn read_vault(
    conn: &Connection,
    keys: &VaultKeys,
    head: &Head,
    threads: usize,
) -> Result<(Vec<PlainRecord>, Vec<[u8; 16]>)> {
    let scanned = rows::scan_records(conn, true)?;
    let (report, _) = chain::verify(keys, &scanned, head, threads)?;
    if let Some(b) = report.first_broken {
        return Err(Error::Crypto(format!(
            "the journal's chain is broken ({}); re-encryption refused",
            b.reason
        )));
    }
    let found = catalog::own_records(keys, &scanned, threads)?;
    let mine: HashSet<[u8; 16]> = found.iter().map(|f| f.record_id).collect();
    let mut buf = Zeroizing::new(Vec::new());
    let mut versions = Vec::new();
    for f in found {
        if f.summary.record_type != RecordType::Entry {
            continue;
        }
        let row = scanned
            .iter()
            .find(|r| r.record_id == f.record_id)
            .ok_or_else(|| Error::Internal("scanned row vanished".into()))?;
        let detail = keys.open_detail(&f.record_id, &row.detail, &mut buf)?;
        versions.push((f.summary, detail));
    }
    versions.sort_by_key(|(s, _)| s.n);
    Ok((versions, mine.into_iter().collect()))
}

/// Re-encrypts the vault in `slot` from `old` to `new` keys (inside the
/// caller's transaction; the caller re-wraps the slot). Returns the new head
/// and row counts.
pub fn rekey(
    tx: &Connection,
    old: &VaultKeys,
    new: &VaultKeys,
    slot: usize,
    totals: Option<Totals>,
    threads: usize,
) -> Result<(Head, Totals)> {
    let mut old_head = current_head(tx, old, slot)?;
    let (mut versions, own) = read_vault(tx, old, &old_head, threads)?;
    let totals = match totals {
        Some(t) => t,
        None => Totals::count(tx)?,
    };
    let mut head = new.empty_head(old_head.last_hash);
    head.child = old_head.child.take();
    let mut w = Writer::over(tx, new, slot, head, totals);
    for id in &own {
        w.remove_record(id)?;
    }
    for k in 0..u64::from(old_head.cover_rows) {
        w.remove_record(&old.cover_record_id(k))?;
    }
    for k in 0..u64::from(old_head.cover_chunks) {
        w.remove_chunk(&old.cover_chunk_id(k))?;
    }
    let sizes = install(
        &mut w,
        tx,
        old,
        ChunkSource {
            legacy: false,
            consume: true,
        },
        &mut versions,
    )?;
    w.finish(&sizes)
}
