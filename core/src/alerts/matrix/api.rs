//! Signing in to Matrix, signing out, and where each Matrix contact stands.

use super::client::{self, Client, DelayLimits, Membership};
use super::session::{self, Account};
use super::{rooms, MatrixError};
use crate::alerts::{contacts, timers, validate, Alerts};
use rusqlite::params;
use zeroize::Zeroizing;

/// Where a Matrix contact stands with their room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixContactState {
    /// No message has gone to them yet: the room is made with the first one.
    NoRoomYet,
    /// Invited, not joined yet: messages wait in the room until they accept.
    Invited,
    /// Joined: they read what is sent.
    Joined,
    /// They left the room: the next message makes a new room and invites them again.
    Left,
    /// The homeserver could not be asked (offline, rate limited...).
    Unknown,
}

impl MatrixContactState {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            MatrixContactState::NoRoomYet => "no_room_yet",
            MatrixContactState::Invited => "invited",
            MatrixContactState::Joined => "joined",
            MatrixContactState::Left => "left",
            MatrixContactState::Unknown => "unknown",
        }
    }
}

/// One Matrix contact's room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRoomStatus {
    /// The contact.
    pub contact_id: String,
    /// Their Matrix ID.
    pub matrix_id: String,
    /// Where they stand.
    pub state: MatrixContactState,
}

/// The Matrix set-up, as a shell shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixStatus {
    /// The homeserver signed in to, if any.
    pub homeserver: Option<String>,
    /// `@user:server`, if signed in.
    pub user_id: Option<String>,
    /// The session's device id, if signed in.
    pub device_id: Option<String>,
    /// The server's delayed-message limits (`None`: unknown or unsupported).
    pub limits: Option<DelayLimits>,
    /// Every contact with a Matrix ID.
    pub rooms: Vec<MatrixRoomStatus>,
}

/// What signing out did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatrixLogout {
    /// The session was ended on the server too (else only forgotten here,
    /// e.g. offline: it stays valid on the server until it expires).
    pub server_side: bool,
}

