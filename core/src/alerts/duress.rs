//! The journal's duress passphrase raising a silent alert.
//!
//! [`DuressAlert`] implements the journal's [`DuressHook`]: it queues a silent
//! alert with reason "duress" (durably, before returning). If the duress
//! passphrase also wipes the profile, it first hands every delivery to its
//! channel once (SMS to the platform, webhook and push over the network),
//! because the wipe destroys the outbox. Otherwise the deliveries go out on a
//! background thread, so the decoy unlock takes no longer than a normal one.

use super::Alerts;
use crate::error::Result;
use crate::journal::{DuressHook, Journal};
use std::sync::Arc;

/// Raises a silent alert when the journal's duress passphrase is used.
pub struct DuressAlert {
    alerts: Arc<Alerts>,
}

impl DuressAlert {
    /// A hook that alerts through `alerts`.
    pub fn new(alerts: Arc<Alerts>) -> Self {
        DuressAlert { alerts }
    }
}

impl DuressHook for DuressAlert {
    fn on_duress(&self, wipe_follows: bool) -> Result<()> {
        self.alerts.trigger_duress()?;
        if wipe_follows {
            self.alerts.flush_outbox()?;
        } else {
            let alerts = self.alerts.clone();
            std::thread::spawn(move || {
                let _ = alerts.flush_outbox();
            });
        }
        Ok(())
    }
}

/// Connects `journal`'s duress passphrase to `alerts`.
pub fn connect(journal: &Journal, alerts: Arc<Alerts>) {
    journal.set_duress_hook(Some(Arc::new(DuressAlert::new(alerts))));
}
