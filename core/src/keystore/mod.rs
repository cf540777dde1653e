//! The platform key store: the shell's hardware-backed wrapping of secrets
//! (Android Keystore, iOS Secure Enclave), and the device key built on it.
//!
//! The core never asks the platform for raw key material. It generates a random
//! secret, asks the platform to *wrap* it under a named key, keeps only the
//! wrapped bytes on disk, and asks the platform to *unwrap* them when needed.
//! On a phone the wrapping key never leaves secure hardware, so a copy of the
//! data directory alone is useless. On desktop, [`SoftwareKeyStore`] keeps its
//! keys in a file beside the data: weaker, and documented as such.
//!
//! The core says which protection each key needs ([`KeyClass`]); the table of
//! every key the core uses is [`ALL_KEYS`]. The platforms map the classes as
//! written in `docs/security.md` ("Platform keys") and the platform READMEs.

mod files;
mod software;

pub use files::{remove_stale_temp_files, write_atomically};
pub use software::SoftwareKeyStore;

use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use files::{persist, Replace};
use std::fs;
use std::path::Path;
use zeroize::Zeroizing;

/// How strongly the platform must guard a key, and when it must be usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyClass {
    /// Usable only while the device is unlocked, bound to this device's
    /// secure hardware, never exportable. iOS: a Secure Enclave P-256 key,
    /// `WhenUnlockedThisDeviceOnly`. Android: a Keystore AES-256-GCM key in
    /// StrongBox where present, unlocked-device-required where the OS version
    /// allows it safely. For secrets that are only needed while the user is
    /// looking at the app (the journal's platform factor).
    WhileUnlocked,
    /// Usable whenever the app runs after the first unlock since boot, also
    /// while the screen is locked, so that alerts can leave a locked phone.
    /// Still bound to this device and never exportable, but weaker: whoever
    /// can run code as the app on a locked (not rebooted) phone can use it.
    /// iOS: Secure Enclave, `AfterFirstUnlockThisDeviceOnly`. Android: a
    /// Keystore key (TEE) without the unlocked-device requirement.
    AfterFirstUnlock,
}

/// A key the core asks the platform for: its alias and its class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    /// The name of the key in the platform's store (stable across versions).
    pub alias: &'static str,
    /// The protection the platform must give it.
    pub class: KeyClass,
}

/// The alert key: wraps the device key, which seals contacts, alerts and the
/// outbox. As weak as it must be for alerts to leave a locked phone.
pub const DEVICE_KEY: KeySpec = KeySpec {
    alias: "parasol.device.v1",
    class: KeyClass::AfterFirstUnlock,
};

/// The journal key: wraps the journal's platform factor (32 random bytes
/// mixed into the passphrase-derived key). Usable only while unlocked.
pub const JOURNAL_KEY: KeySpec = KeySpec {
    alias: "parasol.journal.v1",
    class: KeyClass::WhileUnlocked,
};

/// Every platform key the core uses. A wipe deletes all of them.
pub const ALL_KEYS: [KeySpec; 2] = [DEVICE_KEY, JOURNAL_KEY];

/// Wraps and unwraps secrets with keys the platform protects.
pub trait KeyStore: Send + Sync {
    /// Encrypts `secret` under the platform key `key`, creating that key
    /// (with the protection of `key.class`) if it does not exist.
    fn wrap(&self, key: KeySpec, secret: &[u8]) -> Result<Vec<u8>>;
    /// Decrypts bytes made by [`KeyStore::wrap`] with the same key. Fails if
    /// the key does not exist (any more) or the bytes do not verify.
    fn unwrap(&self, key: KeySpec, wrapped: &[u8]) -> Result<Vec<u8>>;
    /// Destroys the platform key `key` (nothing to do if it does not exist).
    /// Nothing wrapped under it can be unwrapped afterwards; the next
    /// [`KeyStore::wrap`] creates a new key under the same alias.
    fn delete(&self, key: KeySpec) -> Result<()>;
}

/// Deletes every key of [`ALL_KEYS`]: tries each, returns the first error.
pub fn delete_all(store: &dyn KeyStore) -> Result<()> {
    let mut first = Ok(());
    for key in ALL_KEYS {
        if let Err(e) = store.delete(key) {
            if first.is_ok() {
                first = Err(e);
            }
        }
    }
    first
}

