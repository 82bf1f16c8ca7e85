// End-to-end tests of the playground in Chromium (node --test tests/browser/).
// They build the site if build/web is missing, serve it with scripts/serve.mjs
// on a free port, and drive the page with real pointer and keyboard events.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, startServer, launch, openPage, screenshotPath, stroke, encodePng, assertClean } from './helpers.mjs';

let server;
let browser;

before(async () => {
  ensureBuilt();
  server = await startServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
});

const bits = (n, cells) => {
  const p = new Array(n * n).fill('0');
  for (const [r, c] of cells) p[r * n + c] = '1';
  return p.join('');
};

test('the page loads with no console errors, no other hosts, CSP and wasm MIME type', async () => {
  const res = await fetch(server.url);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  const wasm = await fetch(new URL('wasm/tdam_core.wasm', server.url));
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  const html = await res.text();
  assert.match(html, /<meta http-equiv="Content-Security-Policy"/);
  assert.doesNotMatch(html, /<script>(?!<)/, 'no inline scripts');
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /style=/i, 'no inline styles');

  const { page, context, problems } = await openPage(browser, server.url);
  // every view renders
  for (const view of ['recall', 'compare', 'capacity', 'draw']) {
    await page.click(`#tab-${view}`);
    assert.equal(await page.locator(`#panel-${view}`).isVisible(), true);
  }
  // tabs work with the keyboard too
  await page.focus('#tab-draw');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute('#tab-recall', 'aria-selected'), 'true');
  await page.keyboard.press('Home');
  assert.equal(await page.getAttribute('#tab-draw', 'aria-selected'), 'true');
  await page.waitForTimeout(300);
  assertClean(problems);
  await context.close();
});

test('draw, store with others, corrupt by 20%, recall the stored pattern', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  const grid = '#draw-canvas';
  // a box outline with four mouse strokes
  await stroke(page, grid, [2, 2], [2, 13]);
  await stroke(page, grid, [2, 13], [13, 13]);
  await stroke(page, grid, [13, 13], [13, 2]);
  await stroke(page, grid, [13, 2], [2, 2]);
  // and a 2 x 2 window with the keyboard: the cursor is at (2, 2) after the last stroke
  await page.focus(grid);
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'Space', 'ArrowRight', 'Space', 'ArrowDown', 'Space', 'ArrowLeft', 'Space']) {
    await page.keyboard.press(key);
  }
  const cells = [];
  for (let i = 2; i <= 13; i++) cells.push([2, i], [13, i], [i, 2], [i, 13]);
  cells.push([5, 5], [5, 6], [6, 5], [6, 6]);
  const expected = bits(16, cells);
  assert.equal(await page.getAttribute(grid, 'data-pixels'), expected, 'the drawing follows the pointer and keyboard events');

  await page.fill('#store-name', 'box');
  await page.click('#store-add');
  for (const L of ['T', 'X', 'J']) {
    await page.selectOption('#preset-letter', L);
    await page.click('#preset-letter-apply');
    await page.click('#store-add');
  }
  await page.waitForFunction(() => document.querySelectorAll('#library-list .library__item').length === 4);
  const stored = await page.getAttribute('#library-list .library__select[data-name="box"]', 'data-pixels');
  assert.equal(stored, expected);
  // the parts network holds 5 of the 15 combinations (computed by the engine)
  await page.waitForFunction(() => document.getElementById('stat-threshold').dataset.total === '15');
  assert.equal(await page.getAttribute('#stat-threshold', 'data-stable'), '5');
  assert.match(await page.textContent('#stat-threshold'), /^5 of 15 combinations of parts are stable/);

  // corrupt: 20% of the pixels flipped (the default), seed 1
  await page.click('#tab-recall');
  await page.selectOption('#cue-target', { label: 'box' });
  await page.locator('#cue-flip').evaluate((el) => {
    el.value = '0.2';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.fill('#cue-seed', '1');
  await page.locator('#cue-seed').dispatchEvent('change');
  await page.waitForFunction(() => /box: 20% of the pixels flipped, seed 1\. 51 of 256 pixels differ/.test(document.getElementById('cue-info').textContent));
  const cue = await page.getAttribute('#cue-canvas', 'data-pixels');
  assert.notEqual(cue, expected);

  // recall with the threshold network, step by step then to the end
  await page.selectOption('#recall-model', 'threshold');
  await page.waitForSelector('#recall-step:not([disabled])');
  await page.waitForFunction((c) => {
    const el = document.getElementById('recall-canvas');
    return el.dataset.step === '0' && el.dataset.pixels === c;
  }, cue);
  await page.click('#recall-step');
  await page.waitForFunction(() => document.getElementById('recall-canvas').dataset.step === '1');
  await page.click('#recall-play');
  await page.waitForSelector('#recall-status[data-stop="converged"]', { timeout: 20000 });
  assert.equal(await page.getAttribute('#recall-canvas', 'data-pixels'), expected, 'the recalled pattern is the stored one');
  assert.equal(await page.getAttribute('#recall-hidden', 'data-code'), '1000', 'the code names only the part "box"');
  assert.match(await page.textContent('#recall-status'), /Retrieved “box”/);
  await page.screenshot({ path: screenshotPath('playground.png'), fullPage: true });

  // the same cue in the four networks
  await page.click('#tab-compare');
  await page.waitForFunction(() => [...document.querySelectorAll('.compare-card .chip')].every((c) => c.dataset.kind !== 'running' && c.dataset.kind !== 'idle'), null, { timeout: 30000 });
  assert.equal(await page.getAttribute('#compare-threshold', 'data-pixels'), expected);
  assert.equal(await page.getAttribute('.compare-card[data-model="threshold"]', 'data-verdict'), 'good');
  await page.screenshot({ path: screenshotPath('playground-compare.png'), fullPage: true });

  // a phone-sized view of the recall
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('#tab-recall');
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshotPath('playground-phone.png'), fullPage: false });
  await page.screenshot({ path: screenshotPath('playground-phone-full.png'), fullPage: true });
  assertClean(problems);
  await context.close();
});

