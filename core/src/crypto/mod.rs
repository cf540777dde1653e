//! Cryptographic building blocks shared by the journal and the alert store:
//! secret containers that wipe themselves, and sealing (authenticated
//! encryption bound to a context) with length padding.

pub mod seal;
pub mod secret;

pub use seal::{open, open_in_place, open_into, seal, seal_padded, sealed_len, SEAL_VERSION};
pub use secret::{random_bytes, SecretKey};
