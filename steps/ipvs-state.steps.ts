// ipvs mode's runtime state as optional input: the connection counters and weights of a node's
// real servers (what `ipvsadm -Ln` shows in ActiveConn, InActConn and Weight), which the lc, wlc,
// sed and nq schedulers count and a weight of 0 quiesces. Given as the YAML `--ipvs-state` reads,
// or as a table naming the Service's pods.
import { Given, type DataTable } from '@cucumber/cucumber';
import type { Cluster } from '../src/cluster';
import type { InputError } from '../src/model/errors';
import { hostPort } from '../src/net/ip';
import type { NetspecWorld } from './world';

Given('the IPVS state of node {string} is:', function (this: NetspecWorld, node: string, doc: string) {
  // positions in the feature file: the doc string's first line and its indentation
  const file = this.place.pos.file;
  const line = this.place.docStringLine ?? this.place.pos.line + 1;
  const col = this.place.docStringCol ?? this.place.pos.col;
  this.afterLoad.push((c) => c.setIpvsState(node, doc, file, line - 1, col - 1));
  this.invalidate();
});

Given('on node {string} the IPVS real servers of service {string} in namespace {string} hold:', function (this: NetspecWorld, node: string, name: string, ns: string, table: DataTable) {
  const pos = { ...this.place.pos };
  const rows = table.hashes();
  this.afterLoad.push((c: Cluster): InputError[] => {
    const bad = (message: string, hint: string): InputError[] => [{ code: 'NS-IPVS-STATE', message, pos, hint }];
    const r = c.realised;
    const svc = r.serviceByKey.get(`${ns}/${name}`);
    if (!svc || !svc.clusterIPs.length || !svc.ports.length) return bad(`no Service ${ns}/${name} with a cluster IP and a port`, 'name a Service declared in the scenario');
    const sp = svc.ports[0];
    const slicePort = (r.slicesByService.get(svc.key) ?? []).flatMap((s) => s.ports).find((p) => p.name === sp.name && p.protocol === sp.protocol);
    const lines = [`${sp.protocol} ${hostPort(svc.clusterIPs[0], sp.port)}:`];
    for (const row of rows) {
      const pod = r.podByKey.get(`${ns}/${row.pod}`);
      const isEndpoint = !!pod?.ip && (r.slicesByService.get(svc.key) ?? []).some((s) => s.endpoints.some((e) => e.addresses.includes(pod.ip)));
      if (!pod || !isEndpoint || !slicePort) return bad(`pod ${ns}/${row.pod} is no endpoint of Service ${svc.key}`, `its pods: ${(r.slicesByService.get(svc.key) ?? []).flatMap((s) => s.endpoints.map((e) => e.pod?.name ?? e.addresses[0])).join(', ') || 'none'}`);
      const f = [row.active !== undefined ? `activeConn: ${row.active}` : '', row.inactive !== undefined ? `inActConn: ${row.inactive}` : '', row.weight !== undefined ? `weight: ${row.weight}` : ''].filter(Boolean);
      lines.push(`  ${hostPort(pod.ip, slicePort.port)}: {${f.join(', ')}}`);
    }
    // the YAML `--ipvs-state` reads; its errors are placed at this step
    return c.setIpvsState(node, lines.join('\n') + '\n', pos.file).map((e) => ({ ...e, pos }));
  });
  this.invalidate();
});
