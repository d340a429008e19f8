//! Transactions in sessionStorage, one key per state (`latch.tx.{state}`), so tabs and
//! retries never overwrite each other. sessionStorage is per tab and per origin: a login
//! started in one tab cannot be completed by a response delivered to another. And, in
//! localStorage, the name (only the name) of the connection used last.

use wasm_bindgen::JsCast;
use web_sys::Storage;

use crate::core::document::JsonReader;
use crate::core::transaction::{Delivery, Transaction, DEFAULT_TTL_SECS, STORAGE_PREFIX};
use crate::core::types::State;
use crate::core::Error;

use super::json::{to_text, BrowserJson};
use super::page::window;

/// The transactions of this tab, in sessionStorage.
pub struct TransactionStore(Storage);

impl TransactionStore {
    /// Fails when the page has no usable sessionStorage (some private modes, sandboxed
    /// frames): better said before the user is sent away than discovered after.
    pub fn open() -> Result<Self, Error> {
        let window = window().ok_or_else(|| Error::StorageUnavailable("no window".into()))?;
        match window.session_storage() {
            Ok(Some(storage)) => Ok(Self(storage)),
            Ok(None) => Err(Error::StorageUnavailable(
                "not provided by this browser".into(),
            )),
            Err(_) => Err(Error::StorageUnavailable("access denied".into())),
        }
    }

    pub fn save(&self, tx: &Transaction) -> Result<(), Error> {
        let key = Transaction::storage_key(tx.state.as_str());
        let text = to_text(tx).ok_or_else(|| Error::StorageUnavailable("unwritable".into()))?;
        self.0
            .set_item(&key, &text)
            .map_err(|_| Error::StorageUnavailable("it is full or read-only".into()))
    }

    /// Removes and returns the transaction for `state`: whatever happens next, the same
    /// state is never accepted twice. Unknown or unreadable entries are a state mismatch.
    pub fn take(&self, state: &State) -> Result<Transaction, Error> {
        let key = Transaction::storage_key(state.as_str());
        let text = self
            .0
            .get_item(&key)
            .ok()
            .flatten()
            .ok_or(Error::StateMismatch)?;
        let _ = self.0.remove_item(&key);
        BrowserJson
            .read::<Transaction>(&text)
            .map_err(|_| Error::StateMismatch)
    }

    /// Whether the response with `state` is for a window that opened or embeds this one (see
    /// [`Delivery::Opener`]): its transaction is in this tab's storage (a frame shares it)
    /// or in the opener's (a popup's own copy was made before the login began). A widget in
    /// this window then leaves the response where it is, for that window to read.
    pub fn for_another_window(state: &State) -> bool {
        let Some(here) = window() else {
            return false;
        };
        let key = Transaction::storage_key(state.as_str());
        // The opener of another origin throws on any access, and is passed over.
        let opener = here
            .opener()
            .ok()
            .filter(|o| !o.is_null() && !o.is_undefined())
            .map(|o| o.unchecked_into::<web_sys::Window>());
        [Some(here), opener].into_iter().flatten().any(|w| {
            let stored = w
                .session_storage()
                .ok()
                .flatten()
                .and_then(|s| s.get_item(&key).ok().flatten());
            stored
                .and_then(|text| BrowserJson.read::<Transaction>(&text).ok())
                .is_some_and(|tx| tx.delivery == Delivery::Opener)
        })
    }

    /// Drops expired and unreadable transactions, so abandoned logins do not pile up.
    pub fn sweep(&self, now: u64) {
        // The keys first: removing shifts the indexes of those after.
        let count = self.0.length().unwrap_or(0);
        let keys: Vec<String> = (0..count)
            .filter_map(|i| self.0.key(i).ok().flatten())
            .filter(|key| key.starts_with(STORAGE_PREFIX))
            .collect();
        for key in keys {
            let stale = match self.0.get_item(&key).ok().flatten() {
                Some(text) => BrowserJson
                    .read::<Transaction>(&text)
                    .map_or(true, |tx| tx.is_expired(now, DEFAULT_TTL_SECS)),
                None => true,
            };
            if stale {
                let _ = self.0.remove_item(&key);
            }
        }
    }
}

fn local() -> Option<Storage> {
    window()?.local_storage().ok()?
}

/// `rememberLastLogin`: the name of the connection of the last login for this client, kept in
/// localStorage (a name only, never a token) so the widget can offer it next time.
fn last_login_key(client_id: &str) -> String {
    ["latch.last.", client_id].concat()
}

pub fn remember_last_login(client_id: &str, connection: &str) {
    if let Some(storage) = local() {
        let _ = storage.set_item(&last_login_key(client_id), connection);
    }
}

pub fn last_login(client_id: &str) -> Option<String> {
    local()?.get_item(&last_login_key(client_id)).ok()?
}

/// This tab's sessionStorage, when the page may use it (for tokens the app chose to keep).
pub fn session() -> Option<Storage> {
    window()?.session_storage().ok()?
}
