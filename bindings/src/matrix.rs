//! The Matrix account, server-held timers and the hold mode over the FFI:
//! records, enums, a typed error, and more methods of `Alerts`. Translation
//! only; the behaviour is in `parasol_core::alerts::{matrix, timers, hold}`.

use crate::alerts::{ms, AlertLocation, Alerts};
use crate::error::FfiResult;
use parasol_core::alerts as core;
use std::time::Duration;

/// Where a server-held timer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ServerTimerState {
    /// Not confirmed by the server yet (offline, not signed in, or further
    /// away than the server holds timers): retried.
    Pending,
    /// Held by the server.
    Armed,
    /// Cancelled here, not yet confirmed by the server.
    Cancelling,
    /// Cancelled.
    Cancelled,
    /// Sent.
    Fired,
}

impl From<core::ServerTimerState> for ServerTimerState {
    fn from(s: core::ServerTimerState) -> Self {
        match s {
            core::ServerTimerState::Pending => ServerTimerState::Pending,
            core::ServerTimerState::Armed => ServerTimerState::Armed,
            core::ServerTimerState::Cancelling => ServerTimerState::Cancelling,
            core::ServerTimerState::Cancelled => ServerTimerState::Cancelled,
            core::ServerTimerState::Fired => ServerTimerState::Fired,
        }
    }
}

/// The timer a Matrix server holds for a check-in or a hold.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ServerTimer {
    /// Where it stands.
    pub state: ServerTimerState,
    /// When the server sends it.
    pub fires_at_ms: Option<i64>,
    /// How many contacts it covers.
    pub contacts: u32,
    /// Why the last step with the server failed, if it did.
    pub last_error: Option<String>,
}

impl From<core::ServerTimer> for ServerTimer {
    fn from(t: core::ServerTimer) -> Self {
        ServerTimer {
            state: t.state.into(),
            fires_at_ms: t.fires_at.map(ms),
            contacts: t.contacts,
            last_error: t.last_error,
        }
    }
}

/// What can go wrong with the Matrix account.
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum MatrixError {
    /// No Matrix server answers at that address (or the address is refused).
    #[error("unknown server: {reason}")]
    UnknownHomeserver {
        /// Details.
        reason: String,
    },
    /// Wrong user name or password.
    #[error("wrong user name or password")]
    WrongPassword,
    /// The server asks to wait.
    #[error("rate limited: retry in {retry_after_ms} ms")]
    RateLimited {
        /// How long to wait.
        retry_after_ms: u64,
    },
    /// The room is gone.
    #[error("the room is gone")]
    RoomGone,
    /// The contact has not joined yet.
    #[error("the contact has not joined yet")]
    NotJoined,
    /// No account is set up.
    #[error("not signed in")]
    NotSignedIn,
    /// Sign in again.
    #[error("the sign-in has expired")]
    SessionExpired,
    /// The server refused.
    #[error("refused: HTTP {status} {errcode}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Matrix error code.
        errcode: String,
    },
    /// The network failed.
    #[error("network: {reason}")]
    Network {
        /// Details.
        reason: String,
    },
    /// Another failure (storage, bad input...).
    #[error("{reason}")]
    Other {
        /// Details.
        reason: String,
    },
}

impl From<core::MatrixError> for MatrixError {
    fn from(e: core::MatrixError) -> Self {
        use core::MatrixError as M;
        match e {
            M::UnknownHomeserver(reason) => MatrixError::UnknownHomeserver { reason },
            M::WrongPassword => MatrixError::WrongPassword,
            M::RateLimited { retry_after_ms } => MatrixError::RateLimited { retry_after_ms },
            M::RoomGone => MatrixError::RoomGone,
            M::NotJoined => MatrixError::NotJoined,
            M::NotSignedIn => MatrixError::NotSignedIn,
            M::SessionExpired => MatrixError::SessionExpired,
            M::Refused { status, errcode } => MatrixError::Refused { status, errcode },
            M::Network(reason) => MatrixError::Network { reason },
            M::Core(e) => MatrixError::Other {
                reason: e.to_string(),
            },
        }
    }
}

