// Issue 7: the bytes a page downloads for the widget, gzip -9 as a CDN would serve them.
// Deterministic (same build, same bytes), so unlike the timings it may be a test.
// scripts/test.sh runs it after scripts/build.sh; `bash scripts/size.sh` names what is large.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';

/** Issue 7's budget for everything, UI included: 60 KB. */
const BUDGET = 60 * 1024;

/** Not met yet (see the report this test prints): until it is, the build must at least not
 *  grow past what branch `size` reached (76,858 bytes), with room for small fixes. Lower it
 *  as the widget shrinks; delete it, and the `todo` below, once BUDGET holds. */
const CEILING = 78 * 1024;

/** Everything `new Latch(...)` makes the page download (the worker only for form_post). */
const SHIPPED = [
  'latch_login_bg.wasm',
  'latch_login.js',
  'latch-login.js',
  'latch.css',
  'latch-sw.js',
];

const pkg = new URL('../pkg/', import.meta.url);

function measure() {
  return SHIPPED.map((name) => {
    const bytes = readFileSync(new URL(name, pkg));
    const gzip = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
    return { name, raw: bytes.length, gzip };
  });
}

function table(rows) {
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const line = (name, raw, gzip) => `${name.padEnd(22)}${String(raw).padStart(9)}${String(gzip).padStart(9)}`;
  return [
    line('file', 'raw', 'gzip -9'),
    ...rows.map((r) => line(r.name, r.raw, r.gzip)),
    line('total', total.raw, total.gzip),
    `budget ${BUDGET} bytes gzip: ${total.gzip <= BUDGET ? 'within' : `over by ${total.gzip - BUDGET}`}`,
  ].join('\n');
}

test('what a page downloads for the widget does not grow past the ceiling', () => {
  const rows = measure();
  const report = table(rows);
  console.log(report);
  const total = rows.reduce((sum, r) => sum + r.gzip, 0);
  assert.ok(total <= CEILING, `the widget is ${total} bytes gzip, over the ${CEILING} byte ceiling:\n${report}`);
});

test('what a page downloads for the widget fits the 60 KB gzip budget', { todo: 'issue 7: not met yet' }, () => {
  const total = measure().reduce((sum, r) => sum + r.gzip, 0);
  assert.ok(total <= BUDGET, `the widget is ${total} bytes gzip, ${total - BUDGET} over the ${BUDGET} byte budget`);
});
