//! Tabs in step: what one tab of the app tells the others of the same origin, on a
//! `BroadcastChannel` of the client's. No token ever crosses it: a tab that hears of a login
//! gets its own tokens by `checkSession`, and one that hears of a logout forgets its own.

use serde::{Deserialize, Serialize};

use super::encoding::cat;
use crate::prelude::*;

/// As `{ type: "signed_in", connection }` or `{ type: "signed_out" }` on the channel. Read
/// through a plain struct: serde's internally tagged enums buffer the whole value first, which
/// measured 9.4 KB gzip more in the module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Wire", into = "Wire")]
pub enum TabMessage {
    /// A tab logged in with `connection`.
    SignedIn { connection: String },
    /// A tab logged out.
    SignedOut,
}

#[derive(Serialize, Deserialize)]
struct Wire {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    connection: Option<String>,
}

impl TryFrom<Wire> for TabMessage {
    type Error = &'static str;

    fn try_from(wire: Wire) -> Result<Self, Self::Error> {
        match (wire.kind.as_str(), wire.connection) {
            ("signed_in", Some(connection)) => Ok(TabMessage::SignedIn { connection }),
            ("signed_out", _) => Ok(TabMessage::SignedOut),
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
            },
            TabMessage::SignedOut => Wire {
                kind: "signed_out".into(),
                connection: None,
            },
        }
    }
}

/// The channel's name: one per client id, so two widgets of different apps on one origin
/// keep apart.
pub fn channel_name(client_id: &str) -> String {
    cat(&["latch-login:", client_id])
}

#[cfg(test)]
mod tests {
    use super::*;

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
