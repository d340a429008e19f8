//! Keeping the user signed in: `getTokenSilently` (the access token in memory while it is
//! good, else renewed), `auth.autoRenew`, and the app's other tabs. One renewal at a time
//! across the tabs (a Web Lock): a tab that waited takes the token the one before it got. The
//! timing rules are the core's ([`crate::core::silent`]), and so are what a refusal means and
//! when a failed renewal is tried again ([`crate::core::request`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::core::payload::Event;
use crate::core::request;
use crate::core::silent;
use crate::core::tabs::{renewal_lock_name, TabMessage};
use crate::core::Error;

use super::cleanup::Timer;
use super::events::error_payload;
use super::locks;
use super::page;
use super::widget::Widget;

/// How long a tab keeps the renewal lock after renewing when another tab is waiting for it:
/// its message to the other tabs is on its way, and the waiting tab hears it first (without
/// this, two tabs renewed twice in 2 runs of 8). The caller has its token already.
const RENEWAL_LINGER_MS: i32 = 100;

/// The renewals of one widget.
#[derive(Default)]
pub struct Renewals {
    /// The renewal under way, which every `getTokenSilently` caller of this page shares.
    under_way: RefCell<Option<Promise>>,
    /// When this tab last took an access token another tab renewed (ms since the epoch).
    adopted_at: Cell<f64>,
    /// `auth.autoRenew`'s next renewal.
    timer: RefCell<Option<Timer>>,
}

