// latch-login: the page-facing class. `new Latch(clientId, domain, options)` is usable at
// once; the wasm loads in the background and every call waits for it. Event listeners live
// here, so `on()` works before the wasm is ready and no event is missed.
import initWasm, { LatchCore, supports as verdictOf } from './latch_login.js';

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
function load(wasmUrl = new URL('latch_login_bg.wasm', import.meta.url)) {
  loading ??= initWasm({ module_or_path: wasmUrl });
  return loading;
}

/**
 * Loads the widget's wasm from `wasmUrl` (a URL, a Response or a WebAssembly.Module) instead
 * of `latch_login_bg.wasm` next to this script: for apps that host it elsewhere. Call it
 * before the first `new Latch(...)`; later calls return the load already under way.
 */
export function init(wasmUrl) {
  return load(wasmUrl).then(() => undefined);
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

/**
 * Where the client configuration will be read from, worked out as the wasm does (Lock's
 * `{configurationBaseUrl, else https://domain}/client/{clientId}.json`), so that its request
 * can start while the wasm is still loading. A guess and no more: the wasm uses the response
 * only when this URL equals its own, and fetches for itself otherwise. Never plain http
 * except on loopback, and nothing without a domain (direct connections only).
 */
function configurationUrl(clientId, domain, options) {
  if (!domain || typeof domain !== 'string') return null;
  try {
    const base = options?.configurationBaseUrl ?? (domain.includes('://') ? domain : `https://${domain}`);
    const url = new URL(`${String(base).trim().replace(/\/+$/, '')}/client/${encodeURIComponent(clientId)}.json`);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback) ? url.href : null;
  } catch {
    return null;
  }
}

const TOKEN_STORAGES = ['memory', 'sessionStorage'];

