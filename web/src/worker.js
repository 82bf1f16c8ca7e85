// The engine worker: hosts the tdam wasm module off the main thread so the
// page never freezes. Requests are {id, op, args}; replies are
// {id, type: 'result', result}, {id, type: 'error', message} or, for long
// work, {id, type: 'progress', fraction, partial}. Cancelling long work is
// done by the page: it terminates this worker and starts a fresh one.
//
// Encodings (see web/README-charts.md and the Explain panels):
//  - baselines (softmax, polynomial, hopfield): binary visible neurons,
//    pixels +1 (ink) / -1 (background); the stored patterns are the columns of xi.
//  - threshold network: linear visible neurons, pixels 1 (ink) / 0 (background);
//    the stored patterns are parts, the columns of xi = scaleParts(parts), so
//    part mu has amplitude a_mu = sqrt(N_v / ink_mu) on its ink; a cue is
//    presented as a_bar * cue with a_bar the mean amplitude.
import { loadTdam } from '../wasm/tdam.js';
import { realOps } from './real/engine-ops.js';

let tdamPromise = null;
function engine() {
  if (!tdamPromise) {
    tdamPromise = (async () => {
      const base = new URL('../wasm/', self.location.href);
      return loadTdam({ locateFile: (file) => new URL(file, base).href });
    })();
  }
  return tdamPromise;
}

const sessions = new Map();

function post(msg, transfer) {
  self.postMessage(msg, transfer || []);
}

// Throttled progress reporter for one request.
function progressFor(id) {
  let last = -1;
  let lastTime = 0;
  return (fraction, partial) => {
    const now = Date.now();
    if (partial !== undefined || fraction >= 1 || fraction - last >= 0.005 || now - lastTime > 100) {
      last = fraction;
      lastTime = now;
      post({ id, type: 'progress', fraction, partial });
    }
    return true;
  };
}

// ---- models built from the page's library --------------------------------

function buildModel(tdam, spec) {
  const { kind, nv, k } = spec;
  const patterns = spec.patterns; // Uint8Array nv*k, 0/1, column-major (one pattern per column)
  if (!k) throw new Error('the library is empty: store at least one pattern');
  if (patterns.length !== nv * k) throw new Error('pattern data does not match the grid size');
  if (kind === 'threshold') {
    const parts = new Float64Array(nv * k);
    for (let i = 0; i < parts.length; i++) parts[i] = patterns[i];
    const xi = tdam.scaleParts(parts, nv, k);
    const amp = new Float64Array(k);
    for (let mu = 0; mu < k; mu++) {
      let a = 0;
      for (let i = 0; i < nv; i++) a = Math.max(a, xi[mu * nv + i]);
      amp[mu] = a;
    }
    const mean = amp.reduce((s, a) => s + a, 0) / k;
    const min = Math.min(...amp);
    const model = tdam.createModel({ kind, weights: xi, nv, nh: k, theta: spec.theta, visible: 'linear' });
    return {
      model,
      kind,
      nv,
      k,
      cueScale: mean,
      encode(cue01) {
        const v = new Float64Array(nv);
        for (let i = 0; i < nv; i++) v[i] = cue01[i] ? mean : 0;
        return v;
      },
      // ink where the visible value is above half the smallest part amplitude
      ink(v) {
        const p = new Uint8Array(nv);
        for (let i = 0; i < nv; i++) p[i] = v[i] > 0.5 * min ? 1 : 0;
        return p;
      },
      display(v) {
        const d = new Float32Array(nv);
        for (let i = 0; i < nv; i++) d[i] = v[i] / mean;
        return d;
      },
      hiddenDisplay(f) {
        return Float32Array.from(f);
      },
    };
  }
  const weights = new Float64Array(nv * k);
  for (let i = 0; i < weights.length; i++) weights[i] = patterns[i] ? 1 : -1;
  const params = { kind, weights, nv, nh: k, visible: 'binary' };
  if (kind === 'softmax') params.beta = spec.beta;
  if (kind === 'polynomial') params.order = spec.order;
  const model = tdam.createModel(params);
  return {
    model,
    kind,
    nv,
    k,
    cueScale: 1,
    encode(cue01) {
      const v = new Float64Array(nv);
      for (let i = 0; i < nv; i++) v[i] = cue01[i] ? 1 : -1;
      return v;
    },
    ink(v) {
      const p = new Uint8Array(nv);
      for (let i = 0; i < nv; i++) p[i] = v[i] > 0 ? 1 : 0;
      return p;
    },
    display(v) {
      const d = new Float32Array(nv);
      for (let i = 0; i < nv; i++) d[i] = (v[i] + 1) / 2;
      return d;
    },
    hiddenDisplay(f) {
      // softmax: probabilities; polynomial: f / max f; hopfield: f = m (overlap), signed
      const d = new Float32Array(f.length);
      let max = 0;
      for (const x of f) max = Math.max(max, Math.abs(x));
      for (let i = 0; i < f.length; i++) d[i] = kind === 'softmax' ? f[i] : max > 0 ? f[i] / max : 0;
      return d;
    },
  };
}

