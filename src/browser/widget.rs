//! One widget on a page, and every flow of it as async Rust: reading the client
//! configuration into buttons, a login from click to authorize link, and the return from the
//! address bar to `authenticated`. The protocol is the core's; this module only waits for the
//! page (requests, WebCrypto, the service worker) between the core's steps.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::core::authorize::{AuthParams, AuthorizeRequest};
use crate::core::callback::{strip_response_params, AuthorizationResponse, Grant};
use crate::core::client_config::ClientConfiguration;
use crate::core::connection::{
    for_email, offered, set_aside, Channel, Connection, ProviderSource, Route,
};
use crate::core::dictionary::{Dictionary, Pack};
use crate::core::discovery::{Endpoints, ProviderMetadata};
use crate::core::document::JsonReader;
use crate::core::error::ErrorPayload;
use crate::core::id_token::{Expected, UnverifiedIdToken};
use crate::core::jwks::JwkSet;
use crate::core::logout::LogoutRequest;
use crate::core::options::{option_error, Options, Settings, TokenStorage};
use crate::core::payload::{AuthResult, LogoutOptions, ShowOptions, Tokens};
use crate::core::profile::Profile;
use crate::core::silent;
use crate::core::tabs::{renewal_lock_name, Asked, Renewal, TabMessage};
use crate::core::token::{refresh_request, token_request, TokenErrorResponse, TokenResponse};
use crate::core::transaction::{Delivery, Transaction};
use crate::core::types::{ClientId, Nonce, PkceCodeVerifier, RefreshToken, State};
use crate::core::version::Verdict;
use crate::core::Error;

use super::crypto::{entropy, WebCrypto};
use super::events::Listeners;
use super::frame::{self, Target};
use super::json::{self, BrowserJson};
use super::locks;
use super::net;
use super::page::{self, BrowserUrls};
use super::storage::{self, TransactionStore};
use super::tabs::Tabs;
use super::view::{Action, Listener, View};
use super::worker;

/// Where the files next to the widget's script are, as the loader found them (bundlers see
/// `new URL(..., import.meta.url)` there and ship the files): the stylesheet, the form_post
/// worker, and the language packs.
pub struct Assets {
    pub stylesheet: String,
    pub worker: String,
    /// `{ [tag]: url }`: the URL of each language pack next to the script.
    pub packs: JsValue,
}

impl Assets {
    fn pack_url(&self, tag: &str) -> Option<String> {
        Reflect::get(&self.packs, &JsValue::from_str(tag))
            .ok()?
            .as_string()
    }
}

thread_local! {
    static ASSETS: RefCell<Option<Rc<Assets>>> = const { RefCell::new(None) };
}

pub fn set_assets(assets: Assets) {
    ASSETS.with(|a| *a.borrow_mut() = Some(Rc::new(assets)));
}

fn assets() -> Option<Rc<Assets>> {
    ASSETS.with(|a| a.borrow().clone())
}

/// The login of this page, for `logout()`.
#[derive(Clone)]
struct Session {
    connection: String,
    client_id: ClientId,
    id_token: String,
}

/// The tokens of a login as the app may keep them (`getTokens`, `getUser`).
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Kept {
    id_token: String,
    access_token: Option<String>,
    token_type: Option<String>,
    scope: Option<String>,
    /// Milliseconds since the epoch: the access token's `expiresIn`, else the ID token's `exp`.
    expires_at: f64,
    connection: String,
}

impl Kept {
    /// A renewed access token in place of the one before; the scope and the expiry stay as
    /// they were where the renewal does not say.
    fn renewed(
        &mut self,
        access_token: String,
        token_type: String,
        scope: Option<String>,
        expires_at: Option<f64>,
    ) {
        self.access_token = Some(access_token);
        self.token_type = Some(token_type);
        if scope.is_some() {
            self.scope = scope;
        }
        if let Some(at) = expires_at {
            self.expires_at = at;
        }
    }
}

/// The document at `url`: from `cache` unless `fresh`, else fetched, read and kept there in
/// place of the one before. `error` says what went wrong with the request or the document.
async fn cached<T: DeserializeOwned, F: std::future::Future<Output = Result<String, String>>>(
    cache: &RefCell<Vec<(String, Rc<T>)>>,
    url: &str,
    fresh: bool,
    error: impl Fn(String) -> Error,
    fetch: impl FnOnce() -> F,
) -> Result<Rc<T>, Error> {
    if !fresh {
        let kept = cache
            .borrow()
            .iter()
            .find(|(u, _)| u == url)
            .map(|(_, d)| d.clone());
        if let Some(document) = kept {
            return Ok(document);
        }
    }
    let text = fetch().await.map_err(&error)?;
    let document = Rc::new(
        BrowserJson
            .read::<T>(&text)
            .map_err(|e| error(e.describe()))?,
    );
    let mut cache = cache.borrow_mut();
    cache.retain(|(u, _)| u != url);
    cache.push((url.to_owned(), document.clone()));
    Ok(document)
}

/// How a login's answer comes back.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// To the redirect URL, leaving the page.
    Redirect,
    /// By web message to a hidden iframe, with `prompt=none` (`checkSession`).
    Silent,
    /// By web message to the window that opened the popup.
    Popup,
}

pub struct Widget {
    settings: Result<Settings, Error>,
    pub listeners: Rc<Listeners>,
    /// Settles once the language pack is read and a return in the address bar is taken:
    /// every call waits for it.
    ready: RefCell<Option<Promise>>,
    pack: RefCell<Vec<(String, String)>>,
    connections: RefCell<Option<Rc<Vec<Connection>>>>,
    discovery: RefCell<Vec<(String, Rc<ProviderMetadata>)>>,
    jwks: RefCell<Vec<(String, Rc<JwkSet>)>>,
    view: RefCell<Option<View>>,
    /// An error raised before the widget was on screen, shown by the next `show()`.
    unseen: RefCell<Option<String>>,
    resuming: Cell<bool>,
    session: RefCell<Option<Session>>,
    kept: RefCell<Option<(Kept, JsValue)>>,
    /// Elements of the page made login buttons by `data-latch-connection`.
    markup: RefCell<Vec<Listener>>,
    /// The app's other tabs.
    tabs: RefCell<Option<Tabs>>,
    /// The refresh token of this login (`auth.useRefreshTokens`), in memory only: where it
    /// is spent, and for which client.
    refresh: RefCell<Option<(RefreshToken, String, ClientId)>>,
    /// The renewal under way, which every `getTokenSilently` caller of this page shares.
    renewing: RefCell<Option<Promise>>,
    /// `show({ allowedConnections })` of the showing on screen.
    shown_allowed: RefCell<Option<Vec<String>>>,
    /// `show({ auth: { params } })`: the authorize parameters while that showing is on screen.
    shown_params: RefCell<Option<AuthParams>>,
    /// `show({ languageDictionary })`: the texts of that showing, over the widget's.
    shown_texts: RefCell<Option<Vec<(String, String)>>>,
    /// How many times the widget was hidden: a show() that waited across a hide() gives up.
    hidden: Cell<u32>,
    /// When this tab last took an access token another tab renewed (ms since the epoch).
    adopted_at: Cell<f64>,
    /// `auth.autoRenew`'s next renewal.
    renewal_timer: RefCell<Option<page::Timer>>,
    /// The widget itself, for the timers it sets.
    me: std::rc::Weak<Widget>,
    /// Requests started before they are needed (see `fetch_early`).
    early: RefCell<Vec<(String, Promise)>>,
}

fn read_settings(
    client_id: &JsValue,
    domain: &JsValue,
    options: JsValue,
) -> Result<Settings, Error> {
    let client_id = client_id.as_string().unwrap_or_default();
    let domain = domain.as_string().unwrap_or_default();
    let options: Options = match options.is_null() || options.is_undefined() {
        true => Options::default(),
        false => json::from_value(options).map_err(option_error)?,
    };
    Settings::new(
        &client_id,
        &domain,
        options,
        &page::page_url(),
        &BrowserUrls,
    )
}

