// The three ways people use a login widget, each through a real login in Chromium against the
// local oidc-provider: the npm package (packed with `npm pack`, installed into the Vite and
// webpack examples and built by each), the classic script tag, and the published file list
// itself.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import webpack from 'webpack';

import { REPO_ROOT, startServers } from '../support/servers.mjs';
import { installExample, pack } from '../support/tarball.mjs';
import {
  launchBrowser, loginAtProvider, openPage, safetyTimer, waitForEvent,
} from './support.mjs';

safetyTimer('tests/e2e/packaging.test.mjs', 6 * 60_000);

const run = promisify(execFile);
const SCRATCH = join(REPO_ROOT, 'tests', 'scratch', 'packaging');
const VITE_APP = join(SCRATCH, 'vite-app');
const WEBPACK_APP = join(SCRATCH, 'webpack-app');

/** The language packs (src/lang, one per language but English: `cargo test` holds them to the
 *  languages of src/core/dictionary.rs) and the brands' marks scripts/bundle.mjs made. */
const PACKS = readdirSync(join(REPO_ROOT, 'src', 'lang')).sort();
const MARKS = readdirSync(join(REPO_ROOT, 'pkg', 'marks')).sort();

/** What an app needs, and nothing else: the package's whole published file list. */
const PUBLISHED = [
  'LICENSE',
  'README.md',
  'package.json',
  'pkg/compat.js',
  // latch-login/element and latch-login/react, with their types; the element as a classic
  // script too. Modules of their own: the English page downloads none of them.
  'pkg/element.d.ts',
  'pkg/element.mjs',
  ...PACKS.map((name) => `pkg/lang/${name}`),
  'pkg/latch-assets.mjs',
  'pkg/latch-element.js',
  'pkg/latch-login-dpop.d.ts',
  'pkg/latch-login-dpop.js',
  'pkg/latch-login-dpop.mjs',
  'pkg/latch-login.d.ts',
  'pkg/latch-login.js',
  'pkg/latch-login.mjs',
  'pkg/latch-sw.js',
  'pkg/latch-token-worker.js',
  'pkg/latch.css',
  'pkg/latch_login_bg.wasm',
  'pkg/latch_login_dpop_bg.wasm',
  ...MARKS.map((name) => `pkg/marks/${name}`),
  'pkg/react.d.ts',
  'pkg/react.mjs',
];

let servers;
let browser;
let tarball;

/** The Vite example, installed from the tarball and built. */
async function buildViteExample() {
  await installExample('vite', VITE_APP, tarball.path);
  await run(process.execPath, [join(REPO_ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: VITE_APP });
  return join(VITE_APP, 'dist');
}

/** The webpack example, installed from the tarball and built with webpack's Node API. */
async function buildWebpackExample() {
  await installExample('webpack', WEBPACK_APP, tarball.path);
  const { default: config } = await import(join(WEBPACK_APP, 'webpack.config.mjs'));
  const stats = await new Promise((resolve, reject) => {
    webpack(config, (error, result) => (error ? reject(error) : resolve(result)));
  });
  if (stats.hasErrors()) throw new Error(stats.toString({ all: false, errors: true }));
  const dist = join(WEBPACK_APP, 'dist');
  await cp(join(WEBPACK_APP, 'index.html'), join(dist, 'index.html'));
  return dist;
}

before(async () => {
  await rm(SCRATCH, { recursive: true, force: true });
  await mkdir(SCRATCH, { recursive: true });
  tarball = await pack(SCRATCH);
  const [vite, webpackDist] = await Promise.all([buildViteExample(), buildWebpackExample()]);
  [servers, browser] = await Promise.all([
    startServers({ mounts: [{ prefix: '/vite/', dir: vite }, { prefix: '/webpack/', dir: webpackDist }] }),
    launchBrowser(),
  ]);
});

after(async () => {
  await browser?.close();
  await servers?.close();
  await rm(SCRATCH, { recursive: true, force: true });
});

test('npm pack publishes exactly what an app needs', () => {
  assert.ok(PACKS.includes('pt-br.json') && MARKS.includes('google.svg'), `${PACKS} ${MARKS}`);
  assert.deepEqual(tarball.files, PUBLISHED);
});

/** Open `path`, log in with local-oidc, and return the `authenticated` payload. */
async function loginThrough(t, path) {
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  const { page } = opened;
  const requests = [];
  page.on('request', (request) => requests.push(new URL(request.url())));
  await page.goto(`${servers.webUrl}${path}`);
  await waitForEvent(page, 'signin ready');
  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer });
  const result = await waitForEvent(page, 'authenticated');
  return { ...opened, result, requests };
}

/** A login through an app a bundler built (served under `path`), whose wasm must come from
 *  that build (`assets`, the folder it emitted it to, served under `served`) and never from
 *  the repository's pkg/. */
