//! The options of `new Latch(clientId, domain, options)` as the page gives them, named as Auth0
//! Lock names them: serde types read once at the boundary, then checked into
//! [`super::settings::Settings`]. A member of the wrong type is an error that names it.

use super::client_config::ConfigurationFormat;
use super::connection::DirectConnectionOptions;
use super::dictionary::LanguageDictionary;
use super::document::ReadError;
use super::encoding::cat;
use super::Error;

use crate::prelude::*;
use alloc::collections::BTreeMap;
use serde::Deserialize;

/// Seconds of clock skew allowed on `exp` and `iat` (OpenID Connect Core §3.1.3.7).
pub const DEFAULT_LEEWAY_SECS: u64 = 60;
/// The most clock skew the widget allows for, as Lock's token verifier (idtoken-verifier:
/// "The leeway should be positive and lower than five minutes"): more would accept ID tokens
/// long expired.
pub const MAX_LEEWAY_SECS: u64 = 300;

/// The options object as the page gives it. Unknown options are ignored, as Lock ignores
/// them, and so are nulls; a known one of the wrong type is an error that names it
/// (`auth.redirectUrl`), see [`super::document::read_document`].
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Options {
    /// Id of the element to render into; without it the widget is a modal.
    pub container: Option<String>,
    pub allowed_connections: Option<Vec<String>>,
    pub auth: Option<AuthOptions>,
    /// Where `/client/{clientId}.js` is: Lock's `clientBaseUrl`, else `configurationBaseUrl`,
    /// else `assetsUrl`, else the domain (auth0-lock 14, `extractClientBaseUrlOption`).
    pub client_base_url: Option<String>,
    pub configuration_base_url: Option<String>,
    pub assets_url: Option<String>,
    /// How the client configuration is served: `script` (Auth0's, the default) or `json`.
    pub configuration_format: Option<ConfigurationFormat>,
    pub theme: Option<ThemeOptions>,
    /// Lock's `languageDictionary`, its nested keys too (see [`LanguageDictionary`]).
    pub language_dictionary: Option<LanguageDictionary>,
    /// Lock's `language`: any code Lock 14 ships a dictionary for (`es`, `pt-br`, `ar`, ...).
    pub language: Option<String>,
    /// Where the language packs are (`{languageBaseUrl}/fr.json`), when not next to the widget.
    pub language_base_url: Option<String>,
    pub closable: Option<bool>,
    /// Lock's `rememberLastLogin` (default true): offer the connection used last time.
    pub remember_last_login: Option<bool>,
    /// Clock skew in seconds for ID token time checks.
    pub leeway: Option<u64>,
    /// `false` leaves out latch.css.
    pub stylesheet: Option<bool>,
    /// Direct OpenID Connect providers, beside or instead of the broker.
    pub connections: Option<Vec<DirectConnectionOptions>>,
    /// Lock's `allowSignUp` (default true): the "Sign up" link of a database connection.
    pub allow_sign_up: Option<bool>,
    /// Lock's `initialScreen`: `signUp` opens the hosted page's sign-up form.
    pub initial_screen: Option<super::payload::InitialScreen>,
    /// Lock's `flashMessage`: shown on the login screen, unless `show()` gives its own.
    pub flash_message: Option<super::payload::FlashMessage>,
    /// Made under Lock's name (`new Auth0Lock`, pkg/compat.js): Lock's rules where they differ
    /// from the widget's own, such as its default `responseType`. Set by the browser layer,
    /// never read from the page's options.
    #[serde(skip)]
    pub lock_names: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthOptions {
    pub redirect_url: Option<String>,
    /// Lock's `auth.audience`: sent as the `audience` parameter.
    pub audience: Option<String>,
    /// Lock's `auth.state`, as `auth.params.state`.
    pub state: Option<String>,
    /// `'server'`: the app's server exchanges the code (no PKCE, no exchange in the page), as
    /// Lock does for `responseType: 'code'` with a `redirectUrl`; `'page'` (the default for
    /// `new Latch`): the widget exchanges it with PKCE.
    pub code_exchange: Option<String>,
    /// Where a provider without `web_message` sends the answer of `checkSession` and of popup
    /// logins: a page of this origin (default: `redirectUrl`).
    pub silent_redirect_url: Option<String>,
    pub response_type: Option<String>,
    /// Lock lets `auth.params` values be strings, whole numbers (`max_age: 3600`) or
    /// booleans; all are sent as text.
    pub params: Option<BTreeMap<String, ParamText>>,
    /// `false`: the app hands the return to `resumeAuth()` itself.
    pub auto_parse_hash: Option<bool>,
    /// Lock's `redirect`: `false` logs in in a popup window, the page never leaving.
    pub redirect: Option<bool>,
    /// Refresh tokens (`offline_access`, the `refresh_token` grant, rotation), kept in the
    /// wasm's memory only: `getTokenSilently` renews the access token with them.
    pub use_refresh_tokens: Option<bool>,
    /// DPoP (RFC 9449): the tokens bound to a key pair this browser holds.
    pub dpop: Option<bool>,
    /// The DPoP-bound refresh token kept in IndexedDB beside the key, so that a reload
    /// signs in again with one refresh request. Needs `dpop`; implies `useRefreshTokens`.
    /// Read by the DPoP build only (the default build refuses `dpop` itself).
    #[cfg(feature = "dpop")]
    pub persist_refresh_token: Option<bool>,
    /// Lock's `sso`: on load, with no response to handle, find out silently (`checkSession`)
    /// whether the user is still signed in.
    pub sso: Option<bool>,
    /// Renew the access token by itself before it expires (`renewed` / `renewal_error`).
    pub auto_renew: Option<bool>,
    pub token_storage: Option<TokenStorage>,
    /// Where the form_post service worker is, when not next to the widget.
    pub service_worker_url: Option<String>,
    /// The deadline of every request, in ms (default: per kind, see
    /// [`super::request::Kind::deadline_ms`]).
    pub request_timeout: Option<u32>,
}

/// Where the tokens of a login are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum TokenStorage {
    /// In the page's memory only (the default): gone with the page.
    #[default]
    #[serde(rename = "memory")]
    Memory,
    /// In this tab's sessionStorage: they survive a reload, and any script of the origin
    /// can read them.
    #[serde(rename = "sessionStorage")]
    SessionStorage,
}

