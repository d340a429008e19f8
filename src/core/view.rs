//! What the widget shows, decided here and drawn by the browser layer
//! (`src/browser/view.rs`): the panel's texts in the widget's language, and which buttons, in
//! which groups, with which labels and verdicts. Every string is set as text there
//! (`textContent`, `setAttribute`), never as HTML.

use super::connection::Connection;
use super::dictionary::Dictionary;
use super::encoding::{cat, join, prefix_chars};
use super::options::ThemeOptions;
use super::payload::FlashMessage;
use super::settings::Settings;
use super::strategy::{self, ConnectionKind};
use super::version::Unsupported;

use crate::prelude::*;

/// The panel: where it goes (`container`, else a modal), how it looks, and its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub lang: &'static str,
    pub dir: &'static str,
    pub container: Option<String>,
    pub closable: bool,
    pub primary_color: Option<String>,
    pub logo: Option<String>,
    pub labeled_submit_button: bool,
    pub title: String,
    pub close_label: String,
    pub loading_label: String,
    pub signing_in_label: String,
    pub error_title: String,
    pub retry_label: String,
    pub email_label: String,
    pub continue_label: String,
    pub sign_up_label: String,
    pub hrd_no_match_label: String,
    /// Lock's `flashMessage` of this showing.
    pub flash: Option<Flash>,
}

/// A line at the top of the panel: its class, its ARIA role and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flash {
    pub class: &'static str,
    pub role: &'static str,
    pub text: String,
}

pub fn frame(settings: &Settings, dict: &Dictionary<'_>, flash: Option<&FlashMessage>) -> Frame {
    let mut frame = plain_frame(dict, settings.container.clone());
    frame.closable = settings.container.is_none() && settings.closable;
    frame.primary_color = settings.theme.primary_color.clone();
    frame.logo = settings.theme.logo.clone();
    frame.labeled_submit_button = settings.theme.labeled_submit_button != Some(false);
    frame.flash = flash.map(|m| {
        let (class, role) = m.kind.class_and_role();
        Flash {
            class,
            role,
            text: m.text.clone(),
        }
    });
    frame
}

/// The frame of the panel that shows why options gave no widget: its one button closes it
/// ("Close", not "Try again": the same options would be refused again).
pub fn refusal_frame(dict: &Dictionary<'_>, container: Option<String>) -> Frame {
    let mut frame = plain_frame(dict, container);
    frame.retry_label.clone_from(&frame.close_label);
    frame
}

/// The panel with the language's texts and no options of the app's: where options that are
/// not valid say so (in `container`, if the page named one, else as a closable modal).
pub fn plain_frame(dict: &Dictionary<'_>, container: Option<String>) -> Frame {
    let language = dict.language();
    let text = |key: &str| dict.get(key).to_owned();
    Frame {
        lang: language.tag(),
        dir: language.direction(),
        closable: container.is_none(),
        container,
        primary_color: None,
        logo: None,
        labeled_submit_button: true,
        title: text("title"),
        close_label: text("closeLabel"),
        loading_label: text("loadingLabel"),
        signing_in_label: text("signingInLabel"),
        error_title: text("errorTitle"),
        retry_label: text("retryLabel"),
        email_label: text("emailLabel"),
        continue_label: text("continueLabel"),
        sign_up_label: text("signUpLabel"),
        hrd_no_match_label: text("hrdNoMatchLabel"),
        flash: None,
    }
}

/// The connections as the panel lays them out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buttons {
    /// The connection used last time, when it is on offer and served.
    pub last: Option<Button>,
    /// Whether any connection claims email domains, or a database or passwordless connection
    /// is on offer: the email form (Lock's first screen), which leads to the hosted page.
    pub email: bool,
    /// The "Sign up" link: a database connection takes sign-ups and `allowSignUp` allows
    /// them.
    pub sign_up: bool,
    pub groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub kind: &'static str,
    pub label: Option<String>,
    pub buttons: Vec<Button>,
}

