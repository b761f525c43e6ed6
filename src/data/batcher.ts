// Turns one uint8 split into normalised float32 NCHW batches in a seeded, resumable
// order, with optional flip / pad-and-crop augmentation. Every run with the same seed
// sees the same batches, and a saved `position` resumes exactly where a run stopped.
// Also channelStats for the normalisation constants. Not a dataset parser.

import { RandomStream, Streams } from '../util';
import type { ImageSplit } from './dataset';
import { applyMix, checkMixupAlpha, MixupStream, type BatchMix } from './mixup';

export interface ImageDims {
  channels: number;
  height: number;
  width: number;
}

export interface BatcherOptions {
  batchSize: number;
  seed: number;
  shuffle: boolean;
  /** Skip the short last batch of an epoch (keeps BatchNorm statistics on full batches). */
  dropLast: boolean;
  /** Per channel, on the 0..1 pixel scale: x = (pixel / 255 - mean) / std. */
  normalize: { mean: number[]; std: number[] };
  /** Random horizontal flip, and random crop after zero-padding by cropPad pixels. */
  augment?: { flip: boolean; cropPad: number };
  /** Mixup's alpha (mixup.ts); 0 or absent: off. */
  mixup?: number;
}

export interface Batch {
  /** N x C x H x W, normalised. Reused by the next call: copy it to keep it. */
  x: Float32Array;
  /** Reused by the next call: copy it to keep it. */
  labels: Uint32Array;
  epoch: number;
  /** 0-based index of this batch within its epoch. */
  indexInEpoch: number;
  /** With mixup: x is mixed and `labels` are each row's dominant label. Reused like x. */
  mix?: BatchMix;
}

/** Where the next batch comes from; save it with a checkpoint, set it to resume. */
export interface BatchPosition {
  epoch: number;
  indexInEpoch: number;
}

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function checkSplit(split: ImageSplit, dims: ImageDims, who: string): number {
  for (const key of ['channels', 'height', 'width'] as const) {
    if (!isPosInt(dims[key])) throw new Error(`${who}: dims.${key} must be a positive integer, got ${String(dims[key])}`);
  }
  const per = dims.channels * dims.height * dims.width;
  if (split.pixels.length !== split.count * per) {
    throw new Error(
      `${who}: split has ${split.pixels.length} pixel bytes but ${split.count} images of ${dims.channels}x${dims.height}x${dims.width} need ${split.count * per}; pass the dims of the dataset the split came from`,
    );
  }
  if (split.labels.length !== split.count) throw new Error(`${who}: split has ${split.labels.length} labels for ${split.count} images`);
  return per;
}

export class Batcher {
  readonly batchesPerEpoch: number;
  private readonly per: number;
  /** 256 entries per channel: the normalised value of each pixel byte. */
  private readonly lut: Float32Array;
  private readonly orderRoot: RandomStream;
  private readonly augmentRoot: RandomStream;
  private epoch = 0;
  private index = 0;
  private order: { epoch: number; perm: Uint32Array } | null = null;
  private full: Batch | null = null;
  private tail: Batch | null = null;
  private readonly mixup?: { stream: MixupStream; second: Uint32Array; scratch: Float32Array };

