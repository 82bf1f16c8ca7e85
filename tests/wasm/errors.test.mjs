// Every failure reaches JS as an Error carrying the C++ core's message, and
// the module stays usable (and leak-free) afterwards.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { TdamError } from '../../wasm/js/tdam.js';
import { sameBits, tdamModule } from './helpers.mjs';

let tdam;
let weights;
let reference; // a recall result computed before any error
const nv = 64;
const nh = 6;

function healthyRecall() {
  return tdam.using(tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: 0.4 }), (m) =>
    m.recall(weights.slice(0, nv), { schedule: 'async', seed: 3 }),
  );
}

before(async () => {
  tdam = await tdamModule();
  weights = tdam.randomWeights(nv, nh, 'gauss', 5);
  reference = healthyRecall();
});

// Runs fn, which must throw a TdamError whose message matches; then checks
// that the module still gives the reference result and leaked nothing.
function expectError(fn, message) {
  const before = tdam.stats();
  let error;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected an error matching ${message}`);
  assert.ok(error instanceof Error, 'a JS Error');
  assert.ok(error instanceof TdamError, `a TdamError, got ${error?.name}: ${error?.message}`);
  assert.match(error.message, message);
  const r = healthyRecall();
  assert.ok(sameBits(r.energy, reference.energy) && sameBits(r.finalVisible, reference.finalVisible), 'still usable');
  const now = tdam.stats();
  assert.equal(now.liveModels, before.liveModels, 'no model leaked');
  assert.equal(now.liveDynamics, before.liveDynamics, 'no dynamics leaked');
  return error;
}

describe('bad sizes', () => {
  test('random weights with nv = 0', () => {
    expectError(() => tdam.randomWeights(0, 4), /^random_weights: nv must be in \[1, 1048576\], got 0$/);
  });
  test('random weights past the size limit', () => {
    expectError(() => tdam.randomWeights(1 << 20, 1 << 10), /nv \* nh = 1073741824 exceeds the limit of 67108864 entries/);
  });
  test('non-integer sizes', () => {
    expectError(() => tdam.randomWeights(10.5, 3), /^nv must be an integer \(got 10\.5\)$/);
    expectError(() => tdam.randomPatterns(10, undefined), /^count must be an integer \(got NaN\)$/);
  });
  test('weights whose length is not nv * nh', () => {
    expectError(
      () => tdam.createModel({ kind: 'threshold', weights, nv, nh: nh + 1 }),
      /^weights have 384 entries, expected nv \* nh = 64 \* 7 = 448$/,
    );
  });
  test('empty weights', () => {
    expectError(
      () => tdam.createModel({ kind: 'softmax', weights: new Float64Array(0), nv: 0, nh: 0 }),
      /^softmax weights must have at least one row and one column \(got 0 x 0\)$/,
    );
  });
  test('negative sizes', () => {
    expectError(
      () => tdam.createModel({ kind: 'threshold', weights: [1], nv: -1, nh: -1 }),
      /^nv and nh must not be negative \(got -1 x -1\)$/,
    );
  });
  test('missing weights or sizes', () => {
    expectError(() => tdam.createModel({ kind: 'threshold', nv, nh }), /^createModel: weights are required$/);
    expectError(() => tdam.createModel({ kind: 'threshold', weights, nv }), /^createModel: nh is required$/);
  });
  test('theta vector of the wrong size', () => {
    expectError(
      () => tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: new Float64Array(nh - 1) }),
      /^theta has 5 entries, expected one per hidden unit \(N_h = 6\)$/,
    );
  });
  test('wrong-size cue, state, code and input', () => {
    tdam.using(tdam.createModel({ kind: 'threshold', weights, nv, nh }), (m) => {
      expectError(() => m.recall(new Float64Array(nv - 1)), /^cue has 63 entries, expected N_v = 64$/);
      expectError(() => m.dynamics(new Float64Array(nv + 1)), /^cue has 65 entries, expected N_v = 64$/);
      expectError(() => m.energy(new Float64Array(3)), /^state has 3 entries, expected N_v = 64$/);
      expectError(() => m.overlaps(new Float64Array(3)), /^state has 3 entries, expected N_v = 64$/);
      expectError(() => m.isStableCode(new Float64Array(nh + 2)), /^code has 8 entries, expected N_h = 6$/);
      expectError(() => m.codePattern([1, 0, 2, 0, 0, 0]), /^code entries must be 0 or 1 \(entry 2 is 2\.000000\)$/);
    });
    expectError(
      () => tdam.createModel({ kind: 'threshold', weights, nv, nh, input: new Float64Array(2) }),
      /^input current has 2 entries, expected N_v = 64$/,
    );
  });
  test('scaleParts with a zero part', () => {
    const parts = new Float64Array(8 * 2).fill(1);
    parts.fill(0, 8);
    expectError(() => tdam.scaleParts(parts, 8, 2), /^part 1 is empty \(all zero\)$/);
  });
});

describe('non-finite values', () => {
  test('NaN weights', () => {
    const bad = weights.slice();
    bad[nv * 2 + 5] = NaN;
    expectError(
      () => tdam.createModel({ kind: 'threshold', weights: bad, nv, nh }),
      /^threshold weights contain a non-finite value at row 5, column 2$/,
    );
    expectError(
      () => tdam.createModel({ kind: 'hopfield', weights: bad, nv, nh }),
      /^hopfield weights contain a non-finite value at row 5, column 2$/,
    );
  });
  test('infinite and non-numeric cue entries', () => {
    tdam.using(tdam.createModel({ kind: 'threshold', weights, nv, nh }), (m) => {
      const cue = new Float64Array(nv);
      cue[7] = Infinity;
      expectError(() => m.recall(cue), /^cue has a non-finite value at entry 7$/);
      const array = Array.from({ length: nv }, (_, i) => (i === 9 ? 'x' : 0));
      expectError(() => m.recall(array), /^cue has a non-finite value at entry 9$/);
    });
  });
  test('non-±1 cue for binary neurons', () => {
    tdam.using(tdam.createModel({ kind: 'hopfield', weights, nv, nh }), (m) => {
      expectError(() => m.recall(new Float64Array(nv).fill(1).fill(0.5, 3, 4)), /^cue must be ±1 for binary visible neurons \(entry 3 is 0\.500000\)$/);
    });
  });
  test('NaN theta', () => {
    expectError(() => tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: NaN }), /^theta must be finite \(entry 0 is nan\)$/);
  });
});

describe('bad options', () => {
  let m;
  before(() => {
    m = tdam.createModel({ kind: 'threshold', weights, nv, nh });
  });
  const cue = () => weights.slice(0, nv);
  test('unknown names', () => {
    expectError(() => tdam.createModel({ kind: 'boltzmann', weights, nv, nh }), /^unknown model 'boltzmann' \(expected threshold, softmax, polynomial or hopfield\)$/);
    expectError(() => tdam.createModel({ kind: 'threshold', weights, nv, nh, visible: 'ternary' }), /^unknown visible neuron type 'ternary' \(expected linear or binary\)$/);
    expectError(() => m.recall(cue(), { schedule: 'parallel' }), /^unknown schedule 'parallel' \(expected sync, async or continuous\)$/);
    expectError(() => m.countStablePatterns('continuous'), /^fixed points are checked with the sync or async schedule$/);
    expectError(() => tdam.randomWeights(4, 4, 'uniform'), /^unknown weights 'uniform'/);
    expectError(() => tdam.corrupt(cue(), { kind: 'blur' }), /^unknown corruption 'blur' \(expected flip, occlude or gaussian\)$/);
  });
  test('misspelt keys are refused by name', () => {
    expectError(() => m.recall(cue(), { max_steps: 5 }), /^unknown recall option key 'max_steps' \(expected schedule, maxSteps, seed, dt, tauV, tauH, tolerance, recordStates\)$/);
    expectError(() => tdam.createModel({ kind: 'threshold', weights, nv, nh, thetta: 1 }), /^unknown createModel option key 'thetta'/);
    expectError(() => m.countStableCodes({ sample: 10 }), /^unknown countStableCodes option key 'sample' \(expected samples, seed\)$/);
  });
  test('values out of range', () => {
    expectError(() => m.recall(cue(), { maxSteps: -1 }), /^recall option maxSteps must be an integer between 0 and 1000000 \(got -1\)$/);
    expectError(() => m.recall(cue(), { maxSteps: 2.5 }), /^recall option maxSteps must be an integer between 0 and 1000000 \(got 2\.5\)$/);
    expectError(() => m.recall(cue(), { tolerance: -1 }), /^tolerance must be finite and >= 0/);
    expectError(() => m.recall(cue(), { schedule: 'continuous', dt: 2 }), /^dt = 2\.000000 is outside the stable range 0 < dt <= min\(tau_v, tau_h\) = 1\.000000$/);
    expectError(() => m.recall(cue(), { schedule: 'continuous', tauH: 0 }), /^tau_h must be positive and finite$/);
    expectError(() => m.countStableCodes({ samples: -5 }), /^countStableCodes option samples must be an integer between 0 and 100000000 \(got -5\)$/);
    expectError(() => tdam.createModel({ kind: 'softmax', weights, nv, nh, beta: 0 }), /beta/);
    expectError(() => tdam.createModel({ kind: 'polynomial', weights, nv, nh, order: 2.5 }), /^polynomial order must be an integer \(got 2\.500000\)$/);
    expectError(() => tdam.createModel({ kind: 'polynomial', weights, nv, nh, visible: 'linear' }), /^the polynomial model has binary visible neurons only/);
    expectError(() => tdam.corrupt(cue(), { kind: 'flip', level: 1.5 }), /^flip_fraction: p must be in \[0, 1\], got 1\.5$/);
    expectError(() => tdam.corrupt(cue(), { kind: 'occlude', level: 0.5, rows: 7, cols: 9 }), /^image shape 7 x 9 does not match N_v = 64$/);
  });
  test('values of the wrong type', () => {
    expectError(() => m.recall(cue(), { maxSteps: '10' }), /^recall option maxSteps must be a number \(got a string\)$/);
    expectError(() => m.recall(cue(), { recordStates: 1 }), /^recall option recordStates must be true or false \(got a number\)$/);
    expectError(() => m.recall(cue(), 'fast'), /^recall option must be an object \(got a string\)$/);
    expectError(() => m.recall('cue'), /^cue must be a Float64Array or an array of numbers$/);
    expectError(() => tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: '0.5' }), /^createModel option theta must be a number \(got a string\)$/);
  });
  test('seeds', () => {
    expectError(() => m.recall(cue(), { seed: -1 }), /^recall option seed must be an integer between 0 and 18446744073709551615 \(got -1\)$/);
    expectError(() => m.recall(cue(), { seed: 1.5 }), /\(got 1\.5\)$/);
    expectError(() => m.recall(cue(), { seed: 2n ** 64n }), /\(got '18446744073709551616'\)$/);
    expectError(() => tdam.randomWeights(4, 4, 'pm1', 'abc'), /^seed must be an integer between 0 and 18446744073709551615 \(got 'abc'\)$/);
    // Accepted forms, all the same seed.
    const a = tdam.randomWeights(5, 3, 'gauss', 12345);
    assert.ok(sameBits(a, tdam.randomWeights(5, 3, 'gauss', 12345n)));
    assert.ok(sameBits(a, tdam.randomWeights(5, 3, 'gauss', '12345')));
  });
  test('threshold-only methods on a baseline', () => {
    tdam.using(tdam.createModel({ kind: 'softmax', weights, nv, nh }), (s) => {
      expectError(() => s.countStableCodes(), /^countStableCodes needs a threshold model \(this one is softmax\)$/);
      expectError(() => s.isStableCode(new Float64Array(nh)), /^isStableCode needs a threshold model \(this one is softmax\)$/);
    });
  });
  test('a deleted object', () => {
    const d = tdam.createModel({ kind: 'threshold', weights, nv, nh });
    d.delete();
    d.delete(); // idempotent
    expectError(() => d.recall(cue()), /^this object was deleted/);
  });
  test('cancellation and a throwing progress callback', () => {
    const big = tdam.randomWeights(40, 18, 'pm1', 1);
    tdam.using(tdam.createModel({ kind: 'threshold', weights: big, nv: 40, nh: 18 }), (b) => {
      let calls = 0;
      const e = expectError(() => b.countStableCodes({}, () => ++calls < 2), /^cancelled$/);
      assert.equal(e.cancelled, true);
      assert.equal(calls, 2);
      assert.throws(
        () => b.countStableCodes({}, () => {
          throw new RangeError('from the callback');
        }),
        { name: 'RangeError', message: 'from the callback' },
      );
      const fractions = [];
      const r = b.countStableCodes({}, (f) => void fractions.push(f));
      assert.equal(r.checked, 2 ** 18 - 1);
      // reported every 4,096 codes of the 2^18 walked
      assert.equal(fractions.length, 2 ** 18 / 4096);
      assert.deepEqual(fractions, fractions.map((_, k) => (k + 1) / 64));
    });
  });
  test('a failed call leaves no stale error behind', () => {
    expectError(() => m.recall(cue(), { schedule: 'x' }), /schedule/);
    assert.equal(tdam.core.takeError(), '');
  });
});
