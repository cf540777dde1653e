//! What the shells render: one [`ViewModel`] for the whole app, with the
//! current screen's content in [`Body`]. Every word on screen comes from the
//! shell's string resources, keyed by these enums; every number, order,
//! label and choice comes from here.

use super::capabilities::{Permission, PermissionStatus};
use super::events::ContactForm;
use super::policies::{DeliveryRow, Summary};
use crate::alerts::{Channel, CheckinState, HoldState, ServerTimerState, Triggers};
use crate::helplines::model::ChannelKind;
use crate::helplines::needs::Need;
use crate::journal::{EntryKind, Incident};
use crate::ErrorKind;
use chrono::{DateTime, Utc};

pub use crate::alerts::SetupNotice;

/// The app's screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    /// Hold to alert, countdown, who was reached, "I'm safe".
    Alert,
    /// The check-in timer.
    Checkin,
    /// The helpline directory.
    Helplines,
    /// Rights booklets and the self-check.
    Rights,
    /// The encrypted notes.
    Notes,
    /// Trusted contacts.
    Contacts,
    /// Settings.
    Settings,
}

/// A short message for the user (the shell words it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The passphrase did not open the notes.
    WrongPassphrase,
    /// The notes are locked.
    Locked,
    /// Something typed was refused.
    InvalidInput,
    /// What was asked for is not there.
    NotFound,
    /// No connection: messages are kept and retried.
    Network,
    /// Storage on the phone failed.
    Storage,
    /// A phone service failed.
    Platform,
    /// Anything else.
    Other,
    /// The two passphrases typed differ.
    Mismatch,
    /// No trusted contact receives this alert: add one first.
    NoContacts,
    /// Saved.
    Saved,
    /// A test message is on its way.
    TestQueued,
    /// This channel cannot be opened safely.
    NothingToOpen,
}

impl Notice {
    /// The notice for an error.
    pub fn from_error(e: &crate::Error) -> Self {
        match e.kind() {
            ErrorKind::WrongPassphrase => Notice::WrongPassphrase,
            ErrorKind::Locked => Notice::Locked,
            ErrorKind::InvalidInput => Notice::InvalidInput,
            ErrorKind::NotFound => Notice::NotFound,
            ErrorKind::Network => Notice::Network,
            ErrorKind::Storage => Notice::Storage,
            ErrorKind::Platform => Notice::Platform,
            _ => Notice::Other,
        }
    }
}

/// Everything on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewModel {
    /// The screen shown.
    pub screen: Screen,
    /// The tabs, in order (disguised: the notes first).
    pub tabs: Vec<Screen>,
    /// Screenshots and previews blocked.
    pub secure: bool,
    /// Disguised as a notes app.
    pub disguised: bool,
    /// The last notice, if any.
    pub notice: Option<Notice>,
    /// Send `TimerElapsed` after this many ms (countdowns, hold, clocks).
    pub refresh_in_ms: Option<u32>,
    /// The screen's content.
    pub body: Body,
}

/// The current screen's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// The alert screen.
    Alert(AlertView),
    /// The check-in screen.
    Checkin(CheckinView),
    /// The helplines screen.
    Helplines(HelplinesView),
    /// The rights screens.
    Rights(RightsView),
    /// The notes screens.
    Notes(NotesView),
    /// The contacts screen.
    Contacts(ContactsView),
    /// The settings screen.
    Settings(SettingsView),
}

/// How SMS will go for a visible alert on this phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsNote {
    /// Each SMS opens for the user to send.
    NeedsTap,
    /// SMS waits until the permission is given (tap to allow).
    NotAllowed,
    /// This phone cannot send SMS: other channels only.
    Unavailable,
}

