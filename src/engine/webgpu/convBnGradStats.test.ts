// BatchNorm backward's reductions written by the epilogue of the input-gradient conv that
// produces its dy (convGradStoreBnStats.wgsl), then batchNormBackwardFinalize and the
// input-gradient apply, vs the float64 reference (conv input gradient, then BatchNorm
// backward of dy = ReLU mask of (that gradient + a residual term)), for the GEMM and the
// direct variants on the conv test shapes: batch 1, strides 2 and 3 (one dispatch per
// phase, phases without taps), 1x1 kernels, channel counts and rows that are not
// multiples of the tiles; dx overwritten and accumulated; the residual term read by the
// BatchNorm's dy, or added into dx by the same epilogue (gradient terms).

import { describe, expect, it } from 'vitest';
import { batchNormBackward, type PrecomputedStats } from '../../gpu/kernels/batchNorm';
import { conv2dBackwardInput } from '../../gpu/kernels/conv2dBackwardInput';
import { gradEpilogueBindings } from '../../gpu/kernels/convGradEpilogue';
import type { ConvVariant } from '../../gpu/kernels/convVariant';
import { load, type FusedExpr } from '../../gpu/kernels/fusedExpr';
import { conv2dOutShape } from '../../util/shape';
import * as cpuBn from '../cpu/batchNorm';
import { conv2dBackwardInput as cpuConvGrad } from '../cpu/conv2d';
import { CASES, f32Normals, fullShape, tolerance } from './conv2dCheck';
import { expectClose, gpuTestContext, read, releaseAndCheck, rng, run, upload } from './testing';

const VARIANTS: ConvVariant[] = ['gemm16', 'gemm64', 'direct'];
const f32 = (a: Float64Array): Float64Array => a.map(Math.fround);

