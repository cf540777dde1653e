//! The check-in screen: start, extend, "I'm OK", stop, the clock, and where
//! the alert the Matrix homeserver holds stands (or that the timer lives on
//! this phone only). On start and extend the core asks for one location fix
//! (in the foreground, only when location is allowed: never in the
//! background) and hands it to the engine, which the missed check-in alert
//! carries. The reminders and the alert are planned by [`super::planner`].

use super::capabilities::{Permission, PermissionStatus};
use super::effects::Effect;
use super::policies::{self, CheckinTimes, CHECKIN_CHOICES, EXTEND_CHOICES};
use super::runtime::Ctx;
use super::view::{CheckinView, ServerTimerRow};
use crate::alerts::timers::ServerTimer;
use crate::alerts::{CheckinDeadline, CheckinRequest, CheckinState, Location};
use crate::error::Result;
use chrono::Duration;

/// The screen's own state (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    /// A location fix was asked for the running check-in.
    wants_fix: bool,
}

/// The server-held alert as a shell shows it.
pub(crate) fn server_timer_row(t: &ServerTimer) -> ServerTimerRow {
    ServerTimerRow {
        state: t.state,
        fires_at: t.fires_at,
        contacts: t.contacts,
        failing: t.last_error.is_some(),
    }
}

/// Asks for one fix now, if location is allowed (never asks for the permission here).
fn ask_location(ctx: &mut Ctx<'_>, st: &mut State) {
    if ctx.permission(Permission::Location).allows() {
        ctx.fx.push(Effect::GetLocation {
            timeout_ms: policies::LOCATION_TIMEOUT.num_milliseconds() as u32,
        });
        st.wants_fix = true;
    }
}

/// A location fix arrived: the running check-in's alert will carry it.
pub(crate) fn location(ctx: &mut Ctx<'_>, st: &mut State, fix: Option<Location>) -> Result<()> {
    if !std::mem::take(&mut st.wants_fix) {
        return Ok(());
    }
    let Some(fix) = fix else { return Ok(()) };
    let running = ctx
        .parts
        .alerts
        .checkin()?
        .is_some_and(|c| c.state == CheckinState::Active);
    if running {
        ctx.parts.alerts.update_checkin_location(fix)?;
    }
    Ok(())
}

/// Starts a timer of `minutes` with the engine's default grace.
pub(crate) fn start(ctx: &mut Ctx<'_>, st: &mut State, minutes: u32) -> Result<()> {
    ctx.parts.alerts.start_checkin(&CheckinRequest {
        deadline: CheckinDeadline::In(Duration::minutes(minutes.into())),
        grace: None,
        note: None,
        location: None,
    })?;
    // Reminders need notifications; the alert needs a wake-up on time.
    ctx.nudge(Permission::Notifications);
    if ctx.caps().exact_wakeups {
        ctx.nudge(Permission::ExactAlarms);
    }
    ask_location(ctx, st);
    Ok(())
}

/// Moves the deadline later (and refreshes the place the alert carries).
pub(crate) fn extend(ctx: &mut Ctx<'_>, st: &mut State, minutes: u32) -> Result<()> {
    ctx.parts
        .alerts
        .extend_checkin(Duration::minutes(minutes.into()))?;
    ask_location(ctx, st);
    Ok(())
}

/// "I'm OK": nothing is sent.
pub(crate) fn check_in(ctx: &mut Ctx<'_>) -> Result<()> {
    ctx.parts.alerts.check_in()?;
    Ok(())
}

/// Stops the timer without an alert.
pub(crate) fn stop(ctx: &mut Ctx<'_>) -> Result<()> {
    ctx.parts.alerts.cancel_checkin()?;
    Ok(())
}

/// Wake-ups may come late: the platform has exact alarms and the user
/// refused them (asked and said no; not merely not asked yet).
fn reminders_late(ctx: &Ctx<'_>) -> bool {
    ctx.caps().exact_wakeups
        && matches!(
            ctx.permission(Permission::ExactAlarms),
            PermissionStatus::Denied | PermissionStatus::DeniedForever
        )
}

/// The screen, and when the clock on it changes (ms).
pub(crate) fn view(ctx: &Ctx<'_>) -> Result<(CheckinView, Option<u32>)> {
    let reminders_allowed = ctx.permission(Permission::Notifications).allows();
    let reminders_late = reminders_late(ctx);
    let current = ctx.parts.alerts.checkin()?;
    let Some(c) = current.as_ref().filter(|c| c.state == CheckinState::Active) else {
        return Ok((
            CheckinView::Idle {
                choices: CHECKIN_CHOICES.to_vec(),
                last: current.as_ref().map(|c| c.state),
                reminders_allowed,
                reminders_late,
                server_timer: current
                    .as_ref()
                    .and_then(|c| c.server_timer.as_ref())
                    .map(server_timer_row),
            },
            None,
        ));
    };
    let times = CheckinTimes::of(c);
    let server_timer = c.server_timer.as_ref().map(server_timer_row);
    let left = times.time_left(ctx.now).num_milliseconds();
    let next_change = if ctx.now < times.deadline {
        times.deadline
    } else {
        times.grace_ends
    };
    Ok((
        CheckinView::Running {
            deadline: times.deadline,
            grace_ends: times.grace_ends,
            in_grace: times.in_grace(ctx.now),
            time_left_ms: left,
            time_left_text: policies::time_left_text(left),
            extend_choices: EXTEND_CHOICES.to_vec(),
            reminders_allowed,
            reminders_late,
            phone_only: server_timer.is_none(),
            server_timer,
        },
        Some(policies::ms_to_next_second(ctx.now, next_change)),
    ))
}
