// Issue 26: pages written the way auth0-lock 14's README and EXAMPLES.md, Auth0's Lock
// documentation and Auth0's embedded-login sample write them (tests/e2e/pages/lock-docs/),
// with pkg/compat.js where Lock's script tag was, against a tenant shaped as Auth0 serves one
// (tests/support/auth0-tenant.mjs). Each asserts the outcome the docs describe. Then every
// option of Lock's, as the table in src/core/lock_options.rs lists it, on a page of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import {
  API, DATABASE, ENTERPRISE, ENTERPRISE_DOMAIN, SERVER_CALLBACK, SPA_CLIENT, WEB_CLIENT, WEB_SECRET, auth0Tenant,
} from '../support/auth0-tenant.mjs';
import {
  EVENT_TIMEOUT, cancelAtProvider, decodeJwt, loginAtProvider, openPage, recordLogin, serversAndBrowser,
} from './support.mjs';

const shared = serversAndBrowser('lock-docs.test.mjs', { tenant: auth0Tenant });

/** A documented page, opened fresh, with its console and its logins recorded. */
async function open(t, name) {
  const { servers, browser } = shared;
  const { context, page, pageErrors } = await openPage(browser);
  t.after(() => context.close());
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push({ type: m.type(), text: m.text() }));
  const record = recordLogin(page, servers);
  await page.goto(`${servers.webUrl}/e2e/lock-docs/${name}`);
  return {
    context, page, pageErrors, consoleLines, record,
  };
}

/** Waits for Lock's event `name` on the page (recorded by record.js); fails on another
 *  login-ending event. */
async function lockEvent(page, name) {
  const ending = ['authenticated', 'authorization_error', 'unrecoverable_error'];
  await page.waitForFunction(
    ({ wanted, ending }) => (window.lockEvents ?? []).some((e) => e.name === wanted || ending.includes(e.name)),
    { wanted: name, ending },
    { timeout: EVENT_TIMEOUT, polling: 50 },
  );
  const events = await page.evaluate(() => structuredClone(window.lockEvents));
  const found = events.find((e) => e.name === name || ending.includes(e.name));
  assert.equal(found.name, name, JSON.stringify(found.payload));
  return found.payload;
}

/** Types `email` into the panel's email field and presses Continue. */
async function continueWith(page, email) {
  await page.fill('.latch input.latch-hrd-email', email);
  await page.click('.latch button.latch-hrd-submit', { noWaitAfter: true });
}

test('README usage: the social button, then getUserInfo with the access token', async (t) => {
  const { page, pageErrors, record } = await open(t, 'readme.html');
  await page.click('#btn-login');
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(page, shared.servers);
  await lockEvent(page, 'authenticated');
  await page.waitForFunction(() => document.getElementById('nick').textContent === 'alice');
  assert.equal(record.authorize[0].searchParams.get('connection'), 'google-oauth2');
  assert.deepEqual(pageErrors, []);
});

test('item 1: allowedConnections with the database connection: email and Continue, then the hosted login page, no password in the widget', async (t) => {
  const { page, pageErrors, record } = await open(t, 'database.html');
  await page.waitForSelector('.latch input.latch-hrd-email');
  assert.equal(await page.locator('.latch input[type=password]').count(), 0, 'no password field in the widget');
  assert.equal(await page.locator('.latch button.latch-connection').count(), 0, 'the database has no button');
  await continueWith(page, 'alice@example.com');
  await loginAtProvider(page, shared.servers);
  const result = await lockEvent(page, 'authenticated');
  const authorize = record.authorize[0].searchParams;
  assert.equal(authorize.get('connection'), DATABASE);
  assert.equal(authorize.get('login_hint'), 'alice@example.com');
  assert.equal(result.profile.sub ?? result.idTokenPayload.sub, 'alice');
  assert.equal(await page.evaluate(() => localStorage.getItem('accessToken')), result.accessToken);
  assert.deepEqual(pageErrors, []);
});

