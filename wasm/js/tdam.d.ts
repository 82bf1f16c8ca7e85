// Type declarations for wasm/js/tdam.js (hand-written; contract: wasm/API.md).
// Matrices are Float64Arrays in column-major order (nv x nh: column mu is
// hidden unit mu, entries xi[i + nv * mu]). Inputs may also be plain arrays
// or other typed arrays of numbers; they are converted to Float64Array.
// Every failure of the C++ core is thrown as a TdamError whose message is
// the core's message.

export type ArrayInput = Float64Array | ArrayLike<number>;
/** A seed: a non-negative integer below 2^64 (number, BigInt or decimal string). */
export type Seed = number | bigint | string;
export type Visible = 'linear' | 'binary';
export type Schedule = 'sync' | 'async' | 'continuous';
export type ModelKind = 'threshold' | 'softmax' | 'polynomial' | 'hopfield';
export type StopReason = 'converged' | 'cycle' | 'step_limit';

export class TdamError extends Error {
  readonly name: 'TdamError';
  /** True when a progress callback cancelled the work (message "cancelled"). */
  readonly cancelled: boolean;
}

export interface LoadOptions {
  /** The .wasm bytes. Read with fs under Node when absent; fetched by Emscripten in browsers. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Maps a file name ('tdam_core.mjs' in browsers, 'tdam_core.js' under Node,
   * 'tdam_core.wasm'; '_nosimd' variants when simd is false) to its URL.
   */
  locateFile?: (name: string, baseUrl: string) => string;
  /** Where the files are when locateFile is absent; default: build/wasm/ beside the repository's wasm/js/. */
  baseUrl?: string | URL;
  /** Load the -msimd128 build (default) or the scalar one (tdam_core_nosimd). */
  simd?: boolean;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
}

export function loadTdam(options?: LoadOptions): Promise<Tdam>;

export interface CorruptOptions {
  /** Default 'flip'. */
  kind?: 'flip' | 'occlude' | 'gaussian';
  /** flip: fraction of pixels negated; occlude: fraction of rows hidden (from the bottom); gaussian: sigma. Default 0. */
  level?: number;
  /** Image shape for occlusion; 0 (default): one row of nv pixels. */
  rows?: number;
  cols?: number;
  /** occlude: a rectangle inside the rows x cols image to hide instead of the bottom rows (used when height and width > 0). */
  top?: number;
  left?: number;
  height?: number;
  width?: number;
  /** Occluded pixels become -1 (binary) or 0 (linear); gaussian noise is followed by sign() for binary. Default 'linear'. */
  visible?: Visible;
  /** Default 1. */
  seed?: Seed;
}

export interface CreateModelOptions {
  /** Default 'threshold'. */
  kind?: ModelKind;
  /** nv x nh, column-major. Required. */
  weights: ArrayInput;
  nv: number;
  nh: number;
  /** Threshold model: a scalar or one value per hidden unit. Default 0.5. */
  theta?: number | ArrayInput;
  /** Softmax model: inverse temperature, > 0. Default 1. */
  beta?: number;
  /** Polynomial model: the order n, an integer in [2, 30]. Default 3. */
  order?: number;
  /** Default: 'linear' for threshold and softmax, 'binary' for polynomial and hopfield (which allow binary only). */
  visible?: Visible;
  /** A constant visible input current I (length nv). */
  input?: ArrayInput;
}

export interface RecallOptions {
  /** Default 'sync'. */
  schedule?: Schedule;
  /** 0 to 1,000,000; default 100. */
  maxSteps?: number;
  /** Seed of the asynchronous update order; default 1. */
  seed?: Seed;
  /** Continuous schedule: Euler step, 0 < dt <= min(tauV, tauH); default 0.1. */
  dt?: number;
  /** Default 1. */
  tauV?: number;
  /** Default 1. */
  tauH?: number;
  /** Converged when no entry moves more than tolerance * max(1, |state|_inf); default 1e-9. */
  tolerance?: number;
  /** Keep every step's states (recall only; dynamics ignore it). Default true. */
  recordStates?: boolean;
}

export interface RecallResult {
  steps: number;
  stop: StopReason;
  /** steps + 1 energies, the cue's first. */
  energy: Float64Array;
  /** (steps + 1) x nv, row-major (one state per row); null when recordStates is false. */
  visible: Float64Array | null;
  /** (steps + 1) x nh, row-major; null when recordStates is false. */
  hidden: Float64Array | null;
  finalVisible: Float64Array;
  /** The hidden activations f (the code, for the threshold network). */
  finalHidden: Float64Array;
}

