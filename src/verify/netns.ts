// Network namespaces for the kernel check, made safely: every namespace carries a per-run prefix
// and is removed on exit; processes are started here and killed by their own pids; every command
// has a time bound. Nothing is done in the namespace this process runs in: each `ip` call names
// its namespace (`ip -n NS …`, `ip netns exec NS …`), and veth pairs are created with both ends
// already inside namespaces of this run.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';

export class SandboxError extends Error {}

export interface RunResult { ok: boolean; stdout: string; stderr: string; code: number | null }

const CMD_TIMEOUT_MS = 15_000;

/** Runs a command with a time bound; never throws (the result says how it went). */
export function run(cmd: string, args: string[], input?: string, timeoutMs = CMD_TIMEOUT_MS): RunResult {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  if (r.error) return { ok: false, stdout: r.stdout ?? '', stderr: String(r.error.message), code: null };
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/** Is `cmd` on PATH? */
export function hasTool(cmd: string): boolean {
  return run('sh', ['-c', `command -v ${cmd}`]).ok;
}

/** Names of the links in this process's own namespace (to prove the run added none). */
export function rootLinks(): Set<string> {
  const r = run('ip', ['-o', 'link', 'show']);
  return new Set(r.stdout.split('\n').map((l) => l.split(': ')[1]?.split('@')[0]).filter((x): x is string => !!x));
}

export class Sandbox {
  readonly prefix: string;
  private readonly namespaces: string[] = [];
  private readonly children = new Map<number, ChildProcess>();
  private cleaned = false;

  constructor(tag = 'nsv') {
    this.prefix = `${tag}${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
  }

  /** Creates namespace PREFIX-name with lo up; returns its full name. */
  addNs(name: string): string {
    const ns = `${this.prefix}-${name}`;
    this.must('ip', ['netns', 'add', ns]);
    this.namespaces.push(ns);
    this.must('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  /** `ip -n NS ARGS…`, failing loudly. */
  ip(ns: string, ...args: string[]): void {
    this.must('ip', ['-n', ns, ...args]);
  }

  /** Runs a command inside a namespace of this run. */
  exec(ns: string, cmd: string, args: string[], input?: string, timeoutMs?: number): RunResult {
    this.own(ns);
    return run('ip', ['netns', 'exec', ns, cmd, ...args], input, timeoutMs);
  }

  mustExec(ns: string, cmd: string, args: string[], input?: string): string {
    const r = this.exec(ns, cmd, args, input);
    if (!r.ok) throw new SandboxError(`${cmd} ${args.join(' ')} in ${ns}: ${r.stderr.trim() || `exit ${r.code}`}`);
    return r.stdout;
  }

  /** Starts a long-running process inside a namespace (`ip netns exec` execs it: the pid is the process's). */
  start(ns: string, cmd: string, args: string[]): ChildProcess {
    this.own(ns);
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) this.children.set(child.pid, child);
    child.on('exit', () => { if (child.pid !== undefined) this.children.delete(child.pid); });
    return child;
  }

  /** Kills the processes this run started (by pid) and deletes its namespaces. Idempotent. */
  cleanup(): void {
    if (this.cleaned) return;
    this.cleaned = true;
    for (const pid of this.children.keys()) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    }
    this.children.clear();
    for (const ns of this.namespaces.reverse()) run('ip', ['netns', 'del', ns]);
    this.namespaces.length = 0;
  }

  /** Removes the namespaces (and the processes) made so far, keeping the sandbox usable. */
  reset(): void {
    this.cleanup();
    this.cleaned = false;
  }

  private own(ns: string): void {
    if (!this.namespaces.includes(ns)) throw new SandboxError(`refusing to act in namespace ${ns}: not made by this run`);
  }

  private must(cmd: string, args: string[]): void {
    try {
      execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: CMD_TIMEOUT_MS });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new SandboxError(`${cmd} ${args.join(' ')}: ${err.stderr?.toString().trim() || err.message}`);
    }
  }
}
