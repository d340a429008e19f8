//! The app's own API calls with the login's access token (`latch.fetchWithToken`): the
//! token from `getTokenSilently` (renewed when it has to be), sent as `Authorization: DPoP`
//! with a proof bound to it by `ath` (RFC 9449 §7), or as `Bearer` without DPoP. A resource
//! server that asks for its nonce (§9) gets the request once more with it. What the proof
//! says is the core's ([`crate::core::dpop`]).

use std::rc::Rc;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, Response};

use crate::core::dpop::resource_retry;
use crate::core::Error;

use super::events::error_payload;
use super::net::{CHALLENGE, NONCE, PROOF};
use super::page::window;
use super::widget::Widget;

fn refused(detail: &str) -> Error {
    Error::InvalidOption {
        option: "fetchWithToken".into(),
        reason: detail.to_owned(),
    }
}

impl Widget {
    /// `fetch(input, init)` with the access token (and its DPoP proof): the server's
    /// `Response`, whatever its status, or the error that kept it from being sent
    /// (`getTokenSilently`'s, as it rejected).
    pub async fn fetch_with_token(
        self: &Rc<Self>,
        input: &JsValue,
        init: &JsValue,
    ) -> Result<Response, JsValue> {
        let token = JsFuture::from(self.token_silently(false)).await?;
        self.send_with_token(input, init, token.as_string().unwrap_or_default())
            .await
            .map_err(|e| error_payload(&e))
    }

    async fn send_with_token(
        &self,
        input: &JsValue,
        init: &JsValue,
        token: String,
    ) -> Result<Response, Error> {
        // `new Request(input, init)` with the app's values as they are, as fetch() reads
        // them: a Request, a URL object or a string (a URL object is no string to Rust).
        let request = js_sys::Reflect::get(&js_sys::global(), &"Request".into())
            .and_then(|constructor| {
                js_sys::Reflect::construct(
                    constructor.unchecked_ref::<js_sys::Function>(),
                    &js_sys::Array::of2(input, init),
                )
            })
            .map_err(|e| refused(&super::page::message_of(&e)))?
            .unchecked_into::<Request>();
        let dpop = self.session.with(|s| s.is_dpop()) == Some(true);
        let (method, url) = (request.method(), request.url());
        let mut retried = false;
        loop {
            // The request as given, each time: a body is read once.
            let sent = request
                .clone()
                .map_err(|e| refused(&super::page::message_of(&e)))?;
            let (authorization, proof) =
                self.dpop.authorization(&method, &url, &token, dpop).await?;
            let headers = sent.headers();
            let set = headers
                .set("Authorization", &authorization)
                .and_then(|_| match &proof {
                    Some(proof) => headers.set(PROOF, proof),
                    None => Ok(()),
                });
            set.map_err(|e| refused(&super::page::message_of(&e)))?;
            let window = window().ok_or_else(|| refused("no window"))?;
            let response: Response = JsFuture::from(window.fetch_with_request(&sent))
                .await
                .map_err(|e| Error::Network {
                    url: url.clone(),
                    detail: super::page::message_of(&e),
                })?
                .unchecked_into();
            if dpop {
                let header = |name: &str| response.headers().get(name).ok().flatten();
                let nonce = header(NONCE);
                self.dpop.heard(&url, nonce.as_deref());
                let challenge = header(CHALLENGE);
                if resource_retry(
                    response.status(),
                    challenge.as_deref(),
                    nonce.as_deref(),
                    retried,
                )
                .is_some()
                {
                    retried = true;
                    continue;
                }
            }
            return Ok(response);
        }
    }
}
