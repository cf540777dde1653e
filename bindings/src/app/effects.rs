//! The app's effects over the FFI: what the shell performs.

use super::{ms, NotificationSlot, NotifyReason, Permission};
use parasol_core::app as core;

/// Something for the shell to do; results come back as `AppEvent`s.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AppEffect {
    /// Ask for a permission (or open the app's system settings). Reply: `PermissionResult`.
    RequestPermission {
        /// Which.
        permission: Permission,
        /// Open the system settings instead of a dialog.
        open_settings: bool,
    },
    /// Send an SMS with nothing on screen. Reply: `SmsResult`.
    SendSms {
        /// Pass back.
        delivery_id: String,
        /// Recipient.
        phone: String,
        /// Text.
        text: String,
    },
    /// Show an SMS in a composer the user sends from. Reply: `SmsResult`.
    ComposeSms {
        /// Pass back.
        delivery_id: String,
        /// Recipient.
        phone: String,
        /// Text.
        text: String,
    },
    /// One location fix within `timeout_ms`. Reply: `LocationResult`.
    GetLocation {
        /// Give up after.
        timeout_ms: u32,
    },
    /// Wake the app at `at_ms` (now if past) with `WokeUp`.
    ScheduleWakeup {
        /// When.
        at_ms: i64,
        /// Only once the network is up (keep an existing job).
        needs_network: bool,
    },
    /// Remove the wake-up of that slot.
    CancelWakeup {
        /// Which slot.
        needs_network: bool,
    },
    /// Show a notification at `at_ms` (now when none).
    Notify {
        /// Schedule id (the same id replaces a pending one).
        id: String,
        /// Display slot.
        slot: NotificationSlot,
        /// Why.
        reason: NotifyReason,
        /// When.
        at_ms: Option<i64>,
    },
    /// Remove every notification of a slot.
    CancelNotifications {
        /// Which slot.
        slot: NotificationSlot,
    },
    /// Open a URI the core built and checked.
    OpenUri {
        /// The URI.
        uri: String,
    },
    /// Block screenshots and previews (or allow them).
    SetScreenSecurity {
        /// Block.
        secure: bool,
    },
    /// Switch the launcher entry.
    SetLauncherDisguise {
        /// Disguised.
        disguised: bool,
    },
    /// Offer a file to the user, then delete it.
    ShareFile {
        /// Where.
        path: String,
    },
    /// Leave at once (home screen, or `cover_uri`).
    QuickExit {
        /// A neutral page.
        cover_uri: String,
    },
    /// Close the app and open the profile afresh.
    Restart,
}

impl std::fmt::Debug for AppEffect {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppEffect::SendSms { delivery_id, .. } | AppEffect::ComposeSms { delivery_id, .. } => {
                write!(f, "Sms({delivery_id}, <redacted>)")
            }
            other => write!(f, "{}", effect_name(other)),
        }
    }
}

fn effect_name(e: &AppEffect) -> &'static str {
    match e {
        AppEffect::RequestPermission { .. } => "RequestPermission",
        AppEffect::SendSms { .. } | AppEffect::ComposeSms { .. } => "Sms",
        AppEffect::GetLocation { .. } => "GetLocation",
        AppEffect::ScheduleWakeup { .. } => "ScheduleWakeup",
        AppEffect::CancelWakeup { .. } => "CancelWakeup",
        AppEffect::Notify { .. } => "Notify",
        AppEffect::CancelNotifications { .. } => "CancelNotifications",
        AppEffect::OpenUri { .. } => "OpenUri",
        AppEffect::SetScreenSecurity { .. } => "SetScreenSecurity",
        AppEffect::SetLauncherDisguise { .. } => "SetLauncherDisguise",
        AppEffect::ShareFile { .. } => "ShareFile",
        AppEffect::QuickExit { .. } => "QuickExit",
        AppEffect::Restart => "Restart",
    }
}

impl From<core::Effect> for AppEffect {
    fn from(e: core::Effect) -> Self {
        use core::Effect as C;
        use AppEffect as A;
        match e {
            C::RequestPermission {
                permission,
                open_settings,
            } => A::RequestPermission {
                permission: permission.into(),
                open_settings,
            },
            C::SendSms {
                delivery_id,
                phone,
                text,
            } => A::SendSms {
                delivery_id,
                phone,
                text,
            },
            C::ComposeSms {
                delivery_id,
                phone,
                text,
            } => A::ComposeSms {
                delivery_id,
                phone,
                text,
            },
            C::GetLocation { timeout_ms } => A::GetLocation { timeout_ms },
            C::ScheduleWakeup { at, needs_network } => A::ScheduleWakeup {
                at_ms: ms(at),
                needs_network,
            },
            C::CancelWakeup { needs_network } => A::CancelWakeup { needs_network },
            C::Notify {
                id,
                slot,
                reason,
                at,
            } => A::Notify {
                id,
                slot: slot.into(),
                reason: reason.into(),
                at_ms: at.map(ms),
            },
            C::CancelNotifications { slot } => A::CancelNotifications { slot: slot.into() },
            C::OpenUri { uri } => A::OpenUri { uri },
            C::SetScreenSecurity { secure } => A::SetScreenSecurity { secure },
            C::SetLauncherDisguise { disguised } => A::SetLauncherDisguise { disguised },
            C::ShareFile { path } => A::ShareFile { path },
            C::QuickExit { cover_uri } => A::QuickExit { cover_uri },
            C::Restart => A::Restart,
        }
    }
}
