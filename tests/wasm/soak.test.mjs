// The soak of the robustness issue: 10,000 recall and capacity calls in a Web
// Worker in Chromium leave the heap exactly as it was (no leaked Embind or C++
// objects), and cancelling long work — by the progress callback, or by
// terminating the worker as the playground does — leaves the module usable.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { createServer } from '../../scripts/serve.mjs';
import { repo, tdamModule } from './helpers.mjs';

const chromiumPath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));

let server;
let browser;
let origin;

before(async () => {
  await tdamModule(); // fails clearly when the wasm build is missing
  if (!chromiumPath) return;
  server = createServer(repo);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

test('10,000 recall and capacity calls in a worker; cancellation leaves it usable', { skip: !chromiumPath && 'no Chromium', timeout: 240000 }, async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${origin}/tests/wasm/fixtures/soak.html`);
    await page.waitForFunction(() => window.__soak !== undefined, null, { timeout: 230000 });
    const r = await page.evaluate(() => window.__soak);
    assert.equal(r.soak.error, undefined, r.soak.error);
    assert.deepEqual(r.soak.after, r.soak.before, 'heap and live objects after 10,000 rounds');
    assert.equal(r.soak.after.liveModels, 0);
    assert.equal(r.soak.after.liveDynamics, 0);
    assert.ok(r.soak.sum > 0);
    assert.equal(r.cancelByCallback.message, 'cancelled');
    assert.deepEqual(r.cancelByCallback.check, { stable: 4095, live: 0 });
    assert.deepEqual(r.afterTerminate, { stable: 4095, live: 0 });
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