/// A connection's button: its text, its colours, its icon (the app's image, else the brand's
/// mark for a social strategy Lock knows, else the name's initial), and when this widget
/// cannot serve it, the reason (shown disabled, never dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    pub connection: String,
    pub strategy: String,
    pub label: String,
    pub icon: Option<String>,
    /// The brand's mark, a file next to the widget (`marks/google.svg`), fetched only when
    /// its button is drawn.
    pub mark: Option<String>,
    pub initial: Option<String>,
    pub accent: Option<String>,
    pub foreground: Option<String>,
    pub reason: Option<String>,
}

/// One button per connection, social first then enterprise, as Lock groups them; above them
/// the connection used last time (`last`, when it is on offer and served) and, when any
/// connection claims email domains, the email form of home realm discovery.
pub fn buttons(
    dict: &Dictionary<'_>,
    list: &[Connection],
    theme: &ThemeOptions,
    last: Option<&str>,
    allow_sign_up: bool,
) -> Buttons {
    let remembered = last
        .and_then(|name| list.iter().find(|c| c.name.as_str() == name))
        .filter(|c| c.verdict().is_ok());
    let last = remembered.map(|c| {
        let label = dict.fill("lastLoginLabel", &theme_name(theme, c));
        button(dict, c, theme, Some(label))
    });
    let mut groups = Vec::new();
    // Database and passwordless connections have no button: the email form is their way in.
    for (kind, label) in [
        (ConnectionKind::Social, Some("socialGroupLabel")),
        (ConnectionKind::Enterprise, Some("enterpriseGroupLabel")),
    ] {
        let members: Vec<Button> = list
            .iter()
            .filter(|c| c.kind == kind)
            .map(|c| button(dict, c, theme, None))
            .collect();
        if !members.is_empty() {
            groups.push(Group {
                kind: kind.as_str(),
                label: label.map(|key| dict.get(key).to_owned()),
                buttons: members,
            });
        }
    }
    let typed = |c: &Connection| {
        matches!(
            c.kind,
            ConnectionKind::Database | ConnectionKind::Passwordless
        )
    };
    Buttons {
        last,
        email: list.iter().any(|c| !c.domains.is_empty() || typed(c)),
        sign_up: allow_sign_up
            && list
                .iter()
                .any(|c| c.kind == ConnectionKind::Database && c.sign_up),
        groups,
    }
}

