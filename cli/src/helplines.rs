//! `parasol helplines ...`: the helpline directory.
//!
//! The reader's language (`--lang`, then the profile's languages) ranks the
//! services and picks the language of descriptions and caveats; it never
//! hides a service. `--speaks xx` is the explicit filter on a language the
//! service speaks, and even then 112 stays.

use crate::context::Ctx;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use parasol_core::content::library::Library;
use parasol_core::content::model::ReviewStatus;
use parasol_core::helplines::model::{Audience, Category, Helpline, Hours};
use parasol_core::helplines::needs::Need;
use parasol_core::helplines::{self, Query};
use parasol_core::Error;
use serde_json::{json, Value};

/// `parasol helplines` subcommands.
#[derive(Debug, Subcommand)]
pub enum HelplinesCommand {
    /// List a country's helplines, most useful first, described in your language.
    List {
        /// Country code (e.g. SE).
        country: String,
        /// Only services for this need (danger, violence, exploitation, health,
        /// legal, talk), in the need's order.
        #[arg(long)]
        need: Option<String>,
        /// Only this category (emergency, trafficking, sex-worker-led, health, legal,
        /// violence, crisis-support, victim-support, anonymous-reporting, migrants, police).
        #[arg(long)]
        category: Option<String>,
        /// Only services known to speak this language (112 is always kept).
        #[arg(long)]
        speaks: Option<String>,
        /// Only services open now (or at --at).
        #[arg(long)]
        open_now: bool,
        /// Evaluate opening hours at this instant (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<String>,
    },
    /// Show one helpline.
    Show {
        /// Helpline id (e.g. se-kvinnofridslinjen).
        id: String,
    },
}

fn review(r: Option<ReviewStatus>) -> Value {
    match r {
        Some(ReviewStatus::Source) => json!("source"),
        Some(ReviewStatus::Reviewed) => json!("reviewed"),
        Some(ReviewStatus::MachineAssisted) => json!("machine-assisted"),
        None => Value::Null,
    }
}

fn helpline_json(lib: &Library, h: &Helpline, open_now: Option<bool>, langs: &[String]) -> Value {
    let text_lang = h.text_lang(langs);
    json!({
        "id": h.id, "name": h.name, "country": h.country,
        "categories": h.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "channels": h.channels.iter().map(|c| json!({"kind": c.kind.as_str(), "value": c.value, "label": c.label})).collect::<Vec<_>>(),
        "address": h.address, "contact_unverified": h.contact_unverified,
        "languages": h.languages, "open_now": open_now, "free": h.free,
        "anonymous": h.anonymous, "confidential": h.confidential,
        "police": h.is_police(), "audience": h.audience.as_str(),
        "domestic_only": h.domestic_only,
        "description": h.description_in(langs), "caveats": h.caveats_in(langs),
        "text_lang": text_lang,
        "review_status": review(lib.helpline_review_status(&h.country, text_lang)),
        "source_url": h.source_url, "source_date": h.source_date,
        "last_verified": h.last_verified.to_string(),
        "confidence": h.confidence.as_str(),
    })
}

fn open_text(open: Option<bool>) -> &'static str {
    match open {
        Some(true) => "open now",
        Some(false) => "closed now",
        None => "hours unknown",
    }
}

fn channels_text(h: &Helpline) -> String {
    let mut parts: Vec<String> = h
        .channels
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.kind.as_str(),
                c.label.as_deref().unwrap_or(&c.value)
            )
        })
        .collect();
    if let Some(a) = &h.address {
        parts.push(format!("address {a}"));
    }
    if h.contact_unverified {
        parts.push(format!(
            "contact details not verified: see {}",
            h.source_url
        ));
    }
    parts.join(", ")
}

/// Short labels for what a reader must know before calling.
fn labels(h: &Helpline) -> Vec<&'static str> {
    let mut out = Vec::new();
    if h.is_police() {
        out.push("Police.");
    }
    match h.audience {
        Audience::Professionals => out.push("For professionals, not the public."),
        Audience::Children => out.push("For children and young people."),
        Audience::Everyone => {}
    }
    if h.domestic_only == Some(true) {
        out.push("Works only from inside the country.");
    }
    out
}

