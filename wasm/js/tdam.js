// The JS API of the tdam WebAssembly module (contract: wasm/API.md).
//
//   import { loadTdam } from './tdam.js';
//   const tdam = await loadTdam();
//   const w = tdam.randomWeights(100, 8, 'pm1', 1);
//   const m = tdam.createModel({ kind: 'threshold', weights: w, nv: 100, nh: 8, theta: 0.5 });
//   const r = m.recall(cue, { schedule: 'sync' });
//   m.delete();
//
// How the Emscripten module is loaded (wasm/README.md has the details):
//  - Browsers, module and classic Web Workers: `import()` of tdam_core.mjs, the
//    ES module twin of the classic MODULARIZE script that the build writes
//    beside it (same code plus `export default createTdamCore`). import() is
//    the one mechanism that works on a page, in a module worker (which has no
//    importScripts) and under a Content-Security-Policy without
//    'unsafe-eval' (the module is linked with -sDYNAMIC_EXECUTION=0 so that
//    Embind does not eval either). Emscripten then fetches tdam_core.wasm
//    itself (streaming compilation) unless `wasmBinary` is given.
//  - Node: the classic tdam_core.js is read and evaluated with the CommonJS
//    names it expects (require from createRequire, __filename, __dirname):
//    Emscripten 3.1.6's ES module output calls require() and so fails under
//    Node ES modules, and require() itself refuses the .js file inside a
//    "type": "module" package. The .wasm bytes are read with fs and passed as
//    wasmBinary (Emscripten's own fetch fails under Node 20 with "Failed to
//    parse URL").
// Files are found with locateFile(name) if given, else relative to baseUrl
// (default: build/wasm/ of the repository, seen from wasm/js/).
//
// Data crosses the heap as typed arrays: inputs are copied into a reusable
// scratch block of the wasm heap with one HEAPF64.set each (the HEAPF64 view
// is re-read after every allocation, because memory growth detaches old
// views), except the weights of createModel, which C++ copies from the
// Float64Array straight into its matrix with one TypedArray.set; results come
// back as fresh Float64Arrays copied in one go by the C++ side. C++ exceptions never cross into JS: an adapter that fails
// returns null and leaves its message in takeError(); here it becomes a
// TdamError (a JS Error) with that message.

const isNode =
  typeof process === 'object' &&
  process !== null &&
  typeof process.versions === 'object' &&
  process.versions !== null &&
  typeof process.versions.node === 'string';

/** A failure reported by the C++ core; `message` is the core's message. */
export class TdamError extends Error {
  constructor(message, options) {
    super(message, options);
    this.name = 'TdamError';
    /** True when a progress callback cancelled the work. */
    this.cancelled = message === 'cancelled';
  }
}

const SCRATCH_LIMIT = 1 << 20; // bytes kept allocated between calls; larger inputs are freed right after
const DELETED = 'this object was deleted (.delete() was called)';

// Objects not deleted explicitly are freed when garbage collected (a safety
// net only: the heap is freed deterministically by .delete()).
const registry =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry((handle) => {
        try {
          if (!handle.isDeleted()) handle.delete();
        } catch {
          // the module itself may be gone
        }
      })
    : null;

function toFloat64(x, what) {
  if (x instanceof Float64Array) return x;
  if (Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView))) {
    return Float64Array.from(x, Number);
  }
  throw new TdamError(`${what} must be a Float64Array or an array of numbers`);
}

// A user callback made safe to call from C++: a throwing callback must not
// unwind through C++ frames, so the exception is kept in box.thrown and the
// work is cancelled (false); rethrowCallbackError() rethrows it afterwards.
function guardCallback(fn, what, box) {
  if (fn === undefined || fn === null) return null;
  if (typeof fn !== 'function') throw new TdamError(`${what} must be a function`);
  return (...args) => {
    try {
      return fn(...args) !== false;
    } catch (e) {
      box.thrown = e;
      return false;
    }
  };
}

