//! The helplines and rights screens over the FFI, and their translation.

use crate::helplines::{need_from_core, ChannelKind, HelplineNeed};
use parasol_core::app::view;

mirror_enum!(
    /// Whether a helpline answers now.
    OpenState = view::OpenState {
        /// Open now.
        OpenNow,
        /// Hours not known.
        HoursUnknown,
        /// Closed now.
        Closed,
    }
);

mirror_enum!(
    /// A fact worth showing about a helpline.
    HelplineFlag = view::HelplineFlag {
        /// Free.
        Free,
        /// Anonymous.
        Anonymous,
        /// Not on the bill.
        NotOnBill,
        /// Only from inside the country.
        DomesticOnly,
        /// Run by the police.
        Police,
    }
);

mirror_enum!(
    /// What a tap opens.
    TapKind = view::TapKind {
        /// The dialler.
        Call,
        /// Messages.
        Text,
        /// A page or messaging app.
        Open,
        /// Mail.
        Email,
    }
);

/// One way to reach a helpline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineChannelRow {
    /// Pass back in `TapChannel`.
    pub index: u32,
    /// Phone, SMS, chat...
    pub kind: ChannelKind,
    /// What to show.
    pub text: String,
    /// What a tap does (none: nothing safe).
    pub action: Option<TapKind>,
}

/// One helpline.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Whether it answers now.
    pub open: OpenState,
    /// One line.
    pub description: Option<String>,
    /// Facts.
    pub flags: Vec<HelplineFlag>,
    /// Caveats.
    pub caveats: Vec<String>,
    /// Channels.
    pub channels: Vec<HelplineChannelRow>,
}

/// Helplines in one state.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineGroup {
    /// Open, unknown or closed.
    pub state: OpenState,
    /// The helplines.
    pub lines: Vec<HelplineRow>,
}

/// Helplines for one need, best first.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelplineNeedRow {
    /// The need.
    pub need: HelplineNeed,
    /// The helplines.
    pub lines: Vec<HelplineRow>,
}

/// A country to choose.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CountryRow {
    /// ISO code.
    pub code: String,
    /// Name.
    pub name: String,
    /// A full booklet.
    pub full: bool,
}

fn countries(c: Vec<view::CountryRow>) -> Vec<CountryRow> {
    c.into_iter()
        .map(|c| CountryRow {
            code: c.code,
            name: c.name,
            full: c.full,
        })
        .collect()
}

/// The helplines screen.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum HelplinesScreen {
    /// No country yet.
    ChooseCountry {
        /// Countries.
        countries: Vec<CountryRow>,
    },
    /// The directory.
    Directory {
        /// Country.
        country: String,
        /// Non-empty groups.
        groups: Vec<HelplineGroup>,
        /// Non-empty groups by need, in the needs' order.
        needs: Vec<HelplineNeedRow>,
        /// The content is out of date.
        stale: bool,
    },
}

/// A section heading.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SectionRow {
    /// Id.
    pub id: String,
    /// Heading.
    pub title: String,
}

/// Where a section's facts come from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SourceRow {
    /// What it is.
    pub title: String,
    /// Where.
    pub url: String,
}

/// A search result.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HitRow {
    /// Country.
    pub country: String,
    /// Section.
    pub section_id: String,
    /// Title.
    pub title: String,
    /// Excerpt.
    pub snippet: String,
}

/// The self-check, one step at a time.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum SelfCheckStep {
    /// Before the questions.
    Intro {
        /// Title.
        title: String,
        /// Introduction.
        intro: String,
        /// Caveat.
        caveat: String,
    },
    /// One question.
    Question {
        /// 0-based.
        index: u32,
        /// In all.
        count: u32,
        /// The question.
        text: String,
        /// The answer given, if any.
        answer: Option<bool>,
    },
    /// After the last question.
    Finish {
        /// Answered.
        answered: u32,
        /// In all.
        count: u32,
    },
    /// The result (never a verdict).
    Outcome {
        /// Text.
        text: String,
        /// Caveat.
        caveat: String,
        /// Above `confidential`.
        confidential_note: String,
        /// Not the police; say you can talk in confidence or anonymously.
        confidential: Vec<HelplineRow>,
        /// Above `other` (empty when none); says which are the police.
        other_note: String,
        /// Other services, no promise; police lines flagged `Police`.
        other: Vec<HelplineRow>,
    },
}

