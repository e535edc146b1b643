// netspec query -f PATH… [--queries FILE] [--brief] [--upstream IP=ZONEFILE]…
// Many questions, one process: JSON lines in (stdin, or --queries FILE), one JSON answer a line
// out, in order, as each input chunk arrives. A question is {"connect": {…}}, {"dns": {…}} or
// {"request": {…}} with the fields of the single command's flags; the answer is
// {"line": N, "connect"|"dns"|"request": <that command's -o json>}. A bad line gets
// {"line": N, "error": {code, message, hint, file, line, col}} and the rest still run.
// Exit 0 when every line was answered; 2 when some got an error (or on bad -f input or usage).
import { createReadStream } from 'node:fs';
import { connectJSON, decidingHop } from '../../cni';
import { formatDecider } from '../../net/trace';
import { nameProblem, RR_TYPES, type RRType } from '../../dns';
import { InputErrors } from '../../model/errors';
import type { Cluster } from '../../cluster';
import { FILENAME, WARNINGS, UsageError, noArguments, one, parseArgs } from '../args';
import { loadFromFlags, podArg, upstreamFlags } from '../common';
import type { Command } from '../main';
import { dnsJSON } from './dns';

const USAGE = [
  'netspec query -f PATH… [--queries FILE] [--brief] [--upstream IP=ZONEFILE]…',
  '',
  '  reads JSON lines (stdin, or --queries FILE), one question a line, and writes one JSON answer a line, in order:',
  '    {"connect": {"from": SOURCE, "to": TARGET, "port": N, "protocol"?, "via"?, "seed"?, "container"?}}',
  '    {"dns": {"name": NAME, "from"?: "NS/POD", "type"?: "A"|"AAAA"|"SRV"|…, "resolver"?: "glibc"|"musl"}}',
  '    {"request": {"url": URL, "class"?: NAME}}',
  '  an answer is {"line": N, "connect"|"dns"|"request": ANSWER} (ANSWER as the command\'s -o json);',
  '  a bad line is answered {"line": N, "error": {"code", "message", "hint", "file", "line", "col"}}',
  '  --queries  a file of questions instead of stdin',
  '  --brief    connect answers without their hops: verdict, delivered, nat and the deciding hop as "decided"',
  '  --upstream IP=ZONEFILE  an upstream DNS server as a zone-file fixture (repeatable)',
  '  exit: 0 every line was answered; 2 some line got an error object (the others were still answered)',
].join('\n');

export type Question =
  | { kind: 'connect'; q: { from: string; to: string; port: number; protocol: string; via?: string; seed?: number; container?: string } }
  | { kind: 'dns'; q: { name: string; from?: string; type: RRType; resolver: 'glibc' | 'musl' } }
  | { kind: 'request'; q: { url: string; class?: string } };

export interface QueryError { code: string; message: string; hint: string; file: string; line: number; col: number }

type Field = { type: 'string' | 'int'; required?: boolean; choices?: readonly string[]; min?: number; max?: number };
const FIELDS: Record<Question['kind'], Record<string, Field>> = {
  connect: {
    from: { type: 'string', required: true },
    to: { type: 'string', required: true },
    port: { type: 'int', required: true, min: 1, max: 65535 },
    protocol: { type: 'string', choices: ['TCP', 'UDP', 'SCTP'] },
    via: { type: 'string' },
    seed: { type: 'int', min: 0, max: 4294967295 },
    container: { type: 'string' },
  },
  dns: {
    name: { type: 'string', required: true },
    from: { type: 'string' },
    type: { type: 'string', choices: RR_TYPES.filter((t) => t !== 'MX') },
    resolver: { type: 'string', choices: ['glibc', 'musl'] },
  },
  request: {
    url: { type: 'string', required: true },
    class: { type: 'string' },
  },
};
const KINDS = Object.keys(FIELDS) as Question['kind'][];

/** Column (1-based) of `"key"` in the line, for pointing at a field; 1 when not found. */
function colOf(text: string, key: string | undefined): number {
  if (key === undefined) return 1;
  const i = text.indexOf(JSON.stringify(key));
  return i >= 0 ? i + 1 : 1;
}

