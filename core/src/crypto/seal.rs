//! Sealing: XChaCha20-Poly1305 with a fresh random 24-byte nonce per call,
//! associated data that binds the ciphertext to its place, and plaintext
//! padded to size buckets so ciphertext sizes leak little.
//!
//! Format of a sealed value (all integers little-endian):
//! ```text
//! sealed    = version (1 byte, = 1) || nonce (24 bytes) || ciphertext+tag
//! plaintext = length (u32) || data || zero bytes up to the bucket size
//! AAD       = "parasol-seal" || version || context
//! ```
//! Buckets: the padded size is the next power of two from 256 bytes up to
//! 64 KiB, then the next multiple of 64 KiB. `context` is chosen by the caller
//! (for example "journal entry / vault id / entry id / version") and must be
//! identical to open.

use super::secret::{random_bytes, SecretKey};
use crate::error::{Error, Result};
use chacha20poly1305::aead::{Aead, AeadInPlace, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::{Zeroize, Zeroizing};

/// The format version byte written at the start of every sealed value.
pub const SEAL_VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
const DOMAIN: &[u8] = b"parasol-seal";
/// Largest plaintext that can be sealed in one value (64 MiB).
pub const MAX_PLAINTEXT: usize = 64 * 1024 * 1024;

/// The padded size for a plaintext of `len` bytes (including the 4-byte length).
pub fn padded_len(len: usize) -> usize {
    let need = len + 4;
    if need <= 64 * 1024 {
        need.next_power_of_two().max(256)
    } else {
        need.div_ceil(64 * 1024) * 64 * 1024
    }
}

fn aad(context: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(DOMAIN.len() + 1 + context.len());
    out.extend_from_slice(DOMAIN);
    out.push(SEAL_VERSION);
    out.extend_from_slice(context);
    out
}

/// Seals `plaintext` under `key`, bound to `context`.
pub fn seal(key: &SecretKey, context: &[u8], plaintext: &[u8]) -> Result<Vec<u8>> {
    seal_padded(key, context, plaintext, padded_len(plaintext.len()))
}

/// Bytes a value sealed with padded length `padded` takes (version, nonce, tag).
pub const fn sealed_len(padded: usize) -> usize {
    1 + NONCE_LEN + padded + TAG_LEN
}

/// Seals `plaintext` padded to exactly `padded` bytes (length prefix
/// included), for callers with their own size buckets. The result opens with
/// [`open`]. `padded` must hold the plaintext and its 4-byte length.
pub fn seal_padded(
    key: &SecretKey,
    context: &[u8],
    plaintext: &[u8],
    padded: usize,
) -> Result<Vec<u8>> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(Error::invalid(format!(
            "data of {} bytes is larger than the limit of {MAX_PLAINTEXT}",
            plaintext.len()
        )));
    }
    if padded < plaintext.len() + 4 {
        return Err(Error::Internal("padded length below the data".into()));
    }
    // Encrypt in place in the output buffer: no intermediate copy.
    let mut out = Vec::with_capacity(sealed_len(padded));
    out.push(SEAL_VERSION);
    out.extend_from_slice(&random_bytes(NONCE_LEN));
    out.extend_from_slice(&(plaintext.len() as u32).to_le_bytes());
    out.extend_from_slice(plaintext);
    out.resize(1 + NONCE_LEN + padded, 0);
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    let ad = aad(context);
    let (head, body) = out.split_at_mut(1 + NONCE_LEN);
    let tag = cipher
        .encrypt_in_place_detached(XNonce::from_slice(&head[1..]), &ad, body)
        .map_err(|_| {
            body.zeroize();
            Error::Crypto("encryption failed".into())
        })?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// Opens a value made by [`seal`] inside `sealed` itself (no copy) and
/// returns the plaintext's range in it. The caller must wipe `sealed`.
pub fn open_in_place(
    key: &SecretKey,
    context: &[u8],
    sealed: &mut [u8],
) -> Result<std::ops::Range<usize>> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN + 4 {
        return Err(Error::Crypto("sealed value is truncated".into()));
    }
    if sealed[0] != SEAL_VERSION {
        return Err(Error::Crypto(format!(
            "unknown sealed format version {}",
            sealed[0]
        )));
    }
    let end = sealed.len() - TAG_LEN;
    let mut tag = [0u8; TAG_LEN];
    tag.copy_from_slice(&sealed[end..]);
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&sealed[1..1 + NONCE_LEN]);
    let body = &mut sealed[1 + NONCE_LEN..end];
    XChaCha20Poly1305::new(key.expose().into())
        .decrypt_in_place_detached(
            XNonce::from_slice(&nonce),
            &aad(context),
            body,
            chacha20poly1305::Tag::from_slice(&tag),
        )
        .map_err(|_| Error::Crypto("sealed value failed authentication".into()))?;
    let len = u32::from_le_bytes([body[0], body[1], body[2], body[3]]) as usize;
    let start = 1 + NONCE_LEN + 4;
    if len > end - start {
        return Err(Error::Crypto("sealed value has a bad length".into()));
    }
    Ok(start..start + len)
}