/// Where a Matrix contact stands with their room.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum MatrixContactState {
    /// No message yet: the room is made with the first one.
    NoRoomYet,
    /// Invited, not joined: messages wait there.
    Invited,
    /// Joined.
    Joined,
    /// Left: the next message makes a new room and invites them again.
    Left,
    /// The server could not be asked.
    Unknown,
}

impl From<core::matrix::MatrixContactState> for MatrixContactState {
    fn from(s: core::matrix::MatrixContactState) -> Self {
        use core::matrix::MatrixContactState as S;
        match s {
            S::NoRoomYet => MatrixContactState::NoRoomYet,
            S::Invited => MatrixContactState::Invited,
            S::Joined => MatrixContactState::Joined,
            S::Left => MatrixContactState::Left,
            S::Unknown => MatrixContactState::Unknown,
        }
    }
}

/// One Matrix contact's room.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatrixRoomStatus {
    /// The contact.
    pub contact_id: String,
    /// Their Matrix ID.
    pub matrix_id: String,
    /// Where they stand.
    pub state: MatrixContactState,
}

/// The Matrix set-up.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct MatrixStatus {
    /// The server signed in to.
    pub homeserver: Option<String>,
    /// `@user:server`.
    pub user_id: Option<String>,
    /// The session's device id.
    pub device_id: Option<String>,
    /// Longest delay the server holds (ms).
    pub max_delay_ms: Option<u64>,
    /// How many timers the server holds at once for one user.
    pub max_scheduled: Option<u32>,
    /// Every contact with a Matrix ID.
    pub rooms: Vec<MatrixRoomStatus>,
}

impl From<core::matrix::MatrixStatus> for MatrixStatus {
    fn from(s: core::matrix::MatrixStatus) -> Self {
        MatrixStatus {
            homeserver: s.homeserver,
            user_id: s.user_id,
            device_id: s.device_id,
            max_delay_ms: s.limits.map(|l| l.max_delay_ms),
            max_scheduled: s.limits.map(|l| l.max_scheduled),
            rooms: s
                .rooms
                .into_iter()
                .map(|r| MatrixRoomStatus {
                    contact_id: r.contact_id,
                    matrix_id: r.matrix_id,
                    state: r.state.into(),
                })
                .collect(),
        }
    }
}

/// How to start a hold.
#[derive(Clone, uniffi::Record)]
pub struct HoldRequest {
    /// Seconds after the last keep-alive before it goes (10 to 3600).
    pub delay_seconds: u32,
    /// The last known place.
    pub location: Option<AlertLocation>,
    /// A note.
    pub note: Option<String>,
}

impl std::fmt::Debug for HoldRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HoldRequest")
            .field("delay_seconds", &self.delay_seconds)
            .finish_non_exhaustive()
    }
}

/// Where a hold stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HoldState {
    /// Kept alive.
    Holding,
    /// Let go, not confirmed.
    Released,
    /// Confirmed: nothing sent.
    Done,
    /// Sent.
    Fired,
}

impl From<core::HoldState> for HoldState {
    fn from(s: core::HoldState) -> Self {
        match s {
            core::HoldState::Holding => HoldState::Holding,
            core::HoldState::Released => HoldState::Released,
            core::HoldState::Done => HoldState::Done,
            core::HoldState::Fired => HoldState::Fired,
        }
    }
}

/// A hold.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HoldStatus {
    /// Random id.
    pub id: String,
    /// Where it stands.
    pub state: HoldState,
    /// When it started.
    pub started_at_ms: i64,
    /// When the phone sends it unless kept alive or confirmed.
    pub deadline_ms: i64,
    /// Call `hold_keep_alive` at least this often while holding (ms).
    pub keep_alive_every_ms: u64,
    /// The alert it sent, if it did.
    pub alert_id: Option<String>,
    /// The timer the server holds.
    pub server_timer: Option<ServerTimer>,
}

