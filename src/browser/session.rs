//! The owner of the signed-in user's login on this page: the core's [`Session`] record with
//! the profile the app was handed, and the refresh token beside it. Made by a login, changed by
//! renewals, kept in sessionStorage when the app opted into it, and restored and forgotten
//! whole. The refresh token stays in the wasm's memory: it is never stored.

use std::cell::RefCell;

use js_sys::Reflect;
use wasm_bindgen::JsValue;

use crate::core::options::TokenStorage;
use crate::core::session::Session;
use crate::core::settings::Settings;
use crate::core::tabs::{Asked, Renewal};
use crate::core::token::TokenResponse;
use crate::core::types::{ClientId, RefreshToken};

use super::json;
use super::page;
use super::storage;

/// The refresh token of a login (`auth.useRefreshTokens`): where it is spent, and for which
/// client.
pub struct Refresh {
    pub token: RefreshToken,
    pub endpoint: String,
    pub client_id: ClientId,
}

pub struct SessionStore {
    /// The sessionStorage key, when the app keeps tokens there; none: memory only.
    key: Option<String>,
    current: RefCell<Option<(Session, JsValue)>>,
    refresh: RefCell<Option<Refresh>>,
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

    /// Keeps the refresh token of the login just made (none: this login has none).
    pub fn hold_refresh(&self, refresh: Option<Refresh>) {
        *self.refresh.borrow_mut() = refresh;
    }

    /// The refresh token's endpoint and request body, if this login has one.
    pub fn refresh_request(&self) -> Option<(String, String)> {
        self.refresh.borrow().as_ref().map(|r| {
            (
                r.endpoint.clone(),
                crate::core::token::refresh_request(&r.token, &r.client_id),
            )
        })
    }

    /// Forgets the login, its refresh token and its stored copy; whether there was one.
    pub fn forget(&self) -> bool {
        let had = self.current.borrow_mut().take().is_some();
        *self.refresh.borrow_mut() = None;
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
            true => self.keep(session, profile),
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
