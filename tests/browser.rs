//! Browser-layer tests, run by wasm-bindgen-test in headless Chromium on the crate as it
//! ships (no test-only feature: scripts/test.sh runs
//! `cargo test --target wasm32-unknown-unknown --test browser`): real WebCrypto keys made
//! here, the real sessionStorage, address bar and DOM through the module's web-sys calls, and
//! the wrapper's own WebCrypto check (`src/js/host.js`).
#![cfg(target_arch = "wasm32")]

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::CryptoKey;

use std::cell::Cell;
use std::rc::Rc;

use latch_login::browser::crypto::{entropy, signature_check, SignedIdToken};
use latch_login::browser::storage::TransactionStore;
use latch_login::browser::{error_json, LatchCore};
use latch_login::core::connection::Channel;
use latch_login::core::encoding::base64url;
use latch_login::core::id_token::Algorithm;
use latch_login::core::id_token::IdTokenClaims;
use latch_login::core::jwks::{Jwk, JwkSet, PublicJwk};
use latch_login::core::transaction::Transaction;
use latch_login::core::types::*;
use latch_login::core::Error;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/src/js/host.js")]
extern "C" {
    /// The signature check as latch-login.js runs it, with what the wasm set up.
    async fn verified(check: &str) -> JsValue;
}

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
    KeyPair {
        private,
        public: Jwk::from_json(&js_sys::JSON::stringify(&jwk).unwrap().as_string().unwrap())
            .unwrap(),
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

/// The widget's signature check as latch-login.js runs it: the wasm sets it up (the key and
/// WebCrypto's parameters for `alg`), and host.js's `verified` runs it in WebCrypto.
async fn verify_signature(
    alg: Algorithm,
    jwk: &PublicJwk,
    data: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let data = std::str::from_utf8(data).expect("a signing input is ASCII");
    run_check(&signature_check(alg, jwk, data, signature)).await
}

async fn run_check(check: &str) -> Result<(), Error> {
    match verified(check).await.as_bool() {
        Some(true) => Ok(()),
        _ => Err(Error::InvalidSignature),
    }
}

/// An ID token through the steps latch-login.js takes (`#complete`): the key picked from the
/// issuer's `cached` set, or, when the wasm asks for it, from a refetch (`fetched`, counted
/// in `refetches`); then the signature check. What is under test is the wasm's side: the
/// allow-list, the key choice, and when it asks for a refetch.
async fn verify_id_token(
    token: &str,
    cached: Rc<JwkSet>,
    fetched: Rc<JwkSet>,
    refetches: &Cell<u32>,
) -> Result<IdTokenClaims, Error> {
    let mut signed = SignedIdToken::parse(token)?;
    if !signed.pick_key(&cached, false)? {
        refetches.set(refetches.get() + 1);
        assert!(signed.pick_key(&fetched, true)?, "a refetched set is final");
    }
    run_check(&signed.check()?).await?;
    Ok(signed.claims)
}

const INPUT: &[u8] = b"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9";
const ALGORITHMS: [Algorithm; 3] = [Algorithm::Rs256, Algorithm::Ps256, Algorithm::Es256];

#[wasm_bindgen_test]
async fn verifies_real_signatures_for_each_accepted_algorithm() {
    for alg in ALGORITHMS {
        let keys = key_pair(alg).await;
        let sig = sign(alg, &keys.private, INPUT).await;
        assert_eq!(
            verify_signature(alg, &keys.public.public(), INPUT, &sig).await,
            Ok(()),
            "{alg:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn rejects_a_flipped_signature_byte_and_changed_data() {
    for alg in ALGORITHMS {
        let keys = key_pair(alg).await;
        let mut sig = sign(alg, &keys.private, INPUT).await;
        let mut other = INPUT.to_vec();
        other[0] ^= 1;
        assert_eq!(
            verify_signature(alg, &keys.public.public(), &other, &sig).await,
            Err(Error::InvalidSignature),
            "{alg:?} data"
        );
        sig[7] ^= 0x01;
        assert_eq!(
            verify_signature(alg, &keys.public.public(), INPUT, &sig).await,
            Err(Error::InvalidSignature),
            "{alg:?} signature"
        );
    }
}

/// Claims that pass the core's reader: only the signature is under test here.
const CLAIMS: &[u8] = br#"{"iss":"https://op.example","aud":"latch-spa","sub":"alice","exp":4102444800,"iat":1700000000,"nonce":"n"}"#;

/// A compact JWS signed with `keys`, its header naming `alg_name` and `kid`.
async fn token(alg: Algorithm, alg_name: &str, kid: &str, keys: &KeyPair) -> String {
    let header = base64url::encode(
        ("{\"alg\":\"".to_owned() + alg_name + "\",\"kid\":\"" + kid + "\"}").as_bytes(),
    );
    let payload = base64url::encode(CLAIMS);
    let input = header + "." + &payload;
    let sig = sign(alg, &keys.private, input.as_bytes()).await;
    input + "." + &base64url::encode(&sig)
}

/// A JWKS holding `key` under `kid`.
fn jwks(kid: &str, key: &Jwk) -> Rc<JwkSet> {
    let mut key = key.clone();
    key.kid = Some(kid.to_owned());
    Rc::new(JwkSet { keys: vec![key] })
}

#[wasm_bindgen_test]
async fn a_rotated_key_is_found_after_exactly_one_jwks_refetch() {
    for alg in ALGORITHMS {
        let old = key_pair(alg).await;
        let new = key_pair(alg).await;
        let id_token = token(alg, alg.as_str(), "2026-rotated", &new).await;
        let refetches = Cell::new(0);
        let (cached, fetched) = (
            jwks("2026-old", &old.public),
            jwks("2026-rotated", &new.public),
        );
        let claims = verify_id_token(&id_token, cached, fetched, &refetches)
            .await
            .expect("verified after rotation");
        assert_eq!(claims.sub.as_deref(), Some("alice"), "{alg:?}");
        assert_eq!(
            refetches.get(),
            1,
            "{alg:?}: one refetch for the unknown kid"
        );
    }
}

#[wasm_bindgen_test]
async fn an_unknown_kid_fails_after_one_refetch_and_a_known_one_needs_none() {
    let signer = key_pair(Algorithm::Es256).await;
    let stranger = key_pair(Algorithm::Es256).await;
    let id_token = token(Algorithm::Es256, "ES256", "nobody-has-it", &signer).await;
    let refetches = Cell::new(0);
    let (cached, fetched) = (jwks("a", &stranger.public), jwks("b", &stranger.public));
    assert_eq!(
        verify_id_token(&id_token, cached, fetched, &refetches)
            .await
            .err(),
        Some(Error::KeyNotFound)
    );
    assert_eq!(refetches.get(), 1, "never more than one refetch");

    let known = token(Algorithm::Es256, "ES256", "k", &signer).await;
    let refetches = Cell::new(0);
    let (cached, fetched) = (jwks("k", &signer.public), jwks("k", &signer.public));
    assert!(verify_id_token(&known, cached, fetched, &refetches)
        .await
        .is_ok());
    assert_eq!(refetches.get(), 0, "a cached key is used as it is");
}

#[wasm_bindgen_test]
async fn a_key_under_the_right_kid_but_not_the_signer_is_an_invalid_signature() {
    let signer = key_pair(Algorithm::Rs256).await;
    let stranger = key_pair(Algorithm::Rs256).await;
    let id_token = token(Algorithm::Rs256, "RS256", "k1", &signer).await;
    let refetches = Cell::new(0);
    let (cached, fetched) = (jwks("k1", &stranger.public), jwks("k1", &signer.public));
    assert_eq!(
        verify_id_token(&id_token, cached, fetched, &refetches)
            .await
            .err(),
        Some(Error::InvalidSignature)
    );
    assert_eq!(
        refetches.get(),
        0,
        "a kid that matches is not a reason to refetch"
    );
}

#[wasm_bindgen_test]
async fn alg_none_and_hmac_are_refused_before_any_key_is_looked_at() {
    let rsa = key_pair(Algorithm::Rs256).await;
    let payload = base64url::encode(CLAIMS);
    let unsecured = base64url::encode(br#"{"alg":"none"}"#) + "." + &payload + ".";
    // HS256 "signed" with the public key as the HMAC secret: the classic key-confusion attack.
    let hs_input = base64url::encode(br#"{"alg":"HS256","kid":"k1"}"#) + "." + &payload;
    let subtle = web_sys::window().unwrap().crypto().unwrap().subtle();
    let secret = Uint8Array::from(rsa.public.n.as_deref().unwrap().as_bytes());
    let hmac = obj(&[("name", "HMAC".into()), ("hash", "SHA-256".into())]);
    let key: CryptoKey = JsFuture::from(
        subtle
            .import_key_with_object(
                "raw",
                &secret,
                &hmac,
                false,
                &js_sys::Array::of1(&"sign".into()),
            )
            .unwrap(),
    )
    .await
    .unwrap()
    .unchecked_into();
    let mac = JsFuture::from(
        subtle
            .sign_with_str_and_u8_array("HMAC", &key, hs_input.as_bytes())
            .unwrap(),
    )
    .await
    .unwrap();
    let hmac_token = hs_input + "." + &base64url::encode(&Uint8Array::new(&mac).to_vec());

    for (token, alg) in [(unsecured, "none"), (hmac_token, "HS256")] {
        // Refused as the token is read, before a key is picked: no JWKS is even asked for.
        assert_eq!(
            SignedIdToken::parse(&token).err(),
            Some(Error::UnsupportedAlgorithm(alg.into())),
            "{alg}"
        );
        let refetches = Cell::new(0);
        let set = jwks("k1", &rsa.public);
        assert_eq!(
            verify_id_token(&token, set.clone(), set, &refetches)
                .await
                .err(),
            Some(Error::UnsupportedAlgorithm(alg.into())),
            "{alg}"
        );
    }
}

#[wasm_bindgen_test]
async fn an_empty_signature_never_verifies() {
    // The core lets an empty signature through to the algorithm check (so `alg: none` is
    // reported as such); for the accepted algorithms, WebCrypto must refuse it.
    for alg in ALGORITHMS {
        let keys = key_pair(alg).await;
        assert_eq!(
            verify_signature(alg, &keys.public.public(), INPUT, &[]).await,
            Err(Error::InvalidSignature),
            "{alg:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn rejects_a_signature_by_another_key_or_another_algorithm() {
    let signer = key_pair(Algorithm::Rs256).await;
    let stranger = key_pair(Algorithm::Rs256).await;
    let sig = sign(Algorithm::Rs256, &signer.private, INPUT).await;
    assert_eq!(
        verify_signature(Algorithm::Rs256, &stranger.public.public(), INPUT, &sig).await,
        Err(Error::InvalidSignature)
    );
    // The same RSA key, but the token claims PS256: the PKCS#1 v1.5 signature must not pass.
    assert_eq!(
        verify_signature(Algorithm::Ps256, &signer.public.public(), INPUT, &sig).await,
        Err(Error::InvalidSignature)
    );
    // An EC key offered for an RSA algorithm cannot even be imported.
    let ec = key_pair(Algorithm::Es256).await;
    assert_eq!(
        verify_signature(Algorithm::Rs256, &ec.public.public(), INPUT, &sig).await,
        Err(Error::InvalidSignature)
    );
}

#[wasm_bindgen_test]
fn entropy_is_32_fresh_bytes() {
    let [a, b] = entropy::<2>().unwrap();
    let [c] = entropy::<1>().unwrap();
    assert!(a != b && b != c && a != c);
    assert_ne!(a, [0u8; 32]);
}

fn transaction(state: &str, created_at: u64) -> Transaction {
    Transaction {
        state: State::new(state),
        nonce: Nonce::new("n"),
        code_verifier: Some(PkceCodeVerifier::new("v".repeat(43))),
        channel: Channel::Back,
        client_id: ClientId::new("app"),
        connection: ConnectionName::new("corp"),
        strategy: "oidc".into(),
        redirect_uri: RedirectUrl::new("https://app.example.com/"),
        issuer: IssuerUrl::new("https://op.example.com/"),
        token_endpoint: Some("https://op.example.com/oauth/token".into()),
        jwks_uri: "https://op.example.com/jwks".into(),
        iss_parameter_supported: true,
        max_age: Some(300),
        app_state: Some(r#"{"returnTo":"/inbox"}"#.into()),
        created_at,
    }
}

#[wasm_bindgen_test]
fn transactions_are_stored_per_state_and_taken_once() {
    let store = TransactionStore::open().unwrap();
    let now = latch_login::browser::now_secs();
    store.save(&transaction("tab-one", now)).unwrap();
    store.save(&transaction("tab-two", now)).unwrap();
    let one = store.take(&State::new("tab-one")).unwrap();
    assert_eq!(one.state.as_str(), "tab-one");
    assert_eq!(
        one.code_verifier.as_ref().map(PkceCodeVerifier::secret),
        Some("v".repeat(43).as_str())
    );
    assert_eq!(one.max_age, Some(300));
    assert_eq!(one.app_state.as_deref(), Some(r#"{"returnTo":"/inbox"}"#));
    assert_eq!(
        store.take(&State::new("tab-one")).unwrap_err(),
        Error::StateMismatch,
        "a state is accepted once"
    );
    assert_eq!(
        store.take(&State::new("tab-two")).unwrap().state.as_str(),
        "tab-two",
        "the other tab's login is untouched"
    );
}

#[wasm_bindgen_test]
fn sweep_drops_expired_and_corrupt_transactions_only() {
    let store = TransactionStore::open().unwrap();
    let now = latch_login::browser::now_secs();
    store.save(&transaction("fresh", now)).unwrap();
    store.save(&transaction("stale", now - 3600)).unwrap();
    let session = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap();
    session.set_item("latch.tx.corrupt", "{not json").unwrap();
    session.set_item("someone-else", "kept").unwrap();
    store.sweep(now);
    assert_eq!(session.get_item("latch.tx.stale").unwrap(), None);
    assert_eq!(session.get_item("latch.tx.corrupt").unwrap(), None);
    assert_eq!(
        session.get_item("someone-else").unwrap().as_deref(),
        Some("kept")
    );
    assert!(store.take(&State::new("fresh")).is_ok());
}

/// A JSON value the wasm wrote.
fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("the wasm writes JSON")
}

fn core(options: &str) -> Result<LatchCore, Error> {
    LatchCore::new("app", "op.example.com", Some(options.to_owned())).map_err(|thrown| thrown.0)
}

/// The `{ error, errorDescription }` a step threw, as the page gets it.
fn thrown_code(value: &JsValue) -> String {
    Reflect::get(value, &"error".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn a_missing_container_is_a_named_option_error() {
    let refused = core(r#"{"container":"no-such-element"}"#)
        .expect("a core")
        .frame()
        .expect_err("no element has that id")
        .0;
    assert_eq!(refused.code(), "invalid_option");
    assert!(refused.message().contains("container"), "{refused:?}");

    let document = web_sys::window().unwrap().document().unwrap();
    let container = document.create_element("div").unwrap();
    container.set_id("latch-here");
    document.body().unwrap().append_child(&container).unwrap();
    let frame = core(r#"{"container":"latch-here"}"#)
        .expect("a core")
        .frame()
        .expect("the element exists");
    assert_eq!(
        Reflect::get(&frame, &"container".into())
            .unwrap()
            .as_string()
            .as_deref(),
        Some("latch-here")
    );
    container.remove();
}

#[wasm_bindgen_test]
fn bad_constructor_arguments_are_a_typed_error() {
    let code = |domain: &str, options: &str| {
        LatchCore::new("app", domain, Some(options.to_owned()))
            .err()
            .expect("an error")
            .0
            .code()
            .to_owned()
    };
    assert_eq!(code("http://evil.example.com", "{}"), "invalid_domain");
    assert_eq!(
        code("op.example.com", r#"{"auth":{"responseType":"token"}}"#),
        "invalid_option"
    );
    assert_eq!(
        code("op.example.com", r#"{"auth":{"params":{"nonce":"x"}}}"#),
        "reserved_parameter"
    );
    assert_eq!(
        code("op.example.com", r#"{"allowedConnections":"corp"}"#),
        "invalid_option"
    );
    assert_eq!(code("op.example.com", "not json"), "invalid_option");
    assert!(LatchCore::new("app", "op.example.com", None).is_ok());
}

#[wasm_bindgen_test]
fn error_payloads_use_locks_field_names() {
    let payload = json(&error_json(&Error::Provider {
        error: "access_denied".into(),
        description: "User cancelled".into(),
    }));
    assert_eq!(
        payload,
        serde_json::json!({ "error": "access_denied", "errorDescription": "User cancelled" })
    );
}

#[wasm_bindgen_test]
fn a_response_in_the_address_bar_is_taken_once_and_removed_from_it() {
    let window = web_sys::window().unwrap();
    let (location, history) = (window.location(), window.history().unwrap());
    let page = location.pathname().unwrap() + &location.search().unwrap();
    let with_response = page.clone() + "#keep=1&code=c&state=no-such-login";
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&with_response))
        .unwrap();
    let mut latch = core("{}").expect("a core");
    // Read from the fragment, and refused: no login of this tab has that state.
    let refused: JsValue = latch.resume(None).expect_err("refused").into();
    assert_eq!(thrown_code(&refused), "state_mismatch");
    // Gone from the address bar, the page's own parameter kept: a reload does not replay it.
    assert_eq!(location.hash().unwrap(), "#keep=1");
    assert!(
        latch.resume(None).expect("read").is_undefined(),
        "nothing left to handle"
    );
    history
        .replace_state_with_url(&JsValue::NULL, "", Some(&page))
        .unwrap();
}
