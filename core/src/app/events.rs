//! Everything that can happen to the app: the user's actions, the platform's
//! lifecycle, and the results of effects. The shell sends each one to
//! [`App::update`](super::App::update).
//!
//! Input is normalised here, once, for both shells (names, numbers and
//! titles trimmed; blank optional fields are "none"). Passphrases arrive as
//! bytes in a [`Secret`], wiped when dropped and never shown by `Debug`.

use super::capabilities::{Permission, PermissionStatus};
use super::view::Screen;
use crate::alerts::{Contact, ContactInput, Location, Triggers};
use crate::journal::{EntryDraft, EntryKind, Incident};
use zeroize::Zeroizing;

/// A passphrase as bytes: wiped on drop, redacted in `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes ownership of the bytes (no copy is left behind).
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(Zeroizing::new(bytes))
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// Compares in time that does not depend on where the two differ.
    pub fn same_as(&self, other: &Secret) -> bool {
        let (a, b) = (self.bytes(), other.bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// Text typed into the notes search: wiped on drop, redacted in `Debug`
/// (it says what the notes hold).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SearchText(Zeroizing<String>);

impl SearchText {
    /// Takes ownership of the text.
    pub fn new(text: String) -> Self {
        SearchText(Zeroizing::new(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SearchText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SearchText(<redacted>)")
    }
}

/// The contact form as typed.
#[derive(Clone, Default, PartialEq, Eq)]
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
    pub triggers: Triggers,
    /// Matrix ID, `@name:server` (blank: none).
    pub matrix_id: String,
    /// The innocuous phrase a silent alert sends this contact by SMS instead
    /// of the alert (blank: none).
    pub sms_code_phrase: String,
}

impl std::fmt::Debug for ContactForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContactForm(<redacted>)")
    }
}

/// `Some(trimmed)` or `None` for a blank field.
pub(crate) fn optional(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl ContactForm {
    /// The engine's input: every field trimmed, blank ones absent. The form
    /// has no push fields: a new contact has none.
    pub fn to_input(&self) -> ContactInput {
        ContactInput {
            name: self.name.trim().to_owned(),
            language: optional(&self.language).unwrap_or_else(|| "en".into()),
            phone: optional(&self.phone),
            webhook_url: optional(&self.webhook_url),
            push_url: None,
            push_token: None,
            matrix_id: optional(&self.matrix_id),
            sms_code_phrase: optional(&self.sms_code_phrase),
            triggers: self.triggers,
        }
    }

    /// The engine's input for an edit of `existing`: the form's fields, and
    /// what the form does not show (push) kept as it was.
    pub fn to_update(&self, existing: &Contact) -> ContactInput {
        ContactInput {
            push_url: existing.push_url.clone(),
            push_token: existing.push_token.clone(),
            ..self.to_input()
        }
    }

    /// The form filled in with `contact`, for editing.
    pub fn of(contact: &Contact) -> ContactForm {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        ContactForm {
            name: contact.name.clone(),
            phone: text(&contact.phone),
            webhook_url: text(&contact.webhook_url),
            language: contact.language.clone(),
            triggers: contact.triggers,
            matrix_id: text(&contact.matrix_id),
            sms_code_phrase: text(&contact.sms_code_phrase),
        }
    }
}

/// A note or incident report as typed.
#[derive(Clone, PartialEq, Eq)]
pub struct EntryForm {
    /// Note or incident.
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Free text (kept as typed).
    pub body: String,
    /// Structured fields of an incident report (blank: not said).
    pub incident: Incident,
}

impl Default for EntryForm {
    fn default() -> Self {
        EntryForm {
            kind: EntryKind::Note,
            title: String::new(),
            body: String::new(),
            incident: Incident::default(),
        }
    }
}

impl std::fmt::Debug for EntryForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryForm")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl EntryForm {
    /// The journal's draft: title trimmed, blank incident fields absent.
    pub fn to_draft(&self) -> EntryDraft {
        let incident = (self.kind == EntryKind::Incident).then(|| {
            let o = |s: &Option<String>| s.as_deref().and_then(optional);
            let i = &self.incident;
            Incident {
                when: o(&i.when),
                location: o(&i.location),
                person: o(&i.person),
                vehicle: o(&i.vehicle),
                contact: o(&i.contact),
                what_happened: o(&i.what_happened),
                injuries: o(&i.injuries),
                taken: o(&i.taken),
                witnesses: o(&i.witnesses),
                reported_to_police: i.reported_to_police,
                follow_up: o(&i.follow_up),
            }
        });
        EntryDraft {
            kind: self.kind,
            title: self.title.trim().to_owned(),
            body: self.body.clone(),
            incident,
            tags: Vec::new(),
            attachments: Vec::new(),
        }
    }
}

/// What became of an SMS the shell sent or showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SmsResult {
    /// It left the phone.
    Sent,
    /// The network confirmed delivery.
    Delivered,
    /// It did not go (no service...): retried later.
    Failed {
        /// Why, without number or text.
        reason: String,
    },
    /// The user closed the composer without sending.
    Cancelled,
}

