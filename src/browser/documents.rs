//! The documents a widget reads, each fetched once and shared by every flow: the client
//! configuration (the connections on offer), the providers' discovery documents and their
//! keys (JWKS). A request may be started before anyone needs it ([`Documents::fetch_early`]),
//! so that a login or a silent check does not wait for it.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::core::client_config::ClientConfiguration;
use crate::core::connection::{offered, Channel, Connection, ProviderSource, Route};
use crate::core::discovery::{Endpoints, ProviderMetadata};
use crate::core::document::JsonReader;
use crate::core::jwks::JwkSet;
use crate::core::request::Kind;
use crate::core::settings::Settings;
use crate::core::Error;

use super::json::BrowserJson;
use super::net::{self, Failure};
use super::page::{self, BrowserUrls};

/// Documents of one kind, by URL.
type Cache<T> = RefCell<Vec<(String, Rc<T>)>>;

/// What `list` keeps for `key`, if anything.
fn kept<T: Clone>(list: &RefCell<Vec<(String, T)>>, key: &str) -> Option<T> {
    list.borrow()
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, value)| value.clone())
}

pub struct Documents {
    connections: RefCell<Option<Rc<Vec<Connection>>>>,
    discovery: Cache<ProviderMetadata>,
    jwks: Cache<JwkSet>,
    /// Each connection's endpoints once checked for its flow (its discovery document is read
    /// once per page, so the check's answer does not change): a login does not parse the
    /// same URLs again.
    endpoints: RefCell<Vec<(String, Endpoints)>>,
    /// Requests started before they are needed (see [`Documents::fetch_early`]).
    early: RefCell<Vec<(String, Promise)>>,
    /// Each request's deadline, in ms.
    deadline: u32,
}

/// The document at `url`: from `cache` unless `fresh`, else fetched, read and kept there in
/// place of the one before. `error` says what went wrong with the request or the document.
async fn cached<T: DeserializeOwned>(
    documents: &Documents,
    cache: &Cache<T>,
    url: &str,
    fresh: bool,
    error: impl Fn(String) -> Error,
) -> Result<Rc<T>, Error> {
    if let Some(document) = kept(cache, url).filter(|_| !fresh) {
        return Ok(document);
    }
    let text = documents
        .get_text(url)
        .await
        .map_err(|failure| failure.error(Kind::Document, url, &error))?;
    let document = Rc::new(
        BrowserJson
            .read::<T>(&text)
            .map_err(|e| error(e.describe()))?,
    );
    let mut cache = cache.borrow_mut();
    cache.retain(|(u, _)| u != url);
    cache.push((url.to_owned(), document.clone()));
    Ok(document)
}

impl Documents {
    /// The documents of a widget whose requests have `deadline` ms each (no `Default`: a
    /// deadline of 0 would end every request at once).
    pub fn new(deadline: u32) -> Self {
        Documents {
            connections: RefCell::default(),
            discovery: RefCell::default(),
            jwks: RefCell::default(),
            endpoints: RefCell::default(),
            early: RefCell::default(),
            deadline,
        }
    }

    /// The connections on offer: those of the client configuration and the direct ones of the
    /// options, filtered by `allowedConnections`. Read once; a failed read is retried by the
    /// next call.
    pub async fn connections(&self, settings: &Settings) -> Result<Rc<Vec<Connection>>, Error> {
        if let Some(list) = self.connections.borrow().clone() {
            return Ok(list);
        }
        let mut all = Vec::new();
        if let Some(url) = settings.client_configuration_url() {
            let unavailable = |detail: String| Error::ConfigurationUnavailable {
                url: url.clone(),
                detail,
            };
            let text = self
                .get_text(&url)
                .await
                .map_err(|failure| failure.error(Kind::Document, &url, unavailable))?;
            let document = settings.configuration_format.document(&text)?;
            all = BrowserJson
                .read_named::<ClientConfiguration>(document)
                .map_err(|e| Error::InvalidConfiguration(e.describe()))?
                .connections(settings.client_id.as_str())?;
        }
        all.extend(settings.direct.iter().cloned());
        let list = Rc::new(offered(all, settings.allowed_connections.as_deref())?);
        *self.connections.borrow_mut() = Some(list.clone());
        Ok(list)
    }

    /// The connection named `name` among those on offer.
    pub async fn connection(&self, settings: &Settings, name: &str) -> Result<Connection, Error> {
        self.connections(settings)
            .await?
            .iter()
            .find(|c| c.name.as_str() == name)
            .cloned()
            .ok_or_else(|| Error::UnknownConnection(name.to_owned()))
    }

