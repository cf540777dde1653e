//! Which services the self-check offers, and under which promise.
//!
//! The self-check result says of its first list that these services are not
//! the police and that, by their own sources, you can talk to them in
//! confidence or without giving your name. So that list ([`Referral::confidential`])
//! holds only services that:
//! - work on trafficking, violence or support for victims of crime;
//! - are not run by the police ([`Category::Police`]) and are open to the
//!   public (not for professionals, not for children);
//! - are marked `confidential` or `anonymous` in their record;
//! - can be contacted directly (phone, text, messenger, chat or e-mail).
//!
//! A second list ([`Referral::other`]) holds the other trafficking services
//! the user can contact, with no promise; police lines among them are named
//! in [`Referral::police`]. When both lists are empty, `other` holds the
//! country's emergency lines.

use super::model::{Audience, Category, Helpline};

/// The categories a self-check referral draws on.
const TOPICS: [Category; 3] = [
    Category::Trafficking,
    Category::Violence,
    Category::VictimSupport,
];

/// The services the self-check offers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Referral {
    /// Ids of services that are not the police and say you can talk in
    /// confidence or anonymously: trafficking services first.
    pub confidential: Vec<String>,
    /// Ids of other trafficking services (no promise), or emergency lines.
    pub other: Vec<String>,
    /// The ids in `other` that are run by the police.
    pub police: Vec<String>,
}

/// Whether `h` may be listed under the self-check's confidentiality promise.
pub fn may_promise_confidentiality(h: &Helpline) -> bool {
    !h.is_police()
        && h.audience == Audience::Everyone
        && h.promises_confidentiality()
        && h.reachable_directly()
        && h.categories.iter().any(|c| TOPICS.contains(c))
}

/// The self-check referral for a country with `helplines` (in file order).
pub fn referral(helplines: &[Helpline]) -> Referral {
    let trafficking = |h: &&Helpline| h.categories.contains(&Category::Trafficking);
    let (first, rest): (Vec<&Helpline>, Vec<&Helpline>) = helplines
        .iter()
        .filter(|h| may_promise_confidentiality(h))
        .partition(trafficking);
    let confidential: Vec<String> = first.iter().chain(&rest).map(|h| h.id.clone()).collect();
    let mut other: Vec<&Helpline> = helplines
        .iter()
        .filter(|h| {
            trafficking(h)
                && !confidential.contains(&h.id)
                && h.audience == Audience::Everyone
                && h.reachable_directly()
        })
        .collect();
    if confidential.is_empty() && other.is_empty() {
        other = helplines
            .iter()
            .filter(|h| {
                h.categories.contains(&Category::Emergency) && h.audience == Audience::Everyone
            })
            .collect();
    }
    Referral {
        police: other
            .iter()
            .filter(|h| h.is_police())
            .map(|h| h.id.clone())
            .collect(),
        other: other.iter().map(|h| h.id.clone()).collect(),
        confidential,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helplines::model::{Channel, ChannelKind, Confidence, Hours};
    use chrono::NaiveDate;
    use std::collections::BTreeMap;

    fn line(id: &str, categories: &[Category], anonymous: Option<bool>) -> Helpline {
        Helpline {
            id: id.into(),
            country: "SE".into(),
            name: id.into(),
            categories: categories.to_vec(),
            languages: vec![],
            free: None,
            anonymous,
            not_on_bill: None,
            domestic_only: None,
            confidential: None,
            outreach: None,
            audience: Audience::Everyone,
            time_zone: "Europe/Stockholm".into(),
            hours: Hours::Unknown,
            confidence: Confidence::High,
            source_url: "https://example.org/".into(),
            last_verified: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            source_date: None,
            description: BTreeMap::new(),
            caveats: BTreeMap::new(),
            channels: vec![Channel {
                kind: ChannelKind::Phone,
                value: "+4620505050".into(),
                label: None,
            }],
            address: None,
            contact_unverified: false,
        }
    }

    #[test]
    fn police_professionals_and_web_only_never_under_the_promise() {
        let mut police = line(
            "police",
            &[Category::Trafficking, Category::Police],
            Some(true),
        );
        police.confidential = Some(true);
        let mut pro = line("pro", &[Category::Trafficking], Some(true));
        pro.audience = Audience::Professionals;
        let mut web = line("web", &[Category::Trafficking], Some(true));
        web.channels[0].kind = ChannelKind::Web;
        let violence = line("violence", &[Category::Violence], Some(true));
        let unknown = line("unknown", &[Category::Trafficking], None);
        let mut secret = line("secret", &[Category::Trafficking], None);
        secret.confidential = Some(true);
        let crisis = line("crisis", &[Category::CrisisSupport], Some(true));
        let r = referral(&[police, pro, web, violence, unknown, secret, crisis]);
        assert_eq!(r.confidential, ["secret", "violence"], "trafficking first");
        assert_eq!(r.other, ["police", "unknown"]);
        assert_eq!(r.police, ["police"]);
    }

    #[test]
    fn emergency_lines_when_nothing_else() {
        let e = line("e112", &[Category::Emergency], None);
        let r = referral(&[e]);
        assert!(r.confidential.is_empty());
        assert_eq!(r.other, ["e112"]);
    }
}
