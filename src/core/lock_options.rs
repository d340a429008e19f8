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
}

/// The table's rows: each option's path, and why it is ignored (none: mapped).
pub fn rows() -> impl Iterator<Item = (&'static str, Option<Ignored>)> {
    LOCK_OPTIONS.iter().copied()
}

/// The table: each option by its path, with why the widget ignores it, or `None` when the
/// widget maps it. (One text parsed at run time measured 171 B gzip more than this slice.)
pub const LOCK_OPTIONS: &[(&str, Option<Ignored>)] = &[
    ("additionalSignUpFields", Some(Ignored::HostedForms)),
    ("allowAutocomplete", Some(Ignored::HostedForms)),
    ("allowForgotPassword", Some(Ignored::HostedForms)),
    ("allowLogin", Some(Ignored::HostedForms)),
    ("allowPasswordAutocomplete", Some(Ignored::HostedForms)),
    ("allowShowPassword", Some(Ignored::HostedForms)),
    ("allowSignUp", None),
    ("allowedConnections", None),
    ("assetsUrl", None),
    ("auth", None),
    ("auth.audience", None),
    ("auth.autoParseHash", None),
    ("auth.connectionScopes", Some(Ignored::HostedForms)),
    ("auth.nonce", Some(Ignored::Internals)),
    ("auth.params", None),
    ("auth.redirect", None),
    ("auth.redirectUrl", None),
    ("auth.responseMode", Some(Ignored::Internals)),
    ("auth.responseType", None),
    ("auth.sso", None),
    ("auth.state", None),
    ("autoclose", Some(Ignored::Looks)),
    ("autofocus", Some(Ignored::Looks)),
    ("avatar", Some(Ignored::Looks)),
    ("clientBaseUrl", None),
    ("closable", None),
    ("configurationBaseUrl", None),
    ("connectionResolver", Some(Ignored::Internals)),
    ("container", None),
    (
        "defaultADUsernameFromEmailPrefix",
        Some(Ignored::HostedForms),
    ),
    ("defaultDatabaseConnection", Some(Ignored::HostedForms)),
    ("defaultEnterpriseConnection", Some(Ignored::HostedForms)),
    ("defaultLocation", Some(Ignored::HostedForms)),
    ("disableWarnings", Some(Ignored::Internals)),
    ("emailFirst", Some(Ignored::HostedForms)),
    ("flashMessage", None),
    ("forceAutoHeight", Some(Ignored::Looks)),
    ("forgotPasswordLink", Some(Ignored::HostedForms)),
    ("hashCleanup", Some(Ignored::Internals)),
    ("hooks", Some(Ignored::Internals)),
    ("initialScreen", None),
    ("language", None),
    ("languageBaseUrl", None),
    ("languageDictionary", None),
    ("leeway", None),
    ("legacySameSiteCookie", Some(Ignored::Internals)),
    ("loginAfterSignUp", Some(Ignored::HostedForms)),
    ("mobile", Some(Ignored::Looks)),
    ("mustAcceptTerms", Some(Ignored::HostedForms)),
    ("overrides", Some(Ignored::Internals)),
    ("passwordlessMethod", Some(Ignored::HostedForms)),
    ("popupOptions", Some(Ignored::Looks)),
    ("preferConnectionDisplayName", Some(Ignored::Looks)),
    ("prefill", Some(Ignored::HostedForms)),
    ("rememberLastLogin", None),
    ("scrollGlobalMessagesIntoView", Some(Ignored::Looks)),
    ("showTerms", Some(Ignored::HostedForms)),
    ("signUpFieldsStrictValidation", Some(Ignored::HostedForms)),
    ("signUpHideUsernameField", Some(Ignored::HostedForms)),
    ("signUpLink", Some(Ignored::HostedForms)),
    ("theme", None),
    ("theme.authButtons", None),
    ("theme.hideMainScreenTitle", Some(Ignored::Looks)),
    ("theme.labeledSubmitButton", None),
    ("theme.logo", None),
    ("theme.primaryColor", None),
    (
        "useCustomPasswordlessConnection",
        Some(Ignored::HostedForms),
    ),
    ("usernameStyle", Some(Ignored::HostedForms)),
];

/// The console lines for the options the page gave (`given`: their paths, `auth.sso` for a
/// member of `auth`) that Lock accepts and the widget ignores: one per option.
pub fn ignored(given: &[String]) -> Vec<String> {
    IGNORED
        .iter()
        .filter(|(name, _)| given.iter().any(|g| g == name))
        .map(|(name, why)| {
            [
                "latch-login: the Lock option `",
                name,
                "` is ignored: ",
                why.reason(),
            ]
            .concat()
        })
        .collect()
}

/// The ignored rows of [`LOCK_OPTIONS`], in its order, picked out when compiling: the module
/// holds only these, not the mapped options' names (measured 180 B gzip smaller).
const IGNORED: [(&str, Ignored); ignored_count()] = {
    let mut out = [("", Ignored::Internals); ignored_count()];
    let (mut i, mut n) = (0, 0);
    while i < LOCK_OPTIONS.len() {
        if let (name, Some(why)) = LOCK_OPTIONS[i] {
            out[n] = (name, why);
            n += 1;
        }
        i += 1;
    }
    out
};

const fn ignored_count() -> usize {
    let (mut i, mut n) = (0, 0);
    while i < LOCK_OPTIONS.len() {
        if LOCK_OPTIONS[i].1.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
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
    fn the_table_is_sorted_and_has_each_option_once() {
        let all: Vec<_> = rows().collect();
        assert!(all.len() > 60);
        assert!(all.windows(2).all(|w| w[0].0 < w[1].0));
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
