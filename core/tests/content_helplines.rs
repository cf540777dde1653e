//! Helplines in the bundled content: what the self-check promises, a way to
//! reach every record, texts in every booklet language, the verified
//! reference applied, help grouped by need at fixed instants, and a reader of
//! any language never left with an empty list.

use chrono::{DateTime, NaiveDate, Utc};
use parasol_core::content::library::{Library, Loaded, Origin};
use parasol_core::content::model::{Depth, PackPayload, ReviewStatus};
use parasol_core::content::{bundled_packs, validate};
use parasol_core::helplines::model::{Audience, Category, ChannelKind, Helpline, Hours};
use parasol_core::helplines::needs::{self, Need};
use parasol_core::helplines::{self, Query};

fn library() -> Library {
    Library::new(bundled_packs().unwrap().into_iter().map(|pack| Loaded {
        pack,
        origin: Origin::Bundled,
    }))
}

fn langs(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}

fn at(t: &str) -> DateTime<Utc> {
    t.parse().unwrap()
}

fn countries(lib: &Library) -> Vec<(String, Depth, Vec<String>)> {
    lib.countries(&[])
        .into_iter()
        .map(|c| (c.code, c.depth, c.languages))
        .collect()
}

fn ids(listed: &[helplines::Listed]) -> Vec<&str> {
    listed.iter().map(|l| l.helpline.id.as_str()).collect()
}

/// Words that promise confidentiality, per self-check language.
const PROMISE: [(&str, &str); 12] = [
    ("en", "confidential"),
    ("nl", "vertrouwelijk"),
    ("ro", "confiden"),
    ("bg", "поверит"),
    ("es", "confidencial"),
    ("hr", "povjerljiv"),
    ("sr", "poverljiv"),
    ("pl", "poufn"),
    ("ru", "конфиденц"),
    ("uk", "конфіденц"),
    ("sv", "konfidenti"),
    ("th", "ความลับ"),
];

#[test]
fn selfcheck_never_promises_confidentiality_for_police_or_professional_lines() {
    let lib = library();
    let several = [
        ("documents-held".to_string(), true),
        ("debt-growing".to_string(), true),
    ];
    for (code, depth, _) in countries(&lib) {
        let r = lib
            .score_selfcheck(&several, &code, &langs(&["en"]))
            .unwrap();
        for id in &r.helplines {
            let h = lib.helpline(id).unwrap();
            assert!(
                !h.is_police(),
                "{code}: police line {id} listed as confidential"
            );
            assert_eq!(h.audience, Audience::Everyone, "{code}: {id}");
            assert!(
                h.promises_confidentiality(),
                "{code}: {id} promises nothing"
            );
            assert!(h.reachable_directly(), "{code}: {id} cannot be contacted");
        }
        for id in &r.police_helplines {
            assert!(lib.helpline(id).unwrap().is_police(), "{code}: {id}");
            assert!(
                r.other_helplines.contains(id),
                "{code}: {id} not under 'other'"
            );
        }
        for id in &r.other_helplines {
            let h = lib.helpline(id).unwrap();
            assert_ne!(h.audience, Audience::Professionals, "{code}: {id}");
        }
        if depth == Depth::Full {
            assert!(
                r.helplines.iter().any(|id| lib
                    .helpline(id)
                    .unwrap()
                    .channels
                    .iter()
                    .any(|c| c.kind == ChannelKind::Phone)),
                "{code}: no confidential line with a phone number"
            );
        }
    }
    // The level texts promise nothing in any language; only the text above
    // the confidential list does.
    for (lang, word) in PROMISE {
        let form = lib.selfcheck(&langs(&[lang])).unwrap();
        assert_eq!(form.lang, lang);
        for answers in [&[][..], &several[..]] {
            let r = lib.score_selfcheck(answers, "PL", &langs(&[lang])).unwrap();
            assert!(
                !r.text.to_lowercase().contains(word),
                "{lang}: the result text promises confidentiality: {}",
                r.text
            );
            assert!(r.helplines_note.to_lowercase().contains(word), "{lang}");
            assert!(!r.other_note.is_empty(), "{lang}");
        }
    }
}

#[test]
fn sweden_offers_kvinnofridslinjen_and_brottsofferjouren() {
    let lib = library();
    let r = lib.score_selfcheck(&[], "SE", &langs(&["th"])).unwrap();
    assert_eq!(r.helplines, ["se-kvinnofridslinjen", "se-116006"]);
    assert!(
        r.helplines_note.contains("ตำรวจ"),
        "Thai note: {}",
        r.helplines_note
    );
    let all: Vec<&String> = r.helplines.iter().chain(&r.other_helplines).collect();
    assert!(
        !all.iter().any(|id| *id == "se-jamstalldhetsmyndigheten"),
        "a line for professionals is never offered: {all:?}"
    );
    let kvinno = lib.helpline("se-kvinnofridslinjen").unwrap();
    assert_eq!(kvinno.channels[0].value, "+4620505050");
    assert_eq!(kvinno.hours, Hours::Always);
}

