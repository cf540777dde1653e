//! The bundled content: it compiles, passes the checks, agrees with the
//! handbook, and reads well through the library API.

use parasol_core::content::library::{choose_language, Library, Loaded, Origin};
use parasol_core::content::model::{Criminalisation::*, Depth, PackPayload, ReviewStatus};
use parasol_core::content::search::Filter;
use parasol_core::content::{bundled_packs, fold, validate};
use parasol_core::helplines::dial;

fn library() -> Library {
    Library::new(bundled_packs().unwrap().into_iter().map(|pack| Loaded {
        pack,
        origin: Origin::Bundled,
    }))
}

fn langs(l: &[&str]) -> Vec<String> {
    l.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_bundled_pack_passes_content_check() {
    let packs = bundled_packs().unwrap();
    assert!(
        packs.len() >= 31,
        "30 countries and the self-check, got {}",
        packs.len()
    );
    let problems = validate::validate_all(&packs);
    assert!(
        problems.is_empty(),
        "content check failed:\n{}",
        problems.join("\n")
    );
}

#[test]
fn legal_model_agrees_with_the_references() {
    let lib = library();
    // Reference section 4: NL buying and third parties are partial (art. 273g
    // and 273f Sr). HR buying is partial too: the handbook makes knowingly
    // buying from a victim of sexual exploitation a criminal offence.
    let expect = [
        ("HR", Criminalised, PartiallyCriminalised, Criminalised),
        (
            "NL",
            NotCriminalised,
            PartiallyCriminalised,
            PartiallyCriminalised,
        ),
        ("PL", NotCriminalised, NotCriminalised, Criminalised),
        ("SE", NotCriminalised, Criminalised, Criminalised),
    ];
    for (cc, selling, buying, third) in expect {
        let b = lib.booklet(cc, &langs(&["en"])).unwrap();
        assert_eq!(b.depth, Depth::Full, "{cc}");
        assert_eq!(b.legal_model.selling, Some(selling), "{cc} selling");
        assert_eq!(b.legal_model.buying, Some(buying), "{cc} buying");
        assert_eq!(b.legal_model.third_party, Some(third), "{cc} third party");
    }
}

#[test]
fn full_booklets_have_english_local_and_three_more_languages() {
    let lib = library();
    for (cc, local) in [("HR", "hr"), ("NL", "nl"), ("PL", "pl"), ("SE", "sv")] {
        let c = lib
            .countries(&[])
            .into_iter()
            .find(|c| c.code == cc)
            .unwrap();
        assert!(c.languages.contains(&"en".to_string()), "{cc}");
        assert!(c.languages.contains(&local.to_string()), "{cc} {local}");
        assert!(c.languages.len() >= 5, "{cc}: {:?}", c.languages);
        let b = lib.booklet(cc, &langs(&["en"])).unwrap();
        assert_eq!(b.review_status, ReviewStatus::Source);
        assert!(b.sections.len() >= 8);
        for s in &b.sections {
            assert!(!s.sources.is_empty(), "{cc} {}", s.id);
        }
    }
}

#[test]
fn summaries_cover_other_eu_countries() {
    let lib = library();
    let countries = lib.countries(&langs(&["en"]));
    let summaries: Vec<_> = countries
        .iter()
        .filter(|c| c.depth == Depth::Summary)
        .collect();
    assert!(summaries.len() >= 20);
    let de = lib.booklet("DE", &[]).unwrap();
    assert!(de
        .sections
        .iter()
        .any(|s| s.helplines.contains(&"de-112".to_string())));
    assert_eq!(
        countries[0].depth,
        Depth::Full,
        "full booklets are listed first"
    );
}

#[test]
fn language_fallback_is_reported() {
    let lib = library();
    let b = lib.booklet("SE", &langs(&["th", "en"])).unwrap();
    assert_eq!((b.lang.as_str(), b.fallback), ("th", false));
    assert_eq!(b.review_status, ReviewStatus::MachineAssisted);
    let b = lib.booklet("SE", &langs(&["hu", "sv"])).unwrap();
    assert_eq!((b.lang.as_str(), b.fallback), ("sv", true));
    let b = lib.booklet("DE", &langs(&["ro"])).unwrap();
    assert_eq!((b.lang.as_str(), b.fallback), ("en", true));
    let b = lib.booklet("nl", &[]).unwrap();
    assert_eq!((b.lang.as_str(), b.fallback), ("en", false));
    assert_eq!(
        choose_language(&langs(&["en", "pt-br"]), &langs(&["pt"])),
        ("pt-br".into(), false)
    );
}

#[test]
fn unknown_country_and_section_are_not_found() {
    let lib = library();
    assert!(matches!(
        lib.booklet("XX", &[]),
        Err(parasol_core::Error::NotFound(_))
    ));
    assert!(matches!(
        lib.booklet("Netherlands", &[]),
        Err(parasol_core::Error::InvalidInput(_))
    ));
    assert!(matches!(
        lib.section("NL", "nope", &[]),
        Err(parasol_core::Error::NotFound(_))
    ));
    let s = lib.section("NL", "police", &langs(&["nl"])).unwrap();
    assert_eq!(s.sections.len(), 1);
    assert_eq!(s.lang, "nl");
}

/// A word of `text` that folding changes (has a diacritic), if any.
fn word_with_diacritic(text: &str) -> Option<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .find(|w| fold::fold_text(w) != w.to_lowercase())
        .map(str::to_owned)
}

