//! The desktop (and test) key store: one random 256-bit key per alias, kept
//! in a file beside the data. Weaker than a phone's: whoever copies the data
//! directory copies the keys with it, and the key class is not enforced.
//!
//! File format (`keystore.bin`): the magic `PKS1`, then for each alias
//! `u8 len || alias (UTF-8) || key (32 bytes)`. A file of exactly 32 bytes is
//! the format of earlier versions (one key for every alias); it is read as
//! that key under the two aliases the core had then, and rewritten in the
//! current format by the first change.
//!
//! Several processes may use the same file: every change reads, modifies and
//! replaces the file (atomically) while holding an exclusive lock on a
//! sibling lock file; reads need no lock because the file is only ever
//! replaced whole. Keys are read from the file on every use, so a key deleted
//! by another process (a wipe) is gone for this one too.

use super::files::{persist, remove_if_present, remove_stale_temp_files, Replace};
use super::{KeySpec, KeyStore, DEVICE_KEY, JOURNAL_KEY};
use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The magic that starts a key file in the current format.
const MAGIC: &[u8; 4] = b"PKS1";
/// The size of a key file of earlier versions (one bare key).
const LEGACY_LEN: usize = 32;

/// A key store for desktop and tests: its keys live in a file (or in memory).
pub struct SoftwareKeyStore {
    backing: Backing,
}

enum Backing {
    /// The keys file and its lock file.
    File { path: PathBuf, lock: PathBuf },
    /// Keys in memory only (tests).
    Memory(Mutex<KeyTable>),
}

impl std::fmt::Debug for SoftwareKeyStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.backing {
            Backing::File { path, .. } => write!(f, "SoftwareKeyStore({})", path.display()),
            Backing::Memory(_) => f.write_str("SoftwareKeyStore(memory)"),
        }
    }
}

impl SoftwareKeyStore {
    /// A key store whose keys live in the file at `path` (created, mode 0600,
    /// when the first key is). A damaged file is an error here already.
    pub fn open(path: &Path) -> Result<Self> {
        read_table(path)?;
        let name = path
            .file_name()
            .ok_or_else(|| Error::invalid("the key store path has no file name"))?
            .to_string_lossy();
        Ok(SoftwareKeyStore {
            backing: Backing::File {
                path: path.to_path_buf(),
                lock: path.with_file_name(format!(".{name}.lock")),
            },
        })
    }

    /// A key store whose keys live only in memory (tests).
    pub fn ephemeral() -> Self {
        SoftwareKeyStore {
            backing: Backing::Memory(Mutex::new(KeyTable::default())),
        }
    }

    /// The key of `alias`, if there is one.
    fn key(&self, alias: &str) -> Result<Option<SecretKey>> {
        match &self.backing {
            Backing::File { path, .. } => Ok(read_table(path)?.keys.remove(alias)),
            Backing::Memory(table) => Ok(lock_memory(table).keys.get(alias).cloned()),
        }
    }

    /// Runs `change` on the table while no other writer can; saves the table
    /// if `change` says it changed it.
    fn change<T>(&self, change: impl FnOnce(&mut KeyTable) -> (bool, T)) -> Result<T> {
        match &self.backing {
            Backing::Memory(table) => Ok(change(&mut lock_memory(table)).1),
            Backing::File { path, lock } => {
                let lock_file = open_lock_file(lock)?;
                // Released when `lock_file` is closed at the end of this block.
                fs4::FileExt::lock(&lock_file)?;
                // A crash during an earlier change may have left a copy of
                // old keys in a temporary file; no other writer is active now.
                remove_stale_temp_files(path)?;
                let mut table = read_table(path)?;
                let (changed, out) = change(&mut table);
                if changed {
                    if table.keys.is_empty() {
                        remove_if_present(path)?;
                    } else {
                        persist(path, &table.encode(), Replace::Yes)?;
                    }
                }
                Ok(out)
            }
        }
    }
}

impl KeyStore for SoftwareKeyStore {
    fn wrap(&self, key: KeySpec, secret: &[u8]) -> Result<Vec<u8>> {
        check_alias(key.alias)?;
        let wrapping = match self.key(key.alias)? {
            Some(k) => k,
            None => self.change(|table| match table.keys.get(key.alias) {
                // Another process created it in the meantime.
                Some(k) => (false, k.clone()),
                None => {
                    let k = SecretKey::generate();
                    table.keys.insert(key.alias.to_owned(), k.clone());
                    (true, k)
                }
            })?,
        };
        crypto::seal(&wrapping, key.alias.as_bytes(), secret)
    }

