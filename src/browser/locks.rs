//! The Web Locks API (`navigator.locks`): one holder of a named lock at a time across the
//! origin's tabs and workers. web-sys has it only behind `web_sys_unstable_apis`, which every
//! crate that builds this one would have to set; the one method used is bound here, and `navigator.locks` read as a property.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::page::window;

#[wasm_bindgen]
extern "C" {
    #[derive(Clone)]
    type LockManager;

    #[wasm_bindgen(method, catch)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn query(this: &LockManager) -> Result<Promise, JsValue>;
}

/// Whether another holder is waiting for the lock `name` (`navigator.locks.query()`).
async fn awaited(manager: &LockManager, name: &str) -> bool {
    let Ok(query) = manager.query() else {
        return false;
    };
    let Ok(snapshot) = JsFuture::from(query).await else {
        return false;
    };
    let pending =
        js_sys::Reflect::get(&snapshot, &JsValue::from_str("pending")).unwrap_or_default();
    js_sys::Array::from(&pending).iter().any(|request| {
        js_sys::Reflect::get(&request, &JsValue::from_str("name"))
            .ok()
            .and_then(|n| n.as_string())
            .is_some_and(|n| n == name)
    })
}

fn manager() -> Option<LockManager> {
    let locks = js_sys::Reflect::get(&window()?.navigator(), &JsValue::from_str("locks")).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// Runs `work` while holding the lock `name`, waiting for other holders first, and hands
/// back its outcome at once; when another holder is already waiting, the lock itself is kept
/// `linger_ms` longer, so that what `work` told the other tabs reaches them before it starts. Where the browser has no
/// Web Locks (an insecure context, an old browser), `work` runs at once: this tab then
/// coordinates with itself only. None: the work began under the lock and never finished
/// (the page went away meanwhile).
pub async fn exclusively<T: 'static>(
    name: &str,
    linger_ms: i32,
    work: impl Future<Output = T> + 'static,
) -> Option<T> {
    let work = Rc::new(RefCell::new(Some(work)));
    let outcome: Rc<RefCell<Option<T>>> = Rc::default();
    if let Some(manager) = manager() {
        // Settles when the work is done, or when the lock request ends without it.
        let mut finish = None;
        let done = Promise::new(&mut |resolve, _| finish = Some(resolve));
        let finish = finish.unwrap_or_else(|| Function::new_no_args(""));
        let (pending, slot, told) = (work.clone(), outcome.clone(), finish.clone());
        let (watch, lock_name) = (manager.clone(), name.to_owned());
        let held = Closure::once_into_js(move |_lock: JsValue| -> Promise {
            let work = pending.borrow_mut().take();
            // The lock is held until this promise settles.
            future_to_promise(async move {
                if let Some(work) = work {
                    let value = work.await;
                    *slot.borrow_mut() = Some(value);
                }
                let _ = told.call0(&JsValue::NULL);
                if awaited(&watch, &lock_name).await {
                    sleep(linger_ms).await;
                }
                Ok(JsValue::UNDEFINED)
            })
        });
        match manager.request(name, held.unchecked_ref()) {
            Ok(granted) => {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(granted).await;
                    let _ = finish.call0(&JsValue::NULL);
                });
                let _ = JsFuture::from(done).await;
            }
            Err(_) => {
                let _ = finish.call0(&JsValue::NULL);
            }
        }
    }
    let done = outcome.borrow_mut().take();
    if done.is_some() {
        return done;
    }
    // The lock manager is missing or refused the request: the work has not begun.
    let unlocked = work.borrow_mut().take();
    match unlocked {
        Some(work) => Some(work.await),
        None => None,
    }
}

/// Waits `ms`.
pub async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let queued = window().is_some_and(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
                .is_ok()
        });
        if !queued {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}
