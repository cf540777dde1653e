//! `parasol helplines ...`: the helpline directory.

use crate::context::Ctx;
use chrono::{DateTime, Utc};
use clap::Subcommand;
use parasol_core::helplines::model::{Category, Helpline, Hours};
use parasol_core::helplines::{self, Query};
use parasol_core::Error;
use serde_json::{json, Value};

/// `parasol helplines` subcommands.
#[derive(Debug, Subcommand)]
pub enum HelplinesCommand {
    /// List a country's helplines, most useful first (`--lang` filters by language spoken).
    List {
        /// Country code (e.g. SE).
        country: String,
        /// Only this category (emergency, trafficking, sex-worker-led, health, legal,
        /// violence, crisis-support, victim-support, anonymous-reporting, migrants).
        #[arg(long)]
        category: Option<String>,
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

fn list_json(h: &Helpline, open_now: Option<bool>) -> Value {
    json!({
        "id": h.id, "name": h.name, "country": h.country,
        "categories": h.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "channels": h.channels.iter().map(|c| json!({"kind": c.kind.as_str(), "value": c.value})).collect::<Vec<_>>(),
        "languages": h.languages, "open_now": open_now, "free": h.free,
        "source_url": h.source_url, "confidence": h.confidence.as_str(),
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
    h.channels
        .iter()
        .map(|c| {
            format!(
                "{} {}",
                c.kind.as_str(),
                c.label.as_deref().unwrap_or(&c.value)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs a `helplines` subcommand.
pub fn run(ctx: &Ctx, cmd: HelplinesCommand) -> parasol_core::Result<()> {
    let profile = ctx.open()?;
    let langs = ctx.languages(&profile)?;
    match cmd {
        HelplinesCommand::List {
            country,
            category,
            open_now,
            at,
        } => {
            let category = category
                .map(|c| {
                    Category::parse(&c)
                        .ok_or_else(|| Error::invalid(format!("unknown category {c:?}")))
                })
                .transpose()?;
            let at = at
                .map(|t| {
                    DateTime::parse_from_rfc3339(&t)
                        .map(|d| d.with_timezone(&Utc))
                        .map_err(|_| Error::invalid(format!("--at {t:?} is not an RFC 3339 time")))
                })
                .transpose()?;
            let query = Query {
                category,
                language: ctx.lang.clone(),
                open_only: open_now,
            };
            let listed = profile.helplines(&country, &query, at)?;
            let value: Vec<Value> = listed
                .iter()
                .map(|l| list_json(&l.helpline, l.open_now))
                .collect();
            ctx.out.value(&value, || {
                if listed.is_empty() {
                    return "No helplines match.".to_string();
                }
                listed
                    .iter()
                    .map(|l| {
                        let h = &l.helpline;
                        let mut line = format!(
                            "{} [{}] {}\n    {}",
                            h.name,
                            open_text(l.open_now),
                            h.id,
                            channels_text(h)
                        );
                        if h.domestic_only == Some(true) {
                            line.push_str("\n    Works only from inside the country.");
                        }
                        line
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        HelplinesCommand::Show { id } => {
            let library = profile.library()?;
            let h = library.helpline(&id)?;
            let open = helplines::hours::is_open_at(&h.hours, &h.time_zone, profile.clock().now());
            let mut value = list_json(h, open);
            value["description"] = json!(h.description_in(&langs));
            value["caveats"] = json!(h.caveats_in(&langs));
            value["anonymous"] = json!(h.anonymous);
            value["not_on_bill"] = json!(h.not_on_bill);
            value["domestic_only"] = json!(h.domestic_only);
            value["time_zone"] = json!(h.time_zone);
            value["hours"] = serde_json::to_value(&h.hours)?;
            value["last_verified"] = json!(h.last_verified.to_string());
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
                    "{}\n{}\n{}\nHours: {} ({})\nLanguages: {}\nSource: {} (confidence {}, checked {})",
                    h.name,
                    h.description_in(&langs).unwrap_or(""),
                    channels_text(h),
                    hours,
                    open_text(open),
                    if h.languages.is_empty() { "not known".into() } else { h.languages.join(", ") },
                    h.source_url,
                    h.confidence.as_str(),
                    h.last_verified
                );
                for c in h.caveats_in(&langs) {
                    text.push_str(&format!("\nNote: {c}"));
                }
                text
            })
        }
    }
}
