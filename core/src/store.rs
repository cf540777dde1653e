//! The profile's SQLite file: one writer connection, durable settings, and
//! schema migrations by `PRAGMA user_version`.
//!
//! Every connection gets the same discipline: WAL with `synchronous=FULL` (an
//! acknowledged write survives power loss), `secure_delete=ON` (freed pages are
//! zeroed), `temp_store=MEMORY` (no temp files), `foreign_keys=ON` and
//! `trusted_schema=OFF`. The store itself never writes secrets: callers seal
//! anything personal before it reaches SQL.

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// Schema migrations, in order. Migration `i` brings `user_version` from `i` to `i + 1`.
/// Never edit a shipped migration: append a new one.
pub const MIGRATIONS: &[&str] = &[
    // 1: settings and installed content packs.
    "CREATE TABLE settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) STRICT;
    CREATE TABLE content_packs (
        pack_id      TEXT PRIMARY KEY NOT NULL,
        pack_version INTEGER NOT NULL,
        signed_pack  BLOB NOT NULL,
        installed_at TEXT NOT NULL
    ) STRICT;",
    // 2: the encrypted journal (see docs/journal-format.md). Nothing here is
    // plaintext journal data: headers, wrapped keys, sealed records and chunks.
    "CREATE TABLE journal_meta (
        id              INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        header          BLOB NOT NULL,
        platform_secret BLOB NOT NULL
    ) STRICT;
    CREATE TABLE journal_slots (
        slot    INTEGER PRIMARY KEY NOT NULL,
        wrapped BLOB NOT NULL,
        head    BLOB NOT NULL
    ) STRICT;
    CREATE TABLE journal_records (
        seq       INTEGER PRIMARY KEY NOT NULL,
        record_id BLOB NOT NULL UNIQUE,
        owner     BLOB NOT NULL,
        hash      BLOB NOT NULL,
        sealed    BLOB
    ) STRICT;
    CREATE TABLE journal_chunks (
        chunk_id BLOB PRIMARY KEY NOT NULL,
        owner    BLOB NOT NULL,
        sealed   BLOB NOT NULL
    ) STRICT;
    CREATE TABLE journal_lockout (
        id     INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),
        sealed BLOB NOT NULL
    ) STRICT;",
    // 3: trusted contacts, alerts, the outbox, the check-in timer.
    crate::alerts::schema::MIGRATION,
    // alerts: seq indexes and the retention sweep's `idle_since` (issue 16).
    crate::alerts::schema::RETENTION_MIGRATION,
    // alerts: server-held timers on Matrix (issue 13).
    crate::alerts::schema::TIMERS_MIGRATION,
    // journal format 2 (docs/journal-format.md): each record's summary is
    // sealed apart from its detail; the header gets a MAC under the platform
    // secret. Format-1 rows (summary NULL) are converted by the app the next
    // time their vault is unlocked (core/src/journal/upgrade.rs).
    "ALTER TABLE journal_records ADD COLUMN summary BLOB;
    ALTER TABLE journal_meta ADD COLUMN header_mac BLOB;",
];

