// Row 2 and row 5: a page that shows a login widget, as an app would. `BENCH.widget` picks
// latch-login or auth0-lock; both read the client configuration from the local provider.
import { BENCH, marks, watchVisible, fail } from '/bench/measure.js';

if (BENCH.widget === 'latch') {
  const { Latch } = await import('/pkg/latch-login.mjs');
  const latch = new Latch('latch-spa', BENCH.issuer, { container: 'widget' });
  latch.on('signin ready', () => { marks.ready ??= performance.now(); });
  latch.on('unrecoverable_error', fail);
  watchVisible('.latch-connection');
  latch.show();
} else if (BENCH.widget === 'auth0-lock') {
  const { default: Auth0Lock } = await import('/peers/auth0-lock.js');
  const lock = new Auth0Lock('latch-spa', BENCH.issuer, {
    container: 'widget',
    configurationBaseUrl: BENCH.issuer,
    auth: { redirectUrl: `${location.origin}/`, responseType: 'code', ...BENCH.lockAuth },
    ...BENCH.lockOptions,
  });
  lock.on('unrecoverable_error', fail);
  lock.on('show', () => { marks.ready ??= performance.now(); });
  // With this client configuration (enterprise connections, one with an email domain) Lock
  // shows its enterprise screen: an email field and a LOG IN button, no per-connection
  // buttons. Its social buttons or that submit button are its "ready to log in".
  watchVisible('.auth0-lock-social-button, .auth0-lock-submit');
  lock.show();
} else if (BENCH.widget !== 'none') {
  fail(`unknown widget ${BENCH.widget}`);
}
