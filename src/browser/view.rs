//! The widget's DOM, built from what the core decided ([`crate::core::view`]): the texts in
//! the widget's language, the buttons and their verdicts. Every string goes in with
//! `textContent` or `setAttribute`, never as HTML, so connection names, display names and
//! error descriptions from the network stay text. All looks come from the stylesheet
//! (latch.css) through CSS custom properties, set through the CSSOM (allowed under a strict
//! `style-src`).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, KeyboardEvent};

use crate::core::view::{Button, Buttons, Frame};

pub use super::cleanup::Listener;
use super::page::document;

thread_local! {
    static IDS: Cell<u32> = const { Cell::new(0) };
}

fn next_id(prefix: &str) -> String {
    let id = IDS.with(|ids| {
        ids.set(ids.get() + 1);
        ids.get()
    });
    [prefix, &id.to_string()].concat()
}

/// What the user asked of the panel.
pub enum Action {
    Connection(String),
    Retry,
    Close,
    /// The email of home realm discovery.
    Email(String),
    /// The "Sign up" link: the database connection, at the hosted page's sign-up form.
    SignUp,
}

/// An element with `class`, its attributes and its text.
fn el(tag: &str, class: &str, attributes: &[(&str, &str)], text: Option<&str>) -> Option<Element> {
    let element = document()?.create_element(tag).ok()?;
    element.set_class_name(class);
    for (name, value) in attributes {
        let _ = element.set_attribute(name, value);
    }
    if let Some(text) = text {
        element.set_text_content(Some(text));
    }
    Some(element)
}

/// Appends `child` to `parent`; none when either is missing.
fn append(parent: &Element, child: Option<Element>) -> Option<()> {
    let child = child?;
    parent.append_child(&child).ok().map(|_| ())
}

fn set_property(element: &Element, name: &str, value: &str) {
    if let Some(html) = element.dyn_ref::<HtmlElement>() {
        let _ = html.style().set_property(name, value);
    }
}

/// What Tab can reach inside the widget.
const FOCUSABLE: &str =
    "button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex='-1'])";

pub struct View {
    /// The overlay of a modal, or the panel itself inline.
    pub root: Element,
    body: Element,
    frame: Frame,
    /// The element that had focus before the modal opened: it gets it back.
    return_to: Option<HtmlElement>,
    _listeners: Vec<Listener>,
}

