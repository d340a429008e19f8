//! ID token validation, [OpenID Connect Core §3.1.3.7](https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation).
//! Typed states: an [`UnverifiedIdToken`] is split and read; only [`UnverifiedIdToken::verify`]
//! (with WebCrypto in the browser, see [`SignatureVerifier`]) makes an [`IdToken`], and only an
//! `IdToken` hands out its claims, once they pass every check.

use core::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::Deserialize;

use super::document::{JsonReader, ReadError};
use super::encoding::cat;
use super::jwks::{JwkSet, PublicJwk};
use super::jws::{Algorithm, CompactJws, JoseHeader};
use super::types::{ClientId, IssuerUrl, Nonce};
use super::Error;

use crate::prelude::*;

/// `aud`: one audience or several (RFC 7519 §4.1.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Audience;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Audience, E> {
                Ok(Audience::One(v.to_owned()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                let mut all = Vec::new();
                while let Some(one) = seq.next_element::<String>()? {
                    all.push(one);
                }
                Ok(Audience::Many(all))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// `updated_at` is seconds in OpenID Connect (§5.1); some providers send a date string.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdatedAt {
    Seconds(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for UpdatedAt {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl Visitor<'_> for Visit {
            type Value = UpdatedAt;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<UpdatedAt, E> {
                Ok(UpdatedAt::Text(v.to_owned()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<UpdatedAt, E> {
                Ok(UpdatedAt::Seconds(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<UpdatedAt, E> {
                Ok(UpdatedAt::Seconds(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<UpdatedAt, E> {
                Ok(UpdatedAt::Seconds(v as f64))
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// The claims of an ID token (Core §2, §5.1). `iss`, `aud`, `exp` and `iat` are required;
/// the rest is checked by [`IdToken::claims`] or optional. The members are private and the
/// type has no `Deserialize` of its own: claims are read only by [`UnverifiedIdToken::parse`]
/// and handed out only by a token whose signature and claims were verified.
#[derive(Debug, Clone)]
pub struct IdTokenClaims(Claims);

/// The claims as the payload carries them. Its members are private to this module: other
/// code of the crate can read one (the path test of `document` does) but never look inside it
/// or make an [`IdTokenClaims`] of it.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct Claims {
    iss: String,
    sub: Option<String>,
    aud: Audience,
    azp: Option<String>,
    exp: i64,
    iat: i64,
    nonce: Option<String>,
    auth_time: Option<i64>,
    name: Option<String>,
    nickname: Option<String>,
    preferred_username: Option<String>,
    email: Option<String>,
    email_verified: Option<bool>,
    picture: Option<String>,
    updated_at: Option<UpdatedAt>,
}

impl IdTokenClaims {
    pub fn sub(&self) -> Option<&str> {
        self.0.sub.as_deref()
    }
    /// Seconds since the Unix epoch.
    pub fn exp(&self) -> i64 {
        self.0.exp
    }
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    pub fn nickname(&self) -> Option<&str> {
        self.0.nickname.as_deref()
    }
    pub fn preferred_username(&self) -> Option<&str> {
        self.0.preferred_username.as_deref()
    }
    pub fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    pub fn email_verified(&self) -> Option<bool> {
        self.0.email_verified
    }
    pub fn picture(&self) -> Option<&str> {
        self.0.picture.as_deref()
    }
    pub fn updated_at(&self) -> Option<&UpdatedAt> {
        self.0.updated_at.as_ref()
    }

    /// Claims read from `json` as a payload would be, for the core's own tests only.
    #[cfg(test)]
    pub(crate) fn for_tests(json: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(json).map(IdTokenClaims)
    }
}

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
        let claims = IdTokenClaims(
            json.read::<Claims>(&jws.payload_json)
                .map_err(|e| malformed("payload", e))?,
        );
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

/// What this login expects of its ID token.
pub struct Expected<'a> {
    pub issuer: &'a IssuerUrl,
    pub client_id: &'a ClientId,
    pub nonce: &'a Nonce,
    /// Seconds since the Unix epoch.
    pub now: i64,
    pub leeway: i64,
    pub max_age: Option<u64>,
}

impl IdTokenClaims {
    /// Core §3.1.3.7 steps 2–11, each failure its own error. The signature (step 6) was
    /// checked before: see [`UnverifiedIdToken::verify`].
    fn validate(&self, expect: &Expected<'_>) -> Result<(), Error> {
        let claims = &self.0;
        claims.validate(expect)
    }
}

impl Claims {
    fn validate(&self, expect: &Expected<'_>) -> Result<(), Error> {
        if self.iss != expect.issuer.as_str() {
            return Err(Error::IssuerMismatch);
        }
        let client = expect.client_id.as_str();
        let several = match &self.aud {
            Audience::One(a) if a == client => false,
            Audience::Many(list) if list.iter().any(|a| a == client) => list.len() > 1,
            _ => return Err(Error::AudienceMismatch),
        };
        match self.azp.as_deref() {
            Some(azp) if azp != client => return Err(Error::AzpMismatch),
            None if several => return Err(Error::AzpMismatch),
            _ => {}
        }
        if self.exp.saturating_add(expect.leeway) <= expect.now {
            return Err(Error::TokenExpired);
        }
        if self.iat.saturating_sub(expect.leeway) > expect.now {
            return Err(Error::IssuedInFuture);
        }
        if self.nonce.as_deref() != Some(expect.nonce.as_str()) {
            return Err(Error::NonceMismatch);
        }
        if self.sub.as_deref().is_none_or(str::is_empty) {
            return Err(Error::MissingSubject);
        }
        if let Some(max_age) = expect.max_age {
            let auth_time = self.auth_time.ok_or(Error::AuthTimeMissing)?;
            let max_age = i64::try_from(max_age).unwrap_or(i64::MAX);
            if auth_time
                .saturating_add(max_age)
                .saturating_add(expect.leeway)
                < expect.now
            {
                return Err(Error::AuthTimeTooOld);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::base64url;
    use serde_json::json;
    use serde_json::Value;

    const NOW: i64 = 1_700_000_000;

    fn claims(overrides: Value) -> IdTokenClaims {
        let mut base = json!({
            "iss": "https://op.example.com/", "sub": "auth0|563b", "aud": "app",
            "exp": NOW + 300, "iat": NOW, "nonce": "n1"
        });
        for (k, v) in overrides.as_object().expect("object") {
            if v.is_null() {
                base.as_object_mut().expect("object").remove(k);
            } else {
                base[k] = v.clone();
            }
        }
        IdTokenClaims(serde_json::from_value::<Claims>(base).expect("claims"))
    }

    /// What the tests' logins expect: the issuer, client and nonce of `claims`, at NOW, with a
    /// minute of leeway (leaked: test values that live as long as the test run).
    fn expected(max_age: Option<u64>) -> Expected<'static> {
        Expected {
            issuer: Box::leak(Box::new(IssuerUrl::new("https://op.example.com/"))),
            client_id: Box::leak(Box::new(ClientId::new("app"))),
            nonce: Box::leak(Box::new(Nonce::new("n1"))),
            now: NOW,
            leeway: 60,
            max_age,
        }
    }

    fn check(c: &IdTokenClaims, max_age: Option<u64>) -> Result<(), Error> {
        c.validate(&expected(max_age))
    }

    #[test]
    fn accepts_a_valid_token() {
        assert_eq!(check(&claims(json!({})), None), Ok(()));
    }

    #[test]
    fn rejects_wrong_issuer_even_by_a_trailing_slash() {
        let c = claims(json!({"iss": "https://op.example.com"}));
        assert_eq!(check(&c, None), Err(Error::IssuerMismatch));
    }

    #[test]
    fn rejects_an_issuer_that_only_extends_the_expected_one() {
        // An exact comparison, not a prefix: the provider's issuer followed by more path.
        for iss in [
            "https://op.example.com/evil",
            "https://op.example.com//",
            "https://op.example.com/.evil.example",
        ] {
            assert_eq!(
                check(&claims(json!({ "iss": iss })), None),
                Err(Error::IssuerMismatch),
                "{iss}"
            );
        }
    }

    #[test]
    fn rejects_an_audience_that_only_extends_or_shortens_the_client_id() {
        for aud in [
            json!("app2"),
            json!("ap"),
            json!(["app2"]),
            json!(["ap", "x"]),
        ] {
            assert_eq!(
                check(&claims(json!({ "aud": aud })), None),
                Err(Error::AudienceMismatch),
                "{aud}"
            );
        }
        let many = json!(["app", "api"]);
        assert_eq!(
            check(&claims(json!({"aud": many, "azp": "app2"})), None),
            Err(Error::AzpMismatch),
            "an azp that extends the client id"
        );
    }

    #[test]
    fn rejects_wrong_audience() {
        assert_eq!(
            check(&claims(json!({"aud": "other"})), None),
            Err(Error::AudienceMismatch)
        );
        assert_eq!(
            check(&claims(json!({"aud": ["x", "y"]})), None),
            Err(Error::AudienceMismatch)
        );
    }

    #[test]
    fn several_audiences_need_azp_equal_to_the_client() {
        let many = json!(["app", "api"]);
        assert_eq!(
            check(&claims(json!({"aud": many})), None),
            Err(Error::AzpMismatch)
        );
        assert_eq!(
            check(&claims(json!({"aud": many, "azp": "api"})), None),
            Err(Error::AzpMismatch)
        );
        assert_eq!(
            check(&claims(json!({"aud": many, "azp": "app"})), None),
            Ok(())
        );
        assert_eq!(check(&claims(json!({"aud": ["app"]})), None), Ok(()));
    }

    #[test]
    fn rejects_expired_tokens_beyond_the_leeway() {
        assert_eq!(check(&claims(json!({"exp": NOW - 30})), None), Ok(()));
        assert_eq!(
            check(&claims(json!({"exp": NOW - 60})), None),
            Err(Error::TokenExpired)
        );
    }

    #[test]
    fn rejects_tokens_issued_in_the_future() {
        assert_eq!(check(&claims(json!({"iat": NOW + 60})), None), Ok(()));
        assert_eq!(
            check(&claims(json!({"iat": NOW + 61})), None),
            Err(Error::IssuedInFuture)
        );
    }

    #[test]
    fn rejects_wrong_or_missing_nonce() {
        assert_eq!(
            check(&claims(json!({"nonce": "n2"})), None),
            Err(Error::NonceMismatch)
        );
        assert_eq!(
            check(&claims(json!({"nonce": null})), None),
            Err(Error::NonceMismatch)
        );
    }

    #[test]
    fn rejects_missing_or_empty_subject() {
        assert_eq!(
            check(&claims(json!({"sub": null})), None),
            Err(Error::MissingSubject)
        );
        assert_eq!(
            check(&claims(json!({"sub": ""})), None),
            Err(Error::MissingSubject)
        );
    }

    #[test]
    fn max_age_requires_a_recent_auth_time() {
        // max_age 300 and leeway 60: 360 s ago is the last accepted moment (Core §3.1.3.7
        // step 11, with the clock skew allowed for); without max_age auth_time is not judged.
        for (auth_time, max_age, expected) in [
            (None, Some(300), Err(Error::AuthTimeMissing)),
            (Some(NOW - 100), Some(300), Ok(())),
            (Some(NOW - 360), Some(300), Ok(())),
            (Some(NOW - 361), Some(300), Err(Error::AuthTimeTooOld)),
            (Some(NOW - 1000), Some(300), Err(Error::AuthTimeTooOld)),
            (Some(NOW - 361), None, Ok(())),
        ] {
            let claims = claims(json!({ "auth_time": auth_time }));
            assert_eq!(
                check(&claims, max_age),
                expected,
                "{auth_time:?}, {max_age:?}"
            );
        }
    }

    #[test]
    fn each_claim_is_handed_out_as_the_payload_carries_it() {
        let full = claims(json!({
            "name": "Alice", "nickname": "al", "preferred_username": "alice",
            "email": "a@example.com", "email_verified": true, "picture": "https://p.example/a",
            "updated_at": "2024-01-01"
        }));
        assert_eq!(full.sub(), Some("auth0|563b"));
        assert_eq!(full.exp(), NOW + 300);
        assert_eq!(full.name(), Some("Alice"));
        assert_eq!(full.nickname(), Some("al"));
        assert_eq!(full.preferred_username(), Some("alice"));
        assert_eq!(full.email(), Some("a@example.com"));
        assert_eq!(full.email_verified(), Some(true));
        assert_eq!(full.picture(), Some("https://p.example/a"));
        assert_eq!(
            full.updated_at(),
            Some(&UpdatedAt::Text("2024-01-01".into()))
        );
        let seconds = |v: Value| claims(json!({ "updated_at": v })).updated_at().cloned();
        assert_eq!(seconds(json!(5)), Some(UpdatedAt::Seconds(5.0)));
        assert_eq!(seconds(json!(-5)), Some(UpdatedAt::Seconds(-5.0)));
        assert_eq!(seconds(json!(5.5)), Some(UpdatedAt::Seconds(5.5)));
        let sparse = claims(json!({}));
        assert_eq!(
            (sparse.name(), sparse.email_verified(), sparse.updated_at()),
            (None, None, None)
        );
    }

    #[test]
    fn a_wrong_aud_or_updated_at_says_what_was_expected() {
        let read = |members: &str| {
            let text = format!(r#"{{"iss":"i","exp":1,"iat":1,{members}}}"#);
            serde_json::from_str::<Claims>(&text)
                .expect_err("refused")
                .to_string()
        };
        let aud = read(r#""aud":1"#);
        assert!(
            aud.contains("expected a string or a list of strings"),
            "{aud}"
        );
        let updated = read(r#""aud":"app","updated_at":true"#);
        assert!(
            updated.contains("expected a number or a string"),
            "{updated}"
        );
    }

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

    #[test]
    fn claims_need_iss_aud_exp_iat_of_the_right_types() {
        for (field, value) in [
            ("iss", Value::Null),
            ("aud", Value::Null),
            ("exp", Value::Null),
            ("iat", Value::Null),
            ("exp", json!("soon")),
            ("exp", json!(1.5)),
            ("aud", json!(["app", 1])),
            ("email_verified", json!("yes")),
        ] {
            let mut base = json!({"iss": "i", "sub": "s", "aud": "app", "exp": NOW, "iat": NOW});
            if value.is_null() {
                base.as_object_mut().expect("object").remove(field);
            } else {
                base[field] = value;
            }
            assert!(serde_json::from_value::<Claims>(base).is_err(), "{field}");
        }
        let dup = r#"{"iss":"i","aud":"app","exp":1,"iat":1,"sub":"a","sub":"b"}"#;
        assert!(serde_json::from_str::<Claims>(dup).is_err());
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
