//! Transactions in sessionStorage, one key per state (`latch.tx.{state}`), so tabs and
//! retries never overwrite each other. sessionStorage is per tab and per origin: a login
//! started in one tab cannot be completed by a response delivered to another.

use crate::core::transaction::{Transaction, DEFAULT_TTL_SECS, STORAGE_PREFIX};
use crate::core::types::State;
use crate::core::Error;
use crate::prelude::*;

use super::host::{self, Area, Unusable};

/// The transactions of this tab, in sessionStorage.
pub struct TransactionStore(());

impl TransactionStore {
    /// Fails when the page has no usable sessionStorage (some private modes, sandboxed
    /// frames): better said before the user is sent away than discovered after.
    pub fn open() -> Result<Self, Error> {
        host::storage(Area::Session).map_err(|why| {
            Error::StorageUnavailable(
                match why {
                    Unusable::Denied => "access denied",
                    Unusable::Missing => "not provided by this browser",
                }
                .into(),
            )
        })?;
        Ok(Self(()))
    }

    pub fn save(&self, tx: &Transaction) -> Result<(), Error> {
        let key = Transaction::storage_key(tx.state.as_str());
        match host::storage_set(Area::Session, &key, &tx.to_json()) {
            true => Ok(()),
            false => Err(Error::StorageUnavailable("it is full or read-only".into())),
        }
    }

    /// Removes and returns the transaction for `state`: whatever happens next, the same
    /// state is never accepted twice. Unknown or unreadable entries are a state mismatch.
    pub fn take(&self, state: &State) -> Result<Transaction, Error> {
        let key = Transaction::storage_key(state.as_str());
        let text = host::storage_get(Area::Session, &key).ok_or(Error::StateMismatch)?;
        host::storage_remove(Area::Session, &key);
        Transaction::from_json(&text).map_err(|_| Error::StateMismatch)
    }

    /// Drops expired and unreadable transactions, so abandoned logins do not pile up.
    pub fn sweep(&self, now: u64) {
        // The keys first: removing shifts the indexes of those after.
        let mut keys = Vec::new();
        let mut index = 0;
        while let Some(key) = host::storage_key(Area::Session, index) {
            if key.starts_with(STORAGE_PREFIX) {
                keys.push(key);
            }
            index += 1;
        }
        for key in keys {
            let stale = match host::storage_get(Area::Session, &key) {
                Some(text) => Transaction::from_json(&text)
                    .map_or(true, |tx| tx.is_expired(now, DEFAULT_TTL_SECS)),
                None => true,
            };
            if stale {
                host::storage_remove(Area::Session, &key);
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
    host::storage_set(Area::Local, &last_login_key(client_id), connection);
}

pub fn last_login(client_id: &str) -> Option<String> {
    host::storage_get(Area::Local, &last_login_key(client_id))
}