/// Finds an authorization response in the query or the fragment and removes it from the
/// address bar before anything else (Lock's hashCleanup), so a reload or a shared link never
/// replays it; the page's own parameters stay.
fn take_response_from_address_bar() -> Option<Result<AuthorizationResponse, Error>> {
    let address = page::address();
    let query = address.search.strip_prefix('?').unwrap_or(&address.search);
    let fragment = address.hash.strip_prefix('#').unwrap_or(&address.hash);
    let (response, query, fragment) = match AuthorizationResponse::parse(query) {
        Some(r) => (r, strip_response_params(query), fragment.to_owned()),
        None => {
            let r = AuthorizationResponse::parse(fragment)?;
            (r, query.to_owned(), strip_response_params(fragment))
        }
    };
    // The silent-callback page of a checkSession or popup login: the waiting window reads it.
    if left_for_another_window(&response) {
        return None;
    }
    let mut clean = address.pathname;
    if !query.is_empty() {
        clean = clean + "?" + &query;
    }
    if !fragment.is_empty() {
        clean = clean + "#" + &fragment;
    }
    page::replace_address(&clean);
    Some(response)
}

/// How long a tab keeps the renewal lock after renewing when another tab is waiting for it:
/// its message to the other tabs is on its way, and the waiting tab hears it first (without
/// this, two tabs renewed twice in 2 runs of 8). The caller has its token already.
const RENEWAL_LINGER_MS: i32 = 100;

/// The `user_id` of a profile the widget made.
fn user_id_of(profile: &JsValue) -> Option<String> {
    Reflect::get(profile, &JsValue::from_str("user_id"))
        .ok()?
        .as_string()
}

/// The authorization response in the address bar, if any (the query's, else the fragment's).
fn response_in_address() -> Option<Result<AuthorizationResponse, Error>> {
    let address = page::address();
    let query = address.search.strip_prefix('?').unwrap_or(&address.search);
    let fragment = address.hash.strip_prefix('#').unwrap_or(&address.hash);
    AuthorizationResponse::parse(query).or_else(|| AuthorizationResponse::parse(fragment))
}

/// Whether `response` is the answer of another window's checkSession or popup login, come
/// to this page as its silent-callback page: that window reads it, not this page's widget.
fn left_for_another_window(response: &Result<AuthorizationResponse, Error>) -> bool {
    matches!(response, Ok(r) if TransactionStore::for_another_window(r.state()))
}

fn find<'a>(list: &'a [Connection], name: &str) -> Result<&'a Connection, Error> {
    list.iter()
        .find(|c| c.name.as_str() == name)
        .ok_or_else(|| Error::UnknownConnection(name.to_owned()))
}

