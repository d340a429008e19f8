//! What the wasm asks of the page, one function each: the clock, random bytes, storage, the
//! address bar, the console, the container check. They are written once, in JS
//! (`src/js/host.js`), and reached two ways:
//! - the shipped module imports them raw, strings as pointer and length (`wasm.js` adapts);
//! - the browser tests' build (the `std` feature) imports them through wasm-bindgen, which
//!   the test runner needs anyway.
//!
//! Both give the same safe functions below, so the rest of the browser layer cannot tell them
//! apart.

/// A storage area of the page.
#[derive(Clone, Copy)]
#[repr(u32)]
pub enum Area {
    Session = 0,
    Local = 1,
}

/// A part of the page's address.
#[derive(Clone, Copy)]
#[repr(u32)]
pub enum Part {
    Origin = 0,
    Pathname = 1,
    Search = 2,
    Hash = 3,
}

/// Why a storage area cannot be used.
pub enum Unusable {
    Denied,
    Missing,
}

pub use imp::{
    has_element, now_ms, random, replace_address, storage_get, storage_key, storage_remove,
    storage_set, warn,
};

use crate::core::web_url::{ParsedUrl, UrlParser};

/// The browser's own `URL` parser, for the core's URL checks (`crate::core::web_url`).
pub struct BrowserUrls;

impl UrlParser for BrowserUrls {
    fn parse(&self, text: &str) -> Option<ParsedUrl> {
        // The attributes, one a line: a parsed URL's attributes never hold a line break.
        let text = imp::parse_url(text)?;
        let mut parts = text.split('\n').map(crate::prelude::ToOwned::to_owned);
        let mut next = || parts.next().unwrap_or_default();
        Some(ParsedUrl {
            protocol: next(),
            username: next(),
            password: next(),
            hostname: next(),
            port: next(),
            pathname: next(),
            search: next(),
            hash: next(),
            origin: next(),
        })
    }
}

/// Whether `area` can be used, and if not, why.
pub fn storage(area: Area) -> Result<(), Unusable> {
    match imp::storage(area as u32) {
        0 => Ok(()),
        1 => Err(Unusable::Denied),
        _ => Err(Unusable::Missing),
    }
}

/// A part of the page's address ("" when there is none).
pub fn address(part: Part) -> crate::prelude::String {
    imp::address(part as u32).unwrap_or_default()
}

#[cfg(feature = "std")]
mod imp {
    use wasm_bindgen::prelude::wasm_bindgen;

    use super::Area;

    #[wasm_bindgen(module = "/src/js/host.js")]
    extern "C" {
        #[wasm_bindgen(js_name = now)]
        pub fn now_ms() -> f64;
        pub fn random(bytes: &mut [u8]) -> bool;
        pub fn storage(area: u32) -> u32;
        #[wasm_bindgen(js_name = storageGet)]
        fn storage_get_(area: u32, key: &str) -> Option<String>;
        #[wasm_bindgen(js_name = storageSet)]
        fn storage_set_(area: u32, key: &str, value: &str) -> bool;
        #[wasm_bindgen(js_name = storageRemove)]
        fn storage_remove_(area: u32, key: &str);
        #[wasm_bindgen(js_name = storageKey)]
        fn storage_key_(area: u32, index: u32) -> Option<String>;
        pub fn address(part: u32) -> Option<String>;
        #[wasm_bindgen(js_name = replaceAddress)]
        pub fn replace_address(url: &str);
        pub fn warn(text: &str);
        #[wasm_bindgen(js_name = hasElement)]
        pub fn has_element(id: &str) -> bool;
        #[wasm_bindgen(js_name = parseUrl)]
        pub fn parse_url(text: &str) -> Option<String>;
    }

    pub fn storage_get(area: Area, key: &str) -> Option<String> {
        storage_get_(area as u32, key)
    }

    pub fn storage_set(area: Area, key: &str, value: &str) -> bool {
        storage_set_(area as u32, key, value)
    }

