//! A helpline record, shaped after Open Referral's HSDS: who answers, through
//! which channels, when, in which languages, and how sure we are of it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a service helps with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Emergency numbers (112 and the like).
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
    /// Run by the police (shown as such: never presented as confidential).
    Police,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 11] = [
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
        Category::Police,
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
            Category::Police => "police",
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

/// Who a service is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Anyone.
    #[default]
    Everyone,
    /// Professionals (social workers, authorities, NGOs), not the public.
    Professionals,
    /// Children and young people, or reporting a missing child.
    Children,
}

impl Audience {
    /// The stable name.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Professionals => "professionals",
            Audience::Children => "children",
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
    /// The source says what you tell them stays confidential, if known.
    #[serde(default)]
    pub confidential: Option<bool>,
    /// Goes out to where sex workers work (outreach), if known.
    #[serde(default)]
    pub outreach: Option<bool>,
    /// Who the service is for.
    #[serde(default)]
    pub audience: Audience,
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
    /// How old the source is, as the source gives it ("2025-08-20", "undated").
    #[serde(default)]
    pub source_date: Option<String>,
    /// One-line description by language ("en" always present).
    pub description: BTreeMap<String, String>,
    /// Caveats to show, by language.
    pub caveats: BTreeMap<String, Vec<String>>,
    /// Ways to reach the service.
    pub channels: Vec<Channel>,
    /// A street address to go to, if known.
    #[serde(default)]
    pub address: Option<String>,
    /// No channel or address was found: the app says "contact details not
    /// verified" and points to the source instead.
    #[serde(default)]
    pub contact_unverified: bool,
}

impl Helpline {
    /// The language of the texts shown to someone who reads `langs`: the
    /// first of `langs` with a description, else English.
    pub fn text_lang(&self, langs: &[String]) -> &str {
        langs
            .iter()
            .find_map(|l| self.description.get_key_value(l).map(|(k, _)| k.as_str()))
            .unwrap_or("en")
    }

    /// The description in [`Helpline::text_lang`].
    pub fn description_in(&self, langs: &[String]) -> Option<&str> {
        self.description
            .get(self.text_lang(langs))
            .or_else(|| self.description.get("en"))
            .map(String::as_str)
    }

    /// The caveats in [`Helpline::text_lang`] (the same language as the description).
    pub fn caveats_in(&self, langs: &[String]) -> Vec<String> {
        self.caveats
            .get(self.text_lang(langs))
            .or_else(|| self.caveats.get("en"))
            .cloned()
            .unwrap_or_default()
    }

    /// Run by the police.
    pub fn is_police(&self) -> bool {
        self.categories.contains(&Category::Police)
    }

    /// The single European emergency number 112.
    pub fn is_emergency_number(&self) -> bool {
        self.channels
            .iter()
            .any(|c| c.kind.is_phone_number() && c.value == "112")
    }

    /// Can be contacted directly: by phone, text, messenger, chat or e-mail
    /// (not only through a website or an address).
    pub fn reachable_directly(&self) -> bool {
        self.channels.iter().any(|c| c.kind != ChannelKind::Web)
    }

    /// Says, in its source, that calls are confidential or can be anonymous.
    pub fn promises_confidentiality(&self) -> bool {
        self.confidential == Some(true) || self.anonymous == Some(true)
    }
}