/// The alert screen.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertView {
    /// The button.
    Ready {
        /// How long to hold, in ms.
        hold_ms: u32,
        /// How long it has been held, in ms (`None`: not pressed).
        held_ms: Option<u32>,
        /// The countdown after the hold, in seconds.
        countdown_seconds: u32,
        /// Contacts a button alert reaches.
        contacts: u32,
        /// How SMS goes, if a contact has a phone number and it is not silent.
        sms: Option<SmsNote>,
        /// Whether a hold ("walking home") can start, or what it needs first.
        hold: HoldOffer,
    },
    /// A hold runs: the core keeps it alive; let go, then the PIN ends it.
    Holding {
        /// Holding (kept alive) or let go (the alert goes at the deadline
        /// unless the PIN comes first).
        state: HoldState,
        /// When the phone sends the alert unless kept alive or confirmed.
        deadline: DateTime<Utc>,
        /// Whole seconds to the deadline (rounded up).
        seconds_left: u32,
        /// How often the core keeps it alive, in ms.
        keep_alive_every_ms: u32,
        /// The alert the homeserver holds (`None`: no Matrix contact).
        server_timer: Option<ServerTimerRow>,
    },
    /// Counting down: cancelling sends nothing.
    Countdown {
        /// Whole seconds left (rounded up).
        seconds_left: u32,
        /// When it goes.
        fires_at: DateTime<Utc>,
    },
    /// Sent: who has been reached.
    Sent {
        /// One row per contact.
        rows: Vec<DeliveryRow>,
        /// The headline.
        summary: Summary,
        /// A location was attached.
        has_location: bool,
        /// How SMS goes, when it needs the user or waits.
        sms: Option<SmsNote>,
    },
    /// Over: cancelled in time, or "I'm safe" sent.
    Ended {
        /// Whether anything had gone out.
        sent_something: bool,
        /// Who is being told "I'm safe".
        safe_rows: Vec<DeliveryRow>,
    },
}

/// What starting a hold needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HoldOffer {
    /// No Matrix account is set up: a hold needs a homeserver to hold the alert.
    NoMatrixAccount,
    /// Set a hold PIN first (only the PIN ends a hold without an alert).
    NeedsPin,
    /// Ready: the delays offered, in seconds.
    Ready {
        /// The delay chosen unless the user picks another, in seconds.
        default_delay_seconds: u32,
    },
}

/// The alert a Matrix homeserver holds for a check-in or a hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerTimerRow {
    /// Pending (not confirmed by the server yet), armed, cancelling, cancelled, fired.
    pub state: ServerTimerState,
    /// When the homeserver sends it, once armed.
    pub fires_at: Option<DateTime<Utc>>,
    /// How many Matrix contacts it covers.
    pub contacts: u32,
    /// The last step with the homeserver failed (offline, signed out...).
    pub failing: bool,
}

/// The check-in screen.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckinView {
    /// No timer running.
    Idle {
        /// Durations offered, in minutes.
        choices: Vec<u32>,
        /// How the last one ended.
        last: Option<CheckinState>,
        /// Reminders can be shown.
        reminders_allowed: bool,
        /// Reminders and the phone's own alert may come late: exact alarms
        /// were refused (Android). Shown as a notice.
        reminders_late: bool,
        /// The last one's server-held alert, if it had one.
        server_timer: Option<ServerTimerRow>,
    },
    /// A timer runs.
    Running {
        /// Check in by then.
        deadline: DateTime<Utc>,
        /// The alert goes then unless the user checks in.
        grace_ends: DateTime<Utc>,
        /// Past the deadline, within grace.
        in_grace: bool,
        /// Time left (to the deadline, then to the end of grace), in ms.
        time_left_ms: i64,
        /// The same as text ("1:05:09").
        time_left_text: String,
        /// Extensions offered, in minutes.
        extend_choices: Vec<u32>,
        /// Reminders can be shown.
        reminders_allowed: bool,
        /// Reminders and the phone's own alert may come late: exact alarms
        /// were refused (Android). Shown as a notice.
        reminders_late: bool,
        /// The alert the homeserver holds for it (`None`: none).
        server_timer: Option<ServerTimerRow>,
        /// No server holds it: the timer lives on this phone only (taken or
        /// switched off, it cannot alert). Shown as a notice.
        phone_only: bool,
    },
}

/// Whether a helpline answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenState {
    /// Open now (or day and night).
    OpenNow,
    /// Hours not known: never shown as closed.
    HoursUnknown,
    /// Closed now.
    Closed,
}

/// A yes-fact about a helpline worth showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelplineFlag {
    /// Free of charge.
    Free,
    /// Anonymous.
    Anonymous,
    /// Not on the phone bill.
    NotOnBill,
    /// Only from inside the country.
    DomesticOnly,
    /// Run by the police (never "confidential").
    Police,
}

