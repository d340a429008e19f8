//! Logins answered by web message (OAuth 2.0 Web Message Response Mode, individual draft 01:
//! oidc-provider's `webMessageResponseMode`, and Auth0's): Lock's `checkSession`, an
//! authorize request with `prompt=none` in a hidden iframe, and popup logins, the same request
//! without `prompt=none` in a window of its own. The page hands the core what it received;
//! the core decides whether it is the answer, and what the answer says, which is then
//! validated as any other return is.

use super::callback::{query_and_fragment, AuthorizationResponse};
use super::encoding::FormEncoder;
use super::error::ProviderCode;
use super::types::State;
use super::web_url::UrlParser;
use super::Error;

use crate::prelude::*;

/// The response mode, as discovery's `response_modes_supported` lists it.
pub const RESPONSE_MODE: &str = "web_message";

/// How long the iframe may take before the attempt ends with `timeout`, by default.
pub const DEFAULT_TIMEOUT_MS: u32 = 10_000;

/// How long a popup login may take (the user is typing), by default: auth0-spa-js's 60 s.
pub const DEFAULT_POPUP_TIMEOUT_MS: u32 = 60_000;

/// The soonest `auth.autoRenew` renews after a token was kept, whatever its lifetime: a
/// token that lives less than the leeway is not renewed in a loop.
pub const MIN_RENEWAL_DELAY_MS: f64 = 5_000.0;

/// Whether an access token good until `expires_at` (milliseconds since the epoch) is still
/// good at `now` for `getTokenSilently`: it must outlive the leeway.
pub fn still_good(expires_at: f64, now: f64, leeway_secs: u64) -> bool {
    expires_at - now > leeway_secs as f64 * 1000.0
}

/// How long `auth.autoRenew` waits before renewing a token good until `expires_at`: until it
/// stops being [`still_good`], and at least [`MIN_RENEWAL_DELAY_MS`].
pub fn renewal_delay_ms(expires_at: f64, now: f64, leeway_secs: u64) -> f64 {
    (expires_at - now - leeway_secs as f64 * 1000.0).max(MIN_RENEWAL_DELAY_MS)
}

/// The authorize parameters of a request answered without leaving the page: the app's own
/// plus `response_mode=web_message` where the provider offers it (else the code comes to the
/// silent-callback page in the query, read there by the window that is waiting for it); for a
/// silent one (`checkSession`), any `prompt` of the app's replaced by `prompt=none` (OpenID
/// Connect Core §3.1.2.1: no page may be shown).
pub fn params(
    extra: &[(String, String)],
    silent: bool,
    by_web_message: bool,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = extra
        .iter()
        .filter(|(k, _)| !(silent && k == "prompt"))
        .cloned()
        .collect();
    if silent {
        out.push(("prompt".into(), "none".into()));
    }
    if by_web_message {
        out.push(("response_mode".into(), RESPONSE_MODE.into()));
    }
    out
}

/// What the console says when a silent check fails in a way that suggests the provider's
/// session cookie never reached its iframe (a third-party cookie, blocked by Chromium,
/// Safari and Brave): `login_required`, or no answer in time, from a tab that is signed in.
pub fn third_party_cookies_suspected(error: &Error, signed_in: bool) -> Option<&'static str> {
    let suspicious = match error {
        Error::Provider { error, .. } => *error == ProviderCode::LoginRequired,
        Error::Timeout(_) => true,
        _ => false,
    };
    (signed_in && suspicious).then_some(
        "latch-login: checkSession found no session at the provider although this tab is signed in: its session cookie probably does not reach the iframe (third-party cookies blocked). Use auth.useRefreshTokens, or serve the provider from the app's own site (README, Sessions).",
    )
}

/// The answer the silent-callback page holds, read by the window waiting for it: `address`
/// is where that page now is (the waiting window can read it only once it is of its own
/// origin), `callback` the silent-callback URL. The query or the fragment of a page at the
/// callback URL (same origin and path); none for any other page, such as the provider's or
/// `about:blank`.
pub fn callback_answer(urls: &dyn UrlParser, address: &str, callback: &str) -> Option<String> {
    let (here, expected) = (urls.parse(address)?, urls.parse(callback)?);
    if here.origin == "null" || here.origin != expected.origin || here.pathname != expected.pathname
    {
        return None;
    }
    let (query, fragment) = query_and_fragment(&here.search, &here.hash);
    [query.to_owned(), fragment.to_owned()]
        .into_iter()
        .find(|params| AuthorizationResponse::parse(params).is_some())
}

