//! Coercion (issue 14, items 1 and 4): someone holds the duress passphrase
//! and uses the decoy session to probe for the real journal.
//!
//! - No answer in a decoy session depends on the real passphrase: changing
//!   the decoy's passphrase to the real one is answered like any other value.
//! - Every wrong passphrase re-entered in a session counts like a failed
//!   unlock (and can trigger the wipe).
//! - Setting up and clearing a duress passphrase works in a decoy as in the
//!   journal, and never costs the real owner access.
//! - The table says nothing by its row count or row order.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{DuressActions, EntryDraft, Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::path::Path;
use std::sync::Arc;

const REAL: &[u8] = b"the real passphrase";
const DURESS: &[u8] = b"the duress passphrase";

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

fn decoy_only() -> DuressActions {
    DuressActions {
        open_decoy: true,
        alert: false,
        wipe: false,
    }
}

/// A journal with two real entries and a decoy holding one.
fn journal_with_decoy(dir: &Path) -> Journal {
    let j = open(dir);
    j.create(REAL).unwrap();
    j.add(EntryDraft::note("real one", "evidence")).unwrap();
    j.add(EntryDraft::note("real two", "more evidence"))
        .unwrap();
    j.set_duress(REAL, DURESS, decoy_only()).unwrap();
    j.lock();
    j.unlock(DURESS).unwrap();
    j.add(EntryDraft::note("shopping", "milk")).unwrap();
    j.lock();
    j
}

/// The titles, sorted: these tests check which entries a session sees, not
/// their order (entries made in the same millisecond have no defined order:
/// ties are broken by their random ids).
fn titles(j: &Journal) -> Vec<String> {
    let mut t: Vec<String> = j
        .list()
        .unwrap()
        .into_iter()
        .map(|e| e.title.clone())
        .collect();
    t.sort();
    t
}

#[test]
fn decoy_passwd_answers_the_same_for_the_real_passphrase_and_a_guess() {
    let tmp = tempfile::tempdir().unwrap();
    let j = journal_with_decoy(tmp.path());
    j.unlock(DURESS).unwrap();
    // A guess and the real passphrase get the same answer.
    j.change_passphrase(DURESS, b"a wrong guess").unwrap();
    j.change_passphrase(b"a wrong guess", REAL).unwrap();
    j.lock();
    // The real passphrase now opens what the decoy session set it up to open:
    // nobody can tell from here that it is also the journal's.
    j.unlock(REAL).unwrap();
    assert_eq!(titles(&j), vec!["shopping"]);
    // The owner keeps access: changing this session's passphrase frees hers.
    j.change_passphrase(REAL, b"a decoy passphrase again")
        .unwrap();
    j.lock();
    j.unlock(REAL).unwrap();
    assert_eq!(titles(&j), vec!["real one", "real two"]);
    assert!(j.verify().unwrap().ok);
}

#[test]
fn wrong_passphrases_re_entered_in_a_session_count_and_wipe() {
    let tmp = tempfile::tempdir().unwrap();
    let j = journal_with_decoy(tmp.path());
    j.unlock(REAL).unwrap();
    j.set_wipe_after_failures(REAL, Some(3)).unwrap();
    j.lock();
    j.unlock(DURESS).unwrap();
    let wrong = j.change_passphrase(b"guess 1", b"x y z").unwrap_err();
    assert_eq!(wrong.kind(), parasol_core::ErrorKind::WrongPassphrase);
    assert_eq!(
        j.lockout().unwrap().failed,
        1,
        "a wrong re-entry is counted"
    );
    for guess in [&b"guess 2"[..], b"guess 3"] {
        let e = j.set_duress(guess, b"x y z", decoy_only()).unwrap_err();
        assert_eq!(e.kind(), parasol_core::ErrorKind::WrongPassphrase);
    }
    assert!(!j.exists().unwrap(), "the third failure wiped the profile");
}

