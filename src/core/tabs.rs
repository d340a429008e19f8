//! Tabs in step: what one tab of the app tells the others of the same origin, on a
//! `BroadcastChannel` of the client's. A tab that hears of a login gets its own tokens by
//! `checkSession`, and one that hears of a logout forgets its own. The one token that crosses
//! is a renewed access token, which tabs signed in as the same user with the same connection,
//! whose widgets ask for the same audience and scope, take instead of renewing their own
//! (renewals are serialized by a Web Lock, so two tabs asking at once make one request). ID
//! and refresh tokens never cross: each tab's refresh token is its own and is spent by that
//! tab alone.

use serde::{Deserialize, Serialize};

use super::connection::Route;
use super::encoding::cat;
use super::settings::Settings;
use crate::prelude::*;

/// As `{ type: "signed_in", connection }` or `{ type: "signed_out" }` on the channel. Read
/// through a plain struct: serde's internally tagged enums buffer the whole value first, which
/// measured 9.4 KB gzip more in the module.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "Wire", into = "Wire")]
pub enum TabMessage {
    /// A tab logged in with `connection`.
    SignedIn { connection: String },
    /// A tab logged out.
    SignedOut,
    /// A tab renewed the access token of `user_id`'s login with `connection`.
    Renewed(Renewal),
}

/// A renewed access token, as one tab tells the others.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Renewal {
    pub connection: String,
    pub user_id: String,
    /// What the token was asked for ([`Asked`]), flat on the wire (as a struct of its own it
    /// measured 0.7 KB gzip more in the module). `askedScope` is required: a renewal from an
    /// older widget, which does not say, is not read, so never taken.
    pub audience: Option<String>,
    pub asked_scope: String,
    pub access_token: String,
    pub token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Milliseconds since the epoch.
    pub expires_at: f64,
}

/// What an access token is for: the API (`audience`, the authorize parameter Auth0 reads)
/// and the scope the widget asked for. Two widgets of one app (one client id, so one channel)
/// may ask for different ones on one origin, and a token for one API is no token for the
/// other: auth0-spa-js keys its token cache by client id, audience and scope for this reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub audience: Option<String>,
    pub scope: String,
}

