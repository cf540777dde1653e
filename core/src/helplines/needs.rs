//! Help grouped by need: what someone is looking for, not how a service
//! files itself.
//!
//! Six needs, in this order: danger now; violence or a bad client;
//! exploitation or trafficking; health and testing; police, legal and papers;
//! someone to talk to. A service belongs to every need its categories cover
//! ([`Need::covers`]); services for professionals belong to none.
//!
//! Within a need the order is: 112 first; services for adults before those
//! for children; sex-worker-led and outreach services; then open now,
//! reachable from abroad, in a language the reader reads, free, anonymous,
//! and reachable by more than a website.
//!
//! ```
//! # use parasol_core::helplines::needs::{self, Need};
//! # fn show(lines: &[parasol_core::helplines::model::Helpline]) {
//! let at = chrono::Utc::now();
//! for group in needs::groups(lines, at, &["ro".to_string()]) {
//!     println!("{}: {} services", group.need.as_str(), group.helplines.len());
//! }
//! # }
//! ```

use super::model::{Audience, Category, Helpline};
use super::{hours, speaks, Listed};
use chrono::{DateTime, Utc};

/// What someone needs help with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Need {
    /// In danger now.
    Danger,
    /// Violence or a bad client.
    Violence,
    /// Exploitation or trafficking.
    Exploitation,
    /// Health and testing.
    Health,
    /// Police, legal questions and papers.
    Legal,
    /// Someone to talk to.
    Talk,
}

impl Need {
    /// Every need, in display order.
    pub const ALL: [Need; 6] = [
        Need::Danger,
        Need::Violence,
        Need::Exploitation,
        Need::Health,
        Need::Legal,
        Need::Talk,
    ];

    /// The stable name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Need::Danger => "danger",
            Need::Violence => "violence",
            Need::Exploitation => "exploitation",
            Need::Health => "health",
            Need::Legal => "legal",
            Need::Talk => "talk",
        }
    }

    /// Parses a stable name.
    pub fn parse(name: &str) -> Option<Need> {
        Need::ALL.into_iter().find(|n| n.as_str() == name)
    }

    /// The categories that serve this need.
    pub fn categories(self) -> &'static [Category] {
        match self {
            Need::Danger => &[Category::Emergency],
            Need::Violence => &[Category::Violence, Category::VictimSupport],
            Need::Exploitation => &[Category::Trafficking, Category::AnonymousReporting],
            Need::Health => &[Category::Health],
            Need::Legal => &[Category::Legal, Category::Migrants, Category::Police],
            Need::Talk => &[Category::CrisisSupport],
        }
    }

    /// Whether `h` serves this need: one of its categories does, and it is
    /// open to the public (a line for professionals serves no need here).
    pub fn covers(self, h: &Helpline) -> bool {
        h.audience != Audience::Professionals
            && h.categories.iter().any(|c| self.categories().contains(c))
    }
}

/// The services for one need, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedGroup {
    /// The need.
    pub need: Need,
    /// Its services with their state at the instant asked for (may be empty).
    pub helplines: Vec<Listed>,
}

/// The services of `helplines` for `need` at `at`, ordered for a reader of
/// `langs` (most preferred first). The languages rank; they never filter.
pub fn for_need<'a>(
    helplines: impl IntoIterator<Item = &'a Helpline>,
    need: Need,
    at: DateTime<Utc>,
    langs: &[String],
) -> Vec<Listed> {
    let mut out: Vec<Listed> = helplines
        .into_iter()
        .filter(|h| need.covers(h))
        .map(|h| Listed {
            open_now: hours::is_open_at(&h.hours, &h.time_zone, at),
            helpline: h.clone(),
        })
        .collect();
    out.sort_by_key(|l| rank(l, langs));
    out
}

/// All six needs in display order, each with its services (see [`for_need`]).
/// A need with no service in this country has an empty list.
pub fn groups(helplines: &[Helpline], at: DateTime<Utc>, langs: &[String]) -> Vec<NeedGroup> {
    Need::ALL
        .into_iter()
        .map(|need| NeedGroup {
            need,
            helplines: for_need(helplines, need, at, langs),
        })
        .collect()
}

/// Smaller sorts first.
type Rank = (bool, bool, bool, bool, bool, bool, bool, bool, bool, String);

