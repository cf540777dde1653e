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

    /// Checks and normalises a passphrase the user is *choosing* (a new
    /// journal, a new or duress passphrase, a backup passphrase): as
    /// [`Passphrase::new`], and it must hold at least one visible character
    /// (see [`is_invisible`]). Passphrases already in use are only checked
    /// with [`Passphrase::new`], so that one chosen before this rule still opens.
    pub fn new_choice(raw: &[u8]) -> Result<Self> {
        let p = Passphrase::new(raw)?;
        let text = std::str::from_utf8(p.bytes())
            .map_err(|_| Error::invalid("the passphrase is not valid UTF-8 text"))?;
        if text.chars().all(is_invisible) {
            return Err(Error::invalid(
                "the passphrase has no visible character: choose one you can see as you type it",
            ));
        }
        Ok(p)
    }

    /// The normalised UTF-8 bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Characters that show nothing on their own: Unicode White_Space, controls
/// (Cc), format characters (Cf, e.g. zero-width space and joiners, soft
/// hyphen, bidi marks, BOM), combining marks (Mn, Mc, Me), variation
/// selectors, the Hangul fillers and the blank Braille pattern.
pub fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || unicode_normalization::char::is_combining_mark(c)
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{0600}'..='\u{0605}' | '\u{06DD}'
            | '\u{070F}' | '\u{08E2}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}' | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
            | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}')
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
    fn chosen_passphrases_need_a_visible_character() {
        for bad in [
            "\u{0}",
            "\u{200B}",
            " \u{3000}\t",
            "\u{200D}\u{FE0F}",
            "\u{301}",
            "\u{2800}\u{3164}",
        ] {
            let e = Passphrase::new_choice(bad.as_bytes()).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput, "{bad:?}");
            assert!(
                e.to_string().contains("visible") || e.to_string().contains("spaces"),
                "{e}"
            );
        }
        for good in ["x", "\u{200B}a", "☂️", "é", "日本"] {
            Passphrase::new_choice(good.as_bytes()).unwrap();
        }
        // An existing passphrase is still accepted for unlocking.
        Passphrase::new("\u{200B}".as_bytes()).unwrap();
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
