//! The page's crypto: `crypto.getRandomValues` for state, nonce and verifier, and WebCrypto
//! `importKey` + `verify` for ID token signatures. No crypto of our own in the wasm.
//!
//! WebCrypto answers with promises, which the wasm does not wait on. [`SignedIdToken`]
//! decides everything around them (which algorithm, which key, whether the JWKS must be
//! refetched) and hands the wrapper the check to run as JSON: the key, WebCrypto's parameters
//! for the algorithm, the signed input and the signature (`verified` in `src/js/host.js`).

use crate::core::encoding::base64url;
use crate::core::id_token::{Algorithm, CompactJws, IdTokenClaims, JoseHeader};
use crate::core::json::ObjectWriter;
use crate::core::jwks::{JwkSet, PublicJwk};
use crate::core::types::Entropy;
use crate::core::Error;
use crate::prelude::*;

use super::host;

/// `N` × 32 bytes from the browser's CSPRNG, in one call.
pub fn entropy<const N: usize>() -> Result<[Entropy; N], Error> {
    let mut bytes = [[0u8; 32]; N];
    if !host::random(bytes.as_flattened_mut()) {
        return Err(Error::CryptoUnavailable(
            "crypto.getRandomValues failed".into(),
        ));
    }
    Ok(bytes)
}

/// WebCrypto's algorithm parameters for `alg`: `(importKey, verify)`, as JSON.
fn webcrypto_params(alg: Algorithm) -> (&'static str, &'static str) {
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

/// The signature check of `signature` over `data` with `key` for `alg`, as the wrapper runs
/// it: `{jwk, import, verify, data, signature}` (the signature in base64url).
pub fn signature_check(alg: Algorithm, key: &PublicJwk, data: &str, signature: &[u8]) -> String {
    let (import, verify) = webcrypto_params(alg);
    ObjectWriter::default()
        .raw("jwk", &key.to_json())
        .raw("import", import)
        .raw("verify", verify)
        .str("data", data)
        .str("signature", &base64url::encode(signature))
        .finish()
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

    /// The signature check for the picked key (see [`signature_check`]).
    pub fn check(&self) -> Result<String, Error> {
        let key = self.key.as_ref().ok_or(Error::KeyNotFound)?;
        Ok(signature_check(
            self.alg,
            key,
            &self.signing_input,
            &self.signature,
        ))
    }
}
