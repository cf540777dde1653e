//! Tests of the journal through its public API, with low key-derivation
//! parameters so they run fast (one test checks the defaults).

use super::*;
use crate::clock::FakeClock;
use crate::config::Config;
use crate::keystore::{KeySpec, KeyStore, SoftwareKeyStore, JOURNAL_KEY};
use base64::Engine;
use rusqlite::Connection;
use slots::Header;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

const PASS: &[u8] = b"correct horse battery staple";
const PRIMARY_SLOT_FOR_TESTS: usize = slots::PRIMARY_SLOT;

struct Fixture {
    dir: tempfile::TempDir,
    clock: Arc<FakeClock>,
    journal: Journal,
}

fn open_profile(dir: &Path, clock: Arc<FakeClock>) -> Arc<Profile> {
    crate::journal::wipe::complete_pending_wipe(dir).unwrap();
    std::fs::create_dir_all(dir).unwrap();
    let keys = SoftwareKeyStore::open(&dir.join(wipe::SOFTWARE_KEY_FILE)).unwrap();
    Arc::new(Profile::open_with_clock(Config::new(dir), Arc::new(keys), clock).unwrap())
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(Utc::now()));
    let profile = open_profile(dir.path(), clock.clone());
    let journal = Journal::with_options(
        profile,
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    journal.create(PASS).unwrap();
    Fixture {
        dir,
        clock,
        journal,
    }
}

impl Fixture {
    fn reopen(&self) -> Journal {
        let profile = open_profile(self.dir.path(), self.clock.clone());
        Journal::with_options(
            profile,
            JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
        )
    }

    fn raw<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> T {
        self.journal.profile.store().with(f).unwrap()
    }

    fn records(&self) -> Vec<(i64, Vec<u8>, Option<Vec<u8>>)> {
        self.raw(|c| {
            let mut s =
                c.prepare("SELECT seq, record_id, sealed FROM journal_records ORDER BY seq")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
        })
    }

    /// The session's data key.
    fn keys(&self) -> VaultKeys {
        match &self.journal.lock_inner().state {
            State::Unlocked(s) => VaultKeys::new(s.keys.dek.clone(), s.keys.vault_id).unwrap(),
            _ => panic!("unlocked"),
        }
    }

    /// The row id of `version` of entry `id`.
    fn record_id(&self, id: &str, version: u32) -> [u8; 16] {
        self.keys()
            .record_id(&entry::parse_id(id).unwrap(), version)
    }

    /// The chunk ids of the attachments of entry `id`'s newest version.
    fn chunk_ids(&self, id: &str) -> Vec<[u8; 16]> {
        let keys = self.keys();
        let e = self.journal.get(id).unwrap();
        let mut out = Vec::new();
        for a in &e.attachments {
            let att = entry::parse_id(&a.id).unwrap();
            out.extend((0..a.chunks).map(|i| keys.chunk_id(&att, i)));
        }
        out
    }

    fn exec(&self, sql: &str, params: impl rusqlite::Params) {
        self.raw(|c| {
            c.execute(sql, params)?;
            Ok(())
        });
    }

    fn table_bytes(&self, sql: &str) -> Vec<Vec<u8>> {
        self.raw(|c| {
            let mut s = c.prepare(sql)?;
            let rows = s.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
            Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
        })
    }
}

fn incident(title: &str, what: &str) -> EntryDraft {
    let mut d = EntryDraft::note(title, "");
    d.kind = EntryKind::Incident;
    d.incident = Some(Incident {
        when: Some("Friday 23:00".into()),
        person: Some(what.to_owned()),
        contact: Some("+31 6 1234 5678".into()),
        what_happened: Some(what.to_owned()),
        reported_to_police: Some(false),
        ..Incident::default()
    });
    d.tags = vec!["client".into()];
    d
}

#[test]
fn add_get_list_update_history_delete_search() {
    let f = fixture();
    let j = &f.journal;
    let a = j.add(EntryDraft::note("first", "hello world")).unwrap();
    f.clock.advance(Duration::seconds(5));
    let b = j.add(incident("second", "grey van")).unwrap();
    let listed = j.list().unwrap();
    assert_eq!(
        listed.iter().map(|e| e.id.clone()).collect::<Vec<_>>(),
        vec![a.clone(), b.clone()]
    );
    let e = j.get(&b).unwrap();
    assert_eq!(e.kind, EntryKind::Incident);
    assert_eq!(
        e.incident.as_ref().unwrap().what_happened.as_deref(),
        Some("grey van")
    );
    assert_eq!(e.version, 1);
    f.clock.advance(Duration::seconds(5));
    assert_eq!(
        j.update(&a, EntryDraft::note("first", "hello again"))
            .unwrap(),
        2
    );
    let h = j.history(&a).unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0].body, "hello world");
    assert_eq!(h[1].body, "hello again");
    assert_eq!(h[1].created_at, h[0].created_at);
    assert!(h[1].updated_at > h[0].updated_at);
    assert_eq!(j.search("GREY").unwrap().len(), 1);
    assert_eq!(j.search("hello").unwrap().len(), 1);
    assert_eq!(j.search("client").unwrap().len(), 1);
    assert!(j.search("  ").is_err());
    j.delete(&a).unwrap();
    assert_eq!(j.get(&a).unwrap_err().kind(), crate::ErrorKind::NotFound);
    assert_eq!(j.delete(&a).unwrap_err().kind(), crate::ErrorKind::NotFound);
    assert_eq!(j.list().unwrap().len(), 1);
    let report = j.verify().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(report.records, 4, "a v1, b v1, a v2, a deleted");
    // Bad input is typed.
    assert_eq!(
        j.get("nope").unwrap_err().kind(),
        crate::ErrorKind::InvalidInput
    );
    assert_eq!(
        j.get(&"0".repeat(32)).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert_eq!(
        j.add(EntryDraft::note(" ", "x")).unwrap_err().kind(),
        crate::ErrorKind::InvalidInput
    );
    // Persisted: a new process sees the same.
    let j2 = f.reopen();
    assert_eq!(j2.list().unwrap_err().kind(), crate::ErrorKind::Locked);
    j2.unlock(PASS).unwrap();
    assert_eq!(j2.list().unwrap().len(), 1);
    assert_eq!(j2.get(&b).unwrap().title, "second");
}

