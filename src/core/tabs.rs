//! Tabs in step: what one tab of the app tells the others of the same origin, on a
//! `BroadcastChannel` of the client's. A tab that hears of a login gets its own tokens by
//! `checkSession`, and one that hears of a logout forgets its own. The one token that crosses
//! is a renewed access token, which tabs signed in as the same user with the same connection
//! take instead of renewing their own (renewals are serialized by a Web Lock, so two tabs
//! asking at once make one request). ID and refresh tokens never cross: each tab's refresh
//! token is its own and is spent by that tab alone.

use serde::{Deserialize, Serialize};

use super::encoding::cat;
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
    pub access_token: String,
    pub token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Milliseconds since the epoch.
    pub expires_at: f64,
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
    /// good until `held_until`, should take this one instead: same user and connection, and
    /// a token that lasts longer.
    pub fn replaces(&self, connection: &str, user_id: &str, held_until: f64) -> bool {
        self.connection == connection && self.user_id == user_id && self.expires_at > held_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renewal() -> Renewal {
        Renewal {
            connection: "acme".into(),
            user_id: "oidc|acme|alice".into(),
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
            r#"{"type":"renewed","renewal":{"connection":"acme","userId":"oidc|acme|alice","accessToken":"at","tokenType":"Bearer","expiresAt":2000.0}}"#
        );
        assert_eq!(
            serde_json::from_str::<TabMessage>(&text).ok(),
            Some(message)
        );
        for other in [
            r#"{"type":"renewed"}"#,
            r#"{"type":"renewed","renewal":{"connection":"acme"}}"#,
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
        assert!(r.replaces("acme", "oidc|acme|alice", 1_000.0));
        assert!(!r.replaces("acme", "oidc|acme|alice", 2_000.0), "not older");
        assert!(
            !r.replaces("acme", "oidc|acme|bob", 1_000.0),
            "another user"
        );
        assert!(
            !r.replaces("other", "oidc|acme|alice", 1_000.0),
            "another connection"
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
