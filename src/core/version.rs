//! The widget's version against what a connection needs.
//!
//! Auth0's OIDC connection document warns that "if you are using the Lock login widget with an
//! OpenID Connect (OIDC) connection, you must use Lock version 11.16 or higher". latch-login
//! makes that rule first-class: one table says which widget version brought each capability,
//! a connection may state `min_widget_version` and `requires`, and a connection the running
//! widget cannot serve gets a verdict that names why, instead of a login that half works.

use core::fmt;

use super::encoding::{cat, decimal, join, prefix_chars};
use super::VERSION;

use crate::prelude::*;
use serde::Serialize;

/// What the widget can do, and the latch-login version that brought each. A capability a
/// connection requires that is not in this table is one this build does not have.
pub const CAPABILITIES: &[(&str, &str)] = &[
    // Strategies served through a broker (`connection=NAME`) or, for oidc, directly.
    ("oidc", "0.1.0"),
    ("auth0-oidc", "0.1.0"),
    ("samlp", "0.1.0"),
    ("waad", "0.1.0"),
    ("adfs", "0.1.0"),
    ("google-oauth2", "0.1.0"),
    ("github", "0.1.0"),
    ("auth0", "0.1.0"),
    // Response modes the widget can receive (OAuth 2.0 Multiple Response Type Encoding
    // Practices; OAuth 2.0 Form Post Response Mode).
    ("query", "0.1.0"),
    ("fragment", "0.1.0"),
    ("form_post", "0.1.0"),
    // RFC 7636 with S256 only; RFC 9207 `iss` in authorization responses.
    ("pkce_s256", "0.1.0"),
    ("authorization_response_iss", "0.1.0"),
    // Direct providers (no broker): front channel (id_token) and back channel (code).
    ("direct_oidc", "0.1.0"),
    ("front_channel", "0.1.0"),
    ("back_channel", "0.1.0"),
    ("logout", "0.1.0"),
    // RFC 9449: tokens bound to a key pair the browser holds (`auth.dpop`, or a connection
    // that requires it), in the DPoP build.
    #[cfg(feature = "dpop")]
    ("dpop", "0.1.0"),
];

/// Strategies that need a capability even when the configuration says nothing: an OIDC
/// connection needs the widget's OIDC support (the seed's "Lock 11.16 or higher").
pub fn built_in_requirements(strategy: &str) -> &'static [&'static str] {
    match strategy {
        "oidc" => &["oidc"],
        "auth0-oidc" => &["auth0-oidc"],
        "samlp" => &["samlp"],
        "waad" => &["waad"],
        "adfs" => &["adfs"],
        _ => &[],
    }
}

/// The version that brought `capability`, or none when this build does not have it.
pub fn capability_since(capability: &str) -> Option<Version> {
    CAPABILITIES
        .iter()
        .find(|(name, _)| *name == capability)
        .and_then(|(_, since)| parse(since).ok())
}

/// A semantic version ([SemVer 2.0.0](https://semver.org)), read by the semver crate, with
/// two allowances for what people write in a configuration: a leading `v`, and a missing
/// minor or patch (`"0.4"` is 0.4.0, `"11"` is 11.0.0). Build metadata is dropped, since §10
/// gives it no part in precedence; what is left orders as §11 says.
pub type Version = semver::Version;

/// Why a version string was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadVersion(pub String);

impl fmt::Display for BadVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&("\"".to_owned() + &self.0 + "\" is not a version like 1.2.3"))
    }
}

/// Reads `text` as a version (see [`Version`]).
pub fn parse(text: &str) -> Result<Version, BadVersion> {
    let trimmed = text.trim();
    let trimmed = trimmed.strip_prefix('v').unwrap_or(trimmed);
    // `MAJOR` or `MAJOR.MINOR`, digits and dots only: completed with `.0`, then read by the
    // crate like any other.
    let short = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    let full = match (short, trimmed.bytes().filter(|b| *b == b'.').count()) {
        (true, 0) => cat(&[trimmed, ".0.0"]),
        (true, 1) => cat(&[trimmed, ".0"]),
        _ => trimmed.to_owned(),
    };
    let mut version =
        Version::parse(&full).map_err(|_| BadVersion(prefix_chars(text, 64).to_owned()))?;
    version.build = semver::BuildMetadata::EMPTY;
    Ok(version)
}

/// This widget's version.
pub fn current() -> Version {
    // Cargo refuses a package version that is not semver, so this always parses.
    parse(VERSION).unwrap_or(Version::new(0, 0, 0))
}

