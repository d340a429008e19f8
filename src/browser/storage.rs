//! Transactions in sessionStorage, one key per state (`latch.tx.{state}`), so tabs and
//! retries never overwrite each other. sessionStorage is per tab and per origin: a login
//! started in one tab cannot be completed by a response delivered to another.

use web_sys::Storage;

use crate::core::transaction::{Transaction, DEFAULT_TTL_SECS, STORAGE_PREFIX};
use crate::core::types::State;
use crate::core::Error;
use crate::prelude::*;

pub struct TransactionStore {
    storage: Storage,
}

impl TransactionStore {
    /// Fails when the page has no usable sessionStorage (some private modes, sandboxed
    /// frames): better said before the user is sent away than discovered after.
    pub fn open() -> Result<Self, Error> {
        let storage = web_sys::window()
            .ok_or_else(|| Error::StorageUnavailable("no window".into()))?
            .session_storage()
            .map_err(|_| Error::StorageUnavailable("access denied".into()))?
            .ok_or_else(|| Error::StorageUnavailable("not provided by this browser".into()))?;
        Ok(Self { storage })
    }

    pub fn save(&self, tx: &Transaction) -> Result<(), Error> {
        self.storage
            .set_item(&Transaction::storage_key(tx.state.as_str()), &tx.to_json())
            .map_err(|_| Error::StorageUnavailable("it is full or read-only".into()))
    }

    /// Removes and returns the transaction for `state`: whatever happens next, the same
    /// state is never accepted twice. Unknown or unreadable entries are a state mismatch.
    pub fn take(&self, state: &State) -> Result<Transaction, Error> {
        let key = Transaction::storage_key(state.as_str());
        let text = self
            .storage
            .get_item(&key)
            .ok()
            .flatten()
            .ok_or(Error::StateMismatch)?;
        let _ = self.storage.remove_item(&key);
        Transaction::from_json(&text).map_err(|_| Error::StateMismatch)
    }

    /// Drops expired and unreadable transactions, so abandoned logins do not pile up.
    pub fn sweep(&self, now: u64) {
        let count = self.storage.length().unwrap_or(0);
        let keys: Vec<String> = (0..count)
            .filter_map(|i| self.storage.key(i).ok().flatten())
            .filter(|k| k.starts_with(STORAGE_PREFIX))
            .collect();
        for key in keys {
            let stale = match self.storage.get_item(&key).ok().flatten() {
                Some(text) => Transaction::from_json(&text)
                    .map_or(true, |tx| tx.is_expired(now, DEFAULT_TTL_SECS)),
                None => true,
            };
            if stale {
                let _ = self.storage.remove_item(&key);
            }
        }
    }
}

/// `rememberLastLogin`: the name of the connection of the last login for this client, kept in
/// localStorage (a name only, never a token) so the widget can offer it next time.
fn last_login_key(client_id: &str) -> String {
    crate::core::encoding::cat(&["latch.last.", client_id])
}

pub fn remember_last_login(client_id: &str, connection: &str) {
    if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = storage.set_item(&last_login_key(client_id), connection);
    }
}

pub fn last_login(client_id: &str) -> Option<String> {
    web_sys::window()?
        .local_storage()
        .ok()??
        .get_item(&last_login_key(client_id))
        .ok()?
}
