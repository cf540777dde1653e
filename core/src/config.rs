//! Profile configuration and the validation of the small values it holds
//! (country codes, language tags).

use crate::error::{Error, Result};
use crate::http::HttpConfig;
use std::path::PathBuf;

/// How a profile is opened.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding the profile (created if missing).
    pub data_dir: PathBuf,
    /// The network settings.
    pub http: HttpConfig,
    /// Ed25519 public keys trusted for content updates besides the embedded
    /// ones (an NGO's own pack server; tests).
    pub extra_pack_keys: Vec<[u8; 32]>,
}

impl Config {
    /// A configuration with default network settings.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Config {
            data_dir: data_dir.into(),
            http: HttpConfig::default(),
            extra_pack_keys: Vec::new(),
        }
    }
}

/// Checks and normalises an ISO 3166-1 alpha-2 code ("nl" -> "NL").
pub fn country_code(code: &str) -> Result<String> {
    let upper = code.trim().to_ascii_uppercase();
    if upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(upper)
    } else {
        Err(Error::invalid(format!(
            "country must be a two-letter ISO code, got {:?}",
            truncate(code, 16)
        )))
    }
}

/// Checks and normalises a BCP-47 language tag ("PT-br" -> "pt-br").
pub fn language_tag(tag: &str) -> Result<String> {
    let lower = tag.trim().to_ascii_lowercase();
    let mut parts = lower.split('-');
    let primary_ok = parts
        .next()
        .map(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()))
        .unwrap_or(false);
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(lower)
    } else {
        Err(Error::invalid(format!(
            "not a language tag: {:?}",
            truncate(tag, 16)
        )))
    }
}

/// At most `n` characters of `s`, for error messages about bad input.
pub fn truncate(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert_eq!(country_code("nl").unwrap(), "NL");
        assert_eq!(country_code(" SE ").unwrap(), "SE");
        for bad in ["", "N", "NLD", "N1", "ÑL", "1 "] {
            assert!(country_code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn language_tags() {
        assert_eq!(language_tag("EN").unwrap(), "en");
        assert_eq!(language_tag("pt-BR").unwrap(), "pt-br");
        assert_eq!(language_tag("sr-Latn").unwrap(), "sr-latn");
        for bad in ["", "e", "english", "en_GB", "en--x", "ру"] {
            assert!(language_tag(bad).is_err(), "{bad:?}");
        }
    }
}
