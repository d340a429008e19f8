//! ID token validation, [OpenID Connect Core §3.1.3.7](https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation).
//! Typed states: an [`UnverifiedIdToken`] is split and read; only [`UnverifiedIdToken::verify`]
//! (with WebCrypto in the browser, see [`SignatureVerifier`]) makes an [`IdToken`], and only an
//! `IdToken` hands out its claims, once they pass every check.

pub use super::claims::{Audience, Expected, IdTokenClaims, UpdatedAt};
use super::document::{JsonReader, ReadError};
use super::encoding::cat;
use super::jwks::{JwkSet, PublicJwk};
use super::jws::{Algorithm, CompactJws, JoseHeader};
use super::Error;

use crate::prelude::*;

/// The signature check of an ID token, for the layer that has the crypto (WebCrypto in the
/// browser): the key and algorithm the token must verify with, the signed bytes and the
/// signature (RFC 7515 §5.2).
#[derive(Debug)]
pub struct SignatureCheck<'a> {
    pub alg: Algorithm,
    pub key: &'a PublicJwk,
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`.
    pub signing_input: &'a [u8],
    pub signature: &'a [u8],
}

/// Verifies signatures: WebCrypto in the browser. Whether the signature holds; an error only
/// when the check could not be made at all.
#[allow(async_fn_in_trait)]
pub trait SignatureVerifier {
    async fn verify(&self, check: SignatureCheck<'_>) -> Result<bool, Error>;
}

/// An ID token as received: split, its algorithm taken from the allow-list (`none` and HMAC
/// are refused before any key is looked at), its claims read but not trusted. The claims are
/// reachable only through [`UnverifiedIdToken::verify`], which hands out an [`IdToken`].
#[derive(Debug)]
pub struct UnverifiedIdToken {
    raw: String,
    alg: Algorithm,
    kid: Option<String>,
    claims: IdTokenClaims,
    payload_json: String,
    signing_input_len: usize,
    signature: Vec<u8>,
}

impl UnverifiedIdToken {
    /// Splits and reads `raw`; `json` reads the header and the claims.
    pub fn parse(raw: String, json: &impl JsonReader) -> Result<Self, Error> {
        let jws = CompactJws::split(&raw)?;
        let malformed =
            |what: &str, e: ReadError| Error::MalformedIdToken(cat(&[what, ": ", &e.describe()]));
        let header: JoseHeader = json
            .read(&jws.header_json)
            .map_err(|e| malformed("header", e))?;
        let alg = header.algorithm()?;
        let claims =
            IdTokenClaims::read(json, &jws.payload_json).map_err(|e| malformed("payload", e))?;
        let signing_input_len = jws.signing_input.len();
        let (payload_json, signature) = (jws.payload_json, jws.signature);
        Ok(Self {
            raw,
            alg,
            kid: header.kid,
            claims,
            payload_json,
            signing_input_len,
            signature,
        })
    }

    /// The key of `keys` that must have signed the token: the one named by `kid`, else the
    /// only one that fits the algorithm. [`Error::KeyNotFound`] asks the caller to fetch the
    /// set once more (key rotation).
    pub fn key(&self, keys: &JwkSet) -> Result<PublicJwk, Error> {
        keys.select(self.alg, self.kid.as_deref())
            .map(|k| k.public())
    }

    /// Core §3.1.3.7 step 6: the signature, with `key`. Only a token that passes becomes an
    /// [`IdToken`].
    pub async fn verify(
        self,
        key: &PublicJwk,
        verifier: &impl SignatureVerifier,
    ) -> Result<IdToken, Error> {
        let check = SignatureCheck {
            alg: self.alg,
            key,
            signing_input: self
                .raw
                .as_bytes()
                .get(..self.signing_input_len)
                .unwrap_or_default(),
            signature: &self.signature,
        };
        if !verifier.verify(check).await? {
            return Err(Error::InvalidSignature);
        }
        Ok(IdToken {
            raw: self.raw,
            claims: self.claims,
            payload_json: self.payload_json,
        })
    }
}

/// An ID token whose signature was verified. Its claims are handed out only once they pass
/// every check of Core §3.1.3.7 ([`IdToken::claims`]), as openidconnect-rs's
/// `IdToken::claims(&verifier, nonce)` does.
#[derive(Debug)]
pub struct IdToken {
    raw: String,
    claims: IdTokenClaims,
    payload_json: String,
}

impl IdToken {
    /// The token whose claims `expect` holds for (Core §3.1.3.7 steps 2–11): only then are
    /// they, and the token itself, handed out.
    pub fn claims(self, expect: &Expected<'_>) -> Result<ValidIdToken, Error> {
        self.claims.validate(expect)?;
        Ok(ValidIdToken {
            raw: self.raw,
            claims: self.claims,
            payload_json: self.payload_json,
        })
    }
}

/// An ID token whose signature and claims passed every check: what a login hands the app.
#[derive(Debug)]
pub struct ValidIdToken {
    raw: String,
    claims: IdTokenClaims,
    payload_json: String,
}

impl ValidIdToken {
    pub fn claims(&self) -> &IdTokenClaims {
        &self.claims
    }

    /// The token as received (the app's `idToken`).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// The claims as sent (the app's `idTokenPayload`).
    pub fn payload_json(&self) -> &str {
        &self.payload_json
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url;

    use crate::core::claims::tests::{expected, NOW};
    use crate::core::types::Nonce;

    #[test]
    fn only_rs256_ps256_es256_are_accepted() {
        for ok in ["RS256", "PS256", "ES256"] {
            assert_eq!(Algorithm::parse(ok).map(Algorithm::as_str), Ok(ok));
        }
        for bad in ["none", "HS256", "HS512", "RS512", "rs256", ""] {
            assert_eq!(
                Algorithm::parse(bad),
                Err(Error::UnsupportedAlgorithm(bad.into()))
            );
        }
        let crit: JoseHeader =
            serde_json::from_str(r#"{"alg":"RS256","crit":["exp"]}"#).expect("header");
        assert!(matches!(crit.algorithm(), Err(Error::MalformedIdToken(_))));
    }

    /// A verifier that answers `verdict` at once, and counts what it was asked.
    struct Fixed {
        verdict: bool,
        asked: core::cell::Cell<usize>,
    }

    impl SignatureVerifier for Fixed {
        async fn verify(&self, check: SignatureCheck<'_>) -> Result<bool, Error> {
            self.asked.set(self.asked.get() + 1);
            assert_eq!(check.signature, b"sig");
            assert_eq!(
                check.signing_input.iter().filter(|b| **b == b'.').count(),
                1
            );
            Ok(self.verdict)
        }
    }

    /// A verifier whose check cannot be made at all (WebCrypto refused the key).
    struct Broken;

    impl SignatureVerifier for Broken {
        async fn verify(&self, _: SignatureCheck<'_>) -> Result<bool, Error> {
            Err(Error::CryptoUnavailable("importKey failed".into()))
        }
    }

    /// Runs a future that never waits (the verifier above answers at once).
    fn now<F: core::future::Future>(future: F) -> F::Output {
        let mut future = core::pin::pin!(future);
        let mut context = core::task::Context::from_waker(core::task::Waker::noop());
        match future.as_mut().poll(&mut context) {
            core::task::Poll::Ready(value) => value,
            core::task::Poll::Pending => panic!("the future waited"),
        }
    }

    fn unverified() -> UnverifiedIdToken {
        let h = base64url::encode(br#"{"alg":"RS256","kid":"r1"}"#);
        let p = base64url::encode(
            format!(r#"{{"iss":"https://op.example.com/","sub":"s","aud":"app","exp":{},"iat":{NOW},"nonce":"n1"}}"#, NOW + 300).as_bytes(),
        );
        let raw = format!("{h}.{p}.{}", base64url::encode(b"sig"));
        UnverifiedIdToken::parse(raw, &crate::core::document::SerdeJson).expect("parsed")
    }

    fn keys() -> JwkSet {
        serde_json::from_str(r#"{"keys":[{"kty":"RSA","kid":"r1","n":"AQAB","e":"AQAB"}]}"#)
            .expect("jwks")
    }

    #[test]
    fn claims_are_reached_only_through_a_verified_signature() {
        let expect = expected(None);
        let refuses = Fixed {
            verdict: false,
            asked: 0.into(),
        };
        let token = unverified();
        let key = token.key(&keys()).expect("key");
        assert_eq!(
            now(token.verify(&key, &refuses)).err(),
            Some(Error::InvalidSignature)
        );
        assert_eq!(refuses.asked.get(), 1);
        let accepts = Fixed {
            verdict: true,
            asked: 0.into(),
        };
        let token = now(unverified().verify(&key, &accepts)).expect("verified");
        assert_eq!(
            token.claims(&expect).expect("valid").claims().sub(),
            Some("s")
        );
        let other = Nonce::new("n2");
        let token = now(unverified().verify(&key, &accepts)).expect("verified");
        assert_eq!(
            token
                .claims(&Expected {
                    nonce: &other,
                    ..expect
                })
                .err(),
            Some(Error::NonceMismatch)
        );
        let none: JwkSet = serde_json::from_str(r#"{"keys":[]}"#).expect("jwks");
        assert_eq!(unverified().key(&none).err(), Some(Error::KeyNotFound));
    }

    #[test]
    fn a_signature_check_that_cannot_be_made_is_an_error_not_a_token() {
        let token = unverified();
        let key = token.key(&keys()).expect("key");
        assert_eq!(
            now(token.verify(&key, &Broken)).err(),
            Some(Error::CryptoUnavailable("importKey failed".into()))
        );
    }

    #[test]
    fn a_valid_token_hands_out_the_token_as_received_and_the_claims_as_sent() {
        let token = unverified();
        let raw = token.raw.clone();
        let payload = base64url::decode(raw.split('.').nth(1).expect("payload")).expect("b64");
        let key = token.key(&keys()).expect("key");
        let accepts = Fixed {
            verdict: true,
            asked: 0.into(),
        };
        let valid = now(token.verify(&key, &accepts))
            .expect("verified")
            .claims(&expected(None))
            .expect("valid");
        assert_eq!(valid.raw(), raw);
        assert_eq!(valid.payload_json().as_bytes(), payload.as_slice());
        assert!(valid
            .payload_json()
            .starts_with(r#"{"iss":"https://op.example.com/""#));
    }
}
