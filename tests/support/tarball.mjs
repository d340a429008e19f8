// The package as an app gets it from the registry: `npm pack` of the built package, and an
// example of www/examples copied out with only that tarball installed into it. The bundlers,
// React and the rest come from the repository's own devDependencies (found up the folders, as
// hoisted packages are), so no test needs a second download. Used by the packaging and React
// end-to-end tests.

import { execFile } from 'node:child_process';
import { cp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { REPO_ROOT } from './servers.mjs';

const run = promisify(execFile);

/** `npm pack` of the built package into `folder`: the tarball's path and its files' paths. */
export async function pack(folder) {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', folder], { cwd: REPO_ROOT });
  const [{ filename, files }] = JSON.parse(stdout);
  return { path: join(folder, filename), files: files.map((f) => f.path).sort() };
}

/** A copy of the example `name` in `app`, with the package installed from `tarball` (a path)
 *  and nothing else. */
export async function installExample(name, app, tarball) {
  await cp(join(REPO_ROOT, 'www', 'examples', name), app, {
    recursive: true,
    filter: (src) => !/node_modules|dist|package(-lock)?\.json$/.test(src),
  });
  await writeFile(join(app, 'package.json'), JSON.stringify({ private: true, type: 'module' }));
  await run('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', tarball], { cwd: app });
}
