//! latch-login: a login widget in the style of Auth0 Lock, in Rust for WebAssembly.
//!
//! Two layers, kept apart on purpose:
//! - [`core`]: the protocol (authorize requests, PKCE, callbacks, ID token checks, client
//!   configuration, profiles). Plain Rust with no browser bindings, tested natively.
//! - `browser` (wasm32 only): the `Latch` class the page uses (wasm-bindgen), one login's
//!   flow as async Rust, and what it needs of the page through web-sys, js-sys and gloo-net:
//!   requests, storage, the address bar, WebCrypto, the DOM.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

extern crate alloc;

/// What the core imports from alloc, in one place: `use crate::prelude::*;`.
mod prelude {
    pub use alloc::borrow::ToOwned;
    pub use alloc::string::{String, ToString};
    pub use alloc::vec;
    pub use alloc::vec::Vec;
}

pub mod core;

/// The wasm's allocator: talc, in place of Rust's default (dlmalloc), for its smaller code
/// (README, "Size"). The module is single-threaded (no atomics), as talc's wasm allocator
/// requires.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
pub mod browser;
