//! Composing what each contact receives, in the contact's language: who,
//! when, where (an OpenStreetMap link and coordinates with accuracy, or
//! "location unknown") and the user's note.
//!
//! The SMS text is fitted into at most [`MAX_SMS_SEGMENTS`] segments, aware
//! of GSM-7 versus UCS-2: first the note is shortened, then dropped, then
//! the location line is compacted (link and accuracy only), then the name is
//! shortened. The full text (push) and the webhook payload are not cut.

use super::i18n::{self, Texts};
use super::model::{AlertReason, Location, MessageKind};
use super::segments;
use chrono::{DateTime, Utc};

/// An SMS never needs more than this many segments.
pub const MAX_SMS_SEGMENTS: usize = 2;

/// Everything a message may mention.
#[derive(Clone, Copy)]
pub(crate) struct MessageContext<'a> {
    pub kind: MessageKind,
    pub reason: Option<AlertReason>,
    pub silent: bool,
    pub sender_name: Option<&'a str>,
    /// When the alert was raised (or the message composed, for tests).
    pub at: DateTime<Utc>,
    pub location: Option<&'a Location>,
    pub note: Option<&'a str>,
}

/// A composed message.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Composed {
    /// The language the texts are in.
    pub language: &'static str,
    /// The SMS text (at most two segments).
    pub sms: String,
    /// The full text (push body, webhook `message`).
    pub full: String,
}

/// The alert's time as contacts read it (always with "UTC", unambiguous across zones and DST).
pub(crate) fn format_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M UTC").to_string()
}

fn accuracy(t: &Texts, loc: &Location) -> Option<String> {
    loc.accuracy_m
        .map(|a| i18n::fill(t.accuracy, &[("m", &format!("{:.0}", a.round()))]))
}

/// How much of a message to keep when it must shrink to fit an SMS.
#[derive(Clone, Copy)]
struct Detail {
    /// Coordinates as text and the long link (else only the short link).
    full_location: bool,
    /// The time line.
    time: bool,
    /// The location accuracy.
    accuracy: bool,
}

const FULL: Detail = Detail {
    full_location: true,
    time: true,
    accuracy: true,
};

/// Ever smaller messages, tried in order once the note is gone.
const REDUCED: [Detail; 3] = [
    Detail {
        full_location: false,
        time: true,
        accuracy: true,
    },
    Detail {
        full_location: false,
        time: false,
        accuracy: true,
    },
    Detail {
        full_location: false,
        time: false,
        accuracy: false,
    },
];

