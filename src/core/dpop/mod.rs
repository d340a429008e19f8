//! DPoP: tokens bound to a key pair the browser holds
//! ([RFC 9449](https://www.rfc-editor.org/rfc/rfc9449)). The core builds what a proof says
//! (header, claims, `ath`, the key's thumbprint) and decides when a request is tried again
//! with the server's nonce; the browser layer only generates the key, signs the signing input
//! with WebCrypto and sends the request. When a request goes once more with the server's
//! nonce is [`nonce`]'s.

pub mod nonce;

pub use nonce::{resource_retry, token_endpoint_retry, DpopNonce, NonceBook};

use super::encoding::{base64url, cat};
use super::web_url::{self, UrlParser};
use super::Error;

use crate::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The one JWS algorithm the widget signs proofs with: ECDSA P-256 SHA-256 (RFC 7518 §3.4),
/// which every browser's WebCrypto has.
pub const ALGORITHM: &str = "ES256";

/// The `typ` of a proof's header (RFC 9449 §4.2).
pub const PROOF_TYPE: &str = "dpop+jwt";

/// An ES256 signature as JWS carries it: `r || s`, 32 bytes each (RFC 7518 §3.4), which is
/// also the form WebCrypto's ECDSA gives.
const SIGNATURE_LENGTH: usize = 64;

/// Serializes what serde describes as JSON text: `JSON.stringify` of serde-wasm-bindgen's
/// value in the shipped module, serde_json natively.
pub trait JsonWriter {
    fn write<T: Serialize>(&self, value: &T) -> Option<String>;
}

#[cfg(any(test, not(target_arch = "wasm32")))]
impl JsonWriter for super::document::SerdeJson {
    fn write<T: Serialize>(&self, value: &T) -> Option<String> {
        serde_json::to_string(value).ok()
    }
}

/// The public half of the widget's P-256 key as a JWK (RFC 7518 §6.2.1), as it goes into
/// every proof's header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofKey {
    kty: &'static str,
    crv: &'static str,
    x: String,
    y: String,
}

/// The SHA-256 JWK thumbprint of the key (RFC 7638): `dpop_jkt` on the authorize request
/// (RFC 9449 §10) and `cnf.jkt` in the tokens bound to the key (§6.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwkThumbprint(String);

impl JwkThumbprint {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl ProofKey {
    /// The key from the uncompressed point WebCrypto's `exportKey("raw")` gives for a P-256
    /// public key: `0x04 || x || y` (SEC 1 §2.3.3), 65 bytes.
    pub fn from_uncompressed_point(point: &[u8]) -> Result<Self, Error> {
        match point {
            [4, rest @ ..] if rest.len() == 64 => Ok(Self {
                kty: "EC",
                crv: "P-256",
                x: base64url::encode(&rest[..32]),
                y: base64url::encode(&rest[32..]),
            }),
            _ => Err(Error::InvalidDpop(
                "DPoP: the key is not an uncompressed P-256 point",
            )),
        }
    }

    /// RFC 7638 §3.2: the required members of an EC key (`crv`, `kty`, `x`, `y`, RFC 7638
    /// §3.2.1), in that lexicographic order, without whitespace, hashed with SHA-256.
    pub fn thumbprint(&self) -> JwkThumbprint {
        JwkThumbprint(thumbprint_of(&[
            ("crv", self.crv),
            ("kty", self.kty),
            ("x", &self.x),
            ("y", &self.y),
        ]))
    }
}

/// RFC 7638 §3.1–§3.3 over required members already in lexicographic order. Their values are
/// key type names and base64url, which JSON carries without escapes.
fn thumbprint_of(members: &[(&str, &str)]) -> String {
    let mut json = String::from("{");
    for (i, (name, value)) in members.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&cat(&["\"", name, "\":\"", value, "\""]));
    }
    json.push('}');
    base64url::encode(&Sha256::digest(json.as_bytes()))
}

/// `ath`: the base64url SHA-256 of the access token's ASCII (RFC 9449 §4.2), sent with a
/// resource request so a proof cannot be used with another token.
pub fn access_token_hash(access_token: &str) -> String {
    base64url::encode(&Sha256::digest(access_token.as_bytes()))
}

/// What a proof is for; each kind says its method, its target and whether `ath` is sent.
#[derive(Debug, Clone, Copy)]
pub enum ProofFor<'a> {
    /// A token request (RFC 9449 §5): the code exchange, a refresh, checkSession's exchange.
    /// Always a POST, never with `ath`.
    TokenEndpoint { url: &'a str },
    /// A request to a protected resource with the access token (§7): `ath` binds the proof
    /// to that token.
    Resource {
        method: &'a str,
        url: &'a str,
        access_token: &'a str,
    },
}

/// The proof's JOSE header (RFC 9449 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofHeader<'a> {
    pub typ: &'static str,
    pub alg: &'static str,
    pub jwk: &'a ProofKey,
}

/// The proof's claims (RFC 9449 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProofClaims {
    pub jti: String,
    pub htm: String,
    pub htu: String,
    pub iat: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ath: Option<String>,
}

