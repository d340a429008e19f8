//! What the widget hands the page, and the small inputs of its static methods, as serde
//! types: the browser layer serializes these through serde-wasm-bindgen, and
//! [`super::typescript`] checks the published declarations against them.

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use alloc::collections::BTreeMap;

use super::dictionary::LanguageDictionary;
use super::options::ParamText;
use super::profile::Profile;
use crate::prelude::*;

/// The events a widget takes listeners for: Lock's that apply to it, plus
/// `unsupported_connection`. `forgot_password ready` is accepted for code written for Lock and
/// never fired: the widget has no password screens. `signed_out`: another tab of the app
/// logged out, and this one forgot its login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Show,
    Hide,
    SigninReady,
    ForgotPasswordReady,
    HashParsed,
    Authenticated,
    AuthorizationError,
    UnrecoverableError,
    UnsupportedConnection,
    SignedOut,
    Renewed,
    RenewalError,
}

impl Event {
    pub const ALL: [Event; 12] = [
        Event::Show,
        Event::Hide,
        Event::SigninReady,
        Event::ForgotPasswordReady,
        Event::HashParsed,
        Event::Authenticated,
        Event::AuthorizationError,
        Event::UnrecoverableError,
        Event::UnsupportedConnection,
        Event::SignedOut,
        Event::Renewed,
        Event::RenewalError,
    ];

    /// Lock's name of the event, as `on(name, fn)` takes it.
    pub fn name(self) -> &'static str {
        match self {
            Event::Show => "show",
            Event::Hide => "hide",
            Event::SigninReady => "signin ready",
            Event::ForgotPasswordReady => "forgot_password ready",
            Event::HashParsed => "hash_parsed",
            Event::Authenticated => "authenticated",
            Event::AuthorizationError => "authorization_error",
            Event::UnrecoverableError => "unrecoverable_error",
            Event::UnsupportedConnection => "unsupported_connection",
            Event::SignedOut => "signed_out",
            Event::Renewed => "renewed",
            Event::RenewalError => "renewal_error",
        }
    }

    /// The event `on(name, fn)` names, if the widget has it.
    pub fn named(name: &str) -> Option<Event> {
        Event::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// The `authenticated` payload, less `idTokenPayload` and `appState`: those are the browser's
/// own parse of the text they came as, set on the object by the browser layer. The tokens are
/// the login's as `getTokens()` has them, with Lock's `expiresIn` beside their `expiresAt`.
/// Written member by member (not `#[serde(flatten)]`, which measured 0.7 KB gzip more).
#[derive(Debug)]
pub struct AuthResult<'a> {
    pub tokens: Tokens<'a>,
    pub expires_in: Option<u64>,
    pub profile: &'a Profile,
    pub connection: &'a str,
    /// Lock's `state`: the app's `auth.params.state` when it gave one, else the state the
    /// login was sent with.
    pub state: &'a str,
}

impl Serialize for AuthResult<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("AuthResult", 9)?;
        self.tokens.members(&mut out)?;
        if let Some(seconds) = self.expires_in {
            out.serialize_field("expiresIn", &seconds)?;
        }
        out.serialize_field("profile", self.profile)?;
        out.serialize_field("connection", self.connection)?;
        out.serialize_field("state", self.state)?;
        out.end()
    }
}

/// The members of [`AuthResult`] the browser layer adds itself.
pub const AUTH_RESULT_SET_BY_THE_PAGE: &[&str] = &["idTokenPayload", "appState"];

/// What `getTokens()` returns while the login's tokens are good.
#[derive(Debug)]
pub struct Tokens<'a> {
    pub id_token: &'a str,
    pub access_token: Option<&'a str>,
    pub token_type: Option<&'a str>,
    pub scope: Option<&'a str>,
    /// Milliseconds since the epoch.
    pub expires_at: f64,
}

