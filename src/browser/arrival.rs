//! The return of a login: the authorization response (in the address bar, a form_post body,
//! or a popup's or iframe's web message) to the `authenticated` payload. The core checks the
//! response against its stored transaction (RFC 6749 §4.1.2, RFC 9207), the ID token's
//! signature and claims (OpenID Connect Core §3.1.3.7) and makes the profile; this module
//! makes the token request, fetches the keys and runs WebCrypto between those steps.

use std::rc::Rc;

use js_sys::Reflect;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;

use crate::core::callback::{
    query_and_fragment, strip_response_params, AuthorizationResponse, Grant,
};
use crate::core::document::JsonReader;
#[cfg(feature = "dpop")]
use crate::core::dpop::{token_endpoint_retry, ProofFor};
use crate::core::id_token::{Expected, IdToken, UnverifiedIdToken, ValidIdToken};
use crate::core::payload::{AuthResult, Event};
use crate::core::profile::{wants_userinfo, Profile, UserInfo};
use crate::core::request::{token_http_error, Kind};
use crate::core::session::Session;
use crate::core::tabs::TabMessage;
use crate::core::token::{token_request, TokenErrorResponse, TokenResponse, TokenType};
use crate::core::transaction::Transaction;
use crate::core::Error;

#[cfg(feature = "dpop")]
use super::courier;
use super::crypto::WebCrypto;
use super::json::{self, BrowserJson};
#[cfg(not(feature = "dpop"))]
use super::net;
use super::net::Answer;
use super::page;
use super::session::Refresh;
use super::storage::{self, TransactionStore};
use super::widget::Widget;

/// Finds an authorization response in the query or the fragment and removes it from the
/// address bar before anything else (Lock's hashCleanup), so a reload or a shared link never
/// replays it; the page's own parameters stay.
fn take_response_from_address_bar() -> Option<Result<AuthorizationResponse, Error>> {
    let address = page::address();
    let (query, fragment) = query_and_fragment(&address.search, &address.hash);
    let (response, query, fragment) = match AuthorizationResponse::parse(query) {
        Some(r) => (r, strip_response_params(query), fragment.to_owned()),
        None => {
            let r = AuthorizationResponse::parse(fragment)?;
            (r, query.to_owned(), strip_response_params(fragment))
        }
    };
    // The silent-callback page of a checkSession or popup login: the waiting window reads it.
    if left_for_another_window(&response) {
        return None;
    }
    let mut clean = address.pathname;
    if !query.is_empty() {
        clean = clean + "?" + &query;
    }
    if !fragment.is_empty() {
        clean = clean + "#" + &fragment;
    }
    page::replace_address(&clean);
    Some(response)
}

/// The authorization response in the address bar, if any (the query's, else the fragment's).
pub fn response_in_address() -> Option<Result<AuthorizationResponse, Error>> {
    let address = page::address();
    let (query, fragment) = query_and_fragment(&address.search, &address.hash);
    AuthorizationResponse::parse(query).or_else(|| AuthorizationResponse::parse(fragment))
}

/// Whether `response` is the answer of another window's checkSession or popup login, come
/// to this page as its silent-callback page: that window reads it, not this page's widget.
pub fn left_for_another_window(response: &Result<AuthorizationResponse, Error>) -> bool {
    matches!(response, Ok(r) if TransactionStore::for_another_window(r.state()))
}

/// Abandoned logins do not pile up: every page load drops the expired ones.
fn sweep() {
    if let Ok(store) = TransactionStore::open() {
        store.sweep(page::now_secs());
    }
}

