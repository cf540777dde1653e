//! Validation of everything a user or a shell hands to the alert engine:
//! phone numbers (E.164), names, notes, HTTPS URLs, access tokens and
//! coordinates. Every refusal is a typed [`Error::InvalidInput`] whose text
//! never echoes the refused value (it may be personal).

use crate::error::{Error, Result};
use crate::http;
use unicode_normalization::UnicodeNormalization;

/// Longest name (of a contact or of the user), in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 1000;
/// Longest URL, in bytes.
pub const MAX_URL_BYTES: usize = 2048;
/// Longest access token, in bytes.
pub const MAX_TOKEN_BYTES: usize = 512;
/// Inputs longer than this many bytes are refused before any other work.
const MAX_RAW_BYTES: usize = 16 * 1024;

/// Normalises a phone number to E.164 (`+31612345678`).
///
/// Accepts only ASCII digits, a leading `+` and the separators space, `-`,
/// `.`, `(` and `)`. Letters (vanity numbers), `*`, `#`, non-ASCII digits
/// and invisible characters are refused, as are numbers without a country
/// code and numbers the numbering plan does not know. Idempotent.
pub fn phone(input: &str) -> Result<String> {
    if input.len() > 64 {
        return Err(Error::invalid("phone number is too long"));
    }
    let trimmed = input.trim_matches(|c| c == ' ');
    let mut digits = String::with_capacity(16);
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '+' if i == 0 => {}
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            '*' | '#' => {
                return Err(Error::invalid(
                    "phone number must not contain * or # (service codes are refused)",
                ))
            }
            c if c.is_alphabetic() => {
                return Err(Error::invalid("phone number must not contain letters"))
            }
            _ => {
                return Err(Error::invalid(
                    "phone number contains a character that is not a digit or separator",
                ))
            }
        }
    }
    if !trimmed.starts_with('+') {
        return Err(Error::invalid(
            "phone number must start with + and the country code (E.164)",
        ));
    }
    if !(7..=15).contains(&digits.len()) {
        return Err(Error::invalid(
            "phone number must have between 7 and 15 digits",
        ));
    }
    let candidate = format!("+{digits}");
    let parsed = phonenumber::parse(None, &candidate)
        .map_err(|_| Error::invalid("not a valid phone number"))?;
    if !parsed.is_valid() {
        return Err(Error::invalid("not a valid phone number"));
    }
    let e164 = parsed.format().mode(phonenumber::Mode::E164).to_string();
    if e164 != candidate {
        return Err(Error::invalid("not a valid phone number"));
    }
    Ok(e164)
}

