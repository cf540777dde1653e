//! Changing the passphrase, optionally with re-encryption under a new data
//! key (so that an old copy of the data directory plus the old passphrase
//! opens nothing written afterwards, nor the new copy's records).
//!
//! In any session, the only slot looked at is the session's own (and the
//! duress vaults it set up itself): whether the new passphrase happens to
//! open any other slot never changes the answer. See [`super::family`] for
//! which vault such a passphrase then opens.

use super::meta;
use super::passphrase::Passphrase;
use super::reencrypt;
use super::rows;
use super::slots::{self, SlotContent};
use super::vault::VaultKeys;
use super::{family, Journal};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};

/// How to change the passphrase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PasswdOptions {
    /// The old passphrase is (or may be) known to someone else: re-encrypt
    /// unless [`PasswdOptions::reencrypt`] says otherwise.
    pub old_passphrase_known_to_someone: bool,
    /// Re-encrypt every record and attachment under a new data key and
    /// destroy the old ciphertext (None: as `old_passphrase_known_to_someone`).
    pub reencrypt: Option<bool>,
}

impl PasswdOptions {
    /// Whether these options re-encrypt.
    pub fn reencrypts(&self) -> bool {
        self.reencrypt
            .unwrap_or(self.old_passphrase_known_to_someone)
    }
}

impl Journal {
    /// Changes the passphrase: only the key slot is re-wrapped; every record
    /// stays byte-identical. See [`Journal::change_passphrase_with`].
    pub fn change_passphrase(&self, current: &[u8], new: &[u8]) -> Result<()> {
        self.change_passphrase_with(current, new, PasswdOptions::default())
    }

    /// Changes the passphrase. With re-encryption, every record and
    /// attachment is re-sealed under a new data key in one transaction (a
    /// crash leaves the old state or the new one), the old ciphertext is
    /// deleted (secure delete, WAL truncated, file vacuumed), and the chain
    /// continues from the old head. Refused when the chain is broken.
    pub fn change_passphrase_with(
        &self,
        current: &[u8],
        new: &[u8],
        options: PasswdOptions,
    ) -> Result<()> {
        let current = Passphrase::new(current)?;
        let new = Passphrase::new_choice(new)?;
        let threads = self.options.threads;
        self.with_reauth(&current, |s, r| {
            let kek = self.derive(&r.header_bytes, &new, &r.platform)?;
            let store = self.profile.store();
            let all = store.with(meta::read_slots)?;
            let own_children = store.with(|c| family::descendants(c, &s.keys, s.slot))?;
            for (slot, dek) in &own_children {
                if let Some(c) = slots::open_one(&kek, &r.header_bytes, *slot, &all[*slot]) {
                    if c.dek.expose() == dek.expose() {
                        return Err(Error::invalid(
                            "choose a different passphrase: this one is your duress passphrase",
                        ));
                    }
                }
            }
            if !options.reencrypts() {
                let wrapped = slots::wrap(
                    &kek,
                    &r.header_bytes,
                    s.slot,
                    &SlotContent {
                        dek: s.keys.dek.clone(),
                        flags: r.flags,
                    },
                )?;
                return store.with(|c| rows::write_wrapped(c, s.slot, &wrapped));
            }
            let fresh = VaultKeys::new(SecretKey::generate(), s.keys.vault_id)?;
            let wrapped = slots::wrap(
                &kek,
                &r.header_bytes,
                s.slot,
                &SlotContent {
                    dek: fresh.dek.clone(),
                    flags: r.flags,
                },
            )?;
            let result = store.transaction(|tx| {
                let (_, totals) = reencrypt::rekey(tx, &s.keys, &fresh, s.slot, s.totals, threads)?;
                rows::write_wrapped(tx, s.slot, &wrapped)?;
                Ok(totals)
            });
            s.totals = result.as_ref().ok().copied();
            result?;
            // The old ciphertext: zeroed in freed pages (secure_delete), gone
            // from the WAL (truncated), and the file rewritten.
            store.vacuum()?;
            let catalog = store.with(|c| self.build_catalog(c, &fresh, s.slot))?;
            s.keys = fresh;
            s.catalog = Ok(catalog);
            s.index = None;
            Ok(())
        })
    }
}
