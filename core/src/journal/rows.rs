//! SQL for the journal's tables: rows in, rows out. No cryptography here;
//! everything stored is already sealed (or random cover bytes).
//!
//! Format-2 rows get a random `seq` (so the table's order says nothing about
//! when a row was written or by which vault) and an empty `owner` (a column
//! kept from format 1, unused now).

use crate::error::{Error, Result};
use rand::Rng;
use rusqlite::{Connection, OptionalExtension};

/// A format-2 row read back.
pub struct ScannedRow {
    /// Row id.
    pub record_id: [u8; 16],
    /// Sealed summary.
    pub summary: Vec<u8>,
    /// Sealed detail (empty when not asked for).
    pub detail: Vec<u8>,
    /// Length of the sealed detail (also when it was not read).
    pub detail_len: u32,
}

fn id16(v: &[u8], what: &str) -> Result<[u8; 16]> {
    v.try_into()
        .map_err(|_| Error::Corrupt(format!("journal {what} has a bad size")))
}

fn random_seq() -> i64 {
    rand::rngs::OsRng.gen_range(1..i64::MAX)
}

fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation)
}

/// Inserts a format-2 record row (or a cover row).
pub fn insert_record(
    conn: &Connection,
    record_id: &[u8; 16],
    summary: &[u8],
    detail: &[u8],
    hash: &[u8; 32],
) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO journal_records(seq, record_id, owner, hash, summary, sealed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    // A random seq can collide (about 2^-62 per row): try again then.
    for _ in 0..3 {
        match stmt.execute(rusqlite::params![
            random_seq(),
            &record_id[..],
            &[][..],
            &hash[..],
            summary,
            detail
        ]) {
            Ok(_) => return Ok(()),
            Err(e) if is_constraint(&e) => {
                if record_exists(conn, record_id)? {
                    return Err(Error::Corrupt("journal record already exists".into()));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Corrupt("journal record could not be placed".into()))
}

fn record_exists(conn: &Connection, record_id: &[u8; 16]) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM journal_records WHERE record_id = ?1")?
        .query_row([&record_id[..]], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Deletes a row by id; returns whether it existed.
pub fn delete_record(conn: &Connection, record_id: &[u8; 16]) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM journal_records WHERE record_id = ?1")?
        .execute([&record_id[..]])?;
    Ok(n > 0)
}

/// A stored record: sealed summary, sealed detail, hash column.
pub type SealedRecord = (Vec<u8>, Vec<u8>, Vec<u8>);

/// A format-2 row by id: (summary, detail, stored hash).
pub fn fetch_record(conn: &Connection, record_id: &[u8; 16]) -> Result<Option<SealedRecord>> {
    Ok(conn
        .prepare_cached(
            "SELECT summary, sealed, hash FROM journal_records
             WHERE record_id = ?1 AND summary IS NOT NULL",
        )?
        .query_row([&record_id[..]], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, Option<Vec<u8>>>(1)?.unwrap_or_default(),
                r.get::<_, Vec<u8>>(2)?,
            ))
        })
        .optional()?)
}

