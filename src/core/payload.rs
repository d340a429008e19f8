//! What the widget hands the page, and the small inputs of its static methods, as serde
//! types: the browser layer serializes these through serde-wasm-bindgen, and
//! [`super::typescript`] checks the published declarations against them.

use serde::{Deserialize, Serialize};

use super::profile::Profile;
use crate::prelude::*;

/// The events a widget fires: Lock's, plus `unsupported_connection`.
pub const EVENTS: &[&str] = &[
    "show",
    "hide",
    "signin ready",
    "authenticated",
    "authorization_error",
    "unrecoverable_error",
    "unsupported_connection",
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

/// A connection as `Latch.supports` is given it, described as in the client configuration.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConnectionDescription {
    pub name: Option<String>,
    pub strategy: Option<String>,
    pub min_widget_version: Option<String>,
    pub requires: Option<Vec<String>>,
}
