//! The hidden iframe of `checkSession`, and the window of a popup login: each loads an
//! authorize request answered by web message, and waits for that message, for the time to
//! run out, or (a popup) for the user to close it. Which message is the answer is the
//! core's rule ([`crate::core::silent`]); here only the page's side: the element, the
//! listener, the timer, and their removal whichever way it ends.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{HtmlIFrameElement, MessageEvent};

use crate::core::{silent, Error};

use super::cleanup::{Listener, Timer};
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

/// The window of the iframe, or the popup, the request was loaded in.
fn window_of(
    frame: &Option<HtmlIFrameElement>,
    popup: &Option<web_sys::Window>,
) -> Option<web_sys::Window> {
    match (frame, popup) {
        (Some(frame), _) => frame.content_window(),
        (_, Some(popup)) => Some(popup.clone()),
        _ => None,
    }
}

/// Where a request answered by web message is loaded.
pub enum Target {
    /// A hidden iframe (`checkSession`): no page of the provider's may show.
    Frame,
    /// A window the page opened, still blank, in the click that asked for it (a popup
    /// login): opened any later, a popup blocker would stop it.
    Popup(web_sys::Window),
}

/// Opens the popup of a login, blank for now, or none when the browser blocks it. Called in
/// the user's click: opened any later, a popup blocker would stop it.
pub fn open_popup() -> Option<web_sys::Window> {
    page::window()?
        .open_with_url_and_target_and_features("", "latch-login", "popup,width=480,height=680")
        .ok()
        .flatten()
}

/// How often a popup is looked at, to notice that the user closed it.
const CLOSED_POLL_MS: u32 = 300;

/// How often the frame or popup is looked at for the silent-callback page, when the answer
/// comes there.
const CALLBACK_POLL_MS: u32 = 25;

/// Loads `url` in `target` and returns the parameters of the answer: the provider's web
/// message (sent from the URL's origin, by that frame's or popup's window, of type
/// `authorization_response`), or, with `callback`, the query or fragment of that
/// silent-callback page once the frame or popup is there (of this page's origin, so this page
/// can read its address; nothing else can be read across origins); or `timeout` after
/// `timeout_ms`, or `popup_closed`. The listener, the timer and the poll are guards: they are
/// gone when this returns, and so are the iframe and the popup.
pub async fn web_message(
    url: &str,
    timeout_ms: u32,
    target: Target,
    callback: Option<String>,
) -> Result<String, Error> {
    let window = page::window().ok_or(Error::NoPage)?;
    let (frame, popup) = match target {
        Target::Frame => {
            let body = page::document()
                .and_then(|d| d.body())
                .ok_or(Error::NoPage)?;
            let frame: HtmlIFrameElement = body
                .owner_document()
                .and_then(|d| d.create_element("iframe").ok())
                .and_then(|e| e.dyn_into().ok())
                .ok_or(Error::NoPage)?;
            frame.set_hidden(true);
            frame.set_title("latch-login session check");
            let _ = frame.set_attribute("aria-hidden", "true");
            let _ = frame.set_attribute("tabindex", "-1");
            frame.set_src(url);
            let _ = body.append_child(&frame);
            (Some(frame), None)
        }
        Target::Popup(popup) => {
            if popup.location().set_href(url).is_err() {
                popup.close().ok();
                return Err(Error::PopupClosed);
            }
            (None, Some(popup))
        }
    };
    let outcome = wait_for_answer(&window, url, timeout_ms, &frame, &popup, callback).await;
    if let Some(frame) = frame {
        frame.remove();
    }
    if let Some(popup) = popup {
        let _ = popup.close();
    }
    outcome
}

/// How an attempt ends: the first of these to happen settles it.
type Settle = Rc<dyn Fn(Result<String, Error>)>;

async fn wait_for_answer(
    window: &web_sys::Window,
    url: &str,
    timeout_ms: u32,
    frame: &Option<HtmlIFrameElement>,
    popup: &Option<web_sys::Window>,
    callback: Option<String>,
) -> Result<String, Error> {
    // The window the answer must come from (or whose address holds it).
    let sender = {
        let (frame, popup) = (frame.clone(), popup.clone());
        move || window_of(&frame, &popup)
    };
    let at_callback = sender.clone();
    let outcome: Rc<RefCell<Option<Result<String, Error>>>> = Rc::default();
    let mut wake: Option<Function> = None;
    let settled = Promise::new(&mut |resolve, _| wake = Some(resolve));
    let settle: Settle = {
        let outcome = outcome.clone();
        Rc::new(move |result| {
            outcome.borrow_mut().get_or_insert(result);
            if let Some(wake) = &wake {
                let _ = wake.call0(&JsValue::NULL);
            }
        })
    };

    let endpoint = url.to_owned();
    let answered = settle.clone();
    let _on_message = Listener::new(window, "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        if !silent::from_provider(&BrowserUrls, &endpoint, &event.origin()) {
            return;
        }
        let by_sender = match (event.source(), sender()) {
            (Some(source), Some(own)) => Object::is(&source, &own),
            _ => false,
        };
        let data = event.data();
        let kind = Reflect::get(&data, &JsValue::from_str("type"))
            .ok()
            .and_then(|t| t.as_string());
        if !by_sender || kind.as_deref() != Some("authorization_response") {
            return;
        }
        let response = Reflect::get(&data, &JsValue::from_str("response")).unwrap_or_default();
        answered(Ok(silent::response_params(&members(&response))));
    });
    let timed_out = settle.clone();
    let _timeout = Timer::after(f64::from(timeout_ms), move || {
        timed_out(Err(Error::Timeout(timeout_ms)))
    });
    let watched = popup.clone();
    // The provider's page posts its answer and then closes itself: a popup seen closed once
    // may still have a message on its way, so only one seen closed twice in a row (a whole
    // poll later) was closed without an answer.
    let mut seen_closed = 0;
    let polls_per_closed_check = match &callback {
        Some(_) => CLOSED_POLL_MS / CALLBACK_POLL_MS,
        None => 1,
    };
    let poll_ms = match &callback {
        Some(_) => CALLBACK_POLL_MS,
        None => CLOSED_POLL_MS,
    };
    let watch = popup.is_some() || callback.is_some();
    let mut polls = 0;
    let _poll = watch.then(|| {
        Timer::every(f64::from(poll_ms), move || {
            if let Some(callback) = &callback {
                // Another origin's address throws: only the callback page's can be read.
                let address = at_callback().and_then(|w| w.location().href().ok());
                if let Some(params) =
                    address.and_then(|a| silent::callback_answer(&BrowserUrls, &a, callback))
                {
                    return settle(Ok(params));
                }
            }
            polls += 1;
            if polls % polls_per_closed_check != 0 {
                return;
            }
            match watched.as_ref().is_some_and(|p| p.closed().unwrap_or(true)) {
                true => seen_closed += 1,
                false => seen_closed = 0,
            }
            if seen_closed >= 2 {
                settle(Err(Error::PopupClosed));
            }
        })
    });

    let _ = JsFuture::from(settled).await;
    let result = outcome.borrow_mut().take();
    result.unwrap_or(Err(Error::Timeout(timeout_ms)))
}