test('item 1: home realm discovery: an enterprise domain goes to its connection, any other email to the database', async (t) => {
  const { page, pageErrors, record } = await open(t, 'enterprise.html');
  await page.waitForSelector('.latch input.latch-hrd-email');
  await continueWith(page, `jo@${ENTERPRISE_DOMAIN}`);
  await page.waitForSelector('input[name="login"]');
  assert.equal(record.authorize[0].searchParams.get('connection'), ENTERPRISE);
  assert.equal(record.authorize[0].searchParams.get('login_hint'), `jo@${ENTERPRISE_DOMAIN}`);

  await page.goto(`${shared.servers.webUrl}/e2e/lock-docs/enterprise.html`);
  await page.waitForSelector('.latch input.latch-hrd-email');
  await continueWith(page, 'jo@gmail.example');
  await loginAtProvider(page, shared.servers);
  await lockEvent(page, 'authenticated');
  assert.equal(record.authorize[1].searchParams.get('connection'), DATABASE);
  assert.ok(await page.evaluate(() => localStorage.getItem('id_token')));
  assert.deepEqual(pageErrors, []);
});

test("item 2: the embedded-login sample's responseType 'token id_token': code + PKCE, Lock's authResult, one console line", async (t) => {
  const {
    page, pageErrors, record, consoleLines,
  } = await open(t, 'spa.html');
  const carriedOut = () => consoleLines.filter((l) => l.text.includes('auth.responseType'));
  await page.click('#btn-login');
  await page.waitForSelector('.latch button.latch-connection');
  // One line as the page is loaded (and one again as it is loaded on the way back).
  assert.equal(carriedOut().length, 1, JSON.stringify(consoleLines));
  assert.match(carriedOut()[0].text, /`token id_token` is carried out as `code` with PKCE/);
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(page, shared.servers);
  const result = await lockEvent(page, 'authenticated');
  for (const member of ['accessToken', 'idToken', 'idTokenPayload', 'expiresIn', 'tokenType', 'scope', 'state']) {
    assert.ok(result[member] !== undefined, `authResult.${member}`);
  }
  assert.equal(result.tokenType, 'Bearer');
  const authorize = record.authorize[0].searchParams;
  assert.equal(authorize.get('response_type'), 'code');
  assert.equal(authorize.get('code_challenge_method'), 'S256');
  assert.equal(authorize.get('audience'), `${shared.servers.issuer}/userinfo`, 'auth.audience');
  assert.equal(result.state, authorize.get('state'));
  assert.equal(record.token.length, 1, 'the page exchanged the code');
  await page.waitForFunction(() => document.getElementById('login-status').textContent === 'You are logged in!');
  const expiresAt = Number(await page.evaluate(() => localStorage.getItem('expires_at')));
  assert.ok(expiresAt > Date.now() + 3000 * 1000, `expires_at ${expiresAt}`);
  assert.equal(carriedOut().length, 2, 'once for each of the two loads');
  // `autoclose`, which the widget does without being asked, is named once a load.
  assert.equal(consoleLines.filter((l) => l.text.includes('`autoclose`')).length, 2);
  assert.deepEqual(pageErrors, []);
});

