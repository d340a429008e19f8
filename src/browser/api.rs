//! `LatchCore`, the wasm side of `new Latch(clientId, domain, options)`. The JS wrapper
//! (`latch-login.js`) owns the event listeners and queues calls until the wasm is loaded;
//! this type owns the login: configuration, buttons, transactions and the callback.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};
use web_sys::{Element, Event, KeyboardEvent};

use crate::core::authorize::AuthorizeRequest;
use crate::core::callback::{strip_response_params, AuthorizationResponse, Grant};
use crate::core::client_config::ClientConfiguration;
use crate::core::connection::{for_email, offered, Channel, Connection, ProviderSource, Route};
use crate::core::dictionary::Dictionary;
use crate::core::discovery::{Endpoints, ProviderMetadata};
use crate::core::id_token::Expected;
use crate::core::jwks::JwkSet;
use crate::core::logout::LogoutRequest;
use crate::core::options::{Options, Settings};
use crate::core::profile::Profile;
use crate::core::token::{token_request, TokenErrorResponse, TokenResponse};
use crate::core::transaction::Transaction;
use crate::core::types::{AuthorizationCode, ClientId, Nonce, PkceCodeVerifier, State};
use crate::core::{Error, VERSION};

use super::net::{self, FetchError};
use super::storage::{self, TransactionStore};
use super::view::View;
use super::{crypto, error_payload, now_secs, panic, set};

type Listener = Closure<dyn FnMut(Event)>;

struct Session {
    connection: String,
    client_id: ClientId,
    id_token: String,
}

#[wasm_bindgen]
pub struct LatchCore {
    inner: Rc<Inner>,
}

struct Inner {
    settings: Settings,
    emit: js_sys::Function,
    /// `(redirectUrl) => Promise`: registers the form_post service worker (latch-login.js).
    form_post: js_sys::Function,
    view: RefCell<Option<View>>,
    /// The click/keydown handler on the view's root; it lives as long as the view does.
    listener: RefCell<Option<Listener>>,
    connections: RefCell<Option<Rc<Vec<Connection>>>>,
    /// The client configuration's request, when the page started it while the wasm was still
    /// loading (`{url, response}` from latch-login.js): used if its URL is the one the
    /// settings name, once.
    prefetched: RefCell<Option<(String, JsFuture)>>,
    /// Discovery documents by URL, fetched once per page. A page has one or two: a list
    /// is smaller than a map in the wasm and as fast.
    discovery: RefCell<Vec<(String, ProviderMetadata)>>,
    /// The checked endpoints per connection name: a document is judged once per page.
    endpoints: RefCell<Vec<(String, Endpoints)>>,
    jwks: RefCell<Vec<(String, Rc<JwkSet>)>>,
    /// The login of this page, for `logout()`.
    session: RefCell<Option<Session>>,
    /// A response from the address bar is being checked.
    resuming: Cell<bool>,
    /// An error raised before the widget was on screen, shown by the next `show()`.
    unseen_error: RefCell<Option<String>>,
}

/// The widget's version, from Cargo.toml.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    VERSION.to_owned()
}

/// `Latch.supports(connection)`: the verdict the widget gives a connection described as in
/// the client configuration (`{strategy, min_widget_version, requires}`), for custom buttons.
/// `{supported, connection, strategy, required, actual, missing, reason}`.
#[wasm_bindgen(js_name = supports)]
pub fn supports(connection: &str) -> Result<JsValue, JsValue> {
    let read = crate::core::json::read(connection, |o| {
        (
            o.str("name").unwrap_or_default(),
            o.str("strategy").unwrap_or_default(),
            o.str("min_widget_version"),
            o.strings("requires").unwrap_or_default(),
        )
    });
    let (name, strategy, min, requires) = read.map_err(|e| {
        error_payload(&Error::InvalidOption {
            option: "connection".into(),
            reason: e.message(),
        })
    })?;
    let requirement =
        crate::core::connection::requirement(&strategy, &Route::Broker, min, requires);
    let verdict =
        crate::core::version::check(&requirement, &crate::core::version::Version::current());
    let payload = match &verdict {
        Ok(()) => {
            let o = js_sys::Object::new();
            set(&o, "connection", &name.as_str().into());
            set(&o, "strategy", &strategy.as_str().into());
            set(&o, "actual", &VERSION.into());
            o
        }
        Err(u) => unsupported_payload(&name, &strategy, u),
    };
    set(&payload, "supported", &verdict.is_ok().into());
    Ok(payload.into())
}

