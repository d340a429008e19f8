//! Token requests: the code exchange and refreshes. Those of a login that holds a refresh
//! token or a DPoP key ([`crate::core::settings::Settings::token_worker`]) go out from the
//! token worker, `latch-token-worker.js` next to the widget's script: a dedicated Worker, one
//! per page, made on the first such request. A script of the page that wraps `fetch` or
//! XMLHttpRequest then sees neither them nor their answers. The worker only carries a request
//! (what it holds is the caller's, from the core) and its answer back, matched by an id.
//! Should it not start (a CSP without `worker-src 'self'`, a missing file), the console says
//! so once and the requests go from the page, so that no login breaks on it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Event, MessageEvent, Worker};

use super::assets::assets;
use super::cleanup::Listener;
use super::net::{self, Answer, Failure};
use super::page;

/// POSTs the token request `body` to `url` (with a DPoP `proof`), within `deadline` ms;
/// from the token worker when `off_main_thread` and the worker runs, else from the page.
pub async fn post_token(
    url: &str,
    body: String,
    proof: Option<&str>,
    deadline: u32,
    off_main_thread: bool,
) -> Result<Answer, Failure> {
    if off_main_thread {
        if let Some(promise) = carrier().and_then(|c| c.send(url, &body, proof, deadline)) {
            let data = JsFuture::from(promise).await.unwrap_or_default();
            if let Some(answer) = answer_of(&data, deadline) {
                return answer;
            }
        }
    }
    net::post_form(url, body, proof, deadline).await
}

/// The token worker and the requests waiting for its answer.
struct Carrier {
    worker: Worker,
    /// Each request's id and what settles its promise; none once the worker failed.
    waiting: Waiting,
    next_id: Cell<f64>,
    _listeners: [Listener; 2],
}

type Waiting = Rc<RefCell<Option<Vec<(f64, Function)>>>>;

thread_local! {
    /// The page's token worker, once a request needed it; none inside when it could not be made.
    static COURIER: RefCell<Option<Option<Rc<Carrier>>>> = const { RefCell::new(None) };
}

/// What settles a request's promise when the worker fell over before answering (it is sent
/// from the page instead), and when its deadline passed on the page's clock.
const FELL_OVER: JsValue = JsValue::UNDEFINED;
const LATE: JsValue = JsValue::TRUE;

/// The running token worker, made on first use; none (said once) when it cannot be made or
/// failed.
fn carrier() -> Option<Rc<Carrier>> {
    COURIER.with(|courier| {
        let made = courier.borrow_mut().get_or_insert_with(start).clone()?;
        let running = made.waiting.borrow().is_some();
        running.then_some(made)
    })
}

fn start() -> Option<Rc<Carrier>> {
    let worker = assets().and_then(|a| Worker::new(&a.token_worker).ok());
    let Some(worker) = worker else {
        cannot_start();
        return None;
    };
    let waiting: Waiting = Rc::new(RefCell::new(Some(Vec::new())));
    let listen = |kind| Listener::new(&worker, kind, on_event(worker.clone(), waiting.clone()));
    let listeners = [listen("message"), listen("error")];
    Some(Rc::new(Carrier {
        worker,
        waiting,
        next_id: Cell::new(0.0),
        _listeners: listeners,
    }))
}

/// The worker's answer, settling the request of its id; or its failure (its file not loaded,
/// refused by the page's CSP): said once, and what waits for it goes from the page.
fn on_event(worker: Worker, waiting: Waiting) -> impl FnMut(Event) {
    move |event| {
        let Some(message) = event.dyn_ref::<MessageEvent>() else {
            worker.terminate();
            if let Some(waiting) = waiting.take() {
                cannot_start();
                for (_, settle) in waiting {
                    let _ = settle.call1(&JsValue::NULL, &FELL_OVER);
                }
            }
            return;
        };
        let data = message.data();
        let id = field(&data, "id").as_f64();
        let settle = waiting.borrow_mut().as_mut().and_then(|waiting| {
            let at = waiting.iter().position(|(i, _)| Some(*i) == id)?;
            Some(waiting.swap_remove(at).1)
        });
        if let Some(settle) = settle {
            let _ = settle.call1(&JsValue::NULL, &data);
        }
    }
}

fn cannot_start() {
    page::warn(
        "latch-login: the token worker (latch-token-worker.js) could not start, so token \
         requests go from the page, where a script that wraps fetch sees them; it must be \
         served from the page's origin, and a Content-Security-Policy must allow it with \
         worker-src 'self' (or the script-src or default-src that stands for it)",
    );
}

impl Carrier {
    /// Posts the request to the worker; the promise of its answer. The worker gives up at the
    /// deadline, a time on the clock both share, so that a worker slow to start never sends
    /// a request the widget gave up on; and the page then too, should the worker never answer
    /// (a settled promise ignores that timer). Nothing can fail once the request is posted:
    /// a request handed to the worker is never sent from the page as well.
    fn send(&self, url: &str, body: &str, proof: Option<&str>, deadline: u32) -> Option<Promise> {
        let id = self.next_id.get() + 1.0;
        self.next_id.set(id);
        // The request's headers and the answer's to read, as the page's own request has them
        // (net): the worker holds none of its own.
        let headers = Array::of2(&pair(net::FORM), &pair(net::ACCEPT_JSON));
        if let Some(proof) = proof {
            headers.push(&pair((net::PROOF, proof)));
        }
        let message = Object::new();
        for (name, value) in [
            ("id", JsValue::from_f64(id)),
            ("url", url.into()),
            ("body", body.into()),
            ("headers", headers.into()),
            ("reads", pair((net::NONCE, net::CHALLENGE)).into()),
            ("deadline", (page::now_ms() + f64::from(deadline)).into()),
        ] {
            Reflect::set(&message, &name.into(), &value).ok()?;
        }
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, _| settle = Some(resolve));
        let settle = settle?;
        page::window()?
            .set_timeout_with_callback_and_timeout_and_arguments_1(
                &settle,
                deadline.min(i32::MAX as u32) as i32,
                &LATE,
            )
            .ok()?;
        self.waiting.borrow_mut().as_mut()?.push((id, settle));
        self.worker.post_message(&message).ok()?;
        Some(promise)
    }
}

/// `[a, b]`: a header's name and value, or the names of the two headers the answer gives back.
fn pair((a, b): (&str, &str)) -> Array {
    Array::of2(&a.into(), &b.into())
}

fn field(data: &JsValue, name: &str) -> JsValue {
    Reflect::get(data, &name.into()).unwrap_or_default()
}

/// The worker's answer (`{status, body, headers}`, the headers asked for by name, or
/// `{failure, timedOut}`); none when it fell over before answering.
fn answer_of(data: &JsValue, deadline: u32) -> Option<Result<Answer, Failure>> {
    if data.is_undefined() {
        return None;
    }
    let text = |name| field(data, name).as_string();
    let header = |name| field(&field(data, "headers"), name).as_string();
    Some(match (data.as_bool(), text("failure")) {
        (Some(_), _) => Err(Failure::Timeout(deadline)),
        (_, Some(_)) if field(data, "timedOut").is_truthy() => Err(Failure::Timeout(deadline)),
        (_, Some(why)) => Err(Failure::Unreachable(["unreachable (", &why, ")"].concat())),
        _ => Ok(Answer {
            status: field(data, "status").as_f64().unwrap_or_default() as u16,
            body: text("body").unwrap_or_default(),
            dpop_nonce: header(net::NONCE),
            challenge: header(net::CHALLENGE),
        }),
    })
}
