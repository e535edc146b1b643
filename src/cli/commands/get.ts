// netspec get KIND[,KIND…] -f PATH… [-n NS | -A] [-l SELECTOR] [-o yaml|json|wide|name]
// Objects as the API server would hold them once the control plane ran.
import { stringify } from 'yaml';
import { parseSelectorString, SelectorError } from '../../model/selector';
import { FILENAME, OUTPUT, UsageError, one, parseArgs } from '../args';
import { json, loadFromFlags } from '../common';
import type { Command } from '../main';
import { KIND_ALIASES, printTable } from '../printers';

const USAGE = 'netspec get KIND[,KIND…] -f PATH… [-n NS | -A] [-l SELECTOR] [-o yaml|json|wide|name]';

export const command: Command = {
  summary: 'objects after the control plane ran',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [
      FILENAME, OUTPUT(['yaml', 'json', 'wide', 'name']),
      { name: 'namespace', short: 'n', value: true },
      { name: 'all-namespaces', short: 'A', value: false },
      { name: 'selector', short: 'l', value: true },
    ]);
    if (p.positional.length !== 1) throw new UsageError('name exactly one KIND (or a comma-separated list: services,endpointslices)');
    const kinds = p.positional[0].split(',').map((k) => {
      const kind = KIND_ALIASES[k.toLowerCase()];
      if (!kind) throw new UsageError(`unknown kind "${k}" (known: ${[...new Set(Object.values(KIND_ALIASES))].join(', ')})`);
      return kind;
    });
    let sel;
    try { sel = one(p, 'selector') !== undefined ? parseSelectorString(one(p, 'selector')!) : undefined; } catch (e) {
      if (e instanceof SelectorError) throw new UsageError(e.message);
      throw e;
    }
    const ns = one(p, 'namespace');
    const all = p.flags.has('all-namespaces') || ns === undefined;
    const out = one(p, 'output');
    const cluster = loadFromFlags(p, io);
    const r = cluster.realised;
    const byKind = kinds.map((kind) => ({
      kind,
      items: r.objects.filter((o) => o.kind === kind && (ns === undefined || o.metadata.namespace === ns) && (!sel || sel.matches(o.metadata.labels))),
    }));
    const items = byKind.flatMap((k) => k.items);
    if (out === 'json' || out === 'yaml') {
      // kubectl prints a List for `get KIND` (a single object only for `get KIND NAME`)
      const doc = { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
      io.out(out === 'json' ? json(doc) : stringify(doc, { lineWidth: 0 }));
      return 0;
    }
    if (out === 'name') {
      io.out(items.map((o) => `${o.kind.toLowerCase()}/${o.metadata.name}`).join('\n'));
      return 0;
    }
    const blocks = byKind.map(({ kind, items: objs }) =>
      objs.length ? printTable(kind, objs, r, out === 'wide', all) : `No ${kind} resources found${ns ? ` in ${ns} namespace` : ''}.`);
    io.out(blocks.join('\n\n'));
    return 0;
  },
};
