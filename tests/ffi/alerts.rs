//! The alert engine through the FFI, with `SmsSender` and `AlertObserver`
//! implemented in Rust as a shell would, against a loopback receiver.

use parasol_core::alerts::receiver::{Fault, Receiver};
use parasol_ffi::*;
use std::sync::{Arc, Mutex};

fn open(dir: &std::path::Path) -> Arc<Parasol> {
    let mut c = crate::profile::config(dir);
    c.allow_insecure_loopback = true;
    c.timeout_seconds = 2;
    Parasol::open(c, None).unwrap()
}

fn fast(a: &Alerts) {
    let mut s = a.settings();
    s.retry_base_ms = 10;
    s.retry_cap_ms = 20;
    a.set_settings(s).unwrap();
}

#[derive(Default)]
struct Events(Mutex<Vec<AlertEvent>>);
impl AlertObserver for Events {
    fn on_event(&self, event: AlertEvent) -> Result<(), ParasolError> {
        self.0.lock().unwrap().push(event);
        Err(ParasolError::Internal {
            reason: "observer errors are ignored".into(),
        })
    }
}

struct Composer {
    requests: Mutex<Vec<SmsRequest>>,
    fail: bool,
}
impl SmsSender for Composer {
    fn send_sms(&self, request: SmsRequest) -> Result<SmsOutcome, ParasolError> {
        self.requests.lock().unwrap().push(request);
        if self.fail {
            return Err(ParasolError::Platform {
                reason: "no service".into(),
            });
        }
        Ok(SmsOutcome::NeedsUserAction)
    }
}

fn contact(name: &str) -> TrustedContactInput {
    TrustedContactInput {
        name: name.into(),
        language: "en".into(),
        phone: None,
        webhook_url: None,
        push_url: None,
        push_token: None,
        sms_code_phrase: None,
        matrix_id: None,
        triggers: ContactTriggers {
            button: true,
            missed_check_in: true,
            duress: true,
        },
    }
}

#[test]
fn alerts_object_is_shared_and_contacts_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let p = open(dir.path());
    let a = p.alerts().unwrap();
    assert!(Arc::ptr_eq(&a, &p.alerts().unwrap()));
    let c = a
        .add_contact(TrustedContactInput {
            phone: Some("+31 6 12345678".into()),
            push_url: Some("https://ntfy.sh/x".into()),
            push_token: Some("tk".into()),
            ..contact("Mira")
        })
        .unwrap();
    assert_eq!(c.phone.as_deref(), Some("+31612345678"));
    assert!(c.has_push_token);
    assert!(!format!("{c:?}").contains("Mira"));
    let u = a
        .update_contact(
            c.id.clone(),
            TrustedContactInput {
                phone: None,
                push_url: Some("https://ntfy.sh/x".into()),
                ..contact("Mira K")
            },
        )
        .unwrap();
    assert!(u.has_push_token, "unchanged push URL keeps the token");
    assert_eq!(a.contact(c.id.clone()).unwrap(), u);
    assert_eq!(a.contacts().unwrap(), vec![u.clone()]);
    let err = a
        .add_contact(TrustedContactInput {
            phone: Some("+31 6 1234 567#".into()),
            ..contact("x")
        })
        .unwrap_err();
    assert!(matches!(err, ParasolError::InvalidInput { .. }), "{err:?}");
    assert!(matches!(
        a.add_contact(TrustedContactInput {
            webhook_url: Some("http://example.org/hook".into()),
            ..contact("x")
        }),
        Err(ParasolError::InvalidInput { .. })
    ));
    a.remove_contact(c.id.clone()).unwrap();
    assert!(matches!(
        a.remove_contact(c.id),
        Err(ParasolError::NotFound { .. })
    ));
    a.set_sender_name(Some("Ana".into())).unwrap();
    assert_eq!(a.sender_name().unwrap().as_deref(), Some("Ana"));
    let mut s = a.settings();
    s.parallelism = 0;
    assert!(matches!(
        a.set_settings(s),
        Err(ParasolError::InvalidInput { .. })
    ));
}

