// Shareable links and embedding, end to end in Chromium (node --test tests/browser/):
// a link opened in a fresh page replays the same run bit for bit; the embed
// works in iframes on a page of another origin (a second server, no special
// headers), as an <iframe> and as <tdam-playground>; bad links show a message
// and leave the page in its default state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, startServer, startHostServer, launch, openPage, screenshotPath, stroke, assertClean } from './helpers.mjs';
import { encodeState, toBase64url, deflateRaw, crc32 } from '../../web/src/share/codec.js';
import { demoState } from '../links/gen.mjs';

let server;
let host;
let browser;

before(async () => {
  ensureBuilt();
  server = await startServer();
  host = await startHostServer();
  browser = await launch();
});

after(async () => {
  if (browser) await browser.close();
  if (server) await server.stop();
  if (host) await host.stop();
});

// Everything a run shows, exactly: the recalled pixels, the step, how it
// stopped, the whole energy trace (JSON of doubles), the hidden code, the cue
// and the library.
function snapshot(target) {
  return target.evaluate(() => {
    const c = document.getElementById('recall-canvas');
    return {
      pixels: c.dataset.pixels,
      step: c.dataset.step,
      stop: c.dataset.stop,
      energies: document.getElementById('recall-energy').dataset.energies,
      code: document.getElementById('recall-hidden').dataset.code ?? null,
      status: document.getElementById('recall-status').textContent,
      cue: document.getElementById('cue-canvas').dataset.pixels,
      cueInfo: document.getElementById('cue-info').textContent,
      library: [...document.querySelectorAll('#library-list .library__select')].map((e) => `${e.dataset.name}:${e.dataset.pixels}`),
      size: document.getElementById('grid-size').value,
      model: document.getElementById('recall-model').value,
      schedule: document.getElementById('recall-schedule').value,
    };
  });
}

const setRange = (page, sel, value) =>
  page.locator(sel).evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, String(value));

// The recall has started from the cue now shown (a button clicked before
// that could be disabled under the pointer by the reset that follows a new cue).
const recallReady = (page) =>
  page.waitForFunction(() => {
    const c = document.getElementById('recall-canvas');
    return c.dataset.step === '0' && c.dataset.pixels === document.getElementById('cue-canvas').dataset.pixels && !document.getElementById('recall-run').disabled;
  });

// Presses "Copy link" and returns what reached the clipboard (it must be the address).
async function copyLink(page) {
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
  assert.equal(await page.textContent('#copy-status'), 'Link copied.');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, page.url(), 'the copied link is the address, up to date');
  assert.match(copied, /#v=2&z=\d+\.[0-9a-f]{8}&/);
  return copied;
}

async function openLink(url, opts) {
  const r = await openPage(browser, url, opts);
  await r.page.waitForSelector('body[data-link="restored"]', { state: 'attached', timeout: 30000 });
  return r;
}

