//! Crash harness: a child process writes to the journal (adds, updates,
//! deletes, passphrase changes, passphrase changes with re-encryption under a
//! new data key) and acknowledges each write on stdout once the call returned; the parent kills it with SIGKILL at a random instant, then checks
//! that the journal opens, its chain verifies, and every acknowledged write is
//! there. At least 200 rounds.
//!
//! The child is this same test binary, re-run with `PARASOL_KILL9_DIR` set.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, Journal, JournalOptions, PasswdOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use rand::Rng;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ROUNDS: usize = 200;
const PASSES: [&[u8]; 2] = [b"first passphrase", b"second passphrase"];

fn open(dir: &Path) -> Journal {
    parasol_core::journal::wipe::complete_pending_wipe(dir).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).unwrap();
    let profile =
        Profile::open_with_clock(Config::new(dir), Arc::new(keys), Arc::new(SystemClock)).unwrap();
    Journal::with_options(
        Arc::new(profile),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    )
}

/// Unlocks with whichever passphrase is current (a change may have committed
/// just before the kill, without its acknowledgement). Returns its index.
fn unlock_any(j: &Journal, likely: usize) -> usize {
    for i in [likely, 1 - likely] {
        if j.unlock(PASSES[i]).is_ok() {
            return i;
        }
    }
    panic!("the journal does not open with either passphrase");
}

/// The child: writes until killed.
#[test]
fn child_writer() {
    let Ok(dir) = std::env::var("PARASOL_KILL9_DIR") else {
        return;
    };
    let likely: usize = std::env::var("PARASOL_KILL9_PASS")
        .unwrap()
        .parse()
        .unwrap();
    let j = open(Path::new(&dir));
    let mut current = unlock_any(&j, likely);
    let mut out = std::io::stdout().lock();
    let mut ids: Vec<String> = Vec::new();
    let mut rng = rand::thread_rng();
    for i in 0u64.. {
        let op = rng.gen_range(0..40);
        if op < 2 {
            let next = 1 - current;
            let options = PasswdOptions {
                reencrypt: Some(op == 1),
                ..PasswdOptions::default()
            };
            if op == 1 {
                writeln!(out, "REKEYING").unwrap();
                out.flush().unwrap();
            }
            j.change_passphrase_with(PASSES[current], PASSES[next], options)
                .unwrap();
            current = next;
            writeln!(out, "PASS {current}").unwrap();
            if op == 1 {
                writeln!(out, "REKEY").unwrap();
            }
        } else if op == 2 && ids.len() > 3 {
            let id = ids.swap_remove(rng.gen_range(0..ids.len()));
            // Announced first: a deletion killed before its acknowledgement
            // may or may not have happened.
            writeln!(out, "DELETING {id}").unwrap();
            out.flush().unwrap();
            j.delete(&id).unwrap();
            writeln!(out, "DEL {id}").unwrap();
        } else if op < 10 && !ids.is_empty() {
            let id = &ids[rng.gen_range(0..ids.len())];
            let v = j
                .update(
                    id,
                    EntryDraft::note(format!("updated {i}"), "x".repeat(i as usize % 300)),
                )
                .unwrap();
            writeln!(out, "UPD {id} {v}").unwrap();
        } else {
            let id = j
                .add(EntryDraft::note(
                    format!("entry {i}"),
                    "y".repeat(i as usize % 500),
                ))
                .unwrap();
            writeln!(out, "ACK {id}").unwrap();
            ids.push(id);
        }
        out.flush().unwrap();
    }
}

#[test]
fn kill_9_never_loses_an_acknowledged_write() {
    if std::env::var("PARASOL_KILL9_DIR").is_ok() {
        return;
    }
    let started = Instant::now();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("profile");
    {
        let j = open(&dir);
        j.create(PASSES[0]).unwrap();
    }
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::thread_rng();
    let mut pass = 0usize;
    let mut acked: Vec<String> = Vec::new();
    let mut versions: HashMap<String, u32> = HashMap::new();
    let mut killed_mid_write = 0;
    let mut deleted: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut maybe_deleted: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut rekeys = 0;
    let mut rekeys_started = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "child_writer",
                "--nocapture",
                "--test-threads=1",
                "--quiet",
            ])
            .env("PARASOL_KILL9_DIR", &dir)
            .env("PARASOL_KILL9_PASS", pass.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<String>>()
        });
        // Opening and unlocking (three fsyncs for the attempt count) take about
        // 50 ms in a debug build: kill somewhere in the writes after that.
        std::thread::sleep(Duration::from_millis(rng.gen_range(20..300)));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let lines = reader.join().unwrap();
        let mut wrote = false;
        for line in lines {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["ACK", id] => {
                    acked.push(id.to_string());
                    wrote = true;
                }
                ["UPD", id, v] => {
                    versions.insert(id.to_string(), v.parse().unwrap());
                }
                ["PASS", p] => pass = p.parse().unwrap(),
                ["REKEY"] => rekeys += 1,
                ["REKEYING"] => rekeys_started += 1,
                ["DELETING", id] => {
                    maybe_deleted.insert(id.to_string());
                }
                ["DEL", id] => {
                    deleted.insert(id.to_string());
                }
                _ => {}
            }
        }
        if wrote {
            killed_mid_write += 1;
        }
        // The journal opens, verifies, and holds every acknowledged write.
        let t0 = Instant::now();
        let j = open(&dir);
        let t1 = t0.elapsed();
        pass = unlock_any(&j, pass);
        let t2 = t0.elapsed();
        let report = j.verify().unwrap();
        if std::env::var("K9_TIMING").is_ok() {
            eprintln!("open {t1:?} unlock {t2:?} verify {:?}", t0.elapsed());
        }
        assert!(report.ok, "round {round}: {report:?}");
        let listed: HashMap<String, u32> = j
            .list()
            .unwrap()
            .into_iter()
            .map(|e| (e.id.clone(), e.version))
            .collect();
        for id in &acked {
            if deleted.contains(id) {
                assert!(
                    !listed.contains_key(id),
                    "round {round}: acknowledged deletion of {id} undone"
                );
            } else if !maybe_deleted.contains(id) {
                assert!(
                    listed.contains_key(id),
                    "round {round}: acknowledged entry {id} lost"
                );
            }
        }
        for (id, v) in &versions {
            if listed.contains_key(id) {
                assert!(
                    listed[id] >= *v,
                    "round {round}: acknowledged update of {id} lost"
                );
            }
        }
    }
    eprintln!(
        "kill -9 harness: {ROUNDS} rounds, {} acknowledged entries, {} acknowledged updates, {} deletions, {rekeys} re-encryptions of {rekeys_started} started, {killed_mid_write} rounds with writes, {:?}",
        acked.len(),
        versions.len(),
        deleted.len(),
        started.elapsed()
    );
    assert!(
        rekeys_started > 0,
        "no re-encryption started: the harness did not test it"
    );
    assert!(
        acked.len() > ROUNDS / 2,
        "the child wrote too little to be a test"
    );
    assert!(started.elapsed() < Duration::from_secs(600));
}