/// Characters refused in names: controls and invisible or direction-changing
/// format characters (which let a name look like something it is not).
fn is_invisible_or_control(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// Direction overrides, embeddings and isolates: refused in notes too.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Normalises a display name (NFC, trimmed). Refuses empty names, names over
/// [`MAX_NAME_CHARS`] and names with controls or invisible characters.
pub fn name(input: &str, what: &str) -> Result<String> {
    if input.len() > MAX_RAW_BYTES {
        return Err(Error::invalid(format!("{what} is too long")));
    }
    let clean: String = input.nfc().collect::<String>().trim().to_owned();
    if clean.is_empty() {
        return Err(Error::invalid(format!("{what} is empty")));
    }
    if clean.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(format!(
            "{what} is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    if clean.chars().any(is_invisible_or_control) {
        return Err(Error::invalid(format!(
            "{what} contains control or invisible characters"
        )));
    }
    Ok(clean)
}

/// Normalises an optional note (NFC, trimmed; empty becomes `None`). Line
/// breaks and tabs are kept; other controls and direction overrides are
/// refused; more than [`MAX_NOTE_CHARS`] characters is an error, never a
/// silent truncation.
pub fn note(input: Option<&str>) -> Result<Option<String>> {
    let Some(input) = input else { return Ok(None) };
    if input.len() > MAX_RAW_BYTES {
        return Err(Error::invalid(format!(
            "note is longer than {MAX_NOTE_CHARS} characters"
        )));
    }
    let clean: String = input
        .nfc()
        .collect::<String>()
        .replace("\r\n", "\n")
        .trim()
        .to_owned();
    if clean.is_empty() {
        return Ok(None);
    }
    if clean.chars().count() > MAX_NOTE_CHARS {
        return Err(Error::invalid(format!(
            "note is longer than {MAX_NOTE_CHARS} characters"
        )));
    }
    if clean
        .chars()
        .any(|c| (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c))
    {
        return Err(Error::invalid(
            "note contains control or direction-override characters",
        ));
    }
    Ok(Some(clean))
}

/// Checks a webhook or push URL: HTTPS only (plain http only to loopback when
/// `allow_insecure_loopback`), no credentials in the URL, bounded length.
pub fn https_url(input: &str, allow_insecure_loopback: bool, what: &str) -> Result<String> {
    let trimmed = input.trim();
    if trimmed.len() > MAX_URL_BYTES {
        return Err(Error::invalid(format!("{what} URL is too long")));
    }
    let parsed = http::check_url(trimmed, allow_insecure_loopback)
        .map_err(|e| Error::invalid(format!("{what} URL refused: {}", reason_of(&e))))?;
    if parsed.fragment().is_some() {
        return Err(Error::invalid(format!(
            "{what} URL must not have a #fragment"
        )));
    }
    Ok(parsed.to_string())
}

fn reason_of(e: &Error) -> String {
    match e {
        Error::InvalidInput(r) => r.clone(),
        other => other.to_string(),
    }
}

/// Checks an access token for a push server: visible ASCII only (it travels
/// in an HTTP header), 1 to [`MAX_TOKEN_BYTES`] bytes.
pub fn token(input: &str) -> Result<String> {
    let t = input.trim();
    if t.is_empty() || t.len() > MAX_TOKEN_BYTES {
        return Err(Error::invalid(format!(
            "access token must be 1 to {MAX_TOKEN_BYTES} characters"
        )));
    }
    if !t.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(Error::invalid(
            "access token must be visible ASCII characters only",
        ));
    }
    Ok(t.to_owned())
}

/// Normalises an SMS code phrase (NFC, trimmed; empty becomes `None`): the
/// innocuous text a contact agreed to read as "I need help". It must fit one
/// SMS segment (160 GSM-7 or 70 UCS-2 characters) and have no controls or
/// invisible characters.
pub fn code_phrase(input: Option<&str>) -> Result<Option<String>> {
    let Some(input) = input else { return Ok(None) };
    if input.len() > MAX_RAW_BYTES {
        return Err(Error::invalid("code phrase is too long"));
    }
    let clean: String = input.nfc().collect::<String>().trim().to_owned();
    if clean.is_empty() {
        return Ok(None);
    }
    if clean.chars().any(is_invisible_or_control) {
        return Err(Error::invalid(
            "code phrase contains control or invisible characters",
        ));
    }
    if !super::segments::fits(&clean, 1) {
        return Err(Error::invalid(
            "code phrase must fit one text message (160 plain or 70 other characters)",
        ));
    }
    Ok(Some(clean))
}

/// The most bytes of a Matrix user ID (the specification's limit).
pub const MAX_MATRIX_ID_BYTES: usize = 255;

/// Checks a Matrix user ID, `@localpart:server[:port]`. The localpart is
/// printable ASCII without `:` (the specification's historical grammar; new
/// IDs use `a-z 0-9 . _ = - / +`); the server is a DNS name or an IP literal
/// with an optional port. Returned unchanged (IDs are case-sensitive).
pub fn matrix_id(input: &str) -> Result<String> {
    let id = input.trim();
    let bad = || Error::invalid("a Matrix ID looks like @name:example.org");
    if id.len() > MAX_MATRIX_ID_BYTES {
        return Err(Error::invalid("Matrix ID is too long"));
    }
    let rest = id.strip_prefix('@').ok_or_else(bad)?;
    let (local, server) = rest.split_once(':').ok_or_else(bad)?;
    if local.is_empty()
        || !local
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && b != b':')
    {
        return Err(bad());
    }
    server_name(server).map_err(|_| bad())?;
    Ok(id.to_owned())
}

/// Checks a Matrix server name: a DNS name or IP literal, optional `:port`.
pub fn server_name(input: &str) -> Result<()> {
    let bad = || Error::invalid("not a Matrix server name");
    let (host, port) = if let Some(v6) = input.strip_prefix('[') {
        let (addr, rest) = v6.split_once(']').ok_or_else(bad)?;
        (format!("[{addr}]"), rest.strip_prefix(':'))
    } else {
        match input.rsplit_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (input.to_owned(), None),
        }
    };
    if let Some(p) = port {
        if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
    }
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.[]:".contains(&b))
    {
        return Err(bad());
    }
    url::Host::parse(&host).map_err(|_| bad())?;
    Ok(())
}

