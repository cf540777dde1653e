//! The alert screen: hold to alert, the countdown, who was reached, "I'm
//! safe", and the messages the user must send themselves (composer).
//!
//! A silent alert is never on this screen and never in a composer: the
//! SMS router refuses it (see [`super::capabilities::sms_route`]).

use super::capabilities::{sms_route, Permission, SmsRoute};
use super::effects::Effect;
use super::events::SmsResult;
use super::policies::{self, COUNTDOWN_SECONDS, HOLD, LOCATION_MAX_AGE, LOCATION_TIMEOUT};
use super::runtime::Ctx;
use super::view::{AlertView, Notice, SmsNote};
use crate::alerts::{
    AlertMode, AlertReason, AlertState, AlertStatus, Channel, DeliveryState, Location, MessageKind,
    SmsReport, TriggerRequest,
};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

/// The screen's own state (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    /// When the finger went down, while it is down.
    hold_since: Option<DateTime<Utc>>,
    /// The visible alert on screen.
    pub(crate) shown: Option<String>,
    /// The last location fix and when it came.
    fix: Option<(Location, DateTime<Utc>)>,
    /// Open the composer for waiting messages without a tap (the user just
    /// raised the alert and has not closed a composer unsent).
    auto_compose: bool,
    /// The message in the composer now.
    composing: Option<String>,
    /// Messages the user closed unsent: not opened again without a tap.
    declined: HashSet<String>,
}

impl State {
    /// Forgets the hold (quick exit, background).
    pub(crate) fn release(&mut self) {
        self.hold_since = None;
    }

    /// Whether the shown countdown is due (the runtime then runs due work first).
    pub(crate) fn countdown_due(&self, ctx: &Ctx<'_>) -> bool {
        self.shown
            .as_deref()
            .and_then(|id| ctx.parts.alerts.status(id).ok())
            .is_some_and(|a| {
                a.state == AlertState::Countdown && a.fires_at.is_some_and(|t| t <= ctx.now)
            })
    }
}

fn ask_location(ctx: &mut Ctx<'_>, st: &State) {
    let fresh = st
        .fix
        .as_ref()
        .is_some_and(|(_, at)| ctx.now - *at < LOCATION_MAX_AGE);
    if !fresh && ctx.permission(Permission::Location).allows() {
        ctx.fx.push(Effect::GetLocation {
            timeout_ms: LOCATION_TIMEOUT.num_milliseconds() as u32,
        });
    }
}

/// The finger went down.
pub(crate) fn hold_started(ctx: &mut Ctx<'_>, st: &mut State) {
    if showing_open_alert(ctx, st) {
        return;
    }
    st.hold_since = Some(ctx.now);
    ask_location(ctx, st);
}

/// The finger lifted (before the hold completed, nothing happens).
pub(crate) fn hold_released(st: &mut State) {
    st.hold_since = None;
}

/// The screen's clock: completes a hold.
pub(crate) fn timer(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    match st.hold_since {
        Some(t) if ctx.now - t >= HOLD => {
            st.hold_since = None;
            trigger(ctx, st)
        }
        _ => Ok(()),
    }
}

fn showing_open_alert(ctx: &Ctx<'_>, st: &State) -> bool {
    st.shown
        .as_deref()
        .and_then(|id| ctx.parts.alerts.status(id).ok())
        .is_some_and(|a| a.state.is_open())
}

