//! The failed-unlock counter and the optional wipe after N failures, sealed
//! with the device key (they must be readable before the journal is unlocked,
//! and should not be readable from a copy of the data directory alone).
//! The counter is made durable *before* the key derivation runs, so killing
//! the app during a guess still counts the guess.

use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

const CONTEXT: &[u8] = b"journal-lockout-v1";

/// The lockout state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    /// Failed unlock attempts since the last success.
    pub failed: u32,
    /// Wipe the profile once `failed` reaches this (None: never, the default).
    pub wipe_after: Option<u32>,
}

impl Lockout {
    /// Whether the failures reached the wipe threshold.
    pub fn must_wipe(&self) -> bool {
        matches!(self.wipe_after, Some(n) if self.failed >= n)
    }
}

/// Reads the lockout state (default when absent).
pub fn read(conn: &Connection, device_key: &SecretKey) -> Result<Lockout> {
    let sealed: Option<Vec<u8>> = conn
        .query_row("SELECT sealed FROM journal_lockout WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    match sealed {
        None => Ok(Lockout::default()),
        Some(s) => {
            let plain = crypto::open(device_key, CONTEXT, &s)?;
            serde_json::from_slice(&plain)
                .map_err(|_| Error::Corrupt("journal lockout state is damaged".into()))
        }
    }
}

/// Writes the lockout state.
pub fn write(conn: &Connection, device_key: &SecretKey, state: &Lockout) -> Result<()> {
    let sealed = crypto::seal(device_key, CONTEXT, &serde_json::to_vec(state)?)?;
    conn.execute(
        "INSERT INTO journal_lockout(id, sealed) VALUES (1, ?1)
         ON CONFLICT(id) DO UPDATE SET sealed = excluded.sealed",
        [sealed],
    )?;
    Ok(())
}
