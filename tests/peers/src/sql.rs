//! The SQL runner: the journal and the alert row as a mobile developer would
//! build them on SQLCipher (with FTS5 for search) or on plain SQLite (with
//! `LIKE`). One source, two builds: `--features sqlcipher` links SQLCipher
//! (`rusqlite/bundled-sqlcipher-vendored-openssl`) into `sqlcipher-runner`,
//! `--features sqlite` links rusqlite's bundled SQLite, the one Parasol uses,
//! into `sqlite-runner`.
//!
//! Every connection: WAL, `synchronous=FULL` (each commit is fsynced, as in
//! Parasol), everything else at the engine's defaults (SQLCipher 4: PBKDF2-
//! HMAC-SHA512 with 256,000 iterations, AES-256-CBC, HMAC-SHA512 per page).

use crate::wire::{
    db_bytes, timed, workload, DataEntry, DataIncident, DataSet, Outcome, Prepared, Runner,
};
use rusqlite::{params, Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Which engine this runner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// SQLCipher, keyed with the passphrase; search through FTS5.
    SqlCipher,
    /// Plain SQLite, no encryption; search with `LIKE`.
    Sqlite,
}

const SCHEMA: &str = "
    CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
    INSERT INTO meta VALUES ('version', '1');
    CREATE TABLE entries (
        seq        INTEGER PRIMARY KEY,
        id         TEXT NOT NULL UNIQUE,
        kind       TEXT NOT NULL,
        title      TEXT NOT NULL,
        body       TEXT NOT NULL,
        tags       TEXT NOT NULL,
        incident   TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX entries_created ON entries(created_at);";

/// The search index next to the entries (SQLCipher): contentless, so the
/// text is stored once, diacritic-insensitive like Parasol's rights search.
const FTS_SCHEMA: &str = "
    CREATE VIRTUAL TABLE entries_fts USING fts5(
        text, content='', contentless_delete=1,
        tokenize='unicode61 remove_diacritics 2');";

const ALERT_SCHEMA: &str =
    "CREATE TABLE alerts (id TEXT PRIMARY KEY NOT NULL, sealed BLOB NOT NULL) STRICT;";

const COLUMNS: &str = "id, kind, title, body, tags, incident, created_at, updated_at";

/// One entry as the app would hold it after reading.
#[allow(dead_code)] // Built to be paid for, like Parasol's `Entry`; not read.
struct Entry {
    id: String,
    kind: String,
    title: String,
    body: String,
    tags: Vec<String>,
    incident: Option<DataIncident>,
    created_at: i64,
    updated_at: i64,
}

/// Titles-only listing row.
#[allow(dead_code)]
struct Title {
    id: String,
    kind: String,
    title: String,
    created_at: i64,
    updated_at: i64,
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    let json_err = |i, e: serde_json::Error| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    };
    let tags: String = r.get(4)?;
    let incident: Option<String> = r.get(5)?;
    Ok(Entry {
        id: r.get(0)?,
        kind: r.get(1)?,
        title: r.get(2)?,
        body: r.get(3)?,
        tags: serde_json::from_str(&tags).map_err(|e| json_err(4, e))?,
        incident: incident
            .map(|s| serde_json::from_str(&s))
            .transpose()
            .map_err(|e| json_err(5, e))?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
    })
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

fn random_id() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The text FTS5 indexes for an entry: everything Parasol's search looks at.
fn search_text(e: &DataEntry) -> String {
    let mut parts = vec![e.title.as_str(), e.body.as_str()];
    parts.extend(e.tags.iter().map(String::as_str));
    if let Some(i) = &e.incident {
        parts.extend(i.texts());
    }
    parts.join("\n")
}

/// Inserts one entry (and its index row when `fts`), inside the caller's transaction.
fn insert(c: &Connection, e: &DataEntry, fts: bool) -> rusqlite::Result<()> {
    let now = now_ms();
    let kind = if e.incident.is_some() {
        "incident"
    } else {
        "note"
    };
    let tags = serde_json::to_string(&e.tags).unwrap_or_else(|_| "[]".into());
    let incident = e
        .incident
        .as_ref()
        .and_then(|i| serde_json::to_string(i).ok());
    c.prepare_cached(
        "INSERT INTO entries (id, kind, title, body, tags, incident, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
    )?
    .execute(params![
        random_id(),
        kind,
        e.title,
        e.body,
        tags,
        incident,
        now
    ])?;
    if fts {
        c.prepare_cached("INSERT INTO entries_fts (rowid, text) VALUES (?1, ?2)")?
            .execute(params![c.last_insert_rowid(), search_text(e)])?;
    }
    Ok(())
}

/// The runner's state.
pub struct SqlRunner {
    engine: Engine,
    data: Option<DataSet>,
    dir: PathBuf,
    journal: Option<Connection>,
    /// The entries without the search index (SQLCipher only).
    content: Option<Connection>,
    alerts: Option<Connection>,
    alert_count: u64,
    next_extra: usize,
}

impl SqlRunner {
    /// A runner for `engine`; nothing is opened before `setup`.
    pub fn new(engine: Engine) -> Self {
        SqlRunner {
            engine,
            data: None,
            dir: PathBuf::new(),
            journal: None,
            content: None,
            alerts: None,
            alert_count: 0,
            next_extra: 0,
        }
    }

    fn fts(&self) -> bool {
        self.engine == Engine::SqlCipher
    }

    fn data(&self) -> Result<&DataSet, String> {
        self.data.as_ref().ok_or_else(|| "no setup yet".to_string())
    }

    /// Opens a connection: key (SQLCipher), WAL, synchronous=FULL.
    fn open(&self, path: &Path) -> Result<Connection, String> {
        let c = Connection::open(path).map_err(|e| e.to_string())?;
        if self.engine == Engine::SqlCipher {
            c.pragma_update(None, "key", &self.data()?.passphrase)
                .map_err(|e| e.to_string())?;
        }
        let mode: String = c
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(|e| e.to_string())?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(format!("WAL refused: {mode}"));
        }
        c.execute_batch("PRAGMA synchronous = FULL;")
            .map_err(|e| e.to_string())?;
        Ok(c)
    }

    fn journal_path(&self) -> PathBuf {
        self.dir.join("journal.db")
    }

    fn journal(&self) -> Result<&Connection, String> {
        self.journal.as_ref().ok_or_else(|| "no setup yet".into())
    }

    /// Creates a database with `schema` holding every entry (one transaction).
    fn load(&self, path: &Path, schema: &str, fts: bool) -> Result<Connection, String> {
        let mut c = self.open(path)?;
        let tx = c.transaction().map_err(|e| e.to_string())?;
        tx.execute_batch(schema).map_err(|e| e.to_string())?;
        for e in &self.data()?.entries {
            insert(&tx, e, fts).map_err(|e| e.to_string())?;
        }
        tx.commit().map_err(|e| e.to_string())?;
        Ok(c)
    }

    fn unlock(&self) -> Result<usize, String> {
        let c = self.open(&self.journal_path())?;
        let v: String = c
            .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
                r.get(0)
            })
            .map_err(|e| e.to_string())?;
        Ok(v.len().min(1))
    }

    /// Adds the next extra entry in one durable transaction, to the journal
    /// (`indexed`: with its FTS5 row where the engine has one) or to the
    /// content-only copy.
    fn add(&mut self, indexed: bool) -> Result<Outcome, String> {
        let data = self.data()?;
        let e = data.extra[self.next_extra % data.extra.len()].clone();
        self.next_extra += 1;
        let (c, fts) = match (&self.content, indexed) {
            (Some(content), false) => (content, false),
            _ => (self.journal()?, self.fts()),
        };
        timed(|| {
            c.execute_batch("BEGIN IMMEDIATE")?;
            insert(c, &e, fts)?;
            c.execute_batch("COMMIT")?;
            Ok::<_, rusqlite::Error>(1)
        })
        .map_err(|e| e.to_string())
    }

    fn list(&self) -> Result<usize, String> {
        let c = self.journal()?;
        let sql = format!("SELECT {COLUMNS} FROM entries ORDER BY created_at, seq");
        let mut stmt = c.prepare_cached(&sql).map_err(|e| e.to_string())?;
        let all = stmt
            .query_map([], entry)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<Entry>>>())
            .map_err(|e| e.to_string())?;
        Ok(all.len())
    }

    fn list_titles(&self) -> Result<usize, String> {
        let c = self.journal()?;
        let mut stmt = c
            .prepare_cached(
                "SELECT id, kind, title, created_at, updated_at FROM entries
                 ORDER BY created_at, seq",
            )
            .map_err(|e| e.to_string())?;
        let all = stmt
            .query_map([], |r| {
                Ok(Title {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                    created_at: r.get(3)?,
                    updated_at: r.get(4)?,
                })
            })
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<Title>>>())
            .map_err(|e| e.to_string())?;
        Ok(all.len())
    }

    /// Whole entries matching `word`: FTS5 (SQLCipher) or `LIKE` (SQLite).
    fn search(&self, word: &str) -> Result<usize, String> {
        let c = self.journal()?;
        let (sql, pattern) = if self.fts() {
            (
                format!(
                    "SELECT {COLUMNS} FROM entries WHERE seq IN
                     (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?1)
                     ORDER BY created_at, seq"
                ),
                format!("\"{}\"", word.replace('"', "\"\"")),
            )
        } else {
            (
                format!(
                    "SELECT {COLUMNS} FROM entries WHERE title LIKE ?1 OR body LIKE ?1
                     OR tags LIKE ?1 OR incident LIKE ?1 ORDER BY created_at, seq"
                ),
                format!("%{word}%"),
            )
        };
        let mut stmt = c.prepare_cached(&sql).map_err(|e| e.to_string())?;
        let hits = stmt
            .query_map([pattern], entry)
            .and_then(|rows| rows.collect::<rusqlite::Result<Vec<Entry>>>())
            .map_err(|e| e.to_string())?;
        Ok(hits.len())
    }

    /// Closes the journal, measures it, opens it again.
    fn file_size(&mut self) -> Result<Outcome, String> {
        self.journal = None;
        let bytes = db_bytes(&self.journal_path())?;
        self.journal = Some(self.open(&self.journal_path())?);
        Ok(Outcome::Done {
            value: bytes,
            count: self.data()?.entries.len() as u64,
        })
    }

    fn content_size(&mut self) -> Result<Outcome, String> {
        if !self.fts() {
            return self.file_size();
        }
        let path = self.dir.join("content.db");
        self.content = None;
        let bytes = db_bytes(&path)?;
        self.content = Some(self.open(&path)?);
        Ok(Outcome::Done {
            value: bytes,
            count: self.data()?.entries.len() as u64,
        })
    }

    /// One durable insert of a 512-byte row, as the bare baseline of the
    /// alert bench (core/benches/alerts.rs).
    fn insert_alert(&mut self) -> rusqlite::Result<()> {
        let Some(c) = &self.alerts else {
            return Err(rusqlite::Error::InvalidQuery);
        };
        let id = format!("{:032x}", self.alert_count);
        c.execute_batch("BEGIN IMMEDIATE")?;
        c.prepare_cached("INSERT INTO alerts (id, sealed) VALUES (?1, ?2)")?
            .execute(params![id, [0x5au8; 512]])?;
        c.execute_batch("COMMIT")?;
        self.alert_count += 1;
        Ok(())
    }

    /// Brings the alert table to `n` rows (one transaction).
    fn accumulate_alerts(&mut self, n: u64) -> Result<(), String> {
        if self.alerts.is_none() {
            let c = self.open(&self.dir.join("alerts.db"))?;
            c.execute_batch(ALERT_SCHEMA).map_err(|e| e.to_string())?;
            self.alerts = Some(c);
        }
        let Some(c) = &mut self.alerts else {
            return Err("alerts not open".into());
        };
        let tx = c.transaction().map_err(|e| e.to_string())?;
        let mut count = self.alert_count;
        while count < n {
            tx.prepare_cached("INSERT INTO alerts (id, sealed) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![format!("{count:032x}"), [0x5au8; 512]]))
                .map_err(|e| e.to_string())?;
            count += 1;
        }
        tx.commit().map_err(|e| e.to_string())?;
        self.alert_count = count;
        Ok(())
    }
}

