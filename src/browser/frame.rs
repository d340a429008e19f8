//! The hidden iframe of `checkSession`: it loads the silent authorize request and waits for
//! the provider's web message, or for the time to run out. Which message is the answer is the
//! core's rule ([`crate::core::silent`]); here only the page's side: the element, the
//! listener, the timer, and their removal whichever way it ends.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlIFrameElement, MessageEvent};

use crate::core::{silent, Error};

use super::page::{self, BrowserUrls};

/// The string members of the answer's `response` object.
fn members(response: &JsValue) -> Vec<(String, String)> {
    let Some(object) = response.dyn_ref::<Object>() else {
        return Vec::new();
    };
    Object::entries(object)
        .iter()
        .filter_map(|entry| {
            let pair: Array = entry.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Loads `url` in a hidden iframe and returns the parameters of the provider's web message
/// (sent from the URL's origin, by the iframe's window, of type `authorization_response`),
/// or `timeout` after `timeout_ms`.
pub async fn web_message(url: &str, timeout_ms: u32) -> Result<String, Error> {
    let unavailable = || Error::SilentAuthUnsupported("(no page to load it in)".into());
    let window = page::window().ok_or_else(unavailable)?;
    let body = page::document()
        .and_then(|d| d.body())
        .ok_or_else(unavailable)?;
    let frame: HtmlIFrameElement = body
        .owner_document()
        .and_then(|d| d.create_element("iframe").ok())
        .and_then(|e| e.dyn_into().ok())
        .ok_or_else(unavailable)?;
    frame.set_hidden(true);
    frame.set_title("latch-login session check");
    let _ = frame.set_attribute("aria-hidden", "true");
    let _ = frame.set_attribute("tabindex", "-1");
    frame.set_src(url);

    let settle: Rc<RefCell<Option<(Function, Function)>>> = Rc::default();
    let slot = settle.clone();
    let answered = Promise::new(&mut |resolve, reject| {
        *slot.borrow_mut() = Some((resolve, reject));
    });
    let Some((resolve, reject)) = settle.borrow_mut().take() else {
        return Err(unavailable());
    };
    let endpoint = url.to_owned();
    let from = frame.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if !silent::from_provider(&BrowserUrls, &endpoint, &event.origin()) {
            return;
        }
        let by_frame = match (event.source(), from.content_window()) {
            (Some(source), Some(own)) => Object::is(&source, &own),
            _ => false,
        };
        let data = event.data();
        let kind = Reflect::get(&data, &JsValue::from_str("type"))
            .ok()
            .and_then(|t| t.as_string());
        if !by_frame || kind.as_deref() != Some("authorization_response") {
            return;
        }
        let response = Reflect::get(&data, &JsValue::from_str("response")).unwrap_or_default();
        let params = silent::response_params(&members(&response));
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_str(&params));
    });
    let on_timeout = Closure::once(move || {
        let _ = reject.call0(&JsValue::NULL);
    });
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    let timer = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            on_timeout.as_ref().unchecked_ref(),
            i32::try_from(timeout_ms).unwrap_or(i32::MAX),
        )
        .unwrap_or_default();
    let _ = body.append_child(&frame);

    let outcome = JsFuture::from(answered).await;

    let _ =
        window.remove_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    window.clear_timeout_with_handle(timer);
    frame.remove();
    outcome
        .ok()
        .and_then(|params| params.as_string())
        .ok_or(Error::Timeout(timeout_ms))
}
