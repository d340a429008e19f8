// What the wasm asks of the page (src/browser/host.rs), in strings and numbers: the clock,
// random bytes, storage, the address bar, the console, the container check. The shipped
// module reaches these through wasm.js; the browser tests (tests/browser.rs) through
// wasm-bindgen, so both run this same code. Nothing here throws into the wasm: a failure is an
// answer (undefined, false, a number that says why).
//
// And what the wrapper asks of WebCrypto for the wasm: `verified`, the signature check of an
// ID token, with the algorithm and key the wasm chose.

/** Storage areas, as the wasm numbers them. */
const AREAS = ['sessionStorage', 'localStorage'];

/** Milliseconds since the Unix epoch. */
export const now = () => Date.now();

/** Fills `bytes` from the browser's CSPRNG; whether it could. */
export function random(bytes) {
  try {
    crypto.getRandomValues(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether a storage area can be used: 0 yes, 1 access denied (some private modes,
 *  sandboxed frames), 2 not provided by this browser. */
export function storage(area) {
  try {
    return globalThis[AREAS[area]] ? 0 : 2;
  } catch {
    return 1;
  }
}

export function storageGet(area, key) {
  try {
    return globalThis[AREAS[area]].getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Whether the value was stored (not when the area is full or read-only). */
export function storageSet(area, key, value) {
  try {
    globalThis[AREAS[area]].setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function storageRemove(area, key) {
  try {
    globalThis[AREAS[area]].removeItem(key);
  } catch {
    // nothing to remove from an area that cannot be used
  }
}

/** The name of the `index`th key of an area; undefined past the last. */
export function storageKey(area, index) {
  try {
    return globalThis[AREAS[area]].key(index) ?? undefined;
  } catch {
    return undefined;
  }
}

/** A part of the page's address: 0 origin, 1 pathname, 2 search, 3 hash. */
export const address = (part) => [location.origin, location.pathname, location.search, location.hash][part];

/** Replaces the address in the bar and in history, without a navigation. */
export function replaceAddress(url) {
  try {
    history.replaceState(null, '', url);
  } catch {
    // a sandboxed document may refuse; the response is still used once only
  }
}

export const warn = (text) => console.warn(text);

export const hasElement = (id) => document.getElementById(id) !== null;

/** The attributes of `text` parsed as an absolute URL by the browser, one a line (none of
 *  them can hold a line break); undefined when it is not one. The wasm decides on them. */
export function parseUrl(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  return [url.protocol, url.username, url.password, url.hostname, url.port, url.pathname, url.search, url.hash, url.origin].join('\n');
}

/** The bytes of base64url text. */
export const base64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * The signature check of an ID token as the wasm set it up (`LatchCore.key`): `{ jwk, import,
 * verify, data, signature }`, the key and WebCrypto's parameters for the token's algorithm,
 * the signing input and the signature (base64url). Resolves to whether WebCrypto verifies it;
 * a key it will not import, or any failure inside it, is a signature that does not verify.
 */
export async function verified(check) {
  try {
    const { jwk, import: algorithm, verify, data, signature } = JSON.parse(check);
    const key = await crypto.subtle.importKey('jwk', jwk, algorithm, false, ['verify']);
    return await crypto.subtle.verify(verify, key, base64url(signature), new TextEncoder().encode(data));
  } catch {
    return false;
  }
}
