//! The panel: what is on screen, the texts it shows, and what a `show(options)` narrowed or
//! changed for that showing only. Its flows draw the buttons from the connections on offer
//! and turn what the user asked for into a login.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

use crate::core::authorize::AuthParams;
use crate::core::connection::{for_typed, offered, Connection};
use crate::core::dictionary::Dictionary;
use crate::core::payload::InitialScreen;
use crate::core::strategy::ConnectionKind;

use crate::core::payload::{Event, ShowOptions};
use crate::core::version::Verdict;
use crate::core::Error;

use super::assets;
use super::events::error_payload;
use super::json;
use super::page;
use super::storage;
use super::view::{Action, View};
use super::widget::Widget;

#[derive(Default)]
pub struct Panel {
    /// The language pack's texts, once read.
    pub pack: RefCell<Vec<(String, String)>>,
    view: RefCell<Option<View>>,
    /// An error raised before the widget was on screen, shown by the next `show()`.
    unseen: RefCell<Option<String>>,
    /// `show({ allowedConnections })` of the showing on screen.
    shown_allowed: RefCell<Option<Vec<String>>>,
    /// `show({ auth: { params } })`: the authorize parameters while that showing is on screen.
    pub shown_params: RefCell<Option<AuthParams>>,
    /// `show({ languageDictionary })`: the texts of that showing, over the widget's.
    shown_texts: RefCell<Option<Vec<(String, String)>>>,
    /// How many times the widget was hidden: a show() that waited across a hide() gives up.
    hidden: Cell<u32>,
    /// Logins from this showing open the hosted page's sign-up form (`initialScreen:
    /// 'signUp'`, or the "Sign up" link).
    pub sign_up: Cell<bool>,
}

impl Panel {
    /// Runs `f` on the view, if the panel is on screen.
    pub fn view(&self, f: impl FnOnce(&View)) {
        if let Some(view) = self.view.borrow().as_ref() {
            f(view);
        }
    }
}

