// How an app written in TypeScript uses the package, through its own name and exports map
// (as `npm install latch-login` gives it): this must type-check with no error.
import { Latch, init, type AuthResult, type LatchError } from 'latch-login';
import { Latch as DpopLatch } from 'latch-login/dpop';

await init(new URL('https://cdn.example/latch_login_bg.wasm'));

const latch = new Latch('client', 'tenant.example.com', {
  container: 'login',
  language: 'ar',
  allowedConnections: ['acme'],
  rememberLastLogin: false,
  clientBaseUrl: 'https://cdn.example',
  configurationFormat: 'script',
  auth: { redirectUrl: 'https://app.example/cb', params: { max_age: 3600, prompt: 'login' }, tokenStorage: 'sessionStorage', requestTimeout: 5000 },
  theme: { primaryColor: '#123456', labeledSubmitButton: false, authButtons: { acme: { displayName: 'Acme', icon: '/acme.svg' } } },
  connections: [{
    name: 'direct', issuer: 'https://op.example', client_id: 'c', type: 'front_channel', min_widget_version: '0.4', requires: ['form_post'],
  }, {
    name: 'entra', issuer: 'https://login.microsoftonline.com/common/v2.0', client_id: 'c', require_pkce_metadata: false, profile_from_userinfo: true,
  }, {
    name: 'explicit', issuer: 'https://op.example', client_id: 'c', authorization_endpoint: 'https://op.example/authorize',
    token_endpoint: 'https://op.example/token', jwks_uri: 'https://op.example/jwks', userinfo_endpoint: 'https://op.example/userinfo',
  }],
});

const off: () => void = latch.on('authenticated', ({ profile, idTokenPayload, accessToken }: AuthResult) => {
  const userId: string = profile.user_id;
  const identity: string = profile.identities[0].connection;
  console.log(userId, identity, idTokenPayload.sub, accessToken?.length);
});
off();
// Lock's SPA and web-app shapes (issue 26): implicit response types carried out as code + PKCE,
// the audience, the app's state, sign-ups; the server's code exchange, named.
const lockShaped = new Latch('client', 'tenant.example.com', {
  auth: { responseType: 'token id_token', audience: 'https://api.example', state: 'mine', params: { state: 'auth_state' } },
  allowSignUp: false,
  initialScreen: 'signUp',
  flashMessage: { type: 'info', text: 'Welcome back' },
});
lockShaped.on('authenticated', ({ state }: AuthResult) => console.log(state.length));
new Latch('web', 'tenant.example.com', { auth: { redirectUrl: 'https://app.example/callback', codeExchange: 'server' } });
latch.on('authorization_error', (e: LatchError) => console.warn(e.error, e.errorDescription));
latch.on('unsupported_connection', ({ connection, missing, required }) => console.warn(connection, missing.join(), required));
latch.attach('#acme', { connection: 'acme' })();
const link: string = await latch.authorizeUrl({ connection: 'acme', appState: { returnTo: '/' } });
const verdict = await Latch.supports({ strategy: 'oidc', min_widget_version: '0.4' });
const supported: boolean = verdict.supported;
const missing: string[] = verdict.missing;
const why: string | null = verdict.reason;
const needs: string | null = verdict.required;
console.log(missing.join(), why?.length, needs);
const claims = Latch.decodeToken(link);
const version: string = Latch.version;
console.log(supported, claims, version, latch.getUser()?.email, latch.getTokens()?.expiresAt);
latch.show();
const hadResponse: boolean = await latch.resumeAuth();
latch.resumeAuth(location.hash, (error, authResult) => console.log(error?.error, authResult?.profile.user_id, hadResponse));
const info: Record<string, unknown> = await latch.getUserInfo('at');
latch.getUserInfo('at', (error, profile) => console.log(error?.errorDescription, profile?.sub, info.sub));
await latch.logout({ returnTo: 'https://app.example/', federated: true });
latch.on('hash_parsed', (result) => console.log(result?.idToken));
const accessToken: string = await latch.getTokenSilently({ cacheMode: 'off' });
// DPoP (issue 27): bound tokens kept across reloads, and the app's API called with them.
const bound = new DpopLatch('client', 'tenant.example.com', { auth: { dpop: true, persistRefreshToken: true } });
const answer: Response = await bound.fetchWithToken('/api/me', { method: 'POST', body: '{}' });
const again: Response = await bound.fetchWithToken(new Request('https://api.example/x'));
console.log(answer.status, again.ok);
console.log(accessToken.length);
const session: AuthResult = await latch.checkSession({ connection: 'acme', timeout: 5000 });
latch.checkSession(undefined, (error, result) => console.log(error?.error, result?.profile.sub, session.idToken));
