//! One plan for everything the OS must do while the app is not running: the
//! next wake-up (timer), the network job while deliveries wait, and the
//! reminders. [`plan`] computes it from the engine's state; [`apply`] turns
//! the difference from what the shell already holds into effects.
//!
//! Check-in reminders: a `checkin-deadline` notification at the deadline
//! and a `checkin-grace` one at the start of grace, both in the `checkin`
//! slot. Grace starts at the deadline, so the two share their instant and
//! therefore their schedule id: the grace reminder replaces the deadline one
//! before it is shown, and the user sees (and hears) one notification. The
//! missed check-in alert itself is the engine's, at deadline + grace, through
//! the timer wake-up; nothing a notification does can fire it.
//!
//! Hold: while one is held, the timer is also due at its next keep-alive
//! (a third of the hold's delay after the last one).
//!
//! "Send when back online": the network job is scheduled when deliveries
//! start waiting and cancelled only when none waits any more. A later plan
//! with another time does not touch it (the shell keeps an existing job).

use super::effects::{Effect, NotificationSlot, NotifyReason};
use super::policies::{CheckinTimes, MIN_WAKE_SPACING};
use crate::alerts::{CheckinState, CheckinStatus};
use chrono::{DateTime, Utc};

/// A notification the plan wants shown at an instant (`None`: now).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Schedule id: slot and instant (same slot, same instant: one notification).
    pub id: String,
    /// Display slot.
    pub slot: NotificationSlot,
    /// Why.
    pub reason: NotifyReason,
    /// When.
    pub at: Option<DateTime<Utc>>,
}

/// What the OS should hold.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Plan {
    /// The timer wake-up (countdowns, check-in, retries).
    pub timer: Option<DateTime<Utc>>,
    /// The network job (while deliveries wait).
    pub network: Option<DateTime<Utc>>,
    /// Notifications, in time order.
    pub reminders: Vec<Reminder>,
}

/// The inputs of a plan.
#[derive(Debug, Clone, Default)]
pub struct Inputs<'a> {
    /// Now.
    pub now: Option<DateTime<Utc>>,
    /// The engine's next due work.
    pub next_wakeup: Option<DateTime<Utc>>,
    /// Deliveries still waiting to go.
    pub pending: u64,
    /// The current (or last) check-in.
    pub checkin: Option<&'a CheckinStatus>,
    /// Messages of visible alerts waiting for the user to send them.
    pub waiting_for_you: u32,
    /// Whether the app is on screen (then the screen says it, not a notification).
    pub foreground: bool,
    /// A wake-up just ran: the next one is not due sooner than the spacing.
    pub just_woke: bool,
    /// The running hold's next keep-alive.
    pub keep_alive: Option<DateTime<Utc>>,
}

fn reminder(slot: NotificationSlot, reason: NotifyReason, at: Option<DateTime<Utc>>) -> Reminder {
    let when = at.map_or("now".to_owned(), |t| t.timestamp_millis().to_string());
    Reminder {
        id: format!("{}-{when}", slot.as_str()),
        slot,
        reason,
        at,
    }
}

/// The plan for `inputs`.
pub fn plan(inputs: &Inputs<'_>) -> Plan {
    let now = inputs.now.unwrap_or_else(Utc::now);
    let mut timer = match (inputs.next_wakeup, inputs.keep_alive) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if inputs.just_woke {
        timer = timer.map(|t| t.max(now + MIN_WAKE_SPACING));
    }
    let network = (inputs.pending > 0).then(|| inputs.next_wakeup.unwrap_or(now).max(now));
    let mut reminders = Vec::new();
    if let Some(c) = inputs.checkin.filter(|c| c.state == CheckinState::Active) {
        let times = CheckinTimes::of(c);
        let due = [
            (NotifyReason::CheckinDeadline, times.deadline),
            (NotifyReason::CheckinGrace, times.grace_starts),
        ];
        if due.iter().all(|(_, at)| *at > now) {
            for (reason, at) in due {
                reminders.push(reminder(NotificationSlot::Checkin, reason, Some(at)));
            }
        } else if now < times.grace_ends {
            // Past its time (the app was not running): the most urgent one, now.
            reminders.push(reminder(
                NotificationSlot::Checkin,
                NotifyReason::CheckinGrace,
                None,
            ));
        }
    }
    if inputs.waiting_for_you > 0 && !inputs.foreground {
        reminders.push(reminder(
            NotificationSlot::Sending,
            NotifyReason::SmsWaiting,
            None,
        ));
    }
    Plan {
        timer,
        network,
        reminders,
    }
}

