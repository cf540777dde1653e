//! Settings that can hurt if mistaken: the second passphrase, erasing after
//! failed unlocks, the two-step erase (armed for [`ERASE_WINDOW`]), the
//! disguise, and the permissions.

use super::capabilities::{Permission, PermissionStatus};
use super::contacts::rows;
use super::effects::Effect;
use super::events::Secret;
use super::policies::{seconds_left, ERASE_WINDOW};
use super::runtime::Ctx;
use super::view::{EraseStep, Notice, PermissionRow, SettingsView};
use crate::error::Result;
use crate::journal::DuressActions;
use chrono::{DateTime, Utc};

/// The erase confirmation (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    erase_armed_until: Option<DateTime<Utc>>,
}

impl State {
    /// Backs out of the confirmation.
    pub(crate) fn cancel_erase(&mut self) {
        self.erase_armed_until = None;
    }
}

/// The clock: the confirmation disarms itself.
pub(crate) fn timer(ctx: &Ctx<'_>, st: &mut State) {
    if st.erase_armed_until.is_some_and(|t| ctx.now > t) {
        st.erase_armed_until = None;
    }
}

/// Sets the second passphrase (typed twice) and what it does.
pub(crate) fn set_second(
    ctx: &mut Ctx<'_>,
    current: &Secret,
    second: &Secret,
    again: &Secret,
    actions: DuressActions,
) -> Result<()> {
    if !second.same_as(again) {
        ctx.notice = Some(Notice::Mismatch);
        return Ok(());
    }
    ctx.parts
        .journal
        .set_duress(current.bytes(), second.bytes(), actions)?;
    ctx.notice = Some(Notice::Saved);
    Ok(())
}

/// Removes the second passphrase.
pub(crate) fn clear_second(ctx: &mut Ctx<'_>, current: &Secret) -> Result<()> {
    ctx.parts.journal.clear_duress(current.bytes())?;
    ctx.notice = Some(Notice::Saved);
    Ok(())
}

/// Erase after `limit` failed unlocks in a row (`None`: never).
pub(crate) fn erase_after(ctx: &mut Ctx<'_>, current: &Secret, limit: Option<u32>) -> Result<()> {
    ctx.parts
        .journal
        .set_wipe_after_failures(current.bytes(), limit)?;
    ctx.notice = Some(Notice::Saved);
    Ok(())
}

/// First step: "erase everything?" armed for the window.
pub(crate) fn request_erase(ctx: &Ctx<'_>, st: &mut State) {
    st.erase_armed_until = Some(ctx.now + ERASE_WINDOW);
}

/// Second step: erases only while armed; then the app restarts afresh.
pub(crate) fn confirm_erase(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    match st.erase_armed_until.take() {
        Some(t) if ctx.now <= t => {
            ctx.parts.journal.wipe()?;
            ctx.fx.push(Effect::Restart);
        }
        _ => {}
    }
    Ok(())
}

/// The screen, and when the confirmation's clock changes (ms).
pub(crate) fn view(
    ctx: &Ctx<'_>,
    st: &State,
    disguised: bool,
) -> Result<(SettingsView, Option<u32>)> {
    let erase = match st.erase_armed_until {
        Some(t) if ctx.now <= t => EraseStep::Confirming {
            seconds_left: seconds_left(ctx.now, t),
        },
        _ => EraseStep::Idle,
    };
    let refresh = st
        .erase_armed_until
        .filter(|t| ctx.now <= *t)
        .map(|t| super::policies::ms_to_next_second(ctx.now, t));
    let permissions = Permission::ALL
        .iter()
        .map(|p| PermissionRow {
            permission: *p,
            status: ctx.permission(*p),
        })
        .filter(|r| r.status != PermissionStatus::NotApplicable)
        .collect();
    let silent_unreachable = rows(ctx)?
        .into_iter()
        .filter(|r| r.triggers.duress && r.silent.is_empty())
        .map(|r| r.name)
        .collect();
    Ok((
        SettingsView {
            disguised,
            can_disguise: ctx.caps().launcher_disguise,
            erase,
            permissions,
            silent_unreachable,
        },
        refresh,
    ))
}
