//! The Web Locks API (`navigator.locks`): one holder of a named lock at a time across the
//! origin's tabs and workers. web-sys has it only behind `web_sys_unstable_apis`, which every
//! crate that builds this one would have to set; the one method used is bound here, and `navigator.locks` read as a property.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use crate::core::encoding::decimal;
use crate::core::lease::{self, Step};

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
/// Web Locks (an insecure context, Safari before 15.4), a lease in localStorage stands in for
/// the lock ([`lease`]); where there is no localStorage either, `work` runs at once: this tab
/// then coordinates with itself only. None: the work began under the lock and never finished
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
    let unlocked = work.borrow_mut().take()?;
    // One await of the work, whether leased or not: each is a copy of its state machine.
    let leased = leased(name).await;
    let value = unlocked.await;
    if let Some(leased) = leased {
        leased.release(linger_ms);
    }
    Some(value)
}

/// The localStorage lease of [`lease`], held by this tab once `leased` returns it.
struct Leased {
    storage: web_sys::Storage,
    name: String,
    me: String,
}

impl Leased {
    /// Lets the lease go `linger_ms` from now, for the same reason the Web Lock lingers.
    fn release(&self, linger_ms: i32) {
        let until = now() + linger_ms.unsigned_abs() as u64;
        let _ = self
            .storage
            .set_item(&self.name, &lease::lease(&self.me, until));
    }
}

fn now() -> u64 {
    super::page::now_ms() as u64
}

/// Waits for the lease `name` and takes it. None where this page has no localStorage (then
/// nothing coordinates its tabs, and the console says so once).
async fn leased(name: &str) -> Option<Leased> {
    let storage = window().and_then(|w| w.local_storage().ok().flatten());
    // A name for this claim, unlike any other tab's: it guards no secret.
    let me = decimal((js_sys::Math::random() * 9e15) as u64);
    let Some(storage) = storage else {
        warn_uncoordinated();
        return None;
    };
    let mut claimed = false;
    loop {
        let stored = storage.get_item(name).ok().flatten();
        match lease::next(stored.as_deref(), &me, now(), claimed) {
            Step::Held => break,
            Step::Claim(value) => {
                if storage.set_item(name, &value).is_err() {
                    warn_uncoordinated();
                    return None;
                }
                claimed = true;
                sleep(lease::SETTLE_MS as i32).await;
            }
            Step::Wait(ms) => {
                claimed = false;
                sleep(ms as i32).await;
            }
        }
    }
    Some(Leased {
        storage,
        name: name.to_owned(),
        me,
    })
}

/// Once a page: its tabs may each renew, with their own refresh tokens (none spent twice).
fn warn_uncoordinated() {
    thread_local!(static WARNED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if !WARNED.with(|w| w.replace(true)) {
        super::page::warn("latch-login: no Web Locks nor localStorage: tabs may renew at once");
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
