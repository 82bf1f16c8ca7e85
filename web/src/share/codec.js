// Encodes the playground's state into a URL fragment and decodes one, driven
// entirely by the field tables of schema.js. Pure module (no DOM): the page,
// the Node tests and the fuzzer use the same code.
//
//   const frag = await encodeState(state);        // 'v=1&z=…&tab=recall&…'
//   const state = await decodeState(frag);        // every field filled in, or throws LinkError
//
// decodeState throws LinkError, and nothing else, for every bad input: its
// `code` says what kind of problem (see CODES), its `field` which field, and
// its message says it in words. A link of an older version is decoded with
// that version's table and migrated (schema.js, MIGRATIONS).
//
// LIBRARY FORMAT (the `lib` field; format byte 1). Before compression:
//   u8  format (1)
//   u8  grid side n of the page (the drawing and the painted cue are n × n)
//   u8  number of stored patterns k (at most LIMITS.patterns)
//   u8  flags: 1 = a drawing follows, 2 = a painted cue follows,
//       4 = the pixels are one continuous bit stream (else each image row
//       starts on a new byte)
//   k × { u8 side of the pattern (one of SIZES), u8 byte length L, L bytes of UTF-8 name }
//   the images, one after the other: each pattern at its own side, then the
//   drawing, then the painted cue; row-major, one bit per pixel (1 = ink),
//   most significant bit first; the stream ends on a byte boundary
//   u32 CRC-32 (big-endian) of all the bytes before it
// then deflate-raw (CompressionStream), then base64url without padding. The
// encoder writes both pixel layouts and keeps the shorter link: byte-aligned
// rows compress better for scaled shapes (letters), the continuous stream for
// irregular ones (digits, noise).
// Decompression stops past LIMITS.inflatedBytes.
import { SCHEMAS, MIGRATIONS, LINK_VERSION, LIMITS, cloneValue } from './schema.js';
import { SIZES } from '../pixels.js';

export const CODES = {
  'too-long': 'the link is longer than the limit',
  syntax: 'the link is not made of key=value pairs of the allowed characters',
  version: 'no version, or a version this page cannot read',
  'unknown-field': 'a field this version does not have',
  duplicate: 'a field given twice',
  unguarded: 'a state field after the checked part of the link',
  truncated: 'the link is shorter than its checksum says',
  checksum: 'the link was altered after it was made',
  nan: 'not a number where a number is expected',
  range: 'a value outside its allowed range or set',
  payload: 'the pattern data is damaged',
  'too-large': 'the pattern data decompresses to more than the limit',
  inconsistent: 'fields that contradict each other',
};

export class LinkError extends Error {
  constructor(code, message, field = null) {
    super(message);
    this.name = 'LinkError';
    this.code = code;
    this.field = field;
  }
}

const fail = (code, message, field) => {
  throw new LinkError(code, message, field);
};

// ---- CRC-32 (IEEE), base64url, bits --------------------------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(bytes) {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const asciiBytes = (s) => {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 255;
  return b;
};

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function toBase64url(bytes) {
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += B64[x >> 18] + B64[(x >> 12) & 63] + B64[(x >> 6) & 63] + B64[x & 63];
  }
  const r = bytes.length - i;
  if (r === 1) {
    const x = bytes[i] << 16;
    s += B64[x >> 18] + B64[(x >> 12) & 63];
  } else if (r === 2) {
    const x = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += B64[x >> 18] + B64[(x >> 12) & 63] + B64[(x >> 6) & 63];
  }
  return s;
}

// Strict: only the base64url alphabet, no padding, no impossible length.
export function fromBase64url(s, field = 'lib') {
  if (s.length % 4 === 1) fail('payload', `${field}: the base64url text has an impossible length (${s.length} characters)`, field);
  const out = new Uint8Array(Math.floor((s.length * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) fail('payload', `${field}: '${s[i]}' is not a base64url character`, field);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

// Bit writer/reader: MSB first; images start each row on a byte boundary.
class BitWriter {
  constructor() {
    this.bytes = [];
    this.cur = 0;
    this.n = 0;
  }
  byte(b) {
    this.align();
    this.bytes.push(b & 255);
  }
  bit(b) {
    this.cur = (this.cur << 1) | (b ? 1 : 0);
    if (++this.n === 8) {
      this.bytes.push(this.cur);
      this.cur = 0;
      this.n = 0;
    }
  }
  align() {
    if (this.n) {
      this.cur <<= 8 - this.n;
      this.bytes.push(this.cur);
      this.cur = 0;
      this.n = 0;
    }
  }
  image(px, side, alignRows) {
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) this.bit(px[r * side + c]);
      if (alignRows) this.align();
    }
  }
  finish() {
    this.align();
    return Uint8Array.from(this.bytes);
  }
}

// bits an image takes in either layout
const imageBits = (side, alignRows) => side * (alignRows ? 8 * Math.ceil(side / 8) : side);

// reads an image starting at bit `bit` of `bytes`; returns [pixels, next bit]
function readImage(bytes, bit, side, alignRows) {
  const px = new Uint8Array(side * side);
  let b = bit;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++, b++) px[r * side + c] = (bytes[b >> 3] >> (7 - (b & 7))) & 1;
    if (alignRows) b = (b + 7) & ~7;
  }
  return [px, b];
}

