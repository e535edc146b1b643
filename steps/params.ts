// Custom parameter types: the domain's own words in step texts.
import { defineParameterType } from '@cucumber/cucumber';

defineParameterType({
  name: 'ip',
  regexp: /\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]+/,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'cidr',
  regexp: /\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/\d{1,3}/,
  transformer: (s: string) => s,
});

defineParameterType({
  name: 'protocol',
  regexp: /TCP|UDP|SCTP/,
  transformer: (s: string) => s as 'TCP' | 'UDP' | 'SCTP',
});

/** 10s, 5m, 1h30m, 250ms → milliseconds */
defineParameterType({
  name: 'duration',
  regexp: /(?:\d+(?:ms|s|m|h))+/,
  transformer: (s: string) => {
    let ms = 0;
    for (const m of s.matchAll(/(\d+)(ms|s|m|h)/g)) {
      const n = Number(m[1]);
      ms += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60000 : n * 3600000;
    }
    return ms;
  },
});

defineParameterType({
  name: 'verdict',
  regexp: /delivered|refused|rejected|dropped|unreachable/,
  transformer: (s: string) => s,
});

/** what "a pod of …" names (src/roles): a workload kind, or a Service (a pod of its endpoints) */
defineParameterType({
  name: 'workload',
  regexp: /deployment|statefulset|daemonset|replicaset|job|service/,
  transformer: (s: string) => (s === 'service' ? 'svc' : s),
});

defineParameterType({
  name: 'phase',
  regexp: /Pending|Running|Succeeded|Failed/,
  transformer: (s: string) => s,
});
