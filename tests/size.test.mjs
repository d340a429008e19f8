// Issue 7: the bytes a page downloads for the widget, gzip -9 as a CDN would serve them.
// Deterministic (same build, same bytes), so unlike the timings it may be a test.
// scripts/test.sh runs it after scripts/build.sh; `bash scripts/size.sh` names what is large.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

import {
  BUDGET_SHARE_OF_LOCK, PEERS, bundlePeer, sizeOfBytes,
} from '../bench/peers.mjs';

/** Issue 18's budget for everything, UI included: a third of what auth0-lock makes a page
 *  download (its whole package bundled and minified by esbuild, as `npm run bench` weighs
 *  it; gzip -9), worked out here from the auth0-lock in node_modules. */
let BUDGET;
let LOCK_GZIP;

before(async () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  LOCK_GZIP = sizeOfBytes(await bundlePeer(root, PEERS[0])).gzip;
  BUDGET = Math.floor(LOCK_GZIP * BUDGET_SHARE_OF_LOCK);
});

// History: 131.5 KB before the size work; 76.9 KB after it; about 89 KB with the version and
// capability checks, six built-in languages, home realm discovery and the modal's focus
// handling; then down, step by step (glue bundled and names minified, synchronous steps with
// the waiting in JS, the DOM drawn by the wrapper, no_std, the core's own string helpers,
// language packs, payloads as JSON) to 65.3 KB; and under the budget, at 56.2 KB, once the
// wasm's boundary became strings and numbers of our own, without wasm-bindgen's runtime and
// glue. Issue 18 moved the budget from 60 KB to a third of auth0-lock's bytes (106.1 KB), for the
// design card's crates; the browser's URL parser for the loopback fix took it to 63.3 KB,
// sha2, base64, percent-encoding and semver to 70.3 KB, and wasm-bindgen's boundary with web-sys
// and js-sys (std, and Rust's default allocator) to 88.1 KB. The rest of the card's stack (serde
// derive for every document, serde-wasm-bindgen, gloo-net, the flow as async Rust, the panel
// drawn from Rust through web-sys) took it to 163,420 bytes: see CEILING below.

/** Everything `new Latch(...)` makes a page download (the form_post worker only for a
 *  front-channel connection), for
 *  each way of loading it: the ES module (npm, or a module script on pkg/) and the classic
 *  script; each bundles the wrapper and the wasm's JS side into one file. A page in another
 *  language than English also loads that language's pack (pkg/lang/), reported below. */
const WAYS = {
  'ES module': ['latch_login_bg.wasm', 'latch-login.mjs', 'latch.css', 'latch-sw.js'],
  'classic script': ['latch_login_bg.wasm', 'latch-login.js', 'latch.css', 'latch-sw.js'],
};

/** The same for the DPoP build (`latch-login/dpop`, issue 27), with its token worker. */
const DPOP_WAYS = {
  'DPoP build, ES module': ['latch_login_dpop_bg.wasm', 'latch-login-dpop.mjs', 'latch.css', 'latch-sw.js', 'latch-token-worker.js'],
  'DPoP build, classic script': ['latch_login_dpop_bg.wasm', 'latch-login-dpop.js', 'latch.css', 'latch-sw.js', 'latch-token-worker.js'],
};

const pkg = new URL('../pkg/', import.meta.url);

function measure(files) {
  return files.map((name) => {
    const bytes = readFileSync(new URL(name, pkg));
    const gzip = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
    return { name, raw: bytes.length, gzip };
  });
}

const sum = (rows) => rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });

