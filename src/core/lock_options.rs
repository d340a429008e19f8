//! Every option auth0-lock 14 accepts, by its path (read from its sources: `lib/core/index.js`,
//! `lib/engine/classic.js`, `lib/connection/*`, `lib/core/web_api/p2_api.js`), and what the
//! widget does with it: it maps it, or it ignores it and says so in the console, once, by
//! name. An option Lock accepts never stops the widget.

use crate::prelude::*;

/// Why an option is ignored, in a few words the console line ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ignored {
    /// Lock's own password, sign-up and passwordless forms: here the hosted login page's.
    HostedForms,
    /// How Lock draws or animates itself; the widget's own looks do the same job.
    Looks,
    /// Lock's internals or hooks into them.
    Internals,
}

impl Ignored {
    fn reason(self) -> &'static str {
        match self {
            Ignored::HostedForms => "the authorization server's own login page has that form",
            Ignored::Looks => "the widget does not draw that",
            Ignored::Internals => "it configures Lock's internals",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        match code {
            "form" => Some(Ignored::HostedForms),
            "looks" => Some(Ignored::Looks),
            "internal" => Some(Ignored::Internals),
            _ => None,
        }
    }
}

/// The table's rows: each option's path, and why it is ignored (none: mapped).
pub fn rows() -> impl Iterator<Item = (&'static str, Option<Ignored>)> {
    LOCK_OPTIONS.lines().map(|line| match line.split_once(' ') {
        Some((name, code)) => (name, Ignored::from_code(code)),
        None => (line, None),
    })
}

/// The table: one option a line, by its path; after it, why the widget ignores it (`form`,
/// `looks`, `internal`: see [`Ignored`]), or nothing when the widget maps it. One text
/// rather than a slice of pairs: the same table in a third of the bytes.
pub const LOCK_OPTIONS: &str = "\
additionalSignUpFields form
allowAutocomplete form
allowForgotPassword form
allowLogin form
allowPasswordAutocomplete form
allowShowPassword form
allowSignUp
allowedConnections
assetsUrl
auth
auth.audience
auth.autoParseHash
auth.connectionScopes form
auth.nonce internal
auth.params
auth.redirect
auth.redirectUrl
auth.responseMode internal
auth.responseType
auth.sso
auth.state
autoclose looks
autofocus looks
avatar looks
clientBaseUrl
closable
configurationBaseUrl
connectionResolver internal
container
defaultADUsernameFromEmailPrefix form
defaultDatabaseConnection form
defaultEnterpriseConnection form
defaultLocation form
disableWarnings internal
emailFirst form
flashMessage
forceAutoHeight looks
forgotPasswordLink form
hashCleanup internal
hooks internal
initialScreen
language
languageBaseUrl
languageDictionary
leeway
legacySameSiteCookie internal
loginAfterSignUp form
mobile looks
mustAcceptTerms form
overrides internal
passwordlessMethod form
popupOptions looks
preferConnectionDisplayName looks
prefill form
rememberLastLogin
scrollGlobalMessagesIntoView looks
showTerms form
signUpFieldsStrictValidation form
signUpHideUsernameField form
signUpLink form
theme
theme.authButtons
theme.hideMainScreenTitle looks
theme.labeledSubmitButton
theme.logo
theme.primaryColor
useCustomPasswordlessConnection form
usernameStyle form";

/// The console lines for the options the page gave (`given`: their paths, `auth.sso` for a
/// member of `auth`) that Lock accepts and the widget ignores: one per option.
pub fn ignored(given: &[String]) -> Vec<String> {
    rows()
        .filter(|(name, _)| given.iter().any(|g| g == name))
        .filter_map(|(name, why)| {
            let why = why?;
            Some(
                [
                    "latch-login: the Lock option `",
                    name,
                    "` is ignored: ",
                    why.reason(),
                ]
                .concat(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::from_json;
    use crate::core::options::Options;
    use crate::core::settings::tests::tenant_settings;

    #[test]
    fn an_ignored_option_is_named_once_and_a_mapped_one_not_at_all() {
        let given: Vec<String> = [
            "prefill",
            "auth.audience",
            "theme.logo",
            "avatar",
            "prefill",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let said = ignored(&given);
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(said[0].contains("`avatar`"));
        assert!(said[1].contains("`prefill`") && said[1].contains("login page"));
        assert!(ignored(&["somethingElse".to_owned()]).is_empty());
    }

    #[test]
    fn the_table_is_sorted_and_has_each_option_once_with_a_known_reason() {
        let all: Vec<_> = rows().collect();
        assert!(all.len() > 60);
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
        for line in LOCK_OPTIONS.lines() {
            if let Some((name, code)) = line.split_once(' ') {
                assert!(Ignored::from_code(code).is_some(), "{name}: {code}");
            }
        }
    }

    #[test]
    fn every_mapped_top_level_option_is_one_the_widget_reads() {
        // Each mapped option, given with a value of Lock's shape, makes a widget.
        for (name, why) in rows() {
            if why.is_some() || name.contains('.') {
                continue;
            }
            let value = match name {
                "allowSignUp" | "closable" | "rememberLastLogin" => "true",
                "allowedConnections" => r#"["a"]"#,
                "auth" | "theme" | "languageDictionary" => "{}",
                "flashMessage" => r#"{"type":"error","text":"x"}"#,
                "initialScreen" => r#""signUp""#,
                "language" => r#""en""#,
                "leeway" => "30",
                "container" => r#""root""#,
                _ => r#""https://cdn.example.com""#,
            };
            let options: Options =
                from_json(&["{\"", name, "\":", value, "}"].concat()).expect(name);
            assert!(tenant_settings(options).is_ok(), "{name}");
        }
    }
}
