//! Duress: what a duress passphrase does is the user's choice, stored only
//! inside its key slot. The alert side is a hook that the alerts feature
//! implements ([`DuressHook`]).

use super::slots::flags;
use crate::error::{Error, Result};

/// What the duress passphrase does. At least one must be chosen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DuressActions {
    /// Open a decoy journal that looks normal (its own, separate entries).
    pub open_decoy: bool,
    /// Silently trigger the panic alert (through the [`DuressHook`]).
    pub alert: bool,
    /// Wipe the profile (after the alert, if any, has been handed over).
    pub wipe: bool,
}

impl DuressActions {
    /// The slot flags.
    pub fn to_flags(self) -> Result<u8> {
        if !(self.open_decoy || self.alert || self.wipe) {
            return Err(Error::invalid(
                "choose at least one duress action (decoy, alert or wipe)",
            ));
        }
        let mut f = 0;
        if self.open_decoy {
            f |= flags::DECOY;
        }
        if self.alert {
            f |= flags::ALERT;
        }
        if self.wipe {
            f |= flags::WIPE;
        }
        Ok(f)
    }

    /// Reads slot flags.
    pub fn from_flags(f: u8) -> Self {
        DuressActions {
            open_decoy: f & flags::DECOY != 0,
            alert: f & flags::ALERT != 0,
            wipe: f & flags::WIPE != 0,
        }
    }
}

/// Called when the duress passphrase is entered and the user chose to alert.
///
/// Implemented by the alerts feature (`alerts::duress::DuressAlert`).
/// `on_duress` runs on the thread that called `unlock`, before the journal
/// answers, and returns as soon as the alert is durably queued, so the unlock
/// takes no longer than usual. When `wipe_follows` is true the wipe deletes
/// every table, so the alert must first be stored where the wipe keeps it
/// (the alerts' hand-over file) and sent from there in the background.
/// It must be silent: no UI, nothing that shows on screen. Its error is
/// swallowed (the person holding the phone must see nothing different).
pub trait DuressHook: Send + Sync {
    /// Triggers the silent alert.
    fn on_duress(&self, wipe_follows: bool) -> Result<()>;
}
