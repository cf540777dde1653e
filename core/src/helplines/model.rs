//! A helpline record, shaped after Open Referral's HSDS: who answers, through
//! which channels, when, in which languages, and how sure we are of it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a service helps with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Emergency numbers and police.
    Emergency,
    /// Human trafficking.
    Trafficking,
    /// Run by and for sex workers.
    SexWorkerLed,
    /// Health, testing.
    Health,
    /// Legal advice.
    Legal,
    /// Violence.
    Violence,
    /// Crisis and emotional support.
    CrisisSupport,
    /// Support for victims of crime.
    VictimSupport,
    /// Reporting a crime anonymously.
    AnonymousReporting,
    /// Migrants' rights.
    Migrants,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 10] = [
        Category::Emergency,
        Category::Trafficking,
        Category::SexWorkerLed,
        Category::Health,
        Category::Legal,
        Category::Violence,
        Category::CrisisSupport,
        Category::VictimSupport,
        Category::AnonymousReporting,
        Category::Migrants,
    ];

    /// The stable name used in files, JSON and the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Emergency => "emergency",
            Category::Trafficking => "trafficking",
            Category::SexWorkerLed => "sex-worker-led",
            Category::Health => "health",
            Category::Legal => "legal",
            Category::Violence => "violence",
            Category::CrisisSupport => "crisis-support",
            Category::VictimSupport => "victim-support",
            Category::AnonymousReporting => "anonymous-reporting",
            Category::Migrants => "migrants",
        }
    }

    /// Parses a stable name.
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

/// How to reach a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    /// A voice call.
    Phone,
    /// A text message.
    Sms,
    /// WhatsApp, to a phone number.
    Whatsapp,
    /// Signal, to a phone number.
    Signal,
    /// A web chat (URL).
    Chat,
    /// A web site (URL).
    Web,
    /// E-mail.
    Email,
}

impl ChannelKind {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Phone => "phone",
            ChannelKind::Sms => "sms",
            ChannelKind::Whatsapp => "whatsapp",
            ChannelKind::Signal => "signal",
            ChannelKind::Chat => "chat",
            ChannelKind::Web => "web",
            ChannelKind::Email => "email",
        }
    }

    /// Whether the value is a phone number.
    pub fn is_phone_number(self) -> bool {
        matches!(
            self,
            ChannelKind::Phone | ChannelKind::Sms | ChannelKind::Whatsapp | ChannelKind::Signal
        )
    }
}

/// One way to reach a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// The kind of channel.
    pub kind: ChannelKind,
    /// E.164 number or national short code, URL, or e-mail address.
    pub value: String,
    /// How the number is written locally, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Day {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Day {
    /// The chrono weekday.
    pub fn weekday(self) -> chrono::Weekday {
        match self {
            Day::Mon => chrono::Weekday::Mon,
            Day::Tue => chrono::Weekday::Tue,
            Day::Wed => chrono::Weekday::Wed,
            Day::Thu => chrono::Weekday::Thu,
            Day::Fri => chrono::Weekday::Fri,
            Day::Sat => chrono::Weekday::Sat,
            Day::Sun => chrono::Weekday::Sun,
        }
    }
}

/// Open from `open` to `close` (local "HH:MM") on each of `days`. A `close`
/// earlier than `open` runs past midnight into the next day; "24:00" is the
/// end of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeeklySpan {
    /// The days the span starts on.
    pub days: Vec<Day>,
    /// Local opening time, "HH:MM".
    pub open: String,
    /// Local closing time, "HH:MM" (or "24:00").
    pub close: String,
}

/// When a service answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "spans")]
pub enum Hours {
    /// Day and night, every day.
    Always,
    /// Not known (never shown as closed).
    Unknown,
    /// A weekly schedule in the service's time zone.
    Weekly(Vec<WeeklySpan>),
}

/// How sure the record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Weak or old source.
    Low,
    /// Secondary or undated source.
    Medium,
    /// Official or operator source, recent.
    High,
}

impl Confidence {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// A helpline or support service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Helpline {
    /// Stable id, "<cc>-<slug>".
    pub id: String,
    /// ISO country code, upper case.
    pub country: String,
    /// The service's name.
    pub name: String,
    /// What it helps with.
    pub categories: Vec<Category>,
    /// Languages spoken (BCP-47); empty when unknown.
    pub languages: Vec<String>,
    /// Free of charge, if known.
    pub free: Option<bool>,
    /// Anonymous, if known.
    pub anonymous: Option<bool>,
    /// Not shown on the phone bill, if known.
    pub not_on_bill: Option<bool>,
    /// Reachable only from inside the country, if known.
    pub domestic_only: Option<bool>,
    /// IANA time zone of the opening hours.
    pub time_zone: String,
    /// Opening hours.
    pub hours: Hours,
    /// How sure the record is.
    pub confidence: Confidence,
    /// Where the facts come from.
    pub source_url: String,
    /// When the record was last compared with its source.
    pub last_verified: NaiveDate,
    /// One-line description by language ("en" always present).
    pub description: BTreeMap<String, String>,
    /// Caveats to show, by language.
    pub caveats: BTreeMap<String, Vec<String>>,
    /// Ways to reach the service.
    pub channels: Vec<Channel>,
}

impl Helpline {
    /// The text in the first of `langs` that has one, else English.
    pub fn description_in(&self, langs: &[String]) -> Option<&str> {
        pick(&self.description, langs).map(String::as_str)
    }

    /// The caveats in the first of `langs` that has them, else English.
    pub fn caveats_in(&self, langs: &[String]) -> Vec<String> {
        pick(&self.caveats, langs).cloned().unwrap_or_default()
    }
}

fn pick<'a, T>(map: &'a BTreeMap<String, T>, langs: &[String]) -> Option<&'a T> {
    langs
        .iter()
        .find_map(|l| map.get(l))
        .or_else(|| map.get("en"))
}