/// Raises the alert: a countdown, with the last fix if it is fresh.
pub(crate) fn trigger(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    if showing_open_alert(ctx, st) {
        return Ok(());
    }
    let location = st
        .fix
        .filter(|(_, at)| ctx.now - *at < LOCATION_MAX_AGE)
        .map(|(l, _)| l);
    let request = TriggerRequest {
        mode: AlertMode::Countdown {
            seconds: COUNTDOWN_SECONDS,
        },
        reason: AlertReason::Button,
        location,
        note: None,
    };
    let status = match ctx.parts.alerts.trigger(&request) {
        Err(Error::NotFound(_)) => {
            ctx.notice = Some(Notice::NoContacts);
            return Ok(());
        }
        other => other?,
    };
    st.shown = Some(status.id);
    st.auto_compose = true;
    st.declined.clear();
    ask_location(ctx, st);
    // The countdown leaves time to answer the system's SMS question.
    let has_phone = ctx
        .parts
        .alerts
        .contacts()?
        .iter()
        .any(|c| c.triggers.button && c.phone.is_some());
    let sms = ctx.permission(Permission::Sms);
    if has_phone
        && matches!(sms_route(&ctx.caps(), sms, false), SmsRoute::Wait(_))
        && ctx.worth_asking(Permission::Sms)
    {
        ctx.fx.push(Effect::RequestPermission {
            permission: Permission::Sms,
            open_settings: false,
        });
    }
    Ok(())
}

fn shown_id(st: &State) -> Result<String> {
    st.shown
        .clone()
        .ok_or_else(|| Error::NotFound("no alert on screen".into()))
}

/// Stops the countdown: nothing is sent.
pub(crate) fn cancel(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    ctx.parts.alerts.cancel(&shown_id(st)?)?;
    Ok(())
}

/// "I'm safe" (the follow-ups go with the next wake-up, planned at once).
pub(crate) fn im_safe(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    ctx.parts.alerts.resolve(&shown_id(st)?)?;
    st.auto_compose = false;
    Ok(())
}

/// Back to the button after an ended alert.
pub(crate) fn dismiss(ctx: &mut Ctx<'_>, st: &mut State) {
    if !showing_open_alert(ctx, st) {
        st.shown = None;
    }
}

/// A location fix arrived: kept for the next alert, sent with an open one.
pub(crate) fn location(ctx: &mut Ctx<'_>, st: &mut State, fix: Option<Location>) -> Result<()> {
    let Some(fix) = fix else { return Ok(()) };
    st.fix = Some((fix, ctx.now));
    if showing_open_alert(ctx, st) {
        ctx.parts.alerts.update_location(&shown_id(st)?, fix)?;
    }
    Ok(())
}

/// The user wants to send a waiting message: the composer, if it is one of
/// the visible alert's.
pub(crate) fn compose(ctx: &mut Ctx<'_>, st: &mut State, delivery_id: &str) -> Result<()> {
    let d = ctx.parts.alerts.delivery(delivery_id)?;
    let shown = shown_id(st)?;
    let alert = ctx.parts.alerts.status(&shown)?;
    if d.alert_id.as_deref() != Some(shown.as_str()) || !policies::visible(&alert) {
        return Err(Error::invalid("that message is not on screen"));
    }
    st.declined.remove(delivery_id);
    open_composer(ctx, st, delivery_id)
}

fn open_composer(ctx: &mut Ctx<'_>, st: &mut State, delivery_id: &str) -> Result<()> {
    let r = ctx.parts.alerts.sms_request(delivery_id)?;
    if r.silent {
        return Err(Error::invalid("a silent message is never shown"));
    }
    st.composing = Some(r.delivery_id.clone());
    ctx.fx.push(Effect::ComposeSms {
        delivery_id: r.delivery_id,
        phone: r.phone,
        text: r.text,
    });
    Ok(())
}

/// What became of an SMS (silent send or composer).
pub(crate) fn sms_result(
    ctx: &mut Ctx<'_>,
    st: &mut State,
    delivery_id: &str,
    result: SmsResult,
) -> Result<()> {
    if st.composing.as_deref() == Some(delivery_id) {
        st.composing = None;
    }
    let report = match result {
        SmsResult::Sent => SmsReport::Sent,
        SmsResult::Delivered => SmsReport::Delivered,
        SmsResult::Failed { reason } => SmsReport::Failed { reason },
        SmsResult::Cancelled => {
            st.declined.insert(delivery_id.to_owned());
            st.auto_compose = false;
            SmsReport::Failed {
                reason: "not sent by the user".into(),
            }
        }
    };
    ctx.parts.alerts.report_sms(delivery_id, &report)?;
    Ok(())
}

