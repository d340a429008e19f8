// latch-login/element (pkg/element.mjs; in pkg/latch-element.js for a classic script tag): the
// `<latch-login>` custom element, one widget in its place for plain HTML and any framework.
// A thin class over `Latch`: its attributes and `options` property are put together as the
// options of `new Latch(clientId, domain, options)`, the widget's events are dispatched on the
// element as DOM CustomEvents (`event.detail` is the payload), and it leaves with the element.
// Every rule (what an option means, whether it is valid) is the wasm's: a bad one is an
// `unrecoverable_error` event naming it, as for `new Latch`. Nothing here runs unless a page
// imports it: the package's main entry does not.
import { Latch } from './latch-login.mjs';

/** The attributes; the rest of the options go in the `options` property. */
const ATTRIBUTES = ['client-id', 'domain', 'redirect-url', 'connections', 'language', 'theme-color', 'inline'];

/** The widget's events (LatchEvents in the types, the core's Event::ALL: element.test.mjs
 *  holds this list to them), each dispatched under its own name. */
const EVENTS = [
  'show', 'hide', 'signin ready', 'forgot_password ready', 'hash_parsed', 'authenticated',
  'authorization_error', 'unrecoverable_error', 'unsupported_connection', 'signed_out',
  'renewed', 'renewal_error',
];

let made = 0;

/** `options` with the attributes that are set over it (an attribute wins over the same
 *  option); `container` the element's own box when `inline`. */
function optionsOf(element, container) {
  const options = { ...element.options };
  const attribute = (name) => element.getAttribute(name) ?? undefined;
  const redirectUrl = attribute('redirect-url');
  if (redirectUrl !== undefined) options.auth = { ...options.auth, redirectUrl };
  const connections = attribute('connections');
  if (connections !== undefined) options.allowedConnections = connections.split(/[\s,]+/).filter(Boolean);
  const language = attribute('language');
  if (language !== undefined) options.language = language;
  const primaryColor = attribute('theme-color');
  if (primaryColor !== undefined) options.theme = { ...options.theme, primaryColor };
  if (container !== undefined) options.container = container;
  return options;
}

/** Defined where there is a DOM only: importing this module on a server does nothing. */
export const LatchLoginElement = typeof HTMLElement === 'undefined' ? undefined : class LatchLoginElement extends HTMLElement {
  static observedAttributes = ATTRIBUTES;

  #options = {};
  #latch = null;
  #unsubscribe = [];
  #box = null;
  #due = false;

  /** Every option of `new Latch` that has no attribute (`connections`, `auth`, `theme`, ...). */
  get options() {
    return this.#options;
  }

  set options(options) {
    this.#options = options ?? {};
    this.#renderSoon();
  }

  /** The widget the element shows now (a new one after each change), for its methods:
   *  `getTokenSilently()`, `logout()`, `getUser()`, ... Null while the element is not in a
   *  document. */
  get latch() {
    return this.#latch;
  }

  /** Shows the widget (a modal unless `inline`, which shows it in place by itself). */
  show(options) {
    this.#latch?.show(options);
  }

  hide() {
    this.#latch?.hide();
  }

  connectedCallback() {
    this.#renderSoon();
  }

  disconnectedCallback() {
    this.#leave();
  }

  attributeChangedCallback(_name, before, now) {
    if (before !== now) this.#renderSoon();
  }

  /** Once for all the changes of a task: a page that sets three attributes in a row makes one
   *  widget, not three. */
  #renderSoon() {
    if (this.#due) return;
    this.#due = true;
    queueMicrotask(() => {
      this.#due = false;
      if (this.isConnected) this.#render();
    });
  }

  #render() {
    this.#leave();
    let container;
    if (this.hasAttribute('inline')) {
      this.#box = document.createElement('div');
      this.#box.id = container = `latch-login-${++made}`;
      this.append(this.#box);
    }
    const latch = new Latch(this.getAttribute('client-id'), this.getAttribute('domain'), optionsOf(this, container));
    this.#latch = latch;
    for (const name of EVENTS) {
      this.#unsubscribe.push(latch.on(name, (detail) => this.dispatchEvent(new CustomEvent(name, { detail }))));
    }
    if (container !== undefined) latch.show();
  }

  /** The widget's panel and box out of the page, and none of its events heard any more. */
  #leave() {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#latch?.hide();
    this.#latch = null;
    this.#box?.remove();
    this.#box = null;
  }
};

if (LatchLoginElement && !customElements.get('latch-login')) customElements.define('latch-login', LatchLoginElement);
