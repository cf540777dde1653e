//! Whole journeys through the headless app, with a fake shell that performs
//! every effect the way a phone would (wake-ups, notifications, SMS,
//! composer, permissions, location) on a fake clock. Real SQLite, real HTTP
//! to a loopback receiver. Every loop is bounded.

use chrono::{DateTime, Duration, TimeZone, Utc};
use parasol_core::alerts::receiver::Receiver;
use parasol_core::alerts::{AlertSettings, Alerts, Channel, Location, RetryPolicy, Triggers};
use parasol_core::app::policies::DeliveryLabel;
use parasol_core::app::view::{
    AlertView, CheckinView, EraseStep, HelplineFlag, HelplinesView, NotesView, RightsView,
    SelfCheckView, SmsNote, TapKind,
};
use parasol_core::app::{
    App, Body, Capabilities, ContactForm, Effect, EntryForm, Event, NotificationSlot, NotifyReason,
    Permission, PermissionStatus, Screen, SearchText, Secret, SmsResult, ViewModel,
};
use parasol_core::clock::FakeClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryKind, Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

const ANDROID: Capabilities = Capabilities {
    silent_sms: true,
    sms_composer: true,
    exact_wakeups: true,
    launcher_disguise: true,
};
const IOS: Capabilities = Capabilities {
    silent_sms: false,
    sms_composer: true,
    exact_wakeups: false,
    launcher_disguise: false,
};

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 5, 12, 20, 0, 0)
        .single()
        .unwrap()
}

/// A notification the fake OS holds.
#[derive(Debug, Clone, PartialEq)]
struct Note {
    slot: NotificationSlot,
    reason: NotifyReason,
    at: Option<DateTime<Utc>>,
}

/// The fake phone: performs effects, holds wake-ups and notifications.
struct Phone {
    _dir: tempfile::TempDir,
    clock: Arc<FakeClock>,
    app: App,
    profile: Arc<Profile>,
    alerts: Arc<Alerts>,
    journal: Arc<Journal>,
    /// Every effect the app asked for, in order.
    log: Vec<Effect>,
    timer: Option<DateTime<Utc>>,
    network: Option<DateTime<Utc>>,
    online: bool,
    scheduled: BTreeMap<String, Note>,
    /// Notifications on screen, by slot (a later one replaces).
    shown: HashMap<NotificationSlot, Note>,
    /// Every notification ever shown.
    shown_log: Vec<Note>,
    /// What the user answers to each permission request.
    answers: HashMap<Permission, PermissionStatus>,
    /// The fix the location service returns.
    fix: Option<Location>,
    /// SMS the radio sent silently (delivery ids).
    radio: Vec<String>,
    /// Composers opened (delivery ids).
    composers: Vec<String>,
    opened: Vec<String>,
    restarted: bool,
}

impl Phone {
    fn new(caps: Capabilities) -> Phone {
        Phone::with(caps, |_| {})
    }

    fn with(caps: Capabilities, configure: impl FnOnce(&Alerts)) -> Phone {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FakeClock::new(start()));
        let keys = Arc::new(SoftwareKeyStore::open(&dir.path().join("keys.bin")).unwrap());
        let mut config = Config::new(dir.path().join("profile"));
        config.http.allow_insecure_loopback = true;
        config.http.timeout = std::time::Duration::from_secs(2);
        let profile = Arc::new(Profile::open_with_clock(config, keys, clock.clone()).unwrap());
        let alerts = Arc::new(Alerts::open(profile.clone()).unwrap());
        alerts
            .set_settings(AlertSettings {
                retry: RetryPolicy {
                    base: std::time::Duration::from_secs(5),
                    cap: std::time::Duration::from_secs(60),
                    max_age: std::time::Duration::from_secs(3 * 3600),
                    lease: std::time::Duration::from_secs(120),
                },
                ..AlertSettings::default()
            })
            .unwrap();
        configure(&alerts);
        let journal = Arc::new(Journal::with_options(
            profile.clone(),
            JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
        ));
        let app = App::new(profile.clone(), alerts.clone(), journal.clone(), caps).unwrap();
        let mut phone = Phone {
            _dir: dir,
            clock,
            app,
            profile,
            alerts,
            journal,
            log: Vec::new(),
            timer: None,
            network: None,
            online: true,
            scheduled: BTreeMap::new(),
            shown: HashMap::new(),
            shown_log: Vec::new(),
            answers: HashMap::new(),
            fix: None,
            radio: Vec::new(),
            composers: Vec::new(),
            opened: Vec::new(),
            restarted: false,
        };
        let permissions = Permission::ALL
            .iter()
            .map(|p| (*p, PermissionStatus::Unknown))
            .collect();
        phone.send(Event::Started { permissions });
        phone
    }

    /// What the host does on `Restart`: a new app over the (erased) profile.
    fn reopen(&mut self, caps: Capabilities) {
        self.app = App::new(
            self.profile.clone(),
            self.alerts.clone(),
            self.journal.clone(),
            caps,
        )
        .unwrap();
        self.restarted = false;
        self.send(Event::Started {
            permissions: vec![],
        });
    }

    fn now(&self) -> DateTime<Utc> {
        parasol_core::clock::Clock::now(self.clock.as_ref())
    }

    /// Sends an event and performs everything that follows (bounded).
    fn send(&mut self, event: Event) -> Vec<Effect> {
        let mut queue = vec![event];
        let mut first = None;
        for _ in 0..200 {
            let Some(e) = queue.pop() else {
                return first.unwrap_or_default();
            };
            let fx = self.app.update(e);
            if first.is_none() {
                first = Some(fx.clone());
            }
            for f in fx {
                self.log.push(f.clone());
                if let Some(reply) = self.perform(f) {
                    queue.insert(0, reply);
                }
            }
        }
        panic!(
            "the app and the phone ping-pong forever: {:?}",
            &self.log[self.log.len() - 10..]
        );
    }

    fn perform(&mut self, effect: Effect) -> Option<Event> {
        let now = self.now();
        match effect {
            Effect::RequestPermission { permission, .. } => Some(Event::PermissionResult {
                permission,
                status: *self
                    .answers
                    .get(&permission)
                    .unwrap_or(&PermissionStatus::Granted),
            }),
            Effect::SendSms { delivery_id, .. } => {
                self.radio.push(delivery_id.clone());
                Some(Event::SmsResult {
                    delivery_id,
                    result: SmsResult::Sent,
                })
            }
            Effect::ComposeSms { delivery_id, .. } => {
                self.composers.push(delivery_id);
                None
            }
            Effect::GetLocation { .. } => Some(Event::LocationResult { fix: self.fix }),
            Effect::ScheduleWakeup { at, needs_network } => {
                if needs_network {
                    self.network.get_or_insert(at);
                    (self.online && at <= now).then(|| {
                        self.network = None;
                        Event::WokeUp { needs_network }
                    })
                } else {
                    self.timer = Some(at);
                    (at <= now).then(|| {
                        self.timer = None;
                        Event::WokeUp { needs_network }
                    })
                }
            }
            Effect::CancelWakeup { needs_network } => {
                if needs_network {
                    self.network = None;
                } else {
                    self.timer = None;
                }
                None
            }
            Effect::Notify {
                id,
                slot,
                reason,
                at,
            } => {
                let note = Note { slot, reason, at };
                if at.is_none_or(|t| t <= now) {
                    self.show(note);
                } else {
                    self.scheduled.insert(id, note);
                }
                None
            }
            Effect::CancelNotifications { slot } => {
                self.scheduled.retain(|_, n| n.slot != slot);
                self.shown.remove(&slot);
                None
            }
            Effect::OpenUri { uri } => {
                self.opened.push(uri);
                None
            }
            Effect::Restart => {
                self.restarted = true;
                None
            }
            _ => None,
        }
    }

    fn show(&mut self, note: Note) {
        self.shown_log.push(note.clone());
        self.shown.insert(note.slot, note);
    }

    /// Moves time on by `secs`, one second at a time, letting the OS fire
    /// what is due (notifications, the timer, the network job if online).
    fn advance(&mut self, secs: i64) {
        for _ in 0..secs {
            self.clock.advance(Duration::seconds(1));
            let now = self.now();
            let due: Vec<String> = self
                .scheduled
                .iter()
                .filter(|(_, n)| n.at.is_some_and(|t| t <= now))
                .map(|(id, _)| id.clone())
                .collect();
            for id in due {
                if let Some(n) = self.scheduled.remove(&id) {
                    self.show(n);
                }
            }
            if self.timer.is_some_and(|t| t <= now) {
                self.timer = None;
                self.send(Event::WokeUp {
                    needs_network: false,
                });
            }
            if self.online && self.network.is_some_and(|t| t <= now) {
                self.network = None;
                self.send(Event::WokeUp {
                    needs_network: true,
                });
            }
        }
    }

    fn view(&self) -> ViewModel {
        self.app.view()
    }

    fn alert_view(&mut self) -> AlertView {
        self.send(Event::Navigate {
            screen: Screen::Alert,
        });
        match self.view().body {
            Body::Alert(v) => v,
            other => panic!("not the alert screen: {other:?}"),
        }
    }

    fn add_contact(&mut self, name: &str, phone: Option<&str>, webhook: Option<&str>) {
        self.send(Event::AddContact {
            form: ContactForm {
                name: format!("  {name} "),
                phone: phone.unwrap_or("").into(),
                webhook_url: webhook.unwrap_or("").into(),
                language: String::new(),
                triggers: Triggers::default(),
                ..ContactForm::default()
            },
        });
        assert_eq!(self.view().notice, Some(parasol_core::app::Notice::Saved));
    }

    fn created(&self, f: impl Fn(&Effect) -> bool) -> usize {
        self.log.iter().filter(|e| f(e)).count()
    }
}