impl Widget {
    pub fn dictionary<R>(&self, f: impl FnOnce(&Dictionary<'_>) -> R) -> R {
        let pack = self.panel.pack.borrow();
        let shown = self.panel.shown_texts.borrow();
        let s = &self.settings;
        f(&Dictionary::with_language(
            s.language,
            &pack,
            shown.as_deref().unwrap_or(&s.language_dictionary),
        ))
    }

    pub async fn show(self: &Rc<Self>, options: ShowOptions) {
        self.ready().await;
        let settings = &self.settings;
        let panel = &self.panel;
        // Lock's `on('authorization_error', e => lock.show({ flashMessage }))`: the app's
        // message replaces the widget's error screen, on the login screen.
        let app_flash = options.flash_message.is_some();
        let flash = options.flash_message.or_else(|| settings.flash.clone());
        if panel.view.borrow().is_some() && !app_flash {
            return;
        }
        let params = match options.auth.and_then(|a| a.params) {
            Some(params) => match settings.params_for_show(params) {
                Ok(params) => Some(params),
                Err(e) => return self.fail(Event::UnrecoverableError, e),
            },
            None => None,
        };
        if let Some(warning) = options.initial_screen.and_then(|s| s.unavailable()) {
            page::warn(warning);
        }
        panel.sign_up.set(match options.initial_screen {
            Some(screen) => screen == InitialScreen::SignUp,
            None => settings.sign_up_first,
        });
        *panel.shown_allowed.borrow_mut() = options.allowed_connections;
        *panel.shown_params.borrow_mut() = params;
        if let Some(warning) = options
            .language_dictionary
            .as_ref()
            .and_then(|texts| crate::core::dictionary::ignored_texts_warning(&texts.ignored))
        {
            page::warn(&warning);
        }
        *panel.shown_texts.borrow_mut() = options
            .language_dictionary
            .map(|texts| settings.dictionary_for_show(texts));
        if let Some(id) = &settings.container {
            if page::document()
                .and_then(|d| d.get_element_by_id(id))
                .is_none()
            {
                return self.fail(
                    Event::UnrecoverableError,
                    Error::InvalidOption {
                        option: "container".into(),
                        reason: ["no element has the id `", id, "`"].concat(),
                    },
                );
            }
        }
        let hides = panel.hidden.get();
        assets::stylesheet_loaded().await;
        // Hidden meanwhile (by the app, or by a login that ended), or shown by another call,
        // unless this showing brings the app's message, which takes the panel's place.
        if panel.hidden.get() != hides {
            return;
        }
        if let Some(shown) = panel.view.borrow_mut().take_if(|_| app_flash) {
            shown.remove();
        }
        if panel.view.borrow().is_some() {
            return;
        }
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
        // A flash message is the app's word on what happened: it replaces the error screen.
        let unseen = panel.unseen.borrow_mut().take().filter(|_| !app_flash);
        // A failed return is shown until the user picks "Try again".
        match &unseen {
            Some(message) => view.error(message),
            None if self.resuming.get() => view.signing_in(),
            None => view.loading(),
        }
        *panel.view.borrow_mut() = Some(view);
        self.listeners.emit(Event::Show, &JsValue::UNDEFINED);
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
        let panel = &self.panel;
        // A show() still waiting for the stylesheet must not draw the panel after this.
        panel.hidden.set(panel.hidden.get().wrapping_add(1));
        let view = panel.view.borrow_mut().take();
        panel.sign_up.set(false);
        *panel.shown_params.borrow_mut() = None;
        *panel.shown_texts.borrow_mut() = None;
        if let Some(view) = view {
            view.remove();
            self.listeners.emit(Event::Hide, &JsValue::UNDEFINED);
        }
    }

    fn act(self: &Rc<Self>, action: Action) {
        let me = self.clone();
        match action {
            Action::Connection(name) => me.go(name, None, None),
            Action::Retry => {
                self.panel.view(View::loading);
                spawn_local(async move { me.load_buttons().await });
            }
            Action::Close => self.hide(),
            Action::Email(email) => {
                let chosen = self
                    .documents
                    .known_connections()
                    .and_then(|list| for_typed(&list, &email).map(|c| c.name.as_str().to_owned()));
                match chosen {
                    Some(name) => me.go(name, None, Some(email)),
                    None => self.panel.view(View::no_match),
                }
            }
            Action::SignUp => {
                let database = self.documents.known_connections().and_then(|list| {
                    list.iter()
                        .find(|c| c.kind == ConnectionKind::Database && c.sign_up)
                        .map(|c| c.name.as_str().to_owned())
                });
                if let Some(name) = database {
                    self.panel.sign_up.set(true);
                    me.go(name, None, None);
                }
            }
        }
    }

    /// Loads the client configuration into the buttons, then warms the discovery documents
    /// so a click goes straight to the provider.
    async fn load_buttons(self: &Rc<Self>) {
        let settings = &self.settings;
        let list = match self.documents.connections(settings).await {
            Ok(list) => list,
            Err(e) => return self.fail(Event::UnrecoverableError, e),
        };
        // `show({ allowedConnections })` narrows this showing, by Lock's rule.
        let narrowed = self.panel.shown_allowed.borrow().clone();
        let list = match narrowed {
            None => list,
            Some(names) => match offered(list.to_vec(), Some(&names)) {
                Ok(list) => Rc::new(list),
                Err(e) => return self.fail(Event::UnrecoverableError, e),
            },
        };
        let last = settings
            .remember_last_login
            .then(|| storage::last_login(settings.client_id.as_str()))
            .flatten();
        let model = self.dictionary(|d| {
            crate::core::view::buttons(
                d,
                &list,
                &settings.theme,
                last.as_deref(),
                settings.allow_sign_up,
            )
        });
        self.panel.view(|view| view.buttons(&model));
        for c in list.iter().filter(|c| c.verdict().is_err()) {
            self.unsupported(c);
        }
        self.listeners.emit(Event::SigninReady, &JsValue::UNDEFINED);
        // Warming only: a click reports what failed.
        for c in list.iter() {
            let _ = self.documents.endpoints(settings, c).await;
        }
    }

    /// Says, each time, that a connection cannot be served: the event, and the console.
    pub fn unsupported(&self, c: &Connection) {
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
            .emit(Event::UnsupportedConnection, &json::to_value(&verdict));
    }

    /// A login that cannot go on: on screen (now, or when the widget is next shown), in the
    /// console, and as `event`.
    pub fn fail(&self, event: Event, e: Error) {
        self.fail_with(event, &e)
    }

    /// [`Self::fail`] with an error that stays the caller's (no copy of it).
    pub fn fail_with(&self, event: Event, e: &Error) {
        let message = e.message();
        match self.panel.view.borrow().as_ref() {
            Some(view) => view.error(&message),
            None => *self.panel.unseen.borrow_mut() = Some(message.clone()),
        }
        page::error(&["latch-login: ", &message].concat());
        self.listeners.emit(event, &error_payload(e));
    }
}
