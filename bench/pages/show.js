// Row 2 and row 5: a page that shows a login widget, as an app would. `BENCH.widget` picks
// latch-login or auth0-lock, both reading the client configuration from the local provider;
// `floor` draws that configuration's buttons with no library; `none` is a blank page.
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
} else if (BENCH.widget === 'floor') {
  // No library: the least a page can do to put the connections of its client configuration
  // on screen (one request, one plain button each, no checks). What any widget adds is on top.
  // The same file as both widgets: Auth0's script, its argument read as JSON.
  const script = await (await fetch(`${BENCH.issuer}/client/latch-spa.js`)).text();
  const { strategies } = JSON.parse(script.slice(script.indexOf('(') + 1, script.lastIndexOf(')')));
  const box = document.getElementById('widget');
  for (const { connections } of strategies) {
    for (const c of connections) {
      box.append(Object.assign(document.createElement('button'), { className: 'floor-button', textContent: c.display_name ?? c.name }));
    }
  }
  marks.ready = performance.now();
  watchVisible('.floor-button');
} else if (BENCH.widget !== 'none') {
  fail(`unknown widget ${BENCH.widget}`);
}