fn secret(s: &str) -> Secret {
    Secret::new(s.as_bytes().to_vec())
}

fn hold_to_alert(p: &mut Phone) {
    p.send(Event::HoldStarted);
    p.advance(2);
    p.send(Event::TimerElapsed);
}

#[test]
fn press_and_hold_then_cancel_sends_nothing() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.add_contact("Mira", None, Some(&rx.url("/m")));
    // A press too short does nothing.
    p.send(Event::HoldStarted);
    assert!(matches!(
        p.alert_view(),
        AlertView::Ready {
            held_ms: Some(0),
            hold_ms: 1500,
            ..
        }
    ));
    p.clock.advance(Duration::milliseconds(900));
    p.send(Event::HoldReleased);
    p.send(Event::TimerElapsed);
    assert!(matches!(
        p.alert_view(),
        AlertView::Ready { held_ms: None, .. }
    ));
    // Held long enough: the countdown, with the clock the view asks for.
    p.send(Event::HoldStarted);
    assert_eq!(p.view().refresh_in_ms, Some(1500));
    p.clock.advance(Duration::milliseconds(1500));
    p.send(Event::TimerElapsed);
    let AlertView::Countdown { seconds_left, .. } = p.alert_view() else {
        panic!("no countdown")
    };
    assert_eq!(seconds_left, 10);
    p.advance(4);
    assert!(matches!(
        p.alert_view(),
        AlertView::Countdown {
            seconds_left: 6,
            ..
        }
    ));
    p.send(Event::CancelCountdown);
    assert!(matches!(
        p.alert_view(),
        AlertView::Ended {
            sent_something: false,
            ..
        }
    ));
    p.advance(120);
    assert!(
        rx.requests().is_empty(),
        "a cancelled countdown sends nothing"
    );
    assert_eq!(p.created(|e| matches!(e, Effect::SendSms { .. })), 0);
    p.send(Event::DismissAlert);
    assert!(matches!(p.alert_view(), AlertView::Ready { .. }));
}

#[test]
fn the_alert_goes_when_the_countdown_ends_with_the_fix_from_the_hold() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.answers
        .insert(Permission::Location, PermissionStatus::Granted);
    p.add_contact("Mira", Some("+31612345678"), Some(&rx.url("/m")));
    p.fix = Some(Location::new(52.37, 4.89));
    hold_to_alert(&mut p);
    assert!(p.created(|e| matches!(e, Effect::GetLocation { .. })) >= 1);
    p.advance(10);
    let AlertView::Sent {
        rows,
        summary,
        has_location,
        sms,
    } = p.alert_view()
    else {
        panic!("not sent")
    };
    assert!(
        has_location,
        "the fix asked for at the hold went with the alert"
    );
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].name.as_deref(), Some("Mira"));
    assert_eq!((summary.reached, summary.total), (1, 1));
    assert_eq!(sms, None, "SMS go silently here");
    assert_eq!(p.radio.len(), 1, "the SMS went through the radio");
    let sms_row = rows[0]
        .channels
        .iter()
        .find(|c| c.channel == Channel::Sms)
        .unwrap();
    assert_eq!(sms_row.label, DeliveryLabel::Sent);
    assert_eq!(rx.requests().len(), 1);
    // "I'm safe" reaches the same contact.
    p.send(Event::ImSafe);
    p.advance(2);
    let AlertView::Ended {
        sent_something,
        safe_rows,
    } = p.alert_view()
    else {
        panic!("not ended")
    };
    assert!(sent_something);
    assert_eq!(safe_rows[0].label, DeliveryLabel::Delivered);
}