function snapshot(b, visible, hidden, energy, steps) {
  const v = Float64Array.from(visible);
  const f = Float64Array.from(hidden);
  const state = {
    steps,
    energy,
    ink: b.ink(v),
    display: b.display(v),
    hidden: f,
    hiddenDisplay: b.hiddenDisplay(f),
    overlaps: Float64Array.from(b.model.overlaps(v)),
  };
  if (b.kind === 'threshold') {
    const code = new Float64Array(f.length);
    for (let i = 0; i < f.length; i++) code[i] = f[i] > 0.5 ? 1 : 0;
    state.code = Array.from(code, (x) => (x ? 1 : 0));
    state.stableCode = b.model.isStableCode(code);
  }
  return state;
}

function recallOptions(o) {
  const out = { schedule: o.schedule || 'sync', maxSteps: o.maxSteps ?? 200, seed: o.seed ?? 1 };
  if (out.schedule === 'continuous') {
    out.dt = o.dt ?? 0.1;
    out.tolerance = o.tolerance ?? 1e-6;
  }
  return out;
}

// ---- operations ------------------------------------------------------------

const ops = {
  async hello() {
    const tdam = await engine();
    return { version: tdam.version };
  },

  async randomPatterns({ nv, count, seed }) {
    const tdam = await engine();
    return tdam.randomPatterns(nv, count, seed);
  },

  // pixels: Uint8Array 0/1; every corruption runs on the +-1 image (occluded
  // pixels become background); rect = { top, left, height, width } for occlusion
  async corrupt({ pixels, kind, level = 0, rows, cols, rect, seed }) {
    const tdam = await engine();
    const x = new Float64Array(pixels.length);
    for (let i = 0; i < x.length; i++) x[i] = pixels[i] ? 1 : -1;
    const y = tdam.corrupt(x, { kind, level, rows, cols, ...(rect || {}), visible: 'binary', seed });
    const out = new Uint8Array(y.length);
    for (let i = 0; i < y.length; i++) out[i] = y[i] > 0 ? 1 : 0;
    return out;
  },

  // How many memories the library makes in each model.
  async memoryStats({ spec, listLimit = 10 }, id) {
    const tdam = await engine();
    const out = { threshold: null, baselines: {} };
    const b = buildModel(tdam, { ...spec, kind: 'threshold' });
    try {
      // exhaustive up to 20 parts (about a million codes), sampled beyond
      out.threshold = b.model.countStableCodes(spec.k > 20 ? { samples: 100000, seed: 1 } : {}, progressFor(id));
      if (spec.k <= listLimit) {
        const stable = [];
        const s = new Float64Array(spec.k);
        for (let c = 1; c < 1 << spec.k; c++) {
          for (let i = 0; i < spec.k; i++) s[i] = (c >> i) & 1;
          if (b.model.isStableCode(s)) stable.push(c);
        }
        out.threshold.stableCodes = stable;
      }
    } finally {
      b.model.delete();
    }
    for (const [kind, schedule] of [
      ['softmax', 'sync'],
      ['polynomial', 'async'],
      ['hopfield', 'async'],
    ]) {
      const m = buildModel(tdam, { ...spec, kind });
      try {
        out.baselines[kind] = { stable: m.model.countStablePatterns(schedule), schedule };
      } finally {
        m.model.delete();
      }
    }
    return out;
  },

  // Step-by-step recall (what the Recall view animates).
  async start({ sid, spec, cue, options }) {
    const tdam = await engine();
    ops.free({ sid });
    const b = buildModel(tdam, spec);
    let d;
    try {
      d = b.model.dynamics(b.encode(cue), recallOptions(options));
    } catch (e) {
      b.model.delete();
      throw e;
    }
    const maxSteps = options.maxSteps ?? 200;
    sessions.set(sid, { b, d, maxSteps, stop: null });
    return { state: snapshot(b, d.visible, d.hidden, d.energy, d.steps), cueScale: b.cueScale };
  },

  // Up to `count` steps; returns every step's energy and the last state.
  async step({ sid, count = 1 }, id) {
    const s = sessions.get(sid);
    if (!s) throw new Error('no recall in progress (press Reset)');
    const energies = [];
    const progress = count > 50 ? progressFor(id) : null;
    const planned = Math.max(1, Math.min(count, s.maxSteps - s.d.steps));
    let n = 0;
    while (n < count && !s.stop) {
      if (s.d.steps >= s.maxSteps) {
        s.stop = 'step_limit';
        break;
      }
      const moved = s.d.step();
      if (!moved) {
        s.stop = s.d.cycled ? 'cycle' : 'converged';
        break;
      }
      energies.push(s.d.energy);
      n++;
      if (progress && n % 10 === 0) progress(n / planned);
    }
    if (!s.stop && s.d.steps >= s.maxSteps) s.stop = 'step_limit';
    return { energies, stop: s.stop, state: snapshot(s.b, s.d.visible, s.d.hidden, s.d.energy, s.d.steps) };
  },

  free({ sid }) {
    const s = sessions.get(sid);
    if (s) {
      try {
        s.d.delete();
      } finally {
        s.b.model.delete();
        sessions.delete(sid);
      }
    }
    return true;
  },

  // A whole recall at once (Compare view).
  async recall({ spec, cue, options }) {
    const tdam = await engine();
    const b = buildModel(tdam, spec);
    try {
      const r = b.model.recall(b.encode(cue), { ...recallOptions(options), recordStates: false });
      const state = snapshot(b, r.finalVisible, r.finalHidden, r.energy[r.energy.length - 1], r.steps);
      return { state, stop: r.stop, energy: Float64Array.from(r.energy), cueScale: b.cueScale };
    } finally {
      b.model.delete();
    }
  },

  // Capacity of one random threshold network.
  async capacity(args, id) {
    const tdam = await engine();
    return countRandom(tdam, args, progressFor(id));
  },

  // A sweep over N_h or theta, each point a capacity count; partial results
  // arrive with the progress messages.
  async sweep({ base, param, values }, id) {
    const tdam = await engine();
    const report = progressFor(id);
    const results = [];
    // work per point ~ number of codes checked
    const cost = values.map((x) => {
      const nh = param === 'nh' ? x : base.nh;
      return base.samples > 0 || nh > 24 ? base.samples || 100000 : 2 ** nh;
    });
    const total = cost.reduce((s, c) => s + c, 0);
    let done = 0;
    for (let i = 0; i < values.length; i++) {
      const args = { ...base, [param]: values[i] };
      const r = countRandom(tdam, args, (f) => report((done + f * cost[i]) / total));
      done += cost[i];
      const point = { [param]: values[i], ...r };
      results.push(point);
      report(done / total, point);
    }
    return results;
  },
};