test("item 3: a regular web app's responseType 'code': no PKCE, its state as given, the server exchanges the code with its secret", async (t) => {
  const { page, pageErrors, record } = await open(t, 'web-app.html');
  const { servers } = shared;
  // The app's server, standing in for it at its callback URL.
  await page.route((url) => url.pathname === SERVER_CALLBACK, (route) => route.fulfill({ contentType: 'text/html', body: '<p>The server took the code.</p>' }));
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(page, servers);
  await page.waitForURL((url) => url.pathname === SERVER_CALLBACK);
  const served = new URL(page.url());
  const authorize = record.authorize[0].searchParams;
  assert.equal(authorize.get('client_id'), WEB_CLIENT);
  assert.equal(authorize.get('response_type'), 'code');
  assert.equal(authorize.get('state'), 'nonce-from-the-server');
  assert.equal(authorize.get('code_challenge'), null);
  assert.equal(authorize.get('code_challenge_method'), null);
  assert.equal(record.token.length, 0, 'no exchange in the page');
  assert.equal(served.searchParams.get('state'), 'nonce-from-the-server');
  // The app's server, with its secret and no verifier.
  const answer = await fetch(`${servers.issuer}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: served.searchParams.get('code'),
      redirect_uri: `${servers.webUrl}${SERVER_CALLBACK}`,
      client_id: WEB_CLIENT,
      client_secret: WEB_SECRET,
    }),
  });
  const tokens = await answer.json();
  assert.equal(answer.status, 200, JSON.stringify(tokens));
  assert.ok(tokens.id_token && tokens.access_token);
  assert.deepEqual(pageErrors, []);
});

test('item 4: auth.audience is sent as the audience parameter, and the access token is for the API', async (t) => {
  const { page, pageErrors, record } = await open(t, 'api.html');
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(page, shared.servers);
  const result = await lockEvent(page, 'authenticated');
  assert.equal(record.authorize[0].searchParams.get('audience'), API);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('api_token')), result.accessToken);
  // The access token is for the API: a JWT whose audience it is, with the API's scope.
  const { payload } = decodeJwt(result.accessToken);
  assert.equal(payload.aud, API);
  assert.match(payload.scope, /read:messages/);
  assert.deepEqual(pageErrors, []);
});

test("item 6: EXAMPLES.md's show({ auth: { params: { state } } }): kept and returned as authResult.state, the widget's own state against CSRF", async (t) => {
  const { page, pageErrors, record } = await open(t, 'show-state.html');
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(page, shared.servers);
  const result = await lockEvent(page, 'authenticated');
  assert.equal(result.state, 'auth_state');
  const sent = record.authorize[0].searchParams.get('state');
  assert.notEqual(sent, 'auth_state');
  assert.ok(sent.length >= 43, 'the widget sent its own random state');
  assert.equal(await page.title(), 'state: auth_state');
  assert.deepEqual(pageErrors, []);
});

test("item 7: initialScreen 'signUp' asks the hosted page for its sign-up form; the Sign up link does too", async (t) => {
  const { page, pageErrors, record } = await open(t, 'signup.html');
  await page.waitForSelector('.latch input.latch-hrd-email');
  await continueWith(page, 'new@example.com');
  await page.waitForSelector('input[name="login"]');
  let authorize = record.authorize[0].searchParams;
  assert.equal(authorize.get('screen_hint'), 'signup');
  assert.equal(authorize.get('connection'), DATABASE);
  assert.equal(authorize.get('login_hint'), 'new@example.com');

  // Any page with the database connection has the link, as Lock has its Sign Up tab.
  await page.goto(`${shared.servers.webUrl}/e2e/lock-docs/database.html`);
  await page.click('.latch button.latch-sign-up', { noWaitAfter: true });
  await page.waitForSelector('input[name="login"]');
  authorize = record.authorize[1].searchParams;
  assert.equal(authorize.get('screen_hint'), 'signup');
  assert.equal(authorize.get('connection'), DATABASE);
  // Without them, no screen_hint.
  await page.goto(`${shared.servers.webUrl}/e2e/lock-docs/database.html`);
  await continueWith(page, 'back@example.com');
  await page.waitForSelector('input[name="login"]');
  assert.equal(record.authorize[2].searchParams.get('screen_hint'), null);
  assert.deepEqual(pageErrors, []);
});

test("item 8: a flashMessage set in on('authorization_error') sits on the login screen, with the buttons", async (t) => {
  const { page, pageErrors } = await open(t, 'flash.html');
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await cancelAtProvider(page, shared.servers);
  const error = await lockEvent(page, 'authorization_error');
  assert.equal(error.error, 'access_denied');
  await page.waitForSelector('.latch .latch-flash');
  assert.equal(await page.textContent('.latch .latch-flash'), error.errorDescription);
  await page.waitForSelector('.latch button.latch-connection[data-connection="google-oauth2"]');
  assert.equal(await page.locator('.latch .latch-error').count(), 0, "not the widget's own error screen");
  assert.deepEqual(pageErrors, []);
});

test('item 8: an unrecoverable_error (a bad option) shows in the panel, not only in the console', async (t) => {
  const { page, pageErrors } = await open(t, 'unrecoverable.html');
  const error = await lockEvent(page, 'unrecoverable_error');
  assert.equal(error.error, 'invalid_option');
  await page.waitForSelector('.latch .latch-error-detail');
  const shown = await page.textContent('.latch .latch-error-detail');
  assert.equal(shown, error.errorDescription);
  assert.match(shown, /auth\.redirectUrl/);
  // Its one button closes it: the same options would be refused again, so no "Try again".
  assert.equal(await page.textContent('.latch .latch-error button.latch-retry'), 'Close');
  // The modal closes.
  await page.click('.latch button.latch-close');
  assert.equal(await page.locator('.latch').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test("EXAMPLES.md's popup mode: the login in a popup, the page staying", async (t) => {
  const { page, pageErrors, context } = await open(t, 'popup.html');
  const popup = context.waitForEvent('page');
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(await popup, shared.servers);
  const result = await lockEvent(page, 'authenticated');
  assert.equal(result.idTokenPayload.sub, 'alice');
  assert.equal(await page.title(), 'popup: alice');
  assert.deepEqual(pageErrors, []);
});

test('inline in a container, with the theme and the title of languageDictionary', async (t) => {
  const { page, pageErrors } = await open(t, 'container.html');
  await lockEvent(page, 'signin ready');
  assert.equal(await page.locator('#hiw-login-container .latch').count(), 1);
  assert.equal(await page.textContent('.latch-title'), 'My Company');
  assert.equal(await page.locator('.latch button.latch-close').count(), 0, 'closable: false');
  assert.deepEqual(pageErrors, []);
});

test("README's checkSession and logout: renewed in a hidden frame, then /v2/logout with returnTo", async (t) => {
  const { page, pageErrors } = await open(t, 'logout.html');
  await page.click('.latch button.latch-connection[data-connection="google-oauth2"]', { noWaitAfter: true });
  await loginAtProvider(page, shared.servers);
  await lockEvent(page, 'authenticated');
  await page.waitForFunction(() => document.getElementById('session').textContent === 'renewed: alice');
  const logout = page.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await page.click('#btn-logout');
  const url = new URL((await logout).url());
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${shared.servers.webUrl}/e2e/lock-docs/logout.html`);
  assert.equal(url.searchParams.get('client_id'), SPA_CLIENT);
  assert.deepEqual(pageErrors, []);
});

