//! Someone who can write the files (issue 14, items 3, 8, 9, 10, 13, 14, 15):
//! the failure limit survives a deleted, damaged or older lockout record; an
//! edited header is "damaged", not a wrong passphrase; removing the newest
//! version is noticed; crafted key-derivation parameters are refused before
//! any work; attachment sizes do not leak; invisible passphrases are refused.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, Journal, JournalOptions, NewAttachment};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use parasol_core::ErrorKind;
use std::path::Path;
use std::sync::Arc;

const PASS: &[u8] = b"correct horse battery staple";

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

fn sql(dir: &Path, statement: &str) {
    let c = parasol_core::store::open_connection(&dir.join("parasol.db")).unwrap();
    c.execute_batch(statement).unwrap();
}

fn wrong(j: &Journal) -> ErrorKind {
    j.unlock(b"a wrong guess").unwrap_err().kind()
}

fn with_limit(dir: &Path, limit: u32) -> Journal {
    let j = open(dir);
    j.create(PASS).unwrap();
    j.add(EntryDraft::note("keep", "me")).unwrap();
    j.set_wipe_after_failures(PASS, Some(limit)).unwrap();
    j.lock();
    j
}

#[test]
fn a_deleted_lockout_row_does_not_lift_the_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let j = with_limit(tmp.path(), 3);
    assert_eq!(wrong(&j), ErrorKind::WrongPassphrase);
    sql(tmp.path(), "DELETE FROM journal_lockout");
    // At most one attempt is left: a wrong one wipes.
    assert_eq!(wrong(&j), ErrorKind::WrongPassphrase);
    assert!(!j.exists().unwrap(), "the limit still held");
}

#[test]
fn a_deleted_lockout_row_still_lets_the_owner_in() {
    let tmp = tempfile::tempdir().unwrap();
    let j = with_limit(tmp.path(), 3);
    sql(tmp.path(), "DELETE FROM journal_lockout");
    j.unlock(PASS).unwrap();
    assert_eq!(j.list().unwrap().len(), 1);
}

#[test]
fn a_damaged_lockout_row_is_recovered_not_a_permanent_lockout() {
    let tmp = tempfile::tempdir().unwrap();
    let j = with_limit(tmp.path(), 5);
    sql(
        tmp.path(),
        "UPDATE journal_lockout SET sealed = zeroblob(80)",
    );
    j.unlock(PASS).unwrap();
    assert_eq!(j.list().unwrap()[0].title, "keep");
    j.lock();
    sql(tmp.path(), "UPDATE journal_lockout SET sealed = x'0102'");
    assert_eq!(wrong(&j), ErrorKind::WrongPassphrase);
    assert!(
        !j.exists().unwrap(),
        "one attempt was left, and it was wrong"
    );
}

#[test]
fn an_older_database_put_back_does_not_reset_the_count() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    let copy = tmp.path().join("copy.db");
    {
        let j = with_limit(&dir, 5);
        let _ = j;
    }
    // The copy an attacker keeps: no failures yet.
    let c = parasol_core::store::open_connection(&dir.join("parasol.db")).unwrap();
    c.execute_batch(&format!("VACUUM INTO '{}'", copy.display()))
        .unwrap();
    drop(c);
    {
        let j = open(&dir);
        for _ in 0..4 {
            assert_eq!(wrong(&j), ErrorKind::WrongPassphrase);
        }
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("parasol.db{suffix}")));
    }
    std::fs::copy(&copy, dir.join("parasol.db")).unwrap();
    let j = open(&dir);
    assert_eq!(wrong(&j), ErrorKind::WrongPassphrase);
    assert!(!j.exists().unwrap(), "the fifth failure wiped, copy or not");
}

#[test]
fn an_edited_header_is_damaged_and_not_counted() {
    let tmp = tempfile::tempdir().unwrap();
    let j = with_limit(tmp.path(), 1);
    // Flip one bit of the salt.
    let c = parasol_core::store::open_connection(&tmp.path().join("parasol.db")).unwrap();
    let mut header: Vec<u8> = c
        .query_row("SELECT header FROM journal_meta", [], |r| r.get(0))
        .unwrap();
    header[40] ^= 1;
    c.execute("UPDATE journal_meta SET header = ?1", [header])
        .unwrap();
    let e = j.unlock(PASS).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Storage, "{e}");
    assert!(e.to_string().contains("damaged"), "{e}");
    assert!(j.exists().unwrap(), "no wipe");
    assert_eq!(j.lockout().unwrap().failed, 0, "not counted");
}