#[test]
fn sms_refused_the_user_is_told_and_other_channels_carry_the_alert() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.answers
        .insert(Permission::Sms, PermissionStatus::DeniedForever);
    p.add_contact("Mira", Some("+31612345678"), Some(&rx.url("/m")));
    p.add_contact("Ana", Some("+46701234567"), None);
    assert!(matches!(
        p.alert_view(),
        AlertView::Ready {
            sms: Some(SmsNote::NeedsTap),
            contacts: 2,
            ..
        }
    ));
    hold_to_alert(&mut p);
    p.advance(10);
    let AlertView::Sent {
        rows, summary, sms, ..
    } = p.alert_view()
    else {
        panic!("not sent")
    };
    assert_eq!(sms, Some(SmsNote::NeedsTap), "the user is told");
    assert_eq!(rx.requests().len(), 1, "the webhook carried it");
    assert_eq!(rows[0].label, DeliveryLabel::Delivered);
    assert_eq!(rows[1].label, DeliveryLabel::TapToSend);
    assert_eq!(summary.waiting_for_you, 2);
    assert!(p.radio.is_empty(), "no SMS without the permission");
    // "Allow" after "don't ask again" can only open the settings page.
    let fx = p.send(Event::AllowPermission {
        permission: Permission::Sms,
    });
    assert!(fx.contains(&Effect::RequestPermission {
        permission: Permission::Sms,
        open_settings: true
    }));
    // The user raised it on screen: the composer opens, one at a time.
    assert_eq!(p.composers.len(), 1);
    let first = p.composers[0].clone();
    p.send(Event::SmsResult {
        delivery_id: first,
        result: SmsResult::Sent,
    });
    assert_eq!(p.composers.len(), 2);
    let second = p.composers[1].clone();
    p.send(Event::SmsResult {
        delivery_id: second.clone(),
        result: SmsResult::Cancelled,
    });
    p.advance(30);
    assert_eq!(
        p.composers.len(),
        2,
        "closed unsent: not reopened by itself"
    );
    p.send(Event::SendWaitingSms {
        delivery_id: second,
    });
    assert_eq!(p.composers.len(), 3, "a tap opens it again");
}

#[test]
fn second_passphrase_on_a_phone_without_silent_sms_never_opens_a_composer() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(IOS);
    p.add_contact("Mira", Some("+31612345678"), Some(&rx.url("/m")));
    p.add_contact("Ana", Some("+46701234567"), None);
    // The contacts screen says, before anything happens, what carries a silent alert.
    p.send(Event::Navigate {
        screen: Screen::Contacts,
    });
    let Body::Contacts(c) = p.view().body else {
        panic!()
    };
    assert_eq!(c.rows[0].silent, vec![Channel::Webhook]);
    assert!(c.rows[1].silent.is_empty());
    p.send(Event::Navigate {
        screen: Screen::Settings,
    });
    let Body::Settings(s) = p.view().body else {
        panic!()
    };
    assert_eq!(s.silent_unreachable, vec!["Ana".to_string()]);

    p.send(Event::Navigate {
        screen: Screen::Notes,
    });
    p.send(Event::CreateNotes {
        passphrase: secret("real passphrase one"),
        confirmation: secret("real passphrase one"),
    });
    p.send(Event::SetSecondPassphrase {
        current: secret("real passphrase one"),
        passphrase: secret("the other one 22"),
        confirmation: secret("the other one 22"),
        open_decoy: true,
        alert: true,
        erase: false,
    });
    p.send(Event::Lock);
    p.send(Event::Navigate {
        screen: Screen::Notes,
    });
    p.send(Event::Unlock {
        passphrase: secret("the other one 22"),
    });
    assert!(matches!(
        p.view().body,
        Body::Notes(NotesView::List { ref entries, .. }) if entries.is_empty()
    ));
    p.advance(30);
    assert_eq!(p.created(|e| matches!(e, Effect::ComposeSms { .. })), 0);
    assert!(p.composers.is_empty());
    assert_eq!(
        rx.requests().len(),
        1,
        "the webhook carried the silent alert"
    );
    // Nothing on the alert screen, no notification.
    assert!(matches!(p.alert_view(), AlertView::Ready { .. }));
    assert!(p.shown_log.is_empty());
    let failed = p
        .alerts
        .active_alerts()
        .unwrap()
        .into_iter()
        .flat_map(|a| a.deliveries)
        .filter(|d| d.channel == Channel::Sms)
        .map(|d| d.last_error)
        .collect::<Vec<_>>();
    assert_eq!(failed.len(), 2);
    assert!(failed
        .iter()
        .all(|e| e.as_deref() == Some("this phone cannot send this text message")));
}

#[test]
fn second_passphrase_that_erases_hands_the_silent_sms_over_first() {
    let mut p = Phone::new(ANDROID);
    p.answers.insert(Permission::Sms, PermissionStatus::Granted);
    p.add_contact("Ana", Some("+46701234567"), None);
    p.send(Event::CreateNotes {
        passphrase: secret("real passphrase one"),
        confirmation: secret("real passphrase one"),
    });
    p.send(Event::SetSecondPassphrase {
        current: secret("real passphrase one"),
        passphrase: secret("the other one 22"),
        confirmation: secret("the other one 22"),
        open_decoy: false,
        alert: true,
        erase: true,
    });
    p.send(Event::Lock);
    let fx = p.send(Event::Unlock {
        passphrase: secret("the other one 22"),
    });
    let sms = fx
        .iter()
        .position(|e| matches!(e, Effect::SendSms { .. }))
        .expect("the SMS is handed over");
    assert_eq!(fx.last(), Some(&Effect::Restart), "{fx:?}");
    assert!(sms < fx.len() - 1);
    assert!(p.restarted);
    assert!(matches!(p.view().body, Body::Notes(NotesView::Setup)));
    assert_eq!(p.send(Event::TimerElapsed), vec![Effect::Restart]);
}