#[test]
fn trigger_flush_sms_needs_user_action_and_im_safe() {
    let dir = tempfile::tempdir().unwrap();
    let rx = Receiver::start().unwrap();
    let p = open(dir.path());
    let a = p.alerts().unwrap();
    fast(&a);
    let events = Arc::new(Events::default());
    a.set_observer(Some(events.clone()));
    let sms = Arc::new(Composer {
        requests: Mutex::new(Vec::new()),
        fail: false,
    });
    a.set_sms_sender(Some(sms.clone()));
    let c = a
        .add_contact(TrustedContactInput {
            phone: Some("+46701234567".into()),
            webhook_url: Some(rx.url("/hook")),
            ..contact("Both")
        })
        .unwrap();
    let alert = a
        .trigger(TriggerRequest {
            mode: AlertMode::Immediate,
            reason: AlertReason::Button,
            location: Some(AlertLocation {
                latitude: 59.3293,
                longitude: 18.0686,
                accuracy_m: Some(30.0),
                fixed_at_ms: None,
            }),
            note: Some("note".into()),
        })
        .unwrap();
    assert_eq!(alert.state, AlertState::Fired);
    assert!(alert.has_location);
    assert_eq!(alert.deliveries.len(), 2);
    assert!(alert
        .deliveries
        .iter()
        .all(|d| d.state == DeliveryState::Queued));
    let r = a.flush_outbox().unwrap();
    assert_eq!((r.delivered, r.needs_user_action, r.pending), (1, 1, 0));
    let sms_delivery = a
        .alert_status(alert.id.clone())
        .unwrap()
        .deliveries
        .into_iter()
        .find(|d| d.channel == DeliveryChannel::Sms)
        .unwrap();
    assert_eq!(sms_delivery.state, DeliveryState::NeedsUserAction);
    assert_eq!(sms_delivery.contact_id, c.id);
    let req = sms.requests.lock().unwrap()[0].clone();
    assert_eq!(req.delivery_id, sms_delivery.id);
    assert!(req.text.contains("openstreetmap.org"));
    let d = a
        .report_sms(sms_delivery.id.clone(), SmsReport::Sent)
        .unwrap();
    assert_eq!(d.state, DeliveryState::Sent);
    assert_eq!(
        a.report_sms(d.id.clone(), SmsReport::Delivered)
            .unwrap()
            .state,
        DeliveryState::Delivered
    );
    assert_eq!(
        a.delivery(d.id.clone()).unwrap().state,
        DeliveryState::Delivered
    );
    let resolved = a.resolve(alert.id.clone()).unwrap();
    assert_eq!(resolved.state, AlertState::Resolved);
    let safe: Vec<_> = resolved
        .deliveries
        .iter()
        .filter(|d| d.kind == MessageKind::Safe)
        .collect();
    assert_eq!(safe.len(), 2);
    a.tick().unwrap();
    assert_eq!(rx.applied().len(), 2);
    let ev = events.0.lock().unwrap().clone();
    assert!(matches!(ev[0], AlertEvent::Fired { .. }));
    assert!(ev.iter().any(|e| matches!(e, AlertEvent::Delivery { delivery } if delivery.state == DeliveryState::NeedsUserAction)));
    assert!(ev.iter().any(|e| matches!(e, AlertEvent::Resolved { .. })));
    assert_eq!(a.active_alerts().unwrap().len(), 0);
    assert_eq!(a.recent_alerts(5).unwrap().len(), 1);
}

