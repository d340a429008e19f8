//! Direct OpenID Connect connections, given in `options.connections`: the widget talks to the
//! identity provider itself, with no broker in between. The fields follow the seed's OIDC
//! connection (`type`, `discovery_url` or `issuer` plus explicit endpoints, `client_id`,
//! `scopes`), minus the secret: a secret shipped to a browser is public.

use super::authorize::Scope;
use super::discovery::{Endpoints, DISCOVERY_PATH};
use super::strategy::{self, ConnectionKind};
use super::types::{ClientId, ConnectionName, IssuerUrl};
use super::version::{self, Requirement, Unsupported};
use super::web_url::{self, UrlParser};
use super::Error;

use super::encoding::{cat, trim_end_byte};
use crate::prelude::*;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

/// A connection the widget can offer, from the client configuration or from the options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub name: ConnectionName,
    pub display_name: String,
    pub strategy: String,
    pub kind: ConnectionKind,
    /// Email domains that route to this connection (home realm discovery).
    pub domains: Vec<String>,
    pub route: Route,
    /// What the widget must be able to do to serve it: the configuration's
    /// `min_widget_version` and `requires`, plus what its flow needs.
    pub requirement: Requirement,
    /// A database connection whose configuration offers sign-ups (Auth0's `showSignup`).
    pub sign_up: bool,
}

impl Connection {
    /// Whether this widget can serve the connection, and if not, why (issue: the seed's
    /// "you must use Lock version 11.16 or higher", made first-class).
    pub fn verdict(&self) -> Result<(), Unsupported> {
        version::check(&self.requirement, &version::current())
    }
}

/// Home realm discovery (Lock's behaviour): the connection whose `domain` or
/// `domain_aliases` is the email's domain, compared without case. None when the address has
/// no domain or no connection claims it.
pub fn for_email<'a>(list: &'a [Connection], email: &str) -> Option<&'a Connection> {
    let email = email.trim();
    let at = email.bytes().rposition(|b| b == b'@')?;
    let domain = email.get(at + 1..)?;
    let domain = trim_end_byte(domain, b'.').to_ascii_lowercase();
    if domain.is_empty() {
        return None;
    }
    list.iter().find(|c| c.domains.contains(&domain))
}

/// The connection for what the user typed in the panel's email field (Lock's first screen):
/// the enterprise connection that claims the email's domain, else the database connection,
/// else a passwordless one (`email` for an address, `sms` for anything else). Each logs in
/// on the authorization server's own page (`/authorize?connection=NAME&login_hint=...`),
/// so no password is ever typed into the widget.
pub fn for_typed<'a>(list: &'a [Connection], typed: &str) -> Option<&'a Connection> {
    let of = |kind: ConnectionKind| list.iter().filter(move |c| c.kind == kind);
    let passwordless = match super::encoding::has(typed, b'@') {
        true => "email",
        false => "sms",
    };
    for_email(list, typed)
        .or_else(|| of(ConnectionKind::Database).next())
        .or_else(|| of(ConnectionKind::Passwordless).find(|c| c.strategy == passwordless))
}

/// What a connection's flow needs from the widget, beside what its configuration states.
pub fn flow_needs(route: &Route) -> &'static [&'static str] {
    match route {
        Route::Broker => &["pkce_s256", "query"],
        Route::Direct(d) => match d.channel {
            Channel::Back => &["direct_oidc", "back_channel", "pkce_s256", "query"],
            Channel::Front => &["direct_oidc", "front_channel", "form_post"],
        },
    }
}

/// The requirement of a connection of `strategy` on `route`, from its configuration.
pub fn requirement(
    strategy: &str,
    route: &Route,
    min_widget_version: Option<String>,
    requires: Vec<String>,
) -> Requirement {
    let mut all = requires;
    for need in flow_needs(route) {
        if !all.iter().any(|r| r == need) {
            all.push((*need).to_owned());
        }
    }
    Requirement {
        strategy: strategy.to_owned(),
        min_widget_version,
        requires: all,
    }
}

/// Who the authorize link goes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The authorization server named by `domain`, with `connection=NAME`.
    Broker,
    /// The identity provider itself.
    Direct(Box<DirectConnection>),
}

