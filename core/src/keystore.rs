//! The platform key store: the shell's hardware-backed wrapping of secrets
//! (Android Keystore, iOS Keychain), and the device key built on it.
//!
//! The core never asks the platform for raw key material. It generates a random
//! secret, asks the platform to *wrap* it, keeps only the wrapped bytes on
//! disk, and asks the platform to *unwrap* them when needed. On a phone the
//! wrapping key never leaves secure hardware, so a copy of the data directory
//! alone is useless. On desktop, [`SoftwareKeyStore`] keeps its wrapping key in
//! a file beside the data: weaker, and documented as such.

use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Wraps and unwraps secrets with a key the platform protects.
pub trait KeyStore: Send + Sync {
    /// Encrypts `secret` under the platform key named `alias`, creating that key if needed.
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>>;
    /// Decrypts bytes made by [`KeyStore::wrap`] with the same `alias`.
    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Vec<u8>>;
}

/// A key store for desktop and tests: its wrapping key lives in a file.
pub struct SoftwareKeyStore {
    key: SecretKey,
}

impl std::fmt::Debug for SoftwareKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SoftwareKeyStore(<redacted>)")
    }
}

impl SoftwareKeyStore {
    /// Loads the wrapping key from `path`, creating it (mode 0600) if missing.
    pub fn open(path: &Path) -> Result<Self> {
        match fs::read(path) {
            Ok(bytes) => {
                let bytes = Zeroizing::new(bytes);
                let key = SecretKey::from_slice(&bytes)
                    .ok_or_else(|| Error::Corrupt("software key file has a bad size".into()))?;
                Ok(SoftwareKeyStore { key })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = SecretKey::generate();
                write_atomically(path, key.expose())?;
                Ok(SoftwareKeyStore { key })
            }
            Err(e) => Err(e.into()),
        }
    }

    /// A key store whose key lives only in memory (tests).
    pub fn ephemeral() -> Self {
        SoftwareKeyStore {
            key: SecretKey::generate(),
        }
    }
}

impl KeyStore for SoftwareKeyStore {
    fn wrap(&self, alias: &str, secret: &[u8]) -> Result<Vec<u8>> {
        crypto::seal(&self.key, alias.as_bytes(), secret)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> Result<Vec<u8>> {
        Ok(crypto::open(&self.key, alias.as_bytes(), wrapped)?.to_vec())
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// fsync, rename, fsync of the folder. The file is created with mode 0600.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .ok_or_else(|| Error::Internal("path has no parent".into()))?;
    let tmp: PathBuf = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("parasol")
    ));
    {
        let mut options = fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
    }
    fs::rename(&tmp, path)?;
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The alias under which the device key is wrapped.
pub const DEVICE_KEY_ALIAS: &str = "parasol.device.v1";
/// The file (in the data directory) holding the wrapped device key.
pub const DEVICE_KEY_FILE: &str = "device.key";

/// Loads the device key (which seals contacts, alerts and the outbox at rest),
/// creating it on first use. It needs no passphrase: alerts must always be able
/// to leave. A wipe deletes the file, which destroys everything sealed with it.
pub fn load_or_create_device_key(dir: &Path, store: &dyn KeyStore) -> Result<SecretKey> {
    let path = dir.join(DEVICE_KEY_FILE);
    match fs::read(&path) {
        Ok(wrapped) => {
            let raw = Zeroizing::new(store.unwrap(DEVICE_KEY_ALIAS, &wrapped)?);
            SecretKey::from_slice(&raw)
                .ok_or_else(|| Error::Crypto("device key has a bad size".into()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = SecretKey::generate();
            let wrapped = store.wrap(DEVICE_KEY_ALIAS, key.expose())?;
            write_atomically(&path, &wrapped)?;
            Ok(key)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_store_persists_and_wraps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let a = SoftwareKeyStore::open(&path).unwrap();
        let wrapped = a.wrap("x", b"secret").unwrap();
        let b = SoftwareKeyStore::open(&path).unwrap();
        assert_eq!(b.unwrap("x", &wrapped).unwrap(), b"secret");
        assert!(b.unwrap("y", &wrapped).is_err(), "alias is bound");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

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
}