/// Every format-2 row (all vaults, and cover rows), with or without details.
pub fn scan_records(conn: &Connection, with_detail: bool) -> Result<Vec<ScannedRow>> {
    let sql = if with_detail {
        "SELECT record_id, summary, length(sealed), sealed FROM journal_records WHERE summary IS NOT NULL"
    } else {
        "SELECT record_id, summary, length(sealed) FROM journal_records WHERE summary IS NOT NULL"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    let bad = |_| Error::Corrupt("journal row has a bad type".into());
    while let Some(r) = rows.next()? {
        let id = r.get_ref(0)?.as_blob().map_err(bad)?;
        let summary = r.get_ref(1)?.as_blob().map_err(bad)?.to_vec();
        let detail_len = r.get::<_, Option<i64>>(2)?.unwrap_or(0) as u32;
        let detail = if with_detail {
            r.get_ref(3)?
                .as_blob_or_null()
                .map_err(bad)?
                .unwrap_or_default()
                .to_vec()
        } else {
            Vec::new()
        };
        out.push(ScannedRow {
            record_id: id16(id, "record id")?,
            summary,
            detail,
            detail_len,
        });
    }
    Ok(out)
}

/// Sealed details read back in one buffer (one allocation for all of them).
#[derive(Default)]
pub struct Details {
    /// The sealed details, one after the other.
    pub bytes: Vec<u8>,
    /// Per row: id, range in `bytes`, the row's stored record hash.
    pub rows: Vec<([u8; 16], std::ops::Range<usize>, [u8; 32])>,
}

/// The details of the format-2 rows whose id `wanted` accepts (the others
/// are skipped without copying them).
pub fn scan_details(
    conn: &Connection,
    capacity: usize,
    wanted: impl Fn(&[u8; 16]) -> bool,
) -> Result<Details> {
    let mut stmt = conn.prepare_cached(
        "SELECT record_id, sealed, hash FROM journal_records WHERE summary IS NOT NULL",
    )?;
    let mut rows = stmt.query([])?;
    let bad = |_| Error::Corrupt("journal row has a bad type".into());
    let mut out = Details {
        bytes: Vec::with_capacity(capacity),
        rows: Vec::new(),
    };
    while let Some(r) = rows.next()? {
        let id = id16(r.get_ref(0)?.as_blob().map_err(bad)?, "record id")?;
        if !wanted(&id) {
            continue;
        }
        let detail = r
            .get_ref(1)?
            .as_blob_or_null()
            .map_err(bad)?
            .unwrap_or_default();
        let hash: [u8; 32] = r
            .get_ref(2)?
            .as_blob()
            .map_err(bad)?
            .try_into()
            .map_err(|_| Error::Corrupt("journal record hash has a bad size".into()))?;
        let start = out.bytes.len();
        out.bytes.extend_from_slice(detail);
        out.rows.push((id, start..out.bytes.len(), hash));
    }
    Ok(out)
}

/// Rows in `journal_records` (all vaults, both formats, cover).
pub fn count_records(conn: &Connection) -> Result<u64> {
    Ok(
        conn.query_row("SELECT COUNT(*) FROM journal_records", [], |r| {
            r.get::<_, i64>(0)
        })? as u64,
    )
}

/// Rows in `journal_chunks`.
pub fn count_chunks(conn: &Connection) -> Result<u64> {
    Ok(
        conn.query_row("SELECT COUNT(*) FROM journal_chunks", [], |r| {
            r.get::<_, i64>(0)
        })? as u64,
    )
}

/// Inserts an attachment chunk (or a cover chunk).
pub fn insert_chunk(conn: &Connection, chunk_id: &[u8; 16], sealed: &[u8]) -> Result<()> {
    conn.prepare_cached("INSERT INTO journal_chunks(chunk_id, owner, sealed) VALUES (?1, ?2, ?3)")?
        .execute(rusqlite::params![&chunk_id[..], &[][..], sealed])
        .map_err(|e| {
            if is_constraint(&e) {
                Error::Corrupt("journal chunk already exists".into())
            } else {
                e.into()
            }
        })?;
    Ok(())
}

/// Deletes a chunk; returns whether it existed.
pub fn delete_chunk(conn: &Connection, chunk_id: &[u8; 16]) -> Result<bool> {
    let n = conn
        .prepare_cached("DELETE FROM journal_chunks WHERE chunk_id = ?1")?
        .execute([&chunk_id[..]])?;
    Ok(n > 0)
}

/// A chunk by id.
pub fn fetch_chunk(conn: &Connection, chunk_id: &[u8; 16]) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .prepare_cached("SELECT sealed FROM journal_chunks WHERE chunk_id = ?1")?
        .query_row([&chunk_id[..]], |r| r.get(0))
        .optional()?)
}

/// Every chunk id.
pub fn chunk_ids(conn: &Connection) -> Result<Vec<[u8; 16]>> {
    let mut stmt = conn.prepare("SELECT chunk_id FROM journal_chunks")?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(id16(&r?, "chunk id")?);
    }
    Ok(out)
}

/// Every record row id (both formats).
pub fn record_ids(conn: &Connection) -> Result<Vec<[u8; 16]>> {
    let mut stmt = conn.prepare("SELECT record_id FROM journal_records")?;
    let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
    let mut out = Vec::new();
    for r in rows {
        out.push(id16(&r?, "record id")?);
    }
    Ok(out)
}

/// The sealed head stored in `slot`.
pub fn read_head_cell(conn: &Connection, slot: usize) -> Result<Vec<u8>> {
    conn.prepare_cached("SELECT head FROM journal_slots WHERE slot = ?1")?
        .query_row([slot as i64], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::Corrupt("journal key slot is missing".into()))
}

/// Replaces the sealed head in `slot`.
pub fn write_head_cell(conn: &Connection, slot: usize, sealed: &[u8]) -> Result<()> {
    let n = conn
        .prepare_cached("UPDATE journal_slots SET head = ?1 WHERE slot = ?2")?
        .execute(rusqlite::params![sealed, slot as i64])?;
    if n != 1 {
        return Err(Error::Corrupt("journal key slot is missing".into()));
    }
    Ok(())
}

/// Replaces the wrapped key (and head) of `slot`.
pub fn write_slot(conn: &Connection, slot: usize, wrapped: &[u8], head: &[u8]) -> Result<()> {
    conn.execute(
        "INSERT INTO journal_slots(slot, wrapped, head) VALUES (?1, ?2, ?3)
         ON CONFLICT(slot) DO UPDATE SET wrapped = excluded.wrapped, head = excluded.head",
        rusqlite::params![slot as i64, wrapped, head],
    )?;
    Ok(())
}

/// Replaces only the wrapped key of `slot`.
pub fn write_wrapped(conn: &Connection, slot: usize, wrapped: &[u8]) -> Result<()> {
    let n = conn.execute(
        "UPDATE journal_slots SET wrapped = ?1 WHERE slot = ?2",
        rusqlite::params![wrapped, slot as i64],
    )?;
    if n != 1 {
        return Err(Error::Corrupt("journal key slot is missing".into()));
    }
    Ok(())
}
