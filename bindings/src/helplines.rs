//! FFI view of the helpline directory.

use crate::error::FfiResult;
use crate::profile::Parasol;
use parasol_core::helplines::{self, model};

/// What a service helps with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HelplineCategory {
    /// Emergency numbers and police.
    Emergency,
    /// Human trafficking.
    Trafficking,
    /// Run by and for sex workers.
    SexWorkerLed,
    /// Health and testing.
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

/// How to reach a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ChannelKind {
    /// A voice call (use `dial_uri`).
    Phone,
    /// A text message (use `dial_uri`).
    Sms,
    /// WhatsApp to a number.
    Whatsapp,
    /// Signal to a number.
    Signal,
    /// A web chat URL.
    Chat,
    /// A web site URL.
    Web,
    /// An e-mail address.
    Email,
}

/// One way to reach a service.
#[derive(Debug, Clone, uniffi::Record)]
pub struct HelplineChannel {
    /// The kind of channel.
    pub kind: ChannelKind,
    /// E.164 number or short code, URL, or e-mail address.
    pub value: String,
    /// How the number is written locally, if different.
    pub label: Option<String>,
}

/// A weekly opening span in the service's time zone.
#[derive(Debug, Clone, uniffi::Record)]
pub struct OpeningSpan {
    /// Days ("mon".."sun") the span starts on.
    pub days: Vec<String>,
    /// Opening time, "HH:MM" local.
    pub open: String,
    /// Closing time, "HH:MM" local (before `open`: past midnight).
    pub close: String,
}

/// When a service answers.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum OpeningHours {
    /// Day and night, every day.
    Always,
    /// Not known: do not show as closed.
    Unknown,
    /// A weekly schedule.
    Weekly {
        /// The spans.
        spans: Vec<OpeningSpan>,
    },
}

/// How sure a record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Confidence {
    /// Weak or old source.
    Low,
    /// Secondary or undated source.
    Medium,
    /// Official or operator source.
    High,
}

/// A helpline as shown to the user.
#[derive(Debug, Clone, uniffi::Record)]
pub struct Helpline {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// ISO country code.
    pub country: String,
    /// One line in the user's language where available.
    pub description: Option<String>,
    /// Categories.
    pub categories: Vec<HelplineCategory>,
    /// Ways to reach it.
    pub channels: Vec<HelplineChannel>,
    /// Languages spoken (empty: unknown).
    pub languages: Vec<String>,
    /// Open at the query instant; `None` when the hours are unknown.
    pub open_now: Option<bool>,
    /// Opening hours.
    pub hours: OpeningHours,
    /// Time zone of the hours.
    pub time_zone: String,
    /// Free of charge (None: unknown).
    pub free: Option<bool>,
    /// Anonymous (None: unknown).
    pub anonymous: Option<bool>,
    /// Not on the phone bill (None: unknown).
    pub not_on_bill: Option<bool>,
    /// Works only from inside the country (None: unknown).
    pub domestic_only: Option<bool>,
    /// Caveats to show, in the user's language where available.
    pub caveats: Vec<String>,
    /// Where the facts come from.
    pub source_url: String,
    /// How sure the record is.
    pub confidence: Confidence,
    /// When the record was last checked (YYYY-MM-DD).
    pub last_verified: String,
}

/// What to list.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct HelplineQuery {
    /// Only this category.
    pub category: Option<HelplineCategory>,
    /// Only services speaking this language (BCP-47).
    pub language: Option<String>,
    /// Only services open at the instant.
    pub open_now_only: bool,
    /// The instant (Unix seconds); `None` means now.
    pub at_unix_seconds: Option<i64>,
}

fn category_to_core(c: HelplineCategory) -> model::Category {
    match c {
        HelplineCategory::Emergency => model::Category::Emergency,
        HelplineCategory::Trafficking => model::Category::Trafficking,
        HelplineCategory::SexWorkerLed => model::Category::SexWorkerLed,
        HelplineCategory::Health => model::Category::Health,
        HelplineCategory::Legal => model::Category::Legal,
        HelplineCategory::Violence => model::Category::Violence,
        HelplineCategory::CrisisSupport => model::Category::CrisisSupport,
        HelplineCategory::VictimSupport => model::Category::VictimSupport,
        HelplineCategory::AnonymousReporting => model::Category::AnonymousReporting,
        HelplineCategory::Migrants => model::Category::Migrants,
    }
}

fn category_from_core(c: model::Category) -> HelplineCategory {
    match c {
        model::Category::Emergency => HelplineCategory::Emergency,
        model::Category::Trafficking => HelplineCategory::Trafficking,
        model::Category::SexWorkerLed => HelplineCategory::SexWorkerLed,
        model::Category::Health => HelplineCategory::Health,
        model::Category::Legal => HelplineCategory::Legal,
        model::Category::Violence => HelplineCategory::Violence,
        model::Category::CrisisSupport => HelplineCategory::CrisisSupport,
        model::Category::VictimSupport => HelplineCategory::VictimSupport,
        model::Category::AnonymousReporting => HelplineCategory::AnonymousReporting,
        model::Category::Migrants => HelplineCategory::Migrants,
    }
}

