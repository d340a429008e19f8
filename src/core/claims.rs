//! The claims of an ID token (OpenID Connect Core §2, §5.1) and their checks,
//! [Core §3.1.3.7](https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation)
//! steps 2–11. Claims are read only from a token's payload ([`super::id_token`]) and handed
//! out only by a token whose signature and claims passed.

use core::fmt;

use serde::de::{self, SeqAccess, Visitor};
use serde::Deserialize;

use super::document::{JsonReader, ReadError};
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
/// the rest is checked by [`super::id_token::IdToken::claims`] or optional. The members are private and the
/// type has no `Deserialize` of its own: claims are read only by [`super::id_token::UnverifiedIdToken::parse`]
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
    /// Microsoft Entra ID: the tenant the user signed in to, for a template issuer.
    tid: Option<String>,
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
    /// checked before: see [`super::id_token::UnverifiedIdToken::verify`].
    pub(super) fn validate(&self, expect: &Expected<'_>) -> Result<(), Error> {
        let claims = &self.0;
        claims.validate(expect)
    }
}

impl Claims {
    fn validate(&self, expect: &Expected<'_>) -> Result<(), Error> {
        // Exact, or for Entra ID's template the template with this token's own `tid`.
        let tid = self.tid.as_deref().unwrap_or_default();
        if !super::issuer::fits(expect.issuer.as_str(), &self.iss, Some(tid)) {
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

impl IdTokenClaims {
    /// The claims of a token's payload (`text`), read with `json`: the one way to make them.
    pub(super) fn read(json: &impl JsonReader, text: &str) -> Result<Self, ReadError> {
        json.read::<Claims>(text).map(IdTokenClaims)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use serde_json::json;
    use serde_json::Value;

    pub(crate) const NOW: i64 = 1_700_000_000;

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
    pub(crate) fn expected(max_age: Option<u64>) -> Expected<'static> {
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

    fn entra(iss: &str, tid: Option<&str>) -> Result<(), Error> {
        let template = IssuerUrl::new("https://login.microsoftonline.com/{tenantid}/v2.0");
        let c = claims(json!({ "iss": iss, "tid": tid }));
        c.validate(&Expected {
            issuer: &template,
            ..expected(None)
        })
    }

    const TID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";
    const TENANT_ISS: &str =
        "https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0";

    #[test]
    fn accepts_entras_template_issuer_filled_with_the_tokens_own_tid() {
        assert_eq!(entra(TENANT_ISS, Some(TID)), Ok(()));
    }

    #[test]
    fn rejects_a_template_issuer_filled_with_another_tid() {
        assert_eq!(
            entra(TENANT_ISS, Some("72f988bf-86f1-41af-91ab-2d7cd011db47")),
            Err(Error::IssuerMismatch)
        );
    }

    #[test]
    fn rejects_a_template_issuer_on_another_host() {
        for iss in [
            "https://login.evil.example/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
            "https://login.microsoftonline.com.evil.example/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
            "http://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0",
        ] {
            assert_eq!(entra(iss, Some(TID)), Err(Error::IssuerMismatch), "{iss}");
        }
    }

    #[test]
    fn rejects_a_template_issuer_without_a_tid() {
        assert_eq!(entra(TENANT_ISS, None), Err(Error::IssuerMismatch));
        assert_eq!(entra(TENANT_ISS, Some("")), Err(Error::IssuerMismatch));
        assert_eq!(
            entra("https://login.microsoftonline.com/{tenantid}/v2.0", None),
            Err(Error::IssuerMismatch),
            "the template itself is no issuer"
        );
        assert_eq!(
            entra("https://login.microsoftonline.com/a/b/v2.0", Some("a/b")),
            Err(Error::IssuerMismatch),
            "a tid that changes the path"
        );
    }

    #[test]
    fn accepts_the_claim_shapes_of_google_keycloak_and_okta_id_tokens() {
        // Google and Keycloak name the client again in `azp` beside a single `aud`, and
        // send `at_hash`, `hd`, `typ`, `sid`; Okta sends `ver` as a number and `amr`, `idp`.
        for extra in [
            json!({"azp": "app", "at_hash": "HK6E_P6Dh8Y93mRNtsDB1Q", "hd": "example.com"}),
            json!({"azp": "app", "typ": "ID", "sid": "e2d0ad8c", "session_state": "e2d0ad8c"}),
            json!({"ver": 1, "amr": ["pwd"], "idp": "00ok1u7AsAkrwdZL3z0g", "jti": "ID.x"}),
        ] {
            assert_eq!(check(&claims(extra.clone()), None), Ok(()), "{extra}");
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
}