export interface CapacityOptions {
  /** 0 (default): exhaustive when nh <= 24, else 100,000 sampled codes; K > 0: K sampled codes. */
  samples?: number;
  /** Seed of the sampled codes; default 1. */
  seed?: Seed;
}

export interface CapacityResult {
  /** Stable non-zero codes: the count, or total * fraction when sampled. */
  stable: number;
  /** 2^nh - 1. */
  total: number;
  exhaustive: boolean;
  checked: number;
  stableChecked: number;
  fraction: number;
  /** 95% Wilson interval (exhaustive: the exact value twice). */
  fractionCi95: [number, number];
  stableCi95: [number, number];
}

/** Called with the fraction done; returning false cancels (TdamError "cancelled"); a throw is rethrown. */
export type ProgressCallback = (fraction: number) => boolean | void;

export interface Stats {
  liveModels: number;
  liveDynamics: number;
  /** Size of the wasm linear memory in bytes. */
  heapBytes: number;
  /** Bytes currently allocated by malloc. */
  heapUsed: number;
  liveClassifiers: number;
}

/** tdam::TrainOptions (core/include/tdam/learn.hpp); absent keys take the core's defaults. */
export interface TrainOptions {
  /** N_h, default 50. */
  hidden?: number;
  /** Default 10. */
  epochs?: number;
  /** Minibatch size, default 50. */
  batch?: number;
  learningRate?: number;
  thetaLearningRate?: number;
  betaStart?: number;
  betaEnd?: number;
  activityTarget?: number;
  activityWeight?: number;
  margin?: number;
  marginWeight?: number;
  /** Default 1. */
  seed?: Seed;
}

export interface TrainCallbacks {
  onProgress?: ProgressCallback;
  /** After every minibatch: the update's number (1, 2, ...) and the minibatch's mean reconstruction loss. */
  onBatch?: (step: number, loss: number) => boolean | void;
}

export interface TrainResult {
  nv: number;
  nh: number;
  /** nv x nh, column-major. */
  xi: Float64Array;
  theta: Float64Array;
  lossPerEpoch: Float64Array;
  activityLossPerEpoch: Float64Array;
  marginLossPerEpoch: Float64Array;
  meanActivePerEpoch: Float64Array;
  distinctCodesPerEpoch: Int32Array;
  betaPerEpoch: Float64Array;
  steps: number;
  /** The options in force, under the core's names (as tdam train saves them). */
  settings: Record<string, number>;
}

/** A network saved by `tdam train` (core/include/tdam/network_io.hpp). */
export interface SavedNetwork {
  nv: number;
  nh: number;
  weights: Float64Array;
  theta: Float64Array;
  input: Float64Array | null;
  visible: Visible;
  metadata: {
    method: string;
    command: string;
    dataset: string;
    imageRows: number;
    imageCols: number;
    /** Decimal string (64-bit). */
    seed: string;
    settings: Record<string, number>;
  };
}

export interface ClassifierOptions {
  /** ReLU units, default 64. */
  hidden?: number;
  /** Default 20. */
  epochs?: number;
  /** Default 32. */
  batch?: number;
  learningRate?: number;
  weightDecay?: number;
  seed?: Seed;
}

export interface Classifier {
  readonly inputs: number;
  readonly classes: number;
  readonly lossPerEpoch: Float64Array;
  /** classes x count, column-major. */
  probabilities(features: ArrayInput, count: number): Float64Array;
  predict(features: ArrayInput, count: number): Int32Array;
  accuracy(features: ArrayInput, count: number, labels: ArrayLike<number>): number;
  isDeleted(): boolean;
  delete(): void;
}

