//! The helpline directory through the FFI.

use crate::profile::config;
use parasol_ffi::*;

fn open() -> (tempfile::TempDir, std::sync::Arc<Parasol>) {
    let dir = tempfile::tempdir().unwrap();
    let p = Parasol::open(config(dir.path()), None).unwrap();
    (dir, p)
}

fn at(rfc3339: &str) -> Option<i64> {
    Some(
        chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .timestamp(),
    )
}

#[test]
fn list_orders_open_lines_first_and_reports_unknown_hours() {
    let (_d, p) = open();
    let q = HelplineQuery {
        at_unix_seconds: at("2026-11-29T03:00:00Z"),
        ..Default::default()
    };
    let lines = p.helplines("NL".into(), q).unwrap();
    assert!(lines.len() >= 10);
    let first_not_open = lines.iter().position(|l| l.open_now != Some(true)).unwrap();
    assert!(lines[first_not_open..]
        .iter()
        .all(|l| l.open_now != Some(true)));
    let comensha = lines.iter().find(|l| l.id == "nl-comensha").unwrap();
    assert_eq!(comensha.open_now, None, "conflicting hours stay unknown");
    assert!(matches!(comensha.hours, OpeningHours::Unknown));
    assert!(!comensha.caveats.is_empty());
    assert_eq!(comensha.confidence, Confidence::Medium);
}

#[test]
fn filters_and_weekly_hours() {
    let (_d, p) = open();
    let q = HelplineQuery {
        category: Some(HelplineCategory::Trafficking),
        ..Default::default()
    };
    let lines = p.helplines("PL".into(), q).unwrap();
    assert!(!lines.is_empty());
    assert!(lines
        .iter()
        .all(|l| l.categories.contains(&HelplineCategory::Trafficking)));
    // The Polish HIV line has weekday hours 09-21 (Europe/Warsaw).
    let health = HelplineQuery {
        category: Some(HelplineCategory::Health),
        ..Default::default()
    };
    let weekday_noon = HelplineQuery {
        at_unix_seconds: at("2026-11-30T11:00:00Z"),
        ..health.clone()
    };
    let sunday_noon = HelplineQuery {
        at_unix_seconds: at("2026-11-29T11:00:00Z"),
        ..health
    };
    let open = p.helplines("PL".into(), weekday_noon).unwrap();
    let hiv = open
        .iter()
        .find(|l| matches!(l.hours, OpeningHours::Weekly { .. }))
        .unwrap();
    assert_eq!(hiv.open_now, Some(true));
    let closed = p.helplines("PL".into(), sunday_noon).unwrap();
    assert_eq!(
        closed.iter().find(|l| l.id == hiv.id).unwrap().open_now,
        Some(false)
    );
    let only_open = HelplineQuery {
        open_now_only: true,
        at_unix_seconds: at("2026-11-29T11:00:00Z"),
        ..Default::default()
    };
    assert!(p
        .helplines("PL".into(), only_open)
        .unwrap()
        .iter()
        .all(|l| l.open_now == Some(true)));
}

#[test]
fn dial_uris_are_safe() {
    let (_d, p) = open();
    let h = p.helpline("se-kvinnofridslinjen".into()).unwrap();
    let phone = h
        .channels
        .iter()
        .position(|c| c.kind == ChannelKind::Phone)
        .unwrap() as u32;
    assert_eq!(p.dial_uri(h.id.clone(), phone).unwrap(), "tel:+4620505050");
    let web = h
        .channels
        .iter()
        .position(|c| c.kind == ChannelKind::Web)
        .unwrap() as u32;
    assert!(matches!(
        p.dial_uri(h.id.clone(), web),
        Err(ParasolError::InvalidInput { .. })
    ));
    assert!(matches!(
        p.dial_uri(h.id, 99),
        Err(ParasolError::NotFound { .. })
    ));
    assert!(matches!(
        p.helpline("xx-nothing".into()),
        Err(ParasolError::NotFound { .. })
    ));
    assert_eq!(
        normalize_phone_number("se".into(), "114 14".into()).unwrap(),
        "11414"
    );
    assert_eq!(
        normalize_phone_number("PL".into(), "+48 605 687 750".into()).unwrap(),
        "+48605687750"
    );
    for bad in ["*#06#", "112#", "0800\u{200B}7799", "CALL-ME"] {
        assert!(
            matches!(
                normalize_phone_number("HR".into(), bad.into()),
                Err(ParasolError::InvalidInput { .. })
            ),
            "{bad:?}"
        );
    }
    assert!(matches!(
        p.helplines(
            "NL".into(),
            HelplineQuery {
                at_unix_seconds: Some(i64::MAX),
                ..Default::default()
            }
        ),
        Err(ParasolError::InvalidInput { .. })
    ));
}

