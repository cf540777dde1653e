//! The [`App`]: takes events, updates the model, returns effects; builds the
//! view on demand. One lock serialises events, except the due work of a
//! wake-up (sending, which may wait on the network): that runs first,
//! outside the lock, so "I'm safe" never waits behind a slow server.

use super::capabilities::{Capabilities, Permission, PermissionStatus, Permissions};
use super::effects::Effect;
use super::events::Event;
use super::planner::{self, Applied, Inputs};
use super::router;
use super::view::{Body, NotesView, Notice, Screen, ViewModel};
use super::{alert, checkin, contacts, helplines, hold, notes, policies, rights, settings};
use crate::alerts::{AlertState, Alerts, DeliveryState};
use crate::error::Result;
use crate::journal::Journal;
use crate::profile::Profile;
use chrono::{DateTime, Utc};
use std::sync::{Arc, Mutex, MutexGuard};

/// The setting that holds the disguise.
const DISGUISE_SETTING: &str = "app.disguised";

/// What the platform told us, shared with the SMS router (which runs inside
/// the engine's flush, outside the model lock).
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) caps: Capabilities,
    platform: Mutex<Platform>,
    pending: Mutex<Vec<Effect>>,
}

#[derive(Debug, Default)]
struct Platform {
    permissions: Permissions,
    foreground: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Shared {
    pub(crate) fn permission(&self, p: Permission) -> PermissionStatus {
        lock(&self.platform).permissions.get(p)
    }

    /// An effect raised outside an event's own code (the SMS router).
    pub(crate) fn push(&self, e: Effect) {
        lock(&self.pending).push(e);
    }

    fn take(&self) -> Vec<Effect> {
        std::mem::take(&mut *lock(&self.pending))
    }
}

/// The parts of the core the app drives.
pub(crate) struct Parts {
    pub(crate) profile: Arc<Profile>,
    pub(crate) alerts: Arc<Alerts>,
    pub(crate) journal: Arc<Journal>,
    pub(crate) shared: Arc<Shared>,
}

/// What an event handler works with.
pub(crate) struct Ctx<'a> {
    pub(crate) parts: &'a Parts,
    pub(crate) now: DateTime<Utc>,
    pub(crate) fx: Vec<Effect>,
    pub(crate) notice: Option<Notice>,
}

impl Ctx<'_> {
    pub(crate) fn caps(&self) -> Capabilities {
        self.parts.shared.caps
    }

    pub(crate) fn permission(&self, p: Permission) -> PermissionStatus {
        self.parts.shared.permission(p)
    }

    pub(crate) fn worth_asking(&self, p: Permission) -> bool {
        lock(&self.parts.shared.platform)
            .permissions
            .worth_asking(p)
    }

    pub(crate) fn foreground(&self) -> bool {
        lock(&self.parts.shared.platform).foreground
    }

    /// Asks for `p` if it is missing and may still be asked.
    pub(crate) fn nudge(&mut self, p: Permission) {
        if self.worth_asking(p) {
            self.fx.push(Effect::RequestPermission {
                permission: p,
                open_settings: p == Permission::ExactAlarms,
            });
        }
    }
}

/// The whole app's state (memory only; everything durable is in the profile).
#[derive(Debug)]
pub(crate) struct Model {
    screen: Screen,
    notice: Option<Notice>,
    pub(crate) disguised: bool,
    alert: alert::State,
    hold: hold::State,
    checkin: checkin::State,
    contacts: contacts::State,
    rights: rights::State,
    notes: notes::State,
    settings: settings::State,
    applied: Applied,
    secure_applied: Option<bool>,
    just_woke: bool,
    erased: bool,
}

impl Model {
    fn start_screen(&self) -> Screen {
        if self.disguised {
            Screen::Notes
        } else {
            Screen::Alert
        }
    }
}

