//! The DPoP key and its signatures (RFC 9449), through WebCrypto: an ES256 key pair whose
//! private half is not extractable, so no script can read it, only ask it to sign. What a
//! proof says is decided in [`crate::core::dpop`]; this module only makes the key and signs.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use crate::core::dpop::{
    DpopNonce, JsonWriter, JwkThumbprint, NonceBook, ProofClaims, ProofFor, ProofKey, UnsignedProof,
};
use crate::core::token::TokenType;
use crate::core::Error;

use super::crypto::{entropy, subtle};
use super::json::{to_text, BrowserJson};
use super::page::BrowserUrls;

impl JsonWriter for BrowserJson {
    fn write<T: Serialize>(&self, value: &T) -> Option<String> {
        to_text(value)
    }
}

fn unavailable(what: &str) -> Error {
    Error::CryptoUnavailable(["DPoP key: ", what].concat())
}

/// `{name: "ECDSA", namedCurve: "P-256"}` for generateKey, `{name: "ECDSA", hash: "SHA-256"}`
/// for sign.
fn ecdsa(member: &str, value: &str) -> Object {
    let object = Object::new();
    let _ = Reflect::set(&object, &"name".into(), &"ECDSA".into());
    let _ = Reflect::set(&object, &member.into(), &value.into());
    object
}

/// The private and public CryptoKeys of `pair`, an object with WebCrypto's `CryptoKeyPair`
/// members (`generateKey`'s answer, and the record IndexedDB keeps); none unless both are.
fn halves(pair: &JsValue) -> Option<(CryptoKey, CryptoKey)> {
    let half = |name: &str| {
        Reflect::get(pair, &name.into())
            .ok()?
            .dyn_into::<CryptoKey>()
            .ok()
    };
    Some((half("privateKey")?, half("publicKey")?))
}

/// The widget's key pair: the private key (non-extractable) and what the proofs' header
/// carries of the public one.
pub struct DpopKey {
    private: CryptoKey,
    public_key: CryptoKey,
    public: ProofKey,
}

impl DpopKey {
    /// A new ES256 key pair. WebCrypto keeps the public half extractable whatever is asked
    /// (it is public); the private half is made non-extractable.
    pub async fn generate() -> Result<Self, Error> {
        let subtle = subtle()?;
        let usages = Array::of1(&JsValue::from_str("sign"));
        let pair = subtle
            .generate_key_with_object(&ecdsa("namedCurve", "P-256"), false, &usages)
            .map_err(|_| unavailable("generateKey refused"))?;
        let pair = JsFuture::from(pair)
            .await
            .map_err(|_| unavailable("generateKey failed"))?;
        let (private, public) =
            halves(&pair).ok_or_else(|| unavailable("generateKey gave no key pair"))?;
        Self::from_keys(private, &public).await
    }

    /// The pair from its two CryptoKeys (as IndexedDB gives them back).
    pub async fn from_keys(private: CryptoKey, public: &CryptoKey) -> Result<Self, Error> {
        let exporting = subtle()?
            .export_key("raw", public)
            .map_err(|_| unavailable("exportKey refused"))?;
        let raw = JsFuture::from(exporting)
            .await
            .map_err(|_| unavailable("exportKey failed"))?;
        let point = Uint8Array::new(&raw).to_vec();
        Ok(Self {
            private,
            public_key: public.clone(),
            public: ProofKey::from_uncompressed_point(&point)?,
        })
    }

    /// `dpop_jkt` and `cnf.jkt` (RFC 7638).
    pub fn thumbprint(&self) -> JwkThumbprint {
        self.public.thumbprint()
    }

    /// The private key, for IndexedDB (a CryptoKey is stored as itself, never as bytes).
    pub fn private_key(&self) -> &CryptoKey {
        &self.private
    }

    /// The public CryptoKey, kept beside the private one.
    pub fn public_key(&self) -> &CryptoKey {
        &self.public_key
    }

    /// The `DPoP` header's value for `request`: the core's claims, signed here.
    pub async fn proof(
        &self,
        request: ProofFor<'_>,
        nonce: Option<&DpopNonce>,
    ) -> Result<String, Error> {
        let [random] = entropy::<1>()?;
        let mut jti = [0u8; 16];
        jti.copy_from_slice(&random[..16]);
        let now = (js_sys::Date::now() / 1000.0) as u64;
        let claims = ProofClaims::new(request, &jti, now, nonce, &BrowserUrls)?;
        let unsigned = UnsignedProof::new(&self.public, &claims, &BrowserJson)?;
        let data = Uint8Array::from(unsigned.signing_input());
        let signing = subtle()?
            .sign_with_object_and_buffer_source(&ecdsa("hash", "SHA-256"), &self.private, &data)
            .map_err(|_| unavailable("sign refused"))?;
        let signature = JsFuture::from(signing)
            .await
            .map_err(|_| unavailable("sign failed"))?;
        unsigned.signed(&Uint8Array::new(&signature).to_vec())
    }
}