fn message_of(thrown: &JsValue) -> String {
    thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

impl Widget {
    pub fn new(client_id: JsValue, domain: JsValue, options: JsValue) -> Rc<Widget> {
        let settings = read_settings(&client_id, &domain, options);
        let widget = Rc::new_cyclic(|me| Widget {
            settings,
            listeners: Rc::default(),
            ready: RefCell::new(None),
            pack: RefCell::default(),
            connections: RefCell::default(),
            discovery: RefCell::default(),
            jwks: RefCell::default(),
            view: RefCell::default(),
            unseen: RefCell::default(),
            resuming: Cell::new(false),
            session: RefCell::default(),
            kept: RefCell::default(),
            markup: RefCell::default(),
            tabs: RefCell::default(),
            refresh: RefCell::default(),
            renewing: RefCell::default(),
            shown_allowed: RefCell::default(),
            shown_params: RefCell::default(),
            shown_texts: RefCell::default(),
            hidden: Cell::new(0),
            adopted_at: Cell::new(0.0),
            renewal_timer: RefCell::default(),
            me: me.clone(),
            early: RefCell::default(),
        });
        match &widget.settings {
            Err(e) => {
                // Said once the page's listeners are on (they subscribe right after `new`).
                let payload = json::to_value(&ErrorPayload::from(e));
                let message = ["latch-login: ", &e.message()].concat();
                let me = widget.clone();
                spawn_local(async move {
                    page::error(&message);
                    me.listeners.emit("unrecoverable_error", &payload);
                });
            }
            Ok(settings) => {
                // What came back to this page, if anything: read once, before `start`.
                let arrived = response_in_address();
                let returning = arrived.is_some();
                // On a silent-callback page the widget is a passer-by: the window that waits
                // reads the answer and removes it. It neither joins the app's tabs nor checks
                // the session itself.
                let passer_by = arrived.as_ref().is_some_and(left_for_another_window);
                let me = Rc::downgrade(&widget);
                if !passer_by {
                    *widget.tabs.borrow_mut() =
                        Tabs::open(settings.client_id.as_str(), move |message| {
                            if let Some(me) = me.upgrade() {
                                me.heard(message);
                            }
                        });
                }
                widget.start(settings);
                let me = widget.clone();
                let ready = wasm_bindgen_futures::future_to_promise(async move {
                    me.load_pack().await;
                    if me.settings.as_ref().is_ok_and(|s| s.auto_parse_hash) {
                        me.resume(None);
                    }
                    Ok(JsValue::UNDEFINED)
                });
                *widget.ready.borrow_mut() = Some(ready);
                // As Lock does, the client configuration is asked for at once, while the
                // stylesheet and the language pack load; checkSession also needs the broker's
                // discovery document: side by side rather than one after the other. Not on
                // the page a login comes back to: its token request goes first.
                if let Some(url) = settings.client_configuration_url().filter(|_| !returning) {
                    widget.fetch_early(&url);
                }
                if settings.sso {
                    if let Some(broker) = settings.broker.as_ref().filter(|_| !returning) {
                        widget.fetch_early(&broker.discovery_url());
                    }
                    let me = widget.clone();
                    spawn_local(async move {
                        me.ready().await;
                        if me.session.borrow().is_none() && !me.resuming.get() && !passer_by {
                            let _ = me.check_session(None, silent::DEFAULT_TIMEOUT_MS).await;
                        }
                    });
                }
            }
        }
        widget
    }

    /// What happens at once: the stylesheet, the `openid` warnings, the tokens kept from
    /// before a reload, the app's own markup buttons.
    fn start(self: &Rc<Self>, settings: &Settings) {
        if settings.params.scope.added_openid {
            page::warn("latch-login: the `openid` scope was missing from auth.params.scope and has been added");
        }
        for c in &settings.direct {
            if let Route::Direct(d) = &c.route {
                if d.scope.added_openid {
                    page::warn(
                        &[
                            "latch-login: the `openid` scope was missing from connections[",
                            c.name.as_str(),
                            "].scopes and has been added",
                        ]
                        .concat(),
                    );
                }
            }
        }
        if settings.stylesheet {
            add_stylesheet();
        }
        self.restore_session(settings);
        self.attach_markup();
    }

    fn settings(&self) -> Result<&Settings, Error> {
        self.settings.as_ref().map_err(Clone::clone)
    }

    /// Waits for the widget to be ready (see `ready`).
    pub async fn ready(&self) {
        let ready = self.ready.borrow().clone();
        if let Some(ready) = ready {
            let _ = JsFuture::from(ready).await;
        }
    }

    fn dictionary<R>(&self, f: impl FnOnce(&Dictionary<'_>) -> R) -> R {
        let pack = self.pack.borrow();
        let shown = self.shown_texts.borrow();
        match &self.settings {
            Ok(s) => f(&Dictionary::with_language(
                s.language,
                &pack,
                shown.as_deref().unwrap_or(&s.language_dictionary),
            )),
            Err(_) => f(&Dictionary::new(&[])),
        }
    }

    /// Reads the language pack `language` names, from next to the widget or
    /// `languageBaseUrl`, as JSON data (never as a script). One that cannot be read leaves
    /// the widget in English, and the console says why: the texts are no reason to stop a
    /// login.
    async fn load_pack(&self) {
        let Ok(settings) = &self.settings else { return };
        let language = settings.language;
        if !language.needs_pack() {
            return;
        }
        let beside = assets().and_then(|assets| assets.pack_url(language.tag()));
        let read = async {
            let url = settings
                .language_pack_url(beside)
                .ok_or_else(|| "the widget's files are unknown".to_owned())?;
            let text = net::get(&url)
                .await
                .and_then(net::Answer::ok)
                .map_err(|detail| [url.as_str(), ": ", &detail].concat())?;
            BrowserJson
                .read_named::<Pack>(&text)
                .map_err(|e| e.describe())
        };
        match read.await {
            Ok(pack) => *self.pack.borrow_mut() = pack.0,
            Err(detail) => page::warn(
                &[
                    "latch-login: the `",
                    language.tag(),
                    "` language pack could not be read (",
                    &detail,
                    "); the widget shows English",
                ]
                .concat(),
            ),
        }
    }

    // ------------------------------------------------------------------ the panel

    pub async fn show(self: &Rc<Self>, options: ShowOptions) {
        self.ready().await;
        let Ok(settings) = &self.settings else { return };
        if self.view.borrow().is_some() {
            return;
        }
        let params = match options.auth.and_then(|a| a.params) {
            Some(params) => match settings.params_for_show(params) {
                Ok(params) => Some(params),
                Err(e) => return self.fail("unrecoverable_error", e),
            },
            None => None,
        };
        if let Some(warning) = options.initial_screen.and_then(|s| s.unavailable()) {
            page::warn(warning);
        }
        *self.shown_allowed.borrow_mut() = options.allowed_connections;
        *self.shown_params.borrow_mut() = params;
        *self.shown_texts.borrow_mut() = options
            .language_dictionary
            .map(|texts| settings.dictionary_for_show(texts));
        if let Some(id) = &settings.container {
            if page::document()
                .and_then(|d| d.get_element_by_id(id))
                .is_none()
            {
                return self.fail(
                    "unrecoverable_error",
                    Error::InvalidOption {
                        option: "container".into(),
                        reason: ["no element has the id `", id, "`"].concat(),
                    },
                );
            }
        }
        let hides = self.hidden.get();
        stylesheet_loaded().await;
        // Hidden meanwhile (by the app, or by a login that ended), or shown by another call.
        if self.hidden.get() != hides || self.view.borrow().is_some() {
            return;
        }
        let flash = options.flash_message;
        let frame = self.dictionary(|d| crate::core::view::frame(settings, d, flash.as_ref()));
        let me = Rc::downgrade(self);
        let act = Rc::new(move |action: Action| {
            if let Some(me) = me.upgrade() {
                me.act(action);
            }
        });
        let Some(view) = View::new(frame, act) else {
            return;
        };
        let unseen = self.unseen.borrow_mut().take();
        // A failed return is shown until the user picks "Try again".
        match &unseen {
            Some(message) => view.error(message),
            None if self.resuming.get() => view.signing_in(),
            None => view.loading(),
        }
        *self.view.borrow_mut() = Some(view);
        self.listeners.emit("show", &JsValue::UNDEFINED);
        if self.uses_form_post() {
            // Installed now, so that a click does not wait for it.
            let me = self.clone();
            spawn_local(async move {
                if let Err(e) = me.form_post_ready().await {
                    page::warn(&["latch-login: ", &e.message()].concat());
                }
            });
        }
        if unseen.is_none() && !self.resuming.get() {
            self.load_buttons().await;
        }
    }

    pub fn hide(&self) {
        // A show() still waiting for the stylesheet must not draw the panel after this.
        self.hidden.set(self.hidden.get().wrapping_add(1));
        let view = self.view.borrow_mut().take();
        *self.shown_params.borrow_mut() = None;
        *self.shown_texts.borrow_mut() = None;
        if let Some(view) = view {
            view.remove();
            self.listeners.emit("hide", &JsValue::UNDEFINED);
        }
    }

    /// A login the user asked for in a click: in a popup opened now, in that click, with
    /// `auth.redirect: false`, else by leaving the page.
    fn go(self: &Rc<Self>, name: String, app_state: Option<String>, login_hint: Option<String>) {
        let me = self.clone();
        if self.settings().is_ok_and(|s| s.popup) {
            let popup = frame::open_popup();
            spawn_local(async move {
                let _ = me
                    .popup_login(
                        &name,
                        app_state,
                        login_hint,
                        popup,
                        silent::DEFAULT_POPUP_TIMEOUT_MS,
                    )
                    .await;
            });
            return;
        }
        spawn_local(async move { me.login(&name, app_state, login_hint).await });
    }

    fn act(self: &Rc<Self>, action: Action) {
        let me = self.clone();
        match action {
            Action::Connection(name) => me.go(name, None, None),
            Action::Retry => {
                if let Some(view) = self.view.borrow().as_ref() {
                    view.loading();
                }
                spawn_local(async move { me.load_buttons().await });
            }
            Action::Close => self.hide(),
            Action::Email(email) => {
                let chosen =
                    self.connections.borrow().as_ref().and_then(|list| {
                        for_email(list, &email).map(|c| c.name.as_str().to_owned())
                    });
                match chosen {
                    Some(name) => me.go(name, None, Some(email)),
                    None => {
                        if let Some(view) = self.view.borrow().as_ref() {
                            view.no_match();
                        }
                    }
                }
            }
        }
    }

    /// Loads the client configuration into the buttons, then warms the discovery documents
    /// so a click goes straight to the provider.
    async fn load_buttons(self: &Rc<Self>) {
        let list = match self.connections().await {
            Ok(list) => list,
            Err(e) => return self.fail("unrecoverable_error", e),
        };
        // `show({ allowedConnections })` narrows this showing, by Lock's rule.
        let narrowed = self.shown_allowed.borrow().clone();
        let list = match narrowed {
            None => list,
            Some(names) => match offered(list.to_vec(), Some(&names)) {
                Ok(list) => Rc::new(list),
                Err(e) => return self.fail("unrecoverable_error", e),
            },
        };
        let Ok(settings) = &self.settings else { return };
        let last = settings
            .remember_last_login
            .then(|| storage::last_login(settings.client_id.as_str()))
            .flatten();
        let model = self
            .dictionary(|d| crate::core::view::buttons(d, &list, &settings.theme, last.as_deref()));
        if let Some(view) = self.view.borrow().as_ref() {
            view.buttons(&model);
        }
        for c in list.iter().filter(|c| c.verdict().is_err()) {
            self.unsupported(c);
        }
        self.listeners.emit("signin ready", &JsValue::UNDEFINED);
        // Warming only: a click reports what failed.
        for c in list.iter() {
            let _ = self.endpoints(c).await;
        }
    }

    /// Says, each time, that a connection cannot be served: the event, and the console.
    fn unsupported(&self, c: &Connection) {
        let verdict = Verdict::new(c.name.as_str(), &c.requirement);
        page::warn(
            &[
                "latch-login: the connection `",
                c.name.as_str(),
                "` ",
                verdict.reason.as_deref().unwrap_or_default(),
            ]
            .concat(),
        );
        self.listeners
            .emit("unsupported_connection", &json::to_value(&verdict));
    }

    /// A login that cannot go on: on screen (now, or when the widget is next shown), in the
    /// console, and as `event`.
    fn fail(&self, event: &str, e: Error) {
        let message = e.message();
        match self.view.borrow().as_ref() {
            Some(view) => view.error(&message),
            None => *self.unseen.borrow_mut() = Some(message.clone()),
        }
        page::error(&["latch-login: ", &message].concat());
        self.listeners
            .emit(event, &json::to_value(&ErrorPayload::from(&e)));
    }

    // ------------------------------------------------------------------ documents

    /// The connections on offer: those of the client configuration and the direct ones of the
    /// options, filtered by `allowedConnections`. Read once; a failed read is retried by the
    /// next call.
    async fn connections(&self) -> Result<Rc<Vec<Connection>>, Error> {
        if let Some(list) = self.connections.borrow().clone() {
            return Ok(list);
        }
        let settings = self.settings()?;
        let mut all = Vec::new();
        if let Some(url) = settings.client_configuration_url() {
            let unavailable = |detail: String| Error::ConfigurationUnavailable {
                url: url.clone(),
                detail,
            };
            let text = self.get_text(&url).await.map_err(unavailable)?;
            let document = settings.configuration_format.document(&text)?;
            all = BrowserJson
                .read_named::<ClientConfiguration>(document)
                .map_err(|e| Error::InvalidConfiguration(e.describe()))?
                .connections(settings.client_id.as_str())?;
            for reason in set_aside(&mut all) {
                page::warn(&reason);
            }
        }
        all.extend(settings.direct.iter().cloned());
        let list = Rc::new(offered(all, settings.allowed_connections.as_deref())?);
        *self.connections.borrow_mut() = Some(list.clone());
        Ok(list)
    }

    /// Starts the GET of `url` now (unless one is already waiting to be taken), for its first
    /// user to take (see [`Self::get_text`]). It always resolves, to the body or to an `Error`: a request nobody takes never leaves an
    /// unhandled rejection behind.
    fn fetch_early(&self, url: &str) {
        if self.early.borrow().iter().any(|(u, _)| u == url) {
            return;
        }
        let owned = url.to_owned();
        let request = wasm_bindgen_futures::future_to_promise(async move {
            Ok(match net::get(&owned).await.and_then(net::Answer::ok) {
                Ok(text) => JsValue::from(text),
                Err(detail) => js_sys::Error::new(&detail).into(),
            })
        });
        self.early.borrow_mut().push((url.to_owned(), request));
    }

    /// The body of a successful GET of `url`: the early request's, if one was started (taken:
    /// a later call asks again), else a request of its own.
    async fn get_text(&self, url: &str) -> Result<String, String> {
        let early = {
            let mut early = self.early.borrow_mut();
            early
                .iter()
                .position(|(u, _)| u == url)
                .map(|i| early.remove(i).1)
        };
        let Some(request) = early else {
            return net::get(url).await.and_then(net::Answer::ok);
        };
        let answer = JsFuture::from(request).await.unwrap_or_default();
        answer.as_string().ok_or_else(|| message_of(&answer))
    }

    /// The discovery document at `url`, read once per page.
    async fn discovery(&self, url: &str) -> Result<Rc<ProviderMetadata>, Error> {
        let unavailable = |detail: String| Error::DiscoveryUnavailable {
            url: url.to_owned(),
            detail,
        };
        cached(&self.discovery, url, false, unavailable, || {
            self.get_text(url)
        })
        .await
    }

    /// The issuer's keys: the set read before, unless `again` (a key it lacks: rotation).
    async fn keys(&self, url: &str, again: bool) -> Result<Rc<JwkSet>, Error> {
        let network = |detail: String| Error::Network {
            url: url.to_owned(),
            detail,
        };
        cached(&self.jwks, url, again, network, || self.get_text(url)).await
    }

    /// The provider endpoints behind a connection, checked for the flow it uses.
    async fn endpoints(&self, connection: &Connection) -> Result<Endpoints, Error> {
        let settings = self.settings()?;
        match &connection.route {
            Route::Broker => {
                let broker = settings.broker.as_ref().ok_or(Error::NoProvider)?;
                self.discovery(&broker.discovery_url()).await?.for_channel(
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
                } => self.discovery(url).await?.for_channel(
                    expected_issuers,
                    direct.channel,
                    &BrowserUrls,
                ),
            },
        }
    }

    // ------------------------------------------------------------------ logging in

    fn uses_form_post(&self) -> bool {
        self.settings.as_ref().is_ok_and(|s| {
            s.direct
                .iter()
                .any(|c| matches!(&c.route, Route::Direct(d) if d.channel == Channel::Front))
        })
    }

    /// The form_post worker, active.
    async fn form_post_ready(&self) -> Result<(), Error> {
        let settings = self.settings()?;
        let worker = match &settings.service_worker_url {
            Some(url) => url.clone(),
            None => assets()
                .map(|a| a.worker.clone())
                .ok_or_else(|| Error::FormPostUnavailable("the worker's URL is unknown".into()))?,
        };
        worker::ready(&worker, settings.redirect_url.as_str()).await
    }

    /// Makes and stores a transaction for `name` (with the app's state as JSON text, given
    /// back by `authenticated`), and returns its authorize link.
    pub async fn authorize(
        &self,
        name: &str,
        app_state: Option<String>,
        login_hint: Option<String>,
    ) -> Result<String, Error> {
        let (url, _, _) = self
            .begin(name, app_state, login_hint, Mode::Redirect)
            .await?;
        Ok(url)
    }

    /// [`Self::authorize`], the login's state, and for a `mode` other than a redirect, how
    /// the answer comes back ([`crate::core::silent`]): by web message (none), else at the
    /// silent-callback page whose URL is given.
    async fn begin(
        &self,
        name: &str,
        app_state: Option<String>,
        login_hint: Option<String>,
        mode: Mode,
    ) -> Result<(String, State, Option<String>), Error> {
        let settings = self.settings()?;
        let list = self.connections().await?;
        let chosen = find(&list, name)?;
        if let Err(u) = chosen.verdict() {
            return Err(Error::UnsupportedConnection {
                connection: name.to_owned(),
                reason: u.reason(),
            });
        }
        let endpoints = self.endpoints(chosen).await?;
        // The showing's own parameters while it is on screen, else the widget's.
        let params = self
            .shown_params
            .borrow()
            .clone()
            .unwrap_or_else(|| settings.params.clone());
        let (client_id, channel, scope) = match &chosen.route {
            Route::Broker => (settings.client_id.clone(), Channel::Back, &params.scope),
            Route::Direct(d) => (d.client_id.clone(), d.channel, &d.scope),
        };
        if mode != Mode::Redirect && channel != Channel::Back {
            return Err(Error::SilentAuthUnsupported(name.to_owned()));
        }
        // Without web_message, the answer comes to the silent-callback page, where the
        // waiting window reads it.
        let callback = (mode != Mode::Redirect && !endpoints.web_message)
            .then(|| settings.silent_redirect_url.clone());
        // The response comes back as a POST: without the worker it would be lost.
        if channel == Channel::Front {
            self.form_post_ready().await?;
        }
        // The keys are needed once the answer is in: asked for while the user (or the
        // iframe) is at the provider.
        if mode != Mode::Redirect
            && !self
                .jwks
                .borrow()
                .iter()
                .any(|(u, _)| *u == endpoints.jwks_uri)
        {
            self.fetch_early(&endpoints.jwks_uri);
        }
        let store = TransactionStore::open()?;
        let [state, nonce, verifier] = entropy::<3>()?;
        let tx = Transaction {
            state: State::from_entropy(&state),
            nonce: Nonce::from_entropy(&nonce),
            code_verifier: (channel == Channel::Back)
                .then(|| PkceCodeVerifier::from_entropy(&verifier)),
            channel,
            client_id,
            connection: chosen.name.clone(),
            strategy: chosen.strategy.clone(),
            redirect_uri: callback
                .clone()
                .unwrap_or_else(|| settings.redirect_url.clone()),
            issuer: endpoints.issuer.clone(),
            token_endpoint: endpoints.token_endpoint.clone(),
            jwks_uri: endpoints.jwks_uri.clone(),
            iss_parameter_supported: endpoints.iss_parameter_supported,
            max_age: params.max_age,
            app_state,
            created_at: page::now_secs(),
            delivery: match mode {
                Mode::Redirect => Delivery::Page,
                Mode::Silent | Mode::Popup => Delivery::Opener,
            },
        };
        store.save(&tx)?;
        // The email typed for home realm discovery goes along as login_hint (as Lock does),
        // unless the app set one itself.
        let mut extra = params.extra.clone();
        if let Some(hint) = login_hint {
            if !extra.iter().any(|(k, _)| k == "login_hint") {
                extra.push(("login_hint".to_owned(), hint));
            }
        }
        if mode != Mode::Redirect {
            extra = silent::params(&extra, mode == Mode::Silent, callback.is_none());
        }
        let url = AuthorizeRequest {
            authorization_endpoint: &endpoints.authorization_endpoint,
            transaction: &tx,
            send_connection: chosen.route == Route::Broker,
            scope,
            extra: &extra,
        }
        .url();
        Ok((url, tx.state, callback.map(|c| c.as_str().to_owned())))
    }

    // ------------------------------------------------------------------ checkSession

    /// Lock's `checkSession`: is the user still signed in at the provider? An authorize
    /// request with `prompt=none` in a hidden iframe, answered by web message, then validated
    /// as any return is (state, PKCE, the token's signature and claims, RFC 9207 `iss`). The
    /// connection is `connection`, else the last one logged in with, else the first offered.
    /// Success fires `authenticated`; `login_required` and the like come back as errors with
    /// the provider's code, and no answer within `timeout_ms` as `timeout`. The iframe and the
    /// attempt's transaction are gone when it ends, whichever way.
    pub async fn check_session(
        &self,
        connection: Option<String>,
        timeout_ms: u32,
    ) -> Result<JsValue, Error> {
        self.ready().await;
        let settings = self.settings()?;
        let list = self.connections().await?;
        let name = connection
            .or_else(|| storage::last_login(settings.client_id.as_str()))
            .filter(|n| list.iter().any(|c| c.name.as_str() == n))
            .or_else(|| list.first().map(|c| c.name.as_str().to_owned()))
            .ok_or(Error::NoConnections)?;
        let (url, state, callback) = self.begin(&name, None, None, Mode::Silent).await?;
        let signed_in = self.kept.borrow().is_some();
        let payload = self
            .by_web_message(&url, &state, callback, timeout_ms, Target::Frame)
            .await
            .inspect_err(|e| {
                if let Some(warning) = silent::third_party_cookies_suspected(e, signed_in) {
                    page::warn(warning);
                }
            })?;
        self.listeners.emit("authenticated", &payload);
        Ok(payload)
    }

    /// Loads `url` in `target`, then validates its answer (by web message, or read at the
    /// silent-callback page `callback`) as any return; an attempt that got none has its
    /// transaction dropped.
    async fn by_web_message(
        &self,
        url: &str,
        state: &State,
        callback: Option<String>,
        timeout_ms: u32,
        target: Target,
    ) -> Result<JsValue, Error> {
        let params = match frame::web_message(url, timeout_ms, target, callback).await {
            Ok(params) => params,
            Err(e) => {
                // Nothing came back for this login: its transaction goes now.
                let _ = TransactionStore::open().and_then(|store| store.take(state));
                return Err(e);
            }
        };
        // Only this attempt's own answer goes on; whatever the outcome, its transaction is
        // gone when it ends, and no other login's is touched.
        let outcome = match silent::answer_for(AuthorizationResponse::parse(&params), state) {
            Ok(response) => self.complete(Ok(response)).await,
            Err(e) => Err(e),
        };
        if outcome.is_err() {
            let _ = TransactionStore::open().and_then(|store| store.take(state));
        }
        outcome
    }

    // ------------------------------------------------------------------ getTokenSilently

    /// auth0-spa-js's `getTokenSilently`: an access token good for at least the leeway. From
    /// memory while it is (unless `fresh`), else renewed: with the refresh token where there is
    /// one, else with `checkSession`. Concurrent callers share one renewal.
    pub fn token_silently(self: &Rc<Self>, fresh: bool) -> Promise {
        let me = self.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            me.ready().await;
            let settings = me.settings().map_err(|e| reject(&e))?;
            if !fresh {
                if let Some(token) = me.good_access_token(settings) {
                    return Ok(JsValue::from(token));
                }
            }
            let shared = me.renewing.borrow().clone();
            let renewal = match shared {
                Some(renewal) => renewal,
                None => {
                    let worker = me.clone();
                    let renewal = wasm_bindgen_futures::future_to_promise(async move {
                        let outcome = worker.renew(fresh).await;
                        *worker.renewing.borrow_mut() = None;
                        outcome.map(JsValue::from).map_err(|e| reject(&e))
                    });
                    *me.renewing.borrow_mut() = Some(renewal.clone());
                    renewal
                }
            };
            JsFuture::from(renewal).await
        })
    }

    /// The access token in memory while it is good for at least the leeway.
    fn good_access_token(&self, settings: &Settings) -> Option<String> {
        self.kept.borrow().as_ref().and_then(|(k, _)| {
            k.access_token
                .clone()
                .filter(|_| silent::still_good(k.expires_at, page::now_ms(), settings.leeway))
        })
    }

    /// A new access token, one renewal at a time across the app's tabs (a Web Lock): a tab
    /// that waited for another's renewal takes the token that one got and told it of, instead
    /// of renewing again (unless `fresh`, a token renewed before it asked).
    async fn renew(self: &Rc<Self>, fresh: bool) -> Result<String, Error> {
        let asked = page::now_ms();
        let lock = renewal_lock_name(self.settings()?.client_id.as_str());
        let me = self.clone();
        let renewed = locks::exclusively(&lock, RENEWAL_LINGER_MS, async move {
            // A tab that held the lock before, with this one waiting, kept it until its
            // message had arrived (see RENEWAL_LINGER_MS): an adopted token is here by now.
            let settings = me.settings()?;
            if !fresh || me.adopted_at.get() >= asked {
                if let Some(token) = me.good_access_token(settings) {
                    return Ok(token);
                }
            }
            let token = me.renew_here().await?;
            if let Some(renewal) = me.renewal() {
                if let Some(tabs) = me.tabs.borrow().as_ref() {
                    tabs.tell(&TabMessage::Renewed(renewal));
                }
            }
            me.emit_renewed();
            Ok(token)
        })
        .await;
        renewed.unwrap_or_else(|| {
            Err(Error::InvalidTokenResponse(
                "the renewal was interrupted".into(),
            ))
        })
    }

    /// This tab's login as another tab is told of a renewal: its connection, the user, what
    /// the token is for, and the access token.
    fn renewal(&self) -> Option<Renewal> {
        let settings = self.settings().ok()?;
        let kept = self.kept.borrow();
        let (k, profile) = kept.as_ref()?;
        let asked = Asked::by(settings, &k.connection);
        Some(Renewal {
            connection: k.connection.clone(),
            user_id: user_id_of(profile)?,
            audience: asked.audience,
            asked_scope: asked.scope,
            access_token: k.access_token.clone()?,
            token_type: k.token_type.clone().unwrap_or_else(|| "Bearer".into()),
            scope: k.scope.clone(),
            expires_at: k.expires_at,
        })
    }

    /// `renewed`, with the tokens as `getTokens()` has them now.
    fn emit_renewed(&self) {
        if let Some((_, tokens)) = self.current() {
            self.listeners.emit("renewed", &tokens);
        }
    }

    /// Another tab renewed the access token of the same login, for the same audience and
    /// scope: this tab takes it (if it lasts longer than its own) instead of renewing itself.
    fn adopt(&self, renewal: Renewal) {
        let Ok(settings) = self.settings() else {
            return;
        };
        let current = self.kept.borrow_mut().take();
        let Some((mut kept, profile)) = current else {
            return;
        };
        let asked = Asked::by(settings, &kept.connection);
        let takes = user_id_of(&profile)
            .is_some_and(|user| renewal.replaces(&kept.connection, &user, &asked, kept.expires_at));
        if !takes {
            *self.kept.borrow_mut() = Some((kept, profile));
            return;
        }
        kept.renewed(
            renewal.access_token,
            renewal.token_type,
            renewal.scope,
            Some(renewal.expires_at),
        );
        self.keep(settings, kept, profile);
        self.adopted_at.set(page::now_ms());
        self.emit_renewed();
    }

    /// `auth.autoRenew`: the renewal of the access token in memory, due as it stops being
    /// good for `getTokenSilently` (see [`silent::renewal_delay_ms`]). A failed renewal fires
    /// `renewal_error` and is not retried by itself (the next `getTokenSilently` tries again).
    fn schedule_renewal(&self) {
        let Ok(settings) = self.settings() else {
            return;
        };
        let due = self
            .kept
            .borrow()
            .as_ref()
            .filter(|(k, _)| settings.auto_renew && k.access_token.is_some())
            .map(|(k, _)| silent::renewal_delay_ms(k.expires_at, page::now_ms(), settings.leeway));
        let me = self.me.clone();
        *self.renewal_timer.borrow_mut() = due.and_then(|delay| {
            page::Timer::after(delay, move || {
                if let Some(me) = me.upgrade() {
                    spawn_local(async move {
                        let renewal = me.token_silently(true);
                        if let Err(error) = JsFuture::from(renewal).await {
                            me.listeners.emit("renewal_error", &error);
                        }
                    });
                }
            })
        });
    }

    /// A new access token: by the refresh token (rotated when the provider sends a new one),
    /// else by `checkSession`. A refresh token the provider refuses (`invalid_grant`: used
    /// twice, revoked, expired) means signed out: everything is forgotten, here and in the
    /// app's other tabs' view of this one, and `signed_out` fires.
    async fn renew_here(self: &Rc<Self>) -> Result<String, Error> {
        let refresh = self
            .refresh
            .borrow()
            .as_ref()
            .map(|(token, endpoint, client)| (endpoint.clone(), refresh_request(token, client)));
        if let Some((endpoint, body)) = refresh {
            return match self.exchange(endpoint, body).await {
                Ok(tokens) => Ok(self.renewed(tokens)),
                Err(e) => {
                    if matches!(&e, Error::Provider { error, .. } if error == "invalid_grant") {
                        *self.session.borrow_mut() = None;
                        self.forget_session();
                        self.listeners.emit("signed_out", &JsValue::UNDEFINED);
                    }
                    Err(e)
                }
            };
        }
        self.check_session(None, silent::DEFAULT_TIMEOUT_MS).await?;
        self.kept
            .borrow()
            .as_ref()
            .and_then(|(k, _)| k.access_token.clone())
            .ok_or_else(|| Error::InvalidTokenResponse("no access token came back".into()))
    }

    /// Keeps what a refresh answer brought: the access token, its lifetime, a rotated
    /// refresh token.
    fn renewed(&self, mut tokens: TokenResponse) -> String {
        if let Some(rotated) = tokens.refresh_token.take() {
            if let Some(held) = self.refresh.borrow_mut().as_mut() {
                held.0 = rotated;
            }
        }
        let current = self.kept.borrow_mut().take();
        if let (Ok(settings), Some((mut kept, profile))) = (self.settings(), current) {
            kept.renewed(
                tokens.access_token.clone(),
                tokens.token_type.clone(),
                tokens.scope.clone(),
                tokens
                    .expires_in
                    .map(|seconds| page::now_ms() + seconds as f64 * 1000.0),
            );
            self.keep(settings, kept, profile);
        }
        tokens.access_token
    }

    // ------------------------------------------------------------------ tabs

    /// Tells the app's other tabs that this one logged in (with the payload's connection).
    fn tell_tabs_signed_in(&self, payload: &JsValue) {
        let connection = Reflect::get(payload, &JsValue::from_str("connection"))
            .ok()
            .and_then(|c| c.as_string());
        if let (Some(tabs), Some(connection)) = (self.tabs.borrow().as_ref(), connection) {
            tabs.tell(&TabMessage::SignedIn { connection });
        }
    }

    /// What another tab of the app said. A logout there: this tab forgets its login too, and
    /// says so (`signed_out`). A login there: this tab, if it has none of its own and is not
    /// in the middle of one, gets its own tokens with `checkSession` (no prompt; on failure,
    /// such as blocked third-party cookies, it stays as it was).
    fn heard(self: &Rc<Self>, message: TabMessage) {
        match message {
            TabMessage::SignedOut => {
                let had_session = self.session.borrow_mut().take().is_some();
                let had_tokens = self.kept.borrow().is_some();
                self.forget_session();
                if had_session || had_tokens {
                    self.listeners.emit("signed_out", &JsValue::UNDEFINED);
                }
            }
            TabMessage::Renewed(renewal) => self.adopt(renewal),
            TabMessage::SignedIn { connection } => {
                let me = self.clone();
                spawn_local(async move {
                    me.ready().await;
                    if me.session.borrow().is_some() || me.resuming.get() {
                        return;
                    }
                    let _ = me
                        .check_session(Some(connection), silent::DEFAULT_TIMEOUT_MS)
                        .await;
                });
            }
        }
    }

    // ------------------------------------------------------------------ popup

    /// A login in `popup`, a window the page opened in the user's click (none: the browser
    /// blocked it): the authorize
    /// request answered by web message, validated as any return. Success hides the widget
    /// and fires `authenticated`, as a redirect login does; a failure is an
    /// `authorization_error` (`popup_closed`, `timeout`, or what the provider or the checks
    /// said). The page itself never navigates.
    pub async fn popup_login(
        &self,
        name: &str,
        app_state: Option<String>,
        login_hint: Option<String>,
        popup: Option<web_sys::Window>,
        timeout_ms: u32,
    ) -> Result<JsValue, Error> {
        self.ready().await;
        let Some(popup) = popup else {
            self.fail("authorization_error", Error::PopupBlocked);
            return Err(Error::PopupBlocked);
        };
        let outcome = match self.begin(name, app_state, login_hint, Mode::Popup).await {
            Ok((url, state, callback)) => {
                self.by_web_message(&url, &state, callback, timeout_ms, Target::Popup(popup))
                    .await
            }
            Err(e) => {
                let _ = popup.close();
                Err(e)
            }
        };
        match &outcome {
            Ok(payload) => {
                self.hide();
                self.listeners.emit("authenticated", payload);
                self.tell_tabs_signed_in(payload);
            }
            Err(e) => self.fail("authorization_error", e.clone()),
        }
        outcome
    }

    /// Sends the user to log in with `name`.
    pub async fn login(&self, name: &str, app_state: Option<String>, login_hint: Option<String>) {
        self.ready().await;
        if self.settings.is_err() {
            return;
        }
        let list = match self.connections().await {
            Ok(list) => list,
            Err(e) => return self.fail("unrecoverable_error", e),
        };
        let chosen = match find(&list, name) {
            Ok(c) => c,
            Err(e) => return self.fail("unrecoverable_error", e),
        };
        // A connection this widget cannot serve is refused before anything changes on
        // screen: its button is already disabled with the reason.
        if chosen.verdict().is_err() {
            return self.unsupported(chosen);
        }
        let redirecting = self.dictionary(|d| d.fill("redirectingLabel", &chosen.display_name));
        if let Some(view) = self.view.borrow().as_ref() {
            view.status(&redirecting);
        }
        match self.authorize(name, app_state, login_hint).await {
            Ok(url) => page::navigate(&url),
            Err(e) => self.fail("unrecoverable_error", e),
        }
    }

    // ------------------------------------------------------------------ the return

    /// Starts handling a response in the address bar (or `params`: a form_post body a server
    /// handed the page); whether there was one.
    pub fn resume(self: &Rc<Self>, params: Option<String>) -> bool {
        let response = match &params {
            Some(params) => AuthorizationResponse::parse(params),
            None => take_response_from_address_bar(),
        };
        let Some(response) = response else {
            sweep();
            self.listeners.emit("hash_parsed", &JsValue::NULL);
            return false;
        };
        self.resuming.set(true);
        if let Some(view) = self.view.borrow().as_ref() {
            view.signing_in();
        }
        let me = self.clone();
        spawn_local(async move {
            let outcome = me.complete(response).await;
            me.resuming.set(false);
            match outcome {
                Ok(payload) => {
                    // As Lock does, the widget closes once the user is signed in.
                    me.hide();
                    me.listeners.emit("hash_parsed", &payload);
                    me.listeners.emit("authenticated", &payload);
                    me.tell_tabs_signed_in(&payload);
                }
                Err(e) => {
                    me.listeners.emit("hash_parsed", &JsValue::NULL);
                    me.fail("authorization_error", e)
                }
            }
        });
        true
    }

    /// From the response to the `authenticated` payload: RFC 6749 §4.1.2 and RFC 9207 on the
    /// response and its stored transaction, the token request and the issuer's keys (fetched
    /// together; the keys once more when the token's key is not among them), the signature
    /// with WebCrypto, then every claim check of OpenID Connect Core §3.1.3.7.
    async fn complete(
        &self,
        response: Result<AuthorizationResponse, Error>,
    ) -> Result<JsValue, Error> {
        let settings = self.settings()?;
        let response = response.inspect_err(|_| sweep())?;
        let taken = TransactionStore::open().and_then(|store| store.take(response.state()));
        // The response's own transaction first (an expired one says so), then the others.
        sweep();
        let tx = taken?;
        tx.check_fresh(response.state(), page::now_secs())?;
        let grant = response.into_grant(&tx)?;
        let (raw, tokens, keys) = match grant {
            Grant::Code(code) => {
                let (endpoint, body) = token_request(&code, &tx)?;
                let (tokens, keys) = futures_util::future::join(
                    self.exchange(endpoint, body),
                    self.keys(&tx.jwks_uri, false),
                )
                .await;
                let mut tokens = tokens?;
                // The refresh token stays here, in the wasm's memory, and nowhere else.
                *self.refresh.borrow_mut() =
                    match (settings.use_refresh_tokens, tokens.refresh_token.take()) {
                        (true, Some(refresh)) => {
                            Some((refresh, endpoint_of(&tx), tx.client_id.clone()))
                        }
                        _ => None,
                    };
                (
                    tokens.checked_id_token()?.to_owned(),
                    Some(tokens),
                    Some(keys),
                )
            }
            // The front channel's ID token arrives alone, through the page (form_post).
            Grant::IdToken(raw) => (raw, None, None),
        };
        let unverified = UnverifiedIdToken::parse(raw, &BrowserJson)?;
        let keys = match keys {
            Some(keys) => keys?,
            None => self.keys(&tx.jwks_uri, false).await?,
        };
        let key = match unverified.key(&keys) {
            Err(Error::KeyNotFound) => unverified.key(&*self.keys(&tx.jwks_uri, true).await?)?,
            other => other?,
        };
        let token = unverified.verify(&key, &WebCrypto).await?;
        let claims = token.claims(&Expected {
            issuer: &tx.issuer,
            client_id: &tx.client_id,
            nonce: &tx.nonce,
            now: page::now_secs() as i64,
            leeway: settings.leeway as i64,
            max_age: tx.max_age,
        })?;
        let profile = Profile::from_claims(
            claims,
            &tx.strategy,
            tx.connection.as_str(),
            tx.client_id.as_str(),
        )?;
        let payload = json::to_value(&AuthResult {
            id_token: token.raw(),
            access_token: tokens.as_ref().map(|t| t.access_token.as_str()),
            token_type: tokens.as_ref().map(|t| t.token_type.as_str()),
            expires_in: tokens.as_ref().and_then(|t| t.expires_in),
            scope: tokens.as_ref().and_then(|t| t.scope.as_deref()),
            profile: &profile,
            connection: tx.connection.as_str(),
        });
        // The claims as sent; the app's state as the text it was stored as, parsed on its
        // own: it comes back from storage, where any script of the origin could have changed
        // it, so it is never spliced into the payload.
        let _ = Reflect::set(
            &payload,
            &JsValue::from_str("idTokenPayload"),
            &json::parse(token.payload_json()),
        );
        if let Some(state) = &tx.app_state {
            let _ = Reflect::set(
                &payload,
                &JsValue::from_str("appState"),
                &json::parse(state),
            );
        }
        if settings.remember_last_login {
            storage::remember_last_login(settings.client_id.as_str(), tx.connection.as_str());
        }
        let expires_at = match tokens.as_ref().and_then(|t| t.expires_in) {
            Some(seconds) => page::now_ms() + seconds as f64 * 1000.0,
            None => claims.exp as f64 * 1000.0,
        };
        self.keep(
            settings,
            Kept {
                id_token: token.raw().to_owned(),
                access_token: tokens.as_ref().map(|t| t.access_token.clone()),
                token_type: tokens.as_ref().map(|t| t.token_type.clone()),
                scope: tokens.as_ref().and_then(|t| t.scope.clone()),
                expires_at,
                connection: tx.connection.as_str().to_owned(),
            },
            json::to_value(&profile),
        );
        *self.session.borrow_mut() = Some(Session {
            connection: tx.connection.as_str().to_owned(),
            client_id: tx.client_id.clone(),
            id_token: token.raw().to_owned(),
        });
        Ok(payload)
    }

    /// The token request of the code grant, as a public client.
    async fn exchange(&self, endpoint: String, body: String) -> Result<TokenResponse, Error> {
        let answer = net::post_form(&endpoint, body)
            .await
            .map_err(|detail| Error::Network {
                url: endpoint.clone(),
                detail,
            })?;
        if (200..300).contains(&answer.status) {
            return BrowserJson
                .read::<TokenResponse>(&answer.body)
                .map_err(|e| Error::InvalidTokenResponse(e.describe()));
        }
        // A refusal keeps the provider's own words.
        Err(match BrowserJson.read::<TokenErrorResponse>(&answer.body) {
            Ok(e) => e.into(),
            Err(_) => {
                Error::InvalidTokenResponse(["HTTP status ", &answer.status.to_string()].concat())
            }
        })
    }

    // ------------------------------------------------------------------ tokens kept

    fn session_key(settings: &Settings) -> String {
        ["latch.session.", settings.client_id.as_str()].concat()
    }

    /// Tokens are kept in memory unless the app opted into sessionStorage: there they survive
    /// a reload of this tab (and are readable by any script on the origin, which is the
    /// trade).
    fn keep(&self, settings: &Settings, kept: Kept, profile: JsValue) {
        if settings.token_storage == TokenStorage::SessionStorage {
            let stored = json::to_value(&kept);
            let _ = Reflect::set(&stored, &JsValue::from_str("profile"), &profile);
            let written = json::stringify(&stored).and_then(|text| {
                storage::session()?
                    .set_item(&Self::session_key(settings), &text)
                    .ok()
            });
            if written.is_none() {
                page::warn(
                    "latch-login: could not keep the tokens in sessionStorage; they stay in memory",
                );
            }
        }
        *self.kept.borrow_mut() = Some((kept, profile));
        self.schedule_renewal();
    }

    fn restore_session(&self, settings: &Settings) {
        if settings.token_storage != TokenStorage::SessionStorage {
            return;
        }
        let Some(storage) = storage::session() else {
            return;
        };
        let key = Self::session_key(settings);
        let Some(text) = storage.get_item(&key).ok().flatten() else {
            return;
        };
        let value = json::parse(&text);
        let kept = json::from_value::<Kept>(value.clone()).ok();
        match kept {
            Some(kept) if kept.expires_at > page::now_ms() => {
                let profile =
                    Reflect::get(&value, &JsValue::from_str("profile")).unwrap_or(JsValue::NULL);
                *self.kept.borrow_mut() = Some((kept, profile));
                self.schedule_renewal();
            }
            _ => {
                let _ = storage.remove_item(&key);
            }
        }
    }

    pub fn forget_session(&self) {
        *self.kept.borrow_mut() = None;
        *self.refresh.borrow_mut() = None;
        *self.renewal_timer.borrow_mut() = None;
        if let (Ok(settings), Some(storage)) = (&self.settings, storage::session()) {
            let _ = storage.remove_item(&Self::session_key(settings));
        }
    }

    /// The profile and the tokens of this page session's login while they are good.
    pub fn current(&self) -> Option<(JsValue, JsValue)> {
        let expired = self
            .kept
            .borrow()
            .as_ref()
            .is_some_and(|(k, _)| k.expires_at <= page::now_ms());
        if expired {
            self.forget_session();
        }
        let kept = self.kept.borrow();
        let (k, profile) = kept.as_ref()?;
        let tokens = json::to_value(&Tokens {
            id_token: &k.id_token,
            access_token: k.access_token.as_deref(),
            token_type: k.token_type.as_deref(),
            scope: k.scope.as_deref(),
            expires_at: k.expires_at,
        });
        Some((profile.clone(), tokens))
    }

    // ------------------------------------------------------------------ userinfo

    /// The user's claims from the provider's userinfo endpoint (OpenID Connect Core §5.3),
    /// for Lock's `getUserInfo(accessToken)`: the endpoint of this session's connection, else
    /// the broker's, as their discovery documents name it.
    pub async fn user_info(&self, access_token: &str) -> Result<JsValue, Error> {
        self.ready().await;
        let settings = self.settings()?;
        let connection = self.session.borrow().as_ref().map(|s| s.connection.clone());
        let endpoint = match connection {
            Some(name) => {
                let list = self.connections().await?;
                self.endpoints(find(&list, &name)?).await?.userinfo_endpoint
            }
            None => {
                let broker = settings.broker.as_ref().ok_or(Error::UserInfoUnsupported)?;
                self.discovery(&broker.discovery_url())
                    .await?
                    .for_channel(&broker.issuer_candidates(), Channel::Back, &BrowserUrls)?
                    .userinfo_endpoint
            }
        };
        let url = endpoint.ok_or(Error::UserInfoUnsupported)?;
        let unavailable = |detail: String| Error::UserInfoUnavailable {
            url: url.clone(),
            detail,
        };
        let text = net::get_bearer(&url, access_token)
            .await
            .and_then(net::Answer::ok)
            .map_err(unavailable)?;
        let claims = json::parse(&text);
        match claims.is_object() && !js_sys::Array::is_array(&claims) {
            true => Ok(claims),
            false => Err(unavailable("the answer is not a JSON object".into())),
        }
    }

    // ------------------------------------------------------------------ logout

    /// Logs out at the provider (its end_session_endpoint, or the broker's `/v2/logout`) and
    /// comes back to `return_to`; the logout link. The link is made, and so checked, first: a
    /// logout refused (a `returnTo` the core will not send the user to, no endpoint) changes
    /// nothing here or in the app's other tabs. Then the login is forgotten, the other tabs
    /// told, and the page sent to the link.
    pub async fn logout(&self, options: LogoutOptions) -> Result<String, Error> {
        self.ready().await;
        let settings = self.settings()?;
        let session = self.session.borrow().clone();
        let (end_session, broker, client_id, hint) = match &session {
            Some(session) => {
                let list = self.connections().await?;
                let connection = find(&list, &session.connection)?;
                let broker = match connection.route {
                    Route::Broker => settings.broker.as_ref(),
                    Route::Direct(_) => None,
                };
                (
                    self.endpoints(connection).await?.end_session_endpoint,
                    broker,
                    &session.client_id,
                    Some(session.id_token.as_str()),
                )
            }
            None => {
                let broker = settings.broker.as_ref().ok_or(Error::LogoutUnsupported)?;
                let end_session = self
                    .discovery(&broker.discovery_url())
                    .await?
                    .for_channel(&broker.issuer_candidates(), Channel::Back, &BrowserUrls)?
                    .end_session_endpoint;
                (end_session, Some(broker), &settings.client_id, None)
            }
        };
        let url = LogoutRequest {
            end_session_endpoint: end_session.as_deref(),
            broker,
            client_id,
            id_token_hint: hint,
            return_to: options.return_to.as_deref(),
            federated: options.federated.unwrap_or(false),
        }
        .url(&BrowserUrls)?;
        *self.session.borrow_mut() = None;
        self.forget_session();
        if let Some(tabs) = self.tabs.borrow().as_ref() {
            tabs.tell(&TabMessage::SignedOut);
        }
        page::navigate(&url);
        Ok(url)
    }

    // ------------------------------------------------------------------ custom buttons

    /// Wires `<button data-latch-connection="acme">` elements of the page, once the document
    /// is parsed.
    fn attach_markup(self: &Rc<Self>) {
        let Some(document) = page::document() else {
            return;
        };
        let me = Rc::downgrade(self);
        let wire = move || {
            let Some(me) = me.upgrade() else { return };
            let Some(document) = page::document() else {
                return;
            };
            let Ok(found) = document.query_selector_all("[data-latch-connection]") else {
                return;
            };
            for i in 0..found.length() {
                let Some(element) = found
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                else {
                    continue;
                };
                let Some(connection) = element.get_attribute("data-latch-connection") else {
                    continue;
                };
                let listener = me.click_listener(&element, connection, None);
                me.markup.borrow_mut().push(listener);
            }
        };
        if document.ready_state() == "loading" {
            let wire = RefCell::new(Some(wire));
            let once: RefCell<Option<Listener>> = RefCell::new(None);
            let listener = Listener::new(&document, "DOMContentLoaded", move |_| {
                if let Some(wire) = wire.borrow_mut().take() {
                    wire();
                }
            });
            *once.borrow_mut() = Some(listener);
            // Lives as long as the page's first parse; one per widget.
            std::mem::forget(once);
        } else {
            wire();
        }
    }

    /// A click on `element` logs in with `connection`.
    pub fn click_listener(
        self: &Rc<Self>,
        element: &web_sys::Element,
        connection: String,
        app_state: Option<String>,
    ) -> Listener {
        let me = Rc::downgrade(self);
        Listener::new(element, "click", move |event| {
            event.prevent_default();
            if let Some(me) = me.upgrade() {
                me.go(connection.clone(), app_state.clone(), None);
            }
        })
    }
}