describe('BatchNorm backward sums from the input-gradient conv epilogue vs float64 reference', () => {
  CASES.forEach((c, i) => {
    const s = fullShape(c);
    const { ho, wo } = conv2dOutShape(s);
    // The BatchNorm is over the conv's input: channels cin, plane h x w.
    const bn = { n: s.n, c: s.cin, h: s.h, w: s.w };
    if (s.n * s.h * s.w < 2) return;
    for (const variant of VARIANTS) {
      for (const [accumulate, withTerms] of [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ]) {
        it(`${c.label}, ${variant}${accumulate ? ', accumulating' : ''}${withTerms ? ', residual as terms' : ''}: n${s.n} ${s.cin}->${s.cout} ${s.h}x${s.w} k${s.kh}x${s.kw} s${s.stride} p${s.pad}`, async () => {
          const ctx = await gpuTestContext();
          const before = ctx.pool.getStats().inUseBytes;
          const nx = s.n * s.cin * s.h * s.w;
          const ny = s.n * s.cout * ho * wo;
          const r = rng(500 + i);
          const dyConv = f32Normals(100 + i, ny);
          const w = f32Normals(200 + i, s.cout * s.cin * s.kh * s.kw);
          // The BatchNorm's input (a conv output in a ResNet), its statistics, the ReLU output
          // that masks the gradient, a residual gradient term, and dx's previous content.
          const xbn = f32(r.normalArray(nx).map((v, j) => 1 + v * (1 + (Math.floor(j / (s.h * s.w)) % s.cin))));
          const [relu, res, prev] = [0, 1, 2].map(() => f32(r.normalArray(nx)));
          const gamma = f32(r.uniformArray(s.cin, 0.5, 1.5));
          const fwd = cpuBn.batchNormTrainForward(
            xbn,
            gamma,
            new Float64Array(s.cin),
            new Float64Array(s.cin),
            new Float64Array(s.cin).fill(1),
            {
              ...bn,
              eps: 1e-5,
              momentum: 0.1,
            },
          );
          const [mean, invStd] = [f32(fwd.savedMean), f32(fwd.savedInvStd)];
          const coef = new Float64Array(4 * s.cin);
          for (let ch = 0; ch < s.cin; ch++) coef.set([mean[ch], Math.fround(gamma[ch] * invStd[ch]), 0, invStd[ch]], 4 * ch);

          const grad = cpuConvGrad(dyConv, w, s).map((v, j) => v + (accumulate ? prev[j] : 0) + (withTerms ? res[j] : 0));
          const dyBn = grad.map((v, j) => (relu[j] > 0 ? v + (withTerms ? 0 : res[j]) : 0));
          const want = cpuBn.batchNormBackward(xbn, dyBn, gamma, mean, invStd, bn);

          const B = {
            dy: upload(ctx, dyConv),
            w: upload(ctx, w),
            dx: upload(ctx, accumulate ? prev : f32Normals(300 + i, nx)),
            xbn: upload(ctx, xbn),
            relu: upload(ctx, relu),
            res: upload(ctx, res),
            coef: upload(ctx, coef),
            dxBn: ctx.pool.acquire(nx * 4),
            dgamma: ctx.pool.acquire(s.cin * 4),
            dbeta: ctx.pool.acquire(s.cin * 4),
          };
          const e: FusedExpr = withTerms
            ? { op: 'mask', g: load(B.dx), by: load(B.relu) }
            : { op: 'mask', g: { op: 'add', a: load(B.dx), b: load(B.res) }, by: load(B.relu) };
          const terms = withTerms ? load(B.res) : undefined;
          const bnStats = { dy: e, x: B.xbn, coef: B.coef };
          expect(gradEpilogueBindings({ stats: bnStats, terms }, B.dx)).toBe(8);
          let pre: PrecomputedStats | undefined;
          await run(ctx, (rec) => {
            pre = conv2dBackwardInput(rec, B.dy, B.w, B.dx, s, { variant, accumulate, bnStats, terms });
            batchNormBackward(rec, B.xbn, e, { coef: B.coef }, B.dxBn, B.dgamma, B.dbeta, bn, pre);
          });
          expect(pre, 'partials from the epilogue').toBeDefined();
          expectClose(await read(ctx, B.dx, nx), grad, tolerance(s.cout * s.kh * s.kw), 'conv input gradient');
          // Sums over n*h*w float32 terms of a float32 conv output: F32's default tolerance
          // (1e-5 of scale + 1e-4 relative) covers both roundings at these sizes.
          expectClose(await read(ctx, B.dbeta, s.cin), want.dbeta, undefined, 'dbeta = sum dy');
          expectClose(await read(ctx, B.dgamma, s.cin), want.dgamma, undefined, 'dgamma = sum dy*xhat');
          expectClose(await read(ctx, B.dxBn, nx), want.dx, undefined, 'BatchNorm dx');
          releaseAndCheck(ctx, before, ...Object.values(B));
        });
      }
    }
  });

  it('refuses a dy that does not read dx, terms that do, and per-channel records in either', () => {
    const [dx, other, coef, x] = ['dx', 'other', 'coef', 'x'].map((label) => ({ label }) as unknown as GPUBuffer);
    const stats = (dy: FusedExpr) => ({ stats: { dy, x, coef } });
    expect(gradEpilogueBindings(stats(load(other)), dx)).toBeUndefined();
    expect(gradEpilogueBindings(stats({ op: 'bn', a: load(dx), coef }), dx)).toBeUndefined();
    expect(gradEpilogueBindings(stats({ op: 'mask', g: load(dx), by: load(other) }), dx)).toBe(7);
    expect(gradEpilogueBindings({ terms: load(dx) }, dx)).toBeUndefined();
    expect(gradEpilogueBindings({ terms: { op: 'bn', a: load(other), coef } }, dx)).toBeUndefined();
    expect(gradEpilogueBindings({ terms: { op: 'mask', g: load(other), by: load(x) } }, dx)).toBe(5);
  });
});
