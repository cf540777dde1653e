//! Trusted contacts: who receives alerts, in which language, over which
//! channels (SMS, webhook, ntfy-compatible push, Matrix) and for which reasons.
//!
//! A contact is one sealed row of `alert_contacts`; nothing about it is in
//! plaintext except its random id. `Debug` output never shows its name,
//! number, URLs or token.

use super::model::{AlertReason, Channel};
use super::sealed::{check_id, new_id, open_row, seal_row};
use super::validate;
use crate::config;
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

const TABLE: &str = "alert_contacts";
/// The most contacts a profile holds (bounds the work of one alert).
pub const MAX_CONTACTS: usize = 50;

/// Which alerts reach a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triggers {
    /// The panic button (immediate, countdown or silent).
    pub button: bool,
    /// A missed check-in.
    pub missed_check_in: bool,
    /// The journal's duress passphrase.
    pub duress: bool,
}

impl Default for Triggers {
    fn default() -> Self {
        Triggers {
            button: true,
            missed_check_in: true,
            duress: true,
        }
    }
}

impl Triggers {
    /// Whether an alert for `reason` reaches the contact.
    pub fn accepts(&self, reason: AlertReason) -> bool {
        match reason {
            AlertReason::Button => self.button,
            AlertReason::MissedCheckIn => self.missed_check_in,
            AlertReason::Duress => self.duress,
        }
    }
}

/// What the user enters for a contact (create or replace).
#[derive(Clone, Default)]
pub struct ContactInput {
    /// Display name.
    pub name: String,
    /// Language of the messages this contact receives (BCP-47; empty = English).
    pub language: String,
    /// Phone number for SMS (E.164 after normalisation).
    pub phone: Option<String>,
    /// HTTPS URL that receives a JSON POST.
    pub webhook_url: Option<String>,
    /// ntfy-compatible topic URL.
    pub push_url: Option<String>,
    /// Access token for the push server (sent as `Authorization: Bearer`).
    /// When updating a contact, `None` with an unchanged push URL keeps the old token.
    pub push_token: Option<String>,
    /// The agreed, innocuous text of a silent SMS alert to this contact (an
    /// SMS sent by an app lands in the phone's "Sent" folder). Needs a phone.
    pub sms_code_phrase: Option<String>,
    /// Matrix user ID (`@name:server`): messages go to a room shared with them.
    pub matrix_id: Option<String>,
    /// Which alerts reach the contact.
    pub triggers: Triggers,
}

impl std::fmt::Debug for ContactInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContactInput")
            .field("language", &self.language)
            .field("sms", &self.phone.is_some())
            .field("webhook", &self.webhook_url.is_some())
            .field("push", &self.push_url.is_some())
            .field("code_phrase", &self.sms_code_phrase.is_some())
            .field("matrix", &self.matrix_id.is_some())
            .finish_non_exhaustive()
    }
}

/// A trusted contact.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Random id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Language of the messages (BCP-47).
    pub language: String,
    /// Phone number (E.164).
    pub phone: Option<String>,
    /// Webhook URL.
    pub webhook_url: Option<String>,
    /// Push topic URL.
    pub push_url: Option<String>,
    /// Push access token.
    pub push_token: Option<String>,
    /// The text of a silent SMS alert to this contact, instead of the alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_code_phrase: Option<String>,
    /// Matrix user ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix_id: Option<String>,
    /// Which alerts reach the contact.
    pub triggers: Triggers,
    /// When the contact was added.
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Contact")
            .field("id", &self.id)
            .field("language", &self.language)
            .field("channels", &self.channels())
            .field("triggers", &self.triggers)
            .finish_non_exhaustive()
    }
}

impl Contact {
    /// The channels this contact has, in sending order.
    pub fn channels(&self) -> Vec<Channel> {
        let mut out = Vec::with_capacity(4);
        if self.phone.is_some() {
            out.push(Channel::Sms);
        }
        if self.webhook_url.is_some() {
            out.push(Channel::Webhook);
        }
        if self.push_url.is_some() {
            out.push(Channel::Push);
        }
        if self.matrix_id.is_some() {
            out.push(Channel::Matrix);
        }
        out
    }
}