/** The table of Lock 14's options, as the core has it. */
function lockOptions() {
  const source = readFileSync(new URL('../../src/core/lock_options.rs', import.meta.url), 'utf8');
  const table = /pub const LOCK_OPTIONS: &\[\(&str, Option<Ignored>\)\] = &\[([^\]]*)\];/.exec(source)[1];
  return [...table.matchAll(/\("([^"]+)", (None|Some\(Ignored::\w+\))\)/g)]
    .map(([, name, why]) => ({ name, ignored: why !== 'None' }));
}

/** A value of the shape Lock takes for each option (auth0-lock 14's docs). */
const SAMPLES = {
  additionalSignUpFields: [{ name: 'address', placeholder: 'your address' }],
  allowAutocomplete: true,
  allowForgotPassword: false,
  allowLogin: true,
  allowPasswordAutocomplete: true,
  allowShowPassword: true,
  allowSignUp: false,
  allowedConnections: ['google-oauth2', DATABASE],
  assetsUrl: 'ORIGIN',
  auth: { params: { prompt: 'login' } },
  'auth.audience': 'https://api.example.com/',
  'auth.autoParseHash': true,
  'auth.connectionScopes': { 'google-oauth2': ['email'] },
  'auth.nonce': 'a-nonce',
  'auth.params': { scope: 'openid email' },
  'auth.redirect': true,
  'auth.redirectUrl': 'PAGE',
  'auth.responseMode': 'form_post',
  'auth.responseType': 'token',
  'auth.sso': false,
  'auth.state': 'app-state',
  autoclose: true,
  autofocus: false,
  avatar: null,
  clientBaseUrl: 'ORIGIN',
  closable: false,
  configurationBaseUrl: 'ORIGIN',
  connectionResolver: 'FUNCTION',
  container: 'CONTAINER',
  defaultADUsernameFromEmailPrefix: false,
  defaultDatabaseConnection: DATABASE,
  defaultEnterpriseConnection: ENTERPRISE,
  defaultLocation: 'US',
  disableWarnings: true,
  emailFirst: true,
  flashMessage: { type: 'success', text: 'Welcome' },
  forceAutoHeight: true,
  forgotPasswordLink: 'https://example.com/forgot',
  hashCleanup: false,
  hooks: { signUp: 'FUNCTION' },
  initialScreen: 'login',
  language: 'en',
  languageBaseUrl: 'https://cdn.auth0.com/js/lock/14.3.0/',
  languageDictionary: { title: 'Welcome' },
  leeway: 30,
  legacySameSiteCookie: false,
  loginAfterSignUp: false,
  mobile: true,
  mustAcceptTerms: true,
  overrides: { __tenant: 'lock-docs' },
  passwordlessMethod: 'code',
  popupOptions: { width: 300, height: 400 },
  preferConnectionDisplayName: true,
  prefill: { email: 'someone@example.com' },
  rememberLastLogin: false,
  scrollGlobalMessagesIntoView: false,
  showTerms: false,
  signUpFieldsStrictValidation: true,
  signUpHideUsernameField: true,
  signUpLink: 'https://example.com/signup',
  theme: { primaryColor: '#31324F' },
  'theme.authButtons': { 'google-oauth2': { displayName: 'Google', primaryColor: '#fff', foregroundColor: '#000' } },
  'theme.hideMainScreenTitle': true,
  'theme.labeledSubmitButton': false,
  'theme.logo': 'https://example.com/logo.png',
  'theme.primaryColor': '#31324F',
  useCustomPasswordlessConnection: false,
  usernameStyle: 'email',
};

