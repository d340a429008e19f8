// Row 4: authorize links built per second in the page. `window.runLinks({ client, seconds,
// batch })` builds links in batches of `batch` concurrent calls until `seconds` have passed,
// and clears sessionStorage between batches (every link stores its transaction, and
// sessionStorage holds only a few MB). Only the batches are timed, not the clearing.
// Each batch is checked: as many distinct states as links, and as many stored transactions.
import { BENCH, marks } from '/bench/measure.js';

async function makeClient(client) {
  if (client === 'latch') {
    const { Latch } = await import('/pkg/latch-login.mjs');
    const latch = new Latch('latch-spa', BENCH.issuer, {});
    return {
      link: () => latch.authorizeUrl({ connection: 'local-oidc' }),
      stored: () => Object.keys(sessionStorage).filter((k) => k.startsWith('latch.tx.')).length,
    };
  }
  if (client === 'oidc-client-ts') {
    const { OidcClient, WebStorageStateStore } = await import('/peers/oidc-client-ts.js');
    const oidc = new OidcClient({
      authority: BENCH.issuer,
      client_id: 'latch-spa',
      redirect_uri: `${location.origin}/`,
      response_type: 'code',
      scope: 'openid profile email',
      // The provider's discovery document, given up front as the widget has it cached.
      metadata: BENCH.metadata,
      stateStore: new WebStorageStateStore({ store: sessionStorage, prefix: 'oidc.' }),
    });
    return {
      link: () => oidc.createSigninRequest({}).then((request) => request.url),
      stored: () => Object.keys(sessionStorage).filter((k) => k.startsWith('oidc.')).length,
    };
  }
  throw new Error(`unknown client ${client}`);
}

window.runLinks = async ({ client, seconds, batch }) => {
  const { link, stored } = await makeClient(client);
  sessionStorage.clear();
  // The first link fetches the client configuration and discovery (latch-login); that is
  // the network, not link building.
  const first = await link();
  sessionStorage.clear();
  let links = 0;
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    const start = performance.now();
    const urls = await Promise.all(Array.from({ length: batch }, link));
    elapsed += performance.now() - start;
    const states = new Set(urls.map((u) => new URL(u).searchParams.get('state')));
    if (states.size !== batch || !urls.every((u) => u.includes('code_challenge_method=S256'))) {
      throw new Error(`a batch of ${batch} links had ${states.size} distinct states or no S256 challenge`);
    }
    if (stored() !== batch) throw new Error(`${stored()} transactions stored for ${batch} links`);
    sessionStorage.clear();
    links += batch;
  }
  marks.links = { links, ms: elapsed, perSecond: (links / elapsed) * 1000, sample: first };
  return marks.links;
};
