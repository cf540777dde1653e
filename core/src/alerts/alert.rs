//! Alerts: the sealed alert rows and the transitions of their lifecycle
//! (countdown, fired, cancelled, resolved), each run inside the caller's
//! transaction together with the deliveries it queues or cancels.

use super::contacts::Contact;
use super::message::{self, MessageContext};
use super::model::{
    AlertMode, AlertReason, AlertState, Channel, DeliveryState, Location, MessageKind,
};
use super::outbox::{self, DeliveryBody, DeliveryStatus};
use super::sealed::{check_id, from_ms, open_row, seal_row, to_ms};
use super::webhook::{self, PayloadInput};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

const TABLE: &str = "alert_alerts";

/// The sealed part of an alert.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct AlertRow {
    pub mode: AlertMode,
    pub reason: AlertReason,
    pub state: AlertState,
    pub created_at: i64,
    pub fires_at: Option<i64>,
    pub fired_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub note: Option<String>,
    pub location: Option<Location>,
    /// When a location was last queued to contacts (alert or follow-up).
    pub location_sent_at: Option<i64>,
    /// A newer location waits for the follow-up rate limit.
    pub location_pending: bool,
}

impl AlertRow {
    /// The instant contacts are told the alert is from.
    pub fn raised_at(&self) -> DateTime<Utc> {
        from_ms(self.fired_at.unwrap_or(self.created_at))
    }
}

/// An alert as callers see it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertStatus {
    /// Random id.
    pub id: String,
    /// Where it stands.
    pub state: AlertState,
    /// How it was triggered.
    pub mode: AlertMode,
    /// Why.
    pub reason: AlertReason,
    /// When it was triggered.
    pub created_at: DateTime<Utc>,
    /// When a countdown fires (or fired).
    pub fires_at: Option<DateTime<Utc>>,
    /// When its deliveries were queued.
    pub fired_at: Option<DateTime<Utc>>,
    /// When it was cancelled or resolved.
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether a location is known.
    pub has_location: bool,
    /// Every delivery, in the order queued (alert, location and "I'm safe" messages).
    pub deliveries: Vec<DeliveryStatus>,
}

pub(crate) fn status(id: &str, row: &AlertRow, deliveries: Vec<DeliveryStatus>) -> AlertStatus {
    AlertStatus {
        id: id.to_owned(),
        state: row.state,
        mode: row.mode,
        reason: row.reason,
        created_at: from_ms(row.created_at),
        fires_at: row.fires_at.map(from_ms),
        fired_at: row.fired_at.map(from_ms),
        closed_at: row.closed_at.map(from_ms),
        has_location: row.location.is_some(),
        deliveries,
    }
}

/// The plaintext `open` column: 0 closed, 1 fired and idle, 2 has due work
/// (a countdown, or a rate-limited location waiting). Due-work scans read
/// only rows with 2, so old unresolved alerts cost nothing per flush.
fn open_flag(row: &AlertRow) -> i64 {
    match row.state {
        AlertState::Countdown => 2,
        AlertState::Fired if row.location_pending => 2,
        AlertState::Fired => 1,
        AlertState::Cancelled | AlertState::Resolved => 0,
    }
}

/// The plaintext `idle_since` of the retention sweep: the alert's last
/// activity (fired, last location sent, closed), rounded up to the hour so
/// the column tells no more than that; `None` while a countdown runs.
pub(crate) fn idle_since(row: &AlertRow) -> Option<i64> {
    let last = match row.state {
        AlertState::Countdown => return None,
        AlertState::Fired => row
            .fired_at
            .max(row.location_sent_at)
            .unwrap_or(row.created_at),
        AlertState::Cancelled | AlertState::Resolved => row.closed_at.unwrap_or(row.created_at),
    };
    Some(super::retention::round_up_to_hour(last))
}

/// Writes a new alert row.
pub(crate) fn insert(conn: &Connection, key: &SecretKey, id: &str, row: &AlertRow) -> Result<()> {
    let sealed = seal_row(key, TABLE, id, row)?;
    conn.execute(
        "INSERT INTO alert_alerts(id, seq, open, idle_since, sealed)
         VALUES (?1, (SELECT IFNULL(MAX(seq), 0) + 1 FROM alert_alerts), ?2, ?3, ?4)",
        params![id, open_flag(row), idle_since(row), sealed],
    )?;
    Ok(())
}

