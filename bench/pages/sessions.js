// Row 6 (sessions, issues 19 and 27), loaded by the redirect URI's page (callback.js) when
// `BENCH.sessions` is set. `BENCH.client` picks latch-login, latch-login's DPoP build
// (latch-dpop), @auth0/auth0-spa-js or oidc-client-ts, each as an app would set it up for the
// path measured, all as the provider's client latch-spa (authorization code + PKCE S256):
//
//   BENCH.sessions = 'reload'   every load without a response in the URL tries to sign in
//                               silently (latch-login `auth.sso`, auth0-spa-js
//                               `createAuth0Client`, oidc-client-ts `signinSilent()` through
//                               its silent redirect page); tokens in memory, so that a reload
//                               has nothing left and must ask the provider again.
//   BENCH.sessions = 'refresh'  refresh tokens (latch-login `auth.useRefreshTokens`,
//                               auth0-spa-js `useRefreshTokens` with `cacheLocation: 'memory'`,
//                               oidc-client-ts as it comes: it uses one whenever the user has one).
//   latch-dpop, either row:     `auth: { dpop: true, persistRefreshToken: true }` from
//                               pkg/latch-login-dpop.mjs: the login's DPoP-bound refresh token
//                               is kept in IndexedDB beside the non-extractable key, and a load
//                               without a response in the URL takes it back with one
//                               refresh_token grant; renewals carry DPoP proofs.
//
// Either way `window.startLogin()` logs in by a redirect; on the page the provider sends the
// user back to, and on a load signed in silently, `marks.authenticated` is recorded (since the
// navigation's start) when the user is available, and the URL is cleaned as an app does.
// `window.renew(pauses)` then times one renewal per entry of `pauses`, each started that many
// milliseconds after the one before it ended (the pause is not timed), with performance.now()
// around the call, and returns { times, tokens }.
import { BENCH, marks, done, fail } from '/bench/measure.js';

const redirectUri = `${location.origin}/`;
const returning = new URLSearchParams(location.search).has('code');
const row = BENCH.sessions;

function signedIn(subject) {
  marks.authenticated = performance.now();
  marks.subject = subject;
  marks.returning = returning;
  // An app takes the response out of the address (a reload must not replay the used code).
  if (returning) history.replaceState(null, '', redirectUri);
  done('authenticated');
}

let renewOnce;

if (BENCH.client === 'latch' || BENCH.client === 'latch-dpop') {
  // latch-dpop: the DPoP build with the login kept across reloads, set up the same way for
  // both rows (its reload takes the kept login back with one refresh_token grant, no iframe).
  const kept = BENCH.client === 'latch-dpop';
  const { Latch } = await import(kept ? '/pkg/latch-login-dpop.mjs' : '/pkg/latch-login.mjs');
  let auth;
  if (kept) auth = { dpop: true, persistRefreshToken: true, redirectUrl: redirectUri };
  else if (row === 'reload') auth = { sso: true, redirectUrl: redirectUri };
  else auth = { useRefreshTokens: true, redirectUrl: redirectUri };
  const latch = new Latch('latch-spa', BENCH.issuer, { auth });
  latch.on('authenticated', (result) => signedIn(result.idTokenPayload?.sub));
  latch.on('authorization_error', fail);
  latch.on('unrecoverable_error', fail);
  window.startLogin = () => latch.login({ connection: 'local-oidc' });
  renewOnce = () => latch.getTokenSilently({ cacheMode: 'off' });
} else if (BENCH.client === 'auth0-spa-js') {
  const { Auth0Client, createAuth0Client } = await import('/peers/auth0-spa-js.js');
  const options = {
    // The twin provider whose issuer is `${domain}/` (bench/servers.mjs says why).
    domain: BENCH.auth0Domain,
    clientId: 'latch-spa',
    authorizationParams: { redirect_uri: redirectUri },
    cacheLocation: 'memory',
    ...(row === 'refresh' ? { useRefreshTokens: true } : {}),
  };
  let client;
  if (returning) {
    client = new Auth0Client(options);
    client.handleRedirectCallback()
      .then(() => client.getUser())
      .then((user) => signedIn(user?.sub), fail);
  } else if (row === 'reload') {
    // Its documented start: checkSession() (a hidden iframe, prompt=none, web_message) when
    // its "is authenticated" cookie says the user logged in before.
    client = await createAuth0Client(options).catch(fail);
    const user = await client?.getUser();
    if (user) signedIn(user.sub);
  } else {
    client = new Auth0Client(options);
  }
  window.startLogin = () => client.loginWithRedirect().catch(fail);
  renewOnce = () => client.getTokenSilently({ cacheMode: 'off' });
} else if (BENCH.client === 'oidc-client-ts') {
  const { UserManager, WebStorageStateStore, InMemoryWebStorage } = await import('/peers/oidc-client-ts.js');
  const manager = new UserManager({
    authority: BENCH.issuer,
    client_id: 'latch-spa',
    redirect_uri: redirectUri,
    silent_redirect_uri: `${location.origin}/bench/silent.html`,
    response_type: 'code',
    scope: 'openid profile email',
    automaticSilentRenew: false,
    // Reload: the user in memory, as the others keep theirs, so that the reload must sign in
    // again (its default, sessionStorage, would keep the tokens, readable by page scripts, and
    // make the reload free). Refresh: its default store.
    ...(row === 'reload' ? { userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }) } : {}),
  });
  if (returning) {
    manager.signinRedirectCallback().then((user) => signedIn(user.profile.sub), fail);
  } else if (row === 'reload') {
    manager.signinSilent().then(
      (user) => signedIn(user.profile.sub),
      (error) => { if (error?.error !== 'login_required') fail(error); },
    );
  }
  window.startLogin = () => manager.signinRedirect().catch(fail);
  renewOnce = async () => (await manager.signinSilent()).access_token;
} else {
  fail(`unknown client ${BENCH.client}`);
}

window.renew = async (pauses) => {
  const times = [];
  const tokens = [];
  for (const pause of pauses) {
    if (pause > 0) await new Promise((resolve) => { setTimeout(resolve, pause); });
    const start = performance.now();
    const token = await renewOnce();
    times.push(performance.now() - start);
    tokens.push(token);
  }
  return { times, tokens };
};
