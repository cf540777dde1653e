//! The closed set of things the core asks the shell to do. The shell performs
//! each one and, where there is a result, reports it back as an
//! [`Event`](super::Event). Nothing else crosses from the core to the
//! platform.
//!
//! The JSON form (`parasol --json tick`) names each effect by `kind` and
//! gives `at` (RFC 3339) where it is timed. Phone numbers and message texts
//! are never part of it.

use super::capabilities::Permission;
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A notification slot: at most one notification per slot is on screen; a
/// later notification in the same slot replaces the earlier one (without a
/// second sound).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotificationSlot {
    /// The check-in timer's reminders.
    Checkin,
    /// Messages waiting for the user to send them.
    Sending,
}

impl NotificationSlot {
    /// The stable name (also the prefix of the slot's notification ids).
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationSlot::Checkin => "checkin",
            NotificationSlot::Sending => "sending",
        }
    }
}

/// Why a notification is shown. The shell words each one neutrally (its
/// string resources); nothing in a notification says what the app is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotifyReason {
    /// The check-in deadline: "Reminder".
    CheckinDeadline,
    /// Grace has started: the alert goes at its end unless the user checks in.
    CheckinGrace,
    /// A message waits for the user to send it.
    SmsWaiting,
}

/// Something for the shell to do.
#[derive(Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Effect {
    /// Ask for a permission (or, when `open_settings`, open the app's system
    /// settings page, the only way back from "don't ask again" or for exact
    /// alarms). Reply: `Event::PermissionResult`.
    RequestPermission {
        /// Which.
        permission: Permission,
        /// Open the system settings instead of a dialog.
        open_settings: bool,
    },
    /// Send an SMS with nothing on screen (Android). Reply: `Event::SmsResult`.
    SendSms {
        /// Pass back with the result.
        delivery_id: String,
        /// Recipient (E.164).
        #[serde(skip)]
        phone: String,
        /// Text.
        #[serde(skip)]
        text: String,
    },
    /// Show an SMS in a composer the user sends from. Reply: `Event::SmsResult`.
    ComposeSms {
        /// Pass back with the result.
        delivery_id: String,
        /// Recipient (E.164).
        #[serde(skip)]
        phone: String,
        /// Text.
        #[serde(skip)]
        text: String,
    },
    /// One location fix, giving up after `timeout_ms`. Reply: `Event::LocationResult`.
    GetLocation {
        /// How long to try.
        timeout_ms: u32,
    },
    /// Wake the app at `at` (now if past) with `Event::WokeUp`. Two slots:
    /// the timer (`needs_network` false: an exact alarm, replaced by the
    /// next one) and the network job (`needs_network` true: runs once the
    /// network is up, not before `at`; an existing one is kept, never reset).
    #[serde(rename = "wakeup")]
    ScheduleWakeup {
        /// When.
        at: DateTime<Utc>,
        /// Only once the network is available.
        needs_network: bool,
    },
    /// Remove the wake-up of that slot.
    CancelWakeup {
        /// Which slot.
        needs_network: bool,
    },
    /// Show a notification at `at` (now when absent). Scheduled by `id`
    /// (the same id replaces a pending one), shown in `slot`.
    Notify {
        /// Schedule id.
        id: String,
        /// Display slot.
        slot: NotificationSlot,
        /// What it is about.
        reason: NotifyReason,
        /// When.
        #[serde(skip_serializing_if = "Option::is_none")]
        at: Option<DateTime<Utc>>,
    },
    /// Remove every notification of a slot, pending or shown.
    CancelNotifications {
        /// Which slot.
        slot: NotificationSlot,
    },
    /// Open a URI the core built and checked (tel:, sms:, https:, mailto:).
    OpenUri {
        /// The URI.
        uri: String,
    },
    /// Block or allow screenshots, screen recording and the app-switcher
    /// preview (Android `FLAG_SECURE`; iOS privacy cover).
    SetScreenSecurity {
        /// Block.
        secure: bool,
    },
    /// Switch the launcher entry between the default and the disguised one.
    SetLauncherDisguise {
        /// Disguised.
        disguised: bool,
    },
    /// Offer a file the core wrote (a backup) to the user, then delete it.
    ShareFile {
        /// Where it is.
        path: String,
    },
    /// Leave at once: the home screen (Android) or `cover_uri` (iOS).
    QuickExit {
        /// A neutral page for platforms that cannot go home.
        cover_uri: String,
    },
    /// The profile was erased: close this app and open the profile afresh.
    Restart,
}

impl std::fmt::Debug for Effect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Effect::SendSms { delivery_id, .. } => f
                .debug_struct("SendSms")
                .field("delivery_id", delivery_id)
                .finish_non_exhaustive(),
            Effect::ComposeSms { delivery_id, .. } => f
                .debug_struct("ComposeSms")
                .field("delivery_id", delivery_id)
                .finish_non_exhaustive(),
            other => f.write_str(&serde_json::to_string(other).unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn json_names_kind_and_time_and_never_the_message() {
        let at = Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0).unwrap();
        let v = serde_json::to_value(Effect::Notify {
            id: "checkin-1".into(),
            slot: NotificationSlot::Checkin,
            reason: NotifyReason::CheckinGrace,
            at: Some(at),
        })
        .unwrap();
        assert_eq!(v["kind"], "notify");
        assert_eq!(v["reason"], "checkin-grace");
        assert_eq!(v["at"], "2026-03-29T01:30:00Z");
        let w = serde_json::to_value(Effect::ScheduleWakeup {
            at,
            needs_network: true,
        })
        .unwrap();
        assert_eq!(w["kind"], "wakeup");
        let sms = Effect::SendSms {
            delivery_id: "d1".into(),
            phone: "+31612345678".into(),
            text: "ALERT: Ana needs help".into(),
        };
        let json = serde_json::to_string(&sms).unwrap();
        let debug = format!("{sms:?}");
        for shown in [json, debug] {
            assert!(shown.contains("d1"), "{shown}");
            assert!(!shown.contains("+316") && !shown.contains("Ana"), "{shown}");
        }
    }
}
