// Local OpenID provider for the latch-login tests and demo.
//
// A real `oidc-provider` (v9) instance with Auth0-shaped routes, two public
// clients (`latch-spa`: authorization code + PKCE; `latch-front`: id_token via
// form_post), in-memory accounts and the built-in development login/consent
// pages. Development use only: everything lives in memory, keys are generated
// at startup and all cookies/keys are thrown away when the process exits.

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';

import Provider, { errors } from 'oidc-provider';

/** Fixed `updated_at` for the `alice` account (2024-01-01T00:00:00Z). */
export const ALICE_UPDATED_AT = 1704067200;

/** In-memory account claims; any other login id gets generated claims. */
const KNOWN_ACCOUNTS = new Map([
  ['alice', {
    name: 'Alice Liddell',
    nickname: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    picture: 'https://example.com/alice.png',
    updated_at: ALICE_UPDATED_AT,
  }],
]);

/** Claims for a login id: the known profile, or one derived from the id. */
export function accountClaims(accountId) {
  const known = KNOWN_ACCOUNTS.get(accountId);
  if (known) return { sub: accountId, ...known };
  return {
    sub: accountId,
    name: accountId,
    nickname: accountId,
    email: `${accountId}@example.com`,
    email_verified: false,
  };
}

/** Public client ids that use the implicit/form_post flow on plain http. */
const HTTP_IMPLICIT_CLIENTS = new Set(['latch-front']);

function signingKeys() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return {
    keys: [
      // The first key matching an algorithm is used to sign; RS256 comes first.
      { ...rsa, kid: `rsa-${randomUUID()}`, alg: 'RS256', use: 'sig' },
      { ...ec, kid: `ec-${randomUUID()}`, alg: 'ES256', use: 'sig' },
    ],
  };
}

/** The origins (scheme://host:port) of a list of URLs, ignoring bad entries. */
function originsOf(uris = []) {
  const origins = new Set();
  for (const uri of uris) {
    const parsed = URL.parse(uri);
    if (parsed && (parsed.protocol === 'http:' || parsed.protocol === 'https:')) origins.add(parsed.origin);
  }
  return origins;
}

/**
 * oidc-provider's `features.dPoP` (RFC 9449), as `dpop` asks: on by default (v9's default
 * too), so a token request with a proof gets a DPoP-bound token (`cnf.jkt`) and a code asked
 * for with `dpop_jkt` is exchanged only with that key's proof. `nonces: true` gives the
 * provider a nonce secret (it then answers `DPoP-Nonce` and exposes it to the page through
 * CORS itself, see its initialize_app.js); `requireNonce: true` demands a nonce in every
 * proof (`use_dpop_nonce` first). `algs` replaces the proof algorithms discovery lists in
 * `dpop_signing_alg_values_supported` (default ES256, Ed25519, EdDSA); `enabled: false`
 * drops DPoP and that member altogether.
 *
 * @param {{ enabled?: boolean, nonces?: boolean, requireNonce?: boolean, algs?: string[] }} [dpop]
 */
function dpopFeature({
  enabled = true, nonces = false, requireNonce = false, algs,
} = {}) {
  return {
    feature: {
      enabled,
      ...(nonces || requireNonce ? { nonceSecret: randomBytes(32) } : {}),
      requireNonce: () => requireNonce,
    },
    ...(algs ? { enabledJWA: { dPoPSigningAlgValues: algs } } : {}),
  };
}

/**
 * Build the provider configuration.
 *
 * @param {{ webUrl: string, accessTokenTtl?: number }} options  webUrl: origin of the static web server, no trailing slash; accessTokenTtl: seconds an access token lives (default 3600); dpop: see dpopFeature
 */
