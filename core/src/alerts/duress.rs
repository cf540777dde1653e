//! The journal's duress passphrase raising a silent alert.
//!
//! [`DuressAlert`] implements the journal's [`DuressHook`]: it queues a silent
//! alert with reason "duress" (durably, before returning), and the
//! deliveries go out on a background thread, so the unlock takes no longer
//! than a normal one whatever the network does. If the duress passphrase also
//! wipes the profile, the deliveries are first copied into the hand-over file
//! ([`super::handover`]), which the wipe keeps until they are delivered or
//! expire: an alert raised offline, or to a slow receiver, still leaves later
//! (the background thread, then every flush after the app starts again).

use super::Alerts;
use crate::error::Result;
use crate::journal::{DuressHook, Journal};
use std::sync::Arc;
use std::time::Duration;

/// How long the unlock waits for the background send before it goes on (a
/// fast receiver is done by then; a slow one is not waited for).
pub const HANDOVER_WAIT: Duration = Duration::from_millis(250);

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
        let status = self.alerts.trigger_duress()?;
        let alerts = self.alerts.clone();
        if wipe_follows {
            alerts.hand_over(&status.id)?;
            let (done, finished) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let _ = alerts.send_handover(true);
                let _ = done.send(());
            });
            let _ = finished.recv_timeout(HANDOVER_WAIT);
        } else {
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
