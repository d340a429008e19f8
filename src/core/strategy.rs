//! What the widget knows about each strategy (the protocol behind a connection): whether Lock
//! lists it as social or enterprise, which decides the button group and `isSocial`.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionKind {
    Social,
    Enterprise,
    Database,
    Passwordless,
}

impl ConnectionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Social => "social",
            ConnectionKind::Enterprise => "enterprise",
            ConnectionKind::Database => "database",
            ConnectionKind::Passwordless => "passwordless",
        }
    }
}

const SOCIAL: &[&str] = &[
    "apple",
    "auth0-oidc", // the seed's resulting profile marks it `isSocial: true`
    "bitbucket",
    "facebook",
    "github",
    "google-oauth2",
    "linkedin",
    "microsoft-account",
    "twitter",
    "windowslive",
];

const ENTERPRISE: &[&str] = &[
    "ad",
    "adfs",
    "auth0-adldap",
    "google-apps",
    "ip",
    "office365",
    "oidc",
    "okta",
    "pingfederate",
    "samlp",
    "waad",
];

/// Unknown strategies are treated as enterprise: `isSocial: false` is the cautious default.
pub fn kind(strategy: &str) -> ConnectionKind {
    if SOCIAL.contains(&strategy) {
        ConnectionKind::Social
    } else if strategy == "auth0" {
        ConnectionKind::Database
    } else if strategy == "email" || strategy == "sms" {
        ConnectionKind::Passwordless
    } else {
        debug_assert!(ENTERPRISE.contains(&strategy) || !strategy.is_empty());
        ConnectionKind::Enterprise
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_strategies_have_the_seed_kinds() {
        assert_eq!(kind("auth0-oidc"), ConnectionKind::Social);
        assert_eq!(kind("oidc"), ConnectionKind::Enterprise);
        assert_eq!(kind("google-oauth2"), ConnectionKind::Social);
        assert_eq!(kind("samlp"), ConnectionKind::Enterprise);
        assert_eq!(kind("auth0"), ConnectionKind::Database);
        assert_eq!(kind("something-new"), ConnectionKind::Enterprise);
    }

    #[test]
    fn no_strategy_is_both_social_and_enterprise() {
        assert!(SOCIAL.iter().all(|s| !ENTERPRISE.contains(s)));
    }
}
