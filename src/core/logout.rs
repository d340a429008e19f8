//! Logging out at the provider: [OpenID Connect RP-Initiated Logout 1.0 §2](https://openid.net/specs/openid-connect-rpinitiated-1_0.html#RPLogout)
//! where the provider has an `end_session_endpoint`, else the broker's Auth0-style
//! `/v2/logout?client_id=...&returnTo=...`.

use super::broker::BrokerOrigin;
use super::encoding::{cat, FormEncoder};
use super::types::ClientId;
use super::web_url::{self, UrlParser};
use super::Error;

use crate::prelude::*;

pub struct LogoutRequest<'a> {
    pub end_session_endpoint: Option<&'a str>,
    /// The broker, for its `/v2/logout` when it has no end_session_endpoint.
    pub broker: Option<&'a BrokerOrigin>,
    pub client_id: &'a ClientId,
    /// The ID token of the session, so the provider knows whom to log out.
    pub id_token_hint: Option<&'a str>,
    pub return_to: Option<&'a str>,
    /// Lock's `federated`: the broker also logs the user out of the identity provider behind
    /// the connection (Auth0's `federated` parameter). Means nothing without a broker.
    pub federated: bool,
}

impl LogoutRequest<'_> {
    /// The logout link, or why there is none. The widget makes it before it forgets anything
    /// or tells the app's other tabs: a logout refused here (a `returnTo` that is not an
    /// http(s) URL without credentials, nowhere to log out) leaves the user signed in.
    pub fn url(&self, urls: &dyn UrlParser) -> Result<String, Error> {
        if let Some(to) = self.return_to {
            web_url::http(urls, to).map_err(|refusal| Error::InvalidOption {
                option: "returnTo".into(),
                reason: refusal.reason().into(),
            })?;
        }
        let prefix = |endpoint: &str| {
            let separator = if super::encoding::has(endpoint, b'?') {
                "&"
            } else {
                "?"
            };
            FormEncoder::with_prefix(&cat(&[endpoint, separator]))
        };
        if let Some(endpoint) = self
            .end_session_endpoint
            .filter(|e| web_url::is_secure(urls, e))
        {
            let mut q = prefix(endpoint);
            if let Some(hint) = self.id_token_hint {
                q.pair("id_token_hint", hint);
            }
            q.pair("client_id", self.client_id.as_str());
            if let Some(to) = self.return_to {
                q.pair("post_logout_redirect_uri", to);
            }
            if self.federated && self.broker.is_some() {
                q.pair("federated", "");
            }
            return Ok(q.finish());
        }
        let broker = self.broker.ok_or(Error::LogoutUnsupported)?;
        let mut q = prefix(&cat(&[broker.as_str(), "/v2/logout"]));
        q.pair("client_id", self.client_id.as_str());
        if let Some(to) = self.return_to {
            q.pair("returnTo", to);
        }
        if self.federated {
            q.pair("federated", "");
        }
        Ok(q.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::web_url::Whatwg;

    #[test]
    fn uses_the_end_session_endpoint_with_the_id_token_hint() {
        let client = ClientId::new("app");
        let url = LogoutRequest {
            end_session_endpoint: Some("https://idp.example.com/logout"),
            broker: None,
            client_id: &client,
            id_token_hint: Some("h.p.s"),
            return_to: Some("https://app.example.com/bye"),
            federated: true,
        }
        .url(&Whatwg)
        .expect("url");
        assert_eq!(
            url,
            "https://idp.example.com/logout?id_token_hint=h.p.s&client_id=app\
             &post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2Fbye",
            "federated means nothing to a provider that is not a broker"
        );
    }

    #[test]
    fn falls_back_to_the_brokers_v2_logout() {
        let client = ClientId::new("app");
        let broker = BrokerOrigin::parse("tenant.example.com", &Whatwg).expect("broker");
        // (end_session_endpoint, id_token_hint, returnTo, federated) -> the link.
        let link = |end_session, hint, return_to, federated| {
            LogoutRequest {
                end_session_endpoint: end_session,
                broker: Some(&broker),
                client_id: &client,
                id_token_hint: hint,
                return_to,
                federated,
            }
            .url(&Whatwg)
            .expect("url")
        };
        assert_eq!(
            link(None, Some("ignored"), Some("https://app.example.com/"), false),
            "https://tenant.example.com/v2/logout?client_id=app&returnTo=https%3A%2F%2Fapp.example.com%2F"
        );
        assert_eq!(
            link(None, None, None, true),
            "https://tenant.example.com/v2/logout?client_id=app&federated="
        );
        assert_eq!(
            link(
                Some("https://tenant.example.com/oidc/logout"),
                None,
                None,
                true
            ),
            "https://tenant.example.com/oidc/logout?client_id=app&federated="
        );
    }

    #[test]
    fn without_endpoint_or_broker_there_is_nothing_to_call() {
        let client = ClientId::new("app");
        let request = LogoutRequest {
            end_session_endpoint: Some("http://idp.example.com/logout"),
            broker: None,
            client_id: &client,
            id_token_hint: None,
            return_to: None,
            federated: false,
        };
        assert_eq!(request.url(&Whatwg), Err(Error::LogoutUnsupported));
    }

    #[test]
    fn return_to_must_be_absolute() {
        let client = ClientId::new("app");
        let broker = BrokerOrigin::parse("tenant.example.com", &Whatwg).expect("broker");
        let request = LogoutRequest {
            end_session_endpoint: None,
            broker: Some(&broker),
            client_id: &client,
            id_token_hint: None,
            return_to: Some("javascript:alert(1)"),
            federated: false,
        };
        assert!(matches!(
            request.url(&Whatwg),
            Err(Error::InvalidOption { .. })
        ));
    }
}
