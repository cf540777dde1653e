//! `parasol rights ...` and `parasol selfcheck`: reading the booklets.

use crate::context::Ctx;
use clap::{Args, Subcommand};
use parasol_core::content::library::Level;
use parasol_core::content::model::{Criminalisation, Depth, LegalModel, ReviewStatus};
use parasol_core::Error;
use serde_json::{json, Value};
use std::io::BufRead;
use std::path::PathBuf;

/// `parasol rights` subcommands.
#[derive(Debug, Subcommand)]
pub enum RightsCommand {
    /// List countries with their legal model and languages.
    Countries,
    /// Show a country's booklet (or one section).
    Show {
        /// Country code (e.g. NL).
        country: String,
        /// Only this section (e.g. police).
        #[arg(long)]
        section: Option<String>,
    },
    /// Search the booklets (diacritics do not matter).
    Search {
        /// What to look for.
        query: String,
        /// Only this country.
        #[arg(long)]
        country: Option<String>,
    },
}

/// `parasol selfcheck` options.
#[derive(Debug, Args)]
pub struct SelfcheckArgs {
    /// Answers as a JSON object {"question-id": true|false}, instead of asking.
    #[arg(long)]
    answers: Option<PathBuf>,
    /// Country for the helplines (default: the profile's country).
    #[arg(long)]
    country: Option<String>,
}

pub fn crim(c: Option<Criminalisation>) -> Value {
    match c {
        Some(Criminalisation::NotCriminalised) => json!("not_criminalised"),
        Some(Criminalisation::Criminalised) => json!("criminalised"),
        Some(Criminalisation::PartiallyCriminalised) => json!("partially_criminalised"),
        None => Value::Null,
    }
}

fn legal(m: &LegalModel) -> Value {
    json!({ "selling": crim(m.selling), "buying": crim(m.buying), "third_party": crim(m.third_party) })
}

fn depth(d: Depth) -> &'static str {
    match d {
        Depth::Full => "full",
        Depth::Summary => "summary",
    }
}

fn review(r: ReviewStatus) -> &'static str {
    match r {
        ReviewStatus::Source => "source",
        ReviewStatus::Reviewed => "reviewed",
        ReviewStatus::MachineAssisted => "machine-assisted",
    }
}

/// How a legal-model value reads: "partially_criminalised" is "partly criminalised".
fn human_crim(v: &Value) -> String {
    match v.as_str() {
        Some("partially_criminalised") => "partly criminalised".into(),
        Some(other) => other.replace('_', " "),
        None => "not verified".into(),
    }
}

/// The reader's warning for content past its expiry date.
fn stale_text(expires_at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match expires_at {
        Some(t) => format!(
            "This content expired on {}; it may be out of date. Check for an update.",
            t.date_naive()
        ),
        None => {
            "This content has no expiry date; it may be out of date. Check for an update.".into()
        }
    }
}

