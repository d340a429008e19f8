// latch-login service worker: a front-channel provider answers with an HTTP POST of the
// form fields (response_mode=form_post), which a static page cannot read. This worker
// answers that POST with a 303 to the same URL carrying the fields in the fragment, where
// the widget reads them. The fragment never reaches a server or a Referer header.

// Which bodies are an authorization response is the widget's rule (AuthorizationResponse::parse
// in src/core/callback.rs): this worker claims exactly the POSTs the widget would then read,
// refused or not, and passes every other one on. Its copy here is held to the Rust rule by
// one table of cases, tests/cases/authorization-response.json, that both are tested against.
const MAX_PARAMS_LEN = 64 * 1024;

/** One name or value: `+` is a space, then the escapes; a broken escape or bytes that are
 *  not UTF-8 throw (a URIError), as they are errors to the widget. */
const decode = (text) => decodeURIComponent(text.replaceAll('+', ' '));

function isAuthorizationResponse(body) {
  const params = body.replace(/^[?#]/, '');
  const pairs = params.split('&').filter((pair) => pair !== '');
  let names;
  try {
    if (new TextEncoder().encode(params).length > MAX_PARAMS_LEN) throw new RangeError('too long');
    names = pairs.map((pair) => {
      const at = pair.indexOf('=');
      decode(at < 0 ? '' : pair.slice(at + 1));
      return decode(at < 0 ? pair : pair.slice(0, at));
    });
  } catch {
    // Unreadable: the widget's only if it looks like a response as written.
    return pairs.some((pair) => /^(state|code|error)=/.test(pair));
  }
  const count = (name) => names.filter((n) => n === name).length;
  if (count('state') === 0) return false;
  // A repeated state or iss is refused (RFC 6749 §3.1) before code and error are looked at.
  return count('state') > 1 || count('iss') > 1 || count('error') + count('code') + count('id_token') > 0;
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'POST' || request.mode !== 'navigate') return;
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return;
  event.respondWith(
    (async () => {
      const body = await request.clone().text();
      if (!isAuthorizationResponse(body)) return fetch(request);
      const target = new URL(request.url);
      target.hash = body;
      return Response.redirect(target.href, 303);
    })(),
  );
});
