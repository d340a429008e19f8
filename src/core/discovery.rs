//! Provider metadata ([OpenID Connect Discovery 1.0 §3](https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata)),
//! checked like the seed's Issuer URL field: each missing field the flow needs is its own error.

use super::connection::Channel;
use super::types::IssuerUrl;
use super::web_url::{self, UrlParser};
use super::Error;

use crate::prelude::*;
use serde::Deserialize;

/// Where discovery documents live below an issuer (Discovery §4).
pub const DISCOVERY_PATH: &str = "/.well-known/openid-configuration";

/// The members of the document the widget reads; the others are ignored. A member of the
/// wrong type is an error naming it; a missing one is left for
/// [`ProviderMetadata::for_channel`] to judge.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ProviderMetadata {
    pub issuer: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub end_session_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub response_types_supported: Option<Vec<String>>,
    /// Absent means `["query", "fragment"]` (Discovery §3), so no form_post.
    pub response_modes_supported: Option<Vec<String>>,
    pub code_challenge_methods_supported: Option<Vec<String>>,
    pub authorization_response_iss_parameter_supported: Option<bool>,
}

/// The endpoints of a provider, checked for the flow a connection uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub issuer: IssuerUrl,
    pub authorization_endpoint: String,
    /// Required for the back channel (code); the front channel does not call it.
    pub token_endpoint: Option<String>,
    pub jwks_uri: String,
    pub end_session_endpoint: Option<String>,
    /// OpenID Connect Core §5.3, for `getUserInfo`.
    pub userinfo_endpoint: Option<String>,
    /// `web_message` among `response_modes_supported`: `checkSession` can ask for it.
    pub web_message: bool,
    /// RFC 9207 §3: responses must then carry `iss`.
    pub iss_parameter_supported: bool,
}

