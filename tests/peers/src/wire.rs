//! What the peers driver and its runners share: the data set, the workload
//! names and the line protocol between them.
//!
//! Parasol and SQLCipher cannot link into one binary (each brings its own
//! `sqlite3_*` symbols), so every engine runs in a runner process of its own
//! and one driver interleaves their rounds. This file is the only definition
//! of the contract: the SQL runner of this crate has it as a module, and
//! Parasol's runner (`core/examples/peers_runner.rs`) includes it by `#[path]`.
//! It depends on `serde` and `serde_json` only.
//!
//! The driver writes one command per line to a runner's stdin; the runner
//! answers each with one line on stdout:
//!
//! | command | answer |
//! |---|---|
//! | `info` | `ok <one line describing the engine and its settings>` |
//! | `setup <data set file> <work dir>` | `ok` once the journal holds every entry of the data set |
//! | `prepare <workload> <arg> <budget s>` | `ok` after untimed preparation (e.g. accumulating alerts) |
//! | | `na <reason>`: could not prepare within the budget (seconds) |
//! | `run <workload> <arg>` | `ok <value> <count>`: nanoseconds (bytes for sizes), results |
//! | | `na <reason>`: this engine has no such workload (yet) |
//! | any | `err <message>` |
//! | `quit` | (the runner exits) |
//!
//! A runner times only the operation itself, so the pipe costs nothing.

// Each runner uses a different part of this file.
#![allow(dead_code)]

use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// The workload names (`run <name> <arg>`).
pub mod workload {
    /// Unlock with the engine's default key derivation (plain SQLite: open).
    pub const UNLOCK: &str = "unlock";
    /// Add the next entry of the data set's `extra` list, durably.
    pub const ADD: &str = "add";
    /// The same, into a database without a search index (SQLCipher's
    /// content-only copy; for Parasol and plain SQLite the same as `add`).
    pub const ADD_NO_INDEX: &str = "add_no_index";
    /// List and decrypt every entry.
    pub const LIST: &str = "list";
    /// List titles and dates only.
    pub const LIST_TITLES: &str = "list_titles";
    /// Search for the data set's selective word.
    pub const SEARCH_SELECTIVE: &str = "search_selective";
    /// Search for the data set's common word.
    pub const SEARCH_COMMON: &str = "search_common";
    /// Bytes on disk of the journal as used in the bench (closed, WAL folded in).
    pub const FILE_SIZE: &str = "file_size";
    /// Bytes on disk of the same entries without any search index.
    pub const FILE_SIZE_CONTENT: &str = "file_size_content";
    /// Trigger an alert (or insert a comparable row) with `arg` alerts
    /// accumulated before (`prepare alert_trigger <arg>` first).
    pub const ALERT_TRIGGER: &str = "alert_trigger";
}

/// The structured fields of an incident (as in Parasol's `Incident`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataIncident {
    pub when: Option<String>,
    pub location: Option<String>,
    pub person: Option<String>,
    pub vehicle: Option<String>,
    pub contact: Option<String>,
    pub what_happened: Option<String>,
    pub injuries: Option<String>,
    pub taken: Option<String>,
    pub witnesses: Option<String>,
    pub reported_to_police: Option<bool>,
    pub follow_up: Option<String>,
}

impl DataIncident {
    /// The text fields, for search.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        [
            &self.when,
            &self.location,
            &self.person,
            &self.vehicle,
            &self.contact,
            &self.what_happened,
            &self.injuries,
            &self.taken,
            &self.witnesses,
            &self.follow_up,
        ]
        .into_iter()
        .filter_map(|f| f.as_deref())
    }
}

/// One journal entry: an incident when `incident` is set, a note otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataEntry {
    /// Language of the text (BCP-47), for the report only.
    pub lang: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub incident: Option<DataIncident>,
}

impl DataEntry {
    /// Whether `needle` (lower case) occurs in any text of the entry, the way
    /// Parasol's search matches (a case-insensitive substring).
    pub fn contains(&self, needle: &str) -> bool {
        let hit = |s: &str| s.to_lowercase().contains(needle);
        hit(&self.title)
            || hit(&self.body)
            || self.tags.iter().any(|t| hit(t))
            || self
                .incident
                .as_ref()
                .map(|i| i.texts().any(hit))
                .unwrap_or(false)
    }
}

