// He (Kaiming) normal initialisation: every conv and linear weight ~ N(0, 2/fan_in),
// a_res = a_skip = 1, biases 0 (RISOTTO.md section 4).

import { RandomStream, Streams } from '../../util/prng';
import type { ResNetModel } from '../resnet';
import { baseValues, heFill, WEIGHT_KINDS, type InitValues } from './common';

export function initHe(model: ResNetModel, seed: number): InitValues {
  const v = baseValues(model, { aRes: 1, aSkip: 1 });
  heFill(model, new RandomStream(seed, Streams.init), v, WEIGHT_KINDS);
  return v;
}
