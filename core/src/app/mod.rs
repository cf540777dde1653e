//! The app itself, headless: every screen's state and every decision, for
//! both shells. The shells render [`ViewModel`] and perform [`Effect`]s;
//! they report what happens as [`Event`]s. Nothing here knows about FFI.
//!
//! ```text
//!   shell ──Event──▶ App::update ──▶ Vec<Effect> ──▶ shell performs them
//!     ▲                  │                              │ results
//!     └── App::view ◀────┘ (model + profile)            └──Event──▶ …
//! ```
//!
//! Design and reasoning (the Elm architecture as in redbadger/crux, kept by
//! hand): docs/app.md.
//!
//! Table of contents:
//! - [`runtime`]: the [`App`] (update, view) and the event dispatch;
//! - [`events`], [`effects`], [`view`]: what goes in, out, and on screen;
//! - [`capabilities`]: what the shell can do and may do; how an SMS goes;
//! - [`policies`]: constants, time arithmetic, delivery labels;
//! - [`planner`]: wake-ups, the network job and reminders, as one plan;
//! - one module per screen: [`alert`] (and `hold`, its dead-man mode), [`checkin`], [`helplines`],
//!   [`rights`], [`notes`], [`contacts`], [`settings`];
//! - [`router`]: the SMS sender and second-passphrase hook the app installs.

pub mod alert;
pub mod capabilities;
pub mod checkin;
pub mod contacts;
pub mod effects;
pub mod events;
pub mod helplines;
mod hold;
pub mod notes;
pub mod planner;
pub mod policies;
pub mod rights;
mod router;
pub mod runtime;
pub mod settings;
pub mod view;

pub use capabilities::{Capabilities, Permission, PermissionStatus};
pub use effects::{Effect, NotificationSlot, NotifyReason};
pub use events::{ContactForm, EntryForm, Event, SearchText, Secret, SmsResult};
pub use runtime::App;
pub use view::{Body, Notice, Screen, ViewModel};
