//! What the shell can do (declared once, when the app starts) and what the
//! user has allowed (reported at start, on resume and after every request).
//!
//! From these two the core decides how an SMS leaves the phone
//! ([`sms_route`]) and tells the user, per contact, which channels carry a
//! visible or a silent alert ([`coverage`]). A silent alert is never routed
//! to a composer: a composer shows the message on screen.

use crate::alerts::{Channel, Contact};
use serde::Serialize;

/// What this build of the shell can do. Declared once by the shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Capabilities {
    /// Can send an SMS with nothing on screen (Android with `SEND_SMS` in
    /// the manifest). False on iOS and on Android builds without it.
    pub silent_sms: bool,
    /// Can open a message composer the user sends from (iOS
    /// `MFMessageComposeViewController`, Android `ACTION_SENDTO`).
    pub sms_composer: bool,
    /// Wake-ups fire on time (Android exact alarms). False where the system
    /// decides when background work runs (iOS).
    pub exact_wakeups: bool,
    /// Can change the launcher name and icon: Android activity-alias; iOS
    /// alternate app icons, when `UIApplication.supportsAlternateIcons`
    /// (the label under the icon cannot change on iOS; the icon can).
    pub launcher_disguise: bool,
}

/// A permission the user grants at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Permission {
    /// Sending SMS (Android `SEND_SMS`).
    Sms,
    /// Location while the app is in use.
    Location,
    /// Showing notifications (Android 13+ `POST_NOTIFICATIONS`, iOS alerts).
    Notifications,
    /// Exact alarms (Android 12+ `SCHEDULE_EXACT_ALARM`).
    ExactAlarms,
}

impl Permission {
    /// Every permission, in the order the settings screen lists them.
    pub const ALL: [Permission; 4] = [
        Permission::Sms,
        Permission::Location,
        Permission::Notifications,
        Permission::ExactAlarms,
    ];
}

/// Where a permission stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PermissionStatus {
    /// Never asked (or not reported yet).
    #[default]
    Unknown,
    /// Allowed.
    Granted,
    /// Refused; the system may ask again.
    Denied,
    /// Refused with "don't ask again": only the system settings can change it.
    DeniedForever,
    /// This platform has no such permission (it is always available or
    /// never is; [`Capabilities`] says which).
    NotApplicable,
}

impl PermissionStatus {
    /// Whether what the permission guards may be used.
    pub fn allows(self) -> bool {
        matches!(
            self,
            PermissionStatus::Granted | PermissionStatus::NotApplicable
        )
    }
}

/// The status of every permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Permissions {
    statuses: [PermissionStatus; 4],
}

impl Permissions {
    fn index(p: Permission) -> usize {
        Permission::ALL.iter().position(|x| *x == p).unwrap_or(0)
    }

    /// The status of `p`.
    pub fn get(&self, p: Permission) -> PermissionStatus {
        self.statuses[Self::index(p)]
    }

    /// Records the status of `p`.
    pub fn set(&mut self, p: Permission, status: PermissionStatus) {
        self.statuses[Self::index(p)] = status;
    }

    /// Whether the core should ask for `p` now (never asked, or refused
    /// once): a refusal "forever" is not asked again without the user's tap.
    pub fn worth_asking(&self, p: Permission) -> bool {
        matches!(
            self.get(p),
            PermissionStatus::Unknown | PermissionStatus::Denied
        )
    }
}