#[test]
fn the_users_language_ranks_and_labels_but_never_filters() {
    let (_d, p) = open();
    let night = at("2026-11-29T03:00:00Z");
    let all = p
        .helplines(
            "NL".into(),
            HelplineQuery {
                at_unix_seconds: night,
                ..Default::default()
            },
        )
        .unwrap();
    p.set_languages(vec!["ro".into()]).unwrap();
    let ro = p
        .helplines(
            "NL".into(),
            HelplineQuery {
                at_unix_seconds: night,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(ro.len(), all.len(), "a Romanian reader sees every line");
    let police = ro.iter().find(|l| l.id == "nl-police").unwrap();
    assert!(police.police);
    assert!(police.categories.contains(&HelplineCategory::Police));
    assert_eq!(police.text_lang, "ro");
    assert_eq!(police.review_status, Some(ReviewStatus::MachineAssisted));
    assert_eq!(police.caveats[0], "Aceasta este poliția.");
    // An explicit "speaks" filter keeps 112.
    let speaks = p
        .helplines(
            "NL".into(),
            HelplineQuery {
                language: Some("ro".into()),
                at_unix_seconds: night,
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(
        speaks.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["nl-112"]
    );
    // Records without a channel say so; addresses come through.
    let shop = p.helpline("nl-shop".into()).unwrap();
    assert!(shop.contact_unverified && shop.channels.is_empty());
    let mika = p.helpline("se-mika".into()).unwrap();
    assert_eq!(mika.address.as_deref(), Some("Högbergsgatan 27, Stockholm"));
    assert_eq!(
        p.helpline("se-jamstalldhetsmyndigheten".into())
            .unwrap()
            .audience,
        HelplineAudience::Professionals
    );
    assert!(mika.source_date.is_some());
}

#[test]
fn helplines_grouped_by_need() {
    let (_d, p) = open();
    let groups = p
        .helplines_by_need("SE".into(), at("2026-11-29T03:00:00Z"))
        .unwrap();
    let needs: Vec<HelplineNeed> = groups.iter().map(|g| g.need).collect();
    assert_eq!(
        needs,
        [
            HelplineNeed::Danger,
            HelplineNeed::Violence,
            HelplineNeed::Exploitation,
            HelplineNeed::Health,
            HelplineNeed::Legal,
            HelplineNeed::Talk
        ]
    );
    assert_eq!(groups[0].helplines[0].id, "se-112");
    assert_eq!(
        groups[0].helplines.last().unwrap().audience,
        HelplineAudience::Children
    );
    assert!(groups
        .iter()
        .flat_map(|g| &g.helplines)
        .all(|h| h.audience != HelplineAudience::Professionals));
    let talk = p
        .helplines(
            "SE".into(),
            HelplineQuery {
                need: Some(HelplineNeed::Talk),
                at_unix_seconds: at("2026-11-29T03:00:00Z"),
                ..Default::default()
            },
        )
        .unwrap();
    let ids: Vec<&str> = talk.iter().map(|h| h.id.as_str()).collect();
    let expect: Vec<&str> = groups[5].helplines.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, expect);
    assert!(matches!(
        p.helplines_by_need("XX".into(), None),
        Err(ParasolError::NotFound { .. })
    ));
}