// ---- compression ----------------------------------------------------------

async function collect(readable) {
  const chunks = [];
  const reader = readable.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return concat(chunks);
}

function concat(chunks) {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

export async function deflateRaw(bytes) {
  const cs = new CompressionStream('deflate-raw');
  const writer = cs.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  return collect(cs.readable);
}

// Inflates deflate-raw data, reading the output chunk by chunk and stopping
// (cancelling the stream) as soon as it exceeds `limit` bytes.
export async function inflateRawLimited(bytes, limit = LIMITS.inflatedBytes, field = 'lib') {
  let ds;
  try {
    ds = new DecompressionStream('deflate-raw');
  } catch (e) {
    fail('payload', `${field}: this browser cannot decompress (${e.message})`, field);
  }
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) {
        reader.cancel().catch(() => {});
        writer.abort().catch(() => {});
        fail('too-large', `${field}: the pattern data decompresses to more than ${limit.toLocaleString('en-US')} bytes (the limit); decompression was stopped`, field);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (e instanceof LinkError) throw e;
    fail('payload', `${field}: the compressed pattern data is damaged or truncated (${e && e.message ? e.message : e})`, field);
  }
  return concat(chunks);
}

// ---- the library ----------------------------------------------------------

const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true });

function nameProblem(name) {
  if (typeof name !== 'string' || !name.length) return 'a pattern name is empty';
  const chars = [...name].length;
  if (chars > LIMITS.nameChars) return `a pattern name is longer than ${LIMITS.nameChars} characters`;
  if (utf8.encode(name).length > LIMITS.nameBytes) return `a pattern name is longer than ${LIMITS.nameBytes} bytes`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) return 'a pattern name contains control characters';
  return null;
}

function libraryProblem(lib, side) {
  if (!lib || typeof lib !== 'object' || !Array.isArray(lib.items)) return 'not a library';
  if (lib.items.length > LIMITS.patterns) return `more than ${LIMITS.patterns} patterns`;
  for (const it of lib.items) {
    if (!SIZES.includes(it.size)) return `a pattern has side ${it.size}, not one of ${SIZES.join(', ')}`;
    const p = nameProblem(it.name);
    if (p) return p;
    if (!isBits(it.bits, it.size * it.size)) return `pattern “${it.name}” is not ${it.size} × ${it.size} pixels of 0 and 1`;
  }
  for (const [what, px] of [
    ['drawing', lib.drawing],
    ['painted cue', lib.paint],
  ]) {
    if (px !== null && !isBits(px, side * side)) return `the ${what} is not ${side} × ${side} pixels of 0 and 1`;
  }
  return null;
}

function isBits(px, n) {
  if (!(px instanceof Uint8Array) || px.length !== n) return false;
  for (let i = 0; i < n; i++) if (px[i] > 1) return false;
  return true;
}

const isEmptyLibrary = (lib) => lib.items.length === 0 && !lib.drawing && !lib.paint;

async function encodeLibrary(lib, side) {
  let best = null;
  for (const alignRows of [true, false]) {
    const w = new BitWriter();
    w.byte(1);
    w.byte(side);
    w.byte(lib.items.length);
    w.byte((lib.drawing ? 1 : 0) | (lib.paint ? 2 : 0) | (alignRows ? 0 : 4));
    for (const it of lib.items) {
      const name = utf8.encode(it.name);
      w.byte(it.size);
      w.byte(name.length);
      for (const b of name) w.byte(b);
    }
    for (const it of lib.items) w.image(it.bits, it.size, alignRows);
    if (lib.drawing) w.image(lib.drawing, side, alignRows);
    if (lib.paint) w.image(lib.paint, side, alignRows);
    const body = w.finish();
    const crc = crc32(body);
    const all = new Uint8Array(body.length + 4);
    all.set(body);
    all.set([crc >>> 24, (crc >>> 16) & 255, (crc >>> 8) & 255, crc & 255], body.length);
    const text = toBase64url(await deflateRaw(all));
    if (!best || text.length < best.length) best = text;
  }
  return best;
}

