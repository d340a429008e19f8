//! What the widget shows, decided here and drawn by the wrapper (`src/js/view.js`): the
//! panel's texts in the widget's language, and which buttons, in which groups, with which
//! labels and verdicts. Both are JSON for the wrapper's `JSON.parse`; the wrapper sets every
//! string as text (`textContent`, `setAttribute`), never as HTML.

use super::connection::Connection;
use super::dictionary::Dictionary;
use super::encoding::{cat, join, prefix_chars};
use super::json::ObjectWriter;
use super::options::{Settings, ThemeOptions};
use super::strategy::ConnectionKind;
use super::version::Unsupported;

use crate::prelude::*;

/// The texts the panel may show, by their Lock dictionary keys.
const TEXTS: &[&str] = &[
    "title",
    "closeLabel",
    "loadingLabel",
    "signingInLabel",
    "errorTitle",
    "retryLabel",
    "emailLabel",
    "continueLabel",
    "hrdNoMatchLabel",
];

/// The panel: where it goes (`container`, else a modal), how it looks, and its texts.
pub fn frame(settings: &Settings, dict: &Dictionary<'_>) -> String {
    let language = dict.language();
    let mut w = ObjectWriter::default();
    w.str("lang", language.tag())
        .str("dir", language.direction())
        .opt_str("container", settings.container.as_deref())
        .bool(
            "closable",
            settings.container.is_none() && settings.closable,
        )
        .opt_str("primaryColor", settings.theme.primary_color.as_deref())
        .opt_str("logo", settings.theme.logo.as_deref())
        .bool(
            "labeledSubmitButton",
            settings.theme.labeled_submit_button != Some(false),
        );
    for key in TEXTS {
        w.str(key, dict.get(key));
    }
    w.finish()
}

/// One button per connection, social first then enterprise, as Lock groups them; above them
/// the connection used last time (`last`, when it is on offer and served) and, when any
/// connection claims email domains, the email form of home realm discovery (`email`).
pub fn buttons(
    dict: &Dictionary<'_>,
    list: &[Connection],
    theme: &ThemeOptions,
    last: Option<&str>,
) -> String {
    let mut w = ObjectWriter::default();
    let remembered = last
        .and_then(|name| list.iter().find(|c| c.name.as_str() == name))
        .filter(|c| c.verdict().is_ok());
    if let Some(c) = remembered {
        let label = dict.fill("lastLoginLabel", &theme_name(theme, c));
        w.raw("last", &button(dict, c, theme, Some(&label)));
    }
    w.bool("email", list.iter().any(|c| !c.domains.is_empty()));
    let mut groups = Vec::new();
    for (kind, label) in [
        (ConnectionKind::Social, Some("socialGroupLabel")),
        (ConnectionKind::Enterprise, Some("enterpriseGroupLabel")),
        (ConnectionKind::Database, None),
        (ConnectionKind::Passwordless, None),
    ] {
        let members: Vec<String> = list
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| button(dict, c, theme, None))
            .collect();
        if !members.is_empty() {
            groups.push(
                ObjectWriter::default()
                    .str("kind", kind.as_str())
                    .opt_str("label", label.map(|key| dict.get(key)))
                    .raw("buttons", &array(&members))
                    .finish(),
            );
        }
    }
    w.raw("groups", &array(&groups)).finish()
}

/// A connection's button: its text (`label` when given, else "Continue with …"), its colours,
/// its icon (the app's image, or the name's initial), and when this widget cannot serve it,
/// the reason (`reason`: the button is shown disabled, never dropped).
fn button(
    dict: &Dictionary<'_>,
    c: &Connection,
    theme: &ThemeOptions,
    label: Option<&str>,
) -> String {
    let style = theme.button(c.name.as_str());
    let name = theme_name(theme, c);
    let mut w = ObjectWriter::default();
    w.str("connection", c.name.as_str())
        .str("strategy", &c.strategy)
        .opt_str("accent", style.and_then(|b| b.primary_color.as_deref()))
        .opt_str(
            "foreground",
            style.and_then(|b| b.foreground_color.as_deref()),
        );
    match label {
        Some(label) => w.str("label", label),
        None => w.str("label", &dict.fill("loginWithLabel", &name)),
    };
    match style.and_then(|b| b.icon.as_deref()) {
        Some(src) => w.str("icon", src),
        // ASCII case only: Unicode's case tables would cost the wasm kilobytes.
        None => w.str("initial", &prefix_chars(&name, 1).to_ascii_uppercase()),
    };
    if let Err(u) = c.verdict() {
        w.str("reason", &unsupported_reason(dict, &u));
    }
    w.finish()
}

fn array(items: &[String]) -> String {
    cat(&["[", &join(items, ","), "]"])
}

/// The name on a connection's button: the app's `theme.authButtons[name].displayName`, else
/// the configuration's display name.
fn theme_name(theme: &ThemeOptions, c: &Connection) -> String {
    theme
        .button(c.name.as_str())
        .and_then(|b| b.display_name.clone())
        .unwrap_or_else(|| c.display_name.clone())
}