/// The connections to offer: all of them, or those `allowedConnections` names, in its order
/// (Lock's rule). None left is an error, never an empty widget.
pub fn offered(all: Vec<Connection>, allowed: Option<&[String]>) -> Result<Vec<Connection>, Error> {
    let chosen: Vec<Connection> = match allowed {
        None => all,
        Some(names) => names
            .iter()
            .filter_map(|n| all.iter().find(|c| c.name.as_str() == n).cloned())
            .collect(),
    };
    if chosen.is_empty() {
        return Err(Error::NoConnections);
    }
    Ok(chosen)
}

/// How the provider answers: the seed's Front Channel / Back Channel, by the seed's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// `response_type=code` with PKCE S256; the code is exchanged from the page.
    #[serde(rename = "back_channel")]
    Back,
    /// `response_type=id_token`, `response_mode=form_post`.
    #[serde(rename = "front_channel")]
    Front,
}

/// One entry of `options.connections`, as the page gives it; [`DirectConnectionOptions::parse`]
/// checks it.
#[derive(Debug, Deserialize)]
pub struct DirectConnectionOptions {
    pub name: String,
    pub display_name: Option<String>,
    #[serde(rename = "type")]
    pub channel: Option<Channel>,
    pub discovery_url: Option<String>,
    pub issuer: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub end_session_endpoint: Option<String>,
    /// With explicit endpoints: for `getUserInfo` and the profile (OpenID Connect Core §5.3).
    pub userinfo_endpoint: Option<String>,
    pub client_id: String,
    /// Comma- or space-separated; the seed's auth0-oidc connection spells it `scope`.
    #[serde(alias = "scope")]
    pub scopes: Option<String>,
    /// Read only to be refused, whatever its type: a secret in a web page is public.
    pub client_secret: Option<IgnoredAny>,
    pub domain: Option<String>,
    pub domain_aliases: Option<Vec<String>>,
    /// The lowest latch-login version that may serve it.
    pub min_widget_version: Option<String>,
    /// Capabilities it needs (see [`super::version::CAPABILITIES`]).
    pub requires: Option<Vec<String>>,
    /// `true`: refuse a provider whose discovery does not list S256 in
    /// `code_challenge_methods_supported` (RFC 8414 §2's reading of an absent member).
    pub require_pkce_metadata: Option<bool>,
    /// `false`: the profile is the ID token's claims alone. By default the widget asks the
    /// userinfo endpoint for what the scope asked and the ID token lacks (see
    /// [`super::profile::wants_userinfo`]).
    pub profile_from_userinfo: Option<bool>,
}

/// Where a direct connection's provider metadata comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderSource {
    /// Fetch `url`; the document's `issuer` must be one of `expected_issuers`.
    Discovery {
        url: String,
        expected_issuers: Vec<String>,
    },
    /// Given in full by the app (the seed's "specifying issuer settings").
    Explicit(Endpoints),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectConnection {
    pub channel: Channel,
    pub client_id: ClientId,
    pub scope: Scope,
    pub source: ProviderSource,
    /// `require_pkce_metadata`.
    pub strict_pkce: bool,
    /// `profile_from_userinfo`, true unless it is `false`.
    pub profile_from_userinfo: bool,
}

/// Turns an Issuer URL field into the discovery URL and the issuers it may name. Both forms
/// the seed accepts work: the base URL and the full `/.well-known/openid-configuration` URL.
/// A trailing slash is the one difference tolerated (Auth0 issuers end with one, the form
/// the seed tells users to type does not); anything else is compared exactly.
pub fn discovery_location(
    issuer_url: &str,
    urls: &dyn UrlParser,
) -> Result<(String, Vec<String>), Error> {
    let url = issuer_url.trim();
    let base = trim_end_byte(url.strip_suffix(DISCOVERY_PATH).unwrap_or(url), b'/');
    let refusal = match web_url::secure(urls, base) {
        // Any `?` or `#`, even an empty query or fragment that a parsed URL no longer shows.
        Ok(_) if !base.contains(['?', '#']) => None,
        Ok(_) => Some("must not have a query or a fragment"),
        Err(refusal) => Some(refusal.reason()),
    };
    if let Some(reason) = refusal {
        return Err(Error::InvalidOption {
            option: "connections[].discovery_url".into(),
            reason: cat(&["`", issuer_url, "` ", reason]),
        });
    }
    Ok((
        cat(&[base, DISCOVERY_PATH]),
        vec![base.to_owned(), cat(&[base, "/"])],
    ))
}

