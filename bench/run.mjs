#!/usr/bin/env node
// The benchmark (bench/README.md), in one command:
//   node bench/run.mjs            build what is missing or stale, measure, print, write bench/results.md
//   node bench/run.mjs --quick    fewer repeats (a smoke run; numbers are noisier)
//   node bench/run.mjs --no-build use the builds as they are
//   node bench/run.mjs --no-write print only
//   node bench/run.mjs --tiering  V8's default wasm tiering (see below)
// Workloads (bench/scenario.hpp): one synchronous recall step at N_v = 4096,
// N_h = 512 with a binary (+-1) state, and an exhaustive capacity count at
// N_v = 1000, N_h = 16. Implementations: our wasm SIMD build (through the JS
// wrapper as the playground calls it, and raw inside wasm), our wasm build
// without SIMD, our native build (-O3 -march=native, bench/native_bench.cpp
// run as a subprocess), a plain JavaScript typed-array version
// (bench/js_reference.mjs), and TensorFlow.js 4.22 with its wasm (SIMD) and
// cpu backends. Every implementation's result is checked against the native
// one before its time is reported. Medians over repeated runs, all in this
// one process and run, so the ratios compare like with like.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadTdam } from '../wasm/js/tdam.js';
import { checksum, countStable, syncStep } from './js_reference.mjs';
import { loadBenchModule } from './wasm_module.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));

// V8 runs wasm first in its baseline compiler (Liftoff) and swaps in
// optimised code only once a function has been hot for a while, which on a
// busy machine can take longer than a whole measurement. So the benchmark
// runs in a Node started with --no-liftoff: every wasm function, ours and
// TF.js's alike, runs its optimised code from the first call. --tiering
// keeps V8's default instead.
// (--expose-gc lets the timed API steps start from a collected heap.)
if (!process.env.TDAM_BENCH_CHILD) {
  const script = fileURLToPath(import.meta.url);
  const flags = [...(args.has('--tiering') ? [] : ['--no-liftoff']), '--expose-gc', ...process.execArgv];
  const child = spawnSync(process.execPath, [...flags, script, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TDAM_BENCH_CHILD: '1' },
  });
  process.exit(child.status ?? 1);
}
const quick = args.has('--quick');
const nativeDir = path.join(repo, 'build', 'bench-native');
const wasmDir = path.join(repo, 'build', 'wasm');

const STEP = { nv: 4096, nh: 512, theta: 0.05, every: 32, flip: 0.2, weightSeed: 1, cueSeed: 2 };
const CAPACITY = { nv: 1000, nh: 16, theta: 0.5, seed: 1 };

// --------------------------------------------------------------------------
// Builds

