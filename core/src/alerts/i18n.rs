//! The texts of alert messages, per language. A contact's language picks the
//! table (by primary subtag: "pt-br" uses "pt"); unknown languages get English.
//!
//! Placeholders: `{name}` (the user's name), `{time}` (the alert's time),
//! `{m}` (metres). Texts stay short: an SMS has at most two segments.

/// The texts for one language.
#[derive(Debug)]
pub(crate) struct Texts {
    /// The language tag these texts are in.
    pub lang: &'static str,
    /// First line of an alert (button, not silent).
    pub alert: &'static str,
    /// First line of a silent alert (silent button, duress).
    pub alert_silent: &'static str,
    /// First line of a missed check-in alert.
    pub alert_missed: &'static str,
    /// When no location is known.
    pub location_unknown: &'static str,
    /// Location accuracy.
    pub accuracy: &'static str,
    /// Label before the user's note.
    pub note: &'static str,
    /// First line of a location follow-up.
    pub location_update: &'static str,
    /// The "I'm safe" follow-up.
    pub safe: &'static str,
    /// A test message.
    pub test: &'static str,
    /// Stands in for the user's name when none is set.
    pub default_name: &'static str,
}

const EN: Texts = Texts {
    lang: "en",
    alert: "ALERT: {name} needs help.",
    alert_silent: "ALERT: {name} needs help and may be unable to talk.",
    alert_missed: "ALERT: {name} did not check in as planned and may need help.",
    location_unknown: "Location unknown.",
    accuracy: "accuracy {m} m",
    note: "Note",
    location_update: "Location update from {name}:",
    safe: "{name} is safe. The alert of {time} is over.",
    test: "Test: {name} added you as a trusted contact for safety alerts. No action needed.",
    default_name: "Your contact",
};

const NL: Texts = Texts {
    lang: "nl",
    alert: "ALARM: {name} heeft hulp nodig.",
    alert_silent: "ALARM: {name} heeft hulp nodig en kan misschien niet praten.",
    alert_missed: "ALARM: {name} heeft zich niet op tijd gemeld en heeft misschien hulp nodig.",
    location_unknown: "Locatie onbekend.",
    accuracy: "nauwkeurigheid {m} m",
    note: "Notitie",
    location_update: "Nieuwe locatie van {name}:",
    safe: "{name} is veilig. Het alarm van {time} is voorbij.",
    test: "Test: {name} heeft je toegevoegd als vertrouwd contact voor noodmeldingen. Je hoeft niets te doen.",
    default_name: "Je contact",
};

const SV: Texts = Texts {
    lang: "sv",
    alert: "LARM: {name} behöver hjälp.",
    alert_silent: "LARM: {name} behöver hjälp och kan kanske inte prata.",
    alert_missed: "LARM: {name} hörde inte av sig som planerat och kan behöva hjälp.",
    location_unknown: "Plats okänd.",
    accuracy: "noggrannhet {m} m",
    note: "Anteckning",
    location_update: "Ny plats från {name}:",
    safe: "{name} är i säkerhet. Larmet från {time} är över.",
    test:
        "Test: {name} har lagt till dig som betrodd kontakt för larm. Du behöver inte göra något.",
    default_name: "Din kontakt",
};

const PL: Texts = Texts {
    lang: "pl",
    alert: "ALARM: {name} potrzebuje pomocy.",
    alert_silent: "ALARM: {name} potrzebuje pomocy i może nie móc rozmawiać.",
    alert_missed: "ALARM: {name} nie odezwał(a) się na czas i może potrzebować pomocy.",
    location_unknown: "Lokalizacja nieznana.",
    accuracy: "dokładność {m} m",
    note: "Notatka",
    location_update: "Nowa lokalizacja ({name}):",
    safe: "{name} jest bezpieczny/a. Alarm z {time} jest zakończony.",
    test: "Test: {name} dodał(a) Cię jako zaufany kontakt do alarmów. Nic nie musisz robić.",
    default_name: "Twój kontakt",
};

const HR: Texts = Texts {
    lang: "hr",
    alert: "HITNO: {name} treba pomoć.",
    alert_silent: "HITNO: {name} treba pomoć i možda ne može razgovarati.",
    alert_missed: "HITNO: {name} se nije javio/la na vrijeme i možda treba pomoć.",
    location_unknown: "Lokacija nepoznata.",
    accuracy: "točnost {m} m",
    note: "Bilješka",
    location_update: "Nova lokacija ({name}):",
    safe: "{name} je na sigurnom. Uzbuna od {time} je gotova.",
    test: "Test: {name} te dodao/la kao kontakt od povjerenja za uzbune. Ne trebaš ništa učiniti.",
    default_name: "Tvoj kontakt",
};

