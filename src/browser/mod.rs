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

use crate::core::Error;

/// Seconds since the Unix epoch, from the page's clock.
pub fn now_secs() -> u64 {
    (js_sys::Date::now() / 1000.0) as u64
}

/// The payload of `authorization_error` and `unrecoverable_error`, with Lock's field names:
/// `{ error, errorDescription }`.
pub fn error_payload(e: &Error) -> JsValue {
    let o = js_sys::Object::new();
    set(&o, "error", &e.code().into());
    set(&o, "errorDescription", &e.message().into());
    o.into()
}

/// `object[key] = value` on a plain object the widget just made.
pub(crate) fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    // Reflect.set only fails on frozen objects or proxies, which these never are.
    let _ = js_sys::Reflect::set(object, &key.into(), value);
}
