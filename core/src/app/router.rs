//! Where the engine meets the platform: the SMS sender the app installs on
//! the alert engine (it turns each SMS into an effect, or refuses it) and the
//! notes' second-passphrase hook (a silent alert).

use super::capabilities::{sms_route, Permission, SmsRoute};
use super::effects::Effect;
use super::runtime::Shared;
use crate::alerts::{Alerts, SmsOutcome, SmsRequest, SmsSender};
use crate::error::{Error, Result};
use crate::journal::{DuressHook, Journal};
use std::sync::Arc;

/// Routes each SMS the engine sends, as the capabilities and permissions allow.
struct Router {
    shared: Arc<Shared>,
}

impl SmsSender for Router {
    fn send(&self, r: &SmsRequest) -> Result<SmsOutcome> {
        let status = self.shared.permission(Permission::Sms);
        match sms_route(&self.shared.caps, status, r.silent) {
            SmsRoute::Silent => {
                self.shared.push(Effect::SendSms {
                    delivery_id: r.delivery_id.clone(),
                    phone: r.phone.clone(),
                    text: r.text.clone(),
                });
                Ok(SmsOutcome::AwaitingReport)
            }
            SmsRoute::Composer => Ok(SmsOutcome::NeedsUserAction),
            SmsRoute::Wait(reason) => Err(Error::Platform(reason.into())),
            SmsRoute::Impossible(_) => Ok(SmsOutcome::CannotSend),
        }
    }
}

/// The second passphrase's silent alert. Queued durably before the notes
/// answer; sent by the wake-up the plan schedules at once, or here and now
/// when the profile is erased next (the erase destroys the outbox).
struct SecondPassphrase {
    alerts: Arc<Alerts>,
}

impl DuressHook for SecondPassphrase {
    fn on_duress(&self, erase_follows: bool) -> Result<()> {
        self.alerts.trigger_duress()?;
        if erase_follows {
            self.alerts.flush_outbox()?;
        }
        Ok(())
    }
}

/// Installs both on the engine and the notes.
pub(crate) fn install(alerts: &Arc<Alerts>, journal: &Journal, shared: Arc<Shared>) {
    alerts.set_sms_sender(Some(Arc::new(Router { shared })));
    journal.set_duress_hook(Some(Arc::new(SecondPassphrase {
        alerts: alerts.clone(),
    })));
}
