// A hostile OpenID provider for the end-to-end tests: a small node:http server on
// 127.0.0.1 that signs ID tokens with keys it makes itself and misbehaves on request.
//
//   const hostile = await startHostileProvider({ clientConfigs });
//   hostile.issuerFor('wrong-iss')  // http://127.0.0.1:PORT/wrong-iss
//   hostile.jwksRequests('rotate')  // how many times that issuer's JWKS was fetched
//   await hostile.close();
//
// Every scenario is its own issuer, `{origin}/{scenario}`, with its own discovery document,
// authorize and token endpoints and JWKS, so tests (and two tabs at once) never share state.
// The root, `{origin}` with no path, is a broker in the shape of Auth0: a client
// configuration at `/client/{clientId}.js` (and `.json`), and the scenario is the `connection` parameter
// of the authorize request (an unknown connection behaves).
//
// There is no login page: the authorize endpoint redirects straight back with a code (query,
// `response_type=code`) or posts an ID token back (`response_type=id_token`, form_post), so a
// test sees only what the widget does with what comes back. The provider is otherwise
// strict, so a well-behaved scenario (`ok`) proves the rest fail for the reason they name:
// it checks redirect_uri, client_id and the PKCE S256 verifier at the token endpoint, and
// each code works once.

import {
  createHash, createHmac, generateKeyPairSync, randomBytes, sign,
} from 'node:crypto';
import { createServer } from 'node:http';

import { clientConfigBody } from './provider.mjs';

/** The ways this provider can misbehave; every other name is `ok`. */
export const SCENARIOS = {
  ok: 'behaves: a valid RS256 ID token',
  'ok-es256': 'behaves, signing with its P-256 key (ES256)',
  'ok-ps256': 'behaves, signing with its RSA key under RSA-PSS (PS256)',
  'wrong-iss': 'the ID token names another issuer',
  'wrong-aud': 'the ID token is for another client',
  'multi-aud-no-azp': 'aud lists the client and another party, without azp',
  expired: 'the ID token expired an hour ago',
  'iat-future': 'the ID token is issued an hour from now',
  'no-sub': 'the ID token has no sub',
  'wrong-nonce': 'the ID token carries a nonce of another login',
  'alg-none': 'an unsecured JWT: alg none, empty signature (RFC 7519 §6.1)',
  'hs256-public-key': 'HS256 with the RSA public key (its PEM) as the HMAC secret',
  'bad-signature': 'RS256 with a signature that does not verify',
  'empty-signature': 'RS256 with an empty signature',
  'foreign-key': 'RS256 signed by a key that is not the one its kid names',
  rotate: 'signs with a new key: the first JWKS fetch serves the old set, later ones the new',
  'unknown-kid': 'signs with a key its JWKS never lists',
  'iss-param-mismatch': 'the authorization response carries another issuer in iss (RFC 9207)',
  'iss-param-missing': 'promises iss in responses (RFC 9207 §3) and leaves it out',
  'authorize-error': 'the authorize endpoint answers error=access_denied',
  'token-error': 'the token endpoint answers 400 invalid_grant',
  'token-not-json': 'the token endpoint answers 502 with an HTML page',
  'oversized-code': 'a 70 KB code in the authorization response (in the fragment)',
  'oversized-id-token': 'a 20 KB ID token',
  'non-utf8-code': 'a code whose bytes are not UTF-8 (percent-encoded %FF%FE)',
  'raw-non-utf8-code': 'a code with raw 0xFF bytes in the Location header',
  'non-utf8-error-description': 'error_description bytes that are not UTF-8',
  'discovery-wrong-issuer': 'the discovery document names another issuer',
  'discovery-insecure-endpoint': 'the discovery document sends authorization to a plain-http public host',
  'discovery-loopback-lookalike': 'the discovery document names a plain-http token endpoint on a host that starts with 127.',
  'discovery-userinfo-loopback': 'the discovery document hides a public JWKS host behind localhost userinfo',
  'inject-params': 'adds returnTo, redirect_uri and appState parameters of its own to the response',
};

/** Seconds since the Unix epoch. */
const now = () => Math.floor(Date.now() / 1000);
const b64url = (value) => Buffer.from(value).toString('base64url');

function rsaKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig' } };
}

function ecKey(kid) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    kid, privateKey, publicKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'ES256' },
  };
}

