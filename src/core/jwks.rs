//! JSON Web Key Sets ([RFC 7517 §5](https://www.rfc-editor.org/rfc/rfc7517#section-5)) and
//! the choice of the key that must have signed an ID token.

use super::jws::Algorithm;
use super::Error;

use crate::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Jwk {
    pub kty: String,
    pub kid: Option<String>,
    pub alg: Option<String>,
    #[serde(rename = "use")]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicJwk {
    pub kty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub y: Option<String>,
}

impl Jwk {
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
    use crate::core::document::from_json;

    fn set() -> JwkSet {
        from_json::<JwkSet>(
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
        let two = from_json::<JwkSet>(
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
        assert_eq!(
            serde_json::to_string(&k).expect("json"),
            r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#
        );
    }

    #[test]
    fn a_set_without_keys_or_with_a_kid_of_the_wrong_type_is_refused() {
        assert!(from_json::<JwkSet>("{}").is_err());
        let e = from_json::<JwkSet>(r#"{"keys":[{"kty":"RSA","kid":7}]}"#).unwrap_err();
        assert_eq!(e.path, "keys[0].kid");
    }

    /// Whether the one key of `keys` (a JSON list) is chosen for `alg` without a `kid`.
    fn fits(alg: Algorithm, key: &str) -> bool {
        let set = from_json::<JwkSet>(&format!(r#"{{"keys":[{key}]}}"#)).expect("jwks");
        set.select(alg, None).is_ok()
    }

    #[test]
    fn an_rsa_algorithm_needs_an_rsa_key_with_both_n_and_e() {
        for alg in [Algorithm::Rs256, Algorithm::Ps256] {
            assert!(fits(alg, r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#));
            for key in [
                r#"{"kty":"RSA","e":"AQAB"}"#,
                r#"{"kty":"RSA","n":"AQAB"}"#,
                r#"{"kty":"RSA"}"#,
                r#"{"kty":"EC","n":"AQAB","e":"AQAB"}"#,
                r#"{"kty":"oct","n":"AQAB","e":"AQAB"}"#,
                r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#,
            ] {
                assert!(!fits(alg, key), "{alg:?} {key}");
            }
        }
    }

    #[test]
    fn es256_needs_an_ec_key_on_p256_with_both_x_and_y() {
        assert!(fits(
            Algorithm::Es256,
            r#"{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}"#
        ));
        for key in [
            r#"{"kty":"EC","crv":"P-256","y":"AA"}"#,
            r#"{"kty":"EC","crv":"P-256","x":"AA"}"#,
            r#"{"kty":"EC","x":"AA","y":"AA"}"#,
            r#"{"kty":"RSA","crv":"P-256","x":"AA","y":"AA"}"#,
            r#"{"kty":"RSA","n":"AQAB","e":"AQAB"}"#,
        ] {
            assert!(!fits(Algorithm::Es256, key), "{key}");
        }
    }

    #[test]
    fn a_key_for_signatures_and_this_algorithm_fits_and_no_other() {
        let rsa = |extra: &str| format!(r#"{{"kty":"RSA","n":"AQAB","e":"AQAB"{extra}}}"#);
        assert!(fits(
            Algorithm::Rs256,
            &rsa(r#","use":"sig","alg":"RS256""#)
        ));
        assert!(fits(Algorithm::Ps256, &rsa(r#","alg":"PS256""#)));
        for extra in [
            r#","use":"enc""#,
            r#","alg":"PS256""#,
            r#","use":"sig","alg":"RS512""#,
        ] {
            assert!(!fits(Algorithm::Rs256, &rsa(extra)), "{extra}");
        }
    }

    #[test]
    fn a_key_without_kid_never_answers_a_token_that_names_one() {
        let set =
            from_json::<JwkSet>(r#"{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#).expect("jwks");
        assert!(set.select(Algorithm::Rs256, None).is_ok(), "it fits");
        assert_eq!(
            set.select(Algorithm::Rs256, Some("r1")).err(),
            Some(Error::KeyNotFound)
        );
    }

    #[test]
    fn the_key_named_by_kid_is_chosen_among_several_that_fit() {
        let set = from_json::<JwkSet>(
            r#"{"keys":[
              {"kty":"RSA","n":"AQAB","e":"AQAB"},
              {"kty":"RSA","kid":"a","n":"AA","e":"AQAB"},
              {"kty":"RSA","kid":"b","n":"AB","e":"AQAB"}
            ]}"#,
        )
        .expect("jwks");
        assert_eq!(
            set.select(Algorithm::Rs256, Some("b"))
                .map(|k| k.public().n),
            Ok(Some("AB".into()))
        );
    }
}
