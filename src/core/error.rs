//! One error type for the core. Each variant is named after what went wrong, in the words of
//! the spec that makes it an error, and carries a stable string [`Error::code`] that the JS
//! `authorization_error` / `unrecoverable_error` events expose as `error`.

use core::fmt;

use crate::prelude::*;
use serde::Serialize;

/// The `error` a provider answered with (RFC 6749 §4.1.2.1 and §5.2, OpenID Connect Core
/// §3.1.2.6): the codes the widget acts on by name, and any other kept as it was sent (the
/// app hears it as the event's `error`, as Lock reports it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderCode {
    /// RFC 6749 §5.2: the grant (a refresh token, a code) is invalid, expired or revoked.
    InvalidGrant,
    /// OpenID Connect Core §3.1.2.6: `prompt=none`, and the user is not signed in there.
    LoginRequired,
    Other(String),
}

impl ProviderCode {
    pub fn as_str(&self) -> &str {
        match self {
            ProviderCode::InvalidGrant => "invalid_grant",
            ProviderCode::LoginRequired => "login_required",
            ProviderCode::Other(code) => code,
        }
    }
}

impl From<String> for ProviderCode {
    fn from(code: String) -> Self {
        match code.as_str() {
            "invalid_grant" => ProviderCode::InvalidGrant,
            "login_required" => ProviderCode::LoginRequired,
            _ => ProviderCode::Other(code),
        }
    }
}