/** A compact JWS over `header` and `claims`, signed per `header.alg` with `key`. */
function jws(header, claims, key) {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  let signature;
  switch (header.alg) {
    case 'RS256':
      signature = sign('sha256', Buffer.from(input), key.privateKey);
      break;
    case 'PS256':
      signature = sign('sha256', Buffer.from(input), {
        key: key.privateKey, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32,
      });
      break;
    case 'ES256':
      signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      break;
    case 'HS256':
      // The classic confusion attack: the verifier's *public* key as the shared secret.
      signature = createHmac('sha256', key.publicKey.export({ format: 'pem', type: 'spki' })).update(input).digest();
      break;
    case 'none':
      signature = Buffer.alloc(0);
      break;
    default:
      throw new Error(`hostile provider cannot sign ${header.alg}`);
  }
  return `${input}.${b64url(signature)}`;
}

function sendJson(res, status, value, headers = {}) {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const escapeHtml = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Start the hostile provider.
 *
 * @param {object} [options]
 * @param {Record<string, object>} [options.clientConfigs] `/client/{id}.js` (and `.json`) documents of
 *   the root broker (Lock's shape: `{id, strategies: [{name, connections: [...]}]}`)
 */
export async function startHostileProvider({ clientConfigs = {} } = {}) {
  const rsa = rsaKey(`rsa-${randomBytes(4).toString('hex')}`);
  const ec = ecKey(`ec-${randomBytes(4).toString('hex')}`);
  const rotated = rsaKey(`rotated-${randomBytes(4).toString('hex')}`);
  const stranger = rsaKey(`stranger-${randomBytes(4).toString('hex')}`);

  /** code -> what the authorize request asked, for the token endpoint; used once. */
  const codes = new Map();
  /** issuer path ('' for the root) -> counters. */
  const counts = new Map();
  const count = (scope, what) => {
    const c = counts.get(scope) ?? { jwks: 0, authorize: 0, token: 0, discovery: 0 };
    c[what] += 1;
    counts.set(scope, c);
  };
  /** Token request bodies, in order, with the issuer they went to. */
  const tokenRequests = [];
  /** Set by holdAuthorizations(n): authorize requests wait until n of them arrived. */
  let barrier = null;

  let origin;
  const issuerOf = (scope) => (scope === '' ? origin : `${origin}/${scope}`);

  function discovery(scope) {
    const issuer = issuerOf(scope);
    if (scope === 'discovery-wrong-issuer') {
      return { ...discovery(''), issuer: `${origin}/someone-else` };
    }
    if (scope === 'discovery-insecure-endpoint') {
      return { ...discovery('ok'), issuer, authorization_endpoint: 'http://evil.example/authorize' };
    }
    // Issue 18: hosts that a prefix test took for loopback.
    if (scope === 'discovery-loopback-lookalike') {
      return { ...discovery('ok'), issuer, token_endpoint: 'http://127.op.example.com/token' };
    }
    if (scope === 'discovery-userinfo-loopback') {
      return { ...discovery('ok'), issuer, jwks_uri: 'http://localhost:1@evil.example/jwks' };
    }
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      response_types_supported: ['code', 'id_token'],
      response_modes_supported: ['query', 'fragment', 'form_post'],
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'PS256', 'ES256'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  function jwks(scope) {
    const served = counts.get(scope)?.jwks ?? 0; // this fetch included
    if (scope === 'rotate' && served > 1) return { keys: [rotated.jwk, ec.jwk] };
    return { keys: [rsa.jwk, ec.jwk] };
  }

  /** The ID token a scenario hands out for a login of `clientId` with `nonce`. */
  function idToken(scenario, { issuer, clientId, nonce }) {
    const t = now();
    const claims = {
      iss: issuer,
      sub: 'mallory',
      aud: clientId,
      exp: t + 300,
      iat: t,
      nonce,
      name: 'Mallory',
      email: 'mallory@example.com',
    };
    let header = { alg: 'RS256', typ: 'JWT', kid: rsa.kid };
    let key = rsa;
    switch (scenario) {
      case 'ok-es256': header = { alg: 'ES256', typ: 'JWT', kid: ec.kid }; key = ec; break;
      case 'ok-ps256': header = { alg: 'PS256', typ: 'JWT', kid: rsa.kid }; break;
      case 'wrong-iss': claims.iss = `${origin}/someone-else`; break;
      case 'wrong-aud': claims.aud = 'another-client'; break;
      case 'multi-aud-no-azp': claims.aud = [clientId, 'https://api.example.com']; break;
      case 'expired': claims.exp = t - 3600; claims.iat = t - 7200; break;
      case 'iat-future': claims.iat = t + 3600; claims.exp = t + 7200; break;
      case 'no-sub': delete claims.sub; break;
      case 'wrong-nonce': claims.nonce = randomBytes(32).toString('base64url'); break;
      case 'alg-none': header = { alg: 'none', typ: 'JWT' }; break;
      case 'hs256-public-key': header = { alg: 'HS256', typ: 'JWT', kid: rsa.kid }; break;
      case 'foreign-key': key = stranger; break;
      case 'rotate': header = { alg: 'RS256', typ: 'JWT', kid: rotated.kid }; key = rotated; break;
      case 'unknown-kid': header = { alg: 'RS256', typ: 'JWT', kid: stranger.kid }; key = stranger; break;
      case 'oversized-id-token': claims.padding = 'x'.repeat(20 * 1024); break;
      default: break;
    }
    const token = jws(header, claims, key);
    if (scenario === 'empty-signature') return token.replace(/[^.]*$/, '');
    if (scenario !== 'bad-signature') return token;
    // Flip one bit in the middle of the signature: still base64url, no longer valid.
    const [h, p, s] = token.split('.');
    const sig = Buffer.from(s, 'base64url');
    sig[sig.length >> 1] ^= 0x01;
    return `${h}.${p}.${b64url(sig)}`;
  }

  /** Where the authorization response goes, with `params` in the query (code flow). */
  function redirectWith(res, redirectUri, params, rawTail = '') {
    const target = new URL(redirectUri);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    res.writeHead(302, { Location: target.href + rawTail, 'Cache-Control': 'no-store' });
    res.end();
  }

  /** The front channel's answer: an HTML form that posts itself (OAuth 2.0 Form Post). */
  function formPost(res, redirectUri, params) {
    const inputs = Object.entries(params)
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    const body = `<!doctype html><title>Submit</title><body onload="document.forms[0].submit()">`
      + `<form method="post" action="${escapeHtml(redirectUri)}">${inputs}</form></body>`;
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(body);
  }

  async function authorize(req, res, scope, url) {
    count(scope, 'authorize');
    const q = url.searchParams;
    const scenario = scope === '' ? (q.get('connection') ?? 'ok') : scope;
    const issuer = issuerOf(scope);
    const redirectUri = q.get('redirect_uri');
    const state = q.get('state');
    if (!redirectUri || !state || !q.get('client_id')) {
      sendJson(res, 400, { error: 'invalid_request', error_description: 'client_id, redirect_uri and state are required' });
      return;
    }
    if (barrier) {
      // Answer no authorize request before all the expected ones are in flight at once.
      const gate = barrier;
      gate.arrived += 1;
      if (gate.arrived === gate.expected) {
        barrier = null;
        gate.open();
      }
      await gate.opened;
    }
    const iss = scenario === 'iss-param-mismatch' ? `${origin}/someone-else` : issuer;
    const withIss = (params) => (scenario === 'iss-param-missing' ? params : { ...params, iss });

    if (scenario === 'authorize-error' || scenario === 'non-utf8-error-description') {
      const params = withIss({ error: 'access_denied', state });
      if (scenario === 'authorize-error') {
        params.error_description = q.get('login_hint') ?? 'The user (or the provider) said no';
        redirectWith(res, redirectUri, params);
      } else {
        redirectWith(res, redirectUri, params, '&error_description=caf%E9%FF%FE');
      }
      return;
    }

    const login = {
      scope,
      scenario,
      issuer,
      clientId: q.get('client_id'),
      redirectUri,
      nonce: q.get('nonce'),
      codeChallenge: q.get('code_challenge'),
      // The test chooses the token endpoint's error_description through login_hint.
      tokenErrorDescription: q.get('login_hint'),
    };
    const responseType = q.get('response_type');
    if (responseType === 'id_token') {
      formPost(res, redirectUri, withIss({ id_token: idToken(scenario, login), state }));
      return;
    }
    if (responseType !== 'code') {
      redirectWith(res, redirectUri, withIss({ error: 'unsupported_response_type', state }));
      return;
    }
    const code = randomBytes(24).toString('base64url');
    codes.set(code, login);
    switch (scenario) {
      case 'oversized-code': {
        // In the fragment, where no server limit on the request line gets to it first.
        const params = new URLSearchParams(withIss({ code: code + 'A'.repeat(70 * 1024), state }));
        res.writeHead(302, { Location: `${redirectUri}#${params}`, 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      case 'non-utf8-code':
        redirectWith(res, redirectUri, withIss({ state }), `&code=${code}%FF%FE`);
        return;
      case 'raw-non-utf8-code':
        // Node writes header strings as latin1: U+00FF goes out as the single byte 0xFF.
        redirectWith(res, redirectUri, withIss({ state }), `&code=${code}\u00ff\u00fe`);
        return;
      case 'inject-params':
        redirectWith(res, redirectUri, {
          ...withIss({ code, state }),
          returnTo: 'https://evil.example/phish',
          redirect_uri: 'https://evil.example/cb',
          appState: '{"returnTo":"https://evil.example/"}',
          app_state: 'https://evil.example/',
        });
        return;
      default:
        redirectWith(res, redirectUri, withIss({ code, state }));
    }
  }

  async function token(req, res, scope) {
    count(scope, 'token');
    const body = new URLSearchParams(await readBody(req));
    tokenRequests.push({ issuer: issuerOf(scope), body });
    const code = body.get('code') ?? '';
    const login = codes.get(code);
    codes.delete(code);
    const refuse = (description) => sendJson(res, 400, { error: 'invalid_grant', error_description: description });
    if (!login || login.scope !== scope) return refuse('unknown or used code');
    if (body.get('grant_type') !== 'authorization_code') {
      return sendJson(res, 400, { error: 'unsupported_grant_type' });
    }
    if (body.get('client_id') !== login.clientId) return refuse('client_id differs from the authorize request');
    if (body.get('redirect_uri') !== login.redirectUri) return refuse('redirect_uri differs from the authorize request');
    const verifier = body.get('code_verifier') ?? '';
    if (createHash('sha256').update(verifier, 'ascii').digest('base64url') !== login.codeChallenge) {
      return refuse('PKCE verification failed');
    }
    if (login.scenario === 'token-error') {
      return refuse(login.tokenErrorDescription ?? 'The code was already redeemed');
    }
    if (login.scenario === 'token-not-json') {
      const page = '<!doctype html><title>502 Bad Gateway</title><h1>Bad Gateway</h1>';
      res.writeHead(502, { 'Content-Type': 'text/html', 'Content-Length': Buffer.byteLength(page) });
      res.end(page);
      return undefined;
    }
    return sendJson(res, 200, {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'openid profile email',
      id_token: idToken(login.scenario, login),
    });
  }

  async function handle(req, res) {
    // The widget calls discovery, JWKS and the token endpoint from the app's origin.
    res.setHeader('Access-Control-Allow-Origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Content-Type, Accept',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    const url = new URL(req.url, origin);
    const client = url.pathname.match(/^\/client\/([^/]+)\.(js|json)$/);
    if (client && req.method === 'GET') {
      const config = clientConfigs[decodeURIComponent(client[1])];
      if (!config) {
        sendJson(res, 404, { error: 'not_found' });
        return;
      }
      const { body, type } = clientConfigBody(config, client[2]);
      res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
      res.end(body);
      return;
    }
    const match = url.pathname.match(
      /^(?:\/([a-z0-9-]+))?(\/\.well-known\/openid-configuration|\/\.well-known\/jwks\.json|\/authorize|\/oauth\/token)$/,
    );
    if (!match) {
      sendJson(res, 404, { error: 'not_found' });
      return;
    }
    const scope = match[1] ?? '';
    switch (match[2]) {
      case '/.well-known/openid-configuration': {
        count(scope, 'discovery');
        sendJson(res, 200, discovery(scope));
        return;
      }
      case '/.well-known/jwks.json':
        count(scope, 'jwks');
        sendJson(res, 200, jwks(scope));
        return;
      case '/authorize':
        if (req.method !== 'GET') break;
        await authorize(req, res, scope, url);
        return;
      case '/oauth/token':
        if (req.method !== 'POST') break;
        await token(req, res, scope);
        return;
      default:
        break;
    }
    sendJson(res, 405, { error: 'method_not_allowed' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error) => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: String(error) });
      else res.destroy(error);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  origin = `http://127.0.0.1:${server.address().port}`;
  // Nothing here may keep the test process alive once the tests are done.
  server.unref();

  return {
    /** The broker's issuer (root); its scenario is the authorize request's `connection`. */
    get origin() { return origin; },
    issuerFor: (scenario) => `${origin}/${scenario}`,
    /** Request counters of an issuer: `{jwks, authorize, token, discovery}`. */
    counts: (scenario) => ({ jwks: 0, authorize: 0, token: 0, discovery: 0, ...counts.get(scenario) }),
    jwksRequests: (scenario) => counts.get(scenario)?.jwks ?? 0,
    tokenRequests: (issuer) => tokenRequests.filter((r) => r.issuer === issuer).map((r) => r.body),
    /**
     * The next `n` authorize requests (of any issuer) wait for each other: none is answered
     * before all `n` arrived. Resolves once they have all been let through.
     */
    holdAuthorizations(n) {
      let open;
      const opened = new Promise((resolve) => { open = resolve; });
      barrier = { expected: n, arrived: 0, opened, open };
      return opened;
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
