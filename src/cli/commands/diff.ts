// netspec diff OLD NEW [-o text|json|markdown] [--fail-on-change]
// What behaviour changed between two manifest sets (folders, files, or git:REV:PATH), each change
// with the manifest change behind it. Exit 0, or 1 with --fail-on-change when something changed.
import { Cluster } from '../../cluster';
import { behaviourDiff, diffJSON, gitSources, renderDiffMarkdown, renderDiffText } from '../../report';
import { OUTPUT, WARNINGS, parseArgs, one, UsageError, type Parsed } from '../args';
import { json, printWarnings } from '../common';
import type { Command, IO } from '../main';

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

function load(spec: string, p: Parsed, io: IO): Cluster {
  const sources = spec.split(',').flatMap((s) => (s.startsWith('git:') ? gitSources(s) : [{ path: s }]));
  const c = Cluster.load(sources);
  printWarnings(p, io, c.warnings);
  return c;
}

export const command: Command = {
  summary: 'what behaviour changed between two manifest sets',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [OUTPUT(['text', 'json', 'markdown']), WARNINGS, { name: 'fail-on-change', value: false }]);
    if (p.positional.length !== 2) throw new UsageError(`diff takes two manifest sets, OLD and NEW (got ${p.positional.length})`);
    const d = behaviourDiff(load(p.positional[0], p, io), load(p.positional[1], p, io));
    const o = one(p, 'output') ?? 'text';
    io.out(o === 'json' ? json(diffJSON(d)) : o === 'markdown' ? renderDiffMarkdown(d) : renderDiffText(d));
    return p.flags.has('fail-on-change') && d.pairs.length ? 1 : 0;
  },
};
