//! Hold ("walking home") on the alert screen: a dead-man button whose alert
//! a Matrix homeserver holds. The core keeps it alive: the planner asks for
//! a wake-up at every keep-alive instant (a third of the delay, so two missed
//! wake-ups in a row still do not fire it), and each `WokeUp` or
//! `TimerElapsed` at or after that instant calls the engine's keep-alive.
//! If the wake-ups stop (phone taken, smashed, switched off) the homeserver
//! sends the alert; letting go starts the phone's deadline, which only the
//! hold PIN stops.
//!
//! The engine does the work (`crate::alerts::hold`); this module decides
//! when, and what the screen shows.

use super::checkin::server_timer_row;
use super::events::Secret;
use super::runtime::Ctx;
use super::view::{AlertView, HoldOffer, Notice};
use super::{alert, policies};
use crate::alerts::hold::DEFAULT_HOLD_DELAY;
use crate::alerts::{HoldRequest, HoldState, HoldStatus};
use crate::error::Result;
use chrono::{DateTime, Duration, Utc};

/// The screen's own state (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The fired hold whose alert was already put on screen.
    shown_fired: Option<String>,
}

/// Whether a hold can start, or what it needs first.
pub(crate) fn offer(ctx: &Ctx<'_>) -> Result<HoldOffer> {
    let account = ctx
        .parts
        .alerts
        .matrix_status(false)
        .ok()
        .and_then(|s| s.user_id);
    if account.is_none() {
        return Ok(HoldOffer::NoMatrixAccount);
    }
    if !ctx.parts.alerts.has_hold_pin()? {
        return Ok(HoldOffer::NeedsPin);
    }
    Ok(HoldOffer::Ready {
        default_delay_seconds: DEFAULT_HOLD_DELAY.as_secs() as u32,
    })
}

/// A hold that runs (held or let go), if any.
fn running(ctx: &Ctx<'_>) -> Result<Option<HoldStatus>> {
    Ok(ctx
        .parts
        .alerts
        .hold()?
        .filter(|h| matches!(h.state, HoldState::Holding | HoldState::Released)))
}

/// When the next keep-alive is due: while held, one interval after the last
/// one (the deadline is the last one plus three intervals).
pub(crate) fn next_keep_alive(h: &HoldStatus) -> Option<DateTime<Utc>> {
    let every = Duration::from_std(h.keep_alive_every).ok()?;
    (h.state == HoldState::Holding).then(|| h.deadline - every * 2)
}

/// The next keep-alive of the running hold, for the planner.
pub(crate) fn planned(ctx: &Ctx<'_>) -> Result<Option<DateTime<Utc>>> {
    Ok(running(ctx)?.as_ref().and_then(next_keep_alive))
}

/// Sets or removes the hold PIN.
pub(crate) fn set_pin(ctx: &mut Ctx<'_>, pin: Option<&Secret>) -> Result<()> {
    ctx.parts.alerts.set_hold_pin(pin.map(Secret::bytes))?;
    ctx.notice = Some(Notice::Saved);
    Ok(())
}

/// Starts holding with a delay of `delay_seconds`.
pub(crate) fn start(ctx: &mut Ctx<'_>, delay_seconds: u32) -> Result<()> {
    if !matches!(offer(ctx)?, HoldOffer::Ready { .. }) {
        ctx.notice = Some(Notice::InvalidInput);
        return Ok(());
    }
    ctx.parts.alerts.hold_start(&HoldRequest {
        delay: std::time::Duration::from_secs(delay_seconds.into()),
        ..HoldRequest::default()
    })?;
    Ok(())
}

/// Lets go: the phone's deadline now runs; the PIN stops it.
pub(crate) fn release(ctx: &mut Ctx<'_>) -> Result<()> {
    ctx.parts.alerts.hold_release()?;
    Ok(())
}

/// Ends the hold without an alert, with the PIN.
pub(crate) fn confirm(ctx: &mut Ctx<'_>, pin: &Secret) -> Result<()> {
    ctx.parts.alerts.hold_confirm(pin.bytes())?;
    Ok(())
}

/// A wake-up or the screen's timer: keeps the hold alive if it is due.
pub(crate) fn keep_alive_if_due(ctx: &mut Ctx<'_>) -> Result<()> {
    let due = running(ctx)?
        .as_ref()
        .and_then(next_keep_alive)
        .is_some_and(|t| t <= ctx.now);
    if due {
        ctx.parts.alerts.hold_keep_alive()?;
    }
    Ok(())
}

/// After every event: a hold that fired puts its alert on screen, once.
pub(crate) fn follow_up(ctx: &Ctx<'_>, st: &mut State, screen: &mut alert::State) -> Result<()> {
    let Some(h) = ctx.parts.alerts.hold()? else {
        return Ok(());
    };
    if h.state == HoldState::Fired && st.shown_fired.as_deref() != Some(h.id.as_str()) {
        if let Some(id) = h.alert_id {
            screen.shown = Some(id);
        }
        st.shown_fired = Some(h.id);
    }
    Ok(())
}

/// The screen while a hold runs, and when to look again (ms).
pub(crate) fn view(ctx: &Ctx<'_>) -> Result<Option<(AlertView, Option<u32>)>> {
    let Some(h) = running(ctx)? else {
        return Ok(None);
    };
    Ok(Some((
        AlertView::Holding {
            state: h.state,
            deadline: h.deadline,
            seconds_left: policies::seconds_left(ctx.now, h.deadline),
            keep_alive_every_ms: h.keep_alive_every.as_millis() as u32,
            server_timer: h.server_timer.as_ref().map(server_timer_row),
        },
        Some(policies::ms_to_next_second(ctx.now, h.deadline)),
    )))
}