/// Whether a `message` event could be the answer: its `origin` (the sender's, serialized by
/// the browser) is exactly the authorization endpoint's origin as the URL parser writes it.
/// The caller also checks that its source is the iframe's window.
pub fn from_provider(urls: &dyn UrlParser, authorization_endpoint: &str, origin: &str) -> bool {
    urls.parse(authorization_endpoint)
        .is_some_and(|endpoint| endpoint.origin != "null" && endpoint.origin == origin)
}

/// The answer a web message brought, if it is this attempt's: one whose `state` is another
/// (another login in flight, an answer replayed, a forgery) is refused as
/// [`Error::StateMismatch`], before any transaction but the attempt's own is touched.
pub fn answer_for(
    response: Option<Result<AuthorizationResponse, Error>>,
    attempt: &State,
) -> Result<AuthorizationResponse, Error> {
    match response {
        Some(Ok(response)) if response.state() == attempt => Ok(response),
        Some(Ok(_)) => Err(Error::StateMismatch),
        Some(Err(e)) => Err(e),
        None => Err(Error::MalformedResponse(
            "the web message carried no authorization response".into(),
        )),
    }
}

/// The answer's `response` members (strings only; anything else is left out) as the
/// parameters an authorization response arrives with, for [`super::callback`] to read.
pub fn response_params(members: &[(String, String)]) -> String {
    let mut q = FormEncoder::with_prefix("");
    for (k, v) in members {
        q.pair(k, v);
    }
    q.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_silent_callback_page_holds_the_answer_once_it_is_there() {
        let callback = "https://app.example.com/silent.html";
        let read = |address: &str| callback_answer(&Whatwg, address, callback);
        assert_eq!(
            read("https://app.example.com/silent.html?code=c&state=s").as_deref(),
            Some("code=c&state=s")
        );
        assert_eq!(
            read("https://app.example.com/silent.html#error=login_required&state=s").as_deref(),
            Some("error=login_required&state=s")
        );
        for elsewhere in [
            "about:blank",
            "https://op.example.com/silent.html?code=c&state=s",
            "https://app.example.com/other.html?code=c&state=s",
            "http://app.example.com/silent.html?code=c&state=s",
            "https://app.example.com:444/silent.html?code=c&state=s",
            // At the callback, but no answer yet (or none at all).
            "https://app.example.com/silent.html",
            "https://app.example.com/silent.html?page=2",
        ] {
            assert_eq!(read(elsewhere), None, "{elsewhere}");
        }
    }

    #[test]
    fn third_party_cookies_are_suspected_only_when_a_signed_in_tab_is_told_no_session() {
        let login_required = Error::Provider {
            error: "login_required".into(),
            description: String::new(),
        };
        let consent = Error::Provider {
            error: "consent_required".into(),
            description: String::new(),
        };
        assert!(third_party_cookies_suspected(&login_required, true).is_some());
        assert!(third_party_cookies_suspected(&Error::Timeout(10_000), true).is_some());
        assert!(third_party_cookies_suspected(&login_required, false).is_none());
        assert!(third_party_cookies_suspected(&consent, true).is_none());
        assert!(third_party_cookies_suspected(&Error::StateMismatch, true).is_none());
    }

    #[test]
    fn only_the_attempts_own_state_is_its_answer() {
        let attempt = State::new("mine");
        let read = |params: &str| answer_for(AuthorizationResponse::parse(params), &attempt);
        assert!(matches!(
            read("code=c&state=mine"),
            Ok(AuthorizationResponse::Code { .. })
        ));
        assert!(matches!(
            read("error=login_required&state=mine"),
            Ok(AuthorizationResponse::Error { .. })
        ));
        for other in [
            "code=c&state=theirs",
            "error=login_required&state=theirs",
            "code=c&state=Mine",
        ] {
            assert_eq!(read(other).err(), Some(Error::StateMismatch), "{other}");
        }
        assert!(matches!(
            read("nothing=here"),
            Err(Error::MalformedResponse(_))
        ));
        // Unreadable, but this attempt's: refused later, with its transaction.
        assert!(matches!(
            read("code=c&code=d&state=mine"),
            Ok(AuthorizationResponse::Unreadable { .. })
        ));
        assert_eq!(
            read("code=c&code=d&state=theirs").err(),
            Some(Error::StateMismatch)
        );
    }

    #[test]
    fn a_token_is_good_while_it_outlives_the_leeway_and_renewed_as_it_stops_being() {
        let now = 1_000_000.0;
        assert!(still_good(now + 61_000.0, now, 60));
        assert!(!still_good(now + 60_000.0, now, 60));
        assert!(!still_good(now - 1.0, now, 0));
        // An hour's token with a minute's leeway: renewed 59 minutes from now.
        assert_eq!(renewal_delay_ms(now + 3_600_000.0, now, 60), 3_540_000.0);
        assert!(still_good(now + 3_600_000.0, now + 3_539_999.0, 60));
        assert!(!still_good(now + 3_600_000.0, now + 3_540_000.0, 60));
        // Shorter than the leeway, or expired: never sooner than the floor.
        assert_eq!(
            renewal_delay_ms(now + 30_000.0, now, 60),
            MIN_RENEWAL_DELAY_MS
        );
        assert_eq!(renewal_delay_ms(now - 5.0, now, 60), MIN_RENEWAL_DELAY_MS);
    }
    use crate::core::callback::AuthorizationResponse;
    use crate::core::web_url::Whatwg;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn asks_for_no_page_and_a_web_message() {
        let app = pairs(&[("audience", "api"), ("prompt", "login")]);
        // A popup shows the provider's pages: the app's prompt stays.
        // Without web_message, the response mode is the code flow's own (the query).
        assert_eq!(
            params(&app, true, false),
            pairs(&[("audience", "api"), ("prompt", "none")])
        );
        assert_eq!(
            params(&app, false, true),
            pairs(&[
                ("audience", "api"),
                ("prompt", "login"),
                ("response_mode", "web_message")
            ])
        );
        assert_eq!(
            params(&app, true, true),
            pairs(&[
                ("audience", "api"),
                ("prompt", "none"),
                ("response_mode", "web_message")
            ])
        );
    }

    #[test]
    fn only_the_providers_origin_answers() {
        let endpoint = "https://op.example.com/authorize";
        assert!(from_provider(&Whatwg, endpoint, "https://op.example.com"));
        for other in [
            "https://op.example.com.evil.example",
            "https://evil.example",
            "http://op.example.com",
            "https://op.example.com:8443",
            "https://op.example.com/",
            "https://OP.example.com",
            "null",
            "",
        ] {
            assert!(!from_provider(&Whatwg, endpoint, other), "{other}");
        }
        assert!(from_provider(
            &Whatwg,
            "http://127.0.0.1:3000/authorize",
            "http://127.0.0.1:3000"
        ));
        assert!(!from_provider(
            &Whatwg,
            "not a url",
            "https://op.example.com"
        ));
    }

    #[test]
    fn an_opaque_origin_is_nobodys_even_when_both_sides_have_one() {
        // A file: or data: URL has the opaque origin "null", and so does a sandboxed frame's
        // message: equal strings, but no provider.
        for endpoint in ["file:///authorize", "data:text/html,authorize"] {
            assert!(!from_provider(&Whatwg, endpoint, "null"), "{endpoint}");
        }
        assert_eq!(
            callback_answer(
                &Whatwg,
                "file:///silent.html?code=c&state=s",
                "file:///silent.html"
            ),
            None
        );
    }

    #[test]
    fn the_answer_is_read_as_any_response() {
        let code = response_params(&pairs(&[
            ("code", "c 1"),
            ("state", "s1"),
            ("iss", "https://op/"),
        ]));
        assert!(matches!(
            AuthorizationResponse::parse(&code),
            Some(Ok(AuthorizationResponse::Code { .. }))
        ));
        let none = response_params(&pairs(&[
            ("error", "login_required"),
            ("error_description", "End-User authentication is required"),
            ("state", "s1"),
        ]));
        match AuthorizationResponse::parse(&none) {
            Some(Ok(r)) => assert_eq!(r.state().as_str(), "s1"),
            other => panic!("{other:?}"),
        }
        assert_eq!(AuthorizationResponse::parse(&response_params(&[])), None);
    }
}
