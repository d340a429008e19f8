//! The owner of the signed-in user's login on this page: the core's [`Session`] record with
//! the profile the app was handed, and the refresh token beside it. Made by a login, changed by
//! renewals, kept in sessionStorage when the app opted into it, and restored and forgotten
//! whole. The refresh token stays in the wasm's memory, except under
//! `auth.persistRefreshToken`: bound to the DPoP key, it is kept in IndexedDB beside that
//! key, with the login, so that a reload signs in again with one refresh request
//! ([`super::renewal`]).

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::core::options::TokenStorage;
use crate::core::session::Session;
use crate::core::settings::Settings;
use crate::core::tabs::{Asked, Renewal};
use crate::core::token::TokenResponse;
use crate::core::types::{ClientId, RefreshToken};

#[cfg(feature = "dpop")]
use super::dpop;
use super::json;
use super::page;
use super::storage;

/// The refresh token of a login (`auth.useRefreshTokens`): where it is spent, and for which
/// client.
pub struct Refresh {
    pub token: RefreshToken,
    pub endpoint: String,
    pub client_id: ClientId,
    /// Bound to the widget's DPoP key: spent with a proof (the DPoP build).
    #[cfg(feature = "dpop")]
    pub dpop: bool,
}

impl Refresh {
    /// Spent with a DPoP proof (never, in the default build).
    pub fn is_bound(&self) -> bool {
        #[cfg(feature = "dpop")]
        return self.dpop;
        #[cfg(not(feature = "dpop"))]
        false
    }
}

pub struct SessionStore {
    /// The sessionStorage key, when the app keeps tokens there; none: memory only.
    key: Option<String>,
    current: RefCell<Option<(Session, JsValue)>>,
    refresh: RefCell<Option<Refresh>>,
    /// The IndexedDB record the login is kept in (`auth.persistRefreshToken`, in the DPoP
    /// build), else none.
    #[cfg(feature = "dpop")]
    kept: Option<String>,
    /// The ID token's claims, as `authenticated` handed them, for the login kept there.
    #[cfg(feature = "dpop")]
    claims: RefCell<JsValue>,
}

impl SessionStore {
    /// The store of `settings`' client, with the login kept before a reload of this tab, if
    /// there is one and it is still good.
    pub fn restore(settings: &Settings) -> SessionStore {
        let key = (settings.token_storage == TokenStorage::SessionStorage)
            .then(|| ["latch.session.", settings.client_id.as_str()].concat());
        let store = SessionStore {
            key,
            current: RefCell::default(),
            refresh: RefCell::default(),
            #[cfg(feature = "dpop")]
            kept: settings
                .persist_refresh_token
                .then(|| dpop::store::session_record(settings.client_id.as_str())),
            #[cfg(feature = "dpop")]
            claims: RefCell::new(JsValue::UNDEFINED),
        };
        let (Some(key), Some(storage)) = (&store.key, storage::session()) else {
            return store;
        };
        let Some(text) = storage.get_item(key).ok().flatten() else {
            return store;
        };
        let value = json::parse(&text);
        match json::from_value::<Session>(value.clone()) {
            Ok(session) if !session.is_expired(page::now_ms()) => {
                let profile =
                    Reflect::get(&value, &JsValue::from_str("profile")).unwrap_or(JsValue::NULL);
                *store.current.borrow_mut() = Some((session, profile));
            }
            _ => {
                let _ = storage.remove_item(key);
            }
        }
        store
    }

    /// Keeps `session` (and `profile`) as this page's login, in place of any before; in
    /// sessionStorage too where the app opted into it (readable there by any script on the
    /// origin, which is the trade).
    pub fn keep(&self, session: Session, profile: JsValue) {
        self.keep_in_tab(session, profile);
        #[cfg(feature = "dpop")]
        if let Some(writing) = self.keep_in_indexed_db() {
            wasm_bindgen_futures::spawn_local(writing);
        }
    }

    /// [`Self::keep`] without the copy in IndexedDB: a change of the access token alone (a
    /// renewal here, whose write [`Self::write_kept`] awaits, or another tab's, whose refresh
    /// token is that tab's to keep, not this one's spent one).
    fn keep_in_tab(&self, session: Session, profile: JsValue) {
        if let Some(key) = &self.key {
            let stored = json::to_value(&session);
            let _ = Reflect::set(&stored, &JsValue::from_str("profile"), &profile);
            let written = json::stringify(&stored)
                .and_then(|text| storage::session()?.set_item(key, &text).ok());
            if written.is_none() {
                page::warn(
                    "latch-login: could not keep the tokens in sessionStorage; they stay in memory",
                );
            }
        }
        *self.current.borrow_mut() = Some((session, profile));
    }

