//! The hand-over outbox: the deliveries of a duress alert that must outlive
//! the wipe the same duress passphrase asks for.
//!
//! Before the wipe, [`super::Alerts::hand_over`] copies every waiting
//! delivery of the alert into one small file in the data directory
//! ([`HANDOVER_FILE`]), sealed under a fresh random key; that key is wrapped by
//! the platform key store under its own key ([`HANDOVER_KEY`], not one of
//! [`crate::keystore::ALL_KEYS`], so the wipe keeps it; on desktop the wipe
//! also keeps the software key store file while a hand-over is pending). When
//! the hand-over is done or expired, the file and that platform key are
//! deleted. The wipe then destroys everything else. Sending
//! happens in the background and in every later flush, with the outbox's
//! backoff; each delivery leaves the file once delivered (or handed to the
//! SMS system) or refused for good, and the whole file goes once it is empty
//! or older than the outbox's maximum age. Nothing of it is listed anywhere
//! (the wiped app must look fresh) and it raises no events.
//!
//! Format (JSON, file mode 0600, written atomically):
//! `{"version":1,"wrapped_key":"<base64>","sealed":"<base64>"}` where `sealed`
//! is [`crate::crypto::seal`] under the key with context
//! `parasol/alerts/v1/handover` of `{"expires_at":ms,"items":[{"id","due_at",
//! "body":<outbox delivery body>}]}`.

use super::outbox::{DeliveryBody, Outcome, RetryPolicy};
use super::sealed::{from_ms, to_ms};
use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use crate::keystore::{KeyClass, KeySpec, KeyStore};
use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Mutex;
use zeroize::Zeroizing;

/// The file (in the data directory) holding a pending hand-over.
pub const HANDOVER_FILE: &str = "outbox-handover.bin";
/// The platform key that wraps the hand-over key: as available as the alert
/// key (alerts leave a locked phone), and deliberately outside `ALL_KEYS`.
pub const HANDOVER_KEY: KeySpec = KeySpec {
    alias: "parasol.handover.v1",
    class: KeyClass::AfterFirstUnlock,
};
const CONTEXT: &[u8] = b"parasol/alerts/v1/handover";
const VERSION: u32 = 1;

/// One process sends a hand-over at a time (the background thread started by
/// the duress unlock, or a flush).
static SENDING: Mutex<()> = Mutex::new(());

#[derive(Serialize, Deserialize)]
struct FileFormat {
    version: u32,
    wrapped_key: String,
    sealed: String,
}

/// One delivery waiting in the hand-over.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Item {
    /// The outbox delivery id it came from (passed to the SMS sender).
    pub id: String,
    /// When it is next due (ms).
    pub due_at: i64,
    /// The delivery, as queued (same idempotency key, same bytes).
    pub body: DeliveryBody,
}

/// The decrypted content of the file.
#[derive(Serialize, Deserialize)]
pub(crate) struct Package {
    /// After this instant (ms) the rest is given up.
    pub expires_at: i64,
    /// What is still to send.
    pub items: Vec<Item>,
}

/// Writes `package` to `dir`, sealed under a fresh key wrapped by `keys`.
pub(crate) fn write(dir: &Path, keys: &dyn KeyStore, package: &Package) -> Result<()> {
    let key = SecretKey::generate();
    let json = Zeroizing::new(serde_json::to_vec(package)?);
    let sealed = crypto::seal(&key, CONTEXT, &json)?;
    let wrapped = keys.wrap(HANDOVER_KEY, key.expose())?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let file = serde_json::to_vec(&FileFormat {
        version: VERSION,
        wrapped_key: b64.encode(wrapped),
        sealed: b64.encode(sealed),
    })?;
    crate::keystore::write_atomically(&dir.join(HANDOVER_FILE), &file)
}

/// Whether a hand-over waits in `dir`.
pub fn pending(dir: &Path) -> bool {
    dir.join(HANDOVER_FILE).exists()
}

/// Reads the pending hand-over of `dir`, if any.
pub(crate) fn read(dir: &Path, keys: &dyn KeyStore) -> Result<Option<Package>> {
    let bytes = match std::fs::read(dir.join(HANDOVER_FILE)) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let file: FileFormat = serde_json::from_slice(&bytes)
        .map_err(|e| Error::Corrupt(format!("hand-over file does not decode: {e}")))?;
    if file.version != VERSION {
        return Err(Error::Corrupt(
            "hand-over file has an unknown version".into(),
        ));
    }
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode = |s: &str| {
        b64.decode(s)
            .map_err(|_| Error::Corrupt("hand-over file is not base64".into()))
    };
    let raw = Zeroizing::new(keys.unwrap(HANDOVER_KEY, &decode(&file.wrapped_key)?)?);
    let key = SecretKey::from_slice(&raw)
        .ok_or_else(|| Error::Crypto("hand-over key has a bad size".into()))?;
    let json = crypto::open(&key, CONTEXT, &decode(&file.sealed)?)?;
    Ok(Some(serde_json::from_slice(&json).map_err(|e| {
        Error::Corrupt(format!("hand-over does not decode: {e}"))
    })?))
}

/// Deletes the hand-over file, then its platform key (best effort: a key
/// that survives wraps nothing any more).
pub(crate) fn remove(dir: &Path, keys: &dyn KeyStore) -> Result<()> {
    remove_file(dir)?;
    let _ = keys.delete(HANDOVER_KEY);
    Ok(())
}

