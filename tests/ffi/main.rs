//! Drives `parasol-ffi` exactly as a shell does: through the exported objects
//! and with the foreign traits implemented here in Rust.

mod alerts;
mod app;
mod duress;
mod helplines;
mod journal;
mod profile;
mod rights;
