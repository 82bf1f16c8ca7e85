// Worker operations of the Real images view (web/src/worker.js registers
// them). The network, its decoder and the digits live in the worker; the page
// sends images and gets back states to draw.
//
//   realLoad        the shipped network (data/mnist-threshold-32.*, made by
//                   tdam train) and its decoder
//   realInstall     a network trained on this page (realTrain's result)
//   realCue         a corrupted cue of a grey image (tdam::corrupt_grey, as
//                   tdam eval makes its cues)
//   realRecall      synchronous recall from a cue, every step's state
//   realTrain       tdam::train_threshold on MNIST digits or given patterns,
//                   with progress and the minibatch losses as partial results
//
// The decoder is the core's classifier (tdam::Classifier, 64 ReLU units, 20
// epochs) trained on the N_h-bit codes of the training digits, with the seed
// tdam eval --classifier uses (derived_seed(1, 3)), so the shipped network's
// test accuracy here is the CLI's number.
import { loadDigits, fetchShippedNetwork } from './dataset.js';

const CLASSIFIER_STREAM = 3; // tdam eval: co.seed = derived_seed(seed, 3)
const EVAL_SEED = 1; // tdam eval's default --seed

let current = null; // { model, classifier, nv, nh, rows, cols, info }

function free() {
  if (!current) return;
  current.model.delete();
  if (current.classifier) current.classifier.delete();
  current = null;
}

function countDistinct(codes, nh, count) {
  const seen = new Set();
  for (let k = 0; k < count; k++) {
    let key = '';
    for (let mu = 0; mu < nh; mu++) key += codes[k * nh + mu] > 0.5 ? '1' : '0';
    seen.add(key);
  }
  return seen.size;
}

// The training and test digits of a network trained on the first `count`
// digits of the order train split ++ test split (tdam::mnist_split).
export function digitSplit(tdam, total, count) {
  const s = tdam.mnistSplit(total);
  const order = [...s.train, ...s.test];
  const train = order.slice(0, count);
  const used = new Set(train);
  return { train, test: Array.from(s.test).filter((k) => !used.has(k)) };
}

// Builds the model and, for MNIST networks, trains the decoder; the
// fraction reported goes from `from` to 1.
async function install(tdam, network, info, trainCount, report) {
  const model = tdam.networkModel(network);
  const { nv, nh } = model;
  const out = { nv, nh, rows: info.rows, cols: info.cols, info, stats: null, decoder: null };
  let classifier = null;
  try {
    if (info.source === 'mnist') {
      const digits = await loadDigits();
      const split = digitSplit(tdam, digits.count, trainCount);
      const trainCodes = model.encode(digits.images(split.train), split.train.length);
      const labels = split.train.map((k) => digits.labels[k]);
      const seed = tdam.derivedSeed(EVAL_SEED, CLASSIFIER_STREAM);
      report(0.05);
      classifier = tdam.trainClassifier(trainCodes, nh, split.train.length, labels, { seed }, (f) => report(0.05 + 0.9 * f));
      let stable = 0;
      const code = new Float64Array(nh);
      for (let k = 0; k < split.train.length; k++) {
        for (let mu = 0; mu < nh; mu++) code[mu] = trainCodes[k * nh + mu];
        if (model.isStableCode(code)) stable++;
      }
      let active = 0;
      for (let i = 0; i < trainCodes.length; i++) active += trainCodes[i];
      out.stats = {
        images: split.train.length,
        distinctCodes: countDistinct(trainCodes, nh, split.train.length),
        fixedPoints: stable,
        meanActive: active / split.train.length,
      };
      // The picker's digits: the held-out ones (all 2,000 of the test split
      // when the network was trained on every digit).
      out.testIndices = split.test.length ? split.test : Array.from(tdam.mnistSplit(digits.count).test);
      out.heldOut = split.test.length > 0;
      out.decoder = {
        trainAccuracy: classifier.accuracy(trainCodes, split.train.length, labels),
        testImages: split.test.length,
        testAccuracy: null,
      };
      if (split.test.length) {
        const testCodes = model.encode(digits.images(split.test), split.test.length);
        out.decoder.testAccuracy = classifier.accuracy(testCodes, split.test.length, split.test.map((k) => digits.labels[k]));
      }
    }
  } catch (e) {
    model.delete();
    if (classifier) classifier.delete();
    throw e;
  }
  free();
  current = { model, classifier, nv, nh, rows: info.rows, cols: info.cols, info };
  report(1);
  return out;
}

function need() {
  if (!current) throw new Error('no network is loaded yet');
  return current;
}

// The decoder's class probabilities for a code and its class (the core's
// Classifier::predict: the most probable, lowest index on ties); nulls when
// the network has no decoder.
function decode(code) {
  if (!current.classifier) return { probabilities: null, decoded: null };
  return {
    probabilities: Array.from(current.classifier.probabilities(code, 1)),
    decoded: current.classifier.predict(code, 1)[0],
  };
}

