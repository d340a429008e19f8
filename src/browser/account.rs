//! What the app asks of the signed-in user's account at the provider: the userinfo claims
//! (Lock's `getUserInfo`) and the logout.

use wasm_bindgen::JsValue;

use crate::core::connection::Route;
use crate::core::discovery::Endpoints;
#[cfg(feature = "dpop")]
use crate::core::dpop::resource_retry;
use crate::core::logout::LogoutRequest;
use crate::core::request::Kind;
use crate::core::settings::DPOP;
use crate::core::tabs::TabMessage;
#[cfg(not(feature = "dpop"))]
use crate::core::token::TokenType;
use crate::core::types::ClientId;
use crate::core::Error;

use super::json;
use super::net;
use super::page::{self, BrowserUrls};
use super::widget::Widget;

fn unavailable(url: &str, detail: String) -> Error {
    Error::UserInfoUnavailable {
        url: url.to_owned(),
        detail,
    }
}

impl Widget {
    /// The provider endpoints of this page's login (its connection's), else the broker's, and
    /// whether they are a broker's; none with neither a login nor a broker.
    async fn account_endpoints(&self) -> Result<Option<(Endpoints, bool)>, Error> {
        let settings = &self.settings;
        let documents = &self.documents;
        match self.session.with(|s| s.connection.clone()) {
            Some(name) => {
                let connection = documents.connection(settings, &name).await?;
                let endpoints = documents.endpoints(settings, &connection).await?;
                Ok(Some((endpoints, connection.route == Route::Broker)))
            }
            None if settings.broker.is_none() => Ok(None),
            None => Ok(Some((documents.broker_endpoints(settings).await?, true))),
        }
    }

    /// The user's claims from the provider's userinfo endpoint (OpenID Connect Core §5.3),
    /// for Lock's `getUserInfo(accessToken)`: the endpoint of this session's connection, else
    /// the broker's, as their discovery documents name it.
    pub async fn user_info(&self, access_token: &str) -> Result<JsValue, Error> {
        self.ready().await;
        let url = self
            .account_endpoints()
            .await?
            .and_then(|(endpoints, _)| endpoints.userinfo_endpoint)
            .ok_or(Error::UserInfoUnsupported)?;
        // A DPoP-bound token goes with a proof: the session's, when it is its token.
        let dpop = DPOP
            && self
                .session
                .with(|s| s.access_token.as_deref() == Some(access_token) && s.is_dpop())
                == Some(true);
        let text = self.userinfo_text(&url, access_token, dpop).await?;
        let claims = json::parse(&text);
        match claims.is_object() && !js_sys::Array::is_array(&claims) {
            true => Ok(claims),
            false => Err(unavailable(&url, "the answer is not a JSON object".into())),
        }
    }

    /// The body of the userinfo endpoint's answer at `url` for `access_token`, a Bearer token.
    #[cfg(not(feature = "dpop"))]
    pub(super) async fn userinfo_text(
        &self,
        url: &str,
        access_token: &str,
        _: bool,
    ) -> Result<String, Error> {
        let deadline = self.settings.deadline(Kind::UserInfo);
        let authorization = [TokenType::Bearer.as_str(), " ", access_token].concat();
        net::get_with_token(url, &authorization, None, deadline)
            .await
            .and_then(net::Answer::ok)
            .map_err(|failure| failure.error(Kind::UserInfo, url, |d| unavailable(url, d)))
    }

    /// The body of the userinfo endpoint's answer at `url` for `access_token`: with a proof
    /// when `dpop` (a DPoP-bound token), sent once more with the nonce the server asks for
    /// (RFC 9449 §9).
    #[cfg(feature = "dpop")]
    pub(super) async fn userinfo_text(
        &self,
        url: &str,
        access_token: &str,
        dpop: bool,
    ) -> Result<String, Error> {
        let deadline = self.settings.deadline(Kind::UserInfo);
        let mut retried = false;
        loop {
            let (authorization, proof) = self
                .dpop
                .authorization("GET", url, access_token, dpop)
                .await?;
            let answer = net::get_with_token(url, &authorization, proof.as_deref(), deadline)
                .await
                .map_err(|failure| failure.error(Kind::UserInfo, url, |d| unavailable(url, d)))?;
            if dpop {
                let nonce = answer.dpop_nonce.as_deref();
                self.dpop.heard(url, nonce);
                if resource_retry(answer.status, answer.challenge.as_deref(), nonce, retried)
                    .is_some()
                {
                    retried = true;
                    continue;
                }
            }
            return answer
                .ok()
                .map_err(|failure| failure.error(Kind::UserInfo, url, |d| unavailable(url, d)));
        }
    }

    /// Logs out at the provider (its end_session_endpoint, or the broker's `/v2/logout`) and
    /// comes back to `return_to`; the logout link. The link is made and checked first: a
    /// logout that cannot be sent forgets nothing. Then the login is forgotten here and in
    /// the app's other tabs, and the page leaves.
    pub async fn logout(&self, return_to: Option<&str>, federated: bool) -> Result<String, Error> {
        self.ready().await;
        let settings = &self.settings;
        // The login's own client and ID token (the hint), else the app's, without a hint; read
        // with the login's connection, before anything is awaited.
        let (client_id, hint) = self
            .session
            .with(|s| (ClientId::new(s.client_id.clone()), Some(s.id_token.clone())))
            .unwrap_or_else(|| (settings.client_id.clone(), None));
        let (endpoints, by_broker) = self
            .account_endpoints()
            .await?
            .ok_or(Error::LogoutUnsupported)?;
        let broker = settings.broker.as_ref().filter(|_| by_broker);
        let end_session = endpoints.end_session_endpoint;
        let url = LogoutRequest {
            end_session_endpoint: end_session.as_deref(),
            broker,
            client_id: &client_id,
            id_token_hint: hint.as_deref(),
            return_to,
            federated,
        }
        .url(&BrowserUrls)?;
        self.forget();
        self.tell_tabs(TabMessage::SignedOut);
        // Deleted before the page leaves: a reload must not find the key or the login.
        #[cfg(feature = "dpop")]
        self.forget_dpop_key().await;
        page::navigate(&url);
        Ok(url)
    }
}
