// "shapes": a seeded synthetic RGB dataset of ten classes of shapes and textures, made
// in memory so the lab has something to train on without any download. Random colours,
// size, position, background gradient and pixel noise keep it learnable but not
// trivial. Integer pixel math only, so a seed gives the same bytes in every JS engine.
// Not augmentation (batcher.ts) and not a file format.

import { RandomStream, Streams } from '../util';
import type { Dataset, ImageSplit } from './dataset';

export const SHAPE_CLASS_NAMES = [
  'circle',
  'square',
  'triangle',
  'cross',
  'ring',
  'horizontal stripes',
  'vertical stripes',
  'diagonal stripes',
  'checkerboard',
  'dots',
] as const;

export interface SyntheticShapesOptions {
  seed?: number;
  trainCount?: number;
  testCount?: number;
  /** Side of the square images in pixels. */
  size?: number;
}

const CHANNELS = 3;
const MIN_SIZE = 12;
const MAX_SIZE = 256;

/** Everything random about one image, drawn before any pixel is written. */
interface ImageParams {
  cx: number;
  cy: number;
  /** Half extent of the shape or texture patch. */
  r: number;
  fg: number[];
  bg: number[];
  /** Background gradient per pixel step, in 1/8 pixel levels. */
  gx: number;
  gy: number;
  noise: number;
  /** Shape orientation or texture period, phase and direction, as the class needs. */
  variant: number;
  period: number;
  phaseX: number;
  phaseY: number;
}

type Mask = (dx: number, dy: number, x: number, y: number, p: ImageParams) => boolean;

const box = (dx: number, dy: number, r: number): boolean => Math.abs(dx) <= r && Math.abs(dy) <= r;
const mod = (a: number, n: number): number => ((a % n) + n) % n;
// The textures alternate every `period` pixels; Math.floor keeps negative coordinates periodic too.
const band = (a: number, period: number): number => Math.floor(a / period) & 1;

// One entry per class, same order as SHAPE_CLASS_NAMES. (dx, dy) is relative to the
// centre, (x, y) absolute, so textures keep their phase independent of the patch.
const MASKS: readonly Mask[] = [
  (dx, dy, _x, _y, p) => dx * dx + dy * dy <= p.r * p.r,
  (dx, dy, _x, _y, p) => box(dx, dy, Math.round(p.r * 0.8)),
  (dx, dy, _x, _y, p) => {
    // Isosceles triangle with its apex towards one of four sides.
    const u = p.variant < 2 ? dx : dy;
    const v = p.variant === 0 ? dy : p.variant === 1 ? -dy : p.variant === 2 ? dx : -dx;
    return v >= -p.r && v <= p.r && 2 * Math.abs(u) <= v + p.r;
  },
  (dx, dy, _x, _y, p) => {
    const t = Math.max(1, Math.round(p.r / 4));
    return (Math.abs(dx) <= t && Math.abs(dy) <= p.r) || (Math.abs(dy) <= t && Math.abs(dx) <= p.r);
  },
  (dx, dy, _x, _y, p) => {
    const d2 = dx * dx + dy * dy;
    const inner = p.r - 2 - p.variant;
    return d2 <= p.r * p.r && d2 > inner * inner;
  },
  (dx, dy, _x, y, p) => box(dx, dy, p.r) && band(y + p.phaseY, p.period) === 1,
  (dx, dy, x, _y, p) => box(dx, dy, p.r) && band(x + p.phaseX, p.period) === 1,
  (dx, dy, x, y, p) => box(dx, dy, p.r) && band((p.variant & 1 ? x - y : x + y) + p.phaseX, p.period) === 1,
  (dx, dy, x, y, p) => box(dx, dy, p.r) && (band(x + p.phaseX, p.period) ^ band(y + p.phaseY, p.period)) === 1,
  (dx, dy, x, y, p) => {
    // A grid of small discs, one per cell of side 2 * period.
    const cell = 2 * p.period;
    const ox = mod(x + p.phaseX, cell) - p.period;
    const oy = mod(y + p.phaseY, cell) - p.period;
    const rd = p.period - 1;
    return box(dx, dy, p.r) && ox * ox + oy * oy <= rd * rd;
  },
];

