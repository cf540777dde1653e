//! The `Parasol` entry point, settings, errors and the platform key store.

use parasol_ffi::{core_version, Parasol, ParasolConfig, ParasolError, PlatformKeyStore};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub fn config(dir: &std::path::Path) -> ParasolConfig {
    ParasolConfig {
        data_dir: dir.to_string_lossy().into_owned(),
        timeout_seconds: 0,
        extra_ca_pem: None,
        allow_insecure_loopback: false,
        extra_trusted_pack_keys: vec![],
    }
}

/// A shell's key store: XOR with a per-store byte, counting calls.
#[derive(Default)]
struct XorKeyStore {
    wraps: AtomicUsize,
    unwraps: AtomicUsize,
}

impl PlatformKeyStore for XorKeyStore {
    fn wrap_secret(&self, alias: String, secret: Vec<u8>) -> Result<Vec<u8>, ParasolError> {
        assert!(!alias.is_empty());
        self.wraps.fetch_add(1, Ordering::SeqCst);
        Ok(secret.iter().map(|b| b ^ 0xA5).collect())
    }
    fn unwrap_secret(&self, _alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, ParasolError> {
        self.unwraps.fetch_add(1, Ordering::SeqCst);
        Ok(wrapped.iter().map(|b| b ^ 0xA5).collect())
    }
}

struct FailingKeyStore;

impl PlatformKeyStore for FailingKeyStore {
    fn wrap_secret(&self, _: String, _: Vec<u8>) -> Result<Vec<u8>, ParasolError> {
        Err(ParasolError::Platform {
            reason: "keystore unavailable".into(),
        })
    }
    fn unwrap_secret(&self, _: String, _: Vec<u8>) -> Result<Vec<u8>, ParasolError> {
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
