//! The alert and check-in screens over the FFI, and their translation.

use super::ms;
use crate::alerts::{CheckinState, DeliveryChannel};
use crate::matrix::{HoldState, ServerTimerState};
use parasol_core::app::{policies, view};

mirror_enum!(
    /// How a message reads: one label per state.
    DeliveryLabel = policies::DeliveryLabel {
        /// Given up.
        NotSent,
        /// Not needed any more.
        NotNeeded,
        /// Waiting.
        Waiting,
        /// Will try again.
        Retrying,
        /// Sending.
        Sending,
        /// The user must tap send.
        TapToSend,
        /// Left the phone.
        Sent,
        /// Received.
        Delivered,
    }
);

mirror_enum!(
    /// How SMS goes for a visible alert.
    SmsNote = view::SmsNote {
        /// Each one opens for the user to send.
        NeedsTap,
        /// Waits for the permission.
        NotAllowed,
        /// This phone cannot send SMS.
        Unavailable,
    }
);

/// One channel of a contact's row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChannelDelivery {
    /// SMS, webhook or push.
    pub channel: DeliveryChannel,
    /// Its label.
    pub label: DeliveryLabel,
    /// The delivery (for `SendWaitingSms`).
    pub delivery_id: String,
}

/// One contact and how the message reached them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ContactDeliveryRow {
    /// The contact.
    pub contact_id: String,
    /// Name (none: removed since).
    pub name: Option<String>,
    /// The furthest label.
    pub label: DeliveryLabel,
    /// The user must send a message to this contact.
    pub needs_you: bool,
    /// Each channel.
    pub channels: Vec<ChannelDelivery>,
}

fn rows(rows: Vec<policies::DeliveryRow>) -> Vec<ContactDeliveryRow> {
    rows.into_iter()
        .map(|r| ContactDeliveryRow {
            needs_you: r.needs_you(),
            contact_id: r.contact_id,
            name: r.name,
            label: r.label.into(),
            channels: r
                .channels
                .into_iter()
                .map(|c| ChannelDelivery {
                    channel: c.channel.into(),
                    label: c.label.into(),
                    delivery_id: c.delivery_id,
                })
                .collect(),
        })
        .collect()
}

/// "2 of 3 reached".
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct DeliverySummary {
    /// Reached.
    pub reached: u32,
    /// Written to.
    pub total: u32,
    /// Waiting for the user.
    pub waiting_for_you: u32,
}

/// The alert screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum AlertScreen {
    /// The button.
    Ready {
        /// Hold this long (ms).
        hold_ms: u32,
        /// Held so far (ms; none: not pressed).
        held_ms: Option<u32>,
        /// The countdown that follows (s).
        countdown_seconds: u32,
        /// Contacts reached by it.
        contacts: u32,
        /// How SMS goes.
        sms: Option<SmsNote>,
        /// Whether a hold can start, or what it needs first.
        hold: HoldOffer,
    },
    /// A hold runs.
    Holding {
        /// Held, or let go (the PIN ends it).
        state: HoldState,
        /// The phone sends the alert then unless kept alive or confirmed (ms).
        deadline_ms: i64,
        /// Seconds to the deadline.
        seconds_left: u32,
        /// How often the core keeps it alive (ms).
        keep_alive_every_ms: u32,
        /// The alert the homeserver holds (none: no Matrix contact).
        server_timer: Option<ServerTimerRow>,
    },
    /// Counting down.
    Countdown {
        /// Seconds left.
        seconds_left: u32,
        /// When it goes (ms).
        fires_at_ms: i64,
    },
    /// Sent.
    Sent {
        /// One row per contact.
        rows: Vec<ContactDeliveryRow>,
        /// The headline.
        summary: DeliverySummary,
        /// A location went with it.
        has_location: bool,
        /// How SMS goes.
        sms: Option<SmsNote>,
    },
    /// Over.
    Ended {
        /// Something had gone out.
        sent_something: bool,
        /// Who is told "I'm safe".
        safe_rows: Vec<ContactDeliveryRow>,
    },
}

/// What starting a hold needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HoldOffer {
    /// No Matrix account is set up.
    NoMatrixAccount,
    /// Set a hold PIN first.
    NeedsPin,
    /// Ready.
    Ready {
        /// The delay offered (s).
        default_delay_seconds: u32,
    },
}

impl From<view::HoldOffer> for HoldOffer {
    fn from(o: view::HoldOffer) -> Self {
        match o {
            view::HoldOffer::NoMatrixAccount => HoldOffer::NoMatrixAccount,
            view::HoldOffer::NeedsPin => HoldOffer::NeedsPin,
            view::HoldOffer::Ready {
                default_delay_seconds,
            } => HoldOffer::Ready {
                default_delay_seconds,
            },
        }
    }
}

