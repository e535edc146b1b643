// A failing step prints its message once and no stack frame of netspec, node or cucumber: every
// step definition (netspec's and a team's own) is wrapped so that a thrown Error keeps only the
// frames of the user's own code (src/report/stack.ts). The message carries the explanation.
import { setDefinitionFunctionWrapper } from '@cucumber/cucumber';
import { PACKAGE_ROOT } from '../src/cli/paths';
import { cleanStack } from '../src/report/stack';

function clean(e: unknown): unknown {
  if (e instanceof Error && typeof e.stack === 'string') {
    try { e.stack = cleanStack(e.stack, PACKAGE_ROOT); } catch { /* a read-only stack stays as it is */ }
  }
  return e;
}

setDefinitionFunctionWrapper((fn: (...args: unknown[]) => unknown) => function (this: unknown, ...args: unknown[]) {
  let r: unknown;
  try { r = fn.apply(this, args); } catch (e) { throw clean(e); }
  if (r && typeof (r as Promise<unknown>).then === 'function') return (r as Promise<unknown>).then(undefined, (e) => { throw clean(e); });
  return r;
});