async function decodeLibrary(text, field, side) {
  const key = field.key;
  const bytes = await inflateRawLimited(fromBase64url(text, key), LIMITS.inflatedBytes, key);
  const bad = (msg) => fail('payload', `${key}: ${msg}`, key);
  if (bytes.length < 8) bad(`the pattern data is too short (${bytes.length} bytes)`);
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = ((bytes[bytes.length - 4] << 24) | (bytes[bytes.length - 3] << 16) | (bytes[bytes.length - 2] << 8) | bytes[bytes.length - 1]) >>> 0;
  if (crc32(body) !== stored) bad('the pattern data fails its checksum (truncated or altered)');
  if (body[0] !== 1) bad(`unknown pattern data format ${body[0]}`);
  if (body[1] !== side) fail('inconsistent', `${key}: the patterns were saved on a ${body[1]} × ${body[1]} grid but size=${side}`, key);
  const k = body[2];
  if (k > LIMITS.patterns) bad(`${k} patterns, more than the ${LIMITS.patterns} allowed`);
  const flags = body[3];
  if (flags & ~7) bad(`unknown flags ${flags}`);
  const alignRows = !(flags & 4);
  let pos = 4;
  const heads = [];
  for (let i = 0; i < k; i++) {
    if (pos + 2 > body.length) bad('the pattern names are cut short');
    const size = body[pos];
    const len = body[pos + 1];
    pos += 2;
    if (!SIZES.includes(size)) bad(`pattern ${i + 1} has side ${size}, not one of ${SIZES.join(', ')}`);
    if (pos + len > body.length) bad('the pattern names are cut short');
    let name;
    try {
      name = utf8Strict.decode(body.subarray(pos, pos + len));
    } catch {
      bad(`the name of pattern ${i + 1} is not valid UTF-8`);
    }
    const p = nameProblem(name);
    if (p) bad(`${p} (pattern ${i + 1})`);
    pos += len;
    heads.push({ name, size });
  }
  const bits = heads.reduce((s, h) => s + imageBits(h.size, alignRows), 0) + ((flags & 1 ? 1 : 0) + (flags & 2 ? 1 : 0)) * imageBits(side, alignRows);
  const need = Math.ceil(bits / 8);
  if (body.length - pos !== need) bad(`the images take ${body.length - pos} bytes, not the ${need} expected`);
  let at = pos * 8;
  const items = heads.map((h) => {
    const [px, next] = readImage(body, at, h.size, alignRows);
    at = next;
    return { name: h.name, size: h.size, bits: px };
  });
  let drawing = null;
  let paint = null;
  if (flags & 1) [drawing, at] = readImage(body, at, side, alignRows);
  if (flags & 2) [paint, at] = readImage(body, at, side, alignRows);
  return { items, drawing, paint };
}

// ---- field types ----------------------------------------------------------

const NUMBER_RE = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,17})?(e[-+]?[0-9]{1,3})?$/i;
const INT_RE = /^-?(0|[1-9][0-9]{0,15})$/;

function decimals(step) {
  const s = String(step);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}

function onGrid(v, f) {
  const k = (v - f.min) / f.step;
  return Math.abs(k - Math.round(k)) < 1e-7;
}