#[test]
fn content_check_refuses_a_police_line_marked_confidential() {
    let mut packs = bundled_packs().unwrap();
    let pl = packs.iter_mut().find(|p| p.pack_id == "PL").unwrap();
    let c = pl.country.as_mut().unwrap();
    let police = c
        .helplines
        .iter_mut()
        .find(|h| h.id == "pl-police-trafficking")
        .unwrap();
    police.confidential = Some(true);
    let problems = validate::validate_all(&packs);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("pl-police-trafficking is a police line marked confidential")),
        "{problems:?}"
    );
    // A Sweden where the only trafficking line is for professionals fails.
    let mut packs = bundled_packs().unwrap();
    let se = packs.iter_mut().find(|p| p.pack_id == "SE").unwrap();
    let c = se.country.as_mut().unwrap();
    for h in &mut c.helplines {
        h.anonymous = None;
        h.confidential = None;
    }
    let problems = validate::validate_all(&packs);
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("SE:") && p.contains("no confidential line")),
        "{problems:?}"
    );
}

#[test]
fn every_record_can_be_reached_or_says_so() {
    let lib = library();
    let mut unverified = Vec::new();
    for (code, _, _) in countries(&lib) {
        for h in lib.helplines(&code).unwrap() {
            let reachable = !h.channels.is_empty() || h.address.is_some();
            assert!(
                reachable || h.contact_unverified,
                "{} has no way to reach it",
                h.id
            );
            if h.contact_unverified {
                assert!(h.source_url.starts_with("http"), "{}", h.id);
                unverified.push(h.id.clone());
            }
        }
    }
    assert_eq!(unverified, ["nl-shop"]);
    let proud = lib.helpline("nl-proud").unwrap();
    assert!(proud
        .address
        .as_deref()
        .unwrap()
        .contains("Enge Kerksteeg 3"));
    let ggd = lib.helpline("nl-ggd-sexual-health").unwrap();
    assert!(ggd.channels[0].value.starts_with("https://www.soaaids.nl/"));

    // The content check fails on a record with no channel and no statement.
    let mut packs: Vec<PackPayload> = bundled_packs().unwrap();
    let se = packs.iter_mut().find(|p| p.pack_id == "SE").unwrap();
    let noomi = se
        .country
        .as_mut()
        .unwrap()
        .helplines
        .iter_mut()
        .find(|h| h.id == "se-noomi")
        .unwrap();
    noomi.channels.clear();
    let problems = validate::validate_all(&packs);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("se-noomi has no channel and no address")),
        "{problems:?}"
    );
}

#[test]
fn descriptions_and_caveats_exist_in_every_booklet_language() {
    let lib = library();
    let mut checked = 0;
    for (code, _, languages) in countries(&lib) {
        for lang in &languages {
            let status = lib.helpline_review_status(&code, lang);
            let expect = if lang == "en" {
                ReviewStatus::Source
            } else {
                ReviewStatus::MachineAssisted
            };
            assert_eq!(status, Some(expect), "{code} {lang}");
            for h in lib.helplines(&code).unwrap() {
                let en = h.caveats.get("en").map_or(0, Vec::len);
                assert!(h.description.contains_key(lang), "{} {lang}", h.id);
                assert_eq!(
                    h.caveats.get(lang).map_or(0, Vec::len),
                    en,
                    "{} {lang}",
                    h.id
                );
                assert_eq!(h.text_lang(std::slice::from_ref(lang)), lang);
                checked += 1;
            }
        }
    }
    assert!(checked > 250, "{checked} record-languages");
    // The warnings a Romanian reader sees in the Netherlands are Romanian.
    let police = lib.helpline("nl-police").unwrap();
    let ro = police.caveats_in(&langs(&["ro", "en"]));
    assert_eq!(ro[0], "Aceasta este poliția.");
    let bg = lib.helpline("se-jamstalldhetsmyndigheten").unwrap();
    assert!(bg.caveats_in(&langs(&["th"]))[0].contains("ไม่ใช่สำหรับประชาชนทั่วไป"));

    // The content check fails when a caveat is missing in one language.
    let mut packs = bundled_packs().unwrap();
    let nl = packs.iter_mut().find(|p| p.pack_id == "NL").unwrap();
    let c = nl.country.as_mut().unwrap();
    let h = c
        .helplines
        .iter_mut()
        .find(|h| h.id == "nl-police")
        .unwrap();
    h.caveats.get_mut("bg").unwrap().pop();
    h.description.remove("es");
    c.helpline_review_status.remove("ro");
    let problems = validate::validate_all(&packs);
    for want in [
        "nl-police has 2 caveats in bg but 3 in en",
        "nl-police has no description in es",
        "helplines have no review_status for ro",
    ] {
        assert!(
            problems.iter().any(|p| p.contains(want)),
            "{want}: {problems:?}"
        );
    }
}

