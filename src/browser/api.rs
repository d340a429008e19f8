//! `LatchCore`, the wasm side of `new Latch(clientId, domain, options)`. Every method is a
//! synchronous step: the wasm decides (which document to fetch, whether it is good, which
//! link to build, whether a token is accepted) and the JS wrapper (`latch-login.js`) does
//! the waiting: requests, WebCrypto, the service worker, events. Async Rust cost the module
//! a third of its size, and nothing the wasm decides ever needs to wait.
//!
//! Exported with wasm-bindgen. Payloads go out as the browser's parse of the JSON the core
//! writes, and a failed step throws its [`Error`] as `{error, errorDescription}` (Lock's field
//! names); a failed step leaves no half-done login behind.

use crate::core::authorize::AuthorizeRequest;
use crate::core::callback::{strip_response_params, AuthorizationResponse, Grant};
use crate::core::client_config::ClientConfiguration;
use crate::core::connection::{for_email, offered, Channel, Connection, ProviderSource, Route};
use crate::core::dictionary::{read_pack, Dictionary, Language};
use crate::core::discovery::{Endpoints, ProviderMetadata};
use crate::core::encoding::cat;
use crate::core::id_token::Expected;
use crate::core::jwks::JwkSet;
use crate::core::logout::LogoutRequest;
use crate::core::options::{Options, Settings};
use crate::core::profile::Profile;
use crate::core::token::{token_request, TokenErrorResponse, TokenResponse};
use crate::core::transaction::Transaction;
use crate::core::types::{ClientId, Nonce, PkceCodeVerifier, State};
use crate::core::version::Unsupported;
use crate::core::{Error, VERSION};
use crate::prelude::*;

use super::crypto::{self, SignedIdToken};
use super::host::{self, BrowserUrls, Part};
use super::storage::{self, TransactionStore};
use super::{error_json, now_secs};
use crate::core::json::{string_array, ObjectWriter};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

/// What a step throws: its [`Error`] as `{ error, errorDescription }` (Lock's field names).
#[derive(Debug)]
pub struct Thrown(pub Error);

impl From<Error> for Thrown {
    fn from(e: Error) -> Self {
        Thrown(e)
    }
}

impl From<Thrown> for JsValue {
    fn from(thrown: Thrown) -> Self {
        json(error_json(&thrown.0))
    }
}

type Step<T> = Result<T, Thrown>;

/// A payload the core wrote as JSON, as the browser's `JSON.parse` reads it.
fn json(text: String) -> JsValue {
    js_sys::JSON::parse(&text).unwrap_or(JsValue::UNDEFINED)
}

/// The login of this page, for `logout()`.
struct Session {
    connection: String,
    client_id: ClientId,
    id_token: String,
}

/// A response being completed: its transaction, then the token response, then the ID token.
struct Pending {
    tx: Transaction,
    tokens: Option<TokenResponse>,
    id_token: String,
    signed: Option<SignedIdToken>,
}

#[wasm_bindgen]
pub struct LatchCore {
    settings: Settings,
    connections: Option<Vec<Connection>>,
    /// Discovery documents by URL, read once per page. A page has one or two: a list is
    /// smaller than a map in the wasm and as fast.
    discovery: Vec<(String, ProviderMetadata)>,
    jwks: Vec<(String, JwkSet)>,
    /// The texts of the language pack, once read.
    pack: Vec<(String, String)>,
    pending: Option<Pending>,
    session: Option<Session>,
}

/// `Latch.supports(connection)`: the verdict the widget gives a connection described as in
/// the client configuration (`{strategy, min_widget_version, requires}`), for custom buttons.
/// `{supported, connection, strategy, required, actual, missing, reason}`, every member
/// present whatever the verdict.
#[wasm_bindgen]
pub fn supports(connection: &str) -> Step<JsValue> {
    let read = crate::core::json::read(connection, |o| {
        (
            o.str("name").unwrap_or_default(),
            o.str("strategy").unwrap_or_default(),
            o.str("min_widget_version"),
            o.strings("requires").unwrap_or_default(),
        )
    });
    let (name, strategy, min, requires) = read.map_err(|e| Error::InvalidOption {
        option: "connection".into(),
        reason: e.message(),
    })?;
    let requirement =
        crate::core::connection::requirement(&strategy, &Route::Broker, min, requires);
    let verdict = crate::core::version::check(&requirement, &crate::core::version::current());
    let mut o = verdict_writer(&name, &strategy, verdict.as_ref().err());
    Ok(json(o.bool("supported", verdict.is_ok()).finish()))
}