#[test]
fn check_in_reminder_at_the_deadline_then_checking_in_sends_nothing() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.add_contact("Mira", None, Some(&rx.url("/m")));
    p.send(Event::Navigate {
        screen: Screen::Checkin,
    });
    let fx = p.send(Event::StartCheckin { minutes: 30 });
    assert!(fx.contains(&Effect::RequestPermission {
        permission: Permission::Notifications,
        open_settings: false
    }));
    assert!(fx.contains(&Effect::RequestPermission {
        permission: Permission::ExactAlarms,
        open_settings: true
    }));
    let deadline = start() + Duration::minutes(30);
    let notifies: Vec<_> = p
        .log
        .iter()
        .filter_map(|e| match e {
            Effect::Notify { reason, at, .. } => Some((*reason, *at)),
            _ => None,
        })
        .collect();
    assert_eq!(
        notifies,
        [
            (NotifyReason::CheckinDeadline, Some(deadline)),
            (NotifyReason::CheckinGrace, Some(deadline))
        ]
    );
    assert_eq!(p.timer, Some(deadline + Duration::minutes(5)));
    p.advance(30 * 60);
    // One notification on screen, the grace one (it replaced the deadline one).
    assert_eq!(p.shown_log.len(), 1, "{:?}", p.shown_log);
    assert_eq!(
        p.shown[&NotificationSlot::Checkin].reason,
        NotifyReason::CheckinGrace
    );
    let Body::Checkin(CheckinView::Running {
        in_grace,
        time_left_text,
        ..
    }) = p.view().body
    else {
        panic!()
    };
    assert!(in_grace);
    assert_eq!(time_left_text, "5:00");
    // Tapping the reminder opens the check-in screen and nothing else.
    p.send(Event::Navigate {
        screen: Screen::Alert,
    });
    p.send(Event::NotificationTapped {
        reason: NotifyReason::CheckinGrace,
    });
    assert_eq!(p.view().screen, Screen::Checkin);
    assert!(rx.requests().is_empty());
    p.send(Event::CheckIn);
    assert!(
        p.shown.is_empty() && p.scheduled.is_empty(),
        "reminders removed"
    );
    assert_eq!(p.timer, None);
    p.advance(3600);
    assert!(rx.requests().is_empty(), "checked in: nothing sent");
    assert!(matches!(
        p.view().body,
        Body::Checkin(CheckinView::Idle {
            last: Some(parasol_core::alerts::CheckinState::Done),
            ..
        })
    ));
}

#[test]
fn an_ignored_check_in_alerts_at_the_end_of_grace_and_not_before() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.add_contact("Mira", None, Some(&rx.url("/m")));
    p.send(Event::StartCheckin { minutes: 30 });
    p.advance(35 * 60 - 1);
    assert!(rx.requests().is_empty(), "not before deadline + grace");
    p.advance(1);
    assert_eq!(rx.requests().len(), 1, "at deadline + grace");
    assert!(matches!(
        p.alert_view(),
        AlertView::Ready { .. } | AlertView::Sent { .. }
    ));
    assert!(p.scheduled.is_empty());
}

#[test]
fn disguised_the_app_opens_on_the_notes() {
    let mut p = Phone::new(ANDROID);
    assert_eq!(p.view().screen, Screen::Alert);
    let fx = p.send(Event::SetDisguise { on: true });
    assert!(fx.contains(&Effect::SetLauncherDisguise { disguised: true }));
    assert_eq!(p.view().tabs[0], Screen::Notes);
    p.send(Event::Started {
        permissions: vec![],
    });
    assert_eq!(p.view().screen, Screen::Notes);
    // A quick exit lands there too, with the notes locked.
    p.send(Event::Navigate {
        screen: Screen::Alert,
    });
    let fx = p.send(Event::QuickExit);
    assert!(fx.iter().any(|e| matches!(e, Effect::QuickExit { .. })));
    assert_eq!(p.view().screen, Screen::Notes);
    // iOS cannot rename its icon: the app still opens on the notes.
    let mut ios = Phone::new(IOS);
    let fx = ios.send(Event::SetDisguise { on: true });
    assert!(!fx
        .iter()
        .any(|e| matches!(e, Effect::SetLauncherDisguise { .. })));
    ios.send(Event::Started {
        permissions: vec![],
    });
    assert_eq!(ios.view().screen, Screen::Notes);
}

#[test]
fn offline_the_network_wake_up_stays_until_delivered() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.add_contact("Mira", None, Some(&rx.url("/m")));
    rx.pause();
    p.online = false;
    hold_to_alert(&mut p);
    p.advance(10);
    assert!(p.network.is_some(), "a network job waits");
    // Other things happen; the job is never cancelled while something waits.
    p.send(Event::StartCheckin { minutes: 60 });
    p.send(Event::StopCheckin);
    p.send(Event::Backgrounded);
    p.advance(300);
    p.send(Event::Resumed {
        permissions: vec![],
    });
    assert!(p.network.is_some());
    assert_eq!(
        p.created(|e| *e
            == Effect::CancelWakeup {
                needs_network: true
            }),
        1,
        "only the fresh start's cancel"
    );
    assert!(rx.requests().is_empty());
    // Back online: delivered, and only then the job goes.
    rx.resume();
    p.online = true;
    p.advance(61);
    assert_eq!(rx.requests().len(), 1);
    assert_eq!(p.network, None);
    assert_eq!(
        p.created(|e| *e
            == Effect::CancelWakeup {
                needs_network: true
            }),
        2
    );
}

#[test]
fn a_restarted_app_shows_the_visible_alert_never_a_silent_one() {
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.add_contact("Mira", None, Some(&rx.url("/m")));
    p.alerts.trigger_duress().unwrap();
    p.send(Event::Started {
        permissions: vec![],
    });
    assert!(matches!(p.alert_view(), AlertView::Ready { .. }));
    p.send(Event::TriggerNow);
    p.advance(10);
    p.send(Event::Started {
        permissions: vec![],
    });
    assert!(matches!(p.alert_view(), AlertView::Sent { .. }));
}

#[test]
fn helpline_taps_open_checked_uris() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::Navigate {
        screen: Screen::Helplines,
    });
    assert!(matches!(
        p.view().body,
        Body::Helplines(HelplinesView::ChooseCountry { .. })
    ));
    p.send(Event::SelectCountry { code: "NL".into() });
    let Body::Helplines(HelplinesView::List {
        country, groups, ..
    }) = p.view().body
    else {
        panic!()
    };
    assert_eq!(country, "NL");
    let lines: Vec<_> = groups.iter().flat_map(|g| &g.lines).collect();
    let (line, ch) = lines
        .iter()
        .find_map(|l| {
            l.channels
                .iter()
                .find(|c| c.action == Some(TapKind::Call))
                .map(|c| (l, c))
        })
        .expect("a line to call");
    p.send(Event::TapChannel {
        helpline_id: line.id.clone(),
        channel: ch.index,
    });
    assert!(
        p.opened.last().unwrap().starts_with("tel:"),
        "{:?}",
        p.opened
    );
    for l in &lines {
        for c in &l.channels {
            let before = p.opened.len();
            p.send(Event::TapChannel {
                helpline_id: l.id.clone(),
                channel: c.index,
            });
            assert_eq!(p.opened.len() - before, usize::from(c.action.is_some()));
            if let Some(uri) = p.opened.get(before) {
                assert!(
                    ["tel:", "sms:", "https://", "mailto:"]
                        .iter()
                        .any(|s| uri.starts_with(s)),
                    "{uri}"
                );
            }
        }
    }
}

