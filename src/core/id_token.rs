//! ID token validation, [OpenID Connect Core §3.1.3.7](https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation).
//! The core splits the compact JWS and checks the claims; the browser layer verifies the
//! signature with WebCrypto over [`CompactJws::signing_input`].

use super::encoding::{base64url, cat};
use super::json::{self, JsonError, Value};
use super::types::{ClientId, IssuerUrl, Nonce};
use super::Error;

use crate::prelude::*;

/// ID tokens larger than this are refused before any decoding.
pub const MAX_TOKEN_LEN: usize = 16 * 1024;

/// The signature algorithms the widget accepts. `none` and the HMAC family are absent on
/// purpose: a public client has no shared secret, and `none` proves nothing (RFC 8725 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Rs256,
    Ps256,
    Es256,
}

impl Algorithm {
    pub fn parse(alg: &str) -> Result<Self, Error> {
        match alg {
            "RS256" => Ok(Algorithm::Rs256),
            "PS256" => Ok(Algorithm::Ps256),
            "ES256" => Ok(Algorithm::Es256),
            other => Err(Error::UnsupportedAlgorithm(other.to_owned())),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Algorithm::Rs256 => "RS256",
            Algorithm::Ps256 => "PS256",
            Algorithm::Es256 => "ES256",
        }
    }
}

/// A JWS in compact serialization (RFC 7515 §7.1), segments decoded but not yet trusted.
#[derive(Debug)]
pub struct CompactJws<'a> {
    /// `BASE64URL(header) || '.' || BASE64URL(payload)`: the bytes the signature covers.
    pub signing_input: &'a str,
    pub header_json: String,
    pub payload_json: String,
    pub signature: Vec<u8>,
}

impl<'a> CompactJws<'a> {
    pub fn split(token: &'a str) -> Result<Self, Error> {
        let malformed = |why: &str| Error::MalformedIdToken(why.to_owned());
        if token.len() > MAX_TOKEN_LEN {
            return Err(malformed("longer than 16 KiB"));
        }
        let mut parts = super::encoding::pieces(token, b'.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                "not three dot-separated parts (encrypted tokens are not supported)",
            ));
        };
        let text = |segment: &str, what: &str| {
            base64url::decode(segment)
                .and_then(|b| super::encoding::utf8(&b))
                .ok_or_else(|| malformed(&cat(&["the ", what, " is not base64url-encoded UTF-8"])))
        };
        let header_json = text(header, "header")?;
        let payload_json = text(payload, "payload")?;
        // An empty signature is left for the algorithm to refuse: it is how an unsecured JWT
        // (`alg: none`, RFC 7519 §6.1) looks, and that must be reported as the algorithm it
        // is. No accepted algorithm verifies an empty signature.
        let signature = base64url::decode(signature)
            .ok_or_else(|| malformed("the signature is not base64url"))?;
        Ok(Self {
            // Everything before the last dot: `header.payload`.
            signing_input: token
                .get(..header.len() + 1 + payload.len())
                .unwrap_or_default(),
            header_json,
            payload_json,
            signature,
        })
    }
}

/// The JOSE header (RFC 7515 §4).
#[derive(Debug)]
pub struct JoseHeader {
    pub alg: String,
    pub kid: Option<String>,
    pub crit: Option<Vec<String>>,
}

impl JoseHeader {
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        json::read(text, |o| Self {
            alg: o.req_str("alg"),
            kid: o.str("kid"),
            crit: o.strings("crit"),
        })
    }

    /// The algorithm, from the allow-list. A `crit` header names extensions this widget does
    /// not understand, so the token must be refused (RFC 7515 §4.1.11).
    pub fn algorithm(&self) -> Result<Algorithm, Error> {
        if self.crit.is_some() {
            return Err(Error::MalformedIdToken(
                "unsupported critical header".into(),
            ));
        }
        Algorithm::parse(&self.alg)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

/// `updated_at` is seconds in OpenID Connect (§5.1); some providers send a date string.
#[derive(Debug, Clone, PartialEq)]
pub enum UpdatedAt {
    Seconds(f64),
    Text(String),
}

#[derive(Debug, Clone)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: Option<String>,
    pub aud: Audience,
    pub azp: Option<String>,
    pub exp: i64,
    pub iat: i64,
    pub nonce: Option<String>,
    pub auth_time: Option<i64>,
    pub name: Option<String>,
    pub nickname: Option<String>,
    pub preferred_username: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub picture: Option<String>,
    pub updated_at: Option<UpdatedAt>,
}