#[test]
fn attachments_are_chunked_and_checked() {
    let f = fixture();
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let mut d = EntryDraft::note("photo", "");
    d.attachments.push(NewAttachment {
        name: "bruise.jpg".into(),
        mime: "image/jpeg".into(),
        data: data.clone(),
    });
    let id = f.journal.add(d).unwrap();
    let e = f.journal.get(&id).unwrap();
    assert_eq!(e.attachments.len(), 1);
    assert_eq!(e.attachments[0].chunks, 4);
    let got = f.journal.attachment(&id, &e.attachments[0].id).unwrap();
    assert_eq!(&got[..], &data[..]);
    // Every chunk, the last one too, is padded to exactly 64 KiB.
    let chunks = f.chunk_ids(&id);
    assert_eq!(chunks.len(), 4);
    for c in &chunks {
        let len: i64 = f.raw(|db| {
            Ok(db.query_row(
                "SELECT length(sealed) FROM journal_chunks WHERE chunk_id = ?1",
                [&c[..]],
                |r| r.get(0),
            )?)
        });
        assert_eq!(len as usize, crate::crypto::sealed_len(64 * 1024));
    }
    // Swapping two chunks is detected.
    f.raw(|c| {
        let a: Vec<u8> = c.query_row(
            "SELECT sealed FROM journal_chunks WHERE chunk_id = ?1",
            [&chunks[0][..]],
            |r| r.get(0),
        )?;
        let b: Vec<u8> = c.query_row(
            "SELECT sealed FROM journal_chunks WHERE chunk_id = ?1",
            [&chunks[1][..]],
            |r| r.get(0),
        )?;
        c.execute(
            "UPDATE journal_chunks SET sealed = ?1 WHERE chunk_id = ?2",
            rusqlite::params![b, &chunks[0][..]],
        )?;
        c.execute(
            "UPDATE journal_chunks SET sealed = ?1 WHERE chunk_id = ?2",
            rusqlite::params![a, &chunks[1][..]],
        )?;
        Ok(())
    });
    let err = f.journal.attachment(&id, &e.attachments[0].id).unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::Crypto);
    // Deleting the entry removes its chunks.
    f.journal.delete(&id).unwrap();
    for c in &chunks {
        let n: i64 = f.raw(|db| {
            Ok(db.query_row(
                "SELECT COUNT(*) FROM journal_chunks WHERE chunk_id = ?1",
                [&c[..]],
                |r| r.get(0),
            )?)
        });
        assert_eq!(n, 0);
    }
}

const CANARIES: [&str; 6] = [
    "CANARYtitleQX7",
    "CANARYbodyQX7",
    "CANARYtagQX7",
    "CANARYpersonQX7",
    "CANARYattachQX7",
    "CANARYupdateQX7",
];

fn forms(canary: &str) -> Vec<Vec<u8>> {
    let mut out = vec![canary.as_bytes().to_vec()];
    out.push(
        canary
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect(),
    );
    out.push(
        canary
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect(),
    );
    out.push(hex::encode(canary).into_bytes());
    out.push(hex::encode_upper(canary).into_bytes());
    // Base64 of the canary at each of the three alignments: the middle part
    // that does not depend on neighbouring bytes.
    for shift in 0..3 {
        let mut padded = vec![0u8; shift];
        padded.extend_from_slice(canary.as_bytes());
        let enc = base64::engine::general_purpose::STANDARD.encode(&padded);
        let start = (shift * 4).div_ceil(3) + 1;
        let end = enc.len().saturating_sub(4);
        out.push(enc.as_bytes()[start..end].to_vec());
    }
    out
}

fn assert_absent(dir: &Path, needles: &[Vec<u8>], label: &str) {
    fn walk(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, files)
            } else {
                files.push(p)
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    assert!(!files.is_empty());
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        for n in needles {
            assert!(
                !bytes.windows(n.len()).any(|w| w == &n[..]),
                "{label}: {:?} found in {}",
                String::from_utf8_lossy(n),
                file.display()
            );
        }
    }
}

#[test]
fn canaries_never_reach_the_disk() {
    let f = fixture();
    let needles: Vec<Vec<u8>> = CANARIES.iter().flat_map(|c| forms(c)).collect();
    let j = &f.journal;
    let mut d = incident(CANARIES[0], CANARIES[3]);
    d.body = format!("{} and more", CANARIES[1]);
    d.tags.push(CANARIES[2].into());
    d.attachments.push(NewAttachment {
        name: format!("{}.txt", CANARIES[4]),
        mime: "text/plain".into(),
        data: CANARIES[4].repeat(50).into_bytes(),
    });
    let a = j.add(d.clone()).unwrap();
    let b = j.add(d.clone()).unwrap();
    assert_absent(f.dir.path(), &needles, "after writes");
    let mut u = d.clone();
    u.body = CANARIES[5].into();
    u.attachments.clear();
    j.update(&a, u).unwrap();
    assert_absent(f.dir.path(), &needles, "after update");
    j.delete(&b).unwrap();
    assert_absent(f.dir.path(), &needles, "after delete");
    assert_eq!(j.search(CANARIES[5]).unwrap().len(), 1);
    j.lock();
    assert_absent(f.dir.path(), &needles, "after lock");
    drop(f.journal);
    assert_absent(f.dir.path(), &needles, "after close");
}

#[test]
fn every_single_bit_flip_of_a_sealed_record_is_rejected() {
    let f = fixture();
    let id = f.journal.add(EntryDraft::note("t", "evidence")).unwrap();
    let rid = f.record_id(&id, 1);
    for column in ["summary", "sealed"] {
        let sealed: Vec<u8> = f.raw(|c| {
            Ok(c.query_row(
                &format!("SELECT {column} FROM journal_records WHERE record_id = ?1"),
                [&rid[..]],
                |r| r.get(0),
            )?)
        });
        for bit in 0..sealed.len() * 8 {
            let mut bad = sealed.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            f.exec(
                &format!("UPDATE journal_records SET {column} = ?1 WHERE record_id = ?2"),
                rusqlite::params![bad, &rid[..]],
            );
            let err = f.journal.get(&id).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Crypto, "{column} bit {bit}");
            if column == "sealed" {
                assert!(f.journal.list().is_err(), "{column} bit {bit}");
            }
            if bit % 97 == 0 {
                assert!(!f.journal.verify().unwrap().ok, "{column} bit {bit}");
                // Summaries are checked when the session starts: a new
                // unlock notices, and every read says so.
                f.journal.lock();
                f.journal.unlock(PASS).unwrap();
                assert!(f.journal.list().is_err(), "{column} bit {bit}");
                assert!(f.journal.list_titles().is_err(), "{column} bit {bit}");
            }
        }
        f.exec(
            &format!("UPDATE journal_records SET {column} = ?1 WHERE record_id = ?2"),
            rusqlite::params![sealed, &rid[..]],
        );
        f.journal.lock();
        f.journal.unlock(PASS).unwrap();
    }
    assert_eq!(f.journal.get(&id).unwrap().body, "evidence");
    assert!(f.journal.verify().unwrap().ok);
}