/// `1.2.3-rc.1`; built by hand because formatting machinery costs wasm bytes.
pub fn text(version: &Version) -> String {
    let mut out = cat(&[
        &decimal(version.major),
        ".",
        &decimal(version.minor),
        ".",
        &decimal(version.patch),
    ]);
    if !version.pre.is_empty() {
        out.push('-');
        out.push_str(version.pre.as_str());
    }
    out
}

/// What one connection needs from the widget: its strategy's built-in requirements, the
/// response mode its flow uses, and what its configuration states.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirement {
    pub strategy: String,
    /// `min_widget_version` as the configuration wrote it.
    pub min_widget_version: Option<String>,
    /// `requires` from the configuration, plus what the flow itself needs.
    pub requires: Vec<String>,
}

/// Why a connection cannot be served by this widget; the payload of `unsupported_connection`
/// is made from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported {
    /// The lowest widget version that could serve the connection, when one is known.
    pub required: Option<String>,
    pub actual: String,
    /// Capabilities this build does not have.
    pub missing: Vec<String>,
    /// A `min_widget_version` that could not be read: the connection is refused rather than
    /// guessed about.
    pub unreadable: Option<String>,
}

impl Unsupported {
    /// The short reason shown on the disabled button and in the console.
    pub fn reason(&self) -> String {
        if let Some(text) = &self.unreadable {
            return cat(&["states an unreadable min_widget_version \"", text, "\""]);
        }
        if !self.missing.is_empty() {
            return cat(&["needs ", &join(&self.missing, ", "), " support"]);
        }
        match &self.required {
            Some(required) => cat(&["needs latch-login ", required, " or newer"]),
            None => String::from("is not supported by this widget"),
        }
    }
}

/// The payload of `unsupported_connection`, and of `Latch.supports` (with `supported`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub supported: bool,
    pub connection: String,
    pub strategy: String,
    /// The lowest widget version that could serve the connection, when one is known.
    pub required: Option<String>,
    /// This widget's version.
    pub actual: String,
    /// Capabilities this build does not have.
    pub missing: Vec<String>,
    /// Why it cannot be served (in English); none when it can.
    pub reason: Option<String>,
}

impl Verdict {
    pub fn new(connection: &str, requirement: &Requirement) -> Self {
        let verdict = check(requirement, &current());
        let (required, missing, reason) = match &verdict {
            Ok(()) => (None, Vec::new(), None),
            Err(u) => (u.required.clone(), u.missing.clone(), Some(u.reason())),
        };
        Self {
            supported: verdict.is_ok(),
            connection: connection.to_owned(),
            strategy: requirement.strategy.clone(),
            required,
            actual: text(&current()),
            missing,
            reason,
        }
    }
}

