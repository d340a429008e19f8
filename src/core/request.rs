//! What the widget decides about its HTTP requests: how long each kind may take before it is
//! aborted (`auth.requestTimeout` overrides them all), what an HTTP error without an OAuth
//! error body means, and whether a failed renewal is tried once more.

use super::encoding::{cat, decimal};
use super::error::ProviderCode;
use super::Error;

/// What a request is for: each kind has its own default deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The client configuration, a discovery document, a JWKS, a language pack: static files,
    /// usually from a CDN. 10 s, as auth0-spa-js's `httpTimeoutInSeconds`: the user watches a
    /// spinner meanwhile, and longer than that is no longer a slow answer but none.
    Document,
    /// The token endpoint (a code or a refresh token): the provider checks the grant and signs
    /// tokens, and a code is good for one try only, so it gets twice a document's time before
    /// the login is given up.
    Token,
    /// The userinfo endpoint: a lookup behind the access token, as quick as a document.
    UserInfo,
}

impl Kind {
    /// The deadline of a request of this kind, in ms: `option` (`auth.requestTimeout`) when
    /// given, else the kind's default.
    pub fn deadline_ms(self, option: Option<u32>) -> u32 {
        option.unwrap_or(match self {
            Kind::Token => 20_000,
            Kind::Document | Kind::UserInfo => 10_000,
        })
    }

    /// The words for it in a `timeout` description.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Token => "token endpoint",
            Kind::UserInfo => "userinfo endpoint",
        }
    }
}

/// The `timeout` of a request of `kind` to `url` aborted after `ms`.
pub fn timed_out(kind: Kind, url: &str, ms: u32) -> Error {
    Error::RequestTimeout {
        what: cat(&["the ", kind.name(), " ", url]),
        ms,
    }
}

/// A token endpoint's HTTP error whose body is no OAuth error (RFC 6749 §5.2): a 503 is the
/// provider's `temporarily_unavailable`, any other 5xx its `server_error` (the codes RFC 6749
/// §4.1.2.1 has for the same trouble at the authorization endpoint), so that the app and the
/// retry policy read it as the provider's trouble, not the widget's; anything else is an
/// invalid token response. The description keeps the status.
pub fn token_http_error(status: u16) -> Error {
    let status_text = cat(&["HTTP status ", &decimal(u64::from(status))]);
    let code = match status {
        503 => "temporarily_unavailable",
        500..=599 => "server_error",
        _ => return Error::InvalidTokenResponse(status_text),
    };
    // Neither is a code the widget acts on by name (ProviderCode's own variants).
    Error::Provider {
        error: ProviderCode::Other(code.into()),
        description: status_text,
    }
}

/// How long a renewal waits before its one retry: long enough for a dropped connection or a
/// restarting provider to come back, short enough that `getTokenSilently`'s caller is not left
/// waiting much longer than the deadline.
pub const RETRY_DELAY_MS: u32 = 1_000;

/// Whether renewal attempt number `attempt` (0 for the first) that failed with `error` is tried
/// again, and after how many ms. Once only, and only for trouble that may pass: no answer (a
/// network error, a deadline) or the provider's own trouble (a 5xx). Never for a refusal
/// (`invalid_grant`: the refresh token is dead) or an answer the widget cannot use.
pub fn retry_after(attempt: u32, error: &Error) -> Option<u32> {
    let passing = match error {
        Error::Network { .. } | Error::RequestTimeout { .. } => true,
        Error::Provider { error, .. } => {
            matches!(error.as_str(), "server_error" | "temporarily_unavailable")
        }
        _ => false,
    };
    (attempt == 0 && passing).then_some(RETRY_DELAY_MS)
}

/// Whether a renewal that failed with `last` after `attempts` tries may end the login. A refusal
/// (`invalid_grant`) normally does ([`super::session::refusal_signs_out`]); but after a first
/// try that got no answer, the provider may have used and rotated the refresh token, and then
/// refuses the retry's old one: a lost answer, not a revoked login, so the session stays (its
/// next renewal finds out for sure). A timeout is never a refusal.
pub fn renewal_signs_out(attempts: u32, last: &Error) -> bool {
    attempts == 1 && super::session::refusal_signs_out(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(code: &str) -> Error {
        Error::Provider {
            error: code.into(),
            description: String::new(),
        }
    }

    #[test]
    fn each_kind_has_its_deadline_and_the_option_sets_them_all() {
        assert_eq!(Kind::Document.deadline_ms(None), 10_000);
        assert_eq!(Kind::UserInfo.deadline_ms(None), 10_000);
        assert_eq!(Kind::Token.deadline_ms(None), 20_000);
        for kind in [Kind::Document, Kind::Token, Kind::UserInfo] {
            assert_eq!(kind.deadline_ms(Some(250)), 250);
        }
    }

    #[test]
    fn a_timeout_is_coded_timeout_and_says_what_did_not_answer() {
        let e = timed_out(Kind::Token, "https://p.example/token", 500);
        assert_eq!(e.code(), "timeout");
        assert_eq!(
            e.to_string(),
            "the token endpoint https://p.example/token did not answer within 500 ms"
        );
        let e = timed_out(Kind::Document, "https://p.example/.well-known/x", 10_000);
        assert!(e.to_string().starts_with("the document https://p.example/"));
        assert!(!super::super::session::refusal_signs_out(&e));
    }

    #[test]
    fn http_errors_without_an_oauth_body_get_codes_by_status() {
        for (status, code) in [
            (503, "temporarily_unavailable"),
            (500, "server_error"),
            (502, "server_error"),
            (504, "server_error"),
            (599, "server_error"),
            (400, "invalid_token_response"),
            (404, "invalid_token_response"),
            (302, "invalid_token_response"),
        ] {
            let e = token_http_error(status);
            assert_eq!(e.code(), code, "{status}");
            assert!(e
                .to_string()
                .contains(&cat(&["HTTP status ", &status.to_string()])));
        }
    }

    #[test]
    fn a_renewal_is_retried_once_for_trouble_that_may_pass() {
        let passing = [
            Error::Network {
                url: "u".into(),
                detail: "reset".into(),
            },
            timed_out(Kind::Token, "u", 1),
            token_http_error(500),
            token_http_error(503),
        ];
        for e in &passing {
            assert_eq!(retry_after(0, e), Some(RETRY_DELAY_MS), "{e:?}");
            assert_eq!(retry_after(1, e), None, "{e:?}");
        }
        for e in [
            provider("invalid_grant"),
            provider("invalid_client"),
            token_http_error(400),
            Error::InvalidTokenResponse("no access token".into()),
            Error::Timeout(10_000),
        ] {
            assert_eq!(retry_after(0, &e), None, "{e:?}");
        }
    }

    #[test]
    fn only_a_refusal_of_a_first_try_signs_out() {
        assert!(renewal_signs_out(1, &provider("invalid_grant")));
        assert!(!renewal_signs_out(2, &provider("invalid_grant")));
        assert!(!renewal_signs_out(1, &timed_out(Kind::Token, "u", 1)));
        assert!(!renewal_signs_out(1, &token_http_error(503)));
    }
}