impl From<model::ChannelKind> for ChannelKind {
    fn from(k: model::ChannelKind) -> Self {
        match k {
            model::ChannelKind::Phone => ChannelKind::Phone,
            model::ChannelKind::Sms => ChannelKind::Sms,
            model::ChannelKind::Whatsapp => ChannelKind::Whatsapp,
            model::ChannelKind::Signal => ChannelKind::Signal,
            model::ChannelKind::Chat => ChannelKind::Chat,
            model::ChannelKind::Web => ChannelKind::Web,
            model::ChannelKind::Email => ChannelKind::Email,
        }
    }
}

fn channel(c: &model::Channel) -> HelplineChannel {
    HelplineChannel {
        kind: c.kind.into(),
        value: c.value.clone(),
        label: c.label.clone(),
    }
}

fn hours(h: &model::Hours) -> OpeningHours {
    match h {
        model::Hours::Always => OpeningHours::Always,
        model::Hours::Unknown => OpeningHours::Unknown,
        model::Hours::Weekly(spans) => OpeningHours::Weekly {
            spans: spans
                .iter()
                .map(|s| OpeningSpan {
                    days: s
                        .days
                        .iter()
                        .map(|d| d.weekday().to_string().to_lowercase())
                        .collect(),
                    open: s.open.clone(),
                    close: s.close.clone(),
                })
                .collect(),
        },
    }
}

fn view(h: &model::Helpline, open_now: Option<bool>, langs: &[String]) -> Helpline {
    Helpline {
        id: h.id.clone(),
        name: h.name.clone(),
        country: h.country.clone(),
        description: h.description_in(langs).map(str::to_owned),
        categories: h
            .categories
            .iter()
            .copied()
            .map(category_from_core)
            .collect(),
        channels: h.channels.iter().map(channel).collect(),
        languages: h.languages.clone(),
        open_now,
        hours: hours(&h.hours),
        time_zone: h.time_zone.clone(),
        free: h.free,
        anonymous: h.anonymous,
        not_on_bill: h.not_on_bill,
        domestic_only: h.domestic_only,
        caveats: h.caveats_in(langs),
        source_url: h.source_url.clone(),
        confidence: match h.confidence {
            model::Confidence::Low => Confidence::Low,
            model::Confidence::Medium => Confidence::Medium,
            model::Confidence::High => Confidence::High,
        },
        last_verified: h.last_verified.to_string(),
    }
}

#[uniffi::export]
impl Parasol {
    /// Helplines of `country`, ordered for someone under stress: open now,
    /// day-and-night, in the user's languages, free.
    pub fn helplines(&self, country: String, query: HelplineQuery) -> FfiResult<Vec<Helpline>> {
        let at = query
            .at_unix_seconds
            .map(|s| {
                chrono::DateTime::from_timestamp(s, 0)
                    .ok_or_else(|| parasol_core::Error::invalid("instant out of range"))
            })
            .transpose()?;
        let core_query = helplines::Query {
            category: query.category.map(category_to_core),
            language: query.language,
            open_only: query.open_now_only,
        };
        let langs = self.profile.languages()?;
        Ok(self
            .profile
            .helplines(&country, &core_query, at)?
            .iter()
            .map(|l| view(&l.helpline, l.open_now, &langs))
            .collect())
    }

    /// One helpline by id, with its state now.
    pub fn helpline(&self, id: String) -> FfiResult<Helpline> {
        let langs = self.profile.languages()?;
        let library = self.profile.library()?;
        let h = library.helpline(&id)?;
        let open = helplines::hours::is_open_at(&h.hours, &h.time_zone, self.profile.clock().now());
        Ok(view(h, open, &langs))
    }

    /// A safe `tel:`/`sms:` URI for channel `channel_index` of a helpline.
    pub fn dial_uri(&self, helpline_id: String, channel_index: u32) -> FfiResult<String> {
        let library = self.profile.library()?;
        Ok(helplines::dial_uri(
            library.helpline(&helpline_id)?,
            channel_index as usize,
        )?)
    }
}

/// Normalises a phone number typed by the user for `country`: "+<E.164>" or
/// an allowed short code; refuses letters, `*`, `#` and invisible characters.
#[uniffi::export]
pub fn normalize_phone_number(country: String, raw: String) -> FfiResult<String> {
    let cc = parasol_core::config::country_code(&country)?;
    Ok(helplines::dial::normalize(&cc, &raw)?)
}
