// Same seed, same result: the wasm module against the native CLI
// (build/native/tdam), bit for bit. Doubles come from the CLI's .npy files
// (raw float64) or its JSON, whose numbers are written with the shortest of
// %.15g/%.16g/%.17g that round-trips, so JSON.parse gives the same double.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import {
  cOrderToColumnMajor,
  cli,
  cliJson,
  derivedSeed,
  firstDifference,
  readNpy,
  requireCli,
  sameBits,
  tdamModule,
  tempDir,
  writeNpy,
} from './helpers.mjs';
import fs from 'node:fs';

let tdam;
let dir;
before(async () => {
  requireCli();
  tdam = await tdamModule();
  dir = tempDir();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function assertSameBits(actual, expected, what) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  const i = firstDifference(actual, expected);
  assert.ok(sameBits(actual, expected), `${what}: first difference at ${i}: ${actual[i]} vs ${expected[i]}`);
}

// Native weights for (nv, nh, kind, seed), as the CLI writes them, column-major.
function nativeWeights(nv, nh, kind, seed) {
  const file = path.join(dir, `w_${nv}_${nh}_${kind}_${seed}.npy`);
  if (!fs.existsSync(file)) {
    cli(['generate', 'weights', '--nv', nv, '--nh', nh, '--kind', kind, '--seed', seed, '--out', file].map(String));
  }
  const { shape, data } = readNpy(file);
  assert.deepEqual(shape, [nv, nh]);
  return { file, weights: cOrderToColumnMajor(data, nv, nh) };
}

describe('golden RNG checksum', () => {
  test('sum of the first 1000 Rng(42).normal() is 0x1.2f9f037d3c1d8p+5', () => {
    const golden = Number(0x12f9f037d3c1d8n) * 2 ** -47; // 0x1.2f9f037d3c1d8p+5 exactly
    assert.equal(golden, 37.952643373868057);
    const x = tdam.randomWeights(1000, 1, 'gauss', 42); // one normal() per entry, in order
    let sum = 0;
    for (let i = 0; i < x.length; i++) sum += x[i];
    assert.ok(Object.is(sum, golden), `wasm sum ${sum} (${sum.toString(16)}), expected ${golden}`);
    // And the native draw is the same, entry for entry.
    assertSameBits(x, nativeWeights(1000, 1, 'gauss', 42).weights, 'Rng(42) normals');
  });
});

describe('random data', () => {
  for (const [nv, nh, kind, seed] of [
    [50, 7, 'pm1', 1],
    [64, 9, 'gauss', 42],
    [33, 5, 'gauss', 18446744073709551615n],
  ]) {
    test(`randomWeights(${nv}, ${nh}, '${kind}', ${seed}) equals tdam generate weights`, () => {
      assertSameBits(tdam.randomWeights(nv, nh, kind, seed), nativeWeights(nv, nh, kind, seed).weights, 'weights');
    });
  }

  test('randomPatterns equals tdam generate patterns', () => {
    const file = path.join(dir, 'patterns.npy');
    cli(['generate', 'patterns', '--nv', '40', '--count', '6', '--seed', '9', '--out', file]);
    const { shape, data } = readNpy(file);
    assert.deepEqual(shape, [6, 40]); // one pattern per row: C order = our column-major nv x count
    assertSameBits(tdam.randomPatterns(40, 6, 9), data, 'patterns');
  });

  for (const [kind, level, visible, extra] of [
    ['flip', 0.25, 'binary', {}],
    ['gaussian', 0.7, 'linear', {}],
    ['gaussian', 0.7, 'binary', {}],
    ['occlude', 0.3, 'binary', { rows: 8, cols: 5 }],
    ['occlude', 0.5, 'linear', {}],
  ]) {
    test(`corrupt ${kind} ${level} ${visible} ${JSON.stringify(extra)} equals tdam generate cue`, () => {
      const { file, weights } = nativeWeights(40, 4, 'pm1', 5);
      const out = path.join(dir, 'cue.npy');
      const args = ['generate', 'cue', '--from', file, '--column', '2', '--corruption', kind, '--level', String(level)];
      args.push('--visible', visible, '--seed', '77', '--out', out);
      if (extra.rows) args.push('--rows', String(extra.rows), '--cols', String(extra.cols));
      cli(args);
      const column = weights.subarray(2 * 40, 3 * 40);
      const mine = tdam.corrupt(column, { kind, level, visible, seed: 77, ...extra });
      assertSameBits(mine, readNpy(out).data, 'cue');
    });
  }
});

describe('recall trajectories', () => {
  const nv = 96;
  const nh = 10;
  // Models as the CLI names them, with the options both sides get.
  const models = [
    { kind: 'threshold', visible: 'linear', theta: 0.5, weights: 'gauss' },
    { kind: 'threshold', visible: 'binary', theta: 0.1, weights: 'pm1' },
    { kind: 'softmax', visible: 'linear', beta: 0.5, weights: 'gauss' },
    { kind: 'softmax', visible: 'binary', beta: 0.05, weights: 'pm1' },
    { kind: 'polynomial', visible: 'binary', order: 3, weights: 'pm1' },
    { kind: 'hopfield', visible: 'binary', weights: 'pm1' },
  ];
  const schedules = [
    { schedule: 'sync', maxSteps: 50 },
    { schedule: 'async', maxSteps: 20, seed: 12345 },
    { schedule: 'continuous', maxSteps: 60, dt: 0.25, tauV: 1, tauH: 0.5, tolerance: 1e-7 },
  ];

  // A cue: a mix of columns, corrupted (binary models: flipped ±1 pixels).
  function makeCue(m, weights) {
    if (m.kind === 'threshold') {
      const network = tdam.createModel({ ...modelOptions(m), weights, nv, nh });
      try {
        const code = new Float64Array(nh).map((_, mu) => (mu % 3 === 0 ? 1 : 0));
        const pattern = network.codePattern(code);
        const kind = m.visible === 'binary' ? 'flip' : 'gaussian';
        return tdam.corrupt(pattern, { kind, level: m.visible === 'binary' ? 0.2 : 0.8, visible: m.visible, seed: 3 });
      } finally {
        network.delete();
      }
    }
    const column = weights.slice(nv, 2 * nv);
    if (m.visible === 'binary') return tdam.corrupt(column, { kind: 'flip', level: 0.3, visible: 'binary', seed: 4 });
    return tdam.corrupt(column, { kind: 'gaussian', level: 0.6, visible: 'linear', seed: 4 });
  }

  function modelOptions(m) {
    const o = { kind: m.kind, visible: m.visible };
    if (m.theta !== undefined) o.theta = m.theta;
    if (m.beta !== undefined) o.beta = m.beta;
    if (m.order !== undefined) o.order = m.order;
    return o;
  }

  function cliArgs(m, s, weightsFile, cueFile) {
    const args = ['recall', '--model', m.kind, '--visible', m.visible, '--weights', weightsFile, '--cue', cueFile];
    if (m.theta !== undefined) args.push('--theta', String(m.theta));
    if (m.beta !== undefined) args.push('--beta', String(m.beta));
    if (m.order !== undefined) args.push('--order', String(m.order));
    args.push('--schedule', s.schedule, '--max-steps', String(s.maxSteps));
    if (s.seed !== undefined) args.push('--seed', String(s.seed));
    if (s.dt !== undefined) args.push('--dt', String(s.dt), '--tau-v', String(s.tauV), '--tau-h', String(s.tauH));
    if (s.tolerance !== undefined) args.push('--tolerance', String(s.tolerance));
    return args;
  }

  let index = 0;
  for (const m of models) {
    for (const s of schedules) {
      const id = index++;
      test(`${m.kind} (${m.visible}) ${s.schedule}`, () => {
        const { file, weights } = nativeWeights(nv, nh, m.weights, 100 + id);
        const cue = makeCue(m, weights);
        const cueFile = path.join(dir, `cue_${id}.npy`);
        writeNpy(cueFile, cue);
        const native = cliJson(cliArgs(m, s, file, cueFile));
        const model = tdam.createModel({ ...modelOptions(m), weights, nv, nh });
        try {
          const mine = model.recall(cue, { ...s, recordStates: true });
          assert.equal(mine.steps, native.steps, 'steps');
          assert.equal(mine.stop, native.stop, 'stop');
          assertSameBits(mine.energy, native.energy, 'energy');
          assertSameBits(mine.finalVisible, native.final_visible, 'final visible');
          assertSameBits(mine.finalHidden, native.final_hidden, 'final hidden');
          // The recorded trajectory ends in the final state.
          assert.equal(mine.visible.length, (mine.steps + 1) * nv);
          assertSameBits(mine.visible.subarray(mine.steps * nv), mine.finalVisible, 'last recorded state');
          // Step by step gives the same energies.
          const d = model.dynamics(cue, s);
          try {
            const energies = [d.energy];
            while (d.steps < s.maxSteps && d.step()) energies.push(d.energy);
            assertSameBits(energies, native.energy, 'dynamics energies');
            assertSameBits(d.visible, native.final_visible, 'dynamics final visible');
          } finally {
            d.delete();
          }
        } finally {
          model.delete();
        }
      });
    }
  }

  test('threshold network with an input current', () => {
    const { file, weights } = nativeWeights(nv, nh, 'gauss', 7);
    const input = tdam.corrupt(new Float64Array(nv), { kind: 'gaussian', level: 0.3, seed: 8 });
    const cue = tdam.corrupt(weights.slice(0, nv), { kind: 'gaussian', level: 0.5, seed: 9 });
    const cueFile = path.join(dir, 'cue_input.npy');
    const inputFile = path.join(dir, 'input.npy');
    writeNpy(cueFile, cue);
    writeNpy(inputFile, input);
    for (const schedule of ['sync', 'async', 'continuous']) {
      const native = cliJson(['recall', '--model', 'threshold', '--weights', file, '--cue', cueFile,
        '--input', inputFile, '--schedule', schedule, '--theta', '0.3']);
      const r = tdam.using(tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: 0.3, input }), (model) =>
        model.recall(cue, { schedule, recordStates: false }),
      );
      assert.equal(r.steps, native.steps, `${schedule} steps`);
      assert.equal(r.stop, native.stop, `${schedule} stop`);
      assertSameBits(r.energy, native.energy, `${schedule} energy`);
      assertSameBits(r.finalVisible, native.final_visible, `${schedule} final visible`);
      assertSameBits(r.finalHidden, native.final_hidden, `${schedule} final hidden`);
      assert.equal(r.visible, null);
    }
  });
});

