#!/usr/bin/env node
// Fuzzes the link decoder (web/src/share/codec.js): random and mutated
// fragments (bit flips, truncations, insertions, swapped fields, random
// base64url, random and damaged compressed data, decompression bombs) go to
// decodeState, which must either return a valid state (that re-encodes and
// decodes to itself) or throw a LinkError; anything else thrown, a decode
// slower than --max-ms, or one that never settles is a failure.
//
//   node scripts/fuzz-links.mjs                  5 seconds, seed 1
//   node scripts/fuzz-links.mjs --seconds 600    a longer local run
//   node scripts/fuzz-links.mjs --seed 42 --max-ms 1000
//
// Prints a summary (runs, outcomes by error code, slowest decode) and exits
// 1 on any failure, printing the offending inputs. tests/links/fuzz.test.mjs
// runs a bounded pass of the same fuzz() in the test suite.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { decodeState, encodeState, validateState, LinkError, toBase64url, deflateRaw, crc32 } from '../web/src/share/codec.js';
import { LIMITS, FIELDS } from '../web/src/share/schema.js';
import { randomState, rngFor } from '../tests/links/gen.mjs';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.,=&';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ODD = ['%', '#', ' ', '\u0000', 'é', '🙂', '\n', '+', '/', '?', '\u202e'];

function randomText(g, n, alphabet = ALPHABET) {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[g.int(0, alphabet.length - 1)];
  return s;
}

const guard = (text) => `z=${text.length}.${crc32(Uint8Array.from(text, (c) => c.charCodeAt(0) & 255)).toString(16).padStart(8, '0')}`;

// Bombs: deflate-raw of long runs of zeros (about 1000:1), precomputed.
async function makeBombs() {
  const out = [];
  for (const mb of [1.5, 8, 24]) out.push(toBase64url(await deflateRaw(new Uint8Array(Math.round(mb * 1048576)))));
  // a bomb whose bytes start like a real library (format 1, 16 x 16)
  const fake = new Uint8Array(6 * 1048576);
  fake.set([1, 16, 3, 1]);
  out.push(toBase64url(await deflateRaw(fake)));
  return out;
}

function mutate(frag, g, bombs) {
  const r = g.int(0, 15);
  const pos = () => g.int(0, Math.max(0, frag.length - 1));
  switch (r) {
    case 0: {
      // flip one bit of one character (kept inside the byte range)
      const i = pos();
      return frag.slice(0, i) + String.fromCharCode((frag.charCodeAt(i) ^ (1 << g.int(0, 6))) & 127) + frag.slice(i + 1);
    }
    case 1: {
      // one character replaced by another allowed one
      const i = pos();
      return frag.slice(0, i) + ALPHABET[g.int(0, ALPHABET.length - 1)] + frag.slice(i + 1);
    }
    case 2:
      return frag.slice(0, pos()); // truncated
    case 3: {
      const i = pos();
      return frag.slice(0, i) + frag.slice(i + g.int(1, 20)); // a piece cut out
    }
    case 4: {
      const i = pos();
      return frag.slice(0, i) + randomText(g, g.int(1, 12)) + frag.slice(i); // inserted
    }
    case 5: {
      // fields shuffled
      const p = frag.split('&');
      for (let i = p.length - 1; i > 0; i--) {
        const j = g.int(0, i);
        [p[i], p[j]] = [p[j], p[i]];
      }
      return p.join('&');
    }
    case 6:
      return frag.replace(/&z=[^&]*/, ''); // unguarded: every mutation below then reaches the fields
    case 7: {
      // the library replaced by random base64url (no z, so it reaches the inflater)
      const p = frag.replace(/&z=[^&]*/, '').split('&').filter((x) => !x.startsWith('lib='));
      p.push(`lib=${randomText(g, g.int(0, 400), B64)}`);
      return p.join('&');
    }
    case 8: {
      // one bit flipped inside the compressed library
      const p = frag.replace(/&z=[^&]*/, '').split('&');
      const i = p.findIndex((x) => x.startsWith('lib='));
      if (i < 0) return `${frag}&lib=${randomText(g, 40, B64)}`;
      const t = p[i].slice(4);
      const j = g.int(0, t.length - 1);
      const c = B64[(B64.indexOf(t[j]) ^ (1 << g.int(0, 5))) & 63];
      p[i] = `lib=${t.slice(0, j)}${c}${t.slice(j + 1)}`;
      return p.join('&');
    }
    case 9: {
      // a decompression bomb, guarded so that it passes the checksum
      const bomb = g.pick(bombs);
      const text = `size=16&lib=${bomb}`;
      return g.chance(0.5) ? `v=1&${guard(text)}&${text}` : `v=1&${text}`;
    }
    case 10:
      return `v=1&${randomText(g, g.int(0, 300))}`; // random fields
    case 11:
      return randomText(g, g.int(0, 200)); // anything
    case 12: {
      // a value replaced by an odd one
      const p = frag.split('&');
      const i = g.int(0, p.length - 1);
      const key = p[i].split('=')[0];
      const odd = g.pick(['NaN', 'Infinity', '-0', '1e999', '-1', '0x10', '', '1.5', '99999999999999999999', '0.123456789', ',', ',,', 'a,a', '1,1']);
      p[i] = `${key}=${odd}`;
      return p.join('&');
    }
    case 13: {
      // a non-link character somewhere
      const i = pos();
      return frag.slice(0, i) + g.pick(ODD) + frag.slice(i);
    }
    case 14: {
      // the version changed
      return frag.replace(/^v=\d+/, `v=${g.pick(['0', '2', '99', '-1', '1.0', '', 'x', '01'])}`);
    }
    default: {
      // a random (unguarded) field set to a random value
      const f = g.pick(FIELDS);
      return `${frag.replace(/&z=[^&]*/, '')}&${f.key}=${randomText(g, g.int(1, 10))}`;
    }
  }
}

function withTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no answer after ${ms} ms`), { hung: true })), ms);
    }),
  ]);
}

const show = (s) => (s.length > 300 ? `${s.slice(0, 300)}… (${s.length} characters)` : s);

export async function fuzz({ seconds = 5, seed = 1, maxMs = 2000, maxFailures = 20, log = () => {} } = {}) {
  const g = rngFor(seed);
  const bombs = await makeBombs();
  const stats = { runs: 0, valid: 0, errors: {}, slowest: { ms: 0, input: '' }, failures: [] };
  const until = Date.now() + seconds * 1000;
  let lastLog = Date.now();
  let base = null;
  while (Date.now() < until && stats.failures.length < maxFailures) {
    if (!base || g.chance(0.1)) base = await encodeState(randomState(g.int(0, 2 ** 31)));
    // a few mutations on top of each other, sometimes none
    let input = base;
    const depth = g.chance(0.05) ? 0 : g.int(1, 3);
    for (let i = 0; i < depth; i++) input = mutate(input, g, bombs);
    if (g.chance(0.02)) input = `v=1&lib=${randomText(g, LIMITS.linkChars, B64)}`; // past the length limit
    const t0 = performance.now();
    try {
      const st = await withTimeout(decodeState(input), maxMs * 5);
      const ms = performance.now() - t0;
      stats.valid++;
      // a valid state must be valid and must come back the same
      validateState(st);
      const again = await decodeState(await encodeState(st));
      if (JSON.stringify(again, replacer) !== JSON.stringify(st, replacer)) throw new Error('the decoded state does not survive encode and decode');
      if (ms > maxMs) stats.failures.push({ kind: 'slow', ms, input: show(input) });
    } catch (e) {
      const ms = performance.now() - t0;
      if (e instanceof LinkError) {
        stats.errors[e.code] = (stats.errors[e.code] || 0) + 1;
        if (!e.message || typeof e.code !== 'string') stats.failures.push({ kind: 'unclear error', input: show(input) });
        if (ms > maxMs) stats.failures.push({ kind: 'slow', ms, input: show(input) });
      } else {
        stats.failures.push({ kind: e && e.hung ? 'hang' : 'crash', error: String(e && e.stack ? e.stack : e), input: show(input) });
      }
    }
    const ms = performance.now() - t0;
    if (ms > stats.slowest.ms) stats.slowest = { ms, input: show(input) };
    stats.runs++;
    if (Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      log(`${stats.runs} inputs, ${stats.valid} valid, ${stats.failures.length} failures`);
    }
  }
  return stats;
}

function replacer(k, v) {
  return v instanceof Uint8Array ? Array.from(v).join('') : v;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = { seconds: 5, seed: 1, maxMs: 2000 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const num = () => {
      const v = Number(args[++i]);
      if (!Number.isFinite(v) || v < 0) {
        console.error(`fuzz-links: ${a} needs a number`);
        process.exit(2);
      }
      return v;
    };
    if (a === '--seconds') opt.seconds = num();
    else if (a === '--seed') opt.seed = num();
    else if (a === '--max-ms') opt.maxMs = num();
    else if (a === '--help' || a === '-h') {
      console.log('usage: node scripts/fuzz-links.mjs [--seconds N] [--seed S] [--max-ms M]');
      process.exit(0);
    } else {
      console.error(`fuzz-links: unknown argument '${a}' (try --help)`);
      process.exit(2);
    }
  }
  const t0 = Date.now();
  const r = await fuzz({ ...opt, log: (m) => console.log(`fuzz-links: ${m}`) });
  const codes = Object.entries(r.errors)
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
  console.log(`fuzz-links: ${r.runs} inputs in ${((Date.now() - t0) / 1000).toFixed(1)} s (seed ${opt.seed}): ${r.valid} decoded to valid states; errors: ${codes}`);
  console.log(`fuzz-links: slowest decode ${r.slowest.ms.toFixed(1)} ms`);
  if (r.failures.length) {
    console.error(`fuzz-links: ${r.failures.length} FAILURES`);
    for (const f of r.failures) console.error(JSON.stringify(f, null, 2));
    process.exit(1);
  }
  console.log('fuzz-links: no failures');
}
