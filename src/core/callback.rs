//! The authorization response as it reaches the redirect URI, in the query or the fragment
//! ([RFC 6749 §4.1.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2)), and what to
//! strip from the address bar afterwards.

use super::encoding::{decode_component, parse_params, pieces};
use super::transaction::{CodeExchange, Flow, Transaction};
use super::types::{AuthorizationCode, State};
use super::Error;

use crate::prelude::*;

/// Parameters an authorization response may carry; they are removed from the address bar
/// once the response is handled (Lock's hashCleanup), the app's own parameters stay.
const RESPONSE_PARAMS: [&str; 12] = [
    "code",
    "state",
    "iss",
    "error",
    "error_description",
    "error_uri",
    "id_token",
    "access_token",
    "token_type",
    "expires_in",
    "scope",
    "session_state",
];

#[derive(Debug, PartialEq, Eq)]
pub enum AuthorizationResponse {
    Code {
        code: AuthorizationCode,
        state: State,
        iss: Option<String>,
    },
    /// The front channel's answer ([OpenID Connect Core §3.2.2.5](https://openid.net/specs/openid-connect-core-1_0.html#ImplicitAuthResponse)).
    IdToken {
        id_token: String,
        state: State,
        iss: Option<String>,
    },
    Error {
        error: String,
        description: String,
        state: State,
        iss: Option<String>,
    },
    /// A response that cannot be read (a bad escape, bytes that are not UTF-8, too long) but
    /// names its login by one clean `state`: refused like any other, and its transaction
    /// taken and dropped with it instead of left behind until it expires.
    Unreadable { error: Error, state: State },
}

/// What a checked response hands on: a code to exchange, or an ID token to verify.
#[derive(Debug, PartialEq, Eq)]
pub enum Grant<'a> {
    /// A code, and what its exchange needs.
    Code(AuthorizationCode, &'a CodeExchange),
    IdToken(String),
}

impl AuthorizationResponse {
    pub fn state(&self) -> &State {
        match self {
            AuthorizationResponse::Code { state, .. }
            | AuthorizationResponse::IdToken { state, .. }
            | AuthorizationResponse::Error { state, .. }
            | AuthorizationResponse::Unreadable { state, .. } => state,
        }
    }

    fn iss(&self) -> Option<&str> {
        match self {
            AuthorizationResponse::Code { iss, .. }
            | AuthorizationResponse::IdToken { iss, .. }
            | AuthorizationResponse::Error { iss, .. } => iss.as_deref(),
            AuthorizationResponse::Unreadable { .. } => None,
        }
    }

    /// Reads a query (without `?`) or fragment (without `#`). `None` when it is no
    /// authorization response at all (no `state`, or neither `code` nor `error`): the page's
    /// own parameters are none of the widget's business.
    pub fn parse(params: &str) -> Option<Result<Self, Error>> {
        // As `location.search` or `location.hash` give it (Lock's `resumeAuth(hash)`).
        let params = params.strip_prefix(['?', '#']).unwrap_or(params);
        // A refused response that names its login by one clean `state` uses that login up.
        let unreadable = |error: Error| match clean_state(params) {
            Some(state) => Ok(AuthorizationResponse::Unreadable { error, state }),
            None => Err(error),
        };
        let pairs = match parse_params(params) {
            Ok(pairs) => pairs,
            // Only claim input that looks like a response; otherwise leave the page alone.
            Err(e) => return looks_like_response(params).then(|| unreadable(e)),
        };
        let get = |name: &str| -> Result<Option<&str>, Error> {
            let mut found = pairs.iter().filter(|(k, _)| k == name);
            let first = found.next().map(|(_, v)| v.as_str());
            if found.next().is_some() {
                // RFC 6749 §3.1: parameters MUST NOT be included more than once.
                return Err(Error::DuplicateParameter(name.to_owned()));
            }
            Ok(first)
        };
        let read = || -> Result<Option<Self>, Error> {
            let Some(state) = get("state")? else {
                return Ok(None);
            };
            let iss = get("iss")?.map(str::to_owned);
            let state = State::new(state);
            if let Some(error) = get("error")? {
                return Ok(Some(AuthorizationResponse::Error {
                    error: error.to_owned(),
                    description: get("error_description")?.unwrap_or_default().to_owned(),
                    state,
                    iss,
                }));
            }
            match (get("code")?, get("id_token")?) {
                (Some(code), None) if !code.is_empty() => Ok(Some(AuthorizationResponse::Code {
                    code: AuthorizationCode::new(code),
                    state,
                    iss,
                })),
                (None, Some(id_token)) if !id_token.is_empty() => {
                    Ok(Some(AuthorizationResponse::IdToken {
                        id_token: id_token.to_owned(),
                        state,
                        iss,
                    }))
                }
                (Some(_), Some(_)) => Err(Error::MalformedResponse(
                    "hybrid responses (code and id_token) are not supported".into(),
                )),
                (Some(_), None) => Err(Error::MalformedResponse("the code is empty".into())),
                (None, Some(_)) => Err(Error::MalformedResponse("the id_token is empty".into())),
                (None, None) => Ok(None),
            }
        };
        match read() {
            Ok(response) => response.map(Ok),
            Err(e) => Some(unreadable(e)),
        }
    }