/// Something that happened.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    // ----- lifecycle -----
    /// The app opened (cold start): current permission statuses.
    Started {
        /// Every permission the shell knows about.
        permissions: Vec<(Permission, PermissionStatus)>,
    },
    /// The app came back to the foreground (permissions may have changed).
    Resumed {
        /// Every permission the shell knows about.
        permissions: Vec<(Permission, PermissionStatus)>,
    },
    /// The app left the foreground: notes lock, self-check answers are forgotten.
    Backgrounded,
    /// The view's `refresh_in_ms` elapsed.
    TimerElapsed,
    /// A wake-up fired (`needs_network`: the network job; else the timer).
    WokeUp {
        /// Which slot fired.
        needs_network: bool,
    },
    /// A tab or link was chosen.
    Navigate {
        /// Where to.
        screen: Screen,
    },
    /// Back (closes a section, an entry, a form).
    Back,
    /// "Leave": hide everything and go.
    QuickExit,
    /// The user tapped a notification.
    NotificationTapped {
        /// Its reason.
        reason: super::effects::NotifyReason,
    },

    // ----- effect results -----
    /// A permission request finished.
    PermissionResult {
        /// Which.
        permission: Permission,
        /// Its status now.
        status: PermissionStatus,
    },
    /// The user tapped "allow" for a permission.
    AllowPermission {
        /// Which.
        permission: Permission,
    },
    /// An SMS (silent or composer) finished.
    SmsResult {
        /// The delivery.
        delivery_id: String,
        /// What happened.
        result: SmsResult,
    },
    /// A location fix (or none: timed out, off, refused).
    LocationResult {
        /// The fix.
        fix: Option<Location>,
    },

    // ----- the alert screen -----
    /// The finger went down on the alert button.
    HoldStarted,
    /// The finger lifted.
    HoldReleased,
    /// Screen readers: raise the alert without holding (the countdown still allows cancelling).
    TriggerNow,
    /// Stop the countdown: nothing is sent.
    CancelCountdown,
    /// "I'm safe".
    ImSafe,
    /// Back to the button after an ended alert.
    DismissAlert,
    /// Start a hold ("walking home"): kept alive by the core's wake-ups; if
    /// they stop, the homeserver sends the alert.
    StartHold {
        /// Seconds after the last keep-alive the alert goes.
        delay_seconds: u32,
    },
    /// Let go of the hold: the alert goes at its deadline unless the PIN comes first.
    ReleaseHold,
    /// End the hold without an alert.
    ConfirmHold {
        /// The hold PIN.
        pin: Secret,
    },
    /// Open the composer for a message waiting for the user.
    SendWaitingSms {
        /// The delivery.
        delivery_id: String,
    },

    // ----- check-in -----
    /// Start the timer.
    StartCheckin {
        /// Minutes until the deadline.
        minutes: u32,
    },
    /// Move the deadline later.
    ExtendCheckin {
        /// Minutes to add.
        minutes: u32,
    },
    /// "I'm OK".
    CheckIn,
    /// Stop the timer without an alert.
    StopCheckin,

    // ----- helplines -----
    /// A helpline channel was tapped.
    TapChannel {
        /// The helpline.
        helpline_id: String,
        /// The channel's index.
        channel: u32,
    },

    // ----- rights -----
    /// Choose the country.
    SelectCountry {
        /// ISO code.
        code: String,
    },
    /// Choose the reading languages, most preferred first.
    SetLanguages {
        /// BCP-47 tags.
        languages: Vec<String>,
    },
    /// Open a booklet section.
    OpenSection {
        /// Section id.
        id: String,
    },
    /// Search the booklets (blank clears).
    Search {
        /// The text.
        query: String,
    },
    /// Open a search result.
    OpenHit {
        /// Its country.
        country: String,
        /// Its section.
        section_id: String,
    },
    /// Open the private self-check.
    StartSelfCheck,
    /// Answer the current question (`None`: skip it).
    AnswerSelfCheck {
        /// Yes, no, or skipped.
        answer: Option<bool>,
    },
    /// Score the answers (nothing is stored).
    FinishSelfCheck,
    /// Close the self-check: every answer is forgotten.
    CloseSelfCheck,

    // ----- notes -----
    /// Create the notes with a passphrase typed twice.
    CreateNotes {
        /// The passphrase.
        passphrase: Secret,
        /// Typed again.
        confirmation: Secret,
    },
    /// Open the notes.
    Unlock {
        /// The passphrase.
        passphrase: Secret,
    },
    /// Close the notes now.
    Lock,
    /// Search the notes' titles and texts (blank clears).
    SearchNotes {
        /// The text.
        query: SearchText,
    },
    /// Show one entry.
    OpenEntry {
        /// Its id.
        id: String,
    },
    /// Start writing a new entry.
    NewEntry {
        /// Note or incident.
        kind: EntryKind,
    },
    /// Edit an entry.
    EditEntry {
        /// Its id.
        id: String,
    },
    /// Save the form (a new entry, or a new version of the one being edited).
    SaveEntry {
        /// As typed.
        form: EntryForm,
    },
    /// Delete an entry.
    DeleteEntry {
        /// Its id.
        id: String,
    },
    /// Write an encrypted backup to `path` (under the notes' passphrase), then share it.
    ExportNotes {
        /// The current passphrase (re-checked).
        passphrase: Secret,
        /// A file in app-private storage.
        path: String,
    },

    // ----- contacts -----
    /// Add a trusted contact.
    AddContact {
        /// As typed.
        form: ContactForm,
    },
    /// Open the contact form, empty (with the set-up notices).
    NewContact,
    /// Open the contact form filled in with a contact.
    EditContact {
        /// Its id.
        id: String,
    },
    /// Save the edited contact (fields the form does not show are kept).
    UpdateContact {
        /// Its id.
        id: String,
        /// As typed.
        form: ContactForm,
    },
    /// Remove one.
    RemoveContact {
        /// Its id.
        id: String,
    },
    /// Send them a test message.
    TestContact {
        /// Its id.
        id: String,
    },

    // ----- settings -----
    /// Set the second passphrase and what it does.
    SetSecondPassphrase {
        /// The current passphrase.
        current: Secret,
        /// The second one.
        passphrase: Secret,
        /// Typed again.
        confirmation: Secret,
        /// Open a separate, harmless set of notes.
        open_decoy: bool,
        /// Send a silent alert.
        alert: bool,
        /// Erase everything.
        erase: bool,
    },
    /// Remove the second passphrase.
    ClearSecondPassphrase {
        /// The current passphrase.
        current: Secret,
    },
    /// Erase everything after this many failed unlocks (`None`: never).
    SetEraseAfterFailures {
        /// The current passphrase.
        current: Secret,
        /// The limit.
        limit: Option<u32>,
    },
    /// First step of erasing everything.
    RequestErase,
    /// Second step, within the confirmation window.
    ConfirmErase,
    /// Back out.
    CancelErase,
    /// Set the PIN that ends a hold without an alert (`None` removes it).
    SetHoldPin {
        /// The PIN (`None`: remove).
        pin: Option<Secret>,
    },
    /// Disguise the launcher entry and open on the notes.
    SetDisguise {
        /// On or off.
        on: bool,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_trimmed_once_for_both_shells() {
        let input = ContactForm {
            name: "  Mira ".into(),
            phone: " +31 6 1234 5678 ".into(),
            webhook_url: "   ".into(),
            language: "".into(),
            triggers: Triggers::default(),
            matrix_id: " @mira:example.org ".into(),
            sms_code_phrase: "  ".into(),
        }
        .to_input();
        assert_eq!(input.matrix_id.as_deref(), Some("@mira:example.org"));
        assert_eq!(input.sms_code_phrase, None);
        assert_eq!(input.name, "Mira");
        assert_eq!(input.phone.as_deref(), Some("+31 6 1234 5678"));
        assert_eq!(input.webhook_url, None);
        assert_eq!(input.language, "en");
        let draft = EntryForm {
            kind: EntryKind::Incident,
            title: "  Car  ".into(),
            body: "  as typed ".into(),
            incident: Incident {
                vehicle: Some(" blue van ".into()),
                person: Some("   ".into()),
                ..Incident::default()
            },
        }
        .to_draft();
        assert_eq!(draft.title, "Car");
        assert_eq!(draft.body, "  as typed ");
        let i = draft.incident.clone().unwrap();
        assert_eq!(i.vehicle.as_deref(), Some("blue van"));
        assert_eq!(i.person, None);
        let note = EntryForm {
            kind: EntryKind::Note,
            title: "x".into(),
            ..EntryForm::default()
        };
        assert!(note.to_draft().incident.is_none());
    }

    #[test]
    fn secrets_compare_and_never_show() {
        let a = Secret::new(b"correct horse".to_vec());
        assert!(a.same_as(&Secret::new(b"correct horse".to_vec())));
        assert!(!a.same_as(&Secret::new(b"correct horsE".to_vec())));
        assert!(!a.same_as(&Secret::new(b"correct".to_vec())));
        let e = Event::Unlock { passphrase: a };
        assert!(!format!("{e:?}").contains("horse"));
    }
}
