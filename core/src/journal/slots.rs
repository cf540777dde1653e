//! The vault header and the key slots.
//!
//! The header (magic, format, algorithm, vault id, Argon2id parameters, salt)
//! is stored in the clear and authenticated as associated data of every slot.
//! A fixed number of slots ([`SLOT_COUNT`]) is always present: slot 0 wraps the
//! journal's data key; slots 1 and 2 wrap duress vaults (the journal's duress
//! vault lives in slot 1; a duress vault set up from inside a duress session
//! lives in the other one, see [`child_slot`]) or random bytes of exactly the
//! same size and shape. Unlocking derives the key-encryption key once and tries
//! every slot, so neither the disk nor the timing tells whether a duress
//! passphrase exists.

use super::kdf::{self, KdfParams, SALT_LEN};
use crate::crypto::{self, random_bytes, SecretKey};
use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// Number of key slots, always all present.
pub const SLOT_COUNT: usize = 3;
/// Number of key slots of a journal written before format 2.
pub const LEGACY_SLOT_COUNT: usize = 2;
/// The slot of the journal itself.
pub const PRIMARY_SLOT: usize = 0;
/// The slot of the journal's duress passphrase.
pub const DURESS_SLOT: usize = 1;

/// The slot where the vault in `slot` keeps the duress vault it sets up:
/// the journal uses slot 1; slots 1 and 2 use each other. So nothing set up
/// from a duress session can ever overwrite the journal's own slot.
pub fn child_slot(slot: usize) -> usize {
    match slot {
        PRIMARY_SLOT => DURESS_SLOT,
        s => 3 - s,
    }
}
/// The journal format version this build writes and reads.
pub const FORMAT_VERSION: u8 = 1;
const MAGIC: &[u8; 4] = b"PJRN";
const ALG_ARGON2ID_XCHACHA: u8 = 1;
/// Length of an encoded [`Header`].
pub const HEADER_LEN: usize = 4 + 1 + 1 + 16 + 12 + SALT_LEN;
/// Size of a sealed slot or head (1 + 24 + 16 + 256).
pub const SEALED_SMALL_LEN: usize = 1 + 24 + 16 + 256;

/// The clear, authenticated description of a journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Random identifier bound into every ciphertext of this journal.
    pub vault_id: [u8; 16],
    /// Argon2id parameters.
    pub kdf: KdfParams,
    /// Argon2id salt.
    pub salt: [u8; SALT_LEN],
}

impl Header {
    /// A new header with a random vault id and salt.
    pub fn generate(kdf: KdfParams) -> Self {
        let mut vault_id = [0u8; 16];
        vault_id.copy_from_slice(&random_bytes(16));
        Header::with_vault_id(vault_id, kdf)
    }

    /// A new header (fresh salt) for an existing vault id.
    pub fn with_vault_id(vault_id: [u8; 16], kdf: KdfParams) -> Self {
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&random_bytes(SALT_LEN));
        Header {
            vault_id,
            kdf,
            salt,
        }
    }

    /// The stored bytes.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN);
        out.extend_from_slice(MAGIC);
        out.push(FORMAT_VERSION);
        out.push(ALG_ARGON2ID_XCHACHA);
        out.extend_from_slice(&self.vault_id);
        out.extend_from_slice(&self.kdf.encode());
        out.extend_from_slice(&self.salt);
        out
    }

    /// Parses stored bytes; unknown versions and algorithms are errors.
    pub fn decode(bytes: &[u8]) -> Result<Self> {
        if bytes.len() != HEADER_LEN || &bytes[0..4] != MAGIC {
            return Err(Error::Corrupt("journal header is damaged".into()));
        }
        if bytes[4] != FORMAT_VERSION {
            return Err(Error::Corrupt(format!(
                "journal format {} is not supported by this app (it reads {FORMAT_VERSION})",
                bytes[4]
            )));
        }
        if bytes[5] != ALG_ARGON2ID_XCHACHA {
            return Err(Error::Corrupt(format!(
                "journal algorithm {} is unknown",
                bytes[5]
            )));
        }
        let mut vault_id = [0u8; 16];
        vault_id.copy_from_slice(&bytes[6..22]);
        let mut kdf_bytes = [0u8; 12];
        kdf_bytes.copy_from_slice(&bytes[22..34]);
        let mut salt = [0u8; SALT_LEN];
        salt.copy_from_slice(&bytes[34..50]);
        Ok(Header {
            vault_id,
            kdf: KdfParams::decode(&kdf_bytes),
            salt,
        })
    }
}