#[test]
fn helplines_grouped_by_need_with_the_emergency_number_first() {
    use parasol_core::helplines::needs::Need;
    let mut p = Phone::new(ANDROID);
    p.send(Event::SelectCountry { code: "NL".into() });
    p.send(Event::Navigate {
        screen: Screen::Helplines,
    });
    let Body::Helplines(HelplinesView::List { needs, stale, .. }) = p.view().body else {
        panic!()
    };
    assert!(!stale, "bundled content is never stale");
    let order: Vec<Need> = needs.iter().map(|g| g.need).collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "the needs' display order");
    assert_eq!(order.first(), Some(&Need::Danger));
    let danger = &needs[0].lines;
    assert!(
        danger[0].channels.iter().any(|c| c.text.contains("112")),
        "112 first: {:?}",
        danger[0]
    );
    assert!(needs.iter().all(|g| !g.lines.is_empty()));
    let legal = needs.iter().find(|g| g.need == Need::Legal).unwrap();
    assert!(
        legal
            .lines
            .iter()
            .any(|l| l.flags.contains(&HelplineFlag::Police)),
        "the police are marked as such"
    );
}

#[test]
fn the_self_check_forgets_its_answers() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::SelectCountry { code: "NL".into() });
    p.send(Event::Navigate {
        screen: Screen::Rights,
    });
    assert!(matches!(
        p.view().body,
        Body::Rights(RightsView::Booklet { .. })
    ));
    p.send(Event::StartSelfCheck);
    assert!(matches!(
        p.view().body,
        Body::Rights(RightsView::SelfCheck(SelfCheckView::Intro { .. }))
    ));
    p.send(Event::StartSelfCheck);
    p.send(Event::AnswerSelfCheck { answer: Some(true) });
    p.send(Event::Back);
    let Body::Rights(RightsView::SelfCheck(SelfCheckView::Question { index, answer, .. })) =
        p.view().body
    else {
        panic!()
    };
    assert_eq!(
        (index, answer),
        (0, Some(true)),
        "the answer is held while open"
    );
    // Leaving the screen forgets it.
    p.send(Event::Navigate {
        screen: Screen::Helplines,
    });
    p.send(Event::Navigate {
        screen: Screen::Rights,
    });
    assert!(matches!(
        p.view().body,
        Body::Rights(RightsView::Booklet { .. })
    ));
    p.send(Event::StartSelfCheck);
    p.send(Event::StartSelfCheck);
    let Body::Rights(RightsView::SelfCheck(SelfCheckView::Question { answer, count, .. })) =
        p.view().body
    else {
        panic!()
    };
    assert_eq!(answer, None, "forgotten");
    for _ in 0..count {
        p.send(Event::AnswerSelfCheck {
            answer: Some(false),
        });
    }
    assert!(matches!(
        p.view().body,
        Body::Rights(RightsView::SelfCheck(SelfCheckView::Finish { answered, .. })) if answered == count
    ));
    p.send(Event::FinishSelfCheck);
    let Body::Rights(RightsView::SelfCheck(SelfCheckView::Result {
        confidential,
        confidential_note,
        other,
        ..
    })) = p.view().body
    else {
        panic!()
    };
    // Confidential lines and police lines are never in one list.
    assert!(!confidential_note.is_empty());
    assert!(!confidential.is_empty(), "NL has confidential services");
    assert!(confidential
        .iter()
        .all(|l| !l.flags.contains(&HelplineFlag::Police)));
    assert!(other
        .iter()
        .all(|o| confidential.iter().all(|c| c.id != o.id)));
    // Backgrounding forgets it too.
    p.send(Event::Backgrounded);
    assert!(matches!(
        p.view().body,
        Body::Rights(RightsView::Booklet { .. })
    ));
}

#[test]
fn notes_journey_with_trimmed_titles_and_locking_in_the_background() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::Navigate {
        screen: Screen::Notes,
    });
    assert!(matches!(p.view().body, Body::Notes(NotesView::Setup)));
    p.send(Event::CreateNotes {
        passphrase: secret("a long passphrase 1"),
        confirmation: secret("a long passphrase 2"),
    });
    assert_eq!(p.view().notice, Some(parasol_core::app::Notice::Mismatch));
    assert!(matches!(p.view().body, Body::Notes(NotesView::Setup)));
    p.send(Event::CreateNotes {
        passphrase: secret("a long passphrase 1"),
        confirmation: secret("a long passphrase 1"),
    });
    p.send(Event::NewEntry {
        kind: EntryKind::Note,
    });
    p.send(Event::SaveEntry {
        form: EntryForm {
            title: "  Tuesday  ".into(),
            body: "body text".into(),
            ..EntryForm::default()
        },
    });
    let Body::Notes(NotesView::List { entries, .. }) = p.view().body else {
        panic!()
    };
    assert_eq!(entries[0].title, "Tuesday");
    p.send(Event::OpenEntry {
        id: entries[0].id.clone(),
    });
    assert!(
        matches!(p.view().body, Body::Notes(NotesView::Entry { ref body, .. }) if body == "body text")
    );
    p.send(Event::Backgrounded);
    assert!(matches!(
        p.view().body,
        Body::Notes(NotesView::Locked {
            failed_attempts: 0,
            ..
        })
    ));
    p.send(Event::Unlock {
        passphrase: secret("wrong passphrase x"),
    });
    assert_eq!(
        p.view().notice,
        Some(parasol_core::app::Notice::WrongPassphrase)
    );
    assert!(matches!(
        p.view().body,
        Body::Notes(NotesView::Locked {
            failed_attempts: 1,
            ..
        })
    ));
}