impl Widget {
    /// auth0-spa-js's `getTokenSilently`: an access token good for at least the leeway. From
    /// memory while it is (unless `fresh`), else renewed: with the refresh token where there is
    /// one, else with `checkSession`. Concurrent callers share one renewal.
    pub fn token_silently(self: &Rc<Self>, fresh: bool) -> Promise {
        let me = self.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            me.ready().await;
            if !fresh {
                if let Some(token) = me.good_access_token() {
                    return Ok(JsValue::from(token));
                }
            }
            let shared = me.renewals.under_way.borrow().clone();
            let renewal = match shared {
                Some(renewal) => renewal,
                None => {
                    let worker = me.clone();
                    let renewal = wasm_bindgen_futures::future_to_promise(async move {
                        let outcome = worker.renew(fresh).await;
                        *worker.renewals.under_way.borrow_mut() = None;
                        outcome.map(JsValue::from).map_err(|e| error_payload(&e))
                    });
                    *me.renewals.under_way.borrow_mut() = Some(renewal.clone());
                    renewal
                }
            };
            JsFuture::from(renewal).await
        })
    }

    /// The access token in memory while it is good for at least the leeway.
    fn good_access_token(&self) -> Option<String> {
        let leeway = self.settings.leeway;
        self.session
            .with(|s| {
                s.good_access_token(page::now_ms(), leeway)
                    .map(str::to_owned)
            })
            .flatten()
    }

    /// A new access token, one renewal at a time across the app's tabs (a Web Lock): a tab
    /// that waited for another's renewal takes the token that one got and told it of, instead
    /// of renewing again (unless `fresh`, a token renewed before it asked).
    async fn renew(self: &Rc<Self>, fresh: bool) -> Result<String, Error> {
        let asked = page::now_ms();
        let lock = renewal_lock_name(self.settings.client_id.as_str());
        let me = self.clone();
        let renewed = locks::exclusively(&lock, RENEWAL_LINGER_MS, async move {
            // A tab that held the lock before, with this one waiting, kept it until its
            // message had arrived (see RENEWAL_LINGER_MS): an adopted token is here by now.
            if !fresh || me.renewals.adopted_at.get() >= asked {
                if let Some(token) = me.good_access_token() {
                    return Ok(token);
                }
            }
            let token = me.renew_here().await?;
            if let Some(renewal) = me.session.renewal(&me.settings) {
                me.tell_tabs(TabMessage::Renewed(renewal));
            }
            me.emit_renewed();
            Ok(token)
        })
        .await;
        renewed.unwrap_or(Err(Error::RenewalInterrupted))
    }

    /// `renewed`, with the tokens as `getTokens()` has them now.
    fn emit_renewed(&self) {
        if let Some((_, tokens)) = self.session.current() {
            self.listeners.emit(Event::Renewed, &tokens);
        }
    }

    /// `auth.autoRenew`: the renewal of the access token in memory, due as it stops being
    /// good for `getTokenSilently` (see [`silent::renewal_delay_ms`]). A failed renewal (after
    /// its one retry, see [`Self::renew_here`]) fires `renewal_error` and is not scheduled
    /// again (the next `getTokenSilently` tries again).
    pub fn schedule_renewal(&self) {
        let settings = &self.settings;
        let due = self
            .session
            .with(|s| {
                (settings.auto_renew && s.access_token.is_some()).then(|| {
                    silent::renewal_delay_ms(s.expires_at, page::now_ms(), settings.leeway)
                })
            })
            .flatten();
        let me = self.me.clone();
        *self.renewals.timer.borrow_mut() = due.and_then(|delay| {
            Timer::after(delay, move || {
                if let Some(me) = me.upgrade() {
                    spawn_local(async move {
                        let renewal = me.token_silently(true);
                        if let Err(error) = JsFuture::from(renewal).await {
                            me.listeners.emit(Event::RenewalError, &error);
                        }
                    });
                }
            })
        });
    }

    /// A new access token: by the refresh token (rotated when the provider sends a new one),
    /// else by `checkSession`. A token request that got no answer, or the provider's trouble,
    /// is tried once more by the core's policy ([`request::retry_after`]). A refresh token the
    /// provider refuses as signing out means everything is forgotten, here and in the app's
    /// other tabs' view of this one, and `signed_out` fires.
    async fn renew_here(self: &Rc<Self>) -> Result<String, Error> {
        let mut attempt = 0;
        // Under the renewal lock: the token another tab rotated is the one to spend.
        #[cfg(feature = "dpop")]
        self.session.take_kept_refresh_token().await;
        while let Some((endpoint, body, dpop)) = self.session.refresh_request() {
            let e = match self.exchange(endpoint, body, dpop).await {
                Ok(tokens) => {
                    let token = self.session.refreshed(tokens);
                    #[cfg(feature = "dpop")]
                    self.session.write_kept().await;
                    self.schedule_renewal();
                    return Ok(token);
                }
                Err(e) => e,
            };
            if let Some(delay) = request::retry_after(attempt, &e) {
                attempt += 1;
                locks::sleep(delay as i32).await;
                continue;
            }
            if request::renewal_signs_out(attempt + 1, &e) {
                self.sign_out_here();
                self.listeners.emit(Event::SignedOut, &JsValue::UNDEFINED);
            }
            return Err(e);
        }
        if attempt > 0 {
            // Forgotten while it waited to try again (a logout, here or in another tab).
            return Err(Error::RenewalInterrupted);
        }
        self.check_session(None, silent::DEFAULT_TIMEOUT_MS).await?;
        self.session
            .with(|s| s.access_token.clone())
            .flatten()
            .ok_or_else(|| Error::InvalidTokenResponse("no access token came back".into()))
    }

    /// The profile and the tokens (`getUser`, `getTokens`) while the login is good; an
    /// expired one is forgotten, its renewals stopped.
    pub fn current(&self) -> Option<(JsValue, JsValue)> {
        if self.session.with(|s| s.is_expired(page::now_ms())) == Some(true) {
            self.forget();
        }
        self.session.current()
    }

    /// Forgets this page's login and stops its renewals.
    pub fn forget(&self) -> bool {
        *self.renewals.timer.borrow_mut() = None;
        self.session.forget()
    }

    /// The user signed out (a logout, here or in another tab, or a refresh token refused):
    /// the login is forgotten, and the DPoP key it is bound to and the login kept beside it
    /// are deleted; whether there was a login.
    pub fn sign_out_here(&self) -> bool {
        #[cfg(feature = "dpop")]
        spawn_local(self.forget_dpop_key());
        self.forget()
    }

    /// Deletes the DPoP key and the login kept beside it, where this page uses DPoP.
    #[cfg(feature = "dpop")]
    pub fn forget_dpop_key(&self) -> impl std::future::Future<Output = ()> + 'static {
        let used = self.settings.dpop || self.dpop.in_use();
        let deleting = used.then(|| self.dpop.forget());
        async move {
            if let Some(deleting) = deleting {
                deleting.await;
            }
        }
    }

    /// A reload under `auth.persistRefreshToken`: the login kept in IndexedDB is taken back
    /// and its access token renewed with one refresh request (no iframe, no third-party
    /// cookie), in turn with the app's other tabs as every renewal is; then `authenticated`
    /// fires with it. A refresh token the provider refuses signs out (and deletes the key);
    /// any other failure leaves the kept login for the next load.
    #[cfg(feature = "dpop")]
    pub async fn take_back_kept_login(self: &Rc<Self>) {
        if self.session.is_signed_in() || !self.session.take_kept().await {
            return;
        }
        match JsFuture::from(self.token_silently(true)).await {
            Ok(_) => {
                if let Some(payload) = self.session.payload() {
                    self.listeners.emit(Event::Authenticated, &payload);
                }
            }
            Err(_) => {
                self.session.forget();
                page::warn("latch-login: the login kept in IndexedDB could not be renewed");
            }
        }
    }

    /// Tells the app's other tabs.
    pub fn tell_tabs(&self, message: TabMessage) {
        if let Some(tabs) = self.tabs.borrow().as_ref() {
            tabs.tell(&message);
        }
    }

    /// What another tab of the app said. A logout there: this tab forgets its login too, and
    /// says so (`signed_out`). A renewal there of this same login: this tab takes the token
    /// instead of renewing itself. A login there: this tab, if it has none of its own and is
    /// not in the middle of one, gets its own tokens with `checkSession` (no prompt; on
    /// failure, such as blocked third-party cookies, it stays as it was).
    pub fn heard(self: &Rc<Self>, message: TabMessage) {
        match message {
            TabMessage::SignedOut => {
                if self.sign_out_here() {
                    self.listeners.emit(Event::SignedOut, &JsValue::UNDEFINED);
                }
            }
            TabMessage::Renewed(renewal) => {
                if self.session.adopt(renewal, &self.settings) {
                    self.schedule_renewal();
                    self.renewals.adopted_at.set(page::now_ms());
                    self.emit_renewed();
                }
            }
            TabMessage::SignedIn { connection } => {
                let me = self.clone();
                spawn_local(async move {
                    me.ready().await;
                    if me.session.is_signed_in() || me.resuming.get() {
                        return;
                    }
                    let _ = me
                        .check_session(Some(connection), silent::DEFAULT_TIMEOUT_MS)
                        .await;
                });
            }
        }
    }
}