impl Widget {
    /// Starts handling a response in the address bar (or `params`: a form_post body a server
    /// handed the page); whether there was one.
    pub fn resume(self: &Rc<Self>, params: Option<String>) -> bool {
        let response = match &params {
            Some(params) => AuthorizationResponse::parse(params),
            None => take_response_from_address_bar(),
        };
        let Some(response) = response else {
            sweep();
            self.listeners.emit(Event::HashParsed, &JsValue::NULL);
            return false;
        };
        self.resuming.set(true);
        self.panel.view(|view| view.signing_in());
        let me = self.clone();
        spawn_local(async move {
            let outcome = me.complete(response).await;
            me.resuming.set(false);
            match outcome {
                Ok(payload) => {
                    me.hide();
                    me.listeners.emit(Event::HashParsed, &payload);
                    me.signed_in(&payload);
                }
                Err(e) => {
                    me.listeners.emit(Event::HashParsed, &JsValue::NULL);
                    me.fail(Event::AuthorizationError, e)
                }
            }
        });
        true
    }

    /// A login the user made on this page: as Lock does, the widget closes; the app hears
    /// `authenticated`, and the app's other tabs that this one is signed in.
    pub fn signed_in(&self, payload: &JsValue) {
        self.hide();
        self.listeners.emit(Event::Authenticated, payload);
        let connection = self.session.with(|s| s.connection.clone());
        if let (Some(tabs), Some(connection)) = (self.tabs.borrow().as_ref(), connection) {
            tabs.tell(&TabMessage::SignedIn { connection });
        }
    }

    /// From the response to the `authenticated` payload: RFC 6749 §4.1.2 and RFC 9207 on the
    /// response and its stored transaction, the token request and the issuer's keys (fetched
    /// together; the keys once more when the token's key is not among them), the signature
    /// with WebCrypto, then every claim check of OpenID Connect Core §3.1.3.7.
    pub async fn complete(
        &self,
        response: Result<AuthorizationResponse, Error>,
    ) -> Result<JsValue, Error> {
        let settings = &self.settings;
        let documents = &self.documents;
        let response = response.inspect_err(|_| sweep())?;
        let taken = TransactionStore::open().and_then(|store| store.take(response.state()));
        // The response's own transaction first (an expired one says so), then the others.
        sweep();
        let tx = taken?;
        tx.check_fresh(response.state(), page::now_secs())?;
        let grant = response.into_grant(&tx)?;
        let (raw, tokens, keys) = match grant {
            Grant::Code(code, code_exchange) => {
                let (endpoint, body) = token_request(&code, code_exchange, &tx);
                let (tokens, keys) = futures_util::future::join(
                    self.exchange(endpoint.clone(), body, tx.dpop()),
                    documents.keys(&tx.jwks_uri, false),
                )
                .await;
                let mut tokens = tokens?;
                tokens.default_scope(tx.scope.as_deref());
                // The refresh token stays here, in the wasm's memory, and nowhere else.
                let refresh = tokens
                    .refresh_token
                    .take()
                    .filter(|_| settings.use_refresh_tokens)
                    .map(|token| Refresh {
                        token,
                        endpoint,
                        client_id: tx.client_id.clone(),
                        #[cfg(feature = "dpop")]
                        dpop: tx.dpop(),
                    });
                self.session.hold_refresh(refresh);
                (
                    tokens
                        .checked_id_token(TokenType::of(tx.dpop()))?
                        .to_owned(),
                    Some(tokens),
                    Some(keys),
                )
            }
            // The front channel's ID token arrives alone, through the page (form_post).
            Grant::IdToken(raw) => (raw, None, None),
        };
        let unverified = UnverifiedIdToken::parse(raw, &BrowserJson)?;
        let keys = match keys {
            Some(keys) => keys?,
            None => documents.keys(&tx.jwks_uri, false).await?,
        };
        let key = match unverified.key(&keys) {
            Err(Error::KeyNotFound) => {
                unverified.key(&*documents.keys(&tx.jwks_uri, true).await?)?
            }
            other => other?,
        };
        let token = self.validated(&tx, unverified.verify(&key, &WebCrypto).await?)?;
        // The claims the scope asked for and the ID token lacks, from userinfo (Core §5.3)
        // with the access token, for a direct connection that takes them from there.
        let userinfo = match (&tx.userinfo, &tokens) {
            (Some(url), Some(tokens))
                if wants_userinfo(token.claims(), tx.scope.as_deref().unwrap_or_default()) =>
            {
                Some(
                    self.profile_claims(url, &tokens.access_token, tx.dpop())
                        .await?,
                )
            }
            _ => None,
        };
        self.signed_in_with(&tx, token, tokens, userinfo)
    }

