//! The options of `new Latch(clientId, domain, options)`, named as Auth0 Lock names them, read
//! once at the boundary into typed settings. A bad option is an error that names it.

use super::authorize::{AuthParams, Scope};
use super::client_config::ConfigurationFormat;
use super::connection::{Connection, DirectConnectionOptions};
use super::dictionary::Language;
use super::discovery::DISCOVERY_PATH;
use super::document::ReadError;
use super::types::{ClientId, RedirectUrl};
use super::web_url::{self, ParsedUrl, UrlParser};
use super::Error;

use super::encoding::cat;
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
    pub language_dictionary: Option<BTreeMap<String, Option<String>>>,
    /// Lock's `language`: one of the widget's languages by its tag (`es`, `ar`, ...).
    pub language: Option<String>,
    /// Where the language packs are (`{languageBaseUrl}/fr.js`), when not next to the widget.
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
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct AuthOptions {
    pub redirect_url: Option<String>,
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
    /// Lock's `sso`: on load, with no response to handle, find out silently (`checkSession`)
    /// whether the user is still signed in.
    pub sso: Option<bool>,
    /// Renew the access token by itself before it expires (`renewed` / `renewal_error`).
    pub auto_renew: Option<bool>,
    pub token_storage: Option<TokenStorage>,
    /// Where the form_post service worker is, when not next to the widget.
    pub service_worker_url: Option<String>,
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
    invalid(&option, &e.message)
}

/// Where the broker (the authorization server named by `domain`) lives: an origin with no
/// path, like `https://tenant.example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerOrigin(String);