/// The headless app. `Send + Sync`; `update` may block (disk, key
/// derivation, network): shells call it off the UI thread.
pub struct App {
    parts: Parts,
    model: Mutex<Model>,
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("capabilities", &self.parts.shared.caps)
            .finish_non_exhaustive()
    }
}

impl App {
    /// The app over a profile's engine and notes, for a shell that can do
    /// what `caps` says. Takes over the engine's SMS sender and the notes'
    /// second-passphrase hook (the app routes both).
    pub fn new(
        profile: Arc<Profile>,
        alerts: Arc<Alerts>,
        journal: Arc<Journal>,
        caps: Capabilities,
    ) -> Result<App> {
        let shared = Arc::new(Shared {
            caps,
            platform: Mutex::new(Platform::default()),
            pending: Mutex::new(Vec::new()),
        });
        router::install(&alerts, &journal, shared.clone());
        let disguised = profile.store().setting(DISGUISE_SETTING)?.as_deref() == Some("1");
        let mut model = Model {
            screen: Screen::Alert,
            notice: None,
            disguised,
            alert: alert::State::default(),
            hold: hold::State::default(),
            checkin: checkin::State::default(),
            contacts: contacts::State::default(),
            rights: rights::State::default(),
            notes: notes::State::default(),
            settings: settings::State::default(),
            applied: Applied::default(),
            secure_applied: None,
            just_woke: false,
            erased: false,
        };
        model.screen = model.start_screen();
        Ok(App {
            parts: Parts {
                profile,
                alerts,
                journal,
                shared,
            },
            model: Mutex::new(model),
        })
    }

    /// What the shell declared it can do.
    pub fn capabilities(&self) -> Capabilities {
        self.parts.shared.caps
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            parts: &self.parts,
            now: self.parts.profile.clock().now(),
            fx: Vec::new(),
            notice: None,
        }
    }

    /// Handles one event; returns the effects for the shell to perform.
    pub fn update(&self, event: Event) -> Vec<Effect> {
        let due_first = match &event {
            Event::WokeUp { .. } => true,
            Event::TimerElapsed => lock(&self.model).alert.countdown_due(&self.ctx()),
            _ => false,
        };
        if due_first {
            // Failures are retried by the next wake-up, which the plan keeps.
            let _ = self.parts.alerts.tick();
        }
        let mut m = lock(&self.model);
        let mut ctx = self.ctx();
        if m.erased {
            return vec![Effect::Restart];
        }
        if user_action(&event) {
            m.notice = None;
        }
        if let Event::WokeUp { needs_network } = event {
            m.applied.consumed(needs_network);
            m.just_woke = true;
        }
        if let Err(e) = dispatch(&mut ctx, &mut m, event) {
            m.notice = Some(Notice::from_error(&e));
        }
        if let Some(n) = ctx.notice.take() {
            m.notice = Some(n);
        }
        if ctx.fx.contains(&Effect::Restart) {
            // Erased: hand over what the second passphrase sent, then start
            // afresh. The disguise stays: undisguising now would show what
            // the app is to whoever made it erase itself.
            m.erased = true;
            if m.disguised {
                let _ = self
                    .parts
                    .profile
                    .store()
                    .set_setting(DISGUISE_SETTING, "1");
            }
            let mut fx = self.parts.shared.take();
            fx.extend(ctx.fx.into_iter().filter(|e| *e != Effect::Restart));
            fx.push(Effect::Restart);
            return fx;
        }
        if let Err(e) = after(&mut ctx, &mut m) {
            m.notice = Some(Notice::from_error(&e));
        }
        let mut fx = ctx.fx;
        fx.extend(self.parts.shared.take());
        fx
    }

    /// What to show now.
    pub fn view(&self) -> ViewModel {
        let m = lock(&self.model);
        let ctx = self.ctx();
        let mut notice = m.notice;
        let (screen, (body, refresh)) = if m.erased {
            (Screen::Notes, (Body::Notes(NotesView::Setup), None))
        } else {
            match body(&ctx, &m) {
                Ok(b) => (m.screen, b),
                Err(e) => {
                    // Nothing readable could be built: a neutral screen, and
                    // a look again in a second.
                    notice = Some(Notice::from_error(&e));
                    let locked = NotesView::Locked {
                        failed_attempts: 0,
                        erase_after: None,
                    };
                    (Screen::Notes, (Body::Notes(locked), Some(1000)))
                }
            }
        };
        ViewModel {
            screen,
            tabs: tabs(m.disguised),
            secure: policies_secure(screen),
            disguised: m.disguised,
            notice,
            refresh_in_ms: refresh,
            body,
        }
    }
}

