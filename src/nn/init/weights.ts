// What every init scheme builds weights from: one independent random stream per tensor,
// He-normal tensors, small dense matrices, and the matrix-to-weight constructions of
// docs/science.md section 2 (looks-linear LL(A), delta kernels, [A; -A] and [A, -A]).
// Pure functions; walking a model and choosing values is the schemes' job.

import { numel, type Shape } from '../../engine';
import { haarOrthogonal, matMul, RandomStream, Streams } from '../../util';
import type { ParamInfo, ResNetModel } from '../resnet';
import { fanIn, type InitValues } from './common';

/** Row-major dense matrix. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

/** The stream of one tensor: keyed by (seed, tensor id) alone, so a tensor's values do
 * not depend on which other tensors were drawn before it, or in what order. */
export function tensorStream(seed: number, tensorId: number): RandomStream {
  return new RandomStream(seed, Streams.init).fork(tensorId);
}

export function heStd(shape: Shape): number {
  return Math.sqrt(2 / fanIn(shape));
}

/** N(0, 2 / fan_in) from the tensor's own stream. */
export function heTensor(seed: number, p: Pick<ParamInfo, 'id' | 'shape'>): Float64Array {
  return tensorStream(seed, p.id).normalArray(numel(p.shape), heStd(p.shape));
}

/** N(0, 2 / fan_out), fan_out = C_out k k for a conv (what the Fixup authors' code
 * draws its branch convs from), from the tensor's own stream. */
export function heFanOutTensor(seed: number, p: Pick<ParamInfo, 'id' | 'shape'>): Float64Array {
  return tensorStream(seed, p.id).normalArray(numel(p.shape), heFanOutStd(p.shape));
}

export function heFanOutStd(shape: Shape): number {
  return Math.sqrt(2 / (shape[0] * numel(shape.slice(2))));
}

/** Sets every param of the given kinds to its He-normal tensor. */
export function setHe(model: ResNetModel, seed: number, v: InitValues, kinds: ReadonlySet<ParamInfo['kind']>): void {
  for (const p of model.params) if (kinds.has(p.kind)) v.set(p.id, heTensor(seed, p));
}

export function orth(rng: RandomStream, rows: number, cols: number): Matrix {
  return { rows, cols, data: haarOrthogonal(rng, rows, cols) };
}

export function identity(n: number): Matrix {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[i * n + i] = 1;
  return { rows: n, cols: n, data };
}

/** The permutation matrix with P e_i = e_perm[i], i.e. (P x)[perm[i]] = x[i]. */
export function permutationMatrix(perm: ArrayLike<number>): Matrix {
  const n = perm.length;
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) data[perm[i] * n + i] = 1;
  return { rows: n, cols: n, data };
}

export function mul(a: Matrix, b: Matrix): Matrix {
  if (a.cols !== b.rows) throw new Error(`mul: ${a.rows}x${a.cols} times ${b.rows}x${b.cols}`);
  return { rows: a.rows, cols: b.cols, data: matMul(a.data, b.data, a.rows, a.cols, b.cols) };
}

/** alpha A + beta B. */
export function combine(alpha: number, a: Matrix, beta: number, b: Matrix): Matrix {
  if (a.rows !== b.rows || a.cols !== b.cols) throw new Error(`combine: ${a.rows}x${a.cols} vs ${b.rows}x${b.cols}`);
  return { rows: a.rows, cols: a.cols, data: a.data.map((x, i) => alpha * x + beta * b.data[i]) };
}

export function scaled(a: Matrix, s: number): Matrix {
  return { rows: a.rows, cols: a.cols, data: a.data.map((x) => s * x) };
}

export function transposed(a: Matrix): Matrix {
  const data = new Float64Array(a.rows * a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) data[j * a.rows + i] = a.data[i * a.cols + j];
  return { rows: a.cols, cols: a.rows, data };
}

/** Block matrix of 2 x 2 blocks, each sign times A. */
function signedBlocks(a: Matrix, signs: readonly (readonly number[])[]): Matrix {
  const br = signs.length;
  const bc = signs[0].length;
  const cols = bc * a.cols;
  const data = new Float64Array(br * a.rows * cols);
  for (let I = 0; I < br; I++) {
    for (let J = 0; J < bc; J++) {
      const s = signs[I][J];
      for (let i = 0; i < a.rows; i++) {
        for (let j = 0; j < a.cols; j++) data[(I * a.rows + i) * cols + J * a.cols + j] = s * a.data[i * a.cols + j];
      }
    }
  }
  return { rows: br * a.rows, cols, data };
}

/** LL(A) = [[A, -A], [-A, A]]. */
export function looksLinear(a: Matrix): Matrix {
  return signedBlocks(a, [
    [1, -1],
    [-1, 1],
  ]);
}

/** [A; -A]: embeds a signal into the split form (the stem). */
export function stackNegated(a: Matrix): Matrix {
  return signedBlocks(a, [[1], [-1]]);
}

/** [A, -A]: reads the signal x_top - x_bottom (the classifier). */
export function concatNegated(a: Matrix): Matrix {
  return signedBlocks(a, [[1, -1]]);
}

/** [[A, 0], [0, A]]. */
export function blockDiagonal2(a: Matrix): Matrix {
  return signedBlocks(a, [
    [1, 0],
    [0, 1],
  ]);
}

/** delta(M, k) for a conv weight of shape [cout, cin, k, k]: centre tap (k/2, k/2) = M,
 * every other tap 0. */
export function deltaKernel(m: Matrix, shape: Shape): Float64Array {
  const [cout, cin, kh, kw] = shape;
  if (shape.length !== 4 || kh !== kw || kh % 2 !== 1)
    throw new Error(`deltaKernel: need an odd square conv shape, got [${shape.join(', ')}]`);
  if (m.rows !== cout || m.cols !== cin) throw new Error(`deltaKernel: matrix ${m.rows}x${m.cols} for weight [${shape.join(', ')}]`);
  const taps = kh * kw;
  const centre = Math.floor(kh / 2) * kw + Math.floor(kw / 2);
  const out = new Float64Array(cout * cin * taps);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) out[(o * cin + i) * taps + centre] = m.data[o * cin + i];
  return out;
}

/** A linear layer's weight [out, in] from a matrix of that shape. */
export function linearWeight(m: Matrix, shape: Shape): Float64Array {
  if (shape.length !== 2 || m.rows !== shape[0] || m.cols !== shape[1])
    throw new Error(`linearWeight: matrix ${m.rows}x${m.cols} for weight [${shape.join(', ')}]`);
  return Float64Array.from(m.data);
}