impl View {
    /// Puts the panel on the page: into `frame.container` (its element must exist), else as a
    /// modal dialog over the page. `act` hears what the user asks of it.
    pub fn new(frame: Frame, act: Rc<dyn Fn(Action)>) -> Option<View> {
        let document = document()?;
        let title_id = next_id("latch-title-");
        // The widget speaks its own language, whatever the page's (WCAG 3.1.2), and Arabic lays
        // out right to left.
        let panel = el(
            "section",
            "latch",
            &[
                ("aria-labelledby", &title_id),
                ("lang", frame.lang),
                ("dir", frame.dir),
            ],
            None,
        )?;
        let (parent, root) = match &frame.container {
            Some(id) => {
                let parent = document.get_element_by_id(id)?;
                let _ = panel.class_list().add_1("latch-inline");
                (parent, panel.clone())
            }
            None => {
                // Focusable by script only, so focus can move into the dialog at once.
                for (name, value) in [
                    ("role", "dialog"),
                    ("aria-modal", "true"),
                    ("tabindex", "-1"),
                ] {
                    let _ = panel.set_attribute(name, value);
                }
                let overlay = el("div", "latch-overlay", &[], None)?;
                let _ = overlay.append_child(&panel);
                (document.body()?.into(), overlay)
            }
        };
        if let Some(color) = &frame.primary_color {
            set_property(&root, "--latch-primary", color);
        }
        if frame.closable {
            let close = el(
                "button",
                "latch-close",
                &[
                    ("type", "button"),
                    ("data-action", "close"),
                    ("aria-label", &frame.close_label),
                ],
                Some("×"),
            )?;
            let _ = panel.append_child(&close);
        }
        let header = el("header", "latch-header", &[], None)?;
        if let Some(logo) = &frame.logo {
            append(
                &header,
                el("img", "latch-logo", &[("src", logo), ("alt", "")], None),
            )?;
        }
        append(
            &header,
            el(
                "h2",
                "latch-title",
                &[("id", &title_id)],
                Some(&frame.title),
            ),
        )?;
        let body = el("div", "latch-body", &[("aria-live", "polite")], None)?;
        let _ = panel.append_child(&header);
        if let Some(flash) = &frame.flash {
            append(
                &panel,
                el("p", flash.class, &[("role", flash.role)], Some(&flash.text)),
            )?;
        }
        let _ = panel.append_child(&body);
        let _ = parent.append_child(&root);

        let mut listeners = Vec::new();
        let on_click = act.clone();
        listeners.push(Listener::new(&root, "click", move |event: Event| {
            let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let Ok(Some(control)) = target.closest("[data-connection],[data-action]") else {
                return;
            };
            if let Some(connection) = control.get_attribute("data-connection") {
                on_click(Action::Connection(connection));
            } else {
                match control.get_attribute("data-action").as_deref() {
                    Some("retry") => on_click(Action::Retry),
                    Some("close") => on_click(Action::Close),
                    Some("sign-up") => on_click(Action::SignUp),
                    _ => {}
                }
            }
        }));
        let on_submit = act.clone();
        let submit_root = root.clone();
        listeners.push(Listener::new(&root, "submit", move |event: Event| {
            // Home realm discovery: the email's domain picks the connection.
            event.prevent_default();
            let email = submit_root
                .query_selector(".latch-hrd-email")
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                .map(|input| input.value());
            if let Some(email) = email {
                on_submit(Action::Email(email));
            }
        }));
        let on_key = act;
        let key_panel = panel.clone();
        let modal = frame.container.is_none();
        listeners.push(Listener::new(&root, "keydown", move |event: Event| {
            let Some(key) = event.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            if key.key() == "Escape" {
                // Escape closes a modal that has a close button.
                if key_panel
                    .query_selector("[data-action=\"close\"]")
                    .ok()
                    .flatten()
                    .is_some()
                {
                    on_key(Action::Close);
                }
            } else if key.key() == "Tab" && modal {
                keep_focus_inside(&key_panel, key);
            }
        }));
        let return_to = match modal {
            true => document
                .active_element()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok()),
            false => None,
        };
        if modal {
            if let Some(panel) = panel.dyn_ref::<HtmlElement>() {
                let _ = panel.focus();
            }
        }
        Some(View {
            root,
            body,
            frame,
            return_to,
            _listeners: listeners,
        })
    }

    pub fn remove(&self) {
        self.root.remove();
        if let Some(element) = &self.return_to {
            let _ = element.focus();
        }
    }

    pub fn loading(&self) {
        self.status(&self.frame.loading_label.clone());
    }

    pub fn signing_in(&self) {
        self.status(&self.frame.signing_in_label.clone());
    }

    /// A busy line of text ("Redirecting to …").
    pub fn status(&self, text: &str) {
        if let Some(line) = el("p", "latch-status", &[], Some(text)) {
            self.show(&[line]);
        }
        let _ = self.body.set_attribute("aria-busy", "true");
    }

    pub fn error(&self, message: &str) {
        let parts = (|| {
            let alert = el("div", "latch-error", &[("role", "alert")], None)?;
            append(
                &alert,
                el("p", "latch-error-title", &[], Some(&self.frame.error_title)),
            )?;
            append(&alert, el("p", "latch-error-detail", &[], Some(message)))?;
            append(
                &alert,
                el(
                    "button",
                    "latch-retry",
                    &[("type", "button"), ("data-action", "retry")],
                    Some(&self.frame.retry_label),
                ),
            )?;
            Some(alert)
        })();
        if let Some(alert) = parts {
            self.show(&[alert]);
        }
    }

    /// The connections as the core laid them out: the last login, the email form (home realm
    /// discovery), then one group per kind.
    pub fn buttons(&self, model: &Buttons) {
        let mut parts = Vec::new();
        if let Some(last) = &model.last {
            if let (Some(group), Some(button)) = (
                el("div", "latch-group latch-last-login", &[], None),
                connection_button(last),
            ) {
                let _ = button.class_list().add_1("latch-last");
                button.set_text_content(Some(&last.label));
                let _ = group.append_child(&button);
                parts.push(group);
            }
        }
        if model.email {
            parts.extend(self.email_form());
        }
        if model.sign_up {
            parts.extend(el(
                "button",
                "latch-sign-up",
                &[("type", "button"), ("data-action", "sign-up")],
                Some(&self.frame.sign_up_label),
            ));
        }
        for group in &model.groups {
            let Some(element) = el(
                "div",
                "latch-group",
                &[("role", "group"), ("data-kind", group.kind)],
                None,
            ) else {
                continue;
            };
            if let Some(label) = &group.label {
                let _ = element.set_attribute("aria-label", label);
            }
            for button in group.buttons.iter().filter_map(connection_button) {
                let _ = element.append_child(&button);
            }
            parts.push(element);
        }
        self.show(&parts);
    }

    /// Says under the email form that no connection claims that domain.
    pub fn no_match(&self) {
        if let Ok(Some(message)) = self.body.query_selector(".latch-hrd-message") {
            message.set_text_content(Some(&self.frame.hrd_no_match_label));
        }
    }

    fn show(&self, parts: &[Element]) {
        self.body.set_text_content(None);
        for part in parts {
            let _ = self.body.append_child(part);
        }
        let _ = self.body.remove_attribute("aria-busy");
    }

    fn email_form(&self) -> Option<Element> {
        let id = next_id("latch-email-");
        let form = el("form", "latch-hrd", &[("novalidate", "")], None)?;
        let submit = el("button", "latch-hrd-submit", &[("type", "submit")], None)?;
        if self.frame.labeled_submit_button {
            submit.set_text_content(Some(&self.frame.continue_label));
        } else {
            let _ = submit.set_attribute("aria-label", &self.frame.continue_label);
            submit.set_text_content(Some("→"));
        }
        append(
            &form,
            el(
                "label",
                "latch-hrd-label",
                &[("for", &id)],
                Some(&self.frame.email_label),
            ),
        )?;
        append(
            &form,
            el(
                "input",
                "latch-hrd-email",
                &[
                    ("id", &id),
                    ("type", "email"),
                    ("name", "email"),
                    ("autocomplete", "email"),
                    ("spellcheck", "false"),
                ],
                None,
            ),
        )?;
        let _ = form.append_child(&submit);
        append(
            &form,
            el("p", "latch-hrd-message", &[("role", "status")], None),
        )?;
        Some(form)
    }
}

