//! Documents through the browser's own `JSON.parse`, then serde-wasm-bindgen into the core's
//! serde types ([`crate::core::document::read`], which names the member that was wrong); and
//! payloads the other way, as plain JS objects.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::core::document::{self, JsonReader, ReadError};

/// `JSON.parse`, then serde.
pub struct BrowserJson;

fn parsed(text: &str) -> Result<JsValue, ReadError> {
    js_sys::JSON::parse(text).map_err(|_| ReadError::new("", "not JSON"))
}

impl JsonReader for BrowserJson {
    fn read<T: DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        document::read_plain(serde_wasm_bindgen::Deserializer::from(parsed(text)?))
    }

    fn read_named<T: DeserializeOwned>(&self, text: &str) -> Result<T, ReadError> {
        from_value(parsed(text)?)
    }
}

/// A JS value (the options object, a language pack) as a `T`.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, ReadError> {
    document::read(serde_wasm_bindgen::Deserializer::from(value))
}

/// A payload as a plain JS object (maps as objects, absent members as null).
pub fn to_value<T: Serialize + ?Sized>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// `JSON.stringify` of a value; none for what has no JSON text (undefined, a function).
pub fn stringify(value: &JsValue) -> Option<String> {
    js_sys::JSON::stringify(value).ok()?.as_string()
}

/// `JSON.stringify` of a serde value.
pub fn to_text<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    stringify(&to_value(value))
}

/// `JSON.parse`, or undefined when `text` is not JSON.
pub fn parse(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::UNDEFINED)
}