/// Derives the key-encryption key: Argon2id(passphrase, salt, params), then
/// HKDF-SHA256 with the platform secret as salt and the vault id in `info`.
pub fn derive_kek(
    header: &Header,
    passphrase: &[u8],
    platform_secret: &[u8],
    allow_weak: bool,
) -> Result<SecretKey> {
    header.kdf.check(allow_weak)?;
    let stretched = kdf::argon2id(passphrase, &header.salt, header.kdf)?;
    kdf::hkdf(
        platform_secret,
        stretched.expose(),
        &[b"parasol-journal-kek-v1", &header.vault_id],
    )
}

/// Flags stored inside a slot, next to its data key.
pub mod flags {
    /// Open the decoy journal.
    pub const DECOY: u8 = 1;
    /// Call the duress hook (silent alert).
    pub const ALERT: u8 = 2;
    /// Wipe the profile.
    pub const WIPE: u8 = 4;
}

/// What a slot holds once opened.
pub struct SlotContent {
    /// The vault's data key.
    pub dek: SecretKey,
    /// Duress flags (0 for the primary slot).
    pub flags: u8,
}

impl std::fmt::Debug for SlotContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlotContent")
            .field("flags", &self.flags)
            .finish_non_exhaustive()
    }
}

fn slot_context(header: &[u8], index: usize) -> Vec<u8> {
    let mut ctx = b"journal-slot".to_vec();
    ctx.extend_from_slice(header);
    ctx.push(index as u8);
    ctx
}

/// Wraps `content` for slot `index` under `kek`.
pub fn wrap(
    kek: &SecretKey,
    header: &[u8],
    index: usize,
    content: &SlotContent,
) -> Result<Vec<u8>> {
    let mut plain = Zeroizing::new(Vec::with_capacity(33));
    plain.extend_from_slice(content.dek.expose());
    plain.push(content.flags);
    crypto::seal(kek, &slot_context(header, index), &plain)
}

/// Random bytes shaped exactly like a sealed slot or head.
pub fn filler() -> Vec<u8> {
    let mut out = random_bytes(SEALED_SMALL_LEN);
    out[0] = crypto::SEAL_VERSION;
    out
}

/// Opens slot `index` with `kek`, if it opens.
pub fn open_one(
    kek: &SecretKey,
    header: &[u8],
    index: usize,
    wrapped: &[u8],
) -> Option<SlotContent> {
    let plain = crypto::open(kek, &slot_context(header, index), wrapped).ok()?;
    if plain.len() != 33 {
        return None;
    }
    Some(SlotContent {
        dek: SecretKey::from_slice(&plain[..32])?,
        flags: plain[32],
    })
}

/// Tries `kek` on every slot (always all of them, whatever matches) and
/// returns every slot that opens.
pub fn open_all(kek: &SecretKey, header: &[u8], slots: &[Vec<u8>]) -> Vec<(usize, SlotContent)> {
    slots
        .iter()
        .enumerate()
        .filter_map(|(index, wrapped)| open_one(kek, header, index, wrapped).map(|c| (index, c)))
        .collect()
}

/// The first slot that opens (see [`open_all`]).
pub fn try_all(kek: &SecretKey, header: &[u8], slots: &[Vec<u8>]) -> Option<(usize, SlotContent)> {
    open_all(kek, header, slots).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trip_and_refusals() {
        let h = Header::generate(KdfParams::DEFAULT);
        let bytes = h.encode();
        assert_eq!(bytes.len(), HEADER_LEN);
        assert_eq!(Header::decode(&bytes).unwrap(), h);
        let mut newer = bytes.clone();
        newer[4] = 2;
        assert!(Header::decode(&newer)
            .unwrap_err()
            .to_string()
            .contains("format 2"));
        assert!(Header::decode(&bytes[..10]).is_err());
    }

    #[test]
    fn slots_and_filler_look_alike_and_only_the_right_key_opens() {
        let header = Header::generate(KdfParams::INSECURE_FAST).encode();
        let kek = SecretKey::generate();
        let dek = SecretKey::generate();
        let wrapped = wrap(
            &kek,
            &header,
            0,
            &SlotContent {
                dek: dek.clone(),
                flags: 0,
            },
        )
        .unwrap();
        let fill = filler();
        assert_eq!(wrapped.len(), fill.len());
        assert_eq!(wrapped[0], fill[0]);
        let slots = vec![wrapped.clone(), fill];
        let (i, c) = try_all(&kek, &header, &slots).unwrap();
        assert_eq!((i, c.dek.expose()), (0, dek.expose()));
        assert!(try_all(&SecretKey::generate(), &header, &slots).is_none());
        // A slot moved to another index does not open.
        let moved = vec![filler(), wrapped];
        assert!(try_all(&kek, &header, &moved).is_none());
    }
}