#[test]
fn ciphertext_swapped_between_rows_is_rejected() {
    let f = fixture();
    let a = f.journal.add(EntryDraft::note("a", "aaa")).unwrap();
    let b = f.journal.add(EntryDraft::note("b", "bbb")).unwrap();
    let (ra, rb) = (f.record_id(&a, 1), f.record_id(&b, 1));
    for column in ["summary", "sealed"] {
        let get = |r: &[u8; 16]| -> Vec<u8> {
            f.raw(|c| {
                Ok(c.query_row(
                    &format!("SELECT {column} FROM journal_records WHERE record_id = ?1"),
                    [&r[..]],
                    |x| x.get(0),
                )?)
            })
        };
        let (va, vb) = (get(&ra), get(&rb));
        let set = |r: &[u8; 16], v: &[u8]| {
            f.exec(
                &format!("UPDATE journal_records SET {column} = ?1 WHERE record_id = ?2"),
                rusqlite::params![v, &r[..]],
            )
        };
        set(&ra, &vb);
        set(&rb, &va);
        assert_eq!(
            f.journal.get(&a).unwrap_err().kind(),
            crate::ErrorKind::Crypto,
            "{column}"
        );
        assert_eq!(
            f.journal.get(&b).unwrap_err().kind(),
            crate::ErrorKind::Crypto,
            "{column}"
        );
        assert!(!f.journal.verify().unwrap().ok, "{column}");
        set(&ra, &va);
        set(&rb, &vb);
    }
    assert!(f.journal.verify().unwrap().ok);
}

#[test]
fn rekey_rewraps_only_the_slot() {
    let f = fixture();
    let mut d = EntryDraft::note("t", "body");
    d.attachments.push(NewAttachment {
        name: "a".into(),
        mime: "x/y".into(),
        data: vec![7; 100_000],
    });
    f.journal.add(d).unwrap();
    let before = (
        f.records(),
        f.table_bytes("SELECT sealed FROM journal_chunks ORDER BY chunk_id"),
    );
    let slot0 = f.table_bytes("SELECT wrapped FROM journal_slots WHERE slot = 0");
    assert_eq!(
        f.journal
            .change_passphrase(b"wrong", b"new one")
            .unwrap_err()
            .kind(),
        crate::ErrorKind::WrongPassphrase
    );
    f.journal
        .change_passphrase(PASS, "new passphrase ✓".as_bytes())
        .unwrap();
    let after = (
        f.records(),
        f.table_bytes("SELECT sealed FROM journal_chunks ORDER BY chunk_id"),
    );
    assert_eq!(before, after, "data ciphertext is byte-identical");
    assert_ne!(
        slot0,
        f.table_bytes("SELECT wrapped FROM journal_slots WHERE slot = 0")
    );
    let j2 = f.reopen();
    assert_eq!(
        j2.unlock(PASS).unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    j2.unlock("new passphrase ✓".as_bytes()).unwrap();
    assert_eq!(j2.list().unwrap().len(), 1);
}

#[test]
fn nfc_and_nfd_passphrases_unlock_the_same_journal() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FakeClock::new(Utc::now()));
    let j = Journal::with_options(
        open_profile(dir.path(), clock),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    j.create("Zoë señal".as_bytes()).unwrap();
    j.lock();
    j.unlock("Zoe\u{308}\u{a0}sen\u{303}al".as_bytes()).unwrap();
    assert!(j.is_unlocked());
}

#[test]
fn empty_and_huge_passphrases_get_clear_errors() {
    let f = fixture();
    f.journal.lock();
    let e = f.journal.unlock(b"").unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("empty"));
    let e = f.journal.unlock(&vec![b'x'; 1 << 20]).unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("too long"));
    // Neither counted as a failed attempt.
    assert_eq!(f.journal.lockout().unwrap().failed, 0);
}

#[test]
fn hash_chain_detects_a_deleted_middle_entry_and_a_cut_tail() {
    let f = fixture();
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(
            f.journal
                .add(EntryDraft::note(format!("e{i}"), "x"))
                .unwrap(),
        );
    }
    assert!(f.journal.verify().unwrap().ok);
    f.exec(
        "DELETE FROM journal_records WHERE record_id = ?1",
        [&f.record_id(&ids[2], 1)[..]],
    );
    let r = f.journal.verify().unwrap();
    assert!(!r.ok);
    let b = r.first_broken.unwrap();
    assert_eq!(b.position, 3, "{b:?}");
    assert!(b.reason.contains("removed"), "{b:?}");

    let g = fixture();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            g.journal
                .add(EntryDraft::note(format!("e{i}"), "x"))
                .unwrap(),
        );
    }
    g.exec(
        "DELETE FROM journal_records WHERE record_id = ?1",
        [&g.record_id(&ids[2], 1)[..]],
    );
    let r = g.journal.verify().unwrap();
    assert_eq!(r.first_broken.unwrap().position, 3, "the newest is missing");
    // Emptying a record by hand (not through delete) is caught too.
    let h = fixture();
    let a = h.journal.add(EntryDraft::note("a", "x")).unwrap();
    h.journal.add(EntryDraft::note("b", "x")).unwrap();
    h.exec(
        "UPDATE journal_records SET sealed = NULL WHERE record_id = ?1",
        [&h.record_id(&a, 1)[..]],
    );
    let r = h.journal.verify().unwrap();
    assert_eq!(r.first_broken.unwrap().position, 1);
}