#[test]
fn search_with_and_without_diacritics_in_every_bundled_language() {
    let lib = library();
    let mut checked = 0;
    for c in lib
        .countries(&[])
        .into_iter()
        .filter(|c| c.depth == Depth::Full)
    {
        for lang in &c.languages {
            let b = lib.booklet(&c.code, std::slice::from_ref(lang)).unwrap();
            assert_eq!(&b.lang, lang);
            let filter = Filter {
                country: Some(c.code.clone()),
                languages: vec![lang.clone()],
                limit: 50,
            };
            // A word with a diacritic if the language has them, else any long word.
            let (section, word) = b
                .sections
                .iter()
                .find_map(|s| word_with_diacritic(&s.body).map(|w| (s.id.clone(), w)))
                .unwrap_or_else(|| {
                    let s = &b.sections[0];
                    let w = s
                        .body
                        .split_whitespace()
                        .find(|w| w.chars().count() >= 6)
                        .unwrap();
                    (
                        s.id.clone(),
                        w.trim_matches(|c: char| !c.is_alphanumeric()).to_owned(),
                    )
                });
            for query in [word.clone(), fold::fold_text(&word), word.to_uppercase()] {
                let hits = lib.search(&query, &filter).unwrap();
                assert!(
                    hits.iter()
                        .any(|h| h.section_id == section && h.lang == *lang),
                    "{} {lang}: {query:?} did not find section {section}",
                    c.code
                );
                assert!(hits.iter().all(|h| h.country == c.code && h.lang == *lang));
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "checked {checked} languages");
}

#[test]
fn search_ranks_titles_and_makes_snippets() {
    let lib = library();
    let filter = Filter {
        country: Some("PL".into()),
        languages: vec!["pl".into()],
        limit: 5,
    };
    let hits = lib.search("policja", &filter).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.windows(2).all(|w| w[0].score >= w[1].score));
    for h in &hits {
        assert!(
            fold::fold_text(&h.snippet).contains("policj")
                || fold::fold_text(&h.title).contains("policj"),
            "{h:?}"
        );
        assert!(h.snippet.chars().count() <= 220);
    }
    assert!(lib.search("", &filter).unwrap().is_empty());
    assert!(lib.search("  ?! ", &filter).unwrap().is_empty());
    assert!(lib.search(&"x".repeat(500), &filter).is_err());
    let none = Filter {
        country: Some("XX".into()),
        ..Filter::default()
    };
    assert!(lib.search("police", &none).is_err());
}

#[test]
fn every_bundled_phone_number_is_valid_for_its_country() {
    let mut numbers = 0;
    for pack in bundled_packs().unwrap() {
        let Some(c) = pack.country else { continue };
        for h in &c.helplines {
            for ch in h.channels.iter().filter(|ch| ch.kind.is_phone_number()) {
                let n = dial::normalize(&c.code, &ch.value)
                    .unwrap_or_else(|e| panic!("{} {}: {e}", h.id, ch.value));
                assert_eq!(n, ch.value, "{} is stored normalised", h.id);
                assert!(dial::tel_uri(&c.code, &ch.value)
                    .unwrap()
                    .starts_with("tel:"));
                numbers += 1;
            }
        }
    }
    assert!(numbers >= 60, "{numbers} numbers");
}

#[test]
fn content_check_catches_a_missing_helpline_and_bad_text() {
    let packs = bundled_packs().unwrap();
    let mut broken: Vec<PackPayload> = packs.clone();
    let nl = broken.iter_mut().find(|p| p.pack_id == "NL").unwrap();
    let c = nl.country.as_mut().unwrap();
    c.sections[0].helplines.push("nl-does-not-exist".into());
    let problems = validate::validate_all(&broken);
    assert!(
        problems.iter().any(|p| p.contains("nl-does-not-exist")),
        "{problems:?}"
    );

    let mut broken = packs.clone();
    let se = broken.iter_mut().find(|p| p.pack_id == "SE").unwrap();
    let c = se.country.as_mut().unwrap();
    c.texts
        .get_mut("sv")
        .unwrap()
        .sections
        .get_mut("police")
        .unwrap()
        .title = "Polis\u{202E}".into();
    c.helplines[0].channels[0].value = "*#06#".into();
    c.sections[1].sources.clear();
    let problems = validate::validate_all(&broken);
    assert!(
        problems.iter().any(|p| p.contains("U+202E")),
        "{problems:?}"
    );
    assert!(problems.iter().any(|p| p.contains("*#06#")), "{problems:?}");
    assert!(
        problems.iter().any(|p| p.contains("has no source")),
        "{problems:?}"
    );

    let mut broken = packs;
    let hr = broken.iter_mut().find(|p| p.pack_id == "HR").unwrap();
    hr.country
        .as_mut()
        .unwrap()
        .texts
        .get_mut("hr")
        .unwrap()
        .sections
        .remove("health");
    let problems = validate::validate_all(&broken);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("health has no text in hr")),
        "{problems:?}"
    );
}