function table(way, rows) {
  const total = sum(rows);
  const line = (name, raw, gzip) => `${name.padEnd(22)}${String(raw).padStart(9)}${String(gzip).padStart(9)}`;
  return [
    `${way}:`,
    line('file', 'raw', 'gzip -9'),
    ...rows.map((r) => line(r.name, r.raw, r.gzip)),
    line('total', total.raw, total.gzip),
    `${(100 * total.gzip / LOCK_GZIP).toFixed(1)} % of auth0-lock (${LOCK_GZIP}); its third, ${BUDGET}: ${total.gzip <= BUDGET ? "within" : `over by ${total.gzip - BUDGET}`}; ceiling ${CEILING}`,
  ].join('\n');
}

/** Issue 18's target, a third of auth0-lock's gzip bytes, is not met by the design card's full
 *  stack: with serde (derive, for every document), serde-wasm-bindgen, gloo-net, the login's
 *  flow as async Rust and the panel drawn from Rust, the widget measured 163,420 bytes gzip on
 *  landing, half of auth0-lock's bytes (README, "Size"). The card's crates are not traded for
 *  bytes; until the stack's own levers close the gap, this ceiling (what was measured, plus
 *  about 1.5 %) makes any growth a deliberate change of this line. The report below still
 *  says how far the widget is from the third. Raised from 166,000 for issue 20's Lock surface
 *  (the client configuration as Auth0 serves it, getUserInfo, the callback forms of
 *  resumeAuth and getUserInfo, logout's federated, hash_parsed): 170,191 bytes measured;
 *  then to 178,000 for issue 19's checkSession (the hidden iframe, the web message, the
 *  silent request): 176,528 bytes measured; then to 182,000 for popup logins: 179,760;
 *  then to 184,000 for tabs in step (a BroadcastChannel): 181,959; then to 188,000 for
 *  refresh tokens and getTokenSilently: 186,160; then to 190,000 for show({ allowedConnections }):
 *  188,351; then to 198,000 for renewals in turn across tabs (a Web Lock, the renewed access
 *  token told to the other tabs) and auth.autoRenew: 195,560 (the renewal message's serde
 *  derive and the lock's futures are most of it); then to 203,000 for the rest of Lock's
 *  show(options) (auth.params, languageDictionary, initialScreen, flashMessage): 200,433, most
 *  of it serde derive for the options and their two enums; then to 205,000 for the
 *  silent-callback page of providers without web_message: 202,824; 203,803 with the
 *  third-party-cookie warning and the lock's query; then to 207,000 for login options read
 *  as a serde type checked against the declarations (they were read member by member):
 *  205,803; then to 208,000 for issue 25's fixes (the renewal says what its token is for;
 *  the form_post worker holds the widget's whole rule of what a response is): 207,197 as
 *  the classic script. Then down, for issue 25's size levers, each measured on the English
 *  page's four files (ES module) after the one before, from 205,856: talc as the wasm's
 *  allocator (disable-realloc-in-place) -2,878; wasm-opt --low-memory-unused -1,371; the
 *  wasm's import and export names minified, with the glue renamed to match, -6,778; the wrong
 *  member's path found by reading parts of the document again instead of
 *  serde_path_to_error -17,466: to 177,363 (177,770 for the classic script). With the browser
 *  layer split into owners and the ID token's and the transaction's types (+1.8 KB before the
 *  levers) and the security fixes: 181,121 (181,225 for the classic script). Then up, on
 *  purpose: provider error codes as a type (ProviderCode: the codes the widget acts on by
 *  name, no string compared) +489, and each connection's checked endpoints kept once per
 *  page (a login no longer parses the same discovery URLs again: authorize links per second)
 *  +443: 182,053 (182,157 for the classic script), and the ceiling to 182,300. The
 *  `authenticated` payload written from the login's Tokens, member by member, instead of a
 *  second list of the same members (and with `expiresAt`): -25, 182,028. The options of
 *  checkSession, getTokenSilently and logout read as one type, MethodOptions (one derived
 *  reader instead of three): 181,101 (181,205 for the classic script), and the ceiling down
 *  to 181,400. Then up, on purpose, for issue 31, a deadline on every request: each request
 *  aborted by an AbortController when its deadline passes, and the caller told `timeout`
 *  naming the kind and URL, so that no flow waits forever for a provider that never answers
 *  (+1,382, measured alone), and a renewal retried once for a network error, a timeout or a
 *  5xx (+212), with the 5xx codes: 182,806 (182,918 for the classic script), and the ceiling
 *  to 183,100. The early requests given the widget's own deadline: 182,744; the ID token's
 *  claims in a module of their own (core::claims): +39, 182,783. A review's mends (one lookup
 *  for the documents' lists, one place for the account's endpoints, one error-payload
 *  writer): -207, 182,576 (182,688 for the classic script), and the ceiling down to 182,900.
 *  Then up, on purpose, for issue 26's Lock pages (items 5, 9, 10): +3,684, 186,260 (186,516
 *  for the classic script), and the ceiling to 186,800. What it is, raw in the wasm (+8.6 KB;
 *  bash scripts/size.sh --owners before and after): a languageDictionary written for Lock
 *  read whole, nested keys and all, instead of refused (its values read by
 *  serde-wasm-bindgen's deserialize_any: 2.8 KB, the reader and its warning 1.6 KB); Lock's
 *  name, colour and mark of each of the 39 social strategies it knows (one text of 1.1 KB:
 *  as a table of &strs its data was 1.3 KB more); the 44 language codes Lock ships (one
 *  text). Taken back: the codes parsed without allocating, the warning written in place, a
 *  button's mark located by a call to the loader rather than a future per image (-0.8 KB
 *  raw together). The 41 packs, the 21 marks and the
 *  table of where they are (latch-assets.mjs) are lazy: an English page without a social
 *  strategy Lock knows downloads none of them, and the loader only grew by its import().
 *  Issue 29, direct connections to Entra ID, Okta, Keycloak and Google: +3,854, 186,430
 *  (186,542 classic), and the ceiling up to 186,700. About 1,490 of it is the profile
 *  completed from userinfo (measured by a build without that await: the GET, the reader of
 *  its claims and the sub check inlined into the callback's state machine); the rest is
 *  Entra ID's {tenantid} issuer (core::issuer), PKCE when discovery is silent and
 *  `scopes_supported` for offline_access (discovery's reader), the transaction's two new
 *  members (the asked scope, the userinfo endpoint) in its reader and writer, offline_access
 *  in the login plan, and the connection's three new options in the constructor's reader.
 *  Won back: -301 by one segment-wise comparison (core::issuer::fits) for the discovery
 *  document, the `iss` parameter and the ID token instead of building the token's issuer
 *  string. Tried and not taken: the callback's future boxed (-18, a box per login) and the
 *  userinfo GET's future boxed for its two callers (+338).
 *  Then up, on purpose, for issue 32: where a browser has no Web Locks (Safari before 15.4,
 *  an insecure context), renewals still take turns across tabs, by a lease in localStorage
 *  (core::lease, its wait-and-claim loop in browser::locks), else one console warning:
 *  +1,274 as first written; 240 of it won back by naming a claim with Math.random (it guards
 *  no secret) instead of crypto entropy in base64url, and a shorter warning, and 25 more by awaiting the
 *  work in one place: +1,009, 183,585 (183,695 for the classic script), and the ceiling to
 *  183,800.
 *  Then up, on purpose, for issue 26, Lock's documented pages on an Auth0 tenant: +5,141, to
 *  187,717 (187,825 for the classic script), and the ceiling to 188,100. Where, raw, by
 *  `bash scripts/size.sh --owners` against the rows in README's "Size": the constructor's
 *  shim +2.1 KB (the options Lock has that the widget now maps: auth.audience, auth.state,
 *  auth.codeExchange, allowSignUp, initialScreen and flashMessage in the options' derived
 *  reader, and Settings' response-type rules); strings +1.7 KB (the table of Lock 14's 68
 *  options in core::lock_options, and the console lines naming an ignored option); the
 *  login's flow +1.0 KB (the link of a code the app's server exchanges); the panel and its
 *  view (the email form for database and passwordless connections, the Sign up link, the
 *  flash message in place of the error screen, the panel that shows a refused widget's
 *  error). Tried, not kept: the table as one text parsed at run time (+171, its parser
 *  weighs more than the slice's pointers); flashMessage read only by show(), not by the
 *  constructor (-292, for an option Lock accepts in both places).
 *  The four branches above merged (26b, 29, 32, 26a): 196,874 B. Their steps sum to +13,688
 *  on 182,576 (196,264); the other +610 is where they meet in the same derived readers and
 *  flows (the constructor's options reader, the login's plan, the return's flow), measured
 *  whole, not itemised. Then +61: the panel of refused options says Close, not Try again
 *  (core::view::refusal_frame). Then a size pass, -1,560 together, each step measured alone
 *  after the one before: the userinfo step inlined into the return's flow (-79); Lock's
 *  ignored options picked from the table at compile time, so the 28 mapped ones' names are
 *  not in the module (-180); one promise for login() by redirect or popup (-253) and one
 *  task for a button's login either way (-129); one promise for resumeAuth() with and
 *  without Lock's callback (-385); Latch's methods borrowing the widget's result instead of
 *  copying it (-44); a popup login's failure reported from the error it returns, so no code
 *  copies an Error (-490). Tried and not kept: login()'s options read as MethodOptions (-431,
 *  but it would refuse a wrongly typed returnTo that login() ignores today), the userinfo
 *  future boxed (+136), the synchronous ends of login::begin and Widget::show as plain
 *  functions (+153, +84). Measured and not taken: a serde-wasm-bindgen whose de::Error writes
 *  invalid_type and invalid_value without formatting the float it was given (a change of
 *  about 30 lines in its error.rs, tried on a copy outside the tree) takes 10,424 B off
 *  (190,341 -> 179,917 at ee2f5d5): it would mean carrying a patched stack crate, and
 *  belongs upstream. 195,377 (195,633 for the classic script), and the ceiling to 195,700.
 *  Then +25 with no change of behaviour: the readers of the page's arguments moved from
 *  browser::latch into browser::arguments (latch.rs was 651 lines), and the compiler's
 *  inlining across them moved with it: 195,402 (195,658). Then -60: an address's query and
 *  fragment split in one place (core::callback::query_and_fragment) for the return in the
 *  address bar and the silent-callback page's answer: 195,342 (195,598), and the ceiling
 *  down to 195,650.
 *  Issue 27 (DPoP, the login kept across reloads, the token worker, fetchWithToken) is the
 *  DPoP build's, latch-login/dpop (the cargo feature `dpop`): in this build it measured
 *  216,441 with DPoP alone, +21,099, most of it async state machines (the key's IndexedDB
 *  records, its proofs, the persistence, fetchWithToken's promise), and the token worker
 *  +3,035 more. Kept out of this build, they cost it: the auth.dpop option read (to refuse
 *  it, naming latch-login/dpop), the proof argument of the token and userinfo requests, the
 *  token type checked against the login's kind: +2 at ba5d59f after these were won back:
 *  the token exchange a plain future again (-142), the connection's and the transaction's
 *  DPoP members and the proof's error only in the DPoP build (-183), the refresh row's type
 *  check where it was (-41), and wasm-opt stripping the module's target_features section,
 *  which no browser reads (-107). Then -88: the loader passes the token worker's URL in the
 *  DPoP build only (a comment in this one). With issue 27's parts merged: 195,240 (195,502
 *  for the classic script), and the ceiling down to 195,550. At 715a291 (the DPoP build's
 *  login binding's `mut` allowed in this build only): 195,228 (195,490), and the ceiling
 *  down to 195,500. */
