//! The headless app over the FFI: the `App` object (`update`, `view`), its
//! events, effects, capabilities and view models. Translation only: every
//! screen and decision is in `parasol_core::app`.
//!
//! Times cross as milliseconds since the Unix epoch (UTC). Passphrases in
//! events cross as bytes, are moved into wiped-on-drop buffers at once, and
//! never appear in `Debug`.

use crate::alerts::{AlertLocation, CheckinState, ContactTriggers, DeliveryChannel};
use crate::error::{FfiResult, ParasolError};
use crate::helplines::ChannelKind;
use crate::journal::{EntryKind, IncidentDetails};
use crate::profile::Parasol;
use chrono::{DateTime, Utc};
use parasol_core::app as core;
use parasol_core::app::{policies, view};
use std::sync::Arc;

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn secret(bytes: Vec<u8>) -> core::Secret {
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

fn permissions(list: Vec<PermissionState>) -> Vec<(core::Permission, core::PermissionStatus)> {
    list.into_iter()
        .map(|p| (p.permission.into(), p.status.into()))
        .collect()
}

mirror_enum!(
    /// A screen.
    Screen = view::Screen {
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

/// The contact form as typed.
#[derive(Clone, uniffi::Record)]
pub struct ContactForm {
    /// Name.
    pub name: String,
    /// Phone number (blank: none).
    pub phone: String,
    /// HTTPS webhook (blank: none).
    pub webhook_url: String,
    /// Language of their messages (blank: English).
    pub language: String,
    /// Which alerts reach them.
    pub triggers: ContactTriggers,
}

impl std::fmt::Debug for ContactForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContactForm(<redacted>)")
    }
}

/// A note or report as typed.
#[derive(Clone, uniffi::Record)]
pub struct EntryForm {
    /// Kind.
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// Structured fields (blank: not said).
    pub incident: IncidentDetails,
}

impl std::fmt::Debug for EntryForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EntryForm(<redacted>)")
    }
}

/// What became of an SMS.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SmsSendResult {
    /// It left the phone.
    Sent,
    /// Delivery confirmed.
    Delivered,
    /// It did not go (retried later).
    Failed {
        /// Why (no number, no text).
        reason: String,
    },
    /// The user closed the composer unsent.
    Cancelled,
}

impl From<SmsSendResult> for core::SmsResult {
    fn from(r: SmsSendResult) -> Self {
        match r {
            SmsSendResult::Sent => core::SmsResult::Sent,
            SmsSendResult::Delivered => core::SmsResult::Delivered,
            SmsSendResult::Failed { reason } => core::SmsResult::Failed { reason },
            SmsSendResult::Cancelled => core::SmsResult::Cancelled,
        }
    }
}