/// The payload of `unsupported_connection`: `{connection, strategy, required, actual,
/// missing, reason}`.
///
/// For a connection this widget can serve (`u` none), the same members: no required version,
/// nothing missing and no reason (null, [], null), so `Latch.supports` has one shape.
fn verdict_writer(connection: &str, strategy: &str, u: Option<&Unsupported>) -> ObjectWriter {
    let mut o = ObjectWriter::default();
    o.str("connection", connection).str("strategy", strategy);
    match u.and_then(|u| u.required.as_deref()) {
        Some(r) => o.str("required", r),
        None => o.raw("required", "null"),
    };
    o.str("actual", u.map_or(VERSION, |u| &u.actual))
        .raw("missing", &string_array(u.map_or(&[], |u| &u.missing)));
    match u {
        Some(u) => o.str("reason", &u.reason()),
        None => o.raw("reason", "null"),
    };
    o
}

/// The payload of `unsupported_connection`, as JSON.
fn unsupported_payload(connection: &str, strategy: &str, u: &Unsupported) -> String {
    verdict_writer(connection, strategy, Some(u)).finish()
}

/// What a request of the JS wrapper came back with: `status` 0 when there was no HTTP answer
/// at all (then `text` says why). The body of a 2xx answer, or why there is none.
fn body(status: u16, text: String) -> Result<String, String> {
    match status {
        0 => Err(cat(&["unreachable (", &text, ")"])),
        200..=299 => Ok(text),
        _ => Err(cat(&[
            "HTTP status ",
            &crate::core::encoding::decimal(status.into()),
        ])),
    }
}

/// The page's URL without query or fragment: the default redirect URL.
fn page_url() -> String {
    cat(&[&host::address(Part::Origin), &host::address(Part::Pathname)])
}

/// Finds an authorization response in the query or the fragment and removes it from the
/// address bar before anything else (Lock's hashCleanup), so a reload or a shared link never
/// replays it; the page's own parameters stay.
fn take_response_from_address_bar() -> Option<Result<AuthorizationResponse, Error>> {
    let search = host::address(Part::Search);
    let hash = host::address(Part::Hash);
    let query = search.strip_prefix('?').unwrap_or(&search);
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    let (response, query, fragment) = match AuthorizationResponse::parse(query) {
        Some(r) => (r, strip_response_params(query), fragment.to_owned()),
        None => {
            let r = AuthorizationResponse::parse(fragment)?;
            (r, query.to_owned(), strip_response_params(fragment))
        }
    };
    let mut clean = host::address(Part::Pathname);
    if !query.is_empty() {
        clean = clean + "?" + &query;
    }
    if !fragment.is_empty() {
        clean = clean + "#" + &fragment;
    }
    host::replace_address(&clean);
    Some(response)
}

