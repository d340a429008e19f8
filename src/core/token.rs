//! The token request and response for the authorization code grant
//! ([RFC 6749 §4.1.3–§5.2](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3)), as a public
//! client: no secret, the PKCE verifier instead ([RFC 7636 §4.5](https://www.rfc-editor.org/rfc/rfc7636#section-4.5)).

use super::encoding::{cat, FormEncoder};
use super::transaction::{CodeExchange, Transaction};
use super::types::{AuthorizationCode, ClientId, RefreshToken};
use super::Error;

use crate::prelude::*;
use serde::Deserialize;

/// The token endpoint and the `application/x-www-form-urlencoded` body of the token
/// request: only the back channel's flow has a code to exchange ([`CodeExchange`]).
pub fn token_request(
    code: &AuthorizationCode,
    exchange: &CodeExchange,
    tx: &Transaction,
) -> (String, String) {
    let mut body = FormEncoder::default();
    body.pair("grant_type", "authorization_code")
        .pair("code", code.secret())
        .pair("redirect_uri", tx.redirect_uri.as_str())
        .pair("client_id", tx.client_id.as_str())
        .pair("code_verifier", exchange.code_verifier.secret());
    (exchange.token_endpoint.clone(), body.finish())
}

/// The body of a refresh request (§6), as a public client: the token and the client id.
pub fn refresh_request(refresh_token: &RefreshToken, client_id: &ClientId) -> String {
    let mut body = FormEncoder::default();
    body.pair("grant_type", "refresh_token")
        .pair("refresh_token", refresh_token.secret())
        .pair("client_id", client_id.as_str());
    body.finish()
}

/// A successful token response (§5.1) for an OpenID Connect login.
#[derive(Debug, Deserialize)]
pub struct TokenResponse {
    pub access_token: String,
    pub token_type: String,
    /// OpenID Connect Core §3.1.3.3: an ID token is required in this response.
    pub id_token: Option<String>,
    pub expires_in: Option<u64>,
    pub scope: Option<String>,
    /// With `auth.useRefreshTokens`; a refresh answer may carry a new one (rotation).
    pub refresh_token: Option<RefreshToken>,
}

/// An error response (§5.2).
#[derive(Debug, Deserialize)]
pub struct TokenErrorResponse {
    pub error: String,
    pub error_description: Option<String>,
}

impl TokenResponse {
    /// RFC 6749 §5.1: a response that leaves `scope` out granted the scope asked for.
    pub fn default_scope(&mut self, asked: Option<&str>) {
        if self.scope.is_none() {
            self.scope = asked.map(str::to_owned);
        }
    }

    /// Checks what the spec makes mandatory and returns the ID token.
    /// The token type is `expected` ([`TokenResponse::checked_token_type`]).
    pub fn checked_id_token(&self, expected: TokenType) -> Result<&str, Error> {
        self.checked_token_type(expected)?;
        match self.id_token.as_deref() {
            Some(t) if !t.is_empty() => Ok(t),
            _ => Err(Error::InvalidTokenResponse(
                "no id_token (was the openid scope granted?)".into(),
            )),
        }
    }
}

/// The `token_type` a response must name (RFC 6749 §7.1, compared without case): Bearer, or
/// DPoP when the request carried a proof (RFC 9449 §5: a provider that answers a proof with
/// a Bearer token has not bound it, and the widget does not take it as bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenType {
    Bearer,
    DPoP,
}

impl TokenType {
    /// DPoP for a request that carried a proof, else Bearer.
    pub fn of(dpop: bool) -> Self {
        match dpop {
            true => TokenType::DPoP,
            false => TokenType::Bearer,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TokenType::Bearer => "Bearer",
            TokenType::DPoP => "DPoP",
        }
    }
}

impl TokenResponse {
    /// The response's `token_type` is `expected`.
    pub fn checked_token_type(&self, expected: TokenType) -> Result<(), Error> {
        if !self.token_type.eq_ignore_ascii_case(expected.as_str()) {
            return Err(Error::InvalidTokenResponse(cat(&[
                "token_type `",
                &self.token_type,
                "` is not ",
                expected.as_str(),
            ])));
        }
        Ok(())
    }
}

