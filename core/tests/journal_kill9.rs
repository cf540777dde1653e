//! Crash harness: a child process writes to the journal (adds, updates,
//! passphrase changes) and acknowledges each write on stdout once the call
//! returned; the parent kills it with SIGKILL at a random instant, then checks
//! that the journal opens, its chain verifies, and every acknowledged write is
//! there. At least 200 rounds.
//!
//! The child is this same test binary, re-run with `PARASOL_KILL9_DIR` set.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, Journal, JournalOptions};
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
        let op = rng.gen_range(0..20);
        if op == 0 {
            let next = 1 - current;
            j.change_passphrase(PASSES[current], PASSES[next]).unwrap();
            current = next;
            writeln!(out, "PASS {current}").unwrap();
        } else if op < 5 && !ids.is_empty() {
            let id = &ids[rng.gen_range(0..ids.len())];
            let v = j
                .update(
                    id,
                    EntryDraft::note(format!("updated {i}"), "x".repeat(i as usize % 3000)),
                )
                .unwrap();
            writeln!(out, "UPD {id} {v}").unwrap();
        } else {
            let id = j
                .add(EntryDraft::note(
                    format!("entry {i}"),
                    "y".repeat(i as usize % 5000),
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
        std::thread::sleep(Duration::from_millis(rng.gen_range(2..60)));
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
                _ => {}
            }
        }
        if wrote {
            killed_mid_write += 1;
        }
        // The journal opens, verifies, and holds every acknowledged write.
        let j = open(&dir);
        pass = unlock_any(&j, pass);
        let report = j.verify().unwrap();
        assert!(report.ok, "round {round}: {report:?}");
        let listed: HashMap<String, u32> = j
            .list()
            .unwrap()
            .into_iter()
            .map(|e| (e.id.clone(), e.version))
            .collect();
        for id in &acked {
            assert!(
                listed.contains_key(id),
                "round {round}: acknowledged entry {id} lost"
            );
        }
        for (id, v) in &versions {
            assert!(
                listed[id] >= *v,
                "round {round}: acknowledged update of {id} lost"
            );
        }
    }
    eprintln!(
        "kill -9 harness: {ROUNDS} rounds, {} acknowledged entries, {} acknowledged updates, {killed_mid_write} rounds with writes, {:?}",
        acked.len(),
        versions.len(),
        started.elapsed()
    );
    assert!(
        acked.len() > ROUNDS / 2,
        "the child wrote too little to be a test"
    );
    assert!(started.elapsed() < Duration::from_secs(600));
}
