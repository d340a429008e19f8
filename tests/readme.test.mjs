// The README's migration table (issue 20) names, for every part of Lock's surface latch-login
// supports, the test that shows it: `file: test name` under tests/e2e/, or a native source
// file. This holds the table to the tests as they are, so a row cannot name a test that was
// renamed or never written, and a supported row cannot name none.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The rows of the table under "## Moving from Auth0 Lock": [lock, latch, tests]. */
function migrationRows() {
  const start = readme.indexOf('## Moving from Auth0 Lock');
  assert.ok(start >= 0, 'the README has its migration section');
  const end = readme.indexOf('\n## ', start + 1);
  const rows = readme.slice(start, end).split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Lock |') && !line.startsWith('| ---'))
    // A `|` escaped inside a cell is part of it.
    .map((line) => line.slice(2, -2).split(/(?<!\\) \| /));
  assert.ok(rows.length > 30, `the table has its rows (${rows.length})`);
  return rows;
}

/** `name` or `name: test name` references, separated by `,` or `;`. */
function references(cell) {
  return [...cell.matchAll(/`([^`]+)`(?::\s*(.*?))?\s*(?=[;,]\s*`|$)/g)]
    .map(([, file, name]) => ({ file, name: name?.trim() || undefined }));
}

test('every row the migration table marks supported names tests that exist', () => {
  for (const [lock, latch, tests] of migrationRows()) {
    if (!latch.includes('**yes**')) continue;
    const refs = references(tests ?? '');
    assert.ok(refs.length > 0, `${lock}: supported, but no test is named`);
    for (const { file, name } of refs) {
      const path = file.includes('/') ? join(root, file) : join(root, 'tests', 'e2e', `${file}.test.mjs`);
      assert.ok(existsSync(path), `${lock}: ${file} is not a test file (${path})`);
      if (name) {
        assert.ok(readFileSync(path, 'utf8').includes(name), `${lock}: ${file} has no test "${name}"`);
      }
    }
  }
});

test('the check can fail: a row naming a test that does not exist is caught', () => {
  const [{ file, name }] = references('`widget`: a test nobody wrote');
  assert.equal(file, 'widget');
  assert.ok(!readFileSync(join(root, 'tests', 'e2e', `${file}.test.mjs`), 'utf8').includes(name));
  assert.deepEqual(references('`hostile`, `src/core/authorize.rs`').map((r) => r.file), ['hostile', 'src/core/authorize.rs']);
  assert.deepEqual(
    references('`widget`: show({ allowedConnections }) narrows; `widget`: auth.params, languageDictionary, flashMessage'),
    [{ file: 'widget', name: 'show({ allowedConnections }) narrows' }, { file: 'widget', name: 'auth.params, languageDictionary, flashMessage' }],
  );
});
