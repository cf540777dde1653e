//! Journal benchmark: unlock with the default key-derivation parameters,
//! add-entry, and list+decrypt of 10,000 entries, each against the same
//! operation on a plaintext SQLite table (same pragmas: WAL, synchronous=FULL,
//! one transaction per write) in the same run.
//!
//! Run: `cargo bench -p parasol-core --bench journal`
//! (`PARASOL_BENCH_ENTRIES=N` for another entry count, `PARASOL_BENCH_DIR` for
//! another disk).

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use parasol_core::store::open_connection;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn draft(i: usize) -> EntryDraft {
    let mut d = EntryDraft::note(
        format!("Incident number {i}"),
        "He followed me from the station to the flat and would not leave. ".repeat(4),
    );
    d.kind = EntryKind::Incident;
    d.incident = Some(Incident {
        when: Some("Friday about 23:00".into()),
        person: Some("man, 40s, grey jacket".into()),
        vehicle: Some("dark blue van".into()),
        taken: Some("150 EUR".into()),
        reported_to_police: Some(false),
        ..Incident::default()
    });
    d.tags = vec!["client".into(), "van".into()];
    d
}

fn plain_json(i: usize, d: &EntryDraft) -> String {
    serde_json::json!({
        "id": format!("{i:032x}"), "kind": "incident", "title": d.title, "body": d.body,
        "tags": d.tags, "created_at": chrono::Utc::now().to_rfc3339(),
        "incident": { "when": "Friday about 23:00", "person": "man, 40s, grey jacket",
                      "vehicle": "dark blue van", "taken": "150 EUR", "reported_to_police": false },
    })
    .to_string()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn row(name: &str, journal: Duration, plain: Duration) {
    // One machine-readable line per figure, collected by scripts/bench.sh.
    println!(
        "FIGURE|journal: {name}|{:.3} ms|plain SQLite, same operation|{:.3} ms|{:.1}x",
        journal.as_secs_f64() * 1e3,
        plain.as_secs_f64() * 1e3,
        journal.as_secs_f64() / plain.as_secs_f64()
    );
    println!(
        "{name:<34} {:>12.3} ms {:>12.3} ms {:>10.1}x",
        journal.as_secs_f64() * 1e3,
        plain.as_secs_f64() * 1e3,
        journal.as_secs_f64() / plain.as_secs_f64()
    );
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` would pass nothing
    // useful either: run the same way in both cases.
    let n: usize = std::env::var("PARASOL_BENCH_ENTRIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let base = std::env::var("PARASOL_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir());
    let tmp = tempfile::tempdir_in(base).expect("temp dir");
    let dir = tmp.path().join("profile");
    std::fs::create_dir_all(&dir).expect("dir");
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).expect("keys");
    let profile = Arc::new(
        Profile::open_with_clock(Config::new(&dir), Arc::new(keys), Arc::new(SystemClock))
            .expect("profile"),
    );
    let journal = Journal::with_options(profile, JournalOptions::default());
    assert_eq!(
        journal.options().kdf,
        parasol_core::journal::KdfParams::DEFAULT
    );
    let pass = b"a reasonably long passphrase";
    journal.create(pass).expect("create");

    let plain_path = tmp.path().join("plain.db");
    let plain = open_connection(&plain_path).expect("plain db");
    plain
        .execute_batch(
            "CREATE TABLE entries (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, json TEXT NOT NULL);
             CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
             INSERT INTO settings VALUES ('k', 'v');",
        )
        .expect("schema");

    println!(
        "Parasol journal benchmark: {n} entries, Argon2id m={} KiB t={} p={}",
        journal.options().kdf.m_kib,
        journal.options().kdf.t,
        journal.options().kdf.p
    );
    println!(
        "{:<34} {:>15} {:>15} {:>11}",
        "operation", "journal", "plain SQLite", "ratio"
    );

    // Unlock vs opening the plaintext database and reading a row.
    let mut unlock = Vec::new();
    let mut open_plain = Vec::new();
    for _ in 0..5 {
        journal.lock();
        let t = Instant::now();
        journal.unlock(pass).expect("unlock");
        unlock.push(t.elapsed());
        let t = Instant::now();
        let c = open_connection(&plain_path).expect("open");
        let _: String = c
            .query_row("SELECT value FROM settings WHERE key = 'k'", [], |r| {
                r.get(0)
            })
            .expect("row");
        open_plain.push(t.elapsed());
    }
    row(
        "unlock (default KDF) vs open",
        median(unlock),
        median(open_plain),
    );

    // Add entries, one durable transaction each.
    let drafts: Vec<EntryDraft> = (0..n).map(draft).collect();
    let t = Instant::now();
    for d in &drafts {
        journal.add(d.clone()).expect("add");
    }
    let add = t.elapsed() / n as u32;
    let t = Instant::now();
    for (i, d) in drafts.iter().enumerate() {
        let json = plain_json(i, d);
        let tx = plain.unchecked_transaction().expect("tx");
        tx.execute(
            "INSERT INTO entries(id, created_at, json) VALUES (?1, ?2, ?3)",
            rusqlite::params![format!("{i:032x}"), chrono::Utc::now().to_rfc3339(), json],
        )
        .expect("insert");
        tx.commit().expect("commit");
    }
    let add_plain = t.elapsed() / n as u32;
    row("add one entry", add, add_plain);

    // List + decrypt everything vs select + parse everything.
    let mut list = Vec::new();
    let mut list_plain = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        let all = journal.list().expect("list");
        assert_eq!(all.len(), n);
        list.push(t.elapsed());
        let t = Instant::now();
        let mut stmt = plain
            .prepare("SELECT json FROM entries ORDER BY created_at")
            .expect("prepare");
        let rows: Vec<serde_json::Value> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .map(|s| serde_json::from_str(&s.expect("row")).expect("json"))
            .collect();
        assert_eq!(rows.len(), n);
        list_plain.push(t.elapsed());
    }
    row(
        &format!("list + decrypt {n} entries"),
        median(list),
        median(list_plain),
    );
    let t = Instant::now();
    let report = journal.verify().expect("verify");
    assert!(report.ok);
    println!(
        "{:<34} {:>12.3} ms",
        format!("verify chain of {n} records"),
        t.elapsed().as_secs_f64() * 1e3
    );
}
