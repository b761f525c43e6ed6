// The lab's own outputs for the export's parity check: logits and last-block features
// of every run on one seeded probe batch, in train mode (BatchNorm on batch statistics)
// and eval mode, from the float64 CPU reference (the GPU kernels are tested against it)
// with the float32-rounded weights that weights.safetensors holds.

import { runForward } from '../../engine';
import { buildResNet, type ResNetModel } from '../../nn';
import type { ResNetConfig } from '../../nn';
import { RandomStream, Streams } from '../../util';

/** Two images: the smallest batch whose BatchNorm statistics are not degenerate. */
export const PARITY_BATCH = 2;

export interface ParityOutputs {
  train: { logits: Float64Array; features: Float64Array };
  eval: { logits: Float64Array; features: Float64Array };
}

export function parityInput(config: ResNetConfig, seed: number): Float32Array {
  const n = PARITY_BATCH * config.inputChannels * config.inputSize * config.inputSize;
  return Float32Array.from(new RandomStream(seed, Streams.probe).fork(0x9a71).normalArray(n, 1));
}

/** Float64 copies of the exported tensors (by name) for `model`'s graph, plus the probe
 * input and labels: what the CPU interpreter runs on. */
export function graphValues(model: ResNetModel, values: ReadonlyMap<string, Float32Array>, input: Float32Array, labels: Float64Array): Map<number, Float64Array> {
  const v = new Map<number, Float64Array>();
  for (const t of model.graph.tensors) {
    if (t.role !== 'param' && t.role !== 'const' && t.role !== 'state') continue;
    const x = values.get(t.name);
    if (!x) throw new Error(`parity: no exported value for ${t.name}`);
    v.set(t.id, Float64Array.from(x));
  }
  v.set(model.input, Float64Array.from(input));
  v.set(model.labels, labels);
  return v;
}

/** `values`: the exported tensors by name (float32). Nothing is modified. */
export function parityOutputs(config: ResNetConfig, values: ReadonlyMap<string, Float32Array>, input: Float32Array): ParityOutputs {
  const model = buildResNet(config, PARITY_BATCH);
  const run = (mode: 'train' | 'eval') => {
    const pass = runForward(model.graph, graphValues(model, values, input, new Float64Array(PARITY_BATCH)), mode);
    return { logits: pass.value(model.logits), features: pass.value(model.features) };
  };
  return { train: run('train'), eval: run('eval') };
}
