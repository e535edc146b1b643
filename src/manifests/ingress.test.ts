// Ingress validation as the API server does it on create; the facts come from k8s.io/kubernetes
// pkg/apis/networking/validation/validation.go (validateHTTPIngressPath, validateIngressRules,
// validateIngressBackend, ValidateIngressSpec, ValidateIngressCreate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSources } from './index';
import { Diagnostics } from '../model/errors';
import { expectError, listed } from './testutil';
import { pathProblems, hostProblems } from './ingress';

function load(lines: string[]): Diagnostics {
  const diag = new Diagnostics();
  loadSources([{ text: lines.join('\n') + '\n', name: 'i.yaml' }], diag);
  return diag;
}

test('paths (validateHTTPIngressPath): Exact and Prefix are absolute, without //, /./, /../, %2f, nor ending in /. or /..', () => {
  const cases: [string, string, string[]][] = [
    ['Prefix', '/api', []],
    ['Prefix', 'api', ['must be an absolute path']],
    ['Exact', '', ['must be an absolute path']],
    ['Prefix', '/a//b', ["must not contain '//'"]],
    ['Prefix', '/a/./b', ["must not contain '/./'"]],
    ['Exact', '/a/../b', ["must not contain '/../'"]],
    ['Prefix', '/a%2fb', ["must not contain '%2f'"]],
    ['Prefix', '/a%2Fb', ["must not contain '%2F'"]],
    ['Prefix', '/a/..', ["cannot end with '/..'"]],
    ['Prefix', '/a/.', ["cannot end with '/.'"]],
    // ImplementationSpecific: only "absolute when given" (ingress-nginx regexes pass)
    ['ImplementationSpecific', '', []],
    ['ImplementationSpecific', '/a//b(/|$)(.*)', []],
    ['ImplementationSpecific', 'a', ['must be an absolute path']],
  ];
  for (const [type, path, want] of cases) assert.deepEqual(pathProblems(type, path), want, `${type} ${JSON.stringify(path)}`);
});

test('hosts (validateIngressRules): DNS-1123 subdomains, "*" only as the whole first label', () => {
  assert.deepEqual(hostProblems('shop.example.com'), []);
  assert.deepEqual(hostProblems('*.example.com'), []);
  assert.match(hostProblems('Shop.example.com')[0], /lowercase RFC 1123 subdomain/);
  assert.match(hostProblems('foo.*.example.com')[0], /wildcard DNS-1123 subdomain must start with '\*\.'/);
  assert.match(hostProblems('*foo.example.com')[0], /wildcard/);
  assert.match(hostProblems('*')[0], /wildcard/);
});

test('an Ingress as the API server rejects it: located errors with its wording', () => {
  const diag = load([
    'apiVersion: networking.k8s.io/v1', //                                                     1
    'kind: Ingress', //                                                                        2
    'metadata:', //                                                                            3
    '  name: bad', //                                                                          4
    '  annotations: {kubernetes.io/ingress.class: other}', //                                  5
    'spec:', //                                                                                6
    '  ingressClassName: nginx', //                                                            7
    '  rules:', //                                                                             8
    '  - host: 10.0.0.1', //                                                                   9
    '    http:', //                                                                            10
    '      paths:', //                                                                         11
    '      - {path: api, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}', // 12
    '      - {path: /x, pathType: Exact, backend: {service: {name: web, port: {number: 80, name: http}}}}', // 13
    '      - {path: /y, pathType: Regex, backend: {service: {name: web, port: {number: 80}}}}', // 14
    '  - host: "foo.*.example.com"', //                                                        15
    '    http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}', // 16
    '---', //                                                                                  17
    'apiVersion: networking.k8s.io/v1', //                                                     18
    'kind: Ingress', //                                                                        19
    'metadata: {name: empty}', //                                                              20
    'spec: {ingressClassName: nginx}', //                                                      21
  ]);
  const cls = expectError(diag, 'NS-INGRESS-CLASS', 'i.yaml:5:46');
  assert.match(cls.message, /must match `ingressClassName` when both are specified/);
  assert.match(expectError(diag, 'NS-INGRESS-HOST', 'i.yaml:9:11').message, /must be a DNS name, not an IP address/);
  assert.match(expectError(diag, 'NS-INGRESS-PATH', 'i.yaml:12:16').message, /Invalid value: "api": must be an absolute path/);
  assert.match(expectError(diag, 'NS-INGRESS-BACKEND', 'i.yaml:13:37').message, /cannot set both port name & port number/);
  assert.match(expectError(diag, 'NS-INGRESS-PATH', 'i.yaml:14:30').message, /Unsupported value: "Regex"/);
  assert.match(expectError(diag, 'NS-INGRESS-HOST', 'i.yaml:15:11').message, /wildcard DNS-1123 subdomain/);
  assert.match(expectError(diag, 'NS-INGRESS-SPEC', 'i.yaml:21:1').message, /either `defaultBackend` or `rules` must be specified/);
  assert.ok(!diag.errors.some((e) => e.code === 'NS-SCHEMA' && /pathType/.test(e.message)), JSON.stringify(listed(diag.errors)));
});

test('a valid Ingress (regex ImplementationSpecific path, wildcard host, class field and annotation agreeing) raises nothing', () => {
  const diag = load([
    'apiVersion: networking.k8s.io/v1',
    'kind: Ingress',
    'metadata: {name: ok, annotations: {kubernetes.io/ingress.class: nginx}}',
    'spec:',
    '  ingressClassName: nginx',
    '  tls: [{hosts: ["*.example.com"], secretName: cert}]',
    '  rules:',
    '  - host: "*.example.com"',
    '    http: {paths: [{path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: web, port: {name: http}}}}]}',
  ]);
  assert.deepEqual(listed(diag.errors), []);
});
