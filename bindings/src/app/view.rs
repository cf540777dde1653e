//! The whole view over the FFI: the app bar's facts and the current screen.

use super::alert_screens::*;
use super::info_screens::*;
use super::notes_screens::*;
use super::{PermissionState, Screen};
use parasol_core::app::view;

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
        /// The form, while open.
        editor: Option<ContactEditor>,
        /// Privacy notices for what is set up (Matrix, SMS Sent folder).
        notices: Vec<crate::matrix::SetupNotice>,
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
            editor: v.editor.map(|e| ContactEditor {
                id: e.id,
                form: e.form.into(),
                code_phrase_offered: e.code_phrase_offered,
                notices: e.notices.into_iter().map(Into::into).collect(),
            }),
            notices: v.notices.into_iter().map(Into::into).collect(),
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
