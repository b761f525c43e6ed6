// BatchNorm statistics written by the conv's epilogue (direct: convStoreStats.wgsl; GEMM
// tiles: gemmStoreStats.wgsl) and merged by batchNormStatsFinalize, vs the float64
// reference (conv, then batch statistics of its output) on the conv test shapes: batch 1,
// stride 2 and 3, padding, 1x1 kernels, channel counts and row widths that are not
// multiples of the 4x4 register block or of the tiles.

import { describe, expect, it } from 'vitest';
import { batchNormTrainForward, batchNormPartialStats } from '../../gpu/kernels/batchNorm';
import { batchNormStatsFinalize } from '../../gpu/kernels/batchNormStatsFinalize';
import { conv2dForward } from '../../gpu/kernels/conv2dForward';
import type { ConvVariant } from '../../gpu/kernels/convVariant';
import { GEMM_TN } from '../../gpu/kernels/implicitGemm';
import { elementwise } from '../../gpu/kernels/elementwise';
import { conv2dOutShape } from '../../util/shape';
import * as cpuBn from '../cpu/batchNorm';
import { conv2dForward as cpuConv } from '../cpu/conv2d';
import { CASES, f32Normals, fullShape, tolerance } from './conv2dCheck';
import { expectClose, gpuTestContext, read, recordField, releaseAndCheck, rng, run, upload } from './testing';

const EPS = 1e-5;
const VARIANTS: ConvVariant[] = ['gemm16', 'gemm64', 'direct'];
const MOMENTUM = 0.1;

describe('BatchNorm statistics from the conv epilogue vs float64 reference', () => {
  CASES.forEach((c, i) => {
    const s = fullShape(c);
    const { ho, wo } = conv2dOutShape(s);
    if (s.n * ho * wo < 2) return; // BatchNorm needs 2 values per channel
    for (const variant of VARIANTS)
      it(`${c.label}, ${variant}: n${s.n} ${s.cin}->${s.cout} ${s.h}x${s.w} k${s.kh}x${s.kw} s${s.stride} p${s.pad} -> ${ho}x${wo}`, async () => {
        const ctx = await gpuTestContext();
        const before = ctx.pool.getStats().inUseBytes;
        const cout = s.cout;
        const bn = { n: s.n, c: cout, h: ho, w: wo, eps: EPS, momentum: MOMENTUM };
        const x = f32Normals(40 + i, s.n * s.cin * s.h * s.w);
        const w = f32Normals(60 + i, cout * s.cin * s.kh * s.kw);
        const r = rng(80 + i);
        const gamma = Float64Array.from(Float32Array.from(r.uniformArray(cout, 0.5, 1.5)));
        const beta = Float64Array.from(Float32Array.from(r.normalArray(cout)));
        const rm0 = Float64Array.from(Float32Array.from(r.normalArray(cout)));
        const rv0 = Float64Array.from(Float32Array.from(r.uniformArray(cout, 0.5, 2)));

        const y64 = cpuConv(x, w, s);
        const ref = cpuBn.batchNormTrainForward(y64, gamma, beta, rm0, rv0, bn);

        const [bx, bw, bg, bb] = [x, w, gamma, beta].map((v) => upload(ctx, v));
        const [rm, rv, rmPlain, rvPlain] = [rm0, rv0, rm0, rv0].map((v) => upload(ctx, v));
        const size = s.n * cout * ho * wo;
        const [y, yPlain, out, outPlain] = [0, 1, 2, 3].map(() => ctx.pool.acquire(size * 4));
        const saved = () => ({ coef: ctx.pool.acquire(cout * 16) });
        const [fused, plain] = [saved(), saved()];
        let chunks = 0;
        await run(ctx, (rec) => {
          const pre = conv2dForward(rec, bx, bw, y, s, { variant, bnStats: true });
          chunks = pre?.chunks ?? 0;
          batchNormStatsFinalize(rec, batchNormPartialStats(rec, y, bg, bb, fused, rm, rv, bn, pre));
          elementwise(rec, 'batchNormApply', { x: y, coef: fused.coef, out }, size, { c: cout, hw: ho * wo });
          // The unfused path on the same conv output, for the equality of the two.
          conv2dForward(rec, bx, bw, yPlain, s, { variant });
          batchNormTrainForward(rec, yPlain, bg, bb, outPlain, plain, rmPlain, rvPlain, bn);
        });
        const perBlock = variant === 'direct' ? s.n * ho * Math.ceil(wo / 4) : Math.ceil((s.n * ho * wo) / GEMM_TN) * (GEMM_TN / 4);
        expect(chunks, 'one partial per block of 4 pixels an invocation owns').toBe(perBlock);

        const k = s.cin * s.kh * s.kw;
        expectClose(await read(ctx, y, size), y64, tolerance(k), 'conv output');
        // Statistics of float32 conv outputs: the conv's rounding (tolerance(k) of the output
        // scale) dominates; F32 (1e-5 of scale + 1e-4 relative) covers it at these K.
        const record = await read(ctx, fused.coef, 4 * cout);
        expectClose(recordField(record, 0), ref.savedMean, undefined, 'mean');
        expectClose(recordField(record, 3), ref.savedInvStd, undefined, 'invStd');
        expectClose(await read(ctx, rm, cout), ref.runningMean, undefined, 'running mean');
        expectClose(await read(ctx, rv, cout), ref.runningVar, undefined, 'running var');
        expectClose(await read(ctx, out, size), ref.y, undefined, 'normalised output');
        expectClose(await read(ctx, outPlain, size), ref.y, undefined, 'normalised output, separate statistics pass');
        releaseAndCheck(
          ctx,
          before,
          bx,
          bw,
          bg,
          bb,
          rm,
          rv,
          rmPlain,
          rvPlain,
          y,
          yPlain,
          out,
          outPlain,
          ...Object.values(fused),
          ...Object.values(plain),
        );
      });
  });
});
