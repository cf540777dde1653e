//! The helpline directory: who to call, now, in a language you speak.
//!
//! Records come from the country content packs (see [`crate::content`]). This
//! module filters and orders them for someone under stress ([`list`]): open
//! now first, 112 first among those, services for adults and the public
//! before those for children or professionals, then day-and-night services,
//! then services in the reader's languages, then free ones. [`needs`] groups
//! the same records by what someone needs help with; [`referral`] picks what
//! the self-check offers.
//!
//! The reader's languages only rank and pick the language of the texts; they
//! never hide a service. Filtering by a language the service speaks is a
//! separate, explicit option ([`Query::speaks`]), and even then 112 stays.

pub mod dial;
pub mod hours;
pub mod model;
pub mod needs;
pub mod referral;

use chrono::{DateTime, Utc};
use model::{Audience, Category, Helpline, Hours};
use needs::Need;

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Only this category.
    pub category: Option<Category>,
    /// Only services for this need.
    pub need: Option<Need>,
    /// Only services known to speak this language (BCP-47 primary tag
    /// match); 112 is always kept. Not the reader's language: that ranks.
    pub speaks: Option<String>,
    /// Only services open at the query instant.
    pub open_only: bool,
}

/// A helpline with its state at the query instant.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// The record.
    pub helpline: Helpline,
    /// Open at the instant: `Some(true)`, `Some(false)`, or `None` when unknown.
    pub open_now: Option<bool>,
}

/// A safe `tel:` URI (or `sms:` URI) for channel `index` of `helpline`.
pub fn dial_uri(helpline: &Helpline, index: usize) -> crate::Result<String> {
    let channel = helpline
        .channels
        .get(index)
        .ok_or_else(|| crate::Error::NotFound(format!("{} has no channel {index}", helpline.id)))?;
    let number = dial::normalize(&helpline.country, &channel.value)?;
    match channel.kind {
        model::ChannelKind::Phone => Ok(format!("tel:{number}")),
        model::ChannelKind::Sms => Ok(format!("sms:{number}")),
        _ => Err(crate::Error::invalid(format!(
            "channel {index} of {} is not a phone or SMS channel",
            helpline.id
        ))),
    }
}

/// Whether `helpline` speaks `lang` (compares primary subtags: "pt-br" ~ "pt").
pub fn speaks(helpline: &Helpline, lang: &str) -> bool {
    let primary = |t: &str| t.split('-').next().unwrap_or(t).to_ascii_lowercase();
    let want = primary(lang);
    helpline.languages.iter().any(|l| primary(l) == want)
}

/// Filters and orders `helplines` at instant `at` for a reader of `langs`
/// (most preferred first; they rank, never filter). With a need, the order
/// is the need's ([`needs::for_need`]).
pub fn list<'a>(
    helplines: impl IntoIterator<Item = &'a Helpline>,
    query: &Query,
    at: DateTime<Utc>,
    langs: &[String],
) -> Vec<Listed> {
    let kept: Vec<&Helpline> = helplines
        .into_iter()
        .filter(|h| query.category.is_none_or(|c| h.categories.contains(&c)))
        .filter(|h| {
            query
                .speaks
                .as_deref()
                .is_none_or(|l| speaks(h, l) || h.is_emergency_number())
        })
        .collect();
    let mut out: Vec<Listed> = match query.need {
        Some(need) => needs::for_need(kept, need, at, langs),
        None => {
            let mut v: Vec<Listed> = kept
                .into_iter()
                .map(|h| Listed {
                    open_now: hours::is_open_at(&h.hours, &h.time_zone, at),
                    helpline: h.clone(),
                })
                .collect();
            v.sort_by_key(|l| sort_key(l, langs));
            v
        }
    };
    out.retain(|l| !query.open_only || l.open_now == Some(true));
    out
}

