//! The class a page uses, `new Latch(clientId, domain, options)`, exported with wasm-bindgen
//! under Lock's names (`show`, `hide`, `on`, ...). Its methods return at once; what takes
//! time runs as async Rust ([`super::widget`]) and is heard through the events, or through
//! the promise a method returns. The package's loader (`src/js/latch-login.js`) makes the
//! class usable before the wasm has loaded, by queueing calls.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, spawn_local};

use crate::core::connection::{requirement, Route};
use crate::core::dictionary::Dictionary;
use crate::core::encoding::{base64url, utf8};
use crate::core::payload::Event;
use crate::core::payload::{
    CacheMode, ConnectionDescription, LoginOptions, MethodOptions, ShowOptions,
};
use crate::core::silent;
use crate::core::version::Verdict;
use crate::core::Error;

use super::arguments::{login_options, method_options, read_settings, with_callback};
use super::assets::{self, set_assets, Assets};
use super::events::{self, error_payload};
use super::frame;
use super::json;
use super::page;
use super::view::{Action, View};
use super::widget::Widget;

/// The files next to the widget's script, from the loader: the stylesheet, the form_post
/// worker, and `(path, image?) => Promise<url>` that finds a lazy one (a language pack, a
/// mark) and, given the mark's <img>, sets it as its `src`.
#[cfg(not(feature = "dpop"))]
#[wasm_bindgen(js_name = setAssets, skip_typescript)]
pub fn set_assets_from(stylesheet: String, worker: String, locate: js_sys::Function) {
    set_assets(Assets {
        stylesheet,
        worker,
        locate,
    });
}

/// The same, with the token worker last (the DPoP build's loader passes it).
#[cfg(feature = "dpop")]
#[wasm_bindgen(js_name = setAssets, skip_typescript)]
pub fn set_assets_from(
    stylesheet: String,
    worker: String,
    locate: js_sys::Function,
    token_worker: String,
) {
    set_assets(Assets {
        stylesheet,
        worker,
        token_worker,
        locate,
    });
}

/// The declarations of the options and payloads, from the core, where tests hold them to the
/// serde types; wasm-bindgen publishes them beside the class it declares.
#[wasm_bindgen(typescript_custom_section)]
const DECLARATIONS: &str = crate::core::typescript::DECLARATIONS;

#[wasm_bindgen]
pub struct Latch {
    listeners: Rc<events::Listeners>,
    /// The widget of valid options; options that are not valid leave none, and the error
    /// each method answers with.
    widget: Result<Rc<Widget>, Error>,
    /// Options that gave no widget: the panel that says why, once `show()` is called.
    refusal: Rc<RefCell<Option<View>>>,
    /// The page's `container`, as given, for that panel.
    container: Option<String>,
}

impl Latch {
    /// The panel of options that gave no widget: what was wrong, in the page's `container`
    /// (else a modal), until the user closes it.
    fn show_refusal(&self, e: &Error) {
        if self.refusal.borrow().is_some() {
            return;
        }
        let held = Rc::downgrade(&self.refusal);
        let act = Rc::new(move |action: Action| {
            if let (Action::Close | Action::Retry, Some(held)) = (action, held.upgrade()) {
                if let Some(view) = held.borrow_mut().take() {
                    view.remove();
                }
            }
        });
        let none = Vec::new();
        let dictionary = Dictionary::new(&none);
        let container = self.container.clone().filter(|id| {
            page::document()
                .and_then(|d| d.get_element_by_id(id))
                .is_some()
        });
        let frame = crate::core::view::refusal_frame(&dictionary, container);
        assets::add_stylesheet();
        if let Some(view) = View::new(frame, act) {
            view.error(&e.message());
            *self.refusal.borrow_mut() = Some(view);
        }
    }

    /// The widget, or the error its options gave, for a method's promise to reject with.
    fn widget(&self) -> Result<Rc<Widget>, JsValue> {
        // Borrowed, not cloned: the error is only read.
        self.widget.as_ref().map(Rc::clone).map_err(error_payload)
    }

