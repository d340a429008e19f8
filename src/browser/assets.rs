//! The files next to the widget's script, as the loader found them: the stylesheet (added to
//! the page once, and waited for so that no panel is drawn unstyled), the form_post worker,
//! the token worker, the language packs and the brands' marks.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::core::dictionary::Pack;
use crate::core::document::JsonReader;
use crate::core::request::{timed_out, Kind};
use crate::core::settings::Settings;

use super::json::BrowserJson;
use super::net::{self, Failure};
use super::page;

/// Where the files next to the widget's script are, as the loader found them (bundlers see
/// `new URL(..., import.meta.url)` there and ship the files): the stylesheet, the form_post
/// worker, the token worker ([`super::courier`]), and the lazy ones (language packs, marks),
/// found by `locate`.
pub struct Assets {
    pub stylesheet: String,
    pub worker: String,
    /// The token worker (`latch-token-worker.js`), in the DPoP build.
    #[cfg(feature = "dpop")]
    pub token_worker: String,
    /// `(path, image?) => Promise<url>`: where a lazy file (`lang/fr.json`,
    /// `marks/google.svg`) is; given an <img>, the loader sets it as its `src` too.
    pub locate: js_sys::Function,
}

impl Assets {
    /// The URL of the lazy file at `path` next to the widget (the loader learns where only
    /// when a page first needs one, so an English page without marks loads no table of them).
    async fn url_of(&self, path: &str) -> Option<String> {
        let promise = self
            .locate
            .call1(&JsValue::NULL, &JsValue::from_str(path))
            .ok()?
            .dyn_into::<Promise>()
            .ok()?;
        JsFuture::from(promise).await.ok()?.as_string()
    }
}

/// Shows the lazy image at `path` next to the widget (`marks/google.svg`) in `image`, as its
/// `src`, once the loader has found where it is.
pub fn show_image(path: &str, image: &web_sys::Element) {
    if let Some(assets) = assets() {
        let _ = assets
            .locate
            .call2(&JsValue::NULL, &JsValue::from_str(path), image);
    }
}

thread_local! {
    static ASSETS: RefCell<Option<Rc<Assets>>> = const { RefCell::new(None) };
    /// The stylesheet the widget added, until it has loaded (see [`add_stylesheet`]).
    static STYLESHEET: RefCell<Option<Promise>> = const { RefCell::new(None) };
}

pub fn set_assets(assets: Assets) {
    ASSETS.with(|a| *a.borrow_mut() = Some(Rc::new(assets)));
}

pub fn assets() -> Option<Rc<Assets>> {
    ASSETS.with(|a| a.borrow().clone())
}

/// How long a panel waits for its stylesheet before it shows anyway.
const STYLESHEET_WAIT_MS: i32 = 3_000;

/// Adds the widget's stylesheet to the page, once for all widgets.
pub fn add_stylesheet() {
    let Some(document) = page::document() else {
        return;
    };
    if document
        .query_selector("link[data-latch-login]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let (Some(assets), Some(head)) = (assets(), document.head()) else {
        return;
    };
    let Some(link) = document
        .create_element("link")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    let _ = link.set_attribute("rel", "stylesheet");
    let _ = link.set_attribute("href", &assets.stylesheet);
    let _ = link.set_attribute("data-latch-login", "");
    // Settles when the sheet has loaded, failed, or after STYLESHEET_WAIT_MS.
    let loaded = Promise::new(&mut |resolve, _| {
        link.set_onload(Some(&resolve));
        link.set_onerror(Some(&resolve));
        if let Some(window) = page::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                STYLESHEET_WAIT_MS,
            );
        }
    });
    STYLESHEET.with(|s| *s.borrow_mut() = Some(loaded));
    let _ = head.append_child(&link);
}

/// Waits for the stylesheet the widget added, so that no panel is ever drawn unstyled.
pub async fn stylesheet_loaded() {
    if let Some(loaded) = STYLESHEET.with(|s| s.borrow().clone()) {
        let _ = JsFuture::from(loaded).await;
    }
}

/// The texts of the language pack `settings.language` names, from next to the widget or
/// `languageBaseUrl`, read as JSON data (never run as a script); none for English. One that
/// cannot be read leaves the widget in English, and the console says why: the texts are no
/// reason to stop a login.
pub async fn language_pack(settings: &Settings) -> Option<Vec<(String, String)>> {
    let language = settings.language;
    if !language.needs_pack() {
        return None;
    }
    let beside = match settings.language_base_url {
        Some(_) => None,
        None => match assets() {
            Some(assets) => {
                assets
                    .url_of(&["lang/", &language.pack_file()].concat())
                    .await
            }
            None => None,
        },
    };
    let read = async {
        let url = settings
            .language_pack_url(beside)
            .ok_or_else(|| "the widget's files are unknown".to_owned())?;
        let text = net::get(&url, settings.deadline(Kind::Document))
            .await
            .and_then(net::Answer::ok)
            .map_err(|failure| match failure {
                Failure::Unreachable(detail) => [url.as_str(), ": ", &detail].concat(),
                Failure::Timeout(ms) => timed_out(Kind::Document, &url, ms).message(),
            })?;
        BrowserJson
            .read_named::<Pack>(&text)
            .map_err(|e| e.describe())
    };
    match read.await {
        Ok(pack) => Some(pack.0),
        Err(detail) => {
            page::warn(
                &[
                    "latch-login: the `",
                    language.tag(),
                    "` language pack could not be read (",
                    &detail,
                    "); the widget shows English",
                ]
                .concat(),
            );
            None
        }
    }
}