fn list_text(h: &Helpline, open: Option<bool>, langs: &[String]) -> String {
    let mut line = format!(
        "{} [{}] {}\n    {}",
        h.name,
        open_text(open),
        h.id,
        channels_text(h)
    );
    if let Some(d) = h.description_in(langs) {
        line.push_str(&format!("\n    {d}"));
    }
    for l in labels(h) {
        line.push_str(&format!("\n    {l}"));
    }
    for c in h.caveats_in(langs) {
        line.push_str(&format!("\n    ! {c}"));
    }
    line
}

fn parse_at(at: Option<String>) -> parasol_core::Result<Option<DateTime<Utc>>> {
    at.map(|t| {
        DateTime::parse_from_rfc3339(&t)
            .map(|d| d.with_timezone(&Utc))
            .map_err(|_| Error::invalid(format!("--at {t:?} is not an RFC 3339 time")))
    })
    .transpose()
}

/// Runs a `helplines` subcommand.
pub fn run(ctx: &Ctx, cmd: HelplinesCommand) -> parasol_core::Result<()> {
    let profile = ctx.open()?;
    let langs = ctx.languages(&profile)?;
    let library = profile.library()?;
    match cmd {
        HelplinesCommand::List {
            country,
            need,
            category,
            speaks,
            open_now,
            at,
        } => {
            let category = category
                .map(|c| {
                    Category::parse(&c)
                        .ok_or_else(|| Error::invalid(format!("unknown category {c:?}")))
                })
                .transpose()?;
            let need = need
                .map(|n| {
                    Need::parse(&n).ok_or_else(|| {
                        Error::invalid(format!(
                            "unknown need {n:?}: danger, violence, exploitation, health, legal or talk"
                        ))
                    })
                })
                .transpose()?;
            let speaks = speaks
                .map(|s| parasol_core::config::language_tag(&s))
                .transpose()?;
            let at = parse_at(at)?.unwrap_or_else(|| profile.clock().now());
            let query = Query {
                category,
                need,
                speaks,
                open_only: open_now,
            };
            let listed = helplines::list(library.helplines(&country)?, &query, at, &langs);
            let value: Vec<Value> = listed
                .iter()
                .map(|l| helpline_json(&library, &l.helpline, l.open_now, &langs))
                .collect();
            ctx.out.value(&value, || {
                if listed.is_empty() {
                    return "No helplines match. In danger, call 112.".to_string();
                }
                listed
                    .iter()
                    .map(|l| list_text(&l.helpline, l.open_now, &langs))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        HelplinesCommand::Show { id } => {
            let h = library.helpline(&id)?;
            let open = helplines::hours::is_open_at(&h.hours, &h.time_zone, profile.clock().now());
            let mut value = helpline_json(&library, h, open, &langs);
            value["not_on_bill"] = json!(h.not_on_bill);
            value["outreach"] = json!(h.outreach);
            value["time_zone"] = json!(h.time_zone);
            value["hours"] = serde_json::to_value(&h.hours)?;
            value["dial"] = json!((0..h.channels.len())
                .filter_map(|i| helplines::dial_uri(h, i).ok())
                .collect::<Vec<_>>());
            ctx.out.value(&value, || {
                let hours = match &h.hours {
                    Hours::Always => "24/7".to_string(),
                    Hours::Unknown => "not known".to_string(),
                    Hours::Weekly(spans) => spans
                        .iter()
                        .map(|s| format!("{:?} {}-{}", s.days, s.open, s.close))
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                let mut text = format!(
                    "{}\n{}\n{}\nHours: {} ({})\nLanguages: {}\nSource: {} (dated {}; confidence {}, checked {})",
                    h.name,
                    h.description_in(&langs).unwrap_or(""),
                    channels_text(h),
                    hours,
                    open_text(open),
                    if h.languages.is_empty() { "not known".into() } else { h.languages.join(", ") },
                    h.source_url,
                    h.source_date.as_deref().unwrap_or("not given"),
                    h.confidence.as_str(),
                    h.last_verified
                );
                for l in labels(h) {
                    text.push_str(&format!("\n{l}"));
                }
                for c in h.caveats_in(&langs) {
                    text.push_str(&format!("\nNote: {c}"));
                }
                if library.helpline_review_status(&h.country, h.text_lang(&langs))
                    == Some(ReviewStatus::MachineAssisted)
                {
                    text.push_str(
                        "\nThis translation has not yet been checked by a fluent reader.",
                    );
                }
                text
            })
        }
    }
}