  constructor(
    private readonly split: ImageSplit,
    private readonly dims: ImageDims,
    private readonly opts: BatcherOptions,
  ) {
    this.per = checkSplit(split, dims, 'Batcher');
    const { batchSize, seed, normalize, augment } = opts;
    if (!isPosInt(batchSize)) throw new Error(`Batcher: batchSize must be a positive integer, got ${String(batchSize)}`);
    if (!isNonNegInt(seed) || seed > 0xffffffff) throw new Error(`Batcher: seed must be an integer in [0, 2^32), got ${String(seed)}`);
    if (typeof opts.shuffle !== 'boolean') throw new Error(`Batcher: shuffle must be true or false, got ${String(opts.shuffle)}`);
    if (typeof opts.dropLast !== 'boolean') throw new Error(`Batcher: dropLast must be true or false, got ${String(opts.dropLast)}`);
    this.lut = makeLut(normalize, dims.channels);
    if (augment) checkAugment(augment, dims);
    if (split.count === 0) throw new Error('Batcher: the split has no images; choose a dataset with at least one image per split');
    if (opts.dropLast && batchSize > split.count) {
      throw new Error(
        `Batcher: batchSize ${batchSize} exceeds the ${split.count} images of the split, so dropLast leaves no batch; lower batchSize or set dropLast false`,
      );
    }
    this.batchesPerEpoch = opts.dropLast ? Math.floor(split.count / batchSize) : Math.ceil(split.count / batchSize);
    this.orderRoot = new RandomStream(seed, Streams.dataOrder);
    this.augmentRoot = new RandomStream(seed, Streams.augment);
    if (opts.mixup !== undefined) checkMixupAlpha(opts.mixup, 'Batcher');
    if (opts.mixup) {
      const stream = new MixupStream(opts.mixup, seed);
      this.mixup = { stream, second: new Uint32Array(batchSize), scratch: new Float32Array(batchSize * this.per) };
    }
  }

  get position(): BatchPosition {
    return { epoch: this.epoch, indexInEpoch: this.index };
  }

  set position(p: BatchPosition) {
    if (!isNonNegInt(p.epoch)) throw new Error(`Batcher: position.epoch must be a non-negative integer, got ${String(p.epoch)}`);
    if (!isNonNegInt(p.indexInEpoch) || p.indexInEpoch >= this.batchesPerEpoch) {
      throw new Error(`Batcher: position.indexInEpoch must be an integer in [0, ${this.batchesPerEpoch}), got ${String(p.indexInEpoch)}`);
    }
    this.epoch = p.epoch;
    this.index = p.indexInEpoch;
  }

  /** The dataset indices of epoch `epoch`, in the order the batches visit them. Cached
   * and shared with next(): read it, do not write it. */
  epochOrder(epoch: number): Uint32Array {
    if (!isNonNegInt(epoch)) throw new Error(`Batcher: epoch must be a non-negative integer, got ${String(epoch)}`);
    if (this.order?.epoch !== epoch) {
      const n = this.split.count;
      const perm = this.opts.shuffle ? this.orderRoot.fork(epoch).permutation(n) : Uint32Array.from({ length: n }, (_, i) => i);
      this.order = { epoch, perm };
    }
    return this.order.perm;
  }

  next(): Batch {
    const { batchSize } = this.opts;
    const epoch = this.epoch;
    const indexInEpoch = this.index;
    const start = indexInEpoch * batchSize;
    const n = Math.min(batchSize, this.split.count - start);
    const out = this.outputs(n);
    const perm = this.epochOrder(epoch);
    const aug = this.opts.augment;
    const augEpoch = aug && (aug.flip || aug.cropPad > 0) ? this.augmentRoot.fork(epoch) : null;
    for (let k = 0; k < n; k++) {
      const src = perm[start + k];
      out.labels[k] = this.split.labels[src];
      // Forked by position in the epoch, not by image: the draws do not depend on the order stream.
      if (augEpoch) this.writeAugmented(out.x, k * this.per, src, augEpoch.fork(start + k));
      else this.writePlain(out.x, k * this.per, src);
    }
    out.epoch = epoch;
    out.indexInEpoch = indexInEpoch;
    if (this.mixup) {
      const { stream, second, scratch } = this.mixup;
      out.mix = applyMix(stream.draw(epoch, indexInEpoch, n), out.x, out.labels, second.subarray(0, n), scratch, this.per);
    }
    this.index++;
    if (this.index >= this.batchesPerEpoch) {
      this.index = 0;
      this.epoch++;
    }
    return out;
  }

  /** The full-size batch, or the short last one; both allocated once and reused. */
  private outputs(n: number): Batch {
    if (!this.full) {
      const x = new Float32Array(this.opts.batchSize * this.per);
      const labels = new Uint32Array(this.opts.batchSize);
      this.full = { x, labels, epoch: 0, indexInEpoch: 0 };
    }
    if (n === this.opts.batchSize) return this.full;
    if (!this.tail)
      this.tail = { x: this.full.x.subarray(0, n * this.per), labels: this.full.labels.subarray(0, n), epoch: 0, indexInEpoch: 0 };
    return this.tail;
  }

