//! Passphrases: bytes in (UTF-8, as Kotlin ByteArray / Swift Data), checked and
//! normalised as in the PRECIS OpaqueString profile (RFC 8265): every non-ASCII
//! space becomes U+0020, then Unicode NFC. The same passphrase typed on two
//! keyboards (composed "é" or "e" + combining accent) unlocks the same journal.
//! Too long is an error, never a silent truncation.

use crate::error::{Error, Result};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

/// Longest accepted passphrase, in bytes of UTF-8 after normalisation.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;

/// A normalised passphrase. Wiped on drop; `Debug` is redacted.
pub struct Passphrase(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(<redacted>)")
    }
}

impl Passphrase {
    /// Checks and normalises raw passphrase bytes.
    pub fn new(raw: &[u8]) -> Result<Self> {
        if raw.is_empty() {
            return Err(Error::invalid("the passphrase is empty"));
        }
        // Bound the work before normalising: NFC can grow a string at most a
        // few times, so 4x the cap is a safe pre-check.
        if raw.len() > 4 * MAX_PASSPHRASE_BYTES {
            return Err(Error::invalid(format!(
                "the passphrase is too long ({} bytes; at most {MAX_PASSPHRASE_BYTES})",
                raw.len()
            )));
        }
        let text = std::str::from_utf8(raw)
            .map_err(|_| Error::invalid("the passphrase is not valid UTF-8 text"))?;
        let mut out = Zeroizing::new(String::with_capacity(text.len()));
        let spaced: Zeroizing<String> = Zeroizing::new(
            text.chars()
                .map(|c| if is_non_ascii_space(c) { ' ' } else { c })
                .collect(),
        );
        out.extend(spaced.nfc());
        if out.trim().is_empty() {
            return Err(Error::invalid("the passphrase is only spaces"));
        }
        if out.len() > MAX_PASSPHRASE_BYTES {
            return Err(Error::invalid(format!(
                "the passphrase is too long ({} bytes; at most {MAX_PASSPHRASE_BYTES})",
                out.len()
            )));
        }
        let bytes = Zeroizing::new(out.as_bytes().to_vec());
        Ok(Passphrase(bytes))
    }

    /// The normalised UTF-8 bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Unicode general category Zs other than U+0020 (RFC 8265 §4.2.1 rule 1).
fn is_non_ascii_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_and_nfd_are_equal_and_spaces_are_mapped() {
        let nfc = Passphrase::new("caf\u{e9} ma\u{f1}ana".as_bytes()).unwrap();
        let nfd = Passphrase::new("cafe\u{301}\u{a0}man\u{303}ana".as_bytes()).unwrap();
        assert_eq!(nfc.bytes(), nfd.bytes());
        let emoji = Passphrase::new("☂️ parasol 🌧".as_bytes()).unwrap();
        assert!(!emoji.bytes().is_empty());
        assert_eq!(format!("{emoji:?}"), "Passphrase(<redacted>)");
    }

    #[test]
    fn bad_passphrases_have_clear_errors() {
        let e = Passphrase::new(b"").unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        let e = Passphrase::new(&vec![b'a'; 1024 * 1024]).unwrap_err();
        assert!(e.to_string().contains("too long"), "{e}");
        let e = Passphrase::new(&vec![b'a'; MAX_PASSPHRASE_BYTES + 1]).unwrap_err();
        assert!(e.to_string().contains("too long"), "{e}");
        Passphrase::new(&vec![b'a'; MAX_PASSPHRASE_BYTES]).unwrap();
        let e = Passphrase::new(&[0xff, 0xfe]).unwrap_err();
        assert!(e.to_string().contains("UTF-8"), "{e}");
        assert!(Passphrase::new("\u{3000} ".as_bytes()).is_err());
        Passphrase::new(b"x").unwrap();
        for e in [
            Passphrase::new(b"").unwrap_err(),
            Passphrase::new(&vec![b'a'; 1 << 20]).unwrap_err(),
        ] {
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        }
    }
}
