//! The notes, contacts and settings screens over the FFI, and their translation.

use super::{ms, PermissionState};
use crate::alerts::{ContactTriggers, DeliveryChannel};
use crate::journal::{EntryKind, IncidentDetails};
use parasol_core::app::view;

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
    /// Titles, newest first (those a search finds while one is typed).
    Titles {
        /// Entries.
        entries: Vec<EntryRow>,
        /// The search text (blank: all).
        query: String,
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

/// The contact form being filled in.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactEditor {
    /// The contact edited (none: a new one).
    pub id: Option<String>,
    /// The fields so far.
    pub form: super::events::ContactForm,
    /// Offer the SMS code phrase.
    pub code_phrase_offered: bool,
    /// What to say next to the fields.
    pub notices: Vec<crate::matrix::SetupNotice>,
}

pub(crate) fn channels(c: Vec<parasol_core::alerts::Channel>) -> Vec<DeliveryChannel> {
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

pub(crate) fn notes_screen(v: view::NotesView) -> NotesScreen {
    match v {
        view::NotesView::Setup => NotesScreen::Setup,
        view::NotesView::Locked {
            failed_attempts,
            erase_after,
        } => NotesScreen::Locked {
            failed_attempts,
            erase_after,
        },
        view::NotesView::List { entries, query } => NotesScreen::Titles {
            query,
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
