// Direct connections to the providers people run (issue 29), each from its test profile
// (tests/support/profiles.mjs): Entra ID (one tenant, and common with its {tenantid} issuer),
// Okta (org and custom authorization servers), Keycloak (a realm) and Google, each a real
// oidc-provider on 127.0.0.1 shaped as that provider publishes itself. Beside them, the four
// defects the issue found against django-oidc-provider and the two rules it asked for.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { OTHER_TENANT, TENANT, startProfiles } from '../support/profiles.mjs';
import { startServers } from '../support/servers.mjs';
import {
  decodeJwt, eventNames, grace, launchBrowser, loginAtProvider, openPage, s256, safetyTimer,
  waitForEvent, waitForOutcome,
} from './support.mjs';

safetyTimer('tests/e2e/providers.test.mjs', 6 * 60_000);

let servers;
let profiles;
let browser;

before(async () => {
  [servers, browser] = await Promise.all([startServers(), launchBrowser()]);
  profiles = await startProfiles({ webUrl: servers.webUrl });
});

after(async () => {
  await browser?.close();
  await profiles?.close();
  await servers?.close();
});

/** The app with one direct connection (and `auth`), its requests to the profile server. */
async function openApp(t, connection, auth = {}) {
  const opened = await openPage(browser, {
    setup: { domain: '', options: { connections: [connection], auth } },
  });
  t.after(() => opened.context.close());
  const seen = { authorize: [], token: [], userinfo: [] };
  opened.page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin !== profiles.origin) return;
    if (/\/(authorize|auth)$/.test(url.pathname)) seen.authorize.push(url.searchParams);
    if (/token$/.test(url.pathname) && request.method() === 'POST') {
      seen.token.push(new URLSearchParams(request.postData() ?? ''));
    }
    if (/userinfo$/.test(url.pathname) && request.method() === 'GET') seen.userinfo.push(url.pathname);
  });
  await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
  await waitForEvent(opened.page, 'signin ready');
  return { ...opened, seen };
}

/** Clicks the connection's button and signs in as `user` at the profile's provider. */
async function logIn(page, name, user = 'alice') {
  await page.click(`.latch button.latch-connection[data-connection="${name}"]`, { noWaitAfter: true });
  await loginAtProvider(page, { issuer: profiles.origin, user });
  return waitForOutcome(page);
}

const connection = (name, more = {}) => ({
  name,
  issuer: profiles.issuerUrl(name),
  client_id: 'latch-spa',
  scopes: 'openid profile email',
  ...more,
});

/** What every profile's login shares: PKCE S256, the verifier sent, the signed-in alice. */
function assertLoggedIn(outcome, seen, name) {
  assert.equal(outcome.name, 'authenticated', JSON.stringify(outcome.payload));
  const result = outcome.payload;
  assert.equal(seen.authorize.length, 1);
  assert.equal(seen.authorize[0].get('code_challenge_method'), 'S256');
  assert.equal(seen.authorize[0].get('code_challenge'), s256(seen.token[0].get('code_verifier')));
  assert.equal(seen.token[0].has('client_secret'), false, 'a public client: no secret');
  assert.equal(result.profile.user_id, `oidc|${name}|alice`);
  assert.equal(result.profile.name, 'Alice Liddell');
  assert.equal(result.profile.email, 'alice@example.com');
  return decodeJwt(result.idToken).payload;
}

test('Entra ID, one tenant: no PKCE member in discovery, S256 sent; the email, absent from the ID token, from userinfo', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, connection('entra-tenant'));
  const payload = assertLoggedIn(await logIn(page, 'entra-tenant'), seen, 'entra-tenant');
  assert.equal(payload.iss, `${profiles.origin}/entra/${TENANT}/v2.0`);
  assert.equal(payload.tid, TENANT);
  assert.equal(payload.ver, '2.0');
  assert.ok(payload.oid);
  assert.equal(payload.preferred_username, 'alice@contoso.onmicrosoft.com');
  assert.equal(payload.email, undefined, 'Entra ID puts no email in its ID token by default');
  assert.deepEqual(seen.userinfo, [`/entra/${TENANT}/oidc/userinfo`], 'one userinfo request, for the email');
  assert.deepEqual(pageErrors, []);
});

test('Entra ID, common: the {tenantid} issuer, filled with the token\'s own tid, is accepted', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, connection('entra-common'));
  const payload = assertLoggedIn(await logIn(page, 'entra-common'), seen, 'entra-common');
  assert.equal(payload.iss, `${profiles.origin}/entra/${TENANT}/v2.0`);
  assert.equal(payload.tid, TENANT);
  assert.deepEqual(pageErrors, []);
});

