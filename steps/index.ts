// netspec's step library. Loading this module registers every step, parameter type and the World
// of the files beside it (compiled or not, whatever files are added later); a cucumber config
// names it in `require`. A team's own steps import the World and helpers from here to extend the
// vocabulary: `import { type NetspecWorld, mismatch } from 'netspec/steps'`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ext = __filename.endsWith('.ts') ? '.ts' : '.js';

// every module of the folder and its subfolders, as cucumber's steps/**/*.ts glob would
function loadAll(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) loadAll(path);
    else if (entry.name.endsWith(ext) && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test' + ext) && path !== __filename) require(path);
  }
}
loadAll(__dirname);

export { NetspecWorld } from './world';
export * from './support';
export { featurePath } from './topology.steps';
