//! The helplines screen: the country's directory grouped by whether each
//! service answers now (hours not known are never shown as closed) and by
//! need ([`crate::helplines::needs`]), whether the content is out of date,
//! and what tapping a channel opens, checked in the core.

use super::effects::Effect;
use super::runtime::Ctx;
use super::view::Notice;
use super::view::{
    ChannelRow, CountryRow, HelplineFlag, HelplineGroup, HelplineRow, HelplinesView, NeedGroup,
    OpenState, TapKind,
};
use crate::content::model::Depth;
use crate::error::Result;
use crate::helplines::model::{Category, ChannelKind, Helpline};
use crate::helplines::needs;
use crate::helplines::{dial, Query};

/// The countries to choose from, full booklets first.
pub(crate) fn countries(ctx: &Ctx<'_>) -> Result<Vec<CountryRow>> {
    let langs = ctx.parts.profile.languages()?;
    Ok(ctx
        .parts
        .profile
        .library()?
        .countries(&langs)
        .into_iter()
        .map(|c| CountryRow {
            code: c.code,
            name: c.name,
            full: c.depth == Depth::Full,
        })
        .collect())
}

fn tap_kind(kind: ChannelKind) -> TapKind {
    match kind {
        ChannelKind::Phone => TapKind::Call,
        ChannelKind::Sms => TapKind::Text,
        ChannelKind::Email => TapKind::Email,
        ChannelKind::Chat | ChannelKind::Web | ChannelKind::Whatsapp | ChannelKind::Signal => {
            TapKind::Open
        }
    }
}

fn open_state(open: Option<bool>) -> OpenState {
    match open {
        Some(true) => OpenState::OpenNow,
        None => OpenState::HoursUnknown,
        Some(false) => OpenState::Closed,
    }
}

/// Whether the country's content is out of date at `ctx.now`.
pub(crate) fn stale(ctx: &Ctx<'_>, country: &str) -> Result<bool> {
    let langs = ctx.parts.profile.languages()?;
    Ok(ctx
        .parts
        .profile
        .library()?
        .countries(&langs)
        .iter()
        .any(|c| c.code == country && c.is_stale(ctx.now)))
}

/// One helpline as shown, open now or not (`open`: `None` for unknown hours).
pub(crate) fn row(h: &Helpline, langs: &[String], open: Option<bool>) -> HelplineRow {
    let police = Some(h.categories.contains(&Category::Police));
    let flags = [
        (h.free, HelplineFlag::Free),
        (h.anonymous, HelplineFlag::Anonymous),
        (h.not_on_bill, HelplineFlag::NotOnBill),
        (h.domestic_only, HelplineFlag::DomesticOnly),
        (police, HelplineFlag::Police),
    ]
    .into_iter()
    .filter(|(v, _)| *v == Some(true))
    .map(|(_, f)| f)
    .collect();
    HelplineRow {
        id: h.id.clone(),
        name: h.name.clone(),
        open: open_state(open),
        description: h.description_in(langs).map(str::to_owned),
        flags,
        caveats: h.caveats_in(langs),
        channels: h
            .channels
            .iter()
            .enumerate()
            .map(|(i, c)| ChannelRow {
                index: i as u32,
                kind: c.kind,
                text: c.label.clone().unwrap_or_else(|| c.value.clone()),
                action: dial::tap_uri(h, i).ok().map(|_| tap_kind(c.kind)),
            })
            .collect(),
    }
}

/// The screen, as of now.
pub(crate) fn view(ctx: &Ctx<'_>) -> Result<HelplinesView> {
    let Some(country) = ctx.parts.profile.country()? else {
        return Ok(HelplinesView::ChooseCountry {
            countries: countries(ctx)?,
        });
    };
    let langs = ctx.parts.profile.languages()?;
    let listed = ctx
        .parts
        .profile
        .helplines(&country, &Query::default(), Some(ctx.now))?;
    let groups = [
        (OpenState::OpenNow, Some(true)),
        (OpenState::HoursUnknown, None),
        (OpenState::Closed, Some(false)),
    ]
    .into_iter()
    .map(|(state, open)| HelplineGroup {
        state,
        lines: listed
            .iter()
            .filter(|l| l.open_now == open)
            .map(|l| row(&l.helpline, &langs, l.open_now))
            .collect(),
    })
    .filter(|g| !g.lines.is_empty())
    .collect();
    let all: Vec<Helpline> = listed.into_iter().map(|l| l.helpline).collect();
    let needs = needs::groups(&all, ctx.now, &langs)
        .into_iter()
        .filter(|g| !g.helplines.is_empty())
        .map(|g| NeedGroup {
            need: g.need,
            lines: g
                .helplines
                .iter()
                .map(|l| row(&l.helpline, &langs, l.open_now))
                .collect(),
        })
        .collect();
    Ok(HelplinesView::List {
        stale: stale(ctx, &country)?,
        country,
        groups,
        needs,
    })
}

/// A channel was tapped: open its checked URI.
pub(crate) fn tap(ctx: &mut Ctx<'_>, helpline_id: &str, channel: u32) -> Result<()> {
    let library = ctx.parts.profile.library()?;
    let h = library.helpline(helpline_id)?;
    match dial::tap_uri(h, channel as usize) {
        Ok(uri) => ctx.fx.push(Effect::OpenUri { uri }),
        Err(_) => ctx.notice = Some(Notice::NothingToOpen),
    }
    Ok(())
}
