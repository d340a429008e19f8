//! The protocol core: no web-sys, no js-sys, no wasm-bindgen. Every step of the login lives in
//! the module named after it, and every failure is a [`Error`] variant with a stable code.

pub mod authorize;
pub mod broker;
pub mod callback;
pub mod claims;
pub mod client_config;
pub mod connection;
pub mod dictionary;
pub mod discovery;
pub mod document;
#[cfg(any(feature = "dpop", test))]
pub mod dpop;
pub mod encoding;
pub mod error;
pub mod id_token;
pub mod issuer;
pub mod jwks;
pub mod jws;
pub mod lease;
pub mod lock_options;
pub mod login;
pub mod logout;
pub mod options;
pub mod payload;
pub mod profile;
pub mod request;
pub mod session;
pub mod settings;
pub mod show;
pub mod silent;
pub mod strategy;
pub mod tabs;
pub mod token;
pub mod transaction;
pub mod types;
pub mod typescript;
pub mod version;
pub mod view;
pub mod web_url;

pub use error::Error;

/// The widget's own version, from Cargo.toml alone.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
