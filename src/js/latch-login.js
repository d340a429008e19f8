// latch-login: the page-facing class. `new Latch(clientId, domain, options)` is usable at
// once; the wasm loads in the background and every call waits for it. Event listeners live
// here, so `on()` works before the wasm is ready and no event is missed.
import init, { LatchCore } from './latch_login.js';

const VERSION = '__LATCH_VERSION__';
const EVENTS = [
  'show',
  'hide',
  'signin ready',
  'authenticated',
  'authorization_error',
  'unrecoverable_error',
  'unsupported_connection',
];

let loading;
function load() {
  loading ??= init({ module_or_path: new URL('latch_login_bg.wasm', import.meta.url) });
  return loading;
}

function addStylesheet() {
  if (typeof document === 'undefined' || document.querySelector('link[data-latch-login]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = new URL('latch.css', import.meta.url).href;
  link.setAttribute('data-latch-login', '');
  document.head.append(link);
}

/** Registers the form_post service worker for the redirect URL's folder and resolves once it
 *  is active, so a front-channel provider's POST is caught before the user is sent away. */
async function formPostWorker(workerUrl, redirectUrl) {
  if (!globalThis.isSecureContext) {
    throw new Error('front-channel (form_post) logins need a secure context: https, or http://localhost');
  }
  if (!navigator.serviceWorker) {
    throw new Error('front-channel (form_post) logins need service workers, which this browser does not offer here');
  }
  const scope = new URL('.', redirectUrl).href;
  const registration = await navigator.serviceWorker.register(workerUrl, { scope });
  if (registration.active) return;
  const worker = registration.installing ?? registration.waiting;
  await new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      if (worker.state === 'redundant') reject(new Error('the form_post service worker failed to start'));
    });
  });
}

function asError(thrown) {
  if (thrown && typeof thrown === 'object' && 'error' in thrown) return thrown;
  return { error: 'internal_error', errorDescription: String(thrown?.message ?? thrown) };
}

export class Latch {
  static version = VERSION;

  #listeners = new Map();
  #core;
  #formPost;
  #user = null;

  constructor(clientId, domain, options = {}) {
    if (options?.stylesheet !== false) addStylesheet();
    const workerUrl = options?.auth?.serviceWorkerUrl ?? new URL('latch-sw.js', import.meta.url).href;
    this.#formPost = (redirectUrl) => formPostWorker(workerUrl, redirectUrl);
    this.#core = load().then(() => {
      const core = new LatchCore(
        String(clientId),
        String(domain ?? ''),
        options,
        (name, payload) => this.#emit(name, payload),
        (redirectUrl) => this.#formPost(redirectUrl),
      );
      if (options?.auth?.autoParseHash !== false) core.resumeAuth();
      return core;
    });
    this.#core.catch((thrown) => {
      const error = asError(thrown);
      console.error(`latch-login: ${error.errorDescription}`);
      this.#emit('unrecoverable_error', error);
    });
  }

  /** Subscribes to an event; returns the function that unsubscribes. */
  on(event, fn) {
    if (!EVENTS.includes(event)) throw new TypeError(`latch-login: unknown event "${event}"`);
    if (typeof fn !== 'function') throw new TypeError('latch-login: on() needs a function');
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(fn);
    return () => this.#listeners.get(event)?.delete(fn);
  }

  show() {
    this.#call((core) => core.show());
  }

  hide() {
    this.#call((core) => core.hide());
  }

  /** Handles an authorization response in the URL (done on construction unless
   *  `auth.autoParseHash` is false), or in `params` when given: a server-rendered page can
   *  pass the form_post body it received. Resolves to whether there was one. */
  resumeAuth(params) {
    return this.#core.then((core) => core.resumeAuth(params === undefined ? undefined : String(params)));
  }

  /** The profile of this page's login, or null. */
  getUser() {
    return this.#user;
  }

  /** Resolves to an authorize link for a custom login button. */
  authorizeUrl({ connection, appState } = {}) {
    return this.#core.then((core) => core.authorizeUrl(String(connection), appState));
  }

  /** Sends the user to log in with `connection`. */
  login({ connection, appState } = {}) {
    this.#call((core) => core.login(String(connection), appState));
  }

  /** Logs out at the provider (its end_session_endpoint, or the broker's /v2/logout) and
   *  comes back to `returnTo`. */
  logout({ returnTo } = {}) {
    this.#user = null;
    return this.#core.then((core) => core.logout(returnTo));
  }

  #call(fn) {
    this.#core.then(
      (core) => {
        try {
          fn(core);
        } catch (thrown) {
          this.#emit('unrecoverable_error', asError(thrown));
        }
      },
      () => {}, // construction failed: already reported as unrecoverable_error
    );
  }

  #emit(name, payload) {
    if (name === 'authenticated') this.#user = payload?.profile ?? null;
    for (const fn of this.#listeners.get(name) ?? []) {
      try {
        fn(payload);
      } catch (thrown) {
        // An app handler that throws must not break the widget or the other handlers.
        (globalThis.reportError ?? console.error)(thrown);
      }
    }
  }
}

export default Latch;