test("every option in the core's table of Lock 14's options: the widget still renders, an ignored one named once in the console", async (t) => {
  const table = lockOptions();
  assert.ok(table.length > 60, `${table.length} options`);
  // The table names what auth0-lock 14's sources read, and each has a sample here.
  const lockSources = [
    'core/index.js', 'engine/classic.js', 'engine/passwordless.js', 'core/web_api/p2_api.js',
    'connection/database/index.js', 'connection/passwordless/index.js', 'connection/enterprise.js',
  ]
    .map((file) => readFileSync(new URL(`../../node_modules/auth0-lock/lib/${file}`, import.meta.url), 'utf8'))
    .join('\n');
  for (const { name } of table) {
    assert.ok(Object.hasOwn(SAMPLES, name), `a sample value for ${name}`);
    const member = name.split('.').pop();
    const read = new RegExp(`\\b(opts|options|auth|theme|_ref\\d*)\\.${member}\\b|\\b${member} = _ref`);
    assert.ok(read.test(lockSources), `${name} is read by auth0-lock 14`);
  }
  const { page, pageErrors, consoleLines } = await open(t, 'options.html');
  const outcomes = await page.evaluate(async ({ table, samples }) => {
    const results = [];
    for (const { name } of table) {
      const holder = document.createElement('div');
      holder.id = `for-${name.replace('.', '-')}`;
      document.body.append(holder);
      let value = samples[name];
      const resolve = (v) => {
        if (v === 'ORIGIN') return AUTH0_DOMAIN;
        if (v === 'PAGE') return AUTH0_CALLBACK_URL;
        if (v === 'CONTAINER') return holder.id;
        if (v === 'FUNCTION') return () => {};
        if (v && typeof v === 'object' && !Array.isArray(v)) {
          return Object.fromEntries(Object.entries(v).map(([k, inner]) => [k, resolve(inner)]));
        }
        return v;
      };
      value = resolve(value);
      const [top, member] = name.split('.');
      const options = member ? { [top]: { [member]: value } } : { [top]: value };
      if (top !== 'container') options.container = holder.id;
      const lock = new Auth0Lock(AUTH0_CLIENT_ID, AUTH0_DOMAIN, options);
      const outcome = await new Promise((done) => {
        lock.on('signin ready', () => done('ready'));
        lock.on('unrecoverable_error', (e) => done(`${e.error}: ${e.errorDescription}`));
        lock.show();
        setTimeout(() => done('timeout'), 8000);
      });
      results.push({ name, outcome, buttons: holder.querySelectorAll('.latch-connection, .latch-hrd-email').length });
      lock.hide();
    }
    return results;
  }, { table, samples: SAMPLES });
  for (const { name, outcome, buttons } of outcomes) {
    assert.equal(outcome, 'ready', name);
    assert.ok(buttons > 0, `${name}: the widget rendered`);
  }
  for (const { name, ignored } of table) {
    const said = consoleLines.filter((l) => l.text.includes(`the Lock option \`${name}\` is ignored`));
    assert.equal(said.length, ignored ? 1 : 0, `${name}: ${JSON.stringify(said)}`);
  }
  assert.deepEqual(pageErrors, []);
});
