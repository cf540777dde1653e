//! Webhooks: an HTTPS POST of a JSON document (documented in docs/alerts.md)
//! with the delivery's `Idempotency-Key` header. The body is built once, at
//! enqueue time, so every retry sends the same bytes.
//!
//! The payload carries no device identifier: only the random alert id and
//! idempotency key, the user's chosen name, the time, location, note and
//! the composed message.

use super::message::Composed;
use super::model::{AlertReason, Location, MessageKind};
use super::outbox::{DeliveryBody, Outcome};
use crate::error::{Error, Result};
use crate::http::{HttpClient, HttpResponse};
use chrono::{DateTime, SecondsFormat, Utc};

/// The payload format version (`"version"` in the JSON).
pub const PAYLOAD_VERSION: u32 = 1;
/// Largest response body read from a receiver.
const MAX_RESPONSE: u64 = 64 * 1024;

/// What a webhook payload says.
pub(crate) struct PayloadInput<'a> {
    pub kind: MessageKind,
    pub idempotency_key: &'a str,
    pub alert_id: Option<&'a str>,
    pub reason: Option<AlertReason>,
    pub silent: bool,
    pub sender_name: Option<&'a str>,
    pub triggered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub location: Option<&'a Location>,
    pub note: Option<&'a str>,
    pub message: &'a Composed,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The JSON body for a webhook.
pub(crate) fn payload(p: &PayloadInput<'_>) -> Result<String> {
    let location = p.location.map(|l| {
        serde_json::json!({
            "latitude": l.latitude,
            "longitude": l.longitude,
            "accuracy_m": l.accuracy_m,
            "fixed_at": l.fixed_at.map(rfc3339),
            "osm_url": l.osm_url(),
        })
    });
    let value = serde_json::json!({
        "type": p.kind.as_str(),
        "version": PAYLOAD_VERSION,
        "idempotency_key": p.idempotency_key,
        "alert_id": p.alert_id,
        "reason": p.reason.map(AlertReason::as_str),
        "silent": p.silent,
        "sender_name": p.sender_name,
        "triggered_at": p.triggered_at.map(rfc3339),
        "created_at": rfc3339(p.created_at),
        "location": location,
        "note": p.note,
        "language": p.message.language,
        "message": p.message.full,
    });
    Ok(serde_json::to_string(&value)?)
}

/// Sorts an HTTP result into an outcome: 2xx delivered; 408, 425, 429 and
/// 5xx retried; other 4xx refused for good; network errors retried.
pub(crate) fn classify(result: Result<HttpResponse>) -> Outcome {
    match result {
        Ok(r) if (200..300).contains(&r.status) => Outcome::Delivered,
        Ok(r) if matches!(r.status, 408 | 425 | 429) || r.status >= 500 => {
            Outcome::Retry(format!("HTTP {}", r.status))
        }
        Ok(r) if (400..500).contains(&r.status) => {
            Outcome::Permanent(format!("refused by the receiver: HTTP {}", r.status))
        }
        Ok(r) => Outcome::Retry(format!("unexpected HTTP {}", r.status)),
        Err(Error::InvalidInput(reason)) => Outcome::Permanent(super::short_reason(&reason)),
        Err(e) => Outcome::Retry(super::short_reason(&e.to_string())),
    }
}

/// Posts a webhook delivery.
pub(crate) fn send(http: &HttpClient, body: &DeliveryBody) -> Outcome {
    let Some(payload) = &body.payload else {
        return Outcome::Permanent("webhook delivery has no payload".into());
    };
    classify(http.post_json(
        &body.target,
        payload.as_bytes().to_vec(),
        &[("Idempotency-Key", &body.idempotency_key)],
        MAX_RESPONSE,
    ))
}