/// Opens a value made by [`seal`] into `buf` (cleared first, reused across
/// calls to save allocations) and returns the plaintext's range in it. The
/// caller owns `buf`'s wiping (hold it in a [`Zeroizing`]).
pub fn open_into(
    key: &SecretKey,
    context: &[u8],
    sealed: &[u8],
    buf: &mut Vec<u8>,
) -> Result<std::ops::Range<usize>> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN + 4 {
        return Err(Error::Crypto("sealed value is truncated".into()));
    }
    if sealed[0] != SEAL_VERSION {
        return Err(Error::Crypto(format!(
            "unknown sealed format version {}",
            sealed[0]
        )));
    }
    let nonce = &sealed[1..1 + NONCE_LEN];
    let (ciphertext, tag) =
        sealed[1 + NONCE_LEN..].split_at(sealed.len() - 1 - NONCE_LEN - TAG_LEN);
    buf.zeroize();
    buf.clear();
    buf.extend_from_slice(ciphertext);
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    cipher
        .decrypt_in_place_detached(
            XNonce::from_slice(nonce),
            &aad(context),
            buf,
            chacha20poly1305::Tag::from_slice(tag),
        )
        .map_err(|_| {
            buf.zeroize();
            Error::Crypto("sealed value failed authentication".into())
        })?;
    let len = u32::from_le_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
    if len > buf.len() - 4 {
        return Err(Error::Crypto("sealed value has a bad length".into()));
    }
    Ok(4..4 + len)
}

/// Opens a value made by [`seal`] with the same key and context.
pub fn open(key: &SecretKey, context: &[u8], sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if sealed.len() < 1 + NONCE_LEN + TAG_LEN + 4 {
        return Err(Error::Crypto("sealed value is truncated".into()));
    }
    if sealed[0] != SEAL_VERSION {
        return Err(Error::Crypto(format!(
            "unknown sealed format version {}",
            sealed[0]
        )));
    }
    let (nonce, ciphertext) = sealed[1..].split_at(NONCE_LEN);
    let cipher = XChaCha20Poly1305::new(key.expose().into());
    let ad = aad(context);
    let padded = Zeroizing::new(
        cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: &ad,
                },
            )
            .map_err(|_| Error::Crypto("sealed value failed authentication".into()))?,
    );
    let len = u32::from_le_bytes([padded[0], padded[1], padded[2], padded[3]]) as usize;
    if len > padded.len() - 4 {
        return Err(Error::Crypto("sealed value has a bad length".into()));
    }
    Ok(Zeroizing::new(padded[4..4 + len].to_vec()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_padding() {
        let key = SecretKey::generate();
        for len in [0usize, 1, 200, 252, 253, 5000, 70_000] {
            let data: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let sealed = seal(&key, b"ctx", &data).unwrap();
            assert_eq!(sealed.len(), 1 + 24 + 16 + padded_len(len));
            assert_eq!(&open(&key, b"ctx", &sealed).unwrap()[..], &data[..]);
        }
        assert_eq!(padded_len(0), 256);
        assert_eq!(padded_len(252), 256);
        assert_eq!(padded_len(253), 512);
        assert_eq!(padded_len(70_000), 128 * 1024);
    }

    #[test]
    fn explicit_padding_and_in_place_open() {
        let key = SecretKey::generate();
        let sealed = seal_padded(&key, b"ctx", b"hello", 1000).unwrap();
        assert_eq!(sealed.len(), sealed_len(1000));
        assert_eq!(&open(&key, b"ctx", &sealed).unwrap()[..], b"hello");
        let mut buf = Vec::new();
        let r = open_into(&key, b"ctx", &sealed, &mut buf).unwrap();
        assert_eq!(&buf[r], b"hello");
        let mut copy = sealed.clone();
        let r = open_in_place(&key, b"ctx", &mut copy).unwrap();
        assert_eq!(&copy[r], b"hello");
        assert!(open_in_place(&key, b"other", &mut sealed.clone()).is_err());
        assert!(open_in_place(&key, b"ctx", &mut sealed[..40].to_vec()).is_err());
        assert!(open_into(&key, b"other", &sealed, &mut buf).is_err());
        assert!(buf.iter().all(|b| *b == 0), "a failed open leaves nothing");
        assert!(seal_padded(&key, b"ctx", b"hello", 8).is_err());
    }

    #[test]
    fn same_plaintext_seals_differently() {
        let key = SecretKey::generate();
        assert_ne!(
            seal(&key, b"c", b"x").unwrap(),
            seal(&key, b"c", b"x").unwrap()
        );
    }

    #[test]
    fn every_single_bit_flip_is_rejected() {
        let key = SecretKey::generate();
        let sealed = seal(&key, b"row-1", b"canary").unwrap();
        for bit in 0..sealed.len() * 8 {
            let mut bad = sealed.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            assert!(open(&key, b"row-1", &bad).is_err(), "bit {bit}");
        }
    }

    #[test]
    fn wrong_context_wrong_key_and_truncation_fail() {
        let key = SecretKey::generate();
        let sealed = seal(&key, b"row-1", b"canary").unwrap();
        assert!(open(&key, b"row-2", &sealed).is_err());
        assert!(open(&SecretKey::generate(), b"row-1", &sealed).is_err());
        for cut in [0, 1, 10, 40, sealed.len() - 1] {
            assert!(open(&key, b"row-1", &sealed[..cut]).is_err());
        }
    }
}