/// The payload of `unsupported_connection`: `{connection, strategy, required, actual,
/// missing, reason}`.
fn unsupported_payload(
    connection: &str,
    strategy: &str,
    u: &crate::core::version::Unsupported,
) -> js_sys::Object {
    let o = js_sys::Object::new();
    set(&o, "connection", &connection.into());
    set(&o, "strategy", &strategy.into());
    let required = u.required.as_deref().map_or(JsValue::NULL, JsValue::from);
    set(&o, "required", &required);
    set(&o, "actual", &u.actual.as_str().into());
    let missing = js_sys::Array::new();
    for m in &u.missing {
        missing.push(&m.as_str().into());
    }
    set(&o, "missing", &missing);
    set(&o, "reason", &u.reason().into());
    o
}

#[wasm_bindgen]
impl LatchCore {
    /// Reads the options once; a bad one throws `{error, errorDescription}` naming it.
    #[wasm_bindgen(constructor)]
    pub fn new(
        client_id: String,
        domain: String,
        options: JsValue,
        emit: js_sys::Function,
        form_post: js_sys::Function,
        prefetched: JsValue,
    ) -> Result<LatchCore, JsValue> {
        panic::register(&emit);
        let options: Options = if options.is_undefined() || options.is_null() {
            Options::default()
        } else {
            // The options as JSON text, read by the core: functions and `undefined` members
            // drop out, as they would have no meaning to the wasm anyway.
            let text = js_sys::JSON::stringify(&options)
                .ok()
                .and_then(|t| t.as_string())
                .ok_or_else(|| {
                    error_payload(&Error::InvalidOption {
                        option: "options".into(),
                        reason: "must be a plain object (JSON.stringify failed)".into(),
                    })
                })?;
            Options::from_json(&text).map_err(|e| error_payload(&e))?
        };
        let settings = Settings::new(&client_id, &domain, options, &page_url())
            .map_err(|e| error_payload(&e))?;
        let missing_openid = settings
            .params
            .scope
            .added_openid
            .then(|| "auth.params.scope".to_owned());
        let direct_missing = settings.direct.iter().filter_map(|c| match &c.route {
            Route::Direct(d) if d.scope.added_openid => {
                Some("connections[".to_owned() + c.name.as_str() + "].scopes")
            }
            _ => None,
        });
        for place in missing_openid.into_iter().chain(direct_missing) {
            web_sys::console::warn_1(
                &("latch-login: the `openid` scope was missing from ".to_owned()
                    + &place
                    + " and has been added")
                    .into(),
            );
        }
        Ok(LatchCore {
            inner: Rc::new(Inner {
                settings,
                emit,
                form_post,
                view: RefCell::new(None),
                listener: RefCell::new(None),
                connections: RefCell::new(None),
                prefetched: RefCell::new(started_request(&prefetched)),
                discovery: RefCell::new(Vec::new()),
                endpoints: RefCell::new(Vec::new()),
                jwks: RefCell::new(Vec::new()),
                session: RefCell::new(None),
                resuming: Cell::new(false),
                unseen_error: RefCell::new(None),
            }),
        })
    }

    /// Handles an authorization response in the page's query or fragment, once, and removes
    /// it from the address bar; or in `params` (a form_post body a server passed to the page).
    /// Returns whether there was one.
    #[wasm_bindgen(js_name = resumeAuth)]
    pub fn resume_auth(&self, params: Option<String>) -> bool {
        let found = Inner::resume(&self.inner, params);
        if let Ok(store) = TransactionStore::open() {
            store.sweep(now_secs());
        }
        found
    }