test('a shared link reproduces the run bit for bit in a fresh page (ended and mid-run)', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(server.url).origin });
  // patterns stored at 20 x 20, then the grid changed to 24 x 24 (they are resampled)
  await page.selectOption('#grid-size', '20');
  await page.selectOption('#library-sample-set', 'letters');
  await page.click('#library-sample');
  await page.selectOption('#preset-letter', 'E');
  await page.click('#preset-letter-apply');
  await page.fill('#store-name', 'an E');
  await page.click('#store-add');
  await page.waitForFunction(() => document.querySelectorAll('#library-list .library__item').length === 5);
  await page.selectOption('#grid-size', '24');
  await setRange(page, '#set-theta', 0.45);

  // 1. the threshold network, run to the end
  await page.click('#tab-recall');
  await page.selectOption('#cue-target', { label: 'T' });
  await setRange(page, '#cue-flip', 0.3);
  await page.fill('#cue-seed', '7');
  await page.locator('#cue-seed').dispatchEvent('change');
  await page.waitForFunction(() => /T: 30% of the pixels flipped, seed 7\./.test(document.getElementById('cue-info').textContent));
  await recallReady(page);
  await page.click('#recall-run');
  await page.waitForSelector('#recall-status[data-stop]:not([data-stop=""])', { timeout: 20000 });
  const a = await snapshot(page);
  assert.ok(JSON.parse(a.energies).length >= 2, 'the run took steps');
  const link1 = await copyLink(page);
  assert.match(link1, /&size=24&/);
  assert.match(link1, /&end=1&/);

  const b = await openLink(link1);
  assert.deepEqual(await snapshot(b.page), a, 'same cue, trajectory, energies and final state');
  assert.equal(await b.page.getAttribute('#tab-recall', 'aria-selected'), 'true');
  assert.equal(await b.page.inputValue('#set-theta'), '0.45');
  assertClean(b.problems);
  await b.context.close();

  // 2. a painted cue, the polynomial network (asynchronous: a seeded random order), one step
  await page.click('label[for="cue-kind-paint"]');
  await page.waitForFunction(() => /painted by hand/.test(document.getElementById('cue-info').textContent));
  await stroke(page, '#cue-canvas', [2, 2], [20, 20]);
  await page.selectOption('#recall-model', 'polynomial');
  const stepped = (n) => page.waitForFunction((k) => document.getElementById('recall-canvas').dataset.step === String(k) && !document.getElementById('recall-step').disabled, n);
  await recallReady(page);
  assert.equal(await page.inputValue('#recall-schedule'), 'async');
  await page.click('#recall-step');
  await stepped(1);
  const c = await snapshot(page);
  assert.equal(JSON.parse(c.energies).length, 2);
  const link2 = await copyLink(page);
  assert.match(link2, /&kind=paint&/);
  assert.match(link2, /&model=polynomial&sched=async&at=1&/);
  const d = await openLink(link2);
  assert.deepEqual(await snapshot(d.page), c, 'same painted cue and the same asynchronous step');
  // and it goes on the same way: one more step on both pages
  await page.click('#recall-step');
  await d.page.click('#recall-step');
  for (const p of [page, d.page]) await p.waitForFunction(() => document.getElementById('recall-canvas').dataset.step === '2' || document.getElementById('recall-status').dataset.stop);
  assert.deepEqual(await snapshot(d.page), await snapshot(page));
  assertClean(d.problems);
  await d.context.close();

  // 3. the threshold network in continuous time (Euler steps), stopped after 3 steps
  await page.selectOption('#recall-model', 'threshold');
  await page.selectOption('#recall-schedule', 'continuous');
  await recallReady(page);
  for (let i = 1; i <= 3; i++) {
    await page.click('#recall-step');
    await stepped(i);
  }
  const e = await snapshot(page);
  assert.equal(e.stop, '');
  const link3 = await copyLink(page);
  assert.match(link3, /&sched=continuous&at=3&/);
  const f = await openLink(link3);
  assert.deepEqual(await snapshot(f.page), e, 'same three Euler steps');
  assertClean(f.problems);
  await f.context.close();
  assertClean(problems, { otherHosts: true });
  await context.close();
});

test('the address follows the state with replaceState (no history entries)', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  assert.equal(await page.evaluate(() => location.hash), '', 'a fresh page has no fragment');
  const length0 = await page.evaluate(() => history.length);
  await page.click('#tab-capacity');
  await page.waitForFunction(() => /tab=capacity/.test(location.hash));
  await page.fill('#cap-nh-num', '9');
  await page.locator('#cap-nh-num').dispatchEvent('input');
  await page.waitForFunction(() => /&nh=9(&|$)/.test(location.hash));
  await page.click('#tab-draw');
  await page.waitForFunction(() => /tab=/.test(location.hash) === false);
  assert.equal(await page.evaluate(() => history.length), length0, 'no new history entries');
  assertClean(problems, { otherHosts: true });
  await context.close();
});

test('Copy link falls back to a selected textarea without navigator.clipboard', async () => {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
    window.__copied = [];
    const exec = Document.prototype.execCommand;
    Document.prototype.execCommand = function (cmd, ...rest) {
      if (cmd === 'copy') window.__copied.push(document.activeElement && document.activeElement.value);
      return exec.call(this, cmd, ...rest);
    };
  });
  const page = await context.newPage();
  await page.goto(`${server.url}#recall`);
  await page.waitForSelector('#engine-status[data-state="ready"]', { state: 'attached', timeout: 20000 });
  await page.click('#copy-link');
  await page.waitForFunction(() => document.getElementById('copy-status').textContent !== '');
  const copied = await page.evaluate(() => window.__copied);
  assert.equal(copied.length, 1);
  assert.equal(copied[0], page.url(), 'the textarea held the link');
  assert.match(copied[0], /#v=2&z=\d+\.[0-9a-f]{8}&tab=recall$/);
  assert.match(await page.textContent('#copy-status'), /^(Link copied\.|Could not copy)/);
  assert.equal(await page.locator('textarea.visually-hidden').count(), 0, 'the textarea is gone');
  await context.close();
});

