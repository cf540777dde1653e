//! The app's rules and constants, in one place, for both shells: how long
//! to hold, how long to count down, how long the erase confirmation stays
//! armed, how a delivery reads, which alert a restarted app shows, and the
//! check-in's grace arithmetic.

use crate::alerts::{
    AlertMode, AlertReason, AlertState, AlertStatus, Channel, CheckinStatus, Contact,
    DeliveryState, DeliveryStatus, MessageKind,
};
use chrono::{DateTime, Duration, Utc};

/// How long the alert button must be held (no pocket presses).
pub const HOLD: Duration = Duration::milliseconds(1500);
/// Seconds between the hold completing and the alert going out (cancellable).
pub const COUNTDOWN_SECONDS: u32 = 10;
/// How long "erase everything?" stays armed after the first tap.
pub const ERASE_WINDOW: Duration = Duration::seconds(10);
/// Check-in durations offered, in minutes.
pub const CHECKIN_CHOICES: [u32; 4] = [30, 60, 120, 240];
/// Extensions offered while a check-in runs, in minutes.
pub const EXTEND_CHOICES: [u32; 3] = [15, 30, 60];
/// How long to wait for a location fix.
pub const LOCATION_TIMEOUT: Duration = Duration::seconds(30);
/// A fix older than this is not attached to a new alert.
pub const LOCATION_MAX_AGE: Duration = Duration::minutes(10);
/// A wake-up never comes sooner than this after one that just ran (no busy loop).
pub const MIN_WAKE_SPACING: Duration = Duration::seconds(1);
/// Where "Leave" goes on a platform that cannot show the home screen.
pub const COVER_PAGE: &str = "https://www.google.com/search?q=weather";

/// Whole seconds left until `at`, rounded up (never shows 0 early).
pub fn seconds_left(now: DateTime<Utc>, at: DateTime<Utc>) -> u32 {
    let ms = (at - now).num_milliseconds();
    if ms <= 0 {
        0
    } else {
        u32::try_from((ms + 999) / 1000).unwrap_or(u32::MAX)
    }
}

/// "1:05:09" or "4:09": time left, rounded up to the second.
pub fn time_left_text(ms: i64) -> String {
    let total = (ms.max(0) + 999) / 1000;
    let (h, m, s) = (total / 3600, (total % 3600) / 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Milliseconds until the next whole second of a countdown to `at` (when
/// the number on screen changes), at least 1.
pub fn ms_to_next_second(now: DateTime<Utc>, at: DateTime<Utc>) -> u32 {
    let ms = (at - now).num_milliseconds();
    if ms <= 0 {
        return 1;
    }
    let rem = ms % 1000;
    u32::try_from(if rem == 0 { 1000 } else { rem }).unwrap_or(1000)
}

/// The check-in's three instants. Grace starts at the deadline; the alert
/// goes at the end of grace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckinTimes {
    /// Check in by then.
    pub deadline: DateTime<Utc>,
    /// Reminders become urgent from here.
    pub grace_starts: DateTime<Utc>,
    /// The missed check-in alert goes at this instant, not before.
    pub grace_ends: DateTime<Utc>,
}

impl CheckinTimes {
    /// The times of a check-in.
    pub fn of(c: &CheckinStatus) -> Self {
        CheckinTimes {
            deadline: c.deadline,
            grace_starts: c.deadline,
            grace_ends: c.fires_at,
        }
    }

    /// Whether `now` is within grace.
    pub fn in_grace(&self, now: DateTime<Utc>) -> bool {
        now >= self.grace_starts && now < self.grace_ends
    }

    /// Time left on the clock the user sees: to the deadline, then to the
    /// end of grace.
    pub fn time_left(&self, now: DateTime<Utc>) -> Duration {
        let to = if now < self.deadline {
            self.deadline
        } else {
            self.grace_ends
        };
        (to - now).max(Duration::zero())
    }
}

/// How a delivery reads: one label per state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DeliveryLabel {
    /// Given up.
    NotSent,
    /// Not needed any more (resolved first).
    NotNeeded,
    /// Queued, not tried yet.
    Waiting,
    /// Tried, will try again.
    Retrying,
    /// Being sent now.
    Sending,
    /// The user must tap send.
    TapToSend,
    /// Left the phone.
    Sent,
    /// Confirmed received.
    Delivered,
}

/// The label of one delivery.
pub fn label(d: &DeliveryStatus) -> DeliveryLabel {
    match d.state {
        DeliveryState::Queued if d.attempts > 0 => DeliveryLabel::Retrying,
        DeliveryState::Queued => DeliveryLabel::Waiting,
        DeliveryState::Sending => DeliveryLabel::Sending,
        DeliveryState::Sent => DeliveryLabel::Sent,
        DeliveryState::Delivered => DeliveryLabel::Delivered,
        DeliveryState::NeedsUserAction => DeliveryLabel::TapToSend,
        DeliveryState::Failed => DeliveryLabel::NotSent,
        DeliveryState::Cancelled => DeliveryLabel::NotNeeded,
    }
}

/// One channel of a contact's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelStatus {
    /// SMS, webhook or push.
    pub channel: Channel,
    /// Its label.
    pub label: DeliveryLabel,
    /// The delivery (for "tap to send").
    pub delivery_id: String,
}

