// The widget's DOM, drawn from what the wasm decided (`LatchCore.frame` and
// `LatchCore.buttons`, see src/core/view.rs): the texts in the widget's language, the
// buttons and their verdicts. Every string goes in with textContent or setAttribute, never
// as HTML, so connection names, display names and error descriptions from the network stay
// text. All looks come from the stylesheet (latch.css) through CSS custom properties.

let ids = 0;

/** What Tab can reach inside the widget. */
const FOCUSABLE = "button:not([disabled]), [href], input:not([disabled]), [tabindex]:not([tabindex='-1'])";

function el(tag, className, attributes = {}, text) {
  const element = document.createElement(tag);
  element.className = className;
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  if (text !== undefined) element.textContent = text;
  return element;
}

export class View {
  #frame;
  #body;
  /** The element that had focus before the modal opened: it gets it back. */
  #returnTo = null;

  /** Puts the panel on the page: into `frame.container` (its element must exist: the wasm
   *  checked), else as a modal dialog over the page. */
  constructor(frame) {
    this.#frame = frame;
    const titleId = `latch-title-${++ids}`;
    // The widget speaks its own language, whatever the page's (WCAG 3.1.2), and Arabic lays
    // out right to left.
    const panel = el('section', 'latch', { 'aria-labelledby': titleId, lang: frame.lang, dir: frame.dir });
    const inline = frame.container !== undefined;
    let parent;
    if (inline) {
      parent = document.getElementById(frame.container);
      panel.classList.add('latch-inline');
      this.root = panel;
    } else {
      parent = document.body;
      // Focusable by script only, so focus can move into the dialog at once.
      for (const [name, value] of [['role', 'dialog'], ['aria-modal', 'true'], ['tabindex', '-1']]) {
        panel.setAttribute(name, value);
      }
      this.root = el('div', 'latch-overlay');
      this.root.append(panel);
    }
    if (frame.primaryColor !== undefined) this.root.style.setProperty('--latch-primary', frame.primaryColor);
    if (frame.closable) {
      panel.append(el('button', 'latch-close', { type: 'button', 'data-action': 'close', 'aria-label': frame.closeLabel }, '×'));
    }
    const header = el('header', 'latch-header');
    if (frame.logo !== undefined) header.append(el('img', 'latch-logo', { src: frame.logo, alt: '' }));
    header.append(el('h2', 'latch-title', { id: titleId }, frame.title));
    this.#body = el('div', 'latch-body', { 'aria-live': 'polite' });
    panel.append(header, this.#body);
    parent.append(this.root);
    if (!inline) {
      // The modal keeps focus (WAI-ARIA dialog pattern): Tab and Shift+Tab stay inside.
      this.#returnTo = document.activeElement;
      this.root.addEventListener('keydown', (event) => keepFocusInside(panel, event));
      panel.focus();
    }
  }

  remove() {
    this.root.remove();
    this.#returnTo?.focus?.();
  }

  loading() {
    this.status(this.#frame.loadingLabel);
  }

  signingIn() {
    this.status(this.#frame.signingInLabel);
  }

  /** A busy line of text ("Redirecting to …"). */
  status(text) {
    this.#body.replaceChildren(el('p', 'latch-status', {}, text));
    this.#body.setAttribute('aria-busy', 'true');
  }

  error(message) {
    const box = el('div', 'latch-error', { role: 'alert' });
    box.append(
      el('p', 'latch-error-title', {}, this.#frame.errorTitle),
      el('p', 'latch-error-detail', {}, message),
      el('button', 'latch-retry', { type: 'button', 'data-action': 'retry' }, this.#frame.retryLabel),
    );
    this.#show(box);
  }

  /** The connections as `LatchCore.buttons` laid them out: the last login, the email form
   *  (home realm discovery), then one group per kind. */
  buttons({ last, email, groups }) {
    const parts = [];
    if (last) {
      const button = connectionButton(last);
      button.classList.add('latch-last');
      button.textContent = last.label;
      const group = el('div', 'latch-group latch-last-login');
      group.append(button);
      parts.push(group);
    }
    if (email) parts.push(this.#emailForm());
    for (const { kind, label, buttons } of groups) {
      const group = el('div', 'latch-group', { role: 'group', 'data-kind': kind });
      if (label !== undefined) group.setAttribute('aria-label', label);
      group.append(...buttons.map(connectionButton));
      parts.push(group);
    }
    this.#show(...parts);
  }

  /** Says under the email form that no connection claims that domain. */
  noMatch() {
    const message = this.#body.querySelector('.latch-hrd-message');
    if (message) message.textContent = this.#frame.hrdNoMatchLabel;
  }

  #show(...parts) {
    this.#body.replaceChildren(...parts);
    this.#body.removeAttribute('aria-busy');
  }

  #emailForm() {
    const id = `latch-email-${++ids}`;
    const form = el('form', 'latch-hrd', { novalidate: '' });
    const submit = el('button', 'latch-hrd-submit', { type: 'submit' });
    if (this.#frame.labeledSubmitButton) {
      submit.textContent = this.#frame.continueLabel;
    } else {
      submit.setAttribute('aria-label', this.#frame.continueLabel);
      submit.textContent = '→';
    }
    form.append(
      el('label', 'latch-hrd-label', { for: id }, this.#frame.emailLabel),
      el('input', 'latch-hrd-email', { id, type: 'email', name: 'email', autocomplete: 'email', spellcheck: 'false' }),
      submit,
      el('p', 'latch-hrd-message', { role: 'status' }),
    );
    return form;
  }
}

/** A connection's button: its icon (the app's, or its initial), its text, and when this
 *  widget cannot serve it, disabled with the reason (shown, never dropped, never
 *  half-working). */
function connectionButton({ connection, strategy, label, icon, initial, accent, foreground, reason }) {
  const button = el('button', 'latch-connection', { type: 'button', 'data-connection': connection, 'data-strategy': strategy });
  // CSSOM, not a style attribute: allowed under a strict style-src.
  if (accent !== undefined) button.style.setProperty('--latch-button-accent', accent);
  if (foreground !== undefined) button.style.setProperty('--latch-button-fg', foreground);
  button.append(
    icon !== undefined
      ? el('img', 'latch-icon', { src: icon, alt: '' })
      : el('span', 'latch-icon', { 'aria-hidden': 'true' }, initial),
    el('span', 'latch-label', {}, label),
  );
  if (reason !== undefined) {
    button.disabled = true;
    button.classList.add('latch-unsupported');
    button.append(el('span', 'latch-reason', {}, reason));
  }
  return button;
}

/** Wraps Tab from the last control to the first and Shift+Tab from the first to the last. */
function keepFocusInside(panel, event) {
  if (event.key !== 'Tab') return;
  const all = panel.querySelectorAll(FOCUSABLE);
  const first = all[0];
  const last = all[all.length - 1];
  if (!first) {
    event.preventDefault();
    return;
  }
  const active = document.activeElement;
  const outside = !panel.contains(active) || active === panel;
  if (event.shiftKey && (active === first || outside)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || outside)) {
    event.preventDefault();
    first.focus();
  }
}
