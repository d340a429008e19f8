//! The client configuration, in the shape Auth0 Lock reads:
//! `{id, tenant, authorize, strategies: [{name, connections: [{name, display_name, domain, ...}]}]}`.
//!
//! Auth0 serves it as a script, `{clientBaseUrl}/client/{clientId}.js`, whose one statement is
//! `Auth0.setClient({...});` (Lock loads it with a script tag, auth0-lock 14's
//! `core/client/settings.js`). The widget fetches that text and reads the call's argument as
//! data, never running it, so it needs no `script-src` for the tenant; other brokers may serve
//! the same document as JSON (`configurationFormat: 'json'`, `/client/{clientId}.json`).

use super::connection::{requirement, Connection, Route};
use super::strategy;
use super::types::ConnectionName;
use super::Error;

use super::encoding::cat;
use crate::prelude::*;
use serde::Deserialize;

/// How the client configuration is served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum ConfigurationFormat {
    /// `/client/{clientId}.js`, `Auth0.setClient({...});`, as Auth0 serves it (the default).
    #[default]
    #[serde(rename = "script")]
    Script,
    /// `/client/{clientId}.json`, the document itself.
    #[serde(rename = "json")]
    Json,
}

impl ConfigurationFormat {
    /// The file's suffix under `/client/`.
    pub fn suffix(self) -> &'static str {
        match self {
            ConfigurationFormat::Script => ".js",
            ConfigurationFormat::Json => ".json",
        }
    }

    /// The JSON text of the document in `body`: the body itself, or the argument of its
    /// `Auth0.setClient(...)` call.
    pub fn document(self, body: &str) -> Result<&str, Error> {
        match self {
            ConfigurationFormat::Json => Ok(body),
            ConfigurationFormat::Script => set_client_argument(body),
        }
    }
}

/// The call Auth0's client configuration script makes.
const SET_CLIENT: &str = "Auth0.setClient(";

/// The argument of the one statement `Auth0.setClient({...});` (surrounding white space and
/// the final `;` allowed), as text for a JSON parser. Anything else (another function, a
/// second statement, a comment, no object) is refused: the script is data here, never code.
/// A second statement hidden behind the first call's `)` leaves an argument that is not a
/// JSON object (`{...}); other({...}`), which the JSON parser then refuses.
pub fn set_client_argument(body: &str) -> Result<&str, Error> {
    let refuse = |why: &str| {
        Error::InvalidConfiguration(cat(&[
            "the client configuration script is not `Auth0.setClient({...});`: ",
            why,
        ]))
    };
    let text = body.trim();
    let Some(call) = text.strip_prefix(SET_CLIENT) else {
        return Err(refuse(match text.starts_with('{') {
            true => "it is JSON (set configurationFormat: 'json' for a broker that serves JSON)",
            false => "it does not start with that call",
        }));
    };
    let call = call.strip_suffix(';').unwrap_or(call).trim_end();
    let Some(argument) = call.strip_suffix(')') else {
        return Err(refuse("the call is not closed at the end"));
    };
    let argument = argument.trim();
    if !(argument.starts_with('{') && argument.ends_with('}')) {
        return Err(refuse("its argument is not one object"));
    }
    Ok(argument)
}

#[derive(Debug, Deserialize)]
pub struct ClientConfiguration {
    pub id: String,
    pub tenant: Option<String>,
    pub authorize: Option<String>,
    pub strategies: Vec<StrategyEntry>,
}

#[derive(Debug, Deserialize)]
pub struct StrategyEntry {
    pub name: String,
    #[serde(default)]
    pub connections: Option<Vec<ConnectionEntry>>,
}

#[derive(Debug, Deserialize)]
pub struct ConnectionEntry {
    pub name: String,
    pub display_name: Option<String>,
    pub domain: Option<String>,
    pub domain_aliases: Option<Vec<String>>,
    /// The lowest latch-login version that may serve it (latch-login's addition to Lock's
    /// shape).
    pub min_widget_version: Option<String>,
    /// Capabilities it needs (see [`super::version::CAPABILITIES`]).
    pub requires: Option<Vec<String>>,
    /// Auth0's: whether a database connection takes sign-ups.
    #[serde(rename = "showSignup")]
    pub show_signup: Option<bool>,
}

