//! The DPoP key and its signatures (RFC 9449), through WebCrypto: an ES256 key pair whose
//! private half is not extractable, so no script can read it, only ask it to sign. What a
//! proof says is decided in [`crate::core::dpop`]; this module only makes the key and signs.

use js_sys::{Array, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use crate::core::dpop::{
    DpopNonce, JsonWriter, JwkThumbprint, ProofClaims, ProofFor, ProofKey, UnsignedProof,
};
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
        let half = |name: &str| {
            Reflect::get(&pair, &name.into())
                .ok()
                .and_then(|key| key.dyn_into::<CryptoKey>().ok())
                .ok_or_else(|| unavailable("generateKey gave no key pair"))
        };
        let (private, public) = (half("privateKey")?, half("publicKey")?);
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

/// Where the key pair lives between page loads: IndexedDB, which stores a CryptoKey as
/// itself (structured clone), so the private key survives a reload and still cannot be
/// exported. One record per client id, in one object store.
pub mod store {
    use js_sys::{Object, Promise, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{CryptoKey, IdbDatabase, IdbRequest, IdbTransactionMode};

    use crate::core::Error;

    use super::super::page::window;
    use super::DpopKey;

    const DATABASE: &str = "latch-login";
    const STORE: &str = "dpop";

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

    async fn with_store(
        mode: IdbTransactionMode,
        act: impl FnOnce(&web_sys::IdbObjectStore) -> Result<IdbRequest, JsValue>,
    ) -> Result<JsValue, Error> {
        let database = open().await?;
        let transaction = database
            .transaction_with_str_and_mode(STORE, mode)
            .map_err(|_| failed("no transaction"))?;
        let store = transaction
            .object_store(STORE)
            .map_err(|_| failed("no store"))?;
        let request = act(&store).map_err(|_| failed("request refused"))?;
        let result = done(&request).await;
        database.close();
        result
    }

    /// The key pair kept for `client_id`, if any.
    pub async fn load(client_id: &str) -> Result<Option<DpopKey>, Error> {
        let record = with_store(IdbTransactionMode::Readonly, |store| {
            store.get(&client_id.into())
        })
        .await?;
        let key = |name: &str| {
            Reflect::get(&record, &name.into())
                .ok()
                .and_then(|k| k.dyn_into::<CryptoKey>().ok())
        };
        match (key("privateKey"), key("publicKey")) {
            (Some(private), Some(public)) => Ok(Some(DpopKey::from_keys(private, &public).await?)),
            _ => Ok(None),
        }
    }

    /// Keeps `key` for `client_id`, in place of any other.
    pub async fn save(client_id: &str, key: &DpopKey) -> Result<(), Error> {
        let record = Object::new();
        let _ = Reflect::set(&record, &"privateKey".into(), key.private_key());
        let _ = Reflect::set(&record, &"publicKey".into(), key.public_key());
        with_store(IdbTransactionMode::Readwrite, |store| {
            store.put_with_key(&record, &client_id.into())
        })
        .await
        .map(drop)
    }

    /// Forgets the key pair of `client_id` (logout, `signed_out`): tokens bound to it are
    /// then useless here too.
    pub async fn delete(client_id: &str) -> Result<(), Error> {
        with_store(IdbTransactionMode::Readwrite, |store| {
            store.delete(&client_id.into())
        })
        .await
        .map(drop)
    }
}