impl Tokens<'_> {
    /// The members, camelCase, the absent ones left out: `getTokens()`'s object, and the
    /// first members of the `authenticated` payload.
    fn members<S: SerializeStruct>(&self, out: &mut S) -> Result<(), S::Error> {
        out.serialize_field("idToken", self.id_token)?;
        for (name, value) in [
            ("accessToken", self.access_token),
            ("tokenType", self.token_type),
            ("scope", self.scope),
        ] {
            if let Some(value) = value {
                out.serialize_field(name, value)?;
            }
        }
        out.serialize_field("expiresAt", &self.expires_at)
    }
}

impl Serialize for Tokens<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_struct("Tokens", 5)?;
        self.members(&mut out)?;
        out.end()
    }
}

/// What `login()`, `authorizeUrl()` and `attach()` take. `appState` is the app's own value,
/// taken as it is (the browser's JSON text of it), so it is no member serde reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LoginOptions {
    pub connection: String,
    /// `login()` only: in a popup window, the page never navigating.
    #[serde(default)]
    pub popup: Option<bool>,
    /// A popup login's time limit in milliseconds.
    #[serde(default)]
    pub timeout: Option<u32>,
}

/// The members of `LoginOptions` the browser layer reads as they are.
pub const LOGIN_OPTIONS_READ_AS_IS: &[&str] = &["appState"];

/// What `show()` takes for one showing (Lock's `show(options)`): each applies to this
/// showing only, over the options the widget was made with.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShowOptions {
    /// The connections to offer this time, in this order (within those the widget offers).
    pub allowed_connections: Option<Vec<String>>,
    pub auth: Option<ShowAuthOptions>,
    /// Texts of this showing, over the widget's own `languageDictionary`.
    pub language_dictionary: Option<LanguageDictionary>,
    pub initial_screen: Option<InitialScreen>,
    pub flash_message: Option<FlashMessage>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ShowAuthOptions {
    /// Authorize parameters of the logins started from this showing, over `auth.params`.
    pub params: Option<BTreeMap<String, ParamText>>,
}

/// Lock's screens. The widget has the login screen; `signUp` sends the database
/// connection's logins to the hosted page's sign-up form, whose login page also has the
/// password reset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum InitialScreen {
    Login,
    SignUp,
    ForgotPassword,
}

impl InitialScreen {
    /// What the console says when a screen the widget does not have was asked for: the
    /// sign-up screen is the hosted page's (`screen_hint=signup`), and so is its
    /// "Forgot password" link.
    pub fn unavailable(self) -> Option<&'static str> {
        match self {
            InitialScreen::ForgotPassword => Some(
                "latch-login: initialScreen `forgotPassword`: the authorization server's login page has the \"Forgot password\" link; showing the login screen",
            ),
            _ => None,
        }
    }
}

/// Lock's `flashMessage`: a line at the top of the panel.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FlashMessage {
    #[serde(default, rename = "type")]
    pub kind: FlashKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FlashKind {
    Success,
    Error,
    #[default]
    Info,
}

impl FlashKind {
    /// The class that colours it, and its role: an error interrupts a screen reader
    /// (`alert`), the others wait their turn (`status`).
    pub fn class_and_role(self) -> (&'static str, &'static str) {
        match self {
            FlashKind::Success => ("latch-flash latch-flash-success", "status"),
            FlashKind::Error => ("latch-flash latch-flash-error", "alert"),
            FlashKind::Info => ("latch-flash latch-flash-info", "status"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum CacheMode {
    #[serde(rename = "on")]
    On,
    #[serde(rename = "off")]
    Off,
}

/// The options of `checkSession()`, `getTokenSilently()` and `logout()`, read as one type:
/// each method uses its own members, and, as with any member a method does not know, ignores
/// the others (one reader in the module instead of three).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct MethodOptions {
    pub connection: Option<String>,
    pub timeout: Option<u32>,
    pub cache_mode: Option<CacheMode>,
    pub return_to: Option<String>,
    pub federated: Option<bool>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_is_found_by_its_lock_name_and_no_other() {
        for event in Event::ALL {
            assert_eq!(Event::named(event.name()), Some(event));
        }
        assert_eq!(Event::named("signin_ready"), None);
        assert_eq!(Event::named("Authenticated"), None);
    }
}