fn listed_titles(p: &Phone) -> (Vec<String>, String) {
    match p.view().body {
        Body::Notes(NotesView::List { entries, query }) => {
            let mut t: Vec<String> = entries.into_iter().map(|e| e.title).collect();
            t.sort();
            (t, query)
        }
        other => panic!("not the list: {other:?} ({:?})", p.view().notice),
    }
}

#[test]
fn the_notes_list_and_search_read_titles_and_the_index_not_the_texts() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::Navigate {
        screen: Screen::Notes,
    });
    p.send(Event::CreateNotes {
        passphrase: secret("a long passphrase 1"),
        confirmation: secret("a long passphrase 1"),
    });
    for (title, body) in [
        ("Café visit", "met at the station"),
        ("Tuesday", "rent paid"),
        ("Doctor", "clinic on Friday, then the CAFE"),
    ] {
        p.send(Event::NewEntry {
            kind: EntryKind::Note,
        });
        p.send(Event::SaveEntry {
            form: EntryForm {
                title: title.into(),
                body: body.into(),
                ..EntryForm::default()
            },
        });
    }
    let all = vec!["Café visit".to_string(), "Doctor".into(), "Tuesday".into()];
    assert_eq!(listed_titles(&p), (all.clone(), String::new()));
    // A search finds titles and texts, whatever the accents and case.
    let search = |p: &mut Phone, q: &str| {
        p.send(Event::SearchNotes {
            query: SearchText::new(q.into()),
        });
    };
    search(&mut p, "cafe");
    assert_eq!(
        listed_titles(&p),
        (vec!["Café visit".into(), "Doctor".into()], "cafe".into())
    );
    let direct: Vec<String> = p
        .journal
        .search_titles("cafe")
        .unwrap()
        .into_iter()
        .map(|e| e.title.clone())
        .collect();
    assert_eq!(direct.len(), 2, "the screen shows what the index answers");
    search(&mut p, "RENT");
    assert_eq!(listed_titles(&p).0, vec!["Tuesday".to_string()]);
    search(&mut p, "nowhere");
    assert!(listed_titles(&p).0.is_empty());
    // Every text damaged on disk while the notes are open: the full listing
    // would have to decrypt them and fails; the list and the search do not
    // touch them.
    p.profile
        .store()
        .with(|c| {
            Ok(c.execute(
                "UPDATE journal_records SET sealed = zeroblob(length(sealed))
                 WHERE sealed IS NOT NULL",
                [],
            )?)
        })
        .unwrap();
    assert!(p.journal.list().is_err(), "the texts are unreadable now");
    search(&mut p, "station");
    assert_eq!(listed_titles(&p).0, vec!["Café visit".to_string()]);
    search(&mut p, "  ");
    assert_eq!(listed_titles(&p), (all, "  ".into()));
    // Locking forgets the search.
    p.send(Event::Lock);
    search(&mut p, "rent");
    assert!(matches!(
        p.view().body,
        Body::Notes(NotesView::Locked { .. })
    ));
}

#[test]
fn a_lock_forgets_the_notes_search() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::Navigate {
        screen: Screen::Notes,
    });
    p.send(Event::CreateNotes {
        passphrase: secret("a long passphrase 1"),
        confirmation: secret("a long passphrase 1"),
    });
    for title in ["one", "two"] {
        p.send(Event::NewEntry {
            kind: EntryKind::Note,
        });
        p.send(Event::SaveEntry {
            form: EntryForm {
                title: title.into(),
                ..EntryForm::default()
            },
        });
    }
    p.send(Event::SearchNotes {
        query: SearchText::new("two".into()),
    });
    assert_eq!(listed_titles(&p).0, vec!["two".to_string()]);
    p.send(Event::Backgrounded);
    p.send(Event::Unlock {
        passphrase: secret("a long passphrase 1"),
    });
    assert_eq!(
        listed_titles(&p),
        (vec!["one".to_string(), "two".into()], String::new())
    );
}

#[test]
fn erasing_needs_two_steps_within_the_window() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::CreateNotes {
        passphrase: secret("a long passphrase 1"),
        confirmation: secret("a long passphrase 1"),
    });
    p.send(Event::Navigate {
        screen: Screen::Settings,
    });
    p.send(Event::RequestErase);
    assert!(matches!(
        p.view().body,
        Body::Settings(ref s) if s.erase == EraseStep::Confirming { seconds_left: 10 }
    ));
    p.advance(11);
    p.send(Event::TimerElapsed);
    assert!(matches!(p.view().body, Body::Settings(ref s) if s.erase == EraseStep::Idle));
    p.send(Event::ConfirmErase);
    assert!(!p.restarted, "too late: nothing erased");
    p.send(Event::RequestErase);
    p.advance(3);
    let fx = p.send(Event::ConfirmErase);
    assert_eq!(fx, vec![Effect::Restart]);
    assert!(p.restarted);
}

#[test]
fn an_erase_keeps_the_disguise() {
    let mut p = Phone::new(ANDROID);
    p.send(Event::SetDisguise { on: true });
    p.send(Event::RequestErase);
    p.send(Event::ConfirmErase);
    assert!(p.restarted);
    p.reopen(ANDROID);
    assert_eq!(
        p.view().screen,
        Screen::Notes,
        "still disguised after the erase"
    );
    assert!(matches!(p.view().body, Body::Notes(NotesView::Setup)));
}

#[test]
fn the_screen_is_secure_from_the_start() {
    let p = Phone::new(IOS);
    assert!(p.log.contains(&Effect::SetScreenSecurity { secure: true }));
    assert!(p.view().secure);
}

fn contacts_view(p: &mut Phone) -> parasol_core::app::view::ContactsView {
    p.send(Event::Navigate {
        screen: Screen::Contacts,
    });
    match p.view().body {
        Body::Contacts(v) => v,
        other => panic!("not the contacts screen: {other:?}"),
    }
}