  private writePlain(dst: Float32Array, at: number, src: number): void {
    const plane = this.dims.height * this.dims.width;
    const base = src * this.per;
    const px = this.split.pixels;
    for (let c = 0; c < this.dims.channels; c++) {
      const lo = c * plane;
      const lut = c * 256;
      for (let j = 0; j < plane; j++) dst[at + lo + j] = this.lut[lut + px[base + lo + j]];
    }
  }

  /** Pad with black (pixel 0, as torchvision's RandomCrop does), crop, then maybe flip.
   * Draw order per image: crop dx, crop dy, flip bit. */
  private writeAugmented(dst: Float32Array, at: number, src: number, rng: RandomStream): void {
    const { height: h, width: w, channels } = this.dims;
    const { flip, cropPad: pad } = this.opts.augment!;
    const ox = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
    const oy = pad > 0 ? rng.int(2 * pad + 1) - pad : 0;
    const mirror = flip && (rng.nextU32() & 1) === 1;
    const plane = h * w;
    const base = src * this.per;
    const px = this.split.pixels;
    for (let c = 0; c < channels; c++) {
      const lut = c * 256;
      for (let y = 0; y < h; y++) {
        const sy = y + oy;
        for (let x = 0; x < w; x++) {
          const sx = (mirror ? w - 1 - x : x) + ox;
          const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
          dst[at + c * plane + y * w + x] = this.lut[lut + (inside ? px[base + c * plane + sy * w + sx] : 0)];
        }
      }
    }
  }
}

function makeLut(normalize: BatcherOptions['normalize'], channels: number): Float32Array {
  const mean: unknown = normalize?.mean;
  const std: unknown = normalize?.std;
  if (!Array.isArray(mean) || !Array.isArray(std) || mean.length !== channels || std.length !== channels) {
    throw new Error(
      `Batcher: normalize.mean and normalize.std need one number per channel (${channels}); channelStats(split, dims) computes them`,
    );
  }
  const lut = new Float32Array(256 * channels);
  for (let c = 0; c < channels; c++) {
    if (!Number.isFinite(mean[c])) throw new Error(`Batcher: normalize.mean[${c}] must be a finite number, got ${String(mean[c])}`);
    if (!(Number.isFinite(std[c]) && std[c] > 0))
      throw new Error(`Batcher: normalize.std[${c}] must be a positive finite number, got ${String(std[c])}`);
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - mean[c]) / std[c];
  }
  return lut;
}

function checkAugment(a: { flip: boolean; cropPad: number }, dims: ImageDims): void {
  if (typeof a.flip !== 'boolean') throw new Error(`Batcher: augment.flip must be true or false, got ${String(a.flip)}`);
  const maxPad = Math.min(dims.height, dims.width) - 1;
  if (!isNonNegInt(a.cropPad) || a.cropPad > maxPad) {
    throw new Error(`Batcher: augment.cropPad must be an integer from 0 to ${maxPad} (smaller than the image), got ${String(a.cropPad)}`);
  }
}

/** Per-channel mean and (population) standard deviation on the 0..1 pixel scale. */
export function channelStats(split: ImageSplit, dims: ImageDims): { mean: number[]; std: number[] } {
  const per = checkSplit(split, dims, 'channelStats');
  if (split.count === 0) throw new Error('channelStats: the split has no images, so it has no statistics');
  const plane = dims.height * dims.width;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < dims.channels; c++) {
    // Integer sums stay exact in float64 up to 2^53 / 255^2 ~ 1.4e11 pixels per channel.
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < split.count; i++) {
      const lo = i * per + c * plane;
      for (let j = 0; j < plane; j++) {
        const v = split.pixels[lo + j];
        sum += v;
        sumSq += v * v;
      }
    }
    const n = split.count * plane;
    const m = sum / n;
    mean.push(m / 255);
    // A constant channel (std 0) would divide by zero: one pixel level is the floor.
    std.push(Math.max(Math.sqrt(Math.max(0, sumSq / n - m * m)), 1) / 255);
  }
  return { mean, std };
}
