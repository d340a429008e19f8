//! A wasm panic aborts the module and with it every widget on the page. The core returns
//! `Result`s so this should never run; if it does, the page is told instead of left with a
//! widget that silently stopped.

use std::cell::RefCell;
use std::sync::Once;

thread_local! {
    /// The `emit` functions of the widgets alive on this page.
    static EMITTERS: RefCell<Vec<js_sys::Function>> = const { RefCell::new(Vec::new()) };
}

pub fn register(emit: &js_sys::Function) {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(report)));
    EMITTERS.with(|e| {
        if let Ok(mut list) = e.try_borrow_mut() {
            list.push(emit.clone());
        }
    });
}

fn report(info: &std::panic::PanicHookInfo<'_>) {
    let payload = info.payload();
    let what = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("internal error");
    let message = "latch-login stopped after an internal error: ".to_owned() + what;
    web_sys::console::error_1(&message.as_str().into());
    let event = js_sys::Object::new();
    super::set(&event, "error", &"internal_error".into());
    super::set(&event, "errorDescription", &message.into());
    EMITTERS.with(|e| {
        if let Ok(list) = e.try_borrow() {
            for emit in list.iter() {
                let _ = emit.call2(
                    &wasm_bindgen::JsValue::NULL,
                    &"unrecoverable_error".into(),
                    &event,
                );
            }
        }
    });
}
