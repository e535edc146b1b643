// What the CLI's unit tests share: netspec run in-process with its output captured, manifests
// written into temporary folders (removed when the test file ends), and the fixture documents
// several command tests use word for word. Only *.test.ts files import this module.
import { after } from 'node:test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { main, type IO } from './main';

export interface Run { code: number; out: string; err: string }

/** One line per write, as the real stdout/stderr print it (a trailing newline is not doubled). */
const line = (t: string) => (t.endsWith('\n') ? t : t + '\n');

/** `netspec ARGV…` in-process: the exit code and everything printed on stdout and stderr. */
export async function runCli(...argv: string[]): Promise<Run> {
  let out = '', err = '';
  const io: IO = { out: (t) => { out += line(t); }, err: (t) => { err += line(t); } };
  const code = await main(argv, io);
  return { code, out, err };
}

let root: string | null = null;

/**
 * A fresh temporary folder holding `files` (path relative to the folder → text; folders in the
 * path are made). Every folder is removed when the test file ends.
 */
export function manifestDir(files: Record<string, string> = {}): string {
  if (!root) {
    const made = mkdtempSync(join(tmpdir(), 'netspec-cli-'));
    root = made;
    after(() => rmSync(made, { recursive: true, force: true }));
  }
  const dir = mkdtempSync(join(root, 'm-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** One file named `name` in a fresh temporary folder; its path. */
export function manifestFile(name: string, text: string): string {
  return join(manifestDir({ [name]: text }), name);
}

/** YAML documents as one multi-document file. */
export const yamlDocs = (...docs: string[]): string => docs.join('---\n');

// ---- fixture documents shared by the dns, env and resolv-conf tests ----------------------------

/** shop/client: one container "app", no ports; the pod that looks names up. */
export const CLIENT_POD = `apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
spec:
  containers:
  - name: app
    image: busybox
`;

/** shop/web: ClusterIP 10.96.0.20, port "http" 80 → 8080, selecting app=web. */
export const WEB_SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  clusterIP: 10.96.0.20
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;

/** shop/web-pods: headless (clusterIP None), port "http" 8080, selecting app=web. */
export const WEB_PODS_HEADLESS = `apiVersion: v1
kind: Service
metadata:
  name: web-pods
  namespace: shop
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - name: http
    port: 8080
`;