impl From<core::HoldStatus> for HoldStatus {
    fn from(h: core::HoldStatus) -> Self {
        HoldStatus {
            id: h.id,
            state: h.state.into(),
            started_at_ms: ms(h.started_at),
            deadline_ms: ms(h.deadline),
            keep_alive_every_ms: h.keep_alive_every.as_millis() as u64,
            alert_id: h.alert_id,
            server_timer: h.server_timer.map(Into::into),
        }
    }
}

/// Which set-up text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SetupNotice {
    /// Where quiet SMS are set up: the phone keeps sent SMS in its Sent list.
    SilentSms,
    /// Where a Matrix contact or account is set up: not end-to-end encrypted yet.
    Matrix,
}

impl From<core::SetupNotice> for SetupNotice {
    fn from(n: core::SetupNotice) -> Self {
        match n {
            core::SetupNotice::SilentSms => SetupNotice::SilentSms,
            core::SetupNotice::Matrix => SetupNotice::Matrix,
        }
    }
}

/// The text to show where the user sets something up (English until
/// reviewed translations exist).
#[uniffi::export]
pub fn setup_notice(notice: SetupNotice, language: String) -> String {
    let n = match notice {
        SetupNotice::SilentSms => core::SetupNotice::SilentSms,
        SetupNotice::Matrix => core::SetupNotice::Matrix,
    };
    core::setup_notice(n, &language).to_owned()
}

#[uniffi::export(name = "Relay")]
impl Alerts {
    /// Signs in to a Matrix server (the password is not kept).
    pub fn matrix_login(
        &self,
        homeserver: String,
        user: String,
        password: String,
    ) -> Result<MatrixStatus, MatrixError> {
        let password = zeroize::Zeroizing::new(password);
        Ok(self
            .inner
            .matrix_login(&homeserver, &user, &password)?
            .into())
    }

    /// The Matrix set-up; `check_rooms` asks the server where each contact stands.
    pub fn matrix_status(&self, check_rooms: bool) -> Result<MatrixStatus, MatrixError> {
        Ok(self.inner.matrix_status(check_rooms)?.into())
    }

    /// Signs out (on the server when reachable; here always). Returns
    /// whether the server was reached.
    pub fn matrix_logout(&self) -> Result<bool, MatrixError> {
        Ok(self.inner.matrix_logout()?.server_side)
    }

    /// Sets (or, with none, removes) the PIN that ends a hold quietly.
    pub fn set_hold_pin(&self, pin: Option<Vec<u8>>) -> FfiResult<()> {
        let pin = pin.map(zeroize::Zeroizing::new);
        Ok(self
            .inner
            .set_hold_pin(pin.as_ref().map(|p| p.as_slice()))?)
    }

    /// Whether a hold PIN is set.
    pub fn has_hold_pin(&self) -> FfiResult<bool> {
        Ok(self.inner.has_hold_pin()?)
    }

    /// Starts a hold. Then call `hold_keep_alive` every `keep_alive_every_ms`.
    pub fn hold_start(&self, request: HoldRequest) -> FfiResult<HoldStatus> {
        let req = core::HoldRequest {
            delay: Duration::from_secs(request.delay_seconds.into()),
            location: request.location.map(AlertLocation::to_core).transpose()?,
            note: request.note,
        };
        Ok(self.inner.hold_start(&req)?.into())
    }

    /// Keeps the hold alive.
    pub fn hold_keep_alive(&self) -> FfiResult<HoldStatus> {
        Ok(self.inner.hold_keep_alive()?.into())
    }

    /// Lets go: it goes at the deadline unless confirmed first.
    pub fn hold_release(&self) -> FfiResult<HoldStatus> {
        Ok(self.inner.hold_release()?.into())
    }

    /// Ends the hold without sending, with the PIN (a wrong one changes nothing).
    pub fn hold_confirm(&self, pin: Vec<u8>) -> FfiResult<HoldStatus> {
        let pin = zeroize::Zeroizing::new(pin);
        Ok(self.inner.hold_confirm(&pin)?.into())
    }

    /// The current (or last) hold.
    pub fn hold(&self) -> FfiResult<Option<HoldStatus>> {
        Ok(self.inner.hold()?.map(Into::into))
    }
}
