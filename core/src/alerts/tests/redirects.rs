//! Alert deliveries never follow redirects (issue 14, item 11): a receiver
//! answering 307 to another host must not make the alert, its push text or a
//! `Referer` reach that host.

use super::*;
use std::net::Ipv4Addr;

#[test]
fn a_307_to_another_loopback_host_is_not_followed() {
    let env = Env::new();
    let other = Receiver::start_at(Ipv4Addr::new(127, 0, 0, 2), 0).unwrap();
    let first = Receiver::start().unwrap();
    first.redirect_to(307, &other.url("/stolen"));
    let a = env.alerts();
    a.add_contact(&ContactInput {
        name: "Redirected".into(),
        webhook_url: Some(first.url("/hook")),
        push_url: Some(first.url("/topic")),
        push_token: Some("tk_redirect_secret".into()),
        ..ContactInput::default()
    })
    .unwrap();
    let alert = a
        .trigger(&TriggerRequest {
            note: Some("room 12".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    let report = a.flush_outbox().unwrap();
    assert_eq!(report.attempted, 2);
    assert_eq!(first.requests().len(), 2, "the first host was asked");
    assert!(
        other.requests().is_empty(),
        "the other host received {:?}",
        other.requests().iter().map(|r| &r.path).collect::<Vec<_>>()
    );
    for d in a.status(&alert.id).unwrap().deliveries {
        assert_ne!(d.state, DeliveryState::Delivered, "{d:?}");
        let why = d.last_error.unwrap_or_default();
        assert!(why.contains("redirect"), "{why}");
    }
}
