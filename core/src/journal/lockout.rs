//! The failed-unlock counter and the optional wipe after N failures, sealed
//! with the device key (readable before the journal is unlocked, not from a
//! copy of the data directory alone). Every attempt (an unlock, or a
//! passphrase re-entered for a sensitive change) is counted and made durable
//! *before* the key derivation runs, so killing the app during a guess still
//! counts it.
//!
//! Against someone who can write the files: the row also holds a total of all
//! failures ever, and a *mark* file beside the device key ([`MARK_FILE`],
//! sealed with it, written before the row) holds the same total and the
//! limit. A missing or damaged row, a missing mark, or a row whose total is
//! below the mark's (an older `parasol.db` put back) is *tampering*: the
//! state is recovered from the mark, at most one attempt is left when a limit
//! is set, and [`Lockout::tampered`] stays set until the user confirms the
//! limit again. What remains possible is in `docs/security.md`.

use crate::crypto::{self, SecretKey};
use crate::error::Result;
use crate::keystore::write_atomically;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

const CONTEXT: &[u8] = b"journal-lockout-v1";
const MARK_CONTEXT: &[u8] = b"journal-attempts-mark-v1";
/// The mark file (in the data directory).
pub const MARK_FILE: &str = "attempts.mark";

/// The lockout state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    /// Failed attempts since the last success.
    pub failed: u32,
    /// Wipe the profile once `failed` reaches this (None: never, the default).
    pub wipe_after: Option<u32>,
    /// Failed attempts ever (never reset; compared with the mark file).
    #[serde(default)]
    pub total: u64,
    /// The stored state was missing, damaged or older than the mark: the user
    /// should be told (cleared by confirming the limit again).
    #[serde(default)]
    pub tampered: bool,
    /// Written by format 2 (absent in older rows, which have no mark yet).
    #[serde(default)]
    pub marked: bool,
}

#[derive(Serialize, Deserialize)]
struct Mark {
    total: u64,
    wipe_after: Option<u32>,
}

impl Lockout {
    /// Whether the failures reached the wipe threshold.
    pub fn must_wipe(&self) -> bool {
        matches!(self.wipe_after, Some(n) if self.failed >= n)
    }
}

enum Row {
    Missing,
    Damaged,
    Ok(Lockout),
}

fn read_row(conn: &Connection, device_key: &SecretKey) -> Result<Row> {
    let sealed: Option<Vec<u8>> = conn
        .query_row("SELECT sealed FROM journal_lockout WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(s) = sealed else {
        return Ok(Row::Missing);
    };
    let Ok(plain) = crypto::open(device_key, CONTEXT, &s) else {
        return Ok(Row::Damaged);
    };
    Ok(match serde_json::from_slice(&plain) {
        Ok(l) => Row::Ok(l),
        Err(_) => Row::Damaged,
    })
}

fn read_mark(dir: &Path, device_key: &SecretKey) -> Option<Mark> {
    let bytes = std::fs::read(dir.join(MARK_FILE)).ok()?;
    let plain = crypto::open(device_key, MARK_CONTEXT, &bytes).ok()?;
    serde_json::from_slice(&plain).ok()
}

fn write_mark(dir: &Path, device_key: &SecretKey, state: &Lockout) -> Result<()> {
    let mark = Mark {
        total: state.total,
        wipe_after: state.wipe_after,
    };
    let sealed = crypto::seal(device_key, MARK_CONTEXT, &serde_json::to_vec(&mark)?)?;
    write_atomically(&dir.join(MARK_FILE), &sealed)
}

fn write_row(conn: &Connection, device_key: &SecretKey, state: &Lockout) -> Result<()> {
    let sealed = crypto::seal(device_key, CONTEXT, &serde_json::to_vec(state)?)?;
    conn.execute(
        "INSERT INTO journal_lockout(id, sealed) VALUES (1, ?1)
         ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
        [sealed],
    )?;
    Ok(())
}

/// Writes the state: the mark first (so it is never behind the row), then the row.
pub fn write(conn: &Connection, device_key: &SecretKey, dir: &Path, state: &Lockout) -> Result<()> {
    let mut state = *state;
    state.marked = true;
    write_mark(dir, device_key, &state)?;
    write_row(conn, device_key, &state)
}

/// Reads the state of a profile whose journal exists (`journal_exists`),
/// recovering from tampering as the module docs say (the recovered state is
/// written back). Without a journal: the stored state or the default.
pub fn read(
    conn: &Connection,
    device_key: &SecretKey,
    dir: &Path,
    journal_exists: bool,
) -> Result<Lockout> {
    let row = read_row(conn, device_key)?;
    if !journal_exists {
        return Ok(match row {
            Row::Ok(l) => l,
            _ => Lockout::default(),
        });
    }
    let mark = read_mark(dir, device_key);
    let recovered = match (row, mark) {
        // Before format 2 there was no mark: start one.
        (Row::Ok(l), None) if !l.marked => {
            write(conn, device_key, dir, &l)?;
            return Ok(l);
        }
        (Row::Ok(l), Some(m)) if l.total == m.total => return Ok(l),
        (Row::Ok(mut l), Some(m)) if l.total < m.total => {
            // An older row: the failures since are lost from it.
            l.failed = l
                .failed
                .saturating_add(u32::try_from(m.total - l.total).unwrap_or(u32::MAX));
            l.total = m.total;
            l.wipe_after = l.wipe_after.or(m.wipe_after);
            l
        }
        (Row::Ok(l), _) => l,
        (_, Some(m)) => Lockout {
            failed: 0,
            wipe_after: m.wipe_after,
            total: m.total,
            ..Lockout::default()
        },
        (_, None) => Lockout::default(),
    };
    let mut l = recovered;
    l.tampered = true;
    if let Some(limit) = l.wipe_after {
        // One attempt left: the right passphrase still opens, a wrong one wipes.
        l.failed = l.failed.max(limit.saturating_sub(1));
    }
    write(conn, device_key, dir, &l)?;
    Ok(l)
}

/// Counts one attempt (durably, before the key derivation).
pub fn count_attempt(
    conn: &Connection,
    device_key: &SecretKey,
    dir: &Path,
    state: &mut Lockout,
) -> Result<()> {
    state.failed = state.failed.saturating_add(1);
    state.total = state.total.saturating_add(1);
    write(conn, device_key, dir, state)
}

/// Records a success: the count since the last success starts again. Only
/// the row changes (the mark holds totals, which a success does not change).
pub fn count_success(conn: &Connection, device_key: &SecretKey, state: &mut Lockout) -> Result<()> {
    state.failed = 0;
    state.marked = true;
    write_row(conn, device_key, state)
}