#[test]
fn countdown_cancel_location_and_failing_sms() {
    let dir = tempfile::tempdir().unwrap();
    let rx = Receiver::start().unwrap();
    rx.set_default(Fault::Status(500));
    let p = open(dir.path());
    let a = p.alerts().unwrap();
    fast(&a);
    let events = Arc::new(Events::default());
    a.set_observer(Some(events.clone()));
    a.set_sms_sender(Some(Arc::new(Composer {
        requests: Mutex::new(Vec::new()),
        fail: true,
    })));
    a.add_contact(TrustedContactInput {
        phone: Some("+48512345678".into()),
        ..contact("Sms")
    })
    .unwrap();
    let c = a
        .trigger(TriggerRequest {
            mode: AlertMode::Countdown { seconds: 60 },
            reason: AlertReason::Button,
            location: None,
            note: None,
        })
        .unwrap();
    assert_eq!(c.state, AlertState::Countdown);
    assert_eq!(a.next_wakeup_ms().unwrap(), c.fires_at_ms);
    let loc = AlertLocation {
        latitude: 1.0,
        longitude: 2.0,
        accuracy_m: None,
        fixed_at_ms: Some(1_700_000_000_000),
    };
    assert!(a
        .update_location(c.id.clone(), loc)
        .unwrap()
        .queued
        .is_empty());
    assert_eq!(a.cancel(c.id.clone()).unwrap().state, AlertState::Cancelled);
    assert!(matches!(
        events.0.lock().unwrap().as_slice(),
        [
            AlertEvent::CountdownStarted { .. },
            AlertEvent::CountdownCancelled { .. }
        ]
    ));
    // A throwing SMS sender means "retry later", with the reason kept.
    let d = a.trigger_duress().unwrap();
    assert_eq!(d.mode, AlertMode::Silent);
    let r = a.flush_outbox().unwrap();
    assert_eq!(r.retrying, 1);
    let del = &a.alert_status(d.id.clone()).unwrap().deliveries[0];
    assert_eq!(del.state, DeliveryState::Queued);
    assert!(
        del.last_error.as_deref().unwrap().contains("no service"),
        "{del:?}"
    );
    assert!(del.next_attempt_at_ms.is_some());
    let f = a.update_location(d.id.clone(), loc).unwrap();
    assert_eq!(f.queued.len(), 1);
    let f2 = a.update_location(d.id.clone(), loc).unwrap();
    assert!(f2.deferred_until_ms.is_some());
    assert!(matches!(
        a.alert_status("nope".into()),
        Err(ParasolError::NotFound { .. })
    ));
    assert!(matches!(
        a.report_sms(
            "0123456789abcdef".into(),
            SmsReport::Failed { reason: "x".into() }
        ),
        Err(ParasolError::NotFound { .. })
    ));
    drop(rx);
}

#[test]
fn checkin_through_the_ffi() {
    let dir = tempfile::tempdir().unwrap();
    let p = open(dir.path());
    let a = p.alerts().unwrap();
    assert!(a.checkin().unwrap().is_none());
    a.add_contact(TrustedContactInput {
        phone: Some("+31612345678".into()),
        ..contact("A")
    })
    .unwrap();
    let s = a
        .start_checkin(CheckinRequest {
            deadline: CheckinDeadline::InMinutes { minutes: 60 },
            grace_minutes: Some(2),
            note: Some("client".into()),
            location: None,
        })
        .unwrap();
    assert_eq!(s.state, CheckinState::Active);
    assert_eq!(s.fires_at_ms - s.deadline_ms, 120_000);
    assert_eq!(a.next_wakeup_ms().unwrap(), Some(s.fires_at_ms));
    let e = a.extend_checkin(30).unwrap();
    assert_eq!(e.deadline_ms, s.deadline_ms + 30 * 60_000);
    assert_eq!(a.check_in().unwrap().state, CheckinState::Done);
    let at = s.deadline_ms + 3_600_000;
    a.start_checkin(CheckinRequest {
        deadline: CheckinDeadline::At { at_ms: at },
        grace_minutes: None,
        note: None,
        location: None,
    })
    .unwrap();
    assert_eq!(a.cancel_checkin().unwrap().state, CheckinState::Cancelled);
    assert!(matches!(a.check_in(), Err(ParasolError::NotFound { .. })));
    assert!(matches!(
        a.start_checkin(CheckinRequest {
            deadline: CheckinDeadline::At { at_ms: 0 },
            grace_minutes: None,
            note: None,
            location: None,
        }),
        Err(ParasolError::InvalidInput { .. })
    ));
}
