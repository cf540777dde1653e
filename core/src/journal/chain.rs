//! The hash chain over a vault's sealed records: record *n* carries, inside its
//! ciphertext, the SHA-256 of record *n-1*'s sealed bytes; the sealed head
//! holds the count and the newest hash. [`verify`] walks the chain and reports
//! the first link that does not hold (a record altered, removed, reordered or
//! emptied without a deletion record; newest records cut off).

use super::entry::RecordBody;
use super::vault::{sha256, Head, Row, VaultKeys};
use std::collections::HashSet;

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
    /// Records in the chain (entry versions and deletions).
    pub records: u64,
    /// Hash of the newest record (hex): the value to write down or give to a lawyer.
    pub head_hash: String,
    /// The first broken link, if any.
    pub first_broken: Option<BrokenLink>,
}

/// Checks the chain of `rows` (the vault's own, in append order) against `head`.
pub fn verify(keys: &VaultKeys, rows: &[Row], head: &Head) -> ChainReport {
    let broken = |position: u64, reason: String, records: u64| ChainReport {
        ok: false,
        records,
        head_hash: hex::encode(head.last_hash),
        first_broken: Some(BrokenLink { position, reason }),
    };
    let mut expected_prev = keys.genesis();
    let mut shredded_rows: Vec<(u64, String)> = Vec::new();
    let mut tombstoned: HashSet<String> = HashSet::new();
    for (i, row) in rows.iter().enumerate() {
        let position = i as u64 + 1;
        let n = rows.len() as u64;
        match &row.sealed {
            Some(sealed) => {
                if sha256(sealed) != row.hash {
                    return broken(
                        position,
                        format!("record {position} was altered (its hash does not match)"),
                        n,
                    );
                }
                let body = match keys.open_record(&row.record_id, sealed) {
                    Ok(b) => b,
                    Err(_) => {
                        return broken(
                            position,
                            format!("record {position} failed authentication (altered or moved)"),
                            n,
                        )
                    }
                };
                if body.prev() != hex::encode(expected_prev) {
                    return broken(
                        position,
                        format!(
                            "record {position} does not link to the record before it: a record was removed, inserted or reordered"
                        ),
                        n,
                    );
                }
                if let RecordBody::Tombstone { shredded, .. } = &body {
                    tombstoned.extend(shredded.iter().cloned());
                }
            }
            None => shredded_rows.push((position, hex::encode(row.record_id))),
        }
        expected_prev = row.hash;
    }
    for (position, id) in shredded_rows {
        if !tombstoned.contains(&id) {
            return broken(
                position,
                format!("record {position} was emptied without a deletion record"),
                rows.len() as u64,
            );
        }
    }
    if head.count != rows.len() as u64 || head.last_hash != expected_prev {
        return broken(
            0,
            format!(
                "the chain head expects {} records but {} are present: the newest records were removed or the head was replaced",
                head.count,
                rows.len()
            ),
            rows.len() as u64,
        );
    }
    ChainReport {
        ok: true,
        records: rows.len() as u64,
        head_hash: hex::encode(head.last_hash),
        first_broken: None,
    }
}