/// Something that happened: the user's actions, the lifecycle, effect results.
#[derive(Clone, uniffi::Enum)]
pub enum AppEvent {
    /// Cold start, with every permission's status.
    Started {
        /// Statuses.
        permissions: Vec<PermissionState>,
    },
    /// Back in the foreground.
    Resumed {
        /// Statuses.
        permissions: Vec<PermissionState>,
    },
    /// Left the foreground.
    Backgrounded,
    /// The view's `refresh_in_ms` elapsed.
    TimerElapsed,
    /// A wake-up fired.
    WokeUp {
        /// The network job (else the timer).
        needs_network: bool,
    },
    /// A tab or link.
    Navigate {
        /// Where to.
        screen: Screen,
    },
    /// Back.
    Back,
    /// "Leave".
    QuickExit,
    /// A notification was tapped.
    NotificationTapped {
        /// Its reason.
        reason: NotifyReason,
    },
    /// A permission request finished.
    PermissionResult {
        /// Which and how.
        state: PermissionState,
    },
    /// The user tapped "allow".
    AllowPermission {
        /// Which.
        permission: Permission,
    },
    /// An SMS finished.
    SmsResult {
        /// The delivery.
        delivery_id: String,
        /// What happened.
        result: SmsSendResult,
    },
    /// A location fix (none: timed out or refused).
    LocationResult {
        /// The fix.
        fix: Option<AlertLocation>,
    },
    /// The finger went down on the alert button.
    HoldStarted,
    /// The finger lifted.
    HoldReleased,
    /// Screen readers: raise the alert without holding.
    TriggerNow,
    /// Stop the countdown.
    CancelCountdown,
    /// "I'm safe".
    ImSafe,
    /// Back to the button.
    DismissAlert,
    /// Open the composer for a waiting message.
    SendWaitingSms {
        /// The delivery.
        delivery_id: String,
    },
    /// Start the check-in timer.
    StartCheckin {
        /// Minutes.
        minutes: u32,
    },
    /// Extend it.
    ExtendCheckin {
        /// Minutes.
        minutes: u32,
    },
    /// "I'm OK".
    CheckIn,
    /// Stop it.
    StopCheckin,
    /// A helpline channel was tapped.
    TapChannel {
        /// The helpline.
        helpline_id: String,
        /// The channel index.
        channel: u32,
    },
    /// Choose the country.
    SelectCountry {
        /// ISO code.
        code: String,
    },
    /// Choose the reading languages.
    SetLanguages {
        /// BCP-47 tags, most preferred first.
        languages: Vec<String>,
    },
    /// Open a booklet section.
    OpenSection {
        /// Its id.
        id: String,
    },
    /// Search (blank clears).
    Search {
        /// The text.
        query: String,
    },
    /// Open a search result.
    OpenHit {
        /// Country.
        country: String,
        /// Section.
        section_id: String,
    },
    /// Open the self-check (from its intro: begin).
    StartSelfCheck,
    /// Answer (none: skip).
    AnswerSelfCheck {
        /// Yes, no, or skip.
        answer: Option<bool>,
    },
    /// Score the answers.
    FinishSelfCheck,
    /// Close the self-check (answers forgotten).
    CloseSelfCheck,
    /// Create the notes.
    CreateNotes {
        /// Passphrase bytes.
        passphrase: Vec<u8>,
        /// Typed again.
        confirmation: Vec<u8>,
    },
    /// Open the notes.
    Unlock {
        /// Passphrase bytes.
        passphrase: Vec<u8>,
    },
    /// Close the notes.
    Lock,
    /// Show an entry.
    OpenEntry {
        /// Its id.
        id: String,
    },
    /// Write a new entry.
    NewEntry {
        /// Kind.
        kind: EntryKind,
    },
    /// Edit an entry.
    EditEntry {
        /// Its id.
        id: String,
    },
    /// Save the editor.
    SaveEntry {
        /// As typed.
        form: EntryForm,
    },
    /// Delete an entry.
    DeleteEntry {
        /// Its id.
        id: String,
    },
    /// Write an encrypted backup to `path`, then share it.
    ExportNotes {
        /// Passphrase bytes.
        passphrase: Vec<u8>,
        /// An app-private file.
        path: String,
    },
    /// Add a contact.
    AddContact {
        /// As typed.
        form: ContactForm,
    },
    /// Remove a contact.
    RemoveContact {
        /// Its id.
        id: String,
    },
    /// Send a test message.
    TestContact {
        /// Its id.
        id: String,
    },
    /// Set the second passphrase.
    SetSecondPassphrase {
        /// Current passphrase bytes.
        current: Vec<u8>,
        /// The second passphrase.
        passphrase: Vec<u8>,
        /// Typed again.
        confirmation: Vec<u8>,
        /// Opens a separate, harmless set of notes.
        open_decoy: bool,
        /// Sends a silent alert.
        alert: bool,
        /// Erases everything.
        erase: bool,
    },
    /// Remove the second passphrase.
    ClearSecondPassphrase {
        /// Current passphrase bytes.
        current: Vec<u8>,
    },
    /// Erase after this many failed unlocks (none: never).
    SetEraseAfterFailures {
        /// Current passphrase bytes.
        current: Vec<u8>,
        /// The limit.
        limit: Option<u32>,
    },
    /// Erase: first step.
    RequestErase,
    /// Erase: second step.
    ConfirmErase,
    /// Erase: back out.
    CancelErase,
    /// Disguise on or off.
    SetDisguise {
        /// On.
        on: bool,
    },
}

impl std::fmt::Debug for AppEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The core's Debug redacts secrets, forms and locations.
        match core::Event::try_from(self.clone()) {
            Ok(e) => write!(f, "{e:?}"),
            Err(_) => f.write_str("AppEvent(<invalid>)"),
        }
    }
}

impl TryFrom<AppEvent> for core::Event {
    type Error = ParasolError;

