// The element page's script (a file of its own: the strict CSP allows no inline script). It
// gives the element the demo's client and provider (as a page would in its markup), records
// every event the element dispatches in window.latchEvents (`{name, payload, custom, target}`:
// `custom`, whether it came as a CustomEvent), then loads latch-login/element, which defines
// the element and so makes its widget.
const EVENTS = ['show', 'hide', 'signin ready', 'hash_parsed', 'authenticated', 'authorization_error', 'unrecoverable_error', 'signed_out', 'renewed', 'renewal_error'];
const demo = await (await fetch('/demo-config.json')).json();
const element = document.getElementById('login');
window.latchEvents = [];
for (const name of EVENTS) {
  element.addEventListener(name, (event) => {
    window.latchEvents.push({ name, payload: event.detail ?? null, custom: event instanceof CustomEvent, target: event.target.id });
  });
}
element.setAttribute('client-id', demo.clientId);
element.setAttribute('domain', demo.issuer);
await import('/pkg/element.mjs');