describe('capacity counts', () => {
  for (const c of [
    { nv: 100, nh: 8, theta: 0.5, weights: 'pm1', seed: 1, visible: 'linear' },
    { nv: 100, nh: 12, theta: 0.5, weights: 'pm1', seed: 2, visible: 'linear' },
    { nv: 60, nh: 10, theta: 0.4, weights: 'gauss', seed: 3, visible: 'linear' },
    { nv: 100, nh: 9, theta: 0.1, weights: 'pm1', seed: 4, visible: 'binary' },
    { nv: 100, nh: 30, theta: 0.5, weights: 'pm1', seed: 5, visible: 'linear', samples: 20000 },
    { nv: 80, nh: 40, theta: 0.2, weights: 'gauss', seed: 6, visible: 'binary', samples: 3000 },
  ]) {
    test(`tdam capacity ${JSON.stringify(c)}`, () => {
      const args = ['capacity', '--nv', c.nv, '--nh', c.nh, '--theta', c.theta, '--weights', c.weights];
      args.push('--seed', c.seed, '--visible', c.visible);
      if (c.samples) args.push('--samples', c.samples);
      const native = cliJson(args.map(String));
      const weights = tdam.randomWeights(c.nv, c.nh, c.weights, c.seed);
      const model = tdam.createModel({ kind: 'threshold', weights, nv: c.nv, nh: c.nh, theta: c.theta, visible: c.visible });
      try {
        // The CLI samples codes from a stream derived from --seed.
        const r = model.countStableCodes(c.samples ? { samples: c.samples, seed: derivedSeed(c.seed, 1) } : {});
        assert.equal(r.exhaustive, native.exhaustive);
        assert.equal(r.total, native.total);
        assert.equal(r.checked, native.samples);
        assert.equal(r.stableChecked, native.stable_samples);
        assert.ok(Object.is(r.fraction, native.fraction), `fraction ${r.fraction} vs ${native.fraction}`);
        assert.deepEqual(r.fractionCi95, native.fraction_ci95);
        assert.deepEqual(r.stableCi95, native.ci95);
        assert.equal(c.samples ? Math.round(r.stable) : r.stable, native.stable);
      } finally {
        model.delete();
      }
    });
  }

  test('the SIMD and the scalar builds agree', async () => {
    const scalar = await tdamModule({ simd: false });
    assert.equal(scalar.simd, false);
    for (const t of [tdam, scalar]) assert.equal(t.version, tdam.version);
    const run = (t) => {
      const weights = t.randomWeights(120, 14, 'gauss', 11);
      return t.using(t.createModel({ kind: 'threshold', weights, nv: 120, nh: 14, theta: 0.3 }), (m) => {
        const cue = t.corrupt(weights.slice(0, 120), { kind: 'gaussian', level: 1, seed: 2 });
        const rs = ['sync', 'async', 'continuous'].map((schedule) => m.recall(cue, { schedule, maxSteps: 40 }));
        return { weights, capacity: m.countStableCodes(), rs };
      });
    };
    const a = run(tdam);
    const b = run(scalar);
    assertSameBits(a.weights, b.weights, 'weights');
    assert.deepEqual(a.capacity, b.capacity);
    for (let i = 0; i < a.rs.length; i++) {
      assertSameBits(a.rs[i].energy, b.rs[i].energy, `schedule ${i} energy`);
      assertSameBits(a.rs[i].visible, b.rs[i].visible, `schedule ${i} states`);
    }
  });
});
