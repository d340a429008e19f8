//! Every request the widget makes, through gloo-net: the client configuration, discovery
//! documents, the JWKS and the userinfo (GET), and the token request (POST). Each has a
//! deadline (the core's, [`crate::core::request::Kind`]): an AbortController aborts it when the
//! deadline passes, body and all. A request that got no HTTP answer at all, or a status that is
//! not 2xx, is said in words for the error that names the URL.

use gloo_net::http::{Request, RequestBuilder};
use web_sys::AbortController;

use crate::core::request::{timed_out, Kind};
use crate::core::Error;

use super::cleanup::Timer;

/// An HTTP answer: its status, body, and (in the DPoP build) the headers a DPoP exchange
/// reads (RFC 9449 §8, §9: `DPoP-Nonce`, and a resource server's `WWW-Authenticate`
/// challenge).
pub struct Answer {
    pub status: u16,
    pub body: String,
    #[cfg(feature = "dpop")]
    pub dpop_nonce: Option<String>,
    #[cfg(feature = "dpop")]
    pub challenge: Option<String>,
}

/// A form body, as a token request's is (RFC 6749 §4.1.3, §6).
pub const FORM: (&str, &str) = ("Content-Type", "application/x-www-form-urlencoded");
/// A JSON answer asked for.
pub const ACCEPT_JSON: (&str, &str) = ("Accept", "application/json");
/// The request's proof (RFC 9449 §4.1).
#[cfg(feature = "dpop")]
pub const PROOF: &str = "DPoP";
/// The answer's headers a DPoP exchange reads: the server's nonce (RFC 9449 §8) and a
/// resource server's challenge (§9, RFC 9110 §11.6.1).
#[cfg(feature = "dpop")]
pub const NONCE: &str = "DPoP-Nonce";
#[cfg(feature = "dpop")]
pub const CHALLENGE: &str = "WWW-Authenticate";

/// Why a request has no answer to read.
pub enum Failure {
    /// No answer, or not a 2xx one, in words.
    Unreachable(String),
    /// Aborted when its deadline (ms) passed.
    Timeout(u32),
}

impl Failure {
    /// The error of a request of `kind` to `url`: `timeout` when its deadline passed, else
    /// `unreachable`'s for the words.
    pub fn error(self, kind: Kind, url: &str, unreachable: impl FnOnce(String) -> Error) -> Error {
        match self {
            Failure::Unreachable(detail) => unreachable(detail),
            Failure::Timeout(ms) => timed_out(kind, url, ms),
        }
    }
}

impl Answer {
    /// The body of a 2xx answer, or why there is none.
    pub fn ok(self) -> Result<String, Failure> {
        match self.status {
            200..=299 => Ok(self.body),
            status => Err(Failure::Unreachable(
                ["HTTP status ", &status.to_string()].concat(),
            )),
        }
    }
}

/// Why there was no HTTP answer at all.
fn unreachable(e: gloo_net::Error) -> String {
    let detail = match e {
        gloo_net::Error::JsError(js) => js.message,
        other => other.to_string(),
    };
    ["unreachable (", &detail, ")"].concat()
}

/// Sends `request` (with `body`, a POST), aborted after `deadline` ms.
async fn answer(
    request: RequestBuilder,
    body: Option<String>,
    deadline: u32,
) -> Result<Answer, Failure> {
    let controller = AbortController::new().ok();
    let signal = controller.as_ref().map(AbortController::signal);
    let request = request.abort_signal(signal.as_ref());
    let _deadline = controller.and_then(|c| Timer::after(f64::from(deadline), move || c.abort()));
    let sent = async {
        let request = match body {
            Some(body) => request.body(body),
            None => request.build(),
        };
        let response = request?.send().await?;
        let status = response.status();
        #[cfg(feature = "dpop")]
        let headers = response.headers();
        Ok(Answer {
            status,
            #[cfg(feature = "dpop")]
            dpop_nonce: headers.get(NONCE),
            #[cfg(feature = "dpop")]
            challenge: headers.get(CHALLENGE),
            body: response.text().await?,
        })
    };
    sent.await
        .map_err(|e| match signal.is_some_and(|s| s.aborted()) {
            true => Failure::Timeout(deadline),
            false => Failure::Unreachable(unreachable(e)),
        })
}

/// GET `url`.
pub async fn get(url: &str, deadline: u32) -> Result<Answer, Failure> {
    answer(Request::get(url), None, deadline).await
}

/// `request` with a `DPoP` proof header (RFC 9449 §4.1), when there is one.
#[cfg(feature = "dpop")]
fn with_proof(request: RequestBuilder, proof: Option<&str>) -> RequestBuilder {
    match proof {
        Some(proof) => request.header(PROOF, proof),
        None => request,
    }
}

/// GET `url` with `Authorization: {authorization}` (`Bearer` of RFC 6750 §2.1, or `DPoP` of
/// RFC 9449 §7.1 with its `proof`), asking for JSON.
pub async fn get_with_token(
    url: &str,
    authorization: &str,
    proof: Option<&str>,
    deadline: u32,
) -> Result<Answer, Failure> {
    let request = Request::get(url)
        .header("Authorization", authorization)
        .header(ACCEPT_JSON.0, ACCEPT_JSON.1);
    #[cfg(feature = "dpop")]
    let request = with_proof(request, proof);
    #[cfg(not(feature = "dpop"))]
    let _ = proof;
    answer(request, None, deadline).await
}

/// POST `body` (`application/x-www-form-urlencoded`) to `url`, asking for JSON, with a DPoP
/// `proof` when there is one.
pub async fn post_form(
    url: &str,
    body: String,
    proof: Option<&str>,
    deadline: u32,
) -> Result<Answer, Failure> {
    let request = Request::post(url)
        .header(FORM.0, FORM.1)
        .header(ACCEPT_JSON.0, ACCEPT_JSON.1);
    #[cfg(feature = "dpop")]
    let request = with_proof(request, proof);
    #[cfg(not(feature = "dpop"))]
    let _ = proof;
    answer(request, Some(body), deadline).await
}
