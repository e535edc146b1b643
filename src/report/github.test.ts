import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DECIDER_MEDIA_TYPE, failureOf, githubAnnotations, quietFailure, quietSummary, type AttemptLike } from '.';

/** A finished test case as cucumber's event data collector holds it: a Background step passed, a Then step failed. */
function attempt(failedStatus = 'FAILED', decider = true): AttemptLike {
  const doc: any = {
    uri: 'features/shop.feature',
    feature: { name: 'Shop', description: '', children: [
      { background: { steps: [{ id: 'g1', keyword: 'Given ', text: 'the manifests in "k8s"', location: { line: 4 } }] } },
      { scenario: { id: 'sc', name: 'the cart is closed', location: { line: 6 }, steps: [
        { id: 'g2', keyword: 'When ', text: 'pod "toolbox" in namespace "shop" connects to "cart" on TCP port 7070', location: { line: 7 } },
        { id: 'g3', keyword: 'Then ', text: 'the connection is delivered', location: { line: 8 } },
      ] } },
    ] },
  };
  const body = JSON.stringify({ what: 'NetworkPolicy shop/deny', file: '/repo/k8s/deny.yaml', line: 3 });
  return {
    gherkinDocument: doc,
    pickle: { id: 'p', uri: 'features/shop.feature', name: 'the cart is closed', astNodeIds: ['sc'], steps: [{ id: 'p1', text: 'the manifests in "k8s"', astNodeIds: ['g1'] }, { id: 'p2', text: '…', astNodeIds: ['g2'] }, { id: 'p3', text: 'the connection is delivered', astNodeIds: ['g3'] }] } as any,
    testCase: { id: 't', pickleId: 'p', testSteps: [{ id: 's1', pickleStepId: 'p1' }, { id: 's2', pickleStepId: 'p2' }, { id: 's3', pickleStepId: 'p3' }] } as any,
    stepResults: { s1: { status: 'PASSED' }, s2: { status: 'PASSED' }, s3: { status: failedStatus, message: 'Error: connect …\n  expected: delivered\n  actual:   dropped 100%\n    at Object.<anonymous> (/repo/steps/x.ts:1:2)' } } as any,
    stepAttachments: decider ? { s3: [{ mediaType: DECIDER_MEDIA_TYPE, body }] } as any : {},
    worstTestStepResult: { status: failedStatus } as any,
  };
}

test('GitHub annotations: one on the failing step line of the feature, one on the deciding manifest line, escaped as the workflow-command format requires', () => {
  const f = failureOf(attempt())!;
  assert.equal(f.line, 8);
  assert.equal(f.message, 'connect …\n  expected: delivered\n  actual:   dropped 100%', 'no JavaScript stack');
  const [a, b] = githubAnnotations(f, '/repo');
  assert.equal(a, '::error file=features/shop.feature,line=8,title=netspec%3A the cart is closed::Then the connection is delivered%0Aconnect …%0A  expected: delivered%0A  actual:   dropped 100%25');
  assert.equal(b, '::error file=k8s/deny.yaml,line=3,title=netspec%3A decided by NetworkPolicy shop/deny::NetworkPolicy shop/deny decided "the cart is closed" (features/shop.feature:8): Then the connection is delivered');
});

test('without a decider there is one annotation; a passed case has no failure', () => {
  assert.equal(githubAnnotations(failureOf(attempt('FAILED', false))!, '/repo').length, 1);
  const passed = attempt('PASSED');
  assert.equal(failureOf(passed), null);
});

test('an undefined step is a failure on its line', () => {
  const f = failureOf(attempt('UNDEFINED', false))!;
  assert.equal(f.status, 'UNDEFINED');
  assert.equal(f.line, 8);
});

test('quiet: the failure in a few lines, then one summary line', () => {
  const q = quietFailure(failureOf(attempt())!, '/repo');
  assert.equal(q.split('\n')[0], '✗ features/shop.feature:8  the cart is closed');
  assert.match(q, /decided by NetworkPolicy shop\/deny \(k8s\/deny\.yaml:3\)$/);
  assert.equal(quietSummary({ FAILED: 1, passed: 3 }, 4, 2.04), 'netspec: 4 scenarios: 3 passed, 1 failed (2.0s)');
});
