//! Sealing alert rows at rest: JSON inside [`crate::crypto::seal`], bound to
//! the table and the row's explicit id, plus the small helpers every alert
//! module shares (sealed `alert_meta` values, random ids, millisecond
//! timestamps).

use crate::crypto::{self, SecretKey};
use crate::error::{Error, Result};
use chrono::{DateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use zeroize::Zeroizing;

fn context(table: &str, id: &str) -> Vec<u8> {
    format!("parasol/alerts/v1/{table}/{id}").into_bytes()
}

/// Seals `value` as JSON for row `id` of `table`.
pub(crate) fn seal_row<T: Serialize>(
    key: &SecretKey,
    table: &str,
    id: &str,
    value: &T,
) -> Result<Vec<u8>> {
    let json = Zeroizing::new(serde_json::to_vec(value)?);
    crypto::seal(key, &context(table, id), &json)
}

/// Opens a row sealed by [`seal_row`]; fails if it was moved to another row or table.
pub(crate) fn open_row<T: DeserializeOwned>(
    key: &SecretKey,
    table: &str,
    id: &str,
    sealed: &[u8],
) -> Result<T> {
    let json = crypto::open(key, &context(table, id), sealed)?;
    serde_json::from_slice(&json)
        .map_err(|e| Error::Corrupt(format!("{table} row does not decode: {e}")))
}

/// Reads the sealed value `name` of `alert_meta`, if any.
pub(crate) fn get_meta<T: DeserializeOwned>(
    conn: &rusqlite::Connection,
    key: &SecretKey,
    name: &str,
) -> Result<Option<T>> {
    use rusqlite::OptionalExtension;
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT sealed FROM alert_meta WHERE key = ?1",
            [name],
            |r| r.get(0),
        )
        .optional()?;
    sealed
        .map(|s| open_row(key, "alert_meta", name, &s))
        .transpose()
}

/// Writes `value` sealed as `name` of `alert_meta`.
pub(crate) fn put_meta<T: Serialize>(
    conn: &rusqlite::Connection,
    key: &SecretKey,
    name: &str,
    value: &T,
) -> Result<()> {
    let sealed = seal_row(key, "alert_meta", name, value)?;
    conn.execute(
        "INSERT INTO alert_meta(key, sealed) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET sealed = excluded.sealed",
        rusqlite::params![name, sealed],
    )?;
    Ok(())
}

/// A fresh random identifier: `bytes` random bytes as lowercase hex.
pub(crate) fn new_id(bytes: usize) -> String {
    hex::encode(crypto::random_bytes(bytes))
}

/// Milliseconds since the Unix epoch.
pub(crate) fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// The instant `ms` milliseconds after the Unix epoch (clamped to chrono's range).
pub(crate) fn from_ms(ms: i64) -> DateTime<Utc> {
    Utc.timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// Checks that `id` looks like one of our hex ids before it reaches SQL or AAD.
pub(crate) fn check_id(id: &str, what: &str) -> Result<()> {
    if (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(Error::NotFound(format!("no {what} with that id")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_bound_to_table_and_id() {
        let key = SecretKey::generate();
        let sealed = seal_row(&key, "t", "aa11", &vec!["x".to_string()]).unwrap();
        let back: Vec<String> = open_row(&key, "t", "aa11", &sealed).unwrap();
        assert_eq!(back, vec!["x"]);
        assert!(open_row::<Vec<String>>(&key, "t", "aa12", &sealed).is_err());
        assert!(open_row::<Vec<String>>(&key, "u", "aa11", &sealed).is_err());
    }

    #[test]
    fn ids_and_times() {
        let a = new_id(16);
        assert_eq!(a.len(), 32);
        assert_ne!(a, new_id(16));
        assert!(check_id(&a, "x").is_ok());
        assert!(check_id("../etc", "x").is_err());
        assert!(check_id("", "x").is_err());
        let now = Utc::now();
        assert_eq!(to_ms(from_ms(to_ms(now))), to_ms(now));
        assert_eq!(from_ms(i64::MAX), DateTime::<Utc>::MAX_UTC);
    }
}
