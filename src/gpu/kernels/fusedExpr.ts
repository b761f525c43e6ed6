// Element-wise expressions the graph compiler fuses (src/engine/webgpu/fusion.ts) and the
// WGSL generated from them: one function `fn <name>(i: u32) -> f32` returning element i,
// with a storage binding per distinct buffer it reads. Every fused kernel (the fused
// element-wise kernel, the batch-norm gradient reduction reading a fused dy) declares its
// expression's bindings through genExprWgsl, so they are written once, in the generated WGSL.

import { windowOf, type BufferRef } from '../kernel';

/** Element i of an NCHW (or flat) tensor, built from buffers of the same element count
 * (`coef` and `s` excepted: per-channel vec4 records and 1-element scalars). */
export type FusedExpr =
  | { op: 'load'; buf: BufferRef }
  | { op: 'relu'; a: FusedExpr }
  /** g where `by` > 0, else 0 (ReLU backward; `by` is the ReLU's output or input). */
  | { op: 'mask'; g: FusedExpr; by: FusedExpr }
  | { op: 'add'; a: FusedExpr; b: FusedExpr }
  | { op: 'mulScalar'; a: FusedExpr; s: BufferRef }
  | { op: 'addScalar'; a: FusedExpr; s: BufferRef }
  /** Batch norm with the per-channel coefficients of batchNormStatsFinalize, coef[ch] =
   * (mean, gamma*invStd, beta, invStd): (a - mean) * gamma*invStd + beta. With `stats`,
   * coef is not computed yet: whoever evaluates the expression finalizes those statistics
   * first (src/gpu/kernels/channelApply.ts). */
  | { op: 'bn'; a: FusedExpr; coef: BufferRef; stats?: PendingStats }
  /** Batch-norm input gradient with batchNormBackwardFinalize's coef[ch] = (A, B, K, mean):
   * A * (dy - B - (x - mean) * K). */
  | { op: 'bnGrad'; dy: FusedExpr; x: FusedExpr; coef: BufferRef };

/** A train-mode BatchNorm's statistics summed into chunk partials, not yet finalized into
 * its saved record (batchNorm.ts: finalizeStats alone, or batchNormStatsApply together
 * with the expression that reads the record). */
export interface PendingStats {
  /** Chunk summaries (count, mean, M2): c*chunks*3 floats. */
  partials: BufferRef;
  chunks: number;
  /** Values per channel, n*h*w. */
  m: number;
  c: number;
  eps: number;
  momentum: number;
  gamma: BufferRef;
  beta: BufferRef;
  /** The record it fills, (mean, gamma*invStd, beta, invStd) per channel. */
  coef: BufferRef;
  runningMean: BufferRef;
  runningVar: BufferRef;
}

export const load = (buf: BufferRef): FusedExpr => ({ op: 'load', buf });

/** Whether two references are the same window of the same buffer. */
export function sameWindow(a: BufferRef, b: BufferRef): boolean {
  const v = windowOf(a);
  const w = windowOf(b);
  return v.buffer === w.buffer && v.offset === w.offset && v.size === w.size;
}

/** The distinct buffers an expression reads, in first-visit order (its binding order). */
export function exprBuffers(e: FusedExpr): BufferRef[] {
  const out: BufferRef[] = [];
  const seen = (r: BufferRef) => out.some((o) => sameWindow(o, r));
  const add = (r: BufferRef) => {
    if (!seen(r)) out.push(r);
  };
  const walk = (x: FusedExpr): void => {
    switch (x.op) {
      case 'load':
        return add(x.buf);
      case 'relu':
        return walk(x.a);
      case 'mask':
        walk(x.g);
        return walk(x.by);
      case 'add':
        walk(x.a);
        return walk(x.b);
      case 'mulScalar':
      case 'addScalar':
        walk(x.a);
        return add(x.s);
      case 'bn':
        walk(x.a);
        return add(x.coef);
      case 'bnGrad':
        walk(x.dy);
        walk(x.x);
        return add(x.coef);
    }
  };
  walk(e);
  return out;
}

/** The operands of one node (its sub-expressions, not its buffers). */
function operands(e: FusedExpr): FusedExpr[] {
  switch (e.op) {
    case 'load':
      return [];
    case 'relu':
    case 'mulScalar':
    case 'addScalar':
    case 'bn':
      return [e.a];
    case 'mask':
      return [e.g, e.by];
    case 'add':
      return [e.a, e.b];
    case 'bnGrad':
      return [e.dy, e.x];
  }
}

/** Every node of the expression, e first, then its operands' nodes in order. */
export function exprNodes(e: FusedExpr): FusedExpr[] {
  return [e, ...operands(e).flatMap(exprNodes)];
}

/** Whether the expression needs the channel of element i (uniforms c and hw). */
export function exprPerChannel(e: FusedExpr): boolean {
  return exprNodes(e).some((n) => n.op === 'bn' || n.op === 'bnGrad');
}

export interface GeneratedExpr {
  /** Binding declarations and the function, to paste into a module. */
  wgsl: string;
  /** Buffers by the binding names the WGSL declares. */
  buffers: Record<string, BufferRef>;
}

/** How genExprWgsl writes its function. */
export interface GenExprOptions {
  /** The function's name. */
  fnName: string;
  /** Binding number of the first buffer the expression reads. */
  firstBinding: number;
  /** Binding names are `<prefix>0`, `<prefix>1`, ... (default `in`). */
  prefix?: string;
  /** Return elements 4i..4i+3 as a vec4<f32> (see genExprWgsl). */
  vec4?: boolean;
  /** A buffer the expression does not read: its loads are the function's second
   * parameter, `hole: f32`, the value a kernel has just computed for that buffer's
   * element i (e.g. a conv's gradient, before or instead of reading it back). */
  hole?: BufferRef;
  /** A per-channel record buffer the expression does not read: its reads are the named
   * module-scope value instead (a record the kernel computed for channel(i)). */
  local?: { buf: BufferRef; name: string };
}