export function providerConfiguration({
  webUrl, accessTokenTtl = 3600, extraClients = [], apis = {}, dpop,
}) {
  const dPoP = dpopFeature(dpop);
  // Auth0's `audience` parameter as RFC 8707 resource indicators: an access token asked for
  // one of `apis` (audience -> its scopes) is a JWT for that API.
  const resourceIndicators = {
    enabled: Object.keys(apis).length > 0,
    defaultResource: (ctx) => {
      const audience = ctx.oidc.params?.audience;
      return Object.hasOwn(apis, audience ?? '') ? audience : undefined;
    },
    useGrantedResource: () => true,
    getResourceServerInfo: (_ctx, resource) => {
      if (!Object.hasOwn(apis, resource)) throw new errors.InvalidTarget();
      return { scope: apis[resource], audience: resource, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } };
    },
  };
  const redirectUris = [
    `${webUrl}/`,
    `${webUrl}/e2e/app.html`,
    `${webUrl}/examples/script-tag.html`,
    `${webUrl}/examples/script-module.html`,
    `${webUrl}/examples/lock-compat.html`,
    `${webUrl}/vite/`,
    `${webUrl}/webpack/`,
    // The React example (latch-login/react) and the <latch-login> element's page.
    `${webUrl}/react/`,
    `${webUrl}/e2e/element.html`,
    `${webUrl}/tester.html`,
    // npm run bench: oidc-client-ts's silent_redirect_uri (bench/pages/silent.html).
    `${webUrl}/bench/silent.html`,
    // The same app at localhost: another site than the provider at 127.0.0.1, for the
    // third-party-cookie tests.
    `${webUrl.replace('127.0.0.1', 'localhost')}/e2e/app.html`,
  ];

  return {
    clients: [
      {
        client_id: 'latch-spa',
        client_name: 'latch-login demo (SPA)',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
      },
      {
        client_id: 'latch-front',
        client_name: 'latch-login demo (form_post)',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['implicit'],
        response_types: ['id_token'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris,
      },
      ...extraClients,
    ],

    routes: {
      authorization: '/authorize',
      token: '/oauth/token',
      jwks: '/.well-known/jwks.json',
      userinfo: '/userinfo',
      end_session: '/v2/logout',
    },

    jwks: signingKeys(),
    cookies: {
      keys: [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
    },

    // PKCE (S256 is the only method oidc-provider v9 supports) is mandatory
    // for every authorization-code request; a token request whose
    // code_verifier is missing or wrong then fails with invalid_grant.
    // A confidential client (an app's server with its secret, as Auth0's regular web apps)
    // may exchange a code without PKCE, as at Auth0.
    pkce: { required: (_ctx, client) => client.tokenEndpointAuthMethod === 'none' },

    // A refresh token for every code exchange of a client allowed the grant (by default
    // oidc-provider issues one only for offline_access, which it drops unless
    // prompt=consent). Refresh tokens of public clients rotate on every use, and the whole
    // grant is revoked when a rotated one is used again.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Rotation on every use for every public client, DPoP-bound tokens included (as Auth0's
    // rotation does): oidc-provider's default stops rotating a sender-constrained one, which
    // would leave the DPoP tests without rotation and reuse detection.
    rotateRefreshToken: (ctx) => ctx.oidc.entities.Client.clientAuthMethod === 'none',

    // Auth0-style `connection=NAME` authorize parameter (picked up by brokers).
    extraParams: ['connection', ...(resourceIndicators.enabled ? ['audience'] : [])],

    // The widget reads the profile from the ID token, it never calls /userinfo.
    conformIdTokenClaims: false,
    claims: {
      openid: ['sub'],
      profile: ['name', 'nickname', 'picture', 'updated_at'],
      email: ['email', 'email_verified'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email'],

    async findAccount(_ctx, sub) {
      return {
        accountId: sub,
        async claims() {
          return accountClaims(sub);
        },
      };
    },

    // Cross-origin calls (token, userinfo, ...) are allowed from the origins
    // of the client's own redirect URIs (and post-logout redirect URIs).
    clientBasedCORS(_ctx, origin, client) {
      if (!origin || origin === 'null') return false;
      const allowed = originsOf([...(client.redirectUris || []), ...(client.postLogoutRedirectUris || [])]);
      return allowed.has(origin);
    },

    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      // Lock's checkSession (and auth0-spa-js's) ask for response_mode=web_message.
      webMessageResponseMode: { enabled: true, ack: 'individual-draft-01' },
      resourceIndicators,
      dPoP: dPoP.feature,
    },
    ...(dPoP.enabledJWA ? { enabledJWA: dPoP.enabledJWA } : {}),

    ttl: {
      AccessToken: accessTokenTtl,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
  };
}

/**
 * The client configuration documents served at `/client/{clientId}.js` (as Auth0 serves
 * them: `Auth0.setClient({...});`) and `/client/{clientId}.json`, in the shape Auth0 Lock
 * reads (connections grouped by strategy).
 */
export function defaultClientConfigs({ issuer, webUrl }) {
  const strategies = [
    {
      name: 'oidc',
      connections: [{
        name: 'local-oidc',
        display_name: 'Local OpenID Provider',
        domain: 'example.com',
        domain_aliases: ['example.org'],
      }],
    },
    {
      name: 'auth0-oidc',
      connections: [{ name: 'partner-tenant', display_name: 'Partner tenant' }],
    },
  ];
  const entry = (id) => ({
    id,
    tenant: 'local',
    authorize: `${issuer}/authorize`,
    callback: `${webUrl}/`,
    strategies: structuredClone(strategies),
  });
  return { 'latch-spa': entry('latch-spa'), 'latch-front': entry('latch-front') };
}

const CLIENT_CONFIG_PATH = /^\/client\/([^/]+)\.(js|json)$/;

/**
 * The body and content type of a client configuration as served at `/client/{id}.{format}`:
 * `js` as Auth0 serves it, the one statement `Auth0.setClient({...});` (what auth0-lock loads
 * with a script tag), `json` the document itself. A string is a raw body, served as it is.
 *
 * @param {object|string} config
 * @param {'js'|'json'} format
 */
export function clientConfigBody(config, format) {
  const json = typeof config === 'string' ? config : JSON.stringify(config);
  return format === 'js'
    ? { body: typeof config === 'string' ? config : `Auth0.setClient(${json});`, type: 'text/javascript; charset=utf-8' }
    : { body: json, type: 'application/json; charset=utf-8' };
}

/**
 * Answer `/client/{clientId}.js` and `.json` (and their CORS preflight; Auth0's own file is
 * loaded by Lock as a script, the widget fetches it). Returns false when the request is for
 * some other path; only the path counts (auth0-lock appends `?t{timestamp}`).
 */
function serveClientConfig(req, res, configs) {
  const { pathname } = new URL(req.url, 'http://localhost');
  const match = CLIENT_CONFIG_PATH.exec(pathname);
  if (!match) return false;

  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
    'Access-Control-Max-Age': '600',
  };
  if (req.method === 'OPTIONS') {
    const requested = req.headers['access-control-request-headers'];
    res.writeHead(204, { ...cors, ...(requested ? { 'Access-Control-Allow-Headers': requested } : {}) });
    res.end();
    return true;
  }

  const send = (status, body, type = 'application/json; charset=utf-8') => {
    res.writeHead(status, {
      ...cors,
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    send(405, JSON.stringify({ error: 'method_not_allowed', error_description: `${req.method} is not allowed` }));
    return true;
  }

  let clientId;
  try {
    clientId = decodeURIComponent(match[1]);
  } catch {
    clientId = match[1];
  }
  const config = Object.hasOwn(configs, clientId) ? configs[clientId] : undefined;
  if (config === undefined || config === null) {
    send(404, JSON.stringify({ error: 'not_found', error_description: `unknown client: ${clientId}` }));
  } else {
    const { body, type } = clientConfigBody(config, match[2]);
    send(200, body, type);
  }
  return true;
}

/**
 * Create the provider and the request handler of the provider's server.
 *
 * @param {{ issuer: string, webUrl: string, clientConfigs?: Record<string, object|string|null> }} options
 *   issuer: e.g. `http://127.0.0.1:3000` (no trailing slash);
 *   webUrl: origin of the static server, e.g. `http://127.0.0.1:8080`;
 *   clientConfigs: entries of `/client/{id}.js` and `.json` to add or override: an
 *   object is served in either form, a string is served verbatim, null removes it;
 *   extraClients: more clients of the provider (tests/support/auth0-tenant.mjs);
 *   dpop: features.dPoP as dpopFeature reads it.
 * @returns {{ provider: Provider, handler: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void }}
 */
export function createProvider({
  issuer, webUrl, clientConfigs = {}, accessTokenTtl, extraClients, apis, dpop,
}) {
  const provider = new Provider(issuer, providerConfiguration({
    webUrl, accessTokenTtl, extraClients, apis, dpop,
  }));

  // OpenID Connect requires https redirect URIs for web clients using the
  // implicit flow; this local test server runs on plain http, so the check is
  // relaxed for the dev form_post client only.
  const { invalidate } = provider.Client.Schema.prototype;
  provider.Client.Schema.prototype.invalidate = function relaxedInvalidate(message, code) {
    if (
      (code === 'implicit-force-https' || code === 'implicit-forbid-localhost')
      && HTTP_IMPLICIT_CLIENTS.has(this.client_id)
    ) {
      return undefined;
    }
    return invalidate.call(this, message, code);
  };

  // What the provider saw of each request, once it answered, for the tests that assert on
  // it: `provider.on('test.request', (seen) => ...)`. Nothing is kept without a listener.
  provider.use(async (ctx, next) => {
    const dpop = ctx.get('DPoP');
    await next();
    if (provider.listenerCount('test.request') === 0) return;
    const params = ctx.oidc?.params;
    provider.emit('test.request', {
      method: ctx.method,
      path: ctx.path,
      query: Object.fromEntries(new URLSearchParams(ctx.querystring)),
      params: params ? Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) : {},
      dpop: dpop || null,
      status: ctx.status,
      body: ctx.body && typeof ctx.body === 'object' && !Buffer.isBuffer(ctx.body) && !ctx.body.pipe
        ? structuredClone(ctx.body) : null,
      dpopNonce: ctx.response.get('DPoP-Nonce') || null,
      exposed: ctx.response.get('Access-Control-Expose-Headers') || null,
    });
  });

  const configs = { ...defaultClientConfigs({ issuer, webUrl }), ...clientConfigs };
  const oidc = provider.callback();
  const handler = (req, res) => {
    if (!serveClientConfig(req, res, configs)) oidc(req, res);
  };

  return { provider, handler };
}