impl DirectConnectionOptions {
    /// Checks one `options.connections` entry.
    pub fn parse(self, urls: &dyn UrlParser) -> Result<Connection, Error> {
        let field = |name: &str, reason: &str| Error::InvalidOption {
            option: cat(&["connections[", &self.name, "].", name]),
            reason: reason.to_owned(),
        };
        if self.name.trim().is_empty() {
            return Err(Error::InvalidOption {
                option: "connections[].name".into(),
                reason: "must be a non-empty string".into(),
            });
        }
        if self.client_secret.is_some() {
            return Err(Error::ClientSecretInBrowser(self.name.clone()));
        }
        if self.client_id.trim().is_empty() {
            return Err(field("client_id", "must be a non-empty string"));
        }
        let channel = self.channel.unwrap_or(Channel::Back);
        let source = if let Some(authorization_endpoint) = &self.authorization_endpoint {
            let secure = |value: &Option<String>, name: &str| match value {
                Some(url) => match web_url::secure(urls, url) {
                    Ok(_) => Ok(url.clone()),
                    Err(refusal) => Err(field(name, refusal.reason())),
                },
                None => Err(field(
                    name,
                    "is required when authorization_endpoint is given",
                )),
            };
            let issuer = self
                .issuer
                .clone()
                .ok_or_else(|| field("issuer", "is required when endpoints are given"))?;
            let token_endpoint = match channel {
                Channel::Back => Some(secure(&self.token_endpoint, "token_endpoint")?),
                Channel::Front => self
                    .token_endpoint
                    .clone()
                    .filter(|u| web_url::is_secure(urls, u)),
            };
            ProviderSource::Explicit(Endpoints {
                issuer: IssuerUrl::new(issuer),
                authorization_endpoint: secure(
                    &Some(authorization_endpoint.clone()),
                    "authorization_endpoint",
                )?,
                token_endpoint,
                jwks_uri: secure(&self.jwks_uri, "jwks_uri")?,
                end_session_endpoint: self
                    .end_session_endpoint
                    .clone()
                    .filter(|u| web_url::is_secure(urls, u)),
                userinfo_endpoint: match &self.userinfo_endpoint {
                    None => None,
                    url => Some(secure(url, "userinfo_endpoint")?),
                },
                web_message: false,
                iss_parameter_supported: false,
                offline_access: true,
                dpop_es256: true,
            })
        } else {
            // The seed's Issuer URL field: a base or full URL, alone or beside discovery_url.
            let (url, expected_issuers) = match (&self.discovery_url, &self.issuer) {
                (Some(discovery), Some(issuer)) => {
                    // Both given: the document must name this issuer, exactly.
                    (discovery_location(discovery, urls)?.0, vec![issuer.clone()])
                }
                (Some(location), None) | (None, Some(location)) => {
                    discovery_location(location, urls)?
                }
                (None, None) => {
                    return Err(field(
                        "issuer",
                        "give an issuer or discovery_url (or the endpoints)",
                    ))
                }
            };
            ProviderSource::Discovery {
                url,
                expected_issuers,
            }
        };
        let scope = Scope::parse(self.scopes.as_deref().unwrap_or(Scope::DEFAULT));
        let display_name = match self.display_name.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => d.to_owned(),
            _ => self.name.clone(),
        };
        let domains = self
            .domain
            .iter()
            .chain(self.domain_aliases.iter().flatten())
            .map(|d| d.to_ascii_lowercase())
            .collect();
        let route = Route::Direct(Box::new(DirectConnection {
            channel,
            client_id: ClientId::new(self.client_id),
            scope,
            source,
            strict_pkce: self.require_pkce_metadata == Some(true),
            profile_from_userinfo: self.profile_from_userinfo != Some(false),
        }));
        Ok(Connection {
            name: ConnectionName::new(self.name),
            display_name,
            strategy: "oidc".into(),
            kind: strategy::kind("oidc"),
            domains,
            requirement: requirement(
                "oidc",
                &route,
                self.min_widget_version,
                self.requires.unwrap_or_default(),
            ),
            route,
            sign_up: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::web_url::Whatwg;
    use serde_json::json;

    fn parse(value: serde_json::Value) -> Result<Connection, Error> {
        serde_json::from_value::<DirectConnectionOptions>(value)
            .expect("options")
            .parse(&Whatwg)
    }

    fn direct(c: &Connection) -> &DirectConnection {
        match &c.route {
            Route::Direct(d) => d,
            Route::Broker => panic!("not direct"),
        }
    }

    #[test]
    fn issuer_base_url_and_full_discovery_url_are_the_same_location() {
        let base = discovery_location("https://idp.example.com", &Whatwg).expect("base");
        let full = discovery_location(
            "https://idp.example.com/.well-known/openid-configuration",
            &Whatwg,
        )
        .expect("full");
        let slash = discovery_location("https://idp.example.com/", &Whatwg).expect("slash");
        assert_eq!(base, full);
        assert_eq!(base, slash);
        assert_eq!(
            base.0,
            "https://idp.example.com/.well-known/openid-configuration"
        );
        assert_eq!(
            base.1,
            vec![
                "https://idp.example.com".to_owned(),
                "https://idp.example.com/".to_owned()
            ]
        );
    }

    #[test]
    fn discovery_location_keeps_issuer_paths_and_refuses_plain_http() {
        let (url, issuers) =
            discovery_location("https://idp.example.com/tenant/a", &Whatwg).expect("path");
        assert_eq!(
            url,
            "https://idp.example.com/tenant/a/.well-known/openid-configuration"
        );
        assert_eq!(issuers[0], "https://idp.example.com/tenant/a");
        assert!(discovery_location("http://idp.example.com", &Whatwg).is_err());
        assert!(discovery_location("http://127.0.0.1:3000", &Whatwg).is_ok());
        for bad in [
            "http://127.idp.example.com",
            "http://127.0.0.1@idp.example.com",
            "http://localhost:1@evil.example",
            "https://idp.example.com?tenant=a",
        ] {
            assert!(discovery_location(bad, &Whatwg).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_connection_by_issuer_only_is_a_back_channel_oidc_connection() {
        let c = parse(json!({"name": "corp", "issuer": "https://idp.example.com",
                             "client_id": "abc", "scopes": "profile,email"}))
        .expect("connection");
        assert_eq!(c.strategy, "oidc");
        assert_eq!(c.display_name, "corp");
        let d = direct(&c);
        assert_eq!(d.channel, Channel::Back);
        assert_eq!(d.client_id.as_str(), "abc");
        assert_eq!(d.scope.as_str(), "openid profile email");
        assert!(d.scope.added_openid);
        assert_eq!(
            d.source,
            ProviderSource::Discovery {
                url: "https://idp.example.com/.well-known/openid-configuration".into(),
                expected_issuers: vec![
                    "https://idp.example.com".into(),
                    "https://idp.example.com/".into()
                ],
            }
        );
        let full = parse(json!({"name": "corp", "client_id": "abc",
            "issuer": "https://idp.example.com/.well-known/openid-configuration"}))
        .expect("full URL in the issuer field");
        assert_eq!(direct(&full).source, d.source);
        let both = parse(json!({"name": "corp", "client_id": "abc",
            "issuer": "https://idp.example.com/",
            "discovery_url": "https://idp.example.com/.well-known/openid-configuration"}))
        .expect("both");
        match &direct(&both).source {
            ProviderSource::Discovery {
                expected_issuers, ..
            } => {
                assert_eq!(
                    expected_issuers,
                    &vec!["https://idp.example.com/".to_owned()]
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn seed_discovery_url_form_expects_the_base_issuer() {
        let c = parse(
            json!({"name": "corp", "type": "front_channel", "client_id": "abc",
            "discovery_url": "https://IDP.example.com/.well-known/openid-configuration",
            "scopes": "openid profile"}),
        )
        .expect("connection");
        let d = direct(&c);
        assert_eq!(d.channel, Channel::Front);
        assert!(!d.scope.added_openid);
        match &d.source {
            ProviderSource::Discovery {
                expected_issuers, ..
            } => assert_eq!(
                expected_issuers,
                &vec![
                    "https://IDP.example.com".to_owned(),
                    "https://IDP.example.com/".to_owned()
                ]
            ),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn explicit_endpoints_need_issuer_jwks_and_for_back_channel_a_token_endpoint() {
        let base = json!({"name": "corp", "client_id": "abc", "type": "back_channel",
            "issuer": "https://idp.example.com", "authorization_endpoint": "https://idp.example.com/authorize",
            "jwks_uri": "https://idp.example.com/.well-known/jwks.json"});
        let missing_token = parse(base.clone()).unwrap_err();
        assert!(
            matches!(missing_token, Error::InvalidOption { ref option, .. } if option == "connections[corp].token_endpoint")
        );
        let mut front = base.clone();
        front["type"] = json!("front_channel");
        assert!(matches!(
            direct(&parse(front).expect("front")).source,
            ProviderSource::Explicit(_)
        ));
        let mut no_jwks = base.clone();
        no_jwks["token_endpoint"] = json!("https://idp.example.com/oauth/token");
        no_jwks.as_object_mut().expect("object").remove("jwks_uri");
        assert!(
            matches!(parse(no_jwks).unwrap_err(), Error::InvalidOption { ref option, .. } if option == "connections[corp].jwks_uri")
        );
        let mut insecure = base.clone();
        insecure["token_endpoint"] = json!("http://idp.example.com/oauth/token");
        assert!(parse(insecure).is_err());
    }

    #[test]
    fn explicit_endpoints_may_name_a_userinfo_endpoint_which_must_be_secure() {
        let mut c = json!({"name": "corp", "client_id": "abc",
            "issuer": "https://idp.example.com", "authorization_endpoint": "https://idp.example.com/authorize",
            "token_endpoint": "https://idp.example.com/token",
            "jwks_uri": "https://idp.example.com/jwks"});
        let endpoints = |c: &Connection| match &direct(c).source {
            ProviderSource::Explicit(e) => e.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            endpoints(&parse(c.clone()).expect("none")).userinfo_endpoint,
            None
        );
        c["userinfo_endpoint"] = json!("https://idp.example.com/userinfo");
        let e = endpoints(&parse(c.clone()).expect("given"));
        assert_eq!(
            e.userinfo_endpoint.as_deref(),
            Some("https://idp.example.com/userinfo")
        );
        assert!(e.offline_access);
        c["userinfo_endpoint"] = json!("http://idp.example.com/userinfo");
        assert!(
            matches!(parse(c).unwrap_err(), Error::InvalidOption { ref option, .. } if option == "connections[corp].userinfo_endpoint")
        );
    }

    #[test]
    fn pkce_metadata_is_optional_and_the_profile_asks_userinfo_unless_told_not_to() {
        let c =
            parse(json!({"name": "corp", "issuer": "https://idp.example.com", "client_id": "abc"}))
                .expect("defaults");
        assert!(!direct(&c).strict_pkce);
        assert!(direct(&c).profile_from_userinfo);
        let c = parse(
            json!({"name": "corp", "issuer": "https://idp.example.com", "client_id": "abc",
            "require_pkce_metadata": true, "profile_from_userinfo": false}),
        )
        .expect("both set");
        assert!(direct(&c).strict_pkce);
        assert!(!direct(&c).profile_from_userinfo);
    }

    #[test]
    fn a_client_secret_is_refused_whatever_its_type() {
        for secret in [json!("s3cr3t"), json!(""), json!(42)] {
            let err = parse(json!({"name": "corp", "issuer": "https://idp.example.com",
                                   "client_id": "abc", "client_secret": secret}))
            .unwrap_err();
            assert_eq!(err, Error::ClientSecretInBrowser("corp".into()));
            assert_eq!(err.code(), "client_secret_in_browser");
        }
    }

    #[test]
    fn nameless_clientless_or_unlocated_connections_are_named_errors() {
        assert!(parse(json!({"name": "", "issuer": "https://i", "client_id": "a"})).is_err());
        assert!(parse(json!({"name": "c", "issuer": "https://i", "client_id": " "})).is_err());
        assert!(matches!(
            parse(json!({"name": "c", "client_id": "a"})).unwrap_err(),
            Error::InvalidOption { ref option, .. } if option == "connections[c].issuer"
        ));
        let bad_type = crate::core::document::from_json::<DirectConnectionOptions>(
            &json!({"name": "c", "client_id": "a", "type": "sideways"}).to_string(),
        );
        assert!(
            matches!(bad_type, Err(ref e) if e.path == "type"),
            "{bad_type:?}"
        );
    }

    #[test]
    fn an_email_routes_to_the_connection_that_claims_its_domain() {
        let c = |name: &str, domains: &[&str]| Connection {
            name: ConnectionName::new(name),
            display_name: name.into(),
            strategy: "oidc".into(),
            kind: ConnectionKind::Enterprise,
            domains: domains.iter().map(|d| d.to_string()).collect(),
            route: Route::Broker,
            requirement: Requirement::default(),
            sign_up: false,
        };
        let list = [c("acme", &["acme.com", "acme.org"]), c("other", &[])];
        let name = |email: &str| for_email(&list, email).map(|c| c.name.as_str().to_owned());
        assert_eq!(name("jo@acme.com").as_deref(), Some("acme"));
        assert_eq!(
            name("  Jo@ACME.org. ").as_deref(),
            Some("acme"),
            "case, spaces, root dot"
        );
        assert_eq!(
            name("\"a@b\"@acme.com").as_deref(),
            Some("acme"),
            "the last @ counts"
        );
        assert_eq!(name("jo@acme.com.evil.example"), None, "no suffix matching");
        assert_eq!(name("jo@sub.acme.com"), None, "no subdomain matching");
        assert_eq!(name("jo@"), None);
        assert_eq!(name("acme.com"), None);
        assert_eq!(name(""), None);
    }

    #[test]
    fn a_typed_email_goes_to_its_enterprise_connection_else_the_database() {
        let c = |name: &str, strategy: &str, domains: &[&str]| Connection {
            name: ConnectionName::new(name),
            display_name: name.into(),
            strategy: strategy.into(),
            kind: strategy::kind(strategy),
            domains: domains.iter().map(|d| d.to_string()).collect(),
            route: Route::Broker,
            requirement: Requirement::default(),
            sign_up: false,
        };
        let name = |list: &[Connection], typed: &str| {
            for_typed(list, typed).map(|c| c.name.as_str().to_owned())
        };
        let list = [
            c("google-oauth2", "google-oauth2", &[]),
            c("corp", "oidc", &["corp.example"]),
            c("Username-Password-Authentication", "auth0", &[]),
        ];
        assert_eq!(name(&list, "jo@corp.example").as_deref(), Some("corp"));
        assert_eq!(
            name(&list, "jo@gmail.example").as_deref(),
            Some("Username-Password-Authentication")
        );
        let without_database = &list[..2];
        assert_eq!(name(without_database, "jo@gmail.example"), None);
        let passwordless = [c("email", "email", &[]), c("sms", "sms", &[])];
        assert_eq!(
            name(&passwordless, "jo@x.example").as_deref(),
            Some("email")
        );
        assert_eq!(name(&passwordless, "+15550100").as_deref(), Some("sms"));
    }

    #[test]
    fn allowed_connections_filter_and_order_any_list() {
        let c = |name: &str| Connection {
            name: ConnectionName::new(name),
            display_name: name.into(),
            strategy: "oidc".into(),
            kind: ConnectionKind::Enterprise,
            domains: vec![],
            route: Route::Broker,
            requirement: Requirement::default(),
            sign_up: false,
        };
        let allowed = vec!["b".to_owned(), "zz".to_owned(), "a".to_owned()];
        let list = offered(vec![c("a"), c("b"), c("c")], Some(&allowed)).expect("list");
        let names: Vec<&str> = list.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(
            offered(vec![c("a")], Some(&["x".to_owned()])),
            Err(Error::NoConnections)
        );
        assert_eq!(offered(vec![], None), Err(Error::NoConnections));
    }
}
