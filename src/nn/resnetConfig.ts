// The record that fixes a ResNet (docs/science.md section 1): its fields, validation with
// readable messages, named presets, and the layout plan (stem, per-block convs, strides,
// channels, spatial sizes) shared by the graph builder and the stats.
// Not the graph itself (resnet.ts) and not initial values (init schemes).

type SkipType = 'B' | 'C';
export const BLOCK_TYPES = ['basic', 'bottleneck'] as const;
export type BlockType = (typeof BLOCK_TYPES)[number];
export const STEM_TYPES = ['cifar', 'imagenet'] as const;
export type StemType = (typeof STEM_TYPES)[number];
/** A bottleneck block's output has this many times its inner (3x3) channels (ResNet-50). */
const BOTTLENECK_EXPANSION = 4;

export interface ResNetConfig {
  inputChannels: number;
  /** Square input: H = W = inputSize. */
  inputSize: number;
  numClasses: number;
  /** Base width w: the stem has w channels; stage s (0-based) has w * 2^s inner channels,
   * and as many outputs (basic) or 4x as many (bottleneck). */
  width: number;
  /** 'basic' (3x3 -> 3x3, the default) or 'bottleneck' (1x1 -> 3x3 -> 1x1, expansion 4,
   * stride on the 3x3). */
  block?: BlockType;
  /** 'cifar' (3x3 conv, the default) or 'imagenet' (7x7 stride-2 conv, then a 3x3
   * stride-2 max-pool). */
  stem?: StemType;
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
    // one sees ceil(S / 2^(stages-2)), which is >= 2 exactly when S > 2^(stages-2),
    // S being the stem's output (the ImageNet stem quarters the input).
    const need = 2 ** (blocks.length - 2) + 1;
    if (isPosInt(c.inputSize) && (blocks.length === 3 || blocks.length === 4) && STEM_TYPES.includes(stemOf(c))) {
      const size = stemOutSize(c.inputSize, stemOf(c));
      if (size < need) {
        const after = stemOf(c) === 'imagenet' ? ` (the ImageNet stem makes it ${size}x${size})` : '';
        errors.push(
          `inputSize ${c.inputSize} is too small for ${blocks.length} stages${after}: each later stage halves it, so the stem's output must be at least ${need} for the last one to see 2x2 pixels`,
        );
      }
    }
  }
  if (c.block !== undefined && !BLOCK_TYPES.includes(c.block))
    errors.push(`block must be ${BLOCK_TYPES.join(' or ')}, got ${String(c.block)}`);
  if (c.stem !== undefined && !STEM_TYPES.includes(c.stem)) errors.push(`stem must be ${STEM_TYPES.join(' or ')}, got ${String(c.stem)}`);
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

function assertValidResNetConfig(c: ResNetConfig): void {
  const errors = validateResNetConfig(c);
  if (errors.length) throw new Error(`invalid ResNet config:\n- ${errors.join('\n- ')}`);
}

export type ResNetPresetName =
  'resnet8' | 'resnet14' | 'resnet20' | 'resnet32' | 'resnet56' | 'resnet18' | 'resnet34' | 'resnet50' | 'resnet101';