/// The alert a Matrix homeserver holds for a check-in or a hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ServerTimerRow {
    /// Pending, armed, cancelling, cancelled, fired.
    pub state: ServerTimerState,
    /// When the homeserver sends it (ms), once armed.
    pub fires_at_ms: Option<i64>,
    /// Matrix contacts it covers.
    pub contacts: u32,
    /// The last step with the homeserver failed.
    pub failing: bool,
}

impl From<view::ServerTimerRow> for ServerTimerRow {
    fn from(t: view::ServerTimerRow) -> Self {
        ServerTimerRow {
            state: t.state.into(),
            fires_at_ms: t.fires_at.map(ms),
            contacts: t.contacts,
            failing: t.failing,
        }
    }
}

/// The check-in screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum CheckinScreen {
    /// No timer.
    Idle {
        /// Durations offered (minutes).
        choices: Vec<u32>,
        /// How the last one ended.
        last: Option<CheckinState>,
        /// Reminders can show.
        reminders_allowed: bool,
        /// Reminders may come late (exact alarms refused).
        reminders_late: bool,
        /// The last one's server-held alert.
        server_timer: Option<ServerTimerRow>,
    },
    /// Running.
    Running {
        /// Check in by (ms).
        deadline_ms: i64,
        /// The alert goes then (ms).
        grace_ends_ms: i64,
        /// Past the deadline.
        in_grace: bool,
        /// Time left (ms).
        time_left_ms: i64,
        /// "1:05:09".
        time_left_text: String,
        /// Extensions offered (minutes).
        extend_choices: Vec<u32>,
        /// Reminders can show.
        reminders_allowed: bool,
        /// Reminders may come late (exact alarms refused).
        reminders_late: bool,
        /// The alert the homeserver holds (none: none).
        server_timer: Option<ServerTimerRow>,
        /// The timer lives on this phone only (a notice).
        phone_only: bool,
    },
}

pub(crate) fn alert_screen(v: view::AlertView) -> AlertScreen {
    match v {
        view::AlertView::Ready {
            hold_ms,
            held_ms,
            countdown_seconds,
            contacts,
            sms,
            hold,
        } => AlertScreen::Ready {
            hold_ms,
            held_ms,
            countdown_seconds,
            contacts,
            sms: sms.map(Into::into),
            hold: hold.into(),
        },
        view::AlertView::Holding {
            state,
            deadline,
            seconds_left,
            keep_alive_every_ms,
            server_timer,
        } => AlertScreen::Holding {
            state: state.into(),
            deadline_ms: ms(deadline),
            seconds_left,
            keep_alive_every_ms,
            server_timer: server_timer.map(Into::into),
        },
        view::AlertView::Countdown {
            seconds_left,
            fires_at,
        } => AlertScreen::Countdown {
            seconds_left,
            fires_at_ms: ms(fires_at),
        },
        view::AlertView::Sent {
            rows: r,
            summary,
            has_location,
            sms,
        } => AlertScreen::Sent {
            rows: rows(r),
            summary: DeliverySummary {
                reached: summary.reached,
                total: summary.total,
                waiting_for_you: summary.waiting_for_you,
            },
            has_location,
            sms: sms.map(Into::into),
        },
        view::AlertView::Ended {
            sent_something,
            safe_rows,
        } => AlertScreen::Ended {
            sent_something,
            safe_rows: rows(safe_rows),
        },
    }
}

pub(crate) fn checkin_screen(v: view::CheckinView) -> CheckinScreen {
    match v {
        view::CheckinView::Idle {
            choices,
            last,
            reminders_allowed,
            reminders_late,
            server_timer,
        } => CheckinScreen::Idle {
            choices,
            last: last.map(Into::into),
            reminders_allowed,
            reminders_late,
            server_timer: server_timer.map(Into::into),
        },
        view::CheckinView::Running {
            deadline,
            grace_ends,
            in_grace,
            time_left_ms,
            time_left_text,
            extend_choices,
            reminders_allowed,
            reminders_late,
            server_timer,
            phone_only,
        } => CheckinScreen::Running {
            deadline_ms: ms(deadline),
            grace_ends_ms: ms(grace_ends),
            in_grace,
            time_left_ms,
            time_left_text,
            extend_choices,
            reminders_allowed,
            reminders_late,
            server_timer: server_timer.map(Into::into),
            phone_only,
        },
    }
}