    fn try_from(e: AppEvent) -> Result<Self, ParasolError> {
        use core::Event as C;
        use AppEvent as A;
        Ok(match e {
            A::Started { permissions: p } => C::Started {
                permissions: permissions(p),
            },
            A::Resumed { permissions: p } => C::Resumed {
                permissions: permissions(p),
            },
            A::Backgrounded => C::Backgrounded,
            A::TimerElapsed => C::TimerElapsed,
            A::WokeUp { needs_network } => C::WokeUp { needs_network },
            A::Navigate { screen } => C::Navigate {
                screen: screen.into(),
            },
            A::Back => C::Back,
            A::QuickExit => C::QuickExit,
            A::NotificationTapped { reason } => C::NotificationTapped {
                reason: reason.into(),
            },
            A::PermissionResult { state } => C::PermissionResult {
                permission: state.permission.into(),
                status: state.status.into(),
            },
            A::AllowPermission { permission } => C::AllowPermission {
                permission: permission.into(),
            },
            A::SmsResult {
                delivery_id,
                result,
            } => C::SmsResult {
                delivery_id,
                result: result.into(),
            },
            A::LocationResult { fix } => C::LocationResult {
                fix: fix.map(AlertLocation::to_core).transpose()?,
            },
            A::HoldStarted => C::HoldStarted,
            A::HoldReleased => C::HoldReleased,
            A::TriggerNow => C::TriggerNow,
            A::CancelCountdown => C::CancelCountdown,
            A::ImSafe => C::ImSafe,
            A::DismissAlert => C::DismissAlert,
            A::SendWaitingSms { delivery_id } => C::SendWaitingSms { delivery_id },
            A::StartCheckin { minutes } => C::StartCheckin { minutes },
            A::ExtendCheckin { minutes } => C::ExtendCheckin { minutes },
            A::CheckIn => C::CheckIn,
            A::StopCheckin => C::StopCheckin,
            A::TapChannel {
                helpline_id,
                channel,
            } => C::TapChannel {
                helpline_id,
                channel,
            },
            A::SelectCountry { code } => C::SelectCountry { code },
            A::SetLanguages { languages } => C::SetLanguages { languages },
            A::OpenSection { id } => C::OpenSection { id },
            A::Search { query } => C::Search { query },
            A::OpenHit {
                country,
                section_id,
            } => C::OpenHit {
                country,
                section_id,
            },
            A::StartSelfCheck => C::StartSelfCheck,
            A::AnswerSelfCheck { answer } => C::AnswerSelfCheck { answer },
            A::FinishSelfCheck => C::FinishSelfCheck,
            A::CloseSelfCheck => C::CloseSelfCheck,
            A::CreateNotes {
                passphrase,
                confirmation,
            } => C::CreateNotes {
                passphrase: secret(passphrase),
                confirmation: secret(confirmation),
            },
            A::Unlock { passphrase } => C::Unlock {
                passphrase: secret(passphrase),
            },
            A::Lock => C::Lock,
            A::OpenEntry { id } => C::OpenEntry { id },
            A::NewEntry { kind } => C::NewEntry { kind: kind.into() },
            A::EditEntry { id } => C::EditEntry { id },
            A::SaveEntry { form } => C::SaveEntry {
                form: core::EntryForm {
                    kind: form.kind.into(),
                    title: form.title,
                    body: form.body,
                    incident: form.incident.into(),
                },
            },
            A::DeleteEntry { id } => C::DeleteEntry { id },
            A::ExportNotes { passphrase, path } => C::ExportNotes {
                passphrase: secret(passphrase),
                path,
            },
            A::AddContact { form } => C::AddContact {
                form: core::ContactForm {
                    name: form.name,
                    phone: form.phone,
                    webhook_url: form.webhook_url,
                    language: form.language,
                    triggers: form.triggers.into(),
                },
            },
            A::RemoveContact { id } => C::RemoveContact { id },
            A::TestContact { id } => C::TestContact { id },
            A::SetSecondPassphrase {
                current,
                passphrase,
                confirmation,
                open_decoy,
                alert,
                erase,
            } => C::SetSecondPassphrase {
                current: secret(current),
                passphrase: secret(passphrase),
                confirmation: secret(confirmation),
                open_decoy,
                alert,
                erase,
            },
            A::ClearSecondPassphrase { current } => C::ClearSecondPassphrase {
                current: secret(current),
            },
            A::SetEraseAfterFailures { current, limit } => C::SetEraseAfterFailures {
                current: secret(current),
                limit,
            },
            A::RequestErase => C::RequestErase,
            A::ConfirmErase => C::ConfirmErase,
            A::CancelErase => C::CancelErase,
            A::SetDisguise { on } => C::SetDisguise { on },
        })
    }
}

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