    fn unwrap(&self, key: KeySpec, wrapped: &[u8]) -> Result<Vec<u8>> {
        let wrapping = self
            .key(key.alias)?
            .ok_or_else(|| Error::Crypto("no platform key for this secret".into()))?;
        Ok(crypto::open(&wrapping, key.alias.as_bytes(), wrapped)?.to_vec())
    }

    fn delete(&self, key: KeySpec) -> Result<()> {
        self.change(|table| (table.keys.remove(key.alias).is_some(), ()))
    }
}

/// The keys by alias.
#[derive(Default)]
struct KeyTable {
    keys: BTreeMap<String, SecretKey>,
}

impl KeyTable {
    /// Parses a key file (either format).
    fn decode(bytes: &[u8]) -> Result<Self> {
        let damaged = || Error::Corrupt("the software key file is damaged".into());
        let mut keys = BTreeMap::new();
        if bytes.len() == LEGACY_LEN {
            let key = SecretKey::from_slice(bytes).ok_or_else(damaged)?;
            for spec in [DEVICE_KEY, JOURNAL_KEY] {
                keys.insert(spec.alias.to_owned(), key.clone());
            }
            return Ok(KeyTable { keys });
        }
        let mut rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(damaged)?;
        while let Some((&len, after)) = rest.split_first() {
            let len = usize::from(len);
            if len == 0 || after.len() < len + 32 {
                return Err(damaged());
            }
            let alias = std::str::from_utf8(&after[..len]).map_err(|_| damaged())?;
            let key = SecretKey::from_slice(&after[len..len + 32]).ok_or_else(damaged)?;
            if keys.insert(alias.to_owned(), key).is_some() {
                return Err(damaged());
            }
            rest = &after[len + 32..];
        }
        Ok(KeyTable { keys })
    }

    /// The file content in the current format.
    fn encode(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(MAGIC.to_vec());
        for (alias, key) in &self.keys {
            // check_alias keeps every alias within 1..=255 bytes.
            out.push(alias.len() as u8);
            out.extend_from_slice(alias.as_bytes());
            out.extend_from_slice(key.expose());
        }
        out
    }
}

/// Reads the key file; a missing file is an empty table.
fn read_table(path: &Path) -> Result<KeyTable> {
    match fs::read(path) {
        Ok(bytes) => KeyTable::decode(&Zeroizing::new(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(KeyTable::default()),
        Err(e) => Err(e.into()),
    }
}

fn open_lock_file(path: &Path) -> Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    Ok(options.open(path)?)
}

fn lock_memory(table: &Mutex<KeyTable>) -> std::sync::MutexGuard<'_, KeyTable> {
    table.lock().unwrap_or_else(|p| p.into_inner())
}