/// The short reason on a disabled button, in the widget's language.
fn unsupported_reason(dict: &Dictionary<'_>, u: &Unsupported) -> String {
    if !u.missing.is_empty() {
        return dict.fill("unsupportedCapabilityLabel", &join(&u.missing, ", "));
    }
    match (&u.required, &u.unreadable) {
        (Some(required), None) => dict.fill("unsupportedVersionLabel", required),
        _ => u.reason(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::client_config::ClientConfiguration;
    use crate::core::options::Options;
    use serde_json::{json, Value};

    fn settings(options: &str) -> Settings {
        let options = Options::from_json(options).expect("options");
        Settings::new(
            "app",
            "op.example.com",
            options,
            "https://app.example.com/",
            &crate::core::web_url::Whatwg,
        )
        .expect("settings")
    }

    fn connections(strategies: &str) -> Vec<Connection> {
        ClientConfiguration::from_json(&format!(r#"{{"id":"app","strategies":{strategies}}}"#))
            .expect("configuration")
            .connections("app")
            .expect("connections")
    }

    fn parse(json: &str) -> Value {
        serde_json::from_str(json).expect("the view model is JSON")
    }

    /// The buttons' model in English, with no app overrides.
    fn english_buttons(list: &[Connection], theme: &ThemeOptions, last: Option<&str>) -> Value {
        let none = Vec::new();
        parse(&buttons(&Dictionary::new(&none), list, theme, last))
    }

    #[test]
    fn the_frame_is_a_modal_by_default_with_the_languages_texts() {
        let s = settings(r##"{"language":"ar","theme":{"primaryColor":"#123456"}}"##);
        let pack = crate::core::dictionary::read_pack(include_str!("../lang/ar.json")).unwrap();
        let frame = parse(&frame(
            &s,
            &Dictionary::with_language(s.language, &pack, &[]),
        ));
        assert_eq!(frame["lang"], "ar");
        assert_eq!(frame["title"], "تسجيل الدخول");
        assert_eq!(frame["dir"], "rtl");
        assert_eq!(frame["container"], Value::Null);
        assert_eq!(frame["closable"], true);
        assert_eq!(frame["primaryColor"], "#123456");
        assert_eq!(frame["labeledSubmitButton"], true);
        for key in TEXTS {
            assert!(frame[key].as_str().is_some_and(|t| !t.is_empty()), "{key}");
        }
    }

    #[test]
    fn an_inline_frame_has_no_close_button_and_app_texts_win() {
        let s = settings(
            r#"{"container":"here","languageDictionary":{"title":"Sign in to <b>Acme</b>"},
                "theme":{"labeledSubmitButton":false}}"#,
        );
        let frame = parse(&frame(&s, &Dictionary::new(&s.language_dictionary)));
        assert_eq!(frame["container"], "here");
        assert_eq!(frame["closable"], false);
        assert_eq!(frame["labeledSubmitButton"], false);
        assert_eq!(frame["title"], "Sign in to <b>Acme</b>", "kept as text");
    }

    #[test]
    fn buttons_are_grouped_social_first_with_their_labels() {
        let list = connections(
            r#"[{"name":"oidc","connections":[{"name":"corp","display_name":"Corp SSO"}]},
                {"name":"github","connections":[{"name":"github"}]}]"#,
        );
        let model = english_buttons(&list, &ThemeOptions::default(), None);
        assert_eq!(model["email"], false);
        assert_eq!(model["last"], Value::Null);
        let groups = model["groups"].as_array().expect("groups");
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0]["kind"], "social");
        assert_eq!(groups[0]["label"], "Social");
        assert_eq!(groups[1]["kind"], "enterprise");
        assert_eq!(
            groups[1]["buttons"][0],
            json!({"connection":"corp","strategy":"oidc","label":"Continue with Corp SSO","initial":"C"})
        );
    }

    #[test]
    fn the_apps_button_theme_and_the_last_login_come_through() {
        let list = connections(
            r#"[{"name":"oidc","connections":[{"name":"corp","domain":"corp.example"}]}]"#,
        );
        let s = settings(
            r#"{"theme":{"authButtons":{"corp":{"displayName":"Acme","primaryColor":"red",
                "foregroundColor":"white","icon":"https://cdn.example/acme.svg"}}}}"#,
        );
        let model = english_buttons(&list, &s.theme, Some("corp"));
        assert_eq!(model["email"], true);
        assert_eq!(model["last"]["label"], "Last time you logged in with Acme");
        let button = &model["groups"][0]["buttons"][0];
        assert_eq!(button["label"], "Continue with Acme");
        assert_eq!(button["accent"], "red");
        assert_eq!(button["foreground"], "white");
        assert_eq!(button["icon"], "https://cdn.example/acme.svg");
        assert_eq!(button["initial"], Value::Null);
    }

    #[test]
    fn an_unsupported_connection_keeps_its_button_with_the_reason() {
        let list = connections(
            r#"[{"name":"oidc","connections":[{"name":"future","min_widget_version":"99.0.0"}]}]"#,
        );
        let model = english_buttons(&list, &ThemeOptions::default(), Some("future"));
        assert_eq!(
            model["last"],
            Value::Null,
            "never offered as the last login"
        );
        assert_eq!(
            model["groups"][0]["buttons"][0]["reason"],
            "Needs latch-login 99.0.0 or newer"
        );
    }

    #[test]
    fn network_strings_stay_verbatim() {
        let hostile = "<img src=x onerror=alert(1)>\"\\\u{1}";
        let list = connections(&format!(
            r#"[{{"name":"oidc","connections":[{{"name":"x\"><b>","display_name":{}}}]}}]"#,
            serde_json::to_string(hostile).unwrap()
        ));
        let model = english_buttons(&list, &ThemeOptions::default(), None);
        let button = &model["groups"][0]["buttons"][0];
        assert_eq!(button["connection"], "x\"><b>");
        assert_eq!(button["label"], format!("Continue with {hostile}"));
        assert_eq!(button["initial"], "<");
    }
}