async function loginThroughBuild(t, path, assets, served) {
  const files = await readdir(assets);
  assert.ok(files.some((f) => f.endsWith('.wasm')), `the bundler emitted the wasm: ${files}`);
  // The token worker is the DPoP build's (latch-login/dpop): an app of the default build
  // ships none of it. (webpack minifies it again, so it is looked for by its own words.)
  const emitted = await Promise.all(files.filter((f) => f.endsWith('.js')).map((f) => readFile(join(assets, f), 'utf8')));
  const workers = emitted.filter((text) => text.includes('latch-token-worker.js runs only as a dedicated worker'));
  assert.equal(workers.length, 0, `the bundler emitted no token worker for the default build: ${files}`);
  const { page, pageErrors, result, requests } = await loginThrough(t, path);
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  assert.equal(await page.textContent('#who'), `Signed in as ${result.profile.name} (oidc|local-oidc|alice)`);
  const wasm = requests.filter((u) => u.pathname.endsWith('.wasm')).map((u) => u.pathname);
  assert.ok(wasm.length > 0 && wasm.every((p) => p.startsWith(served)), `wasm from ${wasm}`);
  assert.equal(requests.some((u) => u.pathname.startsWith('/pkg/')), false);
  assert.deepEqual(pageErrors, []);
}

test('a Vite app built from the packed tarball logs in', async (t) => {
  await loginThroughBuild(t, '/vite/', join(VITE_APP, 'dist', 'assets'), '/vite/assets/');
});

test('a Vite app ships the language packs and fetches only the one its page speaks', async (t) => {
  const assets = await readdir(join(VITE_APP, 'dist', 'assets'));
  for (const tag of PACKS.map((name) => name.replace(/\.json$/, ''))) {
    assert.ok(assets.some((f) => f.startsWith(`${tag}-`) && f.endsWith('.json')), `Vite shipped ${tag}.json as a file: ${assets}`);
  }
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  const { page, pageErrors } = opened;
  const packs = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/vite/assets/') && pathname.endsWith('.json')) packs.push(pathname);
  });
  await page.goto(`${servers.webUrl}/vite/?lang=fr`);
  await waitForEvent(page, 'signin ready');
  assert.equal(await page.textContent('.latch-title'), 'Se connecter');
  assert.equal(packs.length, 1, packs.join());
  assert.match(packs[0], /^\/vite\/assets\/fr-[\w-]+\.json$/);
  assert.deepEqual(pageErrors, []);
});

test('a webpack app built from the packed tarball logs in, and ships the language packs as files', async (t) => {
  await loginThroughBuild(t, '/webpack/', join(WEBPACK_APP, 'dist'), '/webpack/');
  const emitted = (await readdir(join(WEBPACK_APP, 'dist'))).filter((f) => f.endsWith('.json'));
  assert.equal(emitted.length, PACKS.length, `one JSON file per pack: ${emitted}`);

  // A page in French fetches its pack, a file of webpack's, and nothing else of the kind; the
  // only scripts are the app's own and the chunk of the lazy files' table (latch-assets.mjs).
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  const scripts = [];
  const packs = [];
  opened.page.on('request', (r) => {
    const { pathname } = new URL(r.url());
    if (pathname.startsWith('/webpack/') && pathname.endsWith('.js')) scripts.push(pathname);
    if (pathname.startsWith('/webpack/') && pathname.endsWith('.json')) packs.push(pathname);
  });
  await opened.page.goto(`${servers.webUrl}/webpack/?lang=fr`);
  await waitForEvent(opened.page, 'signin ready');
  assert.equal(await opened.page.textContent('.latch-title'), 'Se connecter');
  assert.equal(scripts[0], '/webpack/main.js');
  assert.equal(scripts.length, 2, scripts.join());
  assert.equal(packs.length, 1, packs.join());
  assert.deepEqual(opened.pageErrors, []);
});

