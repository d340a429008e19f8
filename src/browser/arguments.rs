//! What a page passes to [`super::latch::Latch`]: the constructor's arguments and each
//! method's options, read into the core's types (a wrong shape is an `invalid_option` naming
//! the member), and Lock's callbacks beside the promises the methods return.

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

use crate::core::lock_options;
use crate::core::options::{option_error, Options};
use crate::core::payload::LoginOptions;
use crate::core::settings::Settings;
use crate::core::Error;

use super::events::{self, error_payload};
use super::{json, page};

/// `{ connection, appState, popup, timeout }` of `login`, `authorizeUrl`, `attach`, read as
/// the core's [`LoginOptions`], with the app's state as the JSON text it is stored as. One of
/// the wrong shape (or none) is an `invalid_option` naming the member.
pub fn login_options(
    options: &JsValue,
    method: &str,
) -> Result<(LoginOptions, Option<String>), Error> {
    let read = read_options::<LoginOptions>(options.clone(), method)?;
    let app_state = js_sys::Reflect::get(options, &JsValue::from_str("appState"))
        .ok()
        .filter(|v| !v.is_undefined())
        .and_then(|v| json::stringify(&v));
    Ok((read, app_state))
}

/// A method's options object read as its serde type; one of the wrong shape is an
/// `invalid_option` naming the member (or the method's options as a whole).
pub fn read_options<T: serde::de::DeserializeOwned>(
    options: JsValue,
    method: &str,
) -> Result<T, Error> {
    json::from_value(options).map_err(|e| Error::InvalidOption {
        option: match e.path.is_empty() {
            true => [method, " options"].concat(),
            false => e.path,
        },
        reason: e.message,
    })
}

/// [`read_options`] for options that may be left out (absent: the defaults), its error as
/// the rejection of the method.
pub fn method_options<T: serde::de::DeserializeOwned + Default>(
    options: Option<JsValue>,
    method: &str,
) -> Result<T, JsValue> {
    match options.filter(|o| !o.is_undefined() && !o.is_null()) {
        None => Ok(T::default()),
        Some(options) => read_options(options, method).map_err(|e| error_payload(&e)),
    }
}

/// Lock's callback form beside the promise: with `callback`, the outcome goes to
/// `callback(error, result)` (`error` null on success) and the promise returned resolves to
/// the result, or to null on failure, so that nobody is left with an unhandled rejection.
pub fn with_callback(promise: Promise, callback: Option<Function>) -> Promise {
    let Some(callback) = callback else {
        return promise;
    };
    future_to_promise(async move {
        let (arguments, result) = match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(value) => ((JsValue::NULL, value.clone()), value),
            Err(error) => ((error, JsValue::UNDEFINED), JsValue::NULL),
        };
        if let Err(thrown) = callback.call2(&JsValue::NULL, &arguments.0, &arguments.1) {
            events::report_error(&thrown);
        }
        Ok(result)
    })
}

/// The paths of the options the page gave (`auth.sso` for a member of `auth`), for
/// [`lock_options::ignored`].
fn given_paths(options: &JsValue) -> Vec<String> {
    let mut paths = Vec::new();
    let mut add = |object: &JsValue, prefix: &str| {
        if let Some(object) = object.dyn_ref::<js_sys::Object>() {
            for key in js_sys::Object::keys(object).iter() {
                if let Some(key) = key.as_string() {
                    paths.push([prefix, &key].concat());
                }
            }
        }
    };
    add(options, "");
    for member in ["auth", "theme"] {
        let value = js_sys::Reflect::get(options, &JsValue::from_str(member)).unwrap_or_default();
        add(&value, &[member, "."].concat());
    }
    paths
}

/// Reads `new Latch(clientId, domain, options)` into valid settings; `lock_names`: made as
/// `new Auth0Lock(...)`. The options Lock accepts and the widget ignores are named in the
/// console, once each, and so is an option taken another way than Lock takes it.
pub fn read_settings(
    client_id: &JsValue,
    domain: &JsValue,
    options: JsValue,
    lock_names: bool,
) -> Result<Settings, Error> {
    let client_id = client_id.as_string().unwrap_or_default();
    let domain = domain.as_string().unwrap_or_default();
    let given = given_paths(&options);
    let mut options: Options = match options.is_null() || options.is_undefined() {
        true => Options::default(),
        false => json::from_value(options).map_err(option_error)?,
    };
    options.lock_names = lock_names;
    let settings = Settings::new(
        &client_id,
        &domain,
        options,
        &page::page_url(),
        &page::BrowserUrls,
    )?;
    for line in lock_options::ignored(&given).iter().chain(&settings.notes) {
        page::warn(line);
    }
    Ok(settings)
}
