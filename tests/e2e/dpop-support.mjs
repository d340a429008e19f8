// Shared helpers of the DPoP tests (dpop.test.mjs, persistence.test.mjs): what the provider
// saw, the widget's key as IndexedDB holds it, and proofs made in node with a key of its own.

import { randomUUID } from 'node:crypto';

import { calculateJwkThumbprint, generateKeyPair, exportJWK, SignJWT } from 'jose';

import { accessTokenHash } from '../support/resource-api.mjs';
import {
  decodeJwt, EVENT_TIMEOUT, loginAtProvider, waitForEvent,
} from './support.mjs';

/**
 * Every request the provider answered from now on (tests/support/provider.mjs emits
 * `test.request`): method, path, query, its params, the DPoP header, status, JSON body and
 * the DPoP-Nonce it answered with. Stops listening when the test ends.
 */
export function watchProvider(t, provider) {
  const seen = [];
  const listener = (entry) => seen.push(entry);
  provider.on('test.request', listener);
  t.after(() => provider.off('test.request', listener));
  return {
    seen,
    authorize: () => seen.filter((r) => r.path === '/authorize'),
    token: () => seen.filter((r) => r.path === '/oauth/token' && r.method === 'POST'),
    grants: (type) => seen.filter((r) => r.path === '/oauth/token' && r.method === 'POST' && r.params.grant_type === type),
  };
}

/** The RFC 7638 thumbprint of the key a proof embeds. */
export function proofThumbprint(proof) {
  return calculateJwkThumbprint(decodeJwt(proof).header.jwk, 'sha256');
}

/**
 * In the page: the record IndexedDB keeps under `key` in the widget's store (database
 * 'latch-login', object store 'dpop'), as `{present, privateKey: {...}, publicJwk, ...}`; the
 * database is never created by looking (an upgrade is aborted).
 */
export function readKept(page, key) {
  return page.evaluate((id) => new Promise((resolve, reject) => {
    const opening = indexedDB.open('latch-login');
    opening.onupgradeneeded = () => opening.transaction.abort();
    opening.onerror = () => resolve({ database: false, present: false });
    opening.onsuccess = () => {
      const db = opening.result;
      if (!db.objectStoreNames.contains('dpop')) {
        db.close();
        resolve({ database: true, present: false });
        return;
      }
      const getting = db.transaction('dpop').objectStore('dpop').get(id);
      getting.onerror = () => reject(getting.error);
      getting.onsuccess = async () => {
        db.close();
        const record = getting.result;
        if (record === undefined) {
          resolve({ database: true, present: false });
          return;
        }
        const out = { database: true, present: true, members: Object.keys(record).sort() };
        if (record.privateKey instanceof CryptoKey) {
          const { privateKey, publicKey } = record;
          out.privateKey = {
            type: privateKey.type, extractable: privateKey.extractable, usages: privateKey.usages, algorithm: privateKey.algorithm,
          };
          // The private half: WebCrypto must refuse to hand it out, in any format.
          out.exports = {};
          for (const format of ['jwk', 'pkcs8']) {
            out.exports[format] = await crypto.subtle.exportKey(format, privateKey)
              .then(() => 'exported', (e) => e.name);
          }
          out.publicJwk = await crypto.subtle.exportKey('jwk', publicKey);
        }
        // The kept login: the session record with the refresh token beside it, as text.
        if (typeof record.refresh === 'string') out.refreshToken = record.refresh;
        resolve(out);
      };
    };
  }), key);
}

/** The thumbprint of the widget's public key as kept in IndexedDB for `clientId`. */
export async function keptThumbprint(page, clientId = 'latch-spa') {
  const kept = await readKept(page, clientId);
  if (!kept.publicJwk) throw new Error(`no DPoP key kept for ${clientId}: ${JSON.stringify(kept)}`);
  const { kty, crv, x, y } = kept.publicJwk;
  return calculateJwkThumbprint({ kty, crv, x, y }, 'sha256');
}

/** A DPoP proof made in node with a key pair of its own (not the browser's). */
export async function foreignProof({ method, url, accessToken }) {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = await exportJWK(publicKey);
  const proof = await new SignJWT({
    htm: method, htu: url, jti: randomUUID(), ath: accessTokenHash(accessToken),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk })
    .setIssuedAt()
    .sign(privateKey);
  return { proof, thumbprint: await calculateJwkThumbprint(jwk, 'sha256') };
}

/** Opens the test app at `url` and logs in with local-oidc; the `authenticated` payload. */
export async function logIn(page, url, issuer) {
  await page.goto(url);
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer });
  return waitForEvent(page, 'authenticated');
}

/** `latch.fetchWithToken(url)` in the page: the status and JSON body, or the rejection. */
export function fetchWithToken(page, url, init) {
  return page.evaluate(([to, options]) => window.latch.fetchWithToken(to, options)
    .then(async (r) => ({ status: r.status, body: await r.json().catch(() => null) }), (error) => ({ error })), [url, init]);
}

/** Waits until `ready()` holds (what a listener records arrives a little after). */
export async function until(ready, ms = EVENT_TIMEOUT) {
  const end = Date.now() + ms;
  while (!ready()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => { setTimeout(r, 20); });
  }
}