impl ProviderMetadata {
    /// Checks the metadata for `channel`: the back channel needs the code flow with PKCE
    /// S256 and a token endpoint, the front channel `id_token` by `form_post`.
    /// `expected_issuers` holds the exact strings the issuer may be (Discovery §4.3: it must
    /// equal the URL it was fetched for).
    pub fn for_channel(
        &self,
        expected_issuers: &[String],
        channel: Channel,
        urls: &dyn UrlParser,
    ) -> Result<Endpoints, Error> {
        let issuer = self
            .issuer
            .as_deref()
            .ok_or(Error::DiscoveryMissingField("issuer"))?;
        if !expected_issuers.iter().any(|e| e == issuer) {
            return Err(Error::DiscoveryIssuerMismatch {
                expected: expected_issuers.first().cloned().unwrap_or_default(),
                found: issuer.to_owned(),
            });
        }
        // Optional endpoints that could not carry a login safely are left out.
        let secure = |value: &Option<String>| {
            value
                .as_deref()
                .filter(|u| web_url::is_secure(urls, u))
                .map(str::to_owned)
        };
        let endpoint = |value: &Option<String>, field: &'static str| match value.as_deref() {
            None => Err(Error::DiscoveryMissingField(field)),
            Some(url) => match web_url::secure(urls, url) {
                Ok(_) => Ok(url.to_owned()),
                Err(refusal) => Err(Error::DiscoveryInsecureEndpoint {
                    field,
                    reason: refusal.reason(),
                }),
            },
        };
        let authorization_endpoint =
            endpoint(&self.authorization_endpoint, "authorization_endpoint")?;
        let jwks_uri = endpoint(&self.jwks_uri, "jwks_uri")?;
        let supports = |list: &[String], value: &str| list.iter().any(|v| v == value);
        let token_endpoint = match channel {
            Channel::Back => {
                let token = endpoint(&self.token_endpoint, "token_endpoint")?;
                if !supports(
                    self.response_types_supported.as_deref().unwrap_or_default(),
                    "code",
                ) {
                    return Err(Error::DiscoveryMissingField("response_types_supported"));
                }
                let methods = self.code_challenge_methods_supported.as_deref();
                if !supports(methods.unwrap_or_default(), "S256") {
                    return Err(Error::DiscoveryMissingField(
                        "code_challenge_methods_supported",
                    ));
                }
                Some(token)
            }
            Channel::Front => {
                if !supports(
                    self.response_types_supported.as_deref().unwrap_or_default(),
                    "id_token",
                ) {
                    return Err(Error::DiscoveryMissingField("response_types_supported"));
                }
                let modes = self.response_modes_supported.as_deref().unwrap_or_default();
                if !supports(modes, "form_post") {
                    return Err(Error::DiscoveryMissingField("response_modes_supported"));
                }
                secure(&self.token_endpoint)
            }
        };
        Ok(Endpoints {
            issuer: IssuerUrl::new(issuer.to_owned()),
            authorization_endpoint,
            token_endpoint,
            jwks_uri,
            end_session_endpoint: secure(&self.end_session_endpoint),
            userinfo_endpoint: secure(&self.userinfo_endpoint),
            web_message: supports(
                self.response_modes_supported.as_deref().unwrap_or_default(),
                super::silent::RESPONSE_MODE,
            ),
            iss_parameter_supported: self
                .authorization_response_iss_parameter_supported
                .unwrap_or(false),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::web_url::Whatwg;
    use serde_json::{json, Value};

    fn full() -> Value {
        json!({
            "issuer": "https://op.example.com",
            "authorization_endpoint": "https://op.example.com/authorize",
            "token_endpoint": "https://op.example.com/oauth/token",
            "jwks_uri": "https://op.example.com/.well-known/jwks.json",
            "response_types_supported": ["code", "id_token"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": true
        })
    }

    fn check(doc: Value) -> Result<Endpoints, Error> {
        serde_json::from_value::<ProviderMetadata>(doc)
            .expect("metadata")
            .for_channel(
                &["https://op.example.com".to_owned()],
                Channel::Back,
                &Whatwg,
            )
    }

    #[test]
    fn accepts_a_complete_document() {
        let e = check(full()).expect("endpoints");
        assert_eq!(e.issuer.as_str(), "https://op.example.com");
        assert_eq!(
            e.token_endpoint.as_deref(),
            Some("https://op.example.com/oauth/token")
        );
        assert!(e.iss_parameter_supported);
    }

    #[test]
    fn each_missing_field_is_named() {
        for field in [
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
            "response_types_supported",
            "code_challenge_methods_supported",
        ] {
            let mut doc = full();
            doc.as_object_mut().expect("object").remove(field);
            assert_eq!(
                check(doc),
                Err(Error::DiscoveryMissingField(field)),
                "{field}"
            );
        }
    }

    #[test]
    fn plain_only_pkce_counts_as_missing_s256() {
        let mut doc = full();
        doc["code_challenge_methods_supported"] = json!(["plain"]);
        assert_eq!(
            check(doc),
            Err(Error::DiscoveryMissingField(
                "code_challenge_methods_supported"
            ))
        );
    }

    #[test]
    fn issuer_must_match_exactly() {
        let mut doc = full();
        doc["issuer"] = json!("https://op.example.com/");
        assert!(matches!(
            check(doc),
            Err(Error::DiscoveryIssuerMismatch { .. })
        ));
    }

    fn check_front(doc: Value) -> Result<Endpoints, Error> {
        serde_json::from_value::<ProviderMetadata>(doc)
            .expect("metadata")
            .for_channel(
                &["https://op.example.com".to_owned()],
                Channel::Front,
                &Whatwg,
            )
    }

    #[test]
    fn front_channel_needs_id_token_by_form_post_but_no_token_endpoint() {
        let mut doc = full();
        doc["response_modes_supported"] = json!(["query", "fragment", "form_post"]);
        doc.as_object_mut()
            .expect("object")
            .remove("token_endpoint");
        doc.as_object_mut()
            .expect("object")
            .remove("code_challenge_methods_supported");
        let e = check_front(doc.clone()).expect("front channel endpoints");
        assert_eq!(e.token_endpoint, None);
        doc["response_types_supported"] = json!(["code"]);
        assert_eq!(
            check_front(doc),
            Err(Error::DiscoveryMissingField("response_types_supported"))
        );
    }

    #[test]
    fn absent_response_modes_mean_no_form_post() {
        // Discovery §3: the default is ["query", "fragment"].
        assert_eq!(
            check_front(full()),
            Err(Error::DiscoveryMissingField("response_modes_supported"))
        );
    }

    #[test]
    fn members_of_the_wrong_type_are_named() {
        let mut doc = full();
        doc["response_types_supported"] = json!("code");
        let e = crate::core::document::from_json::<ProviderMetadata>(&doc.to_string())
            .expect_err("a string for a list");
        assert_eq!(e.path, "response_types_supported");
        assert!(crate::core::document::from_json::<ProviderMetadata>("1").is_err());
    }

    #[test]
    fn insecure_endpoints_are_refused_and_the_error_says_why() {
        for (field, url) in [
            ("token_endpoint", "http://op.example.com/token"),
            // Issue 18: a host that starts with `127.` is not loopback.
            ("token_endpoint", "http://127.op.example.com/token"),
            ("token_endpoint", "http://127.0.0.1@op.example.com/token"),
            ("jwks_uri", "http://localhost:1@evil.example/jwks"),
            (
                "authorization_endpoint",
                "http://localhost.evil.com/authorize",
            ),
        ] {
            let mut doc = full();
            doc[field] = json!(url);
            let err = check(doc).expect_err(url);
            assert!(
                matches!(err, Error::DiscoveryInsecureEndpoint { field: f, .. } if f == field),
                "{url}: {err:?}"
            );
            assert_eq!(err.code(), "discovery_insecure_endpoint");
        }
        let mut doc = full();
        doc["token_endpoint"] = json!("http://127.op.example.com/token");
        let message = check(doc).expect_err("insecure").message();
        assert!(
            message.contains("`token_endpoint` must use https"),
            "{message}"
        );
        let mut loopback = full();
        loopback["token_endpoint"] = json!("http://127.0.0.1:3000/token");
        assert!(check(loopback).is_ok());
    }
}
