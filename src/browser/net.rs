//! HTTP with gloo-net; JSON through the browser's own `JSON.parse` (no serde_json in the
//! wasm) and serde-wasm-bindgen into the core's types.

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Why a JSON document could not be had.
#[derive(Debug)]
pub enum FetchError {
    /// No HTTP answer at all (offline, refused, CORS).
    Unreachable(String),
    Status(u16),
    NotJson,
    /// JSON of the wrong shape; serde's words name the field.
    Shape(String),
}

impl FetchError {
    pub fn detail(&self) -> String {
        match self {
            FetchError::Unreachable(why) => format!("unreachable ({why})"),
            FetchError::Status(code) => format!("HTTP status {code}"),
            FetchError::NotJson => "the answer is not JSON".into(),
            FetchError::Shape(why) => why.clone(),
        }
    }
}

pub fn parse_json(text: &str) -> Result<JsValue, FetchError> {
    js_sys::JSON::parse(text).map_err(|_| FetchError::NotJson)
}

pub fn from_js<T: DeserializeOwned>(value: JsValue) -> Result<T, FetchError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| FetchError::Shape(e.to_string()))
}

/// GETs a JSON document; the raw value comes back beside the typed one.
pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<(T, JsValue), FetchError> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    if !response.ok() {
        return Err(FetchError::Status(response.status()));
    }
    let text = response
        .text()
        .await
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    let raw = parse_json(&text)?;
    Ok((from_js(raw.clone())?, raw))
}

/// POSTs a form body; any status comes back with its JSON body (token errors are JSON).
pub async fn post_form(url: &str, body: String) -> Result<(u16, JsValue), FetchError> {
    let response = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(body)
        .map_err(|e| FetchError::Unreachable(e.to_string()))?
        .send()
        .await
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|e| FetchError::Unreachable(e.to_string()))?;
    Ok((status, parse_json(&text)?))
}