impl BrokerOrigin {
    /// Accepts a bare host (`tenant.example.com`, Lock's form, meaning https) or an origin.
    /// Plain http is accepted only for loopback hosts, where the demo and tests run; a path,
    /// a query, a fragment or credentials make it something other than a domain.
    pub fn parse(domain: &str, urls: &dyn UrlParser) -> Result<Self, Error> {
        let bad = || Error::InvalidDomain(domain.to_owned());
        let trimmed = domain.trim();
        // Which of the two forms it is; the parser below decides everything else.
        let text = match trimmed.contains("://") {
            true => trimmed.to_owned(),
            false => cat(&["https://", trimmed]),
        };
        let url = web_url::secure(urls, &text).map_err(|_| bad())?;
        if url.pathname != "/" || !url.search.is_empty() || !url.hash.is_empty() {
            return Err(bad());
        }
        Ok(Self(url.origin))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The issuer strings this broker may use: Auth0 writes `https://tenant/`, most others
    /// the bare origin. Compared exactly, never canonicalised.
    pub fn issuer_candidates(&self) -> [String; 2] {
        [cat(&[&self.0, "/"]), self.0.clone()]
    }

    pub fn discovery_url(&self) -> String {
        self.0.clone() + DISCOVERY_PATH
    }
}

/// What the widget runs with: options checked and defaults filled in.
#[derive(Debug)]
pub struct Settings {
    pub client_id: ClientId,
    /// The authorization server of `domain`; none when the page only has direct connections.
    pub broker: Option<BrokerOrigin>,
    pub redirect_url: RedirectUrl,
    /// `auth.silentRedirectUrl`, else the redirect URL.
    pub silent_redirect_url: RedirectUrl,
    pub params: AuthParams,
    /// Where the broker's client configuration lives; none without a broker.
    pub configuration_base_url: Option<String>,
    pub configuration_format: ConfigurationFormat,
    pub direct: Vec<Connection>,
    pub allowed_connections: Option<Vec<String>>,
    pub container: Option<String>,
    pub closable: bool,
    pub remember_last_login: bool,
    pub leeway: u64,
    pub theme: ThemeOptions,
    pub language: Language,
    /// Where the language packs are, when the app hosts them itself.
    pub language_base_url: Option<String>,
    pub language_dictionary: Vec<(String, String)>,
    pub stylesheet: bool,
    pub auto_parse_hash: bool,
    /// The widget's buttons log in in a popup (`auth.redirect: false`).
    pub popup: bool,
    /// `checkSession` on load (`auth.sso: true`).
    pub sso: bool,
    /// `auth.useRefreshTokens`.
    pub use_refresh_tokens: bool,
    /// `auth.autoRenew`.
    pub auto_renew: bool,
    pub token_storage: TokenStorage,
    pub service_worker_url: Option<String>,
}

impl Settings {
    /// `page_url` is the current page without query or fragment: the default redirect URL.
    pub fn new(
        client_id: &str,
        domain: &str,
        options: Options,
        page_url: &str,
        urls: &dyn UrlParser,
    ) -> Result<Self, Error> {
        if client_id.trim().is_empty() {
            return Err(invalid("clientId", "must be a non-empty string"));
        }
        let broker = match domain.trim() {
            "" => None,
            domain => Some(BrokerOrigin::parse(domain, urls)?),
        };
        let auth = options.auth.unwrap_or_default();
        let direct = options
            .connections
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.parse(urls))
            .collect::<Result<Vec<_>, _>>()?;
        if broker.is_none() && direct.is_empty() {
            return Err(Error::NoProvider);
        }
        let redirect = auth.redirect_url.as_deref().unwrap_or(page_url);
        redirect_uri(urls, "auth.redirectUrl", redirect)?;
        let silent_redirect = match auth.silent_redirect_url.as_deref() {
            None => redirect,
            Some(url) => {
                let parsed = redirect_uri(urls, "auth.silentRedirectUrl", url)?;
                // The waiting window reads the answer from that page's address: only a page
                // of its own origin lets it.
                let page_origin = urls.parse(page_url).map(|p| p.origin);
                if page_origin.as_deref() != Some(parsed.origin.as_str()) {
                    return Err(invalid(
                        "auth.silentRedirectUrl",
                        "must be a page of this page's origin",
                    ));
                }
                url
            }
        };
        match auth.response_type.as_deref() {
            None | Some("code") => {}
            Some(other) => {
                return Err(invalid(
                    "auth.responseType",
                    &("`".to_owned()
                        + other
                        + "` is not supported: use `code` (authorization code with PKCE)"),
                ))
            }
        }
        let params = auth_params(
            texts(auth.params.unwrap_or_default()),
            Scope::DEFAULT,
            auth.use_refresh_tokens == Some(true),
        )?;
        if let Some(list) = &options.allowed_connections {
            if list.iter().any(|c| c.trim().is_empty()) {
                return Err(invalid("allowedConnections", "names must be non-empty"));
            }
        }
        // Lock's order: the first of these that is given is the base.
        let base = [
            ("clientBaseUrl", options.client_base_url),
            ("configurationBaseUrl", options.configuration_base_url),
            ("assetsUrl", options.assets_url),
        ]
        .into_iter()
        .find_map(|(name, url)| Some((name, url?)));
        let configuration_base_url = match (base, &broker) {
            // The connections on offer come from there: it must be as safe as the broker.
            (Some((name, url)), Some(_)) => {
                web_url::secure(urls, &url).map_err(|e| invalid(name, e.reason()))?;
                Some(super::encoding::trim_end_byte(url.trim(), b'/').to_owned())
            }
            (Some((name, _)), None) => return Err(invalid(name, "needs a domain")),
            (None, Some(broker)) => Some(broker.as_str().to_owned()),
            (None, None) => None,
        };
        let language = match options.language.as_deref() {
            None => Language::English,
            Some(tag) => Language::parse(tag).ok_or_else(|| {
                invalid(
                    "language",
                    "is not a language of the widget (en, es, fr, de, ja, ar); languageDictionary sets any text",
                )
            })?,
        };
        let leeway = options.leeway.unwrap_or(DEFAULT_LEEWAY_SECS);
        if leeway > MAX_LEEWAY_SECS {
            return Err(invalid(
                "leeway",
                "is at most 300 seconds: a longer leeway would accept expired tokens",
            ));
        }
        Ok(Self {
            client_id: ClientId::new(client_id),
            broker,
            redirect_url: RedirectUrl::new(redirect),
            silent_redirect_url: RedirectUrl::new(silent_redirect),
            params,
            configuration_base_url,
            configuration_format: options.configuration_format.unwrap_or_default(),
            direct,
            allowed_connections: options.allowed_connections,
            container: options.container,
            closable: options.closable.unwrap_or(true),
            remember_last_login: options.remember_last_login.unwrap_or(true),
            leeway,
            theme: options.theme.unwrap_or_default(),
            language,
            language_base_url: options
                .language_base_url
                .map(|base| super::encoding::trim_end_byte(base.trim(), b'/').to_owned()),
            language_dictionary: options
                .language_dictionary
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(key, text)| Some((key, text?)))
                .collect(),
            stylesheet: options.stylesheet.unwrap_or(true),
            auto_parse_hash: auth.auto_parse_hash.unwrap_or(true),
            popup: auth.redirect == Some(false),
            sso: auth.sso == Some(true),
            use_refresh_tokens: auth.use_refresh_tokens == Some(true),
            auto_renew: auth.auto_renew == Some(true),
            token_storage: auth.token_storage.unwrap_or_default(),
            service_worker_url: auth.service_worker_url,
        })
    }

    /// Lock's client configuration URL, `{clientBaseUrl}/client/{clientId}.js` (`.json` for
    /// `configurationFormat: 'json'`).
    pub fn client_configuration_url(&self) -> Option<String> {
        let mut out = self.configuration_base_url.clone()? + "/client/";
        super::encoding::encode_component(self.client_id.as_str(), &mut out);
        out.push_str(self.configuration_format.suffix());
        Some(out)
    }
}

