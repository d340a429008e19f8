//! HTTP with the page's own `fetch` (web-sys, no HTTP crate: gloo-net cost bytes for
//! builders the widget never used). Bodies come back as text; the core reads the JSON.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use crate::core::json::JsonError;

/// Why a document could not be had.
#[derive(Debug)]
pub enum FetchError {
    /// No HTTP answer at all (offline, refused, CORS).
    Unreachable(String),
    Status(u16),
    /// An answer, but not the JSON document expected; the error names the member.
    Json(JsonError),
}

impl FetchError {
    pub fn detail(&self) -> String {
        match self {
            FetchError::Unreachable(why) => "unreachable (".to_owned() + why + ")",
            FetchError::Status(code) => {
                "HTTP status ".to_owned() + &crate::core::encoding::decimal((*code).into())
            }
            FetchError::Json(e) => e.message(),
        }
    }
}

impl From<JsonError> for FetchError {
    fn from(e: JsonError) -> Self {
        FetchError::Json(e)
    }
}

/// The `message` of a thrown JS error, or the thrown value itself when it is a string.
pub fn js_message(e: &JsValue) -> Option<String> {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
}

fn unreachable(e: JsValue) -> FetchError {
    FetchError::Unreachable(js_message(&e).unwrap_or_else(|| "the request failed".into()))
}

/// Starts a request; the future is made at once, so a failure is handled even when nobody
/// ends up waiting for it (a request started early and not needed after all).
fn start(url: &str, init: Option<&RequestInit>) -> Result<JsFuture, FetchError> {
    let window = web_sys::window().ok_or_else(|| FetchError::Unreachable("no window".into()))?;
    let promise = match init {
        Some(init) => window.fetch_with_str_and_init(url, init),
        None => window.fetch_with_str(url),
    };
    Ok(JsFuture::from(promise))
}

/// Starts a GET whose answer is read later by [`text_of`]: for documents the widget will need
/// while it waits for something else.
pub fn start_get(url: &str) -> Result<JsFuture, FetchError> {
    start(url, None)
}

async fn answer(request: JsFuture) -> Result<(u16, String), FetchError> {
    // fetch resolves with a Response, by the Fetch standard.
    let response: Response = request.await.map_err(unreachable)?.unchecked_into();
    let text = JsFuture::from(response.text().map_err(unreachable)?)
        .await
        .map_err(unreachable)?
        .as_string()
        .unwrap_or_default();
    Ok((response.status(), text))
}

/// The text of a started GET when its status is 2xx.
pub async fn text_of(request: JsFuture) -> Result<String, FetchError> {
    match answer(request).await? {
        (200..=299, text) => Ok(text),
        (status, _) => Err(FetchError::Status(status)),
    }
}

/// GETs a document and hands back its text when the status is 2xx.
pub async fn get_text(url: &str) -> Result<String, FetchError> {
    text_of(start_get(url)?).await
}

/// [`get_text`], reading `started` instead when that GET of `url` is already under way.
pub async fn get_text_started(url: &str, started: Option<JsFuture>) -> Result<String, FetchError> {
    match started {
        Some(request) => text_of(request).await,
        None => get_text(url).await,
    }
}

/// POSTs a form body; any status comes back with its text (token errors are JSON).
pub async fn post_form(url: &str, body: &str) -> Result<(u16, String), FetchError> {
    let headers = js_sys::Object::new();
    super::set(
        &headers,
        "Content-Type",
        &"application/x-www-form-urlencoded".into(),
    );
    super::set(&headers, "Accept", &"application/json".into());
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(body));
    answer(start(url, Some(&init))?).await
}
