//! The contacts screen: add (input normalised), remove, send a test, and
//! for each contact which channels carry a visible or a silent alert on
//! this phone.

use super::capabilities::{coverage, Permission};
use super::events::ContactForm;
use super::runtime::Ctx;
use super::view::{ContactRow, ContactsView, Notice};
use crate::error::Result;

/// Adds a contact. A phone number is when SMS (and location, for the alert)
/// become worth asking for.
pub(crate) fn add(ctx: &mut Ctx<'_>, form: &ContactForm) -> Result<()> {
    let c = ctx.parts.alerts.add_contact(&form.to_input())?;
    if c.phone.is_some() && ctx.caps().silent_sms {
        ctx.nudge(Permission::Sms);
    }
    ctx.nudge(Permission::Location);
    ctx.notice = Some(Notice::Saved);
    Ok(())
}

/// Queues a test message (it goes with the wake-up the plan schedules at once).
pub(crate) fn test(ctx: &mut Ctx<'_>, id: &str) -> Result<()> {
    ctx.parts.alerts.test_contact(id)?;
    ctx.notice = Some(Notice::TestQueued);
    Ok(())
}

/// Every contact with its coverage.
pub(crate) fn rows(ctx: &Ctx<'_>) -> Result<Vec<ContactRow>> {
    let sms = ctx.permission(Permission::Sms);
    Ok(ctx
        .parts
        .alerts
        .contacts()?
        .iter()
        .map(|c| {
            let cov = coverage(c, &ctx.caps(), sms);
            ContactRow {
                id: c.id.clone(),
                name: c.name.clone(),
                channels: c.channels(),
                triggers: c.triggers,
                visible: cov.visible,
                sms_needs_tap: cov.sms_needs_tap,
                silent: cov.silent,
                silent_sms_waits: cov.silent_sms_waits,
            }
        })
        .collect())
}

/// The screen.
pub(crate) fn view(ctx: &Ctx<'_>) -> Result<ContactsView> {
    Ok(ContactsView { rows: rows(ctx)? })
}
