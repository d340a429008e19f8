// `npm run bench`: size and speed of latch-login next to its peers, measured in one run on
// this machine. It builds pkg/ (scripts/build.sh), bundles the peers with esbuild, starts its
// own servers on 127.0.0.1 (bench/servers.mjs: the tests' oidc-provider plus the bench
// pages), drives headless Chromium, prints a table and writes it to bench/RESULTS.md.
//
//   npm run bench                      everything (about 4-6 minutes)
//   node bench/run.mjs --no-build      reuse pkg/ as it is
//   BENCH_LOADS=21 npm run bench       more page loads and logins per figure (default 11)
//   node bench/run.mjs --no-build --only sessions
//                                      row 6 alone (sessions: reload, refresh token), to try
//                                      it quickly; the table goes to stdout and to
//                                      bench/RESULTS-sessions.md, RESULTS.md is left as it is
//                                      (it always holds a whole run)
//
// Figures are timings of one machine at one moment: they are reported, never asserted.

import { execFile, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS, loginAtProvider } from '../tests/e2e/support.mjs';
import {
  BUDGET_SHARE_OF_LOCK, PEERS, bundlePeer, packageVersion, sizeOf,
} from './peers.mjs';
import { PEERS_DIR, ROOT, startBenchServers } from './servers.mjs';

const LOADS = Math.max(9, Number(process.env.BENCH_LOADS ?? 11));
// Row 6 costs a full login per sample and library: fewer samples than LOADS (at least 9).
const SESSION_ROUNDS = Math.max(9, Math.round(LOADS * 9 / 11));
// Row 6's refresh-token path, each sample: RENEWALS renewals, each RENEWAL_PAUSE ms after the
// one before it (so that none waits on what the one before left, such as a lock held a little
// longer for other tabs), then one more right after the last (reported apart).
const RENEWALS = 3;
const RENEWAL_PAUSE = 200;
const RENEWAL_PAUSES = [...Array(RENEWALS).fill(RENEWAL_PAUSE), 0];
const ONLY = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length)
  ?? (process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null);
if (ONLY !== null && ONLY !== 'sessions') {
  console.error(`bench: --only ${ONLY}: the one row that can run alone is "sessions"`);
  process.exit(2);
}
const LINK_SECONDS = 2;
const LINK_BATCH = 1000;
const TIMEOUT = 20_000;
const env = { ...process.env, PATH: `${process.env.HOME}/.cargo/bin:${process.env.PATH}` };

// What a page loads through the ES module (the bench pages load it this way; the classic script
// latch-login.js is the same code as an IIFE): the module bundles the wasm's JS side.
const LATCH_FILES = ['latch_login_bg.wasm', 'latch-login.mjs', 'latch.css', 'latch-sw.js'];

// ---------------------------------------------------------------------------------- helpers

function log(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function run(command, args) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
}

async function output(command, args) {
  const { stdout } = await promisify(execFile)(command, args, { cwd: ROOT, env, maxBuffer: 1 << 24 });
  return stdout.trim();
}

function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted.at(-1), n: sorted.length };
}

const ms = (v) => `${v.toFixed(1)} ms`;
const msRange = (s) => `**${ms(s.median)}** (${s.min.toFixed(1)}–${s.max.toFixed(1)})`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const bytes = (n) => `${kb(n)} (${n.toLocaleString('en-US')} B)`;
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
const rate = (n) => Math.round(n).toLocaleString('en-US');


// ---------------------------------------------------------------------------------- row 1

/** Each peer as a page would ship it: the whole package, bundled and minified. */
async function bundlePeers() {
  await mkdir(PEERS_DIR, { recursive: true });
  for (const peer of PEERS) {
    peer.version = await packageVersion(ROOT, peer.name);
    peer.file = join(PEERS_DIR, `${peer.name.replace(/^@auth0\//, '')}.js`);
    await bundlePeer(ROOT, peer, peer.file);
  }
}

async function sizes() {
  const latch = [];
  for (const name of LATCH_FILES) latch.push({ name, ...(await sizeOf(join(ROOT, 'pkg', name))) });
  const total = latch.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip }), { raw: 0, gzip: 0 });
  // A page in another language than English also loads that language's pack: the largest.
  const packs = [];
  for (const name of await readdir(join(ROOT, 'pkg', 'lang'))) packs.push({ name, ...(await sizeOf(join(ROOT, 'pkg', 'lang', name))) });
  const pack = packs.sort((a, b) => b.gzip - a.gzip)[0];
  const peers = [];
  for (const peer of PEERS) peers.push({ ...peer, ...(await sizeOf(peer.file)) });
  return { latch, total, pack, peers };
}

// ---------------------------------------------------------------------------------- row 4 (native)

async function nativeLinks() {
  const out = await output('cargo', ['run', '--quiet', '--release', '--example', 'bench_links', '--', String(LINK_SECONDS)]);
  return JSON.parse(out.split('\n').at(-1));
}

// ---------------------------------------------------------------------------------- browser

