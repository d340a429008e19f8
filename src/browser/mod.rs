//! The browser layer: `LatchCore`, exported with wasm-bindgen (`api.rs`), and what it needs
//! of the page through web-sys and js-sys (`host.rs`: storage, the address bar, random bytes,
//! the console, the URL parser). The DOM is drawn by the wrapper, `src/js/view.js`, from
//! [`crate::core::view`]. No protocol decision is made here; each one is a call into
//! [`crate::core`]. Nothing here waits: the JS wrapper makes the requests and runs WebCrypto
//! (see `api.rs`).

mod api;
pub mod crypto;
pub mod host;
pub mod storage;

pub use api::{supports, LatchCore};

use crate::core::json::ObjectWriter;
use crate::core::Error;
use crate::prelude::*;

/// Seconds since the Unix epoch, from the page's clock.
pub fn now_secs() -> u64 {
    (host::now_ms() / 1000.0) as u64
}

/// The payload of `authorization_error` and `unrecoverable_error`, with Lock's field names:
/// `{ error, errorDescription }`, as JSON.
pub fn error_json(e: &Error) -> String {
    ObjectWriter::default()
        .str("error", e.code())
        .str("errorDescription", &e.message())
        .finish()
}
