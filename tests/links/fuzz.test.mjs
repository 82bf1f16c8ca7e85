// A bounded pass of the link fuzzer (scripts/fuzz-links.mjs; run it longer by
// hand with --seconds N).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fuzz } from '../../scripts/fuzz-links.mjs';

test('fuzz: random and mutated links give a valid state or a LinkError, quickly', async () => {
  const seconds = Number(process.env.FUZZ_SECONDS || 4);
  const r = await fuzz({ seconds, seed: Number(process.env.FUZZ_SEED || 1), maxMs: 2000 });
  console.log(`# fuzz: ${r.runs} inputs, ${r.valid} valid, errors ${JSON.stringify(r.errors)}, slowest ${r.slowest.ms.toFixed(1)} ms`);
  assert.deepEqual(r.failures, []);
  assert.ok(r.runs > 200, `only ${r.runs} inputs`);
  for (const code of ['truncated', 'checksum', 'payload', 'too-large', 'syntax', 'version']) assert.ok(r.errors[code] > 0, `no ${code} error was produced`);
});