/// Rewrites an alert row.
pub(crate) fn update(conn: &Connection, key: &SecretKey, id: &str, row: &AlertRow) -> Result<()> {
    let sealed = seal_row(key, TABLE, id, row)?;
    conn.execute(
        "UPDATE alert_alerts SET open = ?2, idle_since = ?3, sealed = ?4 WHERE id = ?1",
        params![id, open_flag(row), idle_since(row), sealed],
    )?;
    Ok(())
}

/// Reads an alert row.
pub(crate) fn get(conn: &Connection, key: &SecretKey, id: &str) -> Result<AlertRow> {
    check_id(id, "alert")?;
    let sealed: Option<Vec<u8>> = conn
        .query_row("SELECT sealed FROM alert_alerts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    let sealed = sealed.ok_or_else(|| Error::NotFound("no alert with that id".into()))?;
    open_row(key, TABLE, id, &sealed)
}

/// Whether the alert is still open (cheap: reads the plaintext flag).
pub(crate) fn is_open(conn: &Connection, id: &str) -> Result<bool> {
    let open: Option<i64> = conn
        .query_row("SELECT open FROM alert_alerts WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(open.unwrap_or(0) > 0)
}

/// Ids of open alerts (counting down or fired, not resolved), oldest first.
pub(crate) fn open_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM alert_alerts WHERE open > 0 ORDER BY seq")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// Ids of alerts with due work (countdowns, waiting location follow-ups).
pub(crate) fn due_work_ids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM alert_alerts WHERE open = 2 ORDER BY seq")?;
    let ids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<std::result::Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// Ids of the most recent alerts, newest first.
pub(crate) fn recent_ids(conn: &Connection, limit: usize) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT id FROM alert_alerts ORDER BY seq DESC LIMIT ?1")?;
    let ids = stmt
        .query_map([limit as i64], |r| r.get(0))?
        .collect::<std::result::Result<Vec<String>, _>>()?;
    Ok(ids)
}

/// One destination of a message.
#[derive(Clone)]
pub(crate) struct Recipient {
    pub contact_id: String,
    pub channel: Channel,
    pub target: String,
    pub token: Option<String>,
    pub language: String,
    /// SMS only: the contact's code phrase (a silent alert says only that).
    pub code_phrase: Option<String>,
    /// SMS only: the alert reached this contact as a code phrase, so no
    /// follow-up (location, "I'm safe") goes by SMS.
    pub coded: bool,
}

/// The recipients of an alert for `reason`: every channel of every contact that takes it.
pub(crate) fn recipients(contacts: &[Contact], reason: Option<AlertReason>) -> Vec<Recipient> {
    let mut out = Vec::new();
    for c in contacts {
        if let Some(r) = reason {
            if !c.triggers.accepts(r) {
                continue;
            }
        }
        let mut push = |channel: Channel, target: &Option<String>, token: Option<String>| {
            if let Some(t) = target {
                out.push(Recipient {
                    contact_id: c.id.clone(),
                    channel,
                    target: t.clone(),
                    token,
                    language: c.language.clone(),
                    code_phrase: (channel == Channel::Sms)
                        .then(|| c.sms_code_phrase.clone())
                        .flatten(),
                    coded: false,
                });
            }
        };
        push(Channel::Sms, &c.phone, None);
        push(Channel::Webhook, &c.webhook_url, None);
        push(Channel::Push, &c.push_url, c.push_token.clone());
        push(Channel::Matrix, &c.matrix_id, None);
    }
    out
}

/// What a batch of messages says.
pub(crate) struct Spec<'a> {
    pub kind: MessageKind,
    pub alert_id: Option<&'a str>,
    pub reason: Option<AlertReason>,
    pub silent: bool,
    pub sender_name: Option<&'a str>,
    pub triggered_at: Option<DateTime<Utc>>,
    pub location: Option<&'a Location>,
    pub note: Option<&'a str>,
}