/// How one SMS leaves the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsRoute {
    /// Sent by the shell with nothing on screen; it reports the result.
    Silent,
    /// Shown in a composer; the user sends it.
    Composer,
    /// Not now (no permission yet): retried later.
    Wait(&'static str),
    /// Never on this phone: the delivery fails at once, other channels carry the alert.
    Impossible(&'static str),
}

/// Why a silent SMS cannot go on a phone without silent SMS.
pub const NO_SILENT_SMS: &str = "this phone cannot send a text message without showing it";
/// Why an SMS waits.
pub const SMS_NOT_ALLOWED: &str = "sending text messages is not allowed yet";
/// Why an SMS cannot go at all.
pub const NO_SMS: &str = "this phone cannot send text messages";

/// Decides how an SMS goes. A silent message never goes to a composer.
pub fn sms_route(caps: &Capabilities, sms: PermissionStatus, silent: bool) -> SmsRoute {
    let allowed = caps.silent_sms && sms.allows();
    match (silent, allowed) {
        (_, true) => SmsRoute::Silent,
        (true, false) if caps.silent_sms => SmsRoute::Wait(SMS_NOT_ALLOWED),
        (true, false) => SmsRoute::Impossible(NO_SILENT_SMS),
        (false, false) if caps.sms_composer => SmsRoute::Composer,
        (false, false) if caps.silent_sms => SmsRoute::Wait(SMS_NOT_ALLOWED),
        (false, false) => SmsRoute::Impossible(NO_SMS),
    }
}

/// Which channels of a contact carry an alert on this phone, now.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Coverage {
    /// Channels that carry a visible alert without the user.
    pub visible: Vec<Channel>,
    /// The contact's SMS needs the user to tap send (composer).
    pub sms_needs_tap: bool,
    /// Channels that carry a silent alert (nothing on screen).
    pub silent: Vec<Channel>,
    /// The SMS of a silent alert waits for a permission.
    pub silent_sms_waits: bool,
}

/// What reaches `contact` on this phone.
pub fn coverage(contact: &Contact, caps: &Capabilities, sms: PermissionStatus) -> Coverage {
    let mut c = Coverage::default();
    for ch in contact.channels() {
        if ch != Channel::Sms {
            c.visible.push(ch);
            c.silent.push(ch);
            continue;
        }
        match sms_route(caps, sms, false) {
            SmsRoute::Silent => c.visible.push(ch),
            SmsRoute::Composer => c.sms_needs_tap = true,
            _ => {}
        }
        match sms_route(caps, sms, true) {
            SmsRoute::Silent => c.silent.push(ch),
            SmsRoute::Wait(_) => c.silent_sms_waits = true,
            _ => {}
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use PermissionStatus as P;

    const ANDROID: Capabilities = Capabilities {
        silent_sms: true,
        sms_composer: true,
        exact_wakeups: true,
        launcher_disguise: true,
    };
    const IOS: Capabilities = Capabilities {
        silent_sms: false,
        sms_composer: true,
        exact_wakeups: false,
        launcher_disguise: false,
    };

    #[test]
    fn a_silent_sms_never_goes_to_a_composer() {
        for caps in [ANDROID, IOS, Capabilities::default()] {
            for status in [
                P::Unknown,
                P::Granted,
                P::Denied,
                P::DeniedForever,
                P::NotApplicable,
            ] {
                assert_ne!(sms_route(&caps, status, true), SmsRoute::Composer);
            }
        }
        assert_eq!(
            sms_route(&IOS, P::NotApplicable, true),
            SmsRoute::Impossible(NO_SILENT_SMS)
        );
        assert_eq!(
            sms_route(&ANDROID, P::Denied, true),
            SmsRoute::Wait(SMS_NOT_ALLOWED)
        );
        assert_eq!(sms_route(&ANDROID, P::Granted, true), SmsRoute::Silent);
    }

    #[test]
    fn a_visible_sms_falls_back_to_the_composer() {
        assert_eq!(sms_route(&ANDROID, P::Granted, false), SmsRoute::Silent);
        assert_eq!(
            sms_route(&ANDROID, P::DeniedForever, false),
            SmsRoute::Composer
        );
        assert_eq!(sms_route(&IOS, P::NotApplicable, false), SmsRoute::Composer);
        let no_composer = Capabilities {
            sms_composer: false,
            ..ANDROID
        };
        assert_eq!(
            sms_route(&no_composer, P::Denied, false),
            SmsRoute::Wait(SMS_NOT_ALLOWED)
        );
        assert_eq!(
            sms_route(&Capabilities::default(), P::Granted, false),
            SmsRoute::Impossible(NO_SMS)
        );
    }

    #[test]
    fn permissions_refused_forever_are_not_asked_again() {
        let mut p = Permissions::default();
        assert!(p.worth_asking(Permission::Sms));
        p.set(Permission::Sms, P::Denied);
        assert!(p.worth_asking(Permission::Sms));
        p.set(Permission::Sms, P::DeniedForever);
        assert!(!p.worth_asking(Permission::Sms));
        p.set(Permission::Location, P::Granted);
        assert!(!p.worth_asking(Permission::Location));
        assert_eq!(p.get(Permission::Sms), P::DeniedForever);
    }
}
