// A small resource API for the DPoP tests (RFC 9449 §7): node http on 127.0.0.1, another
// origin than the page, answering `/me` with the token's subject (and a POST's body as it
// received it), and only for a request
// whose DPoP proof holds and whose access token is bound to that proof's key.
//
//   const api = await startResourceApi({ provider, origins: [webUrl], nonce: false });
//   api.url        // http://127.0.0.1:PORT
//   api.seen       // every request: { method, path, scheme, proof, verdict, ... }
//   await api.close();
//
// What it checks, in order (each refusal is a 401 with `WWW-Authenticate: DPoP error=...`):
// the `Authorization: DPoP <token>` scheme; one `DPoP` header, a JWS that jose verifies with
// the public key it embeds (typ dpop+jwt, alg ES256, no private member in that key); htm and
// htu (scheme, host, port and path of this very request, §4.3); iat within 60 s; a jti not
// seen before (replay); ath = BASE64URL(SHA-256(token)); with `nonce`, its current nonce
// (else `use_dpop_nonce` and a fresh `DPoP-Nonce`, §9); then the binding: the provider's own
// record of the access token (provider.AccessToken.find) is live and its `jkt` is the RFC 7638
// thumbprint of the proof's key.

import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import { calculateJwkThumbprint, decodeProtectedHeader, EmbeddedJWK, jwtVerify } from 'jose';

/** How far a proof's iat may be from now (RFC 9449 §11.1 leaves it to the server). */
const IAT_WINDOW_S = 60;

/** BASE64URL(SHA-256(ASCII(token))): a proof's `ath` (RFC 9449 §4.2). */
export function accessTokenHash(token) {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

class Refusal extends Error {
  constructor(error, description) {
    super(description);
    this.error = error;
  }
}

/**
 * Start the API. `provider`: the oidc-provider whose access tokens it accepts; `origins`: the
 * page origins CORS lets in; `nonce`: demand a nonce of the API's own in every proof.
 */
export async function startResourceApi({ provider, origins, nonce: demandNonce = false }) {
  const seen = [];
  const jtis = new Set();
  let currentNonce = randomBytes(16).toString('base64url');
  let url;

  const cors = (req) => {
    const origin = req.headers.origin;
    if (!origin || !origins.includes(origin)) return {};
    return {
      'Access-Control-Allow-Origin': origin,
      Vary: 'Origin',
      // The page reads the challenge and the nonce: neither is a CORS-safelisted header.
      'Access-Control-Expose-Headers': 'DPoP-Nonce, WWW-Authenticate',
    };
  };

  async function verify(req) {
    const authorization = req.headers.authorization ?? '';
    const [scheme, token, ...rest] = authorization.split(' ');
    if (scheme !== 'DPoP' || !token || rest.length) {
      throw new Refusal('invalid_token', `not a DPoP access token: ${scheme || 'no Authorization'}`);
    }
    const proofs = req.headersDistinct.dpop ?? [];
    if (proofs.length !== 1) throw new Refusal('invalid_dpop_proof', `${proofs.length} DPoP headers`);
    const [proof] = proofs;
    let verified;
    try {
      verified = await jwtVerify(proof, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
    } catch (error) {
      throw new Refusal('invalid_dpop_proof', `the proof does not verify: ${error.code ?? error.message}`);
    }
    const { payload, protectedHeader: header } = verified;
    if ('d' in header.jwk) throw new Refusal('invalid_dpop_proof', 'a private key in the header');
    const here = new URL(req.url, url);
    const htu = URL.parse(payload.htu ?? '');
    if (htu) {
      htu.search = '';
      htu.hash = '';
    }
    if (payload.htm !== req.method) throw new Refusal('invalid_dpop_proof', `htm ${payload.htm}`);
    if (htu?.href !== `${here.origin}${here.pathname}`) throw new Refusal('invalid_dpop_proof', `htu ${payload.htu}`);
    if (typeof payload.iat !== 'number' || Math.abs(Date.now() / 1000 - payload.iat) > IAT_WINDOW_S) {
      throw new Refusal('invalid_dpop_proof', `iat ${payload.iat}`);
    }
    if (typeof payload.jti !== 'string' || !payload.jti) throw new Refusal('invalid_dpop_proof', 'no jti');
    if (jtis.has(payload.jti)) throw new Refusal('invalid_dpop_proof', 'replayed jti');
    jtis.add(payload.jti);
    if (payload.ath !== accessTokenHash(token)) throw new Refusal('invalid_dpop_proof', 'ath is not the token\'s');
    if (demandNonce && payload.nonce !== currentNonce) {
      throw new Refusal('use_dpop_nonce', payload.nonce === undefined ? 'a nonce is required' : 'not the current nonce');
    }
    const record = await provider.AccessToken.find(token);
    if (!record || record.isExpired) throw new Refusal('invalid_token', 'unknown or expired access token');
    const thumbprint = await calculateJwkThumbprint(header.jwk, 'sha256');
    if (!record.jkt || record.jkt !== thumbprint) {
      throw new Refusal('invalid_token', `the token is bound to ${record.jkt ?? 'no key'}, the proof's key is ${thumbprint}`);
    }
    return { sub: record.accountId, jkt: thumbprint, payload };
  }

  const server = createServer(async (req, res) => {
    const headers = cors(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...headers,
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, DPoP, Content-Type',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const received = Buffer.concat(chunks).toString('utf8');
    const proof = req.headers.dpop;
    const entry = {
      method: req.method,
      path: new URL(req.url, url).pathname,
      scheme: (req.headers.authorization ?? '').split(' ')[0] || null,
      authorization: req.headers.authorization ?? null,
      proof: proof ? { raw: proof, header: safeHeader(proof), payload: safePayload(proof) } : null,
    };
    seen.push(entry);
    const send = (status, body, extra = {}) => {
      res.writeHead(status, {
        ...headers, ...extra, 'Content-Type': 'application/json', 'Cache-Control': 'no-store',
      });
      res.end(JSON.stringify(body));
    };
    if (new URL(req.url, url).pathname !== '/me') {
      entry.verdict = 'not_found';
      send(404, { error: 'not_found' });
      return;
    }
    try {
      const { sub, jkt } = await verify(req);
      entry.verdict = 'ok';
      entry.jkt = jkt;
      send(200, received ? { sub, received } : { sub });
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      entry.verdict = error.error;
      entry.reason = error.message;
      const extra = {};
      if (error.error === 'use_dpop_nonce') {
        currentNonce = randomBytes(16).toString('base64url');
        extra['DPoP-Nonce'] = currentNonce;
      }
      extra['WWW-Authenticate'] = `DPoP error="${error.error}", algs="ES256"`;
      send(401, { error: error.error, error_description: error.message }, extra);
    }
  });
  url = await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`));
  });
  return {
    url,
    seen,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function safeHeader(proof) {
  try {
    return decodeProtectedHeader(proof);
  } catch {
    return null;
  }
}

function safePayload(proof) {
  try {
    return JSON.parse(Buffer.from(proof.split('.')[1], 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
