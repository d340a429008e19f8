// Not part of the documented pages: the test's recorder, loaded after each page's own script.
// It listens to the page's `lock` as any app would, so the test can see Lock's events.
window.lockEvents = [];
['show', 'hide', 'signin ready', 'hash_parsed', 'authenticated', 'authorization_error', 'unrecoverable_error'].forEach(function (name) {
  window.lock.on(name, function (payload) { window.lockEvents.push({ name: name, payload: payload }); });
});
