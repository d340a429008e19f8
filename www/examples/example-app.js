// The example pages' own script, plain enough for a classic <script> (script-tag.html) and
// for a module script (script-module.html): after latch-login.js, `Latch` is a global.
// The demo's provider and client (served by `npm start`); in an app these are constants.
fetch('/demo-config.json').then((r) => r.json()).then(({ issuer, clientId }) => {
  var latch = new Latch(clientId, issuer, { container: 'widget' });
  window.latch = latch;
  window.latchEvents = [];
  ['signin ready', 'authenticated', 'authorization_error', 'unrecoverable_error'].forEach(function (name) {
    latch.on(name, function (payload) { window.latchEvents.push({ name: name, payload: payload }); });
  });
  latch.on('authenticated', function (result) {
    var who = document.getElementById('who');
    who.textContent = 'Signed in as ' + result.profile.name + ' (' + result.profile.user_id + ')';
    who.hidden = false;
  });
  latch.on('authorization_error', function (e) {
    var problem = document.getElementById('problem');
    problem.textContent = 'Login failed (' + e.error + '): ' + e.errorDescription;
    problem.hidden = false;
  });
  latch.show();
});