/// The rights screens.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RightsScreen {
    /// No country yet.
    ChooseCountry {
        /// Countries.
        countries: Vec<CountryRow>,
    },
    /// Sections, or search results.
    Booklet {
        /// Country.
        country: String,
        /// Its name.
        name: String,
        /// Language shown.
        lang: String,
        /// Not the first language.
        fallback: bool,
        /// Not yet checked by a fluent reader.
        machine_assisted: bool,
        /// Out of date.
        stale: bool,
        /// Sections.
        sections: Vec<SectionRow>,
        /// Search text.
        query: String,
        /// Results.
        hits: Vec<HitRow>,
    },
    /// One section.
    Section {
        /// Country.
        country: String,
        /// Heading.
        title: String,
        /// Text.
        body: String,
        /// Language shown.
        lang: String,
        /// Not the first language.
        fallback: bool,
        /// Not yet checked by a fluent reader.
        machine_assisted: bool,
        /// Out of date.
        stale: bool,
        /// Last checked (YYYY-MM-DD).
        last_reviewed: String,
        /// Sources.
        sources: Vec<SourceRow>,
    },
    /// The self-check.
    SelfCheck {
        /// The step.
        step: SelfCheckStep,
    },
}

fn lines(v: Vec<view::HelplineRow>) -> Vec<HelplineRow> {
    v.into_iter()
        .map(|l| HelplineRow {
            id: l.id,
            name: l.name,
            open: l.open.into(),
            description: l.description,
            flags: l.flags.into_iter().map(Into::into).collect(),
            caveats: l.caveats,
            channels: l
                .channels
                .into_iter()
                .map(|c| HelplineChannelRow {
                    index: c.index,
                    kind: c.kind.into(),
                    text: c.text,
                    action: c.action.map(Into::into),
                })
                .collect(),
        })
        .collect()
}

pub(crate) fn helplines_screen(v: view::HelplinesView) -> HelplinesScreen {
    match v {
        view::HelplinesView::ChooseCountry { countries: c } => HelplinesScreen::ChooseCountry {
            countries: countries(c),
        },
        view::HelplinesView::List {
            country,
            groups,
            needs,
            stale,
        } => HelplinesScreen::Directory {
            country,
            groups: groups
                .into_iter()
                .map(|g| HelplineGroup {
                    state: g.state.into(),
                    lines: lines(g.lines),
                })
                .collect(),
            needs: needs
                .into_iter()
                .map(|g| HelplineNeedRow {
                    need: need_from_core(g.need),
                    lines: lines(g.lines),
                })
                .collect(),
            stale,
        },
    }
}

pub(crate) fn rights_screen(v: view::RightsView) -> RightsScreen {
    match v {
        view::RightsView::ChooseCountry { countries: c } => RightsScreen::ChooseCountry {
            countries: countries(c),
        },
        view::RightsView::Booklet {
            country,
            name,
            lang,
            fallback,
            machine_assisted,
            stale,
            sections,
            query,
            hits,
        } => RightsScreen::Booklet {
            country,
            name,
            lang,
            fallback,
            machine_assisted,
            stale,
            sections: sections
                .into_iter()
                .map(|s| SectionRow {
                    id: s.id,
                    title: s.title,
                })
                .collect(),
            query,
            hits: hits
                .into_iter()
                .map(|h| HitRow {
                    country: h.country,
                    section_id: h.section_id,
                    title: h.title,
                    snippet: h.snippet,
                })
                .collect(),
        },
        view::RightsView::Section {
            country,
            title,
            body,
            lang,
            fallback,
            machine_assisted,
            stale,
            last_reviewed,
            sources,
        } => RightsScreen::Section {
            country,
            title,
            body,
            lang,
            fallback,
            machine_assisted,
            stale,
            last_reviewed,
            sources: sources
                .into_iter()
                .map(|s| SourceRow {
                    title: s.title,
                    url: s.url,
                })
                .collect(),
        },
        view::RightsView::SelfCheck(step) => RightsScreen::SelfCheck {
            step: match step {
                view::SelfCheckView::Intro {
                    title,
                    intro,
                    caveat,
                } => SelfCheckStep::Intro {
                    title,
                    intro,
                    caveat,
                },
                view::SelfCheckView::Question {
                    index,
                    count,
                    text,
                    answer,
                } => SelfCheckStep::Question {
                    index,
                    count,
                    text,
                    answer,
                },
                view::SelfCheckView::Finish { answered, count } => {
                    SelfCheckStep::Finish { answered, count }
                }
                view::SelfCheckView::Result {
                    text,
                    caveat,
                    confidential_note,
                    confidential,
                    other_note,
                    other,
                } => SelfCheckStep::Outcome {
                    text,
                    caveat,
                    confidential_note,
                    confidential: lines(confidential),
                    other_note,
                    other: lines(other),
                },
            },
        },
    }
}
