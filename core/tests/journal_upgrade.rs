//! Existing journals keep working: a profile written by the last format-1
//! build (core/tests/corpus/journal-v1/) is upgraded in place the first time
//! each vault is unlocked: the journal when its passphrase is used, the decoy
//! when the duress passphrase is. Nothing is lost; nothing format 1 remains.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryKind, Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const PASS: &[u8] = b"format one passphrase";
const DURESS: &[u8] = b"format one duress";

fn fixture() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("profile");
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/journal-v1");
    for f in ["parasol.db", "keystore.bin", "device.key"] {
        std::fs::copy(corpus.join(f), dir.join(f)).unwrap();
    }
    (tmp, dir)
}

fn open(dir: &Path) -> (Arc<Profile>, Journal) {
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).unwrap();
    let profile = Arc::new(
        Profile::open_with_clock(Config::new(dir), Arc::new(keys), Arc::new(SystemClock)).unwrap(),
    );
    let j = Journal::with_options(
        profile.clone(),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    (profile, j)
}

fn legacy_rows(p: &Profile) -> i64 {
    p.store()
        .with(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM journal_records WHERE summary IS NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap()
}

#[test]
fn a_format_1_journal_and_its_decoy_upgrade_without_loss() {
    let (_tmp, dir) = fixture();
    let (profile, j) = open(&dir);
    assert!(legacy_rows(&profile) > 0);
    j.unlock(PASS).unwrap();
    let list = j.list().unwrap();
    let titles: Vec<&str> = list.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Van outside the hotel",
            "Photo of the bruise",
            "Łódź, Poliție"
        ]
    );
    let van = &list[0];
    assert_eq!(van.version, 2);
    assert_eq!(van.kind, EntryKind::Note, "version 2 was written as a note");
    assert!(van.body.contains("Plate started with K"));
    let history = j.history(&van.id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].kind, EntryKind::Incident);
    assert_eq!(
        history[0].incident.as_ref().unwrap().location.as_deref(),
        Some("Hotel Central")
    );
    let photo = &list[1];
    let bytes = j.attachment(&photo.id, &photo.attachments[0].id).unwrap();
    assert_eq!(bytes.len(), 100_000);
    assert!(bytes.iter().enumerate().all(|(i, b)| *b == (i % 251) as u8));
    let report = j.verify().unwrap();
    assert!(report.ok, "{report:?}");
    assert_eq!(
        report.records, 4,
        "every version; the deleted entry and its deletion are gone"
    );
    assert_eq!(j.search_titles("lodz").unwrap().len(), 1);
    let lo = j.lockout().unwrap();
    assert_eq!((lo.wipe_after, lo.tampered), (Some(7), false));
    // Chunks are padded to 64 KiB now.
    let lens: Vec<i64> = profile
        .store()
        .with(|c| {
            let mut s = c.prepare("SELECT DISTINCT length(sealed) FROM journal_chunks")?;
            let v = s
                .query_map([], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()?;
            Ok(v)
        })
        .unwrap();
    assert_eq!(lens, vec![1 + 24 + 64 * 1024 + 16]);
    // The decoy's rows wait for its own passphrase.
    assert!(legacy_rows(&profile) > 0);
    j.lock();
    j.unlock(DURESS).unwrap();
    let decoy: Vec<String> = j
        .list()
        .unwrap()
        .into_iter()
        .map(|e| e.title.clone())
        .collect();
    assert_eq!(decoy, ["Shopping"]);
    assert!(j.verify().unwrap().ok);
    assert_eq!(legacy_rows(&profile), 0, "nothing of format 1 is left");
    j.lock();
    // And both still open after a restart.
    drop(j);
    drop(profile);
    let (profile, j) = open(&dir);
    j.unlock(PASS).unwrap();
    assert_eq!(j.list().unwrap().len(), 3);
    j.lock();
    j.unlock(DURESS).unwrap();
    assert_eq!(j.list().unwrap().len(), 1);
    assert_eq!(
        profile.store().schema_version().unwrap(),
        parasol_core::store::current_schema_version()
    );
}

#[test]
fn a_wrong_passphrase_on_a_format_1_journal_changes_nothing() {
    let (_tmp, dir) = fixture();
    let (profile, j) = open(&dir);
    let before = legacy_rows(&profile);
    assert_eq!(
        j.unlock(b"not it").unwrap_err().kind(),
        parasol_core::ErrorKind::WrongPassphrase
    );
    assert_eq!(legacy_rows(&profile), before);
    assert_eq!(j.lockout().unwrap().failed, 1);
}