fn location_line(t: &Texts, loc: Option<&Location>, detail: Detail) -> String {
    let Some(loc) = loc else {
        return t.location_unknown.to_owned();
    };
    let acc = if detail.accuracy {
        accuracy(t, loc)
            .map(|a| format!(" ({a})"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    if detail.full_location {
        format!(
            "{:.5},{:.5}{acc} {}",
            loc.latitude,
            loc.longitude,
            loc.osm_url()
        )
    } else {
        format!("{}{acc}", loc.osm_url_short())
    }
}

struct Parts<'a> {
    header: String,
    time: Option<String>,
    location: Option<String>,
    note_label: &'a str,
    note: Option<&'a str>,
}

fn render(p: &Parts<'_>, note_chars: usize) -> String {
    let mut lines: Vec<String> = vec![p.header.clone()];
    if let Some(t) = &p.time {
        lines.push(t.clone());
    }
    if let Some(l) = &p.location {
        lines.push(l.clone());
    }
    if let Some(note) = p.note {
        if note_chars > 0 {
            let total = note.chars().count();
            let body: String = if note_chars >= total {
                note.to_owned()
            } else {
                let cut: String = note.chars().take(note_chars).collect();
                format!("{}...", cut.trim_end())
            };
            lines.push(format!("{}: {body}", p.note_label));
        }
    }
    lines.join("\n")
}

fn parts<'a>(t: &'a Texts, ctx: &MessageContext<'a>, name: &str, detail: Detail) -> Parts<'a> {
    let time = format_time(ctx.at);
    let header_template = match ctx.kind {
        MessageKind::Alert => match ctx.reason {
            Some(AlertReason::MissedCheckIn) => t.alert_missed,
            Some(AlertReason::Duress) => t.alert_silent,
            _ if ctx.silent => t.alert_silent,
            _ => t.alert,
        },
        MessageKind::Location => t.location_update,
        MessageKind::Safe => t.safe,
        MessageKind::Test => t.test,
    };
    let header = i18n::fill(header_template, &[("name", name), ("time", &time)]);
    match ctx.kind {
        MessageKind::Alert => Parts {
            header,
            time: detail.time.then_some(time),
            location: Some(location_line(t, ctx.location, detail)),
            note_label: t.note,
            note: ctx.note,
        },
        MessageKind::Location => Parts {
            header,
            time: None,
            location: Some(location_line(t, ctx.location, detail)),
            note_label: t.note,
            note: None,
        },
        MessageKind::Safe | MessageKind::Test => Parts {
            header,
            time: None,
            location: None,
            note_label: t.note,
            note: None,
        },
    }
}

/// Largest `n` in `0..=max` with `ok(n)`, given that `ok` is monotone
/// (true up to some point, false after); `None` if even `ok(0)` is false.
fn largest(max: usize, ok: impl Fn(usize) -> bool) -> Option<usize> {
    if !ok(0) {
        return None;
    }
    let (mut lo, mut hi) = (0usize, max);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if ok(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    Some(lo)
}

/// The SMS text: the full text, else a shortened note, else ever smaller
/// forms without a note, else the smallest form with a shortened name.
fn fit_sms(
    t: &Texts,
    ctx: &MessageContext<'_>,
    name: &str,
    full_parts: &Parts<'_>,
    note_len: usize,
    fits: &dyn Fn(&str) -> bool,
) -> Option<String> {
    if let Some(n) = largest(note_len, |n| fits(&render(full_parts, n))) {
        return Some(render(full_parts, n));
    }
    for detail in REDUCED {
        let text = render(&parts(t, ctx, name, detail), 0);
        if fits(&text) {
            return Some(text);
        }
    }
    let smallest = REDUCED[REDUCED.len() - 1];
    let shortened = |n: usize| {
        let short: String = name.chars().take(n).collect();
        render(&parts(t, ctx, &short, smallest), 0)
    };
    largest(name.chars().count(), |n| fits(&shortened(n))).map(shortened)
}

/// Composes the message for a contact who reads `language`.
pub(crate) fn compose(language: &str, ctx: &MessageContext<'_>) -> Composed {
    let t = i18n::texts(language);
    let name = ctx.sender_name.unwrap_or(t.default_name);
    let full_parts = parts(t, ctx, name, FULL);
    let note_len = ctx.note.map(|n| n.chars().count()).unwrap_or(0);
    let full = render(&full_parts, note_len);
    let fits = |s: &str| segments::fits(s, MAX_SMS_SEGMENTS);
    let sms = fit_sms(t, ctx, name, &full_parts, note_len, &fits).unwrap_or_else(|| {
        // Last resort: cut the smallest form of the text itself.
        let smallest = REDUCED[REDUCED.len() - 1];
        let text = render(&parts(t, ctx, "", smallest), 0);
        let chars: Vec<char> = text.chars().collect();
        let n = largest(chars.len(), |n| {
            fits(&chars[..n].iter().collect::<String>())
        })
        .unwrap_or(0);
        chars[..n].iter().collect()
    });
    Composed {
        language: t.lang,
        sms,
        full,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 29, 1, 30, 0)
            .single()
            .unwrap()
    }

    fn ctx<'a>(loc: Option<&'a Location>, note: Option<&'a str>) -> MessageContext<'a> {
        MessageContext {
            kind: MessageKind::Alert,
            reason: Some(AlertReason::Button),
            silent: false,
            sender_name: Some("Ana"),
            at: at(),
            location: loc,
            note,
        }
    }

    #[test]
    fn alert_with_location_names_who_when_where() {
        let loc = Location {
            accuracy_m: Some(24.6),
            ..Location::new(52.370216, 4.895168)
        };
        let m = compose("en", &ctx(Some(&loc), Some("Hotel Krasnapolsky, room 12")));
        assert_eq!(
            m.sms,
            "ALERT: Ana needs help.\n2026-03-29 01:30 UTC\n52.37022,4.89517 (accuracy 25 m) \
             https://www.openstreetmap.org/?mlat=52.37022&mlon=4.89517#map=17/52.37022/4.89517\n\
             Note: Hotel Krasnapolsky, room 12"
        );
        assert_eq!(m.sms, m.full);
        assert!(segments::fits(&m.sms, 2));
    }

    #[test]
    fn unknown_location_is_said() {
        let m = compose("nl", &ctx(None, None));
        assert_eq!(m.language, "nl");
        assert!(m.sms.contains("Locatie onbekend."), "{}", m.sms);
        assert!(m.sms.starts_with("ALARM: Ana"));
    }

    #[test]
    fn long_notes_are_cut_for_sms_but_not_for_push() {
        let loc = Location::new(-33.86882, 151.20929);
        let note = "a long note ".repeat(80);
        let m = compose("en", &ctx(Some(&loc), Some(note.trim())));
        assert!(segments::segments(&m.sms) <= 2, "{}", m.sms);
        assert!(m.sms.contains("Note: a long note"));
        assert!(m.sms.ends_with("..."));
        assert!(m.sms.contains("mlat=-33.86882"));
        assert!(m.full.ends_with("a long note"));
        // GSM-7 kept: the SMS uses the 306-septet budget.
        assert!(m.sms.chars().count() > 250);
    }

    #[test]
    fn ucs2_languages_and_notes_fit_two_segments() {
        let loc = Location {
            accuracy_m: Some(1500.0),
            ..Location::new(50.45466, 30.5238)
        };
        for lang in i18n::languages() {
            for note in [None, Some("Клиент, готель «Дніпро» 😀 ".repeat(30))]
            {
                for name in ["Ana", "Олександра-Вікторія Коваленко-Шевченко 😀😀"]
                {
                    let mut c = ctx(Some(&loc), note.as_deref());
                    c.sender_name = Some(name);
                    for reason in [
                        AlertReason::Button,
                        AlertReason::MissedCheckIn,
                        AlertReason::Duress,
                    ] {
                        c.reason = Some(reason);
                        for kind in [
                            MessageKind::Alert,
                            MessageKind::Location,
                            MessageKind::Safe,
                            MessageKind::Test,
                        ] {
                            c.kind = kind;
                            let m = compose(lang, &c);
                            assert!(
                                segments::segments(&m.sms) <= 2,
                                "{lang} {kind:?}: {} segments: {}",
                                segments::segments(&m.sms),
                                m.sms
                            );
                            assert!(!m.sms.is_empty());
                            if kind == MessageKind::Alert {
                                assert!(m.sms.contains("openstreetmap.org"), "{lang}: {}", m.sms);
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_non_gsm_note_is_dropped_before_it_forces_ucs2_cuts_elsewhere() {
        let loc = Location::new(52.1, 4.3);
        let m = compose("en", &ctx(Some(&loc), Some(&"ж".repeat(400))));
        assert!(segments::segments(&m.sms) <= 2);
        assert!(m.sms.contains("ALERT: Ana needs help."));
    }

    #[test]
    fn safe_and_test_messages() {
        let mut c = ctx(None, None);
        c.kind = MessageKind::Safe;
        assert_eq!(
            compose("en", &c).sms,
            "Ana is safe. The alert of 2026-03-29 01:30 UTC is over."
        );
        c.kind = MessageKind::Test;
        c.sender_name = None;
        assert!(compose("sv", &c).sms.starts_with("Test: Din kontakt"));
    }
}
