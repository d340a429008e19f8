//! Documents through the browser's own `JSON.parse`, then serde-wasm-bindgen into the core's
//! serde types (for the documents a person writes, [`document::read_document`] names the
//! member that was wrong, with the JS values as its [`Tree`]); and payloads the other way, as
//! plain JS objects.

use js_sys::{Array, Object};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::document::{self, JsonReader, Member, ReadError, Tree};

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

/// A JS value (the options object, a language pack) as a `T`, naming the member that was
/// wrong.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, ReadError> {
    document::read_document(Js(value), |js| {
        T::deserialize(serde_wasm_bindgen::Deserializer::from(js.0.clone()))
            .map_err(|e| e.to_string())
    })
}

/// A JS value as the core's [`Tree`]: arrays by their elements, other objects by
/// `Object.entries` (their own members, as serde-wasm-bindgen reads a map). Every copy is a
/// new array or a new plain object (`Object.fromEntries`): the page's own are never changed.
#[derive(Clone)]
struct Js(JsValue);

impl Js {
    fn array(&self) -> Option<&Array> {
        Array::is_array(&self.0).then(|| self.0.unchecked_ref())
    }

    fn entries(&self) -> Option<Array> {
        self.0
            .is_object()
            .then(|| Object::entries(self.0.unchecked_ref()))
    }
}

fn object(entries: &Array) -> Js {
    Js(Object::from_entries(entries).map_or(JsValue::NULL, Into::into))
}

impl Tree for Js {
    fn members(&self) -> Option<Vec<(Member, Self)>> {
        if let Some(array) = self.array() {
            return Some(
                array
                    .iter()
                    .enumerate()
                    .map(|(index, value)| (Member::Index(index), Js(value)))
                    .collect(),
            );
        }
        let entries = self.entries()?;
        Some(
            entries
                .iter()
                .map(|entry| {
                    let pair: Array = entry.unchecked_into();
                    let name = pair.get(0).as_string().unwrap_or_default();
                    (Member::Name(name), Js(pair.get(1)))
                })
                .collect(),
        )
    }

    fn first(&self, n: usize) -> Self {
        let end = u32::try_from(n).unwrap_or(u32::MAX);
        if let Some(array) = self.array() {
            return Js(array.slice(0, end).into());
        }
        match self.entries() {
            Some(entries) => object(&entries.slice(0, end)),
            None => self.clone(),
        }
    }

    fn with(&self, index: usize, value: Self) -> Self {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        if let Some(array) = self.array() {
            let copy = array.slice(0, array.length());
            copy.set(index, value.0);
            return Js(copy.into());
        }
        match self.entries() {
            Some(entries) => {
                let name = entries.get(index).unchecked_into::<Array>().get(0);
                entries.set(index, Array::of2(&name, &value.0).into());
                object(&entries)
            }
            None => self.clone(),
        }
    }

    fn with_member(&self, name: &str, value: Self) -> Self {
        match (self.array(), self.entries()) {
            // A later entry of the same name sets the member where it is.
            (None, Some(entries)) => {
                entries.push(&Array::of2(&name.into(), &value.0));
                object(&entries)
            }
            _ => self.clone(),
        }
    }

    fn null() -> Self {
        Js(JsValue::NULL)
    }
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
