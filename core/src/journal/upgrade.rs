//! Upgrading a format-1 vault to format 2, the first time it is unlocked by
//! this build: its chain is checked by the format-1 rules, every entry
//! version is re-sealed (summary and detail, random row order, chain
//! positions) into a new chain that continues from the old head, every
//! attachment chunk is re-padded to 64 KiB, the format-1 rows are removed,
//! and cover rows are added. One transaction. The data key stays the same
//! (choose "re-encrypt" when changing the passphrase for a new one).
//!
//! Each vault upgrades itself: a duress decoy's format-1 rows stay as they
//! are until its own passphrase is used.

use super::cover::Totals;
use super::legacy;
use super::reencrypt::{install, ChunkSource};
use super::vault::VaultKeys;
use super::writes::Writer;
use crate::error::Result;
use rusqlite::Connection;

/// Upgrades the format-1 vault `keys` in `slot` (head: `count`, `last_hash`).
pub fn upgrade_vault(
    tx: &Connection,
    keys: &VaultKeys,
    slot: usize,
    count: u64,
    last_hash: &[u8; 32],
) -> Result<()> {
    let rows = legacy::own_rows(tx, keys)?;
    legacy::verify(keys, &rows, count, last_hash).map_err(|e| {
        crate::Error::Crypto(format!(
            "{}; these notes cannot be upgraded (export and import refuse them too)",
            e.to_string().trim_start_matches("crypto: ")
        ))
    })?;
    let mut versions = legacy::entry_versions(keys, &rows)?;
    let totals = Totals::count(tx)?;
    let mut w = Writer::over(tx, keys, slot, keys.empty_head(*last_hash), totals);
    for row in &rows {
        w.remove_record(&row.record_id)?;
    }
    let source = ChunkSource {
        legacy: true,
        consume: true,
    };
    let sizes = install(&mut w, tx, keys, source, &mut versions)?;
    w.finish(&sizes)?;
    Ok(())
}