function cifarPreset(blocksPerStage: number[], width: number, skip: SkipType, block: BlockType = 'basic'): ResNetConfig {
  return {
    block,
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

/** He et al.'s CIFAR ResNets (depth 6n + 2, width 16) and their ImageNet ResNet-18/34
 * (basic) and ResNet-50/101 (bottleneck), here with the CIFAR stem (3x3, no max-pool;
 * `stem: 'imagenet'` gives the original). Frozen: use resnetPreset() for an editable copy. */
export const RESNET_PRESETS: Readonly<Record<ResNetPresetName, Readonly<ResNetConfig>>> = deepFreeze({
  resnet8: cifarPreset([1, 1, 1], 16, 'B'),
  resnet14: cifarPreset([2, 2, 2], 16, 'B'),
  resnet20: cifarPreset([3, 3, 3], 16, 'B'),
  resnet32: cifarPreset([5, 5, 5], 16, 'B'),
  resnet56: cifarPreset([9, 9, 9], 16, 'B'),
  resnet18: cifarPreset([2, 2, 2, 2], 64, 'B'),
  resnet34: cifarPreset([3, 4, 6, 3], 64, 'B'),
  resnet50: cifarPreset([3, 4, 6, 3], 64, 'B', 'bottleneck'),
  resnet101: cifarPreset([3, 4, 23, 3], 64, 'B', 'bottleneck'),
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

export const blockOf = (c: Pick<ResNetConfig, 'block'>): BlockType => c.block ?? 'basic';
const stemOf = (c: Pick<ResNetConfig, 'stem'>): StemType => c.stem ?? 'cifar';

/** Convs per residual branch: the m of Fixup's L^(-1/(2m-2)). */
export function branchConvs(c: Pick<ResNetConfig, 'block'>): number {
  return blockOf(c) === 'bottleneck' ? 3 : 2;
}

/** Weighted layers: stem + the convs of every branch + classifier (projections not
 * counted): 50 for ResNet-50. */
export function resnetDepth(c: ResNetConfig): number {
  return branchConvs(c) * c.blocksPerStage.reduce((a, b) => a + b, 0) + 2;
}

/** One bias-free conv: k x k, padding (k - 1) / 2. */
interface ConvPlan {
  cin: number;
  cout: number;
  k: number;
  stride: number;
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
  /** The residual branch's convs in order (conv1, conv2[, conv3]). */
  convs: ConvPlan[];
}

export interface StemPlan {
  conv: ConvPlan;
  /** The ImageNet stem's max-pool after the ReLU. */
  pool?: { k: number; stride: number; pad: number };
}

export interface ResNetPlan {
  stem: StemPlan;
  stemChannels: number;
  /** Spatial size of the stem's output (after the max-pool, if any). */
  stemSize: number;
  blocks: BlockPlan[];
  featureChannels: number;
  featureSize: number;
}

/** Same size rule for the 3x3/pad 1 and the 1x1/pad 0 conv at stride 2: ceil(s / 2);
 * also for the 7x7/pad 3 conv and the 3x3/pad 1 max-pool. */
function strided(size: number, stride: number): number {
  return Math.floor((size - 1) / stride) + 1;
}

function stemPlan(c: ResNetConfig): StemPlan {
  if (stemOf(c) === 'cifar') return { conv: { cin: c.inputChannels, cout: c.width, k: 3, stride: 1 } };
  return { conv: { cin: c.inputChannels, cout: c.width, k: 7, stride: 2 }, pool: { k: 3, stride: 2, pad: 1 } };
}

function stemOutSize(inputSize: number, stem: StemType): number {
  return stem === 'cifar' ? inputSize : strided(strided(inputSize, 2), 2);
}

function branchPlan(block: BlockType, cin: number, mid: number, cout: number, stride: number): ConvPlan[] {
  if (block === 'basic')
    return [
      { cin, cout, k: 3, stride },
      { cin: cout, cout, k: 3, stride: 1 },
    ];
  return [
    { cin, cout: mid, k: 1, stride: 1 },
    { cin: mid, cout: mid, k: 3, stride },
    { cin: mid, cout, k: 1, stride: 1 },
  ];
}

export function planResNet(c: ResNetConfig): ResNetPlan {
  assertValidResNetConfig(c);
  const blocks: BlockPlan[] = [];
  const expansion = blockOf(c) === 'bottleneck' ? BOTTLENECK_EXPANSION : 1;
  let cin = c.width;
  let size = stemOutSize(c.inputSize, stemOf(c));
  const stemSize = size;
  c.blocksPerStage.forEach((count, s) => {
    const mid = c.width * 2 ** s;
    const cout = mid * expansion;
    for (let i = 0; i < count; i++) {
      const stride = s > 0 && i === 0 ? 2 : 1;
      const outSize = strided(size, stride);
      // Type B projects exactly where the shape changes: stride 2, or a bottleneck
      // stage's first block widening to 4x.
      const projection = c.skip === 'C' || stride !== 1 || cin !== cout;
      const convs = branchPlan(blockOf(c), cin, mid, cout, stride);
      blocks.push({ index: blocks.length, stage: s + 1, indexInStage: i, stride, cin, cout, inSize: size, outSize, projection, convs });
      cin = cout;
      size = outSize;
    }
  });
  return { stem: stemPlan(c), stemChannels: c.width, stemSize, blocks, featureChannels: cin, featureSize: size };
}