/// The key pair kept for `client_id`, else a new one, kept. Two callers that make one at once
/// (two tabs, or two flows of a page) keep the first stored (IndexedDB's `add` refuses the
/// second), and both use it.
async fn load_or_make(client_id: &str) -> Result<DpopKey, Error> {
    if let Some(key) = store::load(client_id).await? {
        return Ok(key);
    }
    let made = DpopKey::generate().await?;
    match store::add(client_id, &made).await {
        Ok(()) => Ok(made),
        Err(_) => store::load(client_id)
            .await?
            .ok_or_else(|| unavailable("the key could not be kept")),
    }
}

/// The widget's DPoP binding: its key pair, read from IndexedDB or made once (and kept there
/// for the next page of this client), and the nonces servers gave. Made lazily: a page
/// without DPoP never opens IndexedDB.
pub struct Binding {
    client_id: String,
    /// The key once read or made.
    key: RefCell<Option<Rc<DpopKey>>>,
    nonces: RefCell<NonceBook>,
}

impl Binding {
    pub fn new(client_id: &str) -> Self {
        Binding {
            client_id: client_id.to_owned(),
            key: RefCell::default(),
            nonces: RefCell::default(),
        }
    }

    /// The key pair: the one kept for this client, else a new one, kept.
    pub async fn key(&self) -> Result<Rc<DpopKey>, Error> {
        if let Some(key) = self.key.borrow().clone() {
            return Ok(key);
        }
        // Two callers at once each read or make one; IndexedDB keeps the first made, and
        // both end with it (see [`load_or_make`]).
        let key = Rc::new(load_or_make(&self.client_id).await?);
        *self.key.borrow_mut() = Some(key.clone());
        Ok(key)
    }

    /// The `DPoP` header for `request`, with the last nonce its server gave.
    pub async fn proof(&self, request: ProofFor<'_>) -> Result<String, Error> {
        let url = match request {
            ProofFor::TokenEndpoint { url } | ProofFor::Resource { url, .. } => url,
        };
        let nonce = self.nonces.borrow().for_url(&BrowserUrls, url);
        self.key().await?.proof(request, nonce.as_ref()).await
    }

    /// The `Authorization` header (RFC 9449 §7.1 `DPoP`, else RFC 6750 §2.1 `Bearer`) and the
    /// proof, bound to `access_token` by `ath`, of a `method` request to `url`.
    pub async fn authorization(
        &self,
        method: &str,
        url: &str,
        access_token: &str,
        dpop: bool,
    ) -> Result<(String, Option<String>), Error> {
        let scheme = TokenType::of(dpop);
        let proof = match dpop {
            true => Some(
                self.proof(ProofFor::Resource {
                    method,
                    url,
                    access_token,
                })
                .await?,
            ),
            false => None,
        };
        Ok(([scheme.as_str(), " ", access_token].concat(), proof))
    }

    /// Keeps the nonce a server at `url` answered with (`DPoP-Nonce`), if any.
    pub fn heard(&self, url: &str, nonce: Option<&str>) {
        self.nonces.borrow_mut().remember(&BrowserUrls, url, nonce);
    }

    /// Forgets the key, here and in IndexedDB (logout, `signed_out`): the tokens bound to it
    /// are useless from now on, here too. The next login makes a new one.
    /// The memory is cleared at once; the returned future deletes the records (a logout
    /// awaits it before the page leaves).
    pub fn forget(&self) -> impl std::future::Future<Output = ()> + 'static {
        *self.key.borrow_mut() = None;
        *self.nonces.borrow_mut() = NonceBook::default();
        let client_id = self.client_id.clone();
        async move {
            let _ = store::delete(&store::key_record(&client_id)).await;
            let _ = store::delete(&store::session_record(&client_id)).await;
        }
    }

    /// A key was read or made on this page.
    pub fn in_use(&self) -> bool {
        self.key.borrow().is_some()
    }
}

