//! The hash chain over a vault's records: the record at position *n* carries,
//! inside its sealed summary, the hash of the record at *n-1* (the genesis
//! value at 1); the sealed head holds the count, the newest hash and row id.
//! A deletion removes its records and lists them (position, row id, hash) in
//! its tombstone, so the chain still accounts for every position.
//! [`verify`] walks the whole chain and reports the first link that does not
//! hold (a record altered, removed, reordered or replaced; newest records cut
//! off or the head replaced).

use super::parallel;
use super::record::{parse_hash, RecordType};
use super::rows::ScannedRow;
use super::vault::{record_hash, Head, VaultKeys};
use crate::error::Result;
use std::collections::{HashMap, HashSet};

/// Where the chain first breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    /// Position in the vault's chain, from 1 (0: the head).
    pub position: u64,
    /// What is wrong.
    pub reason: String,
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    /// True when every link holds.
    pub ok: bool,
    /// Records in the chain (entry versions and deletions, removed ones included).
    pub records: u64,
    /// Hash of the newest record (hex): the value to write down or give to a lawyer.
    pub head_hash: String,
    /// The first broken link, if any.
    pub first_broken: Option<BrokenLink>,
}

/// One position of the chain, for the evidence bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// Position, from 1.
    pub n: u64,
    /// Record hash.
    pub hash: [u8; 32],
    /// Still present (false: removed by a deletion).
    pub present: bool,
}

struct Opened {
    n: u64,
    record_id: [u8; 16],
    hash: [u8; 32],
    prev: String,
    detail_ok: bool,
    removed: Vec<(u64, [u8; 16], [u8; 32])>,
}

/// Walks the chain of `keys`' vault over `rows` (every format-2 row of the
/// table, details included) against `head`.
pub fn verify(
    keys: &VaultKeys,
    rows: &[ScannedRow],
    head: &Head,
    threads: usize,
) -> Result<(ChainReport, Vec<Link>)> {
    let opened = parallel::map(rows, threads, |row, buf| -> Result<Option<Opened>> {
        let Some(s) = keys.open_summary(&row.record_id, &row.summary, buf)? else {
            return Ok(None);
        };
        let detail = keys.open_detail(&row.record_id, &row.detail, buf).ok();
        let detail_ok = detail.is_some();
        let prev = detail.map(|d| d.prev.clone()).unwrap_or_default();
        let mut removed = Vec::new();
        if s.record_type == RecordType::Tombstone {
            for r in &s.removed {
                let mut id = [0u8; 16];
                if hex::decode_to_slice(&r.record_id, &mut id).is_err() {
                    continue;
                }
                removed.push((r.n, id, parse_hash(&r.hash)?));
            }
        }
        Ok(Some(Opened {
            n: s.n,
            record_id: row.record_id,
            hash: record_hash(&row.summary, &row.detail),
            prev,
            detail_ok,
            removed,
        }))
    });
    let mut by_n: HashMap<u64, Opened> = HashMap::new();
    let mut removed: HashMap<u64, [u8; 32]> = HashMap::new();
    let mut removed_ids: HashSet<[u8; 16]> = HashSet::new();
    let report = |position: u64, reason: String| ChainReport {
        ok: false,
        records: head.count,
        head_hash: hex::encode(head.last_hash),
        first_broken: Some(super::chain::BrokenLink { position, reason }),
    };
    for o in opened {
        let Some(o) = o? else { continue };
        for (n, id, h) in &o.removed {
            removed.insert(*n, *h);
            removed_ids.insert(*id);
        }
        let n = o.n;
        if n == 0 || n > head.count {
            return Ok((
                report(
                    0,
                    format!(
                        "the chain head names {} records but record {n} is present: the head was replaced by an older one",
                        head.count
                    ),
                ),
                Vec::new(),
            ));
        }
        if by_n.insert(n, o).is_some() {
            return Ok((
                report(n, format!("two records claim position {n}")),
                Vec::new(),
            ));
        }
    }
    let mut links = Vec::with_capacity(head.count as usize);
    let mut expected = keys.genesis(&head.base);
    for n in 1..=head.count {
        let hash = match (by_n.get(&n), removed.get(&n)) {
            (Some(o), _) => {
                if removed_ids.contains(&o.record_id) {
                    return Ok((
                        report(n, format!("record {n} is listed as deleted but is still present")),
                        links,
                    ));
                }
                if !o.detail_ok {
                    return Ok((
                        report(n, format!("record {n} failed authentication (altered or moved)")),
                        links,
                    ));
                }
                if o.prev != hex::encode(expected) {
                    return Ok((
                        report(
                            n,
                            format!("record {n} does not link to the record before it: a record was removed, inserted or reordered"),
                        ),
                        links,
                    ));
                }
                links.push(Link { n, hash: o.hash, present: true });
                o.hash
            }
            (None, Some(h)) => {
                links.push(Link { n, hash: *h, present: false });
                *h
            }
            (None, None) => {
                return Ok((
                    report(n, format!("record {n} is missing: it was removed without a deletion record, or altered")),
                    links,
                ))
            }
        };
        expected = hash;
    }
    if expected != head.last_hash {
        return Ok((
            report(
                0,
                format!(
                    "the chain head names record {} with hash {}, but that record's hash is {}: the newest record was replaced or the head altered",
                    head.count,
                    short(&head.last_hash),
                    short(&expected)
                ),
            ),
            links,
        ));
    }
    Ok((
        ChainReport {
            ok: true,
            records: head.count,
            head_hash: hex::encode(head.last_hash),
            first_broken: None,
        },
        links,
    ))
}

fn short(h: &[u8; 32]) -> String {
    hex::encode(&h[..6])
}
