//! Safe dial strings: a `tel:` URI that can only ever dial what it shows.
//!
//! A dial string may hold digits and one leading `+`, nothing else: no `*` or
//! `#` (USSD and carrier codes), no letters, no invisible or bidirectional
//! characters. Full numbers are checked against libphonenumber's metadata (the
//! `phonenumber` crate); short codes must be on an explicit per-country list.

use crate::error::{Error, Result};

/// Short codes valid in every EU country: 112 and the harmonised 116 range.
const EU_SHORT_CODES: &[&str] = &[
    "112", "116000", "116006", "116016", "116111", "116117", "116123",
];

/// National short codes, by country, that the reference data confirms.
const NATIONAL_SHORT_CODES: &[(&str, &[&str])] = &[
    ("NL", &["113"]),
    ("PL", &["997", "998", "999"]),
    ("SE", &["11414", "90101"]),
];

/// Characters people use to group digits; they are dropped.
fn is_visual_separator(c: char) -> bool {
    matches!(c, ' ' | '-' | '.' | '(' | ')' | '/')
}

/// Whether `code` is an allowed short code in `country`.
pub fn is_short_code(country: &str, code: &str) -> bool {
    EU_SHORT_CODES.contains(&code)
        || NATIONAL_SHORT_CODES
            .iter()
            .any(|(cc, codes)| *cc == country && codes.contains(&code))
}

/// Normalises a dial string for `country` (ISO alpha-2): returns "+<E.164>"
/// for a full number or the bare digits of an allowed short code. Idempotent.
pub fn normalize(country: &str, raw: &str) -> Result<String> {
    if raw.len() > 64 {
        return Err(Error::invalid("phone number is too long"));
    }
    let mut digits = String::with_capacity(raw.len());
    let mut plus = false;
    for (i, c) in raw.trim_matches(' ').chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            c if is_visual_separator(c) => {}
            '*' | '#' => {
                return Err(Error::invalid("phone number must not contain * or #"));
            }
            c if c.is_alphabetic() => {
                return Err(Error::invalid("phone number must not contain letters"));
            }
            _ => {
                return Err(Error::invalid(format!(
                    "phone number contains a character that is not allowed (U+{:04X})",
                    c as u32
                )));
            }
        }
    }
    if digits.is_empty() {
        return Err(Error::invalid("phone number has no digits"));
    }
    if !plus && is_short_code(country, &digits) {
        return Ok(digits);
    }
    let region: Option<phonenumber::country::Id> = if plus {
        None
    } else {
        Some(
            country
                .parse()
                .map_err(|_| Error::invalid(format!("unknown country {country:?}")))?,
        )
    };
    let text = if plus { format!("+{digits}") } else { digits };
    let number =
        phonenumber::parse(region, &text).map_err(|_| Error::invalid("not a phone number"))?;
    if !phonenumber::is_valid(&number) {
        return Err(Error::invalid(
            "not a valid phone number for its country, and not a known short code",
        ));
    }
    Ok(number.format().mode(phonenumber::Mode::E164).to_string())
}

/// A `tel:` URI for a number, after [`normalize`].
pub fn tel_uri(country: &str, raw: &str) -> Result<String> {
    Ok(format!("tel:{}", normalize(country, raw)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_numbers_become_e164() {
        assert_eq!(normalize("NL", "+31 33 448 11 86").unwrap(), "+31334481186");
        assert_eq!(normalize("NL", "033 448 11 86").unwrap(), "+31334481186");
        assert_eq!(normalize("PL", "605 687 750").unwrap(), "+48605687750");
        assert_eq!(normalize("SE", "020-50 50 50").unwrap(), "+4620505050");
        assert_eq!(tel_uri("HR", "0800 77 99").unwrap(), "tel:+3858007799");
    }

    #[test]
    fn short_codes_only_from_the_allow_list() {
        assert_eq!(normalize("SE", "114 14").unwrap(), "11414");
        assert_eq!(normalize("HR", "116 006").unwrap(), "116006");
        assert_eq!(normalize("PL", "997").unwrap(), "997");
        assert!(normalize("NL", "997").is_err(), "997 is Polish");
        assert!(normalize("NL", "1234").is_err());
    }

    #[test]
    fn normalisation_is_idempotent() {
        for (cc, raw) in [
            ("NL", "033 448 11 86"),
            ("SE", "114 14"),
            ("PL", "+48 800 120 002"),
        ] {
            let once = normalize(cc, raw).unwrap();
            assert_eq!(normalize(cc, &once).unwrap(), once);
        }
    }

    #[test]
    fn malicious_dial_strings_are_refused() {
        let long = "112 ".repeat(40);
        let bad = [
            "*#06#",
            "112*",
            "#31#112",
            "+31 33 448 11 86;ext=1",
            "0800-COMENSHA",
            "112\u{200B}",
            "\u{202E}211",
            "+31\u{2066}334481186",
            "11\u{00A0}2",
            "+3133448118６",
            "tel:112",
            "",
            "+",
            "++31334481186",
            long.as_str(),
            "+1",
        ];
        for raw in bad {
            assert!(normalize("NL", raw).is_err(), "{raw:?} was accepted");
        }
    }
}
