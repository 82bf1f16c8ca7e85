// Real images: a threshold network learned from MNIST (the shipped one, made
// by `tdam train`, or one trained here), a digit or a drawing, a corrupted
// cue, the recall step by step, the hidden code and the decoded class; and
// training in the browser with a progress bar, a live loss plot and Cancel.
//
// Work runs in two workers (web/src/real/engine-ops.js): engines.real holds
// the network and its decoder (load, cue, recall, install), engines.learn
// trains, so that cancelling a training (terminating its worker) leaves the
// network in use untouched.
import { PixelGrid, drawThumb } from '../components/pixel-grid.js';
import { Units } from '../components/units.js';
import { Bars } from '../plots/bars.js';
import { Chart } from '../plots/chart.js';
import { CancelledError } from '../engine-client.js';
import { fmtInt, fmtNum, fmtPct } from '../format.js';
import { loadDigits } from '../real/dataset.js';
import * as S from '../state.js';

const $ = (id) => document.getElementById(id);
const PLAY_MS = 450; // per step of the recall animation
// The level field per corruption, in the units shown (percent or sigma);
// `key` is the link field (share/schema.js, version 2) and `scale` turns the
// shown value into the core's level.
const LEVELS = {
  flip: { label: 'Pixels flipped (%)', min: 0, max: 100, step: 1, key: 'rflip', scale: 100 },
  occlude: { label: 'Rows hidden (%)', min: 0, max: 100, step: 1, key: 'rocc', scale: 100 },
  gaussian: { label: 'Noise σ', min: 0, max: 2, step: 0.05, key: 'rsigma', scale: 1 },
  none: { label: 'Level', min: 0, max: 0, step: 1, key: null, scale: 1 },
};

function clampInt(input, lo, hi, fallback) {
  const v = Math.floor(Number(input.value));
  const out = Number.isFinite(v) ? Math.max(lo, Math.min(hi, v)) : fallback;
  input.value = String(out);
  return out;
}

function binarise(values) {
  return Uint8Array.from(values, (v) => (v > 0.5 ? 1 : 0));
}

// Strokes one pixel wider on every side (a plus-shaped dilation): MNIST
// digits are drawn with a pen about three pixels wide, and a network trained
// on them codes a one-pixel line poorly.
function thicken(pixels, n) {
  const out = new Uint8Array(pixels.length);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!pixels[r * n + c]) continue;
      out[r * n + c] = 1;
      if (r > 0) out[(r - 1) * n + c] = 1;
      if (r < n - 1) out[(r + 1) * n + c] = 1;
      if (c > 0) out[r * n + c - 1] = 1;
      if (c < n - 1) out[r * n + c + 1] = 1;
    }
  }
  return out;
}

function clamp01(values) {
  return Float32Array.from(values, (v) => Math.max(0, Math.min(1, v)));
}