/// One contact and how a message reached them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    /// The contact.
    pub contact_id: String,
    /// Their name (`None`: removed since).
    pub name: Option<String>,
    /// The furthest label across the contact's channels.
    pub label: DeliveryLabel,
    /// Each channel.
    pub channels: Vec<ChannelStatus>,
}

impl DeliveryRow {
    /// Whether the user must send a message to this contact.
    pub fn needs_you(&self) -> bool {
        self.channels
            .iter()
            .any(|c| c.label == DeliveryLabel::TapToSend)
    }
}

/// "2 of 3 reached".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    /// Contacts reached (sent or delivered).
    pub reached: u32,
    /// Contacts written to.
    pub total: u32,
    /// Contacts whose message waits for the user.
    pub waiting_for_you: u32,
}

/// One row per contact for messages of `kind`, contacts in the order their
/// first message was queued, channels in the order queued. Per channel the
/// newest message counts; of two queued at the same instant, the one queued
/// later (ties are broken by queue order, one way, everywhere).
pub fn delivery_rows(
    deliveries: &[DeliveryStatus],
    contacts: &[Contact],
    kind: MessageKind,
) -> Vec<DeliveryRow> {
    let mut rows: Vec<DeliveryRow> = Vec::new();
    let mut newest: Vec<Vec<&DeliveryStatus>> = Vec::new();
    for d in deliveries.iter().filter(|d| d.kind == kind) {
        let i = match rows.iter().position(|r| r.contact_id == d.contact_id) {
            Some(i) => i,
            None => {
                rows.push(DeliveryRow {
                    contact_id: d.contact_id.clone(),
                    name: contacts
                        .iter()
                        .find(|c| c.id == d.contact_id)
                        .map(|c| c.name.clone()),
                    label: DeliveryLabel::NotSent,
                    channels: Vec::new(),
                });
                newest.push(Vec::new());
                rows.len() - 1
            }
        };
        match newest[i].iter_mut().find(|n| n.channel == d.channel) {
            Some(n) if d.created_at >= n.created_at => *n = d,
            Some(_) => {}
            None => newest[i].push(d),
        }
    }
    for (row, ds) in rows.iter_mut().zip(newest) {
        row.channels = ds
            .iter()
            .map(|d| ChannelStatus {
                channel: d.channel,
                label: label(d),
                delivery_id: d.id.clone(),
            })
            .collect();
        row.label = row
            .channels
            .iter()
            .map(|c| c.label)
            .max()
            .unwrap_or(DeliveryLabel::NotSent);
    }
    rows
}

/// The headline numbers of `rows`.
pub fn summarize(rows: &[DeliveryRow]) -> Summary {
    let count = |f: &dyn Fn(&DeliveryRow) -> bool| rows.iter().filter(|r| f(r)).count() as u32;
    Summary {
        reached: count(&|r| matches!(r.label, DeliveryLabel::Sent | DeliveryLabel::Delivered)),
        total: rows.len() as u32,
        waiting_for_you: count(&|r| r.needs_you()),
    }
}

/// Whether an alert may ever be shown on screen (silent and second-passphrase
/// alerts never are).
pub fn visible(a: &AlertStatus) -> bool {
    a.mode != AlertMode::Silent && a.reason != AlertReason::Duress
}

