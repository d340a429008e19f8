//! Browser-layer tests, run by wasm-bindgen-test in headless Chromium against the crate as it
//! ships (no test-only feature): real WebCrypto keys made here, the real sessionStorage,
//! address bar and URL parser, and the exported `Latch` class.
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::CryptoKey;

use latch_login::browser::crypto::{entropy, WebCrypto};
use latch_login::browser::json::BrowserJson;
use latch_login::browser::page::{self, BrowserUrls};
use latch_login::browser::storage::TransactionStore;
use latch_login::browser::Latch;
use latch_login::core::document::JsonReader;
use latch_login::core::encoding::base64url;
use latch_login::core::id_token::{Expected, UnverifiedIdToken};
use latch_login::core::jwks::{Jwk, JwkSet};
use latch_login::core::jws::Algorithm;
use latch_login::core::transaction::{CodeExchange, Delivery, Flow, Transaction};
use latch_login::core::types::*;
use latch_login::core::web_url::{self, UrlParser};
use latch_login::core::Error;

wasm_bindgen_test_configure!(run_in_browser);

fn obj(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        Reflect::set(&o, &(*k).into(), v).expect("set");
    }
    o
}

/// `generateKey` and `sign` parameters for each algorithm.
fn params(alg: Algorithm) -> (Object, Object) {
    let rsa = |name: &str| {
        obj(&[
            ("name", name.into()),
            ("modulusLength", 2048.into()),
            ("publicExponent", Uint8Array::from(&[1u8, 0, 1][..]).into()),
            ("hash", "SHA-256".into()),
        ])
    };
    match alg {
        Algorithm::Rs256 => (
            rsa("RSASSA-PKCS1-v1_5"),
            obj(&[("name", "RSASSA-PKCS1-v1_5".into())]),
        ),
        Algorithm::Ps256 => (
            rsa("RSA-PSS"),
            obj(&[("name", "RSA-PSS".into()), ("saltLength", 32.into())]),
        ),
        Algorithm::Es256 => (
            obj(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]),
            obj(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]),
        ),
    }
}

struct KeyPair {
    private: CryptoKey,
    public: Jwk,
}

async fn key_pair(alg: Algorithm) -> KeyPair {
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    let usages = js_sys::Array::of2(&"sign".into(), &"verify".into());
    let pair = JsFuture::from(
        subtle
            .generate_key_with_object(&params(alg).0, true, &usages)
            .unwrap(),
    )
    .await
    .unwrap();
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())
        .unwrap()
        .unchecked_into();
    let public: CryptoKey = Reflect::get(&pair, &"publicKey".into())
        .unwrap()
        .unchecked_into();
    let jwk = JsFuture::from(subtle.export_key("jwk", &public).unwrap())
        .await
        .unwrap();
    let text = js_sys::JSON::stringify(&jwk).unwrap().as_string().unwrap();
    KeyPair {
        private,
        public: BrowserJson.read(&text).unwrap(),
    }
}

async fn sign(alg: Algorithm, key: &CryptoKey, data: &[u8]) -> Vec<u8> {
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    let sig = JsFuture::from(
        subtle
            .sign_with_object_and_u8_array(&params(alg).1, key, data)
            .unwrap(),
    )
    .await
    .unwrap();
    Uint8Array::new(&sig).to_vec()
}

const ALGORITHMS: [Algorithm; 3] = [Algorithm::Rs256, Algorithm::Ps256, Algorithm::Es256];
const CLAIMS: &[u8] = br#"{"iss":"https://op.example","aud":"latch-spa","sub":"alice","exp":4102444800,"iat":1700000000,"nonce":"n"}"#;

