// The demo: one widget against the local OpenID provider started by `npm start`.
import { Latch } from '/pkg/latch-login.mjs';

const { issuer, clientId } = await (await fetch('/demo-config.json')).json();

const latch = new Latch(clientId, issuer, {
  container: 'widget',
  languageDictionary: { title: 'Sign in to the demo' },
});

// Every event is kept for the end-to-end tests (and for anyone curious in the console).
window.latchEvents = [];
for (const name of ['show', 'hide', 'signin ready', 'authenticated', 'authorization_error', 'unrecoverable_error']) {
  latch.on(name, (payload) => window.latchEvents.push({ name, payload }));
}

const $ = (id) => document.getElementById(id);

latch.on('authenticated', ({ profile, idTokenPayload }) => {
  // Text only: a profile comes from the network.
  $('who').textContent = `Signed in as ${profile.name}`;
  $('user-id').textContent = `user_id: ${profile.user_id}`;
  $('profile').textContent = JSON.stringify(profile, null, 2);
  $('claims').textContent = JSON.stringify(idTokenPayload, null, 2);
  $('result').hidden = false;
  $('problem').hidden = true;
});

latch.on('authorization_error', ({ error, errorDescription }) => {
  $('problem').textContent = `Login failed (${error}): ${errorDescription}`;
  $('problem').hidden = false;
});

$('again').addEventListener('click', () => {
  $('result').hidden = true;
  latch.show();
});

latch.show();
