// A failing step's error as the reader needs it: the message, and only the stack frames of the
// user's own code. netspec's frames (its steps and sources), node's and cucumber's say nothing
// about the spec, so they are dropped; a team's own step file keeps its line.
import { sep } from 'node:path';

/** The file of one "    at …" line of a V8 stack, or undefined when it names none. */
export function frameFile(line: string): string | undefined {
  const m = /\(?((?:file:\/\/)?[^\s()]+?):\d+(?::\d+)?\)?\s*$/.exec(line.trim());
  if (!m) return undefined;
  return m[1].startsWith('file://') ? decodeURIComponent(m[1].slice('file://'.length)) : m[1];
}

/** Whether a frame is the user's: a file outside netspec's package, node's internals and any node_modules. */
export function isUserFrame(line: string, packageRoot: string): boolean {
  const file = frameFile(line);
  if (!file || file.startsWith('node:') || file.startsWith('internal/') || !file.includes(sep)) return false;
  if (file.includes(`${sep}node_modules${sep}`)) return false;
  return !(file === packageRoot || file.startsWith(packageRoot.endsWith(sep) ? packageRoot : packageRoot + sep));
}

/** The stack with the header (name and message) kept and only the user's frames after it. */
export function cleanStack(stack: string, packageRoot: string): string {
  const lines = stack.split('\n');
  const first = lines.findIndex((l) => /^\s+at /.test(l));
  if (first < 0) return stack;
  const frames = lines.slice(first).filter((l) => !/^\s+at /.test(l) || isUserFrame(l, packageRoot));
  return [...lines.slice(0, first), ...frames].join('\n');
}
