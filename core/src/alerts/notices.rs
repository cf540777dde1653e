//! The plain warnings a shell shows where the user sets up something that
//! has a privacy cost, so that no shell has to write (or forget) them.
//!
//! English only for now; other languages fall back to English until reviewed
//! translations exist (a wrong warning is worse than an English one).

/// Which warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SetupNotice {
    /// Where silent or duress alerts by SMS are set up: an SMS sent by an
    /// app that is not the default SMS app is kept in the "Sent" folder.
    SilentSms,
    /// Where a Matrix contact or account is set up: no end-to-end encryption yet.
    Matrix,
}

const SILENT_SMS_EN: &str =
    "A text message sent by this app is kept in your phone's Messages app, \
in the \"Sent\" list, unless this app is your default SMS app. Anyone who looks through \
your messages can read it, and your phone company can too. You can agree on a code phrase \
with a contact, something ordinary like \"Did you water my plants?\". A silent alert then \
sends that contact only the phrase by SMS, and nothing else goes to them by SMS afterwards \
(no location, no all-clear): their other channels still get the full alert.";

const MATRIX_EN: &str = "Alerts to Matrix contacts are not end-to-end encrypted yet. Whoever runs \
your Matrix server, and your contact's server, can read them: the alert text, your note and \
your location. Use a server run by an organisation you trust, ideally the same one for you \
and your contacts. The server also holds your check-in alert until it is due, which is \
what lets it go out if your phone is taken or switched off.";

/// The text of `notice` in `language` (BCP-47; English when no reviewed
/// translation exists).
pub fn setup_notice(notice: SetupNotice, _language: &str) -> &'static str {
    match notice {
        SetupNotice::SilentSms => SILENT_SMS_EN,
        SetupNotice::Matrix => MATRIX_EN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_say_what_matters_and_name_no_app() {
        let sms = setup_notice(SetupNotice::SilentSms, "en");
        assert!(sms.contains("\"Sent\""));
        assert!(sms.contains("default SMS app"));
        assert!(sms.contains("code phrase"));
        let matrix = setup_notice(SetupNotice::Matrix, "nl");
        assert!(matrix.contains("not end-to-end encrypted"));
        assert!(matrix.contains("can read them"));
        for text in [sms, matrix] {
            assert!(!text.to_lowercase().contains("parasol"), "{text}");
        }
    }
}
