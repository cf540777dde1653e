//! The encrypted journal: incident notes and evidence that nobody without the
//! passphrase can read, that survive a crash, and that stay under the user's
//! control under coercion. The on-disk format is in `docs/journal-format.md`.
//!
//! Key hierarchy: passphrase -> (NFC) -> Argon2id -> HKDF with the platform
//! secret -> key-encryption key -> opens one of [`slots::SLOT_COUNT`] key slots
//! -> data key of a vault (the journal, or a duress decoy). Records are sealed
//! with the data key (XChaCha20-Poly1305, padded), bound to the vault and their
//! row, and hash-chained. Nothing of the plaintext reaches disk.
//!
//! A [`Journal`] is `Send + Sync`; each call is blocking (unlocking runs the
//! key derivation, about half a second with the defaults). While unlocked it
//! keeps a catalog of its entries and, after the first search, a search index
//! in memory; both are wiped when it locks.
//!
//! Where things are:
//! - [`access`]: create, unlock, re-authentication, lock, the failure limit;
//! - [`writes`] and [`reads`]: entries in and out, search, verification;
//! - [`family`]: duress passphrases (set up from any session);
//! - [`passwd`] and [`reencrypt`]: passphrase changes, new data keys;
//! - [`backup`], [`upgrade`], [`legacy`]: backups and format-1 journals;
//! - [`vault`], [`record`], [`rows`], [`cover`], [`padding`], [`catalog`],
//!   [`chain`], [`index`]: the format and its in-memory views.

pub mod access;
pub mod backup;
pub mod bundle;
pub mod catalog;
pub mod chain;
pub mod cover;
pub mod duress;
pub mod entry;
pub mod family;
pub mod index;
pub mod kdf;
pub mod legacy;
pub mod lockout;
pub mod meta;
pub mod padding;
pub mod parallel;
pub mod passphrase;
pub mod passwd;
pub mod reads;
pub mod record;
pub mod reencrypt;
pub mod rows;
pub mod slots;
pub mod upgrade;
pub mod vault;
pub mod wipe;
pub mod writes;

#[cfg(test)]
mod tests;

pub use chain::{BrokenLink, ChainReport};
pub use duress::{DuressActions, DuressHook};
pub use entry::{
    AttachmentInfo, Entry, EntryDraft, EntryKind, EntrySummary, Incident, NewAttachment,
};
pub use kdf::KdfParams;
pub use passphrase::Passphrase;
pub use passwd::PasswdOptions;

use crate::error::{Error, Result};
use crate::profile::Profile;
use catalog::Catalog;
use chrono::{DateTime, Duration, Utc};
use cover::Totals;
use index::SearchIndex;
use std::sync::{Arc, Mutex, MutexGuard};
use vault::VaultKeys;

/// Plaintext bytes per attachment chunk (so that each pads to exactly 64 KiB).
pub const CHUNK_PLAINTEXT: usize = padding::CHUNK_PADDED - 4;
/// The default idle time after which the journal locks itself.
pub const DEFAULT_IDLE_TIMEOUT_SECS: i64 = 5 * 60;

/// How a journal derives keys, when it locks itself, how many cores it uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalOptions {
    /// Argon2id parameters for new journals and backups.
    pub kdf: KdfParams,
    /// Accept parameters below the OWASP floor. Only for tests and the demo.
    pub allow_weak_kdf: bool,
    /// Lock after this long without a call.
    pub idle_timeout: Duration,
    /// Threads for decrypting many records at once (0: every core).
    pub threads: usize,
}

impl Default for JournalOptions {
    fn default() -> Self {
        JournalOptions {
            kdf: KdfParams::DEFAULT,
            allow_weak_kdf: false,
            idle_timeout: Duration::seconds(DEFAULT_IDLE_TIMEOUT_SECS),
            threads: 0,
        }
    }
}

impl JournalOptions {
    /// INSECURE: Argon2id with 64 KiB and one pass, so that tests and
    /// `parasol demo` run in milliseconds. A journal made with these options
    /// can be brute-forced; never use them for a real journal.
    pub fn insecure_fast_kdf_for_tests_and_demo() -> Self {
        JournalOptions {
            kdf: KdfParams::INSECURE_FAST,
            allow_weak_kdf: true,
            ..JournalOptions::default()
        }
    }
}

/// An unlocked vault and what the session knows about it.
struct Session {
    slot: usize,
    /// The slot's duress flags (0 for the journal).
    flags: u8,
    keys: VaultKeys,
    last_used: DateTime<Utc>,
    /// The catalog, or why it could not be built (the journal was altered).
    catalog: std::result::Result<Catalog, String>,
    index: Option<SearchIndex>,
    totals: Option<Totals>,
}

impl Session {
    fn catalog(&self) -> Result<&Catalog> {
        self.catalog.as_ref().map_err(|e| Error::Crypto(e.clone()))
    }

    fn catalog_mut(&mut self) -> Result<&mut Catalog> {
        self.catalog.as_mut().map_err(|e| Error::Crypto(e.clone()))
    }
}

enum State {
    Locked,
    Unlocked(Box<Session>),
    Wiped,
}

struct Inner {
    state: State,
    idle_timeout: Duration,
}

/// The journal of a profile.
pub struct Journal {
    profile: Arc<Profile>,
    options: JournalOptions,
    inner: Mutex<Inner>,
    hook: Mutex<Option<Arc<dyn DuressHook>>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("unlocked", &self.is_unlocked())
            .finish_non_exhaustive()
    }
}

fn wiped() -> Error {
    Error::NotFound("the profile was wiped; open it again to start afresh".into())
}

fn no_journal() -> Error {
    Error::NotFound("there is no journal yet: create one first".into())
}

impl Journal {
    /// The journal of `profile`, with the real key-derivation parameters.
    pub fn new(profile: Arc<Profile>) -> Self {
        Journal::with_options(profile, JournalOptions::default())
    }

    /// The journal with explicit options (tests and the demo use
    /// [`JournalOptions::insecure_fast_kdf_for_tests_and_demo`]).
    pub fn with_options(profile: Arc<Profile>, options: JournalOptions) -> Self {
        Journal {
            profile,
            inner: Mutex::new(Inner {
                state: State::Locked,
                idle_timeout: options.idle_timeout,
            }),
            options,
            hook: Mutex::new(None),
        }
    }

    /// The options in use.
    pub fn options(&self) -> JournalOptions {
        self.options
    }

    fn lock_inner(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets (or removes) the hook called when a duress passphrase asks for an alert.
    pub fn set_duress_hook(&self, hook: Option<Arc<dyn DuressHook>>) {
        *self.hook.lock().unwrap_or_else(|p| p.into_inner()) = hook;
    }

    /// Runs `f` with the unlocked session, enforcing the idle timeout.
    fn with_session<T>(&self, f: impl FnOnce(&mut Session) -> Result<T>) -> Result<T> {
        let mut inner = self.lock_inner();
        let timeout = inner.idle_timeout;
        let now = self.profile.clock().now();
        match &mut inner.state {
            State::Unlocked(s) => {
                if now - s.last_used > timeout {
                    inner.state = State::Locked;
                    return Err(Error::Locked);
                }
                if now > s.last_used {
                    s.last_used = now;
                }
                f(s)
            }
            State::Locked => Err(Error::Locked),
            State::Wiped => Err(wiped()),
        }
    }
}