impl Runner for SqlRunner {
    fn info(&mut self) -> Result<String, String> {
        let c = Connection::open_in_memory().map_err(|e| e.to_string())?;
        let cipher: Option<String> = c
            .query_row("PRAGMA cipher_version", [], |r| r.get(0))
            .optional()
            .map_err(|e| e.to_string())?;
        let version = rusqlite::version();
        match (self.engine, cipher) {
            (Engine::Sqlite, None) => Ok(format!(
                "SQLite {version} (rusqlite bundled), no encryption, search with LIKE"
            )),
            (Engine::SqlCipher, Some(cipher)) => {
                c.pragma_update(None, "key", "info")
                    .map_err(|e| e.to_string())?;
                let pragma = |name: &str| -> String {
                    c.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, String>(0))
                        .unwrap_or_else(|_| "?".into())
                };
                Ok(format!(
                    "SQLCipher {cipher} (SQLite {version}, {} {}), default key derivation \
                     {} with {} iterations, page size {}, search with FTS5",
                    pragma("cipher_provider"),
                    pragma("cipher_provider_version"),
                    pragma("cipher_kdf_algorithm"),
                    pragma("kdf_iter"),
                    pragma("cipher_page_size"),
                ))
            }
            (engine, cipher) => Err(format!(
                "this runner is built for {engine:?} but links {}: build it with only its own feature",
                cipher.map_or("plain SQLite".to_string(), |c| format!("SQLCipher {c}"))
            )),
        }
    }

    fn setup(&mut self, data: DataSet, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        self.dir = dir.to_path_buf();
        self.data = Some(data);
        let fts = self.fts();
        let schema = if fts {
            format!("{SCHEMA}{FTS_SCHEMA}")
        } else {
            SCHEMA.to_string()
        };
        self.journal = Some(self.load(&self.journal_path(), &schema, fts)?);
        if fts {
            // The same entries without the index, for the size and add comparisons.
            self.content = Some(self.load(&self.dir.join("content.db"), SCHEMA, false)?);
        }
        Ok(())
    }

    fn prepare(&mut self, name: &str, arg: u64, _budget: Duration) -> Result<Prepared, String> {
        if name == workload::ALERT_TRIGGER {
            self.accumulate_alerts(arg)?;
        }
        Ok(Prepared::Ready)
    }

    fn run(&mut self, name: &str, _arg: u64) -> Result<Outcome, String> {
        let data = self.data()?;
        let (selective, common) = (data.selective.clone(), data.common.clone());
        match name {
            workload::UNLOCK => timed(|| self.unlock()),
            workload::ADD => self.add(true),
            workload::ADD_NO_INDEX => self.add(false),
            workload::LIST => timed(|| self.list()),
            workload::LIST_TITLES => timed(|| self.list_titles()),
            workload::SEARCH_SELECTIVE => timed(|| self.search(&selective)),
            workload::SEARCH_COMMON => timed(|| self.search(&common)),
            workload::FILE_SIZE => self.file_size(),
            workload::FILE_SIZE_CONTENT => self.content_size(),
            workload::ALERT_TRIGGER => {
                timed(|| self.insert_alert().map(|()| 1)).map_err(|e| e.to_string())
            }
            other => Ok(Outcome::Unsupported(format!("no workload {other:?} here"))),
        }
    }
}
