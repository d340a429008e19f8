// latch-login's token worker: the widget's token requests (the code exchange, refreshes) of a
// login that holds a refresh token or a DPoP key go out from here, a dedicated Worker, so that
// a script of the page that wraps `fetch` or XMLHttpRequest sees neither the request nor its
// answer. It only carries them: what a request holds (its headers too), where it goes, which
// of the answer's headers come back and what the answer means are the widget's
// (src/browser/courier.rs, from the core's rules). It is not a boundary against a script that
// runs before the widget and targets it (README, "Content Security Policy").

// Only as a dedicated worker, whose one owner is the page that made it: as a shared or
// service worker, other pages could send it requests.
if (typeof DedicatedWorkerGlobalScope !== 'function' || !(self instanceof DedicatedWorkerGlobalScope)) {
  throw new TypeError('latch-token-worker.js runs only as a dedicated worker');
}

const text = (value) => typeof value === 'string';

/** POSTs `body` to `url` with `headers` (`[name, value]` pairs), aborted at `deadline` (a
 *  time on the clock the page shares, in ms: the widget gives up then too, so a request this
 *  worker got late is never sent); the answer's status, body and the headers named in
 *  `reads`, or why there is none. */
async function post({ id, url, body, headers, reads, deadline }) {
  const controller = new AbortController();
  const left = deadline - Date.now();
  const timer = setTimeout(() => controller.abort(), left);
  if (left <= 0) controller.abort();
  try {
    const { protocol } = new URL(url);
    if (protocol !== 'https:' && protocol !== 'http:') throw new TypeError('not an http(s) URL');
    const response = await fetch(url, { method: 'POST', headers, body, signal: controller.signal });
    return {
      id,
      status: response.status,
      headers: Object.fromEntries(reads.map((name) => [name, response.headers.get(name)])),
      body: await response.text(),
    };
  } catch (error) {
    return { id, failure: String(error?.message ?? error), timedOut: controller.signal.aborted };
  } finally {
    clearTimeout(timer);
  }
}

// Only POSTs, each answered once by its id.
self.onmessage = async ({ data }) => {
  const { id, url, body, headers, reads, deadline } = data ?? {};
  if (!Number.isFinite(id)) return;
  self.postMessage(text(url) && text(body) && Array.isArray(headers) && Array.isArray(reads) && Number.isFinite(deadline)
    ? await post(data)
    : { id, failure: 'not a token request', timedOut: false });
};
