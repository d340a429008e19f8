//! The app's listeners, by Lock's event names, and their payloads as plain JS objects.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Function;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::core::error::ErrorPayload;
use crate::core::payload::Event;
use crate::core::Error;

use super::json;

#[derive(Default)]
pub struct Listeners {
    next: Cell<u32>,
    list: RefCell<Vec<(u32, Event, Function)>>,
}

impl Listeners {
    /// Subscribes `f` to `event`; the function that unsubscribes, or a TypeError for an event
    /// the widget does not have.
    pub fn on(self: &Rc<Self>, event: &str, f: JsValue) -> Result<Function, JsValue> {
        let Some(name) = Event::named(event) else {
            let message = ["latch-login: unknown event \"", event, "\""].concat();
            return Err(js_sys::TypeError::new(&message).into());
        };
        let Some(f) = f.dyn_ref::<Function>() else {
            return Err(js_sys::TypeError::new("latch-login: on() needs a function").into());
        };
        let id = self.next.get();
        self.next.set(id + 1);
        self.list.borrow_mut().push((id, name, f.clone()));
        let me = Rc::downgrade(self);
        let off = Closure::<dyn FnMut()>::new(move || {
            if let Some(me) = me.upgrade() {
                me.list.borrow_mut().retain(|(i, _, _)| *i != id);
            }
        });
        Ok(off.into_js_value().unchecked_into())
    }

    /// Calls every listener of `event` with `payload`. A listener that throws is reported as
    /// the page's own uncaught error, and the others still run.
    pub fn emit(&self, event: Event, payload: &JsValue) {
        let listeners: Vec<Function> = self
            .list
            .borrow()
            .iter()
            .filter(|(_, e, _)| *e == event)
            .map(|(_, _, f)| f.clone())
            .collect();
        for f in listeners {
            if let Err(thrown) = f.call1(&JsValue::NULL, payload) {
                report_error(&thrown);
            }
        }
    }
}

/// An error as the app's handlers get it, in an event or a promise's rejection:
/// `{ error, errorDescription }`.
pub fn error_payload(e: &Error) -> JsValue {
    json::to_value(&ErrorPayload::from(e))
}

/// `reportError(thrown)`, else `console.error`.
pub fn report_error(thrown: &JsValue) {
    let global = js_sys::global();
    let report = js_sys::Reflect::get(&global, &JsValue::from_str("reportError"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    match report {
        Some(report) => {
            let _ = report.call1(&JsValue::NULL, thrown);
        }
        None => web_sys::console::error_1(thrown),
    }
}
