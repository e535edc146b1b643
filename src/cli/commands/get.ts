// netspec get KIND[,KIND…] [NAME…] -f PATH… [-n NS | -A] [-l SELECTOR] [-o yaml|json|wide|name]
// Objects as the API server would hold them once the control plane ran, printed as kubectl does.
import { stringify } from 'yaml';
import { parseSelectorString, SelectorError, type CompiledSelector } from '../../model/selector';
import { NAMESPACED_KINDS, type KObject } from '../../model/types';
import { FILENAME, WARNINGS, TIME_FLAGS, TIME_USAGE, OUTPUT, UsageError, one, parseArgs } from '../args';
import { json, loadFromFlags } from '../common';
import type { Command } from '../main';
import { didYouMean } from '../../model/suggest';
import { KIND_ALIASES, printTable, resolveKind, resourceName, resourcePlural } from '../printers';

const USAGE = 'netspec get KIND[,KIND…] [NAME…] -f PATH… [-n NS | -A] [-l SELECTOR] [--at DURATION [--script FILE]] [-o yaml|json|wide|name]\n' +
  '       netspec get KIND/NAME… -f PATH… [-n NS] [-o …]\n' +
  'Without -n, objects of every namespace are listed (with a NAMESPACE column).\n' + TIME_USAGE;

function kindOf(text: string): string {
  const kind = resolveKind(text);
  if (!kind) throw new UsageError(`unknown kind "${text}"${didYouMean(text, Object.keys(KIND_ALIASES))} (known: ${[...new Set(Object.values(KIND_ALIASES))].join(', ')})`);
  return kind;
}

/** What was asked for: kinds in the order given, and per kind the names (none: every object). */
function requests(positional: string[]): { kind: string; names: string[] }[] {
  if (positional.length === 0) throw new UsageError('name a KIND (or a comma-separated list: services,endpointslices), e.g. netspec get pods -f k8s/');
  const out: { kind: string; names: string[] }[] = [];
  const slashed = positional.filter((a) => a.includes('/'));
  if (slashed.length) {
    // kubectl's TYPE/NAME form: every argument must use it
    if (slashed.length !== positional.length) throw new UsageError('there is no need to give a KIND before TYPE/NAME arguments: either KIND NAME… or TYPE/NAME…');
    for (const a of positional) {
      const i = a.indexOf('/');
      const kind = kindOf(a.slice(0, i));
      const name = a.slice(i + 1);
      if (!name) throw new UsageError(`"${a}" names no object (TYPE/NAME)`);
      const r = out.find((x) => x.kind === kind);
      if (r) r.names.push(name); else out.push({ kind, names: [name] });
    }
    return out;
  }
  const [kinds, ...names] = positional;
  const list = kinds.split(',').filter(Boolean).map(kindOf);
  if (names.length && list.length > 1) throw new UsageError('names can be given with one KIND only (or use TYPE/NAME for each)');
  for (const kind of list) if (!out.some((x) => x.kind === kind)) out.push({ kind, names });
  return out;
}

export const command: Command = {
  summary: 'objects after the control plane ran',
  usage: USAGE,
  run(argv, io) {
    const p = parseArgs(argv, [
      FILENAME, WARNINGS, OUTPUT(['yaml', 'json', 'wide', 'name']), ...TIME_FLAGS,
      { name: 'namespace', short: 'n', value: true },
      { name: 'all-namespaces', short: 'A', value: false },
      { name: 'selector', short: 'l', value: true },
    ]);
    const asked = requests(p.positional);
    let sel: CompiledSelector | undefined;
    const selText = one(p, 'selector');
    try { sel = selText !== undefined ? parseSelectorString(selText) : undefined; } catch (e) {
      if (e instanceof SelectorError) throw new UsageError(e.message);
      throw e;
    }
    const all = p.flags.has('all-namespaces');
    // kubectl: -A wins over -n; without either, netspec lists every namespace (there is no context)
    const ns = all ? undefined : one(p, 'namespace');
    const allNamespaces = ns === undefined;
    const named = asked.some((a) => a.names.length > 0);
    if (named && all && asked.some((a) => NAMESPACED_KINDS.has(a.kind))) {
      throw new UsageError('a resource cannot be retrieved by name across all namespaces (drop -A, give -n)');
    }
    const out = one(p, 'output');
    const cluster = loadFromFlags(p, io);
    const r = cluster.realised;

    const missing: string[] = [];
    const byKind = asked.map(({ kind, names }) => {
      const namespaced = NAMESPACED_KINDS.has(kind);
      // -n narrows namespaced kinds only; nodes and namespaces are cluster-scoped
      const inScope = r.objects.filter((o) => o.kind === kind && (!namespaced || ns === undefined || (o.metadata.namespace ?? 'default') === ns));
      let items: KObject[];
      if (names.length) {
        items = [];
        for (const n of names) {
          const hits = inScope.filter((o) => o.metadata.name === n);
          if (hits.length === 0) missing.push(`${resourcePlural(kind)} "${n}" not found${namespaced && ns !== undefined ? ` in namespace ${ns}` : ''}`);
          items.push(...hits);
        }
      } else items = inScope;
      if (sel) items = items.filter((o) => sel!.matches(o.metadata.labels));
      return { kind, items };
    });
    const items = byKind.flatMap((k) => k.items);

    if (out === 'json' || out === 'yaml') {
      // kubectl prints the object itself for one object asked for by name, else a List
      const single = named && items.length === 1 && asked.length === 1 && asked[0].names.length === 1;
      const doc = single ? items[0] : { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items };
      if (items.length || !named) {
        io.out(out === 'json' ? json(doc) : stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false, indentSeq: false, sortMapEntries: true }));
      }
    } else if (out === 'name') {
      if (items.length) io.out(items.map(resourceName).join('\n'));
    } else {
      const withKind = asked.length > 1;
      const blocks = byKind.filter((k) => k.items.length).map(({ kind, items: objs }) => printTable(kind, objs, r, { wide: out === 'wide', allNamespaces, withKind }));
      if (blocks.length) io.out(blocks.join('\n\n'));
      else if (!named) {
        // kubectl says this on stderr and exits 0
        const scoped = asked.some((a) => NAMESPACED_KINDS.has(a.kind)) && ns !== undefined;
        io.err(`No resources found${scoped ? ` in ${ns} namespace` : ''}.`);
      }
    }
    if (missing.length) {
      for (const m of missing) io.err(`Error from the model (NotFound): ${m}`);
      return 1;
    }
    return 0;
  },
};
