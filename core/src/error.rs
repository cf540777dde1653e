//! The core's internal error type.
//!
//! Every fallible function in the core returns [`Result`]. Errors from the
//! libraries we use convert with `?`; the bindings translate an [`Error`] into
//! the small public error enum that Kotlin and Swift see, using [`Error::kind`].
//! Error texts never contain secrets or journal plaintext.

use std::fmt;

/// The result type of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, in the core's terms.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The caller passed something the core refuses (bad phone number, empty title...).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The passphrase did not open the journal.
    #[error("wrong passphrase")]
    WrongPassphrase,
    /// The journal is locked: unlock it first.
    #[error("locked")]
    Locked,
    /// A SQLite error.
    #[error("storage: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A file-system error.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// A JSON encoding or decoding error.
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    /// The network failed or a server answered with an error.
    #[error("network: {0}")]
    Network(String),
    /// Sealed data did not open, a signature did not verify, a key was unusable.
    #[error("crypto: {0}")]
    Crypto(String),
    /// A content pack or content source is malformed or refused.
    #[error("content: {0}")]
    Content(String),
    /// The data on disk is not what this version expects (newer schema, corruption).
    #[error("storage: {0}")]
    Corrupt(String),
    /// The platform (a shell-provided service) failed.
    #[error("platform: {0}")]
    Platform(String),
    /// A bug: something the core believed impossible happened.
    #[error("internal: {0}")]
    Internal(String),
}

/// The coarse class of an [`Error`], for callers that act on it (and for the FFI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// See [`Error::InvalidInput`].
    InvalidInput,
    /// See [`Error::NotFound`].
    NotFound,
    /// See [`Error::WrongPassphrase`].
    WrongPassphrase,
    /// See [`Error::Locked`].
    Locked,
    /// SQLite, file system or on-disk format.
    Storage,
    /// See [`Error::Network`].
    Network,
    /// See [`Error::Crypto`].
    Crypto,
    /// See [`Error::Content`].
    Content,
    /// See [`Error::Platform`].
    Platform,
    /// See [`Error::Internal`].
    Internal,
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidInput(_) => ErrorKind::InvalidInput,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::WrongPassphrase => ErrorKind::WrongPassphrase,
            Error::Locked => ErrorKind::Locked,
            Error::Sqlite(_) | Error::Io(_) | Error::Corrupt(_) => ErrorKind::Storage,
            Error::Json(_) => ErrorKind::Internal,
            Error::Network(_) => ErrorKind::Network,
            Error::Crypto(_) => ErrorKind::Crypto,
            Error::Content(_) => ErrorKind::Content,
            Error::Platform(_) => ErrorKind::Platform,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(reason: impl fmt::Display) -> Self {
        Error::InvalidInput(reason.to_string())
    }
}