const TYPES = {
  int: {
    format: (v) => String(v),
    parse(raw, f) {
      if (!INT_RE.test(raw)) {
        if (/^-?(nan|infinity)$/i.test(raw) || !NUMBER_RE.test(raw)) fail('nan', `${f.key}=${raw} is not a whole number`, f.key);
        fail('range', `${f.key}=${raw} is not a whole number`, f.key);
      }
      return Number(raw);
    },
    problem(v, f) {
      if (!Number.isSafeInteger(v)) return `${f.key}=${v} is not a whole number`;
      if (v < f.min || v > f.max) return `${f.key}=${v} is outside ${f.min}…${f.max}`;
      if (f.values && !f.values.includes(v)) return `${f.key}=${v} is not one of ${f.values.join(', ')}`;
      return null;
    },
    equal: (a, b) => a === b,
  },
  float: {
    format: (v) => String(v),
    parse(raw, f) {
      if (!NUMBER_RE.test(raw)) fail('nan', `${f.key}=${raw} is not a number`, f.key);
      const v = Number(raw);
      if (!Number.isFinite(v)) fail('nan', `${f.key}=${raw} is not a finite number`, f.key);
      return Object.is(v, -0) ? 0 : v;
    },
    problem(v, f) {
      if (typeof v !== 'number' || !Number.isFinite(v)) return `${f.key}=${v} is not a finite number`;
      if (v < f.min || v > f.max) return `${f.key}=${v} is outside ${f.min}…${f.max}`;
      if (!onGrid(v, f)) return `${f.key}=${v} is not on the ${f.step} steps of its slider`;
      if (Number(v.toFixed(decimals(f.step))) !== v) return `${f.key}=${v} has more digits than its ${f.step} steps`;
      return null;
    },
    equal: (a, b) => a === b,
  },
  enum: {
    format: (v) => v,
    parse: (raw) => raw,
    problem: (v, f) => (f.values.includes(v) ? null : `${f.key}=${v} is not one of ${f.values.join(', ')}`),
    equal: (a, b) => a === b,
  },
  bool: {
    format: (v) => (v ? '1' : '0'),
    parse(raw, f) {
      if (raw !== '0' && raw !== '1') fail('range', `${f.key}=${raw} must be 0 or 1`, f.key);
      return raw === '1';
    },
    problem: (v, f) => (typeof v === 'boolean' ? null : `${f.key} must be true or false`),
    equal: (a, b) => a === b,
  },
  set: {
    format: (v) => v.join(','),
    parse(raw, f) {
      const toks = raw.split(',');
      for (const t of toks) if (!f.values.includes(t)) fail('range', `${f.key}: '${t}' is not one of ${f.values.join(', ')}`, f.key);
      if (new Set(toks).size !== toks.length) fail('range', `${f.key}: a token is repeated`, f.key);
      return f.values.filter((x) => toks.includes(x));
    },
    problem(v, f) {
      if (!Array.isArray(v) || v.some((x) => !f.values.includes(x))) return `${f.key} has a token not in ${f.values.join(', ')}`;
      const canon = f.values.filter((x) => v.includes(x));
      if (canon.length !== v.length || canon.some((x, i) => x !== v[i])) return `${f.key} must list its tokens once each, in schema order`;
      return null;
    },
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  },
  intset: {
    format: (v) => v.join(','),
    parse(raw, f) {
      const toks = raw.split(',');
      const out = toks.map((t) => {
        if (!INT_RE.test(t)) fail(NUMBER_RE.test(t) ? 'range' : 'nan', `${f.key}: '${t}' is not a whole number`, f.key);
        return Number(t);
      });
      if (new Set(out).size !== out.length) fail('range', `${f.key}: a number is repeated`, f.key);
      return out.sort((a, b) => a - b);
    },
    problem(v, f) {
      if (!Array.isArray(v)) return `${f.key} must be a list`;
      for (let i = 0; i < v.length; i++) {
        if (!Number.isSafeInteger(v[i]) || v[i] < f.min || v[i] > f.max) return `${f.key}: ${v[i]} is outside ${f.min}…${f.max}`;
        if (i && v[i] <= v[i - 1]) return `${f.key} must be ascending, without repeats`;
      }
      return null;
    },
    equal: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  },
  library: {
    format: (v, f, state) => encodeLibrary(v, state.size),
    parse: (raw, f, ctx) => decodeLibrary(raw, f, ctx.size),
    problem: (v, f, state) => {
      const p = libraryProblem(v, state.size);
      return p ? `${f.key}: ${p}` : null;
    },
    equal: (a, b) => isEmptyLibrary(a) && isEmptyLibrary(b),
  },
};

// ---- links ----------------------------------------------------------------

const PAIR_RE = /^([a-z][a-z0-9]{0,15})=([A-Za-z0-9_.,-]+)$/;
const Z_RE = /^z=(0|[1-9][0-9]{0,5})\.([0-9a-f]{8})$/;

