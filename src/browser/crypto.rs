//! The page's crypto: `crypto.getRandomValues` for state, nonce and verifier, and WebCrypto
//! `importKey` + `verify` for ID token signatures. No crypto of our own in the wasm.

use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

use crate::core::id_token::{Algorithm, CompactJws, IdTokenClaims, JoseHeader};
use crate::core::jwks::{JwkSet, PublicJwk};
use crate::core::types::Entropy;
use crate::core::Error;

fn crypto() -> Result<web_sys::Crypto, Error> {
    web_sys::window()
        .ok_or_else(|| Error::CryptoUnavailable("no window".into()))?
        .crypto()
        .map_err(|_| Error::CryptoUnavailable("window.crypto is missing".into()))
}

/// 32 bytes from the browser's CSPRNG.
pub fn entropy() -> Result<Entropy, Error> {
    let mut bytes = [0u8; 32];
    crypto()?
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| Error::CryptoUnavailable("crypto.getRandomValues failed".into()))?;
    Ok(bytes)
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        super::set(&o, k, v);
    }
    o
}

/// `importKey` parameters, then `verify` parameters, for each accepted algorithm
/// (RFC 7518 §3.3–3.5; PSS with a 32-byte salt as RFC 7518 §3.5 requires).
fn webcrypto_params(alg: Algorithm) -> (Object, Object) {
    let sha256 = JsValue::from_str("SHA-256");
    match alg {
        Algorithm::Rs256 => (
            object(&[("name", "RSASSA-PKCS1-v1_5".into()), ("hash", sha256)]),
            object(&[("name", "RSASSA-PKCS1-v1_5".into())]),
        ),
        Algorithm::Ps256 => (
            object(&[("name", "RSA-PSS".into()), ("hash", sha256)]),
            object(&[("name", "RSA-PSS".into()), ("saltLength", 32.into())]),
        ),
        Algorithm::Es256 => (
            object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())]),
            object(&[("name", "ECDSA".into()), ("hash", sha256)]),
        ),
    }
}

/// Verifies a JWS signature over `signing_input` with the issuer's public key. A key the
/// browser will not import, or any failure inside WebCrypto, is a signature that does not
/// verify: never a token accepted.
pub async fn verify_signature(
    alg: Algorithm,
    jwk: &PublicJwk,
    signing_input: &[u8],
    signature: &[u8],
) -> Result<(), Error> {
    let subtle = crypto()?.subtle();
    let (import_params, verify_params) = webcrypto_params(alg);
    let key_data: Object = js_sys::JSON::parse(&jwk.to_json())
        .map_err(|_| Error::InvalidSignature)?
        .unchecked_into();
    let usages = Array::of1(&"verify".into());
    let imported = subtle
        .import_key_with_object("jwk", &key_data, &import_params, false, &usages)
        .map_err(|_| Error::InvalidSignature)?;
    let key: CryptoKey = JsFuture::from(imported)
        .await
        .map_err(|_| Error::InvalidSignature)?
        .unchecked_into();
    let signature = Uint8Array::from(signature);
    let data = Uint8Array::from(signing_input);
    let verdict = subtle
        .verify_with_object_and_js_u8_array_and_js_u8_array(&verify_params, &key, &signature, &data)
        .map_err(|_| Error::InvalidSignature)?;
    match JsFuture::from(verdict).await {
        Ok(v) if v.as_bool() == Some(true) => Ok(()),
        _ => Err(Error::InvalidSignature),
    }
}

/// Verifies an ID token's signature (RFC 7515 §5.2) and only then hands its claims over,
/// parsed by the core and as the browser reads them (for `idTokenPayload`). The algorithm
/// comes from the allow-list (`none` and HMAC are refused before any key is looked at); the
/// key is picked by `kid` from `keys(false)`, the issuer's cached JWKS, and when it is not
/// there from `keys(true)`, a fresh fetch: one refetch, for key rotation, never more.
pub async fn verify_id_token<F, Fut>(
    token: &str,
    keys: F,
) -> Result<(IdTokenClaims, JsValue), Error>
where
    F: Fn(bool) -> Fut,
    Fut: Future<Output = Result<Rc<JwkSet>, Error>>,
{
    let jws = CompactJws::split(token)?;
    let malformed = |what: &str, e: crate::core::json::JsonError| {
        Error::MalformedIdToken(what.to_owned() + ": " + &e.message())
    };
    let header = JoseHeader::from_json(&jws.header_json).map_err(|e| malformed("header", e))?;
    let alg = header.algorithm()?;
    let claims =
        IdTokenClaims::from_json(&jws.payload_json).map_err(|e| malformed("payload", e))?;
    // The claims as the browser reads them, for `idTokenPayload`; the core's reader is the
    // stricter of the two, so this cannot fail once it has passed.
    let raw = js_sys::JSON::parse(&jws.payload_json)
        .map_err(|_| Error::MalformedIdToken("payload: not JSON".into()))?;
    let kid = header.kid.as_deref();
    let key = match keys(false).await?.select(alg, kid) {
        Ok(key) => key.public(),
        Err(Error::KeyNotFound) => keys(true).await?.select(alg, kid)?.public(),
        Err(e) => return Err(e),
    };
    verify_signature(alg, &key, jws.signing_input.as_bytes(), &jws.signature).await?;
    Ok((claims, raw))
}