#[test]
fn removing_the_newest_version_is_noticed_by_show_and_list() {
    let tmp = tempfile::tempdir().unwrap();
    let j = open(tmp.path());
    j.create(PASS).unwrap();
    let id = j
        .add(EntryDraft::note("statement", "first version"))
        .unwrap();
    j.update(&id, EntryDraft::note("statement", "second version"))
        .unwrap();
    j.add(EntryDraft::note("other", "written later")).unwrap();
    j.lock();
    // Find the row of version 2 the way an attacker would: the one that
    // disappears from a copy taken before the update.
    let c = parasol_core::store::open_connection(&tmp.path().join("parasol.db")).unwrap();
    let rows = |c: &rusqlite::Connection| -> Vec<Vec<u8>> {
        let mut s = c.prepare("SELECT record_id FROM journal_records").unwrap();
        s.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let all = rows(&c);
    let mut deleted_newest = false;
    for id_row in all {
        // Try removing each row in turn; the journal must never show
        // "first version" as the entry's current text.
        c.execute(
            "CREATE TEMP TABLE saved AS SELECT * FROM journal_records WHERE record_id = ?1",
            [&id_row],
        )
        .unwrap();
        c.execute(
            "DELETE FROM journal_records WHERE record_id = ?1",
            [&id_row],
        )
        .unwrap();
        if j.unlock(PASS).is_ok() {
            if let Ok(e) = j.get(&id) {
                assert_eq!(
                    e.body, "second version",
                    "a removed newest version showed the older one"
                );
            } else {
                deleted_newest = true;
                assert!(j.list().is_err(), "list notices too");
            }
            j.lock();
        }
        c.execute_batch("INSERT INTO journal_records SELECT * FROM saved; DROP TABLE saved;")
            .unwrap();
    }
    assert!(deleted_newest, "removing the newest version was tried");
    j.unlock(PASS).unwrap();
    assert_eq!(j.get(&id).unwrap().body, "second version");
}

#[test]
fn crafted_key_derivation_parameters_are_refused_before_any_work() {
    let tmp = tempfile::tempdir().unwrap();
    let j = open(&tmp.path().join("a"));
    j.create(PASS).unwrap();
    j.add(EntryDraft::note("x", "y")).unwrap();
    let out = tmp.path().join("b.pjb");
    j.export_backup(PASS, None, &out).unwrap();
    let good = std::fs::read(&out).unwrap();
    let target = open(&tmp.path().join("t"));
    for (m_kib, t) in [(300 * 1024u32, 3u32), (64 * 1024, 9)] {
        let mut b = good.clone();
        b[14..18].copy_from_slice(&m_kib.to_le_bytes());
        b[18..22].copy_from_slice(&t.to_le_bytes());
        std::fs::write(&out, &b).unwrap();
        let started = std::time::Instant::now();
        let e = target.import_backup(&out, PASS, PASS).unwrap_err();
        assert!(
            e.to_string().contains("exceed the cap"),
            "m={m_kib} t={t}: {e}"
        );
        assert!(started.elapsed() < std::time::Duration::from_millis(500));
    }
}

#[test]
fn attachment_chunks_are_padded_to_64_kib() {
    let tmp = tempfile::tempdir().unwrap();
    let j = open(tmp.path());
    j.create(PASS).unwrap();
    let mut d = EntryDraft::note("photo", "");
    d.attachments.push(NewAttachment {
        name: "small.jpg".into(),
        mime: "image/jpeg".into(),
        data: vec![7; 100],
    });
    j.add(d).unwrap();
    let c = parasol_core::store::open_connection(&tmp.path().join("parasol.db")).unwrap();
    let mut s = c
        .prepare("SELECT length(sealed) FROM journal_chunks")
        .unwrap();
    let lens: Vec<i64> = s
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    assert!(!lens.is_empty());
    for len in lens {
        assert_eq!(
            len,
            1 + 24 + 64 * 1024 + 16,
            "a 100-byte attachment looks like 64 KiB"
        );
    }
}

#[test]
fn passphrases_without_a_visible_character_are_refused() {
    for bad in ["\u{0}", "\u{200B}", "\u{3000} \t", "\u{200D}\u{FE0F}"] {
        let tmp = tempfile::tempdir().unwrap();
        let j = open(tmp.path());
        let e = j.create(bad.as_bytes()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{bad:?}");
        assert!(!j.exists().unwrap());
    }
    let tmp = tempfile::tempdir().unwrap();
    let j = open(tmp.path());
    j.create(PASS).unwrap();
    let e = j
        .change_passphrase(PASS, "\u{200B}".as_bytes())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
}