    /// The userinfo claims at `url`, read for the profile (inlined: measured 79 B gzip
    /// smaller than kept apart).
    async fn profile_claims(
        &self,
        url: &str,
        access_token: &str,
        dpop: bool,
    ) -> Result<UserInfo, Error> {
        let text = self.userinfo_text(url, access_token, dpop).await?;
        BrowserJson
            .read::<UserInfo>(&text)
            .map_err(|e| Error::UserInfoUnavailable {
                url: url.to_owned(),
                detail: e.describe(),
            })
    }

    /// Core §3.1.3.7's claim checks, once the signature held.
    #[inline(never)]
    fn validated(&self, tx: &Transaction, token: IdToken) -> Result<ValidIdToken, Error> {
        token.claims(&Expected {
            issuer: &tx.issuer,
            client_id: &tx.client_id,
            nonce: &tx.nonce,
            now: page::now_secs() as i64,
            leeway: self.settings.leeway as i64,
            max_age: tx.max_age,
        })
    }

    /// The end of a return, once the token is valid: the profile (completed from `userinfo`
    /// when it is the same subject's), the `authenticated` payload, and the login kept as
    /// this page's session. Not async, and kept out of [`Self::complete`], so the async state
    /// machine carries none of it.
    #[inline(never)]
    fn signed_in_with(
        &self,
        tx: &Transaction,
        token: ValidIdToken,
        tokens: Option<TokenResponse>,
        userinfo: Option<UserInfo>,
    ) -> Result<JsValue, Error> {
        let settings = &self.settings;
        let claims = token.claims();
        let userinfo = userinfo.map(|u| u.for_subject(claims.sub())).transpose()?;
        let profile = Profile::from_claims(
            claims,
            userinfo.as_ref(),
            &tx.strategy,
            tx.connection.as_str(),
            tx.client_id.as_str(),
        )?;
        let session = Session::after_login(
            token.raw().to_owned(),
            tokens.as_ref(),
            claims.exp(),
            (
                tx.connection.as_str().to_owned(),
                tx.client_id.as_str().to_owned(),
                profile.user_id.clone(),
            ),
            page::now_ms(),
        );
        let payload = json::to_value(&AuthResult {
            tokens: session.tokens(),
            expires_in: tokens.as_ref().and_then(|t| t.expires_in),
            profile: &profile,
            connection: tx.connection.as_str(),
            state: tx.given_state.as_deref().unwrap_or(tx.state.as_str()),
        });
        // The claims as sent; the app's state as the text it was stored as, parsed on its
        // own: it comes back from storage, where any script of the origin could have changed
        // it, so it is never spliced into the payload.
        let claims = json::parse(token.payload_json());
        let _ = Reflect::set(&payload, &JsValue::from_str("idTokenPayload"), &claims);
        #[cfg(feature = "dpop")]
        self.session.hold_claims(claims);
        if let Some(state) = &tx.app_state {
            let _ = Reflect::set(
                &payload,
                &JsValue::from_str("appState"),
                &json::parse(state),
            );
        }
        if settings.remember_last_login {
            storage::remember_last_login(settings.client_id.as_str(), tx.connection.as_str());
        }
        self.session.keep(session, json::to_value(&profile));
        self.schedule_renewal();
        Ok(payload)
    }
}

