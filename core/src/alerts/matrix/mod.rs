//! The Matrix channel: trusted contacts reached through a Matrix homeserver
//! that the user (or their organisation) chooses, and the server-held timers
//! built on it (see [`super::timers`]).
//!
//! * [`client`]: the few client-server endpoints, by hand over the core's
//!   HTTP client (why not a Matrix SDK: docs/matrix.md).
//! * [`session`]: the user's sign-in and the room of each contact, sealed
//!   with the device key in `alert_meta`.
//! * [`rooms`]: one private direct room per contact, created and invited on
//!   first use, replaced when the contact has left it.
//! * [`deliver`]: the outbox channel (transaction id = idempotency key).
//! * [`api`]: sign in, sign out, status.
//!
//! Messages are not end-to-end encrypted: the homeserver operators can read
//! them (see [`super::notices::SetupNotice::Matrix`] and docs/matrix.md).

pub mod api;
pub mod client;
pub(crate) mod deliver;
pub(crate) mod rooms;
pub(crate) mod session;
#[cfg(any(test, feature = "loopback-receiver"))]
pub mod testkit;

pub use api::{MatrixContactState, MatrixRoomStatus, MatrixStatus};
pub use client::DelayLimits;

use crate::error::Error;

/// What can go wrong with Matrix, typed so that a shell can say what to do.
#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    /// Nothing that speaks Matrix answers at that address (or the URL is refused).
    #[error("unknown homeserver: {0}")]
    UnknownHomeserver(String),
    /// The user name or password is wrong.
    #[error("wrong user name or password")]
    WrongPassword,
    /// The homeserver asks to wait before trying again.
    #[error("rate limited by the homeserver: try again in {retry_after_ms} ms")]
    RateLimited {
        /// How long to wait (the server's `retry_after_ms`).
        retry_after_ms: u64,
    },
    /// The room no longer exists for us (we left, or were removed).
    #[error("the room is gone")]
    RoomGone,
    /// The contact has not joined the room yet: messages wait there.
    #[error("the contact has not joined the room yet")]
    NotJoined,
    /// No Matrix account is set up.
    #[error("not signed in to Matrix")]
    NotSignedIn,
    /// The access token no longer works: sign in again.
    #[error("the Matrix sign-in has expired: sign in again")]
    SessionExpired,
    /// The homeserver refused the request.
    #[error("refused by the homeserver: HTTP {status} {errcode}")]
    Refused {
        /// HTTP status.
        status: u16,
        /// Matrix error code, if any.
        errcode: String,
    },
    /// The network failed.
    #[error("network: {0}")]
    Network(String),
    /// Storage or another failure of the core.
    #[error(transparent)]
    Core(#[from] Error),
}

impl MatrixError {
    /// Whether trying again later may work.
    pub fn is_transient(&self) -> bool {
        match self {
            MatrixError::RateLimited { .. }
            | MatrixError::Network(_)
            | MatrixError::RoomGone
            | MatrixError::NotJoined
            | MatrixError::UnknownHomeserver(_) => true,
            MatrixError::Refused { status, .. } => *status >= 500 || *status == 408,
            MatrixError::WrongPassword
            | MatrixError::NotSignedIn
            | MatrixError::SessionExpired
            | MatrixError::Core(_) => false,
        }
    }
}

impl From<MatrixError> for Error {
    fn from(e: MatrixError) -> Self {
        match e {
            MatrixError::Core(inner) => inner,
            MatrixError::WrongPassword => Error::WrongPassphrase,
            MatrixError::UnknownHomeserver(why) => {
                Error::InvalidInput(format!("unknown homeserver: {why}"))
            }
            MatrixError::NotSignedIn => Error::NotFound("not signed in to Matrix".into()),
            other => Error::Network(other.to_string()),
        }
    }
}

impl From<rusqlite::Error> for MatrixError {
    fn from(e: rusqlite::Error) -> Self {
        MatrixError::Core(e.into())
    }
}

/// What every Matrix operation needs from the engine.
pub(crate) struct Ctx<'a> {
    pub store: &'a crate::store::Store,
    pub key: &'a crate::crypto::SecretKey,
    pub http: &'a crate::http::HttpClient,
    pub allow_insecure_loopback: bool,
}

impl Ctx<'_> {
    /// The stored sign-in, or [`MatrixError::NotSignedIn`].
    pub fn account(&self) -> Result<session::Account, MatrixError> {
        self.store
            .with(|c| session::account(c, self.key))?
            .ok_or(MatrixError::NotSignedIn)
    }

    /// A client for `account`'s homeserver with its token.
    pub fn client<'b>(
        &'b self,
        account: &'b session::Account,
    ) -> Result<client::Client<'b>, MatrixError> {
        let base = client::homeserver_url(&account.homeserver, self.allow_insecure_loopback)?;
        Ok(client::Client::new(
            self.http,
            base,
            Some(&account.access_token),
        ))
    }
}
