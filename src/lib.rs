//! latch-login: a login widget in the style of Auth0 Lock, in Rust for WebAssembly.
//!
//! Two layers, kept apart on purpose:
//! - [`core`]: the protocol (authorize requests, PKCE, callbacks, ID token checks, client
//!   configuration, profiles). Plain Rust with no browser bindings, tested natively.
//! - `browser` (wasm32 only): turns core values into DOM, storage, fetch and WebCrypto calls.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;
