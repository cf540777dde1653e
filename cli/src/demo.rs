//! `parasol demo`: a guided tour of the core on a temporary profile.

use crate::output::Out;

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
    out.value(
        &serde_json::json!({ "demo": "ok", "schema_version": info.schema_version }),
        || "\nDemo finished; the temporary profile is deleted.".to_string(),
    )
}
