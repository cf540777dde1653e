//! Parasol's core: everything the app does, with no FFI.
//!
//! The shells (Android, iOS) and the `parasol` command reach this crate through
//! `parasol-ffi`, a thin uniffi layer that only translates types. A profile
//! ([`profile::Profile`]) is one data directory with one SQLite file.
//!
//! Threading: every call is synchronous and may block on disk or network;
//! shells call from a background thread. A [`profile::Profile`] is `Send + Sync`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alerts;
pub mod app;
pub mod clock;
pub mod config;
pub mod content;
pub mod crypto;
pub mod error;
pub mod helplines;
pub mod http;
pub mod journal;
pub mod keystore;
pub mod profile;
pub mod store;

pub use error::{Error, ErrorKind, Result};

/// The core's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
