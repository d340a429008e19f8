//! The JWS a token comes as, in compact serialization
//! ([RFC 7515 §7.1](https://www.rfc-editor.org/rfc/rfc7515#section-7.1)): its three segments
//! split and decoded, its header read, and its algorithm taken from the allow-list, before
//! anything of it is trusted ([`super::id_token`] then checks the signature and the claims).

use serde::Deserialize;

use super::encoding::{base64url, cat};
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
#[derive(Debug, Deserialize)]
pub struct JoseHeader {
    pub alg: String,
    pub kid: Option<String>,
    pub crit: Option<Vec<String>>,
}

impl JoseHeader {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let header: JoseHeader = serde_json::from_str(&jws.header_json).expect("header");
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

    /// A well-formed token of exactly `len` bytes: a real header, a payload padded to length
    /// and a signature of one to three bytes, so that only its length can refuse it.
    fn token_of_len(len: usize) -> String {
        let h = base64url::encode(br#"{"alg":"RS256"}"#);
        // Base64url makes four characters of three bytes: start a little short of the length.
        for pad in (len * 3 / 4).saturating_sub(64)..len {
            let p = base64url::encode(
                format!(r#"{{"sub":"x","pad":"{}"}}"#, "a".repeat(pad)).as_bytes(),
            );
            for sig in 1..=3 {
                let token = format!("{h}.{p}.{}", base64url::encode(&vec![7; sig]));
                if token.len() == len {
                    return token;
                }
            }
        }
        panic!("no token of {len} bytes")
    }

    #[test]
    fn a_well_formed_token_is_read_up_to_16_kib_and_refused_one_byte_over() {
        // The limit written out, not MAX_TOKEN_LEN: a change to the constant must show.
        let at_limit = token_of_len(16_384);
        assert!(CompactJws::split(&at_limit).is_ok());
        let over = token_of_len(16_385);
        assert_eq!(
            CompactJws::split(&over).err(),
            Some(Error::MalformedIdToken("longer than 16 KiB".into()))
        );
        let far_over = token_of_len(2 * MAX_TOKEN_LEN);
        assert_eq!(
            CompactJws::split(&far_over).err(),
            Some(Error::MalformedIdToken("longer than 16 KiB".into()))
        );
    }

    #[test]
    fn a_fourth_or_fifth_well_encoded_part_is_refused() {
        // Every part valid base64url (a JWE has five): only the count can refuse these.
        let h = base64url::encode(br#"{"alg":"RS256"}"#);
        let p = base64url::encode(br#"{"sub":"x"}"#);
        let s = base64url::encode(b"sig");
        assert!(CompactJws::split(&format!("{h}.{p}.{s}")).is_ok());
        for bad in [
            format!("{h}.{p}.{s}.{s}"),
            format!("{h}.{p}.{s}.{s}.{s}"),
            format!("{h}.{p}.{s}."),
        ] {
            assert!(
                matches!(
                    CompactJws::split(&bad),
                    Err(Error::MalformedIdToken(why)) if why.starts_with("not three")
                ),
                "{bad}"
            );
        }
    }
}
