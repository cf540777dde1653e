//! Wiping the profile: every row of every table (found through
//! `sqlite_master`, so tables added later are covered), the key slots, the
//! platform keys, the device key file and the software key store file.
//!
//! Order: a durable "wipe in progress" marker file; crypto-shredding (slots
//! and the wrapped platform secret overwritten, the platform keys deleted,
//! then the key files deleted);
//! every table emptied; WAL checkpoint (TRUNCATE), VACUUM, checkpoint; marker
//! removed. If the app dies half-way, [`complete_pending_wipe`] finishes the
//! job the next time the profile is opened. Overwriting does not erase flash
//! storage: what protects the data is that the keys are gone.

use super::slots;
use crate::error::Result;
use crate::keystore::{self, KeyStore, DEVICE_KEY_FILE};
use crate::profile::DB_FILE;
use rusqlite::Connection;
use std::fs;
use std::path::Path;

/// The marker file (in the data directory) of a wipe that has not finished.
pub const WIPE_MARKER: &str = "wipe-in-progress";
/// The software key store file that desktop builds keep in the data directory.
pub const SOFTWARE_KEY_FILE: &str = "keystore.bin";
/// The staging database of a backup import.
pub const STAGING_FILE: &str = "journal-import.staging";

/// Writes the marker durably.
pub fn begin(dir: &Path) -> Result<()> {
    crate::keystore::write_atomically(&dir.join(WIPE_MARKER), b"1")
}

/// Whether a wipe was interrupted.
pub fn pending(dir: &Path) -> bool {
    dir.join(WIPE_MARKER).exists()
}

/// Overwrites the key slots, heads and wrapped platform secret (the data
/// keys can no longer be recovered), in one transaction.
pub fn shred_keys(conn: &Connection) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    let has_journal: i64 = tx.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'journal_slots'",
        [],
        |r| r.get(0),
    )?;
    if has_journal > 0 {
        let slots: Vec<i64> = {
            let mut stmt = tx.prepare("SELECT slot FROM journal_slots")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<std::result::Result<_, _>>()?
        };
        for slot in slots {
            tx.execute(
                "UPDATE journal_slots SET wrapped = ?1, head = ?2 WHERE slot = ?3",
                rusqlite::params![slots::filler(), slots::filler(), slot],
            )?;
        }
        tx.execute(
            "UPDATE journal_meta SET platform_secret = ?1",
            [crate::crypto::random_bytes(64)],
        )?;
        tx.execute("DELETE FROM journal_slots", [])?;
        tx.execute("DELETE FROM journal_meta", [])?;
    }
    tx.commit()?;
    Ok(())
}

/// Deletes the key files (device key, software key store) and any import
/// staging files.
pub fn delete_key_files(dir: &Path) -> Result<()> {
    // A duress alert handed over to outlive this wipe is sealed under a key
    // the platform key store wraps: on desktop that store is this file, so it
    // stays while the hand-over waits (see alerts::handover).
    let keep_software_store = crate::alerts::handover::pending(dir);
    for name in [
        DEVICE_KEY_FILE,
        SOFTWARE_KEY_FILE,
        super::lockout::MARK_FILE,
    ] {
        keystore::remove_stale_temp_files(&dir.join(name))?;
    }
    for name in [
        DEVICE_KEY_FILE.to_string(),
        SOFTWARE_KEY_FILE.to_string(),
        STAGING_FILE.to_string(),
        format!("{STAGING_FILE}-wal"),
        format!("{STAGING_FILE}-shm"),
        format!("{STAGING_FILE}-journal"),
        super::lockout::MARK_FILE.to_string(),
    ] {
        if keep_software_store && name == SOFTWARE_KEY_FILE {
            continue;
        }
        match fs::remove_file(dir.join(&name)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Deletes every row of every table, then checkpoints and vacuums so that
/// neither the main file nor the WAL keeps old pages.
pub fn clear_tables(conn: &Connection) -> Result<()> {
    let tables: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table'
             AND (name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR name = 'sqlite_sequence')",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<std::result::Result<_, _>>()?
    };
    let tx = conn.unchecked_transaction()?;
    for table in &tables {
        tx.execute(
            &format!("DELETE FROM \"{}\"", table.replace('"', "\"\"")),
            [],
        )?;
    }
    tx.commit()?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    conn.execute_batch("VACUUM")?;
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

/// Removes the marker.
pub fn finish(dir: &Path) -> Result<()> {
    match fs::remove_file(dir.join(WIPE_MARKER)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Wipes the profile in `dir` through `conn` (the profile's open connection)
/// and deletes the platform keys of `keys`. If the platform refuses to
/// delete a key, the rest of the wipe still runs to the end and the
/// platform's error is returned (the key may survive; see docs/security.md).
pub fn wipe(dir: &Path, conn: &Connection, keys: &dyn KeyStore) -> Result<()> {
    begin(dir)?;
    shred_keys(conn)?;
    let platform = keystore::delete_all(keys);
    delete_key_files(dir)?;
    clear_tables(conn)?;
    finish(dir)?;
    platform
}

/// Finishes a wipe that was interrupted, including the deletion of the
/// platform keys of `keys`; the profile calls this when it opens. As in
/// [`wipe`], a platform refusal is returned after the rest has finished.
pub fn complete_pending_wipe_with_keys(dir: &Path, keys: &dyn KeyStore) -> Result<bool> {
    if !pending(dir) {
        return Ok(false);
    }
    let platform = keystore::delete_all(keys);
    complete_pending_wipe(dir)?;
    platform.map(|()| true)
}

/// Finishes a wipe that was interrupted (a crash, the battery), except for
/// platform keys: enough for the software key store, whose keys are in the
/// data directory and deleted with it. Call before
/// anything else reads the data directory, in particular before opening a
/// software key store that lives there. Returns whether a wipe was pending.
pub fn complete_pending_wipe(dir: &Path) -> Result<bool> {
    if !pending(dir) {
        return Ok(false);
    }
    delete_key_files(dir)?;
    let db = dir.join(DB_FILE);
    if db.exists() {
        let conn = crate::store::open_connection(&db)?;
        shred_keys(&conn)?;
        clear_tables(&conn)?;
    }
    finish(dir)?;
    Ok(true)
}