/** One line of input → a question, or the error that says where and why it is not one. */
export function parseQuestion(text: string, file: string, line: number): Question | QueryError {
  const err = (code: string, message: string, hint: string, col = 1): QueryError => ({ code, message, hint, file, line, col });
  let value: unknown;
  try { value = JSON.parse(text); } catch (e) {
    const at = /position (\d+)/.exec((e as Error).message);
    return err('NS-QUERY-JSON', `not JSON: ${(e as Error).message}`, 'one JSON object a line, e.g. {"connect": {"from": "shop/client", "to": "web", "port": 80}}', at ? Number(at[1]) + 1 : 1);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return err('NS-QUERY-SHAPE', 'a question is a JSON object', `one key: ${KINDS.join(', ')}`);
  const keys = Object.keys(value);
  const kind = keys[0] as Question['kind'];
  if (keys.length !== 1 || !KINDS.includes(kind)) {
    const bad = keys.find((k) => !KINDS.includes(k as Question['kind'])) ?? keys[1];
    return err('NS-QUERY-KIND', keys.length === 0 ? 'an empty question' : keys.length > 1 && bad === keys[1] && KINDS.includes(keys[1] as Question['kind']) ? `one question a line (got ${keys.join(', ')})` : `unknown question "${bad}"`, `one key: ${KINDS.join(', ')}`, colOf(text, bad));
  }
  const body = (value as Record<string, unknown>)[kind];
  if (!body || typeof body !== 'object' || Array.isArray(body)) return err('NS-QUERY-SHAPE', `"${kind}" takes an object of fields`, `fields: ${Object.keys(FIELDS[kind]).join(', ')}`, colOf(text, kind));
  const spec = FIELDS[kind];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const f = spec[k];
    if (!f) return err('NS-QUERY-FIELD', `${kind} has no field "${k}"`, `fields: ${Object.keys(spec).join(', ')}`, colOf(text, k));
    if (f.type === 'int') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < (f.min ?? 0) || v > (f.max ?? Infinity)) return err('NS-QUERY-FIELD', `${kind}.${k} must be a whole number from ${f.min} to ${f.max} (got ${JSON.stringify(v)})`, `e.g. "${k}": ${f.min === 1 ? 80 : 1}`, colOf(text, k));
    } else if (typeof v !== 'string') {
      return err('NS-QUERY-FIELD', `${kind}.${k} must be a string (got ${JSON.stringify(v)})`, `e.g. "${k}": "…"`, colOf(text, k));
    } else if (f.choices && !f.choices.includes(v)) {
      return err('NS-QUERY-FIELD', `${kind}.${k} must be one of ${f.choices.join(', ')} (got "${v}")`, `e.g. "${k}": "${f.choices[0]}"`, colOf(text, k));
    }
    out[k] = v;
  }
  const missing = Object.keys(spec).find((k) => spec[k].required && !(k in out));
  if (missing) return err('NS-QUERY-FIELD', `${kind} needs "${missing}"`, `required: ${Object.keys(spec).filter((k) => spec[k].required).join(', ')}`, colOf(text, kind));
  if (kind === 'connect') return { kind, q: { ...(out as any), protocol: (out.protocol as string | undefined) ?? 'TCP' } };
  if (kind === 'dns') {
    const problem = nameProblem(out.name as string);
    if (problem) return err('NS-QUERY-FIELD', `dns.name "${out.name}": ${problem}`, 'a DNS name, e.g. "web.shop.svc.cluster.local"', colOf(text, 'name'));
    return { kind, q: { name: out.name as string, from: out.from as string | undefined, type: ((out.type as string | undefined) ?? 'A') as RRType, resolver: ((out.resolver as string | undefined) ?? 'glibc') as 'glibc' | 'musl' } };
  }
  return { kind, q: out as { url: string; class?: string } };
}

/**
 * The answer to one question (the single command's -o json), or a misuse error (unknown pod…).
 * brief: a connect answer without its hops, the deciding hop kept as `decided` (for bulk checks).
 */
