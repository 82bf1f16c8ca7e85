// No heap growth and no leaked C++ objects over many calls. Two measures:
// the linear memory's size (HEAP8.length, which only grows) and the bytes
// malloc has handed out right now (mallinfo, via tdam.stats().heapUsed),
// which catches a leak long before it would grow the heap.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { tdamModule } from './helpers.mjs';

let tdam;
before(async () => {
  tdam = await tdamModule();
});

function snapshot() {
  const s = tdam.stats();
  assert.equal(s.heapBytes, tdam.core.HEAP8.length, 'stats().heapBytes is the heap size');
  return { ...s, heap8: tdam.core.HEAP8.length, buffer: tdam.core.HEAP8.buffer.byteLength };
}

// Runs body(i) `warmup` times, snapshots, runs it `count` times, and checks
// that nothing grew.
function assertFlat(count, body, warmup = 200) {
  for (let i = 0; i < warmup; i++) body(i);
  const before = snapshot();
  for (let i = 0; i < count; i++) body(i);
  const after = snapshot();
  assert.deepEqual(after, before);
}

describe('memory stays flat', () => {
  const nv = 100;
  const nh = 12;
  let weights;
  let cues;
  before(() => {
    weights = tdam.randomWeights(nv, nh, 'pm1', 1);
    cues = Array.from({ length: 16 }, (_, k) => tdam.corrupt(weights.slice(0, nv), { kind: 'flip', level: 0.2, seed: k }));
  });

  test('10,000 recall calls', () => {
    const m = tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: 0.5 });
    const schedules = ['sync', 'async', 'continuous'];
    let steps = 0;
    assertFlat(10000, (i) => {
      const r = m.recall(cues[i % cues.length], { schedule: schedules[i % 3], seed: i, maxSteps: 30, recordStates: i % 2 === 0 });
      steps += r.steps;
    });
    assert.ok(steps > 0);
    m.delete();
    assert.equal(tdam.stats().liveModels, 0);
  });

  test('10,000 dynamics created, stepped and deleted', () => {
    const m = tdam.createModel({ kind: 'hopfield', weights, nv, nh });
    assertFlat(10000, (i) => {
      const d = m.dynamics(cues[i % cues.length], { schedule: i % 2 ? 'async' : 'sync', seed: i });
      d.step();
      void d.visible;
      void d.hidden;
      d.delete();
    });
    assert.equal(tdam.stats().liveDynamics, 0);
    m.delete();
  });

  test('readVisible / readHidden: the same numbers as the getters, into reused arrays, across heap growth', () => {
    const m = tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: 0.5, visible: 'binary' });
    const d = m.dynamics(cues[0], { schedule: 'sync' });
    const v = new Float64Array(nv);
    const h = new Float64Array(nh);
    for (let k = 0; k < 3; k++) {
      assert.equal(d.readVisible(v), v);
      assert.equal(d.readHidden(h), h);
      assert.deepEqual(v, d.visible);
      assert.deepEqual(h, d.hidden);
      d.step();
    }
    // Grow the heap (a large model), then read again: the view is re-read.
    const before = tdam.core.HEAP8.length;
    const big = tdam.createModel({ kind: 'hopfield', weights: new Float64Array(2000 * 4000).fill(1), nv: 2000, nh: 4000 });
    assert.ok(tdam.core.HEAP8.length > before, 'the heap grew');
    assert.deepEqual(d.readVisible(v), d.visible);
    assert.deepEqual(d.readHidden(), d.hidden);
    big.delete();
    assert.throws(() => d.readVisible(new Float64Array(nv + 1)), /readVisible: out must be a Float64Array of length 100/);
    assert.throws(() => d.readHidden([0]), /readHidden: out must be a Float64Array of length 12/);
    // No allocation in the wasm heap per read.
    assertFlat(10000, () => {
      d.readVisible(v);
      d.readHidden(h);
    });
    d.delete();
    assert.throws(() => d.readVisible(v), /deleted/);
    m.delete();
  });

  test('2,000 models created and deleted, of every kind', () => {
    const kinds = ['threshold', 'softmax', 'polynomial', 'hopfield'];
    assertFlat(2000, (i) => {
      const m = tdam.createModel({ kind: kinds[i % 4], weights, nv, nh, theta: new Float64Array(nh).fill(0.4) });
      m.energy(cues[0]);
      m.overlaps(cues[0]);
      m.delete();
    });
    assert.equal(tdam.stats().liveModels, 0);
  });

  test('5,000 failing calls', () => {
    const m = tdam.createModel({ kind: 'threshold', weights, nv, nh });
    const bad = weights.slice();
    bad[3] = NaN;
    assertFlat(5000, (i) => {
      assert.throws(() => {
        if (i % 3 === 0) m.recall(cues[0], { schedule: 'nope' });
        else if (i % 3 === 1) m.recall(new Float64Array(nv - 1));
        else tdam.createModel({ kind: 'threshold', weights: bad, nv, nh });
      });
    });
    m.delete();
  });

  test('a dynamics outlives its model', () => {
    const m = tdam.createModel({ kind: 'threshold', weights, nv, nh });
    const d = m.dynamics(cues[1]);
    m.delete();
    assert.equal(tdam.stats().liveModels, 0);
    while (d.step());
    assert.equal(d.visible.length, nv);
    d.delete();
    assert.equal(tdam.stats().liveDynamics, 0);
  });

  test('large inputs are staged temporarily and freed', () => {
    const big = tdam.randomWeights(2000, 100, 'gauss', 3); // 1.6 MB, above the kept scratch block
    const used = tdam.stats().heapUsed;
    for (let i = 0; i < 5; i++) tdam.createModel({ kind: 'threshold', weights: big, nv: 2000, nh: 100 }).delete();
    assert.equal(tdam.stats().heapUsed, used);
  });
});
