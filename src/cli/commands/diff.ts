// netspec diff OLD NEW [-o text|json|markdown] [--fail-on-change]
// What behaviour changed between two manifest sets (folders, files, or git:REV:PATH), each change
// with the manifest change behind it. Exit 0, or 1 with --fail-on-change when something changed.
import { Cluster } from '../../cluster';
import { formatError } from '../../model/errors';
import { behaviourDiff, diffJSON, gitSources, renderDiffMarkdown, renderDiffText } from '../../report';
import { OUTPUT, parseArgs, one, UsageError } from '../args';
import { json } from '../common';
import type { Command } from '../main';

const USAGE = [
  'netspec diff OLD NEW [-o text|json|markdown] [--fail-on-change]',
  '',
  '  OLD, NEW   a folder, a file, or git:REV:PATH (the files under PATH at commit REV); join several with commas',
  '  -o         text (default), markdown (a pull-request comment) or json',
  '  --fail-on-change  exit 1 when a connection changed',
  '',
  'Compares reachability from every workload to every Service port and every declared container port',
  'no Service exposes; only pairs the changed objects touch are asked again.',
].join('\n');

function load(spec: string, io: { err(t: string): void }): Cluster {
  const sources = spec.split(',').flatMap((s) => (s.startsWith('git:') ? gitSources(s) : [{ path: s }]));
  const c = Cluster.load(sources);
  for (const w of c.warnings) io.err(formatError(w, 'warning'));
  return c;
}

export const command: Command = {
  summary: 'what behaviour changed between two manifest sets',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [OUTPUT(['text', 'json', 'markdown']), { name: 'fail-on-change', value: false }]);
    if (p.positional.length !== 2) throw new UsageError(`diff takes two manifest sets, OLD and NEW (got ${p.positional.length})`);
    const d = behaviourDiff(load(p.positional[0], io), load(p.positional[1], io));
    const o = one(p, 'output') ?? 'text';
    io.out(o === 'json' ? json(diffJSON(d)) : o === 'markdown' ? renderDiffMarkdown(d) : renderDiffText(d));
    return p.flags.has('fail-on-change') && d.pairs.length ? 1 : 0;
  },
};
