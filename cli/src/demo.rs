//! `parasol demo`: a guided tour of the core on a temporary profile.

use crate::output::Out;
use parasol_core::content::search::Filter;
use parasol_core::helplines::Query;
use parasol_core::profile::Profile;

/// Runs the tour.
pub fn run(out: &Out) -> parasol_core::Result<()> {
    let dir = tempfile::tempdir()?;
    out.say("Parasol demo: a tour of the core on a temporary profile.\n");
    let profile = crate::context::open_profile(dir.path().join("profile"), |_| {})?;
    profile.set_country("NL")?;
    profile.set_languages(&["ro".into(), "en".into()])?;
    let info = profile.info()?;
    out.say(format!(
        "1. Profile opened (core {}, schema {}). Country {}, languages {}.",
        info.core_version,
        info.schema_version,
        info.country.as_deref().unwrap_or("-"),
        info.languages.join(", ")
    ));
    let rights = rights(out, &profile)?;
    let open = helplines(out, &profile)?;
    out.value(
        &serde_json::json!({
            "demo": "ok",
            "schema_version": info.schema_version,
            "countries": rights.0,
            "search_hits": rights.1,
            "helplines_open_now": open,
        }),
        || "\nDemo finished; the temporary profile is deleted.".to_string(),
    )
}

/// Rights: the list of countries, one section in Romanian, a search.
fn rights(out: &Out, profile: &Profile) -> parasol_core::Result<(usize, usize)> {
    let library = profile.library()?;
    let langs = profile.languages()?;
    let countries = library.countries(&langs);
    let full: Vec<&str> = countries
        .iter()
        .filter(|c| c.depth == parasol_core::content::model::Depth::Full)
        .map(|c| c.code.as_str())
        .collect();
    out.say(format!(
        "\n2. Rights, offline: {} countries ({} full booklets: {}).",
        countries.len(),
        full.len(),
        full.join(", ")
    ));
    let section = library.section("NL", "police", &langs)?;
    if let Some(s) = section.sections.first() {
        let first_paragraph = s.body.split("\n\n").next().unwrap_or("");
        out.say(format!(
            "   {} ({}, {}): \"{}\"\n   {}",
            s.title,
            section.name,
            section.lang,
            first_paragraph.trim(),
            s.sources
                .first()
                .map(|x| format!("Source: {}", x.title))
                .unwrap_or_default()
        ));
    }
    let filter = Filter {
        country: None,
        languages: vec!["en".into()],
        limit: 3,
    };
    let hits = library.search("reflection period", &filter)?;
    out.say("   Search \"reflection period\":");
    for h in &hits {
        out.say(format!("   - {} {}: {}", h.country, h.title, h.snippet));
    }
    Ok((countries.len(), hits.len()))
}

/// Help, now: what is open now in the Netherlands.
fn helplines(out: &Out, profile: &Profile) -> parasol_core::Result<usize> {
    let query = Query {
        open_only: true,
        ..Query::default()
    };
    let open = profile.helplines("NL", &query, None)?;
    out.say(format!(
        "\n3. Help, now: {} helplines in the Netherlands are open now:",
        open.len()
    ));
    for l in open.iter().take(5) {
        let h = &l.helpline;
        let phone = h
            .channels
            .iter()
            .find(|c| c.kind.is_phone_number())
            .map(|c| c.label.clone().unwrap_or_else(|| c.value.clone()))
            .unwrap_or_default();
        out.say(format!("   - {} {}", h.name, phone));
    }
    Ok(open.len())
}
