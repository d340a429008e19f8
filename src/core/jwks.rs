//! JSON Web Key Sets ([RFC 7517 §5](https://www.rfc-editor.org/rfc/rfc7517#section-5)) and
//! the choice of the key that must have signed an ID token.

use super::id_token::Algorithm;
use super::json::{self, JsonError, Obj, ObjectWriter};
use super::Error;

use crate::prelude::*;

#[derive(Debug)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

#[derive(Debug, Clone)]
pub struct Jwk {
    pub kty: String,
    pub kid: Option<String>,
    pub alg: Option<String>,
    /// `use`.
    pub usage: Option<String>,
    pub n: Option<String>,
    pub e: Option<String>,
    pub crv: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

/// Only the public members, in the form WebCrypto's `importKey("jwk", ...)` takes: leaving out
/// `alg`, `use` and `kid` keeps a key published for RS256 from being refused when the
/// algorithm family is the same.
#[derive(Debug, PartialEq, Eq)]
pub struct PublicJwk {
    pub kty: String,
    pub n: Option<String>,
    pub e: Option<String>,
    pub crv: Option<String>,
    pub x: Option<String>,
    pub y: Option<String>,
}

impl PublicJwk {
    /// The JWK as JSON, absent members left out.
    pub fn to_json(&self) -> String {
        ObjectWriter::default()
            .str("kty", &self.kty)
            .opt_str("n", self.n.as_deref())
            .opt_str("e", self.e.as_deref())
            .opt_str("crv", self.crv.as_deref())
            .opt_str("x", self.x.as_deref())
            .opt_str("y", self.y.as_deref())
            .finish()
    }
}

impl Jwk {
    fn from_obj(o: &Obj<'_>) -> Self {
        Self {
            kty: o.req_str("kty"),
            kid: o.str("kid"),
            alg: o.str("alg"),
            usage: o.str("use"),
            n: o.str("n"),
            e: o.str("e"),
            crv: o.str("crv"),
            x: o.str("x"),
            y: o.str("y"),
        }
    }

    /// One JWK (RFC 7517 §4), as WebCrypto's `exportKey("jwk")` gives it.
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        json::read(text, Self::from_obj)
    }

    fn fits(&self, alg: Algorithm) -> bool {
        let shape = match alg {
            Algorithm::Rs256 | Algorithm::Ps256 => {
                self.kty == "RSA" && self.n.is_some() && self.e.is_some()
            }
            Algorithm::Es256 => {
                self.kty == "EC"
                    && self.crv.as_deref() == Some("P-256")
                    && self.x.is_some()
                    && self.y.is_some()
            }
        };
        shape
            && self.usage.as_deref().is_none_or(|u| u == "sig")
            && self.alg.as_deref().is_none_or(|a| a == alg.as_str())
    }

    pub fn public(&self) -> PublicJwk {
        PublicJwk {
            kty: self.kty.clone(),
            n: self.n.clone(),
            e: self.e.clone(),
            crv: self.crv.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
        }
    }
}

impl JwkSet {
    pub fn from_json(text: &str) -> Result<Self, JsonError> {
        json::read(text, |o| {
            let keys = o.req_array("keys");
            Self {
                keys: o.items(keys, "keys").iter().map(Jwk::from_obj).collect(),
            }
        })
    }

    /// The key named by `kid`; without a `kid`, the only key that fits the algorithm.
    /// A miss is [`Error::KeyNotFound`], which the caller answers by refetching the set once
    /// (key rotation).
    pub fn select(&self, alg: Algorithm, kid: Option<&str>) -> Result<&Jwk, Error> {
        let mut fitting = self.keys.iter().filter(|k| k.fits(alg));
        match kid {
            Some(kid) => fitting
                .find(|k| k.kid.as_deref() == Some(kid))
                .ok_or(Error::KeyNotFound),
            None => match (fitting.next(), fitting.next()) {
                (Some(only), None) => Ok(only),
                _ => Err(Error::KeyNotFound),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> JwkSet {
        JwkSet::from_json(
            r#"{"keys":[
              {"kty":"RSA","kid":"r1","use":"sig","alg":"RS256","n":"AQAB","e":"AQAB"},
              {"kty":"RSA","kid":"r2","use":"enc","n":"AQAB","e":"AQAB"},
              {"kty":"EC","kid":"e1","crv":"P-256","x":"AA","y":"AA"},
              {"kty":"EC","kid":"e2","crv":"P-384","x":"AA","y":"AA"}
            ]}"#,
        )
        .expect("jwks")
    }

    #[test]
    fn picks_the_key_by_kid_and_algorithm() {
        let s = set();
        assert_eq!(
            s.select(Algorithm::Rs256, Some("r1"))
                .map(|k| k.kid.as_deref()),
            Ok(Some("r1"))
        );
        assert_eq!(
            s.select(Algorithm::Es256, Some("e1"))
                .map(|k| k.kid.as_deref()),
            Ok(Some("e1"))
        );
    }

    #[test]
    fn refuses_encryption_keys_wrong_curves_and_alg_mismatches() {
        let s = set();
        assert_eq!(
            s.select(Algorithm::Rs256, Some("r2")).err(),
            Some(Error::KeyNotFound)
        );
        assert_eq!(
            s.select(Algorithm::Es256, Some("e2")).err(),
            Some(Error::KeyNotFound)
        );
        assert_eq!(
            s.select(Algorithm::Ps256, Some("r1")).err(),
            Some(Error::KeyNotFound)
        );
        assert_eq!(
            s.select(Algorithm::Rs256, Some("nope")).err(),
            Some(Error::KeyNotFound)
        );
    }

    #[test]
    fn without_kid_only_an_unambiguous_key_is_used() {
        let s = set();
        assert_eq!(
            s.select(Algorithm::Es256, None).map(|k| k.kid.as_deref()),
            Ok(Some("e1"))
        );
        let two = JwkSet::from_json(
            r#"{"keys":[{"kty":"RSA","n":"A","e":"A"},{"kty":"RSA","n":"B","e":"A"}]}"#,
        )
        .expect("jwks");
        assert_eq!(
            two.select(Algorithm::Rs256, None).err(),
            Some(Error::KeyNotFound)
        );
    }

    #[test]
    fn public_form_drops_alg_use_and_kid() {
        let k = set().keys[0].public();
        assert_eq!(k.kty, "RSA");
        assert_eq!(k.to_json(), r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#);
    }

    #[test]
    fn a_set_without_keys_or_with_a_kid_of_the_wrong_type_is_refused() {
        assert_eq!(
            JwkSet::from_json("{}").err(),
            Some(JsonError::Missing("keys".into()))
        );
        assert!(matches!(
            JwkSet::from_json(r#"{"keys":[{"kty":"RSA","kid":7}]}"#),
            Err(JsonError::WrongType { field, .. }) if field == "keys[0].kid"
        ));
    }
}