/// A redirect URI given as the option `option`: an http(s) URL without credentials or a
/// fragment (RFC 6749 §3.1.2).
fn redirect_uri(urls: &dyn UrlParser, option: &str, url: &str) -> Result<ParsedUrl, Error> {
    let parsed = web_url::http(urls, url).map_err(|e| invalid(option, e.reason()))?;
    // Any `#`, even an empty fragment that a parsed URL no longer shows.
    if super::encoding::has(url, b'#') {
        return Err(invalid(
            option,
            "must not contain a fragment (RFC 6749 §3.1.2)",
        ));
    }
    Ok(parsed)
}

/// Authorize parameters as the app gave them, those set to null or undefined left out.
fn texts(params: BTreeMap<String, ParamText>) -> Vec<(String, String)> {
    params
        .into_iter()
        .filter_map(|(name, text)| Some((name, text.0?)))
        .collect()
}

/// `params` with their `scope` (else `default_scope`) taken out and read; with refresh
/// tokens, `offline_access` is asked for too (OpenID Connect Core §11).
fn auth_params(
    mut params: Vec<(String, String)>,
    default_scope: &str,
    use_refresh_tokens: bool,
) -> Result<AuthParams, Error> {
    let scope = match params.iter().position(|(k, _)| k == "scope") {
        Some(i) => Scope::parse(&params.remove(i).1),
        None => Scope::parse(default_scope),
    };
    let scope = match use_refresh_tokens {
        true => Scope::parse(&cat(&[scope.as_str(), " offline_access"])),
        false => scope,
    };
    AuthParams::new(scope, params)
}

impl Settings {
    /// The authorize parameters of one showing (Lock's `show({ auth: { params } })`): the
    /// widget's `auth.params` with these over them, by name; their `scope`, if any, in place
    /// of the widget's. The same rules hold: the widget's own parameters are refused.
    pub fn params_for_show(&self, show: BTreeMap<String, ParamText>) -> Result<AuthParams, Error> {
        let mut merged = self.params.extra.clone();
        for (name, text) in texts(show) {
            match merged.iter_mut().find(|(k, _)| *k == name) {
                Some(existing) => existing.1 = text,
                None => merged.push((name, text)),
            }
        }
        auth_params(merged, self.params.scope.as_str(), self.use_refresh_tokens)
    }

    /// The texts of one showing (Lock's `show({ languageDictionary })`) over the widget's.
    pub fn dictionary_for_show(
        &self,
        show: BTreeMap<String, Option<String>>,
    ) -> Vec<(String, String)> {
        let mut merged: Vec<(String, String)> = show
            .into_iter()
            .filter_map(|(key, text)| Some((key, text?)))
            .collect();
        for (key, text) in &self.language_dictionary {
            if !merged.iter().any(|(k, _)| k == key) {
                merged.push((key.clone(), text.clone()));
            }
        }
        merged
    }
}

