//! A wasm panic aborts the module and with it every widget on the page. The core returns
//! `Result`s so this should never run; if it does, the page is told instead of left with a
//! widget that silently stopped.
//!
//! The shipped module is `no_std`, and this is its panic handler: it reports without reading
//! the panic's message, so no formatting machinery is linked in for panics (issue 7). The
//! browser tests build with the `std` feature, where std's panic hook calls the same report.

use core::cell::RefCell;

use crate::prelude::*;

/// The `emit` functions of the widgets alive on this page.
struct Emitters(RefCell<Vec<js_sys::Function>>);

// SAFETY: wasm32-unknown-unknown without the `atomics` feature runs on one thread (the
// allocator in alloc.rs refuses to build otherwise).
unsafe impl Sync for Emitters {}

static EMITTERS: Emitters = Emitters(RefCell::new(Vec::new()));

pub fn register(emit: &js_sys::Function) {
    #[cfg(feature = "std")]
    {
        static HOOK: std::sync::Once = std::sync::Once::new();
        HOOK.call_once(|| std::panic::set_hook(Box::new(|_| report())));
    }
    if let Ok(mut list) = EMITTERS.0.try_borrow_mut() {
        list.push(emit.clone());
    }
}

/// What the console and the event say. A literal: the report allocates nothing in Rust, in
/// case the panic came from the allocator.
macro_rules! stopped {
    () => {
        "latch-login stopped after an internal error"
    };
}

/// `unrecoverable_error` to every widget, and the console.
fn report() {
    web_sys::console::error_1(&stopped!().into());
    let event = super::js(concat!(
        r#"{"error":"internal_error","errorDescription":""#,
        stopped!(),
        r#""}"#
    ));
    if let Ok(list) = EMITTERS.0.try_borrow() {
        for emit in list.iter() {
            let _ = emit.call2(
                &wasm_bindgen::JsValue::NULL,
                &"unrecoverable_error".into(),
                &event,
            );
        }
    }
}

#[cfg(not(feature = "std"))]
#[panic_handler]
fn panicked(_: &core::panic::PanicInfo<'_>) -> ! {
    report();
    core::arch::wasm32::unreachable()
}
