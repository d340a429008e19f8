//! What the widget hands the page, and the small inputs of its static methods, as serde
//! types: the browser layer serializes these through serde-wasm-bindgen, and
//! [`super::typescript`] checks the published declarations against them.

use serde::{Deserialize, Serialize};

use super::profile::Profile;
use crate::prelude::*;

/// The events a widget takes listeners for: Lock's that apply to it, plus
/// `unsupported_connection`. `forgot_password ready` is accepted for code written for Lock and
/// never fired: the widget has no password screens. `signed_out`: another tab of the app
/// logged out, and this one forgot its login.
pub const EVENTS: &[&str] = &[
    "show",
    "hide",
    "signin ready",
    "forgot_password ready",
    "hash_parsed",
    "authenticated",
    "authorization_error",
    "unrecoverable_error",
    "unsupported_connection",
    "signed_out",
    "renewed",
    "renewal_error",
];

/// The `authenticated` payload, less `idTokenPayload` and `appState`: those are the browser's
/// own parse of the text they came as, set on the object by the browser layer.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthResult<'a> {
    pub id_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    pub profile: &'a Profile,
    pub connection: &'a str,
}

/// The members of [`AuthResult`] the browser layer adds itself.
pub const AUTH_RESULT_SET_BY_THE_PAGE: &[&str] = &["idTokenPayload", "appState"];

/// What `getTokens()` returns while the login's tokens are good.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tokens<'a> {
    pub id_token: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_type: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'a str>,
    /// Milliseconds since the epoch.
    pub expires_at: f64,
}

/// What `logout()` takes, with Lock's names.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct LogoutOptions {
    /// Where the provider sends the user afterwards.
    pub return_to: Option<String>,
    /// Also log out of the identity provider behind a broker's connection.
    pub federated: Option<bool>,
}

/// What `show()` takes for one showing (Lock's `show(options)`; the rest of Lock's per-show
/// options are not supported, see the README's migration table).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShowOptions {
    /// The connections to offer this time, in this order (within those the widget offers).
    pub allowed_connections: Option<Vec<String>>,
}

/// What `getTokenSilently()` takes (auth0-spa-js's names).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GetTokenSilentlyOptions {
    /// `off`: renew even if the access token in memory is still good.
    pub cache_mode: Option<CacheMode>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CacheMode {
    #[serde(rename = "on")]
    On,
    #[serde(rename = "off")]
    Off,
}

/// What `checkSession()` takes.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckSessionOptions {
    /// The connection to check (default: the last one logged in with, else the first).
    pub connection: Option<String>,
    /// Milliseconds before the attempt ends with `timeout` (default 10,000).
    pub timeout: Option<u32>,
}

/// A connection as `Latch.supports` is given it, described as in the client configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConnectionDescription {
    pub name: Option<String>,
    pub strategy: Option<String>,
    pub min_widget_version: Option<String>,
    pub requires: Option<Vec<String>>,
}