#[test]
fn duress_set_and_cleared_in_a_decoy_work_as_in_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let j = journal_with_decoy(tmp.path());
    j.unlock(DURESS).unwrap();
    j.set_duress(DURESS, b"second duress", decoy_only())
        .unwrap();
    j.lock();
    j.unlock(b"second duress").unwrap();
    assert!(titles(&j).is_empty(), "a fresh, empty decoy");
    j.add(EntryDraft::note("bus times", "7:15")).unwrap();
    j.lock();
    j.unlock(DURESS).unwrap();
    assert_eq!(titles(&j), vec!["shopping"], "the first decoy is untouched");
    j.clear_duress(DURESS).unwrap();
    j.lock();
    assert_eq!(
        j.unlock(b"second duress").unwrap_err().kind(),
        parasol_core::ErrorKind::WrongPassphrase
    );
    j.unlock(REAL).unwrap();
    assert_eq!(titles(&j), vec!["real one", "real two"]);
    assert!(j.verify().unwrap().ok);
}

#[test]
fn nothing_set_up_from_a_decoy_ever_reaches_the_journal() {
    let tmp = tempfile::tempdir().unwrap();
    let j = journal_with_decoy(tmp.path());
    // Nest duress passphrases as deep as anyone likes, each with a wipe at the end.
    let mut current = DURESS.to_vec();
    for depth in 0..5 {
        j.unlock(&current).unwrap();
        let next = format!("nested {depth}").into_bytes();
        j.set_duress(&current, &next, decoy_only()).unwrap();
        j.lock();
        current = next;
    }
    j.unlock(&current).unwrap();
    j.set_duress(
        &current,
        REAL,
        DuressActions {
            open_decoy: false,
            alert: true,
            wipe: true,
        },
    )
    .unwrap();
    j.lock();
    // Even a wipe set up on exactly the real passphrase does not fire for it.
    j.unlock(REAL).unwrap();
    assert_eq!(titles(&j), vec!["real one", "real two"]);
    assert!(j.exists().unwrap());
}

#[test]
fn row_count_and_row_order_carry_no_information() {
    let tmp = tempfile::tempdir().unwrap();
    let j = open(tmp.path());
    j.create(REAL).unwrap();
    let db = parasol_core::store::open_connection(&tmp.path().join("parasol.db")).unwrap();
    let count = || -> i64 {
        db.query_row("SELECT COUNT(*) FROM journal_records", [], |r| r.get(0))
            .unwrap()
    };
    let classes: Vec<i64> = {
        let mut v = vec![64i64];
        while *v.last().unwrap() < 100_000 {
            let b = *v.last().unwrap();
            v.push(b + (b + 3) / 4);
        }
        v
    };
    let seqs = || -> std::collections::HashSet<i64> {
        let mut stmt = db.prepare("SELECT seq FROM journal_records").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let mut appended_at_the_end = 0;
    for i in 0..90 {
        let before = seqs();
        j.add(EntryDraft::note(format!("entry {i}"), "x".repeat(i * 13)))
            .unwrap();
        assert!(
            classes.contains(&count()),
            "after {} entries the table holds {} rows, not a size class",
            i + 1,
            count()
        );
        let max_before = before.iter().max().copied().unwrap_or(0);
        if seqs().difference(&before).all(|s| *s > max_before) {
            appended_at_the_end += 1;
        }
    }
    // Row order: a new row does not go to the end of the table.
    assert!(
        appended_at_the_end < 45,
        "{appended_at_the_end} of 90 writes went to the end: the order shows what was written when"
    );
    // Deleting entries does not shrink the table below its class either.
    let ids: Vec<String> = j
        .list()
        .unwrap()
        .into_iter()
        .map(|e| e.id.clone())
        .collect();
    for id in ids.iter().take(10) {
        j.delete(id).unwrap();
        assert!(classes.contains(&count()));
    }
}
