// npm run test:kernel: the kernel check fails when one of netspec's rules is broken (naming the
// flows), and skips honestly without privileges. Linux with root only for the first; the second
// needs `unshare` (util-linux).
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const os = require('node:os');

const SCRIPT = path.join(__dirname, 'verify-kernel.js');
const junit = (name) => path.join(os.tmpdir(), `netspec-kernel-${process.pid}-${name}.xml`);
const privileged = process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0;
const hasUnshare = spawnSync('sh', ['-c', 'command -v unshare'], { encoding: 'utf8' }).status === 0;

function verify(args, prefix = []) {
  const [cmd, ...rest] = [...prefix, process.execPath, SCRIPT, ...args];
  return spawnSync(cmd, rest, { encoding: 'utf8', timeout: 120_000 });
}

test('--break masquerade (the KUBE-MARK-MASQ mark dropped from a copy of netspec\'s rules) fails, naming the flows that need SNAT', { skip: !privileged && 'needs root on Linux' }, () => {
  const r = verify(['--backend', 'iptables-nft', '--break', 'masquerade', '--junit', junit('break')]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAIL iptables-nft hairpin: pod → its own Service \(hairpin\) \(source each backend sees\)$/m);
  assert.match(r.stdout, /^FAIL iptables-nft nodeport-cluster: .* \(source each backend sees\)$/m);
  assert.match(r.stdout, /not counted: node-a nat -A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000\/0x4000/);
  // flows that need no masquerade still agree
  assert.doesNotMatch(r.stdout, /^FAIL iptables-nft (clusterip|no-endpoints|udp):/m);
  assert.match(r.stdout, /^kernel: \d+ passed, [1-9]\d* failed, 0 skipped$/m);
});

test('without privileges (unshare -U, root not mapped) it prints SKIP with the reason and exits 0', { skip: (!hasUnshare || process.platform !== 'linux') && 'needs unshare on Linux' }, () => {
  const r = verify(['--junit', junit('skip')], ['unshare', '-U']);
  if (r.status !== 0 && /unshare: /.test(r.stderr)) return; // user namespaces disabled here: nothing to show
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^SKIP kernel check: cannot create a network namespace/m);
  assert.match(r.stdout, /^kernel: 0 passed, 0 failed, 1 skipped$/m);
});
