//! The check-in screen: start, extend, "I'm OK", stop, and the clock. The
//! reminders and the alert are planned by [`super::planner`].

use super::capabilities::Permission;
use super::policies::{self, CheckinTimes, CHECKIN_CHOICES, EXTEND_CHOICES};
use super::runtime::Ctx;
use super::view::CheckinView;
use crate::alerts::{CheckinDeadline, CheckinRequest, CheckinState};
use crate::error::Result;
use chrono::Duration;

/// Starts a timer of `minutes` with the engine's default grace.
pub(crate) fn start(ctx: &mut Ctx<'_>, minutes: u32) -> Result<()> {
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
    Ok(())
}

/// Moves the deadline later.
pub(crate) fn extend(ctx: &mut Ctx<'_>, minutes: u32) -> Result<()> {
    ctx.parts
        .alerts
        .extend_checkin(Duration::minutes(minutes.into()))?;
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

/// The screen, and when the clock on it changes (ms).
pub(crate) fn view(ctx: &Ctx<'_>) -> Result<(CheckinView, Option<u32>)> {
    let reminders_allowed = ctx.permission(Permission::Notifications).allows();
    let current = ctx.parts.alerts.checkin()?;
    let Some(c) = current.filter(|c| c.state == CheckinState::Active) else {
        let last = ctx.parts.alerts.checkin()?.map(|c| c.state);
        return Ok((
            CheckinView::Idle {
                choices: CHECKIN_CHOICES.to_vec(),
                last,
                reminders_allowed,
            },
            None,
        ));
    };
    let times = CheckinTimes::of(&c);
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
        },
        Some(policies::ms_to_next_second(ctx.now, next_change)),
    ))
}
