// latch-login: the page-facing class. `new Latch(clientId, domain, options)` is usable at
// once; the wasm loads in the background and every call waits for it. Event listeners live
// here, so `on()` works before the wasm is ready and no event is missed.
//
// The wasm decides and this file waits: every LatchCore method is a synchronous step (which
// document to fetch, whether it is good, which link to build, whether a token is accepted),
// and what lies between two steps (a request, a WebCrypto promise, the service worker) is
// awaited here. A step that fails throws `{ error, errorDescription }`.
import initWasm, { LatchCore, supports as verdictOf } from './bindgen/latch_login.js';
import { guard, guarded, STOPPED } from './guard.js';
import { base64url, verified } from './host.js';
import { View } from './view.js';

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

/** The wasm's widget (`LatchCore`, src/browser/api.rs), every call of it guarded. */
const Core = guard(LatchCore);

/** Loads the wasm from `source` (a URL, a Response or a WebAssembly.Module), fetching a URL
 *  itself so that a failure names the URL and the status. */
async function instantiate(source) {
  try {
    if (source instanceof WebAssembly.Module || source instanceof Response) {
      await initWasm({ module_or_path: source });
      return;
    }
    const response = await fetch(source);
    if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
    await initWasm({ module_or_path: response });
  } catch (thrown) {
    throw { error: 'wasm_unavailable', errorDescription: `the widget's wasm could not be loaded (${thrown?.message ?? thrown})` };
  }
}

let loading;
function load(wasmUrl = new URL('latch_login_bg.wasm', import.meta.url)) {
  loading ??= instantiate(wasmUrl);
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

/** A base URL option (`configurationBaseUrl`, `languageBaseUrl`) without trailing slashes. */
const folder = (base) => String(base).trim().replace(/\/+$/, '');

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
    const url = new URL(`${folder(base)}/client/${encodeURIComponent(clientId)}.json`);
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return url.protocol === 'https:' || (url.protocol === 'http:' && loopback) ? url.href : null;
  } catch {
    return null;
  }
}

/** `[status, text]` of a request, status 0 (and why) when there was no HTTP answer at all:
 *  the wasm judges the answer. Never rejects. */
async function answer(request) {
  try {
    const response = await request;
    return [response.status, await response.text()];
  } catch (thrown) {
    return [0, String(thrown?.message ?? thrown)];
  }
}

const get = (url) => answer(fetch(url));

const post = (url, body) => answer(fetch(url, {
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
  body,
}));

const TOKEN_STORAGES = ['memory', 'sessionStorage'];

/** The language packs next to this script: modules, each imported by its own name, so that
 *  bundlers (Vite, webpack) split them into chunks of their own. English is in the wasm. */
const PACKS = {
  es: () => import('./lang/es.js'),
  fr: () => import('./lang/fr.js'),
  de: () => import('./lang/de.js'),
  ja: () => import('./lang/ja.js'),
  ar: () => import('./lang/ar.js'),
};

/** `[language, answer]` of the pack `options.language` needs, loaded from
 *  `options.languageBaseUrl` (Lock's name) or from next to this script, as JSON text for the
 *  wasm to judge; null for English or a language the widget does not have (the wasm then
 *  says so). Started with the wasm's load, not after it. */
function languagePack(options) {
  const language = options?.language;
  if (typeof language !== 'string') return null;
  const tag = language.trim().split(/[-_]/)[0].toLowerCase();
  if (!Object.hasOwn(PACKS, tag)) return null;
  const base = options.languageBaseUrl;
  const loading = base == null
    ? PACKS[tag]()
    : import(`${folder(base)}/${tag}.js`);
  return [language, loading.then(
    (pack) => [200, JSON.stringify(pack.default) ?? ''],
    (thrown) => [0, String(thrown?.message ?? thrown)],
  )];
}


/** Reads a base64url JSON segment of a JWT; null when it is not one. */
function jsonSegment(segment) {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url(segment)));
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

