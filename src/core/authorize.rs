//! The authorization request: [RFC 6749 §4.1.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1)
//! with PKCE ([RFC 7636 §4.3](https://www.rfc-editor.org/rfc/rfc7636#section-4.3)) and the
//! OpenID Connect `nonce` ([Core §3.1.2.1](https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest)).

use super::encoding::{cat, FormEncoder};
use super::transaction::{Flow, Transaction};
use super::Error;

use crate::prelude::*;

/// Parameters the widget sets itself; `auth.params` may not override them, or a page option
/// could switch off replay or PKCE protection. `state` is not among them: Lock's
/// `auth.params.state` is the app's own value, kept and handed back as `authResult.state`,
/// while the widget sends its own `state` against CSRF ([`AuthParams::state`]).
pub const RESERVED_PARAMS: [&str; 9] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "response_mode",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "code_verifier",
    "connection",
];

/// The requested scopes, space-separated, `openid` always first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    value: String,
    /// `openid` was missing and has been added; the caller warns about it.
    pub added_openid: bool,
}

impl Scope {
    pub const DEFAULT: &'static str = "openid profile email";

    /// Accepts comma- or space-separated scopes (the seed's connection form uses commas).
    pub fn parse(input: &str) -> Self {
        let mut scopes: Vec<&str> = Vec::new();
        for s in input.split(|c: char| c == ',' || c.is_whitespace()) {
            if !s.is_empty() && !scopes.contains(&s) {
                scopes.push(s);
            }
        }
        let added_openid = !scopes.contains(&"openid");
        scopes.retain(|s| *s != "openid");
        scopes.insert(0, "openid");
        Self {
            value: super::encoding::join(&scopes, " "),
            added_openid,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// `auth.params`: the scope plus any other parameter the app passes through (prompt,
/// login_hint, audience, ui_locales, max_age, ...).
#[derive(Debug, Clone)]
pub struct AuthParams {
    pub scope: Scope,
    /// In the order the app gave them.
    pub extra: Vec<(String, String)>,
    /// `max_age` in seconds, when sent: the ID token must then carry a recent `auth_time`.
    pub max_age: Option<u64>,
    /// Lock's `auth.params.state`: the app's value, returned as `authResult.state`; sent as
    /// the `state` itself only when the app's server takes the code ([`server_url`]).
    pub state: Option<String>,
}

impl AuthParams {
    pub fn new(scope: Scope, mut extra: Vec<(String, String)>) -> Result<Self, Error> {
        let state = extra
            .iter()
            .position(|(k, _)| k == "state")
            .map(|i| extra.remove(i).1);
        if let Some((reserved, _)) = extra
            .iter()
            .find(|(k, _)| RESERVED_PARAMS.contains(&k.as_str()))
        {
            return Err(Error::ReservedParameter(reserved.clone()));
        }
        let max_age = match extra.iter().find(|(k, _)| k == "max_age").map(|(_, v)| v) {
            None => None,
            Some(v) => {
                Some(
                    super::encoding::parse_decimal(v).ok_or_else(|| Error::InvalidOption {
                        option: "auth.params.max_age".into(),
                        reason: "must be a whole number of seconds".into(),
                    })?,
                )
            }
        };
        Ok(Self {
            scope,
            extra,
            max_age,
            state,
        })
    }
}

/// One authorize link, made from a transaction that exists: a link without state, nonce,
/// or (on the back channel) a PKCE challenge cannot be built.
pub struct AuthorizeRequest<'a> {
    pub authorization_endpoint: &'a str,
    pub transaction: &'a Transaction,
    /// The broker picks the upstream connection by `connection=NAME`; a direct provider
    /// gets no such parameter.
    pub send_connection: bool,
    pub scope: &'a Scope,
    /// The app's own parameters (`auth.params` less the scope), already checked.
    pub extra: &'a [(String, String)],
}

impl AuthorizeRequest<'_> {
    /// The parameters come in the order of the seed's direct link (`client_id`,
    /// `response_type`, `redirect_uri`, `state`, `connection`), then scope, nonce, PKCE and
    /// the app's own parameters.
    pub fn url(&self) -> String {
        let tx = self.transaction;
        let endpoint = self.authorization_endpoint;
        let separator = if !super::encoding::has(endpoint, b'?') {
            "?"
        } else if endpoint.ends_with(['?', '&']) {
            ""
        } else {
            "&"
        };
        let mut q = FormEncoder::with_prefix(&cat(&[endpoint, separator]));
        q.pair("client_id", tx.client_id.as_str());
        match &tx.flow {
            Flow::Back(_) => q.pair("response_type", "code"),
            // The seed's Front Channel: the ID token comes back in a POSTed form.
            Flow::Front => q
                .pair("response_type", "id_token")
                .pair("response_mode", "form_post"),
        };
        q.pair("redirect_uri", tx.redirect_uri.as_str())
            .pair("state", tx.state.as_str());
        if self.send_connection {
            q.pair("connection", tx.connection.as_str());
        }
        q.pair("scope", self.scope.as_str())
            .pair("nonce", tx.nonce.as_str());
        if let Flow::Back(exchange) = &tx.flow {
            q.pair(
                "code_challenge",
                exchange.code_verifier.challenge_s256().as_str(),
            )
            .pair("code_challenge_method", "S256");
        }
        for (k, v) in self.extra.iter() {
            q.pair(k, v);
        }
        q.finish()
    }
}

/// The authorize link of a login whose code the app's server exchanges (Lock's
/// `responseType: 'code'` with a server callback): no PKCE challenge, since the server holds
/// no verifier and authenticates with its secret, no nonce, and the app's `state` as given.
pub fn server_url(
    endpoint: &str,
    client_id: &str,
    redirect_uri: &str,
    state: &str,
    connection: &str,
    params: &AuthParams,
    extra: &[(String, String)],
) -> String {
    let mut q = FormEncoder::with_prefix(&cat(&[
        endpoint,
        if super::encoding::has(endpoint, b'?') {
            "&"
        } else {
            "?"
        },
    ]));
    q.pair("client_id", client_id)
        .pair("response_type", "code")
        .pair("redirect_uri", redirect_uri)
        .pair("state", state)
        .pair("connection", connection)
        .pair("scope", params.scope.as_str());
    for (k, v) in extra {
        q.pair(k, v);
    }
    q.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::connection::Channel;
    use crate::core::encoding::parse_params;
    use crate::core::transaction::tests::sample;
    use crate::core::transaction::CodeExchange;
    use crate::core::types::{
        ClientId, ConnectionName, Nonce, PkceCodeVerifier, RedirectUrl, State,
    };

    fn params(extra: &[(&str, &str)]) -> AuthParams {
        AuthParams::new(
            Scope::parse(Scope::DEFAULT),
            extra
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
        .expect("params")
    }

    fn transaction(channel: Channel) -> Transaction {
        let mut tx = sample(0);
        tx.client_id = ClientId::new("CLIENT_ID");
        tx.redirect_uri = RedirectUrl::new("https://app.example.com/callback");
        tx.state = State::new("OPAQUE_VALUE");
        tx.nonce = Nonce::new("NONCE");
        tx.connection = ConnectionName::new("YOUR-AUTH0-CONNECTION-NAME");
        tx.flow = match channel {
            Channel::Back => Flow::Back(CodeExchange {
                code_verifier: PkceCodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                token_endpoint: "https://op.example.com/oauth/token".into(),
            }),
            Channel::Front => Flow::Front,
        };
        tx
    }

    #[test]
    fn seed_direct_link_parameters_come_first_and_unchanged() {
        // The auth0-oidc seed's direct link, then PKCE and nonce.
        let tx = transaction(Channel::Back);
        let p = params(&[]);
        let url = AuthorizeRequest {
            authorization_endpoint: "https://tenant.example.com/authorize",
            transaction: &tx,
            send_connection: true,
            scope: &p.scope,
            extra: &p.extra,
        }
        .url();
        assert_eq!(
            url,
            "https://tenant.example.com/authorize?client_id=CLIENT_ID&response_type=code\
             &redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&state=OPAQUE_VALUE\
             &connection=YOUR-AUTH0-CONNECTION-NAME&scope=openid%20profile%20email&nonce=NONCE\
             &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
    }

    #[test]
    fn front_channel_asks_for_an_id_token_by_form_post_without_pkce() {
        let tx = transaction(Channel::Front);
        let p = params(&[]);
        let url = AuthorizeRequest {
            authorization_endpoint: "https://idp.example.com/authorize",
            transaction: &tx,
            send_connection: false,
            scope: &Scope::parse("openid profile"),
            extra: &p.extra,
        }
        .url();
        assert_eq!(
            url,
            "https://idp.example.com/authorize?client_id=CLIENT_ID&response_type=id_token\
             &response_mode=form_post&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback\
             &state=OPAQUE_VALUE&scope=openid%20profile&nonce=NONCE"
        );
    }

    #[test]
    fn extra_params_are_encoded_and_round_trip() {
        let tx = sample(0);
        let p = params(&[
            ("login_hint", "a b+c@example.com"),
            ("ui_locales", "fr-CA fr"),
        ]);
        let url = AuthorizeRequest {
            authorization_endpoint: "https://op.example.com/auth?tenant=x",
            transaction: &tx,
            send_connection: false,
            scope: &p.scope,
            extra: &p.extra,
        }
        .url();
        let (base, query) = url.split_once('?').expect("query");
        assert_eq!(base, "https://op.example.com/auth");
        let pairs = parse_params(query).expect("parse");
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("tenant"), Some("x"));
        assert_eq!(get("login_hint"), Some("a b+c@example.com"));
        assert_eq!(get("ui_locales"), Some("fr-CA fr"));
        assert_eq!(get("connection"), None);
        assert_eq!(get("code_challenge_method"), Some("S256"));
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        let mut unique = keys.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "no parameter twice: {keys:?}");
    }

    #[test]
    fn scopes_accept_commas_and_always_start_with_openid() {
        let s = Scope::parse("profile,email");
        assert_eq!(s.as_str(), "openid profile email");
        assert!(s.added_openid);
        let s = Scope::parse(" email  openid profile email ");
        assert_eq!(s.as_str(), "openid email profile");
        assert!(!s.added_openid);
    }

    #[test]
    fn reserved_parameters_cannot_be_overridden() {
        for name in RESERVED_PARAMS {
            let extra = vec![(name.to_owned(), "x".to_owned())];
            assert_eq!(
                AuthParams::new(Scope::parse("openid"), extra).unwrap_err(),
                Error::ReservedParameter(name.to_owned())
            );
        }
    }

    #[test]
    fn max_age_must_be_whole_seconds() {
        assert_eq!(params(&[("max_age", "300")]).max_age, Some(300));
        let extra = vec![("max_age".to_owned(), "soon".to_owned())];
        assert!(AuthParams::new(Scope::parse("openid"), extra).is_err());
    }
}