/// One `auth.params` value as text; none for a null (left out).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamText(pub Option<String>);

impl<'de> Deserialize<'de> for ParamText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl serde::de::Visitor<'_> for Text {
            type Value = ParamText;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string, a whole number or a boolean")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ParamText, E> {
                Ok(ParamText(Some(v.to_owned())))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<ParamText, E> {
                Ok(ParamText(Some(
                    (if v { "true" } else { "false" }).to_owned(),
                )))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ParamText, E> {
                Ok(ParamText(Some(super::encoding::decimal(v))))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ParamText, E> {
                let digits = super::encoding::decimal(v.unsigned_abs());
                Ok(ParamText(Some(match v < 0 {
                    true => cat(&["-", &digits]),
                    false => digits,
                })))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ParamText, E> {
                // JavaScript numbers arrive as floats: whole ones are sent as integers, and a
                // fraction is refused rather than printed in some float notation.
                const SAFE: f64 = 9_007_199_254_740_991.0;
                if v.fract() == 0.0 && v.abs() <= SAFE {
                    return self.visit_i64(v as i64);
                }
                Err(E::custom("must be a string, a whole number or a boolean"))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<ParamText, E> {
                Ok(ParamText(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<ParamText, E> {
                Ok(ParamText(None))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ThemeOptions {
    pub primary_color: Option<String>,
    pub logo: Option<String>,
    /// Lock's `labeledSubmitButton`: `false` shows an arrow (with an accessible name) on the
    /// email form's submit button instead of its label.
    pub labeled_submit_button: Option<bool>,
    /// Lock's `authButtons`: per connection name, its button's text, colours and icon.
    pub auth_buttons: Option<BTreeMap<String, AuthButton>>,
}

/// How one connection's button looks (Lock's `theme.authButtons[name]`).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthButton {
    pub display_name: Option<String>,
    pub primary_color: Option<String>,
    pub foreground_color: Option<String>,
    /// An image URL; the page's Content-Security-Policy decides whether it may load.
    pub icon: Option<String>,
}

impl ThemeOptions {
    pub fn button(&self, connection: &str) -> Option<&AuthButton> {
        self.auth_buttons.as_ref()?.get(connection)
    }
}

/// A shape error in the options, as the option error that names it.
pub fn option_error(e: ReadError) -> Error {
    let option = match e.path.is_empty() {
        true => "options".to_owned(),
        false => e.path,
    };
    Error::InvalidOption {
        option,
        reason: e.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::from_json;
    use crate::core::settings::Settings;
    use crate::core::web_url::Whatwg;

    fn options(json: &str) -> Options {
        from_json(json).expect("options json")
    }

    #[test]
    fn options_of_the_wrong_type_are_named() {
        let named = |json: &str| match from_json::<Options>(json).map_err(option_error) {
            Err(Error::InvalidOption { option, reason }) => (option, reason),
            other => panic!("{json}: {other:?}"),
        };
        assert_eq!(
            named(r#"{"allowedConnections":"corp"}"#).0,
            "allowedConnections"
        );
        assert_eq!(named(r#"{"auth":{"redirectUrl":5}}"#).0, "auth.redirectUrl");
        assert_eq!(
            named(r#"{"auth":{"params":{"prompt":{}}}}"#).0,
            "auth.params.prompt"
        );
        assert_eq!(
            named(r#"{"auth":{"params":{"ratio":1.5}}}"#).0,
            "auth.params.ratio"
        );
        assert_eq!(
            named(r#"{"auth":{"tokenStorage":"localStorage"}}"#).0,
            "auth.tokenStorage"
        );
        assert_eq!(
            named(r#"{"languageDictionary":{"title":1}}"#).0,
            "languageDictionary.title"
        );
        assert_eq!(named(r#"{"leeway":-1}"#).0, "leeway");
        assert_eq!(named(r#"{"auth":{"autoRenew":1}}"#).0, "auth.autoRenew");
        assert_eq!(named(r#"{"closable":"no"}"#).0, "closable");
        assert_eq!(named(r#"{"language":7}"#).0, "language");
        let (option, reason) = named(r#"{"connections":[{"name":"a"}]}"#);
        assert_eq!(option, "connections[0]");
        assert!(reason.contains("client_id"), "{reason}");
        assert_eq!(named(r#"{"connections":{}}"#).0, "connections");
        assert_eq!(named("7").0, "options");
    }

    #[test]
    fn unknown_options_and_nulls_are_ignored_and_params_become_text() {
        let o = options(
            r#"{"stylesheet":false,"auth":{"autoParseHash":false,"redirectUrl":null,
                "params":{"max_age":3600.0,"flag":true,"skip":null,"n":-2}},
                "container":null,"languageDictionary":{"title":null}}"#,
        );
        let auth = o.auth.as_ref().expect("auth");
        assert_eq!(auth.redirect_url, None);
        assert_eq!(o.container, None);
        let s =
            Settings::new("app", "t.example.com", o, "https://app/", &Whatwg).expect("settings");
        let p: Vec<(&str, &str)> = s
            .params
            .extra
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(p, [("flag", "true"), ("max_age", "3600"), ("n", "-2")]);
        assert!(s.language_dictionary.is_empty());
        assert!(!s.stylesheet && !s.auto_parse_hash);
    }
}
