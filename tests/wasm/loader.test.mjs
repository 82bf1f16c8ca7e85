// loadTdam under Node: its options, and the API's shape.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';

import { loadTdam, TdamError } from '../../wasm/js/tdam.js';
import { sameBits, tdamModule, wasmDir } from './helpers.mjs';

const expected = async () => (await tdamModule()).randomWeights(20, 3, 'gauss', 5);

test('defaults: the build in build/wasm, bytes read with fs', async () => {
  const tdam = await tdamModule();
  assert.equal(tdam.version, '0.1.0');
  assert.equal(tdam.simd, true);
  for (const name of ['randomWeights', 'randomPatterns', 'scaleParts', 'corrupt', 'createModel', 'using']) {
    assert.equal(typeof tdam[name], 'function', name);
  }
});

test('an explicit wasmBinary', async () => {
  const bytes = fs.readFileSync(path.join(wasmDir, 'tdam_core.wasm'));
  const tdam = await loadTdam({ wasmBinary: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) });
  assert.ok(sameBits(tdam.randomWeights(20, 3, 'gauss', 5), await expected()));
});

test('locateFile and baseUrl', async () => {
  const asked = [];
  const base = pathToFileURL(wasmDir + path.sep).href;
  const a = await loadTdam({
    locateFile: (name) => {
      asked.push(name);
      return new URL(name, base).href;
    },
  });
  assert.deepEqual([...new Set(asked)].sort(), ['tdam_core.js', 'tdam_core.wasm']); // Emscripten asks for the .wasm too
  const b = await loadTdam({ baseUrl: base, simd: false });
  assert.equal(b.simd, false);
  assert.ok(sameBits(a.randomWeights(20, 3, 'gauss', 5), await expected()));
  assert.ok(sameBits(b.randomWeights(20, 3, 'gauss', 5), await expected()));
});

test('bad loader options', async () => {
  await assert.rejects(loadTdam({ wasmBinay: new ArrayBuffer(8) }), (e) => e instanceof TdamError && /unknown loadTdam option 'wasmBinay'/.test(e.message));
  await assert.rejects(loadTdam({ baseUrl: pathToFileURL('/nonexistent/').href }), /ENOENT/);
});

test('model properties and using()', async () => {
  const tdam = await tdamModule();
  const weights = tdam.randomWeights(30, 4, 'pm1', 2);
  const m = tdam.createModel({ kind: 'softmax', weights, nv: 30, nh: 4 });
  assert.deepEqual([m.nv, m.nh, m.kind, m.visible], [30, 4, 'softmax', 'linear']);
  m.delete();
  assert.equal(m.isDeleted(), true);
  const p = tdam.createModel({ kind: 'polynomial', weights, nv: 30, nh: 4 });
  assert.equal(p.visible, 'binary'); // the CLI's default for polynomial and hopfield
  assert.equal(tdam.using(p, (x) => x.countStablePatterns('async')), 4);
  assert.equal(p.isDeleted(), true);
  const q = tdam.createModel({ kind: 'hopfield', weights, nv: 30, nh: 4 });
  await tdam.using(q, async (x) => x.nv);
  assert.equal(q.isDeleted(), true);
  assert.equal(tdam.stats().liveModels, 0);
});