// A codec for one set of schemas (the page uses the default one; tests build
// codecs with extra versions to exercise migrations).
export function makeCodec({ version = LINK_VERSION, schemas = SCHEMAS, migrations = MIGRATIONS } = {}) {
  const current = schemas[version];

  function validate(state, schema) {
    for (const f of schema.fields) {
      if (!(f.key in state)) fail('range', `the state has no field ${f.key}`, f.key);
      const p = TYPES[f.type].problem(state[f.key], f, state);
      if (p) fail('range', p, f.key);
    }
    const c = schema.check ? schema.check(state) : null;
    if (c) fail('inconsistent', c[1], c[0]);
  }

  // state (every field of the current version) -> fragment without '#'
  async function encodeState(state) {
    validate(state, current);
    const guarded = [];
    const view = [];
    for (const f of current.fields) {
      const t = TYPES[f.type];
      const v = state[f.key];
      if (t.equal(v, f.default)) continue;
      const pair = `${f.key}=${await t.format(v, f, state)}`;
      (f.group === 'view' ? view : guarded).push(pair);
    }
    const out = [`v=${version}`];
    if (guarded.length) {
      const text = guarded.join('&');
      out.push(`z=${text.length}.${crc32(asciiBytes(text)).toString(16).padStart(8, '0')}`, text);
    }
    out.push(...view);
    return out.join('&');
  }

  // fragment (with or without '#') -> state of the current version
  async function decodeState(fragment) {
    if (typeof fragment !== 'string') fail('syntax', 'the link is not text');
    let s = fragment.startsWith('#') ? fragment.slice(1) : fragment;
    // browsers and mail programs may percent-encode characters of a fragment
    if (s.includes('%') && s.length <= LIMITS.linkChars) {
      try {
        s = decodeURIComponent(s);
      } catch {
        fail('syntax', 'the link has a broken %-escape');
      }
    }
    if (s.length > LIMITS.linkChars) fail('too-long', `the link is ${s.length.toLocaleString('en-US')} characters long; the limit is ${LIMITS.linkChars.toLocaleString('en-US')}`);
    const badChar = /[^A-Za-z0-9_.,=&-]/.exec(s);
    if (badChar) {
      const ch = badChar[0];
      const shown = /[\x21-\x7e]/.test(ch) ? `'${ch}'` : `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
      fail('syntax', `the link contains ${shown} at position ${badChar.index + 1}, which links never contain`);
    }
    const vm = /^v=([^&]*)/.exec(s);
    if (!vm) fail('version', 'the link has no version: it must start with v=');
    const raw = vm[1];
    if (!INT_RE.test(raw)) fail('version', `the link version '${raw}' is not a number`, 'v');
    const v = Number(raw);
    const schema = schemas[v];
    if (!schema) {
      const known = Object.keys(schemas).map(Number).sort((a, b) => a - b);
      if (v > version) fail('version', `the link is of version ${v}, made by a newer playground; this page reads versions ${known[0]}–${known[known.length - 1]}`, 'v');
      fail('version', `there is no link version ${v}; this page reads versions ${known[0]}–${known[known.length - 1]}`, 'v');
    }
    s = s.slice(vm[0].length);
    if (s && s[0] !== '&') fail('syntax', 'the version must be followed by &');

    // the guarded part
    let guardedText = null;
    let rest = s;
    const zm = /^&(z=[^&]*)/.exec(s);
    if (zm) {
      const m = Z_RE.exec(zm[1]);
      if (!m) fail('syntax', `z=${zm[1].slice(2)} is not a checksum (length.crc32)`, 'z');
      const len = Number(m[1]);
      const after = s.slice(zm[0].length);
      if (len > 0 && after[0] !== '&') fail('truncated', `the link ends right after its checksum; it should go on for ${len} more characters`, 'z');
      const text = len > 0 ? after.slice(1, 1 + len) : '';
      if (text.length < len) fail('truncated', `the link is cut short: ${text.length} of the ${len} characters its checksum covers are there`, 'z');
      if (crc32(asciiBytes(text)).toString(16).padStart(8, '0') !== m[2]) fail('checksum', 'the link was altered after it was made (its checksum does not match)', 'z');
      guardedText = text;
      rest = len > 0 ? after.slice(1 + len) : after;
      if (rest && rest[0] !== '&') fail('checksum', 'the link was altered after it was made (text right after the checked part)', 'z');
    }
    const pairs = [];
    const split = (text, guarded) => {
      if (!text) return;
      for (const p of text.split('&')) pairs.push({ p, guarded });
    };
    if (guardedText !== null) split(guardedText, true);
    split(rest.slice(1), false);

    const byKey = new Map(schema.fields.map((f) => [f.key, f]));
    const raws = new Map();
    for (const { p, guarded } of pairs) {
      const m = PAIR_RE.exec(p);
      if (!m) {
        if (p === '') fail('syntax', 'the link has an empty field (&&)');
        if (!p.includes('=')) fail('syntax', `'${p.slice(0, 24)}' is not key=value`);
        if (p.endsWith('=')) fail('syntax', `${p.slice(0, -1).slice(0, 24)} has no value`);
        fail('syntax', `'${p.slice(0, 24)}' is not a valid field`);
      }
      const [, key, value] = m;
      if (key === 'v' || key === 'z') fail('duplicate', `${key} appears more than once`, key);
      const f = byKey.get(key);
      if (!f) fail('unknown-field', `the link has a field '${key}' that version ${v} links do not have`, key);
      if (raws.has(key)) fail('duplicate', `the field ${key} appears twice`, key);
      if (guardedText !== null && !guarded && f.group !== 'view') fail('unguarded', `${key} comes after the checked part of the link (to edit a link by hand, remove its z=… field)`, key);
      raws.set(key, value);
    }

    const state = {};
    for (const f of schema.fields) {
      const t = TYPES[f.type];
      const raw = raws.get(f.key);
      const val = raw === undefined ? cloneValue(f.default) : await t.parse(raw, f, state);
      const p = raw === undefined ? null : t.problem(val, f, state);
      if (p) fail('range', p, f.key);
      state[f.key] = val;
    }
    const c = schema.check ? schema.check(state) : null;
    if (c) fail('inconsistent', c[1], c[0]);

    let out = state;
    for (let k = v; k < version; k++) {
      if (!migrations[k]) fail('version', `no migration from link version ${k} to ${k + 1}`, 'v');
      out = migrations[k](out);
    }
    return out;
  }

  return { version, fields: current.fields, encodeState, decodeState, validate: (st) => validate(st, current) };
}

// ---- making a page state valid -------------------------------------------

// A copy of `state` with every field brought into its type and range (the
// page calls this before encoding, so odd values typed into number inputs
// never stop the address from updating): numbers are clamped and rounded to
// their steps, unknown tokens dropped, names cleaned; then the schema's
// cross-field rules (schema.conform) are applied.
export function conformState(state, version = LINK_VERSION, schemas = SCHEMAS) {
  const schema = schemas[version];
  const out = {};
  for (const f of schema.fields) {
    const v = f.key in state ? state[f.key] : f.default;
    out[f.key] = conformValue(v, f);
  }
  return schema.conform ? schema.conform(out) : out;
}

function conformValue(v, f) {
  const clamp = (x) => Math.min(f.max, Math.max(f.min, x));
  switch (f.type) {
    case 'int': {
      let x = Number(v);
      if (!Number.isFinite(x)) return f.default;
      x = clamp(Math.round(x));
      if (f.values && !f.values.includes(x)) x = f.values.reduce((a, b) => (Math.abs(b - x) < Math.abs(a - x) ? b : a));
      return x;
    }
    case 'float': {
      const x = Number(v);
      if (!Number.isFinite(x)) return f.default;
      const k = Math.round((clamp(x) - f.min) / f.step);
      return clamp(Number((f.min + k * f.step).toFixed(decimals(f.step)))) || 0;
    }
    case 'enum':
      return f.values.includes(v) ? v : f.default;
    case 'bool':
      return !!v;
    case 'set':
      return Array.isArray(v) ? f.values.filter((x) => v.includes(x)) : [];
    case 'intset':
      return Array.isArray(v) ? [...new Set(v.filter((x) => Number.isSafeInteger(x) && x >= f.min && x <= f.max))].sort((a, b) => a - b) : [];
    case 'library': {
      const items = (v.items || []).slice(0, LIMITS.patterns).map((it) => {
        // eslint-disable-next-line no-control-regex
        let name = String(it.name ?? '').replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
        name = [...name].slice(0, LIMITS.nameChars).join('');
        while (utf8.encode(name).length > LIMITS.nameBytes) name = [...name].slice(0, -1).join('');
        return { name: name || 'pattern', size: it.size, bits: it.bits };
      });
      return { items, drawing: v.drawing || null, paint: v.paint || null };
    }
    default:
      return v;
  }
}

const DEFAULT = makeCodec();
export const encodeState = DEFAULT.encodeState;
export const decodeState = DEFAULT.decodeState;
export const validateState = DEFAULT.validate;