/** The value of JSON text, or undefined when it is not JSON. */
function parsed(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A value as JSON text, or undefined when it has none (a function, a cycle, a BigInt). */
function json(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The options object as JSON text for the wasm, which reads and checks it: functions and
 *  `undefined` members drop out, as they would mean nothing to the wasm anyway. */
function optionsJson(options) {
  if (options == null) return undefined;
  const text = json(options);
  if (text === undefined) {
    throw { error: 'invalid_option', errorDescription: 'option `options`: must be a plain object (JSON.stringify failed)' };
  }
  return text;
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
    return guarded(() => verdictOf(JSON.stringify(connection ?? {})));
  }

  /** See `init` above; here for the classic-script build, which has no named exports. */
  static init(wasmUrl) {
    return init(wasmUrl);
  }

  #listeners = new Map();
  #core;
  #configurationUrl;
  #prefetched = null;
  /** The client configuration being read (a failed read is retried by the next call). */
  #configuration = null;
  /** Discovery documents being read, by URL. */
  #discovery = new Map();
  /** The widget on the page (a View), or null. */
  #view = null;
  /** A response from the address bar is being checked. */
  #resuming = false;
  /** An error raised before the widget was on screen, shown by the next `show()`. */
  #unseen = null;
  /** The form_post service worker's script. */
  #workerUrl;
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
    this.#workerUrl = options?.auth?.serviceWorkerUrl ?? new URL('latch-sw.js', import.meta.url).href;
    this.#configurationUrl = configurationUrl(String(clientId), domain, options);
    const pack = languagePack(options);
    this.#core = Promise.all([load(), pack?.[1]]).then(([, packAnswer]) => {
      // From here on the configuration's URL is the wasm's: nothing more to start early.
      this.#configurationUrl = null;
      const core = new Core(String(clientId), String(domain ?? ''), optionsJson(options));
      const unread = pack && core.setLanguage(pack[0], ...packAnswer);
      if (unread) console.warn(unread);
      if (options?.auth?.autoParseHash !== false) this.#resume(core);
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
    this.#call((core) => {
      if (this.#view) return;
      let frame;
      try {
        // Asked each time: the container must still be on the page.
        frame = core.frame();
      } catch (thrown) {
        return this.#fail('unrecoverable_error', thrown);
      }
      const view = new View(frame);
      this.#view = view;
      for (const kind of ['click', 'keydown', 'submit']) {
        view.root.addEventListener(kind, (event) => this.#onEvent(core, event));
      }
      const unseen = this.#unseen;
      this.#unseen = null;
      // A failed return is shown until the user picks "Try again".
      if (unseen !== null) view.error(unseen);
      else if (this.#resuming) view.signingIn();
      else view.loading();
      this.#emit('show');
      if (core.usesFormPost()) {
        // Installed now, so that a click does not wait for it.
        this.#formPostReady(core).catch((error) => console.warn(`latch-login: ${error.errorDescription}`));
      }
      if (unseen === null && !this.#resuming) this.#load(core);
    });
  }

  hide() {
    this.#call(() => this.#hide());
  }

  /** Handles an authorization response in the URL (done on construction unless
   *  `auth.autoParseHash` is false), or in `params` when given: a server-rendered page can
   *  pass the form_post body it received. Resolves to whether there was one. */
  resumeAuth(params) {
    return this.#core.then((core) => this.#resume(core, params === undefined ? undefined : String(params)));
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

  /** Resolves to an authorize link for a custom login button; the login it starts is
   *  stored like any other. */
  authorizeUrl({ connection, appState } = {}) {
    this.#prefetch();
    return this.#core.then(async (core) => {
      await this.#connections(core);
      return this.#authorize(core, core.connection(String(connection)), String(connection), appState);
    }).catch((thrown) => {
      throw asError(thrown);
    });
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
    this.#call((core) => this.#login(core, String(connection), appState));
  }

  /** Logs out at the provider (its end_session_endpoint, or the broker's /v2/logout) and
   *  comes back to `returnTo`. Resolves to the logout link after navigating to it. */
  logout({ returnTo } = {}) {
    this.#forgetSession();
    return this.#core.then(async (core) => {
      if (core.signedIn) await this.#connections(core);
      await this.#discover(core, undefined, true);
      const url = core.logoutUrl(returnTo);
      location.assign(url);
      return url;
    }).catch((thrown) => {
      throw asError(thrown);
    });
  }

  /** A call that will need the client configuration came before the wasm was ready: its
   *  request starts now, in parallel with the wasm, rather than after it. */
  #prefetch() {
    if (this.#prefetched || !this.#configurationUrl) return;
    this.#prefetched = { url: this.#configurationUrl, response: get(this.#configurationUrl) };
  }

  /** Reads the client configuration into the wasm, once: the request started early when it
   *  went to the URL the wasm names, else a new one. */
  #connections(core) {
    this.#configuration ??= (async () => {
      const url = core.configurationUrl();
      const early = url && this.#prefetched?.url === url ? this.#prefetched.response : null;
      this.#prefetched = null;
      const [status, text] = url ? await (early ?? get(url)) : [undefined, ''];
      core.setConfiguration(status, text);
    })();
    this.#configuration.catch(() => {
      this.#configuration = null;
    });
    return this.#configuration;
  }

  /** Reads the discovery documents the wasm asks for (see `LatchCore.discoveryUrls`), each
   *  once per page even when several calls want it at the same time. */
  #discover(core, connection, logout = false) {
    return Promise.all(core.discoveryUrls(connection, logout).map((url) => {
      let read = this.#discovery.get(url);
      if (!read) {
        read = get(url).then(([status, text]) => core.setDiscovery(url, status, text));
        read.catch(() => this.#discovery.delete(url));
        this.#discovery.set(url, read);
      }
      return read;
    }));
  }

  /** Loads the client configuration into the buttons, then warms the discovery documents
   *  so a click goes straight to the provider. */
  async #load(core) {
    try {
      await this.#connections(core);
    } catch (thrown) {
      return this.#fail('unrecoverable_error', thrown);
    }
    this.#view?.buttons(core.buttons());
    for (const payload of core.unsupported()) this.#unsupported(payload);
    this.#emit('signin ready');
    this.#discover(core).catch(() => {}); // warming only: a click reports what failed
  }

  /** Makes and stores a transaction for `connection` (`chosen` is what
   *  `LatchCore.connection` says of it) and returns its authorize link. */
  async #authorize(core, chosen, connection, appState, loginHint) {
    if (chosen.refusal) throw chosen.refusal;
    await this.#discover(core, connection);
    // The response comes back as a POST: without the worker it would be lost.
    if (chosen.formPost) await this.#formPostReady(core);
    return core.authorize(connection, json(appState), loginHint);
  }

  async #login(core, connection, appState, loginHint) {
    try {
      await this.#connections(core);
      const chosen = core.connection(connection);
      // A connection this widget cannot serve is refused before anything changes on
      // screen: its button is already disabled with the reason.
      if (chosen.unsupported) return this.#unsupported(chosen.unsupported);
      this.#view?.status(chosen.redirecting);
      location.assign(await this.#authorize(core, chosen, connection, appState, loginHint));
    } catch (thrown) {
      this.#fail('unrecoverable_error', thrown);
    }
  }

  /** The form_post worker, active; its failure as the error a login gets. */
  #formPostReady(core) {
    return formPostWorker(this.#workerUrl, core.redirectUrl()).catch((thrown) => {
      throw { error: 'form_post_unavailable', errorDescription: String(thrown?.message ?? 'the form_post service worker failed') };
    });
  }

  /** Starts handling a response in the URL (or `params`); whether there was one. */
  #resume(core, params) {
    let next;
    try {
      next = core.resume(params);
      if (next === undefined) return false;
    } catch (thrown) {
      next = Promise.reject(thrown);
    }
    this.#resuming = true;
    this.#view?.signingIn();
    this.#complete(core, next).then(
      (payload) => {
        this.#resuming = false;
        // As Lock does, the widget closes once the user is signed in.
        this.#hide();
        this.#emit('authenticated', payload);
      },
      (thrown) => {
        this.#resuming = false;
        this.#fail('authorization_error', thrown);
      },
    );
    return true;
  }

  /** From the response's next step to the `authenticated` payload: the token request, the
   *  issuer's keys (fetched while the code is exchanged; refetched once when the token's key
   *  is not among them), the signature, then every claim check (in the wasm). */
  async #complete(core, next) {
    const { jwksUri, keysCached, tokenEndpoint, tokenRequest } = await next;
    const keys = keysCached ? null : get(jwksUri);
    if (tokenEndpoint) core.tokens(...(await post(tokenEndpoint, tokenRequest)));
    let check = keys ? core.key(...(await keys), false) : core.key(undefined, '', false);
    check ??= core.key(...(await get(jwksUri)), true);
    const payload = core.finish(await verified(check));
    // The app's state comes as the JSON text it was stored as (see LatchCore::complete).
    if (payload.appState !== undefined) payload.appState = parsed(payload.appState);
    return payload;
  }

  #onEvent(core, event) {
    const view = this.#view;
    if (event.type === 'submit') {
      // Home realm discovery: the email's domain picks the connection.
      event.preventDefault();
      const email = view?.root.querySelector('.latch-hrd-email')?.value;
      if (email === undefined) return;
      const connection = core.forEmail(email);
      if (connection) this.#login(core, connection, undefined, email);
      else view.noMatch();
    } else if (event.type === 'keydown') {
      // Escape closes a modal that has a close button.
      if (event.key === 'Escape' && view?.root.querySelector('[data-action="close"]')) this.#hide();
    } else if (event.target instanceof Element) {
      const control = event.target.closest('[data-connection],[data-action]');
      const connection = control?.getAttribute('data-connection');
      const action = control?.getAttribute('data-action');
      if (connection) {
        this.#login(core, connection);
      } else if (action === 'retry') {
        view?.loading();
        this.#load(core);
      } else if (action === 'close') {
        this.#hide();
      }
    }
  }

  #hide() {
    if (!this.#view) return;
    this.#view.remove();
    this.#view = null;
    this.#emit('hide');
  }

  /** Says, each time the buttons load, that a connection cannot be served: the event, and
   *  the console. */
  #unsupported(payload) {
    console.warn(`latch-login: the connection \`${payload.connection}\` ${payload.reason}`);
    this.#emit('unsupported_connection', payload);
  }

  /** A login that cannot go on: on screen (now, or when the widget is next shown), in the
   *  console, and as `event`. */
  #fail(event, thrown) {
    const error = asError(thrown);
    if (this.#view) this.#view.error(error.errorDescription);
    else this.#unseen = error.errorDescription;
    console.error(`latch-login: ${error.errorDescription}`);
    // Once the wasm has stopped, nothing this widget does can work any more.
    this.#emit(error === STOPPED ? 'unrecoverable_error' : event, error);
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