#[wasm_bindgen]
impl LatchCore {
    /// Reads the options once, as the JSON text of the page's options object (none: the
    /// defaults); a bad one is an error naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(client_id: &str, domain: &str, options: Option<String>) -> Step<LatchCore> {
        let options = match options {
            Some(text) => Options::from_json(&text)?,
            None => Options::default(),
        };
        let settings = Settings::new(client_id, domain, options, &page_url(), &BrowserUrls)?;
        let missing_openid = settings
            .params
            .scope
            .added_openid
            .then(|| "auth.params.scope".to_owned());
        let direct_missing = settings.direct.iter().filter_map(|c| match &c.route {
            Route::Direct(d) if d.scope.added_openid => {
                Some(cat(&["connections[", c.name.as_str(), "].scopes"]))
            }
            _ => None,
        });
        for place in missing_openid.into_iter().chain(direct_missing) {
            host::warn(&cat(&[
                "latch-login: the `openid` scope was missing from ",
                &place,
                " and has been added",
            ]));
        }
        Ok(LatchCore {
            settings,
            connections: None,
            discovery: Vec::new(),
            jwks: Vec::new(),
            pack: Vec::new(),
            pending: None,
            session: None,
        })
    }

    /// Reads the language pack the wrapper loaded for `language`: `status` 0 and why when it
    /// could not be loaded, else its texts as JSON `text`. One that could not be read leaves the widget in English, and the reason is
    /// returned for the console: the texts are no reason to stop a login.
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&mut self, language: &str, status: u16, text: String) -> Option<String> {
        let wanted = self.settings.language;
        if !wanted.needs_pack() || Language::parse(language) != Some(wanted) {
            return None;
        }
        let read = body(status, text).and_then(|t| read_pack(&t).map_err(|e| e.message()));
        match read {
            Ok(pack) => {
                self.pack = pack;
                None
            }
            Err(detail) => Some(cat(&[
                "latch-login: the `",
                wanted.tag(),
                "` language pack could not be read (",
                &detail,
                "); the widget shows English",
            ])),
        }
    }

    /// Whether a login completed on this page (its connection's documents are then needed
    /// to log out).
    #[wasm_bindgen(getter = signedIn)]
    pub fn signed_in(&self) -> bool {
        self.session.is_some()
    }

    /// Lock's client configuration URL; none when the page has direct connections only.
    #[wasm_bindgen(js_name = configurationUrl)]
    pub fn configuration_url(&self) -> Option<String> {
        self.settings.client_configuration_url()
    }

    /// The redirect URL, whose folder the form_post service worker covers.
    #[wasm_bindgen(js_name = redirectUrl)]
    pub fn redirect_url(&self) -> String {
        self.settings.redirect_url.as_str().to_owned()
    }

    /// Whether a connection of the options returns by form_post (the worker is then
    /// installed on `show()`, so that a click does not wait for it).
    #[wasm_bindgen(js_name = usesFormPost)]
    pub fn uses_form_post(&self) -> bool {
        self.settings
            .direct
            .iter()
            .any(|c| matches!(&c.route, Route::Direct(d) if d.channel == Channel::Front))
    }

    /// The connections to offer: those of the client configuration (`status` and `text` of
    /// its request; `status` none when there is no broker) and the direct ones of the options,
    /// filtered by `allowedConnections`.
    #[wasm_bindgen(js_name = setConfiguration)]
    pub fn set_configuration(&mut self, status: Option<u16>, text: String) -> Step<()> {
        let mut all = Vec::new();
        if let (Some(status), Some(url)) = (status, self.settings.client_configuration_url()) {
            let text = body(status, text)
                .map_err(|detail| Error::ConfigurationUnavailable { url, detail })?;
            all = ClientConfiguration::from_json(&text)
                .and_then(|c| c.connections(self.settings.client_id.as_str()))?;
        }
        all.extend(self.settings.direct.iter().cloned());
        let list = offered(all, self.settings.allowed_connections.as_deref())?;
        self.connections = Some(list);
        Ok(())
    }

    /// `unsupported_connection` payloads, one per connection this widget cannot serve.
    pub fn unsupported(&self) -> JsValue {
        let mut out = String::from("[");
        for c in self.connections.iter().flatten() {
            if let Err(u) = c.verdict() {
                if out.len() > 1 {
                    out.push(',');
                }
                out.push_str(&unsupported_payload(c.name.as_str(), &c.strategy, &u));
            }
        }
        out.push(']');
        json(out)
    }

    /// `{displayName, formPost, unsupported, refusal}` of a connection on offer (the last two
    /// when this widget cannot serve it: the event's payload, and the error a login gets);
    /// an error for an unknown one.
    pub fn connection(&self, name: &str) -> Step<JsValue> {
        let c = self.find(name)?;
        let mut o = ObjectWriter::default();
        let redirecting = self.dictionary().fill("redirectingLabel", &c.display_name);
        o.str("redirecting", &redirecting);
        let form_post = matches!(&c.route, Route::Direct(d) if d.channel == Channel::Front);
        o.bool("formPost", form_post);
        if let Err(u) = c.verdict() {
            o.raw(
                "unsupported",
                &unsupported_payload(c.name.as_str(), &c.strategy, &u),
            );
            let refusal = Error::UnsupportedConnection {
                connection: name.to_owned(),
                reason: u.reason(),
            };
            o.raw("refusal", &error_json(&refusal));
        }
        Ok(json(o.finish()))
    }

    /// The name of the connection that claims an email's domain (home realm discovery).
    #[wasm_bindgen(js_name = forEmail)]
    pub fn for_email(&self, email: &str) -> Option<String> {
        for_email(self.connections.as_deref()?, email).map(|c| c.name.as_str().to_owned())
    }

    /// The discovery documents not read yet: for `connection`; without one, for every
    /// connection on offer (warming, so a click goes straight to the provider), or for
    /// logging out when `logout` is set. A JSON array of URLs.
    #[wasm_bindgen(js_name = discoveryUrls)]
    pub fn discovery_urls(&self, connection: Option<String>, logout: bool) -> Step<JsValue> {
        let mut wanted = Vec::new();
        let session = self.session.as_ref().map(|s| s.connection.as_str());
        match connection.as_deref().or(session.filter(|_| logout)) {
            Some(name) => wanted.extend(self.discovery_url(self.find(name)?)),
            None if logout => {
                wanted.extend(self.settings.broker.as_ref().map(|b| b.discovery_url()))
            }
            None => {
                for c in self.connections.iter().flatten() {
                    wanted.extend(self.discovery_url(c));
                }
            }
        }
        wanted.retain(|url| !self.discovery.iter().any(|(u, _)| u == url));
        wanted.dedup();
        Ok(json(string_array(&wanted)))
    }

    /// Reads the discovery document at `url` (`status` and `text` of its request).
    #[wasm_bindgen(js_name = setDiscovery)]
    pub fn set_discovery(&mut self, url: String, status: u16, text: String) -> Step<()> {
        let doc = body(status, text)
            .and_then(|text| ProviderMetadata::from_json(&text).map_err(|e| e.message()))
            .map_err(|detail| Error::DiscoveryUnavailable {
                url: url.clone(),
                detail,
            })?;
        self.discovery.retain(|(u, _)| *u != url);
        self.discovery.push((url, doc));
        Ok(())
    }

    /// Makes and stores a transaction for `connection` (with the app's `appState` as JSON
    /// text, given back by `authenticated`), and returns its authorize link. Its discovery
    /// document must have been read, and for form_post its worker installed.
    pub fn authorize(
        &self,
        connection: &str,
        app_state: Option<String>,
        login_hint: Option<String>,
    ) -> Step<String> {
        Ok(self.start_login(connection, app_state, login_hint)?)
    }

    /// Handles an authorization response in the page's query or fragment, once, and removes
    /// it from the address bar; or in `params` (a form_post body a server passed to the
    /// page). None when there is none; else what to fetch next: `{jwksUri, keysCached,
    /// tokenEndpoint?, tokenRequest?}`. The transaction is taken out of storage now: one
    /// response, one use.
    pub fn resume(&mut self, params: Option<String>) -> Step<JsValue> {
        let response = match params {
            Some(params) => AuthorizationResponse::parse(&params),
            None => take_response_from_address_bar(),
        };
        self.pending = None;
        let started = response.map(|r| self.begin(r));
        // Abandoned logins do not pile up: every page load drops the expired ones.
        if let Ok(store) = TransactionStore::open() {
            store.sweep(now_secs());
        }
        match started {
            None => Ok(JsValue::UNDEFINED),
            Some(started) => {
                let (pending, next) = started?;
                self.pending = Some(pending);
                Ok(json(next))
            }
        }
    }

    /// The token response (`status` and `text`), for a code.
    pub fn tokens(&mut self, status: u16, text: String) -> Step<()> {
        let mut pending = self.pending.take().ok_or(Error::StateMismatch)?;
        let tokens = match (status, body(status, text.clone())) {
            (_, Ok(text)) => TokenResponse::from_json(&text)
                .map_err(|e| Error::InvalidTokenResponse(e.message()))
                .and_then(|t| {
                    pending.id_token = t.checked_id_token()?.to_owned();
                    Ok(t)
                }),
            (0, Err(detail)) => Err(Error::Network {
                url: pending.tx.token_endpoint.clone().unwrap_or_default(),
                detail,
            }),
            // A refusal keeps the provider's own words.
            (_, Err(detail)) => Err(match TokenErrorResponse::from_json(&text) {
                Ok(e) => e.into(),
                Err(_) => Error::InvalidTokenResponse(detail),
            }),
        };
        pending.tokens = Some(tokens?);
        self.pending = Some(pending);
        Ok(())
    }

    /// Picks the ID token's key from the issuer's JWKS: the cached set when `status` is
    /// none, else the one fetched (`status` and `text`; `refetched` when it was fetched again
    /// for a key it lacked). None asks for that one refetch (key rotation); otherwise the
    /// signature check for the wrapper to run (see [`crypto::signature_check`]).
    pub fn key(
        &mut self,
        status: Option<u16>,
        text: String,
        refetched: bool,
    ) -> Step<Option<String>> {
        let mut pending = self.pending.take().ok_or(Error::StateMismatch)?;
        let next = match self.pick_key(&mut pending, status, text, refetched)? {
            true => Some(
                pending
                    .signed
                    .as_ref()
                    .ok_or(Error::KeyNotFound)
                    .and_then(SignedIdToken::check)?,
            ),
            false => None,
        };
        self.pending = Some(pending);
        Ok(next)
    }

    /// The last step: with the signature's verdict, every claim check of OpenID Connect Core
    /// §3.1.3.7, then the `authenticated` payload.
    pub fn finish(&mut self, verified: bool) -> Step<JsValue> {
        let pending = self.pending.take().ok_or(Error::StateMismatch)?;
        if !verified {
            return Err(Error::InvalidSignature.into());
        }
        Ok(json(self.complete(pending)?))
    }

    /// Logs the page's login out: the provider's end_session_endpoint (or the broker's
    /// `/v2/logout`). The documents of [`LatchCore::discovery_urls`] with `logout` must have
    /// been read.
    #[wasm_bindgen(js_name = logoutUrl)]
    pub fn logout_url(&mut self, return_to: Option<String>) -> Step<String> {
        let url = self.logout_link(return_to.as_deref())?;
        self.session = None;
        Ok(url)
    }

    /// The widget's panel as JSON (see [`crate::core::view::frame`]); a `container` that
    /// names no element of the page is an error.
    pub fn frame(&self) -> Step<JsValue> {
        if let Some(id) = &self.settings.container {
            if !host::has_element(id) {
                return Err(Error::InvalidOption {
                    option: "container".into(),
                    reason: cat(&["no element has the id `", id, "`"]),
                }
                .into());
            }
        }
        Ok(json(crate::core::view::frame(
            &self.settings,
            &self.dictionary(),
        )))
    }

    /// The buttons as JSON (see [`crate::core::view::buttons`]), with the connection used
    /// last time in this browser.
    pub fn buttons(&self) -> JsValue {
        let last = self
            .settings
            .remember_last_login
            .then(|| storage::last_login(self.settings.client_id.as_str()))
            .flatten();
        json(crate::core::view::buttons(
            &self.dictionary(),
            self.connections.as_deref().unwrap_or_default(),
            &self.settings.theme,
            last.as_deref(),
        ))
    }
}