/// Runs a `rights` subcommand.
pub fn run(ctx: &Ctx, cmd: RightsCommand) -> parasol_core::Result<()> {
    let profile = ctx.open()?;
    let langs = ctx.languages(&profile)?;
    let library = profile.library()?;
    let now = profile.clock().now();
    match cmd {
        RightsCommand::Countries => {
            let countries = library.countries(&langs);
            let value: Vec<Value> = countries
                .iter()
                .map(|c| {
                    json!({
                        "code": c.code, "name": c.name, "languages": c.languages,
                        "depth": depth(c.depth), "legal_model": legal(&c.legal_model),
                        "pack_version": c.pack_version, "expires_at": c.expires_at,
                        "stale": c.is_stale(now),
                    })
                })
                .collect();
            ctx.out.value(&value, || {
                value
                    .iter()
                    .map(|c| {
                        let stale = if c["stale"] == true { "  (out of date)" } else { "" };
                        format!(
                            "{}  {:<16} {:<8} selling: {}, buying: {}, third parties: {}  [{}]{stale}",
                            c["code"].as_str().unwrap_or(""),
                            c["name"].as_str().unwrap_or(""),
                            c["depth"].as_str().unwrap_or(""),
                            human_crim(&c["legal_model"]["selling"]),
                            human_crim(&c["legal_model"]["buying"]),
                            human_crim(&c["legal_model"]["third_party"]),
                            c["languages"]
                                .as_array()
                                .map(|l| l
                                    .iter()
                                    .filter_map(Value::as_str)
                                    .collect::<Vec<_>>()
                                    .join(" "))
                                .unwrap_or_default()
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        RightsCommand::Show { country, section } => {
            let b = match &section {
                Some(id) => library.section(&country, id, &langs)?,
                None => library.booklet(&country, &langs)?,
            };
            let status = review(b.review_status);
            let stale = b.is_stale(now);
            let value = json!({
                "country": b.country, "lang": b.lang, "fallback": b.fallback,
                "legal_model": legal(&b.legal_model),
                "stale": stale, "expires_at": b.expires_at,
                "sections": b.sections.iter().map(|s| json!({
                    "id": s.id, "title": s.title, "body": s.body,
                    "sources": s.sources.iter().map(|x| json!({"title": x.title, "url": x.url})).collect::<Vec<_>>(),
                    "review_status": status,
                    "helplines": s.helplines,
                    "last_reviewed": s.last_reviewed.to_string(),
                })).collect::<Vec<_>>(),
            });
            ctx.out.value(&value, || {
                let mut text = format!("{} ({})", b.name, b.lang);
                if b.fallback {
                    text.push_str(" - not available in your first language");
                }
                if stale {
                    text.push_str(&format!("\n{}", stale_text(b.expires_at)));
                }
                let lm = legal(&b.legal_model);
                text.push_str(&format!(
                    "\nSelling: {}. Buying: {}. Third parties: {}.",
                    human_crim(&lm["selling"]),
                    human_crim(&lm["buying"]),
                    human_crim(&lm["third_party"])
                ));
                if b.review_status == ReviewStatus::MachineAssisted {
                    text.push_str(
                        "\nThis translation has not yet been checked by a fluent reader.",
                    );
                }
                for s in &b.sections {
                    text.push_str(&format!("\n\n## {}\n\n{}\n", s.title, s.body.trim_end()));
                    for src in &s.sources {
                        text.push_str(&format!("\nSource: {} <{}>", src.title, src.url));
                    }
                    if !s.helplines.is_empty() {
                        text.push_str(&format!("\nHelplines: {}", s.helplines.join(", ")));
                    }
                    text.push_str(&format!("\nLast reviewed: {}", s.last_reviewed));
                }
                text
            })
        }
        RightsCommand::Search { query, country } => {
            let filter = profile.search_filter(country.as_deref(), ctx.lang.as_deref(), 20)?;
            let hits = library.search(&query, &filter)?;
            let value: Vec<Value> = hits
                .iter()
                .map(|h| json!({"country": h.country, "lang": h.lang, "section_id": h.section_id, "title": h.title, "snippet": h.snippet}))
                .collect();
            ctx.out.value(&value, || {
                if hits.is_empty() {
                    return "No results.".to_string();
                }
                hits.iter()
                    .map(|h| {
                        format!(
                            "{} {} {} - {}\n    {}",
                            h.country, h.lang, h.section_id, h.title, h.snippet
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

fn read_answers(path: &PathBuf) -> parasol_core::Result<Vec<(String, bool)>> {
    let text = std::fs::read_to_string(path)?;
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Error::invalid(format!("answers file is not JSON: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| Error::invalid("answers file must be a JSON object {\"id\": true|false}"))?;
    object
        .iter()
        .map(|(id, v)| match v {
            Value::Bool(b) => Ok((id.clone(), *b)),
            Value::String(s) if s == "yes" => Ok((id.clone(), true)),
            Value::String(s) if s == "no" => Ok((id.clone(), false)),
            _ => Err(Error::invalid(format!(
                "answer to {id} must be true/false or \"yes\"/\"no\""
            ))),
        })
        .collect()
}

/// Runs the self-check.
pub fn selfcheck(ctx: &Ctx, args: SelfcheckArgs) -> parasol_core::Result<()> {
    let profile = ctx.open()?;
    let langs = ctx.languages(&profile)?;
    let library = profile.library()?;
    let country = match args.country {
        Some(c) => c,
        None => profile.country()?.ok_or_else(|| {
            Error::invalid("no country: pass --country or run `parasol settings country CC`")
        })?,
    };
    let form = library.selfcheck(&langs)?;
    let answers = match &args.answers {
        Some(path) => read_answers(path)?,
        None => {
            println!("{}\n\n{}\n\n{}\n", form.title, form.intro, form.caveat);
            let stdin = std::io::stdin();
            let mut lines = stdin.lock().lines();
            let mut answers = Vec::new();
            for (id, question) in &form.questions {
                loop {
                    println!("{question} [y/n/Enter to skip]");
                    let Some(line) = lines.next() else { break };
                    match line?.trim().to_lowercase().as_str() {
                        "y" | "yes" => answers.push((id.clone(), true)),
                        "n" | "no" => answers.push((id.clone(), false)),
                        "" => {}
                        _ => continue,
                    }
                    break;
                }
            }
            answers
        }
    };
    let result = library.score_selfcheck(&answers, &country, &langs)?;
    let level = match result.level {
        Level::NoSigns => "no_signs",
        Level::SomeSigns => "some_signs",
        Level::SeveralSigns => "several_signs",
    };
    let value = json!({
        "level": level, "score": result.score, "text": result.text,
        "caveat": result.caveat, "lang": form.lang,
        "helplines": result.helplines, "helplines_note": result.helplines_note,
        "other_helplines": result.other_helplines, "other_note": result.other_note,
        "police_helplines": result.police_helplines,
    });
    let line = |id: &String| -> Option<String> {
        let h = library.helpline(id).ok()?;
        let contact = h
            .channels
            .iter()
            .find(|c| c.kind.is_phone_number())
            .or_else(|| h.channels.first())
            .map(|c| c.label.clone().unwrap_or_else(|| c.value.clone()))
            .unwrap_or_else(|| "(no contact)".into());
        let police = if result.police_helplines.contains(id) {
            " [police]"
        } else {
            ""
        };
        Some(format!("\n- {}{police}: {contact}", h.name))
    };
    ctx.out.value(&value, || {
        let mut text = format!("\n{}\n\n{}\n", result.text, result.caveat);
        text.push_str(&format!("\n{}", result.helplines_note));
        for l in result.helplines.iter().filter_map(line) {
            text.push_str(&l);
        }
        if !result.other_helplines.is_empty() {
            text.push_str(&format!("\n\n{}", result.other_note));
            for l in result.other_helplines.iter().filter_map(line) {
                text.push_str(&l);
            }
        }
        text
    })
}
