//! latch-login: a login widget in the style of Auth0 Lock, in Rust for WebAssembly.
//!
//! Two layers, kept apart on purpose:
//! - [`core`]: the protocol (authorize requests, PKCE, callbacks, ID token checks, client
//!   configuration, profiles). Plain Rust with no browser bindings, tested natively.
//! - `browser` (wasm32 only): turns core values into storage and address-bar calls, and sets
//!   up the WebCrypto signature check (the JS wrapper runs it, makes the requests and draws
//!   the DOM); its boundary with the wrapper is strings and numbers (`browser/exports.rs`).
//!
//! On wasm32 the crate is `no_std` (alloc only) unless the `std` feature is on (the browser
//! tests): std's panic machinery would link formatting code into the module for nothing.
#![cfg_attr(all(target_arch = "wasm32", not(feature = "std")), no_std)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;

/// What std's prelude gives and a `no_std` module must import: `use crate::prelude::*;`.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;