test('Entra ID, common: a token whose tid is another tenant than its iss names is refused', async (t) => {
  const { page, seen } = await openApp(t, connection('entra-common'));
  const outcome = await logIn(page, 'entra-common', 'mallory');
  assert.equal(outcome.name, 'authorization_error');
  assert.equal(outcome.payload.error, 'issuer_mismatch');
  assert.equal(seen.token.length, 1, 'refused after the code exchange, at the ID token');
  assert.deepEqual(seen.userinfo, []);
  assert.equal(OTHER_TENANT === TENANT, false);
  await grace(page);
  assert.equal((await eventNames(page)).includes('authenticated'), false);
});

test('Entra ID, common: a token without tid is refused', async (t) => {
  const { page } = await openApp(t, connection('entra-common'));
  const outcome = await logIn(page, 'entra-common', 'ghost');
  assert.equal(outcome.name, 'authorization_error');
  assert.equal(outcome.payload.error, 'issuer_mismatch');
});

test('Entra ID, common: the template on another host than the one that answers is refused', async (t) => {
  // The app's issuer template names localhost; the provider answering at 127.0.0.1 signs
  // tokens whose iss is 127.0.0.1's: its RFC 9207 iss parameter already gives it away.
  const at = (path) => `${profiles.origin}/entra/${TENANT}${path}`;
  const { page, seen } = await openApp(t, {
    name: 'entra-elsewhere',
    client_id: 'latch-spa',
    issuer: `${profiles.origin.replace('127.0.0.1', 'localhost')}/entra/{tenantid}/v2.0`,
    authorization_endpoint: at('/oauth2/v2.0/authorize'),
    token_endpoint: at('/oauth2/v2.0/token'),
    jwks_uri: at('/discovery/v2.0/keys'),
  });
  const outcome = await logIn(page, 'entra-elsewhere');
  assert.equal(outcome.name, 'authorization_error');
  assert.equal(outcome.payload.error, 'iss_mismatch');
  assert.deepEqual(seen.token, [], 'no code exchange');
});

test('Okta, org authorization server: logs in; ver and idp reach idTokenPayload', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, connection('okta-org'));
  const payload = assertLoggedIn(await logIn(page, 'okta-org'), seen, 'okta-org');
  assert.equal(payload.iss, `${profiles.origin}/okta`);
  assert.equal(payload.ver, 1);
  assert.equal(payload.idp, '00ok1u7AsAkrwdZL3z0g');
  assert.deepEqual(seen.userinfo, [], 'the ID token holds what the scope asked for');
  assert.deepEqual(pageErrors, []);
});

test('Okta, custom authorization server: logs in with its issuer under /oauth2/default', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, connection('okta-custom'));
  const payload = assertLoggedIn(await logIn(page, 'okta-custom'), seen, 'okta-custom');
  assert.equal(payload.iss, `${profiles.origin}/okta/oauth2/default`);
  assert.deepEqual(pageErrors, []);
});

test('Keycloak, a realm: logs in, its iss response parameter checked; typ and sid reach idTokenPayload', async (t) => {
  const { page, pageErrors, seen } = await openApp(t, connection('keycloak'));
  const payload = assertLoggedIn(await logIn(page, 'keycloak'), seen, 'keycloak');
  assert.equal(payload.iss, `${profiles.origin}/keycloak/realms/latch`);
  assert.equal(payload.typ, 'ID');
  assert.ok(payload.sid);
  assert.deepEqual(pageErrors, []);
});

test('Google: logs in as its discovery is shaped (hd claim), with no offline_access under useRefreshTokens', async (t) => {
  // A public client at this stand-in; Google itself asks a web client for its secret at the
  // token endpoint, which the widget never holds (next test and README "Providers").
  const { page, pageErrors, seen } = await openApp(t, connection('google'), { useRefreshTokens: true });
  const payload = assertLoggedIn(await logIn(page, 'google'), seen, 'google');
  assert.equal(payload.iss, `${profiles.origin}/google`);
  assert.equal(payload.hd, 'example.com');
  assert.equal(seen.authorize[0].get('scope'), 'openid profile email', 'Google lists no offline_access');
  assert.deepEqual(pageErrors, []);
});

test('Google: a web client\'s secret is refused by the widget before anything is fetched', async (t) => {
  const opened = await openPage(browser, {
    setup: {
      domain: '',
      options: { connections: [connection('google', { client_secret: 'GOCSPX-not-for-browsers' })] },
    },
  });
  t.after(() => opened.context.close());
  const requests = [];
  opened.page.on('request', (r) => requests.push(r.url()));
  await opened.page.goto(`${servers.webUrl}/e2e/app.html`);
  const error = await waitForEvent(opened.page, 'unrecoverable_error');
  assert.equal(error.error, 'client_secret_in_browser');
  assert.equal(requests.some((u) => u.startsWith(profiles.origin)), false);
});

