// The schema of shareable links: ONE table of fields (key, type, range,
// default) per link version. codec.js reads these tables to encode a state
// into a URL fragment and to decode (and validate) one; nothing else in the
// page knows the link format. Pure module: no DOM, runs under Node too.
//
// A link fragment is `v=<version>` followed by `key=value` pairs separated by
// `&`, only for fields that differ from their default, in table order:
//
//   #v=1&z=<n>.<crc32>&tab=recall&size=28&kind=occlude&…&lib=<base64url>&embed=1&hide=model,capacity
//
// - `z` guards the state fields that follow it: n is the length of that text
//   in characters and crc32 its CRC-32 in 8 hex digits, so a truncated or
//   altered link is recognised. Links written by hand may leave `z` out.
// - Fields of the group 'view' (embed, hide) come after the guarded text and
//   are not guarded, so a host page can add or change them.
// - `lib` holds the stored patterns, the drawing and a hand-painted cue:
//   bit-packed, compressed with deflate-raw, base64url (codec.js, LIBRARY
//   FORMAT).
//
// Adding a field, or changing one in a way old links cannot express, makes a
// new version: copy FIELDS_V1 to FIELDS_V2, change it, register it in
// SCHEMAS, set LINK_VERSION = 2 and add MIGRATIONS[1], a function that turns
// a decoded v1 state into a v2 state. Old links keep decoding with their own
// table and are migrated step by step to the current version.
import { SIZES } from '../pixels.js';

export const LINK_VERSION = 2;

// Hard limits of the decoder (documented in the README, "Sharing links and embedding").
export const LIMITS = {
  linkChars: 32768, // longest fragment accepted, in characters
  inflatedBytes: 1 << 20, // decompression of `lib` stops past 1 MiB
  patterns: 32, // stored patterns (the page's MAX_LIBRARY)
  nameChars: 40, // a pattern's name, in characters
  nameBytes: 255, // … and in UTF-8 bytes
};

const VIEWS_V1 = ['draw', 'recall', 'compare', 'capacity'];
export const VIEWS = [...VIEWS_V1, 'real'];
export const MODELS = ['threshold', 'softmax', 'polynomial', 'hopfield'];

// What an embed can hide (field `hide`): each token names a part of the page.
const HIDE_V1 = {
  header: 'the title and engine status',
  tabs: 'the tab bar',
  draw: 'the “Draw & store” tab',
  recall: 'the “Corrupt & recall” tab',
  compare: 'the “Compare” tab',
  capacity: 'the “Capacity” tab',
  explain: 'the explanatory text beside each view',
  memory: 'the Memory panel (stored patterns, statistics, settings)',
  settings: 'the network settings (θ, β, n)',
  corrupt: 'the corruption controls (the cue stays visible)',
  model: 'the network picker of the recall',
  schedule: 'the schedule and step limit of the recall',
  share: 'the “Copy link” and “Share / embed” buttons',
};
export const HIDE = { ...HIDE_V1, real: 'the “Real images” tab' };

// Panels that can be open or closed (field `open`).
export const PANELS = ['codes'];

// Field types (codec.js implements them):
//   int     integer in [min, max] (or one of `values`), decimal
//   float   number in [min, max] on the grid min + k·step, shortest decimal
//   enum    one of `values`
//   bool    0 or 1
//   set     comma-separated tokens from `values`, no repeats (schema order)
//   intset  comma-separated integers in [min, max], no repeats (ascending)
//   library the patterns, drawing and painted cue (compressed binary)
// group: 'state' (guarded by z) or 'view' (after it, for embedding).
const int = (key, min, max, def, doc, extra = {}) => ({ key, type: 'int', min, max, default: def, group: 'state', doc, ...extra });
const float = (key, min, max, step, def, doc) => ({ key, type: 'float', min, max, step, default: def, group: 'state', doc });
const enu = (key, values, def, doc) => ({ key, type: 'enum', values, default: def, group: 'state', doc });