const CEILING = 195_500;

/** The DPoP build's own ceiling, set by issue 27 (it only goes down): what a page of
 *  `latch-login/dpop` downloads, its token worker (627) included. 215,672 B gzip for the ES
 *  module, 215,926 for the classic script, at the merge of issue 27's parts: the default
 *  build's 195,240 plus DPoP's key, proofs and nonce retries, the login kept in IndexedDB and
 *  taken back on reload, fetchWithToken, and the token worker's courier (browser::dpop,
 *  browser::courier, browser::resource and their async flows; `bash scripts/size.sh` names
 *  them after `cargo build --features dpop`). Won back while writing them (measured in the
 *  one build they were in then): IndexedDB's requests through one function, not one
 *  instantiation per request (-1.3 KB with the next two), the key without a promise two
 *  callers share (IndexedDB's `add` decides between two makers), the kept login written as
 *  sessionStorage has it and taken back through getTokenSilently's renewal, not a second
 *  lock (together -4,779); one listener for the worker's message and error events (-272).
 *  The final review's mends: a CryptoKeyPair's halves read by one function (-162); the token
 *  worker's headers named once, in Rust (net), and handed to the worker with the request,
 *  which holds none of its own (+141: the wasm +180, the worker -39). 215,645 (215,899 for
 *  the classic script), the worker 588, and the ceiling down to 215,900. */
