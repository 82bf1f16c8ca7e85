// Capacity explorer: count the stable codes of a random threshold network
// (exhaustively or sampled, with a progress bar and a cancel button), and
// plot memories against N_h and the stable fraction against theta.
import { Chart } from '../plots/chart.js';
import { CancelledError } from '../engine-client.js';
import { fmtInt, fmtPct } from '../format.js';

const MAX_EXHAUSTIVE = 24;

export function initCapacity({ engines }) {
  const engine = engines.capacity;
  const $ = (id) => document.getElementById(id);
  const pairs = {
    nv: [$('cap-nv'), $('cap-nv-num')],
    nh: [$('cap-nh'), $('cap-nh-num')],
    theta: [$('cap-theta'), $('cap-theta-num')],
  };
  const weights = $('cap-weights');
  const visibleSel = $('cap-visible');
  const seedIn = $('cap-seed');
  const mode = $('cap-mode');
  const samplesIn = $('cap-samples');
  const countBtn = $('cap-count');
  const sweepNh = $('cap-sweep-nh');
  const sweepTheta = $('cap-sweep-theta');
  const cancelBtn = $('cap-cancel');
  const bar = $('cap-progress');
  const barText = $('cap-progress-text');
  const result = $('cap-result');
  const note = $('cap-note');

  // range <-> number
  for (const [range, num] of Object.values(pairs)) {
    range.addEventListener('input', () => {
      num.value = range.value;
      changed();
    });
    num.addEventListener('input', () => {
      const v = Number(num.value);
      if (Number.isFinite(v)) range.value = String(Math.min(Number(range.max), Math.max(Number(range.min), v)));
      changed();
    });
  }

  function read() {
    const int = (x, lo, hi, d) => {
      const v = Math.floor(Number(x));
      return Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : d;
    };
    const theta = Number(pairs.theta[1].value);
    return {
      nv: int(pairs.nv[1].value, 1, 100000, 1000),
      nh: int(pairs.nh[1].value, 1, 64, 12),
      theta: Number.isFinite(theta) ? theta : 0.5,
      weights: weights.value,
      visible: visibleSel.value,
      seed: int(seedIn.value, 0, 2 ** 32 - 1, 1),
      mode: mode.value,
      samples: int(samplesIn.value, 100, 1e8, 100000),
    };
  }

  // what to pass to the engine for one count
  function countArgs(p) {
    let samples = 0;
    if (p.mode === 'sampled' || (p.mode === 'auto' && p.nh > MAX_EXHAUSTIVE)) samples = p.samples;
    return { nv: p.nv, nh: p.nh, theta: p.theta, weights: p.weights, visible: p.visible, seed: p.seed, samples, sampleSeed: p.seed };
  }

  // ---- plots ----
  const nhChart = new Chart($('cap-plot-nh'), {
    label: 'Number of memories against the number of hidden units Nₕ, log scale',
    height: 260,
    x: { label: 'Nₕ (hidden units)', min: 1, integer: true },
    y: { label: 'memories', log: true, min: 1 },
  });
  const thetaChart = new Chart($('cap-plot-theta'), {
    label: 'Fraction of stable codes against the threshold theta',
    height: 230,
    x: { label: 'θ', min: 0, max: 1 },
    y: { label: 'stable fraction', min: 0, max: 1 },
  });
  let nhPoints = new Map(); // nh -> result, for the current (nv, theta, weights, visible, seed)
  let thetaPoints = new Map(); // theta -> result, for the current (nv, nh, weights, visible, seed)
  let nhKey = '';
  let thetaKey = '';

  function keys(p) {
    return { nh: `${p.nv}|${p.theta}|${p.weights}|${p.visible}|${p.seed}`, theta: `${p.nv}|${p.nh}|${p.weights}|${p.visible}|${p.seed}` };
  }

  function drawPlots() {
    const p = read();
    const k = keys(p);
    if (k.nh !== nhKey) {
      nhKey = k.nh;
      nhPoints = new Map();
    }
    if (k.theta !== thetaKey) {
      thetaKey = k.theta;
      thetaPoints = new Map();
    }
    const measured = [...nhPoints.values()].sort((a, b) => a.nh - b.nh);
    const xmax = Math.max(16, p.nh, ...measured.map((r) => r.nh));
    const xs = Array.from({ length: xmax }, (_, i) => i + 1);
    const hop = 0.14 * p.nv;
    nhChart.setSeries(
      [
        { name: '2ᴺʰ − 1: every non-zero code (threshold, at best)', points: xs.map((x) => [x, 2 ** x - 1]), type: 'line', cls: 'series-threshold' },
        { name: 'Nₕ: one memory per hidden unit (softmax, polynomial)', points: xs.map((x) => [x, x]), type: 'line', cls: 'series-baseline' },
        { name: `0.14 Nᵥ = ${fmtInt(Math.round(hop))}: Hopfield, random patterns`, points: [[1, hop], [xmax, hop]], type: 'line', dashed: true, cls: 'series-hopfield' },
        {
          name: `measured: stable codes at Nᵥ = ${fmtInt(p.nv)}, θ = ${p.theta}`,
          points: measured.map((r) => [r.nh, Math.max(r.stable, 0)]),
          errors: measured.map((r) => (r.exhaustive ? null : r.stableCi95)),
          type: 'points',
          cls: 'series-measured',
        },
      ],
      { x: { max: xmax }, y: { max: Math.max(2 ** xmax, hop * 2) } },
    );
    const tm = [...thetaPoints.values()].sort((a, b) => a.theta - b.theta);
    thetaChart.setSeries(
      [
        {
          name: `measured: Nᵥ = ${fmtInt(p.nv)}, Nₕ = ${p.nh}`,
          points: tm.map((r) => [r.theta, r.fraction]),
          errors: tm.map((r) => (r.exhaustive ? null : r.fractionCi95)),
          type: 'linepoints',
          cls: 'series-measured',
        },
      ],
      { x: { max: Math.max(1, ...tm.map((r) => r.theta)) } },
    );
  }

  function record(r) {
    const p = read();
    const k = keys(p);
    if (`${r.nv}|${r.theta}|${p.weights}|${p.visible}|${p.seed}` === k.nh) nhPoints.set(r.nh, r);
    if (`${r.nv}|${r.nh}|${p.weights}|${p.visible}|${p.seed}` === k.theta) thetaPoints.set(r.theta, r);
  }

  function describe(r) {
    const pct = fmtPct(r.fraction, r.fraction > 0.999 && r.fraction < 1 ? 3 : 1);
    if (r.exhaustive) {
      return {
        title: `${fmtInt(r.stable)} of ${fmtInt(r.total)} non-zero codes are stable (${pct}).`,
        detail: `Counted exhaustively in ${(r.ms / 1000).toFixed(2)} s: Nᵥ = ${fmtInt(r.nv)}, Nₕ = ${r.nh}, θ = ${r.theta}.`,
      };
    }
    const [lo, hi] = r.fractionCi95;
    const [slo, shi] = r.stableCi95;
    return {
      title: `About ${fmtInt(Math.round(r.stable))} of ${fmtInt(r.total)} codes are stable (${pct}).`,
      detail: `${fmtInt(r.stableChecked)} of ${fmtInt(r.checked)} uniformly sampled non-zero codes; 95% interval ${fmtPct(lo, 2)}–${fmtPct(hi, 2)}, i.e. ${fmtInt(Math.round(slo))}–${fmtInt(Math.round(shi))} codes. ${(r.ms / 1000).toFixed(2)} s.`,
    };
  }

  function setResult(kind, title, detail = '') {
    result.dataset.kind = kind;
    result.replaceChildren();
    const t = document.createElement('strong');
    t.className = 'status__title';
    t.textContent = title;
    result.append(t);
    if (detail) {
      const d = document.createElement('span');
      d.className = 'status__detail';
      d.textContent = detail;
      result.append(d);
    }
  }

  let running = false;
  function setRunning(on) {
    running = on;
    countBtn.disabled = on;
    sweepNh.disabled = on;
    sweepTheta.disabled = on;
    cancelBtn.disabled = !on;
    if (on) {
      bar.value = 0;
      barText.textContent = '0%';
      cancelBtn.focus();
    }
  }
  const onProgress = (f) => {
    bar.value = f;
    barText.textContent = `${Math.floor(f * 100)}%`;
  };

  async function guard(label, fn) {
    setRunning(true);
    setResult('running', label);
    try {
      await fn();
      bar.value = 1;
      barText.textContent = 'done';
    } catch (e) {
      if (e instanceof CancelledError) {
        setResult('warn', 'Cancelled.', 'The capacity worker was stopped and a fresh one started; the module is ready again.');
        barText.textContent = 'cancelled';
      } else {
        setResult('bad', 'Error', e.message);
        barText.textContent = 'error';
      }
    } finally {
      const hadFocus = document.activeElement === cancelBtn;
      setRunning(false);
      if (hadFocus) countBtn.focus();
      drawPlots();
    }
  }

  function validate(p) {
    if (p.mode === 'exhaustive' && p.nh > MAX_EXHAUSTIVE) {
      setResult('bad', `Exhaustive counting goes up to Nₕ = ${MAX_EXHAUSTIVE}.`, 'Choose “Sampled codes” (or the automatic mode) for larger networks.');
      return false;
    }
    if (p.nv * p.nh > 2 ** 26) {
      setResult('bad', 'This network is too large.', 'Nᵥ × Nₕ must stay below 67,108,864 weights.');
      return false;
    }
    return true;
  }

  countBtn.addEventListener('click', () => {
    const p = read();
    if (!validate(p)) return;
    guard(`Counting stable codes of Nₕ = ${p.nh}…`, async () => {
      const r = await engine.call('capacity', countArgs(p), { onProgress });
      record(r);
      const d = describe(r);
      setResult(r.fraction === 1 ? 'good' : 'neutral', d.title, d.detail);
    });
  });

  sweepNh.addEventListener('click', () => {
    const p = read();
    if (!validate(p)) return;
    const values = Array.from({ length: p.nh }, (_, i) => i + 1);
    guard(`Sweeping Nₕ = 1…${p.nh}…`, async () => {
      const base = countArgs(p);
      const rs = await engine.call(
        'sweep',
        { base, param: 'nh', values },
        {
          onProgress: (f, partial) => {
            onProgress(f);
            if (partial) {
              record(partial);
              drawPlots();
            }
          },
        },
      );
      rs.forEach(record);
      const last = rs[rs.length - 1];
      const d = describe(last);
      setResult('neutral', `Sweep done (Nₕ = 1…${p.nh}). At Nₕ = ${last.nh}: ${d.title}`, d.detail);
    });
  });

  sweepTheta.addEventListener('click', () => {
    const p = read();
    if (!validate(p)) return;
    const values = Array.from({ length: 21 }, (_, i) => Math.round(i * 5) / 100);
    guard(`Sweeping θ = 0…1 at Nₕ = ${p.nh}…`, async () => {
      const rs = await engine.call(
        'sweep',
        { base: countArgs(p), param: 'theta', values },
        {
          onProgress: (f, partial) => {
            onProgress(f);
            if (partial) {
              record(partial);
              drawPlots();
            }
          },
        },
      );
      rs.forEach(record);
      const best = rs.reduce((a, b) => (b.fraction > a.fraction ? b : a));
      setResult('neutral', `Sweep done: θ = 0…1 at Nᵥ = ${fmtInt(p.nv)}, Nₕ = ${p.nh}.`, `Largest stable fraction ${fmtPct(best.fraction)} at θ = ${best.theta}.`);
    });
  });

  cancelBtn.addEventListener('click', () => {
    if (running) engine.cancel();
  });

  function changed() {
    const p = read();
    const ratio = p.nv / (p.nh * p.nh);
    const exhaustive = p.mode === 'exhaustive' || (p.mode === 'auto' && p.nh <= MAX_EXHAUSTIVE);
    note.textContent =
      `${exhaustive ? `Exhaustive: ${fmtInt(2 ** p.nh - 1)} codes.` : `Sampled: ${fmtInt(p.samples)} codes.`} ` +
      `Nᵥ / Nₕ² = ${ratio.toFixed(1)}${p.visible === 'linear' ? ` (all codes stable at θ = ½ roughly when above 5.5)` : ''}.`;
    drawPlots();
  }
  for (const el of [weights, visibleSel, seedIn, mode, samplesIn]) el.addEventListener('change', changed);
  changed();
  return {
    // for links (share/link.js): the controls (results are not kept)
    read() {
      const p = read();
      return { nv: p.nv, nh: p.nh, ctheta: p.theta, weights: p.weights, visible: p.visible, cseed: p.seed, cmode: p.mode, samples: p.samples };
    },
    restore(s) {
      const set = ([range, num], v) => {
        num.value = String(v);
        range.value = String(Math.min(Number(range.max), Math.max(Number(range.min), v)));
      };
      set(pairs.nv, s.nv);
      set(pairs.nh, s.nh);
      set(pairs.theta, s.ctheta);
      weights.value = s.weights;
      visibleSel.value = s.visible;
      seedIn.value = String(s.cseed);
      mode.value = s.cmode;
      samplesIn.value = String(s.samples);
      changed();
    },
  };
}
