//! The `Parasol` entry point, settings, errors and the platform key store.

use parasol_ffi::{core_version, KeyClass, Parasol, ParasolConfig, ParasolError, PlatformKeyStore};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

pub fn config(dir: &std::path::Path) -> ParasolConfig {
    ParasolConfig {
        data_dir: dir.to_string_lossy().into_owned(),
        timeout_seconds: 0,
        extra_ca_pem: None,
        allow_insecure_loopback: false,
        extra_trusted_pack_keys: vec![],
    }
}

/// A shell's key store: XOR with one byte per alias (a new byte each time a
/// key is created), recording the classes asked for and the deletions.
#[derive(Default)]
pub struct XorKeyStore {
    wraps: AtomicUsize,
    unwraps: AtomicUsize,
    generation: AtomicUsize,
    keys: Mutex<HashMap<String, u8>>,
    created: Mutex<Vec<(String, KeyClass)>>,
    deleted: Mutex<Vec<String>>,
}

impl XorKeyStore {
    fn key(&self, alias: &str) -> Option<u8> {
        self.keys.lock().unwrap().get(alias).copied()
    }
    pub fn created(&self) -> Vec<(String, KeyClass)> {
        self.created.lock().unwrap().clone()
    }
    pub fn deleted(&self) -> Vec<String> {
        self.deleted.lock().unwrap().clone()
    }
}

impl PlatformKeyStore for XorKeyStore {
    fn wrap_secret(
        &self,
        alias: String,
        key_class: KeyClass,
        secret: Vec<u8>,
    ) -> Result<Vec<u8>, ParasolError> {
        assert!(!alias.is_empty());
        self.wraps.fetch_add(1, Ordering::SeqCst);
        let byte = *self
            .keys
            .lock()
            .unwrap()
            .entry(alias.clone())
            .or_insert_with(|| {
                self.created.lock().unwrap().push((alias, key_class));
                0xA5 ^ self.generation.fetch_add(1, Ordering::SeqCst) as u8
            });
        Ok(secret.iter().map(|b| b ^ byte).collect())
    }
    fn unwrap_secret(
        &self,
        alias: String,
        _key_class: KeyClass,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, ParasolError> {
        self.unwraps.fetch_add(1, Ordering::SeqCst);
        let byte = self.key(&alias).ok_or(ParasolError::Crypto {
            reason: "no platform key".into(),
        })?;
        Ok(wrapped.iter().map(|b| b ^ byte).collect())
    }
    fn delete_key(&self, alias: String) -> Result<(), ParasolError> {
        self.keys.lock().unwrap().remove(&alias);
        self.deleted.lock().unwrap().push(alias);
        Ok(())
    }
}

struct FailingKeyStore;

impl PlatformKeyStore for FailingKeyStore {
    fn wrap_secret(&self, _: String, _: KeyClass, _: Vec<u8>) -> Result<Vec<u8>, ParasolError> {
        Err(ParasolError::Platform {
            reason: "keystore unavailable".into(),
        })
    }
    fn unwrap_secret(&self, _: String, _: KeyClass, _: Vec<u8>) -> Result<Vec<u8>, ParasolError> {
        Err(ParasolError::Platform {
            reason: "keystore unavailable".into(),
        })
    }
    fn delete_key(&self, _: String) -> Result<(), ParasolError> {
        Err(ParasolError::Platform {
            reason: "keystore unavailable".into(),
        })
    }
}

#[test]
fn open_set_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(core_version(), env!("CARGO_PKG_VERSION"));
    {
        let p = Parasol::open(config(dir.path()), None).unwrap();
        let info = p.info().unwrap();
        assert_eq!(info.country, None);
        assert_eq!(info.languages, vec!["en"]);
        assert!(info.schema_version >= 1);
        p.set_country("pl".into()).unwrap();
        p.set_languages(vec!["uk".into(), "pl".into()]).unwrap();
    }
    let p = Parasol::open(config(dir.path()), None).unwrap();
    let info = p.info().unwrap();
    assert_eq!(info.country.as_deref(), Some("PL"));
    assert_eq!(info.languages, vec!["uk", "pl"]);
}