const DPOP_CEILING = 215_900;

for (const [way, files] of Object.entries(DPOP_WAYS)) {
  test(`${way}: what a page downloads stays under the DPoP build's ceiling`, () => {
    const rows = measure(files);
    const report = table(way, rows);
    console.log(report);
    const { gzip } = sum(rows);
    assert.ok(gzip <= DPOP_CEILING, `the DPoP build is ${gzip} bytes gzip, ${gzip - DPOP_CEILING} over its ${DPOP_CEILING} byte ceiling:\n${report}`);
  });
}

for (const [way, files] of Object.entries(WAYS)) {
  test(`${way}: what a page downloads for the widget stays under its ceiling, and is reported against a third of auth0-lock`, () => {
    const rows = measure(files);
    const report = table(way, rows);
    console.log(report);
    const { gzip } = sum(rows);
    assert.ok(gzip <= CEILING, `the widget is ${gzip} bytes gzip, ${gzip - CEILING} over its ${CEILING} byte ceiling:\n${report}`);
  });
}

const line = (p) => `${p.name.padEnd(22)}${String(p.raw).padStart(9)}${String(p.gzip).padStart(9)}`;

test('each language pack is under 1 KB gzip (a page loads its own only: e2e/versions.test.mjs, e2e/lock-i18n.test.mjs)', () => {
  const packs = measure(readdirSync(new URL('lang/', pkg)).map((name) => `lang/${name}`));
  console.log(packs.map(line).join('\n'));
  const sources = readdirSync(new URL('../src/lang/', import.meta.url)).map((name) => `lang/${name}`);
  assert.deepEqual(packs.map((p) => p.name).sort(), sources.sort());
  for (const p of packs) assert.ok(p.gzip < 1024, `${p.name} is ${p.gzip} bytes gzip`);
});

test("each brand's mark is under 1.5 KB gzip, and where they are under 1 KB (a page loads only those of its buttons: e2e/lock-i18n.test.mjs)", () => {
  const marks = measure(readdirSync(new URL('marks/', pkg)).map((name) => `marks/${name}`));
  const [where] = measure(['latch-assets.mjs']);
  console.log([...marks, where].map(line).join('\n'));
  console.log(line({ name: 'marks, all', ...sum(marks) }));
  assert.ok(marks.some((m) => m.name === 'marks/google.svg'));
  for (const m of marks) assert.ok(m.gzip < 1536, `${m.name} is ${m.gzip} bytes gzip`);
  assert.ok(where.gzip < 1024, `latch-assets.mjs is ${where.gzip} bytes gzip`);
});
