//! The sealed Matrix state in `alert_meta`: the user's sign-in (homeserver,
//! user id, device id, access token, the server's delay limits) under key
//! `matrix.account`, and each contact's room under `matrix.room.<contact id>`.
//! Sealed with the device key like every other alert row; `Debug` never shows
//! the token.

use super::client::DelayLimits;
use crate::alerts::sealed::{get_meta, put_meta};
use crate::crypto::SecretKey;
use crate::error::Result;
use rusqlite::{params, Connection};
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

/// The sign-in, if any.
pub(crate) fn account(conn: &Connection, key: &SecretKey) -> Result<Option<Account>> {
    get_meta(conn, key, ACCOUNT)
}

/// Stores the sign-in.
pub(crate) fn save_account(conn: &Connection, key: &SecretKey, account: &Account) -> Result<()> {
    put_meta(conn, key, ACCOUNT, account)
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
    let room: Option<Room> = get_meta(conn, key, &name).unwrap_or(None);
    Ok(room.filter(|r| r.owner == owner && r.contact == contact))
}

/// Stores the room of `contact_id`.
pub(crate) fn save_room(
    conn: &Connection,
    key: &SecretKey,
    contact_id: &str,
    room: &Room,
) -> Result<()> {
    put_meta(conn, key, &room_key(contact_id), room)
}

/// Forgets the room of `contact_id`.
pub(crate) fn forget_room(conn: &Connection, contact_id: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM alert_meta WHERE key = ?1",
        [room_key(contact_id)],
    )?;
    Ok(())
}
