//! What the app asks of the signed-in user's account at the provider: the userinfo claims
//! (Lock's `getUserInfo`) and the logout.

use wasm_bindgen::JsValue;

use crate::core::broker::BrokerOrigin;
use crate::core::logout::LogoutRequest;
use crate::core::request::Kind;
use crate::core::tabs::TabMessage;
use crate::core::types::ClientId;
use crate::core::Error;

use super::json;
use super::net;
use super::page::{self, BrowserUrls};
use super::widget::Widget;

impl Widget {
    /// The user's claims from the provider's userinfo endpoint (OpenID Connect Core §5.3),
    /// for Lock's `getUserInfo(accessToken)`: the endpoint of this session's connection, else
    /// the broker's, as their discovery documents name it.
    pub async fn user_info(&self, access_token: &str) -> Result<JsValue, Error> {
        self.ready().await;
        let settings = &self.settings;
        let documents = &self.documents;
        let connection = self.session.with(|s| s.connection.clone());
        let endpoint = match connection {
            Some(name) => {
                let connection = documents.connection(settings, &name).await?;
                documents.endpoints(settings, &connection).await?
            }
            None if settings.broker.is_none() => return Err(Error::UserInfoUnsupported),
            None => documents.broker_endpoints(settings).await?,
        };
        let url = endpoint
            .userinfo_endpoint
            .ok_or(Error::UserInfoUnsupported)?;
        let unavailable = |detail: String| Error::UserInfoUnavailable {
            url: url.clone(),
            detail,
        };
        let text = net::get_bearer(&url, access_token, settings.deadline(Kind::UserInfo))
            .await
            .and_then(net::Answer::ok)
            .map_err(|failure| failure.error(Kind::UserInfo, &url, unavailable))?;
        let claims = json::parse(&text);
        match claims.is_object() && !js_sys::Array::is_array(&claims) {
            true => Ok(claims),
            false => Err(unavailable("the answer is not a JSON object".into())),
        }
    }

    /// Logs out at the provider (its end_session_endpoint, or the broker's `/v2/logout`) and
    /// comes back to `return_to`; the logout link. The link is made and checked first: a
    /// logout that cannot be sent forgets nothing. Then the login is forgotten here and in
    /// the app's other tabs, and the page leaves.
    pub async fn logout(&self, return_to: Option<&str>, federated: bool) -> Result<String, Error> {
        self.ready().await;
        let settings = &self.settings;
        let documents = &self.documents;
        // The login's own connection, client and ID token (the hint), else the broker's
        // logout without a hint.
        let login = self.session.with(|s| {
            (
                s.connection.clone(),
                s.client_id.clone(),
                s.id_token.clone(),
            )
        });
        let (end_session, broker, client_id, hint): (_, Option<&BrokerOrigin>, _, _) = match login {
            Some((connection, client_id, id_token)) => {
                let connection = documents.connection(settings, &connection).await?;
                let broker = match connection.route {
                    crate::core::connection::Route::Broker => settings.broker.as_ref(),
                    crate::core::connection::Route::Direct(_) => None,
                };
                let endpoints = documents.endpoints(settings, &connection).await?;
                (
                    endpoints.end_session_endpoint,
                    broker,
                    ClientId::new(client_id),
                    Some(id_token),
                )
            }
            None => {
                let broker = settings.broker.as_ref().ok_or(Error::LogoutUnsupported)?;
                let endpoints = documents.broker_endpoints(settings).await?;
                (
                    endpoints.end_session_endpoint,
                    Some(broker),
                    settings.client_id.clone(),
                    None,
                )
            }
        };
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
        page::navigate(&url);
        Ok(url)
    }
}