/// The file (in the data directory) holding the wrapped device key.
pub const DEVICE_KEY_FILE: &str = "device.key";

/// Loads the device key (which seals contacts, alerts and the outbox at rest),
/// creating it on first use. It needs no passphrase: alerts must always be able
/// to leave. A wipe deletes the file and the platform key, which destroys
/// everything sealed with it. If two openers create it at once, both end up
/// with the one that reached the disk first.
pub fn load_or_create_device_key(dir: &Path, store: &dyn KeyStore) -> Result<SecretKey> {
    let path = dir.join(DEVICE_KEY_FILE);
    match fs::read(&path) {
        Ok(wrapped) => unwrap_device_key(store, &wrapped),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            let wrapped = store.wrap(DEVICE_KEY, key.expose())?;
            match persist(&path, &wrapped, Replace::No) {
                Ok(()) => Ok(key),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    unwrap_device_key(store, &fs::read(&path)?)
                }
                Err(e) => Err(e.into()),
            }
        }
        Err(e) => Err(e.into()),
    }
}

fn unwrap_device_key(store: &dyn KeyStore, wrapped: &[u8]) -> Result<SecretKey> {
    let raw = Zeroizing::new(store.unwrap(DEVICE_KEY, wrapped)?);
    SecretKey::from_slice(&raw).ok_or_else(|| Error::Crypto("device key has a bad size".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn device_key_is_stable_and_needs_the_platform() {
        let dir = tempfile::tempdir().unwrap();
        let store = SoftwareKeyStore::ephemeral();
        let k1 = load_or_create_device_key(dir.path(), &store).unwrap();
        let k2 = load_or_create_device_key(dir.path(), &store).unwrap();
        assert_eq!(k1.expose(), k2.expose());
        let raw = fs::read(dir.path().join(DEVICE_KEY_FILE)).unwrap();
        assert!(
            !raw.windows(32).any(|w| w == k1.expose()),
            "stored wrapped only"
        );
        let other = SoftwareKeyStore::ephemeral();
        assert!(load_or_create_device_key(dir.path(), &other).is_err());
    }

    #[test]
    fn concurrent_first_opens_agree_on_one_device_key() {
        for _ in 0..20 {
            let dir = tempfile::tempdir().unwrap();
            let store = SoftwareKeyStore::ephemeral();
            let barrier = std::sync::Barrier::new(4);
            let keys: Vec<[u8; 32]> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..4)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            *load_or_create_device_key(dir.path(), &store)
                                .unwrap()
                                .expose()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let on_disk = load_or_create_device_key(dir.path(), &store).unwrap();
            for k in &keys {
                assert_eq!(k, on_disk.expose(), "every opener uses the stored key");
            }
        }
    }

    /// Counts deletions and fails the first one.
    #[derive(Default)]
    struct FailingDelete {
        inner_deleted: AtomicUsize,
    }

    impl KeyStore for FailingDelete {
        fn wrap(&self, _: KeySpec, secret: &[u8]) -> Result<Vec<u8>> {
            Ok(secret.to_vec())
        }
        fn unwrap(&self, _: KeySpec, wrapped: &[u8]) -> Result<Vec<u8>> {
            Ok(wrapped.to_vec())
        }
        fn delete(&self, key: KeySpec) -> Result<()> {
            if key == ALL_KEYS[0] {
                return Err(Error::Platform("refused".into()));
            }
            self.inner_deleted.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    }

    #[test]
    fn delete_all_tries_every_key_and_reports_a_failure() {
        let store = FailingDelete::default();
        let err = delete_all(&store).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Platform);
        assert_eq!(
            store.inner_deleted.load(Ordering::SeqCst),
            ALL_KEYS.len() - 1
        );
    }

    #[test]
    fn the_key_table_names_each_class_once_and_aliases_are_distinct() {
        assert_eq!(DEVICE_KEY.class, KeyClass::AfterFirstUnlock);
        assert_eq!(JOURNAL_KEY.class, KeyClass::WhileUnlocked);
        let mut aliases: Vec<_> = ALL_KEYS.iter().map(|k| k.alias).collect();
        aliases.sort_unstable();
        aliases.dedup();
        assert_eq!(aliases.len(), ALL_KEYS.len());
    }
}
