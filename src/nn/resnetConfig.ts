// The record that fixes a CIFAR-style ResNet (docs/science.md section 1): its fields,
// validation with readable messages, named presets, and the per-block layout plan
// (strides, channels, spatial sizes) shared by the graph builder and the stats.
// Not the graph itself (resnet.ts) and not initial values (init schemes).

export type SkipType = 'B' | 'C';

export interface ResNetConfig {
  inputChannels: number;
  /** Square input: H = W = inputSize. */
  inputSize: number;
  numClasses: number;
  /** Base width w; stages have w, 2w, 4w (, 8w) channels. */
  width: number;
  /** Residual blocks per stage; length 3 or 4. */
  blocksPerStage: number[];
  /** 'C': every block has a 1x1 projection skip; 'B': only the shape-changing ones. */
  skip: SkipType;
  batchNorm: boolean;
  /** a_res is a trainable param (else a const that the init scheme sets). */
  learnRes: boolean;
  /** a_skip is a trainable param (else a const). */
  learnSkip: boolean;
  /** Fixup's learned scalar biases. */
  fixupBiases: boolean;
  /** ReLU after the residual addition (ResNet v1); false for ReZero. */
  postAddRelu: boolean;
  bnEps?: number;
  bnMomentum?: number;
}

// PyTorch's defaults, so runs compare with reference code without translation.
export const DEFAULT_BN_EPS = 1e-5;
export const DEFAULT_BN_MOMENTUM = 0.1;

const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;

/** Every problem with `c`, one readable sentence each; empty when valid. Defensive
 * about types because configs also arrive from URLs and saved files. */
export function validateResNetConfig(c: ResNetConfig): string[] {
  const errors: string[] = [];
  for (const key of ['inputChannels', 'inputSize', 'numClasses', 'width'] as const) {
    if (!isPosInt(c[key])) errors.push(`${key} must be a positive integer, got ${String(c[key])}`);
  }
  const blocks: unknown = c.blocksPerStage;
  if (!Array.isArray(blocks)) {
    errors.push('blocksPerStage must be an array of 3 or 4 positive integers');
  } else {
    if (blocks.length !== 3 && blocks.length !== 4) errors.push(`blocksPerStage must have 3 or 4 stages, got ${blocks.length}`);
    blocks.forEach((n: unknown, i) => {
      if (!isPosInt(n)) errors.push(`blocksPerStage[${i}] must be a positive integer, got ${String(n)}`);
    });
    // Each later stage halves the size (rounding up). A stride-2 block fed a 1x1 map
    // downsamples nothing, which is a config mistake rather than a network; the last
    // one sees ceil(S / 2^(stages-2)), which is >= 2 exactly when S > 2^(stages-2).
    const need = 2 ** (blocks.length - 2) + 1;
    if (isPosInt(c.inputSize) && (blocks.length === 3 || blocks.length === 4) && c.inputSize < need) {
      errors.push(
        `inputSize ${c.inputSize} is too small for ${blocks.length} stages: each later stage halves it, so it must be at least ${need} for the last one to see 2x2 pixels`,
      );
    }
  }
  if (c.skip !== 'B' && c.skip !== 'C') errors.push(`skip must be 'B' or 'C', got ${String(c.skip)}`);
  for (const key of ['batchNorm', 'learnRes', 'learnSkip', 'fixupBiases', 'postAddRelu'] as const) {
    if (typeof c[key] !== 'boolean') errors.push(`${key} must be true or false, got ${String(c[key])}`);
  }
  if (c.bnEps !== undefined && !(typeof c.bnEps === 'number' && Number.isFinite(c.bnEps) && c.bnEps > 0)) {
    errors.push(`bnEps must be a positive finite number, got ${String(c.bnEps)}`);
  }
  if (c.bnMomentum !== undefined && !(typeof c.bnMomentum === 'number' && c.bnMomentum >= 0 && c.bnMomentum <= 1)) {
    errors.push(`bnMomentum must be a number in [0, 1], got ${String(c.bnMomentum)}`);
  }
  return errors;
}