/** Whether `e` loads `buf` (as values; records and scalars are not element loads). */
export function exprLoads(e: FusedExpr, buf: BufferRef): boolean {
  return exprNodes(e).some((n) => n.op === 'load' && sameWindow(n.buf, buf));
}

/**
 * WGSL for `fn <fnName>(i: u32) -> f32` computing `e` (`fn <fnName>(i: u32, hole: f32)`
 * with a hole), its bindings numbered from `firstBinding` and named `<prefix>0`,
 * `<prefix>1`, ... The text depends only on the expression's structure (which buffer is
 * read where), never on the buffers themselves, so every chain of the same form shares one
 * pipeline. `channel(i)` must be defined by the module when the expression is per-channel.
 * With `vec4`, the function returns elements 4i..4i+3 as a vec4<f32> (element arrays bound
 * as array<vec4<f32>>; the module must make `channel(i)` the channel of all four, i.e.
 * h*w % 4 == 0); undefined when a buffer is read both per element and as a scalar (then
 * the scalar kernel serves).
 */
export function genExprWgsl(e: FusedExpr, o: GenExprOptions & { vec4: true }): GeneratedExpr | undefined;
export function genExprWgsl(e: FusedExpr, o: GenExprOptions): GeneratedExpr;
export function genExprWgsl(e: FusedExpr, o: GenExprOptions): GeneratedExpr | undefined {
  const { fnName, firstBinding, prefix = 'in', vec4 = false, hole, local } = o;
  if (hole && vec4) throw new Error('genExprWgsl: a hole is scalar only');
  const isLocal = (b: BufferRef) => local !== undefined && sameWindow(b, local.buf);
  const bufs = exprBuffers(e).filter((b) => (!hole || !sameWindow(b, hole)) && !isLocal(b));
  // Per slot: read per element (as `vec4` when vectorised), or as a record / scalar.
  const kinds = new Map<number, 'element' | 'record' | 'scalar'>();
  let conflict = false;
  const slotOf = (r: BufferRef, kind: 'element' | 'record' | 'scalar'): string => {
    const k = bufs.findIndex((b) => sameWindow(b, r));
    if (k < 0) throw new Error(`genExprWgsl: the hole buffer is read as a ${kind}`);
    const before = kinds.get(k) ?? kind;
    // Per element and scalar share array<f32> unless vectorised; a record is always vec4.
    if (before !== kind && (vec4 || before === 'record' || kind === 'record')) conflict = true;
    kinds.set(k, kind);
    return `${prefix}${k}`;
  };
  const lines: string[] = [];
  const zero = vec4 ? 'vec4<f32>(0.0)' : '0.0';
  let next = 0;
  const tmp = (value: string): string => {
    const name = `v${next++}`;
    lines.push(`  let ${name} = ${value};`);
    return name;
  };
  const record = (r: BufferRef): string => (isLocal(r) ? local!.name : tmp(`${slotOf(r, 'record')}[channel(i)]`));
  const emit = (x: FusedExpr): string => {
    switch (x.op) {
      case 'load':
        return hole && sameWindow(x.buf, hole) ? 'hole' : tmp(`${slotOf(x.buf, 'element')}[i]`);
      case 'relu':
        return tmp(`max(${emit(x.a)}, ${zero})`);
      case 'mask': {
        const g = emit(x.g);
        return tmp(`select(${zero}, ${g}, ${emit(x.by)} > ${zero})`);
      }
      case 'add': {
        const a = emit(x.a);
        return tmp(`${a} + ${emit(x.b)}`);
      }
      case 'mulScalar':
        return tmp(`${slotOf(x.s, 'scalar')}[0] * ${emit(x.a)}`);
      case 'addScalar':
        return tmp(`${emit(x.a)} + ${slotOf(x.s, 'scalar')}[0]`);
      case 'bn': {
        const a = emit(x.a);
        const k = record(x.coef);
        return tmp(`(${a} - ${k}.x) * ${k}.y + ${k}.z`);
      }
      case 'bnGrad': {
        const dy = emit(x.dy);
        const xv = emit(x.x);
        const k = record(x.coef);
        return tmp(`${k}.x * (${dy} - ${k}.y - (${xv} - ${k}.w) * ${k}.z)`);
      }
    }
  };
  const result = emit(e);
  if (conflict) {
    if (vec4) return undefined;
    throw new Error(`genExprWgsl: a buffer is read both as values and as per-channel records`);
  }
  const decls = bufs.map((_, k) => {
    const kind = kinds.get(k);
    const type = kind === 'record' || (kind === 'element' && vec4) ? 'array<vec4<f32>>' : 'array<f32>';
    return `@group(0) @binding(${firstBinding + k}) var<storage, read> ${prefix}${k}: ${type};`;
  });
  const fn = `fn ${fnName}(i: u32${hole ? ', hole: f32' : ''}) -> ${vec4 ? 'vec4<f32>' : 'f32'} {\n${lines.join('\n')}\n  return ${result};\n}`;
  const buffers = Object.fromEntries(bufs.map((b, k) => [`${prefix}${k}`, b]));
  return { wgsl: `${decls.join('\n')}\n${fn}\n`, buffers };
}