function toCode(hidden) {
  return Float64Array.from(hidden, (h) => (h > 0.5 ? 1 : 0));
}

export function realOps(engine, progressFor) {
  return {
    async realLoad(_, id) {
      const tdam = await engine();
      const report = progressFor(id);
      const [shipped] = await Promise.all([fetchShippedNetwork(), loadDigits()]);
      const net = tdam.parseNetwork(shipped.json, shipped.npy, shipped.source);
      const m = net.metadata;
      const info = {
        source: 'mnist',
        shipped: true,
        file: shipped.source,
        command: m.command,
        seed: m.seed,
        dataset: m.dataset,
        rows: m.imageRows,
        cols: m.imageCols,
        settings: m.settings,
      };
      // tdam train saves the number of training images with the settings.
      return install(tdam, net, info, m.settings.images, report);
    },

    // network: { xi, theta, nv, nh }; info: { source: 'mnist' | 'patterns', rows, cols, count, ... }
    async realInstall({ network, info }, id) {
      const tdam = await engine();
      return install(tdam, network, info, info.count, progressFor(id));
    },

    // The corrupted cue of a grey image; kind 'none' returns it as it is.
    async realCue({ image, kind, level, seed }) {
      const tdam = await engine();
      const c = need();
      if (kind === 'none') return Float64Array.from(image);
      return tdam.corruptGrey(image, { kind, level, rows: c.rows, cols: c.cols, seed });
    },

    // Synchronous recall from cue; `clean` is the uncorrupted image (for s(x)).
    async realRecall({ cue, clean, maxSteps = 50 }) {
      await engine();
      const c = need();
      const d = c.model.dynamics(cue, { schedule: 'sync', maxSteps });
      try {
        const states = [];
        const record = () => {
          const hidden = d.hidden;
          const code = toCode(hidden);
          states.push({
            visible: Float32Array.from(d.visible),
            code: Uint8Array.from(code),
            energy: d.energy,
            ...decode(code),
          });
        };
        record();
        let stop = 'step_limit';
        while (d.steps < maxSteps) {
          if (!d.step()) {
            stop = d.cycled ? 'cycle' : 'converged';
            break;
          }
          record();
        }
        // The last recorded state is the final one (a step that returns
        // false leaves the state as it was).
        const last = states[states.length - 1].code;
        const cleanCode = c.model.encode(clean, 1);
        let differ = 0;
        for (let mu = 0; mu < c.nh; mu++) differ += last[mu] !== cleanCode[mu] ? 1 : 0;
        return {
          states,
          stop,
          steps: d.steps,
          cleanCode: Uint8Array.from(cleanCode),
          cleanDecoded: decode(cleanCode).decoded,
          bitsFromClean: differ,
          stable: c.model.isStableCode(last),
        };
      } finally {
        d.delete();
      }
    },

    // source 'mnist': the first `count` digits of train ++ test (digitSplit);
    // source 'patterns': patterns = { data: Float64Array nv * count, nv, count }.
    // record: { stem, command, dataset, rows, cols }: what the saved files
    // (tdam::save_network's .npy and .json, returned as `files`) say about it.
    async realTrain({ source, count, patterns, options, record }, id) {
      const tdam = await engine();
      const report = progressFor(id);
      let images;
      let nv;
      if (source === 'mnist') {
        const digits = await loadDigits();
        if (!(count >= 1 && count <= digits.count)) throw new Error(`choose between 1 and ${digits.count} digits`);
        images = digits.images(digitSplit(tdam, digits.count, count).train);
        nv = digits.nv;
      } else {
        ({ data: images, nv, count } = patterns);
      }
      // Minibatch losses go out with the progress messages, at most every 100 ms.
      let pending = [];
      let last = 0;
      let fraction = 0;
      const flush = () => {
        if (!pending.length) return;
        report(fraction, { losses: pending });
        pending = [];
        last = Date.now();
      };
      const t0 = performance.now();
      const r = tdam.trainThreshold(images, nv, count, options, {
        onProgress: (f) => {
          fraction = f;
          report(f);
        },
        onBatch: (step, loss) => {
          pending.push([step, loss]);
          if (Date.now() - last > 100) flush();
        },
      });
      flush();
      const seconds = (performance.now() - t0) / 1000;
      // As tdam train saves it: the settings plus the number of images.
      const files = tdam.networkFiles(
        r,
        {
          method: 'gradient',
          command: record.command,
          dataset: record.dataset,
          imageRows: record.rows,
          imageCols: record.cols,
          seed: options.seed ?? 1,
          settings: { ...r.settings, images: count },
        },
        `${record.stem}.npy`,
      );
      return { ...r, count, seconds, files: { ...files, stem: record.stem } };
    },
  };
}
