//! The contacts screen: the form (new or edit, input normalised, fields the
//! form does not show kept), remove, send a test, for each contact which
//! channels carry a visible or a silent alert on this phone, and the plain
//! privacy notices where a Matrix or a silent-SMS contact is set up.

use super::capabilities::{coverage, Capabilities, Permission};
use super::events::ContactForm;
use super::runtime::Ctx;
use super::view::{ContactEditor, ContactRow, ContactsView, Notice, SetupNotice};
use crate::alerts::{Channel, Contact};
use crate::error::Result;

/// The screen's own state (memory only): the open form.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// The contact edited (`None`: a new one) and the form.
    editor: Option<(Option<String>, ContactForm)>,
}

impl State {
    /// Closes the form.
    pub(crate) fn close(&mut self) {
        self.editor = None;
    }

    /// Whether the form is open.
    pub(crate) fn editing(&self) -> bool {
        self.editor.is_some()
    }

    /// Opens an empty form.
    pub(crate) fn new_contact(&mut self) {
        self.editor = Some((None, ContactForm::default()));
    }
}

/// Opens the form filled in with contact `id`.
pub(crate) fn edit(ctx: &Ctx<'_>, st: &mut State, id: &str) -> Result<()> {
    let c = ctx.parts.alerts.contact(id)?;
    st.editor = Some((Some(c.id.clone()), ContactForm::of(&c)));
    Ok(())
}

fn after_save(ctx: &mut Ctx<'_>, st: &mut State, c: &Contact) {
    if c.phone.is_some() && ctx.caps().silent_sms {
        ctx.nudge(Permission::Sms);
    }
    ctx.nudge(Permission::Location);
    ctx.notice = Some(Notice::Saved);
    st.close();
}

/// Adds a contact. A phone number is when SMS (and location, for the alert)
/// become worth asking for.
pub(crate) fn add(ctx: &mut Ctx<'_>, st: &mut State, form: &ContactForm) -> Result<()> {
    let c = ctx.parts.alerts.add_contact(&form.to_input())?;
    after_save(ctx, st, &c);
    Ok(())
}

/// Saves an edit: what the form shows as typed, the rest (push) as it was.
pub(crate) fn update(
    ctx: &mut Ctx<'_>,
    st: &mut State,
    id: &str,
    form: &ContactForm,
) -> Result<()> {
    let existing = ctx.parts.alerts.contact(id)?;
    let c = ctx
        .parts
        .alerts
        .update_contact(id, &form.to_update(&existing))?;
    after_save(ctx, st, &c);
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

/// The notices for the form: Matrix always (the field is there), the SMS
/// one where this phone sends silent SMS.
pub(crate) fn editor_notices(caps: &Capabilities) -> Vec<SetupNotice> {
    let mut n = vec![SetupNotice::Matrix];
    if caps.silent_sms {
        n.push(SetupNotice::SilentSms);
    }
    n
}

/// The notices for the list: what the contacts set up cost in privacy.
pub(crate) fn list_notices(caps: &Capabilities, contacts: &[Contact]) -> Vec<SetupNotice> {
    let mut n = Vec::new();
    if contacts.iter().any(|c| c.matrix_id.is_some()) {
        n.push(SetupNotice::Matrix);
    }
    // Any SMS this app sends by itself lands in the Sent folder.
    let silent_sms = contacts
        .iter()
        .any(|c| c.channels().contains(&Channel::Sms));
    if caps.silent_sms && silent_sms {
        n.push(SetupNotice::SilentSms);
    }
    n
}

/// The screen.
pub(crate) fn view(ctx: &Ctx<'_>, st: &State) -> Result<ContactsView> {
    let caps = ctx.caps();
    Ok(ContactsView {
        rows: rows(ctx)?,
        editor: st.editor.as_ref().map(|(id, form)| ContactEditor {
            id: id.clone(),
            form: form.clone(),
            code_phrase_offered: caps.silent_sms,
            notices: editor_notices(&caps),
        }),
        notices: list_notices(&caps, &ctx.parts.alerts.contacts()?),
    })
}
