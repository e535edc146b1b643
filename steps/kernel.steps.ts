// The kernel check's plan (src/verify, `npm run verify:kernel`), checked without root: netspec
// answers every flow in both proxy modes, its seeded choices pass the share bound the kernel's
// must pass, and `--break masquerade` finds the rule it removes in each backend's copy.
import { Then } from '@cucumber/cucumber';
import { FLOWS, expect, loadCluster, sharesWithin, breakRules } from '../src/verify';
import { iptablesSave, nftListRuleset } from '../src/kubeproxy';
import { mismatch } from './support';

Then('the kernel check\'s flows all have an answer from netspec', function () {
  const problems: string[] = [];
  for (const mode of ['iptables', 'nftables'] as const) {
    const c = loadCluster(mode);
    for (const f of FLOWS) {
      const e = expect(c, f);
      const where = `${mode} ${f.id}`;
      if (e.verdicts.size !== 1) problems.push(`${where}: verdicts ${[...e.verdicts].join(', ')} over ${f.count} seeds`);
      if (e.verdicts.has('delivered') && e.backends.size === 0) problems.push(`${where}: delivered to no backend`);
      if (f.affinity && ![...e.sticky!.values()].every((x) => x.backends.size === 1)) problems.push(`${where}: affinity did not stick`);
      if (!f.affinity && e.backends.size > 1) {
        const s = sharesWithin(e.counts, e.backends.size, f.count);
        if (!s.ok) problems.push(`${where}: shares ${s.text}`);
      }
      const walked = f.affinity ? Math.min(...[...e.sticky!.values()].map((x) => x.hits.size)) : e.hits.size;
      if (mode === 'iptables' && walked === 0) problems.push(`${where}: the traces walked no iptables rule`);
    }
    for (const node of c.realised.nodes) {
      const text = mode === 'iptables' ? iptablesSave(c.realised, node.name) : nftListRuleset(c.realised, node.name);
      const backend = mode === 'iptables' ? 'iptables-nft' : 'nftables';
      if (breakRules(text, 'masquerade', backend).split('\n').length !== text.split('\n').length - 1) problems.push(`${mode} ${node.name}: --break masquerade removed no line`);
    }
  }
  if (problems.length) throw mismatch('the kernel check\'s plan', 'every flow answered, one verdict each, shares within the bound', problems.join('\n  '));
});
