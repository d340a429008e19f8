//! What the wasm asks of the page, one function each, through web-sys and js-sys: the clock,
//! random bytes, storage, the address bar, the console, the container check and the
//! browser's `URL` parser. Nothing here throws into the wasm: a failure is an answer (none,
//! false, a reason).

use wasm_bindgen::JsValue;
use web_sys::{Storage, Window};

use crate::core::web_url::{ParsedUrl, UrlParser};

/// A storage area of the page.
#[derive(Clone, Copy)]
pub enum Area {
    Session,
    Local,
}

/// A part of the page's address.
#[derive(Clone, Copy)]
pub enum Part {
    Origin,
    Pathname,
    Search,
    Hash,
}

/// Why a storage area cannot be used.
pub enum Unusable {
    /// Access denied (some private modes, sandboxed frames).
    Denied,
    /// Not provided by this browser.
    Missing,
}

fn window() -> Option<Window> {
    web_sys::window()
}

/// Milliseconds since the Unix epoch, from the page's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Fills `bytes` from the browser's CSPRNG; whether it could.
pub fn random(bytes: &mut [u8]) -> bool {
    window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(bytes).is_ok())
}

fn area(area: Area) -> Result<Storage, Unusable> {
    let window = window().ok_or(Unusable::Missing)?;
    let storage = match area {
        Area::Session => window.session_storage(),
        Area::Local => window.local_storage(),
    };
    match storage {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(Unusable::Missing),
        Err(_) => Err(Unusable::Denied),
    }
}

/// Whether `area` can be used, and if not, why.
pub fn storage(which: Area) -> Result<(), Unusable> {
    area(which).map(|_| ())
}

pub fn storage_get(which: Area, key: &str) -> Option<String> {
    area(which).ok()?.get_item(key).ok()?
}

/// Whether the value was stored (not when the area is full or read-only).
pub fn storage_set(which: Area, key: &str, value: &str) -> bool {
    area(which).is_ok_and(|s| s.set_item(key, value).is_ok())
}

pub fn storage_remove(which: Area, key: &str) {
    if let Ok(s) = area(which) {
        let _ = s.remove_item(key);
    }
}

/// The name of the `index`th key of an area; none past the last.
pub fn storage_key(which: Area, index: u32) -> Option<String> {
    area(which).ok()?.key(index).ok()?
}

/// A part of the page's address ("" when there is none).
pub fn address(part: Part) -> String {
    let Some(location) = window().map(|w| w.location()) else {
        return String::new();
    };
    match part {
        Part::Origin => location.origin(),
        Part::Pathname => location.pathname(),
        Part::Search => location.search(),
        Part::Hash => location.hash(),
    }
    .unwrap_or_default()
}

/// Replaces the address in the bar and in history, without a navigation. A sandboxed
/// document may refuse; the response is still used once only.
pub fn replace_address(url: &str) {
    if let Some(history) = window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(url));
    }
}

pub fn warn(text: &str) {
    web_sys::console::warn_1(&JsValue::from_str(text));
}

pub fn has_element(id: &str) -> bool {
    window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.get_element_by_id(id).is_some())
}

/// The browser's own `URL` parser, for the core's URL checks (`crate::core::web_url`).
pub struct BrowserUrls;

impl UrlParser for BrowserUrls {
    fn parse(&self, text: &str) -> Option<ParsedUrl> {
        let url = web_sys::Url::new(text).ok()?;
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
