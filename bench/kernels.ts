// Kernel bench: GFLOP/s of matmul and the three conv kernels at ResNet-like shapes,
// ours vs TensorFlow.js's WebGPU backend on the same adapter in the same run, and
// jax-js's for matmul and conv forward (the ops it exposes one to one). All sides are
// timed as "dispatch + wait for the output on the CPU". Each conv is timed per variant
// (tiled GEMM row tiles, direct kernel); "ours" is the variant the tuner picks.

import type { GpuContext } from '../src/gpu/device';
import { conv2dBackwardFilterOp } from '../src/gpu/kernels/conv2dBackwardFilter';
import { conv2dBackwardInputOp } from '../src/gpu/kernels/conv2dBackwardInput';
import { conv2dForwardOp } from '../src/gpu/kernels/conv2dForward';
import { CONV_VARIANTS } from '../src/gpu/kernels/convVariant';
import { KernelTuner, memoryTuneStore, type TunableOp } from '../src/gpu/tuner';
import { MATMUL_VARIANTS, matmulOp } from '../src/gpu/kernels/matmul';
import { readRanges, uploadArray } from '../src/gpu/readback';
import { CommandRecorder, type KernelSink } from '../src/gpu/recorder';
import { RandomStream, Streams } from '../src/util/prng';
import { conv2dOutShape, type Conv2dShape } from '../src/util/shape';
import { fmt, gflops, table, time } from './harness';
import type { Array as JaxArray } from '@jax-js/jax';
import type { Jax } from './jaxPeer';
import { runTfKernel, type Tf } from './tfPeer';

/** The variant columns: the conv GEMM tiles, the tiled matmul, and the direct kernels both have. */
const VARIANT_COLUMNS = [...new Set([...CONV_VARIANTS.filter((v) => v !== 'direct'), ...MATMUL_VARIANTS])];

interface Case {
  name: string;
  flop: number;
  inputs: number[]; // element counts of the inputs, uploaded random
  outLen: number;
  ours: (sink: KernelSink, bufs: GPUBuffer[], out: GPUBuffer) => void;
  /** A kernel with variants: each is timed, and `ours` is the one the tuner picks. */
  tunable?: TunableOp;
  tf: (tf: Tf, ts: import('@tensorflow/tfjs-core').Tensor[]) => Promise<void>;
  tfShapes: number[][];
  /** jax-js (NCHW, OIHW like ours): the inputs' shapes and the op. */
  jax?: { shapes: number[][]; op: (jax: Jax, a: JaxArray[]) => JaxArray };
}

/** `ours` of a kernel with variants: its buffers are the case's inputs then its output. */
function tunableCase(op: TunableOp): Pick<Case, 'ours' | 'tunable'> {
  return { tunable: op, ours: (k, bufs, out) => op.record(k, [...bufs, out], op.default) };
}

function convCases(label: string, s: Conv2dShape): Case[] {
  const { ho, wo } = conv2dOutShape(s);
  const flop = 2 * s.n * s.cout * ho * wo * s.cin * s.kh * s.kw;
  const xLen = s.n * s.cin * s.h * s.w;
  const wLen = s.cout * s.cin * s.kh * s.kw;
  const yLen = s.n * s.cout * ho * wo;
  // TF.js is NHWC with HWIO filters; the FLOP count is the same.
  const xShape = [s.n, s.h, s.w, s.cin];
  const wShape = [s.kh, s.kw, s.cin, s.cout];
  const dyShape = [s.n, ho, wo, s.cout];
  // A numeric pad means the same explicit padding on every side in TF.js's conv kernels.
  const padAttrs = { strides: [s.stride, s.stride], pad: s.pad, dataFormat: 'NHWC', dilations: [1, 1] };
  return [
    {
      name: `conv2dForward ${label}`,
      flop,
      inputs: [xLen, wLen],
      outLen: yLen,
      ...tunableCase(conv2dForwardOp(s)),
      tf: (tf, [x, w]) => runTfKernel(tf, 'Conv2D', { x, filter: w }, padAttrs),
      tfShapes: [xShape, wShape],
      jax: {
        shapes: [
          [s.n, s.cin, s.h, s.w],
          [s.cout, s.cin, s.kh, s.kw],
        ],
        op: (jax, [x, w]) =>
          jax.lax.conv(
            x,
            w,
            [s.stride, s.stride],
            [
              [s.pad, s.pad],
              [s.pad, s.pad],
            ],
          ),
      },
    },
    {
      name: `conv2dBackwardInput ${label}`,
      flop,
      inputs: [yLen, wLen],
      outLen: xLen,
      ...tunableCase(conv2dBackwardInputOp(s)),
      tf: (tf, [dy, w]) => runTfKernel(tf, 'Conv2DBackpropInput', { dy, filter: w }, { ...padAttrs, inputShape: xShape }),
      tfShapes: [dyShape, wShape],
    },
    {
      name: `conv2dBackwardFilter ${label}`,
      flop,
      inputs: [xLen, yLen],
      outLen: wLen,
      ...tunableCase(conv2dBackwardFilterOp(s)),
      tf: (tf, [x, dy]) => runTfKernel(tf, 'Conv2DBackpropFilter', { x, dy }, { ...padAttrs, filterShape: wShape }),
      tfShapes: [xShape, dyShape],
    },
  ];
}

function matmulCase(m: number, n: number, k: number): Case {
  return {
    name: `matmul ${m}x${k} @ ${k}x${n}`,
    flop: 2 * m * n * k,
    inputs: [m * k, k * n],
    outLen: m * n,
    ...tunableCase(matmulOp({ m, n, k })),
    tf: (tf, [a, b]) => runTfKernel(tf, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false }),
    tfShapes: [
      [1, m, k],
      [1, k, n],
    ],
    jax: {
      shapes: [
        [m, k],
        [k, n],
      ],
      op: (jax, [a, b]) => jax.numpy.matmul(a, b),
    },
  };
}

