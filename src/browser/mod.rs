//! The browser layer (wasm32 only): the `Latch` class a page uses ([`latch`], exported with
//! wasm-bindgen), one login's flow as async Rust ([`widget`]), and one module per capability
//! of the page it needs, each a thin wrapper over web-sys, js-sys or gloo-net: [`net`]
//! (requests), [`courier`] (the token requests, from the token worker), [`json`] (the
//! browser's `JSON.parse` into serde types), [`storage`] (sessionStorage transactions, the
//! remembered connection), [`page`] (the address bar, the console, the URL parser),
//! [`crypto`] (random bytes, WebCrypto signatures), [`dpop`] (the DPoP key and its proofs),
//! [`view`] (the panel's DOM), [`worker`] (the form_post service worker), [`arguments`] (what
//! the page passes to the class, read into the core's types), [`frame`] (`checkSession`'s
//! hidden iframe, a popup login's window), [`tabs`] (the app's other tabs), [`events`] (the
//! app's listeners). No protocol decision is made here: each one is a call into
//! [`crate::core`].

pub mod account;
pub mod arguments;
pub mod arrival;
pub mod assets;
pub mod cleanup;
#[cfg(feature = "dpop")]
pub mod courier;
pub mod crypto;
pub mod documents;
#[cfg(feature = "dpop")]
pub mod dpop;
pub mod events;
pub mod frame;
pub mod json;
pub mod latch;
pub mod locks;
pub mod login;
pub mod net;
pub mod page;
pub mod panel;
pub mod renewal;
#[cfg(feature = "dpop")]
pub mod resource;
pub mod session;
pub mod storage;
pub mod tabs;
pub mod view;
pub mod widget;
pub mod worker;

pub use latch::Latch;
