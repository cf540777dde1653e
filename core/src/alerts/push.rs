//! Push through an ntfy-compatible server: a POST of the plain-text message to
//! the topic URL, with `Priority`, `Tags` and `Idempotency-Key` headers and,
//! when the contact has one, `Authorization: Bearer <token>`.

use super::model::MessageKind;
use super::outbox::{DeliveryBody, Outcome};
use super::webhook::classify;
use crate::http::HttpClient;

const MAX_RESPONSE: u64 = 64 * 1024;

/// Posts a push delivery.
pub(crate) fn send(http: &HttpClient, body: &DeliveryBody) -> Outcome {
    let (priority, tags) = match body.kind {
        MessageKind::Alert => ("urgent", "rotating_light"),
        MessageKind::Location => ("high", "round_pushpin"),
        MessageKind::Safe => ("default", "white_check_mark"),
        MessageKind::Test => ("low", "speech_balloon"),
    };
    let auth = body.token.as_ref().map(|t| format!("Bearer {t}"));
    let mut headers: Vec<(&str, &str)> = vec![
        ("Idempotency-Key", &body.idempotency_key),
        ("Priority", priority),
        ("Tags", tags),
    ];
    if let Some(a) = &auth {
        headers.push(("Authorization", a));
    }
    classify(http.post(
        &body.target,
        "text/plain; charset=utf-8",
        body.text.as_bytes().to_vec(),
        &headers,
        MAX_RESPONSE,
    ))
}
