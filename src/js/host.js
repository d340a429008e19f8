// What the wrapper asks of WebCrypto for the wasm: `verified`, the signature check of an ID
// token, with the algorithm and key the wasm chose. The browser tests (tests/browser.rs) run
// this same function. (What the wasm asks of the page itself, it reaches through web-sys:
// src/browser/host.rs.)

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