test('embed: the Share dialog builds snippets that work in iframes on another origin', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  await page.selectOption('#library-sample-set', 'house');
  await page.click('#library-sample');
  await page.waitForFunction(() => document.querySelectorAll('#library-list .library__item').length === 6);
  await page.click('#tab-recall');
  await page.selectOption('#cue-target', { label: 'roof' });
  await page.click('label[for="cue-kind-gaussian"]');
  await setRange(page, '#cue-sigma', 0.6);
  await page.waitForFunction(() => /roof: Gaussian noise σ = 0\.60, seed 1\./.test(document.getElementById('cue-info').textContent));
  await recallReady(page);
  await page.click('#recall-run');
  await page.waitForSelector('#recall-status[data-stop]:not([data-stop=""])', { timeout: 20000 });
  const a = await snapshot(page);

  // the dialog, with the keyboard
  await page.focus('#share-open');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.getElementById('share-dialog').open);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'share-link', 'focus starts on the link');
  assert.equal(await page.inputValue('#share-link'), page.url());
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'share-copy-link');
  // hide the network picker too (the header, Capacity and the explanations are ticked already)
  await page.focus('#share-hide-model');
  await page.keyboard.press('Space');
  assert.equal(await page.isChecked('#share-hide-model'), true);
  await page.fill('#share-height', '760');
  await page.locator('#share-height').dispatchEvent('input');
  const iframe = await page.inputValue('#share-iframe');
  const element = await page.inputValue('#share-element');
  assert.match(iframe, /^<iframe src="http:\/\/localhost:\d+\/#v=2&amp;z=/);
  assert.match(iframe, /&amp;embed=1&amp;hide=header,capacity,explain,model" width="100%" height="760"/);
  assert.match(element, /^<script type="module" src="http:\/\/localhost:\d+\/embed\/tdam-playground\.js"><\/script>\n<tdam-playground src=/);
  assert.match(element, /height="760" hide="header,capacity,explain,model"><\/tdam-playground>$/);
  // the live preview is the embed itself
  const previewFrame = async () => page.frames().find((f) => /embed=1/.test(f.url()));
  await page.waitForFunction(() => /embed=1/.test(document.getElementById('share-preview').src), null, { timeout: 5000 });
  let pf = null;
  for (let i = 0; i < 50 && !pf; i++) {
    pf = await previewFrame();
    if (!pf) await page.waitForTimeout(100);
  }
  assert.ok(pf, 'the preview frame loads');
  await pf.waitForSelector('body[data-link="restored"]', { state: 'attached', timeout: 30000 });
  assert.equal(await pf.getAttribute('body', 'data-embed'), '1');
  assert.deepEqual((await snapshot(pf)).pixels, a.pixels);
  await page.screenshot({ path: screenshotPath('share-dialog.png') });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => !document.getElementById('share-dialog').open);
  // the preview stops (its engine workers with it)
  await page.waitForFunction(() => document.getElementById('share-preview').getAttribute('src') === 'about:blank');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'share-open', 'focus returns to the button');
  assertClean(problems, { otherHosts: true });

  // the playground's headers allow framing by anyone
  const res = await fetch(server.url);
  assert.equal(res.headers.get('x-frame-options'), null);
  assert.doesNotMatch(res.headers.get('content-security-policy'), /frame-ancestors/);
  const el = await fetch(new URL('embed/tdam-playground.js', server.url));
  assert.equal(el.headers.get('access-control-allow-origin'), '*');

  // a course page on another origin, with both snippets pasted in
  host.setSlots({ iframe, element });
  const hostCtx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const hp = await hostCtx.newPage();
  const hostProblems = [];
  hp.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && hostProblems.push(`${m.type()}: ${m.text()}`));
  hp.on('pageerror', (e) => hostProblems.push(`pageerror: ${e.message}`));
  await hp.goto(`${host.url}host.html`);
  assert.notEqual(new URL(host.url).origin, new URL(server.url).origin);
  await hp.waitForFunction(() => customElements.get('tdam-playground') !== undefined);
  const shadowSrc = await hp.locator('tdam-playground').evaluate((e) => e.shadowRoot.querySelector('iframe').src);
  assert.match(shadowSrc, /embed=1/);
  assert.equal(await hp.locator('tdam-playground').evaluate((e) => getComputedStyle(e.shadowRoot.querySelector('iframe')).height), '760px');
  await hp.locator('tdam-playground').scrollIntoViewIfNeeded();
  let frames = [];
  for (let i = 0; i < 100 && frames.length < 2; i++) {
    frames = hp.frames().filter((f) => f.url().startsWith(server.url) && /embed=1/.test(f.url()));
    if (frames.length < 2) await hp.waitForTimeout(100);
  }
  assert.equal(frames.length, 2, 'both embeds load');
  for (const f of frames) {
    await f.waitForSelector('body[data-link="restored"]', { state: 'attached', timeout: 30000 });
    const s = await snapshot(f);
    assert.deepEqual(s, a, 'the embed recalls the same run as the page that made the link');
    assert.equal(await f.getAttribute('body', 'data-embed'), '1');
    assert.equal(await f.evaluate(() => window.crossOriginIsolated), false, 'no special headers: not cross-origin isolated');
    assert.equal(await f.isVisible('#tab-capacity'), false, 'Capacity hidden');
    assert.equal(await f.isVisible('#recall-model'), false, 'the network picker hidden');
    assert.equal(await f.isVisible('.explain'), false, 'the explanations hidden');
    assert.equal(await f.isVisible('#tab-recall'), true);
    assert.equal(await f.isVisible('#embed-full'), true, 'a link to the full playground');
    assert.doesNotMatch(await f.getAttribute('#embed-full', 'href'), /embed=1/);
    // and it still works: a step back to the cue and again to the end
    await f.click('#recall-reset');
    await f.waitForFunction(() => document.getElementById('recall-canvas').dataset.step === '0');
    await f.click('#recall-run');
    await f.waitForSelector('#recall-status[data-stop]:not([data-stop=""])', { timeout: 20000 });
    assert.deepEqual((await snapshot(f)).energies, a.energies);
  }
  await hp.screenshot({ path: screenshotPath('embed-host.png'), fullPage: true });
  assert.deepEqual(hostProblems, []);
  await hostCtx.close();
  await context.close();
});

