// A single-page app that installed latch-login from npm (here: the packed tarball), built
// by webpack 5.
import { Latch } from 'latch-login';

// The demo's provider and client; an app would write its own here.
const { issuer, clientId } = await (await fetch('/demo-config.json')).json();

// The widget's language from the address (`?lang=fr`); English when none is given.
const language = new URLSearchParams(location.search).get('lang') ?? undefined;
const latch = new Latch(clientId, issuer, { container: 'widget', language });
window.latch = latch;
window.latchEvents = [];
for (const name of ['signin ready', 'authenticated', 'authorization_error', 'unrecoverable_error']) {
  latch.on(name, (payload) => window.latchEvents.push({ name, payload }));
}
latch.on('authenticated', ({ profile }) => {
  const who = document.getElementById('who');
  who.textContent = `Signed in as ${profile.name} (${profile.user_id})`;
  who.hidden = false;
});
latch.show();