/** A fresh context (no cache, no storage) whose pages see `bench` as `window.BENCH`. */
async function freshPage(browser, bench) {
  const context = await browser.newContext({ viewport: { width: 900, height: 720 } });
  // The provider's development pages @import Google Fonts: no network here, answer at once.
  await context.route(/^https?:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
  // auth0-lock asks its CDN for its English dictionary (it falls back to the bundled one) and
  // a badge image: there is no Internet here, so they fail at once, on every run alike.
  await context.route(/^https?:\/\/cdn\.auth0\.com\//, (route) => route.abort());
  await context.addInitScript((value) => { window.BENCH = value; }, bench);
  // Row 5 reads the widget's WebAssembly.Memory: the exported memory of the instance the page
  // makes, caught as it is made (the page itself only sees the package's public API).
  await context.addInitScript(() => {
    for (const name of ['instantiateStreaming', 'instantiate']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function instantiate(...args) {
        return original.apply(this, args).then((result) => {
          // The build gives exports one-letter names: the memory is found by its type.
          const exports = Object.values((result.instance ?? result).exports ?? {});
          window.benchWasmMemory = exports.find((e) => e instanceof WebAssembly.Memory);
          return result;
        });
      };
    }
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  return { context, page, errors };
}

/**
 * The page's marks once it says `marks[name]` is recorded (bench/pages/measure.js `done`), or
 * fails with the page's error. The page says so in a console message: nothing of the bench's
 * runs in the page while it is timed (polling with `waitForFunction` would inject and run
 * Playwright's script on the page's main thread, in the middle of the timing). Call it before
 * the step that leads to the mark.
 */
function markSeen(page, name) {
  const said = (message) => message.text() === `bench:${name}` || message.text() === 'bench:error';
  return page.waitForEvent('console', { predicate: said, timeout: TIMEOUT }).then(async () => {
    const marks = await page.evaluate(() => window.benchMarks);
    if (marks.error !== undefined) throw new Error(`${page.url()}: ${marks.error}`);
    return marks;
  });
}

/** JS heap in use after a full garbage collection, and the wasm memory of latch-login. */
async function memory(page, widget) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  await cdp.detach();
  const heap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  const wasm = widget === 'latch'
    ? await page.evaluate(() => window.benchWasmMemory?.buffer.byteLength ?? NaN)
    : 0;
  return { heap, wasm };
}

/**
 * `samples` (name -> a function making one sample), LOADS times each, round robin: one of each
 * per round, after a warm-up round that is not counted (the first page of a browser also pays
 * for starting its renderer and compiling caches that later pages share). Load on a shared
 * machine drifts during a run; interleaved, the drift weighs on every library alike.
 */
async function interleaved(samples, rounds = LOADS) {
  const out = Object.fromEntries(Object.keys(samples).map((name) => [name, []]));
  for (let i = -1; i < rounds; i += 1) {
    for (const [name, sample] of Object.entries(samples)) {
      // The round's number: -1 for the warm-up (row 6 makes its checks of storage there).
      const one = await sample(i);
      if (i >= 0) out[name].push(one);
    }
  }
  return out;
}

/** Rows 2 and 5: one fresh page load of a page showing the widget. */
async function showLoad(browser, servers, widget, extra = {}) {
  const { context, page, errors } = await freshPage(browser, { ...servers, widget, ...extra });
  try {
    const seen = widget === 'none' ? null : markSeen(page, 'visible');
    seen?.catch(() => {}); // awaited below; a failed goto must not leave it unhandled
    await page.goto(`${servers.webUrl}/bench/show.html`);
    const marks = seen ? await seen : await page.evaluate(() => window.benchMarks);
    // Let the widget settle (animations, background fetches) before taking its memory.
    await page.waitForTimeout(500);
    const m = await memory(page, widget);
    if (errors.length) throw errors[0];
    return { visible: marks.visible, ready: marks.ready, ...m };
  } finally {
    await context.close();
  }
}

function showStats(loads) {
  // A blank page has no `visible` or `ready` marks: those are null for it.
  const of = (key) => {
    const values = loads.map((l) => l[key]).filter((v) => v !== undefined);
    return values.length ? stats(values) : null;
  };
  return { visible: of('visible'), ready: of('ready'), heap: of('heap'), wasm: of('wasm') };
}

/** How long at least one of `requests` ({start, end}) was under way: requests that overlap
 *  count once, so a client that runs them in parallel is not credited twice. */
function busy(requests) {
  let total = 0;
  let until = -Infinity;
  for (const { start, end } of [...requests].sort((a, b) => a.start - b.start)) {
    if (end <= until) continue;
    total += end - Math.max(start, until);
    until = end;
  }
  return total;
}

/** Row 3: one full login; the callback page is timed from the start of its own fetch. */
async function login(browser, servers, client) {
  const { context, page, errors } = await freshPage(browser, { ...servers, client });
  try {
    await page.goto(`${servers.webUrl}/`);
    await page.waitForFunction(() => typeof window.startLogin === 'function', null, { timeout: TIMEOUT });
    const authenticated = markSeen(page, 'authenticated');
    authenticated.catch(() => {}); // awaited below, after the login's steps
    // Started from a task of its own: the navigation must not race this evaluate's reply.
    await page.evaluate(() => { setTimeout(() => window.startLogin(), 0); });
    await loginAtProvider(page, { issuer: servers.issuer });
    await page.waitForURL((url) => url.href.startsWith(`${servers.webUrl}/?`), { timeout: TIMEOUT });
    const marks = await authenticated;
    if (marks.subject !== 'alice') throw new Error(`${client} signed in as ${marks.subject}, not alice`);
    const timing = await page.evaluate(({ issuer, end }) => ({
      fetchStart: performance.getEntriesByType('navigation')[0].fetchStart,
      requests: performance.getEntriesByType('resource')
        .filter((e) => e.name.startsWith(`${issuer}/`) && e.startTime < end)
        .map((e) => ({ path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd })),
    }), { issuer: servers.issuer, end: marks.authenticated });
    if (errors.length) throw errors[0];
    const total = marks.authenticated - timing.fetchStart;
    const network = busy(timing.requests);
    const afterApp = timing.requests
      .filter((r) => r.end > marks.appStart)
      .map((r) => ({ start: Math.max(r.start, marks.appStart), end: r.end }));
    return {
      total,
      network,
      inPage: total - network,
      fromOrigin: marks.authenticated,
      fromApp: marks.authenticated - marks.appStart - busy(afterApp),
      requests: timing.requests.map((r) => r.path),
    };
  } finally {
    await context.close();
  }
}

/** A callback's requests to the provider, counted: a userinfo request (latch-login makes one
 *  for a direct connection whose ID token lacks the claims the scope asked for) is one more. */
function requestList(paths) {
  return `${paths.length} request${paths.length === 1 ? '' : 's'}: ${paths.join(', ')}`;
}

function loginStats(logins) {
  const all = (key) => stats(logins.map((l) => l[key]));
  return {
    total: all('total'),
    network: all('network'),
    inPage: all('inPage'),
    fromOrigin: all('fromOrigin'),
    fromApp: all('fromApp'),
    requests: logins.at(-1).requests,
  };
}

/** Row 4 in the page. */
async function browserLinks(browser, servers, client) {
  const { context, page, errors } = await freshPage(browser, servers);
  try {
    await page.goto(`${servers.webUrl}/bench/links.html`);
    await page.waitForFunction(() => typeof window.runLinks === 'function', null, { timeout: TIMEOUT });
    const result = await page.evaluate((args) => window.runLinks(args), { client, seconds: LINK_SECONDS, batch: LINK_BATCH });
    if (errors.length) throw errors[0];
    return result;
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------- row 6

/** Row 6's libraries: the name of each in BENCH.client, and the provider it talks to.
 *  latchDpop is latch-login's DPoP build with the login kept across reloads (issue 27). */
const SESSION_CLIENTS = {
  latch: (servers) => servers.issuer,
  latchDpop: (servers) => servers.issuer,
  auth0: (servers) => servers.auth0Domain,
  oidc: (servers) => servers.issuer,
};
const SESSION_BENCH_CLIENT = { latch: 'latch', latchDpop: 'latch-dpop', auth0: 'auth0-spa-js', oidc: 'oidc-client-ts' };
/** The peers each of latch-login's paths is measured against. */
const SESSION_PEERS = ['auth0', 'oidc'];

/** Waits until `ready()` holds: what Playwright reports of a request can arrive a little after
 *  the page has moved on (a worker's requests come on a session of their own). */
async function until(ready, what) {
  const end = Date.now() + 5_000;
  while (!ready()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Everything the context asks of the provider at `origin` (pages, iframes and workers alike):
 *  authorize requests and the grant type of every token request, and the refresh tokens its
 *  answers carry. */
function recordProvider(context, origin) {
  const seen = { authorize: [], grants: [], refreshTokens: [] };
  const isToken = (request) => {
    const url = new URL(request.url());
    return url.origin === origin && url.pathname === '/oauth/token' && request.method() === 'POST';
  };
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === origin && url.pathname === '/authorize') {
      seen.authorize.push(url.searchParams);
    } else if (isToken(request)) {
      const body = request.postData() ?? '';
      let grant;
      try {
        grant = body.trimStart().startsWith('{') ? JSON.parse(body).grant_type : new URLSearchParams(body).get('grant_type');
      } catch {
        grant = 'unreadable';
      }
      seen.grants.push(grant);
    }
  });
  // In the order the answers come (the body of each is read later): the last is the newest.
  context.on('response', (response) => {
    if (isToken(response.request())) seen.refreshTokens.push(response.json().then((j) => j.refresh_token, () => undefined));
  });
  return seen;
}

/** The token grants the bench's providers answered since `from` (bench/servers.mjs). */
function grantsSince(servers, from) {
  return servers.tokenGrants().slice(from).map((g) => (g.ok ? g.grantType : `${g.grantType} (refused)`));
}

/**
 * Where the refresh token `token` is, looked for from outside the page: the strings of the
 * page's JS heap after a full garbage collection (a CDP heap snapshot of the main thread), its
 * storage and cookies, every record of every IndexedDB database of the origin (with the
 * CryptoKeys kept in the same database, and whether each is extractable), the widget's wasm
 * memory (latch-login); and what the warm-up round's
 * init script saw of the main thread's token requests (`window.benchTokenFetches`,
 * `window.benchFetchSawRefreshToken`).
 */
async function refreshTokenPlace(page, token) {
  // The heap first, before the token is handed to the page (as the argument of the search
  // below) and could be found there for that reason alone. Its control: a string made in the
  // page and kept on window, which the search must find.
  const control = await page.evaluate(() => {
    window.benchHeapControl = ['bench', 'heap', 'control', crypto.randomUUID()].join('-');
    return window.benchHeapControl;
  });
  const cdp = await page.context().newCDPSession(page);
  let snapshot = '';
  cdp.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => { snapshot += chunk; });
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  const found = await page.evaluate(async (t) => {
    const has = (value) => typeof value === 'string' && value.includes(t);
    const keys = (store) => Object.keys(store).filter((k) => has(store.getItem(k)));
    // IndexedDB: each object store whose records hold the token (in a string, or bytes read
    // as UTF-8, at any depth), and the CryptoKeys of the database that holds it.
    const asked = (request) => new Promise((ok, no) => {
      request.onsuccess = () => ok(request.result);
      request.onerror = () => no(request.error);
    });
    const indexedDb = [];
    for (const { name } of await indexedDB.databases()) {
      const db = await asked(indexedDB.open(name));
      const stores = [];
      const cryptoKeys = [];
      const holds = (v, depth) => {
        if (typeof v === 'string') return v.includes(t);
        if (v instanceof CryptoKey) {
          cryptoKeys.push({ type: v.type, algorithm: v.algorithm.name, extractable: v.extractable });
          return false;
        }
        if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
          return new TextDecoder().decode(v instanceof ArrayBuffer ? v : v.buffer).includes(t);
        }
        if (v === null || typeof v !== 'object' || depth > 8) return false;
        const inner = v instanceof Map || v instanceof Set ? [...v.values()] : Object.values(v);
        return inner.map((x) => holds(x, depth + 1)).some(Boolean);
      };
      for (const store of db.objectStoreNames) {
        const records = await asked(db.transaction(store).objectStore(store).getAll());
        if (records.map((r) => holds(r, 0)).some(Boolean)) stores.push(`${name}/${store}`);
      }
      db.close();
      if (stores.length) indexedDb.push({ stores, cryptoKeys });
    }
    let wasm = null;
    if (window.benchWasmMemory) {
      const bytes = new Uint8Array(window.benchWasmMemory.buffer);
      const pattern = new TextEncoder().encode(t);
      wasm = false;
      for (let i = bytes.indexOf(pattern[0]); i >= 0 && !wasm; i = bytes.indexOf(pattern[0], i + 1)) {
        wasm = pattern.every((b, j) => bytes[i + j] === b);
      }
    }
    return {
      sessionStorage: keys(sessionStorage),
      localStorage: keys(localStorage),
      cookie: has(document.cookie),
      indexedDb,
      wasm,
      mainThreadTokenFetches: window.benchTokenFetches ?? null,
      fetchSawRefreshToken: window.benchFetchSawRefreshToken ?? null,
    };
  }, token);
  return { ...found, jsHeap: snapshot.includes(token), heapControl: snapshot.includes(control), workers: page.workers().length };
}

/**
 * Row 6, one sample: a fresh context, one login at the provider (untimed), then
 *  1. reload: the page's time origin (navigation start) to the user available again, by the
 *     library's silent sign-in (tokens in memory: nothing of the login is left after it);
 *  2. refresh: the same context logs in again with the library set up for refresh tokens (the
 *     provider's session answers at once), then the renewals of RENEWAL_PAUSES, each timed in
 *     the page.
 * Every step is checked against what the provider answered: the reload made one authorize
 * request with prompt=none and one code exchange, each renewal one refresh_token grant.
 * latchDpop (the DPoP build, the login kept in IndexedDB) differs: its reload must make no
 * authorize request and exactly one refresh_token grant (no code exchange), and, being set up
 * the same way for both paths, it needs no second login: its renewals follow on the reloaded
 * page.
 * In the warm-up round (`round` -1) it also looks for the refresh token (refreshTokenPlace).
 */
async function sessionSample(browser, servers, name, round, places) {
  const provider = SESSION_CLIENTS[name](servers);
  const client = SESSION_BENCH_CLIENT[name];
  const bench = { webUrl: servers.webUrl, issuer: servers.issuer, auth0Domain: servers.auth0Domain, client, sessions: 'reload' };
  const { context, page, errors } = await freshPage(browser, bench);
  const seen = recordProvider(context, provider);
  const verify = round < 0;
  const kept = name === 'latchDpop';
  const back = (url) => url.href.startsWith(`${servers.webUrl}/?`);
  const signedInSeen = () => {
    const seenMark = markSeen(page, 'authenticated');
    seenMark.catch(() => {}); // awaited by the caller, after the steps that lead to it
    return seenMark;
  };
  // The app's page is up (its library loaded), or the reason it is not.
  const appReady = () => page.waitForFunction(() => typeof window.startLogin === 'function', null, { timeout: TIMEOUT })
    .catch(async (error) => {
      const said = await page.evaluate(() => window.benchMarks?.error).catch(() => undefined);
      throw new Error(`${name}: the app did not start at ${page.url()}: ${said ?? errors[0]?.message ?? error.message}`);
    });
  const expectGrants = (from, wanted, what) => {
    const got = grantsSince(servers, from);
    if (got.join() !== wanted.join()) throw new Error(`${name}, ${what}: the provider answered ${JSON.stringify(got)}, expected ${JSON.stringify(wanted)}`);
  };
  try {
    if (verify) {
      // How many token requests the page's main thread makes itself (fetch or XHR).
      // And what a script that wraps `fetch` before the library runs sees of their answers.
      await context.addInitScript(() => {
        window.benchTokenFetches = 0;
        window.benchFetchSawRefreshToken = 0;
        const isToken = (url) => String(url).includes('/oauth/token');
        const { fetch } = window;
        window.fetch = function counted(input, init) {
          const answer = fetch.call(this, input, init);
          if (!isToken(input?.url ?? input)) return answer;
          window.benchTokenFetches += 1;
          return answer.then((response) => {
            response.clone().json().then((json) => {
              if (json.refresh_token) window.benchFetchSawRefreshToken += 1;
            }, () => {});
            return response;
          });
        };
        const { open } = XMLHttpRequest.prototype;
        XMLHttpRequest.prototype.open = function counted(method, url, ...rest) {
          if (isToken(url)) window.benchTokenFetches += 1;
          return open.call(this, method, url, ...rest);
        };
      });
    }

    // Log in (untimed).
    await page.goto(`${servers.webUrl}/`);
    await appReady();
    let signedIn = signedInSeen();
    await page.evaluate(() => { setTimeout(() => window.startLogin(), 0); });
    await loginAtProvider(page, { issuer: provider });
    await page.waitForURL(back, { timeout: TIMEOUT });
    let marks = await signedIn;
    if (marks.subject !== 'alice' || !marks.returning) throw new Error(`${name}: the login ended as ${JSON.stringify(marks)}`);

    // 1. Reload.
    let grants = servers.tokenGrants().length;
    const asked = seen.authorize.length;
    const reloadRequested = seen.grants.length;
    signedIn = signedInSeen();
    await page.reload({ waitUntil: 'commit' });
    marks = await signedIn;
    if (marks.subject !== 'alice' || marks.returning) throw new Error(`${name}: the reload ended as ${JSON.stringify(marks)}`);
    const reload = marks.authenticated;
    if (kept) {
      // The kept login taken back: one refresh_token grant, no authorize request, no code.
      expectGrants(grants, ['refresh_token'], 'reload');
      await until(() => seen.grants.length > reloadRequested, 'the reload\'s token request');
      const made = seen.grants.slice(reloadRequested);
      if (made.join() !== 'refresh_token' || seen.authorize.length !== asked) {
        throw new Error(`${name}: the reload made ${JSON.stringify(made)} and ${seen.authorize.length - asked} authorize requests`);
      }
    } else {
      expectGrants(grants, ['authorization_code'], 'reload');
      await until(() => seen.authorize.length > asked, 'the reload\'s authorize request');
      const silent = seen.authorize.slice(asked);
      if (silent.length !== 1 || silent[0].get('prompt') !== 'none') {
        throw new Error(`${name}: the reload asked ${silent.map((p) => `/authorize?${p}`).join(', ')}`);
      }
    }
    const reloadRequests = await page.evaluate(({ origin, end }) => performance.getEntriesByType('resource')
      .filter((e) => e.name.startsWith(`${origin}/`) && e.startTime < end)
      .map((e) => new URL(e.name).pathname), { origin: new URL(provider).origin, end: reload });

    // 2. Refresh tokens: the same app set up for them, logged in again (latchDpop is set up
    // the same way for both paths: its renewals follow on the reloaded page).
    if (!kept) {
      await context.addInitScript(() => { window.BENCH.sessions = 'refresh'; });
      await page.goto(`${servers.webUrl}/`);
      await appReady();
      signedIn = signedInSeen();
      await page.evaluate(() => { setTimeout(() => window.startLogin(), 0); });
      // The provider's session answers at once, unless it asks to consent to new scopes.
      const step = await Promise.race([
        page.waitForURL(back, { waitUntil: 'commit', timeout: TIMEOUT }).then(() => 'back'),
        page.waitForSelector('input[name="prompt"][value="consent"]', { state: 'attached', timeout: TIMEOUT }).then(() => 'consent'),
      ].map((p) => p.catch((e) => e)));
      if (step instanceof Error) throw step;
      if (step === 'consent') await page.click('button[type="submit"]', { noWaitAfter: true });
      marks = await signedIn;
      if (marks.subject !== 'alice' || !marks.returning) throw new Error(`${name}: the second login ended as ${JSON.stringify(marks)}`);
    }

    grants = servers.tokenGrants().length;
    const requested = seen.grants.length;
    const calls = RENEWAL_PAUSES.length;
    const { times, tokens } = await page.evaluate((pauses) => window.renew(pauses), RENEWAL_PAUSES);
    expectGrants(grants, Array(calls).fill('refresh_token'), 'renewals');
    // Each renewal returned the access token of its own refresh_token grant, in turn.
    const answered = servers.tokenGrants().slice(grants).map((g) => g.accessToken);
    if (tokens.some((t, i) => !t || t !== answered[i])) {
      throw new Error(`${name}: the renewals returned other access tokens than their ${calls} refresh_token grants issued`);
    }
    await until(() => seen.grants.length >= requested + calls, 'the renewals\' token requests');
    const renewals = seen.grants.slice(requested);
    if (renewals.join() !== Array(calls).fill('refresh_token').join()) {
      throw new Error(`${name}: Playwright saw ${JSON.stringify(renewals)} for ${calls} renewals`);
    }

    if (verify) {
      // One for each code exchange (the login, the reload, the second login) and renewal;
      // latchDpop: the login's code exchange, the reload's refresh_token grant, the renewals.
      const answers = (kept ? 2 : 3) + calls;
      await until(() => seen.refreshTokens.length >= answers, 'the token requests\' answers');
      const issued = await Promise.all(seen.refreshTokens);
      if (issued.length !== answers || !issued.every(Boolean)) {
        throw new Error(`${name}: ${issued.filter(Boolean).length} refresh tokens in ${issued.length} token answers`);
      }
      places[name] = await refreshTokenPlace(page, issued.at(-1));
    }
    if (errors.length) throw errors[0];
    return { reload, reloadRequests, renewals: times.slice(0, RENEWALS), backToBack: times[RENEWALS] };
  } finally {
    await context.close();
  }
}

/** Row 6: its samples, interleaved, and where each library keeps its refresh token. */
async function sessionRuns(browser, servers) {
  log(`sessions, interleaved: latch-login, latch-login/dpop, auth0-spa-js, oidc-client-ts (${SESSION_ROUNDS} each)`);
  const places = {};
  const started = Date.now();
  const runs = await interleaved(Object.fromEntries(Object.keys(SESSION_CLIENTS).map((name) => [
    name, (round) => sessionSample(browser, servers, name, round, places),
  ])), SESSION_ROUNDS);
  log(`sessions took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return { runs, places };
}

/** Row 6's section of the report (with a heading of its own when it ran alone). */
function sessionsReport({ runs, places }, { m, only = false }) {
  const names = Object.keys(SESSION_CLIENTS);
  const version = (pkg) => PEERS.find((p) => p.name === pkg).version;
  const label = {
    latch: 'latch-login',
    latchDpop: 'latch-login/dpop (persistRefreshToken)',
    auth0: `@auth0/auth0-spa-js ${version('@auth0/auth0-spa-js')}`,
    oidc: `oidc-client-ts ${version('oidc-client-ts')}`,
  };
  const reload = Object.fromEntries(names.map((n) => [n, stats(runs[n].map((r) => r.reload))]));
  const renew = Object.fromEntries(names.map((n) => [n, stats(runs[n].flatMap((r) => r.renewals))]));
  const firstRenew = Object.fromEntries(names.map((n) => [n, stats(runs[n].map((r) => r.renewals[0]))]));
  const backToBack = Object.fromEntries(names.map((n) => [n, stats(runs[n].map((r) => r.backToBack))]));
  const cell = (s) => `${msRange(s)}, n = ${s.n}`;
  // `own`'s median against the fastest peer's: at least as fast (issue 19), or faster (27).
  const verdict = (figures, own, strictly = false) => {
    const fastest = SESSION_PEERS.reduce((a, b) => (figures[b].median < figures[a].median ? b : a));
    const ratio = figures[own].median / figures[fastest].median;
    const met = strictly ? ratio < 1 : ratio <= 1;
    const against = `${ms(figures[own].median)} against ${label[fastest]}'s ${ms(figures[fastest].median)}: ${ratio.toFixed(2)}×`;
    return { met, against, text: `${met ? 'met' : 'not met'} (${against})` };
  };
  const reloadVerdict = verdict(reload, 'latch');
  const renewVerdict = verdict(renew, 'latch');
  const keptVerdict = verdict(reload, 'latchDpop', true);
  const keptRenew = verdict(renew, 'latchDpop');
  // The page's own requests (Resource Timing); the iframe's /authorize is counted apart.
  const requests = (n) => runs[n].at(-1).reloadRequests.filter((p) => p !== '/authorize').join(', ') || 'none';
  const e2e = 'the e2e test of issue 27 (tests/e2e/persistence.test.mjs: reload with third-party cookies blocked)';
  const iframeFails = 'fails: `login_required` (the hidden iframe gets no provider cookie)';

  const lines = [];
  const push = (...l) => lines.push(...l);
  if (only) {
    push(
      '# latch-login benchmark: row 6 alone (`node bench/run.mjs --only sessions`)',
      '',
      `${m.date} · commit ${m.commit} · ${m.cpu} · ${m.chromium} · ${m.node}`,
      '',
    );
  }
  push(
    '## 6. Sessions: signed in again after a reload, and renewing with a refresh token',
    '',
    `Issues 19 and 27. ${SESSION_ROUNDS} samples per library, the libraries interleaved (one of each in turn, after a warm-up round that is not counted). A sample is a fresh browser context in which the app logs in once at the local provider (alice, untimed), as the provider's client \`latch-spa\` (code + PKCE S256; the provider issues a refresh token at every code exchange and rotates it at every use; DPoP is on, so latch-login/dpop's tokens are bound to its key); app and provider are both on 127.0.0.1, one site, so the provider's session cookie reaches a hidden iframe. latch-login is the default build (pkg/latch-login.mjs); latch-login/dpop is the DPoP build (pkg/latch-login-dpop.mjs) with \`auth: { dpop: true, persistRefreshToken: true }\`, whose reload takes back the login it kept in IndexedDB.`,
    '',
    `| path | ${names.map((n) => label[n]).join(' | ')} | target |`,
    `| --- | ${names.map(() => '---:').join(' | ')} | --- |`,
    `| reload → user available again: the reloaded page's navigation start to the user | ${names.map((n) => cell(reload[n])).join(' | ')} | latch-login/dpop's reload faster than every peer's (issue 27): ${keptVerdict.text}; latch-login's iframe path at least as fast as the fastest peer (issue 19): ${reloadVerdict.text} |`,
    `| one renewal with the refresh token, timed in the page | ${names.map((n) => cell(renew[n])).join(' | ')} | latch-login at least as fast as the fastest peer (issue 19): ${renewVerdict.text}; latch-login/dpop (DPoP proofs; no target): ${keptRenew.against} |`,
    `| reload with third-party cookies blocked (app and provider on different sites; not timed in this run) | ${names.map((n) => (n === 'latchDpop' ? 'signed in: one refresh_token grant, no iframe, no cookie' : iframeFails)).join(' | ')} | latch-login/dpop's reload without a cookie: ${e2e}; the others' reload paths measured here rest on a hidden iframe and the provider's cookie (see below) |`,
    '',
    `Target (issue 27), latch-login/dpop's reload → signed in faster than every peer's reload path in the same run: **${keptVerdict.met ? 'met' : 'not met'}** (${keptVerdict.against}). Target (issue 19), each of latch-login's paths at least as fast as the fastest peer on the same path: **${reloadVerdict.met && renewVerdict.met ? 'met' : 'not met'}** (reload: ${reloadVerdict.met ? 'met' : 'not met'}; renewal: ${renewVerdict.met ? 'met' : 'not met'}).`,
    '',
    `**Third-party cookies.** The reload paths of latch-login (default build, \`auth.sso\`), auth0-spa-js and oidc-client-ts measured here all sign in again through a hidden iframe with \`prompt=none\`, which works only if the provider's session cookie is sent to that iframe. When the app and the provider are on different sites and third-party cookies are blocked (Safari, Brave, Chromium in a fresh profile by choice or policy), the cookie is withheld and the provider answers \`login_required\`: the user is signed out by a reload. This is the failure issue 27 starts from; this run does not time it (here app and provider share a site). latch-login/dpop's reload needs no cookie at all: it sends the refresh token it kept, with a DPoP proof of its key, straight to the token endpoint. ${e2e[0].toUpperCase()}${e2e.slice(1)} shows it with the page on localhost, the provider on 127.0.0.1 and third-party cookies blocked: the user is signed in again after a reload without an iframe. (Each peer can also survive a reload without the iframe by keeping its tokens in web storage: auth0-spa-js with \`cacheLocation: 'localstorage'\`, oidc-client-ts with its default sessionStorage store; such a refresh token is a bearer token readable by any script of the origin. Those are not the paths measured here.)`,
    '',
    '**Reload.** After the login, the app takes the response out of the address (as an app does: a reload must not replay a used code) and the page is reloaded. latch-login, auth0-spa-js and oidc-client-ts keep nothing of the login (tokens in memory), so each signs in again silently, with `prompt=none` in a hidden iframe; latch-login/dpop takes back the login it kept. Timed from the reloaded page\'s time origin (navigation start) to the moment the user is available, which includes loading the page, its module and the library:',
    '',
    `- latch-login: \`new Latch('latch-spa', issuer, { auth: { sso: true, redirectUrl } })\`, until its \`authenticated\` event (\`checkSession\`, \`response_mode=web_message\`, the ID token's signature checked with WebCrypto). The page's requests to the provider, besides the iframe's /authorize: ${requests('latch')}.`,
    `- latch-login/dpop: \`new Latch('latch-spa', issuer, { auth: { dpop: true, persistRefreshToken: true, redirectUrl } })\` from pkg/latch-login-dpop.mjs, until its \`authenticated\` event: the DPoP-bound refresh token kept in IndexedDB beside the key is taken back and renewed with one refresh_token grant carrying a DPoP proof (no iframe, no /authorize). The page's requests to the provider (Resource Timing of the main thread; a token request made from a worker is not among them): ${requests('latchDpop')}.`,
    `- auth0-spa-js: \`await createAuth0Client({ domain, clientId, authorizationParams: { redirect_uri }, cacheLocation: 'memory' })\` (its \`checkSession\`, web_message; it runs only because its "is authenticated" cookie says the user logged in), then \`getUser()\`. Requests: ${requests('auth0')}.`,
    `- oidc-client-ts: \`UserManager.signinSilent()\` with a \`silent_redirect_uri\` (bench/pages/silent.html, registered at the provider, calling \`signinSilentCallback()\`), the user kept in memory (\`userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() })\`; its default, sessionStorage, keeps the user, tokens included and readable by page scripts, across the reload, where \`getUser()\` then finds it without a request). Requests: ${requests('oidc')}; its iframe also loads the silent page and the library again from the app's server.`,
    '',
    'Every reload is checked, with the user alice: for latch-login, auth0-spa-js and oidc-client-ts, exactly one authorize request (the hidden iframe\'s), with `prompt=none`, and one code exchange answered by the provider; for latch-login/dpop, no authorize request and exactly one token request, a refresh_token grant, answered by the provider (no code exchange). latch-login is the one of the three that checks the ID token\'s signature (its JWKS request; neither peer makes one), and on every load it reads the client configuration and the discovery document; auth0-spa-js needs neither (Auth0\'s routes are fixed), oidc-client-ts reads the discovery document.',
    '',
    `**Renewal.** In the same context the app is then set up for refresh tokens and logs in again (the provider's session answers at once); latch-login/dpop, set up the same way for both paths, does not log in again: its renewals follow on the reloaded page. Then ${RENEWALS} renewals, each ${RENEWAL_PAUSE} ms after the one before it ended (the pause is not timed: no renewal waits on what the one before left behind), each timed in the page with \`performance.now()\` around the call: latch-login \`getTokenSilently({ cacheMode: 'off' })\` with \`auth: { useRefreshTokens: true }\`; latch-login/dpop the same call, each renewal a refresh_token grant with a DPoP proof; auth0-spa-js \`getTokenSilently({ cacheMode: 'off' })\` with \`useRefreshTokens: true, cacheLocation: 'memory'\`; oidc-client-ts \`signinSilent()\`, which uses the refresh_token grant when the user has a refresh token. The figure is over these renewals (n = ${SESSION_ROUNDS} × ${RENEWALS}); the first of each sample alone: ${names.map((n) => `${label[n]} ${ms(firstRenew[n].median)}`).join(', ')}. One more renewal follows the last at once, with no pause (not in the figure): ${names.map((n) => `${label[n]} ${msRange(backToBack[n])}`).join(', ')}. Every renewal is checked: the provider answered exactly one refresh_token grant per renewal, each renewal returned the access token of its own grant, in turn, and Playwright saw exactly as many token requests, all with \`grant_type=refresh_token\` (a worker's included).`,
    '',
    `auth0-spa-js talks to a second instance of the same provider module and configuration, on another port of 127.0.0.1, whose issuer is \`http://127.0.0.1:PORT/\` (with the slash an Auth0 tenant's issuer has): auth0-spa-js ${version('@auth0/auth0-spa-js')} checks the ID token's \`iss\` against \`{domain}/\`, or against \`https://{issuer}/\` when given an \`issuer\` that does not start with \`https://\` (src/utils.ts \`getTokenIssuer\`, src/jwt.ts), so it can never accept the bench provider's \`http://127.0.0.1:PORT\`. Its \`domain\` may be an \`http://\` URL (\`getDomain\` keeps it), and it uses the provider's Auth0-shaped routes (\`/authorize\`, \`/oauth/token\`) as they are.`,
    '',
    'Where each library keeps the refresh token, as the bench found it in the warm-up round after the login and the renewals: the newest refresh token looked for in sessionStorage, localStorage, `document.cookie` and every record of every IndexedDB database of the origin (with the CryptoKeys kept in the same database), in the strings of the page\'s JS heap after a full garbage collection (a CDP heap snapshot of the main thread; the same search finds a control string the page keeps), and in the widget\'s wasm memory (the `WebAssembly.Memory` the bench catches as the page instantiates the module); and, by a script the bench installs before any of the page\'s (`addInitScript`) that wraps `fetch` and `XMLHttpRequest`, the token requests the page\'s main thread made itself and the answers among them that carried a refresh token:',
    '',
    `| library | found in | page storage or cookies | main thread's JS heap | token requests made by the main thread (of the last page's: the second login's code exchange, for latch-login/dpop the reload's refresh_token grant, and the ${RENEWAL_PAUSES.length} renewals) | answers with a refresh token that the \`fetch\` wrapper saw | readable by page scripts |`,
    '| --- | --- | --- | --- | --- | --- | --- |',
  );
  const keyText = (k) => `${k.algorithm} ${k.type} key, ${k.extractable ? 'extractable' : 'not extractable'}`;
  for (const n of names) {
    const p = places[n];
    const indexed = p.indexedDb.flatMap((d) => d.stores.map((s) => {
      const privateKeys = d.cryptoKeys.filter((k) => k.type === 'private');
      return `IndexedDB \`${s}\`${privateKeys.length ? ` (its database also holds: ${privateKeys.map(keyText).join(', ')})` : ''}`;
    }));
    const stored = [...p.sessionStorage.map((k) => `sessionStorage \`${k}\``), ...p.localStorage.map((k) => `localStorage \`${k}\``), ...(p.cookie ? ['a cookie'] : []), ...indexed];
    const bound = p.indexedDb.length > 0 && p.indexedDb.every((d) => d.cryptoKeys.some((k) => k.type === 'private' && !k.extractable));
    let where;
    if (stored.length) where = stored.join(', ');
    else if (p.wasm) where = 'the wasm memory';
    else if (!p.jsHeap && p.workers > 0 && p.mainThreadTokenFetches === 0) where = `a Web Worker (the page has ${p.workers}; the token requests came from outside the main thread)`;
    else if (p.jsHeap) where = 'the page\'s JS heap';
    else where = 'not found';
    if (stored.length && p.wasm) where += '; also the wasm memory';
    const heap = !p.heapControl ? 'search failed (control not found)' : p.jsHeap ? 'yes' : 'no';
    let readable;
    if (bound) {
      readable = 'the token, yes, by any script of the origin (IndexedDB); but it is DPoP-bound, useless without the private key, a non-extractable CryptoKey that no script can export (a script running in the page can still have the widget sign while it runs)';
      if (p.fetchSawRefreshToken > 0) readable += '; a script that runs before the library and wraps `fetch` also sees each token answer';
    }
    else if (stored.length || p.jsHeap) readable = 'yes, by any script of the origin';
    else if (p.fetchSawRefreshToken > 0) readable = `not from storage; yes by a script that runs before the library${p.wasm ? ' (its `fetch` wrapper sees each token answer; a wrapper of `WebAssembly.instantiate` gets the memory, as the bench does)' : ' and wraps `fetch`'}`;
    else readable = 'no: not in storage or the main thread\'s heap, and in no answer the main thread\'s `fetch` received';
    push(`| ${label[n]} | ${where} | ${stored.length ? stored.join(', ') : 'none'} | ${heap} | ${p.mainThreadTokenFetches} of ${1 + RENEWAL_PAUSES.length} | ${p.fetchSawRefreshToken} | ${readable} |`);
  }
  push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------- machine

async function machine(browser) {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown CPU';
  const cores = (cpuinfo.match(/^processor\s*:/gm) ?? []).length || cpus().length;
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: `${model}, ${cores} logical cores`,
    chromium: `Chromium ${browser.version()} (headless, ${CHROMIUM_ARGS.filter((a) => a !== '--headless').join(' ')})`,
    node: `Node.js ${process.version}`,
    rustc: await output('rustc', ['--version']),
    commit: await output('git', ['rev-parse', '--short', 'HEAD']).catch(() => 'unknown'),
  };
}

// ---------------------------------------------------------------------------------- report

function report(r) {
  const { size, show, callback, links, m } = r;
  const latchVersion = r.latchVersion;
  const lines = [];
  const push = (...l) => lines.push(...l);
  const lock = size.peers[0];

  push(
    '# latch-login benchmark',
    '',
    `${m.date} · commit ${m.commit} · ${m.cpu} · ${m.chromium} · ${m.node} · ${m.rustc}`,
    '',
    `Made by \`npm run bench\` (bench/run.mjs): local servers on 127.0.0.1, a fresh browser context for every page load, ${LOADS} page loads or logins per timing, the libraries of a row interleaved (one of each in turn, after a warm-up round); median **bold**, (min–max). KB = 1024 bytes. One run on a shared machine: timings move from run to run, sizes do not.`,
    '',
    '## 1. Bytes a page downloads for the widget',
    '',
    '| file | raw | gzip -9 |',
    '| --- | ---: | ---: |',
  );
  for (const f of size.latch) push(`| latch-login ${latchVersion}: \`pkg/${f.name}\` | ${bytes(f.raw)} | ${bytes(f.gzip)} |`);
  const budget = Math.floor(lock.gzip * BUDGET_SHARE_OF_LOCK);
  const over = size.total.gzip - budget;
  push(`| **latch-login, everything** (UI included, in English) | **${bytes(size.total.raw)}** | **${bytes(size.total.gzip)}** |`);
  push(`| latch-login, plus in another language: its pack (the largest, \`pkg/lang/${size.pack.name}\`) | ${bytes(size.pack.raw)} | ${bytes(size.pack.gzip)} |`);
  for (const p of size.peers) push(`| ${p.name} ${p.version} (${p.note}), esbuild --bundle --minify | ${bytes(p.raw)} | ${bytes(p.gzip)} |`);
  push(
    '',
    `Budget: at most a third of auth0-lock's gzip bytes, ${kb(budget)}, for latch-login, UI included: ${over <= 0 ? `**within**, ${kb(-over)} to spare` : `**over by ${kb(over)}**`}. latch-login is ${(size.total.gzip / lock.gzip * 100).toFixed(0)} % of auth0-lock's gzip size.`,
    '',
    '## 2. Navigation start → connection buttons visible',
    '',
    `Headless Chromium, a fresh context per load (${LOADS} loads each), client configuration from the local provider. "Visible": the first animation frame in which a connection button is laid out, visible and opaque (the same check for both widgets).`,
    '',
    '| widget | median (min–max) | target |',
    '| --- | ---: | --- |',
    `| latch-login: first frame with a visible \`.latch-connection\` | ${msRange(show.latch.visible)} | at most 50 ms over the floor: ${show.latch.visible.median - show.floor.visible.median <= 50 ? 'met' : 'not met'} (${ms(show.latch.visible.median - show.floor.visible.median)} over) |`,
    `| latch-login: \`signin ready\` event | ${msRange(show.latch.ready)} | |`,
    `| auth0-lock ${lock.version}: first frame with its login screen's button visible | ${msRange(show.lock.visible)} | |`,
    `| no library (the floor): the page fetches the client configuration itself and adds a plain button per connection | ${msRange(show.floor.visible)} | |`,
    '',
    `The floor is what this page, server and browser cost before any widget code: its HTML and module scripts, the configuration's request, one layout. On this machine it takes ${ms(show.floor.visible.median)}; latch-login adds ${ms(show.latch.visible.median - show.floor.visible.median)} to it (loading and compiling its wasm, reading and checking the configuration, its panel and stylesheet).`,
    '',
    `auth0-lock gets the same client configuration, served as the JSONP script it loads (\`{configurationBaseUrl}/client/latch-spa.js\` calling \`Auth0.setClient\`). For these two enterprise connections (one with an email domain) it renders its enterprise screen, an email field and a LOG IN button, rather than one button per connection; the time is that of the first frame in which \`.auth0-lock-social-button\` or \`.auth0-lock-submit\` is visible. Options: \`responseType: 'code'\` and \`rememberLastLogin: false\`: its SSO check (a hidden iframe with \`response_mode=web_message\`, an Auth0 extension) gets no answer from a standard provider and would keep the spinner up. Its requests to cdn.auth0.com (dictionary, badge) fail at once (no Internet here); it falls back to its bundled English. The first round of loads is a warm-up and is not counted.`,
    '',
    '## 3. Callback page: navigation to `authenticated`',
    '',
    `A full login per sample (${LOADS} each): the page sends the browser to the local oidc-provider (client \`latch-spa\`, code + PKCE S256), the bench signs in as alice, and the provider redirects back. Timed on the callback page from the start of its own fetch (\`PerformanceNavigationTiming.fetchStart\`, after the provider's redirects) to \`authenticated\`. "Network" is the time during which at least one of the page's requests to the provider was under way before that moment (Resource Timing; requests that overlap count once); "in page" is the total less the network: loading and compiling the widget from the local server, parsing the response, checks, WebCrypto signature verification.`,
    '',
    '| client | total | network (requests) | in page | of which after the app\'s script starts | targets |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    `| latch-login | ${msRange(callback.latch.total)} | ${ms(callback.latch.network.median)} (${requestList(callback.latch.requests)}) | ${msRange(callback.latch.inPage)} | ${msRange(callback.latch.fromApp)} | total at most 1.2× oidc-client-ts's: ${callback.latch.total.median <= 1.2 * callback.oidc.total.median ? 'met' : 'not met'} (${(callback.latch.total.median / callback.oidc.total.median).toFixed(2)}×) |`,
    `| oidc-client-ts ${size.peers[2].version} \`signinRedirectCallback\` | ${msRange(callback.oidc.total)} | ${ms(callback.oidc.network.median)} (${requestList(callback.oidc.requests)}) | ${msRange(callback.oidc.inPage)} | ${msRange(callback.oidc.fromApp)} | |`,
    `| no library (the floor): state checked, one token request, the ID token's payload read unchecked | ${msRange(callback.floor.total)} | ${ms(callback.floor.network.median)} (${requestList(callback.floor.requests)}) | ${msRange(callback.floor.inPage)} | ${msRange(callback.floor.fromApp)} | |`,
    '',
    'The last timing column starts where the page\'s own module starts (after the HTML and the page\'s script have loaded, which any page pays whatever library it uses) and is again less the provider\'s requests: loading the library and its work. The target is judged on the totals.',
    '',
    `The floor's "in page" (${ms(callback.floor.inPage.median)}) is what this page costs with no library at all. latch-login adds ${ms(callback.latch.inPage.median - callback.floor.inPage.median)} to it (loading and compiling its wasm, its checks, the JWKS and the WebCrypto signature verification), oidc-client-ts ${ms(callback.oidc.inPage.median - callback.floor.inPage.median)}.`,
    '',
    `Measured from the navigation's time origin instead, which also counts the provider's redirect chain back to the page, the totals are ${ms(callback.latch.fromOrigin.median)} (latch-login) and ${ms(callback.oidc.fromOrigin.median)} (oidc-client-ts).`,
    '',
    `oidc-client-ts does not verify the ID token signature (no JWKS request); latch-login does, with WebCrypto. Each row counts the requests that came before \`authenticated\`, so one more (latch-login's \`/userinfo\`, when a direct connection's ID token lacks the name or email its scope asked for, issue 29) shows in the count and in the network time; this login goes through the broker's connection, whose ID token carries the profile${callback.latch.requests.includes('/userinfo') ? ', yet a userinfo request was made' : ', so there is none'}. auth0-lock is left out of this row: its callback needs an Auth0 tenant (its \`/authorize\` and token responses are Auth0-specific), which a local oidc-provider is not.`,
    '',
    '## 4. Authorize links built per second',
    '',
    `Complete links: fresh state, nonce and PKCE verifier (256 bits each), the S256 challenge, the transaction stored per state. Browser: batches of ${LINK_BATCH.toLocaleString('en-US')} concurrent calls for ${LINK_SECONDS} s, sessionStorage cleared between batches (not timed), every batch checked for distinct states, an S256 challenge and one stored transaction per link.`,
    '',
    '| where | links per second | links built |',
    '| --- | ---: | ---: |',
    `| latch-login core, native (\`cargo run --release --example bench_links\`, JSON transaction, xorshift entropy) | ${rate(links.native.links_per_second)} | ${rate(links.native.links)} |`,
    `| latch-login in Chromium: \`latch.authorizeUrl({ connection })\` | **${rate(links.latch.perSecond)}** | ${rate(links.latch.links)} |`,
    `| oidc-client-ts ${size.peers[2].version} in Chromium: \`OidcClient.createSigninRequest\` (PKCE, state in sessionStorage) | ${rate(links.oidc.perSecond)} | ${rate(links.oidc.links)} |`,
    '',
    `Target for latch-login in the browser: at least 5× oidc-client-ts: ${links.latch.perSecond >= 5 * links.oidc.perSecond ? 'met' : 'not met'} (${(links.latch.perSecond / links.oidc.perSecond).toFixed(1)}×).`,
    '',
    '## 5. Memory after show()',
    '',
    `Once the buttons are visible and 500 ms more have passed, after a forced garbage collection: the page's \`JSHeapUsedSize\` (CDP \`Performance.getMetrics\`) and the widget's \`WebAssembly.Memory\` size; median of ${LOADS} loads.`,
    '',
    '| page | JS heap used | wasm memory | total |',
    '| --- | ---: | ---: | ---: |',
  );
  for (const [label, s] of [['blank page (same harness, no widget)', show.blank], ['latch-login after `show()`', show.latch], [`auth0-lock ${lock.version} after \`show()\``, show.lock]]) {
    push(`| ${label} | ${mb(s.heap.median)} | ${s.wasm.median ? mb(s.wasm.median) : '—'} | **${mb(s.heap.median + s.wasm.median)}** |`);
  }
  push('');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------- main

async function main() {
  const started = Date.now();
  if (!process.argv.includes('--no-build')) {
    log('building pkg/ (scripts/build.sh)');
    await run('bash', ['scripts/build.sh']);
  }
  for (const name of LATCH_FILES) await stat(join(ROOT, 'pkg', name));
  const latchVersion = /^version = "(.+)"$/m.exec(await readFile(join(ROOT, 'Cargo.toml'), 'utf8'))?.[1];

  log('bundling the peers with esbuild');
  await bundlePeers();
  let size;
  let native;
  if (!ONLY) {
    size = await sizes();
    log('authorize links natively (cargo run --release --example bench_links)');
    native = await nativeLinks();
  }

  const servers = await startBenchServers();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const m = await machine(browser);
    if (ONLY === 'sessions') {
      const text = sessionsReport(await sessionRuns(browser, servers), { m, only: true });
      process.stdout.write(`${text}\n`);
      await writeFile(join(ROOT, 'bench', 'RESULTS-sessions.md'), text);
      log(`row 6 alone in ${((Date.now() - started) / 1000).toFixed(0)} s: wrote bench/RESULTS-sessions.md (bench/RESULTS.md left as it was)`);
      return;
    }
    const where = { webUrl: servers.webUrl, issuer: servers.issuer };
    log(`page loads, interleaved: blank, no library, latch-login, auth0-lock (${LOADS} each)`);
    const loads = await interleaved({
      blank: () => showLoad(browser, where, 'none'),
      floor: () => showLoad(browser, where, 'floor'),
      latch: () => showLoad(browser, where, 'latch'),
      // The provider cannot answer Lock's SSO check (a hidden iframe expecting
      // response_mode=web_message, an Auth0 extension): without this it would spin forever.
      lock: () => showLoad(browser, where, 'auth0-lock', { lockOptions: { rememberLastLogin: false } }),
    });
    const show = Object.fromEntries(Object.entries(loads).map(([name, l]) => [name, showStats(l)]));
    log(`logins, interleaved: no library, latch-login, oidc-client-ts (${LOADS} each)`);
    const logins = await interleaved({
      floor: () => login(browser, where, 'floor'),
      latch: () => login(browser, where, 'latch'),
      oidc: () => login(browser, where, 'oidc-client-ts'),
    });
    const callback = Object.fromEntries(Object.entries(logins).map(([name, l]) => [name, loginStats(l)]));
    log('authorize links in the browser');
    const metadata = await (await fetch(`${servers.issuer}/.well-known/openid-configuration`)).json();
    const links = {
      native,
      latch: await browserLinks(browser, where, 'latch'),
      oidc: await browserLinks(browser, { ...where, metadata }, 'oidc-client-ts'),
    };
    const sessions = await sessionRuns(browser, servers);
    const text = `${report({ size, show, callback, links, m, latchVersion })}\n${sessionsReport(sessions, { m })}`;
    process.stdout.write(`${text}\n`);
    await writeFile(join(ROOT, 'bench', 'RESULTS.md'), text);
    log(`wrote bench/RESULTS.md in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await browser.close();
    await servers.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