mirror_enum!(
    /// A short message for the user (worded by the shell).
    Notice = view::Notice {
        /// The passphrase did not open the notes.
        WrongPassphrase,
        /// The notes are locked.
        Locked,
        /// Something typed was refused.
        InvalidInput,
        /// Not there.
        NotFound,
        /// No connection: kept and retried.
        Network,
        /// Storage failed.
        Storage,
        /// A phone service failed.
        Platform,
        /// Anything else.
        Other,
        /// The two passphrases differ.
        Mismatch,
        /// Add a contact first.
        NoContacts,
        /// Saved.
        Saved,
        /// A test message is on its way.
        TestQueued,
        /// Nothing safe to open.
        NothingToOpen,
    }
);

mirror_enum!(
    /// How a message reads: one label per state.
    DeliveryLabel = policies::DeliveryLabel {
        /// Given up.
        NotSent,
        /// Not needed any more.
        NotNeeded,
        /// Waiting.
        Waiting,
        /// Will try again.
        Retrying,
        /// Sending.
        Sending,
        /// The user must tap send.
        TapToSend,
        /// Left the phone.
        Sent,
        /// Received.
        Delivered,
    }
);

mirror_enum!(
    /// How SMS goes for a visible alert.
    SmsNote = view::SmsNote {
        /// Each one opens for the user to send.
        NeedsTap,
        /// Waits for the permission.
        NotAllowed,
        /// This phone cannot send SMS.
        Unavailable,
    }
);

/// One channel of a contact's row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChannelDelivery {
    /// SMS, webhook or push.
    pub channel: DeliveryChannel,
    /// Its label.
    pub label: DeliveryLabel,
    /// The delivery (for `SendWaitingSms`).
    pub delivery_id: String,
}

/// One contact and how the message reached them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactDeliveryRow {
    /// The contact.
    pub contact_id: String,
    /// Name (none: removed since).
    pub name: Option<String>,
    /// The furthest label.
    pub label: DeliveryLabel,
    /// The user must send a message to this contact.
    pub needs_you: bool,
    /// Each channel.
    pub channels: Vec<ChannelDelivery>,
}

fn rows(rows: Vec<policies::DeliveryRow>) -> Vec<ContactDeliveryRow> {
    rows.into_iter()
        .map(|r| ContactDeliveryRow {
            needs_you: r.needs_you(),
            contact_id: r.contact_id,
            name: r.name,
            label: r.label.into(),
            channels: r
                .channels
                .into_iter()
                .map(|c| ChannelDelivery {
                    channel: c.channel.into(),
                    label: c.label.into(),
                    delivery_id: c.delivery_id,
                })
                .collect(),
        })
        .collect()
}

/// "2 of 3 reached".
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DeliverySummary {
    /// Reached.
    pub reached: u32,
    /// Written to.
    pub total: u32,
    /// Waiting for the user.
    pub waiting_for_you: u32,
}

/// The alert screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AlertScreen {
    /// The button.
    Ready {
        /// Hold this long (ms).
        hold_ms: u32,
        /// Held so far (ms; none: not pressed).
        held_ms: Option<u32>,
        /// The countdown that follows (s).
        countdown_seconds: u32,
        /// Contacts reached by it.
        contacts: u32,
        /// How SMS goes.
        sms: Option<SmsNote>,
    },
    /// Counting down.
    Countdown {
        /// Seconds left.
        seconds_left: u32,
        /// When it goes (ms).
        fires_at_ms: i64,
    },
    /// Sent.
    Sent {
        /// One row per contact.
        rows: Vec<ContactDeliveryRow>,
        /// The headline.
        summary: DeliverySummary,
        /// A location went with it.
        has_location: bool,
        /// How SMS goes.
        sms: Option<SmsNote>,
    },
    /// Over.
    Ended {
        /// Something had gone out.
        sent_something: bool,
        /// Who is told "I'm safe".
        safe_rows: Vec<ContactDeliveryRow>,
    },
}