/// Smaller sorts first: open now, 112, for everyone, always open, speaks a
/// reader's language, free, name.
fn sort_key(l: &Listed, langs: &[String]) -> (bool, bool, bool, bool, bool, bool, String) {
    let h = &l.helpline;
    (
        l.open_now != Some(true),
        !h.is_emergency_number(),
        h.audience != Audience::Everyone,
        h.hours != Hours::Always,
        !langs.iter().any(|lang| speaks(h, lang)),
        h.free != Some(true),
        h.name.to_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use model::*;
    use std::collections::BTreeMap;

    fn line(id: &str, hours: Hours, langs: &[&str], free: Option<bool>) -> Helpline {
        Helpline {
            id: id.into(),
            country: "NL".into(),
            name: id.into(),
            categories: vec![Category::Trafficking],
            languages: langs.iter().map(|s| s.to_string()).collect(),
            free,
            anonymous: None,
            not_on_bill: None,
            domestic_only: None,
            confidential: None,
            outreach: None,
            audience: Audience::Everyone,
            time_zone: "Europe/Amsterdam".into(),
            hours,
            confidence: Confidence::High,
            source_url: "https://example.org/".into(),
            last_verified: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
            source_date: None,
            description: BTreeMap::new(),
            caveats: BTreeMap::new(),
            channels: vec![],
            address: None,
            contact_unverified: false,
        }
    }

    fn office() -> Hours {
        Hours::Weekly(vec![WeeklySpan {
            days: vec![Day::Mon, Day::Tue, Day::Wed, Day::Thu, Day::Fri],
            open: "09:00".into(),
            close: "17:00".into(),
        }])
    }

    #[test]
    fn ordering_helps_under_stress() {
        let lines = vec![
            line("a-unknown", Hours::Unknown, &["ro"], Some(true)),
            line("b-office", office(), &["nl"], Some(false)),
            line("c-always-nl", Hours::Always, &["nl"], Some(true)),
            line("d-always-ro", Hours::Always, &["ro"], Some(false)),
            line("e-always-ro-free", Hours::Always, &["ro"], Some(true)),
        ];
        // Tuesday 10:00 local: office is open.
        let at = DateTime::parse_from_rfc3339("2026-01-13T09:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let ids: Vec<_> = list(&lines, &Query::default(), at, &["ro".into()])
            .into_iter()
            .map(|l| l.helpline.id)
            .collect();
        assert_eq!(
            ids,
            [
                "e-always-ro-free",
                "d-always-ro",
                "c-always-nl",
                "b-office",
                "a-unknown"
            ]
        );
        // Tuesday 20:00 local: office closed, falls behind unknown? No: both not open;
        // unknown and closed keep the remaining keys (language first).
        let night = DateTime::parse_from_rfc3339("2026-01-13T19:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let listed = list(&lines, &Query::default(), night, &["ro".into()]);
        let b = listed.iter().find(|l| l.helpline.id == "b-office").unwrap();
        assert_eq!(b.open_now, Some(false));
        let a = listed
            .iter()
            .find(|l| l.helpline.id == "a-unknown")
            .unwrap();
        assert_eq!(a.open_now, None, "unknown is not closed");
        assert_eq!(listed.last().unwrap().helpline.id, "b-office");
    }

    #[test]
    fn filters() {
        let mut health = line("h", Hours::Always, &["en"], None);
        health.categories = vec![Category::Health];
        let lines = vec![health, line("t", office(), &["pt-BR"], None)];
        let at = DateTime::parse_from_rfc3339("2026-01-13T19:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let q = Query {
            category: Some(Category::Health),
            ..Query::default()
        };
        assert_eq!(list(&lines, &q, at, &[]).len(), 1);
        let q = Query {
            speaks: Some("pt".into()),
            ..Query::default()
        };
        assert_eq!(list(&lines, &q, at, &[])[0].helpline.id, "t");
        // The reader's language never filters: a Romanian reader sees all.
        assert_eq!(list(&lines, &Query::default(), at, &["ro".into()]).len(), 2);
        let q = Query {
            open_only: true,
            ..Query::default()
        };
        let open = list(&lines, &q, at, &[]);
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].helpline.id, "h");
        let q = Query {
            need: Some(Need::Health),
            ..Query::default()
        };
        assert_eq!(list(&lines, &q, at, &[])[0].helpline.id, "h");
    }

    #[test]
    fn speaks_filter_never_drops_112() {
        let mut e112 = line("e112", Hours::Always, &["nl"], Some(true));
        e112.categories = vec![Category::Emergency];
        e112.channels = vec![model::Channel {
            kind: ChannelKind::Phone,
            value: "112".into(),
            label: None,
        }];
        let lines = vec![e112, line("nl-only", Hours::Always, &["nl"], None)];
        let at = DateTime::parse_from_rfc3339("2026-01-13T19:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let q = Query {
            speaks: Some("ro".into()),
            ..Query::default()
        };
        let ids: Vec<_> = list(&lines, &q, at, &["ro".into()])
            .into_iter()
            .map(|l| l.helpline.id)
            .collect();
        assert_eq!(ids, ["e112"]);
    }
}