/// Where the key pair (and, with `auth.persistRefreshToken`, the login) lives between page
/// loads: IndexedDB, which stores a CryptoKey as itself (structured clone), so the private
/// key survives a reload and still cannot be exported. Two records per client id in one
/// object store: its key pair, and its login.
pub mod store {
    use js_sys::{Object, Promise, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

    use crate::core::Error;

    use super::super::page::window;
    use super::DpopKey;

    const DATABASE: &str = "latch-login";
    const STORE: &str = "dpop";

    /// The key of a client's key pair record: its client id.
    pub fn key_record(client_id: &str) -> String {
        client_id.to_owned()
    }

    /// The key of a client's kept login.
    pub fn session_record(client_id: &str) -> String {
        [client_id, "#session"].concat()
    }

    fn failed(what: &str) -> Error {
        Error::StorageUnavailable(["IndexedDB: ", what].concat())
    }

    /// The request's result once it succeeds: its `onsuccess` and `onerror` are the
    /// promise's own functions, so no closure outlives it.
    async fn done(request: &IdbRequest) -> Result<JsValue, Error> {
        let settled = Promise::new(&mut |resolve, reject| {
            request.set_onsuccess(Some(&resolve));
            request.set_onerror(Some(&reject));
        });
        JsFuture::from(settled)
            .await
            .map_err(|_| failed("a request failed"))?;
        request.result().map_err(|_| failed("no result"))
    }

    async fn open() -> Result<IdbDatabase, Error> {
        let factory = window()
            .and_then(|w| w.indexed_db().ok().flatten())
            .ok_or_else(|| failed("not available"))?;
        let request = factory
            .open_with_u32(DATABASE, 1)
            .map_err(|_| failed("open refused"))?;
        // The store is made in the version change itself, which must happen in the event;
        // the closure is dropped once the database is open (the event comes before).
        let upgrade = Closure::once(move |event: web_sys::Event| {
            let database = event
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .and_then(|d| d.dyn_into::<IdbDatabase>().ok());
            if let Some(database) = database {
                let _ = database.create_object_store(STORE);
            }
        });
        request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let database = done(&request).await;
        request.set_onupgradeneeded(None);
        drop(upgrade);
        let database = database?;
        database
            .dyn_into::<IdbDatabase>()
            .map_err(|_| failed("no database"))
    }

    /// What a request does to the store.
    enum Act<'a> {
        Get,
        Put(&'a JsValue),
        /// Put, unless something is kept under the key already (then the request fails).
        Add(&'a JsValue),
        Delete,
    }

    /// One request on the store under `key`, in a transaction of its own; its result.
    async fn act(key: &str, act: Act<'_>) -> Result<JsValue, Error> {
        let mode = match act {
            Act::Get => IdbTransactionMode::Readonly,
            _ => IdbTransactionMode::Readwrite,
        };
        let database = open().await?;
        let transaction = database
            .transaction_with_str_and_mode(STORE, mode)
            .map_err(|_| failed("no transaction"))?;
        let store = transaction
            .object_store(STORE)
            .map_err(|_| failed("no store"))?;
        // A write is done once its transaction commits, not when its request succeeds: a page
        // that leaves in between (a reload right after a renewal) would abort it and leave
        // the refresh token the provider took back.
        let committed = (mode == IdbTransactionMode::Readwrite).then(|| {
            Promise::new(&mut |resolve, reject| {
                transaction.set_oncomplete(Some(&resolve));
                transaction.set_onabort(Some(&reject));
            })
        });
        let key = JsValue::from_str(key);
        let request = match act {
            Act::Get => store.get(&key),
            Act::Put(value) => store.put_with_key(value, &key),
            Act::Add(value) => store.add_with_key(value, &key),
            Act::Delete => store.delete(&key),
        }
        .map_err(|_| failed("request refused"))?;
        let mut result = done(&request).await;
        if let (Ok(_), Some(committed)) = (&result, committed) {
            if JsFuture::from(committed).await.is_err() {
                result = Err(failed("the transaction was aborted"));
            }
        }
        database.close();
        result
    }

    /// The record kept under `key` (undefined: none).
    pub async fn get(key: &str) -> Result<JsValue, Error> {
        act(key, Act::Get).await
    }

    /// Keeps `value` under `key`, in place of any other.
    pub async fn put(key: &str, value: &JsValue) -> Result<(), Error> {
        act(key, Act::Put(value)).await.map(drop)
    }

    /// Forgets the record under `key`.
    pub async fn delete(key: &str) -> Result<(), Error> {
        act(key, Act::Delete).await.map(drop)
    }

    /// The key pair kept for `client_id`, if any.
    pub async fn load(client_id: &str) -> Result<Option<DpopKey>, Error> {
        let record = get(&key_record(client_id)).await?;
        match super::halves(&record) {
            Some((private, public)) => Ok(Some(DpopKey::from_keys(private, &public).await?)),
            None => Ok(None),
        }
    }

    /// Keeps `key` for `client_id` unless one is kept already (then an error).
    pub async fn add(client_id: &str, key: &DpopKey) -> Result<(), Error> {
        let record = Object::new();
        let _ = Reflect::set(&record, &"privateKey".into(), key.private_key());
        let _ = Reflect::set(&record, &"publicKey".into(), key.public_key());
        act(&key_record(client_id), Act::Add(&record))
            .await
            .map(drop)
    }
}