impl From<&str> for ProviderCode {
    fn from(code: &str) -> Self {
        ProviderCode::from(code.to_owned())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    // --- options given to `new Latch(...)`
    /// An option has the wrong type or value; names the option.
    InvalidOption {
        option: String,
        reason: String,
    },
    /// `domain` is not a host name or an https origin (http only for loopback).
    InvalidDomain(String),
    /// `auth.params` tried to set a parameter the widget owns (state, nonce, PKCE, ...).
    ReservedParameter(String),
    /// A connection in the page's options carries a `client_secret`: anything shipped to a
    /// browser is public (RFC 6749 §2.1, §10.1).
    ClientSecretInBrowser(String),
    /// Neither a broker (`domain`) nor `options.connections`: nothing to log in with.
    NoProvider,

    // --- client configuration (`{configurationBaseUrl}/client/{clientId}.json`)
    ConfigurationUnavailable {
        url: String,
        detail: String,
    },
    InvalidConfiguration(String),
    NoConnections,
    UnknownConnection(String),

    // --- discovery (OpenID Connect Discovery 1.0 §4)
    DiscoveryUnavailable {
        url: String,
        detail: String,
    },
    DiscoveryMissingField(&'static str),
    /// An endpoint the flow needs is not https (plain http only on a loopback host), or
    /// carries credentials: the login would cross the network readable and changeable.
    DiscoveryInsecureEndpoint {
        field: &'static str,
        reason: &'static str,
    },
    DiscoveryIssuerMismatch {
        expected: String,
        found: String,
    },

    // --- the authorization response (RFC 6749 §4.1.2)
    MalformedResponse(String),
    DuplicateParameter(String),
    /// No stored, unused transaction has this `state` (RFC 6749 §10.12: CSRF).
    StateMismatch,
    TransactionExpired,
    /// The provider answered with `error` (RFC 6749 §4.1.2.1) or the token endpoint did (§5.2).
    Provider {
        error: ProviderCode,
        description: String,
    },
    /// RFC 9207 §2.4: the `iss` response parameter does not name the expected issuer.
    IssParameterMismatch,
    /// RFC 9207 §2.4: the provider advertises `iss` in responses but this one lacks it.
    IssParameterMissing,

    // --- token endpoint (RFC 6749 §5.1)
    InvalidTokenResponse(String),
    Network {
        url: String,
        detail: String,
    },

    // --- DPoP (RFC 9449)
    /// A proof could not be made: the key, the request's method or URL, or the signature
    /// was not what RFC 9449 §4.2 needs; names which.
    #[cfg(any(feature = "dpop", test))]
    InvalidDpop(&'static str),

    // --- ID token (OpenID Connect Core §3.1.3.7)
    MalformedIdToken(String),
    UnsupportedAlgorithm(String),
    KeyNotFound,
    InvalidSignature,
    IssuerMismatch,
    AudienceMismatch,
    AzpMismatch,
    TokenExpired,
    IssuedInFuture,
    NonceMismatch,
    MissingSubject,
    AuthTimeMissing,
    AuthTimeTooOld,

    /// Neither an end_session_endpoint nor a broker to log out at.
    LogoutUnsupported,
    /// `checkSession`: the connection's provider lists no `web_message` response mode (or the
    /// connection is a front-channel one).
    SilentAuthUnsupported(String),
    /// `checkSession` or a popup login: no answer from the provider within the time allowed.
    Timeout(u32),
    /// A request of the widget's got no answer by its deadline (`auth.requestTimeout`, see
    /// [`super::request::Kind`]) and was aborted; `what` names its kind and URL.
    RequestTimeout {
        what: String,
        ms: u32,
    },
    /// `checkSession` or a popup login: the page has no window or body to load the request
    /// in (a page that is going away, or not a page).
    NoPage,
    /// A renewal ended before it had an answer: the page was leaving, or the lock it waited
    /// for was taken from it.
    RenewalInterrupted,
    /// A popup login: the browser did not open the window (a popup blocker).
    PopupBlocked,
    /// A popup login: the user closed the window before the login ended.
    PopupClosed,
    /// `getUserInfo`: the provider's discovery names no (secure) userinfo_endpoint.
    UserInfoUnsupported,
    /// `getUserInfo`: the userinfo endpoint gave no profile (an expired or foreign access
    /// token is a 401 here).
    UserInfoUnavailable {
        url: String,
        detail: String,
    },
    /// The userinfo response names another subject than the ID token (OpenID Connect Core
    /// §5.3.2): its claims are not used, and the login fails.
    UserInfoSubjectMismatch,
    /// This widget cannot serve the connection (too old, or lacking a capability it needs):
    /// refused before the user is sent anywhere, never a login that half works.
    UnsupportedConnection {
        connection: String,
        reason: String,
    },

    // --- the page
    /// The form_post service worker cannot run here (no secure context, no service
    /// workers, or it failed to start): a front-channel login would be lost on return.
    FormPostUnavailable(String),
    StorageUnavailable(String),
    CryptoUnavailable(String),
}

impl Error {
    /// The stable, machine-readable code. For provider errors this is the provider's own
    /// `error` value (`access_denied`, `invalid_grant`, ...), as Auth0 Lock reports it.
    pub fn code(&self) -> &str {
        match self {
            Error::InvalidOption { .. } => "invalid_option",
            Error::InvalidDomain(_) => "invalid_domain",
            Error::ReservedParameter(_) => "reserved_parameter",
            Error::ClientSecretInBrowser(_) => "client_secret_in_browser",
            Error::NoProvider => "no_provider",
            Error::ConfigurationUnavailable { .. } => "configuration_unavailable",
            Error::InvalidConfiguration(_) => "invalid_configuration",
            Error::NoConnections => "no_connections",
            Error::UnknownConnection(_) => "unknown_connection",
            Error::DiscoveryUnavailable { .. } => "discovery_unavailable",
            Error::DiscoveryMissingField(_) => "discovery_missing_field",
            Error::DiscoveryInsecureEndpoint { .. } => "discovery_insecure_endpoint",
            Error::DiscoveryIssuerMismatch { .. } => "discovery_issuer_mismatch",
            Error::MalformedResponse(_) => "malformed_response",
            Error::DuplicateParameter(_) => "duplicate_parameter",
            Error::StateMismatch => "state_mismatch",
            Error::TransactionExpired => "transaction_expired",
            Error::Provider { error, .. } => error.as_str(),
            Error::IssParameterMismatch => "iss_mismatch",
            Error::IssParameterMissing => "iss_missing",
            Error::InvalidTokenResponse(_) => "invalid_token_response",
            Error::Network { .. } => "network_error",
            #[cfg(any(feature = "dpop", test))]
            Error::InvalidDpop(_) => "invalid_dpop",
            Error::MalformedIdToken(_) => "malformed_id_token",
            Error::UnsupportedAlgorithm(_) => "unsupported_algorithm",
            Error::KeyNotFound => "key_not_found",
            Error::InvalidSignature => "invalid_signature",
            Error::IssuerMismatch => "issuer_mismatch",
            Error::AudienceMismatch => "audience_mismatch",
            Error::AzpMismatch => "azp_mismatch",
            Error::TokenExpired => "token_expired",
            Error::IssuedInFuture => "iat_in_future",
            Error::NonceMismatch => "nonce_mismatch",
            Error::MissingSubject => "missing_sub",
            Error::AuthTimeMissing => "auth_time_missing",
            Error::AuthTimeTooOld => "auth_time_too_old",
            Error::LogoutUnsupported => "logout_unsupported",
            Error::UserInfoUnsupported => "userinfo_unsupported",
            Error::SilentAuthUnsupported(_) => "silent_auth_unsupported",
            Error::Timeout(_) | Error::RequestTimeout { .. } => "timeout",
            Error::RenewalInterrupted => "renewal_interrupted",
            Error::NoPage => "no_page",
            Error::PopupBlocked => "popup_blocked",
            Error::PopupClosed => "popup_closed",
            Error::UserInfoUnavailable { .. } => "userinfo_unavailable",
            Error::UserInfoSubjectMismatch => "userinfo_subject_mismatch",
            Error::UnsupportedConnection { .. } => "unsupported_connection",
            Error::FormPostUnavailable(_) => "form_post_unavailable",
            Error::StorageUnavailable(_) => "storage_unavailable",
            Error::CryptoUnavailable(_) => "crypto_unavailable",
        }
    }
}

impl Error {
    /// The human-readable description, `errorDescription` in the events. Built by
    /// concatenation rather than `write!`: formatting machinery per message costs wasm.
    pub fn message(&self) -> String {
        let text = |parts: &[&str]| super::encoding::join(parts, "");
        match self {
            Error::InvalidOption { option, reason } => text(&["option `", option, "`: ", reason]),
            Error::InvalidDomain(d) => text(&[
                "domain `",
                d,
                "` must be a host name (like tenant.example.com) or an https origin; \
                 http is allowed only for localhost",
            ]),
            Error::ReservedParameter(p) => text(&[
                "auth.params cannot set `",
                p,
                "`: the widget sets it itself to keep the login safe",
            ]),
            Error::ClientSecretInBrowser(c) => text(&[
                "connection `",
                c,
                "` has a client_secret: a secret in a web page is public. \
                 Use a public client with PKCE, or put the connection behind a broker",
            ]),
            Error::NoProvider => {
                "give a domain (the authorization server) or options.connections (direct providers)"
                    .into()
            }
            Error::ConfigurationUnavailable { url, detail } => text(&[
                "could not load the client configuration from ",
                url,
                ": ",
                detail,
            ]),
            Error::InvalidConfiguration(why) => {
                text(&["the client configuration is invalid: ", why])
            }
            Error::NoConnections => "no connection is enabled for this application".into(),
            Error::UnknownConnection(c) => text(&["unknown connection `", c, "`"]),
            Error::DiscoveryUnavailable { url, detail } => {
                text(&["no OpenID provider configuration at ", url, ": ", detail])
            }
            Error::DiscoveryMissingField(field) => {
                text(&["the OpenID provider configuration lacks `", field, "`"])
            }
            Error::DiscoveryInsecureEndpoint { field, reason } => {
                text(&["the OpenID provider configuration's `", field, "` ", reason])
            }
            Error::DiscoveryIssuerMismatch { expected, found } => text(&[
                "the OpenID provider configuration names issuer `",
                found,
                "`, expected `",
                expected,
                "`",
            ]),
            Error::MalformedResponse(why) => text(&["malformed authorization response: ", why]),
            Error::DuplicateParameter(p) => {
                text(&["the authorization response repeats the parameter `", p, "`"])
            }
            Error::StateMismatch => {
                "the response's state matches no login started from this browser tab \
                 (already used, or forged)"
                    .into()
            }
            Error::TransactionExpired => {
                "the login took too long and expired; please try again".into()
            }
            Error::Provider { error, description } if description.is_empty() => {
                error.as_str().to_owned()
            }
            Error::Provider { description, .. } => description.clone(),
            Error::IssParameterMismatch => {
                "the response comes from a different issuer than the login went to".into()
            }
            Error::IssParameterMissing => {
                "the response lacks the `iss` parameter its issuer promises".into()
            }
            Error::InvalidTokenResponse(why) => text(&["invalid token response: ", why]),
            Error::Network { url, detail } => text(&["request to ", url, " failed: ", detail]),
            Error::MalformedIdToken(why) => text(&["malformed ID token: ", why]),
            Error::UnsupportedAlgorithm(alg) => text(&[
                "ID token algorithm `",
                alg,
                "` is not accepted (RS256, PS256, ES256 are)",
            ]),
            #[cfg(any(feature = "dpop", test))]
            Error::InvalidDpop(why) => (*why).into(),
            Error::KeyNotFound => "no key in the issuer's JWKS matches the ID token".into(),
            Error::InvalidSignature => "the ID token signature is invalid".into(),
            Error::IssuerMismatch => "the ID token was issued by another issuer".into(),
            Error::AudienceMismatch => "the ID token is meant for another application".into(),
            Error::AzpMismatch => {
                "the ID token's authorized party (azp) is another application".into()
            }
            Error::TokenExpired => "the ID token has expired".into(),
            Error::IssuedInFuture => "the ID token is issued in the future".into(),
            Error::NonceMismatch => "the ID token's nonce does not match this login".into(),
            Error::MissingSubject => "the ID token has no subject (sub)".into(),
            Error::AuthTimeMissing => "the ID token lacks auth_time though max_age was sent".into(),
            Error::AuthTimeTooOld => "the authentication is older than max_age allows".into(),
            Error::LogoutUnsupported => {
                "the provider offers no way to log out (no end_session_endpoint)".into()
            }
            Error::SilentAuthUnsupported(connection) => text(&[
                "the connection `",
                connection,
                "` cannot be checked silently: its provider does not list the web_message response mode",
            ]),
            Error::NoPage => "there is no page to load the provider's answer in".into(),
            Error::RenewalInterrupted => {
                "the renewal ended before it had an answer (the page was leaving)".into()
            }
            Error::PopupBlocked => "the browser blocked the login window (allow popups for this site, or log in without one)".into(),
            Error::PopupClosed => "the login window was closed before the login ended".into(),
            Error::Timeout(ms) => text(&[
                "the provider did not answer within ",
                &super::encoding::decimal(u64::from(*ms)),
                " ms",
            ]),
            Error::RequestTimeout { what, ms } => text(&[
                what,
                " did not answer within ",
                &super::encoding::decimal(u64::from(*ms)),
                " ms",
            ]),
            Error::UserInfoUnsupported => {
                "the provider has no userinfo endpoint (no secure userinfo_endpoint in its discovery document)".into()
            }
            Error::UserInfoUnavailable { url, detail } => {
                text(&["the userinfo endpoint ", url, " gave no profile: ", detail])
            }
            Error::UserInfoSubjectMismatch => {
                "the userinfo endpoint answered for another user than the ID token's (sub)".into()
            }
            Error::UnsupportedConnection { connection, reason } => {
                text(&["the connection `", connection, "` ", reason])
            }
            Error::FormPostUnavailable(why) => why.clone(),
            Error::StorageUnavailable(why) => text(&[
                "sessionStorage is unavailable (",
                why,
                "); the login cannot be started safely",
            ]),
            Error::CryptoUnavailable(why) => text(&["WebCrypto is unavailable: ", why]),
        }
    }
}

/// The payload of `authorization_error` and `unrecoverable_error`, with Lock's field names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorPayload {
    pub error: String,
    pub error_description: String,
}

impl From<&Error> for ErrorPayload {
    fn from(e: &Error) -> Self {
        Self {
            error: e.code().to_owned(),
            error_description: e.message(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_codes_the_widget_acts_on_are_named_and_any_other_kept_as_sent() {
        for (text, code) in [
            ("invalid_grant", ProviderCode::InvalidGrant),
            ("login_required", ProviderCode::LoginRequired),
            (
                "consent_required",
                ProviderCode::Other("consent_required".into()),
            ),
            ("Invalid_Grant", ProviderCode::Other("Invalid_Grant".into())),
        ] {
            assert_eq!(ProviderCode::from(text), code);
            assert_eq!(code.as_str(), text);
        }
    }

    #[test]
    fn provider_errors_keep_the_providers_code_and_description() {
        let e = Error::Provider {
            error: "access_denied".into(),
            description: "User cancelled".into(),
        };
        assert_eq!(e.code(), "access_denied");
        assert_eq!(e.to_string(), "User cancelled");
        let bare = Error::Provider {
            error: "server_error".into(),
            description: String::new(),
        };
        assert_eq!(bare.to_string(), "server_error");
    }

    #[test]
    fn codes_are_snake_case_and_distinct_for_id_token_checks() {
        let all = [
            Error::IssuerMismatch,
            Error::AudienceMismatch,
            Error::AzpMismatch,
            Error::TokenExpired,
            Error::IssuedInFuture,
            Error::NonceMismatch,
            Error::MissingSubject,
            Error::InvalidSignature,
            Error::KeyNotFound,
            Error::StateMismatch,
            Error::TransactionExpired,
        ];
        let mut codes: Vec<&str> = all.iter().map(Error::code).collect();
        assert!(codes
            .iter()
            .all(|c| c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }
}
