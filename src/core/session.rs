//! The signed-in user's login, as one record: the ID token (the hint `logout()` sends), the
//! access token with its type, scope and expiry, the connection and the client id it was made
//! for, and the user. It is made by a login, changed by renewals (this tab's or another's),
//! kept across a reload with `auth.tokenStorage: 'sessionStorage'`, and restored and forgotten
//! whole: there is no second record of "signed in" to fall out of step with it. The refresh
//! token is not part of it: it never leaves the wasm's memory (README, Sessions).

use serde::{Deserialize, Serialize};

use super::error::ProviderCode;
use super::payload::Tokens;
use super::silent::still_good;
use super::tabs::{Asked, Renewal};
use super::token::TokenResponse;
use super::Error;

use crate::prelude::*;

/// RFC 6750 §4: the token type a bearer token is used with, where a renewal told of none.
pub const DEFAULT_TOKEN_TYPE: &str = "Bearer";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    pub id_token: String,
    pub access_token: Option<String>,
    pub token_type: Option<String>,
    pub scope: Option<String>,
    /// Milliseconds since the epoch: the access token's `expires_in`, else the ID token's
    /// `exp`.
    pub expires_at: f64,
    pub connection: String,
    /// The client id the provider knows (the connection's own for a direct connection): the
    /// `client_id` of the logout request.
    pub client_id: String,
    /// The profile's `user_id`: a renewal another tab tells of is taken only for this user.
    pub user_id: String,
}

impl Session {
    /// The record of a login that has just been validated: `tokens` is the token response of
    /// a code login (none for the front channel's lone ID token), `exp` the ID token's `exp`
    /// in seconds, `now` in milliseconds. The access token's `expires_in` sets the expiry;
    /// without one the ID token's `exp` does.
    pub fn after_login(
        id_token: String,
        tokens: Option<&TokenResponse>,
        exp: i64,
        login: (String, String, String),
        now: f64,
    ) -> Session {
        let (connection, client_id, user_id) = login;
        let expires_at = match tokens.and_then(|t| t.expires_in) {
            Some(seconds) => expiry(now, seconds),
            None => exp as f64 * 1000.0,
        };
        Session {
            id_token,
            access_token: tokens.map(|t| t.access_token.clone()),
            token_type: tokens.map(|t| t.token_type.clone()),
            scope: tokens.and_then(|t| t.scope.clone()),
            expires_at,
            connection,
            client_id,
            user_id,
        }
    }

    /// The access token is DPoP-bound (RFC 9449 §5's `token_type`): it goes with a proof.
    pub fn is_dpop(&self) -> bool {
        self.token_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case(super::token::TokenType::DPoP.as_str()))
    }

    /// What a refresh answer changes: the access token and its type; the scope and the expiry
    /// where it says (RFC 6749 §5.1: an absent `scope` is the one granted before).
    pub fn refreshed(&mut self, tokens: &TokenResponse, now: f64) {
        self.access_token = Some(tokens.access_token.clone());
        self.token_type = Some(tokens.token_type.clone());
        if tokens.scope.is_some() {
            self.scope = tokens.scope.clone();
        }
        if let Some(seconds) = tokens.expires_in {
            self.expires_at = expiry(now, seconds);
        }
    }

    /// Takes another tab's renewal of this same login, asked for what this widget asks for
    /// (`asked`), when it lasts longer than the token held here ([`Renewal::replaces`]);
    /// whether it was taken.
    pub fn adopt(&mut self, renewal: Renewal, asked: &Asked) -> bool {
        if !renewal.replaces(&self.connection, &self.user_id, asked, self.expires_at) {
            return false;
        }
        self.access_token = Some(renewal.access_token);
        self.token_type = Some(renewal.token_type);
        if renewal.scope.is_some() {
            self.scope = renewal.scope;
        }
        self.expires_at = renewal.expires_at;
        true
    }

    /// `other` is a record of this same login (the same user, by the same connection, for the
    /// same client): its refresh token is this login's to spend.
    pub fn same_login(&self, other: &Session) -> bool {
        self.user_id == other.user_id
            && self.connection == other.connection
            && self.client_id == other.client_id
    }

    /// This login's renewed access token as the other tabs are told of it, with what it was
    /// asked for; none without an access token.
    pub fn renewal(&self, asked: Asked) -> Option<Renewal> {
        Some(Renewal {
            connection: self.connection.clone(),
            user_id: self.user_id.clone(),
            audience: asked.audience,
            asked_scope: asked.scope,
            access_token: self.access_token.clone()?,
            token_type: self
                .token_type
                .clone()
                .unwrap_or_else(|| DEFAULT_TOKEN_TYPE.to_owned()),
            scope: self.scope.clone(),
            expires_at: self.expires_at,
        })
    }

    /// The access token while it is good for at least the leeway (`getTokenSilently`).
    pub fn good_access_token(&self, now: f64, leeway_secs: u64) -> Option<&str> {
        self.access_token
            .as_deref()
            .filter(|_| still_good(self.expires_at, now, leeway_secs))
    }

    /// Past its expiry: `getTokens()` and `getUser()` answer null, and the record goes.
    pub fn is_expired(&self, now: f64) -> bool {
        self.expires_at <= now
    }

    /// What `getTokens()` returns.
    pub fn tokens(&self) -> Tokens<'_> {
        Tokens {
            id_token: &self.id_token,
            access_token: self.access_token.as_deref(),
            token_type: self.token_type.as_deref(),
            scope: self.scope.as_deref(),
            expires_at: self.expires_at,
        }
    }
}

