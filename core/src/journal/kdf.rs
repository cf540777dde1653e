//! Passphrase key derivation: Argon2id with parameters that are stored beside
//! the salt, checked against a floor (no downgrade) and a cap (no "KDF bomb"
//! from a crafted backup), then mixed with the platform factor through HKDF.
//!
//! The `argon2` 0.5 crate computes lanes one after another (it has no thread
//! support), so `p > 1` costs the same time and memory per guess as `p = 1`
//! for us while an attacker parallelises anyway: the default is `p = 1`.

use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use sha2::Sha256;
use zeroize::Zeroizing;

/// Length of the Argon2id salt in bytes.
pub const SALT_LEN: usize = 16;

/// Argon2id cost parameters, as stored in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Passes over memory.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl KdfParams {
    /// The default for new journals and backups: RFC 9106's second
    /// recommendation with one lane (t = 3, m = 64 MiB, p = 1).
    pub const DEFAULT: KdfParams = KdfParams {
        m_kib: 64 * 1024,
        t: 3,
        p: 1,
    };
    /// OWASP's floor (m = 19 MiB, t = 2, p = 1): anything weaker is refused.
    pub const FLOOR: KdfParams = KdfParams {
        m_kib: 19 * 1024,
        t: 2,
        p: 1,
    };
    /// The cap: anything costlier is refused before any work is done (a
    /// crafted header or backup must not make a cheap phone spend seconds
    /// and hundreds of MiB before the passphrase is even checked).
    pub const CAP: KdfParams = KdfParams {
        m_kib: 256 * 1024,
        t: 8,
        p: 8,
    };
    /// Deliberately weak parameters (m = 64 KiB, t = 1) for tests and the
    /// demo only. Accepted only by a journal opened with
    /// [`crate::journal::JournalOptions::insecure_fast_kdf_for_tests_and_demo`].
    pub const INSECURE_FAST: KdfParams = KdfParams {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    /// Checks the parameters: never above [`KdfParams::CAP`]; never below
    /// [`KdfParams::FLOOR`] unless `allow_weak`.
    pub fn check(&self, allow_weak: bool) -> Result<()> {
        let cap = KdfParams::CAP;
        if self.m_kib > cap.m_kib || self.t > cap.t || self.p > cap.p {
            return Err(Error::Crypto(format!(
                "key-derivation parameters m={} KiB t={} p={} exceed the cap (m<={} KiB, t<={}, p<={})",
                self.m_kib, self.t, self.p, cap.m_kib, cap.t, cap.p
            )));
        }
        let floor = KdfParams::FLOOR;
        let weak = self.m_kib < floor.m_kib || self.t < floor.t || self.p < 1;
        if weak && !allow_weak {
            return Err(Error::Crypto(format!(
                "key-derivation parameters m={} KiB t={} p={} are below the minimum (m>={} KiB, t>={})",
                self.m_kib, self.t, self.p, floor.m_kib, floor.t
            )));
        }
        if self.p < 1 || self.t < 1 || self.m_kib < 8 * self.p {
            return Err(Error::Crypto(
                "key-derivation parameters are invalid".into(),
            ));
        }
        Ok(())
    }

    /// The 12-byte encoding: m_kib, t, p as little-endian u32.
    pub fn encode(&self) -> [u8; 12] {
        let mut out = [0u8; 12];
        out[0..4].copy_from_slice(&self.m_kib.to_le_bytes());
        out[4..8].copy_from_slice(&self.t.to_le_bytes());
        out[8..12].copy_from_slice(&self.p.to_le_bytes());
        out
    }

    /// Decodes [`KdfParams::encode`]'s output (no range check: call [`KdfParams::check`]).
    pub fn decode(bytes: &[u8; 12]) -> KdfParams {
        let u = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
        KdfParams {
            m_kib: u(0),
            t: u(4),
            p: u(8),
        }
    }
}

/// Runs Argon2id (version 0x13) over `passphrase` and `salt`: 32 bytes out.
/// The caller must have called [`KdfParams::check`].
pub fn argon2id(passphrase: &[u8], salt: &[u8], params: KdfParams) -> Result<SecretKey> {
    let p = Params::new(params.m_kib, params.t, params.p, Some(32))
        .map_err(|e| Error::Crypto(format!("key-derivation parameters: {e}")))?;
    let mut out = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, p)
        .hash_password_into(passphrase, salt, out.as_mut())
        .map_err(|e| Error::Crypto(format!("key derivation failed: {e}")))?;
    Ok(SecretKey::from_bytes(*out))
}

/// HKDF-SHA256 with `salt`, `ikm` and `info`: one 32-byte key.
pub fn hkdf(salt: &[u8], ikm: &[u8], info: &[&[u8]]) -> Result<SecretKey> {
    let hk = Hkdf::<Sha256>::new(Some(salt), ikm);
    let mut out = Zeroizing::new([0u8; 32]);
    let info: Vec<u8> = info.concat();
    hk.expand(&info, out.as_mut())
        .map_err(|_| Error::Internal("hkdf output length".into()))?;
    Ok(SecretKey::from_bytes(*out))
}

/// A pseudo-random function keyed by `key`: HKDF-Expand(PRK = key, info = msg), `N` bytes.
pub fn prf<const N: usize>(key: &SecretKey, msg: &[&[u8]]) -> [u8; N] {
    let mut out = [0u8; N];
    let info: Vec<u8> = msg.concat();
    // A 32-byte PRK is always valid and N <= 255 * 32, so this cannot fail.
    if let Ok(hk) = Hkdf::<Sha256>::from_prk(key.expose()) {
        let _ = hk.expand(&info, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_floor_and_cap() {
        assert_eq!(
            KdfParams::DEFAULT,
            KdfParams {
                m_kib: 65536,
                t: 3,
                p: 1
            }
        );
        KdfParams::DEFAULT.check(false).unwrap();
        KdfParams::FLOOR.check(false).unwrap();
        assert!(KdfParams::INSECURE_FAST.check(false).is_err());
        KdfParams::INSECURE_FAST.check(true).unwrap();
        let bomb = KdfParams {
            m_kib: u32::MAX,
            t: 3,
            p: 1,
        };
        assert!(bomb.check(true).is_err());
        let slow = KdfParams {
            m_kib: 65536,
            t: 1000,
            p: 1,
        };
        assert!(slow.check(true).is_err());
        let down = KdfParams {
            m_kib: 19 * 1024 - 1,
            t: 2,
            p: 1,
        };
        assert!(down.check(false).is_err());
        assert_eq!(
            KdfParams::decode(&KdfParams::DEFAULT.encode()),
            KdfParams::DEFAULT
        );
    }

    #[test]
    fn argon2id_matches_rfc9106_shape() {
        let a = argon2id(b"pw", &[1u8; 16], KdfParams::INSECURE_FAST).unwrap();
        let b = argon2id(b"pw", &[1u8; 16], KdfParams::INSECURE_FAST).unwrap();
        let c = argon2id(b"pw", &[2u8; 16], KdfParams::INSECURE_FAST).unwrap();
        assert_eq!(a.expose(), b.expose());
        assert_ne!(a.expose(), c.expose());
        let x: [u8; 16] = prf(&a, &[b"x"]);
        let y: [u8; 16] = prf(&a, &[b"y"]);
        assert_ne!(x, y);
    }
}
