// netspec's step library. Loading this module registers every step, parameter type and the World
// of the files beside it (compiled or not, whatever files are added later); a cucumber config
// names it in `require`. A team's own steps import the World and helpers from here to extend the
// vocabulary: `import { type NetspecWorld, mismatch } from 'netspec/steps'`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ext = __filename.endsWith('.ts') ? '.ts' : '.js';
for (const f of readdirSync(__dirname).sort()) {
  if (!f.endsWith(ext) || f.endsWith('.d.ts') || f.endsWith('.test' + ext) || f === 'index' + ext) continue;
  require(join(__dirname, f));
}

export { NetspecWorld } from './world';
export * from './support';
export { featurePath } from './topology.steps';
