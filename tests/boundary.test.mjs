// The JS side of the wasm's boundary (src/js/wasm.js) on what the real module never does on
// purpose: trap. A panic or exhausted memory traps the module, and from then on its memory
// cannot be trusted, so the widget must say so and never call it again. The module here is
// written in the test (WebAssembly text, assembled by binaryen) to trap on demand; the real
// module's boundary is exercised by every end-to-end test.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import binaryen from 'binaryen';

import { Core, load, STOPPED, supports } from '../src/js/wasm.js';

// `supports` hands its argument back (or, for "fail", an error); `create` traps when the
// client id is empty. Each call that reaches the module says so with the `warn` import.
const module = binaryen.parseText(`(module
  (import "latch" "out" (func $out (param i32 i32)))
  (import "latch" "warn" (func $warn (param i32 i32)))
  (memory (export "memory") 1)
  (global $next (mut i32) (i32.const 1024))
  (data (i32.const 16) "{\\"error\\":\\"invalid_option\\",\\"errorDescription\\":\\"no\\"}")
  (data (i32.const 96) "reached")
  (func (export "reserve") (param $len i32) (result i32)
    (global.get $next)
    (global.set $next (i32.add (global.get $next) (local.get $len))))
  (func (export "supports") (param $p i32) (param $n i32) (result i32)
    (call $warn (i32.const 96) (i32.const 7))
    (if (i32.eq (local.get $n) (i32.const 6))
      (then (call $out (i32.const 16) (i32.const 50)) (return (i32.const 1))))
    (call $out (local.get $p) (local.get $n))
    (i32.const 0))
  (func (export "create") (param i32 i32 i32 i32 i32 i32) (result i32)
    (call $warn (i32.const 96) (i32.const 7))
    (if (i32.eqz (local.get 1)) (then (unreachable)))
    (i32.const 8))
)`);
const bytes = module.emitBinary();
module.dispose();

/** Counts the calls that reach the module (its `warn`s) while `fn` runs. */
function reaching(fn) {
  const warn = console.warn;
  let count = 0;
  console.warn = (text) => {
    assert.equal(text, 'reached');
    count += 1;
  };
  try {
    fn();
  } finally {
    console.warn = warn;
  }
  return count;
}

test('strings cross as UTF-8 both ways; a refusal throws its { error, errorDescription }', async () => {
  await load(bytes);
  const text = JSON.stringify({ name: '\uFEFFAcme é 東京 😀', n: 1 });
  assert.equal(reaching(() => assert.deepEqual(supports(text), JSON.parse(text))), 1);
  assert.throws(() => supports('"fail"'), { error: 'invalid_option', errorDescription: 'no' });
});

test('a trap stops the module: that call and every later one throw internal_error, and none reaches it', async () => {
  await load(bytes);
  assert.equal(reaching(() => new Core('app', 'op.example.com', undefined)), 1, 'a client id: no trap');
  const trapped = reaching(() => {
    assert.throws(() => new Core('', 'op.example.com', undefined), (thrown) => thrown === STOPPED);
  });
  assert.equal(trapped, 1);
  assert.equal(STOPPED.error, 'internal_error');
  const after = reaching(() => {
    assert.throws(() => supports('{}'), (thrown) => thrown === STOPPED);
    assert.throws(() => new Core('app', 'op.example.com', undefined), (thrown) => thrown === STOPPED);
  });
  assert.equal(after, 0, 'nothing calls a module that trapped');
});
