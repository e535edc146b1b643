// The living-docs site in a real headless browser (Debian's chromium at /usr/bin/chromium; .ci/run
// installs it): `netspec run --docs DIR` on two scenarios (one passing, one failing), then the
// index and a chapter are opened, screenshotted, searched, and checked for console errors and for
// pictures that actually load (the failing step's packet path names the deciding policy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(__dirname, '..', '..');
const SHOP = join(ROOT, 'examples', 'shop', 'k8s');

const FEATURE = `Feature: The cart behind its policy
  The cart takes calls only from the pods its NetworkPolicy names.

  Scenario: the toolbox reaches the cart before the policy
    Given the manifests in "${SHOP}"
    When pod "toolbox" in namespace "shop" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection is delivered

  Scenario: a policy that shuts the cart drops the toolbox
    Given the manifests in "${SHOP}"
    And the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: cart-deny-ingress, namespace: shop}
      spec:
        podSelector: {matchLabels: {app.kubernetes.io/name: cart}}
        policyTypes: [Ingress]
      """
    When pod "toolbox" in namespace "shop" connects to "cart.shop.svc.cluster.local" on TCP port 7070
    Then the connection is delivered
`;

test('netspec run --docs writes a site that a headless browser shows without console errors, pictures loaded', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does it)`);
  const work = mkdtempSync(join(tmpdir(), 'netspec-docs-'));
  try {
    mkdirSync(join(work, 'features'));
    writeFileSync(join(work, 'features', 'cart.feature'), FEATURE);
    const site = join(work, 'site');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'netspec.js'), 'run', 'features', '--docs', site, '--format', 'quiet'], { cwd: work, encoding: 'utf8' });
    assert.equal(r.status, 1, `one scenario fails on purpose:\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /netspec: 2 scenarios: 1 passed, 1 failed/);
    const pictures = readdirSync(join(site, 'pictures'));
    assert.ok(pictures.length >= 3, `pictures: ${pictures.join(', ')}`);

    const profile = join(work, 'chromium-profile');
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
    });
    const problems: string[] = [];
    try {
      const page = await ctx.newPage();
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (q) => problems.push(`request failed: ${q.url()}`));

      await page.goto(`file://${join(site, 'index.html')}`);
      assert.equal(await page.title(), 'netspec: the living documentation');
      assert.match(await page.textContent('body') ?? '', /2 scenarios · 1 passed, 1 failed/);
      await page.screenshot({ path: join(ROOT, 'reports', 'docs-index.png'), fullPage: true });
      // the search box filters scenarios by their words
      await page.fill('#search', 'shuts the cart');
      assert.equal(await page.locator('li[data-text]:not(.hidden)').count(), 1);
      assert.equal(await page.textContent('#found'), '1 scenarios match');

      await page.click('a[href="cart.html"]');
      assert.match(await page.textContent('p.lede') ?? '', /The cart takes calls only from the pods/);
      const imgs = page.locator('figure img');
      assert.ok(await imgs.count() >= 3, 'the passing When step, the failing When and Then steps each carry a picture');
      const sizes = await imgs.evaluateAll((els) => els.map((e) => (e as unknown as { naturalWidth: number }).naturalWidth));
      assert.ok(sizes.every((w) => w > 100), `every picture loaded (natural widths ${sizes.join(', ')})`);
      // the failing step's picture names the deciding policy
      const failing = await page.locator('li.FAILED-step figure img').getAttribute('src');
      assert.ok(failing, 'the failed step has a picture');
      assert.match(readFileSync(join(site, failing!), 'utf8'), /decided by: NetworkPolicy shop\/cart-deny-ingress/);
      await page.screenshot({ path: join(ROOT, 'reports', 'docs-chapter.png'), fullPage: true });
    } finally {
      await ctx.close();
    }
    assert.deepEqual(problems, []);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