/// The check-in screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CheckinScreen {
    /// No timer.
    Idle {
        /// Durations offered (minutes).
        choices: Vec<u32>,
        /// How the last one ended.
        last: Option<CheckinState>,
        /// Reminders can show.
        reminders_allowed: bool,
    },
    /// Running.
    Running {
        /// Check in by (ms).
        deadline_ms: i64,
        /// The alert goes then (ms).
        grace_ends_ms: i64,
        /// Past the deadline.
        in_grace: bool,
        /// Time left (ms).
        time_left_ms: i64,
        /// "1:05:09".
        time_left_text: String,
        /// Extensions offered (minutes).
        extend_choices: Vec<u32>,
        /// Reminders can show.
        reminders_allowed: bool,
    },
}

mirror_enum!(
    /// Whether a helpline answers now.
    OpenState = view::OpenState {
        /// Open now.
        OpenNow,
        /// Hours not known.
        HoursUnknown,
        /// Closed now.
        Closed,
    }
);

mirror_enum!(
    /// A fact worth showing about a helpline.
    HelplineFlag = view::HelplineFlag {
        /// Free.
        Free,
        /// Anonymous.
        Anonymous,
        /// Not on the bill.
        NotOnBill,
        /// Only from inside the country.
        DomesticOnly,
    }
);

mirror_enum!(
    /// What a tap opens.
    TapKind = view::TapKind {
        /// The dialler.
        Call,
        /// Messages.
        Text,
        /// A page or messaging app.
        Open,
        /// Mail.
        Email,
    }
);

/// One way to reach a helpline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineChannelRow {
    /// Pass back in `TapChannel`.
    pub index: u32,
    /// Phone, SMS, chat...
    pub kind: ChannelKind,
    /// What to show.
    pub text: String,
    /// What a tap does (none: nothing safe).
    pub action: Option<TapKind>,
}

/// One helpline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// One line.
    pub description: Option<String>,
    /// Facts.
    pub flags: Vec<HelplineFlag>,
    /// Caveats.
    pub caveats: Vec<String>,
    /// Channels.
    pub channels: Vec<HelplineChannelRow>,
}

/// Helplines in one state.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineGroup {
    /// Open, unknown or closed.
    pub state: OpenState,
    /// The helplines.
    pub lines: Vec<HelplineRow>,
}

/// A country to choose.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CountryRow {
    /// ISO code.
    pub code: String,
    /// Name.
    pub name: String,
    /// A full booklet.
    pub full: bool,
}

fn countries(c: Vec<view::CountryRow>) -> Vec<CountryRow> {
    c.into_iter()
        .map(|c| CountryRow {
            code: c.code,
            name: c.name,
            full: c.full,
        })
        .collect()
}

/// The helplines screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum HelplinesScreen {
    /// No country yet.
    ChooseCountry {
        /// Countries.
        countries: Vec<CountryRow>,
    },
    /// The directory.
    Directory {
        /// Country.
        country: String,
        /// Non-empty groups.
        groups: Vec<HelplineGroup>,
    },
}

/// A section heading.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SectionRow {
    /// Id.
    pub id: String,
    /// Heading.
    pub title: String,
}

/// Where a section's facts come from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SourceRow {
    /// What it is.
    pub title: String,
    /// Where.
    pub url: String,
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HitRow {
    /// Country.
    pub country: String,
    /// Section.
    pub section_id: String,
    /// Title.
    pub title: String,
    /// Excerpt.
    pub snippet: String,
}

/// The self-check, one step at a time.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SelfCheckStep {
    /// Before the questions.
    Intro {
        /// Title.
        title: String,
        /// Introduction.
        intro: String,
        /// Caveat.
        caveat: String,
    },
    /// One question.
    Question {
        /// 0-based.
        index: u32,
        /// In all.
        count: u32,
        /// The question.
        text: String,
        /// The answer given, if any.
        answer: Option<bool>,
    },
    /// After the last question.
    Finish {
        /// Answered.
        answered: u32,
        /// In all.
        count: u32,
    },
    /// The result (never a verdict).
    Outcome {
        /// Text.
        text: String,
        /// Caveat.
        caveat: String,
    },
}