/// Validates and normalises `input` into a contact with `id`.
pub(crate) fn validated(
    input: &ContactInput,
    id: String,
    created_at: DateTime<Utc>,
    allow_insecure_loopback: bool,
) -> Result<Contact> {
    let name = validate::name(&input.name, "contact name")?;
    let language = if input.language.trim().is_empty() {
        "en".to_owned()
    } else {
        config::language_tag(&input.language)?
    };
    fn non_empty(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    let phone = non_empty(&input.phone).map(validate::phone).transpose()?;
    let webhook_url = non_empty(&input.webhook_url)
        .map(|u| validate::https_url(u, allow_insecure_loopback, "webhook"))
        .transpose()?;
    let push_url = non_empty(&input.push_url)
        .map(|u| validate::https_url(u, allow_insecure_loopback, "push"))
        .transpose()?;
    let push_token = non_empty(&input.push_token)
        .map(validate::token)
        .transpose()?;
    if push_token.is_some() && push_url.is_none() {
        return Err(Error::invalid("a push access token needs a push URL"));
    }
    let sms_code_phrase = validate::code_phrase(input.sms_code_phrase.as_deref())?;
    if sms_code_phrase.is_some() && phone.is_none() {
        return Err(Error::invalid(
            "a code phrase is for SMS: it needs a phone number",
        ));
    }
    let matrix_id = non_empty(&input.matrix_id)
        .map(validate::matrix_id)
        .transpose()?;
    if phone.is_none() && webhook_url.is_none() && push_url.is_none() && matrix_id.is_none() {
        return Err(Error::invalid(
            "a contact needs at least one channel: phone, webhook, push or Matrix",
        ));
    }
    let t = input.triggers;
    if !(t.button || t.missed_check_in || t.duress) {
        return Err(Error::invalid(
            "a contact must receive at least one kind of alert",
        ));
    }
    Ok(Contact {
        id,
        name,
        language,
        phone,
        webhook_url,
        push_url,
        push_token,
        sms_code_phrase,
        matrix_id,
        triggers: t,
        created_at,
    })
}

/// Adds a contact.
pub(crate) fn add(
    conn: &Connection,
    key: &SecretKey,
    input: &ContactInput,
    now: DateTime<Utc>,
    allow_insecure_loopback: bool,
) -> Result<Contact> {
    let count: i64 = conn.query_row("SELECT COUNT(*) FROM alert_contacts", [], |r| r.get(0))?;
    if count as usize >= MAX_CONTACTS {
        return Err(Error::invalid(format!(
            "at most {MAX_CONTACTS} trusted contacts"
        )));
    }
    let contact = validated(input, new_id(8), now, allow_insecure_loopback)?;
    let sealed = seal_row(key, TABLE, &contact.id, &contact)?;
    conn.execute(
        "INSERT INTO alert_contacts(id, seq, sealed)
         VALUES (?1, (SELECT IFNULL(MAX(seq), 0) + 1 FROM alert_contacts), ?2)",
        rusqlite::params![contact.id, sealed],
    )?;
    Ok(contact)
}

/// Replaces a contact's details (its id and creation time stay).
pub(crate) fn update(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
    input: &ContactInput,
    allow_insecure_loopback: bool,
) -> Result<Contact> {
    let old = get(conn, key, id)?;
    let mut contact = validated(
        input,
        old.id.clone(),
        old.created_at,
        allow_insecure_loopback,
    )?;
    // The token is never handed back to the shell, so an edit that keeps the
    // push URL and gives no token keeps the old token.
    if contact.push_token.is_none()
        && contact.push_url.is_some()
        && contact.push_url == old.push_url
    {
        contact.push_token = old.push_token;
    }
    let sealed = seal_row(key, TABLE, &contact.id, &contact)?;
    conn.execute(
        "UPDATE alert_contacts SET sealed = ?2 WHERE id = ?1",
        rusqlite::params![contact.id, sealed],
    )?;
    Ok(contact)
}

/// One contact.
pub(crate) fn get(conn: &Connection, key: &SecretKey, id: &str) -> Result<Contact> {
    check_id(id, "contact")?;
    let sealed: Option<Vec<u8>> = conn
        .query_row(
            "SELECT sealed FROM alert_contacts WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    let sealed = sealed.ok_or_else(|| Error::NotFound("no contact with that id".into()))?;
    open_row(key, TABLE, id, &sealed)
}

/// Every contact that opens, in the order they were added, and how many rows did not open.
pub(crate) fn list(conn: &Connection, key: &SecretKey) -> Result<(Vec<Contact>, usize)> {
    let mut stmt = conn.prepare("SELECT id, sealed FROM alert_contacts ORDER BY seq")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(rows.len());
    let mut unreadable = 0;
    for (id, sealed) in rows {
        match open_row::<Contact>(key, TABLE, &id, &sealed) {
            Ok(c) => out.push(c),
            Err(_) => unreadable += 1,
        }
    }
    Ok((out, unreadable))
}

/// Removes a contact. Deliveries already queued for it still go out.
pub(crate) fn remove(conn: &Connection, id: &str) -> Result<()> {
    check_id(id, "contact")?;
    let n = conn.execute("DELETE FROM alert_contacts WHERE id = ?1", [id])?;
    if n == 0 {
        return Err(Error::NotFound("no contact with that id".into()));
    }
    Ok(())
}
