//! The page itself: its address (read, and cleaned after a login), the console, timers, and
//! the browser's `URL` parser for the core's URL checks.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::Url;

use crate::core::web_url::{ParsedUrl, UrlParser};

pub fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

pub fn document() -> Option<web_sys::Document> {
    window()?.document()
}

/// The parts of the page's address.
pub struct Address {
    pub origin: String,
    pub pathname: String,
    pub search: String,
    pub hash: String,
}

pub fn address() -> Address {
    let location = window().map(|w| w.location());
    let part = |f: fn(&web_sys::Location) -> Result<String, JsValue>| {
        location
            .as_ref()
            .and_then(|l| f(l).ok())
            .unwrap_or_default()
    };
    Address {
        origin: part(web_sys::Location::origin),
        pathname: part(web_sys::Location::pathname),
        search: part(web_sys::Location::search),
        hash: part(web_sys::Location::hash),
    }
}

/// The page without query or fragment: the default redirect URL.
pub fn page_url() -> String {
    let a = address();
    a.origin + &a.pathname
}

/// Replaces the address in the bar and in history, without a navigation. A sandboxed
/// document may refuse; the response is still used once only.
pub fn replace_address(url: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

/// Sends the page to `url`.
pub fn navigate(url: &str) {
    if let Some(w) = window() {
        let _ = w.location().assign(url);
    }
}

pub fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(text));
}

pub fn error(text: &str) {
    web_sys::console::error_1(&JsValue::from_str(text));
}

/// Milliseconds since the Unix epoch, from the page's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    (now_ms() / 1000.0) as u64
}

/// The browser's `URL`.
pub struct BrowserUrls;

impl UrlParser for BrowserUrls {
    fn parse(&self, text: &str) -> Option<ParsedUrl> {
        let url = Url::new(text).ok()?;
        Some(ParsedUrl {
            protocol: url.protocol(),
            username: url.username(),
            password: url.password(),
            hostname: url.hostname(),
            port: url.port(),
            pathname: url.pathname(),
            search: url.search(),
            hash: url.hash(),
            origin: url.origin(),
        })
    }
}

/// `new URL(relative, base).href`.
pub fn resolve(relative: &str, base: &str) -> Option<String> {
    Url::new_with_base(relative, base).ok().map(|u| u.href())
}

/// What a thrown value says: an `Error`'s message, a string as it is.
pub fn message_of(thrown: &JsValue) -> String {
    thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