export function answer(cluster: Cluster, question: Question, file: string, line: number, brief = false): { value: unknown } | { error: QueryError } {
  const at = { file, line, col: 1 };
  try {
    switch (question.kind) {
      case 'connect': {
        const res = cluster.connect(question.q);
        if (!brief) return { value: connectJSON(res) };
        const h = decidingHop(res);
        return {
          value: {
            verdict: res.verdict,
            delivered: res.delivered ? { pod: res.delivered.pod, ip: res.delivered.ip, port: res.delivered.port, container: res.delivered.container } : null,
            nat: res.nat.map((n) => ({ kind: n.kind, by: n.by, before: n.before, after: n.after })),
            decided: h ? { at: h.at, action: h.action, ...(h.source ? { source: formatDecider(h.source) } : {}) } : null,
          },
        };
      }
      case 'dns': {
        const { from, ...q } = question.q;
        return { value: dnsJSON(cluster.dns({ ...q, from: from !== undefined ? podArg(cluster, from, 'dns.from') : undefined })) };
      }
      case 'request': return { value: cluster.request(question.q) };
    }
  } catch (e) {
    if (e instanceof InputErrors && e.errors.length) {
      const x = e.errors[0];
      return { error: { code: x.code, message: e.errors.map((y) => y.message).join('; '), hint: x.hint, ...at } };
    }
    if (e instanceof UsageError) return { error: { code: 'NS-QUERY-USAGE', message: e.message, hint: `check the ${question.kind} fields against the cluster`, ...at } };
    throw e;
  }
}

/** Answers lines numbered from `first`; the output lines, joined (bad.n counts the error answers). */
export function answerLines(cluster: Cluster, lines: string[], file: string, first: number, bad: { n: number }, brief = false): string {
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i].trim();
    const line = first + i;
    if (!text) continue;
    const q = parseQuestion(text, file, line);
    let result: { value: unknown } | { error: QueryError };
    if ('code' in q) result = { error: q };
    else result = answer(cluster, q, file, line, brief);
    if ('error' in result) { bad.n++; out += JSON.stringify({ line, error: result.error }) + '\n'; } else out += JSON.stringify({ line, [(q as Question).kind]: result.value }) + '\n';
  }
  return out;
}

export const command: Command = {
  summary: 'many questions through one process: JSON lines in, one answer a line out',
  usage: USAGE,
  async run(argv, io) {
    const p = parseArgs(argv, [FILENAME, WARNINGS, { name: 'queries', value: true }, { name: 'upstream', value: true, repeat: true }, { name: 'brief', value: false }]);
    const brief = one(p, 'brief') !== undefined;
    noArguments(p);
    const queries = one(p, 'queries');
    if (!queries && (p.flags.get('filename') ?? []).includes('-')) throw new UsageError('-f - reads manifests from stdin: give the questions with --queries FILE');
    const upstreams = upstreamFlags(p);
    const cluster = loadFromFlags(p, io);
    if (upstreams) cluster.dnsUpstreams = upstreams;
    const file = queries ?? '<stdin>';
    let input: NodeJS.ReadableStream;
    if (queries) {
      input = createReadStream(queries, { encoding: 'utf8' });
    } else {
      process.stdin.setEncoding('utf8');
      input = process.stdin;
    }
    const bad = { n: 0 };
    let pending = '';
    let lineNo = 1;
    try {
      // answers go out chunk by chunk: a script that writes a question and waits gets its answer
      for await (const chunk of input as AsyncIterable<string>) {
        const parts = (pending + chunk).split('\n');
        pending = parts.pop()!;
        if (parts.length) {
          const out = answerLines(cluster, parts, file, lineNo, bad, brief);
          lineNo += parts.length;
          if (out) io.out(out);
        }
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (queries && code) throw new UsageError(`--queries ${queries}: cannot read it (${code})`);
      throw e;
    }
    if (pending.trim()) io.out(answerLines(cluster, [pending], file, lineNo, bad, brief));
    if (bad.n) io.err(`netspec query: ${bad.n} line${bad.n === 1 ? ' was' : 's were'} answered with an error`);
    return bad.n ? 2 : 0;
  },
};