    /// The connections already read, if they are.
    pub fn known_connections(&self) -> Option<Rc<Vec<Connection>>> {
        self.connections.borrow().clone()
    }

    /// Starts the GET of `url` now (unless one is already waiting to be taken), for its first
    /// user to take (see [`Self::get_text`]). It always resolves, to the body, to an `Error`,
    /// or to the deadline (a number) that passed: a request nobody takes never leaves an
    /// unhandled rejection behind.
    pub fn fetch_early(&self, url: &str) {
        if self.early.borrow().iter().any(|(u, _)| u == url) {
            return;
        }
        let owned = url.to_owned();
        let deadline = self.deadline;
        let request = wasm_bindgen_futures::future_to_promise(async move {
            Ok(
                match net::get(&owned, deadline).await.and_then(net::Answer::ok) {
                    Ok(text) => JsValue::from(text),
                    Err(Failure::Unreachable(detail)) => js_sys::Error::new(&detail).into(),
                    Err(Failure::Timeout(ms)) => JsValue::from(ms),
                },
            )
        });
        self.early.borrow_mut().push((url.to_owned(), request));
    }

    /// [`Self::fetch_early`] for the issuer's keys, unless they are read already: asked for
    /// while the user (or the iframe) is at the provider.
    pub fn fetch_keys_early(&self, url: &str) {
        if kept(&self.jwks, url).is_none() {
            self.fetch_early(url);
        }
    }

    /// The body of a successful GET of `url`: the early request's, if one was started (taken:
    /// a later call asks again), else a request of its own.
    async fn get_text(&self, url: &str) -> Result<String, Failure> {
        let early = {
            let mut early = self.early.borrow_mut();
            early
                .iter()
                .position(|(u, _)| u == url)
                .map(|i| early.remove(i).1)
        };
        let Some(request) = early else {
            return net::get(url, self.deadline).await.and_then(net::Answer::ok);
        };
        let answer = JsFuture::from(request).await.unwrap_or_default();
        if let Some(ms) = answer.as_f64() {
            return Err(Failure::Timeout(ms as u32));
        }
        answer
            .as_string()
            .ok_or_else(|| Failure::Unreachable(page::message_of(&answer)))
    }

    /// The discovery document at `url`, read once per page.
    pub async fn discovery(&self, url: &str) -> Result<Rc<ProviderMetadata>, Error> {
        let unavailable = |detail: String| Error::DiscoveryUnavailable {
            url: url.to_owned(),
            detail,
        };
        cached(self, &self.discovery, url, false, unavailable).await
    }

    /// The issuer's keys: the set read before, unless `again` (a key it lacks: rotation).
    pub async fn keys(&self, url: &str, again: bool) -> Result<Rc<JwkSet>, Error> {
        let network = |detail: String| Error::Network {
            url: url.to_owned(),
            detail,
        };
        cached(self, &self.jwks, url, again, network).await
    }

    /// The broker's endpoints, as its discovery document names them.
    pub async fn broker_endpoints(&self, settings: &Settings) -> Result<Endpoints, Error> {
        let broker = settings.broker.as_ref().ok_or(Error::NoProvider)?;
        self.discovery(&broker.discovery_url()).await?.for_channel(
            &broker.issuer_candidates(),
            Channel::Back,
            false,
            &BrowserUrls,
        )
    }

    /// The provider endpoints behind a connection, checked for the flow it uses.
    pub async fn endpoints(
        &self,
        settings: &Settings,
        connection: &Connection,
    ) -> Result<Endpoints, Error> {
        let name = connection.name.as_str();
        if let Some(endpoints) = kept(&self.endpoints, name) {
            return Ok(endpoints);
        }
        let endpoints = match &connection.route {
            Route::Broker => self.broker_endpoints(settings).await?,
            Route::Direct(direct) => match &direct.source {
                ProviderSource::Explicit(endpoints) => endpoints.clone(),
                ProviderSource::Discovery {
                    url,
                    expected_issuers,
                } => self.discovery(url).await?.for_channel(
                    expected_issuers,
                    direct.channel,
                    direct.strict_pkce,
                    &BrowserUrls,
                )?,
            },
        };
        self.endpoints
            .borrow_mut()
            .push((name.to_owned(), endpoints.clone()));
        Ok(endpoints)
    }
}
