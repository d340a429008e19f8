// The form_post worker (src/js/latch-sw.js) decides in JavaScript which POSTs are an
// authorization response, a rule that is the widget's (AuthorizationResponse::parse in
// src/core/callback.rs). Both are held to one table, tests/cases/authorization-response.json:
// the Rust rule by `cargo test`, the worker here. The worker runs as it does in the browser,
// in a context of its own whose `self` takes its listeners, with node's own Request, Response
// and URL; its fetch listener is handed each body as a form_post navigation.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const root = new URL('..', import.meta.url);
const { cases } = JSON.parse(readFileSync(new URL('tests/cases/authorization-response.json', root), 'utf8'));
const bodyOf = ({ body, pad }) => (pad === undefined ? body : `${body}&pad=${'A'.repeat(pad)}`);

const REDIRECT_URL = 'https://app.example/callback?tab=2';

/** The worker in `file`, loaded as a browser would: its listeners, and what it passed on to
 *  the network. */
function loadWorker(file) {
  const listeners = {};
  const passedOn = [];
  const self = {
    addEventListener: (type, listener) => { listeners[type] = listener; },
    skipWaiting: () => Promise.resolve(),
    clients: { claim: () => Promise.resolve() },
  };
  const context = vm.createContext({
    self,
    URL,
    URLSearchParams,
    TextEncoder,
    Response,
    Request,
    fetch: async (request) => {
      passedOn.push(request);
      return new Response('the network', { status: 405 });
    },
  });
  vm.runInContext(readFileSync(file, 'utf8'), context, { filename: fileURLToPath(file) });
  return { listeners, passedOn };
}

/** A POST of `body` as the browser hands it to the worker: a navigation (a Request cannot be
 *  made with mode navigate, so the real request is seen through that one property). */
function navigation(body, contentType = 'application/x-www-form-urlencoded') {
  const request = new Request(REDIRECT_URL, { method: 'POST', body, headers: { 'content-type': contentType } });
  return new Proxy(request, {
    get: (target, name) => (name === 'mode' ? 'navigate' : Reflect.get(target, name, target)),
  });
}

/** What the worker answers `request` with: undefined when it leaves it to the browser. */
async function answer(listeners, request) {
  let responded;
  listeners.fetch({ request, respondWith: (promise) => { responded = promise; } });
  return responded === undefined ? undefined : await responded;
}

const WORKERS = [
  ['src/js/latch-sw.js', new URL('src/js/latch-sw.js', root)],
  ['pkg/latch-sw.js (as built)', new URL('pkg/latch-sw.js', root)],
];

for (const [name, file] of WORKERS) {
  test(`${name} claims exactly the form bodies the widget reads as an authorization response`, async () => {
    assert.ok(existsSync(file), `${fileURLToPath(file)} is missing: run bash scripts/build.sh`);
    assert.ok(cases.length > 30 && cases.some((c) => c.response) && cases.some((c) => !c.response));
    const { listeners, passedOn } = loadWorker(file);
    const disagreements = [];
    for (const example of cases) {
      const body = bodyOf(example);
      const before = passedOn.length;
      const response = await answer(listeners, navigation(body));
      assert.ok(response, `${example.why}: a form_post navigation is always answered`);
      const claimed = response.status === 303;
      if (claimed) {
        // Sent back to the same page, the fields in the fragment; nothing went to the network.
        const location = new URL(response.headers.get('location'));
        assert.equal(`${location.origin}${location.pathname}${location.search}`, REDIRECT_URL, example.why);
        assert.equal(location.hash, `#${body.replace(/^#/, '')}`, example.why);
        assert.equal(passedOn.length, before, example.why);
      } else {
        assert.equal(response.status, 405, `${example.why}: passed on to the network`);
        assert.equal(passedOn.length, before + 1, example.why);
        assert.equal(await passedOn.at(-1).text(), body, `${example.why}: with its body`);
      }
      if (claimed !== example.response) disagreements.push(`${JSON.stringify(example.body)}${example.pad ? ` + ${example.pad} bytes` : ''} (${example.why}): the widget says ${example.response}, the worker ${claimed}`);
    }
    assert.deepEqual(disagreements, []);
  });

  test(`${name} leaves alone what is no form_post navigation`, async () => {
    const { listeners, passedOn } = loadWorker(file);
    const response = 'code=abc&state=s1';
    assert.equal(await answer(listeners, navigation(response, 'text/plain')), undefined, 'not a form');
    assert.equal(await answer(listeners, new Request(REDIRECT_URL, {
      method: 'POST', body: response, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })), undefined, 'a fetch of the page, not a navigation');
    assert.equal(await answer(listeners, new Proxy(new Request(REDIRECT_URL), {
      get: (target, key) => (key === 'mode' ? 'navigate' : Reflect.get(target, key, target)),
    })), undefined, 'a GET');
    assert.deepEqual(passedOn, []);
  });
}