/// The rights screens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RightsScreen {
    /// No country yet.
    ChooseCountry {
        /// Countries.
        countries: Vec<CountryRow>,
    },
    /// Sections, or search results.
    Booklet {
        /// Country.
        country: String,
        /// Its name.
        name: String,
        /// Language shown.
        lang: String,
        /// Not the first language.
        fallback: bool,
        /// Not yet checked by a fluent reader.
        machine_assisted: bool,
        /// Sections.
        sections: Vec<SectionRow>,
        /// Search text.
        query: String,
        /// Results.
        hits: Vec<HitRow>,
    },
    /// One section.
    Section {
        /// Country.
        country: String,
        /// Heading.
        title: String,
        /// Text.
        body: String,
        /// Language shown.
        lang: String,
        /// Not the first language.
        fallback: bool,
        /// Not yet checked by a fluent reader.
        machine_assisted: bool,
        /// Last checked (YYYY-MM-DD).
        last_reviewed: String,
        /// Sources.
        sources: Vec<SourceRow>,
    },
    /// The self-check.
    SelfCheck {
        /// The step.
        step: SelfCheckStep,
    },
}

/// One entry in the list.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct EntryRow {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
}

/// The notes screens.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum NotesScreen {
    /// Choose a passphrase.
    Setup,
    /// Locked.
    Locked {
        /// Failed attempts.
        failed_attempts: u32,
        /// Erased after this many.
        erase_after: Option<u32>,
    },
    /// Titles, newest first.
    Titles {
        /// Entries.
        entries: Vec<EntryRow>,
    },
    /// One entry.
    Entry {
        /// Id.
        id: String,
        /// Kind.
        kind: EntryKind,
        /// Title.
        title: String,
        /// Text.
        body: String,
        /// Structured fields.
        incident: Option<IncidentDetails>,
        /// Last changed (ms).
        updated_at_ms: i64,
    },
    /// Writing or editing.
    Editor {
        /// The entry edited (none: new).
        id: Option<String>,
        /// Kind.
        kind: EntryKind,
        /// Title.
        title: String,
        /// Text.
        body: String,
        /// Structured fields.
        incident: IncidentDetails,
    },
}

/// One contact and what reaches them on this phone.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Every channel.
    pub channels: Vec<DeliveryChannel>,
    /// Which alerts reach them.
    pub triggers: ContactTriggers,
    /// Channels carrying a visible alert.
    pub visible: Vec<DeliveryChannel>,
    /// Their SMS needs the user to tap send.
    pub sms_needs_tap: bool,
    /// Channels carrying a silent alert.
    pub silent: Vec<DeliveryChannel>,
    /// A silent alert's SMS waits for a permission.
    pub silent_sms_waits: bool,
}

fn channels(c: Vec<parasol_core::alerts::Channel>) -> Vec<DeliveryChannel> {
    c.into_iter().map(Into::into).collect()
}

/// The two-step erase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum EraseStep {
    /// Not asked.
    Idle,
    /// Armed.
    Confirming {
        /// Seconds left to confirm.
        seconds_left: u32,
    },
}

/// The settings screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SettingsScreen {
    /// Disguised.
    pub disguised: bool,
    /// The launcher entry can change.
    pub can_disguise: bool,
    /// The erase confirmation.
    pub erase: EraseStep,
    /// Permissions.
    pub permissions: Vec<PermissionState>,
    /// Contacts a silent alert cannot reach here.
    pub silent_unreachable: Vec<String>,
}

/// The current screen's content.
#[derive(Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ScreenBody {
    /// Alert.
    Alert {
        /// Content.
        view: AlertScreen,
    },
    /// Check-in.
    Checkin {
        /// Content.
        view: CheckinScreen,
    },
    /// Helplines.
    Helplines {
        /// Content.
        view: HelplinesScreen,
    },
    /// Rights.
    Rights {
        /// Content.
        view: RightsScreen,
    },
    /// Notes.
    Notes {
        /// Content.
        view: NotesScreen,
    },
    /// Contacts.
    Contacts {
        /// Content, in the order added.
        rows: Vec<ContactRow>,
    },
    /// Settings.
    Settings {
        /// Content.
        view: SettingsScreen,
    },
}

