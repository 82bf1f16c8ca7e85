// The wrapper loads and gives the same bits in the three places it runs:
// Node (here), a browser page, and Web Workers (module and classic), under
// the playground's Content-Security-Policy (no 'unsafe-eval'), served by
// scripts/serve.mjs. Headless Chromium through playwright-core; skipped when
// no Chromium is installed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { createServer } from '../../scripts/serve.mjs';
import { loadTdam } from '../../wasm/js/tdam.js';
import { probe } from './fixtures/probe.mjs';
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
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

test('page, module worker and classic worker match Node bit for bit', { skip: !chromiumPath && 'no Chromium' }, async () => {
  const expected = await probe(loadTdam);
  assert.match(expected.message, /^TdamError: cue has 3 entries, expected N_v = 80$/);

  const page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // A missing resource is reported through 'response' below, with its URL.
    if ((m.type() === 'error' || m.type() === 'warning') && !/^Failed to load resource/.test(m.text())) {
      problems.push(`console ${m.type()}: ${m.text()}`);
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  try {
    const response = await page.goto(`${origin}/tests/wasm/fixtures/page.html`);
    assert.match(response.headers()['content-security-policy'] ?? '', /script-src 'self' 'wasm-unsafe-eval'/);
    await page.waitForFunction(() => window.__tdamResults !== undefined, null, { timeout: 30000 });
    const results = await page.evaluate(() => window.__tdamResults);
    for (const where of ['page', 'moduleWorker', 'classicWorker']) {
      assert.deepEqual(results[where], expected, `${where} (problems: ${problems.join('; ')})`);
    }
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the golden sum in hex', async () => {
  const r = await probe(loadTdam);
  // 0x1.2f9f037d3c1d8p+5 as little-endian float64 bytes.
  const golden = Buffer.from(new Float64Array([Number(0x12f9f037d3c1d8n) * 2 ** -47]).buffer).toString('hex');
  assert.equal(r.sum, golden);
});
