//! Cover rows: random rows, shaped like sealed records and chunks, that keep
//! the row count of `journal_records` and `journal_chunks` on a size class
//! (see [`super::padding::row_bucket`]).
//!
//! Every vault owns its own cover rows (ids derived from its key, count in its
//! head) and only ever adds or removes its own. After each write, the writing
//! vault adjusts its cover so that the table holds exactly the smallest class
//! that fits everything that is not its cover. So the table's row count shows
//! only the class of the journal's size; to someone holding one vault's key,
//! the other vaults' rows and cover are one indistinguishable mass whose size
//! is known to the class (see `docs/security.md`).

use super::padding::{row_bucket, value_padded_len, CHUNK_PADDED, MIN_CHUNK_ROWS, MIN_RECORD_ROWS};
use super::rows;
use super::vault::{record_hash, Head, VaultKeys};
use crate::crypto::{sealed_len, SEAL_VERSION};
use crate::error::{Error, Result};
use rand::{Rng, RngCore};
use rusqlite::Connection;

/// Rows in the journal's tables (all vaults, cover included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Rows of `journal_records`.
    pub records: u64,
    /// Rows of `journal_chunks`.
    pub chunks: u64,
}

impl Totals {
    /// Counts them.
    pub fn count(conn: &Connection) -> Result<Self> {
        Ok(Totals {
            records: rows::count_records(conn)?,
            chunks: rows::count_chunks(conn)?,
        })
    }
}

/// The sealed sizes (summary, detail) of a vault's records, which its cover
/// rows imitate. Empty: a built-in distribution of short entries.
pub type SizeSamples = [(u32, u32)];

fn random_sealed(len: usize, rng: &mut impl RngCore) -> Vec<u8> {
    let mut v = vec![0u8; len.max(sealed_len(super::padding::MIN_PADDED))];
    rng.fill_bytes(&mut v);
    v[0] = SEAL_VERSION;
    v
}

fn cover_sizes(samples: &SizeSamples, rng: &mut impl Rng) -> (usize, usize) {
    if !samples.is_empty() {
        let (s, d) = samples[rng.gen_range(0..samples.len())];
        return (s as usize, d as usize);
    }
    let title = rng.gen_range(120..400usize);
    // Log-uniform body sizes between 200 bytes and 3 KB.
    let body = (200f64 * 15f64.powf(rng.gen::<f64>())) as usize;
    (
        sealed_len(value_padded_len(title)),
        sealed_len(value_padded_len(body)),
    )
}

fn add_cover_row(
    conn: &Connection,
    keys: &VaultKeys,
    k: u64,
    samples: &SizeSamples,
) -> Result<bool> {
    let mut rng = rand::thread_rng();
    let (s, d) = cover_sizes(samples, &mut rng);
    let summary = random_sealed(s, &mut rng);
    let detail = random_sealed(d, &mut rng);
    match rows::insert_record(
        conn,
        &keys.cover_record_id(k),
        &summary,
        &detail,
        &record_hash(&summary, &detail),
    ) {
        Ok(()) => Ok(true),
        // Already there (a head restored from an older copy): claim it.
        Err(Error::Corrupt(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

fn add_cover_chunk(conn: &Connection, keys: &VaultKeys, k: u64) -> Result<bool> {
    let sealed = random_sealed(sealed_len(CHUNK_PADDED), &mut rand::thread_rng());
    match rows::insert_chunk(conn, &keys.cover_chunk_id(k), &sealed) {
        Ok(()) => Ok(true),
        Err(Error::Corrupt(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Adjusts the vault's cover rows and chunks (inside the caller's
/// transaction) so that each table holds exactly the smallest class that
/// fits everything else. Updates `head` (write it afterwards) and `totals`.
pub fn normalize(
    conn: &Connection,
    keys: &VaultKeys,
    head: &mut Head,
    totals: &mut Totals,
    samples: &SizeSamples,
) -> Result<()> {
    let others = totals.records.saturating_sub(head.cover_rows.into());
    let target = row_bucket(others, MIN_RECORD_ROWS);
    while totals.records < target {
        if add_cover_row(conn, keys, head.cover_rows.into(), samples)? {
            totals.records += 1;
        }
        head.cover_rows += 1;
    }
    while totals.records > target && head.cover_rows > 0 {
        head.cover_rows -= 1;
        if rows::delete_record(conn, &keys.cover_record_id(head.cover_rows.into()))? {
            totals.records -= 1;
        }
    }
    let others = totals.chunks.saturating_sub(head.cover_chunks.into());
    let target = row_bucket(others, MIN_CHUNK_ROWS);
    while totals.chunks < target {
        if add_cover_chunk(conn, keys, head.cover_chunks.into())? {
            totals.chunks += 1;
        }
        head.cover_chunks += 1;
    }
    while totals.chunks > target && head.cover_chunks > 0 {
        head.cover_chunks -= 1;
        if rows::delete_chunk(conn, &keys.cover_chunk_id(head.cover_chunks.into()))? {
            totals.chunks -= 1;
        }
    }
    Ok(())
}

/// Deletes all of the vault's cover (before a re-encryption or when the
/// vault goes away). Updates `head` and `totals`.
pub fn remove_all(
    conn: &Connection,
    keys: &VaultKeys,
    head: &mut Head,
    totals: &mut Totals,
) -> Result<()> {
    for k in 0..u64::from(head.cover_rows) {
        if rows::delete_record(conn, &keys.cover_record_id(k))? {
            totals.records -= 1;
        }
    }
    for k in 0..u64::from(head.cover_chunks) {
        if rows::delete_chunk(conn, &keys.cover_chunk_id(k))? {
            totals.chunks -= 1;
        }
    }
    head.cover_rows = 0;
    head.cover_chunks = 0;
    Ok(())
}