export interface Tdam {
  /** "0.1.0". */
  readonly version: string;
  /** Whether the -msimd128 build is loaded. */
  readonly simd: boolean;
  /** Seeded nv x nh weights, column-major: ±1 ('pm1', default) or N(0, 1) ('gauss'). Seed default 1. */
  randomWeights(nv: number, nh: number, kind?: 'pm1' | 'gauss', seed?: Seed): Float64Array;
  /** count ±1 patterns as the columns of an nv x count matrix. Seed default 1. */
  randomPatterns(nv: number, count: number, seed?: Seed): Float64Array;
  /** The k columns of parts (nv x k) scaled to xi_mu . xi_mu / nv = 1 (MODEL.md section 4). */
  scaleParts(parts: ArrayInput, nv: number, k: number): Float64Array;
  /** A corrupted copy of x. */
  corrupt(x: ArrayInput, options?: CorruptOptions): Float64Array;
  /** A corrupted grey image (values in [0, 1]) as tdam eval makes its cues: flip is x -> 1 - x on exactly round(level * nv) pixels; occlusion fills 0. */
  corruptGrey(x: ArrayInput, options?: Omit<CorruptOptions, 'visible'>): Float64Array;
  createModel(options: CreateModelOptions): Model;
  /** Runs fn(obj), then obj.delete() (also when fn throws or its promise rejects). */
  using<T extends { delete(): void }, R>(obj: T, fn: (obj: T) => R): R;
  /** Live C++ objects and heap use (for leak checks). */
  stats(): Stats;
  /** The fixed MNIST split of count images (tdam::mnist_split): indices into the loaded order. */
  mnistSplit(count: number): { train: Int32Array; test: Int32Array };
  /** tdam::derived_seed, as a decimal string. */
  derivedSeed(seed: Seed, stream: number): string;
  /** tdam::train_threshold on count images (nv x count, column-major). */
  trainThreshold(images: ArrayInput, nv: number, count: number, options?: TrainOptions, callbacks?: TrainCallbacks): TrainResult;
  /** Reads a network saved by tdam train: its JSON text and its .npy bytes. */
  parseNetwork(jsonText: string, npyBytes: Uint8Array, source?: string): SavedNetwork;
  /** The two files of tdam::save_network (what tdam eval reads) for a trained network. */
  networkFiles(
    network: { nv: number; nh: number; theta: ArrayInput; xi?: ArrayInput; weights?: ArrayInput },
    metadata?: Partial<Omit<SavedNetwork['metadata'], 'seed'>> & { seed?: Seed },
    weightsFile?: string,
  ): { json: string; npy: Uint8Array };
  /** The threshold Model of a SavedNetwork or of a TrainResult. */
  networkModel(network: SavedNetwork | TrainResult): Model;
  /** tdam::Classifier trained on count columns of features (inputs x count). */
  trainClassifier(features: ArrayInput, inputs: number, count: number, labels: ArrayLike<number>, options?: ClassifierOptions, onProgress?: ProgressCallback): Classifier;
}

export interface Model {
  readonly nv: number;
  readonly nh: number;
  readonly kind: ModelKind;
  readonly visible: Visible;
  /** Reduced energy E(v). */
  energy(v: ArrayInput): number;
  /** Threshold only: whether one synchronous step maps the 0/1 code s to itself. */
  isStableCode(s: ArrayInput): boolean;
  /** Threshold only: xi s (+ I), or its sign for binary visible neurons. */
  codePattern(s: ArrayInput): Float64Array;
  recall(cue: ArrayInput, options?: RecallOptions): RecallResult;
  /** Step-by-step dynamics from cue; stays valid after the model is deleted. */
  dynamics(cue: ArrayInput, options?: RecallOptions): Dynamics;
  /** Threshold only: the stable non-zero codes. */
  countStableCodes(options?: CapacityOptions, onProgress?: ProgressCallback): CapacityResult;
  /** How many stored patterns (columns of xi) are fixed points of the schedule ('sync' default, or 'async'). */
  countStablePatterns(schedule?: Exclude<Schedule, 'continuous'>): number;
  /** xi_mu . v / (|xi_mu| |v|) for each column mu (0 where either is zero). */
  overlaps(v: ArrayInput): Float64Array;
  /** Threshold only: the hard codes (nh x count) of count images (nv x count), as tdam::encode. */
  encode(images: ArrayInput, count: number): Float64Array;
  isDeleted(): boolean;
  /** Frees the C++ model; idempotent. */
  delete(): void;
}

export interface Dynamics {
  /** One step; false when the state is a fixed point or the synchronous state cycles (the state is then unchanged). */
  step(): boolean;
  /** Copies of the current state (a new array on every read). */
  readonly visible: Float64Array;
  readonly hidden: Float64Array;
  /** Copies the visible state into out (length nv), allocating nothing; returns out (a new array when absent). */
  readVisible(out?: Float64Array): Float64Array;
  /** Copies the hidden state into out (length nh), allocating nothing; returns out. */
  readHidden(out?: Float64Array): Float64Array;
  readonly energy: number;
  readonly steps: number;
  readonly cycled: boolean;
  isDeleted(): boolean;
  /** Frees the C++ state; idempotent. */
  delete(): void;
}