#[test]
fn editing_a_contact_keeps_the_matrix_id_the_code_phrase_and_push() {
    use parasol_core::alerts::ContactInput;
    use parasol_core::app::view::SetupNotice;
    let mut p = Phone::new(ANDROID);
    // Push is set outside the form (pairing); an edit must keep it too.
    let c = p
        .alerts
        .add_contact(&ContactInput {
            name: "Mira".into(),
            phone: Some("+31612345678".into()),
            matrix_id: Some("@mira:example.org".into()),
            sms_code_phrase: Some("Did you water my plants?".into()),
            push_url: Some("https://push.example.org/p".into()),
            push_token: Some("tok-123".into()),
            ..ContactInput::default()
        })
        .unwrap();
    let v = contacts_view(&mut p);
    assert_eq!(v.notices, [SetupNotice::Matrix, SetupNotice::SilentSms]);
    p.send(Event::EditContact { id: c.id.clone() });
    let editor = contacts_view(&mut p).editor.expect("the form is open");
    assert_eq!(editor.id.as_deref(), Some(c.id.as_str()));
    assert_eq!(editor.form.matrix_id, "@mira:example.org");
    assert_eq!(editor.form.sms_code_phrase, "Did you water my plants?");
    assert!(editor.code_phrase_offered);
    assert_eq!(
        editor.notices,
        [SetupNotice::Matrix, SetupNotice::SilentSms]
    );
    // The user renames her and saves the rest as shown.
    let mut form = editor.form.clone();
    form.name = " Mira B ".into();
    p.send(Event::UpdateContact {
        id: c.id.clone(),
        form,
    });
    let after = p.alerts.contact(&c.id).unwrap();
    assert_eq!(after.name, "Mira B");
    assert_eq!(after.matrix_id.as_deref(), Some("@mira:example.org"));
    assert_eq!(
        after.sms_code_phrase.as_deref(),
        Some("Did you water my plants?")
    );
    assert_eq!(
        after.push_url.as_deref(),
        Some("https://push.example.org/p")
    );
    assert_eq!(after.push_token.as_deref(), Some("tok-123"));
    let v = contacts_view(&mut p);
    assert!(v.editor.is_none(), "saving closes the form");
    // Clearing the phrase in the form clears it.
    p.send(Event::EditContact { id: c.id.clone() });
    let mut form = contacts_view(&mut p).editor.unwrap().form;
    form.sms_code_phrase = "  ".into();
    p.send(Event::UpdateContact {
        id: c.id.clone(),
        form,
    });
    assert_eq!(p.alerts.contact(&c.id).unwrap().sms_code_phrase, None);
    // A bad Matrix ID is refused and nothing changes.
    p.send(Event::EditContact { id: c.id.clone() });
    let mut form = contacts_view(&mut p).editor.unwrap().form;
    form.matrix_id = "mira at example".into();
    p.send(Event::UpdateContact {
        id: c.id.clone(),
        form,
    });
    assert_eq!(
        p.view().notice,
        Some(parasol_core::app::Notice::InvalidInput)
    );
    assert_eq!(
        p.alerts.contact(&c.id).unwrap().matrix_id.as_deref(),
        Some("@mira:example.org")
    );
    // On iOS there is no silent SMS: no code phrase offered, no SMS notice.
    let mut ios = Phone::new(IOS);
    ios.send(Event::NewContact);
    let editor = contacts_view(&mut ios).editor.unwrap();
    assert!(!editor.code_phrase_offered);
    assert_eq!(editor.notices, [SetupNotice::Matrix]);
    ios.send(Event::Back);
    assert!(contacts_view(&mut ios).editor.is_none());
}

#[test]
fn a_check_in_shows_it_lives_on_the_phone_only_and_carries_the_fix() {
    use parasol_core::alerts::ServerTimerState;
    let rx = Receiver::start().unwrap();
    let mut p = Phone::new(ANDROID);
    p.add_contact("Mira", None, Some(&rx.url("/m")));
    p.answers
        .insert(Permission::Location, PermissionStatus::Granted);
    p.send(Event::PermissionResult {
        permission: Permission::Location,
        status: PermissionStatus::Granted,
    });
    p.fix = Some(Location::new(52.37, 4.89));
    p.send(Event::Navigate {
        screen: Screen::Checkin,
    });
    let fx = p.send(Event::StartCheckin { minutes: 30 });
    assert!(
        fx.iter().any(|e| matches!(e, Effect::GetLocation { .. })),
        "{fx:?}"
    );
    let Body::Checkin(CheckinView::Running {
        server_timer,
        phone_only,
        ..
    }) = p.view().body
    else {
        panic!()
    };
    assert_eq!(server_timer, None);
    assert!(
        phone_only,
        "no Matrix contact: the timer lives on the phone"
    );
    // Extending asks again; the next fix is the one the alert carries.
    p.fix = Some(Location::new(52.08, 4.31));
    let fx = p.send(Event::ExtendCheckin { minutes: 15 });
    assert!(fx.iter().any(|e| matches!(e, Effect::GetLocation { .. })));
    p.advance(50 * 60 + 1);
    let got = rx.requests();
    assert_eq!(got.len(), 1, "the missed check-in alert");
    let body = String::from_utf8_lossy(&got[0].body);
    assert!(body.contains("52.08"), "the extend's fix: {body}");
    // A Matrix contact (not signed in): the server timer is pending.
    let mut m = Phone::new(ANDROID);
    m.alerts
        .add_contact(&parasol_core::alerts::ContactInput {
            name: "Friend".into(),
            matrix_id: Some("@friend:example.org".into()),
            ..Default::default()
        })
        .unwrap();
    m.send(Event::Navigate {
        screen: Screen::Checkin,
    });
    let fx = m.send(Event::StartCheckin { minutes: 30 });
    assert!(
        !fx.iter().any(|e| matches!(e, Effect::GetLocation { .. })),
        "location not allowed: not asked"
    );
    let Body::Checkin(CheckinView::Running {
        server_timer,
        phone_only,
        ..
    }) = m.view().body
    else {
        panic!()
    };
    let t = server_timer.expect("a Matrix contact: a server timer");
    assert_eq!(t.state, ServerTimerState::Pending);
    assert_eq!(t.contacts, 1);
    assert!(!phone_only);
    m.send(Event::CheckIn);
    let Body::Checkin(CheckinView::Idle { server_timer, .. }) = m.view().body else {
        panic!()
    };
    let state = server_timer.unwrap().state;
    assert!(
        matches!(
            state,
            ServerTimerState::Cancelled | ServerTimerState::Cancelling
        ),
        "{state:?}"
    );
}