/// Can the widget at `actual` serve a connection with `requirement`? Built-in requirements of
/// the strategy count even when the configuration states nothing.
pub fn check(requirement: &Requirement, actual: &Version) -> Result<(), Unsupported> {
    let mut unsupported = Unsupported {
        required: None,
        actual: text(actual),
        missing: Vec::new(),
        unreadable: None,
    };
    let mut required: Option<Version> = None;
    let mut raise = |v: Version| {
        if required.as_ref().is_none_or(|r| v > *r) {
            required = Some(v);
        }
    };
    if let Some(text) = &requirement.min_widget_version {
        match parse(text) {
            Ok(v) => raise(v),
            Err(_) => unsupported.unreadable = Some(prefix_chars(text, 64).to_owned()),
        }
    }
    let needs = built_in_requirements(&requirement.strategy)
        .iter()
        .map(|s| (*s).to_owned())
        .chain(requirement.requires.iter().cloned());
    for capability in needs {
        match capability_since(&capability) {
            Some(since) => raise(since),
            None if !unsupported.missing.contains(&capability) => {
                unsupported.missing.push(capability)
            }
            None => {}
        }
    }
    let too_old = required.as_ref().is_some_and(|r| r > actual);
    unsupported.required = required.map(|r| text(&r));
    if too_old || !unsupported.missing.is_empty() || unsupported.unreadable.is_some() {
        Err(unsupported)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use core::cmp::Ordering;

    use super::*;

    fn v(text: &str) -> Version {
        parse(text).expect(text)
    }

    #[test]
    fn reads_full_partial_prefixed_and_build_tagged_versions() {
        assert_eq!(v("1.2.3"), v("v1.2.3"));
        assert_eq!(v("0.4"), v("0.4.0"));
        assert_eq!(v("11"), v("11.0.0"));
        assert_eq!(v("1.2.3+build.5"), v("1.2.3"));
        assert_eq!(text(&v("1.0.0-rc.1")), "1.0.0-rc.1");
    }

    #[test]
    fn refuses_what_is_not_a_version() {
        for bad in [
            "",
            "x",
            "1.",
            "1..2",
            "01.2.3",
            "1.2.3.4",
            "1.2.3-",
            "1.2.3-a..b",
            "1.2.3-01",
            "1.2.3+",
            "-1.2.3",
            "1.2.3 beta",
            "１.2.3",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was read");
        }
    }

    #[test]
    fn orders_as_semver_section_11_does() {
        // The example chain of SemVer 2.0.0 §11.4, in order.
        let chain = [
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "2.0.0",
            "11.16.0",
        ];
        for pair in chain.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert!(v("1.10.0") > v("1.9.0"), "numeric, not string, comparison");
        assert_eq!(v("1.0.0+a").cmp(&v("1.0.0+b")), Ordering::Equal);
    }

    #[test]
    fn the_widget_version_comes_from_cargo_toml_and_package_json_agrees() {
        assert_eq!(text(&current()), VERSION);
        let package = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/package.json"));
        let stated = package
            .lines()
            .find_map(|line| line.trim().strip_prefix("\"version\": \""))
            .and_then(|rest| rest.strip_suffix("\","))
            .expect("package.json has a version line");
        assert_eq!(stated, VERSION, "package.json and Cargo.toml disagree");
    }

    #[test]
    fn every_capability_in_the_table_is_a_version_this_build_has() {
        let current = current();
        for (name, since) in CAPABILITIES {
            let since = parse(since).expect(name);
            assert!(
                since <= current,
                "{name} claims {since}, newer than {current}"
            );
        }
    }

    fn requirement(strategy: &str, min: Option<&str>, requires: &[&str]) -> Requirement {
        Requirement {
            strategy: strategy.into(),
            min_widget_version: min.map(Into::into),
            requires: requires.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn an_oidc_connection_is_checked_even_when_the_configuration_says_nothing() {
        let plain = requirement("oidc", None, &[]);
        assert_eq!(check(&plain, &v("0.1.0")), Ok(()));
        // A widget from before OIDC support (as Lock before 11.16) refuses it, by name.
        let verdict = check(&plain, &v("0.0.9")).expect_err("too old");
        assert_eq!(verdict.required.as_deref(), Some("0.1.0"));
        assert_eq!(verdict.actual, "0.0.9");
        assert_eq!(verdict.reason(), "needs latch-login 0.1.0 or newer");
    }

    #[test]
    fn min_widget_version_is_compared_with_pre_releases_counted() {
        let needs = requirement("google-oauth2", Some("0.4"), &[]);
        let verdict = check(&needs, &v("0.1.0")).expect_err("0.1 < 0.4");
        assert_eq!(verdict.reason(), "needs latch-login 0.4.0 or newer");
        assert_eq!(verdict.missing, Vec::<String>::new());
        assert_eq!(check(&needs, &v("0.4.0")), Ok(()));
        assert!(
            check(&needs, &v("0.4.0-beta.1")).is_err(),
            "a pre-release is older"
        );
        assert_eq!(check(&needs, &v("1.0.0")), Ok(()));
    }

    #[test]
    fn an_unknown_capability_is_named_as_missing() {
        let needs = requirement("oidc", None, &["form_post", "mtls", "mtls"]);
        let verdict = check(&needs, &current()).expect_err("no mtls");
        assert_eq!(verdict.missing, vec!["mtls".to_string()]);
        assert_eq!(verdict.reason(), "needs mtls support");
        // DPoP is a capability of the DPoP build (latch-login/dpop) only.
        let dpop = check(&requirement("oidc", None, &["dpop"]), &current());
        assert_eq!(dpop.is_ok(), crate::core::settings::DPOP, "{dpop:?}");
    }

    #[test]
    fn an_unreadable_min_widget_version_refuses_rather_than_guesses() {
        let needs = requirement("oidc", Some("latest"), &[]);
        let verdict = check(&needs, &current()).expect_err("unreadable");
        assert_eq!(verdict.unreadable.as_deref(), Some("latest"));
        assert!(verdict.reason().contains("latest"));
    }

    #[test]
    fn strategies_without_a_built_in_rule_pass_through_the_broker() {
        assert_eq!(
            check(&requirement("facebook", None, &[]), &current()),
            Ok(())
        );
    }
}
