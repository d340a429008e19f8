// A single-page app that installed latch-login from npm (here: the packed tarball).
import { Latch } from 'latch-login';

// The demo's provider and client; an app would write its own here.
const { issuer, clientId } = await (await fetch('/demo-config.json')).json();

const latch = new Latch(clientId, issuer, { container: 'widget' });
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
