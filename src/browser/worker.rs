//! The form_post service worker (`latch-sw.js`): a front-channel provider answers with a POST
//! of the form fields, which a static page cannot read. The worker turns that POST into a
//! fragment of the same URL. It must be active before the user is sent away, or the answer
//! would be lost.

use super::cleanup::Listener;
use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RegistrationOptions, ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

use crate::core::Error;

use super::page::{resolve, window};

fn unavailable(why: &str) -> Error {
    Error::FormPostUnavailable(why.to_owned())
}

/// Registers the worker at `worker_url` for the folder of `redirect_url` and resolves once
/// it is active.
pub async fn ready(worker_url: &str, redirect_url: &str) -> Result<(), Error> {
    let window = window().ok_or_else(|| unavailable("no window"))?;
    if !window.is_secure_context() {
        return Err(unavailable(
            "front-channel (form_post) logins need a secure context: https, or http://localhost",
        ));
    }
    let navigator = window.navigator();
    let has_workers =
        js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).unwrap_or(false);
    if !has_workers {
        return Err(unavailable(
            "front-channel (form_post) logins need service workers, which this browser does not offer here",
        ));
    }
    let scope = resolve(".", redirect_url).ok_or_else(|| unavailable("bad redirect URL"))?;
    let options = RegistrationOptions::new();
    options.set_scope(&scope);
    let failed = |e: JsValue| {
        let detail = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .unwrap_or_else(|| "the form_post service worker failed".into());
        unavailable(&detail)
    };
    let registration: ServiceWorkerRegistration = JsFuture::from(
        navigator
            .service_worker()
            .register_with_options(worker_url, &options),
    )
    .await
    .map_err(failed)?
    .unchecked_into();
    if registration.active().is_some() {
        return Ok(());
    }
    let Some(worker) = registration.installing().or_else(|| registration.waiting()) else {
        return Ok(());
    };
    activated(&worker)
        .await
        .map_err(|_| unavailable("the form_post service worker failed to start"))
}

/// Waits until `worker` is activated; an error if it becomes redundant instead. The listener
/// is gone when this returns.
async fn activated(worker: &ServiceWorker) -> Result<(), JsValue> {
    let mut settle = None;
    let changed = Promise::new(&mut |resolve, reject| settle = Some((resolve, reject)));
    let Some((resolve, reject)) = settle else {
        return Err(JsValue::NULL);
    };
    let target = worker.clone();
    let _on_change = Listener::new(worker, "statechange", move |_| match target.state() {
        ServiceWorkerState::Activated => {
            let _ = resolve.call0(&JsValue::NULL);
        }
        ServiceWorkerState::Redundant => {
            let _ = reject.call0(&JsValue::NULL);
        }
        _ => {}
    });
    // Activated before the listener was there.
    if worker.state() == ServiceWorkerState::Activated {
        return Ok(());
    }
    JsFuture::from(changed).await.map(|_| ())
}
