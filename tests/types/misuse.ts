// What the types must refuse: each line below carries @ts-expect-error, so tsc fails if any
// of them starts to type-check (the types would have become too loose).
import { Latch } from 'latch-login';
import { Latch as DpopLatch } from 'latch-login/dpop';

const latch = new Latch('client', 'tenant.example.com');
// @ts-expect-error an event Lock does not have
latch.on('signed_in', () => {});
// @ts-expect-error the payload of authenticated has no `user`
latch.on('authenticated', ({ user }) => user);
// @ts-expect-error a client secret never goes in the browser
new Latch('c', 'd', { connections: [{ name: 'x', client_id: 'c', client_secret: 's3cret' }] });
// @ts-expect-error tokens are kept in memory or sessionStorage, nowhere else
new Latch('c', 'd', { auth: { tokenStorage: 'localStorage' } });
// @ts-expect-error the channel is back_channel or front_channel
new Latch('c', 'd', { connections: [{ name: 'x', client_id: 'c', type: 'sideways' }] });
// @ts-expect-error a verdict's reason may be null (a supported connection has none)
Latch.supports({ strategy: 'oidc' }).then((v) => v.reason.length);
// @ts-expect-error the client configuration is Auth0's script or JSON, nothing else
new Latch('c', 'd', { configurationFormat: 'jsonp' });
// @ts-expect-error Lock's signup events belong to screens latch-login does not have
latch.on('signup ready', () => {});
// @ts-expect-error getUserInfo needs the access token
latch.getUserInfo();
// @ts-expect-error checkSession's timeout is in milliseconds, a number
latch.checkSession({ timeout: '10s' });
// @ts-expect-error cacheMode is 'on' or 'off'
latch.getTokenSilently({ cacheMode: 'cache-only' });
// @ts-expect-error require_pkce_metadata is a boolean, not a list of methods
new Latch('c', 'd', { connections: [{ name: 'x', client_id: 'c', require_pkce_metadata: ['S256'] }] });
// @ts-expect-error the code is exchanged by the page or by the app's server, nowhere else
new Latch('c', 'd', { auth: { codeExchange: 'proxy' } });
// @ts-expect-error DPoP is on or off; the algorithm is the widget's (ES256)
new Latch('c', 'd', { auth: { dpop: 'ES256' } });
// @ts-expect-error fetchWithToken is the DPoP build's (latch-login/dpop)
latch.fetchWithToken('/api');
// @ts-expect-error fetchWithToken needs the request's URL
new DpopLatch('c', 'd').fetchWithToken();
