// He (Kaiming) normal initialisation: every conv and linear weight ~ N(0, 2/fan_in),
// a_res = a_skip = 1, biases 0 (docs/science.md section 4), as a registry entry. Fits any
// architecture; without BatchNorm its Jacobian grows with depth, which is the point of
// showing it.

import type { ResNetModel } from '../resnet';
import { baseValues, WEIGHT_KINDS, type InitValues } from './common';
import { resolveOptions, type InitOptionValues, type InitScheme } from './scheme';
import { setHe } from './weights';

export function initHe(model: ResNetModel, seed: number): InitValues {
  const v = baseValues(model, { aRes: 1, aSkip: 1 });
  setHe(model, seed, v, WEIGHT_KINDS);
  return v;
}

export const heScheme: InitScheme = {
  id: 'he',
  label: 'He (Kaiming) normal',
  description:
    'Every weight drawn from N(0, 2/fan_in), skip and residual branch added with weight 1. The standard choice with BatchNorm; without it the signal grows with depth.',
  options: [],
  requires: () => [],
  configFor: (base) => ({ ...base, blocksPerStage: [...base.blocksPerStage] }),
  init(model: ResNetModel, seed: number, options: InitOptionValues = {}): InitValues {
    resolveOptions('He', [], options);
    return initHe(model, seed);
  },
};