/// Everything on screen.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct AppView {
    /// The screen.
    pub screen: Screen,
    /// Tabs, in order.
    pub tabs: Vec<Screen>,
    /// Screenshots and previews blocked.
    pub secure: bool,
    /// Disguised.
    pub disguised: bool,
    /// The last notice.
    pub notice: Option<Notice>,
    /// Send `TimerElapsed` after this many ms.
    pub refresh_in_ms: Option<u32>,
    /// The content.
    pub body: ScreenBody,
}

impl std::fmt::Debug for AppView {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppView")
            .field("screen", &self.screen)
            .field("notice", &self.notice)
            .finish_non_exhaustive()
    }
}

fn alert_screen(v: view::AlertView) -> AlertScreen {
    match v {
        view::AlertView::Ready {
            hold_ms,
            held_ms,
            countdown_seconds,
            contacts,
            sms,
        } => AlertScreen::Ready {
            hold_ms,
            held_ms,
            countdown_seconds,
            contacts,
            sms: sms.map(Into::into),
        },
        view::AlertView::Countdown {
            seconds_left,
            fires_at,
        } => AlertScreen::Countdown {
            seconds_left,
            fires_at_ms: ms(fires_at),
        },
        view::AlertView::Sent {
            rows: r,
            summary,
            has_location,
            sms,
        } => AlertScreen::Sent {
            rows: rows(r),
            summary: DeliverySummary {
                reached: summary.reached,
                total: summary.total,
                waiting_for_you: summary.waiting_for_you,
            },
            has_location,
            sms: sms.map(Into::into),
        },
        view::AlertView::Ended {
            sent_something,
            safe_rows,
        } => AlertScreen::Ended {
            sent_something,
            safe_rows: rows(safe_rows),
        },
    }
}

fn checkin_screen(v: view::CheckinView) -> CheckinScreen {
    match v {
        view::CheckinView::Idle {
            choices,
            last,
            reminders_allowed,
        } => CheckinScreen::Idle {
            choices,
            last: last.map(Into::into),
            reminders_allowed,
        },
        view::CheckinView::Running {
            deadline,
            grace_ends,
            in_grace,
            time_left_ms,
            time_left_text,
            extend_choices,
            reminders_allowed,
        } => CheckinScreen::Running {
            deadline_ms: ms(deadline),
            grace_ends_ms: ms(grace_ends),
            in_grace,
            time_left_ms,
            time_left_text,
            extend_choices,
            reminders_allowed,
        },
    }
}

