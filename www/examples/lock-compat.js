// The script of a page written for Auth0 Lock, unchanged but for the client id and domain of
// the demo (in an app these are constants): Lock's constructor, resumeAuth with its callback,
// getUserInfo, logout with returnTo and federated, Lock's events.
fetch('/demo-config.json').then((r) => r.json()).then(({ issuer, clientId }) => {
  var here = location.origin + location.pathname;
  var lock = new Auth0Lock(clientId, issuer, {
    container: 'widget',
    auth: { redirectUrl: here, responseType: 'token id_token', autoParseHash: false, params: { scope: 'openid profile email' } },
  });
  window.lock = lock;
  window.lockEvents = [];
  ['show', 'hide', 'hash_parsed', 'authenticated', 'authorization_error', 'unrecoverable_error', 'signin ready'].forEach(function (name) {
    lock.on(name, function (payload) { window.lockEvents.push({ name: name, payload: payload }); });
  });
  lock.on('forgot_password ready', function () { window.lockEvents.push({ name: 'forgot_password ready' }); });

  lock.resumeAuth(location.search, function (error, authResult) {
    window.resumed = { error: error, authResult: authResult };
    if (error || !authResult) {
      lock.show();
      return;
    }
    lock.getUserInfo(authResult.accessToken, function (error, profile) {
      window.userInfo = { error: error, profile: profile };
      var who = document.getElementById('who');
      who.textContent = error ? 'No profile: ' + error.error : 'Signed in as ' + profile.sub;
      who.hidden = false;
      var out = document.getElementById('logout');
      out.hidden = false;
      out.onclick = function () { lock.logout({ returnTo: here, federated: true }); };
    });
  });
});