test('the <tdam-playground> element: attributes set the state, the hidden parts and the size', async () => {
  const state = await encodeState(demoState('letters'));
  host.setSlots({
    head: `<script type="module" src="${server.url}embed/tdam-playground.js"></script>`,
    element: `<tdam-playground src="${server.url}" state="#${state.replace(/&/g, '&amp;')}&amp;hide=tabs" hide="memory explain" height="30rem" title="Letters demo"></tdam-playground>`,
  });
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  const hp = await ctx.newPage();
  await hp.goto(`${host.url}host.html`);
  await hp.waitForFunction(() => customElements.get('tdam-playground') !== undefined);
  const info = await hp.locator('tdam-playground').evaluate((e) => {
    const f = e.shadowRoot.querySelector('iframe');
    return { src: f.src, title: f.title, height: getComputedStyle(f).height };
  });
  assert.match(info.src, /&embed=1&hide=memory,explain$/, 'hide="…" replaces the hide of the state');
  assert.equal(info.title, 'Letters demo');
  assert.equal(info.height, '480px');
  let f = null;
  for (let i = 0; i < 100 && !f; i++) {
    f = hp.frames().find((x) => x.url().startsWith(server.url));
    if (!f) await hp.waitForTimeout(100);
  }
  await f.waitForSelector('body[data-link="restored"]', { state: 'attached', timeout: 30000 });
  assert.equal(await f.isVisible('#memory'), false);
  assert.equal(await f.isVisible('.tabs'), true);
  assert.equal((await snapshot(f)).library.length, 12);
  // changing an attribute updates the embed
  await hp.locator('tdam-playground').evaluate((e) => e.setAttribute('hide', 'tabs'));
  await f.waitForFunction(() => document.body.dataset.hide === 'tabs');
  assert.equal(await f.isVisible('#memory'), true);
  assert.equal(await f.isVisible('.tabs'), false);
  await ctx.close();
});

const guard = (text) => `z=${text.length}.${crc32(Uint8Array.from(text, (c) => c.charCodeAt(0))).toString(16).padStart(8, '0')}`;

