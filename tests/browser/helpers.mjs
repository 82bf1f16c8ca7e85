// Shared helpers for the browser end-to-end tests: build the site if needed,
// start scripts/serve.mjs on a free port, launch Debian's Chromium through
// playwright-core, and watch every page for console errors and requests to
// other hosts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artifacts = path.join(repo, 'build', 'artifacts');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export function ensureBuilt() {
  const index = path.join(repo, 'build', 'web', 'index.html');
  const wasm = path.join(repo, 'build', 'web', 'wasm', 'tdam_core.wasm');
  if (fs.existsSync(index) && fs.existsSync(wasm)) return;
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'build-web.mjs')], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build/web is missing and node scripts/build-web.mjs failed:\n${r.stderr || r.stdout}`);
}

// Starts the static server with --port 0 and reads the address it prints.
export async function startServer() {
  const child = spawn(process.execPath, [path.join(repo, 'scripts', 'serve.mjs'), '--port', '0'], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve.mjs did not start: ${err || out}`)), 10000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /at (http:\/\/localhost:\d+\/)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve.mjs exited with ${code}: ${err}`));
    });
  });
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

// A page that records console errors, page errors, failed requests and any
// request that does not go to the site itself.
export async function openPage(browser, baseUrl, { viewport = { width: 1440, height: 1000 }, deviceScaleFactor = 1, hash = '' } = {}) {
  const context = await browser.newContext({ viewport, deviceScaleFactor });
  const page = await context.newPage();
  const origin = new URL(baseUrl).origin;
  const problems = { console: [], external: [], failed: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.console.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.console.push(`pageerror: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== origin) problems.external.push(u);
  });
  page.on('requestfailed', (r) => problems.failed.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.failed.push(`${r.url()}: HTTP ${r.status()}`);
  });
  await page.goto(baseUrl + hash);
  // attached, not visible: an embed may hide the header (hide=header)
  await page.waitForSelector('#engine-status[data-state="ready"]', { state: 'attached', timeout: 20000 });
  return { page, context, problems };
}

// What openPage watched stayed clean: no console errors or warnings, no
// failed requests, and no requests to other hosts (allowed for pages that
// embed the playground from another origin: otherHosts).
export function assertClean(problems, { otherHosts = false } = {}) {
  assert.deepEqual(problems.console, [], `console errors or warnings:\n${problems.console.join('\n')}`);
  if (!otherHosts) assert.deepEqual(problems.external, [], `requests to other hosts:\n${problems.external.join('\n')}`);
  assert.deepEqual(problems.failed, [], `failed requests:\n${problems.failed.join('\n')}`);
}

export function screenshotPath(name) {
  fs.mkdirSync(artifacts, { recursive: true });
  return path.join(artifacts, name);
}

// Centre of cell (row, col) of a square grid canvas, in page coordinates.
export async function cellCenter(page, selector, row, col) {
  const box = await page.locator(selector).boundingBox();
  const n = Number(await page.locator(selector).getAttribute('data-size'));
  return { x: box.x + ((col + 0.5) * box.width) / n, y: box.y + ((row + 0.5) * box.height) / n };
}

// A mouse stroke from one cell to another through intermediate moves.
export async function stroke(page, selector, from, to, steps = 12) {
  const a = await cellCenter(page, selector, from[0], from[1]);
  const b = await cellCenter(page, selector, to[0], to[1]);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

// A minimal PNG encoder (8-bit greyscale), for the import test.
// PNG encoding lives in scripts/lib/png.mjs (the figure scripts use it too).
export { encodePng } from '../../scripts/lib/png.mjs';

// A second static server, on another origin (127.0.0.1 instead of localhost,
// and another port), for the pages that embed the playground: it serves
// tests/browser/fixtures with no special headers, filling <!--SLOT:name-->
// in HTML files with what setSlots() gave.
export async function startHostServer(root = path.join(repo, 'tests', 'browser', 'fixtures')) {
  const http = await import('node:http');
  let slots = {};
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/^\/+/, '');
    if (name === 'favicon.ico') {
      res.writeHead(204);
      return res.end();
    }
    const file = path.join(root, path.normalize(name || 'host.html'));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404);
      return res.end('not found');
    }
    let body = fs.readFileSync(file);
    if (file.endsWith('.html')) body = body.toString('utf8').replace(/<!--SLOT:(\w+)-->/g, (_, k) => slots[k] ?? '');
    res.writeHead(200, { 'Content-Type': file.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    setSlots(s) {
      slots = s;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