/// Every screen blocks screenshots and previews.
fn policies_secure(_screen: Screen) -> bool {
    true
}

fn tabs(disguised: bool) -> Vec<Screen> {
    let mut t = vec![
        Screen::Alert,
        Screen::Checkin,
        Screen::Helplines,
        Screen::Rights,
        Screen::Notes,
    ];
    if disguised {
        t.rotate_right(1);
    }
    t
}

/// Events the user caused (they clear the last notice).
fn user_action(e: &Event) -> bool {
    !matches!(
        e,
        Event::TimerElapsed
            | Event::WokeUp { .. }
            | Event::SmsResult { .. }
            | Event::LocationResult { .. }
            | Event::PermissionResult { .. }
            | Event::Resumed { .. }
            | Event::Backgrounded
    )
}

fn set_permissions(ctx: &Ctx<'_>, list: &[(Permission, PermissionStatus)]) {
    let mut p = lock(&ctx.parts.shared.platform);
    for (perm, status) in list {
        p.permissions.set(*perm, *status);
    }
}

fn set_foreground(ctx: &Ctx<'_>, on: bool) {
    lock(&ctx.parts.shared.platform).foreground = on;
}

/// Leaves the sensitive state behind: notes locked, answers forgotten.
fn hide(ctx: &mut Ctx<'_>, m: &mut Model) {
    ctx.parts.journal.lock();
    m.notes.forget();
    m.rights.forget_answers();
    m.alert.release();
}

