//! The start of a login, decided whole before anything is stored or sent: which client and
//! scope the chosen connection logs in with, how its answer comes back (leaving the page, or
//! by web message to a hidden iframe or a popup, or at the silent-callback page), the
//! transaction that binds the answer to this browser, and the authorize link. The browser
//! layer fetches the documents this needs, draws the random bytes, stores the transaction and
//! goes to the link.

use super::authorize::{AuthParams, AuthorizeRequest, Scope};
use super::connection::{Channel, Connection, Route};
use super::discovery::Endpoints;
use super::encoding::{cat, FormEncoder};
use super::settings::Settings;
use super::silent;
use super::transaction::{CodeExchange, Delivery, Flow, Transaction};
use super::types::{ClientId, Entropy, Nonce, PkceCodeVerifier, RedirectUrl, State};
use super::Error;

use crate::prelude::*;

/// How a login's answer comes back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// To the redirect URL, leaving the page.
    Redirect,
    /// By web message to a hidden iframe, with `prompt=none` (`checkSession`).
    Silent,
    /// By web message to the window that opened the popup.
    Popup,
}

/// A login checked against the connection it uses and the provider's endpoints, not yet
/// started.
#[derive(Debug)]
pub struct Plan<'a> {
    connection: &'a Connection,
    endpoints: &'a Endpoints,
    mode: Mode,
    client_id: ClientId,
    channel: Channel,
    /// The back channel's token endpoint.
    token_endpoint: Option<String>,
    scope: Scope,
    /// Where the profile is completed from: see [`Transaction::userinfo`].
    userinfo: Option<String>,
    params: &'a AuthParams,
    redirect_uri: RedirectUrl,
    /// The silent-callback page the answer comes to, for a provider without `web_message`.
    callback: Option<RedirectUrl>,
    /// The login's tokens are bound to the widget's DPoP key: the link then carries the
    /// key's thumbprint (`dpop_jkt`, RFC 9449 §10) and every token request a proof; the
    /// transaction keeps it ([`Transaction::dpop`]).
    #[cfg(feature = "dpop")]
    dpop: bool,
}

/// What [`Plan::start`] made: the transaction to store before leaving, and the link.
#[derive(Debug)]
pub struct Started {
    pub transaction: Transaction,
    pub url: String,
}

impl<'a> Plan<'a> {
    /// The login of `connection` in `mode`. The broker's connections use the app's client id
    /// and `auth.params`' scope (`params`: the showing's own while it is on screen, else the
    /// widget's); a direct connection its own, with `offline_access` under
    /// `auth.useRefreshTokens` (OpenID Connect Core §11) where the provider does not say it
    /// lacks it. Only the back channel can answer without leaving the page: the front
    /// channel's answer is a form POST to the redirect URL.
    pub fn new(
        settings: &'a Settings,
        connection: &'a Connection,
        endpoints: &'a Endpoints,
        params: &'a AuthParams,
        mode: Mode,
    ) -> Result<Self, Error> {
        let (client_id, channel, mut scope, userinfo) = match &connection.route {
            Route::Broker => (
                settings.client_id.clone(),
                Channel::Back,
                params.scope.clone(),
                None,
            ),
            Route::Direct(d) => (
                d.client_id.clone(),
                d.channel,
                d.scope.clone(),
                endpoints
                    .userinfo_endpoint
                    .clone()
                    .filter(|_| d.profile_from_userinfo && d.channel == Channel::Back),
            ),
        };
        if settings.use_refresh_tokens
            && channel == Channel::Back
            && endpoints.offline_access
            && connection.route != Route::Broker
        {
            scope = Scope::parse(&cat(&[scope.as_str(), " offline_access"]));
        }
        if mode != Mode::Redirect && channel != Channel::Back {
            return Err(Error::SilentAuthUnsupported(
                connection.name.as_str().to_owned(),
            ));
        }
        // Without web_message, the answer comes to the silent-callback page, where the
        // waiting window reads it.
        let token_endpoint = match channel {
            Channel::Back => Some(
                endpoints
                    .token_endpoint
                    .clone()
                    .ok_or(Error::DiscoveryMissingField("token_endpoint"))?,
            ),
            Channel::Front => None,
        };
        // DPoP (RFC 9449) binds the tokens of a code exchange: with `auth.dpop`, or for a
        // connection that requires it. The front channel has no token request to bind.
        #[cfg(feature = "dpop")]
        let dpop = channel == Channel::Back
            && (settings.dpop || connection.requirement.requires.iter().any(|r| r == "dpop"));
        #[cfg(feature = "dpop")]
        if dpop && !endpoints.dpop_es256 {
            return Err(Error::InvalidDpop(
                "DPoP: the provider's discovery document lists no ES256 in dpop_signing_alg_values_supported (RFC 9449 §5.1), so it takes no proof of this widget",
            ));
        }
        let callback = (mode != Mode::Redirect && !endpoints.web_message)
            .then(|| settings.silent_redirect_url.clone());
        let redirect_uri = callback
            .clone()
            .unwrap_or_else(|| settings.redirect_url.clone());
        Ok(Plan {
            connection,
            endpoints,
            mode,
            client_id,
            channel,
            token_endpoint,
            scope,
            userinfo,
            params,
            redirect_uri,
            callback,
            #[cfg(feature = "dpop")]
            dpop,
        })
    }

