//! Journal benchmark, as a series over journal sizes (10, 1,000 and 10,000
//! entries by default), each operation next to a baseline measured in the
//! same run on the same machine: the same content in a plaintext SQLite
//! table with the same pragmas (WAL, synchronous=FULL, one transaction per
//! write), and for search a plaintext FTS5 index.
//!
//! Per size: add one entry (median and p99 of the last writes), list +
//! decrypt everything (1 thread and all cores), the titles-only list, the
//! search index build (the first search after unlock) against one full
//! list, selective and common-word searches after it (p50/p99), verify, and
//! the file size. Once: unlock with the default key derivation.
//!
//! Run: `cargo bench -p parasol-core --bench journal`
//! (`PARASOL_BENCH_SERIES=10,1000` for other sizes, `PARASOL_BENCH_DIR` for
//! another disk). `scripts/bench.sh` collects the `FIGURE|` lines.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions, KdfParams};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use parasol_core::store::open_connection;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASS: &[u8] = b"a reasonably long passphrase";
const PLACES: &[&str] = &[
    "station",
    "hotel",
    "parking lot",
    "flat",
    "club",
    "motorway exit",
    "park",
];
const ADJ: &[&str] = &["grey", "dark blue", "white", "red", "black", "silver"];

/// An entry of about 1 KB (title, body, incident fields, tags), with a
/// selective word (`plate{i}`) and common words ("van", "he").
fn draft(i: usize) -> EntryDraft {
    let place = PLACES[i % PLACES.len()];
    let adj = ADJ[(i / 7) % ADJ.len()];
    let mut d = EntryDraft::note(
        format!("Incident {i} near the {place}"),
        format!(
            "He followed me from the {place} to the flat and would not leave. He said he knew \
             where I live and that he would come back with friends. I told him to go and he \
             laughed. Later a {adj} van parked outside for an hour; the plate was plate{i:05}. \
             I wrote this down the same night so that I remember the details: the time, the \
             jacket, the car. A friend saw him too and can confirm. Nobody called the police. \
             I want to keep this in case it happens again, and to show the support worker on \
             Monday. Note to self: change the route home, ask about the emergency line."
        ),
    );
    d.kind = EntryKind::Incident;
    d.incident = Some(Incident {
        when: Some(format!("Friday about 23:{:02}", i % 60)),
        location: Some(format!("outside the {place}")),
        person: Some("man, 40s, grey jacket, short hair".into()),
        vehicle: Some(format!("{adj} van")),
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
        "incident": d.incident.as_ref().map(|x| serde_json::json!({
            "when": x.when, "location": x.location, "person": x.person, "vehicle": x.vehicle,
            "taken": x.taken, "reported_to_police": x.reported_to_police })),
    })
    .to_string()
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// One machine-readable line per figure (collected by scripts/bench.sh) and
/// one line for people.
fn row(name: &str, journal: f64, unit: &str, baseline_name: &str, baseline: f64) {
    println!(
        "FIGURE|journal: {name}|{journal:.3} {unit}|{baseline_name}|{baseline:.3} {unit}|{:.2}x",
        journal / baseline
    );
    println!(
        "  {name:<48} {journal:>11.3} {unit:<3} {baseline:>11.3} {unit:<3} {:>7.2}x  ({baseline_name})",
        journal / baseline
    );
}

fn dir_bytes(dir: &Path, prefix: &str) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

fn journal_in(dir: &Path, threads: usize) -> (Arc<Profile>, Journal) {
    std::fs::create_dir_all(dir).expect("dir");
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).expect("keys");
    let profile = Arc::new(
        Profile::open_with_clock(Config::new(dir), Arc::new(keys), Arc::new(SystemClock))
            .expect("profile"),
    );
    let options = JournalOptions {
        threads,
        ..JournalOptions::default()
    };
    let j = Journal::with_options(profile.clone(), options);
    (profile, j)
}

