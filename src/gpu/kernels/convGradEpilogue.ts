// The epilogues of the input-gradient convs (conv2dBackwardInput, GEMM and direct): the
// plain store (shaders/common/convGradStore.wgsl), or the store that also writes a train-mode
// BatchNorm's backward partial sums (convGradStoreBnStats.wgsl) with that BatchNorm's dy
// generated from an expression of the conv's output; either may add other gradient terms
// (an element-wise expression, e.g. a residual branch's gradient) into what it writes, so
// the gradient is complete without a dispatch of its own. The expressions' WGSL is
// generated (fusedExpr.ts); one kernel per main shader and expression forms.

import plainStore from '../../../shaders/common/convGradStore.wgsl?raw';
import statsStore from '../../../shaders/common/convGradStoreBnStats.wgsl?raw';
import { definedKernel, type BufferRef, type KernelSpec } from '../kernel';
import { exprBuffers, exprLoads, exprPerChannel, genExprWgsl, type FusedExpr } from './fusedExpr';

/** What the stats epilogue needs to compute a BatchNorm backward's per-channel sums. */
export interface GradBnStats {
  /** The BatchNorm's incoming gradient, an element-wise expression that reads the conv's
   * output (dx, complete: after this conv's contribution and `terms`) and possibly other
   * buffers. */
  dy: FusedExpr;
  /** The BatchNorm's input (forward) and its coef record (mean, gamma*invStd, beta, invStd). */
  x: BufferRef;
  coef: BufferRef;
}

/** What an input-gradient conv's epilogue does besides writing its output dx. */
export interface GradEpilogue {
  /** Added into dx with the conv's output: dx (+)= conv + terms. Must not read dx. */
  terms?: FusedExpr;
  stats?: GradBnStats;
}

/** Storage bindings of the kernel's own (dy, wt, dx) and of the stats epilogue. */
const OWN = 3;
const STATS_OWN = 3;
/** Where the generated bindings start (after the stats epilogue's, used or not). */
const FIRST_GENERATED = OWN + 1 + STATS_OWN;

/** Storage buffers the conv with this epilogue binds, or undefined when it cannot have it
 * (the stats dy does not read dx or needs per-channel records; the terms read dx or
 * per-channel records). */
export function gradEpilogueBindings(epi: GradEpilogue, dx: BufferRef): number | undefined {
  let n = OWN;
  if (epi.terms) {
    if (exprLoads(epi.terms, dx) || exprPerChannel(epi.terms)) return undefined;
    n += exprBuffers(epi.terms).length;
  }
  if (epi.stats) {
    if (!exprLoads(epi.stats.dy, dx) || exprPerChannel(epi.stats.dy)) return undefined;
    n += STATS_OWN + exprBuffers(epi.stats.dy).length - 1;
  }
  return n;
}

/** A main shader (conv2dBackwardInput*.wgsl) with its name and override constants. */
export interface GradMain {
  name: string;
  code: string;
  constants: Record<string, number>;
}

const NO_TERMS = 'fn gradTerms(i: u32) -> f32 { return 0.0; }\n';

/** The kernel for `main` with the plain epilogue (dx only). */
export function plainGradKernel(main: GradMain): KernelSpec {
  return definedKernel({ name: main.name, code: `${main.code}\n${plainStore}\n${NO_TERMS}`, constants: main.constants });
}

/** The kernel for `main` with epilogue `epi` (dx: the conv's output; partials: where the
 * stats go), and the epilogue's buffers besides dy, wt and dx. */
export function gradEpilogue(
  main: GradMain,
  dx: BufferRef,
  epi: GradEpilogue & { partials?: BufferRef } = {},
): { kernel: KernelSpec; buffers: Record<string, BufferRef> } {
  if (!epi.terms && !epi.stats) return { kernel: plainGradKernel(main), buffers: {} };
  if (gradEpilogueBindings(epi, dx) === undefined)
    throw new Error(`${main.name}: an epilogue's BatchNorm dy must read dx, its terms must not; neither may read per-channel records`);
  let code = main.code;
  let name = main.name;
  let buffers: Record<string, BufferRef> = {};
  let next = FIRST_GENERATED;
  if (epi.stats) {
    if (!epi.partials) throw new Error(`${main.name}: the stats epilogue needs a partials buffer`);
    const gen = genExprWgsl(epi.stats.dy, { fnName: 'dyAt', firstBinding: next, prefix: 'g', hole: dx });
    next += Object.keys(gen.buffers).length;
    code += `\n${statsStore}\n${gen.wgsl}`;
    name += '+bnGradStats';
    buffers = { partials: epi.partials, xbn: epi.stats.x, bnCoef: epi.stats.coef, ...gen.buffers };
  } else code += `\n${plainStore}`;
  if (epi.terms) {
    const gen = genExprWgsl(epi.terms, { fnName: 'gradTerms', firstBinding: next, prefix: 't' });
    code += `\n${gen.wgsl}`;
    name += '+terms';
    buffers = { ...buffers, ...gen.buffers };
  } else code += `\n${NO_TERMS}`;
  return { kernel: definedKernel({ name, code, constants: main.constants }), buffers };
}
