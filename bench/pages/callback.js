// Row 3: the app's redirect URI (`${webUrl}/`). Without a response in the URL it offers
// `window.startLogin()`; with one, it completes the login and records `marks.authenticated`.
// `BENCH.client` picks latch-login or oidc-client-ts, both as the provider's client
// latch-spa (authorization code + PKCE S256).
import { BENCH, marks, fail } from '/bench/measure.js';

// Where the app's own code starts: what comes after is the library's (load, parse, checks).
marks.appStart = performance.now();

const returning = new URLSearchParams(location.search).has('code');

if (BENCH.client === 'latch') {
  const { Latch } = await import('/pkg/latch-login.mjs');
  // Construction handles the response in the URL (auth.autoParseHash defaults to true).
  const latch = new Latch('latch-spa', BENCH.issuer, { container: 'widget' });
  latch.on('authenticated', (result) => {
    marks.authenticated = performance.now();
    marks.subject = result.profile?.sub ?? result.idTokenPayload?.sub;
  });
  latch.on('authorization_error', fail);
  latch.on('unrecoverable_error', fail);
  window.startLogin = () => latch.login({ connection: 'local-oidc' });
} else if (BENCH.client === 'oidc-client-ts') {
  const { UserManager, WebStorageStateStore } = await import('/peers/oidc-client-ts.js');
  const manager = new UserManager({
    authority: BENCH.issuer,
    client_id: 'latch-spa',
    redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: 'openid profile email',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    automaticSilentRenew: false,
  });
  if (returning) {
    manager.signinRedirectCallback().then((user) => {
      marks.authenticated = performance.now();
      marks.subject = user.profile.sub;
    }, fail);
  }
  window.startLogin = () => manager.signinRedirect().catch(fail);
} else {
  fail(`unknown client ${BENCH.client}`);
}