    pub fn channel(&self) -> Channel {
        self.channel
    }

    /// The silent-callback page where the waiting window reads the answer; none when it comes
    /// by web message or the page itself is left.
    pub fn callback(&self) -> Option<&RedirectUrl> {
        self.callback.as_ref()
    }

    /// The transaction and the authorize link, from three fresh random values (state, nonce,
    /// PKCE verifier) and the time in seconds. The app's state is the JSON text it gave; the
    /// email typed for home realm discovery goes along as `login_hint`, as Lock does, unless
    /// the app set one itself; `sign_up` asks the hosted page for its sign-up form.
    pub fn start(
        self,
        entropy: &[Entropy; 3],
        now: u64,
        app_state: Option<String>,
        login_hint: Option<String>,
        sign_up: bool,
    ) -> Started {
        let [state, nonce, verifier] = entropy;
        let transaction = Transaction {
            state: State::from_entropy(state),
            nonce: Nonce::from_entropy(nonce),
            flow: match self.token_endpoint {
                Some(token_endpoint) => Flow::Back(CodeExchange {
                    code_verifier: PkceCodeVerifier::from_entropy(verifier),
                    token_endpoint,
                }),
                None => Flow::Front,
            },
            client_id: self.client_id,
            connection: self.connection.name.clone(),
            strategy: self.connection.strategy.clone(),
            redirect_uri: self.redirect_uri,
            issuer: self.endpoints.issuer.clone(),
            jwks_uri: self.endpoints.jwks_uri.clone(),
            iss_parameter_supported: self.endpoints.iss_parameter_supported,
            max_age: self.params.max_age,
            scope: Some(self.scope.as_str().to_owned()),
            userinfo: self.userinfo,
            app_state,
            given_state: self.params.state.clone(),
            created_at: now,
            delivery: match self.mode {
                Mode::Redirect => Delivery::Page,
                Mode::Silent | Mode::Popup => Delivery::Opener,
            },
            #[cfg(feature = "dpop")]
            dpop: self.dpop,
        };
        let mut extra = hinted(&self.params.extra, login_hint, sign_up);
        if self.mode != Mode::Redirect {
            extra = silent::params(&extra, self.mode == Mode::Silent, self.callback.is_none());
        }
        let url = AuthorizeRequest {
            authorization_endpoint: &self.endpoints.authorization_endpoint,
            transaction: &transaction,
            send_connection: self.connection.route == Route::Broker,
            scope: &self.scope,
            extra: &extra,
        }
        .url();
        Started { transaction, url }
    }

    /// The link of a login whose code the app's server exchanges (Lock's `responseType:
    /// 'code'` with a server callback): nothing is stored in the page, the app's
    /// `auth.params.state` is the state (else `fresh`), and no PKCE is sent.
    pub fn server_link(
        &self,
        fresh: &Entropy,
        login_hint: Option<String>,
        sign_up: bool,
    ) -> (State, String) {
        let state = match &self.params.state {
            Some(given) => State::new(given.as_str()),
            None => State::from_entropy(fresh),
        };
        let url = super::authorize::server_url(
            &self.endpoints.authorization_endpoint,
            self.client_id.as_str(),
            self.redirect_uri.as_str(),
            state.as_str(),
            self.connection.name.as_str(),
            self.params,
            &hinted(&self.params.extra, login_hint, sign_up),
        );
        (state, url)
    }
}

impl Started {
    /// The link of a login bound to the widget's DPoP key ([`Transaction::dpop`]) carries
    /// the key's thumbprint, `dpop_jkt` (RFC 9449 §10): the code is then bound to that key.
    /// A login that is not bound is left as it is.
    pub fn bind_to_key(&mut self, jkt: &str) {
        if self.transaction.dpop() {
            let mut url = FormEncoder::with_prefix(&self.url);
            url.pair("dpop_jkt", jkt);
            self.url = url.finish();
        }
    }
}

/// The app's parameters with the typed email as `login_hint` (unless the app set one) and,
/// for a sign-up, Auth0's `screen_hint=signup`.
fn hinted(
    params: &[(String, String)],
    login_hint: Option<String>,
    sign_up: bool,
) -> Vec<(String, String)> {
    let mut extra = params.to_vec();
    for (key, value) in [
        ("login_hint", login_hint),
        ("screen_hint", sign_up.then(|| "signup".to_owned())),
    ] {
        if let Some(value) = value {
            if !extra.iter().any(|(k, _)| k == key) {
                extra.push((key.to_owned(), value));
            }
        }
    }
    extra
}

/// The connection `checkSession` asks about: the one asked for, else the last one logged in
/// with, while it is on offer; else the first on offer.
pub fn connection_to_check(
    asked: Option<String>,
    last: Option<String>,
    offered: &[Connection],
) -> Result<String, Error> {
    asked
        .or(last)
        .filter(|n| offered.iter().any(|c| c.name.as_str() == n))
        .or_else(|| offered.first().map(|c| c.name.as_str().to_owned()))
        .ok_or(Error::NoConnections)
}

#[cfg(test)]
mod tests;