#[test]
fn auto_lock_after_idle_timeout() {
    let f = fixture();
    f.journal.set_idle_timeout(60).unwrap();
    assert!(f.journal.set_idle_timeout(0).is_err());
    f.journal.add(EntryDraft::note("a", "b")).unwrap();
    f.clock.advance(Duration::seconds(59));
    assert!(f.journal.list().is_ok(), "activity resets the timer");
    f.clock.advance(Duration::seconds(59));
    assert!(f.journal.is_unlocked());
    f.clock.advance(Duration::seconds(2));
    assert_eq!(
        f.journal.list().unwrap_err().kind(),
        crate::ErrorKind::Locked
    );
    assert!(!f.journal.is_unlocked());
    f.journal.unlock(PASS).unwrap();
    assert_eq!(f.journal.list().unwrap().len(), 1);
}

/// A key store that counts unwraps and can be made to fail.
struct FlakyKeyStore {
    inner: SoftwareKeyStore,
    fail: std::sync::atomic::AtomicBool,
    refuse_delete: std::sync::atomic::AtomicBool,
}

impl KeyStore for FlakyKeyStore {
    fn wrap(&self, key: KeySpec, secret: &[u8]) -> Result<Vec<u8>> {
        self.inner.wrap(key, secret)
    }
    fn unwrap(&self, key: KeySpec, wrapped: &[u8]) -> Result<Vec<u8>> {
        if key == JOURNAL_KEY && self.fail.load(Ordering::SeqCst) {
            return Err(Error::Platform("simulated crash during unlock".into()));
        }
        self.inner.unwrap(key, wrapped)
    }
    fn delete(&self, key: KeySpec) -> Result<()> {
        if self.refuse_delete.load(Ordering::SeqCst) {
            return Err(Error::Platform("the key store refused to delete".into()));
        }
        self.inner.delete(key)
    }
}

/// A journal over a key store that refuses to delete its keys.
fn refusing_fixture() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(FlakyKeyStore {
        inner: SoftwareKeyStore::ephemeral(),
        fail: false.into(),
        refuse_delete: true.into(),
    });
    let profile = Arc::new(
        Profile::open_with_clock(
            Config::new(dir.path()),
            keys,
            Arc::new(FakeClock::new(Utc::now())),
        )
        .unwrap(),
    );
    let j = Journal::with_options(
        profile,
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    j.create(PASS).unwrap();
    j.add(EntryDraft::note("real", "x")).unwrap();
    (dir, j)
}

#[test]
fn a_refused_key_deletion_during_a_duress_wipe_answers_like_a_wrong_passphrase() {
    let (_dir, j) = refusing_fixture();
    let hook = Arc::new(CountingHook::default());
    j.set_duress_hook(Some(hook.clone()));
    j.set_duress(
        PASS,
        b"duress",
        DuressActions {
            alert: true,
            wipe: true,
            open_decoy: false,
        },
    )
    .unwrap();
    j.lock();
    let wrong = j.unlock(b"a wrong guess").unwrap_err();
    let duress = j.unlock(b"duress").unwrap_err();
    assert_eq!(duress.kind(), wrong.kind());
    assert_eq!(duress.to_string(), wrong.to_string());
    assert_eq!(format!("{duress:?}"), format!("{wrong:?}"));
    assert_eq!(
        crate::app::Notice::from_error(&duress),
        crate::app::Notice::from_error(&wrong)
    );
    assert_eq!(hook.0.load(Ordering::SeqCst), 1, "the alert went first");
    // The rest of the wipe ran.
    assert!(!j.exists().unwrap());
}

#[test]
fn a_refused_key_deletion_at_the_failure_limit_answers_like_a_wrong_passphrase() {
    let (_dir, j) = refusing_fixture();
    j.set_wipe_after_failures(PASS, Some(2)).unwrap();
    j.lock();
    let first = j.unlock(b"guess one").unwrap_err();
    let last = j.unlock(b"guess two").unwrap_err();
    assert_eq!(last.kind(), first.kind());
    assert_eq!(last.to_string(), first.to_string());
    assert!(!j.exists().unwrap(), "the limit wiped");
}