fn line<'a>(lib: &'a Library, id: &str) -> &'a Helpline {
    lib.helpline(id).unwrap()
}

#[test]
fn verified_reference_is_applied() {
    let lib = library();
    let phones = |id: &str| -> Vec<String> {
        line(&lib, id)
            .channels
            .iter()
            .filter(|c| c.kind == ChannelKind::Phone)
            .map(|c| c.value.clone())
            .collect()
    };
    // The 11 changed records.
    assert_eq!(
        phones("nl-arbeidsinspectie"),
        ["+318005151", "+31703335678"]
    );
    let police = line(&lib, "nl-police");
    assert_eq!(police.free, Some(false));
    assert!(police.description["en"].contains("2 cents a minute"));
    assert!(!police.description["en"].contains("local rate"));
    assert!(police.is_police());
    let vt = line(&lib, "nl-veilig-thuis");
    assert_eq!(
        (vt.hours.clone(), vt.free, vt.anonymous),
        (Hours::Always, Some(true), Some(true))
    );
    let spot = line(&lib, "nl-spot46");
    assert!(!spot.categories.contains(&Category::SexWorkerLed));
    assert!(spot.description["en"].contains("Haaglanden"));
    assert!(line(&lib, "nl-proud").address.is_some());
    assert!(line(&lib, "nl-ggd-sexual-health").channels[0]
        .value
        .contains("soaaids.nl"));
    let kcik = line(&lib, "pl-kcik");
    assert_eq!(kcik.hours, Hours::Always);
    assert_eq!(phones("pl-kcik"), ["+48226280120"], "22 628 99 99 dropped");
    let nieb = line(&lib, "pl-niebieska-linia");
    assert!(nieb
        .channels
        .iter()
        .any(|c| c.value == "https://www.niebieskalinia.info/"));
    assert!(!nieb
        .channels
        .iter()
        .any(|c| c.value.contains("niebieskalinia.pl")));
    match &line(&lib, "hr-116111").hours {
        Hours::Weekly(spans) => {
            assert_eq!(spans.len(), 1);
            assert_eq!(
                (spans[0].open.as_str(), spans[0].close.as_str()),
                ("09:00", "20:00")
            );
            assert_eq!(spans[0].days.len(), 5);
        }
        other => panic!("hr-116111 hours {other:?}"),
    }
    assert_eq!(line(&lib, "se-bris-116111").hours, Hours::Always);
    assert_eq!(
        line(&lib, "se-mika").address.as_deref(),
        Some("Högbergsgatan 27, Stockholm")
    );
    // The 10 new services.
    for id in [
        "nl-acs",
        "nl-pic",
        "nl-seksworks-pmw013",
        "hr-hzjz-testing",
        "hr-lori",
        "hr-terra",
        "se-red-umbrella",
        "se-fuckforbundet",
        "se-plattformen-nsp",
        "se-sti-clinics",
    ] {
        assert!(lib.helpline(id).is_ok(), "{id} missing");
    }
    // Every record of the four countries was compared with the file and
    // carries the date of its source.
    let checked = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
    for cc in ["HR", "NL", "PL", "SE"] {
        for h in lib.helplines(cc).unwrap() {
            assert_eq!(h.last_verified, checked, "{}", h.id);
            assert!(h.source_date.is_some(), "{} has no source date", h.id);
        }
    }
}

