// The page the end-to-end tests drive. It builds one widget from
// sessionStorage['latch-e2e'] = {clientId?, domain?, options?, show?, build?} (set by the test
// with an init script, so it survives the round trip to the provider), defaulting to the
// demo's client and provider, and records every event in window.latchEvents. `build: 'dpop'`
// loads the DPoP build (pkg/latch-login-dpop.mjs) instead of the default one.
const setup = JSON.parse(sessionStorage.getItem('latch-e2e') || '{}');
const { Latch } = await import(setup.build === 'dpop' ? '/pkg/latch-login-dpop.mjs' : '/pkg/latch-login.mjs');

const demo = await (await fetch('/demo-config.json')).json();
const latch = new Latch(setup.clientId ?? demo.clientId, setup.domain ?? demo.issuer, {
  container: 'widget',
  ...setup.options,
});

window.latch = latch;
window.latchEvents = [];
for (const name of ['show', 'hide', 'signin ready', 'authenticated', 'authorization_error', 'unrecoverable_error', 'unsupported_connection', 'signed_out', 'renewed', 'renewal_error']) {
  latch.on(name, (payload) => window.latchEvents.push({ name, payload }));
}
if (setup.show !== false) latch.show();
