// A network's weights leave and re-enter the lab as safetensors (every param, const
// and BatchNorm state tensor, by its PyTorch-style name) plus a JSON model card (the
// ResNet config, scheme, seed), so other frameworks load exactly the network built here.

import { numel } from '../engine';
import type { ResNetModel, ResNetConfig } from '../nn';
import type { SchemeChoice } from './experimentConfig';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

export interface ModelCard {
  format: 'risotto-lab-model';
  formatVersion: 1;
  config: ResNetConfig;
  scheme: SchemeChoice;
  seed: number;
  /** Training step the weights are from (0 = initial). */
  step: number;
  tensors: { name: string; shape: number[]; role: string }[];
}

function stored(model: ResNetModel) {
  return model.graph.tensors.filter((t) => t.role === 'param' || t.role === 'const' || t.role === 'state');
}

export function exportWeights(
  model: ResNetModel,
  values: ReadonlyMap<number, Float32Array | Float64Array>,
  meta: { scheme: SchemeChoice; seed: number; step: number },
): { safetensors: Uint8Array; card: ModelCard } {
  const tensors = stored(model).map((t) => {
    const v = values.get(t.id);
    if (!v) throw new Error(`no value for ${t.name}`);
    return { name: t.name, shape: [...t.shape], data: v instanceof Float32Array ? v : Float32Array.from(v) };
  });
  const card: ModelCard = {
    format: 'risotto-lab-model',
    formatVersion: 1,
    config: model.config,
    scheme: meta.scheme,
    seed: meta.seed,
    step: meta.step,
    tensors: stored(model).map((t) => ({ name: t.name, shape: [...t.shape], role: t.role })),
  };
  const safetensors = encodeSafetensors(tensors, { format: 'pt', source: 'risotto-lab', scheme: meta.scheme.id, step: String(meta.step) });
  return { safetensors, card };
}

/** Values by tensor id for `model` from a safetensors file; every tensor must be present
 * with the right shape (extra tensors are an error too: the file is for another model). */
export function importWeights(model: ResNetModel, bytes: Uint8Array): Map<number, Float32Array> {
  const file = decodeSafetensors(bytes);
  const byName = new Map(file.tensors.map((t) => [t.name, t]));
  const out = new Map<number, Float32Array>();
  const problems: string[] = [];
  for (const t of stored(model)) {
    const f = byName.get(t.name);
    if (!f) problems.push(`missing tensor ${t.name}`);
    else if (f.shape.length !== t.shape.length || f.shape.some((d, i) => d !== t.shape[i]))
      problems.push(`${t.name} has shape [${f.shape}] but the model needs [${t.shape}]`);
    else if (f.data.length !== numel(t.shape)) problems.push(`${t.name} has ${f.data.length} values`);
    else out.set(t.id, f.data);
    byName.delete(t.name);
  }
  for (const name of byName.keys()) problems.push(`unexpected tensor ${name} (the file is for a different model?)`);
  if (problems.length)
    throw new Error(
      `these weights do not fit the model:\n- ${problems.slice(0, 10).join('\n- ')}${problems.length > 10 ? `\n- ... ${problems.length - 10} more` : ''}`,
    );
  return out;
}
