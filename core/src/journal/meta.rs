//! The journal's clear part in `journal_meta` and `journal_slots`: the header,
//! the wrapped platform secret, the header's MAC, and the key slots.
//!
//! The header MAC (keyed by the platform secret) lets an edited header be
//! answered "damaged" before any attempt is counted: the passphrase is never
//! tried against a header that is not the journal's own.

use super::kdf;
use super::slots::{self, Header};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};

/// What `journal_meta` holds.
pub struct Meta {
    /// The header's bytes.
    pub header_bytes: Vec<u8>,
    /// The header, parsed.
    pub header: Header,
    /// The platform secret, wrapped by the platform key store.
    pub wrapped_platform: Vec<u8>,
    /// MAC of the header under the platform secret (absent before format 2).
    pub header_mac: Option<Vec<u8>>,
}

/// The meta row as stored: header, wrapped platform secret, header MAC.
type MetaRow = (Vec<u8>, Vec<u8>, Option<Vec<u8>>);

/// Reads the meta row, if a journal exists. A header that does not parse is
/// an error ("damaged").
pub fn read(conn: &Connection) -> Result<Option<Meta>> {
    let row: Option<MetaRow> = conn
        .query_row(
            "SELECT header, platform_secret, header_mac FROM journal_meta WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match row {
        None => Ok(None),
        Some((header_bytes, wrapped_platform, header_mac)) => Ok(Some(Meta {
            header: Header::decode(&header_bytes)?,
            header_bytes,
            wrapped_platform,
            header_mac,
        })),
    }
}

/// Whether a journal exists.
pub fn exists(conn: &Connection) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM journal_meta WHERE id = 1", [], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The header's MAC under the platform secret.
pub fn header_mac(platform: &[u8], header: &[u8]) -> Result<Vec<u8>> {
    let key = crate::crypto::SecretKey::from_slice(platform)
        .ok_or_else(|| Error::Crypto("the platform secret has a bad size".into()))?;
    let mac: [u8; 32] = kdf::prf(&key, &[b"parasol-journal-header-v2", header]);
    Ok(mac.to_vec())
}

/// Checks the header against its MAC (when there is one).
pub fn check_header(meta: &Meta, platform: &[u8]) -> Result<()> {
    match &meta.header_mac {
        Some(mac) if *mac != header_mac(platform, &meta.header_bytes)? => Err(Error::Corrupt(
            "the journal header is damaged (it was changed outside the app)".into(),
        )),
        _ => Ok(()),
    }
}

/// Writes the meta row (replacing any).
pub fn write(conn: &Connection, header: &[u8], wrapped_platform: &[u8], mac: &[u8]) -> Result<()> {
    conn.execute("DELETE FROM journal_meta", [])?;
    conn.execute(
        "INSERT INTO journal_meta(id, header, platform_secret, header_mac) VALUES (1, ?1, ?2, ?3)",
        rusqlite::params![header, wrapped_platform, mac],
    )?;
    Ok(())
}

/// Stores the header MAC (format-1 journals get one on their first unlock).
pub fn set_mac(conn: &Connection, mac: &[u8]) -> Result<()> {
    conn.execute(
        "UPDATE journal_meta SET header_mac = ?1 WHERE id = 1",
        [mac],
    )?;
    Ok(())
}

/// The wrapped key of every slot, in slot order. A journal from format 1 has
/// two; the third reads as filler until it is written.
pub fn read_slots(conn: &Connection) -> Result<Vec<Vec<u8>>> {
    let mut stmt = conn.prepare("SELECT slot, wrapped FROM journal_slots ORDER BY slot")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let (slot, wrapped) = row?;
        if slot != i as i64 {
            return Err(Error::Corrupt("journal key slots are damaged".into()));
        }
        out.push(wrapped);
    }
    if out.len() < slots::LEGACY_SLOT_COUNT || out.len() > slots::SLOT_COUNT {
        return Err(Error::Corrupt("journal key slots are missing".into()));
    }
    while out.len() < slots::SLOT_COUNT {
        out.push(slots::filler());
    }
    Ok(out)
}

/// Adds the slots a format-1 journal lacks (as filler).
pub fn ensure_slots(conn: &Connection) -> Result<()> {
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM journal_slots", [], |r| r.get(0))?;
    for slot in n as usize..slots::SLOT_COUNT {
        conn.execute(
            "INSERT INTO journal_slots(slot, wrapped, head) VALUES (?1, ?2, ?3)",
            rusqlite::params![slot as i64, slots::filler(), slots::filler()],
        )?;
    }
    Ok(())
}
