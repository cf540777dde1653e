//! Signed content packs: the update format, signing and verification.
//!
//! A signed pack is one file:
//! ```text
//! magic      8 bytes   "PSLPACK1"
//! key id     8 bytes   first 8 bytes of SHA-256(signer's Ed25519 public key)
//! signature 64 bytes   Ed25519 over DOMAIN || magic || key id || payload
//! payload    the rest  UTF-8 JSON of a PackPayload
//! ```
//! The signature is checked (`verify_strict`) over the exact bytes before the
//! payload is parsed. Country, pack version, schema version and expiry live
//! inside the signed payload. See `docs/content-format.md`.

use super::model::{PackPayload, FORMAT, SCHEMA_VERSION};
use super::validate;
use crate::error::{Error, Result};
use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The first bytes of every signed pack.
pub const MAGIC: &[u8; 8] = b"PSLPACK1";
/// Domain separation for pack signatures.
pub const DOMAIN: &[u8] = b"parasol content pack signature v1\0";
/// The largest signed pack accepted (4 MiB).
pub const MAX_PACK_BYTES: usize = 4 * 1024 * 1024;
const HEADER: usize = 8 + 8 + 64;

/// The public keys whose packs this build accepts. Two are embedded so that a
/// key can be rotated: sign with the second, ship a build that embeds a third,
/// then retire the first (see `docs/content-format.md`).
pub const TRUSTED_KEYS: [[u8; 32]; 2] = [
    hex_literal(b"0f25c1ac71a7ef9e20c30ee6afe4fc8154a22cf9513ce17d616a30399f700232"),
    hex_literal(b"1f2c77c21b679220d277bd6e76174830b2e844b748a781d0ca8e3b9963b9365e"),
];

const fn hex_nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => panic!("not a lower-case hex digit"),
    }
}

const fn hex_literal(s: &[u8]) -> [u8; 32] {
    assert!(s.len() == 64, "a key is 64 hex digits");
    let mut out = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        out[i] = hex_nibble(s[2 * i]) << 4 | hex_nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

/// The embedded trusted keys.
pub fn trusted_keys() -> Vec<VerifyingKey> {
    TRUSTED_KEYS
        .iter()
        .filter_map(|k| VerifyingKey::from_bytes(k).ok())
        .collect()
}

/// The 8-byte id of a public key.
pub fn key_id(key: &VerifyingKey) -> [u8; 8] {
    let digest = Sha256::digest(key.as_bytes());
    let mut id = [0u8; 8];
    id.copy_from_slice(&digest[..8]);
    id
}

fn message(key_id: &[u8; 8], payload: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(DOMAIN.len() + HEADER + payload.len());
    m.extend_from_slice(DOMAIN);
    m.extend_from_slice(MAGIC);
    m.extend_from_slice(key_id);
    m.extend_from_slice(payload);
    m
}

/// Signs a payload (the JSON bytes of a [`PackPayload`]).
pub fn sign(payload: &[u8], key: &SigningKey) -> Vec<u8> {
    let id = key_id(&key.verifying_key());
    let signature = key.sign(&message(&id, payload));
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&id);
    out.extend_from_slice(&signature.to_bytes());
    out.extend_from_slice(payload);
    out
}

/// Checks the signature of a signed pack against `trusted` keys and returns
/// the payload bytes. Nothing of the payload is parsed before this succeeds.
pub fn verify<'a>(signed: &'a [u8], trusted: &[VerifyingKey]) -> Result<&'a [u8]> {
    if signed.len() > MAX_PACK_BYTES {
        return Err(Error::Content(format!(
            "pack of {} bytes is larger than the limit of {MAX_PACK_BYTES}",
            signed.len()
        )));
    }
    if signed.len() < HEADER || &signed[..8] != MAGIC {
        return Err(Error::Content(
            "not a Parasol content pack (bad header)".into(),
        ));
    }
    let id: [u8; 8] = signed[8..16]
        .try_into()
        .map_err(|_| Error::Internal("header slice".into()))?;
    let key = trusted
        .iter()
        .find(|k| key_id(k) == id)
        .ok_or_else(|| Error::Crypto("pack is signed by an unknown key".into()))?;
    let sig_bytes: [u8; 64] = signed[16..HEADER]
        .try_into()
        .map_err(|_| Error::Internal("signature slice".into()))?;
    let signature = Signature::from_bytes(&sig_bytes);
    let payload = &signed[HEADER..];
    key.verify_strict(&message(&id, payload), &signature)
        .map_err(|_| Error::Crypto("pack signature does not verify".into()))?;
    Ok(payload)
}

/// The longest a pack may stay valid: from `created_at` to `expires_at`.
pub const MAX_LIFETIME_DAYS: i64 = 731;

/// The highest pack version accepted at `now`: tomorrow's date (UTC) as
/// YYYYMMDD99. Versions follow the date they were released ("YYYYMMDDNN",
/// the default `last_reviewed` × 100), so a pack numbered far in the future
/// (by mistake or by a stolen key) cannot block every later update: at worst
/// it blocks updates until that date has passed. The bound also keeps every
/// version within SQLite's signed 64-bit integers.
pub fn max_version(now: DateTime<Utc>) -> u64 {
    use chrono::Datelike;
    let day = (now + Duration::days(1)).date_naive();
    let date = day.year().max(0) as u64 * 10_000 + day.month() as u64 * 100 + day.day() as u64;
    date * 100 + 99
}

