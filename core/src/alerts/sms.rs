//! SMS: the core composes, the shell sends.
//!
//! [`SmsSender`] is implemented by the shell (through the FFI's foreign
//! trait). Android sends with `SmsManager` and returns [`SmsOutcome::Sent`],
//! then reports the radio's sent/delivered results later with
//! [`super::Alerts::report_sms`]. iOS can only open the message composer, so
//! it returns [`SmsOutcome::NeedsUserAction`] and reports once the user has
//! sent (or cancelled). An error from the sender is retried with backoff.

use super::outbox::{DeliveryBody, Outcome};
use crate::error::Result;

/// One text message to send.
#[derive(Clone, PartialEq, Eq)]
pub struct SmsRequest {
    /// The delivery this message is; pass it back to `report_sms`.
    pub delivery_id: String,
    /// The recipient (E.164).
    pub phone: String,
    /// The text (at most two segments).
    pub text: String,
    /// A silent alert: show nothing on screen if at all possible.
    pub silent: bool,
}

impl std::fmt::Debug for SmsRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsRequest")
            .field("delivery_id", &self.delivery_id)
            .field("silent", &self.silent)
            .finish_non_exhaustive()
    }
}

/// What the shell did with an SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsOutcome {
    /// Handed to the phone's SMS system (a delivery report may follow).
    Sent,
    /// The user must finish sending (iOS composer); report the result later.
    NeedsUserAction,
    /// Handed to the shell, which reports the result with `report_sms`. The
    /// delivery stays claimed meanwhile; with no report within the outbox
    /// lease it is sent again (a duplicate SMS is better than a lost alert).
    AwaitingReport,
    /// This phone cannot send this message at all (for example a silent
    /// alert on a phone that can only open a composer): given up at once, so
    /// that the contact's other channels carry the alert.
    CannotSend,
}

/// A later report from the shell about an SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsReport {
    /// The message left the phone (Android sent intent; iOS composer "sent").
    Sent,
    /// The network confirmed delivery.
    Delivered,
    /// It did not go (no service, no credit, composer cancelled): retry later.
    Failed {
        /// Why (shown to the user; no message text or number).
        reason: String,
    },
}

/// Sends SMS for the core: implemented by the shell.
pub trait SmsSender: Send + Sync {
    /// Sends (or prepares) one message. An error means "try again later".
    fn send(&self, request: &SmsRequest) -> Result<SmsOutcome>;
}

/// Sends one SMS delivery through `sender`.
pub(crate) fn send(sender: Option<&dyn SmsSender>, id: &str, body: &DeliveryBody) -> Outcome {
    let Some(sender) = sender else {
        return Outcome::Retry("no SMS sender is registered".into());
    };
    let request = SmsRequest {
        delivery_id: id.to_owned(),
        phone: body.target.clone(),
        text: body.text.clone(),
        silent: body.silent,
    };
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sender.send(&request)));
    match result {
        Ok(Ok(SmsOutcome::Sent)) => Outcome::Sent,
        Ok(Ok(SmsOutcome::NeedsUserAction)) => Outcome::NeedsUserAction,
        Ok(Ok(SmsOutcome::AwaitingReport)) => Outcome::AwaitingReport,
        Ok(Ok(SmsOutcome::CannotSend)) => {
            Outcome::Permanent("this phone cannot send this text message".into())
        }
        Ok(Err(e)) => Outcome::Retry(super::short_reason(&e.to_string())),
        Err(_) => Outcome::Retry("the SMS sender crashed".into()),
    }
}