function have(command) {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function run(command, argv, options = {}) {
  console.error(`$ ${command} ${argv.join(' ')}`);
  execFileSync(command, argv, { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'], ...options });
}

function build() {
  if (!have('cmake')) throw new Error('cmake is missing: run scripts/setup.sh');
  if (!fs.existsSync(path.join(nativeDir, 'CMakeCache.txt'))) {
    run('cmake', ['-S', '.', '-B', nativeDir, '-DCMAKE_BUILD_TYPE=Release', '-DCMAKE_CXX_FLAGS=-march=native',
      '-DTDAM_BUILD_TESTS=OFF', '-DTDAM_BUILD_CLI=OFF']);
  }
  run('cmake', ['--build', nativeDir, '--target', 'tdam_bench', '-j2']);
  if (!have('emcmake')) throw new Error('Emscripten (emcmake) is missing: run scripts/setup.sh, then scripts/build-wasm.sh');
  const env = { ...process.env, NODE_PATH: process.env.NODE_PATH ?? '/usr/share/nodejs' };
  if (!fs.existsSync(path.join(wasmDir, 'CMakeCache.txt'))) run(path.join(repo, 'scripts', 'build-wasm.sh'), [], { env });
  run('cmake', ['--build', wasmDir, '-j2', '--target', 'tdam_core_js', 'tdam_core_nosimd_js', 'tdam_bench_wasm',
    'tdam_bench_wasm_nosimd'], { env });
}

// --------------------------------------------------------------------------
// Timing: the median over `repeats` batches of the mean time of one call in
// a batch of `count` calls, after warm-up batches for at least `warmupMs`.
// `prepare()` runs before each batch and `finish()` after it, both outside
// the clock. Two clocks: the process's CPU time (process.cpuUsage(), what
// the tables use: on a shared, busy machine it is the time the work actually
// ran) and wall time (shown beside it). The native bench measures the same
// two (CLOCK_PROCESS_CPUTIME_ID and steady_clock).

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function cpuMs() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function measure({ count, repeats, warmupMs = 300, prepare = () => {}, work, finish = () => {} }) {
  const batch = () => {
    prepare();
    const c0 = cpuMs();
    const t0 = performance.now();
    for (let k = 0; k < count; k++) work(k);
    const wall = (performance.now() - t0) / count;
    const cpu = (cpuMs() - c0) / count;
    finish();
    return { cpu, wall };
  };
  const until = performance.now() + (quick ? warmupMs / 4 : warmupMs);
  let warm = 0;
  while (warm < 3 || performance.now() < until) {
    batch();
    warm++;
  }
  const cpu = [];
  const wall = [];
  for (let r = 0; r < (quick ? Math.max(3, Math.ceil(repeats / 3)) : repeats); r++) {
    const t = batch();
    cpu.push(t.cpu);
    wall.push(t.wall);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

const per = (t, n) => ({ cpu: t.cpu / n, wall: t.wall / n });
const minus = (a, ...bs) => ({ cpu: bs.reduce((r, b) => r - b.cpu, a.cpu), wall: bs.reduce((r, b) => r - b.wall, a.wall) });

function check(what, got, want) {
  if (got !== want) throw new Error(`${what}: result ${got} differs from the native build's ${want}`);
}

// --------------------------------------------------------------------------
// Workloads through our wrapper (wasm/js/tdam.js), as the playground calls it

function stepData(tdam) {
  const { nv, nh } = STEP;
  const weights = tdam.randomWeights(nv, nh, 'pm1', STEP.weightSeed);
  const model = tdam.createModel({ kind: 'threshold', weights, nv, nh, theta: STEP.theta, visible: 'binary' });
  const code = new Float64Array(nh).map((_, mu) => (mu % STEP.every === 0 ? 1 : 0));
  const cue = tdam.corrupt(model.codePattern(code), { kind: 'flip', level: STEP.flip, visible: 'binary', seed: STEP.cueSeed });
  return { weights, model, cue };
}

function ourStep(tdam, native, label) {
  const { model, cue } = stepData(tdam);
  const options = { schedule: 'sync' };
  {
    const d = model.dynamics(cue, options);
    d.step();
    check(`${label} step`, checksum(d.visible, d.hidden), native.step_checksum);
    d.delete();
  }
  // The playground starts a recall with m.dynamics(cue) and then steps it.
  // Here every timed step is the first step of its own Dynamics: after a
  // warm-up (make, step, delete), a pool of Dynamics is made, the heap is
  // collected, and each member is stepped once, timed on its own.
  let sink = 0;
  const pooled = (work) => {
    measure({
      count: 1,
      repeats: 3,
      prepare: () => {
        d = model.dynamics(cue, options);
      },
      finish: () => d.delete(),
      work: () => work(d),
    });
    const pool = Array.from({ length: quick ? 9 : 41 }, () => model.dynamics(cue, options));
    globalThis.gc?.();
    const cpu = [];
    const wall = [];
    for (const p of pool) {
      const c0 = cpuMs();
      const t0 = performance.now();
      work(p);
      wall.push(performance.now() - t0);
      cpu.push(cpuMs() - c0);
    }
    pool.forEach((p) => p.delete());
    return { cpu: median(cpu), wall: median(wall) };
  };
  let d = null;
  const full = pooled((x) => {
    x.step();
    sink += x.visible[0] + x.hidden[0] + x.energy;
  });
  const stepOnly = pooled((x) => x.step());
  // The same, reading the state into arrays reused across steps (what a
  // render loop does with readVisible / readHidden).
  const vbuf = new Float64Array(STEP.nv);
  const hbuf = new Float64Array(STEP.nh);
  const reused = pooled((x) => {
    x.step();
    x.readVisible(vbuf);
    x.readHidden(hbuf);
    sink += vbuf[0] + hbuf[0] + x.energy;
  });
  const start = measure({
    count: 1,
    repeats: 9,
    warmupMs: 100,
    work: () => model.dynamics(cue, options).delete(),
  });
  model.delete();
  void sink;
  return { full, stepOnly, reused, start };
}

function ourCapacity(tdam, native, label) {
  const { nv, nh, theta, seed } = CAPACITY;
  const model = tdam.createModel({ kind: 'threshold', weights: tdam.randomWeights(nv, nh, 'pm1', seed), nv, nh, theta });
  check(`${label} capacity`, model.countStableCodes({}).stable, native.stable);
  const t = measure({ count: 1, repeats: 15, work: () => model.countStableCodes({}) });
  model.delete();
  return t;
}

// Raw: the same work inside wasm (bench/wasm_bench.cpp), no JS per step.
function raw(bench, native, label) {
  bench.setup();
  check(`${label} raw step`, bench.stepChecksum(), native.step_checksum);
  check(`${label} raw Gaussian step`, bench.gaussChecksum(), native.gauss_checksum);
  check(`${label} raw capacity`, bench.capacity(1), native.stable);
  const kernel = (fn, count) => per(measure({ count: 1, repeats: 21, work: () => fn(count) }), count);
  const count = 40;
  return {
    implementation: bench.implementation(),
    step: per(measure({ count: 1, repeats: 21, prepare: () => bench.prepare(count, false), work: () => bench.runPrepared() }), count),
    step_gauss: per(measure({ count: 1, repeats: 9, prepare: () => bench.prepare(4, true), work: () => bench.runPrepared() }), 4),
    hidden_field: kernel(bench.hiddenField, 100),
    visible_drive: kernel(bench.visibleDrive, 100),
    sign_keep: kernel(bench.signKeep, 100),
    hidden_field_plain: kernel(bench.hiddenFieldPlain, 5),
    visible_drive_plain: kernel(bench.visibleDrivePlain, 20),
    pack: kernel(bench.pack, 1),
    capacity: kernel(bench.capacity, 1),
  };
}

// --------------------------------------------------------------------------
// Plain JavaScript

function jsStep(weights, cue, native, nvh = STEP) {
  const { nv, nh, theta } = nvh;
  const s = new Float64Array(nh);
  const next = new Float64Array(nv);
  syncStep(weights, nv, nh, theta, cue, s, next);
  check('plain JS step', checksum(next, s), native);
  return measure({ count: 2, repeats: 15, work: () => syncStep(weights, nv, nh, theta, cue, s, next) });
}

function jsCapacity(tdam, native) {
  const { nv, nh, theta, seed } = CAPACITY;
  const w = tdam.randomWeights(nv, nh, 'pm1', seed);
  check('plain JS capacity', countStable(w, nv, nh, theta), native.stable);
  return measure({ count: 1, repeats: 9, work: () => countStable(w, nv, nh, theta) });
}

// --------------------------------------------------------------------------
// TensorFlow.js

async function loadTf() {
  let tf, wasm;
  try {
    tf = await import('@tensorflow/tfjs');
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (e) {
    throw new Error(`TensorFlow.js is missing (${e.message}): run npm install`);
  }
  // Offline: the backend's .wasm files straight from node_modules.
  const dist = path.join(repo, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep;
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': `${dist}tfjs-backend-wasm.wasm`,
    'tfjs-backend-wasm-simd.wasm': `${dist}tfjs-backend-wasm-simd.wasm`,
    'tfjs-backend-wasm-threaded-simd.wasm': `${dist}tfjs-backend-wasm-threaded-simd.wasm`,
  });
  return tf;
}

async function tfBackend(tf, name, weights, cue, capacityWeights, native) {
  if (!(await tf.setBackend(name))) throw new Error(`TensorFlow.js backend ${name} did not start`);
  await tf.ready();
  const info = { backend: tf.getBackend(), version: tf.version.tfjs };
  if (name === 'wasm') {
    info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  const { nv, nh, theta } = STEP;
  // The same step in tensors: rows of wt are the columns of xi.
  const wt = tf.tensor2d(Float32Array.from(weights), [nh, nv]);
  const v = tf.tensor2d(Float32Array.from(cue), [1, nv]);
  const plus = tf.onesLike(v);
  const minus = tf.neg(plus);
  const step = () => {
    const [next, s] = tf.tidy(() => {
      const h = tf.matMul(v, wt, false, true);
      const code = tf.cast(tf.greater(tf.sub(tf.div(h, nv), theta), 0), 'float32');
      const d = tf.matMul(code, wt);
      return [tf.where(tf.greater(d, 0), plus, tf.where(tf.less(d, 0), minus, v)), code];
    });
    const out = [next.dataSync(), s.dataSync()];
    next.dispose();
    s.dispose();
    return out;
  };
  const [next, s] = step();
  check(`TF.js ${name} step`, checksum(next, s), native.step_checksum);
  info.step = measure({ count: 2, repeats: 15, work: step });

  // Capacity: every code at once, S (2^N_h - 1 codes x N_h) times G.
  const c = CAPACITY;
  const codes = new Float32Array((2 ** c.nh - 1) * c.nh);
  for (let n = 1; n < 2 ** c.nh; n++) for (let mu = 0; mu < c.nh; mu++) codes[(n - 1) * c.nh + mu] = (n >> mu) & 1;
  const S = tf.tensor2d(codes, [2 ** c.nh - 1, c.nh]); // made once, outside the clock
  const xt = tf.tensor2d(Float32Array.from(capacityWeights), [c.nh, c.nv]);
  const count = () => {
    const stable = tf.tidy(() => {
      const g = tf.matMul(xt, xt, false, true);
      const on = tf.greater(tf.sub(tf.div(tf.matMul(S, g), c.nv), c.theta), 0);
      return tf.sum(tf.cast(tf.all(tf.equal(tf.cast(on, 'float32'), S), 1), 'int32'));
    });
    const n = stable.dataSync()[0];
    stable.dispose();
    return n;
  };
  check(`TF.js ${name} capacity`, count(), native.stable);
  info.capacity = measure({ count: 1, repeats: 9, work: count });
  tf.dispose([wt, v, plus, minus, S, xt]);
  return info;
}

// --------------------------------------------------------------------------
// Report

const ms = (t) => (Number.isNaN(t) ? '–' : t >= 1 ? `${t.toPrecision(3)} ms` : `${(t * 1e3).toPrecision(3)} µs`);
const x = (r) => `${r >= 10 ? r.toFixed(0) : r.toFixed(2)}x`;

function table(rows, basis, basisName) {
  const lines = [`| implementation | median (CPU time) | time / ${basisName} | median (wall time) |`, '|---|---|---|---|'];
  for (const [name, t] of rows) lines.push(`| ${name} | ${ms(t.cpu)} | ${x(t.cpu / basis.cpu)} | ${ms(t.wall)} |`);
  return lines.join('\n');
}

// The native bench's JSON as { cpu, wall } pairs.
function nativeTimes(json) {
  const out = { ...json };
  for (const key of Object.keys(json)) {
    if (key.endsWith('_wall') || !(`${key}_wall` in json)) continue;
    out[key] = { cpu: json[key], wall: json[`${key}_wall`] };
  }
  return out;
}

async function main() {
  if (!args.has('--no-build')) build();
  console.error('native bench ...');
  const native = nativeTimes(
    JSON.parse(
      execFileSync(path.join(nativeDir, 'bench', 'tdam_bench'), ['--json', '--repeats', quick ? '5' : '21'], {
        encoding: 'utf8',
      }),
    ),
  );
  console.error('our wasm builds ...');
  const simd = await loadTdam({ simd: true });
  const scalar = await loadTdam({ simd: false });
  const ours = { simd: ourStep(simd, native, 'wasm SIMD'), scalar: ourStep(scalar, native, 'wasm no-SIMD') };
  const oursCapacity = { simd: ourCapacity(simd, native, 'wasm SIMD'), scalar: ourCapacity(scalar, native, 'wasm no-SIMD') };
  const rawSimd = raw(await loadBenchModule(path.join(wasmDir, 'tdam_bench.js')), native, 'wasm SIMD');
  const rawScalar = raw(await loadBenchModule(path.join(wasmDir, 'tdam_bench_nosimd.js')), native, 'wasm no-SIMD');

  console.error('plain JS ...');
  const { weights, cue, model } = stepData(simd);
  model.delete();
  const js = jsStep(weights, cue, native.step_checksum);
  const gauss = simd.randomWeights(STEP.nv, STEP.nh, 'gauss', STEP.weightSeed);
  const gaussModel = simd.createModel({ kind: 'threshold', weights: gauss, nv: STEP.nv, nh: STEP.nh, theta: STEP.theta, visible: 'binary' });
  const gaussCode = new Float64Array(STEP.nh).map((_, mu) => (mu % STEP.every === 0 ? 1 : 0));
  const gaussCue = simd.corrupt(gaussModel.codePattern(gaussCode), { kind: 'flip', level: STEP.flip, visible: 'binary', seed: STEP.cueSeed });
  gaussModel.delete();
  const jsGauss = jsStep(gauss, gaussCue, native.gauss_checksum);
  const jsCap = jsCapacity(simd, native);

  console.error('TensorFlow.js ...');
  const tf = await loadTf();
  const capacityWeights = simd.randomWeights(CAPACITY.nv, CAPACITY.nh, 'pm1', CAPACITY.seed);
  const tfWasm = await tfBackend(tf, 'wasm', weights, cue, capacityWeights, native);
  const tfCpu = await tfBackend(tf, 'cpu', weights, cue, capacityWeights, native);

  // ---- tables
  const basis = ours.simd.full;
  const stepRows = [
    ['**ours, wasm SIMD, through the JS API** (`d.step()` + `d.visible`, `d.hidden`, `d.energy`)', ours.simd.full],
    ['ours, wasm SIMD, through the JS API reading into reused arrays (`d.step()` + `d.readVisible(v)`, `d.readHidden(h)`, `d.energy`)', ours.simd.reused],
    ['ours, wasm SIMD, JS API `d.step()` alone', ours.simd.stepOnly],
    ['ours, wasm SIMD, raw `Dynamics::step()` inside wasm', rawSimd.step],
    ['ours, wasm without SIMD, through the JS API', ours.scalar.full],
    ['ours, wasm without SIMD, raw', rawScalar.step],
    ['ours, native -O3 -march=native, raw', native.step],
    ['plain JavaScript typed arrays (bench/js_reference.mjs)', js],
    [`TensorFlow.js ${tfWasm.version}, wasm backend (SIMD ${tfWasm.simd ? 'on' : 'off'}, threads ${tfWasm.threads ? 'on' : 'off'})`, tfWasm.step],
    [`TensorFlow.js ${tfCpu.version}, cpu backend`, tfCpu.step],
  ];
  const capBasis = oursCapacity.simd;
  const capRows = [
    ['**ours, wasm SIMD, through the JS API** (`m.countStableCodes({})`)', oursCapacity.simd],
    ['ours, wasm SIMD, raw `count_stable_codes` inside wasm', rawSimd.capacity],
    ['ours, wasm without SIMD, through the JS API', oursCapacity.scalar],
    ['ours, wasm without SIMD, raw', rawScalar.capacity],
    ['ours, native -O3 -march=native, raw', native.capacity],
    ['plain scalar C++ loops, native (bench/scalar_reference.hpp)', native.capacity_scalar],
    ['plain JavaScript typed arrays', jsCap],
    [`TensorFlow.js ${tfWasm.version}, wasm backend (all codes as one matrix product)`, tfWasm.capacity],
    [`TensorFlow.js ${tfCpu.version}, cpu backend`, tfCpu.capacity],
  ];
  const none = { cpu: NaN, wall: NaN };
  const kernelRows = [
    ['hidden field xi^T v (±1 v: XNOR-popcount)', rawSimd.hidden_field, rawScalar.hidden_field, native.hidden_field],
    ['visible drive xi s (0/1 s: int8 column sums)', rawSimd.visible_drive, rawScalar.visible_drive, native.visible_drive],
    ['sign update of v', rawSimd.sign_keep, rawScalar.sign_keep, native.sign_keep],
    ['rest of `Dynamics::step()` (Eigen vector work, allocations, convergence checks, energy)',
      minus(rawSimd.step, rawSimd.hidden_field, rawSimd.visible_drive, rawSimd.sign_keep),
      minus(rawScalar.step, rawScalar.hidden_field, rawScalar.visible_drive, rawScalar.sign_keep),
      minus(native.step, native.hidden_field, native.visible_drive, native.sign_keep)],
    ['= raw step', rawSimd.step, rawScalar.step, native.step],
    ['JS API on top (wasm/js/tdam.js and the Embind bindings)', minus(ours.simd.full, rawSimd.step), minus(ours.scalar.full, rawScalar.step), none],
    ['… of which the `d.step()` call', minus(ours.simd.stepOnly, rawSimd.step), minus(ours.scalar.stepOnly, rawScalar.step), none],
    ['… of which reading `d.visible`, `d.hidden`, `d.energy` (new Float64Arrays from Embind, and their garbage)', minus(ours.simd.full, ours.simd.stepOnly), minus(ours.scalar.full, ours.scalar.stepOnly), none],
    ['… reading them with `d.readVisible(v)`, `d.readHidden(h)` into reused arrays instead', minus(ours.simd.reused, ours.simd.stepOnly), minus(ours.scalar.reused, ours.scalar.stepOnly), none],
    ['for comparison: the plain double loop of the hidden field (reference kernel)', rawSimd.hidden_field_plain, rawScalar.hidden_field_plain, native.hidden_field_plain],
    ['for comparison: the plain double loop of the visible drive', rawSimd.visible_drive_plain, rawScalar.visible_drive_plain, native.visible_drive_plain],
    ['once per Dynamics: packing the ±1 weights', rawSimd.pack, rawScalar.pack, native.pack],
    ['once per Dynamics: `m.dynamics(cue)` through the JS API (packing included)', ours.simd.start, ours.scalar.start, none],
  ];
  const gaussRows = [
    ['ours, wasm SIMD, raw', rawSimd.step_gauss],
    ['ours, wasm without SIMD, raw', rawScalar.step_gauss],
    ['ours, native, raw', native.step_gauss],
    ['plain JavaScript typed arrays', jsGauss],
  ];

  const ratio = (a, b) => a.cpu / b.cpu;
  const targets = [
    ['TF.js wasm / ours (API) ≥ 30', ratio(tfWasm.step, basis), ratio(tfWasm.step, basis) >= 30],
    ['plain JS / ours (API) ≥ 10', ratio(js, basis), ratio(js, basis) >= 10],
    ['ours (API) / native ≤ 1.5', ratio(basis, native.step), ratio(basis, native.step) <= 1.5],
    ['ours (API, readVisible/readHidden into reused arrays) / native ≤ 1.5', ratio(ours.simd.reused, native.step), ratio(ours.simd.reused, native.step) <= 1.5],
    ['ours (raw wasm step) / native ≤ 1.5', ratio(rawSimd.step, native.step), ratio(rawSimd.step, native.step) <= 1.5],
  ];

  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const md = [
    '# Benchmark results',
    '',
    `Written by \`node bench/run.mjs\`${quick ? ' --quick' : ''} (bench/README.md). ${cpu}, ${os.cpus().length} logical CPUs, Node ${process.versions.node} (V8 ${process.versions.v8}), one thread everywhere. Medians over repeated runs after warm-up, all measured in the same run; every implementation's result was checked against the native build's before it was timed.`,
    '',
    `## One synchronous recall step, N_v = ${STEP.nv}, N_h = ${STEP.nh}, binary (±1) state`,
    '',
    `±1 weights (seed ${STEP.weightSeed}), binary-visible threshold network, theta = ${STEP.theta}; the cue is the pattern of a code with ${STEP.nh / STEP.every} active units, ${STEP.flip * 100}% of its pixels flipped. One step: s = H(xi^T v / N_v - theta), v = sign(xi s).`,
    '',
    table(stepRows, basis, 'ours (wasm SIMD, JS API)'),
    '',
    '### Targets',
    '',
    '| target | reached | met |',
    '|---|---|---|',
    ...targets.map(([name, r, ok]) => `| ${name} | ${r.toFixed(2)} | ${ok ? 'yes' : 'no'} |`),
    '',
    '### Where the time goes',
    '',
    '| part of the step (CPU time) | wasm SIMD | wasm without SIMD | native |',
    '|---|---|---|---|',
    ...kernelRows.map(([name, a, b, c]) => `| ${name} | ${ms(a.cpu)} | ${ms(b.cpu)} | ${ms(c.cpu)} |`),
    '',
    '### The same step with Gaussian weights (float sums; no integer kernels apply)',
    '',
    table(gaussRows, rawSimd.step_gauss, 'ours (wasm SIMD, raw)'),
    '',
    `## Exhaustive capacity count, N_v = ${CAPACITY.nv}, N_h = ${CAPACITY.nh}`,
    '',
    `±1 weights (seed ${CAPACITY.seed}), theta = ${CAPACITY.theta}, linear visible neurons: ${native.stable} of ${2 ** CAPACITY.nh - 1} non-zero codes are stable (all implementations agree).`,
    '',
    table(capRows, capBasis, 'ours (wasm SIMD, JS API)'),
    '',
  ].join('\n');
  console.log(md);
  if (!args.has('--no-write')) {
    fs.writeFileSync(path.join(repo, 'bench', 'results.md'), md);
    console.error('wrote bench/results.md');
  }
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
