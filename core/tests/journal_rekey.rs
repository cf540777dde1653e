//! Re-encryption with a new data key (issue 14, item 6): after changing the
//! passphrase with re-encryption, an old copy of the data directory plus the
//! old passphrase opens nothing written afterwards, and none of the old
//! ciphertext is left in the files. (Crash safety: core/tests/journal_kill9.rs.)

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, Journal, JournalOptions, NewAttachment, PasswdOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::path::Path;
use std::sync::Arc;

const OLD: &[u8] = b"the old passphrase";
const NEW: &[u8] = b"the new passphrase";

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

/// `journal passwd` after "someone knows my old passphrase".
fn passwd_reencrypt(j: &Journal, current: &[u8], new: &[u8]) {
    let options = PasswdOptions {
        old_passphrase_known_to_someone: true,
        reencrypt: None,
    };
    assert!(options.reencrypts());
    j.change_passphrase_with(current, new, options).unwrap();
}

/// Copies a profile directory (the database through SQLite, so that it is
/// consistent, and the key files).
fn copy_profile(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for f in ["keystore.bin", "device.key"] {
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    }
    let c = parasol_core::store::open_connection(&from.join("parasol.db")).unwrap();
    c.execute_batch(&format!(
        "VACUUM INTO '{}'",
        to.join("parasol.db").display()
    ))
    .unwrap();
}

fn files_of(dir: &Path) -> Vec<Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
        .collect()
}

#[test]
fn an_old_copy_and_the_old_passphrase_open_nothing_written_after_reencryption() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("phone");
    let j = open(&dir);
    j.create(OLD).unwrap();
    let mut d = EntryDraft::note("written before", "OLDTEXT canary");
    d.attachments.push(NewAttachment {
        name: "before.jpg".into(),
        mime: "image/jpeg".into(),
        data: vec![5; 70_000],
    });
    let a = j.add(d).unwrap();
    // The copy someone took while the old passphrase was known to them.
    let old_copy = tmp.path().join("old-copy");
    copy_profile(&dir, &old_copy);
    let old_ciphertexts: Vec<Vec<u8>> = {
        let c = parasol_core::store::open_connection(&old_copy.join("parasol.db")).unwrap();
        let mut s = c
            .prepare("SELECT sealed FROM journal_records WHERE sealed IS NOT NULL UNION ALL SELECT sealed FROM journal_chunks")
            .unwrap();
        s.query_map([], |r| r.get::<_, Vec<u8>>(0))
            .unwrap()
            .map(|r| r.unwrap()[..64].to_vec())
            .collect()
    };

    passwd_reencrypt(&j, OLD, NEW);
    j.add(EntryDraft::note("written after", "NEWTEXT secret"))
        .unwrap();
    assert_eq!(j.list().unwrap().len(), 2);
    assert!(j.verify().unwrap().ok);
    let e = j.get(&a).unwrap();
    assert_eq!(
        &j.attachment(&a, &e.attachments[0].id).unwrap()[..],
        &vec![5u8; 70_000][..]
    );
    j.lock();
    assert_eq!(
        j.unlock(OLD).unwrap_err().kind(),
        parasol_core::ErrorKind::WrongPassphrase
    );
    j.unlock(NEW).unwrap();
    drop(j);

    // None of the old ciphertext is anywhere in the phone's files.
    for file in files_of(&dir) {
        for old in &old_ciphertexts {
            assert!(
                !file.windows(old.len()).any(|w| w == &old[..]),
                "old ciphertext left on disk"
            );
        }
    }

    // The attacker: today's files, with the old copy's key slots put back.
    let attack = tmp.path().join("attack");
    copy_profile(&dir, &attack);
    let c = parasol_core::store::open_connection(&attack.join("parasol.db")).unwrap();
    c.execute_batch(&format!(
        "ATTACH '{}' AS old;
         DELETE FROM main.journal_slots; INSERT INTO main.journal_slots SELECT * FROM old.journal_slots;
         DELETE FROM main.journal_meta; INSERT INTO main.journal_meta SELECT * FROM old.journal_meta;
         DETACH old;",
        old_copy.join("parasol.db").display()
    ))
    .unwrap();
    drop(c);
    let j = open(&attack);
    if j.unlock(OLD).is_ok() {
        let readable: Vec<String> = j
            .list()
            .map(|l| l.into_iter().map(|e| e.title.clone()).collect())
            .unwrap_or_default();
        assert!(
            !readable.iter().any(|t| t == "written after"),
            "the old data key opens what was written after: {readable:?}"
        );
    }
}
