//! Token requests: the code exchange and refreshes. Where the login holds a refresh token or
//! a DPoP key ([`crate::core::settings::Settings::token_worker`]), they are to go out from a
//! dedicated Worker, so that no script of the page that wraps `fetch` sees them; for now
//! they go out from the page.

use super::net::{self, Answer, Failure};

/// POSTs the token request `body` to `url` (with a DPoP `proof`), within `deadline` ms;
/// from the token worker when `off_main_thread`.
pub async fn post_token(
    url: &str,
    body: String,
    proof: Option<&str>,
    deadline: u32,
    off_main_thread: bool,
) -> Result<Answer, Failure> {
    let _ = off_main_thread;
    net::post_form(url, body, proof, deadline).await
}