/// What the shell holds, as far as the core knows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applied {
    plan: Option<Plan>,
}

impl Applied {
    /// A wake-up of that slot fired: it is gone from the OS.
    pub fn consumed(&mut self, needs_network: bool) {
        if let Some(p) = &mut self.plan {
            if needs_network {
                p.network = None;
            } else {
                p.timer = None;
            }
        }
    }

    /// Forget everything (after a start: the OS may hold anything).
    pub fn reset(&mut self) {
        self.plan = None;
    }
}

/// The effects that bring the shell from `applied` to `next`, and records `next`.
pub fn apply(applied: &mut Applied, next: Plan) -> Vec<Effect> {
    let mut fx = Vec::new();
    let known = applied.plan.as_ref();
    let old_timer = known.map(|p| p.timer);
    if old_timer != Some(next.timer) {
        fx.push(match next.timer {
            Some(at) => Effect::ScheduleWakeup {
                at,
                needs_network: false,
            },
            None => Effect::CancelWakeup {
                needs_network: false,
            },
        });
    }
    match (known.map(|p| p.network.is_some()), next.network) {
        (Some(true), Some(_)) => {} // kept until nothing waits
        (_, Some(at)) => fx.push(Effect::ScheduleWakeup {
            at,
            needs_network: true,
        }),
        (Some(false), None) => {}
        (_, None) => fx.push(Effect::CancelWakeup {
            needs_network: true,
        }),
    }
    for slot in [NotificationSlot::Checkin, NotificationSlot::Sending] {
        let of = |rs: &[Reminder]| -> Vec<Reminder> {
            rs.iter().filter(|r| r.slot == slot).cloned().collect()
        };
        let new = of(&next.reminders);
        let old = known.map(|p| of(&p.reminders));
        if old.as_ref() == Some(&new) {
            continue;
        }
        if old.is_none_or(|o| !o.is_empty()) {
            fx.push(Effect::CancelNotifications { slot });
        }
        fx.extend(new.into_iter().map(|r| Effect::Notify {
            id: r.id,
            slot: r.slot,
            reason: r.reason,
            at: r.at,
        }));
    }
    applied.plan = Some(next);
    fx
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
    }

    fn checkin(deadline: i64, grace: i64) -> CheckinStatus {
        CheckinStatus {
            id: "c".into(),
            state: CheckinState::Active,
            started_at: t(0),
            deadline: t(deadline),
            fires_at: t(deadline + grace),
            note: None,
            alert_id: None,
            server_timer: None,
        }
    }

    #[test]
    fn a_check_in_gives_two_reminders_in_one_slot_and_the_alert_wake_up_after_grace() {
        let c = checkin(3600, 300);
        let p = plan(&Inputs {
            now: Some(t(0)),
            next_wakeup: Some(t(3900)),
            checkin: Some(&c),
            ..Inputs::default()
        });
        assert_eq!(p.timer, Some(t(3900)));
        assert_eq!(p.network, None);
        let reasons: Vec<_> = p.reminders.iter().map(|r| (r.reason, r.at)).collect();
        assert_eq!(
            reasons,
            [
                (NotifyReason::CheckinDeadline, Some(t(3600))),
                (NotifyReason::CheckinGrace, Some(t(3600)))
            ]
        );
        assert_eq!(
            p.reminders[0].id, p.reminders[1].id,
            "same slot, same instant: the grace reminder replaces the deadline one"
        );
        // During grace after a restart: one reminder, now.
        let p = plan(&Inputs {
            now: Some(t(3700)),
            checkin: Some(&c),
            ..Inputs::default()
        });
        assert_eq!(p.reminders.len(), 1);
        assert_eq!(p.reminders[0].reason, NotifyReason::CheckinGrace);
        assert_eq!(p.reminders[0].at, None);
        // Over: nothing.
        let mut done = c.clone();
        done.state = CheckinState::Done;
        assert!(plan(&Inputs {
            now: Some(t(0)),
            checkin: Some(&done),
            ..Inputs::default()
        })
        .reminders
        .is_empty());
    }

    #[test]
    fn the_network_job_is_kept_until_nothing_waits() {
        let mut applied = Applied::default();
        let first = apply(
            &mut applied,
            plan(&Inputs {
                now: Some(t(0)),
                next_wakeup: Some(t(5)),
                pending: 2,
                ..Inputs::default()
            }),
        );
        assert!(first.contains(&Effect::ScheduleWakeup {
            at: t(5),
            needs_network: true
        }));
        // Retries move the timer; the network job is left alone.
        for (s, pending) in [(60, 2), (300, 1), (900, 1)] {
            let fx = apply(
                &mut applied,
                plan(&Inputs {
                    now: Some(t(s - 1)),
                    next_wakeup: Some(t(s)),
                    pending,
                    ..Inputs::default()
                }),
            );
            assert_eq!(
                fx,
                vec![Effect::ScheduleWakeup {
                    at: t(s),
                    needs_network: false
                }]
            );
        }
        // The job ran (consumed) while something still waits: scheduled again.
        applied.consumed(true);
        let fx = apply(
            &mut applied,
            plan(&Inputs {
                now: Some(t(901)),
                next_wakeup: Some(t(900)),
                pending: 1,
                just_woke: true,
                ..Inputs::default()
            }),
        );
        assert!(fx.contains(&Effect::ScheduleWakeup {
            at: t(901),
            needs_network: true
        }));
        assert!(
            fx.contains(&Effect::ScheduleWakeup {
                at: t(901) + Duration::seconds(1),
                needs_network: false
            }),
            "no busy loop: {fx:?}"
        );
        // Delivered: cancelled.
        let fx = apply(
            &mut applied,
            plan(&Inputs {
                now: Some(t(902)),
                ..Inputs::default()
            }),
        );
        assert!(fx.contains(&Effect::CancelWakeup {
            needs_network: true
        }));
        assert!(fx.contains(&Effect::CancelWakeup {
            needs_network: false
        }));
    }

    #[test]
    fn an_unchanged_plan_asks_for_nothing_and_a_fresh_start_asks_for_everything() {
        let c = checkin(3600, 300);
        let inputs = Inputs {
            now: Some(t(0)),
            next_wakeup: Some(t(3900)),
            checkin: Some(&c),
            ..Inputs::default()
        };
        let mut applied = Applied::default();
        let fx = apply(&mut applied, plan(&inputs));
        assert_eq!(fx.len(), 6, "{fx:?}");
        assert!(apply(&mut applied, plan(&inputs)).is_empty());
        // Extended: the old reminders go, the new ones come.
        let longer = checkin(4500, 300);
        let fx = apply(
            &mut applied,
            plan(&Inputs {
                checkin: Some(&longer),
                next_wakeup: Some(t(4800)),
                ..inputs.clone()
            }),
        );
        assert_eq!(
            fx[1],
            Effect::CancelNotifications {
                slot: NotificationSlot::Checkin
            }
        );
        assert_eq!(fx.len(), 4, "{fx:?}");
        applied.reset();
        assert_eq!(apply(&mut applied, plan(&inputs)).len(), 6);
    }

    #[test]
    fn a_message_waiting_for_the_user_is_a_notification_only_in_the_background() {
        let fg = plan(&Inputs {
            now: Some(t(0)),
            waiting_for_you: 1,
            foreground: true,
            ..Inputs::default()
        });
        assert!(fg.reminders.is_empty());
        let bg = plan(&Inputs {
            now: Some(t(0)),
            waiting_for_you: 1,
            ..Inputs::default()
        });
        assert_eq!(bg.reminders[0].reason, NotifyReason::SmsWaiting);
    }
}