/// The method as fetch sends it: the six it normalizes (Fetch §2.2.1) in upper case, any
/// other as written, and nothing that is no HTTP token (RFC 9110 §5.6.2).
fn normalized_method(method: &str) -> Result<String, Error> {
    if method.is_empty() || !method.bytes().all(nonce::tchar) {
        return Err(Error::InvalidDpop(
            "DPoP: the request method is no HTTP method",
        ));
    }
    let upper = method.to_ascii_uppercase();
    Ok(
        match ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"].contains(&upper.as_str()) {
            true => upper,
            false => method.to_owned(),
        },
    )
}

/// `htu`: the target URI without its query and fragment (RFC 9449 §4.2, §4.3 step 9). Only
/// http(s), as a request with an access token is.
fn target_uri(urls: &dyn UrlParser, url: &str) -> Result<String, Error> {
    let parsed = web_url::http(urls, url)
        .map_err(|_| Error::InvalidDpop("DPoP: the request URL is no http(s) URL"))?;
    Ok(cat(&[&parsed.origin, &parsed.pathname]))
}

impl ProofClaims {
    /// The claims of a proof for `request`. `jti` comes from at least 96 random bits (§4.2
    /// asks for enough entropy to make it unique), `now` is the browser's clock in seconds,
    /// `nonce` the one the server gave last, if any.
    pub fn new(
        request: ProofFor<'_>,
        jti_random: &[u8; 16],
        now: u64,
        nonce: Option<&DpopNonce>,
        urls: &dyn UrlParser,
    ) -> Result<Self, Error> {
        let (htm, htu, ath) = match request {
            ProofFor::TokenEndpoint { url } => ("POST".to_owned(), target_uri(urls, url)?, None),
            ProofFor::Resource {
                method,
                url,
                access_token,
            } => (
                normalized_method(method)?,
                target_uri(urls, url)?,
                Some(access_token_hash(access_token)),
            ),
        };
        Ok(Self {
            jti: base64url::encode(jti_random),
            htm,
            htu,
            iat: now,
            nonce: nonce.map(|n| n.as_str().to_owned()),
            ath,
        })
    }
}

/// A proof waiting for its signature: what WebCrypto signs is [`UnsignedProof::signing_input`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsignedProof {
    signing_input: String,
}

impl UnsignedProof {
    pub fn new(
        jwk: &ProofKey,
        claims: &ProofClaims,
        json: &impl JsonWriter,
    ) -> Result<Self, Error> {
        let header = ProofHeader {
            typ: PROOF_TYPE,
            alg: ALGORITHM,
            jwk,
        };
        let (Some(header), Some(claims)) = (json.write(&header), json.write(claims)) else {
            return Err(Error::InvalidDpop(
                "DPoP: the proof could not be written as JSON",
            ));
        };
        Ok(Self {
            signing_input: cat(&[
                &base64url::encode(header.as_bytes()),
                ".",
                &base64url::encode(claims.as_bytes()),
            ]),
        })
    }

    /// `BASE64URL(header) "." BASE64URL(claims)` (RFC 7515 §5.1 step 6).
    pub fn signing_input(&self) -> &[u8] {
        self.signing_input.as_bytes()
    }

