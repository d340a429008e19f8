// The wrapper's guard on the wasm (src/js/guard.js, bundled into pkg/latch-login.mjs): a
// module that traps is never called again. The class here stands in for wasm-bindgen's
// LatchCore and traps on demand, as a panic or exhausted memory would.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { guard, guarded, STOPPED } from '../src/js/guard.js';

let reached = 0;
class Module {
  constructor(fail) {
    reached += 1;
    if (fail) throw { error: 'invalid_option', errorDescription: 'no' };
  }

  get signedIn() {
    reached += 1;
    return false;
  }

  step(value) {
    reached += 1;
    if (value === 'trap') throw new WebAssembly.RuntimeError('unreachable');
    return value;
  }
}

test('a refusal passes through; a trap stops the module: that call and every later one throw internal_error, and none reaches it', () => {
  const Core = guard(Module);
  assert.throws(() => new Core(true), { error: 'invalid_option', errorDescription: 'no' });
  const core = new Core(false);
  assert.equal(core.step('ok'), 'ok');
  assert.equal(core.signedIn, false);
  assert.throws(() => core.step('trap'), (thrown) => thrown === STOPPED);
  assert.equal(STOPPED.error, 'internal_error');
  const before = reached;
  assert.throws(() => core.step('ok'), (thrown) => thrown === STOPPED);
  assert.throws(() => core.signedIn, (thrown) => thrown === STOPPED);
  assert.throws(() => new Core(false), (thrown) => thrown === STOPPED);
  assert.throws(() => guarded(() => 1), (thrown) => thrown === STOPPED);
  assert.equal(reached, before, 'nothing calls a module that trapped');
});
