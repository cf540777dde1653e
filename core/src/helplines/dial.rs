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

/// What tapping channel `index` of `helpline` opens, checked here for both
/// shells: `tel:`/`sms:` through [`super::dial_uri`]; chat and web pages over
/// https only; `mailto:` for a plain address; WhatsApp and Signal as their
/// https links (`wa.me`, `signal.me`) built from a full international
/// number, or the https link the record gives.
pub fn tap_uri(helpline: &super::model::Helpline, index: usize) -> Result<String> {
    use super::model::ChannelKind;
    let channel = helpline
        .channels
        .get(index)
        .ok_or_else(|| Error::NotFound(format!("{} has no channel {index}", helpline.id)))?;
    let value = channel.value.trim();
    match channel.kind {
        ChannelKind::Phone | ChannelKind::Sms => super::dial_uri(helpline, index),
        ChannelKind::Chat | ChannelKind::Web => https_url(value),
        ChannelKind::Email => mailto_uri(value),
        ChannelKind::Whatsapp | ChannelKind::Signal if value.starts_with("https://") => {
            https_url(value)
        }
        kind => {
            let number = normalize(&helpline.country, value)?;
            let digits = number.strip_prefix('+').ok_or_else(|| {
                Error::invalid("a messaging link needs a full international number")
            })?;
            Ok(if kind == ChannelKind::Whatsapp {
                format!("https://wa.me/{digits}")
            } else {
                format!("https://signal.me/#p/+{digits}")
            })
        }
    }
}

/// An https URL with a host and no credentials, as the `url` crate writes it.
pub fn https_url(raw: &str) -> Result<String> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "the address contains spaces or control characters",
        ));
    }
    let url = url::Url::parse(raw).map_err(|_| Error::invalid("not a web address"))?;
    if url.scheme() != "https" || url.host_str().is_none_or(str::is_empty) {
        return Err(Error::invalid("only https addresses are opened"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::invalid("the address must not carry a user name"));
    }
    Ok(url.to_string())
}

/// A `mailto:` URI for one plain address (no header fields, no second address).
pub fn mailto_uri(address: &str) -> Result<String> {
    let bad = |c: char| !c.is_ascii_graphic() || "<>()[]\\,;:\"/?#%&=".contains(c);
    let (local, domain) = address
        .split_once('@')
        .ok_or_else(|| Error::invalid("not an e-mail address"))?;
    if local.is_empty()
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains('@')
        || address.chars().any(bad)
    {
        return Err(Error::invalid("not a plain e-mail address"));
    }
    Ok(format!("mailto:{address}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_with(
        channels: &[(super::super::model::ChannelKind, &str)],
    ) -> super::super::model::Helpline {
        use super::super::model::*;
        Helpline {
            id: "x".into(),
            country: "NL".into(),
            name: "X".into(),
            categories: vec![Category::Emergency],
            languages: vec![],
            free: None,
            anonymous: None,
            not_on_bill: None,
            domestic_only: None,
            confidential: None,
            outreach: None,
            audience: Audience::default(),
            time_zone: "Europe/Amsterdam".into(),
            hours: Hours::Always,
            confidence: Confidence::High,
            source_url: "https://example.org/".into(),
            last_verified: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            source_date: None,
            address: None,
            contact_unverified: false,
            description: Default::default(),
            caveats: Default::default(),
            channels: channels
                .iter()
                .map(|(kind, value)| Channel {
                    kind: *kind,
                    value: value.to_string(),
                    label: None,
                })
                .collect(),
        }
    }

    #[test]
    fn every_channel_kind_gets_a_checked_uri_or_none() {
        use super::super::model::ChannelKind as K;
        let h = line_with(&[
            (K::Phone, "112"),
            (K::Sms, "+31 6 1234 5678"),
            (K::Chat, "https://chat.example.org/start?lang=en"),
            (K::Web, "http://plain.example.org/"),
            (K::Email, "help@example.org"),
            (K::Whatsapp, "+31 6 1234 5678"),
            (K::Signal, "+31612345678"),
            (K::Whatsapp, "https://wa.me/31612345678"),
            (K::Signal, "112"),
            (K::Email, "a@b.org?cc=c@d.org"),
            (K::Web, "https://user:pw@example.org/"),
            (K::Chat, "javascript:alert(1)"),
            (K::Email, "two@@example.org"),
        ]);
        let got: Vec<Option<String>> = (0..h.channels.len()).map(|i| tap_uri(&h, i).ok()).collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            got,
            vec![
                s("tel:112"),
                s("sms:+31612345678"),
                s("https://chat.example.org/start?lang=en"),
                None,
                s("mailto:help@example.org"),
                s("https://wa.me/31612345678"),
                s("https://signal.me/#p/+31612345678"),
                s("https://wa.me/31612345678"),
                None,
                None,
                None,
                None,
                None,
            ]
        );
        assert!(matches!(tap_uri(&h, 99), Err(Error::NotFound(_))));
    }

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
