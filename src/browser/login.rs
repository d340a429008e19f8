//! Logins, from a click (on the panel, a button of the app's, or a method call) to the
//! provider: by leaving the page, in a popup, or silently in a hidden iframe
//! (`checkSession`). The core's [`Plan`] decides the login; this module fetches what it needs,
//! stores its transaction and goes. A popup's or iframe's answer is validated as any return
//! ([`super::arrival`]).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;

use crate::core::callback::AuthorizationResponse;
use crate::core::connection::{Channel, Connection, Route};
use crate::core::login::{connection_to_check, Mode, Plan};
use crate::core::payload::Event;
use crate::core::silent;
use crate::core::types::State;
use crate::core::Error;

use super::assets;
use super::cleanup::Listener;
use super::crypto::entropy;
use super::frame::{self, Target};
use super::page;
use super::storage::{self, TransactionStore};
use super::widget::Widget;
use super::worker;

/// A login that has left for the provider: its link, its state, and the silent-callback page
/// its answer comes to when the provider has no `web_message`.
struct Started {
    url: String,
    state: State,
    callback: Option<String>,
}

impl Widget {
    /// A login the user asked for in a click: in a popup opened now, in that click, with
    /// `auth.redirect: false`, else by leaving the page.
    pub fn go(
        self: &Rc<Self>,
        name: String,
        app_state: Option<String>,
        login_hint: Option<String>,
    ) {
        let me = self.clone();
        // Opened now, in the click; one task for both ways.
        let popup = self.settings.popup.then(frame::open_popup);
        spawn_local(async move {
            let Some(popup) = popup else {
                return me.login(&name, app_state, login_hint).await;
            };
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
    }

    pub fn uses_form_post(&self) -> bool {
        self.settings
            .direct
            .iter()
            .any(|c| matches!(&c.route, Route::Direct(d) if d.channel == Channel::Front))
    }

    /// The form_post worker, active.
    pub async fn form_post_ready(&self) -> Result<(), Error> {
        let settings = &self.settings;
        let worker = match &settings.service_worker_url {
            Some(url) => url.clone(),
            None => assets::assets()
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
        let connection = self.documents.connection(&self.settings, name).await?;
        let started = self
            .begin(&connection, app_state, login_hint, Mode::Redirect)
            .await?;
        Ok(started.url)
    }

    /// Starts a login with `connection` in `mode`: its transaction stored, its link made.
    async fn begin(
        &self,
        connection: &Connection,
        app_state: Option<String>,
        login_hint: Option<String>,
        mode: Mode,
    ) -> Result<Started, Error> {
        let settings = &self.settings;
        if let Err(u) = connection.verdict() {
            return Err(Error::UnsupportedConnection {
                connection: connection.name.as_str().to_owned(),
                reason: u.reason(),
            });
        }
        let endpoints = self.documents.endpoints(settings, connection).await?;
        // The showing's own parameters while it is on screen, else the widget's.
        let shown = self.panel.shown_params.borrow().clone();
        let params = shown.as_ref().unwrap_or(&settings.params);
        let plan = Plan::new(settings, connection, &endpoints, params, mode)?;
        let sign_up = mode != Mode::Silent && self.panel.sign_up.get();
        // The app's server takes the code (Lock's `responseType: 'code'` with a server
        // callback): nothing to keep in the page.
        if settings.server_exchange && mode == Mode::Redirect && connection.route == Route::Broker {
            let [fresh] = entropy::<1>()?;
            let (state, url) = plan.server_link(&fresh, login_hint, sign_up);
            return Ok(Started {
                url,
                state,
                callback: None,
            });
        }
        // The response comes back as a POST: without the worker it would be lost.
        if plan.channel() == Channel::Front {
            self.form_post_ready().await?;
        }
        if mode != Mode::Redirect {
            self.documents.fetch_keys_early(&endpoints.jwks_uri);
        }
        let store = TransactionStore::open()?;
        let callback = plan.callback().map(|c| c.as_str().to_owned());
        // Bound to the DPoP key below, in the DPoP build.
        #[cfg_attr(not(feature = "dpop"), allow(unused_mut))]
        let mut started = plan.start(
            &entropy::<3>()?,
            page::now_secs(),
            app_state,
            login_hint,
            sign_up,
        );
        // RFC 9449 §10: the code is bound to the key that will exchange it.
        #[cfg(feature = "dpop")]
        if started.transaction.dpop() {
            started.bind_to_key(self.dpop.key().await?.thumbprint().as_str());
        }
        store.save(&started.transaction)?;
        Ok(Started {
            url: started.url,
            state: started.transaction.state,
            callback,
        })
    }

    /// Sends the user to log in with `name`.
    pub async fn login(&self, name: &str, app_state: Option<String>, login_hint: Option<String>) {
        self.ready().await;
        let chosen = match self.documents.connection(&self.settings, name).await {
            Ok(c) => c,
            Err(e) => return self.fail(Event::UnrecoverableError, e),
        };
        // A connection this widget cannot serve is refused before anything changes on
        // screen: its button is already disabled with the reason.
        if chosen.verdict().is_err() {
            return self.unsupported(&chosen);
        }
        let redirecting = self.dictionary(|d| d.fill("redirectingLabel", &chosen.display_name));
        self.panel.view(|view| view.status(&redirecting));
        match self
            .begin(&chosen, app_state, login_hint, Mode::Redirect)
            .await
        {
            Ok(started) => page::navigate(&started.url),
            Err(e) => self.fail(Event::UnrecoverableError, e),
        }
    }

    /// A login in `popup`, a window the page opened in the user's click (none: the browser
    /// blocked it): the authorize request answered by web message, validated as any return.
    /// Success hides the widget and fires `authenticated`, as a redirect login does; a failure
    /// is an `authorization_error` (`popup_closed`, `timeout`, or what the provider or the
    /// checks said). The page itself never navigates.
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
            self.fail(Event::AuthorizationError, Error::PopupBlocked);
            return Err(Error::PopupBlocked);
        };
        let started = match self.documents.connection(&self.settings, name).await {
            Ok(c) => self.begin(&c, app_state, login_hint, Mode::Popup).await,
            Err(e) => Err(e),
        };
        let outcome = match started {
            Ok(started) => {
                self.by_web_message(started, timeout_ms, Target::Popup(popup))
                    .await
            }
            Err(e) => {
                let _ = popup.close();
                Err(e)
            }
        };
        match &outcome {
            Ok(payload) => self.signed_in(payload),
            Err(e) => self.fail_with(Event::AuthorizationError, e),
        }
        outcome
    }

    /// Lock's `checkSession`: is the user still signed in at the provider? An authorize
    /// request with `prompt=none` in a hidden iframe, answered by web message, then validated
    /// as any return is (state, PKCE, the token's signature and claims, RFC 9207 `iss`). The
    /// connection is the core's pick ([`connection_to_check`]). Success fires `authenticated`;
    /// `login_required` and the like come back as errors with the provider's code, and no
    /// answer within `timeout_ms` as `timeout`. The iframe and the attempt's transaction are
    /// gone when it ends, whichever way.
    pub async fn check_session(
        &self,
        connection: Option<String>,
        timeout_ms: u32,
    ) -> Result<JsValue, Error> {
        self.ready().await;
        let settings = &self.settings;
        let list = self.documents.connections(settings).await?;
        let last = storage::last_login(settings.client_id.as_str());
        let name = connection_to_check(connection, last, &list)?;
        let chosen = self.documents.connection(settings, &name).await?;
        let started = self.begin(&chosen, None, None, Mode::Silent).await?;
        let signed_in = self.session.is_signed_in();
        let payload = self
            .by_web_message(started, timeout_ms, Target::Frame)
            .await
            .inspect_err(|e| {
                if let Some(warning) = silent::third_party_cookies_suspected(e, signed_in) {
                    page::warn(warning);
                }
            })?;
        self.listeners.emit(Event::Authenticated, &payload);
        Ok(payload)
    }

    /// Loads the login's link in `target`, then validates its answer (by web message, or read
    /// at the silent-callback page) as any return; an attempt that got none has its
    /// transaction dropped.
    async fn by_web_message(
        &self,
        started: Started,
        timeout_ms: u32,
        target: Target,
    ) -> Result<JsValue, Error> {
        let state = started.state;
        let forget = || {
            let _ = TransactionStore::open().and_then(|store| store.take(&state));
        };
        let params =
            match frame::web_message(&started.url, timeout_ms, target, started.callback).await {
                Ok(params) => params,
                Err(e) => {
                    // Nothing came back for this login: its transaction goes now.
                    forget();
                    return Err(e);
                }
            };
        // Only this attempt's own answer goes on; whatever the outcome, its transaction is
        // gone when it ends, and no other login's is touched.
        let outcome = match silent::answer_for(AuthorizationResponse::parse(&params), &state) {
            Ok(response) => self.complete(Ok(response)).await,
            Err(e) => Err(e),
        };
        if outcome.is_err() {
            forget();
        }
        outcome
    }

    /// Wires `<button data-latch-connection="acme">` elements of the page, once the document
    /// is parsed.
    pub fn attach_markup(self: &Rc<Self>) {
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
            let listener = Listener::new(&document, "DOMContentLoaded", move |_| {
                if let Some(wire) = wire.borrow_mut().take() {
                    wire();
                }
            });
            // Held with the buttons it wires, as long as the widget.
            self.markup.borrow_mut().push(listener);
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