test('a page with one classic script tag logs in', async (t) => {
  const { page, pageErrors, result } = await loginThrough(t, '/examples/script-tag.html');
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  assert.equal(await page.textContent('#who'), `Signed in as ${result.profile.name} (oidc|local-oidc|alice)`);
  const page_ = await page.evaluate(() => ({
    modules: document.querySelectorAll('script[type="module"]').length,
    version: window.Latch?.version,
  }));
  assert.equal(page_.modules, 0, 'no module script on the page');
  assert.match(page_.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(pageErrors, []);
});

test('a page written for Lock runs on compat.js: Auth0Lock, resumeAuth and getUserInfo with callbacks, hash_parsed, logout with federated', async (t) => {
  const { context, page, pageErrors } = await openPage(browser);
  t.after(() => context.close());
  await page.goto(`${servers.webUrl}/examples/lock-compat.html`);
  // Nothing in the address bar: resumeAuth's callback hears (null, null), the page shows Lock.
  await page.waitForFunction(() => window.resumed);
  assert.deepEqual(await page.evaluate(() => window.resumed), { error: null, authResult: null });
  assert.deepEqual(await page.evaluate(() => window.lockEvents.find((e) => e.name === 'hash_parsed')), { name: 'hash_parsed', payload: null });
  assert.equal(await page.evaluate(() => Object.getPrototypeOf(window.Auth0Lock) === window.Latch && window.lock instanceof window.Latch), true);

  await page.click('.latch button.latch-connection[data-connection="local-oidc"]', { noWaitAfter: true });
  await loginAtProvider(page, { issuer: servers.issuer });
  await page.waitForFunction(() => window.userInfo, null, { timeout: 10_000 });
  const back = await page.evaluate(() => ({
    resumed: window.resumed,
    userInfo: window.userInfo,
    events: window.lockEvents.map((e) => e.name),
    hashParsed: window.lockEvents.find((e) => e.name === 'hash_parsed').payload,
  }));
  assert.equal(back.resumed.error, null);
  assert.equal(back.resumed.authResult.profile.user_id, 'oidc|local-oidc|alice');
  assert.ok(back.resumed.authResult.accessToken);
  // The provider's userinfo endpoint, with the access token the login got.
  assert.equal(back.userInfo.error, null);
  assert.equal(back.userInfo.profile.sub, 'alice');
  assert.equal(await page.textContent('#who'), 'Signed in as alice');
  // Lock's order: hash_parsed with the result, then authenticated.
  assert.ok(back.events.indexOf('hash_parsed') >= 0 && back.events.indexOf('hash_parsed') < back.events.indexOf('authenticated'), back.events.join());
  assert.equal(back.hashParsed.idToken, back.resumed.authResult.idToken);
  assert.ok(!back.events.includes('forgot_password ready'));

  // A token the provider does not know: the callback hears userinfo_unavailable.
  const refused = await page.evaluate(() => new Promise((resolve) => {
    window.lock.getUserInfo('not-a-token', (error, profile) => resolve({ error, profile: profile ?? null }));
  }));
  assert.equal(refused.error.error, 'userinfo_unavailable');
  assert.match(refused.error.errorDescription, /HTTP status 401/);
  assert.equal(refused.profile, null);

  // Logout at the provider, with Lock's returnTo and federated.
  const logout = page.waitForRequest((r) => new URL(r.url()).pathname === '/v2/logout');
  await page.click('#logout');
  const url = new URL((await logout).url());
  assert.equal(url.origin, servers.issuer);
  assert.equal(url.searchParams.get('post_logout_redirect_uri'), `${servers.webUrl}/examples/lock-compat.html`);
  assert.equal(url.searchParams.get('client_id'), 'latch-spa');
  assert.ok(url.searchParams.get('id_token_hint'));
  assert.ok(url.searchParams.has('federated'));
  assert.deepEqual(pageErrors, []);
});

test('the same script works as <script type="module">', async (t) => {
  const { page, pageErrors, result, requests } = await loginThrough(t, '/examples/script-module.html');
  assert.equal(result.profile.user_id, 'oidc|local-oidc|alice');
  assert.equal(await page.evaluate(() => document.querySelector('script[src$="latch-login.js"]').type), 'module');
  // Found its wasm next to itself although a module script has no document.currentScript.
  assert.ok(requests.some((u) => u.pathname === '/pkg/latch_login_bg.wasm'));
  assert.deepEqual(pageErrors, []);
});

test('init(url) loads the wasm from where the app hosts it', async (t) => {
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  const { page, pageErrors } = opened;
  const wasm = [];
  page.on('request', (r) => { if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(r.url()); });
  await page.goto(`${servers.webUrl}/demo.css`); // any page of the origin, with no widget on it
  const verdict = await page.evaluate(async () => {
    const { init, Latch } = await import('/pkg/latch-login.mjs');
    await init('/pkg/latch_login_bg.wasm?hosted=elsewhere');
    return Latch.supports({ strategy: 'oidc' });
  });
  assert.equal(verdict.supported, true, 'the widget works on the wasm it was pointed at');
  assert.deepEqual(wasm, [`${servers.webUrl}/pkg/latch_login_bg.wasm?hosted=elsewhere`]);
  assert.deepEqual(pageErrors, []);
});

test('a wasm that cannot be loaded is an unrecoverable_error that says where it was looked for', async (t) => {
  const opened = await openPage(browser);
  t.after(() => opened.context.close());
  const { page, pageErrors } = opened;
  await page.goto(`${servers.webUrl}/demo.css`);
  const seen = await page.evaluate(async () => {
    const { init, Latch } = await import('/pkg/latch-login.mjs');
    const rejected = await init('/pkg/no-such.wasm').then(() => null, (e) => e);
    const latch = new Latch('latch-spa', 'op.example.com');
    const event = await new Promise((resolve) => latch.on('unrecoverable_error', resolve));
    return { rejected, event };
  });
  const missing = `${servers.webUrl}/pkg/no-such.wasm: HTTP 404`;
  assert.equal(seen.rejected.error, 'wasm_unavailable');
  assert.ok(seen.rejected.errorDescription.includes(missing), seen.rejected.errorDescription);
  assert.deepEqual(seen.event, seen.rejected, 'the widget reports the same error');
  assert.deepEqual(pageErrors, []);
});
