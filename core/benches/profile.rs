//! Cold-open benchmark (`cargo bench -p parasol-core --bench profile`):
//! opening a profile and getting its content library ready, against opening
//! a plain SQLite file with the same pragmas, in the same run.
//!
//! * First run: a fresh data directory: the store is created and migrated,
//!   the device key is made, and the bundled content is inflated, parsed from
//!   TOML and indexed on the first `library()` call. Baseline: create a fresh
//!   SQLite file (WAL, synchronous=FULL), make one table and insert one row.
//! * Later runs: the same directory opened again (a new process's work: every
//!   `Profile` loads its content on first use). Baseline: open the existing
//!   SQLite file and read one row.
//!
//! Each figure is the median (and p99) of `PARASOL_BENCH_ROUNDS` rounds
//! (default 20; 3 under `cargo test --benches`).

use parasol_core::config::Config;
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use parasol_core::store::open_connection;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn open_profile(dir: &Path) -> Profile {
    std::fs::create_dir_all(dir).expect("dir");
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).expect("keys");
    let profile = Profile::open(Config::new(dir), Arc::new(keys)).expect("profile");
    let library = profile.library().expect("library");
    assert!(library.packs().len() > 20);
    profile
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn pct(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

fn figure(name: &str, value: &mut [Duration], baseline_name: &str, baseline: &mut [Duration]) {
    let (v50, v99) = (pct(value, 0.5), pct(value, 0.99));
    let (b50, b99) = (pct(baseline, 0.5), pct(baseline, 0.99));
    println!(
        "{name:<40} p50 {:>8.2} ms  p99 {:>8.2} ms | {baseline_name}: p50 {:>7.3} ms  p99 {:>7.3} ms | ratio p50 {:>6.1}x",
        ms(v50),
        ms(v99),
        ms(b50),
        ms(b99),
        v50.as_secs_f64() / b50.as_secs_f64()
    );
    println!(
        "FIGURE|{name}|{:.2} ms (p99 {:.2} ms)|{baseline_name}|{:.3} ms|{:.1}x",
        ms(v50),
        ms(v99),
        ms(b50),
        v50.as_secs_f64() / b50.as_secs_f64()
    );
}

fn main() {
    let quick = !std::env::args().any(|a| a == "--bench");
    let rounds: usize = std::env::var("PARASOL_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 3 } else { 20 });
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut first, mut first_base, mut later, mut later_base) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..rounds {
        // First run, fresh directory.
        let dir = tmp.path().join(format!("p{i}"));
        let t = Instant::now();
        drop(open_profile(&dir));
        first.push(t.elapsed());
        let plain = tmp.path().join(format!("plain{i}.db"));
        let t = Instant::now();
        {
            let c = open_connection(&plain).expect("plain");
            c.execute_batch(
                "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO settings VALUES ('country', 'NL');",
            )
            .expect("schema");
        }
        first_base.push(t.elapsed());
        // Later run, same directory.
        let t = Instant::now();
        drop(open_profile(&dir));
        later.push(t.elapsed());
        let t = Instant::now();
        {
            let c = open_connection(&plain).expect("plain");
            let _: String = c
                .query_row(
                    "SELECT value FROM settings WHERE key = 'country'",
                    [],
                    |r| r.get(0),
                )
                .expect("row");
        }
        later_base.push(t.elapsed());
    }
    println!("cold open of a profile, {rounds} rounds");
    figure(
        "cold open, first run (content import)",
        &mut first,
        "create SQLite file + table + row",
        &mut first_base,
    );
    figure(
        "cold open, later run",
        &mut later,
        "open SQLite file + read row",
        &mut later_base,
    );
}