#[test]
fn help_grouped_by_need_at_fixed_instants() {
    let lib = library();
    let en = langs(&["en"]);
    // Sweden, Sunday 04:00 local.
    let g = needs::groups(
        lib.helplines("SE").unwrap(),
        at("2026-11-29T03:00:00Z"),
        &en,
    );
    let names: Vec<Need> = g.iter().map(|g| g.need).collect();
    assert_eq!(names, Need::ALL);
    assert_eq!(
        ids(&g[0].helplines),
        ["se-112", "se-116000"],
        "112 first, children last"
    );
    assert_eq!(ids(&g[1].helplines), ["se-kvinnofridslinjen", "se-116006"]);
    assert!(!ids(&g[2].helplines).contains(&"se-jamstalldhetsmyndigheten"));
    assert!(ids(&g[2].helplines).contains(&"se-kvinnofridslinjen"));
    assert_eq!(
        ids(&g[5].helplines),
        [
            "se-fuckforbundet",
            "se-red-umbrella",
            "se-mind",
            "se-mika",
            "se-bris-116111"
        ],
        "sex-worker-led first, then open now, children last"
    );
    assert_eq!(ids(&g[4].helplines), ["se-police"]);

    // The Netherlands, Sunday 04:00 local: the 24/7 line first.
    let g = needs::groups(
        lib.helplines("NL").unwrap(),
        at("2026-11-29T03:00:00Z"),
        &en,
    );
    assert_eq!(
        ids(&g[1].helplines),
        [
            "nl-veilig-thuis",
            "nl-fier",
            "nl-slachtofferhulp",
            "nl-116006"
        ]
    );
    assert_eq!(g[0].helplines[0].helpline.id, "nl-112");
    let legal = ids(&g[4].helplines);
    assert!(legal.starts_with(&["nl-pic", "nl-proud"]), "{legal:?}");
    assert!(legal.contains(&"nl-police"));

    // Poland: the HIV line is closed on Sunday noon and open on Monday noon.
    let sunday = needs::for_need(
        lib.helplines("PL").unwrap(),
        Need::Health,
        at("2026-11-29T11:00:00Z"),
        &en,
    );
    let monday = needs::for_need(
        lib.helplines("PL").unwrap(),
        Need::Health,
        at("2026-11-30T11:00:00Z"),
        &en,
    );
    assert_eq!(ids(&sunday), ["pl-hiv-helpline"]);
    assert_eq!(
        (sunday[0].open_now, monday[0].open_now),
        (Some(false), Some(true))
    );
    let exploitation = needs::for_need(
        lib.helplines("PL").unwrap(),
        Need::Exploitation,
        at("2026-11-30T11:00:00Z"),
        &en,
    );
    assert_eq!(
        ids(&exploitation),
        ["pl-kcik", "pl-la-strada", "pl-police-trafficking"],
        "open and reachable first; the police line with unknown hours last"
    );

    // Croatia, Wednesday 18:00 local: the children's line is open but comes
    // after the adult service.
    let talk = needs::for_need(
        lib.helplines("HR").unwrap(),
        Need::Talk,
        at("2026-12-02T17:00:00Z"),
        &en,
    );
    assert_eq!(ids(&talk), ["hr-lori", "hr-116111"]);
    assert_eq!(talk[1].open_now, Some(true));
}

#[test]
fn a_reader_of_another_language_never_gets_an_empty_list() {
    let lib = library();
    let instant = at("2026-11-29T03:00:00Z");
    for (code, _, _) in countries(&lib) {
        let lines = lib.helplines(&code).unwrap();
        let english = helplines::list(lines, &Query::default(), instant, &langs(&["en"]));
        assert!(!english.is_empty(), "{code}");
        for reader in ["ro", "bg", "es", "uk", "ru", "sr", "th", "hu"] {
            let listed = helplines::list(lines, &Query::default(), instant, &langs(&[reader]));
            assert_eq!(
                listed.len(),
                english.len(),
                "{code} {reader}: the language filtered"
            );
            assert!(
                listed.iter().any(|l| l.helpline.is_emergency_number()),
                "{code} {reader}"
            );
            let speaks = Query {
                speaks: Some(reader.into()),
                ..Query::default()
            };
            let filtered = helplines::list(lines, &speaks, instant, &langs(&[reader]));
            assert!(
                filtered.iter().any(|l| l.helpline.is_emergency_number()),
                "{code} --speaks {reader}: 112 was filtered out"
            );
            for g in needs::groups(lines, instant, &langs(&[reader])) {
                let en = needs::for_need(lines, g.need, instant, &langs(&["en"]));
                assert_eq!(g.helplines.len(), en.len(), "{code} {reader} {:?}", g.need);
            }
        }
        // Someone who speaks only Dutch gets the Dutch-speaking lines and 112.
        let nl_only = Query {
            speaks: Some("nl".into()),
            ..Query::default()
        };
        let listed = helplines::list(lines, &nl_only, instant, &[]);
        assert!(listed
            .iter()
            .all(|l| helplines::speaks(&l.helpline, "nl") || l.helpline.is_emergency_number()));
    }
}
