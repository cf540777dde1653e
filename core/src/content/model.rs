//! The data of a content pack, as it is signed, stored and read.
//!
//! A pack holds either one country (its booklet texts and its helplines) or the
//! shared self-check questionnaire. The JSON encoding of [`PackPayload`] is the
//! signed payload of an update pack (see `docs/content-format.md`).

use crate::helplines::model::Helpline;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The pack schema this build reads and writes.
pub const SCHEMA_VERSION: u32 = 1;
/// The `format` marker inside every payload.
pub const FORMAT: &str = "parasol-pack";
/// The pack id of the shared self-check pack.
pub const SELFCHECK_PACK_ID: &str = "selfcheck";

/// The signed content of one pack.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackPayload {
    /// Always [`FORMAT`].
    pub format: String,
    /// The schema of this payload; unknown schemas are refused.
    pub schema_version: u32,
    /// The pack's id: an ISO country code ("NL") or [`SELFCHECK_PACK_ID`].
    pub pack_id: String,
    /// Increases with every release of this pack; older versions are refused.
    pub pack_version: u64,
    /// When the pack was built.
    pub created_at: DateTime<Utc>,
    /// After this instant the pack is refused as an update, and an installed
    /// copy is still served but flagged as out of date. Required in updates.
    pub expires_at: Option<DateTime<Utc>>,
    /// The country content (country packs only).
    pub country: Option<CountryContent>,
    /// The self-check (the self-check pack only).
    pub selfcheck: Option<SelfCheckContent>,
}

/// How deep a country's content goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Depth {
    /// A complete booklet.
    Full,
    /// The legal model and emergency help only.
    Summary,
}

/// Whether an activity is a crime (or an offence) in a country.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criminalisation {
    /// Not an offence.
    NotCriminalised,
    /// An offence (criminal or misdemeanour).
    Criminalised,
    /// An offence in some circumstances only.
    PartiallyCriminalised,
}

/// The legal model of sex work in a country; `None` where not verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalModel {
    /// Selling sex.
    pub selling: Option<Criminalisation>,
    /// Buying sex.
    pub buying: Option<Criminalisation>,
    /// Third parties: organising, facilitating, profiting.
    pub third_party: Option<Criminalisation>,
}

/// How far a text can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewStatus {
    /// The text the facts were written in.
    Source,
    /// A translation checked by a fluent reader.
    Reviewed,
    /// A translation not yet checked by a fluent reader.
    MachineAssisted,
}

/// A source of a section's facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// What the source is.
    pub title: String,
    /// Where to find it.
    pub url: String,
}

/// Language-independent facts about a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionMeta {
    /// Stable id ("legal-model", "police"...).
    pub id: String,
    /// Ids of helplines the section points to.
    #[serde(default)]
    pub helplines: Vec<String>,
    /// When the facts were last checked.
    pub last_reviewed: NaiveDate,
    /// Where the facts come from.
    pub sources: Vec<Source>,
}

/// A section's text in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionText {
    /// Heading.
    pub title: String,
    /// Plain text: paragraphs separated by blank lines, "- " list items.
    pub body: String,
}

/// All texts of a country in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageTexts {
    /// How far this translation can be trusted.
    pub review_status: ReviewStatus,
    /// The language it was translated from, if a translation.
    pub translated_from: Option<String>,
    /// Section texts by section id.
    pub sections: BTreeMap<String, SectionText>,
}

/// One country's content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountryContent {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub code: String,
    /// Full booklet or summary.
    pub depth: Depth,
    /// IANA time zone of the country.
    pub time_zone: String,
    /// Languages with a complete text, source language first.
    pub languages: Vec<String>,
    /// When the country's facts were last checked.
    pub last_reviewed: NaiveDate,
    /// The country's name by language.
    pub names: BTreeMap<String, String>,
    /// The legal model.
    pub legal_model: LegalModel,
    /// Sections in reading order.
    pub sections: Vec<SectionMeta>,
    /// Texts by language.
    pub texts: BTreeMap<String, LanguageTexts>,
    /// The country's helplines.
    pub helplines: Vec<Helpline>,
    /// How far the helpline descriptions and caveats can be trusted, by language.
    #[serde(default)]
    pub helpline_review_status: BTreeMap<String, ReviewStatus>,
}

/// How much one "yes"/"no" sign weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    /// A strong indicator.
    Strong,
    /// A medium indicator.
    Medium,
    /// A weak indicator.
    Weak,
}

/// The self-check scoring rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// Points of a strong sign.
    pub strong: u32,
    /// Points of a medium sign.
    pub medium: u32,
    /// Points of a weak sign.
    pub weak: u32,
    /// Total from which the result is "some signs".
    pub some_signs: u32,
    /// Total from which the result is "several signs".
    pub several_signs: u32,
}

/// One self-check question (language-independent part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Stable id.
    pub id: String,
    /// Its weight.
    pub weight: Weight,
    /// The answer that counts as a sign: `true` for "yes".
    pub signal_is_yes: bool,
    /// Where the indicator comes from.
    pub source: String,
}

/// The self-check texts in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckTexts {
    /// How far this translation can be trusted.
    pub review_status: ReviewStatus,
    /// Heading.
    pub title: String,
    /// Shown before the questions.
    pub intro: String,
    /// Indicators neither prove nor disprove trafficking.
    pub caveat: String,
    /// Question texts by id.
    pub questions: BTreeMap<String, String>,
    /// Result texts: "no_signs", "some_signs", "several_signs".
    pub results: BTreeMap<String, String>,
    /// Texts shown above the offered services: "confidential" (above the
    /// confidential list), "other" (above the other services, which names
    /// police lines) and "none" (when there is no confidential service).
    #[serde(default)]
    pub lines: BTreeMap<String, String>,
}

/// The self-check questionnaire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheckContent {
    /// The scoring rule.
    pub scoring: Scoring,
    /// Questions in order.
    pub questions: Vec<Question>,
    /// Texts by language.
    pub texts: BTreeMap<String, SelfCheckTexts>,
}
