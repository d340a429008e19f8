// The wasm's boundary on the JS side (its Rust side is src/browser/exports.rs): strings and
// numbers only. A string goes in as UTF-8 written into memory the wasm reserves (pointer and
// length; length -1 for none) and comes out through the `out` import; a step returns 0, or 1
// when it failed, and then what came out is its `{ error, errorDescription }`. The host
// functions the wasm calls are in host.js.
import * as host from './host.js';

/** The module's exports, once loaded. */
let wasm;
/** What the step under way handed over with `out`. */
let result;
/** A host answer waiting for the wasm to `take` it. */
let answer;
/** Set when the module trapped: its memory can no longer be trusted, so nothing calls it. */
let stopped = false;

const encoder = new TextEncoder();
// ignoreBOM: a string that starts with U+FEFF keeps it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const memory = () => new Uint8Array(wasm.memory.buffer);
const read = (ptr, len) => decoder.decode(memory().subarray(ptr, ptr + len));
/** A host answer for the wasm: its UTF-8 length (-1 for none), the bytes kept for `take`. */
const give = (value) => (value == null ? -1 : (answer = encoder.encode(value)).length);

const imports = {
  latch: {
    out: (ptr, len) => {
      result = read(ptr, len);
    },
    take: (ptr) => memory().set(answer, ptr),
    now: host.now,
    random: (ptr, len) => host.random(memory().subarray(ptr, ptr + len)),
    storage: host.storage,
    storageGet: (area, ptr, len) => give(host.storageGet(area, read(ptr, len))),
    storageSet: (area, keyPtr, keyLen, ptr, len) => host.storageSet(area, read(keyPtr, keyLen), read(ptr, len)),
    storageRemove: (area, ptr, len) => host.storageRemove(area, read(ptr, len)),
    storageKey: (area, index) => give(host.storageKey(area, index)),
    address: (part) => give(host.address(part)),
    replaceAddress: (ptr, len) => host.replaceAddress(read(ptr, len)),
    warn: (ptr, len) => host.warn(read(ptr, len)),
    hasElement: (ptr, len) => host.hasElement(read(ptr, len)),
    parseUrl: (ptr, len) => give(host.parseUrl(read(ptr, len))),
  },
};

/**
 * Loads the module from `source`: a URL (or anything `fetch` takes), a Response or a promise
 * of one, a WebAssembly.Module, or the module's bytes. A module that cannot be loaded rejects
 * with `{ error: 'wasm_unavailable', errorDescription }` saying why.
 */
export async function load(source) {
  try {
    let instance;
    if (source instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(source, imports);
    } else if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
      ({ instance } = await WebAssembly.instantiate(source, imports));
    } else {
      const response = await (typeof source?.then === 'function' || source instanceof Response ? source : fetch(source));
      if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
      // Streaming compiles while the bytes arrive, but only for the wasm MIME type.
      ({ instance } = response.headers.get('Content-Type') === 'application/wasm'
        ? await WebAssembly.instantiateStreaming(response, imports)
        : await WebAssembly.instantiate(await response.arrayBuffer(), imports));
    }
    wasm = instance.exports;
  } catch (thrown) {
    throw { error: 'wasm_unavailable', errorDescription: `the widget's wasm could not be loaded (${thrown?.message ?? thrown})` };
  }
}

/** What a call throws once the module has stopped. */
export const STOPPED = Object.freeze({
  error: 'internal_error',
  errorDescription: 'latch-login stopped after an internal error',
});

/** A string argument as pointer and length in the wasm's memory, which the wasm takes over. */
function pass(value) {
  if (value == null) return [0, -1];
  const bytes = encoder.encode(value);
  // The wasm reads an empty string without looking at memory.
  if (!bytes.length) return [0, 0];
  const ptr = wasm.reserve(bytes.length);
  memory().set(bytes, ptr);
  return [ptr, bytes.length];
}

/** Calls export `fn` with `args` (strings, or undefined for none, as `pass` says; numbers and
 *  booleans as they are); returns what it returned. A trap stops the module for good. */
function invoke(fn, args) {
  if (stopped) throw STOPPED;
  result = undefined;
  try {
    return fn(...args.flatMap((arg) => (typeof arg === 'number' || typeof arg === 'boolean' ? [arg] : pass(arg))));
  } catch {
    // Only a trap gets here (a panic, or memory exhausted): the wasm never throws otherwise.
    stopped = true;
    throw STOPPED;
  }
}

/** A step: the text it handed over (undefined for none), or its error, thrown. */
function step(fn, ...args) {
  if (invoke(fn, args)) throw JSON.parse(result);
  return result;
}

/** `Latch.supports`: the verdict on a connection described as JSON. */
export const supports = (connection) => JSON.parse(step(wasm.supports, connection));

/** The wasm's widget (`LatchCore` in src/browser/api.rs, whose docs say what each step does). */
export class Core {
  static #collected = new FinalizationRegistry((handle) => stopped || wasm.destroy(handle));
  #handle;

  constructor(clientId, domain, options) {
    this.#handle = invoke(wasm.create, [clientId, domain, options]);
    if (!this.#handle) throw JSON.parse(result);
    Core.#collected.register(this, this.#handle);
  }

  setLanguage(language, status, text) {
    return step(wasm.set_language, this.#handle, language, status, text);
  }

  get signedIn() {
    return invoke(wasm.signed_in, [this.#handle]) === 1;
  }

  configurationUrl() {
    return step(wasm.configuration_url, this.#handle);
  }

  redirectUrl() {
    return step(wasm.redirect_url, this.#handle);
  }

  usesFormPost() {
    return invoke(wasm.uses_form_post, [this.#handle]) === 1;
  }

  /** `status` undefined: there is no broker to read a configuration from. */
  setConfiguration(status, text) {
    step(wasm.set_configuration, this.#handle, status ?? -1, text);
  }

  unsupported() {
    return JSON.parse(step(wasm.unsupported, this.#handle));
  }

  connection(name) {
    return JSON.parse(step(wasm.connection, this.#handle, name));
  }

  forEmail(email) {
    return step(wasm.for_email, this.#handle, email);
  }

  discoveryUrls(connection, logout) {
    return JSON.parse(step(wasm.discovery_urls, this.#handle, connection, !!logout));
  }

  setDiscovery(url, status, text) {
    step(wasm.set_discovery, this.#handle, url, status, text);
  }

  authorize(connection, appState, loginHint) {
    return step(wasm.authorize, this.#handle, connection, appState, loginHint);
  }

  /** Undefined when there is no response to handle. */
  resume(params) {
    const next = step(wasm.resume, this.#handle, params);
    return next === undefined ? undefined : JSON.parse(next);
  }

  tokens(status, text) {
    step(wasm.tokens, this.#handle, status, text);
  }

  /** `status` undefined: the cached keys. Undefined asks for a refetch. */
  key(status, text, refetched) {
    return step(wasm.key, this.#handle, status ?? -1, text, !!refetched);
  }

  finish(verified) {
    return JSON.parse(step(wasm.finish, this.#handle, !!verified));
  }

  logoutUrl(returnTo) {
    return step(wasm.logout_url, this.#handle, returnTo);
  }

  frame() {
    return JSON.parse(step(wasm.frame, this.#handle));
  }

  buttons() {
    return JSON.parse(step(wasm.buttons, this.#handle));
  }
}
