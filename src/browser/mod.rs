//! The browser layer: turns core values into storage, address-bar and WebCrypto calls (the
//! DOM is drawn by the wrapper, `src/js/view.js`, from [`crate::core::view`]). No protocol
//! decision is made here; each one is a call into [`crate::core`]. Nothing here waits: the
//! JS wrapper makes the requests and awaits the promises (see `api.rs`).

mod alloc;
mod api;
pub mod crypto;
pub mod panic;
pub mod storage;

pub use api::LatchCore;

use wasm_bindgen::JsValue;

use crate::core::json::ObjectWriter;
use crate::core::Error;
use crate::prelude::*;

/// Seconds since the Unix epoch, from the page's clock.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// The payload of `authorization_error` and `unrecoverable_error`, with Lock's field names:
/// `{ error, errorDescription }`.
pub fn error_payload(e: &Error) -> JsValue {
    js(&error_json(e))
}

/// [`error_payload`] as JSON, for a payload that carries an error (a refusal).
pub fn error_json(e: &Error) -> String {
    ObjectWriter::default()
        .str("error", e.code())
        .str("errorDescription", &e.message())
        .finish()
}

/// The JS value of JSON the widget wrote. Payloads are written as JSON by the core's writer
/// and read by the browser's `JSON.parse` in one call: smaller in the wasm than making the
/// objects member by member. The writer's output always parses.
pub(crate) fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap_or(JsValue::UNDEFINED)
}
