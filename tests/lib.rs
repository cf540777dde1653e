//! Shared helpers for the cross-language tests (the tests live in ffi/).