/// What tapping a channel does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TapKind {
    /// Opens the dialler.
    Call,
    /// Opens the messages app.
    Text,
    /// Opens a web page or a messaging app link.
    Open,
    /// Opens the mail app.
    Email,
}

/// One way to reach a helpline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRow {
    /// Pass back in `TapChannel`.
    pub index: u32,
    /// Phone, SMS, chat...
    pub kind: ChannelKind,
    /// What to show (the local label, else the value).
    pub text: String,
    /// What a tap does (`None`: nothing safe to do).
    pub action: Option<TapKind>,
}

/// One helpline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelplineRow {
    /// Its id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Whether it answers now.
    pub open: OpenState,
    /// One line in the user's language where available.
    pub description: Option<String>,
    /// Facts worth showing.
    pub flags: Vec<HelplineFlag>,
    /// Caveats, in the user's language where available.
    pub caveats: Vec<String>,
    /// Ways to reach it.
    pub channels: Vec<ChannelRow>,
}

/// Helplines in one state, in the core's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelplineGroup {
    /// Open, unknown or closed.
    pub state: OpenState,
    /// The helplines.
    pub lines: Vec<HelplineRow>,
}

/// Helplines for one need, best first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedGroup {
    /// What the reader is looking for.
    pub need: Need,
    /// The services.
    pub lines: Vec<HelplineRow>,
}

/// A country to choose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountryRow {
    /// ISO code.
    pub code: String,
    /// Name in the user's language.
    pub name: String,
    /// A full booklet (else a summary).
    pub full: bool,
}

/// The helplines screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelplinesView {
    /// No country yet.
    ChooseCountry {
        /// Countries with content.
        countries: Vec<CountryRow>,
    },
    /// The directory.
    List {
        /// The country.
        country: String,
        /// Non-empty groups: open now, hours unknown, closed.
        groups: Vec<HelplineGroup>,
        /// Non-empty groups by need, in the needs' order.
        needs: Vec<NeedGroup>,
        /// The content is out of date (an expired downloaded pack): say so.
        stale: bool,
    },
}

/// A booklet section's heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRow {
    /// Its id.
    pub id: String,
    /// Heading.
    pub title: String,
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRow {
    /// Country.
    pub country: String,
    /// Section.
    pub section_id: String,
    /// Section title.
    pub title: String,
    /// Excerpt.
    pub snippet: String,
}

/// A source of a section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRow {
    /// What it is.
    pub title: String,
    /// Where.
    pub url: String,
}

/// The self-check, one question at a time (answers stay in memory).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelfCheckView {
    /// Before the first question.
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
        /// Questions in all.
        count: u32,
        /// The question.
        text: String,
        /// The answer given before, if any.
        answer: Option<bool>,
    },
    /// After the last question.
    Finish {
        /// Questions answered.
        answered: u32,
        /// Questions in all.
        count: u32,
    },
    /// The result (never a verdict).
    Result {
        /// What it means.
        text: String,
        /// Caveat.
        caveat: String,
        /// Shown above `confidential` (says so when there are none).
        confidential_note: String,
        /// Services that are not the police and say you can talk in
        /// confidence or anonymously.
        confidential: Vec<HelplineRow>,
        /// Shown above `other` (empty when there are none); says which are the police.
        other_note: String,
        /// Other services, with no promise; police lines carry `HelplineFlag::Police`.
        other: Vec<HelplineRow>,
    },
}

/// The rights screens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RightsView {
    /// No country yet.
    ChooseCountry {
        /// Countries with content.
        countries: Vec<CountryRow>,
    },
    /// A booklet's sections, or search results.
    Booklet {
        /// Country.
        country: String,
        /// Country name.
        name: String,
        /// Language shown.
        lang: String,
        /// Not the user's first language.
        fallback: bool,
        /// Not yet checked by a fluent reader.
        machine_assisted: bool,
        /// The content is out of date (an expired downloaded pack).
        stale: bool,
        /// Sections.
        sections: Vec<SectionRow>,
        /// The search text.
        query: String,
        /// Results (empty when the query is blank).
        hits: Vec<HitRow>,
    },
    /// One section.
    Section {
        /// Country.
        country: String,
        /// Heading.
        title: String,
        /// Text: paragraphs separated by blank lines.
        body: String,
        /// Language shown.
        lang: String,
        /// Not the user's first language.
        fallback: bool,
        /// Not yet checked by a fluent reader.
        machine_assisted: bool,
        /// The content is out of date (an expired downloaded pack).
        stale: bool,
        /// When the facts were last checked (YYYY-MM-DD).
        last_reviewed: String,
        /// Sources.
        sources: Vec<SourceRow>,
    },
    /// The self-check.
    SelfCheck(SelfCheckView),
}

