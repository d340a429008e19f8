//! The page's crypto: `crypto.getRandomValues` for state, nonce and verifier, and WebCrypto
//! `importKey` + `verify` for ID token signatures. No crypto of our own in the wasm.
//!
//! WebCrypto answers with promises; the wasm does not wait on them. [`SignedIdToken`] makes
//! each promise and decides everything around it (which algorithm, which key, whether the
//! JWKS must be refetched); the JS wrapper only awaits.

use js_sys::{Array, Object, Promise, Uint8Array};
use web_sys::CryptoKey;

use crate::core::id_token::{Algorithm, CompactJws, IdTokenClaims, JoseHeader};
use crate::core::jwks::{JwkSet, PublicJwk};
use crate::core::types::Entropy;
use crate::core::Error;
use crate::prelude::*;

fn subtle() -> Result<web_sys::SubtleCrypto, Error> {
    Ok(crypto()?.subtle())
}

fn crypto() -> Result<web_sys::Crypto, Error> {
    web_sys::window()
        .ok_or_else(|| Error::CryptoUnavailable("no window".into()))?
        .crypto()
        .map_err(|_| Error::CryptoUnavailable("window.crypto is missing".into()))
}

/// `N` × 32 bytes from the browser's CSPRNG, in one call.
pub fn entropy<const N: usize>() -> Result<[Entropy; N], Error> {
    let mut bytes = [[0u8; 32]; N];
    crypto()?
        .get_random_values_with_u8_array(bytes.as_flattened_mut())
        .map_err(|_| Error::CryptoUnavailable("crypto.getRandomValues failed".into()))?;
    Ok(bytes)
}

/// WebCrypto's algorithm parameters for `alg`: `(importKey, verify)`, as JSON literals the
/// browser reads (smaller in the wasm than building the objects member by member).
fn webcrypto_params(alg: Algorithm) -> (Object, Object) {
    let (import, verify) = match alg {
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
    };
    // Constant, valid JSON: parse cannot fail, and an empty object would only make WebCrypto
    // reject the call (an invalid signature, never an accepted one).
    let parse = |json: &str| Object::from(js_sys::JSON::parse(json).unwrap_or_default());
    (parse(import), parse(verify))
}

pub fn import_key(alg: Algorithm, jwk: &PublicJwk) -> Result<Promise, Error> {
    let key_data: Object = js_sys::JSON::parse(&jwk.to_json())
        .map_err(|_| Error::InvalidSignature)?
        .into();
    subtle()?
        .import_key_with_object(
            "jwk",
            &key_data,
            &webcrypto_params(alg).0,
            false,
            &Array::of1(&"verify".into()),
        )
        .map_err(|_| Error::InvalidSignature)
}

/// `verify(...)` of `signature` over `data` with `key`: a promise of a boolean.
pub fn verify(
    alg: Algorithm,
    key: &CryptoKey,
    data: &[u8],
    signature: &[u8],
) -> Result<Promise, Error> {
    subtle()?
        .verify_with_object_and_js_u8_array_and_js_u8_array(
            &webcrypto_params(alg).1,
            key,
            &Uint8Array::from(signature),
            &Uint8Array::from(data),
        )
        .map_err(|_| Error::InvalidSignature)
}

/// An ID token on its way through the signature check (RFC 7515 §5.2): split, its algorithm
/// taken from the allow-list (`none` and HMAC are refused before any key is looked at), its
/// claims read but not yet trusted.
pub struct SignedIdToken {
    pub alg: Algorithm,
    kid: Option<String>,
    pub claims: IdTokenClaims,
    /// The payload as sent, for `idTokenPayload`.
    pub payload_json: String,
    signing_input: String,
    signature: Vec<u8>,
    key: Option<PublicJwk>,
}

impl SignedIdToken {
    pub fn parse(token: &str) -> Result<Self, Error> {
        let jws = CompactJws::split(token)?;
        let malformed = |what: &str, e: crate::core::json::JsonError| {
            Error::MalformedIdToken(crate::core::encoding::cat(&[what, ": ", &e.message()]))
        };
        let header = JoseHeader::from_json(&jws.header_json).map_err(|e| malformed("header", e))?;
        let alg = header.algorithm()?;
        let claims =
            IdTokenClaims::from_json(&jws.payload_json).map_err(|e| malformed("payload", e))?;
        Ok(Self {
            alg,
            kid: header.kid,
            claims,
            payload_json: jws.payload_json,
            signing_input: jws.signing_input.to_owned(),
            signature: jws.signature,
            key: None,
        })
    }

    /// Picks the key by `kid` from the issuer's JWKS. `Ok(false)` asks for one refetch: the
    /// key is not in a set that may be stale (key rotation). A set that was `refetched` for
    /// it gets no second chance: never more than one refetch.
    pub fn pick_key(&mut self, set: &JwkSet, refetched: bool) -> Result<bool, Error> {
        match set.select(self.alg, self.kid.as_deref()) {
            Ok(key) => {
                self.key = Some(key.public());
                Ok(true)
            }
            Err(Error::KeyNotFound) if !refetched => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// The `importKey` promise for the picked key.
    pub fn import_key(&self) -> Result<Promise, Error> {
        let key = self.key.as_ref().ok_or(Error::KeyNotFound)?;
        import_key(self.alg, key)
    }

    /// The `verify` promise of this token's signature with `key`.
    pub fn verify(&self, key: &CryptoKey) -> Result<Promise, Error> {
        verify(
            self.alg,
            key,
            self.signing_input.as_bytes(),
            &self.signature,
        )
    }
}
