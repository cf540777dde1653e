//! The public error of the FFI: a small enum of actionable classes, each with
//! a human-readable `reason`. The core's internal error maps onto it.

use parasol_core::{Error, ErrorKind};

/// Why a call failed. Every variant carries a `reason` that is safe to show or
/// log (it never contains secrets or journal text).
#[derive(Debug, thiserror::Error, uniffi::Error)]
pub enum ParasolError {
    /// The input was refused (bad phone number, country code, URL...).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What was wrong.
        reason: String,
    },
    /// The thing asked for does not exist.
    #[error("not found: {reason}")]
    NotFound {
        /// What was not found.
        reason: String,
    },
    /// The passphrase did not unlock.
    #[error("wrong passphrase: {reason}")]
    WrongPassphrase {
        /// Details (for example how many attempts are left).
        reason: String,
    },
    /// The journal is locked: unlock it first.
    #[error("locked: {reason}")]
    Locked {
        /// Details.
        reason: String,
    },
    /// The database or file system failed, or data on disk is damaged.
    #[error("storage: {reason}")]
    Storage {
        /// Details.
        reason: String,
    },
    /// The network failed or a server refused the request.
    #[error("network: {reason}")]
    Network {
        /// Details.
        reason: String,
    },
    /// Encrypted or signed data did not verify.
    #[error("crypto: {reason}")]
    Crypto {
        /// Details.
        reason: String,
    },
    /// A content pack was malformed or refused.
    #[error("content: {reason}")]
    Content {
        /// Details.
        reason: String,
    },
    /// A platform service provided by the shell failed (or threw).
    #[error("platform: {reason}")]
    Platform {
        /// Details.
        reason: String,
    },
    /// A bug in Parasol.
    #[error("internal: {reason}")]
    Internal {
        /// Details.
        reason: String,
    },
}

impl From<Error> for ParasolError {
    fn from(e: Error) -> Self {
        let reason = e.to_string();
        match e.kind() {
            ErrorKind::InvalidInput => ParasolError::InvalidInput { reason },
            ErrorKind::NotFound => ParasolError::NotFound { reason },
            ErrorKind::WrongPassphrase => ParasolError::WrongPassphrase { reason },
            ErrorKind::Locked => ParasolError::Locked { reason },
            ErrorKind::Storage => ParasolError::Storage { reason },
            ErrorKind::Network => ParasolError::Network { reason },
            ErrorKind::Crypto => ParasolError::Crypto { reason },
            ErrorKind::Content => ParasolError::Content { reason },
            ErrorKind::Platform => ParasolError::Platform { reason },
            ErrorKind::Internal => ParasolError::Internal { reason },
        }
    }
}

impl From<uniffi::UnexpectedUniFFICallbackError> for ParasolError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        ParasolError::Platform {
            reason: format!("a platform callback failed: {}", e.reason),
        }
    }
}

impl From<ParasolError> for Error {
    fn from(e: ParasolError) -> Self {
        match e {
            ParasolError::InvalidInput { reason } => Error::InvalidInput(reason),
            other => Error::Platform(other.to_string()),
        }
    }
}

/// Shorthand for results crossing the FFI.
pub type FfiResult<T> = Result<T, ParasolError>;
