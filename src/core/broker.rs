//! The authorization server named by `domain`, the broker of Lock's connections: an origin,
//! checked as the browser's URL parser reads it, and the issuer strings and discovery URL it
//! stands for.

use super::discovery::DISCOVERY_PATH;
use super::encoding::cat;
use super::web_url::{self, UrlParser};
use super::Error;

use crate::prelude::*;

/// Where the broker (the authorization server named by `domain`) lives: an origin with no
/// path, like `https://tenant.example.com`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokerOrigin(String);

impl BrokerOrigin {
    /// Accepts a bare host (`tenant.example.com`, Lock's form, meaning https) or an origin.
    /// Plain http is accepted only for loopback hosts, where the demo and tests run; a path,
    /// a query, a fragment or credentials make it something other than a domain.
    pub fn parse(domain: &str, urls: &dyn UrlParser) -> Result<Self, Error> {
        let bad = || Error::InvalidDomain(domain.to_owned());
        let trimmed = domain.trim();
        // Which of the two forms it is; the parser below decides everything else.
        let text = match trimmed.contains("://") {
            true => trimmed.to_owned(),
            false => cat(&["https://", trimmed]),
        };
        let url = web_url::secure(urls, &text).map_err(|_| bad())?;
        if url.pathname != "/" || !url.search.is_empty() || !url.hash.is_empty() {
            return Err(bad());
        }
        Ok(Self(url.origin))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The issuer strings this broker may use: Auth0 writes `https://tenant/`, most others
    /// the bare origin. Compared exactly, never canonicalised.
    pub fn issuer_candidates(&self) -> [String; 2] {
        [cat(&[&self.0, "/"]), self.0.clone()]
    }

    pub fn discovery_url(&self) -> String {
        self.0.clone() + DISCOVERY_PATH
    }
}

use super::settings::Settings;

impl Settings {
    /// Lock's client configuration URL, `{clientBaseUrl}/client/{clientId}.js` (`.json` for
    /// `configurationFormat: 'json'`): where the broker, or the base URL the options name,
    /// serves the connections on offer.
    pub fn client_configuration_url(&self) -> Option<String> {
        let mut out = self.configuration_base_url.clone()? + "/client/";
        super::encoding::encode_component(self.client_id.as_str(), &mut out);
        out.push_str(self.configuration_format.suffix());
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::from_json;
    use crate::core::options::Options;
    use crate::core::web_url::Whatwg;

    fn options(json: &str) -> Options {
        from_json(json).expect("options json")
    }

    #[test]
    fn bare_domains_mean_https_and_loopback_may_use_http() {
        assert_eq!(
            BrokerOrigin::parse("Tenant.Example.com", &Whatwg).map(|b| b.0),
            Ok("https://tenant.example.com".into())
        );
        assert_eq!(
            BrokerOrigin::parse("http://127.0.0.1:3000/", &Whatwg).map(|b| b.0),
            Ok("http://127.0.0.1:3000".into())
        );
        assert!(BrokerOrigin::parse("http://localhost:8080", &Whatwg).is_ok());
        assert!(BrokerOrigin::parse("http://[::1]:8080", &Whatwg).is_ok());
        assert_eq!(
            BrokerOrigin::parse("https://tenant.example.com:443", &Whatwg).map(|b| b.0),
            Ok("https://tenant.example.com".into())
        );
    }

    #[test]
    fn rejects_http_for_public_hosts_and_domains_with_paths() {
        for bad in [
            "http://tenant.example.com",
            "https://tenant.example.com/path",
            "tenant.example.com?x=1",
            "user@tenant.example.com",
            "javascript:alert(1)",
            "",
            "ftp://127.0.0.1",
            "http://127.op.example.com",
            "127.op.example.com:80/x",
            "http://127.0.0.1@op.example.com",
            "http://localhost:1@evil.example",
            "https://tenant.example.com#x",
        ] {
            assert!(
                matches!(
                    BrokerOrigin::parse(bad, &Whatwg),
                    Err(Error::InvalidDomain(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn broker_issuer_candidates_are_exact_strings() {
        let b = BrokerOrigin::parse("tenant.example.com", &Whatwg).expect("domain");
        assert_eq!(
            b.issuer_candidates(),
            [
                "https://tenant.example.com/".to_owned(),
                "https://tenant.example.com".to_owned()
            ]
        );
    }

    #[test]
    fn the_client_configuration_is_found_as_lock_finds_it() {
        let url = |json: &str| {
            Settings::new(
                "abc",
                "acme.eu.auth0.com",
                options(json),
                "https://app/",
                &Whatwg,
            )
            .map(|s| s.client_configuration_url())
        };
        // auth0-lock 14: clientBaseUrl, else configurationBaseUrl, else assetsUrl, else the
        // domain itself (a regional or a custom domain alike).
        assert_eq!(
            url("{}"),
            Ok(Some("https://acme.eu.auth0.com/client/abc.js".into()))
        );
        let custom = Settings::new(
            "abc",
            "login.acme.example",
            options("{}"),
            "https://app/",
            &Whatwg,
        )
        .map(|s| s.client_configuration_url());
        assert_eq!(
            custom,
            Ok(Some("https://login.acme.example/client/abc.js".into()))
        );
        assert_eq!(
            url(
                r#"{"assetsUrl":"https://assets.example","configurationBaseUrl":"https://conf.example/"}"#
            ),
            Ok(Some("https://conf.example/client/abc.js".into()))
        );
        assert_eq!(
            url(
                r#"{"assetsUrl":"https://assets.example","clientBaseUrl":"https://client.example","configurationBaseUrl":"https://conf.example"}"#
            ),
            Ok(Some("https://client.example/client/abc.js".into()))
        );
        assert_eq!(
            url(r#"{"assetsUrl":"https://assets.example"}"#),
            Ok(Some("https://assets.example/client/abc.js".into()))
        );
        assert_eq!(
            url(r#"{"configurationFormat":"json"}"#),
            Ok(Some("https://acme.eu.auth0.com/client/abc.json".into()))
        );
        // Each is held to the broker's rule, and named when it fails it.
        for name in ["clientBaseUrl", "assetsUrl"] {
            let e = url(&format!(r#"{{"{name}":"http://cdn.example.com"}}"#)).unwrap_err();
            assert!(
                matches!(&e, Error::InvalidOption { option, .. } if option == name),
                "{e:?}"
            );
        }
        let e = crate::core::document::from_json::<Options>(r#"{"configurationFormat":"jsonp"}"#)
            .unwrap_err();
        assert_eq!(e.path, "configurationFormat");
    }

    #[test]
    fn the_configuration_base_url_must_be_as_safe_as_the_broker() {
        let with = |base: &str| {
            let o = options(&format!(r#"{{"configurationBaseUrl":"{base}"}}"#));
            Settings::new("abc", "tenant.example.com", o, "https://app/", &Whatwg)
        };
        assert!(with("https://cdn.example.com/").is_ok());
        assert!(with("http://127.0.0.1:3000").is_ok());
        for bad in [
            "http://cdn.example.com",
            "http://127.cdn.example.com",
            "/relative",
        ] {
            assert!(
                matches!(with(bad), Err(Error::InvalidOption { ref option, .. }) if option == "configurationBaseUrl"),
                "{bad}"
            );
        }
    }
}