fn expiry(now: f64, seconds: u64) -> f64 {
    now + seconds as f64 * 1000.0
}

/// RFC 6749 §5.2: a refresh token the provider refuses as `invalid_grant` (used twice,
/// revoked, expired) means the user is signed out; any other failure (the network, a
/// provider that is down) leaves the session as it was, to be renewed again later.
pub fn refusal_signs_out(error: &Error) -> bool {
    matches!(
        error,
        Error::Provider {
            error: ProviderCode::InvalidGrant,
            ..
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_in: Option<u64>, scope: Option<&str>) -> TokenResponse {
        TokenResponse {
            access_token: "at2".into(),
            token_type: "DPoP".into(),
            id_token: None,
            expires_in,
            scope: scope.map(Into::into),
            refresh_token: None,
        }
    }

    fn login() -> (String, String, String) {
        ("acme".into(), "app".into(), "oidc|acme|alice".into())
    }

    #[test]
    fn the_same_login_is_the_same_user_connection_and_client_whatever_its_tokens() {
        let alice = Session::after_login("id".into(), None, 5, login(), 1_000.0);
        let mut renewed = alice.clone();
        renewed.id_token = "id2".into();
        renewed.access_token = Some("at3".into());
        assert!(alice.same_login(&renewed));
        for other in [
            ("acme", "app", "oidc|acme|bob"),
            ("other", "app", "oidc|acme|alice"),
            ("acme", "app2", "oidc|acme|alice"),
        ] {
            let (c, id, user) = other;
            let them = Session::after_login(
                "id".into(),
                None,
                5,
                (c.into(), id.into(), user.into()),
                1_000.0,
            );
            assert!(!alice.same_login(&them), "{other:?}");
        }
    }

    #[test]
    fn the_access_tokens_lifetime_sets_the_expiry_else_the_id_tokens_exp() {
        let at = Session::after_login(
            "id".into(),
            Some(&tokens(Some(60), None)),
            5,
            login(),
            1_000.0,
        );
        assert_eq!(at.expires_at, 61_000.0);
        assert_eq!(at.access_token.as_deref(), Some("at2"));
        let id_only = Session::after_login("id".into(), None, 5, login(), 1_000.0);
        assert_eq!(id_only.expires_at, 5_000.0);
        assert_eq!(id_only.access_token, None);
        assert_eq!(id_only.client_id, "app");
        assert_eq!(id_only.user_id, "oidc|acme|alice");
    }

    #[test]
    fn a_refresh_keeps_the_scope_and_expiry_it_does_not_restate() {
        let mut s = Session::after_login(
            "id".into(),
            Some(&tokens(Some(60), Some("openid a"))),
            5,
            login(),
            0.0,
        );
        s.refreshed(&tokens(None, None), 10_000.0);
        assert_eq!(s.scope.as_deref(), Some("openid a"));
        assert_eq!(s.expires_at, 60_000.0);
        s.refreshed(&tokens(Some(30), Some("openid b")), 10_000.0);
        assert_eq!(s.scope.as_deref(), Some("openid b"));
        assert_eq!(s.expires_at, 40_000.0);
        assert_eq!(s.id_token, "id", "the ID token for logout stays");
    }

    fn asked(audience: Option<&str>) -> Asked {
        Asked {
            audience: audience.map(Into::into),
            scope: "openid profile".into(),
        }
    }

    #[test]
    fn a_renewal_defaults_to_bearer_and_needs_an_access_token() {
        let mut s = Session::after_login("id".into(), None, 5, login(), 0.0);
        assert_eq!(s.renewal(asked(None)), None);
        s.access_token = Some("at".into());
        let r = s.renewal(asked(Some("api"))).expect("a renewal");
        assert_eq!(r.token_type, DEFAULT_TOKEN_TYPE);
        assert_eq!(r.user_id, "oidc|acme|alice");
        assert_eq!(r.audience.as_deref(), Some("api"));
        s.token_type = Some("DPoP".into());
        assert_eq!(
            s.renewal(asked(None)).map(|r| r.token_type).as_deref(),
            Some("DPoP")
        );
    }

    #[test]
    fn another_tabs_renewal_is_taken_only_when_it_is_this_login_and_lasts_longer() {
        let mut s =
            Session::after_login("id".into(), Some(&tokens(Some(1), None)), 5, login(), 0.0);
        let mut r = s.renewal(asked(Some("api"))).expect("a renewal");
        r.access_token = "newer".into();
        r.expires_at = 9_000.0;
        let mut other_user = r.clone();
        other_user.user_id = "oidc|acme|bob".into();
        assert!(!s.adopt(other_user, &asked(Some("api"))));
        assert!(
            !s.adopt(r.clone(), &asked(Some("other-api"))),
            "a token for another API"
        );
        assert!(s.adopt(r.clone(), &asked(Some("api"))));
        assert_eq!(s.access_token.as_deref(), Some("newer"));
        assert_eq!(s.expires_at, 9_000.0);
        assert!(
            !s.adopt(r, &asked(Some("api"))),
            "not longer than the one held"
        );
    }

    #[test]
    fn a_taken_renewal_brings_its_scope_and_one_that_says_none_keeps_the_held_scope() {
        let mut s = Session::after_login(
            "id".into(),
            Some(&tokens(Some(1), Some("openid a"))),
            5,
            login(),
            0.0,
        );
        let mut r = s.renewal(asked(None)).expect("a renewal");
        r.expires_at = 9_000.0;
        r.scope = None;
        assert!(s.adopt(r.clone(), &asked(None)));
        assert_eq!(s.scope.as_deref(), Some("openid a"));
        r.expires_at = 10_000.0;
        r.scope = Some("openid b".into());
        r.token_type = "Bearer".into();
        assert!(s.adopt(r, &asked(None)));
        assert_eq!(s.scope.as_deref(), Some("openid b"));
        assert_eq!(s.token_type.as_deref(), Some("Bearer"));
    }

    #[test]
    fn a_token_is_good_only_while_it_outlives_the_leeway() {
        let s = Session::after_login("id".into(), Some(&tokens(Some(120), None)), 5, login(), 0.0);
        assert_eq!(s.good_access_token(59_000.0, 60), Some("at2"));
        assert_eq!(s.good_access_token(60_000.0, 60), None);
        assert!(!s.is_expired(119_999.0));
        assert!(s.is_expired(120_000.0));
        assert!(s.is_expired(500_000.0), "long past its expiry");
        assert_eq!(s.good_access_token(500_000.0, 0), None);
    }

    #[test]
    fn only_invalid_grant_signs_out() {
        let refused = |code: &str| Error::Provider {
            error: code.into(),
            description: String::new(),
        };
        assert!(refusal_signs_out(&refused("invalid_grant")));
        assert!(!refusal_signs_out(&refused("temporarily_unavailable")));
        assert!(!refusal_signs_out(&Error::Network {
            url: "u".into(),
            detail: "d".into()
        }));
    }

    #[test]
    fn a_record_stored_before_the_client_id_was_kept_is_not_restored() {
        let s = Session::after_login("id".into(), None, 5, login(), 0.0);
        let text = serde_json::to_string(&s).expect("json");
        assert!(serde_json::from_str::<Session>(&text).is_ok());
        let old = text.replace(r#","clientId":"app""#, "");
        assert!(serde_json::from_str::<Session>(&old).is_err(), "{old}");
    }
}
