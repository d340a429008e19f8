// The connection tester page (www/tester.html): an Issuer URL typed as a base URL or as the
// full discovery URL gets a green check, a missing or incomplete discovery document a red
// mark that names what is wrong, and a login through it shows the verified claims and the
// normalized profile.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import { startServers } from '../support/servers.mjs';
import {
  launchBrowser, loginAtProvider, openPage, safetyTimer, waitForEvent,
} from './support.mjs';

safetyTimer('tests/e2e/tester.test.mjs');

let servers;
let browser;
let incomplete;
let incompleteUrl;

/** A provider whose discovery document lacks token_endpoint (a code flow needs it). */
function startIncompleteProvider() {
  const server = createServer((req, res) => {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    if (req.url !== '/.well-known/openid-configuration') {
      res.writeHead(404, { 'Access-Control-Allow-Origin': '*' }).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' });
    res.end(JSON.stringify({
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      jwks_uri: `${issuer}/jwks`,
      response_types_supported: ['code', 'id_token'],
      code_challenge_methods_supported: ['S256'],
    }));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

before(async () => {
  [servers, browser, incomplete] = await Promise.all([startServers(), launchBrowser(), startIncompleteProvider()]);
  incompleteUrl = `http://127.0.0.1:${incomplete.address().port}`;
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await new Promise((resolve) => { incomplete?.close(resolve); incomplete?.closeAllConnections(); });
});

async function openTester(t) {
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  await opened.page.goto(`${servers.webUrl}/tester.html`);
  return opened;
}

async function check(page, issuer) {
  await page.fill('#issuer', issuer);
  await page.click('#check');
  await page.waitForFunction(() => document.querySelector('#verdict').dataset.ok !== undefined);
  return {
    ok: await page.getAttribute('#verdict', 'data-ok'),
    text: await page.textContent('#verdict'),
    canTry: !(await page.isDisabled('#try')),
  };
}

test('an Issuer URL as a base URL and as the full discovery URL both get a green check', async (t) => {
  const { page, pageErrors } = await openTester(t);
  for (const issuer of [servers.issuer, `${servers.issuer}/.well-known/openid-configuration`]) {
    const verdict = await check(page, issuer);
    assert.equal(verdict.ok, 'true', `${issuer}: ${verdict.text}`);
    assert.match(verdict.text, /^✓ /);
    assert.ok(verdict.text.includes(`${servers.issuer}/authorize`));
    assert.equal(verdict.canTry, true);
  }
  assert.deepEqual(pageErrors, []);
});

test('no discovery document, or one that lacks a field, gets a red mark that says which', async (t) => {
  const { page, pageErrors } = await openTester(t);
  const missing = await check(page, `${servers.webUrl}/no-provider-here`);
  assert.equal(missing.ok, 'false');
  assert.match(missing.text, /^✗ discovery_unavailable: /);
  assert.equal(missing.canTry, false);

  const lacking = await check(page, incompleteUrl);
  assert.equal(lacking.ok, 'false');
  assert.match(lacking.text, /^✗ discovery_missing_field: .*token_endpoint/);
  assert.equal(lacking.canTry, false);
  assert.deepEqual(pageErrors, []);
});

test('a login through the tester shows the verified claims and the normalized profile', async (t) => {
  const { page, pageErrors } = await openTester(t);
  const verdict = await check(page, servers.issuer);
  assert.equal(verdict.ok, 'true', verdict.text);
  await page.click('#try', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer });
  const result = await waitForEvent(page, 'authenticated');
  await page.waitForSelector('#result:not([hidden])');
  assert.deepEqual(JSON.parse(await page.textContent('#claims')), result.idTokenPayload);
  const profile = JSON.parse(await page.textContent('#profile'));
  assert.equal(profile.user_id, 'oidc|tester|alice');
  assert.equal(result.idTokenPayload.iss, servers.issuer);
  assert.deepEqual(pageErrors, []);
});