export const FIELDS_V1 = [
  enu('tab', VIEWS_V1, 'draw', 'the open tab'),
  int('size', 8, 64, 16, 'grid size (side, in pixels)', { values: SIZES }),
  enu('tool', ['pen', 'eraser'], 'pen', 'drawing tool'),
  // network settings (Memory panel)
  float('theta', 0.05, 0.95, 0.01, 0.5, 'threshold θ of the parts network'),
  float('lbeta', -3, 1, 0.1, -0.7, 'log10 of the softmax β (β is 10^lbeta to 2 significant digits)'),
  int('order', 2, 12, 3, 'order n of the polynomial network'),
  // the cue (Corrupt)
  enu('target', ['item', 'combo', 'drawing'], 'item', 'what is corrupted: a stored memory, a combination of parts, the drawing'),
  int('item', 0, LIMITS.patterns - 1, 0, 'the selected memory (index into the stored patterns)'),
  { key: 'parts', type: 'intset', min: 0, max: LIMITS.patterns - 1, default: [], group: 'state', doc: 'the parts ticked for a combination (indices)' },
  enu('kind', ['flip', 'occlude', 'gaussian', 'paint'], 'flip', 'corruption'),
  float('flip', 0, 0.5, 0.01, 0.2, 'fraction of pixels flipped'),
  float('sigma', 0, 2, 0.05, 0.8, 'standard deviation of the Gaussian noise'),
  int('seed', 0, 4294967295, 1, 'seed of the corruption (and of the recall)'),
  int('otop', 0, 63, 8, 'occlusion: top row (0-based; clamped to the grid)'),
  int('oleft', 0, 63, 0, 'occlusion: left column (0-based; clamped to the grid)'),
  int('oheight', 0, 64, 8, 'occlusion: height in rows (clamped to the grid)'),
  int('owidth', 0, 64, 16, 'occlusion: width in columns (clamped to the grid)'),
  // the recall
  enu('model', MODELS, 'threshold', 'network of the recall'),
  enu('sched', ['sync', 'async', 'continuous'], 'sync', 'schedule of the recall'),
  int('max', 1, 100000, 200, 'step limit of the recall'),
  int('at', 0, 100000, 0, 'the step the recall had reached'),
  { key: 'end', type: 'bool', default: false, group: 'state', doc: 'the recall had ended (converged, cycled or hit the step limit) at that step' },
  int('speed', 1, 60, 6, 'play speed, steps per second'),
  // Compare
  enu('csched', ['usual', 'sync', 'async', 'continuous'], 'usual', 'schedule of the Compare view'),
  int('cmax', 1, 100000, 200, 'step limit of the Compare view'),
  // Capacity
  int('nv', 1, 100000, 1000, 'capacity: visible neurons N_v'),
  int('nh', 1, 64, 12, 'capacity: hidden neurons N_h'),
  float('ctheta', 0, 2, 0.01, 0.5, 'capacity: threshold θ'),
  enu('weights', ['pm1', 'gauss'], 'pm1', 'capacity: random synapses'),
  enu('visible', ['linear', 'binary'], 'linear', 'capacity: visible neurons'),
  int('cseed', 0, 4294967295, 1, 'capacity: seed'),
  enu('cmode', ['auto', 'exhaustive', 'sampled'], 'auto', 'capacity: how codes are counted'),
  int('samples', 100, 100000000, 100000, 'capacity: sampled codes'),
  { key: 'open', type: 'set', values: PANELS, default: [], group: 'state', doc: 'open panels (codes: the stable combinations of parts)' },
  { key: 'lib', type: 'library', default: { items: [], drawing: null, paint: null }, group: 'state', doc: 'stored patterns (name, size, pixels), the drawing, the painted cue' },
  // embedding (not guarded by z)
  { key: 'embed', type: 'bool', default: false, group: 'view', doc: 'compact embedded view' },
  { key: 'hide', type: 'set', values: Object.keys(HIDE_V1), default: [], group: 'view', doc: 'parts of the page to hide' },
];