function isArrayLike(x) {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

async function nodeModules() {
  const [fs, mod, url, path] = await Promise.all([
    import('node:fs/promises'),
    import('node:module'),
    import('node:url'),
    import('node:path'),
  ]);
  return { fs, mod, url, path };
}

function toPath(url, node) {
  return url.startsWith('file:') ? node.url.fileURLToPath(url) : url;
}

async function loadFactory(locate, stem) {
  if (isNode) {
    const node = await nodeModules();
    const file = toPath(locate(`${stem}.js`), node);
    const source = await node.fs.readFile(file, 'utf8');
    const require = node.mod.createRequire(file);
    // The classic script declares `var createTdamCore`; evaluated as a
    // function body it is returned directly. module/exports are undefined so
    // it does not try to assign module.exports.
    const body = `${source}\nreturn createTdamCore;\n//# sourceURL=${node.url.pathToFileURL(file).href}`;
    // eslint-disable-next-line no-new-func
    return new Function('require', '__filename', '__dirname', 'module', 'exports', body)(
      require,
      file,
      node.path.dirname(file),
      undefined,
      undefined,
    );
  }
  const mod = await import(/* webpackIgnore: true */ /* @vite-ignore */ locate(`${stem}.mjs`));
  return mod.default;
}

async function readNodeBinary(locate, stem) {
  const node = await nodeModules();
  const bytes = await node.fs.readFile(toPath(locate(`${stem}.wasm`), node));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

/**
 * Loads the module. options: { wasmBinary, locateFile(name), baseUrl, simd = true,
 * print, printErr }.
 */
export async function loadTdam(options = {}) {
  if (options === null || typeof options !== 'object') throw new TdamError('loadTdam options must be an object');
  const known = ['wasmBinary', 'locateFile', 'baseUrl', 'simd', 'print', 'printErr'];
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TdamError(`unknown loadTdam option '${key}' (expected ${known.join(', ')})`);
  }
  const simd = options.simd ?? true;
  const stem = simd ? 'tdam_core' : 'tdam_core_nosimd';
  const baseUrl = new URL(options.baseUrl ?? '../../build/wasm/', import.meta.url);
  const locate = (name) => {
    if (typeof options.locateFile === 'function') return String(options.locateFile(name, baseUrl.href));
    return new URL(name, baseUrl).href;
  };
  const [factory, wasmBinary] = await Promise.all([
    loadFactory(locate, stem),
    options.wasmBinary ?? (isNode ? readNodeBinary(locate, stem) : undefined),
  ]);
  const moduleArgs = {
    locateFile: (name) => locate(name),
    print: options.print ?? ((text) => console.log(text)),
    printErr: options.printErr ?? ((text) => console.warn(text)),
  };
  if (wasmBinary !== undefined) moduleArgs.wasmBinary = wasmBinary;
  const core = await factory(moduleArgs);
  return new Tdam(core, simd);
}

class Tdam {
  #core;
  #scratch = 0;
  #scratchBytes = 0;

  constructor(core, simd) {
    this.#core = core;
    /** The raw Emscripten module (internal; not part of the API contract). */
    Object.defineProperty(this, 'core', { value: core, enumerable: false });
    this.version = core.version();
    this.simd = simd;
  }

  // Throws the pending C++ error when result is null.
  _check(result) {
    if (result === null) {
      const message = this.#core.takeError();
      throw new TdamError(message || 'unknown error in the wasm module');
    }
    return result;
  }

  // _check for calls that ran guarded callbacks: a callback's own exception
  // wins over the 'cancelled' it caused.
  _checkGuarded(result, box) {
    if (box.thrown !== null) {
      if (result === null) this.#core.takeError();
      throw box.thrown;
    }
    return this._check(result);
  }

  // Copies the arrays (Float64Array or null) into the heap and calls
  // fn(offset0, length0, offset1, length1, ...); null gives (0, -1).
  _staged(arrays, fn) {
    const core = this.#core;
    let total = 0;
    for (const a of arrays) if (a) total += a.length;
    const bytes = total * 8;
    let base = this.#scratch;
    let temporary = false;
    if (bytes > this.#scratchBytes) {
      if (bytes <= SCRATCH_LIMIT) {
        if (this.#scratch) core._free(this.#scratch);
        const size = Math.min(SCRATCH_LIMIT, Math.max(bytes, 2 * this.#scratchBytes, 4096));
        this.#scratch = core._malloc(size);
        this.#scratchBytes = this.#scratch ? size : 0;
        base = this.#scratch;
      } else {
        base = core._malloc(bytes);
        temporary = true;
      }
      if (!base) throw new TdamError(`out of memory: cannot allocate ${bytes} bytes in the wasm heap`);
    }
    try {
      const heap = core.HEAPF64; // re-read: _malloc may have grown (and detached) the heap
      const args = [];
      let offset = base;
      for (const a of arrays) {
        if (!a) {
          args.push(0, -1);
          continue;
        }
        heap.set(a, offset / 8);
        args.push(offset, a.length);
        offset += a.length * 8;
      }
      return fn(...args);
    } finally {
      if (temporary) core._free(base);
    }
  }

  /** Live C++ objects and the heap size, for leak checks. */
  stats() {
    return { ...this.#core.stats(), ...this.#core.learnStats() };
  }

  randomWeights(nv, nh, kind = 'pm1', seed = 1) {
    return this._check(this.#core.randomWeights(Number(nv), Number(nh), String(kind), seed));
  }

  randomPatterns(nv, count, seed = 1) {
    return this._check(this.#core.randomPatterns(Number(nv), Number(count), seed));
  }

  scaleParts(parts, nv, k) {
    const p = toFloat64(parts, 'parts');
    return this._check(this._staged([p], (o, n) => this.#core.scaleParts(o, n, Number(nv), Number(k))));
  }

  corrupt(x, options = {}) {
    const v = toFloat64(x, 'pattern');
    return this._check(this._staged([v], (o, n) => this.#core.corrupt(o, n, options)));
  }

  /** A corrupted copy of a grey image (values in [0, 1]) as tdam eval makes its cues (tdam::corrupt_grey). */
  corruptGrey(x, options = {}) {
    const v = toFloat64(x, 'image');
    return this._check(this._staged([v], (o, n) => this.#core.corruptGrey(o, n, options)));
  }

  createModel(options = {}) {
    if (options === null || typeof options !== 'object') throw new TdamError('createModel options must be an object');
    const weights = options.weights === undefined || options.weights === null ? null : toFloat64(options.weights, 'weights');
    const theta = isArrayLike(options.theta) ? toFloat64(options.theta, 'theta') : null;
    const input = options.input === undefined || options.input === null ? null : toFloat64(options.input, 'input');
    // The weights go over as the Float64Array itself: C++ copies them straight
    // into the matrix it builds (one copy, no staging block, so the largest
    // networks the core allows still fit the 2 GiB heap next to the model's own
    // two copies). theta and input are staged like every other input. The C++
    // adapter reads and validates the rest of the object.
    const handle = this._staged([theta, input], (to, tn, io, inn) =>
      this.#core.createModel(options, weights, to, tn, io, inn),
    );
    return new Model(this, this._check(handle));
  }

  /** The fixed MNIST train/test split of count images (tdam::mnist_split): { train, test } Int32Arrays of indices. */
  mnistSplit(count) {
    return this._check(this.#core.mnistSplit(Number(count)));
  }

  /** tdam::derived_seed(seed, stream), as a decimal string (seeds are 64-bit). */
  derivedSeed(seed, stream) {
    return this._check(this.#core.derivedSeed(seed, Number(stream)));
  }

  /**
   * Learns a threshold network from count images (Float64Array, column-major nv x count;
   * tdam::train_threshold). callbacks: { onProgress(fraction), onBatch(step, loss) }; either
   * returning false cancels (a TdamError with cancelled = true).
   */
  trainThreshold(images, nv, count, options = {}, { onProgress, onBatch } = {}) {
    const box = { thrown: null };
    const result = this.#core.trainThreshold(
      toFloat64(images, 'images'),
      Number(nv),
      Number(count),
      options,
      guardCallback(onProgress, 'onProgress', box),
      guardCallback(onBatch, 'onBatch', box),
    );
    return this._checkGuarded(result, box);
  }

  /**
   * Reads a network saved by `tdam train`: its JSON text and the bytes of its .npy
   * (Uint8Array). source names it in error messages.
   */
  parseNetwork(jsonText, npyBytes, source = 'network') {
    if (typeof jsonText !== 'string') throw new TdamError(`${source}: the network description must be a string`);
    if (!(npyBytes instanceof Uint8Array)) throw new TdamError(`${source}: the weights must be a Uint8Array`);
    return this._check(this.#core.parseNetwork(jsonText, npyBytes, String(source)));
  }

  /**
   * The files tdam::save_network writes for a network ({ xi | weights, theta, nv, nh }):
   * { json, npy: Uint8Array }; metadata as tdam::NetworkMetadata (method, command, dataset,
   * imageRows, imageCols, seed, settings). weightsFile: the .npy's file name named in the JSON.
   */
  networkFiles(network, metadata = {}, weightsFile = 'network.npy') {
    const weights = toFloat64(network.weights ?? network.xi, 'weights');
    const theta = toFloat64(network.theta, 'theta');
    return this._check(this.#core.networkFiles(weights, Number(network.nv), Number(network.nh), theta, metadata, String(weightsFile)));
  }

  /** The threshold Model of a parsed (or freshly trained: { xi, theta, nv, nh }) network. */
  networkModel(network) {
    const weights = network.weights ?? network.xi;
    const options = { kind: 'threshold', weights, nv: network.nv, nh: network.nh, theta: network.theta };
    options.visible = network.visible ?? 'linear';
    if (network.input) options.input = network.input;
    return this.createModel(options);
  }

  /**
   * Trains the core's classifier (tdam::Classifier) on count feature columns (inputs x count,
   * column-major) with integer labels. options: { hidden, epochs, batch, learningRate,
   * weightDecay, seed }.
   */
  trainClassifier(features, inputs, count, labels, options = {}, onProgress = undefined) {
    if (!isArrayLike(labels)) throw new TdamError('labels must be an array of integers');
    const box = { thrown: null };
    const handle = this.#core.trainClassifier(
      toFloat64(features, 'features'),
      Number(inputs),
      Number(count),
      labels,
      options,
      guardCallback(onProgress, 'onProgress', box),
    );
    return new Classifier(this, this._checkGuarded(handle, box));
  }

  /** Runs fn(obj) and deletes obj afterwards (also when fn throws or its promise rejects). */
  using(obj, fn) {
    let result;
    try {
      result = fn(obj);
    } catch (e) {
      obj.delete();
      throw e;
    }
    if (result !== null && typeof result === 'object' && typeof result.then === 'function') {
      return Promise.resolve(result).finally(() => obj.delete());
    }
    obj.delete();
    return result;
  }
}

// A JS object owning one Embind handle (Model, Dynamics, Classifier): freed
// by delete() (idempotent) or, as a safety net, by the registry when garbage
// collected; _h() gives the live handle and throws once it was deleted.
class OwnedHandle {
  #handle;

  constructor(handle) {
    this.#handle = handle;
    registry?.register(this, handle, this);
  }

  /** The live Embind handle (internal). */
  _h() {
    if (!this.#handle) throw new TdamError(DELETED);
    return this.#handle;
  }

  isDeleted() {
    return this.#handle === null;
  }

  /** Frees the C++ object; idempotent. */
  delete() {
    if (!this.#handle) return;
    registry?.unregister(this);
    this.#handle.delete();
    this.#handle = null;
  }
}

/** A network; Dynamics made from it stay usable after its delete(). */
class Model extends OwnedHandle {
  #tdam;

  constructor(tdam, handle) {
    super(handle);
    this.#tdam = tdam;
    // Immutable: read once.
    this.nv = handle.nv();
    this.nh = handle.nh();
    this.kind = handle.kind();
    this.visible = handle.visible();
  }

  #vectorCall(x, what, method) {
    const h = this._h();
    const v = toFloat64(x, what);
    return this.#tdam._check(this.#tdam._staged([v], (o, n) => h[method](o, n)));
  }

  energy(v) {
    return this.#vectorCall(v, 'state', 'energy');
  }

  isStableCode(s) {
    return this.#vectorCall(s, 'code', 'isStableCode');
  }

  codePattern(s) {
    return this.#vectorCall(s, 'code', 'codePattern');
  }

  overlaps(v) {
    return this.#vectorCall(v, 'state', 'overlaps');
  }

  recall(cue, options = {}) {
    const h = this._h();
    const c = toFloat64(cue, 'cue');
    return this.#tdam._check(this.#tdam._staged([c], (o, n) => h.recall(o, n, options)));
  }

  dynamics(cue, options = {}) {
    const h = this._h();
    const c = toFloat64(cue, 'cue');
    const d = this.#tdam._check(this.#tdam._staged([c], (o, n) => h.dynamics(o, n, options)));
    return new Dynamics(this.#tdam, d);
  }

  countStableCodes(options = {}, onProgress = undefined) {
    const h = this._h();
    const box = { thrown: null };
    const result = h.countStableCodes(options, guardCallback(onProgress, 'onProgress', box));
    return this.#tdam._checkGuarded(result, box);
  }

  /** The hard codes (nh x count, column-major) of count images (nv x count, column-major). */
  encode(images, count) {
    return this.#tdam._check(this._h().encode(toFloat64(images, 'images'), Number(count)));
  }

  countStablePatterns(schedule = 'sync') {
    return this.#tdam._check(this._h().countStablePatterns(schedule));
  }

}

class Dynamics extends OwnedHandle {
  #tdam;
  #nv;
  #nh;

  constructor(tdam, handle) {
    super(handle);
    this.#tdam = tdam;
    this.#nv = handle.visibleLength();
    this.#nh = handle.hiddenLength();
  }

  // Copies `length` doubles at the heap offset the handle reports into out.
  // HEAPF64 is read after the offset: nothing allocates in between, so the
  // view is current even if an earlier call grew the heap.
  #read(out, length, offsetOf, what) {
    const h = this._h();
    if (out === undefined) out = new Float64Array(length);
    else if (!(out instanceof Float64Array) || out.length !== length) {
      throw new TdamError(`${what}: out must be a Float64Array of length ${length}`);
    }
    const start = h[offsetOf]() / 8;
    out.set(this.#tdam.core.HEAPF64.subarray(start, start + length));
    return out;
  }

  /** Copies the visible state into out (a Float64Array of nv, reused between steps; a new one when absent). */
  readVisible(out) {
    return this.#read(out, this.#nv, 'visibleOffset', 'readVisible');
  }

  /** Copies the hidden state into out (a Float64Array of nh; a new one when absent). */
  readHidden(out) {
    return this.#read(out, this.#nh, 'hiddenOffset', 'readHidden');
  }

  /** One step; false when the state is a fixed point or the synchronous state cycles. */
  step() {
    return this.#tdam._check(this._h().step());
  }

  get visible() {
    return this._h().visible();
  }

  get hidden() {
    return this._h().hidden();
  }

  get energy() {
    return this._h().energy();
  }

  get steps() {
    return this._h().steps();
  }

  get cycled() {
    return this._h().cycled();
  }

}

class Classifier extends OwnedHandle {
  #tdam;

  constructor(tdam, handle) {
    super(handle);
    this.#tdam = tdam;
    this.inputs = handle.inputs();
    this.classes = handle.classes();
    this.lossPerEpoch = handle.lossPerEpoch();
  }

  /** Class probabilities (classes x count, column-major). */
  probabilities(features, count) {
    return this.#tdam._check(this._h().probabilities(toFloat64(features, 'features'), Number(count)));
  }

  /** The most probable class of each column (Int32Array). */
  predict(features, count) {
    return this.#tdam._check(this._h().predict(toFloat64(features, 'features'), Number(count)));
  }

  accuracy(features, count, labels) {
    if (!isArrayLike(labels)) throw new TdamError('labels must be an array of integers');
    return this.#tdam._check(this._h().accuracy(toFloat64(features, 'features'), Number(count), labels));
  }

}