/// The schema version this build writes.
pub fn current_schema_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// The profile database.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and migrates it to the
    /// current schema. Refuses a database written by a newer version.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = open_connection(path)?;
        migrate(&conn, MIGRATIONS)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (any open
        // transaction rolls back when dropped), so a poisoned lock is usable.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` with the connection (reads, or single-statement writes).
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        f(&self.lock())
    }

    /// Runs `f` in one immediate transaction: all of it is durable when this
    /// returns `Ok`, none of it otherwise.
    pub fn transaction<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        Ok(value)
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        self.with(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
    }

    /// Reads a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        self.with(|c| {
            Ok(
                c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })
    }

    /// Writes a setting.
    pub fn set_setting(&self, key: &str, value: &str) -> Result<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }

    /// Moves everything in the WAL into the main file and truncates the WAL to
    /// zero bytes, so deleted data does not linger in `-wal`.
    pub fn checkpoint(&self) -> Result<()> {
        self.with(|c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Copies what it can from the WAL into the main file without waiting
    /// for readers and without truncating (cheap; the alert flush runs it so
    /// that the trigger path never has to).
    pub fn checkpoint_passive(&self) -> Result<()> {
        self.with(|c| {
            c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Rewrites the file without free pages, then truncates the WAL.
    pub fn vacuum(&self) -> Result<()> {
        self.with(|c| {
            c.execute_batch("VACUUM")?;
            Ok(())
        })?;
        self.checkpoint()
    }
}

/// Creates the database file readable by its owner only (0600) before SQLite
/// opens it, and narrows an existing one: SQLite gives its `-wal` and `-shm`
/// files the database file's mode, so all three stay private even if the
/// folder's 0700 is loosened or the files are copied out with their modes.
#[cfg(unix)]
fn make_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(path)?;
    // Narrowing is best effort: a file this user may not chmod (another
    // owner, a read-only mount) keeps its mode rather than locking the user
    // out of their profile; the folder's 0700 still stands in front of it.
    let private = std::fs::Permissions::from_mode(0o600);
    let _ = std::fs::set_permissions(path, private.clone());
    for suffix in ["-wal", "-shm"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        let _ = std::fs::set_permissions(PathBuf::from(side), private.clone());
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_path: &Path) -> Result<()> {
    Ok(())
}

/// Opens a connection with Parasol's pragmas (see the module docs).
pub fn open_connection(path: &Path) -> Result<Connection> {
    make_private(path)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.execute_batch(
        "PRAGMA trusted_schema = OFF;
         PRAGMA secure_delete = ON;
         PRAGMA temp_store = MEMORY;
         PRAGMA foreign_keys = ON;",
    )?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Corrupt(format!("could not enable WAL (got {mode})")));
    }
    conn.execute_batch("PRAGMA synchronous = FULL;")?;
    Ok(conn)
}

/// Applies the migrations that `conn` lacks, each in its own transaction
/// together with its `user_version` bump.
pub fn migrate(conn: &Connection, migrations: &[&str]) -> Result<()> {
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let target = migrations.len() as i64;
    if version > target {
        return Err(Error::Corrupt(format!(
            "database schema {version} is newer than this app understands ({target}); update the app"
        )));
    }
    for (index, sql) in migrations.iter().enumerate().skip(version.max(0) as usize) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema_dump(conn: &Connection) -> Vec<(String, String, String)> {
        let mut stmt = conn
            .prepare("SELECT type, name, IFNULL(sql, '') FROM sqlite_master ORDER BY type, name")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn pragmas_are_applied() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.db")).unwrap();
        store
            .with(|c| {
                let get = |p: &str| -> i64 { c.pragma_query_value(None, p, |r| r.get(0)).unwrap() };
                assert_eq!(get("synchronous"), 2, "synchronous=FULL");
                assert_eq!(get("secure_delete"), 1);
                assert_eq!(get("temp_store"), 2, "temp_store=MEMORY");
                assert_eq!(get("foreign_keys"), 1);
                let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
                assert_eq!(mode, "wal");
                Ok(())
            })
            .unwrap();
        assert_eq!(store.schema_version().unwrap(), current_schema_version());
    }

    #[cfg(unix)]
    #[test]
    fn the_database_and_its_wal_files_are_private_to_the_owner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        // An older file left world-readable is narrowed on open too.
        std::fs::write(&path, b"").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let store = Store::open(&path).unwrap();
        store
            .with(|c| {
                c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")?;
                Ok(())
            })
            .unwrap();
        for name in ["p.db", "p.db-wal", "p.db-shm"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name}");
        }
    }

    #[test]
    fn upgrade_from_every_older_schema_matches_a_fresh_one() {
        let dir = tempfile::tempdir().unwrap();
        let fresh = Store::open(&dir.path().join("fresh.db")).unwrap();
        let want = fresh.with(|c| Ok(schema_dump(c))).unwrap();
        for start in 0..MIGRATIONS.len() {
            let path = dir.path().join(format!("old{start}.db"));
            {
                let conn = open_connection(&path).unwrap();
                migrate(&conn, &MIGRATIONS[..start]).unwrap();
                let v: i64 = conn
                    .pragma_query_value(None, "user_version", |r| r.get(0))
                    .unwrap();
                assert_eq!(v, start as i64);
            }
            let upgraded = Store::open(&path).unwrap();
            assert_eq!(upgraded.schema_version().unwrap(), current_schema_version());
            assert_eq!(
                upgraded.with(|c| Ok(schema_dump(c))).unwrap(),
                want,
                "from {start}"
            );
        }
    }

    #[test]
    fn newer_schema_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        {
            let conn = open_connection(&path).unwrap();
            conn.pragma_update(None, "user_version", 999).unwrap();
        }
        let err = Store::open(&path).unwrap_err();
        assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
        assert!(err.to_string().contains("newer"));
    }

    #[test]
    fn garbage_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("garbage.db");
        std::fs::write(&path, vec![0x5a; 8192]).unwrap();
        let err = Store::open(&path).unwrap_err();
        assert_eq!(err.kind(), crate::error::ErrorKind::Storage);
    }

    #[test]
    fn settings_round_trip_and_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let store = Store::open(&path).unwrap();
            assert_eq!(store.setting("country").unwrap(), None);
            store.set_setting("country", "NL").unwrap();
            store.set_setting("country", "SE").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.setting("country").unwrap().as_deref(), Some("SE"));
    }

    #[test]
    fn failed_transaction_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("t.db")).unwrap();
        let r: Result<()> = store.transaction(|tx| {
            tx.execute("INSERT INTO settings(key, value) VALUES ('a', '1')", [])?;
            Err(Error::invalid("stop"))
        });
        assert!(r.is_err());
        assert_eq!(store.setting("a").unwrap(), None);
    }
}