fn dispatch(ctx: &mut Ctx<'_>, m: &mut Model, event: Event) -> Result<()> {
    use Event as E;
    match event {
        E::Started { permissions } => {
            set_permissions(ctx, &permissions);
            set_foreground(ctx, true);
            m.applied.reset();
            m.secure_applied = None;
            m.screen = m.start_screen();
            alert::restore(ctx, &mut m.alert)?;
        }
        E::Resumed { permissions } => {
            set_permissions(ctx, &permissions);
            set_foreground(ctx, true);
        }
        E::Backgrounded => {
            set_foreground(ctx, false);
            hide(ctx, m);
        }
        E::TimerElapsed => {
            hold::keep_alive_if_due(ctx)?;
            alert::timer(ctx, &mut m.alert)?;
            settings::timer(ctx, &mut m.settings);
        }
        E::WokeUp { .. } => hold::keep_alive_if_due(ctx)?,
        E::Navigate { screen } => {
            if m.screen == Screen::Rights && screen != Screen::Rights {
                m.rights.forget_answers();
            }
            m.screen = screen;
        }
        E::Back => match m.screen {
            Screen::Rights => m.rights.back(),
            Screen::Notes => m.notes.close(),
            Screen::Contacts if m.contacts.editing() => m.contacts.close(),
            Screen::Contacts | Screen::Settings => m.screen = Screen::Notes,
            _ => {}
        },
        E::QuickExit => {
            hide(ctx, m);
            m.screen = m.start_screen();
            ctx.fx.push(Effect::QuickExit {
                cover_uri: policies::COVER_PAGE.into(),
            });
        }
        E::NotificationTapped { reason } => {
            // Opening the app is all a reminder does: never an alert.
            m.screen = match reason {
                super::effects::NotifyReason::SmsWaiting => Screen::Alert,
                _ => Screen::Checkin,
            };
        }
        E::PermissionResult { permission, status } => {
            set_permissions(ctx, &[(permission, status)]);
        }
        E::AllowPermission { permission } => {
            let forever = ctx.permission(permission) == PermissionStatus::DeniedForever;
            ctx.fx.push(Effect::RequestPermission {
                permission,
                open_settings: forever || permission == Permission::ExactAlarms,
            });
        }
        E::SmsResult {
            delivery_id,
            result,
        } => alert::sms_result(ctx, &mut m.alert, &delivery_id, result)?,
        E::LocationResult { fix } => {
            checkin::location(ctx, &mut m.checkin, fix)?;
            alert::location(ctx, &mut m.alert, fix)?;
        }
        E::HoldStarted => alert::hold_started(ctx, &mut m.alert),
        E::HoldReleased => alert::hold_released(&mut m.alert),
        E::TriggerNow => alert::trigger(ctx, &mut m.alert)?,
        E::CancelCountdown => alert::cancel(ctx, &mut m.alert)?,
        E::ImSafe => alert::im_safe(ctx, &mut m.alert)?,
        E::DismissAlert => alert::dismiss(ctx, &mut m.alert),
        E::StartHold { delay_seconds } => hold::start(ctx, delay_seconds)?,
        E::ReleaseHold => hold::release(ctx)?,
        E::ConfirmHold { pin } => hold::confirm(ctx, &pin)?,
        E::SetHoldPin { pin } => hold::set_pin(ctx, pin.as_ref())?,
        E::SendWaitingSms { delivery_id } => alert::compose(ctx, &mut m.alert, &delivery_id)?,
        E::StartCheckin { minutes } => checkin::start(ctx, &mut m.checkin, minutes)?,
        E::ExtendCheckin { minutes } => checkin::extend(ctx, &mut m.checkin, minutes)?,
        E::CheckIn => checkin::check_in(ctx)?,
        E::StopCheckin => checkin::stop(ctx)?,
        E::TapChannel {
            helpline_id,
            channel,
        } => helplines::tap(ctx, &helpline_id, channel)?,
        E::SelectCountry { code } => rights::select_country(ctx, &mut m.rights, &code)?,
        E::SetLanguages { languages } => rights::set_languages(ctx, &mut m.rights, &languages)?,
        E::OpenSection { id } => m.rights.open_section(id),
        E::Search { query } => rights::search(ctx, &mut m.rights, query)?,
        E::OpenHit {
            country,
            section_id,
        } => rights::open_hit(ctx, &mut m.rights, country, section_id)?,
        E::StartSelfCheck => rights::start_selfcheck(ctx, &mut m.rights)?,
        E::AnswerSelfCheck { answer } => m.rights.answer(answer),
        E::FinishSelfCheck => rights::finish_selfcheck(ctx, &mut m.rights)?,
        E::CloseSelfCheck => m.rights.forget_answers(),
        E::CreateNotes {
            passphrase,
            confirmation,
        } => notes::create(ctx, &passphrase, &confirmation)?,
        E::Unlock { passphrase } => notes::unlock(ctx, &mut m.notes, &passphrase)?,
        E::Lock => {
            ctx.parts.journal.lock();
            m.notes.forget();
        }
        E::SearchNotes { query } => m.notes.search(query),
        E::OpenEntry { id } => m.notes.open(id),
        E::NewEntry { kind } => m.notes.new_entry(kind),
        E::EditEntry { id } => m.notes.edit(id),
        E::SaveEntry { form } => notes::save(ctx, &mut m.notes, &form)?,
        E::DeleteEntry { id } => notes::delete(ctx, &mut m.notes, &id)?,
        E::ExportNotes { passphrase, path } => notes::export(ctx, &passphrase, path)?,
        E::NewContact => m.contacts.new_contact(),
        E::EditContact { id } => contacts::edit(ctx, &mut m.contacts, &id)?,
        E::AddContact { form } => contacts::add(ctx, &mut m.contacts, &form)?,
        E::UpdateContact { id, form } => contacts::update(ctx, &mut m.contacts, &id, &form)?,
        E::RemoveContact { id } => ctx.parts.alerts.remove_contact(&id)?,
        E::TestContact { id } => contacts::test(ctx, &id)?,
        E::SetSecondPassphrase {
            current,
            passphrase,
            confirmation,
            open_decoy,
            alert,
            erase,
        } => settings::set_second(
            ctx,
            &current,
            &passphrase,
            &confirmation,
            crate::journal::DuressActions {
                open_decoy,
                alert,
                wipe: erase,
            },
        )?,
        E::ClearSecondPassphrase { current } => settings::clear_second(ctx, &current)?,
        E::SetEraseAfterFailures { current, limit } => settings::erase_after(ctx, &current, limit)?,
        E::RequestErase => settings::request_erase(ctx, &mut m.settings),
        E::ConfirmErase => settings::confirm_erase(ctx, &mut m.settings)?,
        E::CancelErase => m.settings.cancel_erase(),
        E::SetDisguise { on } => {
            ctx.parts
                .profile
                .store()
                .set_setting(DISGUISE_SETTING, if on { "1" } else { "0" })?;
            if ctx.caps().launcher_disguise {
                ctx.fx.push(Effect::SetLauncherDisguise { disguised: on });
            }
            m.disguised = on;
            ctx.notice = Some(Notice::Saved);
        }
    }
    Ok(())
}