/// A compact JWS signed with `keys`, its header naming `alg_name` and `kid`.
async fn token(alg: Algorithm, alg_name: &str, kid: &str, keys: &KeyPair) -> String {
    let header = base64url::encode(
        ("{\"alg\":\"".to_owned() + alg_name + "\",\"kid\":\"" + kid + "\"}").as_bytes(),
    );
    let input = header + "." + &base64url::encode(CLAIMS);
    let sig = sign(alg, &keys.private, input.as_bytes()).await;
    input + "." + &base64url::encode(&sig)
}

fn jwks(kid: &str, key: &Jwk) -> JwkSet {
    let mut key = key.clone();
    key.kid = Some(kid.to_owned());
    JwkSet { keys: vec![key] }
}

/// The login's own path: parse, pick the key, verify with WebCrypto.
async fn verify(raw: String, keys: &JwkSet) -> Result<String, Error> {
    let unverified = UnverifiedIdToken::parse(raw, &BrowserJson)?;
    let key = unverified.key(keys)?;
    let token = unverified.verify(&key, &WebCrypto).await?;
    let valid = token.claims(&Expected {
        issuer: &IssuerUrl::new("https://op.example"),
        client_id: &ClientId::new("latch-spa"),
        nonce: &Nonce::new("n"),
        now: 1_700_000_100,
        leeway: 60,
        max_age: None,
    })?;
    Ok(valid.payload_json().to_owned())
}

#[wasm_bindgen_test]
async fn webcrypto_verifies_real_signatures_for_each_accepted_algorithm() {
    for alg in ALGORITHMS {
        let keys = key_pair(alg).await;
        let raw = token(alg, alg.as_str(), "k", &keys).await;
        let payload = verify(raw, &jwks("k", &keys.public)).await;
        assert!(payload.is_ok_and(|p| p.contains("alice")), "{alg:?}");
    }
}