/// After every event: while the user is in the composer flow of an alert
/// they raised, the next waiting message opens by itself.
pub(crate) fn follow_up(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    if !ctx.foreground() || !st.auto_compose || st.composing.is_some() {
        return Ok(());
    }
    let Some(id) = st.shown.clone() else {
        return Ok(());
    };
    let alert = ctx.parts.alerts.status(&id)?;
    if alert.state != AlertState::Fired || !policies::visible(&alert) {
        return Ok(());
    }
    let next = alert.deliveries.iter().find(|d| {
        d.state == DeliveryState::NeedsUserAction
            && d.channel == Channel::Sms
            && !st.declined.contains(&d.id)
    });
    match next {
        Some(d) => open_composer(ctx, st, &d.id.clone()),
        None => Ok(()),
    }
}

fn sms_note(ctx: &Ctx<'_>) -> Option<SmsNote> {
    match sms_route(&ctx.caps(), ctx.permission(Permission::Sms), false) {
        SmsRoute::Silent => None,
        SmsRoute::Composer => Some(SmsNote::NeedsTap),
        SmsRoute::Wait(_) => Some(SmsNote::NotAllowed),
        SmsRoute::Impossible(_) => Some(SmsNote::Unavailable),
    }
}

/// The screen, and when to look again (ms).
pub(crate) fn view(ctx: &Ctx<'_>, st: &State) -> Result<(AlertView, Option<u32>)> {
    let shown: Option<AlertStatus> = match &st.shown {
        Some(id) => Some(ctx.parts.alerts.status(id)?),
        None => None,
    };
    let Some(a) = shown else {
        let contacts = ctx.parts.alerts.contacts()?;
        let reached: Vec<_> = contacts.iter().filter(|c| c.triggers.button).collect();
        let held = st.hold_since.map(|t| {
            (ctx.now - t)
                .num_milliseconds()
                .clamp(0, HOLD.num_milliseconds()) as u32
        });
        let hold_ms = HOLD.num_milliseconds() as u32;
        let refresh = held.map(|h| hold_ms.saturating_sub(h).max(1));
        let sms = reached
            .iter()
            .any(|c| c.phone.is_some())
            .then(|| sms_note(ctx))
            .flatten();
        return Ok((
            AlertView::Ready {
                hold_ms,
                held_ms: held,
                countdown_seconds: COUNTDOWN_SECONDS,
                contacts: reached.len() as u32,
                sms,
                hold: super::hold::offer(ctx)?,
            },
            refresh,
        ));
    };
    let contacts = ctx.parts.alerts.contacts()?;
    Ok(match a.state {
        AlertState::Countdown => {
            let at = a.fires_at.unwrap_or(ctx.now);
            (
                AlertView::Countdown {
                    seconds_left: policies::seconds_left(ctx.now, at),
                    fires_at: at,
                },
                Some(policies::ms_to_next_second(ctx.now, at)),
            )
        }
        AlertState::Fired => {
            let rows = policies::delivery_rows(&a.deliveries, &contacts, MessageKind::Alert);
            let has_sms = rows
                .iter()
                .any(|r| r.channels.iter().any(|c| c.channel == Channel::Sms));
            (
                AlertView::Sent {
                    summary: policies::summarize(&rows),
                    rows,
                    has_location: a.has_location,
                    sms: has_sms.then(|| sms_note(ctx)).flatten(),
                },
                None,
            )
        }
        AlertState::Cancelled | AlertState::Resolved => (
            AlertView::Ended {
                sent_something: a.fired_at.is_some(),
                safe_rows: policies::delivery_rows(&a.deliveries, &contacts, MessageKind::Safe),
            },
            None,
        ),
    })
}

/// After a start: the alert a restarted app shows.
pub(crate) fn restore(ctx: &Ctx<'_>, st: &mut State) -> Result<()> {
    let open = ctx.parts.alerts.active_alerts()?;
    st.shown = policies::alert_to_show(&open).map(|a| a.id.clone());
    Ok(())
}