fn series(base: &Path, n: usize, runs: usize) {
    println!("\n== {n} entries");
    let dir = base.join(format!("profile-{n}"));
    let (profile, journal) = journal_in(&dir, 0);
    journal.create(PASS).expect("create");
    let plain_path = base.join(format!("plain-{n}.db"));
    let plain = open_connection(&plain_path).expect("plain db");
    plain
        .execute_batch(
            "CREATE TABLE entries (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, json TEXT NOT NULL);
             CREATE VIRTUAL TABLE entries_fts USING fts5(body, content='');",
        )
        .expect("schema");

    // Add: every entry is one durable transaction; the last ones are timed.
    let timed = n.min(200);
    let mut add = Vec::with_capacity(timed);
    let mut add_plain = Vec::with_capacity(timed);
    for i in 0..n {
        let d = draft(i);
        let json = plain_json(i, &d);
        let t = Instant::now();
        journal.add(d).expect("add");
        let dj = t.elapsed();
        let t = Instant::now();
        let tx = plain.unchecked_transaction().expect("tx");
        tx.execute(
            "INSERT INTO entries(id, created_at, json) VALUES (?1, ?2, ?3)",
            rusqlite::params![format!("{i:032x}"), chrono::Utc::now().to_rfc3339(), json],
        )
        .expect("insert");
        tx.execute(
            "INSERT INTO entries_fts(rowid, body) VALUES (last_insert_rowid(), ?1)",
            [&json],
        )
        .expect("fts");
        tx.commit().expect("commit");
        let dp = t.elapsed();
        if i + timed >= n {
            add.push(dj);
            add_plain.push(dp);
        }
    }
    row(
        &format!("add one entry, p50 [{n}]"),
        ms(pct(&mut add, 0.5)),
        "ms",
        "plain SQLite insert + FTS5, same pragmas",
        ms(pct(&mut add_plain, 0.5)),
    );
    row(
        &format!("add one entry, p99 [{n}]"),
        ms(pct(&mut add, 0.99)),
        "ms",
        "plain SQLite insert + FTS5, same pragmas",
        ms(pct(&mut add_plain, 0.99)),
    );

    // Lists, from a fresh unlock (catalog built at unlock).
    journal.lock();
    journal.unlock(PASS).expect("unlock");
    let (_, one_thread) = journal_in(&dir, 1);
    one_thread.unlock(PASS).expect("unlock");
    let mut plain_list = Vec::new();
    let mut list_all = Vec::new();
    let mut list_one = Vec::new();
    let mut titles = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let mut stmt = plain
            .prepare_cached("SELECT json FROM entries ORDER BY created_at")
            .expect("prepare");
        let rows: Vec<serde_json::Value> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .expect("query")
            .map(|s| serde_json::from_str(&s.expect("row")).expect("json"))
            .collect();
        assert_eq!(rows.len(), n);
        plain_list.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(journal.list().expect("list").len(), n);
        list_all.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(one_thread.list().expect("list").len(), n);
        list_one.push(t.elapsed());
        let t = Instant::now();
        assert_eq!(journal.list_titles().expect("titles").len(), n);
        titles.push(t.elapsed());
    }
    let plain_ms = ms(pct(&mut plain_list, 0.5));
    let threads = parasol_core::journal::parallel::thread_count(0);
    row(
        &format!("list + decrypt, {threads} threads [{n}]"),
        ms(pct(&mut list_all, 0.5)),
        "ms",
        "select + parse plain JSON rows",
        plain_ms,
    );
    row(
        &format!("list + decrypt, 1 thread [{n}]"),
        ms(pct(&mut list_one, 0.5)),
        "ms",
        "select + parse plain JSON rows",
        plain_ms,
    );
    row(
        &format!("titles-only list [{n}]"),
        ms(pct(&mut titles, 0.5)),
        "ms",
        "select + parse plain JSON rows",
        plain_ms,
    );
    drop(one_thread);

    // The titles-only list right after unlock includes building the catalog.
    let mut unlock_list = Vec::new();
    for _ in 0..runs.min(3) {
        journal.lock();
        let t = Instant::now();
        journal.unlock(PASS).expect("unlock");
        let kdf = t.elapsed();
        let t = Instant::now();
        journal.list_titles().expect("titles");
        unlock_list.push(t.elapsed() + kdf);
    }

    // Search: the index build (first search after unlock) against one full list.
    let mut build = Vec::new();
    for _ in 0..runs.min(3) {
        journal.lock();
        journal.unlock(PASS).expect("unlock");
        let t = Instant::now();
        assert_eq!(
            journal
                .search_titles(&format!("plate{:05}", n / 2))
                .expect("search")
                .len(),
            1
        );
        build.push(t.elapsed());
    }
    row(
        &format!("search index build (first search) [{n}]"),
        ms(pct(&mut build, 0.5)),
        "ms",
        "one full list + decrypt, same run",
        ms(pct(&mut list_all, 0.5)),
    );
    let queries: Vec<String> = (0..400)
        .map(|k| format!("plate{:05}", (k * 7919) % n))
        .collect();
    let mut sel = Vec::new();
    let mut sel_fts = Vec::new();
    for q in &queries {
        let t = Instant::now();
        let hits = journal.search_titles(q).expect("search");
        sel.push(t.elapsed());
        assert_eq!(hits.len(), 1, "{q}");
        let t = Instant::now();
        let mut stmt = plain
            .prepare_cached("SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?1")
            .expect("fts");
        let found: Vec<i64> = stmt
            .query_map([q], |r| r.get(0))
            .expect("q")
            .map(|r| r.expect("r"))
            .collect();
        sel_fts.push(t.elapsed());
        assert_eq!(found.len(), 1);
    }
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    row(
        &format!("selective search p50 [{n}]"),
        us(pct(&mut sel, 0.5)),
        "us",
        "plain FTS5 MATCH",
        us(pct(&mut sel_fts, 0.5)),
    );
    row(
        &format!("selective search p99 [{n}]"),
        us(pct(&mut sel, 0.99)),
        "us",
        "plain FTS5 MATCH",
        us(pct(&mut sel_fts, 0.99)),
    );
    let mut common = Vec::new();
    let mut common_fts = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        assert_eq!(journal.search_titles("van").expect("search").len(), n);
        common.push(t.elapsed());
        let t = Instant::now();
        let mut stmt = plain
            .prepare_cached("SELECT rowid FROM entries_fts WHERE entries_fts MATCH 'van'")
            .expect("fts");
        let found = stmt
            .query_map([], |r| r.get::<_, i64>(0))
            .expect("q")
            .count();
        common_fts.push(t.elapsed());
        assert_eq!(found, n);
    }
    row(
        &format!("common-word search, all hits [{n}]"),
        us(pct(&mut common, 0.5)),
        "us",
        "plain FTS5 MATCH",
        us(pct(&mut common_fts, 0.5)),
    );

    let t = Instant::now();
    assert!(journal.verify().expect("verify").ok);
    println!(
        "  {:<48} {:>11.3} ms",
        format!("verify the chain [{n}]"),
        ms(t.elapsed())
    );
    println!(
        "  {:<48} {:>11.3} ms (Argon2id included)",
        format!("unlock + titles-only list [{n}]"),
        ms(pct(&mut unlock_list, 0.5))
    );

    // File size: both checkpointed into their main files.
    profile.store().checkpoint().expect("checkpoint");
    plain
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .expect("checkpoint");
    let jbytes = dir_bytes(&dir, "parasol.db") as f64;
    let pbytes = dir_bytes(base, &format!("plain-{n}.db")) as f64;
    row(
        &format!("file size [{n}]"),
        jbytes / 1e6,
        "MB",
        "plain SQLite + FTS5 index, same content",
        pbytes / 1e6,
    );
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PARASOL_BENCH_SERIES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .or_else(|| {
            std::env::var("PARASOL_BENCH_ENTRIES")
                .ok()
                .and_then(|v| v.parse().ok())
                .map(|n: usize| {
                    if n >= 10_000 {
                        vec![10, 1_000, n]
                    } else {
                        vec![10, n]
                    }
                })
        })
        .unwrap_or_else(|| vec![10, 1_000, 10_000]);
    let base = std::env::var("PARASOL_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir());
    let tmp = tempfile::tempdir_in(base).expect("temp dir");
    println!(
        "Parasol journal benchmark: sizes {sizes:?}, Argon2id m={} KiB t={} p={}",
        KdfParams::DEFAULT.m_kib,
        KdfParams::DEFAULT.t,
        KdfParams::DEFAULT.p
    );
    println!(
        "  {:<48} {:>15} {:>15} {:>8}",
        "operation", "journal", "baseline", "ratio"
    );

    // Unlock (default KDF) vs opening a plaintext database and reading a row.
    {
        let dir = tmp.path().join("unlock");
        let (_, j) = journal_in(&dir, 0);
        j.create(PASS).expect("create");
        let plain_path = tmp.path().join("plain-unlock.db");
        let c = open_connection(&plain_path).expect("plain");
        c.execute_batch("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO settings VALUES ('k', 'v');")
            .expect("schema");
        drop(c);
        let mut unlock = Vec::new();
        let mut open_plain = Vec::new();
        for _ in 0..5 {
            j.lock();
            let t = Instant::now();
            j.unlock(PASS).expect("unlock");
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
            ms(pct(&mut unlock, 0.5)),
            "ms",
            "open a plain SQLite file + read a row",
            ms(pct(&mut open_plain, 0.5)),
        );
    }
    for n in sizes {
        series(tmp.path(), n, if n >= 10_000 { 5 } else { 9 });
    }
}