impl LatchCore {
    fn dictionary(&self) -> Dictionary<'_> {
        Dictionary::with_language(
            self.settings.language,
            &self.pack,
            &self.settings.language_dictionary,
        )
    }

    fn find(&self, name: &str) -> Result<&Connection, Error> {
        self.connections
            .iter()
            .flatten()
            .find(|c| c.name.as_str() == name)
            .ok_or_else(|| Error::UnknownConnection(name.to_owned()))
    }

    /// The discovery document a connection's endpoints come from; none when the options
    /// give them.
    fn discovery_url(&self, c: &Connection) -> Option<String> {
        match &c.route {
            Route::Broker => self.settings.broker.as_ref().map(|b| b.discovery_url()),
            Route::Direct(d) => match &d.source {
                ProviderSource::Explicit(_) => None,
                ProviderSource::Discovery { url, .. } => Some(url.clone()),
            },
        }
    }

    fn document(&self, url: &str) -> Result<&ProviderMetadata, Error> {
        self.discovery
            .iter()
            .find(|(u, _)| u == url)
            .map(|(_, doc)| doc)
            .ok_or_else(|| Error::DiscoveryUnavailable {
                url: url.to_owned(),
                detail: "not read yet".into(),
            })
    }

    /// The provider endpoints behind a connection, checked for the flow it uses.
    fn endpoints(&self, connection: &Connection) -> Result<Endpoints, Error> {
        match &connection.route {
            Route::Broker => {
                let broker = self.settings.broker.as_ref().ok_or(Error::NoProvider)?;
                self.document(&broker.discovery_url())?.for_channel(
                    &broker.issuer_candidates(),
                    Channel::Back,
                    &BrowserUrls,
                )
            }
            Route::Direct(direct) => match &direct.source {
                ProviderSource::Explicit(endpoints) => Ok(endpoints.clone()),
                ProviderSource::Discovery {
                    url,
                    expected_issuers,
                } => {
                    self.document(url)?
                        .for_channel(expected_issuers, direct.channel, &BrowserUrls)
                }
            },
        }
    }

    fn start_login(
        &self,
        connection: &str,
        app_state: Option<String>,
        login_hint: Option<String>,
    ) -> Result<String, Error> {
        let chosen = self.find(connection)?;
        if let Err(u) = chosen.verdict() {
            return Err(Error::UnsupportedConnection {
                connection: connection.to_owned(),
                reason: u.reason(),
            });
        }
        let endpoints = self.endpoints(chosen)?;
        let store = TransactionStore::open()?;
        let (client_id, channel, scope) = match &chosen.route {
            Route::Broker => (
                self.settings.client_id.clone(),
                Channel::Back,
                &self.settings.params.scope,
            ),
            Route::Direct(d) => (d.client_id.clone(), d.channel, &d.scope),
        };
        let [state, nonce, verifier] = crypto::entropy::<3>()?;
        let tx = Transaction {
            state: State::from_entropy(&state),
            nonce: Nonce::from_entropy(&nonce),
            code_verifier: (channel == Channel::Back)
                .then(|| PkceCodeVerifier::from_entropy(&verifier)),
            channel,
            client_id,
            connection: chosen.name.clone(),
            strategy: chosen.strategy.clone(),
            redirect_uri: self.settings.redirect_url.clone(),
            issuer: endpoints.issuer.clone(),
            token_endpoint: endpoints.token_endpoint.clone(),
            jwks_uri: endpoints.jwks_uri.clone(),
            iss_parameter_supported: endpoints.iss_parameter_supported,
            max_age: self.settings.params.max_age,
            app_state,
            created_at: now_secs(),
        };
        store.save(&tx)?;
        // The email typed for home realm discovery goes along as login_hint (as Lock does),
        // unless the app set one itself.
        let mut extra = alloc::borrow::Cow::Borrowed(&self.settings.params.extra[..]);
        if let Some(hint) = login_hint {
            if !extra.iter().any(|(k, _)| k == "login_hint") {
                extra.to_mut().push(("login_hint".to_owned(), hint));
            }
        }
        Ok(AuthorizeRequest {
            authorization_endpoint: &endpoints.authorization_endpoint,
            transaction: &tx,
            send_connection: chosen.route == Route::Broker,
            scope,
            extra: &extra,
        }
        .url())
    }

    /// RFC 6749 §4.1.2 and RFC 9207 on a response and its stored transaction, then what the
    /// wrapper must fetch: the token endpoint (a code) and the issuer's keys.
    fn begin(
        &self,
        response: Result<AuthorizationResponse, Error>,
    ) -> Result<(Pending, String), Error> {
        let response = response?;
        let tx = TransactionStore::open()?.take(response.state())?;
        tx.check_fresh(response.state(), now_secs())?;
        let mut next = ObjectWriter::default();
        next.str("jwksUri", &tx.jwks_uri);
        let cached = self.jwks.iter().any(|(u, _)| *u == tx.jwks_uri);
        next.bool("keysCached", cached);
        let id_token = match response.into_grant(&tx)? {
            Grant::Code(code) => {
                let (endpoint, request) = token_request(&code, &tx)?;
                next.str("tokenEndpoint", &endpoint)
                    .str("tokenRequest", &request);
                String::new()
            }
            // The front channel's ID token arrives alone, through the page (form_post).
            Grant::IdToken(id_token) => id_token,
        };
        let pending = Pending {
            tx,
            tokens: None,
            id_token,
            signed: None,
        };
        Ok((pending, next.finish()))
    }

    fn pick_key(
        &mut self,
        pending: &mut Pending,
        status: Option<u16>,
        text: String,
        refetched: bool,
    ) -> Result<bool, Error> {
        if pending.signed.is_none() {
            pending.signed = Some(SignedIdToken::parse(&pending.id_token)?);
        }
        let uri = &pending.tx.jwks_uri;
        if let Some(status) = status {
            let set = body(status, text)
                .and_then(|text| JwkSet::from_json(&text).map_err(|e| e.message()))
                .map_err(|detail| Error::Network {
                    url: uri.clone(),
                    detail,
                })?;
            self.jwks.retain(|(u, _)| u != uri);
            self.jwks.push((uri.clone(), set));
        }
        let set = self.jwks.iter().find(|(u, _)| u == uri).map(|(_, s)| s);
        match (set, &mut pending.signed) {
            (Some(set), Some(signed)) => signed.pick_key(set, refetched),
            (None, _) if !refetched => Ok(false),
            _ => Err(Error::KeyNotFound),
        }
    }

    fn complete(&mut self, pending: Pending) -> Result<String, Error> {
        let Pending {
            tx,
            tokens,
            id_token,
            signed,
        } = pending;
        let signed = signed.ok_or(Error::InvalidSignature)?;
        signed.claims.validate(&Expected {
            issuer: &tx.issuer,
            client_id: &tx.client_id,
            nonce: &tx.nonce,
            now: now_secs() as i64,
            leeway: self.settings.leeway as i64,
            max_age: tx.max_age,
        })?;
        let profile = Profile::from_claims(
            &signed.claims,
            &tx.strategy,
            tx.connection.as_str(),
            tx.client_id.as_str(),
        )?;
        let mut out = ObjectWriter::default();
        out.str("idToken", &id_token);
        if let Some(tokens) = &tokens {
            out.str("accessToken", &tokens.access_token)
                .str("tokenType", &tokens.token_type)
                .opt_u64("expiresIn", tokens.expires_in)
                .opt_str("scope", tokens.scope.as_deref());
        }
        // The claims as sent: the core's reader accepted them, and it is the stricter of the
        // two readers, so the browser's reads them too.
        // The app's state goes as the text it was stored as, which the wrapper parses on its
        // own: it comes back from storage, where any script of the origin could have changed
        // it, so it is never spliced into the payload's JSON.
        let out = out
            .raw("idTokenPayload", &signed.payload_json)
            .raw("profile", &profile.to_json())
            .str("connection", tx.connection.as_str())
            .opt_str("appState", tx.app_state.as_deref())
            .finish();
        if self.settings.remember_last_login {
            storage::remember_last_login(self.settings.client_id.as_str(), tx.connection.as_str());
        }
        self.session = Some(Session {
            connection: tx.connection.as_str().to_owned(),
            client_id: tx.client_id,
            id_token,
        });
        Ok(out)
    }

    fn logout_link(&self, return_to: Option<&str>) -> Result<String, Error> {
        let (end_session, broker, client_id, hint) = match &self.session {
            Some(session) => {
                let connection = self.find(&session.connection)?;
                let broker = match connection.route {
                    Route::Broker => self.settings.broker.as_ref(),
                    Route::Direct(_) => None,
                };
                (
                    self.endpoints(connection)?.end_session_endpoint,
                    broker,
                    &session.client_id,
                    Some(session.id_token.as_str()),
                )
            }
            None => {
                let broker = self
                    .settings
                    .broker
                    .as_ref()
                    .ok_or(Error::LogoutUnsupported)?;
                let end_session = self
                    .document(&broker.discovery_url())?
                    .for_channel(&broker.issuer_candidates(), Channel::Back, &BrowserUrls)?
                    .end_session_endpoint;
                (end_session, Some(broker), &self.settings.client_id, None)
            }
        };
        LogoutRequest {
            end_session_endpoint: end_session.as_deref(),
            broker,
            client_id,
            id_token_hint: hint,
            return_to,
        }
        .url(&BrowserUrls)
    }
}
