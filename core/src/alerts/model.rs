//! The small value types the alert engine shares with its callers: channels,
//! reasons, modes, states and locations.

use super::validate;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// How a message reaches a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A text message, sent by the shell.
    Sms,
    /// An HTTPS JSON POST (see docs/alerts.md).
    Webhook,
    /// A POST to an ntfy-compatible topic URL.
    Push,
    /// A message in a Matrix room shared with the contact.
    Matrix,
}

impl Channel {
    /// The stable lowercase name ("sms", "webhook", "push").
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Webhook => "webhook",
            Channel::Push => "push",
            Channel::Matrix => "matrix",
        }
    }
}

/// What a delivery says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// The alert itself.
    Alert,
    /// A later location.
    Location,
    /// "I'm safe": the alert is over.
    Safe,
    /// A test message to a contact.
    Test,
}

impl MessageKind {
    /// The stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Alert => "alert",
            MessageKind::Location => "location",
            MessageKind::Safe => "safe",
            MessageKind::Test => "test",
        }
    }
}

/// Why an alert was raised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertReason {
    /// The user pressed the panic button.
    Button,
    /// A check-in timer ran out.
    MissedCheckIn,
    /// The journal was opened with the duress passphrase.
    Duress,
}

impl AlertReason {
    /// The stable name ("button", "missed_check_in", "duress").
    pub fn as_str(self) -> &'static str {
        match self {
            AlertReason::Button => "button",
            AlertReason::MissedCheckIn => "missed_check_in",
            AlertReason::Duress => "duress",
        }
    }
}

/// How an alert goes off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertMode {
    /// At once.
    Immediate,
    /// After this many seconds, unless cancelled (false-alarm protection).
    Countdown {
        /// Seconds before the alert fires (1 to [`MAX_COUNTDOWN_SECONDS`]).
        seconds: u32,
    },
    /// At once, and the shell shows nothing (the SMS request says so).
    Silent,
}

/// The longest countdown.
pub const MAX_COUNTDOWN_SECONDS: u32 = 600;

impl AlertMode {
    /// Whether the shell should stay invisible.
    pub fn is_silent(self) -> bool {
        matches!(self, AlertMode::Silent)
    }

    /// The stable name ("immediate", "countdown", "silent").
    pub fn as_str(self) -> &'static str {
        match self {
            AlertMode::Immediate => "immediate",
            AlertMode::Countdown { .. } => "countdown",
            AlertMode::Silent => "silent",
        }
    }

    pub(crate) fn validate(self) -> Result<Self> {
        if let AlertMode::Countdown { seconds } = self {
            if seconds == 0 || seconds > MAX_COUNTDOWN_SECONDS {
                return Err(Error::invalid(format!(
                    "countdown must be 1 to {MAX_COUNTDOWN_SECONDS} seconds"
                )));
            }
        }
        Ok(self)
    }
}

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AlertState {
    /// Counting down; nothing has been queued yet, and cancelling sends nothing.
    Countdown,
    /// Fired: its deliveries are in the outbox.
    Fired,
    /// Cancelled during the countdown: nothing was sent.
    Cancelled,
    /// Resolved with "I'm safe".
    Resolved,
}

impl AlertState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Countdown => "countdown",
            AlertState::Fired => "fired",
            AlertState::Cancelled => "cancelled",
            AlertState::Resolved => "resolved",
        }
    }

    /// Whether more can happen to the alert.
    pub fn is_open(self) -> bool {
        matches!(self, AlertState::Countdown | AlertState::Fired)
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting in the outbox (first try, or a retry after a failure).
    Queued,
    /// Being sent right now.
    Sending,
    /// Handed to the SMS system; a delivery report may follow.
    Sent,
    /// Accepted by the receiver (HTTP 2xx) or reported delivered by the phone.
    Delivered,
    /// The shell needs the user to finish sending (iOS message composer).
    NeedsUserAction,
    /// Given up: refused permanently or still failing after the maximum age.
    Failed,
    /// Never sent: its alert was resolved before it left.
    Cancelled,
}

