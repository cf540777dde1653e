//! The headless app over the FFI: the `App` object (`update`, `view`), its
//! events, effects, capabilities and view models. Translation only: every
//! screen and decision is in `parasol_core::app`.
//!
//! Times cross as milliseconds since the Unix epoch (UTC). Passphrases in
//! events cross as bytes, are moved into wiped-on-drop buffers at once, and
//! never appear in `Debug`.

mod alert_screens;
mod effects;
mod events;
mod info_screens;
mod notes_screens;
mod view;

pub use alert_screens::*;
pub use effects::AppEffect;
pub use events::{AppEvent, ContactForm, EntryForm, SmsSendResult};
pub use info_screens::*;
pub use notes_screens::*;
pub use view::{AppView, Notice, ScreenBody};

use crate::error::FfiResult;
use crate::profile::Parasol;
use chrono::{DateTime, Utc};
use parasol_core::app as core;
use parasol_core::app::view as core_view;
use std::sync::Arc;

pub(crate) fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(crate) fn secret(bytes: Vec<u8>) -> core::Secret {
    core::Secret::new(bytes)
}

/// What this build of the shell can do (declared once, at start).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct AppCapabilities {
    /// Sends SMS with nothing on screen (Android with SEND_SMS declared).
    pub silent_sms: bool,
    /// Opens a message composer the user sends from.
    pub sms_composer: bool,
    /// Wake-ups fire on time (Android exact alarms).
    pub exact_wakeups: bool,
    /// Can change the launcher name and icon.
    pub launcher_disguise: bool,
}

impl From<AppCapabilities> for core::Capabilities {
    fn from(c: AppCapabilities) -> Self {
        core::Capabilities {
            silent_sms: c.silent_sms,
            sms_composer: c.sms_composer,
            exact_wakeups: c.exact_wakeups,
            launcher_disguise: c.launcher_disguise,
        }
    }
}

mirror_enum!(
    /// A run-time permission.
    Permission = core::Permission {
        /// Sending SMS.
        Sms,
        /// Location while in use.
        Location,
        /// Notifications.
        Notifications,
        /// Exact alarms.
        ExactAlarms,
    }
);

mirror_enum!(
    /// Where a permission stands.
    PermissionStatus = core::PermissionStatus {
        /// Never asked.
        Unknown,
        /// Allowed.
        Granted,
        /// Refused; may be asked again.
        Denied,
        /// Refused for good: only the system settings change it.
        DeniedForever,
        /// No such permission on this platform.
        NotApplicable,
    }
);

/// A permission and its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct PermissionState {
    /// Which.
    pub permission: Permission,
    /// Its status.
    pub status: PermissionStatus,
}

pub(crate) fn permissions(
    list: Vec<PermissionState>,
) -> Vec<(core::Permission, core::PermissionStatus)> {
    list.into_iter()
        .map(|p| (p.permission.into(), p.status.into()))
        .collect()
}

mirror_enum!(
    /// A screen.
    Screen = core_view::Screen {
        /// Hold to alert.
        Alert,
        /// The check-in timer.
        Checkin,
        /// Helplines.
        Helplines,
        /// Rights and the self-check.
        Rights,
        /// The encrypted notes.
        Notes,
        /// Trusted contacts.
        Contacts,
        /// Settings.
        Settings,
    }
);

mirror_enum!(
    /// A notification slot (one notification on screen per slot).
    NotificationSlot = core::NotificationSlot {
        /// Check-in reminders.
        Checkin,
        /// Messages waiting for the user.
        Sending,
    }
);

mirror_enum!(
    /// Why a notification shows (worded neutrally by the shell).
    NotifyReason = core::NotifyReason {
        /// The check-in deadline.
        CheckinDeadline,
        /// Grace started: check in now.
        CheckinGrace,
        /// A message waits for the user to send it.
        SmsWaiting,
    }
);

/// The whole app for a shell: send it every event, perform the effects it
/// returns, render its view. Every call may block (disk, key derivation,
/// network): call from a background thread.
#[derive(Debug, uniffi::Object)]
pub struct App {
    inner: core::App,
}

#[uniffi::export]
impl App {
    /// The app over an open profile, for a shell that can do what
    /// `capabilities` says. Send `Started` next.
    #[uniffi::constructor]
    pub fn new(parasol: Arc<Parasol>, capabilities: AppCapabilities) -> FfiResult<Arc<Self>> {
        let alerts = parasol.alerts()?.inner.clone();
        let journal = parasol.journal().inner.clone();
        let inner = core::App::new(
            parasol.profile.clone(),
            alerts,
            journal,
            capabilities.into(),
        )?;
        Ok(Arc::new(App { inner }))
    }

    /// Handles one event; returns what the shell must do. An event the
    /// core cannot read (a location out of range) is refused.
    pub fn update(&self, event: AppEvent) -> FfiResult<Vec<AppEffect>> {
        let event = core::Event::try_from(event)?;
        Ok(self
            .inner
            .update(event)
            .into_iter()
            .map(Into::into)
            .collect())
    }

    /// What to show now.
    pub fn view(&self) -> AppView {
        self.inner.view().into()
    }
}