impl IdTokenClaims {
    /// Reads the claims (the JWS payload). `iss`, `aud`, `exp` and `iat` are required
    /// (Core §2); the rest is checked by [`IdTokenClaims::validate`] or optional.
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        json::read(text, |o| {
            let aud = match o.get("aud") {
                Some(Value::String(one)) => Audience::One(one.clone()),
                _ => Audience::Many(o.strings("aud").unwrap_or_default()),
            };
            if o.get("aud").is_none() {
                o.fail(JsonError::Missing("aud".into()));
            }
            let updated_at = o.get("updated_at").map(|v| match v {
                Value::String(text) => UpdatedAt::Text(text.clone()),
                v => UpdatedAt::Seconds(v.as_f64().unwrap_or_else(|| {
                    o.fail(JsonError::WrongType {
                        field: "updated_at".into(),
                        expected: "a number or a string",
                    });
                    0.0
                })),
            });
            Self {
                iss: o.req_str("iss"),
                sub: o.str("sub"),
                aud,
                azp: o.str("azp"),
                exp: o.req_i64("exp"),
                iat: o.req_i64("iat"),
                nonce: o.str("nonce"),
                auth_time: o.i64("auth_time"),
                name: o.str("name"),
                nickname: o.str("nickname"),
                preferred_username: o.str("preferred_username"),
                email: o.str("email"),
                email_verified: o.bool("email_verified"),
                picture: o.str("picture"),
                updated_at,
            }
        })
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
    /// Core §3.1.3.7 steps 2–11, each failure its own error. The signature (step 6) is the
    /// caller's, with WebCrypto, before the claims are trusted.
    pub fn validate(&self, expect: &Expected<'_>) -> Result<(), Error> {
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
        IdTokenClaims::from_json(&base.to_string()).expect("claims")
    }

    fn check(c: &IdTokenClaims, max_age: Option<u64>) -> Result<(), Error> {
        c.validate(&Expected {
            issuer: &IssuerUrl::new("https://op.example.com/"),
            client_id: &ClientId::new("app"),
            nonce: &Nonce::new("n1"),
            now: NOW,
            leeway: 60,
            max_age,
        })
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
        assert_eq!(
            check(&claims(json!({})), Some(300)),
            Err(Error::AuthTimeMissing)
        );
        assert_eq!(
            check(&claims(json!({"auth_time": NOW - 100})), Some(300)),
            Ok(())
        );
        assert_eq!(
            check(&claims(json!({"auth_time": NOW - 1000})), Some(300)),
            Err(Error::AuthTimeTooOld)
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
        let crit = JoseHeader::from_json(r#"{"alg":"RS256","crit":["exp"]}"#).expect("header");
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
            assert!(
                IdTokenClaims::from_json(&base.to_string()).is_err(),
                "{field}"
            );
        }
        let dup = r#"{"iss":"i","aud":"app","exp":1,"iat":1,"sub":"a","sub":"b"}"#;
        assert_eq!(
            IdTokenClaims::from_json(dup).err(),
            Some(JsonError::DuplicateKey("sub".into()))
        );
    }

    #[test]
    fn splits_compact_jws_and_keeps_the_signing_input() {
        let h = base64url::encode(br#"{"alg":"RS256","kid":"k1"}"#);
        let p = base64url::encode(br#"{"sub":"x"}"#);
        let token = format!("{h}.{p}.{}", base64url::encode(b"sig"));
        let jws = CompactJws::split(&token).expect("jws");
        assert_eq!(jws.signing_input, format!("{h}.{p}"));
        assert_eq!(jws.header_json, r#"{"alg":"RS256","kid":"k1"}"#);
        assert_eq!(jws.signature, b"sig");
    }

    #[test]
    fn an_unsecured_jwt_is_refused_for_its_algorithm() {
        // RFC 7519 §6.1: `alg: none` and an empty third part.
        let h = base64url::encode(br#"{"alg":"none"}"#);
        let p = base64url::encode(br#"{"sub":"x"}"#);
        let token = format!("{h}.{p}.");
        let jws = CompactJws::split(&token).expect("three parts");
        assert!(jws.signature.is_empty());
        let header = JoseHeader::from_json(&jws.header_json).expect("header");
        assert_eq!(
            header.algorithm(),
            Err(Error::UnsupportedAlgorithm("none".into()))
        );
    }

    #[test]
    fn rejects_malformed_compact_forms() {
        let h = base64url::encode(br#"{"alg":"none"}"#);
        for bad in [
            String::new(),
            "a.b".into(),
            "a.b.c.d.e".into(),
            format!("{h}.{h}.!!"),
            format!("{h}.!!.{h}"),
            "x".repeat(MAX_TOKEN_LEN + 1),
        ] {
            assert!(
                matches!(CompactJws::split(&bad), Err(Error::MalformedIdToken(_))),
                "{bad:.40}"
            );
        }
    }
}