    /// RFC 9207 §2.4, then the response itself: a provider error becomes
    /// [`Error::Provider`]; a code (back channel) or an ID token (front channel) is handed
    /// on, and only the kind the login asked for.
    pub fn into_grant(self, tx: &Transaction) -> Result<Grant<'_>, Error> {
        let this = match self {
            AuthorizationResponse::Unreadable { error, .. } => return Err(error),
            readable => readable,
        };
        // A response that carries an ID token may leave `iss` out: the token's own `iss`,
        // checked after its signature, defends against mix-up (RFC 9207 §2.4). For Entra ID's
        // template issuer the parameter names the tenant, which the ID token's `iss` and
        // `tid` then bind exactly.
        let carries_id_token = matches!(this, AuthorizationResponse::IdToken { .. });
        match this.iss() {
            Some(iss) if !super::issuer::fits(tx.issuer.as_str(), iss, None) => {
                return Err(Error::IssParameterMismatch)
            }
            None if tx.iss_parameter_supported && !carries_id_token => {
                return Err(Error::IssParameterMissing)
            }
            _ => {}
        }
        match (this, &tx.flow) {
            (
                AuthorizationResponse::Error {
                    error, description, ..
                },
                _,
            ) => Err(Error::Provider {
                error: error.into(),
                description,
            }),
            (AuthorizationResponse::Code { code, .. }, Flow::Back(exchange)) => {
                Ok(Grant::Code(code, exchange))
            }
            (AuthorizationResponse::IdToken { id_token, .. }, Flow::Front) => {
                Ok(Grant::IdToken(id_token))
            }
            _ => Err(Error::MalformedResponse(
                "the response is not of the type this login asked for".into(),
            )),
        }
    }
}

/// The value of the one `state` parameter, when there is exactly one and it decodes cleanly.
fn clean_state(params: &str) -> Option<State> {
    let mut found = pieces(params, b'&').filter_map(|pair| pair.strip_prefix("state="));
    match (found.next(), found.next()) {
        (Some(value), None) => decode_component(value)
            .ok()
            .filter(|v| !v.is_empty())
            .map(State::new),
        _ => None,
    }
}

fn looks_like_response(params: &str) -> bool {
    pieces(params, b'&')
        .any(|p| p.starts_with("state=") || p.starts_with("code=") || p.starts_with("error="))
}

/// A page address's query and fragment (`search` and `hash` as the URL parser gives them)
/// without their `?` and `#`: the two places an authorization response can arrive.
pub fn query_and_fragment<'a>(search: &'a str, hash: &'a str) -> (&'a str, &'a str) {
    (
        search.strip_prefix('?').unwrap_or(search),
        hash.strip_prefix('#').unwrap_or(hash),
    )
}