#[test]
fn selfcheck_scores_and_points_to_confidential_lines() {
    let lib = library();
    let form = lib.selfcheck(&langs(&["uk"])).unwrap();
    assert_eq!(form.lang, "uk");
    assert!(form.questions.len() >= 10);
    let none = lib.score_selfcheck(&[], "NL", &langs(&["en"])).unwrap();
    assert_eq!(none.score, 0);
    assert_eq!(none.level.key(), "no_signs");
    assert!(none.helplines.iter().all(|h| h.starts_with("nl-")));
    assert_eq!(none.helplines, ["nl-fier", "nl-veilig-thuis"]);
    assert_eq!(
        none.other_helplines,
        ["nl-comensha"],
        "no promise for CoMensha"
    );
    assert!(!none.caveat.is_empty());
    let strong: Vec<(String, bool)> = vec![
        ("documents-held".into(), true),
        ("debt-growing".into(), true),
    ];
    let r = lib.score_selfcheck(&strong, "PL", &langs(&["pl"])).unwrap();
    assert_eq!(r.level.key(), "several_signs");
    assert!(r.helplines.contains(&"pl-kcik".to_string()));
    assert_eq!(r.police_helplines, ["pl-police-trafficking"]);
    assert!(r
        .other_helplines
        .contains(&"pl-police-trafficking".to_string()));
    assert!(r.other_note.contains("policja"), "{}", r.other_note);
    // Polarity: "no" to "can you leave" is the sign; "yes" is not.
    let leave_yes = lib
        .score_selfcheck(&[("leave-freely".into(), true)], "SE", &[])
        .unwrap();
    let leave_no = lib
        .score_selfcheck(&[("leave-freely".into(), false)], "SE", &[])
        .unwrap();
    assert_eq!(leave_yes.score, 0);
    assert!(leave_no.score > 0);
    // A country without confidential lines says so, and offers 112.
    let de = lib.score_selfcheck(&[], "DE", &[]).unwrap();
    assert!(de.helplines.is_empty());
    assert_eq!(de.other_helplines, vec!["de-112".to_string()]);
    assert!(de.helplines_note.contains("112"), "{}", de.helplines_note);
    assert!(lib
        .score_selfcheck(&[("no-such".into(), true)], "NL", &[])
        .is_err());
    // The result never claims to decide.
    let f = lib.selfcheck(&langs(&["en"])).unwrap();
    let text = format!("{} {}", f.caveat, r.text).to_lowercase();
    assert!(!text.contains("you are trafficked") && !text.contains("you are not trafficked"));
}
