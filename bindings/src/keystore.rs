//! The platform key store as a foreign trait, and its adapter to the core.

use crate::error::ParasolError;
use std::sync::Arc;

/// Wraps secrets with a key the platform protects (Android Keystore, iOS
/// Keychain). The core generates the secrets; the shell only wraps and unwraps
/// them, and should use a non-exportable key for `alias`.
#[uniffi::export(with_foreign)]
pub trait PlatformKeyStore: Send + Sync {
    /// Encrypts `secret` under the platform key named `alias` (create it if missing).
    fn wrap_secret(&self, alias: String, secret: Vec<u8>) -> Result<Vec<u8>, ParasolError>;
    /// Decrypts bytes made by `wrap_secret` with the same `alias`.
    fn unwrap_secret(&self, alias: String, wrapped: Vec<u8>) -> Result<Vec<u8>, ParasolError>;
}

/// Lets the core use a shell's key store.
pub(crate) struct ForeignKeyStore(pub Arc<dyn PlatformKeyStore>);

impl parasol_core::keystore::KeyStore for ForeignKeyStore {
    fn wrap(&self, alias: &str, secret: &[u8]) -> parasol_core::Result<Vec<u8>> {
        Ok(self.0.wrap_secret(alias.to_owned(), secret.to_vec())?)
    }

    fn unwrap(&self, alias: &str, wrapped: &[u8]) -> parasol_core::Result<Vec<u8>> {
        Ok(self.0.unwrap_secret(alias.to_owned(), wrapped.to_vec())?)
    }
}
