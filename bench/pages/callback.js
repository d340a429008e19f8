// Row 3: the app's redirect URI (`${webUrl}/`). Without a response in the URL it offers
// `window.startLogin()`; with one, it completes the login and records `marks.authenticated`.
// `BENCH.client` picks latch-login, oidc-client-ts, or `floor` (no library), all as the
// provider's client latch-spa (authorization code + PKCE S256). With `BENCH.sessions` set, the
// page is row 6's app instead (bench/sessions.js).
import { BENCH, marks, done, fail } from '/bench/measure.js';

// Where the app's own code starts: what comes after is the library's (load, parse, checks).
marks.appStart = performance.now();

const returning = new URLSearchParams(location.search).has('code');

if (BENCH.sessions) {
  // Row 6 (sessions): its own app, at this same registered redirect URI.
  await import('/bench/sessions.js');
} else if (BENCH.client === 'latch') {
  const { Latch } = await import('/pkg/latch-login.mjs');
  // Construction handles the response in the URL (auth.autoParseHash defaults to true).
  const latch = new Latch('latch-spa', BENCH.issuer, { container: 'widget' });
  latch.on('authenticated', (result) => {
    marks.authenticated = performance.now();
    marks.subject = result.profile?.sub ?? result.idTokenPayload?.sub;
    done('authenticated');
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
      done('authenticated');
    }, fail);
  }
  window.startLogin = () => manager.signinRedirect().catch(fail);
} else if (BENCH.client === 'floor') {
  // No library: the least a page can do with a code (PKCE S256, state checked, one token
  // request, the ID token's payload read without any check). What a library adds is on top.
  const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const redirectUri = `${location.origin}/`;
  if (returning) {
    const params = new URLSearchParams(location.search);
    const verifier = sessionStorage.getItem(`floor.${params.get('state')}`);
    if (!verifier) {
      fail('floor: unknown state');
    } else {
      const response = await fetch(`${BENCH.issuer}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri, client_id: 'latch-spa', code_verifier: verifier }),
      });
      const tokens = await response.json();
      const payload = JSON.parse(atob(tokens.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      marks.authenticated = performance.now();
      marks.subject = payload.sub;
      done('authenticated');
    }
  }
  window.startLogin = async () => {
    const state = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    sessionStorage.setItem(`floor.${state}`, verifier);
    location.assign(`${BENCH.issuer}/authorize?${new URLSearchParams({
      client_id: 'latch-spa', redirect_uri: redirectUri, response_type: 'code', scope: 'openid profile email',
      state, nonce: state, code_challenge: challenge, code_challenge_method: 'S256',
    })}`);
  };
} else {
  fail(`unknown client ${BENCH.client}`);
}
