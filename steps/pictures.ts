// Pictures in the report: a step that made or checked a connection gets its packet path as an SVG
// attachment (image/svg+xml) when it fails, and when it passes too with `--pictures all`
// (`netspec run --pictures all`, or the world parameter {"pictures": "all"}, or NETSPEC_PICTURES=all).
import { AfterStep, BeforeStep, Status } from '@cucumber/cucumber';
import { decidingHop } from '../src/cni';
import { DECIDER_MEDIA_TYPE, describeConnectQuery, pathPicture } from '../src/report';
import type { LastConnect } from './support';
import type { NetspecWorld } from './world';

function mode(world: NetspecWorld): 'failed' | 'all' | 'none' {
  const m = String(world.parameters?.pictures ?? process.env.NETSPEC_PICTURES ?? 'failed');
  return m === 'all' || m === 'none' ? m : 'failed';
}

BeforeStep(function (this: NetspecWorld) {
  this.last.connectTouched = false;
});

AfterStep(function (this: NetspecWorld, { result }) {
  if (!this.last.connectTouched) return;
  const l = this.last.connect as LastConnect;
  if (result.status === Status.FAILED) {
    // what decided, for the CI formatters' second annotation (src/report/failures.ts)
    const h = decidingHop(l.result);
    if (h?.source) this.attach(JSON.stringify({ what: h.source.what, file: h.source.pos?.file, line: h.source.pos?.line }), DECIDER_MEDIA_TYPE);
  }
  const m = mode(this);
  if (m === 'none' || (m === 'failed' && result.status !== Status.FAILED)) return;
  const realised = this.cluster.realised;
  this.attach(pathPicture(l.result, { title: describeConnectQuery(l.query), podNode: (k) => realised.podByKey.get(k)?.node?.name }), 'image/svg+xml');
});
