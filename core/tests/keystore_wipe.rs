//! A wipe destroys the platform keys, not only the files that hold wrapped
//! secrets: afterwards the key store (the same instance the profile used, and
//! one opened again from disk) cannot unwrap anything wrapped before.

use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::wipe;
use parasol_core::journal::{EntryDraft, Journal, JournalOptions};
use parasol_core::keystore::{
    KeySpec, KeyStore, SoftwareKeyStore, ALL_KEYS, DEVICE_KEY, JOURNAL_KEY,
};
use parasol_core::profile::Profile;
use parasol_core::{Error, ErrorKind, Result};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const PASS: &[u8] = b"a long enough passphrase";

fn journal(dir: &Path, keys: Arc<dyn KeyStore>) -> Journal {
    let profile = Profile::open_with_clock(Config::new(dir), keys, Arc::new(SystemClock)).unwrap();
    Journal::with_options(
        Arc::new(profile),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    )
}

/// The wrapped platform secret of the journal, as stored in the database.
fn wrapped_platform_secret(dir: &Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(dir.join("parasol.db")).unwrap();
    conn.query_row("SELECT platform_secret FROM journal_meta", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn after_a_wipe_old_wrapped_secrets_never_unwrap_again() {
    let dir = tempfile::tempdir().unwrap();
    let store_path = dir.path().join("keystore.bin");
    let keys = Arc::new(SoftwareKeyStore::open(&store_path).unwrap());
    let j = journal(dir.path(), keys.clone());
    j.create(PASS).unwrap();
    j.add(EntryDraft::note("title", "body")).unwrap();
    let device_blob = std::fs::read(dir.path().join("device.key")).unwrap();
    let platform_blob = wrapped_platform_secret(dir.path());
    // Before the wipe both open.
    assert!(keys.unwrap(DEVICE_KEY, &device_blob).is_ok());
    assert!(keys.unwrap(JOURNAL_KEY, &platform_blob).is_ok());

    j.wipe().unwrap();

    // The instance the profile used has forgotten its keys...
    assert!(keys.unwrap(DEVICE_KEY, &device_blob).is_err());
    assert!(keys.unwrap(JOURNAL_KEY, &platform_blob).is_err());
    // ...and so has the store on disk.
    let reopened = SoftwareKeyStore::open(&store_path).unwrap();
    assert!(reopened.unwrap(DEVICE_KEY, &device_blob).is_err());
    assert!(reopened.unwrap(JOURNAL_KEY, &platform_blob).is_err());

    // A new journal made with the same aliases gets new keys: the old
    // wrapped secrets still do not open.
    drop(j);
    let j2 = journal(dir.path(), keys.clone());
    j2.create(b"another long passphrase").unwrap();
    assert!(keys.unwrap(DEVICE_KEY, &device_blob).is_err());
    assert!(keys.unwrap(JOURNAL_KEY, &platform_blob).is_err());
    let new_blob = wrapped_platform_secret(dir.path());
    assert!(keys.unwrap(JOURNAL_KEY, &new_blob).is_ok());
}

/// A platform key store as a shell provides it: records deletions and can be
/// told to refuse them.
struct RecordingStore {
    inner: SoftwareKeyStore,
    deleted: Mutex<Vec<KeySpec>>,
    refuse_delete: AtomicBool,
}

impl RecordingStore {
    fn new() -> Arc<Self> {
        Arc::new(RecordingStore {
            inner: SoftwareKeyStore::ephemeral(),
            deleted: Mutex::default(),
            refuse_delete: AtomicBool::new(false),
        })
    }
}

impl KeyStore for RecordingStore {
    fn wrap(&self, key: KeySpec, secret: &[u8]) -> Result<Vec<u8>> {
        self.inner.wrap(key, secret)
    }
    fn unwrap(&self, key: KeySpec, wrapped: &[u8]) -> Result<Vec<u8>> {
        self.inner.unwrap(key, wrapped)
    }
    fn delete(&self, key: KeySpec) -> Result<()> {
        if self.refuse_delete.load(Ordering::SeqCst) {
            return Err(Error::Platform("the key store refused".into()));
        }
        self.deleted.lock().unwrap().push(key);
        self.inner.delete(key)
    }
}

fn deleted(store: &RecordingStore) -> Vec<KeySpec> {
    store.deleted.lock().unwrap().clone()
}

#[test]
fn wipe_deletes_every_platform_key_of_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let keys = RecordingStore::new();
    let j = journal(dir.path(), keys.clone());
    j.create(PASS).unwrap();
    assert!(deleted(&keys).is_empty());
    j.wipe().unwrap();
    assert_eq!(deleted(&keys), ALL_KEYS.to_vec());
}

#[test]
fn an_interrupted_wipe_deletes_the_platform_keys_when_the_profile_opens() {
    let dir = tempfile::tempdir().unwrap();
    let keys = RecordingStore::new();
    let j = journal(dir.path(), keys.clone());
    j.create(PASS).unwrap();
    let device_blob = std::fs::read(dir.path().join("device.key")).unwrap();
    drop(j);
    // The app died just after the wipe began.
    wipe::begin(dir.path()).unwrap();
    let j = journal(dir.path(), keys.clone());
    assert_eq!(deleted(&keys), ALL_KEYS.to_vec());
    assert!(keys.unwrap(DEVICE_KEY, &device_blob).is_err());
    assert!(!j.exists().unwrap());
    assert!(!wipe::pending(dir.path()));
}

#[test]
fn a_refused_deletion_is_reported_after_the_rest_of_the_wipe() {
    let dir = tempfile::tempdir().unwrap();
    let keys = RecordingStore::new();
    let j = journal(dir.path(), keys.clone());
    j.create(PASS).unwrap();
    j.add(EntryDraft::note("title", "body")).unwrap();
    keys.refuse_delete.store(true, Ordering::SeqCst);
    let err = j.wipe().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Platform);
    // Everything else is done: no key file, no journal, no marker.
    assert!(!dir.path().join("device.key").exists());
    assert!(!wipe::pending(dir.path()));
    let conn = rusqlite::Connection::open(dir.path().join("parasol.db")).unwrap();
    let rows: i64 = conn
        .query_row("SELECT COUNT(*) FROM journal_records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 0);
    keys.refuse_delete.store(false, Ordering::SeqCst);
    let j2 = journal(dir.path(), keys.clone());
    assert!(!j2.exists().unwrap());
}
