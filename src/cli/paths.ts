// Where netspec's own files are, whether it runs compiled (dist/) or from its TypeScript sources.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package's folder: the nearest folder above this file holding a package.json. */
export const PACKAGE_ROOT: string = (() => {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
})();

/** True when this code is the compiled build (dist/), false when it runs from src/ (development). */
export const COMPILED: boolean = __filename.endsWith('.js');

/** The step library's entry (loading it registers every step, parameter type and the World). */
export const STEPS_ENTRY: string = COMPILED ? join(PACKAGE_ROOT, 'dist', 'steps', 'index.js') : join(PACKAGE_ROOT, 'steps', 'index.ts');

/** The package's version (package.json). */
export const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version;