#[test]
fn a_hold_is_kept_alive_by_planned_wake_ups_and_only_the_pin_ends_it() {
    use parasol_core::alerts::matrix::testkit::Synapse;
    use parasol_core::alerts::{ContactInput, HoldState, ServerTimerState};
    use parasol_core::app::view::HoldOffer;
    // Without a Matrix account no hold is offered.
    let mut plain = Phone::new(ANDROID);
    plain.add_contact("Mira", Some("+31612345678"), None);
    let AlertView::Ready { hold, .. } = plain.alert_view() else {
        panic!()
    };
    assert_eq!(hold, HoldOffer::NoMatrixAccount);
    plain.send(Event::StartHold { delay_seconds: 30 });
    assert_eq!(plain.alerts.hold().unwrap(), None, "nothing started");
    let Some(hs) = Synapse::from_env() else {
        return;
    };
    let me = hs.register("walker");
    let friend = hs.register("friend");
    let mut p = Phone::with(ANDROID, |a| {
        a.matrix_login(&hs.url, &me.user_id, &me.password).unwrap();
        a.add_contact(&ContactInput {
            name: "Friend".into(),
            matrix_id: Some(friend.user_id.clone()),
            ..ContactInput::default()
        })
        .unwrap();
    });
    let AlertView::Ready { hold, .. } = p.alert_view() else {
        panic!()
    };
    assert_eq!(hold, HoldOffer::NeedsPin);
    p.send(Event::SetHoldPin {
        pin: Some(secret("2468")),
    });
    let AlertView::Ready { hold, .. } = p.alert_view() else {
        panic!()
    };
    assert_eq!(
        hold,
        HoldOffer::Ready {
            default_delay_seconds: 30
        }
    );
    p.send(Event::StartHold { delay_seconds: 30 });
    let AlertView::Holding {
        state,
        deadline,
        keep_alive_every_ms,
        server_timer,
        ..
    } = p.alert_view()
    else {
        panic!("{:?}", p.view().body)
    };
    assert_eq!(state, HoldState::Holding);
    assert_eq!(deadline, start() + Duration::seconds(30));
    assert_eq!(keep_alive_every_ms, 10_000);
    let t = server_timer.expect("the homeserver holds it");
    assert_eq!(t.state, ServerTimerState::Armed, "{t:?}");
    // The planner's wake-up is the keep-alive, a third of the delay on.
    assert_eq!(p.timer, Some(start() + Duration::seconds(10)));
    p.advance(10);
    let h = p.alerts.hold().unwrap().unwrap();
    assert_eq!(h.deadline, start() + Duration::seconds(40), "kept alive");
    assert_eq!(p.timer, Some(start() + Duration::seconds(20)));
    p.advance(25);
    let h = p.alerts.hold().unwrap().unwrap();
    assert_eq!(h.state, HoldState::Holding);
    assert!(h.deadline > p.now() + Duration::seconds(15), "{h:?}");
    // Let go: no more keep-alives; the deadline is the next wake-up.
    p.send(Event::ReleaseHold);
    let h = p.alerts.hold().unwrap().unwrap();
    assert_eq!(h.state, HoldState::Released);
    assert_eq!(p.timer, Some(h.deadline));
    p.send(Event::ConfirmHold {
        pin: secret("1111"),
    });
    assert_eq!(
        p.view().notice,
        Some(parasol_core::app::Notice::WrongPassphrase)
    );
    assert_eq!(p.alerts.hold().unwrap().unwrap().state, HoldState::Released);
    p.send(Event::ConfirmHold {
        pin: secret("2468"),
    });
    let h = p.alerts.hold().unwrap().unwrap();
    assert_eq!(h.state, HoldState::Done);
    assert!(matches!(p.alert_view(), AlertView::Ready { .. }));
    assert_eq!(p.timer, None, "nothing left to wake up for");
    // Let go and never confirmed: at the deadline the alert goes, and the
    // alert screen shows it.
    p.send(Event::StartHold { delay_seconds: 30 });
    p.send(Event::ReleaseHold);
    let deadline = p.alerts.hold().unwrap().unwrap().deadline;
    p.advance((deadline - p.now()).num_seconds() + 1);
    let h = p.alerts.hold().unwrap().unwrap();
    assert_eq!(h.state, HoldState::Fired);
    let AlertView::Sent { rows, .. } = p.alert_view() else {
        panic!("{:?}", p.view().body)
    };
    assert_eq!(rows.len(), 1, "the Matrix contact");
}

#[test]
fn the_play_build_has_no_silent_sms_and_the_core_says_so() {
    use parasol_core::app::view::SetupNotice;
    // android/app/src/play/.../Distribution.kt: SILENT_SMS = false,
    // SMS_VIA_COMPOSER = true; the shell passes them as they are.
    const PLAY: Capabilities = Capabilities {
        silent_sms: false,
        sms_composer: true,
        exact_wakeups: true,
        launcher_disguise: true,
    };
    let mut p = Phone::new(PLAY);
    p.send(Event::NewContact);
    let editor = contacts_view(&mut p).editor.unwrap();
    assert!(!editor.code_phrase_offered, "no silent SMS: no code phrase");
    assert_eq!(editor.notices, [SetupNotice::Matrix]);
    p.add_contact("Mira", Some("+31612345678"), None);
    assert!(
        !p.log.contains(&Effect::RequestPermission {
            permission: Permission::Sms,
            open_settings: false
        }),
        "the SMS permission is never asked for on play"
    );
    let v = contacts_view(&mut p);
    assert!(v.notices.is_empty(), "{:?}", v.notices);
    assert!(
        v.rows[0].sms_needs_tap,
        "a visible alert's SMS opens the composer"
    );
    assert!(
        !v.rows[0].silent.contains(&Channel::Sms),
        "never a silent SMS"
    );
    // The launcher disguise is a capability: on, the shell is asked to switch.
    let fx = p.send(Event::SetDisguise { on: true });
    assert!(fx.contains(&Effect::SetLauncherDisguise { disguised: true }));
}

/// The check-in screen says reminders may come late only once exact alarms
/// were refused, not before they were asked, and never on a phone without them.
#[test]
fn check_in_says_reminders_may_be_late_only_when_exact_alarms_were_refused() {
    fn late(p: &Phone) -> bool {
        match p.view().body {
            Body::Checkin(CheckinView::Running { reminders_late, .. })
            | Body::Checkin(CheckinView::Idle { reminders_late, .. }) => reminders_late,
            other => panic!("{other:?}"),
        }
    }
    for (caps, answer, expected) in [
        (ANDROID, PermissionStatus::Granted, false),
        (ANDROID, PermissionStatus::Denied, true),
        (ANDROID, PermissionStatus::DeniedForever, true),
        (IOS, PermissionStatus::Denied, false),
    ] {
        let rx = Receiver::start().unwrap();
        let mut p = Phone::new(caps);
        p.add_contact("Mira", None, Some(&rx.url("/m")));
        p.answers.insert(Permission::ExactAlarms, answer);
        p.send(Event::Navigate {
            screen: Screen::Checkin,
        });
        assert!(!late(&p), "not asked yet: nothing to say");
        p.send(Event::StartCheckin { minutes: 30 });
        assert_eq!(late(&p), expected, "{answer:?}");
    }
}
