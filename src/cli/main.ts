// netspec's entry point: argv → a command → the facade. No Kubernetes logic lives here.
// Exit codes (design §5): 0 ok, 1 an expectation failed, 2 bad input or usage.
import { InputErrors, formatErrors } from '../model/errors';
import { UsageError } from './args';
import { didYouMean } from '../model/suggest';

export interface IO {
  out(text: string): void;
  err(text: string): void;
}

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[], io: IO): Promise<number> | number;
}

/** Commands load lazily (each is src/cli/commands/<name>.ts exporting `command`). */
export const COMMANDS: Record<string, string> = {
  run: 'run specs (default: ./features, else the bundled docs)',
  get: 'objects after the control plane ran',
  connect: 'where a connection goes, hop by hop',
  dns: 'what cluster DNS answers, search path included',
  'resolv-conf': "a pod's /etc/resolv.conf as the kubelet writes it",
  env: "a container's environment as the kubelet sets it",
  'iptables-save': "a node's kube-proxy rules as iptables-save prints them",
  ipvsadm: "a node's IPVS virtual and real servers as ipvsadm -Ln prints them",
  nft: "a node's kube-proxy table as nft list ruleset prints it (nftables mode)",
  request: 'where an ingress controller sends an HTTP(S) request',
  diff: 'what behaviour changed between two manifest sets (pull requests)',
  draw: 'SVG pictures: draw path (the connect flags) | draw topology -f PATH… [-n NS]',
  matrix: 'who can reach whom: the policy truth table of the pods in scope',
  timeline: "the kubelet on the clock: probes, exits, kills, restarts, endpoint changes",
  query: 'many questions through one process: JSON lines in, one answer a line out',
  init: "scaffold a team's spec folder: features, sample manifests, cucumber config, CI, editor glue",
};

const stdio: IO = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

function loadCommand(name: string): Command | null {
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, name)) return null;
  try {
    return require(`./commands/${name}`).command as Command;
  } catch (e: any) {
    if (e?.code === 'MODULE_NOT_FOUND' && String(e.message).includes(`commands/${name}`)) return null;
    throw e;
  }
}

export function help(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'netspec: offline, declarative tests for Kubernetes networking',
    '',
    'Usage: netspec COMMAND [flags]',
    '',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(w)}  ${v}`),
    '',
    'Every command but run takes -f/--filename (repeatable: a file, a directory, or - for stdin).',
    'Commands that load manifests take --warnings none|summary|all (default summary: one line per warning code and unknown kind; run: NETSPEC_WARNINGS).',
    "Run 'netspec COMMAND --help' for a command's flags.",
    'Exit codes: 0 ok, 1 an expectation failed, 2 bad input or usage.',
    "'netspec --version' prints the version.",
  ].join('\n');
}

export async function main(argv: string[], io: IO = stdio): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`netspec ${require('./paths').PACKAGE_VERSION}`);
    return 0;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const cmd = loadCommand(name);
  if (!cmd) {
    io.err(`netspec: unknown command "${name}"${didYouMean(name, Object.keys(COMMANDS))}\n\n${help()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${cmd.usage}`);
    return 0;
  }
  try {
    return await cmd.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netspec ${name}: ${e.message}\n\nUsage: ${cmd.usage}`);
      return 2;
    }
    if (e instanceof InputErrors) {
      for (const line of [...formatErrors(e.warnings), ...formatErrors(e.errors)]) io.err(line);
      io.err(`netspec ${name}: ${e.errors.length} input error${e.errors.length === 1 ? '' : 's'}; nothing was run`);
      return 2;
    }
    throw e;
  }
}
