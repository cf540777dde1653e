//! Drives `parasol-ffi` exactly as a shell does: through the exported objects
//! and with the foreign traits implemented here in Rust.

mod alerts;
mod profile;