/// Composes and queues one delivery per recipient.
pub(crate) fn enqueue_for(
    conn: &Connection,
    key: &SecretKey,
    recipients: &[Recipient],
    spec: &Spec<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<DeliveryStatus>> {
    let mut composed = HashMap::new();
    let mut out = Vec::with_capacity(recipients.len());
    for r in recipients {
        // A silent alert by SMS to a contact with a code phrase says only the
        // phrase, and nothing later goes by SMS to that contact: whatever an
        // app sends by SMS stays in the phone's "Sent" folder.
        let coded_alert = r.channel == Channel::Sms
            && spec.kind == MessageKind::Alert
            && spec.silent
            && r.code_phrase.is_some();
        if r.coded && r.channel == Channel::Sms && spec.kind != MessageKind::Alert {
            continue;
        }
        let m = composed.entry(r.language.clone()).or_insert_with(|| {
            message::compose(
                &r.language,
                &MessageContext {
                    kind: spec.kind,
                    reason: spec.reason,
                    silent: spec.silent,
                    sender_name: spec.sender_name,
                    at: spec.triggered_at.unwrap_or(now),
                    location: spec.location,
                    note: spec.note,
                },
            )
        });
        let idempotency_key = outbox::new_idempotency_key();
        let payload = match r.channel {
            Channel::Webhook => Some(webhook::payload(&PayloadInput {
                kind: spec.kind,
                idempotency_key: &idempotency_key,
                alert_id: spec.alert_id,
                reason: spec.reason,
                silent: spec.silent,
                sender_name: spec.sender_name,
                triggered_at: spec.triggered_at,
                created_at: now,
                location: spec.location,
                note: spec.note,
                message: m,
            })?),
            _ => None,
        };
        let body = DeliveryBody {
            alert_id: spec.alert_id.map(str::to_owned),
            contact_id: r.contact_id.clone(),
            channel: r.channel,
            kind: spec.kind,
            language: r.language.clone(),
            target: r.target.clone(),
            token: r.token.clone(),
            text: match (&r.code_phrase, r.channel) {
                (Some(phrase), _) if coded_alert => phrase.clone(),
                (_, Channel::Sms) => m.sms.clone(),
                // The payload carries the message: not stored twice (a
                // smaller sealed row keeps an alert's writes small).
                (_, Channel::Webhook) => String::new(),
                _ => m.full.clone(),
            },
            payload,
            silent: spec.silent,
            idempotency_key,
            attempts: 0,
            created_at: to_ms(now),
            updated_at: to_ms(now),
            last_error: None,
            timer: None,
            coded: coded_alert,
        };
        out.push(outbox::enqueue(conn, key, &body, now)?);
    }
    Ok(out)
}

/// Fires alert `id` (state becomes `Fired`): queues one delivery per
/// recipient in the caller's transaction. Returns the queued deliveries.
pub(crate) fn fire(
    conn: &Connection,
    key: &SecretKey,
    id: &str,
    row: &mut AlertRow,
    contacts: &[Contact],
    sender_name: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<DeliveryStatus>> {
    let recipients = recipients(contacts, Some(row.reason));
    row.state = AlertState::Fired;
    row.fired_at = Some(to_ms(now));
    row.location_sent_at = row.location.map(|_| to_ms(now));
    row.location_pending = false;
    let queued = enqueue_for(
        conn,
        key,
        &recipients,
        &Spec {
            kind: MessageKind::Alert,
            alert_id: Some(id),
            reason: Some(row.reason),
            silent: row.mode.is_silent() || row.reason == AlertReason::Duress,
            sender_name,
            triggered_at: Some(now),
            location: row.location.as_ref(),
            note: row.note.as_deref(),
        },
        now,
    )?;
    update(conn, key, id, row)?;
    Ok(queued)
}

/// The destinations that got (or may have got) the alert itself, once per
/// contact and channel, and what to do with each alert delivery on "I'm safe".
pub(crate) fn alert_destinations(
    deliveries: &[outbox::StoredDelivery],
    include: impl Fn(DeliveryState, u32) -> bool,
) -> Vec<Recipient> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for (_, state, _, b) in deliveries {
        if b.kind != MessageKind::Alert || !include(*state, b.attempts) {
            continue;
        }
        if seen.insert((b.contact_id.clone(), b.channel)) {
            out.push(Recipient {
                contact_id: b.contact_id.clone(),
                channel: b.channel,
                target: b.target.clone(),
                token: b.token.clone(),
                language: b.language.clone(),
                code_phrase: None,
                coded: b.coded,
            });
        }
    }
    out
}

/// Whether a contact may have received an alert delivery in `state` after `attempts` tries.
pub(crate) fn may_have_received(state: DeliveryState, attempts: u32) -> bool {
    match state {
        DeliveryState::Sending | DeliveryState::Sent | DeliveryState::Delivered => true,
        DeliveryState::Queued | DeliveryState::Failed => attempts > 0,
        DeliveryState::NeedsUserAction | DeliveryState::Cancelled => false,
    }
}