// Version 2 adds the Real images tab and its cue: the tab value 'real', the
// hide token 'real', and the fields r*. The network is the shipped one (a
// network trained in the browser is not part of a link).
const REAL_FIELDS = [
  int('rdigit', 1, 10000, 1, 'real images: the digit shown (1-based, among the held-out digits)'),
  enu('rkind', ['none', 'flip', 'occlude', 'gaussian'], 'flip', 'real images: corruption of the cue'),
  float('rflip', 0, 1, 0.01, 0.2, 'real images: fraction of pixels flipped (x -> 1 - x)'),
  float('rocc', 0, 1, 0.01, 0.5, 'real images: fraction of rows hidden from the bottom'),
  float('rsigma', 0, 2, 0.05, 0.3, 'real images: standard deviation of the Gaussian noise'),
  int('rseed', 0, 4294967295, 1, 'real images: seed of the corruption'),
];
export const FIELDS_V2 = FIELDS_V1.flatMap((f) => {
  if (f.key === 'tab') return [{ ...f, values: VIEWS }];
  if (f.key === 'hide') return [{ ...f, values: Object.keys(HIDE) }];
  if (f.key === 'open') return [...REAL_FIELDS, f];
  return [f];
});

// Rules between fields, checked after every field is valid on its own.
// Returns the first problem as [field, message], or null.
function checkV1(s) {
  const k = s.lib.items.length;
  if (s.item >= Math.max(1, k)) return ['item', `item=${s.item} but the link stores ${k} pattern${k === 1 ? '' : 's'}`];
  const bad = s.parts.find((p) => p >= k);
  if (bad !== undefined) return ['parts', `parts names pattern ${bad} but the link stores ${k}`];
  if (s.target === 'combo' && k < 2) return ['target', `target=combo needs at least 2 stored patterns; the link stores ${k}`];
  if (s.at > s.max) return ['at', `at=${s.at} is beyond the step limit max=${s.max}`];
  const n = s.size * s.size;
  if (s.lib.drawing && s.lib.drawing.length !== n) return ['lib', `the drawing is not ${s.size} × ${s.size}`];
  if (s.lib.paint && s.lib.paint.length !== n) return ['lib', `the painted cue is not ${s.size} × ${s.size}`];
  return null;
}

// The page's state made to satisfy checkV1 (codec.conformState).
function conformV1(s) {
  const k = s.lib.items.length;
  if (s.item >= Math.max(1, k)) s.item = 0;
  s.parts = s.parts.filter((p) => p < k);
  if (s.target === 'combo' && k < 2) s.target = 'item';
  if (s.at > s.max) s.at = s.max;
  return s;
}

// Every link version this page reads: its table, its cross-field rules and
// how the page's state is made to follow them.
export const SCHEMAS = {
  1: { version: 1, fields: FIELDS_V1, check: checkV1, conform: conformV1 },
  2: { version: 2, fields: FIELDS_V2, check: checkV1, conform: conformV1 },
};

// MIGRATIONS[n](state of version n) -> state of version n + 1; see the
// comment at the top.
export const MIGRATIONS = {
  // v1 had no Real images tab: its fields take their defaults (keys in the
  // v2 table's order, as a v2 link decodes).
  1: (s) => {
    const out = {};
    for (const f of FIELDS_V2) out[f.key] = f.key in s ? s[f.key] : cloneValue(f.default);
    return out;
  },
};

// The current version's fields and the default state (every field at its default).
export const FIELDS = SCHEMAS[LINK_VERSION].fields;

export function defaultState(fields = FIELDS) {
  const s = {};
  for (const f of fields) s[f.key] = cloneValue(f.default);
  return s;
}

export function cloneValue(v) {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v instanceof Uint8Array) return new Uint8Array(v);
  if (v && typeof v === 'object') {
    const o = {};
    for (const [k, x] of Object.entries(v)) o[k] = cloneValue(x);
    return o;
  }
  return v;
}

// β from the slider position lbeta (what the page's softmax β slider does).
export function betaFromLog(lbeta) {
  return Number((10 ** lbeta).toPrecision(2));
}