const RO: Texts = Texts {
    lang: "ro",
    alert: "ALERTĂ: {name} are nevoie de ajutor.",
    alert_silent: "ALERTĂ: {name} are nevoie de ajutor și poate nu poate vorbi.",
    alert_missed: "ALERTĂ: {name} nu a confirmat la timp și poate are nevoie de ajutor.",
    location_unknown: "Locație necunoscută.",
    accuracy: "precizie {m} m",
    note: "Notă",
    location_update: "Locație nouă ({name}):",
    safe: "{name} este în siguranță. Alerta din {time} s-a încheiat.",
    test: "Test: {name} te-a adăugat ca persoană de încredere pentru alerte. Nu trebuie să faci nimic.",
    default_name: "Contactul tău",
};

const ES: Texts = Texts {
    lang: "es",
    alert: "ALERTA: {name} necesita ayuda.",
    alert_silent: "ALERTA: {name} necesita ayuda y quizá no pueda hablar.",
    alert_missed: "ALERTA: {name} no se reportó a tiempo y puede necesitar ayuda.",
    location_unknown: "Ubicación desconocida.",
    accuracy: "precisión {m} m",
    note: "Nota",
    location_update: "Nueva ubicación de {name}:",
    safe: "{name} está a salvo. La alerta de {time} ha terminado.",
    test: "Prueba: {name} te añadió como contacto de confianza para alertas. No tienes que hacer nada.",
    default_name: "Tu contacto",
};

const UK: Texts = Texts {
    lang: "uk",
    alert: "ТРИВОГА: {name} потребує допомоги.",
    alert_silent: "ТРИВОГА: {name} потребує допомоги і, можливо, не може говорити.",
    alert_missed:
        "ТРИВОГА: {name} не вийшов/вийшла на зв'язок вчасно і, можливо, потребує допомоги.",
    location_unknown: "Місцезнаходження невідоме.",
    accuracy: "точність {m} м",
    note: "Примітка",
    location_update: "Місцезнаходження ({name}):",
    safe: "{name} у безпеці. Тривога ({time}) завершена.",
    test: "Тест: {name} додав(ла) вас як довірений контакт для тривог. Нічого робити не потрібно.",
    default_name: "Ваш контакт",
};

const RU: Texts = Texts {
    lang: "ru",
    alert: "ТРЕВОГА: {name} нуждается в помощи.",
    alert_silent: "ТРЕВОГА: {name} нуждается в помощи и, возможно, не может говорить.",
    alert_missed: "ТРЕВОГА: {name} не вышел(ла) на связь вовремя и, возможно, нуждается в помощи.",
    location_unknown: "Местоположение неизвестно.",
    accuracy: "точность {m} м",
    note: "Заметка",
    location_update: "Местоположение ({name}):",
    safe: "{name} в безопасности. Тревога ({time}) завершена.",
    test: "Тест: {name} добавил(а) вас как доверенный контакт для тревог. Ничего делать не нужно.",
    default_name: "Ваш контакт",
};

const ALL: &[&Texts] = &[&EN, &NL, &SV, &PL, &HR, &RO, &ES, &UK, &RU];

/// The texts for `language` (a BCP-47 tag), English when we have none.
pub(crate) fn texts(language: &str) -> &'static Texts {
    let primary = language.split('-').next().unwrap_or("en");
    ALL.iter()
        .copied()
        .find(|t| t.lang.eq_ignore_ascii_case(primary))
        .unwrap_or(&EN)
}

/// The languages alert messages are written in.
pub fn languages() -> Vec<&'static str> {
    ALL.iter().map(|t| t.lang).collect()
}

/// Replaces `{key}` placeholders in one pass, so values that themselves
/// contain `{...}` are never expanded again.
pub(crate) fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match values.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_falls_back_to_english() {
        assert_eq!(texts("nl").lang, "nl");
        assert_eq!(texts("sr-latn").lang, "en");
        assert_eq!(texts("uk").lang, "uk");
        assert_eq!(texts("").lang, "en");
    }

    #[test]
    fn every_language_has_every_placeholder_it_needs() {
        for t in ALL {
            for s in [
                t.alert,
                t.alert_silent,
                t.alert_missed,
                t.location_update,
                t.test,
            ] {
                assert!(s.contains("{name}"), "{}: {s}", t.lang);
            }
            assert!(
                t.safe.contains("{name}") && t.safe.contains("{time}"),
                "{}",
                t.lang
            );
            assert!(t.accuracy.contains("{m}"), "{}", t.lang);
        }
    }

    #[test]
    fn fill_is_single_pass() {
        assert_eq!(
            fill("{name} at {time}", &[("name", "{time}"), ("time", "12:00")]),
            "{time} at 12:00"
        );
        assert_eq!(fill("{x} {", &[]), "{x} {");
    }
}