#[wasm_bindgen_test]
async fn a_flipped_signature_or_another_key_is_an_invalid_signature() {
    for alg in ALGORITHMS {
        let signer = key_pair(alg).await;
        let stranger = key_pair(alg).await;
        let raw = token(alg, alg.as_str(), "k", &signer).await;
        assert_eq!(
            verify(raw.clone(), &jwks("k", &stranger.public))
                .await
                .err(),
            Some(Error::InvalidSignature),
            "{alg:?}: another key"
        );
        let mut flipped = raw.into_bytes();
        let last = flipped.len() - 3;
        flipped[last] = if flipped[last] == b'A' { b'B' } else { b'A' };
        let flipped = String::from_utf8(flipped).unwrap();
        let outcome = verify(flipped, &jwks("k", &signer.public)).await;
        assert!(
            matches!(
                outcome,
                Err(Error::InvalidSignature) | Err(Error::MalformedIdToken(_))
            ),
            "{alg:?}: {outcome:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn alg_none_and_hmac_are_refused_before_any_key_is_looked_at() {
    let payload = base64url::encode(CLAIMS);
    for header in [r#"{"alg":"none"}"#, r#"{"alg":"HS256","kid":"k"}"#] {
        let raw = base64url::encode(header.as_bytes()) + "." + &payload + ".c2ln";
        assert!(matches!(
            UnverifiedIdToken::parse(raw, &BrowserJson),
            Err(Error::UnsupportedAlgorithm(_))
        ));
    }
}

#[wasm_bindgen_test]
fn entropy_is_32_fresh_bytes() {
    let [a, b] = entropy::<2>().expect("crypto.getRandomValues");
    assert_ne!(a, b);
    assert_ne!(a, [0u8; 32]);
}

fn transaction(state: &str, created_at: u64) -> Transaction {
    Transaction {
        state: State::new(state),
        nonce: Nonce::new("n"),
        flow: Flow::Back(CodeExchange {
            code_verifier: PkceCodeVerifier::new("v".repeat(43)),
            token_endpoint: "https://op.example/token".into(),
        }),
        client_id: ClientId::new("app"),
        connection: ConnectionName::new("corp"),
        strategy: "oidc".into(),
        redirect_uri: RedirectUrl::new("https://app.example/"),
        issuer: IssuerUrl::new("https://op.example"),
        jwks_uri: "https://op.example/jwks".into(),
        iss_parameter_supported: true,
        max_age: None,
        scope: None,
        userinfo: None,
        app_state: Some(r#"{"to":"/"}"#.into()),
        given_state: None,
        created_at,
        delivery: Delivery::Page,
        #[cfg(feature = "dpop")]
        dpop: false,
    }
}

#[wasm_bindgen_test]
fn transactions_are_stored_per_state_and_taken_once() {
    let store = TransactionStore::open().expect("sessionStorage");
    store.save(&transaction("s-1", page::now_secs())).unwrap();
    store.save(&transaction("s-2", page::now_secs())).unwrap();
    let taken = store.take(&State::new("s-1")).expect("stored");
    assert_eq!(taken.state.as_str(), "s-1");
    assert_eq!(taken.app_state.as_deref(), Some(r#"{"to":"/"}"#));
    assert_eq!(
        store.take(&State::new("s-1")).err(),
        Some(Error::StateMismatch),
        "taken once"
    );
    assert!(store.take(&State::new("s-2")).is_ok());
}

#[wasm_bindgen_test]
fn sweep_drops_expired_and_corrupt_transactions_only() {
    let store = TransactionStore::open().expect("sessionStorage");
    let now = page::now_secs();
    store.save(&transaction("old", now - 3600)).unwrap();
    store.save(&transaction("live", now)).unwrap();
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    session.set_item("latch.tx.corrupt", "{not json").unwrap();
    session.set_item("not-ours", "kept").unwrap();
    store.sweep(now);
    assert_eq!(session.get_item("latch.tx.old").unwrap(), None);
    assert_eq!(session.get_item("latch.tx.corrupt").unwrap(), None);
    assert!(session.get_item("latch.tx.live").unwrap().is_some());
    assert_eq!(
        session.get_item("not-ours").unwrap().as_deref(),
        Some("kept")
    );
    session.clear().unwrap();
}

#[wasm_bindgen_test]
fn the_browsers_url_parser_decides_loopback_as_the_core_says() {
    let parsed = BrowserUrls.parse("http://127.1:8080/x?y#z").expect("a URL");
    assert_eq!(parsed.hostname, "127.0.0.1");
    assert_eq!(parsed.port, "8080");
    assert!(web_url::is_secure(&BrowserUrls, "http://localhost/"));
    assert!(web_url::is_secure(&BrowserUrls, "http://[::1]:3000/"));
    for lookalike in [
        "http://127.op.example.com/token",
        "http://127.0.0.1@op.example.com/",
        "http://localhost:1@evil.example/",
    ] {
        assert!(!web_url::is_secure(&BrowserUrls, lookalike), "{lookalike}");
    }
}

#[wasm_bindgen_test]
async fn bad_options_are_an_unrecoverable_error_that_names_them() {
    let options = obj(&[("leeway", "soon".into())]);
    let latch = Latch::new(
        "app".into(),
        "op.example.com".into(),
        Some(options.into()),
        None,
    );
    let (sender, heard) = futures_channel();
    latch
        .on("unrecoverable_error".into(), sender.into())
        .expect("a known event");
    let payload = JsFuture::from(heard).await.expect("the event");
    let error = Reflect::get(&payload, &"error".into()).unwrap();
    let description = Reflect::get(&payload, &"errorDescription".into()).unwrap();
    assert_eq!(error.as_string().as_deref(), Some("invalid_option"));
    assert!(description.as_string().unwrap().contains("`leeway`"));
    assert!(latch
        .on("signed_in".into(), js_sys::Function::new_no_args("").into())
        .is_err());
}

/// A listener function and the promise of the first payload it hears.
fn futures_channel() -> (js_sys::Function, js_sys::Promise) {
    let resolver = std::rc::Rc::new(std::cell::RefCell::new(None::<js_sys::Function>));
    let keep = resolver.clone();
    let promise = js_sys::Promise::new(&mut |resolve, _| *keep.borrow_mut() = Some(resolve));
    let listener = wasm_bindgen::closure::Closure::<dyn FnMut(JsValue)>::new(move |payload| {
        if let Some(resolve) = resolver.borrow_mut().take() {
            let _ = resolve.call1(&JsValue::NULL, &payload);
        }
    });
    (listener.into_js_value().unchecked_into(), promise)
}

#[wasm_bindgen_test]
fn decode_token_shows_a_jwts_payload_and_nothing_else() {
    let header = base64url::encode(br#"{"alg":"RS256"}"#);
    let payload = base64url::encode(br#"{"sub":"alice"}"#);
    let jwt = format!("{header}.{payload}.sig");
    let decoded = Latch::decode_token(jwt.into());
    assert_eq!(
        Reflect::get(&decoded, &"sub".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("alice")
    );
    for not in ["Zm9vYmFy", "e30.e30", "bm90.anNvbg.sig"] {
        assert!(Latch::decode_token(not.into()).is_null(), "{not}");
    }
    assert!(Latch::decode_token(42.into()).is_null());
}

/// The member that was wrong is found in the page's own JS values (src/browser/json.rs, the
/// core's `Tree` over them), as serde_path_to_error named it, and those values are left as
/// they were: the search reads copies.
#[wasm_bindgen_test]
fn a_wrong_member_of_a_js_value_is_named_and_the_value_left_alone() {
    use latch_login::browser::json::{from_value, stringify};
    use latch_login::core::client_config::ClientConfiguration;
    use latch_login::core::options::Options;

    let text =
        r#"{"id":"a","strategies":[{"name":"oidc"},{"name":"b","connections":[{"name":7}]}]}"#;
    let e = BrowserJson
        .read_named::<ClientConfiguration>(text)
        .expect_err("a number for a name");
    assert_eq!(e.path, "strategies[1].connections[0].name");
    let e = BrowserJson
        .read_named::<ClientConfiguration>(
            r#"{"id":"a","strategies":[{"connections":[{}],"name":"x"}]}"#,
        )
        .expect_err("a connection without a name");
    assert_eq!(e.path, "strategies[0].connections[0]");
    let e = BrowserJson
        .read_named::<ClientConfiguration>(r#"{"id":"a"}"#)
        .expect_err("no strategies");
    assert_eq!(e.path, "");

    let options = js_sys::JSON::parse(
        r#"{"container":"w","auth":{"params":{"scope":"x","__proto__":{"a":1}}},"leeway":30}"#,
    )
    .expect("JSON");
    let before = stringify(&options);
    let e = from_value::<Options>(options.clone()).expect_err("an object for a parameter");
    assert_eq!(e.path, "auth.params.__proto__");
    assert_eq!(stringify(&options), before);
    let e = from_value::<Options>(js_sys::JSON::parse(r#"{"connections":[{"name":"d","issuer":"https://op.example","client_id":"c","type":"nope"}]}"#).expect("JSON"))
        .expect_err("an unknown channel");
    assert_eq!(e.path, "connections[0].type");
}

/// RFC 9449 §4.2 with the browser's WebCrypto: the private key cannot be exported, the proof
/// names the public key in its header, and its signature verifies with that key (imported
/// again, by the widget's own ID token verifier), over the core's claims.
#[cfg(feature = "dpop")]
#[wasm_bindgen_test]
async fn a_dpop_proof_is_signed_by_a_key_no_script_can_export() {
    use latch_login::browser::crypto::subtle;
    use latch_login::browser::dpop::DpopKey;
    use latch_login::core::dpop::{access_token_hash, DpopNonce, ProofFor};
    use latch_login::core::id_token::{SignatureCheck, SignatureVerifier};
    use latch_login::core::jwks::PublicJwk;

    let key = DpopKey::generate().await.expect("a key");
    assert!(!key.private_key().extractable());
    let export = subtle()
        .expect("subtle")
        .export_key("jwk", key.private_key())
        .expect("a promise");
    assert!(
        JsFuture::from(export).await.is_err(),
        "the private key stays inside WebCrypto"
    );

    let nonce = DpopNonce::parse("n-1").expect("nonce");
    let proof = key
        .proof(
            ProofFor::Resource {
                method: "post",
                url: "https://api.example.com/items?x=1#y",
                access_token: "at",
            },
            Some(&nonce),
        )
        .await
        .expect("a proof");
    let parts: Vec<&str> = proof.split('.').collect();
    assert_eq!(parts.len(), 3);
    let segment = |s: &str| -> serde_json::Value {
        serde_json::from_slice(&base64url::decode(s).expect("base64url")).expect("JSON")
    };
    let (header, claims) = (segment(parts[0]), segment(parts[1]));
    assert_eq!(header["typ"], "dpop+jwt");
    assert_eq!(header["alg"], "ES256");
    assert_eq!(claims["htm"], "POST");
    assert_eq!(claims["htu"], "https://api.example.com/items");
    assert_eq!(claims["nonce"], "n-1");
    assert_eq!(claims["ath"], access_token_hash("at"));
    let now = js_sys::Date::now() / 1000.0;
    assert!((claims["iat"].as_f64().expect("iat") - now).abs() < 5.0);
    assert_eq!(claims["jti"].as_str().map(str::len), Some(22));

    let public = PublicJwk {
        kty: "EC".into(),
        n: None,
        e: None,
        crv: header["jwk"]["crv"].as_str().map(str::to_owned),
        x: header["jwk"]["x"].as_str().map(str::to_owned),
        y: header["jwk"]["y"].as_str().map(str::to_owned),
    };
    let signing_input = [parts[0], ".", parts[1]].concat();
    let signature = base64url::decode(parts[2]).expect("signature");
    let mut changed = signing_input.clone().into_bytes();
    changed[3] ^= 1;
    for (input, holds) in [(signing_input.into_bytes(), true), (changed, false)] {
        let check = SignatureCheck {
            alg: Algorithm::Es256,
            key: &public,
            signing_input: &input,
            signature: &signature,
        };
        assert_eq!(WebCrypto.verify(check).await, Ok(holds));
    }

    // Another key's proofs carry another key and thumbprint.
    let other = DpopKey::generate().await.expect("a key");
    assert_ne!(other.thumbprint(), key.thumbprint());
}

/// The key pair survives in IndexedDB as CryptoKeys (the private one still unexportable),
/// per client, is never replaced by another maker's (`add`), and is gone once deleted.
#[cfg(feature = "dpop")]
#[wasm_bindgen_test]
async fn the_dpop_key_is_kept_in_indexeddb_and_deleted() {
    use latch_login::browser::dpop::{store, DpopKey};

    let key = DpopKey::generate().await.expect("a key");
    store::delete("app-a").await.expect("delete");
    assert!(store::load("app-a").await.expect("load").is_none());
    store::add("app-a", &key).await.expect("add");
    let kept = store::load("app-a")
        .await
        .expect("load")
        .expect("the key is kept");
    assert_eq!(kept.thumbprint(), key.thumbprint());
    assert!(!kept.private_key().extractable());
    // A second key for the same client is refused: two tabs that make one at once use the first.
    let second = DpopKey::generate().await.expect("a key");
    assert!(store::add("app-a", &second).await.is_err());
    let still = store::load("app-a").await.expect("load").expect("kept");
    assert_eq!(still.thumbprint(), key.thumbprint());
    assert!(store::load("app-b").await.expect("load").is_none());
    store::delete("app-a").await.expect("delete");
    assert!(store::load("app-a").await.expect("load").is_none());
}