fn remove_file(dir: &Path) -> Result<()> {
    match std::fs::remove_file(dir.join(HANDOVER_FILE)) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// When the next item is due (ms), if a hand-over is pending and opens.
pub(crate) fn next_due(dir: &Path, keys: &dyn KeyStore) -> Option<DateTime<Utc>> {
    if !pending(dir) {
        return None;
    }
    match read(dir, keys) {
        Ok(Some(p)) => p.items.iter().map(|i| i.due_at).min().map(from_ms),
        // A file that no longer opens is removed by the next send.
        _ => Some(from_ms(0)),
    }
}

/// Sends every due item of the pending hand-over once, through `send`,
/// rewriting the file after the round (or removing it when nothing is
/// left). Returns how many items remain. If another thread is already
/// sending it and `wait` is false, does nothing.
pub(crate) fn send_due(
    dir: &Path,
    keys: &dyn KeyStore,
    now: impl Fn() -> DateTime<Utc>,
    policy: &RetryPolicy,
    wait: bool,
    send: impl Fn(&Item) -> Outcome,
) -> Result<usize> {
    let _guard = if wait {
        SENDING.lock().unwrap_or_else(|p| p.into_inner())
    } else {
        match SENDING.try_lock() {
            Ok(g) => g,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => return Ok(usize::MAX),
        }
    };
    let mut package = match read(dir, keys) {
        Ok(Some(p)) => p,
        Ok(None) => return Ok(0),
        Err(_) => {
            // It can never be opened again (its key is gone): drop it.
            remove(dir, keys)?;
            return Ok(0);
        }
    };
    let start = to_ms(now());
    if start >= package.expires_at {
        remove(dir, keys)?;
        return Ok(0);
    }
    let mut kept = Vec::with_capacity(package.items.len());
    for mut item in std::mem::take(&mut package.items) {
        if item.due_at > start {
            kept.push(item);
            continue;
        }
        item.body.attempts = item.body.attempts.saturating_add(1);
        let at = to_ms(now());
        match send(&item) {
            Outcome::Delivered
            | Outcome::DeliveredWithNote(_)
            | Outcome::Sent
            | Outcome::AwaitingReport
            | Outcome::NeedsUserAction => {}
            Outcome::Permanent(_) | Outcome::Cancelled => {}
            Outcome::Retry(reason) => {
                item.body.last_error = Some(reason);
                item.due_at = at + policy.backoff(item.body.attempts).as_millis() as i64;
                kept.push(item);
            }
            Outcome::RetryAfter(reason, after) => {
                item.body.last_error = Some(reason);
                item.due_at = at + after.as_millis() as i64;
                kept.push(item);
            }
        }
    }
    let left = kept.len();
    if left == 0 {
        remove(dir, keys)?;
    } else {
        package.items = kept;
        write(dir, keys, &package)?;
    }
    Ok(left)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alerts::model::{Channel, MessageKind};
    use crate::keystore::SoftwareKeyStore;

    fn item(id: &str) -> Item {
        Item {
            id: id.into(),
            due_at: 0,
            body: DeliveryBody {
                alert_id: Some("a".repeat(32)),
                contact_id: "c".repeat(16),
                channel: Channel::Webhook,
                kind: MessageKind::Alert,
                language: "en".into(),
                target: "https://relay.example.org/secret-path".into(),
                token: None,
                text: "ALERT".into(),
                payload: Some("{}".into()),
                silent: true,
                idempotency_key: "k".repeat(32),
                attempts: 0,
                created_at: 0,
                updated_at: 0,
                last_error: None,
                timer: None,
                coded: false,
            },
        }
    }

    #[test]
    fn the_file_is_sealed_and_only_the_key_store_opens_it() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SoftwareKeyStore::ephemeral();
        let package = Package {
            expires_at: i64::MAX,
            items: vec![item("1")],
        };
        write(dir.path(), &keys, &package).unwrap();
        let bytes = std::fs::read(dir.path().join(HANDOVER_FILE)).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("secret-path"));
        let back = read(dir.path(), &keys).unwrap().unwrap();
        assert_eq!(back.items.len(), 1);
        assert_eq!(back.items[0].body.target, package.items[0].body.target);
        let other = SoftwareKeyStore::ephemeral();
        assert!(read(dir.path(), &other).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(HANDOVER_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn items_leave_when_done_and_the_file_when_empty_or_expired() {
        let dir = tempfile::tempdir().unwrap();
        let keys = SoftwareKeyStore::ephemeral();
        let policy = RetryPolicy::default();
        write(
            dir.path(),
            &keys,
            &Package {
                expires_at: 10_000_000,
                items: vec![item("1"), item("2")],
            },
        )
        .unwrap();
        let now = || from_ms(1_000);
        let left = send_due(dir.path(), &keys, now, &policy, true, |i| {
            if i.id == "1" {
                Outcome::Delivered
            } else {
                Outcome::Retry("down".into())
            }
        })
        .unwrap();
        assert_eq!(left, 1);
        let p = read(dir.path(), &keys).unwrap().unwrap();
        assert_eq!(p.items[0].id, "2");
        assert!(p.items[0].due_at > 1_000);
        // Not due yet: nothing is sent.
        let left = send_due(dir.path(), &keys, now, &policy, true, |_| panic!("not due")).unwrap();
        assert_eq!(left, 1);
        // Expired: given up, file gone.
        let late = || from_ms(10_000_001);
        let left = send_due(dir.path(), &keys, late, &policy, true, |_| {
            panic!("expired")
        })
        .unwrap();
        assert_eq!(left, 0);
        assert!(!pending(dir.path()));
    }
}