test('library: reorder and remove with the keyboard', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.selectOption('#library-sample-set', 'letters');
  await page.click('#library-sample');
  await page.waitForFunction(() => document.querySelectorAll('#library-list .library__item').length === 4);
  const names = () => page.$$eval('#library-list .library__select', (els) => els.map((e) => e.dataset.name));
  assert.deepEqual(await names(), ['J', 'T', 'V', 'X']);
  await page.focus('#library-list .library__select[data-name="J"]');
  await page.keyboard.press('Alt+ArrowDown');
  assert.deepEqual(await names(), ['T', 'J', 'V', 'X']);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.name), 'J', 'focus stays on the moved pattern');
  await page.click('#library-list .library__item[data-id] [aria-label="Move X up"]');
  assert.deepEqual(await names(), ['T', 'J', 'X', 'V']);
  await page.focus('#library-list .library__select[data-name="X"]');
  await page.keyboard.press('Delete');
  assert.deepEqual(await names(), ['T', 'J', 'V']);
  assertClean(problems);
  await context.close();
});

test('PNG import: a valid PNG is downsampled, other files are refused', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  const size = 64;
  const grey = new Uint8Array(size * size).fill(255);
  for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) grey[y * size + x] = 0;
  const png = await encodePng(size, size, grey);
  await page.setInputFiles('#import-png', { name: 'square.png', mimeType: 'image/png', buffer: png });
  await page.waitForFunction(() => /Imported square\.png/.test(document.getElementById('draw-message').textContent));
  const cells = [];
  for (let r = 4; r < 12; r++) for (let c = 4; c < 12; c++) cells.push([r, c]);
  assert.equal(await page.getAttribute('#draw-canvas', 'data-pixels'), bits(16, cells));
  await page.setInputFiles('#import-png', { name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png at all') });
  await page.waitForFunction(() => /not a valid PNG/.test(document.getElementById('draw-message').textContent));
  await page.setInputFiles('#import-png', { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(2 * 1024 * 1024 + 1) });
  await page.waitForFunction(() => /the limit is 2 MB/.test(document.getElementById('draw-message').textContent));
  assertClean(problems);
  await context.close();
});

test('capacity explorer: N_v = 1000, N_h = 12, theta = 0.5 gives 4,095 of 4,095; cancel keeps it usable', async () => {
  const { page, context, problems } = await openPage(browser, server.url, { hash: '#capacity' });
  const set = async (id, value) => {
    await page.fill(id, String(value));
    await page.locator(id).dispatchEvent('input');
  };
  // a long sampled count, cancelled part-way
  await set('#cap-nv-num', 1000);
  await set('#cap-nh-num', 40);
  await page.selectOption('#cap-mode', 'sampled');
  await page.fill('#cap-samples', '100000000');
  await page.locator('#cap-samples').dispatchEvent('change');
  await page.click('#cap-count');
  await page.waitForFunction(() => document.getElementById('cap-progress').value > 0, null, { timeout: 20000 });
  await page.click('#cap-cancel');
  await page.waitForFunction(() => /Cancelled/.test(document.getElementById('cap-result').textContent));

  await set('#cap-nv-num', 1000);
  await set('#cap-nh-num', 12);
  await set('#cap-theta-num', 0.5);
  await page.selectOption('#cap-mode', 'auto');
  await page.click('#cap-count');
  await page.waitForFunction(() => /of 4,095 non-zero codes are stable/.test(document.getElementById('cap-result').textContent), null, { timeout: 30000 });
  const text = await page.textContent('#cap-result');
  assert.match(text, /4,095 of 4,095 non-zero codes are stable \(100\.0%\)/);
  assert.match(text, /exhaustively/);

  // a sweep over theta fills the second plot
  await page.click('#cap-sweep-theta');
  await page.waitForFunction(() => /Sweep done/.test(document.getElementById('cap-result').textContent), null, { timeout: 60000 });
  assert.equal(await page.locator('#cap-plot-theta circle.chart__point').count(), 21);
  await page.screenshot({ path: screenshotPath('playground-capacity.png'), fullPage: true });
  assertClean(problems);
  await context.close();
});