impl Widget {
    /// A token request (the code grant, or a refresh), as a public client, from the token
    /// worker where the settings say so. With `dpop` (the DPoP build), it carries a proof of
    /// the widget's key, is sent once more with the server's nonce when the server asks for
    /// one (RFC 9449 §8), and must come back as a DPoP token; without, as a Bearer token.
    #[cfg(feature = "dpop")]
    pub async fn exchange(
        &self,
        endpoint: String,
        body: String,
        dpop: bool,
    ) -> Result<TokenResponse, Error> {
        let answer = self.token_answer(&endpoint, body, dpop).await?;
        // Every answer, a refresh's too, is of the type the request asked for: DPoP when it
        // carried a proof, else Bearer.
        let tokens = token_response(answer)?;
        tokens.checked_token_type(TokenType::of(dpop))?;
        Ok(tokens)
    }

    /// A token request (the code grant, or a refresh), as a public client, from the page;
    /// its answer must be a Bearer token.
    #[cfg(not(feature = "dpop"))]
    pub fn exchange(
        &self,
        endpoint: String,
        body: String,
        _: bool,
    ) -> impl std::future::Future<Output = Result<TokenResponse, Error>> {
        exchange_from_page(endpoint, body, self.settings.deadline(Kind::Token))
    }

    /// The token endpoint's answer to `body`, with a proof when `dpop`: tried once more with
    /// the nonce the server asks for (RFC 9449 §8).
    #[cfg(feature = "dpop")]
    async fn token_answer(
        &self,
        endpoint: &str,
        body: String,
        dpop: bool,
    ) -> Result<Answer, Error> {
        if !dpop {
            return self.post_token(endpoint, body, None).await;
        }
        let mut retried = false;
        loop {
            let proof = self
                .dpop
                .proof(ProofFor::TokenEndpoint { url: endpoint })
                .await?;
            let answer = self
                .post_token(endpoint, body.clone(), Some(&proof))
                .await?;
            let nonce = answer.dpop_nonce.as_deref();
            self.dpop.heard(endpoint, nonce);
            let refusal = BrowserJson.read::<TokenErrorResponse>(&answer.body).ok();
            let code = refusal.as_ref().map(|e| e.error.as_str());
            if token_endpoint_retry(answer.status, code, nonce, retried).is_some() {
                retried = true;
                continue;
            }
            return Ok(answer);
        }
    }

    /// POSTs a token request, from the token worker where the settings say so.
    #[cfg(feature = "dpop")]
    async fn post_token(
        &self,
        endpoint: &str,
        body: String,
        proof: Option<&str>,
    ) -> Result<Answer, Error> {
        let deadline = self.settings.deadline(Kind::Token);
        courier::post_token(
            endpoint,
            body,
            proof,
            deadline,
            self.settings.token_worker(),
        )
        .await
        .map_err(|failure| {
            failure.error(Kind::Token, endpoint, |detail| Error::Network {
                url: endpoint.to_owned(),
                detail,
            })
        })
    }
}

/// A token request from the page, aborted after `deadline` ms.
#[cfg(not(feature = "dpop"))]
async fn exchange_from_page(
    endpoint: String,
    body: String,
    deadline: u32,
) -> Result<TokenResponse, Error> {
    let answer = net::post_form(&endpoint, body, None, deadline)
        .await
        .map_err(|failure| {
            failure.error(Kind::Token, &endpoint, |detail| Error::Network {
                url: endpoint.clone(),
                detail,
            })
        })?;
    token_response(answer)
}

/// The tokens of a successful answer; a refusal with the provider's own words, or, without
/// them, what the status says.
fn token_response(answer: Answer) -> Result<TokenResponse, Error> {
    if !(200..300).contains(&answer.status) {
        return Err(match BrowserJson.read::<TokenErrorResponse>(&answer.body) {
            Ok(e) => e.into(),
            Err(_) => token_http_error(answer.status),
        });
    }
    BrowserJson
        .read::<TokenResponse>(&answer.body)
        .map_err(|e| Error::InvalidTokenResponse(e.describe()))
}