    pub fn storage_remove(area: Area, key: &str) {
        storage_remove_(area as u32, key)
    }

    pub fn storage_key(area: Area, index: u32) -> Option<String> {
        storage_key_(area as u32, index)
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use super::Area;
    use crate::prelude::*;

    #[link(wasm_import_module = "latch")]
    extern "C" {
        #[link_name = "take"]
        fn take_(into: *mut u8);
        #[link_name = "now"]
        fn now_() -> f64;
        #[link_name = "random"]
        fn random_(bytes: *mut u8, len: usize) -> u32;
        #[link_name = "storage"]
        fn storage_(area: u32) -> u32;
        #[link_name = "storageGet"]
        fn storage_get_(area: u32, key: *const u8, key_len: usize) -> i32;
        #[link_name = "storageSet"]
        fn storage_set_(
            area: u32,
            key: *const u8,
            key_len: usize,
            value: *const u8,
            value_len: usize,
        ) -> u32;
        #[link_name = "storageRemove"]
        fn storage_remove_(area: u32, key: *const u8, key_len: usize);
        #[link_name = "storageKey"]
        fn storage_key_(area: u32, index: u32) -> i32;
        #[link_name = "address"]
        fn address_(part: u32) -> i32;
        #[link_name = "replaceAddress"]
        fn replace_address_(url: *const u8, len: usize);
        #[link_name = "warn"]
        fn warn_(text: *const u8, len: usize);
        #[link_name = "hasElement"]
        fn has_element_(id: *const u8, len: usize) -> u32;
        #[link_name = "parseUrl"]
        fn parse_url_(text: *const u8, len: usize) -> i32;
    }

    /// A string the host answered with: its UTF-8 length (negative: none), then its bytes,
    /// copied into memory of ours by `take`.
    fn answer(len: i32) -> Option<String> {
        let len = usize::try_from(len).ok()?;
        let mut bytes = vec![0u8; len];
        // SAFETY: the host writes exactly the `len` bytes it announced.
        unsafe { take_(bytes.as_mut_ptr()) };
        crate::core::encoding::utf8(&bytes)
    }

    // SAFETY (every call below): the host reads each string from the pointer and length it is
    // given, while the borrowed `&str` is alive, and writes only to `bytes` within its length.

    pub fn now_ms() -> f64 {
        unsafe { now_() }
    }

    pub fn random(bytes: &mut [u8]) -> bool {
        unsafe { random_(bytes.as_mut_ptr(), bytes.len()) != 0 }
    }

    pub fn storage(area: u32) -> u32 {
        unsafe { storage_(area) }
    }

    pub fn storage_get(area: Area, key: &str) -> Option<String> {
        answer(unsafe { storage_get_(area as u32, key.as_ptr(), key.len()) })
    }

    pub fn storage_set(area: Area, key: &str, value: &str) -> bool {
        let (k, v) = (key.as_ptr(), value.as_ptr());
        unsafe { storage_set_(area as u32, k, key.len(), v, value.len()) != 0 }
    }

    pub fn storage_remove(area: Area, key: &str) {
        unsafe { storage_remove_(area as u32, key.as_ptr(), key.len()) }
    }

    pub fn storage_key(area: Area, index: u32) -> Option<String> {
        answer(unsafe { storage_key_(area as u32, index) })
    }

    pub fn address(part: u32) -> Option<String> {
        answer(unsafe { address_(part) })
    }

    pub fn replace_address(url: &str) {
        unsafe { replace_address_(url.as_ptr(), url.len()) }
    }

    pub fn warn(text: &str) {
        unsafe { warn_(text.as_ptr(), text.len()) }
    }

    pub fn has_element(id: &str) -> bool {
        unsafe { has_element_(id.as_ptr(), id.len()) != 0 }
    }

    pub fn parse_url(text: &str) -> Option<String> {
        answer(unsafe { parse_url_(text.as_ptr(), text.len()) })
    }
}