Object.assign(ops, realOps(engine, progressFor));

function countRandom(tdam, { nv, nh, theta, weights = 'pm1', seed = 1, visible = 'linear', samples = 0, sampleSeed = 1 }, onProgress) {
  const w = tdam.randomWeights(nv, nh, weights, seed);
  const m = tdam.createModel({ kind: 'threshold', weights: w, nv, nh, theta, visible });
  try {
    const opts = { seed: sampleSeed };
    if (samples > 0) opts.samples = samples;
    const t0 = performance.now();
    const r = m.countStableCodes(opts, onProgress);
    return { ...r, nv, nh, theta, ms: performance.now() - t0 };
  } finally {
    m.delete();
  }
}

self.onmessage = async (ev) => {
  const { id, op, args } = ev.data || {};
  const fn = ops[op];
  if (!fn) {
    post({ id, type: 'error', message: `unknown operation '${op}'` });
    return;
  }
  try {
    const result = await fn(args || {}, id);
    post({ id, type: 'result', result });
  } catch (e) {
    post({ id, type: 'error', message: e && e.message ? e.message : String(e) });
  }
};

engine().then(
  (t) => post({ type: 'ready', version: t.version }),
  (e) => post({ type: 'fatal', message: `the wasm engine failed to load: ${e && e.message ? e.message : e}` }),
);