fn check_alias(alias: &str) -> Result<()> {
    if alias.is_empty() || alias.len() > usize::from(u8::MAX) {
        return Err(Error::invalid("a key alias must have 1 to 255 bytes"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::KeyClass;

    const X: KeySpec = KeySpec {
        alias: "test.x",
        class: KeyClass::WhileUnlocked,
    };
    const Y: KeySpec = KeySpec {
        alias: "test.y",
        class: KeyClass::AfterFirstUnlock,
    };

    #[test]
    fn persists_wraps_and_binds_the_alias() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let a = SoftwareKeyStore::open(&path).unwrap();
        assert!(!path.exists(), "no file before the first key");
        let wrapped = a.wrap(X, b"secret").unwrap();
        let b = SoftwareKeyStore::open(&path).unwrap();
        assert_eq!(b.unwrap(X, &wrapped).unwrap(), b"secret");
        assert!(b.unwrap(Y, &wrapped).is_err(), "alias is bound");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_deleted_key_never_unwraps_again_and_others_survive() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        for store in [
            SoftwareKeyStore::open(&path).unwrap(),
            SoftwareKeyStore::ephemeral(),
        ] {
            let x = store.wrap(X, b"x secret").unwrap();
            let y = store.wrap(Y, b"y secret").unwrap();
            store.delete(X).unwrap();
            store.delete(X).unwrap(); // deleting a missing key is fine
            assert_eq!(
                store.unwrap(X, &x).unwrap_err().kind(),
                crate::ErrorKind::Crypto
            );
            assert_eq!(store.unwrap(Y, &y).unwrap(), b"y secret");
            // The alias gets a new key: the old wrapped secret stays dead.
            let x2 = store.wrap(X, b"new x").unwrap();
            assert!(store.unwrap(X, &x).is_err());
            assert_eq!(store.unwrap(X, &x2).unwrap(), b"new x");
        }
        // On disk too, for a store opened later.
        let reopened = SoftwareKeyStore::open(&path).unwrap();
        reopened.delete(X).unwrap();
        reopened.delete(Y).unwrap();
        assert!(!path.exists(), "no empty key file is left");
    }

    #[test]
    fn two_stores_on_one_file_see_each_others_keys_and_deletions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let a = SoftwareKeyStore::open(&path).unwrap();
        let b = SoftwareKeyStore::open(&path).unwrap();
        let x = a.wrap(X, b"from a").unwrap();
        let y = b.wrap(Y, b"from b").unwrap();
        // Neither change lost the other's key.
        assert_eq!(b.unwrap(X, &x).unwrap(), b"from a");
        assert_eq!(a.unwrap(Y, &y).unwrap(), b"from b");
        b.delete(X).unwrap();
        assert!(
            a.unwrap(X, &x).is_err(),
            "a deletion by another store is seen"
        );
    }

    #[test]
    fn concurrent_first_wraps_agree_on_one_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let barrier = std::sync::Barrier::new(6);
        let wrapped: Vec<Vec<u8>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..6)
                .map(|i| {
                    let (path, barrier) = (&path, &barrier);
                    s.spawn(move || {
                        let store = SoftwareKeyStore::open(path).unwrap();
                        barrier.wait();
                        let spec = if i % 2 == 0 { X } else { Y };
                        store.wrap(spec, &[i as u8; 8]).unwrap()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let store = SoftwareKeyStore::open(&path).unwrap();
        for (i, w) in wrapped.iter().enumerate() {
            let spec = if i % 2 == 0 { X } else { Y };
            assert_eq!(store.unwrap(spec, w).unwrap(), [i as u8; 8], "wrap {i}");
        }
    }

    #[test]
    fn an_earlier_single_key_file_still_unwraps_and_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keystore.bin");
        let legacy = SecretKey::generate();
        fs::write(&path, legacy.expose()).unwrap();
        let device = crypto::seal(&legacy, DEVICE_KEY.alias.as_bytes(), b"device").unwrap();
        let journal = crypto::seal(&legacy, JOURNAL_KEY.alias.as_bytes(), b"journal").unwrap();
        let store = SoftwareKeyStore::open(&path).unwrap();
        assert_eq!(store.unwrap(DEVICE_KEY, &device).unwrap(), b"device");
        assert_eq!(store.unwrap(JOURNAL_KEY, &journal).unwrap(), b"journal");
        store.delete(JOURNAL_KEY).unwrap();
        assert!(fs::read(&path).unwrap().starts_with(MAGIC), "rewritten");
        assert!(
            store.unwrap(JOURNAL_KEY, &journal).is_err(),
            "stays deleted"
        );
        assert_eq!(store.unwrap(DEVICE_KEY, &device).unwrap(), b"device");
    }

    #[test]
    fn damaged_files_and_bad_aliases_are_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let store = SoftwareKeyStore::open(&path).unwrap();
        store.wrap(X, b"s").unwrap();
        let good = fs::read(&path).unwrap();
        for bad in [
            b"PKS1\x00".to_vec(),
            b"PKS1\x06test.x".to_vec(),
            good[..good.len() - 1].to_vec(),
            [good.clone(), good[4..].to_vec()].concat(), // the same alias twice
            b"nonsense".to_vec(),
            vec![0u8; 31],
        ] {
            fs::write(&path, &bad).unwrap();
            let err = SoftwareKeyStore::open(&path).unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::Storage, "{bad:?}");
        }
        let long = KeySpec {
            alias: Box::leak("a".repeat(256).into_boxed_str()),
            class: KeyClass::WhileUnlocked,
        };
        let empty = KeySpec {
            alias: "",
            class: KeyClass::WhileUnlocked,
        };
        let mem = SoftwareKeyStore::ephemeral();
        for spec in [long, empty] {
            let err = mem.wrap(spec, b"s").unwrap_err();
            assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn a_crash_copy_of_old_keys_is_removed_by_the_next_change() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let store = SoftwareKeyStore::open(&path).unwrap();
        store.wrap(X, b"s").unwrap();
        let stale = dir.path().join(".k.Zx81q.tmp");
        fs::copy(&path, &stale).unwrap();
        store.delete(X).unwrap();
        assert!(!stale.exists());
    }
}
