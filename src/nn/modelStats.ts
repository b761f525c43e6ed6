// Size and cost of a ResNet config, computed from its layout plan without building a
// graph (so the UI can show them for any config instantly). resnet.test.ts and
// modelStats.test.ts check they agree with the built graph. Not a profiler.

import { planResNet, type ResNetConfig } from './resnetConfig';

/** Trainable parameters: conv and fc weights, fc bias, BN gamma/beta, Fixup biases
 * and a_res/a_skip when learned. BN running stats and const scalars are excluded. */
export function countParams(c: ResNetConfig): number {
  const plan = planResNet(c);
  const bn = (channels: number): number => (c.batchNorm ? 2 * channels : 0);
  const fixup = c.fixupBiases ? 1 : 0;
  let n = c.inputChannels * plan.stemChannels * 9 + bn(plan.stemChannels) + fixup;
  for (const b of plan.blocks) {
    n += b.cin * b.cout * 9 + bn(b.cout); // conv1
    n += b.cout * b.cout * 9 + bn(b.cout); // conv2
    if (b.projection) n += b.cin * b.cout + bn(b.cout);
    n += (c.learnRes ? 1 : 0) + (c.learnSkip ? 1 : 0) + 4 * fixup;
  }
  return n + plan.featureChannels * c.numClasses + c.numClasses + fixup;
}

/** Forward FLOPs for one example, counted as 2 x multiply-adds of the convolutions
 * (every output position of a 3x3 conv costs cin * 9 MACs, padding taps included, as
 * in the usual tables) and of the classifier. BN, ReLU, additions, scalar ops, pooling
 * and the loss are ignored: they are a few percent and conventions differ. */
export function flopsPerExample(c: ResNetConfig): number {
  const plan = planResNet(c);
  let macs = c.inputChannels * plan.stemChannels * 9 * plan.stemSize ** 2;
  for (const b of plan.blocks) {
    const positions = b.outSize ** 2;
    macs += b.cin * b.cout * 9 * positions + b.cout * b.cout * 9 * positions;
    if (b.projection) macs += b.cin * b.cout * positions;
  }
  macs += plan.featureChannels * c.numClasses;
  return 2 * macs;
}