/// The token endpoint a transaction's code went to (a code login has one).
fn endpoint_of(tx: &Transaction) -> String {
    tx.token_endpoint.clone().unwrap_or_default()
}

/// An error as a promise's rejection: the payload the app's handlers get.
fn reject(e: &Error) -> JsValue {
    json::to_value(&ErrorPayload::from(e))
}

/// Abandoned logins do not pile up: every page load drops the expired ones.
fn sweep() {
    if let Ok(store) = TransactionStore::open() {
        store.sweep(page::now_secs());
    }
}

fn add_stylesheet() {
    let Some(document) = page::document() else {
        return;
    };
    if document
        .query_selector("link[data-latch-login]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let (Some(assets), Some(head)) = (assets(), document.head()) else {
        return;
    };
    let Some(link) = document
        .create_element("link")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &assets.stylesheet);
    let _ = link.set_attribute("data-latch-login", "");
    // Settles when the sheet has loaded, failed, or after STYLESHEET_WAIT_MS.
    let loaded = Promise::new(&mut |resolve, _| {
        link.set_onload(Some(&resolve));
        link.set_onerror(Some(&resolve));
        if let Some(window) = page::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                STYLESHEET_WAIT_MS,
            );
        }
    });
    STYLESHEET.with(|s| *s.borrow_mut() = Some(loaded));
    let _ = head.append_child(&link);
}

/// How long a panel waits for its stylesheet before it shows anyway.
const STYLESHEET_WAIT_MS: i32 = 3_000;

thread_local! {
    /// The stylesheet the widget added, until it has loaded (see [`add_stylesheet`]).
    static STYLESHEET: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

/// Waits for the stylesheet the widget added, so that no panel is ever drawn unstyled.
async fn stylesheet_loaded() {
    if let Some(loaded) = STYLESHEET.with(|s| s.borrow().clone()) {
        let _ = JsFuture::from(loaded).await;
    }
}