export function assertValidResNetConfig(c: ResNetConfig): void {
  const errors = validateResNetConfig(c);
  if (errors.length) throw new Error(`invalid ResNet config:\n- ${errors.join('\n- ')}`);
}

export type ResNetPresetName = 'resnet8' | 'resnet14' | 'resnet20' | 'resnet32' | 'resnet56' | 'resnet18';

function cifarPreset(blocksPerStage: number[], width: number, skip: SkipType): ResNetConfig {
  return {
    inputChannels: 3,
    inputSize: 32,
    numClasses: 10,
    width,
    blocksPerStage,
    skip,
    batchNorm: true,
    learnRes: false,
    learnSkip: false,
    fixupBiases: false,
    postAddRelu: true,
  };
}

/** He et al.'s CIFAR ResNets (depth 6n + 2, width 16) and the CIFAR variant of
 * ResNet-18 (3x3 stem, no max-pool). Frozen: use resnetPreset() for an editable copy. */
export const RESNET_PRESETS: Readonly<Record<ResNetPresetName, Readonly<ResNetConfig>>> = deepFreeze({
  resnet8: cifarPreset([1, 1, 1], 16, 'B'),
  resnet14: cifarPreset([2, 2, 2], 16, 'B'),
  resnet20: cifarPreset([3, 3, 3], 16, 'B'),
  resnet32: cifarPreset([5, 5, 5], 16, 'B'),
  resnet56: cifarPreset([9, 9, 9], 16, 'B'),
  resnet18: cifarPreset([2, 2, 2, 2], 64, 'B'),
});

function deepFreeze<T extends Record<string, ResNetConfig>>(presets: T): T {
  for (const p of Object.values(presets)) Object.freeze(Object.freeze(p).blocksPerStage);
  return Object.freeze(presets);
}

export function resnetPreset(name: ResNetPresetName): ResNetConfig {
  const p = RESNET_PRESETS[name];
  return { ...p, blocksPerStage: [...p.blocksPerStage] };
}

export function defaultResNetConfig(): ResNetConfig {
  return resnetPreset('resnet20');
}

/** Weighted layers: stem + 2 convs per block + classifier (projections not counted). */
export function resnetDepth(c: ResNetConfig): number {
  return 2 * c.blocksPerStage.reduce((a, b) => a + b, 0) + 2;
}

export interface BlockPlan {
  /** Global block index, 0-based. */
  index: number;
  /** 1-based, as in the tensor names "stage1.block0...". */
  stage: number;
  /** 0-based index inside the stage. */
  indexInStage: number;
  stride: number;
  cin: number;
  cout: number;
  inSize: number;
  outSize: number;
  projection: boolean;
}

export interface ResNetPlan {
  stemChannels: number;
  /** Spatial size of the stem output (the stem conv has stride 1). */
  stemSize: number;
  blocks: BlockPlan[];
  featureChannels: number;
  featureSize: number;
}

/** Same size rule for the 3x3/pad 1 and the 1x1/pad 0 conv at stride 2: ceil(s / 2). */
function strided(size: number, stride: number): number {
  return Math.floor((size - 1) / stride) + 1;
}

export function planResNet(c: ResNetConfig): ResNetPlan {
  assertValidResNetConfig(c);
  const blocks: BlockPlan[] = [];
  let cin = c.width;
  let size = c.inputSize;
  c.blocksPerStage.forEach((count, s) => {
    const cout = c.width * 2 ** s;
    for (let i = 0; i < count; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      const outSize = strided(size, stride);
      const projection = c.skip === 'C' || stride !== 1; // stride 2 is exactly where the width doubles
      blocks.push({ index: blocks.length, stage: s + 1, indexInStage: i, stride, cin, cout, inSize: size, outSize, projection });
      cin = cout;
      size = outSize;
    }
  });
  return { stemChannels: c.width, stemSize: c.inputSize, blocks, featureChannels: cin, featureSize: size };
}