/// One entry in the notes list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    /// Its id.
    pub id: String,
    /// Its title (bodies are not shown in the list).
    pub title: String,
}

/// The notes screens.
#[derive(Debug, Clone, PartialEq)]
pub enum NotesView {
    /// No notes yet: choose a passphrase.
    Setup,
    /// Locked.
    Locked {
        /// Failed attempts since the last success.
        failed_attempts: u32,
        /// Everything is erased after this many (if set).
        erase_after: Option<u32>,
    },
    /// The titles, newest first (those a search finds while one is typed).
    List {
        /// Entries.
        entries: Vec<EntryRow>,
        /// The search text (blank: every entry is listed).
        query: String,
    },
    /// One entry.
    Entry {
        /// Its id.
        id: String,
        /// Note or incident.
        kind: EntryKind,
        /// Title.
        title: String,
        /// Text.
        body: String,
        /// Incident fields.
        incident: Option<Incident>,
        /// Last changed.
        updated_at: DateTime<Utc>,
    },
    /// Writing or editing.
    Editor {
        /// The entry being edited (`None`: a new one).
        id: Option<String>,
        /// Note or incident.
        kind: EntryKind,
        /// Title so far.
        title: String,
        /// Text so far.
        body: String,
        /// Incident fields so far.
        incident: Incident,
    },
}

/// One trusted contact and what reaches them on this phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    /// Its id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Every channel the contact has.
    pub channels: Vec<Channel>,
    /// Which alerts reach them.
    pub triggers: Triggers,
    /// Channels carrying a visible alert without the user.
    pub visible: Vec<Channel>,
    /// Their SMS needs the user to tap send.
    pub sms_needs_tap: bool,
    /// Channels carrying a silent alert (nothing on screen).
    pub silent: Vec<Channel>,
    /// A silent alert's SMS waits for a permission.
    pub silent_sms_waits: bool,
}

/// The contact form being filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactEditor {
    /// The contact being edited (`None`: a new one).
    pub id: Option<String>,
    /// The fields so far.
    pub form: ContactForm,
    /// Offer the SMS code phrase (this phone sends silent SMS).
    pub code_phrase_offered: bool,
    /// What to say next to the fields: the Matrix one always (next to the
    /// Matrix ID), the SMS one where silent SMS exists.
    pub notices: Vec<SetupNotice>,
}

/// The contacts screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactsView {
    /// Contacts, in the order added.
    pub rows: Vec<ContactRow>,
    /// The form, while open.
    pub editor: Option<ContactEditor>,
    /// What the contacts set up cost in privacy: Matrix (not end-to-end
    /// encrypted) when a contact has a Matrix ID; SMS (kept in the Sent
    /// folder) when a silent alert goes by SMS.
    pub notices: Vec<SetupNotice>,
}

/// The two-step erase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EraseStep {
    /// Not asked.
    Idle,
    /// "Erase everything?" armed.
    Confirming {
        /// Seconds left to confirm.
        seconds_left: u32,
    },
}

/// A permission and its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PermissionRow {
    /// Which.
    pub permission: Permission,
    /// Its state.
    pub status: PermissionStatus,
}

/// The settings screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsView {
    /// Disguised as a notes app.
    pub disguised: bool,
    /// This phone can change its launcher entry.
    pub can_disguise: bool,
    /// The erase confirmation.
    pub erase: EraseStep,
    /// Permissions this phone asks for.
    pub permissions: Vec<PermissionRow>,
    /// Contacts a silent alert cannot reach on this phone (names).
    pub silent_unreachable: Vec<String>,
}
