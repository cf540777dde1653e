//! The platform key store as a foreign trait, and its adapter to the core.

use crate::error::ParasolError;
use parasol_core::keystore::{KeyClass as CoreKeyClass, KeySpec};
use std::sync::Arc;

/// When a platform key must be usable, and so how strongly it is guarded.
/// The shell creates each key with the class given at its first `wrap_secret`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum KeyClass {
    /// Only while the device is unlocked; in secure hardware, non-exportable.
    /// iOS: Secure Enclave key, `kSecAttrAccessibleWhenUnlockedThisDeviceOnly`.
    /// Android: Keystore key, StrongBox where present, unlocked-device-required.
    WhileUnlocked,
    /// Whenever the app runs after the first unlock since boot, also while the
    /// screen is locked (background work needs it); still non-exportable.
    /// iOS: Secure Enclave key, `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`.
    /// Android: Keystore key without the unlocked-device requirement.
    AfterFirstUnlock,
}

impl From<CoreKeyClass> for KeyClass {
    fn from(c: CoreKeyClass) -> Self {
        match c {
            CoreKeyClass::WhileUnlocked => KeyClass::WhileUnlocked,
            CoreKeyClass::AfterFirstUnlock => KeyClass::AfterFirstUnlock,
        }
    }
}

/// Wraps secrets with keys the platform protects (Android Keystore, iOS
/// Secure Enclave). The core generates the secrets; the shell only wraps,
/// unwraps and deletes keys, one non-exportable key per `alias`.
#[uniffi::export(with_foreign)]
pub trait PlatformKeyStore: Send + Sync {
    /// Encrypts `secret` under the key named `alias`; creates that key with
    /// the protection of `key_class` if it does not exist.
    fn wrap_secret(
        &self,
        alias: String,
        key_class: KeyClass,
        secret: Vec<u8>,
    ) -> Result<Vec<u8>, ParasolError>;
    /// Decrypts bytes made by `wrap_secret` with the same `alias`.
    fn unwrap_secret(
        &self,
        alias: String,
        key_class: KeyClass,
        wrapped: Vec<u8>,
    ) -> Result<Vec<u8>, ParasolError>;
    /// Destroys the key named `alias` and anything stored for it (no error if
    /// there is none). The next `wrap_secret` creates a new key.
    fn delete_key(&self, alias: String) -> Result<(), ParasolError>;
}

/// Lets the core use a shell's key store.
pub(crate) struct ForeignKeyStore(pub Arc<dyn PlatformKeyStore>);

impl parasol_core::keystore::KeyStore for ForeignKeyStore {
    fn wrap(&self, key: KeySpec, secret: &[u8]) -> parasol_core::Result<Vec<u8>> {
        Ok(self
            .0
            .wrap_secret(key.alias.to_owned(), key.class.into(), secret.to_vec())?)
    }

    fn unwrap(&self, key: KeySpec, wrapped: &[u8]) -> parasol_core::Result<Vec<u8>> {
        Ok(self
            .0
            .unwrap_secret(key.alias.to_owned(), key.class.into(), wrapped.to_vec())?)
    }

    fn delete(&self, key: KeySpec) -> parasol_core::Result<()> {
        Ok(self.0.delete_key(key.alias.to_owned())?)
    }
}