    pub fn show(&self) {
        Inner::show(&self.inner);
    }

    pub fn hide(&self) {
        self.inner.hide();
    }

    /// Resolves to an authorize link for `connection` (for custom buttons); the login it
    /// starts is stored like any other.
    #[wasm_bindgen(js_name = authorizeUrl)]
    pub fn authorize_url(&self, connection: String, app_state: JsValue) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            inner
                .start_login(&connection, &app_state, None)
                .await
                .map(JsValue::from)
                .map_err(|e| error_payload(&e))
        })
    }

    /// Sends the user to `connection`.
    pub fn login(&self, connection: String, app_state: JsValue) {
        Inner::login(&self.inner, connection, app_state, None);
    }

    /// Ends the session at the provider and comes back to `return_to`. Resolves to the
    /// logout link after navigating to it.
    pub fn logout(&self, return_to: Option<String>) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let url = inner
                .logout_url(return_to.as_deref())
                .await
                .map_err(|e| error_payload(&e))?;
            inner.session.borrow_mut().take();
            if let Some(w) = web_sys::window() {
                let _ = w.location().assign(&url);
            }
            Ok(url.into())
        })
    }
}

/// Finds an authorization response in the query or the fragment and removes it from the
/// address bar before anything else (Lock's hashCleanup), so a reload or a shared link never
/// replays it; the page's own parameters stay.
fn take_response_from_address_bar() -> Option<Result<AuthorizationResponse, Error>> {
    let window = web_sys::window()?;
    let location = window.location();
    let search = location.search().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let query = search.strip_prefix('?').unwrap_or(&search);
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    let (response, query, fragment) = match AuthorizationResponse::parse(query) {
        Some(r) => (r, strip_response_params(query), fragment.to_owned()),
        None => {
            let r = AuthorizationResponse::parse(fragment)?;
            (r, query.to_owned(), strip_response_params(fragment))
        }
    };
    let mut clean = location.pathname().unwrap_or_default();
    if !query.is_empty() {
        clean = clean + "?" + &query;
    }
    if !fragment.is_empty() {
        clean = clean + "#" + &fragment;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean));
    }
    Some(response)
}

/// `{url, response}`: a GET the page started, with its `fetch()` promise.
fn started_request(value: &JsValue) -> Option<(String, JsFuture)> {
    let url = js_sys::Reflect::get(value, &"url".into())
        .ok()?
        .as_string()?;
    let response = js_sys::Reflect::get(value, &"response".into()).ok()?;
    let promise = response.dyn_into::<js_sys::Promise>().ok()?;
    Some((url, JsFuture::from(promise)))
}

/// The page's URL without query or fragment: the default redirect URL.
fn page_url() -> String {
    web_sys::window()
        .map(|w| w.location())
        .and_then(|l| Some(l.origin().ok()? + &l.pathname().ok()?))
        .unwrap_or_default()
}