/// After every event: the composer flow, screen security, and the plan.
fn after(ctx: &mut Ctx<'_>, m: &mut Model) -> Result<()> {
    hold::follow_up(ctx, &mut m.hold, &mut m.alert)?;
    alert::follow_up(ctx, &mut m.alert)?;
    let secure = policies_secure(m.screen);
    if m.secure_applied != Some(secure) {
        ctx.fx.push(Effect::SetScreenSecurity { secure });
        m.secure_applied = Some(secure);
    }
    let alerts = &ctx.parts.alerts;
    let checkin = alerts.checkin()?;
    let waiting = alerts
        .active_alerts()?
        .iter()
        .filter(|a| a.state == AlertState::Fired && policies::visible(a))
        .flat_map(|a| &a.deliveries)
        .filter(|d| d.state == DeliveryState::NeedsUserAction)
        .count() as u32;
    let inputs = Inputs {
        now: Some(ctx.now),
        next_wakeup: alerts.next_wakeup()?,
        pending: ctx
            .parts
            .profile
            .store()
            .with(crate::alerts::outbox::pending_count)?,
        checkin: checkin.as_ref(),
        waiting_for_you: waiting,
        foreground: ctx.foreground(),
        just_woke: std::mem::take(&mut m.just_woke),
        keep_alive: hold::planned(ctx)?,
    };
    let fx = planner::apply(&mut m.applied, planner::plan(&inputs));
    ctx.fx.extend(fx);
    Ok(())
}

fn body(ctx: &Ctx<'_>, m: &Model) -> Result<(Body, Option<u32>)> {
    Ok(match m.screen {
        Screen::Alert => {
            let (v, r) = match hold::view(ctx)? {
                Some(held) => held,
                None => alert::view(ctx, &m.alert)?,
            };
            (Body::Alert(v), r)
        }
        Screen::Checkin => {
            let (v, r) = checkin::view(ctx)?;
            (Body::Checkin(v), r)
        }
        Screen::Helplines => (Body::Helplines(helplines::view(ctx)?), None),
        Screen::Rights => (Body::Rights(rights::view(ctx, &m.rights)?), None),
        Screen::Notes => (Body::Notes(notes::view(ctx, &m.notes)?), None),
        Screen::Contacts => (Body::Contacts(contacts::view(ctx, &m.contacts)?), None),
        Screen::Settings => {
            let (v, r) = settings::view(ctx, &m.settings, m.disguised)?;
            (Body::Settings(v), r)
        }
    })
}
