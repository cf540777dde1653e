//! One private direct room per contact: created (with the contact invited)
//! on the first message, kept sealed in `alert_meta`, and replaced by a new
//! room with a new invitation when the contact has left it or we are no
//! longer in it. A message sent before the contact joins waits in the room:
//! it is readable once they accept the invitation.

use super::client::{Client, Membership, Sent};
use super::session::{self, Account, Room};
use super::{Ctx, MatrixError};

/// How a message reached a contact's room.
pub(crate) struct Placed {
    /// What the server returned.
    pub sent: Sent,
    /// Whether the contact can read it now, or must join first.
    pub membership: Membership,
    /// The contact had left: a new room and invitation were made.
    pub new_room: bool,
}

/// The room of a contact, made (and the contact invited) if there is none
/// or the contact has left it.
fn room(
    ctx: &Ctx<'_>,
    client: &Client<'_>,
    account: &Account,
    contact_id: &str,
    mxid: &str,
) -> Result<(String, Membership, bool), MatrixError> {
    let stored = ctx
        .store
        .with(|c| session::room(c, ctx.key, contact_id, &account.user_id, mxid))?;
    if let Some(r) = stored {
        match client.membership(&r.room_id, mxid) {
            Ok(Membership::Gone) | Err(MatrixError::RoomGone) => {
                ctx.store.with(|c| session::forget_room(c, contact_id))?;
                let (id, m, _) = create(ctx, client, account, contact_id, mxid)?;
                return Ok((id, m, true));
            }
            Ok(m) => return Ok((r.room_id, m, false)),
            Err(e) => return Err(e),
        }
    }
    create(ctx, client, account, contact_id, mxid)
}

fn create(
    ctx: &Ctx<'_>,
    client: &Client<'_>,
    account: &Account,
    contact_id: &str,
    mxid: &str,
) -> Result<(String, Membership, bool), MatrixError> {
    let room_id = client.create_direct_room(mxid)?;
    ctx.store.with(|c| {
        session::save_room(
            c,
            ctx.key,
            contact_id,
            &Room {
                owner: account.user_id.clone(),
                contact: mxid.to_owned(),
                room_id: room_id.clone(),
            },
        )
    })?;
    Ok((room_id, Membership::Invite, false))
}

/// A message for a contact's room.
pub(crate) struct Message<'a> {
    /// The contact.
    pub contact_id: &'a str,
    /// Their Matrix ID.
    pub mxid: &'a str,
    /// The transaction id (a retry with it never makes a second message).
    pub txn: &'a str,
    /// The text.
    pub text: &'a str,
    /// Held by the server for this long first, if given.
    pub delay_ms: Option<u64>,
}

/// Sends `m` to the room of its contact, making the room as needed.
pub(crate) fn send(
    ctx: &Ctx<'_>,
    client: &Client<'_>,
    account: &Account,
    m: &Message<'_>,
) -> Result<Placed, MatrixError> {
    let (contact_id, mxid, txn, text, delay_ms) = (m.contact_id, m.mxid, m.txn, m.text, m.delay_ms);
    let (room_id, membership, new_room) = room(ctx, client, account, contact_id, mxid)?;
    match client.send_text(&room_id, txn, text, delay_ms) {
        Ok(sent) => Ok(Placed {
            sent,
            membership,
            new_room,
        }),
        Err(MatrixError::RoomGone) => {
            // We are no longer in it: a new room, once.
            ctx.store.with(|c| session::forget_room(c, contact_id))?;
            let (room_id, membership, _) = create(ctx, client, account, contact_id, mxid)?;
            let sent = client.send_text(&room_id, txn, text, delay_ms)?;
            Ok(Placed {
                sent,
                membership,
                new_room: true,
            })
        }
        Err(e) => Err(e),
    }
}

/// Where a contact stands with their room, asking the server.
pub(crate) fn membership(
    ctx: &Ctx<'_>,
    client: &Client<'_>,
    account: &Account,
    contact_id: &str,
    mxid: &str,
) -> Result<Option<Membership>, MatrixError> {
    let stored = ctx
        .store
        .with(|c| session::room(c, ctx.key, contact_id, &account.user_id, mxid))?;
    let Some(r) = stored else { return Ok(None) };
    match client.membership(&r.room_id, mxid) {
        Ok(m) => Ok(Some(m)),
        Err(MatrixError::RoomGone) => Ok(Some(Membership::Gone)),
        Err(e) => Err(e),
    }
}