fn invalid(option: &str, reason: &str) -> Error {
    Error::InvalidOption {
        option: option.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::from_json;
    use crate::core::web_url::Whatwg;

    fn options(json: &str) -> Options {
        from_json(json).expect("options json")
    }

    #[test]
    fn bare_domains_mean_https_and_loopback_may_use_http() {
        assert_eq!(
            BrokerOrigin::parse("Tenant.Example.com", &Whatwg).map(|b| b.0),
            Ok("https://tenant.example.com".into())
        );
        assert_eq!(
            BrokerOrigin::parse("http://127.0.0.1:3000/", &Whatwg).map(|b| b.0),
            Ok("http://127.0.0.1:3000".into())
        );
        assert!(BrokerOrigin::parse("http://localhost:8080", &Whatwg).is_ok());
        assert!(BrokerOrigin::parse("http://[::1]:8080", &Whatwg).is_ok());
        assert_eq!(
            BrokerOrigin::parse("https://tenant.example.com:443", &Whatwg).map(|b| b.0),
            Ok("https://tenant.example.com".into())
        );
    }

    #[test]
    fn the_configuration_base_url_must_be_as_safe_as_the_broker() {
        let with = |base: &str| {
            let o = options(&format!(r#"{{"configurationBaseUrl":"{base}"}}"#));
            Settings::new("abc", "tenant.example.com", o, "https://app/", &Whatwg)
        };
        assert!(with("https://cdn.example.com/").is_ok());
        assert!(with("http://127.0.0.1:3000").is_ok());
        for bad in [
            "http://cdn.example.com",
            "http://127.cdn.example.com",
            "/relative",
        ] {
            assert!(
                matches!(with(bad), Err(Error::InvalidOption { ref option, .. }) if option == "configurationBaseUrl"),
                "{bad}"
            );
        }
    }

    #[test]
    fn rejects_http_for_public_hosts_and_domains_with_paths() {
        for bad in [
            "http://tenant.example.com",
            "https://tenant.example.com/path",
            "tenant.example.com?x=1",
            "user@tenant.example.com",
            "javascript:alert(1)",
            "",
            "ftp://127.0.0.1",
            "http://127.op.example.com",
            "127.op.example.com:80/x",
            "http://127.0.0.1@op.example.com",
            "http://localhost:1@evil.example",
            "https://tenant.example.com#x",
        ] {
            assert!(
                matches!(
                    BrokerOrigin::parse(bad, &Whatwg),
                    Err(Error::InvalidDomain(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn broker_issuer_candidates_are_exact_strings() {
        let b = BrokerOrigin::parse("tenant.example.com", &Whatwg).expect("domain");
        assert_eq!(
            b.issuer_candidates(),
            [
                "https://tenant.example.com/".to_owned(),
                "https://tenant.example.com".to_owned()
            ]
        );
    }

    #[test]
    fn defaults_follow_lock() {
        let s = tenant_settings(Options::default()).expect("settings");
        assert_eq!(s.redirect_url.as_str(), "https://app.example.com/");
        assert_eq!(
            s.client_configuration_url().as_deref(),
            Some("https://tenant.example.com/client/abc.js")
        );
        assert_eq!(s.params.scope.as_str(), "openid profile email");
        assert!(s.closable);
        assert_eq!(s.leeway, 60);
        assert!(!s.auto_renew);
    }

    #[test]
    fn a_showing_puts_its_params_and_texts_over_the_widgets() {
        let options: Options = from_json(
            r#"{"auth":{"params":{"prompt":"login","audience":"api","scope":"openid email"},
                "useRefreshTokens":true},
                "languageDictionary":{"title":"Mine","closeLabel":"Shut"}}"#,
        )
        .expect("options");
        let s = tenant_settings(options).expect("settings");
        let show: BTreeMap<String, ParamText> =
            from_json(r#"{"prompt":"consent","ui_locales":"fr","max_age":60}"#).expect("params");
        let p = s.params_for_show(show).expect("params");
        assert_eq!(
            p.scope.as_str(),
            "openid email offline_access",
            "the widget's scope"
        );
        assert_eq!(
            p.extra,
            [
                ("audience".to_owned(), "api".to_owned()),
                ("prompt".to_owned(), "consent".to_owned()),
                ("max_age".to_owned(), "60".to_owned()),
                ("ui_locales".to_owned(), "fr".to_owned()),
            ]
        );
        assert_eq!(p.max_age, Some(60));
        let scoped: BTreeMap<String, ParamText> =
            from_json(r#"{"scope":"profile"}"#).expect("params");
        assert_eq!(
            s.params_for_show(scoped).expect("params").scope.as_str(),
            "openid profile offline_access"
        );
        let reserved: BTreeMap<String, ParamText> =
            from_json(r#"{"state":"mine"}"#).expect("params");
        assert!(matches!(
            s.params_for_show(reserved),
            Err(Error::ReservedParameter(p)) if p == "state"
        ));
        // The widget's own parameters are as they were.
        assert_eq!(s.params.extra.len(), 2);

        let texts: BTreeMap<String, Option<String>> =
            from_json(r#"{"title":"For this showing","retryLabel":null}"#).expect("texts");
        assert_eq!(
            s.dictionary_for_show(texts),
            [
                ("title".to_owned(), "For this showing".to_owned()),
                ("closeLabel".to_owned(), "Shut".to_owned()),
            ]
        );
    }

    /// The settings of a widget for `tenant.example.com` on `https://app.example.com/`.
    fn tenant_settings(options: Options) -> Result<Settings, Error> {
        Settings::new(
            "abc",
            "tenant.example.com",
            options,
            "https://app.example.com/",
            &Whatwg,
        )
    }

    #[test]
    fn the_silent_redirect_url_is_the_redirect_url_unless_a_page_of_this_origin_is_named() {
        let with = |auth: &str| {
            tenant_settings(from_json(&["{\"auth\":", auth, "}"].concat()).expect("options"))
        };
        let s = with(r#"{"redirectUrl":"https://app.example.com/cb"}"#).expect("settings");
        assert_eq!(s.silent_redirect_url.as_str(), "https://app.example.com/cb");
        let s = with(r#"{"silentRedirectUrl":"https://app.example.com/silent.html"}"#)
            .expect("settings");
        assert_eq!(
            s.silent_redirect_url.as_str(),
            "https://app.example.com/silent.html"
        );
        for (bad, why) in [
            (
                "https://other.example.com/silent.html",
                "this page's origin",
            ),
            ("http://app.example.com/silent.html", "this page's origin"),
            ("https://app.example.com/silent.html#x", "fragment"),
            ("javascript:alert(1)", ""),
        ] {
            match with(&["{\"silentRedirectUrl\":\"", bad, "\"}"].concat()) {
                Err(Error::InvalidOption { option, reason }) => {
                    assert_eq!(option, "auth.silentRedirectUrl", "{bad}");
                    assert!(reason.contains(why), "{bad}: {reason}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_leeway_over_five_minutes_is_refused_as_lock_refuses_it() {
        let with = |leeway: u64| {
            tenant_settings(Options {
                leeway: Some(leeway),
                ..Options::default()
            })
        };
        assert_eq!(with(300).map(|s| s.leeway).ok(), Some(300));
        match with(301) {
            Err(Error::InvalidOption { option, reason }) => {
                assert_eq!(option, "leeway");
                assert!(reason.contains("at most 300"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_lock_option_names() {
        let o = options(
            r##"{"container":"root","allowedConnections":["a","b"],
                "auth":{"redirectUrl":"https://app/cb","responseType":"code",
                        "params":{"scope":"openid email","max_age":3600,"prompt":"login"}},
                "configurationBaseUrl":"https://cdn.example.com/","theme":{"primaryColor":"#123456"},
                "languageDictionary":{"title":"Hi"},"closable":false}"##,
        );
        let s = Settings::new("abc", "tenant.example.com", o, "https://app/", &Whatwg)
            .expect("settings");
        assert_eq!(s.container.as_deref(), Some("root"));
        assert_eq!(s.redirect_url.as_str(), "https://app/cb");
        assert_eq!(s.params.scope.as_str(), "openid email");
        assert_eq!(
            s.params
                .extra
                .iter()
                .find(|(k, _)| k == "max_age")
                .map(|(_, v)| v.as_str()),
            Some("3600")
        );
        assert_eq!(s.params.max_age, Some(3600));
        assert_eq!(
            s.configuration_base_url.as_deref(),
            Some("https://cdn.example.com")
        );
        assert_eq!(s.theme.primary_color.as_deref(), Some("#123456"));
        assert!(!s.closable);
    }

    #[test]
    fn the_client_configuration_is_found_as_lock_finds_it() {
        let url = |json: &str| {
            Settings::new(
                "abc",
                "acme.eu.auth0.com",
                options(json),
                "https://app/",
                &Whatwg,
            )
            .map(|s| s.client_configuration_url())
        };
        // auth0-lock 14: clientBaseUrl, else configurationBaseUrl, else assetsUrl, else the
        // domain itself (a regional or a custom domain alike).
        assert_eq!(
            url("{}"),
            Ok(Some("https://acme.eu.auth0.com/client/abc.js".into()))
        );
        let custom = Settings::new(
            "abc",
            "login.acme.example",
            options("{}"),
            "https://app/",
            &Whatwg,
        )
        .map(|s| s.client_configuration_url());
        assert_eq!(
            custom,
            Ok(Some("https://login.acme.example/client/abc.js".into()))
        );
        assert_eq!(
            url(
                r#"{"assetsUrl":"https://assets.example","configurationBaseUrl":"https://conf.example/"}"#
            ),
            Ok(Some("https://conf.example/client/abc.js".into()))
        );
        assert_eq!(
            url(
                r#"{"assetsUrl":"https://assets.example","clientBaseUrl":"https://client.example","configurationBaseUrl":"https://conf.example"}"#
            ),
            Ok(Some("https://client.example/client/abc.js".into()))
        );
        assert_eq!(
            url(r#"{"assetsUrl":"https://assets.example"}"#),
            Ok(Some("https://assets.example/client/abc.js".into()))
        );
        assert_eq!(
            url(r#"{"configurationFormat":"json"}"#),
            Ok(Some("https://acme.eu.auth0.com/client/abc.json".into()))
        );
        // Each is held to the broker's rule, and named when it fails it.
        for name in ["clientBaseUrl", "assetsUrl"] {
            let e = url(&format!(r#"{{"{name}":"http://cdn.example.com"}}"#)).unwrap_err();
            assert!(
                matches!(&e, Error::InvalidOption { option, .. } if option == name),
                "{e:?}"
            );
        }
        let e = crate::core::document::from_json::<Options>(r#"{"configurationFormat":"jsonp"}"#)
            .unwrap_err();
        assert_eq!(e.path, "configurationFormat");
    }

    #[test]
    fn direct_connections_work_without_a_broker() {
        let o = options(
            r#"{"connections":[{"name":"corp","issuer":"https://idp.example.com","client_id":"x"}]}"#,
        );
        let s = Settings::new("app", "", o, "https://app/", &Whatwg).expect("settings");
        assert!(s.broker.is_none());
        assert_eq!(s.client_configuration_url(), None);
        assert_eq!(s.direct.len(), 1);
        assert_eq!(s.direct[0].name.as_str(), "corp");
    }

    #[test]
    fn needs_a_broker_or_a_direct_connection() {
        assert_eq!(
            Settings::new("app", " ", Options::default(), "https://app/", &Whatwg).unwrap_err(),
            Error::NoProvider
        );
    }

    #[test]
    fn refuses_a_client_secret_in_the_options() {
        let o = options(
            r#"{"connections":[{"name":"corp","issuer":"https://idp.example.com","client_id":"x","client_secret":"s"}]}"#,
        );
        assert_eq!(
            Settings::new("app", "t.example.com", o, "https://app/", &Whatwg).unwrap_err(),
            Error::ClientSecretInBrowser("corp".into())
        );
    }

    #[test]
    fn names_the_bad_option() {
        let err = |o: Options| {
            Settings::new("abc", "t.example.com", o, "https://app/", &Whatwg).unwrap_err()
        };
        assert!(matches!(
            err(options(r#"{"auth":{"responseType":"token"}}"#)),
            Error::InvalidOption { option, .. } if option == "auth.responseType"
        ));
        assert!(matches!(
            err(options(r#"{"auth":{"redirectUrl":"/relative"}}"#)),
            Error::InvalidOption { option, .. } if option == "auth.redirectUrl"
        ));
        assert!(matches!(
            err(options(r#"{"auth":{"params":{"state":"mine"}}}"#)),
            Error::ReservedParameter(p) if p == "state"
        ));
        assert!(matches!(
            Settings::new("", "t.example.com", Options::default(), "https://app/", &Whatwg),
            Err(Error::InvalidOption { option, .. }) if option == "clientId"
        ));
    }

    #[test]
    fn language_is_a_built_in_one_or_a_named_error() {
        let with = |json: &str| {
            Settings::new(
                "app",
                "tenant.example",
                from_json::<Options>(json).expect("options"),
                "https://app.example/",
                &Whatwg,
            )
        };
        assert_eq!(with(r#"{}"#).expect("default").language, Language::English);
        assert_eq!(
            with(r#"{"language":"ar"}"#).expect("arabic").language,
            Language::Arabic
        );
        match with(r#"{"language":"tlh"}"#) {
            Err(Error::InvalidOption { option, .. }) => assert_eq!(option, "language"),
            other => panic!("{other:?}"),
        }
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