/// The alert a (re)started app shows: the newest visible one still counting
/// down or sent. `open` is the engine's list of open alerts, oldest first.
pub fn alert_to_show(open: &[AlertStatus]) -> Option<&AlertStatus> {
    open.iter()
        .rev()
        .find(|a| visible(a) && matches!(a.state, AlertState::Countdown | AlertState::Fired))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
    }

    fn d(id: &str, contact: &str, ch: Channel, state: DeliveryState, at: i64) -> DeliveryStatus {
        DeliveryStatus {
            id: id.into(),
            alert_id: Some("a".into()),
            contact_id: contact.into(),
            channel: ch,
            kind: MessageKind::Alert,
            state,
            idempotency_key: "k".into(),
            attempts: 0,
            created_at: t(at),
            updated_at: t(at),
            next_attempt_at: None,
            last_error: None,
        }
    }

    #[test]
    fn time_left_rounds_up_and_never_shows_zero_early() {
        assert_eq!(seconds_left(t(0), t(10)), 10);
        assert_eq!(
            seconds_left(t(0) + Duration::milliseconds(1), t(10)),
            10,
            "9.999 s reads 10"
        );
        assert_eq!(seconds_left(t(10), t(10)), 0);
        assert_eq!(seconds_left(t(11), t(10)), 0);
        assert_eq!(time_left_text(3_909_000), "1:05:09");
        assert_eq!(time_left_text(249_001), "4:10");
        assert_eq!(time_left_text(-5), "0:00");
        assert_eq!(
            ms_to_next_second(t(0) + Duration::milliseconds(300), t(10)),
            700
        );
        assert_eq!(ms_to_next_second(t(0), t(10)), 1000);
    }

    #[test]
    fn grace_starts_at_the_deadline_and_the_alert_goes_at_its_end() {
        let c = CheckinStatus {
            id: "c".into(),
            state: crate::alerts::CheckinState::Active,
            started_at: t(0),
            deadline: t(3600),
            fires_at: t(3900),
            note: None,
            alert_id: None,
            server_timer: None,
        };
        let times = CheckinTimes::of(&c);
        assert_eq!(times.grace_starts, times.deadline);
        assert!(!times.in_grace(t(3599)));
        assert!(times.in_grace(t(3600)));
        assert!(!times.in_grace(t(3900)));
        assert_eq!(times.time_left(t(3000)), Duration::seconds(600));
        assert_eq!(times.time_left(t(3700)), Duration::seconds(200));
        assert_eq!(times.time_left(t(4000)), Duration::zero());
    }

    #[test]
    fn one_row_per_contact_with_its_furthest_channel_and_ties_broken_by_queue_order() {
        let ds = vec![
            d("1", "b", Channel::Sms, DeliveryState::NeedsUserAction, 0),
            d("2", "a", Channel::Webhook, DeliveryState::Queued, 0),
            d("3", "b", Channel::Webhook, DeliveryState::Delivered, 0),
            // Same channel, same instant, queued later: this one counts.
            d("4", "a", Channel::Webhook, DeliveryState::Failed, 0),
            // Same channel, older: ignored.
            d("5", "b", Channel::Sms, DeliveryState::Failed, -5),
        ];
        let rows = delivery_rows(&ds, &[], MessageKind::Alert);
        assert_eq!(
            rows.iter()
                .map(|r| r.contact_id.as_str())
                .collect::<Vec<_>>(),
            ["b", "a"]
        );
        assert_eq!(rows[0].label, DeliveryLabel::Delivered);
        assert_eq!(rows[0].channels.len(), 2);
        assert_eq!(rows[0].channels[0].label, DeliveryLabel::TapToSend);
        assert!(rows[0].needs_you());
        assert_eq!(rows[1].label, DeliveryLabel::NotSent);
        assert_eq!(rows[1].channels[0].delivery_id, "4");
        assert_eq!(rows[1].name, None, "a contact removed since has no name");
        assert_eq!(
            summarize(&rows),
            Summary {
                reached: 1,
                total: 2,
                waiting_for_you: 1
            }
        );
        assert!(delivery_rows(&ds, &[], MessageKind::Safe).is_empty());
    }

    #[test]
    fn labels_distinguish_waiting_from_retrying() {
        let mut q = d("1", "a", Channel::Push, DeliveryState::Queued, 0);
        assert_eq!(label(&q), DeliveryLabel::Waiting);
        q.attempts = 1;
        assert_eq!(label(&q), DeliveryLabel::Retrying);
        assert!(DeliveryLabel::Delivered > DeliveryLabel::Sent);
        assert!(DeliveryLabel::TapToSend > DeliveryLabel::Sending);
    }
}