impl From<TokenErrorResponse> for Error {
    fn from(e: TokenErrorResponse) -> Self {
        Error::Provider {
            error: e.error.into(),
            description: e.error_description.unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod refresh_tests {
    use super::*;

    #[test]
    fn a_refresh_request_sends_the_token_and_the_client_only() {
        let body = refresh_request(&RefreshToken::new("r t/1"), &ClientId::new("app"));
        assert_eq!(
            body,
            "grant_type=refresh_token&refresh_token=r%20t%2F1&client_id=app"
        );
        let rotated: TokenResponse = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","expires_in":60,"refresh_token":"r2"}"#,
        )
        .expect("response");
        assert_eq!(
            rotated.refresh_token.map(|r| r.secret().to_owned()),
            Some("r2".into())
        );
        assert!(!format!("{:?}", RefreshToken::new("r2")).contains("r2"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::from_json;
    use crate::core::encoding::parse_params;
    use crate::core::transaction::tests::sample;
    use crate::core::transaction::Flow;

    #[test]
    fn body_carries_code_redirect_client_and_verifier() {
        let tx = sample(0);
        let Flow::Back(exchange) = &tx.flow else {
            panic!("a code login")
        };
        let (endpoint, body) = token_request(&AuthorizationCode::new("c o&de"), exchange, &tx);
        assert_eq!(endpoint, "https://op.example.com/oauth/token");
        let pairs = parse_params(&body).expect("form");
        let expect = [
            ("grant_type", "authorization_code".to_owned()),
            ("code", "c o&de".to_owned()),
            ("redirect_uri", "https://app.example.com/".to_owned()),
            ("client_id", "app".to_owned()),
            ("code_verifier", "v".repeat(43)),
        ];
        assert_eq!(pairs.len(), expect.len());
        for ((k, v), (ek, ev)) in pairs.iter().zip(expect.iter()) {
            assert_eq!((k.as_str(), v), (*ek, ev));
        }
        assert!(!body.contains("client_secret"));
    }

    #[test]
    fn a_response_without_scope_granted_the_scope_asked_for() {
        let read = |text: &str| from_json::<TokenResponse>(text).expect("json");
        let mut silent = read(r#"{"access_token":"a","token_type":"Bearer"}"#);
        silent.default_scope(Some("openid profile"));
        assert_eq!(silent.scope.as_deref(), Some("openid profile"));
        let mut narrowed = read(r#"{"access_token":"a","token_type":"Bearer","scope":"openid"}"#);
        narrowed.default_scope(Some("openid profile"));
        assert_eq!(
            narrowed.scope.as_deref(),
            Some("openid"),
            "the granted scope stands"
        );
    }

    #[test]
    fn a_request_with_a_dpop_proof_takes_only_a_dpop_token() {
        let read = |token_type: &str| {
            from_json::<TokenResponse>(
                &[
                    "{\"access_token\":\"a\",\"token_type\":\"",
                    token_type,
                    "\"}",
                ]
                .concat(),
            )
            .expect("json")
        };
        assert_eq!(read("DPoP").checked_token_type(TokenType::DPoP), Ok(()));
        assert_eq!(read("dpop").checked_token_type(TokenType::DPoP), Ok(()));
        // RFC 9449 §5: a Bearer answer to a proof is a token not bound to the key.
        assert_eq!(
            read("Bearer").checked_token_type(TokenType::DPoP),
            Err(Error::InvalidTokenResponse(
                "token_type `Bearer` is not DPoP".into()
            ))
        );
        assert!(read("DPoP").checked_token_type(TokenType::Bearer).is_err());
    }

    #[test]
    fn requires_bearer_and_an_id_token() {
        let ok = from_json::<TokenResponse>(
            r#"{"access_token":"a","token_type":"bearer","id_token":"x.y.z","expires_in":3600}"#,
        )
        .expect("json");
        assert_eq!(ok.checked_id_token(TokenType::Bearer), Ok("x.y.z"));
        let no_id = from_json::<TokenResponse>(r#"{"access_token":"a","token_type":"Bearer"}"#)
            .expect("json");
        assert!(matches!(
            no_id.checked_id_token(TokenType::Bearer),
            Err(Error::InvalidTokenResponse(_))
        ));
        let mac = from_json::<TokenResponse>(
            r#"{"access_token":"a","token_type":"mac","id_token":"x.y.z"}"#,
        )
        .expect("json");
        assert!(matches!(
            mac.checked_id_token(TokenType::Bearer),
            Err(Error::InvalidTokenResponse(_))
        ));
        // A proof was sent: the answer must be a DPoP token (RFC 9449 §5).
        assert!(matches!(
            ok.checked_id_token(TokenType::of(true)),
            Err(Error::InvalidTokenResponse(_))
        ));
        assert_eq!(TokenType::of(false), TokenType::Bearer);
    }

    #[test]
    fn error_responses_keep_the_providers_words() {
        let e = from_json::<TokenErrorResponse>(
            r#"{"error":"invalid_grant","error_description":"PKCE verification failed"}"#,
        )
        .expect("json");
        let err = Error::from(e);
        assert_eq!(err.code(), "invalid_grant");
        assert_eq!(err.to_string(), "PKCE verification failed");
    }
}