impl DeliveryState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Delivered => "delivered",
            DeliveryState::NeedsUserAction => "needs_user_action",
            DeliveryState::Failed => "failed",
            DeliveryState::Cancelled => "cancelled",
        }
    }

    pub(crate) fn code(self) -> i64 {
        match self {
            DeliveryState::Queued => 0,
            DeliveryState::Sending => 1,
            DeliveryState::Sent => 2,
            DeliveryState::Delivered => 3,
            DeliveryState::NeedsUserAction => 4,
            DeliveryState::Failed => 5,
            DeliveryState::Cancelled => 6,
        }
    }

    pub(crate) fn from_code(code: i64) -> Result<Self> {
        Ok(match code {
            0 => DeliveryState::Queued,
            1 => DeliveryState::Sending,
            2 => DeliveryState::Sent,
            3 => DeliveryState::Delivered,
            4 => DeliveryState::NeedsUserAction,
            5 => DeliveryState::Failed,
            6 => DeliveryState::Cancelled,
            other => return Err(Error::Corrupt(format!("unknown delivery state {other}"))),
        })
    }

    /// Whether the outbox still has work to do for this delivery.
    pub fn is_pending(self) -> bool {
        matches!(self, DeliveryState::Queued | DeliveryState::Sending)
    }
}

/// A position fix from the phone.
#[derive(Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Degrees north, -90 to 90.
    pub latitude: f64,
    /// Degrees east, -180 to 180.
    pub longitude: f64,
    /// Radius of the 68 % confidence circle in metres, if known.
    pub accuracy_m: Option<f64>,
    /// When the fix was taken, if known.
    pub fixed_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Location(<redacted>)")
    }
}

impl Location {
    /// A location without accuracy or time.
    pub fn new(latitude: f64, longitude: f64) -> Self {
        Location {
            latitude,
            longitude,
            accuracy_m: None,
            fixed_at: None,
        }
    }

    pub(crate) fn validate(self) -> Result<Self> {
        validate::coordinates(self.latitude, self.longitude, self.accuracy_m)?;
        Ok(self)
    }

    /// The OpenStreetMap link with a marker at this location.
    pub fn osm_url(&self) -> String {
        format!(
            "https://www.openstreetmap.org/?mlat={lat:.5}&mlon={lon:.5}#map=17/{lat:.5}/{lon:.5}",
            lat = self.latitude,
            lon = self.longitude
        )
    }

    /// A shorter OpenStreetMap link (marker only), for tight SMS budgets.
    pub fn osm_url_short(&self) -> String {
        format!(
            "https://www.openstreetmap.org/?mlat={:.5}&mlon={:.5}",
            self.latitude, self.longitude
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_codes_round_trip() {
        for s in [
            DeliveryState::Queued,
            DeliveryState::Sending,
            DeliveryState::Sent,
            DeliveryState::Delivered,
            DeliveryState::NeedsUserAction,
            DeliveryState::Failed,
            DeliveryState::Cancelled,
        ] {
            assert_eq!(DeliveryState::from_code(s.code()).unwrap(), s);
        }
        assert!(DeliveryState::from_code(99).is_err());
    }

    #[test]
    fn location_debug_is_redacted_and_links_are_osm() {
        let l = Location::new(52.370216, 4.895168);
        assert_eq!(format!("{l:?}"), "Location(<redacted>)");
        assert_eq!(
            l.osm_url(),
            "https://www.openstreetmap.org/?mlat=52.37022&mlon=4.89517#map=17/52.37022/4.89517"
        );
        assert!(Location::new(91.0, 0.0).validate().is_err());
    }

    #[test]
    fn countdown_is_bounded() {
        assert!(AlertMode::Countdown { seconds: 0 }.validate().is_err());
        assert!(AlertMode::Countdown { seconds: 601 }.validate().is_err());
        assert!(AlertMode::Countdown { seconds: 10 }.validate().is_ok());
    }
}