/// The data set every runner loads: generated once per run by the driver from
/// a seed, written to a file, read by each runner.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DataSet {
    pub seed: u64,
    /// The passphrase (SQLCipher and Parasol; synthetic, for this bench only).
    pub passphrase: String,
    /// The journal's history, loaded by `setup`.
    pub entries: Vec<DataEntry>,
    /// Entries for the `add` workload, taken in order (then from the start again).
    pub extra: Vec<DataEntry>,
    /// A word in about one entry in a thousand.
    pub selective: String,
    /// A word in a large share of the entries.
    pub common: String,
    /// The note of each alert (and the text of the peers' comparable row).
    pub alert_note: String,
}

impl DataSet {
    /// Reads a data set written by the driver.
    pub fn load(path: &Path) -> Result<DataSet, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Writes the data set for the runners.
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let bytes = serde_json::to_vec(self).map_err(|e| e.to_string())?;
        std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// What one `run` gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nanoseconds (or bytes) and the number of results (entries found...).
    Done { value: u64, count: u64 },
    /// The engine has no such workload; the reason goes into the report.
    Unsupported(String),
}

/// What one `prepare` gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prepared {
    /// The rounds can run.
    Ready,
    /// Not within the budget (or not at all); the reason goes into the report.
    Unsupported(String),
}

/// Times `f`, which returns its number of results.
pub fn timed<E>(f: impl FnOnce() -> Result<usize, E>) -> Result<Outcome, E> {
    let t = Instant::now();
    let count = f()?;
    let value = t.elapsed().as_nanos() as u64;
    Ok(Outcome::Done {
        value,
        count: count as u64,
    })
}

/// The size of a closed SQLite database, with its WAL if one was left.
pub fn db_bytes(path: &Path) -> Result<u64, String> {
    let main = std::fs::metadata(path)
        .map_err(|e| format!("{}: {e}", path.display()))?
        .len();
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    Ok(main + std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0))
}

/// One engine, driven by [`serve`].
pub trait Runner {
    /// One line: engine, version, settings (key derivation, page size...).
    fn info(&mut self) -> Result<String, String>;
    /// Opens (creates) the engine's files under `dir` and loads `data.entries`.
    fn setup(&mut self, data: DataSet, dir: &Path) -> Result<(), String>;
    /// Untimed preparation for the rounds of a workload, within `budget`.
    fn prepare(&mut self, workload: &str, arg: u64, budget: Duration) -> Result<Prepared, String>;
    /// One timed round of a workload.
    fn run(&mut self, workload: &str, arg: u64) -> Result<Outcome, String>;
}

/// Answers the driver's commands on stdin until `quit` or end of input.
pub fn serve(runner: &mut dyn Runner) {
    let stdin = std::io::stdin();
    let mut out = std::io::stdout().lock();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let mut words = line.split_whitespace();
        let command = words.next().unwrap_or("");
        let args: Vec<&str> = words.collect();
        let number = |i: usize| args.get(i).and_then(|a| a.parse::<u64>().ok()).unwrap_or(0);
        let reply = match (command, args.as_slice()) {
            ("quit", _) => break,
            ("info", _) => runner.info().map(|s| format!("ok {s}")),
            ("setup", [data, dir]) => DataSet::load(Path::new(data))
                .and_then(|d| runner.setup(d, Path::new(dir)))
                .map(|()| "ok".to_string()),
            ("prepare", [name, ..]) => runner
                .prepare(name, number(1), Duration::from_secs(number(2)))
                .map(|p| match p {
                    Prepared::Ready => "ok".into(),
                    Prepared::Unsupported(why) => format!("na {why}"),
                }),
            ("run", [name, ..]) => runner.run(name, number(1)).map(|o| match o {
                Outcome::Done { value, count } => format!("ok {value} {count}"),
                Outcome::Unsupported(why) => format!("na {why}"),
            }),
            _ => Err(format!("unknown command {line:?}")),
        };
        let reply = reply.unwrap_or_else(|e| format!("err {e}"));
        // One line per answer, whatever the message holds.
        let reply = reply.replace(['\n', '\r'], " ");
        if writeln!(out, "{reply}").and_then(|()| out.flush()).is_err() {
            break;
        }
    }
}