fn rank(l: &Listed, langs: &[String]) -> Rank {
    let h = &l.helpline;
    let by_and_for_sex_workers =
        h.categories.contains(&Category::SexWorkerLed) || h.outreach == Some(true);
    (
        !h.is_emergency_number(),
        h.audience == Audience::Children,
        !by_and_for_sex_workers,
        l.open_now != Some(true),
        h.domestic_only == Some(true),
        !langs.iter().any(|lang| speaks(h, lang)),
        h.free != Some(true),
        h.anonymous != Some(true),
        !h.reachable_directly(),
        h.name.to_lowercase(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helplines::model::{Channel, ChannelKind, Confidence, Hours};
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    fn line(id: &str, categories: &[Category]) -> Helpline {
        Helpline {
            id: id.into(),
            country: "NL".into(),
            name: id.into(),
            categories: categories.to_vec(),
            languages: vec![],
            free: None,
            anonymous: None,
            not_on_bill: None,
            domestic_only: None,
            confidential: None,
            outreach: None,
            audience: Audience::Everyone,
            time_zone: "Europe/Amsterdam".into(),
            hours: Hours::Unknown,
            confidence: Confidence::High,
            source_url: "https://example.org/".into(),
            last_verified: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            source_date: None,
            description: BTreeMap::new(),
            caveats: BTreeMap::new(),
            channels: vec![Channel {
                kind: ChannelKind::Phone,
                value: "+31201234567".into(),
                label: None,
            }],
            address: None,
            contact_unverified: false,
        }
    }

    fn at() -> DateTime<Utc> {
        "2026-12-01T02:00:00Z".parse().unwrap()
    }

    fn ids(v: &[Listed]) -> Vec<&str> {
        v.iter().map(|l| l.helpline.id.as_str()).collect()
    }

    #[test]
    fn needs_parse_and_print() {
        for n in Need::ALL {
            assert_eq!(Need::parse(n.as_str()), Some(n));
        }
        assert_eq!(Need::parse("pizza"), None);
    }

    #[test]
    fn professionals_serve_no_need_and_children_come_last() {
        let mut pro = line("pro", &[Category::Trafficking]);
        pro.audience = Audience::Professionals;
        let mut kids = line("kids", &[Category::Emergency]);
        kids.audience = Audience::Children;
        kids.hours = Hours::Always;
        let mut e112 = line("e112", &[Category::Emergency]);
        e112.channels[0].value = "112".into();
        let lines = vec![kids, pro, e112, line("ngo", &[Category::Trafficking])];
        let g = groups(&lines, at(), &[]);
        assert_eq!(g.len(), 6);
        assert_eq!(ids(&g[0].helplines), ["e112", "kids"]);
        assert_eq!(ids(&g[2].helplines), ["ngo"], "no line for professionals");
        assert!(g[3].helplines.is_empty());
    }

    #[test]
    fn sex_worker_led_and_outreach_first_then_open_abroad_language_free_anonymous() {
        let mut open = line("open", &[Category::Health]);
        open.hours = Hours::Always;
        let mut led = line("led", &[Category::Health, Category::SexWorkerLed]);
        led.channels[0].kind = ChannelKind::Web;
        let mut outreach = line("outreach", &[Category::Health]);
        outreach.outreach = Some(true);
        let mut domestic = line("domestic", &[Category::Health]);
        domestic.hours = Hours::Always;
        domestic.domestic_only = Some(true);
        let mut ro = line("ro", &[Category::Health]);
        ro.languages = vec!["ro".into()];
        let mut free = line("free", &[Category::Health]);
        free.free = Some(true);
        let mut anon = line("anon", &[Category::Health]);
        anon.anonymous = Some(true);
        let lines = vec![anon, free, ro, domestic, open, outreach, led];
        let listed = for_need(&lines, Need::Health, at(), &["ro".into()]);
        assert_eq!(
            ids(&listed),
            ["outreach", "led", "open", "domestic", "ro", "free", "anon"],
            "within the first tier, a phone line beats a website"
        );
        // The reader's language ranks; it never removes anyone.
        let other = for_need(&lines, Need::Health, at(), &["bg".into()]);
        assert_eq!(other.len(), lines.len());
    }

    #[test]
    fn police_lines_serve_the_legal_need_not_danger() {
        let police = line("police", &[Category::Police]);
        let g = groups(std::slice::from_ref(&police), at(), &[]);
        assert!(g[0].helplines.is_empty());
        assert_eq!(ids(&g[4].helplines), ["police"]);
    }
}
