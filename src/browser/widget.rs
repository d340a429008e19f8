//! One widget on a page: the owners of its state, and what happens as it is made. Each owner
//! holds one kind of state and is named for it: the documents ([`Documents`]), the signed-in
//! user's login ([`SessionStore`]), the panel ([`Panel`]), the renewals ([`Renewals`]) and the
//! app's other tabs ([`Tabs`]). The flows that sequence them are in their own modules: the
//! panel's ([`super::panel`]), logins ([`super::login`]), their return ([`super::arrival`]),
//! renewals and tabs ([`super::renewal`]), and the account ([`super::account`]).

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::core::request::Kind;
use crate::core::settings::{Settings, DPOP};
use crate::core::silent;

use super::arrival::{left_for_another_window, response_in_address};
use super::assets;
use super::cleanup::Listener;
use super::documents::Documents;
#[cfg(feature = "dpop")]
use super::dpop::Binding;
use super::events::Listeners;
use super::page;
use super::panel::Panel;
use super::renewal::Renewals;
use super::session::SessionStore;
use super::tabs::Tabs;

pub struct Widget {
    pub settings: Settings,
    pub listeners: Rc<Listeners>,
    /// Settles once the language pack is read and a return in the address bar is taken:
    /// every call waits for it.
    ready: RefCell<Option<Promise>>,
    pub documents: Documents,
    pub session: SessionStore,
    pub panel: Panel,
    pub renewals: Renewals,
    /// A return from the provider is being validated.
    pub resuming: Cell<bool>,
    /// Elements of the page made login buttons by `data-latch-connection`.
    pub markup: RefCell<Vec<Listener>>,
    /// The app's other tabs.
    pub tabs: RefCell<Option<Tabs>>,
    /// The DPoP key and the servers' nonces (made only when a login uses DPoP; in the DPoP
    /// build).
    #[cfg(feature = "dpop")]
    pub dpop: Binding,
    /// The widget itself, for the timers it sets.
    pub me: Weak<Widget>,
}

impl Widget {
    /// The widget of valid `settings`: the tokens kept from before a reload, the stylesheet,
    /// the app's markup buttons, the language pack and a return in the address bar, and the
    /// requests it will need, started now.
    pub fn new(settings: Settings, listeners: Rc<Listeners>) -> Rc<Widget> {
        // What came back to this page, if anything: read once, before anything else.
        let arrived = response_in_address();
        let returning = arrived.is_some();
        // As Lock does, the client configuration is asked for at once, before anything else
        // the widget does, while the stylesheet and the language pack load; checkSession also
        // needs the broker's discovery document: side by side rather than one after the
        // other. Not on the page a login comes back to: its token request goes first.
        let documents = Documents::new(settings.deadline(Kind::Document));
        if !returning {
            if let Some(url) = settings.client_configuration_url() {
                documents.fetch_early(&url);
            }
            if let Some(broker) = settings.broker.as_ref().filter(|_| settings.sso) {
                documents.fetch_early(&broker.discovery_url());
            }
        }
        let session = SessionStore::restore(&settings);
        #[cfg(feature = "dpop")]
        let dpop = Binding::new(settings.client_id.as_str());
        let widget = Rc::new_cyclic(|me| Widget {
            settings,
            listeners,
            ready: RefCell::new(None),
            documents,
            session,
            panel: Panel::default(),
            renewals: Renewals::default(),
            resuming: Cell::new(false),
            markup: RefCell::default(),
            tabs: RefCell::default(),
            #[cfg(feature = "dpop")]
            dpop,
            me: me.clone(),
        });
        let settings = &widget.settings;
        // On a silent-callback page the widget is a passer-by: the window that waits reads
        // the answer and removes it. It neither joins the app's tabs nor checks the session
        // itself.
        let passer_by = arrived.as_ref().is_some_and(left_for_another_window);
        if !passer_by {
            let me = Rc::downgrade(&widget);
            *widget.tabs.borrow_mut() = Tabs::open(settings.client_id.as_str(), move |message| {
                if let Some(me) = me.upgrade() {
                    me.heard(message);
                }
            });
        }
        widget.warn_of_adjusted_options();
        if settings.stylesheet {
            assets::add_stylesheet();
        }
        widget.schedule_renewal();
        widget.attach_markup();
        let me = widget.clone();
        let ready = wasm_bindgen_futures::future_to_promise(async move {
            if let Some(pack) = assets::language_pack(&me.settings).await {
                *me.panel.pack.borrow_mut() = pack;
            }
            if me.settings.auto_parse_hash {
                me.resume(None);
            }
            Ok(JsValue::UNDEFINED)
        });
        *widget.ready.borrow_mut() = Some(ready);
        // A login kept across the reload (`auth.persistRefreshToken`) is taken back first;
        // only without one does `auth.sso` ask the provider.
        let take_back = DPOP && settings.persist_refresh_token && !returning && !passer_by;
        if settings.sso || take_back {
            let me = widget.clone();
            spawn_local(async move {
                #[cfg(feature = "dpop")]
                if take_back {
                    me.take_back_kept_login().await;
                    if !me.settings.sso {
                        return;
                    }
                }
                me.ready().await;
                if !me.session.is_signed_in() && !me.resuming.get() && !passer_by {
                    let _ = me.check_session(None, silent::DEFAULT_TIMEOUT_MS).await;
                }
            });
        }
        widget
    }

    /// The console says when the `openid` scope had to be added, and which texts of
    /// `languageDictionary` the widget has no place for.
    fn warn_of_adjusted_options(&self) {
        if let Some(warning) =
            crate::core::dictionary::ignored_texts_warning(&self.settings.ignored_texts)
        {
            page::warn(&warning);
        }
        if self.settings.params.scope.added_openid {
            page::warn("latch-login: the `openid` scope was missing from auth.params.scope and has been added");
        }
        for c in &self.settings.direct {
            if let crate::core::connection::Route::Direct(d) = &c.route {
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
    }

    /// Waits for the widget to be ready (see `ready`).
    pub async fn ready(&self) {
        let ready = self.ready.borrow().clone();
        if let Some(ready) = ready {
            let _ = JsFuture::from(ready).await;
        }
    }
}
