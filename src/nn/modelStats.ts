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
  const stem = plan.stem.conv;
  let n = stem.cin * stem.cout * stem.k ** 2 + bn(plan.stemChannels) + fixup;
  for (const b of plan.blocks) {
    for (const v of b.convs) n += v.cin * v.cout * v.k ** 2 + bn(v.cout);
    if (b.projection) n += b.cin * b.cout + bn(b.cout);
    // Fixup: a bias before every branch conv and after every branch activation.
    n += (c.learnRes ? 1 : 0) + (c.learnSkip ? 1 : 0) + 2 * b.convs.length * fixup;
  }
  return n + plan.featureChannels * c.numClasses + c.numClasses + fixup;
}

/** Forward FLOPs for one example, counted as 2 x multiply-adds of the convolutions
 * (every output position of a k x k conv costs cin * k^2 MACs, padding taps included, as
 * in the usual tables) and of the classifier. BN, ReLU, additions, scalar ops, pooling
 * and the loss are ignored: they are a few percent and conventions differ. */
export function flopsPerExample(c: ResNetConfig): number {
  const plan = planResNet(c);
  const stem = plan.stem.conv;
  const stemConvSize = Math.floor((c.inputSize - 1) / stem.stride) + 1;
  let macs = stem.cin * stem.cout * stem.k ** 2 * stemConvSize ** 2;
  for (const b of plan.blocks) {
    // Each conv runs at the block's input size until its stride, then at the output size.
    let size = b.inSize;
    for (const v of b.convs) {
      if (v.stride !== 1) size = b.outSize;
      macs += v.cin * v.cout * v.k ** 2 * size ** 2;
    }
    if (b.projection) macs += b.cin * b.cout * b.outSize ** 2;
  }
  macs += plan.featureChannels * c.numClasses;
  return 2 * macs;
}