/// A connection's button: its icon (the app's, or its initial), its text, and when this
/// widget cannot serve it, disabled with the reason (shown, never dropped, never
/// half-working).
fn connection_button(b: &Button) -> Option<Element> {
    let button = el(
        "button",
        "latch-connection",
        &[
            ("type", "button"),
            ("data-connection", &b.connection),
            ("data-strategy", &b.strategy),
        ],
        None,
    )?;
    if let Some(accent) = &b.accent {
        set_property(&button, "--latch-button-accent", accent);
    }
    if let Some(foreground) = &b.foreground {
        set_property(&button, "--latch-button-fg", foreground);
    }
    let icon = match (&b.icon, &b.mark) {
        (Some(src), _) => el("img", "latch-icon", &[("src", src), ("alt", "")], None)?,
        (None, Some(mark)) => brand_mark(mark)?,
        (None, None) => el(
            "span",
            "latch-icon",
            &[("aria-hidden", "true")],
            b.initial.as_deref(),
        )?,
    };
    let _ = button.append_child(&icon);
    append(&button, el("span", "latch-label", &[], Some(&b.label)))?;
    if let Some(reason) = &b.reason {
        let _ = button.set_attribute("disabled", "");
        let _ = button.class_list().add_1("latch-unsupported");
        append(&button, el("span", "latch-reason", &[], Some(reason)))?;
    }
    Some(button)
}

/// The brand's mark, an image whose file (next to the widget) is found, and so fetched, only
/// now that its button is drawn; its URL is set as the image's `src`, never as markup.
fn brand_mark(path: &str) -> Option<Element> {
    let img = el("img", "latch-icon latch-mark", &[("alt", "")], None)?;
    super::assets::show_image(path, &img);
    Some(img)
}

/// Wraps Tab from the last control to the first and Shift+Tab from the first to the last
/// (the WAI-ARIA dialog pattern).
fn keep_focus_inside(panel: &Element, event: &KeyboardEvent) {
    let Ok(all) = panel.query_selector_all(FOCUSABLE) else {
        return;
    };
    let count = all.length();
    let (Some(first), Some(last)) = (all.item(0), count.checked_sub(1).and_then(|i| all.item(i)))
    else {
        event.prevent_default();
        return;
    };
    let active = document().and_then(|d| d.active_element());
    let active_node: Option<&web_sys::Node> = active.as_ref().map(|a| a.as_ref());
    let outside = active_node
        .is_none_or(|a| !panel.contains(Some(a)) || a == panel.as_ref() as &web_sys::Node);
    let focus = |node: web_sys::Node| {
        if let Ok(element) = node.dyn_into::<HtmlElement>() {
            let _ = element.focus();
        }
    };
    let is = |node: &web_sys::Node| active_node.is_some_and(|a| a == node);
    if event.shift_key() && (is(&first) || outside) {
        event.prevent_default();
        focus(last);
    } else if !event.shift_key() && (is(&last) || outside) {
        event.prevent_default();
        focus(first);
    }
}
