//! The rights screens: country, the booklet's sections, offline search, and
//! the private self-check. Self-check answers live only here, in memory, and
//! are forgotten when it closes, when the user leaves the screen or the app,
//! and on quick exit.

use super::helplines::{countries, row};
use super::runtime::Ctx;
use super::view::{HelplineRow, HitRow, RightsView, SectionRow, SelfCheckView, SourceRow};
use crate::content::library::{Booklet, SelfCheckForm, SelfCheckResult};
use crate::content::model::ReviewStatus;
use crate::error::Result;
use crate::helplines::hours;

/// The self-check in progress.
#[derive(Debug)]
struct SelfCheck {
    form: SelfCheckForm,
    /// The question shown (`None`: the intro; == count: the finish page).
    index: Option<usize>,
    /// One slot per question.
    answers: Vec<Option<bool>>,
    result: Option<SelfCheckResult>,
    /// The result's services: confidential ones, then the others.
    lines: (Vec<HelplineRow>, Vec<HelplineRow>),
}

/// The screens' state (memory only).
#[derive(Debug, Default)]
pub(crate) struct State {
    section: Option<String>,
    query: String,
    hits: Vec<HitRow>,
    selfcheck: Option<SelfCheck>,
}

impl State {
    /// Forgets every self-check answer (and the result).
    pub(crate) fn forget_answers(&mut self) {
        self.selfcheck = None;
    }

    /// Back: from the self-check, a section, or search results.
    pub(crate) fn back(&mut self) {
        if let Some(s) = &mut self.selfcheck {
            if let (None, Some(i)) = (&s.result, s.index) {
                s.index = i.checked_sub(1);
                return;
            }
            self.forget_answers();
        } else if self.section.is_some() {
            self.section = None;
        } else {
            self.query.clear();
            self.hits.clear();
        }
    }

    /// Opens a section of the current booklet.
    pub(crate) fn open_section(&mut self, id: String) {
        self.section = Some(id);
    }

    /// Answers the current question (`None`: skip) and moves on.
    pub(crate) fn answer(&mut self, answer: Option<bool>) {
        if let Some(s) = &mut self.selfcheck {
            if let Some(i) = s.index {
                if let Some(slot) = s.answers.get_mut(i) {
                    *slot = answer;
                    s.index = Some(i + 1);
                }
            }
        }
    }
}

/// Chooses the country (remembered in the profile).
pub(crate) fn select_country(ctx: &mut Ctx<'_>, st: &mut State, code: &str) -> Result<()> {
    ctx.parts.profile.set_country(code)?;
    st.section = None;
    st.hits.clear();
    st.query.clear();
    Ok(())
}

/// Chooses the reading languages; a search runs again in them.
pub(crate) fn set_languages(ctx: &mut Ctx<'_>, st: &mut State, langs: &[String]) -> Result<()> {
    ctx.parts.profile.set_languages(langs)?;
    let query = std::mem::take(&mut st.query);
    search(ctx, st, query)
}

/// Searches the chosen country in the reader's languages (blank clears).
pub(crate) fn search(ctx: &mut Ctx<'_>, st: &mut State, query: String) -> Result<()> {
    st.hits.clear();
    st.query = query;
    let q = st.query.trim();
    if q.is_empty() {
        return Ok(());
    }
    let country = ctx.parts.profile.country()?;
    let filter = ctx
        .parts
        .profile
        .search_filter(country.as_deref(), None, 0)?;
    st.hits = ctx
        .parts
        .profile
        .library()?
        .search(q, &filter)?
        .into_iter()
        .map(|h| HitRow {
            country: h.country,
            section_id: h.section_id,
            title: h.title,
            snippet: h.snippet,
        })
        .collect();
    Ok(())
}

/// Opens a search result (switching country if needed).
pub(crate) fn open_hit(
    ctx: &mut Ctx<'_>,
    st: &mut State,
    country: String,
    section_id: String,
) -> Result<()> {
    if ctx.parts.profile.country()?.as_deref() != Some(country.as_str()) {
        ctx.parts.profile.set_country(&country)?;
    }
    st.section = Some(section_id);
    Ok(())
}

