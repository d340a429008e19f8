//! What the widget runs with: the options of `new Latch(clientId, domain, options)`
//! ([`super::options`]) checked once, with Lock's defaults filled in. A bad option is an error
//! that names it.

use super::authorize::{AuthParams, Scope};
use super::broker::BrokerOrigin;
use super::client_config::ConfigurationFormat;
use super::connection::Connection;
use super::dictionary::Language;
use super::options::{
    Options, ParamText, ThemeOptions, TokenStorage, DEFAULT_LEEWAY_SECS, MAX_LEEWAY_SECS,
};
use super::types::{ClientId, RedirectUrl};
use super::web_url::{self, ParsedUrl, UrlParser};
use super::Error;

use super::encoding::cat;
use crate::prelude::*;
use alloc::collections::BTreeMap;

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
    /// Where the language packs are, when the app hosts them itself: checked as the domain
    /// is, without a trailing `/`.
    pub language_base_url: Option<String>,
    pub language_dictionary: Vec<(String, String)>,
    /// The keys of `languageDictionary` that name no text of the widget: ignored, and named
    /// in one console warning.
    pub ignored_texts: Vec<String>,
    pub stylesheet: bool,
    pub auto_parse_hash: bool,
    /// The widget's buttons log in in a popup (`auth.redirect: false`).
    pub popup: bool,
    /// `checkSession` on load (`auth.sso: true`).
    pub sso: bool,
    /// `auth.useRefreshTokens` (or `auth.persistRefreshToken`).
    pub use_refresh_tokens: bool,
    /// `auth.dpop`: every login's tokens bound to the widget's key (a connection that
    /// `requires` dpop is bound without it).
    pub dpop: bool,
    /// `auth.persistRefreshToken`: the DPoP-bound refresh token survives a reload.
    pub persist_refresh_token: bool,
    /// `auth.autoRenew`.
    pub auto_renew: bool,
    pub token_storage: TokenStorage,
    pub service_worker_url: Option<String>,
    /// `auth.requestTimeout`: every request's deadline in ms, else each kind's default.
    pub request_timeout: Option<u32>,
    /// The app's server exchanges the code: the widget sends no PKCE and takes no return.
    pub server_exchange: bool,
    /// Lock's `allowSignUp`.
    pub allow_sign_up: bool,
    /// `initialScreen: 'signUp'` at construction.
    pub sign_up_first: bool,
    /// `flashMessage` at construction.
    pub flash: Option<super::payload::FlashMessage>,
    /// What the console is told once, as the widget is made (an option taken another way).
    pub notes: Vec<String>,
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
        let mut notes = Vec::new();
        // Lock's default is `code` with a redirectUrl, and that code is the server's
        // (auth0-lock 14, extractAuthOptions); otherwise `token`, done here as code + PKCE.
        let server_exchange = match auth.response_type.as_deref() {
            None | Some("code") => {
                auth.code_exchange.as_deref() == Some("server")
                    || (options.lock_names && auth.redirect_url.is_some())
            }
            Some("token" | "id_token" | "token id_token" | "id_token token") => {
                // RFC 9700 §2.1.2: the implicit grant is not to be used.
                notes.push(
                    "latch-login: auth.responseType `".to_owned()
                        + auth.response_type.as_deref().unwrap_or_default()
                        + "` is carried out as `code` with PKCE, the tokens fetched by the page (RFC 9700 deprecates the implicit grant)",
                );
                false
            }
            Some(other) => {
                return Err(invalid(
                    "auth.responseType",
                    &("`".to_owned() + other + "` is not one of code, token, id_token"),
                ))
            }
        };
        match auth.code_exchange.as_deref() {
            None | Some("page" | "server") => {}
            Some(_) => return Err(invalid("auth.codeExchange", "is `page` or `server`")),
        }
        let dpop = auth.dpop == Some(true);
        #[cfg(feature = "dpop")]
        let persist_refresh_token = auth.persist_refresh_token == Some(true);
        #[cfg(not(feature = "dpop"))]
        let persist_refresh_token = false;
        if !DPOP && dpop {
            return Err(invalid(
                "auth.dpop",
                "needs latch-login/dpop, the DPoP build",
            ));
        }
        if persist_refresh_token && !dpop {
            return Err(invalid(
                "auth.persistRefreshToken",
                "needs auth.dpop: true (a refresh token kept across reloads must be bound to a key no script can take away)",
            ));
        }
        if dpop && server_exchange {
            return Err(invalid(
                "auth.dpop",
                "needs the code exchanged in the page, not by the server",
            ));
        }
        let use_refresh_tokens = auth.use_refresh_tokens == Some(true) || persist_refresh_token;
        if server_exchange && auth.redirect == Some(false) {
            return Err(invalid(
                "auth.redirect",
                "false needs the code exchanged in the page, not by the server",
            ));
        }
        let mut given = auth.params.unwrap_or_default();
        for (name, value) in [("audience", auth.audience), ("state", auth.state)] {
            if let Some(value) = value {
                given
                    .entry(name.to_owned())
                    .or_insert(ParamText(Some(value)));
            }
        }
        let params = auth_params(texts(given), Scope::DEFAULT, use_refresh_tokens)?;
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
            None => Language::ENGLISH,
            Some(tag) => Language::parse(tag).ok_or_else(|| {
                invalid(
                    "language",
                    "is not a language of the widget (any of Lock 14's: en, es, pt-br, zh-tw, ar, ...); languageDictionary sets any text",
                )
            })?,
        };
        // The panel's words come from there, fetched with the page's own requests: held to
        // the domain's rule (https, plain http only on a loopback host, no credentials), and
        // a base that the pack's file name can follow.
        let dictionary = options.language_dictionary.unwrap_or_default();
        let language_base_url = match options.language_base_url {
            None => None,
            Some(base) => {
                let url = web_url::secure(urls, &base)
                    .map_err(|e| invalid("languageBaseUrl", e.reason()))?;
                if !url.search.is_empty() || !url.hash.is_empty() {
                    return Err(invalid(
                        "languageBaseUrl",
                        "must not have a query or a fragment: the pack's file name follows its path",
                    ));
                }
                Some(super::encoding::trim_end_byte(base.trim(), b'/').to_owned())
            }
        };
        let leeway = options.leeway.unwrap_or(DEFAULT_LEEWAY_SECS);
        if leeway > MAX_LEEWAY_SECS {
            return Err(invalid(
                "leeway",
                "is at most 300 seconds: a longer leeway would accept expired tokens",
            ));
        }
        if auth.request_timeout == Some(0) {
            return Err(invalid(
                "auth.requestTimeout",
                "must be a number of milliseconds above 0",
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
            language_base_url,
            language_dictionary: dictionary.texts,
            ignored_texts: dictionary.ignored,
            stylesheet: options.stylesheet.unwrap_or(true),
            auto_parse_hash: auth.auto_parse_hash.unwrap_or(true),
            popup: auth.redirect == Some(false),
            sso: auth.sso == Some(true),
            use_refresh_tokens,
            dpop,
            persist_refresh_token,
            auto_renew: auth.auto_renew == Some(true),
            token_storage: auth.token_storage.unwrap_or_default(),
            service_worker_url: auth.service_worker_url,
            request_timeout: auth.request_timeout,
            server_exchange,
            allow_sign_up: options.allow_sign_up != Some(false),
            sign_up_first: options.initial_screen == Some(super::payload::InitialScreen::SignUp),
            flash: options.flash_message,
            notes,
        })
    }

    /// Token requests go out from the token worker, not the page: those of a login that
    /// holds a refresh token (its answers carry it) or a DPoP key (they carry its proofs).
    pub fn token_worker(&self) -> bool {
        self.use_refresh_tokens || self.dpop
    }

    /// The deadline, in ms, of a request of `kind`.
    pub fn deadline(&self, kind: super::request::Kind) -> u32 {
        kind.deadline_ms(self.request_timeout)
    }

    /// Where the page's language pack is read from, as JSON: `{languageBaseUrl}/{tag}.json`
    /// when the app hosts the packs, else `beside`, the pack next to the widget's script as
    /// the loader found it. None for English, which is built in, or when neither is known.
    pub fn language_pack_url(&self, beside: Option<String>) -> Option<String> {
        if !self.language.needs_pack() {
            return None;
        }
        match &self.language_base_url {
            Some(base) => Some(cat(&[base, "/", &self.language.pack_file()])),
            None => beside,
        }
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
pub(super) fn texts(params: BTreeMap<String, ParamText>) -> Vec<(String, String)> {
    params
        .into_iter()
        .filter_map(|(name, text)| Some((name, text.0?)))
        .collect()
}

/// `params` with their `scope` (else `default_scope`) taken out and read; with refresh
/// tokens, `offline_access` is asked for too (OpenID Connect Core §11).
pub(super) fn auth_params(
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

/// Whether this build has DPoP (the `dpop` feature): without it, everything DPoP needs is
/// left out of the module.
pub const DPOP: bool = cfg!(feature = "dpop");

fn invalid(option: &str, reason: &str) -> Error {
    Error::InvalidOption {
        option: option.to_owned(),
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
