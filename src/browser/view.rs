//! The widget's DOM. Every string goes in with `textContent` or `setAttribute`, never as
//! HTML, so connection names, display names and error descriptions from the network stay
//! text. All looks come from the stylesheet (`latch.css`) through CSS custom properties.

use std::cell::Cell;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, Event, HtmlElement, KeyboardEvent};

use crate::core::connection::Connection;
use crate::core::dictionary::Dictionary;
use crate::core::encoding::decimal;
use crate::core::options::{Settings, ThemeOptions};
use crate::core::strategy::ConnectionKind;
use crate::core::version::Unsupported;
use crate::core::Error;

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

pub struct View {
    document: Document,
    /// What was appended to the page: the overlay (modal) or the panel (inline).
    root: Element,
    body: Element,
    /// The modal's focus keeper (WAI-ARIA dialog pattern): Tab and Shift+Tab stay inside, and
    /// the element that had focus before gets it back when the modal goes. Dropping the view
    /// drops the listener.
    trap: Option<FocusTrap>,
}

struct FocusTrap {
    _keydown: Closure<dyn FnMut(Event)>,
    return_to: Option<HtmlElement>,
}

/// What Tab can reach inside the widget.
const FOCUSABLE: &str =
    "button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex='-1'])";

/// Wraps Tab from the last control to the first and Shift+Tab from the first to the last.
fn keep_focus_inside(panel: &Element, event: &Event) {
    let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
        return;
    };
    if key.key() != "Tab" {
        return;
    }
    let Ok(all) = panel.query_selector_all(FOCUSABLE) else {
        return;
    };
    let at = |i: u32| all.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok());
    let (Some(first), Some(last)) = (at(0), at(all.length().saturating_sub(1))) else {
        event.prevent_default();
        return;
    };
    let active: Option<Element> = panel.owner_document().and_then(|d| d.active_element());
    let on = |e: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == e.unchecked_ref::<Element>())
    };
    let outside = !active.as_ref().is_some_and(|a| panel.contains(Some(a)))
        || active.as_ref().is_some_and(|a| a == panel);
    if key.shift_key() && (on(&first) || outside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !key.shift_key() && (on(&last) || outside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

fn el(document: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let e = document.create_element(tag)?;
    e.set_class_name(class);
    Ok(e)
}

impl View {
    pub fn mount(settings: &Settings, dict: &Dictionary<'_>) -> Result<Self, Error> {
        Self::build(settings, dict).map_err(|e| match e {
            BuildError::Option(e) => e,
            BuildError::Dom => Error::InvalidOption {
                option: "container".into(),
                reason: "the widget could not be added to the page".into(),
            },
        })
    }

    fn build(settings: &Settings, dict: &Dictionary<'_>) -> Result<Self, BuildError> {
        let document = web_sys::window()
            .and_then(|w| w.document())
            .ok_or(BuildError::Dom)?;
        let id = NEXT_ID.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        let title_id = "latch-title-".to_owned() + &decimal(id.into());
        let panel = el(&document, "section", "latch")?;
        panel.set_attribute("aria-labelledby", &title_id)?;
        // The widget speaks its own language, whatever the page's (WCAG 3.1.2), and Arabic
        // lays out right to left.
        panel.set_attribute("lang", dict.language().tag())?;
        panel.set_attribute("dir", dict.language().direction())?;
        let (root, parent) = match settings.container.as_deref() {
            Some(container) => {
                let parent = document.get_element_by_id(container).ok_or_else(|| {
                    BuildError::Option(Error::InvalidOption {
                        option: "container".into(),
                        reason: "no element has the id `".to_owned() + container + "`",
                    })
                })?;
                panel.class_list().add_1("latch-inline")?;
                (panel.clone(), parent)
            }
            None => {
                let overlay = el(&document, "div", "latch-overlay")?;
                panel.set_attribute("role", "dialog")?;
                panel.set_attribute("aria-modal", "true")?;
                // Focusable by script only, so focus can move into the dialog at once.
                panel.set_attribute("tabindex", "-1")?;
                overlay.append_child(&panel)?;
                let body = document.body().ok_or(BuildError::Dom)?;
                (overlay, body.into())
            }
        };
        if let Some(color) = &settings.theme.primary_color {
            if let Some(html) = root.dyn_ref::<HtmlElement>() {
                html.style().set_property("--latch-primary", color)?;
            }
        }
        if settings.container.is_none() && settings.closable {
            let close = el(&document, "button", "latch-close")?;
            close.set_attribute("type", "button")?;
            close.set_attribute("data-action", "close")?;
            close.set_attribute("aria-label", dict.get("closeLabel"))?;
            close.set_text_content(Some("×"));
            panel.append_child(&close)?;
        }
        let header = el(&document, "header", "latch-header")?;
        if let Some(logo) = &settings.theme.logo {
            let img = el(&document, "img", "latch-logo")?;
            img.set_attribute("src", logo)?;
            img.set_attribute("alt", "")?;
            header.append_child(&img)?;
        }
        let title = el(&document, "h2", "latch-title")?;
        title.set_attribute("id", &title_id)?;
        title.set_text_content(Some(dict.get("title")));
        header.append_child(&title)?;
        panel.append_child(&header)?;
        let body = el(&document, "div", "latch-body")?;
        body.set_attribute("aria-live", "polite")?;
        panel.append_child(&body)?;
        parent.append_child(&root)?;
        let trap = if settings.container.is_none() {
            let return_to = document
                .active_element()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok());
            let inside = panel.clone();
            let keydown = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                keep_focus_inside(&inside, &event);
            });
            root.add_event_listener_with_callback("keydown", keydown.as_ref().unchecked_ref())?;
            if let Some(panel) = panel.dyn_ref::<HtmlElement>() {
                panel.focus()?;
            }
            Some(FocusTrap {
                _keydown: keydown,
                return_to,
            })
        } else {
            None
        };
        Ok(Self {
            document,
            root,
            body,
            trap,
        })
    }

    pub fn root(&self) -> &Element {
        &self.root
    }

    pub fn remove(&self) {
        self.root.remove();
        if let Some(to) = self.trap.as_ref().and_then(|t| t.return_to.as_ref()) {
            let _ = to.focus();
        }
    }

    fn replace_body(&self, children: &[Element]) {
        self.body.set_text_content(None);
        for c in children {
            let _ = self.body.append_child(c);
        }
    }

    fn status(&self, text: &str) -> Result<(), JsValue> {
        let p = el(&self.document, "p", "latch-status")?;
        p.set_text_content(Some(text));
        self.replace_body(&[p]);
        self.body.set_attribute("aria-busy", "true")
    }

    pub fn loading(&self, dict: &Dictionary<'_>) {
        let _ = self.status(dict.get("loadingLabel"));
    }

    pub fn redirecting(&self, dict: &Dictionary<'_>, connection: &str) {
        let _ = self.status(&dict.fill("redirectingLabel", connection));
    }

    pub fn signing_in(&self, dict: &Dictionary<'_>) {
        let _ = self.status(dict.get("signingInLabel"));
    }

    pub fn error(&self, dict: &Dictionary<'_>, message: &str) {
        let _ = (|| -> Result<(), JsValue> {
            let box_ = el(&self.document, "div", "latch-error")?;
            box_.set_attribute("role", "alert")?;
            let title = el(&self.document, "p", "latch-error-title")?;
            title.set_text_content(Some(dict.get("errorTitle")));
            let detail = el(&self.document, "p", "latch-error-detail")?;
            detail.set_text_content(Some(message));
            let retry = el(&self.document, "button", "latch-retry")?;
            retry.set_attribute("type", "button")?;
            retry.set_attribute("data-action", "retry")?;
            retry.set_text_content(Some(dict.get("retryLabel")));
            box_.append_child(&title)?;
            box_.append_child(&detail)?;
            box_.append_child(&retry)?;
            self.replace_body(&[box_]);
            self.body.remove_attribute("aria-busy")
        })();
    }

    /// One button per connection, social first then enterprise, as Lock groups them; above
    /// them the connection used last time (`rememberLastLogin`) and, when any connection
    /// claims email domains, the email form of home realm discovery.
    pub fn connections(
        &self,
        dict: &Dictionary<'_>,
        list: &[Connection],
        theme: &ThemeOptions,
        last: Option<&str>,
    ) {
        let _ = (|| -> Result<(), JsValue> {
            let mut parts = Vec::new();
            let remembered = last
                .and_then(|name| list.iter().find(|c| c.name.as_str() == name))
                .filter(|c| c.verdict().is_ok());
            if let Some(c) = remembered {
                let group = el(&self.document, "div", "latch-group latch-last-login")?;
                let button = self.button(dict, c, theme)?;
                button.class_list().add_1("latch-last")?;
                let label = theme_name(theme, c);
                button.set_text_content(Some(&dict.fill("lastLoginLabel", &label)));
                group.append_child(&button)?;
                parts.push(group);
            }
            if list.iter().any(|c| !c.domains.is_empty()) {
                parts.push(self.email_form(dict, theme)?);
            }
            for (kind, label) in [
                (ConnectionKind::Social, "socialGroupLabel"),
                (ConnectionKind::Enterprise, "enterpriseGroupLabel"),
                (ConnectionKind::Database, ""),
                (ConnectionKind::Passwordless, ""),
            ] {
                let members: Vec<&Connection> = list.iter().filter(|c| c.kind == kind).collect();
                if members.is_empty() {
                    continue;
                }
                let group = el(&self.document, "div", "latch-group")?;
                group.set_attribute("role", "group")?;
                group.set_attribute("data-kind", kind.as_str())?;
                if !label.is_empty() {
                    group.set_attribute("aria-label", dict.get(label))?;
                }
                for c in members {
                    let button = self.button(dict, c, theme)?;
                    group.append_child(&button)?;
                }
                parts.push(group);
            }
            self.replace_body(&parts);
            self.body.remove_attribute("aria-busy")
        })();
    }

    /// A connection's button: its icon (the app's, or its initial), its text, and when this
    /// widget cannot serve it, disabled with the reason.
    fn button(
        &self,
        dict: &Dictionary<'_>,
        c: &Connection,
        theme: &ThemeOptions,
    ) -> Result<Element, JsValue> {
        let button = el(&self.document, "button", "latch-connection")?;
        button.set_attribute("type", "button")?;
        button.set_attribute("data-connection", c.name.as_str())?;
        button.set_attribute("data-strategy", &c.strategy)?;
        let style = theme.button(c.name.as_str());
        if let (Some(b), Some(html)) = (style, button.dyn_ref::<HtmlElement>()) {
            // CSSOM, not a style attribute: allowed under a strict style-src.
            if let Some(color) = &b.primary_color {
                html.style().set_property("--latch-button-accent", color)?;
            }
            if let Some(color) = &b.foreground_color {
                html.style().set_property("--latch-button-fg", color)?;
            }
        }
        let icon = match style.and_then(|b| b.icon.as_deref()) {
            Some(src) => {
                let img = el(&self.document, "img", "latch-icon")?;
                img.set_attribute("src", src)?;
                img.set_attribute("alt", "")?;
                img
            }
            None => {
                let initial = el(&self.document, "span", "latch-icon")?;
                initial.set_attribute("aria-hidden", "true")?;
                let name = theme_name(theme, c);
                // ASCII case only: Unicode's case tables would cost the wasm kilobytes.
                let first: String = name
                    .chars()
                    .take(1)
                    .map(|c| c.to_ascii_uppercase())
                    .collect();
                initial.set_text_content(Some(&first));
                initial
            }
        };
        button.append_child(&icon)?;
        let text = el(&self.document, "span", "latch-label")?;
        text.set_text_content(Some(&dict.fill("loginWithLabel", &theme_name(theme, c))));
        button.append_child(&text)?;
        if let Err(unsupported) = c.verdict() {
            // Shown, never dropped, and never half-working: disabled, with why.
            button.set_attribute("disabled", "")?;
            button.class_list().add_1("latch-unsupported")?;
            let why = el(&self.document, "span", "latch-reason")?;
            why.set_text_content(Some(&unsupported_reason(dict, &unsupported)));
            button.append_child(&why)?;
        }
        Ok(button)
    }

    /// Home realm discovery: an email whose domain a connection claims goes to it.
    fn email_form(&self, dict: &Dictionary<'_>, theme: &ThemeOptions) -> Result<Element, JsValue> {
        let form = el(&self.document, "form", "latch-hrd")?;
        form.set_attribute("novalidate", "")?;
        let n = NEXT_ID.with(|n| {
            n.set(n.get() + 1);
            n.get()
        });
        // Built without formatting machinery, which would cost the wasm bytes.
        let id = "latch-email-".to_owned() + &decimal(u64::from(n));
        let label = el(&self.document, "label", "latch-hrd-label")?;
        label.set_attribute("for", &id)?;
        label.set_text_content(Some(dict.get("emailLabel")));
        let input = el(&self.document, "input", "latch-hrd-email")?;
        input.set_attribute("id", &id)?;
        input.set_attribute("type", "email")?;
        input.set_attribute("name", "email")?;
        input.set_attribute("autocomplete", "email")?;
        input.set_attribute("spellcheck", "false")?;
        let submit = el(&self.document, "button", "latch-hrd-submit")?;
        submit.set_attribute("type", "submit")?;
        if theme.labeled_submit_button == Some(false) {
            submit.set_attribute("aria-label", dict.get("continueLabel"))?;
            submit.set_text_content(Some("→"));
        } else {
            submit.set_text_content(Some(dict.get("continueLabel")));
        }
        let message = el(&self.document, "p", "latch-hrd-message")?;
        message.set_attribute("role", "status")?;
        form.append_child(&label)?;
        form.append_child(&input)?;
        form.append_child(&submit)?;
        form.append_child(&message)?;
        Ok(form)
    }

    /// Says under the email form that no connection claims that domain.
    pub fn no_connection_for_email(&self, dict: &Dictionary<'_>) {
        if let Ok(Some(message)) = self.body.query_selector(".latch-hrd-message") {
            message.set_text_content(Some(dict.get("hrdNoMatchLabel")));
        }
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
pub fn unsupported_reason(dict: &Dictionary<'_>, u: &Unsupported) -> String {
    if !u.missing.is_empty() {
        return dict.fill("unsupportedCapabilityLabel", &u.missing.join(", "));
    }
    match (&u.required, &u.unreadable) {
        (Some(required), None) => dict.fill("unsupportedVersionLabel", required),
        _ => u.reason(),
    }
}

enum BuildError {
    Option(Error),
    Dom,
}

impl From<JsValue> for BuildError {
    fn from(_: JsValue) -> Self {
        BuildError::Dom
    }
}