test('malformed links show a message and open the default state', async () => {
  const good = await encodeState(demoState('letters'));
  const bomb = toBase64url(await deflateRaw(new Uint8Array(3 * 1048576)));
  const bombText = `size=16&lib=${bomb}`;
  const cases = [
    ['v=9&tab=recall', 'version', /version 9, made by a newer playground/],
    ['tab=recall&size=28', 'version', /no version/],
    ['v=1&theta=7', 'range', /theta=7 is outside 0\.05…0\.95/],
    ['v=1&seed=NaN', 'nan', /seed=NaN is not a whole number/],
    [good.slice(0, good.length - 25), 'truncated', /cut short/],
    [good.replace('seed=20240917', 'seed=20240916'), 'checksum', /altered/],
    [`v=1&size=28&${/lib=[^&]+/.exec(good)[0].slice(0, -30)}`, 'payload', /damaged|truncated/],
    [`v=1&${guard(bombText)}&${bombText}`, 'too-large', /more than 1,048,576 bytes/],
    ['v=1&tab=recall&flavour=mint', 'unknown-field', /'flavour'/],
    ['v=1&tab=<img src=x onerror=alert(1)>', 'syntax', /'<'/],
  ];
  for (const [frag, code, pattern] of cases) {
    const { page, context, problems } = await openPage(browser, server.url, { hash: `#${frag}` });
    await page.waitForSelector('#link-alert[data-code]', { timeout: 15000 });
    assert.equal(await page.getAttribute('#link-alert', 'data-code'), code, frag.slice(0, 60));
    assert.equal(await page.getAttribute('#link-alert', 'role'), 'alert');
    const text = await page.textContent('#link-alert');
    assert.match(text, /This link could not be opened:/);
    assert.match(text, pattern);
    assert.match(text, /The playground opened in its default state\./);
    assert.equal(await page.locator('#link-alert img').count(), 0, 'the message is text only');
    // the default state
    assert.equal(await page.getAttribute('body', 'data-link'), 'error');
    assert.equal(await page.getAttribute('#tab-draw', 'aria-selected'), 'true');
    assert.equal(await page.locator('#library-list .library__item').count(), 0);
    assert.equal(await page.inputValue('#grid-size'), '16');
    assert.equal(await page.inputValue('#set-theta'), '0.5');
    assert.equal(await page.evaluate(() => document.body.dataset.embed), undefined);
    assert.equal(await page.evaluate(() => location.hash.slice(1)), frag.replace(/ /g, '%20').replace(/</g, '%3C').replace(/>/g, '%3E'), 'the bad link stays in the address until something changes');
    if (code === 'range') {
      await page.screenshot({ path: screenshotPath('link-error.png') });
      // the page works: store a set, dismiss the message, the address gets a good link
      await page.click('#library-sample');
      await page.waitForFunction(() => document.querySelectorAll('#library-list .library__item').length === 6);
      await page.click('#link-alert button');
      assert.equal(await page.locator('#link-alert[data-code]').count(), 0);
      await page.waitForFunction(() => /^#v=2&z=/.test(location.hash));
    }
    assertClean(problems, { otherHosts: true });
    await context.close();
  }
});

test('a link pasted into the address of an open page is applied; a bad one keeps the state', async () => {
  const { page, context, problems } = await openPage(browser, server.url);
  const good = await encodeState(demoState('letters'));
  await page.evaluate((f) => {
    location.hash = f;
  }, good);
  await page.waitForSelector('body[data-link="restored"]', { state: 'attached', timeout: 30000 });
  assert.equal(await page.locator('#library-list .library__item').count(), 12);
  assert.equal(await page.getAttribute('#tab-recall', 'aria-selected'), 'true');
  await page.waitForFunction(() => document.getElementById('recall-canvas').dataset.step === '4' || document.getElementById('recall-status').dataset.stop);
  await page.evaluate(() => {
    location.hash = 'v=1&size=13';
  });
  await page.waitForSelector('#link-alert[data-code="range"]');
  assert.match(await page.textContent('#link-alert'), /The playground kept its state\./);
  assert.equal(await page.locator('#library-list .library__item').count(), 12);
  // a bare view name still selects a tab
  await page.evaluate(() => {
    location.hash = 'compare';
  });
  await page.waitForFunction(() => document.getElementById('tab-compare').getAttribute('aria-selected') === 'true');
  assertClean(problems, { otherHosts: true });
  await context.close();
});