impl Asked {
    /// What a widget with `settings` asks for in a login with `connection`: the audience of
    /// `auth.params`, and the scope of `auth.params`, or a direct connection's own.
    pub fn by(settings: &Settings, connection: &str) -> Self {
        let direct = settings.direct.iter().find_map(|c| match &c.route {
            Route::Direct(d) if c.name.as_str() == connection => Some(d),
            _ => None,
        });
        let scope = match direct {
            Some(d) => &d.scope,
            None => &settings.params.scope,
        };
        Asked {
            audience: settings
                .params
                .extra
                .iter()
                .find(|(name, _)| name == "audience")
                .map(|(_, value)| value.clone()),
            scope: scope.as_str().to_owned(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    connection: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    renewal: Option<Renewal>,
}

impl TryFrom<Wire> for TabMessage {
    type Error = &'static str;

    fn try_from(wire: Wire) -> Result<Self, Self::Error> {
        match (wire.kind.as_str(), wire.connection, wire.renewal) {
            ("signed_in", Some(connection), _) => Ok(TabMessage::SignedIn { connection }),
            ("signed_out", _, _) => Ok(TabMessage::SignedOut),
            ("renewed", _, Some(renewal)) => Ok(TabMessage::Renewed(renewal)),
            _ => Err("not a message of latch-login's tabs"),
        }
    }
}

impl From<TabMessage> for Wire {
    fn from(message: TabMessage) -> Self {
        match message {
            TabMessage::SignedIn { connection } => Wire {
                kind: "signed_in".into(),
                connection: Some(connection),
                renewal: None,
            },
            TabMessage::SignedOut => Wire {
                kind: "signed_out".into(),
                connection: None,
                renewal: None,
            },
            TabMessage::Renewed(renewal) => Wire {
                kind: "renewed".into(),
                connection: None,
                renewal: Some(renewal),
            },
        }
    }
}

/// The channel's name: one per client id, so two widgets of different apps on one origin
/// keep apart.
pub fn channel_name(client_id: &str) -> String {
    cat(&["latch-login:", client_id])
}

/// The Web Lock a tab holds while it renews tokens: one renewal at a time across the app's
/// tabs, so a tab that waited can take the token the one before it got.
pub fn renewal_lock_name(client_id: &str) -> String {
    cat(&["latch-login:", client_id, ":renew"])
}

impl Renewal {
    /// Whether a tab whose login is `user_id`'s with `connection`, holding an access token
    /// for `asked` good until `held_until`, should take this one instead: same user and
    /// connection, a token for the same audience and scope, and one that lasts longer.
    pub fn replaces(
        &self,
        connection: &str,
        user_id: &str,
        asked: &Asked,
        held_until: f64,
    ) -> bool {
        self.connection == connection
            && self.user_id == user_id
            && self.audience == asked.audience
            && self.asked_scope == asked.scope
            && self.expires_at > held_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(audience: Option<&str>, scope: &str) -> Asked {
        Asked {
            audience: audience.map(str::to_owned),
            scope: scope.into(),
        }
    }

    fn renewal() -> Renewal {
        Renewal {
            connection: "acme".into(),
            user_id: "oidc|acme|alice".into(),
            audience: Some("https://api-a.example".into()),
            asked_scope: "openid profile".into(),
            access_token: "at".into(),
            token_type: "Bearer".into(),
            scope: None,
            expires_at: 2_000.0,
        }
    }

    #[test]
    fn a_renewal_carries_the_access_token_alone_and_reads_back() {
        let message = TabMessage::Renewed(renewal());
        let text = serde_json::to_string(&message).expect("json");
        assert_eq!(
            text,
            r#"{"type":"renewed","renewal":{"connection":"acme","userId":"oidc|acme|alice","audience":"https://api-a.example","askedScope":"openid profile","accessToken":"at","tokenType":"Bearer","expiresAt":2000.0}}"#
        );
        assert_eq!(
            serde_json::from_str::<TabMessage>(&text).ok(),
            Some(message)
        );
        for other in [
            r#"{"type":"renewed"}"#,
            r#"{"type":"renewed","renewal":{"connection":"acme"}}"#,
            // An older widget's renewal says nothing of what its token is for: not taken.
            r#"{"type":"renewed","renewal":{"connection":"acme","userId":"oidc|acme|alice","accessToken":"at","tokenType":"Bearer","expiresAt":2000.0}}"#,
        ] {
            assert!(
                serde_json::from_str::<TabMessage>(other).is_err(),
                "{other}"
            );
        }
        assert_eq!(renewal_lock_name("app"), "latch-login:app:renew");
    }

    #[test]
    fn a_renewal_replaces_only_an_older_token_of_the_same_login() {
        let r = renewal();
        let same = asked(Some("https://api-a.example"), "openid profile");
        assert!(r.replaces("acme", "oidc|acme|alice", &same, 1_000.0));
        assert!(
            !r.replaces("acme", "oidc|acme|alice", &same, 2_000.0),
            "not older"
        );
        assert!(
            !r.replaces("acme", "oidc|acme|bob", &same, 1_000.0),
            "another user"
        );
        assert!(
            !r.replaces("other", "oidc|acme|alice", &same, 1_000.0),
            "another connection"
        );
    }

    #[test]
    fn a_renewal_replaces_only_a_token_asked_for_the_same_audience_and_scope() {
        let r = renewal();
        for (other, why) in [
            (
                asked(Some("https://api-b.example"), "openid profile"),
                "another audience",
            ),
            (asked(None, "openid profile"), "no audience"),
            (
                asked(Some("https://api-a.example"), "openid profile write"),
                "another scope",
            ),
            (
                asked(Some("https://api-a.example"), "openid"),
                "a narrower scope",
            ),
        ] {
            assert!(
                !r.replaces("acme", "oidc|acme|alice", &other, 1_000.0),
                "{why}"
            );
        }
    }

    #[test]
    fn a_widget_asks_for_its_audience_and_the_scope_of_the_connection() {
        use crate::core::document::from_json;
        use crate::core::web_url::Whatwg;
        let settings = |options: &str| {
            Settings::new(
                "app",
                "tenant.example.com",
                from_json(options).expect("options"),
                "https://app.example/",
                &Whatwg,
            )
            .expect("settings")
        };
        let plain = settings("{}");
        assert_eq!(
            Asked::by(&plain, "acme"),
            asked(None, "openid profile email")
        );
        let api = settings(
            r#"{"auth":{"params":{"audience":"https://api-a.example","scope":"read"}},
                "connections":[{"name":"direct","issuer":"https://idp.example","client_id":"d","scopes":"openid orders"}]}"#,
        );
        assert_eq!(
            Asked::by(&api, "acme"),
            asked(Some("https://api-a.example"), "openid read")
        );
        assert_eq!(
            Asked::by(&api, "direct"),
            asked(Some("https://api-a.example"), "openid orders"),
            "a direct connection asks for its own scopes"
        );
    }

    #[test]
    fn messages_carry_no_token_and_read_back() {
        let signed_in = TabMessage::SignedIn {
            connection: "acme".into(),
        };
        let text = serde_json::to_string(&signed_in).expect("json");
        assert_eq!(text, r#"{"type":"signed_in","connection":"acme"}"#);
        assert_eq!(
            serde_json::from_str::<TabMessage>(&text).ok(),
            Some(signed_in)
        );
        assert_eq!(
            serde_json::from_str::<TabMessage>(r#"{"type":"signed_out"}"#).ok(),
            Some(TabMessage::SignedOut)
        );
        for other in [
            r#"{"type":"token","access_token":"x"}"#,
            r#"{"type":"signed_in"}"#,
            "1",
            "null",
        ] {
            assert!(
                serde_json::from_str::<TabMessage>(other).is_err(),
                "{other}"
            );
        }
        assert_eq!(channel_name("app"), "latch-login:app");
    }
}