impl ClientConfiguration {
    /// The connections it lists, checked against the client id the page asked for.
    pub fn connections(&self, client_id: &str) -> Result<Vec<Connection>, Error> {
        if self.id != client_id {
            return Err(Error::InvalidConfiguration(cat(&[
                "it describes client `",
                &self.id,
                "`, not `",
                client_id,
                "`",
            ])));
        }
        let mut all = Vec::new();
        for s in &self.strategies {
            if s.name.trim().is_empty() {
                return Err(Error::InvalidConfiguration("a strategy has no name".into()));
            }
            for c in s.connections.iter().flatten() {
                if c.name.trim().is_empty() {
                    return Err(Error::InvalidConfiguration(cat(&[
                        "a connection of strategy `",
                        &s.name,
                        "` has no name",
                    ])));
                }
                // As Lock names a social strategy it knows (`google-oauth2` is "Google"),
                // unless the configuration names the connection.
                let display_name = match c.display_name.as_deref().map(str::trim) {
                    Some(d) if !d.is_empty() => d.to_owned(),
                    _ => strategy::social_look(&s.name)
                        .map_or_else(|| c.name.clone(), |look| look.name.to_owned()),
                };
                let domains = c
                    .domain
                    .iter()
                    .chain(c.domain_aliases.iter().flatten())
                    .map(|d| d.to_ascii_lowercase())
                    .collect();
                all.push(Connection {
                    name: ConnectionName::new(c.name.clone()),
                    display_name,
                    strategy: s.name.clone(),
                    kind: strategy::kind(&s.name),
                    domains,
                    requirement: requirement(
                        &s.name,
                        &Route::Broker,
                        c.min_widget_version.clone(),
                        c.requires.clone().unwrap_or_default(),
                    ),
                    route: Route::Broker,
                    sign_up: c.show_signup != Some(false),
                });
            }
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::connection::offered;
    use crate::core::document::from_json;
    use crate::core::strategy::ConnectionKind;

    const LOCK_SHAPE: &str = r#"{
      "id": "app1", "tenant": "acme", "authorize": "https://acme.example.com/authorize",
      "strategies": [
        {"name": "oidc", "connections": [
          {"name": "corp", "display_name": "Acme Corp", "domain": "acme.com", "domain_aliases": ["Acme.org"]}]},
        {"name": "auth0-oidc", "connections": [{"name": "tenant2"}]},
        {"name": "google-oauth2", "connections": [{"name": "google-oauth2", "display_name": " "}]}
      ]}"#;

    fn parse(json: &str) -> ClientConfiguration {
        from_json(json).expect("config")
    }

    #[test]
    fn reads_lock_shape_with_strategy_and_kind() {
        let c = parse(LOCK_SHAPE).connections("app1").expect("connections");
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].name.as_str(), "corp");
        assert_eq!(c[0].display_name, "Acme Corp");
        assert_eq!(c[0].strategy, "oidc");
        assert_eq!(c[0].kind, ConnectionKind::Enterprise);
        assert_eq!(c[0].domains, vec!["acme.com", "acme.org"]);
        assert_eq!(c[0].route, Route::Broker);
        assert_eq!(c[1].display_name, "tenant2", "falls back to the name");
        assert_eq!(c[1].kind, ConnectionKind::Social);
        assert_eq!(
            c[2].display_name, "Google",
            "blank display name falls back to Lock's name of the strategy"
        );
    }

    #[test]
    fn each_connection_carries_what_it_needs_and_gets_a_verdict() {
        let c = parse(
            r#"{"id": "app1", "strategies": [{"name": "oidc", "connections": [
              {"name": "today"},
              {"name": "future", "min_widget_version": "99.0"},
              {"name": "mtls", "requires": ["mtls", "form_post"]},
              {"name": "garbled", "min_widget_version": "soon"}]}]}"#,
        )
        .connections("app1")
        .expect("connections");
        assert_eq!(
            c[0].verdict(),
            Ok(()),
            "oidc's built-in rule holds in this build"
        );
        assert!(c[0].requirement.requires.contains(&"pkce_s256".to_owned()));
        let future = c[1].verdict().expect_err("99.0 is newer");
        assert_eq!(future.required.as_deref(), Some("99.0.0"));
        assert_eq!(future.actual, crate::core::VERSION);
        let mtls = c[2].verdict().expect_err("no mtls here");
        assert_eq!(mtls.missing, vec!["mtls".to_owned()]);
        assert!(c[3].verdict().expect_err("unreadable").unreadable.is_some());
        let bad = from_json::<ClientConfiguration>(
            r#"{"id": "app1", "strategies": [{"name": "oidc", "connections": [{"name": "x", "requires": "mtls"}]}]}"#,
        );
        assert!(bad.is_err(), "requires must be a list: {bad:?}");
    }

    #[test]
    fn allowed_connections_filter_and_order() {
        let allowed = vec!["tenant2".to_owned(), "nope".to_owned(), "corp".to_owned()];
        let all = parse(LOCK_SHAPE).connections("app1").expect("connections");
        let c = offered(all, Some(&allowed)).expect("connections");
        let names: Vec<&str> = c.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["tenant2", "corp"]);
        let none = vec!["nope".to_owned()];
        let all = parse(LOCK_SHAPE).connections("app1").expect("connections");
        assert_eq!(offered(all, Some(&none)), Err(Error::NoConnections));
    }

    #[test]
    fn rejects_configuration_of_another_client_and_nameless_connections() {
        assert!(matches!(
            parse(LOCK_SHAPE).connections("other"),
            Err(Error::InvalidConfiguration(_))
        ));
        let nameless = r#"{"id":"a","strategies":[{"name":"oidc","connections":[{"name":""}]}]}"#;
        assert!(matches!(
            parse(nameless).connections("a"),
            Err(Error::InvalidConfiguration(_))
        ));
    }

    #[test]
    fn reads_the_argument_of_auth0_set_client_as_data() {
        fn script(body: &str) -> Result<&str, Error> {
            ConfigurationFormat::Script.document(body)
        }
        let doc = r#"{"id":"app1","strategies":[{"name":"oidc","connections":[{"name":"a)b;"}]}]}"#;
        // As Auth0 serves it, and with the white space a CDN may add.
        for body in [
            ["Auth0.setClient(", doc, ");"].concat(),
            ["\n  Auth0.setClient( ", doc, " ) ;\n"].concat(),
            ["Auth0.setClient(", doc, ")"].concat(),
        ] {
            assert_eq!(script(&body), Ok(doc), "{body}");
            let c: ClientConfiguration = from_json(script(&body).unwrap()).expect("config");
            assert_eq!(c.connections("app1").expect("ok")[0].name.as_str(), "a)b;");
        }
        assert_eq!(ConfigurationFormat::Json.document(doc), Ok(doc));
        assert_eq!(ConfigurationFormat::Script.suffix(), ".js");
        assert_eq!(ConfigurationFormat::Json.suffix(), ".json");
    }

    #[test]
    fn anything_but_the_one_call_is_refused() {
        let doc = r#"{"id":"app1","strategies":[]}"#;
        let refused = |body: &str| match ConfigurationFormat::Script.document(body) {
            // Refused here, or left with an argument no JSON parser takes.
            Err(Error::InvalidConfiguration(why)) => why,
            Ok(argument) => {
                assert!(
                    from_json::<ClientConfiguration>(argument).is_err(),
                    "{body}"
                );
                String::new()
            }
            Err(other) => panic!("{other:?}"),
        };
        for body in [
            "",
            doc,
            "Auth0.setClient",
            "Auth0.setClient()",
            "Auth0.setClient([]);",
            "Auth0.setClient('{}');",
            "Other.setClient({});",
            "window.Auth0.setClient({});",
            "// comment\nAuth0.setClient({});",
            "/* c */ Auth0.setClient({});",
            "Auth0.setClient({}); /* trailing */",
            "Auth0.setClient({}); alert(1);",
            "Auth0.setClient({}); alert({});",
            "alert(1); Auth0.setClient({});",
            "Auth0.setClient({} // x\n);",
            "Auth0.setClient({\"id\":\"app1\",\"strategies\":[]}); Auth0.setClient({\"id\":\"evil\",\"strategies\":[]});",
            "<html>not found</html>",
        ] {
            refused(body);
        }
        assert!(refused(doc).contains("configurationFormat"));
        assert!(refused("Other.setClient({});").contains("does not start"));
    }

    #[test]
    fn fields_a_real_tenant_sends_are_ignored() {
        let c = parse(
            r#"{"id":"app1","tenant":"acme","subscription":"free","hasAllowedOrigins":true,
                "callback":"https://app.example/","authorize":"https://acme.auth0.com/authorize",
                "strategies":[
                  {"name":"auth0","connections":[{"name":"Username-Password-Authentication",
                    "forgot_password_url":"https://x","passwordPolicy":"good","showSignup":true,
                    "showForgot":true,"requires_username":false,"validation":null}]},
                  {"name":"google-oauth2","connections":[{"name":"google-oauth2",
                    "scope":["email","profile"],"showAsButton":true}]},
                  {"name":"waad","connections":[{"name":"corp","domain":"corp.example",
                    "domain_aliases":["corp.example"],"scope":["openid"],"showAsButton":false}]},
                  {"name":"email","connections":[{"name":"email"}]}]}"#,
        )
        .connections("app1")
        .expect("connections");
        let kinds: Vec<ConnectionKind> = c.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ConnectionKind::Database,
                ConnectionKind::Social,
                ConnectionKind::Enterprise,
                ConnectionKind::Passwordless
            ]
        );
        // Database and passwordless connections are offered too: they log in on the
        // authorization server's own page.
        assert_eq!(c.len(), 4);
        assert!(
            c[0].sign_up,
            "sign-ups unless the configuration says otherwise"
        );
    }

    #[test]
    fn missing_strategies_is_a_deserialization_error() {
        let e = from_json::<ClientConfiguration>(r#"{"id":"a"}"#).unwrap_err();
        assert!(e.describe().contains("strategies"), "{e:?}");
        let e = from_json::<ClientConfiguration>(r#"{"id":"a","strategies":[{"name":1}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "strategies[0].name");
        assert!(from_json::<ClientConfiguration>("<html>").is_err());
    }
}
