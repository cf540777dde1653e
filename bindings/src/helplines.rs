//! FFI view of the helpline directory.

use crate::error::FfiResult;
use crate::profile::Parasol;
use crate::rights::ReviewStatus;
use parasol_core::content::library::Library;
use parasol_core::helplines::{self, model, needs};

/// What a service helps with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HelplineCategory {
    /// Emergency numbers.
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
    /// Run by law enforcement: label it as such.
    Police,
}

/// What someone needs help with (see `helplines_by_need`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HelplineNeed {
    /// In danger now.
    Danger,
    /// Harm from someone, or a bad client.
    Violence,
    /// Exploitation.
    Exploitation,
    /// Health and testing.
    Health,
    /// Legal questions, papers and the authorities.
    Legal,
    /// Someone to talk to.
    Talk,
}

/// Who a service is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum HelplineAudience {
    /// Anyone.
    Everyone,
    /// Professionals only, not the public: say so.
    Professionals,
    /// Children and young people, or reporting a missing child.
    Children,
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
    /// How old the source is, as the source gives it ("2025-08-20", "undated").
    pub source_date: Option<String>,
    /// Run by law enforcement (also in `categories`): label it.
    pub police: bool,
    /// Who the service is for.
    pub audience: HelplineAudience,
    /// The source says calls are confidential (None: not stated).
    pub confidential: Option<bool>,
    /// Goes out to where people work (None: not known).
    pub outreach: Option<bool>,
    /// A street address to go to.
    pub address: Option<String>,
    /// No channel or address was verified: show "contact details not
    /// verified" with a link to `source_url`.
    pub contact_unverified: bool,
    /// The language of `description` and `caveats`.
    pub text_lang: String,
    /// How far `description` and `caveats` can be trusted (None: not stated).
    pub review_status: Option<ReviewStatus>,
}

/// What to list. The user's languages (profile settings) rank the list and
/// pick the language of the texts; they never filter it.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct HelplineQuery {
    /// Only this category.
    pub category: Option<HelplineCategory>,
    /// Only services known to speak this language (BCP-47); 112 is always
    /// kept. An explicit filter: do not pass the user's own language here.
    pub language: Option<String>,
    /// Only services open at the instant.
    pub open_now_only: bool,
    /// The instant (Unix seconds); `None` means now.
    pub at_unix_seconds: Option<i64>,
    /// Only services for this need, in the need's order.
    #[uniffi(default)]
    pub need: Option<HelplineNeed>,
}

/// The services for one need, best first.
#[derive(Debug, Clone, uniffi::Record)]
pub struct HelplineNeedGroup {
    /// The need.
    pub need: HelplineNeed,
    /// Its services (may be empty).
    pub helplines: Vec<Helpline>,
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
        HelplineCategory::Police => model::Category::Police,
    }
}

fn need_to_core(n: HelplineNeed) -> needs::Need {
    match n {
        HelplineNeed::Danger => needs::Need::Danger,
        HelplineNeed::Violence => needs::Need::Violence,
        HelplineNeed::Exploitation => needs::Need::Exploitation,
        HelplineNeed::Health => needs::Need::Health,
        HelplineNeed::Legal => needs::Need::Legal,
        HelplineNeed::Talk => needs::Need::Talk,
    }
}

pub(crate) fn need_from_core(n: needs::Need) -> HelplineNeed {
    match n {
        needs::Need::Danger => HelplineNeed::Danger,
        needs::Need::Violence => HelplineNeed::Violence,
        needs::Need::Exploitation => HelplineNeed::Exploitation,
        needs::Need::Health => HelplineNeed::Health,
        needs::Need::Legal => HelplineNeed::Legal,
        needs::Need::Talk => HelplineNeed::Talk,
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
        model::Category::Police => HelplineCategory::Police,
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

fn view(lib: &Library, h: &model::Helpline, open_now: Option<bool>, langs: &[String]) -> Helpline {
    let text_lang = h.text_lang(langs).to_owned();
    Helpline {
        review_status: lib
            .helpline_review_status(&h.country, &text_lang)
            .map(crate::rights::review),
        text_lang,
        source_date: h.source_date.clone(),
        police: h.is_police(),
        audience: match h.audience {
            model::Audience::Everyone => HelplineAudience::Everyone,
            model::Audience::Professionals => HelplineAudience::Professionals,
            model::Audience::Children => HelplineAudience::Children,
        },
        confidential: h.confidential,
        outreach: h.outreach,
        address: h.address.clone(),
        contact_unverified: h.contact_unverified,
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

fn instant(
    profile: &parasol_core::profile::Profile,
    at_unix_seconds: Option<i64>,
) -> FfiResult<chrono::DateTime<chrono::Utc>> {
    Ok(match at_unix_seconds {
        Some(s) => chrono::DateTime::from_timestamp(s, 0)
            .ok_or_else(|| parasol_core::Error::invalid("instant out of range"))?,
        None => profile.clock().now(),
    })
}

#[uniffi::export]
impl Parasol {
    /// Helplines of `country`, ordered for someone under stress: open now,
    /// 112 first, for everyone before for children or professionals,
    /// day-and-night, in the user's languages, free. The user's languages
    /// rank; only `query.language` filters (and never drops 112).
    pub fn helplines(&self, country: String, query: HelplineQuery) -> FfiResult<Vec<Helpline>> {
        let at = instant(&self.profile, query.at_unix_seconds)?;
        let core_query = helplines::Query {
            category: query.category.map(category_to_core),
            need: query.need.map(need_to_core),
            speaks: query
                .language
                .map(|l| parasol_core::config::language_tag(&l))
                .transpose()?,
            open_only: query.open_now_only,
        };
        let langs = self.profile.languages()?;
        let library = self.profile.library()?;
        Ok(
            helplines::list(library.helplines(&country)?, &core_query, at, &langs)
                .iter()
                .map(|l| view(&library, &l.helpline, l.open_now, &langs))
                .collect(),
        )
    }

    /// Helplines of `country` grouped by need (every `HelplineNeed`, in
    /// declaration order), at an instant (Unix seconds; `None` means now),
    /// ranked for the user's languages. A group may be empty.
    pub fn helplines_by_need(
        &self,
        country: String,
        at_unix_seconds: Option<i64>,
    ) -> FfiResult<Vec<HelplineNeedGroup>> {
        let at = instant(&self.profile, at_unix_seconds)?;
        let langs = self.profile.languages()?;
        let library = self.profile.library()?;
        Ok(needs::groups(library.helplines(&country)?, at, &langs)
            .into_iter()
            .map(|g| HelplineNeedGroup {
                need: need_from_core(g.need),
                helplines: g
                    .helplines
                    .iter()
                    .map(|l| view(&library, &l.helpline, l.open_now, &langs))
                    .collect(),
            })
            .collect())
    }

    /// One helpline by id, with its state now.
    pub fn helpline(&self, id: String) -> FfiResult<Helpline> {
        let langs = self.profile.languages()?;
        let library = self.profile.library()?;
        let h = library.helpline(&id)?;
        let open = helplines::hours::is_open_at(&h.hours, &h.time_zone, self.profile.clock().now());
        Ok(view(&library, h, open, &langs))
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