impl Alerts {
    pub(crate) fn matrix(&self) -> super::Ctx<'_> {
        super::Ctx {
            store: self.profile.store(),
            key: self.key(),
            http: self.profile.http(),
            allow_insecure_loopback: self.allow_loopback(),
        }
    }

    /// Signs in to `homeserver` (its client URL, `https://…`) as `user`
    /// (`@name:server` or `name`). The access token and device id are stored
    /// sealed; the password is not kept. Refused while already signed in.
    pub fn matrix_login(
        &self,
        homeserver: &str,
        user: &str,
        password: &str,
    ) -> Result<MatrixStatus, MatrixError> {
        let password = Zeroizing::new(password.to_owned());
        let user = user.trim();
        if user.is_empty() || user.len() > validate::MAX_MATRIX_ID_BYTES {
            return Err(crate::Error::invalid("give your Matrix user name").into());
        }
        if user.starts_with('@') {
            validate::matrix_id(user)?;
        }
        if password.is_empty() {
            return Err(crate::Error::invalid("give your Matrix password").into());
        }
        let ctx = self.matrix();
        if ctx.store.with(|c| session::account(c, ctx.key))?.is_some() {
            return Err(
                crate::Error::invalid("already signed in to Matrix: sign out first").into(),
            );
        }
        let base = client::homeserver_url(homeserver, ctx.allow_insecure_loopback)?;
        let anonymous = Client::new(ctx.http, base.clone(), None);
        anonymous.versions()?;
        let login = anonymous.login(user, &password)?;
        let signed = Client::new(ctx.http, base.clone(), Some(&login.access_token));
        // The limits are read again when a timer is armed if this fails.
        let limits = signed.delay_limits().ok().flatten();
        let account = Account {
            homeserver: base.to_string(),
            user_id: login.user_id.clone(),
            device_id: login.device_id.clone(),
            access_token: login.access_token.clone(),
            limits,
        };
        ctx.store
            .transaction(|tx| session::save_account(tx, ctx.key, &account))?;
        self.matrix_status(false)
    }

    /// Signs out: the session is ended on the server when it can be reached,
    /// and the token, device id and rooms are forgotten here always. Refused
    /// while a server-held timer is running (end the check-in or hold first:
    /// signing out could drop it).
    pub fn matrix_logout(&self) -> Result<MatrixLogout, MatrixError> {
        let ctx = self.matrix();
        let Some(account) = ctx.store.with(|c| session::account(c, ctx.key))? else {
            return Err(MatrixError::NotSignedIn);
        };
        let busy: i64 = ctx.store.with(|c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM alert_timers WHERE state IN (0, 1, 2)",
                params![],
                |r| r.get(0),
            )?)
        })?;
        if busy > 0 {
            return Err(crate::Error::invalid(
                "a check-in or hold is held by the Matrix server: end it before signing out",
            )
            .into());
        }
        let server_side = match ctx.client(&account).and_then(|c| c.logout()) {
            Ok(()) | Err(MatrixError::SessionExpired) => true,
            Err(_) => false,
        };
        ctx.store.transaction(|tx| {
            session::forget_all(tx)?;
            tx.execute("DELETE FROM alert_timers", [])?;
            Ok(())
        })?;
        ctx.store.checkpoint()?;
        Ok(MatrixLogout { server_side })
    }

    /// The Matrix set-up; with `check_rooms`, asks the homeserver where each
    /// contact stands (one request per contact).
    pub fn matrix_status(&self, check_rooms: bool) -> Result<MatrixStatus, MatrixError> {
        let ctx = self.matrix();
        let account = ctx.store.with(|c| session::account(c, ctx.key))?;
        let (list, _) = ctx.store.with(|c| contacts::list(c, ctx.key))?;
        let client = match (&account, check_rooms) {
            (Some(a), true) => Some(ctx.client(a)?),
            _ => None,
        };
        let mut rooms_out = Vec::new();
        for c in list {
            let Some(mxid) = c.matrix_id.clone() else {
                continue;
            };
            let state = match (&account, &client) {
                (Some(a), Some(cl)) => match rooms::membership(&ctx, cl, a, &c.id, &mxid) {
                    Ok(None) => MatrixContactState::NoRoomYet,
                    Ok(Some(Membership::Join)) => MatrixContactState::Joined,
                    Ok(Some(Membership::Invite)) => MatrixContactState::Invited,
                    Ok(Some(Membership::Gone)) => MatrixContactState::Left,
                    Err(MatrixError::SessionExpired) => return Err(MatrixError::SessionExpired),
                    Err(_) => MatrixContactState::Unknown,
                },
                (Some(a), None) => {
                    let room = ctx
                        .store
                        .with(|conn| session::room(conn, ctx.key, &c.id, &a.user_id, &mxid))?;
                    if room.is_some() {
                        MatrixContactState::Unknown
                    } else {
                        MatrixContactState::NoRoomYet
                    }
                }
                (None, _) => MatrixContactState::NoRoomYet,
            };
            rooms_out.push(MatrixRoomStatus {
                contact_id: c.id,
                matrix_id: mxid,
                state,
            });
        }
        Ok(MatrixStatus {
            homeserver: account.as_ref().map(|a| a.homeserver.clone()),
            user_id: account.as_ref().map(|a| a.user_id.clone()),
            device_id: account.as_ref().map(|a| a.device_id.clone()),
            limits: account.as_ref().and_then(|a| a.limits),
            rooms: rooms_out,
        })
    }

    /// Runs the due steps of the server-held timers now (the flush does this
    /// too). Errors are kept on the timers, not returned.
    pub(crate) fn sync_timers(&self) -> crate::Result<usize> {
        let ctx = self.matrix();
        timers::sync(&ctx, || self.now(), &self.settings().retry)
    }
}