    /// The write of the login (as sessionStorage has it), its profile, the ID token's claims
    /// and its refresh token into IndexedDB, where `auth.persistRefreshToken` keeps them (only
    /// a DPoP-bound refresh token is kept); none when there is nothing to keep there.
    #[cfg(feature = "dpop")]
    fn keep_in_indexed_db(&self) -> Option<impl std::future::Future<Output = ()> + 'static> {
        let record = self.kept.clone()?;
        let (current, refresh) = (self.current.borrow(), self.refresh.borrow());
        let (Some((session, profile)), Some(refresh)) = (current.as_ref(), refresh.as_ref()) else {
            return None;
        };
        if !refresh.is_bound() {
            return None;
        }
        let stored = json::to_value(session);
        for (name, value) in [
            ("profile", profile.clone()),
            ("claims", self.claims.borrow().clone()),
            ("refresh", refresh.token.secret().into()),
            ("endpoint", refresh.endpoint.as_str().into()),
            ("client", refresh.client_id.as_str().into()),
        ] {
            let _ = Reflect::set(&stored, &JsValue::from_str(name), &value);
        }
        Some(async move {
            if dpop::store::put(&record, &stored).await.is_err() {
                page::warn(
                    "latch-login: could not keep the login in IndexedDB; a reload will not find it",
                );
            }
        })
    }

    /// The login as it is now, written to IndexedDB and committed (a renewal is over only
    /// then: a reload right after it must find the rotated refresh token, not the spent one).
    #[cfg(feature = "dpop")]
    pub async fn write_kept(&self) {
        if let Some(writing) = self.keep_in_indexed_db() {
            writing.await;
        }
    }

    /// The kept login's record and refresh token, read back: the session, and the refresh
    /// token with where it is spent.
    #[cfg(feature = "dpop")]
    fn read_kept(value: &JsValue) -> Option<(Session, Refresh)> {
        let text = |name: &str| {
            Reflect::get(value, &JsValue::from_str(name))
                .ok()?
                .as_string()
        };
        let session = json::from_value::<Session>(value.clone()).ok()?;
        let refresh = Refresh {
            token: RefreshToken::new(text("refresh")?),
            endpoint: text("endpoint")?,
            client_id: ClientId::new(text("client")?),
            dpop: true,
        };
        Some((session, refresh))
    }

    /// The record IndexedDB keeps for this login, if the app keeps one there.
    #[cfg(feature = "dpop")]
    async fn kept_record(&self) -> Option<JsValue> {
        let record = self.kept.as_ref()?;
        dpop::store::get(record).await.ok()
    }

    /// The login kept in IndexedDB, taken into memory (its access token is renewed next):
    /// whether there was one.
    #[cfg(feature = "dpop")]
    pub async fn take_kept(&self) -> bool {
        let Some(value) = self.kept_record().await else {
            return false;
        };
        let Some((session, refresh)) = Self::read_kept(&value) else {
            return false;
        };
        let member =
            |name: &str| Reflect::get(&value, &JsValue::from_str(name)).unwrap_or(JsValue::NULL);
        *self.claims.borrow_mut() = member("claims");
        *self.refresh.borrow_mut() = Some(refresh);
        *self.current.borrow_mut() = Some((session, member("profile")));
        true
    }

    /// The refresh token kept in IndexedDB, in place of the one in memory: another tab of the
    /// app may have spent and rotated it (the renewal lock makes them take turns); and the
    /// only one of a login restored from sessionStorage, which holds none. Only when it is
    /// this same login's: another user's, signed in since in another tab, is not this one's.
    #[cfg(feature = "dpop")]
    pub async fn take_kept_refresh_token(&self) {
        let Some(value) = self.kept_record().await else {
            return;
        };
        let Some((kept, refresh)) = Self::read_kept(&value) else {
            return;
        };
        if self.with(|s| s.same_login(&kept)) != Some(true) {
            return;
        }
        let mut held = self.refresh.borrow_mut();
        match held.as_mut() {
            Some(held) => held.token = refresh.token,
            None => *held = Some(refresh),
        }
    }

    /// The ID token's claims of the login just made, kept with it.
    #[cfg(feature = "dpop")]
    pub fn hold_claims(&self, claims: JsValue) {
        *self.claims.borrow_mut() = claims;
    }

    /// The `authenticated` payload of a login taken back from IndexedDB: the tokens as
    /// `getTokens()` has them, the profile, the ID token's claims and the connection.
    #[cfg(feature = "dpop")]
    pub fn payload(&self) -> Option<JsValue> {
        let current = self.current.borrow();
        let (session, profile) = current.as_ref()?;
        let payload = json::to_value(&session.tokens());
        for (name, value) in [
            ("profile", profile.clone()),
            ("idTokenPayload", self.claims.borrow().clone()),
            ("connection", JsValue::from_str(&session.connection)),
        ] {
            let _ = Reflect::set(&payload, &JsValue::from_str(name), &value);
        }
        Some(payload)
    }

    /// Keeps the refresh token of the login just made (none: this login has none).
    pub fn hold_refresh(&self, refresh: Option<Refresh>) {
        *self.refresh.borrow_mut() = refresh;
    }

    /// The refresh token's endpoint, request body and whether it carries a DPoP proof, if
    /// this login has one.
    pub fn refresh_request(&self) -> Option<(String, String, bool)> {
        self.refresh.borrow().as_ref().map(|r| {
            (
                r.endpoint.clone(),
                crate::core::token::refresh_request(&r.token, &r.client_id),
                r.is_bound(),
            )
        })
    }

    /// Forgets the login, its refresh token and its stored copy; whether there was one.
    pub fn forget(&self) -> bool {
        let had = self.current.borrow_mut().take().is_some();
        *self.refresh.borrow_mut() = None;
        #[cfg(feature = "dpop")]
        self.claims.replace(JsValue::UNDEFINED);
        if let (Some(key), Some(storage)) = (&self.key, storage::session()) {
            let _ = storage.remove_item(key);
        }
        had
    }

    pub fn is_signed_in(&self) -> bool {
        self.current.borrow().is_some()
    }

    /// Reads the login, if there is one (expired or not).
    pub fn with<R>(&self, f: impl FnOnce(&Session) -> R) -> Option<R> {
        self.current.borrow().as_ref().map(|(s, _)| f(s))
    }

    /// The profile and the tokens as `getUser` and `getTokens` hand them out (the widget
    /// forgets an expired login first: [`super::widget::Widget::current`]).
    pub fn current(&self) -> Option<(JsValue, JsValue)> {
        let current = self.current.borrow();
        let (session, profile) = current.as_ref()?;
        Some((profile.clone(), json::to_value(&session.tokens())))
    }

    /// Changes the login with `change` and keeps it again; whether `change` said it changed.
    fn change(&self, change: impl FnOnce(&mut Session) -> bool) -> bool {
        let current = self.current.borrow_mut().take();
        let Some((mut session, profile)) = current else {
            return false;
        };
        let changed = change(&mut session);
        match changed {
            true => self.keep_in_tab(session, profile),
            false => *self.current.borrow_mut() = Some((session, profile)),
        }
        changed
    }

    /// What a refresh answer brought: the access token, its lifetime, a rotated refresh token.
    pub fn refreshed(&self, mut tokens: TokenResponse) -> String {
        if let Some(rotated) = tokens.refresh_token.take() {
            if let Some(held) = self.refresh.borrow_mut().as_mut() {
                held.token = rotated;
            }
        }
        self.change(|s| {
            s.refreshed(&tokens, page::now_ms());
            true
        });
        tokens.access_token
    }

    /// Another tab's renewal of this login, taken if it is this login's, for what `settings`
    /// asks for, and newer.
    pub fn adopt(&self, renewal: Renewal, settings: &Settings) -> bool {
        self.change(|s| {
            let asked = Asked::by(settings, &s.connection);
            s.adopt(renewal, &asked)
        })
    }

    /// This login's renewal as the other tabs are told of it.
    pub fn renewal(&self, settings: &Settings) -> Option<Renewal> {
        self.with(|s| s.renewal(Asked::by(settings, &s.connection)))
            .flatten()
    }
}