// --- The two rules.

test('rule: PKCE S256 is sent when discovery is silent, and refused there by require_pkce_metadata', async (t) => {
  const silent = await openApp(t, connection('entra-tenant'));
  assertLoggedIn(await logIn(silent.page, 'entra-tenant'), silent.seen, 'entra-tenant');

  const strict = await openApp(t, connection('entra-tenant', { require_pkce_metadata: true }));
  await strict.page.click('.latch button.latch-connection[data-connection="entra-tenant"]', { noWaitAfter: true });
  const outcome = await waitForOutcome(strict.page);
  assert.notEqual(outcome.name, 'authenticated');
  assert.equal(outcome.payload.error, 'discovery_missing_field');
  assert.match(outcome.payload.errorDescription, /code_challenge_methods_supported/);
  assert.deepEqual(strict.seen.authorize, [], 'the user is sent nowhere');
});

// --- The four defects.

test('defect 1: useRefreshTokens asks a direct provider for offline_access, and renews with its refresh token', async (t) => {
  const { page, pageErrors, seen } = await openApp(
    t,
    connection('okta-org'),
    { useRefreshTokens: true, params: { prompt: 'consent' } },
  );
  assertLoggedIn(await logIn(page, 'okta-org'), seen, 'okta-org');
  assert.equal(seen.authorize[0].get('scope'), 'openid profile email offline_access');
  await page.evaluate(() => window.latch.getTokenSilently({ cacheMode: 'off' }));
  assert.deepEqual(seen.token.map((b) => b.get('grant_type')), ['authorization_code', 'refresh_token']);
  assert.deepEqual(pageErrors, []);
});

test('defect 2: the profile is completed from userinfo, which must name the same sub; profile_from_userinfo: false opts out', async (t) => {
  const merged = await openApp(t, connection('entra-tenant'));
  const result = (await logIn(merged.page, 'entra-tenant')).payload;
  assert.equal(result.profile.email, 'alice@example.com');
  assert.equal(result.profile.nickname, 'alice@contoso.onmicrosoft.com', 'the ID token\'s own claim stands');
  assert.equal(result.idTokenPayload.email, undefined, 'idTokenPayload is the token\'s, unchanged');

  profiles.quirks.userinfoSub = 'someone-else';
  t.after(() => { profiles.quirks.userinfoSub = undefined; });
  const foreign = await openApp(t, connection('entra-tenant'));
  const outcome = await logIn(foreign.page, 'entra-tenant');
  profiles.quirks.userinfoSub = undefined;
  assert.equal(outcome.name, 'authorization_error');
  assert.equal(outcome.payload.error, 'userinfo_subject_mismatch');
  assert.equal(await foreign.page.evaluate(() => window.latch.getTokens?.() ?? null), null);

  const alone = await openApp(t, connection('entra-tenant', { profile_from_userinfo: false }));
  const own = (await logIn(alone.page, 'entra-tenant')).payload;
  assert.equal(own.profile.email, undefined);
  assert.deepEqual(alone.seen.userinfo, []);
});

test('defect 3: explicit endpoints take a userinfo_endpoint, which getUserInfo then asks', async (t) => {
  const realm = `${profiles.origin}/keycloak/realms/latch`;
  const at = (path) => `${realm}/protocol/openid-connect${path}`;
  const { page, pageErrors } = await openApp(t, {
    name: 'keycloak-explicit',
    client_id: 'latch-spa',
    issuer: realm,
    authorization_endpoint: at('/auth'),
    token_endpoint: at('/token'),
    jwks_uri: at('/certs'),
    userinfo_endpoint: at('/userinfo'),
  });
  const outcome = await logIn(page, 'keycloak-explicit');
  assert.equal(outcome.name, 'authenticated', JSON.stringify(outcome.payload));
  const claims = await page.evaluate((token) => window.latch.getUserInfo(token), outcome.payload.accessToken);
  assert.equal(claims.sub, 'alice');
  assert.equal(claims.email, 'alice@example.com');
  assert.deepEqual(pageErrors, []);
});

test('defect 4: a token response without scope leaves the payload the scope asked for', async (t) => {
  profiles.quirks.omitScope = true;
  t.after(() => { profiles.quirks.omitScope = false; });
  const { page, pageErrors, seen } = await openApp(t, connection('okta-custom'));
  const outcome = await logIn(page, 'okta-custom');
  assertLoggedIn(outcome, seen, 'okta-custom');
  assert.equal(outcome.payload.scope, 'openid profile email');
  assert.equal((await page.evaluate(() => window.latch.getTokens())).scope, 'openid profile email');
  assert.deepEqual(pageErrors, []);
});
