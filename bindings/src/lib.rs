//! Parasol's uniffi layer: the only crate that knows about Kotlin and Swift.
//!
//! It translates `parasol-core` types into FFI records, objects and errors and
//! adapts foreign traits (implemented by the shells) to the core's traits. No
//! behaviour lives here.
//!
//! Threading rules for shells: every method is synchronous and may block on
//! disk, the key derivation or the network. Call from a background thread
//! (Kotlin `Dispatchers.IO`, a Swift `Task.detached`), never from the UI thread.
//! Objects are `Send + Sync` and may be shared between threads.

uniffi::setup_scaffolding!("parasol");

/// A uniffi enum mirroring a core enum variant for variant, both ways.
macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident = $core:path { $($(#[$vm:meta])* $v:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
        pub enum $name { $($(#[$vm])* $v),* }
        impl From<$core> for $name {
            fn from(x: $core) -> Self { match x { $(<$core>::$v => $name::$v),* } }
        }
        impl From<$name> for $core {
            fn from(x: $name) -> Self { match x { $($name::$v => <$core>::$v),* } }
        }
    };
}

mod alerts;
mod app;
mod error;
mod helplines;
mod journal;
mod keystore;
mod matrix;
mod profile;
mod rights;

pub use alerts::{
    AlertEvent, AlertLocation, AlertMode, AlertObserver, AlertReason, AlertSettings, AlertState,
    AlertStatus, Alerts, CheckinDeadline, CheckinRequest, CheckinState, CheckinStatus,
    ContactTriggers, DeliveryChannel, DeliveryState, DeliveryStatus, FlushReport, LocationFollowUp,
    MessageKind, PruneReport, SmsOutcome, SmsReport, SmsRequest, SmsSender, TriggerRequest,
    TrustedContact, TrustedContactInput,
};
pub use app::*;
pub use error::ParasolError;
pub use helplines::*;
pub use journal::{
    AttachmentInfo, BrokenLink, ChainReport, DuressActions, EntryDraft, EntryKind, EntrySummary,
    IncidentDetails, Journal, JournalEntry, LockoutInfo, NewAttachment, PasswdOptions,
};
pub use keystore::{KeyClass, PlatformKeyStore};
pub use matrix::{
    setup_notice, HoldRequest, HoldState, HoldStatus, MatrixContactState, MatrixError,
    MatrixRoomStatus, MatrixStatus, ServerTimer, ServerTimerState, SetupNotice,
};
pub use profile::{Parasol, ParasolConfig, ProfileInfo};
pub use rights::*;

/// The version of the core library (also checks that the library loads).
#[uniffi::export]
pub fn core_version() -> String {
    parasol_core::VERSION.to_owned()
}
