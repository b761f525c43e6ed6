// What the diagnostics are measured at: probe inputs (a crop of a dataset image or
// Gaussian noise from the probe stream), the small model a probe runs through, and
// which activation is the target. Measures nothing itself.

import { buildResNet, type ResNetModel, validateResNetConfig, type ResNetConfig } from '../nn';
import { RandomStream, Streams } from '../util';

/** docs/science.md section 5: an 8 x 8 probe unless the caller asks otherwise. */
export const DEFAULT_PROBE_SIZE = 8;

/** The probe side for `config`: `requested`, raised to the smallest size the network
 * accepts (the ImageNet stem quarters its input, so 8 x 8 leaves the stages too little). */
export function probeSizeFor(config: ResNetConfig, requested = DEFAULT_PROBE_SIZE): number {
  let size = requested;
  while (size < 4096 && validateResNetConfig({ ...config, inputSize: size }).length > 0) size++;
  return size;
}

export type ProbeSource =
  | { kind: 'noise'; seed: number }
  /** An image already normalised like the training batches, C x H x W. The crop's
   * top-left corner defaults to the centred crop. */
  | { kind: 'image'; pixels: ArrayLike<number>; channels: number; height: number; width: number; top?: number; left?: number };

/** channels x size x size probe values (float64). */
export function makeProbe(source: ProbeSource, channels: number, size: number): Float64Array {
  if (!Number.isInteger(size) || size < 1) throw new Error(`probe size must be a positive integer, got ${size}`);
  if (source.kind === 'noise') return new RandomStream(source.seed, Streams.probe).normalArray(channels * size * size);
  const { pixels, height: h, width: w } = source;
  if (source.channels !== channels) throw new Error(`probe image has ${source.channels} channels, the model takes ${channels}`);
  if (pixels.length !== channels * h * w) throw new Error(`probe image has ${pixels.length} values, expected ${channels} x ${h} x ${w}`);
  if (size > h || size > w) throw new Error(`a ${size} x ${size} crop does not fit in a ${h} x ${w} image`);
  const top = source.top ?? Math.floor((h - size) / 2);
  const left = source.left ?? Math.floor((w - size) / 2);
  if (!Number.isInteger(top) || !Number.isInteger(left) || top < 0 || left < 0 || top + size > h || left + size > w) {
    throw new Error(`crop at (${top}, ${left}) of size ${size} falls outside the ${h} x ${w} image`);
  }
  const out = new Float64Array(channels * size * size);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) out[(c * size + y) * size + x] = pixels[(c * h + top + y) * w + left + x];
    }
  }
  return out;
}

/** The same network at a probe's input size. Parameter shapes and tensor ids do not
 * depend on the input size or batch (the net is convolutional until pooling), so values
 * of the training model apply to it unchanged. */
export function probeModel(config: ResNetConfig, size: number, batch: number): ResNetModel {
  return buildResNet({ ...config, blocksPerStage: [...config.blocksPerStage], inputSize: size }, batch);
}

/** The last block's output (the "features"), the stem's, block i's (global index), or
 * the end of stage s (its last block's output; stages count from 1). */
export type ProbeTarget = 'features' | 'stem' | { block: number } | { stage: number };

export function targetTensor(model: ResNetModel, target: ProbeTarget = 'features'): number {
  if (target === 'features') return model.features;
  if (target === 'stem') return model.stemOutput;
  if ('stage' in target) {
    const inStage = model.blocks.filter((b) => b.stage === target.stage);
    const stages = [...new Set(model.blocks.map((b) => b.stage))];
    if (!inStage.length) throw new Error(`stage ${target.stage} does not exist: the model has stages ${stages.join(', ')}`);
    return inStage[inStage.length - 1].output;
  }
  const b = model.blocks[target.block];
  if (!b) throw new Error(`block ${target.block} does not exist: the model has blocks 0..${model.blocks.length - 1}`);
  return b.output;
}