impl Inner {
    fn dictionary(&self) -> Dictionary<'_> {
        Dictionary::with_language(self.settings.language, &self.settings.language_dictionary)
    }

    fn emit(&self, name: &str, payload: &JsValue) {
        let _ = self.emit.call2(&JsValue::NULL, &name.into(), payload);
    }

    fn fail(&self, event: &str, error: &Error) {
        match self.view.borrow().as_ref() {
            Some(view) => view.error(&self.dictionary(), &error.message()),
            None => *self.unseen_error.borrow_mut() = Some(error.message()),
        }
        web_sys::console::error_1(&("latch-login: ".to_owned() + &error.message()).into());
        self.emit(event, &error_payload(error));
    }

    fn show(this: &Rc<Self>) {
        if this.view.borrow().is_some() {
            return;
        }
        let view = match View::mount(&this.settings, &this.dictionary()) {
            Ok(view) => view,
            Err(e) => return this.fail("unrecoverable_error", &e),
        };
        let weak = Rc::downgrade(this);
        let listener = Listener::new(move |event: Event| {
            if let Some(inner) = weak.upgrade() {
                Inner::on_event(&inner, &event);
            }
        });
        for kind in ["click", "keydown", "submit"] {
            let _ = view
                .root()
                .add_event_listener_with_callback(kind, listener.as_ref().unchecked_ref());
        }
        *this.listener.borrow_mut() = Some(listener);
        let cached = this.connections.borrow().clone();
        let unseen = this.unseen_error.borrow_mut().take();
        let busy = this.resuming.get() || unseen.is_some();
        match (unseen, cached) {
            // A failed return is shown until the user picks "Try again".
            (Some(message), _) => view.error(&this.dictionary(), &message),
            _ if this.resuming.get() => view.signing_in(&this.dictionary()),
            (None, Some(list)) => view.connections(
                &this.dictionary(),
                &list,
                &this.settings.theme,
                this.last_login().as_deref(),
            ),
            (None, None) => view.loading(&this.dictionary()),
        }
        *this.view.borrow_mut() = Some(view);
        this.emit("show", &JsValue::UNDEFINED);
        let front_channel = this
            .settings
            .direct
            .iter()
            .any(|c| matches!(&c.route, Route::Direct(d) if d.channel == Channel::Front));
        if front_channel {
            // Installed now, so that a click does not wait for it.
            let inner = this.clone();
            spawn_local(async move {
                if let Err(e) = inner.prepare_form_post().await {
                    web_sys::console::warn_1(&("latch-login: ".to_owned() + &e.message()).into());
                }
            });
        }
        if !busy {
            Inner::load(this);
        }
    }

    fn hide(&self) {
        if let Some(view) = self.view.borrow_mut().take() {
            view.remove();
            self.listener.borrow_mut().take();
            self.emit("hide", &JsValue::UNDEFINED);
        }
    }

    /// Loads the client configuration into the buttons, then warms the discovery cache so
    /// a click goes straight to the provider.
    fn load(this: &Rc<Self>) {
        let inner = this.clone();
        spawn_local(async move {
            match inner.connections().await {
                Ok(list) => {
                    if let Some(view) = inner.view.borrow().as_ref() {
                        view.connections(
                            &inner.dictionary(),
                            &list,
                            &inner.settings.theme,
                            inner.last_login().as_deref(),
                        );
                    }
                    for c in list.iter() {
                        if let Err(u) = c.verdict() {
                            inner.unsupported(c, &u);
                        }
                    }
                    inner.emit("signin ready", &JsValue::UNDEFINED);
                    // Warm the discovery cache so that a click goes straight to the provider.
                    for c in list.iter() {
                        let _ = inner.endpoints(c).await;
                    }
                }
                Err(e) => inner.fail("unrecoverable_error", &e),
            }
        });
    }

    /// The connection of the last login, when the app lets the widget remember it.
    fn last_login(&self) -> Option<String> {
        if !self.settings.remember_last_login {
            return None;
        }
        storage::last_login(self.settings.client_id.as_str())
    }

    fn on_event(this: &Rc<Self>, event: &Event) {
        if event.type_() == "submit" {
            // Home realm discovery: the email's domain picks the connection.
            event.prevent_default();
            let email = this.view.borrow().as_ref().and_then(View::email);
            let list = this.connections.borrow().clone();
            let (Some(email), Some(list)) = (email, list) else {
                return;
            };
            match for_email(&list, &email) {
                Some(c) => Inner::login(
                    this,
                    c.name.as_str().to_owned(),
                    JsValue::UNDEFINED,
                    Some(email),
                ),
                None => {
                    if let Some(view) = this.view.borrow().as_ref() {
                        view.no_connection_for_email(&this.dictionary());
                    }
                }
            }
            return;
        }
        if event.type_() == "keydown" {
            let escape = event
                .dyn_ref::<KeyboardEvent>()
                .is_some_and(|k| k.key() == "Escape");
            if escape && this.settings.container.is_none() && this.settings.closable {
                this.hide();
            }
            return;
        }
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        let Ok(Some(control)) = target.closest("[data-connection],[data-action]") else {
            return;
        };
        if let Some(name) = control.get_attribute("data-connection") {
            Inner::login(this, name, JsValue::UNDEFINED, None);
        } else {
            match control.get_attribute("data-action").as_deref() {
                Some("retry") => {
                    if let Some(view) = this.view.borrow().as_ref() {
                        view.loading(&this.dictionary());
                    }
                    Inner::load(this);
                }
                Some("close") => this.hide(),
                _ => {}
            }
        }
    }

    /// Says, once per page, that a connection cannot be served: the event, and the console.
    fn unsupported(&self, c: &Connection, u: &crate::core::version::Unsupported) {
        let payload = unsupported_payload(c.name.as_str(), &c.strategy, u);
        web_sys::console::warn_1(
            &("latch-login: the connection `".to_owned() + c.name.as_str() + "` " + &u.reason())
                .into(),
        );
        self.emit("unsupported_connection", &payload.into());
    }

    fn login(this: &Rc<Self>, connection: String, app_state: JsValue, login_hint: Option<String>) {
        let inner = this.clone();
        spawn_local(async move {
            // A connection this widget cannot serve is refused here, before anything changes
            // on screen: its button is already disabled with the reason.
            let chosen = inner.connection(&connection).await;
            if let Ok(c) = &chosen {
                if let Err(u) = c.verdict() {
                    inner.unsupported(c, &u);
                    return;
                }
            }
            let display = chosen.map_or_else(|_| connection.clone(), |c| c.display_name);
            if let Some(view) = inner.view.borrow().as_ref() {
                view.redirecting(&inner.dictionary(), &display);
            }
            match inner
                .start_login(&connection, &app_state, login_hint.as_deref())
                .await
            {
                Ok(url) => {
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().assign(&url);
                    }
                }
                Err(e) => inner.fail("unrecoverable_error", &e),
            }
        });
    }

    /// The connections to offer: the broker's client configuration (when there is a broker)
    /// and the direct ones from the options, filtered by `allowedConnections`.
    async fn connections(&self) -> Result<Rc<Vec<Connection>>, Error> {
        if let Some(list) = self.connections.borrow().clone() {
            return Ok(list);
        }
        let mut all = Vec::new();
        if let Some(url) = self.settings.client_configuration_url() {
            let early = self.prefetched.borrow_mut().take();
            let early = early.filter(|(u, _)| *u == url).map(|(_, request)| request);
            let text = net::get_text_started(&url, early).await.map_err(|e| {
                Error::ConfigurationUnavailable {
                    url: url.clone(),
                    detail: e.detail(),
                }
            })?;
            all = ClientConfiguration::from_json(&text)?
                .connections(self.settings.client_id.as_str())?;
        }
        all.extend(self.settings.direct.iter().cloned());
        let list = Rc::new(offered(all, self.settings.allowed_connections.as_deref())?);
        *self.connections.borrow_mut() = Some(list.clone());
        Ok(list)
    }

    async fn discovery(&self, url: &str) -> Result<ProviderMetadata, Error> {
        if let Some((_, doc)) = self.discovery.borrow().iter().find(|(u, _)| u == url) {
            return Ok(doc.clone());
        }
        let doc = net::get_text(url)
            .await
            .and_then(|text| Ok(ProviderMetadata::from_json(&text)?))
            .map_err(|e| Error::DiscoveryUnavailable {
                url: url.to_owned(),
                detail: e.detail(),
            })?;
        self.discovery
            .borrow_mut()
            .push((url.to_owned(), doc.clone()));
        Ok(doc)
    }

    /// The provider endpoints behind a connection, checked for the flow it uses (once).
    async fn endpoints(&self, connection: &Connection) -> Result<Endpoints, Error> {
        let name = connection.name.as_str();
        if let Some((_, e)) = self.endpoints.borrow().iter().find(|(n, _)| n == name) {
            return Ok(e.clone());
        }
        let checked = self.check_endpoints(connection).await?;
        self.endpoints
            .borrow_mut()
            .push((name.to_owned(), checked.clone()));
        Ok(checked)
    }

    async fn check_endpoints(&self, connection: &Connection) -> Result<Endpoints, Error> {
        match &connection.route {
            Route::Broker => {
                let broker = self.settings.broker.as_ref().ok_or(Error::NoProvider)?;
                self.discovery(&broker.discovery_url())
                    .await?
                    .for_channel(&broker.issuer_candidates(), Channel::Back)
            }
            Route::Direct(direct) => match &direct.source {
                ProviderSource::Explicit(endpoints) => Ok(endpoints.clone()),
                ProviderSource::Discovery {
                    url,
                    expected_issuers,
                } => self
                    .discovery(url)
                    .await?
                    .for_channel(expected_issuers, direct.channel),
            },
        }
    }

    async fn connection(&self, name: &str) -> Result<Connection, Error> {
        self.connections()
            .await?
            .iter()
            .find(|c| c.name.as_str() == name)
            .cloned()
            .ok_or_else(|| Error::UnknownConnection(name.to_owned()))
    }

    /// Makes and stores a transaction for `connection`, and returns its authorize link.
    async fn start_login(
        &self,
        connection: &str,
        app_state: &JsValue,
        login_hint: Option<&str>,
    ) -> Result<String, Error> {
        let chosen = self.connection(connection).await?;
        if let Err(u) = chosen.verdict() {
            return Err(Error::UnsupportedConnection {
                connection: connection.to_owned(),
                reason: u.reason(),
            });
        }
        let endpoints = self.endpoints(&chosen).await?;
        let store = TransactionStore::open()?;
        let app_state = if app_state.is_undefined() {
            None
        } else {
            js_sys::JSON::stringify(app_state)
                .ok()
                .and_then(|s| s.as_string())
        };
        let (client_id, channel, scope) = match &chosen.route {
            Route::Broker => (
                self.settings.client_id.clone(),
                Channel::Back,
                &self.settings.params.scope,
            ),
            Route::Direct(d) => (d.client_id.clone(), d.channel, &d.scope),
        };
        let code_verifier = match channel {
            Channel::Back => Some(PkceCodeVerifier::from_entropy(&crypto::entropy()?)),
            Channel::Front => {
                // The response comes back as a POST: without the worker it would be lost.
                self.prepare_form_post().await?;
                None
            }
        };
        let tx = Transaction {
            state: State::from_entropy(&crypto::entropy()?),
            nonce: Nonce::from_entropy(&crypto::entropy()?),
            code_verifier,
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
        let with_hint;
        let extra = match login_hint {
            Some(hint)
                if !self
                    .settings
                    .params
                    .extra
                    .iter()
                    .any(|(k, _)| k == "login_hint") =>
            {
                with_hint = self
                    .settings
                    .params
                    .extra
                    .iter()
                    .cloned()
                    .chain([("login_hint".to_owned(), hint.to_owned())])
                    .collect::<Vec<_>>();
                &with_hint[..]
            }
            _ => &self.settings.params.extra[..],
        };
        Ok(AuthorizeRequest {
            authorization_endpoint: &endpoints.authorization_endpoint,
            transaction: &tx,
            send_connection: chosen.route == Route::Broker,
            scope,
            extra,
        }
        .url())
    }

    async fn prepare_form_post(&self) -> Result<(), Error> {
        let unavailable = |e: JsValue| {
            Error::FormPostUnavailable(
                net::js_message(&e).unwrap_or_else(|| "the form_post service worker failed".into()),
            )
        };
        let promise = self
            .form_post
            .call1(&JsValue::NULL, &self.settings.redirect_url.as_str().into())
            .map_err(unavailable)?;
        JsFuture::from(js_sys::Promise::from(promise))
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    /// The provider's end_session_endpoint for this page's login (or the broker's
    /// `/v2/logout` when it has none). Without a login on this page, the broker's session.
    async fn logout_url(&self, return_to: Option<&str>) -> Result<String, Error> {
        let session = self.session.borrow().as_ref().map(|s| {
            (
                s.connection.clone(),
                s.client_id.clone(),
                s.id_token.clone(),
            )
        });
        let (end_session, broker, client_id, hint) = match session {
            Some((name, client_id, id_token)) => {
                let connection = self.connection(&name).await?;
                let endpoints = self.endpoints(&connection).await?;
                let broker = match connection.route {
                    Route::Broker => self.settings.broker.as_ref(),
                    Route::Direct(_) => None,
                };
                (
                    endpoints.end_session_endpoint,
                    broker,
                    client_id,
                    Some(id_token),
                )
            }
            None => {
                let broker = self
                    .settings
                    .broker
                    .as_ref()
                    .ok_or(Error::LogoutUnsupported)?;
                let end_session = self
                    .discovery(&broker.discovery_url())
                    .await?
                    .for_channel(&broker.issuer_candidates(), Channel::Back)?
                    .end_session_endpoint;
                (
                    end_session,
                    Some(broker),
                    self.settings.client_id.clone(),
                    None,
                )
            }
        };
        LogoutRequest {
            end_session_endpoint: end_session.as_deref(),
            broker,
            client_id: &client_id,
            id_token_hint: hint.as_deref(),
            return_to,
        }
        .url()
    }

    fn resume(this: &Rc<Self>, params: Option<String>) -> bool {
        let response = match params {
            Some(params) => match AuthorizationResponse::parse(&params) {
                Some(response) => response,
                None => return false,
            },
            None => match take_response_from_address_bar() {
                Some(response) => response,
                None => return false,
            },
        };
        // The transaction is taken out of storage now, synchronously: one response, one use.
        let taken = response.and_then(|r| {
            let tx = TransactionStore::open()?.take(r.state())?;
            Ok((r, tx))
        });
        this.resuming.set(true);
        if let Some(view) = this.view.borrow().as_ref() {
            view.signing_in(&this.dictionary());
        }
        let inner = this.clone();
        spawn_local(async move {
            let mut connection = None;
            let result = match taken {
                Ok((response, tx)) => {
                    connection = Some(tx.connection.as_str().to_owned());
                    inner.complete(response, tx).await
                }
                Err(e) => Err(e),
            };
            inner.resuming.set(false);
            match result {
                // As Lock does, the widget closes once the user is signed in.
                Ok(payload) => {
                    if let (true, Some(c)) = (inner.settings.remember_last_login, &connection) {
                        storage::remember_last_login(inner.settings.client_id.as_str(), c);
                    }
                    inner.hide();
                    inner.emit("authenticated", &payload);
                }
                Err(e) => inner.fail("authorization_error", &e),
            }
        });
        true
    }

    /// From a response and its transaction to the `authenticated` payload: every check of
    /// RFC 6749 §4.1.2–§5.1, RFC 9207 and OpenID Connect Core §3.1.3.7 in order.
    async fn complete(
        &self,
        response: AuthorizationResponse,
        tx: Transaction,
    ) -> Result<JsValue, Error> {
        tx.check_fresh(response.state(), now_secs())?;
        let grant = response.into_grant(&tx)?;
        // The issuer's keys are fetched while the code is exchanged: the signature check needs
        // both, and neither request depends on the other.
        let early_keys = match &grant {
            Grant::Code(_) if self.cached_jwks(&tx.jwks_uri).is_none() => {
                RefCell::new(net::start_get(&tx.jwks_uri).ok())
            }
            _ => RefCell::new(None),
        };
        let (id_token, tokens) = match grant {
            Grant::Code(code) => {
                let tokens = self.exchange(&code, &tx).await?;
                (tokens.checked_id_token()?.to_owned(), Some(tokens))
            }
            // The front channel's ID token arrives alone, through the page (form_post).
            Grant::IdToken(id_token) => (id_token, None),
        };
        let (claims, raw_claims) = crypto::verify_id_token(&id_token, |refresh| {
            let early = early_keys.borrow_mut().take();
            self.jwks(&tx.jwks_uri, refresh, early)
        })
        .await?;
        claims.validate(&Expected {
            issuer: &tx.issuer,
            client_id: &tx.client_id,
            nonce: &tx.nonce,
            now: now_secs() as i64,
            leeway: self.settings.leeway as i64,
            max_age: tx.max_age,
        })?;
        let profile = Profile::from_claims(
            &claims,
            &tx.strategy,
            tx.connection.as_str(),
            tx.client_id.as_str(),
        )?;
        let profile = js_sys::JSON::parse(&profile.to_json())
            .map_err(|_| Error::MalformedIdToken("the profile could not be built".into()))?;
        let app_state = tx
            .app_state
            .as_deref()
            .and_then(|s| js_sys::JSON::parse(s).ok())
            .unwrap_or(JsValue::UNDEFINED);
        let out = js_sys::Object::new();
        set(&out, "idToken", &id_token.as_str().into());
        if let Some(tokens) = &tokens {
            set(&out, "accessToken", &tokens.access_token.as_str().into());
            set(&out, "tokenType", &tokens.token_type.as_str().into());
            if let Some(seconds) = tokens.expires_in {
                set(&out, "expiresIn", &(seconds as f64).into());
            }
            if let Some(scope) = &tokens.scope {
                set(&out, "scope", &scope.as_str().into());
            }
        }
        set(&out, "idTokenPayload", &raw_claims);
        set(&out, "profile", &profile);
        set(&out, "appState", &app_state);
        set(&out, "connection", &tx.connection.as_str().into());
        *self.session.borrow_mut() = Some(Session {
            connection: tx.connection.as_str().to_owned(),
            client_id: tx.client_id.clone(),
            id_token,
        });
        Ok(out.into())
    }

    /// The token request of RFC 6749 §4.1.3; a refusal keeps the provider's own words.
    async fn exchange(
        &self,
        code: &AuthorizationCode,
        tx: &Transaction,
    ) -> Result<TokenResponse, Error> {
        let (endpoint, body) = token_request(code, tx)?;
        let (status, text) =
            net::post_form(&endpoint, &body)
                .await
                .map_err(|e| Error::Network {
                    url: endpoint.clone(),
                    detail: e.detail(),
                })?;
        if !(200..300).contains(&status) {
            return Err(match TokenErrorResponse::from_json(&text) {
                Ok(e) => e.into(),
                Err(_) => Error::InvalidTokenResponse(FetchError::Status(status).detail()),
            });
        }
        TokenResponse::from_json(&text).map_err(|e| Error::InvalidTokenResponse(e.message()))
    }

    fn cached_jwks(&self, uri: &str) -> Option<Rc<JwkSet>> {
        let cache = self.jwks.borrow();
        cache
            .iter()
            .find(|(u, _)| u == uri)
            .map(|(_, set)| set.clone())
    }

    /// The issuer's keys: cached, or from `early` (a request already under way), or fetched;
    /// `refresh` skips the cache (key rotation).
    async fn jwks(
        &self,
        uri: &str,
        refresh: bool,
        early: Option<JsFuture>,
    ) -> Result<Rc<JwkSet>, Error> {
        if let Some(set) = self.cached_jwks(uri).filter(|_| !refresh) {
            return Ok(set);
        }
        let set = net::get_text_started(uri, early)
            .await
            .and_then(|text| Ok(JwkSet::from_json(&text)?))
            .map_err(|e| Error::Network {
                url: uri.to_owned(),
                detail: e.detail(),
            })?;
        let set = Rc::new(set);
        let mut cache = self.jwks.borrow_mut();
        cache.retain(|(u, _)| u != uri);
        cache.push((uri.to_owned(), set.clone()));
        Ok(set)
    }
}
