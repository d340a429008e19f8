// The connection tester: one direct OpenID Connect connection made from what was typed,
// checked by building an authorize link (which fetches and checks the discovery document),
// then a real login with it. Everything shown is set as text.
import { Latch } from '/pkg/latch-login.mjs';

const $ = (id) => document.getElementById(id);
const KEY = 'latch-tester';
const demo = await (await fetch('/demo-config.json')).json().catch(() => ({}));

// What was typed survives the round trip to the provider, so the return is handled by the
// same connection.
const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null');
$('issuer').value = saved?.issuer ?? demo.issuer ?? '';
$('client-id').value = saved?.clientId ?? demo.clientId ?? '';
$('channel').value = saved?.channel ?? 'back_channel';

window.latchEvents = [];
let latch = null;

function widgetFor({ issuer, clientId, channel }) {
  const widget = new Latch(clientId, '', {
    stylesheet: false,
    connections: [{ name: 'tester', display_name: issuer, issuer, client_id: clientId, type: channel }],
  });
  for (const name of ['authenticated', 'authorization_error', 'unrecoverable_error']) {
    widget.on(name, (payload) => window.latchEvents.push({ name, payload }));
  }
  widget.on('authenticated', ({ idTokenPayload, profile }) => {
    $('who').textContent = `Signed in as ${profile.name ?? profile.user_id}`;
    $('claims').textContent = JSON.stringify(idTokenPayload, null, 2);
    $('profile').textContent = JSON.stringify(profile, null, 2);
    $('result').hidden = false;
  });
  widget.on('authorization_error', (e) => verdict(false, `${e.error}: ${e.errorDescription}`));
  widget.on('unrecoverable_error', (e) => verdict(false, `${e.error}: ${e.errorDescription}`));
  return widget;
}

function verdict(ok, text) {
  $('verdict').textContent = `${ok ? '✓' : '✗'} ${text}`;
  $('verdict').className = ok ? 'ok' : 'bad';
  $('verdict').dataset.ok = String(ok);
}

if (saved) latch = widgetFor(saved);

$('check-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const typed = { issuer: $('issuer').value.trim(), clientId: $('client-id').value.trim(), channel: $('channel').value };
  sessionStorage.setItem(KEY, JSON.stringify(typed));
  $('try').disabled = true;
  $('verdict').textContent = 'Checking…';
  delete $('verdict').dataset.ok;
  latch = widgetFor(typed);
  try {
    const link = new URL(await latch.authorizeUrl({ connection: 'tester' }));
    verdict(true, `Discovery document found and complete; logins go to ${link.origin}${link.pathname}`);
    $('try').disabled = false;
  } catch (e) {
    verdict(false, `${e.error}: ${e.errorDescription}`);
  }
});

$('try').addEventListener('click', () => latch?.login({ connection: 'tester' }));
