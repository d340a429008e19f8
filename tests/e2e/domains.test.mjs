// Issue 20: the demo's broker flow with the `domain` an Auth0 customer writes, a regional
// domain (`tenant.eu.auth0.com`) and a custom domain (`login.example-app.com`), against a
// local oidc-provider that serves the client configuration as Auth0 does
// (`/client/{clientId}.js`, `Auth0.setClient({...});`) and whose issuer is `https://{domain}/`.
//
// How the public https names reach 127.0.0.1, with no DNS and no internet: each tenant is the
// provider of tests/support/provider.mjs behind an https server on 127.0.0.1 (a throwaway
// self-signed certificate for both names, made with openssl), and each test's browser context
// goes through a CONNECT proxy on 127.0.0.1 that opens a tunnel to that server for
// `{domain}:443` and for nothing else (any other host is refused and recorded; loopback, the
// app's own origin, bypasses the proxy). So the browser really speaks https to the name:
// redirects, Set-Cookie, CORS and the URLs the provider writes (built from the request's Host,
// which is the public name) are all the real thing. Only the certificate is not trusted, which
// `ignoreHTTPSErrors` accepts for these contexts.
//
// Why not `context.route` + `route.fulfill`: Playwright never routes a redirected request
// (playwright-core 1.65's Chromium network manager continues every request that has a
// `redirectedFrom` to the network), so the provider's 303 from `/authorize` to
// `/interaction/{uid}` would go to DNS and fail with ERR_NAME_NOT_RESOLVED; and `route.fetch`
// goes through the context's own cookie store, which would keep the provider's cookies under
// 127.0.0.1 instead of the domain.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { createProvider, defaultClientConfigs } from '../support/provider.mjs';
import { startServers } from '../support/servers.mjs';
import {
  decodeJwt, eventNames, grace, launchBrowser, loginAtProvider, openPage, recordLogin, safetyTimer,
  transactionKeys, waitForEvent,
} from './support.mjs';

safetyTimer('tests/e2e/domains.test.mjs');

const REGIONAL = 'tenant.eu.auth0.com';
const CUSTOM = 'login.example-app.com';
const CLIENT_ID = 'latch-spa';
const BROKER_CONNECTION = 'partner-tenant';

/** The provider's development pages @import Google Fonts, refused by openPage: left out of the origins. */
const FONTS = /^https?:\/\/fonts\.(googleapis|gstatic)\.com\//;

/** Chromium's autofill server, which the browser (not the page) asks about forms it sees. */
const CHROMIUM_AUTOFILL = 'content-autofill.googleapis.com:443';

/** The strict CSP of tests/e2e/widget.test.mjs, with `connect-src` naming the tenant instead
 *  of every loopback port, and no `script-src` for the tenant. */
