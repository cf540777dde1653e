//! The app's events over the FFI (passphrases as bytes, moved into wiped
//! buffers at once) and their translation to the core's.

use super::{permissions, secret, NotifyReason, Permission, PermissionState, Screen};
use crate::alerts::{AlertLocation, ContactTriggers};
use crate::error::ParasolError;
use crate::journal::{EntryKind, IncidentDetails};
use parasol_core::app as core;

/// The contact form as typed.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
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
    /// Matrix ID, `@name:server` (blank: none).
    pub matrix_id: String,
    /// The innocuous phrase a silent alert sends by SMS instead (blank: none).
    pub sms_code_phrase: String,
}

impl From<ContactForm> for core::ContactForm {
    fn from(f: ContactForm) -> Self {
        core::ContactForm {
            name: f.name,
            phone: f.phone,
            webhook_url: f.webhook_url,
            language: f.language,
            triggers: f.triggers.into(),
            matrix_id: f.matrix_id,
            sms_code_phrase: f.sms_code_phrase,
        }
    }
}

impl From<core::ContactForm> for ContactForm {
    fn from(f: core::ContactForm) -> Self {
        ContactForm {
            name: f.name,
            phone: f.phone,
            webhook_url: f.webhook_url,
            language: f.language,
            triggers: f.triggers.into(),
            matrix_id: f.matrix_id,
            sms_code_phrase: f.sms_code_phrase,
        }
    }
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
    /// Start a hold ("walking home"), kept alive by the core's wake-ups.
    StartHold {
        /// Seconds after the last keep-alive the alert goes.
        delay_seconds: u32,
    },
    /// Let go of the hold: the alert goes at its deadline unless the PIN comes first.
    ReleaseHold,
    /// End the hold without an alert.
    ConfirmHold {
        /// PIN bytes.
        pin: Vec<u8>,
    },
    /// Set the hold PIN (`None` removes it).
    SetHoldPin {
        /// PIN bytes.
        pin: Option<Vec<u8>>,
    },
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
    /// Search the notes (blank clears).
    SearchNotes {
        /// The text.
        query: String,
    },
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
    /// Open the contact form, empty.
    NewContact,
    /// Open the contact form filled in.
    EditContact {
        /// Its id.
        id: String,
    },
    /// Save an edited contact (fields the form does not show are kept).
    UpdateContact {
        /// Its id.
        id: String,
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
            A::StartHold { delay_seconds } => C::StartHold { delay_seconds },
            A::ReleaseHold => C::ReleaseHold,
            A::ConfirmHold { pin } => C::ConfirmHold { pin: secret(pin) },
            A::SetHoldPin { pin } => C::SetHoldPin {
                pin: pin.map(secret),
            },
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
            A::SearchNotes { query } => C::SearchNotes {
                query: core::SearchText::new(query),
            },
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
            A::AddContact { form } => C::AddContact { form: form.into() },
            A::NewContact => C::NewContact,
            A::EditContact { id } => C::EditContact { id },
            A::UpdateContact { id, form } => C::UpdateContact {
                id,
                form: form.into(),
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