/// Opens the self-check on its intro, in the reader's best language; from
/// the intro, begins the questions.
pub(crate) fn start_selfcheck(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    if let Some(s) = &mut st.selfcheck {
        if s.index.is_none() && s.result.is_none() {
            s.index = Some(0);
        }
        return Ok(());
    }
    let langs = ctx.parts.profile.languages()?;
    let form = ctx.parts.profile.library()?.selfcheck(&langs)?;
    st.selfcheck = Some(SelfCheck {
        answers: vec![None; form.questions.len()],
        lines: (Vec::new(), Vec::new()),
        form,
        index: None,
        result: None,
    });
    Ok(())
}

/// Scores the answers for the chosen country. Nothing is stored.
pub(crate) fn finish_selfcheck(ctx: &mut Ctx<'_>, st: &mut State) -> Result<()> {
    let Some(s) = &mut st.selfcheck else {
        return Ok(());
    };
    let country = ctx.parts.profile.country()?.unwrap_or_default();
    let langs = ctx.parts.profile.languages()?;
    let answers: Vec<(String, bool)> = s
        .form
        .questions
        .iter()
        .zip(&s.answers)
        .filter_map(|((id, _), a)| a.map(|yes| (id.clone(), yes)))
        .collect();
    let library = ctx.parts.profile.library()?;
    let result = library.score_selfcheck(&answers, &country, &langs)?;
    let rows = |ids: &[String]| -> Vec<HelplineRow> {
        ids.iter()
            .filter_map(|id| library.helpline(id).ok())
            .map(|h| {
                let open = hours::is_open_at(&h.hours, &h.time_zone, ctx.now);
                row(h, &langs, open)
            })
            .collect()
    };
    s.lines = (rows(&result.helplines), rows(&result.other_helplines));
    s.result = Some(result);
    Ok(())
}

fn booklet(ctx: &Ctx<'_>, country: &str) -> Result<Booklet> {
    let langs = ctx.parts.profile.languages()?;
    ctx.parts.profile.library()?.booklet(country, &langs)
}

fn selfcheck_view(s: &SelfCheck) -> SelfCheckView {
    let count = s.form.questions.len() as u32;
    if let Some(r) = &s.result {
        return SelfCheckView::Result {
            text: r.text.clone(),
            caveat: r.caveat.clone(),
            confidential_note: r.helplines_note.clone(),
            confidential: s.lines.0.clone(),
            other_note: r.other_note.clone(),
            other: s.lines.1.clone(),
        };
    }
    let Some(index) = s.index else {
        return SelfCheckView::Intro {
            title: s.form.title.clone(),
            intro: s.form.intro.clone(),
            caveat: s.form.caveat.clone(),
        };
    };
    match s.form.questions.get(index) {
        Some((_, text)) => SelfCheckView::Question {
            index: index as u32,
            count,
            text: text.clone(),
            answer: s.answers[index],
        },
        None => SelfCheckView::Finish {
            answered: s.answers.iter().filter(|a| a.is_some()).count() as u32,
            count,
        },
    }
}

/// The screen.
pub(crate) fn view(ctx: &Ctx<'_>, st: &State) -> Result<RightsView> {
    if let Some(s) = &st.selfcheck {
        return Ok(RightsView::SelfCheck(selfcheck_view(s)));
    }
    let Some(country) = ctx.parts.profile.country()? else {
        return Ok(RightsView::ChooseCountry {
            countries: countries(ctx)?,
        });
    };
    let b = booklet(ctx, &country)?;
    let machine_assisted = b.review_status == ReviewStatus::MachineAssisted;
    let stale = b.is_stale(ctx.now);
    if let Some(sec) = st
        .section
        .as_deref()
        .and_then(|id| b.sections.iter().find(|s| s.id == id))
    {
        return Ok(RightsView::Section {
            country: b.country.clone(),
            title: sec.title.clone(),
            body: sec.body.clone(),
            lang: b.lang.clone(),
            fallback: b.fallback,
            machine_assisted,
            stale,
            last_reviewed: sec.last_reviewed.to_string(),
            sources: sec
                .sources
                .iter()
                .map(|s| SourceRow {
                    title: s.title.clone(),
                    url: s.url.clone(),
                })
                .collect(),
        });
    }
    Ok(RightsView::Booklet {
        sections: b
            .sections
            .iter()
            .map(|s| SectionRow {
                id: s.id.clone(),
                title: s.title.clone(),
            })
            .collect(),
        country: b.country,
        name: b.name,
        lang: b.lang,
        fallback: b.fallback,
        machine_assisted,
        stale,
        query: st.query.clone(),
        hits: st.hits.clone(),
    })
}
