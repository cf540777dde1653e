//! The headless app through the FFI, as a shell drives it: events in,
//! effects performed by a fake executor in Rust, view models rendered.

use parasol_core::alerts::receiver::Receiver;
use parasol_ffi::*;
use std::sync::Arc;

fn open(dir: &std::path::Path) -> Arc<Parasol> {
    let mut c = crate::profile::config(dir);
    c.allow_insecure_loopback = true;
    c.timeout_seconds = 2;
    Parasol::open(c, None).unwrap()
}

const IPHONE: AppCapabilities = AppCapabilities {
    silent_sms: false,
    sms_composer: true,
    exact_wakeups: false,
    launcher_disguise: false,
};

/// Performs effects the way a phone would: wake-ups due now run at once,
/// permissions are granted, nothing else answers.
struct Executor {
    app: Arc<App>,
    seen: Vec<AppEffect>,
}

impl Executor {
    fn send(&mut self, event: AppEvent) -> Vec<AppEffect> {
        let mut queue = vec![event];
        let mut first = None;
        for _ in 0..100 {
            let Some(e) = queue.pop() else {
                return first.unwrap_or_default();
            };
            let fx = self.app.update(e).unwrap();
            first.get_or_insert_with(|| fx.clone());
            for f in fx {
                self.seen.push(f.clone());
                match f {
                    AppEffect::ScheduleWakeup {
                        at_ms,
                        needs_network,
                    } if at_ms <= chrono::Utc::now().timestamp_millis() => {
                        queue.insert(0, AppEvent::WokeUp { needs_network });
                    }
                    AppEffect::RequestPermission { permission, .. } => queue.insert(
                        0,
                        AppEvent::PermissionResult {
                            state: PermissionState {
                                permission,
                                status: PermissionStatus::Granted,
                            },
                        },
                    ),
                    _ => {}
                }
            }
        }
        panic!("endless effects");
    }
}

fn contact(name: &str, phone: &str, webhook: &str) -> AppEvent {
    AppEvent::AddContact {
        form: ContactForm {
            name: format!(" {name} "),
            phone: phone.into(),
            webhook_url: webhook.into(),
            language: String::new(),
            triggers: ContactTriggers {
                button: true,
                missed_check_in: true,
                duress: true,
            },
            matrix_id: String::new(),
            sms_code_phrase: String::new(),
        },
    }
}

#[test]
fn an_iphone_shell_raises_an_alert_and_the_composer_opens_for_sms() {
    let dir = tempfile::tempdir().unwrap();
    let rx = Receiver::start().unwrap();
    let p = open(dir.path());
    let app = App::new(p.clone(), IPHONE).unwrap();
    let mut x = Executor {
        app: app.clone(),
        seen: Vec::new(),
    };
    let fx = x.send(AppEvent::Started {
        permissions: vec![PermissionState {
            permission: Permission::Sms,
            status: PermissionStatus::NotApplicable,
        }],
    });
    assert!(fx.contains(&AppEffect::SetScreenSecurity { secure: true }));
    x.send(contact("Mira", "+31612345678", &rx.url("/m")));
    assert_eq!(app.view().notice, Some(Notice::Saved));
    x.send(AppEvent::TriggerNow);
    let AppView {
        body:
            ScreenBody::Alert {
                view: AlertScreen::Countdown { seconds_left, .. },
            },
        refresh_in_ms: Some(_),
        ..
    } = app.view()
    else {
        panic!("{:?}", app.view())
    };
    assert_eq!(seconds_left, 10);
    // The countdown is cancellable: cancel, nothing sent.
    x.send(AppEvent::CancelCountdown);
    assert!(matches!(
        app.view().body,
        ScreenBody::Alert {
            view: AlertScreen::Ended {
                sent_something: false,
                ..
            }
        }
    ));
    assert!(rx.requests().is_empty());
    assert!(!x
        .seen
        .iter()
        .any(|e| matches!(e, AppEffect::ComposeSms { .. })));
}

#[test]
fn passphrases_cross_as_bytes_and_never_show_in_debug() {
    let dir = tempfile::tempdir().unwrap();
    let p = open(dir.path());
    let app = App::new(p.clone(), IPHONE).unwrap();
    let event = AppEvent::Unlock {
        passphrase: b"canary-passphrase-41".to_vec(),
    };
    assert!(!format!("{event:?}").contains("canary"));
    let form = contact("Canary Person", "+31612345678", "");
    assert!(!format!("{form:?}").contains("Canary"));
    app.update(AppEvent::Started {
        permissions: vec![],
    })
    .unwrap();
    app.update(AppEvent::Navigate {
        screen: Screen::Notes,
    })
    .unwrap();
    assert!(matches!(
        app.view().body,
        ScreenBody::Notes {
            view: NotesScreen::Setup
        }
    ));
    app.update(AppEvent::CreateNotes {
        passphrase: b"a long passphrase 1".to_vec(),
        confirmation: b"a long passphrase 2".to_vec(),
    })
    .unwrap();
    assert_eq!(app.view().notice, Some(Notice::Mismatch));
    // The same journal object as the profile's: created by the app, seen by both.
    app.update(AppEvent::CreateNotes {
        passphrase: b"a long passphrase 1".to_vec(),
        confirmation: b"a long passphrase 1".to_vec(),
    })
    .unwrap();
    assert!(p.journal().is_unlocked());
    let sms = AppEffect::SendSms {
        delivery_id: "d".into(),
        phone: "+31612345678".into(),
        text: "canary text".into(),
    };
    assert!(!format!("{sms:?}").contains("canary") && !format!("{sms:?}").contains("+31"));
}

#[test]
fn a_location_out_of_range_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::new(open(dir.path()), IPHONE).unwrap();
    let bad = AppEvent::LocationResult {
        fix: Some(AlertLocation {
            latitude: 1.0,
            longitude: 2.0,
            accuracy_m: None,
            fixed_at_ms: Some(i64::MAX),
        }),
    };
    assert!(matches!(
        app.update(bad),
        Err(ParasolError::InvalidInput { .. })
    ));
}