/** Reads a base64url JSON segment of a JWT; null when it is not one. */
function jsonSegment(segment) {
  try {
    const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

/** The tokens of a login as the app may keep them: what `authenticated` carried, with the
 *  moment they stop being good (the access token's `expiresIn`, else the ID token's `exp`). */
function sessionOf(payload) {
  const { idToken, accessToken, tokenType, scope, expiresIn, idTokenPayload, profile, connection } = payload;
  const expiresAt = typeof expiresIn === 'number'
    ? Date.now() + expiresIn * 1000
    : (idTokenPayload?.exp ?? 0) * 1000;
  return { idToken, accessToken, tokenType, scope, expiresAt, profile, connection };
}

function asError(thrown) {
  if (thrown && typeof thrown === 'object' && 'error' in thrown) return thrown;
  return { error: 'internal_error', errorDescription: String(thrown?.message ?? thrown) };
}

export class Latch {
  static version = VERSION;

  /**
   * The verdict this widget gives a connection described as in the client configuration
   * (`{ name, strategy, min_widget_version, requires }`), for custom buttons: resolves to
   * `{ supported, connection, strategy, required, actual, missing, reason }`.
   */
  static async supports(connection) {
    await load();
    return verdictOf(JSON.stringify(connection ?? {}));
  }

  /** See `init` above; here for the classic-script build, which has no named exports. */
  static init(wasmUrl) {
    return init(wasmUrl);
  }

  #listeners = new Map();
  #core;
  #configurationUrl;
  #prefetched = null;
  #formPost;
  #session = null;
  #sessionKey;
  #tokenStorage;
  #attached = new WeakSet();

  /**
   * The payload of a JWT (an access token, say) decoded for display, or null when the token
   * is not a JWT (opaque access tokens are common). NOT VERIFIED: nothing here checks the
   * signature, issuer, audience or expiry, so never base a decision on what it returns. The
   * ID token of `authenticated` is verified; this is for showing what is inside other tokens.
   */
  static decodeToken(token) {
    if (typeof token !== 'string') return null;
    const parts = token.split('.');
    if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return null;
    return jsonSegment(parts[0]) && jsonSegment(parts[1]);
  }

  constructor(clientId, domain, options = {}) {
    this.#sessionKey = `latch.session.${clientId}`;
    this.#tokenStorage = options?.auth?.tokenStorage ?? 'memory';
    if (!TOKEN_STORAGES.includes(this.#tokenStorage)) {
      const error = {
        error: 'invalid_option',
        errorDescription: `auth.tokenStorage: must be one of ${TOKEN_STORAGES.join(', ')}`,
      };
      this.#core = Promise.reject(error);
      this.#core.catch(() => {});
      queueMicrotask(() => {
        console.error(`latch-login: ${error.errorDescription}`);
        this.#emit('unrecoverable_error', error);
      });
      return;
    }
    this.#session = this.#restoreSession();
    if (options?.stylesheet !== false) addStylesheet();
    const workerUrl = options?.auth?.serviceWorkerUrl ?? new URL('latch-sw.js', import.meta.url).href;
    this.#formPost = (redirectUrl) => formPostWorker(workerUrl, redirectUrl);
    this.#configurationUrl = configurationUrl(String(clientId), domain, options);
    this.#core = load().then(() => {
      // From here on the wasm fetches the configuration itself: nothing more to start early.
      const early = this.#prefetched;
      this.#configurationUrl = null;
      this.#prefetched = null;
      const core = new LatchCore(
        String(clientId),
        String(domain ?? ''),
        options,
        (name, payload) => this.#emit(name, payload),
        (redirectUrl) => this.#formPost(redirectUrl),
        early,
      );
      if (options?.auth?.autoParseHash !== false) core.resumeAuth();
      return core;
    });
    this.#attachMarkup();
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
    this.#prefetch();
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

  /** The profile of this page session's login (kept across reloads only with
   *  `auth.tokenStorage: 'sessionStorage'`), or null. */
  getUser() {
    return this.#currentSession()?.profile ?? null;
  }

  /** `{ idToken, accessToken, tokenType, scope, expiresAt }` of this page session's login
   *  while they are good (`expiresAt` in milliseconds since the epoch), or null. */
  getTokens() {
    const session = this.#currentSession();
    if (!session) return null;
    const { idToken, accessToken, tokenType, scope, expiresAt } = session;
    return { idToken, accessToken, tokenType, scope, expiresAt };
  }

  /** Resolves to an authorize link for a custom login button. */
  authorizeUrl({ connection, appState } = {}) {
    this.#prefetch();
    return this.#core.then((core) => core.authorizeUrl(String(connection), appState));
  }

  /**
   * Makes any element of the page a login button for `connection` (an element or a CSS
   * selector); returns the function that undoes it. `<button data-latch-connection="acme">`
   * needs no code: such elements are wired up when the widget starts.
   */
  attach(element, { connection, appState } = {}) {
    const target = typeof element === 'string' ? document.querySelector(element) : element;
    if (!(target instanceof Element)) throw new TypeError('latch-login: attach() needs an element or a selector that finds one');
    if (typeof connection !== 'string' || connection === '') throw new TypeError('latch-login: attach() needs { connection }');
    const onClick = (event) => {
      event.preventDefault();
      this.login({ connection, appState });
    };
    target.addEventListener('click', onClick);
    return () => target.removeEventListener('click', onClick);
  }

  #attachMarkup() {
    if (typeof document === 'undefined') return;
    const wire = () => {
      for (const element of document.querySelectorAll('[data-latch-connection]')) {
        if (this.#attached.has(element)) continue;
        this.#attached.add(element);
        try {
          this.attach(element, { connection: element.getAttribute('data-latch-connection') });
        } catch (thrown) {
          console.warn(`${thrown.message}:`, element);
        }
      }
    };
    if (document.readyState === 'loading') {
      document.addEventListener('DOMContentLoaded', wire, { once: true });
    } else {
      wire();
    }
  }

  /** Sends the user to log in with `connection`. */
  login({ connection, appState } = {}) {
    this.#prefetch();
    this.#call((core) => core.login(String(connection), appState));
  }

  /** Logs out at the provider (its end_session_endpoint, or the broker's /v2/logout) and
   *  comes back to `returnTo`. */
  logout({ returnTo } = {}) {
    this.#forgetSession();
    return this.#core.then((core) => core.logout(returnTo));
  }

  /** A call that will need the client configuration came before the wasm was ready: its
   *  request starts now, in parallel with the wasm, rather than after it. */
  #prefetch() {
    if (this.#prefetched || !this.#configurationUrl) return;
    const response = fetch(this.#configurationUrl);
    response.catch(() => {}); // a failure is the wasm's to report, when it reads the response
    this.#prefetched = { url: this.#configurationUrl, response };
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

  #currentSession() {
    if (this.#session && this.#session.expiresAt <= Date.now()) this.#forgetSession();
    return this.#session;
  }

  #forgetSession() {
    this.#session = null;
    try {
      sessionStorage.removeItem(this.#sessionKey);
    } catch {
      // no sessionStorage: nothing was kept there
    }
  }

  /** Tokens are kept in memory unless the app opted into sessionStorage: there they survive a
   *  reload of this tab (and are readable by any script on the origin, which is the trade). */
  #restoreSession() {
    if (this.#tokenStorage !== 'sessionStorage') return null;
    try {
      const session = JSON.parse(sessionStorage.getItem(this.#sessionKey) ?? 'null');
      if (session && typeof session.expiresAt === 'number' && session.expiresAt > Date.now()) return session;
      sessionStorage.removeItem(this.#sessionKey);
    } catch {
      // unreadable or unavailable: start signed out
    }
    return null;
  }

  #keepSession(payload) {
    this.#session = sessionOf(payload);
    if (this.#tokenStorage !== 'sessionStorage') return;
    try {
      sessionStorage.setItem(this.#sessionKey, JSON.stringify(this.#session));
    } catch (thrown) {
      console.warn(`latch-login: could not keep the tokens in sessionStorage (${thrown?.message ?? thrown}); they stay in memory`);
    }
  }

  #emit(name, payload) {
    if (name === 'authenticated' && payload) this.#keepSession(payload);
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