#[test]
fn failed_attempts_are_counted_before_the_kdf_and_can_wipe() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(FlakyKeyStore {
        inner: SoftwareKeyStore::ephemeral(),
        fail: false.into(),
        refuse_delete: false.into(),
    });
    let profile = Arc::new(
        Profile::open_with_clock(
            Config::new(dir.path()),
            keys.clone(),
            Arc::new(FakeClock::new(Utc::now())),
        )
        .unwrap(),
    );
    let j = Journal::with_options(
        profile,
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    j.create(PASS).unwrap();
    j.add(EntryDraft::note("keep", "me")).unwrap();
    j.lock();
    // The platform step fails before any passphrase is tried: not counted
    // (no guess happened), and nothing opens.
    keys.fail.store(true, Ordering::SeqCst);
    assert_eq!(
        j.unlock(PASS).unwrap_err().kind(),
        crate::ErrorKind::Platform
    );
    assert_eq!(j.lockout().unwrap().failed, 0);
    keys.fail.store(false, Ordering::SeqCst);
    assert_eq!(
        j.unlock(b"guess").unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert_eq!(j.lockout().unwrap().failed, 1);
    j.unlock(PASS).unwrap();
    assert_eq!(j.lockout().unwrap().failed, 0);
    // Off by default; then three failures wipe.
    assert_eq!(j.lockout().unwrap().wipe_after, None);
    j.set_wipe_after_failures(PASS, Some(3)).unwrap();
    j.lock();
    for _ in 0..2 {
        assert_eq!(
            j.unlock(b"guess").unwrap_err().kind(),
            crate::ErrorKind::WrongPassphrase
        );
        assert!(j.exists().unwrap());
    }
    assert_eq!(
        j.unlock(b"guess").unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert!(!j.exists().unwrap());
    assert_eq!(
        j.unlock(PASS).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

#[test]
fn an_attempt_is_durable_while_the_key_derivation_runs() {
    // A slow (but allowed) derivation, so that a second connection can look
    // at the stored count while the guess is still being computed.
    let dir = tempfile::tempdir().unwrap();
    let profile = open_profile(dir.path(), Arc::new(FakeClock::new(Utc::now())));
    let options = JournalOptions {
        kdf: KdfParams {
            m_kib: 64 * 1024,
            t: 8,
            p: 1,
        },
        ..JournalOptions::default()
    };
    let j = Arc::new(Journal::with_options(profile.clone(), options));
    j.create(PASS).unwrap();
    j.lock();
    let guesser = {
        let j = j.clone();
        std::thread::spawn(move || j.unlock(b"a wrong guess"))
    };
    let db = crate::store::open_connection(&dir.path().join(crate::profile::DB_FILE)).unwrap();
    let started = std::time::Instant::now();
    let mut seen_during = false;
    while !guesser.is_finished() && started.elapsed() < std::time::Duration::from_secs(60) {
        let lo = lockout::read(&db, profile.device_key(), dir.path(), true).unwrap();
        if lo.failed == 1 && !guesser.is_finished() {
            seen_during = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let result = guesser.join().unwrap();
    assert_eq!(
        result.unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert!(
        seen_during,
        "the attempt was stored before the derivation finished"
    );
}

#[derive(Default)]
struct CountingHook(AtomicUsize);

impl DuressHook for CountingHook {
    fn on_duress(&self, _wipe_follows: bool) -> Result<()> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Err(Error::Network("offline".into()))
    }
}

#[test]
fn duress_decoy_alert_and_look_alike() {
    let f = fixture();
    let hook = Arc::new(CountingHook::default());
    f.journal.set_duress_hook(Some(hook.clone()));
    let real = f
        .journal
        .add(EntryDraft::note("real", "the real thing"))
        .unwrap();
    let sizes = |f: &Fixture| {
        (
            f.table_bytes("SELECT wrapped FROM journal_slots ORDER BY slot")
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>(),
            f.table_bytes("SELECT head FROM journal_slots ORDER BY slot")
                .iter()
                .map(Vec::len)
                .collect::<Vec<_>>(),
        )
    };
    let without = sizes(&f);
    assert!(f
        .journal
        .set_duress(
            PASS,
            PASS,
            DuressActions {
                open_decoy: true,
                ..Default::default()
            }
        )
        .is_err());
    assert!(f
        .journal
        .set_duress(PASS, b"duress", DuressActions::default())
        .is_err());
    f.journal
        .set_duress(
            PASS,
            b"duress",
            DuressActions {
                open_decoy: true,
                alert: true,
                wipe: false,
            },
        )
        .unwrap();
    assert_eq!(
        sizes(&f),
        without,
        "slots look the same with and without duress"
    );
    f.journal.lock();
    f.journal.unlock(b"duress").unwrap();
    assert_eq!(
        hook.0.load(Ordering::SeqCst),
        1,
        "alert hook called (its error is swallowed)"
    );
    assert!(f.journal.list().unwrap().is_empty(), "decoy is separate");
    let decoy = f.journal.add(EntryDraft::note("shopping", "milk")).unwrap();
    let decoy_row = f.record_id(&decoy, 1);
    assert_eq!(
        f.journal.get(&real).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert!(f.journal.verify().unwrap().ok);
    f.journal.lock();
    f.journal.unlock(PASS).unwrap();
    assert_eq!(hook.0.load(Ordering::SeqCst), 1);
    assert_eq!(f.journal.list().unwrap().len(), 1);
    assert_eq!(
        f.journal.get(&decoy).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    assert!(
        f.journal.verify().unwrap().ok,
        "decoy rows do not disturb the real chain"
    );
    // Alert only: looks like a wrong passphrase.
    f.journal
        .set_duress(
            PASS,
            b"duress",
            DuressActions {
                alert: true,
                ..Default::default()
            },
        )
        .unwrap();
    let left: i64 = f.raw(|c| {
        Ok(c.query_row(
            "SELECT COUNT(*) FROM journal_records WHERE record_id = ?1",
            [&decoy_row[..]],
            |r| r.get(0),
        )?)
    });
    assert_eq!(left, 0, "old decoy entries removed");
    f.journal.lock();
    assert_eq!(
        f.journal.unlock(b"duress").unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert_eq!(hook.0.load(Ordering::SeqCst), 2);
    f.journal.unlock(PASS).unwrap();
    f.journal.clear_duress(PASS).unwrap();
    assert_eq!(sizes(&f), without);
    f.journal.lock();
    assert_eq!(
        f.journal.unlock(b"duress").unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert_eq!(hook.0.load(Ordering::SeqCst), 2);
}

#[test]
fn duress_wipe_alerts_first_then_wipes() {
    let f = fixture();
    let hook = Arc::new(CountingHook::default());
    f.journal.set_duress_hook(Some(hook.clone()));
    f.journal.add(EntryDraft::note("real", "x")).unwrap();
    f.journal
        .set_duress(
            PASS,
            b"duress",
            DuressActions {
                alert: true,
                wipe: true,
                open_decoy: false,
            },
        )
        .unwrap();
    f.journal.lock();
    assert_eq!(
        f.journal.unlock(b"duress").unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert_eq!(hook.0.load(Ordering::SeqCst), 1);
    assert!(!f.journal.exists().unwrap());
    let j2 = f.reopen();
    assert!(!j2.exists().unwrap());
    assert_eq!(
        j2.unlock(PASS).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
}

fn files_in(dir: &Path) -> Vec<Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
        .collect()
}

#[test]
fn wipe_removes_keys_and_data_and_old_passphrase_fails() {
    let f = fixture();
    let mut d = incident(CANARIES[0], CANARIES[3]);
    d.body = CANARIES[1].into();
    f.journal.add(d).unwrap();
    f.journal.profile.set_country("NL").unwrap();
    let dek = match &f.journal.lock_inner().state {
        State::Unlocked(s) => s.keys.dek.expose().to_vec(),
        _ => panic!("unlocked"),
    };
    let device_key = f.journal.profile.device_key().expose().to_vec();
    let device_file = std::fs::read(f.dir.path().join("device.key")).unwrap();
    let keystore_file = std::fs::read(f.dir.path().join("keystore.bin")).unwrap();
    let slots = f.table_bytes("SELECT wrapped FROM journal_slots");
    let header = f.table_bytes("SELECT header FROM journal_meta");
    // A table added later by another feature is covered too.
    f.raw(|c| {
        c.execute_batch("CREATE TABLE alerts_test(x BLOB); INSERT INTO alerts_test VALUES (x'CAFEBABECAFEBABE');")?;
        Ok(())
    });
    f.journal.wipe().unwrap();
    assert!(!f.dir.path().join("device.key").exists());
    assert!(!f.dir.path().join("keystore.bin").exists());
    assert!(!f.dir.path().join(wipe::WIPE_MARKER).exists());
    assert_eq!(
        f.journal.list().unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    let mut needles: Vec<Vec<u8>> = CANARIES.iter().flat_map(|c| forms(c)).collect();
    needles.extend([
        dek,
        device_key,
        device_file,
        keystore_file,
        header[0].clone(),
        hex::decode("CAFEBABECAFEBABE").unwrap(),
    ]);
    needles.extend(slots);
    assert_absent(f.dir.path(), &needles, "after wipe");
    let n: i64 = f.raw(|c| Ok(c.query_row("SELECT COUNT(*) FROM settings", [], |r| r.get(0))?));
    assert_eq!(n, 0);
    let j2 = f.reopen();
    assert!(!j2.exists().unwrap());
    assert_eq!(
        j2.unlock(PASS).unwrap_err().kind(),
        crate::ErrorKind::NotFound
    );
    // A new journal can be made after reopening.
    j2.create(b"fresh start").unwrap();
}

#[test]
fn interrupted_wipe_completes_on_next_open() {
    for stage in 0..3 {
        let f = fixture();
        f.journal
            .add(EntryDraft::note(CANARIES[0], CANARIES[1]))
            .unwrap();
        let slots = f.table_bytes("SELECT wrapped FROM journal_slots");
        let dir = f.dir.path().to_path_buf();
        // Simulate a crash after each stage of the wipe.
        f.raw(|c| {
            wipe::begin(&dir)?;
            if stage >= 1 {
                wipe::shred_keys(c)?;
            }
            if stage >= 2 {
                wipe::delete_key_files(&dir)?;
            }
            Ok(())
        });
        let Fixture {
            dir: tmp,
            clock,
            journal,
        } = f;
        drop(journal);
        assert!(wipe::pending(tmp.path()));
        let profile = open_profile(tmp.path(), clock);
        assert!(!wipe::pending(tmp.path()));
        let j = Journal::with_options(
            profile,
            JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
        );
        assert!(!j.exists().unwrap(), "stage {stage}");
        assert_eq!(
            j.unlock(PASS).unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
        let mut needles: Vec<Vec<u8>> = CANARIES.iter().flat_map(|c| forms(c)).collect();
        needles.extend(slots);
        // The fresh profile's new device key is the only key file.
        assert_absent(tmp.path(), &needles, "after completed wipe");
        let n: usize = files_in(tmp.path()).len();
        assert!(n >= 1);
    }
}

#[test]
fn backup_round_trip_keeps_chain_and_history() {
    let f = fixture();
    let a = f.journal.add(incident("incident", "blue car")).unwrap();
    f.journal
        .update(&a, EntryDraft::note("incident", "edited"))
        .unwrap();
    let mut d = EntryDraft::note("photo", "");
    d.attachments.push(NewAttachment {
        name: "p.jpg".into(),
        mime: "image/jpeg".into(),
        data: vec![3; 150_000],
    });
    let p = f.journal.add(d).unwrap();
    let gone = f.journal.add(EntryDraft::note("gone", "x")).unwrap();
    f.journal.delete(&gone).unwrap();
    let report = f.journal.verify().unwrap();
    let out = f.dir.path().join("backup.pjb");
    assert_eq!(
        f.journal
            .export_backup(b"wrong", None, &out)
            .unwrap_err()
            .kind(),
        crate::ErrorKind::WrongPassphrase
    );
    f.journal
        .export_backup(PASS, Some(b"backup pass"), &out)
        .unwrap();

    let other = fixture();
    other
        .journal
        .add(EntryDraft::note("will be replaced", "y"))
        .unwrap();
    assert_eq!(
        other
            .journal
            .import_backup(&out, PASS, b"new journal pass")
            .unwrap_err()
            .kind(),
        crate::ErrorKind::WrongPassphrase
    );
    assert_eq!(
        other.journal.list().unwrap().len(),
        1,
        "untouched after a failure"
    );
    other
        .journal
        .import_backup(&out, b"backup pass", b"new journal pass")
        .unwrap();
    assert!(!other.journal.is_unlocked());
    assert_eq!(
        other.journal.unlock(PASS).unwrap_err().kind(),
        crate::ErrorKind::WrongPassphrase
    );
    other.journal.unlock(b"new journal pass").unwrap();
    let r2 = other.journal.verify().unwrap();
    assert!(r2.ok, "{r2:?}");
    assert_eq!(
        r2.records, 3,
        "every version; the deletion is not carried over"
    );
    assert_ne!(
        r2.head_hash, report.head_hash,
        "re-sealed under a new data key"
    );
    let head = other.raw(|c| writes::current_head(c, &other.keys(), PRIMARY_SLOT_FOR_TESTS));
    assert_eq!(
        hex::encode(head.base),
        report.head_hash,
        "the new chain continues from the old head"
    );
    assert_eq!(other.journal.history(&a).unwrap().len(), 2);
    let e = other.journal.get(&p).unwrap();
    assert_eq!(
        &other.journal.attachment(&p, &e.attachments[0].id).unwrap()[..],
        &vec![3u8; 150_000][..]
    );
    assert_eq!(other.journal.list().unwrap().len(), 2);
}

fn journal_fingerprint(f: &Fixture) -> Vec<Vec<u8>> {
    let mut v = f.table_bytes("SELECT header FROM journal_meta");
    for sql in [
        "SELECT wrapped FROM journal_slots ORDER BY slot",
        "SELECT head FROM journal_slots ORDER BY slot",
        "SELECT record_id FROM journal_records ORDER BY seq",
        "SELECT IFNULL(sealed, x'') FROM journal_records ORDER BY seq",
        "SELECT chunk_id FROM journal_chunks ORDER BY chunk_id",
        "SELECT sealed FROM journal_chunks ORDER BY chunk_id",
    ] {
        v.extend(f.table_bytes(sql));
    }
    v
}

#[test]
fn every_bit_flip_truncation_reorder_and_bomb_in_a_backup_is_refused() {
    let f = fixture();
    f.journal.add(EntryDraft::note("small", "entry")).unwrap();
    let out = f.dir.path().join("small.pjb");
    f.journal.export_backup(PASS, None, &out).unwrap();
    let good = std::fs::read(&out).unwrap();
    let target = fixture();
    target
        .journal
        .add(EntryDraft::note("existing", "stays"))
        .unwrap();
    let before = journal_fingerprint(&target);
    let bad = target.dir.path().join("bad.pjb");
    let try_import = |bytes: &[u8]| -> Error {
        std::fs::write(&bad, bytes).unwrap();
        target.journal.import_backup(&bad, PASS, PASS).unwrap_err()
    };
    for bit in 0..good.len() * 8 {
        let mut b = good.clone();
        b[bit / 8] ^= 1 << (bit % 8);
        let e = try_import(&b);
        assert_ne!(e.kind(), crate::ErrorKind::Internal, "bit {bit}: {e}");
    }
    for cut in [
        0,
        10,
        backup::HEADER_LEN,
        backup::HEADER_LEN + 32,
        good.len() / 2,
        good.len() - 1,
    ] {
        let e = try_import(&good[..cut]);
        assert!(
            matches!(
                e.kind(),
                crate::ErrorKind::Crypto | crate::ErrorKind::InvalidInput
            ),
            "cut {cut}: {e}"
        );
    }
    let mut junk = good.clone();
    junk.push(0);
    assert!(try_import(&junk)
        .to_string()
        .contains("after its final chunk"));
    // Newer version.
    let mut newer = good.clone();
    newer[12] = 9;
    assert!(try_import(&newer).to_string().contains("version 9"));
    // KDF bomb: refused before any work.
    let mut bomb = good.clone();
    bomb[14..18].copy_from_slice(&u32::MAX.to_le_bytes());
    let t = std::time::Instant::now();
    assert!(try_import(&bomb).to_string().contains("exceed the cap"));
    assert!(t.elapsed() < std::time::Duration::from_secs(1));
    // A real journal refuses weak parameters (downgrade).
    let strict_dir = tempfile::tempdir().unwrap();
    let strict = Journal::new(open_profile(strict_dir.path(), target.clock.clone()));
    std::fs::write(&bad, &good).unwrap();
    let e = strict.import_backup(&bad, PASS, PASS).unwrap_err();
    assert!(e.to_string().contains("below the minimum"), "{e}");
    assert_eq!(journal_fingerprint(&target), before, "journal untouched");
    assert_eq!(target.journal.list().unwrap()[0].title, "existing");
    assert!(!target.dir.path().join(wipe::STAGING_FILE).exists());
}

#[test]
fn reordered_duplicated_and_dropped_backup_chunks_are_refused() {
    let f = fixture();
    let mut d = EntryDraft::note("big", "");
    d.attachments.push(NewAttachment {
        name: "a".into(),
        mime: "x/y".into(),
        data: vec![9; 300_000],
    });
    f.journal.add(d).unwrap();
    let out = f.dir.path().join("big.pjb");
    f.journal.export_backup(PASS, None, &out).unwrap();
    let good = std::fs::read(&out).unwrap();
    // Split into chunks.
    let mut chunks: Vec<&[u8]> = Vec::new();
    let mut pos = backup::HEADER_LEN + 32;
    while pos < good.len() {
        let len = u32::from_le_bytes(good[pos..pos + 4].try_into().unwrap()) as usize;
        chunks.push(&good[pos..pos + 5 + len]);
        pos += 5 + len;
    }
    assert!(chunks.len() >= 4, "{}", chunks.len());
    let prefix = &good[..backup::HEADER_LEN + 32];
    let build = |order: &[usize]| -> Vec<u8> {
        let mut v = prefix.to_vec();
        for &i in order {
            v.extend_from_slice(chunks[i]);
        }
        v
    };
    let n = chunks.len();
    let all: Vec<usize> = (0..n).collect();
    let target = fixture();
    let bad = target.dir.path().join("bad.pjb");
    let import = |bytes: Vec<u8>| {
        std::fs::write(&bad, bytes).unwrap();
        target.journal.import_backup(&bad, PASS, PASS)
    };
    import(build(&all)).unwrap();
    target.journal.unlock(PASS).unwrap();
    let mut swapped = all.clone();
    swapped.swap(1, 2);
    let mut dup = all.clone();
    dup.insert(2, 1);
    let mut dropped = all.clone();
    dropped.remove(1);
    let mut no_last = all.clone();
    no_last.pop();
    for (label, order) in [
        ("swapped", swapped),
        ("duplicated", dup),
        ("dropped", dropped),
        ("no last", no_last),
    ] {
        let e = import(build(&order)).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Crypto, "{label}: {e}");
    }
}

#[test]
fn evidence_bundle_has_hashes_chain_and_escaped_text() {
    let f = fixture();
    let a = f
        .journal
        .add(incident("<script>alert(1)</script>", "tall man"))
        .unwrap();
    f.journal
        .add(EntryDraft::note("other", "not selected"))
        .unwrap();
    let html = f.journal.evidence_bundle(std::slice::from_ref(&a)).unwrap();
    let e = f.journal.get(&a).unwrap();
    assert!(html.contains(&e.record_hash));
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("tall man"));
    assert!(!html.contains("not selected"));
    assert!(html.contains("intact"));
    assert!(f.journal.evidence_bundle(&[]).is_err());
}

#[test]
fn defaults_are_the_real_parameters_and_unlock() {
    let o = JournalOptions::default();
    assert_eq!(o.kdf, KdfParams::DEFAULT);
    assert_eq!((o.kdf.m_kib, o.kdf.t, o.kdf.p), (64 * 1024, 3, 1));
    assert!(!o.allow_weak_kdf);
    let dir = tempfile::tempdir().unwrap();
    let profile = open_profile(dir.path(), Arc::new(FakeClock::new(Utc::now())));
    let j = Journal::new(profile.clone());
    j.create(PASS).unwrap();
    let header = profile
        .store()
        .with(|c| {
            Ok(c.query_row("SELECT header FROM journal_meta", [], |r| {
                r.get::<_, Vec<u8>>(0)
            })?)
        })
        .unwrap();
    assert_eq!(Header::decode(&header).unwrap().kdf, KdfParams::DEFAULT);
    j.lock();
    j.unlock(PASS).unwrap();
    // A weak journal is refused by a journal with the real settings.
    let weak_dir = tempfile::tempdir().unwrap();
    let weak_profile = open_profile(weak_dir.path(), Arc::new(FakeClock::new(Utc::now())));
    Journal::with_options(
        weak_profile.clone(),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    )
    .create(PASS)
    .unwrap();
    let e = Journal::new(weak_profile).unlock(PASS).unwrap_err();
    assert!(e.to_string().contains("below the minimum"), "{e}");
}

#[test]
fn debug_output_never_shows_secrets() {
    let f = fixture();
    let id = f
        .journal
        .add(EntryDraft::note("SECRETTITLE", "SECRETBODY"))
        .unwrap();
    let e = f.journal.get(&id).unwrap();
    for s in [
        format!("{e:?}"),
        format!("{:?}", f.journal),
        format!("{:?}", Passphrase::new(b"SECRETPASS").unwrap()),
    ] {
        assert!(!s.contains("SECRET"), "{s}");
    }
}

#[test]
fn the_search_index_is_dropped_on_lock_and_auto_lock() {
    let f = fixture();
    f.journal
        .add(EntryDraft::note("Poliție", "grey van"))
        .unwrap();
    assert!(
        f.journal.index_liveness().is_none(),
        "built on first search only"
    );
    assert_eq!(f.journal.search_titles("politie").unwrap().len(), 1);
    let alive = f.journal.index_liveness().unwrap();
    assert!(alive.upgrade().is_some());
    f.journal.lock();
    assert!(alive.upgrade().is_none(), "lock dropped the index");
    f.journal.unlock(PASS).unwrap();
    f.journal.set_idle_timeout(60).unwrap();
    assert_eq!(f.journal.search_titles("van").unwrap().len(), 1);
    let alive = f.journal.index_liveness().unwrap();
    f.clock.advance(Duration::seconds(61));
    assert!(!f.journal.is_unlocked());
    assert!(alive.upgrade().is_none(), "auto-lock dropped the index");
    f.journal.unlock(PASS).unwrap();
    assert_eq!(f.journal.search_titles("van").unwrap().len(), 1);
    let alive = f.journal.index_liveness().unwrap();
    f.clock.advance(Duration::seconds(61));
    assert_eq!(
        f.journal.list().unwrap_err().kind(),
        crate::ErrorKind::Locked
    );
    assert!(
        alive.upgrade().is_none(),
        "any call after the timeout drops it"
    );
}

#[test]
fn a_tampered_lockout_is_reported_until_the_limit_is_confirmed() {
    let f = fixture();
    f.journal.set_wipe_after_failures(PASS, Some(5)).unwrap();
    assert!(!f.journal.lockout().unwrap().tampered);
    f.exec("DELETE FROM journal_lockout", []);
    f.journal.lock();
    f.journal.unlock(PASS).unwrap();
    let lo = f.journal.lockout().unwrap();
    assert!(lo.tampered, "{lo:?}");
    assert_eq!(lo.wipe_after, Some(5), "the limit came back from the mark");
    f.journal.set_wipe_after_failures(PASS, Some(5)).unwrap();
    assert!(!f.journal.lockout().unwrap().tampered);
    // The mark file itself removed: tampering too.
    std::fs::remove_file(f.dir.path().join(lockout::MARK_FILE)).unwrap();
    f.journal.lock();
    f.journal.unlock(PASS).unwrap();
    assert!(f.journal.lockout().unwrap().tampered);
}

#[test]
fn a_head_with_the_right_count_and_a_wrong_hash_is_named_as_such() {
    let f = fixture();
    for i in 0..9 {
        f.journal
            .add(EntryDraft::note(format!("e{i}"), "x"))
            .unwrap();
    }
    let keys = f.keys();
    f.raw(|c| {
        let mut head = writes::current_head(c, &keys, slots::PRIMARY_SLOT)?;
        head.last_hash = [7; 32];
        rows::write_head_cell(c, slots::PRIMARY_SLOT, &keys.seal_head(&head)?)
    });
    let r = f.journal.verify().unwrap();
    let b = r.first_broken.unwrap();
    assert_eq!(b.position, 0);
    assert!(b.reason.contains("hash"), "{}", b.reason);
    assert!(!b.reason.contains("9 are present"), "{}", b.reason);
    // The same wording when a backup is refused for it.
    let out = f.dir.path().join("b.pjb");
    let e = f.journal.export_backup(PASS, None, &out).unwrap_err();
    assert!(e.to_string().contains("hash"), "{e}");
}

#[test]
fn a_passphrase_that_opens_two_slots_never_turns_the_real_one_into_a_trap() {
    let f = fixture();
    let hook = Arc::new(CountingHook::default());
    f.journal.set_duress_hook(Some(hook.clone()));
    f.journal.add(EntryDraft::note("real", "x")).unwrap();
    let decoy = DuressActions {
        open_decoy: true,
        ..Default::default()
    };
    f.journal.set_duress(PASS, b"duress", decoy).unwrap();
    f.journal.lock();
    f.journal.unlock(b"duress").unwrap();
    // In the decoy: an alert-only duress passphrase that happens to be the real one.
    f.journal
        .set_duress(
            b"duress",
            PASS,
            DuressActions {
                alert: true,
                ..Default::default()
            },
        )
        .unwrap();
    f.journal.lock();
    f.journal.unlock(PASS).unwrap();
    assert_eq!(
        f.journal.list().unwrap()[0].title,
        "real",
        "the journal opens"
    );
    assert_eq!(
        hook.0.load(Ordering::SeqCst),
        0,
        "no alert for the real passphrase"
    );
    f.journal.lock();
    // The same in a decoy that opens: the decoy wins (nobody learns anything),
    // and nothing was lost.
    f.journal.unlock(b"duress").unwrap();
    f.journal.set_duress(b"duress", PASS, decoy).unwrap();
    f.journal.lock();
    f.journal.unlock(PASS).unwrap();
    assert!(f.journal.list().unwrap().is_empty());
    assert_eq!(f.journal.lockout().unwrap().failed, 0);
    f.journal
        .change_passphrase(PASS, b"not the real one")
        .unwrap();
    f.journal.lock();
    f.journal.unlock(PASS).unwrap();
    assert_eq!(f.journal.list().unwrap()[0].title, "real");
}