#[test]
fn bad_input_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = Parasol::open(config(dir.path()), None).unwrap();
    assert!(matches!(
        p.set_country("Poland".into()),
        Err(ParasolError::InvalidInput { .. })
    ));
    assert!(matches!(
        p.set_languages(vec!["not a tag".into()]),
        Err(ParasolError::InvalidInput { .. })
    ));
}

#[test]
fn damaged_database_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("parasol.db"), vec![0x42; 4096]).unwrap();
    let err = Parasol::open(config(dir.path()), None).unwrap_err();
    assert!(matches!(err, ParasolError::Storage { .. }), "{err:?}");
}

#[test]
fn platform_key_store_wraps_once_and_unwraps_on_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(XorKeyStore::default());
    Parasol::open(config(dir.path()), Some(keys.clone())).unwrap();
    assert_eq!(keys.wraps.load(Ordering::SeqCst), 1);
    Parasol::open(config(dir.path()), Some(keys.clone())).unwrap();
    assert_eq!(keys.wraps.load(Ordering::SeqCst), 1);
    assert_eq!(keys.unwraps.load(Ordering::SeqCst), 1);
}

#[test]
fn failing_platform_key_store_is_a_platform_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = Parasol::open(config(dir.path()), Some(Arc::new(FailingKeyStore))).unwrap_err();
    assert!(matches!(err, ParasolError::Platform { .. }), "{err:?}");
    assert!(err.to_string().contains("keystore unavailable"));
}

#[test]
fn platform_keys_get_their_class_and_a_wipe_deletes_them() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(XorKeyStore::default());
    let p = Parasol::open(config(dir.path()), Some(keys.clone())).unwrap();
    assert_eq!(
        keys.created(),
        [("parasol.device.v1".to_string(), KeyClass::AfterFirstUnlock)],
        "the alert key is usable while the phone is locked"
    );
    let j = p.journal();
    j.create(b"a passphrase for the ffi".to_vec()).unwrap();
    assert_eq!(
        keys.created()[1],
        ("parasol.journal.v1".to_string(), KeyClass::WhileUnlocked)
    );
    let device_blob = std::fs::read(dir.path().join("device.key")).unwrap();
    assert!(keys.deleted().is_empty());
    j.wipe().unwrap();
    let mut deleted = keys.deleted();
    deleted.sort();
    assert_eq!(deleted, ["parasol.device.v1", "parasol.journal.v1"]);
    assert!(keys
        .unwrap_secret(
            "parasol.device.v1".into(),
            KeyClass::AfterFirstUnlock,
            device_blob
        )
        .is_err());
    // Reopening makes a new alert key under the same alias.
    drop((j, p));
    Parasol::open(config(dir.path()), Some(keys.clone())).unwrap();
    assert_eq!(keys.created().len(), 3);
}

#[test]
fn an_interrupted_wipe_deletes_the_shells_keys_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let keys = Arc::new(XorKeyStore::default());
    drop(Parasol::open(config(dir.path()), Some(keys.clone())).unwrap());
    // The app died just after a wipe began.
    parasol_core::journal::wipe::begin(dir.path()).unwrap();
    drop(Parasol::open(config(dir.path()), Some(keys.clone())).unwrap());
    let mut deleted = keys.deleted();
    deleted.sort();
    assert_eq!(deleted, ["parasol.device.v1", "parasol.journal.v1"]);
}

#[test]
fn a_shell_that_refuses_to_delete_gets_the_wipe_done_and_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = Parasol::open(config(dir.path()), Some(Arc::new(XorKeyStore::default()))).unwrap();
    drop(p);
    parasol_core::journal::wipe::begin(dir.path()).unwrap();
    let err = Parasol::open(config(dir.path()), Some(Arc::new(FailingKeyStore))).unwrap_err();
    assert!(matches!(err, ParasolError::Platform { .. }), "{err:?}");
    assert!(!dir.path().join("device.key").exists(), "the wipe finished");
}