    /// The compact JWS: the `DPoP` header's value. `signature` is WebCrypto's ECDSA answer,
    /// `r || s`; anything of another length is no ES256 signature.
    pub fn signed(self, signature: &[u8]) -> Result<String, Error> {
        if signature.len() != SIGNATURE_LENGTH {
            return Err(Error::InvalidDpop(
                "DPoP: the signature is no ES256 signature",
            ));
        }
        Ok(cat(&[
            &self.signing_input,
            ".",
            &base64url::encode(signature),
        ]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::SerdeJson;
    use crate::core::web_url::Whatwg;
    use serde_json::{json, Value};

    fn key() -> ProofKey {
        let case: Value = serde_json::from_str(include_str!("../../../tests/cases/dpop_jwk.json"))
            .expect("the case is JSON");
        let mut point = vec![4u8];
        for member in ["x", "y"] {
            let text = case["jwk"][member].as_str().expect("coordinate");
            point.extend(base64url::decode(text).expect("base64url"));
        }
        ProofKey::from_uncompressed_point(&point).expect("a P-256 point")
    }

    fn decode_segment(segment: &str) -> Value {
        serde_json::from_slice(&base64url::decode(segment).expect("base64url")).expect("JSON")
    }

    #[test]
    fn the_thumbprint_of_rfc_7638s_example_key() {
        // RFC 7638 §3.1: the RSA key's required members and the thumbprint the RFC gives.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        assert_eq!(
            thumbprint_of(&[("e", "AQAB"), ("kty", "RSA"), ("n", n)]),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn the_thumbprint_of_an_ec_key_is_the_one_jose_computes() {
        // tests/cases/dpop_jwk.json: a key node's crypto made and its thumbprint by jose
        // (tests/support/dpop-jwk-case.mjs), not by this code.
        let case: Value = serde_json::from_str(include_str!("../../../tests/cases/dpop_jwk.json"))
            .expect("the case is JSON");
        assert_eq!(key().thumbprint().as_str(), case["thumbprint"]);
        let header = serde_json::to_value(key()).expect("jwk");
        assert_eq!(
            header,
            json!({"kty": "EC", "crv": "P-256", "x": case["jwk"]["x"], "y": case["jwk"]["y"]})
        );
    }

    #[test]
    fn refuses_a_key_that_is_no_uncompressed_p256_point() {
        for point in [
            vec![],
            vec![4u8; 64],
            vec![2u8; 65],
            vec![4u8; 66],
            vec![4u8; 33],
        ] {
            assert_eq!(
                ProofKey::from_uncompressed_point(&point),
                Err(Error::InvalidDpop(
                    "DPoP: the key is not an uncompressed P-256 point"
                ))
            );
        }
    }

    #[test]
    fn a_token_request_proof_says_post_and_the_endpoint_without_query_or_fragment() {
        let claims = ProofClaims::new(
            ProofFor::TokenEndpoint {
                url: "https://OP.example.com:443/token?x=1#frag",
            },
            &[7u8; 16],
            1_700_000_000,
            None,
            &Whatwg,
        )
        .expect("claims");
        let value = serde_json::to_value(&claims).expect("claims");
        assert_eq!(
            value,
            json!({
                "jti": base64url::encode(&[7u8; 16]),
                "htm": "POST",
                "htu": "https://op.example.com/token",
                "iat": 1_700_000_000u64,
            })
        );
    }

    #[test]
    fn a_resource_proof_carries_ath_and_the_method_as_fetch_sends_it() {
        let nonce = DpopNonce::parse("eyJ7S_zG.eyJH0-Z.HX4w-7v").expect("nonce");
        let claims = ProofClaims::new(
            ProofFor::Resource {
                method: "get",
                url: "http://127.0.0.1:4000/api/items?page=2",
                access_token: "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU",
            },
            &[1u8; 16],
            5,
            Some(&nonce),
            &Whatwg,
        )
        .expect("claims");
        assert_eq!(claims.htm, "GET");
        assert_eq!(claims.htu, "http://127.0.0.1:4000/api/items");
        assert_eq!(claims.nonce.as_deref(), Some("eyJ7S_zG.eyJH0-Z.HX4w-7v"));
        // RFC 9449 §7.1's example: this access token's `ath`.
        assert_eq!(
            claims.ath.as_deref(),
            Some("fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")
        );
        let patch = ProofClaims::new(
            ProofFor::Resource {
                method: "patch",
                url: "https://api.example.com/x",
                access_token: "t",
            },
            &[1u8; 16],
            5,
            None,
            &Whatwg,
        )
        .expect("claims");
        // Fetch upper-cases only the six standard methods; PATCH is sent as written.
        assert_eq!(patch.htm, "patch");
    }

    #[test]
    fn refuses_a_proof_for_no_http_url_or_no_http_method() {
        let bad = |method: &str, url: &str| {
            ProofClaims::new(
                ProofFor::Resource {
                    method,
                    url,
                    access_token: "t",
                },
                &[0u8; 16],
                0,
                None,
                &Whatwg,
            )
        };
        assert!(matches!(
            bad("GET", "javascript:alert(1)"),
            Err(Error::InvalidDpop(_))
        ));
        assert!(matches!(
            bad("GET", "/relative"),
            Err(Error::InvalidDpop(_))
        ));
        assert!(matches!(
            bad("GE T", "https://api.example.com/"),
            Err(Error::InvalidDpop(_))
        ));
        assert!(matches!(
            bad("", "https://api.example.com/"),
            Err(Error::InvalidDpop(_))
        ));
    }

    #[test]
    fn a_signed_proof_is_header_claims_and_the_raw_signature() {
        let claims = ProofClaims::new(
            ProofFor::TokenEndpoint {
                url: "https://op.example.com/token",
            },
            &[9u8; 16],
            42,
            None,
            &Whatwg,
        )
        .expect("claims");
        let unsigned = UnsignedProof::new(&key(), &claims, &SerdeJson).expect("proof");
        let input = String::from_utf8(unsigned.signing_input().to_vec()).expect("ascii");
        let proof = unsigned.clone().signed(&[3u8; 64]).expect("signed");
        let parts: Vec<&str> = proof.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(input, [parts[0], parts[1]].join("."));
        assert_eq!(
            decode_segment(parts[0]),
            json!({"typ": "dpop+jwt", "alg": "ES256", "jwk": serde_json::to_value(key()).expect("jwk")})
        );
        assert_eq!(decode_segment(parts[1])["iat"], 42);
        assert_eq!(base64url::decode(parts[2]), Some(vec![3u8; 64]));
        // A DER signature (WebCrypto never gives one, but a bad layer could) is refused.
        assert_eq!(
            unsigned.signed(&[0x30; 70]),
            Err(Error::InvalidDpop(
                "DPoP: the signature is no ES256 signature"
            ))
        );
    }
}
