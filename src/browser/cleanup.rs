//! Guards for what the widget asks the page to call back: an event listener, a timer (a
//! timeout or an interval). Each is undone when its guard is dropped, whichever way the flow that holds it
//! ends, so nothing is ever removed or cleared by hand.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

use super::page::window;

/// A DOM event listener, removed when dropped.
pub struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Listener {
    pub fn new(target: &EventTarget, kind: &'static str, f: impl FnMut(Event) + 'static) -> Self {
        let callback = Closure::<dyn FnMut(Event)>::new(f);
        let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
        Self {
            target: target.clone(),
            kind,
            callback,
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

/// setTimeout's delay is a signed 32-bit count of milliseconds.
fn delay(ms: f64) -> i32 {
    ms.clamp(0.0, i32::MAX as f64) as i32
}

/// A callback due after a delay (`setTimeout`), or every so often (`setInterval`); cancelled
/// when dropped. The callback must not drop its own guard while it runs: hand longer work to
/// `spawn_local`.
pub struct Timer {
    handle: i32,
    repeats: bool,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// `callback` once, after `ms`.
    pub fn after(ms: f64, callback: impl FnMut() + 'static) -> Option<Timer> {
        Timer::set(ms, false, callback)
    }

    /// `callback` every `ms`.
    pub fn every(ms: f64, callback: impl FnMut() + 'static) -> Option<Timer> {
        Timer::set(ms, true, callback)
    }

    fn set(ms: f64, repeats: bool, callback: impl FnMut() + 'static) -> Option<Timer> {
        let callback = Closure::<dyn FnMut()>::new(callback);
        let window = window()?;
        let function = callback.as_ref().unchecked_ref();
        let handle =
            match repeats {
                true => window
                    .set_interval_with_callback_and_timeout_and_arguments_0(function, delay(ms)),
                false => window
                    .set_timeout_with_callback_and_timeout_and_arguments_0(function, delay(ms)),
            };
        Some(Timer {
            handle: handle.ok()?,
            repeats,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(window) = window() {
            match self.repeats {
                true => window.clear_interval_with_handle(self.handle),
                false => window.clear_timeout_with_handle(self.handle),
            }
        }
    }
}