fn button(
    dict: &Dictionary<'_>,
    c: &Connection,
    theme: &ThemeOptions,
    label: Option<String>,
) -> Button {
    let style = theme.button(c.name.as_str());
    let name = theme_name(theme, c);
    let icon = style.and_then(|b| b.icon.clone());
    let brand = match c.kind {
        ConnectionKind::Social => strategy::social_look(&c.strategy),
        _ => None,
    };
    let mark = match icon {
        Some(_) => None,
        None => brand
            .and_then(|b| b.mark)
            .map(|slug| cat(&["marks/", slug, ".svg"])),
    };
    Button {
        connection: c.name.as_str().to_owned(),
        strategy: c.strategy.clone(),
        label: label.unwrap_or_else(|| dict.fill("loginWithLabel", &name)),
        // ASCII case only: the initial is a letter on a coloured disc.
        initial: (icon.is_none() && mark.is_none())
            .then(|| prefix_chars(&name, 1).to_ascii_uppercase()),
        icon,
        mark,
        accent: style
            .and_then(|b| b.primary_color.clone())
            .or_else(|| brand.map(|b| b.colour.to_owned())),
        foreground: style.and_then(|b| b.foreground_color.clone()),
        reason: c.verdict().err().map(|u| unsupported_reason(dict, &u)),
    }
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
    use crate::core::dictionary::Pack;
    use crate::core::document::from_json;
    use crate::core::options::Options;
    use crate::core::web_url::Whatwg;

    fn settings(options: &str) -> Settings {
        let options: Options = from_json(options).expect("options");
        Settings::new(
            "app",
            "op.example.com",
            options,
            "https://app.example.com/",
            &Whatwg,
        )
        .expect("settings")
    }

    fn connections(strategies: &str) -> Vec<Connection> {
        from_json::<ClientConfiguration>(&format!(r#"{{"id":"app","strategies":{strategies}}}"#))
            .expect("configuration")
            .connections("app")
            .expect("connections")
    }

    /// The buttons' model in English, with no app overrides.
    fn english_buttons(list: &[Connection], theme: &ThemeOptions, last: Option<&str>) -> Buttons {
        let none = Vec::new();
        buttons(&Dictionary::new(&none), list, theme, last, true)
    }

    #[test]
    fn the_frame_is_a_modal_by_default_with_the_languages_texts() {
        let s = settings(r##"{"language":"ar","theme":{"primaryColor":"#123456"}}"##);
        let pack: Pack = from_json(include_str!("../lang/ar.json")).unwrap();
        let frame = frame(
            &s,
            &Dictionary::with_language(s.language, &pack.0, &[]),
            None,
        );
        assert_eq!(frame.lang, "ar");
        assert_eq!(frame.title, "تسجيل الدخول");
        assert_eq!(frame.dir, "rtl");
        assert_eq!(frame.container, None);
        assert!(frame.closable);
        assert_eq!(frame.primary_color.as_deref(), Some("#123456"));
        assert!(frame.labeled_submit_button);
        for text in [
            &frame.close_label,
            &frame.loading_label,
            &frame.signing_in_label,
            &frame.error_title,
            &frame.retry_label,
            &frame.email_label,
            &frame.continue_label,
            &frame.hrd_no_match_label,
        ] {
            assert!(!text.is_empty());
        }
    }

    #[test]
    fn an_inline_frame_has_no_close_button_and_app_texts_win() {
        let s = settings(
            r#"{"container":"here","languageDictionary":{"title":"Sign in to <b>Acme</b>"},
                "theme":{"labeledSubmitButton":false}}"#,
        );
        let frame = frame(&s, &Dictionary::new(&s.language_dictionary), None);
        assert_eq!(frame.container.as_deref(), Some("here"));
        assert!(!frame.closable);
        assert!(!frame.labeled_submit_button);
        assert_eq!(frame.title, "Sign in to <b>Acme</b>", "kept as text");
        assert_eq!(frame.flash, None);
    }

    #[test]
    fn a_flash_message_is_a_line_of_text_whose_role_follows_its_kind() {
        let s = settings("{}");
        let flash = |json: &str| {
            let message: FlashMessage = from_json(json).expect("flash");
            frame(&s, &Dictionary::new(&[]), Some(&message)).flash
        };
        assert_eq!(
            flash(r#"{"type":"error","text":"Your <i>session</i> ended"}"#),
            Some(Flash {
                class: "latch-flash latch-flash-error",
                role: "alert",
                text: "Your <i>session</i> ended".into(),
            })
        );
        let success = flash(r#"{"type":"success","text":"Signed out"}"#).expect("flash");
        assert_eq!(
            (success.class, success.role),
            ("latch-flash latch-flash-success", "status")
        );
        let info = flash(r#"{"text":"Hello"}"#).expect("flash");
        assert_eq!(
            (info.class, info.role),
            ("latch-flash latch-flash-info", "status")
        );
        assert!(from_json::<FlashMessage>(r#"{"type":"warning","text":"x"}"#).is_err());
        assert!(from_json::<FlashMessage>(r#"{"type":"info"}"#).is_err());
    }

    #[test]
    fn buttons_are_grouped_social_first_with_their_labels() {
        let list = connections(
            r#"[{"name":"oidc","connections":[{"name":"corp","display_name":"Corp SSO"}]},
                {"name":"github","connections":[{"name":"github"}]}]"#,
        );
        let model = english_buttons(&list, &ThemeOptions::default(), None);
        assert!(!model.email);
        assert_eq!(model.last, None);
        assert_eq!(model.groups.len(), 2);
        assert_eq!(model.groups[0].kind, "social");
        assert_eq!(model.groups[0].label.as_deref(), Some("Social"));
        assert_eq!(model.groups[1].kind, "enterprise");
        assert_eq!(
            model.groups[1].buttons[0],
            Button {
                connection: "corp".into(),
                strategy: "oidc".into(),
                label: "Continue with Corp SSO".into(),
                icon: None,
                mark: None,
                initial: Some("C".into()),
                accent: None,
                foreground: None,
                reason: None,
            }
        );
    }

    #[test]
    fn a_social_strategy_lock_knows_has_its_name_colour_and_mark() {
        let list = connections(
            r#"[{"name":"google-oauth2","connections":[{"name":"google-oauth2"}]},
                {"name":"linkedin","connections":[{"name":"linkedin"}]}]"#,
        );
        let model = english_buttons(&list, &ThemeOptions::default(), None);
        let google = &model.groups[0].buttons[0];
        assert_eq!(google.label, "Continue with Google");
        assert_eq!(google.mark.as_deref(), Some("marks/google.svg"));
        assert_eq!(google.accent.as_deref(), Some("#4285f4"));
        assert_eq!(
            (google.icon.as_deref(), google.initial.as_deref()),
            (None, None)
        );
        // Without a mark in simple-icons, the name's initial on the brand's colour.
        let linkedin = &model.groups[0].buttons[1];
        assert_eq!(linkedin.label, "Continue with LinkedIn");
        assert_eq!(
            (linkedin.mark.as_deref(), linkedin.initial.as_deref()),
            (None, Some("L"))
        );
        assert_eq!(linkedin.accent.as_deref(), Some("#0077b5"));
        // The app's theme comes first.
        let s = settings(
            r#"{"theme":{"authButtons":{"google-oauth2":{"primaryColor":"red",
                "icon":"https://cdn.example/g.svg"}}}}"#,
        );
        let google = &english_buttons(&list, &s.theme, None).groups[0].buttons[0];
        assert_eq!(google.accent.as_deref(), Some("red"));
        assert_eq!(google.mark, None);
    }

    #[test]
    fn a_database_connection_gets_the_email_form_and_a_sign_up_link_not_a_button() {
        let list = connections(
            r#"[{"name":"auth0","connections":[{"name":"Username-Password-Authentication"}]},
                {"name":"google-oauth2","connections":[{"name":"google-oauth2"}]}]"#,
        );
        let model = english_buttons(&list, &ThemeOptions::default(), None);
        assert!(model.email && model.sign_up);
        assert_eq!(model.groups.len(), 1);
        assert_eq!(model.groups[0].kind, "social");
        let none = Vec::new();
        let closed = buttons(
            &Dictionary::new(&none),
            &list,
            &ThemeOptions::default(),
            None,
            false,
        );
        assert!(!closed.sign_up, "allowSignUp: false");
        let no_sign_ups =
            connections(r#"[{"name":"auth0","connections":[{"name":"db","showSignup":false}]}]"#);
        let model = english_buttons(&no_sign_ups, &ThemeOptions::default(), None);
        assert!(model.email && !model.sign_up && model.groups.is_empty());
        let passwordless = connections(r#"[{"name":"sms","connections":[{"name":"sms"}]}]"#);
        let model = english_buttons(&passwordless, &ThemeOptions::default(), None);
        assert!(model.email && !model.sign_up);
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
        assert!(model.email);
        assert_eq!(
            model.last.map(|b| b.label).as_deref(),
            Some("Last time you logged in with Acme")
        );
        let button = &model.groups[0].buttons[0];
        assert_eq!(button.label, "Continue with Acme");
        assert_eq!(button.accent.as_deref(), Some("red"));
        assert_eq!(button.foreground.as_deref(), Some("white"));
        assert_eq!(button.icon.as_deref(), Some("https://cdn.example/acme.svg"));
        assert_eq!(button.initial, None);
    }

    #[test]
    fn an_unsupported_connection_keeps_its_button_with_the_reason() {
        let list = connections(
            r#"[{"name":"oidc","connections":[{"name":"future","min_widget_version":"99.0.0"}]}]"#,
        );
        let model = english_buttons(&list, &ThemeOptions::default(), Some("future"));
        assert_eq!(model.last, None, "never offered as the last login");
        assert_eq!(
            model.groups[0].buttons[0].reason.as_deref(),
            Some("Needs latch-login 99.0.0 or newer")
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
        let button = &model.groups[0].buttons[0];
        assert_eq!(button.connection, "x\"><b>");
        assert_eq!(button.label, format!("Continue with {hostile}"));
        assert_eq!(button.initial.as_deref(), Some("<"));
    }

    #[test]
    fn the_refusal_panel_offers_to_close_not_to_try_again() {
        let none = Vec::new();
        let frame = refusal_frame(&Dictionary::new(&none), None);
        assert_eq!(frame.retry_label, "Close");
        assert_eq!(
            plain_frame(&Dictionary::new(&none), None).retry_label,
            "Try again"
        );
    }
}