function checkCount(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new Error(`makeSyntheticShapes: ${name} must be a non-negative integer, got ${String(v)}`);
}

export function makeSyntheticShapes(opts: SyntheticShapesOptions = {}): Dataset {
  const { seed = 0, trainCount = 5000, testCount = 1000, size = 32 } = opts;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`makeSyntheticShapes: seed must be an integer in [0, 2^32), got ${String(seed)}`);
  }
  checkCount('trainCount', trainCount);
  checkCount('testCount', testCount);
  if (!Number.isInteger(size) || size < MIN_SIZE || size > MAX_SIZE) {
    throw new Error(
      `makeSyntheticShapes: size must be an integer from ${MIN_SIZE} to ${MAX_SIZE} pixels (shapes need room), got ${String(size)}`,
    );
  }
  // Train and test come from separate forks, so growing one split never changes the other.
  const root = new RandomStream(seed, Streams.dataset);
  return {
    id: 'shapes',
    name: 'Synthetic shapes',
    channels: CHANNELS,
    height: size,
    width: size,
    classNames: [...SHAPE_CLASS_NAMES],
    train: makeSplit(root.fork(0), trainCount, size),
    test: makeSplit(root.fork(1), testCount, size),
  };
}

function makeSplit(stream: RandomStream, count: number, size: number): ImageSplit {
  const per = CHANNELS * size * size;
  const pixels = new Uint8Array(count * per);
  const labels = new Uint8Array(count);
  const classes = SHAPE_CLASS_NAMES.length;
  for (let i = 0; i < count; i++) {
    // Round-robin labels give an exact balance; the batcher does the shuffling. Each image
    // has its own fork, so image i does not depend on how many images came before it.
    const label = i % classes;
    labels[i] = label;
    drawImage(pixels.subarray(i * per, (i + 1) * per), size, label, stream.fork(i));
  }
  return { pixels, labels, count };
}

function drawParams(rng: RandomStream, size: number): ImageParams {
  const rMin = Math.max(3, Math.round(size * 0.18));
  const rMax = Math.max(rMin, Math.round(size * 0.4));
  const r = rMin + rng.int(rMax - rMin + 1);
  const cx = r + rng.int(size - 2 * r);
  const cy = r + rng.int(size - 2 * r);
  const bg = [rng.int(256), rng.int(256), rng.int(256)];
  let fg = [rng.int(256), rng.int(256), rng.int(256)];
  // Enough colour contrast that the shape is visible; a few redraws, then the complement.
  for (let tries = 0; contrast(fg, bg) < 160 && tries < 8; tries++) fg = [rng.int(256), rng.int(256), rng.int(256)];
  if (contrast(fg, bg) < 160) fg = bg.map((c) => 255 - c);
  return {
    cx,
    cy,
    r,
    fg,
    bg,
    gx: rng.int(9) - 4,
    gy: rng.int(9) - 4,
    noise: 6 + rng.int(27),
    variant: rng.int(4),
    period: 2 + rng.int(2),
    phaseX: rng.int(8),
    phaseY: rng.int(8),
  };
}

function contrast(a: number[], b: number[]): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}

function drawImage(out: Uint8Array, size: number, label: number, rng: RandomStream): void {
  const p = drawParams(rng, size);
  const mask = MASKS[label];
  const plane = size * size;
  const half = size >> 1;
  const span = 2 * p.noise + 1;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inside = mask(x - p.cx, y - p.cy, x, y, p);
      const shade = inside ? 0 : (p.gx * (x - half) + p.gy * (y - half)) >> 3;
      // One 32-bit draw gives three independent noise bytes, one per channel.
      const bits = rng.nextU32();
      for (let c = 0; c < CHANNELS; c++) {
        const noise = ((((bits >>> (8 * c)) & 255) * span) >> 8) - p.noise;
        const v = (inside ? p.fg[c] : p.bg[c] + shade) + noise;
        out[c * plane + y * size + x] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
  }
}