function kernelCases(small: boolean): Case[] {
  const b = small ? 2 : 8;
  return [
    matmulCase(256, 256, 256),
    ...(small ? [] : [matmulCase(512, 512, 512)]),
    ...convCases(`3x3 16->16, 32x32, batch ${b}`, { n: b, cin: 16, h: 32, w: 32, cout: 16, kh: 3, kw: 3, stride: 1, pad: 1 }),
    ...convCases(`3x3 16->32 stride 2, 32x32, batch ${b}`, { n: b, cin: 16, h: 32, w: 32, cout: 32, kh: 3, kw: 3, stride: 2, pad: 1 }),
    ...convCases(`3x3 64->64, 8x8, batch ${b}`, { n: b, cin: 64, h: 8, w: 8, cout: 64, kh: 3, kw: 3, stride: 1, pad: 1 }),
  ];
}

/** Median ms of one jax-js op on the given inputs (kept alive across runs), or undefined. */
async function timeJax(jax: Jax, c: Case, inputs: Float32Array[]): Promise<number | undefined> {
  const spec = c.jax;
  if (!spec) return undefined;
  const arrays = inputs.map((v, i) => jax.numpy.array(v).reshape(spec.shapes[i]));
  const op = jax.jit((...a: JaxArray[]) => spec.op(jax, a));
  const t = await time(async () => {
    // data() consumes the array (jax-js move semantics): no dispose after it.
    await op(...arrays.map((a) => a.ref)).data();
  });
  op.dispose();
  arrays.forEach((a) => a.dispose());
  return t.medianMs;
}

export async function benchKernels(ctx: GpuContext, tf: Tf, jax: Jax, small: boolean): Promise<string> {
  const rows: string[][] = [];
  const variantRows: string[][] = [];
  const rng = new RandomStream(1, Streams.test);
  // A fresh tuner (nothing cached) times each conv's variants as a compile would.
  const tuner = new KernelTuner(ctx, { enabled: true, adapter: 'bench', store: memoryTuneStore() });
  for (const c of kernelCases(small)) {
    const data = c.inputs.map((len) => Float32Array.from(rng.normalArray(len)));
    const bufs = data.map((v) => uploadArray(ctx, v));
    const out = ctx.pool.acquire(c.outLen * 4);
    const timeOurs = (record: (k: KernelSink) => void) =>
      time(async () => {
        const rec = new CommandRecorder(ctx);
        record(rec);
        rec.submit();
        await readRanges(ctx, [{ buffer: out, bytes: c.outLen * 4 }]);
      });
    let pick: string | undefined;
    const perVariant = new Map<string, number>();
    if (c.tunable) {
      const op = c.tunable;
      tuner.choose(op);
      await tuner.tune();
      pick = tuner.known(op) ?? op.default;
      for (const v of op.variants) perVariant.set(v, (await timeOurs((k) => op.record(k, [...bufs, out], v))).medianMs);
    }
    const oursT = pick ? { medianMs: perVariant.get(pick)! } : await timeOurs((k) => c.ours(k, bufs, out));
    const ts = c.tfShapes.map((shape) => tf.randomNormal(shape));
    const tfT = await time(() => c.tf(tf, ts));
    ts.forEach((t) => t.dispose());
    [...bufs, out].forEach((b) => ctx.pool.release(b));
    const jaxMs = await timeJax(jax, c, data);
    const ours = gflops(c.flop, oursT.medianMs);
    const peer = gflops(c.flop, tfT.medianMs);
    const jx = jaxMs === undefined ? undefined : gflops(c.flop, jaxMs);
    rows.push([
      c.name,
      fmt(c.flop / 1e6),
      fmt(oursT.medianMs),
      fmt(ours),
      fmt(tfT.medianMs),
      fmt(peer),
      `${fmt(ours / peer)}x`,
      jx === undefined ? '-' : fmt(jx),
      jx === undefined ? '-' : `${fmt(ours / jx)}x`,
    ]);
    if (c.tunable) {
      const cell = (v: string) => (perVariant.has(v) ? fmt(gflops(c.flop, perVariant.get(v)!)) : '-');
      const def = perVariant.get(c.tunable.default)!;
      variantRows.push([
        c.name,
        ...VARIANT_COLUMNS.map(cell),
        fmt(peer),
        jx === undefined ? '-' : fmt(jx),
        `**${pick}**`,
        `${fmt(def / oursT.medianMs)}x`,
      ]);
    }
    console.error(
      `  ${c.name}: ours ${fmt(ours)} GFLOP/s${pick ? ` (${pick})` : ''}, TF.js ${fmt(peer)} GFLOP/s${jx === undefined ? '' : `, jax-js ${fmt(jx)} GFLOP/s`}`,
    );
  }
  return [
    table(['op', 'MFLOP', 'ours ms', 'ours GFLOP/s', 'TF.js ms', 'TF.js GFLOP/s', 'ours / TF.js', 'jax-js GFLOP/s', 'ours / jax-js'], rows),
    '',
    'Kernel variants, GFLOP/s (same run; "-" = not a candidate for this op or shape); "ours" above is the tuner\'s pick, timed like the rest; the fixed default is the hardware one (GEMM tiles):',
    '',
    table(['op', ...VARIANT_COLUMNS, 'TF.js', 'jax-js', 'tuner picks', 'pick vs fixed default'], variantRows),
  ].join('\n');
}
