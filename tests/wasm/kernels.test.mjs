// The fast kernels of core/src/kernels*.cpp in both wasm builds (SIMD and
// scalar) against the native CLI, bit for bit, on workloads that take each
// path: +-1 weights with a +-1 state (XNOR-popcount) and 0/1 codes (int8
// column sums), float weights (f64x2 column sums), many hidden units, N_v off
// a word boundary, and the capacity walk on int16, int32 and double lanes.
// (tests/test_kernels.cpp checks the same kernels natively against the plain
// loops they replace.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  cliJson,
  columnMajorToCOrder,
  firstDifference,
  requireCli,
  sameBits,
  tdamModule,
  tempDir,
  writeNpy,
} from './helpers.mjs';

let simd;
let scalar;
let dir;
before(async () => {
  requireCli();
  simd = await tdamModule();
  scalar = await tdamModule({ simd: false });
  dir = tempDir('tdam-kernels-');
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function assertSameBits(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const i = firstDifference(actual, expected);
  assert.ok(sameBits(actual, expected), `${what}: first difference at ${i}: ${actual[i]} vs ${expected[i]}`);
}

let files = 0;
function npy(data, shape) {
  const file = path.join(dir, `a${files++}.npy`);
  writeNpy(file, data, shape);
  return file;
}

// Integer weights in [-m, m] from seeded normals: Gram entries too large for
// int16 lanes.
function integerWeights(nv, nh, m, seed) {
  const g = simd.randomWeights(nv, nh, 'gauss', seed);
  return g.map((x) => Math.max(-m, Math.min(m, Math.round(x * m * 0.6))));
}

describe('recall through the fast kernels equals the native CLI', () => {
  const cases = [
    { name: '±1 weights, binary state, N_v = 200 (popcount, int8 sums)', kind: 'threshold', visible: 'binary', nv: 200, nh: 70, weights: 'pm1', theta: 0.08 },
    { name: '±1 weights, binary state, N_v = 4096, N_h = 512 (the benchmark size)', kind: 'threshold', visible: 'binary', nv: 4096, nh: 512, weights: 'pm1', theta: 0.05, every: 32 },
    { name: '±1 weights, linear state (int8 drive, float field)', kind: 'threshold', visible: 'linear', nv: 130, nh: 33, weights: 'pm1', theta: 0.3 },
    { name: 'Gaussian weights, binary state (f64x2 sums)', kind: 'threshold', visible: 'binary', nv: 150, nh: 20, weights: 'gauss', theta: 0.08 },
    { name: 'Gaussian weights, linear state, N_h = 5 (short outputs)', kind: 'threshold', visible: 'linear', nv: 99, nh: 5, weights: 'gauss', theta: 0.3 },
    { name: 'hopfield, ±1 weights (popcount with a real f)', kind: 'hopfield', visible: 'binary', nv: 256, nh: 12, weights: 'pm1' },
    { name: 'softmax, ±1 weights, N_h = 200', kind: 'softmax', visible: 'binary', nv: 65, nh: 200, weights: 'pm1', beta: 0.05 },
  ];
  const schedules = [
    { schedule: 'sync', maxSteps: 30 },
    { schedule: 'continuous', maxSteps: 25, dt: 0.5, tauV: 1, tauH: 0.5, tolerance: 1e-7 },
    { schedule: 'async', maxSteps: 5, seed: 77 },
  ];
  let seed = 300;
  for (const c of cases) {
    test(c.name, () => {
      const s0 = seed++;
      const weights = simd.randomWeights(c.nv, c.nh, c.weights, s0);
      const options = { kind: c.kind, visible: c.visible, weights, nv: c.nv, nh: c.nh };
      if (c.theta !== undefined) options.theta = c.theta;
      if (c.beta !== undefined) options.beta = c.beta;
      let cue;
      if (c.kind === 'threshold') {
        const code = new Float64Array(c.nh).map((_, mu) => (mu % (c.every ?? 4) === 0 ? 1 : 0));
        const pattern = simd.using(simd.createModel(options), (m) => m.codePattern(code));
        cue = c.visible === 'binary'
          ? simd.corrupt(pattern, { kind: 'flip', level: 0.2, visible: 'binary', seed: s0 })
          : simd.corrupt(pattern, { kind: 'gaussian', level: 0.5, visible: 'linear', seed: s0 });
      } else {
        cue = simd.corrupt(weights.slice(0, c.nv), { kind: 'flip', level: 0.25, visible: 'binary', seed: s0 });
      }
      const weightsFile = npy(columnMajorToCOrder(weights, c.nv, c.nh), [c.nv, c.nh]);
      const cueFile = npy(cue);
      const runs = c.nv > 1000 ? schedules.slice(0, 1) : schedules;
      for (const s of runs) {
        const args = ['recall', '--model', c.kind, '--visible', c.visible, '--weights', weightsFile, '--cue', cueFile];
        if (c.theta !== undefined) args.push('--theta', String(c.theta));
        if (c.beta !== undefined) args.push('--beta', String(c.beta));
        args.push('--schedule', s.schedule, '--max-steps', String(s.maxSteps));
        if (s.seed !== undefined) args.push('--seed', String(s.seed));
        if (s.dt !== undefined) args.push('--dt', String(s.dt), '--tau-v', String(s.tauV), '--tau-h', String(s.tauH));
        if (s.tolerance !== undefined) args.push('--tolerance', String(s.tolerance));
        const native = cliJson(args);
        for (const [label, t] of [['SIMD', simd], ['scalar', scalar]]) {
          const r = t.using(t.createModel(options), (m) => m.recall(cue, { ...s, recordStates: false }));
          const what = `${label} ${s.schedule}`;
          assert.equal(r.steps, native.steps, `${what} steps`);
          assert.equal(r.stop, native.stop, `${what} stop`);
          assertSameBits(r.energy, native.energy, `${what} energy`);
          assertSameBits(r.finalVisible, native.final_visible, `${what} final visible`);
          assertSameBits(r.finalHidden, native.final_hidden, `${what} final hidden`);
        }
      }
    });
  }
});

describe('exhaustive capacity counts through the fast walk equal the native CLI', () => {
  const cases = [
    { name: '±1, N_v = 1000, N_h = 16 (int16 lanes)', nv: 1000, nh: 16, theta: 0.5, weights: 'pm1', visible: 'linear' },
    { name: '±1, N_v = 100, N_h = 12, partial (int16 lanes)', nv: 100, nh: 12, theta: 0.5, weights: 'pm1', visible: 'linear' },
    { name: '±1, N_h = 1', nv: 10, nh: 1, theta: 0.5, weights: 'pm1', visible: 'linear' },
    { name: '±1, N_h = 17 (three int16 vectors)', nv: 300, nh: 17, theta: 0.5, weights: 'pm1', visible: 'linear' },
    { name: 'integers up to ±40 (int32 lanes)', nv: 500, nh: 10, theta: 60, weights: 'int', visible: 'linear' },
    { name: 'Gaussian (double lanes)', nv: 200, nh: 13, theta: 0.4, weights: 'gauss', visible: 'linear' },
    { name: '±1, binary visible (popcount per code)', nv: 150, nh: 10, theta: 0.1, weights: 'pm1', visible: 'binary' },
  ];
  let seed = 500;
  for (const c of cases) {
    test(c.name, () => {
      const s0 = seed++;
      const weights = c.weights === 'int' ? integerWeights(c.nv, c.nh, 40, s0) : simd.randomWeights(c.nv, c.nh, c.weights, s0);
      const file = npy(columnMajorToCOrder(weights, c.nv, c.nh), [c.nv, c.nh]);
      const native = cliJson(['capacity', '--nv', c.nv, '--nh', c.nh, '--theta', c.theta, '--weights', file,
        '--visible', c.visible].map(String));
      assert.equal(native.exhaustive, true);
      for (const [label, t] of [['SIMD', simd], ['scalar', scalar]]) {
        const r = t.using(
          t.createModel({ kind: 'threshold', weights, nv: c.nv, nh: c.nh, theta: c.theta, visible: c.visible }),
          (m) => m.countStableCodes({}),
        );
        assert.equal(r.stable, native.stable, `${label} stable`);
        assert.equal(r.total, native.total, `${label} total`);
        assert.ok(Object.is(r.fraction, native.fraction), `${label} fraction`);
      }
    });
  }

  test('with an input current (double lanes): SIMD and scalar builds agree', () => {
    const run = (t) => {
      const weights = t.randomWeights(120, 14, 'pm1', 9);
      const input = t.corrupt(new Float64Array(120), { kind: 'gaussian', level: 0.3, seed: 10 });
      return t.using(t.createModel({ kind: 'threshold', weights, nv: 120, nh: 14, theta: 0.4, input }), (m) =>
        m.countStableCodes({}),
      );
    };
    assert.deepEqual(run(simd), run(scalar));
  });

  test('progress arrives every 4,096 codes, the same in both builds', () => {
    const fractions = (t) => {
      const seen = [];
      t.using(t.createModel({ kind: 'threshold', weights: t.randomWeights(100, 14, 'pm1', 3), nv: 100, nh: 14 }), (m) =>
        m.countStableCodes({}, (f) => {
          seen.push(f);
          return true;
        }),
      );
      return seen;
    };
    const a = fractions(simd);
    assert.deepEqual(a, Array.from({ length: 4 }, (_, k) => ((k + 1) * 4096) / 16384));
    assert.deepEqual(fractions(scalar), a);
  });
});