/// What a pack must satisfy besides a good signature.
#[derive(Debug, Clone)]
pub struct Expect<'a> {
    /// The pack id asked for ("NL", "selfcheck").
    pub pack_id: &'a str,
    /// The version in use: the pack must be newer.
    pub newer_than: u64,
    /// The current time, for the version bound and expiry.
    pub now: DateTime<Utc>,
    /// `true` when re-checking a pack that was installed earlier (at load):
    /// its expiry is not enforced (the pack is kept and flagged as out of
    /// date, see [`super::library::Loaded::is_stale`]); everything else is.
    pub installed: bool,
}

/// Verifies, parses and checks a signed pack for installation.
pub fn open(signed: &[u8], trusted: &[VerifyingKey], expect: &Expect<'_>) -> Result<PackPayload> {
    let payload = verify(signed, trusted)?;
    let text = std::str::from_utf8(payload)
        .map_err(|_| Error::Content("pack payload is not UTF-8".into()))?;
    let pack: PackPayload = serde_json::from_str(text)
        .map_err(|e| Error::Content(format!("pack payload is malformed: {e}")))?;
    if pack.format != FORMAT || pack.schema_version != SCHEMA_VERSION {
        return Err(Error::Content(format!(
            "pack schema {} is not supported by this version (needs {SCHEMA_VERSION})",
            pack.schema_version
        )));
    }
    if pack.pack_id != expect.pack_id {
        return Err(Error::Content(format!(
            "pack is for {:?}, not {:?}",
            pack.pack_id, expect.pack_id
        )));
    }
    if pack.pack_version <= expect.newer_than {
        return Err(Error::Content(format!(
            "pack version {} is not newer than the one in use ({})",
            pack.pack_version, expect.newer_than
        )));
    }
    let highest = max_version(expect.now);
    if pack.pack_version > highest {
        return Err(Error::Content(format!(
            "pack version {} is in the future (the highest accepted today is {highest}, \
             a version is the release date as YYYYMMDDNN)",
            pack.pack_version
        )));
    }
    if !expect.installed {
        check_dates(&pack, expect.now)?;
    }
    let problems = validate::validate(&pack, None);
    if let Some(first) = problems.first() {
        return Err(Error::Content(format!(
            "pack content is invalid ({} problems), first: {first}",
            problems.len()
        )));
    }
    Ok(pack)
}

/// An update must say when it expires, must not have expired, must not have
/// been created in the future, and may live at most [`MAX_LIFETIME_DAYS`].
fn check_dates(pack: &PackPayload, now: DateTime<Utc>) -> Result<()> {
    let Some(expires) = pack.expires_at else {
        return Err(Error::Content(
            "pack has no expiry date; updates must expire".into(),
        ));
    };
    if expires <= now {
        return Err(Error::Content(format!(
            "pack expired on {}",
            expires.to_rfc3339()
        )));
    }
    if pack.created_at > now + Duration::days(1) {
        return Err(Error::Content(format!(
            "pack was created in the future ({})",
            pack.created_at.to_rfc3339()
        )));
    }
    if expires - pack.created_at > Duration::days(MAX_LIFETIME_DAYS) {
        return Err(Error::Content(format!(
            "pack is valid for more than {MAX_LIFETIME_DAYS} days"
        )));
    }
    Ok(())
}

/// The text form of a secret signing key file.
pub fn secret_key_file(key: &SigningKey) -> Zeroizing<String> {
    Zeroizing::new(format!(
        "parasol-pack-secret-key-v1\n{}\n",
        hex::encode(key.to_bytes())
    ))
}

/// The text form of a public key file.
pub fn public_key_file(key: &VerifyingKey) -> String {
    format!(
        "parasol-pack-public-key-v1\n{}\n",
        hex::encode(key.as_bytes())
    )
}

fn key_body<'a>(text: &'a str, header: &str) -> Result<&'a str> {
    let mut lines = text.lines();
    if lines.next() != Some(header) {
        return Err(Error::invalid(format!("not a {header} file")));
    }
    lines
        .next()
        .map(str::trim)
        .ok_or_else(|| Error::invalid("key file has no key"))
}

/// Parses a secret key file.
pub fn parse_secret_key(text: &str) -> Result<SigningKey> {
    let body = key_body(text, "parasol-pack-secret-key-v1")?;
    let mut bytes = Zeroizing::new([0u8; 32]);
    hex::decode_to_slice(body, bytes.as_mut())
        .map_err(|_| Error::invalid("secret key is not 64 hex digits"))?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Parses a public key file.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey> {
    let body = key_body(text, "parasol-pack-public-key-v1")?;
    let mut bytes = [0u8; 32];
    hex::decode_to_slice(body, &mut bytes)
        .map_err(|_| Error::invalid("public key is not 64 hex digits"))?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| Error::invalid("not an Ed25519 public key"))
}

/// A new random signing key.
pub fn generate_key() -> SigningKey {
    SigningKey::generate(&mut rand::rngs::OsRng)
}
