//! The sealed Matrix state in `alert_meta`: the user's sign-in (homeserver,
//! user id, device id, access token, the server's delay limits) under key
//! `matrix.account`, and each contact's room under `matrix.room.<contact id>`.
//! Sealed with the device key like every other alert row; `Debug` never shows
//! the token.

use super::client::DelayLimits;
use crate::alerts::sealed::{open_row, seal_row};
use crate::crypto::SecretKey;
use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

const ACCOUNT: &str = "matrix.account";
const ROOM_PREFIX: &str = "matrix.room.";

/// The user's Matrix sign-in.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Account {
    /// Base URL of the homeserver's client API.
    pub homeserver: String,
    /// `@user:server`.
    pub user_id: String,
    /// The device (session) id.
    pub device_id: String,
    /// The access token.
    pub access_token: String,
    /// Delayed-event limits, as last read from the server.
    pub limits: Option<DelayLimits>,
}

impl Drop for Account {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.access_token.zeroize();
    }
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("user_id", &self.user_id)
            .finish_non_exhaustive()
    }
}

/// A contact's room.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Room {
    /// The account that made it (a room of another account is not used).
    pub owner: String,
    /// The contact's Matrix ID it was made for.
    pub contact: String,
    /// The room id.
    pub room_id: String,
}

fn get<T: DeserializeOwned>(conn: &Connection, key: &SecretKey, name: &str) -> Result<Option<T>> {
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

fn put<T: Serialize>(conn: &Connection, key: &SecretKey, name: &str, value: &T) -> Result<()> {
    let sealed = seal_row(key, "alert_meta", name, value)?;
    conn.execute(
        "INSERT INTO alert_meta(key, sealed) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET sealed = excluded.sealed",
        params![name, sealed],
    )?;
    Ok(())
}

/// The sign-in, if any.
pub(crate) fn account(conn: &Connection, key: &SecretKey) -> Result<Option<Account>> {
    get(conn, key, ACCOUNT)
}

/// Stores the sign-in.
pub(crate) fn save_account(conn: &Connection, key: &SecretKey, account: &Account) -> Result<()> {
    put(conn, key, ACCOUNT, account)
}

/// Forgets the sign-in and every room.
pub(crate) fn forget_all(conn: &Connection) -> Result<()> {
    conn.execute(
        "DELETE FROM alert_meta WHERE key = ?1 OR substr(key, 1, ?3) = ?2",
        params![ACCOUNT, ROOM_PREFIX, ROOM_PREFIX.len() as i64],
    )?;
    Ok(())
}

fn room_key(contact_id: &str) -> String {
    format!("{ROOM_PREFIX}{contact_id}")
}

/// The room of `contact_id` made by `owner` for `contact`, if any.
pub(crate) fn room(
    conn: &Connection,
    key: &SecretKey,
    contact_id: &str,
    owner: &str,
    contact: &str,
) -> Result<Option<Room>> {
    let name = room_key(contact_id);
    // A room that no longer opens is as good as none: a new one is made.
    let room: Option<Room> = get(conn, key, &name).unwrap_or(None);
    Ok(room.filter(|r| r.owner == owner && r.contact == contact))
}

/// Stores the room of `contact_id`.
pub(crate) fn save_room(
    conn: &Connection,
    key: &SecretKey,
    contact_id: &str,
    room: &Room,
) -> Result<()> {
    put(conn, key, &room_key(contact_id), room)
}

/// Forgets the room of `contact_id`.
pub(crate) fn forget_room(conn: &Connection, contact_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM alert_meta WHERE key = ?1",
        [room_key(contact_id)],
    )?;
    Ok(())
}