export function initReal(ctx) {
  // The two workers start when the tab is first shown (main.js).
  let engine = null;
  let learn = null;
  const startEngines = () => {
    if (!engine) ({ real: engine, learn } = ctx.startEngines());
  };
  const status = $('real-status');
  const loadRow = $('real-load-row');
  const loadBar = $('real-load-progress');
  const loadText = $('real-load-text');
  const runBtn = $('real-run');
  const stepIn = $('real-step');
  const stepOut = $('real-step-out');
  const digitIn = $('real-digit');
  const kindIn = $('real-kind');
  const levelIn = $('real-level');
  const seedIn = $('real-seed');

  const original = new PixelGrid({ label: 'Original image', size: 28 });
  const cue = new PixelGrid({ label: 'Corrupted cue', size: 28 });
  const recalled = new PixelGrid({ label: 'Recalled image xi s', size: 28 });
  original.canvas.id = 'real-original-canvas';
  cue.canvas.id = 'real-cue-canvas';
  recalled.canvas.id = 'real-recalled-canvas';
  $('real-original').append(original.el);
  $('real-cue').append(cue.el);
  $('real-recalled').append(recalled.el);
  const drawGrid = new PixelGrid({
    label: 'Draw a digit',
    editable: true,
    size: 28,
    onEdit: () => {
      if (source() === 'draw') showImage();
    },
  });
  drawGrid.canvas.id = 'real-draw-canvas';
  $('real-draw-grid').append(drawGrid.el);
  const units = new Units($('real-units'));
  const classes = new Bars($('real-classes'), { label: 'Probability of each class, from the hidden code', min: 0, max: 1 });
  const lossChart = new Chart($('real-loss'), {
    label: 'Training loss against minibatch update',
    height: 190,
    x: { label: 'update (minibatch)', min: 0, integer: true },
    y: { label: 'reconstruction loss' },
  });

  // What the view works on: the network in the worker and the images it was
  // made for (MNIST digits, or the stored patterns it was trained on).
  let digits = null; // Digits (real/dataset.js), once loaded
  let split = null; // { test: [indices] } for the held-out picker
  let network = null; // realLoad / realInstall result + { labelled }
  let patterns = null; // { n, images: [Float64Array], names } when trained on stored patterns
  let loading = null;
  let run = 0; // invalidates older recalls
  let states = [];
  let result = null;
  let timer = null;

  const source = () => (document.querySelector('input[name="real-src"]:checked') || {}).value || 'digit';
  const side = () => (network ? network.rows : 28);

  function setStatus(text, kind = 'info') {
    status.textContent = text;
    status.dataset.kind = kind;
  }

  // ---- the image ------------------------------------------------------------

  function pickCount() {
    return patterns ? patterns.images.length : split ? split.test.length : 1;
  }

  function currentIndex() {
    return clampInt(digitIn, 1, pickCount(), 1) - 1;
  }

  // The clean image (Float64Array of grey values) and its label (or null).
  function currentImage() {
    if (source() === 'draw') {
      const pixels = $('real-draw-thick').checked ? thicken(drawGrid.pixels, side()) : drawGrid.pixels;
      return { image: Float64Array.from(pixels), label: null, name: 'your drawing' };
    }
    const k = currentIndex();
    if (patterns) return { image: patterns.images[k], label: null, name: `pattern “${patterns.names[k]}”` };
    if (!digits || !split) return null;
    const index = split.test[k];
    return { image: digits.image(index), label: digits.labels[index], name: `digit ${k + 1}` };
  }

  function showImage() {
    const cur = currentImage();
    if (!cur) return;
    const n = side();
    original.setState(clamp01(cur.image), binarise(cur.image), n);
    $('real-original-caption').textContent = cur.label === null ? 'Original' : `Original (a ${cur.label})`;
    original.canvas.dataset.label = cur.label === null ? '' : String(cur.label);
    clearRecall();
  }

  function clearRecall() {
    run++;
    clearTimeout(timer);
    states = [];
    result = null;
    stepIn.max = '0';
    stepIn.value = '0';
    stepIn.disabled = true;
    stepOut.textContent = '–';
    cue.setState(new Float32Array(side() * side()), new Uint8Array(side() * side()), side());
    recalled.setState(new Float32Array(side() * side()), new Uint8Array(side() * side()), side());
    recalled.canvas.dataset.step = '';
    units.clear();
    classes.set([]);
    $('real-units-note').textContent = '';
    $('real-classes-note').textContent = '';
    if (network) setStatus('Press “Recall”.', 'idle');
  }

  // The core's level of each corruption (what links store), on the link's grid.
  const levels = { rflip: 0.2, rocc: 0.5, rsigma: 0.3 };

  function updateLevelField() {
    const L = LEVELS[kindIn.value] || LEVELS.flip;
    $('real-level-label').textContent = L.label;
    levelIn.min = String(L.min);
    levelIn.max = String(L.max);
    levelIn.step = String(L.step);
    levelIn.disabled = !L.key;
    levelIn.value = L.key ? String(Number((levels[L.key] * L.scale).toFixed(2))) : '0';
  }

  // Reads the level field into `levels` (clamped, rounded to its step).
  function readLevel() {
    const L = LEVELS[kindIn.value] || LEVELS.flip;
    if (!L.key) return;
    let v = Number(levelIn.value);
    if (!Number.isFinite(v)) v = levels[L.key] * L.scale;
    v = Math.max(L.min, Math.min(L.max, Math.round(v / L.step) * L.step));
    levels[L.key] = Number((v / L.scale).toFixed(2));
    updateLevelField();
  }

  function corruption() {
    readLevel();
    const L = LEVELS[kindIn.value] || LEVELS.flip;
    return { kind: kindIn.value, level: L.key ? levels[L.key] : 0, seed: clampInt(seedIn, 0, 4294967295, 1) };
  }

  function describeCue(c) {
    if (c.kind === 'none') return 'Cue: the image itself';
    if (c.kind === 'flip') return `Cue: ${fmtPct(c.level, 0)} of pixels flipped`;
    if (c.kind === 'occlude') return `Cue: lower ${fmtPct(c.level, 0)} of rows hidden`;
    return `Cue: noise σ = ${c.level}`;
  }

  // ---- recall ---------------------------------------------------------------

  function showStep(i) {
    const st = states[i];
    if (!st) return;
    const n = side();
    recalled.setState(clamp01(st.visible), binarise(st.visible), n);
    recalled.canvas.dataset.step = String(i);
    stepIn.value = String(i);
    stepOut.textContent = `step ${i} of ${states.length - 1}`;
    $('real-recalled-caption').textContent = i === 0 ? 'Recall: the cue, step 0' : `Recall: ξ s at step ${i}`;
    const nh = st.code.length;
    units.set(Array.from({ length: nh }, (_, mu) => String(mu + 1)), Array.from(st.code), { binary: true });
    const on = st.code.reduce((a, b) => a + b, 0);
    $('real-units-note').textContent = `${on} of ${nh} units on${i === 0 ? ' (the cue’s code)' : ''}`;
    if (st.probabilities) {
      const best = st.decoded;
      classes.set(st.probabilities.map((p, c) => ({ name: String(c), value: p, highlight: c === best })));
      $('real-classes').dataset.decoded = String(best);
      $('real-classes-note').textContent = `${best} (${fmtPct(st.probabilities[best], 0)})`;
    } else {
      classes.set([]);
      delete $('real-classes').dataset.decoded;
      $('real-classes-note').textContent = 'no class labels for this network';
    }
  }

  function summary(cur) {
    const r = result;
    const nh = network.nh;
    const stop =
      r.stop === 'converged'
        ? `Converged after ${r.steps} step${r.steps === 1 ? '' : 's'}`
        : r.stop === 'cycle'
          ? `Entered a 2-cycle after ${r.steps} steps`
          : `Stopped at the step limit (${r.steps})`;
    const same =
      r.bitsFromClean === 0
        ? 'the recalled code is exactly the clean image’s code'
        : `the recalled code differs from the clean image’s code in ${r.bitsFromClean} of ${nh} bits`;
    let cls = '';
    const last = states[states.length - 1];
    if (last && last.decoded !== null) {
      cls = ` Decoded as ${last.decoded}${cur.label !== null ? ` (the digit is a ${cur.label}; the clean image decodes as ${r.cleanDecoded})` : ''}.`;
    }
    return `${stop}${r.stable ? ' at a fixed point' : ''}: ${same}.${cls}`;
  }

  async function recall() {
    if (!network) return;
    const cur = currentImage();
    if (!cur) return;
    const my = ++run;
    clearTimeout(timer);
    const c = corruption();
    runBtn.disabled = true;
    setStatus('Recalling…', 'busy');
    try {
      const cueImage = await engine.call('realCue', { image: cur.image, ...c });
      if (my !== run) return;
      cue.setState(clamp01(cueImage), binarise(cueImage), side());
      $('real-cue-caption').textContent = describeCue(c);
      const r = await engine.call('realRecall', { cue: cueImage, clean: cur.image, maxSteps: 50 });
      if (my !== run) return;
      states = r.states;
      result = r;
      stepIn.max = String(states.length - 1);
      stepIn.disabled = states.length < 2;
      const kind = r.bitsFromClean === 0 ? 'ok' : 'warn';
      status.dataset.bits = String(r.bitsFromClean);
      status.dataset.stop = r.stop;
      // Animate: step 0 (the cue's own code), then each step.
      let i = 0;
      const play = () => {
        if (my !== run) return;
        showStep(i);
        if (i < states.length - 1) {
          i++;
          timer = setTimeout(play, PLAY_MS);
        } else {
          setStatus(summary(cur), kind);
          status.dataset.done = String(my);
        }
      };
      play();
    } catch (e) {
      if (my === run) setStatus(e.message, 'error');
    } finally {
      if (my === run) runBtn.disabled = !network;
    }
  }

  // ---- the network ----------------------------------------------------------

  function describeNetwork() {
    const n = network;
    const text = $('real-network-text');
    const st = $('real-network-stats');
    st.replaceChildren();
    const row = (name, value) => {
      const div = document.createElement('div');
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = name;
      dd.textContent = value;
      div.append(dt, dd);
      st.append(div);
    };
    if (n.info.shipped) {
      const data = n.info.dataset.startsWith('mnist train ') ? `the ${fmtInt(n.info.settings.images)} MNIST training digits` : n.info.dataset;
      text.textContent = `Shipped with the page (${n.info.file}): N_h = ${n.nh} hidden units, learned from ${data} by “${n.info.command}” (seed ${n.info.seed}).`;
    } else {
      const what = n.info.source === 'mnist' ? `${fmtInt(n.info.count)} MNIST digits` : `your ${n.info.count} stored pattern${n.info.count === 1 ? '' : 's'}`;
      text.textContent = `Trained here: N_h = ${n.nh} hidden units, ${n.info.epochs} epochs on ${what}, seed ${n.info.seed}, in ${fmtNum(n.info.seconds, 2)} s.`;
    }
    row('Hidden units', `${n.nh} (2^${n.nh} possible codes)`);
    if (n.stats) {
      row('Distinct codes of the training images', `${fmtInt(n.stats.distinctCodes)} of ${fmtInt(n.stats.images)}`);
      row('Codes that are fixed points', fmtPct(n.stats.fixedPoints / n.stats.images));
      row('Units on per image', fmtNum(n.stats.meanActive, 3));
    }
    if (n.decoder) {
      row(
        'Decoder accuracy',
        n.decoder.testAccuracy === null
          ? `${fmtPct(n.decoder.trainAccuracy)} on the training digits (none held out)`
          : `${fmtPct(n.decoder.testAccuracy)} on ${fmtInt(n.decoder.testImages)} held-out digits`,
      );
    }
    st.dataset.nh = String(n.nh);
    st.dataset.distinct = n.stats ? String(n.stats.distinctCodes) : '';
    st.dataset.active = n.stats ? String(n.stats.meanActive) : '';
    $('real-shipped').disabled = !!n.info.shipped;
    document.body.dataset.realNetwork = n.info.shipped ? 'shipped' : 'trained';
  }

  function updatePicker() {
    const count = pickCount();
    digitIn.max = String(count);
    $('real-digit-label').textContent = patterns ? `Pattern no. (of ${count})` : `Digit no. (of ${fmtInt(count)})`;
    $('real-src-digit').nextElementSibling.textContent = patterns ? 'Stored pattern' : network.heldOut ? 'Held-out digit' : 'Test digit (trained on)';
    clampInt(digitIn, 1, count, 1);
    drawGrid.setSize(side());
    buildStrip();
  }

  // Quick picks: the first held-out example of each class (MNIST), or the
  // stored patterns.
  function buildStrip() {
    const strip = $('real-strip');
    strip.replaceChildren();
    const items = [];
    if (patterns) {
      patterns.images.forEach((img, k) => items.push({ k, img, name: patterns.names[k] }));
    } else if (digits && split) {
      const seen = new Set();
      for (let k = 0; k < split.test.length && seen.size < 10; k++) {
        const label = digits.labels[split.test[k]];
        if (seen.has(label)) continue;
        seen.add(label);
        items.push({ k, img: digits.image(split.test[k]), name: `a ${label}`, label });
      }
      items.sort((a, b) => a.label - b.label);
    }
    for (const it of items.slice(0, 32)) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'real-strip__pick';
      b.setAttribute('aria-label', `Pick ${it.name} (no. ${it.k + 1})`);
      const canvas = document.createElement('canvas');
      canvas.setAttribute('aria-hidden', 'true');
      drawThumb(canvas, clamp01(it.img), side(), 36);
      b.append(canvas);
      b.addEventListener('click', () => {
        $('real-src-digit').checked = true;
        showSource();
        digitIn.value = String(it.k + 1);
        showImage();
        recall();
      });
      li.append(b);
      strip.append(li);
    }
  }

  function loaded(net, extra = {}) {
    network = { ...net, ...extra };
    describeNetwork();
    updatePicker();
    runBtn.disabled = false;
    showImage();
    loadRow.hidden = true;
    document.body.dataset.real = 'ready';
  }

  async function load() {
    if (loading) return loading;
    startEngines();
    loadRow.hidden = false;
    loadText.textContent = 'Loading 10,000 digits and the shipped network…';
    setStatus('Loading…', 'busy');
    loading = (async () => {
      try {
        const [d, net] = await Promise.all([
          loadDigits(),
          engine.call('realLoad', {}, {
            onProgress: (f) => {
              loadBar.value = f;
              loadText.textContent = `Training the decoder on the codes of the training digits… ${Math.round(100 * f)}%`;
            },
          }),
        ]);
        digits = d;
        split = { test: net.testIndices };
        patterns = null;
        loaded(net);
        recall(); // something to look at at once (and what a shared link shows)
      } catch (e) {
        loading = null;
        loadText.textContent = 'Could not load the network.';
        setStatus(`The Real images view could not start: ${e.message}`, 'error');
        document.body.dataset.real = 'error';
      }
    })();
    return loading;
  }

  // ---- training -------------------------------------------------------------

  const trainBtn = $('real-train');
  const cancelBtn = $('real-train-cancel');
  const trainBar = $('real-train-progress');
  const trainText = $('real-train-text');
  const trainStatus = $('real-train-status');
  const sourceIn = $('real-train-source');
  const countIn = $('real-train-count');

  function setTrainStatus(text, kind = 'info') {
    trainStatus.textContent = text;
    trainStatus.dataset.kind = kind;
  }

  function updateTrainSource() {
    const mnist = sourceIn.value === 'mnist';
    countIn.disabled = !mnist;
    $('real-train-hint').textContent = mnist
      ? 'The first digits of the 8,000 training digits (past 8,000 the held-out ones too); the same tdam train code, compiled to WebAssembly, in a worker.'
      : `The ${S.state.library.length} pattern${S.state.library.length === 1 ? '' : 's'} stored in Draw & store, at ${S.state.size} × ${S.state.size}, as images (ink 1, background 0).`;
  }

  function libraryImages() {
    const n = S.state.size;
    const items = S.state.library;
    const data = new Float64Array(items.length * n * n);
    const images = [];
    items.forEach((it, k) => {
      const p = S.itemPixels(it, n);
      const img = Float64Array.from(p);
      data.set(img, k * n * n);
      images.push(img);
    });
    return { n, data, images, names: items.map((it) => it.name) };
  }

  let losses = [];
  function plotLoss(epochs = []) {
    const series = [{ name: 'minibatch loss', points: losses, type: 'line', cls: 'series-measured' }];
    if (epochs.length) series.push({ name: 'epoch mean', points: epochs, type: 'linepoints', cls: 'series-threshold' });
    lossChart.setSeries(series);
    $('real-loss').dataset.points = String(losses.length);
  }

  async function train() {
    if (!network) await load(); // training needs the digits and the decoder's worker
    if (!network) return;
    const src = sourceIn.value;
    const nh = clampInt($('real-train-nh'), 1, 64, 32);
    const epochs = clampInt($('real-train-epochs'), 1, 50, 10);
    const seed = clampInt($('real-train-seed'), 0, 4294967295, 1);
    let args;
    let lib = null;
    if (src === 'mnist') {
      const count = clampInt(countIn, 10, digits ? digits.count : 10000, 2000);
      // The same images as tdam train's --limit (first `count` of the train
      // split) or, past 8,000, --split all (train then held-out digits).
      const split = count <= 8000 ? 'train' : 'all';
      const stem = `tdam-mnist-h${nh}-n${count}-e${epochs}-s${seed}`;
      const record = {
        stem,
        command: `tdam train --dataset mnist${split === 'all' ? ' --split all' : ''} --limit ${count} --hidden ${nh} --epochs ${epochs} --seed ${seed} --out ${stem}`,
        dataset: `mnist ${split} ${count}`,
        rows: 28,
        cols: 28,
      };
      args = { source: 'mnist', count, options: { hidden: nh, epochs, seed }, record };
    } else {
      lib = libraryImages();
      if (!lib.images.length) {
        setTrainStatus('Nothing is stored yet: store some patterns in “Draw & store” first.', 'error');
        return;
      }
      const batch = Math.min(50, lib.images.length);
      const k = lib.images.length;
      const record = {
        stem: `tdam-patterns-h${nh}-k${k}-e${epochs}-s${seed}`,
        command: `tdam playground: trainThreshold on ${k} stored pattern${k === 1 ? '' : 's'} (${lib.n} x ${lib.n}), hidden ${nh}, epochs ${epochs}, batch ${batch}, seed ${seed}`,
        dataset: `playground patterns ${k}`,
        rows: lib.n,
        cols: lib.n,
      };
      args = { source: 'patterns', patterns: { data: lib.data, nv: lib.n * lib.n, count: k }, options: { hidden: nh, epochs, seed, batch }, record };
    }
    losses = [];
    plotLoss();
    trainBtn.disabled = true;
    cancelBtn.disabled = false;
    trainBar.value = 0;
    trainText.textContent = '0%';
    setTrainStatus('Training…', 'busy');
    document.body.dataset.training = 'running';
    try {
      const r = await learn.call('realTrain', args, {
        onProgress: (f, partial) => {
          trainBar.value = f;
          trainText.textContent = `${Math.round(100 * f)}%`;
          if (partial && partial.losses) {
            losses.push(...partial.losses);
            plotLoss();
          }
        },
      });
      const perEpoch = Array.from(r.lossPerEpoch);
      const batches = r.steps / epochs;
      plotLoss(perEpoch.map((l, e) => [(e + 1) * batches, l]));
      trainText.textContent = 'installing…';
      setTrainStatus(`Trained in ${fmtNum(r.seconds, 2)} s (${fmtInt(r.steps)} updates); final epoch loss ${fmtNum(perEpoch[perEpoch.length - 1], 4)}. Building the decoder…`, 'busy');
      const info = {
        source: src,
        shipped: false,
        count: r.count,
        epochs,
        seed,
        seconds: r.seconds,
        rows: src === 'mnist' ? 28 : lib.n,
        cols: src === 'mnist' ? 28 : lib.n,
      };
      const net = await engine.call('realInstall', { network: { xi: r.xi, theta: r.theta, nv: r.nv, nh: r.nh }, info }, {
        onProgress: (f) => {
          trainText.textContent = `decoder ${Math.round(100 * f)}%`;
        },
      });
      offerDownload(r.files);
      patterns = src === 'patterns' ? { n: lib.n, images: lib.images, names: lib.names } : null;
      if (!patterns) split = { test: net.testIndices };
      loaded(net);
      trainText.textContent = 'done';
      setTrainStatus(`Trained in ${fmtNum(r.seconds, 2)} s: ${fmtInt(r.steps)} updates, final epoch loss ${fmtNum(perEpoch[perEpoch.length - 1], 4)}. The network above is now this one.`, 'ok');
      document.body.dataset.training = 'done';
    } catch (e) {
      const cancelled = e instanceof CancelledError;
      trainText.textContent = cancelled ? 'cancelled' : 'failed';
      setTrainStatus(cancelled ? 'Cancelled: the network in use is unchanged.' : e.message, cancelled ? 'idle' : 'error');
      document.body.dataset.training = cancelled ? 'cancelled' : 'error';
    } finally {
      trainBtn.disabled = false;
      cancelBtn.disabled = true;
    }
  }

  // The trained network as tdam::save_network's two files, for tdam eval.
  let urls = [];
  function offerDownload(files) {
    for (const u of urls) URL.revokeObjectURL(u);
    urls = [];
    const row = $('real-download');
    row.replaceChildren();
    const link = (name, blob) => {
      const a = document.createElement('a');
      const url = URL.createObjectURL(blob);
      urls.push(url);
      a.href = url;
      a.download = name;
      a.className = 'button button--quiet';
      a.textContent = `Download ${name}`;
      row.append(a);
    };
    link(`${files.stem}.json`, new Blob([files.json], { type: 'application/json' }));
    link(`${files.stem}.npy`, new Blob([files.npy], { type: 'application/octet-stream' }));
    const note = document.createElement('p');
    note.className = 'hint';
    note.textContent = `Save both in one folder; tdam eval --network ${files.stem} reads them.`;
    row.append(note);
    row.hidden = false;
  }

  async function useShipped() {
    $('real-shipped').disabled = true;
    loading = null;
    network = null;
    runBtn.disabled = true;
    await load();
  }

  // ---- wiring ---------------------------------------------------------------

  function showSource() {
    const draw = source() === 'draw';
    $('real-digit-row').hidden = draw;
    $('real-draw-row').hidden = !draw;
  }

  for (const r of document.querySelectorAll('input[name="real-src"]')) {
    r.addEventListener('change', () => {
      showSource();
      showImage();
    });
  }
  digitIn.addEventListener('change', () => {
    showImage();
    recall();
  });
  const move = (delta) => {
    const count = pickCount();
    digitIn.value = String(((currentIndex() + delta + count) % count) + 1);
    showImage();
    recall();
  };
  $('real-prev').addEventListener('click', () => move(-1));
  $('real-next').addEventListener('click', () => move(1));
  $('real-random').addEventListener('click', () => {
    digitIn.value = String(1 + Math.floor(Math.random() * pickCount()));
    showImage();
    recall();
  });
  $('real-draw-thick').addEventListener('change', () => showImage());
  $('real-draw-clear').addEventListener('click', () => {
    drawGrid.setPixels(new Uint8Array(side() * side()), side());
    showImage();
  });
  $('real-draw-copy').addEventListener('click', () => {
    const k = currentIndex();
    const img = patterns ? patterns.images[k] : digits && split ? digits.image(split.test[k]) : null;
    if (img) drawGrid.setPixels(binarise(img), side());
    showImage();
  });
  kindIn.addEventListener('change', () => {
    updateLevelField();
    if (result) recall();
  });
  levelIn.addEventListener('change', () => {
    readLevel();
    if (result) recall();
  });
  seedIn.addEventListener('change', () => result && recall());
  runBtn.addEventListener('click', recall);
  stepIn.addEventListener('input', () => {
    clearTimeout(timer);
    showStep(Number(stepIn.value));
  });
  trainBtn.addEventListener('click', train);
  cancelBtn.addEventListener('click', () => learn && learn.cancel());
  $('real-shipped').addEventListener('click', useShipped);
  sourceIn.addEventListener('change', updateTrainSource);
  S.on('library', updateTrainSource);
  updateLevelField();
  updateTrainSource();
  showSource();
  plotLoss();

  return {
    onShow(view) {
      if (view === 'real') load();
    },
    // for links (share/link.js, version 2): the digit and the cue
    read() {
      return { rdigit: clampInt(digitIn, 1, 10000, 1), rkind: kindIn.value, ...levels, rseed: clampInt(seedIn, 0, 4294967295, 1) };
    },
    restore(st) {
      digitIn.value = String(st.rdigit);
      kindIn.value = st.rkind;
      levels.rflip = st.rflip;
      levels.rocc = st.rocc;
      levels.rsigma = st.rsigma;
      seedIn.value = String(st.rseed);
      updateLevelField();
      if (network && !patterns) {
        showImage();
        recall();
      }
    },
  };
}