    /// The widget and the options of `login` or `authorizeUrl`; a wrong shape, or options of
    /// `new Latch` that gave no widget, as the rejection.
    fn login_call(
        &self,
        options: &JsValue,
        method: &str,
    ) -> Result<(Rc<Widget>, LoginOptions, Option<String>), JsValue> {
        let (options, app_state) = login_options(options, method).map_err(|e| error_payload(&e))?;
        Ok((self.widget()?, options, app_state))
    }
}

#[wasm_bindgen]
impl Latch {
    /// `new Latch(clientId, domain, options)`, in Lock's order and with Lock's option names.
    /// Never throws: a bad option is an `unrecoverable_error` that names it, and `show()`
    /// shows it in the panel. `dialect` is `'lock'` for `new Auth0Lock(...)` (pkg/compat.js):
    /// Lock's own rules where they differ from the widget's, such as its `responseType`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = clientId, unchecked_param_type = "string")] client_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] domain: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LatchOptions")] options: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "'lock'")] dialect: Option<String>,
    ) -> Latch {
        let listeners = Rc::new(events::Listeners::default());
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let container = js_sys::Reflect::get(&options, &JsValue::from_str("container"))
            .ok()
            .and_then(|c| c.as_string());
        let widget = read_settings(
            &client_id,
            &domain,
            options,
            dialect.as_deref() == Some("lock"),
        )
        .map(|settings| Widget::new(settings, listeners.clone()));
        if let Err(e) = &widget {
            // Said once the page's listeners are on (they subscribe right after `new`).
            let payload = error_payload(e);
            let message = ["latch-login: ", &e.message()].concat();
            let heard = listeners.clone();
            spawn_local(async move {
                page::error(&message);
                heard.emit(Event::UnrecoverableError, &payload);
            });
        }
        Latch {
            listeners,
            widget,
            refusal: Rc::default(),
            container,
        }
    }

    /// Subscribes `fn` to `event`; returns the function that unsubscribes.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn on(
        &self,
        #[wasm_bindgen(unchecked_param_type = "E")] event: String,
        #[wasm_bindgen(unchecked_param_type = "(payload: LatchEvents[E]) => void")] f: JsValue,
    ) -> Result<Function, JsValue> {
        self.listeners.on(&event, f)
    }

    /// Shows the widget: in `options.container`, else as a modal.
    /// Lock's `show(options)`: `allowedConnections`, `auth.params`, `languageDictionary`,
    /// `initialScreen` and `flashMessage` for this showing only.
    /// Options of the wrong shape are an `unrecoverable_error` naming them.
    pub fn show(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ShowOptions")] options: Option<JsValue>,
    ) {
        let widget = match &self.widget {
            Ok(widget) => widget.clone(),
            Err(e) => return self.show_refusal(e),
        };
        let options = method_options::<ShowOptions>(options, "show");
        spawn_local(async move {
            match options {
                Ok(options) => widget.show(options).await,
                Err(payload) => {
                    widget.ready().await;
                    widget.listeners.emit(Event::UnrecoverableError, &payload);
                }
            }
        });
    }

    pub fn hide(&self) {
        let Ok(widget) = self.widget.as_ref().map(Rc::clone) else {
            return;
        };
        spawn_local(async move {
            widget.ready().await;
            widget.hide();
        });
    }

    /// Sends the user to log in with `{ connection, appState }`.
    ///
    /// With `popup: true` the login happens in a window of its own, opened here, in the
    /// click that called this (opened any later, a popup blocker would stop it): the page
    /// never navigates, and the promise resolves to the `authenticated` payload (which also
    /// fires), or rejects with `popup_blocked`, `popup_closed`, `timeout` (default 60 s) or
    /// what the provider or the checks said.
    #[wasm_bindgen(unchecked_return_type = "Promise<AuthResult | undefined>")]
    pub fn login(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LoginOptions")] options: JsValue,
    ) -> Promise {
        let (widget, options, app_state) = match self.login_call(&options, "login") {
            Ok(call) => call,
            Err(e) => return Promise::reject(&e),
        };
        // Opened now, in the click (see above); one promise for both ways.
        let popup = (options.popup == Some(true)).then(frame::open_popup);
        future_to_promise(async move {
            let Some(popup) = popup else {
                widget.login(&options.connection, app_state, None).await;
                return Ok(JsValue::UNDEFINED);
            };
            widget
                .popup_login(
                    &options.connection,
                    app_state,
                    None,
                    popup,
                    options.timeout.unwrap_or(silent::DEFAULT_POPUP_TIMEOUT_MS),
                )
                .await
                .map_err(|e| error_payload(&e))
        })
    }

    /// Resolves to an authorize link for `{ connection, appState }` (a custom login button);
    /// the login it starts is stored like any other.
    #[wasm_bindgen(js_name = authorizeUrl, unchecked_return_type = "Promise<string>")]
    pub fn authorize_url(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LoginOptions")] options: JsValue,
    ) -> Promise {
        let (widget, options, app_state) = match self.login_call(&options, "authorizeUrl") {
            Ok(call) => call,
            Err(e) => return Promise::reject(&e),
        };
        future_to_promise(async move {
            widget.ready().await;
            widget
                .authorize(&options.connection, app_state, None)
                .await
                .map(JsValue::from)
                .map_err(|e| error_payload(&e))
        })
    }

    /// Makes `element` (or the element a selector finds) a login button for
    /// `{ connection, appState }`; returns the function that undoes it.
    #[wasm_bindgen(unchecked_return_type = "() => void")]
    pub fn attach(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Element | string")] element: JsValue,
        #[wasm_bindgen(unchecked_param_type = "LoginOptions")] options: JsValue,
    ) -> Result<Function, JsValue> {
        let target = match element.as_string() {
            Some(selector) => {
                page::document().and_then(|d| d.query_selector(&selector).ok().flatten())
            }
            None => element.dyn_into::<web_sys::Element>().ok(),
        };
        let Some(target) = target else {
            return Err(js_sys::TypeError::new(
                "latch-login: attach() needs an element or a selector that finds one",
            )
            .into());
        };
        let connection = js_sys::Reflect::get(&options, &JsValue::from_str("connection"))
            .ok()
            .and_then(|c| c.as_string())
            .filter(|c| !c.is_empty());
        if connection.is_none() {
            return Err(
                js_sys::TypeError::new("latch-login: attach() needs { connection }").into(),
            );
        }
        let (options, app_state) = login_options(&options, "attach")
            .map_err(|e| js_sys::TypeError::new(&["latch-login: ", &e.message()].concat()))?;
        let widget = self.widget.as_ref().map_err(|e| {
            JsValue::from(js_sys::TypeError::new(
                &["latch-login: ", &e.message()].concat(),
            ))
        })?;
        let listener = widget.click_listener(&target, options.connection, app_state);
        let held = std::cell::RefCell::new(Some(listener));
        let undo = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(move || {
            held.borrow_mut().take();
        });
        Ok(undo.into_js_value().unchecked_into())
    }

    /// Handles an authorization response in the address bar (done on construction unless
    /// `auth.autoParseHash` is false), or in `params`: a server-rendered page can pass the
    /// form_post body it received. Resolves to whether there was one.
    /// With Lock's `callback(error, authResult)`, the callback hears how that login ended
    /// (`authResult` null when there was no response) and the promise resolves to the
    /// `authenticated` payload, or null.
    #[wasm_bindgen(
        js_name = resumeAuth,
        unchecked_return_type = "Promise<boolean | AuthResult | null>"
    )]
    pub fn resume_auth(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "string")] params: Option<JsValue>,
        #[wasm_bindgen(
            unchecked_optional_param_type = "(error: LatchError | null, authResult: AuthResult | null) => void"
        )]
        callback: Option<Function>,
    ) -> Promise {
        let params = params
            .filter(|p| !p.is_undefined() && !p.is_null())
            .map(|p| String::from(js_sys::JsString::from(p)));
        let widget = match self.widget() {
            Ok(widget) => widget,
            Err(e) => return with_callback(Promise::reject(&e), callback),
        };
        // One promise for both ways.
        let heard = callback.is_some();
        let promise = future_to_promise(async move {
            widget.ready().await;
            if !heard {
                return Ok(JsValue::from_bool(widget.resume(params)));
            }
            // How the login ends: the `authenticated` payload, or the `authorization_error`.
            let offs: Vec<Function> = Vec::new();
            let offs = std::cell::RefCell::new(offs);
            let ended = Promise::new(&mut |resolve, reject| {
                let listeners = &widget.listeners;
                let mut offs = offs.borrow_mut();
                offs.extend(listeners.on("authenticated", resolve.into()).ok());
                offs.extend(listeners.on("authorization_error", reject.into()).ok());
            });
            let had_response = widget.resume(params);
            let outcome = match had_response {
                true => wasm_bindgen_futures::JsFuture::from(ended).await,
                false => Ok(JsValue::NULL),
            };
            for off in offs.borrow().iter() {
                let _ = off.call0(&JsValue::NULL);
            }
            outcome
        });
        with_callback(promise, callback)
    }

    /// Lock's `checkSession(options, callback)`: whether the user is still signed in at the
    /// provider, found out without leaving the page (a hidden iframe, `prompt=none`, the
    /// answer by web message). Resolves to the `authenticated` payload (which also fires), or
    /// rejects with the provider's `login_required`, `consent_required`,
    /// `interaction_required`, or `timeout`.
    #[wasm_bindgen(js_name = checkSession, unchecked_return_type = "Promise<AuthResult>")]
    pub fn check_session(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CheckSessionOptions")] options: Option<
            JsValue,
        >,
        #[wasm_bindgen(
            unchecked_optional_param_type = "(error: LatchError | null, authResult?: AuthResult) => void"
        )]
        callback: Option<Function>,
    ) -> Promise {
        let options: MethodOptions = match method_options(options, "checkSession") {
            Ok(options) => options,
            Err(e) => return with_callback(Promise::reject(&e), callback),
        };
        let widget = match self.widget() {
            Ok(widget) => widget,
            Err(e) => return with_callback(Promise::reject(&e), callback),
        };
        let promise = future_to_promise(async move {
            widget
                .check_session(
                    options.connection,
                    options.timeout.unwrap_or(silent::DEFAULT_TIMEOUT_MS),
                )
                .await
                .map_err(|e| error_payload(&e))
        });
        with_callback(promise, callback)
    }

    /// auth0-spa-js's `getTokenSilently()`: an access token good for at least the leeway,
    /// from memory, else renewed (by the refresh token with `auth.useRefreshTokens`, else
    /// by `checkSession`); concurrent callers share one renewal.
    #[wasm_bindgen(js_name = getTokenSilently, unchecked_return_type = "Promise<string>")]
    pub fn get_token_silently(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "GetTokenSilentlyOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let options: MethodOptions = match method_options(options, "getTokenSilently") {
            Ok(options) => options,
            Err(e) => return Promise::reject(&e),
        };
        match self.widget() {
            Ok(widget) => widget.token_silently(options.cache_mode == Some(CacheMode::Off)),
            Err(e) => Promise::reject(&e),
        }
    }

    /// `fetch(input, init)` for the app's own API with the login's access token, renewed as
    /// `getTokenSilently()` renews it: `Authorization: DPoP` with a proof bound to the token
    /// (`auth.dpop`, answering a resource server's nonce challenge once), else `Bearer`.
    /// Resolves to the server's `Response`, whatever its status.
    #[cfg(feature = "dpop")]
    #[wasm_bindgen(js_name = fetchWithToken, unchecked_return_type = "Promise<Response>")]
    pub fn fetch_with_token(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestInfo | URL")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestInit")] init: Option<JsValue>,
    ) -> Promise {
        let widget = match self.widget() {
            Ok(widget) => widget,
            Err(e) => return Promise::reject(&e),
        };
        future_to_promise(async move {
            let init = init.unwrap_or(JsValue::UNDEFINED);
            widget
                .fetch_with_token(&input, &init)
                .await
                .map(JsValue::from)
        })
    }

    /// Lock's `getUserInfo(accessToken, callback)`: the claims the provider's userinfo
    /// endpoint gives for `accessToken`. Without a callback, a promise of them.
    #[wasm_bindgen(
        js_name = getUserInfo,
        unchecked_return_type = "Promise<Record<string, unknown> | null>"
    )]
    pub fn get_user_info(
        &self,
        #[wasm_bindgen(js_name = accessToken, unchecked_param_type = "string")]
        access_token: JsValue,
        #[wasm_bindgen(
            unchecked_optional_param_type = "(error: LatchError | null, profile?: Record<string, unknown>) => void"
        )]
        callback: Option<Function>,
    ) -> Promise {
        let widget = self.widget();
        let promise = future_to_promise(async move {
            let widget = widget?;
            let Some(token) = access_token.as_string().filter(|t| !t.is_empty()) else {
                return Err(error_payload(&Error::InvalidOption {
                    option: "accessToken".into(),
                    reason: "must be a non-empty string".into(),
                }));
            };
            widget
                .user_info(&token)
                .await
                .map_err(|e| error_payload(&e))
        });
        with_callback(promise, callback)
    }

    /// The profile of this page session's login (kept across reloads only with
    /// `auth.tokenStorage: 'sessionStorage'`), or null.
    #[wasm_bindgen(js_name = getUser, unchecked_return_type = "Profile | null")]
    pub fn get_user(&self) -> JsValue {
        self.widget
            .as_ref()
            .ok()
            .and_then(|w| w.current())
            .map_or(JsValue::NULL, |(profile, _)| profile)
    }

    /// `{ idToken, accessToken, tokenType, scope, expiresAt }` of this page session's login
    /// while they are good (`expiresAt` in milliseconds since the epoch), or null.
    #[wasm_bindgen(js_name = getTokens, unchecked_return_type = "Tokens | null")]
    pub fn get_tokens(&self) -> JsValue {
        self.widget
            .as_ref()
            .ok()
            .and_then(|w| w.current())
            .map_or(JsValue::NULL, |(_, tokens)| tokens)
    }

    /// Logs out at the provider (its end_session_endpoint, or the broker's /v2/logout) and
    /// comes back to `{ returnTo }`. Resolves to the logout link after navigating to it.
    #[wasm_bindgen(unchecked_return_type = "Promise<string>")]
    pub fn logout(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "LogoutOptions")] options: Option<JsValue>,
    ) -> Promise {
        let options: MethodOptions = match method_options(options, "logout") {
            Ok(options) => options,
            Err(e) => return Promise::reject(&e),
        };
        let widget = match self.widget() {
            Ok(widget) => widget,
            Err(e) => return Promise::reject(&e),
        };
        future_to_promise(async move {
            widget
                .logout(
                    options.return_to.as_deref(),
                    options.federated.unwrap_or(false),
                )
                .await
                .map(JsValue::from)
                .map_err(|e| error_payload(&e))
        })
    }

    /// The verdict this widget gives a connection described as in the client configuration
    /// (`{ name, strategy, min_widget_version, requires }`), for custom buttons.
    #[wasm_bindgen(unchecked_return_type = "Promise<Verdict>")]
    pub fn supports(
        #[wasm_bindgen(unchecked_param_type = "ConnectionDescription")] connection: JsValue,
    ) -> Promise {
        let described: ConnectionDescription = match json::from_value(connection) {
            Ok(described) => described,
            Err(e) => {
                return Promise::reject(&error_payload(&Error::InvalidOption {
                    option: "connection".into(),
                    reason: e.describe(),
                }))
            }
        };
        let requirement = requirement(
            described.strategy.as_deref().unwrap_or_default(),
            &Route::Broker,
            described.min_widget_version,
            described.requires.unwrap_or_default(),
        );
        let verdict = Verdict::new(described.name.as_deref().unwrap_or_default(), &requirement);
        Promise::resolve(&json::to_value(&verdict))
    }

    /// The payload of a JWT (an access token, say) decoded for display, or null when the
    /// token is not a JWT. NOT VERIFIED: nothing here checks the signature, issuer, audience
    /// or expiry, so never base a decision on what it returns.
    #[wasm_bindgen(js_name = decodeToken, unchecked_return_type = "Record<string, unknown> | null")]
    pub fn decode_token(
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> JsValue {
        let Some(token) = token.as_string() else {
            return JsValue::NULL;
        };
        let parts: Vec<&str> = token.split('.').collect();
        let [header, payload, _] = parts[..] else {
            return JsValue::NULL;
        };
        let object = |segment: &str| {
            let text = base64url::decode(segment).and_then(|b| utf8(&b))?;
            let value = js_sys::JSON::parse(&text).ok()?;
            (value.is_object() && !js_sys::Array::is_array(&value)).then_some(value)
        };
        match (object(header), object(payload)) {
            (Some(_), Some(payload)) => payload,
            _ => JsValue::NULL,
        }
    }
}