/// The query or fragment with the response parameters removed, the others kept byte for
/// byte. Returns the text to put after `?`/`#` (empty when nothing is left).
pub fn strip_response_params(params: &str) -> String {
    let kept: Vec<&str> = pieces(params, b'&')
        .filter(|pair| {
            let key = pieces(pair, b'=').next().unwrap_or("");
            !pair.is_empty() && !RESPONSE_PARAMS.contains(&key)
        })
        .collect();
    super::encoding::join(&kept, "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::MAX_PARAMS_LEN;
    use crate::core::transaction::tests::sample;

    fn parse(s: &str) -> Option<Result<AuthorizationResponse, Error>> {
        AuthorizationResponse::parse(s)
    }

    #[test]
    fn reads_a_code_response() {
        let r = parse("code=abc&state=s1&iss=https%3A%2F%2Fop.example.com%2F")
            .expect("a response")
            .expect("valid");
        assert_eq!(
            r,
            AuthorizationResponse::Code {
                code: AuthorizationCode::new("abc"),
                state: State::new("s1"),
                iss: Some("https://op.example.com/".into()),
            }
        );
    }

    #[test]
    fn reads_a_response_as_location_gives_it() {
        let bare = parse("code=abc&state=s1");
        assert!(bare.as_ref().is_some_and(Result::is_ok));
        assert_eq!(parse("?code=abc&state=s1"), bare);
        assert_eq!(parse("#code=abc&state=s1"), bare);
        assert_ne!(parse("??code=abc&state=s1"), bare, "one prefix only");
    }

    #[test]
    fn reads_a_provider_error_with_its_description() {
        let r = parse("error=access_denied&error_description=User+said+no&state=s1")
            .expect("a response")
            .expect("valid");
        assert_eq!(
            r.into_grant(&sample(0)),
            Err(Error::Provider {
                error: "access_denied".into(),
                description: "User said no".into()
            })
        );
    }

    #[test]
    fn ignores_pages_without_a_response() {
        assert!(parse("").is_none());
        assert!(parse("tab=2&lang=fr").is_none());
        assert!(parse("code=abc").is_none(), "no state: not ours");
        assert!(parse("state=abc").is_none(), "neither code nor error");
        assert!(
            parse("q=%ZZ").is_none(),
            "a broken page parameter is not ours"
        );
    }

    /// The error a response ends in: refused when read, or when turned into a grant.
    fn refusal(s: &str) -> Error {
        match parse(s).expect("a response") {
            Err(e) => e,
            Ok(r) => r.into_grant(&sample(0)).expect_err("refused"),
        }
    }

    #[test]
    fn rejects_repeated_parameters_and_empty_codes() {
        assert_eq!(
            refusal("code=a&code=b&state=s"),
            Error::DuplicateParameter("code".into())
        );
        assert_eq!(
            parse("code=a&state=s&state=t").expect("response"),
            Err(Error::DuplicateParameter("state".into()))
        );
        assert!(matches!(
            refusal("code=&state=s"),
            Error::MalformedResponse(_)
        ));
        assert!(matches!(
            refusal("code=%FF&state=s"),
            Error::MalformedResponse(_)
        ));
    }

    #[test]
    fn rejects_an_empty_id_token_even_for_a_front_channel_login() {
        let mut front = sample(0);
        front.flow = Flow::Front;
        let r = parse("id_token=&state=s1")
            .expect("a response")
            .expect("tied to its login");
        assert_eq!(
            r.into_grant(&front),
            Err(Error::MalformedResponse("the id_token is empty".into()))
        );
    }

    #[test]
    fn an_unreadable_response_names_its_login_by_a_clean_state() {
        // Bytes that are not UTF-8, and a response too long to read: refused, but tied to
        // the login of its state so that login's transaction is used up.
        let long = format!("code={}&state=s1", "A".repeat(MAX_PARAMS_LEN));
        for input in [
            "code=%FF%FE&state=s1",
            "state=s1&error=x&error_description=%E9",
            &long,
        ] {
            let r = parse(input).expect("a response").expect("tied to a login");
            assert_eq!(r.state(), &State::new("s1"), "{input:.40}");
            let mut promised = sample(0);
            promised.iss_parameter_supported = true;
            assert!(
                matches!(r.into_grant(&promised), Err(Error::MalformedResponse(_))),
                "{input:.40}"
            );
        }
        // No state, two states, or a state that is itself broken: nothing to tie it to.
        for input in ["code=%FF", "code=%FF&state=a&state=b", "code=x&state=%FF"] {
            assert!(
                matches!(parse(input), Some(Err(Error::MalformedResponse(_)))),
                "{input}"
            );
        }
    }

    #[test]
    fn rfc9207_iss_must_match_when_present_or_promised() {
        let tx = sample(0);
        let wrong = parse("code=a&state=s1&iss=https%3A%2F%2Fevil.example.com")
            .expect("response")
            .expect("valid");
        assert_eq!(wrong.into_grant(&tx), Err(Error::IssParameterMismatch));
        let right = parse("code=a&state=s1&iss=https%3A%2F%2Fop.example.com%2F")
            .expect("response")
            .expect("valid");
        assert!(right.into_grant(&tx).is_ok());
        let mut promised = sample(0);
        promised.iss_parameter_supported = true;
        let missing = parse("code=a&state=s1").expect("response").expect("valid");
        assert_eq!(
            missing.into_grant(&promised),
            Err(Error::IssParameterMissing)
        );
    }

    #[test]
    fn reads_a_front_channel_id_token_and_refuses_mixed_kinds() {
        let r = parse("id_token=a.b.c&state=s1")
            .expect("response")
            .expect("valid");
        let mut front = sample(0);
        front.flow = Flow::Front;
        assert_eq!(r.into_grant(&front), Ok(Grant::IdToken("a.b.c".into())));
        let r = parse("id_token=a.b.c&state=s1")
            .expect("response")
            .expect("valid");
        assert!(matches!(
            r.into_grant(&sample(0)),
            Err(Error::MalformedResponse(_))
        ));
        let code = parse("code=x&state=s1").expect("response").expect("valid");
        assert!(matches!(
            code.into_grant(&front),
            Err(Error::MalformedResponse(_))
        ));
        assert!(matches!(
            refusal("code=x&id_token=a.b.c&state=s1"),
            Error::MalformedResponse(_)
        ));
    }

    /// tests/cases/authorization-response.json: form bodies, and whether each is a response.
    /// The form_post worker (src/js/latch-sw.js) is held to the same table by
    /// tests/service-worker.test.mjs, so it claims exactly the POSTs this rule reads.
    #[test]
    fn the_shared_table_of_form_bodies_is_this_rule() {
        let table: serde_json::Value = serde_json::from_str(include_str!(
            "../../tests/cases/authorization-response.json"
        ))
        .expect("the table is JSON");
        let cases = table["cases"].as_array().expect("cases");
        assert!(cases.len() > 30);
        for case in cases {
            let mut body = case["body"].as_str().expect("body").to_owned();
            if let Some(pad) = case["pad"].as_u64() {
                body = format!("{body}&pad={}", "A".repeat(pad as usize));
            }
            let expected = case["response"].as_bool().expect("response");
            assert_eq!(
                parse(&body).is_some(),
                expected,
                "{:.60} ({})",
                body,
                case["why"]
            );
        }
    }

    #[test]
    fn strips_only_response_parameters() {
        assert_eq!(
            strip_response_params("tab=2&code=a&state=s&iss=x&lang=fr%20CA"),
            "tab=2&lang=fr%20CA"
        );
        assert_eq!(strip_response_params("code=a&state=s"), "");
    }
}
