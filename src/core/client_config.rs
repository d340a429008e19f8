//! The client configuration, in the shape Auth0 Lock reads from
//! `{configurationBaseUrl}/client/{clientId}.json`:
//! `{id, tenant, authorize, strategies: [{name, connections: [{name, display_name, domain, ...}]}]}`.

use super::connection::{requirement, Connection, Route};
use super::strategy;
use super::types::ConnectionName;
use super::Error;

use super::encoding::cat;
use crate::prelude::*;
use serde::Deserialize;

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
                let display_name = match c.display_name.as_deref().map(str::trim) {
                    Some(d) if !d.is_empty() => d.to_owned(),
                    _ => c.name.clone(),
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
            c[2].display_name, "google-oauth2",
            "blank display name falls back"
        );
    }

    #[test]
    fn each_connection_carries_what_it_needs_and_gets_a_verdict() {
        let c = parse(
            r#"{"id": "app1", "strategies": [{"name": "oidc", "connections": [
              {"name": "today"},
              {"name": "future", "min_widget_version": "99.0"},
              {"name": "dpop", "requires": ["dpop", "form_post"]},
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
        let dpop = c[2].verdict().expect_err("no dpop here");
        assert_eq!(dpop.missing, vec!["dpop".to_owned()]);
        assert!(c[3].verdict().expect_err("unreadable").unreadable.is_some());
        let bad = from_json::<ClientConfiguration>(
            r#"{"id": "app1", "strategies": [{"name": "oidc", "connections": [{"name": "x", "requires": "dpop"}]}]}"#,
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
    fn missing_strategies_is_a_deserialization_error() {
        let e = from_json::<ClientConfiguration>(r#"{"id":"a"}"#).unwrap_err();
        assert!(e.describe().contains("strategies"), "{e:?}");
        let e = from_json::<ClientConfiguration>(r#"{"id":"a","strategies":[{"name":1}]}"#)
            .unwrap_err();
        assert_eq!(e.path, "strategies[0].name");
        assert!(from_json::<ClientConfiguration>("<html>").is_err());
    }
}
