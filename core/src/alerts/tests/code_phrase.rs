//! A contact's code phrase (issue 12, item 10): a silent SMS alert says only
//! the agreed phrase, nothing else goes to that contact by SMS afterwards,
//! their other channels get everything, and the phrase is stored sealed.

use super::*;

#[test]
fn a_silent_sms_alert_says_only_the_code_phrase() {
    let env = Env::new();
    let rx = Receiver::start().unwrap();
    let a = env.alerts();
    let sms = FakeSms::new(vec![Ok(SmsOutcome::Sent)]);
    a.set_sms_sender(Some(sms.clone()));
    a.set_sender_name(Some("Ana")).unwrap();
    let coded = a
        .add_contact(&ContactInput {
            name: "Plants".into(),
            phone: Some("+31612345678".into()),
            webhook_url: Some(rx.url("/plants")),
            sms_code_phrase: Some("  Did you water my plants? ".into()),
            ..ContactInput::default()
        })
        .unwrap();
    assert_eq!(
        coded.sms_code_phrase.as_deref(),
        Some("Did you water my plants?")
    );
    a.add_contact(&ContactInput {
        name: "Plain".into(),
        phone: Some("+46701234567".into()),
        ..ContactInput::default()
    })
    .unwrap();
    let silent = a
        .trigger(&TriggerRequest {
            mode: AlertMode::Silent,
            location: Some(Location::new(52.37, 4.89)),
            note: Some("room 12".into()),
            ..TriggerRequest::button()
        })
        .unwrap();
    a.flush_outbox().unwrap();
    let sent = sms.sent.lock().unwrap().clone();
    let to = |phone: &str| {
        sent.iter()
            .filter(|r| r.phone == phone)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(to("+31612345678").len(), 1);
    assert_eq!(to("+31612345678")[0].text, "Did you water my plants?");
    assert!(to("+31612345678")[0].silent);
    // The contact without a phrase and the coded contact's webhook get it all.
    assert!(to("+46701234567")[0].text.contains("Ana"));
    let hook: serde_json::Value = serde_json::from_slice(&rx.requests()[0].body).unwrap();
    assert!(hook["message"].as_str().unwrap().contains("room 12"));
    // Follow-ups: none by SMS to the coded contact, all elsewhere.
    env.advance(61);
    a.update_location(&silent.id, Location::new(52.38, 4.9))
        .unwrap();
    a.flush_outbox().unwrap();
    a.resolve(&silent.id).unwrap();
    a.flush_outbox().unwrap();
    let sent = sms.sent.lock().unwrap().clone();
    assert_eq!(
        sent.iter().filter(|r| r.phone == "+31612345678").count(),
        1,
        "no SMS follow-up to the coded contact"
    );
    assert_eq!(sent.iter().filter(|r| r.phone == "+46701234567").count(), 3);
    let kinds: Vec<String> = rx
        .requests()
        .iter()
        .map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).unwrap()["type"].to_string())
        .collect();
    assert_eq!(kinds, ["\"alert\"", "\"location\"", "\"safe\""]);
    // A duress alert is silent too; a button alert is not, and says everything.
    a.trigger_duress().unwrap();
    a.flush_outbox().unwrap();
    a.trigger(&TriggerRequest::button()).unwrap();
    a.flush_outbox().unwrap();
    let sent = sms.sent.lock().unwrap().clone();
    let coded_texts: Vec<&str> = sent
        .iter()
        .filter(|r| r.phone == "+31612345678")
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(coded_texts[1], "Did you water my plants?");
    assert!(
        coded_texts[2].starts_with("ALERT: Ana"),
        "{}",
        coded_texts[2]
    );
}

#[test]
fn code_phrases_are_checked_and_sealed() {
    let env = Env::new();
    let a = env.alerts();
    let no_phone = a.add_contact(&ContactInput {
        name: "N".into(),
        webhook_url: Some("https://relay.example.org/x".into()),
        sms_code_phrase: Some("Pizza tonight?".into()),
        ..ContactInput::default()
    });
    assert_eq!(no_phone.unwrap_err().kind(), crate::ErrorKind::InvalidInput);
    let long = a.add_contact(&ContactInput {
        name: "N".into(),
        phone: Some("+31612345678".into()),
        sms_code_phrase: Some("x".repeat(161)),
        ..ContactInput::default()
    });
    assert_eq!(long.unwrap_err().kind(), crate::ErrorKind::InvalidInput);
    let c = a
        .add_contact(&ContactInput {
            name: "N".into(),
            phone: Some("+31612345678".into()),
            sms_code_phrase: Some("Uniquephrase Tulipfield".into()),
            ..ContactInput::default()
        })
        .unwrap();
    assert!(format!("{c:?}").find("Tulip").is_none(), "not in Debug");
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(env.dir.path().join("p")).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    assert!(!String::from_utf8_lossy(&bytes).contains("Tulipfield"));
    assert_eq!(
        a.contact(&c.id).unwrap().sms_code_phrase.as_deref(),
        Some("Uniquephrase Tulipfield")
    );
}