fn helplines_screen(v: view::HelplinesView) -> HelplinesScreen {
    match v {
        view::HelplinesView::ChooseCountry { countries: c } => HelplinesScreen::ChooseCountry {
            countries: countries(c),
        },
        view::HelplinesView::List { country, groups } => HelplinesScreen::Directory {
            country,
            groups: groups
                .into_iter()
                .map(|g| HelplineGroup {
                    state: g.state.into(),
                    lines: g
                        .lines
                        .into_iter()
                        .map(|l| HelplineRow {
                            id: l.id,
                            name: l.name,
                            description: l.description,
                            flags: l.flags.into_iter().map(Into::into).collect(),
                            caveats: l.caveats,
                            channels: l
                                .channels
                                .into_iter()
                                .map(|c| HelplineChannelRow {
                                    index: c.index,
                                    kind: c.kind.into(),
                                    text: c.text,
                                    action: c.action.map(Into::into),
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        },
    }
}

fn rights_screen(v: view::RightsView) -> RightsScreen {
    match v {
        view::RightsView::ChooseCountry { countries: c } => RightsScreen::ChooseCountry {
            countries: countries(c),
        },
        view::RightsView::Booklet {
            country,
            name,
            lang,
            fallback,
            machine_assisted,
            sections,
            query,
            hits,
        } => RightsScreen::Booklet {
            country,
            name,
            lang,
            fallback,
            machine_assisted,
            sections: sections
                .into_iter()
                .map(|s| SectionRow {
                    id: s.id,
                    title: s.title,
                })
                .collect(),
            query,
            hits: hits
                .into_iter()
                .map(|h| HitRow {
                    country: h.country,
                    section_id: h.section_id,
                    title: h.title,
                    snippet: h.snippet,
                })
                .collect(),
        },
        view::RightsView::Section {
            country,
            title,
            body,
            lang,
            fallback,
            machine_assisted,
            last_reviewed,
            sources,
        } => RightsScreen::Section {
            country,
            title,
            body,
            lang,
            fallback,
            machine_assisted,
            last_reviewed,
            sources: sources
                .into_iter()
                .map(|s| SourceRow {
                    title: s.title,
                    url: s.url,
                })
                .collect(),
        },
        view::RightsView::SelfCheck(step) => RightsScreen::SelfCheck {
            step: match step {
                view::SelfCheckView::Intro {
                    title,
                    intro,
                    caveat,
                } => SelfCheckStep::Intro {
                    title,
                    intro,
                    caveat,
                },
                view::SelfCheckView::Question {
                    index,
                    count,
                    text,
                    answer,
                } => SelfCheckStep::Question {
                    index,
                    count,
                    text,
                    answer,
                },
                view::SelfCheckView::Finish { answered, count } => {
                    SelfCheckStep::Finish { answered, count }
                }
                view::SelfCheckView::Result { text, caveat } => {
                    SelfCheckStep::Outcome { text, caveat }
                }
            },
        },
    }
}

fn notes_screen(v: view::NotesView) -> NotesScreen {
    match v {
        view::NotesView::Setup => NotesScreen::Setup,
        view::NotesView::Locked {
            failed_attempts,
            erase_after,
        } => NotesScreen::Locked {
            failed_attempts,
            erase_after,
        },
        view::NotesView::List { entries } => NotesScreen::Titles {
            entries: entries
                .into_iter()
                .map(|e| EntryRow {
                    id: e.id,
                    title: e.title,
                })
                .collect(),
        },
        view::NotesView::Entry {
            id,
            kind,
            title,
            body,
            incident,
            updated_at,
        } => NotesScreen::Entry {
            id,
            kind: kind.into(),
            title,
            body,
            incident: incident.as_ref().map(Into::into),
            updated_at_ms: ms(updated_at),
        },
        view::NotesView::Editor {
            id,
            kind,
            title,
            body,
            incident,
        } => NotesScreen::Editor {
            id,
            kind: kind.into(),
            title,
            body,
            incident: (&incident).into(),
        },
    }
}

fn body(b: view::Body) -> ScreenBody {
    match b {
        view::Body::Alert(v) => ScreenBody::Alert {
            view: alert_screen(v),
        },
        view::Body::Checkin(v) => ScreenBody::Checkin {
            view: checkin_screen(v),
        },
        view::Body::Helplines(v) => ScreenBody::Helplines {
            view: helplines_screen(v),
        },
        view::Body::Rights(v) => ScreenBody::Rights {
            view: rights_screen(v),
        },
        view::Body::Notes(v) => ScreenBody::Notes {
            view: notes_screen(v),
        },
        view::Body::Contacts(v) => ScreenBody::Contacts {
            rows: v
                .rows
                .into_iter()
                .map(|r| ContactRow {
                    id: r.id,
                    name: r.name,
                    channels: channels(r.channels),
                    triggers: r.triggers.into(),
                    visible: channels(r.visible),
                    sms_needs_tap: r.sms_needs_tap,
                    silent: channels(r.silent),
                    silent_sms_waits: r.silent_sms_waits,
                })
                .collect(),
        },
        view::Body::Settings(s) => ScreenBody::Settings {
            view: SettingsScreen {
                disguised: s.disguised,
                can_disguise: s.can_disguise,
                erase: match s.erase {
                    view::EraseStep::Idle => EraseStep::Idle,
                    view::EraseStep::Confirming { seconds_left } => {
                        EraseStep::Confirming { seconds_left }
                    }
                },
                permissions: s
                    .permissions
                    .into_iter()
                    .map(|p| PermissionState {
                        permission: p.permission.into(),
                        status: p.status.into(),
                    })
                    .collect(),
                silent_unreachable: s.silent_unreachable,
            },
        },
    }
}

impl From<view::ViewModel> for AppView {
    fn from(v: view::ViewModel) -> Self {
        AppView {
            screen: v.screen.into(),
            tabs: v.tabs.into_iter().map(Into::into).collect(),
            secure: v.secure,
            disguised: v.disguised,
            notice: v.notice.map(Into::into),
            refresh_in_ms: v.refresh_in_ms,
            body: body(v.body),
        }
    }
}

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