/// Checks coordinates: finite, latitude in [-90, 90], longitude in
/// [-180, 180], accuracy (metres) finite, non-negative and at most 1000 km.
pub fn coordinates(latitude: f64, longitude: f64, accuracy_m: Option<f64>) -> Result<()> {
    if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
        return Err(Error::invalid("latitude must be between -90 and 90"));
    }
    if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
        return Err(Error::invalid("longitude must be between -180 and 180"));
    }
    if let Some(a) = accuracy_m {
        if !a.is_finite() || !(0.0..=1_000_000.0).contains(&a) {
            return Err(Error::invalid(
                "accuracy must be between 0 and 1,000,000 metres",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_ids() {
        for ok in [
            "@friend:example.org",
            "@a.b_c=d-e/f+g:matrix.example.org:8448",
            "@x:127.0.0.1",
            "@x:[::1]:8008",
            "@Old.Style:example.org",
        ] {
            assert_eq!(matrix_id(ok).unwrap(), ok, "{ok}");
        }
        for bad in [
            "friend:example.org",
            "@friend",
            "@:example.org",
            "@fr iend:example.org",
            "@friend:",
            "@friend:exa mple.org",
            "@friend:example.org:port",
            "@friend:example.org:123456",
            "@friend:ex\u{202e}ample.org",
            &format!("@{}:example.org", "a".repeat(300)),
        ] {
            assert!(matrix_id(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn code_phrases() {
        assert_eq!(code_phrase(None).unwrap(), None);
        assert_eq!(code_phrase(Some("  ")).unwrap(), None);
        assert_eq!(
            code_phrase(Some(" Did you water my plants? "))
                .unwrap()
                .as_deref(),
            Some("Did you water my plants?")
        );
        assert!(code_phrase(Some(&"a".repeat(160))).is_ok());
        assert!(code_phrase(Some(&"a".repeat(161))).is_err());
        assert!(code_phrase(Some(&"ж".repeat(71))).is_err());
        assert!(code_phrase(Some("plants\u{200b}")).is_err());
        assert!(code_phrase(Some("line\nbreak")).is_err());
    }

    #[test]
    fn phone_numbers_normalise_to_e164_idempotently() {
        for (input, want) in [
            ("+31 6 12345678", "+31612345678"),
            ("+31-6-1234-5678", "+31612345678"),
            ("+46 (70) 123 45 67", "+46701234567"),
            (" +48 512 345 678 ", "+48512345678"),
        ] {
            let got = phone(input).unwrap();
            assert_eq!(got, want, "{input}");
            assert_eq!(phone(&got).unwrap(), got, "idempotent");
        }
    }

    #[test]
    fn bad_phone_numbers_are_typed_errors() {
        for bad in [
            "",
            "+",
            "0612345678",
            "+31 6 1234567A",
            "+1-800-FLOWERS",
            "*31#",
            "+31612345678#",
            "+3161234*5678",
            "+31\u{200B}612345678",
            "+31612345678\u{202E}",
            "+31\u{0660}612345678",
            "+31 6 12345678 ext 5",
            "++31612345678",
            "+3161234567890123",
            "+999 123 456 789",
            &"9".repeat(10_000),
        ] {
            let err = phone(bad).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn names_and_notes() {
        assert_eq!(name("  Ana  ", "name").unwrap(), "Ana");
        assert_eq!(name("Mama ❤️", "name").unwrap(), "Mama ❤️");
        assert_eq!(name("Jose\u{0301}", "name").unwrap(), "Jos\u{00e9}", "NFC");
        for bad in [
            "",
            "   ",
            "A\u{202E}na",
            "A\u{200B}",
            "A\nB",
            &"x".repeat(65),
        ] {
            assert!(name(bad, "name").is_err(), "{bad:?}");
        }
        assert_eq!(note(None).unwrap(), None);
        assert_eq!(note(Some("  ")).unwrap(), None);
        assert_eq!(note(Some("a\r\nb")).unwrap().as_deref(), Some("a\nb"));
        assert!(note(Some(&"n".repeat(1001))).is_err());
        assert!(note(Some(&"n".repeat(100 * 1024 * 1024))).is_err());
        assert!(note(Some("a\u{0007}b")).is_err());
        assert!(note(Some("a\u{202E}b")).is_err());
    }

    #[test]
    fn urls_and_tokens() {
        assert!(https_url("https://ntfy.sh/topic", false, "push").is_ok());
        assert!(https_url("http://ntfy.sh/topic", false, "push").is_err());
        assert!(https_url("http://127.0.0.1:9/x", false, "push").is_err());
        assert!(https_url("http://127.0.0.1:9/x", true, "push").is_ok());
        assert!(https_url("javascript:alert(1)", true, "push").is_err());
        assert!(https_url("https://a.org/#x", false, "push").is_err());
        assert!(https_url(&format!("https://a.org/{}", "x".repeat(3000)), false, "x").is_err());
        assert_eq!(token(" tk_abc ").unwrap(), "tk_abc");
        assert!(token("").is_err());
        assert!(token("with space").is_err());
        assert!(token("new\nline").is_err());
        assert!(token("ünï").is_err());
    }

    #[test]
    fn coordinates_are_bounded() {
        assert!(coordinates(52.37, 4.89, Some(20.0)).is_ok());
        assert!(coordinates(90.0, -180.0, None).is_ok());
        for (lat, lon, acc) in [
            (91.0, 0.0, None),
            (0.0, 181.0, None),
            (f64::NAN, 0.0, None),
            (0.0, f64::INFINITY, None),
            (0.0, 0.0, Some(-1.0)),
            (0.0, 0.0, Some(f64::NAN)),
        ] {
            assert!(coordinates(lat, lon, acc).is_err());
        }
    }
}