const cspFor = (connectSrc) => [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  `connect-src ${connectSrc}`,
  "worker-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
const CSP = cspFor(`'self' https://${CUSTOM}`);

// ---------------------------------------------------------------------------------------
// Where auth0-lock 14.3.0 fetches the client configuration from.
//
// node_modules/auth0-lock/lib/core/index.js (`setup` stores it as `clientBaseUrl`):
//
//   function extractClientBaseUrlOption(opts, domain) {
//     if (opts.clientBaseUrl && typeof opts.clientBaseUrl === 'string') {
//       return opts.clientBaseUrl;
//     }
//     if (opts.configurationBaseUrl && typeof opts.configurationBaseUrl === 'string') {
//       return opts.configurationBaseUrl;
//     }
//     if (opts.assetsUrl && typeof opts.assetsUrl === 'string') {
//       return opts.assetsUrl;
//     }
//     return "https://".concat(domain);
//   }
//
// node_modules/auth0-lock/lib/core/client/settings.js (fetchClientSettings, called by
// lib/core/remote_data.js unless the private `__useTenantInfo` is set):
//
//   url: (0, _urlJoin.default)(clientBaseUrl, 'client', "".concat(clientID, ".js?t").concat(+new Date())),
//
// So with no base URL option the configuration comes from the domain itself, regional or
// custom alike: there is no regional CDN rule for it (the `.auth0.com` test in index.js is
// extractTenantBaseUrlOption's, for the tenant info file of `__useTenantInfo`). The `?t...`
// is Lock's cache buster, which latch-login leaves out. The test runs Lock's own function,
// taken from the installed file, so it follows that file rather than a copy of the rule.
// ---------------------------------------------------------------------------------------

const requireFromHere = createRequire(import.meta.url);
const LOCK_CORE = requireFromHere.resolve('auth0-lock/lib/core/index.js');
const LOCK_SETTINGS = requireFromHere.resolve('auth0-lock/lib/core/client/settings.js');
const lockUrlJoin = createRequire(LOCK_CORE)('url-join');

async function lockConfigurationUrl(clientId, domain) {
  const core = await readFile(LOCK_CORE, 'utf8');
  const found = /^function extractClientBaseUrlOption\(opts, domain\) \{\n([\s\S]*?)^\}$/m.exec(core);
  assert.ok(found, `extractClientBaseUrlOption is no longer in ${LOCK_CORE}`);
  const extractClientBaseUrlOption = new Function('opts', 'domain', found[1]);
  const settings = await readFile(LOCK_SETTINGS, 'utf8');
  assert.ok(
    settings.includes(`(clientBaseUrl, 'client', "".concat(clientID, ".js?t").concat(+new Date()))`),
    `fetchClientSettings no longer builds {clientBaseUrl}/client/{clientID}.js?t... in ${LOCK_SETTINGS}`,
  );
  return lockUrlJoin(extractClientBaseUrlOption({}, domain), 'client', `${clientId}.js`);
}

// ---------------------------------------------------------------------------------------
// The servers: the apps' static servers, the tenants, the proxy.
// ---------------------------------------------------------------------------------------

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

function closeServer(server) {
  if (!server.listening) return Promise.resolve();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

/** A self-signed certificate for both names (EC P-256, one day), made in a folder removed at once. */
async function makeCertificate() {
  const dir = await mkdtemp(join(tmpdir(), 'latch-domains-'));
  try {
    await promisify(execFile)('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
      '-subj', '/CN=latch-login e2e', '-addext', `subjectAltName=DNS:${REGIONAL},DNS:${CUSTOM}`,
    ]).catch((error) => {
      throw new Error(`these tests need the openssl command (Debian: apt-get install openssl) for a test certificate: ${error.message}`, { cause: error });
    });
    const [key, cert] = await Promise.all([readFile(join(dir, 'key.pem')), readFile(join(dir, 'cert.pem'))]);
    return { key, cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * A tenant at `https://{domain}`: the local oidc-provider with the issuer Auth0 writes
 * (`https://{domain}/`), redirect URIs of the app at `webUrl`, the default client
 * configurations (its `authorize` as Auth0 writes it), behind an https server on 127.0.0.1.
 * `requests` logs what reached it (`METHOD host/path`, without the query).
 */
async function startTenant({ domain, webUrl, tls }) {
  const origin = `https://${domain}`;
  const issuer = `${origin}/`;
  const { handler } = createProvider({
    issuer,
    webUrl,
    clientConfigs: defaultClientConfigs({ issuer: origin, webUrl }),
  });
  const requests = [];
  const server = createHttpsServer(tls, (req, res) => {
    requests.push(`${req.method} ${req.headers.host}${req.url.replace(/\?.*$/, '')}`);
    handler(req, res);
  });
  const port = await listen(server);
  return {
    domain, origin, issuer, port, requests, close: () => closeServer(server),
  };
}

/**
 * An HTTP proxy on 127.0.0.1 that tunnels `CONNECT {domain}:443` to its tenant's local port
 * and refuses anything else (403), recording it in `refused`.
 */
async function startProxy(tenants) {
  const targets = new Map(tenants.map((t) => [`${t.domain}:443`, t.port]));
  const refused = [];
  const sockets = new Set();
  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createHttpServer((req, res) => {
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'Content-Type': 'text/plain' });
    res.end('not a tenant of this test\n');
  });
  server.on('connect', (req, client, head) => {
    track(client);
    const port = targets.get(req.url);
    if (port === undefined) {
      refused.push(`CONNECT ${req.url}`);
      client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    refused,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await closeServer(server);
    },
  };
}

let browser;
let plain; // the app, no CSP
let strict; // the app under CSP
let tenants; // by domain, for the app at plain.webUrl
let strictTenant; // CUSTOM, for the app at strict.webUrl
let expectedConfiguration; // by domain: Lock's URL

before(async () => {
  let tls;
  [browser, plain, strict, tls] = await Promise.all([
    launchBrowser(),
    startServers(),
    startServers({ webHeaders: { 'Content-Security-Policy': CSP } }),
    makeCertificate(),
  ]);
  const [regional, custom] = await Promise.all([
    startTenant({ domain: REGIONAL, webUrl: plain.webUrl, tls }),
    startTenant({ domain: CUSTOM, webUrl: plain.webUrl, tls }),
  ]);
  tenants = { [REGIONAL]: regional, [CUSTOM]: custom };
  strictTenant = await startTenant({ domain: CUSTOM, webUrl: strict.webUrl, tls });
  expectedConfiguration = {
    [REGIONAL]: await lockConfigurationUrl(CLIENT_ID, REGIONAL),
    [CUSTOM]: await lockConfigurationUrl(CLIENT_ID, CUSTOM),
  };
});

after(async () => {
  await browser?.close();
  await Promise.all([
    plain?.close(), strict?.close(), strictTenant?.close(),
    ...Object.values(tenants ?? {}).map((t) => t.close()),
  ]);
});

/**
 * A fresh context for one test whose https traffic goes through a proxy to `tenant` only,
 * closed (with the proxy) when the test ends; the app page gets `setup` as openPage gives it
 * (sessionStorage['latch-e2e'], on every navigation). Records the page errors, every request
 * URL, and the client configuration requests.
 */
async function openTenantPage(t, tenant, setup) {
  const proxy = await startProxy([tenant]);
  const { context, page, pageErrors } = await openPage(browser, {
    setup,
    contextOptions: { proxy: { server: proxy.url, bypass: '127.0.0.1' }, ignoreHTTPSErrors: true },
  });
  t.after(async () => {
    await context.close();
    await proxy.close();
  });
  const urls = [];
  const configRequests = [];
  page.on('request', (request) => {
    urls.push(request.url());
    if (new URL(request.url()).pathname.startsWith('/client/')) configRequests.push(request);
  });
  return {
    context, page, pageErrors, proxy, urls, configRequests,
  };
}

/** The origins the page's requests went to, Google Fonts (refused in the browser) left out. */
function originsOf(urls) {
  return [...new Set(urls.filter((u) => !FONTS.test(u)).map((u) => new URL(u).origin))].sort();
}

/**
 * The broker flow from the app page with `domain` as Lock's second argument, through the
 * connection partner-tenant: asserts everything on the way and returns what a caller may
 * want to check further.
 */
async function brokerLogin(t, {
  tenant, webUrl, domain = tenant.domain, prepare = async () => {},
}) {
  const opened = await openTenantPage(t, tenant, { domain });
  const { context, page, pageErrors } = opened;
  await prepare(opened);
  const requests = recordLogin(page, { issuer: tenant.origin, webUrl });
  const served = tenant.requests.length;

  const app = await page.goto(`${webUrl}/e2e/app.html`);
  await waitForEvent(page, 'signin ready');

  // The client configuration: exactly where auth0-lock 14.3.0 takes it from, once, and
  // served by the tenant at that name as Auth0 serves it.
  assert.deepEqual(opened.configRequests.map((r) => r.url()), [expectedConfiguration[tenant.domain]]);
  assert.equal(opened.configRequests[0].method(), 'GET');
  const configuration = await opened.configRequests[0].response();
  assert.equal(configuration.status(), 200);
  assert.match(await configuration.text(), /^Auth0\.setClient\(\{"id":"latch-spa",/);
  assert.ok(tenant.requests.slice(served).includes(`GET ${tenant.domain}/client/${CLIENT_ID}.js`), tenant.requests.join('\n'));
  const buttons = await page.locator('.latch button.latch-connection').evaluateAll((list) => list.map((b) => b.dataset.connection));
  assert.deepEqual(buttons, [BROKER_CONNECTION, 'local-oidc']);

  await page.click(`.latch button.latch-connection[data-connection="${BROKER_CONNECTION}"]`, { noWaitAfter: true });
  await loginAtProvider(page, { issuer: tenant.origin, user: 'alice' });
  const result = await waitForEvent(page, 'authenticated');

  // The authorize request: at the domain, for the broker connection.
  assert.equal(requests.authorize.length, 1, 'one authorize request');
  const authorize = requests.authorize[0];
  assert.equal(authorize.origin, tenant.origin);
  assert.equal(authorize.pathname, '/authorize');
  assert.equal(authorize.searchParams.get('connection'), BROKER_CONNECTION);
  assert.equal(authorize.searchParams.get('client_id'), CLIENT_ID);
  assert.equal(authorize.searchParams.get('redirect_uri'), `${webUrl}/e2e/app.html`);
  assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');

  // The response names the issuer as Auth0 writes it (RFC 9207), the code is exchanged at
  // the domain's token endpoint, and the ID token comes from that issuer.
  assert.equal(requests.callbacks.length, 1, 'one response navigation');
  const callback = new URL(requests.callbacks[0]);
  assert.equal(callback.origin + callback.pathname, `${webUrl}/e2e/app.html`);
  assert.equal(callback.searchParams.get('iss'), `https://${tenant.domain}/`);
  assert.equal(requests.token.length, 1, 'one token request');
  assert.equal(requests.token[0].body.get('code'), callback.searchParams.get('code'));
  assert.equal(requests.token[0].body.get('grant_type'), 'authorization_code');
  const reached = tenant.requests.slice(served);
  for (const expected of ['GET /.well-known/openid-configuration', 'POST /oauth/token', 'GET /.well-known/jwks.json']) {
    const [method, path] = expected.split(' ');
    assert.ok(reached.includes(`${method} ${tenant.domain}${path}`), `${expected} did not reach ${tenant.domain}:\n${reached.join('\n')}`);
  }
  const { payload: claims } = decodeJwt(result.idToken);
  assert.equal(claims.iss, `https://${tenant.domain}/`);
  assert.equal(claims.aud, CLIENT_ID);
  assert.equal(claims.nonce, authorize.searchParams.get('nonce'));
  assert.deepEqual(result.idTokenPayload, claims);

  // The profile, as the broker test of login.test.mjs has it.
  assert.equal(result.connection, BROKER_CONNECTION);
  assert.equal(result.profile.user_id, `auth0-oidc|${BROKER_CONNECTION}|alice`);
  assert.deepEqual(result.profile.identities, [
    { user_id: `${BROKER_CONNECTION}|alice`, provider: 'auth0-oidc', connection: BROKER_CONNECTION, isSocial: true },
  ]);
  assert.equal(result.profile.name, 'Alice Liddell');
  assert.equal(result.profile.email, 'alice@example.com');
  assert.equal(result.profile.clientID, CLIENT_ID);

  // The provider's cookies were set on the domain (the login form and consent needed them).
  const cookies = await context.cookies(tenant.origin);
  assert.ok(cookies.some((c) => c.name === '_session' && c.secure && c.domain === tenant.domain), JSON.stringify(cookies));

  // Nothing went anywhere but the app and the domain: no CDN, no other host, not the
  // provider's local address.
  assert.deepEqual(originsOf(opened.urls), [webUrl, tenant.origin].sort());
  // (Chromium itself asks its autofill server about the provider's login form through the
  // context's proxy; that is the browser's request, not the page's, and it is refused.)
  assert.deepEqual(opened.proxy.refused.filter((r) => r !== `CONNECT ${CHROMIUM_AUTOFILL}`), []);

  const url = new URL(page.url());
  assert.equal(url.search, '', 'the response is gone from the address bar');
  assert.deepEqual(await transactionKeys(page), []);
  await grace(page, 300);
  const names = await eventNames(page);
  assert.equal(names.filter((n) => n === 'authenticated').length, 1, names.join(', '));
  assert.ok(!names.some((n) => n.endsWith('_error')), names.join(', '));
  assert.deepEqual(pageErrors, []);
  return { ...opened, app, result };
}

test(`a regional domain (${REGIONAL}): configuration from the domain, broker login through it, iss https://${REGIONAL}/`, async (t) => {
  await brokerLogin(t, { tenant: tenants[REGIONAL], webUrl: plain.webUrl });
});

test(`a custom domain (${CUSTOM}): configuration from the domain, broker login through it, iss https://${CUSTOM}/`, async (t) => {
  await brokerLogin(t, { tenant: tenants[CUSTOM], webUrl: plain.webUrl });
});

test(`under a CSP with no script-src for ${CUSTOM} and connect-src allowing it: the configuration is read as data, the login completes, no violation`, async (t) => {
  // Every violation of every document of the context, reported to the test as it happens
  // (the app page is left for the provider and a new one comes back); the provider's own
  // pages are not the app's and are left out.
  const violations = [];
  const { app } = await brokerLogin(t, {
    tenant: strictTenant,
    webUrl: strict.webUrl,
    async prepare({ context }) {
      await context.exposeBinding('latchTestViolation', (_source, violation) => violations.push(violation));
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          window.latchTestViolation({ page: e.documentURI, text: `${e.violatedDirective} ${e.blockedURI}` });
        });
      });
    },
  });
  // The app really was under that policy: the tenant in connect-src, not in script-src.
  const policy = app.headers()['content-security-policy'];
  assert.equal(policy, CSP);
  const directive = (name) => policy.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
  assert.equal(directive('script-src'), "script-src 'self' 'wasm-unsafe-eval'");
  assert.ok(directive('connect-src').split(' ').includes(`https://${CUSTOM}`));
  assert.deepEqual(violations.filter((v) => v.page.startsWith(strict.webUrl)), []);
});

test(`the CSP test can fail: with connect-src not allowing ${CUSTOM}, the configuration is blocked and the violation seen`, async (t) => {
  const { context, page, pageErrors } = await openTenantPage(t, strictTenant, { domain: CUSTOM });
  const violations = [];
  await context.exposeBinding('latchTestViolation', (_source, violation) => violations.push(violation));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.latchTestViolation({ page: e.documentURI, text: `${e.violatedDirective} ${e.blockedURI}` });
    });
  });
  // The same app page, its policy's connect-src narrowed to the app itself.
  await context.route(`${strict.webUrl}/e2e/app.html`, async (route) => {
    const response = await route.fetch();
    route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': cspFor("'self'") } });
  });
  await page.goto(`${strict.webUrl}/e2e/app.html`);
  const error = await waitForEvent(page, 'unrecoverable_error');
  assert.equal(error.error, 'configuration_unavailable');
  assert.ok(
    violations.some((v) => v.page.startsWith(strict.webUrl) && v.text === `connect-src ${expectedConfiguration[CUSTOM]}`),
    JSON.stringify(violations),
  );
  assert.deepEqual(pageErrors, []);
});
