//! The Matrix channel of the outbox: one message to a contact's room, with
//! the delivery's idempotency key as the Matrix transaction id, so a retry
//! (after a timeout, a crash, a second flush) never makes a second message.
//! A delivery that stands for a server-held timer asks the server to send
//! that held message now instead ([`crate::alerts::timers::send_now`]).

use super::client::Membership;
use super::{rooms, Ctx, MatrixError};
use crate::alerts::outbox::{DeliveryBody, Outcome};
use crate::alerts::timers;
use chrono::{DateTime, Utc};
use std::time::Duration;

/// What a failure means for the delivery.
pub(crate) fn outcome(e: MatrixError) -> Outcome {
    let why = crate::alerts::short_reason(&e.to_string());
    match e {
        MatrixError::RateLimited { retry_after_ms } => {
            Outcome::RetryAfter(why, Duration::from_millis(retry_after_ms))
        }
        MatrixError::Refused { status, .. } if (400..500).contains(&status) && status != 408 => {
            Outcome::Permanent(format!("refused by the homeserver: HTTP {status}"))
        }
        _ => Outcome::Retry(why),
    }
}

/// Sends one Matrix delivery.
pub(crate) fn send(ctx: &Ctx<'_>, body: &DeliveryBody, now: DateTime<Utc>) -> Outcome {
    match try_send(ctx, body, now) {
        Ok(o) => o,
        Err(e) => outcome(e),
    }
}

fn try_send(
    ctx: &Ctx<'_>,
    body: &DeliveryBody,
    now: DateTime<Utc>,
) -> Result<Outcome, MatrixError> {
    let account = ctx.account()?;
    let client = ctx.client(&account)?;
    if let Some(timer) = &body.timer {
        if timers::send_now(ctx, &client, &account, timer, now)? {
            return Ok(Outcome::Delivered);
        }
    }
    let placed = rooms::send(
        ctx,
        &client,
        &account,
        &rooms::Message {
            contact_id: &body.contact_id,
            mxid: &body.target,
            txn: &body.idempotency_key,
            text: &body.text,
            delay_ms: None,
        },
    )?;
    Ok(match (placed.membership, placed.new_room) {
        (_, true) => Outcome::DeliveredWithNote(
            "the contact had left the room: sent in a new room, invitation waiting".into(),
        ),
        (Membership::Invite, false) => Outcome::DeliveredWithNote(
            "the contact has not joined the room yet: the message waits there".into(),
        ),
        _ => Outcome::Delivered,
    })
}
