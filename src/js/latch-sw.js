// latch-login service worker: a front-channel provider answers with an HTTP POST of the
// form fields (response_mode=form_post), which a static page cannot read. This worker
// answers that POST with a 303 to the same URL carrying the fields in the fragment, where
// the widget reads them. The fragment never reaches a server or a Referer header.
const RESPONSE_FIELDS = ['code', 'id_token', 'error'];

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
      const fields = new URLSearchParams(body);
      const isResponse = fields.has('state') && RESPONSE_FIELDS.some((f) => fields.has(f));
      if (!isResponse) return fetch(request);
      const target = new URL(request.url);
      target.hash = body;
      return Response.redirect(target.href, 303);
    })(),
  );
});
