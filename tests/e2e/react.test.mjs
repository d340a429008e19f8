// latch-login/react as an app uses it: the React example (www/examples/react) installed from
// the packed tarball (`npm pack`, as from the registry) and built by Vite with
// @vitejs/plugin-react, then a real login in Chromium against the local oidc-provider under
// <StrictMode>; and the same App rendered by react-dom/server's renderToString in Node.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { REPO_ROOT, startServers } from '../support/servers.mjs';
import { installExample, pack } from '../support/tarball.mjs';
import {
  launchBrowser, loginAtProvider, openPage, recordLogin, safetyTimer,
} from './support.mjs';

safetyTimer('tests/e2e/react.test.mjs', 5 * 60_000);

const run = promisify(execFile);
const SCRATCH = join(REPO_ROOT, 'tests', 'scratch', 'react');
const APP = join(SCRATCH, 'react-app');
const VITE = join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');

let servers;
let browser;

/** The example with latch-login installed from the tarball, and nothing else: React, Vite and
 *  its React plugin come from the repository's devDependencies. */
before(async () => {
  await rm(SCRATCH, { recursive: true, force: true });
  await mkdir(SCRATCH, { recursive: true });
  await installExample('react', APP, (await pack(SCRATCH)).path);
  // React's development build: only there does <StrictMode> mount everything twice (and
  // render twice), which the login test counts on.
  await run(process.execPath, [VITE, 'build', '--mode', 'development', '--logLevel', 'warn'], { cwd: APP, env: { ...process.env, NODE_ENV: 'development' } });
  await run(process.execPath, [VITE, 'build', '--ssr', 'src/App.jsx', '--outDir', 'dist-server', '--logLevel', 'warn'], { cwd: APP });
  [servers, browser] = await Promise.all([
    startServers({ mounts: [{ prefix: '/react/', dir: join(APP, 'dist') }] }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await rm(SCRATCH, { recursive: true, force: true });
});

test('the React app logs in under StrictMode with one login, shows the user, gets a token silently and logs out; another tab follows the login and the logout', async (t) => {
  const { context, page, pageErrors } = await openPage(browser);
  t.after(() => context.close());
  const login = recordLogin(page, { issuer: servers.issuer, webUrl: servers.webUrl });
  // Every login transaction the app's pages store (Storage's setItem, watched from before any
  // script of theirs runs), heard here although the page then leaves for the provider.
  const transactions = [];
  await page.exposeBinding('transactionStored', ({ frame }, key) => {
    if (new URL(frame.url()).origin === servers.webUrl) transactions.push(key);
  });
  await context.addInitScript(() => {
    const setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function watched(key, value) {
      if (String(key).startsWith('latch.tx.')) window.transactionStored?.(String(key));
      return setItem.call(this, key, value);
    };
  });
  const scripts = [];
  page.on('request', (r) => { if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname); });

  // Another tab of the app, open meanwhile, nobody signed in yet.
  const second = await context.newPage();
  await second.goto(`${servers.webUrl}/react/`);
  await second.waitForSelector('#login');

  // The guarded page: nobody is signed in, so the guard starts the login by itself, once,
  // although StrictMode mounts the provider and the guard twice.
  await page.goto(`${servers.webUrl}/react/?page=secret`);
  await page.waitForSelector('input[name="login"]');
  assert.equal(login.authorize.length, 1, 'one authorize request');
  assert.equal(new Set(transactions).size, 1, `one login transaction stored: ${transactions}`);
  assert.ok(scripts.every((p) => p.startsWith('/react/assets/')), `the app's own scripts only: ${scripts}`);
  await loginAtProvider(page, { issuer: servers.issuer });

  // Back at the app (the redirect URL, /react/): the user, from one token request.
  await page.waitForSelector('#who');
  assert.equal(await page.textContent('#who'), 'Signed in as Alice Liddell (oidc|local-oidc|alice)');
  assert.equal(login.callbacks.length, 1);
  assert.equal(login.token.length, 1, 'one code exchange although StrictMode mounted the provider twice');
  assert.equal(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.')).length), 0, 'no transaction left over');

  // getTokenSilently with cacheMode off renews (checkSession at the provider); the app shows
  // the token and stays signed in (the `renewed` event re-renders it).
  const renewal = page.waitForRequest((r) => new URL(r.url()).pathname === '/authorize' && new URL(r.url()).searchParams.get('prompt') === 'none');
  await page.click('#token');
  await renewal;
  await page.waitForSelector('#token-result');
  assert.equal(await page.textContent('#token-result'), 'Got an access token');
  assert.ok(Number(await page.getAttribute('#token-result', 'data-length')) > 20);
  assert.equal(await page.textContent('#who'), 'Signed in as Alice Liddell (oidc|local-oidc|alice)');
  assert.equal(login.authorize.length, 2, 'the login and the one silent renewal');

  // The other tab of the app picked the login up (the widget's tabs): `authenticated` rendered it.
  await second.waitForSelector('#who');
  assert.equal(await second.textContent('#who'), 'Signed in as Alice Liddell (oidc|local-oidc|alice)');

  // Logout at the provider, naming the login; the other tab hears `signed_out` and re-renders
  // with nobody signed in.
  const leaving = page.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await page.click('#logout');
  const url = new URL((await leaving).url());
  assert.equal(url.origin, servers.issuer);
  assert.ok(url.searchParams.get('id_token_hint'));
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${servers.webUrl}/react/`);
  await second.waitForSelector('#login');
  assert.equal(await second.locator('#who').count(), 0);
  assert.deepEqual(pageErrors, []);
});

test('the home page waits for the widget, then offers the login; the hook starts it', async (t) => {
  const { context, page, pageErrors } = await openPage(browser);
  t.after(() => context.close());
  const login = recordLogin(page, { issuer: servers.issuer, webUrl: servers.webUrl });
  await page.goto(`${servers.webUrl}/react/`);
  await page.waitForSelector('#login');
  assert.equal(login.authorize.length, 0, 'nothing starts a login before the user asks');
  await page.click('#login', { noWaitAfter: true });
  await page.waitForSelector('input[name="login"]');
  assert.equal(login.authorize.length, 1);
  assert.deepEqual(pageErrors, []);
});

/** The example's server.mjs in Node, with every browser global watched
 *  (tests/support/browser-globals.mjs): its output, and which globals were read from where. */
async function renderOnServer(script, args) {
  const { stdout, stderr } = await run(process.execPath, [
    '--import', join(REPO_ROOT, 'tests', 'support', 'browser-globals.mjs'), script, ...args,
  ], { cwd: APP });
  const line = stderr.split('\n').find((l) => l.startsWith('browser-globals:'));
  return { stdout, reads: JSON.parse(line.slice('browser-globals:'.length)) };
}

test('renderToString renders the same App in Node, and latch-login touches no browser global', async () => {
  for (const [page, shown] of [['home', '<p id="status">Loading…</p>'], ['secret', '<p id="redirecting">Sending you to log in…</p>']]) {
    const { stdout, reads } = await renderOnServer('server.mjs', [page]);
    assert.ok(stdout.includes(shown), stdout);
    const ours = reads.filter((r) => r.stack.includes('latch-login'));
    assert.deepEqual(ours, [], `latch-login read ${ours.map((r) => r.name)}`);
  }
});

test('the watch on browser globals can fail: the element module, imported on a server, is seen reading HTMLElement', async () => {
  const probe = join(APP, 'probe.mjs');
  await writeFile(probe, "const element = await import('latch-login/element');\nconsole.log(String(element.LatchLoginElement));\n");
  const { stdout, reads } = await renderOnServer(probe, []);
  assert.equal(stdout.trim(), 'undefined', 'no element is defined on a server');
  assert.deepEqual(reads.filter((r) => r.stack.includes('latch-login')).map((r) => r.name), ['HTMLElement']);
});
