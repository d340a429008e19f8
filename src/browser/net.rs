//! Every request the widget makes, through gloo-net: the client configuration, discovery
//! documents, the JWKS and the userinfo (GET), and the token request (POST). A request that got no HTTP
//! answer at all, or a status that is not 2xx, is said in words for the error that names the
//! URL.

use gloo_net::http::Request;

/// An HTTP answer: its status and body.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    /// The body of a 2xx answer, or why there is none.
    pub fn ok(self) -> Result<String, String> {
        match self.status {
            200..=299 => Ok(self.body),
            status => Err(["HTTP status ", &status.to_string()].concat()),
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

async fn answer(request: Result<Request, gloo_net::Error>) -> Result<Answer, String> {
    let response = request
        .map_err(unreachable)?
        .send()
        .await
        .map_err(unreachable)?;
    let status = response.status();
    let body = response.text().await.map_err(unreachable)?;
    Ok(Answer { status, body })
}

/// GET `url`.
pub async fn get(url: &str) -> Result<Answer, String> {
    answer(Request::get(url).build()).await
}

/// GET `url` with `Authorization: Bearer {token}` (RFC 6750 §2.1), asking for JSON.
pub async fn get_bearer(url: &str, token: &str) -> Result<Answer, String> {
    let request = Request::get(url)
        .header("Authorization", &["Bearer ", token].concat())
        .header("Accept", "application/json")
        .build();
    answer(request).await
}

/// POST `body` (`application/x-www-form-urlencoded`) to `url`, asking for JSON.
pub async fn post_form(url: &str, body: String) -> Result<Answer, String> {
    let request = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .body(body);
    answer(request).await
}
