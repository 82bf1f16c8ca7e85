// Presets: MNIST digits (extracted at build time into data/), and sample sets
// for the library. The house is drawn by hand for this playground as six
// nearly disjoint parts on a 16 x 16 grid: the compositional case of the
// threshold network, where every combination of parts is a memory.
import { resampleGrey, threshold, resample } from './pixels.js';
import { letterBitmap } from './font.js';

let mnist = null;

export async function loadMnist() {
  if (!mnist) {
    mnist = (async () => {
      const metaUrl = new URL('../data/mnist-digits.json', import.meta.url);
      const meta = await (await fetch(metaUrl)).json();
      const res = await fetch(new URL(meta.file, metaUrl));
      if (!res.ok) throw new Error(`cannot load the MNIST presets (${res.status})`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length !== 10 * meta.perClass * meta.size * meta.size) throw new Error('the MNIST preset file has the wrong size');
      return { ...meta, bytes };
    })();
    mnist.catch(() => {
      mnist = null;
    });
  }
  return mnist;
}

// Digit d, sample k (0-based), downsampled to n x n (ink = grey >= 0.35).
export async function mnistDigit(d, k, n) {
  const m = await loadMnist();
  const px = m.size * m.size;
  const start = (d * m.perClass + k) * px;
  const grey = new Float32Array(px);
  for (let i = 0; i < px; i++) grey[i] = m.bytes[start + i] / 255;
  return threshold(resampleGrey(grey, m.size, m.size, n), 0.35);
}

const HOUSE = {
  sun: [
    '...........####.',
    '..........######',
    '..........######',
    '...........####.',
  ],
  roof: [
    '................',
    '................',
    '......#.........',
    '.....###........',
    '....#####.......',
    '...#######......',
    '..#########.....',
  ],
  walls: [
    '................', '................', '................', '................',
    '................', '................', '................',
    '...#######......',
    '...#.....#......',
    '...#.....#......',
    '...#.....#......',
    '...#.....#......',
    '...#.....#......',
    '...#######......',
  ],
  door: [
    '................', '................', '................', '................',
    '................', '................', '................', '................',
    '................',
    '.....###........',
    '.....###........',
    '.....###........',
    '.....###........',
  ],
  tree: [
    '................', '................', '................', '................',
    '................', '................',
    '............##..',
    '...........####.',
    '..........######',
    '...........####.',
    '............##..',
    '............##..',
    '............##..',
  ],
  ground: [
    '................', '................', '................', '................',
    '................', '................', '................', '................',
    '................', '................', '................', '................',
    '................', '................',
    '################',
  ],
};

function fromRows(rows, n = 16) {
  const p = new Uint8Array(n * n);
  rows.forEach((row, r) => {
    for (let c = 0; c < n; c++) if (row[c] === '#') p[r * n + c] = 1;
  });
  return p;
}

export const SAMPLE_SETS = {
  house: {
    label: 'House parts (6 parts, compositional)',
    async items(n) {
      return Object.entries(HOUSE).map(([name, rows]) => ({ name, pixels: resample(fromRows(rows), 16, n) }));
    },
  },
  letters: {
    label: 'Letters J, T, V, X (little overlap)',
    async items(n) {
      return ['J', 'T', 'V', 'X'].map((L) => ({ name: L, pixels: letterBitmap(L, n) }));
    },
  },
  similar: {
    label: 'Letters B, E, F, P (much overlap)',
    async items(n) {
      return ['B', 'E', 'F', 'P'].map((L) => ({ name: L, pixels: letterBitmap(L, n) }));
    },
  },
  digits: {
    label: 'MNIST digits 0–4',
    async items(n) {
      const out = [];
      for (let d = 0; d < 5; d++) out.push({ name: `digit ${d}`, pixels: await mnistDigit(d, 0, n) });
      return out;
    },
  },
};
