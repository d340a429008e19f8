//! One login in flight: everything the callback needs to check the response, stored per
//! `state` so that tabs and retries never overwrite each other
//! ([RFC 9700 §4.7](https://www.rfc-editor.org/rfc/rfc9700#section-4.7): state binds the
//! response to this browser).

use super::connection::Channel;
use super::types::{
    ClientId, ConnectionName, IssuerUrl, Nonce, PkceCodeVerifier, RedirectUrl, State,
};
use super::Error;

use super::encoding::cat;
use crate::prelude::*;
use serde::{Deserialize, Serialize};

/// How long a login may take, from click to callback.
pub const DEFAULT_TTL_SECS: u64 = 600;

/// Prefix of the sessionStorage keys; the rest is the state.
pub const STORAGE_PREFIX: &str = "latch.tx.";

#[derive(Debug, Serialize, Deserialize)]
pub struct Transaction {
    pub state: State,
    pub nonce: Nonce,
    /// What the answer brings, and what is needed to take it.
    pub flow: Flow,
    /// The client id the provider knows: the app's for the broker, the connection's own for
    /// a direct connection.
    pub client_id: ClientId,
    pub connection: ConnectionName,
    pub strategy: String,
    pub redirect_uri: RedirectUrl,
    pub issuer: IssuerUrl,
    pub jwks_uri: String,
    pub iss_parameter_supported: bool,
    pub max_age: Option<u64>,
    /// The scope asked for: the granted one when the token response leaves `scope` out
    /// (RFC 6749 §5.1), and what the profile must hold.
    #[serde(default)]
    pub scope: Option<String>,
    /// The userinfo endpoint to complete the profile from, for a direct connection that
    /// takes it from there ([`super::profile::wants_userinfo`]); none otherwise.
    #[serde(default)]
    pub userinfo: Option<String>,
    /// The app's own value, JSON-encoded, handed back in `authenticated`.
    pub app_state: Option<String>,
    /// Lock's `auth.params.state`, handed back as `authResult.state`.
    #[serde(default)]
    pub given_state: Option<String>,
    /// Seconds since the Unix epoch.
    pub created_at: u64,
    /// Who reads the response where it lands: this page, or the window that opened or
    /// embeds the one it lands in (the silent-callback page of a provider without
    /// `web_message`). A widget loaded in that window leaves such a response alone.
    #[serde(default)]
    pub delivery: Delivery,
    /// The code is bound to the widget's DPoP key (`dpop_jkt`): its exchange, and the
    /// refreshes after it, carry proofs, and the tokens must come back as DPoP tokens. In
    /// the DPoP build only.
    #[cfg(feature = "dpop")]
    #[serde(default)]
    pub dpop: bool,
}

/// The two flows of a login, each with what only it needs.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Flow {
    /// `response_type=code`: the code is exchanged at the token endpoint with the PKCE
    /// verifier (RFC 7636 §4.5).
    #[serde(rename = "back_channel")]
    Back(CodeExchange),
    /// `response_type=id_token` by form_post: the ID token comes through the page, and there
    /// is no code to protect.
    #[serde(rename = "front_channel")]
    Front,
}

/// What the code's exchange needs, kept from the start of the login.
#[derive(Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodeExchange {
    pub code_verifier: PkceCodeVerifier,
    pub token_endpoint: String,
}

