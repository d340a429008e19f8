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
    /// Absent at Microsoft Entra ID, django-oidc-provider and others that take PKCE: see
    /// [`ProviderMetadata::for_channel`].
    pub code_challenge_methods_supported: Option<Vec<String>>,
    pub authorization_response_iss_parameter_supported: Option<bool>,
    /// Google lists no `offline_access` here (and refuses it as a scope).
    pub scopes_supported: Option<Vec<String>>,
    /// RFC 9449 §5.1: the proof algorithms the provider takes; absent, it has not said it
    /// takes DPoP at all. Read in the DPoP build only.
    #[cfg(feature = "dpop")]
    pub dpop_signing_alg_values_supported: Option<Vec<String>>,
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
    /// `offline_access` may be asked for (OpenID Connect Core §11): `scopes_supported` lists
    /// it, or lists nothing (Discovery §3 makes the member optional).
    pub offline_access: bool,
    /// DPoP proofs signed with ES256, the widget's, are taken (RFC 9449 §5.1). A connection
    /// given its endpoints explicitly has the app's word for it.
    pub dpop_es256: bool,
}

impl ProviderMetadata {
    /// Checks the metadata for `channel`: the back channel needs the code flow with PKCE
    /// S256 and a token endpoint, the front channel `id_token` by `form_post`.
    /// `expected_issuers` holds the exact strings the issuer may be (Discovery §4.3: it must
    /// equal the URL it was fetched for), or that Microsoft Entra ID's template issuer fits
    /// (see [`super::issuer`]).
    ///
    /// PKCE: a `code_challenge_methods_supported` that leaves out S256 is refused. An absent
    /// one is read, as oidc-client-ts, oauth4webapi, MSAL and the other peers read it, as
    /// "not said": S256 is sent all the same, since Entra ID (which requires PKCE of
    /// single-page apps) and many other providers do not publish the member. RFC 8414 §2
    /// reads its absence as "no PKCE"; `strict_pkce` (a connection's
    /// `require_pkce_metadata`) keeps that reading and refuses the provider.
    pub fn for_channel(
        &self,
        expected_issuers: &[String],
        channel: Channel,
        strict_pkce: bool,
        urls: &dyn UrlParser,
    ) -> Result<Endpoints, Error> {
        let issuer = self
            .issuer
            .as_deref()
            .ok_or(Error::DiscoveryMissingField("issuer"))?;
        if !expected_issuers
            .iter()
            .any(|e| super::issuer::fits(issuer, e, None))
        {
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
                let pkce = match self.code_challenge_methods_supported.as_deref() {
                    Some(methods) => supports(methods, "S256"),
                    None => !strict_pkce,
                };
                if !pkce {
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
            offline_access: self
                .scopes_supported
                .as_deref()
                .is_none_or(|scopes| supports(scopes, "offline_access")),
            #[cfg(feature = "dpop")]
            dpop_es256: supports(
                self.dpop_signing_alg_values_supported
                    .as_deref()
                    .unwrap_or_default(),
                super::dpop::ALGORITHM,
            ),
            #[cfg(not(feature = "dpop"))]
            dpop_es256: false,
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
        check_pkce(doc, true)
    }

    fn check_pkce(doc: Value, strict_pkce: bool) -> Result<Endpoints, Error> {
        serde_json::from_value::<ProviderMetadata>(doc)
            .expect("metadata")
            .for_channel(
                &["https://op.example.com".to_owned()],
                Channel::Back,
                strict_pkce,
                &Whatwg,
            )
    }

    #[test]
    fn pkce_s256_is_sent_when_discovery_is_silent_unless_the_connection_is_strict() {
        let mut doc = full();
        doc.as_object_mut()
            .expect("object")
            .remove("code_challenge_methods_supported");
        assert!(check_pkce(doc.clone(), false).is_ok());
        assert_eq!(
            check_pkce(doc, true),
            Err(Error::DiscoveryMissingField(
                "code_challenge_methods_supported"
            ))
        );
        for methods in [json!(["plain"]), json!([])] {
            let mut doc = full();
            doc["code_challenge_methods_supported"] = methods;
            assert_eq!(
                check_pkce(doc, false),
                Err(Error::DiscoveryMissingField(
                    "code_challenge_methods_supported"
                )),
                "a list without S256 is refused either way"
            );
        }
    }

    #[cfg(feature = "dpop")]
    #[test]
    fn dpop_proofs_are_taken_only_where_es256_is_listed() {
        let es256 = |listed: Option<Value>| {
            let mut doc = full();
            if let Some(listed) = listed {
                doc["dpop_signing_alg_values_supported"] = listed;
            }
            check(doc).expect("endpoints").dpop_es256
        };
        // RFC 9449 §5.1: absent, the provider has not said it takes DPoP at all.
        assert!(!es256(None));
        assert!(es256(Some(json!(["PS256", "ES256"]))));
        assert!(!es256(Some(json!([]))));
        assert!(
            !es256(Some(json!(["RS256", "es256"]))),
            "algorithm names are exact"
        );
        let mut doc = full();
        doc["dpop_signing_alg_values_supported"] = json!("ES256");
        assert!(serde_json::from_value::<ProviderMetadata>(doc).is_err());
    }

    #[test]
    fn offline_access_is_asked_for_unless_scopes_supported_leaves_it_out() {
        assert!(check(full()).expect("endpoints").offline_access);
        let mut google = full();
        google["scopes_supported"] = json!(["openid", "email", "profile"]);
        assert!(!check(google).expect("endpoints").offline_access);
        let mut okta = full();
        okta["scopes_supported"] = json!(["openid", "profile", "offline_access"]);
        assert!(check(okta).expect("endpoints").offline_access);
    }

    #[test]
    fn an_entra_template_issuer_fits_the_tenant_url_it_was_fetched_for() {
        let mut doc = full();
        doc["issuer"] = json!("https://login.microsoftonline.com/{tenantid}/v2.0");
        let for_url = |url: &str| {
            serde_json::from_value::<ProviderMetadata>(doc.clone())
                .expect("metadata")
                .for_channel(&[url.to_owned()], Channel::Back, false, &Whatwg)
        };
        let e = for_url("https://login.microsoftonline.com/common/v2.0").expect("common");
        assert_eq!(
            e.issuer.as_str(),
            "https://login.microsoftonline.com/{tenantid}/v2.0",
            "the template is kept, for the ID token's tid"
        );
        assert!(for_url("https://login.microsoftonline.com/organizations/v2.0").is_ok());
        for other in [
            "https://login.microsoftonline.com/common/v2.0/x",
            "https://login.microsoftonline.com/common",
            "https://login.evil.example/common/v2.0",
        ] {
            assert!(
                matches!(for_url(other), Err(Error::DiscoveryIssuerMismatch { .. })),
                "{other}"
            );
        }
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
                false,
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
