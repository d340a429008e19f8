//! The page's crypto: `crypto.getRandomValues` for state, nonce and verifier, and WebCrypto
//! `importKey` + `verify` for ID token signatures. No crypto of our own in the wasm but the
//! PKCE challenge's SHA-256 (sha2).

use js_sys::{Array, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey};

use crate::core::id_token::{SignatureCheck, SignatureVerifier};
use crate::core::jws::Algorithm;
use crate::core::types::Entropy;
use crate::core::Error;

use super::json::to_value;
use super::page::window;

/// The page's `crypto.subtle`.
pub fn subtle() -> Result<web_sys::SubtleCrypto, Error> {
    Ok(crypto()?.subtle())
}

fn crypto() -> Result<Crypto, Error> {
    window()
        .and_then(|w| w.crypto().ok())
        .ok_or_else(|| Error::CryptoUnavailable("no crypto object".into()))
}

/// `N` × 32 bytes from the browser's CSPRNG, in one call.
pub fn entropy<const N: usize>() -> Result<[Entropy; N], Error> {
    let mut bytes = [[0u8; 32]; N];
    crypto()?
        .get_random_values_with_u8_array(bytes.as_flattened_mut())
        .map_err(|_| Error::CryptoUnavailable("crypto.getRandomValues failed".into()))?;
    Ok(bytes)
}

/// WebCrypto's algorithm parameters for `alg`: `(importKey, verify)`, as JSON the browser
/// parses.
fn params(alg: Algorithm) -> (&'static str, &'static str) {
    match alg {
        Algorithm::Rs256 => (
            r#"{"name":"RSASSA-PKCS1-v1_5","hash":"SHA-256"}"#,
            r#"{"name":"RSASSA-PKCS1-v1_5"}"#,
        ),
        Algorithm::Ps256 => (
            r#"{"name":"RSA-PSS","hash":"SHA-256"}"#,
            r#"{"name":"RSA-PSS","saltLength":32}"#,
        ),
        Algorithm::Es256 => (
            r#"{"name":"ECDSA","namedCurve":"P-256"}"#,
            r#"{"name":"ECDSA","hash":"SHA-256"}"#,
        ),
    }
}

fn object(json: &str) -> Object {
    js_sys::JSON::parse(json)
        .ok()
        .and_then(|v| v.dyn_into::<Object>().ok())
        .unwrap_or_default()
}

/// WebCrypto, as the verifier of ID token signatures. A key it will not import, or any
/// failure inside it, is a signature that does not verify.
pub struct WebCrypto;

impl SignatureVerifier for WebCrypto {
    async fn verify(&self, check: SignatureCheck<'_>) -> Result<bool, Error> {
        let subtle = crypto()?.subtle();
        let (import, verify) = params(check.alg);
        let jwk = to_value(check.key);
        let usages = Array::of1(&JsValue::from_str("verify"));
        let Ok(importing) =
            subtle.import_key_with_object("jwk", &object_of(jwk), &object(import), false, &usages)
        else {
            return Ok(false);
        };
        let Ok(key) = JsFuture::from(importing).await else {
            return Ok(false);
        };
        let key: CryptoKey = key.unchecked_into();
        let signature = Uint8Array::from(check.signature);
        let data = Uint8Array::from(check.signing_input);
        let Ok(verifying) = subtle.verify_with_object_and_buffer_source_and_buffer_source(
            &object(verify),
            &key,
            &signature,
            &data,
        ) else {
            return Ok(false);
        };
        Ok(JsFuture::from(verifying)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false))
    }
}

fn object_of(value: JsValue) -> Object {
    value.dyn_into::<Object>().unwrap_or_default()
}