impl Flow {
    pub fn channel(&self) -> Channel {
        match self {
            Flow::Back(_) => Channel::Back,
            Flow::Front => Channel::Front,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// The page the response lands on handles it (a redirect login).
    #[default]
    Page,
    /// The opener or parent reads it from the window's address (checkSession or a popup
    /// login through the silent-callback page).
    Opener,
}

impl Transaction {
    /// Whether the login is bound to the widget's DPoP key (never, in the default build).
    pub fn dpop(&self) -> bool {
        #[cfg(feature = "dpop")]
        return self.dpop;
        #[cfg(not(feature = "dpop"))]
        false
    }

    pub fn storage_key(state: &str) -> String {
        cat(&[STORAGE_PREFIX, state])
    }

    /// Expired after the time to live, and also when created in the future (a clock that
    /// jumped back, or a forged entry).
    pub fn is_expired(&self, now: u64, ttl: u64) -> bool {
        now > self.created_at.saturating_add(ttl) || self.created_at > now.saturating_add(60)
    }

    /// The stored entry must be the one for this state: a key renamed by hand is not a login.
    pub fn check_fresh(&self, state: &State, now: u64) -> Result<(), Error> {
        if &self.state != state {
            return Err(Error::StateMismatch);
        }
        if self.is_expired(now, DEFAULT_TTL_SECS) {
            return Err(Error::TransactionExpired);
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample(created_at: u64) -> Transaction {
        Transaction {
            state: State::new("s1"),
            nonce: Nonce::new("n1"),
            flow: Flow::Back(CodeExchange {
                code_verifier: PkceCodeVerifier::new("v".repeat(43)),
                token_endpoint: "https://op.example.com/oauth/token".into(),
            }),
            client_id: ClientId::new("app"),
            connection: ConnectionName::new("corp"),
            strategy: "oidc".into(),
            redirect_uri: RedirectUrl::new("https://app.example.com/"),
            issuer: IssuerUrl::new("https://op.example.com/"),
            jwks_uri: "https://op.example.com/.well-known/jwks.json".into(),
            iss_parameter_supported: false,
            max_age: None,
            scope: None,
            userinfo: None,
            app_state: None,
            given_state: None,
            created_at,
            delivery: Delivery::Page,
            #[cfg(feature = "dpop")]
            dpop: false,
        }
    }

    #[test]
    fn a_transaction_stored_without_delivery_is_the_pages() {
        let mut text = serde_json::to_string(&sample(1)).expect("json");
        assert!(text.contains(r#""delivery":"page""#), "{text}");
        text = text.replace(r#","delivery":"page""#, "");
        let tx: Transaction = serde_json::from_str(&text).expect("read back");
        assert_eq!(tx.delivery, Delivery::Page);
        let opener = Transaction {
            delivery: Delivery::Opener,
            ..sample(1)
        };
        let text = serde_json::to_string(&opener).expect("json");
        assert!(text.contains(r#""delivery":"opener""#), "{text}");
    }

    #[test]
    fn expires_after_ten_minutes() {
        let tx = sample(1_000);
        assert!(!tx.is_expired(1_000 + 600, DEFAULT_TTL_SECS));
        assert!(tx.is_expired(1_000 + 601, DEFAULT_TTL_SECS));
        assert_eq!(
            tx.check_fresh(&State::new("s1"), 1_000 + 601),
            Err(Error::TransactionExpired)
        );
    }

    #[test]
    fn a_transaction_from_the_future_is_expired() {
        assert!(sample(10_000).is_expired(1_000, DEFAULT_TTL_SECS));
    }

    #[test]
    fn a_clock_up_to_a_minute_behind_the_one_that_stored_it_is_forgiven() {
        // Created "in the future" by up to 60 s: a clock skew, not a forged entry.
        for ahead in [0, 1, 30, 60] {
            assert!(
                !sample(1_000 + ahead).is_expired(1_000, DEFAULT_TTL_SECS),
                "{ahead} s ahead"
            );
        }
        assert!(sample(1_061).is_expired(1_000, DEFAULT_TTL_SECS));
        assert_eq!(
            sample(1_061).check_fresh(&State::new("s1"), 1_000),
            Err(Error::TransactionExpired)
        );
        assert_eq!(sample(1_060).check_fresh(&State::new("s1"), 1_000), Ok(()));
    }

    #[test]
    fn rejects_an_entry_stored_under_another_state() {
        assert_eq!(
            sample(1_000).check_fresh(&State::new("other"), 1_000),
            Err(Error::StateMismatch)
        );
    }

    #[test]
    fn storage_keys_are_per_state() {
        assert_eq!(Transaction::storage_key("abc"), "latch.tx.abc");
    }

    #[test]
    fn round_trips_through_json_with_the_verifier() {
        let json = serde_json::to_string(&sample(5)).expect("json");
        let back: Transaction = serde_json::from_str(&json).expect("deserialize");
        let Flow::Back(exchange) = &back.flow else {
            panic!("the back channel's flow")
        };
        assert_eq!(exchange.code_verifier.secret(), "v".repeat(43));
        assert_eq!(back.flow.channel(), Channel::Back);
        assert!(!format!("{back:?}").contains(&"v".repeat(43)));
        let mut full = sample(7);
        full.flow = Flow::Front;
        full.max_age = Some(300);
        full.app_state = Some(r#"{"returnTo":"/inbox"}"#.into());
        let json = serde_json::to_string(&full).expect("json");
        assert!(json.contains(r#""flow":"front_channel""#), "{json}");
        let back: Transaction = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back.flow, Flow::Front);
        assert_eq!(back.flow.channel(), Channel::Front);
        assert_eq!(back.max_age, Some(300));
        assert_eq!(back.app_state.as_deref(), Some(r#"{"returnTo":"/inbox"}"#));
        assert_eq!(back.created_at, 7);
    }

    #[test]
    fn unreadable_entries_are_errors() {
        let read = |text: &str| serde_json::from_str::<Transaction>(text);
        assert!(read("{not json").is_err());
        let json = serde_json::to_string(&sample(5)).expect("json");
        assert!(read(&json.replace("back_channel", "sideways")).is_err());
        assert!(read(r#"{"state":"s"}"#).is_err());
    }
}
