// `npm run bench`: size and speed of latch-login next to its peers, measured in one run on
// this machine. It builds pkg/ (scripts/build.sh), bundles the peers with esbuild, starts its
// own servers on 127.0.0.1 (bench/servers.mjs: the tests' oidc-provider plus the bench
// pages), drives headless Chromium, prints a table and writes it to bench/RESULTS.md.
//
//   npm run bench                      everything (about 3-5 minutes)
//   node bench/run.mjs --no-build      reuse pkg/ as it is
//   BENCH_LOADS=21 npm run bench       more page loads and logins per figure (default 11)
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
async function interleaved(samples) {
  const out = Object.fromEntries(Object.keys(samples).map((name) => [name, []]));
  for (let i = -1; i < LOADS; i += 1) {
    for (const [name, sample] of Object.entries(samples)) {
      const one = await sample();
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
    `| latch-login | ${msRange(callback.latch.total)} | ${ms(callback.latch.network.median)} (${callback.latch.requests.join(', ')}) | ${msRange(callback.latch.inPage)} | ${msRange(callback.latch.fromApp)} | total at most 1.2× oidc-client-ts's: ${callback.latch.total.median <= 1.2 * callback.oidc.total.median ? 'met' : 'not met'} (${(callback.latch.total.median / callback.oidc.total.median).toFixed(2)}×) |`,
    `| oidc-client-ts ${size.peers[2].version} \`signinRedirectCallback\` | ${msRange(callback.oidc.total)} | ${ms(callback.oidc.network.median)} (${callback.oidc.requests.join(', ')}) | ${msRange(callback.oidc.inPage)} | ${msRange(callback.oidc.fromApp)} | |`,
    `| no library (the floor): state checked, one token request, the ID token's payload read unchecked | ${msRange(callback.floor.total)} | ${ms(callback.floor.network.median)} (${callback.floor.requests.join(', ')}) | ${msRange(callback.floor.inPage)} | ${msRange(callback.floor.fromApp)} | |`,
    '',
    'The last timing column starts where the page\'s own module starts (after the HTML and the page\'s script have loaded, which any page pays whatever library it uses) and is again less the provider\'s requests: loading the library and its work. The target is judged on the totals.',
    '',
    `The floor's "in page" (${ms(callback.floor.inPage.median)}) is what this page costs with no library at all. latch-login adds ${ms(callback.latch.inPage.median - callback.floor.inPage.median)} to it (loading and compiling its wasm, its checks, the JWKS and the WebCrypto signature verification), oidc-client-ts ${ms(callback.oidc.inPage.median - callback.floor.inPage.median)}.`,
    '',
    `Measured from the navigation's time origin instead, which also counts the provider's redirect chain back to the page, the totals are ${ms(callback.latch.fromOrigin.median)} (latch-login) and ${ms(callback.oidc.fromOrigin.median)} (oidc-client-ts).`,
    '',
    'oidc-client-ts does not verify the ID token signature (no JWKS request); latch-login does, with WebCrypto. auth0-lock is left out of this row: its callback needs an Auth0 tenant (its `/authorize` and token responses are Auth0-specific), which a local oidc-provider is not.',
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
  const size = await sizes();

  log('authorize links natively (cargo run --release --example bench_links)');
  const native = await nativeLinks();

  const servers = await startBenchServers();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const m = await machine(browser);
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
    const text = report({ size, show, callback, links, m, latchVersion });
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
